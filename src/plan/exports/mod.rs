//! Plans exported from other tools, read as they are: MS Project's task
//! table, Smartsheet and Asana (dates), Jira (issues, seconds, story
//! points, issue links), and any other table whose columns are named with
//! `--map FIELD=COLUMN`.
//!
//! The shape is recognised from the header ([`Shape::recognise`]); each
//! record of an export is then translated into the cells of slipcast's own
//! plan CSV (working days as plain decimals, a status of todo, in_progress
//! or done) and links by id, which the plan reader reads as it reads its
//! own rows, with the same problems (file, line, task, value, fix). Cells
//! that cannot be translated are problems of their own
//! ([`ExportProblem`]), all reported at once.
//!
//! A single duration (MS Project's `Duration`, Jira's estimate, dates) is a
//! task with no range (low = likely = high). Columns of optimistic and
//! pessimistic days give it one: a `low` and a `high` column (by any of
//! their names) are read in every shape, and `--map low=COLUMN` names any.

mod jira;
mod links;
mod shape;
mod status;
mod translate;
mod units;

use std::str::FromStr;

use thiserror::Error;

use super::Calendar;
use super::columns::{COLUMNS, Col};
use super::error::suggest;
use super::records::normalise;

pub(super) use shape::{Shape, mapped_columns, unknown_columns};
pub(super) use translate::{Context, translate};
pub(super) use units::number_text;

/// How a plan CSV's columns are read beyond its header's own names: the
/// columns named with `--map`, the story points of a working day, and the
/// calendar on which dates become working days.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Columns named for slipcast's fields (`--map likely="Effort (days)"`).
    pub map: Vec<ColumnMapping>,
    /// Story points done per working day (`--points-per-day`): a Jira
    /// issue estimated in story points alone takes `points / this` days.
    pub points_per_day: Option<f64>,
    /// The calendar on which Start/End dates are counted as working days
    /// (the run's `--workdays` and `--holidays`); Monday to Friday without
    /// holidays when `None`.
    pub calendar: Option<Calendar>,
}

/// One `--map FIELD=COLUMN`: the header column that holds one of
/// slipcast's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    field: Col,
    column: String,
}

/// The fields `--map` can name, as the README lists them.
pub const MAP_FIELDS: &[&str] = &[
    "id",
    "name",
    "low",
    "likely",
    "high",
    "dist",
    "confidence",
    "depends_on",
    "team",
    "priority",
    "status",
    "calendar",
    "not_before",
    "finish_not_before",
    "milestone",
];

impl ColumnMapping {
    /// The field's name (`likely`).
    pub fn field(&self) -> &'static str {
        super::columns::names(self.field)[0]
    }

    /// The column as written (`Effort (days)`).
    pub fn column(&self) -> &str {
        &self.column
    }
}

/// Why a `--map` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MapError {
    /// There is no `=`, or nothing on one side of it.
    #[error("\"{0}\" is not FIELD=COLUMN; write e.g. --map likely=\"Effort (days)\" --map id=Key")]
    NotAMapping(String),
    /// The field is not one slipcast reads.
    #[error(
        "\"{field}\" is not a field slipcast reads{}; the fields are {}",
        suggest(.suggestion),
        MAP_FIELDS.join(", ")
    )]
    UnknownField {
        /// The field as written.
        field: String,
        /// The closest field, if any is close.
        suggestion: Option<String>,
    },
}

/// Reads `FIELD=COLUMN`: the field by any of its names (`likely`,
/// `most_likely`, `ml`, ...), the column as the header writes it.
///
/// # Examples
///
/// ```
/// use slipcast::plan::ColumnMapping;
/// let m: ColumnMapping = "likely=Effort (days)".parse().unwrap();
/// assert_eq!((m.field(), m.column()), ("likely", "Effort (days)"));
/// assert!("efort=X".parse::<ColumnMapping>().is_err());
/// ```
impl FromStr for ColumnMapping {
    type Err = MapError;

    fn from_str(text: &str) -> Result<ColumnMapping, MapError> {
        let (field, column) = text
            .split_once('=')
            .map(|(f, c)| (f.trim(), c.trim().trim_matches('"').trim()))
            .filter(|(f, c)| !f.is_empty() && !c.is_empty())
            .ok_or_else(|| MapError::NotAMapping(text.into()))?;
        let n = normalise(field);
        let col = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&n.as_str()))
            .map(|(c, _)| *c)
            .ok_or_else(|| MapError::UnknownField {
                field: field.into(),
                suggestion: super::closest(field, MAP_FIELDS.iter().copied()),
            })?;
        Ok(ColumnMapping {
            field: col,
            column: column.into(),
        })
    }
}

