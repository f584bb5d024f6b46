//! Second passes: a task's samples regenerated from the seed instead of
//! stored. Because every draw is a function of (seed, stream, iteration),
//! one task's durations can be redrawn on their own, bit for bit as the
//! simulation drew them, in O(iterations) memory for that task alone.

use crate::network::Network;

use super::rng::Blocks;
use super::schedule::{LANES, Workspace};
use super::simd::{Simd, dispatch};

/// Redraws single tasks' durations. Holds one batch workspace; create one
/// per thread.
#[derive(Debug)]
pub struct Regenerator<'a> {
    net: &'a Network,
    ws: Workspace,
    simd: Simd,
}

dispatch!(fn run_task(ws: &mut Workspace, net: &Network, pos: usize, out: &mut [f32]) => fill_task);

#[inline(always)]
fn fill_task<G: Blocks>(ws: &mut Workspace, net: &Network, pos: usize, out: &mut [f32]) {
    for (b, chunk) in out.chunks_mut(LANES).enumerate() {
        let row = ws.task_durations::<G>(net, pos, (b * LANES) as u64);
        chunk.copy_from_slice(&row[..chunk.len()]);
    }
}

impl<'a> Regenerator<'a> {
    /// A regenerator for `net` under `seed`.
    pub fn new(net: &'a Network, seed: u64) -> Regenerator<'a> {
        Regenerator {
            net,
            ws: Workspace::new(net, seed),
            simd: Simd::detect(),
        }
    }

    /// Fills `out` with the durations of plan task `task` in iterations
    /// `0 .. out.len()` (including risk delays).
    pub fn task(&mut self, task: usize, out: &mut [f32]) {
        let pos = self.net.position(task);
        run_task(self.simd, &mut self.ws, self.net, pos, out);
    }
}
