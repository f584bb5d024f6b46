//! Exact schedules: fixed-duration plans whose starts, finishes, critical
//! paths and dates are computed by hand (the arithmetic is in the comments).
//!
//! For each plan the deterministic (CPM) schedule must match exactly, and the
//! simulation, having nothing random to draw, must reproduce it in every
//! iteration: the same project duration, criticality 1 on the binding chain
//! and 0 off it, and every task's finish-day histogram in one bin.
//!
//! Time is working days elapsed since the start; a task that ends at time
//! `t > 0` finishes on working day `ceil(t)`, a milestone at time `t` on
//! working day `max(1, ceil(t))` (the README, "Calendar semantics").

use std::collections::BTreeSet;

use chrono::NaiveDate;
use slipcast::analysis::{Forecast, ForecastOptions, histogram_quantile};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::plan::{
    Calendar, Plan, Scenario, WEEKDAYS, load_holidays, parse_plan, parse_workdays,
};

/// Iterations for the simulated checks: not a multiple of the 64-iteration
/// batch, so a partial batch is exercised too.
const ITERATIONS: u64 = 1_000;

fn plan(csv: &str) -> Plan {
    parse_plan("schedule.csv", csv, None).expect("test plan is valid")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("ISO date")
}

/// One task's expected schedule: id, start, finish, on the critical path.
type Row = (&'static str, f64, f64, bool);

/// Checks the deterministic schedule of `csv` (with the project finish at
/// `milestone`, if given) against `rows` and `project`, then checks that the
/// simulation reproduces it in every iteration.
fn check(csv: &str, milestone: Option<&str>, project: f64, rows: &[Row]) {
    let plan = plan(csv);
    assert_eq!(
        rows.len(),
        plan.tasks.len(),
        "every task has an expectation"
    );
    let m = milestone.map(|id| plan.index_of(id).expect("milestone id"));
    let net = Network::compile(&plan, m);
    let det = deterministic(&net);
    for &(id, start, finish, critical) in rows {
        let t = plan.index_of(id).expect("task id");
        assert_eq!(
            (det.start[t], det.finish[t], det.critical[t]),
            (start, finish, critical),
            "task {id}: (start, finish, critical)"
        );
    }
    assert_eq!(det.project, project, "deterministic project duration");

    let out = simulate(&net, &SimOptions::full(ITERATIONS, 5));
    assert_eq!(out.project.len(), ITERATIONS as usize);
    for (i, &p) in out.project.iter().enumerate() {
        assert_eq!(
            p.to_bits(),
            (project as f32).to_bits(),
            "iteration {i}: project {p}, want {project}"
        );
    }
    let critical = out.critical.as_ref().expect("criticality counted");
    let days = out.finish_days.as_ref().expect("finish days counted");
    for &(id, _, finish, on_path) in rows {
        let t = plan.index_of(id).unwrap();
        let want = if on_path { ITERATIONS } else { 0 };
        assert_eq!(critical[t], want, "task {id}: critical iterations");
        // Every iteration finishes on the same working day.
        let day = Calendar::day_of(finish);
        assert_eq!(days.counts[t].iter().sum::<u64>(), ITERATIONS);
        for q in [0.0, 0.5, 1.0] {
            let got = histogram_quantile(&days.counts[t], days.first_day[t], days.width, q);
            assert_eq!(got, day, "task {id}: finish day at q = {q}");
        }
    }
}

// ---------------------------------------------------------------------------
// Link types and lags. Each plan has a decoy task Z that is never critical.
// ---------------------------------------------------------------------------

#[test]
fn finish_to_start_with_lag() {
    // A: 0 -> 5. B (A+2): starts 5 + 2 = 7, ends 7 + 3 = 10. Z: 0 -> 9.
    // Project 10 = B's finish; B's start is bound by A's finish + 2, so A is
    // critical too.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,3,fixed,A+2\nZ,9,fixed,\n",
        None,
        10.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 7.0, 10.0, true),
            ("Z", 0.0, 9.0, false),
        ],
    );
}

#[test]
fn finish_to_start_with_lead() {
    // A: 0 -> 5. B: starts 5 - 1 = 4, ends 4 + 3 = 7. C (A:FS-1, the
    // same link with its type spelled out): 4 -> 6. Z: 0 -> 6.5.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,3,fixed,A-1\nC,2,fixed,A:FS-1\nZ,6.5,fixed,\n",
        None,
        7.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 4.0, 7.0, true),
            ("C", 4.0, 6.0, false),
            ("Z", 0.0, 6.5, false),
        ],
    );
}

