//! Cut-line sweeps: which optional scope to cut to make a date at the
//! confidence a team commits to.
//!
//! Tasks with a `priority` are optional scope (lower = more important); a
//! blank priority is a must-have. The cut line moves one priority level at a
//! time, from keeping everything to keeping only the must-haves:
//!
//! - **Dependents go with a cut.** Keeping a task means keeping everything it
//!   depends on, so a task's *effective* priority is the most important of
//!   its own and that of every task that depends on it, directly or through
//!   others. A must-have that depends on an optional task therefore makes it
//!   effectively a must-have, and a priority-1 task that depends on a
//!   priority-4 one keeps it until priority 1 is cut; both are reported as
//!   [`ScopeWarning`]s. Cutting at a level removes every task whose effective
//!   priority is at that level or beyond, so every dependent of a cut task is
//!   cut with it ([`CutGroup`] lists them).
//! - **Done tasks** are never cut (there is nothing left to save) and, as in
//!   the compiled network, their links constrain nothing.
//! - **The milestone** (`--milestone`) is what is forecast, so it is kept.
//!
//! Every position is simulated from one compiled network with the same
//! per-task random streams, so the difference between two positions is the
//! effect of the cut, not noise. And because a kept task never waits for a
//! cut one, every kept task's schedule is identical in every position, draw
//! for draw: cutting more scope can only lower the project finish *in every
//! iteration*, so percentiles, dates and the probability of the target are
//! exactly monotone for a fixed seed. The same fact lets one simulation serve
//! every position ([`crate::engine::simulate_nested`]), with results bit-identical to
//! simulating [`Network::without`] of each position separately.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{SimOptions, Tallies, TallyError, simulate_nested_part, simulate_part};
use crate::network::Network;
use crate::plan::{Calendar, Plan};

use super::percentiles::Sample;
use super::provenance::Provenance;
use super::summary::ForecastInputs;
use super::target::{Confidence, Target};

mod scope;

pub use scope::{CutGroup, Scope, ScopeWarning};

/// Project duration statistics of one position, in working days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionDays {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Median.
    pub p50: f64,
    /// 80th percentile.
    pub p80: f64,
    /// 90th percentile.
    pub p90: f64,
    /// The percentile at the requested confidence.
    pub at_confidence: f64,
}

/// One position of the cut line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutPosition {
    /// 0 keeps everything; each next position cuts one more priority level.
    pub position: usize,
    /// Every task whose effective priority is this or higher is cut
    /// (`null`: nothing is cut).
    pub cut_from_priority: Option<i64>,
    /// Ids of the cut tasks, in plan order.
    pub cut: Vec<String>,
    /// The cut tasks grouped by what leads to them.
    pub groups: Vec<CutGroup>,
    /// Number of tasks kept.
    pub tasks_kept: usize,
    /// Mean work of the cut tasks, in working days (effort, not calendar).
    pub cut_work_days: f64,
    /// Median finish date.
    pub p50: NaiveDate,
    /// 80th-percentile finish date.
    pub p80: NaiveDate,
    /// 90th-percentile finish date.
    pub p90: NaiveDate,
    /// Finish date at the requested confidence.
    pub at_confidence: NaiveDate,
    /// Project duration statistics, in working days.
    pub days: PositionDays,
    /// Share of iterations finishing on or before the target date.
    pub probability: f64,
    /// Whether the date at the requested confidence is on or before the
    /// target (equivalently, `probability >= confidence / 100`).
    pub meets: bool,
}

/// The smallest cut that meets the target at the confidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Index into [`Cutline::positions`] (0: no cut needed).
    pub position: usize,
    /// As [`CutPosition::cut_from_priority`].
    pub cut_from_priority: Option<i64>,
    /// Ids of the tasks to cut, in plan order.
    pub cut: Vec<String>,
    /// Ids of the optional tasks (those with a priority) that stay in, in
    /// plan order; must-haves always stay and are not listed.
    pub keep: Vec<String>,
    /// The finish date at the requested confidence with this cut.
    pub finish: NaiveDate,
    /// The probability of meeting the target with this cut.
    pub probability: f64,
}

