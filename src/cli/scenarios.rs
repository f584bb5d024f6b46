//! Flags of `cutline` and `compare`, the scope and scenario questions.

use std::path::PathBuf;

use clap::Args;

use super::{InputArgs, OutputArgs, PlanArgs, SimArgs};

pub const CUTLINE_EXAMPLES: &str = "\
Examples:
  slipcast cutline data/examples/checkout-v2.csv --start 2027-01-04 --target 2027-03-31
  slipcast cutline plan.csv --target 2027-03-15 --confidence 90 --holidays holidays.csv
  slipcast cutline plan.csv --target 2027-03-15 --json > cutline.json
  slipcast cutline plan.csv --target 2027-03-15 --out reports/cutline   # cutline.csv, cutline.json";

pub const COMPARE_EXAMPLES: &str = "\
Examples:
  slipcast compare plan.csv plan-descoped.csv --start 2027-01-04 --target 2027-03-26
  slipcast compare plan.csv plan-2-teams.csv plan-late-vendor.csv --milestone ga --json
  slipcast compare plan.csv plan.csv --risks - --risks risks.csv   # without and with the risks
  slipcast compare plan.csv plan.csv --edges - --edges extra-links.csv   # one file per scenario
  slipcast compare a.csv b.csv --target 2027-03-26 --out reports/compare   # .csv, .json, S-curves
  slipcast compare programme.xer programme.xer --ranges ranges.csv --ranges wide.csv

Per-scenario files: give --edges, --risks, --correlations or --ranges once to
use the file for every scenario, or once per plan in the order of the plans, with
- for none. --correlate rules apply to every scenario.";

/// Flags of `cutline`.
#[derive(Debug, Args)]
pub struct CutlineArgs {
    /// The plan and its calendar.
    #[command(flatten)]
    pub plan: PlanArgs,

    /// The date to meet (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub target: String,

    /// The confidence to meet it at, in percent: 80 means the P80 date must
    /// be on or before the target.
    #[arg(long, value_name = "PCT", default_value = "80", value_parser = super::percent)]
    pub confidence: super::Percent,

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// What to print and where to write it.
    #[command(flatten)]
    pub output: OutputArgs,

    /// A shard of the sweep, for a batch engine: its slice of the iterations, for every position.
    #[command(flatten)]
    pub shard: crate::cli::ShardArgs,
}

/// Flags of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The plans to compare (two or more, or one with --add); the first is the baseline.
    #[arg(value_name = "PLAN", num_args = 1.., required_unless_present = "manifest")]
    pub plans: Vec<PathBuf>,

    /// The scenarios as a CSV manifest instead of PLAN...: one row each, with columns scenario (its name) and plan, and optionally edges, risks, correlations, teams, ranges, add (a headcount what-if) and cut (cut optional scope from this priority down, as the cut line does). Paths are relative to the manifest's folder; the first row is the baseline.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["plans", "edges", "risks", "correlations", "teams", "ranges", "add"])]
    pub manifest: Option<PathBuf>,

    /// Extra dependency links (from,to,type,lag): once for every scenario,
    /// or once per plan in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub edges: Vec<String>,

    /// Risk register (id,name,probability,low,likely,high,dist,affects): once
    /// for every scenario, or once per plan in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub risks: Vec<String>,

    /// Rank-correlate task durations in every scenario: team=0.6 (tasks of
    /// the same team) or team:NAME=0.8.
    #[arg(long, value_name = "RULE")]
    pub correlate: Vec<String>,

    /// Pairwise rank correlations (a,b,rho): once for every scenario, or once
    /// per plan in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub correlations: Vec<String>,

    /// Team capacity (team,people,unplanned): once for every scenario, or
    /// once per plan in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub teams: Vec<String>,

    /// Headcount what-if, with --teams: payments=+1, payments=+1@20 (after
    /// 20 working days of ramp-up), payments=-1, changes made together
    /// separated by commas. With one plan, each --add is a scenario against
    /// it; with several, once per plan in order (- for none).
    #[arg(long, value_name = "TEAM=+N")]
    pub add: Vec<String>,

    /// P6 XER plans: ranges per activity or WBS prefix (id or wbs,
    /// low,likely,high, dist, confidence): once for every scenario, or once
    /// per plan in order (- for none).
    #[arg(long, value_name = "FILE")]
    pub ranges: Vec<String>,

    /// The calendar and the files' encoding.
    #[command(flatten)]
    pub input: InputArgs,

    /// A date to meet (YYYY-MM-DD): adds each scenario's probability of
    /// meeting it.
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// What to print and where to write it.
    #[command(flatten)]
    pub output: OutputArgs,

    /// A shard of the comparison, for a batch engine: its units of (scenario, slice of iterations).
    #[command(flatten)]
    pub shard: crate::cli::ShardArgs,
}
