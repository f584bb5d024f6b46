//! Cut-line sweeps: known answers, exact monotonicity over random
//! plans, dependents cut with their task, the warnings a planner needs, and
//! the `slipcast cutline` command's output contract and error messages.

mod common;

use common::{json, slipcast, write};
use std::fs;

use assert_cmd::Command;
use chrono::NaiveDate;
use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use slipcast::analysis::{
    Confidence, Cutline, ForecastInputs, RunBasis, Scope, ScopeWarning, SweepOptions, Target, sweep,
};
use slipcast::engine::{SimOptions, simulate, simulate_nested};
use slipcast::network::{Model, Network};
use slipcast::plan::{Calendar, Plan, TeamRule, build_correlation, parse_plan, parse_risks};

const START: &str = "2027-01-04";

fn start() -> NaiveDate {
    NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap()
}

fn plan(text: &str) -> Plan {
    parse_plan("plan.csv", text, None).unwrap()
}

/// Sweeps `plan` against `target` (a working day number) at `confidence`.
fn run(plan: &Plan, target_day: u64, confidence: f64, iterations: u64) -> Cutline {
    let cal = Calendar::weekdays(start());
    let net = Network::compile(plan, None);
    let scope = Scope::new(plan, None);
    let inputs = ForecastInputs::new(plan, RunBasis::new(&cal, 7));
    let opts = SweepOptions {
        iterations,
        seed: 7,
        target: Target::new(cal.workday(target_day), &cal),
        confidence: Confidence::new(confidence).unwrap(),
        progress: None,
    };
    sweep(&inputs, &net, &scope, &opts)
}

/// A must-have fixed 10-day task, then four optional fixed 5-day tasks in
/// series with priorities 1 to 4.
const SERIES: &str = "id,likely,depends_on,priority\n\
                      core,10,,\n\
                      p1,5,core,1\n\
                      p2,5,p1,2\n\
                      p3,5,p2,3\n\
                      p4,5,p3,4\n";

/// With team capacity, a cut frees its people: three parallel fixed tasks
/// (6, 4 and 3 days, the last two optional) on a team of one person. No
/// cut buys anything without capacity; with it, each cut position finishes
/// exactly the cut tasks' days earlier.
#[test]
fn with_capacity_a_cut_frees_its_people_for_the_rest() {
    let p = plan("id,team,likely,priority\ncore,be,6,\nx,be,4,1\ny,be,3,2\n");
    let cal = Calendar::weekdays(start());
    let cap = slipcast::plan::Capacity::from_teams(
        &p,
        vec![slipcast::plan::Team {
            name: "be".into(),
            people: 1,
            unplanned: None,
        }],
    )
    .unwrap();
    let sweep_with = |capacity| {
        let net = Network::compile_with(
            &p,
            &Model {
                capacity,
                ..Model::default()
            },
        );
        let opts = SweepOptions {
            iterations: 1_000,
            seed: 7,
            target: Target::new(cal.workday(20), &cal),
            confidence: Confidence::new(80.0).unwrap(),
            progress: None,
        };
        let inputs = ForecastInputs::new(&p, RunBasis::new(&cal, 7));
        sweep(&inputs, &net, &Scope::new(&p, None), &opts)
    };
    let days = |c: &Cutline| c.positions.iter().map(|x| x.days.p80).collect::<Vec<_>>();
    assert_eq!(days(&sweep_with(None)), vec![6.0, 6.0, 6.0]);
    assert_eq!(days(&sweep_with(Some(&cap))), vec![13.0, 10.0, 6.0]);
}