/// What is wrong with a cell of an export, or with how it is read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ExportProblem {
    /// A duration cell that cannot be read.
    #[error(
        "{column} \"{value}\" is not a duration; write a number and a unit: 5d or 5 days (working days), 3w (5 days a week), 2.5h (8 hours a day), 30min, 1mo (20 days)"
    )]
    BadDuration {
        /// The column as written.
        column: String,
        /// The cell.
        value: String,
    },
    /// An elapsed duration (`3 edays`).
    #[error(
        "{column} \"{value}\" is elapsed time (calendar days that run through weekends), which slipcast does not convert to working days; write it in working days, e.g. 3d"
    )]
    Elapsed {
        /// The column as written.
        column: String,
        /// The cell.
        value: String,
    },
    /// A link of a predecessors cell that cannot be read.
    #[error("predecessor \"{link}\": {why}; write links as MS Project does, e.g. 3FS+2d;4SS;7")]
    BadPredecessor {
        /// The link as written.
        link: String,
        /// What is wrong with it.
        why: String,
    },
    /// A lag in percent (`3FS+50%`).
    #[error(
        "predecessor \"{link}\": a lag in percent of the predecessor's duration is not read; write it in working days, e.g. 3FS+2d"
    )]
    PercentLag {
        /// The link as written.
        link: String,
    },
    /// A Jira estimate that is not seconds.
    #[error(
        "{column} \"{value}\" is not a number of seconds; Jira exports estimates in seconds (28800 is one working day of 8 hours)"
    )]
    BadSeconds {
        /// The column as written.
        column: String,
        /// The cell.
        value: String,
    },
    /// Story points that are not a number.
    #[error("{column} \"{value}\" is not a number of story points; write e.g. 3 or 0.5")]
    BadPoints {
        /// The column as written.
        column: String,
        /// The cell.
        value: String,
    },
    /// Issues estimated in story points alone, without `--points-per-day`.
    #[error(
        "{column} is the only estimate of {issues} issue(s), the first on line {first_line}; pass --points-per-day N, the story points the team finishes per working day (--points-per-day 0.5: a point takes 2 days), or give them an Original Estimate"
    )]
    NeedsPointsPerDay {
        /// The story points column as written.
        column: String,
        /// How many issues.
        issues: usize,
        /// The line of the first.
        first_line: u64,
    },
    /// A date that cannot be read.
    #[error("{column} \"{value}\" is not a date; write YYYY-MM-DD (or M/D/YYYY, month first)")]
    BadDate {
        /// The column as written.
        column: String,
        /// The cell.
        value: String,
    },
    /// An end date before the start date.
    #[error("{end_column} {end} is before {start_column} {start}; correct one of the dates")]
    EndBeforeStart {
        /// The start column as written.
        start_column: String,
        /// The start date.
        start: String,
        /// The end column as written.
        end_column: String,
        /// The end date.
        end: String,
    },
    /// A row of an export with nothing to make a duration of.
    #[error("has no duration: {0}")]
    NoDuration(String),
    /// A `--map` column that the header does not have.
    #[error(
        "--map {field}=\"{column}\": the header has no column \"{column}\"{}; name a column of the header line",
        suggest(.suggestion)
    )]
    MapColumnMissing {
        /// The field.
        field: String,
        /// The column as given.
        column: String,
        /// The closest header name, if any is close.
        suggestion: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_read_field_equals_column() {
        let m: ColumnMapping = "ml = \"Effort (days)\"".parse().unwrap();
        assert_eq!((m.field(), m.column()), ("likely", "Effort (days)"));
        let m: ColumnMapping = "depends-on=Blocked by".parse().unwrap();
        assert_eq!(m.field(), "depends_on");
        assert_eq!(
            "likely".parse::<ColumnMapping>(),
            Err(MapError::NotAMapping("likely".into()))
        );
        assert_eq!(
            "likely=".parse::<ColumnMapping>(),
            Err(MapError::NotAMapping("likely=".into()))
        );
        let e = "likly=Effort".parse::<ColumnMapping>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"likly\" is not a field slipcast reads (did you mean \"likely\"?); the fields are id, name, low, likely, high, dist, confidence, depends_on, team, priority, status, calendar, not_before, finish_not_before, milestone"
        );
    }
}
