//! Correlations between task durations, applied through a Gaussian copula.
//!
//! Users state *rank* (Spearman) correlations: `--correlate team=0.6` gives
//! every pair of tasks in the same team rank correlation 0.6
//! (`--correlate team:payments=0.8` one team only), and a correlations file
//! lists `a,b,rho` pairs. Each task keeps its own marginal distribution; the
//! copula's normal correlation is `r = 2 sin(pi rho / 6)`, the exact inverse of
//! Spearman's rho of a bivariate normal (Pearson 1907), so the rank
//! correlation measured in the samples is the one requested.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use thiserror::Error;

use super::Plan;
use super::csv::{Lines, csv_reader, records};
use super::error::{LoadError, Problem, ProblemKind};

/// A `--correlate` rule.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamRule {
    /// Every team: tasks of the same team share this rank correlation.
    AllTeams(f64),
    /// One team only.
    Team(String, f64),
}

/// Parses `team=0.6` or `team:payments=0.8`.
///
/// # Errors
///
/// A message saying what the rule should look like.
pub fn parse_correlate(s: &str) -> Result<TeamRule, String> {
    let usage = || {
        format!(
            "\"{s}\" is not a correlation rule; write team=0.6 (every team) or team:NAME=0.8 (one team)"
        )
    };
    let (lhs, rhs) = s.split_once('=').ok_or_else(usage)?;
    let rho: f64 = rhs.trim().parse().map_err(|_| usage())?;
    if !(-1.0..=1.0).contains(&rho) {
        return Err(format!(
            "correlation {rho} in \"{s}\" must be between -1 and 1"
        ));
    }
    let lhs = lhs.trim();
    if lhs.eq_ignore_ascii_case("team") {
        return Ok(TeamRule::AllTeams(rho));
    }
    match lhs.split_once(':') {
        Some((k, team)) if k.trim().eq_ignore_ascii_case("team") && !team.trim().is_empty() => {
            Ok(TeamRule::Team(team.trim().to_string(), rho))
        }
        _ => Err(usage()),
    }
}

/// A pair from a correlations file.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Plan index of the first task.
    pub a: usize,
    /// Plan index of the second task.
    pub b: usize,
    /// Requested rank correlation.
    pub rho: f64,
}

/// Reads a correlations file: `a,b,rho` rows of task ids and a rank
/// correlation in `[-1, 1]`.
///
/// # Errors
///
/// [`LoadError`] with every problem, by file and line.
pub fn load_pairs(path: &Path, plan: &Plan) -> Result<Vec<Pair>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_pairs(&path.display().to_string(), &text, plan)
}

/// Parses a correlations file from text.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem.
pub fn parse_pairs(file: &str, text: &str, plan: &Plan) -> Result<Vec<Pair>, LoadError> {
    let mut rdr = csv_reader(text);
    let lines = Lines::new(text);
    let mut problems = Vec::new();
    let at = |line, kind| Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind,
    };
    let headers = rdr.headers().cloned().unwrap_or_default();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    let (Some(ca), Some(cb), Some(cr)) = (
        find(&["a", "task_a", "from", "task1"]),
        find(&["b", "task_b", "to", "task2"]),
        find(&["rho", "correlation", "r", "spearman"]),
    ) else {
        return Err(LoadError::InvalidInput {
            what: "the correlations file",
            problems: vec![at(
                1,
                ProblemKind::MissingColumn {
                    column: "a, b, rho".into(),
                    aliases: "a,b,rho (task ids and a rank correlation)".into(),
                },
            )],
        });
    };
    let mut pairs = Vec::new();
    for row in records(&mut rdr, &lines) {
        let (line, rec) = match row {
            Ok(row) => row,
            Err((line, msg)) => {
                problems.push(at(line.unwrap_or(0), ProblemKind::Csv(msg)));
                continue;
            }
        };
        let get = |i: usize| rec.get(i).unwrap_or("");
        let mut id = |col: &'static str, v: &str| match plan.index_of(v) {
            Some(i) => Some(i),
            None => {
                problems.push(at(
                    line,
                    ProblemKind::UnknownTask {
                        column: col,
                        id: v.into(),
                        suggestion: plan.suggest(v),
                    },
                ));
                None
            }
        };
        let a = id("a", get(ca));
        let b = id("b", get(cb));
        let rho = match get(cr).parse::<f64>() {
            Ok(r) if (-1.0..=1.0).contains(&r) => Some(r),
            _ => {
                problems.push(at(
                    line,
                    ProblemKind::NotANumber {
                        column: "rho (a correlation between -1 and 1)".into(),
                        value: get(cr).into(),
                    },
                ));
                None
            }
        };
        if let (Some(a), Some(b), Some(rho)) = (a, b, rho) {
            if a == b {
                problems.push(at(
                    line,
                    ProblemKind::BadLink(format!(
                        "a task is always perfectly correlated with itself; remove the row for \"{}\"",
                        plan.tasks[a].id
                    )),
                ));
            } else {
                pairs.push(Pair { a, b, rho });
            }
        }
    }
    if problems.is_empty() {
        Ok(pairs)
    } else {
        Err(LoadError::InvalidInput {
            what: "the correlations file",
            problems,
        })
    }
}

