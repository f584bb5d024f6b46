//! The validated `report` run.

use std::path::{Path, PathBuf};

use anyhow::Result;

use slipcast::analysis::Questions;

use super::{PlanConfig, SimConfig};
use crate::cli::ReportArgs;

/// A validated `report` run.
#[derive(Debug)]
pub struct ReportConfig {
    pub plan: PlanConfig,
    pub sim: SimConfig,
    pub out: PathBuf,
    pub force: bool,
    pub questions: Questions,
    pub drivers: usize,
    /// Headcount what-ifs (`--add`).
    pub headcount: Vec<Vec<slipcast::plan::Headcount>>,
    /// The page's title (`--title`), as given.
    pub title: Option<String>,
    /// Earlier snapshots of the plan (`--history`), oldest first.
    pub history: Vec<PlanConfig>,
    /// The shard to compute (`--shard`), if the run is split.
    pub shard: Option<super::ShardConfig>,
}

impl ReportConfig {
    pub fn from_args(a: &ReportArgs) -> Result<ReportConfig> {
        let sim = SimConfig::from_args(&a.sim, Some(super::limits::FORECAST_BYTES))?;
        let plan = PlanConfig::from_args(&a.plan)?;
        if a.title.as_ref().is_some_and(|t| t.trim().is_empty()) {
            anyhow::bail!(
                "--title is empty: give the page a title (e.g. --title \"Checkout v2: week 12\"), \
                 or leave the flag out for \"Delivery forecast: PLAN\""
            );
        }
        Ok(ReportConfig {
            shard: super::ShardConfig::from_args(&a.shard, super::env_var, std::env::args())?,
            questions: super::questions(&a.questions)?,
            out: a
                .folder
                .out
                .clone()
                .unwrap_or_else(|| default_out(&a.plan.plan)),
            force: a.folder.force,
            drivers: a.drivers,
            headcount: super::parse_what_ifs(&a.add)?,
            title: a.title.clone(),
            history: a
                .history
                .iter()
                .map(|p| PlanConfig {
                    sources: slipcast::plan::Sources {
                        plan: p.clone(),
                        ..plan.sources.clone()
                    },
                    input: plan.input.clone(),
                })
                .collect(),
            sim,
            plan,
        })
    }
}

/// `reports/NAME` for the plan file `.../NAME.csv`.
fn default_out(plan: &Path) -> PathBuf {
    let name = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "report".into());
    Path::new("reports").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_folder_is_named_after_the_plan() {
        assert_eq!(
            default_out(Path::new("data/examples/checkout-v2.csv")),
            Path::new("reports/checkout-v2")
        );
    }
}
