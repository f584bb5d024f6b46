//! `slipcast report`: the folder it writes, the self-contained
//! page, the wiki summary, atomic replacement, and the refusal to replace
//! a folder that is not a report.
//!
//! Outputs go to tempfile folders, never to `reports/`.

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// The charts of the report: the forecast's four, then the Gantt chart of
/// the P80's world (in its own section).
const CHARTS: [&str; 5] = ["finish", "milestones", "drivers", "criticality", "gantt"];

fn slipcast() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipcast"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RAYON_NUM_THREADS")
        // A fixed generation time, so that two runs are byte-comparable.
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .timeout(Duration::from_secs(300));
    cmd
}

/// The checkout example with every input, small enough for debug builds.
fn report(out: &Path) -> Command {
    let mut cmd = slipcast();
    cmd.args([
        "report",
        "data/examples/checkout-v2.csv",
        "--start",
        "2027-01-04",
        "--milestone",
        "ga",
        "--holidays",
        "data/examples/holidays-2027.csv",
        "--risks",
        "data/examples/checkout-v2-risks.csv",
        "-n",
        "3000",
        "--drivers",
        "4",
        "--out",
    ])
    .arg(out);
    cmd
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn writes_a_complete_self_contained_report() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("week-12");
    let out = report(&dir)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "We are 80% confident of delivery by ",
        ))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Not a terminal: no progress bar, no escape codes.
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(!stderr.contains("Simulating"), "{stderr}");
    assert!(stderr.contains("index.html"), "{stderr}");

    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected = vec![
        ".slipcast-manifest.json",
        "drivers.csv",
        "explain.csv",
        "explain.json",
        "forecast.json",
        "index.html",
        "percentiles.csv",
        "summary.md",
        "tasks.csv",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for c in CHARTS {
        expected.push(format!("{c}.png"));
        expected.push(format!("{c}.svg"));
    }
    expected.sort();
    assert_eq!(files, expected);
    // No temporary folders left beside it.
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "week-12")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let json: Value = serde_json::from_str(&read(&dir.join("forecast.json"))).unwrap();
    let day = |k: &str| {
        let d = json.pointer(k).and_then(Value::as_str).unwrap();
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .unwrap()
            .format("%a %Y-%m-%d")
            .to_string()
    };
    let headline = format!(
        "We are 80% confident of delivery by {}; the plan date, {}, has a ",
        day("/finish/p80"),
        day("/deterministic/finish")
    );

    let html = read(&dir.join("index.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&headline), "headline {headline:?}");
    for input in [
        "data/examples/checkout-v2.csv (46 tasks)",
        "3,000 iterations, seed 42",
        "Mon 2027-01-04 (working day 1)",
        "Mon-Fri, 11 holidays (data/examples/holidays-2027.csv)",
        "7 risks",
    ] {
        assert!(html.contains(input), "the page states {input:?}");
    }
    // When the data is from and when the page was made (SOURCE_DATE_EPOCH).
    assert!(html.contains("Data date Mon 2027-01-04 \u{b7} generated Fri 2027-01-01 00:00 UTC"));
    assert!(html.contains("<h1>Delivery forecast: checkout-v2 (milestone ga)</h1>"));
    // The risk register, each risk with its chance and mean impact.
    assert!(html.contains("<h2 id=\"risks\">Risk register</h2>"));
    let risks = json["risk_register"].as_array().unwrap();
    assert_eq!(risks.len(), 7);
    let register = &html[html.find("<h2 id=\"risks\">").unwrap()..];
    let register = &register[..register.find("</table>").unwrap()];
    for r in risks {
        let name = r["name"].as_str().unwrap();
        let chance = format!("{:.0}%", r["probability"].as_f64().unwrap() * 100.0);
        let impact = format!("{:.1}", r["mean_impact"].as_f64().unwrap());
        let row = register
            .split("<tr>")
            .find(|row| {
                row.contains(&format!("<td class=\"wrap\">{name}<"))
                    || row.contains(&format!("<td>{name}<"))
            })
            .unwrap_or_else(|| panic!("no row for {name:?}"));
        assert!(
            row.contains(&format!(">{chance}<")),
            "{name}: {chance} in {row}"
        );
        assert!(
            row.contains(&format!(">{impact}<")),
            "{name}: {impact} in {row}"
        );
    }
    // Nothing to fetch: no URLs at all, no external resources of any kind.
    for banned in [
        "http://", "https://", "src=", "href=", "url(", "@import", "<script", "<link", "<img",
        "<iframe", "<object",
    ] {
        assert!(!html.contains(banned), "index.html contains {banned:?}");
    }
    assert!(html.contains("Content-Security-Policy"));
    // Every chart inlined, exactly as in its SVG file after the root tag.
    assert_eq!(html.matches("<svg ").count(), CHARTS.len());
    for c in CHARTS {
        let svg = read(&dir.join(format!("{c}.svg")));
        let body = &svg[svg.find("<svg").unwrap()..];
        let body = &body[body.find('>').unwrap() + 1..];
        assert!(html.contains(body), "{c}.svg is not inlined");
        assert!(html.contains(&format!("<figure id=\"{c}\">")));
    }
    assert!(html.contains("What drives the date"));
    assert!(html.contains("<h2 id=\"tasks\">Tasks</h2>"));
    let tasks = json["tasks"].as_array().unwrap();
    // The driver table leaves out the drivers whose effects all show as
    // +0.0.
    let drivers = json["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            ["p50_days", "p80_days", "p90_days"]
                .iter()
                .any(|k| d[*k].as_f64().unwrap().abs() >= 0.05)
        })
        .count();
    assert!(drivers > 0);
    // The P80's world: its critical path, and the risks that fired.
    let world: Value = serde_json::from_str(&read(&dir.join("explain.json"))).unwrap();
    assert_eq!(world["finish_date"], json["finish"]["p80"]);
    let path = world["critical_path"].as_array().unwrap().len();
    let fired = world["risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["fired"] == true)
        .count();
    assert!(html.contains("<h2 id=\"world\">What an 80% world looks like</h2>"));
    assert_eq!(
        html.matches("<tr>").count(),
        1 + tasks.len()
            + 1
            + drivers.min(15)
            + 1
            + risks.len()
            + 1
            + path
            + usize::from(fired > 0)
            + fired
    );

    let md = read(&dir.join("summary.md"));
    assert!(md.contains(&headline));
    for c in CHARTS {
        assert!(
            md.contains(&format!("]({c}.png)")),
            "summary.md shows {c}.png"
        );
    }
    assert!(md.contains("## What drives the date"));
    assert!(md.contains("## What an 80% world looks like"));
    assert!(md.contains("## Risk register"));
    assert!(md.contains("Data date Mon 2027-01-04 \u{b7} generated Fri 2027-01-01 00:00 UTC"));
}

/// `--title` names the page, inert in the HTML and the Markdown.
#[test]
fn title_is_given_and_inert() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("r");
    report(&dir)
        .args(["--title", "Checkout <b>v2</b> & *week 12*"])
        .assert()
        .success();
    let html = read(&dir.join("index.html"));
    assert!(html.contains("<title>Checkout &lt;b&gt;v2&lt;/b&gt; &amp; *week 12*</title>"));
    assert!(html.contains("<h1>Checkout &lt;b&gt;v2&lt;/b&gt; &amp; *week 12*</h1>"));
    assert!(!html.contains("<b>v2"));
    let md = read(&dir.join("summary.md"));
    assert!(
        md.starts_with("# Checkout \\<b\\>v2\\</b\\> & \\*week 12\\*\n"),
        "{md}"
    );
    report(&tmp.path().join("s"))
        .args(["--title", " "])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--title is empty"));
}

