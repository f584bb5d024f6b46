//! Risk register, correlation, sensitivity and risk drivers against known
//! answers. Tolerances are Monte Carlo standard errors times ~5,
//! with fixed seeds.

use slipcast::analysis::{
    DriverKind, DriverOptions, Sample, SensitivityOptions, drivers, mid_ranks, sensitivity,
};
use slipcast::engine::{Regenerator, SimOptions, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{
    Correlation, Plan, Risk, TeamRule, build_correlation, parse_pairs, parse_plan, parse_risks,
};

fn plan(text: &str) -> Plan {
    parse_plan("plan.csv", text, None).expect("valid plan")
}

fn full(iterations: u64, seed: u64) -> SimOptions<'static> {
    SimOptions {
        moments: u64::MAX,
        ..SimOptions::full(iterations, seed)
    }
}

fn spearman(x: &[f32], y: &[f32]) -> f64 {
    let (rx, ry) = (mid_ranks(x), mid_ranks(y));
    let n = x.len() as f64;
    let m = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..x.len() {
        sxy += (rx[i] - m) * (ry[i] - m);
        sxx += (rx[i] - m).powi(2);
        syy += (ry[i] - m).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

#[test]
fn one_risk_on_a_fixed_task() {
    // A fixed 10-day task; a risk fires with p = 0.3 and adds a fixed 5 days.
    // The finish is 10 (70%) or 15 (30%): P50 = 10, P80 = 15, mean 11.5.
    let p = plan("id,likely,dist\nA,10,fixed\n");
    let risks = parse_risks(
        "risks.csv",
        "id,name,probability,low,likely,high,dist,affects\nR,Vendor late,0.3,,5,,fixed,A\n",
        &p,
    )
    .unwrap();
    let net = Network::compile_with(
        &p,
        &Model {
            risks: &risks,
            ..Model::default()
        },
    );
    let n = 200_000u64;
    let o = simulate(&net, &full(n, 3));
    let s = Sample::new(&o.project);
    assert_eq!(s.quantile(0.5), 10.0);
    assert_eq!(s.quantile(0.8), 15.0);
    // Share of 15s is Binomial(n, 0.3)/n: sd sqrt(0.21/n) = 0.001; the mean
    // is 10 + 5 x share, so its sd is 0.005.
    assert!(
        (s.mean() - 11.5).abs() < 5.0 * 5.0 * (0.21 / n as f64).sqrt(),
        "{}",
        s.mean()
    );
    // The risk is the only driver: it is worth 5 days of P80 and none of P50.
    let sens = sensitivity(&net, &o, SensitivityOptions::default());
    let d = drivers(&p, &risks, &net, &o, &sens, DriverOptions::default());
    assert_eq!(d[0].kind, DriverKind::Risk);
    assert_eq!(d[0].id, "R");
    assert_eq!(d[0].p80_days, 5.0);
    assert_eq!(d[0].p50_days, 0.0);
}

#[test]
fn fixed_task_beside_two_uniforms_is_critical_a_quarter_of_the_time() {
    // Three parallel tasks: U(0,10), U(0,10), fixed 5. The fixed task sets
    // the finish when both uniforms end before 5: P = 0.5 x 0.5 = 0.25.
    let p = plan("id,low,high,likely,dist\nA,0,10,,uniform\nB,0,10,,uniform\nC,,,5,fixed\n");
    let net = Network::compile(&p, None);
    let n = 200_000u64;
    let o = simulate(&net, &full(n, 11));
    let crit = o.critical.unwrap();
    let share = crit[2] as f64 / n as f64;
    // Binomial sd sqrt(0.25 x 0.75 / n) = 0.00097.
    assert!(
        (share - 0.25).abs() < 5.0 * (0.1875 / n as f64).sqrt(),
        "{share}"
    );
}

#[test]
fn dominant_task_ranks_first_by_sensitivity_and_p80() {
    // A chain A -> B -> C where B's spread dwarfs the others'.
    let p = plan(
        "id,low,likely,high,dist,depends_on\n\
         A,9,10,11,triangular,\n\
         B,5,10,40,triangular,A\n\
         C,9.5,10,10.5,triangular,B\n",
    );
    let net = Network::compile(&p, None);
    let o = simulate(&net, &full(100_000, 5));
    let sens = sensitivity(&net, &o, SensitivityOptions::default());
    let by = |f: &dyn Fn(usize) -> f64| {
        (0..3)
            .max_by(|&a, &b| f(a).total_cmp(&f(b)))
            .map(|t| p.tasks[t].id.clone())
            .unwrap()
    };
    assert_eq!(by(&|t| sens[t].spearman.unwrap()), "B");
    assert_eq!(by(&|t| sens[t].ssi), "B");
    assert_eq!(by(&|t| sens[t].cruciality.unwrap()), "B");
    // In a chain every task is always critical, so SSI = std ratio; and the
    // variances add: B's share of the project variance is above 99%.
    assert!(sens[1].spearman.unwrap() > 0.95);
    let d = drivers(&p, &[], &net, &o, &sens, DriverOptions::default());
    assert_eq!(d[0].id, "B");
    assert!(d[0].p80_days > 10.0 * d[1].p80_days.abs());
}

#[test]
fn perfect_correlation_makes_the_max_equal_one_task() {
    // Two identical parallel PERT tasks with rank correlation 1: they always
    // draw the same duration, so the project is distributed as one task.
    let p = plan("id,team,low,likely,high\nA,core,2,4,9\nB,core,2,4,9\n");
    let c = build_correlation(&p, &[TeamRule::AllTeams(1.0)], &[])
        .unwrap()
        .unwrap();
    let net = Network::compile_with(
        &p,
        &Model {
            correlation: Some(&c),
            ..Model::default()
        },
    );
    let n = 100_000u64;
    let o = simulate(&net, &SimOptions::finish_only(n, 9));
    let mut regen = Regenerator::new(&net, 9);
    let (mut a, mut b) = (vec![0f32; n as usize], vec![0f32; n as usize]);
    regen.task(0, &mut a);
    regen.task(1, &mut b);
    assert!(a == b, "rho = 1 gives identical draws");
    assert!(o.project == a, "the finish is either task's duration");
    // And that is the task's own PERT: mean (2 + 16 + 9) / 6 = 4.5, sd of the
    // mean 1.3 / sqrt(n) = 0.004.
    let s = Sample::new(&o.project);
    assert!(
        (s.mean() - 4.5).abs() < 5.0 * 1.3 / (n as f64).sqrt(),
        "{}",
        s.mean()
    );
    // Without the correlation the max is later (merge bias).
    let indep = simulate(&Network::compile(&p, None), &SimOptions::finish_only(n, 9));
    assert!(Sample::new(&indep.project).mean() > s.mean() + 0.3);
}

#[test]
fn measured_rank_correlation_matches_the_request() {
    // Team rule (one factor) and a pairs file (dense Cholesky): the Spearman
    // correlation measured in the samples matches the request. Its standard
    // error is about (1 - rho^2) / sqrt(n) < 0.0032 at n = 100k.
    let p = plan(
        "id,team,low,likely,high,dist\n\
         A,web,1,3,9,pert\n\
         B,web,2,3,5,triangular\n\
         C,api,1,2,30,lognormal\n\
         D,api,4,,8,uniform\n",
    );
    let n = 100_000usize;
    let tol = 5.0 / (n as f64).sqrt();
    let check = |c: &slipcast::plan::Correlation, pairs: &[(usize, usize, f64)]| {
        let net = Network::compile_with(
            &p,
            &Model {
                correlation: Some(c),
                ..Model::default()
            },
        );
        let mut regen = Regenerator::new(&net, 21);
        let mut s = vec![vec![0f32; n]; 4];
        for (t, buf) in s.iter_mut().enumerate() {
            regen.task(t, buf);
        }
        for &(a, b, rho) in pairs {
            let got = spearman(&s[a], &s[b]);
            assert!((got - rho).abs() < tol, "{a}~{b}: {got} vs {rho}");
        }
    };
    let team = build_correlation(&p, &[TeamRule::AllTeams(0.6)], &[])
        .unwrap()
        .unwrap();
    assert!(team.teams.is_some(), "team rules use the one-factor form");
    check(&team, &[(0, 1, 0.6), (2, 3, 0.6), (0, 2, 0.0), (1, 3, 0.0)]);
    let pairs = parse_pairs("corr.csv", "a,b,rho\nA,C,0.5\nB,D,-0.4\nA,B,0.3\n", &p).unwrap();
    let dense = build_correlation(&p, &[], &pairs).unwrap().unwrap();
    assert!(dense.teams.is_none());
    check(
        &dense,
        &[(0, 2, 0.5), (1, 3, -0.4), (0, 1, 0.3), (2, 3, 0.0)],
    );
}

#[test]
fn contradictory_correlations_are_rejected() {
    let p = plan("id,likely\nA,1\nB,1\nC,1\n");
    let pairs = parse_pairs("corr.csv", "a,b,rho\nA,B,0.9\nB,C,0.9\nA,C,-0.9\n", &p).unwrap();
    let err = build_correlation(&p, &[], &pairs).unwrap_err().to_string();
    assert!(err.contains("not positive semi-definite"), "{err}");
    assert!(err.contains("task \"C\""), "{err}");
}

#[test]
fn risk_register_errors_name_file_line_and_fix() {
    let p = plan("id,likely\nA,1\nbuild,2\n");
    let text = "id,name,probability,low,likely,high,dist,affects\n\
                R1,Late,1.3,1,2,3,,A\n\
                R2,Flaky,0.2,5,2,3,,A\n\
                R3,Typo,0.2,1,2,3,,biuld\n\
                R1,Again,20%,1,2,3,,A\n";
    let err = parse_risks("risks.csv", text, &p).unwrap_err();
    let msg = err.to_string();
    let want = [
        "the risk register has 4 problems:",
        "risks.csv:2: risk \"R1\": probability \"1.3\" must be between 0 and 1",
        "risks.csv:3: risk \"R2\": low (5) > likely (2)",
        "risks.csv:4: risk \"R3\": affects \"biuld\", which is not a task id in the plan (did you mean \"build\"?)",
        "risks.csv:5: risk \"R1\": id is used again; it was first used on line 2",
    ];
    for w in want {
        assert!(msg.contains(w), "missing {w:?} in\n{msg}");
    }
    let ok: Vec<Risk> = parse_risks(
        "risks.csv",
        "id,probability,likely,affects\nR,25%,3,A;build\n",
        &p,
    )
    .unwrap();
    assert_eq!(ok[0].probability, 0.25);
    assert_eq!(ok[0].affects, vec![0, 1]);
}

/// `p` compiled with its risks and correlations.
fn network(p: &Plan, risks: &[Risk], correlation: Option<&Correlation>) -> Network {
    Network::compile_with(
        p,
        &Model {
            risks,
            correlation,
            ..Model::default()
        },
    )
}

/// Four tasks in two teams (correlated at 0.5), with a risk on two of them.
fn four_tasks() -> (Plan, Vec<Risk>, Correlation) {
    let p = plan(
        "id,team,low,likely,high,depends_on\n\
         A,web,1,3,9,\n\
         B,web,2,3,5,A\n\
         C,api,1,2,6,\n\
         D,api,4,5,8,C;B\n",
    );
    let risks = parse_risks(
        "r.csv",
        "id,probability,low,likely,high,affects\nR,0.4,1,2,6,B;C\n",
        &p,
    )
    .unwrap();
    let c = build_correlation(&p, &[TeamRule::AllTeams(0.5)], &[])
        .unwrap()
        .unwrap();
    (p, risks, c)
}

#[test]
fn new_numbers_are_bit_identical_across_thread_counts() {
    let (p, risks, c) = four_tasks();
    let net = network(&p, &risks, Some(&c));
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let o = simulate(&net, &full(50_003, 17));
                let s = sensitivity(&net, &o, SensitivityOptions::default());
                let d = drivers(&p, &risks, &net, &o, &s, DriverOptions::default());
                (o, s, d)
            })
    };
    let (o1, s1, d1) = run(1);
    let (o3, s3, d3) = run(3);
    assert_eq!(o1, o3);
    assert_eq!(s1, s3);
    assert_eq!(d1, d3);
}

