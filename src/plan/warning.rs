//! Warnings: what reads, but is probably not what the user meant (an
//! unknown column, a plan with no uncertainty), said with the file, line
//! and the fix, next to the result rather than instead of it.

use std::fmt;

use serde::Serialize;

/// Something in the input that reads, but that the user should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file, as the user named it.
    pub file: String,
    /// The line as an editor shows it (the header is line 1), if one.
    pub line: Option<u64>,
    /// The task (or risk) id it belongs to, if one.
    pub task: Option<String>,
    /// What looks wrong, and the fix.
    pub message: String,
}

impl Warning {
    /// A warning about a whole file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            file: file.into(),
            line: None,
            task: None,
            message: message.into(),
        }
    }

    /// A warning about one line of a file.
    pub fn line(file: impl Into<String>, line: u64, message: impl Into<String>) -> Warning {
        Warning {
            line: Some(line),
            ..Warning::file(file, message)
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::error::place(f, &self.file, self.line, self.task.as_deref())?;
        write!(f, "{}", self.message)
    }
}
