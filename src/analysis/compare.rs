//! Scenario comparison: side-by-side forecasts of several plans and the
//! paired difference of each against the first, with 95% confidence
//! intervals.
//!
//! Every scenario is simulated with the same seed and iterations, and a
//! task's draws depend only on (seed, task id, iteration), so tasks with the
//! same id draw the same durations in every scenario (common random
//! numbers). Iteration `i` of one scenario is therefore paired with
//! iteration `i` of another, and the intervals come from those pairs, which
//! is far tighter than comparing two independent forecasts:
//!
//! - **Mean**: the mean of the paired differences `d_i = b_i - a_i`, with
//!   the normal interval `mean(d) ± 1.96 sd(d) / sqrt(n)`.
//! - **Probability of the target**: the same on the paired indicators
//!   `1[b_i meets] - 1[a_i meets]` (a paired difference of proportions).
//! - **Percentiles (P50/P80/P90)**: sectioning over [`BATCHES`] fixed,
//!   contiguous batches of iterations (Asmussen & Glynn, *Stochastic
//!   Simulation*, 2007, §III.5a). The estimate is the difference of the
//!   full-sample percentiles; its standard error is the spread of the
//!   per-batch differences over `sqrt(BATCHES)`, and the interval uses
//!   Student's t with `BATCHES - 1` degrees of freedom. Batches are fixed
//!   ranges of iteration numbers, so the interval is deterministic for a
//!   seed, like everything else. With fewer than [`MIN_BATCH`] iterations
//!   per batch the percentile intervals are omitted.
//!
//! A scenario compared with itself gives differences of exactly zero, with
//! intervals of zero width.

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::Plan;

use super::percentiles::Sample;
use super::provenance::{Inputs, Provenance, RunBasis};
use super::summary::{FinishDay, finish_day_span, finish_days_between};
use super::target::Target;

/// Batches of iterations for the percentile intervals.
pub const BATCHES: usize = 20;

/// Fewest iterations per batch for a percentile interval.
pub const MIN_BATCH: usize = 50;

/// The 0.975 quantile of the standard normal distribution.
const Z_975: f64 = 1.959_963_984_540_054;

/// The 0.975 quantile of Student's t with `BATCHES - 1 = 19` degrees of
/// freedom.
const T_975_19: f64 = 2.093_024_054_408_263;

/// The percentiles compared.
const LEVELS: [f64; 3] = [0.5, 0.8, 0.9];

/// One scenario to compare: a plan and its simulated project finishes.
#[derive(Debug, Clone)]
pub struct ScenarioInput<'a> {
    /// A short name, e.g. the plan file.
    pub label: &'a str,
    /// The plan simulated.
    pub plan: &'a Plan,
    /// The files it was read from.
    pub files: Inputs,
    /// Project finish per iteration, in iteration order (same seed and
    /// iterations as every other scenario).
    pub project: &'a [f32],
}

/// What every scenario shares.
#[derive(Debug, Clone)]
pub struct CompareInputs<'a> {
    /// The calendar, holidays file, seed and generation time shared by
    /// every scenario.
    pub basis: RunBasis<'a>,
    /// The milestone forecast in every scenario, if any.
    pub milestone: Option<&'a str>,
    /// The date to meet, if asked.
    pub target: Option<Target>,
}

/// An estimated difference and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IntervalEstimate {
    /// The point estimate.
    pub estimate: f64,
    /// Lower end of the 95% interval (`null` when it cannot be computed).
    pub low: Option<f64>,
    /// Upper end of the 95% interval.
    pub high: Option<f64>,
    /// Standard error of the estimate.
    pub standard_error: Option<f64>,
}

impl IntervalEstimate {
    fn new(estimate: f64, se: Option<f64>, crit: f64) -> IntervalEstimate {
        IntervalEstimate {
            estimate,
            low: se.map(|s| estimate - crit * s),
            high: se.map(|s| estimate + crit * s),
            standard_error: se,
        }
    }

    /// The estimate and its interval moved by `d` (an exact shift, such as
    /// the working days between two data dates).
    pub fn shifted(self, d: f64) -> IntervalEstimate {
        IntervalEstimate {
            estimate: self.estimate + d,
            low: self.low.map(|x| x + d),
            high: self.high.map(|x| x + d),
            standard_error: self.standard_error,
        }
    }

