//! The estimate cells that plans and risk registers share, read the same way
//! in both: `low`, `likely` and `high` durations, the `dist` name and, in a
//! plan, the `confidence` of the low-high interval.
//!
//! Durations are working days, written as plain decimals (`3`, `2.5`). A
//! percentage such as `5%` is not a duration and is refused, in plans and in
//! risk registers alike; a confidence is a percentage, so `80%` is accepted
//! there (as are `80` and `0.8`).

use super::error::ProblemKind;
use super::{DistKind, Estimate, ThreePoint};

/// A text cell as read: a leading apostrophe before `=`, `+`, `-`, `@`, a
/// tab or a carriage return is dropped. slipcast's CSV writers put it there
/// to keep a spreadsheet from running the cell as a formula (see
/// `report::inert::csv_cell`), so a plan slipcast wrote reads back as the
/// plan it was.
pub(super) fn text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Reads a duration cell: blank is `None`, else a finite decimal number of
/// working days.
///
/// # Errors
///
/// [`ProblemKind::NotANumber`] naming `column` and the cell as written, for
/// anything else (`5%`, `x`, `inf`, `1,5`).
pub(super) fn duration(column: &str, text: &str) -> Result<Option<f64>, ProblemKind> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(ProblemKind::NotANumber {
            column: column.into(),
            value: text.into(),
        }),
    }
}

/// Reads a `confidence` cell as a percentage: blank is `None`; `80` and
/// `80%` are 80; a fraction in `(0, 1]` such as `0.8` is read as 80.
///
/// # Errors
///
/// [`ProblemKind::NotANumber`] when the cell is not a finite number (with an
/// optional trailing `%`).
pub(super) fn confidence(text: &str) -> Result<Option<f64>, ProblemKind> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.trim_end_matches('%').parse::<f64>() {
        // 0.8 means 80%; anything above 1 is already a percentage.
        Ok(c) if c.is_finite() => Ok(Some(if c > 0.0 && c <= 1.0 { c * 100.0 } else { c })),
        _ => Err(ProblemKind::NotANumber {
            column: "confidence".into(),
            value: text.into(),
        }),
    }
}

/// Reads a `dist` cell: blank is `None` (the default applies, see
/// [`estimate`]), else the named distribution.
///
/// # Errors
///
/// [`ProblemKind::UnknownDistribution`] with the closest known name.
pub(super) fn distribution(text: &str) -> Result<Option<DistKind>, ProblemKind> {
    if text.is_empty() {
        return Ok(None);
    }
    Ok(Some(text.parse::<DistKind>()?))
}

/// The estimate of a row from its cells as read: without a `dist`, a row
/// with `likely` alone is a fixed duration and any other is PERT.
///
/// # Errors
///
/// [`ProblemKind::Estimate`] when the numbers do not make a distribution.
pub(super) fn estimate(dist: Option<DistKind>, tp: ThreePoint) -> Result<Estimate, ProblemKind> {
    Ok(Estimate::new(kind(dist, &tp), tp)?)
}

/// The distribution of a row: its `dist`, else fixed for `likely` alone
/// and PERT for any other numbers.
pub(super) fn kind(dist: Option<DistKind>, tp: &ThreePoint) -> DistKind {
    match dist {
        Some(kind) => kind,
        None if tp.low.is_none() && tp.high.is_none() => DistKind::Fixed,
        None => DistKind::Pert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_plain_decimals() {
        assert_eq!(duration("low", ""), Ok(None));
        assert_eq!(duration("low", "2.5"), Ok(Some(2.5)));
        assert_eq!(duration("low", "1e2"), Ok(Some(100.0)));
        for bad in ["5%", "%", "x", "inf", "nan", "1,5", "1e309"] {
            assert_eq!(
                duration("high", bad),
                Err(ProblemKind::NotANumber {
                    column: "high".into(),
                    value: bad.into()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_apostrophe_of_an_inert_cell_is_dropped() {
        for (cell, read) in [
            ("'=A1", "=A1"),
            ("'-v2", "-v2"),
            ("'@x", "@x"),
            ("'tis", "'tis"),
            ("'", "'"),
            ("=A1", "=A1"),
            ("plain", "plain"),
        ] {
            assert_eq!(text(cell), read, "{cell}");
        }
    }

    #[test]
    fn confidences_are_percentages() {
        assert_eq!(confidence(""), Ok(None));
        for (text, pct) in [("80", 80.0), ("80%", 80.0), ("0.8", 80.0), ("0", 0.0)] {
            assert_eq!(confidence(text), Ok(Some(pct)), "{text}");
        }
        assert!(confidence("high").is_err());
    }
}