/// How far even the must-haves alone are from the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    /// The finish date at the requested confidence with every optional task
    /// cut.
    pub finish: NaiveDate,
    /// Working days from the target to that date.
    pub working_days_late: u64,
    /// Calendar days from the target to that date.
    pub calendar_days_late: i64,
    /// The probability of meeting the target with every optional task cut
    /// (the most the cut line can give).
    pub probability: f64,
}

/// A cut-line sweep: plain serde data, the source of the terminal table, the
/// JSON and CSV exports and the cut-line chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cutline {
    /// Version, input files, iterations per position, seed, start,
    /// calendar, milestone and when it was generated.
    #[serde(flatten)]
    pub run: Provenance,
    /// Number of tasks in the plan.
    pub task_count: usize,
    /// The date to meet.
    pub target: NaiveDate,
    /// Working days from the start through the target date.
    pub target_working_day: u64,
    /// The confidence to meet it at, in percent.
    pub confidence: f64,
    /// Cut positions, from keeping everything to keeping only must-haves.
    pub positions: Vec<CutPosition>,
    /// The smallest cut meeting the target at the confidence (`null`: even
    /// the must-haves alone miss it).
    pub recommended: Option<Recommendation>,
    /// When nothing meets the target: how far the must-haves alone miss it.
    pub shortfall: Option<Shortfall>,
    /// What the plan's priorities and dependencies mean for the cut line.
    pub warnings: Vec<String>,
}

impl Cutline {
    /// What position `k` cuts, in a few words: `nothing`, `priority 5` or
    /// `priority 3-5`.
    ///
    /// # Panics
    ///
    /// If there is no position `k`.
    pub fn label(&self, k: usize) -> String {
        let top = self.positions.get(1).and_then(|p| p.cut_from_priority);
        match (self.positions[k].cut_from_priority, top) {
            (None, _) => "nothing".into(),
            (Some(from), Some(top)) if from != top => format!("priority {from}-{top}"),
            (Some(from), _) => format!("priority {from}"),
        }
    }

    /// The few numbers a cut-line chart draws.
    pub fn chart(&self) -> CutlineChart {
        let rec = self.recommended.as_ref().map(|r| r.position);
        CutlineChart {
            target: self.target,
            target_working_day: self.target_working_day,
            confidence: self.confidence,
            start: self.run.start,
            bars: self
                .positions
                .iter()
                .map(|p| CutlineBar {
                    label: self.label(p.position),
                    tasks_cut: p.cut.len(),
                    cut_work_days: p.cut_work_days,
                    p50_days: p.days.p50,
                    p80_days: p.days.p80,
                    p90_days: p.days.p90,
                    at_confidence_days: p.days.at_confidence,
                    at_confidence: p.at_confidence,
                    probability: p.probability,
                    meets: p.meets,
                    recommended: rec == Some(p.position),
                })
                .collect(),
        }
    }
}

/// What a cut-line chart draws: one bar (or point) per position, from
/// keeping everything to keeping only the must-haves, against the target.
/// Plain serde data, built by [`Cutline::chart`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutlineChart {
    /// The date to meet.
    pub target: NaiveDate,
    /// Its working day (a horizontal line on a working-days axis).
    pub target_working_day: u64,
    /// The confidence to meet it at, in percent.
    pub confidence: f64,
    /// Working day 1 is the first working day on or after this date.
    pub start: NaiveDate,
    /// One entry per position, in sweep order.
    pub bars: Vec<CutlineBar>,
}

