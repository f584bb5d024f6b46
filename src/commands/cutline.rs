//! `slipcast cutline`: which optional scope to cut to make the target date.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};

use slipcast::analysis::{ForecastInputs, Scope, SweepOptions, Target, sweep};
use slipcast::network::Network;
use slipcast::plan::Plan;
use slipcast::report::{
    CUTLINE_CSV, CUTLINE_JSON, cutline_csv, cutline_json, cutline_text, prepare_dir, write_atomic,
};

use crate::config::CutlineConfig;

/// The plan index of `--milestone ID`, with a suggestion when it is unknown.
pub(super) fn milestone_index(plan: &Plan, id: Option<&str>) -> Result<Option<usize>> {
    let Some(id) = id else { return Ok(None) };
    plan.index_of(id).map(Some).ok_or_else(|| {
        let hint = plan
            .suggest(id)
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
        anyhow!(
            "--milestone \"{id}\" is not a task id in {}{hint}",
            plan.source
        )
    })
}

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
    let plan = super::load(&cfg.plan)?;
    let milestone = milestone_index(&plan, cfg.sim.milestone.as_deref())?;
    if let Some(dir) = &cfg.sim.out {
        prepare_dir(dir)?;
    }
    start_threads(cfg.sim.threads)?;
    let scope = Scope::new(&plan, milestone);
    if !cfg.sim.quiet {
        for w in scope.warnings() {
            eprintln!("warning: {w}");
        }
    }
    // Compiled once; every position is derived from it without re-reading.
    let net = Network::compile(&plan, milestone);
    let inputs = ForecastInputs {
        plan: &plan,
        edges: cfg.plan.edges.as_ref().map(|p| p.display().to_string()),
        calendar: &cfg.plan.calendar,
        holidays_file: cfg.plan.holidays.as_ref().map(|p| p.display().to_string()),
        milestone,
    };
    let opts = SweepOptions {
        iterations: cfg.sim.iterations,
        seed: cfg.sim.seed,
        target: Target::new(cfg.target, &cfg.plan.calendar),
        confidence: cfg.confidence,
        progress: None,
    };
    let line = sweep(&inputs, &net, &scope, &opts);
    let mut stdout = std::io::stdout().lock();
    if cfg.sim.json {
        stdout.write_all(&cutline_json(&line)?)?;
    } else if !cfg.sim.quiet {
        write!(stdout, "{}", cutline_text(&line))?;
    }
    if let Some(dir) = &cfg.sim.out {
        write_files(
            dir,
            &[
                (CUTLINE_CSV, cutline_csv(&line)?),
                (CUTLINE_JSON, cutline_json(&line)?),
            ],
            cfg.sim.quiet,
        )?;
    }
    Ok(())
}
