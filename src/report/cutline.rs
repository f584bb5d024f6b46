//! Views of a cut-line sweep: the terminal table, `cutline.json` and
//! `cutline.csv`. Everything shown was computed in
//! [`crate::analysis::sweep`].
//!
//! Task ids and file names reach the table through
//! [`visible_line`](super::inert::visible_line) and the CSV through
//! [`csv_cell`](super::inert::csv_cell) (see [`super::inert`]).

use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::ExportError;
use super::inert::{visible, visible_line, write_csv_record};
use super::questions::a_percent;
use super::terminal::percent;
use crate::analysis::{CutPosition, Cutline};

/// The file `--out` writes the JSON to.
pub const CUTLINE_JSON: &str = "cutline.json";

/// The file `--out` writes the CSV to.
pub const CUTLINE_CSV: &str = "cutline.csv";

/// Any result as pretty JSON with a final newline.
pub(super) fn pretty_json<T: Serialize>(v: &T) -> Result<Vec<u8>, ExportError> {
    let mut out = serde_json::to_vec_pretty(v).map_err(|e| ExportError::Format {
        format: "json",
        message: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}

pub(super) fn csv_fail(e: impl std::fmt::Display) -> ExportError {
    ExportError::Format {
        format: "csv",
        message: e.to_string(),
    }
}

pub(super) fn date(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// `1234567` as `1,234,567`.
pub(super) fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sweep as one JSON object (`cutline.json`).
///
/// # Errors
///
/// [`ExportError::Format`] if serialisation fails.
pub fn cutline_json(c: &Cutline) -> Result<Vec<u8>, ExportError> {
    pretty_json(c)
}

/// What a position cuts, in a few words: `nothing`, `priority 5` or
/// `priority 3-5` (see [`Cutline::label`]).
pub fn cut_label(c: &Cutline, p: &CutPosition) -> String {
    c.label(p.position)
}

/// `cutline.csv`: one row per position.
///
/// # Errors
///
/// [`ExportError::Format`] if serialisation fails.
pub fn cutline_csv(c: &Cutline) -> Result<Vec<u8>, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    write_csv_record(
        &mut w,
        [
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
    )
    .map_err(csv_fail)?;
    let rec = c.recommended.as_ref().map(|r| r.position);
    for p in &c.positions {
        write_csv_record(
            &mut w,
            [
                p.position.to_string(),
                p.cut_from_priority
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
                p.cut.len().to_string(),
                p.tasks_kept.to_string(),
                format!("{:.3}", p.cut_work_days),
                p.p50.to_string(),
                p.p80.to_string(),
                p.p90.to_string(),
                p.at_confidence.to_string(),
                format!("{:.3}", p.days.mean),
                format!("{:.3}", p.days.p50),
                format!("{:.3}", p.days.p80),
                format!("{:.3}", p.days.p90),
                format!("{:.3}", p.days.at_confidence),
                c.target.to_string(),
                c.confidence.to_string(),
                format!("{:.6}", p.probability),
                p.meets.to_string(),
                (rec == Some(p.position)).to_string(),
                p.cut.join(";"),
            ],
        )
        .map_err(csv_fail)?;
    }
    w.into_inner().map_err(csv_fail)
}

/// The terminal table, each step's cut, and the recommendation.
pub fn cutline_text(c: &Cutline) -> String {
    let mut s = String::new();
    let optional: usize = c.positions.last().map_or(0, |p| p.cut.len());
    let finish = match &c.milestone {
        Some(m) => format!("finish of milestone \"{}\"", visible_line(m)),
        None => "finish of all tasks".into(),
    };
    let _ = writeln!(
        s,
        "Cut line for {} ({} tasks, {optional} can be cut; {finish})",
        visible_line(&c.plan),
        c.task_count
    );
    let hol = match c.calendar.holidays.len() {
        0 => String::new(),
        n => format!(", {n} holidays"),
    };
    let _ = writeln!(
        s,
        "Target {} (working day {}) at {}% confidence; {} iterations per position, seed {}; \
         start {} ({}{hol})",
        date(c.target),
        c.target_working_day,
        c.confidence,
        group(c.iterations),
        c.seed,
        date(c.start),
        c.calendar.workdays
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

/// Task ids for a sentence: `a, b, c`, each shown through [`visible_line`].
fn ids(ids: &[String]) -> String {
    ids.iter()
        .map(|id| visible_line(id))
        .collect::<Vec<_>>()
        .join(", ")
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
             working day{} ({} calendar days) after the target {}, which has {} chance.",
            date(f.finish),
            f.working_days_late,
            if f.working_days_late == 1 { "" } else { "s" },
            f.calendar_days_late,
            date(c.target),
            a_percent(f.probability)
        ),
        (None, Some(f)) => format!(
            "Even the must-haves alone miss the target at {conf}: with every optional task cut, \
             {conf} is {}, {} working day{} ({} calendar days) after the target {}. The target \
             then has {} chance ({} keeping everything).",
            date(f.finish),
            f.working_days_late,
            if f.working_days_late == 1 { "" } else { "s" },
            f.calendar_days_late,
            date(c.target),
            a_percent(f.probability),
            percent(first.probability)
        ),
        (None, None) => String::new(),
    }
}