#[test]
fn series_known_answer_cuts_priorities_3_and_4_exactly() {
    let p = plan(SERIES);
    let c = run(&p, 20, 80.0, 2_000);
    let days: Vec<f64> = c.positions.iter().map(|p| p.days.p80).collect();
    assert_eq!(days, [30.0, 25.0, 20.0, 15.0, 10.0]);
    let prob: Vec<f64> = c.positions.iter().map(|p| p.probability).collect();
    assert_eq!(prob, [0.0, 0.0, 1.0, 1.0, 1.0]);
    let r = c.recommended.as_ref().expect("a cut meets day 20");
    assert_eq!(r.cut, ["p3", "p4"]);
    assert_eq!(r.keep, ["p1", "p2"]);
    assert_eq!(r.position, 2);
    assert_eq!(r.cut_from_priority, Some(3));
    // Working day 20 from Mon 2027-01-04 is Fri 2027-01-29.
    assert_eq!(r.finish.to_string(), "2027-01-29");
    assert_eq!(c.target_working_day, 20);
    assert!(c.shortfall.is_none());
    // Cutting p3 takes p4 with it: p4 depends on p3.
    let g = &c.positions[2].groups;
    assert_eq!(g.len(), 1);
    assert_eq!(
        (g[0].id.as_str(), g[0].with.as_slice()),
        ("p3", &["p4".to_string()][..])
    );
}

#[test]
fn chart_data_follows_the_sweep() {
    let c = run(&plan(SERIES), 20, 80.0, 1_000);
    let chart = c.chart();
    let labels: Vec<&str> = chart.bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "nothing",
            "priority 4",
            "priority 3-4",
            "priority 2-4",
            "priority 1-4"
        ]
    );
    let rec: Vec<bool> = chart.bars.iter().map(|b| b.recommended).collect();
    assert_eq!(rec, [false, false, true, false, false]);
    assert_eq!(chart.bars[2].p80_days, 20.0);
    assert_eq!(chart.bars[2].tasks_cut, 2);
    assert_eq!(chart.bars[2].cut_work_days, 10.0);
    assert_eq!(chart.target_working_day, 20);
}

#[test]
fn series_one_day_short_needs_one_more_level() {
    let c = run(&plan(SERIES), 19, 80.0, 1_000);
    assert_eq!(c.recommended.unwrap().cut, ["p2", "p3", "p4"]);
}

#[test]
fn even_must_haves_miss_says_by_how_much() {
    // The must-have alone takes 10 working days; the target is day 8.
    let c = run(&plan(SERIES), 8, 80.0, 1_000);
    assert!(c.recommended.is_none());
    let f = c.shortfall.as_ref().unwrap();
    assert_eq!(f.working_days_late, 2);
    // Day 8 is Wed 2027-01-13, day 10 is Fri 2027-01-15.
    assert_eq!(f.finish.to_string(), "2027-01-15");
    assert_eq!(f.calendar_days_late, 2);
    assert_eq!(f.probability, 0.0);
    let text = slipcast::report::verdict(&c);
    assert!(
        text.starts_with("Even the must-haves alone miss the target at P80"),
        "{text}"
    );
    assert!(text.contains("2 working days"), "{text}");
}

#[test]
fn nothing_to_cut_when_everything_fits() {
    let c = run(&plan(SERIES), 40, 80.0, 1_000);
    let r = c.recommended.unwrap();
    assert_eq!(r.position, 0);
    assert!(r.cut.is_empty());
    assert_eq!(r.keep, ["p1", "p2", "p3", "p4"]);
}

#[test]
fn a_cut_task_takes_its_dependents_with_it() {
    // feature-ui and feature-docs depend on feature; cutting feature
    // (priority 2) cuts both, and says so.
    let p = plan(
        "id,low,likely,high,depends_on,priority\n\
         core,8,10,14,,\n\
         feature,3,5,9,core,2\n\
         feature-ui,2,3,6,feature,2\n\
         feature-docs,1,2,3,feature-ui,3\n\
         polish,1,2,4,core,1\n",
    );
    let c = run(&p, 15, 80.0, 4_000);
    let cuts: Vec<&[String]> = c.positions.iter().map(|p| p.cut.as_slice()).collect();
    assert_eq!(cuts[1], ["feature-docs"]);
    assert_eq!(cuts[2], ["feature", "feature-ui", "feature-docs"]);
    assert_eq!(cuts[3], ["feature", "feature-ui", "feature-docs", "polish"]);
    let g = &c.positions[2].groups;
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].id, "feature");
    assert_eq!(g[0].with, ["feature-ui", "feature-docs"]);
    let text = slipcast::report::cutline_text(&c);
    assert!(
        text.contains("priority 2: feature (with feature-ui, feature-docs)"),
        "{text}"
    );
}

