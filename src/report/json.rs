//! The canonical export of every result: the whole result as one JSON
//! object, the same on stdout (`--json`) and in the output folder.

use serde::Serialize;

use super::format::pretty_json;
use super::{ExportError, Exporter};

/// A result as pretty JSON, written to `file` in an output folder.
#[derive(Debug, Clone, Copy)]
pub struct Json {
    file: &'static str,
}

impl Json {
    /// The JSON view, written to `file` (`forecast.json`, ...).
    pub const fn new(file: &'static str) -> Json {
        Json { file }
    }
}

impl<R: Serialize> Exporter<R> for Json {
    fn file_name(&self) -> Option<&'static str> {
        Some(self.file)
    }

    fn render(&self, result: &R) -> Result<Vec<u8>, ExportError> {
        pretty_json(result)
    }
}
