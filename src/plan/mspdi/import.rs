//! From an MSPDI file's records to a [`Plan`]: the scheduled tasks (summary
//! tasks' links handed down to the tasks under them) on their calendars,
//! links with their lags in the successor's working time, progress and
//! constraints from the status date, and three-point estimates from the
//! custom duration fields of MS Project's PERT analysis; everything left
//! out or approximated is counted in the [`ImportReport`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::model::{MsCalendar, MsTask, MsWeekDay, Mspdi, Period};
use super::problem::MspdiProblem;
use super::reader::{duration_minutes, problem};
use crate::plan::error::{LoadError, Problem, closest};
use crate::plan::xer::clndr::{CalendarData, Shift, WorkWeek};
use crate::plan::xer::import::{Clock, clock_share, hours_per_day, work_calendar};
use crate::plan::xer::model::WorkCalendar as Shifts;
use crate::plan::xer::ranging::{Ranging, has_spread};
use crate::plan::xer::{ImportOptions, ImportReport};
use crate::plan::{
    DistKind, Estimate, LagCalendar, Link, LinkKind, Plan, RangeTarget, Status, Task,
    TaskCalendars, ThreePoint, Warning, WorkCalendar,
};

/// The field ids of `Duration1` to `Duration10`.
const DURATION_FIELDS: [u32; 10] = [
    188_743_783,
    188_743_784,
    188_743_785,
    188_743_955,
    188_743_956,
    188_743_957,
    188_743_958,
    188_743_959,
    188_743_960,
    188_743_961,
];

/// Whether a `DurationFormat` or `LagFormat` code counts elapsed time
/// (every hour of every day).
pub fn is_elapsed(format: u32) -> bool {
    matches!(
        format,
        4 | 6 | 8 | 10 | 12 | 20 | 36 | 38 | 40 | 42 | 44 | 52
    )
}

/// Whether a `LagFormat` code is a percentage of the predecessor's duration.
fn is_percent(format: u32) -> bool {
    matches!(format, 19 | 20 | 51 | 52)
}

/// A value of a custom duration field in days: working formats in days of
/// `minutes_per_day` minutes, elapsed formats in days of 24 hours.
///
/// Returns the days and whether they are elapsed.
pub fn field_days(value: &str, format: Option<u32>, minutes_per_day: f64) -> Option<(f64, bool)> {
    let minutes = duration_minutes(value)?;
    let elapsed = format.is_some_and(is_elapsed);
    Some(if elapsed {
        (minutes / 1440.0, true)
    } else {
        (minutes / minutes_per_day, false)
    })
}

/// The MS Project default working hours of a working day with none given.
const DEFAULT_TIMES: [Period; 2] = [(480, 720), (780, 1020)];

