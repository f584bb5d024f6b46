//! `slipcast compare`: several plans side by side, paired by iteration.

use std::path::Path;

use anyhow::{Result, bail};

use slipcast::analysis::{CompareOptions, compare_scenarios};
use slipcast::plan::{Headcount, Scenario};
use slipcast::report::compare_views;

use super::output;
use super::progress::with_progress;
use super::{load_scenario, start_threads};
use crate::config::{CompareConfig, PlanConfig};

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
    let milestone = cfg.sim.milestone.as_deref();
    let scenarios = cfg
        .scenarios
        .iter()
        .zip(&cfg.headcount)
        .map(|(pc, what_if)| {
            let mut sc = load_scenario(pc, milestone)?;
            if let Some(changes) = what_if {
                with_headcount(&mut sc, changes)?;
            }
            Ok(sc)
        })
        .collect::<Result<Vec<Scenario>>>()?;
    for sc in &scenarios {
        super::check_target(cfg.target, &cfg.input, sc)?;
    }
    let dest = (cfg.output.out.as_deref())
        .map(|dir| {
            let mut inputs = output::inputs(&cfg.scenarios);
            inputs.extend(cfg.input.holidays.as_deref());
            output::check(dir, "compare", cfg.output.force, &inputs)
        })
        .transpose()?;
    start_threads(cfg.sim.threads)?;
    for sc in &scenarios {
        super::warn_unranged(sc, cfg.sim.quiet);
    }
    super::note_start(&cfg.input, &scenarios[0], cfg.sim.quiet);
    let axis = scenarios[0].plan.axis_calendar();
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
    let labels = labels(&cfg.scenarios, &what_ifs);
    let pairs: Vec<(&str, &Scenario)> = labels.iter().map(String::as_str).zip(&scenarios).collect();
    let opts = CompareOptions {
        basis: super::basis(&cfg.input, axis.as_ref(), &scenarios[0].plan, &cfg.sim),
        iterations: cfg.sim.iterations,
        milestone: milestone.map(String::from),
        target: cfg.target,
    };
    let result = with_progress(cfg.sim.quiet, "Comparing", |p| {
        compare_scenarios(&pairs, &opts, Some(p))
    })?;
    output::emit(
        &compare_views(),
        &result,
        &cfg.output,
        cfg.sim.quiet,
        dest.as_ref(),
    )
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
