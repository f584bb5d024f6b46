//! The report folder's files: `index.html`, `summary.md`, every chart as
//! PNG and SVG, and the standard exports, as one [`OutputSet`] that
//! [`super::Destination::publish`] writes atomically.

use crate::analysis::Forecast;

use super::chart::{Chart, ChartKind};
use super::document::Document;
use super::phrasing::is_certain;
use super::{ExportError, OutputSet, forecast_views, html, markdown};

/// What a report is asked for beyond its forecast.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The page's title (`--title`), in place of `Delivery forecast:
    /// PLAN`; plan text, made inert in the page and the summary.
    pub title: Option<String>,
}

/// Renders the report of `f` with the default options
/// ([`report_set_with`]).
///
/// # Errors
///
/// [`ExportError::Chart`] or [`ExportError::Format`].
pub fn report_set(f: &Forecast) -> Result<OutputSet, ExportError> {
    report_set_with(f, &ReportOptions::default())
}

/// Renders the report of `f`: `index.html` first, then the charts, the
/// summary and the exports. A forecast in which nothing varies has no
/// finish-date or driver chart: the page says so in one sentence instead.
///
/// Cost: draws every chart twice (PNG and SVG); well under a second each in
/// a release build.
///
/// # Errors
///
/// [`ExportError::Chart`] or [`ExportError::Format`].
pub fn report_set_with(f: &Forecast, opts: &ReportOptions) -> Result<OutputSet, ExportError> {
    let mut charts = Chart::all(f);
    if is_certain(f) {
        charts.retain(|c| !matches!(c.kind(), ChartKind::Finish | ChartKind::Drivers));
    }
    let mut svgs = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for c in &charts {
        let stem = c.kind().file_stem();
        let svg = c.svg()?;
        files.push((format!("{stem}.png"), c.png()?));
        files.push((format!("{stem}.svg"), svg.clone().into_bytes()));
        svgs.push((c.kind(), svg));
    }
    let doc = Document::new(f, &charts).titled(opts.title.as_deref());
    let page = html::render(&doc, |k| {
        svgs.iter()
            .find(|(kind, _)| *kind == k)
            .map(|(_, s)| s.clone())
    });
    let mut set = OutputSet::new("report");
    set.generated_at(f.run.generated);
    set.add("index.html", page.into_bytes());
    for (name, bytes) in files {
        set.add(name, bytes);
    }
    set.add("summary.md", markdown::render(&doc).into_bytes());
    forecast_views(0).add_files(f, &mut set)?;
    Ok(set)
}
