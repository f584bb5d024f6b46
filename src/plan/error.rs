//! What can be wrong with a plan, said so that the user can fix it.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use thiserror::Error;

use super::{EstimateError, LinkError, RangeKey, UnknownDistribution};

/// One problem found in an input file, with where it is.
///
/// Displays as `plan.csv:7: task "qa": low (5) > likely (3); expected low <= likely <= high`.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// The line as an editor shows it (the header is line 1).
    pub line: Option<u64>,
    /// The task (or risk) id the problem belongs to.
    pub task: Option<String>,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        place(f, &self.file, self.line, self.task.as_deref())?;
        write!(f, "{}", self.kind)
    }
}

/// Where a problem or warning is: `file:line: task "id": `.
pub(super) fn place(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    line: Option<u64>,
    task: Option<&str>,
) -> fmt::Result {
    write!(f, "{file}")?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
    }
    write!(f, ": ")?;
    if let Some(task) = task {
        write!(f, "task \"{task}\": ")?;
    }
    Ok(())
}

/// A problem as JSON: `file`, `line` and `task` (null when unknown), the
/// `message` without the place, and for a dependency cycle the full `cycle`
/// of ids (the message shortens a long one).
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("file", &self.file)?;
        m.serialize_entry("line", &self.line)?;
        m.serialize_entry("task", &self.task)?;
        m.serialize_entry("message", &self.kind.to_string())?;
        if let ProblemKind::Cycle { ids, .. } = &self.kind {
            m.serialize_entry("cycle", ids)?;
        }
        m.end()
    }
}