/// The README allows any id without `;`, `:` or spaces, so `sprint-1` is an
/// id, and a `depends_on` cell naming it is a plain FS link to it.
///
/// Bug: `LinkSpec::parse` reads a trailing `-<number>` as a lead before the
/// ids are known, so `sprint-1` becomes "`sprint` with a 1-day lead". With no
/// task `sprint` the plan is rejected ("depends on \"sprint\", which is not a
/// task id ... did you mean \"sprint-2\"?"); with one, the link silently
/// points at the wrong task. Fix: when resolving, prefer the whole text when
/// it is a task id (a lead on `sprint` can still be written `sprint:FS-1`).
#[test]
fn links_to_ids_ending_in_a_number() {
    // sprint-1: 0 -> 5. sprint-2 (sprint-1): 5 -> 8.
    check(
        "id,likely,dist,depends_on\nsprint-1,5,fixed,\nsprint-2,3,fixed,sprint-1\n",
        None,
        8.0,
        &[("sprint-1", 0.0, 5.0, true), ("sprint-2", 5.0, 8.0, true)],
    );
    // With a task `sprint` too: X (sprint-1) waits for sprint-1: 5 -> 8,
    // while Y (sprint:FS-1) starts 2 - 1 = 1 and ends 2.
    check(
        "id,likely,dist,depends_on\n\
         sprint,2,fixed,\n\
         sprint-1,5,fixed,\n\
         X,3,fixed,sprint-1\n\
         Y,1,fixed,sprint:FS-1\n",
        None,
        8.0,
        &[
            ("sprint", 0.0, 2.0, false),
            ("sprint-1", 0.0, 5.0, true),
            ("X", 5.0, 8.0, true),
            ("Y", 1.0, 2.0, false),
        ],
    );
}

#[test]
fn start_to_start_with_lag() {
    // A: 0 -> 5. B (A:SS+2): starts 0 + 2 = 2, ends 2 + 6 = 8. Z: 0 -> 7.
    // A ends before the project but is critical: its start binds B's.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,6,fixed,A:SS+2\nZ,7,fixed,\n",
        None,
        8.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 2.0, 8.0, true),
            ("Z", 0.0, 7.0, false),
        ],
    );
}

#[test]
fn finish_to_finish_with_lag() {
    // A: 0 -> 5. B (A:FF+3): finishes no earlier than 5 + 3 = 8, so starts
    // 8 - 2 = 6. Z: 0 -> 7.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,2,fixed,A:FF+3\nZ,7,fixed,\n",
        None,
        8.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 6.0, 8.0, true),
            ("Z", 0.0, 7.0, false),
        ],
    );
}

#[test]
fn start_to_finish_with_lag() {
    // P: 0 -> 3. A (P): 3 -> 8. B (A:SF+7): finishes no earlier than A's
    // start + 7 = 10, so starts 10 - 6 = 4. Z: 0 -> 9.5.
    // Critical chain: P -> A (FS) -> B (SF from A's start); A itself ends at
    // 8, before the project.
    check(
        "id,likely,dist,depends_on\nP,3,fixed,\nA,5,fixed,P\nB,6,fixed,A:SF+7\nZ,9.5,fixed,\n",
        None,
        10.0,
        &[
            ("P", 0.0, 3.0, true),
            ("A", 3.0, 8.0, true),
            ("B", 4.0, 10.0, true),
            ("Z", 0.0, 9.5, false),
        ],
    );
}

#[test]
fn start_to_finish_without_lag() {
    // P: 0 -> 4. A (P): 4 -> 6. B (A:SF): finishes no earlier than A's start
    // 4, so starts 4 - 1 = 3 and ends 4. Project 6 = A; B is not critical.
    check(
        "id,likely,dist,depends_on\nP,4,fixed,\nA,2,fixed,P\nB,1,fixed,A:SF\n",
        None,
        6.0,
        &[
            ("P", 0.0, 4.0, true),
            ("A", 4.0, 6.0, true),
            ("B", 3.0, 4.0, false),
        ],
    );
}