/// A calendar's week and exceptions with its base calendars' filled in.
fn resolve(
    uid: i64,
    by_uid: &HashMap<i64, &MsCalendar>,
    seen: &mut Vec<i64>,
) -> ([Vec<Period>; 7], BTreeMap<NaiveDate, Vec<Period>>, usize) {
    let Some(cal) = by_uid.get(&uid) else {
        return (standard_week(), BTreeMap::new(), 0);
    };
    let (mut week, mut exceptions, mut recurring) = match cal.base {
        Some(b) if b != uid && !seen.contains(&b) && by_uid.contains_key(&b) => {
            seen.push(uid);
            resolve(b, by_uid, seen)
        }
        _ => (standard_week(), BTreeMap::new(), 0),
    };
    for (i, d) in cal.week.iter().enumerate() {
        if let Some(d) = d {
            week[i] = day_times(d);
        }
    }
    for x in &cal.exceptions {
        // Recurring patterns other than daily are not expanded.
        if x.recurrence.is_some_and(|t| t != 1) {
            recurring += 1;
            continue;
        }
        let times = if x.working {
            if x.times.is_empty() {
                DEFAULT_TIMES.to_vec()
            } else {
                x.times.clone()
            }
        } else {
            Vec::new()
        };
        let mut d = x.from;
        while d <= x.to {
            exceptions.insert(d, times.clone());
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
    }
    (week, exceptions, recurring)
}

fn standard_week() -> [Vec<Period>; 7] {
    std::array::from_fn(|i| {
        if i < 5 {
            DEFAULT_TIMES.to_vec()
        } else {
            Vec::new()
        }
    })
}

fn day_times(d: &MsWeekDay) -> Vec<Period> {
    match (d.working, d.times.is_empty()) {
        (false, _) => Vec::new(),
        (true, true) => DEFAULT_TIMES.to_vec(),
        (true, false) => d.times.clone(),
    }
}

fn shifts(times: &[Period]) -> Vec<Shift> {
    let mut s: Vec<Shift> = times
        .iter()
        .filter_map(|&(a, b)| Shift::new(a, b))
        .collect();
    s.sort();
    s.dedup();
    s
}

/// A calendar as shifts per weekday and per exception date.
fn calendar_shifts(
    id: u64,
    name: &str,
    uid: i64,
    by_uid: &HashMap<i64, &MsCalendar>,
) -> (Shifts, usize) {
    let (week, exceptions, recurring) = resolve(uid, by_uid, &mut Vec::new());
    let data = CalendarData {
        week: WorkWeek::from_days(std::array::from_fn(|i| shifts(&week[i]))),
        exceptions: exceptions.iter().map(|(&d, t)| (d, shifts(t))).collect(),
    };
    (
        Shifts {
            id,
            name: name.to_string(),
            project: None,
            default: false,
            day_hours: 8.0,
            week_hours: None,
            data: Some(data),
            line: by_uid.get(&uid).map_or(0, |c| c.line),
        },
        recurring,
    )
}

/// The calendar of elapsed tasks: every hour of every day.
fn elapsed_calendar(id: u64) -> Shifts {
    let all = vec![Shift::new(0, 1440).expect("a whole day")];
    Shifts {
        id,
        name: "24 hours (elapsed durations)".into(),
        project: None,
        default: false,
        day_hours: 24.0,
        week_hours: None,
        data: Some(CalendarData {
            week: WorkWeek::from_days(std::array::from_fn(|_| all.clone())),
            exceptions: BTreeMap::new(),
        }),
        line: 0,
    }
}

/// The key of the elapsed calendar among the calendars' UIDs.
const ELAPSED: i64 = i64::MIN;

/// Builds the plan of an MSPDI file's scheduled tasks.
///
/// `fields` names the custom duration fields holding each task's
/// optimistic, expected and pessimistic durations (`None`: `Duration1`-`3`,
/// MS Project's PERT analysis fields).
///
/// # Errors
///
/// [`LoadError::Invalid`] naming the file: no task to schedule, duplicate
/// UIDs, a task on a calendar the file lacks, estimate fields out of order
/// or unknown, or a cycle through the links; [`LoadError::InvalidInput`]
/// naming the ranges file as for a P6 file.
pub fn import(
    file: &str,
    m: &Mspdi,
    opts: &ImportOptions,
) -> Result<(Plan, ImportReport, Vec<Warning>), LoadError> {
    let invalid = |problems| LoadError::Invalid { problems };
    let mut warnings = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut report = ImportReport {
        tool: format!(
            "MS Project XML{}",
            m.save_version
                .as_ref()
                .map(|v| format!(", SaveVersion {v}"))
                .unwrap_or_default()
        ),
        encoding: "UTF-8".into(),
        projects: vec![if m.name.is_empty() {
            file.to_string()
        } else {
            m.name.clone()
        }],
        lag_calendar: "rcal_Successor".into(),
        ..ImportReport::default()
    };
    if !m.schedule_from_start {
        warnings.push(Warning::file(
            file,
            "the project is scheduled from its finish date in MS Project; slipcast schedules forward from the status date (or start), so its dates are as soon as possible",
        ));
    }

    // The outline: each task's summary ancestors, for the links on them.
    let mut ancestors: Vec<Vec<usize>> = Vec::with_capacity(m.tasks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in m.tasks.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&s| m.tasks[s].outline_level >= t.outline_level)
        {
            stack.pop();
        }
        ancestors.push(
            stack
                .iter()
                .copied()
                .filter(|&s| m.tasks[s].summary && m.tasks[s].outline_level > 0)
                .collect(),
        );
        stack.push(i);
    }
    let mut seen_uid: HashSet<i64> = HashSet::new();
    for t in &m.tasks {
        if !seen_uid.insert(t.uid) {
            problems.push(problem(
                file,
                Some(t.line),
                MspdiProblem::DuplicateUid { uid: t.uid },
            ));
        }
    }
    let kept: Vec<usize> = (0..m.tasks.len())
        .filter(|&i| m.tasks[i].scheduled())
        .collect();
    for t in &m.tasks {
        let kind = if t.outline_level == 0 {
            "project summary"
        } else if t.is_null {
            "blank row"
        } else if !t.active {
            "inactive"
        } else if t.external {
            "external"
        } else if t.summary {
            "summary"
        } else if t.milestone {
            "milestone"
        } else {
            "task"
        };
        *report.activity_types.entry(kind.into()).or_default() += 1;
    }
    if kept.is_empty() {
        problems.push(problem(file, None, MspdiProblem::NoTasks));
        return Err(invalid(problems));
    }
    // Leaf tasks under each summary task.
    let mut leaves: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, &i) in kept.iter().enumerate() {
        for &a in &ancestors[i] {
            leaves.entry(a).or_default().push(k);
        }
    }
    let index: HashMap<i64, usize> = m
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.uid, i))
        .collect();
    let position: HashMap<usize, usize> = kept.iter().enumerate().map(|(k, &i)| (i, k)).collect();

    // Manually scheduled tasks are scheduled from their links here.
    let manual: Vec<String> = kept
        .iter()
        .filter(|&&i| m.tasks[i].manual)
        .map(|&i| m.tasks[i].uid.to_string())
        .collect();
    if !manual.is_empty() {
        warnings.push(Warning::file(
            file,
            format!(
                "{} manually scheduled in MS Project (UID {}{}); slipcast schedules {} from {} links and durations, as MS Project's Auto Schedule would",
                match manual.len() {
                    1 => "1 task is".to_string(),
                    n => format!("{n} tasks are"),
                },
                manual.iter().take(8).cloned().collect::<Vec<_>>().join(", "),
                if manual.len() > 8 { ", ..." } else { "" },
                if manual.len() == 1 { "it" } else { "them" },
                if manual.len() == 1 { "its" } else { "their" },
            ),
        ));
        report.notes.push(format!(
            "{} manually scheduled, scheduled from their links",
            manual.len()
        ));
    }

    // Calendars: the project's, and each task's (elapsed tasks on 24 hours).
    let by_uid: HashMap<i64, &MsCalendar> = m.calendars.iter().map(|c| (c.uid, c)).collect();
    let project_cal = m
        .calendar
        .filter(|u| by_uid.contains_key(u))
        .or_else(|| m.calendars.iter().find(|c| c.is_base).map(|c| c.uid))
        .unwrap_or(-1);
    let elapsed_task = |t: &MsTask| t.duration_format.is_some_and(is_elapsed);
    let mut cal_index: BTreeMap<i64, usize> = BTreeMap::new();
    let mut p6cals: Vec<Shifts> = Vec::new();
    let mut recurring = 0;
    let mut add_cal = |uid: i64, p6cals: &mut Vec<Shifts>| -> usize {
        if let Some(&i) = cal_index.get(&uid) {
            return i;
        }
        let id = p6cals.len() as u64;
        let c = if uid == ELAPSED {
            elapsed_calendar(id)
        } else {
            let name = by_uid
                .get(&uid)
                .map_or_else(|| "Standard".to_string(), |c| c.name.clone());
            let (c, r) = calendar_shifts(id, &name, uid, &by_uid);
            recurring += r;
            c
        };
        cal_index.insert(uid, p6cals.len());
        p6cals.push(c);
        p6cals.len() - 1
    };
    let default = add_cal(project_cal, &mut p6cals);
    let mut task_cal = Vec::with_capacity(kept.len());
    for &i in &kept {
        let t = &m.tasks[i];
        let uid = if elapsed_task(t) {
            ELAPSED
        } else {
            match t.calendar {
                Some(u) if !by_uid.contains_key(&u) => {
                    problems.push(Problem {
                        task: Some(t.uid.to_string()),
                        ..problem(file, Some(t.line), MspdiProblem::UnknownCalendar { uid: u })
                    });
                    project_cal
                }
                Some(u) => u,
                None => project_cal,
            }
        };
        task_cal.push(add_cal(uid, &mut p6cals));
    }
    if recurring > 0 {
        report.notes.push(format!(
            "{recurring} recurring calendar exceptions (yearly, monthly or weekly patterns) not applied"
        ));
    }
    if m.calendars.iter().any(|c| c.work_weeks) {
        report
            .notes
            .push("calendars' alternate work weeks (WorkWeeks) not applied".into());
    }
    let calendars: Vec<WorkCalendar> = p6cals.iter().map(work_calendar).collect();
    for (k, c) in calendars.iter().enumerate() {
        let n = task_cal.iter().filter(|&&x| x == k).count();
        if n > 0 {
            *report.calendars.entry(c.name.clone()).or_default() += n;
        }
    }
    // Minutes in one working day of each calendar.
    let day_minutes: Vec<f64> = p6cals.iter().map(|c| hours_per_day(c) * 60.0).collect();
    // The share of a week's minutes each calendar works: converts elapsed
    // time to working time.
    let week_share: Vec<f64> = p6cals
        .iter()
        .map(|c| {
            c.data
                .as_ref()
                .map_or(2400.0, |d| f64::from(d.week.week_minutes()))
                / 10_080.0
        })
        .collect();

    // Day 0 is the status date's day (else the project's start).
    let status = m
        .status_date
        .or(m.start_date)
        .or_else(|| kept.iter().filter_map(|&i| m.tasks[i].start).min());
    report.data_date = status;
    report.source_finish = m
        .finish_date
        .or_else(|| kept.iter().filter_map(|&i| m.tasks[i].finish).max());
    let start = status.map_or(NaiveDate::MIN, |d| d.date());
    let clock = Clock::new(
        start,
        kept.iter()
            .flat_map(|&i| [m.tasks[i].actual_start, m.tasks[i].actual_finish]),
        &calendars,
    );
    let start_offset = status.map_or(0.0, |d| clock_share(&p6cals[default], d));

    // Progress.
    let statuses: Vec<Status> = kept
        .iter()
        .map(|&i| {
            let t = &m.tasks[i];
            if t.actual_finish.is_some() || t.percent_complete >= 100.0 {
                Status::Done
            } else if t.actual_start.is_some() || t.percent_complete > 0.0 {
                Status::InProgress
            } else {
                Status::Todo
            }
        })
        .collect();
    for s in &statuses {
        let name = match s {
            Status::Done => "complete",
            Status::InProgress => "in progress",
            Status::Todo => "not started",
        };
        *report.activity_statuses.entry(name.into()).or_default() += 1;
    }
    // Remaining working days at the planned duration.
    let remaining: Vec<f64> = kept
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let t = &m.tasks[i];
            let minutes = match statuses[k] {
                Status::Done => 0.0,
                Status::InProgress => t.remaining.unwrap_or_else(|| {
                    t.duration.unwrap_or(0.0) * (1.0 - t.percent_complete / 100.0)
                }),
                Status::Todo => t.remaining.or(t.duration).unwrap_or(0.0),
            };
            (minutes / day_minutes[task_cal[k]]).max(0.0)
        })
        .collect();

    // Constraints, from the status date.
    let mut not_before: Vec<Option<f64>> = vec![None; kept.len()];
    let mut finish_not_before: Vec<Option<f64>> = vec![None; kept.len()];
    let raise = |v: &mut Option<f64>, t: f64| *v = Some(v.map_or(t, |x: f64| x.max(t)));
    let mut late = vec![false; kept.len()];
    for (k, &i) in kept.iter().enumerate() {
        let t = &m.tasks[i];
        if statuses[k] == Status::Done || t.constraint == 0 {
            continue;
        }
        let code = ["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]
            .get(t.constraint as usize)
            .copied()
            .unwrap_or("?");
        let what = format!("{} {code}", t.uid);
        let at = t
            .constraint_date
            .map(|d| clock.time(&p6cals[task_cal[k]], d));
        let started = statuses[k] == Status::InProgress;
        match (t.constraint, at) {
            (2 | 4, Some(x)) if !started => {
                raise(&mut not_before[k], x);
                report.constraints_honoured.push(what);
            }
            (3 | 6, Some(x)) => {
                raise(&mut finish_not_before[k], x);
                report.constraints_honoured.push(what);
            }
            (1, _) => {
                late[k] = true;
                report.constraints_float_only.push(what);
            }
            (5 | 7, _) => report.constraints_float_only.push(what),
            _ => report.constraints_ignored.push(what),
        }
    }

    // Links: a link on a summary task holds for every task under it.
    let ids: Vec<String> = kept.iter().map(|&i| m.tasks[i].uid.to_string()).collect();
    let mut links: Vec<Vec<Link>> = vec![Vec::new(); kept.len()];
    let mut elapsed_lags = 0;
    let mut percent_lags = 0;
    for (k, &i) in kept.iter().enumerate() {
        let own = m.tasks[i].links.iter().map(|l| (l, false));
        let inherited = ancestors[i]
            .iter()
            .flat_map(|&a| m.tasks[a].links.iter().map(|l| (l, true)));
        for (l, from_summary) in own.chain(inherited) {
            let pred_tasks: Vec<usize> = match index.get(&l.pred) {
                _ if l.cross_project => Vec::new(),
                Some(&p) if m.tasks[p].summary => leaves.get(&p).cloned().unwrap_or_default(),
                Some(&p) => position.get(&p).map(|&q| vec![q]).unwrap_or_default(),
                None => Vec::new(),
            };
            let kind = match l.kind {
                0 => LinkKind::FF,
                2 => LinkKind::SF,
                3 => LinkKind::SS,
                _ => LinkKind::FS,
            };
            let kind_code = kind.to_string();
            if pred_tasks.is_empty() {
                let p = index.get(&l.pred).map(|&p| &m.tasks[p]);
                let scheduled = p.is_some_and(MsTask::scheduled);
                if !scheduled && !from_summary {
                    report.external_links.push(format!(
                        "{} -> {} ({kind_code}), predecessor {}: treated as met",
                        l.pred,
                        ids[k],
                        match p {
                            None if l.cross_project => "in another project",
                            None => "not in the file",
                            Some(p) if !p.active => "inactive",
                            Some(_) => "not scheduled",
                        }
                    ));
                }
                continue;
            }
            *report.link_types.entry(kind_code.clone()).or_default() += 1;
            if l.lag > 0.0 {
                report.lags += 1;
            } else if l.lag < 0.0 {
                report.leads += 1;
            }
            for q in pred_tasks {
                if q == k {
                    continue;
                }
                // Lags count on the successor's calendar; LinkLag is in
                // tenths of a minute (of a percent, for percentage lags).
                let lag = if is_percent(l.lag_format) {
                    percent_lags += 1;
                    let pred = &m.tasks[kept[q]];
                    let pred_minutes = pred.duration.unwrap_or(0.0);
                    l.lag / 1000.0 * pred_minutes / day_minutes[task_cal[k]]
                } else if is_elapsed(l.lag_format) {
                    elapsed_lags += 1;
                    // Elapsed time in the successor's working days, at its
                    // share of working minutes in a week.
                    l.lag / 10.0 * week_share[task_cal[k]] / day_minutes[task_cal[k]]
                } else {
                    l.lag / 10.0 / day_minutes[task_cal[k]]
                };
                if statuses[k] == Status::Done {
                    continue;
                }
                // Work done before the status date: the link counts from
                // the actual date, as an earliest start or finish.
                let pt = &m.tasks[kept[q]];
                let done_before = statuses[q] == Status::Done
                    || (statuses[q] == Status::InProgress && !kind.from_finish());
                if done_before {
                    let actual = if kind.from_finish() {
                        pt.actual_finish.or(pt.finish)
                    } else {
                        pt.actual_start.or(pt.start)
                    };
                    if let Some(at) = actual {
                        let done_at = clock.time(&p6cals[task_cal[q]], at).min(start_offset);
                        let x = clock.lagged(Some(task_cal[k]), done_at, lag);
                        if kind.constrains_start() {
                            if statuses[k] == Status::Todo {
                                raise(&mut not_before[k], x);
                            }
                        } else {
                            raise(&mut finish_not_before[k], x);
                        }
                    }
                    continue;
                }
                links[k].push(Link { pred: q, kind, lag });
            }
        }
    }
    let on_summaries = m
        .tasks
        .iter()
        .filter(|t| t.scheduled() || (t.summary && t.outline_level > 0))
        .flat_map(|t| t.links.iter().map(move |l| (t, l)))
        .filter(|(t, l)| t.summary || index.get(&l.pred).is_some_and(|&p| m.tasks[p].summary))
        .count();
    if on_summaries > 0 {
        report.notes.push(format!(
            "{} on summary tasks, applied to every task under them",
            count(on_summaries, "link")
        ));
    }
    if percent_lags > 0 {
        report.notes.push(format!(
            "{}, fixed at their share of the predecessor's planned duration",
            count(percent_lags, "percentage lag")
        ));
    }
    if elapsed_lags > 0 {
        report.notes.push(format!(
            "{}, counted in the successor's working time at its share of working hours in a week",
            count(elapsed_lags, "elapsed lag")
        ));
    }
    let elapsed = kept.iter().filter(|&&i| elapsed_task(&m.tasks[i])).count();
    if elapsed > 0 {
        report.notes.push(format!(
            "{} on a 24-hour calendar; slipcast's days carry no hours, so their dates can differ from MS Project's by a day",
            count(elapsed, "elapsed-duration task")
        ));
    }

    // Estimates: the three estimate fields where a task has all of them,
    // else the ranges file or template, else the single duration.
    let fields = estimate_fields(file, m, opts, &mut problems);
    let wbs: Vec<String> = kept.iter().map(|&i| m.tasks[i].wbs.clone()).collect();
    let targets: Vec<RangeTarget> = (0..kept.len())
        .map(|k| RangeTarget {
            id: &ids[k],
            wbs: &wbs[k],
            project: "",
        })
        .collect();
    let mut ranging = Ranging::new(file, opts, &targets, &[])?;
    let mut tasks = Vec::with_capacity(kept.len());
    let mut partial: Vec<String> = Vec::new();
    let mut three_point = 0;
    for (k, &i) in kept.iter().enumerate() {
        let t = &m.tasks[i];
        let days = remaining[k];
        let values: Vec<Option<f64>> = fields
            .iter()
            .map(|&f| {
                t.values.iter().find(|v| v.field == f).and_then(|v| {
                    let minutes = duration_minutes(&v.value)?;
                    let c = task_cal[k];
                    Some(if v.duration_format.is_some_and(is_elapsed) {
                        minutes * week_share[c] / day_minutes[c]
                    } else {
                        minutes / day_minutes[c]
                    })
                })
            })
            .collect();
        let given = values.iter().filter(|v| v.is_some()).count();
        let estimate = if given == 3 && days > 0.0 && !t.milestone {
            // The fields hold whole durations: under way, the remaining
            // share of each.
            let planned = t.duration.unwrap_or(0.0) / day_minutes[task_cal[k]];
            let scale = if statuses[k] == Status::InProgress && planned > 0.0 {
                days / planned
            } else {
                1.0
            };
            let v: Vec<f64> = values.iter().map(|v| v.unwrap_or(0.0) * scale).collect();
            three_point += 1;
            ranging.by_fields();
            match Estimate::new(
                DistKind::Pert,
                ThreePoint {
                    low: Some(v[0]),
                    likely: Some(v[1]),
                    high: Some(v[2]),
                    confidence: None,
                },
            ) {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem {
                        file: file.to_string(),
                        line: Some(t.line),
                        task: Some(ids[k].clone()),
                        kind: crate::plan::ProblemKind::Estimate(e),
                    });
                    Estimate::Fixed { days }
                }
            }
        } else {
            if given > 0 && given < 3 {
                partial.push(ids[k].clone());
            }
            let days = if t.milestone && t.duration.unwrap_or(0.0) == 0.0 {
                0.0
            } else {
                days
            };
            ranging.estimate(k, &ids[k], t.line, days)
        };
        tasks.push(Task {
            id: ids[k].clone(),
            name: t.name.clone(),
            estimate,
            links: std::mem::take(&mut links[k]),
            team: None,
            priority: None,
            status: statuses[k],
            line: t.line,
            calendar: Some(task_cal[k]),
            not_before: not_before[k],
            finish_not_before: finish_not_before[k],
            at_start: t.milestone
                && t.duration.unwrap_or(0.0) == 0.0
                && t.start
                    .is_some_and(|at| starts_a_day(&p6cals[task_cal[k]], at)),
            demands: Vec::new(),
        });
        report.source_dates.push(t.start.zip(t.finish));
        report.as_late_as_possible.push(late[k]);
    }
    let names = field_names(m, &fields);
    if three_point > 0 {
        report.notes.push(format!(
            "{} ranged by {} (optimistic, expected, pessimistic; PERT)",
            count(three_point, "task"),
            names.join(", ")
        ));
    }
    if !partial.is_empty() {
        warnings.push(Warning::file(
            file,
            format!(
                "{} {} some but not all of {} (UID {}{}); {} single duration is used: fill in all three, or none",
                match partial.len() {
                    1 => "1 task".to_string(),
                    n => format!("{n} tasks"),
                },
                if partial.len() == 1 { "has" } else { "have" },
                names.join(", "),
                partial.iter().take(8).cloned().collect::<Vec<_>>().join(", "),
                if partial.len() > 8 { ", ..." } else { "" },
                if partial.len() == 1 { "its" } else { "their" },
            ),
        ));
    }
    report.wbs = wbs;
    report.ranged = tasks.iter().any(|t| has_spread(&t.estimate));
    let ranging = ranging.finish();
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    report.ranging = ranging?;
    let plan = Plan::with_calendars(
        file,
        tasks,
        Some(TaskCalendars {
            start,
            start_offset,
            calendars,
            default,
            lag: LagCalendar::Successor,
            axis_start: if m.status_date.is_some() {
                crate::plan::AxisStart::StatusDate
            } else {
                crate::plan::AxisStart::ProjectStart
            },
        }),
    )
    .map_err(|cycles| {
        invalid(
            cycles
                .into_iter()
                .map(|c| {
                    let path: Vec<String> = c.iter().map(|&t| ids[t].clone()).collect();
                    problem(
                        file,
                        Some(m.tasks[kept[c[0]]].line),
                        MspdiProblem::Cycle {
                            path: path.join(" -> "),
                        },
                    )
                })
                .collect(),
        )
    })?;
    Ok((plan, report, warnings))
}

