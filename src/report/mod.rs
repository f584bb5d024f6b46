//! How a forecast is shown: terminal text, JSON and CSV exports, written
//! atomically. Reports format what [`crate::analysis`] computed; they compute
//! no statistics themselves.

pub mod chart;
mod compare;
mod csv;
mod cutline;
mod document;
mod folder;
mod html;
pub mod inert;
mod json;
mod markdown;
mod phrasing;
mod publish;
mod questions;
mod terminal;

use thiserror::Error;

use crate::analysis::Forecast;

pub use self::csv::{DriversCsv, PercentilesCsv, TasksCsv};
pub use compare::{COMPARE_CSV, COMPARE_JSON, compare_csv, compare_json, compare_text};
pub use cutline::{
    CUTLINE_CSV, CUTLINE_JSON, cut_label, cutline_csv, cutline_json, cutline_text, verdict,
};
pub use document::Document;
pub use folder::report_set;
pub use json::Json;
pub use phrasing::{
    against_plan, calendar, commitment, group_digits, long_date, target, workday_number,
    working_days,
};
pub use publish::{Destination, MANIFEST, Manifest, ManifestEntry, OutputSet, Refusal, Step};
pub use terminal::{Terminal, percent};

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

/// One output format: a forecast in, the bytes of a file out.
pub trait Exporter {
    /// The file name this format is written to inside an output folder.
    fn file_name(&self) -> &'static str;

    /// Formats the forecast.
    ///
    /// # Errors
    ///
    /// [`ExportError::Format`] if serialisation fails.
    fn serialize(&self, forecast: &Forecast) -> Result<Vec<u8>, ExportError>;
}

/// The files `--out DIR` writes.
pub fn standard_exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(Json),
        Box::new(PercentilesCsv),
        Box::new(TasksCsv),
        Box::new(DriversCsv),
    ]
}

/// The standard exports of a forecast (`forecast --out DIR`) as one set.
///
/// # Errors
///
/// [`ExportError::Format`] if an export cannot be formatted.
pub fn forecast_set(forecast: &Forecast) -> Result<OutputSet, ExportError> {
    let mut set = OutputSet::new("forecast");
    for e in standard_exporters() {
        set.add(e.file_name(), e.serialize(forecast)?);
    }
    Ok(set)
}
