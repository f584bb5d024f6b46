//! Outputs never lose or clobber a user's file: every `--out` set is
//! published whole and atomically, only over a folder slipcast wrote, never
//! over an input; limits are checked before any work; and answers past the
//! supported range are errors, not clamped dates.
//!
//! Each reproducer below was found by trying to break slipcast's outputs;
//! every test checks the folder of user files byte for byte afterwards.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use common::slipcast;

/// The three-task plan of the reproducers.
const ABC: &str = "id,low,likely,high\na,1,2,3\nb,1,2,3\nc,1,2,3\n";
const MANIFEST: &str = ".slipcast-manifest.json";

/// slipcast, run in `cwd`.
fn run_in(cwd: &Path) -> Command {
    let mut cmd = slipcast();
    cmd.current_dir(cwd);
    cmd
}

/// Every file below `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                all.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    all
}

fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Asserts that `dir` holds exactly one complete set, every file as its
/// manifest lists it, and returns the seed of the run that wrote it (`None`
/// if there is no folder).
fn one_complete_set(dir: &Path) -> Option<u64> {
    if !dir.exists() {
        return None;
    }
    let m: Value = serde_json::from_slice(&fs::read(dir.join(MANIFEST)).unwrap())
        .unwrap_or_else(|e| panic!("{}: manifest unreadable: {e}", dir.display()));
    let mut listed: BTreeSet<String> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    for f in m["files"].as_array().unwrap() {
        let bytes = fs::read(dir.join(f["name"].as_str().unwrap())).unwrap();
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap(), "{f}");
        assert_eq!(sha256(&bytes), f["sha256"].as_str().unwrap(), "{f}");
    }
    listed.insert(MANIFEST.into());
    assert_eq!(names(dir), listed, "files beside the manifest's");
    let forecast: Value =
        serde_json::from_slice(&fs::read(dir.join("forecast.json")).unwrap()).unwrap();
    Some(forecast["seed"].as_u64().unwrap())
}

fn setup() -> TempDir {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("abc.csv"), ABC).unwrap();
    tmp
}

/// `slipcast COMMAND abc.csv` with a small run, writing `--out out`.
fn small(command: &str, cwd: &Path, out: &str) -> Command {
    let mut cmd = run_in(cwd);
    cmd.args([
        command,
        "abc.csv",
        "--start",
        "2027-01-04",
        "-n",
        "2000",
        "-q",
    ])
    .args(["--out", out]);
    cmd
}

fn forecast(cwd: &Path, out: &str) -> Command {
    small("forecast", cwd, out)
}

fn report(cwd: &Path, out: &str) -> Command {
    small("report", cwd, out)
}

/// Reproducer: `report --out docs` deleted `docs/notes.txt` because the
/// folder happened to hold an `index.html` and a `forecast.json`.
#[test]
fn report_never_deletes_files_it_did_not_write() {
    let tmp = setup();
    let docs = tmp.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("notes.txt"), "keep").unwrap();
    fs::write(docs.join("index.html"), "<html>site</html>").unwrap();
    fs::write(docs.join("forecast.json"), "{}").unwrap();
    let before = snapshot(tmp.path());
    for cmd in [
        &mut forecast(tmp.path(), "docs"),
        &mut report(tmp.path(), "docs"),
    ] {
        cmd.arg("--force")
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "cannot write 'docs': it holds files slipcast did not write (it has no slipcast manifest): \
                 forecast.json, index.html, notes.txt.",
            ))
            .stderr(predicate::str::contains("Choose a new or empty folder"));
        assert_eq!(snapshot(tmp.path()), before);
    }
}