#[test]
fn must_have_depending_on_optional_warns_and_keeps_it() {
    let p = plan(
        "id,likely,depends_on,priority\n\
         spike,2,,3\n\
         build,5,spike,\n\
         extra,4,,2\n",
    );
    let s = Scope::new(&p, None);
    assert_eq!(
        s.warnings(),
        [ScopeWarning::NeededByMustHave {
            task: "spike".into(),
            priority: 3,
            needed_by: "build".into(),
        }]
    );
    let c = run(&p, 10, 80.0, 1_000);
    assert!(c.positions.iter().all(|p| !p.cut.contains(&"spike".into())));
    assert_eq!(c.warnings.len(), 1);
    assert!(c.warnings[0].contains("effectively a must-have"));
}

/// One random task row: id, estimate, links to earlier tasks, priority,
/// status and team.
/// A generated task row: distribution, low, likely - low, high - likely,
/// links (predecessor, type, lag), priority, status and team.
type Row = (u8, f64, f64, f64, Vec<(usize, u8, i8)>, Option<u8>, u8, u8);

fn row() -> impl Strategy<Value = Row> {
    (
        0u8..5,
        0.5f64..5.0,
        0.0f64..5.0,
        0.5f64..8.0,
        proptest::collection::vec((0usize..1000, 0u8..4, -2i8..4), 0..3),
        proptest::option::of(1u8..5),
        0u8..10,
        0u8..3,
    )
}

