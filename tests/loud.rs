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

// ------------------------------------------------------- plans that say little

/// A plan of several tasks with no links at all is warned about: every task
/// starts at the start, which is rarely what a plan means.
#[test]
fn a_plan_without_links_is_warned_about() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,low,likely,high\na,1,2,4\nb,2,3,6\nc,1,1,2\n",
    );
    let err = warnings(&mut forecast(&plan));
    assert!(
        err.contains(&format!(
            "warning: {plan}: none of the 3 tasks has a link, so they all start at the start"
        )) && err.contains("give each task its predecessors in depends_on"),
        "{err}"
    );
    assert!(!err.contains("no uncertainty"), "{err}");
    // One task needs no link; linked tasks get no warning.
    let one = write(tmp.path(), "one.csv", "id,low,likely,high\na,1,2,4\n");
    assert_eq!(warnings(&mut forecast(&one)), "");
    let linked = write(tmp.path(), "linked.csv", PLAN);
    assert_eq!(warnings(&mut forecast(&linked)), "");
}

/// A plan where nothing has a range gets the warning, and its headline
/// (terminal, and the report's summary) says there is nothing to be
/// confident about instead of "We are 80% confident".
#[test]
fn a_plan_without_uncertainty_says_so() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,likely,depends_on\na,3,\nb,4,a\n",
    );
    let err = warnings(&mut forecast(&plan));
    assert!(
        err.contains(&format!(
            "warning: {plan}: this forecast has no uncertainty: every task has a single duration and no risk adds any"
        )) && err.contains("give tasks low and high estimates"),
        "{err}"
    );
    let out = common::stdout(&mut forecast(&plan));
    assert!(
        out.contains("the plan finishes on Tue 2027-01-12 in every iteration"),
        "{out}"
    );
    assert!(!out.contains("80% confident"), "{out}");

    let dir = tmp.path().join("report");
    let headline = common::stdout(slipcast().args([
        "report",
        &plan,
        "--start",
        START,
        "-n",
        "2000",
        "--out",
        dir.to_str().unwrap(),
    ]));
    assert!(
        headline.starts_with(
            "Every iteration gives the same date, Tue 2027-01-12: the plan has no uncertainty"
        ),
        "{headline}"
    );
    let md = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(
        md.contains("Every iteration gives the same date") && !md.contains("We are 80% confident"),
        "{md}"
    );

    // A risk that may fire is uncertainty enough.
    let risks = write(
        tmp.path(),
        "risks.csv",
        "id,name,probability,low,likely,high,dist,affects\nr,R,30%,,2,,,a\n",
    );
    let err = warnings(forecast(&plan).args(["--risks", &risks]));
    assert!(!err.contains("no uncertainty"), "{err}");
}

/// A P6 plan without ranges is told once, by the import's own warning.
#[test]
fn an_unranged_p6_plan_is_told_once() {
    let err = warnings(slipcast().args(["forecast", HOUSE, "-n", "2000"]));
    assert_eq!(err.matches("no uncertainty").count(), 1, "{err}");
}

// ------------------------------------------------------------------ flags

/// `--confidence` is a percentage: `80%` reads as 80, and a fraction is
/// refused with the percentage it probably means.
#[test]
fn confidence_is_a_percentage() {
    let tmp = TempDir::new().unwrap();
    let plan = write(tmp.path(), "plan.csv", PLAN);
    let with = |c: &str| json(forecast(&plan).args(["--json", "--confidence", c]));
    assert_eq!(with("80%")["confidence"], with("80")["confidence"]);
    let err = refusal(forecast(&plan).args(["--confidence", "0.8"]));
    assert!(
        err.contains("--confidence 0.8: a confidence is a percentage, so 0.8 would be P0.8; did you mean 80? Write --confidence 80 (or 80%)"),
        "{err}"
    );
    let err = refusal(slipcast().args([
        "cutline",
        &plan,
        "--start",
        START,
        "--target",
        "2027-02-01",
        "--confidence",
        "0.9",
    ]));
    assert!(err.contains("did you mean 90?"), "{err}");
    // Not a number at all: a usage error, as any flag value that does not
    // parse.
    let out = forecast(&plan)
        .args(["--confidence", "high"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("\"high\" is not a percentage; write a number such as 80 or 80%"),
        "{err}"
    );
}

/// A `--correlate team:NAME=` rule for a team no task has is an error
/// with the closest team, not a rule that silently does nothing.
#[test]
fn a_correlation_rule_for_an_unknown_team_is_refused() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,team,low,likely,high,depends_on\na,payments,1,2,4,\nb,payments,2,3,6,a\nc,web,1,2,3,a\n",
    );
    let err = refusal(forecast(&plan).args(["--correlate", "team:paymnts=0.5"]));
    assert!(
        err.contains(&format!(
            "--correlate team:paymnts=0.5: no task of {plan} has team \"paymnts\" (did you mean \"payments\"?); its teams are \"payments\", \"web\""
        )),
        "{err}"
    );
    warnings(forecast(&plan).args(["--correlate", "team:payments=0.5"]));
}

