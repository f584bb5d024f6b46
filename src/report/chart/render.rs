//! A drawing rendered in memory: as an SVG document
//! (`SVGBackend::with_string`) or as a PNG image (drawn at
//! [`SUPERSAMPLE`] times its size into an RGB buffer, averaged, then
//! PNG-encoded), so that rendering never touches the file system.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::DrawResult;
use super::typeset::{SUPERSAMPLE, Typeset, downsample};

/// The drawing `draw` makes on an area of `size` pixels, as SVG.
///
/// # Errors
///
/// What went wrong, in words: a drawing error of the backend.
pub(super) fn svg<F>(size: (u32, u32), draw: F) -> Result<String, String>
where
    F: for<'a, 'b> FnOnce(
        &'b DrawingArea<Typeset<SVGBackend<'a>>, Shift>,
    ) -> DrawResult<Typeset<SVGBackend<'a>>>,
{
    let mut s = String::new();
    {
        let svg = SVGBackend::with_string(&mut s, size);
        let area = Typeset::vector(svg).into_drawing_area();
        draw(&area).map_err(|e| e.to_string())?;
    }
    Ok(s)
}

/// The drawing `draw` makes on an area of `size` pixels, as a PNG image
/// (8-bit RGB).
///
/// # Errors
///
/// What went wrong, in words: a drawing error of the backend, or of the
/// PNG encoder.
pub(super) fn png<F>(size: (u32, u32), draw: F) -> Result<Vec<u8>, String>
where
    F: for<'a, 'b> FnOnce(
        &'b DrawingArea<Typeset<BitMapBackend<'a>>, Shift>,
    ) -> DrawResult<Typeset<BitMapBackend<'a>>>,
{
    let (w, h) = size;
    let (bw, bh) = (w * SUPERSAMPLE, h * SUPERSAMPLE);
    let mut big = vec![0u8; bw as usize * bh as usize * 3];
    {
        let bitmap = BitMapBackend::with_buffer(&mut big, (bw, bh));
        let area = Typeset::bitmap(bitmap).into_drawing_area();
        draw(&area).map_err(|e| e.to_string())?;
    }
    let rgb = downsample(&big, (w, h));
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
