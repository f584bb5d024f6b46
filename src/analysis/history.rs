//! The weekly story: forecasts of successive snapshots of one plan, and why
//! the date moved between them.
//!
//! Each snapshot is forecast from its own data date with the same seed and
//! iteration count. Between two snapshots the change is split into named
//! causes by walking from the older plan to the newer one in a fixed order,
//! one kind of change at a time, and forecasting every plan on the way
//! ([`Cause`] lists the order). Every plan on the way is simulated with the
//! same random numbers: a task's draws depend only on the seed, its id and
//! the iteration, so a step that leaves a task alone leaves its durations
//! alone, and each part is a difference of the same iterations, not noise.
//! The last step reaches the newer snapshot itself, so the parts add up to
//! the whole change, exactly: each part is a difference of two percentiles
//! (single-precision values, on a common axis of whole working days), which
//! floating point subtracts and adds without rounding.
//!
//! Finishes are placed on one axis: working days from the first snapshot's
//! data date (for plans whose tasks keep their own calendars, calendar days
//! from it).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use crate::engine::{SimOptions, Variant, deterministic, simulate, simulate_variants};
use crate::network::Network;
use crate::plan::{Calendar, Link, Plan, Risk, Scenario, Status, Task, TaskCalendars};

use super::compare::{IntervalEstimate, paired_delta};
use super::percentiles::Sample;
use super::provenance::{Inputs, Provenance, RunBasis};
use super::range::{OutOfRange, check_range};
use super::target::Target;

/// The P80 slip (in working days) past which a move with the plan date
/// standing still is called a watermelon, unless the caller says otherwise.
pub const WATERMELON_DAYS: f64 = 5.0;

/// One snapshot of the plan: the scenario as loaded, and its data date.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    /// A short name: the file name.
    pub label: &'a str,
    /// The plan with its risks and correlations.
    pub scenario: &'a Scenario,
    /// The date its remaining work starts from. For a plan on its own
    /// calendars this must be the plan's own start (its data date).
    pub data_date: NaiveDate,
}

impl<'a> Snapshot<'a> {
    /// The snapshots of `scenarios`, in order, each with its label and data
    /// date (the three lists run in step; the shortest sets the count).
    pub fn list(
        scenarios: &'a [Scenario],
        labels: &'a [String],
        dates: &[NaiveDate],
    ) -> Vec<Snapshot<'a>> {
        scenarios
            .iter()
            .zip(labels)
            .zip(dates)
            .map(|((scenario, label), &data_date)| Snapshot {
                label,
                scenario,
                data_date,
            })
            .collect()
    }
}

/// How a history is run.
#[derive(Debug, Clone)]
pub struct HistoryOptions<'a> {
    /// The calendar (its working week and holidays; its start is not used:
    /// each snapshot starts at its data date), the seed and the generation
    /// time.
    pub basis: RunBasis<'a>,
    /// Iterations per forecast.
    pub iterations: u64,
    /// The commitment date, whose chance each snapshot reports.
    pub target: Option<NaiveDate>,
    /// The watermelon threshold: a P80 slip of more than this many days
    /// between two snapshots while the plan date moves by less than half a
    /// day.
    pub watermelon_days: f64,
    /// The milestone forecast instead of the whole plan (its id).
    pub milestone: Option<String>,
}

/// Why a history could not be made.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// Fewer than two snapshots.
    #[error("a history needs at least two snapshots of the plan; give them oldest first")]
    TooFew,
    /// The snapshots are not oldest first.
    #[error(
        "{later} (data date {later_date}) comes before {earlier} (data date {earlier_date}); give the snapshots oldest first"
    )]
    Order {
        /// The earlier snapshot.
        earlier: String,
        /// Its data date.
        earlier_date: NaiveDate,
        /// The snapshot that should be later.
        later: String,
        /// Its data date.
        later_date: NaiveDate,
    },
    /// Plans on the run's calendar mixed with plans on their own.
    #[error(
        "{own} keeps its tasks' own calendars and {run} does not; give snapshots of one kind (all P6 or MS Project files, or all plan CSVs)"
    )]
    Mixed {
        /// A snapshot on its own calendars.
        own: String,
        /// A snapshot on the run's calendar.
        run: String,
    },
    /// A snapshot on its own calendars given another data date.
    #[error(
        "{snapshot} carries its own data date, {own}; it cannot be forecast from {asked} (leave its --as-of out)"
    )]
    DataDate {
        /// The snapshot.
        snapshot: String,
        /// Its own data date.
        own: NaiveDate,
        /// The date asked for.
        asked: NaiveDate,
    },
    /// Team capacity, which a history does not take yet.
    #[error(
        "{snapshot}: a history with team capacity (--teams) is not supported yet; leave --teams out"
    )]
    Capacity {
        /// The snapshot.
        snapshot: String,
    },
    /// A finish past what slipcast can answer.
    #[error("{snapshot}: {source}")]
    Range {
        /// The snapshot.
        snapshot: String,
        /// The problem.
        source: OutOfRange,
    },
}

