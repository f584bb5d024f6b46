//! Views of a forecast history: the terminal tables, `history.json`,
//! `history.csv` (one row per snapshot), `moves.csv` (one row per cause of
//! each move) and the trend and waterfall charts. Everything shown was
//! computed in [`crate::analysis::history()`].
//!
//! Snapshot labels (file names) and task names reach the tables through
//! [`visible_line`](super::inert::visible_line) and the CSVs through
//! [`csv_cell`](super::inert::csv_cell).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::chart::{Chart, TrendView, WaterfallView};
use super::format::{
    count, csv_table, group_digits, long_date as date, percent, signed, signed_interval,
};
use super::inert::visible_line;
use super::{ExportError, Exporter};
use crate::analysis::{Cause, History, Move};

/// The file `--out` writes the JSON to.
pub const HISTORY_JSON: &str = "history.json";

/// The file `--out` writes the per-snapshot CSV to.
pub const HISTORY_CSV: &str = "history.csv";

/// The file `--out` writes the causes of each move to.
pub const MOVES_CSV: &str = "moves.csv";

/// `18 working days`, `4.5 working days`, `1 working day`.
fn days(x: f64, unit: &str) -> String {
    let x = x.abs();
    let n = if (x - x.round()).abs() < 0.05 {
        format!("{}", x.round())
    } else {
        format!("{x:.1}")
    };
    let unit = if n == "1" {
        unit.trim_end_matches('s')
    } else {
        unit
    };
    format!("{n} {unit}")
}

/// The finding of a history in one line: "P80 slipped 18 working days over
/// 3 updates while 9 tasks completed".
pub fn history_headline(h: &History) -> String {
    let total = h.p80_change();
    let updates = count(h.moves.len() as u64, "update");
    let done = count(h.completed() as u64, "task");
    let last = h.snapshots.last().expect("a history has snapshots");
    if total >= 0.5 {
        format!(
            "P80 slipped {} over {updates} while {done} completed",
            days(total, h.unit)
        )
    } else if total <= -0.5 {
        format!(
            "P80 came in {} over {updates} while {done} completed",
            days(total, h.unit)
        )
    } else {
        format!(
            "P80 held at {} over {updates} while {done} completed",
            date(last.p80.date)
        )
    }
}

/// A part's name in a table: the cause, or `Task name (estimate)` (a long
/// task name shortened so the kind of change stays in view).
pub fn part_name(cause: Cause, label: &str) -> String {
    let short = || super::format::truncate(&visible_line(label), 32);
    match cause {
        Cause::Estimate => format!("{} (estimate)", short()),
        Cause::Remaining => format!("{} (remaining work)", short()),
        _ => visible_line(label).into_owned(),
    }
}

/// The largest causes of the P80's move over the whole series, in one
/// sentence: "Most of it: Payments API (estimate) +9.0, time passing +5.0
/// and scope added +3.0 working days." (`None` when nothing moved.)
pub fn largest_causes(h: &History) -> Option<String> {
    let mut by: BTreeMap<String, f64> = BTreeMap::new();
    for m in &h.moves {
        for p in &m.parts {
            *by.entry(part_name(p.cause, &p.label)).or_default() += p.p80.estimate;
        }
    }
    let mut v: Vec<(String, f64)> = by.into_iter().filter(|(_, x)| x.abs() >= 0.05).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    v.truncate(3);
    let items: Vec<String> = v
        .iter()
        .map(|(name, x)| format!("{name} {}", signed(*x, 1)))
        .collect();
    let list = match items.len() {
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    };
    Some(format!(
        "Largest causes of the P80's move: {list} {}.",
        h.unit
    ))
}

/// The watermelon warning of a move, if it is one.
pub fn watermelon(h: &History, m: &Move) -> Option<String> {
    m.watermelon.then(|| {
        let (a, b) = (&h.snapshots[m.from], &h.snapshots[m.to]);
        format!(
            "Watermelon: from {} to {} the plan date held at {} while P80 slipped {} (to {}); the status looks green but the risk grew.",
            date(a.data_date),
            date(b.data_date),
            date(b.plan.date),
            days(m.p80, h.unit),
            date(b.p80.date)
        )
    })
}

