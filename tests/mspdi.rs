//! MS Project XML (MSPDI): the two MS Project 2019 files (`tests/data/mspdi/`,
//! see its NOTICE.md) read and replayed against the Start and Finish MS
//! Project stored in them, links and lags converted as the file's own
//! LagFormat says, the custom duration fields in every format converted to
//! days; and a small hand-made programme whose every date was worked out by
//! hand (summary links, progress at a status date, a holiday, a lead, a
//! percentage lag, constraints, a derived calendar, PERT fields, a
//! milestone at the start of a day).

mod common;

use common::{refusal, slipcast};

use slipcast::analysis::{Replay, replay};
use slipcast::plan::mspdi::{self, field_days};
use slipcast::plan::xer::ImportOptions;
use slipcast::plan::{DistKind, Estimate, LinkKind, Scenario, Sources, Status};

const LINKS: &str = "tests/data/mspdi/task-links-project2019.xml";
const DURATIONS: &str = "tests/data/mspdi/task-durations-project2019.xml";
const SYNTHETIC: &str = "tests/data/mspdi/synthetic.xml";

fn scenario(file: &str) -> Scenario {
    Scenario::load(Sources::plan(file), None).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn listed(r: &Replay) -> String {
    r.differences
        .iter()
        .map(|d| {
            format!(
                "{}: MS Project {:?}, replayed {:?}",
                d.id, d.source, d.replayed
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every task of the links file lands where MS Project put it: FS with lags
/// of 1, 2, 5 and 10 days (LagFormat days and weeks), SF, SS and FF with 2.
#[test]
fn task_links_replay_ms_project_to_the_day() {
    let sc = scenario(LINKS);
    let r = replay(&sc).expect("an imported plan");
    assert_eq!(r.compared, 16);
    assert_eq!(r.matching, 16, "{}", listed(&r));
    assert_eq!(Some(r.replayed_finish), r.source_finish);
    assert_eq!(
        r.replayed_finish,
        chrono::NaiveDate::from_ymd_opt(2018, 11, 2).unwrap()
    );
}

/// LinkLag is in tenths of a minute whatever LagFormat shows: 4800 and 9600
/// with LagFormat 7 (days) are 1 and 2 days, 24000 and 48000 with LagFormat
/// 9 (weeks) are 5 and 10 days, at 480 minutes a day; Type 0/1/2/3 is
/// FF/FS/SF/SS.
#[test]
fn link_types_and_lags_convert_as_the_file_says() {
    let sc = scenario(LINKS);
    let plan = &sc.plan;
    let link = |uid: &str| {
        let t = &plan.tasks[plan.index_of(uid).unwrap()];
        assert_eq!(t.links.len(), 1, "{uid}");
        let l = &t.links[0];
        (plan.tasks[l.pred].id.as_str(), l.kind, l.lag)
    };
    assert_eq!(link("2"), ("1", LinkKind::FS, 0.0));
    assert_eq!(link("4"), ("3", LinkKind::FS, 1.0));
    assert_eq!(link("6"), ("5", LinkKind::FS, 2.0));
    assert_eq!(link("8"), ("7", LinkKind::FS, 5.0));
    assert_eq!(link("10"), ("9", LinkKind::FS, 10.0));
    assert_eq!(link("12"), ("11", LinkKind::SF, 2.0));
    assert_eq!(link("14"), ("13", LinkKind::SS, 2.0));
    assert_eq!(link("16"), ("15", LinkKind::FF, 2.0));
    // The project summary task (UID 0) is not a task; each task is one day.
    assert!(plan.index_of("0").is_none());
    assert_eq!(plan.tasks.len(), 16);
    assert!(
        plan.tasks
            .iter()
            .all(|t| t.estimate == Estimate::Fixed { days: 1.0 })
    );
    // Every task of the file is manually scheduled: said, not hidden.
    assert!(
        sc.warnings[0]
            .message
            .starts_with("16 tasks are manually scheduled in MS Project"),
        "{:?}",
        sc.warnings
    );
}

/// The days one unit of each DurationFormat is: minutes 1/480, hours 1/8,
/// days 1, weeks 5, months 20 (working time at the file's 480 minutes a
/// day and 20 days a month); elapsed minutes, hours, days, weeks and months
/// are 1/1440, 1/24, 1, 7 and 30 days of 24 hours.
#[test]
fn duration_fields_in_every_format_convert_to_days_exactly() {
    let bytes = std::fs::read(DURATIONS).unwrap();
    let file = mspdi::parse(DURATIONS, &bytes).unwrap();
    assert_eq!(file.minutes_per_day, 480.0);
    let unit = |format: u32| -> (f64, bool) {
        match format {
            3 => (1.0 / 480.0, false),
            4 => (1.0 / 1440.0, true),
            5 => (1.0 / 8.0, false),
            6 => (1.0 / 24.0, true),
            7 => (1.0, false),
            8 => (1.0, true),
            9 => (5.0, false),
            10 => (7.0, true),
            11 => (20.0, false),
            12 => (30.0, true),
            other => panic!("format {other}"),
        }
    };
    let mut checked = 0;
    let mut fields = std::collections::BTreeSet::new();
    for t in &file.tasks {
        for v in &t.values {
            let format = v.duration_format.expect("a duration field has a format");
            let days = field_days(&v.value, v.duration_format, file.minutes_per_day).unwrap();
            // Tasks "Duration1" .. "Duration10" hold 1 .. 10 days; the
            // others one unit of their format.
            let expected = match t.name.strip_prefix("Duration") {
                Some(n) if !n.contains(' ') => (n.parse::<f64>().unwrap(), false),
                _ => unit(format),
            };
            assert_eq!(days, expected, "{}: {} format {format}", t.name, v.value);
            fields.insert(v.field);
            checked += 1;
        }
    }
    assert_eq!(checked, 110);
    // Duration1 to Duration10, by their field ids.
    assert_eq!(fields.len(), 10);
    assert_eq!(file.fields.len(), 10);
}

/// The durations file replays too (each task one day from the start), and
/// its tasks with one of Duration1-3 but not all three are named in one
/// warning rather than silently ranged.
#[test]
fn durations_file_replays_and_warns_about_partial_estimates() {
    let sc = scenario(DURATIONS);
    let r = replay(&sc).unwrap();
    assert_eq!((r.compared, r.matching), (110, 110), "{}", listed(&r));
    let partial: Vec<&str> = sc
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("some but not all of Duration1, Duration2, Duration3"))
        .collect();
    assert_eq!(partial.len(), 1, "{:?}", sc.warnings);
    assert!(partial[0].starts_with("33 tasks have"), "{}", partial[0]);
}

/// The hand-made programme: every date below was worked out by hand from
/// the file (see the comments), and MS Project's Start and Finish in the
/// file were written to match; the replay reproduces each, except the one
/// elapsed task, whose start MS Project puts at 17:00 the day before
/// (slipcast's days carry no hours).
#[test]
fn synthetic_programme_replays_its_hand_worked_dates() {
    let sc = scenario(SYNTHETIC);
    let plan = &sc.plan;
    let ids: Vec<&str> = plan.tasks.iter().map(|t| t.id.as_str()).collect();
    // Summaries (1, 4), the project summary (0), the inactive task (10)
    // and the blank row (11) are not tasks.
    assert_eq!(
        ids,
        ["2", "3", "5", "6", "7", "8", "9", "12", "13", "14", "15"]
    );
    let task = |id: &str| &plan.tasks[plan.index_of(id).unwrap()];
    assert_eq!(task("2").status, Status::Done);
    assert_eq!(task("3").status, Status::InProgress);
    // Review: 2 of its 4 days remain.
    assert_eq!(task("3").estimate, Estimate::Fixed { days: 2.0 });
    // Code: Duration1-3 are 32, 40 and 64 hours.
    let code = &task("5").estimate;
    assert_eq!(code.kind(), DistKind::Pert);
    assert_eq!(
        (
            code.quantile(0.0, 1.0),
            code.planned(),
            code.quantile(1.0, 0.0)
        ),
        (4.0, 5.0, 8.0)
    );
    // Code inherits Build's link to Design: after Review (Spec is done).
    assert_eq!(task("5").links.len(), 1);
    assert_eq!(plan.tasks[task("5").links[0].pred].id, "3");
    // Test: a one-day lead on Code; Train: 50% of Code's 5 days after its
    // start.
    assert!(task("6").links.iter().any(|l| l.lag == -1.0));
    assert!(
        task("13")
            .links
            .iter()
            .any(|l| l.kind == LinkKind::SS && l.lag == 2.5)
    );
    // Cure is elapsed: 48 hours are 2 days of its 24-hour calendar.
    assert_eq!(task("8").estimate, Estimate::Fixed { days: 2.0 });
    // Kick-off: a milestone MS Project put at 08:00 (its start no earlier
    // than) is dated that day, where work resumes, not the evening before.
    assert!(task("15").at_start && !task("9").at_start);
    let r = replay(&sc).unwrap();
    assert_eq!(r.compared, 10);
    assert_eq!(r.matching, 9, "{}", listed(&r));
    let d = &r.differences[0];
    assert_eq!(d.id, "8");
    assert_eq!(d.source.0.to_string(), "2026-12-28");
    assert_eq!(d.replayed.0.to_string(), "2026-12-29");
    assert_eq!(d.source.1, d.replayed.1);
    // Site prep ends Mon 4 January on its six-day calendar (Sat 2 worked).
    assert_eq!(r.replayed_finish.to_string(), "2027-01-04");
    assert_eq!(Some(r.replayed_finish), r.source_finish);
}

/// `import FILE --out DIR`, then the forecast of the file and of the CSV
/// (same seed and range): the same numbers.
fn round_trip(file: &str, range: &[&str]) {
    let report = common::import_round_trip(file, range, &[]);
    assert!(
        report["tool"]
            .as_str()
            .unwrap()
            .starts_with("MS Project XML")
    );
}

#[test]
fn imported_csv_forecasts_as_the_ms_project_file() {
    round_trip(SYNTHETIC, &[]);
    round_trip(LINKS, &["--range", "80,100,150"]);
}

/// The estimate fields by their aliases, and an unknown name refused with
/// the closest one and the file's fields.
#[test]
fn estimate_fields_by_alias_and_unknown_names() {
    let opts = ImportOptions {
        estimate_fields: Some(vec![
            "optimistic".into(),
            "Expected".into(),
            "Pessimistic".into(),
        ]),
        ..ImportOptions::default()
    };
    let sc = Scenario::load(
        Sources {
            import: opts,
            ..Sources::plan(SYNTHETIC)
        },
        None,
    )
    .unwrap();
    let code = &sc.plan.tasks[sc.plan.index_of("5").unwrap()].estimate;
    assert_eq!(code.kind(), DistKind::Pert);
    let err = refusal(slipcast().args([
        "forecast",
        SYNTHETIC,
        "--fields",
        "Optimistic,Expected,Pesimistic",
    ]));
    assert!(
        err.contains("tests/data/mspdi/synthetic.xml: --fields: \"Pesimistic\" is not a custom duration field of the file (by field name or alias) (did you mean \"Pessimistic\"?)"),
        "{err}"
    );
    let err = refusal(slipcast().args(["forecast", SYNTHETIC, "--fields", "Duration1,Duration2"]));
    assert!(err.contains("give three custom duration fields"), "{err}");
}

/// Broken XML and a cycle are problems with the file, the line and the fix.
#[test]
fn broken_files_are_reported_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SYNTHETIC).unwrap();
    let cut = &text[..text.find("<Task><UID>5</UID>").unwrap() + 30];
    let path = common::write(dir.path(), "cut.xml", cut);
    let err = refusal(slipcast().args(["forecast", &path]));
    assert!(err.contains("the XML cannot be read here"), "{err}");
    // The file is cut on the line of task 5's start tag.
    let line = 1 + text[..text.find("<Task><UID>5</UID>").unwrap()]
        .matches('\n')
        .count();
    assert!(err.contains(&format!("cut.xml:{line}")), "{err}");

    // Spec (2) after Ship (12): a cycle through Review, Code, ... Ship.
    let cyclic = text.replacen(
        "<Task><UID>2</UID>",
        "<Task><UID>2</UID><PredecessorLink><PredecessorUID>12</PredecessorUID><Type>1</Type></PredecessorLink>",
        1,
    );
    let cyclic = cyclic.replace("<ActualStart>2026-12-07T08:00:00</ActualStart><ActualFinish>2026-12-09T17:00:00</ActualFinish>", "");
    let cyclic = cyclic.replacen(
        "<PercentComplete>100</PercentComplete>",
        "<PercentComplete>0</PercentComplete>",
        1,
    );
    let path = common::write(dir.path(), "cycle.xml", &cyclic);
    let err = refusal(slipcast().args(["validate", &path]));
    assert!(err.contains("the links form a cycle"), "{err}");
}

/// The import report names the tool, the status date, what was left out
/// and the notes, and the replay against MS Project.
#[test]
fn import_report_speaks_ms_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("syn").display().to_string();
    let out_text = common::stdout(slipcast().args(["import", SYNTHETIC, "--out", &out]));
    for expected in [
        "(MS Project XML, SaveVersion 14, UTF-8): project synthetic.xml, status date Mon 2026-12-14 08:00",
        "Left out     1 project summary, 2 summary, 1 inactive, 1 blank row;",
        "10 -> 12 (FS), predecessor inactive: treated as met",
        "1 link on summary tasks, applied to every task under them",
        "1 task ranged by Duration1 (Optimistic), Duration2 (Expected), Duration3 (Pessimistic)",
        "Replay       9 of 10 open activities have MS Project's dates (90.0%); finish Mon 2027-01-04 as in MS Project",
        "8: MS Project 2026-12-28 to 2026-12-30, replayed 2026-12-29 to 2026-12-30",
    ] {
        assert!(out_text.contains(expected), "{expected}\n{out_text}");
    }
}

/// The stderr of a forecast that succeeds.
fn warnings_of(args: &[&str]) -> String {
    let out = slipcast()
        .args(["forecast", "-n", "1000"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

/// Flags for another kind of plan are said to be ignored, not dropped in
/// silence (and -q keeps warnings quiet too).
#[test]
fn flags_for_other_plans_are_said_to_be_ignored() {
    let err = warnings_of(&[SYNTHETIC, "--project", "X"]);
    assert!(
        err.contains("warning: tests/data/mspdi/synthetic.xml: --project is ignored: it picks one project of a P6 file, and an MS Project file holds one"),
        "{err}"
    );
    assert_eq!(warnings_of(&[SYNTHETIC, "--project", "X", "-q"]), "");
    let err = warnings_of(&["data/examples/checkout-v2.csv", "--fields", "a,b,c"]);
    assert!(
        err.contains("--fields is for P6 XER and MS Project XML plans, and this is a plan CSV"),
        "{err}"
    );
}

/// A workbook or a binary MS Project file is named for what it is, with
/// how to save it in a form slipcast reads, not read as a broken CSV.
#[test]
fn workbooks_and_mpp_files_say_how_to_save_them() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("plan.xlsx");
    std::fs::write(&xlsx, b"PK\x03\x04\x14\x00\x06\x00rest of the archive").unwrap();
    let err = refusal(slipcast().args(["forecast", xlsx.to_str().unwrap()]));
    assert!(
        err.contains("plan.xlsx is a spreadsheet workbook (.xlsx) or another ZIP archive, not a file slipcast reads; save the sheet as CSV"),
        "{err}"
    );
    let mpp = dir.path().join("schedule.mpp");
    std::fs::write(&mpp, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    let err = refusal(slipcast().args(["validate", mpp.to_str().unwrap()]));
    assert!(
        err.contains("schedule.mpp is a binary MS Project file (.mpp), not a file slipcast reads; in MS Project, File > Save As, type XML Format (*.xml)"),
        "{err}"
    );
}

/// A forecast names the plan's start as its tool does: MS Project's status
/// date, or the project start of a file without one; P6's data date; and
/// a plan on the run's calendar its start, with no such field in the JSON.
#[test]
fn forecast_names_the_start_in_the_source_tool_s_words() {
    for (file, words) in [
        (SYNTHETIC, Some("status date")),
        (DURATIONS, Some("project start")),
        (
            "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer",
            Some("data date"),
        ),
        ("data/examples/checkout-v2.csv", None),
    ] {
        let v = common::json(slipcast().args(["forecast", file, "-n", "1000", "--json", "-q"]));
        assert_eq!(v["calendar"]["axis_start"].as_str(), words, "{file}");
        let text = common::stdout(slipcast().args(["forecast", file, "-n", "1000"]));
        if let Some(words) = words {
            assert!(
                text.contains(&format!("seed 42; {words} ")),
                "{file}: {text}"
            );
        } else {
            assert!(text.contains("seed 42; start "), "{file}: {text}");
        }
    }
}
