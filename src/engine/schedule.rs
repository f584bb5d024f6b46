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

// Row loops index several rows in lockstep (`for l in 0..LANES`), the form
// the vectoriser handles predictably.
#![allow(clippy::needless_range_loop)]

use crate::network::{Axis, Copula, Lag, Network, RiskNet, Sampler, TABLE_LEN, phi, phi_inv};
use crate::plan::LinkKind;

use super::convert;
use super::quantile;
use super::rng::{self, Blocks, Key, Software};
use super::simd::{Simd, dispatch};

/// Iterations per batch: the width of every row.
pub const LANES: usize = 64;

type Row = [f32; LANES];

/// `max` for the kernel's rows, which hold no NaN: a compare and select,
/// which compiles to one vector max instruction (`f32::max` adds two more
/// per vector to handle NaN).
#[inline(always)]
fn fmax(a: f32, b: f32) -> f32 {
    if a > b { a } else { b }
}

/// Rows for one batch: start, duration and finish per task, plus critical
/// flags. A workspace serves the network it was made for. Memory:
/// `13 x tasks x LANES` bytes.
#[derive(Debug, Clone)]
pub struct Workspace {
    start: Vec<Row>,
    finish: Vec<Row>,
    dur: Vec<Row>,
    crit: Vec<[u8; LANES]>,
    /// Per position: whether all the task's links are finish-to-start
    /// without lag (the fast path of both passes).
    plain: Vec<bool>,
    /// With task calendars, per position: whether all the task's links are
    /// finish-to-start without lag from tasks on its calendar (its fast
    /// path: [`Self::forward_plain`] in working time).
    plain_work: Vec<bool>,
    /// With task calendars, per position: the working time of its calendar
    /// at which the task starts, and at which it finishes.
    wstart: Vec<Row>,
    wfinish: Vec<Row>,
    /// With task calendars, per position: whether its finish, or its start,
    /// is needed on the time axis by a link or by the project finish.
    /// Other times are kept in working time only.
    need_finish: Vec<bool>,
    need_start: Vec<bool>,
    /// With task calendars, per calendar: the latest working finish of the
    /// finish set's tasks on it, that time on the axis, and whether any
    /// task of the finish set (other than a start milestone) is on it.
    ends_work: Vec<Row>,
    ends: Vec<Row>,
    ends_used: Vec<bool>,
    /// Whether every finish is converted to the time axis (the default:
    /// the engine's runs turn it off for iterations whose task finishes
    /// nobody reads).
    all_finishes: bool,
    /// On a plan without task calendars: whether every start row is kept
    /// (the default), or only those a start-to-start or start-to-finish
    /// link reads (runs that want the project finish alone).
    all_day_starts: bool,
    /// On a plan without task calendars: whether every duration row is
    /// kept (the default), or each is scheduled as soon as it is drawn and
    /// dropped (runs that read neither durations nor critical paths).
    all_durations: bool,
    /// Per position: whether a link reads the task's start.
    start_read: Vec<bool>,
    /// On a plan in working days without team capacity, the rows of a run
    /// that keeps nothing but the project finish ([`Self::finish_only`]):
    /// per position, the row of [`Self::finish`] its finish lives in while
    /// a link may still read it. Rows are reused once their last reader is
    /// scheduled, so the working set is the widest cut of the network, not
    /// the whole plan (for example, 10,000 rows rather than 100,000 on a
    /// layered plan of 100,000 tasks): a big plan's batch stays in cache.
    compact: Option<Compact>,
    /// Whether [`Self::run`] keeps the project finish alone.
    finish_only: bool,
    /// Whether every start is converted (the planned schedule reports them).
    all_starts: bool,
    /// Whether every critical flag is 0 (after [`Self::critical_tally`]).
    crit_clear: bool,
    keys: Vec<Key>,
    project: Row,
    /// Uniforms of the correlated tasks (copula members), per member.
    cu: Vec<Row>,
    /// Copula normals: team factors (one-factor) or member normals (dense).
    normals: Vec<Row>,
    /// Stream keys of the copula's team factors.
    team_keys: Vec<Key>,
    /// Stream keys of each risk: (fires, impact).
    risk_keys: Vec<(Key, Key)>,
    /// With team capacity, per person: when they are next free, and the
    /// position of the task they last worked on (`u32::MAX`: none yet).
    free: Vec<Row>,
    last: Vec<[u32; LANES]>,
    /// With team capacity, per position: the task whose person it waited
    /// for, if its start is that person's free time (`u32::MAX`: none).
    waited: Vec<[u32; LANES]>,
    /// With team capacity, per pool: the factor unplanned work stretches
    /// its tasks by, in this batch.
    stretch: Vec<Row>,
    /// Stream keys of each pool's unplanned-work share.
    share_keys: Vec<Key>,
}

impl Workspace {
    /// A workspace for `net`, drawing with `seed`.
    pub fn new(net: &Network, seed: u64) -> Workspace {
        let n = net.len();
        Workspace {
            // Allocated by the first batch that keeps them (a finish-only
            // run, or regenerating one task's draws, needs none).
            start: Vec::new(),
            finish: Vec::new(),
            dur: Vec::new(),
            crit: Vec::new(),
            crit_clear: true,
            plain: (0..n)
                .map(|pos| {
                    let (_, kinds, lags) = net.preds(pos);
                    net.axis().is_none()
                        && kinds.iter().all(|&k| k == LinkKind::FS)
                        && lags.iter().all(|&g| g == 0.0)
                })
                .collect(),
            plain_work: (0..n)
                .map(|pos| {
                    let (_, kinds, lags) = net.preds(pos);
                    net.axis().is_some()
                        && kinds.iter().all(|&k| k == LinkKind::FS)
                        && lags.iter().all(|&g| g == 0.0)
                        && net.axis_links(pos) == (false, false)
                        && !net.floors(pos).2
                })
                .collect(),
            wstart: vec![[0.0; LANES]; if net.axis().is_some() { n } else { 0 }],
            wfinish: vec![[0.0; LANES]; if net.axis().is_some() { n } else { 0 }],
            need_finish: {
                let mut need: Vec<bool> = (0..n).map(|pos| net.axis_reads(pos).0).collect();
                for &pos in net.finish_set() {
                    need[pos as usize] |= net.at_start(pos as usize);
                }
                need
            },
            need_start: (0..n).map(|pos| net.axis_reads(pos).1).collect(),
            ends_work: vec![[0.0; LANES]; net.calendar_count()],
            ends: vec![[0.0; LANES]; net.calendar_count()],
            ends_used: {
                let mut used = vec![false; net.calendar_count()];
                for &pos in net.finish_set() {
                    if net.axis().is_some() && !net.at_start(pos as usize) {
                        used[net.calendar(pos as usize)] = true;
                    }
                }
                used
            },
            all_finishes: true,
            all_day_starts: true,
            all_durations: true,
            start_read: {
                let mut read = vec![false; n];
                for pos in 0..n {
                    let (preds, kinds, _) = net.preds(pos);
                    for (&p, k) in preds.iter().zip(kinds) {
                        read[p as usize] |= !k.from_finish();
                    }
                }
                read
            },
            all_starts: false,
            compact: Compact::new(net),
            finish_only: false,
            keys: net.streams().iter().map(|&s| Key::new(seed, s)).collect(),
            project: [0.0; LANES],
            cu: vec![[0.0; LANES]; net.copula().map_or(0, |c| c.members().len())],
            normals: vec![
                [0.0; LANES];
                match net.copula() {
                    Some(Copula::OneFactor { team_streams, .. }) => team_streams.len(),
                    Some(Copula::Dense { members, .. }) => members.len(),
                    None => 0,
                }
            ],
            team_keys: match net.copula() {
                Some(Copula::OneFactor { team_streams, .. }) => {
                    team_streams.iter().map(|&s| Key::new(seed, s)).collect()
                }
                _ => Vec::new(),
            },
            risk_keys: net
                .risks()
                .iter()
                .map(|r| {
                    (
                        Key::new(seed, r.fire_stream),
                        Key::new(seed, r.impact_stream),
                    )
                })
                .collect(),
            free: vec![[0.0; LANES]; net.capacity().map_or(0, |c| c.people())],
            last: vec![[u32::MAX; LANES]; net.capacity().map_or(0, |c| c.people())],
            waited: vec![[u32::MAX; LANES]; if net.capacity().is_some() { n } else { 0 }],
            stretch: vec![[1.0; LANES]; net.capacity().map_or(0, |c| c.share.len())],
            share_keys: net.capacity().map_or(Vec::new(), |c| {
                c.share_stream.iter().map(|&s| Key::new(seed, s)).collect()
            }),
        }
    }