/// Issue item 5: a plan in which nothing varies gets one sentence instead
/// of a degenerate finish chart and tornado, on the page, in the summary
/// and in the forecast's terminal output.
#[test]
fn a_plan_without_uncertainty_says_so_in_one_sentence() {
    let tmp = TempDir::new().unwrap();
    let plan = tmp.path().join("fixed.csv");
    fs::write(
        &plan,
        "id,likely,dist,depends_on\na,5,fixed,\nb,3,fixed,a\nc,2,fixed,a\n",
    )
    .unwrap();
    let dir = tmp.path().join("r");
    slipcast()
        .args(["report", plan.to_str().unwrap(), "--start", "2027-01-04"])
        .args(["-n", "2000", "--out", dir.to_str().unwrap()])
        .assert()
        .success();
    let sentence = "Every estimate is fixed and there are no risks: the plan finishes on \
                    Wed 2027-01-13 in every iteration.";
    let html = read(&dir.join("index.html"));
    assert!(html.contains(sentence), "{html}");
    assert!(!html.contains("<figure id=\"finish\">"));
    assert!(!html.contains("<figure id=\"drivers\">"));
    assert!(!html.contains("standard deviation"));
    assert!(!dir.join("finish.png").exists() && !dir.join("drivers.svg").exists());
    assert!(dir.join("criticality.png").exists());
    assert!(read(&dir.join("summary.md")).contains(sentence));

    let out = slipcast()
        .args(["forecast", plan.to_str().unwrap(), "--start", "2027-01-04"])
        .args(["-n", "2000"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains(sentence), "{text}");
    for silly in ["P10", "standard deviation", "100% chance", "± 0.00"] {
        assert!(!text.contains(silly), "{silly:?} in {text}");
    }
}

#[test]
fn same_seed_same_report_on_any_thread_count() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    report(&a).arg("--threads").arg("1").assert().success();
    report(&b).assert().success();
    for f in ["index.html", "summary.md", "forecast.json", "finish.png"] {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn replaces_a_report_but_never_other_files() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("r");
    report(&dir).assert().success();
    report(&dir).assert().success();
    // A chart edited since slipcast wrote it is replaced only with --force.
    fs::write(dir.join("finish.png"), b"stale").unwrap();
    report(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("'finish.png' was changed"));
    report(&dir).arg("--force").assert().success();
    assert_ne!(fs::read(dir.join("finish.png")).unwrap(), b"stale");

    let notes = tmp.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("todo.txt"), "keep me").unwrap();
    report(&notes)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "it holds files slipcast did not write (it has no slipcast manifest): todo.txt",
        ))
        .stderr(predicate::str::contains("Choose a new or empty folder"));
    assert_eq!(read(&notes.join("todo.txt")), "keep me");
    assert_eq!(fs::read_dir(&notes).unwrap().count(), 1);
}

