//! Correlations between task durations, applied through a Gaussian copula.
//!
//! Users state *rank* (Spearman) correlations: `--correlate team=0.6` gives
//! every pair of tasks in the same team rank correlation 0.6
//! (`--correlate team:payments=0.8` one team only), and a correlations file
//! lists `a,b,rho` pairs. Each task keeps its own marginal distribution; the
//! copula's normal correlation is `r = 2 sin(pi rho / 6)`, the exact inverse of
//! Spearman's rho of a bivariate normal (Pearson 1907), so the rank
//! correlation measured in the samples is the one requested.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use thiserror::Error;

use super::error::{LoadError, Problem, ProblemKind, closest, suggest};
use super::records::Records;
use super::{Plan, TextEncoding};

/// A `--correlate` rule.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamRule {
    /// Every team: tasks of the same team share this rank correlation.
    AllTeams(f64),
    /// One team only.
    Team(String, f64),
}

impl fmt::Display for TeamRule {
    /// The rule as it is written on the command line: `team=0.6` or
    /// `team:payments=0.8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeamRule::AllTeams(x) => write!(f, "team={x}"),
            TeamRule::Team(t, x) => write!(f, "team:{t}={x}"),
        }
    }
}

/// Why a `--correlate` rule cannot be read.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum RuleError {
    /// Not of the form `team=X` or `team:NAME=X`.
    #[error(
        "\"{0}\" is not a correlation rule; write team=0.6 (every team) or team:NAME=0.8 (one team)"
    )]
    NotARule(String),
    /// The correlation is outside [-1, 1].
    #[error(
        "correlation {rho} in \"{rule}\" is out of range: a rank correlation is between -1 and 1 ([-1, 1])"
    )]
    OutOfRange {
        /// The rule as written.
        rule: String,
        /// Its correlation.
        rho: f64,
    },
}