/// A driver's P80 figure comes from the first [`DriverOptions::ITERATIONS`]
/// iterations; its 95% interval must cover the driver's effect on the
/// whole distribution (here: a run 32 times as long, whose own error is a
/// sixth of the short runs') about 95% of the time, on a plan with a risk
/// and correlations. Counted over the drivers the summary shows (effects of
/// 0.05 days or more): 40 seeds x 5 drivers, binomial sd of the coverage
/// 0.015. (Measured over 400 seeds: 94.5-96.5% for each of them. Task C,
/// whose effect is 0.0006 days, moves P80 in so few iterations that its
/// interval, 0.0004 days wide, covers in 72% of seeds: an interval of
/// batches needs an effect that shows in every batch.)
#[test]
fn driver_intervals_cover_the_effect_on_a_long_run() {
    let (p, risks, c) = four_tasks();
    let net = network(&p, &risks, Some(&c));
    let run = |iterations: u64, seed: u64| {
        let o = simulate(&net, &full(iterations, seed));
        let s = sensitivity(&net, &o, SensitivityOptions::default());
        let opts = DriverOptions {
            iterations,
            ..DriverOptions::default()
        };
        drivers(&p, &risks, &net, &o, &s, opts)
    };
    let truth = run(32 * DriverOptions::ITERATIONS, 1);
    assert_eq!(truth.len(), 6, "a risk, four tasks and the correlations");
    let (mut covered, mut total, mut width) = (0, 0, 0.0);
    for seed in 2..42 {
        let d = run(DriverOptions::ITERATIONS, seed);
        assert_eq!(d.len(), truth.len());
        for x in &d {
            let (low, high) = (x.p80_low.unwrap(), x.p80_high.unwrap());
            assert!(low <= x.p80_days && x.p80_days <= high, "{x:?}");
            let t = truth
                .iter()
                .find(|t| t.kind == x.kind && t.id == x.id)
                .unwrap();
            if t.p80_days.abs() < 0.05 {
                continue;
            }
            covered += usize::from(low <= t.p80_days && t.p80_days <= high);
            total += 1;
            width += high - low;
        }
    }
    let coverage = covered as f64 / total as f64;
    assert!((0.875..=0.995).contains(&coverage), "coverage {coverage}");
    assert_eq!(total, 40 * 5);
    // The intervals are informative: a few hundredths of a day here, where
    // the effects are tenths.
    let mean_width = width / total as f64;
    assert!(mean_width < 0.2, "mean width {mean_width}");
    assert!(truth.iter().any(|t| t.p80_days > 4.0 * mean_width));
}

