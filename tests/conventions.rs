//! The conventions a shell user relies on: completion scripts and manual
//! pages generated from the one clap definition of the flags, and exit codes
//! that scripts can test (0 success, 1 input or run error, 2 usage error).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::slipcast;
use predicates::prelude::*;

/// Every subcommand, as the completions and the manual page must name them.
const SUBCOMMANDS: &[&str] = &[
    "forecast",
    "explain",
    "validate",
    "cutline",
    "compare",
    "report",
    "import",
    "completions",
    "man",
];

const PLAN: &str = "data/examples/checkout-v2.csv";

fn stdout_of(args: &[&str]) -> String {
    let out = slipcast()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("generated text is UTF-8")
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}: empty script");
        for sub in SUBCOMMANDS {
            assert!(
                script.contains(sub),
                "{shell}: script does not mention {sub}"
            );
        }
        // Flags of the subcommands are completed too, not just their names.
        assert!(script.contains("iterations"), "{shell}: no --iterations");
    }
}

/// The bash script must load in a real bash and register the completion.
#[test]
fn bash_completion_loads() {
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#"source <("$0" completions bash) && complete -p slipcast"#)
        .arg(env!("CARGO_BIN_EXE_slipcast"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bash could not load the script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("complete") && stdout.contains("slipcast"),
        "{stdout}"
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    slipcast()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

/// The roff source names the page, every subcommand and the exit codes.
#[test]
fn man_page_is_roff_naming_every_subcommand() {
    let roff = stdout_of(&["man"]);
    assert!(roff.starts_with(".TH") || roff.contains("\n.TH "), "{roff}");
    for section in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "EXAMPLES",
        "\"EXIT STATUS\"",
    ] {
        assert!(
            roff.contains(&format!(".SH {section}")),
            "no {section} section"
        );
    }
    for sub in SUBCOMMANDS {
        assert!(
            roff.contains(&format!("slipcast\\-{sub}(1)")),
            "no slipcast-{sub}(1)"
        );
    }
}

#[test]
fn man_page_of_a_subcommand_has_its_flags() {
    let roff = stdout_of(&["man", "forecast"]);
    assert!(roff.contains(".TH slipcast-forecast 1"), "{roff}");
    assert!(roff.contains("\\-\\-iterations"), "no --iterations");
    assert!(roff.contains("\\-\\-seed"), "no --seed");
    slipcast()
        .args(["man", "forcast"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no subcommand 'forcast'"))
        .stderr(predicate::str::contains("forecast, explain, validate"));
}

/// Removes nroff's overstrike (bold `X\bX`, underline `_\bX`).
fn plain(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out.into_iter().collect()
}

/// Renders roff with `man -l -` or `nroff -man`, whichever is installed.
fn render(roff: &str) -> Option<String> {
    for (tool, args) in [("man", &["-l", "-"][..]), ("nroff", &["-man"][..])] {
        let child = Command::new(tool)
            .args(args)
            .env("LC_ALL", "C")
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("GROFF_NO_SGR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else { continue };
        child
            .stdin
            .take()
            .unwrap()
            .write_all(roff.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return Some(plain(&String::from_utf8_lossy(&out.stdout)));
    }
    None
}

/// The page renders as a reader sees it. Skipped, with a notice, where
/// neither man nor nroff is installed (`apt-get install man-db groff-base`).
#[test]
fn man_page_renders() {
    let Some(text) = render(&stdout_of(&["man"])) else {
        eprintln!("notice: man_page_renders skipped: neither man nor nroff is installed");
        return;
    };
    for heading in ["NAME", "SYNOPSIS", "SUBCOMMANDS", "EXIT STATUS"] {
        assert!(text.contains(heading), "no {heading} in:\n{text}");
    }
    for sub in SUBCOMMANDS {
        assert!(
            text.contains(&format!("slipcast-{sub}(1)")),
            "no {sub} in:\n{text}"
        );
    }
    let forecast = render(&stdout_of(&["man", "forecast"])).unwrap();
    assert!(forecast.contains("--iterations"), "{forecast}");
}

#[test]
fn exit_0_on_success() {
    slipcast().args(["validate", PLAN]).assert().code(0);
}

#[test]
fn exit_1_on_a_missing_plan() {
    slipcast()
        .args(["forecast", "no-such-plan.csv", "--start", "2027-01-04"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("Error: "))
        .stderr(predicate::str::contains("no-such-plan.csv"));
}

#[test]
fn exit_2_on_a_usage_error() {
    slipcast()
        .args(["forecast", PLAN, "--no-such-flag"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
    slipcast().arg("no-such-command").assert().code(2);
    slipcast().assert().code(2); // no subcommand
}

#[test]
fn help_and_version_exit_0() {
    slipcast()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit status:"))
        .stdout(predicate::str::contains("completions"))
        .stdout(predicate::str::contains("man"));
    slipcast()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("slipcast "));
}

/// Runs slipcast with stdout a pipe whose reader is already gone, so the
/// first write fails with EPIPE however small the output.
fn into_closed_pipe(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_slipcast"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// `slipcast ... | head` is a success: main.rs treats a closed pipe as one.
#[test]
fn a_closed_pipe_is_success() {
    for args in [
        &[
            "forecast",
            PLAN,
            "--start",
            "2027-01-04",
            "-n",
            "10k",
            "--quiet",
            "--json",
        ][..],
        &[
            "forecast",
            PLAN,
            "--start",
            "2027-01-04",
            "-n",
            "10k",
            "--quiet",
        ],
        &["completions", "bash"],
        &["man"],
    ] {
        let out = into_closed_pipe(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // As a shell runs it (pipefail: the pipeline fails if slipcast does).
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#"set -o pipefail; "$0" forecast "$1" --start 2027-01-04 -n 10k | head -c 10"#)
        .arg(env!("CARGO_BIN_EXE_slipcast"))
        .arg(PLAN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout.len(), 10);
}

/// `generated` in every result is the time of the run, unless
/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention) fixes it; a
/// value that is not whole seconds is refused before any work.
#[test]
fn generated_is_now_or_source_date_epoch() {
    let json = |out: &[u8]| -> serde_json::Value { serde_json::from_slice(out).unwrap() };
    let args = [
        "forecast",
        PLAN,
        "--start",
        "2027-01-04",
        "-n",
        "1000",
        "--json",
    ];
    let fixed = slipcast().args(args).output().unwrap();
    assert_eq!(json(&fixed.stdout)["generated"], "2027-01-01T00:00:00Z");

    let before = chrono::Utc::now().timestamp();
    let now = slipcast()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .unwrap();
    let after = chrono::Utc::now().timestamp();
    let text = json(&now.stdout)["generated"].as_str().unwrap().to_string();
    let at = chrono::DateTime::parse_from_rfc3339(&text)
        .unwrap()
        .timestamp();
    assert!(
        before <= at && at <= after,
        "{text} is not the time of the run"
    );

    slipcast()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"))
        .stderr(predicate::str::contains("whole seconds"));
}
