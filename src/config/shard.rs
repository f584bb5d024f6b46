//! `--shard`/`--partial`, and `merge`: which slice a run computes, read
//! from the flag or the batch engine's environment, and the command that
//! identifies the run.

use std::path::PathBuf;

use anyhow::{Result, anyhow};

use slipcast::analysis::Shard;

use crate::cli::{MergeArgs, ShardArgs};

/// A shard of a run.
#[derive(Debug, Clone)]
pub struct ShardConfig {
    pub shard: Shard,
    /// The folder its partial goes to.
    pub dir: PathBuf,
    /// The command that ran, as its words after `slipcast`, without the
    /// flags that leave the result as it is.
    pub command: Vec<String>,
}

/// The partial folder when `--partial` is not given.
const DEFAULT_DIR: &str = "partials";

/// Flags that choose the shard or leave the result as it is, with whether
/// each takes a value: left out of the command that identifies a run, so
/// shards with different threads or folders still merge.
const NOT_THE_RUN: &[(&str, bool)] = &[
    ("--shard", true),
    ("--partial", true),
    ("--threads", true),
    ("--quiet", false),
    ("-q", false),
];

impl ShardConfig {
    /// The shard of `a` (`None` without `--shard`), reading `--shard auto`
    /// from `env` and the command from `argv` (the whole command line).
    pub fn from_args(
        a: &ShardArgs,
        env: impl Fn(&str) -> Option<String>,
        argv: impl IntoIterator<Item = String>,
    ) -> Result<Option<ShardConfig>> {
        let Some(text) = &a.shard else {
            return Ok(None);
        };
        let shard = match text.trim().strip_prefix("auto") {
            Some(_) => Shard::from_engine("--shard", text, &env).map_err(anyhow::Error::msg)?,
            None => text
                .parse::<Shard>()
                .map_err(|e| anyhow!("--shard {text}: {e}"))?,
        };
        Ok(Some(ShardConfig {
            shard,
            dir: a.partial.clone().unwrap_or_else(|| DEFAULT_DIR.into()),
            command: run_words(argv),
        }))
    }
}

/// The words of the command after `slipcast`, without [`NOT_THE_RUN`].
pub fn run_words(argv: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut words = Vec::new();
    let mut skip_value = false;
    for w in argv.into_iter().skip(1) {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if let Some((flag, takes)) = NOT_THE_RUN
            .iter()
            .find(|(f, _)| w == *f || w.starts_with(&format!("{f}=")))
        {
            skip_value = *takes && w == *flag;
            continue;
        }
        words.push(w);
    }
    words
}

/// A validated `merge`.
#[derive(Debug)]
pub struct MergeConfig {
    pub files: Vec<PathBuf>,
    pub json: bool,
    pub out: Option<PathBuf>,
    pub report: Option<PathBuf>,
    pub force: bool,
    pub partial: Option<PathBuf>,
    pub threads: Option<usize>,
    pub quiet: bool,
}

impl MergeConfig {
    pub fn from_args(a: &MergeArgs) -> Result<MergeConfig> {
        super::check_threads(a.threads)?;
        Ok(MergeConfig {
            files: a.files.clone(),
            json: a.json,
            out: a.out.clone(),
            report: a.report.clone(),
            force: a.force,
            partial: a.partial.clone(),
            threads: a.threads,
            quiet: a.quiet,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    fn shard(text: &str, vars: &[(&str, &str)]) -> Result<Shard> {
        let a = ShardArgs {
            shard: Some(text.into()),
            partial: None,
        };
        Ok(ShardConfig::from_args(&a, env(vars), Vec::new())?
            .expect("a shard")
            .shard)
    }

    #[test]
    fn shards_from_the_flag_and_each_engine() {
        assert_eq!(shard("3/64", &[]).unwrap(), Shard::new(3, 64).unwrap());
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ];
        assert_eq!(shard("auto", &slurm).unwrap(), Shard::new(4, 8).unwrap());
        assert_eq!(shard("auto/8", &slurm).unwrap(), Shard::new(4, 8).unwrap());
        let e = shard("auto/16", &slurm).unwrap_err().to_string();
        assert!(e.contains("runs 8 shards, not 16"), "{e}");
        let k8s = [("JOB_COMPLETION_INDEX", "7")];
        assert_eq!(shard("auto/64", &k8s).unwrap(), Shard::new(7, 64).unwrap());
        let e = shard("auto", &k8s).unwrap_err().to_string();
        assert!(e.contains("write --shard auto/M"), "{e}");
        let aws = [
            ("AWS_BATCH_JOB_ARRAY_INDEX", "2"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "4"),
        ];
        assert_eq!(shard("auto", &aws).unwrap(), Shard::new(2, 4).unwrap());
        let e = shard("auto", &[]).unwrap_err().to_string();
        assert!(e.contains("found no array index"), "{e}");
        let e = shard("auto/4", &[("JOB_COMPLETION_INDEX", "4")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not exist"), "{e}");
        for bad in ["3", "a/b", "64/64", "1/0"] {
            assert!(shard(bad, &[]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_run_is_the_command_without_its_shard() {
        let argv = "slipcast forecast plan.csv -n 1M --shard 3/64 --partial=parts --threads 4 \
                    -q --seed 7";
        assert_eq!(
            run_words(argv.split(' ').map(String::from)),
            ["forecast", "plan.csv", "-n", "1M", "--seed", "7"]
        );
    }
}
