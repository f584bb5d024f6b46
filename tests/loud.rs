//! Input mistakes are loud: each is said with the file, the line (where
//! there is one) and the fix, and either refused (exit 1) or warned about
//! next to the result. Distributions mean what the README says they do.
//!
//! Why: a plan that reads but does not say what its author meant gives a
//! confident wrong date, which is worse than an error. These tests pin the
//! user-facing wording, the line numbers and the exit codes.

mod common;

use assert_cmd::Command;
use common::{json, refusal, slipcast, write};
use slipcast::plan::{DistKind, Estimate, ThreePoint};
use tempfile::TempDir;

const START: &str = "2027-01-04";
const HOUSE: &str = "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer";

fn forecast(plan: &str) -> Command {
    let mut cmd = slipcast();
    cmd.args(["forecast", plan, "--start", START, "-n", "2000"]);
    cmd
}

/// The stderr of a successful run.
fn warnings(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stderr.clone()).unwrap()
}

const PLAN: &str = "id,name,low,likely,high,depends_on\na,A,1,2,4,\nb,B,2,3,6,a\n";

// ------------------------------------------------------------ empty files

/// Every input that is empty says so, naming which input it is.
#[test]
fn empty_inputs_say_which_input_is_empty() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let plan = write(dir, "plan.csv", PLAN);
    let empty = write(dir, "empty.csv", "");
    let blank = write(dir, "blank.csv", "\n  \n");
    for (flag, what) in [
        ("--edges", "the edges file"),
        ("--risks", "the risk register"),
        ("--correlations", "the correlations file"),
        ("--holidays", "the holidays file"),
        ("--calendars", "the calendars file"),
    ] {
        for file in [&empty, &blank] {
            let err = refusal(forecast(&plan).args([flag, file]));
            assert!(
                err.contains(&format!(
                    "{file}: the file is empty; {what} needs its header line"
                )),
                "{flag}: {err}"
            );
        }
    }
    let err = refusal(&mut forecast(&empty));
    assert!(
        err.contains("the plan has a problem:")
            && err.contains(&format!("{empty}: the file is empty; the plan needs")),
        "{err}"
    );
    let err = refusal(slipcast().args(["validate", HOUSE, "--ranges", &empty]));
    assert!(
        err.contains(&format!(
            "{empty}: the file is empty; the ranges file needs"
        )),
        "{err}"
    );
}

/// A file that cannot be read is named with the input it was meant to be.
#[test]
fn unreadable_inputs_say_which_input() {
    let tmp = TempDir::new().unwrap();
    let plan = write(tmp.path(), "plan.csv", PLAN);
    for (flag, what) in [
        ("--edges", "the edges file"),
        ("--risks", "the risk register"),
        ("--correlations", "the correlations file"),
        ("--holidays", "the holidays file"),
        ("--calendars", "the calendars file"),
    ] {
        let err = refusal(forecast(&plan).args([flag, "no/such/risks.csv"]));
        assert!(
            err.contains(&format!("could not read {what} no/such/risks.csv: ")),
            "{flag}: {err}"
        );
    }
    let err = refusal(&mut forecast("no/such/plan.csv"));
    assert!(
        err.starts_with("Error: could not read the plan no/such/plan.csv: "),
        "{err}"
    );
}

// ---------------------------------------------------------- distributions

/// The standard error of the sample quantile at `p` of `n` draws from a
/// distribution with CDF `cdf` at `x`: `sqrt(p (1 - p) / n) / f(x)`.
fn quantile_se(e: &Estimate, x: f64, p: f64, n: f64) -> f64 {
    let h = 1e-4 * x.max(1.0);
    let density = (e.cdf(x + h) - e.cdf(x - h)) / (2.0 * h);
    (p * (1.0 - p) / n).sqrt() / density
}

/// A normal whose 80% interval comes near zero (P10 1, P90 9): truncated
/// at zero, it still has P10 1.00 and P90 9.00. Before, the untruncated
/// fit was cut at zero and its P10 came out near 1.4.
#[test]
fn a_normal_near_zero_keeps_its_stated_percentiles() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,name,low,likely,high,dist,confidence,depends_on\nX,Vendor wait,1,,9,normal,80,\n",
    );
    let n = 4_000_000;
    let out = json(slipcast().args([
        "forecast",
        &plan,
        "--start",
        START,
        "-n",
        &n.to_string(),
        "--seed",
        "1",
        "--json",
        "--basic",
    ]));
    let e = Estimate::new(
        DistKind::Normal,
        ThreePoint {
            low: Some(1.0),
            likely: None,
            high: Some(9.0),
            confidence: Some(80.0),
        },
    )
    .unwrap();
    for (key, p, want) in [("p10", 0.1, 1.0), ("p90", 0.9, 9.0)] {
        let got = out["duration"][key].as_f64().unwrap();
        // Four standard errors, plus the sampler's table (KS below 5e-5).
        let tol = 4.0 * quantile_se(&e, want, p, n as f64) + 5e-5 / 0.05;
        assert!(
            (got - want).abs() < tol,
            "{key} = {got}, want {want} +- {tol}"
        );
    }
}

/// An interval no normal truncated at zero has is refused, with the line
/// and what to do instead.
#[test]
fn an_impossible_normal_is_refused_with_its_line() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,low,likely,high,dist,confidence\nA,1,2,3,,\nB,0,,10,normal,80\n",
    );
    let err = refusal(&mut forecast(&plan));
    assert!(
        err.contains(&format!(
            "{plan}:3: task \"B\": no normal truncated at zero has P10 = 0 and P90 = 10"
        )) && err.contains("use dist lognormal"),
        "{err}"
    );
}

/// A lognormal with a confidence is fitted to low and high alone: a likely
/// given with them is said to be ignored, with the line and the fix.
#[test]
fn ignored_values_are_warned_about_with_their_line() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,low,likely,high,dist,confidence,depends_on\n\
         a,2,3,8,,,\n\
         b,2,3,20,lognormal,80,a\n\
         c,2,3,8,uniform,,b\n\
         d,2,3,8,fixed,,c\n\
         e,2,3,20,lognormal,,d\n",
    );
    let err = warnings(&mut forecast(&plan));
    assert!(
        err.contains(&format!(
            "warning: {plan}:3: task \"b\": likely (3) is ignored: a lognormal with a confidence is fitted to low and high alone (P10 = 2, P90 = 20"
        )) && err.contains("leave likely blank, or leave confidence blank"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{plan}:4: task \"c\": likely (3) is ignored: a uniform"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{plan}:5: task \"d\": low and high are ignored: a fixed"
        )),
        "{err}"
    );
    // Three points without a confidence: likely is the median, nothing is
    // ignored.
    assert!(!err.contains("task \"e\""), "{err}");
    assert!(!err.contains("task \"a\""), "{err}");
}
