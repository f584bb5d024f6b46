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
mod questions;
mod terminal;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::analysis::Forecast;

pub use self::csv::{DriversCsv, PercentilesCsv, TasksCsv};
pub use compare::{COMPARE_CSV, COMPARE_JSON, compare_csv, compare_json, compare_text};
pub use cutline::{
    CUTLINE_CSV, CUTLINE_JSON, cut_label, cutline_csv, cutline_json, cutline_text, verdict,
};
pub use document::Document;
pub use folder::{check_report_dir, write_report};
pub use json::Json;
pub use phrasing::{
    against_plan, calendar, commitment, group_digits, long_date, target, workday_number,
    working_days,
};
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
    /// A report folder would replace files that are not a report.
    #[error(
        "'{path}' exists and is not a slipcast report (no index.html and forecast.json); \
         choose another --out folder, or move its files away"
    )]
    Occupied {
        /// The folder.
        path: String,
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

/// Creates `dir` if needed and checks that files can be written in it, so a
/// bad output path fails before any simulation runs.
///
/// # Errors
///
/// [`ExportError::Io`] naming the folder.
pub fn prepare_dir(dir: &Path) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: dir.display().to_string(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let probe = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    drop(probe);
    Ok(())
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// folder, flushed to disk, then renamed over `path`. A crash leaves either
/// the old file or the new one, never half of one.
///
/// # Errors
///
/// [`ExportError::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // Temporary files are private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes every standard export into `dir` (created if needed); returns the
/// paths written.
///
/// # Errors
///
/// The first [`ExportError`] met; files already written stay complete.
pub fn write_all(dir: &Path, forecast: &Forecast) -> Result<Vec<PathBuf>, ExportError> {
    prepare_dir(dir)?;
    let mut written = Vec::new();
    for e in standard_exporters() {
        let path = dir.join(e.file_name());
        write_atomic(&path, &e.serialize(forecast)?)?;
        written.push(path);
    }
    Ok(written)
}