/// The holidays file: `date` wins over another date-like column, and a
/// file of bare dates (no header) is read, its bad lines named.
#[test]
fn holidays_files_pick_the_date_column_or_have_none() {
    let tmp = TempDir::new().unwrap();
    let plan = write(tmp.path(), "plan.csv", PLAN);
    let finish =
        |h: &str| json(forecast(&plan).args(["--json", "--holidays", h]))["finish"].clone();
    let plain = write(tmp.path(), "plain.csv", "date\n2027-01-05\n2027-01-06\n");
    let named = write(
        tmp.path(),
        "named.csv",
        "holiday,date\nTwelfth night,2027-01-05\nEpiphany,2027-01-06\n",
    );
    let bare = write(tmp.path(), "bare.csv", "2027-01-05\n2027-01-06\n");
    let none = json(forecast(&plan).arg("--json"))["finish"].clone();
    assert_ne!(finish(&plain), none);
    assert_eq!(finish(&named), finish(&plain));
    assert_eq!(finish(&bare), finish(&plain));
    let bad = write(tmp.path(), "bad.csv", "2027-01-05\n2027-13-06\n");
    let err = refusal(forecast(&plan).args(["--holidays", &bad]));
    assert!(
        err.contains(&format!("{bad}:2: date \"2027-13-06\" is not a date")),
        "{err}"
    );
}

/// A `--start` on a weekend or a holiday is moved to the next working day,
/// and the run says so, naming both dates.
#[test]
fn a_start_on_a_day_off_is_noted() {
    let tmp = TempDir::new().unwrap();
    let plan = write(tmp.path(), "plan.csv", PLAN);
    let mut cmd = slipcast();
    cmd.args(["forecast", &plan, "--start", "2027-01-02", "-n", "2000"]);
    let err = warnings(&mut cmd);
    assert!(
        err.contains("note: --start 2027-01-02 is a Saturday, not a working day (--workdays Mon-Fri); the plan starts on the next working day, Monday 2027-01-04 (working day 1)"),
        "{err}"
    );
    let hol = write(tmp.path(), "hol.csv", "date\n2027-01-04\n");
    let err = warnings(forecast(&plan).args(["--holidays", &hol]));
    assert!(
        err.contains(&format!(
            "note: --start 2027-01-04 is a holiday in {hol}; the plan starts on the next working day, Tuesday 2027-01-05"
        )),
        "{err}"
    );
    assert_eq!(warnings(&mut forecast(&plan)), "");
}

