//! The subcommands, wired from the library's parts.

use anyhow::{Context, Result};
use chrono::NaiveDate;

use slipcast::analysis::{ForecastOptions, Iterations, RunBasis};
use slipcast::engine::Tallies;
use slipcast::plan::{Calendar, Plan, Scenario};
use slipcast::report::forecast_views;

use crate::config::{InputConfig, MAX_ITERATIONS, PlanConfig, RunConfig, SimConfig, limits};

/// What the progress spinner says once the simulation is done.
const DRIVERS_PHASE: &str = "Ranking what drives the date";

pub(crate) mod compare;
pub(crate) mod cutline;

pub use compare::compare;
pub use cutline::cutline;

mod explain;
mod history;
mod import;
mod output;
mod progress;
mod ranging;
mod report;
mod shard;
mod validate;

pub use shard::merge;

pub use explain::explain;
pub use history::history_command as history;

pub use import::import;
pub use report::report;

/// Loads and validates the plan, its risk register and correlations, and
/// resolves the milestone id.
pub fn load_scenario(cfg: &PlanConfig, milestone: Option<&str>) -> Result<Scenario> {
    let sc = Scenario::load(cfg.sources.clone(), milestone)?;
    own_calendars_only(cfg, &sc)?;
    Ok(sc)
}

/// Refuses a `--target` before the plan's start: the run's `--start` (else
/// today), or the start of a plan on its own calendars (its data date).
pub fn check_target(target: Option<NaiveDate>, input: &InputConfig, sc: &Scenario) -> Result<()> {
    let Some(d) = target else {
        return Ok(());
    };
    match &sc.plan.calendars {
        Some(c) if d < c.start => {
            let path = sc.sources.plan.display().to_string();
            anyhow::bail!(
                "--target {d} is before the {} of {}, {}; give a target on or after it",
                c.axis_start.as_str(),
                slipcast::report::inert::visible(&path),
                c.start
            )
        }
        None if d < input.calendar.start() => anyhow::bail!(
            "--target {d} is before the start date {}; give a later target, or an earlier --start",
            input.calendar.start()
        ),
        _ => Ok(()),
    }
}

/// Refuses `--workdays` and `--holidays` for a plan whose tasks keep their
/// own calendars (a P6 or MS Project file): they would be ignored.
fn own_calendars_only(cfg: &PlanConfig, sc: &Scenario) -> Result<()> {
    if sc.plan.calendars.is_none() {
        return Ok(());
    }
    let path = sc.sources.plan.display().to_string();
    let file = slipcast::report::inert::visible(&path);
    if let Some(w) = &cfg.input.workdays {
        anyhow::bail!(
            "--workdays {w} applies to a plan on the run's calendar; the tasks of {file} \
             work on their own calendars (from the file), so leave --workdays out"
        );
    }
    if let Some(h) = &cfg.input.holidays {
        anyhow::bail!(
            "--holidays {} applies to a plan on the run's calendar; the tasks of {file} \
             work on their own calendars (from the file), whose exceptions are its holidays, \
             so leave --holidays out",
            h.display()
        );
    }
    Ok(())
}

/// Says every warning of the scenario's files on stderr, warns when an
/// imported plan has no uncertainty at all (P6 files carry single
/// durations), and notes what a ranges file left unranged.
fn warn_unranged(sc: &Scenario, quiet: bool) {
    say_warnings(sc, quiet);
    ranging::warn(sc, quiet);
}

/// Says every warning of the scenario's files on stderr.
fn say_warnings(sc: &Scenario, quiet: bool) {
    if !quiet {
        for w in &sc.warnings {
            eprintln!(
                "warning: {}",
                slipcast::report::inert::visible(&w.to_string())
            );
        }
    }
}

/// Notes on stderr that a `--start` on a day off moves the start to the
/// next working day (not for a plan on its own calendars, whose axis
/// starts at the data date).
fn note_start(input: &InputConfig, sc: &Scenario, quiet: bool) {
    if quiet || sc.plan.calendars.is_some() {
        return;
    }
    if let Some(note) = input.start_note() {
        eprintln!("note: {note}");
    }
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

/// The calendar, holidays file, seed and generation time of a run: the
/// `--start`/`--workdays`/`--holidays` calendar, or for a plan whose tasks
/// have their own calendars, its time axis (`axis`).
fn basis<'a>(
    input: &'a InputConfig,
    axis: Option<&'a Calendar>,
    plan: &Plan,
    sim: &SimConfig,
) -> RunBasis<'a> {
    RunBasis::for_plan(
        plan,
        axis,
        &input.calendar,
        input.holidays_file(),
        sim.seed,
        sim.generated,
    )
}

