//! From P6's records to a [`Plan`]: activities become tasks on their own
//! calendars, relationships become links with their lags counted on the
//! calendar the project's scheduling options name, progress and
//! constraints are applied from the data date, and everything left out or
//! approximated is counted in an [`ImportReport`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use super::codes::{
    ActivityStatus, ActivityType, ConstraintType, LagCalendar as XerLag, RelationshipType,
};
use super::model::{Activity, XerData};
use super::problem::XerProblem;
use super::ranging::{RangeCounts, Ranging, has_spread};
use crate::plan::error::{LoadError, Problem, ProblemKind};
use crate::plan::{
    Axis, DistKind, LagCalendar, Link, LinkKind, Plan, RangeTarget, Ranges, Status, Task,
    TaskCalendars, WorkCalendar,
};

/// How to read a P6 file into a plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// The short name (`proj_short_name`) of the one project to import
    /// (`None`: every project, with the links between them).
    pub project: Option<String>,
    /// The range every activity's remaining duration gets that the ranges
    /// file does not range (`None`: a single duration, no uncertainty).
    pub range: Option<RangeTemplate>,
    /// The custom duration fields holding each task's optimistic, expected
    /// and pessimistic durations in an MS Project file, by field name or
    /// alias (`--fields`; `None`: `Duration1`-`3`, the fields of
    /// MS Project's PERT analysis).
    pub estimate_fields: Option<Vec<String>>,
    /// Ranges per activity id and WBS prefix (`--ranges`), ahead of the
    /// template ([`crate::plan::Scenario::load`] reads them from
    /// [`crate::plan::Sources::ranges`]).
    pub ranges: Option<Ranges>,
}

/// Low, likely and high as percentages of each remaining duration:
/// `--range 90,100,130`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeTemplate {
    /// Low, in percent of the duration.
    pub low: f64,
    /// Likely, in percent.
    pub likely: f64,
    /// High, in percent.
    pub high: f64,
    /// The distribution (triangular unless told).
    pub dist: DistKind,
}

impl RangeTemplate {
    /// Reads `LOW,LIKELY,HIGH` percentages (`90,100,130`, each may end in
    /// `%`) and the distribution's name (`triangular`, `pert`, `uniform`);
    /// messages name them as `what` (`("--range", "--range-dist")`).
    ///
    /// # Errors
    ///
    /// Not three percentages of 0 or more, not rising, or an unknown
    /// distribution: each with the fix.
    pub fn parse(text: &str, dist: &str, what: (&str, &str)) -> Result<RangeTemplate, String> {
        let (range, range_dist) = what;
        let parts: Vec<f64> = text
            .split(',')
            .map(|p| p.trim().trim_end_matches('%').parse::<f64>())
            .collect::<Result<_, _>>()
            .ok()
            .filter(|v: &Vec<f64>| v.len() == 3 && v.iter().all(|x| x.is_finite() && *x >= 0.0))
            .ok_or_else(|| {
                format!(
                    "{range} \"{text}\": give three percentages of the remaining duration, \
                     LOW,LIKELY,HIGH, e.g. {range} 90,100,130"
                )
            })?;
        let (low, likely, high) = (parts[0], parts[1], parts[2]);
        if !(low <= likely && likely <= high && low < high) {
            return Err(format!(
                "{range} {text}: the percentages must rise, LOW <= LIKELY <= HIGH with LOW < \
                 HIGH, e.g. {range} 90,100,130"
            ));
        }
        let dist = match dist.trim().to_ascii_lowercase().as_str() {
            "triangular" => DistKind::Triangular,
            "pert" => DistKind::Pert,
            "uniform" => DistKind::Uniform,
            other => {
                return Err(format!(
                    "{range_dist} \"{other}\": use triangular, pert or uniform"
                ));
            }
        };
        Ok(RangeTemplate {
            low,
            likely,
            high,
            dist,
        })
    }
}

