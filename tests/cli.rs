//! The `slipcast` command as a user runs it: exit codes, what goes to stdout
//! and stderr, the JSON contract of the README, and the files `--out` writes.
//!
//! Why: the house style asks for CLI tests with assert_cmd + predicates that assert
//! on error text, with fixtures from `data/` and outputs in tempfile dirs
//! (never `reports/`). Exit codes: 0 success, 1 any error of ours, 2 a clap
//! usage error.

mod common;

use common::slipcast;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use chrono::NaiveDate;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const START: &str = "2027-01-04";
const EXAMPLES: [&str; 3] = [
    "data/examples/checkout-v2.csv",
    "data/examples/data-platform-migration.csv",
    "data/examples/mobile-launch.csv",
];
const CHECKOUT: &str = "data/examples/checkout-v2.csv";
const MOBILE: &str = "data/examples/mobile-launch.csv";

fn forecast(plan: &str) -> Command {
    let mut cmd = slipcast();
    cmd.args(["forecast", plan, "--start", START, "-n", "20000"]);
    cmd
}

fn stdout_json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out)
        )
    })
}

/// The value at a dotted path, e.g. `duration.p50` or `tasks.0.id`.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| {
        let next = match k.parse::<usize>() {
            Ok(i) if v.is_array() => v.get(i),
            _ => v.get(k),
        };
        next.unwrap_or_else(|| panic!("missing key {path:?} (at {k:?}) in {v}"))
    })
}

