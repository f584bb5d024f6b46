//! Reading a plan from CSV, with every problem reported by file, line and id.
//!
//! Headers are matched case-insensitively, with spaces and hyphens read as
//! underscores, and with the aliases of DESIGN.md (`min`, `most_likely`,
//! `predecessors`, ...). Lines starting with `#` are comments; blank lines are
//! skipped. Unknown columns are ignored, so tracker exports load as they are.

use std::collections::HashMap;
use std::path::Path;

use super::error::{LoadError, Problem, ProblemKind, closest};
use super::records::Records;
use super::validate::{Located, resolve};
use super::{DistKind, Estimate, LinkKind, LinkSpec, Plan, Status, TextEncoding, ThreePoint};

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

fn normalise(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
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

struct Row {
    task: RowTask,
    links: Vec<Located<LinkSpec>>,
}

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

fn read_rows(file: &str, text: &str, problems: &mut Vec<Problem>) -> Vec<Row> {
    let at = |line: Option<u64>, task: Option<&str>, kind| Problem {
        file: file.into(),
        line,
        task: task.map(str::to_string),
        kind,
    };
    let records = match Records::new(file, text) {
        Ok(r) => r,
        Err(p) => {
            problems.push(*p);
            return Vec::new();
        }
    };
    let header_line = records.header_line();
    let cols = header_map(file, records.headers(), header_line, problems);
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
    if !missing.is_empty() {
        for col in missing {
            let names = aliases(col);
            let column = names.split(", ").next().unwrap_or_default().to_string();
            problems.push(at(
                Some(header_line),
                None,
                ProblemKind::MissingColumn {
                    column,
                    aliases: names,
                },
            ));
        }
        return Vec::new();
    }

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in records {
        let (line, rec) = match row {
            Ok(row) => row,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let cell = |c: Col| cols.get(&c).and_then(|&i| rec.get(i)).unwrap_or("");
        let id = cell(Col::Id).to_string();
        let task = (!id.is_empty()).then_some(id.as_str());
        let mut push = |kind| problems.push(at(Some(line), task, kind));
        if id.is_empty() {
            push(ProblemKind::MissingId);
            continue;
        }
        if id.contains([';', ':']) || id.contains(char::is_whitespace) {
            push(ProblemKind::BadId(id.clone()));
        }
        if let Some(&first_line) = seen.get(&id) {
            push(ProblemKind::DuplicateId { first_line });
        } else {
            seen.insert(id.clone(), line);
        }

        let mut number = |c: Col, name: &str| -> Option<f64> {
            let v = cell(c);
            if v.is_empty() {
                return None;
            }
            let v = v.trim_end_matches('%');
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    push(ProblemKind::NotANumber {
                        column: name.into(),
                        value: cell(c).into(),
                    });
                    None
                }
            }
        };
        let (n_low, n_likely, n_high) = (
            number(Col::Low, "low"),
            number(Col::Likely, "likely"),
            number(Col::High, "high"),
        );
        let conf = number(Col::Confidence, "confidence").map(|c| {
            // 0.8 means 80%; anything above 1 is already a percentage.
            if c > 0.0 && c <= 1.0 { c * 100.0 } else { c }
        });
        let bad_numbers = [Col::Low, Col::Likely, Col::High, Col::Confidence]
            .iter()
            .any(|&c| !cell(c).is_empty())
            && [
                (Col::Low, n_low),
                (Col::Likely, n_likely),
                (Col::High, n_high),
            ]
            .iter()
            .any(|&(c, v)| !cell(c).is_empty() && v.is_none());

        let status_text = cell(Col::Status);
        let status = match Status::parse(status_text) {
            Some(s) => s,
            None => {
                push(ProblemKind::BadStatus(status_text.into()));
                Status::Todo
            }
        };
        let dist_text = cell(Col::Dist);
        let kind = if dist_text.is_empty() {
            Some(DistKind::Pert)
        } else {
            match dist_text.parse::<DistKind>() {
                Ok(k) => Some(k),
                Err(()) => {
                    push(ProblemKind::UnknownDistribution {
                        value: dist_text.into(),
                        suggestion: closest(dist_text, DistKind::NAMES),
                    });
                    None
                }
            }
        };
        let tp = ThreePoint {
            low: n_low,
            likely: n_likely,
            high: n_high,
            confidence: conf,
        };
        let no_numbers = n_low.is_none() && n_likely.is_none() && n_high.is_none();
        let estimate = match (kind, bad_numbers) {
            (Some(_), false) if no_numbers && dist_text.is_empty() && status != Status::Done => {
                push(ProblemKind::NoEstimate);
                None
            }
            (Some(kind), false) => {
                // A done task takes no more time whatever its estimate says;
                // a one-point row without a dist is a fixed duration.
                let kind = if status == Status::Done {
                    None
                } else if dist_text.is_empty() && n_low.is_none() && n_high.is_none() {
                    Some(DistKind::Fixed)
                } else {
                    Some(kind)
                };
                match kind {
                    None => Some(Estimate::Fixed { days: 0.0 }),
                    Some(kind) => match Estimate::new(kind, tp) {
                        Ok(e) => Some(e),
                        Err(e) => {
                            push(ProblemKind::Estimate(e));
                            None
                        }
                    },
                }
            }
            _ => None,
        };
        let priority_text = cell(Col::Priority);
        let priority = if priority_text.is_empty() {
            None
        } else {
            match priority_text.parse::<i64>() {
                Ok(p) => Some(p),
                Err(_) => {
                    push(ProblemKind::BadPriority(priority_text.into()));
                    None
                }
            }
        };
        let mut links = Vec::new();
        for part in cell(Col::DependsOn).split([';', ',']) {
            if part.trim().is_empty() {
                continue;
            }
            match LinkSpec::parse(part) {
                Ok(spec) => links.push(Located {
                    file: file.into(),
                    line,
                    to: id.clone(),
                    item: spec,
                }),
                Err(e) => push(ProblemKind::BadLink(e)),
            }
        }
        let name = cell(Col::Name);
        let team = cell(Col::Team);
        rows.push(Row {
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
        });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(at(Some(header_line), None, ProblemKind::Empty));
    }
    rows
}

