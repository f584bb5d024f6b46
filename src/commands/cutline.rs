//! `slipcast cutline`: which optional scope to cut to make the target date.

use std::io::Write;

use anyhow::Result;

use slipcast::analysis::CutlineOptions;
use slipcast::report::inert::visible;
use slipcast::report::{
    CUTLINE_CSV, CUTLINE_JSON, OutputSet, cutline_csv, cutline_json, cutline_text,
};

use slipcast::report::chart::{Chart, CutlineView};

use super::progress::with_progress;
use super::{output, start_threads};
use crate::config::CutlineConfig;

/// `slipcast cutline`.
pub fn cutline(cfg: &CutlineConfig) -> Result<()> {
    let sc = super::load_scenario(&cfg.plan, cfg.sim.milestone.as_deref())?;
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
    let opts = CutlineOptions {
        basis: super::basis(&cfg.plan, cfg.sim.seed),
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
    let mut stdout = std::io::stdout().lock();
    if cfg.output.json {
        stdout.write_all(&cutline_json(&line)?)?;
    } else if !cfg.sim.quiet {
        write!(stdout, "{}", cutline_text(&line))?;
    }
    if let Some(dest) = &dest {
        let dir = dest.path();
        let chart = Chart::from(CutlineView::new(&line));
        let mut set = OutputSet::new("cutline");
        set.add(CUTLINE_CSV, cutline_csv(&line)?);
        set.add(CUTLINE_JSON, cutline_json(&line)?);
        set.add("cutline.png", chart.png().map_err(|e| e.in_dir(dir))?);
        let svg = chart.svg().map_err(|e| e.in_dir(dir))?;
        set.add("cutline.svg", svg.into_bytes());
        output::publish(dest, &set, cfg.sim.quiet)?;
    }
    Ok(())
}
