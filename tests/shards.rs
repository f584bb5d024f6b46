//! Sharded runs: each shard computes its slice of the iterations, and the
//! merge of the slices is the single run's result to the bit, in any order
//! and in stages; partials of different runs, missing or repeated slices and
//! damaged files are refused, naming the files, with nothing written.

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;

use slipcast::analysis::{
    ForecastOptions, InputDigest, PARTIAL_FORMAT, Partial, PartialHeader, Shard, Slice, assemble,
    forecast, forecast_merged, forecast_part,
};
use slipcast::plan::{Calendar, Scenario, TeamRule, build_correlation, parse_plan, parse_risks};

mod common;
use common::{refusal, slipcast};

/// The stdout of a command that must succeed.
trait OutputBytes {
    fn output_bytes(&mut self) -> Vec<u8>;
}

impl OutputBytes for assert_cmd::Command {
    fn output_bytes(&mut self) -> Vec<u8> {
        self.assert().success().get_output().stdout.clone()
    }
}

/// A random plan of `n` tasks in two teams: each task depends on up to two
/// earlier ones; estimates and distributions from `bytes`.
fn random_scenario(n: usize, bytes: &[u8], risks: usize, milestone: Option<usize>) -> Scenario {
    let mut text = String::from("id,name,low,likely,high,dist,depends_on,team\n");
    for i in 0..n {
        let b = |k: usize| u64::from(bytes[(i * 5 + k) % bytes.len()]);
        let low = 1 + b(0) % 5;
        let likely = low + b(1) % 6;
        let high = likely + b(2) % 12;
        let dist = ["triangular", "pert", "uniform"][(b(3) % 3) as usize];
        let deps: Vec<String> = (0..i)
            .filter(|&j| (b(4) + j as u64).is_multiple_of(3))
            .take(2)
            .map(|j| format!("t{j}"))
            .collect();
        let team = if b(3) % 2 == 0 { "web" } else { "api" };
        text.push_str(&format!(
            "t{i},Task {i},{low},{likely},{high},{dist},{},{team}\n",
            deps.join(";")
        ));
    }
    let plan = parse_plan("plan.csv", &text, None).unwrap();
    let mut sc = Scenario::new(plan);
    let mut register = String::from("id,name,probability,low,likely,high,dist,affects\n");
    for r in 0..risks {
        let t = usize::from(bytes[r % bytes.len()]) % n;
        let p = 0.1 + 0.2 * (r % 4) as f64;
        register.push_str(&format!("r{r},Risk {r},{p},2,4,9,triangular,t{t}\n"));
    }
    sc.risks = parse_risks("risks.csv", &register, &sc.plan).unwrap();
    sc.correlation = build_correlation(&sc.plan, &[TeamRule::AllTeams(0.5)], &[]).unwrap();
    sc.milestone = milestone.map(|m| m % n);
    sc
}

fn header(iterations: u64, seed: u64, shard: Shard) -> PartialHeader {
    PartialHeader {
        format: PARTIAL_FORMAT,
        version: env!("CARGO_PKG_VERSION").into(),
        command: vec!["forecast".into(), "plan.csv".into()],
        start: None,
        inputs: vec![InputDigest::of("plan.csv", b"the plan")],
        seed,
        iterations,
        scenarios: 1,
        slices: vec![Slice {
            scenario: 0,
            first: shard.range(iterations).start,
            end: shard.range(iterations).end,
        }],
        shards: vec![shard.to_string()],
    }
}

/// Every shard of `count`, as partials (written and read back as files
/// would be).
fn shards(sc: &Scenario, opts: &ForecastOptions, iterations: u64, count: u64) -> Vec<Partial> {
    (0..count)
        .map(|k| {
            let shard = Shard::new(k, count).unwrap();
            let tallies = forecast_part(sc, opts, shard.range(iterations), None).unwrap();
            let p = Partial {
                header: header(iterations, opts.basis.seed, shard),
                tallies: vec![tallies],
            };
            Partial::from_bytes(&p.to_bytes()).unwrap()
        })
        .collect()
}

