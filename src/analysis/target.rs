//! Questions in the user's words: "how likely is this date?" and "what date
//! can we commit to at this confidence?".
//!
//! Both answers use the same rounding as every date slipcast prints, so they
//! agree with each other exactly: the date at confidence `c` is on or before
//! a target if and only if the probability of meeting the target is at least
//! `c` (percentiles are type 1, see [`Sample::quantile`]).

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use crate::plan::{Calendar, DAY_TOLERANCE};

use super::percentiles::{Sample, rank};

/// A date to meet, with the working day it is on the plan's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The date.
    pub date: NaiveDate,
    /// Working days from the start through `date`, inclusive: finishing by
    /// `date` means finishing on or before this working day. 0 when `date`
    /// is before the first working day, which no finish can meet.
    pub working_day: u64,
}

impl Target {
    /// The target `date` on `cal`.
    pub fn new(date: NaiveDate, cal: &Calendar) -> Target {
        Target {
            date,
            working_day: cal.workdays_through(date),
        }
    }

    /// Whether a finish at time `t` (working days from the start) lands on
    /// or before the target date, by the calendar's rounding.
    #[inline]
    pub fn met_by(&self, t: f64) -> bool {
        self.working_day > 0 && t <= self.working_day as f64 + DAY_TOLERANCE
    }

    /// Share of the sample that meets the target.
    pub fn probability(&self, sample: &Sample) -> f64 {
        if self.working_day == 0 {
            0.0
        } else {
            sample.share_by_day(self.working_day)
        }
    }
}

/// A confidence level in percent, in `(0, 100]`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Confidence(f64);

/// Why a confidence level was rejected.
#[derive(Debug, Clone, PartialEq, Error)]
#[error(
    "confidence {0} is out of range; give a percentage above 0 and at most 100, e.g. 80 for P80"
)]
pub struct ConfidenceError(pub f64);

impl Confidence {
    /// A confidence of `percent` (e.g. `80.0` for P80).
    ///
    /// # Errors
    ///
    /// [`ConfidenceError`] unless `0 < percent <= 100` (NaN included).
    pub fn new(percent: f64) -> Result<Confidence, ConfidenceError> {
        if percent > 0.0 && percent <= 100.0 {
            Ok(Confidence(percent))
        } else {
            Err(ConfidenceError(percent))
        }
    }

    /// The percentage, e.g. 80.
    pub fn percent(self) -> f64 {
        self.0
    }

    /// The quantile level, e.g. 0.8.
    pub fn quantile(self) -> f64 {
        self.0 / 100.0
    }

    /// The sample's percentile at this confidence, in working days.
    pub fn of(self, sample: &Sample) -> f64 {
        sample.quantile(self.quantile())
    }

    /// Whether `met` of `n` iterations meeting a target is enough for this
    /// confidence: the same integer rank as [`Sample::quantile`] uses, so no
    /// floating-point comparison of shares is involved.
    pub fn satisfied_by(self, met: u64, n: u64) -> bool {
        met >= rank(self.quantile(), n).max(1)
    }
}

impl fmt::Display for Confidence {
    /// `P80`, or `P82.5` for a fractional level.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}

/// "How likely is this date?"
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetAnswer {
    /// The target date.
    pub date: NaiveDate,
    /// Working days from the start through the target date.
    pub working_day: u64,
    /// Share of iterations finishing on or before the target date.
    pub probability: f64,
}

/// "What date at this confidence?"
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceAnswer {
    /// The confidence asked for, in percent.
    pub percent: f64,
    /// The percentile of the project duration, in working days.
    pub duration: f64,
    /// The finish date: at least `percent`% of iterations finish by it.
    pub finish: NaiveDate,
}

/// The questions a forecast answers beyond its headline percentiles
/// (`--target`, `--confidence`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Questions {
    /// "How likely is this date?"
    pub target: Option<NaiveDate>,
    /// "What date at this confidence?"
    pub confidence: Option<Confidence>,
}

