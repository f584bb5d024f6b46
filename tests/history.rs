//! `history`: snapshots of one plan forecast from their data dates, and the
//! change between them split into causes that add up exactly.

use chrono::NaiveDate;
use proptest::prelude::*;

use slipcast::analysis::{
    Cause, History, HistoryOptions, RunBasis, Snapshot, WATERMELON_DAYS, history,
};
use slipcast::plan::{Calendar, Scenario, parse_plan, parse_risks};

mod common;

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

const HEADER: &str = "id,name,low,likely,high,dist,depends_on,status\n";

fn scenario(name: &str, rows: &str) -> Scenario {
    Scenario::new(parse_plan(name, &format!("{HEADER}{rows}"), None).unwrap())
}

fn run(snapshots: &[(&Scenario, NaiveDate)], iterations: u64) -> History {
    let cal = Calendar::weekdays(snapshots[0].1);
    let labels: Vec<String> = (1..=snapshots.len()).map(|k| format!("week-{k}")).collect();
    let snaps: Vec<Snapshot> = snapshots
        .iter()
        .zip(&labels)
        .map(|(&(scenario, data_date), label)| Snapshot {
            label,
            scenario,
            data_date,
        })
        .collect();
    history(
        &snaps,
        &HistoryOptions {
            basis: RunBasis::new(&cal, 7),
            iterations,
            target: Some(date(3, 31)),
            watermelon_days: WATERMELON_DAYS,
            milestone: None,
        },
    )
    .unwrap()
}

/// A chain with uncertain tasks around one fixed, critical task.
const CHAIN: &str = "\
a,A,3,5,9,triangular,,todo
b,B,4,6,12,pert,a,todo
fixed,Fixed,10,10,10,triangular,b,todo
c,C,2,3,7,triangular,fixed,todo
side,Side,1,2,3,triangular,a,todo
";

fn sum(parts: impl Iterator<Item = f64>) -> f64 {
    parts.sum()
}

#[test]
fn a_critical_fixed_task_growing_by_5_days_moves_p80_by_5_all_its_own() {
    let a = scenario("w1.csv", CHAIN);
    let b = scenario("w2.csv", &CHAIN.replace("10,10,10", "15,15,15"));
    // The same data date: nothing but the estimate changed.
    let h = run(&[(&a, date(1, 4)), (&b, date(1, 4))], 20_000);
    let m = &h.moves[0];
    assert_eq!(m.p80, 5.0, "{m:?}");
    assert_eq!(m.p50, 5.0);
    assert_eq!(m.parts.len(), 1, "{m:?}");
    assert_eq!(m.parts[0].cause, Cause::Estimate);
    assert_eq!(m.parts[0].p80.estimate, 5.0);
    assert_eq!(m.parts[0].tasks, ["fixed"]);
    assert_eq!(m.parts[0].label, "Fixed");
}

#[test]
fn identical_snapshots_change_exactly_nothing() {
    let a = scenario("w1.csv", CHAIN);
    let b = scenario("w2.csv", CHAIN);
    // Saturday to Sunday: no working day passes either.
    let h = run(&[(&a, date(1, 4)), (&b, date(1, 4))], 20_000);
    let m = &h.moves[0];
    assert_eq!((m.p50, m.p80, m.plan), (0.0, 0.0, 0.0));
    assert!(m.parts.is_empty(), "{m:?}");
    let h = run(&[(&a, date(1, 9)), (&b, date(1, 10))], 20_000);
    let m = &h.moves[0];
    assert_eq!((m.p50, m.p80, m.plan), (0.0, 0.0, 0.0));
    assert!(
        m.parts
            .iter()
            .all(|p| p.p80.estimate == 0.0 && p.p50.estimate == 0.0)
    );
    assert_eq!(h.snapshots[0].p80, h.snapshots[1].p80);
    assert!(!m.watermelon);
}

