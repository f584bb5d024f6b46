//! Views of an explained percentile (`slipcast explain`): the terminal
//! text, `explain.json`, `explain.csv` (the per-task table) and the Gantt
//! chart (`gantt.png`, `gantt.svg`). Everything shown was computed in
//! [`crate::analysis::explain()`]; this module only orders and words it.
//!
//! Plan text reaches the terminal through [`visible_line`], the CSV through
//! [`csv_table`] and the chart through its typesetter (see
//! [`super::inert`]).

use std::fmt::Write;

use super::chart::{GanttView, run_task_label};
use super::format::{
    csv_table, day_unit, group_digits, long_date as date, start_and_calendar, truncate,
};
use super::inert::{visible, visible_line};
use super::{ExportError, Exporter, Json, Text, Views};
use crate::analysis::{Explanation, WorldRisk, WorldTask};
use crate::plan::Status;

/// The file `--out` writes the JSON to.
pub const EXPLAIN_JSON: &str = "explain.json";

/// The file `--out` writes the per-task table to.
pub const EXPLAIN_CSV: &str = "explain.csv";

/// How many of the tasks that ran furthest over the text lists.
pub const OVERRUN_ROWS: usize = 5;

/// The views of an explained percentile: the text, `explain.json`,
/// `explain.csv` and the Gantt chart as PNG and SVG.
pub fn explain_views() -> Views<Explanation> {
    Views {
        kind: "explain",
        terminal: Box::new(Text(explain_text)),
        json: Json::new(EXPLAIN_JSON),
        files: vec![
            Box::new(ExplainCsv),
            Box::new(GanttChart::Png),
            Box::new(GanttChart::Svg),
        ],
    }
}

/// The Gantt chart of an explained percentile, as PNG (`gantt.png`) or SVG
/// (`gantt.svg`).
#[derive(Debug, Clone, Copy)]
pub enum GanttChart {
    /// `gantt.png`.
    Png,
    /// `gantt.svg`.
    Svg,
}

impl Exporter<Explanation> for GanttChart {
    fn file_name(&self) -> Option<&'static str> {
        Some(match self {
            GanttChart::Png => "gantt.png",
            GanttChart::Svg => "gantt.svg",
        })
    }

    fn render(&self, e: &Explanation) -> Result<Vec<u8>, ExportError> {
        let view = GanttView::new(e);
        Ok(match self {
            GanttChart::Png => view.png()?,
            GanttChart::Svg => view.svg()?.into_bytes(),
        })
    }
}

/// `explain.csv`: every task in plan order, with its place on the
/// critical path (`path_step`, from 1; empty off it).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExplainCsv;

impl Exporter<Explanation> for ExplainCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some(EXPLAIN_CSV)
    }

    fn render(&self, e: &Explanation) -> Result<Vec<u8>, ExportError> {
        let mut step = vec![None; e.tasks.len()];
        for (i, s) in e.critical_path.iter().enumerate() {
            step[s.task] = Some((i + 1, s.link.map(|l| l.text(s.lag)).unwrap_or_default()));
        }
        let days = |x: f64| format!("{x:.3}");
        csv_table(
            &[
                "id",
                "name",
                "team",
                "status",
                "path_step",
                "link",
                "likely",
                "duration",
                "over",
                "risk_delay",
                "start",
                "finish",
                "start_date",
                "finish_date",
                "plan_start",
                "plan_finish",
            ],
            e.tasks.iter().zip(&step).map(|(t, step)| {
                [
                    t.id.clone(),
                    t.name.clone(),
                    t.team.clone().unwrap_or_default(),
                    t.status.to_string(),
                    step.as_ref().map(|s| s.0.to_string()).unwrap_or_default(),
                    step.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
                    days(t.likely),
                    days(t.duration),
                    days(t.over),
                    days(t.risk_delay),
                    days(t.start),
                    days(t.finish),
                    t.start_date.to_string(),
                    t.finish_date.to_string(),
                    days(t.plan_start),
                    days(t.plan_finish),
                ]
            }),
        )
    }
}

