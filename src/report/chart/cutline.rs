//! The cut-line curve: P50, the committed percentile and P90 of the finish
//! against the cut position (keep everything, then cut one priority level
//! more at each step), with the target as a horizontal line, the chance of
//! the target under each position and the recommended cut highlighted.
//!
//! Drawn from [`Cutline::chart`] (plain data); the y axis counts working
//! days from the start, labelled with dates where the sweep has them.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::theme::{
    self, AXIS, GRID, HEADER, INK, MARGIN, MUTED, P50, P80, P90, PAPER, PLAN, WIDTH,
};
use super::{DrawResult, short_date};
use crate::analysis::{Cutline, CutlineBar};
use crate::report::{
    axis_start, days_of, finish_of, group_digits, long_date, on_calendar_days, percent,
};

/// Height of the chart in pixels.
const HEIGHT: u32 = 780;

/// The cut-line chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct CutlineView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// One per position, in sweep order.
    pub positions: Vec<CutlineBar>,
    /// The target date.
    pub target: NaiveDate,
    /// Its working day.
    pub target_day: f64,
    /// The committed confidence, in percent.
    pub confidence: f64,
    /// What the y axis counts: working days from the start, or calendar
    /// days from the data date.
    pub y_desc: String,
}

impl CutlineView {
    /// The view of a cut-line sweep.
    pub fn new(line: &Cutline) -> CutlineView {
        let chart = line.chart();
        let conf = format!("P{}", fmt_conf(line.confidence));
        let target = long_date(line.target);
        let title = match (&line.recommended, &line.shortfall) {
            (Some(r), _) if r.position == 0 => format!(
                "The full plan makes {target} at {conf}: no cut needed ({} chance)",
                percent(r.probability)
            ),
            (Some(r), _) => format!(
                "Cut {} to make {target} at {conf} ({} chance)",
                line.label(r.position),
                percent(r.probability)
            ),
            (None, Some(s)) => format!(
                "Even the must-haves miss {target} at {conf}, by {}",
                days_of(&line.run, s.working_days_late)
            ),
            (None, None) => format!("No cut makes {target} at {conf}"),
        };
        let subtitle = format!(
            "Finish of {} by cut position, on the same random draws; {} iterations per position, seed {}",
            finish_of(line.run.milestone.as_deref()),
            group_digits(line.run.iterations),
            line.run.seed
        );
        CutlineView {
            title,
            subtitle,
            positions: chart.bars,
            target: chart.target,
            target_day: chart.target_working_day as f64,
            confidence: chart.confidence,
            y_desc: if on_calendar_days(&line.run) {
                format!("Calendar days from the {}", axis_start(&line.run))
            } else {
                "Working days from the start".into()
            },
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }
}

/// One line of the chart.
struct Series {
    name: String,
    color: RGBColor,
    width: u32,
    value: fn(&CutlineBar) -> f64,
}

/// `80`, or `87.5`.
fn fmt_conf(c: f64) -> String {
    if (c - c.round()).abs() < 1e-9 {
        format!("{c:.0}")
    } else {
        format!("{c}")
    }
}

/// Draws the cut-line chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &CutlineView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    if v.positions.is_empty() {
        return Ok(());
    }
    let conf_label = format!("P{}", fmt_conf(v.confidence));
    // Lines to draw: P50, the committed percentile, P90 (no duplicates).
    let mut lines: Vec<Series> = vec![
        Series {
            name: "P50".into(),
            color: P50,
            width: 2,
            value: |b| b.p50_days,
        },
        Series {
            name: conf_label.clone(),
            color: P80,
            width: 4,
            value: |b| b.at_confidence_days,
        },
        Series {
            name: "P90".into(),
            color: P90,
            width: 2,
            value: |b| b.p90_days,
        },
    ];
    // The committed percentile replaces a P50 or P90 of the same name.
    let mut seen = Vec::new();
    lines.sort_by_key(|s| s.width != 4);
    lines.retain(|s| {
        let fresh = !seen.contains(&s.name);
        seen.push(s.name.clone());
        fresh
    });
    // The committed line on top.
    lines.sort_by_key(|s| s.width);

    let lo = v
        .positions
        .iter()
        .map(|b| b.p50_days)
        .fold(v.target_day, f64::min);
    let hi = v
        .positions
        .iter()
        .map(|b| b.p90_days.max(b.at_confidence_days))
        .fold(v.target_day, f64::max);
    let pad = ((hi - lo) * 0.12).max(1.0);
    let (y0, y1) = ((lo - pad).max(0.0).floor(), (hi + pad * 1.6).ceil());
    let n = v.positions.len();
    let x_axis = Labelled::new(-0.5..n as f64 - 0.5, std::iter::empty());

    let (w, _) = area.dim_in_pixel();
    let body = area.margin(HEADER + 10, 122, MARGIN - 10, MARGIN + 150);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(20)
        .y_label_area_size(84)
        .build_cartesian_2d(x_axis, y0..y1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(7)
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .y_label_style(theme::text(16.0, MUTED))
        .y_desc(v.y_desc.clone())
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);

    // The recommended position, as a band behind everything.
    if let Some(k) = v.positions.iter().position(|b| b.recommended) {
        let x = k as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.4, y0), (x + 0.4, y1)],
            RGBColor(0xfd, 0xf3, 0xeb).filled(),
        )))?;
        let (px, py) = chart.backend_coord(&(x, y1));
        area.draw(&Text::new(
            "Recommended".to_string(),
            local((px, py + 8)),
            theme::anchored(theme::bold(16.0, P80), HPos::Center, VPos::Top),
        ))?;
    }
    // The target.
    let (tx0, ty) = chart.backend_coord(&(-0.5, v.target_day));
    let (tx1, _) = chart.backend_coord(&(n as f64 - 0.5, v.target_day));
    theme::dashed(
        area,
        local((tx0, ty)),
        local((tx1, ty)),
        PLAN.stroke_width(2),
        (10, 6),
    )?;
    area.draw(&Text::new(
        format!("Target {}", short_date(v.target)),
        local((tx1 + 12, ty)),
        theme::anchored(theme::bold(17.0, PLAN), HPos::Left, VPos::Center),
    ))?;
    // The lines, their end labels, and the committed dates.
    for Series {
        name,
        color,
        width,
        value,
    } in &lines
    {
        let pts: Vec<(f64, f64)> = v
            .positions
            .iter()
            .enumerate()
            .map(|(k, b)| (k as f64, value(b)))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(*width)))?;
        chart.draw_series(
            pts.iter()
                .map(|&p| Circle::new(p, *width + 3, color.filled())),
        )?;
        if let Some(&last) = pts.last() {
            let (px, py) = chart.backend_coord(&last);
            area.draw(&Text::new(
                name.clone(),
                local((px + 16, py)),
                theme::anchored(theme::bold(16.0, *color), HPos::Left, VPos::Center),
            ))?;
        }
    }
    // Under each position: what it cuts, its committed date and the chance
    // of the target.
    let (_, axis_y) = chart.backend_coord(&(0.0, y0));
    let (left, _) = chart.backend_coord(&(-0.5, y0));
    let slot = (tx1 - left) / n as i32;
    let name_style = theme::bold(16.0, INK);
    for (k, b) in v.positions.iter().enumerate() {
        let (px, _) = chart.backend_coord(&(k as f64, y0));
        let label = theme::fit(area, &b.label, &name_style, slot - 8)?;
        area.draw(&Text::new(
            label,
            local((px, axis_y + 12)),
            theme::anchored(name_style.clone(), HPos::Center, VPos::Top),
        ))?;
        let cut = match b.tasks_cut {
            0 => "all tasks kept".to_string(),
            1 => "1 task cut".to_string(),
            t => format!("{t} tasks cut"),
        };
        let cut = theme::fit(area, &cut, &theme::text(15.0, MUTED), slot - 8)?;
        area.draw(&Text::new(
            cut,
            local((px, axis_y + 36)),
            theme::anchored(theme::text(15.0, MUTED), HPos::Center, VPos::Top),
        ))?;
        let date = format!("{conf_label} {}", short_date(b.at_confidence));
        let date = theme::fit(area, &date, &theme::bold(16.0, P80), slot - 8)?;
        area.draw(&Text::new(
            date,
            local((px, axis_y + 58)),
            theme::anchored(theme::bold(16.0, P80), HPos::Center, VPos::Top),
        ))?;
        let chance = if b.meets {
            theme::bold(16.0, INK)
        } else {
            theme::text(16.0, MUTED)
        };
        area.draw(&Text::new(
            format!("{} chance", percent(b.probability)),
            local((px, axis_y + 82)),
            theme::anchored(chance, HPos::Center, VPos::Top),
        ))?;
    }
    let note = "Cut position: keep everything, then cut one more priority level at each step";
    area.draw(&Text::new(
        note.to_string(),
        (w as i32 - MARGIN, HEIGHT as i32 - 14),
        theme::anchored(theme::text(15.0, MUTED), HPos::Right, VPos::Bottom),
    ))?;
    Ok(())
}
