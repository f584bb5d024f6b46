//! Tasks on their own calendars: hand-computed dates for a 6-day and a
//! 7-day calendar linked to a 5-day one (with a holiday on the 5-day
//! calendar only), lags counted on each lag-calendar option, and Monte Carlo
//! percentiles of a two-calendar plan against an independent computation.

use chrono::NaiveDate;

use slipcast::analysis::{Sample, finish_date};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::plan::{
    Estimate, LagCalendar, Link, LinkKind, Plan, Status, Task, TaskCalendars, WEEKDAYS,
    WorkCalendar,
};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Monday 2027-01-04 is day 0.
const START: &str = "2027-01-04";

/// 0: Mon-Fri with Wednesday 2027-01-13 off; 1: Mon-Sat; 2: every day.
fn calendars() -> Vec<WorkCalendar> {
    let mut five = WorkCalendar::new("5-day", WEEKDAYS, 8.0);
    five.exceptions.insert(date("2027-01-13"), false);
    let six = WorkCalendar::new("6-day", [true, true, true, true, true, true, false], 8.0);
    let seven = WorkCalendar::new("7-day", [true; 7], 8.0);
    vec![five, six, seven]
}

fn task(id: &str, days: f64, calendar: usize, links: Vec<Link>) -> Task {
    Task {
        id: id.into(),
        name: id.into(),
        estimate: Estimate::Fixed { days },
        links,
        team: None,
        priority: None,
        status: Status::Todo,
        line: 0,
        calendar: Some(calendar),
        not_before: None,
        finish_not_before: None,
        at_start: false,
        demands: Vec::new(),
    }
}

fn link(pred: usize, kind: LinkKind, lag: f64) -> Link {
    Link { pred, kind, lag }
}

fn plan(tasks: Vec<Task>, lag: LagCalendar, default: usize) -> Plan {
    Plan::with_calendars(
        "calendars.csv",
        tasks,
        Some(TaskCalendars {
            start: date(START),
            start_offset: 0.0,
            calendars: calendars(),
            default,
            lag,
            axis_start: Default::default(),
        }),
    )
    .unwrap()
}

/// Each task's finish date in the deterministic schedule.
fn finishes(p: &Plan) -> Vec<NaiveDate> {
    let det = deterministic(&Network::compile(p, None));
    det.finish
        .iter()
        .map(|&t| finish_date(date(START), t))
        .collect()
}

#[test]
fn six_and_seven_day_tasks_feed_a_five_day_one() {
    // A: 5 days on Mon-Sat from Mon 01-04 ends Fri 01-08. B: 3 days on the
    // 5-day calendar waits for Monday: Mon 11, Tue 12, (Wed 13 off), Thu 14.
    // C: 2 days on the 7-day calendar after A: Sat 09, Sun 10.
    // D: 4 days on Mon-Sat after C: Mon 11 to Thu 14 (Wed 13 is worked).
    let p = plan(
        vec![
            task("A", 5.0, 1, vec![]),
            task("B", 3.0, 0, vec![link(0, LinkKind::FS, 0.0)]),
            task("C", 2.0, 2, vec![link(0, LinkKind::FS, 0.0)]),
            task("D", 4.0, 1, vec![link(2, LinkKind::FS, 0.0)]),
        ],
        LagCalendar::Successor,
        0,
    );
    assert_eq!(
        finishes(&p),
        [
            date("2027-01-08"),
            date("2027-01-14"),
            date("2027-01-10"),
            date("2027-01-14")
        ]
    );
}

#[test]
fn lags_count_on_the_calendar_the_plan_names() {
    // A: 5 days on Mon-Sat, ends Fri 01-08. B: 1 day on the 5-day calendar,
    // finish-to-start with a lag of 2 days, counted on:
    let cases = [
        // the successor's 5-day calendar: Mon 11, Tue 12; B works the next
        // working day, Thu 14 (Wed 13 is off);
        (LagCalendar::Successor, 0, "2027-01-14"),
        // the predecessor's Mon-Sat calendar: Sat 09, Mon 11; B on Tue 12;
        (LagCalendar::Predecessor, 0, "2027-01-12"),
        // elapsed days: Sat 09, Sun 10; B on Mon 11;
        (LagCalendar::TwentyFourHour, 0, "2027-01-11"),
        // the default calendar, here the 7-day one: as elapsed days;
        (LagCalendar::Default, 2, "2027-01-11"),
        // the default calendar, here Mon-Sat: as the predecessor's.
        (LagCalendar::Default, 1, "2027-01-12"),
    ];
    for (lag, default, want) in cases {
        let p = plan(
            vec![
                task("A", 5.0, 1, vec![]),
                task("B", 1.0, 0, vec![link(0, LinkKind::FS, 2.0)]),
            ],
            lag,
            default,
        );
        assert_eq!(finishes(&p)[1], date(want), "{lag:?}, default {default}");
    }
}

