//! `slipcast cutline`: which optional scope to cut to make the target date.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use slipcast::analysis::{ForecastInputs, Scope, SweepOptions, Target, sweep};
use slipcast::report::{
    CUTLINE_CSV, CUTLINE_JSON, cutline_csv, cutline_json, cutline_text, prepare_dir, write_atomic,
};

use slipcast::report::chart::{Chart, CutlineView};

use super::progress::with_progress;
use crate::config::CutlineConfig;

/// Sizes the worker pool (`None`: every core).
pub(super) fn start_threads(threads: Option<usize>) -> Result<()> {
    if let Some(t) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .context("could not start the worker threads")?;
    }
    Ok(())
}

/// Writes `files` into `dir` atomically and says so unless `quiet`.
pub(super) fn write_files(dir: &Path, files: &[(&str, Vec<u8>)], quiet: bool) -> Result<()> {
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        if !quiet {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// `slipcast cutline`.
pub fn cutline(cfg: &CutlineConfig) -> Result<()> {
    let sc = super::load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
    if let Some(dir) = &cfg.sim.out {
        prepare_dir(dir)?;
    }
    start_threads(cfg.sim.threads)?;
    let scope = Scope::new(&sc.plan, sc.milestone);
    if !cfg.sim.quiet {
        for w in scope.warnings() {
            eprintln!(
                "warning: {}",
                slipcast::report::inert::visible(&w.to_string())
            );
        }
    }
    // Compiled once (with the risk register and correlations, if any);
    // every position is derived from it without re-reading anything.
    let net = sc.network();
    let inputs = ForecastInputs {
        plan: &sc.plan,
        edges: cfg.plan.edges.as_ref().map(|p| p.display().to_string()),
        calendar: &cfg.plan.calendar,
        holidays_file: cfg.plan.holidays.as_ref().map(|p| p.display().to_string()),
        milestone: sc.milestone,
    };
    let mut line = with_progress(cfg.sim.iterations, cfg.sim.quiet, "Summarising", |done| {
        let opts = SweepOptions {
            iterations: cfg.sim.iterations,
            seed: cfg.sim.seed,
            target: Target::new(cfg.target, &cfg.plan.calendar),
            confidence: cfg.confidence,
            progress: Some(done),
        };
        sweep(&inputs, &net, &scope, &opts)
    });
    line.risks = cfg.plan.risks.as_ref().map(|p| p.display().to_string());
    let mut stdout = std::io::stdout().lock();
    if cfg.sim.json {
        stdout.write_all(&cutline_json(&line)?)?;
    } else if !cfg.sim.quiet {
        write!(stdout, "{}", cutline_text(&line))?;
    }
    if let Some(dir) = &cfg.sim.out {
        let chart = Chart::from(CutlineView::new(&line));
        write_files(
            dir,
            &[
                (CUTLINE_CSV, cutline_csv(&line)?),
                (CUTLINE_JSON, cutline_json(&line)?),
                ("cutline.png", chart.png().map_err(|e| e.in_dir(dir))?),
                (
                    "cutline.svg",
                    chart.svg().map_err(|e| e.in_dir(dir))?.into_bytes(),
                ),
            ],
            cfg.sim.quiet,
        )?;
    }
    Ok(())
}