/// Forecasts of successive snapshots, and why the date moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Version, iterations per forecast, seed, the first data date, the
    /// calendar, milestone and when it was generated (each snapshot lists
    /// its own files).
    #[serde(flatten)]
    pub run: Provenance,
    /// The unit of every `days` figure: `working days` (from the first
    /// snapshot's data date), or `calendar days` for plans on their own
    /// calendars.
    pub unit: &'static str,
    /// The commitment date asked about.
    pub target: Option<NaiveDate>,
    /// The watermelon threshold, in days of P80 slip.
    pub watermelon_days: f64,
    /// The snapshots, oldest first.
    pub snapshots: Vec<SnapshotResult>,
    /// Between each snapshot and the next: what moved the date.
    pub moves: Vec<Move>,
}

/// One snapshot's forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotResult {
    /// Its short name.
    pub label: String,
    /// The files it was read from.
    pub inputs: Inputs,
    /// Its data date.
    pub data_date: NaiveDate,
    /// Its tasks.
    pub tasks: usize,
    /// Its tasks done.
    pub done: usize,
    /// Its tasks in progress.
    pub in_progress: usize,
    /// P50 finish.
    pub p50: Point,
    /// P80 finish.
    pub p80: Point,
    /// P90 finish.
    pub p90: Point,
    /// The plan date: the finish on likely durations (the deterministic
    /// schedule).
    pub plan: PlanPoint,
    /// The chance of finishing by the commitment date.
    pub target_probability: Option<f64>,
}

/// A percentile finish with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Days from the first snapshot's data date.
    pub days: f64,
    /// The date.
    pub date: NaiveDate,
    /// Lower end of the 95% interval, in days.
    pub low: f64,
    /// Upper end, in days.
    pub high: f64,
    /// Lower end as a date.
    pub low_date: NaiveDate,
    /// Upper end as a date.
    pub high_date: NaiveDate,
}

/// The deterministic finish.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanPoint {
    /// Days from the first snapshot's data date.
    pub days: f64,
    /// The date.
    pub date: NaiveDate,
}

/// What changed between two snapshots, and what each change did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// Index of the earlier snapshot.
    pub from: usize,
    /// Index of the later one.
    pub to: usize,
    /// The P50 change, in days (the sum of the parts' P50, exactly).
    pub p50: f64,
    /// The P80 change (the sum of the parts' P80, exactly).
    pub p80: f64,
    /// The plan date's change.
    pub plan: f64,
    /// The causes, in the order they are applied. Each is a paired
    /// difference with its 95% interval.
    pub parts: Vec<Part>,
    /// Ids of the tasks done in the later snapshot and not in the earlier.
    pub completed: Vec<String>,
    /// Whether the P80 slipped by more than the threshold while the plan
    /// date stood still: a status that stays green while the risk grows.
    pub watermelon: bool,
}

/// One cause of a move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The kind of change.
    pub cause: Cause,
    /// What it is, in words: the cause, or the task whose estimate changed
    /// (plan text: make it inert where it goes).
    pub label: String,
    /// The task ids it touches.
    pub tasks: Vec<String>,
    /// Its share of the P50 change, in days.
    pub p50: IntervalEstimate,
    /// Its share of the P80 change, in days.
    pub p80: IntervalEstimate,
}

/// The causes of a move, in the order they are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The data date moved: the older plan, as it stood, from the newer
    /// data date.
    TimePassing,
    /// Activities whose id was renumbered between the exports (matched by
    /// P6's activity GUID): the older plan under the newer ids, whose
    /// random draws are new (a stream follows the id), so this part is
    /// noise within its interval.
    Renamed,
    /// Tasks started or finished: their status, remaining estimate and
    /// dates as of the newer snapshot, together.
    Progress,
    /// A task in progress in both snapshots whose remaining work changed
    /// (one part per task, in the newer plan's order).
    Remaining,
    /// A task not yet started was re-estimated (one part per task, in the
    /// newer plan's order).
    Estimate,
    /// Tasks taken out, with their links.
    ScopeRemoved,
    /// Tasks added, with their links and estimates.
    ScopeAdded,
    /// Links between tasks in both snapshots added, removed or changed.
    Links,
    /// The risk register or the correlations changed.
    Risks,
    /// Tasks' working calendars changed.
    Calendars,
    /// Whatever else differs (the newer snapshot as loaded).
    Other,
}

impl Cause {
    /// In words.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::TimePassing => "time passing",
            Cause::Renamed => "activity ids renumbered",
            Cause::Progress => "progress",
            Cause::Remaining => "remaining work",
            Cause::Estimate => "estimate",
            Cause::ScopeRemoved => "scope removed",
            Cause::ScopeAdded => "scope added",
            Cause::Links => "links changed",
            Cause::Risks => "risks and correlations",
            Cause::Calendars => "calendars",
            Cause::Other => "other changes",
        }
    }
}

impl History {
    /// The P80 change over the whole series, in days.
    pub fn p80_change(&self) -> f64 {
        self.moves.iter().map(|m| m.p80).sum()
    }

