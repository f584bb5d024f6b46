//! One time axis for tasks on different calendars.
//!
//! A plan whose tasks run on their own calendars is scheduled in calendar
//! days from the start (day `k` is `start + k`; `t = k + 0.5` is the middle
//! of that day). Each calendar has two tables over the axis:
//!
//! - `cum[k]`: its working days before day `k`, so that the working time
//!   done by `t` is `cum[k] + (cum[k + 1] - cum[k]) * (t - k)`;
//! - `nth[j]`: the day of its working day `j` (0-based), so that working time
//!   `w` ends at `nth[ceil(w) - 1] + (w - ceil(w) + 1)` and begins at
//!   `nth[floor(w)] + (w - floor(w))`.
//!
//! A task converts its earliest start to its own working time, adds its
//! duration there, and converts back: two table look-ups per task, whatever
//! the weekends and holidays in between. A working day counts as one unit,
//! spread evenly over the day; hours are turned into working days by each
//! calendar's hours per day before the tables are used.

use chrono::{Days, NaiveDate};

use super::WorkCalendar;

/// Days the tables cover: a hundred years from the start. A finish past it
/// is beyond what slipcast answers (see `analysis::check_range`).
pub const HORIZON_DAYS: usize = 36_600;

/// The conversion tables of every calendar of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    start: NaiveDate,
    /// Per calendar, `HORIZON_DAYS + 1` entries.
    cum: Vec<f32>,
    /// Per calendar, its working days within the horizon.
    nth: Vec<f32>,
    /// Where each calendar's `nth` begins (one more entry than calendars).
    nth_at: Vec<usize>,
}

impl Axis {
    /// The tables of `calendars` from `start`.
    ///
    /// Cost: O(calendars x [`HORIZON_DAYS`]) time and memory (about 0.3 MB
    /// per calendar).
    pub fn new(start: NaiveDate, calendars: &[WorkCalendar]) -> Axis {
        let mut cum = Vec::with_capacity(calendars.len() * (HORIZON_DAYS + 1));
        let mut nth = Vec::new();
        let mut nth_at = vec![0];
        for c in calendars {
            let mut worked = 0u32;
            for k in 0..HORIZON_DAYS {
                cum.push(worked as f32);
                let day = start.checked_add_days(Days::new(k as u64));
                if day.is_some_and(|d| c.is_working(d)) {
                    nth.push(k as f32);
                    worked += 1;
                }
            }
            cum.push(worked as f32);
            nth_at.push(nth.len());
        }
        Axis {
            start,
            cum,
            nth,
            nth_at,
        }
    }

    /// Day 0 of the axis.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Number of calendars.
    pub fn len(&self) -> usize {
        self.nth_at.len() - 1
    }

    /// Whether there are no calendars.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Working time of calendar `c` done by time `t` (days on the axis).
    #[inline(always)]
    pub fn work(&self, c: usize, t: f32) -> f32 {
        let t = t.max(0.0);
        let k = (t as usize).min(HORIZON_DAYS - 1);
        let row = &self.cum[c * (HORIZON_DAYS + 1)..(c + 1) * (HORIZON_DAYS + 1)];
        let (a, b) = (row[k], row[k + 1]);
        a + (b - a) * (t - k as f32)
    }

    /// The earliest time at which calendar `c` has done working time `w`:
    /// the end of a working day when `w` is whole (0 for `w <= 0`).
    #[inline(always)]
    pub fn finish(&self, c: usize, w: f32) -> f32 {
        if w <= 0.0 {
            return 0.0;
        }
        let j = w.ceil() - 1.0;
        self.day(c, j) + (w - j)
    }

    /// The time at which working time `w` of calendar `c` begins: the start
    /// of the next working day when `w` is whole.
    #[inline(always)]
    pub fn begin(&self, c: usize, w: f32) -> f32 {
        let w = w.max(0.0);
        let j = w.floor();
        self.day(c, j) + (w - j)
    }

    /// The axis day of working day `j` (0-based) of calendar `c`; past the
    /// horizon, a day per working day after it.
    #[inline(always)]
    fn day(&self, c: usize, j: f32) -> f32 {
        let days = &self.nth[self.nth_at[c]..self.nth_at[c + 1]];
        match days.get(j as usize) {
            Some(&d) => d,
            None => HORIZON_DAYS as f32 + (j - days.len() as f32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::WEEKDAYS;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Monday 2027-01-04 is day 0; a Mon-Fri calendar and a 7-day one.
    fn axis() -> Axis {
        let five = WorkCalendar::new("5d", WEEKDAYS, 8.0);
        let seven = WorkCalendar::new("7d", [true; 7], 8.0);
        Axis::new(date("2027-01-04"), &[five, seven])
    }

    #[test]
    fn five_days_of_work_end_on_friday_and_resume_on_monday() {
        let a = axis();
        // 5 working days from Monday morning end at the end of Friday
        // (day 4, so t = 5.0), and the sixth begins on Monday (day 7).
        assert_eq!(a.finish(0, 5.0), 5.0);
        assert_eq!(a.begin(0, 5.0), 7.0);
        assert_eq!(a.finish(0, 6.0), 8.0);
        // The weekend does no work on the 5-day calendar, all on the 7-day.
        assert_eq!(a.work(0, 5.0), 5.0);
        assert_eq!(a.work(0, 6.5), 5.0);
        assert_eq!(a.work(0, 7.5), 5.5);
        assert_eq!(a.work(1, 6.5), 6.5);
        assert_eq!(a.finish(1, 6.5), 6.5);
        assert_eq!(a.finish(0, 0.0), 0.0);
        assert_eq!(a.begin(0, 0.0), 0.0);
    }

    #[test]
    fn exceptions_move_the_tables() {
        let mut five = WorkCalendar::new("5d", WEEKDAYS, 8.0);
        five.exceptions.insert(date("2027-01-05"), false); // a Tuesday off
        five.exceptions.insert(date("2027-01-09"), true); // a Saturday on
        let a = Axis::new(date("2027-01-04"), &[five]);
        assert_eq!(a.finish(0, 2.0), 3.0); // Mon, Wed
        assert_eq!(a.finish(0, 5.0), 6.0); // Mon, Wed, Thu, Fri, Sat
        assert_eq!(a.begin(0, 5.0), 7.0); // then Monday
        assert_eq!(a.len(), 1);
    }
}
