//! Team capacity against known answers: queues on a team of c people,
//! unplanned work, a cut that frees a person, capacity that never binds
//! (bit-identical to no capacity), and an independent feasibility check of
//! sampled iterations (no team over its people, no link broken).

use common::capacity::{compile, plan, tangled, team};
use slipcast::engine::rng::Software;
use slipcast::engine::{LANES, SimOptions, Simd, Workspace, deterministic, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{
    Capacity, CapacityError, Headcount, Plan, Scenario, TeamRule, build_correlation,
};

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
fn one_mobile_engineer_for_ios_and_android_makes_the_plan_date_later() {
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
            vec![team("mobile", 1, Some((0.2, 0.2))), team("sre", 1, None)],
        )
        .unwrap(),
    );
    let net = Network::compile_scenario(&sc);
    let d = deterministic(&net);
    assert!(d.project > free, "{} vs {free}", d.project);
    // iOS and Android screens (15 and 16 days) take turns.
    let (i, a) = (
        p.index_of("ios-checkout").unwrap(),
        p.index_of("android-checkout").unwrap(),
    );
    assert!(d.finish[i] <= d.start[a] || d.finish[a] <= d.start[i]);
    assert_eq!(
        (d.finish[i] - d.start[i]) + (d.finish[a] - d.start[a]),
        15.0 + 16.0
    );
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

fn add(team: &str, change: i32, ramp_up: f64) -> Headcount {
    Headcount {
        team: team.into(),
        change,
        ramp_up,
    }
}

#[test]
fn one_more_person_finishes_the_rounds_sooner_and_a_late_one_only_after_joining() {
    // Four 5-day tasks on one person: 20 days. A second person from day 0:
    // 2 rounds, 10 days. From day 5 (ramp-up): the first task alone, then
    // two pairs' worth of rounds from day 5: 15 days.
    let p = queue(4, 5.0);
    let cap = Capacity::from_teams(&p, vec![team("a", 1, None)]).unwrap();
    let finish = |c: &Capacity| deterministic(&compile(&p, c)).project;
    assert_eq!(finish(&cap), 20.0);
    let now = cap.with_headcount(&p, &[add("a", 1, 0.0)]).unwrap();
    assert_eq!(now.pools[0].people, 2);
    assert_eq!(finish(&now), 10.0);
    let late = cap.with_headcount(&p, &[add("a", 1, 5.0)]).unwrap();
    assert_eq!(late.joining[0], [5.0]);
    assert_eq!(finish(&late), 15.0);
    let o = simulate(&compile(&p, &late), &SimOptions::finish_only(100, 1));
    assert!(o.project.iter().all(|&x| x == 15.0));
    // Taking people away removes the late joiners first.
    let back = late.with_headcount(&p, &[add("a", -1, 0.0)]).unwrap();
    assert_eq!(back, cap);
    // Everything that cannot be is reported at once.
    let err = cap
        .with_headcount(&p, &[add("b", 1, 0.0), add("a", -1, 0.0)])
        .unwrap_err();
    assert!(matches!(&err[0], CapacityError::UnknownTeam { team, .. } if team == "b"));
    assert_eq!(err.len(), 1, "checks the rest once the teams are known");
    let err = cap.with_headcount(&p, &[add("a", -1, 0.0)]).unwrap_err();
    assert!(err.contains(&CapacityError::NoPeople { team: "a".into() }));
}

