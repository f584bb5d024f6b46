//! The Gantt chart of one iteration (`slipcast explain`): each task's bar
//! from its start to its finish in that iteration, the plan's bar (likely
//! durations) as a thin grey bar under it, the iteration's critical path in
//! the commitment colour, the days risks added marked at the end of a bar,
//! and each task's overrun written after it. The axis is working days from
//! the start, labelled with their dates, so weekends and holidays take no
//! room.
//!
//! Plans of up to [`GANTT_ROWS`] open tasks show every one; larger plans
//! show the critical path and the tasks that ran furthest over their likely
//! duration, and say so under the chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::render;
use super::team_load::{calendar, ticks};
use super::theme::{
    self, AXIS, GRID, HEADER, INK, MARGIN, MUTED, P80, PAPER, PLAN, SECONDARY, Swatch, WIDTH,
};
use super::{ChartError, DrawResult, run_task_label, short_date};
use crate::analysis::{Explanation, WorldTask};
use crate::plan::Status;
use crate::report::format::{day_unit, group_digits};

/// Most rows the chart shows.
pub const GANTT_ROWS: usize = 60;
/// Height of one row, in pixels.
const ROW: u32 = 30;
/// Height of the legend row.
const LEGEND: u32 = 44;
/// Height of the date axis.
const AXIS_H: u32 = 62;
/// Height of the note under the axis, when tasks are left out.
const NOTE: u32 = 30;
/// Room above the rows for the finish labels.
const TOP: u32 = 28;
/// The plan's bars.
const PLANNED: RGBColor = RGBColor(0xc4, 0xc9, 0xd1);
/// The days risks added, at the end of a bar.
const RISK_DAYS: RGBColor = RGBColor(0x8b, 0x1e, 0x1e);

/// One task's row.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttBar {
    /// Its label: the task's name (or id).
    pub label: String,
    /// Start and finish in the iteration, working days from the start.
    pub start: f64,
    /// See `start`.
    pub finish: f64,
    /// Start and finish in the plan.
    pub plan_start: f64,
    /// See `plan_start`.
    pub plan_finish: f64,
    /// Days risks added to it (the last part of its bar).
    pub risk_delay: f64,
    /// Its duration less its likely duration, risk delays included.
    pub over: f64,
    /// On the iteration's critical path.
    pub critical: bool,
}

impl GanttBar {
    fn of(e: &Explanation, t: &WorldTask) -> GanttBar {
        GanttBar {
            label: run_task_label(&e.run, &t.id, &t.name),
            start: t.start,
            finish: t.finish,
            plan_start: t.plan_start,
            plan_finish: t.plan_finish,
            risk_delay: t.risk_delay,
            over: t.duration - t.likely,
            critical: t.critical,
        }
    }

    /// A task of no duration, in the iteration and in the plan.
    fn milestone(&self) -> bool {
        self.finish == self.start && self.plan_finish == self.plan_start
    }
}

/// The Gantt chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// Rows, top to bottom (by start in the iteration).
    pub rows: Vec<GanttBar>,
    /// The iteration's finish, in working days from the start.
    pub finish: f64,
    /// `P80 Wed 21 Apr`.
    pub finish_label: String,
    /// The plan's finish.
    pub plan: f64,
    /// `Plan Thu 8 Apr`.
    pub plan_label: String,
    /// The last working day shown.
    pub end: f64,
    /// Date ticks: (working days from the start, label).
    pub ticks: Vec<(f64, String)>,
    /// The axis description, e.g. `Date (2027)`.
    pub x_desc: String,
    /// Which tasks were left out, when some were.
    pub note: Option<String>,
}

