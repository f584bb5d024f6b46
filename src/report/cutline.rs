//! Views of a cut-line sweep: the terminal table, `cutline.json` and
//! `cutline.csv`. Everything shown was computed in
//! [`crate::analysis::sweep`].
//!
//! Task ids and file names reach the table through
//! [`visible_line`](super::inert::visible_line) and the CSV through
//! [`csv_cell`](super::inert::csv_cell) (see [`super::inert`]).

use std::fmt::Write;

use super::chart::{Chart, CutlineView};
use super::format::{
    a_percent, count, csv_table, day_number, days_of, fixed, group_digits, long_date as date,
    on_calendar_days, percent, start_and_calendar,
};
use super::inert::{visible, visible_line};
use super::{ExportError, Exporter};
use crate::analysis::{CutPosition, Cutline};

/// The file `--out` writes the JSON to.
pub const CUTLINE_JSON: &str = "cutline.json";

/// The file `--out` writes the CSV to.
pub const CUTLINE_CSV: &str = "cutline.csv";

/// What a position cuts, in a few words: `nothing`, `priority 5` or
/// `priority 3-5` (see [`Cutline::label`]).
pub fn cut_label(c: &Cutline, p: &CutPosition) -> String {
    c.label(p.position)
}

/// The cut-line chart, as PNG (`cutline.png`) or SVG (`cutline.svg`).
#[derive(Debug, Clone, Copy)]
pub enum CutlineChart {
    /// `cutline.png`.
    Png,
    /// `cutline.svg`.
    Svg,
}

impl Exporter<Cutline> for CutlineChart {
    fn file_name(&self) -> Option<&'static str> {
        Some(match self {
            CutlineChart::Png => "cutline.png",
            CutlineChart::Svg => "cutline.svg",
        })
    }

    fn render(&self, c: &Cutline) -> Result<Vec<u8>, ExportError> {
        let chart = Chart::from(CutlineView::new(c));
        Ok(match self {
            CutlineChart::Png => chart.png()?,
            CutlineChart::Svg => chart.svg()?.into_bytes(),
        })
    }
}

/// `cutline.csv`: one row per position.
#[derive(Debug, Clone, Copy, Default)]
pub struct CutlineCsv;

impl Exporter<Cutline> for CutlineCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some(CUTLINE_CSV)
    }

    fn render(&self, c: &Cutline) -> Result<Vec<u8>, ExportError> {
        let rec = c.recommended.as_ref().map(|r| r.position);
        csv_table(
            &[
                "position",
                "cut_from_priority",
                "cut_count",
                "tasks_kept",
                "cut_work_days",
                "p50_date",
                "p80_date",
                "p90_date",
                "confidence_date",
                "mean_days",
                "p50_days",
                "p80_days",
                "p90_days",
                "confidence_days",
                "target",
                "confidence",
                "probability",
                "meets",
                "recommended",
                "cut",
            ],
            c.positions.iter().map(|p| {
                [
                    p.position.to_string(),
                    p.cut_from_priority
                        .map(|x| x.to_string())
                        .unwrap_or_default(),
                    p.cut.len().to_string(),
                    p.tasks_kept.to_string(),
                    fixed(p.cut_work_days, 3),
                    p.p50.to_string(),
                    p.p80.to_string(),
                    p.p90.to_string(),
                    p.at_confidence.to_string(),
                    fixed(p.days.mean, 3),
                    fixed(p.days.p50, 3),
                    fixed(p.days.p80, 3),
                    fixed(p.days.p90, 3),
                    fixed(p.days.at_confidence, 3),
                    c.target.to_string(),
                    c.confidence.to_string(),
                    fixed(p.probability, 6),
                    p.meets.to_string(),
                    (rec == Some(p.position)).to_string(),
                    p.cut.join(";"),
                ]
            }),
        )
    }
}

