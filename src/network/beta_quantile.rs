//! The beta quantile function at the knots of a quantile table, integrated
//! from knot to knot instead of inverted at each.
//!
//! A PERT table needs `Q(p)`, the inverse of the regularised incomplete
//! beta function `I_x(a, b)`, at the [`KNOTS`] probabilities of a table half
//! (`2^-26` to `1/2`). Inverting at every knot (statrs `inv_beta_reg`,
//! Newton steps on a continued fraction) costs about a microsecond a knot.
//! Here one inversion anchors the smallest knot, and the others follow from
//! the quantile's differential equation `dQ/dp = 1 / f(Q)`. In `t = ln p`,
//! for `phi = d ln Q / dt` and the odds `z = Q / (1 - Q)`, it is polynomial:
//!
//! ```text
//! phi' = phi - phi^2 (a - (b - 1) z)        z' = phi z (1 + z)
//! ```
//!
//! so its Taylor coefficients follow from products of series, without a
//! transcendental function (Steinbrecher and Shaw, "Quantile mechanics",
//! 2008, give the same equation in `p`). One expansion of [`ORDER`] terms
//! covers every knot its truncation bound allows: tens of knots in the
//! tail, where `Q` is nearly `(p a B(a, b))^(1/a)`, a few near the median.
//! Each knot is then one polynomial evaluation.
//!
//! Accuracy: the solutions of the equation are `I_Q(a, b) = C p + D`, so a
//! truncation error becomes a relative error in `C` that the following
//! expansions carry unchanged, or an error in `D` that shrinks relative to
//! `p` as `p` grows: the errors of the about 20 expansions of a half add up
//! and do not grow. Each is bounded by [`TOL`] relative. Against a 40-digit
//! reference the knots are within a few `1e-15` relative; `inv_beta_reg`
//! itself is off by up to `5e-14`. Cost: about 20 expansions of a few
//! hundred multiply-adds, then 20 multiply-adds a knot: 10 to 20 µs for
//! the knots of a table half, against about a millisecond for
//! `inv_beta_reg` at every knot.

use std::sync::OnceLock;

use statrs::function::beta::{inv_beta_reg, ln_beta};

use super::sampler::{HALF, knot_prob};

/// Distinct knots in a table half: probabilities `2^-26 ..= 1/2`.
pub const KNOTS: usize = HALF - 1;

/// Taylor coefficients per expansion.
const ORDER: usize = 20;

/// Bound on the truncation error of an expansion at a knot it covers,
/// relative to `Q` and to `phi`.
const TOL: f64 = 1e-14;

/// `ln p` at every knot.
fn log_knots() -> &'static [f64; KNOTS] {
    static T: OnceLock<[f64; KNOTS]> = OnceLock::new();
    T.get_or_init(|| std::array::from_fn(|j| knot_prob(j).ln()))
}

/// `sum x_i y_i` over equal-length slices, in four lanes.
#[inline(always)]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let mut s = 0.0;
    for (a, b) in xc.remainder().iter().zip(yc.remainder()) {
        s += a * b;
    }
    for (a, b) in xc.zip(yc) {
        for l in 0..4 {
            acc[l] += a[l] * b[l];
        }
    }
    s + (acc[0] + acc[2]) + (acc[1] + acc[3])
}