impl GanttView {
    /// The view of `e`: every task not yet done, or with more than
    /// [`GANTT_ROWS`], the critical path and then the tasks that ran
    /// furthest over their likely duration.
    pub fn new(e: &Explanation) -> GanttView {
        let open: Vec<&WorldTask> = e
            .tasks
            .iter()
            .filter(|t| t.status != Status::Done)
            .collect();
        let mut picked: Vec<&WorldTask> = open.iter().copied().filter(|t| t.critical).collect();
        let path = picked.len();
        let mut note = None;
        if open.len() <= GANTT_ROWS {
            picked = open.clone();
        } else {
            let mut rest: Vec<&WorldTask> = open.iter().copied().filter(|t| !t.critical).collect();
            rest.sort_by(|a, b| (b.duration - b.likely).total_cmp(&(a.duration - a.likely)));
            let room = GANTT_ROWS.saturating_sub(picked.len());
            picked.extend(rest.into_iter().take(room));
            note = Some(format!(
                "{} of {} open tasks shown: the {path} of the critical path and the {} that ran \
                 furthest over their likely duration",
                picked.len(),
                open.len(),
                picked.len() - path
            ));
        }
        if open.is_empty() {
            note = Some("Every task is done: nothing is left to schedule".into());
        }
        let mut rows: Vec<GanttBar> = picked.iter().map(|t| GanttBar::of(e, t)).collect();
        rows.sort_by(|a, b| {
            a.start
                .total_cmp(&b.start)
                .then(a.finish.total_cmp(&b.finish))
        });
        let cal = calendar(&e.run);
        let end = rows
            .iter()
            .map(|r| r.finish.max(r.plan_finish))
            .fold(e.finish.max(e.plan_days), f64::max);
        let (ticks, x_desc) = ticks(&cal, end);
        let ticks = spaced(ticks, end);
        let unit = day_unit(&e.run);
        let late = e.finish - e.plan_days;
        let pct = format!("P{}", e.percentile);
        let title = if late >= 0.05 {
            format!(
                "The {pct} world finishes {}, {late:.1} {unit} after the plan",
                short_date(e.finish_date)
            )
        } else {
            format!(
                "The {pct} world finishes {}, no later than the plan",
                short_date(e.finish_date)
            )
        };
        let subtitle = format!(
            "Iteration {} of {} (seed {}), whose finish is the {pct}, beside the plan; +N: the \
             {unit} a task ran over its likely duration",
            group_digits(e.iteration),
            group_digits(e.run.iterations),
            e.run.seed
        );
        GanttView {
            title,
            subtitle,
            rows,
            finish: e.finish,
            finish_label: format!("{pct} {}", short_date(e.finish_date)),
            plan: e.plan_days,
            plan_label: format!("Plan {}", short_date(e.plan_date)),
            end,
            ticks,
            x_desc,
            note,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let rows = self.rows.len().max(1) as u32;
        let note = if self.note.is_some() { NOTE } else { 0 };
        (
            WIDTH,
            HEADER + LEGEND + TOP + rows * ROW + AXIS_H + note + 24,
        )
    }

    /// Draws the chart on `area` (any plotters backend) and presents it.
    ///
    /// # Errors
    ///
    /// Any drawing error of the backend.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        theme::register_fonts();
        draw(area, self)?;
        area.present()
    }

    fn error(ext: &str, message: String) -> ChartError {
        ChartError {
            chart: "Gantt",
            path: format!("gantt.{ext}").into(),
            message,
        }
    }

    /// The chart as an SVG document.
    ///
    /// # Errors
    ///
    /// [`ChartError`] naming the chart and its file (`gantt.svg`).
    pub fn svg(&self) -> Result<String, ChartError> {
        render::svg(self.size(), |area| self.draw(area)).map_err(|e| Self::error("svg", e))
    }

    /// The chart as a PNG image (8-bit RGB).
    ///
    /// # Errors
    ///
    /// [`ChartError`] naming the chart and its file (`gantt.png`).
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        render::png(self.size(), |area| self.draw(area)).map_err(|e| Self::error("png", e))
    }
}

/// `ticks` without the start's tick when the next one is too close to it
/// to label both (a month that begins a few days after the start).
fn spaced(mut ticks: Vec<(f64, String)>, end: f64) -> Vec<(f64, String)> {
    if ticks.len() > 1 && ticks[1].0 - ticks[0].0 < end * 0.06 {
        ticks.remove(0);
    }
    ticks
}

/// `+4.2`, or nothing for a task that ran less than half a day over.
fn over_text(over: f64) -> Option<String> {
    (over >= 0.5).then(|| format!("+{over:.1}"))
}

