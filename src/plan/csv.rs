//! Reading a plan from CSV, with every problem reported by file, line and id.
//!
//! Headers are matched case-insensitively, with spaces and hyphens read as
//! underscores, and with the aliases of the README (`min`, `most_likely`,
//! `predecessors`, ...). Lines starting with `#` are comments; blank lines are
//! skipped. Unknown columns are ignored, so tracker exports load as they are.
//!
//! The records come from the shared reader ([`super::records`]), the
//! estimate cells are read as in risk registers ([`super::cells`]), and an
//! edges file is read by [`super::edges`].

use std::collections::HashMap;
use std::path::Path;

use super::cells;
use super::edges::read_edges;
use super::error::{LoadError, Problem, ProblemKind};
use super::records::{Records, normalise};
use super::validate::{Located, resolve};
use super::{Estimate, LinkSpec, Plan, Status, TextEncoding, ThreePoint};

/// The columns a plan may have, with the header names accepted for each.
const COLUMNS: &[(Col, &[&str])] = &[
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
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
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
}

fn aliases(col: Col) -> String {
    COLUMNS
        .iter()
        .find(|(c, _)| *c == col)
        .map(|(_, names)| names.join(", "))
        .unwrap_or_default()
}

/// Reads a UTF-8 plan file and, if given, an edges file (`from,to,type,lag`)
/// whose links are merged with the plan's `depends_on` links.
///
/// # Errors
///
/// [`LoadError::Io`] if a file cannot be read; [`LoadError::Invalid`] with
/// every problem found otherwise.
pub fn load_plan(path: &Path, edges: Option<&Path>) -> Result<Plan, LoadError> {
    load_plan_with(path, edges, TextEncoding::UTF_8)
}

/// [`load_plan`] with the files read in `encoding` (a byte order mark wins).
///
/// # Errors
///
/// As [`load_plan`]; a file that is not valid text in the encoding is a
/// [`LoadError::Invalid`] naming the line and byte offset.
pub fn load_plan_with(
    path: &Path,
    edges: Option<&Path>,
    encoding: TextEncoding,
) -> Result<Plan, LoadError> {
    let text = encoding.read(path, None)?;
    let edges_text = match edges {
        Some(e) => Some((e.display().to_string(), encoding.read(e, None)?)),
        None => None,
    };
    parse_plan(
        &path.display().to_string(),
        &text,
        edges_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    )
}

/// Parses a plan from text. `file` is the name used in messages; `edges` is
/// an optional `(name, text)` edges file.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem found.
///
/// # Examples
///
/// ```
/// let plan = slipcast::plan::parse_plan("p.csv", "id,min,ml,max,deps\na,1,2,3,\nb,1,2,4,a\n", None).unwrap();
/// assert_eq!(plan.tasks.len(), 2);
/// let err = slipcast::plan::parse_plan("p.csv", "id,min,ml,max,deps\na,3,2,3,\nb,1,2,4,x\n", None).unwrap_err();
/// assert_eq!(err.problems().len(), 2);
/// ```
pub fn parse_plan(file: &str, text: &str, edges: Option<(&str, &str)>) -> Result<Plan, LoadError> {
    let mut problems = Vec::new();
    let rows = read_rows(file, text, &mut problems);
    let mut links: Vec<Located<LinkSpec>> = Vec::new();
    let mut tasks = Vec::new();
    for row in rows {
        for spec in row.links {
            links.push(spec);
        }
        tasks.push(row.task);
    }
    if let Some((efile, etext)) = edges {
        links.extend(read_edges(efile, etext, &mut problems));
    }
    resolve(file, edges.map(|(e, _)| e), tasks, links, problems)
}

/// A task as read from its row, before links are resolved.
pub(super) struct RowTask {
    pub id: String,
    pub name: String,
    pub estimate: Option<Estimate>,
    pub team: Option<String>,
    pub priority: Option<i64>,
    pub status: Status,
    pub line: u64,
}

/// A row as read: its task and the links of its `depends_on` cell.
struct Row {
    task: RowTask,
    links: Vec<Located<LinkSpec>>,
}

/// Maps each known column to its index in the header; a column named
/// twice (`min` and `low`) is a problem, and the first one is used.
fn header_map(
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

/// Reads the rows of a plan, pushing every problem found onto `problems`;
/// the rows returned are those with an id.
fn read_rows(file: &str, text: &str, problems: &mut Vec<Problem>) -> Vec<Row> {
    let Ok(mut records) = Records::new(file, text).map_err(|p| problems.push(*p)) else {
        return Vec::new();
    };
    let header_line = records.header_line();
    let cols = header_map(file, records.headers(), header_line, problems);
    let missing = missing_columns(&cols);
    if !missing.is_empty() {
        for col in missing {
            let names = aliases(col);
            let column = names.split(", ").next().unwrap_or_default().to_string();
            problems.push(Problem {
                file: file.into(),
                line: Some(header_line),
                task: None,
                kind: ProblemKind::MissingColumn {
                    column,
                    aliases: names,
                },
            });
        }
        return Vec::new();
    }

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some((line, rec)) = records.next_reporting(problems) {
        let cells = Cells {
            cols: &cols,
            rec: &rec,
        };
        rows.extend(read_row(file, line, &cells, &mut seen, problems));
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem {
            file: file.into(),
            line: Some(header_line),
            task: None,
            kind: ProblemKind::Empty,
        });
    }
    rows
}

