//! Per-task duration samplers that turn a uniform draw into a duration.
//!
//! Every sampler is an inverse CDF, so one uniform `u` per task and iteration
//! gives one duration, and the same `u` always gives the same duration. That
//! is what makes common random numbers (scenarios, cut lines, drivers) exact.
//!
//! Fixed, uniform and triangular durations use their closed-form inverse CDF.
//! PERT, normal and log-normal use a [`QuantileTable`]: the exact quantile
//! function evaluated in `f64` at knots spaced evenly in *log* probability
//! toward both tails, interpolated linearly in `f32`.

use crate::plan::Estimate;

/// Sub-knots per octave of probability in a quantile table (32: the table is 6.4 KB).
const KNOTS_PER_OCTAVE: u32 = 32;
/// Bits of an `f32` mantissa below the sub-knot index.
const FRAC_BITS: u32 = 23 - KNOTS_PER_OCTAVE.trailing_zeros();
/// Smallest tail probability a knot is placed at: 2^-26, below the smallest
/// uniform the engine draws (2^-24).
const V0_BITS: u32 = (127 - 26) << 23;
/// Knots in one half of a table: probabilities 2^-26 ..= 0.5, plus one pad.
pub const HALF: usize = 25 * KNOTS_PER_OCTAVE as usize + 2;
/// Floats in one table (lower half, then upper half).
pub const TABLE_LEN: usize = 2 * HALF;

/// The smallest uniform the engine draws, `2^-24` (the largest is `1 - 2^-24`).
pub const U_MIN: f32 = 1.0 / 16_777_216.0;

/// The tail probability of knot `j` of a table half.
fn knot_prob(j: usize) -> f64 {
    f64::from(f32::from_bits(V0_BITS + ((j as u32) << FRAC_BITS)))
}

/// An inverse CDF sampled at knots `v_j` (geometric toward the tails, 32 per
/// octave of probability, from `2^-26` to `1/2`): the first half holds
/// `Q(v_j)`, the second `Q(1 - v_j)`.
///
/// Invariants: values are finite and non-decreasing in `u`.
/// Accuracy: linear interpolation; for PERT, normal and log-normal the
/// Kolmogorov-Smirnov distance to the exact distribution is below `5e-5`
/// (tested in this module). Cost: one table read pair per draw.
#[derive(Debug, Clone)]
pub struct QuantileTable {
    knots: Box<[f32]>,
}

impl QuantileTable {
    /// Builds a table from the exact quantile function `q(p, 1 - p)`.
    pub fn new(q: impl Fn(f64, f64) -> f64) -> QuantileTable {
        QuantileTable {
            knots: at_knots(|p, q1| q(p, q1) as f32).into_boxed_slice(),
        }
    }

    /// The table's floats, for packing into a network's table arena.
    pub fn as_slice(&self) -> &[f32] {
        &self.knots
    }
}

/// Samples a table (`t` has [`TABLE_LEN`] floats) at uniform `u` in `(0, 1)`.
#[inline(always)]
pub fn table_sample(t: &[f32; TABLE_LEN], u: f32) -> f32 {
    let upper = u > 0.5;
    let v = if upper { 1.0 - u } else { u };
    let bits = v.to_bits().wrapping_sub(V0_BITS);
    // Always in range for `u` in (0, 1); the `min` (a no-op there) lets the
    // compiler drop the bounds checks.
    let idx = ((bits >> FRAC_BITS) as usize + if upper { HALF } else { 0 }).min(TABLE_LEN - 2);
    let frac = (bits & ((1 << FRAC_BITS) - 1)) as f32 * (1.0 / (1 << FRAC_BITS) as f32);
    let (a, b) = (t[idx], t[idx + 1]);
    a + frac * (b - a)
}

/// A compiled sampler. Parameters are `f32`, the precision of the engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampler {
    /// Always the value.
    Fixed(f32),
    /// `low + u * width`.
    Uniform {
        /// Lower bound.
        low: f32,
        /// `high - low`.
        width: f32,
    },
    /// Closed-form triangular inverse CDF.
    Triangular {
        /// Lower bound.
        low: f32,
        /// Upper bound.
        high: f32,
        /// CDF at the mode, `(mode - low) / (high - low)`.
        fc: f32,
        /// `(high - low) * (mode - low)`.
        left: f32,
        /// `(high - low) * (high - mode)`.
        right: f32,
    },
    /// A quantile table at `offset` in the network's table arena.
    Table {
        /// Start of the table in the arena.
        offset: u32,
    },
}