/// A random plan in CSV: ranged estimates, all four link types with leads
/// and lags, priorities, in-progress and done tasks, teams.
fn random_plan(rows: &[Row]) -> String {
    let mut s = String::from("id,low,likely,high,dist,depends_on,priority,status,team\n");
    for (i, (dist, low, a, b, links, prio, status, team)) in rows.iter().enumerate() {
        let (likely, high) = (low + a, low + a + b);
        let dist = ["pert", "triangular", "uniform", "lognormal", "fixed"][*dist as usize];
        let (low, likely, high) = if dist == "fixed" {
            (String::new(), format!("{likely:.2}"), String::new())
        } else {
            (
                format!("{low:.2}"),
                format!("{likely:.2}"),
                format!("{:.2}", high.max(low + 0.5)),
            )
        };
        let deps: Vec<String> = if i == 0 {
            Vec::new()
        } else {
            let mut seen = Vec::new();
            links
                .iter()
                .filter_map(|&(p, kind, lag)| {
                    let p = p % i;
                    if seen.contains(&p) {
                        return None;
                    }
                    seen.push(p);
                    let kind = ["", ":SS", ":FF", ":SF"][kind as usize];
                    let lag = match lag {
                        0 => String::new(),
                        l => format!("{l:+}"),
                    };
                    Some(format!("t{p}{kind}{lag}"))
                })
                .collect()
        };
        let status = match status {
            0 => "done",
            1 => "in_progress",
            _ => "todo",
        };
        let prio = prio.map(|p| p.to_string()).unwrap_or_default();
        s.push_str(&format!(
            "t{i},{low},{likely},{high},{dist},{},{prio},{status},team{team}\n",
            deps.join(";")
        ));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Cutting more scope never makes anything later: per iteration, every
    /// position's project finish is at most the previous one's (so every
    /// percentile, date and probability is monotone), exactly, for a fixed
    /// seed; with a risk register too.
    #[test]
    fn cutting_more_never_finishes_later(
        rows in proptest::collection::vec(row(), 2..14),
        risky in 0usize..1000,
        milestone in proptest::option::of(0usize..1000),
        target in 1u64..40,
    ) {
        let text = random_plan(&rows);
        let plan = parse_plan("random.csv", &text, None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let n = plan.tasks.len();
        let risk_csv = format!(
            "id,probability,low,likely,high,affects\nr1,0.4,1,2,5,t{};t{}\n",
            risky % n,
            (risky / 7) % n
        );
        let risks = parse_risks("risks.csv", &risk_csv, &plan).unwrap();
        let milestone = milestone.map(|m| m % n);
        let rho = [None, Some(0.5), Some(0.9)][risky % 3];
        let rules: Vec<TeamRule> = rho.into_iter().map(TeamRule::AllTeams).collect();
        let correlation = build_correlation(&plan, &rules, &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let net = Network::compile_with(
            &plan,
            &Model {
                milestone,
                risks: &risks,
                correlation: correlation.as_ref(),
                ..Model::default()
            },
        );
        let scope = Scope::new(&plan, milestone);
        let iterations = 512;
        let opts = SimOptions::finish_only(iterations, 3);
        // One pass for every position, as the sweep runs it.
        let nested = simulate_nested(&net, &scope.last_positions(), scope.positions(), &opts);
        let mut prev: Option<Vec<f32>> = None;
        for (k, one_pass) in nested.iter().enumerate() {
            let cut = scope.cut_at(k);
            // A kept task never depends on a cut one.
            for (t, task) in plan.tasks.iter().enumerate() {
                if !cut[t] && task.status != slipcast::plan::Status::Done {
                    for l in &task.links {
                        let pred_done = plan.tasks[l.pred].status == slipcast::plan::Status::Done;
                        prop_assert!(!cut[l.pred] || pred_done, "{} kept, {} cut", t, l.pred);
                    }
                }
            }
            let project = simulate(&net.without(&cut), &opts).project;
            prop_assert_eq!(one_pass, &project, "position {}: one pass differs", k);
            if let Some(prev) = &prev {
                for (i, (a, b)) in prev.iter().zip(&project).enumerate() {
                    prop_assert!(b <= a, "position {k}, iteration {i}: {b} > {a}\n{text}");
                }
            }
            prev = Some(project);
        }
        // And the sweep's summary is monotone position by position.
        let cal = Calendar::weekdays(start());
        let inputs = ForecastInputs {
            milestone,
            ..ForecastInputs::new(&plan, RunBasis::new(&cal, 3))
        };
        let c = sweep(&inputs, &net, &scope, &SweepOptions {
            iterations,
            seed: 3,
            target: Target::new(cal.workday(target), &cal),
            confidence: Confidence::new(80.0).unwrap(),
            progress: None,
        });
        for w in c.positions.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            prop_assert!(b.days.p50 <= a.days.p50 && b.days.p80 <= a.days.p80);
            prop_assert!(b.days.p90 <= a.days.p90 && b.days.mean <= a.days.mean);
            prop_assert!(b.p80 <= a.p80 && b.probability >= a.probability);
            prop_assert!(b.meets || !a.meets);
            prop_assert!(a.cut.iter().all(|id| b.cut.contains(id)));
        }
        // The recommendation is the first position that meets the target.
        let first = c.positions.iter().position(|p| p.meets);
        prop_assert_eq!(c.recommended.as_ref().map(|r| r.position), first);
        prop_assert_eq!(c.shortfall.is_some(), first.is_none());
    }
}

// The command as a user runs it.

fn cutline(plan: &str, target: &str) -> Command {
    let mut cmd = slipcast();
    cmd.args([
        "cutline", plan, "--start", START, "--target", target, "-n", "5000",
    ]);
    cmd
}

#[test]
fn cli_json_has_the_contract_keys() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "series.csv", SERIES);
    let v = json(cutline(&p, "2027-01-29").arg("--json"));
    assert_eq!(v["target"], "2027-01-29");
    assert_eq!(v["confidence"], 80.0);
    let positions = v["positions"].as_array().unwrap();
    assert_eq!(positions.len(), 5);
    for pos in positions {
        for key in ["cut", "p50", "p80", "p90", "probability"] {
            assert!(pos.get(key).is_some(), "positions[] lacks {key}: {pos}");
        }
    }
    assert_eq!(positions[2]["cut"], serde_json::json!(["p3", "p4"]));
    assert_eq!(v["recommended"]["cut"], serde_json::json!(["p3", "p4"]));
    assert_eq!(v["recommended"]["keep"], serde_json::json!(["p1", "p2"]));
    assert_eq!(v["iterations"], 5000);
    assert_eq!(v["seed"], 42);
}