#[test]
fn start_and_finish_links_across_calendars() {
    // A: 10 days on the 5-day calendar: Mon 04 to Mon 18 (Wed 13 off).
    // S: start-to-start + 2 on the successor's 7-day calendar: starts Wed
    // 06, 3 days, ends Fri 08.
    // F: finish-to-finish + 0, 2 days on Mon-Sat: must end with A (Mon 18).
    // M: a finish milestone after A; N: a start milestone after A, which
    // sits where work resumes (Tue 19).
    let mut n = task("N", 0.0, 0, vec![link(0, LinkKind::FS, 0.0)]);
    n.at_start = true;
    let p = plan(
        vec![
            task("A", 10.0, 0, vec![]),
            task("S", 3.0, 2, vec![link(0, LinkKind::SS, 2.0)]),
            task("F", 2.0, 1, vec![link(0, LinkKind::FF, 0.0)]),
            task("M", 0.0, 0, vec![link(0, LinkKind::FS, 0.0)]),
            n,
        ],
        LagCalendar::Successor,
        0,
    );
    assert_eq!(
        finishes(&p)[..4],
        [
            date("2027-01-18"),
            date("2027-01-08"),
            date("2027-01-18"),
            date("2027-01-18")
        ]
    );
    let det = deterministic(&Network::compile(&p, None));
    assert_eq!(det.start[4], 15.0, "Tue 19 is day 15");
}

/// A: uniform 2..12 days on the 7-day calendar, then B: 5 days on the
/// 5-day calendar (Wed 13 off). The project finish is a non-decreasing
/// function of A's duration, so its percentiles are that function of the
/// uniform's exact quantiles. Compared in B's working time (which is
/// continuous), within 4 standard errors of a sample quantile.
#[test]
fn monte_carlo_percentiles_match_an_independent_computation() {
    let a = Task {
        estimate: Estimate::Uniform {
            low: 2.0,
            high: 12.0,
        },
        ..task("A", 0.0, 2, vec![])
    };
    let p = plan(
        vec![a, task("B", 5.0, 0, vec![link(0, LinkKind::FS, 0.0)])],
        LagCalendar::Successor,
        0,
    );
    let net = Network::compile(&p, None);
    let n = 200_000u64;
    let out = simulate(&net, &SimOptions::finish_only(n, 7));
    let sample = Sample::new(&out.project);
    let axis = slipcast::plan::Axis::new(date(START), &calendars());
    for q in [0.1, 0.5, 0.8, 0.9] {
        // A finishes at its duration (every day works); B adds 5 of its
        // working days to where A stops.
        let x = 2.0 + 10.0 * q;
        let want = axis.work(0, x as f32) + 5.0;
        let got = axis.work(0, sample.quantile(q) as f32);
        // Quantile standard error of the uniform, in days (B's working
        // time moves at most one for one).
        let se = 10.0 * (q * (1.0 - q) / n as f64).sqrt();
        assert!(
            (f64::from(got - want)).abs() <= 4.0 * se + 1e-3,
            "P{}: {got} vs {want} (se {se})",
            q * 100.0
        );
    }
}

#[test]
fn same_seed_same_draws_on_any_thread_count() {
    let a = Task {
        estimate: Estimate::Triangular {
            low: 2.0,
            mode: 4.0,
            high: 9.0,
        },
        ..task("A", 0.0, 2, vec![])
    };
    let p = plan(
        vec![
            a,
            task("B", 5.0, 0, vec![link(0, LinkKind::FS, 1.0)]),
            task("C", 3.0, 1, vec![link(0, LinkKind::SS, 2.0)]),
        ],
        LagCalendar::Predecessor,
        0,
    );
    let net = Network::compile(&p, None);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate(&net, &SimOptions::full(30_011, 3)))
    };
    assert_eq!(run(1), run(3));
}

/// Finishes past the calendar tables' hundred years are an error naming
/// the task, not a date guessed past the tables.
#[test]
fn finishes_past_the_horizon_are_refused() {
    let p = plan(
        vec![task("long", 40_000.0, 2, vec![])],
        LagCalendar::Successor,
        0,
    );
    let det = deterministic(&Network::compile(&p, None));
    let cal = slipcast::plan::Calendar::new(date(START), [true; 7], Default::default()).unwrap();
    let e = slipcast::analysis::check_range(&p, &det, det.project, &cal).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("\"long\""), "{text}");
    assert!(text.contains("36600 days"), "{text}");
}