/// A random plan of `n` tasks: each waits for up to three of the previous
/// twelve, by any link type with lags and leads; PERT, triangular, uniform
/// and fixed estimates; two teams.
fn random_plan(n: usize, seed: u64) -> String {
    let mut state = seed | 1;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let mut text = String::from("id,team,low,likely,high,dist,depends_on\n");
    for i in 0..n {
        let mut preds = Vec::new();
        for _ in 0..if i == 0 { 0 } else { 1 + next(3) } {
            let p = i - 1 - next(i.min(12) as u64) as usize;
            let kind = ["", "", ":SS", ":FF", "+2", ":SS-1", ":SF"][next(7) as usize];
            if !preds
                .iter()
                .any(|s: &String| s.split([':', '+']).next() == Some(&format!("T{p}")))
            {
                preds.push(format!("T{p}{kind}"));
            }
        }
        let low = 1 + next(5);
        let (likely, high) = (low + 1 + next(3), low + 4 + next(8));
        let dist = ["pert", "triangular", "uniform", "pert", "fixed"][next(5) as usize];
        let team = ["web", "api"][next(2) as usize];
        text += &format!(
            "T{i},{team},{low},{likely},{high},{dist},{}\n",
            preds.join(";")
        );
    }
    text
}

/// The driver reruns are simulated together, sharing the draws and the
/// schedule of what each leaves alone; each must give exactly what
/// simulating it on its own gives, on every instruction-set path.
#[test]
fn shared_reruns_equal_separate_simulations() {
    use slipcast::engine::{Simd, Variant, simulate_variants};
    let p = plan(&random_plan(300, 11));
    let risks = parse_risks(
        "r.csv",
        "id,probability,low,likely,high,affects\n\
         R1,0.4,1,2,6,T40;T41\n\
         R2,0.2,3,5,12,T200\n\
         R3,0.7,0.5,1,2,T3;T150;T299\n",
        &p,
    )
    .unwrap();
    let c = build_correlation(&p, &[TeamRule::AllTeams(0.4)], &[])
        .unwrap()
        .unwrap();
    let net = network(&p, &risks, Some(&c));
    let mut nets = vec![net.without_correlation(), net.clone()];
    nets.extend((0..risks.len()).map(|k| net.without_risk(k)));
    nets.extend([0, 7, 150, 298, 299].map(|t| net.with_fixed(t)));
    let variants: Vec<Variant> = nets.iter().map(|v| Variant::new(&net, v)).collect();
    assert!(variants[1].changed().is_empty());
    assert_eq!(variants[2].changed().len(), 2, "risk R1 changes two tasks");
    let n = 5_000;
    let alone: Vec<Vec<f32>> = nets
        .iter()
        .map(|v| simulate(v, &SimOptions::finish_only(n, 23)).project)
        .collect();
    // Each variant moves the finish in some iterations (the test can fail).
    let base = simulate(&net, &SimOptions::finish_only(n, 23)).project;
    let moved = alone.iter().skip(2).filter(|a| **a != base).count();
    assert!(moved >= 3, "only {moved} variants change the finish");
    assert!(
        alone[0] != base,
        "dropping the correlations changes the finish"
    );
    let mut compared = 0;
    for simd in Simd::ALL.into_iter().filter(|s| s.is_available()) {
        let together = simulate_variants(&net, &variants, n, 23, Some(simd));
        for (k, (t, a)) in together.iter().zip(&alone).enumerate() {
            assert!(t == a, "{simd}: variant {k} differs from its own run");
        }
        compared += 1;
    }
    assert!(compared >= 1);
}