#[test]
fn cli_recommended_is_null_when_nothing_meets() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "series.csv", SERIES);
    let v = json(cutline(&p, "2027-01-13").arg("--json"));
    assert!(v["recommended"].is_null(), "{v}");
    assert_eq!(v["shortfall"]["working_days_late"], 2);
    cutline(&p, "2027-01-13")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Even the must-haves alone miss the target at P80",
        ));
}

#[test]
fn cli_table_marks_the_recommendation_and_warns_on_stderr() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "p.csv",
        "id,likely,depends_on,priority\nspike,2,,3\nbuild,5,spike,\nextra,9,,2\n",
    );
    // spike + build take 7 days and extra 9: cutting extra makes day 7.
    cutline(&p, "2027-01-12")
        .assert()
        .success()
        .stdout(predicate::str::contains("<- recommended"))
        .stdout(predicate::str::contains(
            "Recommendation: cut priority 2 (1 task: extra)",
        ))
        .stderr(predicate::str::contains(
            "warning: task \"spike\" has priority 3 but must-have \"build\" depends on it",
        ));
}

#[test]
fn cli_out_writes_csv_and_json() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "series.csv", SERIES);
    let out = dir.path().join("report");
    cutline(&p, "2027-01-29")
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let csv = fs::read_to_string(out.join("cutline.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("position,cut_from_priority,cut_count,")
    );
    assert_eq!(lines.count(), 5);
    assert!(csv.contains(",true,true,p3;p4\n"), "{csv}");
    let v: Value =
        serde_json::from_str(&fs::read_to_string(out.join("cutline.json")).unwrap()).unwrap();
    assert_eq!(v["recommended"]["position"], 2);
}

#[test]
fn cli_errors_say_what_and_how_to_fix() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "series.csv", SERIES);
    cutline(&p, "2027-02-30")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--target \"2027-02-30\" is not a date; write it as YYYY-MM-DD",
        ));
    cutline(&p, "2026-12-01")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--target 2026-12-01 is before the start date 2027-01-04",
        ));
    cutline(&p, "2027-02-01")
        .args(["--confidence", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--confidence: confidence 0 is out of range",
        ));
    cutline(&p, "2027-02-01")
        .args(["--milestone", "p5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--milestone \"p5\" is not a task id",
        ));
    slipcast()
        .args(["cutline", &p])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--target <DATE>"));
}

#[test]
fn cli_help_has_examples() {
    slipcast()
        .args(["cutline", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("--confidence"));
}

#[test]
fn cli_bundled_example_runs() {
    // The checkout plan: legacy-decom (priority 5) waits 10 days after GA.
    let v = json(slipcast().args([
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
        "--json",
    ]));
    assert_eq!(
        v["positions"][1]["cut"],
        serde_json::json!(["legacy-decom"])
    );
    assert_eq!(v["recommended"]["cut"], serde_json::json!(["legacy-decom"]));
}

#[test]
fn cli_applies_the_risk_register() {
    // A risk on the must-have can push even the must-haves past the target.
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "series.csv", SERIES);
    let r = write(
        dir.path(),
        "risks.csv",
        "id,name,probability,low,likely,high,dist,affects\n\
         outage,Outage,0.5,3,4,6,triangular,core\n",
    );
    let v = json(cutline(&p, "2027-01-29").args(["--risks", &r, "--json"]));
    assert!(v["risks"].as_str().unwrap().ends_with("risks.csv"));
    // Half the iterations add 3 to 6 days to core: day 20 needs p2 cut too.
    assert_eq!(
        v["recommended"]["cut"],
        serde_json::json!(["p2", "p3", "p4"])
    );
}

#[test]
fn a_plan_without_priorities_has_one_position_and_says_so() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "flat.csv",
        "id,likely,depends_on\na,5,\nb,5,a\n",
    );
    cutline(&p, "2027-01-08")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The plan misses the target at P80 and has nothing to cut: P80 is Fri 2027-01-15, \
             5 working days (7 calendar days) after the target Fri 2027-01-08",
        ))
        .stderr(predicate::str::contains("warning: no task can be cut"));
}
