//! What a percentile's world looks like: the iteration whose finish is,
//! say, the P80 of the run, replayed from the seed and laid out task by
//! task. Its critical path, how far each task ran over its likely
//! duration, which risks fired, and the plan's own schedule beside it.
//!
//! The iteration is the lowest-index one whose project finish equals the
//! percentile of the run's finishes ([`iteration_at`](super::iteration_at)),
//! so it finishes exactly at the date `forecast` reports for the same plan,
//! seed and iterations; its batch is scheduled again from the seed
//! ([`super::iteration`]), which gives the run's times bit for bit.

use std::sync::atomic::Ordering;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{ChainStep, Deterministic, SimOptions, Via, deterministic, simulate};
use crate::network::Network;
use crate::plan::{Calendar, DAY_TOLERANCE, LinkKind, Plan, Scenario, Status};

use super::iteration::{Replayed, first_with};
use super::provenance::{Made, Provenance, RunBasis};
use super::start_milestones::{is_start_milestone, start_day};
use super::{Confidence, ForecastError, ForecastInputs, Progress, Sample, check_range};

/// What to explain.
#[derive(Debug, Clone)]
pub struct ExplainOptions<'a> {
    /// Calendar and seed.
    pub basis: RunBasis<'a>,
    /// Iterations of the run whose percentile is explained.
    pub iterations: u64,
    /// The percentile, e.g. `Confidence::new(80.0)` for P80.
    pub at: Confidence,
}

/// One iteration of a run, the one whose finish is a percentile: what that
/// world looks like.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Version, input files, iterations, seed, start, calendar, milestone
    /// and when it was generated.
    #[serde(flatten)]
    pub run: Provenance,
    /// Number of tasks in the plan.
    pub task_count: usize,
    /// The percentile explained, in percent (80 for P80).
    pub percentile: f64,
    /// That percentile of the run's finishes, in working days from the
    /// start: `duration.p80` of `forecast` for the same plan, seed and
    /// iterations.
    pub percentile_days: f64,
    /// Its date.
    pub percentile_date: NaiveDate,
    /// The iteration replayed (0-based, in the run's order): the first
    /// whose finish is the percentile.
    pub iteration: u64,
    /// How many iterations of the run finish exactly then.
    pub iterations_at: u64,
    /// The iteration's finish, in working days from the start: the
    /// percentile itself.
    pub finish: f64,
    /// Its date.
    pub finish_date: NaiveDate,
    /// The plan's finish on likely durations, in working days.
    pub plan_days: f64,
    /// Its date.
    pub plan_date: NaiveDate,
    /// The iteration's critical path, first task first: each step starts
    /// (or, by a finish link, finishes) exactly when its link from the
    /// step before allows, and the last finishes at [`Self::finish`].
    pub critical_path: Vec<PathStep>,
    /// Every task in this iteration, in plan order.
    pub tasks: Vec<WorldTask>,
    /// Every risk of the register, in its order, and whether it fired.
    pub risks: Vec<WorldRisk>,
}

impl Made for Explanation {
    fn provenance(&self) -> &Provenance {
        &self.run
    }
}

/// A step of the critical path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathStep {
    /// Task id.
    pub id: String,
    /// Its index in [`Explanation::tasks`] (plan order).
    pub task: usize,
    /// How the step before drove it: a link (`FS`, `SS`, `FF`, `SF`), or
    /// `people` (with team capacity: it waited for a person who worked on
    /// the step before). `null` for the first step, which nothing held
    /// back.
    pub link: Option<PathLink>,
    /// The link's lag, in working days (0 for `people` and the first step).
    pub lag: f64,
}

/// How a step of the critical path follows the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PathLink {
    /// Finish-to-start.
    FS,
    /// Start-to-start.
    SS,
    /// Finish-to-finish.
    FF,
    /// Start-to-finish.
    SF,
    /// It waited for a person of its team (team capacity).
    #[serde(rename = "people")]
    People,
}

impl PathLink {
    /// `FS`, `SS+2`, `FF-1`, `people`: the link as a plan writes it.
    pub fn text(self, lag: f64) -> String {
        let kind = match self {
            PathLink::FS => "FS",
            PathLink::SS => "SS",
            PathLink::FF => "FF",
            PathLink::SF => "SF",
            PathLink::People => return "people".into(),
        };
        if lag == 0.0 {
            kind.into()
        } else {
            format!("{kind}{lag:+}")
        }
    }
}