#[test]
fn three_working_days_without_progress_are_time_passing() {
    let a = scenario("w1.csv", CHAIN);
    let b = scenario("w2.csv", CHAIN);
    // Monday 4 January to Thursday 7 January: three working days.
    let h = run(&[(&a, date(1, 4)), (&b, date(1, 7))], 20_000);
    let m = &h.moves[0];
    assert_eq!(m.p80, 3.0);
    assert_eq!(m.p50, 3.0);
    assert_eq!(m.plan, 3.0);
    assert_eq!(m.parts.len(), 1, "{m:?}");
    assert_eq!(m.parts[0].cause, Cause::TimePassing);
    assert_eq!(m.parts[0].p80.estimate, 3.0);
    // The dates move with it: three working days later.
    let (x, y) = (&h.snapshots[0].p80, &h.snapshots[1].p80);
    let cal = Calendar::weekdays(date(1, 4));
    assert_eq!(y.date, cal.finish_date(x.days + 3.0));
}

/// Builds a plan of `n` tasks from choices: each task's estimate, status,
/// links to earlier tasks, and whether it exists.
fn random_plan(n: usize, seed: &[u8], present: &[bool]) -> String {
    let mut rows = String::new();
    for i in 0..n {
        if !present[i] {
            continue;
        }
        let s = seed[i] as usize;
        let low = 1 + s % 4;
        let likely = low + s % 3;
        let high = likely + (s / 3) % 5;
        let status = ["todo", "todo", "in_progress", "done"][(s / 7) % 4];
        let preds: Vec<String> = (0..i)
            .filter(|&j| present[j] && (s >> (j % 8)) & 1 == 1 && j + 3 >= i)
            .map(|j| format!("t{j}"))
            .collect();
        rows.push_str(&format!(
            "t{i},Task {i},{low},{likely},{high},triangular,{},{status}\n",
            preds.join(";")
        ));
    }
    rows
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever changes between two snapshots (estimates, progress, scope,
    /// links, the data date), the parts add up to the total change, exactly.
    #[test]
    fn the_parts_always_add_up_to_the_change(
        a_seed in proptest::collection::vec(any::<u8>(), 8),
        b_seed in proptest::collection::vec(any::<u8>(), 8),
        a_present in proptest::collection::vec(any::<bool>(), 8),
        b_present in proptest::collection::vec(any::<bool>(), 8),
        days in 1u64..15,
    ) {
        let mut a_present = a_present;
        let mut b_present = b_present;
        a_present[7] = true;
        b_present[7] = true;
        let a = scenario("a.csv", &random_plan(8, &a_seed, &a_present));
        let b = scenario("b.csv", &random_plan(8, &b_seed, &b_present));
        let h = run(&[(&a, date(1, 4)), (&b, date(1, 4) + chrono::Days::new(days))], 2_000);
        let m = &h.moves[0];
        prop_assert_eq!(sum(m.parts.iter().map(|p| p.p80.estimate)), m.p80);
        prop_assert_eq!(sum(m.parts.iter().map(|p| p.p50.estimate)), m.p50);
        prop_assert_eq!(m.p80, h.snapshots[1].p80.days - h.snapshots[0].p80.days);
    }
}

#[test]
fn risks_changes_are_their_own_part() {
    let a = scenario("w1.csv", CHAIN);
    let b = scenario("w2.csv", CHAIN);
    let mut b = b;
    b.risks = parse_risks(
        "risks.csv",
        "id,name,probability,low,likely,high,dist,affects\nvendor,Vendor late,0.5,5,5,5,triangular,fixed\n",
        &b.plan,
    )
    .unwrap();
    let h = run(&[(&a, date(1, 4)), (&b, date(1, 4))], 20_000);
    let m = &h.moves[0];
    let causes: Vec<Cause> = m.parts.iter().map(|p| p.cause).collect();
    assert_eq!(causes, [Cause::Risks]);
    // A 50% chance of 5 more days on the critical chain: every iteration
    // at or above the median finish is pushed 5 days, or... not exactly;
    // but the P80 of the fired half is above the P60 of the base.
    assert!(m.parts[0].p80.estimate > 0.0 && m.parts[0].p80.estimate <= 5.0);
    assert_eq!(m.parts[0].p80.estimate, m.p80);
}

#[test]
fn a_slipping_p80_under_a_standing_plan_date_is_a_watermelon() {
    // The plan date (likely durations) stays; the high end grows.
    let a = scenario("w1.csv", CHAIN);
    let b = scenario("w2.csv", &CHAIN.replace("4,6,12,pert", "4,6,40,pert"));
    let h = run(&[(&a, date(1, 4)), (&b, date(1, 4))], 20_000);
    let m = &h.moves[0];
    assert_eq!(m.plan, 0.0);
    assert!(m.p80 > WATERMELON_DAYS, "{m:?}");
    assert!(m.watermelon);
}

// ------------------------------------------------------------ command line

fn data(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/history")
        .join(name)
        .display()
        .to_string()
}

const WEEKS: [&str; 3] = [
    "checkout-2027-01-11.csv",
    "checkout-2027-01-18.csv",
    "checkout-2027-01-25.csv",
];

#[test]
fn the_command_reads_data_dates_from_file_names_and_its_json_adds_up() {
    let v = common::json(
        common::slipcast()
            .arg("history")
            .args(WEEKS.map(data))
            .args(["-n", "20000", "--json", "--target", "2027-04-30"]),
    );
    let snaps = v["snapshots"].as_array().unwrap();
    assert_eq!(snaps[0]["data_date"], "2027-01-11");
    assert_eq!(snaps[2]["data_date"], "2027-01-25");
    for m in v["moves"].as_array().unwrap() {
        let parts = m["parts"].as_array().unwrap();
        let sum: f64 = parts
            .iter()
            .map(|p| p["p80"]["estimate"].as_f64().unwrap())
            .sum();
        assert_eq!(sum, m["p80"].as_f64().unwrap());
        // A week passes between snapshots: five working days of time.
        assert_eq!(parts[0]["cause"], "time_passing");
        assert_eq!(parts[0]["p80"]["estimate"], 5.0);
    }
    let causes: Vec<&str> = v["moves"][1]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["cause"].as_str().unwrap())
        .collect();
    assert!(
        causes.contains(&"estimate") && causes.contains(&"scope_added"),
        "{causes:?}"
    );
    assert_eq!(
        v["moves"][1]["completed"],
        serde_json::json!(["schema-migration"])
    );
}

