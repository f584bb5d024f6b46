//! The leadership report's content, independent of its format: the headline,
//! the key dates, the inputs, the figures and the tables. [`super::html`] and
//! [`super::markdown`] render the same [`Document`], so the HTML page and the
//! wiki summary never disagree.

use std::path::Path;

use crate::analysis::{Driver, DriverKind, Forecast, RiskSummary, TaskSummary};

use super::chart::{Chart, ChartKind, by_criticality};
use super::format::{
    axis_start, count, day_unit, draws, fixed, group_digits, long_date, long_date_time,
    on_calendar_days, optional, share_range, signed, signed_interval,
};
use super::percent;
use super::phrasing::{self, calendar, commitment, target};

/// The report, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `Delivery forecast: checkout-v2`, or the title given (`--title`).
    pub title: String,
    /// When the data is from and when the page was made: `Data date Mon
    /// 2027-01-04 · generated Fri 2027-01-01 00:00 UTC`.
    pub dated: String,
    /// The commitment sentence.
    pub headline: String,
    /// The spread in one sentence (empty when nothing varies).
    pub spread: String,
    /// When nothing varies, the one sentence that says so, in place of the
    /// finish and driver charts.
    pub certain: Option<String>,
    /// P50, P80, P90 and the plan date.
    pub key_dates: Vec<KeyDate>,
    /// What the forecast was run with.
    pub inputs: Vec<(String, String)>,
    /// The charts, in order.
    pub figures: Vec<Figure>,
    /// What drives the date, when the forecast ranked drivers.
    pub drivers: Option<Table>,
    /// The risk register, when there is one.
    pub risks: Option<Table>,
    /// What each team's queue costs, with team capacity.
    pub capacity: Option<Table>,
    /// Every task.
    pub tasks: Table,
    /// `slipcast 0.1.0`.
    pub generator: String,
    /// One percentile's world, when the report explains one.
    pub world: Option<super::world::WorldSection>,
    /// How the forecast moved over earlier snapshots, when given.
    pub history: Option<super::trend::HistorySection>,
}

/// One of the key dates.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyDate {
    /// `P80`.
    pub label: String,
    /// `Wed 2027-03-31`.
    pub date: String,
    /// `80% confident · 60.6 working days`.
    pub note: String,
    /// How it is highlighted.
    pub tone: DateTone,
}

/// The highlight of a key date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTone {
    /// An ordinary percentile.
    Plain,
    /// The commitment (P80).
    Commit,
    /// The plan date.
    Plan,
}

/// A chart in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Which chart.
    pub kind: ChartKind,
    /// Its title (the finding).
    pub title: String,
    /// How to read it.
    pub caption: String,
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings and whether each column is numeric (right-aligned).
    pub columns: Vec<(String, bool)>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
    /// A note under the table.
    pub note: String,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// A secondary text (e.g. the task id under its name).
    pub detail: Option<String>,
    /// A share in [0, 1] to draw as a bar behind the text (HTML only).
    pub bar: Option<f64>,
    /// Emphasised (bold).
    pub strong: bool,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }
}

fn name_of(t: &TaskSummary) -> String {
    if t.name.trim().is_empty() {
        t.id.clone()
    } else {
        t.name.clone()
    }
}