/// A layered random network of `n` tasks (as gen_network.py draws them):
/// PERT, triangular and uniform estimates in turn, every third task in one
/// of three teams, 1-3 predecessors from the previous layer.
fn layered_plan(n: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move || {
        // SplitMix64: a fixed, dependency-free sequence.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let width = (n as f64).sqrt().round() as usize;
    let mut csv = String::from("id,team,low,likely,high,dist,depends_on\n");
    for t in 0..n {
        let layer = t / width;
        let mut preds = Vec::new();
        if layer > 0 {
            for _ in 0..1 + (next() * 3.0) as usize {
                let p = (layer - 1) * width + (next() * width as f64) as usize;
                if !preds.contains(&p) {
                    preds.push(p);
                }
            }
        }
        let ml = 1.0 + 19.0 * next();
        let lo = ml * (0.5 + 0.45 * next());
        let hi = ml * (1.1 + 1.4 * next());
        let team = ["", "", "", "a", "b", "c"][t % 6];
        let (dist, likely) = match t % 3 {
            0 => ("pert", format!("{ml:.2}")),
            1 => ("triangular", format!("{ml:.2}")),
            _ => ("uniform", String::new()),
        };
        let deps: Vec<String> = preds.iter().map(|p| format!("T{p}")).collect();
        csv += &format!(
            "T{t},{team},{lo:.2},{likely},{hi:.2},{dist},{}\n",
            deps.join(";")
        );
    }
    csv
}

/// Issue #14: the rank sensitivity of a task without risks is estimated as
/// Pearson(u, r_y), u the uniforms its sampler inverts and r_y the finish's
/// mid-ranks, instead of ranking the task's durations; tasks with risks are
/// still ranked. Both are checked against the exact sample Spearman
/// correlation, recomputed the slow way (durations regenerated, both sides
/// mid-ranked).
///
/// The bound. The task's rank is R_i = n F_n(u_i) (its sampler is
/// monotone), F_n the empirical CDF of its n uniforms; let D = F_n - id and
/// g(u) = E[r_y / n - 1/2 | u]. To first order the estimate minus the exact
/// value is -12 * integral of h D, h the part of g orthogonal to 1 and u:
/// the part linear in u cancels against the estimate's own sample variance
/// of u, and the rest is O(1/n). ||h||^2 <= (1 - rho^2) / 12, and sqrt(n) D
/// is a Brownian bridge whose covariance, on functions orthogonal to 1 and
/// u, has largest eigenvalue 1 / (4 pi^2) (Watson's U^2). So the difference
/// has standard deviation at most sqrt(3 (1 - rho^2) / n) / pi, 0.0017 at
/// n = 100,000; the test allows four of those plus 5 / n. (Measured: at
/// most a quarter of one, 3.9e-4.)
#[test]
fn rank_sensitivity_estimate_is_within_its_error_of_the_exact_spearman() {
    let n = 100_000usize;
    let bound = |rho: f64| {
        4.0 * (3.0 * (1.0 - rho * rho) / n as f64).sqrt() / std::f64::consts::PI + 5.0 / n as f64
    };
    // Per plan: how many estimates were checked against an exact value far
    // (10 bounds) from 0, so that a wrong estimate would have failed.
    let check = |p: &Plan, risks: &[Risk], c: Option<&slipcast::plan::Correlation>, seed: u64| {
        let net = network(p, risks, c);
        let o = simulate(&net, &full(n as u64, seed));
        let sens = sensitivity(&net, &o, SensitivityOptions { iterations: n });
        let mut regen = Regenerator::new(&net, seed);
        let mut x = vec![0f32; n];
        let mut telling = 0;
        for (t, s) in sens.iter().enumerate() {
            let Some(got) = s.spearman else {
                assert!(s.std == 0.0, "task {t} varies but has no rank sensitivity");
                continue;
            };
            regen.task(t, &mut x);
            let want = spearman(&x, &o.project[..n]);
            if risks.iter().any(|r| r.affects.contains(&t)) {
                assert!(
                    (got - want).abs() < 1e-9,
                    "task {t} (risks): {got} vs {want}"
                );
                continue;
            }
            assert!(
                (got - want).abs() <= bound(want),
                "task {t}: estimate {got}, exact {want}, bound {}",
                bound(want)
            );
            telling += usize::from(want.abs() > 10.0 * bound(want));
        }
        telling
    };
    // The plan of the thread-count test: team correlation, a risk on two tasks.
    let (p, risks, c) = four_tasks();
    assert_eq!(check(&p, &risks, Some(&c), 17), 2, "A and D, far from 0");
    // A random network of 300 tasks, with risks on a few and correlated
    // teams (one-factor copula), then pairs (dense copula).
    let p = plan(&layered_plan(300, 7));
    let risks = parse_risks(
        "r.csv",
        "id,probability,low,likely,high,affects\n\
         R1,0.3,2,5,15,T250\n\
         R2,0.1,5,10,30,T280;T290\n\
         R3,0.5,1,2,4,T3;T120\n",
        &p,
    )
    .unwrap();
    let team = build_correlation(&p, &[TeamRule::AllTeams(0.6)], &[])
        .unwrap()
        .unwrap();
    assert!(check(&p, &risks, Some(&team), 31) > 100);
    let pairs = parse_pairs(
        "corr.csv",
        "a,b,rho\nT280,T281,0.7\nT281,T282,0.5\nT270,T285,-0.4\nT290,T291,0.8\n",
        &p,
    )
    .unwrap();
    let dense = build_correlation(&p, &[], &pairs).unwrap().unwrap();
    assert!(check(&p, &risks, Some(&dense), 43) > 20);
    assert!(check(&p, &[], None, 5) > 20);
}

/// Mean, standard deviation and Pearson correlation of `x` with `y`,
/// computed directly in `f64` (two passes).
fn direct_moments(x: &[f32], y: &[f32]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let mx = x.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let my = y.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = (f64::from(a) - mx, f64::from(b) - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    (mx, (sxx / (n - 1.0)).sqrt(), sxy / (sxx * syy).sqrt())
}

/// The streaming moments (`f32` batch sums, exact fixed-point totals) give
/// each task's mean, standard deviation and cruciality as a direct `f64`
/// computation over the regenerated durations does, to within 1e-6, on
/// plans with risks, a team correlation and every link type; over a number
/// of iterations that leaves the last batch partly filled.
#[test]
fn streaming_moments_match_a_direct_computation() {
    let (p4, risks, c) = four_tasks();
    let pr = plan(&random_plan(200, 5));
    let cr = build_correlation(&pr, &[TeamRule::AllTeams(0.4)], &[])
        .unwrap()
        .unwrap();
    for (p, risks, c) in [(&p4, &risks[..], &c), (&pr, &[][..], &cr)] {
        let net = network(p, risks, Some(c));
        let n = 30_011;
        let o = simulate(&net, &full(n, 23));
        let sens = sensitivity(&net, &o, SensitivityOptions::default());
        let mut regen = Regenerator::new(&net, 23);
        let mut x = vec![0f32; n as usize];
        let mut varied = 0;
        for (t, s) in sens.iter().enumerate() {
            regen.task(t, &mut x);
            let (mean, sd, r) = direct_moments(&x, &o.project);
            assert!(
                (s.mean - mean).abs() < 1e-6 * mean.abs().max(1.0),
                "task {t}"
            );
            assert!((s.std - sd).abs() < 1e-6 * sd.max(1.0), "task {t}");
            if sd > 0.0 {
                let diff = (s.cruciality.unwrap() - r).abs();
                assert!(diff < 1e-6, "task {t}: {} vs {r}", s.cruciality.unwrap());
                varied += 1;
            }
        }
        assert!(varied >= 4);
    }
}

/// The moments over the first `n` iterations of a longer run are those of
/// a run of `n` iterations, bit for bit, and cruciality and SSI come from
/// them (criticality from the whole run).
#[test]
fn moments_over_the_first_iterations_equal_a_run_of_that_many() {
    let (p, risks, c) = four_tasks();
    let net = network(&p, &risks, Some(&c));
    let long = simulate(
        &net,
        &SimOptions {
            moments: 70_001,
            ..full(200_000, 9)
        },
    );
    let short = simulate(&net, &full(70_001, 9));
    assert_eq!(long.moments, short.moments);
    assert_eq!(long.moments.as_ref().unwrap().iterations, 70_001);
    let opts = SensitivityOptions { iterations: 70_001 };
    let (sl, ss) = (
        sensitivity(&net, &long, opts),
        sensitivity(&net, &short, opts),
    );
    let (cl, cs) = (long.critical.unwrap(), short.critical.unwrap());
    for t in 0..p.tasks.len() {
        assert_eq!(sl[t].cruciality, ss[t].cruciality);
        assert_eq!(sl[t].spearman, ss[t].spearman);
        let ratio = |s: &[u64], n: f64, sens: f64| sens / (s[t] as f64 / n);
        if cl[t] > 0 && cs[t] > 0 {
            let a = ratio(&cl, 200_000.0, sl[t].ssi);
            let b = ratio(&cs, 70_001.0, ss[t].ssi);
            assert!((a - b).abs() < 1e-12 * a.abs().max(1.0), "task {t}");
        }
    }
}

/// In a chain of independent tasks the project duration is their sum, so a
/// task's cruciality is its standard deviation over the project's, and its
/// mean and standard deviation are its distribution's (triangular:
/// `(a + m + b) / 3`, variance `(a^2 + m^2 + b^2 - am - ab - mb) / 18`).
/// Tolerances: five Monte Carlo standard errors.
#[test]
fn cruciality_in_a_chain_is_the_share_of_the_standard_deviation() {
    let est = [(0.0, 5.0, 10.0), (0.0, 10.0, 30.0), (5.0, 10.0, 15.0)];
    let mut text = String::from("id,low,likely,high,dist,depends_on\n");
    for (t, (a, m, b)) in est.iter().enumerate() {
        let pred = if t == 0 {
            String::new()
        } else {
            format!("T{}", t - 1)
        };
        text += &format!("T{t},{a},{m},{b},triangular,{pred}\n");
    }
    let p = plan(&text);
    let net = Network::compile(&p, None);
    let n = 100_000u64;
    let o = simulate(&net, &full(n, 31));
    let sens = sensitivity(&net, &o, SensitivityOptions::default());
    let var: Vec<f64> = est
        .iter()
        .map(|&(a, m, b)| (a * a + m * m + b * b - a * m - a * b - m * b) / 18.0)
        .collect();
    let total: f64 = var.iter().sum();
    for (t, &(a, m, b)) in est.iter().enumerate() {
        let sd = var[t].sqrt();
        let rho = sd / total.sqrt();
        let s = &sens[t];
        let z = 5.0 / (n as f64).sqrt();
        assert!((s.mean - (a + m + b) / 3.0).abs() < z * sd, "task {t} mean");
        // The sd of a sample standard deviation is about sd / sqrt(2n) for
        // these light-tailed distributions.
        assert!((s.std - sd).abs() < z * sd, "task {t} std");
        // The sd of a sample correlation is about (1 - rho^2) / sqrt(n).
        let c = s.cruciality.unwrap();
        assert!(
            (c - rho).abs() < z * (1.0 - rho * rho),
            "task {t}: {c} vs {rho}"
        );
        // Always critical: SSI is the same ratio.
        assert!(
            (s.ssi - s.std / sens.iter().map(|s| s.std * s.std).sum::<f64>().sqrt()).abs() < 0.01
        );
    }
}
