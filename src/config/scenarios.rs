//! Validated configurations of `cutline` and `compare`.

use std::path::PathBuf;

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
        Ok(CutlineConfig {
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