fn num(v: &Value, path: &str) -> f64 {
    at(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number: {}", at(v, path)))
}

fn date(v: &Value, path: &str) -> NaiveDate {
    let s = at(v, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not a string: {}", at(v, path)));
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{path} = {s:?} is not a YYYY-MM-DD date: {e}"))
}

/// Ids of a plan file, in file order (first column, comments skipped).
fn plan_ids(plan: &str) -> Vec<String> {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(plan)).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

// ---------------------------------------------------------------- forecast

#[test]
fn forecast_each_example_prints_percentiles() {
    for plan in EXAMPLES {
        forecast(plan)
            .assert()
            .success()
            .stdout(
                predicate::str::contains(format!("Forecast for {plan}"))
                    .and(predicate::str::contains("20,000 iterations, seed 42"))
                    .and(predicate::str::contains("P50"))
                    .and(predicate::str::contains("P80"))
                    .and(predicate::str::contains("P90")),
            )
            .stderr(predicate::str::is_empty());
    }
}

#[test]
fn forecast_with_every_input_file_and_a_milestone() {
    let whole = stdout_json(forecast(CHECKOUT).arg("--json"));
    let ga = stdout_json(forecast(CHECKOUT).args([
        "--json",
        "--milestone",
        "ga",
        "--edges",
        "data/examples/checkout-v2-edges.csv",
        "--holidays",
        "data/examples/holidays-2027.csv",
    ]));
    assert_eq!(at(&ga, "milestone"), "ga");
    assert_eq!(at(&whole, "milestone"), &Value::Null);
    // legacy-decom runs 10 days after ga, so ga lands before the whole plan.
    assert!(num(&ga, "duration.p50") < num(&whole, "duration.p50"));
    let holidays = at(&ga, "calendar.holidays").as_array().unwrap();
    assert_eq!(holidays.len(), 11);
}

/// The output contract of the README: these keys must exist.
#[test]
fn json_has_the_design_contract_keys_and_echoes_the_flags() {
    for (plan, seed, n) in [(MOBILE, "7", "20000"), (CHECKOUT, "123456789", "5k")] {
        let v = stdout_json(slipcast().args([
            "forecast", plan, "--start", START, "-n", n, "--seed", seed, "--json",
        ]));
        let iterations: u64 = if n == "5k" { 5000 } else { n.parse().unwrap() };
        assert_eq!(at(&v, "iterations").as_u64(), Some(iterations), "{plan}");
        assert_eq!(
            at(&v, "seed").as_u64(),
            Some(seed.parse().unwrap()),
            "{plan}"
        );
        assert_eq!(at(&v, "start"), START);

        let d: Vec<f64> = ["mean", "std", "p10", "p50", "p80", "p90"]
            .iter()
            .map(|k| num(&v, &format!("duration.{k}")))
            .collect();
        assert!(d.iter().all(|x| x.is_finite() && *x >= 0.0), "{d:?}");
        assert!(d[2] <= d[3] && d[3] <= d[4] && d[4] <= d[5], "{d:?}");
        let f: Vec<NaiveDate> = ["p10", "p50", "p80", "p90"]
            .iter()
            .map(|k| date(&v, &format!("finish.{k}")))
            .collect();
        assert!(f.windows(2).all(|w| w[0] <= w[1]), "{f:?}");
        assert!(f[0] >= NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap());

        assert!(num(&v, "deterministic.duration") >= 0.0);
        date(&v, "deterministic.finish");
        let p = num(&v, "deterministic.probability");
        assert!((0.0..=1.0).contains(&p), "{p}");

        let tasks = at(&v, "tasks").as_array().unwrap();
        let ids: Vec<&str> = tasks
            .iter()
            .map(|t| at(t, "id").as_str().unwrap())
            .collect();
        assert_eq!(ids, plan_ids(plan), "tasks[] is in plan order");
        for t in tasks {
            let c = num(t, "criticality");
            assert!((0.0..=1.0).contains(&c), "{t}");
            assert!(date(t, "finish.p50") <= date(t, "finish.p80"), "{t}");
        }
        assert!(
            tasks.iter().any(|t| num(t, "criticality") > 0.99),
            "some task is always critical"
        );
    }
}

/// The README's calendar example, end to end: start Mon 2027-01-04, A fixed 5
/// then B fixed 3, holiday 2027-01-11: A ends Fri 2027-01-08, B ends Thu
/// 2027-01-14.
#[test]
fn design_calendar_example_end_to_end() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,likely,dist,depends_on\nA,5,fixed,\nB,3,fixed,A\n",
    );
    let hol = write(tmp.path(), "hol.csv", "date\n2027-01-11\n");
    let v = stdout_json(slipcast().arg("forecast").arg(&plan).args([
        "--start",
        START,
        "-n",
        "1000",
        "--json",
        "--holidays",
        hol.to_str().unwrap(),
    ]));
    assert_eq!(at(&v, "tasks.0.id"), "A");
    assert_eq!(date(&v, "tasks.0.finish.p50").to_string(), "2027-01-08");
    assert_eq!(date(&v, "tasks.0.finish.p80").to_string(), "2027-01-08");
    assert_eq!(date(&v, "tasks.1.finish.p50").to_string(), "2027-01-14");
    assert_eq!(date(&v, "finish.p90").to_string(), "2027-01-14");
    assert_eq!(num(&v, "duration.p50"), 8.0);
    assert_eq!(num(&v, "deterministic.duration"), 8.0);
    assert_eq!(date(&v, "deterministic.finish").to_string(), "2027-01-14");
    assert_eq!(num(&v, "deterministic.probability"), 1.0);
}

