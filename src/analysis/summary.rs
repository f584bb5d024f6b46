//! The forecast: what the draws mean, as plain serde data.
//!
//! [`Forecast`] is the canonical result; JSON is its direct serialisation and
//! every other output (terminal, CSV, charts) is a view of it. Times are in
//! working days from the start (for a plan whose tasks keep their own
//! calendars, calendar days from its data date: `run.calendar.task_calendars`
//! names them); dates follow the plan's calendar.

use super::capacity::CapacityFindings;
use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{Deterministic, Outcomes};
use crate::plan::Risk;

use super::drivers::{Driver, DriverGap};
use super::precision::Precision;
use super::sensitivity::TaskSensitivity;
use crate::network::Network;
use crate::plan::{Calendar, Plan, Scenario, Status, TeamRule};

use super::provenance::{Inputs, Provenance, RunBasis};

use super::percentiles::{Sample, task_percentiles};
use super::spread::duration_std;
use super::start_milestones::{is_start_milestone, start_day, start_milestone_days};
use super::target::{ConfidenceAnswer, TargetAnswer};

/// The percentiles reported in `duration` and `finish`.
pub const HEADLINE: [u32; 4] = [10, 50, 80, 90];

/// A forecast of when a plan finishes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Version, input files, iterations, seed, start, calendar, milestone
    /// and when it was generated.
    #[serde(flatten)]
    pub run: Provenance,
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
    /// How precise the headline percentiles are: their 95% confidence
    /// intervals from the Monte Carlo sample.
    pub intervals: HeadlineIntervals,
    /// Share of iterations finishing on each working day, from the day of the
    /// earliest simulated finish to the day of P99.9, widened to include the
    /// plan date: the histogram and S-curve of the finish date.
    pub finish_days: Vec<FinishDay>,
    /// Per-task results, in plan order.
    pub tasks: Vec<TaskSummary>,
    /// Iterations behind each task's finish dates (the first ones of the
    /// run; criticality counts every iteration).
    pub task_date_iterations: u64,
    /// With `--target`: the probability of finishing by that date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetAnswer>,
    /// With `--confidence`: the finish date at that confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<ConfidenceAnswer>,
    /// The risks of the register, as simulated (empty without one).
    pub risk_register: Vec<RiskSummary>,
    /// The correlations used, if any.
    pub correlation: Option<CorrelationSummary>,
    /// Iterations behind each task's sensitivity measures (cruciality,
    /// SSI, rank sensitivity): the first this many (0: not computed).
    pub sensitivity_iterations: u64,
    /// What drives the finish, largest P80 effect first (empty when not
    /// computed).
    pub drivers: Vec<Driver>,
    /// Iterations per driver rerun (0: not computed).
    pub driver_iterations: u64,
    /// With drivers: the days from the plan date to P80, split between the
    /// drivers (the sum of their `p80_days`) and the rest, "other, incl.
    /// merge bias" (left out of the JSON without drivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_gap: Option<DriverGap>,
    /// How the iteration count was chosen, when `--precision` asked for one.
    pub precision: Option<Precision>,
    /// With team capacity (`--teams`): what each team's queue and the
    /// unplanned work cost at P80 (left out of the JSON without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityFindings>,
}

/// A risk of the register, as used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskSummary {
    /// Risk id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chance of firing per iteration.
    pub probability: f64,
    /// Mean delay when it fires, in working days.
    pub mean_impact: f64,
    /// Ids of the tasks it delays.
    pub affects: Vec<String>,
}

/// The correlations used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationSummary {
    /// Ids of the correlated tasks.
    pub tasks: Vec<String>,
    /// The rules given (`team=0.6`, ...) and the pairs file, in words.
    pub sources: Vec<String>,
    /// Whether each team shares one factor (the fast form).
    pub one_factor: bool,
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

/// 95% confidence intervals of the headline percentiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadlineIntervals {
    /// The confidence level (0.95).
    pub level: f64,
    /// Interval of P10.
    pub p10: Interval,
    /// Interval of P50.
    pub p50: Interval,
    /// Interval of P80.
    pub p80: Interval,
    /// Interval of P90.
    pub p90: Interval,
}

/// A confidence interval of a percentile, in working days and dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end, working days.
    pub low: f64,
    /// Upper end, working days.
    pub high: f64,
    /// Half the width: the "±" of the percentile.
    pub half_width: f64,
    /// Lower end as a date.
    pub low_date: NaiveDate,
    /// Upper end as a date.
    pub high_date: NaiveDate,
}

impl HeadlineIntervals {
    /// The intervals of P10, P50, P80 and P90 of `sample`.
    pub fn of(sample: &Sample, cal: &Calendar, level: f64) -> HeadlineIntervals {
        let iv = |q| {
            let (low, high) = sample.quantile_interval(q, level);
            Interval {
                low,
                high,
                half_width: (high - low) / 2.0,
                low_date: cal.finish_date(low),
                high_date: cal.finish_date(high),
            }
        };
        HeadlineIntervals {
            level,
            p10: iv(0.1),
            p50: iv(0.5),
            p80: iv(0.8),
            p90: iv(0.9),
        }
    }

