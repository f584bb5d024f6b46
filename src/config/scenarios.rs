//! Validated configurations of `cutline` and `compare`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use slipcast::analysis::Confidence;
use slipcast::plan::{Headcount, Sources};

use super::{InputConfig, OutputConfig, PlanConfig, SimConfig, parse_rules};
use crate::cli::{CompareArgs, CutlineArgs, Percent};

/// A validated `cutline` run.
#[derive(Debug)]
pub struct CutlineConfig {
    pub plan: PlanConfig,
    pub target: NaiveDate,
    pub confidence: Confidence,
    pub sim: SimConfig,
    pub output: OutputConfig,
    /// The shard to compute (`--shard`), if the run is split.
    pub shard: Option<super::ShardConfig>,
}

/// A validated `compare` run.
#[derive(Debug)]
pub struct CompareConfig {
    /// Each scenario's plan and files, all with the same calendar.
    pub scenarios: Vec<PlanConfig>,
    /// Each scenario's headcount what-if (`--add`), if any.
    pub headcount: Vec<Option<Vec<Headcount>>>,
    pub input: InputConfig,
    pub target: Option<NaiveDate>,
    pub sim: SimConfig,
    pub output: OutputConfig,
    /// The scenarios' names from a manifest (else made from the files).
    pub labels: Option<Vec<String>>,
    /// Per scenario, the priority its scope is cut from (manifest `cut`).
    pub cuts: Vec<Option<i64>>,
    /// The manifest file, if the scenarios came from one.
    pub manifest: Option<PathBuf>,
    /// The shard to compute (`--shard`), if the run is split.
    pub shard: Option<super::ShardConfig>,
}

/// One row of a `--manifest`.
struct Row {
    label: String,
    sources: [Option<PathBuf>; 6],
    add: Option<Vec<Headcount>>,
    cut: Option<i64>,
}

/// The columns of a manifest: the name, the plan and its files (in
/// `Row::sources` order), the what-if and the cut.
const MANIFEST_COLUMNS: &[&str] = &[
    "scenario",
    "plan",
    "edges",
    "risks",
    "correlations",
    "teams",
    "ranges",
    "add",
    "cut",
];

/// Reads a `--manifest` CSV: every problem at once, each with its line and
/// scenario.
fn read_manifest(path: &Path) -> Result<Vec<Row>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the manifest {shown}"))?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{shown}: no header row"))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut problems = Vec::new();
    for h in &headers {
        if !MANIFEST_COLUMNS.contains(&h.as_str()) {
            problems.push(format!(
                "{shown} line 1: unknown column \"{h}\"; the columns are {}",
                MANIFEST_COLUMNS.join(", ")
            ));
        }
    }
    for need in ["scenario", "plan"] {
        if !headers.iter().any(|h| h == need) {
            problems.push(format!(
                "{shown} line 1: no {need} column; a manifest needs scenario and plan"
            ));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows: Vec<Row> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{shown} line {line}: {e}"));
                continue;
            }
        };
        let cell = |name: &str| {
            col(name)
                .and_then(|c| record.get(c))
                .filter(|v| !v.is_empty() && *v != "-")
                .map(str::to_string)
        };
        let label = cell("scenario").unwrap_or_default();
        let at = format!("{shown} line {line}, scenario \"{label}\"");
        if label.is_empty() {
            problems.push(format!("{shown} line {line}: the scenario has no name; give each row a name in the scenario column"));
        } else if rows.iter().any(|r| r.label == label) {
            problems.push(format!(
                "{at}: the name is used twice; give each scenario its own"
            ));
        }
        let file = |name: &str| cell(name).map(|v| base.join(v));
        let plan = file("plan");
        if plan.is_none() {
            problems.push(format!(
                "{at}: no plan; give the plan file in the plan column"
            ));
        }
        let add = match cell("add") {
            None => None,
            Some(v) => match super::parse_what_ifs(std::slice::from_ref(&v)) {
                Ok(mut w) => Some(w.remove(0)),
                Err(e) => {
                    problems.push(format!("{at}: {e:#}"));
                    None
                }
            },
        };
        let cut = match cell("cut") {
            None => None,
            Some(v) => match v.parse::<i64>() {
                Ok(p) => Some(p),
                Err(_) => {
                    problems.push(format!(
                        "{at}: cut \"{v}\" is not a priority; give the priority to cut from \
                         (e.g. 4 cuts priorities 4 and lower), or leave it empty"
                    ));
                    None
                }
            },
        };
        rows.push(Row {
            label,
            sources: [
                plan,
                file("edges"),
                file("risks"),
                file("correlations"),
                file("teams"),
                file("ranges"),
            ],
            add,
            cut,
        });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(format!("{shown}: no scenarios; give one row per scenario"));
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(rows)
}

