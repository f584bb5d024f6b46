//! The `slipcast` command: parse, convert, delegate, report the error.

mod cli;
mod commands;
mod config;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use config::{
    CompareConfig, CutlineConfig, ExplainConfig, HistoryConfig, ImportConfig, MergeConfig,
    PlanConfig, ReportConfig, RunConfig,
};

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Forecast(args) => commands::forecast(&RunConfig::from_args(&args)?),
        Command::Explain(args) => commands::explain(&ExplainConfig::from_args(&args)?),
        Command::Validate(args) => {
            commands::validate(&PlanConfig::from_args(&args.plan)?, args.json)
        }
        Command::Cutline(args) => commands::cutline(&CutlineConfig::from_args(&args)?),
        Command::Compare(args) => commands::compare(&CompareConfig::from_args(&args)?),
        Command::History(args) => commands::history(&HistoryConfig::from_args(&args)?),
        Command::Report(args) => commands::report(&ReportConfig::from_args(&args)?),
        Command::Merge(args) => commands::merge(&MergeConfig::from_args(&args)?),
        Command::Import(args) => commands::import(&ImportConfig::from_args(&args)?),
        Command::Completions(args) => print(&cli::completions(args.shell)),
        Command::Man(args) => print(&cli::man(args.subcommand.as_deref())?),
    }
}

/// Writes generated text to stdout, passing a closed pipe up as an error.
fn print(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    Ok(out.flush()?)
}

/// Usage errors clap cannot express, exiting with its usage and code 2.
fn check_usage(cli: &Cli) {
    use clap::CommandFactory;
    if let Command::Compare(a) = &cli.command
        && a.manifest.is_none()
        && a.plans.len() == 1
        && a.add.is_empty()
    {
        let mut root = Cli::command();
        root.build();
        let compare = root.find_subcommand_mut("compare").expect("compare exists");
        compare
            .error(
                clap::error::ErrorKind::TooFewValues,
                "compare needs two or more plans, one plan with --add (each --add a \
                 headcount what-if against it), or the scenarios in --manifest FILE",
            )
            .exit();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    check_usage(&cli);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`slipcast ... | head`) is not an error.
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            // Errors quote plan text (ids, names, file names): shown with
            // control characters escaped, never acting on the terminal.
            let message = format!("{e:#}");
            eprintln!("Error: {}", slipcast::report::inert::visible(&message));
            ExitCode::FAILURE
        }
    }
}
