//! The validated `report` run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{MAX_ITERATIONS, PlanConfig, parse_count};
use crate::cli::ReportArgs;

/// A validated `report` run.
#[derive(Debug)]
pub struct ReportConfig {
    pub plan: PlanConfig,
    pub out: PathBuf,
    pub iterations: u64,
    pub seed: u64,
    pub milestone: Option<String>,
    pub drivers: usize,
    pub threads: Option<usize>,
    pub quiet: bool,
}

impl ReportConfig {
    pub fn from_args(a: &ReportArgs) -> Result<ReportConfig> {
        let iterations = parse_count(&a.iterations)
            .with_context(|| format!("--iterations \"{}\"", a.iterations))?;
        if iterations == 0 || iterations > MAX_ITERATIONS {
            bail!("--iterations {iterations} is out of range; use 1 to {MAX_ITERATIONS} (e.g. 1M)");
        }
        if a.threads == Some(0) {
            bail!("--threads 0: use at least 1, or leave it out to use every core");
        }
        Ok(ReportConfig {
            plan: PlanConfig::from_args(&a.plan)?,
            out: a.out.clone().unwrap_or_else(|| default_out(&a.plan.plan)),
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
