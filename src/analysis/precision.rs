//! How many iterations a requested precision takes.
//!
//! The half-width of a percentile's confidence interval shrinks as
//! `1 / sqrt(iterations)`. Starting small, each round simulates (finish
//! only), measures the widest half-width of P50/P80/P90 and, if it is above
//! the target, grows the run by the factor that scaling predicts (at least
//! doubling). Every draw depends only on (seed, task, iteration), so a run of
//! `n` iterations is the first `n` of any longer one: the rounds, and the
//! final answer, are reproducible for a seed.

use serde::Serialize;

use crate::engine::{SimOptions, simulate};
use crate::network::Network;

use super::percentiles::Sample;

/// The outcome of a precision search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Precision {
    /// The requested bound on the half-width, in working days.
    pub target_days: f64,
    /// Iterations needed.
    pub iterations: u64,
    /// Rounds simulated to find them.
    pub rounds: u32,
    /// The widest half-width reached (P50, P80, P90), in working days.
    pub half_width: f64,
    /// Whether the target was reached within the iteration limit.
    pub reached: bool,
}

/// The widest 95% half-width of P50, P80 and P90 of a sample.
pub fn worst_half_width(s: &Sample) -> f64 {
    [0.5, 0.8, 0.9]
        .iter()
        .map(|&q| {
            let (lo, hi) = s.quantile_interval(q, 0.95);
            (hi - lo) / 2.0
        })
        .fold(0.0, f64::max)
}

/// A precision that cannot be reached within the iteration limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "--precision {} would need about {needed:.1e} iterations (the pilot run of {pilot} \
     iterations reached ±{} working days), more than the {max} this run may use. Ask for a \
     coarser precision (±{} working days is reachable), or give -n instead",
    days(*target_days), days(*half_width), days(*reachable)
)]
pub struct Unreachable {
    /// The requested bound on the half-width, in working days.
    pub target_days: f64,
    /// Iterations the `1 / sqrt(n)` scaling predicts it needs.
    pub needed: f64,
    /// Iterations of the pilot round.
    pub pilot: u64,
    /// The pilot round's widest half-width.
    pub half_width: f64,
    /// The most iterations allowed.
    pub max: u64,
    /// The half-width the scaling predicts at `max` iterations.
    pub reachable: f64,
}

/// Working days in a message: three decimals, or scientific notation for
/// tiny values.
fn days(x: f64) -> String {
    if x >= 0.001 {
        format!("{x:.3}")
    } else {
        format!("{x:.0e}")
    }
}

/// Finds the iterations for which the P50/P80/P90 half-widths are at most
/// `target_days`, starting at `start` and never above `max`.
///
/// Cost: a finish-only simulation per round; the last round dominates.
///
/// # Errors
///
/// [`Unreachable`] after the first round, when the `1 / sqrt(n)` scaling
/// predicts more than `max` iterations: nothing more is simulated.
pub fn iterations_for_precision(
    net: &Network,
    seed: u64,
    target_days: f64,
    start: u64,
    max: u64,
) -> Result<Precision, Unreachable> {
    let mut n = start.clamp(1000, max);
    let mut rounds = 0;
    loop {
        rounds += 1;
        let o = simulate(net, &SimOptions::finish_only(n, seed));
        let hw = worst_half_width(&Sample::new(&o.project));
        if hw <= target_days || n >= max {
            return Ok(Precision {
                target_days,
                iterations: n,
                rounds,
                half_width: hw,
                reached: hw <= target_days,
            });
        }
        let ratio = (hw / target_days).powi(2);
        let needed = n as f64 * ratio;
        if rounds == 1 && needed > max as f64 {
            return Err(Unreachable {
                target_days,
                needed,
                pilot: n,
                half_width: hw,
                max,
                reachable: hw * (n as f64 / max as f64).sqrt(),
            });
        }
        let grow = (ratio * 1.1).max(2.0);
        n = (((n as f64 * grow) / 1000.0).ceil() as u64 * 1000).min(max);
    }
}