    /// The widest half-width of P50, P80 and P90 (what `--precision` bounds).
    pub fn worst_half_width(&self) -> f64 {
        self.p50
            .half_width
            .max(self.p80.half_width)
            .max(self.p90.half_width)
    }
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
    /// Its WBS path, for a task imported from a P6 file with one: the WBS
    /// elements' short names from the project down, joined by dots (left
    /// out of the JSON otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wbs: Option<String>,
    /// Status (`todo`, `in_progress`, `done`).
    pub status: Status,
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
    /// Mean simulated duration, risk delays included (when sensitivity was
    /// computed).
    pub simulated_mean: Option<f64>,
    /// Standard deviation of the simulated duration, risk delays included.
    pub simulated_std: Option<f64>,
    /// Cruciality: Pearson correlation of the task's duration with the
    /// project duration.
    pub cruciality: Option<f64>,
    /// Duration sensitivity: Spearman rank correlation of the task's
    /// duration with the project duration.
    pub sensitivity: Option<f64>,
    /// Schedule sensitivity index: criticality x task std / project std.
    pub ssi: Option<f64>,
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

/// What a forecast is run with, beyond its draws: the plan and its risk
/// register, the correlations, the files they came from, the calendar and
/// seed, and the milestone.
#[derive(Debug, Clone)]
pub struct ForecastInputs<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The risk register simulated (empty without one).
    pub risks: &'a [Risk],
    /// The correlations simulated, if any.
    pub correlation: Option<CorrelationSummary>,
    /// The files read.
    pub files: Inputs,
    /// Calendar, seed and generation time.
    pub basis: RunBasis<'a>,
    /// Plan index of the milestone, if any.
    pub milestone: Option<usize>,
    /// Per task, its WBS path (empty: none), for a plan imported with one.
    pub wbs: Option<&'a [String]>,
}

impl<'a> ForecastInputs<'a> {
    /// A plan alone (no risks, correlations or milestone) on `basis`.
    pub fn new(plan: &'a Plan, basis: RunBasis<'a>) -> ForecastInputs<'a> {
        ForecastInputs {
            plan,
            risks: &[],
            correlation: None,
            files: Inputs::plan(plan.source.clone()),
            basis,
            milestone: None,
            wbs: None,
        }
    }

    /// A scenario: its plan, risks, correlations, files and milestone.
    pub fn of(sc: &'a Scenario, basis: RunBasis<'a>) -> ForecastInputs<'a> {
        let correlation = sc.correlation.as_ref().map(|c| {
            let mut sources: Vec<String> = sc.sources.correlate.iter().map(rule_text).collect();
            sources.extend(
                sc.sources
                    .correlations
                    .as_ref()
                    .map(|p| p.display().to_string()),
            );
            CorrelationSummary {
                tasks: c
                    .tasks
                    .iter()
                    .map(|&t| sc.plan.tasks[t].id.clone())
                    .collect(),
                sources,
                one_factor: c.teams.is_some(),
            }
        });
        ForecastInputs {
            plan: &sc.plan,
            risks: &sc.risks,
            correlation,
            files: Inputs::of(sc),
            basis,
            milestone: sc.milestone,
            wbs: sc
                .import
                .as_ref()
                .map(|i| i.wbs.as_slice())
                .filter(|w| w.len() == sc.plan.tasks.len() && w.iter().any(|p| !p.is_empty())),
        }
    }

    /// The header of a result of `iterations` made from these inputs.
    pub fn provenance(&self, iterations: u64) -> Provenance {
        Provenance::new(
            &self.basis,
            Some(self.files.clone()),
            iterations,
            self.milestone.map(|m| self.plan.tasks[m].id.clone()),
        )
    }
}

/// A team correlation rule as given: `team=0.6`, `team:api=0.8`.
fn rule_text(r: &TeamRule) -> String {
    match r {
        TeamRule::AllTeams(x) => format!("team={x}"),
        TeamRule::Team(t, x) => format!("team:{t}={x}"),
    }
}

/// What the passes after the simulation found, for [`summarize_sample`]:
/// each is left out (`None`, empty) when it was not run.
#[derive(Debug, Clone, Default)]
pub struct Findings<'a> {
    /// The answer to `--target`.
    pub target: Option<TargetAnswer>,
    /// The answer to `--confidence`.
    pub confidence: Option<ConfidenceAnswer>,
    /// How the iteration count was chosen, when a precision asked for one.
    pub precision: Option<Precision>,
    /// Per-task sensitivity (plan order) and the iterations ranked.
    pub sensitivity: Option<(&'a [TaskSensitivity], u64)>,
    /// What drives the finish, and the iterations per driver rerun.
    pub drivers: Option<(Vec<Driver>, u64)>,
    /// What team capacity costs, with capacity.
    pub capacity: Option<CapacityFindings>,
}

