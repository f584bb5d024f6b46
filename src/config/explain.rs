//! The validated `explain` run.

use anyhow::Result;

use slipcast::analysis::Confidence;

use super::{OutputConfig, PlanConfig, SimConfig};
use crate::cli::ExplainArgs;

/// A validated `explain` run.
#[derive(Debug)]
pub struct ExplainConfig {
    pub plan: PlanConfig,
    pub sim: SimConfig,
    pub output: OutputConfig,
    /// The percentile explained (`--at`).
    pub at: Confidence,
}

impl ExplainConfig {
    pub fn from_args(a: &ExplainArgs) -> Result<ExplainConfig> {
        Ok(ExplainConfig {
            // A run keeps each iteration's finish and the sorted copy, as a
            // forecast does.
            sim: SimConfig::from_args(&a.sim, Some(super::limits::FORECAST_BYTES))?,
            plan: PlanConfig::from_args(&a.plan)?,
            output: OutputConfig::from_args(&a.output),
            at: Confidence::new(a.at).map_err(|e| anyhow::anyhow!("--at: {e}"))?,
        })
    }
}