    /// Draws every task's duration for iterations `first .. first + LANES`.
    #[inline(always)]
    pub fn sample<G: Blocks>(&mut self, net: &Network, first: u64) {
        self.every_row(net);
        self.begin::<G>(net, first);
        for pos in 0..net.len() {
            self.draw::<G>(net, pos, first);
        }
    }

    /// Draws and schedules iterations `first .. first + LANES` in one pass
    /// over the tasks (each duration row is scheduled while it is still in
    /// L1): the same result as [`Self::sample`] then [`Self::forward`].
    #[inline(always)]
    pub fn run<G: Blocks>(&mut self, net: &Network, first: u64) {
        let compact = self.finish_only && self.compact.is_some();
        if !compact {
            self.every_row(net);
        }
        self.begin::<G>(net, first);
        // Two loops, so that the plain one holds no call (a call there keeps
        // the compiler from hoisting the rows' addresses out of it).
        if net.axis().is_some() {
            for pos in 0..net.len() {
                self.draw::<G>(net, pos, first);
                schedule_on_calendars(Self::path::<G>(), self, net, pos);
            }
        } else if net.capacity().is_some() {
            self.reset_people(net);
            for pos in 0..net.len() {
                self.draw::<G>(net, pos, first);
                let d = self.dur[pos];
                self.schedule_with_people(net, pos, &d);
            }
        } else if compact {
            self.run_compact::<G>(net, first);
            return;
        } else if self.all_durations {
            for pos in 0..net.len() {
                self.draw::<G>(net, pos, first);
                let d = self.dur[pos];
                self.schedule_days(net, pos, &d);
            }
        } else {
            for pos in 0..net.len() {
                let mut d = [0f32; LANES];
                self.draw_to::<G>(net, pos, first, &mut d);
                self.schedule_days(net, pos, &d);
                // The critical pass reads the duration of a task with
                // links other than plain finish-to-start.
                if !self.plain[pos] {
                    self.dur[pos] = d;
                }
            }
        }
        self.close::<G>(net);
    }

    /// [`Self::run`] keeping the project finish alone, in the rows of
    /// [`Compact`]: the same project finish to the bit (the latest finish
    /// of the finish set, taken in position order rather than the set's:
    /// `max` is exact), leaving every task's row stale.
    #[inline(always)]
    fn run_compact<G: Blocks>(&mut self, net: &Network, first: u64) {
        let c = self.compact.take().expect("a compact layout");
        if self.finish.len() < c.rows || self.start.len() < c.start_rows {
            self.finish = vec![[0.0; LANES]; c.rows.max(self.finish.len())];
            self.start = vec![[0.0; LANES]; c.start_rows.max(self.start.len())];
        }
        let mut proj = [0f32; LANES];
        for pos in 0..net.len() {
            let mut d = [0f32; LANES];
            self.draw_to::<G>(net, pos, first, &mut d);
            let (a, b) = (c.link_start[pos] as usize, c.link_start[pos + 1] as usize);
            let preds = &c.link_row[a..b];
            let at = c.row[pos] as usize;
            debug_assert!(at < c.rows);
            let start_at = (c.start_row[pos] != u32::MAX).then_some(c.start_row[pos] as usize);
            if self.plain[pos] {
                self.forward_plain_at(at, start_at, preds, &d);
            } else {
                let (_, kinds, lags) = net.preds(pos);
                self.forward_general_at(at, start_at, preds, kinds, lags, &d);
            }
            if c.ends[pos] {
                let fin = &self.finish[at];
                for l in 0..LANES {
                    proj[l] = fmax(proj[l], fin[l]);
                }
            }
        }
        self.project = proj;
        self.compact = Some(c);
    }

    /// Reschedules the tasks at positions `from..` from the duration rows
    /// in the workspace, and the project finish; the tasks before `from`
    /// keep their rows. After changing durations at `from` or later, this
    /// gives the same rows as [`Self::run`] with those durations.
    #[inline(always)]
    pub(crate) fn forward_from<G: Blocks>(&mut self, net: &Network, from: usize) {
        if net.axis().is_some() {
            for pos in from..net.len() {
                schedule_on_calendars(Self::path::<G>(), self, net, pos);
            }
        } else {
            if net.capacity().is_some() {
                // Who is free when depends on every task placed before:
                // all are placed again.
                self.reset_people(net);
                for pos in 0..net.len() {
                    let d = self.dur[pos];
                    self.schedule_with_people(net, pos, &d);
                }
            } else {
                for pos in from..net.len() {
                    let d = self.dur[pos];
                    self.schedule_days(net, pos, &d);
                }
            }
        }
        self.close::<G>(net);
    }

    /// Redraws the durations of the task at `pos` as `net` draws them, and
    /// returns the row they replace. `net` is the network of the batch
    /// already drawn, or a variant of it with the same streams and copula
    /// (or none: its tasks then draw independently).
    #[inline(always)]
    pub(crate) fn redraw<G: Blocks>(&mut self, net: &Network, pos: usize, first: u64) -> Row {
        let old = self.dur[pos];
        self.draw::<G>(net, pos, first);
        old
    }

    /// Puts back a duration row that [`Self::redraw`] replaced.
    #[inline(always)]
    pub(crate) fn restore(&mut self, pos: usize, row: &Row) {
        self.dur[pos] = *row;
    }

    /// Allocates a row of each kind for every task, unless done.
    #[inline(always)]
    fn every_row(&mut self, net: &Network) {
        let n = net.len();
        if self.dur.len() != n || self.finish.len() != n || self.start.len() != n {
            self.start = vec![[0.0; LANES]; n];
            self.finish = vec![[0.0; LANES]; n];
            self.dur = vec![[0.0; LANES]; n];
            self.crit = vec![[0; LANES]; n];
            self.crit_clear = true;
        }
    }

