//! The report's section on the forecast's history ("How the forecast
//! moved"): the finding, the trend and waterfall charts, each snapshot's
//! dates and each move's causes, built from a [`History`] for
//! [`super::html`] and [`super::markdown`] to render.

use crate::analysis::History;

use super::chart::{Chart, ChartError, TrendView, WaterfallView};
use super::document::{Cell, Table};
use super::format::{long_date, percent, signed_interval};
use super::history::{history_headline, largest_causes, part_name, watermelon};

/// A file of the report folder: its name and bytes.
pub type NamedFile = (String, Vec<u8>);

/// The section, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySection {
    /// What the history found, in one line.
    pub headline: String,
    /// The largest causes of the move, and any watermelon warnings.
    pub sentences: Vec<String>,
    /// The trend chart: title and SVG document.
    pub trend: (String, String),
    /// The waterfall: title and SVG document.
    pub waterfall: (String, String),
    /// One row per snapshot.
    pub snapshots: Table,
    /// One row per cause of each move.
    pub causes: Table,
}

fn cell(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        ..Cell::default()
    }
}

/// The section of `h` and the files it adds to the report folder
/// (`trend.png`, `trend.svg`, `waterfall.png`, `waterfall.svg`).
///
/// # Errors
///
/// [`ChartError`] if a chart cannot be drawn.
pub fn history_files(h: &History) -> Result<(HistorySection, Vec<NamedFile>), ChartError> {
    let trend = Chart::from(TrendView::new(h));
    let fall = Chart::from(WaterfallView::new(h));
    let (trend_svg, fall_svg) = (trend.svg()?, fall.svg()?);
    let files = vec![
        ("trend.png".to_string(), trend.png()?),
        ("trend.svg".to_string(), trend_svg.clone().into_bytes()),
        ("waterfall.png".to_string(), fall.png()?),
        ("waterfall.svg".to_string(), fall_svg.clone().into_bytes()),
    ];
    let mut sentences: Vec<String> = largest_causes(h).into_iter().collect();
    sentences.extend(h.moves.iter().filter_map(|m| watermelon(h, m)));
    let target = h.target.map(|t| format!("Chance by {}", long_date(t)));
    let mut columns = vec![
        ("Data date".to_string(), false),
        ("Done".to_string(), true),
        ("P50".to_string(), false),
        ("P80".to_string(), false),
        ("P90".to_string(), false),
        ("Plan date".to_string(), false),
    ];
    columns.extend(target.map(|t| (t, true)));
    let snapshots = Table {
        columns,
        rows: h
            .snapshots
            .iter()
            .map(|s| {
                let mut row = vec![
                    Cell {
                        detail: Some(super::inert::visible_line(&s.label).into_owned()),
                        ..cell(long_date(s.data_date))
                    },
                    cell(format!("{} of {}", s.done, s.tasks)),
                    cell(long_date(s.p50.date)),
                    Cell {
                        strong: true,
                        ..cell(long_date(s.p80.date))
                    },
                    cell(long_date(s.p90.date)),
                    cell(long_date(s.plan.date)),
                ];
                row.extend(s.target_probability.map(|p| cell(percent(p))));
                row
            })
            .collect(),
        note: String::new(),
    };
    let causes = Table {
        columns: vec![
            ("Between".to_string(), false),
            ("Cause".to_string(), false),
            (format!("P80 ({})", h.unit), true),
            (format!("P50 ({})", h.unit), true),
        ],
        rows: h
            .moves
            .iter()
            .flat_map(|m| {
                let between = format!(
                    "{} to {}",
                    long_date(h.snapshots[m.from].data_date),
                    long_date(h.snapshots[m.to].data_date)
                );
                m.parts.iter().map(move |p| {
                    vec![
                        cell(between.clone()),
                        cell(part_name(p.cause, &p.label)),
                        cell(signed_interval(&p.p80)),
                        cell(signed_interval(&p.p50)),
                    ]
                })
            })
            .collect(),
        note: "Each cause is forecast on the same random draws, in the order listed; the causes \
               of a move add up to it exactly. [low, high] is the 95% interval."
            .to_string(),
    };
    Ok((
        HistorySection {
            headline: history_headline(h),
            sentences,
            trend: (trend.title().to_string(), trend_svg),
            waterfall: (fall.title().to_string(), fall_svg),
            snapshots,
            causes,
        },
        files,
    ))
}
