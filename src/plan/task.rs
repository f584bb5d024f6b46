//! A task of the plan.

use std::fmt;

use super::{Estimate, Link};

/// Where a task stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not started: the estimate is the whole duration.
    #[default]
    Todo,
    /// Started: the estimate is the remaining work, and the task's start
    /// links (FS, SS) are already satisfied.
    InProgress,
    /// Finished: it takes no more time and constrains nothing.
    Done,
}

impl Status {
    /// Parses `todo`, `in_progress` or `done` (and a few common spellings).
    pub fn parse(s: &str) -> Option<Status> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "" | "todo" | "to_do" | "not_started" | "open" | "planned" => Some(Status::Todo),
            "in_progress" | "inprogress" | "started" | "doing" | "wip" => Some(Status::InProgress),
            "done" | "complete" | "completed" | "finished" | "closed" => Some(Status::Done),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Todo => "todo",
            Status::InProgress => "in_progress",
            Status::Done => "done",
        })
    }
}

/// One validated task.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Unique id.
    pub id: String,
    /// Display name (the id when the plan gives none).
    pub name: String,
    /// Duration distribution (remaining work for in-progress tasks).
    pub estimate: Estimate,
    /// Predecessor links.
    pub links: Vec<Link>,
    /// Owning team, if given.
    pub team: Option<String>,
    /// Cut-line rank (lower = more important); `None` = must-have.
    pub priority: Option<i64>,
    /// Progress status.
    pub status: Status,
    /// Line of the plan file the task was read from (header = line 1).
    pub line: u64,
    /// Index of its working calendar in the plan's task calendars (`None`:
    /// the plan's default calendar).
    pub calendar: Option<usize>,
    /// With task calendars: the earliest time it may start, in days of the
    /// plan's time axis (a start-no-earlier-than constraint, or a lag from a
    /// predecessor that finished before the data date).
    pub not_before: Option<f64>,
    /// With task calendars: the earliest time it may finish, likewise.
    pub finish_not_before: Option<f64>,
    /// A task of no duration placed where work resumes (a start milestone:
    /// Monday morning after a Friday finish), rather than where it last
    /// stopped (a finish milestone: Friday evening).
    pub at_start: bool,
    /// The resource pools it occupies while it runs, each with how many of
    /// its people (its `people` and `resources` cells). Empty: one person
    /// of its team, where the team has a capacity.
    pub demands: Vec<(String, u32)>,
}
