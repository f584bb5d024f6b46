//! The team load of one iteration: a replay of the simulation that gives the
//! same schedule bit for bit, step functions of people at work against
//! known answers, and the team-load chart, which exists only for a forecast
//! with a team load and keeps team names inert in its SVG.

mod common;

use common::capacity::{compile, plan, team};
use slipcast::analysis::{
    Forecast, ForecastOptions, TeamLoad, TeamLoadSeries, forecast, team_load,
};
use slipcast::engine::{CHUNK, SimOptions, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{Calendar, Capacity, Plan, Scenario, TeamRule, build_correlation};
use slipcast::report::chart::{Chart, ChartKind};
use slipcast::report::report_set;

/// The load of iteration 0 of a plan of fixed durations (every iteration
/// is the same).
fn load_of(p: &Plan, capacity: &Capacity) -> TeamLoad {
    team_load(p, capacity, &compile(p, capacity), 1, 0)
}

fn series<'a>(load: &'a TeamLoad, name: &str) -> &'a TeamLoadSeries {
    load.teams.iter().find(|s| s.team == name).expect("a team")
}

#[test]
fn five_two_day_tasks_on_two_people_keep_both_busy_until_day_four() {
    let mut text = String::from("id,team,low,likely,high\n");
    for i in 0..5 {
        text.push_str(&format!("t{i},a,2,2,2\n"));
    }
    let p = plan(&text);
    let cap = Capacity::from_teams(&p, vec![team("a", 2, None)]).unwrap();
    let load = load_of(&p, &cap);
    assert_eq!((load.finish, load.end), (6.0, 6.0));
    let a = series(&load, "a");
    // Two tasks hand over to two more at day 2: the step does not change.
    assert_eq!(a.steps, vec![(0.0, 2), (4.0, 1), (6.0, 0)]);
    assert_eq!(a.peak, 2);
    assert_eq!(a.at_capacity, 4.0 / 6.0);
}

#[test]
fn a_task_needing_two_people_counts_two() {
    // Team of 3: x (2 people, 4 days) and y (1 person, 6 days) run
    // together; z needs all 3, so it starts when y finishes.
    let p = plan("id,low,likely,high\nx,4,4,4\ny,6,6,6\nz,1,1,1\n");
    let cap = Capacity::new(
        &p,
        vec![team("a", 3, None)],
        vec![vec![(0, 2)], vec![(0, 1)], vec![(0, 3)]],
    )
    .unwrap();
    let a = load_of(&p, &cap).teams.remove(0);
    assert_eq!(a.steps, vec![(0.0, 3), (4.0, 1), (6.0, 3), (7.0, 0)]);
    assert_eq!((a.peak, a.at_capacity), (3, 5.0 / 7.0));
}

