//! The answers to `--target` and `--confidence`, in words, for the
//! terminal summary.

use std::fmt::Write;

use super::cutline::date;
use super::terminal::percent;
use crate::analysis::Forecast;

/// `a 41%`, `an 83%`, `an 11%`: the article as the number is spoken.
pub fn a_percent(p: f64) -> String {
    let text = percent(p);
    let an = text.starts_with('8') || text == "11%" || text == "18%";
    format!("{} {text}", if an { "an" } else { "a" })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_the_spoken_number() {
        assert_eq!(a_percent(0.83), "an 83%");
        assert_eq!(a_percent(0.08), "an 8%");
        assert_eq!(a_percent(0.11), "an 11%");
        assert_eq!(a_percent(0.41), "a 41%");
        assert_eq!(a_percent(0.001), "a <1%");
    }
}