    /// Tasks completed over the whole series.
    pub fn completed(&self) -> usize {
        self.moves.iter().map(|m| m.completed.len()).sum()
    }
}

/// A snapshot's data date from its own file: a P6 or MS Project file's data
/// or status date, else a date in its file name (see [`date_in_name`]);
/// `None` when it has neither.
pub fn data_date_of(sc: &Scenario) -> Option<NaiveDate> {
    if let Some(c) = &sc.plan.calendars
        && c.axis_start != crate::plan::AxisStart::ProjectStart
    {
        return Some(c.start);
    }
    let name = sc
        .sources
        .plan
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    date_in_name(&name)
}

/// Finds a date written in a file name: `YYYY-MM-DD`, `YYYY_MM_DD` or
/// `YYYYMMDD` (the last one found).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use slipcast::analysis::date_in_name;
/// assert_eq!(date_in_name("plan-2027-02-08.csv"), NaiveDate::from_ymd_opt(2027, 2, 8));
/// assert_eq!(date_in_name("wk_20270215_plan.csv"), NaiveDate::from_ymd_opt(2027, 2, 15));
/// assert_eq!(date_in_name("plan-v2.csv"), None);
/// ```
pub fn date_in_name(name: &str) -> Option<NaiveDate> {
    let b = name.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let num = |s: &[u8]| std::str::from_utf8(s).ok()?.parse::<u32>().ok();
    let mut found = None;
    for i in 0..b.len() {
        let at = |len: usize| (i + len <= b.len()).then(|| &b[i..i + len]);
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        if !before_ok {
            continue;
        }
        let date = if let Some(s) = at(10)
            && digits(&s[..4])
            && (s[4] == b'-' || s[4] == b'_')
            && s[7] == s[4]
            && digits(&s[5..7])
            && digits(&s[8..10])
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit())
        {
            NaiveDate::from_ymd_opt(num(&s[..4])? as i32, num(&s[5..7])?, num(&s[8..10])?)
        } else if let Some(s) = at(8)
            && digits(s)
            && b.get(i + 8).is_none_or(|c| !c.is_ascii_digit())
        {
            NaiveDate::from_ymd_opt(num(&s[..4])? as i32, num(&s[4..6])?, num(&s[6..8])?)
        } else {
            None
        };
        if date.is_some() {
            found = date;
        }
    }
    found
}

/// One plan on the way from a snapshot to the next, as tasks with links by
/// index into `tasks`, risks and correlations likewise.
#[derive(Debug, Clone)]
struct Draft {
    tasks: Vec<Task>,
    risks: Vec<Risk>,
    correlation: Option<crate::plan::Correlation>,
    calendars: Option<TaskCalendars>,
}

impl Draft {
    fn of(sc: &Scenario) -> Draft {
        Draft {
            tasks: sc.plan.tasks.clone(),
            risks: sc.risks.clone(),
            correlation: sc.correlation.clone(),
            calendars: sc.plan.calendars.clone(),
        }
    }

    fn index(&self) -> HashMap<String, usize> {
        self.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect()
    }

    /// The draft as a scenario (`None` when its links form a cycle).
    fn scenario(&self, source: &str, milestone: Option<&str>) -> Option<Scenario> {
        let plan = Plan::with_calendars(source, self.tasks.clone(), self.calendars.clone()).ok()?;
        let milestone = milestone.and_then(|id| plan.index_of(id));
        let mut sc = Scenario::new(plan);
        sc.risks = self.risks.clone();
        sc.correlation = self.correlation.clone();
        sc.milestone = milestone;
        Some(sc)
    }
}

/// A snapshot's links of task `t`, as (predecessor id, link).
fn links_by_id<'p>(plan: &'p Plan, t: &Task) -> Vec<(&'p str, Link)> {
    t.links
        .iter()
        .map(|l| (plan.tasks[l.pred].id.as_str(), *l))
        .collect()
}

/// Whether two tasks' links are the same, by predecessor id, among
/// predecessors in both plans (links to tasks added or removed go with
/// them).
fn same_links(a: &Plan, ta: &Task, b: &Plan, tb: &Task) -> bool {
    let key = |v: Vec<(&str, Link)>| {
        let mut v: Vec<(String, String)> = v
            .into_iter()
            .filter(|(id, _)| a.index_of(id).is_some() && b.index_of(id).is_some())
            .map(|(id, l)| (id.to_string(), format!("{:?}{}", l.kind, l.lag)))
            .collect();
        v.sort();
        v
    };
    key(links_by_id(a, ta)) == key(links_by_id(b, tb))
}

