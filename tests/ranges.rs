//! `--ranges FILE` (issue 12, "Adding the uncertainty"): a P6 plan's
//! single durations ranged per activity id or WBS prefix, ahead of the
//! `--range` template. Which range each activity gets, what the numbers
//! become (days as they are, percentages of the remaining duration), how
//! the forecast moves, and that `slipcast import --ranges` writes a
//! plan.csv that forecasts as the P6 file with its ranges does.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{json, refusal, slipcast, write};
use predicates::prelude::*;
use serde_json::Value;

use slipcast::plan::xer::{ImportOptions, RangeTemplate};
use slipcast::plan::{DistKind, Estimate, Scenario, Sources, Status};

const MINING: &str = "tests/data/xer/p6-23.12_mining-programme_695act.xer";

/// An activity of the mining programme as imported without ranges.
#[derive(Debug, Clone)]
struct Activity {
    id: String,
    wbs: String,
    /// The remaining duration, in working days of its calendar.
    days: f64,
    status: Status,
}

/// The mining programme's activities, in plan order, read without ranges.
fn activities() -> Vec<Activity> {
    let sc = Scenario::load(Sources::plan(MINING), None).unwrap();
    let report = sc.import.as_ref().unwrap();
    (sc.plan.tasks.iter().zip(&report.wbs))
        .map(|(t, wbs)| {
            let Estimate::Fixed { days } = t.estimate else {
                panic!("{}: a single duration without ranges", t.id)
            };
            Activity {
                id: t.id.clone(),
                wbs: wbs.clone(),
                days,
                status: t.status,
            }
        })
        .collect()
}

/// Whether `path` is `prefix` or below it, whole WBS codes at a time.
fn under(path: &str, prefix: &str) -> bool {
    path == prefix || path.starts_with(&format!("{prefix}."))
}

/// The mining programme loaded with a ranges file and a template.
fn load(ranges: &Path, template: Option<[f64; 3]>) -> Scenario {
    let sources = Sources {
        ranges: Some(ranges.to_path_buf()),
        import: ImportOptions {
            range: template.map(|[low, likely, high]| RangeTemplate {
                low,
                likely,
                high,
                dist: DistKind::Triangular,
            }),
            ..ImportOptions::default()
        },
        ..Sources::plan(MINING)
    };
    Scenario::load(sources, None).unwrap_or_else(|e| panic!("{e}"))
}

/// `days * p / 100` for each of three percentages.
fn percent(days: f64, [low, likely, high]: [f64; 3]) -> [f64; 3] {
    [low, likely, high].map(|p| days * p / 100.0)
}

