//! Team capacity against known answers: queues on a team of c people,
//! unplanned work, a cut that frees a person, capacity that never binds
//! (bit-identical to no capacity), and an independent feasibility check of
//! sampled iterations (no team over its people, no link broken).

use slipcast::engine::rng::Software;
use slipcast::engine::{LANES, SimOptions, Simd, Workspace, deterministic, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{
    Capacity, CapacityError, Plan, Scenario, Team, TeamRule, build_correlation, parse_plan,
    parse_risks,
};

fn plan(text: &str) -> Plan {
    parse_plan("plan.csv", text, None).expect("valid plan")
}

fn team(name: &str, people: u32, unplanned: Option<(f64, f64)>) -> Team {
    Team {
        name: name.into(),
        people,
        unplanned,
    }
}

fn compile(p: &Plan, capacity: &Capacity) -> Network {
    Network::compile_with(
        p,
        &Model {
            capacity: Some(capacity),
            ..Model::default()
        },
    )
}

/// `k` fixed tasks of `d` days on team `a`, no links.
fn queue(k: usize, d: f64) -> Plan {
    let mut text = String::from("id,team,low,likely,high\n");
    for i in 0..k {
        text.push_str(&format!("t{i},a,{d},{d},{d}\n"));
    }
    plan(&text)
}

#[test]
fn identical_tasks_on_a_team_finish_in_rounds() {
    for (k, c, d) in [
        (7usize, 3u32, 5.0f64),
        (6, 3, 2.5),
        (1, 4, 3.0),
        (10, 1, 1.5),
    ] {
        let p = queue(k, d);
        let cap = Capacity::from_teams(&p, vec![team("a", c, None)]).unwrap();
        let net = compile(&p, &cap);
        let want = (k as f64 / f64::from(c)).ceil() * d;
        let o = simulate(&net, &SimOptions::finish_only(1_000, 1));
        assert!(
            o.project.iter().all(|&x| f64::from(x) == want),
            "{k} tasks of {d} on {c} people: {} (want {want})",
            o.project[0]
        );
        assert_eq!(deterministic(&net).project, want);
    }
}

#[test]
fn a_task_needing_several_people_waits_for_them_all() {
    // Team of 3: x (2 people, 4 days) and y (1 person, 6 days) run together;
    // z needs all 3, so it starts when y finishes.
    let p = plan("id,low,likely,high\nx,4,4,4\ny,6,6,6\nz,1,1,1\n");
    let cap = Capacity::new(
        &p,
        vec![team("a", 3, None)],
        vec![vec![(0, 2)], vec![(0, 1)], vec![(0, 3)]],
    )
    .unwrap();
    let d = deterministic(&compile(&p, &cap));
    assert_eq!(d.start, vec![0.0, 0.0, 6.0]);
    assert_eq!(d.project, 7.0);
    // z waited for y's person: y is on the critical path, x is not.
    assert_eq!(d.critical, vec![false, true, true]);
}

#[test]
fn unplanned_work_stretches_a_lone_task_by_one_over_one_minus_the_share() {
    let p = plan("id,team,low,likely,high\nw,a,8,8,8\n");
    let cap = Capacity::from_teams(&p, vec![team("a", 2, Some((0.2, 0.2)))]).unwrap();
    let o = simulate(&compile(&p, &cap), &SimOptions::finish_only(1_000, 3));
    let want = 8.0f32 * (1.0 / (1.0 - 0.2f32));
    assert!(o.project.iter().all(|&x| x == want), "{}", o.project[0]);
    assert!((f64::from(want) - 10.0).abs() < 1e-5);

    // A share drawn uniformly in 10-30%: E[8 / (1 - s)] = 8 ln(0.9/0.7) / 0.2.
    let cap = Capacity::from_teams(&p, vec![team("a", 2, Some((0.1, 0.3)))]).unwrap();
    let n = 200_000;
    let o = simulate(&compile(&p, &cap), &SimOptions::finish_only(n, 3));
    let x: Vec<f64> = o.project.iter().map(|&v| f64::from(v)).collect();
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let want = 8.0 * (0.9f64 / 0.7).ln() / 0.2;
    let se = sd / (n as f64).sqrt();
    assert!((mean - want).abs() < 5.0 * se, "{mean} vs {want} (se {se})");
    let (lo, hi) = (8.0 / 0.9, 8.0 / 0.7);
    assert!(x.iter().all(|&v| v >= lo - 1e-4 && v <= hi + 1e-4));
}

#[test]
fn a_cut_that_frees_the_only_person_moves_the_finish_by_its_duration() {
    // One person does a, b and c in turn (no links): 5 + 3 + 4 days.
    let p =
        plan("id,team,low,likely,high,priority\na,solo,5,5,5,\nb,solo,3,3,3,2\nc,solo,4,4,4,\n");
    let cap = Capacity::from_teams(&p, vec![team("solo", 1, None)]).unwrap();
    let net = compile(&p, &cap);
    let all = simulate(&net, &SimOptions::finish_only(500, 1)).project;
    let cut = simulate(
        &net.without(&[false, true, false]),
        &SimOptions::finish_only(500, 1),
    )
    .project;
    assert!(all.iter().all(|&x| x == 12.0));
    assert!(cut.iter().all(|&x| x == 9.0));
    // Without capacity the cut buys nothing: a and c run side by side.
    let free = Network::compile(&p, None);
    assert!(
        simulate(
            &free.without(&[false, true, false]),
            &SimOptions::finish_only(500, 1)
        )
        .project
        .iter()
        .all(|&x| x == 5.0)
    );
}

/// A 40-task plan with every link kind and lag, uncertain estimates, a
/// risk, team correlation and four teams.
fn tangled() -> (Plan, Vec<slipcast::plan::Risk>) {
    let mut text = String::from("id,team,low,likely,high,dist,depends_on\n");
    let teams = ["be", "fe", "qa", "ops"];
    let kinds = ["", ":SS+1", ":FF", ":SF+2", "-1", ":FS+0.5"];
    for i in 0..40usize {
        let mut deps = Vec::new();
        if i >= 3 {
            deps.push(format!("t{}{}", i - 3, kinds[i % kinds.len()]));
        }
        if i >= 7 && i % 2 == 0 {
            deps.push(format!("t{}", i - 7));
        }
        let lo = 1.0 + (i % 5) as f64;
        let dist = ["triangular", "pert", "uniform"][i % 3];
        text.push_str(&format!(
            "t{i},{},{lo},{},{},{dist},{}\n",
            teams[i % 4],
            lo + 1.5,
            lo + 4.0 + (i % 3) as f64,
            deps.join(";")
        ));
    }
    let p = plan(&text);
    let risks = parse_risks(
        "r.csv",
        "id,probability,low,likely,high,affects\nr1,0.3,2,4,8,t5;t20\n",
        &p,
    )
    .unwrap();
    (p, risks)
}

#[test]
fn capacity_that_never_binds_is_the_unconstrained_forecast_bit_for_bit() {
    let (p, risks) = tangled();
    let corr = build_correlation(&p, &[TeamRule::AllTeams(0.4)], &[]).unwrap();
    let pools = ["be", "fe", "qa", "ops"]
        .iter()
        .map(|t| team(t, 40, None))
        .collect();
    let cap = Capacity::from_teams(&p, pools).unwrap();
    let model = |capacity| Model {
        risks: &risks,
        correlation: corr.as_ref(),
        capacity,
        ..Model::default()
    };
    let free = Network::compile_with(&p, &model(None));
    let bound = Network::compile_with(&p, &model(Some(&cap)));
    let opts = SimOptions::full(20_011, 9);
    let (a, b) = (simulate(&free, &opts), simulate(&bound, &opts));
    assert!(a.project == b.project);
    // Per plan task (the networks order their positions differently).
    assert_eq!(a.critical, b.critical);
    // Per-task finish days: the histograms' ranges differ (capacity widens
    // the days a task can finish on), their counts inside both do not.
    let (fa, fb) = (a.finish_days.unwrap(), b.finish_days.unwrap());
    assert_eq!((fa.width, fa.iterations), (1, fb.iterations));
    for t in 0..p.tasks.len() {
        let cum = |f: &slipcast::engine::FinishDays, day: u64| -> u64 {
            let k = (day + 1).saturating_sub(f.first_day[t]) as usize;
            f.counts[t].iter().take(k).sum()
        };
        let inner = |f: &slipcast::engine::FinishDays| {
            (
                f.first_day[t],
                f.first_day[t] + f.counts[t].len() as u64 - 2,
            )
        };
        let (lo, hi) = (
            inner(&fa).0.max(inner(&fb).0),
            inner(&fa).1.min(inner(&fb).1),
        );
        assert!(lo < hi);
        for day in lo..hi {
            assert_eq!(cum(&fa, day), cum(&fb, day), "task {t}, day {day}");
        }
    }
    assert_eq!(deterministic(&free), deterministic(&bound));
}

#[test]
fn sampled_iterations_never_overload_a_team_nor_break_a_link() {
    let (p, risks) = tangled();
    let pools = vec![
        team("be", 2, Some((0.1, 0.3))),
        team("fe", 1, None),
        team("qa", 3, None),
    ];
    // `ops` has no capacity row: unconstrained. Some tasks need two people.
    let mut cap = Capacity::from_teams(&p, pools.clone()).unwrap();
    for (t, d) in cap.demands.iter_mut().enumerate() {
        if t % 5 == 0 && !d.is_empty() && d[0].0 != 1 {
            d[0].1 = 2;
        }
    }
    let cap = Capacity::new(&p, pools, cap.demands).unwrap();
    let net = Network::compile_with(
        &p,
        &Model {
            risks: &risks,
            capacity: Some(&cap),
            ..Model::default()
        },
    );
    let mut ws = Workspace::new(&net, 17);
    let mut waited = 0;
    for first in [0u64, 64, 6_400, 640_000] {
        ws.sample::<Software>(&net, first);
        ws.forward(&net);
        for l in 0..LANES {
            let at = |t: usize| {
                let pos = net.position(t);
                let (s, d) = (ws.start(pos)[l], ws.duration(pos)[l]);
                (s, ws.finish(pos)[l], d)
            };
            for (t, task) in p.tasks.iter().enumerate() {
                let (s, f, d) = at(t);
                assert!(s >= 0.0 && f == s + d);
                for k in &task.links {
                    let (ps, pf, _) = at(k.pred);
                    let src = if k.kind.from_finish() { pf } else { ps };
                    let mine = if k.kind.constrains_start() { s } else { f };
                    assert!(
                        mine >= src + k.lag as f32 - 1e-4,
                        "link {} -> {} broken in lane {l}",
                        p.tasks[k.pred].id,
                        task.id
                    );
                }
                // Load of each pool when the task starts.
                for (pool, people) in cap.pools.iter().enumerate() {
                    let load: u32 = p
                        .tasks
                        .iter()
                        .enumerate()
                        .filter(|&(u, _)| {
                            let (us, uf, ud) = at(u);
                            ud > 0.0 && us <= s && s < uf
                        })
                        .flat_map(|(u, _)| cap.demands[u].iter())
                        .filter(|&&(q, _)| q == pool)
                        .map(|&(_, a)| a)
                        .sum();
                    assert!(
                        load <= people.people,
                        "team {} has {load} busy of {} in lane {l}",
                        people.name,
                        people.people
                    );
                }
                // Started later than its links alone allow: it waited.
                let free_start = task
                    .links
                    .iter()
                    .map(|k| {
                        let (ps, pf, _) = at(k.pred);
                        let src = if k.kind.from_finish() { pf } else { ps };
                        let v = src + k.lag as f32;
                        if k.kind.constrains_start() { v } else { v - d }
                    })
                    .fold(0f32, f32::max);
                waited += usize::from(s > free_start + 1e-3);
            }
        }
    }
    assert!(waited > 100, "the capacity should bind: {waited}");
}

#[test]
fn every_path_and_thread_count_gives_the_same_constrained_outcomes() {
    let (p, risks) = tangled();
    let pools = vec![team("be", 2, Some((0.1, 0.3))), team("qa", 1, None)];
    let cap = Capacity::from_teams(&p, pools).unwrap();
    let net = Network::compile_with(
        &p,
        &Model {
            risks: &risks,
            capacity: Some(&cap),
            ..Model::default()
        },
    );
    let run = |simd| {
        simulate(
            &net,
            &SimOptions {
                simd: Some(simd),
                moments: u64::MAX,
                ..SimOptions::full(10_007, 5)
            },
        )
    };
    let reference = run(Simd::Portable);
    for simd in Simd::ALL {
        if simd.is_available() {
            assert!(run(simd) == reference, "{simd}");
        }
    }
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| run(Simd::Portable));
    assert!(one == reference);
    // The second pass regenerates the stretched durations bit for bit.
    let mut ws = Workspace::new(&net, 5);
    for first in [0u64, 640] {
        ws.sample::<Software>(&net, first);
        for pos in 0..net.len() {
            let main = *ws.duration(pos);
            assert!(ws.task_durations::<Software>(&net, pos, first) == main);
        }
    }
}

