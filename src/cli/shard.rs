//! Flags of sharded runs: `--shard`/`--partial` on the commands that can be
//! split, and `merge`.

use std::path::PathBuf;

use clap::Args;

pub const MERGE_EXAMPLES: &str = "\
Examples:
  slipcast forecast plan.csv -n 100M --seed 7 --shard 3/64 --partial parts   # one shard
  slipcast merge parts/*.part                   # the forecast, as the single run prints it
  slipcast merge parts/*.part --json > forecast.json
  slipcast merge parts/*.part --out reports/week-12        # the forecast folder
  slipcast merge parts/*.part --report reports/week-12     # the leadership report
  slipcast merge parts/shard-000[0-7]-of-0064.part --partial stage   # merge in stages

Each shard computes a fixed slice of the run's iterations; merged, they give
the single run's result to the bit. Run merge where the shards ran (the same
input files at the same paths): it reads them again, and refuses them if
they changed. It also refuses partials of different runs (plan, inputs,
options, seed, iterations, version), slices missing or given twice, and
damaged files, naming them; it writes nothing then.";

/// `--shard` and `--partial`.
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Compute only shard K of M (K from 0) of the iterations, e.g. 3/64, and write its partial file for `slipcast merge`. `auto` reads K and M from the batch engine: a Slurm array (SLURM_ARRAY_TASK_ID, _MIN and _COUNT), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count given as auto/M) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX, with auto/M).
    #[arg(long, value_name = "K/M")]
    pub shard: Option<String>,

    /// Folder for the shard's partial file (shard-KKKK-of-MMMM.part), created if missing [default: partials].
    #[arg(long, value_name = "DIR", requires = "shard")]
    pub partial: Option<PathBuf>,
}

/// Flags of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial files written by `--shard` runs (or by earlier merges with --partial), in any order.
    #[arg(value_name = "PARTIAL", required = true)]
    pub files: Vec<PathBuf>,

    /// Print the result as one JSON object on stdout, as the single run's --json does.
    #[arg(long, conflicts_with_all = ["report", "partial"])]
    pub json: bool,

    /// Write the single run's output folder (for a forecast: forecast.json and the CSV exports; for a report: the report).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["report", "partial"])]
    pub out: Option<PathBuf>,

    /// Write the leadership report folder (as `slipcast report` does) from a forecast's partials.
    #[arg(long, value_name = "DIR", conflicts_with = "partial")]
    pub report: Option<PathBuf>,

    /// Replace the output folder even if it holds files slipcast did not write.
    #[arg(long)]
    pub force: bool,

    /// Merge these partials into one partial file in DIR, for merging in stages, instead of finishing the run.
    #[arg(long, value_name = "DIR")]
    pub partial: Option<PathBuf>,

    /// Worker threads for the passes run at the merge (sensitivity, drivers) [default: every core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Say nothing on stderr (no progress, no notes).
    #[arg(short, long)]
    pub quiet: bool,
}
