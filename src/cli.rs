//! Command-line flags, as close to what the user typed as possible
//! (validated and converted once in `config.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod scenarios;

use scenarios::{COMPARE_EXAMPLES, CUTLINE_EXAMPLES};
pub use scenarios::{CompareArgs, CutlineArgs};

mod report;

use report::REPORT_EXAMPLES;
pub use report::ReportArgs;

mod conventions;
mod history;

use history::HISTORY_EXAMPLES;
pub use history::HistoryArgs;
mod explain;
mod import;
mod shard;

use shard::MERGE_EXAMPLES;
pub use shard::{MergeArgs, ShardArgs};

use explain::EXPLAIN_EXAMPLES;
pub use explain::ExplainArgs;

use import::IMPORT_EXAMPLES;
pub use import::ImportArgs;

use conventions::{COMPLETIONS_EXAMPLES, MAN_EXAMPLES};
pub use conventions::{CompletionsArgs, ManArgs, completions, man};

const EXAMPLES: &str = "\
Examples:
  slipcast forecast data/examples/checkout-v2.csv --start 2027-01-04
  slipcast forecast plan.csv --iterations 1M --seed 7 --json > forecast.json
  slipcast forecast plan.csv --milestone ga --holidays holidays.csv --out reports/week-12
  slipcast validate plan.csv --edges edges.csv
  slipcast cutline plan.csv --target 2027-03-15 --confidence 80
  slipcast compare plan.csv plan-descoped.csv --target 2027-03-15
  slipcast report plan.csv --start 2027-01-04 --out reports/week-12
  slipcast import programme.xer --ranges ranges.csv --range 90,100,130 --out programme
  slipcast forecast schedule.xml --fields Duration4,Duration5,Duration6";

const FORECAST_EXAMPLES: &str = "\
Examples:
  slipcast forecast data/examples/checkout-v2.csv --start 2027-01-04
  slipcast forecast data/examples/checkout-v2.csv --start 2027-01-04 --milestone ga \\
      --holidays data/examples/holidays-2027.csv --edges data/examples/checkout-v2-edges.csv
  slipcast forecast plan.csv -n 5M --seed 7 --json > forecast.json
  slipcast forecast plan.csv --target 2027-03-31 --confidence 85   # its chance; the P85 date
  slipcast forecast plan.csv --out reports/week-12     # forecast.json, percentiles.csv, tasks.csv
  slipcast forecast programme.xer --ranges ranges.csv --range 90,100,130   # a P6 export
  slipcast forecast plan.csv -n 100M --shard auto --partial parts   # one shard of an array job";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  slipcast validate data/examples/checkout-v2.csv
  slipcast validate plan.csv --edges edges.csv
  slipcast validate plan.csv --json              # every problem as JSON, cycles in full
  slipcast validate plan.csv --encoding windows-1252   # a CSV saved by Excel on Windows";

/// Forecast delivery dates of a plan by Monte Carlo simulation.
///
/// Reads a plan (CSV: tasks with low/likely/high estimates and dependencies),
/// simulates it many times and reports P50/P80/P90 finish dates, the chance of
/// the plan date, and the tasks that drive the schedule.
#[derive(Debug, Parser)]
#[command(name = "slipcast", version, about, long_about, after_help = EXAMPLES)]
#[command(after_long_help = conventions::with_exit_status(EXAMPLES))]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a plan and report percentile finish dates (--out DIR: forecast.json, percentiles.csv, tasks.csv, drivers.csv).
    #[command(after_help = FORECAST_EXAMPLES)]
    Forecast(ForecastArgs),
    /// Replay the iteration whose finish is a percentile (--at P80) and show that world: its critical path, overruns, risks that fired and a Gantt chart (--out DIR: explain.json, explain.csv, gantt.png, gantt.svg).
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Check a plan for problems (all of them, with line numbers) without simulating.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Find the smallest cut of optional scope (by priority) that makes a target date (--out DIR: cutline.csv, cutline.json, the chart).
    #[command(after_help = CUTLINE_EXAMPLES)]
    Cutline(CutlineArgs),
    /// Compare plans side by side, with paired differences and 95% intervals (--out DIR: compare.csv, compare.json and the S-curves, compare.png/.svg).
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Forecast snapshots of one plan over time and explain why the date moved between them (--out DIR: history.json, history.csv, moves.csv, trend and waterfall charts).
    #[command(after_help = HISTORY_EXAMPLES)]
    History(HistoryArgs),
    /// Forecast and write a report folder for leadership (--out DIR, by default reports/PLAN): HTML page, Markdown, PNG/SVG charts, exports.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Merge the partial files of a sharded run (--shard) into the single run's result, identical to the bit (--json, --out DIR, --report DIR), or into one partial (--partial DIR).
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
    /// Turn a Primavera P6 XER export or an MS Project XML file into a plan CSV and its calendars, to edit in a spreadsheet and forecast (--out DIR: plan.csv, calendars.csv, import.json).
    #[command(after_help = IMPORT_EXAMPLES, mut_arg("out", |a| a.required(true)))]
    Import(ImportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish) to stdout.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of slipcast, or of one subcommand, to stdout.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