/// Reads `--target`: a YYYY-MM-DD date (checked against the plan's start
/// once the plan is read: [`crate::commands::check_target`]).
pub fn parse_target(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| {
        format!("--target \"{s}\" is not a date; write it as YYYY-MM-DD, e.g. --target 2027-03-31")
    })
}

/// Reads `--confidence`: a percentage, so a fraction such as `0.8` (with
/// no `%` sign) is refused with the percentage it probably means.
pub fn parse_confidence(pct: Percent) -> Result<Confidence> {
    let v = pct.value;
    if !pct.sign && v > 0.0 && v < 1.0 {
        // 0.07 * 100 is 7.000000000000001 in binary; say 7.
        let p = (v * 100.0 * 1e9).round() / 1e9;
        bail!(
            "--confidence {v}: a confidence is a percentage, so {v} would be P{v}; did you mean {p}? Write --confidence {p} (or {p}%)"
        );
    }
    Confidence::new(v).map_err(|e| anyhow::anyhow!("--confidence: {e}"))
}

/// Spreads a per-scenario file flag over `n` scenarios: none, one for every
/// scenario, or one per scenario in order with `-` for none.
pub fn per_scenario(flag: &str, values: &[String], n: usize) -> Result<Vec<Option<PathBuf>>> {
    let file = |v: &String| (v.trim() != "-").then(|| PathBuf::from(v));
    match values.len() {
        0 => Ok(vec![None; n]),
        1 => Ok(vec![file(&values[0]); n]),
        k if k == n => Ok(values.iter().map(file).collect()),
        k => bail!(
            "{flag} is given {k} times for {n} plans; give it once (for every plan) or once per \
             plan in the order of the plans, with {flag} - for a plan without one"
        ),
    }
}

impl CutlineConfig {
    pub fn from_args(a: &CutlineArgs) -> Result<CutlineConfig> {
        let plan = PlanConfig::from_args(&a.plan)?;
        let shard = super::ShardConfig::from_args(&a.shard, super::env_var, std::env::args())?;
        if shard.is_some() && (a.output.json || a.output.folder.out.is_some()) {
            bail!(
                "--shard writes only the shard's partial file; give --json or --out to \
                 `slipcast merge`, which finishes the run"
            );
        }
        Ok(CutlineConfig {
            shard,
            target: parse_target(&a.target)?,
            confidence: parse_confidence(a.confidence)?,
            sim: SimConfig::from_args(&a.sim, Some(super::limits::CUTLINE_BYTES))?,
            output: OutputConfig::from_args(&a.output),
            plan,
        })
    }
}

impl CompareConfig {
    pub fn from_args(a: &CompareArgs) -> Result<CompareConfig> {
        let shard = super::ShardConfig::from_args(&a.shard, super::env_var, std::env::args())?;
        if shard.is_some() && (a.output.json || a.output.folder.out.is_some()) {
            bail!(
                "--shard writes only the shard's partial file; give --json or --out to \
                 `slipcast merge`, which finishes the run"
            );
        }
        let mut cfg = match &a.manifest {
            Some(m) => Self::from_manifest(a, m)?,
            None => Self::from_plans(a)?,
        };
        cfg.shard = shard;
        Ok(cfg)
    }

