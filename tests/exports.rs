//! Plans exported from other tools (MS Project, Smartsheet, Asana, Jira),
//! tables named with --map, and files in other CSV dialects (`;` with
//! decimal commas, tabs, a byte order mark with CRLF line ends) forecast
//! exactly as the same plan written in slipcast's own CSV.

mod common;

use common::{json, refusal, slipcast, write};
use serde_json::Value;

const DIR: &str = "tests/data/exports";

/// `forecast FILE --json` with a fixed seed, iterations and start, and
/// `extra` flags; without the keys that name the input files or when the
/// run was made.
fn forecast(file: &str, extra: &[&str]) -> Value {
    let mut v = json(
        slipcast()
            .args([
                "forecast",
                &format!("{DIR}/{file}"),
                "--json",
                "--seed",
                "1",
            ])
            .args(["--iterations", "2000", "--start", "2026-01-05"])
            .args(extra),
    );
    let o = v.as_object_mut().unwrap();
    for key in ["plan", "generated", "inputs"] {
        o.remove(key);
    }
    v
}

/// The export forecasts as its equivalent plan, percentile for
/// percentile, task for task.
fn same_forecast(export: &str, plan: &str, extra: &[&str]) -> Value {
    let (a, b) = (forecast(export, extra), forecast(plan, extra));
    assert_eq!(a, b, "{export} and {plan} forecast differently");
    a
}

fn spread(v: &Value) -> f64 {
    v["duration"]["p90"].as_f64().unwrap() - v["duration"]["p10"].as_f64().unwrap()
}

#[test]
fn ms_project_task_table() {
    let v = same_forecast("msproject.csv", "msproject-plan.csv", &[]);
    // Single durations: no range, so every iteration is the deterministic
    // schedule: Design 5, Build 10, a 1-day lag, Test 3.
    assert_eq!(v["duration"]["p10"], v["duration"]["p90"]);
    assert_eq!(v["duration"]["p50"].as_f64(), Some(19.0));
    assert_eq!(v["deterministic"]["duration"].as_f64(), Some(19.0));
    // ... and slipcast says so, with how to add ranges.
    let out = slipcast()
        .args(["validate", &format!("{DIR}/msproject.csv")])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(
        err.trim_end(),
        "warning: tests/data/exports/msproject.csv: this forecast has no uncertainty: every task has a single duration and no risk adds any, so every iteration gives the same date; give tasks low and high estimates (low,likely,high such as 3,5,9; in a spreadsheet export, Low and High columns, or --map low=COLUMN --map high=COLUMN), or a risk register (--risks)"
    );
}

#[test]
fn ms_project_with_low_and_high_columns() {
    let v = same_forecast("msproject-ranged.csv", "msproject-ranged-plan.csv", &[]);
    assert!(spread(&v) > 1.0, "{v}");
}

#[test]
fn jira_seconds_story_points_statuses_and_links() {
    let flags = [
        "--points-per-day",
        "2",
        "--map",
        "low=Low (days)",
        "--map",
        "high=High (days)",
    ];
    let v = forecast("jira.csv", &flags);
    assert_eq!(v, forecast("jira-plan.csv", &[]));
    assert!(spread(&v) > 1.0, "{v}");
    // `Low (days)` and `High (days)` are low and high without --map: a
    // unit of days in brackets is read as what the column means.
    assert_eq!(v, forecast("jira.csv", &flags[..2]));
    // The link to an issue of another project is said, and read as met.
    let out = slipcast()
        .args(["validate", &format!("{DIR}/jira.csv")])
        .args(flags)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains(
            "warning: tests/data/exports/jira.csv:4: task \"CHK-3\": is blocked by OPS-7, which is not an issue of this file; the link is read as already met"
        ),
        "{err}"
    );
    // Jira's own columns (Reporter, Created, Sprint, ...) are not warned about.
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    // validate --json lists the warning with its place.
    let v = json(
        slipcast()
            .args(["validate", &format!("{DIR}/jira.csv"), "--json"])
            .args(flags),
    );
    assert_eq!(v["valid"], true);
    assert_eq!(v["warnings"][0]["line"], 4);
    assert_eq!(v["warnings"][0]["task"], "CHK-3");
}

#[test]
fn jira_story_points_need_points_per_day() {
    let err = refusal(slipcast().args(["validate", &format!("{DIR}/jira.csv")]));
    assert!(
        err.contains(
            "tests/data/exports/jira.csv:4: Story Points is the only estimate of 1 issue(s), the first on line 4; pass --points-per-day N"
        ),
        "{err}"
    );
}

#[test]
fn smartsheet_dates_are_working_days_of_the_runs_calendar() {
    let holidays = format!("{DIR}/holidays.csv");
    let v = same_forecast(
        "smartsheet.csv",
        "smartsheet-plan.csv",
        &["--holidays", &holidays],
    );
    assert!(spread(&v) > 1.0, "{v}");
    // Without the holiday, Build's two weeks are 10 working days.
    let plain = forecast("smartsheet.csv", &[]);
    assert_ne!(plain["deterministic"], v["deterministic"]);
}

#[test]
fn asana_dates_and_blocked_by_names_or_ids() {
    let v = same_forecast("asana.csv", "asana-plan.csv", &[]);
    assert!(spread(&v) > 1.0, "{v}");
}