/// What is wrong, in words that say how to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The CSV itself cannot be read at this point.
    #[error("the CSV cannot be read here: {0}")]
    Csv(CsvError),
    /// A quoted cell runs over several lines (usually an unbalanced quote).
    #[error(
        "a quoted cell starts on line {open} and ends on line {close}, so lines {open}-{close} were read as one row; a quote is probably unbalanced. Cells cannot span lines in slipcast's CSV files: put the text on one line, or close the quote on line {open}"
    )]
    QuoteSpansLines {
        /// The line of the opening quote.
        open: u64,
        /// The line of the closing quote.
        close: u64,
    },
    /// A quote opens a cell and the file ends before it closes.
    #[error("{}", unclosed_quote(*.open, *.last))]
    UnclosedQuote {
        /// The line of the opening quote.
        open: u64,
        /// The last line of the file.
        last: u64,
    },
    /// A row has more cells than the header has columns, and the extra
    /// cells are not blank.
    #[error(
        "the row has {found} cells but the header has {expected} columns; an unquoted comma in a name? Quote that cell (\"Design, build\") or remove the extra commas"
    )]
    TooManyCells {
        /// Cells in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// The bytes of the file are not text in the encoding it is read in.
    #[error(
        "the file is not valid {encoding} here: {bytes} at byte offset {offset} (column {column}); {}",
        hint.advice(encoding)
    )]
    NotDecodable {
        /// The encoding's name, e.g. `UTF-8`.
        encoding: &'static str,
        /// Offset of the first bad byte from the start of the file.
        offset: u64,
        /// Its column on the line, in characters (1-based).
        column: u64,
        /// The bad bytes in hex, e.g. `byte 0xE9`.
        bytes: String,
        /// Why the file was read in this encoding.
        hint: DecodeHint,
    },
    /// A NUL character, which no text CSV holds: most likely UTF-16 text
    /// without a byte order mark, read as UTF-8.
    #[error(
        "the file holds a NUL character at byte offset {offset} (column {column}), which a text CSV never does; if it was saved as UTF-16 without a byte order mark, pass --encoding utf-16le (or utf-16be), else save it as UTF-8"
    )]
    NulCharacter {
        /// Offset of the NUL from the start of the file.
        offset: u64,
        /// Its column on the line, in characters (1-based).
        column: u64,
    },
    /// The file holds nothing (or only blank lines).
    #[error(
        "the file is empty; {what} needs its header line and one row per line (see the README); check that the right file was given and that it was saved"
    )]
    EmptyFile {
        /// Which input it is, e.g. "the risk register".
        what: &'static str,
    },
    /// The file has a header but no rows.
    #[error("the file has no rows below its header; add one task per line")]
    Empty,
    /// A required column is absent from the header.
    #[error(
        "there is no \"{column}\" column (accepted names: {aliases}); add it to the header line"
    )]
    MissingColumn {
        /// The canonical column name.
        column: String,
        /// The accepted names, comma-separated.
        aliases: String,
    },
    /// Two header cells name the same column.
    #[error("columns \"{first}\" and \"{second}\" both mean \"{column}\"; keep one of them")]
    DuplicateColumn {
        /// Canonical name.
        column: String,
        /// First header text.
        first: String,
        /// Second header text.
        second: String,
    },
    /// A row gives no duration at all.
    #[error(
        "has no estimate; give low, likely and high (or likely alone for a fixed duration, 0 for a milestone)"
    )]
    NoEstimate,
    /// A row has no id.
    #[error("the id is blank; every task needs a unique id")]
    MissingId,
    /// An id contains a character the link syntax reserves.
    #[error(
        "id \"{0}\" contains ';', ':', a tab or a line break; ids may not, because depends_on uses ';' and ':' as separators (spaces are fine)"
    )]
    BadId(String),
    /// An id is used twice.
    #[error("id is used again; it was first used on line {first_line}. Ids must be unique")]
    DuplicateId {
        /// Line of the first use.
        first_line: u64,
    },
    /// A number cannot be read.
    #[error("{column} \"{value}\" is not a number; write a plain decimal such as 3 or 2.5")]
    NotANumber {
        /// The column.
        column: String,
        /// The cell text.
        value: String,
    },
    /// The numbers do not make an estimate.
    #[error("{0}")]
    Estimate(#[from] EstimateError),
    /// The `dist` cell names no known distribution.
    #[error("{0}")]
    UnknownDistribution(#[from] UnknownDistribution),
    /// The `status` cell is not a known status.
    #[error("unknown status \"{0}\"; use todo, in_progress or done")]
    BadStatus(String),
    /// The `priority` cell is not an integer.
    #[error(
        "priority \"{0}\" is not a whole number; use 1, 2, 3, ... (lower = more important) or leave it blank for must-have"
    )]
    BadPriority(String),
    /// A date cannot be read.
    #[error("{column} \"{value}\" is not a date; write it as YYYY-MM-DD")]
    BadDate {
        /// The column.
        column: String,
        /// The cell text.
        value: String,
    },
    /// A dependency link cannot be read.
    #[error("{0}")]
    BadLink(#[from] LinkError),
    /// An edge of an edges file lacks its `from` or its `to` id.
    #[error("an edge needs both a from and a to task id")]
    EdgeWithoutTask,
    /// A link names a task that does not exist.
    #[error("depends on \"{dep}\", which is not a task id in the plan{}", suggest(.suggestion))]
    UnknownDependency {
        /// The id named.
        dep: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
    /// A task depends on itself.
    #[error("depends on itself; remove the link from \"{0}\" to itself")]
    SelfDependency(String),
    /// An edges file (or a risk register) names a task that does not exist.
    #[error("{column} \"{id}\" is not a task id in the plan{}", suggest(.suggestion))]
    UnknownTask {
        /// The column that names it.
        column: &'static str,
        /// The id named.
        id: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
    /// The links form a cycle.
    #[error("{}", cycle(.ids, .command))]
    Cycle {
        /// The ids in dependency order, the first repeated at the end.
        ids: Vec<String>,
        /// The `slipcast validate ... --json` command that prints the full
        /// cycle, shown when the message shortens it.
        command: String,
    },
    /// A correlations file gives a task pair with itself.
    #[error("a task is always perfectly correlated with itself; remove the row for \"{0}\"")]
    SelfCorrelation(String),
    /// A correlations file gives the same pair twice (in either order).
    #[error("{}", duplicate_pair(.pair, *.first_line, *.first_rho, *.line, *.rho))]
    DuplicatePair {
        /// The pair as written on this line, e.g. `b~a`.
        pair: String,
        /// The line that gave it first.
        first_line: u64,
        /// The value given there.
        first_rho: f64,
        /// This line.
        line: u64,
        /// The value given here.
        rho: f64,
    },
    /// A correlation outside [-1, 1].
    #[error(
        "rho \"{0}\" is out of range: a rank correlation is between -1 and 1 ([-1, 1]), e.g. 0.5 or -0.3"
    )]
    CorrelationOutOfRange(String),
    /// A `people` cell that is not a whole number of at least 1.
    #[error("people \"{0}\" is not a whole number of people, at least 1 (e.g. 2)")]
    BadPeople(String),
    /// A `resources` entry that does not read, or names a pool twice.
    #[error(
        "resources \"{0}\" does not read: give pools with people each, separated by ';' \
         (e.g. backend:2;qa:1), each pool once"
    )]
    BadResources(String),
    /// A `people` cell on a task with no team to take them from.
    #[error(
        "people is given but the task has no team: give its team, or list its pools in resources"
    )]
    PeopleWithoutTeam,
    /// Both a `people` and a `resources` cell.
    #[error(
        "both people and resources are given: resources lists every pool the task occupies \
         (e.g. backend:2;qa:1); leave people blank"
    )]
    PeopleAndResources,
    /// An unplanned-work share that does not read or is 100% or more.
    #[error("unplanned work \"{0}\" is not a share below 100%: write it like 20%, 0.2 or 15-25%")]
    BadShare(String),
    /// A team with no people.
    #[error("people \"{0}\" is not a number of people of at least 1 (e.g. 3)")]
    BadTeamSize(String),
    /// A problem of one team in a teams file.
    #[error("team \"{id}\": {problem}")]
    InTeam {
        /// The team.
        id: String,
        /// What is wrong with it.
        problem: Box<ProblemKind>,
    },
    /// A capacity that cannot be scheduled (see [`super::CapacityError`]).
    #[error("{0}")]
    Capacity(String),
    /// A task that needs more people of a team than it has.
    #[error(
        "needs {needs} of team \"{team}\"'s {people} people, so it could never start: \
         lower its people, or give the team more in the teams file"
    )]
    TooManyPeople {
        /// The team.
        team: String,
        /// What the task needs.
        needs: u32,
        /// What the team has.
        people: u32,
    },
    /// A probability is outside [0, 1].
    #[error("probability \"{0}\" must be between 0 and 1 (e.g. 0.3), or a percentage such as 30%")]
    BadProbability(String),
    /// A problem of one risk in a risk register.
    #[error("risk \"{id}\": {problem}")]
    InRisk {
        /// The risk id.
        id: String,
        /// What is wrong with it.
        problem: Box<ProblemKind>,
    },
    /// A risk affects nothing.
    #[error("affects no task; list the task ids it delays, separated by ';'")]
    NoAffects,
    /// A risk names a task that does not exist.
    #[error("affects \"{id}\", which is not a task id in the plan{}", suggest(.suggestion))]
    UnknownAffected {
        /// The id named.
        id: String,
        /// The closest existing id, if any is close.
        suggestion: Option<String>,
    },
    /// A problem of one row of a ranges file, which ranges `key`.
    #[error("{key}: {problem}")]
    InRange {
        /// The activity id or WBS prefix the row ranges.
        key: RangeKey,
        /// What is wrong with the row.
        problem: Box<ProblemKind>,
    },
    /// A ranges row that names neither an activity nor a WBS prefix.
    #[error(
        "the row has no id and no wbs; give the activity id (id) or the WBS prefix (wbs) it ranges"
    )]
    RangeWithoutKey,
    /// A ranges row that names both an activity and a WBS prefix.
    #[error(
        "the row gives both id \"{id}\" and wbs \"{wbs}\"; a row ranges one activity (id) or one WBS prefix (wbs): clear one of the two cells, or split the row in two"
    )]
    RangeWithBothKeys {
        /// The id cell.
        id: String,
        /// The wbs cell.
        wbs: String,
    },
    /// The same activity or WBS prefix ranged twice.
    #[error(
        "{key} is given again; it was first given on line {first_line}. Keep one row per {}",
        .key.what()
    )]
    DuplicateRange {
        /// The id or WBS prefix.
        key: RangeKey,
        /// The line of the first row.
        first_line: u64,
    },
    /// A low, likely or high of a ranges file that is not a number.
    #[error(
        "{column} \"{value}\" is not a number; write working days such as 12 or 2.5, or percent of the remaining duration such as 130%"
    )]
    NotARangeNumber {
        /// The column.
        column: &'static str,
        /// The cell text.
        value: String,
    },
    /// A ranges row whose numbers mix percentages and days.
    #[error(
        "low, likely and high mix percentages and working days ({cells}); write % after each of them (percent of the remaining duration) or after none (working days)"
    )]
    MixedUnits {
        /// The cells as written, e.g. `90%, 12, 130%`.
        cells: String,
    },
    /// A `unit` cell that is neither days nor percent.
    #[error(
        "unit \"{0}\" is not days or percent; write days (working days of the activity's calendar), percent (of its remaining duration), or leave it blank (percent when the numbers end in %, else days)"
    )]
    BadUnit(String),
    /// A ranges row whose `unit` says days, with a percentage.
    #[error(
        "unit is days, but {column} \"{value}\" is a percentage; write the working days without %, or unit percent"
    )]
    UnitConflict {
        /// The column.
        column: &'static str,
        /// The cell text.
        value: String,
    },
    /// A ranges file with a header and no rows.
    #[error(
        "the file has no rows below its header; add a row per activity (id) or WBS prefix (wbs), with its low, likely and high"
    )]
    NoRanges,
    /// A ranges row for an activity the plan does not have.
    #[error(
        "id \"{id}\" is not an activity of {plan}{}; correct the id, or remove the row",
        suggest(.suggestion)
    )]
    UnknownRangeId {
        /// The id as written.
        id: String,
        /// The plan file.
        plan: String,
        /// The closest activity id, if any is close.
        suggestion: Option<String>,
    },
    /// A ranges row for a level-of-effort activity, which an import leaves
    /// out.
    #[error(
        "id \"{0}\" is a level-of-effort activity, which the import leaves out (its dates follow the activities it spans); remove the row"
    )]
    LeftOutRangeId(String),
    /// A ranges row whose WBS prefix matches no activity.
    #[error(
        "wbs \"{wbs}\" matches no activity's WBS path in {plan}{}; a prefix matches whole WBS codes (4.HRN ranges 4.HRN and 4.HRN.2, not 4.HRNX), with or without the project's code in front; correct it, or remove the row",
        suggest(.suggestion)
    )]
    UnknownWbsPrefix {
        /// The prefix as written.
        wbs: String,
        /// The plan file.
        plan: String,
        /// The closest WBS prefix, if any is close.
        suggestion: Option<String>,
    },
    /// A problem of a Primavera P6 XER file.
    #[error("{0}")]
    Xer(Box<super::xer::XerProblem>),
    /// A problem of an MS Project XML (MSPDI) file.
    #[error("{0}")]
    Mspdi(Box<super::mspdi::MspdiProblem>),
    /// A plan column that only a plan on task calendars has, used without
    /// a calendars file.
    #[error(
        "{column} \"{value}\" needs task calendars: pass --calendars FILE (a CSV of the calendars, see the README, \"The plan\"), or clear the {column} cells"
    )]
    NeedsCalendars {
        /// The column (`calendar`, `not_before`, ...).
        column: &'static str,
        /// The first cell that uses it.
        value: String,
    },
    /// A calendar name that the calendars file does not define.
    #[error(
        "calendar \"{name}\" is not defined in {file}{}; correct the name, or add the calendar to the calendar,workdays,hours_per_day section of {file}",
        suggest(.suggestion)
    )]
    UnknownCalendar {
        /// The name as written.
        name: String,
        /// The calendars file.
        file: String,
        /// The closest defined name, if any is close.
        suggestion: Option<String>,
    },
    /// A `not_before` or `finish_not_before` cell that is not a time.
    #[error(
        "{column} \"{value}\" is not a date; write YYYY-MM-DD, or YYYY-MM-DD+F for the point of that day where the share F (0 <= F < 1) of its working time is past, e.g. 2025-05-02+0.5"
    )]
    BadTime {
        /// The column.
        column: &'static str,
        /// The cell text.
        value: String,
    },
    /// A `milestone` cell that is not `start` or `finish`.
    #[error(
        "milestone \"{0}\" is not start or finish; write start (a milestone placed where work resumes, e.g. Monday morning), finish (where work last stopped), or leave it blank"
    )]
    BadMilestone(String),
    /// A start milestone that takes time.
    #[error(
        "milestone is start, but the task takes time ({days} working days); a start milestone has no duration: set likely to 0, or clear the milestone cell"
    )]
    StartMilestoneWithDuration {
        /// The task's planned duration.
        days: f64,
    },
    /// A task that takes time on a calendar that works on no day.
    #[error(
        "takes time on calendar \"{calendar}\", which works on no day (no weekday, and no exception date worked), so it would never finish; give the calendar workdays or working dates, or put the task on another calendar"
    )]
    CalendarNeverWorks {
        /// The calendar's name.
        calendar: String,
    },
    /// A row of a calendars file above any section header.
    #[error(
        "this row is under no section header; a calendars file is made of sections, each starting with its header row: calendar,workdays,hours_per_day (the calendars), calendar,date,working (their exceptions) and setting,value (the settings)"
    )]
    NotInSection,
    /// A calendar row or exception row without a calendar name.
    #[error(
        "the calendar name is blank; give every calendar a name (the plan's calendar column refers to it)"
    )]
    BlankCalendar,
    /// A calendar row without its workdays.
    #[error(
        "workdays is blank; write the worked weekdays, e.g. Mon-Fri, or none for a calendar that works only on its exception dates"
    )]
    BlankWorkdays,
    /// A calendar's workdays that cannot be read.
    #[error("workdays: {0}, or none for a calendar that works only on its exception dates")]
    BadWorkdays(super::CalendarError),
    /// A calendar's hours per day that is not a number in (0, 24].
    #[error(
        "hours_per_day \"{0}\" is not a number above 0 and at most 24; write e.g. 8, or leave it blank for 8"
    )]
    BadHoursPerDay(String),
    /// A calendar defined twice.
    #[error(
        "calendar \"{name}\" is defined again; it was first defined on line {first_line}. Calendar names must be unique: rename one, or remove this row"
    )]
    DuplicateCalendar {
        /// The name.
        name: String,
        /// The line of the first definition.
        first_line: u64,
    },
    /// An exception whose `working` cell is not yes or no.
    #[error("working \"{0}\" is not yes or no; write yes (the date is worked) or no (a holiday)")]
    BadWorking(String),
    /// The same date of the same calendar given twice.
    #[error(
        "{date} of calendar \"{calendar}\" is given again; it was first given on line {first_line}. Keep one row"
    )]
    DuplicateException {
        /// The calendar.
        calendar: String,
        /// The date.
        date: chrono::NaiveDate,
        /// The line of the first row.
        first_line: u64,
    },
    /// A setting slipcast does not know.
    #[error(
        "unknown setting \"{name}\"{}; the settings are default_calendar, lag_calendar and start_offset",
        suggest(.suggestion)
    )]
    UnknownSetting {
        /// The setting as written.
        name: String,
        /// The closest setting, if any is close.
        suggestion: Option<String>,
    },
    /// A setting given twice.
    #[error("setting {name} is given again; it was first given on line {first_line}. Keep one row")]
    DuplicateSetting {
        /// The setting.
        name: String,
        /// The line of the first row.
        first_line: u64,
    },
    /// A `lag_calendar` setting that names no rule.
    #[error(
        "lag_calendar \"{0}\" is not a rule; write predecessor, successor, 24h (elapsed time) or default (the default calendar): the calendar lags count working days on"
    )]
    BadLagCalendar(String),
    /// A `start_offset` setting outside [0, 1).
    #[error(
        "start_offset \"{0}\" is not a share of a day; write the share of the start date's working time already past when the plan starts, from 0 up to (not including) 1, e.g. 0.25"
    )]
    BadStartOffset(String),
    /// A cell of an export (MS Project, Smartsheet, Asana, Jira) that
    /// cannot be translated, or a `--map` column the header lacks.
    #[error("{0}")]
    Export(#[from] super::ExportProblem),
    /// A calendars file without a calendar.
    #[error(
        "the file defines no calendar; add a section with the header row calendar,workdays,hours_per_day and a row per calendar, e.g. Standard,Mon-Fri,8"
    )]
    NoCalendars,
}

