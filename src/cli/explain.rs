//! Flags of `explain`: one percentile's world, replayed.

use clap::Args;

use super::{OutputArgs, PlanArgs, SimArgs};

pub const EXPLAIN_EXAMPLES: &str = "\
Examples:
  slipcast explain data/examples/checkout-v2.csv --start 2027-01-04 --milestone ga \\
      --risks data/examples/checkout-v2-risks.csv
  slipcast explain plan.csv --at P90 --json > p90-world.json
  slipcast explain plan.csv --at 97.5 --out p97.5   # JSON, CSV and the Gantt chart (PNG, SVG)

Replays the first iteration whose finish is the percentile (the date forecast
reports for the same plan, seed and iterations) and shows its critical path,
the tasks that ran over their likely duration, the risks that fired, and a
Gantt chart of it beside the plan.";

/// Flags of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The plan and its calendar.
    #[command(flatten)]
    pub plan: PlanArgs,

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// What to print and where to write it.
    #[command(flatten)]
    pub output: OutputArgs,

    /// The percentile to explain: P80, p80, 80, 80% or a fraction of a percent such as P97.5.
    #[arg(long, value_name = "PCT", default_value = "P80", value_parser = percentile)]
    pub at: f64,
}

/// Reads a percentile, `P80`, `p80`, `80`, `80%` or `P97.5`, as its
/// percent (above 0 and at most 100). A bare number below 1, such as `0.8`,
/// is refused with the percentile it probably means.
pub fn percentile(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (body, prefixed) = match t.strip_prefix(['P', 'p']) {
        Some(rest) => (rest.trim_start(), true),
        None => (t, false),
    };
    let (number, sign) = match body.strip_suffix('%') {
        Some(n) => (n.trim_end(), true),
        None => (body, false),
    };
    let Some(value) = number.parse::<f64>().ok().filter(|v| v.is_finite()) else {
        return Err(format!(
            "\"{text}\" is not a percentile; write P80, 80 or 80% (any percentile above 0 and \
             at most 100, e.g. P97.5)"
        ));
    };
    if !(value > 0.0 && value <= 100.0) {
        return Err(format!(
            "{text} is out of range: a percentile is above 0 and at most 100, e.g. P80 or P97.5"
        ));
    }
    if !prefixed && !sign && value < 1.0 {
        // 0.07 * 100 is 7.000000000000001 in binary; say 7.
        let p = (value * 100.0 * 1e9).round() / 1e9;
        return Err(format!(
            "{text} would be P{text}; did you mean P{p}? Write --at P{p} (or --at P{text} for \
             the {text}th percentile)"
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_as_people_write_them() {
        for (text, p) in [
            ("P80", 80.0),
            ("p80", 80.0),
            ("80", 80.0),
            ("80%", 80.0),
            (" P97.5 ", 97.5),
            ("p 90", 90.0),
            ("P100", 100.0),
            ("P0.5", 0.5),
            ("0.5%", 0.5),
            ("1", 1.0),
        ] {
            assert_eq!(percentile(text), Ok(p), "{text}");
        }
    }

    #[test]
    fn nonsense_is_refused_with_the_fix() {
        for (text, says) in [
            ("P", "is not a percentile"),
            ("eighty", "is not a percentile"),
            ("P80x", "is not a percentile"),
            ("NaN", "is not a percentile"),
            ("inf", "is not a percentile"),
            ("P0", "out of range"),
            ("-5", "out of range"),
            ("P120", "out of range"),
            ("0.8", "did you mean P80?"),
        ] {
            let e = percentile(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
