//! Reading Primavera P6 XER exports: the tables of the file
//! ([`parse`] into an [`Xer`]) and the typed records a schedule needs
//! ([`read`] into [`XerData`]), each problem with its file, line, table,
//! field and value, reported all at once.
//!
//! ```no_run
//! use slipcast::plan::{xer, TextEncoding};
//! let bytes = std::fs::read("programme.xer")?;
//! if xer::is_xer(&bytes) {
//!     // Exports from a Cyrillic Windows machine: Some(TextEncoding::for_label("windows-1251")?)
//!     let tables = xer::parse("programme.xer", &bytes, None)?;
//!     let data = xer::read(&tables)?;
//!     println!("{} activities, {} links", data.activities.len(), data.relationships.len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This layer reads; it does not schedule, and it does not build a
//! [`Plan`](super::Plan). Hours stay hours (`remain_drtn_hr_cnt`,
//! `lag_hr_cnt`), dates stay as P6 computed them, and calendars are read
//! into shifts ([`CalendarData`]) without being applied.

pub(in crate::plan) mod clndr;
mod codes;
mod fields;
pub(in crate::plan) mod import;
pub(in crate::plan) mod model;
mod problem;
pub(in crate::plan) mod ranging;
mod reader;

pub use clndr::{CalendarData, CalendarDataError, DAY_MINUTES, Shift, WorkWeek};
pub use codes::{ActivityStatus, ActivityType, ConstraintType, LagCalendar, RelationshipType};
pub use import::{ImportOptions, ImportReport, RangeTemplate, import};
pub use model::{
    Activity, Constraint, Project, Relationship, ScheduleOptions, WbsNode, WorkCalendar, XerData,
    read,
};
pub use problem::XerProblem;
pub use ranging::RangeCounts;
pub use reader::{Row, Table, Xer, is_xer, parse};
