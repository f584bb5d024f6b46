//! Dependency links between tasks: `A`, `A+2`, `A-1`, `A:SS+2`, `A:FF+3`, `A:SF`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

use super::MAX_DAYS;

/// How a predecessor constrains its successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LinkKind {
    /// Finish-to-start: the successor starts after the predecessor finishes.
    FS,
    /// Start-to-start: the successor starts after the predecessor starts.
    SS,
    /// Finish-to-finish: the successor finishes after the predecessor finishes.
    FF,
    /// Start-to-finish: the successor finishes after the predecessor starts.
    SF,
}

impl LinkKind {
    /// Whether the link constrains the successor's start (FS, SS) rather than
    /// its finish (FF, SF).
    pub fn constrains_start(self) -> bool {
        matches!(self, LinkKind::FS | LinkKind::SS)
    }

    /// Whether the link is measured from the predecessor's finish (FS, FF)
    /// rather than its start (SS, SF).
    pub fn from_finish(self) -> bool {
        matches!(self, LinkKind::FS | LinkKind::FF)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkKind::FS => "FS",
            LinkKind::SS => "SS",
            LinkKind::FF => "FF",
            LinkKind::SF => "SF",
        })
    }
}

impl FromStr for LinkKind {
    type Err = LinkError;

    fn from_str(s: &str) -> Result<Self, LinkError> {
        match s.trim().to_ascii_uppercase().as_str() {
            "" | "FS" => Ok(LinkKind::FS),
            "SS" => Ok(LinkKind::SS),
            "FF" => Ok(LinkKind::FF),
            "SF" => Ok(LinkKind::SF),
            other => Err(LinkError::UnknownType(other.to_string())),
        }
    }
}

/// Why a link cannot be read.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum LinkError {
    /// The type after `:` is not FS, SS, FF or SF.
    #[error("unknown link type \"{0}\"; use FS, SS, FF or SF")]
    UnknownType(String),
    /// Nothing before the `:`.
    #[error("link \"{0}\" has no task id")]
    NoId(String),
    /// The lag after `+` or `-` is not a number.
    #[error(
        "link \"{link}\": lag \"{lag}\" is not a number of working days; write e.g. {}",
        lag_example(.from, *.kind)
    )]
    BadLag {
        /// The link as written.
        link: String,
        /// The text after the sign.
        lag: String,
        /// The predecessor id.
        from: String,
        /// The link type.
        kind: LinkKind,
    },
    /// A `+` or `-` with nothing after it.
    #[error(
        "link \"{link}\": the lag after \"{sign}\" is missing; write e.g. {}, or leave out the \"{sign}\"",
        lag_example(.from, *.kind)
    )]
    MissingLag {
        /// The link as written.
        link: String,
        /// `+` or `-`.
        sign: char,
        /// The predecessor id.
        from: String,
        /// The link type.
        kind: LinkKind,
    },
    /// A lag beyond [`MAX_DAYS`].
    #[error("link \"{link}\": lag {lag} is more than {MAX_DAYS} working days; check the unit")]
    LagTooLong {
        /// The link as written.
        link: String,
        /// The lag.
        lag: f64,
    },
}

fn lag_example(from: &str, kind: LinkKind) -> String {
    match kind {
        LinkKind::FS => format!("{from}+2 or {from}:SS-1"),
        k => format!("{from}:{k}+2 or {from}:{k}-1"),
    }
}

/// A link as written, before the predecessor id is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSpec {
    /// The predecessor's id.
    pub from: String,
    /// The link type.
    pub kind: LinkKind,
    /// Lag in working days (negative: a lead).
    pub lag: f64,
    /// For a link written without a type whose id ends in `+N`/`-N` (such as
    /// `sprint-1`): the whole text, which is taken as the id instead when a
    /// task has that id.
    pub whole: Option<String>,
}

/// A resolved link: predecessor index into [`crate::plan::Plan::tasks`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Index of the predecessor task in the plan.
    pub pred: usize,
    /// The link type.
    pub kind: LinkKind,
    /// Lag in working days (negative: a lead).
    pub lag: f64,
}