/// Turns simulation outcomes into a forecast, with no passes beyond the
/// simulation.
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
    let sample = Sample::new(&outcomes.project);
    summarize_sample(inputs, net, outcomes, &sample, det, Findings::default())
}

/// The forecast of `outcomes` with what the later passes found, built in
/// one go; the project sample is passed in sorted, for callers that use it
/// again (one sort of the iterations instead of two).
///
/// Cost: with task calendars and start milestones, one more schedule of the
/// iterations behind the per-task dates, to date the milestones where work
/// resumes ([`start_milestone_days`]).
///
/// # Panics
///
/// As [`summarize`]; `sample` must be `Sample::new(&outcomes.project)`.
pub fn summarize_sample(
    inputs: &ForecastInputs,
    net: &Network,
    outcomes: &Outcomes,
    sample: &Sample,
    det: &Deterministic,
    findings: Findings,
) -> Forecast {
    let cal = inputs.basis.calendar;
    let plan = inputs.plan;
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
    let (sens, sensitivity_iterations) = findings.sensitivity.unwrap_or((&[], 0));
    let levels = [0.1, 0.5, 0.8, 0.9];
    let finish_table = task_percentiles(days, &levels);
    // Start milestones are dated where work resumes, from their times.
    let starts = start_milestone_days(plan, net, outcomes.seed, days.iterations, &levels);
    let tasks = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            let q = |k: usize| {
                cal.workday(match &starts[t] {
                    Some(days) => days[k],
                    None => finish_table[[t, k]],
                })
            };
            let planned_finish = if is_start_milestone(plan, t) {
                cal.workday(start_day(det.finish[t]))
            } else {
                cal.finish_date(det.finish[t])
            };
            let s = sens.get(t);
            TaskSummary {
                id: task.id.clone(),
                name: task.name.clone(),
                team: task.team.clone(),
                wbs: inputs
                    .wbs
                    .and_then(|w| w.get(t))
                    .filter(|p| !p.is_empty())
                    .cloned(),
                status: task.status,
                dist: task.estimate.kind().to_string(),
                mean_duration: task.estimate.mean(),
                std_duration: duration_std(&task.estimate),
                criticality: critical[t] as f64 / n,
                on_plan_critical_path: det.critical[t],
                planned_finish,
                finish: TaskFinish {
                    p10: q(0),
                    p50: q(1),
                    p80: q(2),
                    p90: q(3),
                },
                simulated_mean: s.map(|s| s.mean),
                simulated_std: s.map(|s| s.std),
                cruciality: s.and_then(|s| s.cruciality),
                sensitivity: s.and_then(|s| s.spearman),
                ssi: s.map(|s| s.ssi),
            }
        })
        .collect();
    let (drivers, driver_iterations) = findings.drivers.unwrap_or_default();
    let driver_gap =
        (!drivers.is_empty()).then(|| DriverGap::new(&drivers, sample.quantile(0.8), det.project));
    Forecast {
        run: inputs.provenance(outcomes.iterations),
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
        finish_days: finish_days(sample, cal, det_day),
        intervals: HeadlineIntervals::of(sample, cal, 0.95),
        tasks,
        task_date_iterations: days.iterations,
        target: findings.target,
        confidence: findings.confidence,
        risk_register: inputs
            .risks
            .iter()
            .map(|r| RiskSummary {
                id: r.id.clone(),
                name: r.name.clone(),
                probability: r.probability,
                mean_impact: r.impact.mean(),
                affects: r
                    .affects
                    .iter()
                    .map(|&t| plan.tasks[t].id.clone())
                    .collect(),
            })
            .collect(),
        correlation: inputs.correlation.clone(),
        sensitivity_iterations,
        drivers,
        driver_iterations,
        driver_gap,
        precision: findings.precision,
        capacity: findings.capacity,
    }
}

/// The finish-date histogram: one [`FinishDay`] per working day from the
/// earliest simulated finish to P99.9, widened to include `plan_day`.
///
/// Cost: O(days x log iterations).
fn finish_days(sample: &Sample, cal: &Calendar, plan_day: u64) -> Vec<FinishDay> {
    let first = Calendar::day_of(sample.min()).min(plan_day);
    let last = Calendar::day_of(sample.quantile(0.999)).max(plan_day);
    finish_days_between(sample, cal, first, last)
}

/// The working days a histogram of `sample` shows by default: from its
/// earliest finish to its P99.9.
pub(super) fn finish_day_span(sample: &Sample) -> (u64, u64) {
    (
        Calendar::day_of(sample.min()),
        Calendar::day_of(sample.quantile(0.999)),
    )
}

/// One [`FinishDay`] of `sample` per working day from `first` to `last`.
///
/// Cost: O(days x log iterations).
pub(super) fn finish_days_between(
    sample: &Sample,
    cal: &Calendar,
    first: u64,
    last: u64,
) -> Vec<FinishDay> {
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