    /// Starts a batch: the copula's correlated uniforms, if any.
    #[inline(always)]
    fn begin<G: Blocks>(&mut self, net: &Network, first: u64) {
        if let Some(c) = net.copula() {
            self.correlate::<G>(c, first);
        }
        if let Some(c) = net.capacity() {
            for (p, &share) in c.share.iter().enumerate() {
                self.stretch[p] = pool_stretch::<G>(&self.share_keys[p], share, first);
            }
        }
    }

    /// Every person free from the day they join (0 but for people added
    /// by a headcount what-if), having worked on nothing.
    #[inline(always)]
    fn reset_people(&mut self, net: &Network) {
        let ready = net.capacity().map_or(&[][..], |c| &c.ready[..]);
        for (f, &r) in self.free.iter_mut().zip(ready) {
            *f = [r; LANES];
        }
        for w in self.last.iter_mut() {
            *w = [u32::MAX; LANES];
        }
    }

    /// Schedules the task at `pos` with durations `d` as early as its links
    /// and its pools' people allow: it waits until as many of each pool's
    /// people as it needs are free (a task of no duration needs no one),
    /// and takes those free latest (best fit), who are then busy until it
    /// finishes. Tasks are placed in position order, which is the
    /// capacity's priority order; a person works on one task at a time and
    /// never on a task placed after one they work on later.
    #[inline(always)]
    fn schedule_with_people(&mut self, net: &Network, pos: usize, d: &Row) {
        let cap = net.capacity().expect("a plan with capacity");
        let (pools, amounts) = cap.demands(pos);
        let (preds, kinds, lags) = net.preds(pos);
        let mut s = link_start(&self.finish, &self.start, preds, kinds, lags, d);
        let mut waited = [u32::MAX; LANES];
        let mut fin = [0f32; LANES];
        if !pools.is_empty() {
            let link = s;
            for (&p, &k) in pools.iter().zip(amounts) {
                if !cap.bounded[p as usize] {
                    continue;
                }
                let people = &self.free[cap.person_start[p as usize] as usize
                    ..cap.person_start[p as usize + 1] as usize];
                let ready = kth_free(people, k as usize);
                for l in 0..LANES {
                    if d[l] > 0.0 {
                        s[l] = fmax(s[l], ready[l]);
                    }
                }
            }
            for l in 0..LANES {
                fin[l] = s[l] + d[l];
            }
            let mut latest = [f32::NEG_INFINITY; LANES];
            for (&p, &k) in pools.iter().zip(amounts) {
                if !cap.bounded[p as usize] {
                    continue;
                }
                let (a, b) = (
                    cap.person_start[p as usize] as usize,
                    cap.person_start[p as usize + 1] as usize,
                );
                for _ in 0..k {
                    let mut best = [f32::NEG_INFINITY; LANES];
                    let mut who = [0u32; LANES];
                    for q in a..b {
                        let f = &self.free[q];
                        for l in 0..LANES {
                            let take = f[l] <= s[l] && f[l] > best[l];
                            best[l] = if take { f[l] } else { best[l] };
                            who[l] = if take { q as u32 } else { who[l] };
                        }
                    }
                    for l in 0..LANES {
                        if d[l] > 0.0 {
                            let q = who[l] as usize;
                            if best[l] > latest[l] {
                                latest[l] = best[l];
                                waited[l] = self.last[q][l];
                            }
                            // Taken: out of the next rounds' choice.
                            self.free[q][l] = f32::INFINITY;
                            self.last[q][l] = pos as u32;
                        }
                    }
                }
                for f in &mut self.free[a..b] {
                    for l in 0..LANES {
                        if f[l] == f32::INFINITY {
                            f[l] = fin[l];
                        }
                    }
                }
            }
            // Only a task its people held back waited for them (on a tie,
            // its links are what bind, as without capacity).
            for l in 0..LANES {
                if s[l] <= link[l] {
                    waited[l] = u32::MAX;
                }
            }
        } else {
            for l in 0..LANES {
                fin[l] = s[l] + d[l];
            }
        }
        self.start[pos] = s;
        self.finish[pos] = fin;
        self.waited[pos] = waited;
    }

    /// Draws the durations of the task at `pos`, risk delays included
    /// (after [`Self::begin`]).
    #[inline(always)]
    fn draw<G: Blocks>(&mut self, net: &Network, pos: usize, first: u64) {
        let mut row = [0f32; LANES];
        self.draw_to::<G>(net, pos, first, &mut row);
        self.dur[pos] = row;
    }

    /// [`Self::draw`] into `row`.
    #[inline(always)]
    fn draw_to<G: Blocks>(&self, net: &Network, pos: usize, first: u64, row: &mut Row) {
        let tables = net.tables();
        let sampler = *net.sampler(pos);
        match (sampler, net.copula_slot(pos)) {
            (Sampler::Fixed(v), _) => *row = [v; LANES],
            (_, Some(m)) => fill::<G>(&sampler, &self.cu[m], row, tables),
            (_, None) => {
                let u = uniforms::<G>(&self.keys[pos], first);
                fill::<G>(&sampler, &u, row, tables);
            }
        }
        add_risks::<G>(net, pos, &self.risk_keys, first, row);
        if let Some(c) = net.capacity()
            && c.stretched(pos)
        {
            let mut f = [1f32; LANES];
            for &p in c.demands(pos).0 {
                let g = &self.stretch[p as usize];
                for l in 0..LANES {
                    f[l] = f[l].max(g[l]);
                }
            }
            for l in 0..LANES {
                row[l] *= f[l];
            }
        }
    }

    /// One task's durations for iterations `first .. first + LANES`, bit for
    /// bit as [`Self::sample`] draws them, without drawing the other tasks
    /// (except the correlated tasks it depends on through the copula). This
    /// is what lets a second pass regenerate samples instead of storing them.
    #[inline(always)]
    pub fn task_durations<G: Blocks>(&mut self, net: &Network, pos: usize, first: u64) -> Row {
        let tables = net.tables();
        let sampler = *net.sampler(pos);
        let mut row = [0f32; LANES];
        match (sampler, net.copula_slot(pos), net.copula()) {
            (Sampler::Fixed(v), _, _) => row = [v; LANES],
            (_, Some(m), Some(c)) => {
                let u = self.correlated::<G>(c, m, first);
                fill::<G>(&sampler, &u, &mut row, tables);
            }
            _ => {
                let u = uniforms::<G>(&self.keys[pos], first);
                fill::<G>(&sampler, &u, &mut row, tables);
            }
        }
        add_risks::<G>(net, pos, &self.risk_keys, first, &mut row);
        if let Some(c) = net.capacity()
            && c.stretched(pos)
        {
            let mut f = [1f32; LANES];
            for &p in c.demands(pos).0 {
                let p = p as usize;
                let g = pool_stretch::<G>(&self.share_keys[p], c.share[p], first);
                for l in 0..LANES {
                    f[l] = f[l].max(g[l]);
                }
            }
            for l in 0..LANES {
                row[l] *= f[l];
            }
        }
        row
    }

    /// The uniforms [`Self::task_durations`] feeds the sampler of the task
    /// at `pos` (a correlated task's copula uniforms), for iterations
    /// `first .. first + LANES`: the task's durations before risk delays are
    /// its sampler's inverse CDF at them, non-decreasing in `u`.
    #[inline(always)]
    pub fn task_uniforms<G: Blocks>(&mut self, net: &Network, pos: usize, first: u64) -> Row {
        match (net.copula_slot(pos), net.copula()) {
            (Some(m), Some(c)) => self.correlated::<G>(c, m, first),
            _ => uniforms::<G>(&self.keys[pos], first),
        }
    }

