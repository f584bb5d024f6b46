//! The canonical export: the whole [`Forecast`] as one JSON object.

use super::{ExportError, Exporter};
use crate::analysis::Forecast;

/// `forecast.json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Exporter for Json {
    fn file_name(&self) -> &'static str {
        "forecast.json"
    }

    fn serialize(&self, forecast: &Forecast) -> Result<Vec<u8>, ExportError> {
        let mut v = serde_json::to_vec_pretty(forecast).map_err(|e| ExportError::Format {
            format: "json",
            message: e.to_string(),
        })?;
        v.push(b'\n');
        Ok(v)
    }
}
