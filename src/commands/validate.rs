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
use serde::Serialize;

use slipcast::plan::{CorrelationError, LoadError, Problem, Scenario, ScenarioError, Warning};

use crate::config::PlanConfig;

/// The object printed.
#[derive(Serialize)]
struct Outcome<'a> {
    /// Whether the plan and its files loaded without a problem.
    valid: bool,
    /// The plan file, as the user named it.
    plan: String,
    /// Tasks, links, risks and correlated tasks of a valid plan.
    #[serde(flatten)]
    counts: Option<Counts>,
    /// Every problem, in file order.
    problems: Vec<Entry<'a>>,
    /// What reads but should be looked at (file, line, task, message), for
    /// a plan that loaded (absent for one that did not).
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<&'a [Warning]>,
}

#[derive(Serialize)]
struct Counts {
    tasks: usize,
    links: usize,
    risks: usize,
    correlated_tasks: usize,
}

/// A problem of a file, or an error that is not one (shown the same way).
#[derive(Serialize)]
#[serde(untagged)]
enum Entry<'a> {
    Problem(&'a Problem),
    Other {
        file: Option<String>,
        line: Option<u64>,
        task: Option<String>,
        message: String,
    },
}

/// Prints the problems of a plan that did not load, and returns its error.
pub fn failed(cfg: &PlanConfig, e: anyhow::Error) -> Result<()> {
    print(&Outcome {
        valid: false,
        plan: cfg.sources.plan.display().to_string(),
        counts: None,
        problems: entries(&e),
        warnings: None,
    })?;
    Err(e)
}

/// Prints what a valid plan holds.
pub fn passed(sc: &Scenario) -> Result<()> {
    let plan = &sc.plan;
    print(&Outcome {
        valid: true,
        plan: plan.source.clone(),
        counts: Some(Counts {
            tasks: plan.tasks.len(),
            links: plan.tasks.iter().map(|t| t.links.len()).sum(),
            risks: sc.risks.len(),
            correlated_tasks: sc.correlation.as_ref().map_or(0, |c| c.tasks.len()),
        }),
        problems: Vec::new(),
        warnings: Some(&sc.warnings),
    })
}

fn print(outcome: &Outcome) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, outcome)?;
    writeln!(stdout)?;
    Ok(())
}

/// Every problem an error holds: a file's list of problems, or the error
/// itself as one (with the correlations file and line of a correlation
/// conflict, the path of a file that cannot be read).
fn entries(e: &anyhow::Error) -> Vec<Entry<'_>> {
    let mut file = None;
    let mut line = None;
    let scenario = e.downcast_ref::<ScenarioError>();
    let load = e.downcast_ref::<LoadError>().or(match scenario {
        Some(ScenarioError::Load(l)) => Some(l),
        _ => None,
    });
    let correlation = e.downcast_ref::<CorrelationError>().or(match scenario {
        Some(ScenarioError::Correlation(c)) => Some(c),
        _ => None,
    });
    if let Some(load) = load {
        if !load.problems().is_empty() {
            return load.problems().iter().map(Entry::Problem).collect();
        }
        if let LoadError::Io { path, .. } = load {
            file = Some(path.clone());
        }
    }
    if let Some((f, l)) = correlation.and_then(|c| c.place()) {
        file = Some(f.to_string());
        line = Some(l);
    }
    vec![Entry::Other {
        file,
        line,
        task: None,
        message: format!("{e:#}"),
    }]
}
