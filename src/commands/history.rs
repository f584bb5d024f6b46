//! `slipcast history`: snapshots of one plan forecast from their data
//! dates, and why the date moved between them.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use slipcast::analysis::{HistoryOptions, Snapshot, data_date_of, history};
use slipcast::plan::Scenario;
use slipcast::report::history_views;
use slipcast::report::inert::visible;

use super::progress::with_progress;
use super::{load_scenario, output, start_threads};
use crate::config::{HistoryConfig, ReportConfig};
use slipcast::analysis::{History, RunBasis, WATERMELON_DAYS};

/// The file name of a snapshot (its path when two share a name).
fn labels(paths: &[&Path]) -> Vec<String> {
    let name = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
    };
    let short: Vec<String> = paths.iter().map(|p| name(p)).collect();
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if short.iter().filter(|s| **s == short[i]).count() == 1 {
                short[i].clone()
            } else {
                p.display().to_string()
            }
        })
        .collect()
}

/// A snapshot's data date: `--as-of`, else its file's data or status date,
/// else a date in its file name.
fn data_date(sc: &Scenario, as_of: Option<NaiveDate>) -> Result<NaiveDate> {
    if let Some(d) = as_of.or_else(|| data_date_of(sc)) {
        return Ok(d);
    }
    bail!(
        "{}: no data date: give it with --as-of YYYY-MM-DD (once per snapshot, in order), \
         or put it in the file name (e.g. plan-2027-01-18.csv)",
        visible(&sc.sources.plan.display().to_string())
    )
}

/// `slipcast history`.
pub fn history_command(cfg: &HistoryConfig) -> Result<()> {
    let milestone = cfg.sim.milestone.as_deref();
    let scenarios = cfg
        .snapshots
        .iter()
        .map(|pc| load_scenario(pc, milestone))
        .collect::<Result<Vec<Scenario>>>()?;
    let dates = scenarios
        .iter()
        .zip(&cfg.as_of)
        .map(|(sc, &as_of)| data_date(sc, as_of))
        .collect::<Result<Vec<NaiveDate>>>()?;
    let dest = (cfg.output.out.as_deref())
        .map(|dir| {
            let mut inputs = output::inputs(&cfg.snapshots);
            inputs.extend(cfg.input.holidays.as_deref());
            output::check(dir, "history", cfg.output.force, &inputs)
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    for sc in &scenarios {
        super::warn_unranged(sc, cfg.sim.quiet);
    }
    let paths: Vec<&Path> = cfg
        .snapshots
        .iter()
        .map(|s| s.sources.plan.as_path())
        .collect();
    let labels = labels(&paths);
    let snapshots = Snapshot::list(&scenarios, &labels, &dates);
    let axis = scenarios[0].plan.axis_calendar();
    let opts = HistoryOptions {
        basis: super::basis(&cfg.input, axis.as_ref(), &scenarios[0].plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        target: cfg.target,
        watermelon_days: cfg.watermelon,
        milestone: milestone.map(String::from),
    };
    let result = with_progress(cfg.sim.quiet, "Explaining the moves", |_| {
        history(&snapshots, &opts)
    })?;
    output::emit(
        &history_views(),
        &result,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
}

/// The history of a report: its `--history` snapshots, oldest first, then
/// the plan of the report (`sc`, from the report's start or its own data
/// date).
pub fn report_history(cfg: &ReportConfig, sc: &Scenario, basis: &RunBasis) -> Result<History> {
    let milestone = cfg.sim.milestone.as_deref();
    let earlier = cfg
        .history
        .iter()
        .map(|pc| load_scenario(pc, milestone))
        .collect::<Result<Vec<Scenario>>>()?;
    let mut dates = earlier
        .iter()
        .map(|s| data_date(s, None))
        .collect::<Result<Vec<NaiveDate>>>()?;
    dates.push(match &sc.plan.calendars {
        Some(c) => c.start,
        None => cfg.plan.input.calendar.start(),
    });
    let paths: Vec<&Path> = cfg
        .history
        .iter()
        .map(|s| s.sources.plan.as_path())
        .chain(std::iter::once(cfg.plan.sources.plan.as_path()))
        .collect();
    let labels = labels(&paths);
    let snapshots: Vec<Snapshot> = earlier
        .iter()
        .chain(std::iter::once(sc))
        .zip(&labels)
        .zip(&dates)
        .map(|((scenario, label), &data_date)| Snapshot {
            label,
            scenario,
            data_date,
        })
        .collect();
    let opts = HistoryOptions {
        basis: basis.clone(),
        iterations: cfg.sim.iterations,
        target: cfg.questions.target,
        watermelon_days: WATERMELON_DAYS,
        milestone: milestone.map(String::from),
    };
    Ok(history(&snapshots, &opts)?)
}
