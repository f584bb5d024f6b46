//! How results are shown: terminal text, JSON and CSV exports, charts, the
//! HTML report, written atomically as a set. Every view is an [`Exporter`]
//! of a result; [`Views`] lists a result's views. Reports format what
//! [`crate::analysis`] computed; they compute no statistics themselves.

pub mod chart;
mod compare;
mod csv;
mod cutline;
mod document;
mod explain;
mod folder;
mod format;
mod history;
mod html;
mod import;
pub mod inert;
mod json;
mod markdown;
pub mod partials;
mod phrasing;
mod problems;
mod publish;
mod questions;
mod terminal;
mod trend;
mod world;

use thiserror::Error;

use serde::Serialize;

use crate::analysis::{Comparison, Cutline, Forecast, History, Made};

pub use self::csv::{DriversCsv, PercentilesCsv, TasksCsv};
pub use compare::{COMPARE_CSV, COMPARE_JSON, CompareChart, CompareCsv, compare_text};
pub use cutline::{
    CUTLINE_CSV, CUTLINE_JSON, CutlineChart, CutlineCsv, cut_label, cutline_text, verdict,
};
pub use document::Document;
pub use explain::{
    EXPLAIN_CSV, EXPLAIN_JSON, ExplainCsv, GanttChart, explain_text, explain_views,
    percentile_label, world_sentence,
};
pub use folder::{ReportOptions, report_set, report_set_with};
pub use format::{
    a_percent, axis_start, csv_table, day_number, day_unit, days_of, draws, finish_of,
    group_digits, long_date, long_date_time, on_calendar_days, percent, pretty_json, short_date,
    start_and_calendar, truncate, working_days,
};
pub use history::{
    HISTORY_CSV, HISTORY_JSON, HistoryChart, HistoryCsv, MOVES_CSV, MovesCsv, history_headline,
    history_text, largest_causes, part_name, watermelon,
};
pub use import::{
    CALENDARS_CSV, IMPORT_JSON, PLAN_CSV, calendars_csv, import_set, import_text, plan_csv,
    ranging_summary,
};
pub use json::Json;
pub use phrasing::{against_plan, calendar, commitment, target, workday_number};
pub use problems::{Counts, ProblemEntry, Validation, problem_entries};
pub use publish::{Destination, MANIFEST, Manifest, ManifestEntry, OutputSet, Refusal, Step};
pub use terminal::Terminal;

/// Why an export could not be written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A file or folder could not be written.
    #[error("could not write '{path}'")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Serialisation failed.
    #[error("could not format the {format} export: {message}")]
    Format {
        /// The format (json, csv).
        format: &'static str,
        /// What went wrong.
        message: String,
    },
    /// An output folder that slipcast may not write to.
    #[error("cannot write '{path}': {reason}")]
    Refused {
        /// The folder, as given.
        path: String,
        /// What is there and what to do.
        reason: String,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] chart::ChartError),
}

/// One view of a result `R` (a [`Forecast`], [`Cutline`] or
/// [`Comparison`]): the result in, the bytes of a file or of the terminal
/// text out.
pub trait Exporter<R: ?Sized> {
    /// The file this view is written to inside an output folder (`None`:
    /// the terminal text, printed on stdout).
    fn file_name(&self) -> Option<&'static str>;

    /// Renders the result.
    ///
    /// # Errors
    ///
    /// [`ExportError::Format`] if serialisation fails,
    /// [`ExportError::Chart`] if a chart cannot be drawn.
    fn render(&self, result: &R) -> Result<Vec<u8>, ExportError>;
}

/// Terminal text made by a function of the result.
pub struct Text<R>(pub fn(&R) -> String);

impl<R> Exporter<R> for Text<R> {
    fn file_name(&self) -> Option<&'static str> {
        None
    }

    fn render(&self, result: &R) -> Result<Vec<u8>, ExportError> {
        Ok((self.0)(result).into_bytes())
    }
}

/// Every way one kind of result is written: its terminal text, its JSON
/// (`--json` prints exactly the JSON file of `--out`), and the files of its
/// output folder.
pub struct Views<R: 'static> {
    kind: &'static str,
    /// The terminal text.
    pub terminal: Box<dyn Exporter<R>>,
    /// The JSON, printed by `--json` and written to the folder.
    pub json: Json,
    /// The other files of the folder, in the order they are written.
    pub files: Vec<Box<dyn Exporter<R>>>,
}

impl<R: Serialize + Made + 'static> Views<R> {
    /// The kind of set these views write (`forecast`, `cutline`,
    /// `compare`), recorded in the folder's manifest.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The `--out` folder of `result`: the JSON, then the other files.
    ///
    /// # Errors
    ///
    /// As [`Exporter::render`].
    pub fn set(&self, result: &R) -> Result<OutputSet, ExportError> {
        let mut set = OutputSet::new(self.kind);
        set.generated_at(result.provenance().generated);
        self.add_files(result, &mut set)?;
        Ok(set)
    }

    /// Adds the JSON and the other files of `result` to `set`.
    ///
    /// # Errors
    ///
    /// As [`Exporter::render`].
    pub fn add_files(&self, result: &R, set: &mut OutputSet) -> Result<(), ExportError> {
        let json: &dyn Exporter<R> = &self.json;
        for e in std::iter::once(json).chain(self.files.iter().map(|e| &**e)) {
            let name = e.file_name().expect("an output folder's views name a file");
            set.add(name, e.render(result)?);
        }
        Ok(())
    }
}

/// The views of a forecast; the terminal summary lists the `top` most
/// critical tasks and drivers.
pub fn forecast_views(top: usize) -> Views<Forecast> {
    Views {
        kind: "forecast",
        terminal: Box::new(Terminal { top }),
        json: Json::new("forecast.json"),
        files: vec![
            Box::new(PercentilesCsv),
            Box::new(TasksCsv),
            Box::new(DriversCsv),
        ],
    }
}

/// The views of a cut-line sweep: the table, `cutline.json`,
/// `cutline.csv` and the chart as PNG and SVG.
pub fn cutline_views() -> Views<Cutline> {
    Views {
        kind: "cutline",
        terminal: Box::new(Text(cutline_text)),
        json: Json::new(CUTLINE_JSON),
        files: vec![
            Box::new(CutlineCsv),
            Box::new(CutlineChart::Png),
            Box::new(CutlineChart::Svg),
        ],
    }
}

/// The views of a scenario comparison: the tables, `compare.json`,
/// `compare.csv` and the scenarios' S-curves as PNG and SVG.
pub fn compare_views() -> Views<Comparison> {
    Views {
        kind: "compare",
        terminal: Box::new(Text(compare_text)),
        json: Json::new(COMPARE_JSON),
        files: vec![
            Box::new(CompareCsv),
            Box::new(CompareChart::Png),
            Box::new(CompareChart::Svg),
        ],
    }
}

/// The views of a forecast history: the tables, `history.json`,
/// `history.csv`, `moves.csv` and the trend and waterfall charts.
pub fn history_views() -> Views<History> {
    Views {
        kind: "history",
        terminal: Box::new(Text(history_text)),
        json: Json::new(HISTORY_JSON),
        files: vec![
            Box::new(HistoryCsv),
            Box::new(MovesCsv),
            Box::new(HistoryChart::TrendPng),
            Box::new(HistoryChart::TrendSvg),
            Box::new(HistoryChart::WaterfallPng),
            Box::new(HistoryChart::WaterfallSvg),
        ],
    }
}