/// The terminal table, each step's cut, and the recommendation.
pub fn cutline_text(c: &Cutline) -> String {
    let mut s = String::new();
    let optional: usize = c.positions.last().map_or(0, |p| p.cut.len());
    let _ = writeln!(
        s,
        "Cut line for {} ({}, {optional} can be cut; {})",
        visible_line(c.run.plan()),
        count(c.task_count as u64, "task"),
        finish_line(&c.run)
    );
    let _ = writeln!(
        s,
        "Target {} ({}) at {}% confidence; {} iterations per position, seed {}; {}",
        date(c.target),
        day_number(&c.run, c.target_working_day),
        c.confidence,
        group_digits(c.run.iterations),
        c.run.seed,
        start_and_calendar(&c.run)
    );
    let _ = writeln!(s);
    let extra = ![50.0, 80.0, 90.0].contains(&c.confidence);
    let conf = format!("P{}", c.confidence);
    let labels: Vec<String> = c.positions.iter().map(|p| cut_label(c, p)).collect();
    let w = labels.iter().map(String::len).max().unwrap_or(0).max(3);
    let _ = write!(
        s,
        "  {:<w$}  {:>5}  {:<14}  {:<14}  {:<14}",
        "Cut", "Kept", "P50", "P80", "P90"
    );
    if extra {
        let _ = write!(s, "  {conf:<14}");
    }
    let _ = writeln!(s, "  {:>9}", "P(target)");
    let rec = c.recommended.as_ref().map(|r| r.position);
    for (p, label) in c.positions.iter().zip(&labels) {
        let _ = write!(
            s,
            "  {label:<w$}  {:>5}  {}  {}  {}",
            p.tasks_kept,
            date(p.p50),
            date(p.p80),
            date(p.p90)
        );
        if extra {
            let _ = write!(s, "  {}", date(p.at_confidence));
        }
        let _ = write!(s, "  {:>9}", percent(p.probability));
        if rec == Some(p.position) {
            let _ = write!(s, "  <- recommended");
        }
        let _ = writeln!(s);
    }
    if c.positions.len() > 1 {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Each step cuts (tasks that depend on a cut task go with it):"
        );
        for pair in c.positions.windows(2) {
            let (before, p) = (&pair[0], &pair[1]);
            let new: Vec<String> = p
                .groups
                .iter()
                .filter(|g| !before.cut.contains(&g.id))
                .map(|g| match g.with.len() {
                    0 => visible_line(&g.id).into_owned(),
                    _ => format!("{} (with {})", visible_line(&g.id), ids(&g.with)),
                })
                .collect();
            let level = p.cut_from_priority.unwrap_or_default();
            let _ = writeln!(s, "  priority {level}: {}", new.join(", "));
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", verdict(c));
    visible(&s).into_owned()
}

/// `finish of milestone "ga"` or `finish of all tasks`, for a terminal
/// header.
pub(super) fn finish_line(run: &crate::analysis::Provenance) -> String {
    match &run.milestone {
        Some(m) => format!("finish of milestone \"{}\"", visible_line(m)),
        None => "finish of all tasks".into(),
    }
}

/// Task ids for a sentence: `a, b, c`, each shown through [`visible_line`].
fn ids(ids: &[String]) -> String {
    ids.iter()
        .map(|id| visible_line(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How late a shortfall is: `3 working days (5 calendar days)`, or `5 days`
/// on a plan whose times are calendar days.
fn late(c: &Cutline, f: &crate::analysis::Shortfall) -> String {
    if on_calendar_days(&c.run) {
        days_of(&c.run, f.calendar_days_late.max(0) as u64)
    } else {
        format!(
            "{} ({} calendar days)",
            days_of(&c.run, f.working_days_late),
            f.calendar_days_late
        )
    }
}

/// The recommendation, or the shortfall, in one or two sentences.
pub fn verdict(c: &Cutline) -> String {
    let conf = format!("P{}", c.confidence);
    let first = &c.positions[0];
    match (&c.recommended, &c.shortfall) {
        (Some(r), _) if r.position == 0 => format!(
            "No cut needed: keeping everything, {conf} is {} and the target {} has {} chance.",
            date(r.finish),
            date(c.target),
            a_percent(r.probability)
        ),
        (Some(r), _) => {
            let label = cut_label(c, &c.positions[r.position]);
            format!(
                "Recommendation: cut {label} ({} task{}: {}). {conf} moves from {} to {}, and \
                 the chance of the target {} rises from {} to {}.",
                r.cut.len(),
                if r.cut.len() == 1 { "" } else { "s" },
                ids(&r.cut),
                date(first.at_confidence),
                date(r.finish),
                date(c.target),
                percent(first.probability),
                percent(r.probability)
            )
        }
        (None, Some(f)) if c.positions.len() == 1 => format!(
            "The plan misses the target at {conf} and has nothing to cut: {conf} is {}, {} \
             after the target {}, which has {} chance.",
            date(f.finish),
            late(c, f),
            date(c.target),
            a_percent(f.probability)
        ),
        (None, Some(f)) => format!(
            "Even the must-haves alone miss the target at {conf}: with every optional task cut, \
             {conf} is {}, {} after the target {}. The target then has {} chance ({} keeping \
             everything).",
            date(f.finish),
            late(c, f),
            date(c.target),
            a_percent(f.probability),
            percent(first.probability)
        ),
        (None, None) => String::new(),
    }
}
