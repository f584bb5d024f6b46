//! Helpers shared by the CLI test files (each test file uses a subset).
#![allow(dead_code)]

pub mod capacity;

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

/// A forecast's JSON without what names the files it was read from, nor
/// the tasks' WBS paths (the imported file's; the plan CSV's `wbs` column
/// is there to read, not read back).
pub fn numbers(mut v: Value) -> Value {
    let m = v.as_object_mut().expect("a JSON object");
    for key in ["plan", "calendars"] {
        m.remove(key);
    }
    // What the start is called: the source tool's word (an MS Project
    // status date is a data date once imported).
    if let Some(c) = m.get_mut("calendar").and_then(Value::as_object_mut) {
        c.remove("axis_start");
    }
    for t in m["tasks"].as_array_mut().expect("tasks") {
        t.as_object_mut().expect("a task").remove("wbs");
    }
    v
}

/// `import FILE --out DIR` (a P6 or MS Project file) with `range`, then the
/// forecast of the file and of the CSV (same seed, same range, `extra`
/// flags for both): the same numbers. Returns the import report.
pub fn import_round_trip(file: &str, range: &[&str], extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("imported");
    let out_s = out.display().to_string();
    slipcast()
        .args(["import", file, "--out", &out_s, "-q"])
        .args(range)
        .assert()
        .success();
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("import.json")).unwrap()).unwrap();
    let start = report["start"].as_str().unwrap().to_string();
    let run = ["-n", "5000", "--drivers", "3", "--json", "-q"];
    let from_file = json(
        slipcast()
            .args(["forecast", file])
            .args(range)
            .args(run)
            .args(extra),
    );
    let plan = out.join("plan.csv").display().to_string();
    let calendars = out.join("calendars.csv").display().to_string();
    let from_csv = json(
        slipcast()
            .args([
                "forecast",
                &plan,
                "--calendars",
                &calendars,
                "--start",
                &start,
            ])
            .args(run)
            .args(extra),
    );
    assert_eq!(from_csv["plan"], plan.as_str());
    assert_eq!(from_csv["calendars"], calendars.as_str());
    assert!(from_file.get("calendars").is_none());
    let (a, b) = (numbers(from_file), numbers(from_csv));
    // The headline first, for a readable failure.
    assert_eq!(a["percentiles"], b["percentiles"], "{file}");
    assert_eq!(a["tasks"], b["tasks"], "{file}");
    assert_eq!(a, b, "{file}");
    report
}
