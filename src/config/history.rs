//! The validated configuration of `history`.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use slipcast::plan::Sources;

use super::scenarios::{parse_target, per_scenario};
use super::{InputConfig, OutputConfig, PlanConfig, SimConfig, parse_rules};
use crate::cli::HistoryArgs;

/// A validated `history` run.
#[derive(Debug)]
pub struct HistoryConfig {
    /// Each snapshot's plan and files, all on the same calendar.
    pub snapshots: Vec<PlanConfig>,
    /// Each snapshot's `--as-of`, if given.
    pub as_of: Vec<Option<NaiveDate>>,
    pub input: InputConfig,
    pub target: Option<NaiveDate>,
    pub watermelon: f64,
    pub sim: SimConfig,
    pub output: OutputConfig,
}

impl HistoryConfig {
    pub fn from_args(a: &HistoryArgs) -> Result<HistoryConfig> {
        if let Some(s) = &a.input.start {
            bail!(
                "--start {s}: each snapshot is forecast from its own data date; give it with \
                 --as-of (once per snapshot, in order), or leave it to the file or its name"
            );
        }
        if let Some(c) = &a.input.calendars {
            bail!(
                "--calendars {}: a history of plan CSVs on their own calendars is not supported \
                 yet; give the P6 or MS Project files themselves, or leave --calendars out",
                c.display()
            );
        }
        if !(a.watermelon.is_finite() && a.watermelon >= 0.0) {
            bail!(
                "--watermelon {}: give the P80 slip, in days, from which a move with the plan \
                 date standing still is flagged, e.g. --watermelon 5",
                a.watermelon
            );
        }
        let input = InputConfig::from_args(&a.input)?;
        let n = a.snapshots.len();
        let as_of = match a.as_of.len() {
            0 => vec![None; n],
            k if k == n => a
                .as_of
                .iter()
                .map(|s| {
                    (s.trim() != "-")
                        .then(|| {
                            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| {
                                format!(
                                    "--as-of \"{s}\" is not a date; write it as YYYY-MM-DD, \
                                     e.g. --as-of 2027-01-18 (or - to take it from the file)"
                                )
                            })
                        })
                        .transpose()
                })
                .collect::<Result<_>>()?,
            k => bail!(
                "--as-of is given {k} times for {n} snapshots; give it once per snapshot in \
                 order, with --as-of - for a snapshot whose file carries its data date"
            ),
        };
        let edges = per_scenario("--edges", &a.edges, n)?;
        let risks = per_scenario("--risks", &a.risks, n)?;
        let correlations = per_scenario("--correlations", &a.correlations, n)?;
        let ranges = per_scenario("--ranges", &a.ranges, n)?;
        let correlate = parse_rules(&a.correlate)?;
        let snapshots = (0..n)
            .map(|i| PlanConfig {
                sources: Sources {
                    plan: a.snapshots[i].clone(),
                    edges: edges[i].clone(),
                    risks: risks[i].clone(),
                    ranges: ranges[i].clone(),
                    correlations: correlations[i].clone(),
                    correlate: correlate.clone(),
                    teams: None,
                    calendars: None,
                    encoding: input.encoding,
                    import: input.import.clone(),
                    exports: input.exports.clone(),
                },
                input: input.clone(),
            })
            .collect();
        Ok(HistoryConfig {
            snapshots,
            as_of,
            target: a.target.as_deref().map(parse_target).transpose()?,
            watermelon: a.watermelon,
            sim: SimConfig::from_args(&a.sim, Some(super::limits::FORECAST_BYTES))?,
            output: OutputConfig::from_args(&a.output),
            input,
        })
    }
}