/// Parses `team=0.6` or `team:payments=0.8`.
///
/// # Errors
///
/// [`RuleError`] saying what the rule should look like.
pub fn parse_correlate(s: &str) -> Result<TeamRule, RuleError> {
    let usage = || RuleError::NotARule(s.to_string());
    let (lhs, rhs) = s.split_once('=').ok_or_else(usage)?;
    let rho: f64 = rhs.trim().parse().map_err(|_| usage())?;
    if rho.is_nan() {
        return Err(usage());
    }
    if !(-1.0..=1.0).contains(&rho) {
        return Err(RuleError::OutOfRange {
            rule: s.to_string(),
            rho,
        });
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
    /// The correlations file, as the user named it.
    pub file: String,
    /// The line the pair was given on.
    pub line: u64,
}

const WHAT: &str = "the correlations file";

/// Reads a UTF-8 correlations file: `a,b,rho` rows of task ids and a rank
/// correlation in `[-1, 1]`.
///
/// # Errors
///
/// [`LoadError`] with every problem, by file and line.
pub fn load_pairs(path: &Path, plan: &Plan) -> Result<Vec<Pair>, LoadError> {
    load_pairs_with(path, plan, TextEncoding::UTF_8)
}

/// [`load_pairs`] with the file read in `encoding` (a byte order mark wins).
///
/// # Errors
///
/// As [`load_pairs`].
pub fn load_pairs_with(
    path: &Path,
    plan: &Plan,
    encoding: TextEncoding,
) -> Result<Vec<Pair>, LoadError> {
    let text = encoding.read(path, Some(WHAT))?;
    parse_pairs(&path.display().to_string(), &text, plan)
}

/// Parses a correlations file from text.
///
/// A pair may be given once: a second row for it (in either order, `a,b` or
/// `b,a`) is an error naming both lines, whether or not the values agree, so
/// that no value silently wins.
///
/// # Errors
///
/// [`LoadError::InvalidInput`] with every problem.
pub fn parse_pairs(file: &str, text: &str, plan: &Plan) -> Result<Vec<Pair>, LoadError> {
    let invalid = |problems| LoadError::InvalidInput {
        what: WHAT,
        problems,
    };
    let mut records = Records::new(file, text).map_err(|p| invalid(vec![*p]))?;
    let mut problems = Vec::new();
    let at = |line, kind| Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind,
    };
    let find = |names: &[&str]| records.column(names);
    let (Some(ca), Some(cb), Some(cr)) = (
        find(&["a", "task_a", "from", "task1"]),
        find(&["b", "task_b", "to", "task2"]),
        find(&["rho", "correlation", "r", "spearman"]),
    ) else {
        return Err(invalid(vec![at(
            records.header_line(),
            ProblemKind::MissingColumn {
                column: "a, b, rho".into(),
                aliases: "a,b,rho (task ids and a rank correlation)".into(),
            },
        )]));
    };
    let mut pairs = Vec::new();
    // Each pair (smaller index first) with the line and value it was given.
    let mut seen: HashMap<(usize, usize), (u64, f64)> = HashMap::new();
    while let Some((line, rec)) = records.next_reporting(&mut problems) {
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
            Ok(r) if !r.is_nan() => {
                problems.push(at(line, ProblemKind::CorrelationOutOfRange(get(cr).into())));
                None
            }
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
        let (Some(a), Some(b), Some(rho)) = (a, b, rho) else {
            continue;
        };
        if a == b {
            problems.push(at(
                line,
                ProblemKind::SelfCorrelation(plan.tasks[a].id.clone()),
            ));
            continue;
        }
        match seen.get(&(a.min(b), a.max(b))) {
            Some(&(first_line, first_rho)) => problems.push(at(
                line,
                ProblemKind::DuplicatePair {
                    pair: format!("{}~{}", plan.tasks[a].id, plan.tasks[b].id),
                    first_line,
                    first_rho,
                    line,
                    rho,
                },
            )),
            None => {
                seen.insert((a.min(b), a.max(b)), (line, rho));
                pairs.push(Pair {
                    a,
                    b,
                    rho,
                    file: file.into(),
                    line,
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(pairs)
    } else {
        Err(invalid(problems))
    }
}

/// A correlation of a correlations file, as part of a conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct PairSource {
    /// The correlations file.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The pair, e.g. `a~b`.
    pub pair: String,
    /// The rank correlation given.
    pub rho: f64,
}

/// A `--correlate` rule, as part of a conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSource {
    /// The rule as written, e.g. `team=-0.9`.
    pub rule: String,
    /// The team it applies to here.
    pub team: String,
    /// How many tasks of the plan the team has.
    pub tasks: usize,
    /// The rank correlation it gives them.
    pub rho: f64,
}

/// Why a set of correlations cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CorrelationError {
    /// The requested correlations contradict each other: no joint
    /// distribution has them all (the matrix is not positive
    /// semi-definite).
    #[error("{}", conflict(.task, .pairs, .rules))]
    NotPositiveSemiDefinite {
        /// The task at which the factorisation failed.
        task: String,
        /// The correlations file's pairs in the conflict, in line order.
        pairs: Vec<PairSource>,
        /// The `--correlate` rules in the conflict.
        rules: Vec<RuleSource>,
    },
    /// A `--correlate team:NAME=` rule names a team no task has.
    #[error(
        "--correlate {rule}: no task of {plan} has team \"{team}\"{}; {}",
        suggest(.suggestion),
        known_teams(.teams)
    )]
    UnknownTeam {
        /// The rule as written.
        rule: String,
        /// The team it names.
        team: String,
        /// The plan file.
        plan: String,
        /// The closest team of the plan, if one is close.
        suggestion: Option<String>,
        /// The plan's teams, sorted.
        teams: Vec<String>,
    },
}

/// The fix for a rule with an unknown team: the plan's teams to pick from.
fn known_teams(teams: &[String]) -> String {
    const SHOWN: usize = 12;
    if teams.is_empty() {
        return "the plan has no team column (or every team cell is blank); add one, or leave out --correlate".into();
    }
    let mut list = teams
        .iter()
        .take(SHOWN)
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if teams.len() > SHOWN {
        list.push_str(&format!(" and {} more", teams.len() - SHOWN));
    }
    format!("its teams are {list} (names are matched exactly)")
}