/// Results are bit-identical for a seed regardless of thread count.
#[test]
fn same_seed_same_json_on_one_and_two_threads() {
    let run = |threads: &str, seed: &str| {
        let out = forecast(CHECKOUT)
            .args(["--json", "--seed", seed, "--threads", threads])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let one = run("1", "99");
    let two = run("2", "99");
    assert!(one == two, "--threads 1 and --threads 2 differ for seed 99");
    assert_eq!(run("1", "99"), one, "a rerun differs");
    assert_ne!(run("2", "100"), one, "another seed gives the same forecast");
}

// ---------------------------------------------------------------- --out

#[test]
fn out_dir_gets_json_percentiles_tasks_and_drivers_and_nothing_else() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("reports/week-12");
    let stdout = forecast(CHECKOUT)
        .arg("--json")
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("forecast.json"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        files_in(&out),
        BTreeSet::from(
            [
                ".slipcast-manifest.json",
                "drivers.csv",
                "forecast.json",
                "percentiles.csv",
                "tasks.csv"
            ]
            .map(String::from)
        ),
        "--out wrote something else (or left a temporary file)"
    );
    assert_eq!(
        files_in(tmp.path()),
        BTreeSet::from(["reports".to_string()])
    );

    // forecast.json is the same object --json prints.
    let file = fs::read(out.join("forecast.json")).unwrap();
    let a: Value = serde_json::from_slice(&file).unwrap();
    let b: Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(a, b);

    // percentiles.csv: P1..P99, monotone in days and dates.
    let text = fs::read_to_string(out.join("percentiles.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("percentile,working_days,finish_date"));
    let rows: Vec<(u32, f64, NaiveDate)> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 3, "{l}");
            (
                c[0].parse().unwrap(),
                c[1].parse().unwrap(),
                NaiveDate::parse_from_str(c[2], "%Y-%m-%d").unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 99);
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        (1..=99).collect::<Vec<_>>()
    );
    for w in rows.windows(2) {
        assert!(w[0].1 <= w[1].1 && w[0].2 <= w[1].2, "{w:?}");
    }
    let p50 = rows[49];
    assert!((p50.1 - num(&a, "duration.p50")).abs() < 1e-3, "{p50:?}");
    assert_eq!(p50.2, date(&a, "finish.p50"));

    // tasks.csv: one row per task, in plan order.
    let mut rdr = csv::Reader::from_path(out.join("tasks.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert!(headers.iter().any(|h| h == "criticality"), "{headers:?}");
    let ids: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids, plan_ids(CHECKOUT));
}

#[test]
fn out_dir_is_overwritten_on_a_rerun() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    for seed in ["1", "2"] {
        forecast(MOBILE)
            .args(["--quiet", "--seed", seed, "--out"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::is_empty());
    }
    assert_eq!(files_in(&out).len(), 5);
    let v: Value = serde_json::from_slice(&fs::read(out.join("forecast.json")).unwrap()).unwrap();
    assert_eq!(at(&v, "seed").as_u64(), Some(2));
}

/// The house style: output files are created before the simulation starts, so a
/// bad path fails at once. Twenty million iterations would take a minute or
/// more; the command must fail long before that and print no forecast.
#[test]
fn unwritable_out_fails_before_simulating() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "not-a-dir", "");
    let bad = file.join("out");
    slipcast()
        .args([
            "forecast", CHECKOUT, "--start", START, "-n", "20M", "--json",
        ])
        .arg("--out")
        .arg(&bad)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::starts_with("Error: cannot write '")
                .and(predicate::str::contains(bad.display().to_string()))
                .and(predicate::str::contains("is a file, not a folder")),
        );
    assert_eq!(fs::read(&file).unwrap(), b"");
}

/// Regression: `slipcast validate nope.csv` printed `Error: could not read
/// 'nope.csv': No such file or directory (os error 2): No such file or
/// directory (os error 2)`, because the error's Display embedded its source
/// and `{:#}` printed the source chain again.
#[test]
fn io_errors_say_the_cause_once() {
    let assert = slipcast()
        .args(["validate", "no/such/plan.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "could not read the plan no/such/plan.csv",
        ));
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(err.matches("os error").count(), 1, "{err}");

    let tmp = TempDir::new().unwrap();
    // A folder inside a file is refused in words, with no OS error at all.
    let bad = write(tmp.path(), "file", "").join("out");
    let assert = forecast(MOBILE).arg("--out").arg(&bad).assert().code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(err.matches("os error").count(), 0, "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
}

#[test]
fn missing_plan_file_is_named() {
    slipcast()
        .args(["forecast", "no/such/plan.csv", "--start", START])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with(
            "Error: could not read the plan no/such/plan.csv: ",
        ));
}