/// The field ids of the three estimate fields: those `opts` names (by
/// field name or alias), else `Duration1`-`3`.
fn estimate_fields(
    file: &str,
    m: &Mspdi,
    opts: &ImportOptions,
    problems: &mut Vec<Problem>,
) -> Vec<u32> {
    let known: Vec<(u32, String, Option<String>)> = DURATION_FIELDS
        .iter()
        .enumerate()
        .map(|(n, &id)| {
            let def = m.fields.iter().find(|f| f.id == id);
            (
                id,
                format!("Duration{}", n + 1),
                def.and_then(|d| d.alias.clone()),
            )
        })
        .collect();
    let Some(names) = &opts.estimate_fields else {
        return known[..3].iter().map(|k| k.0).collect();
    };
    names
        .iter()
        .filter_map(|name| {
            let found = known.iter().find(|(_, n, alias)| {
                n.eq_ignore_ascii_case(name)
                    || alias.as_ref().is_some_and(|a| a.eq_ignore_ascii_case(name))
            });
            if found.is_none() {
                let all: Vec<String> = known
                    .iter()
                    .map(|(_, n, a)| match a {
                        Some(a) => format!("{n} ({a})"),
                        None => n.clone(),
                    })
                    .collect();
                let candidates = known
                    .iter()
                    .flat_map(|(_, n, a)| std::iter::once(n.as_str()).chain(a.as_deref()));
                problems.push(problem(
                    file,
                    None,
                    MspdiProblem::UnknownField {
                        name: name.clone(),
                        hint: closest(name, candidates)
                            .map(|s| format!(" (did you mean \"{s}\"?)"))
                            .unwrap_or_default(),
                        known: all.join(", "),
                    },
                ));
            }
            found.map(|k| k.0)
        })
        .collect()
}

/// The names users know the estimate fields by (their aliases, where set).
fn field_names(m: &Mspdi, fields: &[u32]) -> Vec<String> {
    fields
        .iter()
        .map(|&id| {
            let n = DURATION_FIELDS.iter().position(|&f| f == id).unwrap_or(0);
            let name = format!("Duration{}", n + 1);
            match m
                .fields
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| f.alias.clone())
            {
                Some(a) => format!("{name} ({a})"),
                None => name,
            }
        })
        .collect()
}

/// Whether `at` is the start of the first working period of its day on
/// `cal`: a milestone MS Project placed there is dated on that day, where
/// work resumes, not at the end of the day before.
fn starts_a_day(cal: &Shifts, at: chrono::NaiveDateTime) -> bool {
    use chrono::{Datelike, Timelike};
    let Some(data) = &cal.data else {
        return false;
    };
    let day = at.date();
    let first = match data.exceptions.get(&day) {
        Some(shifts) => shifts.first().copied(),
        None => data.week.shifts(day.weekday()).first().copied(),
    };
    let minute = at.hour() * 60 + at.minute();
    first.is_some_and(|s| u32::from(s.start_minute()) == minute)
}

/// `1 link`, `2 links`.
fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}