#[test]
fn the_command_refuses_what_it_cannot_date_or_order() {
    let dir = tempfile::TempDir::new().unwrap();
    let plan = std::fs::read_to_string(data(WEEKS[0])).unwrap();
    let a = common::write(dir.path(), "plan-a.csv", &plan);
    let b = common::write(dir.path(), "plan-b.csv", &plan);
    let err = common::refusal(common::slipcast().args(["history", &a, &b]));
    assert!(
        err.contains("no data date") && err.contains("--as-of"),
        "{err}"
    );
    let err = common::refusal(common::slipcast().args(["history", &a, &b]).args([
        "--as-of",
        "2027-01-18",
        "--as-of",
        "2027-01-11",
    ]));
    assert!(err.contains("oldest first"), "{err}");
    let err = common::refusal(
        common::slipcast()
            .args(["history", &a, &b])
            .args(["--as-of", "2027-01-18"]),
    );
    assert!(
        err.contains("--as-of is given 1 times for 2 snapshots"),
        "{err}"
    );
    let err =
        common::refusal(common::slipcast().args(["history", &a, &b, "--start", "2027-01-04"]));
    assert!(err.contains("--as-of"), "{err}");
    // With --as-of, identical snapshots a week apart: time passing alone.
    let v = common::json(
        common::slipcast()
            .args(["history", &a, &b, "-n", "20000", "--json"])
            .args(["--as-of", "2027-01-11", "--as-of", "2027-01-18"]),
    );
    let m = &v["moves"][0];
    assert_eq!(m["p80"], 5.0);
    assert_eq!(m["parts"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------- P6

const HOUSE: &str = "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer";

/// The house-building export with its data date moved to `data_date` and
/// each (Activity ID, new ID) renumbered; written into `dir`.
fn house_update(
    dir: &std::path::Path,
    name: &str,
    data_date: &str,
    renumber: &[(&str, &str)],
) -> String {
    let bytes =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(HOUSE)).unwrap();
    // Latin-1 round-trips every byte.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut table = "";
    let mut fields: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in text.split('\n') {
        let body = line.trim_end_matches('\r');
        let cr = if line.ends_with('\r') { "\r" } else { "" };
        let mut cells: Vec<String> = body.split('\t').map(String::from).collect();
        match cells[0].as_str() {
            "%T" => {
                table = if cells[1] == "PROJECT" {
                    "PROJECT"
                } else if cells[1] == "TASK" {
                    "TASK"
                } else {
                    ""
                }
            }
            "%F" => fields = cells.clone(),
            "%R" if table == "PROJECT" => {
                let k = fields.iter().position(|f| f == "last_recalc_date").unwrap();
                cells[k] = format!("{data_date} 08:00");
            }
            "%R" if table == "TASK" => {
                let k = fields.iter().position(|f| f == "task_code").unwrap();
                if let Some((_, new)) = renumber.iter().find(|(old, _)| *old == cells[k]) {
                    cells[k] = new.to_string();
                }
            }
            _ => {}
        }
        out.push(format!("{}{cr}", cells.join("\t")));
    }
    let bytes: Vec<u8> = out.join("\n").chars().map(|c| c as u8).collect();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn p6_updates_take_their_data_dates_and_match_renumbered_activities_by_guid() {
    let dir = tempfile::TempDir::new().unwrap();
    let wk1 = house_update(dir.path(), "wk1.xer", "2023-07-23", &[]);
    let wk3 = house_update(dir.path(), "wk3.xer", "2023-08-06", &[("C2010", "C2010-R")]);
    let v = common::json(common::slipcast().args([
        "history",
        &wk1,
        &wk3,
        "--range",
        "90,100,130",
        "-n",
        "20000",
        "--json",
    ]));
    assert_eq!(v["unit"], "calendar days");
    assert_eq!(v["snapshots"][0]["data_date"], "2023-07-23");
    assert_eq!(v["snapshots"][1]["data_date"], "2023-08-06");
    let m = &v["moves"][0];
    let parts = m["parts"].as_array().unwrap();
    let causes: Vec<&str> = parts.iter().map(|p| p["cause"].as_str().unwrap()).collect();
    // Renumbered, not removed and added; then two weeks pass with no
    // progress: the whole plan moves fourteen days.
    assert_eq!(causes, ["renamed", "time_passing"], "{parts:?}");
    assert_eq!(parts[0]["tasks"], serde_json::json!(["C2010-R"]));
    assert_eq!(parts[1]["p80"]["estimate"], 14.0);
    let sum: f64 = parts
        .iter()
        .map(|p| p["p80"]["estimate"].as_f64().unwrap())
        .sum();
    assert_eq!(sum, m["p80"].as_f64().unwrap());
}

#[test]
fn a_re_estimate_of_a_tabled_distribution_is_all_its_own_part() {
    // PERT and log-normal tasks draw from quantile tables: a re-estimate
    // must be seen as one (not left to "other changes").
    let a = scenario("w1.csv", CHAIN);
    for (from, to) in [
        ("4,6,12,pert", "4,8,16,pert"),
        ("3,5,9,triangular", "3,,9,lognormal"),
    ] {
        let b = scenario("w2.csv", &CHAIN.replace(from, to));
        let h = run(&[(&a, date(1, 4)), (&b, date(1, 4))], 20_000);
        let m = &h.moves[0];
        assert_eq!(m.parts.len(), 1, "{to}: {m:?}");
        assert_eq!(m.parts[0].cause, Cause::Estimate);
        assert!(m.p80 != 0.0);
        assert_eq!(m.parts[0].p80.estimate, m.p80);
    }
}

#[test]
fn a_report_with_earlier_snapshots_has_the_history_section_and_files() {
    let dir = tempfile::TempDir::new().unwrap();
    let out = dir.path().join("r");
    common::slipcast()
        .arg("report")
        .arg(data(WEEKS[2]))
        .args(["--start", "2027-01-25", "--target", "2027-04-30"])
        .args(["--history", &data(WEEKS[0]), "--history", &data(WEEKS[1])])
        .args(["-n", "5000", "--drivers", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    for f in [
        "trend.png",
        "trend.svg",
        "waterfall.png",
        "waterfall.svg",
        "history.csv",
        "moves.csv",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let h: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("history.json")).unwrap()).unwrap();
    let snaps = h["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 3);
    assert_eq!(snaps[2]["data_date"], "2027-01-25");
    // The report's own forecast and the history's last snapshot agree.
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("forecast.json")).unwrap()).unwrap();
    assert_eq!(snaps[2]["p80"]["date"], f["finish"]["p80"]);
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("## How the forecast moved"), "{md}");
    assert!(md.contains("![") && md.contains("](waterfall.png)"));
}
