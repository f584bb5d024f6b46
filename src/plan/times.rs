//! Times of a plan on task calendars, written as dates: the `not_before`
//! and `finish_not_before` cells of a plan CSV.
//!
//! Such a plan is scheduled on one axis of calendar days from its start
//! (see [`super::Axis`]): time `k` is the start of the `k`-th day after the
//! start date, `k + 1` its end, and `k + f` (`0 < f < 1`) the point of that
//! day where the share `f` of its working time is past, on every calendar
//! that works that day (the axis spreads a day's work evenly over it).
//!
//! A cell is written as:
//!
//! - `2025-05-02`: in `not_before`, the start of that day's work; in
//!   `finish_not_before`, its end. This is what a planner means by "start
//!   no earlier than" and "finish no earlier than" a date.
//! - `2025-05-02+0.25`: a quarter of the way through that day's working
//!   time (in either column), for a time within a day, such as an imported
//!   plan's 09:40 data date on an 08:00-16:00 day (`+0.2083333333333333`).
//!
//! The fraction is written with the fewest digits that read back to the
//! same number, so a written time reads back exactly, and a plan written
//! and read again schedules identically.

use chrono::{Days, NaiveDate};

/// Which end of a day a date alone stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEnd {
    /// The start of the day's work (`not_before`).
    Start,
    /// The end of the day's work (`finish_not_before`).
    Finish,
}

/// Reads a time cell (`2025-05-02` or `2025-05-02+0.25`) as a time of the
/// axis that starts on `start`.
///
/// Returns `None` when the text is not a date, optionally followed by `+`
/// and a fraction in `[0, 1)`.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use slipcast::plan::{DayEnd, parse_time};
/// let start = NaiveDate::from_ymd_opt(2025, 4, 22).unwrap();
/// assert_eq!(parse_time("2025-04-24", start, DayEnd::Start), Some(2.0));
/// assert_eq!(parse_time("2025-04-24", start, DayEnd::Finish), Some(3.0));
/// assert_eq!(parse_time("2025-04-22+0.25", start, DayEnd::Finish), Some(0.25));
/// assert_eq!(parse_time("2025-04-21", start, DayEnd::Start), Some(-1.0));
/// assert_eq!(parse_time("2025-04-22+1.5", start, DayEnd::Start), None);
/// ```
pub fn parse_time(text: &str, start: NaiveDate, end: DayEnd) -> Option<f64> {
    let text = text.trim();
    // A date is 10 characters; the fraction, if any, follows a `+`.
    let (date, fraction) = match text.get(10..) {
        Some("") => (text, None),
        Some(rest) => (text.get(..10)?, Some(rest.strip_prefix('+')?)),
        None => return None,
    };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let day = (date - start).num_days() as f64;
    match fraction {
        None => Some(match end {
            DayEnd::Start => day,
            DayEnd::Finish => day + 1.0,
        }),
        Some(f) if f.trim().starts_with(['+', '-']) => None,
        Some(f) => {
            let f: f64 = f.trim().parse().ok()?;
            (0.0..1.0).contains(&f).then_some(day + f)
        }
    }
}

/// The text of time `t` of the axis that starts on `start`, which
/// [`parse_time`] reads back to exactly `t` when `t >= 0` (a time before
/// the start comes back within rounding).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use slipcast::plan::{DayEnd, time_text};
/// let start = NaiveDate::from_ymd_opt(2025, 4, 22).unwrap();
/// assert_eq!(time_text(2.0, start, DayEnd::Start), "2025-04-24");
/// assert_eq!(time_text(3.0, start, DayEnd::Finish), "2025-04-24");
/// assert_eq!(time_text(0.25, start, DayEnd::Start), "2025-04-22+0.25");
/// ```
pub fn time_text(t: f64, start: NaiveDate, end: DayEnd) -> String {
    let mut whole = t.floor();
    let mut fraction = t - whole;
    if fraction >= 1.0 {
        // A time a hair below a whole day, rounded up by the subtraction.
        whole += 1.0;
        fraction = 0.0;
    }
    let date = |k: f64| {
        let d = if k >= 0.0 {
            start.checked_add_days(Days::new(k as u64))
        } else {
            start.checked_sub_days(Days::new((-k) as u64))
        };
        d.unwrap_or(start).format("%Y-%m-%d").to_string()
    };
    match (fraction == 0.0, end) {
        (true, DayEnd::Start) => date(whole),
        (true, DayEnd::Finish) => date(whole - 1.0),
        (false, _) => format!("{}+{fraction}", date(whole)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 22).unwrap()
    }

    #[test]
    fn times_read_back_exactly() {
        let s = start();
        for t in [
            0.0,
            1.0,
            -3.0,
            0.208_333_333_333_333_34,
            17.1,
            1.0 / 3.0 + 40.0,
            365.999_999,
        ] {
            for end in [DayEnd::Start, DayEnd::Finish] {
                let text = time_text(t, s, end);
                assert_eq!(parse_time(&text, s, end), Some(t), "{t} as {text}");
            }
        }
    }

    #[test]
    fn bad_cells_are_refused() {
        let s = start();
        for bad in [
            "",
            "2025-4-22",
            "2025-04-22+",
            "2025-04-22+1",
            "2025-04-22+-0.5",
            "2025-04-22-0.5",
            "2025-04-22 09:40",
            "2025-02-30",
            "tomorrow",
        ] {
            assert_eq!(parse_time(bad, s, DayEnd::Start), None, "{bad}");
        }
    }
}
