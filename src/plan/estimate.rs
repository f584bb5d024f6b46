//! Ranged duration estimates and the distributions they describe.
//!
//! An [`Estimate`] is validated once, when it is built from a plan row, so the
//! simulation never meets an impossible range. Durations are working days.
//!
//! With a `confidence` c, `low`/`high` are read as the percentiles of the
//! central c% interval (80 -> P10 and P90) and the distribution is fitted to
//! them exactly: for `normal`, the normal truncated at zero whose
//! percentiles *as truncated* are `low` and `high` (see
//! [`fit_truncated_normal`]; far from zero, the mean is the midpoint and the
//! standard deviation `(high - low) / (2 z)` with `z` the standard normal
//! quantile at `(1 + c) / 2`); for `lognormal` the midpoint and deviation in
//! `ln` space; for `uniform` the bounds are widened so that the interval
//! holds c% of the mass.

use std::fmt;
use std::str::FromStr;

use statrs::distribution::{ContinuousCDF, Normal};
use thiserror::Error;

use super::error::{closest, suggest};

/// Confidence used for `normal` and `lognormal` when the row leaves it blank:
/// `low`/`high` are then the P5 and P95.
pub const DEFAULT_CONFIDENCE: f64 = 90.0;

/// The longest duration (and largest lag) a plan may use, in working days:
/// about 400 years. Anything longer is a unit mistake, and the engine's `f32`
/// times keep day precision well beyond it.
pub const MAX_DAYS: f64 = 100_000.0;

/// The distribution names a plan may use in its `dist` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DistKind {
    /// Beta-PERT on low/likely/high (the default).
    Pert,
    /// Triangular on low/likely/high.
    Triangular,
    /// Uniform between low and high.
    Uniform,
    /// Normal, truncated at zero.
    Normal,
    /// Log-normal.
    LogNormal,
    /// A fixed duration.
    Fixed,
}

impl DistKind {
    /// Every accepted name, for error messages and suggestions.
    pub const NAMES: [&'static str; 6] = [
        "pert",
        "triangular",
        "uniform",
        "normal",
        "lognormal",
        "fixed",
    ];

    /// The canonical lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            DistKind::Pert => "pert",
            DistKind::Triangular => "triangular",
            DistKind::Uniform => "uniform",
            DistKind::Normal => "normal",
            DistKind::LogNormal => "lognormal",
            DistKind::Fixed => "fixed",
        }
    }
}

impl fmt::Display for DistKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A distribution name that is not one of [`DistKind::NAMES`] (nor an
/// accepted spelling of one).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown distribution \"{value}\"{}; use one of pert, triangular, uniform, normal, lognormal, fixed", suggest(.suggestion))]
pub struct UnknownDistribution {
    /// The name as written.
    pub value: String,
    /// The closest known name, if any is close.
    pub suggestion: Option<String>,
}

impl FromStr for DistKind {
    type Err = UnknownDistribution;

    /// Parses a distribution name, case-insensitively, with a few common
    /// spellings (`beta-pert`, `tri`, `log-normal`, `gaussian`, `constant`).
    fn from_str(s: &str) -> Result<Self, UnknownDistribution> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "pert" | "betapert" | "beta-pert" | "beta_pert" => DistKind::Pert,
            "triangular" | "triangle" | "tri" => DistKind::Triangular,
            "uniform" | "flat" => DistKind::Uniform,
            "normal" | "gaussian" => DistKind::Normal,
            "lognormal" | "log-normal" | "log_normal" => DistKind::LogNormal,
            "fixed" | "constant" | "deterministic" => DistKind::Fixed,
            _ => {
                return Err(UnknownDistribution {
                    value: s.into(),
                    suggestion: closest(s, DistKind::NAMES),
                });
            }
        })
    }
}

