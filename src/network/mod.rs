//! The compiled fast form of a plan: tasks in topological order, predecessor
//! links in flat CSR arrays, and one sampler per task that draws its
//! duration from a quantile table.
//!
//! Compiling is done once per plan (and per scenario); the engine then only
//! reads these arrays. Tasks are addressed by their *position* in topological
//! order; [`Network::task_index`] maps a position back to the plan's task.

mod beta_quantile;
mod model;
mod sampler;

pub use crate::plan::{Axis, HORIZON_DAYS, Table};

pub(crate) use model::{Copula, RiskNet, phi, phi_inv, phi_slice};

pub(crate) use sampler::{
    FRAC_BITS, HALF, PERT_STRIDE, Sampler, TABLE_LEN, U_MIN, V0_BITS, pert_grid_table, pert_sample,
    table_sample,
};

use crate::plan::{
    Calendar, Capacity, Correlation, LagCalendar, LinkKind, Plan, Risk, Scenario, Status,
};

/// What to compile beyond the plan itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Model<'a> {
    /// Plan index of the task whose finish is the project finish (`None`:
    /// the latest finish of all tasks).
    pub milestone: Option<usize>,
    /// The risk register.
    pub risks: &'a [Risk],
    /// Correlations between task durations.
    pub correlation: Option<&'a Correlation>,
    /// Team capacity (`None`: every task starts as soon as its links allow).
    pub capacity: Option<&'a Capacity>,
}

/// A plan compiled for simulation.
#[derive(Debug, Clone)]
pub struct Network {
    /// Plan task index at each position.
    task_of: Vec<u32>,
    /// Position of each plan task.
    pos_of: Vec<u32>,
    samplers: Vec<Sampler>,
    /// The quantile-table arena the samplers point into, shared by the
    /// network's variants (`with_fixed`, `without_risk`, ...).
    tables: std::sync::Arc<Vec<f32>>,
    /// Stable per-task stream ids (a hash of the task id): the random draws
    /// of a task depend only on the seed, this id and the iteration.
    streams: Vec<u64>,
    planned: Vec<f32>,
    /// CSR offsets into the link arrays, `len = tasks + 1`.
    link_start: Vec<u32>,
    link_pred: Vec<u32>,
    link_kind: Vec<LinkKind>,
    link_lag: Vec<f32>,
    /// Positions whose finish makes up the project finish.
    finish_set: Vec<u32>,
    /// Per position: lowest and highest finish time any iteration can give.
    finish_bounds: Vec<(f64, f64)>,
    risks: Vec<RiskNet>,
    /// CSR by position: the risks that delay each task.
    task_risk_start: Vec<u32>,
    task_risk: Vec<u32>,
    copula: Option<Copula>,
    /// Per position: index among the copula's members, or `u32::MAX`.
    copula_slot: Vec<u32>,
    /// With task calendars: the time axis and each position's calendar.
    /// Team capacity: positions are then in priority order.
    capacity: Option<CapNet>,
    calendars: Option<Calendars>,
}

/// What a plan whose tasks run on their own calendars adds to its network.
#[derive(Debug, Clone)]
struct Calendars {
    axis: Axis,
    /// Per position: its calendar.
    of: Vec<u16>,
    /// Per link (as the link arrays): the calendar its lag counts on, or
    /// [`ELAPSED`] for a lag in elapsed days.
    lag: Vec<u16>,
    /// Per position: the earliest time it may start (0 for none).
    not_before: Vec<f32>,
    /// Per position: the earliest time it may finish (`-inf` for none).
    finish_not_before: Vec<f32>,
    /// Per position: a start milestone (placed where work resumes).
    at_start: Vec<bool>,
    /// Where the plan's start falls within day 0.
    offset: f32,
    /// Per link: whether it is followed in working time, with no table
    /// look-up: the predecessor runs on the successor's calendar, and the
    /// lag is zero or counts on that calendar too.
    same: Vec<bool>,
    /// Per position: whether a link followed on the time axis reads its
    /// finish, or its start (those times are converted from working time).
    read_finish: Vec<bool>,
    read_start: Vec<bool>,
    /// Per position: its earliest start and finish in its calendar's
    /// working time (`-inf`: no earliest finish).
    start_floor: Vec<f32>,
    finish_floor: Vec<f32>,
    /// Per position: whether it has a finish link or an earliest finish.
    finish_linked: Vec<bool>,
    /// Per position: whether it has a start link, or a finish link, that is
    /// followed on the time axis.
    cross: Vec<(bool, bool)>,
}

/// A lag counted in elapsed days rather than on a calendar.
const ELAPSED: u16 = u16::MAX;

