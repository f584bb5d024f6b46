//! Forecasts and reports of plans whose tasks run on their own calendars
//! (P6 imports, plan CSVs with `--calendars`): per-task dates as P6 dates
//! them, time in calendar days from the data date, and a report a
//! leadership reader can use with hundreds of activities.
//!
//! Why: issue 12 (tried as a new user would on the bundled P6 exports):
//! start milestones came out a day early, the report spoke of working days
//! where its numbers are calendar days, and charts of hundreds of activities
//! listed names a P6 user could not find in their schedule.

mod common;

use chrono::{NaiveDate, NaiveTime};
use common::{json, slipcast, stdout};

use slipcast::analysis::{Forecast, ForecastOptions, RunBasis, forecast};
use slipcast::plan::{Scenario, Sources, Status};

const HOUSE: &str = "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer";
const MINING: &str = "tests/data/xer/p6-23.12_mining-programme_695act.xer";

fn scenario(file: &str) -> Scenario {
    Scenario::load(Sources::plan(file), None).unwrap()
}

/// The forecast of an imported scenario as the command line makes it (on
/// the plan's calendar-day axis), with `iterations` and seed 42.
fn forecast_of(sc: &Scenario, iterations: u64) -> Forecast {
    let axis = sc.plan.axis_calendar().expect("a plan on task calendars");
    let basis = RunBasis {
        task_calendars: vec!["its own".into()],
        ..RunBasis::new(&axis, 42)
    };
    let opts = ForecastOptions {
        basic: true,
        ..ForecastOptions::new(&axis, iterations, 42).with_basis(basis)
    };
    forecast(sc, &opts, None).unwrap().0
}

/// P6's date of a time it wrote as the end of a day's work (midnight
/// belongs to the day before).
fn p6_finish(at: chrono::NaiveDateTime) -> NaiveDate {
    if at.time() == NaiveTime::MIN {
        at.date().pred_opt().unwrap()
    } else {
        at.date()
    }
}

/// Without a range the forecast is the plan: every open activity of the
/// house model, start milestones included, finishes on the date P6 gives it
/// (a start milestone on its early start: where work resumes, not the
/// evening before).
#[test]
fn house_task_dates_are_p6_dates() {
    let sc = scenario(HOUSE);
    let f = forecast_of(&sc, 2_000);
    let import = sc.import.as_ref().unwrap();
    let mut starts = 0;
    for (t, task) in sc.plan.tasks.iter().enumerate() {
        let Some((es, ef)) = import.source_dates[t] else {
            continue;
        };
        if task.status == Status::Done {
            continue;
        }
        let p6 = if task.at_start {
            starts += 1;
            es.date()
        } else {
            p6_finish(ef)
        };
        let s = &f.tasks[t];
        assert_eq!(s.id, task.id);
        assert_eq!(s.planned_finish, p6, "{}: planned finish", task.id);
        for (q, d) in [
            ("P10", s.finish.p10),
            ("P50", s.finish.p50),
            ("P90", s.finish.p90),
        ] {
            assert_eq!(d, p6, "{}: {q} of a plan without uncertainty", task.id);
        }
    }
    assert_eq!(starts, 6, "the house model's start milestones");
}

/// A start milestone that moves from one iteration to the next: when its
/// predecessor ends with Tuesday's work it is placed at the start of
/// Wednesday, and it is dated Wednesday in every percentile, as it is when
/// the predecessor runs into Wednesday. (Dated as a finish, the Tuesday
/// evening, its P10 and plan date would be Tuesday.)
#[test]
fn a_moving_start_milestone_is_dated_where_work_resumes() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 2027-01-04. `fix` takes Monday and Tuesday; `vary` ends between
    // Monday evening and Thursday noon, by Tuesday evening in 40% of the
    // iterations.
    let plan = common::write(
        dir.path(),
        "plan.csv",
        "id,low,likely,high,dist,depends_on,milestone\n\
         fix,2,2,2,fixed,,\n\
         vary,1,2,3.5,triangular,,\n\
         open,0,0,0,fixed,fix;vary,start\n",
    );
    let calendars = common::write(
        dir.path(),
        "calendars.csv",
        "calendar,workdays,hours_per_day\nWeek,Mon-Fri,8\n",
    );
    let v = json(slipcast().args([
        "forecast",
        &plan,
        "--calendars",
        &calendars,
        "--start",
        "2027-01-04",
        "-n",
        "20000",
        "--basic",
        "--json",
        "-q",
    ]));
    let open = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "open")
        .unwrap();
    assert_eq!(open["planned_finish"], "2027-01-06");
    assert_eq!(open["finish"]["p10"], "2027-01-06");
    assert_eq!(open["finish"]["p50"], "2027-01-06");
    // About 7% of iterations end `vary` on Thursday morning.
    assert_eq!(open["finish"]["p90"], "2027-01-06");
    let vary = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "vary")
        .unwrap();
    assert_eq!(
        vary["finish"]["p10"], "2027-01-05",
        "a finish keeps its rule"
    );
}

