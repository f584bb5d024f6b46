//! Which tool wrote a plan CSV, recognised from its header, and the
//! columns that are named but not read.

use std::collections::HashMap;

use super::{ColumnMapping, ExportProblem};
use crate::plan::columns::{COLUMNS, Col, names};
use crate::plan::error::{Problem, ProblemKind, closest};
use crate::plan::records::normalise;
use crate::plan::warning::Warning;

/// The shape of a plan CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::plan) enum Shape {
    /// slipcast's own (`id,name,low,likely,high,...`), and any table read
    /// with `--map`.
    Slipcast,
    /// MS Project's task table: `ID`, `Name`, `Duration`, `Predecessors`.
    MsProject,
    /// Smartsheet: rows numbered from 1, `Start`/`End` dates (or a
    /// `Duration`), `Predecessors` by row number.
    Smartsheet,
    /// Asana: `Task ID`, `Name`, `Start Date`, `Due Date`, `Blocked By
    /// (Dependencies)`.
    Asana,
    /// Jira: `Issue key`, `Summary`, estimates in seconds, story points,
    /// `Status`, issue links.
    Jira,
}

/// Header names (as [`normalise`] reads them) of each role.
pub(super) const ID: &[&str] = &["id"];
pub(super) const NAME: &[&str] = &["name", "task_name", "title"];
pub(super) const DURATION: &[&str] = &["duration"];
pub(super) const PREDECESSORS: &[&str] = &["predecessors", "predecessor"];
pub(super) const START: &[&str] = &["start", "start_date"];
pub(super) const END: &[&str] = &[
    "end",
    "end_date",
    "finish",
    "finish_date",
    "due_date",
    "due",
];
pub(super) const PERCENT_COMPLETE: &[&str] = &["%_complete", "percent_complete", "%complete"];
pub(super) const STATUS: &[&str] = &["status"];
pub(super) const SUMMARY: &[&str] = &["summary"];
pub(super) const TASK_ID: &[&str] = &["task_id"];
pub(super) const DUE_DATE: &[&str] = &["due_date", "due_on"];
pub(super) const START_DATE: &[&str] = &["start_date", "start_on"];
pub(super) const BLOCKED_BY: &[&str] = &["blocked_by_(dependencies)", "blocked_by"];
pub(super) const COMPLETED_AT: &[&str] = &["completed_at"];
pub(super) const ISSUE_KEY: &[&str] = &["issue_key"];
pub(super) const ISSUE_SUMMARY: &[&str] = &["summary"];
pub(super) const ORIGINAL: &[&str] = &["original_estimate"];
pub(super) const REMAINING: &[&str] = &["remaining_estimate"];
pub(super) const POINTS: &[&str] = &[
    "story_points",
    "story_point_estimate",
    "custom_field_(story_points)",
    "custom_field_(story_point_estimate)",
];
pub(super) const INWARD_BLOCKS: &[&str] = &["inward_issue_link_(blocks)", "is_blocked_by"];
pub(super) const OUTWARD_BLOCKS: &[&str] = &["outward_issue_link_(blocks)", "blocks"];

/// Columns each export carries that slipcast recognises and deliberately
/// does not read: never warned about.
const SCHEDULE_IGNORED: &[&str] = &[
    "unique_id",
    "outline_level",
    "outline_number",
    "wbs",
    "notes",
    "resource_names",
    "assigned_to",
    "successors",
    "work",
    "cost",
    "baseline_start",
    "baseline_finish",
    "baseline_duration",
    "actual_start",
    "actual_finish",
    "actual_duration",
    "remaining_duration",
    "constraint_type",
    "constraint_date",
    "deadline",
    "comments",
    "at_risk",
    "milestone",
    "priority",
    "row_id",
    "parent",
    "task_mode",
    "indicators",
];
const ASANA_IGNORED: &[&str] = &[
    "created_at",
    "last_modified",
    "section/column",
    "assignee",
    "assignee_email",
    "tags",
    "notes",
    "projects",
    "parent_task",
    "blocking_(dependencies)",
    "priority",
    "status",
];
const JIRA_IGNORED: &[&str] = &[
    "issue_id",
    "issue_type",
    "project_key",
    "project_name",
    "project_type",
    "project_lead",
    "project_description",
    "project_url",
    "priority",
    "resolution",
    "assignee",
    "reporter",
    "creator",
    "created",
    "updated",
    "last_viewed",
    "resolved",
    "due_date",
    "votes",
    "labels",
    "description",
    "environment",
    "watchers",
    "log_work",
    "security_level",
    "attachment",
    "sprint",
    "parent",
    "parent_id",
    "parent_summary",
    "time_spent",
    "work_ratio",
    "status_category",
    "status_category_changed",
    "component/s",
    "fix_version/s",
    "affects_version/s",
    "σ_original_estimate",
    "σ_remaining_estimate",
    "σ_time_spent",
    "comment",
    "team",
    "epic_link",
    "epic_name",
];

