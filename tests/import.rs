//! `slipcast import`: a P6 file written as a plan CSV and a calendars file
//! that read back to the same plan, so that forecasting the CSV gives the
//! forecast of the P6 file, number for number; and the import report with
//! its replay against P6's own dates.

mod common;

use std::path::Path;

use chrono::{DateTime, Utc};
use common::{json, refusal, slipcast};
use predicates::prelude::*;
use serde_json::Value;

use slipcast::analysis::import;
use slipcast::plan::{CalendarsText, Scenario, Sources, parse_plan_on};
use slipcast::report::{calendars_csv, plan_csv};

const MINING: &str = "tests/data/xer/p6-23.12_mining-programme_695act.xer";
const HOUSE: &str = "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer";

/// `import XER --out DIR` with `range`, then the forecast of the XER and of
/// the CSV (same seed, same range): the same numbers.
fn round_trip(xer: &str, range: &[&str], extra: &[&str]) {
    common::import_round_trip(xer, range, extra);
}

/// 695 activities on three calendars, progress at a 09:40 data date, every
/// link type with lags and leads, constraints: the CSV forecasts as the P6
/// file does, percentiles, per-task finishes, criticality and drivers.
#[test]
fn mining_csv_forecasts_as_the_xer() {
    round_trip(MINING, &["--range", "90,100,130"], &[]);
}

/// The house model (start milestones, a 7-day calendar, lags on the
/// predecessor's calendar), with a PERT range and a milestone forecast.
#[test]
fn house_csv_forecasts_as_the_xer() {
    round_trip(
        HOUSE,
        &["--range", "80,100,150", "--range-dist", "pert"],
        &["--milestone", "C1090"],
    );
}

/// Without a range the plan is deterministic: the plan date and every task
/// finish still match.
#[test]
fn mining_csv_without_a_range_forecasts_as_the_xer() {
    round_trip(MINING, &[], &["--basic"]);
}

/// The library's own round trip: the plan read back from the two CSV files
/// is the imported plan (times before the data date, which hold nothing
/// back, are left out).
#[test]
fn csv_reads_back_as_the_imported_plan() {
    for xer in [MINING, HOUSE] {
        let sc = Scenario::load(Sources::plan(xer), None).unwrap();
        let generated = DateTime::<Utc>::from_timestamp(1_798_761_600, 0).unwrap();
        let imported = import(&sc, generated).unwrap();
        let plan_text = String::from_utf8(plan_csv(&imported).unwrap()).unwrap();
        let cal_text = String::from_utf8(calendars_csv(&imported).unwrap()).unwrap();
        let back = parse_plan_on(
            "plan.csv",
            &plan_text,
            None,
            Some(CalendarsText {
                file: "calendars.csv",
                text: &cal_text,
                start: imported.start,
            }),
        )
        .unwrap_or_else(|e| panic!("{xer}: {e}"));
        let (a, b) = (&sc.plan, &back);
        assert_eq!(a.calendars, b.calendars, "{xer}");
        assert_eq!(a.order(), b.order(), "{xer}");
        let after = |t: Option<f64>| t.filter(|&t| t > 0.0);
        for (t, (x, y)) in a.tasks.iter().zip(&b.tasks).enumerate() {
            assert_eq!(
                (&x.id, &x.name, x.estimate, &x.links, x.status, x.at_start),
                (&y.id, &y.name, y.estimate, &y.links, y.status, y.at_start),
                "{xer}"
            );
            assert_eq!(
                (after(x.not_before), after(x.finish_not_before)),
                (y.not_before, y.finish_not_before),
                "{xer}: {}",
                x.id
            );
            assert_eq!(a.calendar_of(t), b.calendar_of(t), "{xer}: {}", x.id);
        }
    }
}

/// `import.json` holds the import report and the replay's share; the
/// terminal report says what was read and how the replay went.
#[test]
fn import_writes_its_report_with_the_replay_share() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mining");
    let out_s = out.display().to_string();
    let shown = slipcast()
        .args(["import", MINING, "--out", &out_s])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "617 of 621 open activities have P6's dates (99.4%)",
        ))
        .stdout(predicate::str::contains(
            "Activities   695: 665 task, 30 finish milestone; 601 not started, 74 complete, 20 in progress",
        ))
        .stdout(predicate::str::contains("1,119 FS, 432 FF, 42 SS, 2 SF"))
        .stdout(predicate::str::contains("--calendars"))
        .stderr(predicate::str::contains(
            "plan.csv, calendars.csv, import.json",
        ))
        .get_output()
        .stdout
        .clone();
    let shown = String::from_utf8(shown).unwrap();
    assert!(shown.contains("differing:\n      A7720"), "{shown}");

    let v: Value =
        serde_json::from_slice(&std::fs::read(out.join("import.json")).unwrap()).unwrap();
    assert_eq!(v["replay"]["compared"], 621);
    assert_eq!(v["replay"]["matching"], 617);
    let share = v["replay"]["share"].as_f64().unwrap();
    assert!((share - 617.0 / 621.0).abs() < 1e-12, "{share}");
    assert_eq!(v["replay"]["differences"].as_array().unwrap().len(), 4);
    assert_eq!(v["start"], "2025-04-22");
    assert_eq!(v["data_date"], "2025-04-22T09:40:00");
    assert_eq!(v["tasks"], 695);
    assert_eq!(v["lag_calendar"], "rcal_Successor");
    assert_eq!(v["generated"], "2027-01-01T00:00:00Z");
    assert!(v["renamed_ids"].as_array().unwrap().is_empty());
    let manifest = std::fs::read_to_string(out.join(".slipcast-manifest.json")).unwrap();
    assert!(manifest.contains("\"kind\": \"import\""), "{manifest}");

    // --json prints the same import.json; a second import replaces the
    // folder it wrote.
    let printed = json(slipcast().args(["import", MINING, "--out", &out_s, "--json"]));
    assert_eq!(printed, v);

    let house = dir.path().join("house").display().to_string();
    let v = json(slipcast().args(["import", HOUSE, "--out", &house, "--json", "-q"]));
    assert_eq!(v["replay"]["share"], 1.0);
    assert_eq!(v["replay"]["compared"], 62);
}