/// A validated duration distribution, in working days.
///
/// Invariants (checked by [`Estimate::new`]): every parameter is finite,
/// durations are `>= 0`, `low <= mode <= high`, spreads are `> 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    /// Always `days`.
    Fixed {
        /// The duration.
        days: f64,
    },
    /// Uniform on `[low, high]`, `low < high`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Triangular on `[low, high]` with mode `mode`, `low < high`.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        high: f64,
    },
    /// Beta-PERT on `[low, high]` with mode `mode` (shape 4), `low < high`:
    /// `low + (high - low) * Beta(1 + 4 r, 1 + 4 (1 - r))` with
    /// `r = (mode - low) / (high - low)`.
    Pert {
        /// Lower bound.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal(`mean`, `sd`) truncated to `[0, inf)`: `mean` and `sd` are
    /// the parent's (`mean` may be negative when most of it is cut away).
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation, `> 0`.
        sd: f64,
    },
    /// `exp(Normal(mu, sigma))`.
    LogNormal {
        /// Mean of `ln(days)`.
        mu: f64,
        /// Standard deviation of `ln(days)`, `> 0`.
        sigma: f64,
    },
}

/// Why a row's numbers do not make an estimate. Each message says what to
/// change.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum EstimateError {
    /// A value the distribution needs is blank.
    #[error("{dist} needs {needed}; {column} is blank")]
    Missing {
        /// The distribution.
        dist: DistKind,
        /// The blank column.
        column: &'static str,
        /// What the distribution needs, in words.
        needed: &'static str,
    },
    /// `low <= likely <= high` does not hold.
    #[error("{what}; expected low <= likely <= high")]
    Order {
        /// The comparison that failed, with values.
        what: String,
    },
    /// A value is below zero.
    #[error("{column} ({value}) is negative; durations are working days >= 0")]
    Negative {
        /// The column.
        column: &'static str,
        /// The value.
        value: f64,
    },
    /// A value is longer than [`MAX_DAYS`].
    #[error(
        "{what} is {} working days, more than the {MAX_DAYS} allowed; durations are working days (check the unit), and a lognormal or normal needs a narrower interval",
        readable(*.value)
    )]
    TooLong {
        /// What is too long.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// `confidence` is outside `(0, 100)`.
    #[error("confidence ({0}) must be a percentage between 0 and 100 (exclusive), e.g. 80 or 90")]
    Confidence(f64),
    /// The distribution cannot be fitted to a confidence interval.
    #[error(
        "confidence is supported for normal, lognormal and uniform; for {0} low and high are hard bounds, so leave confidence blank (or use dist lognormal)"
    )]
    ConfidenceUnsupported(DistKind),
    /// A log-normal interval must be strictly positive.
    #[error("lognormal needs low > 0 (got {0}); a log-normal duration is never zero")]
    LogNormalLow(f64),
    /// A normal estimate was given an asymmetric interval.
    #[error(
        "normal is symmetric, but likely ({likely}) is not the midpoint of low and high ({mid}); leave likely blank or use dist lognormal"
    )]
    Asymmetric {
        /// The likely value given.
        likely: f64,
        /// The midpoint of low and high.
        mid: f64,
    },
    /// Fitting the confidence interval exactly needs a negative duration.
    #[error(
        "fitting {dist} exactly to this confidence interval needs a lower bound of {bound:.2} days, below zero; narrow the interval, raise low, or use dist lognormal"
    )]
    NegativeFit {
        /// The distribution.
        dist: DistKind,
        /// The fitted lower bound.
        bound: f64,
    },
    /// No normal truncated at zero has this interval as its central
    /// percentiles: low is too close to zero for high.
    #[error(
        "no normal truncated at zero has P{p_low} = {low} and P{p_high} = {high}: even a normal cut off at zero (whose most likely duration is 0) puts P{p_low} at {min_low:.3} days or more when P{p_high} is {high}; raise low, lower the confidence, or use dist lognormal"
    )]
    NoTruncatedFit {
        /// The low value (the lower percentile).
        low: f64,
        /// The high value (the upper percentile).
        high: f64,
        /// The lower percentile, e.g. 10.
        p_low: String,
        /// The upper percentile, e.g. 90.
        p_high: String,
        /// The smallest low a truncated normal allows with this high.
        min_low: f64,
    },
    /// The interval is empty where a spread is needed.
    #[error(
        "{dist} needs high > low to have any spread (got low = high = {value}); use dist fixed for a fixed duration"
    )]
    NoSpread {
        /// The distribution.
        dist: DistKind,
        /// The common value.
        value: f64,
    },
}

/// The three-point numbers of one row, before validation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ThreePoint {
    /// Optimistic duration.
    pub low: Option<f64>,
    /// Most likely duration.
    pub likely: Option<f64>,
    /// Pessimistic duration.
    pub high: Option<f64>,
    /// Central interval in percent that `low`/`high` bound, if not hard bounds.
    pub confidence: Option<f64>,
}