/// A header as [`normalise`] reads it.
pub(super) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(super) fn new(headers: &csv::StringRecord) -> Header {
        Header {
            names: headers.iter().map(normalise).collect(),
        }
    }

    /// The first column with one of these names.
    pub(super) fn find(&self, names: &[&str]) -> Option<usize> {
        self.names.iter().position(|n| names.contains(&n.as_str()))
    }

    /// Every column with one of these names (Jira repeats a link column
    /// once per link).
    pub(super) fn all(&self, names: &[&str]) -> Vec<usize> {
        (0..self.names.len())
            .filter(|&i| names.contains(&self.names[i].as_str()))
            .collect()
    }

    fn has(&self, names: &[&str]) -> bool {
        self.find(names).is_some()
    }
}

impl Shape {
    /// The shape of a header: Jira by its `Issue key`; slipcast's own by a
    /// `likely` column (by any of its names); MS Project by `ID` and
    /// `Duration`; Asana by `Task ID` and its dates; Smartsheet by start
    /// and end dates or a `Duration`, without an id column (its rows are
    /// numbered); else slipcast's own.
    pub(in crate::plan) fn recognise(headers: &csv::StringRecord) -> Shape {
        let h = Header::new(headers);
        if h.has(ISSUE_KEY) {
            Shape::Jira
        } else if h.has(names(Col::Likely)) {
            Shape::Slipcast
        } else if h.has(DURATION) && h.has(ID) {
            Shape::MsProject
        } else if h.has(TASK_ID) && (h.has(START_DATE) || h.has(DUE_DATE) || h.has(BLOCKED_BY)) {
            Shape::Asana
        } else if ((h.has(START) && h.has(END)) || h.has(DURATION)) && !h.has(names(Col::Id)) {
            Shape::Smartsheet
        } else {
            Shape::Slipcast
        }
    }

    /// The header names the shape reads or deliberately leaves.
    fn known(self) -> Vec<&'static str> {
        let mut k: Vec<&str> = Vec::new();
        let passthrough = [Col::Low, Col::High, Col::Dist, Col::Confidence];
        match self {
            Shape::Slipcast => {
                k.extend(COLUMNS.iter().flat_map(|(_, n)| n.iter().copied()));
                k.extend(["wbs", "notes"]);
                return k;
            }
            Shape::MsProject | Shape::Smartsheet => {
                for r in [ID, NAME, DURATION, PREDECESSORS, START, END] {
                    k.extend(r);
                }
                k.extend(PERCENT_COMPLETE.iter().chain(STATUS).chain(SUMMARY));
                k.extend(SCHEDULE_IGNORED);
            }
            Shape::Asana => {
                for r in [
                    TASK_ID,
                    NAME,
                    START_DATE,
                    DUE_DATE,
                    BLOCKED_BY,
                    COMPLETED_AT,
                ] {
                    k.extend(r);
                }
                k.extend(ASANA_IGNORED);
            }
            Shape::Jira => {
                for r in [
                    ISSUE_KEY,
                    ISSUE_SUMMARY,
                    ORIGINAL,
                    REMAINING,
                    POINTS,
                    STATUS,
                ] {
                    k.extend(r);
                }
                k.extend(INWARD_BLOCKS.iter().chain(OUTWARD_BLOCKS));
                k.extend(JIRA_IGNORED);
            }
        }
        for c in passthrough {
            k.extend(names(c));
        }
        k
    }
}

/// The columns named with `--map`, by field; a column the header does not
/// have is a problem naming the closest header name.
pub(in crate::plan) fn mapped_columns(
    file: &str,
    line: u64,
    headers: &csv::StringRecord,
    map: &[ColumnMapping],
    problems: &mut Vec<Problem>,
) -> HashMap<Col, usize> {
    let mut cols = HashMap::new();
    for m in map {
        let want = normalise(&m.column);
        let found = headers
            .iter()
            .position(|h| h.trim() == m.column)
            .or_else(|| headers.iter().position(|h| normalise(h) == want));
        match found {
            Some(i) => {
                cols.insert(m.field, i);
            }
            None => problems.push(Problem {
                file: file.into(),
                line: Some(line),
                task: None,
                kind: ProblemKind::Export(ExportProblem::MapColumnMissing {
                    field: m.field().into(),
                    column: m.column.clone(),
                    suggestion: closest(&m.column, headers.iter()),
                }),
            }),
        }
    }
    cols
}