/// A tangled plan on the three calendars: every link type, lags and leads,
/// links within and across calendars, start milestones, earliest starts and
/// finishes, ranged durations.
fn tangled(lag: LagCalendar) -> Plan {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let kinds = [LinkKind::FS, LinkKind::SS, LinkKind::FF, LinkKind::SF];
    let mut tasks = Vec::new();
    for i in 0..60 {
        let mut links = Vec::new();
        for _ in 0..(if i == 0 { 0 } else { 1 + next(3) }) {
            let pred = i - 1 - next(i.min(8) as u64) as usize;
            if links.iter().any(|l: &Link| l.pred == pred) {
                continue;
            }
            let kind = if next(3) == 0 {
                kinds[next(4) as usize]
            } else {
                LinkKind::FS
            };
            let lag = [0.0, 0.0, 0.0, 1.5, 3.0, -1.0, 0.25][next(7) as usize];
            links.push(link(pred, kind, lag));
        }
        // Runs of tasks share a calendar, as areas do; some cross.
        let calendar = (i / 7 + usize::from(next(5) == 0)) % 3;
        let mut t = task(&format!("T{i}"), 0.0, calendar, links);
        if i % 11 == 5 {
            t.estimate = Estimate::Fixed { days: 0.0 };
            t.at_start = i % 2 == 0;
        } else {
            let low = 1.0 + next(4) as f64 * 0.5;
            t.estimate = Estimate::Triangular {
                low,
                mode: low + 1.0 + next(3) as f64,
                high: low + 6.0 + next(5) as f64,
            };
        }
        if i % 13 == 3 {
            t.not_before = Some(10.0 + i as f64 * 0.5);
        }
        if i % 17 == 8 {
            t.finish_not_before = Some(30.0 + i as f64);
        }
        tasks.push(t);
    }
    plan(tasks, lag, 0)
}

/// The engine follows links within a calendar in working time and converts
/// only at calendar boundaries, in whole rows (vector gathers where the CPU
/// has them). Checked against a plain computation of every iteration on the
/// time axis with the calendar tables, one value at a time.
#[test]
fn iterations_match_a_plain_computation_on_the_time_axis() {
    use slipcast::engine::rng::Software;
    use slipcast::engine::{LANES, Workspace};
    for lag in [
        LagCalendar::Successor,
        LagCalendar::Predecessor,
        LagCalendar::Default,
        LagCalendar::TwentyFourHour,
    ] {
        let p = tangled(lag);
        let net = Network::compile(&p, None);
        let axis = slipcast::plan::Axis::new(date(START), &calendars());
        let mut ws = Workspace::new(&net, 11);
        let mut worst = 0f32;
        for first in [0u64, 64, 6_400] {
            ws.sample::<Software>(&net, first);
            ws.forward(&net);
            for l in 0..LANES {
                let (mut start, mut finish) =
                    (vec![0f32; p.tasks.len()], vec![0f32; p.tasks.len()]);
                let mut project = 0f32;
                for &t in p.order() {
                    let task = &p.tasks[t];
                    let c = task.calendar.unwrap();
                    let d = ws.duration(net.position(t))[l];
                    let mut s = task.not_before.unwrap_or(0.0) as f32;
                    let mut f = task
                        .finish_not_before
                        .map_or(f32::NEG_INFINITY, |x| x as f32);
                    for k in &task.links {
                        let src = if k.kind.from_finish() {
                            finish[k.pred]
                        } else {
                            start[k.pred]
                        };
                        let on = match lag {
                            LagCalendar::Successor => Some(c),
                            LagCalendar::Predecessor => p.tasks[k.pred].calendar,
                            LagCalendar::Default => Some(0),
                            LagCalendar::TwentyFourHour => None,
                        };
                        let at = match on {
                            _ if k.lag == 0.0 => src,
                            Some(on) => axis.finish(on, axis.work(on, src) + k.lag as f32),
                            None => src + k.lag as f32,
                        };
                        if k.kind.constrains_start() {
                            s = s.max(at);
                        } else {
                            f = f.max(at);
                        }
                    }
                    let mut w = axis.work(c, s);
                    if f > f32::NEG_INFINITY {
                        w = w.max(axis.work(c, f) - d);
                    }
                    finish[t] = if d == 0.0 && task.at_start {
                        axis.begin(c, w)
                    } else {
                        axis.finish(c, w + d)
                    };
                    start[t] = if d > 0.0 { axis.begin(c, w) } else { finish[t] };
                    project = project.max(finish[t]);
                }
                for (t, want) in finish.iter().enumerate() {
                    // (Starts are computed only where a link reads them.)
                    worst = worst.max((ws.finish(net.position(t))[l] - want).abs());
                }
                worst = worst.max((ws.project()[l] - project).abs());
            }
        }
        // The two differ only by rounding: working time is carried across
        // a calendar's own links instead of being converted there and back.
        assert!(worst < 1e-3, "{lag:?}: differs by {worst} days");
    }
}

