//! Which tasks move the finish: cruciality, rank sensitivity and the
//! schedule sensitivity index (Vanhoucke, "Measuring Time", 2010).
//!
//! - *Cruciality*: Pearson correlation of a task's duration (risk delays
//!   included) with the project duration, from exact streaming sums over
//!   every iteration.
//! - *Duration sensitivity*: Spearman rank correlation of the same pair. The
//!   task's durations are regenerated from the seed in a second pass (never
//!   stored for all tasks at once) and ranked against the stored project
//!   durations, over the first [`SensitivityOptions::iterations`] iterations.
//! - *SSI*: criticality x (task standard deviation / project standard
//!   deviation).

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{Outcomes, Regenerator};
use crate::network::{Network, Sampler};

/// Per-task sensitivity measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSensitivity {
    /// Mean simulated duration (risk delays included), working days.
    pub mean: f64,
    /// Standard deviation of the simulated duration.
    pub std: f64,
    /// Pearson correlation with the project duration (`None`: the task's
    /// duration never varies).
    pub cruciality: Option<f64>,
    /// Spearman rank correlation with the project duration.
    pub spearman: Option<f64>,
    /// Schedule sensitivity index: criticality x std / project std.
    pub ssi: f64,
}

/// How much of the run the rank pass uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensitivityOptions {
    /// Iterations ranked (the first this many; at most all of them). The
    /// standard error of a rank correlation is below `1 / sqrt(iterations)`.
    pub iterations: usize,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            iterations: 200_000,
        }
    }
}

/// Mid-ranks (1-based; ties share the mean of their ranks) of non-negative
/// values, as `f64`. Cost: one sort of `n` 64-bit keys.
pub fn mid_ranks(values: &[f32]) -> Vec<f64> {
    let mut keys = sort_keys(values);
    keys.sort_unstable();
    let mut ranks = vec![0.0; values.len()];
    for_runs(&keys, |idx, r| ranks[idx] = r);
    ranks
}

fn sort_keys(values: &[f32]) -> Vec<u64> {
    // `+ 0.0` turns -0.0 into 0.0; non-negative floats order as their bits.
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (u64::from((v + 0.0).to_bits()) << 32) | i as u64)
        .collect()
}

/// Calls `f(index, mid_rank)` for every key of a sorted key list.
fn for_runs(keys: &[u64], mut f: impl FnMut(usize, f64)) {
    let mut i = 0;
    while i < keys.len() {
        let v = keys[i] >> 32;
        let mut j = i + 1;
        while j < keys.len() && keys[j] >> 32 == v {
            j += 1;
        }
        // Ranks i+1 ..= j share their mean.
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &keys[i..j] {
            f((k & 0xffff_ffff) as usize, r);
        }
        i = j;
    }
}

/// Spearman correlation of `x` with the variable whose mid-ranks are `ry`.
fn spearman(x: &[f32], ry: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let mut keys = sort_keys(x);
    keys.sort_unstable();
    let (mut sxy, mut sxx) = (0.0f64, 0.0f64);
    for_runs(&keys, |idx, r| {
        let dx = r - mean;
        sxy += dx * (ry[idx] - mean);
        sxx += dx * dx;
    });
    let syy: f64 = ry.iter().map(|r| (r - mean) * (r - mean)).sum();
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Computes every task's sensitivity measures (plan order).
///
/// Multi-threaded over tasks. Memory: O(iterations ranked) per thread.
///
/// # Panics
///
/// If `outcomes` lacks moments or criticality (simulate with both).
pub fn sensitivity(
    net: &Network,
    outcomes: &Outcomes,
    opts: SensitivityOptions,
) -> Vec<TaskSensitivity> {
    let m = outcomes.moments.as_ref().expect("simulate with moments");
    let crit = outcomes
        .critical
        .as_ref()
        .expect("simulate with criticality");
    let n = outcomes.iterations as f64;
    let var = |s: f64, ss: f64| ((ss - s * s / n) / (n - 1.0)).max(0.0);
    let sd_y = var(m.sum_y, m.sum_yy).sqrt();
    let ranked = opts.iterations.min(outcomes.project.len());
    let ry = mid_ranks(&outcomes.project[..ranked]);
    (0..net.len())
        .into_par_iter()
        .map_init(
            || (Regenerator::new(net, outcomes.seed), vec![0f32; ranked]),
            |(regen, buf), t| {
                let sd_x = var(m.sum_x[t], m.sum_xx[t]).sqrt();
                let cov = (m.sum_xy[t] - m.sum_x[t] * m.sum_y / n) / (n - 1.0);
                let varies = sd_x > 0.0 && sd_y > 0.0;
                let pos = net.position(t);
                let constant =
                    matches!(net.sampler(pos), Sampler::Fixed(_)) && net.task_risks(pos).is_empty();
                let spearman = if constant || !varies {
                    None
                } else {
                    regen.task(t, buf);
                    spearman(buf, &ry)
                };
                TaskSensitivity {
                    mean: m.shift_x[t] + m.sum_x[t] / n,
                    std: sd_x,
                    cruciality: varies.then(|| (cov / (sd_x * sd_y)).clamp(-1.0, 1.0)),
                    spearman,
                    ssi: if sd_y > 0.0 {
                        crit[t] as f64 / n * sd_x / sd_y
                    } else {
                        0.0
                    },
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_ranks_share_ties() {
        assert_eq!(
            mid_ranks(&[3.0, 1.0, 3.0, 2.0, 0.0, -0.0]),
            vec![5.5, 3.0, 5.5, 4.0, 1.5, 1.5]
        );
    }

    #[test]
    fn spearman_of_monotone_maps_is_one() {
        let x: Vec<f32> = (0..100).map(|i| ((i * 37) % 100) as f32).collect();
        let y: Vec<f32> = x.iter().map(|v| v * v + 1.0).collect();
        let r = spearman(&x, &mid_ranks(&y)).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        let y: Vec<f32> = x.iter().map(|v| 100.0 - v).collect();
        let r = spearman(&x, &mid_ranks(&y)).unwrap();
        assert!((r + 1.0).abs() < 1e-12);
    }
}