    /// The correlated uniforms of copula member `m` alone (as
    /// [`Self::correlate`] computes them for all members).
    #[inline(always)]
    fn correlated<G: Blocks>(&mut self, c: &Copula, m: usize, first: u64) -> Row {
        let phi_t = crate::network::phi_slice();
        let mut out = [0f32; LANES];
        match c {
            Copula::OneFactor {
                members,
                group,
                load,
                resid,
                ..
            } => {
                let gu = uniforms::<G>(&self.team_keys[group[m] as usize], first);
                let u = uniforms::<G>(&self.keys[members[m] as usize], first);
                let (a, b) = (load[m], resid[m]);
                for l in 0..LANES {
                    let z = a * phi_inv(gu[l]) + b * phi_inv(u[l]);
                    out[l] = phi(z, phi_t);
                }
            }
            Copula::Dense { members, factor } => {
                let mut z = [0f32; LANES];
                for (j, &w) in factor.row(m).iter().enumerate().take(m + 1) {
                    if w != 0.0 {
                        let u = uniforms::<G>(&self.keys[members[j] as usize], first);
                        for l in 0..LANES {
                            z[l] += w * phi_inv(u[l]);
                        }
                    }
                }
                for l in 0..LANES {
                    out[l] = phi(z[l], phi_t);
                }
            }
        }
        out
    }

    /// The correlated uniforms of the copula's members for this batch.
    #[inline(always)]
    fn correlate<G: Blocks>(&mut self, c: &Copula, first: u64) {
        let phi_t = crate::network::phi_slice();
        match c {
            Copula::OneFactor {
                members,
                group,
                load,
                resid,
                ..
            } => {
                for (g, key) in self.team_keys.iter().enumerate() {
                    let u = uniforms::<G>(key, first);
                    for l in 0..LANES {
                        self.normals[g][l] = phi_inv(u[l]);
                    }
                }
                for (m, &pos) in members.iter().enumerate() {
                    let u = uniforms::<G>(&self.keys[pos as usize], first);
                    let g = &self.normals[group[m] as usize];
                    let (a, b) = (load[m], resid[m]);
                    for l in 0..LANES {
                        let z = a * g[l] + b * phi_inv(u[l]);
                        self.cu[m][l] = phi(z, phi_t);
                    }
                }
            }
            Copula::Dense { members, factor } => {
                for (m, &pos) in members.iter().enumerate() {
                    let u = uniforms::<G>(&self.keys[pos as usize], first);
                    for l in 0..LANES {
                        self.normals[m][l] = phi_inv(u[l]);
                    }
                }
                for (m, weights) in factor.rows().into_iter().enumerate() {
                    let mut z = [0f32; LANES];
                    for (j, &w) in weights.iter().enumerate().take(m + 1) {
                        if w != 0.0 {
                            let e = &self.normals[j];
                            for l in 0..LANES {
                                z[l] += w * e[l];
                            }
                        }
                    }
                    for l in 0..LANES {
                        self.cu[m][l] = phi(z[l], phi_t);
                    }
                }
            }
        }
    }

    /// Sets every task's duration to its planned (likely) value, in all lanes:
    /// the deterministic schedule.
    #[inline(always)]
    pub fn plan(&mut self, net: &Network) {
        self.every_row(net);
        for (row, &d) in self.dur.iter_mut().zip(net.planned()) {
            *row = [d; LANES];
        }
        self.all_starts = true;
        self.all_finishes = true;
    }

    /// With task calendars: whether the next batches convert every task's
    /// finish to the time axis (the default), or only the finishes a link
    /// or the project finish reads, leaving [`Self::finish`] of the others
    /// stale. Plans without task calendars compute every finish anyway.
    pub fn keep_finishes(&mut self, all: bool) {
        self.all_finishes = all;
    }

    /// On a plan without task calendars: whether the next batches keep
    /// every task's start row (the default), or only those a link or the
    /// critical pass reads (those of tasks with links other than plain
    /// finish-to-start: the pass recomputes the others' starts), leaving
    /// [`Self::start`] of the others stale.
    pub(crate) fn keep_day_starts(&mut self, all: bool) {
        self.all_day_starts = all;
    }

    /// On a plan without task calendars: whether the next batches of
    /// [`Self::run`] keep every task's duration row (the default), or only
    /// those the critical pass reads (those of tasks with links other than
    /// plain finish-to-start), leaving [`Self::duration`] of the others
    /// stale.
    pub(crate) fn keep_durations(&mut self, all: bool) {
        self.all_durations = all;
    }

    /// Whether the next batches of [`Self::run`] keep nothing but the
    /// project finish (not the default): on a plan in working days without
    /// team capacity, each batch is then scheduled in a few reused rows
    /// (see [`Compact`]), leaving every task's rows stale, and the critical
    /// pass wrong.
    pub(crate) fn finish_only(&mut self, on: bool) {
        self.finish_only = on;
    }

    /// Computes starts and finishes from the durations, and the project
    /// finish per lane.
    #[inline(always)]
    pub fn forward(&mut self, net: &Network) {
        self.reset_people(net);
        for pos in 0..net.len() {
            if net.axis().is_some() {
                self.schedule_calendar::<Software>(net, pos);
            } else if net.capacity().is_some() {
                let d = self.dur[pos];
                self.schedule_with_people(net, pos, &d);
            } else {
                let d = self.dur[pos];
                self.schedule_days(net, pos, &d);
            }
        }
        self.close::<Software>(net);
    }

    /// The start and finish of the task at `pos`, from its duration and its
    /// predecessors' rows, on a plan in working days (a plan with task
    /// calendars: [`Self::schedule_calendar`], in its own function).
    #[inline(always)]
    fn schedule_days(&mut self, net: &Network, pos: usize, d: &Row) {
        let (preds, kinds, lags) = net.preds(pos);
        if self.plain[pos] {
            self.forward_plain(pos, preds, d);
        } else {
            self.forward_general(pos, preds, kinds, lags, d);
        }
    }

    /// The instruction-set path of the calendar functions called from a
    /// kernel instantiated with `G`: AVX2 where `G` runs (the results are
    /// the same bits on every path).
    #[inline(always)]
    fn path<G: Blocks>() -> Simd {
        if G::GATHER {
            Simd::Avx2
        } else {
            Simd::Portable
        }
    }

    /// [`Self::schedule_days`] for a task on its own calendar.
    #[inline(always)]
    fn schedule_calendar<G: Blocks>(&mut self, net: &Network, pos: usize) {
        let axis = net.axis().expect("a plan with task calendars");
        if self.plain_work[pos] {
            self.forward_plain_work::<G>(net, axis, pos, net.preds(pos).0);
        } else {
            self.forward_calendar::<G>(net, axis, pos);
        }
    }

