//! The answers to `--target` and `--confidence`, in words, for the
//! terminal summary.

use std::fmt::Write;

use super::format::{a_percent, long_date as date};
use crate::analysis::Forecast;

/// One line per question asked (empty when none was).
pub fn questions_text(f: &Forecast) -> String {
    let mut s = String::new();
    if let Some(c) = &f.confidence {
        let _ = writeln!(
            s,
            "We are {}% confident of finishing by {} ({:.1} working days).",
            c.percent,
            date(c.finish),
            c.duration
        );
    }
    if let Some(t) = &f.target {
        let _ = writeln!(
            s,
            "The target {} (working day {}) has {} chance.",
            date(t.date),
            t.working_day,
            a_percent(t.probability)
        );
    }
    s
}