fn caption(kind: ChartKind, f: &Forecast) -> String {
    // A plan whose tasks keep their own calendars counts calendar days.
    let (day, days) = if on_calendar_days(&f.run) {
        ("day", "Calendar days")
    } else {
        ("working day", "Working days")
    };
    match kind {
        ChartKind::Finish => format!(
            "Bars: share of simulated outcomes finishing on each {day} (left axis). Line: the \
             chance of finishing on or before that day (right axis); the P80 date is the first \
             day at or above 80%. The dashed red line is the date the plan gives when every \
             task takes its likely duration."
        ),
        ChartKind::Milestones => "Each bar spans the P10 to P90 finish of a milestone or \
            critical task: 80% of outcomes land inside it. Ticks mark the P50 (blue) and the P80 \
            (orange); the diamond is the plan date. A diamond left of the bar is a date the plan \
            will very likely miss."
            .into(),
        ChartKind::Drivers if f.drivers.is_empty() => "Tasks ranked by criticality index \
            \u{d7} duration standard deviation: how much uncertainty each task carries onto the \
            critical path. This ranking stands in for the driver analysis, which was not run \
            (it runs by default; see --drivers)."
            .into(),
        ChartKind::Drivers => {
            let mut s = format!(
                "{days} of the P80 date attributable to each driver: the P80 with the driver \
                 minus the P80 without it (a risk that never fires, a task fixed at its likely \
                 duration), on the same random draws ({} iterations per rerun).",
                group_digits(f.driver_iterations)
            );
            if let Some(g) = &f.driver_gap {
                let unit = day_unit(&f.run);
                s.push_str(&format!(
                    " The bars add up to the gap from the plan date to P80, {} {unit}; the \
                     drivers alone make {} of it, and the last bar, \u{201c}other, incl. merge \
                     bias\u{201d}, is the rest ({}): merge bias (the finish waits for the latest \
                     of the paths that join, which no single driver holds), drivers that \
                     overlap or compound, those too small to show, and the tasks not tested \
                     as drivers (--drivers).",
                    signed(g.gap_days, 1),
                    signed(g.drivers_days, 1),
                    signed(g.other_days, 1),
                ));
            }
            s
        }
        ChartKind::Criticality => "Criticality index: the share of simulated outcomes in which \
            a task is on the critical path. Dark bars are on the plan's critical path; light bars \
            are tasks the plan does not see as critical but the simulation often does. \
            Sensitivity, where shown, is the rank correlation of a task's duration with the \
            finish."
            .into(),
        ChartKind::Compare => "Each scenario's chance of finishing by each date; the dot on \
            each curve is its P80."
            .into(),
        ChartKind::Cutline => "P50, P80 and P90 of the finish as optional scope is cut, one \
            priority level at a time, against the target date."
            .into(),
        ChartKind::TeamLoad => "One panel per team: how many of its people are at work over \
            one simulated schedule, the one whose finish is the P50 (dark where the whole team \
            is), against the team's size (the line). A team at its line holds back the tasks \
            queued for it."
            .into(),
        ChartKind::Trend => TREND_CAPTION.into(),
        ChartKind::Waterfall => WATERFALL_CAPTION.into(),
    }
}

/// How to read the history's trend chart.
pub const TREND_CAPTION: &str = "Each snapshot's P50, P80 and P90 finish, forecast from its \
    data date, with the plan date (every task at its likely duration) dashed: a P80 that \
    climbs while the plan date holds is risk the status report does not show.";

/// How to read the history's waterfall.
pub const WATERFALL_CAPTION: &str = "From each snapshot's P80 to the next: every cause of the \
    move (time passing, progress, re-estimates, scope, links, risks, calendars), each forecast \
    on the same random draws, in that order; the bars add up to the move exactly.";

fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

