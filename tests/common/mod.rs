//! Helpers shared by the CLI test files (each test file uses a subset).
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The time every test run is said to be generated: 2027-01-01T00:00:00Z.
pub const SOURCE_DATE_EPOCH: &str = "1798761600";

/// The binary, run from the crate root so that `data/...` paths resolve and
/// messages name the files as the user typed them.
pub fn slipcast() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipcast"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RAYON_NUM_THREADS")
        // Outputs record when they were generated; a fixed time (the
        // reproducible-builds convention) keeps runs byte-comparable.
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        // Safety net: every run here takes well under a second.
        .timeout(Duration::from_secs(120));
    cmd
}

/// Writes `text` to `dir/name` and returns the path as text.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs a command that must succeed and returns its stdout.
#[allow(dead_code)]
pub fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// Runs a command that must fail with exit code 1 and returns its stderr.
#[allow(dead_code)]
pub fn refusal(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().code(1).get_output().stderr.clone()).unwrap()
}

/// Runs a command that must succeed and parses its stdout as JSON.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out)))
}
