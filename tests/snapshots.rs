//! Snapshots (insta) of every text output of the binary, run through the CLI
//! with fixed seeds and small iteration counts: the terminal summaries and
//! tables, `validate`'s reports, every CSV and JSON export, `summary.md`,
//! error messages and each command's `--help`.
//!
//! They exist to pin the user-facing output while the library is
//! restructured: any change to a `.snap` file is a change users see, and is
//! reviewed like code (`cargo insta review`, or `INSTA_UPDATE=always` and
//! `git diff`). Results are bit-identical for a seed on any thread count, so
//! numbers are never redacted; only the crate version and temporary folder
//! paths are.
//!
//! The last test checks that `scripts/example-report.sh` still reproduces
//! the committed `reports/example/` exports byte for byte.

mod common;

use common::{slipcast, write};
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const START: &str = "2027-01-04";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The bundled checkout plan forecast to its GA milestone, with holidays
/// and its risk register (the README's example, at 20,000 iterations).
const CHECKOUT_GA: &[&str] = &[
    "data/examples/checkout-v2.csv",
    "--start",
    START,
    "--milestone",
    "ga",
    "--holidays",
    "data/examples/holidays-2027.csv",
    "--risks",
    "data/examples/checkout-v2-risks.csv",
    "-n",
    "20000",
    "--seed",
    "42",
];

/// The binary with a fixed help width (clap wraps `--help` to `COLUMNS`
/// when stdout is not a terminal) and no forced colour.
fn cmd() -> Command {
    let mut c = slipcast();
    c.env("COLUMNS", "100").env_remove("CLICOLOR_FORCE");
    c
}

/// What a run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for a snapshot.
    fn shown(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Replaces what legitimately differs between machines and releases: the
/// temporary folder `tmp` and the crate version where outputs print it.
fn redact(text: &str, tmp: Option<&Path>) -> String {
    let mut s = text.to_owned();
    if let Some(tmp) = tmp {
        s = s.replace(&tmp.display().to_string(), "[TMP]");
    }
    s.replace(
        &format!("\"version\": \"{VERSION}\""),
        "\"version\": \"[version]\"",
    )
    .replace(&format!("slipcast {VERSION}"), "slipcast [version]")
}

/// Reads an exported text file; every export ends with a newline (which a
/// snapshot does not pin).
fn read(path: &Path) -> String {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("could not read {}: {e}", path.display()));
    assert!(
        text.ends_with('\n'),
        "{} ends without a newline",
        path.display()
    );
    text
}

// ------------------------------------------------------------------ forecast

/// The terminal summary and the three CSV exports of `forecast --out`, and
/// that `--out`'s forecast.json is exactly what `--json` prints.
#[test]
fn forecast_summary_and_csv_exports() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("forecast");
    let r = run(cmd()
        .arg("forecast")
        .args(CHECKOUT_GA)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("forecast_summary", redact(&r.shown(), Some(dir.path())));
    for name in ["percentiles.csv", "tasks.csv", "drivers.csv"] {
        insta::assert_snapshot!(
            format!("forecast_{}", name.replace('.', "_")),
            read(&out.join(name))
        );
    }

    let json = run(cmd().arg("forecast").args(CHECKOUT_GA).arg("--json"));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(read(&out.join("forecast.json")), json.stdout);
}