/// An id row beats the longest matching WBS prefix, which beats a shorter
/// one, which beats the template; days are taken as they are, percentages
/// of each activity's remaining duration (an in-progress activity's too);
/// complete activities and milestones take no time whatever the ranges
/// say. Every expected number is computed from the remaining duration read
/// without ranges.
#[test]
fn an_id_row_beats_a_wbs_row_beats_the_template() {
    let acts = activities();
    let open = |a: &&Activity| a.days > 0.0;
    let in_hrn: Vec<&Activity> = acts
        .iter()
        .filter(open)
        .filter(|a| under(&a.wbs, "4.HRN"))
        .collect();
    assert!(in_hrn.len() >= 2, "{in_hrn:?}");
    let (by_id, by_hrn) = (in_hrn[0], in_hrn[1]);
    let by_four = acts
        .iter()
        .filter(open)
        .find(|a| under(&a.wbs, "4") && !under(&a.wbs, "4.HRN"))
        .expect("an open activity under 4 outside 4.HRN");
    let by_template = acts
        .iter()
        .filter(open)
        .find(|a| !under(&a.wbs, "4") && a.status == Status::Todo)
        .expect("an open activity outside 4");
    let in_progress = acts
        .iter()
        .filter(open)
        .find(|a| a.status == Status::InProgress && !under(&a.wbs, "4"))
        .expect("an activity in progress");
    let complete = acts
        .iter()
        .find(|a| a.status == Status::Done)
        .expect("a complete activity");

    let dir = tempfile::tempdir().unwrap();
    let ranges = write(
        dir.path(),
        "ranges.csv",
        &format!(
            "id,wbs,low,likely,high,dist,unit\n\
             ,4,90,100,110,pert,percent\n\
             ,4.HRN,80%,100%,150%,triangular,\n\
             {},,3,5,12,triangular,\n\
             {},,50%,100%,200%,pert,\n\
             {},,1,2,3,,\n",
            by_id.id, in_progress.id, complete.id
        ),
    );
    let template = [95.0, 100.0, 140.0];
    let sc = load(Path::new(&ranges), Some(template));
    let estimate = |id: &str| sc.plan.tasks[sc.plan.index_of(id).unwrap()].estimate;
    let tri = |[low, mode, high]: [f64; 3]| Estimate::Triangular { low, mode, high };
    let pert = |[low, mode, high]: [f64; 3]| Estimate::Pert { low, mode, high };

    assert_eq!(estimate(&by_id.id), tri([3.0, 5.0, 12.0]), "{by_id:?}");
    assert_eq!(
        estimate(&by_hrn.id),
        tri(percent(by_hrn.days, [80.0, 100.0, 150.0])),
        "{by_hrn:?}"
    );
    assert_eq!(
        estimate(&by_four.id),
        pert(percent(by_four.days, [90.0, 100.0, 110.0])),
        "{by_four:?}"
    );
    assert_eq!(
        estimate(&by_template.id),
        tri(percent(by_template.days, template)),
        "{by_template:?}"
    );
    assert_eq!(
        estimate(&in_progress.id),
        pert(percent(in_progress.days, [50.0, 100.0, 200.0])),
        "{in_progress:?}"
    );
    assert_eq!(estimate(&complete.id), Estimate::Fixed { days: 0.0 });

    // The counts: every activity once.
    let r = &sc.import.as_ref().unwrap().ranging;
    let open_under_4 = acts.iter().filter(open).filter(|a| under(&a.wbs, "4"));
    let with_work = acts.iter().filter(open).count();
    assert_eq!(r.by_id, 2);
    assert_eq!(r.by_wbs, open_under_4.count() - 1);
    assert_eq!(r.by_template, with_work - r.by_id - r.by_wbs);
    assert_eq!(r.unranged, 0);
    assert_eq!(r.no_remaining_work, acts.len() - with_work);
    assert_eq!(r.ids_without_work, std::slice::from_ref(&complete.id));
    assert_eq!(r.file.as_deref(), Some(ranges.as_str()));
    assert!(sc.import.as_ref().unwrap().ranged);

    // Without the template, the rest keep single durations.
    let sc = load(Path::new(&ranges), None);
    let r = &sc.import.as_ref().unwrap().ranging;
    assert_eq!(r.by_template, 0);
    assert_eq!(r.unranged, with_work - r.by_id - r.by_wbs);
    let t = sc.plan.index_of(&by_template.id).unwrap();
    assert_eq!(
        sc.plan.tasks[t].estimate,
        Estimate::Fixed {
            days: by_template.days
        }
    );
}

/// A WBS code may carry the project's code in front, as P6 shows it; the
/// project's code alone ranges the whole project.
#[test]
fn a_wbs_prefix_may_name_the_project() {
    let acts = activities();
    let sc = Scenario::load(Sources::plan(MINING), None).unwrap();
    let projects = &sc.import.as_ref().unwrap().projects;
    let dir = tempfile::tempdir().unwrap();
    let rows: String = projects
        .iter()
        .map(|p| format!("{p},90%,100%,130%\n"))
        .collect();
    let ranges = write(
        dir.path(),
        "ranges.csv",
        &format!("wbs,low,likely,high\n{rows}10001.4.HRN,1,2,3\n"),
    );
    let sc = load(Path::new(&ranges), None);
    let r = &sc.import.as_ref().unwrap().ranging;
    assert_eq!(r.unranged, 0, "the projects' codes cover every activity");
    for (a, t) in acts
        .iter()
        .zip(&sc.plan.tasks)
        .filter(|(a, _)| a.days > 0.0)
    {
        let want = if under(&a.wbs, "4.HRN") {
            // Every 4.HRN activity is in project 10001.
            Estimate::Pert {
                low: 1.0,
                mode: 2.0,
                high: 3.0,
            }
        } else {
            let [low, mode, high] = percent(a.days, [90.0, 100.0, 130.0]);
            Estimate::Pert { low, mode, high }
        };
        assert_eq!(t.estimate, want, "{a:?}");
    }
}

/// `forecast --json` of the mining programme with `args`, without the keys
/// that name the input files.
fn forecast(args: &[&str]) -> Value {
    let mut v = json(
        slipcast()
            .args(["forecast", MINING, "-n", "4000", "--basic", "--json", "-q"])
            .args(args),
    );
    let m = v.as_object_mut().unwrap();
    m.remove("ranges");
    v
}

/// Rows for each project of the mining programme (its code ranges all of
/// it) with `cells` (low,likely,high,dist).
fn whole_programme(dir: &Path, name: &str, cells: &str) -> String {
    let sc = Scenario::load(Sources::plan(MINING), None).unwrap();
    let rows: String = (sc.import.unwrap().projects.iter())
        .map(|p| format!("{p},{cells}\n"))
        .collect();
    write(dir, name, &format!("wbs,low,likely,high,dist\n{rows}"))
}