/// A number as a person reads it: plain up to a million, else `1.2e300`.
fn readable(x: f64) -> String {
    if x.abs() < 1e6 {
        format!("{x}")
    } else {
        format!("{x:.1e}")
    }
}

/// The smallest tail probability the engine draws (`2^-24`).
const TAIL: f64 = 1.0 / 16_777_216.0;

/// The standard normal quantile `z` with `P(|Z| <= z) = c / 100`.
pub(super) fn central_z(c: f64) -> f64 {
    let n = Normal::standard();
    n.inverse_cdf(0.5 + c / 200.0)
}

/// Where the truncation point may sit, in standard deviations above the
/// parent normal's mean (`-mu / sigma`): beyond 30 the fitted shape is an
/// exponential to within `1e-3` of its quantiles, and the tail masses
/// (`Phi(-30)`, about `5e-198`) are still normal `f64`s.
const MAX_CUT: f64 = 30.0;

/// The normal truncated below at zero whose P`100 p` and P`100 (1 - p)`
/// (of the truncated distribution) are exactly `low` and `high`, with
/// `p = (1 - c / 100) / 2`: the parent's `(mu, sigma)`.
///
/// With `a = -mu / sigma` (where zero sits in the parent, in standard
/// deviations) and `t = Phi(-a)` the mass kept, the truncated quantile at
/// `p` is `mu + sigma z` with `z = -Phi^-1((1 - p) t)` (that is,
/// `Phi^-1(F(0) + p (1 - F(0)))` written with upper tails, so that it keeps
/// its precision when most of the parent is cut away). The ratio
/// `low / high = (z_low - a) / (z_high - a)` falls monotonically from 1
/// (no truncation, `a -> -inf`) to the ratio of an exponential's quantiles
/// (`a -> +inf`), so `a` is found by bisection, then `sigma = high /
/// (z_high - a)` and `mu = -a sigma`.
///
/// When zero lies so far below the interval that the cut-off mass is below
/// `f64` resolution, this is the closed form (midpoint and
/// `(high - low) / (2 z)`).
///
/// Cost: about 60 evaluations of `Phi` and `Phi^-1` when the truncation
/// matters, none otherwise.
///
/// # Errors
///
/// [`EstimateError::NoTruncatedFit`] when `low` is too close to zero for
/// `high` (a truncated normal's P10 is never below 4.6% of its P90).
pub fn fit_truncated_normal(low: f64, high: f64, c: f64) -> Result<(f64, f64), EstimateError> {
    let n = Normal::standard();
    let p = (1.0 - c / 100.0) / 2.0;
    let z = central_z(c);
    let (mid, sd) = ((low + high) / 2.0, (high - low) / (2.0 * z));
    if n.cdf(-mid / sd) < f64::EPSILON / 4.0 {
        return Ok((mid, sd));
    }
    let zs = |a: f64| {
        let t = n.cdf(-a);
        (-n.inverse_cdf((1.0 - p) * t), -n.inverse_cdf(p * t))
    };
    let ratio = |a: f64| {
        let (zl, zh) = zs(a);
        (zl - a) / (zh - a)
    };
    let rho = low / high;
    let floor = ratio(MAX_CUT);
    // NaN-safe: anything not above the floor is refused.
    if rho.partial_cmp(&floor) != Some(std::cmp::Ordering::Greater) {
        let pct = |x: f64| format!("{}", (x * 1e6).round() / 1e4);
        return Err(EstimateError::NoTruncatedFit {
            low,
            high,
            p_low: pct(p),
            p_high: pct(1.0 - p),
            min_low: floor * high,
        });
    }
    // The untruncated answer is a lower bound of `a` (truncation lowers the
    // ratio at a given `a`); step down until the ratio brackets rho.
    let mut lo = -mid / sd - 1.0;
    for _ in 0..64 {
        if ratio(lo) >= rho {
            break;
        }
        lo = 2.0 * lo - 1.0;
    }
    let mut hi = MAX_CUT;
    for _ in 0..200 {
        let m = 0.5 * (lo + hi);
        if m <= lo || m >= hi {
            break;
        }
        if ratio(m) > rho {
            lo = m;
        } else {
            hi = m;
        }
    }
    let a = 0.5 * (lo + hi);
    let (_, zh) = zs(a);
    let sigma = high / (zh - a);
    Ok((-a * sigma, sigma))
}

