//! What a plan is: tasks with ranged estimates, links between them, and the
//! calendar that turns working days into dates.
//!
//! This module reads and validates; it knows nothing of simulation. A
//! [`Plan`] that exists is valid: ids are unique, every link resolves, the
//! links are acyclic and every estimate is a proper distribution.

mod calendar;
mod cells;
mod correlation;
mod csv;
mod edges;
mod encoding;
mod error;
mod estimate;
mod link;
mod records;
mod risk;
mod scenario;
mod task;
mod validate;
mod workcal;
pub mod xer;

pub use calendar::{
    Calendar, CalendarError, DAY_TOLERANCE, WEEKDAYS, load_holidays, load_holidays_with,
    parse_workdays,
};
pub use correlation::{
    CholeskyError, Correlation, CorrelationError, Pair, PairSource, RuleError, RuleSource,
    TeamRule, build_correlation, cholesky_psd, load_pairs, load_pairs_with, parse_correlate,
    parse_pairs,
};
pub use csv::{load_plan, load_plan_with, parse_plan};
pub use encoding::{EncodingError, TextEncoding};
pub use error::{CsvError, DecodeHint, LoadError, Problem, ProblemKind, closest};
pub use estimate::{
    DEFAULT_CONFIDENCE, DistKind, Estimate, EstimateError, MAX_DAYS, ThreePoint,
    UnknownDistribution,
};
pub use link::{Link, LinkError, LinkKind, LinkSpec};
pub use risk::{Risk, load_risks, load_risks_with, parse_risks};
pub use scenario::{Scenario, ScenarioError, Sources};
pub use task::{Status, Task};
pub use workcal::{LagCalendar, WorkCalendar};

/// A validated plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The file it was read from, as the user named it.
    pub source: String,
    /// Tasks in file order.
    pub tasks: Vec<Task>,
    /// Task indices in a topological order (every predecessor first), stable
    /// in file order.
    order: Vec<usize>,
}

impl Plan {
    /// Task indices in topological order: every task comes after all of its
    /// predecessors.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The index of the task with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.tasks.iter().position(|t| t.id == id)
    }

    /// Flags, per task, those in `roots` and every task that depends on them,
    /// directly or through other tasks.
    pub fn dependents(&self, roots: &[usize]) -> Vec<bool> {
        let mut out = vec![false; self.tasks.len()];
        for &r in roots {
            out[r] = true;
        }
        // Topological order: every predecessor is decided before its task.
        for &t in &self.order {
            if !out[t] && self.tasks[t].links.iter().any(|l| out[l.pred]) {
                out[t] = true;
            }
        }
        out
    }

    /// The task id closest to `id`, to suggest when `id` is not found.
    pub fn suggest(&self, id: &str) -> Option<String> {
        closest(id, self.tasks.iter().map(|t| t.id.as_str()))
    }
}
