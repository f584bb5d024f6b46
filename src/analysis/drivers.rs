//! Risk drivers (Hulett, "Practical Schedule Risk Analysis", 2009): how many
//! days of P50/P80/P90 each risk, each task's uncertainty and the
//! correlations are responsible for.
//!
//! Each driver is removed in turn (a risk never fires; a task takes its
//! likely duration in every iteration; all tasks independent) and the plan is
//! simulated again with *common random numbers*: the very same draws for
//! everything else, because every draw is keyed by (seed, id, iteration). The
//! shift of each percentile is then the driver's effect, not noise.
//!
//! The drivers do not add up to the gap between the plan date and P80:
//! where paths merge, the finish is the latest of several uncertain paths
//! (merge bias), which no single driver holds, and drivers overlap or
//! compound. [`DriverGap`] states the rest, so that a chart of the drivers
//! accounts for the whole gap.
//!
//! Tasks are screened first: only the [`DriverOptions::tasks`] tasks with the
//! highest schedule sensitivity index are rerun (a task that is never
//! critical cannot move the finish when fixed at its likely value... unless
//! it becomes critical; the screen is by SSI, which is 0 only for tasks never
//! critical or without spread).

use serde::Serialize;

use crate::engine::{Outcomes, Variant, simulate_variants};
use crate::network::Network;
use crate::plan::{Plan, Risk};

use super::compare::paired_deltas_sorted;
use super::percentiles::Sample;
use super::sensitivity::TaskSensitivity;

/// What a driver is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DriverKind {
    /// A risk of the register.
    Risk,
    /// A task's duration uncertainty.
    Task,
    /// All correlations between tasks.
    Correlation,
}

impl DriverKind {
    /// The name JSON and CSV use: `risk`, `task`, `correlation`.
    pub fn as_str(self) -> &'static str {
        match self {
            DriverKind::Risk => "risk",
            DriverKind::Task => "task",
            DriverKind::Correlation => "correlation",
        }
    }
}

/// The effect of one driver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// Risk, task or correlation.
    pub kind: DriverKind,
    /// Risk or task id (`correlation` for the correlations).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Working days of P50 it is responsible for (P50 with it minus without).
    pub p50_days: f64,
    /// Working days of P80 it is responsible for, to a multiple of
    /// [`GRID`] (so that the drivers and the rest add up to the gap exactly:
    /// [`DriverGap`]).
    pub p80_days: f64,
    /// The 95% interval of [`Driver::p80_days`] (`null` with too few
    /// iterations to tell): the reruns use a sample of the iterations
    /// ([`DriverOptions::iterations`]), and the interval says how far the
    /// effect on all of them could lie. From the paired differences of the
    /// rerun and the run, by batches, as [`super::compare`] computes them.
    pub p80_low: Option<f64>,
    /// Upper end of the 95% interval of [`Driver::p80_days`].
    pub p80_high: Option<f64>,
    /// Working days of P90 it is responsible for.
    pub p90_days: f64,
    /// Working days of the mean.
    pub mean_days: f64,
}

/// The resolution of [`Driver::p80_days`] and [`DriverGap`], in days:
/// 2^-20 (under a tenth of a second). Sums of a few thousand multiples of
/// it below 2^32 days are exact in `f64`, in any order.
pub const GRID: f64 = 1.0 / 1_048_576.0;

/// `x` to the nearest multiple of [`GRID`] (exact: scaling by a power of
/// two loses nothing).
fn on_grid(x: f64) -> f64 {
    (x / GRID).round() * GRID
}

/// The gap between the plan date and P80, split between the drivers and
/// the rest.
///
/// Invariant: `drivers_days + other_days == gap_days` exactly, and
/// `drivers_days` is the sum of every driver's `p80_days` (exact in any
/// order: all are multiples of [`GRID`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DriverGap {
    /// Days from the plan date to P80: the P80 duration of the run less the
    /// deterministic duration (negative when P80 is before the plan date),
    /// to a multiple of [`GRID`].
    pub gap_days: f64,
    /// Days of P80 the drivers account for: the sum of their `p80_days`.
    pub drivers_days: f64,
    /// The rest, `gap_days - drivers_days`: other, including merge bias
    /// (the finish is the latest of the paths that merge into it, which no
    /// single driver holds), drivers that overlap or compound, tasks not
    /// tested as drivers, and the difference between the P80 of the driver
    /// reruns' iterations and of the whole run.
    pub other_days: f64,
}