    /// Whether the interval excludes zero: the difference is more than
    /// simulation noise.
    pub fn significant(&self) -> bool {
        matches!((self.low, self.high), (Some(l), Some(h)) if l > 0.0 || h < 0.0)
    }
}

/// A scenario minus the first one, paired by iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    /// Difference of the mean project duration, in working days.
    pub mean_days: IntervalEstimate,
    /// Difference of the median duration, in working days.
    pub p50_days: IntervalEstimate,
    /// Difference of the P80 duration, in working days.
    pub p80_days: IntervalEstimate,
    /// Difference of the P90 duration, in working days.
    pub p90_days: IntervalEstimate,
    /// Difference of the probability of meeting the target (`null` without
    /// a target).
    pub probability: Option<IntervalEstimate>,
}

/// Project duration statistics of a scenario, in working days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioDays {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Median.
    pub p50: f64,
    /// 80th percentile.
    pub p80: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// Finish dates of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioDates {
    /// Median finish date.
    pub p50: NaiveDate,
    /// 80th-percentile finish date.
    pub p80: NaiveDate,
    /// 90th-percentile finish date.
    pub p90: NaiveDate,
}

/// One scenario's forecast and its difference from the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    /// Its name.
    pub label: String,
    /// The files it was read from: plan, edges, risks, correlations.
    #[serde(flatten)]
    pub files: Inputs,
    /// Number of tasks.
    pub task_count: usize,
    /// Tasks whose id is also in the first scenario: these draw the same
    /// durations in both (common random numbers).
    pub shared_tasks: usize,
    /// Project duration statistics, in working days.
    pub days: ScenarioDays,
    /// Finish dates.
    pub finish: ScenarioDates,
    /// Share of iterations finishing by the target (`null` without one).
    pub probability: Option<f64>,
    /// Share of iterations finishing on each working day, the same days for
    /// every scenario (from the earliest finish of any to the latest P99.9,
    /// widened to the target): the scenario's S-curve (`cumulative`) and
    /// histogram.
    pub finish_days: Vec<FinishDay>,
    /// This scenario minus the first (`null` for the first).
    pub delta: Option<Delta>,
}

/// How the intervals were computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalMethod {
    /// Confidence level of every interval.
    pub level: f64,
    /// For the mean and the probability.
    pub mean: &'static str,
    /// For the percentiles.
    pub percentiles: &'static str,
    /// Batches of iterations used for the percentiles.
    pub batches: usize,
}

/// A comparison of scenarios: plain serde data behind the terminal table and
/// the JSON and CSV exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Version, iterations per scenario, seed, start, calendar, milestone
    /// and when it was generated (each scenario lists its own files).
    #[serde(flatten)]
    pub run: Provenance,
    /// The date to meet (`null` if none was given).
    pub target: Option<NaiveDate>,
    /// Working days from the start through the target.
    pub target_working_day: Option<u64>,
    /// How the intervals were computed.
    pub interval: IntervalMethod,
    /// The scenarios, the first being the baseline.
    pub scenarios: Vec<ScenarioResult>,
}

/// Per-batch percentiles of a project-finish vector: `BATCHES` rows of
/// [`LEVELS`], or `None` when the batches would be too small.
fn batch_percentiles(x: &[f32]) -> Option<Vec<[f64; 3]>> {
    let n = x.len();
    if n < BATCHES * MIN_BATCH {
        return None;
    }
    Some(
        (0..BATCHES)
            .map(|k| {
                let s = Sample::new(&x[k * n / BATCHES..(k + 1) * n / BATCHES]);
                LEVELS.map(|q| s.quantile(q))
            })
            .collect(),
    )
}

/// Mean and standard error of the mean of `d`, summed in order.
fn mean_se(d: impl Iterator<Item = f64> + Clone) -> (f64, Option<f64>) {
    let n = d.clone().count() as f64;
    let mean = d.clone().sum::<f64>() / n;
    let se = (n > 1.0).then(|| {
        let ss: f64 = d.map(|x| (x - mean).powi(2)).sum();
        (ss / (n - 1.0) / n).sqrt()
    });
    (mean, se)
}

/// The baseline of paired differences: its finishes, their sorted sample
/// and per-batch percentiles.
struct Baseline<'a> {
    project: &'a [f32],
    sample: &'a Sample,
    batches: Option<&'a [[f64; 3]]>,
}

