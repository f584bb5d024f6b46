//! The scenarios of a comparison on one chart: each scenario's S-curve (the
//! chance of finishing on or before each day), its P80 marked on it, the
//! 80% level and the target, when one was asked about.
//!
//! The day convention is the finish chart's ([`super::FinishView`]): day
//! `d` stands at `x = d`, labelled with its date, and a curve's point there
//! is the chance of finishing on or before that day, so each P80 dot sits on
//! the first day its curve is at or above 80%.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::finish::date_ticks;
use super::theme::{self, AXIS, GRID, HEADER, INK, MARGIN, MUTED, P80, PAPER, TARGET, WIDTH};
use super::{DrawResult, short_date};
use crate::analysis::Comparison;
use crate::report::day_unit;
use crate::report::format::{finish_of, group_digits, long_date, signed};

/// Height of the chart in pixels.
const HEIGHT: u32 = 760;

/// Colours of the scenarios, in order (then again): none is a colour
/// that means something else in the charts (P50 blue, P80 orange, P90
/// purple, the plan date red, the target green).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x1b, 0x3a, 0x5c),
    RGBColor(0xb7, 0x79, 0x1f),
    RGBColor(0x31, 0x97, 0x95),
    RGBColor(0xb8, 0x32, 0x80),
    RGBColor(0x4a, 0x55, 0x68),
    RGBColor(0x7b, 0x34, 0x1e),
];

/// One scenario's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioCurve {
    /// Its label (plan text: made inert where it is drawn).
    pub label: String,
    /// `(day, chance of finishing on or before it)`, one point per day.
    pub points: Vec<(u64, f64)>,
    /// The working day of its P80.
    pub p80_day: Option<u64>,
    /// Its P80 date.
    pub p80: NaiveDate,
}

/// The comparison chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// The days of the x axis, with their dates, in order.
    pub days: Vec<(u64, NaiveDate)>,
    /// One curve per scenario, in the comparison's order.
    pub curves: Vec<ScenarioCurve>,
    /// The target's working day and date, when one was asked about.
    pub target: Option<(u64, NaiveDate)>,
}

