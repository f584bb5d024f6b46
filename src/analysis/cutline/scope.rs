//! Which tasks each cut position removes: priorities with dependencies
//! accounted for (see [`super`] for the rules).

use std::fmt;

use serde::Serialize;

use crate::plan::{Plan, Status};

/// Why a task is cut later than its own priority says, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScopeWarning {
    /// An optional task that a must-have depends on: it is kept in every
    /// position.
    NeededByMustHave {
        /// The optional task.
        task: String,
        /// Its own priority.
        priority: i64,
        /// A must-have that depends on it (directly or through others).
        needed_by: String,
    },
    /// An optional task that a more important optional task depends on: it
    /// is cut only with that task's level.
    NeededByHigherPriority {
        /// The task.
        task: String,
        /// Its own priority.
        priority: i64,
        /// The level it is cut at.
        effective: i64,
        /// The task that depends on it with that priority.
        needed_by: String,
    },
    /// The milestone being forecast has a priority; it is kept.
    MilestoneKept {
        /// The milestone.
        task: String,
        /// Its priority.
        priority: i64,
    },
    /// A done task has a priority; there is nothing left to cut.
    DoneKept {
        /// The task.
        task: String,
        /// Its priority.
        priority: i64,
    },
    /// No task can be cut: the sweep has only the keep-everything position.
    NothingToCut,
}

impl fmt::Display for ScopeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeWarning::NeededByMustHave {
                task,
                priority,
                needed_by,
            } => write!(
                f,
                "task \"{task}\" has priority {priority} but must-have \"{needed_by}\" depends on \
                 it, so it is effectively a must-have and never cut; to make it cuttable, give \
                 \"{needed_by}\" a priority too or remove the dependency"
            ),
            ScopeWarning::NeededByHigherPriority {
                task,
                priority,
                effective,
                needed_by,
            } => write!(
                f,
                "task \"{task}\" has priority {priority} but \"{needed_by}\" (priority \
                 {effective}) depends on it, so it is cut only with priority {effective}"
            ),
            ScopeWarning::MilestoneKept { task, priority } => write!(
                f,
                "the milestone \"{task}\" has priority {priority}, but its finish is what is \
                 forecast, so it and everything it depends on are kept in every position"
            ),
            ScopeWarning::DoneKept { task, priority } => write!(
                f,
                "task \"{task}\" (priority {priority}) is done: there is nothing left to cut"
            ),
            ScopeWarning::NothingToCut => write!(
                f,
                "no task can be cut: give optional tasks a priority (1 = most important; blank = \
                 must-have) to see cut positions"
            ),
        }
    }
}

/// Which tasks each cut position removes: the plan's priorities with
/// dependencies accounted for.
///
/// Invariant: a task's effective priority is never less important than that
/// of a task depending on it, so every cut set is closed under dependents.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Per plan task: the level at which it is cut (`None`: never).
    effective: Vec<Option<i64>>,
    /// Per plan task: its own priority, if it is optional scope (not done,
    /// not the milestone).
    pub(super) own: Vec<Option<i64>>,
    /// Distinct effective levels, most important (lowest) first.
    levels: Vec<i64>,
    /// Links that constrain something, as successor and predecessor lists.
    succ: Vec<Vec<usize>>,
    pred: Vec<Vec<usize>>,
    warnings: Vec<ScopeWarning>,
}

/// `a` outranks `b` (`None` is a must-have, above every priority).
fn outranks(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => x < y,
        _ => false,
    }
}