#[test]
fn only_the_capacitys_pools_have_rows_and_milestones_occupy_no_one() {
    // `pm` has no row in the capacity: its task is unconstrained and not
    // counted. `b` has a row and no work but a milestone.
    let p = plan(
        "id,team,low,likely,high,depends_on\n\
         plan,pm,3,3,3,\n\
         build,a,2,2,2,plan\n\
         review,a,1,1,1,plan\n\
         gate,b,0,0,0,build\n\
         ship,b,1,1,1,gate\n",
    );
    let cap = Capacity::from_teams(&p, vec![team("a", 1, None), team("b", 2, None)]).unwrap();
    let load = load_of(&p, &cap);
    let names: Vec<&str> = load.teams.iter().map(|s| s.team.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    // One person does build (critical, so first) then review from day 3.
    assert_eq!(series(&load, "a").steps, vec![(0.0, 0), (3.0, 1), (6.0, 0)]);
    // The gate at day 5 occupies no one; ship holds one of two people.
    let b = series(&load, "b");
    assert_eq!(b.steps, vec![(0.0, 0), (5.0, 1), (6.0, 0)]);
    assert_eq!((b.peak, b.at_capacity), (1, 0.0));
    assert_eq!((load.finish, load.end), (6.0, 6.0));
}

/// A plan with uncertain durations, links of every kind, a risk, team
/// correlation, unplanned work and tasks that need two people.
fn tangled() -> (Plan, Capacity, Network) {
    let (p, risks) = common::capacity::tangled();
    let corr = build_correlation(&p, &[TeamRule::AllTeams(0.4)], &[]).unwrap();
    let pools = vec![
        team("be", 2, Some((0.1, 0.3))),
        team("fe", 1, None),
        team("qa", 3, Some((0.2, 0.2))),
    ];
    let mut demands = Capacity::from_teams(&p, pools.clone()).unwrap().demands;
    for (t, d) in demands.iter_mut().enumerate() {
        if t % 5 == 0 && !d.is_empty() && d[0].0 != 1 {
            d[0].1 = 2;
        }
    }
    let cap = Capacity::new(&p, pools, demands).unwrap();
    let net = Network::compile_with(
        &p,
        &Model {
            risks: &risks,
            correlation: corr.as_ref(),
            capacity: Some(&cap),
            ..Model::default()
        },
    );
    (p, cap, net)
}

#[test]
fn the_replay_is_the_simulated_iteration_bit_for_bit() {
    let (p, cap, net) = tangled();
    let n = CHUNK as u64 + 1_000;
    for seed in [1u64, 42, 0xdead_beef] {
        let project = simulate(&net, &SimOptions::full(n, seed)).project;
        let p50 = TeamLoad::p50_iteration(&project, n);
        for it in [0, 1, 63, 64, 130, CHUNK as u64 - 1, CHUNK as u64 + 77, p50] {
            let load = team_load(&p, &cap, &net, seed, it);
            assert_eq!(load.iteration, it);
            assert_eq!(
                load.finish.to_bits(),
                f64::from(project[it as usize]).to_bits(),
                "seed {seed}, iteration {it}"
            );
            assert!(load.end >= load.finish);
            for (s, pool) in load.teams.iter().zip(&cap.pools) {
                // A step function: from day 0, strictly later steps, each a
                // change, ending idle; never more people than the team has.
                assert_eq!(s.steps[0].0, 0.0);
                assert!(s.steps.windows(2).all(|w| w[0].0 < w[1].0));
                assert!(s.steps.windows(2).all(|w| w[0].1 != w[1].1));
                assert_eq!(s.steps.last().unwrap().1, 0);
                assert!(s.steps.last().unwrap().0 <= load.end);
                assert!(s.peak <= pool.people, "{}: {} busy", pool.name, s.peak);
                assert!((0.0..=1.0).contains(&s.at_capacity));
            }
        }
    }
}

#[test]
fn the_p50_iteration_finishes_on_the_p50() {
    let project = [5.0, 9.0, 7.0, 7.0, 3.0, 8.0];
    // Sorted 3 5 7 7 8 9: P50 is the 3rd value, 7, first at index 2.
    assert_eq!(TeamLoad::p50_iteration(&project, 6), 2);
    // Among the first two (5, 9) the P50 is 5.
    assert_eq!(TeamLoad::p50_iteration(&project, 2), 0);
}

fn calendar() -> Calendar {
    Calendar::weekdays("2027-01-04".parse().unwrap())
}

/// A forecast of `p` with `capacity` and its team load, as a report shows
/// it.
fn forecast_with_load(p: &Plan, capacity: &Capacity, iterations: u64) -> Forecast {
    let cal = calendar();
    let sc = Scenario {
        capacity: Some(capacity.clone()),
        ..Scenario::new(p.clone())
    };
    let seed = 7;
    let (mut f, _) = forecast(&sc, &ForecastOptions::new(&cal, iterations, seed), None).unwrap();
    let net = Network::compile_scenario(&sc);
    let project = simulate(&net, &SimOptions::finish_only(iterations, seed)).project;
    let c = f.capacity.as_mut().expect("capacity findings");
    let it = TeamLoad::p50_iteration(&project, c.iterations);
    c.load = Some(team_load(p, capacity, &net, seed, it));
    f
}

/// Two teams with uncertain work, one named like markup.
fn hostile() -> (Plan, Capacity) {
    let p = plan(
        "id,low,likely,high,depends_on\n\
         a,2,3,6,\nb,1,2,4,\nc,2,4,5,\nd,1,2,3,a\ne,3,4,8,b\nf,1,1,2,c;d\n",
    );
    let cap = Capacity::new(
        &p,
        vec![
            team("<b>&", 2, None),
            team("web \"ux\"", 1, Some((0.1, 0.2))),
        ],
        vec![
            vec![(0, 1)],
            vec![(0, 1)],
            vec![(0, 2), (1, 1)],
            vec![(1, 1)],
            vec![(0, 1)],
            vec![(1, 1)],
        ],
    )
    .unwrap();
    (p, cap)
}

#[test]
fn the_chart_draws_each_team_with_its_name_inert() {
    let (p, cap) = hostile();
    let f = forecast_with_load(&p, &cap, 2_000);
    let load = f.capacity.as_ref().unwrap().load.as_ref().unwrap();
    // The schedule shown finishes on the forecast's P50 date.
    assert_eq!(calendar().finish_date(load.finish), f.finish.p50);
    let chart = Chart::new(ChartKind::TeamLoad, &f);
    assert_eq!(chart.kind().file_stem(), "team-load");
    let svg = chart.svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for name in ["<b>&", "web \"ux\""] {
        assert!(texts.contains(&name), "no panel for {name:?}: {texts:?}");
    }
    assert!(texts.contains(&chart.title()), "{texts:?}");
    assert!(svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"));
    let (w, h) = chart.size();
    assert!(w > 0 && h > 0);
    assert!(!chart.png().unwrap().is_empty());
}

#[test]
fn only_a_forecast_with_a_team_load_has_the_chart() {
    let (p, cap) = hostile();
    let with = forecast_with_load(&p, &cap, 1_000);
    let kinds = |f: &Forecast| Chart::all(f).iter().map(Chart::kind).collect::<Vec<_>>();
    let mut want = ChartKind::ALL.to_vec();
    want.push(ChartKind::TeamLoad);
    assert_eq!(kinds(&with), want);
    // Capacity findings without a load, and no capacity at all: the charts
    // of every forecast, as before.
    let mut without = with.clone();
    without.capacity.as_mut().unwrap().load = None;
    assert_eq!(kinds(&without), ChartKind::ALL.to_vec());
    let cal = calendar();
    let (plain, _) = forecast(
        &Scenario::new(p.clone()),
        &ForecastOptions::new(&cal, 1_000, 7),
        None,
    )
    .unwrap();
    assert_eq!(kinds(&plain), ChartKind::ALL.to_vec());
    // The report embeds it, with its files.
    let set = report_set(&with).unwrap();
    assert!(set.file("team-load.png").is_some() && set.file("team-load.svg").is_some());
    let page = String::from_utf8(set.file("index.html").unwrap().to_vec()).unwrap();
    assert!(page.contains("<figure id=\"team-load\">"));
    let md = String::from_utf8(set.file("summary.md").unwrap().to_vec()).unwrap();
    assert!(md.contains("(team-load.png)"));
    let set = report_set(&plain).unwrap();
    assert!(set.names().all(|n| !n.starts_with("team-load")));
}