/// How a link moves a time, with task calendars.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lag<'a> {
    /// Not at all.
    Zero,
    /// By elapsed days.
    Elapsed(f32),
    /// By working days of a calendar.
    Working(Table<'a>, f32),
}

impl Lag<'_> {
    /// The time `t` moves to.
    #[inline(always)]
    pub(crate) fn apply(self, t: f32) -> f32 {
        match self {
            Lag::Zero => t,
            Lag::Elapsed(g) => t + g,
            Lag::Working(c, g) => c.finish(c.work(t) + g),
        }
    }
}

/// The FNV-1a hash of a task id, mixed: a stable stream id for its draws.
pub(crate) fn stream_id(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Network {
    /// Compiles a validated plan. `milestone` (a plan task index) makes that
    /// task's finish the project finish; otherwise it is the latest finish of
    /// all tasks.
    ///
    /// Links into and out of `done` tasks are dropped (they constrain nothing
    /// any more, lags included), as are start links (FS, SS) into
    /// `in_progress` tasks, which have already started.
    ///
    /// Cost: O(tasks + links), plus a quantile table (6.4 KB) per distinct
    /// normal or log-normal estimate: tasks with the same estimate share
    /// one. PERT estimates read the process-wide PERT grid instead
    /// ([`sampler::pert_grid_table`], built once, in milliseconds).
    ///
    /// # Panics
    ///
    /// If `milestone` is not a task index of `plan`.
    pub fn compile(plan: &Plan, milestone: Option<usize>) -> Network {
        Network::compile_with(
            plan,
            &Model {
                milestone,
                ..Model::default()
            },
        )
    }

    /// Compiles a scenario: its plan, risks, correlations and milestone.
    pub fn compile_scenario(sc: &Scenario) -> Network {
        Network::compile_with(
            &sc.plan,
            &Model {
                milestone: sc.milestone,
                risks: &sc.risks,
                correlation: sc.correlation.as_ref(),
                capacity: sc.capacity.as_ref(),
            },
        )
    }

    /// Compiles a plan with its risk register and correlations (see
    /// [`Network::compile`] for the schedule rules).
    ///
    /// # Panics
    ///
    /// If the milestone, a risk's tasks or a correlation's tasks are not task
    /// indices of `plan` (they are, when loaded against it).
    pub fn compile_with(plan: &Plan, model: &Model) -> Network {
        let milestone = model.milestone;
        let n = plan.tasks.len();
        let prioritised;
        let order = match model.capacity {
            Some(_) => {
                prioritised = priority_order(plan);
                &prioritised[..]
            }
            None => plan.order(),
        };
        let mut pos_of = vec![0u32; n];
        for (p, &t) in order.iter().enumerate() {
            pos_of[t] = p as u32;
        }
        let mut tables = Vec::new();
        let mut cache = sampler::TableCache::default();
        let mut samplers = Vec::with_capacity(n);
        let mut link_start = Vec::with_capacity(n + 1);
        let (mut link_pred, mut link_kind, mut link_lag) = (Vec::new(), Vec::new(), Vec::new());
        let mut lag_cal = Vec::new();
        link_start.push(0);
        for &t in order {
            let task = &plan.tasks[t];
            samplers.push(Sampler::compile_with(
                &task.estimate,
                &mut tables,
                &mut cache,
            ));
            for l in &task.links {
                let keep = plan.tasks[l.pred].status != Status::Done
                    && match task.status {
                        Status::Done => false,
                        Status::InProgress => !l.kind.constrains_start(),
                        Status::Todo => true,
                    };
                if keep {
                    link_pred.push(pos_of[l.pred]);
                    link_kind.push(l.kind);
                    link_lag.push(l.lag as f32);
                    if let Some(c) = &plan.calendars {
                        lag_cal.push(
                            match c.lag {
                                LagCalendar::Predecessor => plan.calendar_of(l.pred),
                                LagCalendar::Successor => plan.calendar_of(t),
                                LagCalendar::Default => Some(c.default),
                                LagCalendar::TwentyFourHour => None,
                            }
                            .map_or(ELAPSED, |c| c as u16),
                        );
                    }
                }
            }
            link_start.push(link_pred.len() as u32);
        }
        let finish_set = match milestone {
            Some(m) => vec![pos_of[m]],
            None => (0..n as u32).collect(),
        };
        let mut net = Network {
            task_of: order.iter().map(|&t| t as u32).collect(),
            pos_of,
            samplers,
            tables: std::sync::Arc::new(tables),
            streams: order
                .iter()
                .map(|&t| stream_id(&plan.tasks[t].id))
                .collect(),
            planned: order
                .iter()
                .map(|&t| plan.tasks[t].estimate.planned() as f32)
                .collect(),
            link_start,
            link_pred,
            link_kind,
            link_lag,
            finish_set,
            finish_bounds: Vec::new(),
            risks: Vec::new(),
            task_risk_start: Vec::new(),
            task_risk: Vec::new(),
            copula: None,
            copula_slot: vec![u32::MAX; n],
            capacity: model.capacity.map(|c| CapNet::new(c, order)),
            calendars: plan.calendars.as_ref().map(|c| Calendars {
                axis: Axis::new(c.start, &c.calendars),
                of: order
                    .iter()
                    .map(|&t| plan.calendar_of(t).unwrap_or(c.default) as u16)
                    .collect(),
                lag: lag_cal,
                not_before: order
                    .iter()
                    .map(|&t| plan.tasks[t].not_before.map_or(0.0, |x| x.max(0.0) as f32))
                    .collect(),
                finish_not_before: order
                    .iter()
                    .map(|&t| {
                        plan.tasks[t]
                            .finish_not_before
                            .map_or(f32::NEG_INFINITY, |x| x as f32)
                    })
                    .collect(),
                at_start: order.iter().map(|&t| plan.tasks[t].at_start).collect(),
                offset: c.start_offset as f32,
                same: Vec::new(),
                read_finish: Vec::new(),
                read_start: Vec::new(),
                start_floor: Vec::new(),
                finish_floor: Vec::new(),
                finish_linked: Vec::new(),
                cross: Vec::new(),
            }),
        };
        net.set_working_time();
        net.set_risks(model.risks);
        if let Some(c) = model.correlation {
            net.set_copula(c);
        }
        net.finish_bounds = net.bounds();
        net
    }

    /// With task calendars: which links are followed in working time, which
    /// times must be on the axis, and each task's floors in working time.
    fn set_working_time(&mut self) {
        let n = self.len();
        let Some(c) = &self.calendars else {
            return;
        };
        let mut same = vec![false; self.link_pred.len()];
        let (mut read_finish, mut read_start) = (vec![false; n], vec![false; n]);
        let mut finish_linked = vec![false; n];
        let mut cross = vec![(false, false); n];
        for pos in 0..n {
            let (a, b) = (
                self.link_start[pos] as usize,
                self.link_start[pos + 1] as usize,
            );
            for (i, same) in same.iter_mut().enumerate().take(b).skip(a) {
                let p = self.link_pred[i] as usize;
                let on = c.of[pos];
                *same = c.of[p] == on && (self.link_lag[i] == 0.0 || c.lag[i] == on);
                if !*same {
                    if self.link_kind[i].constrains_start() {
                        cross[pos].0 = true;
                    } else {
                        cross[pos].1 = true;
                    }
                    if self.link_kind[i].from_finish() {
                        read_finish[p] = true;
                    } else {
                        read_start[p] = true;
                    }
                }
                finish_linked[pos] |= !self.link_kind[i].constrains_start();
            }
        }
        let table = |pos: usize| c.axis.table(usize::from(c.of[pos]));
        let start_floor = (0..n)
            .map(|pos| table(pos).work(c.not_before[pos].max(c.offset)))
            .collect();
        let finish_floor: Vec<f32> = (0..n)
            .map(|pos| match c.finish_not_before[pos] {
                f32::NEG_INFINITY => f32::NEG_INFINITY,
                f => table(pos).work(f),
            })
            .collect();
        for (pos, f) in finish_floor.iter().enumerate() {
            finish_linked[pos] |= *f > f32::NEG_INFINITY;
        }
        let c = self.calendars.as_mut().expect("checked above");
        c.same = same;
        c.read_finish = read_finish;
        c.read_start = read_start;
        c.start_floor = start_floor;
        c.finish_floor = finish_floor;
        c.finish_linked = finish_linked;
        c.cross = cross;
    }

    fn set_risks(&mut self, risks: &[Risk]) {
        let tables = std::sync::Arc::make_mut(&mut self.tables);
        self.risks = risks
            .iter()
            .map(|r| RiskNet {
                fire_stream: stream_id(&format!("risk-fires:{}", r.id)),
                impact_stream: stream_id(&format!("risk-impact:{}", r.id)),
                probability: r.probability as f32,
                impact: Sampler::compile(&r.impact, tables),
                affects: r.affects.iter().map(|&t| self.pos_of[t]).collect(),
            })
            .collect();
        let mut per_task: Vec<Vec<u32>> = vec![Vec::new(); self.len()];
        for (k, r) in self.risks.iter().enumerate() {
            for &pos in &r.affects {
                per_task[pos as usize].push(k as u32);
            }
        }
        self.task_risk_start = vec![0];
        self.task_risk.clear();
        for list in per_task {
            self.task_risk.extend(list);
            self.task_risk_start.push(self.task_risk.len() as u32);
        }
    }

    fn set_copula(&mut self, c: &Correlation) {
        let members: Vec<u32> = c.tasks.iter().map(|&t| self.pos_of[t]).collect();
        for (i, &pos) in members.iter().enumerate() {
            self.copula_slot[pos as usize] = i as u32;
        }
        self.copula = Some(match &c.teams {
            Some(teams) => Copula::OneFactor {
                group: teams.iter().map(|&(g, _)| g as u32).collect(),
                load: teams.iter().map(|&(_, r)| r.sqrt() as f32).collect(),
                resid: teams
                    .iter()
                    .map(|&(_, r)| (1.0 - r).sqrt() as f32)
                    .collect(),
                team_streams: c
                    .team_names
                    .iter()
                    .map(|t| stream_id(&format!("team-factor:{t}")))
                    .collect(),
                members,
            },
            None => Copula::Dense {
                members,
                factor: c.factor.mapv(|x| x as f32),
            },
        });
    }

    /// Team capacity, if any.
    pub(crate) fn capacity(&self) -> Option<&CapNet> {
        self.capacity.as_ref()
    }

    /// The compiled risk events.
    pub(crate) fn risks(&self) -> &[RiskNet] {
        &self.risks
    }

    /// Indices (into [`Network::risks`]) of the risks that delay the task at
    /// `pos`.
    #[inline(always)]
    pub(crate) fn task_risks(&self, pos: usize) -> &[u32] {
        let (a, b) = (
            self.task_risk_start[pos] as usize,
            self.task_risk_start[pos + 1] as usize,
        );
        &self.task_risk[a..b]
    }

    /// The copula, if any task is correlated.
    pub(crate) fn copula(&self) -> Option<&Copula> {
        self.copula.as_ref()
    }

    /// The index of the task at `pos` among the copula's members.
    #[inline(always)]
    pub(crate) fn copula_slot(&self, pos: usize) -> Option<usize> {
        let s = self.copula_slot[pos];
        (s != u32::MAX).then_some(s as usize)
    }

    /// A copy in which risk `k` never fires (its draws are still made, so
    /// every other draw is unchanged).
    pub fn without_risk(&self, k: usize) -> Network {
        let mut net = self.clone();
        net.risks[k].probability = 0.0;
        net
    }

    /// A copy with every task independent (no copula).
    pub fn without_correlation(&self) -> Network {
        let mut net = self.clone();
        net.copula = None;
        net.copula_slot = vec![u32::MAX; self.len()];
        net
    }

    /// A copy in which the plan tasks flagged in `cut` are removed: they
    /// take no time and no longer count toward the project finish. Every
    /// other task keeps its sampler and random stream, so results stay
    /// comparable draw for draw (common random numbers).
    ///
    /// The caller cuts every dependent of a cut task too
    /// ([`crate::plan::Plan::dependents`]); otherwise the dependents would
    /// still wait for the cut task's (zero-length) schedule.
    ///
    /// # Panics
    ///
    /// If `cut.len()` differs from the number of tasks.
    pub fn without(&self, cut: &[bool]) -> Network {
        assert_eq!(cut.len(), self.len(), "one flag per plan task");
        let mut net = self.clone();
        for (t, &c) in cut.iter().enumerate() {
            if c {
                net.samplers[self.position(t)] = Sampler::Fixed(0.0);
                net.planned[self.position(t)] = 0.0;
            }
        }
        net.finish_set
            .retain(|&pos| !cut[self.task_index(pos as usize)]);
        net.finish_bounds = net.bounds();
        net
    }

    /// A copy in which plan task `task` takes its planned (likely) duration
    /// in every iteration: its uncertainty removed, as a risk-driver
    /// analysis asks.
    pub fn with_fixed(&self, task: usize) -> Network {
        let mut net = self.clone();
        let pos = self.position(task);
        net.samplers[pos] = Sampler::Fixed(self.planned[pos]);
        net.finish_bounds = net.bounds();
        net
    }

    /// A copy in which team capacity pool `pool` has as many people as its
    /// tasks need (its unplanned work still stretches them): what its queue
    /// costs, with common random numbers.
    ///
    /// # Panics
    ///
    /// If the network has no capacity or no such pool.
    pub fn with_pool_unbounded(&self, pool: usize) -> Network {
        let mut net = self.clone();
        net.capacity
            .as_mut()
            .expect("a network with capacity")
            .bounded[pool] = false;
        net
    }

    /// A copy in which no team loses time to unplanned work.
    pub fn without_unplanned(&self) -> Network {
        let mut net = self.clone();
        if let Some(c) = net.capacity.as_mut() {
            for s in c.share.iter_mut() {
                *s = (0.0, 0.0);
            }
        }
        net.finish_bounds = net.bounds();
        net
    }

    /// Whether the network has team capacity.
    pub fn has_capacity(&self) -> bool {
        self.capacity.is_some()
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.samplers.len()
    }

    /// Whether the network has no tasks.
    pub fn is_empty(&self) -> bool {
        self.samplers.is_empty()
    }

    /// Number of links.
    pub fn links(&self) -> usize {
        self.link_pred.len()
    }

    /// The plan task index at topological position `pos`.
    pub fn task_index(&self, pos: usize) -> usize {
        self.task_of[pos] as usize
    }

    /// The topological position of plan task `task`.
    pub fn position(&self, task: usize) -> usize {
        self.pos_of[task] as usize
    }

    /// Sampler of the task at `pos`.
    pub(crate) fn sampler(&self, pos: usize) -> &Sampler {
        &self.samplers[pos]
    }

    /// The quantile-table arena the samplers point into.
    pub(crate) fn tables(&self) -> &[f32] {
        &self.tables
    }

    /// Whether `other` reads the very same table arena (a copy made by
    /// [`Network::with_fixed`], [`Network::without_risk`] and the like), so
    /// that equal offsets are equal tables.
    pub(crate) fn shares_tables(&self, other: &Network) -> bool {
        std::sync::Arc::ptr_eq(&self.tables, &other.tables)
    }

    /// Stream ids per position.
    pub(crate) fn streams(&self) -> &[u64] {
        &self.streams
    }

    /// Planned (likely) durations per position, for the deterministic schedule.
    pub fn planned(&self) -> &[f32] {
        &self.planned
    }

    /// The links into position `pos`: `(pred position, kind, lag)`.
    #[inline(always)]
    pub(crate) fn preds(&self, pos: usize) -> (&[u32], &[LinkKind], &[f32]) {
        let (a, b) = (
            self.link_start[pos] as usize,
            self.link_start[pos + 1] as usize,
        );
        (
            &self.link_pred[a..b],
            &self.link_kind[a..b],
            &self.link_lag[a..b],
        )
    }

    /// With task calendars: the time axis.
    #[inline(always)]
    pub(crate) fn axis(&self) -> Option<&Axis> {
        self.calendars.as_ref().map(|c| &c.axis)
    }

    /// With task calendars: the calendar of the task at `pos`.
    #[inline(always)]
    pub(crate) fn calendar(&self, pos: usize) -> usize {
        self.calendars
            .as_ref()
            .map_or(0, |c| usize::from(c.of[pos]))
    }

    /// With task calendars: the earliest start of the task at `pos` (its
    /// start-no-earlier-than date, or where the plan's start falls in day 0).
    #[inline(always)]
    pub(crate) fn not_before(&self, pos: usize) -> f32 {
        self.calendars
            .as_ref()
            .map_or(0.0, |c| c.not_before[pos].max(c.offset))
    }

    /// With task calendars: the earliest finish of the task at `pos`
    /// (`-inf`: none).
    #[inline(always)]
    pub(crate) fn finish_not_before(&self, pos: usize) -> f32 {
        self.calendars
            .as_ref()
            .map_or(f32::NEG_INFINITY, |c| c.finish_not_before[pos])
    }

    /// With task calendars: whether the task at `pos` is a start milestone.
    #[inline(always)]
    pub(crate) fn at_start(&self, pos: usize) -> bool {
        self.calendars.as_ref().is_some_and(|c| c.at_start[pos])
    }

    /// With task calendars: whether link `k` of the task at `pos` is
    /// followed in working time (its predecessor's working time plus its
    /// lag, with no table look-up).
    #[inline(always)]
    pub(crate) fn same_calendar(&self, pos: usize, k: usize) -> bool {
        let i = self.link_start[pos] as usize + k;
        self.calendars.as_ref().is_some_and(|c| c.same[i])
    }

    /// With task calendars: whether a link followed on the time axis reads
    /// the finish (`.0`) or the start (`.1`) of the task at `pos`.
    #[inline(always)]
    pub(crate) fn axis_reads(&self, pos: usize) -> (bool, bool) {
        self.calendars
            .as_ref()
            .map_or((false, false), |c| (c.read_finish[pos], c.read_start[pos]))
    }

    /// With task calendars: the earliest start and finish of the task at
    /// `pos` in its calendar's working time (finish `-inf`: none), and
    /// whether it has a finish link or an earliest finish.
    #[inline(always)]
    pub(crate) fn floors(&self, pos: usize) -> (f32, f32, bool) {
        self.calendars
            .as_ref()
            .map_or((0.0, f32::NEG_INFINITY, false), |c| {
                (
                    c.start_floor[pos],
                    c.finish_floor[pos],
                    c.finish_linked[pos],
                )
            })
    }

    /// With task calendars: whether the task at `pos` has a start link
    /// (`.0`), or a finish link (`.1`), followed on the time axis.
    #[inline(always)]
    pub(crate) fn axis_links(&self, pos: usize) -> (bool, bool) {
        self.calendars
            .as_ref()
            .map_or((false, false), |c| c.cross[pos])
    }

    /// With task calendars: the number of calendars.
    pub(crate) fn calendar_count(&self) -> usize {
        self.calendars.as_ref().map_or(0, |c| c.axis.len())
    }

    /// With task calendars: how link `k` of the task at `pos` moves a time.
    #[inline(always)]
    pub(crate) fn lag(&self, pos: usize, k: usize) -> Lag<'_> {
        let i = self.link_start[pos] as usize + k;
        let lag = self.link_lag[i];
        let c = self
            .calendars
            .as_ref()
            .expect("a network with task calendars");
        match c.lag[i] {
            _ if lag == 0.0 => Lag::Zero,
            ELAPSED => Lag::Elapsed(lag),
            cal => Lag::Working(c.axis.table(usize::from(cal)), lag),
        }
    }

    /// With task calendars: the time link `k` of the task at `pos` leads to
    /// from `t`, its lag counted on the lag's calendar.
    #[inline(always)]
    pub(crate) fn lagged(&self, pos: usize, k: usize, t: f32) -> f32 {
        self.lag(pos, k).apply(t)
    }

    /// With task calendars: the start and finish of a task on calendar
    /// table `c` whose start links allow `s`, whose finish links ask for `f`
    /// (or `-inf`), taking `d` working days; and the working time of `c` at
    /// which it starts. A task of no duration starts as it finishes: where
    /// work last stopped, or where it resumes when `at_start`.
    #[inline(always)]
    pub(crate) fn place(c: Table, s: f32, f: f32, d: f32, at_start: bool) -> (f32, f32, f32) {
        let ws = Network::start_work(c, s, f, d);
        let begin = c.begin(ws);
        let fin = c.finish(ws + d);
        let fin = if d == 0.0 && at_start { begin } else { fin };
        let st = if d > 0.0 { begin } else { fin };
        (st, fin, ws)
    }

    /// The working time of calendar `c` at which a task starts, given what
    /// its start links allow (`s`) and its finish links ask for (`f`).
    #[inline(always)]
    fn start_work(c: Table, s: f32, f: f32, d: f32) -> f32 {
        // `f = -inf`: no finish link.
        if f == f32::NEG_INFINITY {
            c.work(s)
        } else {
            c.work(s).max(c.work(f) - d)
        }
    }

    /// Positions whose latest finish is the project finish.
    pub(crate) fn finish_set(&self) -> &[u32] {
        &self.finish_set
    }

    /// Per position, the lowest and highest finish time any iteration can
    /// produce (interval arithmetic over the samplers' ranges).
    pub fn finish_bounds(&self) -> &[(f64, f64)] {
        &self.finish_bounds
    }

    fn bounds(&self) -> Vec<(f64, f64)> {
        let n = self.len();
        let mut start = vec![(0.0f64, 0.0f64); n];
        let mut finish = vec![(0.0f64, 0.0f64); n];
        for pos in 0..n {
            let s = &self.samplers[pos];
            let d_lo = f64::from(s.sample(U_MIN, &self.tables));
            let mut d_hi = f64::from(s.sample(1.0 - U_MIN, &self.tables));
            if !self.task_risk_start.is_empty() {
                for &k in self.task_risks(pos) {
                    let r = &self.risks[k as usize];
                    if r.probability > 0.0 {
                        d_hi += f64::from(r.impact.sample(1.0 - U_MIN, &self.tables)).max(0.0);
                    }
                }
            }
            if let Some(c) = &self.capacity {
                d_hi *= f64::from(c.max_stretch(pos));
            }
            let nb = f64::from(self.not_before(pos));
            let (mut s_lo, mut s_hi) = (nb, nb);
            let fnb = f64::from(self.finish_not_before(pos));
            let (mut f_lo, mut f_hi) = (fnb, fnb);
            let (preds, kinds, lags) = self.preds(pos);
            for k in 0..preds.len() {
                let p = preds[k] as usize;
                let src = if kinds[k].from_finish() {
                    finish[p]
                } else {
                    start[p]
                };
                let (lo, hi) = match self.axis() {
                    None => (src.0 + f64::from(lags[k]), src.1 + f64::from(lags[k])),
                    Some(_) => (
                        f64::from(self.lagged(pos, k, src.0 as f32)),
                        f64::from(self.lagged(pos, k, src.1 as f32)),
                    ),
                };
                if kinds[k].constrains_start() {
                    s_lo = s_lo.max(lo);
                    s_hi = s_hi.max(hi);
                } else {
                    f_lo = f_lo.max(lo);
                    f_hi = f_hi.max(hi);
                }
            }
            if let Some(axis) = self.axis() {
                let c = self.calendar(pos);
                let (a, b) = ((s_lo as f32, f_lo as f32), (s_hi as f32, f_hi as f32));
                let m = self.at_start(pos);
                let lo = Network::place(axis.table(c), a.0, a.1, d_lo as f32, m);
                let hi = Network::place(axis.table(c), b.0, b.1, d_hi as f32, m);
                start[pos] = (f64::from(lo.0), f64::from(hi.0));
                finish[pos] = (f64::from(lo.1), f64::from(hi.1));
                continue;
            }
            let st = (s_lo.max(f_lo - d_hi), s_hi.max(f_hi - d_lo));
            start[pos] = st;
            finish[pos] = (st.0 + d_lo, st.1 + d_hi);
        }
        if let Some(c) = &self.capacity {
            // Waiting for people never makes a task earlier than its links
            // allow, and a task waits at most for the work placed before it:
            // no finish is later than all the work and lags in a row, after
            // the last person to join.
            let mut serial: f64 = self.link_lag.iter().map(|&l| f64::from(l.abs())).sum();
            serial += f64::from(c.ready.iter().copied().fold(0.0, f32::max));
            for pos in 0..n {
                let s = &self.samplers[pos];
                let mut d = f64::from(s.sample(1.0 - U_MIN, &self.tables));
                for &k in self.task_risks(pos) {
                    let r = &self.risks[k as usize];
                    if r.probability > 0.0 {
                        d += f64::from(r.impact.sample(1.0 - U_MIN, &self.tables)).max(0.0);
                    }
                }
                serial += d * f64::from(c.max_stretch(pos));
            }
            for f in finish.iter_mut() {
                f.1 = f.1.max(serial);
            }
        }
        finish
    }

    /// Lowest and highest working day (1-based) a task at `pos` can finish on.
    pub fn finish_day_bounds(&self, pos: usize) -> (u64, u64) {
        let (lo, hi) = self.finish_bounds[pos];
        // Widen by a day each side: f32 arithmetic in the engine may land a
        // hair outside the f64 bounds.
        (
            Calendar::day_of(lo).saturating_sub(1).max(1),
            Calendar::day_of(hi).saturating_add(1),
        )
    }
}

