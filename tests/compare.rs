//! Scenario comparison: a plan against itself differs by exactly
//! zero, common random numbers make paired differences exact where the
//! plans differ by a constant, intervals shrink with more iterations, and
//! the `slipcast compare` command's output contract and error messages.

mod common;

use common::{json, slipcast, write};
use std::fs;

use chrono::NaiveDate;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use slipcast::analysis::{
    CompareInputs, Comparison, Inputs, RunBasis, ScenarioInput, Target, compare,
};
use slipcast::engine::{SimOptions, simulate};
use slipcast::network::Network;
use slipcast::plan::{Calendar, Plan, parse_plan};

const START: &str = "2027-01-04";

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

fn cal() -> Calendar {
    Calendar::weekdays(NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap())
}

fn project(plan: &Plan, iterations: u64) -> Vec<f32> {
    simulate(
        &Network::compile(plan, None),
        &SimOptions::finish_only(iterations, 11),
    )
    .project
}

fn run(plans: &[&Plan], iterations: u64, target_day: Option<u64>) -> Comparison {
    let cal = cal();
    let projects: Vec<Vec<f32>> = plans.iter().map(|p| project(p, iterations)).collect();
    let labels: Vec<String> = (0..plans.len()).map(|i| format!("s{i}")).collect();
    let inputs: Vec<ScenarioInput> = plans
        .iter()
        .zip(&projects)
        .zip(&labels)
        .map(|((p, x), l)| ScenarioInput {
            label: l,
            plan: p,
            files: Inputs::plan(p.source.clone()),
            project: x,
        })
        .collect();
    compare(
        &inputs,
        &CompareInputs {
            basis: RunBasis::new(&cal, 11),
            milestone: None,
            target: target_day.map(|d| Target::new(cal.workday(d), &cal)),
        },
    )
}

#[test]
fn a_plan_against_itself_differs_by_exactly_zero() {
    let a = parse_plan("a.csv", PLAN_A, None).unwrap();
    let c = run(&[&a, &a], 20_000, Some(20));
    let d = c.scenarios[1].delta.as_ref().unwrap();
    for e in [
        d.mean_days,
        d.p50_days,
        d.p80_days,
        d.p90_days,
        d.probability.unwrap(),
    ] {
        assert_eq!(e.estimate, 0.0, "{e:?}");
        assert_eq!(e.low, Some(0.0), "{e:?}");
        assert_eq!(e.high, Some(0.0), "{e:?}");
        assert_eq!(e.standard_error, Some(0.0), "{e:?}");
    }
    assert_eq!(c.scenarios[1].shared_tasks, 4);
}

#[test]
fn common_random_numbers_make_a_constant_change_exact() {
    // Every iteration of B is A plus 3 days: the paired difference is 3
    // with no noise at all, although each plan alone has a spread of days.
    let a = parse_plan(
        "a.csv",
        "id,low,likely,high,depends_on\nx,2,5,12,\ny,,2,,x\n",
        None,
    )
    .unwrap();
    let b = parse_plan(
        "b.csv",
        "id,low,likely,high,depends_on\nx,2,5,12,\ny,,5,,x\n",
        None,
    )
    .unwrap();
    let c = run(&[&a, &b], 50_000, None);
    assert!(c.scenarios[0].days.std > 1.0);
    let d = c.scenarios[1].delta.as_ref().unwrap();
    for e in [d.mean_days, d.p50_days, d.p80_days, d.p90_days] {
        assert!((e.estimate - 3.0).abs() < 1e-4, "{e:?}");
        assert!(e.standard_error.unwrap() < 1e-4, "{e:?}");
    }
    assert!(d.probability.is_none());
}

#[test]
fn intervals_shrink_with_more_iterations() {
    let a = parse_plan("a.csv", PLAN_A, None).unwrap();
    let b = parse_plan("b.csv", PLAN_B, None).unwrap();
    let width = |c: &Comparison| {
        let d = c.scenarios[1].delta.clone().unwrap();
        [
            d.mean_days,
            d.p50_days,
            d.p80_days,
            d.p90_days,
            d.probability.unwrap(),
        ]
        .map(|e| e.high.unwrap() - e.low.unwrap())
    };
    let small = run(&[&a, &b], 8_000, Some(25));
    let large = run(&[&a, &b], 128_000, Some(25));
    // 16 times the iterations: about a quarter of the width.
    for (s, l) in width(&small).iter().zip(width(&large)) {
        assert!(l < s / 2.0 && l > s / 8.0, "width {s} -> {l}");
    }
    // B is later, clearly: every interval excludes zero.
    let d = large.scenarios[1].delta.as_ref().unwrap();
    for e in [d.mean_days, d.p50_days, d.p80_days, d.p90_days] {
        assert!(e.low.unwrap() > 0.0, "{e:?}");
    }
    assert!(d.probability.unwrap().high.unwrap() < 0.0);
    assert_eq!(large.scenarios[1].shared_tasks, 4);
    assert_eq!(large.scenarios[1].task_count, 5);
}