#[test]
fn leads_never_start_before_day_zero() {
    // A: 0 -> 5. B: 5 - 8 = -3, clamped to 0; ends 7. C (A:SS-2):
    // 0 - 2 = -2, clamped to 0; ends 1.
    // Project 7 = B. B's start is set by day 0, not by A, so A is not
    // critical.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,7,fixed,A-8\nC,1,fixed,A:SS-2\n",
        None,
        7.0,
        &[
            ("A", 0.0, 5.0, false),
            ("B", 0.0, 7.0, true),
            ("C", 0.0, 1.0, false),
        ],
    );
}

#[test]
fn finish_links_never_start_before_day_zero() {
    // A: 0 -> 5. B (A:FF): finishes no earlier than 5, but 5 - 10 = -5 is
    // clamped to 0, so B runs 0 -> 10 and A does not bind it.
    check(
        "id,likely,dist,depends_on\nA,5,fixed,\nB,10,fixed,A:FF\n",
        None,
        10.0,
        &[("A", 0.0, 5.0, false), ("B", 0.0, 10.0, true)],
    );
}

#[test]
fn start_and_finish_links_together() {
    // A: 0 -> 10. Both B and C have A:SS+4;A:FF+2 (start >= 4, finish >= 12).
    // B (3 days): start = max(4, 12 - 3) = 9, ends 12 (the FF link binds).
    // C (9 days): start = max(4, 12 - 9) = 4, ends 13 (the SS link binds).
    // Project 13 = C; A is critical through C's SS link; B is not critical.
    check(
        "id,likely,dist,depends_on\nA,10,fixed,\nB,3,fixed,A:SS+4;A:FF+2\nC,9,fixed,A:SS+4;A:FF+2\n",
        None,
        13.0,
        &[
            ("A", 0.0, 10.0, true),
            ("B", 9.0, 12.0, false),
            ("C", 4.0, 13.0, true),
        ],
    );
}

#[test]
fn latest_link_wins_and_only_it_is_critical() {
    // A: 0 -> 4. B: 0 -> 6. C (A+1;B): start = max(4 + 1, 6) = 6, ends 8.
    // Only the binding predecessor B is critical.
    check(
        "id,likely,dist,depends_on\nA,4,fixed,\nB,6,fixed,\nC,2,fixed,A+1;B\n",
        None,
        8.0,
        &[
            ("A", 0.0, 4.0, false),
            ("B", 0.0, 6.0, true),
            ("C", 6.0, 8.0, true),
        ],
    );
}

// ---------------------------------------------------------------------------
// Status, milestones, planned values.
// ---------------------------------------------------------------------------

#[test]
fn done_tasks_take_no_time_and_wait_for_nothing() {
    // P: 0 -> 4. A is done: its estimate (5/6/8) is ignored, its link to P is
    // dropped, so it runs 0 -> 0. B (A): starts at A's finish 0, ends 3.
    // Project 4 = P alone.
    check(
        "id,low,likely,high,dist,depends_on,status\n\
         P,,4,,fixed,,\n\
         A,5,6,8,pert,P,done\n\
         B,,3,,fixed,A,\n",
        None,
        4.0,
        &[
            ("P", 0.0, 4.0, true),
            ("A", 0.0, 0.0, false),
            ("B", 0.0, 3.0, false),
        ],
    );
}

#[test]
fn in_progress_tasks_ignore_start_links() {
    // A: 0 -> 5. B in progress (A): FS link ignored, remaining 2: 0 -> 2.
    // C in progress (A:FF+1): the finish link still holds: finish >= 6, so
    // 4 -> 6. E in progress (A:SS+1): SS link ignored: 0 -> 1.
    // D (B): 2 -> 3. Project 6 = C, bound by A's finish.
    check(
        "id,likely,dist,depends_on,status\n\
         A,5,fixed,,\n\
         B,2,fixed,A,in_progress\n\
         C,2,fixed,A:FF+1,in_progress\n\
         D,1,fixed,B,\n\
         E,1,fixed,A:SS+1,in_progress\n",
        None,
        6.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 0.0, 2.0, false),
            ("C", 4.0, 6.0, true),
            ("D", 2.0, 3.0, false),
            ("E", 0.0, 1.0, false),
        ],
    );
}

const MILESTONE_PLAN: &str = "id,likely,dist,depends_on\n\
                              A,5,fixed,\n\
                              B,3,fixed,A\n\
                              C,20,fixed,\n\
                              M,0,fixed,B\n";

