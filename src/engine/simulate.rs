//! The Monte Carlo loop: rayon over fixed chunks of iterations, streaming
//! accumulators, one stored number per iteration.
//!
//! Iterations are cut into chunks of [`CHUNK`]; each chunk is a run of
//! [`LANES`]-wide batches. A worker (one per rayon job) owns a [`Workspace`]
//! and integer tallies (critical counts, per-task finish-day histograms), so
//! the only per-iteration storage is the project finish vector. Every draw
//! depends only on `(seed, task, iteration)` and every tally is an integer
//! sum, so the result is bit-identical whatever the number of threads.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::network::Network;

use super::rng::Blocks;
use super::schedule::{LANES, Workspace};
use super::simd::{Simd, dispatch};

/// Iterations per chunk (a multiple of [`LANES`]; below 2^16, the most a
/// 16-bit histogram bin counts before it is folded).
pub const CHUNK: usize = 256 * LANES;
const _: () = assert!(CHUNK < 1 << 16);

/// At most this many finish-day histogram bins over all tasks (6 bytes each
/// per worker); wider plans get bins of several days.
const HISTOGRAM_BUDGET: u64 = 1 << 22;

/// How far a run has got, for a progress bar: iterations simulated out of
/// the total (known once the iterations are settled); and a way to stop it
/// from another thread (Ctrl-C in a notebook).
#[derive(Debug, Default)]
pub struct Progress {
    /// Iterations simulated so far.
    pub done: AtomicU64,
    /// Iterations the run will simulate (0 until known).
    pub total: AtomicU64,
    /// Set by [`Progress::cancel`]: chunks not yet started are skipped.
    cancelled: AtomicBool,
}

impl Progress {
    /// Asks the run to stop: the chunks not yet started are skipped, so it
    /// returns within a chunk per thread. Its results are then meaningless,
    /// and the caller that cancelled discards them ([`Progress::is_cancelled`]).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// What to simulate.
#[derive(Debug, Clone, Copy)]
pub struct SimOptions<'a> {
    /// Number of iterations (at least 1, less than 2^32).
    pub iterations: u64,
    /// Seed of every random draw.
    pub seed: u64,
    /// Count how often each task is critical.
    pub criticality: bool,
    /// Histogram each task's finish day (for per-task percentiles) over the
    /// first `task_finish` iterations (0: none; `u64::MAX`: all).
    pub task_finish: u64,
    /// Counts the iterations done as chunks complete, and stops the run
    /// early when cancelled (see [`Progress::cancel`]).
    pub progress: Option<&'a Progress>,
    /// Instruction-set path (`None`: the fastest available). Every path
    /// gives the same result.
    pub simd: Option<Simd>,
    /// Accumulate each task's duration moments and its co-moment with the
    /// project duration (for cruciality and sensitivity indices) over the
    /// first `moments` iterations (0: none; `u64::MAX`: all).
    pub moments: u64,
}

impl SimOptions<'_> {
    /// Project finish only: the cheapest run.
    pub fn finish_only(iterations: u64, seed: u64) -> SimOptions<'static> {
        SimOptions {
            iterations,
            seed,
            criticality: false,
            task_finish: 0,
            progress: None,
            simd: None,
            moments: 0,
        }
    }

    /// Everything the forecast reports.
    pub fn full(iterations: u64, seed: u64) -> SimOptions<'static> {
        SimOptions {
            iterations,
            seed,
            criticality: true,
            task_finish: u64::MAX,
            progress: None,
            simd: None,
            moments: 0,
        }
    }
}

/// Per-task histograms of the finish working day (1-based), with bins of
/// `width` days starting at each task's lowest possible day.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishDays {
    /// Days per bin (1 unless the plan is very wide and long).
    pub width: u64,
    /// Per plan task: the first day of its first bin.
    pub first_day: Vec<u64>,
    /// Per plan task: counts per bin.
    pub counts: Vec<Vec<u64>>,
    /// Iterations counted: the first `iterations` of the simulation.
    pub iterations: u64,
}

/// The raw result of a simulation, in plan task order.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    /// Iterations simulated.
    pub iterations: u64,
    /// Seed used.
    pub seed: u64,
    /// Project finish (working days from the start) of every iteration, in
    /// iteration order.
    pub project: Vec<f32>,
    /// Per plan task: iterations in which it was critical (if requested).
    pub critical: Option<Vec<u64>>,
    /// Per plan task finish-day histograms (if requested).
    pub finish_days: Option<FinishDays>,
    /// Duration moments (if requested).
    pub moments: Option<Moments>,
}

