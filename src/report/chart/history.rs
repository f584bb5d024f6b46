//! The history charts: the trend of P50/P80/P90 and the plan date over the
//! snapshots' data dates (with the commitment date), and the waterfall of
//! what moved the P80 from the first snapshot to the last.
//!
//! Drawn from [`History`] (plain data); the value axis counts days from the
//! first snapshot's data date, labelled with dates.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::theme::{
    self, AXIS, GRID, HEADER, INK, MARGIN, MUTED, P50, P80, P90, PAPER, PLAN, PRIMARY, RISK,
    Swatch, TARGET, WIDTH,
};
use super::{DrawResult, short_date};
use crate::analysis::{Cause, History};
use crate::report::format::group_digits;
use crate::report::history::{history_headline, part_name};

/// One snapshot on the trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Its data date.
    pub data_date: NaiveDate,
    /// P50, P80 and P90, in days from the first data date.
    pub p50: f64,
    /// P80.
    pub p80: f64,
    /// P90.
    pub p90: f64,
    /// The plan date, in days.
    pub plan: f64,
    /// The P80 date.
    pub p80_date: NaiveDate,
    /// Tasks done, of tasks.
    pub done: (usize, usize),
    /// Whether the move into this snapshot is a watermelon.
    pub watermelon: bool,
    /// The chance of the commitment date.
    pub chance: Option<f64>,
}

/// The trend chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// The snapshots, oldest first.
    pub points: Vec<TrendPoint>,
    /// The commitment date and its day.
    pub target: Option<(NaiveDate, f64)>,
    /// The first data date (day 0 of the value axis).
    pub origin: NaiveDate,
    /// Dates of whole days on the value axis, to label ticks.
    pub ticks: Vec<(f64, String)>,
    /// The unit of the value axis.
    pub unit: String,
}

/// The run's calendar from the first data date, as the history records it.
fn calendar(h: &History) -> crate::plan::Calendar {
    let info = &h.run.calendar;
    crate::plan::parse_workdays(&info.workdays)
        .ok()
        .and_then(|w| {
            crate::plan::Calendar::new(h.run.start, w, info.holidays.iter().copied().collect()).ok()
        })
        .unwrap_or_else(|| crate::plan::Calendar::weekdays(h.run.start))
}

/// Tick labels for days `lo..hi` from the first data date: about eight
/// dates.
fn date_ticks(h: &History, lo: f64, hi: f64) -> Vec<(f64, String)> {
    let cal = calendar(h);
    let on_calendar = h.unit == "calendar days";
    let step = (((hi - lo) / 8.0).ceil() as u64).max(1);
    let first = lo.max(1.0).ceil() as u64;
    (first..=hi.floor().max(1.0) as u64)
        .step_by(step as usize)
        .map(|d| {
            let date = if on_calendar {
                h.run.start + chrono::Days::new(d.saturating_sub(1))
            } else {
                h.snapshots
                    .iter()
                    .flat_map(|s| [(s.p50.days, s.p50.date), (s.p80.days, s.p80.date)])
                    .find(|&(x, _)| crate::plan::Calendar::day_of(x) == d)
                    .map_or_else(|| cal.workday(d), |(_, date)| date)
            };
            (d as f64, short_date(date))
        })
        .collect()
}

impl TrendView {
    /// The view of a history.
    pub fn new(h: &History) -> TrendView {
        let points: Vec<TrendPoint> = h
            .snapshots
            .iter()
            .enumerate()
            .map(|(k, s)| TrendPoint {
                data_date: s.data_date,
                p50: s.p50.days,
                p80: s.p80.days,
                p90: s.p90.days,
                plan: s.plan.days,
                p80_date: s.p80.date,
                done: (s.done, s.tasks),
                watermelon: k > 0 && h.moves[k - 1].watermelon,
                chance: s.target_probability,
            })
            .collect();
        let target = h.target.map(|t| {
            let cal = calendar(h);
            let day = if h.unit == "calendar days" {
                (t - h.run.start).num_days() as f64 + 1.0
            } else {
                cal.workdays_through(t) as f64
            };
            (t, day)
        });
        let lo = points
            .iter()
            .map(|p| p.p50.min(p.plan))
            .fold(f64::INFINITY, f64::min);
        let hi = points
            .iter()
            .map(|p| p.p90)
            .chain(target.map(|t| t.1))
            .fold(0.0, f64::max);
        TrendView {
            title: history_headline(h),
            subtitle: format!(
                "P50, P80 and P90 finish of each snapshot from its data date, with the plan date; {} iterations each, seed {}",
                group_digits(h.run.iterations),
                h.run.seed
            ),
            points,
            target,
            origin: h.run.start,
            ticks: date_ticks(h, lo - 5.0, hi + 5.0),
            unit: h.unit.to_string(),
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, 760)
    }
}

