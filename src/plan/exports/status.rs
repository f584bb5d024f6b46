//! Tracker statuses read by their category: done, in progress, or to do.

use crate::plan::Status;

/// Statuses whose work is finished (Jira's "Done" category, and the usual
/// names of other trackers), lower case.
const DONE: &[&str] = &[
    "done",
    "closed",
    "resolved",
    "complete",
    "completed",
    "released",
    "deployed",
    "shipped",
    "cancelled",
    "canceled",
    "won't do",
    "won't fix",
    "wont do",
    "wont fix",
    "rejected",
];

/// Statuses of work under way (Jira's "In Progress" category).
const IN_PROGRESS: &[&str] = &[
    "in progress",
    "in review",
    "review",
    "code review",
    "peer review",
    "under review",
    "ready for review",
    "in development",
    "development",
    "in dev",
    "doing",
    "in testing",
    "testing",
    "in test",
    "in qa",
    "qa",
    "ready for qa",
    "verifying",
    "in verification",
    "blocked",
    "on hold",
    "implementing",
    "started",
    "active",
];

/// Statuses of work not started (Jira's "To Do" category).
const TODO: &[&str] = &[
    "to do",
    "todo",
    "open",
    "backlog",
    "new",
    "selected for development",
    "ready",
    "ready for development",
    "reopened",
    "planned",
    "not started",
    "triage",
    "proposed",
    "pending",
    "",
];

/// The status of a tracker's status name: `None` when the name is not a
/// known one (it is then read as to do, with a warning).
pub(super) fn category(name: &str) -> Option<Status> {
    let n = name
        .trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .replace('\u{2019}', "'");
    if DONE.contains(&n.as_str()) {
        Some(Status::Done)
    } else if IN_PROGRESS.contains(&n.as_str()) {
        Some(Status::InProgress)
    } else if TODO.contains(&n.as_str()) {
        Some(Status::Todo)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_by_category() {
        for (name, want) in [
            ("Done", Some(Status::Done)),
            ("CLOSED", Some(Status::Done)),
            ("Resolved", Some(Status::Done)),
            ("Won’t Do", Some(Status::Done)),
            ("In Progress", Some(Status::InProgress)),
            ("In Review", Some(Status::InProgress)),
            ("in-review", Some(Status::InProgress)),
            ("To Do", Some(Status::Todo)),
            ("Selected for Development", Some(Status::Todo)),
            ("Backlog", Some(Status::Todo)),
            ("Parked", None),
        ] {
            assert_eq!(category(name), want, "{name}");
        }
    }
}