impl Estimate {
    /// Validates a row's numbers for a distribution and builds the estimate.
    ///
    /// # Errors
    ///
    /// [`EstimateError`] when a needed value is blank, negative, out of
    /// order, or the confidence cannot be used with this distribution.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::{DistKind, Estimate, ThreePoint};
    /// let tp = ThreePoint { low: Some(2.0), likely: Some(3.0), high: Some(8.0), confidence: None };
    /// let e = Estimate::new(DistKind::Pert, tp).unwrap();
    /// assert_eq!(e.mean(), (2.0 + 4.0 * 3.0 + 8.0) / 6.0);
    /// ```
    pub fn new(kind: DistKind, tp: ThreePoint) -> Result<Estimate, EstimateError> {
        let e = Estimate::build(kind, tp)?;
        // Unbounded distributions: the engine draws up to the quantile at
        // 1 - 2^-24; that tail must stay a plausible duration.
        let tail = e.quantile(1.0 - TAIL, TAIL);
        if tail.is_nan() || tail > MAX_DAYS {
            return Err(EstimateError::TooLong {
                what: "the distribution's far tail (1 in 16 million)",
                value: tail,
            });
        }
        Ok(e)
    }

    fn build(kind: DistKind, tp: ThreePoint) -> Result<Estimate, EstimateError> {
        for (column, v) in [("low", tp.low), ("likely", tp.likely), ("high", tp.high)] {
            if let Some(v) = v {
                if v < 0.0 {
                    return Err(EstimateError::Negative { column, value: v });
                }
                if v > MAX_DAYS {
                    return Err(EstimateError::TooLong {
                        what: column,
                        value: v,
                    });
                }
            }
        }
        if let Some(c) = tp.confidence
            && !(c > 0.0 && c < 100.0)
        {
            return Err(EstimateError::Confidence(c));
        }
        check_order(tp)?;
        let missing = |column, needed| EstimateError::Missing {
            dist: kind,
            column,
            needed,
        };
        match kind {
            DistKind::Fixed => {
                if tp.confidence.is_some() {
                    return Err(EstimateError::ConfidenceUnsupported(kind));
                }
                match (tp.low, tp.likely, tp.high) {
                    (_, Some(m), _) => Ok(Estimate::Fixed { days: m }),
                    (Some(l), None, Some(h)) if l == h => Ok(Estimate::Fixed { days: l }),
                    _ => Err(missing("likely", "likely (or low = high)")),
                }
            }
            DistKind::Uniform => {
                let low = tp.low.ok_or_else(|| missing("low", "low and high"))?;
                let high = tp.high.ok_or_else(|| missing("high", "low and high"))?;
                if low == high {
                    return Ok(Estimate::Fixed { days: low });
                }
                match tp.confidence {
                    None => Ok(Estimate::Uniform { low, high }),
                    Some(c) => {
                        let width = (high - low) / (c / 100.0);
                        let pad = (width - (high - low)) / 2.0;
                        if low - pad < 0.0 {
                            return Err(EstimateError::NegativeFit {
                                dist: kind,
                                bound: low - pad,
                            });
                        }
                        Ok(Estimate::Uniform {
                            low: low - pad,
                            high: high + pad,
                        })
                    }
                }
            }
            DistKind::Triangular | DistKind::Pert => {
                if tp.confidence.is_some() {
                    return Err(EstimateError::ConfidenceUnsupported(kind));
                }
                let needed = "low, likely and high";
                let low = tp.low.ok_or_else(|| missing("low", needed))?;
                let mode = tp.likely.ok_or_else(|| missing("likely", needed))?;
                let high = tp.high.ok_or_else(|| missing("high", needed))?;
                if low == high {
                    return Ok(Estimate::Fixed { days: low });
                }
                Ok(if kind == DistKind::Pert {
                    Estimate::Pert { low, mode, high }
                } else {
                    Estimate::Triangular { low, mode, high }
                })
            }
            DistKind::Normal => {
                let needed =
                    "low and high (a confidence interval), with optional likely as the mean";
                let low = tp.low.ok_or_else(|| missing("low", needed))?;
                let high = tp.high.ok_or_else(|| missing("high", needed))?;
                if low == high {
                    return Err(EstimateError::NoSpread {
                        dist: kind,
                        value: low,
                    });
                }
                let mid = (low + high) / 2.0;
                if let Some(m) = tp.likely
                    && (m - mid).abs() > 0.01 * (high - low)
                {
                    return Err(EstimateError::Asymmetric { likely: m, mid });
                }
                let c = tp.confidence.unwrap_or(DEFAULT_CONFIDENCE);
                let (mean, sd) = fit_truncated_normal(low, high, c)?;
                Ok(Estimate::Normal { mean, sd })
            }
            DistKind::LogNormal => {
                let needed = "low and high (with confidence), or low, likely and high";
                let low = tp.low.ok_or_else(|| missing("low", needed))?;
                let high = tp.high.ok_or_else(|| missing("high", needed))?;
                if low <= 0.0 {
                    return Err(EstimateError::LogNormalLow(low));
                }
                if low == high {
                    return Err(EstimateError::NoSpread {
                        dist: kind,
                        value: low,
                    });
                }
                let z = central_z(tp.confidence.unwrap_or(DEFAULT_CONFIDENCE));
                let sigma = (high.ln() - low.ln()) / (2.0 * z);
                let mu = match (tp.confidence, tp.likely) {
                    // Three points without a confidence: likely is the median.
                    (None, Some(m)) if m > 0.0 => m.ln(),
                    _ => (high.ln() + low.ln()) / 2.0,
                };
                Ok(Estimate::LogNormal { mu, sigma })
            }
        }
    }