/// Draws the trend chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &TrendView,
) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let n = v.points.len();
    if n == 0 {
        return Ok(());
    }
    let lo = v
        .points
        .iter()
        .map(|p| p.p50.min(p.plan))
        .chain(v.target.map(|t| t.1))
        .fold(f64::INFINITY, f64::min);
    let hi = v
        .points
        .iter()
        .map(|p| p.p90)
        .chain(v.target.map(|t| t.1))
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.12).max(2.0);
    let (y0, y1) = ((lo - pad).max(0.0).floor(), (hi + pad).ceil());
    let x_axis = Labelled::new(-0.5..n as f64 - 0.5, std::iter::empty());
    let y_axis = Labelled::new(y0..y1, v.ticks.iter().cloned());
    let (w, h) = area.dim_in_pixel();
    let body = area.margin(HEADER + 40, 110, MARGIN - 10, MARGIN + 120);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(10)
        .y_label_area_size(100)
        .build_cartesian_2d(x_axis, y_axis)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_label_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);

    // The legend, under the header.
    let mut x = MARGIN;
    let y = HEADER as i32 + 14;
    for (swatch, label) in [
        (Swatch::Line(P50, 2), "P50"),
        (Swatch::Line(P80, 4), "P80"),
        (Swatch::Line(P90, 2), "P90"),
        (Swatch::Line(PLAN, 2), "Plan date (likely durations)"),
    ] {
        x = theme::legend_entry(area, (x, y), swatch, label)?;
    }
    if v.target.is_some() {
        theme::legend_entry(area, (x, y), Swatch::Line(TARGET, 2), "Commitment")?;
    }

    // The commitment date.
    if let Some((t, day)) = v.target {
        let (x0, ty) = chart.backend_coord(&(-0.5, day));
        let (x1, _) = chart.backend_coord(&(n as f64 - 0.5, day));
        theme::dashed(
            area,
            local((x0, ty)),
            local((x1, ty)),
            TARGET.stroke_width(2),
            (10, 6),
        )?;
        area.draw(&Text::new(
            format!("Commitment {}", short_date(t)),
            local((x0 + 10, ty - 6)),
            theme::anchored(theme::bold(16.0, TARGET), HPos::Left, VPos::Bottom),
        ))?;
    }
    // The plan date, dashed.
    let plan: Vec<(f64, f64)> = v
        .points
        .iter()
        .enumerate()
        .map(|(k, p)| (k as f64, p.plan))
        .collect();
    for w2 in plan.windows(2) {
        let a = chart.backend_coord(&w2[0]);
        let b = chart.backend_coord(&w2[1]);
        theme::dashed(area, local(a), local(b), PLAN.stroke_width(2), (8, 5))?;
    }
    chart.draw_series(plan.iter().map(|&p| Circle::new(p, 4, PLAN.filled())))?;
    // P50, P90, then P80 on top.
    type Line = (&'static str, RGBColor, u32, fn(&TrendPoint) -> f64);
    let series: [Line; 3] = [
        ("P50", P50, 2, |p| p.p50),
        ("P90", P90, 2, |p| p.p90),
        ("P80", P80, 4, |p| p.p80),
    ];
    for (name, color, width, value) in series {
        let pts: Vec<(f64, f64)> = v
            .points
            .iter()
            .enumerate()
            .map(|(k, p)| (k as f64, value(p)))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(width)))?;
        chart.draw_series(
            pts.iter()
                .map(|&p| Circle::new(p, width + 3, color.filled())),
        )?;
        if let Some(&last) = pts.last() {
            let (px, py) = chart.backend_coord(&last);
            area.draw(&Text::new(
                name.to_string(),
                local((px + 14, py)),
                theme::anchored(theme::bold(16.0, color), HPos::Left, VPos::Center),
            ))?;
        }
    }
    // Under each snapshot: its data date, progress, P80 date and chance.
    let (_, axis_y) = chart.backend_coord(&(0.0, y0));
    for (k, p) in v.points.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(k as f64, p.p80));
        let lines = [
            (
                format!("Data date {}", short_date(p.data_date)),
                theme::bold(16.0, INK),
            ),
            (
                format!("{} of {} done", p.done.0, p.done.1),
                theme::text(15.0, MUTED),
            ),
            (
                format!("P80 {}", short_date(p.p80_date)),
                theme::bold(16.0, P80),
            ),
            (
                p.chance
                    .map(|c| format!("{} chance", crate::report::percent(c)))
                    .unwrap_or_default(),
                theme::text(15.0, MUTED),
            ),
        ];
        for (i, (text, style)) in lines.into_iter().enumerate() {
            area.draw(&Text::new(
                text,
                local((px, axis_y + 12 + 22 * i as i32)),
                theme::anchored(style, HPos::Center, VPos::Top),
            ))?;
        }
        if p.watermelon {
            area.draw(&Text::new(
                "Watermelon: plan date held, P80 slipped".to_string(),
                local((px, py - 16)),
                theme::anchored(theme::bold(15.0, PLAN), HPos::Center, VPos::Bottom),
            ))?;
        }
    }
    let _ = (w, h);
    Ok(())
}