/// Warns about the header's columns that are not read: in slipcast's own
/// shape read without `--map`, every one (with the closest known name when
/// one is close); in an export's shape, or with `--map`, only those within
/// two edits of a name the shape reads (`Story Pionts`), so that the many
/// columns a tracker exports pass without a word.
pub(in crate::plan) fn unknown_columns(
    file: &str,
    line: u64,
    headers: &csv::StringRecord,
    shape: Shape,
    mapped: &HashMap<Col, usize>,
    warnings: &mut Vec<Warning>,
) {
    let known = shape.known();
    let strict = shape == Shape::Slipcast && mapped.is_empty();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise(h);
        if n.is_empty() || known.contains(&n.as_str()) || mapped.values().any(|&m| m == i) {
            continue;
        }
        let near = closest(&n, known.iter().copied());
        let close = near
            .as_deref()
            .filter(|s| strsim::levenshtein(&n, s) <= 2 || strict);
        let message = match (close, strict) {
            (Some(s), _) => format!(
                "\"{}\" is not a column slipcast reads; did you mean \"{s}\"?",
                h.trim()
            ),
            (None, true) => format!(
                "\"{}\" is not a column slipcast reads, so it is ignored; the columns are id, name, low, likely, high, dist, confidence, depends_on, team, priority and status (see the README, \"The plan\"), and --map FIELD=COLUMN names others",
                h.trim()
            ),
            (None, false) => continue,
        };
        warnings.push(Warning::line(file, line, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(h: &str) -> csv::StringRecord {
        csv::StringRecord::from(h.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn shapes_from_headers() {
        for (h, want) in [
            ("id,name,low,likely,high,depends_on", Shape::Slipcast),
            (
                "ID,Task Name,Duration,Start,Finish,Predecessors",
                Shape::MsProject,
            ),
            ("ID,Name,Duration,Low,High,Predecessors", Shape::MsProject),
            ("Task Name,Start,End,Predecessors", Shape::Smartsheet),
            ("Task Name,Duration,Predecessors", Shape::Smartsheet),
            (
                "Task ID,Name,Start Date,Due Date,Blocked By (Dependencies)",
                Shape::Asana,
            ),
            (
                "Summary,Issue key,Issue id,Status,Original Estimate",
                Shape::Jira,
            ),
            ("Key,Effort (days)", Shape::Slipcast),
            ("id,name,low,high,start,end", Shape::Slipcast),
        ] {
            assert_eq!(Shape::recognise(&rec(h)), want, "{h}");
        }
    }

    fn warned(h: &str, map: &[&str]) -> Vec<String> {
        let headers = rec(h);
        let map: Vec<ColumnMapping> = map.iter().map(|m| m.parse().unwrap()).collect();
        let mut problems = Vec::new();
        let mapped = mapped_columns("p.csv", 1, &headers, &map, &mut problems);
        assert!(problems.is_empty());
        let mut w = Vec::new();
        unknown_columns(
            "p.csv",
            1,
            &headers,
            Shape::recognise(&headers),
            &mapped,
            &mut w,
        );
        w.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn unknown_columns_warn_in_slipcasts_shape_and_near_misses_elsewhere() {
        assert_eq!(
            warned("id,likely,depnds_on,wbs", &[]),
            ["p.csv:1: \"depnds_on\" is not a column slipcast reads; did you mean \"depends_on\"?"]
        );
        let w = warned("id,likely,colour", &[]);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("\"colour\" is not a column slipcast reads, so it is ignored"));
        // A Jira export's own columns pass; a near miss does not.
        assert!(
            warned(
                "Summary,Issue key,Issue id,Issue Type,Status,Priority,Reporter,Created,Sprint,Custom field (Rank)",
                &[]
            )
            .is_empty()
        );
        assert_eq!(
            warned("Summary,Issue key,Story Pionts", &[]),
            [
                "p.csv:1: \"Story Pionts\" is not a column slipcast reads; did you mean \"story_points\"?"
            ]
        );
        // With --map, only near misses.
        assert!(
            warned(
                "Key,Effort (days),Colour",
                &["id=Key", "likely=Effort (days)"]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_mapped_column_the_header_lacks_names_the_closest() {
        let map: Vec<ColumnMapping> = vec!["likely=Effort days".parse().unwrap()];
        let mut problems = Vec::new();
        mapped_columns("p.csv", 1, &rec("Key,Effort (days)"), &map, &mut problems);
        assert_eq!(
            problems[0].to_string(),
            "p.csv:1: --map likely=\"Effort days\": the header has no column \"Effort days\" (did you mean \"Effort (days)\"?); name a column of the header line"
        );
    }
}
