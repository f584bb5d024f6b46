//! Sharded runs: writing a shard's partial file, and `slipcast merge`.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use clap::Parser;

use slipcast::analysis::{Partial, PartialHeader, Slice, assemble};
use slipcast::engine::Tallies;
use slipcast::report::inert::visible;
use slipcast::report::partials::{check_inputs, read_partials, shard_partial, write_partial_file};

use crate::cli::{Cli, Command, OutputArgs};
use crate::config::{
    CompareConfig, CutlineConfig, MergeConfig, ReportConfig, RunConfig, ShardConfig,
};

/// What a shard's run is, besides its tallies.
pub struct ShardRun<'a> {
    pub shard: &'a ShardConfig,
    /// Every input file the run read.
    pub inputs: Vec<&'a Path>,
    /// The start the run settled on when no `--start` was given.
    pub start: Option<NaiveDate>,
    pub quiet: bool,
}

/// Writes a shard's partial file into its folder, atomically: a rerun of
/// the same shard replaces its earlier partial, and nothing else is ever
/// replaced.
pub fn write_partial(run: &ShardRun, tallies: Tallies) -> Result<()> {
    let range = tallies.range();
    let slice = Slice {
        scenario: 0,
        first: range.start,
        end: range.end,
    };
    write_slices(run, 1, vec![(slice, tallies)])
}

/// Writes a shard's partial of a run of `scenarios` scenarios: each of its
/// slices with its tallies.
pub fn write_slices(run: &ShardRun, scenarios: u64, slices: Vec<(Slice, Tallies)>) -> Result<()> {
    let sh = run.shard;
    let held: Vec<String> = slices
        .iter()
        .map(|(s, _)| {
            if scenarios > 1 {
                format!(
                    "scenario {} iterations {}..{}",
                    s.scenario + 1,
                    s.first,
                    s.end
                )
            } else {
                format!("iterations {}..{}", s.first, s.end)
            }
        })
        .collect();
    let partial = shard_partial(
        sh.shard,
        sh.command.clone(),
        run.start,
        &run.inputs,
        scenarios,
        slices,
    )
    .map_err(anyhow::Error::msg)?;
    let name = format!(
        "shard-{:04}-of-{:04}.part",
        sh.shard.index(),
        sh.shard.count()
    );
    let path = write_partial_file(&sh.dir, &name, &partial.to_bytes(), &run.inputs)
        .map_err(anyhow::Error::msg)?;
    if !run.quiet {
        let held = if held.is_empty() {
            "nothing (more shards than work)".to_string()
        } else {
            held.join(", ")
        };
        let each = if scenarios > 1 { " per scenario" } else { "" };
        eprintln!(
            "wrote {}: shard {}, {held} (of {}{each})",
            visible(&path.display().to_string()),
            sh.shard,
            partial.header.iterations
        );
    }
    Ok(())
}

/// The file name of a merged partial: the shards it holds (`shards-0000-0007-of-0064.part`).
fn stage_name(h: &PartialHeader) -> String {
    let shard = |s: &String| -> (u64, u64) {
        s.split_once('/')
            .and_then(|(k, m)| Some((k.parse().ok()?, m.parse().ok()?)))
            .unwrap_or((0, 0))
    };
    let (first, count) = h.shards.first().map_or((0, 0), shard);
    let last = h.shards.last().map_or(0, |s| shard(s).0);
    format!("shards-{first:04}-{last:04}-of-{count:04}.part")
}

/// `slipcast merge`.
pub fn merge(cfg: &MergeConfig) -> Result<()> {
    let parts = read_partials(&cfg.files).map_err(anyhow::Error::msg)?;
    let whole = cfg.partial.is_none();
    let merged = assemble(parts, whole).map_err(|e| anyhow!("the partials do not merge:\n{e}"))?;
    if let Some(dir) = &cfg.partial {
        let h = &merged.header;
        let name = stage_name(h);
        let inputs: Vec<PathBuf> = h.inputs.iter().map(|i| PathBuf::from(&i.path)).collect();
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let path = write_partial_file(dir, &name, &merged.to_bytes(), &inputs)
            .map_err(anyhow::Error::msg)?;
        if !cfg.quiet {
            eprintln!(
                "wrote {}: {} shards of {}",
                visible(&path.display().to_string()),
                h.shards.len(),
                h.shards
                    .first()
                    .and_then(|s| s.split_once('/'))
                    .map_or("?", |(_, m)| m)
            );
        }
        return Ok(());
    }
    finish(cfg, merged)
}

