//! CSV views of a forecast: P1..P99 of the finish, the per-task table, and
//! what drives the date.
//!
//! Every cell (the header too) is written through
//! [`csv_table`](super::format::csv_table), so a text cell that a
//! spreadsheet would run as a formula starts with an apostrophe (see
//! [`super::inert::csv_cell`]).

use super::format::{csv_table, fixed, on_calendar_days, optional};
use super::{ExportError, Exporter};
use crate::analysis::Forecast;

/// `drivers.csv`: what drives the date, largest P80 effect first.
#[derive(Debug, Clone, Copy, Default)]
pub struct DriversCsv;

impl Exporter<Forecast> for DriversCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some("drivers.csv")
    }

    fn render(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        csv_table(
            &[
                "kind",
                "id",
                "name",
                "p50_days",
                "p80_days",
                "p80_days_low",
                "p80_days_high",
                "p90_days",
                "mean_days",
            ],
            f.drivers.iter().map(|d| {
                let bound = |x: Option<f64>| x.map_or_else(String::new, |x| fixed(x, 3));
                [
                    d.kind.as_str().to_string(),
                    d.id.clone(),
                    d.name.clone(),
                    fixed(d.p50_days, 3),
                    fixed(d.p80_days, 3),
                    bound(d.p80_low),
                    bound(d.p80_high),
                    fixed(d.p90_days, 3),
                    fixed(d.mean_days, 3),
                ]
            }),
        )
    }
}

/// `percentiles.csv`: `percentile,working_days,finish_date`, P1 to P99
/// (`calendar_days` for a plan whose tasks keep their own calendars: its
/// times count calendar days from the data date).
#[derive(Debug, Clone, Copy, Default)]
pub struct PercentilesCsv;

impl Exporter<Forecast> for PercentilesCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some("percentiles.csv")
    }

    fn render(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        csv_table(
            &[
                "percentile",
                if on_calendar_days(&f.run) {
                    "calendar_days"
                } else {
                    "working_days"
                },
                "finish_date",
            ],
            f.percentiles.iter().map(|r| {
                [
                    r.percent.to_string(),
                    fixed(r.duration, 3),
                    r.finish.to_string(),
                ]
            }),
        )
    }
}

/// `tasks.csv`: one row per task with criticality and finish dates (and its
/// WBS path, for a plan imported with one).
#[derive(Debug, Clone, Copy, Default)]
pub struct TasksCsv;

impl Exporter<Forecast> for TasksCsv {
    fn file_name(&self) -> Option<&'static str> {
        Some("tasks.csv")
    }

    fn render(&self, f: &Forecast) -> Result<Vec<u8>, ExportError> {
        // A plan imported with a WBS gets its paths after the team.
        let wbs = f.tasks.iter().any(|t| t.wbs.is_some());
        let mut header = vec!["id", "name", "team"];
        if wbs {
            header.push("wbs");
        }
        header.extend([
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
        ]);
        csv_table(
            &header,
            f.tasks.iter().map(|t| {
                let mut row = vec![
                    t.id.clone(),
                    t.name.clone(),
                    t.team.clone().unwrap_or_default(),
                ];
                if wbs {
                    row.push(t.wbs.clone().unwrap_or_default());
                }
                row.extend([
                    t.status.to_string(),
                    t.dist.clone(),
                    fixed(t.mean_duration, 3),
                    fixed(t.criticality, 4),
                    t.on_plan_critical_path.to_string(),
                    t.planned_finish.to_string(),
                    t.finish.p50.to_string(),
                    t.finish.p80.to_string(),
                    t.finish.p90.to_string(),
                    optional(t.simulated_std, 3),
                    optional(t.cruciality, 4),
                    optional(t.sensitivity, 4),
                    optional(t.ssi, 4),
                ]);
                row
            }),
        )
    }
}