/// The Beta(`a`, `b`) quantile at every knot `p_j` of a table half: what
/// `inv_beta_reg(a, b, p_j)` computes, to about `1e-14` relative (see the
/// module docs).
///
/// For `a, b >= 1` (PERT shapes have `a + b = 6`, both in `[1, 5]`): the
/// density is then finite and positive inside `(0, 1)`.
pub fn beta_quantiles(a: f64, b: f64) -> Box<[f64; KNOTS]> {
    debug_assert!(a >= 1.0 && b >= 1.0, "Beta({a}, {b})");
    const N: usize = ORDER;
    let tk = log_knots();
    let mut out = Box::new([0.0; KNOTS]);
    let p0 = knot_prob(0);
    let x0 = inv_beta_reg(a, b, p0);
    out[0] = x0;
    // phi = p / (Q f(Q)), with f(x) = x^(a-1) (1-x)^(b-1) / B(a, b).
    let mut phi = (tk[0] + ln_beta(a, b) - a * x0.ln() - (b - 1.0) * (-x0).ln_1p()).exp();
    let mut z = x0 / (1.0 - x0);
    let bm = b - 1.0;
    // Series coefficients of phi and z, and (reversed: index N - 1 - k for
    // coefficient k, so that a product's coefficient is a dot product of
    // slices) of z, u = phi z and v = a phi - (b - 1) u.
    let (mut f, mut zs) = ([0.0; N], [0.0; N]);
    let (mut zr, mut ur, mut vr) = ([0.0; N], [0.0; N], [0.0; N]);
    let mut j = 0;
    while j + 1 < KNOTS {
        f[0] = phi;
        zs[0] = z;
        zr[N - 1] = z;
        for k in 0..N - 1 {
            // phi' = phi - phi v, z' = u + u z. The sums over the older
            // coefficients do not wait for the newest ones (a short
            // dependency chain from one order to the next).
            let r = N - 1 - k;
            let (u_old, fv_old, uz_old) = if k == 0 {
                (0.0, 0.0, 0.0)
            } else {
                (
                    dot(&f[1..k], &zr[r + 1..N - 1]),
                    dot(&f[1..=k], &vr[r + 1..]),
                    dot(&zs[1..=k], &ur[r + 1..]),
                )
            };
            let u = if k == 0 {
                f[0] * zs[0]
            } else {
                u_old + f[k] * zs[0] + f[0] * zs[k]
            };
            let v = a * f[k] - bm * u;
            ur[r] = u;
            vr[r] = v;
            let inv = 1.0 / (k + 1) as f64;
            f[k + 1] = (f[k] - fv_old - f[0] * v) * inv;
            zs[k + 1] = (u + uz_old + zs[0] * u) * inv;
            zr[r - 1] = zs[k + 1];
        }
        // The knots this expansion covers: the next one, and those after it
        // where the last two terms stay within the tolerance.
        let t0 = tk[j];
        let (z1, z2) = (zs[N - 1].abs(), zs[N - 2].abs());
        let (f1, f2) = (f[N - 1].abs(), f[N - 2].abs());
        let mut end = j + 2;
        while end < KNOTS {
            let d = tk[end] - t0;
            let dn = d.powi(N as i32 - 2);
            if dn * (z2 + z1 * d) > TOL * z || dn * (f2 + f1 * d) > TOL * phi {
                break;
            }
            end += 1;
        }
        // Horner's rule over eight knots at a time (independent chains).
        let mut s = j + 1;
        while s < end {
            let d: [f64; 8] = std::array::from_fn(|l| tk[(s + l).min(end - 1)] - t0);
            let mut q = [zs[N - 1]; 8];
            for &c in zs[..N - 1].iter().rev() {
                for l in 0..8 {
                    q[l] = q[l] * d[l] + c;
                }
            }
            for (l, &q) in q.iter().enumerate().take(end - s) {
                out[s + l] = q / (1.0 + q);
            }
            s += 8;
        }
        let last = end - 1;
        let d = tk[last] - t0;
        let (mut pf, mut pz) = (f[N - 1], zs[N - 1]);
        for k in (0..N - 1).rev() {
            pf = pf * d + f[k];
            pz = pz * d + zs[k];
        }
        phi = pf;
        z = pz;
        j = last;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integrated quantiles against `inv_beta_reg` at every knot, over
    /// PERT shapes from the mode at the low end to the mode at the high end
    /// (`a` or `b` equal to 1). Both are within `1e-13` of each other
    /// (`inv_beta_reg` is itself off by up to `5e-14`).
    #[test]
    fn integrated_quantiles_match_inv_beta_reg() {
        let mut worst: f64 = 0.0;
        for k in 0..=100 {
            let r = f64::from(k) / 100.0;
            for (a, b) in [
                (1.0 + 4.0 * r, 5.0 - 4.0 * r),
                (5.0 - 4.0 * r, 1.0 + 4.0 * r),
            ] {
                let q = beta_quantiles(a, b);
                for (j, &x) in q.iter().enumerate() {
                    let exact = inv_beta_reg(a, b, knot_prob(j));
                    let rel = ((x - exact) / exact).abs();
                    assert!(
                        rel < 1e-13,
                        "Beta({a}, {b}) at p = {}: {x} vs {exact}",
                        knot_prob(j)
                    );
                    worst = worst.max(rel);
                }
            }
        }
        eprintln!("worst relative difference {worst:.2e}");
    }
}