#[test]
fn intervals_cover_the_true_difference() {
    // The paired mean difference of A and B is known exactly: build's PERT
    // mean grows from (8 + 48 + 20) / 6 to (9 + 56 + 26) / 6, design and
    // test are shared, docs never binds (design + docs < design + build),
    // and review adds (1 + 8 + 3) / 6 days.
    let a = parse_plan("a.csv", PLAN_A, None).unwrap();
    let b = parse_plan("b.csv", PLAN_B, None).unwrap();
    let truth = (91.0 - 76.0) / 6.0 + 2.0;
    let mut covered = 0;
    for seed in 0..20u64 {
        let pa = simulate(
            &Network::compile(&a, None),
            &SimOptions::finish_only(4_000, seed),
        )
        .project;
        let pb = simulate(
            &Network::compile(&b, None),
            &SimOptions::finish_only(4_000, seed),
        )
        .project;
        let cal = cal();
        let sc = |label, plan, project| ScenarioInput {
            label,
            plan,
            files: Inputs::plan("plan.csv"),
            project,
        };
        let c = compare(
            &[sc("a", &a, &pa), sc("b", &b, &pb)],
            &CompareInputs {
                basis: RunBasis::new(&cal, seed),
                milestone: None,
                target: None,
            },
        );
        let m = c.scenarios[1].delta.as_ref().unwrap().mean_days;
        if m.low.unwrap() <= truth && truth <= m.high.unwrap() {
            covered += 1;
        }
    }
    // 95% intervals: 20 seeds miss more than 4 times with probability < 2%.
    assert!(covered >= 16, "covered {covered} of 20");
}

// The command as a user runs it.

#[test]
fn cli_json_side_by_side_with_deltas() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.csv", PLAN_A);
    let b = write(dir.path(), "b.csv", PLAN_B);
    let v = json(slipcast().args([
        "compare",
        &a,
        &b,
        "--start",
        START,
        "--target",
        "2027-02-05",
        "-n",
        "20000",
        "--json",
    ]));
    assert_eq!(v["target"], "2027-02-05");
    assert_eq!(v["interval"]["batches"], 20);
    let s = v["scenarios"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["label"], "a.csv");
    assert!(s[0]["delta"].is_null());
    for key in ["p50", "p80", "p90"] {
        assert!(s[1]["finish"][key].is_string(), "{key}");
        assert!(s[1]["days"][key].is_number(), "{key}");
    }
    assert!(s[1]["days"]["mean"].is_number());
    assert!(s[1]["probability"].is_number());
    for key in [
        "mean_days",
        "p50_days",
        "p80_days",
        "p90_days",
        "probability",
    ] {
        let e = &s[1]["delta"][key];
        for part in ["estimate", "low", "high", "standard_error"] {
            assert!(e[part].is_number(), "delta.{key}.{part}: {e}");
        }
    }
    assert!(s[1]["delta"]["mean_days"]["low"].as_f64().unwrap() > 0.0);
}

