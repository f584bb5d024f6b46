//! How busy each team is over one iteration's schedule: the people a team
//! has at work at every moment of the iteration whose finish is the P50
//! (the team-load chart).
//!
//! The iteration is not stored by the run: its batch of [`LANES`](crate::engine::LANES)
//! iterations is scheduled again with the run's seed, which gives the same
//! bits (see [`super::iteration`]).

use serde::Serialize;

use crate::network::Network;
use crate::plan::{Capacity, Plan};

use super::iteration::{Replayed, iteration_at};

/// People at work per team over one iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLoad {
    /// The iteration shown (0-based, in the run's order).
    pub iteration: u64,
    /// Its project finish, in working days from the start.
    pub finish: f64,
    /// Its last task finish, in working days from the start: the project
    /// finish, or later when the forecast is of a milestone.
    pub end: f64,
    /// Per team (in the teams file's order).
    pub teams: Vec<TeamLoadSeries>,
}

/// One team's people at work over the iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLoadSeries {
    /// The team (or resource pool).
    pub team: String,
    /// Its people (the capacity line).
    pub people: u32,
    /// A step function: from each `(day, busy)` until the next, `busy` of
    /// its people are at work. Starts at day 0 and ends with 0 busy;
    /// consecutive steps differ in `busy`.
    pub steps: Vec<(f64, u32)>,
    /// Most of its people at work at once.
    pub peak: u32,
    /// Share of the iteration (day 0 to [`TeamLoad::end`]) in which all its
    /// people are at work, in `[0, 1]`.
    pub at_capacity: f64,
}

impl TeamLoad {
    /// The iteration to show: among the first `n` of `project` (the run's
    /// project finishes, in iteration order), the lowest-index one whose
    /// finish is their P50 ([`iteration_at`]).
    ///
    /// Cost: one sort of `n` values.
    ///
    /// # Panics
    ///
    /// If `n` is 0 or `project` is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::analysis::TeamLoad;
    /// assert_eq!(TeamLoad::p50_iteration(&[9.0, 4.0, 7.0, 5.0, 7.0], 5), 2);
    /// assert_eq!(TeamLoad::p50_iteration(&[9.0, 4.0, 7.0, 5.0, 7.0], 2), 1);
    /// ```
    pub fn p50_iteration(project: &[f32], n: u64) -> u64 {
        iteration_at(project, n, 0.5)
    }
}

/// The load of `capacity`'s teams in iteration `iteration` of a run of
/// `net` (compiled from `plan` with `capacity`) with `seed`.
///
/// A task of positive duration occupies, from its start until its finish,
/// as many people of each pool it draws on as its demand says; tasks of
/// teams without a row in `capacity` are not counted (they are
/// unconstrained). Times are those [`crate::engine::simulate`] computed for
/// that iteration, bit for bit.
///
/// Cost: one batch of [`LANES`](crate::engine::LANES) iterations, plus a sort of the task
/// starts and finishes per team.
///
/// # Panics
///
/// If `net` was compiled without capacity, or `plan`, `capacity` and `net`
/// do not have the same tasks.
pub fn team_load(
    plan: &Plan,
    capacity: &Capacity,
    net: &Network,
    seed: u64,
    iteration: u64,
) -> TeamLoad {
    assert!(net.has_capacity(), "the network has no team capacity");
    assert!(
        net.len() == plan.tasks.len() && capacity.demands.len() == plan.tasks.len(),
        "the plan, its capacity and its network differ in tasks"
    );
    let Replayed { ws, lane, .. } = Replayed::new(net, seed, iteration);
    let finish = f64::from(ws.project()[lane]);
    // Per pool: (time, change in people at work).
    let mut events: Vec<Vec<(f64, i64)>> = vec![Vec::new(); capacity.pools.len()];
    let mut end = finish;
    for (t, demands) in capacity.demands.iter().enumerate() {
        let pos = net.position(t);
        let (s, f) = (
            f64::from(ws.start(pos)[lane]),
            f64::from(ws.finish(pos)[lane]),
        );
        end = end.max(f);
        // A task of no duration occupies no one.
        if !(f > s && f > 0.0) {
            continue;
        }
        for &(p, k) in demands {
            events[p].push((s.max(0.0), i64::from(k)));
            events[p].push((f, -i64::from(k)));
        }
    }
    let teams = capacity
        .pools
        .iter()
        .zip(events)
        .map(|(pool, events)| series(&pool.name, pool.people, events, end))
        .collect();
    TeamLoad {
        iteration,
        finish,
        end,
        teams,
    }
}

/// The step function of `events` (time, change), its peak and its share of
/// `[0, end]` at `people` or more.
fn series(team: &str, people: u32, mut events: Vec<(f64, i64)>, end: f64) -> TeamLoadSeries {
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut steps: Vec<(f64, u32)> = vec![(0.0, 0)];
    let mut busy = 0i64;
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while i < events.len() && events[i].0 == t {
            busy += events[i].1;
            i += 1;
        }
        let now = u32::try_from(busy).expect("no task finishes before it starts");
        let last = steps.last_mut().expect("steps start at day 0");
        if t <= 0.0 {
            last.1 = now;
        } else if last.1 != now {
            steps.push((t, now));
        }
    }
    let peak = steps.iter().map(|s| s.1).max().unwrap_or(0);
    let full: f64 = steps
        .windows(2)
        .filter(|w| w[0].1 >= people)
        .map(|w| w[1].0 - w[0].0)
        .sum();
    TeamLoadSeries {
        team: team.to_string(),
        people,
        steps,
        peak,
        at_capacity: if end > 0.0 {
            (full / end).clamp(0.0, 1.0)
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_merge_equal_times_and_drop_repeats() {
        // [0, 2) x 2, [2, 4) x 2 (a hand-over at 2), [1, 3) x 1.
        let ev = vec![
            (0.0, 2),
            (2.0, -2),
            (2.0, 2),
            (4.0, -2),
            (1.0, 1),
            (3.0, -1),
        ];
        let s = series("a", 3, ev, 4.0);
        assert_eq!(s.steps, vec![(0.0, 2), (1.0, 3), (3.0, 2), (4.0, 0)]);
        assert_eq!(s.peak, 3);
        assert_eq!(s.at_capacity, 0.5);
        let idle = series("b", 1, Vec::new(), 4.0);
        assert_eq!(
            (idle.steps, idle.peak, idle.at_capacity),
            (vec![(0.0, 0)], 0, 0.0)
        );
    }

    #[test]
    fn the_p50_iteration_is_the_first_at_the_median() {
        let p = [3.0, 1.0, 2.0, 2.0, 5.0];
        assert_eq!(TeamLoad::p50_iteration(&p, 5), 2);
        // Among the first two (3 and 1) the P50 is 1.
        assert_eq!(TeamLoad::p50_iteration(&p, 2), 1);
        assert_eq!(TeamLoad::p50_iteration(&p, 99), 2);
        assert_eq!(TeamLoad::p50_iteration(&[7.0], 1), 0);
    }
}
