//! The forecast: what the draws mean, as plain serde data.
//!
//! [`Forecast`] is the canonical result; JSON is its direct serialisation and
//! every other output (terminal, CSV, charts) is a view of it. Times are in
//! working days from the start; dates follow the plan's calendar.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{Deterministic, Outcomes};
use crate::network::Network;
use crate::plan::{Calendar, Plan};

use super::percentiles::{Sample, histogram_quantile};
use super::spread::duration_std;

/// The percentiles reported in `duration` and `finish`.
pub const HEADLINE: [u32; 4] = [10, 50, 80, 90];

/// A forecast of when a plan finishes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The slipcast version that made it.
    pub version: String,
    /// The plan file.
    pub plan: String,
    /// The edges file merged into the plan, if any.
    pub edges: Option<String>,
    /// Iterations simulated.
    pub iterations: u64,
    /// Seed of the random draws: the same plan, options and seed give the
    /// same forecast.
    pub seed: u64,
    /// Working day 1 is the first working day on or after this date.
    pub start: NaiveDate,
    /// The calendar used.
    pub calendar: CalendarInfo,
    /// The task whose finish is forecast (`null`: the whole plan).
    pub milestone: Option<String>,
    /// Number of tasks in the plan.
    pub task_count: usize,
    /// Project duration in working days from the start.
    pub duration: DurationStats,
    /// Finish dates at the headline percentiles.
    pub finish: FinishDates,
    /// The deterministic (CPM) schedule on likely durations, and the chance
    /// of meeting it.
    pub deterministic: DeterministicSummary,
    /// P1 to P99 of the project duration and finish date.
    pub percentiles: Vec<PercentileRow>,
    /// Share of iterations finishing on each working day, from the day of the
    /// earliest simulated finish to the day of P99.9, widened to include the
    /// plan date: the histogram and S-curve of the finish date.
    pub finish_days: Vec<FinishDay>,
    /// Per-task results, in plan order.
    pub tasks: Vec<TaskSummary>,
}

/// The calendar a forecast used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarInfo {
    /// Worked weekdays, e.g. `Mon-Fri`.
    pub workdays: String,
    /// The holidays skipped.
    pub holidays: Vec<NaiveDate>,
    /// The holidays file, if any.
    pub holidays_file: Option<String>,
}

/// Statistics of the project duration, in working days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationStats {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Shortest iteration.
    pub min: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 80th percentile.
    pub p80: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Longest iteration.
    pub max: f64,
}

/// Finish dates at the headline percentiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinishDates {
    /// 10% of iterations finish by this date.
    pub p10: NaiveDate,
    /// Half of the iterations finish by this date.
    pub p50: NaiveDate,
    /// 80% of iterations finish by this date.
    pub p80: NaiveDate,
    /// 90% of iterations finish by this date.
    pub p90: NaiveDate,
}

/// The schedule a naive plan promises, and how likely it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeterministicSummary {
    /// Project duration on likely durations, in working days.
    pub duration: f64,
    /// Its finish date.
    pub finish: NaiveDate,
    /// Share of iterations finishing on or before that date.
    pub probability: f64,
    /// Task ids on its critical path, in schedule order.
    pub critical_path: Vec<String>,
}

/// One percentile of the project finish.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PercentileRow {
    /// The percentile (1 to 99).
    pub percent: u32,
    /// Working days from the start.
    pub duration: f64,
    /// The finish date.
    pub finish: NaiveDate,
}

/// The share of iterations finishing on one working day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinishDay {
    /// Working day number (1 is the start date).
    pub day: u64,
    /// Its date.
    pub date: NaiveDate,
    /// Share of iterations finishing on this day.
    pub share: f64,
    /// Share of iterations finishing on or before this day.
    pub cumulative: f64,
}

/// Per-task results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSummary {
    /// Task id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owning team.
    pub team: Option<String>,
    /// Status (`todo`, `in_progress`, `done`).
    pub status: String,
    /// Distribution name.
    pub dist: String,
    /// Mean duration (remaining, for in-progress tasks), in working days.
    pub mean_duration: f64,
    /// Standard deviation of the duration (remaining, for in-progress
    /// tasks), in working days, from the estimate's distribution.
    pub std_duration: f64,
    /// Share of iterations in which the task is on the critical path.
    pub criticality: f64,
    /// Whether it is on the deterministic critical path.
    pub on_plan_critical_path: bool,
    /// Finish in the deterministic schedule.
    pub planned_finish: NaiveDate,
    /// Simulated finish dates.
    pub finish: TaskFinish,
}

/// A task's simulated finish dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskFinish {
    /// 10th-percentile finish date.
    pub p10: NaiveDate,
    /// Median finish date.
    pub p50: NaiveDate,
    /// 80th-percentile finish date.
    pub p80: NaiveDate,
    /// 90th-percentile finish date.
    pub p90: NaiveDate,
}

