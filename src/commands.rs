//! The subcommands, wired from the library's parts.

use std::io::Write;

use anyhow::{Context, Result};

use slipcast::analysis::{ForecastOptions, Iterations, RunBasis};
use slipcast::plan::Scenario;
use slipcast::report::{Exporter, Json, Terminal, forecast_set};

use crate::config::{MAX_ITERATIONS, PlanConfig, RunConfig, limits};

/// What the progress spinner says once the simulation is done.
const DRIVERS_PHASE: &str = "Ranking what drives the date";

mod compare;
mod cutline;

pub use compare::compare;
pub use cutline::cutline;

mod output;
mod progress;
mod report;
mod validate;

pub use report::report;

/// Loads and validates the plan, its risk register and correlations, and
/// resolves the milestone id.
pub fn load_scenario(cfg: &PlanConfig, milestone: Option<&str>) -> Result<Scenario> {
    Ok(Scenario::load(cfg.sources.clone(), milestone)?)
}

/// Sizes the worker pool once (`None`: every core).
pub fn start_threads(threads: Option<usize>) -> Result<()> {
    if let Some(t) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .context("could not start the worker threads")?;
    }
    Ok(())
}

/// The calendar, holidays file and seed of a plan's run.
fn basis(plan: &PlanConfig, seed: u64) -> RunBasis<'_> {
    RunBasis {
        holidays_file: plan.input.holidays_file(),
        ..RunBasis::new(plan.calendar(), seed)
    }
}

/// The forecast options of a plan's calendar and the run's flags.
fn forecast_options(plan: &PlanConfig, iterations: Iterations, seed: u64) -> ForecastOptions<'_> {
    ForecastOptions {
        basis: basis(plan, seed),
        iterations,
        ..ForecastOptions::new(plan.calendar(), 0, seed)
    }
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
    let sc = load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    let dest = (cfg.output.out.as_deref())
        .map(|dir| {
            output::check(
                dir,
                "forecast",
                cfg.output.force,
                &output::inputs([&cfg.plan]),
            )
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    let iterations = match cfg.precision {
        None => Iterations::Fixed(cfg.sim.iterations),
        Some(days) => Iterations::Precision {
            days,
            max: limits::max_iterations(limits::FORECAST_BYTES)
                .map_or(MAX_ITERATIONS, |m| m.min(MAX_ITERATIONS)),
        },
    };
    let opts = ForecastOptions {
        questions: cfg.questions,
        driver_tasks: cfg.drivers,
        basic: cfg.basic,
        rank_iterations: cfg.rank_iterations,
        ..forecast_options(&cfg.plan, iterations, cfg.sim.seed)
    };
    let (forecast, timings) = progress::with_progress(cfg.sim.quiet, DRIVERS_PHASE, |p| {
        slipcast::analysis::forecast(&sc, &opts, Some(p))
    })?;
    if cfg.timings {
        eprintln!("timings: {timings}");
    }
    let mut stdout = std::io::stdout().lock();
    if cfg.output.json {
        stdout.write_all(&Json.serialize(&forecast)?)?;
    } else if !cfg.sim.quiet {
        write!(stdout, "{}", Terminal { top: cfg.top }.render(&forecast))?;
    }
    if let Some(dest) = &dest {
        output::publish(dest, &forecast_set(&forecast)?, cfg.sim.quiet)?;
    }
    Ok(())
}