/// Draws the Gantt chart.
fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &GanttView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let y = HEADER as i32 + 10;
    let mut x = MARGIN;
    for (swatch, label) in [
        (Swatch::Box(P80), "Critical path"),
        (Swatch::Box(SECONDARY), "Other tasks"),
        (Swatch::Box(RISK_DAYS), "Days risks added"),
        (Swatch::Line(PLANNED, 6), "The plan (likely durations)"),
    ] {
        x = theme::legend_entry(area, (x, y), swatch, label)?;
    }
    let (w, h) = area.dim_in_pixel();
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    let label_style = theme::text(16.0, INK);
    let bold = theme::bold(16.0, INK);
    let mut widest = 0;
    for r in &v.rows {
        let style = if r.critical { &bold } else { &label_style };
        widest = widest.max(theme::text_width(area, &r.label, style)?);
    }
    let label_w = (widest + 20).clamp(160, 420);
    // Room on the right for the overrun of the latest rows.
    let x_range = 0.0..v.end + (v.end * 0.07).max(1.0);
    let n = v.rows.len().max(1) as f64;
    let (_, body) = area.split_vertically(HEADER + LEGEND);
    let note = if v.note.is_some() { NOTE } else { 0 };
    let body = body.margin(TOP, 24 + note, MARGIN, MARGIN);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(AXIS_H)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(
            Labelled::new(x_range.clone(), v.ticks.iter().cloned()),
            0.0..n,
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_style(theme::text(16.0, MUTED))
        .x_desc(v.x_desc.clone())
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let over_style = theme::text(14.0, MUTED);
    let over_bold = theme::bold(14.0, P80);
    for (i, r) in v.rows.iter().enumerate() {
        let mid = n - i as f64 - 0.5;
        if i % 2 == 1 {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x_range.start, mid - 0.5), (x_range.end, mid + 0.5)],
                RGBColor(0xf6, 0xf7, 0xf9).filled(),
            )))?;
        }
        let (lx, ly) = chart.backend_coord(&(x_range.start, mid));
        let style = if r.critical { &bold } else { &label_style };
        let name = theme::fit(area, &r.label, style, label_w - 20)?;
        area.draw(&Text::new(
            name,
            local((lx - 12, ly)),
            theme::anchored(style.clone(), HPos::Right, VPos::Center),
        ))?;
        let colour = if r.critical { P80 } else { SECONDARY };
        if r.milestone() {
            // A diamond at the iteration's time, a grey one at the plan's.
            for (t, c, dy) in [(r.plan_finish, PLANNED, 6), (r.finish, colour, -3)] {
                let (dx, y0) = local(chart.backend_coord(&(t, mid)));
                let y0 = y0 + dy;
                area.draw(&Polygon::new(
                    vec![(dx, y0 - 8), (dx + 7, y0), (dx, y0 + 8), (dx - 7, y0)],
                    c.filled(),
                ))?;
            }
        } else {
            // The plan under the iteration: a thin grey bar.
            chart.draw_series(std::iter::once(Rectangle::new(
                [(r.plan_start, mid - 0.36), (r.plan_finish, mid - 0.2)],
                PLANNED.filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(r.start, mid - 0.12), (r.finish, mid + 0.32)],
                colour.filled(),
            )))?;
            if r.risk_delay > 0.0 {
                let from = (r.finish - r.risk_delay).max(r.start);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(from, mid - 0.12), (r.finish, mid + 0.32)],
                    RISK_DAYS.filled(),
                )))?;
            }
        }
        if let Some(text) = over_text(r.over) {
            let (ex, ey) = chart.backend_coord(&(r.finish.max(r.plan_finish), mid + 0.1));
            let s = if r.critical { &over_bold } else { &over_style };
            area.draw(&Text::new(
                text,
                local((ex + 8, ey)),
                theme::anchored(s.clone(), HPos::Left, VPos::Center),
            ))?;
        }
    }
    // The iteration's finish and the plan's, across the rows.
    let (_, top) = chart.backend_coord(&(0.0, n));
    let (_, bottom) = chart.backend_coord(&(0.0, 0.0));
    let marks = [
        (v.plan, PLAN, &v.plan_label),
        (v.finish, P80, &v.finish_label),
    ];
    let mut last_right = i32::MIN;
    for (t, c, label) in marks {
        let (fx, _) = chart.backend_coord(&(t, 0.0));
        theme::dashed(
            area,
            local((fx, top - 6)),
            local((fx, bottom)),
            c.stroke_width(2),
            (8, 6),
        )?;
        let style = theme::bold(15.0, c);
        let tw = theme::text_width(area, label, &style)?;
        // Left of the line, unless that would run into the first label.
        let left = fx - 6 - tw > last_right;
        let (anchor, x) = if left {
            (HPos::Right, fx - 6)
        } else {
            (HPos::Left, fx + 6)
        };
        last_right = if left { fx } else { fx + 6 + tw };
        area.draw(&Text::new(
            label.clone(),
            local((x, top - 14)),
            theme::anchored(style, anchor, VPos::Center),
        ))?;
    }
    if let Some(note) = &v.note {
        area.draw(&Text::new(
            note.clone(),
            (w as i32 - MARGIN, h as i32 - 16),
            theme::anchored(theme::text(15.0, MUTED), HPos::Right, VPos::Bottom),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_crowding_the_start_drops_the_start() {
        let t = |v: &[f64]| v.iter().map(|&x| (x, format!("{x}"))).collect::<Vec<_>>();
        assert_eq!(spaced(t(&[0.0, 6.0, 37.0]), 200.0), t(&[6.0, 37.0]));
        assert_eq!(spaced(t(&[0.0, 20.0, 40.0]), 200.0), t(&[0.0, 20.0, 40.0]));
        assert_eq!(spaced(t(&[0.0]), 200.0), t(&[0.0]));
    }

    #[test]
    fn overruns_below_a_tenth_of_a_day_are_not_written() {
        assert_eq!(over_text(4.24), Some("+4.2".into()));
        assert_eq!(over_text(0.5), Some("+0.5".into()));
        assert_eq!(over_text(0.44), None);
        assert_eq!(over_text(-3.0), None);
    }
}