impl CorrelationError {
    /// The correlations file and the last of its lines in the conflict, if
    /// the file is part of it.
    pub fn place(&self) -> Option<(&str, u64)> {
        match self {
            CorrelationError::NotPositiveSemiDefinite { pairs, .. } => {
                pairs.last().map(|p| (p.file.as_str(), p.line))
            }
            CorrelationError::UnknownTeam { .. } => None,
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The least rank correlation that `n` tasks can all share: the normal
/// correlation of an equicorrelated set must be at least `-1 / (n - 1)`.
fn least_shared_rho(n: usize) -> f64 {
    if n < 2 {
        return -1.0;
    }
    let r = -1.0 / (n as f64 - 1.0);
    6.0 / std::f64::consts::PI * (r / 2.0).asin()
}

fn conflict(task: &str, pairs: &[PairSource], rules: &[RuleSource]) -> String {
    let why = format!(
        "the correlation matrix is not positive semi-definite; the conflict shows at task \"{task}\""
    );
    let pair_text: Vec<String> = pairs
        .iter()
        .map(|p| format!("{} {}", p.pair, p.rho))
        .collect();
    let lines: Vec<String> = pairs.iter().map(|p| p.line.to_string()).collect();
    let place = pairs
        .last()
        .map(|p| format!("{}:{}: ", p.file, p.line))
        .unwrap_or_default();
    let lines_text = match lines.len() {
        1 => format!("line {}", lines[0]),
        _ => format!("lines {}", and_list(&lines)),
    };
    match (pairs.is_empty(), rules) {
        (false, []) => format!(
            "{place}the rank correlations on {lines_text} cannot all hold at once: {} ({why}); move one of them toward 0, or remove it",
            and_list(&pair_text)
        ),
        (true, [rule]) => {
            let least = least_shared_rho(rule.tasks);
            // Two decimals, rounded toward 0 so that the value shown works.
            let least = (least * 100.0).ceil() / 100.0;
            format!(
                "--correlate {}: the {} tasks of team \"{}\" cannot all have rank correlation {} with each other ({why}); {} tasks sharing one correlation need it to be at least {least}, so raise it (e.g. --correlate team:{}={least}) or give the pairs that truly move apart in a correlations file",
                rule.rule, rule.tasks, rule.team, rule.rho, rule.tasks, rule.team
            )
        }
        _ => {
            let rule_text: Vec<String> = rules
                .iter()
                .map(|r| format!("--correlate {} (for team \"{}\")", r.rule, r.team))
                .collect();
            let file_text = match pairs.first() {
                Some(p) => format!(" and {} on {lines_text} ({})", p.file, and_list(&pair_text)),
                None => String::new(),
            };
            format!(
                "{place}the correlations of {}{file_text} cannot all hold at once ({why}); weaken one of them (move it toward 0)",
                and_list(&rule_text)
            )
        }
    }
}

/// A validated correlation model over the tasks it involves.
///
/// Invariant: the matrices are `k x k` with `k = tasks.len()`, row and
/// column `i` standing for `tasks[i]`; `normal` is a positive semi-definite
/// correlation matrix and `factor` its lower Cholesky factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Plan indices of the correlated tasks.
    pub tasks: Vec<usize>,
    /// Requested rank correlations.
    pub rank: Array2<f64>,
    /// Correlations of the copula's normals, `2 sin(pi rank / 6)`.
    pub normal: Array2<f64>,
    /// Lower-triangular `L` with `L L^T = normal`.
    pub factor: Array2<f64>,
    /// When the model is only non-negative team blocks: per task, its team
    /// (index into `teams`) and the normal correlation within it. Then the
    /// copula is sampled with one shared factor per team, in O(tasks).
    pub teams: Option<Vec<(usize, f64)>>,
    /// Team names, for the one-factor form.
    pub team_names: Vec<String>,
}

impl Correlation {
    /// The same correlations in another plan that shares task ids: `map`
    /// gives each correlated task's index there, `None` when it is not
    /// there. Tasks left out drop their rows and columns; with fewer than
    /// two tasks left there is nothing to correlate (`None`).
    ///
    /// # Errors
    ///
    /// None in practice: a principal submatrix of a positive semi-definite
    /// matrix is positive semi-definite; the factorisation's error is
    /// passed on all the same.
    pub fn remapped(
        &self,
        map: impl Fn(usize) -> Option<usize>,
    ) -> Result<Option<Correlation>, CholeskyError> {
        let keep: Vec<(usize, usize)> = self
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(i, &t)| map(t).map(|to| (i, to)))
            .collect();
        if keep.len() < 2 {
            return Ok(None);
        }
        let rows: Vec<usize> = keep.iter().map(|&(i, _)| i).collect();
        let tasks = keep.iter().map(|&(_, to)| to).collect();
        let sub = |m: &Array2<f64>| m.select(Axis(0), &rows).select(Axis(1), &rows);
        let normal = sub(&self.normal);
        let factor = if rows.len() == self.tasks.len() {
            self.factor.clone()
        } else {
            cholesky_psd(normal.view())?
        };
        Ok(Some(Correlation {
            tasks,
            rank: sub(&self.rank),
            factor,
            normal,
            teams: self
                .teams
                .as_ref()
                .map(|t| rows.iter().map(|&i| t[i]).collect()),
            team_names: self.team_names.clone(),
        }))
    }
}

/// The rule that sets a team's correlation: its own `team:NAME=` rule, else
/// the first `team=` rule; `None` when that is 0 or there is none.
fn team_rule<'r>(rules: &'r [TeamRule], team: &str) -> Option<&'r TeamRule> {
    let mut found = None;
    for rule in rules {
        match rule {
            TeamRule::AllTeams(_) if found.is_none() => found = Some(rule),
            TeamRule::Team(t, _) if t == team => return Some(rule),
            _ => {}
        }
    }
    found.filter(|r| matches!(r, TeamRule::AllTeams(x) if *x != 0.0))
}