/// Snapshot `a` with the ids of its activities renumbered in `b` (the same
/// P6 activity GUID under another Activity ID, the new id not used in `a`),
/// and the new ids; `None` when there are none.
fn renumbered(a: &Scenario, b: &Scenario) -> Option<(Scenario, Vec<String>)> {
    let (ga, gb) = (&a.import.as_ref()?.guids, &b.import.as_ref()?.guids);
    let by_guid: HashMap<&str, usize> = gb
        .iter()
        .enumerate()
        .filter_map(|(j, g)| g.as_deref().map(|g| (g, j)))
        .collect();
    let ids_a: HashSet<&str> = a.plan.tasks.iter().map(|t| t.id.as_str()).collect();
    let mut renamed = a.clone();
    let mut ids = Vec::new();
    for (i, g) in ga.iter().enumerate() {
        let Some(&j) = g.as_deref().and_then(|g| by_guid.get(g)) else {
            continue;
        };
        let new = &b.plan.tasks[j].id;
        if *new != a.plan.tasks[i].id && !ids_a.contains(new.as_str()) {
            renamed.plan.tasks[i].id = new.clone();
            ids.push(new.clone());
        }
    }
    (!ids.is_empty()).then_some((renamed, ids))
}

/// The steps from snapshot `a` to snapshot `b`: each a cause, the ids it
/// touches and the draft after it (`None`: the next step's draft, when this
/// one's links would form a cycle on its own; the last step is `b` itself).
struct Walk {
    steps: Vec<(Cause, String, Vec<String>, Option<Scenario>)>,
}

