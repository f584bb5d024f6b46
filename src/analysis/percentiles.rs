//! Percentiles of a sample, and the probability of finishing by a time.
//!
//! Percentiles use the inverted empirical CDF (Hyndman & Fan type 1): `P_q`
//! is the smallest sampled value `x` with `F_n(x) >= q`. So "P80" means that
//! at least 80% of the iterations finish at or before it, exactly, and the
//! probability of meeting the P80 date is never reported below 0.80.

use rayon::prelude::*;

use crate::plan::DAY_TOLERANCE;

/// A sorted sample with its moments.
///
/// Invariants: at least one value; no NaN (the engine produces none).
/// Cost: one parallel sort at construction, O(1) per percentile afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    sorted: Vec<f32>,
    mean: f64,
    std: f64,
}

impl Sample {
    /// Sorts a copy of `values` (in parallel) and computes the mean and the
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
        sorted.par_sort_unstable_by(f32::total_cmp);
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
    let n: u64 = counts.iter().sum();
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
