//! What team capacity costs: per team, the P80 with its people unbounded
//! (one team at a time, common random numbers), and the P80 without any
//! unplanned work.

use serde::Serialize;

use crate::engine::{SimOptions, simulate};
use crate::network::Network;
use crate::plan::{Capacity, Plan};

use super::percentiles::Sample;
use super::team_load::TeamLoad;

/// One team of the capacity, as simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamFinding {
    /// The team (or resource pool).
    pub team: String,
    /// Its people.
    pub people: u32,
    /// Its unplanned-work share, low and high (equal when fixed).
    pub unplanned: Option<[f64; 2]>,
    /// Tasks that occupy its people.
    pub tasks: usize,
    /// P80 in working days with its people unbounded (every other team as
    /// given), over the first [`CapacityFindings::iterations`].
    pub p80_unbounded: f64,
    /// What its queue costs at P80: the P80 of the same iterations as
    /// given, less `p80_unbounded` (0: its people never hold the finish
    /// back).
    pub queue_p80: f64,
}

/// The capacity's findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityFindings {
    /// Per team, largest queue cost first (then in the teams file's order).
    pub teams: Vec<TeamFinding>,
    /// Iterations behind every figure here: the first this many of the run.
    pub iterations: u64,
    /// P80 of those iterations, with the capacity as given.
    pub p80: f64,
    /// P80 with no team losing time to unplanned work (`None`: no team
    /// has any).
    pub p80_without_unplanned: Option<f64>,
    /// People at work per team in the iteration whose finish is the P50
    /// (the team-load chart).
    pub load: Option<TeamLoad>,
}

/// The findings of `capacity` on `net` (compiled with it), from the first
/// `iterations` of `project` (the run's project finishes, drawn with
/// `seed`).
pub fn capacity_findings(
    plan: &Plan,
    capacity: &Capacity,
    net: &Network,
    project: &[f32],
    seed: u64,
    iterations: u64,
) -> CapacityFindings {
    let n = iterations.min(project.len() as u64);
    let p80 = Sample::new(&project[..n as usize]).quantile(0.8);
    let opts = SimOptions::finish_only(n, seed);
    let p80_of = |net: &Network| Sample::new(&simulate(net, &opts).project).quantile(0.8);
    let mut teams: Vec<TeamFinding> = capacity
        .pools
        .iter()
        .enumerate()
        .map(|(i, pool)| {
            let unbounded = p80_of(&net.with_pool_unbounded(i));
            TeamFinding {
                team: pool.name.clone(),
                people: pool.people,
                unplanned: pool.unplanned.map(|(a, b)| [a, b]),
                tasks: (0..plan.tasks.len())
                    .filter(|&t| capacity.demands[t].iter().any(|&(p, _)| p == i))
                    .count(),
                p80_unbounded: unbounded,
                queue_p80: p80 - unbounded,
            }
        })
        .collect();
    teams.sort_by(|a, b| b.queue_p80.total_cmp(&a.queue_p80));
    let any_share = capacity.pools.iter().any(|p| p.unplanned.is_some());
    CapacityFindings {
        teams,
        iterations: n,
        p80,
        p80_without_unplanned: any_share.then(|| p80_of(&net.without_unplanned())),
        load: None,
    }
}