impl DriverGap {
    /// The gap from the deterministic duration `plan_days` to the P80
    /// duration `p80_days`, split between `drivers` and the rest.
    pub fn new(drivers: &[Driver], p80_days: f64, plan_days: f64) -> DriverGap {
        let gap_days = on_grid(p80_days - plan_days);
        let drivers_days: f64 = drivers.iter().map(|d| on_grid(d.p80_days)).sum();
        DriverGap {
            gap_days,
            drivers_days,
            other_days: gap_days - drivers_days,
        }
    }
}

/// How far the driver analysis goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverOptions {
    /// Iterations per rerun (the first this many of the run).
    pub iterations: u64,
    /// How many tasks (by schedule sensitivity index) to rerun.
    pub tasks: usize,
}

impl DriverOptions {
    /// Iterations per rerun by default: the first 32,768 (two chunks). The
    /// reruns share every draw with the run (common random numbers), so the
    /// effects are paired differences, known far more closely than either
    /// percentile alone; each driver's P80 effect carries its 95% interval
    /// ([`Driver::p80_low`], [`Driver::p80_high`]), typically a few
    /// hundredths of a working day.
    pub const ITERATIONS: u64 = 2 * crate::engine::CHUNK as u64;
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            iterations: DriverOptions::ITERATIONS,
            tasks: 15,
        }
    }
}

/// Ranks risks, task uncertainties and correlations by the P80 days they
/// add, largest first.
///
/// Cost: the reruns are simulated together
/// ([`crate::engine::simulate_variants`]): one draw and schedule of the plan
/// per iteration, plus for each rerun a redraw of the tasks it changes and
/// a forward pass from the first of them; the results are those of
/// simulating each rerun on its own, to the bit.
pub fn drivers(
    plan: &Plan,
    risks: &[Risk],
    net: &Network,
    outcomes: &Outcomes,
    sens: &[TaskSensitivity],
    opts: DriverOptions,
) -> Vec<Driver> {
    let m = opts.iterations.min(outcomes.iterations);
    let base = Sample::new(&outcomes.project[..m as usize]);
    // Every driver removed in turn, as a variant of the network: simulated
    // together, sharing the draws and schedule of everything it leaves alone.
    let mut removed: Vec<(DriverKind, &str, &str, Network)> = Vec::new();
    for (k, r) in risks.iter().enumerate() {
        removed.push((DriverKind::Risk, &r.id, &r.name, net.without_risk(k)));
    }
    let mut tasks: Vec<usize> = (0..plan.tasks.len())
        .filter(|&t| sens[t].ssi > 0.0)
        .collect();
    tasks.sort_by(|&a, &b| sens[b].ssi.total_cmp(&sens[a].ssi).then(a.cmp(&b)));
    for &t in tasks.iter().take(opts.tasks) {
        let task = &plan.tasks[t];
        removed.push((DriverKind::Task, &task.id, &task.name, net.with_fixed(t)));
    }
    if net.copula().is_some() {
        removed.push((
            DriverKind::Correlation,
            "correlation",
            "Correlation between task durations",
            net.without_correlation(),
        ));
    }
    let variants: Vec<Variant> = removed.iter().map(|r| Variant::new(net, &r.3)).collect();
    let finishes = if variants.is_empty() || m == 0 {
        Vec::new()
    } else {
        simulate_variants(net, &variants, m, outcomes.seed, None)
    };
    // Each rerun minus the run, paired by iteration: the driver's effect
    // is its negation.
    let runs: Vec<&[f32]> = finishes.iter().map(Vec::as_slice).collect();
    let samples: Vec<Sample> = runs.iter().map(|r| Sample::new(r)).collect();
    let deltas = if runs.is_empty() {
        Vec::new()
    } else {
        paired_deltas_sorted(
            &outcomes.project[..m as usize],
            &base,
            &runs,
            &samples,
            None,
        )
    };
    let mut out: Vec<Driver> = removed
        .iter()
        .zip(&samples)
        .zip(&deltas)
        .map(|((&(kind, id, name, _), s), delta)| {
            let p80 = delta.p80_days;
            Driver {
                kind,
                id: id.to_string(),
                name: name.to_string(),
                p50_days: base.quantile(0.5) - s.quantile(0.5),
                p80_days: on_grid(base.quantile(0.8) - s.quantile(0.8)),
                p80_low: p80.high.map(|h| -h),
                p80_high: p80.low.map(|l| -l),
                p90_days: base.quantile(0.9) - s.quantile(0.9),
                mean_days: base.mean() - s.mean(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.p80_days
            .total_cmp(&a.p80_days)
            .then(b.mean_days.total_cmp(&a.mean_days))
    });
    out
}
