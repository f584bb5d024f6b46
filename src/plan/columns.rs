//! The columns of a plan CSV: the header names accepted for each (matched
//! as [`normalise`] reads a header cell), and which are required.

use std::collections::HashMap;

use super::error::{Problem, ProblemKind};
use super::records::normalise;

/// The columns a plan may have, with the header names accepted for each.
pub(super) const COLUMNS: &[(Col, &[&str])] = &[
    (Col::Id, &["id", "task_id", "task", "key"]),
    (Col::Name, &["name", "title", "task_name", "summary"]),
    (Col::Low, &["low", "min", "optimistic", "best", "minimum"]),
    (
        Col::Likely,
        &[
            "likely",
            "most_likely",
            "ml",
            "mode",
            "estimate",
            "expected",
        ],
    ),
    (
        Col::High,
        &["high", "max", "pessimistic", "worst", "maximum"],
    ),
    (Col::Dist, &["dist", "distribution"]),
    (Col::Confidence, &["confidence", "conf"]),
    (
        Col::DependsOn,
        &[
            "depends_on",
            "predecessors",
            "deps",
            "dependencies",
            "depends",
        ],
    ),
    (Col::Team, &["team", "owner"]),
    (Col::Priority, &["priority", "rank"]),
    (Col::Status, &["status", "state"]),
    (Col::Calendar, &["calendar", "calendar_name", "cal"]),
    (
        Col::NotBefore,
        &[
            "not_before",
            "start_not_before",
            "start_no_earlier_than",
            "start_on_or_after",
            "snet",
        ],
    ),
    (
        Col::FinishNotBefore,
        &[
            "finish_not_before",
            "finish_no_earlier_than",
            "finish_on_or_after",
            "fnet",
        ],
    ),
    (Col::Milestone, &["milestone", "milestone_type"]),
    (Col::People, &["people", "headcount", "assignees"]),
    (Col::Resources, &["resources", "resource_demands"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Col {
    Id,
    Name,
    Low,
    Likely,
    High,
    Dist,
    Confidence,
    DependsOn,
    Team,
    Priority,
    Status,
    Calendar,
    NotBefore,
    FinishNotBefore,
    Milestone,
    People,
    Resources,
}

/// The header names accepted for `col`, the canonical one first.
pub(super) fn names(col: Col) -> &'static [&'static str] {
    COLUMNS
        .iter()
        .find(|(c, _)| *c == col)
        .map_or(&[], |(_, names)| names)
}

pub(super) fn aliases(col: Col) -> String {
    names(col).join(", ")
}

/// Maps each known column to its index in the header; a column named
/// twice (`min` and `low`) is a problem, and the first one is used.
pub(super) fn header_map(
    file: &str,
    headers: &csv::StringRecord,
    line: u64,
    problems: &mut Vec<Problem>,
) -> HashMap<Col, usize> {
    let mut map: HashMap<Col, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise(h);
        if let Some((col, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&n.as_str()))
        {
            if let Some(&prev) = map.get(col) {
                problems.push(Problem {
                    file: file.into(),
                    line: Some(line),
                    task: None,
                    kind: ProblemKind::DuplicateColumn {
                        column: COLUMNS.iter().find(|(c, _)| c == col).unwrap().1[0].into(),
                        first: headers[prev].into(),
                        second: h.into(),
                    },
                });
            } else {
                map.insert(*col, i);
            }
        }
    }
    map
}

/// The required columns the header lacks: `id`, and at least one of `low`,
/// `likely` and `high` (reported as `likely`).
pub(super) fn missing_columns(cols: &HashMap<Col, usize>) -> Vec<Col> {
    let mut missing = Vec::new();
    if !cols.contains_key(&Col::Id) {
        missing.push(Col::Id);
    }
    if ![Col::Low, Col::Likely, Col::High]
        .iter()
        .any(|c| cols.contains_key(c))
    {
        missing.push(Col::Likely);
    }
    missing
}