/// Sums of task durations `x` (including risk delays) and the project
/// duration `y` over the first [`Moments::iterations`] iterations, each
/// shifted by a constant (the planned value) so that variances do not
/// cancel. Each batch of 64 is summed in `f32` partials of eight terms
/// (rounding below 1e-6 of the sum of the terms' magnitudes), and the batch
/// sums are added exactly (in fixed point), so the result does not depend
/// on the number of threads or the SIMD path.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    /// Iterations summed: the first this many of the simulation.
    pub iterations: u64,
    /// Per plan task: the shift `c_x` subtracted from `x`.
    pub shift_x: Vec<f64>,
    /// Per plan task: sum of `x - c_x`.
    pub sum_x: Vec<f64>,
    /// Per plan task: sum of `(x - c_x)^2`.
    pub sum_xx: Vec<f64>,
    /// Per plan task: sum of `(x - c_x)(y - c_y)`.
    pub sum_xy: Vec<f64>,
    /// The shift `c_y` subtracted from `y`.
    pub shift_y: f64,
    /// Sum of `y - c_y`.
    pub sum_y: f64,
    /// Sum of `(y - c_y)^2`.
    pub sum_yy: f64,
}

/// Fixed-point scale of the exact moment sums.
const FIXED: f64 = 4_294_967_296.0;

/// Moment accumulators of one worker. Per batch, each task's 64 lanes of
/// `x`, `x^2` and `x y` are added into eight `f32` partial sums each (eight
/// terms per partial: rounding below 1e-6 of the terms' magnitudes, far
/// inside the Monte Carlo error of any statistic made from them), whose
/// halves are added into four `f64` sums per chunk; these are folded into
/// exact fixed-point totals at the end of every chunk. Every sum is added
/// in a fixed order, so the result is the same bits on every path and
/// thread count.
struct LaneMoments {
    shift_x: Vec<f32>,
    shift_y: f32,
    /// Per position: chunk sums of x, xx, xy, four partials each.
    chunk: Vec<[[f64; HALF]; 3]>,
    /// Chunk sums of y, yy.
    chunk_y: [[f64; HALF]; 2],
    /// Exact totals: per position (x, xx, xy), then (y, yy).
    total: Vec<i128>,
}

/// Partial sums per batch row, in `f32`.
const PARTS: usize = 8;
/// Partial sums per chunk, in `f64`.
const HALF: usize = PARTS / 2;

/// Adds a row into four `f64` partial sums: first into [`PARTS`]
/// interleaved `f32` partials, then their halves into `acc`.
#[inline(always)]
fn accumulate(acc: &mut [f64; HALF], r: &[f32; LANES]) {
    let mut p = [0f32; PARTS];
    for k in 0..LANES / PARTS {
        for j in 0..PARTS {
            p[j] += r[k * PARTS + j];
        }
    }
    for j in 0..HALF {
        acc[j] += f64::from(p[j] + p[j + HALF]);
    }
}

/// Adds `x`, `x^2` and `x y` of a row into `acc`. The products are formed
/// as whole rows first and each sum is its own loop: the form the compiler
/// vectorises (interleaving the three sums leaves it shuffling lanes).
#[inline(always)]
fn accumulate_row(acc: &mut [[f64; HALF]; 3], x: &[f32; LANES], y: &[f32; LANES]) {
    let mut xx = [0f32; LANES];
    let mut xy = [0f32; LANES];
    for l in 0..LANES {
        xx[l] = x[l] * x[l];
        xy[l] = x[l] * y[l];
    }
    accumulate(&mut acc[0], x);
    accumulate(&mut acc[1], &xx);
    accumulate(&mut acc[2], &xy);
}

impl LaneMoments {
    fn new(net: &Network, shift_y: f32) -> LaneMoments {
        let n = net.len();
        LaneMoments {
            shift_x: net.planned().to_vec(),
            shift_y,
            chunk: vec![[[0.0; HALF]; 3]; n],
            chunk_y: [[0.0; HALF]; 2],
            total: vec![0; 3 * n + 2],
        }
    }

