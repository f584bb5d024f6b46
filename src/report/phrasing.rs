//! How a forecast's findings are put into words, the same way in the
//! charts, the HTML report and the Markdown summary (numbers and dates are
//! written by [`super::format`]).

use chrono::NaiveDate;

use super::format::{
    days_of, finish_of, fixed, long_date, percent, signed_interval, task_calendars,
};
use crate::analysis::{CapacityFindings, Forecast, HeadcountFinding};

/// The working-day number of `date` in the forecast's finish histogram, if
/// the histogram covers it (it covers every day from the earliest simulated
/// finish to P99.9, and the plan date).
pub fn workday_number(f: &Forecast, date: NaiveDate) -> Option<u64> {
    f.finish_days.iter().find(|d| d.date == date).map(|d| d.day)
}

/// Where `date` lies against the plan date, in working days (calendar days
/// for a plan whose tasks keep their own calendars):
/// `8 working days after the plan date`, `on the plan date`, or `1 working
/// day before the plan date`. `None` if the histogram does not cover both.
pub fn against_plan(f: &Forecast, date: NaiveDate) -> Option<String> {
    let d = workday_number(f, date)?;
    let p = workday_number(f, f.deterministic.finish)?;
    // A plan whose tasks keep their own calendars counts calendar days.
    let days = |n: u64| days_of(&f.run, n);
    Some(match d.cmp(&p) {
        std::cmp::Ordering::Equal => "on the plan date".to_string(),
        std::cmp::Ordering::Greater => format!("{} after the plan date", days(d - p)),
        std::cmp::Ordering::Less => format!("{} before the plan date", days(p - d)),
    })
}

/// What is forecast: `the finish of milestone "ga"` or `the finish of all
/// tasks`.
pub fn target(f: &Forecast) -> String {
    format!("the finish of {}", finish_of(f.run.milestone.as_deref()))
}

/// The headline commitment: "We are 80% confident of delivery by Wed
/// 2027-03-31; the plan date, Fri 2027-03-19, has a 4% chance."
///
/// When every iteration gives the same finish, there is no confidence to
/// state, and the headline says so instead, with the fix.
pub fn commitment(f: &Forecast) -> String {
    let mut s = if is_certain(f) {
        format!(
            "Every iteration gives the same date, {}: the plan has no uncertainty (no task has a range and no risk adds any), so this is a single schedule, not a forecast. Give tasks low and high estimates, or a risk register.",
            long_date(f.finish.p50)
        )
    } else {
        format!(
            "We are 80% confident of delivery by {}; the plan date, {}, has a {} chance.",
            long_date(f.finish.p80),
            long_date(f.deterministic.finish),
            percent(f.deterministic.probability)
        )
    };
    if let Some(t) = &f.target {
        s.push_str(&format!(
            " The target, {}, has a {} chance.",
            long_date(t.date),
            percent(t.probability)
        ));
    }
    s
}

/// Whether every iteration of `f` finishes at the same time: a plan with
/// nothing uncertain, whose percentiles, spread and drivers say nothing.
pub fn is_certain(f: &Forecast) -> bool {
    f.duration.max <= f.duration.min
}

/// For a plan with nothing uncertain ([`is_certain`]), the one sentence
/// that replaces its statistics: "Every estimate is fixed and there are no
/// risks: the plan finishes on Fri 2027-01-15 in every iteration."
pub fn certain(f: &Forecast) -> Option<String> {
    is_certain(f).then(|| {
        let why = if f.risk_register.is_empty() {
            "Every estimate is fixed and there are no risks"
        } else {
            "No estimate varies and no risk changes the finish from one iteration to the next"
        };
        format!(
            "{why}: the plan finishes on {} in every iteration.",
            long_date(f.finish.p50)
        )
    })
}

/// The calendar in words: `Mon-Fri, 11 holidays (holidays-2027.csv)`; for a
/// plan whose tasks keep their own calendars, those calendars: `3 task
/// calendars: A, B, C; days are calendar days`.
pub fn calendar(f: &Forecast) -> String {
    let c = &f.run.calendar;
    if let Some(cals) = task_calendars(&f.run) {
        return cals;
    }
    let mut s = c.workdays.clone();
    match c.holidays.len() {
        0 => s.push_str(", no holidays"),
        1 => s.push_str(", 1 holiday"),
        n => s.push_str(&format!(", {n} holidays")),
    }
    if let Some(file) = &c.holidays_file {
        s.push_str(&format!(" ({file})"));
    }
    s
}

/// The buffer between the plan date and P80, and what unplanned work takes
/// of it: `Buffer: P80 is 26.0 working days past the plan date Fri
/// 2027-03-12 (24% of the plan); unplanned work takes +11.0 [+10.2, +11.8]
/// of them (...)`.
pub fn buffer(c: &CapacityFindings, plan_date: NaiveDate, unit: &str) -> String {
    let b = &c.buffer;
    let share = if b.plan_days > 0.0 {
        format!(" ({}% of the plan)", fixed(100.0 * b.days / b.plan_days, 0))
    } else {
        String::new()
    };
    let mut s = format!(
        "Buffer: P80 is {} {unit} past the plan date {}{share}",
        fixed(b.days, 1),
        long_date(plan_date),
    );
    match (&b.unplanned_p80, b.p80_without_unplanned) {
        (Some(u), Some(w)) => s.push_str(&format!(
            "; unplanned work takes {} of them (P80 {} with it, {} without): that part of \
             the buffer is time the teams will spend, not slack.",
            signed_interval(u),
            fixed(b.p80_days, 1),
            fixed(w, 1)
        )),
        _ => s.push_str("; no team loses time to unplanned work."),
    }
    s
}

/// One headcount what-if: `Headcount payments +1: P80 -4.0 [-4.6, -3.4]
/// working days (Tue 13 Apr 2027), P50 -3.0 [...] (...)`. The change names
/// a team from the plan: make it inert where it goes.
pub fn headcount(h: &HeadcountFinding, unit: &str) -> String {
    format!(
        "Headcount {}: P80 {} {unit} ({}), P50 {} ({}).",
        h.change,
        signed_interval(&h.p80_change),
        long_date(h.p80),
        signed_interval(&h.p50_change),
        long_date(h.p50)
    )
}
