//! Flags of `history`: snapshots of one plan over time.

use std::path::PathBuf;

use clap::Args;

use super::{InputArgs, OutputArgs, SimArgs};

pub const HISTORY_EXAMPLES: &str = "\
Examples:
  slipcast history data/examples/history/checkout-2027-01-11.csv data/examples/history/checkout-2027-01-18.csv data/examples/history/checkout-2027-01-25.csv --target 2027-04-30
  slipcast history week-1.csv week-2.csv --as-of 2027-01-11 --as-of 2027-01-18
  slipcast history plan-*.csv --risks risks.csv --target 2027-03-26 --out reports/history   # history.json, history.csv, moves.csv, trend and waterfall charts
  slipcast history programme-wk1.xer programme-wk2.xer --range 90,100,130
Each snapshot's data date is its --as-of (once per snapshot, in order, - to take
it from the file), else the file's own data date (P6) or status date (MS Project),
else a date in its file name (2027-01-18 or 20270118).
Per-snapshot files: give --edges, --risks, --correlations or --ranges once to use
the file for every snapshot, or once per snapshot in order, with - for none.";

/// Flags of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Snapshots of the plan (two or more), oldest first: plan CSVs, P6 XER or MS Project XML files; tasks are matched by id.
    #[arg(value_name = "SNAPSHOT", num_args = 2.., required = true)]
    pub snapshots: Vec<PathBuf>,

    /// Data date of each snapshot (YYYY-MM-DD), once per snapshot in order (- to take it from the file).
    #[arg(long, value_name = "DATE")]
    pub as_of: Vec<String>,

    /// Extra dependency links (from,to,type,lag): once for every snapshot, or once per snapshot in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub edges: Vec<String>,

    /// Risk register (id,name,probability,low,likely,high,dist,affects): once for every snapshot, or once per snapshot in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub risks: Vec<String>,

    /// Rank-correlate task durations in every snapshot: team=0.6 (tasks of the same team) or team:NAME=0.8.
    #[arg(long, value_name = "RULE")]
    pub correlate: Vec<String>,

    /// Pairwise rank correlations (a,b,rho): once for every snapshot, or once per snapshot in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub correlations: Vec<String>,

    /// P6 XER and MS Project XML snapshots: ranges per activity or WBS prefix: once for every snapshot, or once per snapshot in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub ranges: Vec<String>,

    /// The calendar and the files' encoding (each snapshot starts at its data date, not --start).
    #[command(flatten)]
    pub input: InputArgs,

    /// The commitment date (YYYY-MM-DD): each snapshot's chance of meeting it.
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,

    /// Call a move a watermelon when the P80 slips by more than DAYS while the plan date holds.
    #[arg(long, value_name = "DAYS", default_value_t = 5.0)]
    pub watermelon: f64,

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// What to print and where to write it.
    #[command(flatten)]
    pub output: OutputArgs,
}
