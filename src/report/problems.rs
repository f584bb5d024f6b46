//! Every problem of an input that did not load, as one list: what
//! `validate --json` prints and the Python package's `PlanError` carries.

use serde::Serialize;

use crate::plan::{CorrelationError, LoadError, Problem, Scenario, ScenarioError, Warning};

/// The outcome of validating a plan with its files: what `validate --json`
/// prints, `{"valid": bool, "plan": PATH, ..., "problems": [...]}`, with
/// the counts when the plan is valid.
#[derive(Debug, Serialize)]
pub struct Validation<'a> {
    /// Whether the plan and its files loaded without a problem.
    pub valid: bool,
    /// The plan file, as the user named it.
    pub plan: String,
    /// Tasks, links, risks and correlated tasks of a valid plan.
    #[serde(flatten)]
    pub counts: Option<Counts>,
    /// Every problem, in file order.
    pub problems: Vec<ProblemEntry<'a>>,
    /// What reads but should be looked at (file, line, task, message), for
    /// a plan that loaded (absent for one that did not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<&'a [Warning]>,
}

/// What a valid plan holds.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Tasks.
    pub tasks: usize,
    /// Dependency links.
    pub links: usize,
    /// Risks of the register.
    pub risks: usize,
    /// Tasks with a correlation.
    pub correlated_tasks: usize,
}

impl<'a> Validation<'a> {
    /// The outcome of a plan (`plan`, as named) that did not load, with
    /// every problem of `e`.
    pub fn failed(plan: String, e: &'a anyhow::Error) -> Validation<'a> {
        Validation {
            valid: false,
            plan,
            counts: None,
            problems: problem_entries(e),
            warnings: None,
        }
    }

    /// The outcome of a scenario that loaded.
    pub fn passed(sc: &'a Scenario) -> Validation<'a> {
        let plan = &sc.plan;
        Validation {
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
        }
    }
}

/// A problem of a file, or an error that is not one (shown the same way).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ProblemEntry<'a> {
    /// A problem at a place in a file.
    Problem(&'a Problem),
    /// An error that is not a file's list of problems.
    Other {
        /// The file it concerns, when known.
        file: Option<String>,
        /// The line, when known.
        line: Option<u64>,
        /// The task, when known.
        task: Option<String>,
        /// The whole message, as the command line prints it.
        message: String,
    },
}

/// Every problem an error holds: a file's list of problems, or the error
/// itself as one (with the correlations file and line of a correlation
/// conflict, the path of a file that cannot be read).
pub fn problem_entries(e: &anyhow::Error) -> Vec<ProblemEntry<'_>> {
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
            return load.problems().iter().map(ProblemEntry::Problem).collect();
        }
        if let LoadError::Io { path, .. } = load {
            file = Some(path.clone());
        }
    }
    if let Some((f, l)) = correlation.and_then(|c| c.place()) {
        file = Some(f.to_string());
        line = Some(l);
    }
    vec![ProblemEntry::Other {
        file,
        line,
        task: None,
        message: format!("{e:#}"),
    }]
}
