//! What `slipcast import` makes of a P6 file: what the import read and left
//! out, how the imported plan replays against P6's own dates, and the plan
//! as the cells of a plan CSV and a calendars file that read back to it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use thiserror::Error;

use super::replay::{Replay, replay};
use crate::plan::xer::ImportReport;
use crate::plan::{PlanTables, Renamed, Scenario, plan_tables};

/// Why a scenario cannot be imported.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The plan was not read from a P6 file.
    #[error(
        "{plan} is not a Primavera P6 XER export or an MS Project XML file; slipcast import turns those into a plan CSV (forecast a plan CSV as it is: slipcast forecast {plan})"
    )]
    NotImported {
        /// The plan file.
        plan: String,
    },
}

/// The replay against P6's dates, with the share that matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplaySummary {
    /// Activities compared, matching, the finishes and every difference.
    #[serde(flatten)]
    pub replay: Replay,
    /// Share of the compared activities whose start and finish match P6's
    /// (0 to 1; 1 when none were compared).
    pub share: f64,
}

/// An imported P6 plan, ready to write as CSV.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The slipcast version that made it.
    pub version: String,
    /// When it was made (RFC 3339, UTC).
    pub generated: DateTime<Utc>,
    /// The P6 file, as given.
    pub xer: String,
    /// The plan's start: the data date's day, day 0 of its time axis (the
    /// `--start` of a forecast of the CSV).
    pub start: NaiveDate,
    /// Tasks in the plan.
    pub tasks: usize,
    /// What the import read, applied and left out.
    #[serde(flatten)]
    pub report: ImportReport,
    /// The imported plan replayed at its remaining durations, against
    /// P6's early dates.
    pub replay: Option<ReplaySummary>,
    /// Activity ids a plan CSV cannot hold, and the ids written instead.
    pub renamed_ids: Vec<Renamed>,
    /// Calendar names changed in the CSV (blank, with a line break, or
    /// used twice).
    pub renamed_calendars: Vec<Renamed>,
    /// The plan and calendars as CSV cells.
    #[serde(skip)]
    pub tables: PlanTables,
}

/// Imports a scenario read from a P6 file: replays it and writes its plan
/// (with each task's WBS path as a `wbs` column) and calendars as CSV
/// cells. `generated` dates the result.
///
/// Cost: one compile and one deterministic schedule, and O(tasks + links +
/// calendar exceptions) for the cells.
///
/// # Errors
///
/// [`ImportError::NotImported`] when the scenario's plan was not read from
/// a P6 file.
pub fn import(sc: &Scenario, generated: DateTime<Utc>) -> Result<Imported, ImportError> {
    let report = sc.import.clone().ok_or_else(|| ImportError::NotImported {
        plan: sc.plan.source.clone(),
    })?;
    let start = sc
        .plan
        .calendars
        .as_ref()
        .map_or(NaiveDate::MIN, |c| c.start);
    let extra = if report.wbs.iter().any(|w| !w.is_empty()) {
        vec![("wbs", report.wbs.clone())]
    } else {
        Vec::new()
    };
    let tables = plan_tables(&sc.plan, &extra);
    Ok(Imported {
        version: env!("CARGO_PKG_VERSION").to_string(),
        generated,
        xer: sc.plan.source.clone(),
        start,
        tasks: sc.plan.tasks.len(),
        replay: replay(sc).map(|r| ReplaySummary {
            share: r.share(),
            replay: r,
        }),
        renamed_ids: tables.renamed.clone(),
        renamed_calendars: tables.renamed_calendars.clone(),
        report,
        tables,
    })
}
