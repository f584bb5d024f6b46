//! One time axis for tasks on different calendars.
//!
//! A plan whose tasks run on their own calendars is scheduled in calendar
//! days from the start (day `k` is `start + k`; `t = k + 0.5` is the middle
//! of that day). Each calendar has two tables over the axis:
//!
//! - `cum[k]`: its working days before day `k`, so that the working time
//!   done by `t` is `cum[k] + (cum[k + 1] - cum[k]) * (t - k)`, where
//!   `cum[k + 1] - cum[k]` is 1 on a working day and 0 otherwise (both are
//!   kept in one word, so that this is one look-up);
//! - `nth[j]`: the day of its working day `j` (0-based), so that working time
//!   `w` ends at `nth[ceil(w) - 1] + (w - ceil(w) + 1)` and begins at
//!   `nth[floor(w)] + (w - floor(w))`.
//!
//! A task converts its earliest start to its own working time, adds its
//! duration there, and converts back: two table look-ups per task, whatever
//! the weekends and holidays in between. The engine saves even those where
//! a task's links come from tasks on its own calendar: it keeps every
//! task's working start and finish, and follows such links in working time. A working day counts as one unit,
//! spread evenly over the day; hours are turned into working days by each
//! calendar's hours per day before the tables are used.

use chrono::{Days, NaiveDate};

use super::WorkCalendar;

/// Days the tables cover: a hundred years from the start. A finish past it
/// is beyond what slipcast answers (see `analysis::check_range`).
pub const HORIZON_DAYS: usize = 36_600;

/// Entries of each table: one per day of the horizon, and one more.
pub(crate) const ENTRIES: usize = HORIZON_DAYS + 1;

/// The conversion tables of every calendar of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    start: NaiveDate,
    /// Per calendar, [`ENTRIES`] entries: working days before each day,
    /// times two, plus one when the day is worked.
    cum: Vec<u32>,
    /// Per calendar, [`ENTRIES`] entries: the day of each working day,
    /// continued past the horizon a day per working day.
    nth: Vec<f32>,
}

/// One calendar's tables, fixed-size so that the look-ups of the engine's
/// lane loops need no bounds checks.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    cum: &'a [u32; ENTRIES],
    nth: &'a [f32; ENTRIES],
}

impl Axis {
    /// The tables of `calendars` from `start`.
    ///
    /// Cost: O(calendars x [`HORIZON_DAYS`]) time and memory (about 0.3 MB
    /// per calendar).
    pub fn new(start: NaiveDate, calendars: &[WorkCalendar]) -> Axis {
        let mut cum = Vec::with_capacity(calendars.len() * ENTRIES);
        let mut nth = Vec::with_capacity(calendars.len() * ENTRIES);
        for c in calendars {
            let first = nth.len();
            let mut worked = 0u32;
            for k in 0..HORIZON_DAYS {
                let day = start.checked_add_days(Days::new(k as u64));
                let working = day.is_some_and(|d| c.is_working(d));
                cum.push(worked << 1 | u32::from(working));
                if working {
                    nth.push(k as f32);
                    worked += 1;
                }
            }
            cum.push(worked << 1);
            let found = nth.len() - first;
            nth.extend((found..ENTRIES).map(|j| (HORIZON_DAYS + j - found) as f32));
        }
        Axis { start, cum, nth }
    }

    /// Day 0 of the axis.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Number of calendars.
    pub fn len(&self) -> usize {
        self.cum.len() / ENTRIES
    }

    /// Whether there are no calendars.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tables of calendar `c`.
    ///
    /// # Panics
    ///
    /// If there is no calendar `c`.
    #[inline(always)]
    pub fn table(&self, c: usize) -> Table<'_> {
        let at = c * ENTRIES..(c + 1) * ENTRIES;
        Table {
            cum: self.cum[at.clone()].try_into().expect("ENTRIES long"),
            nth: self.nth[at].try_into().expect("ENTRIES long"),
        }
    }

    /// Working time of calendar `c` done by time `t` (days on the axis).
    #[inline(always)]
    pub fn work(&self, c: usize, t: f32) -> f32 {
        self.table(c).work(t)
    }

    /// The earliest time at which calendar `c` has done working time `w`:
    /// the end of a working day when `w` is whole (0 for `w <= 0`).
    #[inline(always)]
    pub fn finish(&self, c: usize, w: f32) -> f32 {
        self.table(c).finish(w)
    }

    /// The time at which working time `w` of calendar `c` begins: the start
    /// of the next working day when `w` is whole.
    #[inline(always)]
    pub fn begin(&self, c: usize, w: f32) -> f32 {
        self.table(c).begin(w)
    }
}

impl<'a> Table<'a> {
    /// The raw tables, for the engine's vector form of these conversions
    /// (`engine::convert`): per day, the working days before it times two
    /// plus whether it is worked; per working day, its day.
    #[inline(always)]
    pub(crate) fn raw(self) -> (&'a [u32; ENTRIES], &'a [f32; ENTRIES]) {
        (self.cum, self.nth)
    }

    /// Working time done by time `t`; past the horizon, as on its last day.
    #[inline(always)]
    pub fn work(self, t: f32) -> f32 {
        let t = t.max(0.0).min(HORIZON_DAYS as f32 - 0.5);
        let k = index(t);
        // `t < HORIZON_DAYS`, so `k < HORIZON_DAYS`: the day's entry holds
        // the working days before it and whether it is worked.
        let v = self.cum[k];
        (v >> 1) as f32 + (v & 1) as f32 * (t - k as f32)
    }

    /// The earliest time with working time `w` done (0 for `w <= 0`).
    #[inline(always)]
    pub fn finish(self, w: f32) -> f32 {
        let j = (w.ceil() - 1.0).max(0.0).min(HORIZON_DAYS as f32);
        let t = self.nth[index(j)] + (w - j);
        if w <= 0.0 { 0.0 } else { t }
    }

    /// The time working time `w` begins.
    #[inline(always)]
    pub fn begin(self, w: f32) -> f32 {
        let j = w.floor().max(0.0).min(HORIZON_DAYS as f32);
        self.nth[index(j)] + (w.max(0.0) - j)
    }
}

/// The table index of `x`, a number in `0..=HORIZON_DAYS` (callers bound
/// it with `max(0.0).min(..)`, which also maps NaN to 0): its integer part.
#[inline(always)]
fn index(x: f32) -> usize {
    debug_assert!((0.0..=HORIZON_DAYS as f32).contains(&x));
    // SAFETY: `x` is finite and within `0..=HORIZON_DAYS` (see above), so
    // its integer part fits a u32; the saturating `as` would only add
    // range checks to every look-up of the engine's lane loops.
    let i = unsafe { x.to_int_unchecked::<u32>() } as usize;
    i.min(HORIZON_DAYS)
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