#[test]
fn semicolons_with_decimal_commas() {
    same_forecast("decimal-comma.csv", "decimal-comma-plan.csv", &[]);
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends() {
    same_forecast("bom-crlf.csv", "decimal-comma-plan.csv", &[]);
}

#[test]
fn tabs() {
    same_forecast("tab.csv", "decimal-comma-plan.csv", &[]);
}

#[test]
fn any_table_with_map_and_ids_with_spaces() {
    let map = [
        "--map",
        "id=Key",
        "--map",
        "name=Title",
        "--map",
        "low=Best case",
        "--map",
        "likely=Effort (days)",
        "--map",
        "high=Worst case",
        "--map",
        "depends_on=Blocked by",
        "--map",
        "team=Squad",
    ];
    let a = forecast("mapped.csv", &map);
    let b = forecast("mapped-plan.csv", &[]);
    assert_eq!(a, b);
    assert_eq!(a["tasks"][0]["id"], "Design doc");
    let v = json(
        slipcast()
            .args([
                "forecast",
                &format!("{DIR}/mapped.csv"),
                "--json",
                "-n",
                "1000",
            ])
            .args(["--milestone", "Build it"])
            .args(map),
    );
    assert!(v["duration"]["p50"].as_f64().unwrap() > 8.0);
}

#[test]
fn map_errors_name_the_fields_or_the_closest_column() {
    let err = refusal(slipcast().args([
        "validate",
        &format!("{DIR}/mapped.csv"),
        "--map",
        "efort=Effort (days)",
    ]));
    assert!(
        err.contains("--map: \"efort\" is not a field slipcast reads; the fields are id, name, low, likely, high"),
        "{err}"
    );
    let err = refusal(slipcast().args([
        "validate",
        &format!("{DIR}/mapped.csv"),
        "--map",
        "id=Key",
        "--map",
        "likely=Efort",
    ]));
    assert!(
        err.contains(
            "tests/data/exports/mapped.csv:1: --map likely=\"Efort\": the header has no column \"Efort\" (did you mean \"Effort (days)\"?); name a column of the header line"
        ),
        "{err}"
    );
}

/// An unknown column is a warning on line 1 with the closest name, and the
/// forecast goes on.
#[test]
fn an_unknown_column_warns_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "plan.csv", "id,likely,depnds_on\na,1,\nb,2,a\n");
    let out = slipcast()
        .args(["forecast", &plan, "-n", "1000", "--start", "2026-01-05"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains(&format!(
            "warning: {plan}:1: \"depnds_on\" is not a column slipcast reads; did you mean \"depends_on\"?"
        )),
        "{err}"
    );
}

/// Regression: the lines of a CRLF file were reported one too low.
#[test]
fn crlf_files_report_the_lines_an_editor_shows() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "plan.csv",
        "id,low,likely,high\r\na,1,2,3\r\nb,5,2,3\r\n",
    );
    let err = refusal(slipcast().args(["validate", &plan]));
    assert!(
        err.contains(&format!("{plan}:3: task \"b\": low (5) > likely (2)")),
        "{err}"
    );
}

/// A bad cell of an export is a problem with the file, line, task, value
/// and fix, and every one is reported at once.
#[test]
fn bad_export_cells_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "tasks.csv",
        "ID,Name,Duration,Predecessors\n1,A,3 edays,\n2,B,five,1FS+50%\n3,C,2d,9\n",
    );
    let err = refusal(slipcast().args(["validate", &plan]));
    for want in [
        format!("{plan}:2: task \"1\": Duration \"3 edays\" is elapsed time"),
        format!("{plan}:3: task \"2\": Duration \"five\" is not a duration"),
        format!("{plan}:3: task \"2\": predecessor \"1FS+50%\": a lag in percent"),
        format!("{plan}:4: task \"3\": depends on \"9\", which is not a task id"),
    ] {
        assert!(err.contains(&want), "{want}\n{err}");
    }
}

/// The cells of Jira, Smartsheet and Asana exports that cannot be read
/// are problems with the file, line, task, value and fix.
#[test]
fn bad_tracker_cells_say_what_where_and_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let jira = write(
        dir.path(),
        "jira.csv",
        "Issue key,Summary,Status,Original Estimate\nA-1,One,To Do,2h\nA-2,Two,Open,\n",
    );
    let err = refusal(slipcast().args(["validate", &jira]));
    for want in [
        format!(
            "{jira}:2: task \"A-1\": Original Estimate \"2h\" is not a number of seconds; Jira exports estimates in seconds (28800 is one working day of 8 hours)"
        ),
        format!(
            "{jira}:3: task \"A-2\": has no duration: Original Estimate, Remaining Estimate and Story Points are blank"
        ),
    ] {
        assert!(err.contains(&want), "{want}\n{err}");
    }
    let sheet = write(
        dir.path(),
        "sheet.csv",
        "Task Name,Start,End,Predecessors\nA,2026-01-09,2026-01-05,\nB,soon,2026-01-05,1\n",
    );
    let err = refusal(slipcast().args(["validate", &sheet]));
    for want in [
        format!(
            "{sheet}:2: task \"1\": End 2026-01-05 is before Start 2026-01-09; correct one of the dates"
        ),
        format!("{sheet}:3: task \"2\": Start \"soon\" is not a date; write YYYY-MM-DD"),
    ] {
        assert!(err.contains(&want), "{want}\n{err}");
    }
    let asana = write(
        dir.path(),
        "asana.csv",
        "Task ID,Name,Start Date,Due Date\n1,A,2026-01-05,\n",
    );
    let err = refusal(slipcast().args(["validate", &asana]));
    assert!(
        err.contains(&format!(
            "{asana}:2: task \"1\": has no duration: Due Date is blank"
        )),
        "{err}"
    );
}
