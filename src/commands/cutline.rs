//! `slipcast cutline`: which optional scope to cut to make the target date.

use anyhow::Result;

use slipcast::analysis::CutlineOptions;
use slipcast::report::cutline_views;
use slipcast::report::inert::visible;

use super::progress::with_progress;
use super::{output, start_threads};
use crate::config::CutlineConfig;

/// `slipcast cutline`.
pub fn cutline(cfg: &CutlineConfig) -> Result<()> {
    let sc = super::load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    super::check_target(Some(cfg.target), &cfg.plan.input, &sc)?;
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
    let opts = CutlineOptions {
        basis: super::basis(&cfg.plan.input, axis.as_ref(), &sc.plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        target: cfg.target,
        confidence: cfg.confidence,
    };
    let (line, warnings) = with_progress(cfg.sim.quiet, "Summarising", |p| {
        slipcast::analysis::cutline(&sc, &opts, Some(p))
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