/// One bar of the waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What it is.
    pub label: String,
    /// Where the bar starts and ends, in days from the first data date.
    pub from: f64,
    /// Where it ends.
    pub to: f64,
    /// A snapshot's P80 (a total bar from the axis), not a change.
    pub total: bool,
}

/// The waterfall chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// The bars, top to bottom.
    pub steps: Vec<Step>,
    /// Tick labels of the value axis.
    pub ticks: Vec<(f64, String)>,
    /// The unit.
    pub unit: String,
}

/// Estimate changes shown one by one per move; the rest are summed.
const NAMED_ESTIMATES: usize = 6;

impl WaterfallView {
    /// The view of a history.
    pub fn new(h: &History) -> WaterfallView {
        let mut steps = Vec::new();
        let first = &h.snapshots[0];
        steps.push(Step {
            label: format!("P80, {}", short_date(first.data_date)),
            from: 0.0,
            to: first.p80.days,
            total: true,
        });
        let mut at = first.p80.days;
        for m in &h.moves {
            let mut parts: Vec<(String, f64)> = Vec::new();
            let mut estimates: Vec<(String, f64)> = m
                .parts
                .iter()
                .filter(|p| p.cause == Cause::Estimate)
                .map(|p| (part_name(p.cause, &p.label), p.p80.estimate))
                .collect();
            estimates.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            let rest: Vec<(String, f64)> =
                estimates.split_off(estimates.len().min(NAMED_ESTIMATES));
            let named: Vec<String> = estimates.iter().map(|e| e.0.clone()).collect();
            let mut rest_added = false;
            for p in &m.parts {
                let name = part_name(p.cause, &p.label);
                if p.cause == Cause::Estimate && !named.contains(&name) {
                    if !rest_added {
                        let sum: f64 = rest.iter().map(|r| r.1).sum();
                        parts.push((format!("{} more estimate changes", rest.len()), sum));
                        rest_added = true;
                    }
                    continue;
                }
                parts.push((name, p.p80.estimate));
            }
            for (label, d) in parts {
                steps.push(Step {
                    label,
                    from: at,
                    to: at + d,
                    total: false,
                });
                at += d;
            }
            let s = &h.snapshots[m.to];
            steps.push(Step {
                label: format!("P80, {}", short_date(s.data_date)),
                from: 0.0,
                to: s.p80.days,
                total: true,
            });
            at = s.p80.days;
        }
        let lo = steps
            .iter()
            .map(|s| if s.total { s.to } else { s.from.min(s.to) })
            .fold(f64::INFINITY, f64::min);
        let hi = steps.iter().map(|s| s.from.max(s.to)).fold(0.0, f64::max);
        WaterfallView {
            title: history_headline(h),
            subtitle: crate::report::history::largest_causes(h).unwrap_or_else(|| {
                format!(
                    "Each cause forecast on the same random draws; {} iterations, seed {}",
                    group_digits(h.run.iterations),
                    h.run.seed
                )
            }),
            ticks: date_ticks(h, (lo - 10.0).max(0.0), hi + 5.0),
            steps,
            unit: h.unit.to_string(),
        }
    }