#[test]
fn cli_same_plan_twice_prints_zero_differences() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.csv", PLAN_A);
    slipcast()
        .args(["compare", &a, &a, "--start", START, "-n", "20000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("a.csv #2"))
        .stdout(predicate::str::contains(
            "+0.0 [+0.0, +0.0]  +0.0 [+0.0, +0.0]  +0.0 [+0.0, +0.0]  +0.0 [+0.0, +0.0]",
        ));
}

#[test]
fn cli_per_scenario_edges_and_out() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.csv", PLAN_A);
    // docs must now wait for test: the edge makes the plan longer.
    let e = write(dir.path(), "e.csv", "from,to,type,lag\ntest,docs,FS,0\n");
    let out = dir.path().join("out");
    slipcast()
        .args(["compare", &a, &a, "--edges", "-", "--edges", &e])
        .args(["--start", START, "-n", "20000", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let csv = fs::read_to_string(out.join("compare.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("scenario,plan,edges,risks,task_count,")
    );
    assert!(lines.next().unwrap().starts_with("a.csv,"));
    assert!(lines.next().unwrap().starts_with("a.csv + e.csv,"));
    let v: Value =
        serde_json::from_str(&fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    assert!(
        v["scenarios"][1]["delta"]["mean_days"]["estimate"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    // Issue item 7: the scenarios' S-curves on one chart, PNG and SVG,
    // with each scenario's label in the legend.
    let png = fs::read(out.join("compare.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let svg = fs::read_to_string(out.join("compare.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert!(svg.contains("\na.csv \u{b7} P80 "), "legend");
    assert!(svg.contains("\na.csv + e.csv \u{b7} P80 "), "legend");
}

/// Issue item 7: every scenario's S-curve is on one axis of days, each the
/// chance of finishing on or before the day (the finish chart's
/// convention): it rises to 1, and each scenario's P80 dot is on the first
/// day its curve reaches 80%.
#[test]
fn scenario_curves_share_one_axis_and_meet_their_p80() {
    let (a, b) = (
        parse_plan("a.csv", PLAN_A, None).unwrap(),
        parse_plan("b.csv", PLAN_B, None).unwrap(),
    );
    let c = run(&[&a, &b], 20_000, Some(30));
    let days =
        |k: usize| -> Vec<u64> { c.scenarios[k].finish_days.iter().map(|d| d.day).collect() };
    assert_eq!(days(0), days(1), "one axis");
    assert!(days(0).contains(&30), "widened to the target");
    let view = slipcast::report::chart::CompareView::new(&c);
    assert_eq!(view.curves.len(), 2);
    assert_eq!(view.target.map(|t| t.0), Some(30));
    for curve in &view.curves {
        let ys: Vec<f64> = curve.points.iter().map(|p| p.1).collect();
        assert!(ys.windows(2).all(|w| w[0] <= w[1]), "an S-curve rises");
        assert!(*ys.last().unwrap() >= 0.999);
        let day = curve.p80_day.unwrap();
        let at = |d: u64| curve.points.iter().find(|p| p.0 == d).unwrap().1;
        assert!(at(day) >= 0.8 && at(day - 1) < 0.8, "P80 on day {day}");
    }
    let chart = slipcast::report::chart::Chart::from(view);
    assert!(chart.svg().unwrap().contains("\ns1 \u{b7} P80 "));
}

/// Issue item 7: a difference known to within a tenth of a day prints
/// with the decimals that tell its interval's ends from its estimate, not
/// as `+4.7 [+4.7, +4.7]`.
#[test]
fn tight_intervals_print_with_enough_decimals() {
    let (a, b) = (
        parse_plan("a.csv", PLAN_A, None).unwrap(),
        parse_plan("b.csv", PLAN_B, None).unwrap(),
    );
    let c = run(&[&a, &b], 200_000, None);
    let text = slipcast::report::compare_text(&c);
    let d = c.scenarios[1].delta.as_ref().unwrap().mean_days;
    let (lo, hi) = (d.low.unwrap(), d.high.unwrap());
    assert!(hi - lo < 0.1, "a tight interval: {d:?}");
    let digits = (1..=3)
        .find(|&k| {
            let f = |x: f64| format!("{x:+.k$}");
            f(lo) != f(d.estimate) && f(hi) != f(d.estimate)
        })
        .unwrap_or(3);
    let f = |x: f64| format!("{x:+.digits$}");
    let cell = format!("{} [{}, {}]", f(d.estimate), f(lo), f(hi));
    assert!(digits >= 2, "{cell}");
    assert!(text.contains(&cell), "{cell} in {text}");
}

#[test]
fn cli_errors_say_what_and_how_to_fix() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.csv", PLAN_A);
    let b = write(dir.path(), "b.csv", PLAN_B);
    slipcast()
        .args(["compare", &a, "--start", START])
        .assert()
        .code(2);
    slipcast()
        .args([
            "compare", &a, &b, &a, "--edges", "x.csv", "--edges", "y.csv",
        ])
        .args(["--start", START])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--edges is given 2 times for 3 plans; give it once (for every plan) or once per plan",
        ));
    slipcast()
        .args(["compare", &a, &b, "--start", START, "--milestone", "review"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--milestone \"review\" is not a task id in",
        ))
        .stderr(predicate::str::contains("a.csv"));
    slipcast()
        .args(["compare", &a, &b, "--start", START, "--target", "soon"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--target \"soon\" is not a date"));
}

#[test]
fn cli_help_has_examples() {
    slipcast()
        .args(["compare", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("Per-scenario files"));
}

#[test]
fn cli_risks_per_scenario() {
    // The same plan without and with a risk register: the risk can only add
    // delay, and with common random numbers the paired difference is never
    // negative in any iteration, so its interval sits above zero.
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.csv", PLAN_A);
    let r = write(
        dir.path(),
        "risks.csv",
        "id,name,probability,low,likely,high,dist,affects\n\
         vendor,Vendor late,0.3,2,4,8,pert,build\n",
    );
    let v = json(
        slipcast()
            .args(["compare", &a, &a, "--risks", "-", "--risks", &r])
            .args(["--start", START, "-n", "20000", "--json"]),
    );
    let s = &v["scenarios"];
    assert!(s[0]["risks"].is_null());
    assert!(s[1]["risks"].as_str().unwrap().ends_with("risks.csv"));
    assert_eq!(s[1]["label"], "a.csv + risks.csv");
    let m = &s[1]["delta"]["mean_days"];
    // 0.3 x mean PERT(2, 4, 8) = 0.3 x 13/3 = 1.3 days on the critical chain.
    assert!(m["low"].as_f64().unwrap() > 1.1, "{m}");
    assert!(m["high"].as_f64().unwrap() < 1.5, "{m}");
}
