//! The answers to `--target` and `--confidence`, in words, for the
//! terminal summary.

use std::fmt::Write;

use super::format::{a_percent, day_number, day_unit, fixed, long_date as date};
use crate::analysis::Forecast;

/// One line per question asked (empty when none was).
pub fn questions_text(f: &Forecast) -> String {
    let mut s = String::new();
    if let Some(c) = &f.confidence {
        let _ = writeln!(
            s,
            "We are {}% confident of finishing by {} ({} {}).",
            c.percent,
            date(c.finish),
            fixed(c.duration, 1),
            day_unit(&f.run)
        );
    }
    if let Some(t) = &f.target {
        let _ = writeln!(
            s,
            "The target {} ({}) has {} chance.",
            date(t.date),
            day_number(&f.run, t.working_day),
            a_percent(t.probability)
        );
    }
    s
}