    /// Size in pixels: the height grows with the bars.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, HEADER + 150 + 40 * self.steps.len() as u32)
    }
}

/// Draws the waterfall.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw_waterfall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &WaterfallView,
) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let n = v.steps.len();
    let lo = v
        .steps
        .iter()
        .map(|s| if s.total { s.to } else { s.from.min(s.to) })
        .fold(f64::INFINITY, f64::min);
    let hi = v
        .steps
        .iter()
        .map(|s| s.from.max(s.to))
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.15).max(2.0);
    let (x0, x1) = ((lo - pad).max(0.0).floor(), (hi + pad).ceil());
    let x_axis = Labelled::new(x0..x1, v.ticks.iter().cloned());
    let y_axis = Labelled::new(-0.5..n as f64 - 0.5, std::iter::empty());
    let body = area.margin(HEADER + 10, MARGIN, 420, MARGIN + 90);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(36)
        .y_label_area_size(0)
        .build_cartesian_2d(x_axis, y_axis)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_label_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    let label_style = theme::text(16.0, INK);
    for (k, s) in v.steps.iter().enumerate() {
        // Top to bottom.
        let row = (n - 1 - k) as f64;
        let (a, b) = if s.total {
            (x0, s.to)
        } else {
            (s.from.min(s.to), s.from.max(s.to))
        };
        let color = if s.total {
            PRIMARY
        } else if s.to > s.from {
            RISK
        } else {
            TARGET
        };
        let b = if (b - a).abs() < 0.05 { a + 0.05 } else { b };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a, row - 0.32), (b, row + 0.32)],
            color.filled(),
        )))?;
        // Connector to the next bar.
        if k + 1 < n {
            let (px, py) = chart.backend_coord(&(s.to, row - 0.32));
            let (_, qy) = chart.backend_coord(&(s.to, row - 0.68));
            area.draw(&PathElement::new(
                vec![local((px, py)), local((px, qy))],
                AXIS.stroke_width(1),
            ))?;
        }
        let (_, py) = chart.backend_coord(&(x0, row));
        let label = theme::fit(area, &s.label, &label_style, 380)?;
        area.draw(&Text::new(
            label,
            (MARGIN, py - base.1),
            theme::anchored(
                if s.total {
                    theme::bold(16.0, INK)
                } else {
                    label_style.clone()
                },
                HPos::Left,
                VPos::Center,
            ),
        ))?;
        let value = if s.total {
            String::new()
        } else {
            crate::report::format::signed(s.to - s.from, 1)
        };
        if !value.is_empty() {
            let (px, _) = chart.backend_coord(&(s.from.max(s.to), row));
            area.draw(&Text::new(
                value,
                local((px + 8, py)),
                theme::anchored(theme::bold(15.0, MUTED), HPos::Left, VPos::Center),
            ))?;
        }
    }
    let (w, hgt) = area.dim_in_pixel();
    area.draw(&Text::new(
        format!(
            "Each cause forecast on the same random draws, in this order; the bars add up exactly. Bars in {}: orange later, green earlier",
            v.unit
        ),
        (w as i32 - MARGIN, hgt as i32 - 14),
        theme::anchored(theme::text(15.0, MUTED), HPos::Right, VPos::Bottom),
    ))?;
    Ok(())
}
