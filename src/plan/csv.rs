//! Reading a plan from CSV, with every problem reported by file, line and id.
//!
//! Headers are matched case-insensitively, with spaces and hyphens read as
//! underscores, and with the aliases of the README (`min`, `most_likely`,
//! `predecessors`, ...). Lines starting with `#` are comments; blank lines are
//! skipped. A column slipcast does not read is a warning, with the closest
//! name it reads. Exports of MS Project, Smartsheet, Asana and Jira are
//! recognised from their header and translated ([`super::exports`]); a
//! file's delimiter (`,`, `;` or tab) is sniffed from its header line, and
//! where it is `;` numbers may have decimal commas (`2,5`).
//!
//! The records come from the shared reader ([`super::records`]), the
//! estimate cells are read as in risk registers ([`super::cells`]), and an
//! edges file is read by [`super::edges`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::calendar_cells::{
    CalendarContext, Placement, PlacementCells, check_placement, read_placement,
};
use super::calendars_csv::read_calendars;
use super::cells;
use super::columns::{Col, aliases, header_map, missing_columns};
use super::edges::read_edges;
use super::error::{LoadError, Problem, ProblemKind};
use super::exports::{
    Context as ExportContext, ExportOptions, Shape, mapped_columns, number_text, translate,
    unknown_columns,
};
use super::records::Records;
use super::validate::{Located, resolve};
use super::{Estimate, LinkSpec, Plan, Status, TaskCalendars, TextEncoding, ThreePoint, Warning};

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
    load_plan_on(path, edges, None, encoding)
}

/// A calendars file (`--calendars`) and the date the plan read with it
/// starts on: day 0 of its time axis, from which its tasks' remaining work
/// is scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarsFile {
    /// The file.
    pub path: PathBuf,
    /// The plan's start (`--start`; an imported plan's data date).
    pub start: NaiveDate,
}

/// A calendars file's name and text, and the date the plan read with it
/// starts on.
#[derive(Debug, Clone, Copy)]
pub struct CalendarsText<'a> {
    /// The name used in messages.
    pub file: &'a str,
    /// The file's text.
    pub text: &'a str,
    /// The plan's start: day 0 of its time axis.
    pub start: NaiveDate,
}

/// [`load_plan_with`] for a plan whose tasks run on the calendars of a
/// calendars file (see [`parse_plan_on`]).
///
/// # Errors
///
/// As [`load_plan_with`]; the problems of the calendars file are listed
/// with the plan's.
pub fn load_plan_on(
    path: &Path,
    edges: Option<&Path>,
    calendars: Option<&CalendarsFile>,
    encoding: TextEncoding,
) -> Result<Plan, LoadError> {
    load_plan_from(path, edges, calendars, encoding, &ExportOptions::default())
}

/// [`load_plan_on`] for a plan that may be an export of another tool (MS
/// Project, Smartsheet, Asana, Jira; see [`parse_plan_with`]) or a table
/// whose columns `options` names.
///
/// # Errors
///
/// As [`load_plan_on`].
pub fn load_plan_from(
    path: &Path,
    edges: Option<&Path>,
    calendars: Option<&CalendarsFile>,
    encoding: TextEncoding,
    options: &ExportOptions,
) -> Result<Plan, LoadError> {
    let text = encoding.read(path, None)?;
    parse_plan_reading(
        &path.display().to_string(),
        &text,
        edges,
        calendars,
        encoding,
        options,
    )
}

/// [`parse_plan_with`] of a plan's `text` (named `file`), its edges and
/// calendars read from their files: for a plan held in memory (a front
/// end's table) with files beside it.
///
/// # Errors
///
/// As [`load_plan_on`].
pub fn parse_plan_reading(
    file: &str,
    text: &str,
    edges: Option<&Path>,
    calendars: Option<&CalendarsFile>,
    encoding: TextEncoding,
    options: &ExportOptions,
) -> Result<Plan, LoadError> {
    let read = |p: &Path, name| -> Result<(String, String), LoadError> {
        Ok((p.display().to_string(), encoding.read_named(p, name, None)?))
    };
    let edges_text = edges.map(|p| read(p, "the edges file")).transpose()?;
    let calendars_text = calendars
        .map(|c| read(&c.path, "the calendars file").map(|t| (t, c.start)))
        .transpose()?;
    parse_plan_with(
        file,
        text,
        edges_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        calendars_text
            .as_ref()
            .map(|((n, t), start)| CalendarsText {
                file: n,
                text: t,
                start: *start,
            }),
        options,
    )
}