/// The calendars file and the columns of the plan that use it, as
/// `import` writes them.
#[test]
fn written_files_read_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("house");
    let out_s = out.display().to_string();
    slipcast()
        .args([
            "import",
            HOUSE,
            "--range",
            "90,100,130",
            "--out",
            &out_s,
            "-q",
        ])
        .assert()
        .success();
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    let header = plan.lines().next().unwrap();
    assert_eq!(
        header,
        "id,name,wbs,low,likely,high,dist,depends_on,calendar,milestone,status"
    );
    assert!(
        plan.contains(
            "\nC0900,House 1 Start,1,,0,,,C1000:SS,CPLEX Model 14 - 7 day workweek,start,todo\n"
        ),
        "{plan}"
    );
    let cal = std::fs::read_to_string(out.join("calendars.csv")).unwrap();
    assert!(
        cal.starts_with(
            "calendar,workdays,hours_per_day\nCPLEX Model 14 - 7 day workweek,Mon-Sun,"
        ),
        "{cal}"
    );
    assert!(
        cal.contains("\n\nsetting,value\ndefault_calendar,"),
        "{cal}"
    );
    assert!(cal.contains("\nlag_calendar,predecessor\n"), "{cal}");
}

/// Plan text that a spreadsheet would run is written inert, ids included,
/// an id that starts with `#` is quoted, and both read back as they were:
/// the CSV still forecasts as the P6 file.
#[test]
fn formula_ids_are_inert_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let xer = std::fs::read(HOUSE).unwrap();
    let replace = |bytes: Vec<u8>, from: &[u8], to: &[u8]| {
        let i = bytes
            .windows(from.len())
            .position(|w| w == from)
            .expect("in the file");
        [&bytes[..i], to, &bytes[i + from.len()..]].concat()
    };
    let xer = replace(xer, b"\tC2010\tMasonry\t", b"\t=C2010\t@Masonry\t");
    // A line that starts with `#` is a comment to the reader.
    let xer = replace(xer, b"\tC2020\tCarpentry\t", b"\t#C2020\t#Carpentry\t");
    let path = dir.path().join("hostile.xer");
    std::fs::write(&path, xer).unwrap();
    let path = path.display().to_string();
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    slipcast()
        .args([
            "import",
            &path,
            "--range",
            "90,100,130",
            "--out",
            &out_s,
            "-q",
        ])
        .assert()
        .success();
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    assert!(plan.contains("\n'=C2010,'@Masonry,"), "{plan}");
    assert!(plan.contains(",'=C2010,"), "a depends_on cell: {plan}");
    assert!(plan.contains("\n\"#C2020\",\"#Carpentry\","), "{plan}");
    assert!(!plan.contains(",=") && !plan.contains("\n="), "{plan}");
    round_trip(&path, &["--range", "90,100,130"], &[]);
}

#[test]
fn import_refuses_what_it_cannot_import() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x").display().to_string();
    slipcast()
        .args(["import", "data/examples/checkout-v2.csv", "--out", &out])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "data/examples/checkout-v2.csv is not a Primavera P6 XER export",
        ));
    assert!(!Path::new(&out).exists());
    // --out is required: a usage error.
    slipcast()
        .args(["import", MINING])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out <DIR>"));
    // Never over files slipcast did not write.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(Path::new(&out).join("notes.txt"), "mine").unwrap();
    slipcast()
        .args(["import", MINING, "--out", &out])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write"));
    assert_eq!(
        std::fs::read_to_string(Path::new(&out).join("notes.txt")).unwrap(),
        "mine"
    );
}