/// Why a set of correlations cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CorrelationError {
    /// The requested correlations contradict each other.
    #[error(
        "the requested correlations cannot all hold at once (the correlation matrix is not positive semi-definite); the conflict shows at task \"{task}\": loosen the correlations that involve it"
    )]
    NotPositiveSemiDefinite {
        /// The task at which the factorisation failed.
        task: String,
    },
}

/// A validated correlation model over the tasks it involves.
///
/// Invariant: `normal` is a positive semi-definite correlation matrix
/// (row-major, `tasks.len()` squared) and `factor` its lower Cholesky factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Plan indices of the correlated tasks.
    pub tasks: Vec<usize>,
    /// Requested rank correlations (row-major).
    pub rank: Vec<f64>,
    /// Correlations of the copula's normals, `2 sin(pi rank / 6)`.
    pub normal: Vec<f64>,
    /// Lower-triangular `L` with `L L^T = normal` (row-major).
    pub factor: Vec<f64>,
    /// When the model is only non-negative team blocks: per task, its team
    /// (index into `teams`) and the normal correlation within it. Then the
    /// copula is sampled with one shared factor per team, in O(tasks).
    pub teams: Option<Vec<(usize, f64)>>,
    /// Team names, for the one-factor form.
    pub team_names: Vec<String>,
}

