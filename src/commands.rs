//! The subcommands, wired from the library's parts.

use std::io::Write;

use anyhow::{Context, Result, anyhow};

use slipcast::analysis::{ForecastInputs, summarize};
use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::Network;
use slipcast::plan::{Plan, load_plan};
use slipcast::report::{Exporter, Json, Terminal, prepare_dir, write_all};

use crate::config::{PlanConfig, RunConfig};

mod compare;
mod cutline;

pub use compare::compare;
pub use cutline::cutline;

fn load(cfg: &PlanConfig) -> Result<Plan> {
    Ok(load_plan(&cfg.plan, cfg.edges.as_deref())?)
}

/// `slipcast validate`.
pub fn validate(cfg: &PlanConfig) -> Result<()> {
    let plan = load(cfg)?;
    let links: usize = plan.tasks.iter().map(|t| t.links.len()).sum();
    println!(
        "{}: {} tasks, {} links, no problems found",
        plan.source,
        plan.tasks.len(),
        links
    );
    Ok(())
}

/// `slipcast forecast`.
pub fn forecast(cfg: &RunConfig) -> Result<()> {
    let plan = load(&cfg.plan)?;
    let milestone = match &cfg.milestone {
        None => None,
        Some(id) => Some(plan.index_of(id).ok_or_else(|| {
            let hint = plan
                .suggest(id)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            anyhow!(
                "--milestone \"{id}\" is not a task id in {}{hint}",
                plan.source
            )
        })?),
    };
    if let Some(dir) = &cfg.out {
        prepare_dir(dir)?;
    }
    if let Some(t) = cfg.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .context("could not start the worker threads")?;
    }
    let net = Network::compile(&plan, milestone);
    let det = deterministic(&net);
    let outcomes = simulate(&net, &SimOptions::full(cfg.iterations, cfg.seed));
    let inputs = ForecastInputs {
        plan: &plan,
        edges: cfg.plan.edges.as_ref().map(|p| p.display().to_string()),
        calendar: &cfg.plan.calendar,
        holidays_file: cfg.plan.holidays.as_ref().map(|p| p.display().to_string()),
        milestone,
    };
    let forecast = summarize(&inputs, &net, &outcomes, &det);
    let mut stdout = std::io::stdout().lock();
    if cfg.json {
        stdout.write_all(&Json.serialize(&forecast)?)?;
    } else if !cfg.quiet {
        write!(stdout, "{}", Terminal { top: cfg.top }.render(&forecast))?;
    }
    if let Some(dir) = &cfg.out {
        let written = write_all(dir, &forecast)?;
        if !cfg.quiet {
            for p in written {
                eprintln!("wrote {}", p.display());
            }
        }
    }
    Ok(())
}
