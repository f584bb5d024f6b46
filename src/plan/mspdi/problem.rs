//! What can be wrong with an MS Project XML file, said so that the user can
//! fix it: the `what` and the fix of a [`Problem`](crate::plan::Problem)
//! (as [`ProblemKind::Mspdi`](crate::plan::ProblemKind::Mspdi)).

use thiserror::Error;

/// How to get a sound file out of MS Project, the fix of most problems.
const SAVE_AGAIN: &str =
    "save the project again from MS Project (File > Save As, type XML Format (*.xml))";

/// What is wrong in an MSPDI file.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum MspdiProblem {
    /// The file has no content.
    #[error("the file is empty; {SAVE_AGAIN}")]
    Empty,
    /// The XML itself cannot be read here.
    #[error("the XML cannot be read here: {message}; {SAVE_AGAIN}")]
    Xml {
        /// The XML reader's message.
        message: String,
    },
    /// The document's root is not MS Project's `Project`.
    #[error(
        "the XML's root element is <{root}>, not MS Project's <Project>, so it is not an MS Project XML file; {SAVE_AGAIN}, or give a plan CSV"
    )]
    NotProject {
        /// The root element's name.
        root: String,
    },
    /// A value that does not read as its element's type.
    #[error("<{element}> is \"{value}\", which is not {expected}; {SAVE_AGAIN}")]
    BadValue {
        /// The element.
        element: String,
        /// The text found.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// No task is scheduled (all summaries, blank or inactive).
    #[error(
        "the project has no task to schedule (every task is a summary, blank, inactive or from another project)"
    )]
    NoTasks,
    /// A task names a calendar the file lacks.
    #[error("the task's calendar (UID {uid}) is not among the file's calendars; {SAVE_AGAIN}")]
    UnknownCalendar {
        /// `CalendarUID`.
        uid: i64,
    },
    /// Two tasks share a UID.
    #[error("a second task with UID {uid}; task UIDs are unique in a sound file; {SAVE_AGAIN}")]
    DuplicateUid {
        /// The UID.
        uid: i64,
    },
    /// The links form a cycle.
    #[error("the links form a cycle: {path}; remove one of these links in MS Project")]
    Cycle {
        /// The task ids around the cycle.
        path: String,
    },
    /// An `--fields` name that is no duration field of the file.
    #[error(
        "--fields: \"{name}\" is not a custom duration field of the file (by field name or alias){hint}; the file's duration fields: {known}"
    )]
    UnknownField {
        /// The name asked for.
        name: String,
        /// ` (did you mean "x"?)`, or empty.
        hint: String,
        /// The fields it has.
        known: String,
    },
}