/// What an import did: counts, and everything left out or approximated.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// The tool that wrote the file, with its version (`P6 23.12`, `MS
    /// Project XML, SaveVersion 14`).
    pub tool: String,
    /// The encoding the file was read in (`--encoding`, else UTF-8 when it
    /// is valid UTF-8, else the code page its bytes look like).
    pub encoding: String,
    /// The projects imported (short names).
    pub projects: Vec<String>,
    /// The data date: the plan starts here.
    pub data_date: Option<NaiveDateTime>,
    /// The source tool's own scheduled finish (P6's `scd_end_date`, latest
    /// of the projects; MS Project's `FinishDate`).
    pub source_finish: Option<NaiveDateTime>,
    /// Activities by type code (`TT_Task`, ...), as read.
    pub activity_types: BTreeMap<String, usize>,
    /// Activities by status code, as read.
    pub activity_statuses: BTreeMap<String, usize>,
    /// Links by type code, as imported.
    pub link_types: BTreeMap<String, usize>,
    /// Links with a positive lag.
    pub lags: usize,
    /// Links with a negative lag (leads).
    pub leads: usize,
    /// The calendars tasks run on, by name, with their tasks.
    pub calendars: BTreeMap<String, usize>,
    /// Which calendar lags count on (P6's scheduling option).
    pub lag_calendar: String,
    /// Constraints applied to the early dates (start on or after, start on).
    pub constraints_honoured: Vec<String>,
    /// Constraints that leave every other activity's early dates as they
    /// are: those that only move late dates and float (finish on or before,
    /// ...), and as-late-as-possible, which P6 places within the activity's
    /// free float (the replay does too; forecasts are unchanged by it).
    pub constraints_float_only: Vec<String>,
    /// Constraints not applied, with what they would do.
    pub constraints_ignored: Vec<String>,
    /// Links whose predecessor is not in the import, treated as met.
    pub external_links: Vec<String>,
    /// Level-of-effort activities, left out of the network.
    pub level_of_effort: Vec<String>,
    /// Links dropped with them.
    pub level_of_effort_links: usize,
    /// Per plan task: the source tool's start and finish (P6's early
    /// dates, MS Project's `Start` and `Finish`), when it computed them.
    #[serde(skip)]
    pub source_dates: Vec<Option<(NaiveDateTime, NaiveDateTime)>>,
    /// Per plan task: its WBS path.
    #[serde(skip)]
    pub wbs: Vec<String>,
    /// Per plan task: P6's global id of its activity (`None`: not exported,
    /// or not a P6 file), to match an activity across exports when its
    /// Activity ID was renumbered.
    #[serde(skip)]
    pub guids: Vec<Option<String>>,
    /// Per plan task: scheduled as late as possible (`CS_ALAP`): P6 moves
    /// it within its free float, which changes no other date.
    #[serde(skip)]
    pub as_late_as_possible: Vec<bool>,
    /// Whether any activity's duration has a spread (otherwise there is no
    /// uncertainty).
    pub ranged: bool,
    /// How the activities got their ranges: by id, by WBS prefix, by the
    /// template, or none.
    pub ranging: RangeCounts,
    /// What else the import approximated or applied, in words (MS Project:
    /// links on summary tasks, percentage and elapsed lags, manual tasks).
    pub notes: Vec<String>,
}

fn problem(file: &str, line: Option<u64>, p: XerProblem) -> Problem {
    Problem {
        file: file.to_string(),
        line,
        task: None,
        kind: ProblemKind::Xer(Box::new(p)),
    }
}

