//! The look shared by every chart: the embedded font, the palette, text
//! styles, the title block and name truncation.
//!
//! Text is drawn with DejaVu Sans, embedded in the binary and rasterised by
//! `ab_glyph`, so PNG output needs no system font library. SVG output names
//! the font family as a CSS list (DejaVu Sans, then look-alikes), so a viewer
//! without DejaVu falls back to a similar sans-serif rather than a serif.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::DrawResult;

/// The font family every chart uses: registered under this exact name for
/// `ab_glyph`, and written verbatim as the SVG `font-family` list.
pub const FAMILY: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

pub(super) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(super) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded fonts with plotters (once per process).
///
/// # Panics
///
/// If the embedded font files are not valid TrueType (a build defect that
/// every chart test would catch).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
            if plotters::style::register_font(FAMILY, style, bytes).is_err() {
                panic!("the embedded DejaVu font is not a valid TrueType file");
            }
        }
    });
}

/// Body text.
pub const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
/// Secondary text: subtitles, notes, tick labels.
pub const MUTED: RGBColor = RGBColor(0x5b, 0x64, 0x70);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0x9c, 0xa3, 0xaf);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
/// Histogram bars and uncertainty ranges.
pub const RANGE: RGBColor = RGBColor(0xb6, 0xcd, 0xe6);
/// The cumulative S-curve.
pub const CURVE: RGBColor = RGBColor(0x1b, 0x3a, 0x5c);
/// The median (P50).
pub const P50: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);
/// The commitment percentile (P80): the colour that carries the message.
pub const P80: RGBColor = RGBColor(0xdd, 0x6b, 0x20);
/// P90.
pub const P90: RGBColor = RGBColor(0x6b, 0x46, 0xc1);
/// The deterministic plan date.
pub const PLAN: RGBColor = RGBColor(0xc5, 0x30, 0x30);
/// A target date asked about (`--target`).
pub const TARGET: RGBColor = RGBColor(0x2f, 0x85, 0x5a);
/// Bars of the main series in ranked-bar charts.
pub const PRIMARY: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
/// Bars of the secondary series in ranked-bar charts.
pub const SECONDARY: RGBColor = RGBColor(0x7f, 0xa7, 0xd0);
/// Bars of risk events in the driver chart.
pub const RISK: RGBColor = RGBColor(0xc0, 0x56, 0x21);
/// Page background.
pub const PAPER: RGBColor = WHITE;

/// Chart width in pixels: every chart is this wide, so they line up in a
/// report.
pub const WIDTH: u32 = 1400;
/// Left and right page margin.
pub const MARGIN: i32 = 40;
/// Height of the title block.
pub const HEADER: u32 = 118;

/// A text style in the chart font.
pub fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    styled(size, FontStyle::Normal, color)
}

/// A bold text style in the chart font.
pub fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    styled(size, FontStyle::Bold, color)
}

fn styled(size: f64, style: FontStyle, color: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: FontDesc::new(FontFamily::Name(FAMILY), size, style),
        color: color.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
    }
}

/// `style` anchored at `h`/`v` of the text box.
pub fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Draws the title (which states the finding) and the subtitle (what was
/// measured, and how) at the top of `area`.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> DrawResult<DB> {
    let width = area.dim_in_pixel().0 as i32 - 2 * MARGIN;
    let title = fit(area, title, &bold(30.0, INK), width)?;
    let subtitle = fit(area, subtitle, &text(19.0, MUTED), width)?;
    area.draw(&Text::new(
        title,
        (MARGIN, 30),
        anchored(bold(30.0, INK), HPos::Left, VPos::Top),
    ))?;
    area.draw(&Text::new(
        subtitle,
        (MARGIN, 76),
        anchored(text(19.0, MUTED), HPos::Left, VPos::Top),
    ))?;
    Ok(())
}

/// `s`, shortened with an ellipsis until it is at most `max_px` wide in
/// `style`.
///
/// # Errors
///
/// A font error of the backend.
pub fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_px: i32,
) -> Result<String, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    let width = |t: &str| -> Result<i32, _> { Ok(area.estimate_text_size(t, style)?.0 as i32) };
    if width(s)? <= max_px {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if width(&ellipsis(&chars[..mid]))? <= max_px {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(ellipsis(&chars[..lo]))
}

fn ellipsis(chars: &[char]) -> String {
    let mut s: String = chars.iter().collect::<String>().trim_end().to_string();
    s.push('…');
    s
}

/// Width of `s` in `style`, in pixels.
///
/// # Errors
///
/// A font error of the backend.
pub fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> Result<i32, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    Ok(area.estimate_text_size(s, style)?.0 as i32)
}

/// Draws a legend entry (a swatch and its label) with its left edge at `x`
/// and its vertical centre at `y`; returns the x just after it.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn legend_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    swatch: Swatch,
    label: &str,
) -> Result<i32, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    match swatch {
        Swatch::Box(c) => {
            area.draw(&Rectangle::new([(x, y - 8), (x + 22, y + 8)], c.filled()))?;
        }
        Swatch::Line(c, w) => {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 22, y)],
                c.stroke_width(w),
            ))?;
        }
        Swatch::Diamond(c) => {
            area.draw(&Polygon::new(
                vec![(x + 11, y - 8), (x + 19, y), (x + 11, y + 8), (x + 3, y)],
                c.filled(),
            ))?;
        }
    }
    let style = anchored(text(17.0, INK), HPos::Left, VPos::Center);
    area.draw(&Text::new(label.to_string(), (x + 30, y), style.clone()))?;
    Ok(x + 30 + text_width(area, label, &style)? + 28)
}

/// The mark drawn in a legend entry.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled box.
    Box(RGBColor),
    /// A line of the given width.
    Line(RGBColor, u32),
    /// A filled diamond.
    Diamond(RGBColor),
}

/// Draws a dashed straight line from `a` to `b` (pixel coordinates).
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    style: ShapeStyle,
    (dash, gap): (i32, i32),
) -> DrawResult<DB> {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let len = dx.hypot(dy);
    if len < 1.0 {
        return Ok(());
    }
    let mut t = 0.0;
    while t < len {
        let e = (t + f64::from(dash)).min(len);
        let p = |s: f64| {
            (
                a.0 + (dx * s / len).round() as i32,
                a.1 + (dy * s / len).round() as i32,
            )
        };
        area.draw(&PathElement::new(vec![p(t), p(e)], style))?;
        t = e + f64::from(gap);
    }
    Ok(())
}