/// Builds the walk from `a` to `b` (`moved`: their data dates differ).
/// With task calendars, `shift` is the calendar days between their data
/// dates.
fn walk((a, b): (&Scenario, &Scenario), moved: bool, shift: f64, milestone: Option<&str>) -> Walk {
    let (pa, pb) = (&a.plan, &b.plan);
    let source = pb.source.as_str();
    let mut d = Draft::of(a);
    let mut steps = Vec::new();
    let mut push = |cause: Cause, label: String, ids: Vec<String>, d: &Draft| {
        steps.push((cause, label, ids, d.scenario(source, milestone)));
    };
    let in_b: HashMap<&str, usize> = pb
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let in_a: HashMap<&str, usize> = pa
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // The calendars: with task calendars, the newer plan's are appended to
    // the older's, so tasks can point at either until the calendar step.
    let cal_base = d.calendars.as_ref().map_or(0, |c| c.calendars.len());
    if let (Some(ca), Some(cb)) = (d.calendars.as_mut(), pb.calendars.as_ref()) {
        ca.calendars.extend(cb.calendars.iter().cloned());
    }
    let b_calendar = |t: &Task| -> Option<usize> {
        pb.calendars
            .as_ref()
            .map(|c| t.calendar.unwrap_or(c.default) + cal_base)
    };

    // 1. Time passing: the older plan from the newer data date.
    if let (Some(ca), Some(cb)) = (d.calendars.as_mut(), pb.calendars.as_ref()) {
        ca.start = cb.start;
        ca.start_offset = cb.start_offset;
        let moved = |x: Option<f64>| x.map(|v| (v - shift).max(0.0));
        for t in &mut d.tasks {
            t.not_before = moved(t.not_before);
            t.finish_not_before = moved(t.finish_not_before);
        }
    }
    if moved {
        push(
            Cause::TimePassing,
            Cause::TimePassing.as_str().into(),
            Vec::new(),
            &d,
        );
    }

    // 2. Progress: tasks started or finished (their status, remaining work
    // and dates, together), then each task in progress in both whose
    // remaining work changed, one at a time.
    let mut progressed = Vec::new();
    let mut remaining = Vec::new();
    let mut re_estimated = Vec::new();
    for (i, ta) in pa.tasks.iter().enumerate() {
        let Some(&j) = in_b.get(ta.id.as_str()) else {
            continue;
        };
        let tb = &pb.tasks[j];
        let t = &d.tasks[i];
        let moved = ta.status != tb.status
            || t.not_before != tb.not_before
            || t.finish_not_before != tb.finish_not_before
            || ta.at_start != tb.at_start;
        if moved {
            progressed.push((i, j));
        } else if ta.estimate != tb.estimate {
            if tb.status == Status::InProgress {
                remaining.push((i, j));
            } else {
                re_estimated.push((i, j));
            }
        }
    }
    if !progressed.is_empty() {
        for &(i, j) in &progressed {
            let tb = &pb.tasks[j];
            let t = &mut d.tasks[i];
            t.status = tb.status;
            t.estimate = tb.estimate;
            t.not_before = tb.not_before;
            t.finish_not_before = tb.finish_not_before;
            t.at_start = tb.at_start;
        }
        let ids = progressed
            .iter()
            .map(|&(i, _)| pa.tasks[i].id.clone())
            .collect();
        push(Cause::Progress, Cause::Progress.as_str().into(), ids, &d);
    }
    remaining.sort_by_key(|&(_, j)| j);
    for &(i, j) in &remaining {
        let tb = &pb.tasks[j];
        d.tasks[i].estimate = tb.estimate;
        push(Cause::Remaining, tb.name.clone(), vec![tb.id.clone()], &d);
    }

    // 3. Estimates, one task at a time, in the newer plan's order.
    re_estimated.sort_by_key(|&(_, j)| j);
    for &(i, j) in &re_estimated {
        let tb = &pb.tasks[j];
        d.tasks[i].estimate = tb.estimate;
        push(Cause::Estimate, tb.name.clone(), vec![tb.id.clone()], &d);
    }

    // 4. Scope removed: tasks, and every link and risk target with them.
    let removed: Vec<String> = pa
        .tasks
        .iter()
        .filter(|t| !in_b.contains_key(t.id.as_str()))
        .map(|t| t.id.clone())
        .collect();
    if !removed.is_empty() {
        let gone: HashSet<&str> = removed.iter().map(String::as_str).collect();
        let keep: Vec<usize> = (0..d.tasks.len())
            .filter(|&i| !gone.contains(d.tasks[i].id.as_str()))
            .collect();
        let mut new_of = vec![None; d.tasks.len()];
        for (k, &i) in keep.iter().enumerate() {
            new_of[i] = Some(k);
        }
        d = remap(&d, &keep, &new_of);
        push(
            Cause::ScopeRemoved,
            Cause::ScopeRemoved.as_str().into(),
            removed,
            &d,
        );
    }

    // 5. Scope added: the newer plan's tasks, their links, and the links
    // from them to tasks already there.
    let added: Vec<usize> = (0..pb.tasks.len())
        .filter(|&j| !in_a.contains_key(pb.tasks[j].id.as_str()))
        .collect();
    if !added.is_empty() {
        for &j in &added {
            let mut t = pb.tasks[j].clone();
            t.links.clear();
            t.calendar = b_calendar(&pb.tasks[j]);
            d.tasks.push(t);
        }
        let at = d.index();
        let to_draft = |l: &Link| -> Option<Link> {
            at.get(pb.tasks[l.pred].id.as_str())
                .map(|&p| Link { pred: p, ..*l })
        };
        let is_added: HashSet<&str> = added.iter().map(|&j| pb.tasks[j].id.as_str()).collect();
        let mut links: Vec<(usize, Vec<Link>)> = Vec::new();
        for (j, tb) in pb.tasks.iter().enumerate() {
            let i = at[tb.id.as_str()];
            if is_added.contains(tb.id.as_str()) {
                links.push((i, tb.links.iter().filter_map(&to_draft).collect()));
            } else {
                let extra: Vec<Link> = pb.tasks[j]
                    .links
                    .iter()
                    .filter(|l| is_added.contains(pb.tasks[l.pred].id.as_str()))
                    .filter_map(&to_draft)
                    .collect();
                if !extra.is_empty() {
                    let mut all = d.tasks[i].links.clone();
                    all.extend(extra);
                    links.push((i, all));
                }
            }
        }
        for (i, l) in links {
            d.tasks[i].links = l;
        }
        let ids = added.iter().map(|&j| pb.tasks[j].id.clone()).collect();
        push(
            Cause::ScopeAdded,
            Cause::ScopeAdded.as_str().into(),
            ids,
            &d,
        );
    }

    // 6. Links between tasks in both.
    let at = d.index();
    let relinked: Vec<usize> = (0..pb.tasks.len())
        .filter(|&j| {
            let tb = &pb.tasks[j];
            in_a.get(tb.id.as_str())
                .is_some_and(|&i| !same_links(pa, &pa.tasks[i], pb, tb))
        })
        .collect();
    if !relinked.is_empty() {
        for &j in &relinked {
            let tb = &pb.tasks[j];
            let i = at[tb.id.as_str()];
            d.tasks[i].links = tb
                .links
                .iter()
                .map(|l| Link {
                    pred: at[pb.tasks[l.pred].id.as_str()],
                    ..*l
                })
                .collect();
        }
        let ids = relinked.iter().map(|&j| pb.tasks[j].id.clone()).collect();
        push(Cause::Links, Cause::Links.as_str().into(), ids, &d);
    }

    // 7. The risk register and the correlations.
    let risks_differ = a.risks.len() != b.risks.len()
        || a.risks.iter().zip(&b.risks).any(|(x, y)| {
            x.id != y.id
                || x.probability != y.probability
                || x.impact != y.impact
                || x.affects.len() != y.affects.len()
                || x.affects
                    .iter()
                    .zip(&y.affects)
                    .any(|(&p, &q)| pa.tasks[p].id != pb.tasks[q].id)
        });
    fn corr_ids(sc: &Scenario) -> Option<(Vec<&str>, ndarray::Array2<f64>)> {
        sc.correlation.as_ref().map(|c| {
            let ids: Vec<&str> = c
                .tasks
                .iter()
                .map(|&t| sc.plan.tasks[t].id.as_str())
                .collect();
            (ids, c.rank.clone())
        })
    }
    if risks_differ || corr_ids(a) != corr_ids(b) {
        d.risks = b
            .risks
            .iter()
            .map(|r| Risk {
                affects: r
                    .affects
                    .iter()
                    .map(|&q| at[pb.tasks[q].id.as_str()])
                    .collect(),
                ..r.clone()
            })
            .collect();
        d.correlation = b.correlation.as_ref().and_then(|c| {
            c.remapped(|t| at.get(pb.tasks[t].id.as_str()).copied())
                .ok()
                .flatten()
        });
        let ids = b.risks.iter().map(|r| r.id.clone()).collect();
        push(Cause::Risks, Cause::Risks.as_str().into(), ids, &d);
    }

    // 8. Calendars: every task on the newer plan's calendar for it.
    if pb.calendars.is_some() {
        let mut changed = Vec::new();
        for tb in &pb.tasks {
            let i = at[tb.id.as_str()];
            let now = b_calendar(tb);
            let before = d.calendars.as_ref().map(|c| {
                let k = d.tasks[i].calendar.unwrap_or(c.default);
                &c.calendars[k]
            });
            let after = now.and_then(|k| d.calendars.as_ref().map(|c| &c.calendars[k]));
            if before != after {
                changed.push(tb.id.clone());
            }
            d.tasks[i].calendar = now;
        }
        if !changed.is_empty() {
            push(
                Cause::Calendars,
                Cause::Calendars.as_str().into(),
                changed,
                &d,
            );
        }
    }

    // 9. The newer snapshot as loaded: whatever else differs.
    steps.push((Cause::Other, Cause::Other.as_str().into(), Vec::new(), None));
    Walk { steps }
}