#[test]
fn project_finish_is_the_latest_task() {
    // A: 0 -> 5, B: 5 -> 8, M: 8 -> 8, C: 0 -> 20. Project 20 = C.
    check(
        MILESTONE_PLAN,
        None,
        20.0,
        &[
            ("A", 0.0, 5.0, false),
            ("B", 5.0, 8.0, false),
            ("C", 0.0, 20.0, true),
            ("M", 8.0, 8.0, false),
        ],
    );
}

#[test]
fn milestone_sets_the_project_finish() {
    // Same plan, --milestone M: project = M's finish 8; the longer C is
    // outside the forecast and never critical.
    check(
        MILESTONE_PLAN,
        Some("M"),
        8.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 5.0, 8.0, true),
            ("C", 0.0, 20.0, false),
            ("M", 8.0, 8.0, true),
        ],
    );
    // --milestone A: project 5; B after it does not count.
    check(
        MILESTONE_PLAN,
        Some("A"),
        5.0,
        &[
            ("A", 0.0, 5.0, true),
            ("B", 5.0, 8.0, false),
            ("C", 0.0, 20.0, false),
            ("M", 8.0, 8.0, false),
        ],
    );
}

#[test]
fn plan_of_milestones_only_finishes_at_zero() {
    // Two zero-duration tasks: 0 -> 0 both; both end at the project finish 0.
    check(
        "id,likely,dist,depends_on\nK,0,fixed,\nM,0,fixed,K\n",
        None,
        0.0,
        &[("K", 0.0, 0.0, true), ("M", 0.0, 0.0, true)],
    );
}

#[test]
fn deterministic_schedule_uses_likely_values() {
    // The CPM schedule adds up likely values: PERT 2/4/9 -> 4, triangular
    // 1/3/8 -> 3, uniform 2..6 -> its midpoint 4 (no likely), normal 80%
    // 10..20 -> its mean, 15 but for the 0.006% that truncation at zero
    // takes away (the fit keeps P10 at 10 and P90 at 20 as truncated, so
    // the parent's mean is 14.9993; beside the chain, ends there).
    // A: 0 -> 4, B (A): 4 -> 7, C (B): 7 -> 11, N: 0 -> 14.9993. Project = N.
    let plan = plan(
        "id,low,likely,high,dist,confidence,depends_on\n\
         A,2,4,9,pert,,\n\
         B,1,3,8,triangular,,A\n\
         C,2,,6,uniform,,B\n\
         N,10,,20,normal,80,\n",
    );
    let det = deterministic(&Network::compile(&plan, None));
    assert_eq!(det.start, [0.0, 4.0, 7.0, 0.0]);
    let n = det.finish[3];
    assert!((n - 15.0).abs() < 1e-3, "{n}");
    assert_eq!(
        f64::from(n as f32),
        f64::from(plan.tasks[3].estimate.planned() as f32)
    );
    assert_eq!(det.finish, [4.0, 7.0, 11.0, n]);
    assert_eq!(det.critical, [false, false, false, true]);
    assert_eq!(det.project, n);
}

// ---------------------------------------------------------------------------
// Dates, through the forecast summary.
// ---------------------------------------------------------------------------

/// Simulates `plan` (all fixed) and summarizes it on `cal`.
fn forecast(plan: &Plan, cal: &Calendar, milestone: Option<usize>) -> Forecast {
    let sc = Scenario {
        milestone,
        ..Scenario::new(plan.clone())
    };
    let opts = ForecastOptions {
        basic: true,
        ..ForecastOptions::new(cal, ITERATIONS, 9)
    };
    slipcast::analysis::forecast(&sc, &opts, None).unwrap().0
}

/// Asserts a task's planned and simulated P50/P80/P90 finish dates.
fn task_finishes_on(f: &Forecast, id: &str, day: &str) {
    let t = f
        .tasks
        .iter()
        .find(|t| t.id == id)
        .expect("task in forecast");
    let d = date(day);
    assert_eq!(
        (t.planned_finish, t.finish.p50, t.finish.p80, t.finish.p90),
        (d, d, d, d),
        "task {id}: planned, P50, P80, P90 finish dates"
    );
}

/// Asserts the project's P10..P90 and deterministic finish dates.
fn project_finishes_on(f: &Forecast, day: &str) {
    let d = date(day);
    let p = &f.finish;
    assert_eq!(
        (p.p10, p.p50, p.p80, p.p90, f.deterministic.finish),
        (d, d, d, d, d),
        "project P10, P50, P80, P90 and deterministic finish dates"
    );
}