/// `P80`, `P97.5`.
pub fn percentile_label(e: &Explanation) -> String {
    format!("P{}", e.percentile)
}

/// `an 80%`, `a 97.5%`: the percentile with its article as it is spoken.
pub(super) fn a_world(p: f64) -> String {
    let text = format!("{p}%");
    let whole = p.trunc();
    let an = text.starts_with('8') || whole == 11.0 || whole == 18.0;
    format!("{} {text}", if an { "an" } else { "a" })
}

/// A task's name for a sentence: as the charts label it (its id when it
/// has no name; id and name on a plan whose tasks keep their own
/// calendars, where names repeat).
fn name_of(e: &Explanation, t: &WorldTask) -> String {
    truncate(&visible_line(&run_task_label(&e.run, &t.id, &t.name)), 60)
}

/// `x` working days, one decimal: `6.3 working days`.
fn days(x: f64, unit: &str) -> String {
    format!("{x:.1} {unit}")
}

/// The tasks on the critical path that ran over their likely duration (by
/// half a day or more), furthest first.
fn critical_overruns(e: &Explanation) -> Vec<&WorldTask> {
    let mut over: Vec<&WorldTask> = e
        .critical_path
        .iter()
        .map(|s| &e.tasks[s.task])
        .filter(|t| t.over >= 0.5)
        .collect();
    over.sort_by(|a, b| b.over.total_cmp(&a.over));
    over
}