impl Document {
    /// The report of `f`, with its `charts` (for their titles).
    pub fn new(f: &Forecast, charts: &[Chart]) -> Document {
        let mut title = format!("Delivery forecast: {}", stem(f.run.plan()));
        if let Some(m) = &f.run.milestone {
            title.push_str(&format!(" (milestone {m})"));
        }
        let d = &f.duration;
        let unit = day_unit(&f.run);
        let from = if on_calendar_days(&f.run) {
            format!("the {}", axis_start(&f.run))
        } else {
            "the start".into()
        };
        let certain = phrasing::certain(f);
        let spread = if certain.is_some() {
            String::new()
        } else {
            format!(
                "Half of the simulated outcomes finish by {} (P50) and nine in ten by {} (P90); \
                 the mean is {} {unit} from {from}, with a standard deviation of {}.",
                long_date(f.finish.p50),
                long_date(f.finish.p90),
                fixed(d.mean, 1),
                fixed(d.std, 1)
            )
        };
        let mut key_dates = vec![
            KeyDate {
                label: "P50".into(),
                date: long_date(f.finish.p50),
                note: format!("50% confident \u{b7} {} {unit}", fixed(d.p50, 1)),
                tone: DateTone::Plain,
            },
            KeyDate {
                label: "P80".into(),
                date: long_date(f.finish.p80),
                note: format!("80% confident \u{b7} {} {unit}", fixed(d.p80, 1)),
                tone: DateTone::Commit,
            },
            KeyDate {
                label: "P90".into(),
                date: long_date(f.finish.p90),
                note: format!("90% confident \u{b7} {} {unit}", fixed(d.p90, 1)),
                tone: DateTone::Plain,
            },
            KeyDate {
                label: "Plan date".into(),
                date: long_date(f.deterministic.finish),
                note: format!(
                    "{} chance \u{b7} {} {unit}",
                    percent(f.deterministic.probability),
                    fixed(f.deterministic.duration, 1)
                ),
                tone: DateTone::Plan,
            },
        ];
        if certain.is_some() {
            // One date, in every iteration: no percentiles to tell apart
            // (the plan date stays when team capacity moves the finish).
            let plan = key_dates
                .pop()
                .filter(|_| f.deterministic.finish != f.finish.p50);
            key_dates = vec![KeyDate {
                label: "Finish".into(),
                date: long_date(f.finish.p50),
                note: format!(
                    "every iteration \u{b7} {} {unit}",
                    fixed(f.deterministic.duration, 1)
                ),
                tone: DateTone::Commit,
            }];
            key_dates.extend(plan);
        }
        let mut inputs = vec![
            (
                "Plan".to_string(),
                format!("{} ({})", f.run.plan(), count(f.task_count as u64, "task")),
            ),
            ("Forecast of".into(), target(f)),
        ];
        if on_calendar_days(&f.run) {
            inputs.push(("Data date".into(), long_date(f.run.start)));
            inputs.push(("Calendars".into(), calendar(f)));
        } else {
            inputs.push((
                "Start".into(),
                format!("{} (working day 1)", long_date(f.run.start)),
            ));
            inputs.push(("Calendar".into(), calendar(f)));
        }
        let files = f.run.inputs.clone().unwrap_or_default();
        if let Some(e) = files.edges {
            inputs.push(("Extra links".into(), e));
        }
        if let Some(c) = files.calendars {
            inputs.push(("Calendars file".into(), c));
        }
        if !f.risk_register.is_empty() {
            let n = count(f.risk_register.len() as u64, "risk");
            let risks = match files.risks {
                Some(file) => format!("{file} ({n}, listed below)"),
                None => format!("{n}, listed below"),
            };
            inputs.push(("Risk register".into(), risks));
        }
        if let Some(c) = &f.capacity {
            let people: u32 = c.teams.iter().map(|t| t.people).sum();
            let mut text = format!(
                "{} team{}, {people} {}",
                c.teams.len(),
                if c.teams.len() == 1 { "" } else { "s" },
                if people == 1 { "person" } else { "people" }
            );
            if let Some(file) = &files.teams {
                text.push_str(&format!(" ({file})"));
            }
            inputs.push(("Team capacity".into(), text));
        }
        if let Some(c) = &f.correlation {
            inputs.push((
                "Correlations".into(),
                format!("{} ({} tasks)", c.sources.join(", "), c.tasks.len()),
            ));
        }
        inputs.push(("Simulation".into(), draws(&f.run)));
        let first = |n: u64| group_digits(n.min(f.run.iterations));
        if f.sensitivity_iterations > 0 {
            inputs.push((
                "Per-task figures".into(),
                format!(
                    "dates from the first {} iterations, sensitivity from the first {}",
                    first(f.task_date_iterations),
                    first(f.sensitivity_iterations)
                ),
            ));
        } else if f.task_date_iterations > 0 {
            inputs.push((
                "Per-task figures".into(),
                format!(
                    "dates from the first {} iterations",
                    first(f.task_date_iterations)
                ),
            ));
        }
        if f.driver_iterations > 0 {
            inputs.push((
                "Risk drivers".into(),
                format!(
                    "{} iterations per rerun, common random numbers",
                    group_digits(f.driver_iterations)
                ),
            ));
        }
        let dated = format!(
            "{} {} \u{b7} generated {} UTC",
            capitalized(if on_calendar_days(&f.run) {
                axis_start(&f.run)
            } else {
                "data date"
            }),
            long_date(f.run.start),
            long_date_time(f.run.generated.naive_utc())
        );
        let figures = charts
            .iter()
            .map(|c| Figure {
                kind: c.kind(),
                title: c.title().to_string(),
                caption: caption(c.kind(), f),
            })
            .collect();
        Document {
            title,
            dated,
            headline: commitment(f),
            spread,
            certain,
            key_dates,
            inputs,
            figures,
            drivers: driver_table(f),
            risks: risk_table(f),
            capacity: capacity_table(f),
            tasks: task_table(f),
            generator: format!("slipcast {}", f.run.version),
            world: None,
            history: None,
        }
    }

    /// The page's title replaced by `title`, when one is given (`--title`;
    /// plan text, made inert where it is written).
    pub fn titled(mut self, title: Option<&str>) -> Document {
        if let Some(t) = title {
            self.title = t.to_string();
        }
        self
    }
}

/// `data date` as a label: `Data date`.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Most task ids listed per risk in the risk register table.
const AFFECTED_IDS: usize = 6;

