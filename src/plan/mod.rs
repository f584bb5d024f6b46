//! What a plan is: tasks with ranged estimates, links between them, and the
//! calendar that turns working days into dates.
//!
//! This module reads and validates (and, for a plan to edit in a
//! spreadsheet, writes the cells of its CSV form: [`plan_tables`]); it
//! knows nothing of simulation. A
//! [`Plan`] that exists is valid: ids are unique, every link resolves, the
//! links are acyclic and every estimate is a proper distribution.

mod axis;
mod calendar;
mod calendar_cells;
mod calendars_csv;
mod capacity;
mod cells;
mod columns;
mod correlation;
mod csv;
mod edges;
mod encoding;
mod error;
mod estimate;
mod exports;
mod link;
mod lint;
pub mod mspdi;
mod ranges;
mod records;
mod risk;
mod scenario;
mod task;
mod teams;
mod times;
mod validate;
mod warning;
mod workcal;
mod write;
pub mod xer;

pub use axis::{Axis, HORIZON_DAYS, Table};
pub use calendar::{
    Calendar, CalendarError, DAY_TOLERANCE, WEEKDAYS, load_holidays, load_holidays_with,
    parse_workdays,
};
pub use calendars_csv::{
    DEFAULT_HOURS_PER_DAY, SETTINGS, lag_calendar_name, parse_calendars, workdays_text,
};
pub use capacity::{Capacity, CapacityError, Headcount, Team};
pub use correlation::{
    CholeskyError, Correlation, CorrelationError, Pair, PairSource, RuleError, RuleSource,
    TeamRule, build_correlation, cholesky_psd, load_pairs, load_pairs_with, parse_correlate,
    parse_pairs,
};
pub use csv::{
    CalendarsFile, CalendarsText, load_calendars, load_plan, load_plan_from, load_plan_on,
    load_plan_with, parse_plan, parse_plan_on, parse_plan_reading, parse_plan_with,
};
pub use encoding::{EncodingError, TextEncoding};
pub use error::{CsvError, DecodeHint, LoadError, Problem, ProblemKind, closest};
pub(crate) use estimate::normal_truncation;
pub use estimate::{
    DEFAULT_CONFIDENCE, DistKind, Estimate, EstimateError, MAX_DAYS, ThreePoint,
    UnknownDistribution, fit_truncated_normal,
};
pub use exports::{ColumnMapping, ExportOptions, ExportProblem, MAP_FIELDS, MapError};
pub use link::{Link, LinkError, LinkKind, LinkSpec};
pub use ranges::{
    Range, RangeKey, RangeRow, RangeTarget, RangeUnit, Ranges, load_ranges, parse_ranges,
};
pub use risk::{Risk, load_risks, load_risks_with, parse_risks};
pub use scenario::{Scenario, ScenarioError, Sources, Texts};
pub use task::{Status, Task};
pub use teams::{load_teams_with, parse_teams};
pub use times::{DayEnd, parse_time, time_text};
pub use warning::Warning;
pub use workcal::{LagCalendar, WorkCalendar};
pub use write::{PlanTables, Renamed, plan_tables};

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
    /// The working calendars of its tasks, when they have their own (`None`:
    /// every task runs on the run's calendar, in its working days).
    pub calendars: Option<TaskCalendars>,
    /// What reads but should be looked at (an unknown column, ...), in
    /// file order.
    pub warnings: Vec<Warning>,
}

/// The working calendars of a plan whose tasks run on their own.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCalendars {
    /// Day 0 of the plan's time axis (the data date of an imported plan).
    pub start: chrono::NaiveDate,
    /// Elapsed part of day 0 at the start, in working days of the default
    /// calendar (an imported plan's data date may fall within a day).
    pub start_offset: f64,
    /// The calendars; tasks refer to them by index.
    pub calendars: Vec<WorkCalendar>,
    /// The calendar of tasks that name none.
    pub default: usize,
    /// Which calendar lags count on.
    pub lag: LagCalendar,
    /// What day 0 is in the source tool's words.
    pub axis_start: AxisStart,
}

/// What day 0 of a plan on its own calendars is, as its source tool calls
/// it (results name it so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisStart {
    /// P6's data date (and `--start` for a plan CSV with `--calendars`).
    #[default]
    DataDate,
    /// MS Project's status date.
    StatusDate,
    /// The project's start (an MS Project file without a status date).
    ProjectStart,
}

impl AxisStart {
    /// In words: `data date`, `status date`, `project start`.
    pub fn as_str(self) -> &'static str {
        match self {
            AxisStart::DataDate => "data date",
            AxisStart::StatusDate => "status date",
            AxisStart::ProjectStart => "project start",
        }
    }
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

    /// A plan of `tasks` (links already resolved to task indices) on their
    /// own `calendars`.
    ///
    /// # Errors
    ///
    /// The cycles among the links, each as task indices with the first
    /// repeated at the end.
    pub fn with_calendars(
        source: impl Into<String>,
        tasks: Vec<Task>,
        calendars: Option<TaskCalendars>,
    ) -> Result<Plan, Vec<Vec<usize>>> {
        let preds: Vec<Vec<Link>> = tasks.iter().map(|t| t.links.clone()).collect();
        let order = validate::topological_order(&preds)?;
        Ok(Plan {
            source: source.into(),
            tasks,
            order,
            calendars,
            warnings: Vec::new(),
        })
    }

    /// With task calendars, the calendar of the plan's time axis: every day
    /// counts, from the plan's start (its days are calendar days).
    pub fn axis_calendar(&self) -> Option<Calendar> {
        let c = self.calendars.as_ref()?;
        Calendar::new(c.start, [true; 7], Default::default()).ok()
    }

    /// The calendar index of task `t` (with task calendars).
    pub fn calendar_of(&self, t: usize) -> Option<usize> {
        let c = self.calendars.as_ref()?;
        Some(self.tasks[t].calendar.unwrap_or(c.default))
    }

    /// The task id closest to `id`, to suggest when `id` is not found.
    pub fn suggest(&self, id: &str) -> Option<String> {
        closest(id, self.tasks.iter().map(|t| t.id.as_str()))
    }
}
