//! The validated `import` run.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use slipcast::plan::Sources;

use super::{OutputConfig, ReadConfig, generated_at};
use crate::cli::ImportArgs;

/// A validated `import` run.
#[derive(Debug)]
pub struct ImportConfig {
    /// The P6 file, and how to read it.
    pub sources: Sources,
    /// `--json`, `--out` (required by the flags) and `--force`.
    pub output: OutputConfig,
    pub out: PathBuf,
    pub quiet: bool,
    /// When the import is said to be made.
    pub generated: DateTime<Utc>,
}

impl ImportConfig {
    pub fn from_args(a: &ImportArgs) -> Result<ImportConfig> {
        let read = ReadConfig::from_args(&a.read)?;
        let output = OutputConfig::from_args(&a.output);
        Ok(ImportConfig {
            sources: Sources {
                encoding: read.encoding,
                import: read.import,
                ranges: a.ranges.clone(),
                ..Sources::plan(&a.xer)
            },
            out: output
                .out
                .clone()
                .context("slipcast import needs --out DIR, the folder to write")?,
            output,
            quiet: a.quiet.quiet,
            generated: generated_at()?,
        })
    }
}
