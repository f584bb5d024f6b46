//! Which tasks move the finish: cruciality, rank sensitivity and the
//! schedule sensitivity index (Vanhoucke, "Measuring Time", 2010).
//!
//! Every measure is over the first [`SensitivityOptions::iterations`]
//! iterations (`n`, 100,000 by default; the forecast simulates the moments
//! over the same iterations), except the criticality in SSI, which counts
//! every iteration. At the default `n` a correlation's Monte Carlo error,
//! about `(1 - rho^2) / sqrt n`, is at most 0.0032: below the two decimals
//! reports show.
//!
//! - *Cruciality*: Pearson correlation of a task's duration (risk delays
//!   included) with the project duration, from streaming sums (see
//!   [`crate::engine::Moments`]; their rounding is tested to stay below
//!   1e-6 of a correlation).
//! - *SSI*: criticality x (task standard deviation / project standard
//!   deviation), from the same sums and the critical counts.
//! - *Duration sensitivity*: Spearman rank correlation of the same pair,
//!   against the mid-ranks `r_y` of their project durations (computed once,
//!   exactly).
//!   - A task with risks (its duration is the sampled one plus delays) is
//!     ranked exactly: its durations are regenerated from the seed and
//!     radix-sorted with `r_y`, O(n) per task.
//!   - Any other task's duration is a non-decreasing function of one
//!     uniform `u` (every sampler is an inverse CDF; a correlated task's `u`
//!     comes from the copula), so its rank among the `n` draws is `n u` up
//!     to the uniforms' empirical-CDF error, O(sqrt n). Its Spearman
//!     correlation is *estimated* as the Pearson correlation of `u` with
//!     `r_y`, from sums of `u`, `u^2` and `u r_y` accumulated for all such
//!     tasks in one pass that redraws only their uniforms
//!     ([`crate::engine::uniform_sums`]). The estimate minus the exact
//!     sample Spearman correlation has standard deviation at most
//!     `sqrt(3 (1 - rho^2) / n) / pi` (0.0017 at the default n = 100,000;
//!     the derivation is in the test that bounds it, in `tests/drivers.rs`),
//!     plus O(1/n); measured on random plans with correlations, at most
//!     4e-4. For comparison, the exact value is itself uncertain by about
//!     `(1 - rho^2) / sqrt n` as an estimate of the task's rank correlation
//!     (0.0032 at rho = 0). Where two draws give the same duration
//!     (`f32` rounding) the exact ranks tie and share a mid-rank; their
//!     uniforms still order them.
//!   - A task whose duration never varies has none.

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{Outcomes, Regenerator, uniform_sums};
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
            iterations: 100_000,
        }
    }
}

/// Mid-ranks (1-based; ties share the mean of their ranks) of non-negative
/// values, as `f64`. Cost: one radix sort of `n` 64-bit keys.
pub fn mid_ranks(values: &[f32]) -> Vec<f64> {
    let mut keys = sort_keys(values);
    // Keys are distinct (each holds its index): any sort gives the same order.
    radsort::sort(&mut keys);
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
///
/// `x` is sorted together with `ry` (a radix sort of `(x bits, ry)` pairs),
/// so the ranks of `x` meet their partners without random access.
/// Cost: O(n), with two scratch buffers of `n` pairs.
fn spearman(x: &[f32], ry: &[f32], syy: f64, scratch: &mut Scratch) -> Option<f64> {
    let n = x.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let pairs = radix_sort_pairs(x, ry, scratch);
    let (mut sxy, mut sxx) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < pairs.len() {
        let v = pairs[i] >> 32;
        let mut j = i + 1;
        while j < pairs.len() && pairs[j] >> 32 == v {
            j += 1;
        }
        // Ranks i+1 ..= j share their mean.
        let dx = (i + 1 + j) as f64 / 2.0 - mean;
        let sy: f64 = pairs[i..j]
            .iter()
            .map(|&p| f64::from(f32::from_bits(p as u32)) - mean)
            .sum();
        sxy += dx * sy;
        sxx += dx * dx * (j - i) as f64;
        i = j;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// `sum (r - mean)^2` of mid-ranks `ry`.
fn rank_ss(ry: &[f32]) -> f64 {
    let mean = (ry.len() as f64 + 1.0) / 2.0;
    ry.iter().map(|&r| (f64::from(r) - mean).powi(2)).sum()
}

/// Reusable buffers of a radix sort.
#[derive(Debug, Default)]
struct Scratch {
    a: Vec<u64>,
    b: Vec<u64>,
}

/// Sorts `(key, payload)` pairs packed as `key << 32 | payload bits` by key:
/// an LSD radix sort, three passes of 11 bits, skipping passes in which
/// every key has the same digit. Keys are the bits of non-negative `f32`s,
/// which order as the floats do.
fn radix_sort_pairs<'s>(keys: &[f32], payload: &[f32], s: &'s mut Scratch) -> &'s [u64] {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    s.a.clear();
    s.a.extend(
        keys.iter()
            .zip(payload)
            .map(|(&k, &p)| (u64::from((k + 0.0).to_bits()) << 32) | u64::from(p.to_bits())),
    );
    s.b.resize(s.a.len(), 0);
    let mut counts = [[0usize; BUCKETS]; 3];
    for &x in &s.a {
        let k = (x >> 32) as u32;
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (BITS * d as u32)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    let n = s.a.len();
    for (d, c) in counts.iter_mut().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut sum = 0;
        for k in c.iter_mut() {
            let here = *k;
            *k = sum;
            sum += here;
        }
        let shift = 32 + BITS * d as u32;
        for &x in &s.a {
            let b = ((x >> shift) as usize) & (BUCKETS - 1);
            s.b[c[b]] = x;
            c[b] += 1;
        }
        std::mem::swap(&mut s.a, &mut s.b);
    }
    &s.a
}

/// How a task's rank sensitivity is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    /// None: the task's duration never varies.
    Constant,
    /// Estimated from its uniforms (no risks: a non-decreasing function of
    /// one uniform).
    Uniform,
    /// Regenerated and ranked (risk delays added to the sampled duration).
    Exact,
}

