//! Co-moments of tasks' uniforms with a per-iteration score, in one pass.
//!
//! Every duration sampler is an inverse CDF: a task without risks draws its
//! duration as a non-decreasing function of one uniform `u` (for a
//! correlated task, the copula's correlated uniform). Its uniforms can be
//! regenerated from the seed without drawing the duration or scheduling
//! anything, and their sums against a score of each iteration (the
//! project finish's centred rank, for rank sensitivity) accumulated for
//! every task at once: see [`uniform_sums`].

// Row loops index several rows in lockstep (`for l in 0..LANES`), the form
// the vectoriser handles predictably.
#![allow(clippy::needless_range_loop)]

use std::sync::Mutex;

use rayon::prelude::*;

use crate::network::Network;

use super::rng::Blocks;
use super::schedule::{LANES, Workspace};
use super::simd::{Simd, dispatch};

/// Iterations per job (a multiple of [`LANES`]): small enough that 100,000
/// iterations make a few dozen jobs, large enough that a job's setup is
/// noise.
const CHUNK: usize = 64 * LANES;

/// Tasks per job: plans with few iterations ranked still spread over the
/// threads.
const TASK_BLOCK: usize = 2048;

/// Fixed-point scale of the exact totals.
const FIXED: f64 = 4_294_967_296.0;

/// One task's sums over the iterations, with `v = u - 1/2` its centred
/// uniform and `y` the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UniformSums {
    /// Sum of `v`.
    pub v: f64,
    /// Sum of `v^2`.
    pub vv: f64,
    /// Sum of `v y`.
    pub vy: f64,
}

/// A batch of scores, and which of its lanes are iterations (1) or padding
/// past the last one (0).
struct Scores {
    y: [f64; LANES],
    valid: [f64; LANES],
}

dispatch!(fn run_block(
    ws: &mut Workspace,
    net: &Network,
    positions: &[usize],
    first: u64,
    rows: &[Scores],
    out: &mut [[f64; 3]]
) => block_kernel);

/// The sums of the tasks at `positions` over the iterations of `rows`
/// (starting at iteration `first`), one task at a time so that its
/// accumulators and the scores stay in L1.
///
/// Each lane keeps its own three sums over the batches, added lane by lane
/// (vertical adds only: no shuffles, the same bits on every instruction-set
/// path), and the lanes are added in order at the end of the job. (Sums
/// over part-rows interleaved the lanes, which the vectoriser turned into
/// more shuffles than arithmetic.)
#[inline(always)]
fn block_kernel<G: Blocks>(
    ws: &mut Workspace,
    net: &Network,
    positions: &[usize],
    first: u64,
    rows: &[Scores],
    out: &mut [[f64; 3]],
) {
    for (&pos, sums) in positions.iter().zip(out.iter_mut()) {
        let (mut sv, mut svv, mut svy) = ([0f64; LANES], [0f64; LANES], [0f64; LANES]);
        for (b, r) in rows.iter().enumerate() {
            let u = ws.task_uniforms::<G>(net, pos, first + (b * LANES) as u64);
            for l in 0..LANES {
                let v = (f64::from(u[l]) - 0.5) * r.valid[l];
                sv[l] += v;
                svv[l] += v * v;
                svy[l] += v * r.y[l];
            }
        }
        *sums = [sv, svv, svy].map(|p| p.iter().sum());
    }
}

/// A worker's workspace (for its random-stream keys) and exact totals.
struct Worker {
    ws: Workspace,
    /// Per task of the request: (v, vv, vy) in fixed point.
    total: Vec<[i128; 3]>,
    /// Scratch: one job's score rows, and its tasks' sums.
    rows: Vec<Scores>,
    sums: Vec<[f64; 3]>,
}