/// `--out` naming a file, or a folder inside a file, is refused in words.
#[test]
fn out_naming_a_file_is_refused_in_words() {
    let tmp = TempDir::new().unwrap();
    let plan = write(tmp.path(), "plan.csv", PLAN);
    let file = write(tmp.path(), "notes.txt", "mine");
    let err = refusal(forecast(&plan).args(["--out", &file]));
    assert!(
        err.contains(&format!(
            "cannot write '{file}': it is a file, not a folder"
        )),
        "{err}"
    );
    let inside = format!("{file}/out");
    let err = refusal(forecast(&plan).args(["--out", &inside]));
    assert!(
        err.contains(&format!(
            "cannot write '{inside}': '{file}' is a file, not a folder, so no folder can be made inside it"
        )) && !err.contains("os error"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// `validate` shows the warnings too: on stderr, and in its JSON with the
/// file, line and task of each.
#[test]
fn validate_lists_the_warnings() {
    let tmp = TempDir::new().unwrap();
    let plan = write(
        tmp.path(),
        "plan.csv",
        "id,low,likely,high,dist,confidence,depends_on\na,2,3,8,,,\nb,2,3,20,lognormal,80,a\n",
    );
    let err = warnings(slipcast().args(["validate", &plan]));
    assert!(
        err.contains(&format!(
            "warning: {plan}:3: task \"b\": likely (3) is ignored"
        )),
        "{err}"
    );
    let v = json(slipcast().args(["validate", &plan, "--json"]));
    assert_eq!(v["valid"], true);
    let w = &v["warnings"][0];
    assert_eq!(
        (w["file"].as_str(), w["line"].as_u64(), w["task"].as_str()),
        (Some(plan.as_str()), Some(3), Some("b"))
    );
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .starts_with("likely (3) is ignored"),
        "{w}"
    );
    assert_eq!(v["warnings"].as_array().unwrap().len(), 1, "{v}");
}

// ------------------------------------------------ calendars the plan keeps

/// A plan whose tasks keep their own calendars (a P6 or MS Project file,
/// or a plan CSV with `--calendars`) works on those: `--workdays` and
/// `--holidays` would be ignored, so they are refused, saying why.
#[test]
fn run_calendar_flags_on_a_plan_with_its_own_calendars_are_refused() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let holidays = write(dir, "holidays.csv", "date\n2027-01-06\n");
    let calendars = write(dir, "calendars.csv", "calendar,date,working\nstd,,\n");
    let plan = write(
        dir,
        "plan.csv",
        "id,low,likely,high,calendar\na,1,2,4,std\n",
    );
    for file in [HOUSE, "tests/data/mspdi/synthetic.xml"] {
        let err = refusal(forecast(file).args(["--workdays", "Sun-Thu"]));
        assert!(
            err.contains(&format!(
                "--workdays Sun-Thu applies to a plan on the run's calendar; the tasks of \
                 {file} work on their own calendars (from the file), so leave --workdays out"
            )),
            "{err}"
        );
        let err = refusal(forecast(file).args(["--holidays", &holidays]));
        assert!(
            err.contains("applies to a plan on the run's calendar")
                && err.contains("so leave --holidays out"),
            "{err}"
        );
    }
    let err = refusal(forecast(&plan).args(["--calendars", &calendars, "--workdays", "Mon-Thu"]));
    assert!(
        err.contains(
            "--workdays Mon-Thu applies to a plan on the run's calendar; with --calendars"
        ),
        "{err}"
    );
    // The default is no flag at all: the same plans run without them.
    forecast(HOUSE).assert().success();
    let own = write(dir, "own.csv", PLAN);
    forecast(&own)
        .args(["--workdays", "Mon-Thu"])
        .assert()
        .success();
}

/// A `--target` is checked against the start of the plan as run: the data
/// date of a P6 plan (not today, when no `--start` is given), and `--start`
/// for a plan on the run's calendar.
#[test]
fn target_is_checked_against_the_plan_s_own_start() {
    let mut cmd = slipcast();
    cmd.args(["forecast", HOUSE, "-n", "2000", "--range", "90,100,130"]);
    let out = common::stdout(cmd.args(["--target", "2023-09-01"]));
    assert!(out.contains("The target Fri 2023-09-01 (day 41)"), "{out}");
    let mut cmd = slipcast();
    cmd.args(["forecast", HOUSE, "-n", "2000", "--target", "2023-07-01"]);
    let err = refusal(&mut cmd);
    assert!(
        err.contains(&format!(
            "--target 2023-07-01 is before the data date of {HOUSE}, 2023-07-23; give a target \
             on or after it"
        )),
        "{err}"
    );
    let err = refusal(forecast("data/examples/checkout-v2.csv").args(["--target", "2026-12-01"]));
    assert!(
        err.contains("--target 2026-12-01 is before the start date 2027-01-04"),
        "{err}"
    );
}