impl Questions {
    /// Answers the questions asked from the project finish of every
    /// iteration.
    ///
    /// Cost: nothing when nothing is asked; otherwise a sort of `project`.
    ///
    /// # Panics
    ///
    /// If a question is asked and `project` is empty.
    pub fn answer(
        &self,
        project: &[f32],
        cal: &Calendar,
    ) -> (Option<TargetAnswer>, Option<ConfidenceAnswer>) {
        if self.target.is_none() && self.confidence.is_none() {
            return (None, None);
        }
        self.answer_sample(&Sample::new(project), cal)
    }

    /// [`Self::answer`] from an already sorted sample.
    pub fn answer_sample(
        &self,
        sample: &Sample,
        cal: &Calendar,
    ) -> (Option<TargetAnswer>, Option<ConfidenceAnswer>) {
        (
            self.target
                .map(|d| answer_target(sample, Target::new(d, cal))),
            self.confidence.map(|c| answer_confidence(sample, cal, c)),
        )
    }
}

/// Answers "how likely is `target`?" from a sample of project finishes.
pub fn answer_target(sample: &Sample, target: Target) -> TargetAnswer {
    TargetAnswer {
        date: target.date,
        working_day: target.working_day,
        probability: target.probability(sample),
    }
}

/// Answers "what date at confidence `c`?" from a sample of project finishes.
pub fn answer_confidence(sample: &Sample, cal: &Calendar, c: Confidence) -> ConfidenceAnswer {
    let duration = c.of(sample);
    ConfidenceAnswer {
        percent: c.percent(),
        duration,
        finish: cal.finish_date(duration),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cal() -> Calendar {
        Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap())
    }

    #[test]
    fn confidence_bounds() {
        for bad in [0.0, -5.0, 100.5, f64::NAN, f64::INFINITY] {
            assert!(Confidence::new(bad).is_err(), "{bad}");
        }
        for ok in [0.1, 50.0, 80.0, 100.0] {
            assert!(Confidence::new(ok).is_ok(), "{ok}");
        }
        assert_eq!(Confidence::new(80.0).unwrap().to_string(), "P80");
        assert_eq!(Confidence::new(82.5).unwrap().to_string(), "P82.5");
    }

    #[test]
    fn target_before_the_first_working_day_is_never_met() {
        // Sat 2027-01-02 is before working day 1 (Mon 2027-01-04).
        let t = Target::new(NaiveDate::from_ymd_opt(2027, 1, 2).unwrap(), &cal());
        assert_eq!(t.working_day, 0);
        assert!(!t.met_by(0.0));
        assert_eq!(t.probability(&Sample::new(&[0.0, 0.0])), 0.0);
    }

    #[test]
    fn weekend_target_counts_the_friday() {
        // Sun 2027-01-10: working days 1..5 are Mon 4 .. Fri 8.
        let t = Target::new(NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(), &cal());
        assert_eq!(t.working_day, 5);
        assert!(t.met_by(5.0) && t.met_by(5.0001) && !t.met_by(5.01));
    }

    proptest! {
        /// The two answers agree exactly: the date at confidence c is on or
        /// before the target iff the probability of the target is at least c.
        #[test]
        fn answers_agree(
            v in proptest::collection::vec(0f32..60.0, 1..200),
            day in 0u64..70,
            c in 1u32..=100,
        ) {
            let cal = cal();
            let s = Sample::new(&v);
            let t = Target::new(cal.workday(day.max(1)), &cal);
            let t = if day == 0 { Target { working_day: 0, ..t } } else { t };
            let c = Confidence::new(f64::from(c)).unwrap();
            let date = answer_confidence(&s, &cal, c).finish;
            let met = v.iter().filter(|&&x| t.met_by(f64::from(x))).count() as u64;
            let by_date = t.working_day > 0 && date <= cal.workday(t.working_day);
            prop_assert_eq!(by_date, c.satisfied_by(met, v.len() as u64));
            prop_assert_eq!(met as f64 / v.len() as f64, t.probability(&s));
        }
    }
}
