//! The probabilistic milestone chart: a Gantt that shows uncertainty. Each
//! row is a milestone or a critical task, with a bar from its P10 to its P90
//! finish, ticks at P50 and P80, and a diamond at its plan date, on a
//! calendar axis.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::theme::{
    self, AXIS, GRID, HEADER, INK, MARGIN, MUTED, P50, P80, PAPER, PLAN, RANGE, Swatch, WIDTH,
};
use super::{DrawResult, short_date, task_label};
use crate::analysis::{Forecast, TaskSummary};
use crate::plan::Status;

/// Most rows the chart shows.
pub const MAX_ROWS: usize = 16;
/// Height of one row, in pixels.
const ROW: u32 = 46;
/// Height of the legend row.
const LEGEND: u32 = 40;
/// Height of the date axis.
const AXIS_H: u32 = 64;

/// One row: a milestone, a task or the forecast finish.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttRow {
    /// Display name.
    pub label: String,
    /// Whether it is a milestone (zero duration) or the forecast finish;
    /// milestones are labelled in bold.
    pub milestone: bool,
    /// 10th-percentile finish.
    pub p10: NaiveDate,
    /// Median finish.
    pub p50: NaiveDate,
    /// 80th-percentile finish.
    pub p80: NaiveDate,
    /// 90th-percentile finish.
    pub p90: NaiveDate,
    /// Finish in the deterministic plan.
    pub plan: NaiveDate,
}

impl GanttRow {
    fn of_task(f: &Forecast, t: &TaskSummary) -> GanttRow {
        GanttRow {
            label: task_label(f, &t.id, &t.name),
            milestone: t.mean_duration == 0.0,
            p10: t.finish.p10,
            p50: t.finish.p50,
            p80: t.finish.p80,
            p90: t.finish.p90,
            plan: t.planned_finish,
        }
    }

    fn first(&self) -> NaiveDate {
        self.p10.min(self.plan)
    }

    fn last(&self) -> NaiveDate {
        self.p90.max(self.plan)
    }
}

/// The milestone chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// Rows, top to bottom.
    pub rows: Vec<GanttRow>,
}