/// The risk register: each risk's chance, mean delay and the tasks it
/// delays, with its P80 effect when the drivers were ranked; largest effect
/// first (without drivers, largest probability x impact first).
fn risk_table(f: &Forecast) -> Option<Table> {
    if f.risk_register.is_empty() {
        return None;
    }
    let effect = |id: &str| {
        f.drivers
            .iter()
            .find(|d| d.kind == DriverKind::Risk && d.id == id)
            .map(|d| d.p80_days)
    };
    let ranked = !f.drivers.is_empty();
    let mut risks: Vec<&RiskSummary> = f.risk_register.iter().collect();
    let key = |r: &RiskSummary| {
        if ranked {
            effect(&r.id).unwrap_or(f64::NEG_INFINITY)
        } else {
            r.probability * r.mean_impact
        }
    };
    risks.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let unit = day_unit(&f.run);
    let mut columns = vec![
        ("Risk".to_string(), false),
        ("Probability".into(), true),
        (format!("Mean impact ({unit})"), true),
        ("Tasks affected".into(), false),
    ];
    if ranked {
        columns.push(("P80 effect".into(), true));
    }
    let rows = risks
        .into_iter()
        .map(|r| {
            let mut tasks: Vec<String> = r.affects.iter().take(AFFECTED_IDS).cloned().collect();
            if r.affects.len() > AFFECTED_IDS {
                tasks.push(format!("and {} more", r.affects.len() - AFFECTED_IDS));
            }
            let name = if r.name.trim().is_empty() {
                r.id.clone()
            } else {
                r.name.clone()
            };
            let mut row = vec![
                Cell {
                    detail: (name != r.id).then(|| r.id.clone()),
                    ..Cell::text(name)
                },
                Cell::text(percent(r.probability)),
                Cell::text(fixed(r.mean_impact, 1)),
                Cell::text(tasks.join(", ")),
            ];
            if ranked {
                row.push(Cell {
                    strong: true,
                    ..Cell::text(effect(&r.id).map(|e| signed(e, 1)).unwrap_or_default())
                });
            }
            row
        })
        .collect();
    let mut note = format!(
        "Probability: the chance the risk fires in an iteration. Mean impact: the mean delay it \
         adds, when it fires, to each task it affects, in {unit}."
    );
    if ranked {
        note.push_str(&format!(
            " P80 effect: the {unit} of P80 it adds (the P80 with it less the P80 without it, \
             on the same random draws); largest first."
        ));
    } else {
        note.push_str(" Largest probability \u{d7} impact first.");
    }
    Some(Table {
        columns,
        rows,
        note,
    })
}

/// Rows of the driver table; the rest are in `drivers.csv`.
pub const DRIVER_ROWS: usize = 15;

/// Rows of the task table, most critical first; every task is in
/// `tasks.csv`.
pub const TASK_ROWS: usize = 50;

/// The team capacity table: per team, its queue at P80.
fn capacity_table(f: &Forecast) -> Option<Table> {
    let c = f.capacity.as_ref()?;
    let unit = "working days";
    let mut note = format!(
        "Queue: the {unit} of P80 the team's people add (the P80 less the P80 with its people \
         unbounded, every other team as given) with its 95% interval, from the first {} \
         iterations with common random numbers.",
        group_digits(c.iterations)
    );
    note.push(' ');
    note.push_str(&phrasing::buffer(c, f.deterministic.finish, unit));
    for h in &c.headcount {
        note.push(' ');
        note.push_str(&phrasing::headcount(h, unit));
    }
    Some(Table {
        columns: vec![
            ("Team".into(), false),
            ("People".into(), true),
            ("Unplanned".into(), true),
            ("Tasks".into(), true),
            ("Queue at P80".into(), true),
        ],
        rows: c
            .teams
            .iter()
            .map(|t| {
                vec![
                    Cell::text(t.team.clone()),
                    Cell::text(t.people.to_string()),
                    Cell::text(share_range(t.unplanned)),
                    Cell::text(t.tasks.to_string()),
                    Cell {
                        strong: t.queue_p80.significant() && t.queue_p80.estimate >= 0.05,
                        ..Cell::text(signed_interval(&t.queue_p80))
                    },
                ]
            })
            .collect(),
        note,
    })
}