fn named(parts: Vec<Partial>) -> Vec<(String, Partial)> {
    parts
        .into_iter()
        .map(|p| (format!("shard {}", p.header.shards.join(",")), p))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// For random plans (with risks, correlations and a milestone) and any
    /// shard count, the merged shards are the single run, exactly: merged
    /// in any order, and in two stages.
    #[test]
    fn merged_shards_are_the_single_run(
        n in 3usize..14,
        bytes in proptest::collection::vec(any::<u8>(), 40),
        risks in 0usize..4,
        milestone in proptest::option::of(0usize..14),
        count in 1u64..18,
        iterations in 1u64..120_000,
        seed in any::<u64>(),
        rotate in 0usize..17,
        split in 0usize..17,
    ) {
        let sc = random_scenario(n, &bytes, risks, milestone);
        let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        let opts = ForecastOptions { driver_tasks: 3, ..ForecastOptions::new(&cal, iterations, seed) };
        let (single, _) = forecast(&sc, &opts, None).unwrap();
        let single = serde_json::to_string(&single).unwrap();

        let mut parts = named(shards(&sc, &opts, iterations, count));
        let len = parts.len();
        parts.rotate_left(rotate % len);
        let whole = assemble(parts.clone(), true).unwrap();
        let (merged, _) = forecast_merged(&sc, &opts, whole.tallies.into_iter().next().unwrap(), None).unwrap();
        prop_assert_eq!(&serde_json::to_string(&merged).unwrap(), &single);

        // In stages: the first shards and the rest, each merged, then both.
        parts.sort_by_key(|(_, p)| p.header.slices[0].first);
        let at = split % parts.len();
        let (a, b) = parts.split_at(at.max(1));
        let mut staged = vec![("a".to_string(), assemble(a.to_vec(), false).unwrap())];
        if !b.is_empty() {
            staged.insert(0, ("b".to_string(), assemble(b.to_vec(), false).unwrap()));
        }
        let whole = assemble(staged, true).unwrap();
        prop_assert_eq!(whole.header.shards.len() as u64, count);
        let (merged, _) = forecast_merged(&sc, &opts, whole.tallies.into_iter().next().unwrap(), None).unwrap();
        prop_assert_eq!(&serde_json::to_string(&merged).unwrap(), &single);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// A comparison of random scenarios split into any number of shards
    /// (units of scenario and slice) merges to the single comparison.
    #[test]
    fn merged_comparison_shards_are_the_single_comparison(
        bytes in proptest::collection::vec(any::<u8>(), 40),
        scenarios in 1usize..5,
        count in 1u64..18,
        iterations in 1u64..70_000,
    ) {
        use slipcast::analysis::{CompareOptions, RunBasis, compare_merged, compare_part, compare_scenarios};
        let list: Vec<Scenario> = (0..scenarios)
            .map(|s| random_scenario(4 + s, &bytes[s..], s % 3, None))
            .collect();
        let labels: Vec<String> = (0..scenarios).map(|s| format!("s{s}")).collect();
        let pairs: Vec<(&str, &Scenario)> = labels.iter().map(String::as_str).zip(&list).collect();
        let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        let opts = CompareOptions {
            basis: RunBasis::new(&cal, 5),
            iterations,
            milestone: None,
            target: None,
            cuts: Vec::new(),
        };
        let single = serde_json::to_string(&compare_scenarios(&pairs, &opts, None).unwrap()).unwrap();
        let mut parts = Vec::new();
        for k in 0..count {
            let shard = Shard::new(k, count).unwrap();
            let slices = shard.slices(scenarios as u64, iterations);
            let tallies = slices
                .iter()
                .map(|s| compare_part(s.scenario as usize, &list[s.scenario as usize], &opts, s.range(), None).unwrap())
                .collect();
            let mut h = header(iterations, 5, shard);
            h.scenarios = scenarios as u64;
            h.slices = slices;
            parts.push((format!("shard {k}"), Partial { header: h, tallies }));
        }
        parts.reverse();
        let whole = assemble(parts, true).unwrap();
        let merged = compare_merged(&pairs, &opts, whole.tallies).unwrap();
        prop_assert_eq!(serde_json::to_string(&merged).unwrap(), single);
    }
}

#[test]
fn shards_cut_the_run_into_whole_chunks_that_tile_it() {
    let chunk = slipcast::engine::CHUNK as u64;
    for (n, count) in [
        (100_000_000, 64),
        (1_000, 3),
        (5 * chunk + 7, 4),
        (chunk, 17),
    ] {
        let mut at = 0;
        for k in 0..count {
            let r = Shard::new(k, count).unwrap().range(n);
            assert_eq!(r.start, at, "{n} {count} {k}");
            assert!(r.start.is_multiple_of(chunk) || r.is_empty());
            at = r.end;
        }
        assert_eq!(at, n);
    }
    // Units of (scenario, slice): every scenario's iterations tiled once,
    // whether shards outnumber scenarios or not.
    for (scenarios, count, n) in [
        (5u64, 12u64, 100_000u64),
        (7, 3, 40_000),
        (3, 3, 1_000),
        (2, 17, 200_000),
    ] {
        let mut at = vec![0u64; scenarios as usize];
        for k in 0..count {
            for s in Shard::new(k, count).unwrap().slices(scenarios, n) {
                assert_eq!(s.first, at[s.scenario as usize], "{scenarios} {count} {k}");
                at[s.scenario as usize] = s.end;
            }
        }
        assert!(at.iter().all(|&e| e == n), "{scenarios} {count}: {at:?}");
    }
    // 64 shards of 100M: 95 or 96 chunks each.
    let r = Shard::new(3, 64).unwrap().range(100_000_000);
    assert_eq!((r.end - r.start) / chunk, 95);
}

#[test]
fn a_damaged_partial_is_refused() {
    let sc = random_scenario(5, &[7, 3, 9, 1, 4, 8], 1, None);
    let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    let opts = ForecastOptions::new(&cal, 40_000, 1);
    let bytes = shards(&sc, &opts, 40_000, 2)[0].to_bytes();
    for cut in [bytes.len() - 1, bytes.len() / 2, 20] {
        let e = Partial::from_bytes(&bytes[..cut]).unwrap_err().to_string();
        assert!(e.contains("damaged or cut short"), "{e}");
    }
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 1;
    let e = Partial::from_bytes(&flipped).unwrap_err().to_string();
    assert!(e.contains("damaged or cut short"), "{e}");
    let e = Partial::from_bytes(b"id,name\n").unwrap_err().to_string();
    assert!(e.contains("not a slipcast partial"), "{e}");
}

// The command line.

const PLAN: &[&str] = &[
    "data/examples/checkout-v2.csv",
    "--start",
    "2027-01-04",
    "--risks",
    "data/examples/checkout-v2-risks.csv",
    "-n",
    "70k",
];

/// Runs shards `ks` of `count` of `forecast PLAN extra` into `dir`.
fn run_shards(dir: &Path, count: u64, ks: impl IntoIterator<Item = u64>, extra: &[&str]) {
    for k in ks {
        slipcast()
            .arg("forecast")
            .args(PLAN)
            .args(extra)
            .args(["--shard", &format!("{k}/{count}"), "--partial"])
            .arg(dir)
            .arg("--quiet")
            .assert()
            .success()
            .stdout("");
    }
}

fn parts(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn merge_prints_the_single_runs_json_and_writes_its_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("parts");
    run_shards(&dir, 5, 0..5, &["--seed", "11"]);
    let single = slipcast()
        .arg("forecast")
        .args(PLAN)
        .args(["--seed", "11", "--json"])
        .output_bytes();
    // Given in reverse order.
    let mut files = parts(&dir);
    files.reverse();
    let merged = slipcast()
        .arg("merge")
        .args(&files)
        .arg("--json")
        .output_bytes();
    assert!(
        merged == single,
        "merged JSON differs from the single run's"
    );

    // The terminal text and the --out folder, file for file.
    let text = |args: &[&str]| {
        let mut c = slipcast();
        c.args(args);
        common::stdout(&mut c)
    };
    let mut fargs = vec!["forecast"];
    fargs.extend(PLAN);
    fargs.extend(["--seed", "11"]);
    let mut margs = vec!["merge"];
    margs.extend(files.iter().map(String::as_str));
    assert_eq!(text(&margs), text(&fargs));
    let (a, b) = (tmp.path().join("single"), tmp.path().join("merged"));
    slipcast()
        .args(&fargs)
        .arg("--out")
        .arg(&a)
        .arg("-q")
        .assert()
        .success();
    slipcast()
        .args(&margs)
        .arg("--out")
        .arg(&b)
        .arg("-q")
        .assert()
        .success();
    let names = parts(&a);
    assert!(names.len() > 3);
    for f in names {
        let name = Path::new(&f).file_name().unwrap();
        assert!(
            std::fs::read(&f).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name:?} differs"
        );
    }
}