/// What the forecast was run with, beyond the plan itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastInputs<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The edges file, if any.
    pub edges: Option<String>,
    /// The calendar.
    pub calendar: &'a Calendar,
    /// The holidays file, if any.
    pub holidays_file: Option<String>,
    /// Plan index of the milestone, if any.
    pub milestone: Option<usize>,
}

/// Turns simulation outcomes into a forecast.
///
/// # Panics
///
/// If `outcomes` lacks criticality or finish-day tallies (simulate with
/// [`crate::engine::SimOptions::full`]).
pub fn summarize(
    inputs: &ForecastInputs,
    net: &Network,
    outcomes: &Outcomes,
    det: &Deterministic,
) -> Forecast {
    let cal = inputs.calendar;
    let plan = inputs.plan;
    let sample = Sample::new(&outcomes.project);
    let day = |q: f64| cal.finish_date(sample.quantile(q));
    let det_day = Calendar::day_of(det.project);
    let critical = outcomes
        .critical
        .as_ref()
        .expect("simulate with criticality");
    let days = outcomes
        .finish_days
        .as_ref()
        .expect("simulate with task finish days");
    let n = outcomes.iterations as f64;
    let mut path: Vec<usize> = (0..plan.tasks.len()).filter(|&t| det.critical[t]).collect();
    path.sort_by(|&a, &b| {
        det.start[a]
            .total_cmp(&det.start[b])
            .then(det.finish[a].total_cmp(&det.finish[b]))
            .then(net.position(a).cmp(&net.position(b)))
    });
    let tasks = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            let q = |q| {
                cal.workday(histogram_quantile(
                    &days.counts[t],
                    days.first_day[t],
                    days.width,
                    q,
                ))
            };
            TaskSummary {
                id: task.id.clone(),
                name: task.name.clone(),
                team: task.team.clone(),
                status: task.status.to_string(),
                dist: task.estimate.kind().to_string(),
                mean_duration: task.estimate.mean(),
                std_duration: duration_std(&task.estimate),
                criticality: critical[t] as f64 / n,
                on_plan_critical_path: det.critical[t],
                planned_finish: cal.finish_date(det.finish[t]),
                finish: TaskFinish {
                    p10: q(0.1),
                    p50: q(0.5),
                    p80: q(0.8),
                    p90: q(0.9),
                },
            }
        })
        .collect();
    Forecast {
        version: env!("CARGO_PKG_VERSION").to_string(),
        plan: plan.source.clone(),
        edges: inputs.edges.clone(),
        iterations: outcomes.iterations,
        seed: outcomes.seed,
        start: cal.start(),
        calendar: CalendarInfo {
            workdays: cal.workdays_text(),
            holidays: cal.holidays().iter().copied().collect(),
            holidays_file: inputs.holidays_file.clone(),
        },
        milestone: inputs.milestone.map(|m| plan.tasks[m].id.clone()),
        task_count: plan.tasks.len(),
        duration: DurationStats {
            mean: sample.mean(),
            std: sample.std(),
            min: sample.min(),
            p10: sample.quantile(0.1),
            p50: sample.quantile(0.5),
            p80: sample.quantile(0.8),
            p90: sample.quantile(0.9),
            max: sample.max(),
        },
        finish: FinishDates {
            p10: day(0.1),
            p50: day(0.5),
            p80: day(0.8),
            p90: day(0.9),
        },
        deterministic: DeterministicSummary {
            duration: det.project,
            finish: cal.workday(det_day),
            probability: sample.share_by_day(det_day),
            critical_path: path.iter().map(|&t| plan.tasks[t].id.clone()).collect(),
        },
        percentiles: (1..=99)
            .map(|p| {
                let d = sample.quantile(f64::from(p) / 100.0);
                PercentileRow {
                    percent: p,
                    duration: d,
                    finish: cal.finish_date(d),
                }
            })
            .collect(),
        finish_days: finish_days(&sample, cal, det_day),
        tasks,
    }
}

/// The finish-date histogram: one [`FinishDay`] per working day from the
/// earliest simulated finish to P99.9, widened to include `plan_day`.
///
/// Cost: O(days x log iterations).
fn finish_days(sample: &Sample, cal: &Calendar, plan_day: u64) -> Vec<FinishDay> {
    let first = Calendar::day_of(sample.min()).min(plan_day);
    let last = Calendar::day_of(sample.quantile(0.999)).max(plan_day);
    let mut before = if first > 1 {
        sample.share_by_day(first - 1)
    } else {
        0.0
    };
    (first..=last)
        .map(|day| {
            let cumulative = sample.share_by_day(day);
            let share = cumulative - before;
            before = cumulative;
            FinishDay {
                day,
                date: cal.workday(day),
                share,
                cumulative,
            }
        })
        .collect()
}
