//! The critical path of one iteration, as one chain: from the task that
//! ends the project, back through what set each task's start, to a task
//! that nothing held back.
//!
//! A link *drives* a task when the task's start is exactly what that link
//! allows: for a start link (FS, SS) the predecessor's finish or start plus
//! the lag equals the task's start; for a finish link (FF, SF) it equals
//! the task's finish. With team capacity, a task that waited for a person
//! is driven by the task that person worked on before. The comparisons
//! repeat the forward pass's `f32` operations one lane at a time, exactly as
//! the backward pass of [`Workspace::critical`] does for whole rows, so they
//! are exact; where several links drive a task, the first of its links is
//! followed.
//!
//! Cost: O(tasks + links) for one lane.

use crate::network::Network;
use crate::plan::LinkKind;

use super::schedule::Workspace;

/// What drove a step of a critical path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Via {
    /// A link from the task at position `from`: its kind and its lag (in
    /// the network's `f32`).
    Link {
        /// Position of the predecessor.
        from: usize,
        /// The link type.
        kind: LinkKind,
        /// The lag.
        lag: f32,
    },
    /// A person the task waited for (team capacity), who last worked on
    /// the task at position `from`.
    People {
        /// Position of that person's previous task.
        from: usize,
    },
}

impl Via {
    /// The position of the task that drove it.
    pub fn from(self) -> usize {
        match self {
            Via::Link { from, .. } | Via::People { from } => from,
        }
    }
}

/// One step of a critical path: a task (by position) and what drove it
/// (`None` for the first step, which nothing held back).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChainStep {
    /// The task's position.
    pub pos: usize,
    /// What set its start.
    pub via: Option<Via>,
}

impl Workspace {
    /// The critical path of lane `lane` of the batch last run (with
    /// [`Workspace::run`] or [`Workspace::forward`]), first task first: it
    /// ends at the task of the project finish set that finishes at the
    /// project finish (the latest in topological order when several do),
    /// and each step is driven by the step before it.
    ///
    /// # Panics
    ///
    /// If `lane` is not below [`super::LANES`].
    pub fn critical_chain(&self, net: &Network, lane: usize) -> Vec<ChainStep> {
        let project = self.project()[lane];
        let Some(mut pos) = net
            .finish_set()
            .iter()
            .map(|&p| p as usize)
            .filter(|&p| self.finish(p)[lane] == project)
            .max()
        else {
            return Vec::new();
        };
        let mut chain = Vec::new();
        loop {
            let via = self.via(net, pos, lane);
            chain.push(ChainStep { pos, via });
            match via {
                Some(d) => pos = d.from(),
                None => break,
            }
        }
        chain.reverse();
        chain
    }

    /// What set the start of the task at `pos` in `lane` (`None`: nothing
    /// held it back; it started at 0 or at its own earliest start).
    fn via(&self, net: &Network, pos: usize, lane: usize) -> Option<Via> {
        let l = lane;
        if let Some(w) = self.waited_for(pos) {
            let q = w[l] as usize;
            if w[l] != u32::MAX && self.finish(q)[l] == self.start(pos)[l] {
                return Some(Via::People { from: q });
            }
        }
        let (preds, kinds, lags) = net.preds(pos);
        let binding = if net.axis().is_some() {
            self.binding_on_calendar(net, pos, l)
        } else {
            self.binding_in_days(net, pos, l)
        };
        binding.map(|k| Via::Link {
            from: preds[k] as usize,
            kind: kinds[k],
            lag: lags[k],
        })
    }

    /// The first link of the task at `pos` that drives it in lane `l`, on
    /// a plan in working days: the link maxima recomputed as the forward
    /// pass computed them.
    fn binding_in_days(&self, net: &Network, pos: usize, l: usize) -> Option<usize> {
        let (preds, kinds, lags) = net.preds(pos);
        let time = |k: usize| {
            let p = preds[k] as usize;
            let src = if kinds[k].from_finish() {
                self.finish(p)[l]
            } else {
                self.start(p)[l]
            };
            src + lags[k]
        };
        let mut s = 0f32;
        let mut f = f32::NEG_INFINITY;
        for (k, kind) in kinds.iter().enumerate() {
            if kind.constrains_start() {
                s = s.max(time(k));
            } else {
                f = f.max(time(k));
            }
        }
        let start = self.start(pos)[l];
        let d = self.duration(pos)[l];
        let (start_bound, fin_bound) = (start == s, start == f - d);
        (0..preds.len()).find(|&k| {
            if kinds[k].constrains_start() {
                start_bound && time(k) == s
            } else {
                fin_bound && time(k) == f
            }
        })
    }

    /// [`Self::binding_in_days`] for a task on its own calendar: a link
    /// drives it where it gives its starting working time (start links),
    /// or that plus its duration (finish links), as the backward pass of a
    /// plan with task calendars tests it.
    fn binding_on_calendar(&self, net: &Network, pos: usize, l: usize) -> Option<usize> {
        let axis = net.axis()?;
        let cal = axis.table(net.calendar(pos));
        let (ws, _) = self.work_times(pos);
        let (ws, d) = (ws[l], self.duration(pos)[l]);
        let (preds, kinds, lags) = net.preds(pos);
        (0..preds.len()).find(|&k| {
            let p = preds[k] as usize;
            let w = if net.same_calendar(pos, k) {
                let (pws, pwf) = self.work_times(p);
                let src = if kinds[k].from_finish() {
                    pwf[l]
                } else {
                    pws[l]
                };
                let g = lags[k];
                if g == 0.0 { src } else { (src + g).max(0.0) }
            } else {
                let src = if kinds[k].from_finish() {
                    self.finish(p)[l]
                } else {
                    self.start(p)[l]
                };
                cal.work(net.lagged(pos, k, src))
            };
            if kinds[k].constrains_start() {
                w == ws
            } else {
                w - d == ws
            }
        })
    }
}
