//! The subcommands, wired from the library's parts.

use std::io::Write;

use anyhow::{Context, Result, anyhow};

use slipcast::analysis::{
    CorrelationSummary, DriverOptions, Forecast, ForecastInputs, Questions, Sample,
    SensitivityOptions, check_range, drivers, iterations_for_precision, sensitivity,
    summarize_sample,
};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{
    Correlation, Plan, Risk, build_correlation, load_pairs_with, load_plan_with, load_risks_with,
};
use slipcast::report::{Exporter, Json, Terminal, forecast_set};

use crate::config::{PlanConfig, RunConfig};

mod compare;
mod cutline;

pub use compare::compare;
pub use cutline::cutline;

mod output;
mod progress;
mod report;
mod validate;

pub use report::report;

fn load(cfg: &PlanConfig) -> Result<Plan> {
    Ok(load_plan_with(
        &cfg.plan,
        cfg.edges.as_deref(),
        cfg.encoding,
    )?)
}

/// A plan with everything that goes with it: risks, correlations, the
/// milestone.
pub struct Scenario {
    pub plan: Plan,
    pub risks: Vec<Risk>,
    pub correlation: Option<Correlation>,
    pub milestone: Option<usize>,
}

impl Scenario {
    /// Compiles the scenario for simulation.
    pub fn network(&self) -> Network {
        Network::compile_with(
            &self.plan,
            &Model {
                milestone: self.milestone,
                risks: &self.risks,
                correlation: self.correlation.as_ref(),
            },
        )
    }
}

/// Loads and validates the plan, its risk register and correlations, and
/// resolves the milestone id.
pub fn load_scenario(cfg: &PlanConfig, milestone: Option<&str>) -> Result<Scenario> {
    let plan = load(cfg)?;
    let risks = match &cfg.risks {
        Some(p) => load_risks_with(p, &plan, cfg.encoding)?,
        None => Vec::new(),
    };
    let pairs = match &cfg.correlations {
        Some(p) => load_pairs_with(p, &plan, cfg.encoding)?,
        None => Vec::new(),
    };
    let correlation = build_correlation(&plan, &cfg.correlate, &pairs)?;
    let milestone = match milestone {
        None => None,
        Some(id) => Some(plan.index_of(id).ok_or_else(|| {
            let hint = plan
                .suggest(id)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            anyhow!(
                "--milestone \"{id}\" is not a task id in {}{hint}",
                plan.source
            )
        })?),
    };
    Ok(Scenario {
        plan,
        risks,
        correlation,
        milestone,
    })
}

/// Iterations behind each task's finish dates. A task's P50 or P80 from
/// 100,000 iterations is within a few hundredths of a working day of the
/// full run's (one date in the table), and histogramming every task's finish
/// in every iteration would cost as much as the schedule itself.
pub const TASK_DATE_ITERATIONS: u64 = 100_000;

/// What a full forecast computes beyond the percentiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Depth {
    /// Tasks to rerun in the driver analysis (0: none; risks are always
    /// ranked when there is a register).
    pub driver_tasks: usize,
    /// `--target` and `--confidence`, answered from the same iterations.
    pub questions: Questions,
    /// Print how long each phase took, on stderr.
    pub timings: bool,
    /// Percentiles, criticality and per-task dates only: no sensitivity or
    /// driver passes.
    pub basic: bool,
    /// Iterations ranked for the rank sensitivity (`None`: the default).
    pub rank_iterations: Option<u64>,
}

