//! The terminal summary: short enough to paste into a status email.
//!
//! Plan text in it (ids, names, the plan's file name) is shown through
//! [`visible_line`], and the whole summary through [`visible`], so control
//! characters in a plan print as escapes instead of acting on the terminal.

use std::fmt::Write;

use super::format::{
    count, day_unit, fixed, group_digits, long_date as date, percent, signed, start_and_calendar,
    truncate,
};
use super::inert::{visible, visible_line};
use super::phrasing;
use super::{ExportError, Exporter};
use crate::analysis::{DriverKind, Forecast};

/// Renders the terminal summary, listing the `top` most critical tasks.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// How many of the most critical tasks to list.
    pub top: usize,
}

impl Exporter<Forecast> for Terminal {
    fn file_name(&self) -> Option<&'static str> {
        None
    }

    fn render(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        Ok(self.text(f).into_bytes())
    }
}

fn capitalized(unit: &str) -> String {
    let mut c = unit.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl Terminal {
    /// The summary text.
    pub fn text(&self, f: &Forecast) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Forecast for {} ({}, {})",
            visible_line(f.run.plan()),
            count(f.task_count as u64, "task"),
            super::cutline::finish_line(&f.run)
        );
        let _ = writeln!(
            s,
            "{} iterations, seed {}; {}",
            group_digits(f.run.iterations),
            f.run.seed,
            start_and_calendar(&f.run)
        );
        // Plans whose tasks keep their own calendars count calendar days.
        let unit = day_unit(&f.run);
        if let Some(p) = &f.precision {
            let _ = writeln!(
                s,
                "--precision {}: {} iterations ({}) {} P50/P80/P90 to ± {} {unit}",
                p.target_days,
                group_digits(p.iterations),
                count(u64::from(p.rounds), "round"),
                if p.reached { "pin" } else { "could only pin" },
                fixed(p.half_width, 3)
            );
        }
        let _ = writeln!(s);
        if let Some(sentence) = phrasing::certain(f) {
            // Nothing varies: no percentiles, spread or chance to show.
            let _ = writeln!(
                s,
                "{sentence} To forecast, give tasks low and high estimates (for a P6 or MS \
                 Project plan, --ranges FILE or --range 90,100,130), or a risk register."
            );
            // With team capacity the one finish can still miss the plan date.
            let det = &f.deterministic;
            if det.finish != f.finish.p50 {
                let _ = writeln!(
                    s,
                    "The plan date on likely durations, {} ({} {unit}), is never met.",
                    date(det.finish),
                    fixed(det.duration, 1)
                );
            }
        } else {
            percentile_table(f, &mut s);
        }
        s.push_str(&super::questions::questions_text(f));
        let mut tasks: Vec<_> = f.tasks.iter().filter(|t| t.criticality > 0.0).collect();
        // Most critical first; among equals, the ones whose spread matters.
        // Most critical first (to the whole percent shown); among equals,
        // the ones whose spread matters.
        let shown = |c: f64| (c * 100.0).round();
        tasks.sort_by(|a, b| {
            shown(b.criticality)
                .total_cmp(&shown(a.criticality))
                .then(b.ssi.unwrap_or(0.0).total_cmp(&a.ssi.unwrap_or(0.0)))
        });
        if self.top > 0 && !tasks.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "Most critical tasks (crit: share of iterations on the critical path; sens: rank correlation with the finish):"
            );
            let _ = writeln!(
                s,
                "  {:>6}  {:>5}  {:<24} {:<34} {:<10}  {:<10}",
                "crit", "sens", "id", "name", "P50", "P80"
            );
            for t in tasks.iter().take(self.top) {
                let sens = t
                    .sensitivity
                    .map_or_else(|| "-".to_string(), |x| fixed(x, 2));
                let _ = writeln!(
                    s,
                    "  {:>6}  {:>5}  {:<24} {:<34} {}  {}",
                    percent(t.criticality),
                    sens,
                    truncate(&visible_line(&t.id), 24),
                    truncate(&visible_line(&t.name), 34),
                    t.finish.p50,
                    t.finish.p80
                );
            }
        }
        let drivers: Vec<_> = f
            .drivers
            .iter()
            .filter(|d| d.p80_days.abs() >= 0.05)
            .collect();
        if self.top > 0 && !drivers.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "What drives the date ({unit} of P80 / P50 each one adds; removing it would pull the date in by that much)."
            );
            let _ = writeln!(
                s,
                "± is the 95% interval of the P80 figure; the reruns cover the first {} iterations:",
                group_digits(f.driver_iterations)
            );
            let _ = writeln!(
                s,
                "  {:>6} {:>6}  {:>6}  {:<11} {:<24} name",
                "P80", "±", "P50", "kind", "id"
            );
            for d in drivers.iter().take(self.top) {
                let kind = match d.kind {
                    DriverKind::Task => "uncertainty",
                    other => other.as_str(),
                };
                let _ = writeln!(
                    s,
                    "  {:>6} {:>6}  {:>6}  {:<11} {:<24} {}",
                    signed(d.p80_days, 1),
                    plus_minus(d),
                    signed(d.p50_days, 1),
                    kind,
                    truncate(&visible_line(&d.id), 24),
                    truncate(&visible_line(&d.name), 40)
                );
            }
        }
        if let Some(c) = &f.capacity {
            s.push_str(&capacity_text(c, f, unit));
        }
        visible(&s).into_owned()
    }
}

