//! `slipcast report`: the forecast as a folder for leadership.

use anyhow::{Context, Result};

use slipcast::report::{check_report_dir, commitment, write_report};

use super::progress::with_progress;
use super::{Depth, load_scenario, run_forecast};
use crate::config::ReportConfig;

/// `slipcast report`.
pub fn report(cfg: &ReportConfig) -> Result<()> {
    let sc = load_scenario(&cfg.plan, cfg.milestone.as_deref())?;
    check_report_dir(&cfg.out)?;
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
    );
    let written = write_report(&cfg.out, &forecast)?;
    if !cfg.quiet {
        println!("{}", commitment(&forecast));
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        eprintln!("wrote {}: {}", cfg.out.display(), names.join(", "));
    }
    Ok(())
}