#[test]
fn a_report_merges_to_the_single_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("parts");
    for k in 0..3 {
        slipcast()
            .arg("report")
            .args(PLAN)
            .args(["--shard", &format!("{k}/3"), "--partial"])
            .arg(&dir)
            .arg("-q")
            .assert()
            .success();
    }
    let (a, b, c) = (
        tmp.path().join("single"),
        tmp.path().join("merged"),
        tmp.path().join("from-forecast"),
    );
    slipcast()
        .arg("report")
        .args(PLAN)
        .arg("--out")
        .arg(&a)
        .arg("-q")
        .assert()
        .success();
    slipcast()
        .arg("merge")
        .args(parts(&dir))
        .arg("--out")
        .arg(&b)
        .arg("-q")
        .assert()
        .success();
    // A forecast's shards give the same report with --report.
    let fdir = tmp.path().join("fparts");
    run_shards(&fdir, 2, 0..2, &[]);
    slipcast()
        .arg("merge")
        .args(parts(&fdir))
        .arg("--report")
        .arg(&c)
        .arg("-q")
        .assert()
        .success();
    for f in parts(&a) {
        let name = Path::new(&f).file_name().unwrap();
        let want = std::fs::read(&f).unwrap();
        assert!(
            want == std::fs::read(b.join(name)).unwrap(),
            "{name:?} differs"
        );
        assert!(
            want == std::fs::read(c.join(name)).unwrap(),
            "{name:?} differs"
        );
    }
}

