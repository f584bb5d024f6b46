//! The validated `report` run.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{PlanConfig, check_threads, checked_iterations};
use crate::cli::ReportArgs;

/// A validated `report` run.
#[derive(Debug)]
pub struct ReportConfig {
    pub plan: PlanConfig,
    pub out: PathBuf,
    pub force: bool,
    pub iterations: u64,
    pub seed: u64,
    pub milestone: Option<String>,
    pub drivers: usize,
    pub threads: Option<usize>,
    pub quiet: bool,
}

impl ReportConfig {
    pub fn from_args(a: &ReportArgs) -> Result<ReportConfig> {
        let iterations = checked_iterations(&a.iterations)?;
        check_threads(a.threads)?;
        super::check_memory(iterations, super::limits::FORECAST_BYTES)?;
        Ok(ReportConfig {
            plan: PlanConfig::from_args(&a.plan)?,
            out: a.out.clone().unwrap_or_else(|| default_out(&a.plan.plan)),
            force: a.force,
            iterations,
            seed: a.seed,
            milestone: a.milestone.clone(),
            drivers: a.drivers,
            threads: a.threads,
            quiet: a.quiet,
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
