//! The whole forecast as one library call: compile the scenario once,
//! settle the iterations (a fixed count, or as many as a precision needs),
//! simulate, and summarise: percentiles, criticality, the questions asked,
//! sensitivity and risk drivers. The command line, tests, benches and any
//! later front end call this instead of assembling the parts.

use super::capacity::{CapacityRun, capacity_findings};
use std::sync::atomic::Ordering;
use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use std::ops::Range;

pub use crate::engine::Progress;
use crate::engine::{
    Deterministic, Outcomes, SimOptions, Tallies, deterministic, simulate, simulate_part,
};
use crate::network::Network;
use crate::plan::{Calendar, CapacityError, Headcount, Scenario};

use super::{
    CompareInputs, Comparison, Confidence, Cutline, DriverOptions, Findings, Forecast,
    ForecastInputs, Inputs, OutOfRange, Precision, Questions, RunBasis, Sample, ScenarioInput,
    Scope, ScopeWarning, SensitivityOptions, SweepOptions, Target, Unreachable, check_range,
    compare, drivers, iterations_for_precision, sensitivity, summarize_sample, sweep, sweep_merged,
    sweep_part,
};

/// Iterations behind each task's finish dates. A task's P50 or P80 from
/// 100,000 iterations is within a few hundredths of a working day of the
/// full run's (one date in the table), and histogramming every task's finish
/// in every iteration would cost as much as the schedule itself.
pub const TASK_DATE_ITERATIONS: u64 = 100_000;

/// Iterations behind the capacity findings, the headcount what-ifs and,
/// with capacity, the risk drivers (the first this many of the run): two
/// chunks, 32,768. With capacity every rerun reschedules every task
/// (whoever a changed task frees or holds shifts everything placed after
/// it), so these runs are kept short; each capacity figure is a paired
/// difference that carries its own 95% interval.
pub const CAPACITY_ITERATIONS: u64 = 2 * crate::engine::CHUNK as u64;

/// Iterations of the first round of a precision search.
pub const PRECISION_PILOT: u64 = 20_000;

/// How many iterations a forecast runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Iterations {
    /// Exactly this many.
    Fixed(u64),
    /// As many as it takes for the P50/P80/P90 95% half-widths to be at
    /// most `days` working days, and never more than `max`.
    Precision {
        /// The half-width asked for, in working days.
        days: f64,
        /// The most iterations allowed (memory, or the cap).
        max: u64,
    },
}

/// What to forecast, and how deeply.
#[derive(Debug, Clone)]
pub struct ForecastOptions<'a> {
    /// Calendar and seed.
    pub basis: RunBasis<'a>,
    /// How many iterations.
    pub iterations: Iterations,
    /// `--target` and `--confidence`, answered from the same iterations.
    pub questions: Questions,
    /// Tasks to rerun in the driver analysis (0: none; risks are always
    /// ranked when there is a register).
    pub driver_tasks: usize,
    /// Percentiles, criticality and per-task dates only: no sensitivity or
    /// driver passes.
    pub basic: bool,
    /// Iterations ranked for the rank sensitivity (`None`: the default).
    pub rank_iterations: Option<u64>,
    /// Headcount what-ifs (`--add`), each a set of changes made together,
    /// answered against the capacity as given (the scenario must have one).
    pub headcount: Vec<Vec<Headcount>>,
}

