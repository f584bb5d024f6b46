//! How numbers, dates and probabilities are written, once for every view:
//! terminal text, CSV and JSON exports, Markdown, HTML and the charts.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::ExportError;
use super::inert::write_csv_record;
use crate::analysis::Provenance;

pub use crate::text::group_digits;

/// A date with its weekday: `Wed 2027-03-31` (tables and sentences).
pub fn long_date(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// A date and time with its weekday, to the minute: `Tue 2025-04-22 09:40`.
pub fn long_date_time(t: NaiveDateTime) -> String {
    t.format("%a %Y-%m-%d %H:%M").to_string()
}

/// A date the way charts show it: `Wed 31 Mar`.
pub fn short_date(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// A probability as a whole percentage, never rounding to 0% or 100% unless
/// it is exactly that.
pub fn percent(p: f64) -> String {
    let x = p * 100.0;
    if p > 0.0 && x < 0.5 {
        "<1%".into()
    } else if p < 1.0 && x > 99.5 {
        ">99%".into()
    } else {
        format!("{x:.0}%")
    }
}

/// An unplanned-work share as the teams file writes it: `20%`, `15-25%`,
/// or `-` for none.
pub fn share_range(share: Option<[f64; 2]>) -> String {
    match share {
        None => "-".to_string(),
        Some([a, b]) if a == b => format!("{:.0}%", a * 100.0),
        Some([a, b]) => format!("{:.0}-{:.0}%", a * 100.0, b * 100.0),
    }
}

/// `a 41%`, `an 83%`, `an 11%`: [`percent`] with the article as the number
/// is spoken.
pub fn a_percent(p: f64) -> String {
    let text = percent(p);
    let an = text.starts_with('8') || text == "11%" || text == "18%";
    format!("{} {text}", if an { "an" } else { "a" })
}

/// `1 working day`, `8 working days`.
pub fn working_days(n: u64) -> String {
    if n == 1 {
        "1 working day".into()
    } else {
        format!("{n} working days")
    }
}

/// Whether `run`'s times count calendar days from its start (the data date
/// of a plan whose tasks keep their own calendars) rather than working days.
pub fn on_calendar_days(run: &Provenance) -> bool {
    !run.calendar.task_calendars.is_empty()
}

/// What the start of a plan on its own calendars is, in its source tool's
/// words (`data date`, `status date`, `project start`).
pub fn axis_start(run: &Provenance) -> &'static str {
    run.calendar.axis_start.unwrap_or("data date")
}

/// The unit of `run`'s times in a sentence: `working days`, or `days` on
/// calendar days ([`on_calendar_days`]).
pub fn day_unit(run: &Provenance) -> &'static str {
    if on_calendar_days(run) {
        "days"
    } else {
        "working days"
    }
}

/// `n` days of `run`: `1 working day`, `8 working days`; `1 day`, `8 days`
/// on calendar days.
pub fn days_of(run: &Provenance, n: u64) -> String {
    match (on_calendar_days(run), n) {
        (false, _) => working_days(n),
        (true, 1) => "1 day".into(),
        (true, n) => format!("{n} days"),
    }
}

/// Day `n` of `run`'s axis (day 1 is the start): `working day 12`, or
/// `day 12` on calendar days.
pub fn day_number(run: &Provenance, n: u64) -> String {
    if on_calendar_days(run) {
        format!("day {n}")
    } else {
        format!("working day {n}")
    }
}

/// `s` cut to at most `max` characters, with `…` where it was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `x` with `digits` decimals, or an empty cell for `None` (as [`fixed`]).
pub fn optional(x: Option<f64>, digits: usize) -> String {
    x.map(|x| fixed(x, digits)).unwrap_or_default()
}

/// Whether `text` (a formatted number) is a zero with a minus sign: `-0`,
/// `-0.0`, `-0.000`.
fn negative_zero(text: &str) -> bool {
    text.strip_prefix('-')
        .is_some_and(|t| t.chars().all(|c| c == '0' || c == '.'))
}

/// `x` with `digits` decimals: `4.70`. A value that rounds to zero is
/// written `0.00`, never `-0.00`.
pub fn fixed(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    if negative_zero(&s) {
        s[1..].to_string()
    } else {
        s
    }
}

