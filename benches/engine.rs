//! Engine throughput on generated networks (`shared/bench/gen_network.py N
//! --seed 1`, kept in `data/bench/`): 1,000 and 10,000 triangular tasks, and
//! the 1,000-task network with every distribution mixed in.
//!
//! Throughput is in task-iterations, so criterion reports how many task
//! schedules per second the engine computes; divide 1e9 by it for
//! nanoseconds per task-iteration. The `paths` group times each
//! instruction-set path the CPU has, on one thread; the `compile` group
//! times compiling those networks, triangular and PERT.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use slipcast::engine::{SimOptions, Simd, simulate};
use slipcast::network::Network;
use slipcast::plan::parse_plan;

fn read(name: &str) -> String {
    let path = format!("{}/data/bench/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).expect("bench network present")
}

fn network(name: &str, text: &str) -> Network {
    let plan = parse_plan(name, text, None).expect("bench network valid");
    Network::compile(&plan, None)
}

/// The same network with its distributions cycled through PERT,
/// triangular, uniform, normal (90% interval), log-normal (80% interval) and
/// fixed.
fn mixed(text: &str) -> String {
    let mut out = String::from("id,name,min,most_likely,max,predecessors,dist,confidence\n");
    for (i, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let (lo, ml, hi) = (f[2], f[3], f[4]);
        let (dist, conf, ml) = match i % 6 {
            0 => ("pert", "", ml),
            1 => ("triangular", "", ml),
            2 => ("uniform", "", ""),
            3 => ("normal", "90", ""),
            4 => ("lognormal", "80", ""),
            _ => ("fixed", "", ml),
        };
        let (lo, hi) = if dist == "fixed" { ("", "") } else { (lo, hi) };
        out.push_str(&format!(
            "{},{},{lo},{ml},{hi},{},{dist},{conf}\n",
            f[0], f[1], f[5]
        ));
    }
    out
}

fn engine(c: &mut Criterion) {
    let text = read("net-1000.csv");
    let cases = [
        (
            "1000_triangular",
            network("net-1000.csv", &text),
            100_000u64,
        ),
        ("1000_mixed", network("mixed.csv", &mixed(&text)), 100_000),
        (
            "10000_triangular",
            network("net-10000.csv", &read("net-10000.csv")),
            10_000,
        ),
    ];
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    for (name, net, iterations) in &cases {
        g.throughput(Throughput::Elements(net.len() as u64 * iterations));
        let finish = SimOptions::finish_only(*iterations, 1);
        g.bench_with_input(BenchmarkId::new("finish_only", name), net, |b, net| {
            b.iter(|| simulate(net, &finish))
        });
        let crit = SimOptions {
            criticality: true,
            ..finish
        };
        g.bench_with_input(BenchmarkId::new("with_criticality", name), net, |b, net| {
            b.iter(|| simulate(net, &crit))
        });
        let full = SimOptions {
            moments: u64::MAX,
            ..SimOptions::full(*iterations, 1)
        };
        g.bench_with_input(BenchmarkId::new("full", name), net, |b, net| {
            b.iter(|| simulate(net, &full))
        });
    }
    g.finish();
}

/// Each instruction-set path this CPU has, forced through
/// [`SimOptions::simd`], on one thread (a pool of its own, so that the
/// paths compare core for core): the 1,000-task network, finish only and
/// as `--basic` runs it (criticality and every task's finish day). Paths
/// the CPU lacks are skipped. All give the same bits (`tests/simd.rs`).
fn paths(c: &mut Criterion) {
    let net = network("net-1000.csv", &read("net-1000.csv"));
    let iterations = 100_000u64;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut g = c.benchmark_group("paths");
    g.sample_size(10);
    g.throughput(Throughput::Elements(net.len() as u64 * iterations));
    for simd in Simd::ALL.into_iter().filter(|s| s.is_available()) {
        let finish = SimOptions {
            simd: Some(simd),
            ..SimOptions::finish_only(iterations, 1)
        };
        let basic = SimOptions {
            simd: Some(simd),
            ..SimOptions::full(iterations, 1)
        };
        for (what, opts) in [("finish_only", finish), ("basic", basic)] {
            let id = BenchmarkId::new(what, simd.to_string());
            g.bench_with_input(id, &net, |b, net| {
                b.iter(|| pool.install(|| simulate(net, &opts)))
            });
        }
    }
    g.finish();
}

/// The same plan in working days (the engine's plain form), with every
/// task on one calendar (5-day with holidays) and with its tasks on three
/// calendars of their own (5-day with holidays, 6-day, 7-day; lags on the
/// successor's calendar), by area and interleaved: what per-task calendars
/// cost in the iterations.
fn calendars(c: &mut Criterion) {
    use slipcast::plan::{LagCalendar, Plan, TaskCalendars, WEEKDAYS, WorkCalendar};
    let text = read("net-1000.csv");
    let one = parse_plan("net-1000.csv", &text, None).expect("bench network valid");
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut five = WorkCalendar::new("5-day", WEEKDAYS, 8.0);
    for d in [(1, 1), (4, 2), (5, 31), (7, 4), (9, 6), (11, 25), (12, 25)] {
        for y in 2027..2040 {
            five.exceptions
                .insert(chrono::NaiveDate::from_ymd_opt(y, d.0, d.1).unwrap(), false);
        }
    }
    let six = WorkCalendar::new("6-day", [true, true, true, true, true, true, false], 8.0);
    let seven = WorkCalendar::new("7-day", [true; 7], 8.0);
    let n = one.tasks.len();
    let on_calendars = |calendar: &dyn Fn(usize) -> usize| {
        let mut tasks = one.tasks.clone();
        for (i, t) in tasks.iter_mut().enumerate() {
            t.calendar = Some(calendar(i));
        }
        Plan::with_calendars(
            "net-1000.csv",
            tasks,
            Some(TaskCalendars {
                start,
                start_offset: 0.0,
                calendars: vec![five.clone(), six.clone(), seven.clone()],
                default: 0,
                lag: LagCalendar::Successor,
                axis_start: Default::default(),
            }),
        )
        .expect("acyclic")
    };
    // By area: a third of the file's tasks on each calendar, as a plan's
    // areas or crews keep theirs (14% of the links cross calendars; 4% in
    // the bundled 695-activity P6 programme). Interleaved: the worst case,
    // two links in three cross.
    let single = on_calendars(&|_| 0);
    let by_area = on_calendars(&|i| i * 3 / n);
    let interleaved = on_calendars(&|i| i % 3);
    let iterations = 100_000u64;
    let mut g = c.benchmark_group("calendars");
    g.sample_size(10);
    g.throughput(Throughput::Elements(one.tasks.len() as u64 * iterations));
    for (name, plan) in [
        ("working_days", &one),
        ("one_calendar", &single),
        ("three_calendars_by_area", &by_area),
        ("three_calendars_interleaved", &interleaved),
    ] {
        let net = Network::compile(plan, None);
        let finish = SimOptions::finish_only(iterations, 1);
        g.bench_with_input(BenchmarkId::new("finish_only", name), &net, |b, net| {
            b.iter(|| simulate(net, &finish))
        });
        let crit = SimOptions {
            criticality: true,
            ..finish
        };
        g.bench_with_input(
            BenchmarkId::new("with_criticality", name),
            &net,
            |b, net| b.iter(|| simulate(net, &crit)),
        );
    }
    g.finish();
}

/// Compiling the generated networks with every estimate PERT, against the
/// same networks triangular: what the PERT quantile tables cost (issue
/// #14). Throughput is in tasks.
fn compile(c: &mut Criterion) {
    let pert = |text: &str| text.replace(",triangular", ",pert");
    let mut g = c.benchmark_group("compile");
    g.sample_size(10);
    for name in ["net-1000.csv", "net-10000.csv"] {
        let text = read(name);
        let n = text.lines().count() as u64 - 1;
        g.throughput(Throughput::Elements(n));
        for (dist, text) in [("triangular", text.clone()), ("pert", pert(&text))] {
            let plan = parse_plan(name, &text, None).expect("bench network valid");
            g.bench_with_input(BenchmarkId::new(dist, n), &plan, |b, plan| {
                b.iter(|| Network::compile(plan, None))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, engine, paths, calendars, compile);
criterion_main!(benches);