impl Scope {
    /// Works out the cut levels of `plan`; `milestone` (a plan task index)
    /// is kept in every position.
    ///
    /// Cost: O(tasks + links).
    pub fn new(plan: &Plan, milestone: Option<usize>) -> Scope {
        let n = plan.tasks.len();
        let done = |t: usize| plan.tasks[t].status == Status::Done;
        let mut succ = vec![Vec::new(); n];
        let mut pred = vec![Vec::new(); n];
        for (t, task) in plan.tasks.iter().enumerate() {
            for l in &task.links {
                // As in the compiled network: done tasks constrain nothing.
                if !done(t) && !done(l.pred) && !pred[t].contains(&l.pred) {
                    pred[t].push(l.pred);
                    succ[l.pred].push(t);
                }
            }
        }
        let mut warnings = Vec::new();
        let own: Vec<Option<i64>> = plan
            .tasks
            .iter()
            .enumerate()
            .map(|(t, task)| {
                let p = task.priority?;
                if done(t) {
                    warnings.push(ScopeWarning::DoneKept {
                        task: task.id.clone(),
                        priority: p,
                    });
                    None
                } else if Some(t) == milestone {
                    warnings.push(ScopeWarning::MilestoneKept {
                        task: task.id.clone(),
                        priority: p,
                    });
                    None
                } else {
                    Some(p)
                }
            })
            .collect();
        // Reverse topological order: every dependent is decided first.
        let mut effective: Vec<Option<i64>> = vec![None; n];
        let mut origin: Vec<usize> = (0..n).collect();
        for &t in plan.order().iter().rev() {
            if own[t].is_none() {
                continue;
            }
            let mut best = own[t];
            for &s in &succ[t] {
                if outranks(effective[s], best) {
                    best = effective[s];
                    origin[t] = origin[s];
                }
            }
            effective[t] = best;
        }
        for t in 0..n {
            let Some(p) = own[t] else { continue };
            let task = plan.tasks[t].id.clone();
            let needed_by = plan.tasks[origin[t]].id.clone();
            match effective[t] {
                None => warnings.push(ScopeWarning::NeededByMustHave {
                    task,
                    priority: p,
                    needed_by,
                }),
                Some(e) if e < p => warnings.push(ScopeWarning::NeededByHigherPriority {
                    task,
                    priority: p,
                    effective: e,
                    needed_by,
                }),
                Some(_) => {}
            }
        }
        let mut levels: Vec<i64> = effective.iter().flatten().copied().collect();
        levels.sort_unstable();
        levels.dedup();
        if levels.is_empty() {
            warnings.push(ScopeWarning::NothingToCut);
        }
        Scope {
            effective,
            own,
            levels,
            succ,
            pred,
            warnings,
        }
    }

    /// Number of positions: keep everything, then one per priority level.
    pub fn positions(&self) -> usize {
        self.levels.len() + 1
    }

    /// The distinct cut levels, most important first.
    pub fn levels(&self) -> &[i64] {
        &self.levels
    }

    /// What the plan says about its scope that a planner should know.
    pub fn warnings(&self) -> &[ScopeWarning] {
        &self.warnings
    }

    /// Per plan task, the level at which it is cut (`None`: never).
    pub fn effective(&self) -> &[Option<i64>] {
        &self.effective
    }

    /// The lowest priority cut at `position` (`None` for position 0, which
    /// keeps everything).
    ///
    /// # Panics
    ///
    /// If `position >= self.positions()`.
    pub fn cut_from(&self, position: usize) -> Option<i64> {
        assert!(position < self.positions(), "no position {position}");
        (position > 0).then(|| self.levels[self.levels.len() - position])
    }

    /// Per plan task, the last position that keeps it (`positions() - 1`
    /// for tasks never cut): what [`crate::engine::simulate_nested`] takes.
    pub fn last_positions(&self) -> Vec<usize> {
        let l = self.levels.len();
        self.effective
            .iter()
            .map(|e| match e {
                None => l,
                // Cut from the position whose level is `e`: L - index(e).
                Some(e) => l - 1 - self.levels.partition_point(|x| x < e),
            })
            .collect()
    }

    /// Per plan task, whether `position` cuts it.
    pub fn cut_at(&self, position: usize) -> Vec<bool> {
        match self.cut_from(position) {
            None => vec![false; self.effective.len()],
            Some(from) => self
                .effective
                .iter()
                .map(|e| e.is_some_and(|e| e >= from))
                .collect(),
        }
    }

    /// The cut tasks that no other cut task leads to, each with every task
    /// that depends on it (all of which the closure cuts too), in plan order.
    pub fn groups(&self, plan: &Plan, cut: &[bool]) -> Vec<CutGroup> {
        let n = cut.len();
        let mut seen = vec![usize::MAX; n];
        (0..n)
            .filter(|&t| cut[t] && !self.pred[t].iter().any(|&p| cut[p]))
            .map(|root| {
                let mut stack = vec![root];
                seen[root] = root;
                let mut with = Vec::new();
                while let Some(t) = stack.pop() {
                    for &s in &self.succ[t] {
                        if seen[s] != root {
                            seen[s] = root;
                            with.push(s);
                            stack.push(s);
                        }
                    }
                }
                with.sort_unstable();
                CutGroup {
                    id: plan.tasks[root].id.clone(),
                    priority: self.own[root].unwrap_or_default(),
                    with: with.iter().map(|&t| plan.tasks[t].id.clone()).collect(),
                }
            })
            .collect()
    }
}

