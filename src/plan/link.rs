//! Dependency links between tasks: `A`, `A+2`, `A-1`, `A:SS+2`, `A:FF+3`, `A:SF`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

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
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "" | "FS" => Ok(LinkKind::FS),
            "SS" => Ok(LinkKind::SS),
            "FF" => Ok(LinkKind::FF),
            "SF" => Ok(LinkKind::SF),
            other => Err(format!(
                "unknown link type \"{other}\"; use FS, SS, FF or SF"
            )),
        }
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
    /// # Errors
    ///
    /// A message naming the bad part, when the type or lag cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::{LinkKind, LinkSpec};
    /// let l = LinkSpec::parse("api:SS+2").unwrap();
    /// assert_eq!((l.from.as_str(), l.kind, l.lag), ("api", LinkKind::SS, 2.0));
    /// ```
    pub fn parse(text: &str) -> Result<LinkSpec, String> {
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
            return Err(format!("link \"{text}\" has no task id"));
        }
        let lag = if lag_text.is_empty() {
            0.0
        } else {
            match lag_text.parse::<f64>() {
                Ok(l) if l.abs() > crate::plan::MAX_DAYS => {
                    return Err(format!(
                        "link \"{text}\": lag {l} is more than {} working days; check the unit",
                        crate::plan::MAX_DAYS
                    ));
                }
                Ok(l) if l.is_finite() => l,
                _ => {
                    return Err(format!(
                        "link \"{text}\": lag \"{lag_text}\" is not a number; write e.g. {from}:{kind}+2"
                    ));
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
            ("A:XX", "unknown link type"),
            (":SS", "no task id"),
            ("A:SS+x", "not a number"),
        ] {
            let e = LinkSpec::parse(text).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