/// Computes every task's sensitivity measures (plan order).
///
/// Mean, standard deviation, cruciality and SSI come from the run's
/// moments (over the iterations they cover) and criticality. The rank
/// sensitivity is over the first [`SensitivityOptions::iterations`]
/// iterations: exact for tasks with risks, estimated for the others (see
/// the module doc for its error).
///
/// Multi-threaded. Cost: one pass that redraws one row of uniforms per task
/// and 64 iterations ranked (a fraction of a simulation of those
/// iterations), plus, per task with risks, its durations regenerated and
/// radix-sorted (O(iterations ranked) each). Memory: O(iterations ranked)
/// plus a batch workspace per thread.
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
    let n = m.iterations as f64;
    let runs = outcomes.iterations as f64;
    let var = |s: f64, ss: f64| ((ss - s * s / n) / (n - 1.0)).max(0.0);
    let sd_y = var(m.sum_y, m.sum_yy).sqrt();
    let mut out: Vec<TaskSensitivity> = (0..net.len())
        .map(|t| {
            let sd_x = var(m.sum_x[t], m.sum_xx[t]).sqrt();
            let cov = (m.sum_xy[t] - m.sum_x[t] * m.sum_y / n) / (n - 1.0);
            let varies = sd_x > 0.0 && sd_y > 0.0;
            TaskSensitivity {
                mean: m.shift_x[t] + m.sum_x[t] / n,
                std: sd_x,
                cruciality: varies.then(|| (cov / (sd_x * sd_y)).clamp(-1.0, 1.0)),
                spearman: None,
                ssi: if sd_y > 0.0 {
                    crit[t] as f64 / runs * sd_x / sd_y
                } else {
                    0.0
                },
            }
        })
        .collect();
    let rank: Vec<Rank> = (0..net.len())
        .map(|t| {
            let pos = net.position(t);
            let fixed = matches!(net.sampler(pos), Sampler::Fixed(_));
            match (out[t].cruciality.is_some(), net.task_risks(pos).is_empty()) {
                (false, _) => Rank::Constant,
                (true, true) if fixed => Rank::Constant,
                (true, true) => Rank::Uniform,
                (true, false) => Rank::Exact,
            }
        })
        .collect();
    let ranked = opts.iterations.min(outcomes.project.len());
    // Mid-ranks are whole or half numbers below 2^24: exact in f32, and so
    // are their differences from their mean.
    let ry: Vec<f32> = mid_ranks(&outcomes.project[..ranked])
        .into_iter()
        .map(|r| r as f32)
        .collect();
    let syy = rank_ss(&ry);
    let mean = (ranked as f32 + 1.0) / 2.0;
    let dy: Vec<f32> = ry.iter().map(|&r| r - mean).collect();
    let of = |kind: Rank| -> Vec<usize> { (0..net.len()).filter(|&t| rank[t] == kind).collect() };
    let uniform = of(Rank::Uniform);
    let positions: Vec<usize> = uniform.iter().map(|&t| net.position(t)).collect();
    let sums = uniform_sums(net, outcomes.seed, &positions, &dy);
    for (&t, s) in uniform.iter().zip(&sums) {
        let svv = s.vv - s.v * s.v / ranked as f64;
        out[t].spearman =
            (svv > 0.0 && syy > 0.0).then(|| (s.vy / (svv * syy).sqrt()).clamp(-1.0, 1.0));
    }
    let exact = of(Rank::Exact);
    let found: Vec<Option<f64>> = exact
        .par_iter()
        .map_init(
            || {
                (
                    Regenerator::new(net, outcomes.seed),
                    vec![0f32; ranked],
                    Scratch::default(),
                )
            },
            |(regen, buf, scratch), &t| {
                regen.task(t, buf);
                spearman(buf, &ry, syy, scratch)
            },
        )
        .collect();
    for (&t, r) in exact.iter().zip(found) {
        out[t].spearman = r;
    }
    out
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
        let ranks = |y: &[f32]| -> Vec<f32> { mid_ranks(y).iter().map(|&r| r as f32).collect() };
        let mut s = Scratch::default();
        let y: Vec<f32> = x.iter().map(|v| v * v + 1.0).collect();
        let ry = ranks(&y);
        let r = spearman(&x, &ry, rank_ss(&ry), &mut s).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        let y: Vec<f32> = x.iter().map(|v| 100.0 - v).collect();
        let ry = ranks(&y);
        let r = spearman(&x, &ry, rank_ss(&ry), &mut s).unwrap();
        assert!((r + 1.0).abs() < 1e-12);
    }

    #[test]
    fn radix_sort_orders_keys_and_keeps_payloads() {
        let keys: Vec<f32> = (0..5000)
            .map(|i| ((i * 7919) % 5003) as f32 * 0.37 + 1e-3)
            .collect();
        let payload: Vec<f32> = (0..5000).map(|i| i as f32).collect();
        let mut s = Scratch::default();
        let sorted = radix_sort_pairs(&keys, &payload, &mut s).to_vec();
        for w in sorted.windows(2) {
            assert!(w[0] >> 32 <= w[1] >> 32);
        }
        for &p in &sorted {
            let i = f32::from_bits(p as u32) as usize;
            assert_eq!(f32::from_bits((p >> 32) as u32), keys[i]);
        }
    }
}