/// Every occurrence of "working day" in `text` (case-insensitive), with
/// some context, for a failure message.
fn working_days_in(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .match_indices("working day")
        .map(|(i, _)| {
            let from = lower[..i]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(j, _)| j);
            lower[from..].chars().take(90).collect()
        })
        .collect()
}

/// `slipcast report` on the house-building P6 plan, into `dir/house`.
fn house_report(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("house");
    slipcast()
        .args(["report", HOUSE, "--range", "90,100,130", "-n", "3000"])
        .args(["--drivers", "4", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// A P6 plan's times are calendar days from the data date: the report,
/// its charts and its files say days, never working days, and name the
/// data date and the task calendars instead of a start and a work week.
#[test]
fn calendar_plans_are_reported_in_calendar_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = house_report(dir.path());
    let mut read = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".png") || name.starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(working_days_in(&text), Vec::<String>::new(), "{name}");
        read += 1;
    }
    assert_eq!(
        read, 13,
        "index.html, summary.md, 5 SVGs (the P80 world's Gantt chart too), 2 JSONs and 4 CSVs"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    for expected in [
        "days from the data date",
        "80% confident · ",
        "- Data date: Sun 2023-07-23\n",
        "- Calendars: 1 task calendar: CPLEX Model 14 - 7 day workweek; days are calendar days\n",
        "share of simulated outcomes finishing on each day",
        "Calendar days of the P80 date attributable to each driver",
    ] {
        assert!(md.contains(expected), "{expected:?} not in\n{md}");
    }
    let svg = std::fs::read_to_string(out.join("drivers.svg")).unwrap();
    assert!(svg.contains("Calendar days of P80"), "{svg}");
    let csv = std::fs::read_to_string(out.join("percentiles.csv")).unwrap();
    assert!(csv.starts_with("percentile,calendar_days,finish_date\n"));

    // The terminal answers in days too.
    let text = stdout(
        slipcast()
            .args(["forecast", HOUSE, "--range", "90,100,130", "-n", "3000"])
            .args(["--drivers", "4", "--start", "2023-07-23"])
            .args(["--target", "2024-03-01", "--confidence", "85"]),
    );
    assert_eq!(working_days_in(&text), Vec::<String>::new(), "{text}");
    assert!(
        text.contains("The target Fri 2024-03-01 (day 223) has"),
        "{text}"
    );
    assert!(text.contains("What drives the date (days of P80"), "{text}");

    let text = stdout(
        slipcast()
            .args([
                "compare",
                HOUSE,
                HOUSE,
                "--range",
                "90,100,130",
                "-n",
                "2000",
            ])
            .args(["--start", "2023-07-23", "--target", "2024-03-01"]),
    );
    assert_eq!(working_days_in(&text), Vec::<String>::new(), "{text}");
    assert!(text.contains("Target Fri 2024-03-01 (day 223)\n"), "{text}");
    assert!(text.contains(" #1 in days (95% interval"), "{text}");
}

/// The text of every `<text>` element of an SVG chart, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().replace("&amp;", "&"))
        })
        .collect()
}