/// The calendar, and how input files are read: shared by every command
/// that simulates.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Holidays to skip: a CSV with a `date` column of YYYY-MM-DD dates.
    #[arg(long, value_name = "FILE")]
    pub holidays: Option<PathBuf>,

    /// Start date, working day 1 (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,

    /// Working weekdays, e.g. Mon-Fri, Sun-Thu or Mon,Tue,Wed,Thu [default: Mon-Fri]. A plan whose tasks keep their own calendars works on those.
    #[arg(long, value_name = "DAYS")]
    pub workdays: Option<String>,

    /// Task calendars of a plan CSV whose tasks run on their own (its calendar column): a CSV of calendars, their exception dates and settings, as slipcast import writes it. Days are then calendar days from --start (the plan's data date).
    #[arg(long, value_name = "FILE")]
    pub calendars: Option<PathBuf>,

    /// How the files are read.
    #[command(flatten)]
    pub read: ReadArgs,

    /// How the columns of an exported plan are read.
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// How the columns of a plan CSV exported from another tool (or any
/// table) are read: shared by every command that simulates.
#[derive(Debug, Args)]
pub struct ColumnArgs {
    /// Name the plan column that holds one of slipcast's fields, FIELD=COLUMN (repeat it): --map likely="Effort (days)" --map id=Key. Fields: id, name, low, likely, high, dist, confidence, depends_on, team, priority, status.
    #[arg(long, value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,

    /// Jira exports: story points finished per working day; an issue estimated in story points alone takes POINTS / N working days.
    #[arg(long, value_name = "N")]
    pub points_per_day: Option<f64>,
}

/// How input files are read, and how a P6 file is imported: shared by
/// every command that reads a plan.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Text encoding of every input CSV that is not UTF-8: a WHATWG label such as windows-1252, iso-8859-15 or utf-16le (a byte order mark wins). A P6 XER file is read as UTF-8 when it is valid UTF-8, else as windows-1251 when its text is plainly Cyrillic, else windows-1252, unless this says otherwise (e.g. windows-1253).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// P6 XER plans: import only the project with this short name [default: every project, with the links between them].
    #[arg(long, value_name = "CODE")]
    pub project: Option<String>,

    /// P6 XER and MS Project XML plans: range every remaining duration as LOW,LIKELY,HIGH percent of it, e.g. 90,100,130 (P6 files carry single durations); --ranges FILE ranges activities and WBS branches one by one, ahead of it.
    #[arg(long, value_name = "L,M,H")]
    pub range: Option<String>,

    /// The distribution of --range: triangular, pert or uniform.
    #[arg(
        long,
        value_name = "DIST",
        default_value = "triangular",
        requires = "range"
    )]
    pub range_dist: String,

    /// MS Project XML plans: the three custom duration fields holding each task's optimistic, expected and pessimistic durations, by field name or alias, e.g. Duration4,Duration5,Duration6 or Best,Likely,Worst [default: Duration1,Duration2,Duration3, where MS Project's PERT analysis keeps them].
    #[arg(long, value_name = "L,M,H")]
    pub fields: Option<String>,
}

/// Where the plan comes from and how its calendar works.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The plan: a CSV (columns id, name, low, likely, high, dist, confidence, depends_on, ...), a Primavera P6 XER export or an MS Project XML file (known by their content).
    pub plan: PathBuf,

    /// Extra dependency links: a CSV with columns from,to,type,lag.
    #[arg(long, value_name = "FILE")]
    pub edges: Option<PathBuf>,

    /// Risk register: a CSV with columns id,name,probability,low,likely,high,dist,affects.
    #[arg(long, value_name = "FILE")]
    pub risks: Option<PathBuf>,

    /// P6 XER and MS Project XML plans: ranges per activity (or task UID) or WBS prefix, ahead of --range: a CSV with columns id or wbs, low,likely,high (working days, or percent of the remaining duration with %), dist, confidence.
    #[arg(long, value_name = "FILE")]
    pub ranges: Option<PathBuf>,

    /// Rank-correlate task durations: team=0.6 (tasks of the same team) or team:NAME=0.8.
    #[arg(long, value_name = "RULE")]
    pub correlate: Vec<String>,

    /// Pairwise rank correlations: a CSV with columns a,b,rho.
    #[arg(long, value_name = "FILE")]
    pub correlations: Option<PathBuf>,

    /// Team capacity: a CSV with columns team,people,unplanned (e.g. payments,3,15-25%). Each task then occupies its people (the plan's people column, default 1 of its team, or its resources column, e.g. backend:2;qa:1) and waits until they are free; unplanned work stretches its team's tasks by 1/(1-share).
    #[arg(long, value_name = "FILE")]
    pub teams: Option<PathBuf>,

    /// The calendar and the files' encoding.
    #[command(flatten)]
    pub input: InputArgs,
}