/// The draft restricted to tasks `keep` (in order), with links, risks and
/// correlations renumbered by `new_of` and those to dropped tasks left out.
fn remap(d: &Draft, keep: &[usize], new_of: &[Option<usize>]) -> Draft {
    let tasks = keep
        .iter()
        .map(|&i| {
            let mut t = d.tasks[i].clone();
            t.links = t
                .links
                .iter()
                .filter_map(|l| new_of[l.pred].map(|p| Link { pred: p, ..*l }))
                .collect();
            t
        })
        .collect();
    let risks = d
        .risks
        .iter()
        .filter_map(|r| {
            let affects: Vec<usize> = r.affects.iter().filter_map(|&t| new_of[t]).collect();
            (!affects.is_empty()).then(|| Risk {
                affects,
                ..r.clone()
            })
        })
        .collect();
    let correlation = d
        .correlation
        .as_ref()
        .and_then(|c| c.remapped(|t| new_of[t]).ok().flatten());
    Draft {
        tasks,
        risks,
        correlation,
        calendars: d.calendars.clone(),
    }
}

/// A snapshot's calendar: the run's from its data date, or the plan's own
/// time axis.
fn calendar_of(s: &Snapshot, run: &Calendar) -> Calendar {
    s.scenario
        .plan
        .axis_calendar()
        .unwrap_or_else(|| run.starting(s.data_date))
}