/// Ranging everything 100,100,100 leaves the forecast deterministic: every
/// percentile is the plan date, exactly, and the forecast warns that it
/// has no uncertainty.
#[test]
fn ranging_everything_flat_gives_the_deterministic_finish() {
    let dir = tempfile::tempdir().unwrap();
    let flat = whole_programme(dir.path(), "flat.csv", "100%,100%,100%,triangular");
    let v = forecast(&["--ranges", &flat]);
    let det = v["deterministic"]["duration"].as_f64().unwrap();
    for p in ["min", "p10", "p50", "p80", "p90", "max"] {
        assert_eq!(v["duration"][p].as_f64(), Some(det), "{p}");
    }
    for p in ["p10", "p50", "p80", "p90"] {
        assert_eq!(v["finish"][p], v["deterministic"]["finish"], "{p}");
    }
    assert_eq!(v["deterministic"], forecast(&[])["deterministic"]);
    slipcast()
        .args([
            "forecast", MINING, "-n", "1000", "--basic", "--ranges", &flat,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the ranges given leave every remaining duration a single number, so every \
             iteration is the same and the forecast has no uncertainty",
        ));
}

/// Percentages in a ranges file are the template's percentages: ranging
/// every activity 90%,100%,130% triangular by WBS forecasts exactly as
/// `--range 90,100,130` does.
#[test]
fn percentages_of_the_whole_programme_are_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let file = whole_programme(dir.path(), "r.csv", "90%,100%,130%,triangular");
    assert_eq!(
        forecast(&["--ranges", &file]),
        forecast(&["--range", "90,100,130"])
    );
}

/// Ranging one critical activity wide, on top of the template, moves the
/// P90 later; the plan date (on likely durations) stays where it was.
#[test]
fn a_wide_critical_activity_moves_the_p90_later() {
    let base = forecast(&["--range", "90,100,130"]);
    let acts: HashMap<String, Activity> = (activities().into_iter())
        .map(|a| (a.id.clone(), a))
        .collect();
    let critical = (base["deterministic"]["critical_path"].as_array().unwrap())
        .iter()
        .map(|id| &acts[id.as_str().unwrap()])
        .filter(|a| a.days > 0.0)
        .max_by(|a, b| a.days.total_cmp(&b.days))
        .expect("a critical activity with remaining work");
    let dir = tempfile::tempdir().unwrap();
    let wide = write(
        dir.path(),
        "wide.csv",
        &format!(
            "id,low,likely,high,dist\n{},90%,100%,300%,triangular\n",
            critical.id
        ),
    );
    let v = forecast(&["--range", "90,100,130", "--ranges", &wide]);
    let p90 = |v: &Value| v["duration"]["p90"].as_f64().unwrap();
    assert!(
        p90(&v) > p90(&base) + 0.5 * critical.days,
        "{} ({} days): P90 {} -> {}",
        critical.id,
        critical.days,
        p90(&base),
        p90(&v)
    );
    assert_eq!(
        v["deterministic"]["duration"],
        base["deterministic"]["duration"]
    );
}

/// `import --ranges` writes the ranged low, likely, high and dist into
/// plan.csv, reports how each activity was ranged, and the CSV forecasts
/// number for number as the P6 file with the same ranges does.
#[test]
fn import_writes_the_ranges_and_the_csv_forecasts_as_the_xer() {
    let acts = activities();
    let by_id = (acts.iter())
        .find(|a| a.days > 0.0 && under(&a.wbs, "5"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ranges = write(
        dir.path(),
        "ranges.csv",
        &format!(
            "id,wbs,low,likely,high,dist\n\
             {},,3,5,12,triangular\n\
             ,5,80%,100%,150%,pert\n\
             ,4.HRN,1,2,6,uniform\n",
            by_id.id
        ),
    );
    let range = ["--ranges", ranges.as_str(), "--range", "90,100,130"];
    let out = dir.path().join("imported");
    let out_s = out.display().to_string();
    slipcast()
        .args(["import", MINING, "--out", &out_s])
        .args(range)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "  Ranged       1 activity by id, {} by WBS prefix ({ranges}), ",
            (acts.iter())
                .filter(|a| a.days > 0.0 && (under(&a.wbs, "5") || under(&a.wbs, "4.HRN")))
                .count()
                - 1
        )));
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    assert!(
        plan.starts_with("id,name,wbs,low,likely,high,dist,"),
        "{plan}"
    );
    let row = (plan.lines())
        .find(|l| l.starts_with(&format!("{},", by_id.id)))
        .unwrap();
    assert!(row.contains(",3,5,12,triangular,"), "{row}");

    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("import.json")).unwrap()).unwrap();
    let r = &report["ranging"];
    assert_eq!(r["file"], ranges.as_str());
    assert_eq!(r["by_id"], 1);
    let counted: u64 = [
        "by_id",
        "by_wbs",
        "by_template",
        "unranged",
        "no_remaining_work",
    ]
    .iter()
    .map(|k| r[k].as_u64().unwrap())
    .sum();
    assert_eq!(counted as usize, acts.len());
    assert_eq!(r["unranged"], 0);
    assert_eq!(report["ranged"], true);

    // The CSV read back forecasts as the XER with its ranges.
    let start = report["start"].as_str().unwrap();
    let run = ["-n", "5000", "--drivers", "3", "--json", "-q"];
    let numbers = |mut v: Value| {
        for key in ["plan", "calendars", "ranges"] {
            v.as_object_mut().unwrap().remove(key);
        }
        // The WBS paths come from the P6 file (a plan CSV's `wbs` column
        // is for the reader's eyes).
        for t in v["tasks"].as_array_mut().unwrap() {
            t.as_object_mut().unwrap().remove("wbs");
        }
        v
    };
    let from_xer = json(slipcast().args(["forecast", MINING]).args(range).args(run));
    assert_eq!(from_xer["ranges"], ranges.as_str());
    let csv = |f: &str| out.join(f).display().to_string();
    let from_csv = json(
        slipcast()
            .args([
                "forecast",
                &csv("plan.csv"),
                "--calendars",
                &csv("calendars.csv"),
            ])
            .args(["--start", start])
            .args(run),
    );
    let (a, b) = (numbers(from_xer), numbers(from_csv));
    assert_eq!(a["percentiles"], b["percentiles"]);
    assert_eq!(a["tasks"], b["tasks"]);
    assert_eq!(a, b);
}