/// Every instruction-set path gives the same bits on a plan with task
/// calendars (vector gathers or scalar look-ups), and the runs that convert
/// only the times links read agree with those that convert every finish.
#[test]
fn calendar_plans_are_bit_identical_on_every_path() {
    use slipcast::engine::Simd;
    let p = tangled(LagCalendar::Successor);
    let net = Network::compile(&p, None);
    let run = |simd: Simd, task_finish: u64| {
        simulate(
            &net,
            &SimOptions {
                simd: Some(simd),
                task_finish,
                ..SimOptions::full(9_001, 5)
            },
        )
    };
    let reference = run(Simd::Portable, 9_001);
    let critical = reference.critical.clone().unwrap();
    assert!(
        critical.iter().any(|&c| c > 0 && c < 9_001),
        "a plan with real choices"
    );
    let mut compared = 0;
    for simd in Simd::ALL {
        if !simd.is_available() {
            eprintln!("note: {simd} is not available on this CPU; not compared");
            continue;
        }
        let all = run(simd, 9_001);
        assert!(all == reference, "{simd} differs from the portable path");
        // Task finishes tallied for the first iterations only: the others
        // convert only what links and the project finish read.
        let some = run(simd, 1_000);
        assert!(some.project == reference.project, "{simd}: project finish");
        assert!(some.critical == reference.critical, "{simd}: criticality");
        compared += 1;
    }
    assert!(compared >= 1);
}

/// Criticality on a plan with task calendars against its closed form: D
/// waits for B (after A, on another calendar) and for C; B and A are
/// critical exactly when B's working finish is C's or later.
#[test]
fn criticality_matches_the_chance_each_path_is_the_longest() {
    let ranged = |id: &str, low: f64, high: f64, calendar: usize, links| Task {
        estimate: Estimate::Uniform { low, high },
        ..task(id, 0.0, calendar, links)
    };
    let p = plan(
        vec![
            ranged("A", 2.0, 12.0, 2, vec![]),
            task("B", 5.0, 0, vec![link(0, LinkKind::FS, 0.0)]),
            ranged("C", 1.0, 20.0, 0, vec![]),
            task(
                "D",
                1.0,
                0,
                vec![link(1, LinkKind::FS, 0.0), link(2, LinkKind::FS, 0.0)],
            ),
        ],
        LagCalendar::Successor,
        0,
    );
    let net = Network::compile(&p, None);
    let n = 100_000u64;
    let out = simulate(&net, &SimOptions::full(n, 9));
    let critical = out.critical.unwrap();
    let share = |t: usize| critical[t] as f64 / n as f64;
    // A ends at its duration x (every day works); B at 5 working days
    // after the working time of x; C at its duration c, all working days.
    let axis = slipcast::plan::Axis::new(date(START), &calendars());
    let steps = 100_000;
    let want = (0..steps)
        .map(|i| {
            let x = 2.0 + 10.0 * (i as f64 + 0.5) / steps as f64;
            let b = f64::from(axis.work(0, x as f32)) + 5.0;
            ((b - 1.0) / 19.0).clamp(0.0, 1.0)
        })
        .sum::<f64>()
        / steps as f64;
    let se = (want * (1.0 - want) / n as f64).sqrt();
    assert!(want > 0.2 && want < 0.8, "a real choice: {want}");
    for t in [0, 1] {
        assert!(
            (share(t) - want).abs() <= 4.0 * se,
            "task {t}: {} vs {want} (se {se})",
            share(t)
        );
    }
    assert!(
        (share(2) - (1.0 - want)).abs() <= 4.0 * se,
        "C: {}",
        share(2)
    );
    assert_eq!(share(3), 1.0);
}

/// Driver reruns simulated together give each rerun's own simulation, to
/// the bit, on a plan with task calendars (links across calendars, lags,
/// start milestones), on every instruction-set path.
#[test]
fn shared_reruns_equal_separate_simulations_on_calendars() {
    use slipcast::engine::{Simd, Variant, simulate_variants};
    let p = tangled(LagCalendar::Successor);
    let net = Network::compile(&p, None);
    let nets: Vec<Network> = [0, 9, 30, 58, 59].map(|t| net.with_fixed(t)).into();
    let variants: Vec<Variant> = nets.iter().map(|v| Variant::new(&net, v)).collect();
    let n = 3_001;
    let alone: Vec<Vec<f32>> = nets
        .iter()
        .map(|v| simulate(v, &SimOptions::finish_only(n, 4)).project)
        .collect();
    let base = simulate(&net, &SimOptions::finish_only(n, 4)).project;
    assert!(alone.iter().filter(|a| **a != base).count() >= 3);
    for simd in Simd::ALL.into_iter().filter(|s| s.is_available()) {
        let together = simulate_variants(&net, &variants, n, 4, Some(simd));
        assert!(together == alone, "{simd}");
    }
}
