//! Views of a scenario comparison: the terminal tables, `compare.json` and
//! `compare.csv`. Everything shown was computed in
//! [`crate::analysis::compare()`].
//!
//! Scenario labels (file names) and the milestone id reach the tables
//! through [`visible_line`](super::inert::visible_line) and the CSV through
//! [`csv_cell`](super::inert::csv_cell) (see [`super::inert`]).

use std::fmt::Write;

use super::chart::{Chart, CompareView};
use super::cutline::finish_line;
use super::format::{
    count, csv_table, day_number, day_unit, fixed, group_digits, long_date as date, optional,
    percent, signed, signed_interval, start_and_calendar,
};
use super::inert::{visible, visible_line};
use super::{ExportError, Exporter};
use crate::analysis::{Comparison, IntervalEstimate};

/// The file `--out` writes the JSON to.
pub const COMPARE_JSON: &str = "compare.json";

/// The file `--out` writes the CSV to.
pub const COMPARE_CSV: &str = "compare.csv";

/// The scenarios' S-curves on one chart, as PNG (`compare.png`) or SVG
/// (`compare.svg`).
#[derive(Debug, Clone, Copy)]
pub enum CompareChart {
    /// `compare.png`.
    Png,
    /// `compare.svg`.
    Svg,
}

impl Exporter<Comparison> for CompareChart {
    fn file_name(&self) -> Option<&'static str> {
        Some(match self {
            CompareChart::Png => "compare.png",
            CompareChart::Svg => "compare.svg",
        })
    }

    fn render(&self, c: &Comparison) -> Result<Vec<u8>, ExportError> {
        let chart = Chart::from(CompareView::new(c));
        Ok(match self {
            CompareChart::Png => chart.png()?,
            CompareChart::Svg => chart.svg()?.into_bytes(),
        })
    }
}

/// `compare.csv`: one row per scenario; the delta columns (this scenario
/// minus the first, with the 95% interval) are empty for the first.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompareCsv;

impl Exporter<Comparison> for CompareCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some(COMPARE_CSV)
    }

    fn render(&self, c: &Comparison) -> Result<Vec<u8>, ExportError> {
        let mut header = vec![
            "scenario",
            "plan",
            "edges",
            "risks",
            "task_count",
            "shared_tasks",
            "mean_days",
            "std_days",
            "p50_days",
            "p80_days",
            "p90_days",
            "p50_date",
            "p80_date",
            "p90_date",
            "target",
            "probability",
        ];
        let deltas = [
            [
                "delta_mean_days",
                "delta_mean_days_low",
                "delta_mean_days_high",
            ],
            [
                "delta_p50_days",
                "delta_p50_days_low",
                "delta_p50_days_high",
            ],
            [
                "delta_p80_days",
                "delta_p80_days_low",
                "delta_p80_days_high",
            ],
            [
                "delta_p90_days",
                "delta_p90_days_low",
                "delta_p90_days_high",
            ],
            [
                "delta_probability",
                "delta_probability_low",
                "delta_probability_high",
            ],
        ];
        header.extend(deltas.iter().flatten());
        csv_table(
            &header,
            c.scenarios.iter().map(|r| {
                let mut row = vec![
                    r.label.clone(),
                    r.files.plan.clone(),
                    r.files.edges.clone().unwrap_or_default(),
                    r.files.risks.clone().unwrap_or_default(),
                    r.task_count.to_string(),
                    r.shared_tasks.to_string(),
                    fixed(r.days.mean, 3),
                    fixed(r.days.std, 3),
                    fixed(r.days.p50, 3),
                    fixed(r.days.p80, 3),
                    fixed(r.days.p90, 3),
                    r.finish.p50.to_string(),
                    r.finish.p80.to_string(),
                    r.finish.p90.to_string(),
                    c.target.map(|t| t.to_string()).unwrap_or_default(),
                    optional(r.probability, 6),
                ];
                let estimates: [Option<IntervalEstimate>; 5] = match &r.delta {
                    Some(d) => [
                        Some(d.mean_days),
                        Some(d.p50_days),
                        Some(d.p80_days),
                        Some(d.p90_days),
                        d.probability,
                    ],
                    None => [None; 5],
                };
                for e in estimates {
                    row.extend([
                        optional(e.map(|e| e.estimate), 6),
                        optional(e.and_then(|e| e.low), 6),
                        optional(e.and_then(|e| e.high), 6),
                    ]);
                }
                row
            }),
        )
    }
}

/// A difference of probabilities in percentage points: `+12 pts [+11, +13]`.
fn points(e: &IntervalEstimate) -> String {
    // A change that rounds to no points is `0`, without a sign.
    let p = |x: f64| match signed(x * 100.0, 0) {
        z if z == "+0" => "0".to_string(),
        s => s,
    };
    match (e.low, e.high) {
        (Some(l), Some(h)) => format!("{} pts [{}, {}]", p(e.estimate), p(l), p(h)),
        _ => format!("{} pts", p(e.estimate)),
    }
}

