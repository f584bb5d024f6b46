//! Each phase of a full forecast on its own, at 1,000, 10,000 and 100,000
//! tasks: compiling the network (triangular estimates, and PERT with its
//! quantile tables), the simulation (finish only; with criticality; with
//! the per-task finish-day histograms; with the duration moments), the rank
//! sensitivity, the driver reruns and the summary. The sum of the phases is
//! what `benches/forecast.rs` measures whole.
//!
//! Networks are generated here, in the shape of the shared bench generator
//! (layers of about sqrt(N) tasks, each task after one to three tasks of
//! the layer before or, now and then, of any earlier layer), so the
//! 100,000-task case needs no data file. Iterations shrink as the plan
//! grows (100k, 10k, 1k) to keep each measurement near a second; throughput
//! is in task-iterations, so the sizes compare per task-iteration. The
//! simulation phases run on one thread (so that every size uses the same
//! cores), over at least one whole chunk of 16,384 iterations (a big plan's
//! fixed costs, the workspace and the histograms' pilot run, are then paid
//! once per chunk, as in a real run, not once per 1,000 iterations).
//!
//! `cargo bench --bench phases -- 'simulate/'` runs one phase.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use slipcast::analysis::{
    DriverOptions, Findings, ForecastInputs, RunBasis, Sample, SensitivityOptions, drivers,
    sensitivity, summarize_sample,
};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::plan::{Calendar, Plan, parse_plan};

/// A layered random network of `n` tasks as plan CSV, with three-point
/// estimates in `dist`.
fn layered(n: usize, dist: &str) -> String {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let width = (n as f64).sqrt().round().max(1.0) as usize;
    let mut text = String::from("id,low,likely,high,dist,depends_on\n");
    for i in 0..n {
        let layer = i / width;
        let mut preds: Vec<usize> = Vec::new();
        if layer > 0 {
            for _ in 0..1 + next(3) {
                let from = if next(10) == 0 {
                    next((layer * width) as u64) as usize
                } else {
                    (layer - 1) * width + next(width as u64) as usize
                };
                if !preds.contains(&from) {
                    preds.push(from);
                }
            }
        }
        let low = 1 + next(5);
        let likely = low + next(5);
        let high = likely + 1 + next(10);
        let deps: Vec<String> = preds.iter().map(|p| format!("t{p}")).collect();
        text += &format!("t{i},{low},{likely},{high},{dist},{}\n", deps.join(";"));
    }
    text
}

fn plan(n: usize, dist: &str) -> Plan {
    parse_plan("bench.csv", &layered(n, dist), None).expect("bench network valid")
}

/// The sizes and the iterations run at each.
const SIZES: [(usize, u64); 3] = [(1_000, 100_000), (10_000, 10_000), (100_000, 1_000)];

/// The sizes and the iterations simulated at each, one thread.
const SIM_SIZES: [(usize, u64); 3] = [(1_000, 100_000), (10_000, 16_384), (100_000, 16_384)];

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.sample_size(10);
    for (n, _) in SIZES {
        g.throughput(Throughput::Elements(n as u64));
        for dist in ["triangular", "pert"] {
            let p = plan(n, dist);
            g.bench_with_input(BenchmarkId::new(dist, n), &p, |b, p| {
                b.iter(|| Network::compile(p, None))
            });
        }
    }
    g.finish();
}

fn simulation(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    for (n, iterations) in SIM_SIZES {
        let net = Network::compile(&plan(n, "triangular"), None);
        g.throughput(Throughput::Elements(n as u64 * iterations));
        let finish = SimOptions::finish_only(iterations, 1);
        let criticality = SimOptions {
            criticality: true,
            ..finish
        };
        let histogram = SimOptions {
            task_finish: u64::MAX,
            ..criticality
        };
        let moments = SimOptions {
            moments: u64::MAX,
            ..criticality
        };
        for (name, opts) in [
            ("finish_only", finish),
            ("criticality", criticality),
            ("histogram", histogram),
            ("moments", moments),
        ] {
            g.bench_with_input(BenchmarkId::new(name, n), &net, |b, net| {
                b.iter(|| pool.install(|| simulate(net, &opts)))
            });
        }
    }
    g.finish();
}

fn analysis(c: &mut Criterion) {
    let cal = Calendar::weekdays("2027-01-04".parse().expect("a date"));
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    for (n, iterations) in SIZES {
        let p = plan(n, "triangular");
        let net = Network::compile(&p, None);
        let o = simulate(
            &net,
            &SimOptions {
                moments: u64::MAX,
                ..SimOptions::full(iterations, 1)
            },
        );
        g.throughput(Throughput::Elements(n as u64 * iterations));
        let sens_opts = SensitivityOptions::default();
        g.bench_with_input(BenchmarkId::new("sensitivity", n), &o, |b, o| {
            b.iter(|| sensitivity(&net, o, sens_opts))
        });
        let sens = sensitivity(&net, &o, sens_opts);
        let d = DriverOptions::default();
        g.bench_with_input(BenchmarkId::new("drivers", n), &o, |b, o| {
            b.iter(|| drivers(&p, &[], &net, o, &sens, d))
        });
        let det = deterministic(&net);
        let inputs = ForecastInputs::new(&p, RunBasis::new(&cal, 1));
        g.bench_with_input(BenchmarkId::new("summary", n), &o, |b, o| {
            b.iter(|| {
                let sample = Sample::new(&o.project);
                let findings = Findings {
                    sensitivity: Some((&sens, iterations)),
                    ..Findings::default()
                };
                summarize_sample(&inputs, &net, o, &sample, &det, findings)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, compile, simulation, analysis);
criterion_main!(benches);
