//! A whole forecast, as `slipcast forecast` runs it: compile, simulate,
//! summarise (percentiles, criticality, per-task dates), rank sensitivity and
//! risk drivers, through the one library call `analysis::forecast`. The
//! kernel alone is in `benches/engine.rs`; the difference between the two is
//! what the pipeline around the kernel costs.
//!
//! Throughput is in task-iterations, as in the engine bench.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use slipcast::analysis::{ForecastOptions, forecast};
use slipcast::plan::{Calendar, Scenario, parse_plan};

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

criterion_group!(benches, whole);
criterion_main!(benches);