/// A refusal of `merge FILES --out DIR`: exit 1, the message, and no DIR.
fn refused(files: &[String], tmp: &Path) -> String {
    let out = tmp.join("out");
    let e = refusal(slipcast().arg("merge").args(files).arg("--out").arg(&out));
    assert!(!out.exists(), "{e}");
    e
}

#[test]
fn merge_refuses_what_is_not_one_whole_run_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (a, b, c) = (t.join("a"), t.join("b"), t.join("c"));
    run_shards(&a, 4, 0..4, &["--seed", "3"]);
    let a_files = parts(&a);

    // Another seed.
    run_shards(&b, 4, [1], &["--seed", "4"]);
    let mut files = a_files.clone();
    files[1] = parts(&b)[0].clone();
    let e = refused(&files, t);
    assert!(
        e.contains("shard-0001-of-0004.part is from a different run than"),
        "{e}"
    );
    assert!(e.contains("seed 4 there, 3 here"), "{e}");

    // Another plan.
    slipcast()
        .args([
            "forecast",
            "data/examples/mobile-launch.csv",
            "--start",
            "2027-01-04",
        ])
        .args(["-n", "70k", "--seed", "3", "--shard", "2/4", "--partial"])
        .arg(&c)
        .arg("-q")
        .assert()
        .success();
    files = a_files.clone();
    files[2] = parts(&c)[0].clone();
    let e = refused(&files, t);
    assert!(e.contains("is from a different run"), "{e}");
    assert!(e.contains("mobile-launch.csv"), "{e}");

    // A gap, and an overlap.
    let e = refused(
        &[a_files[0].clone(), a_files[2].clone(), a_files[3].clone()],
        t,
    );
    assert!(
        e.contains("iterations 16384..32768 of 70000 are in none of the files"),
        "{e}"
    );
    let mut files = a_files.clone();
    files.push(a_files[2].clone());
    let e = refused(&files, t);
    assert!(e.contains("is given twice"), "{e}");

    // A damaged file: cut short.
    let cut = t.join("cut.part");
    let bytes = std::fs::read(&a_files[3]).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let mut files = a_files.clone();
    files[3] = cut.display().to_string();
    let e = refused(&files, t);
    assert!(e.contains("cut.part: it is damaged or cut short"), "{e}");

    // Nothing either when merging in stages.
    let stage = t.join("stage");
    let e = refusal(
        slipcast()
            .arg("merge")
            .args(&files)
            .arg("--partial")
            .arg(&stage),
    );
    assert!(e.contains("damaged"), "{e}");
    assert!(!stage.exists());
}