#[test]
fn design_example_with_a_holiday() {
    // the README: start Mon 2027-01-04, A fixed 5 then B fixed 3, holiday
    // 2027-01-11. Working days: 1 Mon 04, 2 Tue 05, 3 Wed 06, 4 Thu 07,
    // 5 Fri 08, (Sat 09, Sun 10, Mon 11 holiday), 6 Tue 12, 7 Wed 13,
    // 8 Thu 14. A ends at 5 -> Fri 2027-01-08; B ends at 8 -> Thu 2027-01-14.
    let plan = plan("id,likely,dist,depends_on\nA,5,fixed,\nB,3,fixed,A\n");
    let cal = Calendar::new(date("2027-01-04"), WEEKDAYS, [date("2027-01-11")].into()).unwrap();
    let f = forecast(&plan, &cal, None);
    task_finishes_on(&f, "A", "2027-01-08");
    task_finishes_on(&f, "B", "2027-01-14");
    project_finishes_on(&f, "2027-01-14");
    assert_eq!(f.run.start, date("2027-01-04"));
    assert_eq!(f.run.calendar.holidays, [date("2027-01-11")]);
    let d = &f.duration;
    assert_eq!(
        [d.mean, d.std, d.min, d.p10, d.p50, d.p80, d.p90, d.max],
        [8.0, 0.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0]
    );
    assert_eq!(f.deterministic.duration, 8.0);
    assert_eq!(f.deterministic.probability, 1.0);
    assert_eq!(f.deterministic.critical_path, ["A", "B"]);
    for t in &f.tasks {
        assert_eq!(t.criticality, 1.0, "task {}", t.id);
        assert!(t.on_plan_critical_path);
    }
    assert_eq!(f.percentiles.len(), 99);
    for row in &f.percentiles {
        assert_eq!((row.duration, row.finish), (8.0, date("2027-01-14")));
    }
}

#[test]
fn design_example_with_the_holidays_file() {
    // The same plan with the 2027 US holidays file, starting Thu 2027-01-14
    // (Martin Luther King Jr. Day, Mon 2027-01-18, is in the file):
    // 1 Thu 14, 2 Fri 15, (Sat 16, Sun 17, Mon 18 holiday), 3 Tue 19,
    // 4 Wed 20, 5 Thu 21, 6 Fri 22, 7 Mon 25, 8 Tue 26.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/examples/holidays-2027.csv"
    );
    let holidays = load_holidays(std::path::Path::new(path)).expect("holidays file");
    assert!(holidays.contains(&date("2027-01-18")));
    let cal = Calendar::new(date("2027-01-14"), WEEKDAYS, holidays).unwrap();
    let plan = plan("id,likely,dist,depends_on\nA,5,fixed,\nB,3,fixed,A\n");
    let f = forecast(&plan, &cal, None);
    task_finishes_on(&f, "A", "2027-01-21");
    task_finishes_on(&f, "B", "2027-01-26");
    project_finishes_on(&f, "2027-01-26");
}

#[test]
fn weekends_are_skipped() {
    // Start Wed 2027-01-06: 1 Wed 06, 2 Thu 07, 3 Fri 08, (weekend),
    // 4 Mon 11, 5 Tue 12.
    // A: 0 -> 3 (Fri 08). B (A): 3 -> 4 (Mon 11). C (B): 4 -> 4.5, day
    // ceil(4.5) = 5 (Tue 12).
    let plan = plan("id,likely,dist,depends_on\nA,3,fixed,\nB,1,fixed,A\nC,0.5,fixed,B\n");
    let f = forecast(&plan, &Calendar::weekdays(date("2027-01-06")), None);
    task_finishes_on(&f, "A", "2027-01-08");
    task_finishes_on(&f, "B", "2027-01-11");
    task_finishes_on(&f, "C", "2027-01-12");
    project_finishes_on(&f, "2027-01-12");
    assert_eq!(f.duration.p50, 4.5);
}