/// Team capacity compiled by position.
#[derive(Debug, Clone)]
pub(crate) struct CapNet {
    /// Per pool: its first person (CSR, one more entry than pools).
    pub(crate) person_start: Vec<u32>,
    /// Per person: the working day from which they work (0 but for people
    /// who join later).
    pub(crate) ready: Vec<f32>,
    /// Per pool: the unplanned-work share's range (`(0, 0)`: none).
    pub(crate) share: Vec<(f32, f32)>,
    /// Per pool: the stream of its unplanned-work draws.
    pub(crate) share_stream: Vec<u64>,
    /// Per pool: whether its people are limited (a what-if may lift it).
    pub(crate) bounded: Vec<bool>,
    /// Per position: CSR offsets into the demands.
    demand_start: Vec<u32>,
    demand_pool: Vec<u32>,
    demand_amount: Vec<u32>,
}

impl CapNet {
    fn new(c: &Capacity, order: &[usize]) -> CapNet {
        let mut person_start = vec![0u32];
        let mut ready = Vec::new();
        for (i, p) in c.pools.iter().enumerate() {
            person_start.push(person_start.last().unwrap() + p.people);
            let late = c.joining.get(i).map_or(&[][..], Vec::as_slice);
            ready.extend(std::iter::repeat_n(0.0, p.people as usize - late.len()));
            ready.extend(late.iter().map(|&d| d as f32));
        }
        let mut demand_start = vec![0u32];
        let (mut demand_pool, mut demand_amount) = (Vec::new(), Vec::new());
        for &t in order {
            for &(pool, amount) in &c.demands[t] {
                if amount > 0 {
                    demand_pool.push(pool as u32);
                    demand_amount.push(amount);
                }
            }
            demand_start.push(demand_pool.len() as u32);
        }
        CapNet {
            person_start,
            ready,
            share: c
                .pools
                .iter()
                .map(|p| {
                    p.unplanned
                        .map_or((0.0, 0.0), |(a, b)| (a as f32, b as f32))
                })
                .collect(),
            share_stream: c
                .pools
                .iter()
                .map(|p| stream_id(&format!("unplanned:{}", p.name)))
                .collect(),
            bounded: vec![true; c.pools.len()],
            demand_start,
            demand_pool,
            demand_amount,
        }
    }

