//! Text and anti-aliasing for the charts, as a wrapper around a plotters
//! backend.
//!
//! [`Typeset`] measures text with the embedded DejaVu Sans for every backend,
//! so the SVG and PNG of a chart are laid out identically. On bitmaps it also
//! renders the text itself (glyph bearings and kerning applied, baselines
//! placed the way SVG viewers place them: `0.76em` below a top anchor, half
//! an x-height below a centre anchor) and draws everything at
//! [`SUPERSAMPLE`] times the size, for [`downsample`] to average into
//! anti-aliased pixels.
//!
//! Every text a chart draws passes through here, so this is also where plan
//! text is made fit for XML: control characters and the other characters
//! [`crate::report::inert::visible_line`] escapes are drawn as `\u{1b}`
//! (the same in the SVG and the PNG). plotters' SVG backend escapes
//! `& < > " '` itself.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

use super::theme::{BOLD, REGULAR};
use crate::report::inert::visible_line;

/// Bitmaps are drawn at this many times their size, then averaged.
pub const SUPERSAMPLE: u32 = 3;

/// SVG viewers render `font-size` as `size / 1.24` (what plotters writes).
const EM_PER_SIZE: f32 = 1.0 / 1.24;
/// Baseline below a top anchor, in em (plotters' SVG `dy`).
const TOP_BASELINE: f32 = 0.76;
/// Half the x-height of DejaVu Sans (1118/2048 em): the baseline offset of a
/// centre anchor (SVG `dy="0.5ex"`).
const HALF_EX: f32 = 0.273;

fn fonts() -> &'static (FontRef<'static>, FontRef<'static>) {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |b: &'static [u8]| {
            FontRef::try_from_slice(b).expect("the embedded DejaVu font is valid TrueType")
        };
        (load(REGULAR), load(BOLD))
    })
}

fn font(style: FontStyle) -> &'static FontRef<'static> {
    let (regular, bold) = fonts();
    match style {
        FontStyle::Bold => bold,
        _ => regular,
    }
}

/// The pixel scale at which one em is `em_px` pixels.
fn scale(f: &FontRef, em_px: f32) -> PxScale {
    let upem = f.units_per_em().unwrap_or(2048.0);
    PxScale::from(em_px * f.height_unscaled() / upem)
}

/// Width of `text` in pixels at `em_px` pixels per em: advances plus kerning.
fn advance(f: &FontRef, em_px: f32, text: &str) -> f32 {
    let sf = f.as_scaled(scale(f, em_px));
    let mut x = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let g = sf.glyph_id(c);
        if let Some(p) = prev {
            x += sf.kern(p, g);
        }
        x += sf.h_advance(g);
        prev = Some(g);
    }
    x
}

/// A backend wrapper that measures (and, on bitmaps, draws) text with the
/// embedded font and, on bitmaps, supersamples.
pub struct Typeset<B> {
    inner: B,
    /// Inner pixels per outer pixel, per axis (1 for vector backends).
    factor: i32,
    /// Rasterise text here (bitmaps) instead of passing it to `inner` (SVG).
    raster_text: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    /// For vector backends: text metrics only.
    pub fn vector(inner: B) -> Typeset<B> {
        Typeset {
            inner,
            factor: 1,
            raster_text: false,
        }
    }

    /// For a bitmap backend [`SUPERSAMPLE`] times the size of the chart.
    pub fn bitmap(inner: B) -> Typeset<B> {
        Typeset {
            inner,
            factor: SUPERSAMPLE as i32,
            raster_text: true,
        }
    }

    fn pt(&self, (x, y): BackendCoord) -> BackendCoord {
        let f = self.factor;
        (x * f + f / 2, y * f + f / 2)
    }
}

/// A style with its stroke scaled.
struct Scaled<'s, S>(&'s S, u32);

impl<S: BackendStyle> BackendStyle for Scaled<'_, S> {
    fn color(&self) -> BackendColor {
        self.0.color()
    }

    fn stroke_width(&self) -> u32 {
        self.0.stroke_width() * self.1
    }
}