/// How many iterations, which seed, what is forecast, and how it runs:
/// shared by every command that simulates.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Iterations to simulate (per scenario or cut position): 1000000, 1_000_000, 1e6, 1M or 200k.
    #[arg(short = 'n', long, value_name = "N", default_value = "1M")]
    pub iterations: String,

    /// Seed of the random draws; the same inputs, options and seed give the same results.
    #[arg(long, value_name = "SEED", default_value_t = 42)]
    pub seed: u64,

    /// Forecast the finish of this task instead of the whole plan.
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub milestone: Option<String>,

    /// Worker threads [default: all cores]; results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Quiet.
    #[command(flatten)]
    pub quiet: QuietArgs,
}

/// `--quiet`: shared by every command that prints more than its result.
#[derive(Debug, Args)]
pub struct QuietArgs {
    /// Print nothing but errors (and the JSON, with --json).
    #[arg(short, long)]
    pub quiet: bool,
}

/// The output folder: shared by every command that writes files.
#[derive(Debug, Args)]
pub struct FolderArgs {
    /// Write the command's files into this folder: a new or empty folder, or one slipcast wrote (see the command's description for the files).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace the --out folder even if slipcast's files there were edited since, or it holds another command's set (never a folder with files slipcast did not write).
    #[arg(long)]
    pub force: bool,
}

/// What to print and where to write it.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print the result as one JSON object on stdout instead of the text.
    #[arg(long)]
    pub json: bool,

    /// The output folder.
    #[command(flatten)]
    pub folder: FolderArgs,
}

/// The questions a forecast answers besides its percentiles.
#[derive(Debug, Args)]
pub struct QuestionArgs {
    /// A date to meet (YYYY-MM-DD): also report the probability of finishing by it.
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,

    /// A confidence in percent (e.g. 85 or 85%): also report the finish date at it.
    #[arg(long, value_name = "PCT", value_parser = percent)]
    pub confidence: Option<Percent>,
}

/// A percentage as typed: `80` or `80%` (config checks the range, and says
/// "did you mean 80?" to a fraction such as `0.8`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent {
    /// The number, without the `%`.
    pub value: f64,
    /// Whether it was written with a `%` sign.
    pub sign: bool,
}

/// Reads a [`Percent`]: a plain decimal with an optional `%` sign.
pub fn percent(text: &str) -> Result<Percent, String> {
    let t = text.trim();
    let (number, sign) = match t.strip_suffix('%') {
        Some(n) => (n.trim_end(), true),
        None => (t, false),
    };
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Percent { value, sign }),
        _ => Err(format!(
            "\"{text}\" is not a percentage; write a number such as 80 or 80%"
        )),
    }
}

/// Flags of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The plan and its calendar.
    #[command(flatten)]
    pub plan: PlanArgs,

    /// Print the outcome as one JSON object on stdout: each problem with its file, line, task and message, and a cycle's full list of ids.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The plan and its calendar.
    #[command(flatten)]
    pub plan: PlanArgs,

    /// Iterations, seed, milestone, threads.
    #[command(flatten)]
    pub sim: SimArgs,

    /// What to print and where to write it.
    #[command(flatten)]
    pub output: OutputArgs,

    /// The target date and confidence asked about.
    #[command(flatten)]
    pub questions: QuestionArgs,

    /// Iterations behind each task's sensitivity (rank correlation, cruciality, SSI): the first 100k by default, `all` for every one.
    #[arg(long, value_name = "N")]
    pub rank_iterations: Option<String>,

    /// Percentiles, criticality and per-task dates only: skip the sensitivity and driver passes.
    #[arg(long)]
    pub basic: bool,

    /// Print how long each phase (simulation, sensitivity, drivers) took, on stderr.
    #[arg(long)]
    pub timings: bool,

    /// Simulate in rounds until the P50/P80/P90 are known to within ± DAYS working days (95%).
    #[arg(long, value_name = "DAYS")]
    pub precision: Option<f64>,

    /// How many tasks to test as risk drivers (by sensitivity); 0 skips the driver analysis.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub drivers: usize,

    /// How many of the most critical tasks the summary lists.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Headcount what-if, with --teams: payments=+1 (one more person), payments=+1@20 (contributing after 20 working days of ramp-up) or payments=-1; changes made together separated by commas. Repeat for several; each gives its P50/P80 change with a 95% interval.
    #[arg(long, value_name = "TEAM=+N")]
    pub add: Vec<String>,

    /// A shard of the run, for a batch engine.
    #[command(flatten)]
    pub shard: ShardArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