/// One position of a cut-line chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutlineBar {
    /// What it cuts: `nothing`, `priority 5`, `priority 3-5`.
    pub label: String,
    /// Number of tasks cut.
    pub tasks_cut: usize,
    /// Mean work of the cut tasks, in working days.
    pub cut_work_days: f64,
    /// Median project duration, in working days.
    pub p50_days: f64,
    /// P80 project duration, in working days.
    pub p80_days: f64,
    /// P90 project duration, in working days.
    pub p90_days: f64,
    /// Duration at the requested confidence, in working days.
    pub at_confidence_days: f64,
    /// Finish date at the requested confidence.
    pub at_confidence: NaiveDate,
    /// Chance of meeting the target.
    pub probability: f64,
    /// Whether the date at the confidence is on or before the target.
    pub meets: bool,
    /// Whether this is the recommended cut.
    pub recommended: bool,
}

/// What a sweep simulates.
#[derive(Debug, Clone, Copy)]
pub struct SweepOptions<'a> {
    /// Iterations per position.
    pub iterations: u64,
    /// Seed of every random draw.
    pub seed: u64,
    /// The date to meet.
    pub target: Target,
    /// The confidence to meet it at.
    pub confidence: Confidence,
    /// Incremented by the number of iterations done (one pass serves every
    /// position).
    pub progress: Option<&'a crate::engine::Progress>,
}

/// Simulates every position of the cut line and recommends the smallest cut
/// that meets the target at the confidence.
///
/// `net` is the plan compiled once (with the milestone, risks and
/// correlations, if any). Every position comes from one simulation of it
/// ([`crate::engine::simulate_nested`]): because no kept task waits for a cut one, a
/// position's project finish is the latest finish of the tasks it keeps in
/// the full schedule, bit-identical to simulating
/// `net.without(&scope.cut_at(k))` on its own (the tests check both ways).
///
/// Cost: one simulation of `opts.iterations` iterations (project finish
/// only) plus a sort per position. Memory: one project-finish vector per
/// position.
///
/// # Panics
///
/// If `net` was not compiled from `inputs.plan`, or `opts.iterations` is 0
/// or at least 2^32.
pub fn sweep(
    inputs: &ForecastInputs,
    net: &Network,
    scope: &Scope,
    opts: &SweepOptions,
) -> Cutline {
    assert_eq!(
        net.len(),
        inputs.plan.tasks.len(),
        "network of another plan"
    );
    let projects = sweep_finishes(net, scope, opts, 0..opts.iterations);
    swept(inputs, net, scope, opts, &projects)
}

/// Every position's project finishes of the iterations `range` (starting
/// on a chunk).
fn sweep_finishes(
    net: &Network,
    scope: &Scope,
    opts: &SweepOptions,
    range: Range<u64>,
) -> Vec<Vec<f32>> {
    let sim = SimOptions {
        progress: opts.progress,
        ..SimOptions::finish_only(opts.iterations, opts.seed)
    };
    if net.capacity().is_some() {
        // A cut frees its people for the tasks kept, which may then start
        // earlier: each position is its own schedule.
        (0..scope.positions())
            .map(|k| {
                let t = simulate_part(&net.without(&scope.cut_at(k)), &sim, range.clone());
                t.project().to_vec()
            })
            .collect()
    } else {
        simulate_nested_part(net, &scope.last_positions(), scope.positions(), &sim, range)
    }
}

/// The slice `range` of a sweep's iterations (starting on a chunk), as
/// mergeable tallies, one per position: a shard's part of [`sweep`].
/// [`sweep_merged`] of every position's merged slices is [`sweep`]'s result
/// to the bit.
pub fn sweep_part(
    net: &Network,
    scope: &Scope,
    opts: &SweepOptions,
    range: Range<u64>,
) -> Vec<Tallies> {
    let sim = SimOptions::finish_only(opts.iterations, opts.seed);
    sweep_finishes(net, scope, opts, range.clone())
        .into_iter()
        .map(|p| Tallies::finishes(&sim, range.clone(), p))
        .collect()
}