/// Reads a calendars file (see the README, "The plan") as the calendars of
/// a plan that starts on `start`.
///
/// # Errors
///
/// [`LoadError::Io`] if it cannot be read; [`LoadError::InvalidInput`] with
/// every problem found.
pub fn load_calendars(
    path: &Path,
    start: NaiveDate,
    encoding: TextEncoding,
) -> Result<TaskCalendars, LoadError> {
    let text = encoding.read_named(path, "the calendars file", None)?;
    super::parse_calendars(&path.display().to_string(), &text, start)
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
    parse_plan_on(file, text, edges, None)
}

/// [`parse_plan`] with the tasks on the calendars of a calendars file: the
/// plan's `calendar` column names them, `not_before` and
/// `finish_not_before` are dates (see [`super::parse_time`]), and
/// `milestone` says where a milestone goes. The plan is scheduled in
/// calendar days from `start`, each task in its calendar's working time.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem of the plan, its edges and the
/// calendars file.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use slipcast::plan::{CalendarsText, parse_plan_on};
/// let calendars = CalendarsText {
///     file: "calendars.csv",
///     text: "calendar,workdays\nWeek,Mon-Fri\nAll days,Mon-Sun\n",
///     start: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
/// };
/// let text = "id,likely,depends_on,calendar,not_before\n\
///             pour,1,,Week,2027-01-06\ncure,7,pour,All days,\n";
/// let plan = parse_plan_on("p.csv", text, None, Some(calendars))?;
/// assert_eq!(plan.tasks[0].not_before, Some(2.0));
/// assert_eq!(plan.tasks[1].calendar, Some(1));
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn parse_plan_on(
    file: &str,
    text: &str,
    edges: Option<(&str, &str)>,
    calendars: Option<CalendarsText<'_>>,
) -> Result<Plan, LoadError> {
    parse_plan_with(file, text, edges, calendars, &ExportOptions::default())
}

/// [`parse_plan_on`] for a plan in slipcast's own shape or exported from
/// another tool, recognised from its header: MS Project's task table,
/// Smartsheet, Asana or Jira (see the README, "The plan", and
/// [`ExportOptions`]), or any table whose columns `options.map` names.
/// The plan's [`Plan::warnings`] say what reads but should be looked at:
/// a column slipcast does not read, a link to an issue the file does not
/// have, a status it does not know.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem found.
///
/// # Examples
///
/// ```
/// use slipcast::plan::{ExportOptions, parse_plan_with};
/// let text = "ID,Name,Duration,Predecessors\n1,Design,5 days,\n2,Build,2w,1FS+1d\n";
/// let plan = parse_plan_with("p.csv", text, None, None, &ExportOptions::default())?;
/// assert_eq!(plan.tasks[1].estimate.planned(), 10.0);
/// assert_eq!(plan.tasks[1].links[0].lag, 1.0);
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn parse_plan_with(
    file: &str,
    text: &str,
    edges: Option<(&str, &str)>,
    calendars: Option<CalendarsText<'_>>,
    options: &ExportOptions,
) -> Result<Plan, LoadError> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let calendars = calendars.map(|c| {
        let (read, found) = read_calendars(c.file, c.text, c.start);
        problems.extend(found);
        (c.file, read)
    });
    let ctx = calendars
        .as_ref()
        .map(|(name, c)| CalendarContext::new(name, c));
    let rows = read_rows(
        file,
        text,
        ctx.as_ref(),
        options,
        &mut problems,
        &mut warnings,
    );
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
    let calendars = calendars.map(|(_, c)| c);
    let mut plan = resolve(
        file,
        edges.map(|(e, _)| e),
        tasks,
        links,
        calendars,
        problems,
    )?;
    // The reader's (header, export) warnings, then the rows'.
    warnings.append(&mut plan.warnings);
    plan.warnings = warnings;
    Ok(plan)
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
    /// Its calendar, times and milestone end, with task calendars.
    pub placement: Placement,
    /// A value of the row its distribution does not use, in words.
    pub ignored: Option<String>,
    /// Pools it occupies, with people each (`people`, `resources`).
    pub demands: Vec<(String, u32)>,
}

/// A row as read: its task and the links of its `depends_on` cell.
struct Row {
    task: RowTask,
    links: Vec<Located<LinkSpec>>,
}