impl LinkSpec {
    /// Parses one link of a `depends_on` cell: `A`, `A+2`, `A-1.5`, `A:SS`,
    /// `A:FF+3`, `A:SF-1`.
    ///
    /// Without a `:`, a trailing `+N`/`-N` is a lag only when N is a number:
    /// `api-v2` and `a+x` are read as ids here, and [`LinkSpec::bad_lag`]
    /// tells, once the ids are known, whether `a+x` meant a lag.
    ///
    /// # Errors
    ///
    /// [`LinkError`] naming the bad part, when the type or lag cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::{LinkKind, LinkSpec};
    /// let l = LinkSpec::parse("api:SS+2").unwrap();
    /// assert_eq!((l.from.as_str(), l.kind, l.lag), ("api", LinkKind::SS, 2.0));
    /// ```
    pub fn parse(text: &str) -> Result<LinkSpec, LinkError> {
        let text = text.trim();
        let (from, rest) = match text.find(':') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let mut whole = None;
        let (from, kind, lag_text) = match rest {
            Some(rest) => {
                let split = rest.find(['+', '-']).unwrap_or(rest.len());
                let kind: LinkKind = rest[..split].parse()?;
                (from, kind, &rest[split..])
            }
            None => {
                // The lag is a trailing `+N`/`-N` whose N is a number; ids
                // may contain `-` themselves (`api-v2`).
                match from.rfind(['+', '-']) {
                    Some(i) if i > 0 && from[i + 1..].parse::<f64>().is_ok() => {
                        whole = Some(from.to_string());
                        (&from[..i], LinkKind::FS, &from[i..])
                    }
                    _ => (from, LinkKind::FS, ""),
                }
            }
        };
        let from = from.trim();
        if from.is_empty() {
            return Err(LinkError::NoId(text.into()));
        }
        let lag = if lag_text.is_empty() {
            0.0
        } else {
            let (sign, number) = lag_text.split_at(1);
            match lag_text.parse::<f64>() {
                Ok(l) if l.abs() > MAX_DAYS => {
                    return Err(LinkError::LagTooLong {
                        link: text.into(),
                        lag: l,
                    });
                }
                Ok(l) if l.is_finite() => l,
                _ if number.trim().is_empty() => {
                    return Err(LinkError::MissingLag {
                        link: text.into(),
                        sign: sign.chars().next().unwrap_or('+'),
                        from: from.into(),
                        kind,
                    });
                }
                _ => {
                    return Err(LinkError::BadLag {
                        link: text.into(),
                        lag: number.trim().into(),
                        from: from.into(),
                        kind,
                    });
                }
            }
        };
        Ok(LinkSpec {
            from: from.to_string(),
            kind,
            lag,
            whole,
        })
    }

    /// For a link read as an id (`a+x`, `a+`) that names no task: the lag
    /// error it stands for, when the text before its last `+` or `-` is a
    /// task id (`is_task`) and what follows is not a number.
    pub fn bad_lag(&self, is_task: impl Fn(&str) -> bool) -> Option<LinkError> {
        let text = self.from.as_str();
        let i = text.rfind(['+', '-']).filter(|&i| i > 0)?;
        let (from, sign, lag) = (&text[..i], &text[i..i + 1], &text[i + 1..]);
        if !is_task(from) {
            return None;
        }
        let sign = sign.chars().next().unwrap_or('+');
        Some(if lag.trim().is_empty() {
            LinkError::MissingLag {
                link: text.into(),
                sign,
                from: from.into(),
                kind: self.kind,
            }
        } else {
            LinkError::BadLag {
                link: text.into(),
                lag: lag.into(),
                from: from.into(),
                kind: self.kind,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let cases = [
            ("A", "A", LinkKind::FS, 0.0),
            ("A+2", "A", LinkKind::FS, 2.0),
            ("A-1", "A", LinkKind::FS, -1.0),
            ("api-v2", "api-v2", LinkKind::FS, 0.0),
            ("api-v2+1.5", "api-v2", LinkKind::FS, 1.5),
            ("A:SS+2", "A", LinkKind::SS, 2.0),
            ("A:ff+3", "A", LinkKind::FF, 3.0),
            ("A:SF", "A", LinkKind::SF, 0.0),
            (" qa-1 : SS ", "qa-1", LinkKind::SS, 0.0),
        ];
        for (text, from, kind, lag) in cases {
            let l = LinkSpec::parse(text).unwrap();
            assert_eq!(
                (l.from.as_str(), l.kind, l.lag),
                (from, kind, lag),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_bad_links() {
        for (text, want) in [
            ("A:XX", "unknown link type \"XX\"; use FS, SS, FF or SF"),
            (":SS", "link \":SS\" has no task id"),
            (
                "A:SS+x",
                "link \"A:SS+x\": lag \"x\" is not a number of working days; write e.g. A:SS+2 or A:SS-1",
            ),
            (
                "A:FF-",
                "link \"A:FF-\": the lag after \"-\" is missing; write e.g. A:FF+2 or A:FF-1, or leave out the \"-\"",
            ),
            (
                "A+1e6",
                "link \"A+1e6\": lag 1000000 is more than 100000 working days; check the unit",
            ),
        ] {
            let e = LinkSpec::parse(text).unwrap_err().to_string();
            assert_eq!(e, want, "{text}");
        }
    }

    /// `a+x` is an id until the ids are known; then, if `a` is a task and
    /// `a+x` is not, it is a lag that is not a number.
    #[test]
    fn a_plus_junk_is_a_bad_lag_once_ids_are_known() {
        let l = LinkSpec::parse("a+x").unwrap();
        assert_eq!(l.from, "a+x");
        let e = l.bad_lag(|id| id == "a").unwrap().to_string();
        assert_eq!(
            e,
            "link \"a+x\": lag \"x\" is not a number of working days; write e.g. a+2 or a:SS-1"
        );
        let e = LinkSpec::parse("a+")
            .unwrap()
            .bad_lag(|id| id == "a")
            .unwrap();
        assert_eq!(
            e.to_string(),
            "link \"a+\": the lag after \"+\" is missing; write e.g. a+2 or a:SS-1, or leave out the \"+\""
        );
        assert_eq!(l.bad_lag(|id| id == "b"), None);
        assert_eq!(LinkSpec::parse("ab").unwrap().bad_lag(|_| true), None);
    }
}