/// Reports are meant to be shared: they get the usual permissions (0666 less
/// the umask, as any file this process creates), not the 0600 of a private
/// temporary file (regression).
#[cfg(unix)]
#[test]
fn out_files_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    forecast(MOBILE).arg("--out").arg(&out).assert().success();
    let reference = write(tmp.path(), "reference", "");
    let want = fs::metadata(&reference).unwrap().permissions().mode() & 0o777;
    for f in ["forecast.json", "percentiles.csv", "tasks.csv"] {
        let mode = fs::metadata(out.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, want, "{f} has mode {mode:o}, a new file {want:o}");
    }
}

// ---------------------------------------------------------------- invalid plans

const BAD_PLAN: &str = "id,low,likely,high,depends_on\n\
                        a,1,2,3,\n\
                        a,1,2,3,\n\
                        b,3,2,1,a\n\
                        c,1,x,3,desgn\n\
                        design,1,2,3,design\n";

fn bad_plan_problems(file: &str) -> [String; 5] {
    [
        format!(
            "  {file}:3: task \"a\": id is used again; it was first used on line 2. Ids must be unique"
        ),
        format!("  {file}:4: task \"b\": low (3) > likely (2); expected low <= likely <= high"),
        format!(
            "  {file}:5: task \"c\": likely \"x\" is not a number; write a plain decimal such as 3 or 2.5"
        ),
        format!(
            "  {file}:5: task \"c\": depends on \"desgn\", which is not a task id in the plan (did you mean \"design\"?)"
        ),
        format!(
            "  {file}:6: task \"design\": depends on itself; remove the link from \"design\" to itself"
        ),
    ]
}

