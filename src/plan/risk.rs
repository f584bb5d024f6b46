//! The risk register: discrete events that, when they fire, delay tasks.
//!
//! A risk fires in an iteration with its probability (independently of
//! other risks); when it fires, one delay is drawn from its impact
//! distribution and added to the duration of every task it affects.

use std::collections::HashMap;
use std::path::Path;

use super::cells;
use super::error::{LoadError, Problem, ProblemKind};
use super::records::{Records, missing_columns};
use super::{Estimate, Plan, TextEncoding, ThreePoint};

/// One validated risk.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    /// Unique id.
    pub id: String,
    /// Display name (the id when none is given).
    pub name: String,
    /// Chance that the risk fires in an iteration, in `[0, 1]`.
    pub probability: f64,
    /// The delay when it fires, in working days.
    pub impact: Estimate,
    /// Plan indices of the tasks it delays.
    pub affects: Vec<usize>,
    /// Line of the register it was read from.
    pub line: u64,
}

/// Reads a UTF-8 risk register
/// (`id,name,probability,low,likely,high,dist,affects`) against a plan.
///
/// # Errors
///
/// [`LoadError::Io`] if the file cannot be read; [`LoadError::InvalidInput`]
/// with every problem found otherwise.
pub fn load_risks(path: &Path, plan: &Plan) -> Result<Vec<Risk>, LoadError> {
    load_risks_with(path, plan, TextEncoding::UTF_8)
}

/// [`load_risks`] with the file read in `encoding` (a byte order mark wins).
///
/// # Errors
///
/// As [`load_risks`].
pub fn load_risks_with(
    path: &Path,
    plan: &Plan,
    encoding: TextEncoding,
) -> Result<Vec<Risk>, LoadError> {
    let text = encoding.read(path, Some(WHAT))?;
    parse_risks(&path.display().to_string(), &text, plan)
}

const WHAT: &str = "the risk register";

/// Parses a risk register from text (`file` names it in messages).
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem found.
pub fn parse_risks(file: &str, text: &str, plan: &Plan) -> Result<Vec<Risk>, LoadError> {
    let mut problems = Vec::new();
    let at = |line: Option<u64>, risk: Option<&str>, kind| Problem {
        file: file.into(),
        line,
        task: None,
        kind: match risk {
            Some(id) => ProblemKind::InRisk {
                id: id.to_string(),
                problem: Box::new(kind),
            },
            None => kind,
        },
    };
    let mut records = Records::new(file, text).map_err(|p| LoadError::InvalidInput {
        what: WHAT,
        problems: vec![*p],
    })?;
    let header_line = records.header_line();
    let find = |names: &[&str]| records.column(names);
    let col_id = find(&["id", "risk", "risk_id"]);
    let col_name = find(&["name", "title", "description"]);
    let col_p = find(&["probability", "prob", "p", "likelihood"]);
    let col_low = find(&["low", "min", "optimistic", "best"]);
    let col_likely = find(&["likely", "most_likely", "ml", "mode", "estimate"]);
    let col_high = find(&["high", "max", "pessimistic", "worst"]);
    let col_dist = find(&["dist", "distribution"]);
    let col_affects = find(&["affects", "tasks", "affected", "task_ids"]);
    for kind in missing_columns(&[
        (col_id, "id", "id, risk, risk_id"),
        (col_p, "probability", "probability, prob, likelihood"),
        (col_affects, "affects", "affects, tasks"),
    ]) {
        problems.push(at(Some(header_line), None, kind));
    }
    if col_low.is_none() && col_likely.is_none() && col_high.is_none() {
        problems.push(at(
            Some(header_line),
            None,
            ProblemKind::MissingColumn {
                column: "likely".into(),
                aliases: "low, likely, high (the delay in working days)".into(),
            },
        ));
    }
    if !problems.is_empty() {
        return Err(LoadError::InvalidInput {
            what: WHAT,
            problems,
        });
    }
    let index: HashMap<&str, usize> = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut risks = Vec::new();
    while let Some((line, rec)) = records.next_reporting(&mut problems) {
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("");
        let id = cell(col_id).to_string();
        let rid = (!id.is_empty()).then_some(id.as_str());
        let mut push = |kind| problems.push(at(Some(line), rid, kind));
        if id.is_empty() {
            push(ProblemKind::MissingId);
            continue;
        }
        if let Some(&first_line) = seen.get(&id) {
            push(ProblemKind::DuplicateId { first_line });
        } else {
            seen.insert(id.clone(), line);
        }
        let ptext = cell(col_p);
        let probability = read_probability(ptext).map_err(&mut push).ok();
        let impact = read_impact(
            [cell(col_low), cell(col_likely), cell(col_high)],
            cell(col_dist),
            &mut push,
        );
        let affects = read_affects(cell(col_affects), &index, plan, &mut push);
        if let (Some(probability), Some(impact)) = (probability, impact) {
            let name = cell(col_name);
            risks.push(Risk {
                name: if name.is_empty() {
                    id.clone()
                } else {
                    name.into()
                },
                id,
                probability,
                impact,
                affects,
                line,
            });
        }
    }
    if problems.is_empty() {
        Ok(risks)
    } else {
        Err(LoadError::InvalidInput {
            what: WHAT,
            problems,
        })
    }
}

/// Reads a `probability` cell: a fraction in `[0, 1]` (`0.3`) or a
/// percentage in `[0, 100]` (`30%`).
fn read_probability(text: &str) -> Result<f64, ProblemKind> {
    let (num, pct) = match text.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (text, false),
    };
    match num.parse::<f64>() {
        Ok(p) if pct && (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        Ok(p) if !pct && (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(ProblemKind::BadProbability(text.into())),
    }
}

/// Reads the delay of a risk from its `[low, likely, high]` and `dist`
/// cells, as a plan's estimate cells are read; `None` when a cell is wrong
/// (the problem is pushed) or the row gives no delay.
fn read_impact(
    [low, likely, high]: [&str; 3],
    dist: &str,
    push: &mut impl FnMut(ProblemKind),
) -> Option<Estimate> {
    let mut duration = |name: &str, text: &str| cells::duration(name, text).map_err(&mut *push);
    let low = duration("low", low);
    let likely = duration("likely", likely);
    let high = duration("high", high);
    let dist = cells::distribution(dist).map_err(&mut *push);
    match (dist, low, likely, high) {
        (Ok(_), Ok(None), Ok(None), Ok(None)) => {
            push(ProblemKind::NoEstimate);
            None
        }
        (Ok(dist), Ok(low), Ok(likely), Ok(high)) => {
            let tp = ThreePoint {
                low,
                likely,
                high,
                confidence: None,
            };
            cells::estimate(dist, tp).map_err(push).ok()
        }
        _ => None,
    }
}

/// Reads an `affects` cell: task ids separated by `;` or `,`, as plan
/// indices without repeats. An unknown id or a blank cell is a problem.
fn read_affects(
    text: &str,
    index: &HashMap<&str, usize>,
    plan: &Plan,
    push: &mut impl FnMut(ProblemKind),
) -> Vec<usize> {
    let mut affects = Vec::new();
    for part in text.split([';', ',']) {
        let t = part.trim();
        if t.is_empty() {
            continue;
        }
        match index.get(t) {
            Some(&i) => {
                if !affects.contains(&i) {
                    affects.push(i);
                }
            }
            None => push(ProblemKind::UnknownAffected {
                id: t.into(),
                suggestion: plan.suggest(t),
            }),
        }
    }
    if text.trim().is_empty() {
        push(ProblemKind::NoAffects);
    }
    affects
}