/// Reproducer: `forecast tasks.csv --out .` replaced the plan with the
/// export of the same name; `cutline` and `compare` wrote over files too.
#[test]
fn out_never_writes_over_an_input_or_a_users_folder() {
    let tmp = setup();
    fs::write(tmp.path().join("tasks.csv"), ABC).unwrap();
    let before = snapshot(tmp.path());
    let start = ["--start", "2027-01-04", "-n", "2000", "-q", "--force"];
    run_in(tmp.path())
        .args(["forecast", "tasks.csv", "--out", "."])
        .args(start)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot write '.': the input 'tasks.csv' is inside it",
        ));
    run_in(tmp.path())
        .args([
            "cutline",
            "tasks.csv",
            "--target",
            "2027-02-01",
            "--out",
            ".",
        ])
        .args(start)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the input 'tasks.csv' is inside it",
        ));
    run_in(tmp.path())
        .args(["compare", "abc.csv", "tasks.csv", "--out", "."])
        .args(start)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the input 'abc.csv' is inside it"));
    // An input inside a folder slipcast wrote is named as such.
    forecast(tmp.path(), "out").assert().success();
    fs::write(tmp.path().join("out/plan.csv"), ABC).unwrap();
    let inside = snapshot(tmp.path());
    run_in(tmp.path())
        .args(["forecast", "out/plan.csv", "--out", "out"])
        .args(start)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot write 'out': the input 'out/plan.csv' is inside it",
        ));
    // A file as --out is never replaced, an input or not.
    forecast(tmp.path(), "abc.csv")
        .arg("--force")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot write 'abc.csv': it is an input of this run",
        ));
    forecast(tmp.path(), "tasks.csv")
        .arg("--force")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot write 'tasks.csv': it is a file, not a folder",
        ));
    assert_eq!(snapshot(tmp.path()), inside);
    assert_eq!(before.len() + 6, inside.len());
}

/// A folder slipcast wrote is replaced on a rerun; with a user's file in it,
/// never (not even with --force); edited files and another command's set
/// need --force.
#[test]
fn replaces_only_what_it_wrote() {
    let tmp = setup();
    let out = tmp.path().join("out");
    forecast(tmp.path(), "out")
        .args(["--seed", "1"])
        .assert()
        .success();
    assert_eq!(one_complete_set(&out), Some(1));
    forecast(tmp.path(), "out")
        .args(["--seed", "2"])
        .assert()
        .success();
    assert_eq!(one_complete_set(&out), Some(2));

    fs::write(out.join("tasks.csv"), "my edits").unwrap();
    forecast(tmp.path(), "out")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot write 'out': 'tasks.csv' was changed after slipcast wrote it (",
        ))
        .stderr(predicate::str::contains(
            "Pass --force to replace the folder anyway",
        ));
    assert_eq!(fs::read(out.join("tasks.csv")).unwrap(), b"my edits");
    forecast(tmp.path(), "out")
        .args(["--seed", "3", "--force"])
        .assert()
        .success();
    assert_eq!(one_complete_set(&out), Some(3));

    report(tmp.path(), "out")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "it holds a slipcast forecast set (",
        ))
        .stderr(predicate::str::contains(
            "which this report set would replace. Pass --force",
        ));
    report(tmp.path(), "out")
        .args(["--seed", "4", "--force"])
        .assert()
        .success();
    assert_eq!(one_complete_set(&out), Some(4));
    assert!(out.join("index.html").is_file());

    fs::write(out.join("notes.txt"), "keep").unwrap();
    let before = snapshot(tmp.path());
    report(tmp.path(), "out")
        .arg("--force")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "it holds files slipcast did not write: notes.txt.",
        ));
    assert_eq!(snapshot(tmp.path()), before);
    // Nothing but the folder and the plan beside it.
    assert_eq!(
        names(tmp.path()),
        BTreeSet::from(["abc.csv".into(), "out".into()])
    );
}

