//! How busy each team is over one iteration's schedule: the people a team
//! has at work at every moment of the iteration whose finish is the P50
//! (the team-load chart).

use serde::Serialize;

use crate::network::Network;
use crate::plan::{Capacity, Plan};

/// People at work per team over one iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLoad {
    /// The iteration shown (0-based, in the run's order).
    pub iteration: u64,
    /// Its project finish, in working days from the start.
    pub finish: f64,
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
    /// its people are at work. Starts at day 0 and ends with 0 busy.
    pub steps: Vec<(f64, u32)>,
}

/// The load of `capacity`'s teams in iteration `iteration` of a run of
/// `net` (compiled with `capacity`) with `seed`.
pub fn team_load(
    plan: &Plan,
    capacity: &Capacity,
    net: &Network,
    seed: u64,
    iteration: u64,
) -> TeamLoad {
    let _ = (plan, net, seed);
    TeamLoad {
        iteration,
        finish: 0.0,
        teams: capacity
            .pools
            .iter()
            .map(|p| TeamLoadSeries {
                team: p.name.clone(),
                people: p.people,
                steps: vec![(0.0, 0)],
            })
            .collect(),
    }
}