#[test]
fn invalid_plan_lists_every_problem_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "plan.csv", BAD_PLAN);
    let out = tmp.path().join("out");
    let assert = slipcast()
        .current_dir(tmp.path())
        .args([
            "forecast", "plan.csv", "--start", START, "-n", "1000", "--json", "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let mut want = vec!["Error: the plan has 5 problems:".to_string()];
    want.extend(bad_plan_problems("plan.csv"));
    assert_eq!(err.lines().collect::<Vec<_>>(), want, "{err}");
    assert!(!out.exists(), "--out was created for an invalid plan");
    assert_eq!(
        files_in(tmp.path()),
        BTreeSet::from(["plan.csv".to_string()])
    );
}

#[test]
fn validate_reports_success_and_failure() {
    slipcast()
        .args(["validate", CHECKOUT])
        .assert()
        .success()
        .stdout(format!(
            "{CHECKOUT}: 46 tasks, 68 links, no problems found\n"
        ))
        .stderr(predicate::str::is_empty());
    slipcast()
        .args([
            "validate",
            CHECKOUT,
            "--edges",
            "data/examples/checkout-v2-edges.csv",
        ])
        .assert()
        .success()
        .stdout(format!(
            "{CHECKOUT}: 46 tasks, 72 links, no problems found\n"
        ));

    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "plan.csv", BAD_PLAN);
    let assert = slipcast()
        .current_dir(tmp.path())
        .args(["validate", "plan.csv"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let mut want = vec!["Error: the plan has 5 problems:".to_string()];
    want.extend(bad_plan_problems("plan.csv"));
    assert_eq!(err.lines().collect::<Vec<_>>(), want, "{err}");
}

#[test]
fn validate_names_the_edges_file_and_its_lines() {
    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "plan.csv", "id,likely\na,1\nb,2\n");
    write(
        tmp.path(),
        "deps.csv",
        "from,to,type,lag\na,b,FS,1\na,b,XY,\nb,a,SS,\n",
    );
    slipcast()
        .current_dir(tmp.path())
        .args(["validate", "plan.csv", "--edges", "deps.csv"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("deps.csv:3: unknown link type \"XY\"; use FS, SS, FF or SF")
                .and(predicate::str::contains(
                    "deps.csv:4: task \"a\": dependency cycle a -> b -> a; ",
                )),
        );
}

// ---------------------------------------------------------------- flags

#[test]
fn unknown_milestone_suggests_a_close_id() {
    forecast(MOBILE)
        .args(["--milestone", "lanch"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(format!(
            "Error: --milestone \"lanch\" is not a task id in {MOBILE} (did you mean \"launch\"?)\n"
        ));
    forecast(MOBILE)
        .args(["--milestone", "zzzz"])
        .assert()
        .code(1)
        .stderr(format!(
            "Error: --milestone \"zzzz\" is not a task id in {MOBILE}\n"
        ));
}

#[test]
fn bad_start_dates() {
    for bad in ["2027-13-04", "2027-02-30", "04/01/2027", "tomorrow"] {
        slipcast()
            .args(["forecast", MOBILE, "-n", "1000", "--start", bad])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::starts_with(format!(
                "Error: --start \"{bad}\" is not a date; write it as YYYY-MM-DD, e.g. --start 2027-01-04"
            )));
    }
}

#[test]
fn bad_workdays() {
    for (bad, want) in [
        (
            "Mon-Funday",
            "Error: --workdays: \"Funday\" is not a weekday; write e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu\n",
        ),
        (
            "Mon,Holiday",
            "Error: --workdays: \"Holiday\" is not a weekday; write e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu\n",
        ),
        (
            "",
            "Error: --workdays: \"\" names no working weekday; write e.g. Mon-Fri\n",
        ),
    ] {
        forecast(MOBILE)
            .args(["--workdays", bad])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(want);
    }
    // Valid sets are accepted, in any case.
    forecast(MOBILE)
        .args(["--workdays", "sun-thu"])
        .assert()
        .success();
}

#[test]
fn bad_iterations_and_threads() {
    for (n, want) in [
        (
            "0",
            "Error: --iterations 0 is out of range; use 1 to 2147483648 (e.g. 1M)\n",
        ),
        (
            "x",
            "Error: --iterations \"x\": is not a whole number of iterations; write e.g. 1000000, 1e6 or 1M\n",
        ),
        (
            "1.5",
            "Error: --iterations \"1.5\": is not a whole number of iterations; write e.g. 1000000, 1e6 or 1M\n",
        ),
        (
            "-5",
            "Error: --iterations \"-5\": is not a whole number of iterations; write e.g. 1000000, 1e6 or 1M\n",
        ),
        (
            "3G",
            "Error: --iterations 3000000000 is out of range; use 1 to 2147483648 (e.g. 1M)\n",
        ),
    ] {
        slipcast()
            .args(["forecast", MOBILE, "--start", START])
            .arg(format!("--iterations={n}"))
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(want);
    }
    forecast(MOBILE)
        .args(["--threads", "0"])
        .assert()
        .code(1)
        .stderr("Error: --threads 0: use at least 1, or leave it out to use every core\n");
    // The spellings the help promises.
    for n in ["2000", "2_000", "2e3", "2k"] {
        let v =
            stdout_json(slipcast().args(["forecast", MOBILE, "--start", START, "--json", "-n", n]));
        assert_eq!(at(&v, "iterations").as_u64(), Some(2000), "{n}");
    }
}

#[test]
fn holidays_file_with_a_bad_date() {
    let tmp = TempDir::new().unwrap();
    let hol = write(
        tmp.path(),
        "hol.csv",
        "date,name\n2027-01-18,MLK\n2027-02-30,no such day\n18/01/2027,wrong order\n",
    );
    let name = hol.display().to_string();
    forecast(MOBILE)
        .arg("--holidays")
        .arg(&hol)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains(format!(
                "  {name}:3: date \"2027-02-30\" is not a date; write it as YYYY-MM-DD\n"
            ))
            .and(predicate::str::contains(format!(
                "  {name}:4: date \"18/01/2027\" is not a date; write it as YYYY-MM-DD\n"
            ))),
        );
    let nocol = write(tmp.path(), "nocol.csv", "day\n2027-01-18\n");
    forecast(MOBILE)
        .arg("--holidays")
        .arg(&nocol)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:1: there is no \"date\" column",
            nocol.display()
        )));
}

