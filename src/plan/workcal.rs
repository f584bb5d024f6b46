//! Working calendars of tasks: which dates a task works on, and how many
//! hours make one of its working days.
//!
//! A plan whose tasks run on different calendars (imported from P6, or given
//! a `calendar` column) is scheduled on one time axis of calendar days from
//! the start; each task converts that axis to its own working time (see
//! [`super::Axis`]). A plan without task calendars keeps the run calendar's
//! working days as its axis.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

/// A named working calendar: worked weekdays, hours per working day, and
/// exceptions (dates worked or not, whatever the weekday says).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkCalendar {
    /// The name users see (`Standard 5 day`, `7-day`).
    pub name: String,
    /// Worked weekdays, Monday first.
    pub workdays: [bool; 7],
    /// Hours in one working day: durations and lags given in hours are
    /// divided by this to give working days of this calendar.
    pub hours_per_day: f64,
    /// Dates that differ from the week: `true` worked, `false` not.
    pub exceptions: BTreeMap<NaiveDate, bool>,
}

impl WorkCalendar {
    /// A calendar working on `workdays` (Monday first), `hours_per_day`
    /// hours a day, without exceptions.
    pub fn new(name: impl Into<String>, workdays: [bool; 7], hours_per_day: f64) -> WorkCalendar {
        WorkCalendar {
            name: name.into(),
            workdays,
            hours_per_day,
            exceptions: BTreeMap::new(),
        }
    }

    /// Whether `d` is worked.
    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.exceptions
            .get(&d)
            .copied()
            .unwrap_or(self.workdays[d.weekday().num_days_from_monday() as usize])
    }

    /// Whether any date can be worked (some weekday, or an exception).
    pub fn works_at_all(&self) -> bool {
        self.workdays.iter().any(|&w| w) || self.exceptions.values().any(|&w| w)
    }
}

/// Which calendar a link's lag counts working time on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LagCalendar {
    /// The predecessor's calendar.
    Predecessor,
    /// The successor's calendar (P6's default).
    #[default]
    Successor,
    /// Every hour counts (lags in elapsed time).
    TwentyFourHour,
    /// The plan's default calendar.
    Default,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_override_the_week() {
        let mut c = WorkCalendar::new("5d", crate::plan::WEEKDAYS, 8.0);
        let sat = NaiveDate::from_ymd_opt(2027, 1, 9).unwrap();
        let mon = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
        assert!(!c.is_working(sat));
        assert!(c.is_working(mon));
        c.exceptions.insert(sat, true);
        c.exceptions.insert(mon, false);
        assert!(c.is_working(sat));
        assert!(!c.is_working(mon));
        assert!(c.works_at_all());
        let never = WorkCalendar::new("none", [false; 7], 8.0);
        assert!(!never.works_at_all());
    }
}
