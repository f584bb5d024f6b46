//! The spread of a task's duration: closed-form standard deviations of each
//! estimate distribution.
//!
//! References: the triangular and uniform variances are textbook; Beta-PERT
//! with shape 4 is `low + (high - low) * Beta(a, b)` with `a + b = 6`, so its
//! variance is `a b (high - low)^2 / (36 * 7)`; the normal truncated below at
//! zero uses the inverse Mills ratio (Johnson, Kotz & Balakrishnan,
//! *Continuous Univariate Distributions*, vol. 1, ch. 13).

use statrs::distribution::{Continuous, ContinuousCDF, Normal};

use crate::plan::Estimate;

/// The standard deviation of `e`, in working days. Cost: O(1).
///
/// # Examples
///
/// ```
/// use slipcast::analysis::duration_std;
/// use slipcast::plan::Estimate;
/// let u = Estimate::Uniform { low: 0.0, high: 12.0 };
/// assert!((duration_std(&u) - 12.0 / 12f64.sqrt()).abs() < 1e-12);
/// assert_eq!(duration_std(&Estimate::Fixed { days: 5.0 }), 0.0);
/// ```
pub fn duration_std(e: &Estimate) -> f64 {
    match *e {
        Estimate::Fixed { .. } => 0.0,
        Estimate::Uniform { low, high } => (high - low) / 12f64.sqrt(),
        Estimate::Triangular { low, mode, high } => {
            let (a, c, b) = (low, mode, high);
            ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)
                .max(0.0)
                .sqrt()
        }
        Estimate::Pert { low, mode, high } => {
            let w = high - low;
            let r = (mode - low) / w;
            let (a, b) = (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r));
            (a * b / (36.0 * 7.0)).sqrt() * w
        }
        Estimate::Normal { mean, sd } => {
            let n = Normal::standard();
            let alpha = -mean / sd;
            let tail = if mean < 0.0 {
                n.cdf(mean / sd)
            } else {
                1.0 - n.cdf(alpha)
            };
            let lambda = n.pdf(alpha) / tail;
            sd * (1.0 + alpha * lambda - lambda * lambda).max(0.0).sqrt()
        }
        Estimate::LogNormal { mu, sigma } => {
            let s2 = sigma * sigma;
            ((s2.exp() - 1.0) * (2.0 * mu + s2).exp()).sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form must match the variance of the estimate's own quantile
    /// function, integrated numerically (midpoint rule on 200,000 points).
    #[test]
    fn matches_the_quantile_function() {
        let cases = [
            Estimate::Uniform {
                low: 2.0,
                high: 9.0,
            },
            Estimate::Triangular {
                low: 1.0,
                mode: 2.0,
                high: 7.0,
            },
            Estimate::Pert {
                low: 3.0,
                mode: 5.0,
                high: 12.0,
            },
            Estimate::Normal { mean: 2.0, sd: 3.0 },
            Estimate::LogNormal {
                mu: 1.0,
                sigma: 0.3,
            },
        ];
        let n = 200_000;
        for e in cases {
            let xs: Vec<f64> = (0..n)
                .map(|i| {
                    let p = (i as f64 + 0.5) / n as f64;
                    e.quantile(p, 1.0 - p)
                })
                .collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let got = duration_std(&e);
            assert!(
                (got - var.sqrt()).abs() < 2e-3 * got,
                "{e:?}: closed form {got}, numeric {}",
                var.sqrt()
            );
        }
    }
}