/// `x` with its sign and `digits` decimals: `+4.7`, `-2.1`; a value that
/// rounds to zero is `+0.0`, never `-0.0`.
pub fn signed(x: f64, digits: usize) -> String {
    let s = format!("{x:+.digits$}");
    if negative_zero(&s) {
        format!("+{}", &s[1..])
    } else {
        s
    }
}

/// `n` things: `1 round`, `3 rounds`, `0 rounds` (the plural by adding
/// `s`).
pub fn count(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{} {thing}s", group_digits(n))
    }
}

/// What is forecast: `milestone "ga"` or `all tasks` (plan text as given;
/// the caller makes it inert for where it goes).
pub fn finish_of(milestone: Option<&str>) -> String {
    match milestone {
        Some(m) => format!("milestone \u{201c}{m}\u{201d}"),
        None => "all tasks".into(),
    }
}

/// The draws behind a result: `1,000,000 iterations, seed 42`.
pub fn draws(run: &Provenance) -> String {
    format!(
        "{} iterations, seed {}",
        group_digits(run.iterations),
        run.seed
    )
}

/// The calendars of a plan whose tasks keep their own, in a few words: `3
/// task calendars: A, B, C; days are calendar days` (`None` for a plan on
/// the run's calendar).
pub fn task_calendars(run: &Provenance) -> Option<String> {
    let cals = &run.calendar.task_calendars;
    (!cals.is_empty()).then(|| {
        format!(
            "{} task calendar{}: {}; days are calendar days",
            cals.len(),
            if cals.len() == 1 { "" } else { "s" },
            cals.join(", ")
        )
    })
}

/// The calendar in a few words: `start Mon 2027-01-04 (Mon-Fri, 11
/// holidays)`.
pub fn start_and_calendar(run: &Provenance) -> String {
    if let Some(cals) = task_calendars(run) {
        return format!("{} {} ({cals})", axis_start(run), long_date(run.start));
    }
    let hol = match run.calendar.holidays.len() {
        0 => String::new(),
        1 => ", 1 holiday".into(),
        n => format!(", {n} holidays"),
    };
    format!(
        "start {} ({}{hol})",
        long_date(run.start),
        run.calendar.workdays
    )
}