#[test]
fn task_names_cannot_inject_markup() {
    let tmp = TempDir::new().unwrap();
    let plan = tmp.path().join("hostile.csv");
    fs::write(
        &plan,
        "id,name,low,likely,high,depends_on\n\
         a,\"<script>alert('x')</script> & <b>bold</b>\",2,3,5,\n\
         b,\"Pipes | and *stars* in [links](http://example.com)\",1,2,4,a\n",
    )
    .unwrap();
    let dir = tmp.path().join("r");
    slipcast()
        .args(["report", plan.to_str().unwrap(), "--start", "2027-01-04"])
        .args(["-n", "2000", "--out", dir.to_str().unwrap()])
        .assert()
        .success();
    let html = read(&dir.join("index.html"));
    assert!(!html.contains("<script"), "unescaped script tag");
    assert!(!html.contains("<b>bold"), "unescaped markup");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold"));
    // A URL in a name is text on the page, never a link or a resource.
    assert!(html.contains("[links](http://example.com)"));
    for banned in ["href=", "src=", "url("] {
        assert!(!html.contains(banned), "index.html contains {banned:?}");
    }
    for c in CHARTS {
        let svg = read(&dir.join(format!("{c}.svg")));
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{c}.svg: {e}"));
    }
    let md = read(&dir.join("summary.md"));
    assert!(md.contains("Pipes \\| and \\*stars\\* in \\[links\\]"));
}

/// `report --target` answers the target's chance in the headline (page,
/// summary, terminal) and marks it on the finish chart.
#[test]
fn target_chance_is_on_the_page_and_the_finish_chart() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("r");
    let out = report(&dir)
        .args(["--target", "2027-03-26", "--confidence", "90"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_str(&read(&dir.join("forecast.json"))).unwrap();
    let p = json["target"]["probability"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0, "{p}");
    let pct = format!("{:.0}%", p * 100.0);
    let sentence = format!("The target, Fri 2027-03-26, has a {pct} chance.");
    assert!(String::from_utf8_lossy(&out).contains(&sentence));
    assert!(read(&dir.join("index.html")).contains(&sentence));
    assert!(read(&dir.join("summary.md")).contains(&sentence));
    let svg = read(&dir.join("finish.svg"));
    assert!(
        svg.contains(&format!("Target Fri 26 Mar ({pct})")),
        "no target marker"
    );
    assert!(json["confidence"]["percent"].as_f64() == Some(90.0));
}

#[test]
fn help_shows_examples() {
    slipcast()
        .args(["report", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains(
            "slipcast report data/examples/checkout-v2.csv",
        ));
}

#[test]
fn bad_output_folder_fails_before_simulating() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("a-file");
    fs::write(&file, "x").unwrap();
    report(&file.join("r"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a-file"));
}
