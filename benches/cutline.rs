//! Cut-line sweep speed: ten positions of a 1,000-task plan at 200,000
//! iterations each, against one simulation of the same plan.
//!
//! The plan is `data/bench/net-1000.csv` with priorities 1 to 9 given to 100
//! of the 172 tasks that nothing depends on (every 1.72th in file order), so
//! the sweep has ten positions: keep everything, then one per level. The
//! network is compiled once; each position is `Network::without` of it.

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use slipcast::analysis::{
    Confidence, ForecastInputs, RunBasis, Scope, SweepOptions, Target, sweep,
};
use slipcast::engine::{SimOptions, simulate};
use slipcast::network::Network;
use slipcast::plan::{Calendar, Plan, parse_plan};

const ITERATIONS: u64 = 200_000;

/// The 1,000-task network with priorities on 100 of its sink tasks.
fn plan() -> Plan {
    let path = format!("{}/data/bench/net-1000.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bench network present");
    let mut plan = parse_plan(&path, &text, None).expect("bench network valid");
    let mut has_succ = vec![false; plan.tasks.len()];
    for t in &plan.tasks {
        for l in &t.links {
            has_succ[l.pred] = true;
        }
    }
    let sinks: Vec<usize> = (0..plan.tasks.len()).filter(|&t| !has_succ[t]).collect();
    for k in 0..100 {
        plan.tasks[sinks[k * sinks.len() / 100]].priority = Some(1 + (k % 9) as i64);
    }
    plan
}

fn cutline(c: &mut Criterion) {
    let plan = plan();
    let cal = Calendar::weekdays(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    let net = Network::compile(&plan, None);
    let scope = Scope::new(&plan, None);
    assert_eq!(scope.positions(), 10);
    let inputs = ForecastInputs::new(&plan, RunBasis::new(&cal, 42));
    let opts = SweepOptions {
        iterations: ITERATIONS,
        seed: 42,
        target: Target::new(cal.workday(400), &cal),
        confidence: Confidence::new(80.0).unwrap(),
        progress: None,
    };
    let mut g = c.benchmark_group("cutline_1000_tasks_200k");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("sweep_10_positions", |b| {
        b.iter(|| sweep(&inputs, &net, &scope, &opts))
    });
    g.bench_function("one_simulation_finish_only", |b| {
        b.iter(|| simulate(&net, &SimOptions::finish_only(ITERATIONS, 42)))
    });
    g.bench_function("one_simulation_full", |b| {
        b.iter(|| simulate(&net, &SimOptions::full(ITERATIONS, 42)))
    });
    g.finish();
}

criterion_group!(benches, cutline);
criterion_main!(benches);