impl Sampler {
    /// The duration for uniform `u`.
    #[inline(always)]
    pub fn sample(&self, u: f32, tables: &[f32]) -> f32 {
        match *self {
            Sampler::Fixed(v) => v,
            Sampler::Uniform { low, width } => low + u * width,
            Sampler::Triangular {
                low,
                high,
                fc,
                left,
                right,
            } => {
                let a = low + (u * left).sqrt();
                let b = high - ((1.0 - u) * right).sqrt();
                if u < fc { a } else { b }
            }
            Sampler::Table { offset } => {
                let t = &tables[offset as usize..offset as usize + TABLE_LEN];
                table_sample(t.try_into().expect("a table is TABLE_LEN floats"), u)
            }
        }
    }

    /// Compiles an estimate; table-based ones append their table to `arena`.
    pub fn compile(e: &Estimate, arena: &mut Vec<f32>) -> Sampler {
        Sampler::compile_with(e, arena, &mut PertShapes::default())
    }

    /// [`Sampler::compile`], with the PERT shapes already inverted kept in
    /// `shapes`: a plan whose tasks share a shape (a `--range` template,
    /// estimates in the same proportions) inverts the beta function once
    /// per shape instead of once per task, with the same bits.
    pub fn compile_with(e: &Estimate, arena: &mut Vec<f32>, shapes: &mut PertShapes) -> Sampler {
        if let Estimate::Pert { low, mode, high } = *e {
            let offset = arena.len() as u32;
            let w = high - low;
            let r = (mode - low) / w;
            let (a, b) = (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r));
            let shape = shapes
                .0
                .entry((a.to_bits(), b.to_bits()))
                .or_insert_with(|| pert_shape(a, b));
            // As Estimate::quantile: from the low end up to the median,
            // from the high end above it.
            arena.extend(shape.iter().map(|&(upper, x)| {
                if upper {
                    (high - w * x) as f32
                } else {
                    (low + w * x) as f32
                }
            }));
            return Sampler::Table { offset };
        }
        match *e {
            Estimate::Fixed { days } => Sampler::Fixed(days as f32),
            Estimate::Uniform { low, high } => Sampler::Uniform {
                low: low as f32,
                width: (high - low) as f32,
            },
            Estimate::Triangular { low, mode, high } => Sampler::Triangular {
                low: low as f32,
                high: high as f32,
                fc: ((mode - low) / (high - low)) as f32,
                left: ((high - low) * (mode - low)) as f32,
                right: ((high - low) * (high - mode)) as f32,
            },
            Estimate::Pert { .. } | Estimate::Normal { .. } | Estimate::LogNormal { .. } => {
                let table = QuantileTable::new(|p, q| e.quantile(p, q));
                let offset = arena.len() as u32;
                arena.extend_from_slice(table.as_slice());
                Sampler::Table { offset }
            }
        }
    }
}

/// The inverted beta functions of the PERT shapes compiled so far, by
/// their parameters' bits.
#[derive(Debug, Default)]
pub struct PertShapes(std::collections::HashMap<(u64, u64), Vec<(bool, f64)>>);

/// A PERT table's knots on the unit interval, in the order and by the
/// branches of [`QuantileTable::new`] over [`Estimate::quantile`]: per knot,
/// whether it counts down from the high end, and the inverted beta there.
fn pert_shape(a: f64, b: f64) -> Vec<(bool, f64)> {
    use statrs::function::beta::inv_beta_reg;
    let point = |p: f64, q: f64| {
        if p <= 0.5 {
            (false, inv_beta_reg(a, b, p))
        } else {
            (true, inv_beta_reg(b, a, q))
        }
    };
    at_knots(point)
}

