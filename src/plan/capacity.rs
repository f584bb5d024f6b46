//! Team capacity: how many people each team (or resource pool) has, the
//! share of their time that goes to unplanned work, and how many of them
//! each task occupies while it runs.
//!
//! A task that draws on no pool with a capacity is unconstrained, as in a
//! plan without capacity.

use thiserror::Error;

use super::Plan;

/// One team or resource pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Its name, as tasks' `team` cells (or resource demands) give it.
    pub name: String,
    /// How many people (units) it has.
    pub people: u32,
    /// The share of its time lost to unplanned work, as a range drawn
    /// uniformly in every iteration (`(s, s)`: always `s`), each in
    /// `[0, 1)`. A task of the team takes `1 / (1 - share)` times its
    /// drawn duration.
    pub unplanned: Option<(f64, f64)>,
}

/// The capacity of a plan: its pools, and per task what it occupies.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// The pools, in the order given.
    pub pools: Vec<Team>,
    /// Per plan task: the pools it draws on, each with how many of its
    /// people, by index into `pools` (empty: unconstrained).
    pub demands: Vec<Vec<(usize, u32)>>,
}

/// A capacity that cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CapacityError {
    /// A pool without people: its tasks could never start.
    #[error(
        "team \"{team}\" has no people: its tasks could never start (give it at least 1, \
         or leave it out to make its tasks unconstrained)"
    )]
    NoPeople {
        /// The pool.
        team: String,
    },
    /// An unplanned-work share outside `[0, 1)`.
    #[error(
        "team \"{team}\": unplanned work of {low}-{high} is not a share below 100% \
         (write it like 20% or 15-25%)"
    )]
    BadShare {
        /// The pool.
        team: String,
        /// The range as given, as fractions.
        low: f64,
        /// The range as given, as fractions.
        high: f64,
    },
    /// The same pool twice.
    #[error("team \"{team}\" is given twice: give each team one row")]
    Duplicate {
        /// The pool.
        team: String,
    },
    /// A task that needs more people than its pool has.
    #[error(
        "task \"{task}\" needs {needs} of team \"{team}\"'s {people} people: it could never \
         start (lower its people, or give the team more)"
    )]
    TooMany {
        /// The task's id.
        task: String,
        /// The pool.
        team: String,
        /// What the task needs.
        needs: u32,
        /// What the pool has.
        people: u32,
    },
    /// A plan whose tasks keep their own calendars.
    #[error(
        "team capacity is not supported yet on a plan whose tasks keep their own calendars \
         (a P6 or MS Project plan): forecast it without --teams"
    )]
    OwnCalendars,
    /// A demand on a pool index that does not exist, or a demand list that
    /// does not match the plan.
    #[error("the capacity does not match the plan: {0}")]
    Mismatch(String),
}

impl Capacity {
    /// Pools `pools`, each task occupying what its
    /// [`demands`](super::Task::demands) say, or else one person of its
    /// team. Pools without a row in `pools` are not constrained.
    pub fn from_teams(plan: &Plan, pools: Vec<Team>) -> Result<Capacity, Vec<CapacityError>> {
        let index = |name: &str| pools.iter().position(|p| p.name == name);
        let demands = plan
            .tasks
            .iter()
            .map(|t| {
                if t.demands.is_empty() {
                    t.team
                        .as_deref()
                        .and_then(index)
                        .map(|i| vec![(i, 1)])
                        .unwrap_or_default()
                } else {
                    t.demands
                        .iter()
                        .filter_map(|(pool, n)| index(pool).map(|i| (i, *n)))
                        .collect()
                }
            })
            .collect();
        Capacity::new(plan, pools, demands)
    }

    /// Pools `pools` and, per plan task, what it occupies (index into
    /// `pools`, people). Every problem is reported at once.
    pub fn new(
        plan: &Plan,
        pools: Vec<Team>,
        demands: Vec<Vec<(usize, u32)>>,
    ) -> Result<Capacity, Vec<CapacityError>> {
        let mut problems = Vec::new();
        if plan.calendars.is_some() {
            problems.push(CapacityError::OwnCalendars);
        }
        if demands.len() != plan.tasks.len() {
            problems.push(CapacityError::Mismatch(format!(
                "{} tasks' demands for a plan of {} tasks",
                demands.len(),
                plan.tasks.len()
            )));
            return Err(problems);
        }
        for (i, p) in pools.iter().enumerate() {
            if pools[..i].iter().any(|q| q.name == p.name) {
                problems.push(CapacityError::Duplicate {
                    team: p.name.clone(),
                });
            }
            if p.people == 0 {
                problems.push(CapacityError::NoPeople {
                    team: p.name.clone(),
                });
            }
            if let Some((lo, hi)) = p.unplanned
                && !(0.0 <= lo && lo <= hi && hi < 1.0)
            {
                problems.push(CapacityError::BadShare {
                    team: p.name.clone(),
                    low: lo,
                    high: hi,
                });
            }
        }
        for (task, d) in plan.tasks.iter().zip(&demands) {
            for (k, &(pool, needs)) in d.iter().enumerate() {
                if d[..k].iter().any(|&(q, _)| q == pool) {
                    problems.push(CapacityError::Mismatch(format!(
                        "task \"{}\" draws on pool {pool} twice",
                        task.id
                    )));
                }
                let Some(p) = pools.get(pool) else {
                    problems.push(CapacityError::Mismatch(format!(
                        "task \"{}\" draws on pool {pool} of {}",
                        task.id,
                        pools.len()
                    )));
                    continue;
                };
                if needs > p.people && p.people > 0 {
                    problems.push(CapacityError::TooMany {
                        task: task.id.clone(),
                        team: p.name.clone(),
                        needs,
                        people: p.people,
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(Capacity { pools, demands })
        } else {
            Err(problems)
        }
    }
}
