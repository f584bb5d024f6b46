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
    /// Per pool: people who join later (a headcount what-if), each as the
    /// working day from which they contribute (their ramp-up). They are
    /// counted in the pool's `people`; the others work from day 0.
    pub joining: Vec<Vec<f64>>,
}

/// A headcount what-if: people added to (or taken from) one team.
#[derive(Debug, Clone, PartialEq)]
pub struct Headcount {
    /// The team (or resource pool).
    pub team: String,
    /// People added (negative: taken away).
    pub change: i32,
    /// Working days before an added person contributes (their ramp-up).
    pub ramp_up: f64,
}

impl Headcount {
    /// Reads one headcount what-if: changes separated by commas, each
    /// `TEAM=+N` (N more people), `TEAM=-N` (N fewer) or `TEAM=+N@DAYS`
    /// (N more, each contributing after DAYS working days of ramp-up), e.g.
    /// `payments=+1@20,web=+1`.
    ///
    /// # Errors
    ///
    /// A message naming the part that does not read and how to write it.
    pub fn parse_what_if(text: &str) -> Result<Vec<Headcount>, String> {
        let how = "write TEAM=+N to add N people, TEAM=-N to take N away, or TEAM=+N@DAYS for \
                   people who contribute after DAYS working days (e.g. payments=+1@20); separate \
                   changes made together with commas";
        text.split(',')
            .map(|part| {
                let part = part.trim();
                let (team, change) = part
                    .rsplit_once('=')
                    .ok_or_else(|| format!("\"{part}\" has no '=': {how}"))?;
                let team = team.trim();
                if team.is_empty() {
                    return Err(format!("\"{part}\" names no team: {how}"));
                }
                let (count, ramp) = match change.split_once('@') {
                    Some((c, r)) => (c.trim(), Some(r.trim())),
                    None => (change.trim(), None),
                };
                if !(count.starts_with('+') || count.starts_with('-')) {
                    return Err(format!(
                        "\"{part}\": give the change with its sign (+{count} to add, -{count} to \
                         take away): {how}"
                    ));
                }
                let change: i32 = count
                    .parse()
                    .ok()
                    .filter(|&n: &i32| n != 0 && n.unsigned_abs() <= 100_000)
                    .ok_or_else(|| format!("\"{part}\": \"{count}\" is not a number of people: {how}"))?;
                let ramp_up = match ramp {
                    None => 0.0,
                    Some(r) => {
                        let days = r.strip_suffix('d').unwrap_or(r).trim();
                        let d: f64 = days.parse().ok().filter(|d: &f64| d.is_finite() && *d >= 0.0).ok_or_else(|| {
                            format!("\"{part}\": ramp-up \"{r}\" is not a number of working days: {how}")
                        })?;
                        if change < 0 {
                            return Err(format!(
                                "\"{part}\": a ramp-up applies to people added, not taken away: {how}"
                            ));
                        }
                        d
                    }
                };
                Ok(Headcount {
                    team: team.to_string(),
                    change,
                    ramp_up,
                })
            })
            .collect()
    }
}

impl std::fmt::Display for Headcount {
    /// Like `payments +1` or `payments +2 after 20 days`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:+}", self.team, self.change)?;
        if self.ramp_up > 0.0 {
            write!(f, " after {} days", self.ramp_up)?;
        }
        Ok(())
    }
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
    /// A headcount change on a team the capacity does not have.
    #[error(
        "there is no team \"{team}\" in the teams file (teams: {known}); add a row for it \
         there to give it people"
    )]
    UnknownTeam {
        /// The team asked for.
        team: String,
        /// The teams there are, comma-separated.
        known: String,
    },
    /// A ramp-up on people taken away, or one that is not a number of days.
    #[error(
        "team \"{team}\": a ramp-up of {days} days is not a number of working days from 0 \
         (and applies only to people added)"
    )]
    BadRampUp {
        /// The team.
        team: String,
        /// The ramp-up asked for.
        days: f64,
    },
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
            let joining = vec![Vec::new(); pools.len()];
            Ok(Capacity {
                pools,
                demands,
                joining,
            })
        } else {
            Err(problems)
        }
    }

    /// This capacity with the headcount of `changes` applied in order:
    /// people added join after their ramp-up; people taken away leave
    /// from the start (those who would join later first). Every problem
    /// is reported at once, including tasks that would need more people
    /// than their team keeps.
    pub fn with_headcount(
        &self,
        plan: &Plan,
        changes: &[Headcount],
    ) -> Result<Capacity, Vec<CapacityError>> {
        let mut pools = self.pools.clone();
        let mut joining = self.joining.clone();
        let mut problems = Vec::new();
        for c in changes {
            let Some(i) = pools.iter().position(|p| p.name == c.team) else {
                problems.push(CapacityError::UnknownTeam {
                    team: c.team.clone(),
                    known: pools
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
                continue;
            };
            if !(c.ramp_up.is_finite() && c.ramp_up >= 0.0) || (c.change < 0 && c.ramp_up > 0.0) {
                problems.push(CapacityError::BadRampUp {
                    team: c.team.clone(),
                    days: c.ramp_up,
                });
                continue;
            }
            let p = &mut pools[i];
            if c.change >= 0 {
                p.people += c.change.unsigned_abs();
                joining[i].extend(std::iter::repeat_n(c.ramp_up, c.change as usize));
            } else {
                let gone = c.change.unsigned_abs();
                p.people = p.people.saturating_sub(gone);
                let late = joining[i].len();
                joining[i].truncate(late.saturating_sub(gone as usize));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut out = Capacity::new(plan, pools, self.demands.clone())?;
        out.joining = joining;
        Ok(out)
    }
}