#[test]
fn merge_refuses_inputs_changed_since_the_shards_read_them() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.csv");
    std::fs::copy("data/examples/checkout-v2.csv", &plan).unwrap();
    let dir = tmp.path().join("parts");
    for k in 0..2 {
        slipcast()
            .arg("forecast")
            .arg(&plan)
            .args([
                "--start",
                "2027-01-04",
                "-n",
                "40k",
                "--shard",
                &format!("{k}/2"),
            ])
            .arg("--partial")
            .arg(&dir)
            .arg("-q")
            .assert()
            .success();
    }
    let mut text = std::fs::read_to_string(&plan).unwrap();
    text.push('\n');
    std::fs::write(&plan, text).unwrap();
    let e = refused(&parts(&dir), tmp.path());
    assert!(
        e.contains("plan.csv: it changed since the shards read it"),
        "{e}"
    );
}

#[test]
fn shard_auto_reads_the_batch_engines_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("parts");
    let engines: [&[(&str, &str)]; 3] = [
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
        &[("JOB_COMPLETION_INDEX", "0")],
        &[("AWS_BATCH_JOB_ARRAY_INDEX", "2")],
    ];
    for vars in engines {
        let mut c = slipcast();
        c.arg("forecast")
            .args(PLAN)
            .args(["--shard", "auto/3", "--partial"]);
        c.arg(&dir).arg("-q");
        for (k, v) in vars {
            c.env(k, v);
        }
        c.assert().success();
    }
    let names: Vec<String> = parts(&dir)
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "shard-0000-of-0003.part",
            "shard-0001-of-0003.part",
            "shard-0002-of-0003.part"
        ]
    );
    slipcast()
        .arg("merge")
        .args(parts(&dir))
        .arg("--json")
        .assert()
        .success();
}

#[test]
fn a_shard_never_replaces_a_file_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("parts");
    std::fs::create_dir(&dir).unwrap();
    let mine = dir.join("shard-0000-of-0002.part");
    std::fs::write(&mine, "my notes\n").unwrap();
    let e = refusal(
        slipcast()
            .arg("forecast")
            .args(PLAN)
            .args(["--shard", "0/2", "--partial"])
            .arg(&dir),
    );
    assert!(e.contains("is not a partial file slipcast wrote"), "{e}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes\n");
    // Its own earlier partial is replaced (a rerun of a failed shard).
    run_shards(&dir, 2, [1, 1], &[]);
    assert_eq!(parts(&dir).len(), 2);
    let e = refusal(
        slipcast()
            .arg("forecast")
            .args(PLAN)
            .args(["--shard", "0/2", "--json"]),
    );
    assert!(
        e.contains("--shard writes only the shard's partial file"),
        "{e}"
    );
}

// Comparisons and sweeps.

const SWEEP: &str = "\
scenario,plan,risks,teams,add,cut
baseline,checkout-v2.csv,,,,
with risks,checkout-v2.csv,checkout-v2-risks.csv,,,
cut from 4,checkout-v2.csv,,,,4
teams,checkout-v2.csv,,checkout-v2-teams.csv,,
teams +1 payments,checkout-v2.csv,,checkout-v2-teams.csv,payments=+1,
";

/// A folder with the sweep manifest beside the plan files it names.
fn sweep_folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in [
        "checkout-v2.csv",
        "checkout-v2-risks.csv",
        "checkout-v2-teams.csv",
    ] {
        std::fs::copy(Path::new("data/examples").join(f), tmp.path().join(f)).unwrap();
    }
    std::fs::write(tmp.path().join("sweep.csv"), SWEEP).unwrap();
    tmp
}

const SWEEP_RUN: &[&str] = &[
    "compare",
    "--manifest",
    "sweep.csv",
    "--start",
    "2027-01-04",
    "-n",
    "40k",
    "--target",
    "2027-04-15",
];

