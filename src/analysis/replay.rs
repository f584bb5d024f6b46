//! The imported plan replayed deterministically, against the dates the
//! source tool computed and stored in the file: the import's oracle.
//!
//! P6 keeps each activity's early start and finish, MS Project each task's
//! start and finish; scheduling the imported plan at its remaining
//! durations from the data (status) date must give the same dates. Every
//! activity that differs is listed with both dates.

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::engine::deterministic;
use crate::network::Network;
use crate::plan::{Scenario, Status};

/// An activity whose replayed date differs from P6's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayDifference {
    /// Activity id.
    pub id: String,
    /// The source tool's start and finish (P6's early dates, MS Project's
    /// `Start` and `Finish`).
    pub source: (NaiveDate, NaiveDate),
    /// The replayed start and finish.
    pub replayed: (NaiveDate, NaiveDate),
}

/// How the replay compares with P6's own schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    /// Activities compared (not complete, with P6 early dates).
    pub compared: usize,
    /// Of those, the ones whose start and finish dates both match.
    pub matching: usize,
    /// The source tool's scheduled finish of the project.
    pub source_finish: Option<NaiveDate>,
    /// The replayed finish of the whole plan.
    pub replayed_finish: NaiveDate,
    /// Every activity that differs.
    pub differences: Vec<ReplayDifference>,
}

impl Replay {
    /// Share of compared activities whose dates match (1 when none were
    /// compared).
    pub fn share(&self) -> f64 {
        if self.compared == 0 {
            1.0
        } else {
            self.matching as f64 / self.compared as f64
        }
    }
}

/// The date holding time `t` of a plan's time axis from `start`, taken as
/// a finish: the end of day `k` (`t = k + 1`) is on day `k`.
pub fn finish_date(start: NaiveDate, t: f64) -> NaiveDate {
    let day = (t.ceil() - 1.0).max(0.0) as u64;
    start.checked_add_days(Days::new(day)).unwrap_or(start)
}

/// The date holding time `t`, taken as a start: the start of day `k`
/// (`t = k`) is on day `k`.
pub fn start_date(start: NaiveDate, t: f64) -> NaiveDate {
    let day = t.floor().max(0.0) as u64;
    start.checked_add_days(Days::new(day)).unwrap_or(start)
}

/// P6's date of a time it wrote as the end of a day's work (a finish at
/// midnight belongs to the day before).
fn p6_finish_date(at: NaiveDateTime) -> NaiveDate {
    if at.time() == chrono::NaiveTime::MIN {
        at.date().pred_opt().unwrap_or(at.date())
    } else {
        at.date()
    }
}

/// Replays an imported scenario (`None` when it was not imported or its
/// tasks have no calendars).
///
/// Cost: one compile and one deterministic schedule.
pub fn replay(sc: &Scenario) -> Option<Replay> {
    let import = sc.import.as_ref()?;
    let start = sc.plan.calendars.as_ref()?.start;
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    let mut r = Replay {
        compared: 0,
        matching: 0,
        source_finish: import.source_finish.map(p6_finish_date),
        replayed_finish: finish_date(start, det.project),
        differences: Vec::new(),
    };
    let (det_start, det_finish) = as_late_as_possible(sc, &net, &det, import);
    for (t, task) in sc.plan.tasks.iter().enumerate() {
        let Some((es, ef)) = import.source_dates.get(t).copied().flatten() else {
            continue;
        };
        if task.status == Status::Done {
            continue;
        }
        r.compared += 1;
        let p6 = (es.date(), p6_finish_date(ef));
        let fin = finish_date(start, det_finish[t]);
        // A start milestone is dated where work resumes.
        let st = if task.estimate.planned() > 0.0 || task.at_start {
            start_date(start, det_start[t])
        } else {
            fin
        };
        let fin = if task.at_start { st } else { fin };
        // An activity under way started before the data date: only its
        // finish is scheduled.
        let replayed = if task.status == Status::InProgress {
            (p6.0, fin)
        } else {
            (st, fin)
        };
        if replayed == p6 {
            r.matching += 1;
        } else {
            r.differences.push(ReplayDifference {
                id: task.id.clone(),
                source: p6,
                replayed,
            });
        }
    }
    Some(r)
}

/// The deterministic starts and finishes with as-late-as-possible
/// activities moved to the latest time that delays no successor (their
/// free float), successors first.
fn as_late_as_possible(
    sc: &Scenario,
    net: &Network,
    det: &crate::engine::Deterministic,
    import: &crate::plan::xer::ImportReport,
) -> (Vec<f64>, Vec<f64>) {
    let (mut start, mut finish) = (det.start.clone(), det.finish.clone());
    let Some(axis) = net.axis() else {
        return (start, finish);
    };
    let plan = &sc.plan;
    let mut succ: Vec<Vec<(usize, &crate::plan::Link)>> = vec![Vec::new(); plan.tasks.len()];
    for (t, task) in plan.tasks.iter().enumerate() {
        for l in &task.links {
            succ[l.pred].push((t, l));
        }
    }
    for &t in plan.order().iter().rev() {
        if !import.as_late_as_possible.get(t).copied().unwrap_or(false)
            || plan.tasks[t].status != Status::Todo
            || succ[t].is_empty()
        {
            continue;
        }
        let c = net.calendar(net.position(t));
        let d = (axis.work(c, finish[t] as f32) - axis.work(c, start[t] as f32)).max(0.0);
        // The latest finish (in the task's working time) each successor
        // allows, its lag taken on the task's calendar.
        let mut late = f32::INFINITY;
        for &(s, l) in &succ[t] {
            let bound = if l.kind.constrains_start() {
                start[s]
            } else {
                finish[s]
            };
            let w = axis.work(c, bound as f32) - l.lag as f32;
            late = late.min(if l.kind.from_finish() { w } else { w + d });
        }
        let early = axis.work(c, finish[t] as f32);
        if late > early {
            finish[t] = f64::from(axis.finish(c, late));
            start[t] = f64::from(axis.begin(c, late - d));
        }
    }
    (start, finish)
}
