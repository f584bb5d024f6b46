//! One iteration of a run, found and scheduled again: the iteration whose
//! finish is a percentile of the run, and its batch replayed from the seed.
//!
//! A run stores only each iteration's project finish. Any iteration can be
//! regenerated all the same: every draw depends only on the seed, the task
//! (or risk) and the iteration, and every SIMD path computes the same
//! schedule as the portable one, so scheduling the iteration's batch of
//! [`LANES`] iterations again gives the run's times bit for bit.

use crate::engine::rng::Software;
use crate::engine::{LANES, Workspace};
use crate::network::Network;

use super::percentiles::Sample;

/// The lowest-index iteration among the first `n` of `project` (a run's
/// project finishes, in iteration order) whose finish is their `q`
/// quantile (`q` in `[0, 1]`; a percentile is one of the values, see
/// [`Sample::quantile`]).
///
/// Cost: one sort of `n` values.
///
/// # Panics
///
/// If `n` is 0 or `project` is empty.
///
/// # Examples
///
/// ```
/// use slipcast::analysis::iteration_at;
/// let project = [9.0, 4.0, 7.0, 5.0, 7.0];
/// assert_eq!(iteration_at(&project, 5, 0.5), 2); // P50 is 7: iterations 2 and 4
/// assert_eq!(iteration_at(&project, 5, 0.8), 2);
/// assert_eq!(iteration_at(&project, 5, 1.0), 0);
/// assert_eq!(iteration_at(&project, 2, 0.5), 1); // among 9 and 4, P50 is 4
/// ```
pub fn iteration_at(project: &[f32], n: u64, q: f64) -> u64 {
    let head = &project[..(n.min(project.len() as u64)) as usize];
    first_with(head, Sample::new(head).quantile(q))
}

/// The lowest-index iteration of `project` whose finish is `finish` (a
/// value of the sample, such as one of its percentiles).
///
/// # Panics
///
/// If no iteration finishes at `finish`.
pub fn first_with(project: &[f32], finish: f64) -> u64 {
    project
        .iter()
        .position(|&x| f64::from(x) == finish)
        .expect("a percentile is one of the sample's values") as u64
}

/// An iteration's batch, scheduled again: the workspace holds its rows, and
/// `lane` is the iteration's lane in them.
#[derive(Debug, Clone)]
pub(crate) struct Replayed {
    /// The batch's rows, as the run computed them.
    pub ws: Workspace,
    /// The first iteration of the batch (a multiple of [`LANES`]).
    pub first: u64,
    /// The iteration's lane.
    pub lane: usize,
}

impl Replayed {
    /// Schedules the batch of iteration `iteration` of a run of `net` with
    /// `seed`. With task calendars, every start is converted to the time
    /// axis too (the run converts only those a link reads).
    ///
    /// Cost: one batch of [`LANES`] iterations.
    pub(crate) fn new(net: &Network, seed: u64, iteration: u64) -> Replayed {
        // `simulate` runs batches of LANES iterations from multiples of LANES.
        let lanes = LANES as u64;
        let first = iteration / lanes * lanes;
        let mut ws = Workspace::new(net, seed);
        ws.keep_starts(true);
        ws.run::<Software>(net, first);
        Replayed {
            ws,
            first,
            lane: (iteration - first) as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iteration_at_a_percentile_is_the_first_with_its_finish() {
        let p = [3.0, 1.0, 2.0, 2.0, 5.0];
        assert_eq!(iteration_at(&p, 5, 0.5), 2);
        // Among the first two (3 and 1) the P50 is 1.
        assert_eq!(iteration_at(&p, 2, 0.5), 1);
        assert_eq!(iteration_at(&p, 99, 0.5), 2);
        assert_eq!(iteration_at(&p, 5, 0.8), 0);
        assert_eq!(iteration_at(&p, 5, 1.0), 4);
        assert_eq!(iteration_at(&[7.0], 1, 0.8), 0);
    }
}