/// Every problem of a ranges file at once: rows that do not read, and rows
/// that range nothing in the plan, each with its line and fix.
#[test]
fn ranges_problems_are_reported_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let acts = activities();
    let id = &acts.iter().find(|a| a.days > 0.0).unwrap().id;
    let ranges = write(
        dir.path(),
        "ranges.csv",
        &format!(
            "id,wbs,low,likely,high,dist\n\
             {id},,3,5,12,triangular\n\
             {id}X,,3,5,12,triangular\n\
             ,4.HRM,90%,100%,140%,\n\
             ,4.HRN,90%,100%,140%,triangel\n\
             {id},,1,2,3,\n\
             ,5,90%,12,130%,\n"
        ),
    );
    let err = refusal(slipcast().args(["validate", MINING, "--ranges", &ranges]));
    let r = ranges.as_str();
    let expected = [
        "Error: the ranges file has 5 problems:".to_string(),
        format!(
            "  {r}:3: id \"{id}X\" is not an activity of {MINING} (did you mean \"{id}\"?); correct the id, or remove the row"
        ),
        format!(
            "  {r}:4: wbs \"4.HRM\" matches no activity's WBS path in {MINING} (did you mean \"4.HRN\"?)"
        ),
        format!(
            "  {r}:5: wbs \"4.HRN\": unknown distribution \"triangel\" (did you mean \"triangular\"?)"
        ),
        format!(
            "  {r}:6: id \"{id}\" is given again; it was first given on line 2. Keep one row per activity id"
        ),
        format!(
            "  {r}:7: wbs \"5\": low, likely and high mix percentages and working days (90%, 12, 130%)"
        ),
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (line, want) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(want.as_str()),
            "{line}\n does not start with\n{want}"
        );
    }
    // validate --json lists the same problems with their lines.
    let out = slipcast()
        .args(["validate", MINING, "--ranges", &ranges, "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let lines: Vec<u64> = (v["problems"].as_array().unwrap().iter())
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5, 6, 7]);
}

/// A plan CSV carries its own ranges: --ranges is refused with the way to
/// get them in; and a valid file is summed up by validate.
#[test]
fn ranges_are_for_p6_plans() {
    let dir = tempfile::tempdir().unwrap();
    let ranges = write(
        dir.path(),
        "r.csv",
        "wbs,low,likely,high\n4,90%,100%,150%\n",
    );
    slipcast()
        .args(["forecast", "data/examples/checkout-v2.csv", "--ranges", &ranges])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "Error: --ranges {ranges}: data/examples/checkout-v2.csv is a plan CSV, which carries its own low, likely and high per task"
        )));
    slipcast()
        .args(["validate", MINING, "--ranges", &ranges])
        .assert()
        .success()
        .stdout(predicate::str::contains("Ranged: 0 activities by id, "))
        .stdout(predicate::str::contains(format!(
            "by WBS prefix ({ranges})"
        )));
    // Activities the file leaves unranged are noted.
    slipcast()
        .args([
            "forecast", MINING, "-n", "1000", "--basic", "--ranges", &ranges,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "with remaining work match no row of {ranges} and keep a single duration"
        )));
}