/// The risks that fired, those on the critical path first, then by delay.
fn fired(e: &Explanation) -> Vec<&WorldRisk> {
    let mut fired: Vec<&WorldRisk> = e.risks.iter().filter(|r| r.fired).collect();
    fired.sort_by(|a, b| {
        b.on_critical_path
            .cmp(&a.on_critical_path)
            .then(b.delay.total_cmp(&a.delay))
    });
    fired
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The world in one sentence: "In an 80% world the finish is Wed
/// 2027-04-21, 9.0 working days after the plan's Thu 2027-04-08: Checkout
/// orchestration API ran 6.3 working days over and the risk “PSP vendor
/// ships the 3DS2 SDK fix late” fired (+6.2 working days)."
pub fn world_sentence(e: &Explanation) -> String {
    let unit = day_unit(&e.run);
    let mut s = format!(
        "In {} world the finish is {}",
        a_world(e.percentile),
        date(e.finish_date)
    );
    let late = e.finish - e.plan_days;
    if late >= 0.05 {
        let _ = write!(
            s,
            ", {} after the plan's {}",
            days(late, unit),
            date(e.plan_date)
        );
    } else {
        let _ = write!(s, ", no later than the plan's {}", date(e.plan_date));
    }
    let mut causes: Vec<String> = critical_overruns(e)
        .iter()
        .take(2)
        .map(|t| format!("{} ran {} over", name_of(e, t), days(t.over, unit)))
        .collect();
    causes.extend(
        fired(e)
            .iter()
            .filter(|r| r.on_critical_path)
            .take(2)
            .map(|r| {
                format!(
                    "the risk \u{201c}{}\u{201d} fired (+{})",
                    truncate(&visible_line(&r.name), 60),
                    days(r.delay, unit)
                )
            }),
    );
    if causes.is_empty() {
        s.push_str(": no task on its critical path ran half a day over its likely duration");
        if late >= 0.05 {
            s.push_str(", though together they finish later than the plan");
        }
    } else {
        let _ = write!(s, ": {}", and_list(&causes));
    }
    s.push('.');
    s
}

/// The terminal text: the iteration and its finish, the critical path, the
/// tasks that ran furthest over, the risks that fired, and the sentence.
pub fn explain_text(e: &Explanation) -> String {
    let mut s = String::new();
    let unit = day_unit(&e.run);
    let pct = percentile_label(e);
    let _ = writeln!(
        s,
        "{pct} of {} ({} tasks, {})",
        visible_line(e.run.plan()),
        e.task_count,
        super::cutline::finish_line(&e.run)
    );
    let _ = writeln!(
        s,
        "{} iterations, seed {}; {}",
        group_digits(e.run.iterations),
        e.run.seed,
        start_and_calendar(&e.run)
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Iteration {} finishes {} ({:.1} {unit}): the {pct} of the run{}.",
        group_digits(e.iteration),
        date(e.finish_date),
        e.finish,
        match e.iterations_at {
            0 | 1 => String::new(),
            n => format!(
                " ({} iterations finish then; this is the first)",
                group_digits(n)
            ),
        }
    );
    let _ = writeln!(
        s,
        "The plan on likely durations finishes {} ({:.1} {unit}).",
        date(e.plan_date),
        e.plan_days
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Its critical path ({unit}; over: beyond the likely duration, risk delays apart):"
    );
    let _ = writeln!(
        s,
        "  {:<24} {:<34} {:<6} {:>6} {:>8} {:>6} {:>6}  finish",
        "id", "name", "link", "likely", "duration", "over", "risk"
    );
    for step in &e.critical_path {
        let t = &e.tasks[step.task];
        let _ = writeln!(
            s,
            "  {:<24} {:<34} {:<6} {:>6.1} {:>8.1} {:>6} {:>6}  {}",
            truncate(&visible_line(&t.id), 24),
            truncate(&visible_line(&t.name), 34),
            step.link.map(|l| l.text(step.lag)).unwrap_or_default(),
            t.likely,
            t.duration,
            signed(t.over),
            risk_cell(t.risk_delay),
            date(t.finish_date)
        );
    }
    let mut over: Vec<&WorldTask> = e
        .tasks
        .iter()
        .filter(|t| t.status != Status::Done && t.duration - t.likely >= 0.05)
        .collect();
    over.sort_by(|a, b| (b.duration - b.likely).total_cmp(&(a.duration - a.likely)));
    let _ = writeln!(s);
    if over.is_empty() {
        let _ = writeln!(s, "No task ran over its likely duration.");
    } else {
        let _ = writeln!(
            s,
            "Ran furthest over their likely duration ({unit}, risk delays included; * on the \
             critical path):"
        );
        for t in over.iter().take(OVERRUN_ROWS) {
            let _ = writeln!(
                s,
                "  {:>+6.1} {} {:<24} {}",
                t.duration - t.likely,
                if t.critical { "*" } else { " " },
                truncate(&visible_line(&t.id), 24),
                truncate(&visible_line(&t.name), 40)
            );
        }
    }
    if !e.risks.is_empty() {
        let fired = fired(e);
        let _ = writeln!(s);
        if fired.is_empty() {
            let _ = writeln!(s, "No risk of the register fired.");
        } else {
            let _ = writeln!(
                s,
                "Risks that fired ({} of {}; the delay each added to the tasks it affects; * on \
                 the critical path):",
                fired.len(),
                e.risks.len()
            );
            for r in fired {
                let _ = writeln!(
                    s,
                    "  {:>+6.1} {} {:<24} {}",
                    r.delay,
                    if r.on_critical_path { "*" } else { " " },
                    truncate(&visible_line(&r.id), 24),
                    truncate(&visible_line(&r.name), 40)
                );
            }
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", world_sentence(e));
    visible(&s).into_owned()
}

/// `+2.4`, `-1.0`, or `+0.0` for what rounds to zero (never `-0.0`).
fn signed(x: f64) -> String {
    let x = if x.abs() < 0.05 { 0.0 } else { x };
    format!("{x:+.1}")
}

/// A risk delay for a table: `+6.2`, or `-` for none.
fn risk_cell(x: f64) -> String {
    if x > 0.0 {
        format!("{x:+.1}")
    } else {
        "-".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_the_spoken_percentile() {
        assert_eq!(a_world(80.0), "an 80%");
        assert_eq!(a_world(97.5), "a 97.5%");
        assert_eq!(a_world(11.0), "an 11%");
        assert_eq!(a_world(18.5), "an 18.5%");
        assert_eq!(a_world(8.0), "an 8%");
        assert_eq!(a_world(50.0), "a 50%");
    }

    #[test]
    fn lists_read_as_a_sentence() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b"]), "a and b");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
    }
}