impl CompareView {
    /// The view of a comparison.
    pub fn new(c: &Comparison) -> CompareView {
        let days: Vec<(u64, NaiveDate)> = c
            .scenarios
            .first()
            .map(|s| s.finish_days.iter().map(|d| (d.day, d.date)).collect())
            .unwrap_or_default();
        let curves: Vec<ScenarioCurve> = c
            .scenarios
            .iter()
            .map(|s| ScenarioCurve {
                label: s.label.clone(),
                points: s
                    .finish_days
                    .iter()
                    .map(|d| (d.day, d.cumulative))
                    .collect(),
                p80_day: s
                    .finish_days
                    .iter()
                    .find(|d| d.date == s.finish.p80)
                    .map(|d| d.day),
                p80: s.finish.p80,
            })
            .collect();
        let unit = day_unit(&c.run);
        // The finding first: a long scenario label is cut, not the finding.
        let title = match c.scenarios.as_slice() {
            [a, b] => match b.delta.as_ref().map(|d| d.p80_days.estimate) {
                Some(x) if x.abs() >= 0.05 => format!(
                    "P80 moves {} {unit}, to {}, in {}",
                    signed(x, 1),
                    long_date(b.finish.p80),
                    b.label
                ),
                _ => format!(
                    "The same P80, {}, in {} and {}",
                    long_date(a.finish.p80),
                    a.label,
                    b.label
                ),
            },
            all => {
                let earliest = all.iter().map(|s| s.finish.p80).min();
                let latest = all.iter().map(|s| s.finish.p80).max();
                match (earliest, latest) {
                    (Some(e), Some(l)) if e != l => format!(
                        "P80 from {} to {} across the {} scenarios",
                        long_date(e),
                        long_date(l),
                        all.len()
                    ),
                    (Some(e), _) => format!("Every scenario has P80 {}", long_date(e)),
                    _ => "No scenarios".to_string(),
                }
            }
        };
        let subtitle = format!(
            "Chance of finishing {} by each date, per scenario; {} iterations each on the same \
             random draws, seed {}",
            finish_of(c.run.milestone.as_deref()),
            group_digits(c.run.iterations),
            c.run.seed
        );
        let target = c
            .target
            .zip(c.target_working_day)
            .and_then(|(date, day)| days.iter().any(|&(d, _)| d == day).then_some((day, date)));
        CompareView {
            title,
            subtitle,
            days,
            curves,
            target,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    /// A curve's value at `x`, as drawn (straight segments between days;
    /// `None` outside it).
    pub fn chance_at(curve: &ScenarioCurve, x: f64) -> Option<f64> {
        curve.points.windows(2).find_map(|w| {
            let ((d0, y0), (d1, y1)) = (w[0], w[1]);
            let (x0, x1) = (d0 as f64, d1 as f64);
            (x >= x0 && x <= x1).then(|| y0 + (y1 - y0) * (x - x0) / (x1 - x0).max(1e-12))
        })
    }
}

/// The colour of the `k`-th scenario.
pub fn scenario_color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// Draws the comparison chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &CompareView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let (Some(first), Some(last)) = (v.days.first(), v.days.last()) else {
        return Ok(());
    };
    let x_range = first.0 as f64 - 0.5..last.0 as f64 + 0.5;
    let date_of = |day: u64| v.days.iter().find(|d| d.0 == day).map(|d| d.1);
    let x_axis = Labelled::new(
        x_range.clone(),
        date_ticks(&v.days)
            .into_iter()
            .filter_map(|d| Some((d as f64, short_date(date_of(d)?)))),
    );
    let y_axis = Labelled::new(
        0.0..1.05,
        (0..=5).map(|k| (f64::from(k) * 0.2, format!("{}%", k * 20))),
    );
    let years: Vec<i32> = {
        use chrono::Datelike;
        let (a, b) = (first.1.year(), last.1.year());
        if a == b { vec![a] } else { vec![a, b] }
    };
    let x_desc = match years.as_slice() {
        [y] => format!("Finish date ({y})"),
        _ => format!(
            "Finish date ({}\u{2013}{})",
            years[0],
            years[years.len() - 1]
        ),
    };
    let body = area.margin(HEADER, 20, MARGIN - 10, MARGIN);
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(62)
        .y_label_area_size(84)
        .build_cartesian_2d(x_axis, y_axis)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_style(theme::text(16.0, MUTED))
        .y_label_style(theme::text(16.0, MUTED))
        .x_desc(x_desc)
        .y_desc("Chance of finishing by that day")
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);

    // The 80% level, across.
    let l = chart.backend_coord(&(x_range.start, 0.8));
    let r = chart.backend_coord(&(x_range.end, 0.8));
    theme::dashed(area, local(l), local(r), P80.stroke_width(2), (8, 6))?;
    area.draw(&Text::new(
        "80%".to_string(),
        local((r.0 - 6, r.1 - 6)),
        theme::anchored(theme::bold(16.0, P80), HPos::Right, VPos::Bottom),
    ))?;
    // The target, down.
    if let Some((day, date)) = v.target {
        let top = chart.backend_coord(&(day as f64, 1.05));
        let bottom = chart.backend_coord(&(day as f64, 0.0));
        theme::dashed(
            area,
            local(bottom),
            local(top),
            TARGET.stroke_width(2),
            (10, 6),
        )?;
        area.draw(&Text::new(
            format!("Target {}", short_date(date)),
            local((top.0 + 8, top.1 + 4)),
            theme::anchored(theme::bold(16.0, TARGET), HPos::Left, VPos::Top),
        ))?;
    }
    // The curves, the first (the baseline) on top, each with its P80 dot.
    for (k, c) in v.curves.iter().enumerate().rev() {
        let color = scenario_color(k);
        let pts: Vec<(f64, f64)> = c.points.iter().map(|&(d, y)| (d as f64, y)).collect();
        chart.draw_series(LineSeries::new(pts, color.stroke_width(3)))?;
        if let Some(day) = c.p80_day {
            let y = c.points.iter().find(|p| p.0 == day).map_or(0.8, |p| p.1);
            chart.draw_series(std::iter::once(Circle::new(
                (day as f64, y),
                7,
                color.filled(),
            )))?;
        }
    }
    // The legend, bottom right inside the plot, where S-curves never are
    // (late, yet unlikely): each scenario with its P80 date.
    let plot = chart.plotting_area();
    let (x_px, y_px) = (plot.get_x_axis_pixel_range(), plot.get_y_axis_pixel_range());
    let (right, bottom) = (x_px.end, y_px.start.max(y_px.end));
    let style = theme::text(17.0, INK);
    let most = (x_px.end - x_px.start) * 3 / 5;
    let mut labels = Vec::new();
    let mut widest = 0;
    for c in &v.curves {
        let label = format!("{} \u{b7} P80 {}", c.label, short_date(c.p80));
        let label = theme::fit(area, &label, &style, most - 60)?;
        widest = widest.max(theme::text_width(area, &label, &style)?);
        labels.push(label);
    }
    const ROW: i32 = 30;
    let (w, h) = (widest + 60, ROW * labels.len() as i32 + 12);
    let (left, top) = (right - 16 - w, bottom - 16 - h);
    area.draw(&Rectangle::new(
        [local((left, top)), local((right - 16, bottom - 16))],
        PAPER.mix(0.92).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [local((left, top)), local((right - 16, bottom - 16))],
        GRID.stroke_width(1),
    ))?;
    for (k, label) in labels.iter().enumerate() {
        let y = top + 6 + ROW / 2 + k as i32 * ROW;
        theme::legend_entry(
            area,
            local((left + 10, y)),
            theme::Swatch::Line(scenario_color(k), 4),
            label,
        )?;
    }
    Ok(())
}
