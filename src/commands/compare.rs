//! `slipcast compare`: several plans side by side, paired by iteration.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;

use anyhow::Result;

use slipcast::analysis::{
    CompareInputs, ScenarioInput, Target, check_range, compare as compare_scenarios,
};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::report::{
    COMPARE_CSV, COMPARE_JSON, OutputSet, compare_csv, compare_json, compare_text,
};

use super::output;
use super::progress::with_progress;
use super::{load_scenario, start_threads};
use crate::config::{CompareConfig, PlanConfig};
use slipcast::plan::Scenario;

/// Names that tell the scenarios apart: the plan's file name (its path when
/// two plans share a name), then its per-scenario files, then a number.
fn labels(scenarios: &[PlanConfig]) -> Vec<String> {
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
            if unique(&short, i) || same_file {
                short[i].clone()
            } else {
                scenarios[i].plan.display().to_string()
            }
        })
        .collect();
    let detailed: Vec<String> = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if unique(&plain, i) {
                return plain[i].clone();
            }
            let files: Vec<String> = [&s.edges, &s.risks, &s.correlations]
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

/// `slipcast compare`.
pub fn compare(cfg: &CompareConfig) -> Result<()> {
    let milestone = cfg.sim.milestone.as_deref();
    let scenarios = cfg
        .scenarios
        .iter()
        .map(|pc| load_scenario(pc, milestone))
        .collect::<Result<Vec<Scenario>>>()?;
    let dest = (cfg.sim.out.as_deref())
        .map(|dir| {
            let mut inputs = output::inputs(&cfg.scenarios);
            inputs.extend(cfg.holidays.as_deref());
            output::check(dir, "compare", cfg.sim.force, &inputs)
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    let total = cfg.sim.iterations * scenarios.len() as u64;
    // Same seed and iterations everywhere: a task id draws the same
    // durations in every scenario, so iteration i pairs with iteration i.
    let nets: Vec<Network> = scenarios.iter().map(Network::compile_scenario).collect();
    let projects: Vec<Vec<f32>> = with_progress(cfg.sim.quiet, "Comparing", |p| {
        p.total.store(total, Ordering::Relaxed);
        let opts = SimOptions {
            progress: Some(&p.done),
            ..SimOptions::finish_only(cfg.sim.iterations, cfg.sim.seed)
        };
        nets.iter()
            .map(|net| simulate(net, &opts).project)
            .collect()
    });
    for ((sc, net), project) in scenarios.iter().zip(&nets).zip(&projects) {
        let latest = project.iter().copied().fold(0.0f32, f32::max);
        check_range(
            &sc.plan,
            &deterministic(net),
            f64::from(latest),
            &cfg.calendar,
        )?;
    }
    let labels = labels(&cfg.scenarios);
    let shown = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let edges: Vec<Option<String>> = cfg.scenarios.iter().map(|s| shown(&s.edges)).collect();
    let risks: Vec<Option<String>> = cfg.scenarios.iter().map(|s| shown(&s.risks)).collect();
    let inputs: Vec<ScenarioInput> = (0..scenarios.len())
        .map(|i| ScenarioInput {
            label: &labels[i],
            plan: &scenarios[i].plan,
            edges: edges[i].as_deref(),
            risks: risks[i].as_deref(),
            project: &projects[i],
        })
        .collect();
    let holidays = cfg.holidays.as_ref().map(|p| p.display().to_string());
    let result = compare_scenarios(
        &inputs,
        &CompareInputs {
            calendar: &cfg.calendar,
            holidays_file: holidays.as_deref(),
            seed: cfg.sim.seed,
            milestone,
            target: cfg.target.map(|t| Target::new(t, &cfg.calendar)),
        },
    );
    let mut stdout = std::io::stdout().lock();
    if cfg.sim.json {
        stdout.write_all(&compare_json(&result)?)?;
    } else if !cfg.sim.quiet {
        write!(stdout, "{}", compare_text(&result))?;
    }
    if let Some(dest) = &dest {
        let mut set = OutputSet::new("compare");
        set.add(COMPARE_CSV, compare_csv(&result)?);
        set.add(COMPARE_JSON, compare_json(&result)?);
        output::publish(dest, &set, cfg.sim.quiet)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sc(plan: &str, edges: Option<&str>) -> PlanConfig {
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        PlanConfig {
            plan: PathBuf::from(plan),
            edges: edges.map(PathBuf::from),
            holidays: None,
            calendar: slipcast::plan::Calendar::weekdays(start),
            risks: None,
            correlate: Vec::new(),
            correlations: None,
            encoding: Default::default(),
        }
    }

    #[test]
    fn labels_tell_scenarios_apart() {
        assert_eq!(
            labels(&[sc("a/plan.csv", None), sc("a/descoped.csv", None)]),
            ["plan.csv", "descoped.csv"]
        );
        assert_eq!(
            labels(&[sc("a/plan.csv", None), sc("b/plan.csv", None)]),
            ["a/plan.csv", "b/plan.csv"]
        );
        assert_eq!(
            labels(&[sc("p.csv", None), sc("p.csv", Some("x/e.csv"))]),
            ["p.csv", "p.csv + e.csv"]
        );
        assert_eq!(
            labels(&[sc("p.csv", None), sc("p.csv", None)]),
            ["p.csv #1", "p.csv #2"]
        );
    }
}