    /// Number of people over all pools.
    pub(crate) fn people(&self) -> usize {
        *self.person_start.last().unwrap() as usize
    }

    /// The pools the task at `pos` draws on, and how many of each.
    #[inline(always)]
    pub(crate) fn demands(&self, pos: usize) -> (&[u32], &[u32]) {
        let (a, b) = (
            self.demand_start[pos] as usize,
            self.demand_start[pos + 1] as usize,
        );
        (&self.demand_pool[a..b], &self.demand_amount[a..b])
    }

    /// Whether the task at `pos` is stretched by unplanned work.
    #[inline(always)]
    pub(crate) fn stretched(&self, pos: usize) -> bool {
        self.demands(pos)
            .0
            .iter()
            .any(|&p| self.share[p as usize].1 > 0.0)
    }

    /// The largest factor by which unplanned work can stretch the task at
    /// `pos`.
    fn max_stretch(&self, pos: usize) -> f32 {
        self.demands(pos)
            .0
            .iter()
            .map(|&p| 1.0 / (1.0 - self.share[p as usize].1))
            .fold(1.0, f32::max)
    }
}

/// Plan task indices in the order capacity is handed out: a topological
/// order in which, among the tasks whose predecessors are all placed, the
/// first is the one that can start earliest in the schedule without
/// capacity at planned durations (work that is ready first is done
/// first, optional or not: so cutting it frees people); among those ready
/// together, the must-have task (no cut-line rank) before ranked ones, then
/// the lower rank, then the earlier latest start, then the earlier in the
/// plan.
fn priority_order(plan: &Plan) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = plan.tasks.len();
    let dur: Vec<f64> = plan.tasks.iter().map(|t| t.estimate.planned()).collect();
    let mut es = vec![0f64; n];
    for &t in plan.order() {
        let d = dur[t];
        let mut s = 0f64;
        for l in &plan.tasks[t].links {
            let src = if l.kind.from_finish() {
                es[l.pred] + dur[l.pred]
            } else {
                es[l.pred]
            };
            let at = src + l.lag;
            s = s.max(if l.kind.constrains_start() {
                at
            } else {
                at - d
            });
        }
        es[t] = s;
    }
    let project = (0..n).map(|t| es[t] + dur[t]).fold(0.0, f64::max);
    let mut lf = vec![project; n];
    for &t in plan.order().iter().rev() {
        // Every successor of `t` comes later in the order: `lf[t]` is final.
        let ls = lf[t] - dur[t];
        for l in &plan.tasks[t].links {
            let p = l.pred;
            let limit = if l.kind.constrains_start() { ls } else { lf[t] } - l.lag;
            let bound = if l.kind.from_finish() {
                limit
            } else {
                limit + dur[p]
            };
            lf[p] = lf[p].min(bound);
        }
    }
    let key = |t: usize| {
        let rank = plan.tasks[t].priority;
        (
            ordered_float(es[t]),
            rank.is_some(),
            rank.unwrap_or(0),
            ordered_float(lf[t] - dur[t]),
            t,
        )
    };
    let mut waiting: Vec<usize> = plan.tasks.iter().map(|t| t.links.len()).collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (t, task) in plan.tasks.iter().enumerate() {
        for l in &task.links {
            succ[l.pred].push(t);
        }
    }
    let mut ready: BinaryHeap<_> = (0..n)
        .filter(|&t| waiting[t] == 0)
        .map(|t| Reverse(key(t)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((.., t))) = ready.pop() {
        order.push(t);
        for &s in &succ[t] {
            waiting[s] -= 1;
            if waiting[s] == 0 {
                ready.push(Reverse(key(s)));
            }
        }
    }
    assert_eq!(order.len(), n, "a validated plan is acyclic");
    order
}

/// An `f64` ordered as `total_cmp` orders it.
fn ordered_float(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}