/// What the csv reader refused in a record, as it reported it (the
/// [`Problem`] around it gives the file and line).
///
/// slipcast reads text that is already valid UTF-8 into flexible records,
/// so these are not expected in practice; they are kept typed so that a
/// caller can still tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CsvError {
    /// A field is not valid UTF-8.
    #[error(
        "field {field} is not valid UTF-8 after its first {valid_up_to} bytes; save the file as UTF-8"
    )]
    Utf8 {
        /// The field (0-based) within the record.
        field: usize,
        /// How many bytes of the field are valid UTF-8.
        valid_up_to: usize,
    },
    /// A record has a different number of fields than the one before it.
    #[error(
        "found a record with {found} fields, but the previous record has {expected} fields; give every row the header's columns"
    )]
    UnequalLengths {
        /// Fields in the record before.
        expected: u64,
        /// Fields in this record.
        found: u64,
    },
    /// Reading the underlying bytes failed.
    #[error("the text could not be read ({kind}); check that the file is readable")]
    Io {
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
    },
    /// An error of the csv crate's serde or seek support, which reading
    /// text records never uses.
    #[error(
        "the CSV reader failed in its {operation} support; this is a bug in slipcast, please report it"
    )]
    Unexpected {
        /// `seek`, `serialize` or `deserialize`.
        operation: &'static str,
    },
}