/// Reads the rows of a plan, pushing every problem found onto `problems`
/// and every warning onto `warnings`; the rows returned are those with an
/// id. An export of another tool is translated first (see
/// [`super::exports`]).
fn read_rows(
    file: &str,
    text: &str,
    ctx: Option<&CalendarContext<'_>>,
    options: &ExportOptions,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Warning>,
) -> Vec<Row> {
    let before = problems.len();
    let Ok(mut records) = Records::new(file, text).map_err(|p| problems.push(*p)) else {
        return Vec::new();
    };
    let header_line = records.header_line();
    let decimal_comma = records.delimiter() == b';';
    let shape = Shape::recognise(records.headers());
    let mapped = mapped_columns(file, header_line, records.headers(), &options.map, problems);
    unknown_columns(
        file,
        header_line,
        records.headers(),
        shape,
        &mapped,
        warnings,
    );
    if problems.len() > before {
        return Vec::new();
    }

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut told = Vec::new();
    if shape != Shape::Slipcast {
        let mut all = Vec::new();
        while let Some(record) = records.next_reporting(problems) {
            all.push(record);
        }
        let headers = records.headers().clone();
        let export = ExportContext {
            file,
            header_line,
            headers: &headers,
            decimal_comma,
            options,
            mapped: &mapped,
        };
        for t in translate(shape, &export, &all, problems, warnings) {
            let cells = Cells::Translated(&t.cells);
            let row = RowContext {
                file,
                line: t.line,
                cells: &cells,
                calendars: ctx,
                links: t.links.as_deref(),
                estimate_told: t.estimate_told,
            };
            rows.extend(read_row(&row, &mut seen, &mut told, problems));
        }
    } else {
        let mut cols = header_map(file, records.headers(), header_line, problems);
        cols.extend(mapped);
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
        while let Some((line, rec)) = records.next_reporting(problems) {
            let rec = if decimal_comma {
                decimal_commas(&rec, &cols)
            } else {
                rec
            };
            let cells = Cells::Record {
                cols: &cols,
                rec: &rec,
            };
            let row = RowContext {
                file,
                line,
                cells: &cells,
                calendars: ctx,
                links: None,
                estimate_told: false,
            };
            rows.extend(read_row(&row, &mut seen, &mut told, problems));
        }
    }
    if rows.is_empty() && problems.len() == before {
        problems.push(Problem {
            file: file.into(),
            line: Some(header_line),
            task: None,
            kind: ProblemKind::Empty,
        });
    }
    rows
}

/// A record of a `;`-delimited file with the decimal commas of its number
/// cells (`low`, `likely`, `high`, `confidence`) read as points: `2,5` is
/// 2.5.
fn decimal_commas(rec: &csv::StringRecord, cols: &HashMap<Col, usize>) -> csv::StringRecord {
    let numeric: Vec<usize> = [Col::Low, Col::Likely, Col::High, Col::Confidence]
        .iter()
        .filter_map(|c| cols.get(c).copied())
        .collect();
    rec.iter()
        .enumerate()
        .map(|(i, c)| {
            if numeric.contains(&i) {
                number_text(c, true)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One record's cells, looked up by column: a record of slipcast's own
/// shape, or an export's record translated into slipcast's cells.
enum Cells<'a> {
    Record {
        cols: &'a HashMap<Col, usize>,
        rec: &'a csv::StringRecord,
    },
    Translated(&'a HashMap<Col, String>),
}

impl Cells<'_> {
    /// The cell of `col`; blank when the column or the cell is absent.
    /// A leading apostrophe that made the cell inert is dropped (see
    /// [`cells::text`]).
    fn get(&self, col: Col) -> &str {
        match self {
            Cells::Record { cols, rec } => cols
                .get(&col)
                .and_then(|&i| rec.get(i))
                .map_or("", cells::text),
            Cells::Translated(cells) => cells.get(&col).map_or("", |c| c.as_str()),
        }
    }
}

/// A record being read: where it is, its cells, and the calendars it is
/// read against.
struct RowContext<'a> {
    file: &'a str,
    line: u64,
    cells: &'a Cells<'a>,
    calendars: Option<&'a CalendarContext<'a>>,
    /// An export's links by id, read instead of the `depends_on` cell.
    links: Option<&'a [LinkSpec]>,
    /// The row's estimate was already reported as missing or wrong.
    estimate_told: bool,
}

/// Reads one record: `None` when it has no id (nothing can refer to it).
/// Each problem is pushed in the order of the cells' checks; `seen` holds
/// the line of each id read so far, `told` the columns already reported as
/// needing a calendars file.
fn read_row(
    ctx: &RowContext<'_>,
    seen: &mut HashMap<String, u64>,
    told: &mut Vec<&'static str>,
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let (file, line, row) = (ctx.file, ctx.line, ctx.cells);
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
    let (estimate, status, ignored) = read_estimate(row, ctx.estimate_told, &mut push);
    let priority = read_priority(row.get(Col::Priority), &mut push);
    let links = match ctx.links {
        Some(specs) => specs
            .iter()
            .map(|spec| Located {
                file: file.into(),
                line,
                to: id.clone(),
                item: spec.clone(),
            })
            .collect(),
        None => read_links(file, line, &id, row.get(Col::DependsOn), &mut push),
    };
    let cells = PlacementCells {
        calendar: row.get(Col::Calendar),
        not_before: row.get(Col::NotBefore),
        finish_not_before: row.get(Col::FinishNotBefore),
        milestone: row.get(Col::Milestone),
    };
    let placement = read_placement(&cells, ctx.calendars, told, &mut push);
    check_placement(&placement, estimate.as_ref(), ctx.calendars, &mut push);
    let name = row.get(Col::Name);
    let team = row.get(Col::Team);
    let demands = read_demands(
        team,
        row.get(Col::People),
        row.get(Col::Resources),
        &mut push,
    );
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
            placement,
            ignored,
            demands,
        },
        links,
    })
}

