//! The schedule of one batch of iterations: iterations are the vector axis.
//!
//! For a batch of [`LANES`] iterations the engine walks the tasks once in
//! topological order; each task is a row of `LANES` floats (one per
//! iteration). A row's start is the latest of what its links allow (never
//! before 0), its finish the start plus the sampled duration:
//!
//! ```text
//! s_link = max(0, max over FS links (finish[p] + lag), max over SS links (start[p] + lag))
//! f_link = max(max over FF links (finish[p] + lag), max over SF links (start[p] + lag))
//! start  = max(s_link, f_link - duration)        finish = start + duration
//! ```
//!
//! A backward pass marks the critical tasks of each iteration: those that
//! end at the project finish, then, from each critical task, the
//! predecessors whose link was binding. Comparisons are exact because the
//! backward pass recomputes the very same `f32` operations as the forward one.
//!
//! The rows live in a [`Workspace`] allocated once per worker, so nothing is
//! allocated per iteration. Cost per batch: O((tasks + links) x LANES).

use crate::network::{Network, Sampler};

use super::rng;

/// Iterations per batch: the width of every row.
pub const LANES: usize = 64;

type Row = [f32; LANES];

/// `max` for the kernel's rows, which hold no NaN. `f32::max` compiles to a
/// vector max (a compare-and-select is turned into slow masked stores).
#[inline(always)]
fn fmax(a: f32, b: f32) -> f32 {
    a.max(b)
}

/// Rows for one batch: start, duration and finish per task, plus critical
/// flags. Memory: `13 x tasks x LANES` bytes.
#[derive(Debug, Clone)]
pub struct Workspace {
    start: Vec<Row>,
    finish: Vec<Row>,
    dur: Vec<Row>,
    crit: Vec<[u8; LANES]>,
    keys: Vec<u64>,
    project: Row,
}

impl Workspace {
    /// A workspace for `net`, drawing with `seed`.
    pub fn new(net: &Network, seed: u64) -> Workspace {
        let n = net.len();
        Workspace {
            start: vec![[0.0; LANES]; n],
            finish: vec![[0.0; LANES]; n],
            dur: vec![[0.0; LANES]; n],
            crit: vec![[0; LANES]; n],
            keys: net
                .streams()
                .iter()
                .map(|&s| rng::stream_key(seed, s))
                .collect(),
            project: [0.0; LANES],
        }
    }

    /// Draws every task's duration for iterations `first .. first + LANES`.
    #[inline(always)]
    pub fn sample(&mut self, net: &Network, first: u64) {
        let tables = net.tables();
        for pos in 0..net.len() {
            let key = self.keys[pos];
            let row = &mut self.dur[pos];
            let sampler = *net.sampler(pos);
            if let Sampler::Fixed(v) = sampler {
                *row = [v; LANES];
                continue;
            }
            let mut u = [0f32; LANES];
            for (l, u) in u.iter_mut().enumerate() {
                *u = rng::uniform(key, first + l as u64);
            }
            fill(&sampler, &u, row, tables);
        }
    }

    /// Sets every task's duration to its planned (likely) value, in all lanes:
    /// the deterministic schedule.
    #[inline(always)]
    pub fn plan(&mut self, net: &Network) {
        for (row, &d) in self.dur.iter_mut().zip(net.planned()) {
            *row = [d; LANES];
        }
    }

    /// Computes starts and finishes from the durations, and the project
    /// finish per lane.
    #[inline(always)]
    pub fn forward(&mut self, net: &Network) {
        for pos in 0..net.len() {
            let (preds, kinds, lags) = net.preds(pos);
            let mut s = [0f32; LANES];
            let mut f = [f32::NEG_INFINITY; LANES];
            let mut has_f = false;
            for k in 0..preds.len() {
                let p = preds[k] as usize;
                let lag = lags[k];
                let src = if kinds[k].from_finish() {
                    &self.finish[p]
                } else {
                    &self.start[p]
                };
                if kinds[k].constrains_start() {
                    for l in 0..LANES {
                        s[l] = fmax(s[l], src[l] + lag);
                    }
                } else {
                    has_f = true;
                    for l in 0..LANES {
                        f[l] = fmax(f[l], src[l] + lag);
                    }
                }
            }
            let d = &self.dur[pos];
            if has_f {
                for l in 0..LANES {
                    s[l] = fmax(s[l], f[l] - d[l]);
                }
            }
            let fin = &mut self.finish[pos];
            for l in 0..LANES {
                fin[l] = s[l] + d[l];
            }
            self.start[pos] = s;
        }
        // The project finish is never before 0 (nor undefined when every
        // task counted is cut).
        let mut proj = [0f32; LANES];
        for &pos in net.finish_set() {
            let fin = &self.finish[pos as usize];
            for l in 0..LANES {
                proj[l] = fmax(proj[l], fin[l]);
            }
        }
        self.project = proj;
    }

