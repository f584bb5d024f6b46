//! What can be wrong with a plan, said so that the user can fix it.

use std::fmt;

use thiserror::Error;

use super::EstimateError;

/// One problem found in an input file, with where it is.
///
/// Displays as `plan.csv:7: task "qa": low (5) > likely (3); expected low <= likely <= high`.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// The line as an editor shows it (the header is line 1).
    pub line: Option<u64>,
    /// The task (or risk) id the problem belongs to.
    pub task: Option<String>,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(task) = &self.task {
            write!(f, "task \"{task}\": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// What is wrong, in words that say how to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The CSV itself cannot be read at this point.
    #[error("the CSV cannot be read here: {0}")]
    Csv(String),
    /// The file has a header but no rows.
    #[error("the file has no rows below its header; add one task per line")]
    Empty,
    /// A required column is absent from the header.
    #[error(
        "there is no \"{column}\" column (accepted names: {aliases}); add it to the header line"
    )]
    MissingColumn {
        /// The canonical column name.
        column: String,
        /// The accepted names, comma-separated.
        aliases: String,
    },
    /// Two header cells name the same column.
    #[error("columns \"{first}\" and \"{second}\" both mean \"{column}\"; keep one of them")]
    DuplicateColumn {
        /// Canonical name.
        column: String,
        /// First header text.
        first: String,
        /// Second header text.
        second: String,
    },
    /// A row gives no duration at all.
    #[error(
        "has no estimate; give low, likely and high (or likely alone for a fixed duration, 0 for a milestone)"
    )]
    NoEstimate,
    /// A row has no id.
    #[error("the id is blank; every task needs a unique id")]
    MissingId,
    /// An id contains a character the link syntax reserves.
    #[error(
        "id \"{0}\" contains a space, ';' or ':'; ids may not, because depends_on uses them as separators"
    )]
    BadId(String),
    /// An id is used twice.
    #[error("id is used again; it was first used on line {first_line}. Ids must be unique")]
    DuplicateId {
        /// Line of the first use.
        first_line: u64,
    },
    /// A number cannot be read.
    #[error("{column} \"{value}\" is not a number; write a plain decimal such as 3 or 2.5")]
    NotANumber {
        /// The column.
        column: String,
        /// The cell text.
        value: String,
    },
    /// The numbers do not make an estimate.
    #[error("{0}")]
    Estimate(#[from] EstimateError),
    /// The `dist` cell names no known distribution.
    #[error("unknown distribution \"{value}\"{}; use one of pert, triangular, uniform, normal, lognormal, fixed", suggest(.suggestion))]
    UnknownDistribution {
        /// The cell text.
        value: String,
        /// The closest known name, if any is close.
        suggestion: Option<String>,
    },
    /// The `status` cell is not a known status.
    #[error("unknown status \"{0}\"; use todo, in_progress or done")]
    BadStatus(String),
    /// The `priority` cell is not an integer.
    #[error(
        "priority \"{0}\" is not a whole number; use 1, 2, 3, ... (lower = more important) or leave it blank for must-have"
    )]
    BadPriority(String),
    /// A date cannot be read.
    #[error("{column} \"{value}\" is not a date; write it as YYYY-MM-DD")]
    BadDate {
        /// The column.
        column: String,
        /// The cell text.
        value: String,
    },
    /// A dependency link cannot be read.
    #[error("{0}")]
    BadLink(String),
    /// A link names a task that does not exist.
    #[error("depends on \"{dep}\", which is not a task id in the plan{}", suggest(.suggestion))]
    UnknownDependency {
        /// The id named.
        dep: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
    /// A task depends on itself.
    #[error("depends on itself; remove the link from \"{0}\" to itself")]
    SelfDependency(String),
    /// An edges file (or a risk register) names a task that does not exist.
    #[error("{column} \"{id}\" is not a task id in the plan{}", suggest(.suggestion))]
    UnknownTask {
        /// The column that names it.
        column: &'static str,
        /// The id named.
        id: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
    /// The links form a cycle.
    #[error("dependency cycle {}; a task cannot (even indirectly) wait for itself, so remove one of these links", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// A probability is outside [0, 1].
    #[error("probability \"{0}\" must be between 0 and 1 (e.g. 0.3), or a percentage such as 30%")]
    BadProbability(String),
    /// A problem of one risk in a risk register.
    #[error("risk \"{id}\": {problem}")]
    InRisk {
        /// The risk id.
        id: String,
        /// What is wrong with it.
        problem: Box<ProblemKind>,
    },
    /// A risk affects nothing.
    #[error("affects no task; list the task ids it delays, separated by ';'")]
    NoAffects,
    /// A risk names a task that does not exist.
    #[error("affects \"{id}\", which is not a task id in the plan{}", suggest(.suggestion))]
    UnknownAffected {
        /// The id named.
        id: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
}

fn suggest(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

/// Why a plan (or a file that goes with it) could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file cannot be read at all.
    #[error("could not read '{path}'")]
    Io {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read, and these problems were found (all of them).
    #[error("{}", list("the plan", .problems))]
    Invalid {
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// A file that goes with the plan (holidays, risks, correlations) was
    /// read, and these problems were found (all of them).
    #[error("{}", list(.what, .problems))]
    InvalidInput {
        /// What the file is, e.g. "the holidays file".
        what: &'static str,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems found (empty for an I/O error).
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems } | LoadError::InvalidInput { problems, .. } => problems,
            LoadError::Io { .. } => &[],
        }
    }
}

fn list(what: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let mut s = if n == 1 {
        format!("{what} has a problem:")
    } else {
        format!("{what} has {n} problems:")
    };
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// The candidate closest to `word` by Jaro-Winkler similarity, if it is
/// close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|&(score, _)| score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