impl From<LinkKind> for PathLink {
    fn from(k: LinkKind) -> PathLink {
        match k {
            LinkKind::FS => PathLink::FS,
            LinkKind::SS => PathLink::SS,
            LinkKind::FF => PathLink::FF,
            LinkKind::SF => PathLink::SF,
        }
    }
}

/// A task in this iteration, beside the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorldTask {
    /// Task id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owning team.
    pub team: Option<String>,
    /// Status.
    pub status: Status,
    /// Its likely duration (remaining, for a task in progress), in working
    /// days: what the plan schedules.
    pub likely: f64,
    /// Its duration in this iteration, risk delays included.
    pub duration: f64,
    /// The delays of the risks that fired on it (before any stretch for a
    /// team's unplanned work).
    pub risk_delay: f64,
    /// How far its own estimate ran over its likely duration:
    /// `duration - likely - risk_delay` (negative: under). With team
    /// capacity, the stretch for its team's unplanned work is part of it.
    pub over: f64,
    /// Start in this iteration, in working days from the start.
    pub start: f64,
    /// Finish in this iteration.
    pub finish: f64,
    /// The date of its first working day in this iteration.
    pub start_date: NaiveDate,
    /// Its finish date in this iteration.
    pub finish_date: NaiveDate,
    /// Start in the plan's schedule (likely durations).
    pub plan_start: f64,
    /// Finish in the plan's schedule.
    pub plan_finish: f64,
    /// Whether it is on this iteration's critical path.
    pub critical: bool,
}

/// A risk of the register in this iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorldRisk {
    /// Risk id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its chance of firing in an iteration.
    pub probability: f64,
    /// Whether it fired in this iteration.
    pub fired: bool,
    /// The delay it added to each task it affects, in working days (0 when
    /// it did not fire).
    pub delay: f64,
    /// Ids of the tasks it affects.
    pub affects: Vec<String>,
    /// Whether it affects a task on this iteration's critical path.
    pub on_critical_path: bool,
}

/// Explains the `opts.at` percentile of a scenario's run: simulates its
/// finishes, finds the first iteration at the percentile and replays it.
///
/// Cost: one finish-only simulation of the iterations (the cheapest run),
/// one sort of them, and one batch of [`crate::engine::LANES`] iterations.
///
/// # Errors
///
/// [`ForecastError::Range`] when a finish lies past the range slipcast
/// answers in.
pub fn explain(
    sc: &Scenario,
    opts: &ExplainOptions,
    progress: Option<&Progress>,
) -> Result<Explanation, ForecastError> {
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    if let Some(p) = progress {
        p.total.store(opts.iterations, Ordering::Relaxed);
    }
    let sim = SimOptions {
        progress,
        ..SimOptions::finish_only(opts.iterations, opts.basis.seed)
    };
    let project = simulate(&net, &sim).project;
    super::pipeline::not_cancelled(progress)?;
    explain_finishes(sc, opts, &net, &det, &project)
}

/// As [`explain`], from the project finishes of the run's iterations
/// already simulated (`project`, in iteration order: a forecast's, or a
/// merged sharded run's), without simulating them again.
///
/// # Errors
///
/// As [`explain`].
pub fn explain_from(
    sc: &Scenario,
    opts: &ExplainOptions,
    project: &[f32],
) -> Result<Explanation, ForecastError> {
    let net = Network::compile_scenario(sc);
    let det = deterministic(&net);
    explain_finishes(sc, opts, &net, &det, project)
}

fn explain_finishes(
    sc: &Scenario,
    opts: &ExplainOptions,
    net: &Network,
    det: &Deterministic,
    project: &[f32],
) -> Result<Explanation, ForecastError> {
    let sample = Sample::new(project);
    check_range(&sc.plan, det, sample.max(), opts.basis.calendar)?;
    let at = opts.at.of(&sample);
    let iteration = first_with(project, at);
    let cal = opts.basis.calendar;
    let world = World::of(
        &sc.plan,
        net,
        &Replayed::new(net, opts.basis.seed, iteration),
    );
    let path = world.path(&sc.plan, net);
    let mut tasks = world.tasks(&sc.plan, det, cal);
    for s in &path {
        tasks[s.task].critical = true;
    }
    let risks = world.risks(sc, &tasks);
    let finish = world.project;
    Ok(Explanation {
        run: ForecastInputs::of(sc, opts.basis.clone()).provenance(opts.iterations),
        task_count: sc.plan.tasks.len(),
        percentile: opts.at.percent(),
        percentile_days: at,
        percentile_date: cal.finish_date(at),
        iteration,
        iterations_at: project.iter().filter(|&&x| f64::from(x) == at).count() as u64,
        finish,
        finish_date: cal.finish_date(finish),
        plan_days: det.project,
        plan_date: cal.finish_date(det.project),
        critical_path: path,
        tasks,
        risks,
    })
}

