//! `forecast --target DATE` and `--confidence C`: questions in the
//! user's words, answered from the same iterations as the forecast, and
//! consistent with its percentiles to the day.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const CHECKOUT: &str = "data/examples/checkout-v2.csv";

fn forecast() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipcast"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RAYON_NUM_THREADS")
        // A fixed generation time, so that two runs are byte-comparable.
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .timeout(Duration::from_secs(120))
        .args([
            "forecast",
            CHECKOUT,
            "--start",
            "2027-01-04",
            "--milestone",
            "ga",
        ])
        .args(["-n", "20000", "--drivers", "0"]);
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn answers_agree_with_the_percentiles() {
    let plain = json(&mut forecast());
    assert!(plain.get("target").is_none() && plain.get("confidence").is_none());
    let p80 = plain["finish"]["p80"].as_str().unwrap().to_string();
    let v = json(forecast().args(["--target", &p80, "--confidence", "80"]));
    // The P80 date has at least an 80% chance, and P80 is the P80.
    assert_eq!(v["target"]["date"], p80.as_str());
    assert!(v["target"]["probability"].as_f64().unwrap() >= 0.8);
    assert_eq!(v["confidence"]["finish"], p80.as_str());
    assert_eq!(v["confidence"]["percent"], 80.0);
    assert_eq!(v["confidence"]["duration"], v["duration"]["p80"]);
    // The day before the P50 date has less than a 50% chance.
    let p50 = chrono::NaiveDate::parse_from_str(v["finish"]["p50"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    let before = (p50 - chrono::Days::new(1)).to_string();
    let w = json(forecast().args(["--target", &before]));
    assert!(w["target"]["probability"].as_f64().unwrap() < 0.5);
    // Asking does not change the forecast itself.
    assert_eq!(w["duration"], plain["duration"]);
}

#[test]
fn summary_says_it_in_words() {
    forecast()
        .args(["--target", "2027-03-31", "--confidence", "85"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "We are 85% confident of finishing by",
        ))
        .stdout(predicate::str::contains(
            "The target Wed 2027-03-31 (working day 63) has",
        ));
}

#[test]
fn bad_questions_say_how_to_fix_them() {
    forecast()
        .args(["--confidence", "120"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--confidence: confidence 120 is out of range; give a percentage above 0 and at most 100",
        ));
    forecast()
        .args(["--target", "31/03/2027"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--target \"31/03/2027\" is not a date; write it as YYYY-MM-DD",
        ));
}