/// The forecast options of a plan's calendar and the run's flags.
fn forecast_options<'a>(
    plan: &'a PlanConfig,
    axis: Option<&'a Calendar>,
    sc: &Scenario,
    sim: &SimConfig,
    iterations: Iterations,
) -> ForecastOptions<'a> {
    let basis = basis(&plan.input, axis, &sc.plan, sim);
    ForecastOptions {
        iterations,
        ..ForecastOptions::new(basis.calendar, 0, sim.seed)
    }
    .with_basis(basis)
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
    warn_unranged(&sc, false);
    let plan = &sc.plan;
    let links: usize = plan.tasks.iter().map(|t| t.links.len()).sum();
    let count = |n: usize, thing: &str| {
        let s = if n == 1 { "" } else { "s" };
        format!("{} {thing}{s}", slipcast::report::group_digits(n as u64))
    };
    let mut extra = String::new();
    if !sc.risks.is_empty() {
        extra.push_str(&format!(", {}", count(sc.risks.len(), "risk")));
    }
    if let Some(c) = &sc.correlation {
        extra.push_str(&format!(", {}", count(c.tasks.len(), "correlated task")));
    }

    println!(
        "{}: {}, {}{extra}, no problems found",
        slipcast::report::inert::visible(&plan.source),
        count(plan.tasks.len(), "task"),
        count(links, "link")
    );
    if let Some(r) = &sc.import {
        println!("Ranged: {}", slipcast::report::ranging_summary(&r.ranging));
    }
    Ok(())
}

/// `slipcast forecast`.
pub fn forecast(cfg: &RunConfig) -> Result<()> {
    forecast_with(cfg, None)
}

/// `slipcast forecast`, or with `merged` (every shard's tallies of this
/// run), its result without simulating again.
pub(crate) fn forecast_with(cfg: &RunConfig, merged: Option<Tallies>) -> Result<()> {
    let sc = load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    check_target(cfg.questions.target, &cfg.plan.input, &sc)?;
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
    warn_unranged(&sc, cfg.sim.quiet);
    note_start(&cfg.plan.input, &sc, cfg.sim.quiet);
    let axis = sc.plan.axis_calendar();
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
        headcount: cfg.headcount.clone(),
        ..forecast_options(&cfg.plan, axis.as_ref(), &sc, &cfg.sim, iterations)
    };
    if let Some(sh) = &cfg.shard {
        let range = sh.shard.range(cfg.sim.iterations);
        let tallies = progress::with_progress(cfg.sim.quiet, DRIVERS_PHASE, |p| {
            slipcast::analysis::forecast_part(&sc, &opts, range, Some(p))
        })?;
        let run = shard_run(sh, &cfg.plan, &[], &sc, cfg.sim.quiet);
        return shard::write_partial(&run, tallies);
    }
    let (forecast, timings) =
        progress::with_progress(cfg.sim.quiet, DRIVERS_PHASE, |p| match merged {
            None => slipcast::analysis::forecast(&sc, &opts, Some(p)),
            Some(t) => slipcast::analysis::forecast_merged(&sc, &opts, t, Some(p)),
        })?;
    if cfg.timings {
        eprintln!("timings: {timings}");
    }
    output::emit(
        &forecast_views(cfg.top),
        &forecast,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
}

/// A shard's run: its inputs (the plan's and `more`'s) and the start it
/// settled on when none was given.
fn shard_run<'a>(
    sh: &'a crate::config::ShardConfig,
    plan: &'a PlanConfig,
    more: &'a [PlanConfig],
    sc: &Scenario,
    quiet: bool,
) -> shard::ShardRun<'a> {
    let mut inputs = output::inputs(std::iter::once(plan).chain(more));
    inputs.sort();
    inputs.dedup();
    shard::ShardRun {
        shard: sh,
        inputs,
        start: (!plan.input.start_given && sc.plan.calendars.is_none())
            .then(|| plan.input.calendar.start()),
        quiet,
    }
}
