//! A plan as the cells of its CSV files, which the plan reader reads back
//! to the same plan: the plan itself and, for a plan on task calendars, its
//! calendars file (see [`super::parse_plan_on`]).
//!
//! Numbers are written with the fewest digits that read back to the same
//! `f64`, times as dates (see [`super::time_text`]), so that fixed,
//! uniform, triangular and PERT estimates, lags, calendars and constraints
//! come back bit for bit and the plan read back schedules identically.
//! Normal and log-normal estimates are written as their interval with its
//! confidence, which reads back to within rounding.
//!
//! A `not_before` or `finish_not_before` at or before the plan's start is
//! left out: it holds nothing back (a task never starts or finishes before
//! the start), so the plan read back schedules the same. An import makes
//! such times from lags of work finished before the data date.
//!
//! Cells are plain text here; whoever writes them to a file makes them
//! inert for spreadsheets (`report::inert::csv_cell`), and the reader drops
//! the apostrophe that adds (see [`super::parse_plan`]).
//!
//! What a plan CSV cannot hold is renamed, and listed in
//! [`PlanTables::renamed`]: an id with a space, `;`, `:` or `,` (each
//! becomes `_`; a P6 activity id shared by two projects is imported as
//! `PROJECT:ID`), and a calendar name that is blank, has a line break or is
//! used twice. A renamed task draws other random numbers than it did under
//! its old id (each task's draws follow its id).

use std::collections::HashSet;

use serde::Serialize;

mod calendars;

use calendars::{calendar_names, calendars_sections};

use super::estimate::central_z;
use super::times::{DayEnd, time_text};
use super::{DEFAULT_CONFIDENCE, Estimate, LinkKind, Plan};

/// A name the CSV form of a plan could not hold, and the one written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The name in the plan.
    pub from: String,
    /// The name written.
    pub to: String,
}

/// The cells of a plan's CSV files.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTables {
    /// The plan: the header, then a row per task in plan order.
    pub plan: Vec<Vec<String>>,
    /// The calendars file, section by section (each its header row, then
    /// its rows), for a plan on task calendars.
    pub calendars: Option<Vec<Vec<Vec<String>>>>,
    /// Task ids changed because a plan CSV cannot hold them.
    pub renamed: Vec<Renamed>,
    /// Calendar names changed (blank, with a line break, or used twice).
    pub renamed_calendars: Vec<Renamed>,
}

/// A number with the fewest digits that read back to it.
pub(super) fn number(x: f64) -> String {
    // `-0` reads back as 0, which is the same duration or lag.
    if x == 0.0 { "0".into() } else { format!("{x}") }
}

/// Text on one line: line breaks (which no cell of slipcast's CSV files may
/// hold) become spaces.
pub(super) fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// The CSV form of the plan's ids: unchanged where they are valid,
/// else with each `;`, `:`, `,` and white space other than a plain space
/// as `_` (and a number added when that is taken). An id with spaces reads
/// back as it is (`Design doc:SS+2`), so it is kept.
fn csv_ids(plan: &Plan) -> (Vec<String>, Vec<Renamed>) {
    let bad = |id: &str| {
        id.is_empty()
            || id.contains([';', ':', ','])
            || id.contains(|c: char| c.is_whitespace() && c != ' ')
            || id.trim() != id
            || super::cells::text(id) != id
    };
    let mut taken: HashSet<String> = plan
        .tasks
        .iter()
        .filter(|t| !bad(&t.id))
        .map(|t| t.id.clone())
        .collect();
    let mut renamed = Vec::new();
    let ids = plan
        .tasks
        .iter()
        .map(|t| {
            if !bad(&t.id) {
                return t.id.clone();
            }
            let mut base: String =
                t.id.chars()
                    .map(|c| {
                        if (c.is_whitespace() && c != ' ') || [';', ':', ','].contains(&c) {
                            '_'
                        } else {
                            c
                        }
                    })
                    .collect();
            let base_trimmed = base.trim().replace(' ', "_");
            if base.trim() != base {
                base = base_trimmed;
            }
            if base.is_empty() || super::cells::text(&base) != base {
                base = format!("task{base}");
            }
            let id = unique(base, &mut taken);
            renamed.push(Renamed {
                from: t.id.clone(),
                to: id.clone(),
            });
            id
        })
        .collect();
    (ids, renamed)
}

