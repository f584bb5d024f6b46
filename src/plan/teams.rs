//! The teams file: each team's (or resource pool's) people, and the share
//! of their time lost to unplanned work.
//!
//! ```text
//! team,people,unplanned
//! payments,3,15-25%
//! platform,5,20%
//! qa,2,
//! ```

use std::collections::HashMap;
use std::path::Path;

use super::capacity::{Capacity, CapacityError, Team};
use super::error::{LoadError, Problem, ProblemKind};
use super::records::{Records, missing_columns};
use super::{Plan, TextEncoding, Warning};

const WHAT: &str = "the teams file";

/// Reads a teams file in `encoding` (a byte order mark wins) against a
/// plan: its capacity, and warnings for teams no task draws on.
///
/// # Errors
///
/// [`LoadError::Io`] if the file cannot be read; [`LoadError::InvalidInput`]
/// with every problem found otherwise.
pub fn load_teams_with(
    path: &Path,
    plan: &Plan,
    encoding: TextEncoding,
) -> Result<(Capacity, Vec<Warning>), LoadError> {
    let text = encoding.read(path, Some(WHAT))?;
    parse_teams(&path.display().to_string(), &text, plan)
}

/// Parses a teams file (`team,people,unplanned`) against `plan` (`file`
/// names it in messages). The `unplanned` share is a fraction (`0.2`), a
/// percentage (`20%`) or a range drawn uniformly in every iteration
/// (`15-25%`); blank is none.
///
/// # Errors
///
/// [`LoadError::InvalidInput`] with every problem found: in the file, and
/// tasks of the plan that need more people than their team has.
pub fn parse_teams(
    file: &str,
    text: &str,
    plan: &Plan,
) -> Result<(Capacity, Vec<Warning>), LoadError> {
    let mut problems = Vec::new();
    let at = |line: Option<u64>, team: Option<&str>, kind| Problem {
        file: file.into(),
        line,
        task: None,
        kind: match team {
            Some(id) => ProblemKind::InTeam {
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
    let col_team = records.column(&["team", "name", "pool", "resource"]);
    let col_people = records.column(&["people", "headcount", "capacity", "units", "size"]);
    let col_unplanned = records.column(&["unplanned", "unplanned_work", "interrupts", "overhead"]);
    for kind in missing_columns(&[
        (col_team, "team", "team, name, pool, resource"),
        (col_people, "people", "people, headcount, capacity, units"),
    ]) {
        problems.push(at(Some(header_line), None, kind));
    }
    if !problems.is_empty() {
        return Err(LoadError::InvalidInput {
            what: WHAT,
            problems,
        });
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut teams = Vec::new();
    let mut lines = Vec::new();
    while let Some((line, rec)) = records.next_reporting(&mut problems) {
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").trim();
        let name = cell(col_team).to_string();
        let tid = (!name.is_empty()).then_some(name.as_str());
        let mut push = |kind| problems.push(at(Some(line), tid, kind));
        if name.is_empty() {
            push(ProblemKind::MissingId);
            continue;
        }
        if let Some(&first_line) = seen.get(&name) {
            push(ProblemKind::DuplicateId { first_line });
        } else {
            seen.insert(name.clone(), line);
        }
        let people_text = cell(col_people);
        let people = match people_text.parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                push(ProblemKind::BadTeamSize(people_text.into()));
                None
            }
        };
        let share_text = cell(col_unplanned);
        let unplanned = read_share(share_text).map_err(&mut push).ok();
        if let (Some(people), Some(unplanned)) = (people, unplanned) {
            teams.push(Team {
                name,
                people,
                unplanned,
            });
            lines.push(line);
        }
    }
    if !problems.is_empty() {
        return Err(LoadError::InvalidInput {
            what: WHAT,
            problems,
        });
    }
    let mut warnings = Vec::new();
    for (team, &line) in teams.iter().zip(&lines) {
        let used = plan.tasks.iter().any(|t| {
            t.team.as_deref() == Some(team.name.as_str())
                || t.demands.iter().any(|(p, _)| *p == team.name)
        });
        if !used {
            warnings.push(Warning::line(
                file,
                line,
                format!(
                    "team \"{}\" has no task in the plan (a task's team, or a pool in its \
                     resources): check the spelling",
                    team.name
                ),
            ));
        }
    }
    match Capacity::from_teams(plan, teams) {
        Ok(c) => Ok((c, warnings)),
        Err(errors) => Err(LoadError::InvalidInput {
            what: WHAT,
            problems: errors
                .into_iter()
                .map(|e| match e {
                    CapacityError::TooMany {
                        task,
                        team,
                        needs,
                        people,
                    } => {
                        let line = plan.index_of(&task).map(|t| plan.tasks[t].line);
                        Problem {
                            file: plan.source.clone(),
                            line,
                            task: Some(task),
                            kind: ProblemKind::TooManyPeople {
                                team,
                                needs,
                                people,
                            },
                        }
                    }
                    other => Problem {
                        file: file.into(),
                        line: None,
                        task: None,
                        kind: ProblemKind::Capacity(other.to_string()),
                    },
                })
                .collect(),
        }),
    }
}

/// Reads an `unplanned` cell: blank (none), a fraction (`0.2`), a
/// percentage (`20%`), or a range of either (`15-25%`, `0.15-0.25`).
fn read_share(text: &str) -> Result<Option<(f64, f64)>, ProblemKind> {
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || ProblemKind::BadShare(text.into());
    let (body, pct) = match text.strip_suffix('%') {
        Some(b) => (b.trim(), true),
        None => (text, false),
    };
    let one = |s: &str| -> Result<f64, ProblemKind> {
        let s = s.trim();
        let (s, pct) = match s.strip_suffix('%') {
            Some(s) => (s.trim(), true),
            None => (s, pct),
        };
        let x: f64 = s.parse().map_err(|_| bad())?;
        let x = if pct { x / 100.0 } else { x };
        if x.is_finite() && (0.0..1.0).contains(&x) {
            Ok(x)
        } else {
            Err(bad())
        }
    };
    let (lo, hi) = match body.split_once('-') {
        Some((a, b)) => (one(a)?, one(b)?),
        None => {
            let x = one(body)?;
            (x, x)
        }
    };
    if lo > hi {
        return Err(bad());
    }
    Ok(Some((lo, hi)))
}