impl CsvError {
    /// The typed form of the csv reader's error.
    pub(super) fn from_csv(e: &csv::Error) -> CsvError {
        match e.kind() {
            csv::ErrorKind::Utf8 { err, .. } => CsvError::Utf8 {
                field: err.field(),
                valid_up_to: err.valid_up_to(),
            },
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => CsvError::UnequalLengths {
                expected: *expected_len,
                found: *len,
            },
            csv::ErrorKind::Io(io) => CsvError::Io { kind: io.kind() },
            csv::ErrorKind::Seek => CsvError::Unexpected { operation: "seek" },
            csv::ErrorKind::Serialize(_) => CsvError::Unexpected {
                operation: "serialize",
            },
            _ => CsvError::Unexpected {
                operation: "deserialize",
            },
        }
    }
}

/// Why a file was decoded in the encoding that failed, and what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeHint {
    /// No encoding was given, so the file was read as UTF-8.
    Default,
    /// The encoding was given with `--encoding`.
    Label,
    /// The file starts with this encoding's byte order mark.
    ByteOrderMark,
}

impl DecodeHint {
    fn advice(self, encoding: &str) -> String {
        match self {
            DecodeHint::Default => "save the file as UTF-8, or pass --encoding LABEL naming the encoding it was saved in, e.g. --encoding windows-1252".into(),
            DecodeHint::Label => format!("check that {encoding} is the encoding the file was saved in (--encoding windows-1252, iso-8859-15, shift_jis, ...), or save it as UTF-8"),
            DecodeHint::ByteOrderMark => format!("the file starts with a {encoding} byte order mark, so it was read as {encoding}; save it again as UTF-8"),
        }
    }
}