/// Builds and checks the correlation model. Pairs override team rules; a
/// team-specific rule overrides `team=`.
///
/// # Errors
///
/// [`CorrelationError::NotPositiveSemiDefinite`] when the correlations
/// contradict each other.
pub fn build_correlation(
    plan: &Plan,
    rules: &[TeamRule],
    pairs: &[Pair],
) -> Result<Option<Correlation>, CorrelationError> {
    let team_rho = |team: &str| -> Option<f64> {
        let mut r = None;
        for rule in rules {
            match rule {
                TeamRule::AllTeams(x) if r.is_none() => r = Some(*x),
                TeamRule::Team(t, x) if t == team => return Some(*x),
                _ => {}
            }
        }
        r.filter(|&x| x != 0.0)
    };
    // Teams with a non-zero rule and at least two tasks.
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in plan.tasks.iter().enumerate() {
        if let Some(team) = t.team.as_deref()
            && team_rho(team).is_some()
        {
            members.entry(team).or_default().push(i);
        }
    }
    members.retain(|_, m| m.len() > 1);
    let mut involved: Vec<usize> = members.values().flatten().copied().collect();
    for p in pairs {
        involved.extend([p.a, p.b]);
    }
    involved.sort_unstable();
    involved.dedup();
    if involved.is_empty() {
        return Ok(None);
    }
    let k = involved.len();
    let pos: HashMap<usize, usize> = involved.iter().enumerate().map(|(i, &t)| (t, i)).collect();
    let mut rank = vec![0.0; k * k];
    for i in 0..k {
        rank[i * k + i] = 1.0;
    }
    for (team, m) in &members {
        let r = team_rho(team).unwrap_or(0.0);
        for &a in m {
            for &b in m {
                if a != b {
                    rank[pos[&a] * k + pos[&b]] = r;
                }
            }
        }
    }
    for p in pairs {
        let (a, b) = (pos[&p.a], pos[&p.b]);
        rank[a * k + b] = p.rho;
        rank[b * k + a] = p.rho;
    }
    let normal: Vec<f64> = rank.iter().map(|&r| rank_to_normal(r)).collect();
    let factor =
        cholesky_psd(&normal, k).map_err(|i| CorrelationError::NotPositiveSemiDefinite {
            task: plan.tasks[involved[i]].id.clone(),
        })?;
    let team_names: Vec<String> = members.keys().map(|s| s.to_string()).collect();
    let one_factor = pairs.is_empty() && members.keys().all(|t| team_rho(t).unwrap_or(0.0) >= 0.0);
    let teams = one_factor.then(|| {
        involved
            .iter()
            .map(|&t| {
                let team = plan.tasks[t].team.as_deref().unwrap_or_default();
                let g = team_names.iter().position(|n| n == team).unwrap_or(0);
                let r = team_rho(team).unwrap_or(0.0);
                (g, rank_to_normal(r))
            })
            .collect()
    });
    Ok(Some(Correlation {
        tasks: involved,
        rank,
        normal,
        factor,
        teams,
        team_names,
    }))
}

/// The copula's normal correlation for a rank correlation: `2 sin(pi rho / 6)`,
/// exact at `-1`, `0` and `1`.
pub fn rank_to_normal(rho: f64) -> f64 {
    if rho.abs() == 1.0 || rho == 0.0 {
        rho
    } else {
        2.0 * (std::f64::consts::PI * rho / 6.0).sin()
    }
}

/// Cholesky factor `L` (row-major, lower) of a positive *semi*-definite
/// matrix: a zero pivot is allowed when the rest of its column is zero too
/// (perfect correlation). Returns the failing row when the matrix is not
/// positive semi-definite.
pub fn cholesky_psd(m: &[f64], n: usize) -> Result<Vec<f64>, usize> {
    const TOL: f64 = 1e-9;
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = m[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d < -TOL {
            return Err(j);
        }
        let djj = if d > TOL { d.sqrt() } else { 0.0 };
        l[j * n + j] = djj;
        for i in j + 1..n {
            let v = m[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if djj == 0.0 {
                if v.abs() > 1e-7 {
                    return Err(j);
                }
            } else {
                l[i * n + j] = v / djj;
            }
        }
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(
            parse_correlate("team=0.6").unwrap(),
            TeamRule::AllTeams(0.6)
        );
        assert_eq!(
            parse_correlate("team:payments=0.8").unwrap(),
            TeamRule::Team("payments".into(), 0.8)
        );
        for bad in ["team", "team=x", "team=1.5", "owner=0.3", "team:=0.3"] {
            assert!(parse_correlate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cholesky_handles_perfect_correlation_and_rejects_contradictions() {
        let m = [1.0, 1.0, 1.0, 1.0];
        let l = cholesky_psd(&m, 2).unwrap();
        assert_eq!(l, vec![1.0, 0.0, 1.0, 0.0]);
        // a~b 0.9, b~c 0.9, a~c -0.9 cannot hold together.
        let m = [1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0];
        assert_eq!(cholesky_psd(&m, 3), Err(2));
        let m = [1.0, 0.5, 0.5, 1.0];
        let l = cholesky_psd(&m, 2).unwrap();
        assert!((l[2] - 0.5).abs() < 1e-12 && (l[3] - 0.75f64.sqrt()).abs() < 1e-12);
    }
}