/// Hours of one working day of a P6 calendar: the hours its most common
/// worked weekday has (P6's `day_hr_cnt` when no weekday is worked).
pub(in crate::plan) fn hours_per_day(cal: &super::model::WorkCalendar) -> f64 {
    let Some(data) = &cal.data else {
        return cal.day_hours.max(1.0);
    };
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for m in data.week.minutes_per_day() {
        if m > 0 {
            *counts.entry(m).or_default() += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|&(m, n)| (*n, *m))
        .map_or(cal.day_hours.max(1.0), |(&m, _)| f64::from(m) / 60.0)
}

/// A P6 calendar as a working calendar: a weekday is worked when it has
/// shifts, an exception date when it has shifts.
pub(in crate::plan) fn work_calendar(cal: &super::model::WorkCalendar) -> WorkCalendar {
    let mut w = WorkCalendar::new(
        cal.name.clone(),
        [true, true, true, true, true, false, false],
        hours_per_day(cal),
    );
    if let Some(data) = &cal.data {
        let minutes = data.week.minutes_per_day();
        w.workdays = std::array::from_fn(|i| minutes[i] > 0);
        w.exceptions = data
            .exceptions
            .iter()
            .map(|(&d, shifts)| (d, shifts.iter().any(|s| s.minutes() > 0)))
            .collect();
    }
    w
}

/// Where `at` falls within its day on `cal`, as the share of the day's
/// working minutes already past.
pub(in crate::plan) fn day_share(cal: &super::model::WorkCalendar, at: NaiveDateTime) -> f64 {
    let Some(data) = &cal.data else {
        return 0.0;
    };
    let shifts = data.exceptions.get(&at.date()).cloned().unwrap_or_else(|| {
        data.week
            .shifts(chrono::Datelike::weekday(&at.date()))
            .to_vec()
    });
    let total: u32 = shifts.iter().map(|s| s.minutes()).sum();
    if total == 0 {
        return 0.0;
    }
    let minute = at.hour() * 60 + at.minute();
    let done: u32 = shifts
        .iter()
        .map(|s| {
            let (a, b) = (u32::from(s.start_minute()), u32::from(s.end_minute()));
            minute.clamp(a, b) - a
        })
        .sum();
    f64::from(done) / f64::from(total)
}

/// Where `at` falls within its weekday's normal shifts on `cal` (its
/// exceptions aside): the start of a plan at the data date.
pub(in crate::plan) fn clock_share(cal: &super::model::WorkCalendar, at: NaiveDateTime) -> f64 {
    let Some(data) = &cal.data else {
        return 0.0;
    };
    let week = super::model::WorkCalendar {
        data: Some(super::clndr::CalendarData {
            week: data.week.clone(),
            exceptions: BTreeMap::new(),
        }),
        ..cal.clone()
    };
    day_share(&week, at)
}

/// Turns P6 date-times into times of the plan's axis (days from the data
/// date's day), and applies lags on the plan's calendars, for what happened
/// before the data date.
pub(in crate::plan) struct Clock {
    axis: Axis,
    /// Days from the axis' origin to the plan's day 0.
    shift: f64,
}

impl Clock {
    /// The clock of a plan starting on `start`, reaching back a week before
    /// the earliest of the `actual` dates of work done before it.
    pub(in crate::plan) fn new(
        start: NaiveDate,
        actual: impl Iterator<Item = Option<NaiveDateTime>>,
        calendars: &[WorkCalendar],
    ) -> Clock {
        let origin = actual
            .flatten()
            .map(|d| d.date())
            .chain([start])
            .min()
            .unwrap_or(start)
            .checked_sub_days(Days::new(7))
            .unwrap_or(start);
        Clock {
            axis: Axis::new(origin, calendars),
            shift: (start - origin).num_days() as f64,
        }
    }

    /// The time of `at`, on the P6 calendar `cal`.
    pub(in crate::plan) fn time(&self, cal: &super::model::WorkCalendar, at: NaiveDateTime) -> f64 {
        (at.date() - self.axis.start()).num_days() as f64 + day_share(cal, at) - self.shift
    }

    /// `t` moved by `lag` working days of calendar `c` (`None`: elapsed days).
    pub(in crate::plan) fn lagged(&self, c: Option<usize>, t: f64, lag: f64) -> f64 {
        match c {
            _ if lag == 0.0 => t,
            None => t + lag,
            Some(c) => {
                let at = (t + self.shift) as f32;
                f64::from(self.axis.finish(c, self.axis.work(c, at) + lag as f32)) - self.shift
            }
        }
    }
}

/// Builds the plan of the projects `opts` selects.
///
/// # Errors
///
/// [`LoadError::Invalid`] naming the file: an unknown `--project`, no
/// activities, an activity on a calendar the file lacks, duplicate
/// activity ids, or a cycle through the links; [`LoadError::InvalidInput`]
/// naming the ranges file: a row that ranges no activity, or a range that
/// makes no estimate of an activity's remaining duration.
pub fn import(
    file: &str,
    version: &str,
    data: &XerData,
    opts: &ImportOptions,
) -> Result<(Plan, ImportReport), LoadError> {
    let invalid = |problems| LoadError::Invalid { problems };
    let projects: Vec<&super::model::Project> = match &opts.project {
        None => data.projects.iter().collect(),
        Some(code) => {
            let p: Vec<_> = data
                .projects
                .iter()
                .filter(|p| p.short_name.eq_ignore_ascii_case(code))
                .collect();
            if p.is_empty() {
                let names: Vec<&str> = data
                    .projects
                    .iter()
                    .map(|p| p.short_name.as_str())
                    .collect();
                return Err(invalid(vec![problem(
                    file,
                    None,
                    XerProblem::UnknownProject {
                        code: code.clone(),
                        known: names.join(", "),
                    },
                )]));
            }
            p
        }
    };
    let selected: Vec<u64> = projects.iter().map(|p| p.id).collect();
    let mut report = ImportReport {
        tool: format!("P6 {version}"),
        projects: projects.iter().map(|p| p.short_name.clone()).collect(),
        ..ImportReport::default()
    };
    // The data date: the exported project's, else the latest.
    let data_date = projects
        .iter()
        .find(|p| p.export_flag)
        .and_then(|p| p.data_date)
        .or_else(|| projects.iter().filter_map(|p| p.data_date).max());
    report.data_date = data_date;
    report.source_finish = projects.iter().filter_map(|p| p.scheduled_finish).max();

    let activities: Vec<&Activity> = data
        .activities
        .iter()
        .filter(|a| selected.contains(&a.project))
        .collect();
    for a in &activities {
        *report
            .activity_types
            .entry(a.kind.code().into())
            .or_default() += 1;
        *report
            .activity_statuses
            .entry(a.status.code().into())
            .or_default() += 1;
    }
    let kept: Vec<&Activity> = activities
        .iter()
        .copied()
        .filter(|a| match a.kind {
            ActivityType::WbsSummary => false,
            ActivityType::LevelOfEffort => {
                report.level_of_effort.push(a.code.clone());
                false
            }
            _ => true,
        })
        .collect();
    if kept.is_empty() {
        return Err(invalid(vec![problem(file, None, XerProblem::NoActivities)]));
    }

    // Calendars: those the kept activities use, plus the default.
    let by_id: HashMap<u64, &super::model::WorkCalendar> =
        data.calendars.iter().map(|c| (c.id, c)).collect();
    let default_id = projects
        .iter()
        .find(|p| p.export_flag)
        .or(projects.first())
        .and_then(|p| p.calendar)
        .filter(|id| by_id.contains_key(id))
        .or_else(|| data.calendars.iter().find(|c| c.default).map(|c| c.id))
        .or_else(|| kept.first().map(|a| a.calendar));
    let mut cal_index: BTreeMap<u64, usize> = BTreeMap::new();
    let mut calendars: Vec<WorkCalendar> = Vec::new();
    let mut problems = Vec::new();
    for id in default_id
        .into_iter()
        .chain(kept.iter().map(|a| a.calendar))
    {
        if cal_index.contains_key(&id) {
            continue;
        }
        match by_id.get(&id) {
            Some(c) => {
                cal_index.insert(id, calendars.len());
                calendars.push(work_calendar(c));
            }
            None => {
                let a = kept.iter().find(|a| a.calendar == id);
                problems.push(Problem {
                    task: a.map(|a| a.code.clone()),
                    ..problem(file, a.map(|a| a.line), XerProblem::UnknownCalendar { id })
                });
                cal_index.insert(id, usize::MAX);
            }
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let default = default_id.map_or(0, |id| cal_index[&id]);
    for (i, c) in calendars.iter().enumerate() {
        let n = kept.iter().filter(|a| cal_index[&a.calendar] == i).count();
        if n > 0 {
            *report.calendars.entry(c.name.clone()).or_default() += n;
        }
    }

    // Ids users see: the activity code, prefixed by the project where two
    // projects share a code.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for a in &kept {
        *seen.entry(a.code.as_str()).or_default() += 1;
    }
    let short: HashMap<u64, &str> = data
        .projects
        .iter()
        .map(|p| (p.id, p.short_name.as_str()))
        .collect();
    let ids: Vec<String> = kept
        .iter()
        .map(|a| {
            if seen[a.code.as_str()] > 1 {
                format!(
                    "{}:{}",
                    short.get(&a.project).copied().unwrap_or("?"),
                    a.code
                )
            } else {
                a.code.clone()
            }
        })
        .collect();
    let index: HashMap<u64, usize> = kept.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let loe: Vec<u64> = activities
        .iter()
        .filter(|a| a.kind == ActivityType::LevelOfEffort)
        .map(|a| a.id)
        .collect();
    let code_of: HashMap<u64, &str> = data
        .activities
        .iter()
        .map(|a| (a.id, a.code.as_str()))
        .collect();

    let lag_rule = projects
        .iter()
        .find_map(|p| data.lag_calendar(p.id))
        .unwrap_or(XerLag::Successor);
    report.lag_calendar = lag_rule.code().to_string();
    let lag_calendar = match lag_rule {
        XerLag::Predecessor => LagCalendar::Predecessor,
        XerLag::Successor => LagCalendar::Successor,
        XerLag::TwentyFourHour => LagCalendar::TwentyFourHour,
        XerLag::ProjectDefault => LagCalendar::Default,
    };
    let hpd = |i: usize| calendars[cal_index[&kept[i].calendar]].hours_per_day;
    let cal_of = |i: usize| cal_index[&kept[i].calendar];
    let p6cal = |i: usize| by_id[&kept[i].calendar];

    // Day 0 is the data date's day; the clock reaches back to the earliest
    // actual date, for lags from work done before the data date.
    let start = data_date.map_or_else(
        || {
            kept.iter()
                .filter_map(|a| a.early_start)
                .min()
                .map_or(NaiveDate::MIN, |d| d.date())
        },
        |d| d.date(),
    );
    let clock = Clock::new(
        start,
        kept.iter().flat_map(|a| [a.actual_start, a.actual_finish]),
        &calendars,
    );
    let default_p6 = default_id.and_then(|id| by_id.get(&id).copied());
    let start_offset = match (data_date, default_p6) {
        (Some(d), Some(c)) => clock_share(c, d),
        _ => 0.0,
    };
    let mut not_before: Vec<Option<f64>> = vec![None; kept.len()];
    let mut finish_not_before: Vec<Option<f64>> = vec![None; kept.len()];
    let raise = |v: &mut Option<f64>, t: f64| *v = Some(v.map_or(t, |x: f64| x.max(t)));

    // Constraints: those that move early dates are applied; mandatory ones
    // also cut the activity's incoming logic, as in P6.
    let mut mandatory = vec![false; kept.len()];
    for (i, a) in kept.iter().enumerate() {
        if a.status == ActivityStatus::Completed {
            continue;
        }
        for c in [&a.constraint, &a.secondary_constraint]
            .into_iter()
            .flatten()
        {
            let what = format!("{} {}", ids[i], c.kind.code());
            let at = c.date.map(|d| clock.time(p6cal(i), d));
            let started = a.status == ActivityStatus::InProgress;
            match (c.kind, at) {
                (ConstraintType::StartOnOrAfter | ConstraintType::StartOn, Some(t)) if !started => {
                    raise(&mut not_before[i], t);
                    report.constraints_honoured.push(what);
                }
                (ConstraintType::FinishOnOrAfter | ConstraintType::FinishOn, Some(t)) => {
                    raise(&mut finish_not_before[i], t);
                    report.constraints_honoured.push(what);
                }
                (ConstraintType::MandatoryStart, Some(t)) if !started => {
                    not_before[i] = Some(t);
                    mandatory[i] = true;
                    report
                        .constraints_honoured
                        .push(format!("{what} (overrides logic)"));
                }
                (ConstraintType::MandatoryFinish, Some(t)) => {
                    finish_not_before[i] = Some(t);
                    mandatory[i] = true;
                    report
                        .constraints_honoured
                        .push(format!("{what} (overrides logic)"));
                }
                (
                    ConstraintType::FinishOnOrBefore
                    | ConstraintType::StartOnOrBefore
                    | ConstraintType::AsLateAsPossible,
                    _,
                ) => {
                    report.constraints_float_only.push(what);
                }
                _ => report.constraints_ignored.push(what),
            }
        }
    }

    let mut links: Vec<Vec<Link>> = vec![Vec::new(); kept.len()];
    for r in &data.relationships {
        let Some(&to) = index.get(&r.successor) else {
            if loe.contains(&r.successor) {
                report.level_of_effort_links += 1;
            }
            continue;
        };
        if loe.contains(&r.predecessor) {
            report.level_of_effort_links += 1;
            continue;
        }
        let Some(&from) = index.get(&r.predecessor) else {
            report.external_links.push(format!(
                "{} -> {} ({}), predecessor not in the import: treated as met",
                code_of.get(&r.predecessor).copied().unwrap_or("?"),
                ids[to],
                r.kind.code()
            ));
            continue;
        };
        let kind = match r.kind {
            RelationshipType::FinishToStart => LinkKind::FS,
            RelationshipType::StartToStart => LinkKind::SS,
            RelationshipType::FinishToFinish => LinkKind::FF,
            RelationshipType::StartToFinish => LinkKind::SF,
        };
        *report.link_types.entry(r.kind.code().into()).or_default() += 1;
        if r.lag_hours > 0.0 {
            report.lags += 1;
        } else if r.lag_hours < 0.0 {
            report.leads += 1;
        }
        let (lag_cal, lag_hours_per_day) = match lag_calendar {
            LagCalendar::Predecessor => (Some(cal_of(from)), hpd(from)),
            LagCalendar::Successor => (Some(cal_of(to)), hpd(to)),
            LagCalendar::Default => (Some(default), calendars[default].hours_per_day),
            LagCalendar::TwentyFourHour => (None, 24.0),
        };
        let lag = r.lag_hours / lag_hours_per_day;
        if mandatory[to] || kept[to].status == ActivityStatus::Completed {
            continue;
        }
        // Work done before the data date: the link counts from the actual
        // date, and becomes an earliest start or finish of the successor.
        let pred = kept[from];
        let actual = if kind.from_finish() {
            pred.actual_finish
                .filter(|_| pred.status == ActivityStatus::Completed)
        } else {
            pred.actual_start
                .filter(|_| pred.status != ActivityStatus::NotStarted)
        };
        let done_before = pred.status == ActivityStatus::Completed
            || (pred.status == ActivityStatus::InProgress && !kind.from_finish());
        if done_before {
            if let Some(at) = actual {
                // Work recorded as done cannot end after the data date.
                let done_at = clock.time(p6cal(from), at).min(start_offset);
                let t = clock.lagged(lag_cal, done_at, lag);
                if kind.constrains_start() {
                    if kept[to].status == ActivityStatus::NotStarted {
                        raise(&mut not_before[to], t);
                    }
                } else {
                    raise(&mut finish_not_before[to], t);
                }
            }
            continue;
        }
        links[to].push(Link {
            pred: from,
            kind,
            lag,
        });
    }

    let wbs_paths = data.wbs_paths();
    let wbs: Vec<String> = (kept.iter())
        .map(|a| wbs_paths.get(&a.wbs).cloned().unwrap_or_default())
        .collect();
    let targets: Vec<RangeTarget> = (kept.iter().enumerate())
        .map(|(i, a)| RangeTarget {
            id: &ids[i],
            wbs: &wbs[i],
            project: short.get(&a.project).copied().unwrap_or_default(),
        })
        .collect();
    let mut ranging = Ranging::new(file, opts, &targets, &report.level_of_effort)?;
    let mut tasks = Vec::with_capacity(kept.len());
    for (i, a) in kept.iter().enumerate() {
        let cal = cal_of(i);
        let milestone = matches!(
            a.kind,
            ActivityType::StartMilestone | ActivityType::FinishMilestone
        );
        let (status, hours) = match a.status {
            ActivityStatus::Completed => (Status::Done, 0.0),
            ActivityStatus::InProgress => (Status::InProgress, a.remaining_hours),
            ActivityStatus::NotStarted => (Status::Todo, a.remaining_hours),
        };
        let days = if milestone {
            0.0
        } else {
            (hours / calendars[cal].hours_per_day).max(0.0)
        };
        let estimate = ranging.estimate(i, &ids[i], a.line, days);
        tasks.push(Task {
            id: ids[i].clone(),
            name: a.name.clone(),
            estimate,
            links: std::mem::take(&mut links[i]),
            team: None,
            priority: None,
            status,
            line: a.line,
            calendar: Some(cal),
            not_before: not_before[i],
            finish_not_before: finish_not_before[i],
            at_start: a.kind == ActivityType::StartMilestone,
            demands: Vec::new(),
        });
        report.source_dates.push(a.early_start.zip(a.early_finish));
        report.guids.push(a.guid.clone());
        report.as_late_as_possible.push(
            [&a.constraint, &a.secondary_constraint]
                .into_iter()
                .flatten()
                .any(|c| c.kind == ConstraintType::AsLateAsPossible),
        );
    }
    report.wbs = wbs;
    report.ranged = tasks.iter().any(|t| has_spread(&t.estimate));
    report.ranging = ranging.finish()?;
    let plan = Plan::with_calendars(
        file,
        tasks,
        Some(TaskCalendars {
            start,
            start_offset,
            calendars,
            default,
            lag: lag_calendar,
            axis_start: crate::plan::AxisStart::DataDate,
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
                        Some(kept[c[0]].line),
                        XerProblem::Cycle {
                            path: path.join(" -> "),
                        },
                    )
                })
                .collect(),
        )
    })?;
    Ok((plan, report))
}
