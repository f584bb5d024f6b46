//! Percentiles of a sample, and the probability of finishing by a time.
//!
//! Percentiles use the inverted empirical CDF (Hyndman & Fan type 1): `P_q`
//! is the smallest sampled value `x` with `F_n(x) >= q`. So "P80" means that
//! at least 80% of the iterations finish at or before it, exactly, and the
//! probability of meeting the P80 date is never reported below 0.80.

use ndarray::Array2;

use crate::engine::FinishDays;
use crate::plan::DAY_TOLERANCE;

/// A sorted sample with its moments.
///
/// Invariants: at least one value; no NaN (the engine produces none).
/// Cost: one radix sort at construction (O(n), a few times faster than a
/// comparison sort on a run's finishes), O(1) per percentile afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    sorted: Vec<f32>,
    mean: f64,
    std: f64,
}

impl Sample {
    /// Sorts a copy of `values` (in `f32::total_cmp` order: radsort's order
    /// of floats is the same, bit for bit) and computes the mean and the
    /// standard deviation (with `n - 1`), summing in `f64` in the given order.
    ///
    /// # Panics
    ///
    /// If `values` is empty.
    pub fn new(values: &[f32]) -> Sample {
        assert!(!values.is_empty(), "a sample needs at least one value");
        let n = values.len() as f64;
        let mean = values.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let ss = values
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>();
        let std = if values.len() > 1 {
            (ss / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        radsort::sort(&mut sorted);
        Sample { sorted, mean, std }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always false: a sample has at least one value.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation (divisor `n - 1`).
    pub fn std(&self) -> f64 {
        self.std
    }

    /// The smallest value.
    pub fn min(&self) -> f64 {
        f64::from(self.sorted[0])
    }

    /// The largest value.
    pub fn max(&self) -> f64 {
        f64::from(self.sorted[self.sorted.len() - 1])
    }

    /// The `q` quantile (`q` in `[0, 1]`): the smallest value `x` with at
    /// least `ceil(q n)` values `<= x`. `q = 0` gives the minimum.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::analysis::Sample;
    /// let s = Sample::new(&[4.0, 1.0, 3.0, 2.0, 5.0]);
    /// assert_eq!(s.quantile(0.8), 4.0);
    /// assert_eq!(s.quantile(0.81), 5.0);
    /// assert_eq!(s.quantile(0.0), 1.0);
    /// ```
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.sorted.len();
        let k = rank(q, n as u64) as usize;
        f64::from(self.sorted[k.clamp(1, n) - 1])
    }

    /// A distribution-free confidence interval for the `q` quantile: the
    /// order statistics `x_(l)` and `x_(u)` with
    /// `l, u = n q -/+ z sqrt(n q (1 - q))` (the normal approximation to the
    /// binomial count of values below the true quantile; Conover, *Practical
    /// Nonparametric Statistics*, 3rd ed., sec. 3.2). `level` is e.g. 0.95.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::analysis::Sample;
    /// let v: Vec<f32> = (1..=10_000).map(|i| i as f32).collect();
    /// let (lo, hi) = Sample::new(&v).quantile_interval(0.5, 0.95);
    /// assert!(lo < 5000.0 && hi > 5000.0 && hi - lo < 200.0);
    /// ```
    pub fn quantile_interval(&self, q: f64, level: f64) -> (f64, f64) {
        let n = self.sorted.len() as f64;
        let z = z_two_sided(level);
        let q = q.clamp(0.0, 1.0);
        let spread = z * (n * q * (1.0 - q)).sqrt();
        let at = |r: f64| {
            let k = (r.clamp(1.0, n) as usize).max(1);
            f64::from(self.sorted[k - 1])
        };
        (
            at((n * q - spread).floor()),
            at((n * q + spread).ceil() + 1.0),
        )
    }

    /// Share of values `<= t`.
    pub fn share_at_most(&self, t: f64) -> f64 {
        let k = self.sorted.partition_point(|&x| f64::from(x) <= t);
        k as f64 / self.sorted.len() as f64
    }

    /// Share of iterations finishing on or before working day `day` (1-based),
    /// by the calendar's rounding ([`crate::plan::Calendar::day_of`]).
    pub fn share_by_day(&self, day: u64) -> f64 {
        self.share_at_most(day as f64 + DAY_TOLERANCE)
    }
}

/// The two-sided standard normal quantile for a confidence level (1.96 for
/// 0.95).
pub fn z_two_sided(level: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(0.5 + level.clamp(0.0, 0.999_999) / 2.0)
}

/// `ceil(q n)`, the 1-based rank of the type-1 `q` quantile, without the
/// floating-point error of `q * n` (`0.07 * 100` is `7.000000000000001`,
/// which would round up to rank 8): products within a relative `1e-12` of a
/// whole number count as that number.
pub fn rank(q: f64, n: u64) -> u64 {
    let x = q.clamp(0.0, 1.0) * n as f64;
    let r = x.round();
    if (x - r).abs() <= 1e-12 * x.max(1.0) {
        r as u64
    } else {
        x.ceil() as u64
    }
}

/// The `q` quantile of a histogram of finish days (type 1, as
/// [`Sample::quantile`]): the first day of the bin where the cumulative count
/// reaches `ceil(q n)`, or its last day when bins span several days.
pub fn histogram_quantile(counts: &[u64], first_day: u64, width: u64, q: f64) -> u64 {
    histogram_quantile_of(counts, counts.iter().sum(), first_day, width, q)
}

/// [`histogram_quantile`] with the total count `n` known.
fn histogram_quantile_of(counts: &[u64], n: u64, first_day: u64, width: u64, q: f64) -> u64 {
    let need = rank(q, n).max(1);
    let mut cum = 0;
    for (b, &c) in counts.iter().enumerate() {
        cum += c;
        if cum >= need {
            return first_day + b as u64 * width + (width - 1);
        }
    }
    first_day + (counts.len() as u64).saturating_sub(1) * width + (width - 1)
}

/// The per-task percentile table: row `t` (plan order) holds, for each of
/// `levels`, the working day by which that share of task `t`'s counted
/// iterations had finished ([`histogram_quantile`] of its histogram).
///
/// Cost: O(tasks x (bins + levels)).
pub fn task_percentiles(days: &FinishDays, levels: &[f64]) -> Array2<u64> {
    let mut table = Array2::zeros((days.counts.len(), levels.len()));
    for (mut row, (counts, &first)) in table
        .rows_mut()
        .into_iter()
        .zip(days.counts.iter().zip(&days.first_day))
    {
        let n: u64 = counts.iter().sum();
        for (cell, &q) in row.iter_mut().zip(levels) {
            *cell = histogram_quantile_of(counts, n, first, days.width, q);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn task_table_holds_each_tasks_histogram_quantiles() {
        // Task 0: 10 iterations on days 3..=7 (2 each); task 1: all on day 9
        // of a 2-day-bin histogram starting at day 8.
        let days = FinishDays {
            width: 1,
            first_day: vec![3, 8],
            counts: vec![vec![2, 2, 2, 2, 2], vec![0, 10]],
            iterations: 10,
        };
        let t = task_percentiles(&days, &[0.1, 0.5, 0.8, 1.0]);
        assert_eq!(t.shape(), [2, 4]);
        assert_eq!(t.row(0).to_vec(), [3, 5, 6, 7]);
        assert_eq!(t.row(1).to_vec(), [9, 9, 9, 9]);
        for (r, (c, &f)) in days.counts.iter().zip(&days.first_day).enumerate() {
            assert_eq!(t[[r, 1]], histogram_quantile(c, f, days.width, 0.5));
        }
    }

    proptest! {
        #[test]
        fn percentiles_are_monotone_and_bounded(
            v in proptest::collection::vec(0f32..1000.0, 1..300),
            a in 0f64..1.0, b in 0f64..1.0,
        ) {
            let s = Sample::new(&v);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(s.quantile(lo) <= s.quantile(hi));
            prop_assert_eq!(s.quantile(0.0), s.min());
            prop_assert_eq!(s.quantile(1.0), s.max());
            // The defining property of type 1: at least q of the mass is <= P_q.
            prop_assert!(s.share_at_most(s.quantile(hi)) >= hi - 1e-12);
        }
    }

    #[test]
    fn quantile_intervals_cover_at_the_stated_rate() {
        // 400 samples of 2,000 uniforms: the 95% interval for P80 should
        // contain 0.8 in about 95% of them (binomial sd 1.1%).
        let mut state = 1u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 + 0.5) / 16_777_216.0
        };
        let mut covered = 0;
        for _ in 0..400 {
            let v: Vec<f32> = (0..2000).map(|_| next()).collect();
            let (lo, hi) = Sample::new(&v).quantile_interval(0.8, 0.95);
            if lo <= 0.8 && 0.8 <= hi {
                covered += 1;
            }
        }
        let rate = f64::from(covered) / 400.0;
        assert!((0.9..=0.99).contains(&rate), "coverage {rate}");
    }

    /// The radix sort orders floats as `f32::total_cmp` does, to the bit:
    /// signed zeros, infinities, subnormals and NaNs included.
    #[test]
    fn the_sample_is_sorted_in_total_order() {
        let mut state = 7u64;
        let mut v: Vec<f32> = (0..5000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                f32::from_bits((state >> 32) as u32)
            })
            .collect();
        v.extend([
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE / 2.0,
            -f32::MIN_POSITIVE / 2.0,
            f32::MAX,
            f32::MIN,
        ]);
        assert!(v.iter().any(|x| x.is_nan()));
        let mut want = v.clone();
        want.sort_by(f32::total_cmp);
        let got = Sample::new(&v).sorted;
        assert!(
            got.iter()
                .zip(&want)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert_eq!(got.len(), want.len());
    }

    #[test]
    fn histogram_matches_sorted_sample() {
        let days = [3u64, 3, 4, 7, 7, 7, 8, 10];
        let mut counts = vec![0u64; 8];
        for d in days {
            counts[(d - 3) as usize] += 1;
        }
        let s = Sample::new(&days.map(|d| d as f32));
        for q in [0.0, 0.1, 0.25, 0.5, 0.8, 0.9, 1.0] {
            assert_eq!(
                histogram_quantile(&counts, 3, 1, q) as f64,
                s.quantile(q),
                "q={q}"
            );
        }
    }
}