/// `base`, or `base_2`, `base_3`, ... when it is taken; marked taken.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The `low`, `likely`, `high`, `dist` and `confidence` cells of an
/// estimate.
fn estimate_cells(e: &Estimate) -> [String; 5] {
    let n = number;
    let blank = String::new;
    match *e {
        Estimate::Fixed { days } => [blank(), n(days), blank(), blank(), blank()],
        Estimate::Uniform { low, high } => [n(low), blank(), n(high), "uniform".into(), blank()],
        Estimate::Triangular { low, mode, high } => {
            [n(low), n(mode), n(high), "triangular".into(), blank()]
        }
        Estimate::Pert { low, mode, high } => [n(low), n(mode), n(high), "pert".into(), blank()],
        Estimate::Normal { .. } => {
            // The P5 and P95 of the distribution as truncated at zero, which
            // the reader fits back (see `fit_truncated_normal`).
            let p = (1.0 - DEFAULT_CONFIDENCE / 100.0) / 2.0;
            [
                n(e.quantile(p, 1.0 - p)),
                blank(),
                n(e.quantile(1.0 - p, p)),
                "normal".into(),
                n(DEFAULT_CONFIDENCE),
            ]
        }
        Estimate::LogNormal { mu, sigma } => {
            let z = central_z(DEFAULT_CONFIDENCE);
            [
                n((mu - z * sigma).exp()),
                blank(),
                n((mu + z * sigma).exp()),
                "lognormal".into(),
                n(DEFAULT_CONFIDENCE),
            ]
        }
    }
}

/// The `depends_on` cell of task `t`.
fn depends_on(plan: &Plan, t: usize, ids: &[String], all: &HashSet<&str>) -> String {
    let links: Vec<String> = plan.tasks[t]
        .links
        .iter()
        .map(|l| {
            let id = &ids[l.pred];
            let lag = if l.lag == 0.0 {
                String::new()
            } else if l.lag > 0.0 {
                format!("+{}", number(l.lag))
            } else {
                number(l.lag)
            };
            // `a+2` is task `a+2` when there is one: then the type says
            // that the lag is a lag.
            match l.kind {
                LinkKind::FS if lag.is_empty() => id.clone(),
                LinkKind::FS if !all.contains(format!("{id}{lag}").as_str()) => {
                    format!("{id}{lag}")
                }
                kind => format!("{id}:{kind}{lag}"),
            }
        })
        .collect();
    links.join(";")
}