/// [`sweep`] from every position's merged tallies ([`sweep_part`]), without
/// simulating again.
///
/// # Errors
///
/// [`TallyError`] when the tallies are not every iteration of every
/// position.
pub fn sweep_merged(
    inputs: &ForecastInputs,
    net: &Network,
    scope: &Scope,
    opts: &SweepOptions,
    tallies: Vec<Tallies>,
) -> Result<Cutline, TallyError> {
    if tallies.len() != scope.positions() {
        return Err(TallyError::Bytes("tallies of another number of positions"));
    }
    let projects = tallies
        .into_iter()
        .map(|t| {
            if t.iterations() != opts.iterations || t.seed() != opts.seed {
                return Err(TallyError::Different("iterations or seeds"));
            }
            Ok(t.outcomes(net)?.project)
        })
        .collect::<Result<Vec<Vec<f32>>, TallyError>>()?;
    Ok(swept(inputs, net, scope, opts, &projects))
}

/// The cut line from every position's project finishes.
fn swept(
    inputs: &ForecastInputs,
    _net: &Network,
    scope: &Scope,
    opts: &SweepOptions,
    projects: &[Vec<f32>],
) -> Cutline {
    let plan = inputs.plan;
    let cal = inputs.basis.calendar;
    let c = opts.confidence;
    let positions: Vec<CutPosition> = projects
        .iter()
        .enumerate()
        .map(|(k, project)| position(plan, cal, scope, k, &scope.cut_at(k), project, opts))
        .collect();
    let recommended = positions.iter().find(|p| p.meets).map(|p| {
        let cut = scope.cut_at(p.position);
        Recommendation {
            position: p.position,
            cut_from_priority: p.cut_from_priority,
            cut: p.cut.clone(),
            keep: plan
                .tasks
                .iter()
                .enumerate()
                .filter(|&(t, _)| scope.own[t].is_some() && !cut[t])
                .map(|(_, task)| task.id.clone())
                .collect(),
            finish: p.at_confidence,
            probability: p.probability,
        }
    });
    let last = positions
        .last()
        .expect("at least the keep-everything position");
    let shortfall = recommended.is_none().then(|| Shortfall {
        finish: last.at_confidence,
        working_days_late: Calendar::day_of(last.days.at_confidence)
            .saturating_sub(opts.target.working_day),
        calendar_days_late: (last.at_confidence - opts.target.date).num_days(),
        probability: last.probability,
    });
    Cutline {
        run: inputs.provenance(opts.iterations),
        task_count: plan.tasks.len(),
        target: opts.target.date,
        target_working_day: opts.target.working_day,
        confidence: c.percent(),
        positions,
        recommended,
        shortfall,
        warnings: scope.warnings().iter().map(ToString::to_string).collect(),
    }
}

/// The statistics of one position from its project-finish vector.
fn position(
    plan: &Plan,
    cal: &Calendar,
    scope: &Scope,
    k: usize,
    cut: &[bool],
    project: &[f32],
    opts: &SweepOptions,
) -> CutPosition {
    let sample = Sample::new(project);
    let c = opts.confidence;
    let met = project
        .iter()
        .filter(|&&x| opts.target.met_by(f64::from(x)))
        .count() as u64;
    let q = |q: f64| sample.quantile(q);
    let at_c = c.of(&sample);
    let cut_tasks = || {
        plan.tasks
            .iter()
            .zip(cut)
            .filter(|&(_, &c)| c)
            .map(|(t, _)| t)
    };
    CutPosition {
        position: k,
        cut_from_priority: scope.cut_from(k),
        cut: cut_tasks().map(|t| t.id.clone()).collect(),
        groups: scope.groups(plan, cut),
        tasks_kept: cut.iter().filter(|&&c| !c).count(),
        cut_work_days: cut_tasks().map(|t| t.estimate.mean()).sum(),
        p50: cal.finish_date(q(0.5)),
        p80: cal.finish_date(q(0.8)),
        p90: cal.finish_date(q(0.9)),
        at_confidence: cal.finish_date(at_c),
        days: PositionDays {
            mean: sample.mean(),
            std: sample.std(),
            p50: q(0.5),
            p80: q(0.8),
            p90: q(0.9),
            at_confidence: at_c,
        },
        probability: met as f64 / project.len() as f64,
        meets: c.satisfied_by(met, project.len() as u64),
    }
}