/// The percentiles with their intervals, the spread, the commitment and
/// the plan date's chance: the body of a forecast with uncertainty.
fn percentile_table(f: &Forecast, s: &mut String) {
    let unit = day_unit(&f.run);
    let d = &f.duration;
    let _ = writeln!(
        s,
        "  Confidence  Finish date       {:<12}  (95% interval of the estimate)",
        capitalized(unit)
    );
    let iv = &f.intervals;
    for (label, when, days, ci) in [
        ("P10", f.finish.p10, d.p10, &iv.p10),
        ("P50", f.finish.p50, d.p50, &iv.p50),
        ("P80", f.finish.p80, d.p80, &iv.p80),
        ("P90", f.finish.p90, d.p90, &iv.p90),
    ] {
        let _ = writeln!(
            s,
            "  {label:<10}  {}    {:>8}      (± {} {unit})",
            date(when),
            fixed(days, 1),
            fixed(ci.half_width, 2)
        );
    }
    let _ = writeln!(
        s,
        "  Mean {} {unit}, standard deviation {} (range {} to {})",
        fixed(d.mean, 1),
        fixed(d.std, 1),
        fixed(d.min, 1),
        fixed(d.max, 1)
    );
    let _ = writeln!(s);
    let det = &f.deterministic;
    let _ = writeln!(
        s,
        "We are 80% confident of finishing by {}, and 50% by {}.",
        date(f.finish.p80),
        date(f.finish.p50)
    );
    let _ = writeln!(
        s,
        "The plan date on likely durations, {} ({} {unit}), has a {} chance.",
        date(det.finish),
        fixed(det.duration, 1),
        percent(det.probability)
    );
}

/// The capacity block: per team, what its queue costs at P80; the buffer
/// between the plan date and P80 and what unplanned work takes of it; and
/// each headcount what-if.
fn capacity_text(c: &crate::analysis::CapacityFindings, f: &Forecast, unit: &str) -> String {
    use crate::report::format::{share_range, signed_interval};
    let mut s = String::new();
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Team capacity (queue: {unit} of P80 the team's people add, with its 95% interval; with \
         its people unbounded the date would pull in by that much; first {} iterations, common \
         random numbers):",
        group_digits(c.iterations)
    );
    let _ = writeln!(
        s,
        "  {:<20}  {:<20} {:>6}  {:>9}  {:>5}",
        "queue", "team", "people", "unplanned", "tasks"
    );
    for t in &c.teams {
        let _ = writeln!(
            s,
            "  {:<20}  {:<20} {:>6}  {:>9}  {:>5}",
            signed_interval(&t.queue_p80),
            truncate(&visible_line(&t.team), 20),
            t.people,
            share_range(t.unplanned),
            t.tasks
        );
    }
    let _ = writeln!(s, "{}", phrasing::buffer(c, f.deterministic.finish, unit));
    for h in &c.headcount {
        let _ = writeln!(s, "{}", visible_line(&phrasing::headcount(h, unit)));
    }
    s
}

/// The half-width of a driver's 95% P80 interval, `±0.04`, or blank.
fn plus_minus(d: &crate::analysis::Driver) -> String {
    match (d.p80_low, d.p80_high) {
        (Some(l), Some(h)) => format!("±{:.2}", (h - l) / 2.0),
        _ => String::new(),
    }
}
