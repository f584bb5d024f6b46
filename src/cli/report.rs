//! Flags of `report`, the leadership report.

use std::path::PathBuf;

use clap::Args;

use super::PlanArgs;

pub const REPORT_EXAMPLES: &str = "\
Examples:
  slipcast report data/examples/checkout-v2.csv --start 2027-01-04 --milestone ga \\
      --holidays data/examples/holidays-2027.csv --risks data/examples/checkout-v2-risks.csv \\
      --out reports/checkout-v2
  slipcast report plan.csv --start 2027-01-04 -n 200k      # writes reports/plan/
  slipcast report plan.csv --out reports/week-12 --quiet   # for a scheduled job

Writes, atomically, a folder with index.html (one self-contained page: open it
offline or attach it to an email), summary.md (the same for a wiki), every
chart as PNG and SVG, forecast.json and the CSV exports. An existing folder is
replaced only if it is empty or a previous report.";

/// Flags of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The plan and its calendar.
    #[command(flatten)]
    pub plan: PlanArgs,

    /// The report folder [default: reports/PLAN, after the plan file's name]: a new or empty folder, or one slipcast wrote.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace the --out folder even if slipcast's files there were edited since, or it holds another command's set (never a folder with files slipcast did not write).
    #[arg(long)]
    pub force: bool,

    /// Iterations to simulate: 1000000, 1_000_000, 1e6, 1M or 200k.
    #[arg(short = 'n', long, value_name = "N", default_value = "1M")]
    pub iterations: String,

    /// Seed of the random draws; the same plan, options and seed give the same report.
    #[arg(long, value_name = "SEED", default_value_t = 42)]
    pub seed: u64,

    /// Forecast the finish of this task instead of the whole plan.
    #[arg(long, value_name = "ID")]
    pub milestone: Option<String>,

    /// How many tasks to test as risk drivers (by sensitivity); 0 skips the driver analysis.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub drivers: usize,

    /// Worker threads [default: all cores]; results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}
