//! What team capacity costs and what headcount buys: per team, the P80
//! with its people unbounded (one team at a time); the P80 without any
//! unplanned work; the buffer between the plan date and P80; and the
//! P50/P80 of each headcount what-if. Every figure is a paired difference
//! over the same iterations (common random numbers), with its 95% interval
//! from [`paired_delta`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{SimOptions, simulate};
use crate::network::{Model, Network};
use rayon::prelude::*;

use crate::plan::{Calendar, Capacity, CapacityError, Headcount, Scenario};

use super::compare::{IntervalEstimate, paired_delta};
use super::percentiles::Sample;
use super::team_load::{TeamLoad, team_load};

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
    /// back), with its 95% interval.
    pub queue_p80: IntervalEstimate,
}

/// The buffer between the plan date and P80, and how much of it unplanned
/// work takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Buffer {
    /// The plan's finish in working days: likely durations, team queues,
    /// no unplanned work.
    pub plan_days: f64,
    /// P80 in working days (of [`CapacityFindings::iterations`]).
    pub p80_days: f64,
    /// `p80_days - plan_days`.
    pub days: f64,
    /// P80 with no team losing time to unplanned work (`None`: no team
    /// has any).
    pub p80_without_unplanned: Option<f64>,
    /// What unplanned work adds at P80: `p80_days` less
    /// `p80_without_unplanned`, with its 95% interval.
    pub unplanned_p80: Option<IntervalEstimate>,
}

/// One headcount what-if against the capacity as given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadcountFinding {
    /// The changes, like `payments +1 after 20 days`.
    pub change: String,
    /// Its P50 in working days.
    pub p50_days: f64,
    /// Its P80 in working days.
    pub p80_days: f64,
    /// Its P50 date.
    pub p50: NaiveDate,
    /// Its P80 date.
    pub p80: NaiveDate,
    /// Its P50 less the P50 as given, with its 95% interval.
    pub p50_change: IntervalEstimate,
    /// Its P80 less the P80 as given, with its 95% interval.
    pub p80_change: IntervalEstimate,
}

/// The capacity's findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityFindings {
    /// Per team, largest queue cost first (then in the teams file's order).
    pub teams: Vec<TeamFinding>,
    /// Iterations behind every figure here: the first this many of the run.
    pub iterations: u64,
    /// P50 of those iterations, with the capacity as given.
    pub p50: f64,
    /// P80 of those iterations, with the capacity as given.
    pub p80: f64,
    /// P80 with no team losing time to unplanned work (`None`: no team
    /// has any).
    pub p80_without_unplanned: Option<f64>,
    /// The buffer between the plan date and P80.
    pub buffer: Buffer,
    /// The headcount what-ifs asked for (`--add`), in order.
    pub headcount: Vec<HeadcountFinding>,
    /// People at work per team in the iteration whose finish is the P50
    /// (the team-load chart).
    pub load: Option<TeamLoad>,
}

/// The run the capacity findings come from.
#[derive(Debug, Clone, Copy)]
pub struct CapacityRun<'a> {
    /// The calendar its dates are on.
    pub calendar: &'a Calendar,
    /// Its project finishes, in iteration order.
    pub project: &'a [f32],
    /// Its planned finish, in working days.
    pub plan_days: f64,
    /// Its seed.
    pub seed: u64,
    /// How many of its first iterations the findings cover.
    pub iterations: u64,
}

