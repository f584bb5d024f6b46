//! Whole-plan checks: link targets exist, no task waits for itself, and a
//! topological order exists (no cycles).

use std::collections::{HashMap, VecDeque};

use super::csv::RowTask;
use super::error::{LoadError, Problem, ProblemKind, closest};
use super::{Link, LinkSpec, Plan, Task, TaskCalendars, Warning};

/// Something read from a file line, with where it came from.
#[derive(Debug, Clone)]
pub(super) struct Located<T> {
    pub file: String,
    pub line: u64,
    /// The successor task id the item belongs to.
    pub to: String,
    pub item: T,
}

/// Resolves link ids, checks for cycles and builds the plan, or returns every
/// problem found (including those already collected row by row). `file` is
/// the plan, `edges` the edges file if there is one; `calendars` are the
/// task calendars the rows were read against.
pub(super) fn resolve(
    file: &str,
    edges: Option<&str>,
    rows: Vec<RowTask>,
    links: Vec<Located<LinkSpec>>,
    calendars: Option<TaskCalendars>,
    mut problems: Vec<Problem>,
) -> Result<Plan, LoadError> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        index.entry(r.id.as_str()).or_insert(i);
    }
    let ids = || rows.iter().map(|r| r.id.as_str());
    let mut resolved: Vec<Vec<Link>> = vec![Vec::new(); rows.len()];
    // Per task, the index in `links` of each resolved link, in step.
    let mut origin: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (li, l) in links.iter().enumerate() {
        let problem = |task: &str, kind| Problem {
            file: l.file.clone(),
            line: Some(l.line),
            task: Some(task.to_string()),
            kind,
        };
        let from_edges = l.file != file;
        let unknown = |column: &'static str, id: &str| Problem {
            file: l.file.clone(),
            line: Some(l.line),
            task: None,
            kind: ProblemKind::UnknownTask {
                column,
                id: id.to_string(),
                suggestion: closest(id, ids()),
            },
        };
        let Some(&to) = index.get(l.to.as_str()) else {
            // Only an edges file can name an unknown successor.
            if from_edges && !index.contains_key(l.item.from.as_str()) {
                problems.push(unknown("from", &l.item.from));
            }
            problems.push(unknown("to", &l.to));
            continue;
        };
        // `sprint-1` is the task `sprint-1` if there is one, else `sprint`
        // with a one-day lead.
        let (from_id, lag) = match &l.item.whole {
            Some(w) if index.contains_key(w.as_str()) => (w.as_str(), 0.0),
            _ => (l.item.from.as_str(), l.item.lag),
        };
        match index.get(from_id) {
            None if from_edges => problems.push(unknown("from", from_id)),
            None => {
                // `a+x` names no task, but `a` is one: a lag that is not a
                // number. For `a-x`, an id close to it other than `a` (say
                // `a-v2`) is the likelier intent.
                let suggestion = closest(&l.item.from, ids());
                let text = l.item.from.as_str();
                let lag = l.item.bad_lag(|id| index.contains_key(id)).filter(|_| {
                    let minus = text
                        .rfind(['+', '-'])
                        .filter(|&i| text[i..].starts_with('-'));
                    match (minus, &suggestion) {
                        (Some(i), Some(s)) => *s == text[..i],
                        _ => true,
                    }
                });
                problems.push(problem(
                    &l.to,
                    match lag {
                        Some(e) => ProblemKind::BadLink(e),
                        None => ProblemKind::UnknownDependency {
                            dep: l.item.from.clone(),
                            suggestion,
                        },
                    },
                ))
            }
            Some(&from) if from == to => problems.push(problem(
                &l.to,
                ProblemKind::SelfDependency(from_id.to_string()),
            )),
            Some(&from) => {
                resolved[to].push(Link {
                    pred: from,
                    kind: l.item.kind,
                    lag,
                });
                origin[to].push(li);
            }
        }
    }

    let order = match topological_order(&resolved) {
        Ok(order) => Some(order),
        Err(cycles) => {
            let command = validate_command(file, edges);
            for cycle in cycles {
                // The link blamed for the cycle: one from the edges file
                // when there is one (the last in that file), else the one
                // into the task that comes first in the plan.
                let k = cycle.len() - 1;
                let link_of = |e: usize| {
                    let (p, t) = (cycle[e], cycle[e + 1]);
                    let i = resolved[t].iter().position(|l| l.pred == p);
                    &links[origin[t][i.expect("cycle links are resolved links")]]
                };
                let close = (0..k)
                    .filter(|&e| link_of(e).file != file)
                    .max_by_key(|&e| link_of(e).line)
                    .or_else(|| (0..k).min_by_key(|&e| cycle[e + 1]))
                    .unwrap_or(k - 1);
                // Rotate so that the cycle ends with that link.
                let start = (close + 1) % k;
                let ids: Vec<String> = (0..=k)
                    .map(|i| rows[cycle[(start + i) % k]].id.clone())
                    .collect();
                let at = link_of(close);
                problems.push(Problem {
                    file: at.file.clone(),
                    line: Some(at.line),
                    task: Some(ids[0].clone()),
                    kind: ProblemKind::Cycle {
                        ids,
                        command: command.clone(),
                    },
                });
            }
            None
        }
    };

    if !problems.is_empty() {
        // File order: the plan's own lines first, then each other file's
        // (the edges file, the calendars file).
        problems.sort_by(|a, b| {
            let key = |p: &Problem| (p.file != file, p.line.unwrap_or(0));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then_with(|| a.file.cmp(&b.file).then(ka.1.cmp(&kb.1)))
        });
        return Err(LoadError::Invalid { problems });
    }
    let warnings = rows
        .iter()
        .filter_map(|r| {
            let message = r.ignored.clone()?;
            Some(Warning {
                task: Some(r.id.clone()),
                ..Warning::line(file, r.line, message)
            })
        })
        .collect();
    let tasks = rows
        .into_iter()
        .zip(resolved)
        .map(|(r, links)| Task {
            id: r.id,
            name: r.name,
            estimate: r
                .estimate
                .expect("rows without a valid estimate were reported"),
            links,
            team: r.team,
            priority: r.priority,
            status: r.status,
            line: r.line,
            calendar: r.placement.calendar,
            not_before: r.placement.not_before,
            finish_not_before: r.placement.finish_not_before,
            at_start: r.placement.at_start,
            demands: r.demands,
        })
        .collect();
    Ok(Plan {
        source: file.to_string(),
        tasks,
        order: order.expect("no cycles"),
        calendars,
        warnings,
    })
}