fn driver_table(f: &Forecast) -> Option<Table> {
    if f.drivers.is_empty() {
        return None;
    }
    // A driver whose every effect shows as +0.0 says nothing: it stays in
    // drivers.csv.
    let shown: Vec<&Driver> = f
        .drivers
        .iter()
        .filter(|d| {
            [d.p50_days, d.p80_days, d.p90_days]
                .iter()
                .any(|x| x.abs() >= 0.05)
        })
        .take(DRIVER_ROWS)
        .collect();
    if shown.is_empty() {
        return None;
    }
    let more = f.drivers.len() - shown.len();
    let days = |x: f64| signed(x, 1);
    // A task driver of a plan imported with a WBS shows its WBS path.
    let wbs_of = |d: &Driver| {
        (d.kind == DriverKind::Task)
            .then(|| f.tasks.iter().find(|t| t.id == d.id))
            .flatten()
            .and_then(|t| t.wbs.clone())
            .unwrap_or_default()
    };
    let wbs = f.tasks.iter().any(|t| t.wbs.is_some());
    let mut columns = vec![("Driver".to_string(), false), ("Kind".into(), false)];
    if wbs {
        columns.push(("WBS".into(), false));
    }
    for c in ["P50 days", "P80 days", "P80 ± (95%)", "P90 days"] {
        columns.push((c.into(), true));
    }
    Some(Table {
        columns,
        rows: shown
            .into_iter()
            .map(|d| {
                let mut row = vec![
                    Cell {
                        detail: (d.name != d.id).then(|| d.id.clone()),
                        ..Cell::text(d.name.clone())
                    },
                    Cell::text(d.kind.as_str()),
                ];
                if wbs {
                    row.push(Cell::text(wbs_of(d)));
                }
                row.extend([
                    Cell::text(days(d.p50_days)),
                    Cell {
                        strong: true,
                        ..Cell::text(days(d.p80_days))
                    },
                    Cell::text(match (d.p80_low, d.p80_high) {
                        (Some(l), Some(h)) => format!("±{:.2}", (h - l) / 2.0),
                        _ => String::new(),
                    }),
                    Cell::text(days(d.p90_days)),
                ]);
                row
            })
            .collect(),
        note: format!(
            "{} of each percentile attributable to the driver: the percentile with it minus the \
             percentile without it, on the same random draws (the first {} iterations; ± is the \
             95% interval of the P80 figure).{}",
            if on_calendar_days(&f.run) {
                "Calendar days"
            } else {
                "Working days"
            },
            group_digits(f.driver_iterations),
            match more {
                0 => String::new(),
                1 => " 1 smaller driver is in drivers.csv.".to_string(),
                n => format!(" {n} smaller drivers are in drivers.csv."),
            }
        ),
    })
}

fn task_table(f: &Forecast) -> Table {
    let sens = f.tasks.iter().any(|t| t.sensitivity.is_some());
    let mut order = by_criticality(&f.tasks);
    order.truncate(TASK_ROWS);
    // A plan imported with a WBS shows it, and its team column only if a
    // task has a team.
    let wbs = f.tasks.iter().any(|t| t.wbs.is_some());
    let team = !wbs || f.tasks.iter().any(|t| t.team.is_some());
    let mut columns = vec![("Task".to_string(), false)];
    if team {
        columns.push(("Team".into(), false));
    }
    if wbs {
        columns.push(("WBS".into(), false));
    }
    columns.extend([("Status".into(), false), ("Criticality".into(), true)]);
    if sens {
        columns.push(("Sensitivity".into(), true));
    }
    for c in ["Plan finish", "P50", "P80", "P90"] {
        columns.push((c.into(), false));
    }
    let rows = order
        .into_iter()
        .map(|t| {
            let mut row = vec![Cell {
                detail: Some(t.id.clone()),
                strong: t.on_plan_critical_path,
                ..Cell::text(name_of(t))
            }];
            if team {
                row.push(Cell::text(t.team.clone().unwrap_or_default()));
            }
            if wbs {
                row.push(Cell::text(t.wbs.clone().unwrap_or_default()));
            }
            row.extend([
                Cell::text(t.status.to_string().replace('_', " ")),
                Cell {
                    bar: Some(t.criticality),
                    ..Cell::text(percent(t.criticality))
                },
            ]);
            if sens {
                row.push(Cell::text(optional(t.sensitivity, 2)));
            }
            row.push(Cell::text(
                t.planned_finish.format("%a %Y-%m-%d").to_string(),
            ));
            row.push(Cell::text(t.finish.p50.format("%a %Y-%m-%d").to_string()));
            row.push(Cell {
                strong: true,
                ..Cell::text(t.finish.p80.format("%a %Y-%m-%d").to_string())
            });
            row.push(Cell::text(t.finish.p90.format("%a %Y-%m-%d").to_string()));
            row
        })
        .collect();
    Table {
        columns,
        rows,
        note: format!(
            "{}Bold names are on the plan's critical path. Criticality: share of outcomes in \
             which the task is on the critical path.",
            if f.tasks.len() > TASK_ROWS {
                format!(
                    "The {TASK_ROWS} most critical of {} tasks; every task is in tasks.csv. ",
                    f.tasks.len()
                )
            } else {
                "Most critical first. ".to_string()
            }
        ),
    }
}