/// The replayed iteration's rows, per plan task.
struct World {
    start: Vec<f64>,
    finish: Vec<f64>,
    duration: Vec<f64>,
    risk_delay: Vec<f64>,
    /// Per risk of the register: its delay where it fired.
    fired: Vec<Option<f64>>,
    project: f64,
    chain: Vec<ChainStep>,
}

impl World {
    fn of(plan: &Plan, net: &Network, r: &Replayed) -> World {
        let n = plan.tasks.len();
        let (ws, l) = (&r.ws, r.lane);
        let row = |f: &dyn Fn(usize) -> f32| -> Vec<f64> {
            (0..n).map(|t| f64::from(f(net.position(t)))).collect()
        };
        let mut risk_delay = vec![0.0; n];
        let fired: Vec<Option<f64>> = (0..net.risks().len())
            .map(|k| {
                let (fired, delay) = ws.risk_draw(net, k, r.first);
                fired[l].then(|| f64::from(delay[l]))
            })
            .collect();
        for (k, delay) in fired.iter().enumerate() {
            for &pos in &net.risks()[k].affects {
                risk_delay[net.task_index(pos as usize)] += delay.unwrap_or(0.0);
            }
        }
        World {
            start: row(&|p| ws.start(p)[l]),
            finish: row(&|p| ws.finish(p)[l]),
            duration: row(&|p| ws.duration(p)[l]),
            risk_delay,
            fired,
            project: f64::from(ws.project()[l]),
            chain: ws.critical_chain(net, l),
        }
    }

    fn tasks(&self, plan: &Plan, det: &Deterministic, cal: &Calendar) -> Vec<WorldTask> {
        plan.tasks
            .iter()
            .enumerate()
            .map(|(t, task)| {
                let likely = task.estimate.planned();
                let (start, finish) = (self.start[t], self.finish[t]);
                let finish_date = if is_start_milestone(plan, t) {
                    cal.workday(start_day(finish))
                } else {
                    cal.finish_date(finish)
                };
                let start_date = if self.duration[t] > 0.0 {
                    cal.workday((start + DAY_TOLERANCE).floor().max(0.0) as u64 + 1)
                } else {
                    finish_date
                };
                WorldTask {
                    id: task.id.clone(),
                    name: task.name.clone(),
                    team: task.team.clone(),
                    status: task.status,
                    likely,
                    duration: self.duration[t],
                    risk_delay: self.risk_delay[t],
                    over: self.duration[t] - likely - self.risk_delay[t],
                    start,
                    finish,
                    start_date,
                    finish_date,
                    plan_start: det.start[t],
                    plan_finish: det.finish[t],
                    critical: false,
                }
            })
            .collect()
    }

    fn path(&self, plan: &Plan, net: &Network) -> Vec<PathStep> {
        self.chain
            .iter()
            .map(|s| {
                let t = net.task_index(s.pos);
                let (link, lag) = match s.via {
                    None => (None, 0.0),
                    Some(Via::People { .. }) => (Some(PathLink::People), 0.0),
                    Some(Via::Link { from, kind, lag }) => {
                        // The plan's lag (the network keeps it in f32).
                        let pred = net.task_index(from);
                        let lag = plan.tasks[t]
                            .links
                            .iter()
                            .find(|l| l.pred == pred && l.kind == kind)
                            .map_or(f64::from(lag), |l| l.lag);
                        (Some(PathLink::from(kind)), lag)
                    }
                };
                PathStep {
                    id: plan.tasks[t].id.clone(),
                    task: t,
                    link,
                    lag,
                }
            })
            .collect()
    }

    /// The register's risks; `tasks` knows which tasks are critical.
    fn risks(&self, sc: &Scenario, tasks: &[WorldTask]) -> Vec<WorldRisk> {
        sc.risks
            .iter()
            .zip(&self.fired)
            .map(|(risk, &fired)| WorldRisk {
                id: risk.id.clone(),
                name: risk.name.clone(),
                probability: risk.probability,
                fired: fired.is_some(),
                delay: fired.unwrap_or(0.0),
                affects: risk
                    .affects
                    .iter()
                    .map(|&t| sc.plan.tasks[t].id.clone())
                    .collect(),
                on_critical_path: risk.affects.iter().any(|&t| tasks[t].critical),
            })
            .collect()
    }
}