    /// A task on its own calendar, scheduled in that calendar's working
    /// time: a link from a task on the same calendar (lag zero or on that
    /// calendar) adds its lag to the predecessor's working time; any other
    /// link moves the predecessor's time on the axis and is converted with
    /// one table look-up (for all such links at once, on their latest
    /// time). The task's finish and start are converted back to the axis
    /// only where they are read (see [`crate::plan::Axis`]).
    #[inline(always)]
    fn forward_calendar<G: Blocks>(&mut self, net: &Network, axis: &Axis, pos: usize) {
        let (preds, kinds, lags) = net.preds(pos);
        let (floor_s, floor_f, finish_linked) = net.floors(pos);
        let c = axis.table(net.calendar(pos));
        let (has_xs, has_xf) = net.axis_links(pos);
        // Rows a task has no use for are left unset (only written to).
        let mut s = [floor_s; LANES];
        let mut f = [0f32; LANES];
        if finish_linked {
            f = [floor_f; LANES];
        }
        // The latest axis times of the other links, per kind.
        let mut xs = [0f32; LANES];
        let mut xf = [0f32; LANES];
        if has_xs {
            xs = [f32::NEG_INFINITY; LANES];
        }
        if has_xf {
            xf = [f32::NEG_INFINITY; LANES];
        }
        for k in 0..preds.len() {
            let p = preds[k] as usize;
            let on_start = kinds[k].constrains_start();
            if net.same_calendar(pos, k) {
                let src = if kinds[k].from_finish() {
                    &self.wfinish[p]
                } else {
                    &self.wstart[p]
                };
                let target = if on_start { &mut s } else { &mut f };
                let g = lags[k];
                if g == 0.0 {
                    for l in 0..LANES {
                        target[l] = fmax(target[l], src[l]);
                    }
                } else {
                    // A lag back past the axis's start stops there.
                    for l in 0..LANES {
                        target[l] = fmax(target[l], fmax(src[l] + g, 0.0));
                    }
                }
                continue;
            }
            let src = if kinds[k].from_finish() {
                &self.finish[p]
            } else {
                &self.start[p]
            };
            let target = if on_start { &mut xs } else { &mut xf };
            match net.lag(pos, k) {
                Lag::Zero => {
                    for l in 0..LANES {
                        target[l] = fmax(target[l], src[l]);
                    }
                }
                Lag::Elapsed(g) => {
                    for l in 0..LANES {
                        target[l] = fmax(target[l], src[l] + g);
                    }
                }
                Lag::Working(t, g) => {
                    let mut w = [0f32; LANES];
                    convert::work::<G>(t, src, &mut w);
                    for l in 0..LANES {
                        w[l] += g;
                    }
                    let mut at = [0f32; LANES];
                    convert::finish::<G>(t, &w, &mut at);
                    for l in 0..LANES {
                        target[l] = fmax(target[l], at[l]);
                    }
                }
            }
        }
        let mut w = [0f32; LANES];
        if has_xs {
            convert::work::<G>(c, &xs, &mut w);
            for l in 0..LANES {
                s[l] = fmax(s[l], w[l]);
            }
        }
        if has_xf {
            convert::work::<G>(c, &xf, &mut w);
            for l in 0..LANES {
                f[l] = fmax(f[l], w[l]);
            }
        }
        let d = &self.dur[pos];
        let (ws, wf) = (&mut self.wstart[pos], &mut self.wfinish[pos]);
        if finish_linked {
            for l in 0..LANES {
                ws[l] = fmax(s[l], f[l] - d[l]);
            }
        } else {
            *ws = s;
        }
        for l in 0..LANES {
            wf[l] = ws[l] + d[l];
        }
        self.place_on_axis::<G>(net, axis, pos);
    }

    /// [`Self::forward_plain`] in working time, for a task on its own
    /// calendar whose links all come from tasks on that calendar.
    #[inline(always)]
    fn forward_plain_work<G: Blocks>(
        &mut self,
        net: &Network,
        axis: &Axis,
        pos: usize,
        preds: &[u32],
    ) {
        let mut s = [net.floors(pos).0; LANES];
        for &p in preds {
            let src = &self.wfinish[p as usize];
            for l in 0..LANES {
                s[l] = fmax(s[l], src[l]);
            }
        }
        let d = &self.dur[pos];
        let wf = &mut self.wfinish[pos];
        for l in 0..LANES {
            wf[l] = s[l] + d[l];
        }
        self.wstart[pos] = s;
        self.place_on_axis::<G>(net, axis, pos);
    }

    /// Converts the working start and finish of the task at `pos` to the
    /// time axis, where they are read.
    #[inline(always)]
    fn place_on_axis<G: Blocks>(&mut self, net: &Network, axis: &Axis, pos: usize) {
        let need_start = self.all_starts || self.need_start[pos];
        if !(need_start || self.all_finishes || self.need_finish[pos]) {
            return;
        }
        let c = axis.table(net.calendar(pos));
        let (d, ws, wf) = (&self.dur[pos], &self.wstart[pos], &self.wfinish[pos]);
        // A task of no duration starts as it finishes: where work last
        // stopped, or where it resumes for a start milestone.
        let fin = &mut self.finish[pos];
        convert::finish::<G>(c, wf, fin);
        let at_start = net.at_start(pos);
        if need_start || at_start {
            let mut b = [0f32; LANES];
            convert::begin::<G>(c, ws, &mut b);
            if at_start {
                for l in 0..LANES {
                    fin[l] = if d[l] == 0.0 { b[l] } else { fin[l] };
                }
            }
            if need_start {
                let st = &mut self.start[pos];
                for l in 0..LANES {
                    st[l] = if d[l] > 0.0 { b[l] } else { fin[l] };
                }
            }
        }
    }

