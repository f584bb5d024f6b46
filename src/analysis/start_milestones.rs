//! The dates of start milestones on a plan with task calendars.
//!
//! Times on such a plan's axis count calendar days from its start: `t = k`
//! is midnight between day `k - 1` and day `k`. A time is dated as a finish
//! ([`crate::plan::Calendar::day_of`]): `t = k` is the end of day `k - 1`,
//! which is right for work that stops there. A start milestone, though, is
//! placed where work *resumes*: at the start of a working day, `t = k`,
//! which P6 dates on day `k` (at 08:00). Dated as a finish it would show the
//! day before: a Friday for a Monday-morning milestone.
//!
//! So start milestones are dated by [`start_day`]. The engine counts every
//! task's finish day as a finish, and its histogram cannot tell a milestone
//! at the start of day `k` (dated `k`) from one in the middle of day `k - 1`
//! (dated `k - 1`): both land on day number `k`. The per-task dates of start
//! milestones are therefore counted again here from their times, in one more
//! pass over the iterations the per-task dates use, regenerated from the
//! seed (bit for bit the simulation's, as every draw is).

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::engine::rng::Software;
use crate::engine::{CHUNK, LANES, Workspace};
use crate::network::Network;
use crate::plan::{DAY_TOLERANCE, Plan};

use super::percentiles::rank;

/// The day number (1-based: day 1 is the axis start) of a start milestone
/// at time `t`: the day whose start it is, or that holds it. Times within
/// [`DAY_TOLERANCE`] of a whole day count as that day's start.
///
/// # Examples
///
/// ```
/// use slipcast::analysis::start_day;
/// assert_eq!(start_day(0.0), 1);
/// assert_eq!(start_day(3.0), 4); // the start of day 3 (0-based)
/// assert_eq!(start_day(2.9999), 4);
/// assert_eq!(start_day(3.5), 4); // in the middle of it
/// ```
pub fn start_day(t: f64) -> u64 {
    let d = (t + DAY_TOLERANCE).floor();
    if d.is_nan() || d < 0.0 {
        1
    } else {
        d as u64 + 1
    }
}

/// Whether task `t` of `plan` is a start milestone dated by [`start_day`]
/// (only plans with task calendars place them apart from finishes).
pub fn is_start_milestone(plan: &Plan, t: usize) -> bool {
    plan.calendars.is_some() && plan.tasks[t].at_start
}

/// Per plan task, for the start milestones only, the day numbers
/// ([`start_day`]) by which each share in `levels` of the first
/// `iterations` iterations has it (type-1 quantiles, as
/// [`super::task_percentiles`]); `None` for every other task.
///
/// Cost: nothing without start milestones; otherwise one schedule of
/// `iterations` iterations (in parallel), and memory per start milestone
/// for the days it falls on.
pub fn start_milestone_days(
    plan: &Plan,
    net: &Network,
    seed: u64,
    iterations: u64,
    levels: &[f64],
) -> Vec<Option<Vec<u64>>> {
    let mut out = vec![None; plan.tasks.len()];
    let tasks: Vec<usize> = (0..plan.tasks.len())
        .filter(|&t| is_start_milestone(plan, t))
        .collect();
    if tasks.is_empty() || iterations == 0 {
        return out;
    }
    let positions: Vec<usize> = tasks.iter().map(|&t| net.position(t)).collect();
    let n = iterations as usize;
    let counted = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let mut ws = Workspace::new(net, seed);
            let mut days = vec![BTreeMap::<u64, u64>::new(); positions.len()];
            let end = ((k + 1) * CHUNK).min(n);
            for first in (k * CHUNK..end).step_by(LANES) {
                ws.run::<Software>(net, first as u64);
                let valid = (end - first).min(LANES);
                for (d, &pos) in days.iter_mut().zip(&positions) {
                    for &t in &ws.finish(pos)[..valid] {
                        *d.entry(start_day(f64::from(t))).or_default() += 1;
                    }
                }
            }
            days
        })
        .reduce(
            || vec![BTreeMap::new(); positions.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    for (day, c) in y {
                        *x.entry(day).or_default() += c;
                    }
                }
                a
            },
        );
    for (&t, days) in tasks.iter().zip(&counted) {
        out[t] = Some(levels.iter().map(|&q| quantile(days, q)).collect());
    }
    out
}

/// The type-1 `q` quantile of days counted in `days`: the first day by
/// which `ceil(q n)` of them are.
fn quantile(days: &BTreeMap<u64, u64>, q: f64) -> u64 {
    let need = rank(q, days.values().sum()).max(1);
    let mut cum = 0;
    for (&day, &c) in days {
        cum += c;
        if cum >= need {
            return day;
        }
    }
    days.keys().next_back().copied().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_days_and_quantiles() {
        assert_eq!(start_day(-0.5), 1);
        assert_eq!(start_day(f64::NAN), 1);
        assert_eq!(start_day(7.0), 8);
        assert_eq!(start_day(7.9), 8);
        let days = BTreeMap::from([(3, 2), (5, 6), (9, 2)]);
        assert_eq!(quantile(&days, 0.1), 3);
        assert_eq!(quantile(&days, 0.2), 3);
        assert_eq!(quantile(&days, 0.5), 5);
        assert_eq!(quantile(&days, 0.8), 5);
        assert_eq!(quantile(&days, 0.9), 9);
    }
}