#[test]
fn headcount_what_ifs_read_as_written_and_refuse_what_is_ambiguous() {
    let w = Headcount::parse_what_if("payments=+1@20, web=-2 ,qa=+3@5d").unwrap();
    assert_eq!(
        w,
        [
            add("payments", 1, 20.0),
            add("web", -2, 0.0),
            add("qa", 3, 5.0)
        ]
    );
    assert_eq!(w[0].to_string(), "payments +1 after 20 days");
    assert_eq!(w[1].to_string(), "web -2");
    for (bad, says) in [
        ("payments=1", "with its sign (+1 to add, -1 to take away)"),
        ("payments", "has no '='"),
        ("=+1", "names no team"),
        ("payments=+x", "\"+x\" is not a number of people"),
        ("payments=+0", "\"+0\" is not a number of people"),
        (
            "payments=+1@soon",
            "ramp-up \"soon\" is not a number of working days",
        ),
        ("payments=-1@5", "applies to people added"),
    ] {
        let e = Headcount::parse_what_if(bad).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn the_forecast_answers_each_headcount_what_if_with_its_interval_and_the_buffer() {
    use slipcast::analysis::{ForecastOptions, forecast};
    use slipcast::plan::Calendar;
    // Six 5-day tasks on two people (three rounds, 15 days) and a 20% share
    // of unplanned work (18.75 days); one more person: two rounds (12.5).
    let p = queue(6, 5.0);
    let mut sc = Scenario::new(p.clone());
    sc.capacity = Some(Capacity::from_teams(&p, vec![team("a", 2, Some((0.2, 0.2)))]).unwrap());
    let cal = Calendar::weekdays(chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    let opts = ForecastOptions {
        basic: true,
        headcount: vec![vec![add("a", 1, 0.0)], vec![add("a", 1, 5.0)]],
        ..ForecastOptions::new(&cal, 2_000, 3)
    };
    let (f, _) = forecast(&sc, &opts, None).unwrap();
    let c = f.capacity.expect("capacity findings");
    let b = &c.buffer;
    assert_eq!((b.plan_days, b.p80_days, b.days), (15.0, 18.75, 3.75));
    assert_eq!(b.p80_without_unplanned, Some(15.0));
    let u = b.unplanned_p80.unwrap();
    assert_eq!((u.estimate, u.low, u.high), (3.75, Some(3.75), Some(3.75)));
    let now = &c.headcount[0];
    assert_eq!(now.change, "a +1");
    assert_eq!(now.p80_days, 12.5);
    assert_eq!(now.p80_change.estimate, -6.25);
    assert_eq!(now.p80_change.standard_error, Some(0.0));
    // Joining on day 5 (6.25 days of work at 20% unplanned): the first
    // round of two runs 0-6.25 and the newcomer starts the third task at 5,
    // so the rounds end at 11.25, 12.5, 17.5: P80 17.5.
    let late = &c.headcount[1];
    assert_eq!(late.change, "a +1 after 5 days");
    assert_eq!(late.p80_days, 17.5);
    assert_eq!(late.p80_change.estimate, -1.25);
    // Without capacity the question cannot be asked.
    sc.capacity = None;
    let e = forecast(&sc, &opts, None).unwrap_err().to_string();
    assert!(e.contains("needs team capacity"), "{e}");
}

// The command as a user runs it: a teams file, and the plan's `people` and
// `resources` columns.

mod common;

use common::{slipcast, stdout, write};

/// Runs slipcast with `args`, which must fail, and returns its stderr.
fn failure(args: &[&str]) -> String {
    let out = slipcast()
        .args(args)
        .assert()
        .failure()
        .get_output()
        .clone();
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn forecast_with_a_teams_file_queues_the_work_and_says_what_each_team_costs() {
    let dir = tempfile::TempDir::new().unwrap();
    // Three 10-day tasks of one team and a 4-day QA task needing two people
    // of QA and one backend person (via `resources`).
    let plan = write(
        dir.path(),
        "plan.csv",
        "id,team,likely,people,resources\n\
         a,be,10,,\n\
         b,be,10,,\n\
         c,be,10,2,\n\
         q,,4,,qa:2;be\n",
    );
    let teams = write(
        dir.path(),
        "teams.csv",
        "team,people,unplanned\nbe,2,20%\nqa,2,\nops,1,\n",
    );
    let out = stdout(slipcast().args([
        "forecast",
        &plan,
        "--teams",
        &teams,
        "--start",
        "2027-01-04",
        "-n",
        "2000",
    ]));
    // be has 2 people: a and b together (12.5 days each with 20% unplanned),
    // then c needs both (12.5), then q (5): 30 working days every time.
    assert!(
        out.contains("the plan finishes on Fri 2027-02-12 in every iteration."),
        "{out}"
    );
    assert!(
        out.contains(
            "The plan date on likely durations, Thu 2027-02-04 (24.0 working days), is never met."
        ),
        "{out}"
    );
    assert!(out.contains("Team capacity"), "{out}");
    // The plan date (no unplanned work) is day 24: the 6 days of buffer
    // to P80 are all unplanned work.
    assert!(
        out.contains(
            "Buffer: P80 is 6.0 working days past the plan date Thu 2027-02-04 (25% of the plan); \
             unplanned work takes +6.0 [+6.0, +6.0] of them (P80 30.0 with it, 24.0 without)"
        ),
        "{out}"
    );
    // Unbounded, be runs a, b, c and q side by side (no links): 12.5 days.
    assert!(out.contains("  +17.5 [+17.5, +17.5]  be"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout(slipcast().args([
        "forecast",
        &plan,
        "--teams",
        &teams,
        "--start",
        "2027-01-04",
        "-n",
        "2000",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["teams"], teams.as_str());
    assert_eq!(json["capacity"]["teams"][0]["team"], "be");
    assert_eq!(json["capacity"]["teams"][0]["tasks"], 4);
    assert_eq!(json["capacity"]["teams"][0]["queue_p80"]["estimate"], 17.5);
    assert_eq!(json["capacity"]["buffer"]["days"], 6.0);
    assert_eq!(json["deterministic"]["duration"], 24.0);
}

#[test]
fn a_team_no_task_draws_on_is_a_warning() {
    let dir = tempfile::TempDir::new().unwrap();
    let plan = write(dir.path(), "plan.csv", "id,team,likely\na,be,3\n");
    let teams = write(dir.path(), "teams.csv", "team,people\nbe,1\nbakend,2\n");
    slipcast()
        .args(["forecast", &plan, "--teams", &teams, "-n", "1000"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "teams.csv:3: team \"bakend\" has no task in the plan",
        ));
}

#[test]
fn bad_teams_and_demands_are_reported_all_at_once_with_the_fix() {
    let dir = tempfile::TempDir::new().unwrap();
    let teams = write(
        dir.path(),
        "teams.csv",
        "team,people,unplanned\nbe,0,\nqa,2,120%\nbe,1,\nops,3,25-15%\n",
    );
    let plan = write(dir.path(), "plan.csv", "id,team,likely\na,be,3\n");
    let err = failure(&["forecast", &plan, "--teams", &teams, "-n", "1000"]);
    for want in [
        "teams.csv:2: team \"be\": people \"0\" is not a number of people of at least 1",
        "teams.csv:3: team \"qa\": unplanned work \"120%\" is not a share below 100%",
        "teams.csv:4: team \"be\": id is used again",
        "teams.csv:5: team \"ops\": unplanned work \"25-15%\"",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    let plan = write(
        dir.path(),
        "plan2.csv",
        "id,team,likely,people,resources\na,,3,2,\nb,be,3,x,\nc,be,3,1,qa:1\nd,be,3,,qa:z;be:1;be:2\n",
    );
    let err = failure(&["validate", &plan]);
    for want in [
        "plan2.csv:2: task \"a\": people is given but the task has no team",
        "plan2.csv:3: task \"b\": people \"x\" is not a whole number",
        "plan2.csv:4: task \"c\": both people and resources are given",
        "plan2.csv:5: task \"d\": resources \"qa:z\" does not read",
        "plan2.csv:5: task \"d\": resources \"be:2\" does not read",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    // A task needing more people than its team has, at its plan line.
    let teams = write(dir.path(), "t2.csv", "team,people\nbe,1\n");
    let plan = write(
        dir.path(),
        "plan3.csv",
        "id,team,likely,people\na,be,3,\nb,be,3,2\n",
    );
    assert!(
        failure(&["forecast", &plan, "--teams", &teams, "-n", "1000"])
            .contains("plan3.csv:3: task \"b\": needs 2 of team \"be\"'s 1 people")
    );
}

#[test]
fn the_report_lists_the_capacity_and_each_team_s_queue() {
    let dir = tempfile::TempDir::new().unwrap();
    let plan = write(
        dir.path(),
        "plan.csv",
        "id,team,likely\na,be,10\nb,be,10\nc,qa,4\n",
    );
    let teams = write(
        dir.path(),
        "teams.csv",
        "team,people,unplanned\nbe,1,\nqa,1,\n",
    );
    let out = dir.path().join("report");
    slipcast()
        .args([
            "report",
            &plan,
            "--teams",
            &teams,
            "--start",
            "2027-01-04",
            "-n",
            "1000",
            "--add",
            "be=+1",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    // be's one person does a then b: 20 days; unbounded, 10.
    assert!(
        md.contains("| be | 1 | - | 2 | **+10.0 \\[+10.0, +10.0\\]** |"),
        "{md}"
    );
    assert!(
        md.contains("| qa | 1 | - | 1 | +0.0 \\[+0.0, +0.0\\] |"),
        "{md}"
    );
    assert!(
        md.contains("Buffer: P80 is 0.0 working days past the plan date Fri 2027-01-29"),
        "{md}"
    );
    assert!(md.contains("Team capacity: 2 teams, 2 people"), "{md}");
    assert!(
        md.contains("Headcount be +1: P80 -10.0 \\[-10.0, -10.0\\] working days"),
        "{md}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<h2 id=\"capacity\">Team capacity</h2>"));
}

#[test]
fn forecast_and_compare_answer_the_headcount_question_in_one_line() {
    let dir = tempfile::TempDir::new().unwrap();
    let plan = write(
        dir.path(),
        "plan.csv",
        "id,team,likely\na,be,10\nb,be,10\nc,be,10\nd,be,10\n",
    );
    let teams = write(dir.path(), "teams.csv", "team,people\nbe,2\n");
    let out = stdout(slipcast().args([
        "forecast",
        &plan,
        "--teams",
        &teams,
        "--start",
        "2027-01-04",
        "-n",
        "2000",
        "--add",
        "be=+2",
        "--add",
        "be=+1@10",
    ]));
    // Two rounds of 10 days; with four people one round; with a third from
    // day 10, still two rounds.
    assert!(
        out.contains(
            "Headcount be +2: P80 -10.0 [-10.0, -10.0] working days (Fri 2027-01-15), P50 -10.0"
        ),
        "{out}"
    );
    assert!(
        out.contains("Headcount be +1 after 10 days: P80 +0.0 [+0.0, +0.0] working days"),
        "{out}"
    );
    let out = stdout(slipcast().args([
        "compare",
        &plan,
        "--teams",
        &teams,
        "--start",
        "2027-01-04",
        "-n",
        "2000",
        "--add",
        "be=+2",
    ]));
    assert!(out.contains("plan.csv (be +2)"), "{out}");
    assert!(out.contains("-10.0 [-10.0, -10.0]"), "{out}");
    let err = failure(&["forecast", &plan, "--add", "be=+1", "-n", "1000"]);
    assert!(err.contains("needs team capacity"), "{err}");
    let err = failure(&["compare", &plan, "-n", "1000"]);
    assert!(err.contains("one plan with --add"), "{err}");
    let err = failure(&[
        "forecast", &plan, "--teams", &teams, "--add", "qa=+1", "--add", "be=-2", "-n", "1000",
    ]);
    assert!(
        err.contains("--add qa +1: there is no team \"qa\" in the teams file (teams: be)"),
        "{err}"
    );
    assert!(
        err.contains("--add be -2: team \"be\" has no people"),
        "{err}"
    );
}