/// The required columns the header lacks: `id`, and at least one of `low`,
/// `likely` and `high` (reported as `likely`).
fn missing_columns(cols: &HashMap<Col, usize>) -> Vec<Col> {
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

/// One record's cells, looked up by column.
struct Cells<'a> {
    cols: &'a HashMap<Col, usize>,
    rec: &'a csv::StringRecord,
}

impl Cells<'_> {
    /// The cell of `col`; blank when the column or the cell is absent.
    fn get(&self, col: Col) -> &str {
        self.cols
            .get(&col)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
    }
}

/// Reads one record at `line`: `None` when it has no id (nothing can refer
/// to it). Each problem is pushed in the order of the cells' checks; `seen`
/// holds the line of each id read so far.
fn read_row(
    file: &str,
    line: u64,
    row: &Cells<'_>,
    seen: &mut HashMap<String, u64>,
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let id = row.get(Col::Id).to_string();
    let task = (!id.is_empty()).then(|| id.clone());
    let mut push = |kind| {
        problems.push(Problem {
            file: file.into(),
            line: Some(line),
            task: task.clone(),
            kind,
        })
    };
    if id.is_empty() {
        push(ProblemKind::MissingId);
        return None;
    }
    check_id(&id, line, seen, &mut push);
    let (estimate, status) = read_estimate(row, &mut push);
    let priority = read_priority(row.get(Col::Priority), &mut push);
    let links = read_links(file, line, &id, row.get(Col::DependsOn), &mut push);
    let name = row.get(Col::Name);
    let team = row.get(Col::Team);
    Some(Row {
        task: RowTask {
            name: if name.is_empty() {
                id.clone()
            } else {
                name.into()
            },
            id,
            estimate,
            team: (!team.is_empty()).then(|| team.to_string()),
            priority,
            status,
            line,
        },
        links,
    })
}

/// Checks that an id can be used in links and was not used before.
fn check_id(
    id: &str,
    line: u64,
    seen: &mut HashMap<String, u64>,
    push: &mut impl FnMut(ProblemKind),
) {
    if id.contains([';', ':']) || id.contains(char::is_whitespace) {
        push(ProblemKind::BadId(id.into()));
    }
    if let Some(&first_line) = seen.get(id) {
        push(ProblemKind::DuplicateId { first_line });
    } else {
        seen.insert(id.into(), line);
    }
}

/// Reads the estimate cells and the status (a done task takes no more time,
/// whatever its estimate says). The estimate is `None` when a cell is
/// wrong (the problem is pushed) or the row gives none.
fn read_estimate(
    row: &Cells<'_>,
    push: &mut impl FnMut(ProblemKind),
) -> (Option<Estimate>, Status) {
    let mut duration = |col: Col, name: &str| {
        cells::duration(name, row.get(col)).unwrap_or_else(|p| {
            push(p);
            None
        })
    };
    let (low, likely, high) = (
        duration(Col::Low, "low"),
        duration(Col::Likely, "likely"),
        duration(Col::High, "high"),
    );
    let confidence = cells::confidence(row.get(Col::Confidence)).unwrap_or_else(|p| {
        push(p);
        None
    });
    let bad_numbers = [(Col::Low, low), (Col::Likely, likely), (Col::High, high)]
        .iter()
        .any(|&(c, v)| !row.get(c).is_empty() && v.is_none());

    let status_text = row.get(Col::Status);
    let status = Status::parse(status_text).unwrap_or_else(|| {
        push(ProblemKind::BadStatus(status_text.into()));
        Status::Todo
    });
    let dist = match cells::distribution(row.get(Col::Dist)) {
        Ok(dist) => dist,
        Err(p) => {
            push(p);
            return (None, status);
        }
    };
    if bad_numbers {
        return (None, status);
    }
    let no_numbers = low.is_none() && likely.is_none() && high.is_none();
    if status == Status::Done {
        return (Some(Estimate::Fixed { days: 0.0 }), status);
    }
    if no_numbers && dist.is_none() {
        push(ProblemKind::NoEstimate);
        return (None, status);
    }
    let tp = ThreePoint {
        low,
        likely,
        high,
        confidence,
    };
    let estimate = cells::estimate(dist, tp).map_err(&mut *push).ok();
    (estimate, status)
}

/// Reads a `priority` cell: blank is `None` (must-have), else an integer.
fn read_priority(text: &str, push: &mut impl FnMut(ProblemKind)) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(p) => Some(p),
        Err(_) => {
            push(ProblemKind::BadPriority(text.into()));
            None
        }
    }
}

/// Reads a `depends_on` cell: links separated by `;` or `,`, each to task
/// `id` on `line`.
fn read_links(
    file: &str,
    line: u64,
    id: &str,
    text: &str,
    push: &mut impl FnMut(ProblemKind),
) -> Vec<Located<LinkSpec>> {
    let mut links = Vec::new();
    for part in text.split([';', ',']) {
        if part.trim().is_empty() {
            continue;
        }
        match LinkSpec::parse(part) {
            Ok(spec) => links.push(Located {
                file: file.into(),
                line,
                to: id.into(),
                item: spec,
            }),
            Err(e) => push(ProblemKind::BadLink(e)),
        }
    }
    links
}
