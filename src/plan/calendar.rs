//! Working-day calendars: which days count, and how elapsed working time maps
//! to dates.
//!
//! Time in the simulation is working days elapsed since the start. The start
//! date (or the first working day on or after it) is working day 1. A task
//! that ends at time `t > 0` finishes on working day `ceil(t)`; a milestone at
//! time `t` is shown on working day `max(1, ceil(t))`. Times within
//! [`DAY_TOLERANCE`] of a whole day count as that day, so the rounding error
//! of adding up decimal durations never pushes a finish onto the next day.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use thiserror::Error;

use super::TextEncoding;
use super::error::{LoadError, Problem, ProblemKind};
use super::records::Records;

/// Finish times within this many working days above a whole day count as
/// that day (about 9 seconds of an 8-hour day).
pub const DAY_TOLERANCE: f64 = 3e-4;

/// Why a calendar or a workday set cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// [`Calendar::new`] was given no worked weekday.
    #[error("the calendar has no working weekday; give at least one, e.g. --workdays Mon-Fri")]
    NoWorkingWeekday,
    /// A part of a workday set (`Mon-Funday`) is not a weekday.
    #[error("\"{part}\" is not a weekday; write e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu")]
    NotAWeekday {
        /// The part, trimmed, e.g. `Funday`.
        part: String,
    },
    /// A workday set (such as `,`) names no day at all.
    #[error("\"{text}\" names no working weekday; write e.g. Mon-Fri")]
    NoWeekdayNamed {
        /// The set as written.
        text: String,
    },
}

/// Which weekdays are worked, and which dates are holidays.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    start: NaiveDate,
    /// Worked weekdays, Monday first.
    workdays: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Working dates in order: `days[k]` is working day `k + 1`.
    days: Vec<NaiveDate>,
}

/// Working days precomputed when a calendar is built (about 40 years); later
/// days are found by walking on from the last one.
const PRECOMPUTED: usize = 10_000;