#[test]
fn a_sweep_of_scenarios_merges_to_the_single_comparison() {
    let tmp = sweep_folder();
    let run = |extra: &[&str]| {
        let mut c = slipcast();
        c.current_dir(tmp.path()).args(SWEEP_RUN).args(extra);
        c.output_bytes()
    };
    let single = run(&["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&single).unwrap();
    let labels: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "baseline",
            "with risks",
            "cut from 4",
            "teams",
            "teams +1 payments"
        ]
    );
    // Fewer shards than scenarios, and more.
    for count in [3u64, 7, 12] {
        let dir = format!("parts-{count}");
        for k in 0..count {
            run(&["--shard", &format!("{k}/{count}"), "--partial", &dir, "-q"]);
        }
        let mut files: Vec<String> = std::fs::read_dir(tmp.path().join(&dir))
            .unwrap()
            .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        files.sort();
        files.reverse();
        let merged = slipcast()
            .current_dir(tmp.path())
            .arg("merge")
            .args(&files)
            .arg("--json")
            .output_bytes();
        assert!(merged == single, "{count} shards: the merge differs");
        // A scenario's slice missing is named.
        let e = refusal(
            slipcast()
                .current_dir(tmp.path())
                .arg("merge")
                .args(&files[1..])
                .arg("--json"),
        );
        assert!(e.contains("scenario 5 of 5: iterations"), "{e}");
    }

    // The cut scenario is the cut line's position that cuts priority 4 and
    // lower (an independent computation: the nested sweep of every position).
    let mut c = slipcast();
    c.args([
        "cutline",
        "data/examples/checkout-v2.csv",
        "--start",
        "2027-01-04",
    ])
    .args(["-n", "40k", "--target", "2027-04-15", "--json"]);
    let cutline = common::json(&mut c);
    let position = cutline["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["cut_from_priority"] == 4)
        .unwrap();
    for q in ["p50", "p80", "p90"] {
        assert_eq!(v["scenarios"][2]["days"][q], position["days"][q], "{q}");
    }
}

#[test]
fn a_manifest_names_every_problem_with_its_line() {
    let tmp = sweep_folder();
    std::fs::write(
        tmp.path().join("bad.csv"),
        "scenario,plan,cut,add,colour\n\
         a,checkout-v2.csv,,,\n\
         a,checkout-v2.csv,x,,\n\
         ,checkout-v2.csv,,,\n\
         c,,,payments+1,\n",
    )
    .unwrap();
    let e = refusal(slipcast().current_dir(tmp.path()).args([
        "compare",
        "--manifest",
        "bad.csv",
        "--start",
        "2027-01-04",
    ]));
    assert!(
        e.contains("bad.csv line 1: unknown column \"colour\""),
        "{e}"
    );
    std::fs::write(
        tmp.path().join("bad.csv"),
        "scenario,plan,cut,add\n\
         a,checkout-v2.csv,,\n\
         a,checkout-v2.csv,x,\n\
         ,checkout-v2.csv,,\n\
         c,,,payments+1\n",
    )
    .unwrap();
    let e = refusal(slipcast().current_dir(tmp.path()).args([
        "compare",
        "--manifest",
        "bad.csv",
        "--start",
        "2027-01-04",
    ]));
    for want in [
        "bad.csv line 3, scenario \"a\": the name is used twice",
        "bad.csv line 3, scenario \"a\": cut \"x\" is not a priority",
        "bad.csv line 4: the scenario has no name",
        "bad.csv line 5, scenario \"c\": no plan",
        "bad.csv line 5, scenario \"c\": --add payments+1",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
}

#[test]
fn a_cut_line_sweep_merges_to_the_single_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    // Without capacity (every position from one nested pass) and with it
    // (each position its own schedule).
    for (k, extra) in [
        ["--risks", "data/examples/checkout-v2-risks.csv"],
        ["--teams", "data/examples/checkout-v2-teams.csv"],
    ]
    .iter()
    .enumerate()
    {
        let run = || {
            let mut c = slipcast();
            c.args([
                "cutline",
                "data/examples/checkout-v2.csv",
                "--start",
                "2027-01-04",
            ])
            .args(["--target", "2027-04-30", "-n", "50k"])
            .args(extra);
            c
        };
        let single = run().arg("--json").output_bytes();
        let dir = tmp.path().join(format!("parts-{k}"));
        for s in 0..4 {
            run()
                .args(["--shard", &format!("{s}/4"), "--partial"])
                .arg(&dir)
                .arg("-q")
                .assert()
                .success();
        }
        let merged = slipcast()
            .arg("merge")
            .args(parts(&dir))
            .arg("--json")
            .output_bytes();
        assert!(merged == single, "{extra:?}: the merge differs");
    }
}