    #[inline(always)]
    fn add(&mut self, ws: &Workspace, valid: usize) {
        let mut y = [0f32; LANES];
        let p = ws.project();
        for l in 0..LANES {
            y[l] = if l < valid { p[l] - self.shift_y } else { 0.0 };
        }
        let mut yy = [0f32; LANES];
        for l in 0..LANES {
            yy[l] = y[l] * y[l];
        }
        accumulate(&mut self.chunk_y[0], &y);
        accumulate(&mut self.chunk_y[1], &yy);
        for (pos, acc) in self.chunk.iter_mut().enumerate() {
            let d = ws.duration(pos);
            let c = self.shift_x[pos];
            let mut x = [0f32; LANES];
            for l in 0..LANES {
                x[l] = d[l] - c;
            }
            // Lanes past `valid` have y = 0: only x itself is cleared.
            if valid < LANES {
                x[valid..].fill(0.0);
            }
            accumulate_row(acc, &x, &y);
        }
    }

    /// Folds the chunk sums into the exact totals and clears them.
    fn flush(&mut self) {
        let fixed = |s: &[f64; HALF]| -> i128 { (s.iter().sum::<f64>() * FIXED).round() as i128 };
        let n = self.chunk.len();
        for (pos, acc) in self.chunk.iter_mut().enumerate() {
            for (k, sums) in acc.iter().enumerate() {
                self.total[3 * pos + k] += fixed(sums);
            }
            *acc = [[0.0; HALF]; 3];
        }
        self.total[3 * n] += fixed(&self.chunk_y[0]);
        self.total[3 * n + 1] += fixed(&self.chunk_y[1]);
        self.chunk_y = [[0.0; HALF]; 2];
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Layout {
    /// Shift of the project duration in the moment sums.
    shift_y: f32,
    width: u64,
    first_day: Vec<u64>,
    offsets: Vec<usize>,
}

impl Layout {
    /// Histogram bins for each task's finish days `bounds` (per position).
    fn new(bounds: Vec<(u64, u64)>) -> Layout {
        let total: u64 = bounds.iter().map(|(lo, hi)| hi - lo + 1).sum();
        let width = total.div_ceil(HISTOGRAM_BUDGET).max(1);
        let mut offsets = Vec::with_capacity(bounds.len() + 1);
        offsets.push(0);
        for (lo, hi) in &bounds {
            let bins = ((hi - lo) / width + 1) as usize;
            offsets.push(offsets.last().unwrap() + bins);
        }
        Layout {
            shift_y: 0.0,
            width,
            first_day: bounds.iter().map(|b| b.0).collect(),
            offsets,
        }
    }
}

dispatch!(fn run_kernel(w: &mut Worker, first: u64, out: &mut [f32]) => Worker::kernel);

struct Worker<'a> {
    net: &'a Network,
    opts: SimOptions<'a>,
    layout: &'a Layout,
    ws: Workspace,
    critical: Vec<u64>,
    /// Per position: critical counts per lane since the last fold.
    crit_lanes: Vec<[u8; LANES]>,
    /// Batches added to `crit_lanes` since the last fold (at most 255).
    crit_batches: u32,
    /// Finish-day counts of the current chunk (at most [`CHUNK`] per bin).
    hist: Vec<u16>,
    /// Finish-day counts of the chunks done.
    hist_total: Vec<u32>,
    moments: Option<LaneMoments>,
}

impl<'a> Worker<'a> {
    fn new(net: &'a Network, opts: SimOptions<'a>, layout: &'a Layout) -> Worker<'a> {
        Worker {
            net,
            opts,
            layout,
            ws: Workspace::new(net, opts.seed),
            critical: if opts.criticality {
                vec![0; net.len()]
            } else {
                Vec::new()
            },
            crit_lanes: if opts.criticality {
                vec![[0; LANES]; net.len()]
            } else {
                Vec::new()
            },
            crit_batches: 0,
            hist: if opts.task_finish > 0 {
                vec![0; *layout.offsets.last().unwrap()]
            } else {
                Vec::new()
            },
            hist_total: if opts.task_finish > 0 {
                vec![0; *layout.offsets.last().unwrap()]
            } else {
                Vec::new()
            },
            moments: (opts.moments > 0).then(|| LaneMoments::new(net, layout.shift_y)),
        }
    }

    fn run_chunk(&mut self, first: u64, out: &mut [f32]) {
        if self.opts.progress.is_some_and(Progress::is_cancelled) {
            return;
        }
        let simd = self.opts.simd.unwrap_or_else(Simd::detect);
        run_kernel(simd, self, first, out);
        if self.opts.criticality {
            self.fold_critical();
        }
        if let Some(m) = &mut self.moments
            && first < self.opts.moments
        {
            m.flush();
        }
        if first < self.opts.task_finish {
            for (t, h) in self.hist_total.iter_mut().zip(self.hist.iter_mut()) {
                *t += u32::from(*h);
                *h = 0;
            }
        }
        if let Some(p) = self.opts.progress {
            p.done.fetch_add(out.len() as u64, Ordering::Relaxed);
        }
    }

    /// The batched loop over one chunk: compiled once per [`Simd`] path.
    #[inline(always)]
    fn kernel<G: Blocks>(&mut self, first: u64, out: &mut [f32]) {
        for (b, out) in out.chunks_mut(LANES).enumerate() {
            let valid = out.len();
            let at = first + (b * LANES) as u64;
            // Task finishes are read only by the iterations tallied per task.
            self.ws.keep_finishes(at < self.opts.task_finish);
            // Every duration is read by the moment sums; the critical pass
            // reads only the starts and durations of tasks with links other
            // than plain finish-to-start, which are always kept.
            self.ws.keep_day_starts(false);
            self.ws.keep_durations(at < self.opts.moments);
            // Nothing but the project finish: each batch in a few reused
            // rows, a big plan's batch in cache.
            self.ws.finish_only(
                !self.opts.criticality && at >= self.opts.task_finish && at >= self.opts.moments,
            );
            self.ws.run::<G>(self.net, at);
            out.copy_from_slice(&self.ws.project()[..valid]);
            if self.opts.criticality {
                self.ws
                    .critical_tally_with::<G>(self.net, &mut self.crit_lanes, valid);
                self.crit_batches += 1;
                if self.crit_batches == u32::from(u8::MAX) {
                    self.fold_critical();
                }
            }
            if at < self.opts.task_finish {
                self.tally_days(valid.min((self.opts.task_finish - at) as usize));
            }
            if let Some(m) = &mut self.moments
                && at < self.opts.moments
            {
                m.add(&self.ws, valid.min((self.opts.moments - at) as usize));
            }
        }
    }

    /// Moves the byte counters into the totals.
    fn fold_critical(&mut self) {
        for (c, acc) in self.critical.iter_mut().zip(self.crit_lanes.iter_mut()) {
            *c += acc.iter().map(|&x| u64::from(x)).sum::<u64>();
            *acc = [0; LANES];
        }
        self.crit_batches = 0;
    }

    /// Adds each task's finish day to its histogram. Bin indices are computed
    /// for the whole row at once (vectorised; without a divide when bins are
    /// one day wide, as they are unless the plan is very wide and long),
    /// then counted into 16-bit bins, half the cache of 32-bit ones (a big
    /// plan's histograms do not fit it: each task's row touches a few lines
    /// of its own), folded into the totals at the end of every chunk, before
    /// any can overflow. (Interleaved copies of each bin, against
    /// store-to-load stalls, measured slower: they take more cache.)
    #[inline(always)]
    fn tally_days(&mut self, valid: usize) {
        let tol = crate::plan::DAY_TOLERANCE as f32;
        let w = self.layout.width as f32;
        let one_day = self.layout.width == 1;
        let mut idx = [0u32; LANES];
        for pos in 0..self.net.len() {
            let fin = self.ws.finish(pos);
            let lo = self.layout.first_day[pos] as f32;
            let (a, b) = (self.layout.offsets[pos], self.layout.offsets[pos + 1]);
            let last = (b - a - 1) as f32;
            if one_day {
                for l in 0..LANES {
                    let day = (fin[l] - tol).ceil().max(1.0);
                    let bin = (day - lo).clamp(0.0, last);
                    // SAFETY: as below.
                    idx[l] = unsafe { bin.to_int_unchecked::<u32>() };
                }
            } else {
                for l in 0..LANES {
                    let day = (fin[l] - tol).ceil().max(1.0);
                    // Exact integer division below 2^24 (see the module tests).
                    let bin = ((day - lo) / w).clamp(0.0, last);
                    // SAFETY: `day` is never NaN (`max` gives 1.0 for a NaN
                    // input), so `bin` is finite and in [0, last] and fits a
                    // u32. The unchecked conversion vectorises where `as`
                    // does not.
                    idx[l] = unsafe { bin.to_int_unchecked::<u32>() };
                }
            }
            let bins = &mut self.hist[a..b];
            for &i in &idx[..valid] {
                bins[i as usize] += 1;
            }
        }
    }
}

/// Iterations of the pilot run that sizes the finish-day histograms.
const PILOT: u64 = 4096;

dispatch!(fn run_pilot(ws: &mut Workspace, net: &Network, range: &mut [(f32, f32)]) => pilot_kernel);

#[inline(always)]
fn pilot_kernel<G: Blocks>(ws: &mut Workspace, net: &Network, range: &mut [(f32, f32)]) {
    for b in 0..PILOT / LANES as u64 {
        ws.run::<G>(net, b * LANES as u64);
        for (pos, r) in range.iter_mut().enumerate() {
            for &f in ws.finish(pos) {
                *r = (r.0.min(f), r.1.max(f));
            }
        }
    }
}

/// Each task's histogram range: the finish days seen in the first [`PILOT`]
/// iterations, widened on each side by a quarter of their spread (at least
/// two days), within the days the task can possibly finish on. Finishes
/// outside it are counted in the edge bins, so every percentile inside the
/// range (P1 to P99 of any task, in practice) is exact, and a big plan's
/// histograms stay small, with one-day bins. The pilot depends only on the
/// seed, like the run.
fn pilot_bounds(net: &Network, seed: u64, simd: Simd) -> Vec<(u64, u64)> {
    let mut ws = Workspace::new(net, seed);
    let mut range = vec![(f32::INFINITY, f32::NEG_INFINITY); net.len()];
    run_pilot(simd, &mut ws, net, &mut range);
    // The day as `Worker::tally_days` computes it.
    let tol = crate::plan::DAY_TOLERANCE as f32;
    let day = |f: f32| (f - tol).ceil().max(1.0) as u64;
    range
        .iter()
        .enumerate()
        .map(|(pos, &(lo, hi))| {
            let (min, max) = net.finish_day_bounds(pos);
            let (lo, hi) = (day(lo), day(hi));
            let pad = (hi.saturating_sub(lo) / 4).max(2);
            let first = lo.saturating_sub(pad).clamp(min, max);
            (first, (hi + pad).clamp(first, max.max(first)))
        })
        .collect()
}

/// Runs the simulation.
///
/// Multi-threaded (rayon, the global pool). Memory: one `f32` per iteration
/// plus, per worker, a batch workspace (`13 x tasks x 64` bytes) and the
/// tallies. Nothing is allocated per iteration.
///
/// # Panics
///
/// If `opts.iterations` is 0 or at least 2^32 (the configuration layer
/// rejects both with a message).
pub fn simulate(net: &Network, opts: &SimOptions) -> Outcomes {
    simulate_part(net, opts, 0..opts.iterations)
        .outcomes(net)
        .expect("a whole run is complete")
}

/// Runs the slice `range` of the iterations of `opts`: exactly what the
/// whole run computes for those iterations, as mergeable [`Tallies`]. The
/// slice starts on a chunk ([`CHUNK`]) so that every sum is formed as in
/// the whole run; [`Tallies::merge`] of the slices of a run, then
/// [`Tallies::outcomes`], is [`simulate`]'s result to the bit.
///
/// # Panics
///
/// If `opts.iterations` is 0 or at least 2^32, or `range` does not start
/// on a chunk or runs past the iterations.
pub fn simulate_part(net: &Network, opts: &SimOptions, range: Range<u64>) -> Tallies {
    assert!(opts.iterations > 0 && opts.iterations < (1 << 32));
    assert!(range.start.is_multiple_of(CHUNK as u64) || range.is_empty());
    assert!(range.start <= range.end && range.end <= opts.iterations);
    let run_opts = *opts;
    let mut opts = *opts;
    // A slice past the histogrammed iterations has no histograms, and no
    // pilot to size them: it merges with the slices that have them.
    if range.start >= opts.task_finish || range.is_empty() {
        opts.task_finish = 0;
    }
    let simd = opts.simd.unwrap_or_else(Simd::detect);
    let bounds = if opts.task_finish > 0 {
        pilot_bounds(net, opts.seed, simd)
    } else {
        vec![(1, 1); net.len()]
    };
    let mut layout = Layout::new(bounds);
    if opts.moments > 0 {
        layout.shift_y = deterministic(net).project as f32;
    }
    let mut project = vec![0f32; (range.end - range.start) as usize];
    let chunks = project.len().div_ceil(CHUNK);
    let min_len = (chunks / (4 * rayon::current_num_threads())).max(1);
    // Workers (a workspace and tallies each) are reused across rayon's jobs
    // through a pool, so there are at most as many as threads running at
    // once; their integer tallies are summed at the end, in any order.
    let pool: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let take = || pool.lock().expect("no panics while held").pop();
    let first = range.start;
    project
        .par_chunks_mut(CHUNK)
        .enumerate()
        .with_min_len(min_len)
        .fold(
            || take().unwrap_or_else(|| Worker::new(net, opts, &layout)),
            |mut w, (k, out)| {
                w.run_chunk(first + (k * CHUNK) as u64, out);
                w
            },
        )
        .for_each(|w| pool.lock().expect("no panics while held").push(w));
    let n = net.len();
    let bins = *layout.offsets.last().expect("one offset at least");
    let mut critical: Vec<u64> = zeros(opts.criticality, n);
    let mut hist: Vec<u64> = zeros(opts.task_finish > 0, bins);
    let mut moments: Vec<i128> = zeros(opts.moments > 0, 3 * n + 2);
    for w in pool.into_inner().expect("no panics while held") {
        add_into(&mut critical, &w.critical);
        add_into(&mut hist, &w.hist_total);
        if let Some(m) = &w.moments {
            add_into(&mut moments, &m.total);
        }
    }
    Tallies {
        iterations: opts.iterations,
        seed: opts.seed,
        range,
        task_finish: run_opts.task_finish,
        moment_iterations: opts.moments,
        project,
        critical,
        hist,
        moments,
        layout,
    }
}

/// The mergeable state of a slice of a run's iterations ([`simulate_part`]):
/// the project finish of each of its iterations and its integer tallies
/// (critical counts, finish-day histograms, the exact moment sums), each in
/// the network's position order. Slices of one run merge by concatenating
/// the finishes and adding the tallies, so a run cut into any slices gives
/// the same bits as the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Tallies {
    iterations: u64,
    seed: u64,
    range: Range<u64>,
    task_finish: u64,
    moment_iterations: u64,
    project: Vec<f32>,
    critical: Vec<u64>,
    hist: Vec<u64>,
    moments: Vec<i128>,
    layout: Layout,
}

/// Why two slices' tallies do not merge, or a slice is not a whole run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TallyError {
    /// The slices come from runs with different settings (what differs).
    #[error("the slices come from different runs ({0} differ)")]
    Different(&'static str),
    /// The slices do not meet: `end` of one is not `start` of the other.
    #[error("iterations {0}..{1} do not meet iterations {2}..{3}")]
    Apart(u64, u64, u64, u64),
    /// A slice is not the whole run.
    #[error("iterations {0}..{1} are not the whole run of {2}")]
    Incomplete(u64, u64, u64),
    /// Bytes that are not tallies of this network.
    #[error("not the tallies of this plan: {0}")]
    Bytes(&'static str),
}

impl Tallies {
    /// The tallies of a finish-only run's slice `range` (of `opts`), from
    /// its project finishes (as [`crate::engine::simulate_nested_part`]
    /// gives them per position).
    ///
    /// # Panics
    ///
    /// If `project` is not one finish per iteration of `range`.
    pub fn finishes(opts: &SimOptions, range: Range<u64>, project: Vec<f32>) -> Tallies {
        assert_eq!(project.len() as u64, range.end - range.start);
        Tallies {
            iterations: opts.iterations,
            seed: opts.seed,
            range,
            task_finish: 0,
            moment_iterations: 0,
            project,
            critical: Vec::new(),
            hist: Vec::new(),
            moments: Vec::new(),
            layout: Layout::new(Vec::new()),
        }
    }

    /// The iterations this slice holds.
    pub fn range(&self) -> Range<u64> {
        self.range.clone()
    }

    /// The project finish of each iteration held, in iteration order.
    pub fn project(&self) -> &[f32] {
        &self.project
    }

    /// Iterations of the whole run.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The slices `self` and `next` as one: `next` must start where `self`
    /// ends (or end where it starts), in a run with the same settings.
    ///
    /// # Errors
    ///
    /// [`TallyError::Different`] for slices of different runs,
    /// [`TallyError::Apart`] for slices that do not meet.
    pub fn merge(mut self, mut next: Tallies) -> Result<Tallies, TallyError> {
        let differ = |what| Err(TallyError::Different(what));
        if self.iterations != next.iterations {
            return differ("iterations");
        }
        if self.seed != next.seed {
            return differ("seeds");
        }
        if (self.task_finish, self.moment_iterations) != (next.task_finish, next.moment_iterations)
            || (self.critical.len(), self.moments.len())
                != (next.critical.len(), next.moments.len())
        {
            return differ("tallies");
        }
        // A slice without histograms (past the histogrammed iterations)
        // takes the other's.
        if self.hist.is_empty() {
            self.hist = vec![0; next.hist.len()];
            self.layout = next.layout.clone();
        }
        if self.hist.len() != next.hist.len() && !next.hist.is_empty() {
            return differ("tallies");
        }
        if self.layout != next.layout && !next.hist.is_empty() {
            return differ("histogram layouts");
        }
        // An empty slice meets a slice at either end.
        let meets = |a: &Range<u64>, b: &Range<u64>| a.start == b.end || a.end == b.start;
        if next.range.is_empty() && meets(&next.range, &self.range) {
            return Ok(self);
        }
        if self.range.is_empty() && meets(&self.range, &next.range) {
            return Ok(next);
        }
        if next.range.end == self.range.start {
            std::mem::swap(&mut self, &mut next);
        }
        if self.range.end != next.range.start {
            let (a, b) = (self.range.clone(), next.range.clone());
            return Err(TallyError::Apart(a.start, a.end, b.start, b.end));
        }
        self.range.end = next.range.end;
        self.project.extend_from_slice(&next.project);
        add_into(&mut self.critical, &next.critical);
        add_into(&mut self.hist, &next.hist);
        add_into(&mut self.moments, &next.moments);
        Ok(self)
    }

    /// The whole run's outcomes, in plan task order.
    ///
    /// # Errors
    ///
    /// [`TallyError::Incomplete`] unless this slice is every iteration.
    pub fn outcomes(self, net: &Network) -> Result<Outcomes, TallyError> {
        if self.range != (0..self.iterations) {
            return Err(TallyError::Incomplete(
                self.range.start,
                self.range.end,
                self.iterations,
            ));
        }
        let n = net.len();
        let layout = &self.layout;
        let moments = (!self.moments.is_empty()).then(|| {
            let f = |x: i128| x as f64 / FIXED;
            let s = &self.moments;
            let mut m = Moments {
                iterations: self.moment_iterations.min(self.iterations),
                shift_x: vec![0.0; n],
                sum_x: vec![0.0; n],
                sum_xx: vec![0.0; n],
                sum_xy: vec![0.0; n],
                shift_y: f64::from(layout.shift_y),
                sum_y: f(s[3 * n]),
                sum_yy: f(s[3 * n + 1]),
            };
            for pos in 0..n {
                let t = net.task_index(pos);
                m.shift_x[t] = f64::from(net.planned()[pos]);
                m.sum_x[t] = f(s[3 * pos]);
                m.sum_xx[t] = f(s[3 * pos + 1]);
                m.sum_xy[t] = f(s[3 * pos + 2]);
            }
            m
        });
        let finish_days = (!self.hist.is_empty()).then(|| {
            let mut first_day = vec![0; n];
            let mut counts = vec![Vec::new(); n];
            for pos in 0..n {
                let t = net.task_index(pos);
                first_day[t] = layout.first_day[pos];
                counts[t] = self.hist[layout.offsets[pos]..layout.offsets[pos + 1]].to_vec();
            }
            FinishDays {
                width: layout.width,
                first_day,
                counts,
                iterations: self.task_finish.min(self.iterations),
            }
        });
        let critical = (!self.critical.is_empty()).then(|| {
            let mut out = vec![0; n];
            for (pos, &x) in self.critical.iter().enumerate() {
                out[net.task_index(pos)] = x;
            }
            out
        });
        Ok(Outcomes {
            iterations: self.iterations,
            seed: self.seed,
            project: self.project,
            critical,
            finish_days,
            moments,
        })
    }

    /// The tallies as bytes (little-endian; [`Tallies::from_bytes`] reads
    /// them back).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            96 + 4 * (self.project.len() + self.critical.len() + self.hist.len())
                + 16 * (self.layout.first_day.len() + self.moments.len()),
        );
        for x in [
            self.iterations,
            self.seed,
            self.range.start,
            self.range.end,
            self.task_finish,
            self.moment_iterations,
            self.layout.width,
            u64::from(self.layout.shift_y.to_bits()),
        ] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        let words = |out: &mut Vec<u8>, v: &mut dyn Iterator<Item = u64>, len: usize| {
            out.extend_from_slice(&(len as u64).to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        let l = &self.layout;
        words(
            &mut out,
            &mut l.first_day.iter().copied(),
            l.first_day.len(),
        );
        words(
            &mut out,
            &mut l.offsets.iter().map(|&x| x as u64),
            l.offsets.len(),
        );
        // Counts of iterations (fewer than 2^32) fit 32 bits: half the size
        // of a big plan's histograms.
        for v in [&self.critical, &self.hist] {
            out.extend_from_slice(&(v.len() as u64).to_le_bytes());
            for &x in v {
                let x = u32::try_from(x).expect("a count of fewer than 2^32 iterations");
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.moments.len() as u64).to_le_bytes());
        for x in &self.moments {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&(self.project.len() as u64).to_le_bytes());
        for x in &self.project {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    /// Reads [`Tallies::to_bytes`] back.
    ///
    /// # Errors
    ///
    /// [`TallyError::Bytes`] when the bytes end early, run on, or do not
    /// hold a consistent slice.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tallies, TallyError> {
        let mut r = Reader(bytes);
        let mut head = [0u64; 8];
        for h in &mut head {
            *h = r.u64()?;
        }
        let [
            iterations,
            seed,
            start,
            end,
            task_finish,
            moment_iterations,
            width,
            shift,
        ] = head;
        let first_day = r.words()?;
        let offsets: Vec<usize> = r.words()?.into_iter().map(|x| x as usize).collect();
        let critical = r.counts()?;
        let hist = r.counts()?;
        let len = r.len(16)?;
        let mut moments = Vec::with_capacity(len);
        for _ in 0..len {
            moments.push(i128::from_le_bytes(
                r.take(16)?.try_into().expect("16 bytes"),
            ));
        }
        let len = r.len(4)?;
        let mut project = Vec::with_capacity(len);
        for _ in 0..len {
            project.push(f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes")));
        }
        if !r.0.is_empty() {
            return Err(TallyError::Bytes("bytes after the end"));
        }
        let consistent = start <= end
            && end <= iterations
            && project.len() as u64 == end - start
            && offsets.len() == first_day.len() + 1
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && (hist.is_empty() || Some(&hist.len()) == offsets.last())
            && shift <= u64::from(u32::MAX);
        if !consistent {
            return Err(TallyError::Bytes("sizes that do not fit together"));
        }
        Ok(Tallies {
            iterations,
            seed,
            range: start..end,
            task_finish,
            moment_iterations,
            project,
            critical,
            hist,
            moments,
            layout: Layout {
                shift_y: f32::from_bits(shift as u32),
                width,
                first_day,
                offsets,
            },
        })
    }
}

/// `len` zeros if `on`, else nothing.
fn zeros<T: Clone + Default>(on: bool, len: usize) -> Vec<T> {
    if on {
        vec![T::default(); len]
    } else {
        Vec::new()
    }
}

/// A cursor over bytes being read.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TallyError> {
        if self.0.len() < n {
            return Err(TallyError::Bytes("the bytes end early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, TallyError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    /// A length of items of `size` bytes, checked against what is left.
    fn len(&mut self, size: usize) -> Result<usize, TallyError> {
        let n = self.u64()?;
        if n > (self.0.len() / size) as u64 {
            return Err(TallyError::Bytes("the bytes end early"));
        }
        Ok(n as usize)
    }

    /// Counts written in 32 bits.
    fn counts(&mut self) -> Result<Vec<u64>, TallyError> {
        let n = self.len(4)?;
        (0..n)
            .map(|_| {
                let b = self.take(4)?;
                Ok(u64::from(u32::from_le_bytes(
                    b.try_into().expect("4 bytes"),
                )))
            })
            .collect()
    }

    fn words(&mut self) -> Result<Vec<u64>, TallyError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
}

/// Adds `b` into `a` element by element (both the same length, or `b`
/// empty).
fn add_into<T: Copy + std::ops::AddAssign, U: Copy + Into<T>>(a: &mut [T], b: &[U]) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x += y.into();
    }
}

/// The deterministic (CPM) schedule on planned durations, in plan task order.
#[derive(Debug, Clone, PartialEq)]
pub struct Deterministic {
    /// Start time of each task (working days from the start).
    pub start: Vec<f64>,
    /// Finish time of each task.
    pub finish: Vec<f64>,
    /// Whether each task is on the critical path.
    pub critical: Vec<bool>,
    /// The project finish.
    pub project: f64,
}

/// Schedules every task at its planned (likely) duration, with the same
/// link rules as the simulation.
pub fn deterministic(net: &Network) -> Deterministic {
    let mut ws = Workspace::new(net, 0);
    ws.plan(net);
    ws.forward(net);
    ws.critical(net);
    let n = net.len();
    let mut d = Deterministic {
        start: vec![0.0; n],
        finish: vec![0.0; n],
        critical: vec![false; n],
        project: f64::from(ws.project()[0]),
    };
    for pos in 0..n {
        let t = net.task_index(pos);
        d.start[t] = f64::from(ws.start(pos)[0]);
        d.finish[t] = f64::from(ws.finish(pos)[0]);
        d.critical[t] = ws.critical_row(pos)[0] != 0;
    }
    d
}