fn rule_rho(rule: &TeamRule) -> f64 {
    match rule {
        TeamRule::AllTeams(x) | TeamRule::Team(_, x) => *x,
    }
}

/// Checks that every `team:NAME=` rule names a team of the plan.
fn check_teams(plan: &Plan, rules: &[TeamRule]) -> Result<(), CorrelationError> {
    let teams: BTreeSet<&str> = plan
        .tasks
        .iter()
        .filter_map(|t| t.team.as_deref())
        .collect();
    for rule in rules {
        if let TeamRule::Team(team, _) = rule
            && !teams.contains(team.as_str())
        {
            return Err(CorrelationError::UnknownTeam {
                rule: rule.to_string(),
                team: team.clone(),
                plan: plan.source.clone(),
                suggestion: closest(team, teams.iter().copied()),
                teams: teams.iter().map(|t| t.to_string()).collect(),
            });
        }
    }
    Ok(())
}

/// Builds and checks the correlation model. Pairs override team rules; a
/// team-specific rule overrides `team=`.
///
/// # Errors
///
/// [`CorrelationError::NotPositiveSemiDefinite`] when the correlations
/// contradict each other, naming the smallest set of pairs (file and lines)
/// and rules that conflict.
pub fn build_correlation(
    plan: &Plan,
    rules: &[TeamRule],
    pairs: &[Pair],
) -> Result<Option<Correlation>, CorrelationError> {
    check_teams(plan, rules)?;
    let team_rho = |team: &str| team_rule(rules, team).map(rule_rho);
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
    let mut rank = Array2::eye(k);
    for (team, m) in &members {
        let r = team_rho(team).unwrap_or(0.0);
        for &a in m {
            for &b in m {
                if a != b {
                    rank[[pos[&a], pos[&b]]] = r;
                }
            }
        }
    }
    for p in pairs {
        let (a, b) = (pos[&p.a], pos[&p.b]);
        rank[[a, b]] = p.rho;
        rank[[b, a]] = p.rho;
    }
    let normal = rank.mapv(rank_to_normal);
    let factor = cholesky_psd(normal.view()).map_err(|e| {
        let j = match e {
            CholeskyError::NotPositiveSemiDefinite { row } => row,
            CholeskyError::NotSquare { .. } => unreachable!("the matrix is k x k by construction"),
        };
        let set = conflicting_set(normal.view(), j);
        let in_set = |t: usize| set.binary_search(&pos[&t]).is_ok();
        let mut sources: Vec<PairSource> = pairs
            .iter()
            .filter(|p| in_set(p.a) && in_set(p.b))
            .map(|p| PairSource {
                file: p.file.clone(),
                line: p.line,
                pair: format!("{}~{}", plan.tasks[p.a].id, plan.tasks[p.b].id),
                rho: p.rho,
            })
            .collect();
        sources.sort_by_key(|p| p.line);
        // A team rule is part of the conflict when two of its tasks in the
        // set are not given a pair of their own.
        let paired = |a: usize, b: usize| {
            pairs
                .iter()
                .any(|p| (p.a, p.b) == (a, b) || (p.a, p.b) == (b, a))
        };
        let rules_in = members
            .iter()
            .filter(|(_, m)| {
                let m: Vec<usize> = m.iter().copied().filter(|&t| in_set(t)).collect();
                m.iter()
                    .enumerate()
                    .any(|(i, &a)| m[i + 1..].iter().any(|&b| !paired(a, b)))
            })
            .filter_map(|(team, m)| {
                team_rule(rules, team).map(|rule| RuleSource {
                    rule: rule.to_string(),
                    team: team.to_string(),
                    tasks: m.len(),
                    rho: rule_rho(rule),
                })
            })
            .collect();
        CorrelationError::NotPositiveSemiDefinite {
            task: plan.tasks[involved[j]].id.clone(),
            pairs: sources,
            rules: rules_in,
        }
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

/// Largest set whose conflict is narrowed down to a smallest one; beyond
/// it, the conflict is shown as the tasks up to the failing one that share
/// a correlation with it (each trial factorisation costs O(n^3)).
const NARROW_UP_TO: usize = 60;

/// Indices (sorted) of a small set of the correlated tasks (the rows of
/// `m`) whose correlations already conflict, given that the factorisation
/// failed at row `fail`: tasks `0..=fail` conflict, and each task whose
/// removal keeps the conflict is dropped, so every task left is needed.
fn conflicting_set(m: ArrayView2<'_, f64>, fail: usize) -> Vec<usize> {
    let sub = |idx: &[usize]| m.select(Axis(0), idx).select(Axis(1), idx);
    let mut set: Vec<usize> = (0..=fail).collect();
    if set.len() > NARROW_UP_TO {
        return set
            .into_iter()
            .filter(|&i| i == fail || m[[i, fail]] != 0.0)
            .collect();
    }
    let mut i = 0;
    while i < set.len() {
        let mut without = set.clone();
        without.remove(i);
        if without.len() >= 2 && cholesky_psd(sub(&without).view()).is_err() {
            set = without;
        } else {
            i += 1;
        }
    }
    set
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

/// Why [`cholesky_psd`] cannot factor a matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CholeskyError {
    /// The matrix is not square: its row and column counts differ.
    #[error(
        "the matrix to factor is {rows} x {cols}, not square; pass a correlation matrix, with one row and one column per correlated task"
    )]
    NotSquare {
        /// How many rows it has.
        rows: usize,
        /// How many columns it has.
        cols: usize,
    },
    /// The matrix is not positive semi-definite: row `row` cannot hold
    /// together with the rows before it.
    #[error(
        "the correlation matrix is not positive semi-definite: row {row} (0-based) contradicts the rows before it; weaken or remove one of the correlations among rows 0..={row}"
    )]
    NotPositiveSemiDefinite {
        /// The first row (0-based) at which the factorisation fails.
        row: usize,
    },
}

