//! `slipcast validate --json`: the outcome as one JSON object on stdout.
//!
//! `{"valid": bool, "plan": PATH, ..., "problems": [...]}`, with the counts
//! when the plan is valid. Each problem has `file`, `line` and `task` (null
//! when unknown) and `message`; a dependency cycle also has `cycle`, its
//! full list of ids, which the message shortens when the cycle is long.
//! `warnings` lists what reads but should be looked at, in the same shape.
//! With problems the command still exits 1, with the usual message on
//! stderr.

use std::io::Write;

use anyhow::Result;
use slipcast::plan::Scenario;
use slipcast::report::Validation;

use crate::config::PlanConfig;

/// Prints the problems of a plan that did not load, and returns its error.
pub fn failed(cfg: &PlanConfig, e: anyhow::Error) -> Result<()> {
    print(&Validation::failed(
        cfg.sources.plan.display().to_string(),
        &e,
    ))?;
    Err(e)
}

/// Prints what a valid plan holds.
pub fn passed(sc: &Scenario) -> Result<()> {
    print(&Validation::passed(sc))
}

fn print(outcome: &Validation) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, outcome)?;
    writeln!(stdout)?;
    Ok(())
}
