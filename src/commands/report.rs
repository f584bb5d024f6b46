//! `slipcast report`: the forecast as a folder for leadership.

use anyhow::Result;

use slipcast::report::inert::visible;
use slipcast::report::{ReportOptions, commitment, report_set_with};

use super::output;
use super::progress::with_progress;
use super::{DRIVERS_PHASE, forecast_options, load_scenario, start_threads};
use crate::config::{ReportConfig, ShardConfig};
use slipcast::analysis::{Confidence, ExplainOptions, ForecastOptions, Iterations};
use slipcast::engine::Tallies;
use slipcast::plan::Scenario;

/// `slipcast report`.
pub fn report(cfg: &ReportConfig) -> Result<()> {
    report_with(cfg, None)
}

/// `slipcast report`, or with `merged` (every shard's tallies of this run),
/// the report without simulating the iterations again.
pub(crate) fn report_with(cfg: &ReportConfig, merged: Option<Tallies>) -> Result<()> {
    let sc = load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    super::check_target(cfg.questions.target, &cfg.plan.input, &sc)?;
    if let Some(sh) = &cfg.shard {
        return shard(cfg, sh, &sc);
    }
    let dest = output::check(
        &cfg.out,
        "report",
        cfg.force,
        &output::inputs(std::iter::once(&cfg.plan).chain(&cfg.history)),
    )?;
    start_threads(cfg.sim.threads)?;
    super::warn_unranged(&sc, cfg.sim.quiet);
    super::note_start(&cfg.plan.input, &sc, cfg.sim.quiet);
    let axis = sc.plan.axis_calendar();
    let opts = report_options(cfg, &sc, axis.as_ref());
    // A merged run's finishes, for the replay of the P80's world.
    let project: Option<Vec<f32>> = merged.as_ref().map(|t| t.project().to_vec());
    let (forecast, _) = with_progress(cfg.sim.quiet, DRIVERS_PHASE, |p| match merged {
        None => slipcast::analysis::forecast(&sc, &opts, Some(p)),
        Some(t) => slipcast::analysis::forecast_merged(&sc, &opts, t, Some(p)),
    })?;
    // The section on the P80's world: that iteration, replayed.
    let at = Confidence::new(80.0).expect("80 is a percentile");
    let world_opts = ExplainOptions {
        basis: opts.basis.clone(),
        iterations: cfg.sim.iterations,
        at,
    };
    let world = with_progress(
        cfg.sim.quiet,
        "Replaying the P80 iteration",
        |p| match &project {
            None => slipcast::analysis::explain(&sc, &world_opts, Some(p)),
            Some(f) => slipcast::analysis::explain_from(&sc, &world_opts, f),
        },
    )?;
    // The section on how the forecast moved: the earlier snapshots, then
    // this plan.
    let history = if cfg.history.is_empty() {
        None
    } else {
        Some(with_progress(
            cfg.sim.quiet,
            "Explaining how the forecast moved",
            |_| super::history::report_history(cfg, &sc, &opts.basis),
        )?)
    };
    let options = ReportOptions {
        title: cfg.title.as_deref(),
        world: Some(&world),
        history: history.as_ref(),
    };
    let set = report_set_with(&forecast, &options)?;
    output::publish(&dest, &set, true)?;
    if !cfg.sim.quiet {
        println!("{}", visible(&commitment(&forecast)));
        let names: Vec<&str> = set.names().collect();
        let dir = cfg.out.display().to_string();
        eprintln!("wrote {}: {}", visible(&dir), names.join(", "));
    }
    Ok(())
}

/// One shard of a report's run: the forecast's slice, as a partial file.
fn shard(cfg: &ReportConfig, sh: &ShardConfig, sc: &Scenario) -> Result<()> {
    start_threads(cfg.sim.threads)?;
    let axis = sc.plan.axis_calendar();
    let opts = report_options(cfg, sc, axis.as_ref());
    let range = sh.shard.range(cfg.sim.iterations);
    let tallies = with_progress(cfg.sim.quiet, DRIVERS_PHASE, |p| {
        slipcast::analysis::forecast_part(sc, &opts, range, Some(p))
    })?;
    let run = super::shard_run(sh, &cfg.plan, &cfg.history, sc, cfg.sim.quiet);
    super::shard::write_partial(&run, tallies)
}

/// The forecast a report makes, on the plan's calendar (`axis`, for a plan
/// on its own calendars).
fn report_options<'a>(
    cfg: &'a ReportConfig,
    sc: &Scenario,
    axis: Option<&'a slipcast::plan::Calendar>,
) -> ForecastOptions<'a> {
    ForecastOptions {
        driver_tasks: cfg.drivers,
        questions: cfg.questions,
        headcount: cfg.headcount.clone(),
        ..forecast_options(
            &cfg.plan,
            axis,
            sc,
            &cfg.sim,
            Iterations::Fixed(cfg.sim.iterations),
        )
    }
}
