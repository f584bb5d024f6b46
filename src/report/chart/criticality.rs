//! The most critical tasks: criticality index (share of iterations in which
//! a task is on the critical path), and duration sensitivity beside it when
//! the forecast has it. Both panels list the same tasks in the same order
//! ([`by_criticality`]), so a row reads across: a task's criticality, then
//! its sensitivity.
//!
//! Bars are dark for tasks on the plan's (deterministic) critical path and
//! light for the others: a light bar near the top is a task the plan says
//! cannot delay delivery but the simulation says often does.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ranking::{self, Bar, Ranking, Tone};
use super::theme::{self, HEADER, MARGIN, PAPER, Swatch, WIDTH};
use super::{DrawResult, task_label};
use crate::analysis::{Forecast, TaskSummary};
use crate::plan::Status;
use crate::report::format::fixed;
use crate::report::{percent, truncate};

/// How many tasks the chart ranks.
pub const TOP: usize = 15;

/// Height of the legend row.
const LEGEND: u32 = 40;

/// The criticality chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalityView {
    /// States the finding.
    pub title: String,
    /// What is measured.
    pub subtitle: String,
    /// One panel per measure, side by side.
    pub panels: Vec<Ranking>,
    /// How many tasks the criticality panel ranks.
    pub ranked: usize,
    /// How many of those are not on the plan's critical path.
    pub off_plan_path: usize,
}

/// What this chart needs of a task: filled from [`TaskSummary`], so the chart
/// does not depend on which optional measures the forecast carries.
#[derive(Debug, Clone, PartialEq)]
struct TaskRow {
    label: String,
    criticality: f64,
    /// Spearman rank correlation of the task's duration with the project's.
    sensitivity: Option<f64>,
    on_plan_path: bool,
}

impl TaskRow {
    fn new(f: &Forecast, t: &TaskSummary) -> TaskRow {
        TaskRow {
            label: task_label(f, &t.id, &t.name),
            criticality: t.criticality,
            sensitivity: t.sensitivity,
            on_plan_path: t.on_plan_critical_path,
        }
    }

    fn tone(&self) -> Tone {
        if self.on_plan_path {
            Tone::Primary
        } else {
            Tone::Secondary
        }
    }
}

/// Tasks worth ranking: with work left (not done, not a zero-length
/// milestone, whose criticality is trivially that of its successor).
fn ranked(f: &Forecast) -> Vec<TaskRow> {
    by_criticality(&f.tasks)
        .into_iter()
        .filter(|t| t.status != Status::Done && t.mean_duration > 0.0)
        .map(|t| TaskRow::new(f, t))
        .collect()
}

/// The order in which the report lists tasks, in the criticality chart's
/// two panels and in the task table: most critical first; among equally
/// critical tasks, the most sensitive (rank correlation with the finish;
/// unknown last); then plan order.
pub fn by_criticality(tasks: &[TaskSummary]) -> Vec<&TaskSummary> {
    let mut order: Vec<&TaskSummary> = tasks.iter().collect();
    let sens = |t: &TaskSummary| t.sensitivity.unwrap_or(f64::NEG_INFINITY);
    order.sort_by(|a, b| {
        b.criticality
            .total_cmp(&a.criticality)
            .then(sens(b).total_cmp(&sens(a)))
    });
    order
}

impl CriticalityView {
    /// The view of `f`: the `TOP` tasks by criticality (and, when the
    /// forecast has it, by sensitivity).
    pub fn new(f: &Forecast) -> CriticalityView {
        let rows = ranked(f);
        let considered = rows.len();
        let mut by_crit: Vec<&TaskRow> = rows.iter().filter(|r| r.criticality > 0.0).collect();
        by_crit.truncate(TOP);
        let majority: Vec<&&TaskRow> = by_crit.iter().filter(|r| r.criticality > 0.5).collect();
        let title = match majority.as_slice() {
            [] => "No task is on the critical path in more than half of the iterations: \
                   the risk is spread"
                .to_string(),
            [one] => format!(
                "{} is on the critical path in {} of iterations",
                truncate(&one.label, super::tornado::TITLE_NAME),
                percent(one.criticality)
            ),
            many => format!(
                "{} tasks are on the critical path in more than half of the iterations",
                many.len()
            ),
        };
        let off_plan_path = by_crit.iter().filter(|r| !r.on_plan_path).count();
        let subtitle = format!(
            "Top {} of {considered} tasks with work left, by criticality index (then \
             sensitivity), the same rows in both panels; {}",
            by_crit.len(),
            crate::report::draws(&f.run)
        );
        let mut panels = vec![Ranking {
            heading: "Criticality index: share of iterations on the critical path".into(),
            axis: "Share of iterations".into(),
            bars: by_crit
                .iter()
                .map(|r| Bar {
                    label: r.label.clone(),
                    value: r.criticality,
                    value_text: percent(r.criticality),
                    tone: r.tone(),
                })
                .collect(),
            min: 0.0,
            max: 1.0,
            percent: true,
            names: true,
        }];
        // The same tasks, in the same rows, with their sensitivity: a
        // negative correlation draws no bar but shows its value.
        if by_crit.iter().any(|r| r.sensitivity.is_some()) {
            panels.push(Ranking {
                heading: "Sensitivity: rank correlation with the finish".into(),
                axis: "Spearman rank correlation".into(),
                bars: by_crit
                    .iter()
                    .map(|r| Bar {
                        label: r.label.clone(),
                        value: r.sensitivity.unwrap_or(0.0).max(0.0),
                        value_text: r
                            .sensitivity
                            .map_or_else(|| "\u{2013}".to_string(), |s| fixed(s, 2)),
                        tone: r.tone(),
                    })
                    .collect(),
                min: 0.0,
                max: 1.0,
                percent: false,
                // The rows are the criticality panel's, named there.
                names: false,
            });
        }
        CriticalityView {
            title,
            subtitle,
            ranked: by_crit.len(),
            panels,
            off_plan_path,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let body = self.panels.iter().map(Ranking::height).max().unwrap_or(0);
        (WIDTH, HEADER + LEGEND + body + 20)
    }
}

/// Draws the criticality chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &CriticalityView,
) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let y = HEADER as i32 + 8;
    let x = theme::legend_entry(
        area,
        (MARGIN, y),
        Swatch::Box(Tone::Primary.color()),
        "On the plan's critical path",
    )?;
    theme::legend_entry(
        area,
        (x, y),
        Swatch::Box(Tone::Secondary.color()),
        &format!(
            "Not on the plan's critical path ({} of the {} most critical)",
            v.off_plan_path, v.ranked
        ),
    )?;
    let (_, body) = area.split_vertically(HEADER + LEGEND);
    let body = body.margin(0, 20, MARGIN, MARGIN);
    // The second panel shares the first's rows and names: it needs no
    // name column of its own, so it takes less of the width.
    let panels = if v.panels.len() == 2 {
        let (w, _) = body.dim_in_pixel();
        let (a, b) = body.split_horizontally(w * 3 / 5);
        vec![a, b]
    } else {
        vec![body]
    };
    for (i, (panel, r)) in panels.iter().zip(&v.panels).enumerate() {
        let panel = if i > 0 {
            panel.margin(0, 0, 30, 0)
        } else {
            panel.clone()
        };
        // Each panel as tall as its own bars: a short list beside a long
        // one keeps bars of the same height.
        let (panel, _) = panel.split_vertically(r.height());
        ranking::draw(&panel, r)?;
    }
    Ok(())
}
