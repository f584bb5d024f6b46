//! CSV views of a forecast: P1..P99 of the finish, and the per-task table.
//!
//! Every row (the header too) is written through [`write_csv_record`], so a
//! text cell that a spreadsheet would run as a formula starts with an
//! apostrophe (see [`super::inert::csv_cell`]).

use super::inert::write_csv_record;
use super::{ExportError, Exporter};
use crate::analysis::Forecast;

fn fail(e: impl std::fmt::Display) -> ExportError {
    ExportError::Format {
        format: "csv",
        message: e.to_string(),
    }
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(String::new, |x| format!("{x:.digits$}"))
}

/// `drivers.csv`: what drives the date, largest P80 effect first.
#[derive(Debug, Clone, Copy, Default)]
pub struct DriversCsv;

impl Exporter for DriversCsv {
    fn file_name(&self) -> &'static str {
        "drivers.csv"
    }

    fn serialize(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_csv_record(
            &mut w,
            [
                "kind",
                "id",
                "name",
                "p50_days",
                "p80_days",
                "p90_days",
                "mean_days",
            ],
        )
        .map_err(fail)?;
        for d in &f.drivers {
            let kind = serde_json::to_value(d.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            write_csv_record(
                &mut w,
                [
                    kind,
                    d.id.clone(),
                    d.name.clone(),
                    format!("{:.3}", d.p50_days),
                    format!("{:.3}", d.p80_days),
                    format!("{:.3}", d.p90_days),
                    format!("{:.3}", d.mean_days),
                ],
            )
            .map_err(fail)?;
        }
        finish(w)
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    w.into_inner().map_err(fail)
}

/// `percentiles.csv`: `percentile,working_days,finish_date`, P1 to P99.
#[derive(Debug, Clone, Copy, Default)]
pub struct PercentilesCsv;

impl Exporter for PercentilesCsv {
    fn file_name(&self) -> &'static str {
        "percentiles.csv"
    }

    fn serialize(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_csv_record(&mut w, ["percentile", "working_days", "finish_date"]).map_err(fail)?;
        for r in &f.percentiles {
            write_csv_record(
                &mut w,
                [
                    r.percent.to_string(),
                    format!("{:.3}", r.duration),
                    r.finish.to_string(),
                ],
            )
            .map_err(fail)?;
        }
        finish(w)
    }
}

/// `tasks.csv`: one row per task with criticality and finish dates.
#[derive(Debug, Clone, Copy, Default)]
pub struct TasksCsv;

impl Exporter for TasksCsv {
    fn file_name(&self) -> &'static str {
        "tasks.csv"
    }

    fn serialize(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_csv_record(
            &mut w,
            [
                "id",
                "name",
                "team",
                "status",
                "dist",
                "mean_duration_days",
                "criticality",
                "on_plan_critical_path",
                "planned_finish",
                "p50_finish",
                "p80_finish",
                "p90_finish",
                "simulated_std_days",
                "cruciality",
                "sensitivity",
                "ssi",
            ],
        )
        .map_err(fail)?;
        for t in &f.tasks {
            write_csv_record(
                &mut w,
                [
                    t.id.clone(),
                    t.name.clone(),
                    t.team.clone().unwrap_or_default(),
                    t.status.to_string(),
                    t.dist.clone(),
                    format!("{:.3}", t.mean_duration),
                    format!("{:.4}", t.criticality),
                    t.on_plan_critical_path.to_string(),
                    t.planned_finish.to_string(),
                    t.finish.p50.to_string(),
                    t.finish.p80.to_string(),
                    t.finish.p90.to_string(),
                    opt(t.simulated_std, 3),
                    opt(t.cruciality, 4),
                    opt(t.sensitivity, 4),
                    opt(t.ssi, 4),
                ],
            )
            .map_err(fail)?;
        }
        finish(w)
    }
}