/// The terminal text of a history.
pub fn history_text(h: &History) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "History of {}: {} iterations each, seed {}",
        count(h.snapshots.len() as u64, "snapshot"),
        group_digits(h.run.iterations),
        h.run.seed
    );
    let _ = writeln!(s);
    let target = h
        .target
        .map(|t| format!("  Chance by {}", date(t)))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  {:<16} {:<24} {:>9}  {:<15} {:<15} {:<15} {:<15}{target}",
        "Data date", "Snapshot", "Done", "P50", "P80", "P90", "Plan date"
    );
    for x in &h.snapshots {
        let chance = x
            .target_probability
            .map(|p| format!("  {:>14}", percent(p)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {:<16} {:<24} {:>9}  {:<15} {:<15} {:<15} {:<15}{chance}",
            date(x.data_date),
            super::format::truncate(&visible_line(&x.label), 24),
            format!("{}/{}", x.done, x.tasks),
            date(x.p50.date),
            date(x.p80.date),
            date(x.p90.date),
            date(x.plan.date),
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}.", history_headline(h));
    if let Some(c) = largest_causes(h) {
        let _ = writeln!(s, "{c}");
    }
    for m in &h.moves {
        let (a, b) = (&h.snapshots[m.from], &h.snapshots[m.to]);
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Why the date moved, {} to {}: P80 {}, P50 {} {} ({} completed)",
            date(a.data_date),
            date(b.data_date),
            signed(m.p80, 1),
            signed(m.p50, 1),
            h.unit,
            count(m.completed.len() as u64, "task")
        );
        if m.parts.is_empty() {
            let _ = writeln!(s, "  nothing changed");
        }
        for p in &m.parts {
            let _ = writeln!(
                s,
                "  {:<50} P80 {:<26} P50 {}",
                part_name(p.cause, &p.label),
                signed_interval(&p.p80),
                signed_interval(&p.p50)
            );
        }
        if let Some(w) = watermelon(h, m) {
            let _ = writeln!(s, "  {w}");
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Each part is forecast on the same random draws, in the order listed, and the parts add up to the move exactly; [low, high] is its 95% interval."
    );
    s
}

/// `history.csv`: one row per snapshot.
#[derive(Debug, Clone, Copy, Default)]
pub struct HistoryCsv;

impl Exporter<History> for HistoryCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some(HISTORY_CSV)
    }

    fn render(&self, h: &History) -> Result<Vec<u8>, ExportError> {
        let f = |x: f64| format!("{x}");
        csv_table(
            &[
                "snapshot",
                "plan",
                "data_date",
                "tasks",
                "done",
                "in_progress",
                "p50_date",
                "p80_date",
                "p90_date",
                "plan_date",
                "p50_days",
                "p80_days",
                "p80_days_low",
                "p80_days_high",
                "p90_days",
                "plan_days",
                "target_probability",
            ],
            h.snapshots.iter().map(|x| {
                vec![
                    super::inert::csv_cell(&x.label).into_owned(),
                    super::inert::csv_cell(&x.inputs.plan).into_owned(),
                    x.data_date.to_string(),
                    x.tasks.to_string(),
                    x.done.to_string(),
                    x.in_progress.to_string(),
                    x.p50.date.to_string(),
                    x.p80.date.to_string(),
                    x.p90.date.to_string(),
                    x.plan.date.to_string(),
                    f(x.p50.days),
                    f(x.p80.days),
                    f(x.p80.low),
                    f(x.p80.high),
                    f(x.p90.days),
                    f(x.plan.days),
                    x.target_probability.map(f).unwrap_or_default(),
                ]
            }),
        )
    }
}

/// `moves.csv`: one row per cause of each move.
#[derive(Debug, Clone, Copy, Default)]
pub struct MovesCsv;

impl Exporter<History> for MovesCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some(MOVES_CSV)
    }

    fn render(&self, h: &History) -> Result<Vec<u8>, ExportError> {
        let f = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
        let rows = h.moves.iter().flat_map(|m| {
            m.parts.iter().map(move |p| {
                vec![
                    h.snapshots[m.from].data_date.to_string(),
                    h.snapshots[m.to].data_date.to_string(),
                    serde_json::to_value(p.cause)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    super::inert::csv_cell(&p.label).into_owned(),
                    super::inert::csv_cell(&p.tasks.join(";")).into_owned(),
                    f(Some(p.p80.estimate)),
                    f(p.p80.low),
                    f(p.p80.high),
                    f(Some(p.p50.estimate)),
                    f(p.p50.low),
                    f(p.p50.high),
                ]
            })
        });
        csv_table(
            &[
                "from",
                "to",
                "cause",
                "label",
                "tasks",
                "p80_days",
                "p80_days_low",
                "p80_days_high",
                "p50_days",
                "p50_days_low",
                "p50_days_high",
            ],
            rows,
        )
    }
}

/// The history charts, each as PNG or SVG.
#[derive(Debug, Clone, Copy)]
pub enum HistoryChart {
    /// `trend.png`.
    TrendPng,
    /// `trend.svg`.
    TrendSvg,
    /// `waterfall.png`.
    WaterfallPng,
    /// `waterfall.svg`.
    WaterfallSvg,
}

impl Exporter<History> for HistoryChart {
    fn file_name(&self) -> Option<&'static str> {
        Some(match self {
            HistoryChart::TrendPng => "trend.png",
            HistoryChart::TrendSvg => "trend.svg",
            HistoryChart::WaterfallPng => "waterfall.png",
            HistoryChart::WaterfallSvg => "waterfall.svg",
        })
    }

    fn render(&self, h: &History) -> Result<Vec<u8>, ExportError> {
        let chart = match self {
            HistoryChart::TrendPng | HistoryChart::TrendSvg => Chart::from(TrendView::new(h)),
            _ => Chart::from(WaterfallView::new(h)),
        };
        Ok(match self {
            HistoryChart::TrendPng | HistoryChart::WaterfallPng => chart.png()?,
            _ => chart.svg()?.into_bytes(),
        })
    }
}
