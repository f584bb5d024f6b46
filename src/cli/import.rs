//! Flags of `import`, a P6 or MS Project file turned into a plan CSV.

use std::path::PathBuf;

use clap::Args;

use super::{OutputArgs, QuietArgs, ReadArgs};

pub const IMPORT_EXAMPLES: &str = "\
Examples:
  slipcast import programme.xer --out programme
  slipcast import programme.xer --range 90,100,130 --project B11 --out programme
  slipcast import programme.xer --ranges ranges.csv --range 90,100,130 --out programme
  slipcast forecast programme/plan.csv --calendars programme/calendars.csv --start 2025-04-22
  slipcast import schedule.xml --out schedule

Reads a Primavera P6 XER export or an MS Project XML file (File > Save As, XML
Format), known by its content. Writes, atomically, a folder with plan.csv (the
activities as tasks: ids, names, remaining durations with their ranges, links
with their types and lags, calendars, constraints, status and WBS),
calendars.csv (the calendars with their exception dates, and the scheduling
settings) and import.json (what was read, ranged, applied and left out, and how
the plan replays against the dates P6 or MS Project stored). Forecasting the
two CSV files with --start at the data (status) date gives the forecast of the
file itself.";

/// Flags of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Primavera P6 XER export or MS Project XML file.
    #[arg(value_name = "FILE")]
    pub xer: PathBuf,

    /// How the file is read and imported.
    #[command(flatten)]
    pub read: ReadArgs,

    /// Ranges per activity (task UID) or WBS prefix, ahead of --range, written into plan.csv: a CSV with columns id or wbs, low,likely,high (working days, or percent of the remaining duration with %), dist, confidence.
    #[arg(long, value_name = "FILE")]
    pub ranges: Option<PathBuf>,

    /// Print import.json on stdout, and the folder to write.
    #[command(flatten)]
    pub output: OutputArgs,

    /// Quiet.
    #[command(flatten)]
    pub quiet: QuietArgs,
}
