//! What can be wrong with an XER file, said so that the user can fix it.
//!
//! These are the `what` and the fix of a [`Problem`](crate::plan::Problem)
//! (as [`ProblemKind::Xer`](crate::plan::ProblemKind::Xer)); the problem
//! around them gives the file and the line.

use thiserror::Error;

use super::super::ProblemKind;
use super::clndr::CalendarDataError;

/// How to get a sound XER file out of P6, the fix of most problems.
const EXPORT_AGAIN: &str =
    "export the project again from P6 (File > Export > Primavera PM (XER), export type Project)";

/// What is wrong in an XER file.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum XerProblem {
    /// The file has no bytes, or only blank lines.
    #[error("the file is empty; {EXPORT_AGAIN}")]
    Empty,
    /// The file does not start with the `ERMHDR` header line.
    #[error(
        "the file does not start with an ERMHDR line, so it is not a Primavera P6 XER export; {EXPORT_AGAIN}, or give a plan CSV"
    )]
    NotXer,
    /// The file ends before its `%E` line.
    #[error(
        "the file ends at line {last} without the %E line that closes every XER export, so it was cut short (an interrupted download, copy or attachment); {EXPORT_AGAIN}"
    )]
    Truncated {
        /// The last line of the file.
        last: u64,
    },
    /// Non-blank lines follow the `%E` line.
    #[error(
        "the file goes on after its %E end line (line {end}); two exports joined into one file? Keep one export per file"
    )]
    AfterEnd {
        /// The line of `%E`.
        end: u64,
    },
    /// A second `ERMHDR` header inside the file.
    #[error(
        "a second ERMHDR header line; two exports joined into one file? Keep one export per file"
    )]
    SecondHeader,
    /// A line that is none of the XER records.
    #[error(
        "the line starts with \"{start}\", which is not an XER record (%T, %F, %R or %E): a value with a line break in it, or an edited file; {EXPORT_AGAIN}"
    )]
    UnknownLine {
        /// The line's first characters.
        start: String,
    },
    /// A `%T` line without a table name.
    #[error("a %T line without a table name; {EXPORT_AGAIN}")]
    TableWithoutName,
    /// A table appears twice.
    #[error(
        "table {table} appears again (first on line {first_line}); keep one export per file, or {EXPORT_AGAIN}"
    )]
    DuplicateTable {
        /// The table name.
        table: String,
        /// The line of its first `%T`.
        first_line: u64,
    },
    /// A `%F` line before any `%T` line.
    #[error("a %F (fields) line before any %T (table) line; {EXPORT_AGAIN}")]
    FieldsWithoutTable,
    /// A table has a second `%F` line.
    #[error(
        "table {table} has a second %F (fields) line (the first is on line {first_line}), so a %T line is missing or the file was edited; {EXPORT_AGAIN}"
    )]
    FieldsAgain {
        /// The table name.
        table: String,
        /// The line of the first `%F`.
        first_line: u64,
    },
    /// A table has no `%F` line at all.
    #[error(
        "table {table} has no %F (fields) line, so its values cannot be named (the file was cut or edited); {EXPORT_AGAIN}"
    )]
    NoFields {
        /// The table name.
        table: String,
    },
    /// A `%R` row before any `%T` line (reported once).
    #[error("%R (row) lines from here on come before any %T (table) line; {EXPORT_AGAIN}")]
    RowWithoutTable,
    /// A `%R` row before its table's `%F` line (reported once per table).
    #[error(
        "table {table} has %R rows from here on before its %F (fields) line, so their values cannot be named; {EXPORT_AGAIN}"
    )]
    RowBeforeFields {
        /// The table name.
        table: String,
    },
    /// A row has more values than its table has fields.
    #[error(
        "the row has {found} values but table {table} has {expected} fields (its %F line); a tab typed into a name, or rows run together? Remove the extra tab or {EXPORT_AGAIN}"
    )]
    TooManyValues {
        /// The table name.
        table: String,
        /// Values in the row.
        found: usize,
        /// Fields of the table.
        expected: usize,
    },
    /// A table slipcast needs is absent.
    #[error("{}", missing_table(.table))]
    MissingTable {
        /// The table name, e.g. `TASK`.
        table: String,
    },
    /// A field slipcast needs is absent from a table's `%F` line.
    #[error(
        "table {table} has no {field} field; P6 writes it in every XER export, so the file was written by another program or edited; {EXPORT_AGAIN}"
    )]
    MissingField {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
    },
    /// A value slipcast needs is blank.
    #[error(
        "{table}.{field} is blank; P6 always fills it in, so the file was written by another program or edited; fill it in or {EXPORT_AGAIN}"
    )]
    Blank {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
    },
    /// A date is not written as P6 writes dates.
    #[error(
        "{table}.{field} \"{value}\" is not a date as P6 writes them (YYYY-MM-DD HH:MM, e.g. 2025-04-22 08:00); correct it or {EXPORT_AGAIN}"
    )]
    BadDate {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A number cannot be read.
    #[error(
        "{table}.{field} \"{value}\" is not a number; write a plain decimal such as 8 or -16.5, or {EXPORT_AGAIN}"
    )]
    BadNumber {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A number outside the range it must be in.
    #[error("{table}.{field} {value} is out of range: {range}; correct it in P6 or {EXPORT_AGAIN}")]
    OutOfRange {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
        /// The value.
        value: f64,
        /// The range, in words.
        range: &'static str,
    },
    /// An id is not a whole number.
    #[error(
        "{table}.{field} \"{value}\" is not an id (P6 ids are whole numbers such as 116763); correct it or {EXPORT_AGAIN}"
    )]
    BadId {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A code value (a type or status) is not one P6 writes.
    #[error(
        "{table}.{field} \"{value}\" is not one of the values P6 writes ({expected}); correct it or {EXPORT_AGAIN}"
    )]
    UnknownCode {
        /// The table name.
        table: String,
        /// The field name.
        field: String,
        /// The value as written.
        value: String,
        /// The values P6 writes, comma-separated.
        expected: String,
    },
    /// A date constraint without its date.
    #[error(
        "{table}.{field} is {constraint} but {date_field} is blank; give the constraint its date in P6, or remove the constraint"
    )]
    ConstraintWithoutDate {
        /// The table name.
        table: String,
        /// The constraint's field, `cstr_type` or `cstr_type2`.
        field: String,
        /// The constraint as written, e.g. `CS_MSOA`.
        constraint: String,
        /// The date's field, `cstr_date` or `cstr_date2`.
        date_field: String,
    },
    /// A table's key is used twice.
    #[error(
        "{table}.{field} {id} is used again (first on line {first_line}), but keys are unique in a P6 export; keep one export per file, or {EXPORT_AGAIN}"
    )]
    DuplicateKey {
        /// The table name.
        table: String,
        /// The key field, e.g. `task_id`.
        field: String,
        /// The key.
        id: u64,
        /// The row that used it first.
        first_line: u64,
    },
    /// A WBS element is (through its parents) its own parent.
    #[error(
        "PROJWBS wbs_id {id} is, through parent_wbs_id, its own parent; correct the WBS in P6 or {EXPORT_AGAIN}"
    )]
    WbsCycle {
        /// The element's `wbs_id`.
        id: u64,
    },
    /// A calendar's `clndr_data` cannot be read.
    #[error(
        "calendar {id} (CALENDAR.clndr_data): {what}; check the calendar in P6 (Enterprise > Calendars) and {EXPORT_AGAIN}"
    )]
    Calendar {
        /// The calendar's `clndr_id`.
        id: u64,
        /// What is wrong in its data.
        what: CalendarDataError,
    },
    /// `--project` names no project of the file.
    #[error(
        "--project {code}: the file has no project with that short name; its projects are {known}"
    )]
    UnknownProject {
        /// The short name asked for.
        code: String,
        /// The projects of the file.
        known: String,
    },
    /// Nothing to schedule after leaving out WBS summaries and
    /// level-of-effort activities.
    #[error(
        "the projects imported have no activities to schedule (WBS summaries and level-of-effort activities are left out); pick another --project, or {EXPORT_AGAIN}"
    )]
    NoActivities,
    /// An activity runs on a calendar the file does not hold.
    #[error(
        "TASK.clndr_id {id} names no calendar of the CALENDAR table; export again with its calendar (P6 exports the global calendars a project uses), or assign the activity a calendar the project has"
    )]
    UnknownCalendar {
        /// The calendar id.
        id: u64,
    },
    /// The relationships loop back on themselves.
    #[error(
        "the relationships form a cycle: {path}; P6 refuses to schedule this too (Tools > Schedule reports the loop): remove one relationship of the cycle in P6 and export again"
    )]
    Cycle {
        /// The activities around the cycle, the first repeated at the end.
        path: String,
    },
}

impl From<XerProblem> for ProblemKind {
    fn from(p: XerProblem) -> ProblemKind {
        ProblemKind::Xer(Box::new(p))
    }
}

fn missing_table(table: &str) -> String {
    let why = match table {
        "PROJECT" => {
            "the file holds no project. A Resource export holds none: export with export type Project"
        }
        "TASK" => {
            "the file holds no activities. P6 leaves out the tables it has no rows for: export a project that has activities"
        }
        _ => "P6 leaves out the tables it has no rows for",
    };
    format!(
        "there is no {table} table: {why} (File > Export > Primavera PM (XER), export type Project)"
    )
}