/// Reads an edges file: `from,to,type,lag` (type FS/SS/FF/SF, default FS; lag
/// in working days, default 0).
fn read_edges(file: &str, text: &str, problems: &mut Vec<Problem>) -> Vec<Located<LinkSpec>> {
    let at = |line: Option<u64>, kind| Problem {
        file: file.into(),
        line,
        task: None,
        kind,
    };
    let records = match Records::new(file, text) {
        Ok(r) => r,
        Err(p) => {
            problems.push(*p);
            return Vec::new();
        }
    };
    let headers = records.headers().clone();
    let header_line = records.header_line();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&normalise(h).as_str()))
    };
    let from = find(&["from", "predecessor", "source", "pred"]);
    let to = find(&["to", "successor", "target", "succ", "task"]);
    let typ = find(&["type", "kind", "link", "relation"]);
    let lag = find(&["lag", "lag_days", "delay"]);
    let (Some(from), Some(to)) = (from, to) else {
        for (found, column, aliases) in [
            (from, "from", "from, predecessor, source"),
            (to, "to", "to, successor, target"),
        ] {
            if found.is_none() {
                problems.push(at(
                    Some(header_line),
                    ProblemKind::MissingColumn {
                        column: column.into(),
                        aliases: aliases.into(),
                    },
                ));
            }
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in records {
        let (line, rec) = match row {
            Ok(row) => row,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("");
        let (f, t) = (get(Some(from)), get(Some(to)));
        let kind = match get(typ).parse::<LinkKind>() {
            Ok(k) => k,
            Err(e) => {
                problems.push(at(Some(line), ProblemKind::BadLink(e)));
                continue;
            }
        };
        let lag_text = get(lag);
        let lag = if lag_text.is_empty() {
            0.0
        } else {
            match lag_text.parse::<f64>() {
                Ok(l) if l.is_finite() && l.abs() <= super::MAX_DAYS => l,
                _ => {
                    problems.push(at(
                        Some(line),
                        ProblemKind::NotANumber {
                            column: "lag".into(),
                            value: lag_text.into(),
                        },
                    ));
                    continue;
                }
            }
        };
        if f.is_empty() || t.is_empty() {
            problems.push(at(Some(line), ProblemKind::EdgeWithoutTask));
            continue;
        }
        out.push(Located {
            file: file.into(),
            line,
            to: t.into(),
            item: LinkSpec {
                from: f.into(),
                kind,
                lag,
                whole: None,
            },
        });
    }
    out
}
