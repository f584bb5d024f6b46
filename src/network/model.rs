//! The parts of a compiled network beyond the schedule: risk events and the
//! copula that correlates task durations.

use std::sync::OnceLock;

use ndarray::Array2;
use statrs::distribution::{ContinuousCDF, Normal};

use super::sampler::{QuantileTable, Sampler, U_MIN, table_sample};

/// A compiled risk event.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskNet {
    /// Stream id of the "does it fire" draw.
    pub fire_stream: u64,
    /// Stream id of the impact draw.
    pub impact_stream: u64,
    /// Chance of firing per iteration (0 when switched off).
    pub probability: f32,
    /// The delay when it fires.
    pub impact: Sampler,
    /// Positions of the tasks it delays.
    pub affects: Vec<u32>,
}

/// How correlated tasks turn their own uniforms into correlated ones
/// (a Gaussian copula): `eps_i = Phi^-1(u_i)`, `z = L eps`, `u'_i = Phi(z_i)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Copula {
    /// Non-negative correlation within teams: `z_i = a g_team + b eps_i` with
    /// one shared normal `g` per team, `a = sqrt(r)`, `b = sqrt(1 - r)`.
    /// O(1) per task.
    OneFactor {
        /// Positions of the correlated tasks.
        members: Vec<u32>,
        /// Per member: its team (index into `team_streams`).
        group: Vec<u32>,
        /// Per member: `sqrt(r)`.
        load: Vec<f32>,
        /// Per member: `sqrt(1 - r)`.
        resid: Vec<f32>,
        /// Stream id of each team's shared factor.
        team_streams: Vec<u64>,
    },
    /// Any positive semi-definite matrix: `z = L eps` with `L` the lower
    /// Cholesky factor (`k x k`). O(k) per task.
    Dense {
        /// Positions of the correlated tasks, in matrix order.
        members: Vec<u32>,
        /// The factor `L`: row `m` holds member `m`'s weights on the
        /// members' own normals (zero past the diagonal).
        factor: Array2<f32>,
    },
}

impl Copula {
    /// Positions of the correlated tasks.
    pub fn members(&self) -> &[u32] {
        match self {
            Copula::OneFactor { members, .. } | Copula::Dense { members, .. } => members,
        }
    }
}

/// The standard normal quantile function as a table (see [`QuantileTable`]).
pub fn normal_quantile() -> &'static QuantileTable {
    static T: OnceLock<QuantileTable> = OnceLock::new();
    T.get_or_init(|| {
        let n = Normal::standard();
        QuantileTable::new(|p, q| {
            if p <= 0.5 {
                n.inverse_cdf(p)
            } else {
                -n.inverse_cdf(q)
            }
        })
    })
}

/// `Phi^-1(u)` from the table.
#[inline(always)]
pub fn phi_inv(u: f32) -> f32 {
    let t = normal_quantile().as_slice();
    table_sample(t.try_into().expect("a table is TABLE_LEN floats"), u)
}

/// Knots of the normal CDF table over `[-Z_MAX, Z_MAX]`.
const PHI_KNOTS: usize = 8192;
/// The CDF table's range; beyond it the uniform is clamped to the engine's
/// range `[2^-24, 1 - 2^-24]` anyway (`Phi(-5.33) = 2^-24`).
const Z_MAX: f32 = 6.0;

fn phi_table() -> &'static [f32] {
    static T: OnceLock<Vec<f32>> = OnceLock::new();
    T.get_or_init(|| {
        let n = Normal::standard();
        (0..=PHI_KNOTS + 1)
            .map(|k| {
                let z = -f64::from(Z_MAX) + 2.0 * f64::from(Z_MAX) * k as f64 / PHI_KNOTS as f64;
                n.cdf(z) as f32
            })
            .collect()
    })
}

/// `Phi(z)` by linear interpolation (absolute error below `2e-7`), clamped
/// to the engine's uniform range.
#[inline(always)]
pub fn phi(z: f32, table: &[f32]) -> f32 {
    let x = ((z + Z_MAX) * (PHI_KNOTS as f32 / (2.0 * Z_MAX))).clamp(0.0, PHI_KNOTS as f32);
    // SAFETY-free conversion: x is finite and in [0, PHI_KNOTS].
    let i = (x as usize).min(PHI_KNOTS);
    let f = x - i as f32;
    let (a, b) = (table[i], table[i + 1]);
    (a + f * (b - a)).clamp(U_MIN, 1.0 - U_MIN)
}

/// The CDF table, for callers that hoist it out of a loop.
pub fn phi_slice() -> &'static [f32] {
    phi_table()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_and_its_inverse_are_accurate() {
        let n = Normal::standard();
        let t = phi_slice();
        for k in -500..=500 {
            let z = k as f64 / 100.0;
            let got = f64::from(phi(z as f32, t));
            let want = n.cdf(z).clamp(f64::from(U_MIN), 1.0 - f64::from(U_MIN));
            assert!((got - want).abs() < 3e-7, "Phi({z}) = {got}, want {want}");
        }
        for u in [1e-6f32, 0.01, 0.3, 0.5, 0.77, 0.999] {
            let z = f64::from(phi_inv(u));
            assert!((n.cdf(z) - f64::from(u)).abs() < 1e-4 * f64::from(u.min(1.0 - u)) + 1e-7);
        }
    }
}