/// `--json` of the same forecast: every number is pinned, only the version
/// is redacted (there is no timestamp, and paths are as typed).
#[test]
fn forecast_json() {
    let r = run(cmd().arg("forecast").args(CHECKOUT_GA).arg("--json"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout.matches("\"version\"").count(), 1);
    insta::assert_snapshot!("forecast_json", redact(&r.stdout, None));
}

/// The summary with the answers to `--target` (its chance) and
/// `--confidence` (the date at it).
#[test]
fn forecast_summary_with_target_and_confidence() {
    let r = run(cmd().args([
        "forecast",
        "data/examples/mobile-launch.csv",
        "--start",
        START,
        "-n",
        "20000",
        "--seed",
        "7",
        "--target",
        "2027-03-18",
        "--confidence",
        "85",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("forecast_summary_target_confidence", r.shown());
}

// ------------------------------------------------------------------- explain

/// The P80's world of the README's example: the terminal text, and that
/// `--out`'s explain.json is exactly what `--json` prints.
#[test]
fn explain_text_and_csv() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("explain");
    let r = run(cmd()
        .arg("explain")
        .args(CHECKOUT_GA)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("explain_text", redact(&r.shown(), Some(dir.path())));
    insta::assert_snapshot!("explain_csv", read(&out.join("explain.csv")));
    let json = run(cmd().arg("explain").args(CHECKOUT_GA).arg("--json"));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(read(&out.join("explain.json")), json.stdout);
}

/// `--json` of the same explanation, dated by `SOURCE_DATE_EPOCH` (set for
/// every run here), so `generated` is stable; only the version is redacted.
#[test]
fn explain_json() {
    let r = run(cmd().arg("explain").args(CHECKOUT_GA).arg("--json"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("explain_json", redact(&r.stdout, None));
}

// ------------------------------------------------------------------ validate

/// The bundled plan with all its side files, as text and as `--json`.
#[test]
fn validate_good_plan() {
    let args = [
        "validate",
        "data/examples/checkout-v2.csv",
        "--edges",
        "data/examples/checkout-v2-edges.csv",
        "--risks",
        "data/examples/checkout-v2-risks.csv",
        "--holidays",
        "data/examples/holidays-2027.csv",
        "--start",
        START,
    ];
    insta::assert_snapshot!("validate_good_plan", run(cmd().args(args)).shown());
    insta::assert_snapshot!(
        "validate_good_plan_json",
        run(cmd().args(args).arg("--json")).shown()
    );
}

/// One problem of each kind in the plan (duplicate id, bad range, unknown
/// dependency, distribution, self link, not a number, status, confidence,
/// priority, link type, cycle) and two in the edges file.
const BAD_PLAN: &str = "id,low,likely,high,dist,confidence,depends_on,status,priority\n\
                        a,1,2,3,,,,,\n\
                        a,1,2,3,,,,,\n\
                        b,3,2,1,,,zz,,\n\
                        c,1,2,3,gamma,,c,,\n\
                        d,1,x,3,,,,later,\n\
                        e,1,,3,normal,150,a:XX,,p1\n\
                        f,1,2,3,,,,,\n\
                        g,1,2,3,,,h,,\n\
                        h,1,2,3,,,g,,\n";
const BAD_EDGES: &str = "from,to,type,lag\nf,zz2,FS,\na,f,QQ,\n";

/// A valid three-task plan, and a risk register with three problems.
const GOOD_PLAN: &str = "id,low,likely,high,depends_on\n\
                         design,3,5,9,\n\
                         build,8,12,20,design\n\
                         test,2,4,8,build\n";
const BAD_RISKS: &str = "id,name,probability,low,likely,high,dist,affects\n\
                         r1,Late vendor,1.5,3,5,10,pert,nope\n\
                         r2,Rework,0.2,5,3,1,,build\n";

/// Runs `validate` in a temporary folder holding the bad files, so that
/// messages name them as typed (relative).
fn validate_in_tempdir(args: &[&str]) -> Run {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "plan.csv", BAD_PLAN);
    write(dir.path(), "edges.csv", BAD_EDGES);
    write(dir.path(), "good.csv", GOOD_PLAN);
    write(dir.path(), "risks.csv", BAD_RISKS);
    run(cmd().arg("validate").args(args).current_dir(dir.path()))
}

#[test]
fn validate_bad_plan() {
    let r = validate_in_tempdir(&["plan.csv", "--edges", "edges.csv"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("validate_bad_plan", r.shown());
}

#[test]
fn validate_bad_plan_json() {
    let r = validate_in_tempdir(&["plan.csv", "--edges", "edges.csv", "--json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("validate_bad_plan_json", r.shown());
}

#[test]
fn validate_bad_risks() {
    let r = validate_in_tempdir(&["good.csv", "--risks", "risks.csv"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("validate_bad_risks", r.shown());
}

// ------------------------------------------------------------ cutline, compare

/// The bundled plan's optional scope against a target it misses uncut.
const CUTLINE: &[&str] = &[
    "cutline",
    "data/examples/checkout-v2.csv",
    "--start",
    START,
    "--holidays",
    "data/examples/holidays-2027.csv",
    "--target",
    "2027-04-09",
    "-n",
    "20000",
];

/// The cut-line table for the bundled plan, its CSV and JSON exports, and
/// that `--json` prints the exported JSON.
#[test]
fn cutline_table_and_exports() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("cutline");
    let r = run(cmd().args(CUTLINE).arg("--out").arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("cutline_table", redact(&r.shown(), Some(dir.path())));
    insta::assert_snapshot!("cutline_csv", read(&out.join("cutline.csv")));
    let exported = read(&out.join("cutline.json"));
    insta::assert_snapshot!("cutline_json", redact(&exported, None));

    let json = run(cmd().args(CUTLINE).arg("--json"));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout, exported,
        "--json prints the exported cutline.json"
    );
}

const PLAN_A: &str = "id,low,likely,high,depends_on\n\
                      design,3,5,9,\n\
                      build,8,12,20,design\n\
                      test,2,4,8,build\n\
                      docs,2,3,5,design\n";

/// PLAN_A with a longer, wider build, and one task of its own.
const PLAN_B: &str = "id,low,likely,high,depends_on\n\
                      design,3,5,9,\n\
                      build,9,14,26,design\n\
                      test,2,4,8,build\n\
                      docs,2,3,5,design\n\
                      review,1,2,3,test\n";

/// The comparison table of two plans against a target, and its CSV and
/// JSON exports (run in a temporary folder, so names are relative), and
/// that `--json` prints the exported JSON.
#[test]
fn compare_table_and_exports() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.csv", PLAN_A);
    write(dir.path(), "b.csv", PLAN_B);
    let r = run(cmd()
        .args(["compare", "a.csv", "b.csv", "--start", START])
        .args(["--target", "2027-02-05", "-n", "20000", "--out", "out"])
        .current_dir(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("compare_table", r.shown());
    let out = dir.path().join("out");
    insta::assert_snapshot!("compare_csv", read(&out.join("compare.csv")));
    let exported = read(&out.join("compare.json"));
    insta::assert_snapshot!("compare_json", redact(&exported, None));

    let json = run(cmd()
        .args(["compare", "a.csv", "b.csv", "--start", START])
        .args(["--target", "2027-02-05", "-n", "20000", "--json"])
        .current_dir(dir.path()));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout, exported,
        "--json prints the exported compare.json"
    );
}

// ------------------------------------------------------------------- history

/// The table and explanation of `history` over three weekly snapshots, its
/// CSVs, and that `--json` prints the exported JSON.
#[test]
fn history_table_and_exports() {
    let dir = TempDir::new().unwrap();
    // The snapshots copied in, and named relative to it, so no output
    // holds a path of the machine.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/history");
    let snaps: Vec<String> = [
        "checkout-2027-01-11.csv",
        "checkout-2027-01-18.csv",
        "checkout-2027-01-25.csv",
    ]
    .iter()
    .map(|f| {
        fs::copy(data.join(f), dir.path().join(f)).unwrap();
        f.to_string()
    })
    .collect();
    let r = run(cmd()
        .args(["history"])
        .args(&snaps)
        .args(["--target", "2027-04-30", "-n", "20000", "--out", "out"])
        .current_dir(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("history_table", r.shown());
    let out = dir.path().join("out");
    insta::assert_snapshot!("history_csv", read(&out.join("history.csv")));
    insta::assert_snapshot!("history_moves_csv", read(&out.join("moves.csv")));
    let exported = read(&out.join("history.json"));
    let json = run(cmd()
        .args(["history"])
        .args(&snaps)
        .args(["--target", "2027-04-30", "-n", "20000", "--json"])
        .current_dir(dir.path()));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout, exported,
        "--json prints the exported history.json"
    );
}

// -------------------------------------------------------------------- report

/// `summary.md` of a report written into a fresh subfolder.
#[test]
fn report_summary_md() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("report");
    let r = run(cmd().arg("report").args(CHECKOUT_GA).arg("--out").arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("report_output", redact(&r.shown(), Some(dir.path())));
    insta::assert_snapshot!(
        "report_summary_md",
        redact(&read(&out.join("summary.md")), None)
    );
}

// -------------------------------------------------------------------- errors

/// The wording of errors users hit most: a missing file, a bad date, a
/// misspelt milestone, out-of-range numbers, and clap usage errors (exit 2).
#[test]
fn error_messages() {
    let plan = "data/examples/checkout-v2.csv";
    let cases: &[(&str, &[&str])] = &[
        (
            "missing_plan",
            &["forecast", "data/examples/nope.csv", "--start", START],
        ),
        ("bad_start", &["forecast", plan, "--start", "2027-13-01"]),
        (
            "unknown_milestone",
            &[
                "forecast",
                plan,
                "--start",
                START,
                "--milestone",
                "gaa",
                "-n",
                "1000",
            ],
        ),
        (
            "zero_iterations",
            &["forecast", plan, "--start", START, "-n", "0"],
        ),
        (
            "confidence_out_of_range",
            &[
                "forecast",
                plan,
                "--start",
                START,
                "--confidence",
                "120",
                "-n",
                "1000",
            ],
        ),
        ("cutline_without_target", &["cutline", plan]),
        (
            "explain_bad_percentile",
            &["explain", plan, "--start", START, "--at", "0.8"],
        ),
        ("compare_one_plan", &["compare", plan]),
        ("unknown_flag", &["forecast", plan, "--bogus"]),
        ("unknown_command", &["frobnicate"]),
    ];
    for (name, args) in cases {
        let r = run(cmd().args(*args));
        assert_ne!(r.code, 0, "{name}");
        assert_eq!(r.stdout, "", "{name}");
        insta::assert_snapshot!(
            format!("error_{name}"),
            format!("$ slipcast {}\n{}", args.join(" "), r.shown())
        );
    }
}

// ---------------------------------------------------------------------- help

#[test]
fn help_of_every_command() {
    for command in [
        "",
        "forecast",
        "explain",
        "validate",
        "cutline",
        "compare",
        "history",
        "report",
        "import",
        "completions",
        "man",
    ] {
        let mut c = cmd();
        if !command.is_empty() {
            c.arg(command);
        }
        let r = run(c.arg("--help"));
        assert_eq!(r.code, 0, "{command}");
        assert_eq!(r.stderr, "", "{command}");
        let name = if command.is_empty() {
            "slipcast"
        } else {
            command
        };
        insta::assert_snapshot!(format!("help_{name}"), r.stdout);
    }
}

// ------------------------------------------------------------ example report

/// `scripts/example-report.sh` (1,000,000 iterations, seed 42) reproduces
/// the committed `reports/example/` text exports byte for byte, apart from
/// the crate version. If this fails after an intended change of output,
/// rerun the script and commit the new example with the change.
#[test]
fn example_report_reproduces_the_committed_files() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("example");
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/example");
    // The committed example records when it was made; the fresh run is
    // dated the same (SOURCE_DATE_EPOCH), as the script dates it.
    let json: serde_json::Value =
        serde_json::from_str(&read(&committed.join("forecast.json"))).unwrap();
    let generated = chrono::DateTime::parse_from_rfc3339(json["generated"].as_str().unwrap())
        .expect("forecast.json records when it was generated");
    let r = run(cmd()
        .env("SOURCE_DATE_EPOCH", generated.timestamp().to_string())
        .args([
            "report",
            "data/examples/checkout-v2.csv",
            "--start",
            START,
            "--milestone",
            "ga",
            "--holidays",
            "data/examples/holidays-2027.csv",
            "--edges",
            "data/examples/checkout-v2-edges.csv",
            "--risks",
            "data/examples/checkout-v2-risks.csv",
            "--quiet",
            "--out",
        ])
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in [
        "forecast.json",
        "summary.md",
        "percentiles.csv",
        "tasks.csv",
        "drivers.csv",
    ] {
        let want = without_version(&read(&committed.join(name)));
        let got = without_version(&read(&out.join(name)));
        if let Some((line, (w, g))) = (1..)
            .zip(want.lines().zip(got.lines()))
            .find(|(_, (w, g))| w != g)
        {
            panic!(
                "reports/example/{name} differs from a fresh run of \
                 scripts/example-report.sh, first at line {line}:\n\
                 committed: {w}\n    fresh: {g}"
            );
        }
        assert_eq!(
            got.lines().count(),
            want.lines().count(),
            "reports/example/{name}: a fresh run has another number of lines"
        );
    }
}

/// The text without the lines that give the crate version (forecast.json's
/// `"version"` and summary.md's "Made with slipcast ..." line), whatever
/// the version: the committed example may predate a version bump.
fn without_version(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("  \"version\": ") && !l.starts_with("Made with slipcast "))
        .collect::<Vec<_>>()
        .join("\n")
}
