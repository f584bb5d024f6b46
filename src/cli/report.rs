//! Flags of `report`, the leadership report.

use clap::Args;

use super::{FolderArgs, PlanArgs, QuestionArgs, SimArgs};

pub const REPORT_EXAMPLES: &str = "\
Examples:
  slipcast report data/examples/checkout-v2.csv --start 2027-01-04 --milestone ga \\
      --holidays data/examples/holidays-2027.csv --risks data/examples/checkout-v2-risks.csv \\
      --out reports/checkout-v2
  slipcast report plan.csv --start 2027-01-04 -n 200k      # writes reports/plan/
  slipcast report plan.csv --out reports/week-12 --title \"Checkout v2: week 12\" --quiet

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

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// The report folder [default: reports/PLAN, after the plan file's name].
    #[command(flatten)]
    pub folder: FolderArgs,

    /// The target date and confidence asked about: in the headline and on the finish chart.
    #[command(flatten)]
    pub questions: QuestionArgs,

    /// The page's title [default: "Delivery forecast: PLAN"].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// An earlier snapshot of the plan, for the section on how the forecast moved (repeat, oldest first; the plan itself is the latest). Data dates as `slipcast history` takes them: the file's own, else a date in its name.
    #[arg(long, value_name = "SNAPSHOT")]
    pub history: Vec<std::path::PathBuf>,

    /// How many tasks to test as risk drivers (by sensitivity); 0 skips the driver analysis.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub drivers: usize,

    /// Headcount what-if, with --teams: payments=+1, payments=+1@20 (after 20 working days of ramp-up) or payments=-1; changes made together separated by commas. Repeat for several.
    #[arg(long, value_name = "TEAM=+N")]
    pub add: Vec<String>,

    /// A shard of the run, for a batch engine (merge with `slipcast merge PARTIALS --out DIR`).
    #[command(flatten)]
    pub shard: super::ShardArgs,
}