/// Forecasts every snapshot and explains each move between consecutive
/// ones.
///
/// Cost: one simulation per snapshot and one per step of each move (a step
/// per kind of change, and one per re-estimated task), each of
/// `opts.iterations`; memory two project vectors at a time.
///
/// # Errors
///
/// [`HistoryError`]: fewer than two snapshots, data dates out of order,
/// snapshots of mixed kinds, team capacity, or a finish out of range.
pub fn history(snapshots: &[Snapshot], opts: &HistoryOptions) -> Result<History, HistoryError> {
    check(snapshots)?;
    let first = &snapshots[0];
    let own = first.scenario.plan.calendars.is_some();
    let axis = calendar_of(first, opts.basis.calendar);
    // Days from the first data date to each snapshot's day 0.
    let offset = |s: &Snapshot| -> f64 {
        if own {
            (s.data_date - first.data_date).num_days() as f64
        } else {
            match s.data_date.pred_opt() {
                Some(d) if s.data_date > first.data_date => axis.workdays_through(d) as f64,
                _ => 0.0,
            }
        }
    };
    let sim = SimOptions::finish_only(opts.iterations, opts.basis.seed);
    let milestone = opts.milestone.as_deref();
    let check = |sc: &Scenario, net: &Network, project: &[f32], label: &str| {
        let det = deterministic(net);
        let latest = project.iter().copied().fold(0.0f32, f32::max);
        let cal = sc
            .plan
            .axis_calendar()
            .unwrap_or_else(|| opts.basis.calendar.clone());
        check_range(&sc.plan, &det, f64::from(latest), &cal)
            .map(|()| det.project)
            .map_err(|source| HistoryError::Range {
                snapshot: label.to_string(),
                source,
            })
    };
    // A scenario's project finishes and its plan date, checked in range.
    let run = |sc: &Scenario, label: &str| -> Result<(Vec<f32>, f64), HistoryError> {
        let net = Network::compile_scenario(sc);
        let project = simulate(&net, &sim).project;
        let plan = check(sc, &net, &project, label)?;
        Ok((project, plan))
    };
    let run_many =
        |base: &Scenario, scs: &[&Scenario], label: &str| -> Result<Vec<Vec<f32>>, HistoryError> {
            let base_net = Network::compile_scenario(base);
            let nets: Vec<Network> = scs.iter().map(|s| Network::compile_scenario(s)).collect();
            let variants: Option<Vec<Variant>> = nets
                .iter()
                .map(|n| Variant::try_new(&base_net, n))
                .collect();
            let projects = match variants {
                Some(v) => simulate_variants(&base_net, &v, opts.iterations, opts.basis.seed, None),
                None => nets.iter().map(|n| simulate(n, &sim).project).collect(),
            };
            for ((sc, net), p) in scs.iter().zip(&nets).zip(&projects) {
                check(sc, net, p, label)?;
            }
            Ok(projects)
        };
    let date = |days: f64| axis.finish_date(days);
    let point = |sample: &Sample, q: f64, off: f64| {
        let (lo, hi) = sample.quantile_interval(q, 0.95);
        let days = sample.quantile(q) + off;
        Point {
            days,
            date: date(days),
            low: lo + off,
            high: hi + off,
            low_date: date(lo + off),
            high_date: date(hi + off),
        }
    };
    let mut results = Vec::with_capacity(snapshots.len());
    let mut moves = Vec::new();
    let mut previous: Option<Vec<f32>> = None;
    for (k, s) in snapshots.iter().enumerate() {
        let off = offset(s);
        let (project, plan_days) = run(s.scenario, s.label)?;
        let sample = Sample::new(&project);
        let cal = calendar_of(s, opts.basis.calendar);
        let tasks = &s.scenario.plan.tasks;
        results.push(SnapshotResult {
            label: s.label.to_string(),
            inputs: Inputs::of(s.scenario),
            data_date: s.data_date,
            tasks: tasks.len(),
            done: tasks.iter().filter(|t| t.status == Status::Done).count(),
            in_progress: tasks
                .iter()
                .filter(|t| t.status == Status::InProgress)
                .count(),
            p50: point(&sample, 0.5, off),
            p80: point(&sample, 0.8, off),
            p90: point(&sample, 0.9, off),
            plan: PlanPoint {
                days: plan_days + off,
                date: date(plan_days + off),
            },
            target_probability: opts
                .target
                .map(|t| Target::new(t, &cal).probability(&sample)),
        });
        if let Some(before) = previous.take() {
            let a = &snapshots[k - 1];
            let m = explain_move(
                (a, &before, offset(a)),
                (s, &project, off),
                milestone,
                (&run, &run_many),
            )?;
            moves.push(finish_move(m, k, &results, opts.watermelon_days, a, s));
        }
        previous = Some(project);
    }
    Ok(History {
        run: Provenance::new(
            &RunBasis {
                calendar: &axis,
                ..opts.basis.clone()
            },
            None,
            opts.iterations,
            opts.milestone.clone(),
        ),
        unit: if own { "calendar days" } else { "working days" },
        target: opts.target,
        watermelon_days: opts.watermelon_days,
        snapshots: results,
        moves,
    })
}

/// The snapshots are at least two, of one kind, oldest first, without
/// capacity, and plans on their own calendars start at their data dates.
fn check(snapshots: &[Snapshot]) -> Result<(), HistoryError> {
    if snapshots.len() < 2 {
        return Err(HistoryError::TooFew);
    }
    for s in snapshots {
        if s.scenario.capacity.is_some() {
            return Err(HistoryError::Capacity {
                snapshot: s.label.to_string(),
            });
        }
        if let Some(c) = &s.scenario.plan.calendars
            && c.start != s.data_date
        {
            return Err(HistoryError::DataDate {
                snapshot: s.label.to_string(),
                own: c.start,
                asked: s.data_date,
            });
        }
    }
    let own = |s: &Snapshot| s.scenario.plan.calendars.is_some();
    if let (Some(o), Some(r)) = (
        snapshots.iter().find(|s| own(s)),
        snapshots.iter().find(|s| !own(s)),
    ) {
        return Err(HistoryError::Mixed {
            own: o.label.to_string(),
            run: r.label.to_string(),
        });
    }
    for w in snapshots.windows(2) {
        if w[1].data_date < w[0].data_date {
            return Err(HistoryError::Order {
                earlier: w[0].label.to_string(),
                earlier_date: w[0].data_date,
                later: w[1].label.to_string(),
                later_date: w[1].data_date,
            });
        }
    }
    Ok(())
}

/// Forecasts a scenario: its project finishes and its plan date.
type Forecaster<'a> = dyn Fn(&Scenario, &str) -> Result<(Vec<f32>, f64), HistoryError> + 'a;

/// Forecasts scenarios that differ from a base only in how tasks draw:
/// their project finishes.
type GroupForecaster<'a> =
    dyn Fn(&Scenario, &[&Scenario], &str) -> Result<Vec<Vec<f32>>, HistoryError> + 'a;

/// Re-estimates simulated together at most (memory: one `f32` per
/// iteration for each).
const VARIANT_GROUP: usize = 16;

/// The parts of one move, before its totals.
type Parts = Vec<Part>;