impl<'a> ForecastOptions<'a> {
    /// These options on another calendar, seed and generation time.
    pub fn with_basis(self, basis: RunBasis<'a>) -> ForecastOptions<'a> {
        ForecastOptions { basis, ..self }
    }

    /// A full forecast of `iterations` with seed `seed` on `calendar`.
    pub fn new(calendar: &'a Calendar, iterations: u64, seed: u64) -> ForecastOptions<'a> {
        ForecastOptions {
            basis: RunBasis::new(calendar, seed),
            iterations: Iterations::Fixed(iterations),
            questions: Questions::default(),
            driver_tasks: DriverOptions::default().tasks,
            basic: false,
            rank_iterations: None,
            headcount: Vec::new(),
        }
    }
}

/// How long each phase of a run took.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Each phase (`compile`, `precision`, `simulate`, `sensitivity`,
    /// `drivers`, `summarize`) and its seconds, in order.
    pub phases: Vec<(&'static str, f64)>,
    /// The whole run, in seconds.
    pub total: f64,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .phases
            .iter()
            .map(|(name, s)| format!("{name} {s:.3} s"))
            .collect();
        write!(f, "{}; total {:.3} s", parts.join(", "), self.total)
    }
}

/// Why a forecast could not be made.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ForecastError {
    /// A finish past what slipcast can answer.
    #[error(transparent)]
    Range(#[from] OutOfRange),
    /// The precision asked for cannot be reached.
    #[error(transparent)]
    Precision(#[from] Unreachable),
    /// A headcount what-if the capacity cannot take, or one without
    /// capacity.
    #[error("{}", headcount_problems(.0))]
    Headcount(Vec<(String, CapacityError)>),
    /// A run that cannot be split into shards, or tallies that are not
    /// every iteration of the run.
    #[error("{0}")]
    Shard(String),
    /// The run was stopped ([`Progress::cancel`]) before it finished.
    #[error("the run was stopped before it finished")]
    Cancelled,
}

/// Refuses a run stopped by [`Progress::cancel`]: its results are partial.
pub(super) fn not_cancelled(progress: Option<&Progress>) -> Result<(), ForecastError> {
    match progress {
        Some(p) if p.is_cancelled() => Err(ForecastError::Cancelled),
        _ => Ok(()),
    }
}

/// A forecast with the project finish of every iteration (working days
/// from the start, in iteration order), as [`forecast_with_finishes`]
/// returns it.
#[derive(Debug, Clone)]
pub struct ForecastRun {
    /// The forecast.
    pub forecast: Forecast,
    /// How long each phase took.
    pub timings: Timings,
    /// The project (or milestone) finish of each iteration.
    pub finishes: Vec<f32>,
}

fn headcount_problems(p: &[(String, CapacityError)]) -> String {
    if p.is_empty() {
        return "--add asks a headcount question, which needs team capacity: give the teams \
                file with --teams FILE"
            .into();
    }
    p.iter()
        .map(|(what, e)| format!("--add {what}: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A what-if's changes in words, like `payments +1, web +1`.
fn changes(what_if: &[Headcount]) -> String {
    what_if
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

struct Clock {
    start: Instant,
    lap: Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Clock {
    fn new() -> Clock {
        let now = Instant::now();
        Clock {
            start: now,
            lap: now,
            phases: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        self.phases.push((name, self.lap.elapsed().as_secs_f64()));
        self.lap = Instant::now();
    }

    fn done(self) -> Timings {
        Timings {
            total: self.start.elapsed().as_secs_f64(),
            phases: self.phases,
        }
    }
}

/// Forecasts a scenario: the network is compiled once and the planned
/// schedule computed once, whatever the options.
///
/// Cost: one simulation of the iterations (plus the rounds of a precision
/// search), and unless `basic`, a rank-sensitivity pass and a driver pass
/// over their own, smaller iteration counts.
///
/// # Errors
///
/// [`ForecastError::Precision`] when a precision cannot be reached within
/// its maximum (after one pilot round), [`ForecastError::Range`] when a
/// finish lies past the range slipcast answers in.
pub fn forecast(
    sc: &Scenario,
    opts: &ForecastOptions,
    progress: Option<&Progress>,
) -> Result<(Forecast, Timings), ForecastError> {
    forecast_with_finishes(sc, opts, progress).map(|r| (r.forecast, r.timings))
}

/// [`forecast`], keeping the project finish of every iteration (4 bytes
/// each, which the forecast itself drops once summarised): for a front end
/// that hands them on, such as the Python package's `finish_days`.
///
/// # Errors
///
/// As [`forecast`], and [`ForecastError::Cancelled`] when `progress` was
/// cancelled during the run.
pub fn forecast_with_finishes(
    sc: &Scenario,
    opts: &ForecastOptions,
    progress: Option<&Progress>,
) -> Result<ForecastRun, ForecastError> {
    check_headcount(sc, opts)?;
    let mut clock = Clock::new();
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    clock.lap("compile");
    let (iterations, precision) = match opts.iterations {
        Iterations::Fixed(n) => (n, None),
        Iterations::Precision { days, max } => {
            let p = iterations_for_precision(&net, opts.basis.seed, days, PRECISION_PILOT, max)?;
            clock.lap("precision");
            (p.iterations, Some(p))
        }
    };
    if let Some(p) = progress {
        p.total.store(iterations, Ordering::Relaxed);
    }
    let outcomes = simulate(&net, &sim_options(opts, iterations, progress));
    not_cancelled(progress)?;
    clock.lap("simulate");
    conclude(sc, opts, &net, &det, outcomes, precision, clock)
}

/// The slice `range` of a forecast's iterations, as mergeable tallies: the
/// part of [`forecast`]'s simulation a shard computes. `range` starts on a
/// chunk ([`crate::engine::CHUNK`]; [`Shard::range`] gives such slices) and
/// the iterations are fixed. [`forecast_merged`] of the merged slices is
/// [`forecast`]'s result to the bit.
///
/// # Errors
///
/// [`ForecastError::Headcount`] as [`forecast`]; [`ForecastError::Shard`]
/// for a precision run or a slice past the iterations.
pub fn forecast_part(
    sc: &Scenario,
    opts: &ForecastOptions,
    range: Range<u64>,
    progress: Option<&Progress>,
) -> Result<Tallies, ForecastError> {
    check_headcount(sc, opts)?;
    let Iterations::Fixed(iterations) = opts.iterations else {
        return Err(ForecastError::Shard(
            "a precision run settles its iterations as it goes, so it cannot be split; \
             give --iterations instead of --precision"
                .into(),
        ));
    };
    if range.end > iterations || !range.start.is_multiple_of(crate::engine::CHUNK as u64) {
        return Err(ForecastError::Shard(format!(
            "iterations {}..{} are not a shard's slice of {iterations}",
            range.start, range.end
        )));
    }
    let net = Network::compile_scenario(sc);
    if let Some(p) = progress {
        p.total.store(range.end - range.start, Ordering::Relaxed);
    }
    Ok(simulate_part(
        &net,
        &sim_options(opts, iterations, progress),
        range,
    ))
}

/// A forecast from the merged tallies of all its slices ([`forecast_part`]):
/// the same result as [`forecast`] with the same scenario and options,
/// without simulating the iterations again (the sensitivity, driver and
/// capacity passes, which use their own, fixed iteration counts, run here).
///
/// # Errors
///
/// As [`forecast`], and [`ForecastError::Shard`] when the tallies are not
/// every iteration of this forecast.
pub fn forecast_merged(
    sc: &Scenario,
    opts: &ForecastOptions,
    tallies: Tallies,
    progress: Option<&Progress>,
) -> Result<(Forecast, Timings), ForecastError> {
    check_headcount(sc, opts)?;
    let mut clock = Clock::new();
    if opts.iterations != Iterations::Fixed(tallies.iterations())
        || tallies.seed() != opts.basis.seed
    {
        return Err(ForecastError::Shard(format!(
            "the tallies are of {} iterations with seed {}, not this forecast's",
            tallies.iterations(),
            tallies.seed()
        )));
    }
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    let outcomes = tallies
        .outcomes(&net)
        .map_err(|e| ForecastError::Shard(e.to_string()))?;
    if let Some(p) = progress {
        p.total.store(outcomes.iterations, Ordering::Relaxed);
        p.done.store(outcomes.iterations, Ordering::Relaxed);
    }
    clock.lap("merge");
    conclude(sc, opts, &net, &det, outcomes, None, clock).map(|r| (r.forecast, r.timings))
}

/// Refuses headcount what-ifs the scenario's capacity cannot take.
fn check_headcount(sc: &Scenario, opts: &ForecastOptions) -> Result<(), ForecastError> {
    if opts.headcount.is_empty() {
        return Ok(());
    }
    let Some(c) = &sc.capacity else {
        return Err(ForecastError::Headcount(Vec::new()));
    };
    let problems: Vec<(String, CapacityError)> = opts
        .headcount
        .iter()
        .filter_map(|w| {
            let e = c.with_headcount(&sc.plan, w).err()?;
            Some(e.into_iter().map(|e| (changes(w), e)).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ForecastError::Headcount(problems))
    }
}

/// The rank-sensitivity options of a forecast.
fn sensitivity_options(opts: &ForecastOptions) -> SensitivityOptions {
    let mut sens_opts = SensitivityOptions::default();
    if let Some(n) = opts.rank_iterations {
        sens_opts.iterations = n as usize;
    }
    sens_opts
}

/// What a forecast's simulation tallies.
fn sim_options<'p>(
    opts: &ForecastOptions,
    iterations: u64,
    progress: Option<&'p Progress>,
) -> SimOptions<'p> {
    SimOptions {
        // The moments behind cruciality and SSI cover the ranked iterations.
        moments: if opts.basic {
            0
        } else {
            sensitivity_options(opts).iterations as u64
        },
        progress,
        task_finish: TASK_DATE_ITERATIONS,
        ..SimOptions::full(iterations, opts.basis.seed)
    }
}

/// Everything a forecast makes of its simulated outcomes: the range check,
/// the questions, sensitivity, drivers, capacity findings and the summary.
fn conclude(
    sc: &Scenario,
    opts: &ForecastOptions,
    net: &Network,
    det: &Deterministic,
    outcomes: Outcomes,
    precision: Option<Precision>,
    mut clock: Clock,
) -> Result<ForecastRun, ForecastError> {
    let iterations = outcomes.iterations;
    let sens_opts = sensitivity_options(opts);
    // One sort of the iterations serves the range check, the summary and
    // the questions.
    let sample = Sample::new(&outcomes.project);
    check_range(&sc.plan, det, sample.max(), opts.basis.calendar)?;
    let (target, confidence) = opts.questions.answer_sample(&sample, opts.basis.calendar);
    let sens;
    let mut findings = Findings {
        target,
        confidence,
        precision,
        ..Findings::default()
    };
    if !opts.basic {
        sens = sensitivity(net, &outcomes, sens_opts);
        clock.lap("sensitivity");
        let ranked = sens_opts.iterations.min(iterations as usize) as u64;
        findings.sensitivity = Some((&sens, ranked));
        if opts.driver_tasks > 0 || !sc.risks.is_empty() {
            let mut d = DriverOptions {
                tasks: opts.driver_tasks,
                ..DriverOptions::default()
            };
            if sc.capacity.is_some() {
                // Every rerun reschedules every task.
                d.iterations = d.iterations.min(CAPACITY_ITERATIONS);
            }
            let found = drivers(&sc.plan, &sc.risks, net, &outcomes, &sens, d);
            findings.drivers = Some((found, d.iterations.min(iterations)));
            clock.lap("drivers");
        }
    }
    if sc.capacity.is_some() && (!opts.basic || !opts.headcount.is_empty()) {
        let run = CapacityRun {
            calendar: opts.basis.calendar,
            project: &outcomes.project,
            plan_days: det.project,
            seed: opts.basis.seed,
            iterations: CAPACITY_ITERATIONS,
        };
        let found = capacity_findings(sc, net, &run, &opts.headcount).map_err(|e| {
            ForecastError::Headcount(e.into_iter().map(|e| (String::new(), e)).collect())
        })?;
        findings.capacity = Some(found);
        clock.lap("capacity");
    }
    let inputs = ForecastInputs::of(sc, opts.basis.clone());
    let forecast = summarize_sample(&inputs, net, &outcomes, &sample, det, findings);
    clock.lap("summarize");
    drop(sample);
    Ok(ForecastRun {
        forecast,
        timings: clock.done(),
        finishes: outcomes.project,
    })
}

/// A cut-line question: which optional scope to cut to make `target` at
/// `confidence`.
#[derive(Debug, Clone)]
pub struct CutlineOptions<'a> {
    /// Calendar and seed.
    pub basis: RunBasis<'a>,
    /// Iterations per position.
    pub iterations: u64,
    /// The date to meet.
    pub target: NaiveDate,
    /// The confidence to meet it at.
    pub confidence: Confidence,
}

/// Sweeps the cut line of a scenario: every position simulated from one
/// compiled network, the smallest cut that makes the date recommended.
/// Returns it with the warnings about the scope (priorities that cannot be
/// cut as asked).
///
/// Cost: one pass of `iterations` serves every position.
///
/// # Errors
///
/// [`ForecastError::Range`] when the planned schedule lies past the range
/// slipcast answers in.
pub fn cutline(
    sc: &Scenario,
    opts: &CutlineOptions,
    progress: Option<&Progress>,
) -> Result<(Cutline, Vec<ScopeWarning>), ForecastError> {
    let scope = Scope::new(&sc.plan, sc.milestone);
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    check_range(&sc.plan, &det, det.project, opts.basis.calendar)?;
    if let Some(p) = progress {
        p.total.store(opts.iterations, Ordering::Relaxed);
    }
    let inputs = ForecastInputs::of(sc, opts.basis.clone());
    let line = sweep(&inputs, &net, &scope, &sweep_options(opts, progress));
    not_cancelled(progress)?;
    Ok((line, scope.warnings().to_vec()))
}

/// The slice `range` of a cut-line sweep's iterations, one mergeable
/// tallies per position: a shard's part of [`cutline`] (its positions are
/// the run's scenarios). [`cutline_merged`] of every position's merged
/// slices is [`cutline`]'s result to the bit.
///
/// # Errors
///
/// As [`cutline`], and [`ForecastError::Shard`] for a slice that is not a
/// shard's.
pub fn cutline_part(
    sc: &Scenario,
    opts: &CutlineOptions,
    range: Range<u64>,
    progress: Option<&Progress>,
) -> Result<Vec<Tallies>, ForecastError> {
    if range.end > opts.iterations || !range.start.is_multiple_of(crate::engine::CHUNK as u64) {
        return Err(ForecastError::Shard(format!(
            "iterations {}..{} are not a shard's slice of {}",
            range.start, range.end, opts.iterations
        )));
    }
    let scope = Scope::new(&sc.plan, sc.milestone);
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    check_range(&sc.plan, &det, det.project, opts.basis.calendar)?;
    if let Some(p) = progress {
        p.total.store(range.end - range.start, Ordering::Relaxed);
    }
    let sweep_opts = sweep_options(opts, progress);
    Ok(sweep_part(&net, &scope, &sweep_opts, range))
}

/// [`cutline`] from every position's merged tallies ([`cutline_part`]),
/// without simulating again.
///
/// # Errors
///
/// As [`cutline`], and [`ForecastError::Shard`] when the tallies are not
/// every iteration of every position.
pub fn cutline_merged(
    sc: &Scenario,
    opts: &CutlineOptions,
    tallies: Vec<Tallies>,
) -> Result<(Cutline, Vec<ScopeWarning>), ForecastError> {
    let scope = Scope::new(&sc.plan, sc.milestone);
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    check_range(&sc.plan, &det, det.project, opts.basis.calendar)?;
    let inputs = ForecastInputs::of(sc, opts.basis.clone());
    let line = sweep_merged(&inputs, &net, &scope, &sweep_options(opts, None), tallies)
        .map_err(|e| ForecastError::Shard(e.to_string()))?;
    Ok((line, scope.warnings().to_vec()))
}

/// The sweep options of a cut-line question.
fn sweep_options<'p>(opts: &CutlineOptions, progress: Option<&'p Progress>) -> SweepOptions<'p> {
    SweepOptions {
        iterations: opts.iterations,
        seed: opts.basis.seed,
        target: Target::new(opts.target, opts.basis.calendar),
        confidence: opts.confidence,
        progress,
    }
}

/// Scenarios to compare on one calendar, paired by iteration.
#[derive(Debug, Clone)]
pub struct CompareOptions<'a> {
    /// The calendar and seed shared by every scenario: iteration i of one
    /// scenario pairs with iteration i of another.
    pub basis: RunBasis<'a>,
    /// Iterations per scenario.
    pub iterations: u64,
    /// The milestone id forecast in every scenario, if any.
    pub milestone: Option<String>,
    /// The date to meet, if asked.
    pub target: Option<NaiveDate>,
    /// Per scenario, the priority from which its optional scope is cut
    /// (every task of that priority or lower, with what depends on it, as
    /// the cut line cuts it); empty, or `None` for a scenario: nothing cut.
    pub cuts: Vec<Option<i64>>,
}

impl CompareOptions<'_> {
    /// The compiled network of scenario `k`, cut as asked.
    fn network(&self, k: usize, sc: &Scenario) -> Network {
        let net = Network::compile_scenario(sc);
        match self.cuts.get(k).copied().flatten() {
            None => net,
            Some(from) => {
                let scope = Scope::new(&sc.plan, sc.milestone);
                let cut: Vec<bool> = scope
                    .effective()
                    .iter()
                    .map(|e| e.is_some_and(|e| e >= from))
                    .collect();
                net.without(&cut)
            }
        }
    }
}

/// Compares scenarios (each with its label): percentiles, the chance of the
/// target, and each one's paired difference from the first with a 95%
/// interval.
///
/// Cost: a finish-only simulation of `iterations` per scenario.
///
/// # Errors
///
/// [`ForecastError::Range`] when a finish lies past the range slipcast
/// answers in.
///
/// # Panics
///
/// If `scenarios` is empty.
pub fn compare_scenarios(
    scenarios: &[(&str, &Scenario)],
    opts: &CompareOptions,
    progress: Option<&Progress>,
) -> Result<Comparison, ForecastError> {
    let nets: Vec<Network> = scenarios
        .iter()
        .enumerate()
        .map(|(k, (_, sc))| opts.network(k, sc))
        .collect();
    if let Some(p) = progress {
        p.total
            .store(opts.iterations * scenarios.len() as u64, Ordering::Relaxed);
    }
    let sim = SimOptions {
        progress,
        ..SimOptions::finish_only(opts.iterations, opts.basis.seed)
    };
    let projects: Vec<Vec<f32>> = nets.iter().map(|net| simulate(net, &sim).project).collect();
    not_cancelled(progress)?;
    compared(scenarios, opts, &nets, &projects)
}

/// Slice `range` of scenario `k` (`sc`) of a comparison, as mergeable
/// tallies: a shard's part of [`compare_scenarios`] ([`Shard::slices`]
/// gives its units of work). [`compare_merged`] of every scenario's merged
/// slices is [`compare_scenarios`]'s result to the bit.
///
/// # Errors
///
/// [`ForecastError::Shard`] for a slice that is not a shard's.
///
/// [`Shard::slices`]: super::Shard::slices
pub fn compare_part(
    k: usize,
    sc: &Scenario,
    opts: &CompareOptions,
    range: Range<u64>,
    progress: Option<&Progress>,
) -> Result<Tallies, ForecastError> {
    if range.end > opts.iterations || !range.start.is_multiple_of(crate::engine::CHUNK as u64) {
        return Err(ForecastError::Shard(format!(
            "iterations {}..{} are not a shard's slice of {}",
            range.start, range.end, opts.iterations
        )));
    }
    let sim = SimOptions {
        progress,
        ..SimOptions::finish_only(opts.iterations, opts.basis.seed)
    };
    Ok(simulate_part(&opts.network(k, sc), &sim, range))
}

/// A comparison from every scenario's merged tallies ([`compare_part`]), in
/// the scenarios' order: [`compare_scenarios`]'s result without simulating
/// again.
///
/// # Errors
///
/// As [`compare_scenarios`], and [`ForecastError::Shard`] when the tallies
/// are not every iteration of every scenario.
pub fn compare_merged(
    scenarios: &[(&str, &Scenario)],
    opts: &CompareOptions,
    tallies: Vec<Tallies>,
) -> Result<Comparison, ForecastError> {
    if tallies.len() != scenarios.len() {
        return Err(ForecastError::Shard(format!(
            "tallies of {} scenarios for a comparison of {}",
            tallies.len(),
            scenarios.len()
        )));
    }
    let nets: Vec<Network> = scenarios
        .iter()
        .enumerate()
        .map(|(k, (_, sc))| opts.network(k, sc))
        .collect();
    let projects = tallies
        .into_iter()
        .zip(&nets)
        .map(|(t, net)| {
            if t.iterations() != opts.iterations || t.seed() != opts.basis.seed {
                return Err(ForecastError::Shard(
                    "the tallies are not of this comparison's iterations and seed".into(),
                ));
            }
            t.outcomes(net)
                .map(|o| o.project)
                .map_err(|e| ForecastError::Shard(e.to_string()))
        })
        .collect::<Result<Vec<Vec<f32>>, ForecastError>>()?;
    compared(scenarios, opts, &nets, &projects)
}

/// The comparison of the scenarios' simulated finishes.
fn compared(
    scenarios: &[(&str, &Scenario)],
    opts: &CompareOptions,
    nets: &[Network],
    projects: &[Vec<f32>],
) -> Result<Comparison, ForecastError> {
    for (((_, sc), net), project) in scenarios.iter().zip(nets).zip(projects) {
        let latest = project.iter().copied().fold(0.0f32, f32::max);
        check_range(
            &sc.plan,
            &deterministic(net),
            f64::from(latest),
            opts.basis.calendar,
        )?;
    }
    let inputs: Vec<ScenarioInput> = scenarios
        .iter()
        .zip(projects)
        .map(|((label, sc), project)| ScenarioInput {
            label,
            plan: &sc.plan,
            files: Inputs::of(sc),
            project,
        })
        .collect();
    Ok(compare(
        &inputs,
        &CompareInputs {
            basis: opts.basis.clone(),
            milestone: opts.milestone.as_deref(),
            target: opts.target.map(|t| Target::new(t, opts.basis.calendar)),
        },
    ))
}