fn unclosed_quote(open: u64, last: u64) -> String {
    let span = if last > open {
        format!(", so lines {open}-{last} (to the end of the file) were read as one row")
    } else {
        String::new()
    };
    format!(
        "a quoted cell starts on line {open} and is never closed{span}; a quote is probably unbalanced. Close the quote on line {open}, or remove it (cells cannot span lines in slipcast's CSV files)"
    )
}

/// Longest cycle (in tasks) a message shows whole.
const CYCLE_SHOWN: usize = 12;
/// Ids shown at the start and at the end of a longer cycle.
const CYCLE_HEAD: usize = 3;
const CYCLE_TAIL: usize = 2;

fn cycle(ids: &[String], command: &str) -> String {
    let fix = "a task cannot (even indirectly) wait for itself, so remove one of these links";
    let tasks = ids.len().saturating_sub(1);
    if tasks <= CYCLE_SHOWN {
        return format!("dependency cycle {}; {fix}", ids.join(" -> "));
    }
    format!(
        "dependency cycle of {} tasks: {} -> \u{2026} -> {}; {fix} (the full cycle: {command})",
        crate::text::group_digits(tasks as u64),
        ids[..CYCLE_HEAD].join(" -> "),
        ids[ids.len() - CYCLE_TAIL..].join(" -> "),
    )
}

