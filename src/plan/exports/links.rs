//! Predecessor cells of MS Project and Smartsheet (`3FS+2 days;4SS;7FF-1d`,
//! `2, 3FS +1d`), read into links by row id.

use super::ExportProblem;
use super::units;
use crate::plan::{LinkKind, LinkSpec};

/// Splits a predecessors cell into its links: at `;` and `,`, except a
/// `,` inside a lag where the file writes decimal commas (`3FS+1,5d`).
fn split(text: &str, decimal_comma: bool) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_lag) = (0, false);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'+' | b'-' => in_lag = true,
            b',' if decimal_comma
                && in_lag
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {}
            b';' | b',' => {
                parts.push(&text[start..i]);
                start = i + 1;
                in_lag = false;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Reads a predecessors cell: links by row id, each `ID`, `IDFS`, `IDSS`,
/// `IDFF` or `IDSF`, with an optional lag in any duration unit (`+2 days`,
/// `-1d`, `+4h`). Every link that cannot be read is returned as a problem;
/// the rest are read.
pub(super) fn predecessors(text: &str, decimal_comma: bool) -> (Vec<LinkSpec>, Vec<ExportProblem>) {
    let (mut links, mut problems) = (Vec::new(), Vec::new());
    for part in split(text, decimal_comma) {
        match predecessor(part, decimal_comma) {
            Ok(l) => links.push(l),
            Err(p) => problems.push(p),
        }
    }
    (links, problems)
}

/// Reads one link of a predecessors cell.
fn predecessor(text: &str, decimal_comma: bool) -> Result<LinkSpec, ExportProblem> {
    let bad = |why: &str| ExportProblem::BadPredecessor {
        link: text.into(),
        why: why.into(),
    };
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits == 0 {
        return Err(bad("it does not start with a row ID"));
    }
    let (id, rest) = (&text[..digits], text[digits..].trim_start());
    let (kind, rest) = match rest.get(..2).map(str::to_ascii_uppercase).as_deref() {
        Some("FS") => (LinkKind::FS, &rest[2..]),
        Some("SS") => (LinkKind::SS, &rest[2..]),
        Some("FF") => (LinkKind::FF, &rest[2..]),
        Some("SF") => (LinkKind::SF, &rest[2..]),
        _ => (LinkKind::FS, rest),
    };
    let rest = rest.trim();
    let lag = if rest.is_empty() {
        0.0
    } else {
        let (sign, amount) = if let Some(a) = rest.strip_prefix('+') {
            (1.0, a.trim())
        } else if let Some(a) = rest.strip_prefix('-') {
            (-1.0, a.trim())
        } else {
            return Err(bad(
                "after the row ID comes a type (FS, SS, FF, SF) or a lag (+2d, -1d)",
            ));
        };
        if amount.ends_with('%') {
            return Err(ExportProblem::PercentLag { link: text.into() });
        }
        match units::duration("lag", amount, decimal_comma) {
            Ok(d) => sign * d,
            Err(ExportProblem::Elapsed { .. }) => {
                return Err(bad(
                    "an elapsed lag (edays) is calendar time, which slipcast does not convert to working days",
                ));
            }
            Err(_) => return Err(bad("the lag is not a duration (+2d, +2 days, -1d, +4h)")),
        }
    };
    Ok(LinkSpec {
        from: id.to_string(),
        kind,
        lag,
        whole: None,
    })
}

/// Splits a list of task references (Asana's `Blocked By`, Jira's link
/// cells when several are in one cell) at `,` and `;`.
pub(super) fn references(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, decimal_comma: bool) -> Vec<(String, LinkKind, f64)> {
        let (links, problems) = predecessors(text, decimal_comma);
        assert!(problems.is_empty(), "{text}: {problems:?}");
        links.into_iter().map(|l| (l.from, l.kind, l.lag)).collect()
    }

    #[test]
    fn ms_project_and_smartsheet_predecessors() {
        let l = |id: &str, k, lag| (id.to_string(), k, lag);
        assert_eq!(
            read("3FS+2 days;4SS;7FF-1d", false),
            [
                l("3", LinkKind::FS, 2.0),
                l("4", LinkKind::SS, 0.0),
                l("7", LinkKind::FF, -1.0)
            ]
        );
        assert_eq!(
            read("2, 3FS +1d", false),
            [l("2", LinkKind::FS, 0.0), l("3", LinkKind::FS, 1.0)]
        );
        assert_eq!(read("5sf+4h", false), [l("5", LinkKind::SF, 0.5)]);
        assert_eq!(
            read("3FS+1,5d,4", true),
            [l("3", LinkKind::FS, 1.5), l("4", LinkKind::FS, 0.0)]
        );
        assert_eq!(
            read("3,4", true),
            [l("3", LinkKind::FS, 0.0), l("4", LinkKind::FS, 0.0)]
        );
        assert!(read("", false).is_empty());
    }

    #[test]
    fn bad_predecessors_are_problems_and_the_rest_read() {
        let (links, problems) = predecessors("3FS+50%;x;4XX;5FS+2 edays;6FS+soon;7", false);
        assert_eq!(links.len(), 1);
        // Text that is not ASCII after an id is a problem, never a panic.
        for text in ["3é", "3Fé", "é", "3FS+é", "3\u{301}"] {
            let (_, problems) = predecessors(text, false);
            assert_eq!(problems.len(), 1, "{text}");
        }
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "predecessor \"3FS+50%\": a lag in percent of the predecessor's duration is not read; write it in working days, e.g. 3FS+2d",
                "predecessor \"x\": it does not start with a row ID; write links as MS Project does, e.g. 3FS+2d;4SS;7",
                "predecessor \"4XX\": after the row ID comes a type (FS, SS, FF, SF) or a lag (+2d, -1d); write links as MS Project does, e.g. 3FS+2d;4SS;7",
                "predecessor \"5FS+2 edays\": an elapsed lag (edays) is calendar time, which slipcast does not convert to working days; write links as MS Project does, e.g. 3FS+2d;4SS;7",
                "predecessor \"6FS+soon\": the lag is not a duration (+2d, +2 days, -1d, +4h); write links as MS Project does, e.g. 3FS+2d;4SS;7",
            ]
        );
    }

    #[test]
    fn references_split_at_commas_and_semicolons() {
        let r: Vec<&str> = references(" 12, Design doc ;;3").collect();
        assert_eq!(r, ["12", "Design doc", "3"]);
    }
}