/// `project` (with its sorted `sample`) minus the baseline, paired by
/// iteration.
fn delta_of(base: &Baseline, project: &[f32], sample: &Sample, target: Option<Target>) -> Delta {
    let met = |x: f32| f64::from(u8::from(target.is_some_and(|t| t.met_by(f64::from(x)))));
    let pairs = || base.project.iter().zip(project).map(|(&a, &b)| (a, b));
    let (m, se) = mean_se(pairs().map(|(a, b)| f64::from(b) - f64::from(a)));
    let q = LEVELS.map(|q| sample.quantile(q));
    let base_q = LEVELS.map(|q| base.sample.quantile(q));
    let batches = batch_percentiles(project);
    let pct = |j: usize| {
        let se = match (base.batches, &batches) {
            (Some(a), Some(b)) => mean_se(a.iter().zip(b).map(|(a, b)| b[j] - a[j])).1,
            _ => None,
        };
        IntervalEstimate::new(q[j] - base_q[j], se, T_975_19)
    };
    Delta {
        mean_days: IntervalEstimate::new(m, se, Z_975),
        p50_days: pct(0),
        p80_days: pct(1),
        p90_days: pct(2),
        probability: target.map(|_| {
            let (m, se) = mean_se(pairs().map(|(a, b)| met(b) - met(a)));
            IntervalEstimate::new(m, se, Z_975)
        }),
    }
}

/// `project` minus `base`, paired by iteration (the same seed and
/// iteration count, so common random numbers): the differences of the
/// mean, P50, P80 and P90 with their 95% intervals, and of the chance of
/// `target` when given. The method is the module's.
///
/// # Panics
///
/// If the vectors are empty or of different lengths.
pub fn paired_delta(base: &[f32], project: &[f32], target: Option<Target>) -> Delta {
    paired_deltas(base, &[project], target)
        .pop()
        .expect("one delta per run")
}

/// [`paired_delta`] of each of `projects` against the same `base`, which
/// is sorted and batched once.
///
/// # Panics
///
/// If `base` is empty or a run's length differs from it.
pub fn paired_deltas(base: &[f32], projects: &[&[f32]], target: Option<Target>) -> Vec<Delta> {
    assert!(!base.is_empty(), "no iterations");
    let samples: Vec<Sample> = projects.iter().map(|p| Sample::new(p)).collect();
    paired_deltas_sorted(base, &Sample::new(base), projects, &samples, target)
}

/// [`paired_deltas`] with the sorted samples already made (`base_sample` of
/// `base`, `samples[k]` of `projects[k]`), for a caller that needs them too.
///
/// # Panics
///
/// As [`paired_deltas`], and if `samples` and `projects` differ in length.
pub(super) fn paired_deltas_sorted(
    base: &[f32],
    base_sample: &Sample,
    projects: &[&[f32]],
    samples: &[Sample],
    target: Option<Target>,
) -> Vec<Delta> {
    assert!(!base.is_empty(), "no iterations");
    assert_eq!(projects.len(), samples.len(), "a sample per run");
    let batches = batch_percentiles(base);
    let b = Baseline {
        project: base,
        sample: base_sample,
        batches: batches.as_deref(),
    };
    projects
        .iter()
        .zip(samples)
        .map(|(project, sample)| {
            assert_eq!(base.len(), project.len(), "runs of different lengths");
            delta_of(&b, project, sample, target)
        })
        .collect()
}

