//! `--out` folders: checked before the run, published as a whole set after.

use std::path::Path;

use anyhow::Result;

use std::io::Write;

use serde::Serialize;
use slipcast::analysis::Made;
use slipcast::report::inert::visible;
use slipcast::report::{Destination, ExportError, Exporter, OutputSet, Step, Views};

use crate::config::{OutputConfig, PlanConfig};

/// The environment variable that stops the process right after the N-th
/// step of a publish (1-based), as a kill at that instant would: for the
/// tests that check that no instant leaves a broken folder.
const ABORT_AFTER_STEP: &str = "SLIPCAST_TEST_ABORT_AFTER_STEP";

/// Every input file of these plans, to keep out of the output folder.
pub fn inputs<'a>(plans: impl IntoIterator<Item = &'a PlanConfig>) -> Vec<&'a Path> {
    plans.into_iter().flat_map(PlanConfig::inputs).collect()
}

/// Checks `--out` before any work: see [`Destination::check`].
pub fn check(out: &Path, kind: &'static str, force: bool, inputs: &[&Path]) -> Result<Destination> {
    Ok(Destination::check(out, kind, force, inputs)?)
}

/// Publishes `set` to `dest` and says what was written unless `quiet`.
pub fn publish(dest: &Destination, set: &OutputSet, quiet: bool) -> Result<()> {
    let abort_at: Option<u64> = std::env::var(ABORT_AFTER_STEP)
        .ok()
        .and_then(|v| v.parse().ok());
    let mut steps = 0;
    let mut hook = |_: &Step| {
        steps += 1;
        if abort_at == Some(steps) {
            std::process::abort();
        }
    };
    dest.publish_with(set, &mut hook)?;
    if !quiet {
        let names: Vec<&str> = set.names().collect();
        let dir = dest.path().display().to_string();
        eprintln!("wrote {}: {}", visible(&dir), names.join(", "));
    }
    Ok(())
}

/// Writes a result the way every command does: its JSON on stdout with
/// `--json`, else its terminal text unless `quiet`; then, with `--out`, its
/// folder as one set.
pub fn emit<R: Serialize + Made>(
    views: &Views<R>,
    result: &R,
    out: &OutputConfig,
    quiet: bool,
    dest: Option<&Destination>,
) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if out.json {
        stdout.write_all(&views.json.render(result)?)?;
    } else if !quiet {
        stdout.write_all(&views.terminal.render(result)?)?;
    }
    drop(stdout);
    if let Some(dest) = dest {
        let set = views.set(result).map_err(|e| match e {
            ExportError::Chart(c) => ExportError::Chart(c.in_dir(dest.path())),
            e => e,
        })?;
        publish(dest, &set, quiet)?;
    }
    Ok(())
}