/// Cholesky factor `L` (lower triangular, `n x n`) of the positive
/// *semi*-definite `n x n` matrix `m`: a zero pivot is allowed when the rest
/// of its column is zero too (perfect correlation).
///
/// Cost: O(n^3) time, O(n^2) memory.
///
/// # Errors
///
/// [`CholeskyError::NotSquare`] when `m` is not square;
/// [`CholeskyError::NotPositiveSemiDefinite`] naming the first failing row.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use slipcast::plan::cholesky_psd;
///
/// let l = cholesky_psd(array![[1.0, 0.5], [0.5, 1.0]].view()).unwrap();
/// assert_eq!(l[[0, 1]], 0.0);
/// assert!((l[[1, 1]] - 0.75f64.sqrt()).abs() < 1e-12);
/// ```
pub fn cholesky_psd(m: ArrayView2<'_, f64>) -> Result<Array2<f64>, CholeskyError> {
    const TOL: f64 = 1e-9;
    let (n, cols) = m.dim();
    if n != cols {
        return Err(CholeskyError::NotSquare { rows: n, cols });
    }
    let fail = |row| Err(CholeskyError::NotPositiveSemiDefinite { row });
    let mut l = Array2::zeros((n, n));
    for j in 0..n {
        let d = m[[j, j]] - dot_before(l.row(j), l.row(j), j);
        if d < -TOL {
            return fail(j);
        }
        let djj = if d > TOL { d.sqrt() } else { 0.0 };
        l[[j, j]] = djj;
        for i in j + 1..n {
            let v = m[[i, j]] - dot_before(l.row(i), l.row(j), j);
            if djj == 0.0 {
                if v.abs() > 1e-7 {
                    return fail(j);
                }
            } else {
                l[[i, j]] = v / djj;
            }
        }
    }
    Ok(l)
}

