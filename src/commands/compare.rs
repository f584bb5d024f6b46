//! `slipcast compare`: several plans side by side, paired by iteration.

use std::path::Path;

use anyhow::{Result, bail};

use slipcast::analysis::{CompareOptions, Slice, compare_merged, compare_part, compare_scenarios};
use slipcast::engine::Tallies;
use slipcast::plan::{Calendar, Headcount, Scenario};
use slipcast::report::compare_views;

use super::output;
use super::progress::with_progress;
use super::{load_scenario, start_threads};
use crate::config::{CompareConfig, PlanConfig, ShardConfig};

/// Names that tell the scenarios apart: the plan's file name (its path when
/// two plans share a name) with its what-if (`extra`, e.g. ` (payments
/// +1)`), then its per-scenario files, then a number.
fn labels(scenarios: &[PlanConfig], extra: &[String]) -> Vec<String> {
    let scenarios: Vec<&slipcast::plan::Sources> = scenarios.iter().map(|s| &s.sources).collect();
    let name = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
    };
    let unique = |v: &[String], i: usize| v.iter().filter(|x| **x == v[i]).count() == 1;
    let short: Vec<String> = scenarios.iter().map(|s| name(&s.plan)).collect();
    let plain: Vec<String> = (0..scenarios.len())
        .map(|i| {
            let same_file = scenarios
                .iter()
                .filter(|s| s.plan == scenarios[i].plan)
                .count()
                > 1;
            let name = if unique(&short, i) || same_file {
                short[i].clone()
            } else {
                scenarios[i].plan.display().to_string()
            };
            name + extra.get(i).map_or("", String::as_str)
        })
        .collect();
    let detailed: Vec<String> = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if unique(&plain, i) {
                return plain[i].clone();
            }
            let files: Vec<String> = [&s.edges, &s.risks, &s.ranges, &s.correlations, &s.teams]
                .into_iter()
                .flatten()
                .map(|p| name(p))
                .collect();
            std::iter::once(plain[i].clone())
                .chain(files)
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    (0..scenarios.len())
        .map(|i| {
            if unique(&detailed, i) {
                detailed[i].clone()
            } else {
                format!("{} #{}", detailed[i], i + 1)
            }
        })
        .collect()
}

/// Applies a headcount what-if to a scenario's capacity.
fn with_headcount(sc: &mut Scenario, changes: &[Headcount]) -> Result<()> {
    let what = changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let Some(c) = &sc.capacity else {
        bail!(
            "--add {what} on {}: a headcount question needs team capacity: give the teams file \
             with --teams FILE",
            sc.sources.plan.display()
        );
    };
    match c.with_headcount(&sc.plan, changes) {
        Ok(c) => {
            sc.capacity = Some(c);
            Ok(())
        }
        Err(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|e| format!("--add {what}: {e}"))
                .collect();
            bail!("{}", lines.join("\n"))
        }
    }
}

/// `slipcast compare`.
pub fn compare(cfg: &CompareConfig) -> Result<()> {
    compare_with(cfg, None)
}

/// Loads scenario `i` of the comparison, with its what-if applied.
fn load(cfg: &CompareConfig, i: usize) -> Result<Scenario> {
    let mut sc = load_scenario(&cfg.scenarios[i], cfg.sim.milestone.as_deref())?;
    if let Some(changes) = &cfg.headcount[i] {
        with_headcount(&mut sc, changes)?;
    }
    Ok(sc)
}