/// Reads the `people` cell (how many of the task's team it occupies: a
/// whole number, at least 1) and the `resources` cell (pools with people
/// each, `backend:2;qa`, one person where no number is given). `resources`
/// names every pool the task occupies; `people` without it applies to the
/// task's team.
fn read_demands(
    team: &str,
    people: &str,
    resources: &str,
    push: &mut impl FnMut(ProblemKind),
) -> Vec<(String, u32)> {
    let count = |text: &str| match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Some(n),
        _ => None,
    };
    let mut out: Vec<(String, u32)> = Vec::new();
    for part in resources.split([';', ',']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (pool, n) = match part.rsplit_once(':') {
            Some((pool, n)) => (pool.trim(), count(n)),
            None => (part, Some(1)),
        };
        match n {
            Some(n) if !pool.is_empty() => {
                if out.iter().any(|(p, _)| p == pool) {
                    push(ProblemKind::BadResources(part.into()));
                } else {
                    out.push((pool.into(), n));
                }
            }
            _ => push(ProblemKind::BadResources(part.into())),
        }
    }
    if !people.trim().is_empty() {
        match count(people) {
            None => push(ProblemKind::BadPeople(people.into())),
            Some(_) if !out.is_empty() => push(ProblemKind::PeopleAndResources),
            Some(_) if team.is_empty() => push(ProblemKind::PeopleWithoutTeam),
            Some(n) => out.push((team.into(), n)),
        }
    }
    out
}

/// Checks that an id can be used in links and was not used before.
fn check_id(
    id: &str,
    line: u64,
    seen: &mut HashMap<String, u64>,
    push: &mut impl FnMut(ProblemKind),
) {
    // Spaces are fine (`Design doc:SS+2` reads); other white space is not
    // visible in a link.
    if id.contains([';', ':']) || id.contains(|c: char| c.is_whitespace() && c != ' ') {
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
/// wrong (the problem is pushed) or the row gives none (`told`: a missing
/// estimate was already reported); with it, what of the row the estimate
/// does not use.
fn read_estimate(
    row: &Cells<'_>,
    told: bool,
    push: &mut impl FnMut(ProblemKind),
) -> (Option<Estimate>, Status, Option<String>) {
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
            return (None, status, None);
        }
    };
    if bad_numbers {
        return (None, status, None);
    }
    let no_numbers = low.is_none() && likely.is_none() && high.is_none();
    if status == Status::Done {
        return (Some(Estimate::Fixed { days: 0.0 }), status, None);
    }
    if no_numbers && dist.is_none() {
        if !told {
            push(ProblemKind::NoEstimate);
        }
        return (None, status, None);
    }
    let tp = ThreePoint {
        low,
        likely,
        high,
        confidence,
    };
    let estimate = cells::estimate(dist, tp).map_err(&mut *push).ok();
    let ignored = estimate.and_then(|_| Estimate::ignored(cells::kind(dist, &tp), tp));
    (estimate, status, ignored)
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