/// `a[0] b[0] + ... + a[j - 1] b[j - 1]`, added in that order, so that the
/// factor's bits do not depend on how a library vectorises a dot product.
fn dot_before(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>, j: usize) -> f64 {
    a.iter().zip(b).take(j).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use ndarray::{array, s};

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
        for bad in [
            "team",
            "team=x",
            "team=1.5",
            "owner=0.3",
            "team:=0.3",
            "team=nan",
        ] {
            assert!(parse_correlate(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_correlate("team=1.5").unwrap_err().to_string(),
            "correlation 1.5 in \"team=1.5\" is out of range: a rank correlation is between -1 and 1 ([-1, 1])"
        );
        assert_eq!(
            TeamRule::Team("qa".into(), -0.5).to_string(),
            "team:qa=-0.5"
        );
    }

    #[test]
    fn cholesky_handles_perfect_correlation_and_rejects_contradictions() {
        let m = array![[1.0, 1.0], [1.0, 1.0]];
        let l = cholesky_psd(m.view()).unwrap();
        assert_eq!(l, array![[1.0, 0.0], [1.0, 0.0]]);
        // a~b 0.9, b~c 0.9, a~c -0.9 cannot hold together.
        let m = array![[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]];
        assert_eq!(
            cholesky_psd(m.view()),
            Err(CholeskyError::NotPositiveSemiDefinite { row: 2 })
        );
        let err = cholesky_psd(m.slice(s![..2, ..])).unwrap_err();
        assert_eq!(err, CholeskyError::NotSquare { rows: 2, cols: 3 });
        assert_eq!(
            err.to_string(),
            "the matrix to factor is 2 x 3, not square; pass a correlation matrix, with one row and one column per correlated task"
        );
        let m = array![[1.0, 0.5], [0.5, 1.0]];
        let l = cholesky_psd(m.view()).unwrap();
        assert!((l[[1, 0]] - 0.5).abs() < 1e-12 && (l[[1, 1]] - 0.75f64.sqrt()).abs() < 1e-12);
    }
}