/// Every problem of a plan on task calendars and of its calendars file,
/// at once, each with its file, line, task and fix.
#[test]
fn calendar_problems_are_reported_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let plan = common::write(
        dir.path(),
        "plan.csv",
        "id,likely,depends_on,calendar,not_before,finish_not_before,milestone\n\
         a,2,,Standrad,2027-01-05,,\n\
         b,0,a,,2027-01-32,2027-01-08+1.5,start\n\
         c,1,b,Week,,,sometimes\n",
    );
    let calendars = common::write(
        dir.path(),
        "calendars.csv",
        "calendar,workdays,hours_per_day\n\
         Standard,Mon-Fri,8\n\
         Week,Mon-Funday,8\n\
         \n\
         setting,value\n\
         lag_calendar,sideways\n",
    );
    let err = refusal(slipcast().args([
        "validate",
        &plan,
        "--calendars",
        &calendars,
        "--start",
        "2027-01-04",
    ]));
    let lines: Vec<&str> = err.lines().collect();
    let p = plan.as_str();
    let c = calendars.as_str();
    let expected = [
        "Error: the plan has 6 problems:".to_string(),
        format!(
            "  {p}:2: task \"a\": calendar \"Standrad\" is not defined in {c} (did you mean \"Standard\"?); correct the name, or add the calendar to the calendar,workdays,hours_per_day section of {c}"
        ),
        format!(
            "  {p}:3: task \"b\": not_before \"2027-01-32\" is not a date; write YYYY-MM-DD, or YYYY-MM-DD+F"
        ),
        format!("  {p}:3: task \"b\": finish_not_before \"2027-01-08+1.5\" is not a date;"),
        format!("  {p}:4: task \"c\": milestone \"sometimes\" is not start or finish;"),
        format!(
            "  {c}:3: workdays: \"Funday\" is not a weekday; write e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu, or none"
        ),
        format!(
            "  {c}:6: lag_calendar \"sideways\" is not a rule; write predecessor, successor, 24h (elapsed time) or default"
        ),
    ];
    assert_eq!(lines.len(), 7, "{err}");
    for (line, want) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(want.as_str()),
            "{line}\n does not start with\n{want}"
        );
    }

    // The same plan without --calendars: told once per column.
    let err = refusal(slipcast().args(["validate", &plan]));
    assert!(
        err.contains(&format!(
            "{p}:2: task \"a\": calendar \"Standrad\" needs task calendars: pass --calendars FILE"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}:2: task \"a\": not_before \"2027-01-05\" needs task calendars"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}:3: task \"b\": finish_not_before \"2027-01-08+1.5\" needs task calendars"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}:3: task \"b\": milestone \"start\" needs task calendars"
        )),
        "{err}"
    );
    assert!(
        !err.contains(&format!("{p}:3: task \"b\": not_before")),
        "once per column: {err}"
    );
}

/// A plan on task calendars: each task in its calendar's working time, on
/// one axis of calendar days; constraints and start milestones as written.
#[test]
fn a_plan_csv_runs_on_its_calendars() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 2027-01-04. `pour` (Mon-Fri, the first calendar and so the
    // default) may not start before Wednesday; `cure` (every day) follows
    // for 5 days, through the weekend; `open` is a start milestone after
    // it.
    let plan = common::write(
        dir.path(),
        "plan.csv",
        "id,likely,depends_on,calendar,not_before,milestone\n\
         pour,3,,,2027-01-06,\n\
         cure,5,pour,All days,,\n\
         open,0,cure,,,start\n",
    );
    let calendars = common::write(
        dir.path(),
        "calendars.csv",
        "calendar,workdays,hours_per_day\nWeek,Mon-Fri,8\nAll days,Mon-Sun,24\n",
    );
    let v = json(slipcast().args([
        "forecast",
        &plan,
        "--calendars",
        &calendars,
        "--start",
        "2027-01-04",
        "-n",
        "1000",
        "--basic",
        "--json",
        "-q",
    ]));
    // pour: Wed, Thu, Fri; cure: Sat to Wed 2027-01-13.
    let tasks = v["tasks"].as_array().unwrap();
    let p50 = |id: &str| {
        tasks.iter().find(|t| t["id"] == id).unwrap()["finish"]["p50"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(p50("pour"), "2027-01-08");
    assert_eq!(p50("cure"), "2027-01-13");
    assert_eq!(v["calendars"], calendars.as_str());

    // A task that takes time on a calendar that never works is refused.
    let never = common::write(
        dir.path(),
        "never.csv",
        "calendar,workdays\nWeek,Mon-Fri\nNever,none\n",
    );
    let idle = common::write(
        dir.path(),
        "idle.csv",
        "id,likely,calendar\nwait,3,Never\nmark,0,Never\n",
    );
    slipcast()
        .args(["validate", &idle, "--calendars", &never])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{idle}:2: task \"wait\": takes time on calendar \"Never\", which works on no day"
        )))
        .stderr(predicate::str::contains(":3:").not());

    // A P6 file carries its own calendars; holidays go into the file.
    slipcast()
        .args(["forecast", MINING, "--calendars", &calendars, "-n", "1000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is a P6 XER file, which carries its own calendars",
        ));
    slipcast()
        .args([
            "forecast",
            &plan,
            "--calendars",
            &calendars,
            "--holidays",
            &calendars,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "as exception rows of the calendars file",
        ));
}