/// Compares scenarios against the first.
///
/// Cost: a sort of each project vector and of each of its batches; O(n)
/// per paired difference.
///
/// # Panics
///
/// If there are no scenarios, or their project vectors are empty or of
/// different lengths.
pub fn compare(scenarios: &[ScenarioInput], inputs: &CompareInputs) -> Comparison {
    let base = scenarios.first().expect("at least one scenario");
    let n = base.project.len();
    assert!(n > 0, "no iterations");
    assert!(
        scenarios.iter().all(|s| s.project.len() == n),
        "scenarios simulated with different iteration counts"
    );
    let cal = inputs.basis.calendar;
    let target = inputs.target;
    let base_ids: std::collections::HashSet<&str> =
        base.plan.tasks.iter().map(|t| t.id.as_str()).collect();
    let base_batches = batch_percentiles(base.project);
    let samples: Vec<Sample> = scenarios.iter().map(|s| Sample::new(s.project)).collect();
    let base_sample = &samples[0];
    // One span of days for every scenario's S-curve, so they share an
    // axis, widened to the target's day.
    let spans: Vec<(u64, u64)> = samples.iter().map(finish_day_span).collect();
    let target_day = target.map(|t| t.working_day.max(1));
    let first = spans
        .iter()
        .map(|s| s.0)
        .chain(target_day)
        .min()
        .unwrap_or(1);
    let last = spans
        .iter()
        .map(|s| s.1)
        .chain(target_day)
        .max()
        .unwrap_or(first);
    let results = scenarios
        .iter()
        .zip(&samples)
        .enumerate()
        .map(|(k, (s, sample))| {
            let q = LEVELS.map(|q| sample.quantile(q));
            let delta = (k > 0).then(|| {
                let base = Baseline {
                    project: base.project,
                    sample: base_sample,
                    batches: base_batches.as_deref(),
                };
                delta_of(&base, s.project, sample, target)
            });
            ScenarioResult {
                label: s.label.to_string(),
                files: s.files.clone(),
                task_count: s.plan.tasks.len(),
                shared_tasks: s
                    .plan
                    .tasks
                    .iter()
                    .filter(|t| base_ids.contains(t.id.as_str()))
                    .count(),
                days: ScenarioDays {
                    mean: sample.mean(),
                    std: sample.std(),
                    p50: q[0],
                    p80: q[1],
                    p90: q[2],
                },
                finish: ScenarioDates {
                    p50: cal.finish_date(q[0]),
                    p80: cal.finish_date(q[1]),
                    p90: cal.finish_date(q[2]),
                },
                probability: target.map(|t| t.probability(sample)),
                finish_days: finish_days_between(sample, cal, first, last),
                delta,
            }
        })
        .collect();
    Comparison {
        run: Provenance::new(
            &inputs.basis,
            None,
            n as u64,
            inputs.milestone.map(str::to_string),
        ),
        target: target.map(|t| t.date),
        target_working_day: target.map(|t| t.working_day),
        interval: IntervalMethod {
            level: 0.95,
            mean: "paired differences, normal interval",
            percentiles: "sectioning over fixed batches of iterations, Student t",
            batches: BATCHES,
        },
        scenarios: results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Calendar, parse_plan};

    fn inputs(cal: &Calendar) -> CompareInputs<'_> {
        CompareInputs {
            basis: RunBasis::new(cal, 1),
            milestone: None,
            target: None,
        }
    }

    #[test]
    fn paired_shift_is_exact_and_certain() {
        // b = a + 2 in every iteration: every delta is 2, with zero spread.
        let plan = parse_plan("p.csv", "id,likely\na,1\n", None).unwrap();
        let a: Vec<f32> = (0..2000).map(|i| (i % 97) as f32).collect();
        let b: Vec<f32> = a.iter().map(|x| x + 2.0).collect();
        let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        let sc = |label, project| ScenarioInput {
            label,
            plan: &plan,
            files: Inputs::plan("p.csv"),
            project,
        };
        let c = compare(&[sc("a", &a), sc("b", &b)], &inputs(&cal));
        let d = c.scenarios[1].delta.as_ref().unwrap();
        for e in [d.mean_days, d.p50_days, d.p80_days, d.p90_days] {
            assert!((e.estimate - 2.0).abs() < 1e-9, "{e:?}");
            assert!(e.standard_error.unwrap() < 1e-9, "{e:?}");
            assert!(e.significant());
        }
        assert_eq!(c.scenarios[1].shared_tasks, 1);
        assert!(c.scenarios[0].delta.is_none());
    }

    #[test]
    fn small_runs_omit_percentile_intervals() {
        let plan = parse_plan("p.csv", "id,likely\na,1\n", None).unwrap();
        let a = vec![1.0f32; 100];
        let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        let sc = ScenarioInput {
            label: "a",
            plan: &plan,
            files: Inputs::plan("p.csv"),
            project: &a,
        };
        let c = compare(&[sc.clone(), sc], &inputs(&cal));
        let d = c.scenarios[1].delta.as_ref().unwrap();
        assert_eq!(d.p80_days.low, None);
        assert_eq!(d.mean_days.low, Some(0.0));
    }
}