    /// The scenarios of a `--manifest`.
    fn from_manifest(a: &CompareArgs, manifest: &Path) -> Result<CompareConfig> {
        let input = InputConfig::from_args(&a.input)?;
        let rows = read_manifest(manifest)?;
        let correlate = parse_rules(&a.correlate)?;
        let n = rows.len();
        let scenarios = rows
            .iter()
            .map(|r| {
                let [plan, edges, risks, correlations, teams, ranges] = r.sources.clone();
                PlanConfig {
                    sources: Sources {
                        plan: plan.expect("checked"),
                        edges,
                        risks,
                        ranges,
                        correlations,
                        correlate: correlate.clone(),
                        teams,
                        calendars: input.calendars.clone(),
                        encoding: input.encoding,
                        import: input.import.clone(),
                        exports: input.exports.clone(),
                    },
                    input: input.clone(),
                }
            })
            .collect();
        Ok(CompareConfig {
            headcount: rows.iter().map(|r| r.add.clone()).collect(),
            labels: Some(rows.iter().map(|r| r.label.clone()).collect()),
            cuts: rows.iter().map(|r| r.cut).collect(),
            manifest: Some(manifest.to_path_buf()),
            shard: None,
            scenarios,
            target: a.target.as_deref().map(parse_target).transpose()?,
            input,
            sim: SimConfig::from_args(&a.sim, Some(super::limits::compare_bytes(n)))?,
            output: OutputConfig::from_args(&a.output),
        })
    }

    /// The scenarios of PLAN... and the per-scenario flags.
    fn from_plans(a: &CompareArgs) -> Result<CompareConfig> {
        let input = InputConfig::from_args(&a.input)?;
        let n = a.plans.len();
        let edges = per_scenario("--edges", &a.edges, n)?;
        let risks = per_scenario("--risks", &a.risks, n)?;
        let correlations = per_scenario("--correlations", &a.correlations, n)?;
        let ranges = per_scenario("--ranges", &a.ranges, n)?;
        let teams = per_scenario("--teams", &a.teams, n)?;
        let correlate = parse_rules(&a.correlate)?;
        let mut scenarios: Vec<PlanConfig> = (0..n)
            .map(|i| PlanConfig {
                sources: Sources {
                    plan: a.plans[i].clone(),
                    edges: edges[i].clone(),
                    risks: risks[i].clone(),
                    ranges: ranges[i].clone(),
                    correlations: correlations[i].clone(),
                    correlate: correlate.clone(),
                    teams: teams[i].clone(),
                    calendars: input.calendars.clone(),
                    encoding: input.encoding,
                    import: input.import.clone(),
                    exports: input.exports.clone(),
                },
                input: input.clone(),
            })
            .collect();
        let what_ifs = a
            .add
            .iter()
            .map(|v| {
                (v.trim() != "-")
                    .then(|| {
                        super::parse_what_ifs(std::slice::from_ref(v)).map(|mut w| w.remove(0))
                    })
                    .transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        let headcount = match (n, what_ifs.len()) {
            (_, 0) => vec![None; n],
            // One plan: each what-if is a scenario against it.
            (1, _) => {
                let base = scenarios.remove(0);
                scenarios = vec![base; what_ifs.len() + 1];
                std::iter::once(None).chain(what_ifs).collect()
            }
            (n, k) if k == n => what_ifs,
            (n, k) => bail!(
                "--add is given {k} times for {n} plans; with one plan, each --add is a \
                 scenario against it; with several, give it once per plan in the order of the \
                 plans, with --add - for a plan without one"
            ),
        };
        Ok(CompareConfig {
            labels: None,
            cuts: Vec::new(),
            manifest: None,
            shard: None,
            headcount,
            scenarios,
            target: a.target.as_deref().map(parse_target).transpose()?,
            input,
            sim: SimConfig::from_args(&a.sim, Some(super::limits::compare_bytes(n)))?,
            output: OutputConfig::from_args(&a.output),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_scenario_files() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(per_scenario("--edges", &[], 2).unwrap(), [None, None]);
        let one = per_scenario("--edges", &v(&["e.csv"]), 3).unwrap();
        assert!(one.iter().all(|e| e.as_deref() == Some("e.csv".as_ref())));
        let each = per_scenario("--edges", &v(&["-", "b.csv"]), 2).unwrap();
        assert_eq!(each, [None, Some(PathBuf::from("b.csv"))]);
        let err = per_scenario("--edges", &v(&["a", "b"]), 3).unwrap_err();
        assert!(
            err.to_string().contains("given 2 times for 3 plans"),
            "{err}"
        );
    }
}
