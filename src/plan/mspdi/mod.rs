//! Reading Microsoft Project XML (MSPDI) files: the XML streamed into the
//! records a schedule needs ([`parse`] into an [`Mspdi`]), then a
//! [`Plan`](super::Plan) of its scheduled tasks ([`import`]), with every
//! problem by file and line.
//!
//! ```no_run
//! use slipcast::plan::{mspdi, xer::ImportOptions};
//! let bytes = std::fs::read("programme.xml")?;
//! if mspdi::is_mspdi(&bytes) {
//!     let file = mspdi::parse("programme.xml", &bytes)?;
//!     let (plan, report, _warnings) = mspdi::import("programme.xml", &file, &ImportOptions::default())?;
//!     println!("{} tasks, finish in MS Project {:?}", plan.tasks.len(), report.source_finish);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What is read, and how:
//!
//! - Tasks by `UID` (their id in the plan; `ID` is the row users see,
//!   `WBS` kept as the task's WBS). Summary tasks are not tasks: a link on
//!   one holds for every task under it. The project summary task, blank
//!   rows, inactive tasks and other projects' tasks are left out. Manually
//!   scheduled tasks are scheduled from their links, with a warning.
//! - `Duration` and `RemainingDuration` are working time (ISO 8601, e.g.
//!   `PT16H0M0S`), in days of the task calendar's working hours; a task
//!   whose `DurationFormat` is elapsed runs on a 24-hour, 7-day calendar.
//! - Three-point estimates from the custom duration fields MS Project's
//!   PERT analysis fills (`Duration1`, `Duration2`, `Duration3`:
//!   optimistic, expected, pessimistic), or fields chosen by name or alias
//!   ([`ImportOptions::estimate_fields`](super::xer::ImportOptions)), as a
//!   PERT distribution. A value counts in its own format ([`field_days`]):
//!   working formats in days of `MinutesPerDay`, elapsed ones in days of 24
//!   hours; on a task in working time, an elapsed value is the working time
//!   its calendar holds in those hours on average.
//! - `PredecessorLink`: `Type` 0 FF, 1 FS, 2 SF, 3 SS; `LinkLag` in tenths
//!   of a minute whatever `LagFormat` shows, counted on the successor's
//!   calendar; percentage lags as their share of the predecessor's
//!   duration; negative lags are leads.
//! - Calendars: base calendars, weekday working times, derived calendars'
//!   weekdays and exceptions over their base's; daily exceptions over a
//!   date range.
//! - Progress: `ActualFinish` or 100% complete is done, `ActualStart` or
//!   some percent complete is under way with its `RemainingDuration`; the
//!   plan starts at the `StatusDate` (else the project's start).
//! - Constraints: start no earlier than and must start on as earliest
//!   starts, finish no earlier than and must finish on as earliest
//!   finishes; as late as possible and the "no later than" kinds change
//!   no early date.

mod import;
mod model;
mod problem;
mod reader;

pub use import::{field_days, import, is_elapsed};
pub use model::{
    FieldDefinition, MsCalendar, MsException, MsLink, MsTask, MsValue, MsWeekDay, Mspdi, Period,
};
pub use problem::MspdiProblem;
pub use reader::{is_mspdi, parse};
