//! `slipcast cutline`: which optional scope to cut to make the target date.

use anyhow::Result;

use slipcast::analysis::{CutlineOptions, Slice};
use slipcast::engine::Tallies;
use slipcast::report::cutline_views;
use slipcast::report::inert::visible;

use super::progress::with_progress;
use super::{output, start_threads};
use crate::config::CutlineConfig;

/// `slipcast cutline`.
pub fn cutline(cfg: &CutlineConfig) -> Result<()> {
    cutline_with(cfg, None)
}

/// `slipcast cutline`, or with `merged` (every position's tallies, from the
/// shards of this sweep), its result without simulating again.
pub(crate) fn cutline_with(cfg: &CutlineConfig, merged: Option<Vec<Tallies>>) -> Result<()> {
    let sc = super::load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    super::check_target(Some(cfg.target), &cfg.plan.input, &sc)?;
    if let Some(sh) = &cfg.shard {
        start_threads(cfg.sim.threads)?;
        let axis = sc.plan.axis_calendar();
        let opts = options(cfg, &sc, axis.as_ref());
        let range = sh.shard.range(cfg.sim.iterations);
        let positions = with_progress(cfg.sim.quiet, "Summarising", |p| {
            slipcast::analysis::cutline_part(&sc, &opts, range.clone(), Some(p))
        })?;
        let slices = positions
            .into_iter()
            .enumerate()
            .map(|(k, t)| {
                let slice = Slice {
                    scenario: k as u64,
                    first: range.start,
                    end: range.end,
                };
                (slice, t)
            })
            .collect::<Vec<_>>();
        let run = super::shard_run(sh, &cfg.plan, &[], &sc, cfg.sim.quiet);
        return super::shard::write_slices(&run, slices.len() as u64, slices);
    }
    let dest = (cfg.output.out.as_deref())
        .map(|dir| {
            output::check(
                dir,
                "cutline",
                cfg.output.force,
                &output::inputs([&cfg.plan]),
            )
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    super::warn_unranged(&sc, cfg.sim.quiet);
    super::note_start(&cfg.plan.input, &sc, cfg.sim.quiet);
    let axis = sc.plan.axis_calendar();
    let opts = options(cfg, &sc, axis.as_ref());
    let (line, warnings) = with_progress(cfg.sim.quiet, "Summarising", |p| match merged {
        None => slipcast::analysis::cutline(&sc, &opts, Some(p)),
        Some(t) => slipcast::analysis::cutline_merged(&sc, &opts, t),
    })?;
    if !cfg.sim.quiet {
        for w in warnings {
            eprintln!("warning: {}", visible(&w.to_string()));
        }
    }
    output::emit(
        &cutline_views(),
        &line,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
}

/// The cut-line question of `cfg`, on the plan's calendar (`axis`, for a
/// plan on its own calendars).
fn options<'a>(
    cfg: &'a CutlineConfig,
    sc: &slipcast::plan::Scenario,
    axis: Option<&'a slipcast::plan::Calendar>,
) -> CutlineOptions<'a> {
    CutlineOptions {
        basis: super::basis(&cfg.plan.input, axis, &sc.plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        target: cfg.target,
        confidence: cfg.confidence,
    }
}