/// A cut task and the tasks cut because they depend on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutGroup {
    /// The task.
    pub id: String,
    /// Its own priority.
    pub priority: i64,
    /// Every task that depends on it, directly or through others (cut with
    /// it), in plan order.
    pub with: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;

    fn plan(text: &str) -> Plan {
        parse_plan("p.csv", text, None).unwrap()
    }

    fn ids(plan: &Plan, cut: &[bool]) -> Vec<String> {
        plan.tasks
            .iter()
            .zip(cut)
            .filter(|&(_, &c)| c)
            .map(|(t, _)| t.id.clone())
            .collect()
    }

    #[test]
    fn levels_cut_least_important_first() {
        let p = plan(
            "id,likely,depends_on,priority\n\
             core,10,,\n\
             a,5,core,1\nb,5,a,2\nc,5,b,3\nd,5,c,4\n",
        );
        let s = Scope::new(&p, None);
        assert_eq!(s.levels(), [1, 2, 3, 4]);
        assert_eq!(s.positions(), 5);
        assert!(s.warnings().is_empty());
        let cuts: Vec<Vec<String>> = (0..5).map(|k| ids(&p, &s.cut_at(k))).collect();
        assert_eq!(
            cuts,
            [
                vec![],
                vec!["d"],
                vec!["c", "d"],
                vec!["b", "c", "d"],
                vec!["a", "b", "c", "d"]
            ]
        );
        assert_eq!(s.cut_from(0), None);
        assert_eq!(s.cut_from(2), Some(3));
        // The chain's head carries its dependents.
        let g = s.groups(&p, &s.cut_at(2));
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].id.as_str(), g[0].priority), ("c", 3));
        assert_eq!(g[0].with, ["d"]);
    }

    #[test]
    fn must_have_dependent_keeps_its_optional_prerequisite() {
        let p = plan(
            "id,likely,depends_on,priority\n\
             spike,2,,3\nbuild,5,spike,\nextra,4,,2\n",
        );
        let s = Scope::new(&p, None);
        assert_eq!(s.effective(), [None, None, Some(2)]);
        assert_eq!(s.levels(), [2]);
        assert_eq!(
            s.warnings(),
            [ScopeWarning::NeededByMustHave {
                task: "spike".into(),
                priority: 3,
                needed_by: "build".into()
            }]
        );
        let msg = s.warnings()[0].to_string();
        assert!(msg.contains("must-have \"build\" depends on it"), "{msg}");
    }

    #[test]
    fn more_important_dependent_lifts_its_prerequisite_transitively() {
        // d (4) <- c (4) <- a (1): d and c are cut only with priority 1.
        let p = plan(
            "id,likely,depends_on,priority\n\
             d,1,,4\nc,1,d,4\na,1,c,1\nz,1,,2\n",
        );
        let s = Scope::new(&p, None);
        assert_eq!(s.effective(), [Some(1), Some(1), Some(1), Some(2)]);
        assert_eq!(s.warnings().len(), 2);
        assert_eq!(
            s.warnings()[0],
            ScopeWarning::NeededByHigherPriority {
                task: "d".into(),
                priority: 4,
                effective: 1,
                needed_by: "a".into()
            }
        );
        assert_eq!(ids(&p, &s.cut_at(1)), ["z"]);
        let all = s.cut_at(2);
        assert_eq!(ids(&p, &all), ["d", "c", "a", "z"]);
        let g = s.groups(&p, &all);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].id, "d");
        assert_eq!(g[0].with, ["c", "a"]);
        assert_eq!(g[1].id, "z");
    }

    #[test]
    fn done_tasks_and_the_milestone_are_never_cut() {
        let p = plan(
            "id,likely,depends_on,priority,status\n\
             old,3,,5,done\nship,0,,2,\nx,1,,1,\n",
        );
        let s = Scope::new(&p, Some(1));
        assert_eq!(s.effective(), [None, None, Some(1)]);
        assert!(matches!(s.warnings()[0], ScopeWarning::DoneKept { .. }));
        assert!(matches!(
            s.warnings()[1],
            ScopeWarning::MilestoneKept { .. }
        ));
    }

    #[test]
    fn no_priorities_means_one_position() {
        let p = plan("id,likely,depends_on\na,1,\nb,2,a\n");
        let s = Scope::new(&p, None);
        assert_eq!(s.positions(), 1);
        assert_eq!(s.warnings(), [ScopeWarning::NothingToCut]);
    }

    #[test]
    fn cut_sets_are_closed_under_dependents() {
        let p = plan(
            "id,likely,depends_on,priority\n\
             a,1,,3\nb,1,a:SS,1\nc,1,a;b,5\nd,1,c:FF-1,2\ne,1,,4\nf,1,e,\n",
        );
        let s = Scope::new(&p, None);
        let last = s.last_positions();
        for k in 0..s.positions() {
            let cut = s.cut_at(k);
            let roots: Vec<usize> = (0..cut.len()).filter(|&t| cut[t]).collect();
            assert_eq!(p.dependents(&roots), cut, "position {k}");
            let by_last: Vec<bool> = last.iter().map(|&l| k > l).collect();
            assert_eq!(by_last, cut, "position {k}");
        }
    }
}