/// The side-by-side table and the table of differences from the first
/// scenario.
pub fn compare_text(c: &Comparison) -> String {
    let mut s = String::new();
    let label = |i: usize| visible_line(&c.scenarios[i].label);
    let _ = writeln!(
        s,
        "Comparison of {} scenarios ({}); {} iterations each, seed {}; {}",
        c.scenarios.len(),
        finish_line(&c.run),
        group_digits(c.run.iterations),
        c.run.seed,
        start_and_calendar(&c.run)
    );
    if let (Some(t), Some(d)) = (c.target, c.target_working_day) {
        let _ = writeln!(s, "Target {} ({})", date(t), day_number(&c.run, d));
    }
    let _ = writeln!(s);
    let w = (0..c.scenarios.len())
        .map(|i| label(i).chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = write!(
        s,
        "  {:<w$}  {:<14}  {:<14}  {:<14}  {:>6}",
        "Scenario", "P50", "P80", "P90", "Mean"
    );
    if c.target.is_some() {
        let _ = write!(s, "  {:>9}", "P(target)");
    }
    let _ = writeln!(s);
    for (i, r) in c.scenarios.iter().enumerate() {
        let _ = write!(
            s,
            "  {:<w$}  {}  {}  {}  {:>6}",
            label(i),
            date(r.finish.p50),
            date(r.finish.p80),
            date(r.finish.p90),
            fixed(r.days.mean, 1)
        );
        if let Some(p) = r.probability {
            let _ = write!(s, "  {:>9}", percent(p));
        }
        let _ = writeln!(s);
    }
    let Some(base) = c.scenarios.first() else {
        return visible(&s).into_owned();
    };
    if c.scenarios.len() < 2 {
        return visible(&s).into_owned();
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Difference from {} in {} (95% interval, paired by iteration):",
        label(0),
        day_unit(&c.run)
    );
    let rows: Vec<(String, [String; 5])> = (1..c.scenarios.len())
        .filter_map(|i| {
            let d = c.scenarios[i].delta.as_ref()?;
            Some((
                label(i).into_owned(),
                [
                    signed_interval(&d.p50_days),
                    signed_interval(&d.p80_days),
                    signed_interval(&d.p90_days),
                    signed_interval(&d.mean_days),
                    d.probability.as_ref().map(points).unwrap_or_default(),
                ],
            ))
        })
        .collect();
    let cw: Vec<usize> = (0..5)
        .map(|j| {
            rows.iter()
                .map(|r| r.1[j].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let heads = ["P50", "P80", "P90", "Mean", "P(target)"];
    let _ = write!(s, "  {:<w$}", "Scenario");
    for j in 0..4 {
        let _ = write!(s, "  {:<width$}", heads[j], width = cw[j].max(4));
    }
    if c.target.is_some() {
        let _ = write!(s, "  {}", heads[4]);
    }
    let _ = writeln!(s);
    for (label, cells) in &rows {
        let _ = write!(s, "  {label:<w$}");
        for j in 0..4 {
            let _ = write!(s, "  {:<width$}", cells[j], width = cw[j].max(4));
        }
        if c.target.is_some() {
            let _ = write!(s, "  {}", cells[4]);
        }
        let _ = writeln!(s);
    }
    let partial: Vec<String> = (1..c.scenarios.len())
        .filter(|&i| {
            let r = &c.scenarios[i];
            r.shared_tasks < r.task_count || r.shared_tasks < base.task_count
        })
        .map(|i| {
            let r = &c.scenarios[i];
            format!(
                "{} shares {} of its {} with {} ({})",
                label(i),
                r.shared_tasks,
                count(r.task_count as u64, "task"),
                label(0),
                count(base.task_count as u64, "task")
            )
        })
        .collect();
    if !partial.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Tasks with the same id draw the same durations in every scenario; {}.",
            partial.join("; ")
        );
    }
    visible(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_read_naturally() {
        let e = IntervalEstimate {
            estimate: -2.06,
            low: Some(-2.31),
            high: Some(-1.8),
            standard_error: Some(0.1),
        };
        assert_eq!(signed_interval(&e), "-2.1 [-2.3, -1.8]");
        let p = IntervalEstimate {
            estimate: 0.123,
            low: Some(0.004),
            high: Some(0.2),
            standard_error: Some(0.01),
        };
        assert_eq!(points(&p), "+12 pts [0, +20]");
        let z = IntervalEstimate {
            estimate: 0.0,
            low: None,
            high: None,
            standard_error: None,
        };
        assert_eq!(points(&z), "0 pts");
        assert_eq!(signed_interval(&z), "+0.0");
    }
}
