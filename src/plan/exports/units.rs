//! The cells of exports that are not plain working days: MS Project and
//! Smartsheet durations (`5 days`, `3w`, `2.5 hrs`, `0 days?`), Jira's
//! seconds, story points, decimal commas, and dates.
//!
//! Units follow MS Project's defaults: a day is 8 hours, a week 5 working
//! days and a month 20. Elapsed forms (`3 edays`, `2ew`: calendar time that
//! runs through weekends) are refused, because a number of calendar days is
//! a different number of working days depending on where the task falls.

use chrono::NaiveDate;

use super::ExportProblem;

/// Working hours in a day, as MS Project and Jira count them.
pub(super) const HOURS_PER_DAY: f64 = 8.0;

/// Seconds of work in a working day: Jira exports estimates in seconds and
/// counts 8 hours a day.
pub(super) const SECONDS_PER_DAY: f64 = HOURS_PER_DAY * 3600.0;

/// A number cell as read: `2,5` is 2.5 when the file's delimiter is `;`
/// (`decimal_comma`), where spreadsheets write decimal commas.
pub(in crate::plan) fn number_text(text: &str, decimal_comma: bool) -> String {
    let t = text.trim();
    if decimal_comma && !t.contains('.') {
        // One comma between a digit and a digit: `2,5`, `-0,25`, `2,5 days`.
        if let Some((a, b)) = t.split_once(',')
            && a.ends_with(|c: char| c.is_ascii_digit())
            && b.starts_with(|c: char| c.is_ascii_digit())
            && !b.contains(',')
        {
            return format!("{a}.{b}");
        }
    }
    t.to_string()
}

/// The working days of a duration unit (lower case), `None` for an
/// unknown unit.
fn unit_days(unit: &str) -> Option<f64> {
    Some(match unit {
        "" | "d" | "dy" | "dys" | "day" | "days" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 1.0 / (HOURS_PER_DAY * 60.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => 1.0 / HOURS_PER_DAY,
        "w" | "wk" | "wks" | "week" | "weeks" => 5.0,
        "mo" | "mon" | "mons" | "month" | "months" => 20.0,
        _ => return None,
    })
}

/// Reads an MS Project or Smartsheet duration as working days: a number
/// and a unit (`5 days`, `5d`, `3w`, `2.5 hrs`, `30 min`, `1 mo`; no unit
/// is days), with an optional `?` (MS Project's mark of an estimate).
///
/// # Errors
///
/// [`ExportProblem::Elapsed`] for an elapsed duration (`3 edays`),
/// [`ExportProblem::BadDuration`] for anything else that is not a
/// duration of zero or more.
pub(super) fn duration(
    column: &str,
    text: &str,
    decimal_comma: bool,
) -> Result<f64, ExportProblem> {
    let bad = || ExportProblem::BadDuration {
        column: column.into(),
        value: text.trim().into(),
    };
    let t = text.trim().trim_end_matches('?').trim();
    let t = number_text(t, decimal_comma);
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim().to_ascii_lowercase());
    let days = number.parse::<f64>().map_err(|_| bad())?;
    let per = match unit_days(&unit) {
        Some(per) => per,
        None if unit.strip_prefix('e').and_then(unit_days).is_some() && !unit.is_empty() => {
            return Err(ExportProblem::Elapsed {
                column: column.into(),
                value: text.trim().into(),
            });
        }
        None => return Err(bad()),
    };
    let d = days * per;
    if d.is_finite() && d <= super::super::MAX_DAYS {
        Ok(d)
    } else {
        Err(bad())
    }
}

/// Reads a Jira estimate (seconds of work) as working days of 8 hours.
///
/// # Errors
///
/// [`ExportProblem::BadSeconds`] when the cell is not a number of seconds
/// of zero or more.
pub(super) fn seconds(column: &str, text: &str, decimal_comma: bool) -> Result<f64, ExportProblem> {
    match number_text(text, decimal_comma).parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(s / SECONDS_PER_DAY),
        _ => Err(ExportProblem::BadSeconds {
            column: column.into(),
            value: text.trim().into(),
        }),
    }
}

/// Reads a story points cell.
///
/// # Errors
///
/// [`ExportProblem::BadPoints`] when it is not a number of zero or more.
pub(super) fn points(column: &str, text: &str, decimal_comma: bool) -> Result<f64, ExportProblem> {
    match number_text(text, decimal_comma).parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err(ExportProblem::BadPoints {
            column: column.into(),
            value: text.trim().into(),
        }),
    }
}