    /// The project finish per lane: the latest finish of the finish set.
    #[inline(always)]
    fn close<G: Blocks>(&mut self, net: &Network) {
        if net.axis().is_some() {
            close_on_calendars(Self::path::<G>(), self, net);
            return;
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

    /// [`Self::close`] with task calendars: the latest working finish of
    /// the finish set per calendar, converted once per calendar (the
    /// conversion keeps order, so this is the latest of the converted
    /// finishes), and the start milestones' own times.
    #[inline(always)]
    fn close_calendar<G: Blocks>(&mut self, net: &Network) {
        let axis = net.axis().expect("a plan with task calendars");
        let mut proj = [0f32; LANES];
        for e in self.ends_work.iter_mut() {
            *e = [f32::NEG_INFINITY; LANES];
        }
        for &pos in net.finish_set() {
            let pos = pos as usize;
            if net.at_start(pos) {
                let fin = &self.finish[pos];
                for l in 0..LANES {
                    proj[l] = fmax(proj[l], fin[l]);
                }
            } else {
                let (e, wf) = (&mut self.ends_work[net.calendar(pos)], &self.wfinish[pos]);
                for l in 0..LANES {
                    e[l] = fmax(e[l], wf[l]);
                }
            }
        }
        for (c, used) in self.ends_used.iter().enumerate() {
            if !used {
                continue;
            }
            let (w, e) = (&self.ends_work[c], &mut self.ends[c]);
            convert::finish::<G>(axis.table(c), w, e);
            for l in 0..LANES {
                proj[l] = fmax(proj[l], e[l]);
            }
        }
        self.project = proj;
    }

    /// A task whose links are all finish-to-start without lag (the common
    /// case): its start is the latest predecessor finish.
    #[inline(always)]
    fn forward_plain(&mut self, pos: usize, preds: &[u32], d: &Row) {
        let keep = self.all_day_starts || self.start_read[pos];
        self.forward_plain_at(pos, keep.then_some(pos), preds, d);
    }

    /// [`Self::forward_plain`] with the task's finish written to row `at`
    /// of [`Self::finish`], its start (if kept) to row `start_at` of
    /// [`Self::start`], and `preds` naming its predecessors' rows.
    #[inline(always)]
    fn forward_plain_at(&mut self, at: usize, start_at: Option<usize>, preds: &[u32], d: &Row) {
        let mut s = [0f32; LANES];
        for &p in preds {
            let src = &self.finish[p as usize];
            for l in 0..LANES {
                s[l] = fmax(s[l], src[l]);
            }
        }
        let fin = &mut self.finish[at];
        for l in 0..LANES {
            fin[l] = s[l] + d[l];
        }
        if let Some(k) = start_at {
            self.start[k] = s;
        }
    }

    /// Any mix of link kinds and lags.
    #[inline(always)]
    fn forward_general(
        &mut self,
        pos: usize,
        preds: &[u32],
        kinds: &[LinkKind],
        lags: &[f32],
        d: &Row,
    ) {
        // The critical pass reads the start of a task with such links.
        self.forward_general_at(pos, Some(pos), preds, kinds, lags, d);
    }

    /// [`Self::forward_general`] with the task's finish written to row `at`
    /// of [`Self::finish`], its start (if kept) to row `start_at` of
    /// [`Self::start`], and `preds` naming, for each link, the row of the
    /// predecessor's finish or start it reads.
    #[inline(always)]
    fn forward_general_at(
        &mut self,
        at: usize,
        start_at: Option<usize>,
        preds: &[u32],
        kinds: &[LinkKind],
        lags: &[f32],
        d: &Row,
    ) {
        let s = link_start(&self.finish, &self.start, preds, kinds, lags, d);
        let fin = &mut self.finish[at];
        for l in 0..LANES {
            fin[l] = s[l] + d[l];
        }
        if let Some(k) = start_at {
            self.start[k] = s;
        }
    }

    /// Marks, per lane, the tasks on a critical path: a chain of binding
    /// links from time 0 to the project finish. Call after [`Self::forward`].
    #[inline(always)]
    pub fn critical(&mut self, net: &Network) {
        self.mark::<Software, false>(net, &mut [], 0);
    }

    /// [`Self::critical`], adding each task's flags for the first `valid`
    /// lanes to its per-lane counters `acc` as soon as they are final (a
    /// task's flags are final once the backward pass reaches it), and
    /// clearing them on the way: one pass over the flags instead of three
    /// (clear, mark, count). [`Self::critical_row`] then reads zeros.
    #[inline(always)]
    pub fn critical_tally(&mut self, net: &Network, acc: &mut [[u8; LANES]], valid: usize) {
        self.mark::<Software, true>(net, acc, valid);
    }

    /// [`Self::critical_tally`] in a kernel built for `G`'s path.
    #[inline(always)]
    pub(crate) fn critical_tally_with<G: Blocks>(
        &mut self,
        net: &Network,
        acc: &mut [[u8; LANES]],
        valid: usize,
    ) {
        self.mark::<G, true>(net, acc, valid);
    }

    #[inline(always)]
    fn mark<G: Blocks, const TALLY: bool>(
        &mut self,
        net: &Network,
        acc: &mut [[u8; LANES]],
        valid: usize,
    ) {
        if !(TALLY && self.crit_clear) {
            for c in self.crit.iter_mut() {
                *c = [0; LANES];
            }
        }
        self.crit_clear = TALLY;
        if net.axis().is_some() {
            // Its own function, built for the path `G` belongs to (in the
            // kernel, the plain form's loop is measurably slower with it).
            mark_on_calendars(Self::path::<G>(), self, net, acc, valid, TALLY);
            return;
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
            if TALLY {
                let a = &mut acc[pos];
                for l in 0..LANES {
                    a[l] += if l < valid { c[l] } else { 0 };
                }
                self.crit[pos] = [0; LANES];
            }
            if !self.waited.is_empty() {
                // A task that started when a person it waited for became
                // free: that person's previous task is binding too.
                let (w, start) = (self.waited[pos], self.start[pos]);
                for l in 0..LANES {
                    let q = w[l] as usize;
                    if c[l] != 0 && q != u32::MAX as usize && self.finish[q][l] == start[l] {
                        self.crit[q][l] = 1;
                    }
                }
            }
            let (preds, kinds, lags) = net.preds(pos);
            if preds.is_empty() {
                continue;
            }
            if self.plain[pos] {
                // The start is the latest predecessor finish (or 0): a
                // predecessor is binding where its finish equals the start.
                // Without capacity it is recomputed as the forward pass
                // formed it (the same `max`es in the same order, so the
                // same bits), so that a run need not keep the start rows
                // of plain tasks; with capacity, a person may have held
                // the task back, and its kept row says so.
                let start = if self.waited.is_empty() {
                    let mut s = [0f32; LANES];
                    for &p in preds {
                        let src = &self.finish[p as usize];
                        for l in 0..LANES {
                            s[l] = fmax(s[l], src[l]);
                        }
                    }
                    s
                } else {
                    self.start[pos]
                };
                for &p in preds {
                    let (fp, cp) = (&self.finish[p as usize], &mut self.crit[p as usize]);
                    for l in 0..LANES {
                        cp[l] |= c[l] & u8::from(fp[l] == start[l]);
                    }
                }
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

    /// [`Self::mark`] for a plan with task calendars (see
    /// [`mark_on_calendars`]); `tally` as `TALLY` there.
    #[inline(always)]
    fn mark_calendars<G: Blocks>(
        &mut self,
        net: &Network,
        acc: &mut [[u8; LANES]],
        valid: usize,
        tally: bool,
    ) {
        let axis = net.axis().expect("a plan with task calendars");
        for &pos in net.finish_set() {
            let pos = pos as usize;
            if net.at_start(pos) {
                for l in 0..LANES {
                    self.crit[pos][l] = u8::from(self.finish[pos][l] == self.project[l]);
                }
                continue;
            }
            // The task ends the project where it has its calendar's latest
            // working finish and that calendar ends the project.
            let c = net.calendar(pos);
            let (wf, e, ew) = (&self.wfinish[pos], &self.ends[c], &self.ends_work[c]);
            for l in 0..LANES {
                self.crit[pos][l] = u8::from(wf[l] == ew[l] && e[l] == self.project[l]);
            }
        }
        for pos in (0..net.len()).rev() {
            let c = self.crit[pos];
            if c.iter().all(|&x| x == 0) {
                continue;
            }
            if tally {
                let a = &mut acc[pos];
                for l in 0..LANES {
                    a[l] += if l < valid { c[l] } else { 0 };
                }
                self.crit[pos] = [0; LANES];
            }
            let preds = net.preds(pos).0;
            if preds.is_empty() {
                continue;
            }
            if self.plain_work[pos] {
                // The working start is the latest predecessor working
                // finish (or the floor), as in the plain form.
                let start = &self.wstart[pos];
                for &p in preds {
                    let (fp, cp) = (&self.wfinish[p as usize], &mut self.crit[p as usize]);
                    for l in 0..LANES {
                        cp[l] |= c[l] & u8::from(fp[l] == start[l]);
                    }
                }
                continue;
            }
            self.mark_calendar::<G>(net, axis, pos, &c);
        }
    }

    /// [`Self::mark`] for a task on its own calendar: a link is binding
    /// where it gives the task's starting working time (start links), or
    /// that plus the duration (finish links), exactly as the forward pass
    /// computed them.
    #[inline(always)]
    fn mark_calendar<G: Blocks>(
        &mut self,
        net: &Network,
        axis: &Axis,
        pos: usize,
        c: &[u8; LANES],
    ) {
        let cal = axis.table(net.calendar(pos));
        let (ws, d) = (self.wstart[pos], self.dur[pos]);
        let (preds, kinds, lags) = net.preds(pos);
        for k in 0..preds.len() {
            let p = preds[k] as usize;
            let on_start = kinds[k].constrains_start();
            let mut w = [0f32; LANES];
            if net.same_calendar(pos, k) {
                let src = if kinds[k].from_finish() {
                    &self.wfinish[p]
                } else {
                    &self.wstart[p]
                };
                let g = lags[k];
                for l in 0..LANES {
                    w[l] = if g == 0.0 {
                        src[l]
                    } else {
                        fmax(src[l] + g, 0.0)
                    };
                }
            } else {
                let src = if kinds[k].from_finish() {
                    &self.finish[p]
                } else {
                    &self.start[p]
                };
                let mut at = [0f32; LANES];
                match net.lag(pos, k) {
                    Lag::Zero => at = *src,
                    Lag::Elapsed(g) => {
                        for l in 0..LANES {
                            at[l] = src[l] + g;
                        }
                    }
                    Lag::Working(t, g) => {
                        convert::work::<G>(t, src, &mut w);
                        for l in 0..LANES {
                            w[l] += g;
                        }
                        convert::finish::<G>(t, &w, &mut at);
                    }
                }
                convert::work::<G>(cal, &at, &mut w);
            }
            let cp = &mut self.crit[p];
            for l in 0..LANES {
                let bound = if on_start {
                    w[l] == ws[l]
                } else {
                    w[l] - d[l] == ws[l]
                };
                cp[l] |= c[l] & u8::from(bound);
            }
        }
    }

    /// Project finish per lane (after [`Self::forward`]).
    pub fn project(&self) -> &[f32; LANES] {
        &self.project
    }

    /// Start row of the task at `pos`. With task calendars, the iterations
    /// compute it only for tasks whose start a link reads; the planned
    /// schedule ([`Self::plan`]) computes every one.
    pub fn start(&self, pos: usize) -> &[f32; LANES] {
        &self.start[pos]
    }

    /// Finish row of the task at `pos` (with task calendars, see
    /// [`Self::keep_finishes`]).
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

    /// With task calendars: the working times of its calendar at which the
    /// task at `pos` starts and finishes.
    pub(crate) fn work_times(&self, pos: usize) -> (&[f32; LANES], &[f32; LANES]) {
        (&self.wstart[pos], &self.wfinish[pos])
    }

    /// With team capacity: per lane, the position of the task whose person
    /// the task at `pos` waited for (`u32::MAX`: its links set its start).
    pub(crate) fn waited_for(&self, pos: usize) -> Option<&[u32; LANES]> {
        self.waited.get(pos)
    }

    /// With task calendars: whether the next batches convert every task's
    /// start to the time axis, not only those a link reads (as the planned
    /// schedule does), so that [`Self::start`] holds every start.
    pub(crate) fn keep_starts(&mut self, all: bool) {
        self.all_starts = all;
    }

    /// Risk `k` of `net` in iterations `first .. first + LANES`: per lane,
    /// whether it fires, and the delay it adds to each task it affects
    /// (0 where it does not fire), as [`Self::run`] draws them.
    pub(crate) fn risk_draw(&self, net: &Network, k: usize, first: u64) -> ([bool; LANES], Row) {
        let r = &net.risks()[k];
        if r.probability <= 0.0 {
            return ([false; LANES], [0.0; LANES]);
        }
        let fired = uniforms::<Software>(&self.risk_keys[k].0, first).map(|u| u < r.probability);
        let delay = risk_row::<Software>(r, &self.risk_keys[k], first, net.tables());
        (fired, delay)
    }
}

dispatch!(fn schedule_on_calendars(ws: &mut Workspace, net: &Network, pos: usize) => Workspace::schedule_calendar);

dispatch!(fn close_on_calendars(ws: &mut Workspace, net: &Network) => Workspace::close_calendar);

dispatch!(fn mark_on_calendars(
    ws: &mut Workspace,
    net: &Network,
    acc: &mut [[u8; LANES]],
    valid: usize,
    tally: bool
) => Workspace::mark_calendars);

/// The uniforms of one stream for iterations `first .. first + LANES`
/// (`first` a multiple of 4): `rng::uniform(key, first + l)` for each lane.
#[inline(always)]
fn uniforms<G: Blocks>(key: &Key, first: u64) -> Row {
    let mut words = [[0u32; 4]; LANES / 4];
    G::fill(key, first / 4, &mut words);
    let mut u = [0f32; LANES];
    for (u, &w) in u.iter_mut().zip(words.as_flattened()) {
        *u = rng::unit(w);
    }
    u
}

/// Adds to `row` (the durations of the task at `pos`) the delays of the
/// risks that fire on it, drawn with `risk_keys` (per risk: fires, impact).
#[inline(always)]
fn add_risks<G: Blocks>(
    net: &Network,
    pos: usize,
    risk_keys: &[(Key, Key)],
    first: u64,
    row: &mut Row,
) {
    for &k in net.task_risks(pos) {
        let r = &net.risks()[k as usize];
        if r.probability <= 0.0 {
            continue;
        }
        let hit = risk_row::<G>(r, &risk_keys[k as usize], first, net.tables());
        for l in 0..LANES {
            row[l] += hit[l];
        }
    }
}

/// The delay a risk adds in each lane: its impact where it fires, else 0.
#[inline(always)]
fn risk_row<G: Blocks>(
    r: &RiskNet,
    (fire, impact): &(Key, Key),
    first: u64,
    tables: &[f32],
) -> Row {
    let uf = uniforms::<G>(fire, first);
    let ui = uniforms::<G>(impact, first);
    let mut d = [0f32; LANES];
    fill::<G>(&r.impact, &ui, &mut d, tables);
    for l in 0..LANES {
        d[l] = if uf[l] < r.probability { d[l] } else { 0.0 };
    }
    d
}

/// Applies a sampler to a row of uniforms.
#[inline(always)]
fn fill<G: Blocks>(sampler: &Sampler, u: &Row, out: &mut Row, tables: &[f32]) {
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
            // One square root per lane: pick the branch's radicand first
            // (the same operations as `Sampler::sample`, so the same bits).
            // The pick is a bitwise blend: written as a select, the compiler
            // moves the square root into both arms and computes two.
            for l in 0..LANES {
                let left_side = u[l] < fc;
                let mask = 0u32.wrapping_sub(u32::from(left_side));
                let a = (u[l] * left).to_bits();
                let b = ((1.0 - u[l]) * right).to_bits();
                let r = f32::from_bits((a & mask) | (b & !mask)).sqrt();
                out[l] = if left_side { low + r } else { high - r };
            }
        }
        Sampler::Pert { low, width, row, w } => quantile::pert::<G>(row, (low, width, w), u, out),
        Sampler::Table { offset } => {
            // The table sliced once per row, so that the per-lane reads
            // need no bounds checks.
            let t: &[f32; TABLE_LEN] = tables[offset as usize..offset as usize + TABLE_LEN]
                .try_into()
                .expect("a table is TABLE_LEN floats");
            quantile::table::<G>(t, u, out);
        }
    }
}

/// The rows of a finish-only run ([`Workspace::run`] with nothing kept but
/// the project finish) on a plan in working days without team capacity.
#[derive(Debug, Clone)]
struct Compact {
    /// Per position: the row of its finish.
    row: Vec<u32>,
    /// Per position: the row of its start, if a link reads it
    /// (`u32::MAX`: none).
    start_row: Vec<u32>,
    /// Links in the network's order, each naming the row of the
    /// predecessor's finish or start it reads.
    link_row: Vec<u32>,
    /// Per position: where its links begin in `link_row` (and one more).
    link_start: Vec<u32>,
    /// Per position: whether it is in the finish set.
    ends: Vec<bool>,
    /// Finish rows used.
    rows: usize,
    /// Start rows used.
    start_rows: usize,
}

impl Compact {
    /// Assigns rows in position order: a task takes the most recently freed
    /// row (the one likeliest still in cache) after its predecessors whose
    /// last reader it is have freed theirs, which is safe as every link is
    /// read before the task's own rows are written. Starts that a link
    /// reads get rows of their own the same way.
    fn new(net: &Network) -> Option<Compact> {
        if net.axis().is_some() || net.capacity().is_some() {
            return None;
        }
        let n = net.len();
        // Per position: its last reader through a finish, through a start.
        let mut last = vec![[0usize; 2]; n];
        for pos in 0..n {
            let (preds, kinds, _) = net.preds(pos);
            for (&p, k) in preds.iter().zip(kinds) {
                last[p as usize][usize::from(!k.from_finish())] = pos;
            }
        }
        let mut ends = vec![false; n];
        for &pos in net.finish_set() {
            ends[pos as usize] = true;
        }
        // Finish rows, then start rows: per position, the free rows, the
        // rows used.
        let mut row = [vec![0u32; n], vec![u32::MAX; n]];
        let mut free: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
        let mut rows = [0u32; 2];
        let mut link_row = Vec::new();
        let mut link_start = Vec::with_capacity(n + 1);
        link_start.push(0u32);
        for pos in 0..n {
            let (preds, kinds, _) = net.preds(pos);
            for (&p, k) in preds.iter().zip(kinds) {
                link_row.push(row[usize::from(!k.from_finish())][p as usize]);
            }
            link_start.push(link_row.len() as u32);
            for (&p, k) in preds.iter().zip(kinds) {
                let (p, which) = (p as usize, usize::from(!k.from_finish()));
                // A predecessor linked twice frees its row once.
                if last[p][which] == pos {
                    last[p][which] = usize::MAX;
                    free[which].push(row[which][p]);
                }
            }
            for which in 0..2 {
                // A start nobody reads has no row; a finish nobody reads
                // takes one and frees it at once.
                let read = last[pos][which] > pos;
                if which == 1 && !read {
                    continue;
                }
                let r = free[which].pop().unwrap_or_else(|| {
                    rows[which] += 1;
                    rows[which] - 1
                });
                row[which][pos] = r;
                if !read {
                    free[which].push(r);
                }
            }
        }
        let [row, start_row] = row;
        Some(Compact {
            row,
            start_row,
            link_row,
            link_start,
            ends,
            rows: rows[0] as usize,
            start_rows: rows[1] as usize,
        })
    }
}

/// The earliest start its links allow a task with durations `d` and links
/// `preds`, `kinds`, `lags` (any mix), from the rows of its predecessors.
#[inline(always)]
fn link_start(
    finish: &[Row],
    start: &[Row],
    preds: &[u32],
    kinds: &[LinkKind],
    lags: &[f32],
    d: &Row,
) -> Row {
    let mut s = [0f32; LANES];
    let mut f = [f32::NEG_INFINITY; LANES];
    let mut has_f = false;
    for k in 0..preds.len() {
        let p = preds[k] as usize;
        let lag = lags[k];
        let src = if kinds[k].from_finish() {
            &finish[p]
        } else {
            &start[p]
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
    if has_f {
        for l in 0..LANES {
            s[l] = fmax(s[l], f[l] - d[l]);
        }
    }
    s
}

/// Per lane, the time by which `k` of `people` are free (the k-th smallest
/// of their free times).
#[inline(always)]
fn kth_free(people: &[Row], k: usize) -> Row {
    let mut out = [f32::INFINITY; LANES];
    if k == 1 {
        for f in people {
            for l in 0..LANES {
                out[l] = out[l].min(f[l]);
            }
        }
        return out;
    }
    for l in 0..LANES {
        // Distinct free times in increasing order, until k people are free.
        let mut below = f32::NEG_INFINITY;
        let mut free = 0;
        while free < k {
            let next = people
                .iter()
                .map(|f| f[l])
                .filter(|&x| x > below)
                .fold(f32::INFINITY, f32::min);
            free += people.iter().filter(|f| f[l] == next).count();
            below = next;
        }
        out[l] = below;
    }
    out
}

/// The factor a pool's unplanned work, a share drawn uniformly in
/// `share`, stretches its tasks by: `1 / (1 - share)`, per lane.
#[inline(always)]
fn pool_stretch<G: Blocks>(key: &Key, share: (f32, f32), first: u64) -> Row {
    let (lo, hi) = share;
    if hi == 0.0 {
        return [1.0; LANES];
    }
    let u = uniforms::<G>(key, first);
    let mut f = [0f32; LANES];
    for l in 0..LANES {
        f[l] = 1.0 / (1.0 - (lo + (hi - lo) * u[l]));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;

    #[test]
    fn a_finish_only_batch_reuses_rows() {
        // a -> b -> c -> d, with a also read by d (and twice by b), and e
        // read by nobody.
        let plan = parse_plan(
            "p.csv",
            "id,low,likely,high,depends_on\n\
             a,1,2,3,\nb,1,2,3,a;a:SS\nc,1,2,3,b\nd,1,2,3,c;a:FF+1\ne,1,2,3,\n",
            None,
        )
        .unwrap();
        let net = Network::compile(&plan, None);
        let c = Compact::new(&net).unwrap();
        let [a, b, cc, d, e] = [0, 1, 2, 3, 4].map(|t| net.position(t));
        let row = |pos: usize| c.row[pos];
        // a's row lives until d; c takes b's row once b is read; d takes a
        // row its predecessors freed; e, read by nobody, reuses one.
        assert_eq!(c.rows, 2);
        assert_ne!(row(a), row(b));
        assert_eq!(row(b), row(cc));
        assert!(row(d) == row(a) || row(d) == row(cc));
        assert!(row(e) < 2);
        // b's links: a's finish row, then a's position (a start link).
        let first = c.link_start[b] as usize;
        assert_eq!(&c.link_row[first..first + 2], &[row(a), a as u32]);
        // The project finish is the latest of all tasks, or the milestone's.
        assert!(c.ends.iter().all(|&e| e));
        let c = Compact::new(&Network::compile(&plan, Some(3))).unwrap();
        assert_eq!(c.ends.iter().filter(|&&e| e).count(), 1);
        assert!(c.ends[d]);
    }
}
