//! The range slipcast can answer in: finishes it can place on a date and
//! compute to a fraction of a day. Past it, an answer would be silently
//! wrong (a clamped date, or days rounded by single-precision arithmetic),
//! so it is an error naming the task instead.

use chrono::NaiveDate;
use thiserror::Error;

use crate::engine::Deterministic;
use crate::plan::{Calendar, Plan};

/// The latest finish slipcast computes, in working days after the start
/// (about 380 years of five-day weeks). The engine adds durations in single
/// precision; below this bound a finish is exact to well under a day even
/// after thousands of serial tasks.
pub const MAX_WORKING_DAYS: f64 = 100_000.0;

/// A finish past what slipcast can answer.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum OutOfRange {
    /// More working days than [`MAX_WORKING_DAYS`].
    #[error(
        "task \"{task}\" would finish {days:.0} working days after the start{when}; slipcast \
         computes finishes up to 100,000 working days (about 380 years). Check the durations' \
         units: they are working days"
    )]
    Days {
        /// The task.
        task: String,
        /// Its finish, in working days.
        days: f64,
        /// "" for the planned schedule, or " in some iterations".
        when: &'static str,
    },
    /// A finish past the days the task calendars' tables cover.
    #[error(
        "task \"{task}\" would finish {days:.0} days after the data date{when}; a plan whose \
         tasks keep their own calendars is scheduled up to {limit} days (100 years) out. Check \
         the durations and the calendars (a calendar that works on few days stretches its tasks)"
    )]
    Horizon {
        /// The task.
        task: String,
        /// Its finish, in days from the data date.
        days: f64,
        /// The horizon, in days.
        limit: usize,
        /// "" for the planned schedule, or " in some iterations".
        when: &'static str,
    },
    /// A date past the last one the calendar can show.
    #[error(
        "task \"{task}\" would finish after {last}, the last date slipcast can show \
         (working day {day} from --start {start}{when}). Check --start"
    )]
    Date {
        /// The task.
        task: String,
        /// Its finish's working day.
        day: u64,
        /// The start date.
        start: NaiveDate,
        /// The last date that can be shown.
        last: NaiveDate,
        /// "" for the planned schedule, or ", in some iterations".
        when: &'static str,
    },
}

fn check_one(task: &str, days: f64, cal: &Calendar, sampled: bool) -> Result<(), OutOfRange> {
    if days > MAX_WORKING_DAYS || days.is_nan() {
        return Err(OutOfRange::Days {
            task: task.into(),
            days,
            when: if sampled { " in some iterations" } else { "" },
        });
    }
    let day = Calendar::day_of(days);
    // The calendar answers its sentinel, the largest date, past its range.
    if cal.workday(day) >= NaiveDate::MAX {
        return Err(OutOfRange::Date {
            task: task.into(),
            day,
            start: cal.start(),
            last: NaiveDate::MAX.pred_opt().unwrap_or(NaiveDate::MAX),
            when: if sampled { ", in some iterations" } else { "" },
        });
    }
    Ok(())
}

/// Checks that the planned schedule's finishes, and the latest simulated
/// finish `latest` (working days), are within range.
///
/// Cost: O(tasks) plus one calendar look-up per task.
///
/// # Errors
///
/// [`OutOfRange`] naming the first task (in plan order) past the range; for
/// a simulated finish past it, the task that finishes last in the planned
/// schedule.
pub fn check_range(
    plan: &Plan,
    det: &Deterministic,
    latest: f64,
    cal: &Calendar,
) -> Result<(), OutOfRange> {
    let horizon = |task: &str, days: f64, sampled: bool| {
        if plan.calendars.is_some() && days > crate::plan::HORIZON_DAYS as f64 {
            return Err(OutOfRange::Horizon {
                task: task.into(),
                days,
                limit: crate::plan::HORIZON_DAYS,
                when: if sampled { " in some iterations" } else { "" },
            });
        }
        Ok(())
    };
    for (t, &f) in plan.tasks.iter().zip(&det.finish) {
        horizon(&t.id, f, false)?;
        check_one(&t.id, f, cal, false)?;
    }
    let last = (0..det.finish.len())
        .max_by(|&a, &b| det.finish[a].total_cmp(&det.finish[b]))
        .map_or("", |t| plan.tasks[t].id.as_str());
    horizon(last, latest, true)?;
    check_one(last, latest, cal, true)
}