/// The command that prints every problem of this plan as JSON, with the
/// whole of each cycle.
fn validate_command(file: &str, edges: Option<&str>) -> String {
    let arg = |a: &str| {
        if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
            format!("'{}'", a.replace('\'', "'\\''"))
        } else {
            a.to_string()
        }
    };
    match edges {
        Some(e) => format!("slipcast validate {} --edges {} --json", arg(file), arg(e)),
        None => format!("slipcast validate {} --json", arg(file)),
    }
}

/// Kahn's algorithm, stable in file order among ready tasks. On failure,
/// returns one cycle (as task indices, first repeated at the end) per tangle.
pub(crate) fn topological_order(preds: &[Vec<Link>]) -> Result<Vec<usize>, Vec<Vec<usize>>> {
    let n = preds.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (to, links) in preds.iter().enumerate() {
        for l in links {
            succ[l.pred].push(to);
            indeg[to] += 1;
        }
    }
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &s in &succ[i] {
            indeg[s] -= 1;
            if indeg[s] == 0 {
                ready.push_back(s);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every task left has a predecessor that is also left: walking back
    // along such predecessors must repeat a task, which closes a cycle.
    let mut seen = vec![false; n];
    let mut cycles = Vec::new();
    for start in 0..n {
        if indeg[start] == 0 || seen[start] {
            continue;
        }
        let mut path = vec![start];
        let mut pos: HashMap<usize, usize> = HashMap::from([(start, 0)]);
        let mut cur = start;
        let mut fresh = true;
        loop {
            seen[cur] = true;
            let next = preds[cur]
                .iter()
                .map(|l| l.pred)
                .find(|&p| indeg[p] > 0)
                .expect("a task left by Kahn's algorithm has a predecessor left");
            if let Some(&k) = pos.get(&next) {
                // path runs successor -> predecessor; print it forwards.
                let mut cycle: Vec<usize> = path[k..].iter().rev().copied().collect();
                cycle.push(cycle[0]);
                if fresh {
                    cycles.push(cycle);
                }
                break;
            }
            if seen[next] {
                fresh = false;
            }
            pos.insert(next, path.len());
            path.push(next);
            cur = next;
        }
    }
    Err(cycles)
}