/// Any result as pretty JSON with a final newline.
///
/// # Errors
///
/// [`ExportError::Format`] if serialisation fails.
pub fn pretty_json<T: Serialize + ?Sized>(v: &T) -> Result<Vec<u8>, ExportError> {
    let mut out = serde_json::to_vec_pretty(v).map_err(|e| ExportError::Format {
        format: "json",
        message: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}

/// A CSV file: a header row, then one row per item, every cell made inert
/// (see [`super::inert::csv_cell`]).
///
/// # Errors
///
/// [`ExportError::Format`] if a row cannot be written.
pub fn csv_table<I, R, S>(header: &[&str], rows: I) -> Result<Vec<u8>, ExportError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let fail = |e: csv::Error| ExportError::Format {
        format: "csv",
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    write_csv_record(&mut w, header).map_err(fail)?;
    for row in rows {
        write_csv_record(&mut w, row).map_err(fail)?;
    }
    w.into_inner().map_err(|e| fail(e.into_error().into()))
}

/// Most decimals [`signed_interval`] writes: a thousandth of a day is under
/// a minute of work, finer than any plan's estimates.
pub const INTERVAL_DIGITS: usize = 3;

/// A difference in days (working or calendar, as the run counts them) with
/// its interval: `-2.1 [-2.3, -1.9]`. One decimal, or as many more (up to
/// [`INTERVAL_DIGITS`]) as it takes for an end that differs from the
/// estimate to be written differently: `+4.70 [+4.68, +4.73]`, not `+4.7
/// [+4.7, +4.7]`, which reads as a difference known exactly.
pub fn signed_interval(e: &crate::analysis::IntervalEstimate) -> String {
    match (e.low, e.high) {
        (Some(l), Some(h)) => {
            let differs =
                |end: f64, d: usize| end == e.estimate || signed(end, d) != signed(e.estimate, d);
            let d = (1..=INTERVAL_DIGITS)
                .find(|&d| differs(l, d) && differs(h, d))
                .unwrap_or(INTERVAL_DIGITS);
            format!(
                "{} [{}, {}]",
                signed(e.estimate, d),
                signed(l, d),
                signed(h, d)
            )
        }
        _ => signed(e.estimate, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_days_and_dates() {
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(17), "17 working days");
        let d = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        assert_eq!(long_date(d), "Wed 2027-03-31");
        assert_eq!(short_date(d), "Wed 31 Mar");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(optional(None, 3), "");
        assert_eq!(optional(Some(0.5), 3), "0.500");
    }

    #[test]
    fn percent_never_rounds_away_a_chance() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.125), "12%");
        assert_eq!(percent(0.999), ">99%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn articles_follow_the_spoken_number() {
        assert_eq!(a_percent(0.83), "an 83%");
        assert_eq!(a_percent(0.08), "an 8%");
        assert_eq!(a_percent(0.11), "an 11%");
        assert_eq!(a_percent(0.41), "a 41%");
        assert_eq!(a_percent(0.001), "a <1%");
    }

    #[test]
    fn zero_is_never_negative() {
        // Issue item 8: `-0.000` in drivers.csv, `-0.0` in the tables.
        assert_eq!(fixed(-0.0001, 3), "0.000");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.4, 0), "0");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.05, 1), "-0.1");
        assert_eq!(fixed(-1.0004, 3), "-1.000");
        assert_eq!(fixed(2.25, 1), "2.2");
        assert_eq!(signed(-0.04, 1), "+0.0");
        assert_eq!(signed(-0.0, 0), "+0");
        assert_eq!(signed(-0.06, 1), "-0.1");
        assert_eq!(signed(0.0, 1), "+0.0");
        assert_eq!(signed(3.0, 1), "+3.0");
        assert_eq!(optional(Some(-0.00001), 4), "0.0000");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "round"), "1 round");
        assert_eq!(count(0, "round"), "0 rounds");
        assert_eq!(count(2, "round"), "2 rounds");
        assert_eq!(count(1500, "task"), "1,500 tasks");
    }

    fn estimate(estimate: f64, low: f64, high: f64) -> crate::analysis::IntervalEstimate {
        crate::analysis::IntervalEstimate {
            estimate,
            low: Some(low),
            high: Some(high),
            standard_error: Some(0.01),
        }
    }

    #[test]
    fn intervals_show_the_decimals_that_tell_the_ends_apart() {
        // Issue item 7: `+4.7 [+4.7, +4.7]` looked like a difference known
        // exactly.
        assert_eq!(
            signed_interval(&estimate(-2.06, -2.31, -1.8)),
            "-2.1 [-2.3, -1.8]"
        );
        assert_eq!(
            signed_interval(&estimate(4.7, 4.68, 4.73)),
            "+4.70 [+4.68, +4.73]"
        );
        assert_eq!(
            signed_interval(&estimate(4.7, 4.697, 4.7031)),
            "+4.700 [+4.697, +4.703]"
        );
        // A difference known exactly keeps one decimal.
        assert_eq!(
            signed_interval(&estimate(2.0, 2.0, 2.0)),
            "+2.0 [+2.0, +2.0]"
        );
        // Closer than a thousandth of a day: three decimals at most.
        assert_eq!(
            signed_interval(&estimate(1.0, 0.99999, 1.00001)),
            "+1.000 [+1.000, +1.000]"
        );
        // No negative zero at any precision.
        assert_eq!(
            signed_interval(&estimate(-0.001, -0.03, 0.02)),
            "+0.00 [-0.03, +0.02]"
        );
        let bare = crate::analysis::IntervalEstimate {
            low: None,
            high: None,
            ..estimate(-0.01, 0.0, 0.0)
        };
        assert_eq!(signed_interval(&bare), "+0.0");
    }

    #[test]
    fn csv_cells_are_inert() {
        let bytes = csv_table(&["id", "n"], [["=1+1", "2"]]).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "id,n\n'=1+1,2\n");
    }
}