/// `f(p, 1 - p)` at every knot of a table, lower half then upper half.
fn at_knots<T: Clone + Default>(f: impl Fn(f64, f64) -> T) -> Vec<T> {
    let mut knots = vec![T::default(); TABLE_LEN];
    for j in 0..HALF {
        let v = knot_prob(j.min(HALF - 2));
        knots[j] = f(v, 1.0 - v);
        knots[HALF + j] = f(1.0 - v, v);
    }
    knots
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kolmogorov-Smirnov distance of the table's distribution to the exact
    /// CDF, computed exactly over the engine's uniform grid by evaluating
    /// both at many `u`: for a monotone sampler, sup |F(Q_table(u)) - u|.
    fn ks(e: &Estimate) -> f64 {
        let mut arena = Vec::new();
        let s = Sampler::compile(e, &mut arena);
        let mut worst: f64 = 0.0;
        let n = 200_000;
        for k in 0..n {
            let u = ((k as f64 + 0.5) / n as f64) as f32;
            let x = s.sample(u, &arena);
            worst = worst.max((e.cdf(f64::from(x)) - f64::from(u)).abs());
        }
        worst
    }

    /// Shapes shared through the cache give the tables built directly, bit
    /// for bit.
    #[test]
    fn shared_pert_shapes_give_the_same_tables() {
        let mut shapes = PertShapes::default();
        for (low, mode, high) in [
            (2.0, 3.0, 10.0),
            (4.0, 6.0, 20.0),
            (0.0, 0.0, 5.0),
            (1.0, 1.5, 3.0),
        ] {
            let e = Estimate::Pert { low, mode, high };
            let direct = QuantileTable::new(|p, q| e.quantile(p, q));
            let mut arena = vec![1.0];
            let s = Sampler::compile_with(&e, &mut arena, &mut shapes);
            assert!(matches!(s, Sampler::Table { offset: 1 }));
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&arena[1..]), bits(direct.as_slice()), "{e:?}");
        }
        // (2, 3, 10) and (4, 6, 20) share a shape.
        assert_eq!(shapes.0.len(), 3);
    }

    #[test]
    fn tables_match_exact_cdfs() {
        let cases = [
            Estimate::Pert {
                low: 2.0,
                mode: 3.0,
                high: 10.0,
            },
            Estimate::Pert {
                low: 0.0,
                mode: 0.0,
                high: 10.0,
            },
            Estimate::Pert {
                low: 5.0,
                mode: 9.99,
                high: 10.0,
            },
            Estimate::Normal {
                mean: 10.0,
                sd: 2.0,
            },
            Estimate::Normal { mean: 1.0, sd: 2.0 },
            Estimate::LogNormal {
                mu: 2.0,
                sigma: 0.6,
            },
        ];
        for e in cases {
            let d = ks(&e);
            eprintln!("{e:?}: KS {d:.2e}");
            assert!(d < 5e-5, "{e:?}: KS distance {d}");
        }
    }

    /// Standard deviation of the table sampler against the exact quantile
    /// function, both integrated over the same fine grid of the engine's
    /// uniforms, so the comparison isolates the table's error.
    #[test]
    fn tables_keep_the_standard_deviation() {
        let cases = [
            Estimate::Pert {
                low: 2.0,
                mode: 3.0,
                high: 10.0,
            },
            Estimate::Pert {
                low: 0.0,
                mode: 0.0,
                high: 10.0,
            },
            Estimate::Normal {
                mean: 10.0,
                sd: 2.0,
            },
            Estimate::Normal { mean: 1.0, sd: 2.0 },
            Estimate::LogNormal {
                mu: 2.0,
                sigma: 0.6,
            },
            Estimate::LogNormal {
                mu: 0.0,
                sigma: 1.2,
            },
        ];
        let n = 1 << 18;
        for e in cases {
            let mut arena = Vec::new();
            let s = Sampler::compile(&e, &mut arena);
            let (mut t1, mut t2, mut x1, mut x2) = (0.0, 0.0, 0.0, 0.0);
            for k in 0..n {
                let p = (k as f64 + 0.5) / n as f64;
                let t = f64::from(s.sample(p as f32, &arena));
                let x = e.quantile(p, 1.0 - p);
                t1 += t;
                t2 += t * t;
                x1 += x;
                x2 += x * x;
            }
            let sd = |s1: f64, s2: f64| (s2 / n as f64 - (s1 / n as f64).powi(2)).sqrt();
            let rel = (sd(t1, t2) / sd(x1, x2) - 1.0).abs();
            eprintln!("{e:?}: sd error {rel:.2e}");
            assert!(rel < 1e-3, "{e:?}: standard deviation off by {rel}");
        }
    }

    #[test]
    fn closed_forms_are_exact() {
        let mut arena = Vec::new();
        let tri = Estimate::Triangular {
            low: 1.0,
            mode: 2.0,
            high: 5.0,
        };
        let s = Sampler::compile(&tri, &mut arena);
        for u in [0.01f32, 0.25, 0.5, 0.9] {
            let x = f64::from(s.sample(u, &arena));
            assert!((tri.cdf(x) - f64::from(u)).abs() < 1e-6, "u={u}");
        }
    }
}
