//! Horizontal ranked bars, largest at the top: the shape shared by the
//! criticality chart and the risk-driver tornado.
//!
//! Names are truncated to the label column, one row per item at a fixed
//! height, so thirty or three hundred tasks never overlap: a view keeps the
//! top N and says so in its subtitle.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::theme::{self, AXIS, GRID, INK, MUTED, PAPER};
use crate::report::format::fixed;

/// Height of one bar row, in pixels.
pub const ROW: u32 = 40;
/// Height of a panel's heading and x axis together, in pixels.
pub const CHROME: u32 = 110;

/// Which colour a bar takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The main series (e.g. on the plan's critical path).
    Primary,
    /// The other series (e.g. off the plan's critical path).
    Secondary,
    /// A risk event.
    Risk,
    /// What no item of the ranking accounts for (the driver chart's
    /// "other, incl. merge bias").
    Rest,
}

impl Tone {
    /// The bar colour.
    pub fn color(self) -> RGBColor {
        match self {
            Tone::Primary => theme::PRIMARY,
            Tone::Secondary => theme::SECONDARY,
            Tone::Risk => theme::RISK,
            Tone::Rest => theme::AXIS,
        }
    }
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The name shown left of the bar (truncated to fit).
    pub label: String,
    /// Its length, in the panel's unit.
    pub value: f64,
    /// The value as printed at the end of the bar.
    pub value_text: String,
    /// Its colour.
    pub tone: Tone,
}

/// A panel of ranked bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The measure, shown above the bars.
    pub heading: String,
    /// The x-axis description.
    pub axis: String,
    /// The bars, largest first.
    pub bars: Vec<Bar>,
    /// The x-axis starts here: 0, or below it for bars that go negative
    /// (drawn leftwards from 0).
    pub min: f64,
    /// The x-axis ends here (e.g. 1.0 for a share).
    pub max: f64,
    /// Tick labels as percentages of 1.0 rather than plain numbers.
    pub percent: bool,
    /// Whether the names are drawn left of the bars (not for a panel whose
    /// rows are those of the panel beside it).
    pub names: bool,
}

impl Ranking {
    /// Pixel height the panel needs.
    pub fn height(&self) -> u32 {
        CHROME + ROW * self.bars.len().max(1) as u32
    }
}

/// Draws `r` filling `area`.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Ranking) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let label_style = theme::text(18.0, INK);
    area.draw(&Text::new(
        r.heading.clone(),
        (0, 6),
        theme::anchored(theme::bold(20.0, INK), HPos::Left, VPos::Top),
    ))?;
    if r.bars.is_empty() {
        area.draw(&Text::new(
            "nothing to show".to_string(),
            (0, 56),
            theme::anchored(theme::text(18.0, MUTED), HPos::Left, VPos::Top),
        ))?;
        return Ok(());
    }
    // The label column takes what the longest name needs, up to 45%.
    let mut widest = 0;
    for b in &r.bars {
        widest = widest.max(theme::text_width(area, &b.label, &label_style)?);
    }
    let label_w = if r.names {
        (widest + 18).clamp(120, (w as f64 * 0.45) as i32)
    } else {
        8
    };
    let n = r.bars.len() as f64;
    let max = if r.max > 0.0 { r.max } else { 1.0 };
    let min = r.min.min(0.0);
    let (_, body) = area.split_vertically(44);
    let mut chart = ChartBuilder::on(&body)
        .margin_right(16)
        .x_label_area_size(50)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(min..max, 0.0..n)?;
    let percent = r.percent;
    let fmt = move |v: &f64| {
        if percent {
            format!("{}%", fixed(v * 100.0, 0))
        } else if (v - v.round()).abs() < 1e-9 {
            fixed(*v, 0)
        } else {
            fixed(*v, 1)
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&fmt)
        .x_label_style(theme::text(16.0, MUTED))
        .x_desc(r.axis.clone())
        .axis_desc_style(theme::text(16.0, MUTED))
        .light_line_style(PAPER)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let right = chart.backend_coord(&(max, 0.0)).0;
    let left = chart.backend_coord(&(min, 0.0)).0;
    let (ox, oy) = area.get_base_pixel();
    if min < 0.0 {
        // The zero line the bars grow from, either way.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            AXIS.stroke_width(1),
        )))?;
    }
    for (i, b) in r.bars.iter().enumerate() {
        let top = n - i as f64;
        let v = b.value.clamp(min, max);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, top - 0.18), (v, top - 0.82)],
            b.tone.color().filled(),
        )))?;
        let (x_end, y_mid) = chart.backend_coord(&(v, top - 0.5));
        if r.names {
            let name = theme::fit(area, &b.label, &label_style, label_w - 18)?;
            area.draw(&Text::new(
                name,
                (left - 12 - ox, y_mid - oy),
                theme::anchored(label_style.clone(), HPos::Right, VPos::Center),
            ))?;
        }
        // The value past the bar's end, or inside it where there is no room.
        let value_style = theme::bold(17.0, INK);
        let tw = theme::text_width(area, &b.value_text, &value_style)?;
        let inside = theme::bold(17.0, PAPER);
        let (x, style) = if v >= 0.0 && x_end + 10 + tw <= right {
            (
                x_end + 10,
                theme::anchored(value_style, HPos::Left, VPos::Center),
            )
        } else if v >= 0.0 {
            (
                x_end - 10,
                theme::anchored(inside, HPos::Right, VPos::Center),
            )
        } else if x_end - 10 - tw >= left {
            (
                x_end - 10,
                theme::anchored(value_style, HPos::Right, VPos::Center),
            )
        } else {
            (
                x_end + 10,
                theme::anchored(inside, HPos::Left, VPos::Center),
            )
        };
        area.draw(&Text::new(
            b.value_text.clone(),
            (x - ox, y_mid - oy),
            style,
        ))?;
    }
    Ok(())
}