/// `slipcast compare`, or with `merged` (every scenario's tallies, from
/// the shards of this comparison), its result without simulating again.
pub(crate) fn compare_with(cfg: &CompareConfig, merged: Option<Vec<Tallies>>) -> Result<()> {
    if let Some(sh) = &cfg.shard {
        return shard(cfg, sh);
    }
    let scenarios = (0..cfg.scenarios.len())
        .map(|i| load(cfg, i))
        .collect::<Result<Vec<Scenario>>>()?;
    for sc in &scenarios {
        super::check_target(cfg.target, &cfg.input, sc)?;
    }
    let dest = (cfg.output.out.as_deref())
        .map(|dir| output::check(dir, "compare", cfg.output.force, &inputs(cfg)))
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    for sc in &scenarios {
        super::warn_unranged(sc, cfg.sim.quiet);
    }
    super::note_start(&cfg.input, &scenarios[0], cfg.sim.quiet);
    let labels = scenario_labels(cfg);
    let pairs: Vec<(&str, &Scenario)> = labels.iter().map(String::as_str).zip(&scenarios).collect();
    let axis = scenarios[0].plan.axis_calendar();
    let opts = options(cfg, &scenarios[0], axis.as_ref());
    let result = with_progress(cfg.sim.quiet, "Comparing", |p| match merged {
        None => compare_scenarios(&pairs, &opts, Some(p)),
        Some(t) => compare_merged(&pairs, &opts, t),
    })?;
    output::emit(
        &compare_views(),
        &result,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
}

/// Every input file of the comparison: each scenario's, the holidays and
/// the manifest.
pub(crate) fn inputs(cfg: &CompareConfig) -> Vec<&Path> {
    let mut inputs = output::inputs(&cfg.scenarios);
    inputs.extend(cfg.input.holidays.as_deref());
    inputs.extend(cfg.manifest.as_deref());
    inputs.sort();
    inputs.dedup();
    inputs
}

/// The scenarios' names: the manifest's, or made from their files.
fn scenario_labels(cfg: &CompareConfig) -> Vec<String> {
    if let Some(l) = &cfg.labels {
        return l.clone();
    }
    let what_ifs: Vec<String> = cfg
        .headcount
        .iter()
        .map(|w| {
            w.as_ref().map_or(String::new(), |changes| {
                let changes: Vec<String> = changes.iter().map(ToString::to_string).collect();
                format!(" ({})", changes.join(", "))
            })
        })
        .collect();
    labels(&cfg.scenarios, &what_ifs)
}

/// The comparison's options, on the calendar of its first scenario (`axis`,
/// for a plan on its own calendars).
fn options<'a>(
    cfg: &'a CompareConfig,
    first: &Scenario,
    axis: Option<&'a Calendar>,
) -> CompareOptions<'a> {
    CompareOptions {
        basis: super::basis(&cfg.input, axis, &first.plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        milestone: cfg.sim.milestone.clone(),
        target: cfg.target,
        cuts: cfg.cuts.clone(),
    }
}

/// One shard of a comparison: its units of (scenario, slice), each
/// scenario loaded only if the shard has work in it.
fn shard(cfg: &CompareConfig, sh: &ShardConfig) -> Result<()> {
    start_threads(cfg.sim.threads)?;
    let n = cfg.scenarios.len();
    let first = load(cfg, 0)?;
    super::check_target(cfg.target, &cfg.input, &first)?;
    let axis = first.plan.axis_calendar();
    let opts = options(cfg, &first, axis.as_ref());
    let slices = sh.shard.slices(n as u64, cfg.sim.iterations);
    let mut loaded: Option<(u64, Scenario)> = None;
    let mut out: Vec<(Slice, Tallies)> = Vec::new();
    for slice in slices {
        let k = slice.scenario;
        if loaded.as_ref().is_none_or(|(i, _)| *i != k) {
            let sc = if k == 0 {
                first.clone()
            } else {
                load(cfg, k as usize)?
            };
            super::check_target(cfg.target, &cfg.input, &sc)?;
            loaded = Some((k, sc));
        }
        let sc = &loaded.as_ref().expect("loaded").1;
        let t = with_progress(cfg.sim.quiet, "Comparing", |p| {
            compare_part(k as usize, sc, &opts, slice.range(), Some(p))
        })?;
        // Neighbouring slices of one scenario are kept as one.
        match out.pop() {
            Some((mut last, prev)) if last.scenario == k && last.end == slice.first => {
                last.end = slice.end;
                out.push((last, prev.merge(t).map_err(|e| anyhow::anyhow!("{e}"))?));
            }
            other => {
                out.extend(other);
                out.push((slice, t));
            }
        }
    }
    let run = super::shard::ShardRun {
        shard: sh,
        inputs: inputs(cfg),
        start: (!cfg.input.start_given && first.plan.calendars.is_none())
            .then(|| cfg.input.calendar.start()),
        quiet: cfg.sim.quiet,
    };
    super::shard::write_slices(&run, n as u64, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sc(plan: &str, edges: Option<&str>) -> PlanConfig {
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        PlanConfig {
            sources: slipcast::plan::Sources {
                edges: edges.map(PathBuf::from),
                ..slipcast::plan::Sources::plan(plan)
            },
            input: crate::config::InputConfig {
                calendar: slipcast::plan::Calendar::weekdays(start),
                holidays: None,
                calendars: None,
                encoding: Default::default(),
                import: Default::default(),
                exports: Default::default(),
                start_given: true,
                workdays: None,
            },
        }
    }

    fn labels_of(scenarios: &[PlanConfig]) -> Vec<String> {
        labels(scenarios, &[])
    }

    #[test]
    fn labels_tell_scenarios_apart() {
        assert_eq!(
            labels_of(&[sc("a/plan.csv", None), sc("a/descoped.csv", None)]),
            ["plan.csv", "descoped.csv"]
        );
        assert_eq!(
            labels_of(&[sc("a/plan.csv", None), sc("b/plan.csv", None)]),
            ["a/plan.csv", "b/plan.csv"]
        );
        assert_eq!(
            labels_of(&[sc("p.csv", None), sc("p.csv", Some("x/e.csv"))]),
            ["p.csv", "p.csv + e.csv"]
        );
        assert_eq!(
            labels_of(&[sc("p.csv", None), sc("p.csv", None)]),
            ["p.csv #1", "p.csv #2"]
        );
    }
}