/// Sums of the uniforms of the tasks at `positions` against `score`, over
/// iterations `0 .. score.len()` (drawn with `seed`), in the order of
/// `positions`.
///
/// The uniforms are those the simulation fed each task's sampler
/// ([`Workspace::task_uniforms`]), bit for bit. The sums are exact up to
/// `f64` rounding within a job (about 10^-16 relative) and bit-identical
/// whatever the number of threads: each job's `f64` sums are formed in a
/// fixed order and folded into fixed-point totals.
///
/// Multi-threaded (rayon) over jobs of 4,096 iterations x 2,048 tasks.
/// Cost: one row of uniforms per task and 64 iterations (for a correlated
/// task, the draws its copula combines), and three multiply-adds per
/// uniform: a fraction of a simulation of `score.len()` iterations.
/// Memory: per worker, a batch workspace and 48 bytes per task.
pub fn uniform_sums(
    net: &Network,
    seed: u64,
    positions: &[usize],
    score: &[f32],
) -> Vec<UniformSums> {
    let simd = Simd::detect();
    let chunks = score.len().div_ceil(CHUNK);
    let blocks = positions.len().div_ceil(TASK_BLOCK);
    let pool: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let take = || pool.lock().expect("no panics while held").pop();
    let fixed = |s: f64| -> i128 { (s * FIXED).round() as i128 };
    (0..chunks * blocks)
        .into_par_iter()
        .fold(
            || {
                take().unwrap_or_else(|| Worker {
                    ws: Workspace::new(net, seed),
                    total: vec![[0; 3]; positions.len()],
                    rows: Vec::with_capacity(CHUNK / LANES),
                    sums: vec![[0.0; 3]; TASK_BLOCK],
                })
            },
            |mut w, job| {
                let (chunk, block) = (job / blocks, job % blocks);
                let first = chunk * CHUNK;
                let ys = &score[first..(first + CHUNK).min(score.len())];
                w.rows.clear();
                w.rows.extend(ys.chunks(LANES).map(|c| {
                    let mut r = Scores {
                        y: [0.0; LANES],
                        valid: [0.0; LANES],
                    };
                    for (l, &y) in c.iter().enumerate() {
                        r.y[l] = f64::from(y);
                        r.valid[l] = 1.0;
                    }
                    r
                }));
                let tasks = block * TASK_BLOCK..((block + 1) * TASK_BLOCK).min(positions.len());
                let sums = &mut w.sums[..tasks.len()];
                run_block(
                    simd,
                    &mut w.ws,
                    net,
                    &positions[tasks.clone()],
                    first as u64,
                    &w.rows,
                    sums,
                );
                for (t, s) in w.total[tasks].iter_mut().zip(sums.iter()) {
                    for (t, &s) in t.iter_mut().zip(s) {
                        *t += fixed(s);
                    }
                }
                w
            },
        )
        .for_each(|w| pool.lock().expect("no panics while held").push(w));
    let mut total = vec![[0i128; 3]; positions.len()];
    for w in pool.into_inner().expect("no panics while held") {
        for (t, s) in total.iter_mut().zip(&w.total) {
            for (t, &s) in t.iter_mut().zip(s) {
                *t += s;
            }
        }
    }
    total
        .iter()
        .map(|t| UniformSums {
            v: t[0] as f64 / FIXED,
            vv: t[1] as f64 / FIXED,
            vy: t[2] as f64 / FIXED,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Sampler;
    use crate::plan::parse_plan;

    /// The sums are those of the uniforms the sampler turns into the
    /// simulated durations: checked on a uniform task, whose duration is
    /// `low + u width`, over a count of iterations that ends mid-batch.
    #[test]
    fn sums_are_those_of_the_sampled_uniforms() {
        let p = parse_plan(
            "plan.csv",
            "id,low,high,dist,depends_on\nA,0,1,uniform,\nB,2,4,uniform,A\n",
            None,
        )
        .unwrap();
        let net = Network::compile(&p, None);
        let n = 10_000 + 17;
        let score: Vec<f32> = (0..n).map(|i| (i % 7) as f32 - 3.0).collect();
        let mut regen = super::super::Regenerator::new(&net, 5);
        let mut dur = vec![0f32; n];
        for t in 0..2 {
            let pos = net.position(t);
            let Sampler::Uniform { low, width } = *net.sampler(pos) else {
                panic!("a uniform sampler")
            };
            regen.task(t, &mut dur);
            let (mut v, mut vv, mut vy) = (0.0, 0.0, 0.0);
            for (&d, &y) in dur.iter().zip(&score) {
                let u = f64::from((d - low) / width) - 0.5;
                v += u;
                vv += u * u;
                vy += u * f64::from(y);
            }
            let got = uniform_sums(&net, 5, &[pos], &score)[0];
            // `(d - low) / width` recovers u to within f32 rounding.
            let tol = 1e-5 * n as f64;
            assert!((got.v - v).abs() < tol, "{} vs {v}", got.v);
            assert!((got.vv - vv).abs() < tol, "{} vs {vv}", got.vv);
            assert!((got.vy - vy).abs() < 3.0 * tol, "{} vs {vy}", got.vy);
        }
    }
}