#[test]
fn a_weekend_start_begins_on_monday() {
    // Start Sat 2027-01-02: working day 1 is Mon 2027-01-04; a 5-day task
    // ends on day 5, Fri 2027-01-08, and a milestone at time 0 shows on
    // day max(1, ceil(0)) = 1, Mon 2027-01-04.
    let plan = plan("id,likely,dist\nK,0,fixed\nA,5,fixed\n");
    let f = forecast(&plan, &Calendar::weekdays(date("2027-01-02")), None);
    assert_eq!(f.run.start, date("2027-01-02"));
    task_finishes_on(&f, "K", "2027-01-04");
    task_finishes_on(&f, "A", "2027-01-08");
    project_finishes_on(&f, "2027-01-08");
}

#[test]
fn other_workweeks() {
    // Sun-Thu from Sun 2027-01-03: 1 Sun 03, 2 Mon 04, 3 Tue 05, 4 Wed 06,
    // 5 Thu 07, (Fri 08, Sat 09), 6 Sun 10. A: 0 -> 5 (Thu 07); B (A): 5 -> 6
    // (Sun 10).
    let days = parse_workdays("Sun-Thu").unwrap();
    let cal = Calendar::new(date("2027-01-03"), days, BTreeSet::new()).unwrap();
    let plan = plan("id,likely,dist,depends_on\nA,5,fixed,\nB,1,fixed,A\n");
    let f = forecast(&plan, &cal, None);
    task_finishes_on(&f, "A", "2027-01-07");
    task_finishes_on(&f, "B", "2027-01-10");
}

#[test]
fn zero_duration_milestones_show_on_the_day_they_are_reached() {
    // Start Mon 2027-01-04 (Mon-Fri): 1 Mon 04, 2 Tue 05, 3 Wed 06, 4 Thu 07,
    // 5 Fri 08, 6 Mon 11.
    // K: milestone at 0 -> day max(1, ceil(0)) = 1, Mon 04.
    // A: 0 -> 2.5, day 3, Wed 06. M1 (A): at 2.5 -> day 3, Wed 06.
    // B (A): 2.5 -> 5.0, day 5, Fri 08. M2 (B): at 5 -> day 5, Fri 08 (not the
    // next day: a milestone at a whole day is on that day).
    // C (M2): 5 -> 5.5, day 6, Mon 11.
    let plan = plan(
        "id,likely,dist,depends_on\n\
         K,0,fixed,\n\
         A,2.5,fixed,\n\
         M1,0,fixed,A\n\
         B,2.5,fixed,A\n\
         M2,0,fixed,B\n\
         C,0.5,fixed,M2\n",
    );
    let f = forecast(&plan, &Calendar::weekdays(date("2027-01-04")), None);
    task_finishes_on(&f, "K", "2027-01-04");
    task_finishes_on(&f, "A", "2027-01-06");
    task_finishes_on(&f, "M1", "2027-01-06");
    task_finishes_on(&f, "B", "2027-01-08");
    task_finishes_on(&f, "M2", "2027-01-08");
    task_finishes_on(&f, "C", "2027-01-11");
    project_finishes_on(&f, "2027-01-11");

    // --milestone M2: the project finishes at 5, Fri 08; its critical path
    // is A -> B -> M2 (K, M1 and C are off it).
    let m2 = plan.index_of("M2");
    let f = forecast(&plan, &Calendar::weekdays(date("2027-01-04")), m2);
    project_finishes_on(&f, "2027-01-08");
    assert_eq!(f.run.milestone.as_deref(), Some("M2"));
    assert_eq!(f.duration.p50, 5.0);
    assert_eq!(f.deterministic.critical_path, ["A", "B", "M2"]);
}

#[test]
fn decimal_durations_that_add_up_to_a_whole_day_stay_on_it() {
    // Ten chained 0.1-day tasks end at 10 x 0.1 = 1 working day: day 1, Mon
    // 2027-01-04, not Tue 2027-01-05. In f32 the sum is 1.0000001 (ten
    // roundings of 0.1), which the calendar's tolerance (3e-4 days) absorbs.
    let mut csv = String::from("id,likely,dist,depends_on\nT0,0.1,fixed,\n");
    for k in 1..10 {
        csv += &format!("T{k},0.1,fixed,T{}\n", k - 1);
    }
    let f = forecast(&plan(&csv), &Calendar::weekdays(date("2027-01-04")), None);
    assert!((f.duration.p50 - 1.0).abs() < 1e-5, "{}", f.duration.p50);
    task_finishes_on(&f, "T9", "2027-01-04");
    project_finishes_on(&f, "2027-01-04");
    assert_eq!(f.deterministic.probability, 1.0);
}