    /// What a row's numbers give that the distribution `kind` does not use,
    /// in words with the fix, or `None` when every value is used. A
    /// `lognormal` with a `confidence` is fitted to low and high alone, so
    /// its likely is dropped; a `uniform` has no likely; a `fixed` duration
    /// with a likely has no use for low and high.
    pub fn ignored(kind: DistKind, tp: ThreePoint) -> Option<String> {
        let n = |v: f64| readable(v);
        match (kind, tp.low, tp.likely, tp.high, tp.confidence) {
            (DistKind::LogNormal, Some(l), Some(m), Some(h), Some(c)) if l > 0.0 => Some(format!(
                "likely ({}) is ignored: a lognormal with a confidence is fitted to low and high alone (P{} = {}, P{} = {}, so its median is {:.2}, the geometric mean of low and high); leave likely blank, or leave confidence blank to make likely the median",
                n(m),
                n((100.0 - c) / 2.0),
                n(l),
                n((100.0 + c) / 2.0),
                n(h),
                (l * h).sqrt()
            )),
            (DistKind::Uniform, Some(l), Some(m), Some(h), _) if l < h => Some(format!(
                "likely ({}) is ignored: a uniform duration is equally likely anywhere between low and high; leave likely blank, or use dist pert or triangular to give it a most likely value",
                n(m)
            )),
            (DistKind::Fixed, l, Some(m), h, _) if [l, h].into_iter().flatten().any(|v| v != m) => {
                Some(format!(
                    "low and high are ignored: a fixed duration is always likely ({}); leave them blank, or use dist pert to make the range count",
                    n(m)
                ))
            }
            _ => None,
        }
    }

    /// The distribution family.
    pub fn kind(&self) -> DistKind {
        match self {
            Estimate::Fixed { .. } => DistKind::Fixed,
            Estimate::Uniform { .. } => DistKind::Uniform,
            Estimate::Triangular { .. } => DistKind::Triangular,
            Estimate::Pert { .. } => DistKind::Pert,
            Estimate::Normal { .. } => DistKind::Normal,
            Estimate::LogNormal { .. } => DistKind::LogNormal,
        }
    }

    /// The exact mean of the distribution, in working days.
    pub fn mean(&self) -> f64 {
        match *self {
            Estimate::Fixed { days } => days,
            Estimate::Uniform { low, high } => (low + high) / 2.0,
            Estimate::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Estimate::Pert { low, mode, high } => (low + 4.0 * mode + high) / 6.0,
            Estimate::Normal { mean, sd } => {
                // Mean of a normal truncated below at zero.
                let n = Normal::standard();
                let a = -mean / sd;
                let tail = if mean < 0.0 {
                    n.cdf(mean / sd)
                } else {
                    1.0 - n.cdf(a)
                };
                mean + sd * statrs::distribution::Continuous::pdf(&n, a) / tail
            }
            Estimate::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
        }
    }

