//! Many variants of one network simulated together, with common random
//! numbers: the "what if this risk never fired, this task took its likely
//! duration, the tasks were independent" reruns of the driver analysis.
//!
//! A variant differs from the base network only in how some tasks draw
//! their durations (a sampler, a risk switched off, the copula dropped); the
//! links, calendars and streams are the same. So for each batch of
//! [`LANES`] iterations the base network is drawn and scheduled once, and
//! each variant then redraws only its changed tasks and reschedules only
//! from its first changed position on: everything before it is the base's,
//! bit for bit. Variants are taken latest-first, so the rows before a
//! variant's first change are always still the base's. The result is the
//! same, to the bit, as simulating each variant on its own, at the cost of
//! one draw of the plan plus a partial forward pass per variant.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::network::{Network, Sampler, TABLE_LEN};

use super::rng::Blocks;
use super::schedule::{LANES, Workspace};
use super::simd::{Simd, dispatch};
use super::simulate::CHUNK;

/// A network that differs from a base network only in how some tasks draw
/// their durations.
#[derive(Debug)]
pub struct Variant<'a> {
    net: &'a Network,
    /// Positions whose draws differ from the base's, ascending.
    changed: Vec<usize>,
}

impl<'a> Variant<'a> {
    /// `net` as a variant of `base`: the tasks whose sampler, copula slot or
    /// risks differ are found by comparing the two.
    ///
    /// # Panics
    ///
    /// If `net` is not a variant of `base`: different tasks, links, finish
    /// set or calendars, or a different copula (dropping it is allowed).
    pub fn new(base: &Network, net: &'a Network) -> Variant<'a> {
        Variant::try_new(base, net).expect("a variant differs from its base only in how tasks draw")
    }

    /// `net` as a variant of `base`, or `None` when it is not one
    /// (see [`Variant::new`]).
    pub fn try_new(base: &Network, net: &'a Network) -> Option<Variant<'a>> {
        let same = net.len() == base.len()
            && net.links() == base.links()
            && net.finish_set() == base.finish_set()
            && net.axis().is_some() == base.axis().is_some()
            && (net.copula().is_none() || net.copula() == base.copula())
            && net.risks().len() == base.risks().len();
        if !same {
            return None;
        }
        let changed = (0..base.len())
            .filter(|&pos| {
                !same_sampler(base, net, pos)
                    || net.copula_slot(pos) != base.copula_slot(pos)
                    || base
                        .task_risks(pos)
                        .iter()
                        .any(|&k| net.risks()[k as usize] != base.risks()[k as usize])
            })
            .collect();
        Some(Variant { net, changed })
    }

    /// The positions whose draws differ from the base network's.
    pub fn changed(&self) -> &[usize] {
        &self.changed
    }
}

/// Whether the task at `pos` draws the same way in both networks: the same
/// sampler, and for a quantile table the same table (a network compiled on
/// its own keeps its tables in its own arena, so offsets alone do not tell;
/// a copy shares its base's arena, and then they do, without comparing the
/// 6.4 KB of each table).
fn same_sampler(base: &Network, net: &Network, pos: usize) -> bool {
    match (base.sampler(pos), net.sampler(pos)) {
        (Sampler::Table { offset: a }, Sampler::Table { offset: b }) => {
            let (a, b) = (*a as usize, *b as usize);
            (a == b && base.shares_tables(net))
                || base.tables()[a..a + TABLE_LEN] == net.tables()[b..b + TABLE_LEN]
        }
        (a, b) => a == b,
    }
}

dispatch!(fn run_kernel(w: &mut Worker, first: u64, out: &mut [f32]) => Worker::kernel);

struct Worker<'a, 'n> {
    base: &'a Network,
    variants: &'a [Variant<'n>],
    /// Variant indices, latest first change first.
    order: &'a [usize],
    ws: Workspace,
    stash: Vec<[f32; LANES]>,
}

impl Worker<'_, '_> {
    /// One chunk: `out` holds, per variant in turn, the project finishes of
    /// `out.len() / variants` iterations from `first`.
    #[inline(always)]
    fn kernel<G: Blocks>(&mut self, first: u64, out: &mut [f32]) {
        let len = out.len() / self.variants.len();
        self.ws.keep_finishes(false);
        self.ws.keep_day_starts(false);
        for b in 0..len.div_ceil(LANES) {
            let at = first + (b * LANES) as u64;
            let valid = (len - b * LANES).min(LANES);
            self.ws.run::<G>(self.base, at);
            let base = *self.ws.project();
            for &i in self.order {
                let v = &self.variants[i];
                let Some(&from) = v.changed.first() else {
                    let o = &mut out[i * len + b * LANES..][..valid];
                    o.copy_from_slice(&base[..valid]);
                    continue;
                };
                for (k, &pos) in v.changed.iter().enumerate() {
                    self.stash[k] = self.ws.redraw::<G>(v.net, pos, at);
                }
                self.ws.forward_from::<G>(self.base, from);
                let o = &mut out[i * len + b * LANES..][..valid];
                o.copy_from_slice(&self.ws.project()[..valid]);
                for (k, &pos) in v.changed.iter().enumerate() {
                    self.ws.restore(pos, &self.stash[k]);
                }
            }
        }
    }
}

/// The project finishes of the first `iterations` iterations of each
/// variant, simulated with `seed`: per variant, exactly what
/// [`super::simulate`] of that variant alone gives in `Outcomes::project`.
///
/// Multi-threaded over fixed chunks of iterations (bit-identical on any
/// thread count). Memory: one `f32` per variant and iteration, plus a
/// workspace per worker. Cost per batch: one draw and schedule of the base
/// network, then per variant a redraw of its changed tasks and a forward
/// pass from its first changed position.
///
/// # Panics
///
/// If `iterations` is 0 or at least 2^32.
pub fn simulate_variants(
    base: &Network,
    variants: &[Variant],
    iterations: u64,
    seed: u64,
    simd: Option<Simd>,
) -> Vec<Vec<f32>> {
    assert!(iterations > 0 && iterations < (1 << 32));
    if variants.is_empty() {
        return Vec::new();
    }
    let simd = simd.unwrap_or_else(Simd::detect);
    let mut order: Vec<usize> = (0..variants.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(variants[i].changed.first().copied()));
    let stash = variants.iter().map(|v| v.changed.len()).max().unwrap_or(0);
    let n = iterations as usize;
    let v = variants.len();
    // Chunk-major, then variant-major within a chunk.
    let mut buf = vec![0f32; n * v];
    let chunks = n.div_ceil(CHUNK);
    let min_len = (chunks / (4 * rayon::current_num_threads())).max(1);
    let pool: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let take = || pool.lock().expect("no panics while held").pop();
    let new_worker = || Worker {
        base,
        variants,
        order: &order,
        ws: Workspace::new(base, seed),
        stash: vec![[0.0; LANES]; stash],
    };
    buf.par_chunks_mut(CHUNK * v)
        .enumerate()
        .with_min_len(min_len)
        .fold(
            || take().unwrap_or_else(new_worker),
            |mut w, (k, out)| {
                run_kernel(simd, &mut w, (k * CHUNK) as u64, out);
                w
            },
        )
        .for_each(|w| pool.lock().expect("no panics while held").push(w));
    let mut out = vec![Vec::with_capacity(n); v];
    for chunk in buf.chunks(CHUNK * v) {
        let len = chunk.len() / v;
        for (i, o) in out.iter_mut().enumerate() {
            o.extend_from_slice(&chunk[i * len..(i + 1) * len]);
        }
    }
    out
}