type Res<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (w, h) = self.inner.get_size();
        (w / self.factor as u32, h / self.factor as u32)
    }

    fn ensure_prepared(&mut self) -> Res<B> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Res<B> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Res<B> {
        let f = self.factor;
        self.inner.draw_rect(
            (p.0 * f, p.1 * f),
            (p.0 * f + f - 1, p.1 * f + f - 1),
            &color,
            true,
        )
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Res<B> {
        let (a, b) = (self.pt(a), self.pt(b));
        if self.factor == 1 {
            return self.inner.draw_line(a, b, s);
        }
        // A path, so a supersampled 1-pixel line is a solid band.
        self.inner.draw_path([a, b], &Scaled(s, self.factor as u32))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res<B> {
        let f = self.factor;
        if fill || f == 1 {
            let a = (a.0 * f, a.1 * f);
            let b = (b.0 * f + f - 1, b.1 * f + f - 1);
            return self.inner.draw_rect(a, b, &Scaled(s, f as u32), fill);
        }
        let corners = [a, (b.0, a.1), b, (a.0, b.1), a];
        self.draw_path(corners, s)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res<B> {
        let pts: Vec<BackendCoord> = path.into_iter().map(|p| self.pt(p)).collect();
        self.inner.draw_path(pts, &Scaled(s, self.factor as u32))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Res<B> {
        let c = self.pt(c);
        self.inner.draw_circle(
            c,
            r * self.factor as u32,
            &Scaled(s, self.factor as u32),
            fill,
        )
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res<B> {
        let pts: Vec<BackendCoord> = vert.into_iter().map(|p| self.pt(p)).collect();
        self.inner.fill_polygon(pts, s)
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Res<B> {
        let text = &*visible_line(text);
        if !self.raster_text {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let k = self.factor as f32;
        let f = font(style.style());
        let em = style.size() as f32 * EM_PER_SIZE * k;
        let sf = f.as_scaled(scale(f, em));
        let width = advance(f, em, text);
        let x0 = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => TOP_BASELINE * em,
            VPos::Center => HALF_EX * em,
            VPos::Bottom => -HALF_EX * em,
        };
        let trans = style.transform();
        let origin = (pos.0 * self.factor, pos.1 * self.factor);
        let (w, h) = self.inner.get_size();
        let mut pen = x0;
        let mut prev = None;
        let mut result = Ok(());
        for c in text.chars() {
            let id = sf.glyph_id(c);
            if let Some(p) = prev {
                pen += sf.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(sf.scale(), ab_glyph::point(pen, baseline));
            pen += sf.h_advance(id);
            let Some(outline) = sf.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let inner = &mut self.inner;
            outline.draw(|gx, gy, cov| {
                if result.is_err() || cov <= 0.0 {
                    return;
                }
                let dx = bounds.min.x as i32 + gx as i32;
                let dy = bounds.min.y as i32 + gy as i32;
                let (dx, dy) = trans.transform(dx, dy);
                let (x, y) = (origin.0 + dx, origin.1 + dy);
                if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                    let c = BackendColor {
                        alpha: color.alpha * f64::from(cov.min(1.0)),
                        rgb: color.rgb,
                    };
                    result = inner.draw_pixel((x, y), c);
                }
            });
            result.clone_err()?;
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let em = style.size() as f32 * EM_PER_SIZE;
        let w = advance(font(style.style()), em, &visible_line(text));
        Ok((w.ceil() as u32, em.ceil() as u32))
    }
}

/// Moving a drawing error out of a closure's captured result.
trait CloneErr<E> {
    fn clone_err(&mut self) -> Result<(), E>;
}

impl<E> CloneErr<E> for Result<(), E> {
    fn clone_err(&mut self) -> Result<(), E> {
        std::mem::replace(self, Ok(()))
    }
}

/// Averages each `SUPERSAMPLE x SUPERSAMPLE` block of the RGB image `big`
/// (`w * SUPERSAMPLE` by `h * SUPERSAMPLE` pixels) into one pixel of a
/// `w` by `h` RGB image.
pub fn downsample(big: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
    let k = SUPERSAMPLE as usize;
    let (w, h) = (w as usize, h as usize);
    let stride = w * k * 3;
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..k {
                    let row = (y * k + dy) * stride;
                    for dx in 0..k {
                        sum += u32::from(big[row + (x * k + dx) * 3 + c]);
                    }
                }
                out[(y * w + x) * 3 + c] = ((sum + (k * k) as u32 / 2) / (k * k) as u32) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_averages_blocks() {
        let k = SUPERSAMPLE as usize;
        let mut big = vec![0u8; k * k * 3];
        for px in big.chunks_mut(3).take(k * k / 2 + 1) {
            px.copy_from_slice(&[255, 255, 255]);
        }
        let small = downsample(&big, (1, 1));
        let expect = ((k * k / 2 + 1) * 255 + k * k / 2) / (k * k);
        assert_eq!(small, vec![expect as u8; 3]);
    }

    #[test]
    fn bold_text_is_wider_and_kerning_applies() {
        let (r, b) = fonts();
        assert!(advance(b, 20.0, "Checkout API") > advance(r, 20.0, "Checkout API"));
        assert!(advance(r, 20.0, "") == 0.0);
    }
}