impl MilestoneView {
    /// The view of `f`: its open milestones (zero-duration tasks not yet
    /// done; the most critical, then the latest, when there are more than
    /// half the rows),
    /// then its most critical tasks, up to `MAX_ROWS` in all, plus the
    /// forecast finish when the forecast covers the whole plan; sorted by
    /// median finish.
    pub fn new(f: &Forecast) -> MilestoneView {
        let open: Vec<&TaskSummary> = f
            .tasks
            .iter()
            .filter(|t| t.status != Status::Done)
            .collect();
        let mut picked: Vec<&TaskSummary> = open
            .iter()
            .copied()
            .filter(|t| t.mean_duration == 0.0 || f.run.milestone.as_deref() == Some(&t.id))
            .collect();
        // With many milestones (a P6 programme has dozens), those that
        // drive the finish; among equals, the later deliveries over the
        // kick-offs.
        picked.sort_by(|a, b| {
            b.criticality
                .total_cmp(&a.criticality)
                .then(b.planned_finish.cmp(&a.planned_finish))
        });
        picked.truncate(MAX_ROWS / 2);
        let mut critical: Vec<&TaskSummary> = open
            .iter()
            .copied()
            .filter(|t| t.mean_duration > 0.0 && t.criticality > 0.0)
            .filter(|t| f.run.milestone.as_deref() != Some(&t.id))
            .collect();
        critical.sort_by(|a, b| b.criticality.total_cmp(&a.criticality));
        let room = MAX_ROWS - usize::from(f.run.milestone.is_none()) - picked.len();
        picked.extend(critical.into_iter().take(room));
        let mut rows: Vec<GanttRow> = picked
            .into_iter()
            .map(|t| GanttRow::of_task(f, t))
            .collect();
        if f.run.milestone.is_none() {
            rows.push(GanttRow {
                label: "Forecast finish (all tasks)".into(),
                milestone: true,
                p10: f.finish.p10,
                p50: f.finish.p50,
                p80: f.finish.p80,
                p90: f.finish.p90,
                plan: f.deterministic.finish,
            });
        }
        // A milestone on the same dates as a task marks its end: after it.
        rows.sort_by_key(|r| (r.p50, r.p90, r.plan, r.milestone));
        let late = rows.iter().filter(|r| r.p80 > r.plan).count();
        let title = if rows.is_empty() {
            "Nothing left to schedule".to_string()
        } else if late == rows.len() && late > 1 {
            format!("All {late} milestones and critical tasks shown are later than planned at P80")
        } else if late == 1 && rows.len() == 1 {
            "The one milestone or critical task shown is later than planned at P80".to_string()
        } else if late == 0 {
            "Every milestone and critical task shown makes its plan date at P80".to_string()
        } else {
            format!(
                "{late} of {} milestones and critical tasks are later than planned at P80",
                rows.len()
            )
        };
        let subtitle = "Open milestones (in bold) and the most critical tasks, by median \
                        finish; bars span P10\u{2013}P90 of the simulated finish"
            .to_string();
        MilestoneView {
            title,
            subtitle,
            rows,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let rows = self.rows.len().max(1) as u32;
        (WIDTH, HEADER + LEGEND + rows * ROW + AXIS_H + 30)
    }
}

fn x_of(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// Mondays (weekly, fortnightly) or firsts of the month between `a` and `b`,
/// whichever gives at most 12 ticks, and whether they are firsts of the
/// month.
fn ticks(a: NaiveDate, b: NaiveDate) -> (Vec<NaiveDate>, bool) {
    let mut monday = a;
    while monday.weekday() != Weekday::Mon {
        monday = monday + Days::new(1);
    }
    for step in [7, 14] {
        let days: Vec<NaiveDate> = monday
            .iter_days()
            .step_by(step)
            .take_while(|d| *d <= b)
            .collect();
        if days.len() <= 12 {
            return (days, false);
        }
    }
    let mut months: Vec<NaiveDate> = a
        .iter_days()
        .take_while(|d| *d <= b)
        .filter(|d| d.day() == 1)
        .collect();
    while months.len() > 12 {
        months = months.into_iter().step_by(2).collect();
    }
    (months, true)
}

/// `Mon 1 Feb` for a weekly tick (a Monday), `1 May` for a monthly one
/// (whatever its weekday).
fn tick_label(d: NaiveDate, monthly: bool) -> String {
    if monthly {
        d.format("%-d %b").to_string()
    } else {
        short_date(d)
    }
}

/// Draws the milestone chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &MilestoneView,
) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let y = HEADER as i32 + 8;
    let mut x = MARGIN;
    for (swatch, label) in [
        (Swatch::Box(RANGE), "P10\u{2013}P90 finish"),
        (Swatch::Line(P50, 3), "P50"),
        (Swatch::Line(P80, 4), "P80"),
        (Swatch::Diamond(PLAN), "Plan date"),
    ] {
        x = theme::legend_entry(area, (x, y), swatch, label)?;
    }
    let (Some(first), Some(last)) = (
        v.rows.iter().map(GanttRow::first).min(),
        v.rows.iter().map(GanttRow::last).max(),
    ) else {
        return Ok(());
    };
    let label_style = theme::text(18.0, INK);
    let bold = theme::bold(18.0, INK);
    let mut widest = 0;
    for r in &v.rows {
        let style = if r.milestone { &bold } else { &label_style };
        widest = widest.max(theme::text_width(area, &r.label, style)?);
    }
    let label_w = (widest + 20).clamp(160, 440);
    // Room on the right for the P80 label of the latest rows.
    let span = (last - first).num_days().max(1) as f64;
    let x_range = x_of(first) - 0.5 - span * 0.02..x_of(last) + 0.5 + span * 0.16;
    let n = v.rows.len() as f64;
    let (tick_days, monthly) = ticks(first, last);
    let (_, body) = area.split_vertically(HEADER + LEGEND);
    let body = body.margin(0, 30, MARGIN, MARGIN);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(AXIS_H)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(
            Labelled::new(
                x_range.clone(),
                tick_days.iter().map(|&d| (x_of(d), tick_label(d, monthly))),
            ),
            0.0..n,
        )?;
    let years = (first.year(), last.year());
    let x_desc = if years.0 == years.1 {
        format!("Finish date ({})", years.0)
    } else {
        format!("Finish date ({}\u{2013}{})", years.0, years.1)
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_style(theme::text(16.0, MUTED))
        .x_desc(x_desc)
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    let px = chart.plotting_area().get_x_axis_pixel_range();
    let (px0, px1) = (px.start, px.end);
    for (i, r) in v.rows.iter().enumerate() {
        let mid = n - i as f64 - 0.5;
        if i % 2 == 1 {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x_range.start, mid - 0.5), (x_range.end, mid + 0.5)],
                RGBColor(0xf6, 0xf7, 0xf9).filled(),
            )))?;
        }
        let (lx, ly) = chart.backend_coord(&(x_range.start, mid));
        let style = if r.milestone { &bold } else { &label_style };
        let name = theme::fit(area, &r.label, style, label_w - 20)?;
        area.draw(&Text::new(
            name,
            local((lx - 12, ly)),
            theme::anchored(style.clone(), HPos::Right, VPos::Center),
        ))?;
        // The range, then the ticks, then the plan date on top.
        let (a, b) = (x_of(r.p10) - 0.4, x_of(r.p90) + 0.4);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a, mid - 0.2), (b, mid + 0.2)],
            RANGE.filled(),
        )))?;
        for (d, c, w) in [(r.p50, P50, 3), (r.p80, P80, 4)] {
            let (x, y) = chart.backend_coord(&(x_of(d), mid));
            area.draw(&PathElement::new(
                vec![local((x, y - 14)), local((x, y + 14))],
                c.stroke_width(w),
            ))?;
        }
        let (dx, dy) = local(chart.backend_coord(&(x_of(r.plan), mid)));
        let diamond = vec![
            (dx, dy - 10),
            (dx + 8, dy),
            (dx, dy + 10),
            (dx - 8, dy),
            (dx, dy - 10),
        ];
        area.draw(&Polygon::new(diamond.clone(), PLAN.filled()))?;
        area.draw(&PathElement::new(diamond, PAPER.stroke_width(1)))?;
        // "P80 Wed 31 Mar" after the bar, or before it if there is no room.
        let text = format!("P80 {}", short_date(r.p80));
        let tstyle = theme::text(16.0, MUTED);
        let tw = theme::text_width(area, &text, &tstyle)?;
        let (end, _) = chart.backend_coord(&(x_of(r.last()) + 0.4, mid));
        let (start, _) = chart.backend_coord(&(x_of(r.first()) - 0.4, mid));
        if end + 14 + tw <= px1 {
            area.draw(&Text::new(
                text,
                local((end + 14, ly)),
                theme::anchored(tstyle, HPos::Left, VPos::Center),
            ))?;
        } else if start - 14 - tw >= px0 {
            area.draw(&Text::new(
                text,
                local((start - 14, ly)),
                theme::anchored(tstyle, HPos::Right, VPos::Center),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_mondays_or_firsts_and_few() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        let (t, monthly) = ticks(d(1, 6), d(3, 31));
        assert!(t.len() <= 12 && t.len() >= 6 && !monthly, "{t:?}");
        assert!(t.iter().all(|x| x.weekday() == Weekday::Mon));
        assert_eq!(tick_label(t[0], monthly), "Mon 11 Jan");
        let (t, monthly) = ticks(d(1, 6), d(12, 31));
        assert!(
            t.len() <= 12 && t.iter().all(|x| x.day() == 1) && monthly,
            "{t:?}"
        );
        // 1 February 2027 is a Monday: a monthly tick all the same.
        assert_eq!(tick_label(d(2, 1), monthly), "1 Feb");
    }
}