    /// The value a naive plan would use: the mode where there is one, else the
    /// median. This is what the deterministic (CPM) schedule adds up.
    pub fn planned(&self) -> f64 {
        match *self {
            Estimate::Fixed { days } => days,
            Estimate::Uniform { low, high } => (low + high) / 2.0,
            Estimate::Triangular { mode, .. } | Estimate::Pert { mode, .. } => mode,
            Estimate::Normal { mean, .. } => mean.max(0.0),
            Estimate::LogNormal { mu, .. } => mu.exp(),
        }
    }

    /// The quantile function `F^-1(p)` in working days, for `p` in `(0, 1)`,
    /// computed in `f64` from the exact distribution. `q` is `1 - p`, passed
    /// separately so that upper-tail quantiles keep their precision.
    ///
    /// Cost: closed form except PERT, which inverts the regularised
    /// incomplete beta function (a few microseconds).
    pub fn quantile(&self, p: f64, q: f64) -> f64 {
        match *self {
            Estimate::Fixed { days } => days,
            Estimate::Uniform { low, high } => low + p * (high - low),
            Estimate::Triangular { low, mode, high } => {
                let w = high - low;
                let fc = (mode - low) / w;
                if p < fc {
                    low + (p * w * (mode - low)).sqrt()
                } else {
                    high - (q * w * (high - mode)).sqrt()
                }
            }
            Estimate::Pert { low, mode, high } => {
                let w = high - low;
                let r = (mode - low) / w;
                let (a, b) = (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r));
                if p <= 0.5 {
                    low + w * statrs::function::beta::inv_beta_reg(a, b, p)
                } else {
                    high - w * statrs::function::beta::inv_beta_reg(b, a, q)
                }
            }
            Estimate::Normal { mean, sd } => {
                let n = Normal::standard();
                // Truncation at zero: map p into [F(0), 1].
                let (f0, kept) = normal_truncation(mean, sd);
                let z = if p <= 0.5 && mean >= 0.0 {
                    n.inverse_cdf(f0 + p * kept)
                } else {
                    -n.inverse_cdf(q * kept)
                };
                (mean + sd * z).max(0.0)
            }
            Estimate::LogNormal { mu, sigma } => {
                let n = Normal::standard();
                let z = if p <= 0.5 {
                    n.inverse_cdf(p)
                } else {
                    -n.inverse_cdf(q)
                };
                (mu + sigma * z).exp()
            }
        }
    }

    /// The cumulative distribution function at `x` working days.
    pub fn cdf(&self, x: f64) -> f64 {
        let n = Normal::standard();
        match *self {
            Estimate::Fixed { days } => f64::from(u8::from(x >= days)),
            Estimate::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
            Estimate::Triangular { low, mode, high } => {
                if x <= low {
                    0.0
                } else if x >= high {
                    1.0
                } else if x <= mode {
                    (x - low).powi(2) / ((high - low) * (mode - low))
                } else {
                    1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
                }
            }
            Estimate::Pert { low, mode, high } => {
                if x <= low {
                    return 0.0;
                }
                if x >= high {
                    return 1.0;
                }
                let r = (mode - low) / (high - low);
                statrs::function::beta::beta_reg(
                    1.0 + 4.0 * r,
                    1.0 + 4.0 * (1.0 - r),
                    (x - low) / (high - low),
                )
            }
            Estimate::Normal { mean, sd } => {
                if x < 0.0 {
                    return 0.0;
                }
                if mean < 0.0 {
                    // Upper tails, which keep their precision here.
                    return 1.0 - n.cdf((mean - x) / sd) / n.cdf(mean / sd);
                }
                let f0 = n.cdf(-mean / sd);
                (n.cdf((x - mean) / sd) - f0) / (1.0 - f0)
            }
            Estimate::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    n.cdf((x.ln() - mu) / sigma)
                }
            }
        }
    }
}

fn check_order(tp: ThreePoint) -> Result<(), EstimateError> {
    let pairs = [
        ("low", tp.low, "likely", tp.likely),
        ("likely", tp.likely, "high", tp.high),
        ("low", tp.low, "high", tp.high),
    ];
    for (an, a, bn, b) in pairs {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            return Err(EstimateError::Order {
                what: format!("{an} ({a}) > {bn} ({b})"),
            });
        }
    }
    Ok(())
}