/// A problem in the holidays file is not a problem of the plan, and the
/// accepted header names should include `date` itself.
#[test]
fn holidays_problems_are_not_called_plan_problems() {
    let tmp = TempDir::new().unwrap();
    let hol = write(tmp.path(), "hol.csv", "date\n2027-02-30\n");
    let assert = forecast(MOBILE)
        .arg("--holidays")
        .arg(&hol)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!err.contains("the plan has"), "{err}");
    let nocol = write(tmp.path(), "nocol.csv", "day\n2027-01-18\n");
    let assert = forecast(MOBILE)
        .arg("--holidays")
        .arg(&nocol)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("accepted names: date, holiday"), "{err}");
}

// ---------------------------------------------------------------- help and usage

#[test]
fn help_shows_examples() {
    for args in [
        &["--help"][..],
        &["forecast", "--help"],
        &["validate", "--help"],
        &["help", "forecast"],
        &["-h"],
    ] {
        slipcast().args(args).assert().success().stdout(
            predicate::str::contains("Usage: slipcast")
                .and(predicate::str::contains("Examples:"))
                .and(predicate::str::contains("  slipcast ")),
        );
    }
    slipcast().args(["forecast", "--help"]).assert().stdout(
        predicate::str::contains("--iterations <N>")
            .and(predicate::str::contains("--milestone <ID>"))
            .and(predicate::str::contains("--out <DIR>")),
    );
    slipcast()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("slipcast "));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["forecast"],
        &["validate"],
        &["forecast", MOBILE, "--bogus"],
        &["forecast", MOBILE, "--seed", "x"],
        &["forecast", MOBILE, "--seed", "-1"],
        &["forecast", MOBILE, "--threads", "two"],
        &["forecast", MOBILE, "--top", "many"],
        &["validate", MOBILE, "--seed", "1"],
    ] {
        let want = if args.is_empty() {
            // No subcommand: the help, on stderr.
            "Usage: slipcast <COMMAND>"
        } else {
            "error: "
        };
        slipcast()
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(want).and(predicate::str::contains("--help")));
    }
}

// ---------------------------------------------------------------- extreme inputs

/// Regression: a plan `id,likely\nA,1e12\n` passed validation, then
/// `forecast` never ended (working-day dates are found by walking the
/// calendar one day at a time); `A,1e300` and a log-normal from 1 to 30 at
/// confidence 10 panicked with "attempt to add with overflow" in
/// `Network::finish_day_bounds` (exit 101). Now they are validation errors.
#[test]
fn huge_durations_fail_cleanly() {
    let tmp = TempDir::new().unwrap();
    for row in [
        "id,likely\nA,1e12\n",
        "id,likely\nA,1e300\n",
        "id,low,high,dist,confidence\nA,1,30,lognormal,10\n",
        "id,low,high,dist,confidence\nA,0.01,100,lognormal,50\n",
    ] {
        let plan = write(tmp.path(), "plan.csv", row);
        let out = slipcast()
            .arg("forecast")
            .arg(&plan)
            .args(["--start", START, "-n", "1000"])
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{row:?}: killed by the timeout, or a panic\n{err}"
        );
        assert!(
            err.starts_with("Error: the plan has a problem:\n")
                && err.contains(":2: task \"A\": ")
                && err.contains("working days, more than the 100000 allowed"),
            "{row:?}: {err}"
        );
    }
}
