//! `slipcast import`: a P6 file as a plan CSV and its calendars.

use std::io::Write;

use anyhow::Result;

use slipcast::plan::Scenario;
use slipcast::report::{IMPORT_JSON, import_set, import_text};

use super::output;
use crate::config::ImportConfig;

/// `slipcast import`.
pub fn import(cfg: &ImportConfig) -> Result<()> {
    let sc = Scenario::load(cfg.sources.clone(), None)?;
    super::say_warnings(&sc, cfg.quiet);
    let inputs: Vec<&std::path::Path> = cfg.sources.inputs().collect();
    let dest = output::check(&cfg.out, "import", cfg.output.force, &inputs)?;
    let imported = slipcast::analysis::import(&sc, cfg.generated)?;
    let set = import_set(&imported)?;
    let mut stdout = std::io::stdout().lock();
    if cfg.output.json {
        stdout.write_all(set.file(IMPORT_JSON).unwrap_or_default())?;
    } else if !cfg.quiet {
        let dir = cfg.out.display().to_string();
        stdout.write_all(import_text(&imported, &dir).as_bytes())?;
    }
    drop(stdout);
    output::publish(&dest, &set, cfg.quiet)
}