/// Charts of a P6 plan name tasks by activity id and name, so that the
/// fifth house's `Plumbing` is told from the second's and found in P6; the
/// task and driver tables and `tasks.csv` carry each activity's WBS path.
#[test]
fn imported_tasks_carry_their_ids_and_wbs() {
    let dir = tempfile::tempdir().unwrap();
    let out = house_report(dir.path());
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let drivers = svg_texts(&read("drivers.svg"));
    assert!(
        drivers.contains(&"C4030 Plumbing".to_string()),
        "{drivers:?}"
    );
    assert!(
        drivers[0].starts_with("C4030 Plumbing adds "),
        "{drivers:?}"
    );
    let crit = svg_texts(&read("criticality.svg"));
    assert!(crit.contains(&"C4010 Masonry".to_string()), "{crit:?}");
    let gantt = svg_texts(&read("milestones.svg"));
    assert!(
        gantt.contains(&"C4110 House 4 Finish".to_string()),
        "{gantt:?}"
    );

    let csv = read("tasks.csv");
    assert!(csv.starts_with("id,name,team,wbs,status,"), "{csv}");
    assert!(csv.contains("\nC4030,Plumbing,,H4,todo,"), "{csv}");
    let md = read("summary.md");
    assert!(md.contains("| Driver | Kind | WBS | P50 days |"), "{md}");
    assert!(md.contains("| Plumbing (`C4030`) | task | H4 |"), "{md}");
    assert!(md.contains("| Task | WBS | Status | Criticality |"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&read("forecast.json")).unwrap();
    let c4030 = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "C4030")
        .unwrap();
    assert_eq!(c4030["wbs"], "H4");
}

/// A weekday and a date with nothing around it (`Mon 1 Dec`): a weekly tick
/// label of the milestone chart.
fn weekly_tick(s: &str) -> bool {
    let mut w = s.split(' ');
    matches!(
        (w.next(), w.next(), w.next(), w.next()),
        (Some(d), Some(n), Some(m), None)
            if ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&d)
                && n.parse::<u32>().is_ok()
                && m.len() == 3
    )
}

/// The mining programme's 695 activities on one leadership page: the task
/// table keeps the 50 most critical and says where the rest are, drivers
/// and sensitivities that show as zero are left out of the charts and
/// tables, the milestone chart shows the milestone that decides the finish
/// (M1320 FID) and dates its monthly ticks alike.
#[test]
fn a_programme_of_hundreds_of_activities_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mining");
    slipcast()
        .args(["report", MINING, "--range", "90,100,130", "-n", "4000"])
        .args(["--drivers", "12", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let md = read("summary.md");
    let tasks = md.split("\n## Tasks\n").nth(1).unwrap();
    let rows = tasks.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(rows, 2 + 50, "header, rule and 50 tasks:\n{tasks}");
    assert!(
        tasks.contains("The 50 most critical of 695 tasks; every task is in tasks.csv."),
        "{tasks}"
    );
    assert_eq!(read("tasks.csv").lines().count(), 1 + 695);
    let drivers = md.split("\n## What drives the date\n").nth(1).unwrap();
    let drivers = drivers.split("\n## ").next().unwrap();
    assert!(
        !drivers.contains("| +0.0 | **+0.0** | +0.0 |"),
        "a driver of no effect:\n{drivers}"
    );

    let tornado = svg_texts(&read("drivers.svg"));
    assert!(tornado[0].contains(" adds ") && tornado[0].ends_with(" days to the P80 date"));
    assert!(!tornado.iter().any(|t| t == "+0.0 d"), "{tornado:?}");
    // The sensitivity panel shares the criticality panel's rows: a
    // sensitivity that rounds to zero shows as 0.00 there, never -0.00.
    let crit = svg_texts(&read("criticality.svg"));
    assert!(!crit.iter().any(|t| t == "-0.00"), "{crit:?}");
    let gantt = svg_texts(&read("milestones.svg"));
    assert!(gantt.contains(&"M1320 FID".to_string()), "{gantt:?}");
    // 1 September 2025 is a Monday: a monthly tick all the same.
    assert!(
        gantt.contains(&"1 Sep".to_string()),
        "monthly ticks: {gantt:?}"
    );
    let weekly: Vec<&String> = gantt.iter().filter(|t| weekly_tick(t)).collect();
    assert!(weekly.is_empty(), "a weekday on a monthly tick: {weekly:?}");

    // The terminal's most critical tasks: a sensitivity that rounds to
    // zero shows as 0.00, not -0.00.
    let text = stdout(
        slipcast()
            .args(["forecast", MINING, "--range", "90,100,130", "-n", "4000"])
            .args(["--drivers", "0"]),
    );
    assert!(text.contains("Most critical tasks"), "{text}");
    assert!(!text.contains("-0.00"), "{text}");
}