/// Reads a date as exports write it: `2026-01-05` (a time after it, `T09:00`
/// or ` 09:00`, is ignored), `1/5/2026` or `1/5/26` (month first, as US
/// exports write it), `05.01.2026` (day first), each with an optional
/// weekday in front (`Mon 1/5/26 8:00 AM`, as MS Project writes it).
///
/// # Errors
///
/// [`ExportProblem::BadDate`] naming the column and the cell.
pub(super) fn date(column: &str, text: &str) -> Result<NaiveDate, ExportProblem> {
    let bad = || ExportProblem::BadDate {
        column: column.into(),
        value: text.trim().into(),
    };
    let mut t = text.trim();
    // A weekday in front: `Mon 1/5/26`, `Monday, 5 January`.
    if let Some((first, rest)) = t.split_once([' ', ','])
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && !first.is_empty()
    {
        t = rest.trim_start_matches([',', ' ']);
    }
    // The date is the first word; a time after it is ignored.
    let word = t.split([' ', 'T']).next().unwrap_or("");
    let nums = |sep: char| -> Option<Vec<u32>> {
        let parts: Vec<&str> = word.split(sep).collect();
        (parts.len() == 3)
            .then(|| parts.iter().map(|p| p.parse::<u32>().ok()).collect())
            .flatten()
    };
    let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
    let d = if let Some(n) = nums('-') {
        NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2])
    } else if let Some(n) = nums('/') {
        NaiveDate::from_ymd_opt(year(n[2]), n[0], n[1])
    } else if let Some(n) = nums('.') {
        NaiveDate::from_ymd_opt(year(n[2]), n[1], n[0])
    } else {
        None
    };
    d.filter(|d| {
        let y = chrono::Datelike::year(d);
        (1900..=2200).contains(&y)
    })
    .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_unit() {
        let cases = [
            ("5 days", 5.0),
            ("5d", 5.0),
            ("5", 5.0),
            ("0 days?", 0.0),
            ("3w", 15.0),
            ("3 wks", 15.0),
            ("2.5 hrs", 2.5 / 8.0),
            ("4h", 0.5),
            ("240 mins", 0.5),
            ("480m", 1.0),
            ("1 mo", 20.0),
            ("2 Days", 2.0),
            (" 1.5 day? ", 1.5),
        ];
        for (text, days) in cases {
            assert_eq!(duration("Duration", text, false), Ok(days), "{text}");
        }
        assert_eq!(duration("Duration", "2,5 days", true), Ok(2.5));
    }

    #[test]
    fn bad_and_elapsed_durations_are_problems() {
        for text in ["3 edays", "2ew", "1 emo", "4eh"] {
            assert_eq!(
                duration("Duration", text, false),
                Err(ExportProblem::Elapsed {
                    column: "Duration".into(),
                    value: text.into()
                }),
                "{text}"
            );
        }
        for text in ["", "days", "5 dias", "-3d", "x", "2,5 days", "1e400"] {
            assert_eq!(
                duration("Duration", text, false),
                Err(ExportProblem::BadDuration {
                    column: "Duration".into(),
                    value: text.into()
                }),
                "{text}"
            );
        }
        let e = duration("Duration", "3 edays", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("elapsed"), "{e}");
    }

    #[test]
    fn jira_seconds_are_8_hour_days() {
        assert_eq!(seconds("Original Estimate", "28800", false), Ok(1.0));
        assert_eq!(seconds("Original Estimate", "14400", false), Ok(0.5));
        assert_eq!(seconds("Original Estimate", "0", false), Ok(0.0));
        for bad in ["1d", "-60", "x"] {
            assert!(seconds("Original Estimate", bad, false).is_err(), "{bad}");
        }
        let e = seconds("Original Estimate", "1d", false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Original Estimate \"1d\" is not a number of seconds; Jira exports estimates in seconds (28800 is one working day of 8 hours)"
        );
        assert_eq!(points("Story Points", "2,5", true), Ok(2.5));
        assert!(points("Story Points", "L", false).is_err());
    }

    #[test]
    fn decimal_commas_only_where_the_delimiter_is_a_semicolon() {
        assert_eq!(number_text("2,5", true), "2.5");
        assert_eq!(number_text("-0,25", true), "-0.25");
        assert_eq!(number_text("2,5", false), "2,5");
        assert_eq!(number_text("1,000.5", true), "1,000.5");
        assert_eq!(number_text("a,b", true), "a,b");
    }

    #[test]
    fn dates_as_exports_write_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for (text, want) in [
            ("2026-01-05", d(2026, 1, 5)),
            ("2026-01-05T09:00:00Z", d(2026, 1, 5)),
            ("2026-01-05 17:00", d(2026, 1, 5)),
            ("1/5/2026", d(2026, 1, 5)),
            ("01/05/26", d(2026, 1, 5)),
            ("Mon 1/5/26 8:00 AM", d(2026, 1, 5)),
            ("05.01.2026", d(2026, 1, 5)),
        ] {
            assert_eq!(date("Start", text), Ok(want), "{text}");
        }
        for bad in ["", "soon", "2026-13-01", "13/13/2026", "2026/01"] {
            assert_eq!(
                date("Start", bad),
                Err(ExportProblem::BadDate {
                    column: "Start".into(),
                    value: bad.into()
                }),
                "{bad}"
            );
        }
    }
}
