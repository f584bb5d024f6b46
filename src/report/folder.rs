//! The report folder's files: `index.html`, `summary.md`, every chart as
//! PNG and SVG, and the standard exports (with a percentile's world, its
//! Gantt chart and `explain.json`/`explain.csv` too), as one [`OutputSet`]
//! that [`super::Destination::publish`] writes atomically.

use crate::analysis::{Explanation, Forecast, History};

use super::chart::{Chart, ChartKind};
use super::document::Document;
use super::format::pretty_json;
use super::phrasing::is_certain;
use super::world::{GANTT_PNG, GANTT_SVG, world_files};
use super::{
    EXPLAIN_CSV, EXPLAIN_JSON, ExplainCsv, ExportError, Exporter, OutputSet, forecast_views, html,
    markdown,
};

/// What a report is asked for beyond its forecast.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions<'a> {
    /// The page's title (`--title`), in place of `Delivery forecast:
    /// PLAN`; plan text, made inert in the page and the summary.
    pub title: Option<&'a str>,
    /// A percentile's world ([`Explanation`] of the same run): a section
    /// with its Gantt chart (`gantt.png`, `gantt.svg`) and its exports
    /// (`explain.json`, `explain.csv`).
    pub world: Option<&'a Explanation>,
    /// The forecast's history over earlier snapshots (a [`History`] ending
    /// with this plan): a section "How the forecast moved" with the trend
    /// and waterfall charts, and its exports (`history.json`,
    /// `history.csv`, `moves.csv`).
    pub history: Option<&'a History>,
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
    let mut doc = Document::new(f, &charts).titled(opts.title);
    if let Some(e) = opts.world {
        let (section, png, svg) = world_files(e)?;
        files.push((GANTT_PNG.into(), png));
        files.push((GANTT_SVG.into(), svg.into_bytes()));
        doc.world = Some(section);
    }
    if let Some(h) = opts.history {
        let (section, chart_files) = super::trend::history_files(h)?;
        files.extend(chart_files);
        doc.history = Some(section);
    }
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
    if let Some(e) = opts.world {
        set.add(EXPLAIN_JSON, pretty_json(e)?);
        set.add(EXPLAIN_CSV, ExplainCsv.render(e)?);
    }
    if let Some(h) = opts.history {
        set.add(super::HISTORY_JSON, pretty_json(h)?);
        set.add(super::HISTORY_CSV, super::HistoryCsv.render(h)?);
        set.add(super::MOVES_CSV, super::MovesCsv.render(h)?);
    }
    Ok(set)
}