/// The findings of `sc`'s capacity on `net` (compiled from `sc`), from the
/// first iterations of `run`. Each of `what_ifs` is one headcount what-if
/// (its changes applied together).
///
/// Cost: one finish-only run of the iterations per team, one without
/// unplanned work when a team has any, and one per what-if.
///
/// # Errors
///
/// A what-if the capacity cannot take (an unknown team, a team left
/// without people or too few for a task).
///
/// # Panics
///
/// If `sc` has no capacity.
pub fn capacity_findings(
    sc: &Scenario,
    net: &Network,
    run: &CapacityRun,
    what_ifs: &[Vec<Headcount>],
) -> Result<CapacityFindings, Vec<CapacityError>> {
    let CapacityRun {
        calendar,
        project,
        plan_days,
        seed,
        iterations,
    } = *run;
    let capacity = sc.capacity.as_ref().expect("a scenario with capacity");
    let plans: Vec<_> = what_ifs
        .iter()
        .map(|w| capacity.with_headcount(&sc.plan, w))
        .collect();
    let problems: Vec<CapacityError> = plans
        .iter()
        .filter_map(|r| r.as_ref().err())
        .flatten()
        .cloned()
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let n = iterations.min(project.len() as u64);
    let base = &project[..n as usize];
    let sample = Sample::new(base);
    let (p50, p80) = (sample.quantile(0.5), sample.quantile(0.8));
    let opts = SimOptions::finish_only(n, seed);
    let any_share = capacity.pools.iter().any(|p| p.unplanned.is_some());
    let what_if_caps: Vec<Capacity> = plans.into_iter().map(|c| c.expect("checked")).collect();
    // The reruns: each team unbounded, no unplanned work (if any), each
    // what-if. They run side by side, each network made only for its run.
    let k = capacity.pools.len();
    let jobs = k + usize::from(any_share) + what_if_caps.len();
    let mut runs: Vec<Vec<f32>> = (0..jobs)
        .into_par_iter()
        .map(|j| {
            let made;
            let net = if j < k {
                made = net.with_pool_unbounded(j);
                &made
            } else if j == k && any_share {
                made = net.without_unplanned();
                &made
            } else {
                let c = &what_if_caps[j - k - usize::from(any_share)];
                made = Network::compile_with(
                    &sc.plan,
                    &Model {
                        milestone: sc.milestone,
                        risks: &sc.risks,
                        correlation: sc.correlation.as_ref(),
                        capacity: Some(c),
                    },
                );
                &made
            };
            simulate(net, &opts).project
        })
        .collect();
    let what_if_runs = runs.split_off(k + usize::from(any_share));
    let without = any_share.then(|| runs.pop().expect("the run without unplanned work"));
    let mut teams: Vec<TeamFinding> = capacity
        .pools
        .iter()
        .zip(&runs)
        .enumerate()
        .map(|(i, (pool, unbounded))| TeamFinding {
            team: pool.name.clone(),
            people: pool.people,
            unplanned: pool.unplanned.map(|(a, b)| [a, b]),
            tasks: capacity
                .demands
                .iter()
                .filter(|d| d.iter().any(|&(p, _)| p == i))
                .count(),
            p80_unbounded: Sample::new(unbounded).quantile(0.8),
            queue_p80: paired_delta(unbounded, base, None).p80_days,
        })
        .collect();
    teams.sort_by(|a, b| b.queue_p80.estimate.total_cmp(&a.queue_p80.estimate));
    let p80_without_unplanned = without.as_ref().map(|w| Sample::new(w).quantile(0.8));
    let headcount = what_ifs
        .iter()
        .zip(&what_if_runs)
        .map(|(w, x)| {
            let s = Sample::new(x);
            let d = paired_delta(base, x, None);
            HeadcountFinding {
                change: w
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                p50_days: s.quantile(0.5),
                p80_days: s.quantile(0.8),
                p50: calendar.finish_date(s.quantile(0.5)),
                p80: calendar.finish_date(s.quantile(0.8)),
                p50_change: d.p50_days,
                p80_change: d.p80_days,
            }
        })
        .collect();
    Ok(CapacityFindings {
        teams,
        iterations: n,
        p50,
        p80,
        p80_without_unplanned,
        buffer: Buffer {
            plan_days,
            p80_days: p80,
            days: p80 - plan_days,
            p80_without_unplanned,
            unplanned_p80: without.map(|w| paired_delta(&w, base, None).p80_days),
        },
        headcount,
        load: Some(team_load(
            &sc.plan,
            capacity,
            net,
            seed,
            TeamLoad::p50_iteration(project, n),
        )),
    })
}
