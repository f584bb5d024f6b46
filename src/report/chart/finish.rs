//! The finish-date distribution: a histogram of finish days, the cumulative
//! S-curve on a second axis, and markers for P50, P80, P90 and the plan date.
//!
//! The x axis counts working days, so bars are contiguous (weekends and
//! holidays, on which nothing finishes, take no room), and is labelled with
//! dates. It spans P1 to P99 of the simulated finish, widened to show the
//! plan date.
//!
//! One day convention throughout: working day `d` is the bar centred on
//! `x = d`, its date's tick, its markers, and the S-curve's point `(d,
//! chance of finishing on or before day d)`. So the curve reads the chance
//! of finishing by the date under it, and reaches a percentile's level
//! exactly at that percentile's marker ([`FinishView::curve`]).

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::theme::{
    self, AXIS, CURVE, GRID, HEADER, MARGIN, MUTED, P50, P80, P90, PAPER, PLAN, RANGE, Swatch,
    TARGET, WIDTH,
};
use super::{DrawResult, short_date};
use crate::analysis::Forecast;
use crate::report::{against_plan, draws, long_date, percent, workday_number};

/// Height of the chart in pixels.
const HEIGHT: u32 = 800;
/// Height of the legend row under the plot.
const FOOTER: u32 = 56;

/// One working day of the histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct DayBar {
    /// Working day number.
    pub day: u64,
    /// Its date.
    pub date: NaiveDate,
    /// Share of iterations finishing on it.
    pub share: f64,
    /// Share finishing on or before it.
    pub cumulative: f64,
}

/// Which line a marker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// The median.
    P50,
    /// The commitment percentile.
    P80,
    /// P90.
    P90,
    /// The deterministic plan date.
    Plan,
    /// The target date asked about.
    Target,
}

/// A vertical marker with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Which one.
    pub kind: MarkerKind,
    /// Working day number it stands on.
    pub day: u64,
    /// Its label, e.g. `P80 Wed 31 Mar`.
    pub label: String,
}

/// The finish chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishView {
    /// States the finding.
    pub title: String,
    /// What is measured.
    pub subtitle: String,
    /// The days shown, in order (consecutive working days).
    pub days: Vec<DayBar>,
    /// Share of iterations finishing before the first day shown.
    pub before: f64,
    /// Markers, in any order.
    pub markers: Vec<Marker>,
}

