//! `slipcast explain`: one percentile's world, replayed from the seed.

use anyhow::Result;

use slipcast::analysis::ExplainOptions;
use slipcast::report::explain_views;

use super::progress::with_progress;
use super::{output, start_threads};
use crate::config::ExplainConfig;

/// `slipcast explain`.
pub fn explain(cfg: &ExplainConfig) -> Result<()> {
    let sc = super::load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    let dest = (cfg.output.out.as_deref())
        .map(|dir| {
            output::check(
                dir,
                "explain",
                cfg.output.force,
                &output::inputs([&cfg.plan]),
            )
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    super::warn_unranged(&sc, cfg.sim.quiet);
    super::note_start(&cfg.plan.input, &sc, cfg.sim.quiet);
    let axis = sc.plan.axis_calendar();
    let opts = ExplainOptions {
        basis: super::basis(&cfg.plan.input, axis.as_ref(), &sc.plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        at: cfg.at,
    };
    let explanation = with_progress(cfg.sim.quiet, "Replaying the iteration", |p| {
        slipcast::analysis::explain(&sc, &opts, Some(p))
    })?;
    output::emit(
        &explain_views(),
        &explanation,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
}