/// The cells of `plan`'s CSV files; `extra` columns (a name, and a value per
/// task in plan order) follow `name`, for the reader to pass over.
///
/// Columns are written only where some task needs them: `team`,
/// `low`/`high`/`dist` (for ranged estimates), `confidence` (normal and
/// log-normal), `priority`, `resources`; with task calendars `calendar`, and
/// `not_before`, `finish_not_before` and `milestone` where a task has one.
///
/// # Examples
///
/// ```
/// use slipcast::plan::{parse_plan, plan_tables};
/// let plan = parse_plan("p.csv", "id,low,likely,high,depends_on\na,1,2,4,\nb,,3,,a:SS+1\n", None)?;
/// let t = plan_tables(&plan, &[]);
/// assert_eq!(t.plan[0], ["id", "name", "low", "likely", "high", "dist", "depends_on", "status"]);
/// assert_eq!(t.plan[2], ["b", "b", "", "3", "", "", "a:SS+1", "todo"]);
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn plan_tables(plan: &Plan, extra: &[(&str, Vec<String>)]) -> PlanTables {
    let (ids, renamed) = csv_ids(plan);
    let all: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let tasks = &plan.tasks;
    let estimates: Vec<[String; 5]> = tasks.iter().map(|t| estimate_cells(&t.estimate)).collect();
    let ranged = estimates.iter().any(|e| !e[3].is_empty());
    let confidence = estimates.iter().any(|e| !e[4].is_empty());
    let team = tasks.iter().any(|t| t.team.is_some());
    let priority = tasks.iter().any(|t| t.priority.is_some());
    let resources = tasks.iter().any(|t| !t.demands.is_empty());
    let on_calendars = plan.calendars.as_ref();
    let after_start = |t: Option<f64>| t.is_some_and(|t| t > 0.0);
    let not_before = on_calendars.is_some() && tasks.iter().any(|t| after_start(t.not_before));
    let finish_not_before =
        on_calendars.is_some() && tasks.iter().any(|t| after_start(t.finish_not_before));
    let milestone = on_calendars.is_some() && tasks.iter().any(|t| t.at_start);
    let (names, renamed_calendars) = on_calendars.map(calendar_names).unwrap_or_default();

    let mut header: Vec<&str> = vec!["id", "name"];
    header.extend(extra.iter().map(|(name, _)| *name));
    if team {
        header.push("team");
    }
    if ranged {
        header.extend(["low", "likely", "high", "dist"]);
    } else {
        header.push("likely");
    }
    if confidence {
        header.push("confidence");
    }
    header.push("depends_on");
    if on_calendars.is_some() {
        header.push("calendar");
    }
    for (used, column) in [
        (not_before, "not_before"),
        (finish_not_before, "finish_not_before"),
        (milestone, "milestone"),
    ] {
        if used {
            header.push(column);
        }
    }
    header.push("status");
    if priority {
        header.push("priority");
    }
    if resources {
        header.push("resources");
    }

    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let start = on_calendars.map(|c| c.start);
    for (i, task) in tasks.iter().enumerate() {
        let mut row = vec![ids[i].clone(), one_line(&task.name)];
        row.extend(
            extra
                .iter()
                .map(|(_, values)| one_line(values.get(i).map_or("", String::as_str))),
        );
        if team {
            row.push(task.team.as_deref().map(one_line).unwrap_or_default());
        }
        let [low, likely, high, dist, conf] = estimates[i].clone();
        if ranged {
            row.extend([low, likely, high, dist]);
        } else {
            row.push(likely);
        }
        if confidence {
            row.push(conf);
        }
        row.push(depends_on(plan, i, &ids, &all));
        if let Some(c) = on_calendars {
            let name = |k: usize| names.get(k).cloned();
            row.push(
                task.calendar
                    .and_then(|k| name(k).or_else(|| name(c.default)))
                    .unwrap_or_default(),
            );
        }
        // A time at or before the start holds nothing back (see the
        // module documentation).
        let time = |t: Option<f64>, end| match (t, start) {
            (Some(t), Some(s)) if t > 0.0 => time_text(t, s, end),
            _ => String::new(),
        };
        if not_before {
            row.push(time(task.not_before, DayEnd::Start));
        }
        if finish_not_before {
            row.push(time(task.finish_not_before, DayEnd::Finish));
        }
        if milestone {
            row.push(if task.at_start { "start" } else { "" }.into());
        }
        row.push(task.status.to_string());
        if priority {
            row.push(task.priority.map(|p| p.to_string()).unwrap_or_default());
        }
        if resources {
            let cell: Vec<String> = task
                .demands
                .iter()
                .map(|(pool, n)| format!("{}:{n}", one_line(pool)))
                .collect();
            row.push(cell.join(";"));
        }
        rows.push(row);
    }
    PlanTables {
        plan: rows,
        calendars: on_calendars.map(|c| calendars_sections(c, &names)),
        renamed,
        renamed_calendars,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;
    use crate::plan::{
        CalendarsText, LagCalendar, Link, Status, Task, TaskCalendars, WorkCalendar, parse_plan,
        parse_plan_on,
    };

    /// Joins sections as a file does: CSV rows, a blank line between
    /// sections (cells here hold no commas or quotes).
    fn text(rows: &[Vec<String>]) -> String {
        rows.iter().map(|r| r.join(",") + "\n").collect()
    }

    fn task(id: &str, estimate: Estimate, links: Vec<Link>) -> Task {
        Task {
            id: id.into(),
            name: format!("Task {id}"),
            estimate,
            links,
            team: None,
            priority: None,
            status: Status::Todo,
            line: 0,
            calendar: None,
            not_before: None,
            finish_not_before: None,
            at_start: false,
            demands: Vec::new(),
        }
    }

    /// A plan on two calendars with every kind of link, lag, time and
    /// estimate an import makes reads back as the same plan.
    #[test]
    fn a_plan_on_calendars_reads_back_identically() {
        let start = NaiveDate::from_ymd_opt(2025, 4, 22).unwrap();
        let mut five = WorkCalendar::new("Standard 5 day", crate::plan::WEEKDAYS, 8.0);
        five.exceptions = BTreeMap::from([
            (NaiveDate::from_ymd_opt(2025, 12, 25).unwrap(), false),
            (NaiveDate::from_ymd_opt(2025, 12, 27).unwrap(), true),
        ]);
        let seven = WorkCalendar::new("24hrs", [true; 7], 24.0);
        let calendars = TaskCalendars {
            start,
            start_offset: 0.208_333_333_333_333_34,
            calendars: vec![five, seven],
            default: 1,
            lag: LagCalendar::Predecessor,
            axis_start: Default::default(),
        };
        let tri = Estimate::Triangular {
            low: 0.9 * 2.125,
            mode: 2.125,
            high: 1.3 * 2.125,
        };
        let mut tasks = vec![
            task("A100", Estimate::Fixed { days: 0.0 }, vec![]),
            task(
                "=A110",
                tri,
                vec![Link {
                    pred: 0,
                    kind: LinkKind::FS,
                    lag: 0.375,
                }],
            ),
            task(
                "A120",
                Estimate::Fixed { days: 1.0 / 3.0 },
                vec![
                    Link {
                        pred: 1,
                        kind: LinkKind::SS,
                        lag: -1.25,
                    },
                    Link {
                        pred: 0,
                        kind: LinkKind::FF,
                        lag: 0.0,
                    },
                ],
            ),
            task("A100+2", Estimate::Fixed { days: 4.0 }, vec![]),
            task(
                "A130",
                Estimate::Pert {
                    low: 1.0,
                    mode: 2.0,
                    high: 5.5,
                },
                vec![
                    Link {
                        pred: 0,
                        kind: LinkKind::FS,
                        lag: 2.0,
                    },
                    Link {
                        pred: 3,
                        kind: LinkKind::SF,
                        lag: 0.5,
                    },
                ],
            ),
        ];
        tasks[0].at_start = true;
        tasks[0].status = Status::Done;
        tasks[1].calendar = Some(0);
        tasks[1].not_before = Some(3.5);
        tasks[2].finish_not_before = Some(-2.0 / 3.0);
        tasks[2].status = Status::InProgress;
        tasks[3].calendar = Some(1);
        tasks[4].not_before = Some(12.0);
        tasks[4].finish_not_before = Some(20.0);
        let plan = Plan::with_calendars("p.xer", tasks, Some(calendars)).unwrap();
        let t = plan_tables(&plan, &[("wbs", vec!["1.1".into(); 5])]);
        assert!(t.renamed.is_empty() && t.renamed_calendars.is_empty());
        // The FS link with a 2-day lag from A100 would read as task A100+2.
        assert_eq!(
            t.plan[5][t.plan[0].iter().position(|c| c == "depends_on").unwrap()],
            "A100:FS+2;A100+2:SF+0.5"
        );
        let cal_text: String = t
            .calendars
            .as_ref()
            .unwrap()
            .iter()
            .map(|s| text(s) + "\n")
            .collect();
        let back = parse_plan_on(
            "plan.csv",
            &text(&t.plan),
            None,
            Some(CalendarsText {
                file: "calendars.csv",
                text: &cal_text,
                start,
            }),
        )
        .unwrap_or_else(|e| panic!("{e}\n{}\n{cal_text}", text(&t.plan)));
        assert_eq!(back.calendars, plan.calendars);
        assert_eq!(back.order(), plan.order());
        for (a, b) in plan.tasks.iter().zip(&back.tasks) {
            assert_eq!(
                (&a.id, &a.name, a.estimate, &a.links, a.status),
                (&b.id, &b.name, b.estimate, &b.links, b.status)
            );
            let after = |t: Option<f64>| t.filter(|&t| t > 0.0);
            assert_eq!(
                (after(a.not_before), after(a.finish_not_before), a.at_start),
                (b.not_before, b.finish_not_before, b.at_start)
            );
        }
        for t in 0..plan.tasks.len() {
            assert_eq!(plan.calendar_of(t), back.calendar_of(t));
        }
    }

    #[test]
    fn ids_a_plan_cannot_hold_are_renamed() {
        let plan = Plan::with_calendars(
            "p.xer",
            vec![
                task("P1:A1", Estimate::Fixed { days: 1.0 }, vec![]),
                task("P1_A1", Estimate::Fixed { days: 1.0 }, vec![]),
                task(
                    " A\t2",
                    Estimate::Fixed { days: 1.0 },
                    vec![Link {
                        pred: 0,
                        kind: LinkKind::FS,
                        lag: 0.0,
                    }],
                ),
            ],
            None,
        )
        .unwrap();
        let t = plan_tables(&plan, &[]);
        let to: Vec<(&str, &str)> = t
            .renamed
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str()))
            .collect();
        assert_eq!(to, [("P1:A1", "P1_A1_2"), (" A\t2", "A_2")]);
        assert_eq!(t.plan[3][..3], ["A_2", "Task  A\t2", "1"]);
        assert_eq!(t.plan[3][3], "P1_A1_2");
        assert!(parse_plan("p.csv", &text(&t.plan), None).is_ok());
    }

    /// Ids with spaces are read (tracker exports have them), so they are
    /// written as they are and read back with their links.
    #[test]
    fn ids_with_spaces_are_kept() {
        let text_in = "id,likely,depends_on\nDesign doc,2,\nBuild it,3,Design doc:SS+1\n";
        let plan = parse_plan("p.csv", text_in, None).unwrap();
        let t = plan_tables(&plan, &[]);
        assert!(t.renamed.is_empty());
        let back = parse_plan("p.csv", &text(&t.plan), None).unwrap();
        assert_eq!(back.tasks[1].id, "Build it");
        assert_eq!(back.tasks[1].links, plan.tasks[1].links);
    }

    #[test]
    fn normal_and_lognormal_read_back_within_rounding() {
        let text_of = |e: &str| format!("id,low,likely,high,dist,confidence\na,{e}\n");
        for row in [
            "0.5,,10,normal,80",
            "1,,9,normal,80",
            "2,,9,normal,",
            "1,,30,lognormal,",
            "1,3,30,lognormal,",
        ] {
            let plan = parse_plan("p.csv", &text_of(row), None).unwrap();
            let t = plan_tables(&plan, &[]);
            let back = parse_plan("p.csv", &text(&t.plan), None).unwrap();
            let (a, b) = (plan.tasks[0].estimate, back.tasks[0].estimate);
            assert_eq!(a.kind(), b.kind(), "{row}");
            for p in [0.05, 0.5, 0.95] {
                let (qa, qb) = (a.quantile(p, 1.0 - p), b.quantile(p, 1.0 - p));
                assert!(
                    (qa - qb).abs() < 1e-9 * qa.max(1.0),
                    "{row} at {p}: {qa} vs {qb}"
                );
            }
        }
    }
}