    /// Marks, per lane, the tasks on a critical path: a chain of binding
    /// links from time 0 to the project finish. Call after [`Self::forward`].
    #[inline(always)]
    pub fn critical(&mut self, net: &Network) {
        for c in self.crit.iter_mut() {
            *c = [0; LANES];
        }
        for &pos in net.finish_set() {
            let pos = pos as usize;
            for l in 0..LANES {
                self.crit[pos][l] = u8::from(self.finish[pos][l] == self.project[l]);
            }
        }
        for pos in (0..net.len()).rev() {
            let c = self.crit[pos];
            if c.iter().all(|&x| x == 0) {
                continue;
            }
            let (preds, kinds, lags) = net.preds(pos);
            if preds.is_empty() {
                continue;
            }
            // Recompute the link maxima exactly as the forward pass did.
            let mut s = [0f32; LANES];
            let mut f = [f32::NEG_INFINITY; LANES];
            for k in 0..preds.len() {
                let p = preds[k] as usize;
                let src = if kinds[k].from_finish() {
                    &self.finish[p]
                } else {
                    &self.start[p]
                };
                let target = if kinds[k].constrains_start() {
                    &mut s
                } else {
                    &mut f
                };
                for l in 0..LANES {
                    target[l] = fmax(target[l], src[l] + lags[k]);
                }
            }
            let start = &self.start[pos];
            let d = &self.dur[pos];
            let mut start_bound = [0u8; LANES];
            let mut fin_bound = [0u8; LANES];
            for l in 0..LANES {
                start_bound[l] = c[l] & u8::from(start[l] == s[l]);
                fin_bound[l] = c[l] & u8::from(start[l] == f[l] - d[l]);
            }
            for k in 0..preds.len() {
                let p = preds[k] as usize;
                let src = if kinds[k].from_finish() {
                    self.finish[p]
                } else {
                    self.start[p]
                };
                let (bound, val) = if kinds[k].constrains_start() {
                    (&start_bound, &s)
                } else {
                    (&fin_bound, &f)
                };
                let cp = &mut self.crit[p];
                for l in 0..LANES {
                    cp[l] |= bound[l] & u8::from(src[l] + lags[k] == val[l]);
                }
            }
        }
    }

    /// Project finish per lane (after [`Self::forward`]).
    pub fn project(&self) -> &[f32; LANES] {
        &self.project
    }

    /// Start row of the task at `pos`.
    pub fn start(&self, pos: usize) -> &[f32; LANES] {
        &self.start[pos]
    }

    /// Finish row of the task at `pos`.
    pub fn finish(&self, pos: usize) -> &[f32; LANES] {
        &self.finish[pos]
    }

    /// Duration row of the task at `pos`.
    pub fn duration(&self, pos: usize) -> &[f32; LANES] {
        &self.dur[pos]
    }

    /// Critical flags (0 or 1) of the task at `pos` (after [`Self::critical`]).
    pub fn critical_row(&self, pos: usize) -> &[u8; LANES] {
        &self.crit[pos]
    }
}

/// Applies a sampler to a row of uniforms.
#[inline(always)]
fn fill(sampler: &Sampler, u: &Row, out: &mut Row, tables: &[f32]) {
    match *sampler {
        Sampler::Fixed(v) => *out = [v; LANES],
        Sampler::Uniform { low, width } => {
            for l in 0..LANES {
                out[l] = low + u[l] * width;
            }
        }
        Sampler::Triangular {
            low,
            high,
            fc,
            left,
            right,
        } => {
            for l in 0..LANES {
                let a = low + (u[l] * left).sqrt();
                let b = high - ((1.0 - u[l]) * right).sqrt();
                out[l] = if u[l] < fc { a } else { b };
            }
        }
        Sampler::Table { .. } => {
            for l in 0..LANES {
                out[l] = sampler.sample(u[l], tables);
            }
        }
    }
}