/// Stops `cmd` right after publish step `step`, as a kill would.
fn aborted_at(mut cmd: Command, step: u32) -> bool {
    let out = cmd
        .env("SLIPCAST_TEST_ABORT_AFTER_STEP", step.to_string())
        .output()
        .unwrap();
    if out.status.success() {
        return false;
    }
    assert!(
        out.stderr.is_empty() || !String::from_utf8_lossy(&out.stderr).contains("Error:"),
        "step {step}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// Copies the files of folder `from` into a new folder `to`.
fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A kill at every step of the publish, into a new folder (when `fresh`)
/// and over a previous run's, leaves exactly one complete set (the old or
/// the new), and the next run leaves no stray file. Returns how many steps
/// the replacing publish took.
fn kill_at_every_step(command: fn(&Path, &str) -> Command, fresh: bool) -> u32 {
    let tmp = setup();
    let out = tmp.path().join("out");
    // The previous run's folder, copied into place before every step.
    let old = TempDir::new().unwrap();
    let template = old.path().join("seed-1");
    command(tmp.path(), "seed-1")
        .args(["--seed", "1"])
        .assert()
        .success();
    fs::rename(tmp.path().join("seed-1"), &template).unwrap();
    let mut steps = 0;
    for replacing in [false, true] {
        if !replacing && !fresh {
            continue;
        }
        for step in 1.. {
            if out.exists() {
                fs::remove_dir_all(&out).unwrap();
            }
            if replacing {
                copy_folder(&template, &out);
            }
            let mut cmd = command(tmp.path(), "out");
            cmd.args(["--seed", "2"]);
            let killed = aborted_at(cmd, step);
            let seed = one_complete_set(&out);
            if replacing {
                assert!(matches!(seed, Some(1 | 2)), "step {step}: {seed:?}");
            } else {
                assert!(matches!(seed, None | Some(2)), "step {step}: {seed:?}");
            }
            if !killed {
                assert_eq!(seed, Some(2));
                steps = step;
                break;
            }
            // The next run (of any command) cleans up what the killed one
            // left beside the folder.
            forecast(tmp.path(), "out")
                .args(["--seed", "3", "--force"])
                .assert()
                .success();
            assert_eq!(one_complete_set(&out), Some(3));
            assert_eq!(
                names(tmp.path()),
                BTreeSet::from(["abc.csv".into(), "out".into()]),
                "step {step}: stray files"
            );
        }
    }
    steps
}

#[test]
fn a_kill_at_any_publish_step_leaves_one_complete_forecast_set() {
    // Clean-up, staging, manifest, 4 files, sync, swap, 4 removals, done:
    // 14 steps, and the 15th run is not stopped.
    assert_eq!(kill_at_every_step(forecast, true), 15);
}

#[test]
fn a_kill_at_any_publish_step_leaves_one_complete_report() {
    // Replacing a report: 18 files written and removed (with the P80
    // world's gantt.png, gantt.svg, explain.json and explain.csv).
    assert_eq!(kill_at_every_step(report, false), 43);
}

/// Real kills at spread-out instants of a longer run (while simulating,
/// rendering or publishing): the folder is always one complete set.
#[test]
fn sigkill_at_any_instant_leaves_one_complete_set() {
    let tmp = setup();
    let out = tmp.path().join("out");
    report(tmp.path(), "out")
        .args(["--seed", "1"])
        .assert()
        .success();
    for delay_ms in [5u64, 40, 80, 120, 160, 200, 260, 330, 400, 500] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_slipcast"))
            .current_dir(tmp.path())
            .env("SOURCE_DATE_EPOCH", common::SOURCE_DATE_EPOCH)
            .args([
                "report",
                "abc.csv",
                "--start",
                "2027-01-04",
                "-n",
                "20000",
                "-q",
            ])
            .args(["--seed", "2", "--out", "out"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        assert!(
            matches!(one_complete_set(&out), Some(1 | 2)),
            "{delay_ms} ms"
        );
    }
    report(tmp.path(), "out")
        .args(["--seed", "3"])
        .assert()
        .success();
    assert_eq!(one_complete_set(&out), Some(3));
    assert_eq!(
        names(tmp.path()),
        BTreeSet::from(["abc.csv".into(), "out".into()])
    );
}

// ------------------------------------------------------------ limits

/// Reproducer: `--threads 10000` ran for a minute, then failed with OS
/// error 11 after creating the out folder.
#[test]
fn threads_beyond_a_sane_multiple_of_the_cores_are_refused_at_once() {
    let tmp = setup();
    forecast(tmp.path(), "out")
        .args(["--threads", "10000"])
        .timeout(Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--threads 10000 is more than"));
    assert_eq!(names(tmp.path()), BTreeSet::from(["abc.csv".into()]));
}

/// Reproducer: `-n 2147483648` aborted with "memory allocation of
/// 8589934592 bytes failed" and left an empty out folder. Here the address
/// space is limited to 2 GiB, so the check must refuse before allocating.
#[cfg(target_os = "linux")]
#[test]
fn iterations_beyond_memory_are_refused_before_work() {
    let tmp = setup();
    for cmd in ["forecast", "report"] {
        let out = std::process::Command::new("bash")
            .current_dir(tmp.path())
            .arg("-c")
            .arg(r#"ulimit -v 2097152; exec "$@""#)
            .arg("bash")
            .arg(env!("CARGO_BIN_EXE_slipcast"))
            .args([cmd, "abc.csv", "--start", "2027-01-04", "-q"])
            .args(["-n", "2147483648", "--out", "out"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("-n 2147483648 needs about") && err.contains("lower -n"),
            "{err}"
        );
        assert!(err.contains("--precision"), "{err}");
        assert_eq!(names(tmp.path()), BTreeSet::from(["abc.csv".into()]));
    }
}

/// Reproducer: `--precision 1e-9` ran to the iteration cap and aborted.
#[test]
fn unreachable_precision_is_refused_after_a_pilot_run() {
    let tmp = setup();
    forecast(tmp.path(), "out")
        .args(["--precision", "1e-9"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--precision 1e-9 would need about",
        ))
        .stderr(predicate::str::contains("iterations"));
    assert_eq!(names(tmp.path()), BTreeSet::from(["abc.csv".into()]));
}

/// Reproducer: `--rank-iterations 0` (or 1, 2) gave every task a
/// sensitivity of ±1.00.
#[test]
fn too_few_rank_iterations_are_refused() {
    let tmp = setup();
    for n in ["0", "1", "2", "99"] {
        forecast(tmp.path(), "out")
            .args(["--rank-iterations", n])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "--rank-iterations {n} is too few"
            )));
    }
    forecast(tmp.path(), "out")
        .args(["--rank-iterations", "100"])
        .assert()
        .success();
}

/// Reproducer: dates past the date library's range were clamped without a
/// word (P50 shown as +262142-12-31), and 1,000 serial 99,999-day tasks
/// gave 99,999,832 days instead of 99,999,000.
#[test]
fn dates_and_durations_past_the_supported_range_are_errors() {
    let tmp = setup();
    run_in(tmp.path())
        .args([
            "forecast",
            "abc.csv",
            "--start",
            "+262142-12-31",
            "-n",
            "2000",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("task \"a\" would finish after"))
        .stderr(predicate::str::contains("the last date slipcast can show"));
    let mut plan = String::from("id,likely,dist,depends_on\n");
    for i in 0..1000 {
        let dep = if i == 0 {
            String::new()
        } else {
            format!("t{}", i - 1)
        };
        plan.push_str(&format!("t{i},99999,fixed,{dep}\n"));
    }
    fs::write(tmp.path().join("long.csv"), plan).unwrap();
    run_in(tmp.path())
        .args([
            "forecast",
            "long.csv",
            "--start",
            "2027-01-04",
            "-n",
            "2000",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("working days after the start"))
        .stderr(predicate::str::contains("task \"t"));
}

// ------------------------------------------------------------ fuzzing

mod sequences {
    use super::*;
    use proptest::prelude::*;

    /// One thing a user or slipcast does to the folder `out` and around it.
    #[derive(Debug, Clone)]
    enum Op {
        /// A command writes `--out out` (0 forecast, 1 cutline, 2 compare,
        /// 3 report), with or without --force.
        Run(u8, bool),
        /// The user drops a file of theirs into `out` (if it exists).
        Drop(u8),
        /// The user edits a file slipcast wrote there.
        Edit(u8),
        /// The user removes one of slipcast's files.
        Remove(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (0u8..4, any::<bool>()).prop_map(|(c, f)| Op::Run(c, f)),
            1 => (0u8..3).prop_map(Op::Drop),
            1 => (0u8..8).prop_map(Op::Edit),
            1 => (0u8..8).prop_map(Op::Remove),
        ]
    }

    fn command(cwd: &Path, which: u8) -> Command {
        let mut cmd = run_in(cwd);
        match which {
            0 => cmd.args(["forecast", "abc.csv"]),
            1 => cmd.args(["cutline", "abc.csv", "--target", "2027-01-12"]),
            2 => cmd.args(["compare", "abc.csv", "abc.csv"]),
            _ => cmd.args(["report", "abc.csv"]),
        };
        cmd.args(["--start", "2027-01-04", "-n", "1000", "-q", "--out", "out"]);
        cmd
    }

    /// Slipcast's own files in `out` (by its manifest), sorted.
    fn listed(out: &Path) -> Vec<String> {
        let Ok(text) = fs::read(out.join(MANIFEST)) else {
            return Vec::new();
        };
        let m: Value = serde_json::from_slice(&text).unwrap();
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        /// Whatever the user does to the folder in between, a run either
        /// publishes a complete set or is refused with exit code 1 and
        /// changes nothing; the user's files are never changed or removed.
        #[test]
        fn user_files_survive_any_sequence(ops in prop::collection::vec(op(), 1..7)) {
            let tmp = setup();
            let out = tmp.path().join("out");
            // The user's own files, with their content.
            let mut mine: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
            mine.insert(tmp.path().join("abc.csv"), ABC.as_bytes().to_vec());
            for op in ops {
                match op {
                    Op::Run(which, force) => {
                        let before = snapshot(tmp.path());
                        let mut cmd = command(tmp.path(), which);
                        if force {
                            cmd.arg("--force");
                        }
                        let status = cmd.output().unwrap().status;
                        prop_assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
                        if status.success() {
                            prop_assert!(one_complete_set_any(&out));
                        } else {
                            prop_assert_eq!(snapshot(tmp.path()), before);
                        }
                    }
                    Op::Drop(k) if out.is_dir() => {
                        let p = out.join(format!("mine-{k}.txt"));
                        fs::write(&p, format!("user file {k}")).unwrap();
                        mine.insert(p.clone(), fs::read(&p).unwrap());
                    }
                    Op::Edit(k) => {
                        let names = listed(&out);
                        if let Some(n) = names.get(k as usize % names.len().max(1)) {
                            let p = out.join(n);
                            if p.exists() && !mine.contains_key(&p) {
                                fs::write(&p, "edited by hand").unwrap();
                            }
                        }
                    }
                    Op::Remove(k) => {
                        let names = listed(&out);
                        if let Some(n) = names.get(k as usize % names.len().max(1)) {
                            let _ = fs::remove_file(out.join(n));
                        }
                    }
                    Op::Drop(_) => {}
                }
                for (p, bytes) in &mine {
                    prop_assert_eq!(&fs::read(p).unwrap(), bytes, "{}", p.display());
                }
                // Nothing but the plan and the folder beside it.
                let beside = names(tmp.path());
                prop_assert!(beside.iter().all(|n| n == "abc.csv" || n == "out"), "{beside:?}");
            }
        }
    }

    /// A complete set of any command: every listed file as listed, nothing
    /// else.
    fn one_complete_set_any(dir: &Path) -> bool {
        let Ok(text) = fs::read(dir.join(MANIFEST)) else {
            return false;
        };
        let m: Value = serde_json::from_slice(&text).unwrap();
        let mut want: BTreeSet<String> = BTreeSet::from([MANIFEST.to_string()]);
        for f in m["files"].as_array().unwrap() {
            let name = f["name"].as_str().unwrap();
            let Ok(bytes) = fs::read(dir.join(name)) else {
                return false;
            };
            if sha256(&bytes) != f["sha256"].as_str().unwrap() {
                return false;
            }
            want.insert(name.to_string());
        }
        names(dir) == want
    }
}