/// Finishes a whole run from its merged partials: the command that ran is
/// read again, its inputs checked against the digests, and it runs with the
/// tallies in place of the simulation.
fn finish(cfg: &MergeConfig, merged: Partial) -> Result<()> {
    let h = &merged.header;
    check_inputs(&h.inputs).map_err(anyhow::Error::msg)?;
    let mut words: Vec<String> = h.command.clone();
    let kind = words.first().cloned().unwrap_or_default();
    if kind == "forecast" && cfg.report.is_some() {
        words = as_report(&words)?;
    }
    if let Some(start) = &h.start {
        words.push(format!("--start={start}"));
    }
    if let Some(t) = cfg.threads {
        words.push(format!("--threads={t}"));
    }
    if cfg.quiet {
        words.push("--quiet".into());
    }
    let cli = Cli::try_parse_from(std::iter::once("slipcast".to_string()).chain(words))
        .map_err(|e| anyhow!("the partials' command no longer parses: {e}"))?;
    match cli.command {
        Command::Forecast(mut args) => {
            merge_output(cfg, &mut args.output, "a forecast")?;
            let run = RunConfig::from_args(&args)?;
            super::forecast_with(&run, Some(single(merged)?))
        }
        Command::Report(mut args) => {
            if cfg.json {
                bail!(
                    "the partials are of a report: give --out DIR (or --report DIR) for its folder"
                );
            }
            if let Some(out) = cfg.report.clone().or_else(|| cfg.out.clone()) {
                args.folder.out = Some(out);
            }
            args.folder.force |= cfg.force;
            let run = ReportConfig::from_args(&args)?;
            super::report::report_with(&run, Some(single(merged)?))
        }
        Command::Compare(mut args) => {
            merge_output(cfg, &mut args.output, "a comparison")?;
            let run = CompareConfig::from_args(&args)?;
            super::compare::compare_with(&run, Some(merged.tallies))
        }
        Command::Cutline(mut args) => {
            merge_output(cfg, &mut args.output, "a cut-line sweep")?;
            let run = CutlineConfig::from_args(&args)?;
            super::cutline::cutline_with(&run, Some(merged.tallies))
        }
        _ => bail!("the partials are of `slipcast {kind}`, which merge cannot finish"),
    }
}

/// The merge's output flags in place of the run's (which `--shard` left
/// out); `--report` only finishes a forecast or a report.
fn merge_output(cfg: &MergeConfig, out: &mut OutputArgs, what: &str) -> Result<()> {
    if cfg.report.is_some() {
        bail!("the partials are of {what}: give --json or --out DIR, not --report");
    }
    out.json = cfg.json;
    out.folder.out = cfg.out.clone();
    out.folder.force = cfg.force;
    Ok(())
}

/// The tallies of a run of one scenario.
fn single(merged: Partial) -> Result<Tallies> {
    match <[Tallies; 1]>::try_from(merged.tallies) {
        Ok([t]) => Ok(t),
        Err(_) => bail!("the partials are of a run of several scenarios, not a forecast"),
    }
}

/// A forecast's command as the report's: the flags only a forecast has
/// dropped (a `--basic` or re-ranked forecast lacks what a report needs).
fn as_report(words: &[String]) -> Result<Vec<String>> {
    let mut out = vec!["report".to_string()];
    let mut skip = false;
    for w in &words[1..] {
        if std::mem::take(&mut skip) {
            continue;
        }
        let flag = w.split('=').next().unwrap_or(w);
        match flag {
            "--basic" | "--rank-iterations" => bail!(
                "the partials are of a forecast run with {flag}, which lacks what a report \
                 needs; run the shards without it, or merge with --json or --out"
            ),
            "--timings" => {}
            "--top" => skip = !w.contains('='),
            _ => out.push(w.clone()),
        }
    }
    Ok(out)
}