impl FinishView {
    /// The view of `f`.
    pub fn new(f: &Forecast) -> FinishView {
        let p80 = f.finish.p80;
        let title = match against_plan(f, p80) {
            Some(gap) => format!("P80 {}: {gap}", long_date(p80)),
            None => format!("P80 {}", long_date(p80)),
        };
        let mut subtitle = format!(
            "Forecast of {}: {}; the plan date, {}, has a {} chance",
            crate::report::target(f),
            draws(&f.run),
            long_date(f.deterministic.finish),
            percent(f.deterministic.probability)
        );
        if let Some(t) = &f.target {
            subtitle.push_str(&format!(
                "; the target, {}, has a {} chance",
                long_date(t.date),
                percent(t.probability)
            ));
        }
        let day = |d| workday_number(f, d);
        let first_pct = f.percentiles.first().map(|r| r.finish);
        let last_pct = f.percentiles.last().map(|r| r.finish);
        let mut lo = first_pct.and_then(day).unwrap_or(0);
        let mut hi = last_pct.and_then(day).unwrap_or(u64::MAX);
        let markers: Vec<Marker> = [
            (MarkerKind::Plan, f.deterministic.finish, "Plan"),
            (MarkerKind::P50, f.finish.p50, "P50"),
            (MarkerKind::P80, f.finish.p80, "P80"),
            (MarkerKind::P90, f.finish.p90, "P90"),
        ]
        .into_iter()
        .chain(
            f.target
                .as_ref()
                .map(|t| (MarkerKind::Target, t.date, "Target")),
        )
        .filter_map(|(kind, date, name)| {
            let d = day(date)?;
            let label = if kind == MarkerKind::Plan {
                format!(
                    "{name} {} ({})",
                    short_date(date),
                    percent(f.deterministic.probability)
                )
            } else if let (MarkerKind::Target, Some(t)) = (kind, &f.target) {
                format!("{name} {} ({})", short_date(date), percent(t.probability))
            } else {
                format!("{name} {}", short_date(date))
            };
            Some(Marker {
                kind,
                day: d,
                label,
            })
        })
        .collect();
        for m in &markers {
            lo = lo.min(m.day);
            hi = hi.max(m.day);
        }
        // One day of margin on each side, where the histogram has it.
        let lo = lo.saturating_sub(1);
        let hi = hi.saturating_add(1);
        let days: Vec<DayBar> = f
            .finish_days
            .iter()
            .filter(|d| d.day >= lo && d.day <= hi)
            .map(|d| DayBar {
                day: d.day,
                date: d.date,
                share: d.share,
                cumulative: d.cumulative,
            })
            .collect();
        let before = days.first().map_or(0.0, |d| d.cumulative - d.share);
        FinishView {
            title,
            subtitle,
            days,
            before,
            markers,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    /// Working days whose date gets a tick label ([`date_ticks`]).
    fn ticks(&self) -> Vec<u64> {
        let days: Vec<(u64, NaiveDate)> = self.days.iter().map(|d| (d.day, d.date)).collect();
        date_ticks(&days)
    }

    fn date_of(&self, day: u64) -> Option<NaiveDate> {
        self.days.iter().find(|b| b.day == day).map(|b| b.date)
    }

    /// The x range of the plot: half a day beyond the first and last bars.
    pub fn x_range(&self) -> Option<std::ops::Range<f64>> {
        let (first, last) = (self.days.first()?, self.days.last()?);
        Some(first.day as f64 - 0.5..last.day as f64 + 0.5)
    }

    /// The S-curve as drawn, straight segments between its points: at each
    /// day's centre `x = day`, the chance of finishing on or before that
    /// day; it starts at the left edge of the plot, halfway between the
    /// share before the first day and the first day's.
    pub fn curve(&self) -> Vec<(f64, f64)> {
        let Some(first) = self.days.first() else {
            return Vec::new();
        };
        std::iter::once((
            first.day as f64 - 0.5,
            (self.before + first.cumulative) / 2.0,
        ))
        .chain(self.days.iter().map(|d| (d.day as f64, d.cumulative)))
        .collect()
    }

    /// The S-curve's value at `x`, as drawn (`None` outside it).
    pub fn chance_at(&self, x: f64) -> Option<f64> {
        self.curve().windows(2).find_map(|w| {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            (x >= x0 && x <= x1).then(|| {
                if x1 > x0 {
                    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                } else {
                    y1
                }
            })
        })
    }
}

impl Marker {
    /// The x at which the marker stands: the centre of its day.
    pub fn x(&self) -> f64 {
        self.day as f64
    }
}

/// Of consecutive working days `(day, date)`, those whose date gets a tick
/// label: every day on short ranges, else the first working day of each
/// week, fortnight or month, whichever gives at most 12 labels.
pub(super) fn date_ticks(days: &[(u64, NaiveDate)]) -> Vec<u64> {
    if days.len() <= 12 {
        return days.iter().map(|d| d.0).collect();
    }
    let week = |d: &(u64, NaiveDate)| d.1.iso_week().year() * 100 + d.1.iso_week().week() as i32;
    let weeks: Vec<u64> = days
        .iter()
        .enumerate()
        .filter(|(i, d)| *i > 0 && week(d) != week(&days[i - 1]))
        .map(|(_, d)| d.0)
        .collect();
    for every in [1, 2] {
        let picked: Vec<u64> = weeks.iter().step_by(every).copied().collect();
        if picked.len() <= 12 {
            return picked;
        }
    }
    let mut months: Vec<u64> = days
        .iter()
        .enumerate()
        .filter(|(i, d)| *i > 0 && d.1.month() != days[i - 1].1.month())
        .map(|(_, d)| d.0)
        .collect();
    while months.len() > 12 {
        months = months.into_iter().step_by(2).collect();
    }
    months
}

fn color(kind: MarkerKind) -> RGBColor {
    match kind {
        MarkerKind::P50 => P50,
        MarkerKind::P80 => P80,
        MarkerKind::P90 => P90,
        MarkerKind::Plan => PLAN,
        MarkerKind::Target => TARGET,
    }
}

/// Draws the finish chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &FinishView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let (Some(first), Some(last)) = (v.days.first(), v.days.last()) else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let body = area.margin(HEADER, FOOTER, MARGIN - 10, MARGIN - 10);
    let Some(x_range) = v.x_range() else {
        return Ok(());
    };
    let tallest = v.days.iter().map(|d| d.share).fold(0.0, f64::max);
    // Headroom above the bars and the curve for the marker labels.
    const HEADROOM: f64 = 1.3;
    let y_top = if tallest > 0.0 {
        tallest * HEADROOM
    } else {
        1.0
    };
    let years: Vec<i32> = {
        let (a, b) = (first.date.year(), last.date.year());
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
    let x_axis = Labelled::new(
        x_range.clone(),
        v.ticks()
            .into_iter()
            .filter_map(|d| Some((d as f64, short_date(v.date_of(d)?)))),
    );
    let share_label = |y: &f64| format!("{:.0}%", y * 100.0);
    let chance = Labelled::new(
        0.0..HEADROOM,
        (0..=5).map(|k| (f64::from(k) * 0.2, format!("{}%", k * 20))),
    );
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(62)
        .y_label_area_size(84)
        .right_y_label_area_size(96)
        .build_cartesian_2d(x_axis, 0.0..y_top)?
        .set_secondary_coord(x_range.clone(), chance);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_label_formatter(&share_label)
        .y_labels(6)
        .x_label_style(theme::text(16.0, MUTED))
        .y_label_style(theme::text(16.0, MUTED))
        .x_desc(x_desc)
        .y_desc("Share of iterations finishing that day")
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    chart
        .configure_secondary_axes()
        .label_style(theme::text(16.0, MUTED))
        .y_desc("Chance of finishing by that day")
        .axis_desc_style(theme::text(16.0, MUTED))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    chart.draw_series(v.days.iter().map(|d| {
        let x = d.day as f64;
        Rectangle::new([(x - 0.42, 0.0), (x + 0.42, d.share)], RANGE.filled())
    }))?;
    // The S-curve: the chance of finishing by each day, at the day's
    // centre, where its bar, date and markers are.
    chart.draw_secondary_series(LineSeries::new(v.curve(), CURVE.stroke_width(3)))?;

    // Reading aid: from 80% on the right axis across to the curve.
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    if let Some(x80) = crossing(v, 0.8) {
        let right = chart.borrow_secondary().backend_coord(&(x_range.end, 0.8));
        let at = chart.borrow_secondary().backend_coord(&(x80, 0.8));
        theme::dashed(area, local(at), local(right), P80.stroke_width(2), (8, 6))?;
    }
    draw_markers(area, &chart, v)?;

    // Legend under the plot.
    let y = h as i32 - 24;
    let x = theme::legend_entry(
        area,
        (MARGIN, y),
        Swatch::Box(RANGE),
        "Share finishing that day (left axis)",
    )?;
    let x = theme::legend_entry(
        area,
        (x, y),
        Swatch::Line(CURVE, 3),
        "Chance of finishing by that day (right axis)",
    )?;
    let note = theme::anchored(theme::text(15.0, MUTED), HPos::Right, VPos::Center);
    let text = "Axis spans P1\u{2013}P99 and the plan date";
    if x + theme::text_width(area, text, &note)? < w as i32 - MARGIN {
        area.draw(&Text::new(text.to_string(), (w as i32 - MARGIN, y), note))?;
    }
    Ok(())
}

/// Where the drawn S-curve ([`FinishView::curve`]) first reaches `level`.
fn crossing(v: &FinishView, level: f64) -> Option<f64> {
    let curve = v.curve();
    if curve.first().is_some_and(|&(_, y)| y >= level) {
        return curve.first().map(|&(x, _)| x);
    }
    curve.windows(2).find_map(|w| {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        (y1 >= level).then(|| {
            let t = if y1 > y0 {
                (level - y0) / (y1 - y0)
            } else {
                1.0
            };
            x0 + (x1 - x0) * t.clamp(0.0, 1.0)
        })
    })
}

/// Draws the marker lines and their labels. Labels sit in the headroom above
/// the bars, each on the highest of three rows where it does not overlap a
/// label already placed; the line runs from the axis up to its label.
fn draw_markers<DB: DrawingBackend, X, Y>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<DB, Cartesian2d<X, Y>>,
    v: &FinishView,
) -> DrawResult<DB>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let base = area.get_base_pixel();
    let plot = chart.plotting_area();
    let (px0, px1) = (
        plot.get_x_axis_pixel_range().start,
        plot.get_x_axis_pixel_range().end,
    );
    let (py0, py1) = (
        plot.get_y_axis_pixel_range()
            .start
            .min(plot.get_y_axis_pixel_range().end),
        plot.get_y_axis_pixel_range()
            .start
            .max(plot.get_y_axis_pixel_range().end),
    );
    const ROW: i32 = 30;
    const PAD: i32 = 12;
    // Placed labels: (row, left, right, x of the marker line).
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    // The commitment first, so it gets the top row.
    let mut order: Vec<&Marker> = v.markers.iter().collect();
    order.sort_by_key(|m| match m.kind {
        MarkerKind::P80 => 0,
        MarkerKind::Target => 1,
        MarkerKind::Plan => 2,
        MarkerKind::P50 => 3,
        MarkerKind::P90 => 4,
    });
    for m in order {
        let c = color(m.kind);
        let (x, _) = chart.backend_coord(&(m.x(), 0.0));
        let style = if m.kind == MarkerKind::P80 {
            theme::bold(18.0, c)
        } else {
            theme::bold(17.0, c)
        };
        let tw = theme::text_width(area, &m.label, &style)?;
        let inside = |left: i32| left.clamp(px0 + 4, (px1 - 4 - tw).max(px0 + 4));
        // Centred on the line, else beside it, on the highest free row. A
        // label must not cover another label, nor a line that runs down
        // from a label above it; its own line must not cross a label below.
        let fits = |row: i32, left: i32| {
            let right = left + tw;
            placed.iter().all(|&(pr, pl, pright, px)| {
                let apart = right + PAD <= pl || left >= pright + PAD;
                let same_row = pr == row && !apart;
                // Lines on the same day coincide; they cannot cover each other.
                let other = (px - x).abs() > 2;
                let covers_line = other && pr < row && px >= left - 4 && px <= right + 4;
                let crosses_label = other && pr > row && x >= pl - 4 && x <= pright + 4;
                !(same_row || covers_line || crosses_label)
            })
        };
        let candidates = |row: i32| {
            [inside(x - tw / 2), inside(x + 8), inside(x - 8 - tw)].map(|left| (row, left))
        };
        let (row, left) = (0..4)
            .flat_map(candidates)
            .find(|&(row, left)| fits(row, left))
            .unwrap_or((0, inside(x - tw / 2)));
        let right = left + tw;
        placed.push((row, left, right, x));
        let label_y = py0 + 8 + row * ROW;
        let line_top = label_y + ROW - 6;
        let width = if m.kind == MarkerKind::P80 { 3 } else { 2 };
        if m.kind == MarkerKind::Plan {
            theme::dashed(
                area,
                (x - base.0, py1 - base.1),
                (x - base.0, line_top - base.1),
                c.stroke_width(width),
                (10, 6),
            )?;
        } else {
            area.draw(&PathElement::new(
                vec![(x - base.0, py1 - base.1), (x - base.0, line_top - base.1)],
                c.stroke_width(width),
            ))?;
        }
        area.draw(&Rectangle::new(
            [
                (left - 6 - base.0, label_y - 3 - base.1),
                (right + 6 - base.0, label_y + ROW - 9 - base.1),
            ],
            PAPER.mix(0.9).filled(),
        ))?;
        area.draw(&Text::new(
            m.label.clone(),
            (left - base.0, label_y - base.1),
            theme::anchored(style, HPos::Left, VPos::Top),
        ))?;
    }
    Ok(())
}