/// Simulates a scenario and builds the forecast: percentiles, criticality,
/// sensitivity and drivers.
pub fn run_forecast(
    cfg: &PlanConfig,
    sc: &Scenario,
    iterations: u64,
    seed: u64,
    depth: Depth,
    progress: Option<&std::sync::atomic::AtomicU64>,
) -> Result<Forecast> {
    let clock = std::time::Instant::now();
    let mut phases: Vec<(&str, f64)> = Vec::new();
    let mut lap = |name, since: &mut std::time::Instant| {
        phases.push((name, since.elapsed().as_secs_f64()));
        *since = std::time::Instant::now();
    };
    let mut t = std::time::Instant::now();
    let net = sc.network();
    let det = deterministic(&net);
    lap("compile", &mut t);
    let opts = SimOptions {
        moments: !depth.basic,
        progress,
        task_finish: TASK_DATE_ITERATIONS,
        ..SimOptions::full(iterations, seed)
    };
    let outcomes = simulate(&net, &opts);
    lap("simulate", &mut t);
    let latest = outcomes.project.iter().copied().fold(0.0f32, f32::max);
    check_range(&sc.plan, &det, f64::from(latest), &cfg.calendar)?;
    let inputs = ForecastInputs {
        plan: &sc.plan,
        edges: cfg.edges.as_ref().map(|p| p.display().to_string()),
        calendar: &cfg.calendar,
        holidays_file: cfg.holidays.as_ref().map(|p| p.display().to_string()),
        milestone: sc.milestone,
    };
    // One sort of the iterations serves the summary and the questions.
    let sample = Sample::new(&outcomes.project);
    let mut forecast = summarize_sample(&inputs, &net, &outcomes, &sample, &det);
    (forecast.target, forecast.confidence) = depth.questions.answer_sample(&sample, &cfg.calendar);
    lap("summarize", &mut t);
    forecast.attach_risks(&sc.plan, &sc.risks);
    if let Some(c) = &sc.correlation {
        let mut sources: Vec<String> = cfg
            .correlate
            .iter()
            .map(|r| match r {
                slipcast::plan::TeamRule::AllTeams(x) => format!("team={x}"),
                slipcast::plan::TeamRule::Team(t, x) => format!("team:{t}={x}"),
            })
            .collect();
        if let Some(p) = &cfg.correlations {
            sources.push(p.display().to_string());
        }
        forecast.correlation = Some(CorrelationSummary {
            tasks: c
                .tasks
                .iter()
                .map(|&t| sc.plan.tasks[t].id.clone())
                .collect(),
            sources,
            one_factor: c.teams.is_some(),
        });
    }
    if !depth.basic {
        let mut sens_opts = SensitivityOptions::default();
        if let Some(n) = depth.rank_iterations {
            sens_opts.iterations = n as usize;
        }
        let sens = sensitivity(&net, &outcomes, sens_opts);
        lap("sensitivity", &mut t);
        forecast.attach_sensitivity(&sens, sens_opts.iterations.min(iterations as usize) as u64);
        if depth.driver_tasks > 0 || !sc.risks.is_empty() {
            let opts = DriverOptions {
                tasks: depth.driver_tasks,
                ..DriverOptions::default()
            };
            forecast.drivers = drivers(&sc.plan, &sc.risks, &net, &outcomes, &sens, opts);
            forecast.driver_iterations = opts.iterations.min(iterations);
            lap("drivers", &mut t);
        }
    }
    if depth.timings {
        let parts: Vec<String> = phases
            .iter()
            .map(|(name, s)| format!("{name} {s:.3} s"))
            .collect();
        eprintln!(
            "timings: {}; total {:.3} s",
            parts.join(", "),
            clock.elapsed().as_secs_f64()
        );
    }
    Ok(forecast)
}

/// `slipcast validate`; with `json`, the outcome as one JSON object on
/// stdout, problems or not.
pub fn validate(cfg: &PlanConfig, json: bool) -> Result<()> {
    // The same loading as a forecast: the plan, and the risk register and
    // correlations when given (the holidays were read with the calendar).
    let sc = match load_scenario(cfg, None) {
        Err(e) if json => return validate::failed(cfg, e),
        sc => sc?,
    };
    if json {
        return validate::passed(&sc);
    }
    let plan = &sc.plan;
    let links: usize = plan.tasks.iter().map(|t| t.links.len()).sum();
    let mut extra = String::new();
    if !sc.risks.is_empty() {
        extra.push_str(&format!(", {} risks", sc.risks.len()));
    }
    if let Some(c) = &sc.correlation {
        extra.push_str(&format!(", {} correlated tasks", c.tasks.len()));
    }
    println!(
        "{}: {} tasks, {} links{extra}, no problems found",
        slipcast::report::inert::visible(&plan.source),
        plan.tasks.len(),
        links
    );
    Ok(())
}

/// `slipcast forecast`.
pub fn forecast(cfg: &RunConfig) -> Result<()> {
    let sc = load_scenario(&cfg.plan, cfg.milestone.as_deref())?;
    let dest = (cfg.out.as_deref())
        .map(|dir| output::check(dir, "forecast", cfg.force, &output::inputs([&cfg.plan])))
        .transpose()?;
    if let Some(t) = cfg.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .context("could not start the worker threads")?;
    }
    let precision = cfg
        .precision
        .map(|days| {
            let max = crate::config::limits::max_iterations(crate::config::limits::FORECAST_BYTES)
                .map_or(crate::config::MAX_ITERATIONS, |m| {
                    m.min(crate::config::MAX_ITERATIONS)
                });
            iterations_for_precision(&sc.network(), cfg.seed, days, 20_000, max)
        })
        .transpose()?;
    let iterations = precision.as_ref().map_or(cfg.iterations, |p| p.iterations);
    let depth = Depth {
        driver_tasks: cfg.drivers,
        questions: cfg.questions,
        timings: cfg.timings,
        basic: cfg.basic,
        rank_iterations: cfg.rank_iterations,
    };
    let mut forecast = progress::with_progress(
        iterations,
        cfg.quiet,
        "Ranking what drives the date",
        |done| run_forecast(&cfg.plan, &sc, iterations, cfg.seed, depth, Some(done)),
    )?;
    forecast.precision = precision;
    let mut stdout = std::io::stdout().lock();
    if cfg.json {
        stdout.write_all(&Json.serialize(&forecast)?)?;
    } else if !cfg.quiet {
        write!(stdout, "{}", Terminal { top: cfg.top }.render(&forecast))?;
    }
    if let Some(dest) = &dest {
        output::publish(dest, &forecast_set(&forecast)?, cfg.quiet)?;
    }
    Ok(())
}
