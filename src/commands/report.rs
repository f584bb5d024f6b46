//! `slipcast report`: the forecast as a folder for leadership.

use anyhow::{Context, Result};

use slipcast::report::inert::visible;
use slipcast::report::{commitment, report_set};

use super::output;
use super::progress::with_progress;
use super::{Depth, load_scenario, run_forecast};
use crate::config::ReportConfig;

/// `slipcast report`.
pub fn report(cfg: &ReportConfig) -> Result<()> {
    let sc = load_scenario(&cfg.plan, cfg.milestone.as_deref())?;
    let dest = output::check(&cfg.out, "report", cfg.force, &output::inputs([&cfg.plan]))?;
    if let Some(t) = cfg.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .context("could not start the worker threads")?;
    }
    let depth = Depth {
        driver_tasks: cfg.drivers,
        ..Depth::default()
    };
    let forecast = with_progress(
        cfg.iterations,
        cfg.quiet,
        "Ranking what drives the date",
        |done| run_forecast(&cfg.plan, &sc, cfg.iterations, cfg.seed, depth, Some(done)),
    )?;
    let set = report_set(&forecast)?;
    output::publish(&dest, &set, true)?;
    if !cfg.quiet {
        println!("{}", visible(&commitment(&forecast)));
        let names: Vec<&str> = set.names().collect();
        let dir = cfg.out.display().to_string();
        eprintln!("wrote {}: {}", visible(&dir), names.join(", "));
    }
    Ok(())
}
