//! One simulation for a family of nested scopes, such as the positions of a
//! cut line: the project finish of every position from a single pass.
//!
//! When every cut set is closed under dependents (a kept task never waits
//! for a cut one), a kept task is scheduled exactly as in the full plan,
//! draw for draw: same sampler, same random stream, same predecessors. So
//! the project finish of a position is the latest finish over the tasks it
//! keeps, read off one schedule of the full network. Positions are nested
//! (each keeps a subset of the previous one), so each task is counted by a
//! prefix of positions, and per iteration the finishes of all positions are
//! suffix maxima over [`positions`] groups: the sweep costs one simulation
//! plus O(finish tasks + positions) per iteration, instead of one
//! simulation per position. The result is bit-identical to simulating
//! [`Network::without`] for each position (`max` is exact).
//!
//! [`positions`]: simulate_nested

use rayon::prelude::*;

use crate::network::Network;

use super::rng::Blocks;
use super::schedule::{LANES, Workspace};
use super::simd::{Simd, dispatch};
use super::simulate::{CHUNK, SimOptions};

struct Nested<'a> {
    net: &'a Network,
    ws: Workspace,
    /// Per entry of the network's finish set: the last position keeping it.
    group: &'a [u32],
    /// Per position: the running maxima of one batch.
    max: Vec<[f32; LANES]>,
}

dispatch!(fn run_kernel(w: &mut Nested, first: u64, outs: &mut [&mut [f32]]) => Nested::kernel);

impl Nested<'_> {
    /// The batched loop over one chunk: compiled once per [`Simd`] path.
    #[inline(always)]
    fn kernel<G: Blocks>(&mut self, first: u64, outs: &mut [&mut [f32]]) {
        let len = outs[0].len();
        for b in 0..len.div_ceil(LANES) {
            let at = b * LANES;
            let valid = LANES.min(len - at);
            self.ws.run::<G>(self.net, first + at as u64);
            // The project finish is never before 0, as in the engine.
            for m in self.max.iter_mut() {
                *m = [0.0; LANES];
            }
            for (&pos, &g) in self.net.finish_set().iter().zip(self.group) {
                let fin = self.ws.finish(pos as usize);
                let m = &mut self.max[g as usize];
                for l in 0..LANES {
                    m[l] = m[l].max(fin[l]);
                }
            }
            // Position k keeps every task whose last position is k or later.
            for k in (0..self.max.len() - 1).rev() {
                let next = self.max[k + 1];
                let m = &mut self.max[k];
                for l in 0..LANES {
                    m[l] = m[l].max(next[l]);
                }
            }
            for (out, m) in outs.iter_mut().zip(&self.max) {
                out[at..at + valid].copy_from_slice(&m[..valid]);
            }
        }
    }
}

/// The project finish of every iteration for each of `positions` nested
/// scopes, from one simulation of `net`.
///
/// `last[t]` is the last position that keeps plan task `t`: positions
/// `0..=last[t]` count its finish, later ones treat it as cut. The caller
/// guarantees that every cut set is closed under dependents (see the module
/// doc); then entry `k` equals `simulate(&net.without(&cut_k), ..).project`
/// bit for bit. Criticality and finish-day options are ignored.
///
/// Multi-threaded (rayon, the global pool); bit-identical for any thread
/// count. Memory: `positions` vectors of `iterations` floats, plus a batch
/// workspace per worker.
///
/// # Panics
///
/// If `positions` is 0, `last` is not one entry per task or names a
/// position out of range, or `opts.iterations` is 0 or at least 2^32.
pub fn simulate_nested(
    net: &Network,
    last: &[usize],
    positions: usize,
    opts: &SimOptions,
) -> Vec<Vec<f32>> {
    simulate_nested_part(net, last, positions, opts, 0..opts.iterations)
}

/// [`simulate_nested`] of the iterations `range` only (starting on a
/// chunk): each position's project finishes of those iterations, the same
/// bits as the whole run's.
///
/// # Panics
///
/// As [`simulate_nested`], and if `range` does not start on a chunk or runs
/// past the iterations.
pub fn simulate_nested_part(
    net: &Network,
    last: &[usize],
    positions: usize,
    opts: &SimOptions,
    range: std::ops::Range<u64>,
) -> Vec<Vec<f32>> {
    assert!(range.start.is_multiple_of(CHUNK as u64) || range.is_empty());
    assert!(range.start <= range.end && range.end <= opts.iterations);
    assert!(positions > 0, "at least one position");
    assert_eq!(last.len(), net.len(), "one entry per plan task");
    assert!(last.iter().all(|&k| k < positions), "position out of range");
    assert!(opts.iterations > 0 && opts.iterations < (1 << 32));
    let n = (range.end - range.start) as usize;
    let first = range.start;
    let group: Vec<u32> = net
        .finish_set()
        .iter()
        .map(|&pos| last[net.task_index(pos as usize)] as u32)
        .collect();
    let mut result = vec![vec![0f32; n]; positions];
    let chunks = n.div_ceil(CHUNK);
    let mut per_chunk: Vec<Vec<&mut [f32]>> =
        (0..chunks).map(|_| Vec::with_capacity(positions)).collect();
    for v in result.iter_mut() {
        for (c, s) in v.chunks_mut(CHUNK).enumerate() {
            per_chunk[c].push(s);
        }
    }
    let simd = opts.simd.unwrap_or_else(Simd::detect);
    let min_len = (chunks / (4 * rayon::current_num_threads())).max(1);
    per_chunk
        .into_par_iter()
        .enumerate()
        .with_min_len(min_len)
        .for_each_init(
            || Nested {
                net,
                ws: Workspace::new(net, opts.seed),
                group: &group,
                max: vec![[0.0; LANES]; positions],
            },
            |w, (c, mut outs)| {
                if opts.progress.is_some_and(super::Progress::is_cancelled) {
                    return;
                }
                run_kernel(simd, w, first + (c * CHUNK) as u64, &mut outs);
                if let Some(p) = opts.progress {
                    p.done
                        .fetch_add(outs[0].len() as u64, std::sync::atomic::Ordering::Relaxed);
                }
            },
        );
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate;
    use crate::plan::parse_plan;

    #[test]
    fn matches_one_simulation_per_position() {
        // b and c depend on a; d is independent. Positions: keep all; cut
        // c; cut a, b, c (a's dependents go with it).
        let plan = parse_plan(
            "p.csv",
            "id,low,likely,high,depends_on\n\
             a,1,3,9,\nb,2,4,7,a\nc,1,2,12,b:SS+1\nd,3,5,8,\n",
            None,
        )
        .unwrap();
        let net = Network::compile(&plan, None);
        let last = [1, 1, 0, 2];
        let cuts = [
            [false, false, false, false],
            [false, false, true, false],
            [true, true, true, false],
        ];
        for iterations in [1, 63, 64, 65, CHUNK as u64 + 7] {
            let opts = SimOptions::finish_only(iterations, 5);
            let nested = simulate_nested(&net, &last, 3, &opts);
            for (k, cut) in cuts.iter().enumerate() {
                let one = simulate(&net.without(cut), &opts).project;
                assert_eq!(nested[k], one, "position {k}, {iterations} iterations");
            }
        }
    }
}