#[test]
fn the_forecast_of_a_scenario_with_capacity_is_later_and_says_why() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/examples/checkout-v2.csv"
    ))
    .unwrap();
    let p = plan(&text);
    let free = deterministic(&Network::compile(&p, None)).project;
    let mut sc = Scenario::new(p.clone());
    sc.capacity = Some(
        Capacity::from_teams(
            &p,
            vec![team("platform", 1, Some((0.2, 0.2))), team("sre", 1, None)],
        )
        .unwrap(),
    );
    let net = Network::compile_scenario(&sc);
    let bound = deterministic(&net).project;
    assert!(bound > free, "{bound} vs {free}");
}

#[test]
fn impossible_capacities_are_refused_all_at_once() {
    let p = plan("id,team,low,likely,high\nx,a,1,2,3\ny,b,1,2,3\n");
    let err = Capacity::new(
        &p,
        vec![
            team("a", 0, None),
            team("b", 1, Some((0.3, 1.2))),
            team("a", 2, None),
        ],
        vec![vec![(0, 1)], vec![(1, 2)]],
    )
    .unwrap_err();
    assert!(err.contains(&CapacityError::NoPeople { team: "a".into() }));
    assert!(err.contains(&CapacityError::Duplicate { team: "a".into() }));
    assert!(
        err.iter()
            .any(|e| matches!(e, CapacityError::BadShare { .. }))
    );
    assert!(err.contains(&CapacityError::TooMany {
        task: "y".into(),
        team: "b".into(),
        needs: 2,
        people: 1,
    }));
    assert!(err[0].to_string().contains("\"a\""));
}