impl Calendar {
    /// A calendar starting at `start`, working on `workdays` (Monday first),
    /// skipping `holidays`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingWeekday`] when no weekday is worked.
    pub fn new(
        start: NaiveDate,
        workdays: [bool; 7],
        holidays: BTreeSet<NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        if !workdays.iter().any(|&w| w) {
            return Err(CalendarError::NoWorkingWeekday);
        }
        let mut cal = Calendar {
            start,
            workdays,
            holidays,
            days: Vec::new(),
        };
        let mut d = start;
        let mut days = Vec::with_capacity(PRECOMPUTED);
        while days.len() < PRECOMPUTED {
            if cal.is_working(d) {
                days.push(d);
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        cal.days = days;
        Ok(cal)
    }

    /// The same working week and holidays from another start: working day
    /// `n` of the result is working day `n + k` of `self`, where `k` is the
    /// number of working days of `self` before `start`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use slipcast::plan::Calendar;
    /// let d = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
    /// let later = Calendar::weekdays(d(1, 4)).starting(d(1, 11));
    /// assert_eq!(later.workday(1), d(1, 11));
    /// ```
    pub fn starting(&self, start: NaiveDate) -> Calendar {
        Calendar::new(start, self.workdays, self.holidays.clone())
            .expect("the calendar has a working weekday")
    }

    /// A Monday-to-Friday calendar without holidays.
    pub fn weekdays(start: NaiveDate) -> Calendar {
        Calendar::new(start, WEEKDAYS, BTreeSet::new()).expect("Mon-Fri has working days")
    }

    /// The date given as the start (working day 1 is the first working day on
    /// or after it).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The holidays skipped.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The worked weekdays in words, Monday first, e.g. `Mon-Fri` or
    /// `Mon,Tue,Wed,Thu,Sun`.
    pub fn workdays_text(&self) -> String {
        if self.workdays == WEEKDAYS {
            return "Mon-Fri".into();
        }
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        names
            .iter()
            .zip(self.workdays)
            .filter(|&(_, w)| w)
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether `d` is a working day.
    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.workdays[d.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&d)
    }

    /// The date of working day `n` (`n >= 1`; 0 is read as 1).
    pub fn workday(&self, n: u64) -> NaiveDate {
        let k = n.max(1) as usize - 1;
        if let Some(&d) = self.days.get(k) {
            return d;
        }
        let mut d = *self.days.last().unwrap_or(&self.start);
        let mut left = (k + 1 - self.days.len()) as u64;
        // Whole weeks at once where no holiday lies ahead.
        let per_week = self.workdays.iter().filter(|&&w| w).count() as u64;
        if self.holidays.range(d..).next().is_none() && left > per_week {
            let weeks = (left - 1) / per_week;
            match d.checked_add_days(chrono::Days::new(weeks * 7)) {
                Some(nd) => {
                    d = nd;
                    left -= weeks * per_week;
                }
                None => return NaiveDate::MAX,
            }
        }
        while left > 0 {
            match d.succ_opt() {
                Some(n) => d = n,
                None => return NaiveDate::MAX,
            }
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// The working day (1-based) on which a finish at time `t` falls.
    pub fn day_of(t: f64) -> u64 {
        let c = (t - DAY_TOLERANCE).ceil();
        if c.is_nan() || c < 1.0 { 1 } else { c as u64 }
    }

    /// The date on which something that ends at time `t` (working days
    /// elapsed) falls.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use slipcast::plan::Calendar;
    /// let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    /// assert_eq!(cal.finish_date(5.0).to_string(), "2027-01-08");
    /// assert_eq!(cal.finish_date(5.5).to_string(), "2027-01-11");
    /// ```
    pub fn finish_date(&self, t: f64) -> NaiveDate {
        self.workday(Calendar::day_of(t))
    }

    /// The number of working days from the start through `date` inclusive:
    /// finishing by `date` means finishing at a time `<= ` this.
    pub fn workdays_through(&self, date: NaiveDate) -> u64 {
        let n = self.days.partition_point(|&d| d <= date);
        if n < self.days.len() {
            return n as u64;
        }
        let mut count = n as u64;
        let mut d = *self.days.last().unwrap_or(&self.start);
        while d < date {
            d = d.succ_opt().unwrap_or(date);
            if self.is_working(d) && d <= date {
                count += 1;
            }
        }
        count
    }
}

/// Monday to Friday.
pub const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

/// Parses a workday set: `Mon-Fri`, `Sun-Thu`, `Mon,Tue,Thu`, `mon-fri,sun`.
///
/// # Errors
///
/// [`CalendarError::NotAWeekday`] naming the part that is not a weekday;
/// [`CalendarError::NoWeekdayNamed`] when the set names no day.
pub fn parse_workdays(text: &str) -> Result<[bool; 7], CalendarError> {
    let day = |s: &str| -> Result<usize, CalendarError> {
        s.trim()
            .parse::<Weekday>()
            .map(|w| w.num_days_from_monday() as usize)
            .map_err(|_| CalendarError::NotAWeekday {
                part: s.trim().to_string(),
            })
    };
    let mut set = [false; 7];
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut k = a;
                loop {
                    set[k] = true;
                    if k == b {
                        break;
                    }
                    k = (k + 1) % 7;
                }
            }
            None => set[day(part)?] = true,
        }
    }
    if !set.iter().any(|&w| w) {
        return Err(CalendarError::NoWeekdayNamed {
            text: text.to_string(),
        });
    }
    Ok(set)
}

/// Reads a UTF-8 holidays CSV: a `date` column of ISO dates (other columns,
/// such as a name, are ignored; without a `date` column, a `holiday`
/// column), or a file of bare dates, one per line, with no header.
///
/// # Errors
///
/// [`LoadError`] naming the file and line of every date that cannot be read.
pub fn load_holidays(path: &Path) -> Result<BTreeSet<NaiveDate>, LoadError> {
    load_holidays_with(path, TextEncoding::UTF_8)
}

/// [`load_holidays`] with the file read in `encoding` (a byte order mark
/// wins).
///
/// # Errors
///
/// As [`load_holidays`].
pub fn load_holidays_with(
    path: &Path,
    encoding: TextEncoding,
) -> Result<BTreeSet<NaiveDate>, LoadError> {
    const WHAT: &str = "the holidays file";
    let file = path.display().to_string();
    let text = encoding.read(path, Some(WHAT))?;
    let invalid = |problems| LoadError::InvalidInput {
        what: WHAT,
        problems,
    };
    let mut records = Records::new(&file, &text).map_err(|p| invalid(vec![*p]))?;
    let problem = |line: Option<u64>, kind| Problem {
        file: file.clone(),
        line,
        task: None,
        kind,
    };
    let parse = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    let mut out = BTreeSet::new();
    // A file of bare dates has no header: its first line is a holiday too.
    let bare = records.headers().iter().position(|h| parse(h).is_some());
    if let Some(col) = bare
        && let Some(d) = records.headers().get(col).and_then(parse)
    {
        out.insert(d);
    }
    // `date` wins over other date-like columns (a `holiday` column may
    // hold the holiday's name).
    let named = || {
        records
            .column(&["date"])
            .or_else(|| records.column(&["holiday"]))
    };
    let Some(col) = bare.or_else(named) else {
        return Err(invalid(vec![problem(
            Some(records.header_line()),
            ProblemKind::MissingColumn {
                column: "date".into(),
                aliases: "date, holiday; or no header, one date per line".into(),
            },
        )]));
    };
    let mut problems = Vec::new();
    while let Some((line, rec)) = records.next_reporting(&mut problems) {
        let line = Some(line);
        let v = rec.get(col).unwrap_or("");
        if v.is_empty() {
            continue;
        }
        match parse(v) {
            Some(d) => {
                out.insert(d);
            }
            None => problems.push(problem(
                line,
                ProblemKind::BadDate {
                    column: "date".into(),
                    value: v.into(),
                },
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn design_example() {
        // the README: start Mon 2027-01-04, A fixed 5 then B fixed 3, holiday
        // 2027-01-11: A ends Fri 2027-01-08, B ends Thu 2027-01-14.
        let cal = Calendar::new(d("2027-01-04"), WEEKDAYS, [d("2027-01-11")].into()).unwrap();
        assert_eq!(cal.finish_date(5.0), d("2027-01-08"));
        assert_eq!(cal.finish_date(8.0), d("2027-01-14"));
        assert_eq!(cal.finish_date(0.0), d("2027-01-04"));
        assert_eq!(cal.finish_date(0.2), d("2027-01-04"));
        assert_eq!(cal.finish_date(5.0000001), d("2027-01-08"));
        assert_eq!(cal.finish_date(5.01), d("2027-01-11").succ_opt().unwrap());
        assert_eq!(cal.workdays_through(d("2027-01-08")), 5);
        assert_eq!(cal.workdays_through(d("2027-01-11")), 5);
        assert_eq!(cal.workdays_through(d("2027-01-03")), 0);
    }

    #[test]
    fn weekend_start_and_far_dates() {
        let cal = Calendar::weekdays(d("2027-01-02")); // a Saturday
        assert_eq!(cal.workday(1), d("2027-01-04"));
        // Far beyond the precomputed table: 52 weeks per 260 days.
        let far = cal.workday(PRECOMPUTED as u64 + 260);
        assert_eq!(
            far,
            cal.workday(PRECOMPUTED as u64) + chrono::Duration::weeks(52)
        );
        assert_eq!(cal.workdays_through(far), PRECOMPUTED as u64 + 260);
    }

    #[test]
    fn workday_sets() {
        assert_eq!(parse_workdays("Mon-Fri").unwrap(), WEEKDAYS);
        assert_eq!(
            parse_workdays("Sun-Thu").unwrap(),
            [true, true, true, true, false, false, true]
        );
        assert_eq!(
            parse_workdays("mon,wed, fri").unwrap(),
            [true, false, true, false, true, false, false]
        );
        let err = parse_workdays("Mon-Funday").unwrap_err();
        assert_eq!(
            err,
            CalendarError::NotAWeekday {
                part: "Funday".into()
            }
        );
        assert!(err.to_string().contains("Funday"));
    }

    #[test]
    fn calendar_errors_name_the_fix() {
        // The messages are the CLI's `--workdays` errors: keep their wording.
        let none = Calendar::new(d("2027-01-04"), [false; 7], BTreeSet::new()).unwrap_err();
        assert_eq!(none, CalendarError::NoWorkingWeekday);
        assert!(none.to_string().contains("e.g. --workdays Mon-Fri"));
        let cases = [
            (
                " Sat , Funday",
                "\"Funday\" is not a weekday; write e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu",
            ),
            (",", "\",\" names no working weekday; write e.g. Mon-Fri"),
        ];
        for (text, message) in cases {
            assert_eq!(
                parse_workdays(text).unwrap_err().to_string(),
                message,
                "{text:?}"
            );
        }
    }
}