/// Walks from snapshot `a` (its finishes and day-0 offset) to snapshot `b`,
/// forecasting each step, and returns the parts.
fn explain_move(
    (a, a_project, a_off): (&Snapshot, &[f32], f64),
    (b, b_project, b_off): (&Snapshot, &[f32], f64),
    milestone: Option<&str>,
    (run, run_many): (&Forecaster, &GroupForecaster),
) -> Result<Parts, HistoryError> {
    let shift = b_off - a_off;
    let moved = a.data_date != b.data_date;
    let renamed = renumbered(a.scenario, b.scenario);
    let mut w = match &renamed {
        Some((sc, _)) => walk((sc, b.scenario), moved, shift, milestone),
        None => walk((a.scenario, b.scenario), moved, shift, milestone),
    };
    if let Some((sc, ids)) = renamed {
        let label = Cause::Renamed.as_str().to_string();
        w.steps.insert(0, (Cause::Renamed, label, ids, Some(sc)));
    }
    let steps = w.steps;
    let n = steps.len();
    // Re-estimates (of tasks not started, or of remaining work) change only
    // how tasks draw: a run of them is simulated together, as variants of
    // the plan before the run, each bit for bit what it gives alone.
    let variant_step = |k: usize| {
        k + 1 < n
            && matches!(steps[k].0, Cause::Estimate | Cause::Remaining)
            && steps[k].3.is_some()
    };
    let mut ahead: HashMap<usize, Vec<f32>> = HashMap::new();
    let mut parts = Vec::new();
    let mut prev: Vec<f32> = a_project.to_vec();
    let mut prev_off = a_off;
    // Labels and ids of steps folded into the next (a cycle on their own).
    let mut pending: Vec<(Cause, String, Vec<String>)> = Vec::new();
    for k in 0..n {
        let (cause, label, ids, sc) = &steps[k];
        let (cause, label, ids) = (*cause, label.clone(), ids.clone());
        let last = k + 1 == n;
        // Every step from time passing on is on the newer data date.
        let off = if cause == Cause::Renamed {
            a_off
        } else {
            b_off
        };
        let base = if k == 0 {
            Some(a.scenario)
        } else {
            steps[k - 1].3.as_ref()
        };
        let project = if last {
            b_project.to_vec()
        } else if let Some(p) = ahead.remove(&k) {
            p
        } else if let (true, Some(base)) = (variant_step(k), base) {
            let mut end = k;
            while end < n && variant_step(end) && end - k < VARIANT_GROUP {
                end += 1;
            }
            let group: Vec<&Scenario> = steps[k..end].iter().filter_map(|s| s.3.as_ref()).collect();
            let mut projects = run_many(base, &group, b.label)?;
            let rest = projects.split_off(1);
            for (j, p) in (k + 1..end).zip(rest) {
                ahead.insert(j, p);
            }
            projects.pop().expect("one project per variant")
        } else {
            match sc {
                Some(sc) => run(sc, b.label)?.0,
                None => {
                    pending.push((cause, label, ids));
                    continue;
                }
            }
        };
        let delta = paired_delta(&prev, &project, None);
        let d = off - prev_off;
        let (cause, label, ids) = if pending.is_empty() {
            (cause, label, ids)
        } else {
            let mut all_ids: Vec<String> = Vec::new();
            let mut labels: Vec<String> = Vec::new();
            let first = pending[0].0;
            for (_, l, i) in pending.drain(..) {
                labels.push(l);
                all_ids.extend(i);
            }
            labels.push(label);
            all_ids.extend(ids);
            (first, labels.join(" + "), all_ids)
        };
        let part = Part {
            cause,
            label,
            tasks: ids,
            p50: delta.p50_days.shifted(d),
            p80: delta.p80_days.shifted(d),
        };
        // The last step (the snapshot as loaded) is kept only when it moves
        // something: everything else was accounted for.
        if !(last && cause == Cause::Other && part.p50.estimate == 0.0 && part.p80.estimate == 0.0)
        {
            parts.push(part);
        }
        prev = project;
        prev_off = off;
    }
    Ok(parts)
}

/// A move's totals and flags from its parts.
fn finish_move(
    parts: Parts,
    to: usize,
    results: &[SnapshotResult],
    watermelon_days: f64,
    a: &Snapshot,
    b: &Snapshot,
) -> Move {
    let (x, y) = (&results[to - 1], &results[to]);
    let p50 = y.p50.days - x.p50.days;
    let p80 = y.p80.days - x.p80.days;
    let plan = y.plan.days - x.plan.days;
    let done_before: HashSet<&str> = a
        .scenario
        .plan
        .tasks
        .iter()
        .filter(|t| t.status == Status::Done)
        .map(|t| t.id.as_str())
        .collect();
    let completed = b
        .scenario
        .plan
        .tasks
        .iter()
        .filter(|t| t.status == Status::Done && !done_before.contains(t.id.as_str()))
        .map(|t| t.id.clone())
        .collect();
    Move {
        from: to - 1,
        to,
        p50,
        p80,
        plan,
        parts,
        completed,
        watermelon: p80 > watermelon_days && plan.abs() < 0.5,
    }
}