/// A normal(mean, sd) truncated at zero: `(F(0), 1 - F(0))`, the parent's
/// probability cut away and the probability kept. When most of the parent
/// is cut away (mean < 0), the kept share is computed through the upper
/// tail, as the small `Phi(mean / sd)`, to keep its precision.
pub(crate) fn normal_truncation(mean: f64, sd: f64) -> (f64, f64) {
    let n = Normal::standard();
    let f0 = n.cdf(-mean / sd);
    let kept = if mean >= 0.0 {
        1.0 - f0
    } else {
        n.cdf(mean / sd)
    };
    (f0, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(low: Option<f64>, likely: Option<f64>, high: Option<f64>, c: Option<f64>) -> ThreePoint {
        ThreePoint {
            low,
            likely,
            high,
            confidence: c,
        }
    }

    #[test]
    fn bad_create() {
        use DistKind::*;
        let cases: Vec<(DistKind, ThreePoint, &str)> = vec![
            (
                Pert,
                tp(Some(5.0), Some(3.0), Some(8.0), None),
                "low (5) > likely (3)",
            ),
            (
                Pert,
                tp(Some(1.0), None, Some(8.0), None),
                "likely is blank",
            ),
            (
                Triangular,
                tp(Some(1.0), Some(9.0), Some(8.0), None),
                "likely (9) > high (8)",
            ),
            (Uniform, tp(Some(-1.0), None, Some(8.0), None), "negative"),
            (
                Normal,
                tp(Some(1.0), Some(1.0), Some(9.0), Some(80.0)),
                "symmetric",
            ),
            (
                LogNormal,
                tp(Some(0.0), None, Some(9.0), Some(80.0)),
                "low > 0",
            ),
            (
                Pert,
                tp(Some(1.0), Some(2.0), Some(9.0), Some(80.0)),
                "hard bounds",
            ),
            (
                Normal,
                tp(Some(1.0), None, Some(9.0), Some(100.0)),
                "between 0 and 100",
            ),
            (Fixed, tp(Some(1.0), None, Some(9.0), None), "likely"),
        ]
        .into_iter()
        .collect();
        for (kind, t, want) in cases {
            let err = Estimate::new(kind, t).unwrap_err().to_string();
            assert!(
                err.contains(want),
                "{kind} {t:?}: got {err:?}, want {want:?}"
            );
        }
    }

    #[test]
    fn confidence_fits_exactly() {
        let e = Estimate::new(
            DistKind::LogNormal,
            tp(Some(5.0), None, Some(20.0), Some(80.0)),
        )
        .unwrap();
        assert!((e.cdf(5.0) - 0.10).abs() < 1e-9);
        assert!((e.cdf(20.0) - 0.90).abs() < 1e-9);
        let e = Estimate::new(
            DistKind::Normal,
            tp(Some(10.0), None, Some(30.0), Some(90.0)),
        )
        .unwrap();
        // Truncation at zero is negligible here (mean 3.4 sd above 0).
        assert!((e.cdf(10.0) - 0.05).abs() < 1e-3);
        assert!((e.cdf(30.0) - 0.95).abs() < 1e-3);
        let e = Estimate::new(
            DistKind::Uniform,
            tp(Some(10.0), None, Some(18.0), Some(80.0)),
        )
        .unwrap();
        assert!((e.cdf(10.0) - 0.10).abs() < 1e-12);
        assert!((e.cdf(18.0) - 0.90).abs() < 1e-12);
    }

    /// The stated percentiles of a normal near zero hold for the
    /// distribution as truncated (they missed by several points when the
    /// untruncated fit was cut at zero).
    #[test]
    fn truncated_normal_meets_its_percentiles() {
        for (low, high, c) in [
            (1.0, 9.0, 80.0),
            (0.5, 10.0, 80.0),
            (2.0, 30.0, 90.0),
            (0.7, 3.0, 50.0),
            (4.0, 10.0, 90.0),
            (10.0, 30.0, 90.0),
        ] {
            let e =
                Estimate::new(DistKind::Normal, tp(Some(low), None, Some(high), Some(c))).unwrap();
            let p = (1.0 - c / 100.0) / 2.0;
            assert!(
                (e.cdf(low) - p).abs() < 1e-9,
                "{low},{high},{c}: {}",
                e.cdf(low)
            );
            assert!((e.cdf(high) - (1.0 - p)).abs() < 1e-9, "{low},{high},{c}");
            assert!((e.quantile(p, 1.0 - p) - low).abs() < 1e-9 * high);
            assert!((e.quantile(1.0 - p, p) - high).abs() < 1e-9 * high);
        }
    }

    /// Against a closed form: a normal with mean 0 cut at zero is the
    /// half-normal, whose quantile at p is `sigma Phi^-1((1 + p) / 2)`.
    #[test]
    fn truncated_fit_recovers_the_half_normal() {
        let n = Normal::standard();
        let sigma = 3.0;
        let (low, high) = (sigma * n.inverse_cdf(0.55), sigma * n.inverse_cdf(0.95));
        let (mu, s) = fit_truncated_normal(low, high, 80.0).unwrap();
        assert!(mu.abs() < 1e-9, "mu = {mu}");
        assert!((s - sigma).abs() < 1e-9, "sigma = {s}");
    }

    /// Against an independent computation: quantiles of known parents
    /// (by the CDF, inverted by bisection here) fit back to the parents.
    #[test]
    fn truncated_fit_recovers_known_parents() {
        let n = Normal::standard();
        for (mu, sigma) in [(5.0, 2.0), (2.0, 3.0), (-1.0, 2.0), (-6.0, 1.5), (0.3, 0.2)] {
            // The truncated CDF in its textbook form, inverted by bisection.
            let cdf = |x: f64| {
                let f0 = n.cdf(-mu / sigma);
                (n.cdf((x - mu) / sigma) - f0) / (1.0 - f0)
            };
            let inv = |p: f64| {
                let (mut a, mut b) = (0.0, mu.abs() + 40.0 * sigma);
                for _ in 0..200 {
                    let m = 0.5 * (a + b);
                    if cdf(m) < p { a = m } else { b = m }
                }
                0.5 * (a + b)
            };
            let (low, high) = (inv(0.1), inv(0.9));
            let (m, s) = fit_truncated_normal(low, high, 80.0).unwrap();
            assert!((m - mu).abs() < 1e-6 * sigma, "{mu},{sigma}: mu {m}");
            assert!((s - sigma).abs() < 1e-6 * sigma, "{mu},{sigma}: sigma {s}");
        }
    }

    /// An interval no truncated normal has is refused, with the smallest
    /// low that fits.
    #[test]
    fn impossible_truncated_normals_are_refused() {
        for (low, high) in [(0.0, 10.0), (0.1, 10.0), (0.4, 10.0)] {
            let err = Estimate::new(
                DistKind::Normal,
                tp(Some(low), None, Some(high), Some(80.0)),
            )
            .unwrap_err();
            assert!(
                matches!(err, EstimateError::NoTruncatedFit { .. }),
                "{low}: {err}"
            );
            let msg = err.to_string();
            assert!(
                msg.contains("P10") && msg.contains("P90") && msg.contains("lognormal"),
                "{msg}"
            );
        }
    }

    #[test]
    fn quantile_inverts_cdf() {
        let ests = [
            Estimate::Pert {
                low: 2.0,
                mode: 3.0,
                high: 10.0,
            },
            Estimate::Triangular {
                low: 2.0,
                mode: 3.0,
                high: 10.0,
            },
            Estimate::Uniform {
                low: 2.0,
                high: 10.0,
            },
            Estimate::Normal { mean: 3.0, sd: 2.0 },
            Estimate::Normal {
                mean: -20.0,
                sd: 2.0,
            },
            Estimate::LogNormal {
                mu: 1.0,
                sigma: 0.5,
            },
        ];
        for e in ests {
            for p in [1e-6, 0.01, 0.1, 0.37, 0.5, 0.8, 0.99, 1.0 - 1e-6] {
                let x = e.quantile(p, 1.0 - p);
                assert!(
                    (e.cdf(x) - p).abs() < 1e-9,
                    "{e:?} p={p}: cdf(q(p)) = {}",
                    e.cdf(x)
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for name in DistKind::NAMES {
            assert_eq!(name.parse::<DistKind>().unwrap().name(), name);
        }
        let err = "betta".parse::<DistKind>().unwrap_err();
        assert_eq!(err.value, "betta");
        assert!(
            err.to_string()
                .starts_with("unknown distribution \"betta\""),
            "{err}"
        );
    }
}