fn duplicate_pair(pair: &str, first_line: u64, first_rho: f64, line: u64, rho: f64) -> String {
    if first_rho == rho {
        format!(
            "the pair {pair} is given twice, on line {first_line} and line {line} (both rho {rho}); remove one of the two lines"
        )
    } else {
        format!(
            "the pair {pair} is given twice, on line {first_line} (rho {first_rho}) and line {line} (rho {rho}); keep one line, with the value you mean"
        )
    }
}

/// ` (did you mean "s"?)` for a suggestion, else nothing.
pub(super) fn suggest(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

/// Why a plan (or a file that goes with it) could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file cannot be read at all.
    #[error("could not read {what} {path}")]
    Io {
        /// Which input it is, e.g. "the plan" or "the risk register".
        what: &'static str,
        /// The path as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read, and these problems were found (all of them).
    #[error("{}", list("the plan", .problems))]
    Invalid {
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// A file that goes with the plan (holidays, risks, correlations) was
    /// read, and these problems were found (all of them).
    #[error("{}", list(.what, .problems))]
    InvalidInput {
        /// What the file is, e.g. "the holidays file".
        what: &'static str,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems found (empty for an I/O error).
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems } | LoadError::InvalidInput { problems, .. } => problems,
            LoadError::Io { .. } => &[],
        }
    }
}

fn list(what: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let mut s = if n == 1 {
        format!("{what} has a problem:")
    } else {
        format!("{what} has {n} problems:")
    };
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// The candidate closest to `word` by Jaro-Winkler similarity, if it is
/// close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|&(score, _)| score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
