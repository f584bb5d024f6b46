//! A whole forecast, as `slipcast forecast` runs it: compile, simulate,
//! summarise (percentiles, criticality, per-task dates), rank sensitivity and
//! risk drivers, through the one library call `analysis::forecast`. The
//! kernel alone is in `benches/engine.rs`; the difference between the two is
//! what the pipeline around the kernel costs.
//!
//! Throughput is in task-iterations, as in the engine bench.
//!
//! `capacity`: the same 1,000-task plan with ten teams of three people
//! (15-25% unplanned work each, task i on team i mod 10) at 100,000
//! iterations, whole (`full`, `basic`) and the constrained engine alone
//! (`simulate_finish_only`), next to the unconstrained engine on the same
//! plan: `cargo bench --bench forecast -- capacity`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use slipcast::analysis::{ForecastOptions, forecast};
use slipcast::engine::{SimOptions, simulate};
use slipcast::network::Network;
use slipcast::plan::{Calendar, Capacity, Scenario, Team, parse_plan};

fn scenario(name: &str) -> Scenario {
    let path = format!("{}/data/bench/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bench network present");
    Scenario::new(parse_plan(name, &text, None).expect("bench network valid"))
}

fn whole(c: &mut Criterion) {
    let cal = Calendar::weekdays("2027-01-04".parse().expect("a date"));
    let cases = [
        ("1000_triangular", scenario("net-1000.csv"), 100_000u64),
        ("10000_triangular", scenario("net-10000.csv"), 10_000),
    ];
    let mut g = c.benchmark_group("forecast");
    g.sample_size(10);
    for (name, sc, iterations) in &cases {
        g.throughput(Throughput::Elements(
            sc.plan.tasks.len() as u64 * iterations,
        ));
        let full = ForecastOptions::new(&cal, *iterations, 1);
        g.bench_with_input(BenchmarkId::new("full", name), sc, |b, sc| {
            b.iter(|| forecast(sc, &full, None).expect("in range"))
        });
        let basic = ForecastOptions {
            basic: true,
            ..full.clone()
        };
        g.bench_with_input(BenchmarkId::new("basic", name), sc, |b, sc| {
            b.iter(|| forecast(sc, &basic, None).expect("in range"))
        });
    }
    g.finish();
}

/// `net-1000.csv` with ten teams of three people (15-25% unplanned work),
/// task i on team i mod 10.
fn with_teams() -> Scenario {
    let mut sc = scenario("net-1000.csv");
    let pools = (0..10)
        .map(|i| Team {
            name: format!("t{i}"),
            people: 3,
            unplanned: Some((0.15, 0.25)),
        })
        .collect();
    let demands = (0..sc.plan.tasks.len())
        .map(|t| vec![(t % 10, 1)])
        .collect();
    sc.capacity = Some(Capacity::new(&sc.plan, pools, demands).expect("a valid capacity"));
    sc
}

fn capacity(c: &mut Criterion) {
    let cal = Calendar::weekdays("2027-01-04".parse().expect("a date"));
    let iterations = 100_000u64;
    let teams = with_teams();
    let free = scenario("net-1000.csv");
    let mut g = c.benchmark_group("capacity");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        teams.plan.tasks.len() as u64 * iterations,
    ));
    let full = ForecastOptions::new(&cal, iterations, 1);
    g.bench_function("full/1000_10_teams", |b| {
        b.iter(|| forecast(&teams, &full, None).expect("in range"))
    });
    let basic = ForecastOptions {
        basic: true,
        ..full.clone()
    };
    g.bench_function("basic/1000_10_teams", |b| {
        b.iter(|| forecast(&teams, &basic, None).expect("in range"))
    });
    let finish = SimOptions::finish_only(iterations, 1);
    let constrained = Network::compile_scenario(&teams);
    g.bench_function("simulate_finish_only/1000_10_teams", |b| {
        b.iter(|| simulate(&constrained, &finish))
    });
    let unconstrained = Network::compile_scenario(&free);
    g.bench_function("simulate_finish_only/1000_unconstrained", |b| {
        b.iter(|| simulate(&unconstrained, &finish))
    });
    g.finish();
}

criterion_group!(benches, whole, capacity);
criterion_main!(benches);
