//! `completions` and `man`: shell completion scripts and manual pages, both
//! generated from the one clap definition of the flags, so they never drift
//! from `--help`.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use clap_mangen::Man;

use super::Cli;

pub const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  source <(slipcast completions bash)          # try it in the current bash
  slipcast completions bash > ~/.local/share/bash-completion/completions/slipcast
  slipcast completions zsh > ~/.zfunc/_slipcast   # with fpath+=~/.zfunc before compinit
  slipcast completions fish > ~/.config/fish/completions/slipcast.fish";

pub const MAN_EXAMPLES: &str = "\
Examples:
  slipcast man | man -l -                      # read it now
  slipcast man > ~/.local/share/man/man1/slipcast.1
  slipcast man forecast > ~/.local/share/man/man1/slipcast-forecast.1";

/// The exit codes, closing `slipcast --help` and in the manual page.
const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "0",
        "success, also when the reader closes the pipe early (slipcast ... | head)",
    ),
    (
        "1",
        "input or run error: a missing or invalid plan, a refused --out folder",
    ),
    (
        "2",
        "usage error: an unknown flag or command, or a value that does not parse",
    ),
];

/// The after-help of `slipcast --help`: `examples`, then the exit codes
/// (`-h` shows only the examples).
pub fn with_exit_status(examples: &str) -> String {
    let mut text = format!("{examples}\n\nExit status:");
    for (code, meaning) in EXIT_STATUS {
        text.push_str(&format!("\n  {code}  {meaning}"));
    }
    text
}

/// Flags of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

/// Flags of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose page to print (e.g. forecast) [default: the page of slipcast itself].
    #[arg(value_name = "SUBCOMMAND", value_parser = subcommand_name)]
    pub subcommand: Option<String>,
}

/// Accepts the name of a subcommand of `slipcast`, so a typo is a usage
/// error that lists the names.
fn subcommand_name(name: &str) -> Result<String, String> {
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    if names.contains(&name) {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "no subcommand '{name}'; expected one of {}",
            names.join(", ")
        ))
    }
}

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    // Into memory, not stdout: `generate` panics on a failed write, and a
    // closed pipe must stay a quiet success.
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    script
}

/// The roff manual page of `slipcast`, or of one of its subcommands
/// (`slipcast-forecast(1)`).
///
/// # Errors
///
/// Only if rendering fails, which writing into memory does not.
pub fn man(subcommand: Option<&str>) -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    // Gives each subcommand its `slipcast-NAME` title and `slipcast NAME` synopsis.
    cmd.build();
    let page = match subcommand {
        Some(name) => cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| std::io::Error::other(format!("no subcommand '{name}'")))?,
        None => cmd,
    };
    // The short after-help: the examples, without the exit codes, which get
    // a section of their own.
    let page_after_help = page.get_after_help().map(|h| h.to_string());
    // clap_mangen's version section panics on a command without a version
    // (the subcommands do not inherit it).
    let has_version = page.get_version().is_some();
    // A subcommand's page would otherwise name "forecast " as its source.
    let man = Man::new(page).source(concat!("slipcast ", env!("CARGO_PKG_VERSION")));
    let mut roff = Vec::new();
    man.render_title(&mut roff)?;
    man.render_name_section(&mut roff)?;
    man.render_synopsis_section(&mut roff)?;
    man.render_description_section(&mut roff)?;
    man.render_options_section(&mut roff)?;
    if subcommand.is_none() {
        man.render_subcommands_section(&mut roff)?;
    }
    if let Some(examples) = man_page_examples(page_after_help.as_deref()) {
        render_examples(&mut roff, examples)?;
    }
    render_exit_status(&mut roff)?;
    if has_version {
        man.render_version_section(&mut roff)?;
    }
    Ok(roff)
}

/// The text of an after-help below its `Examples:` line.
fn man_page_examples(after_help: Option<&str>) -> Option<&str> {
    let text = after_help?;
    Some(text.strip_prefix("Examples:\n").unwrap_or(text))
}

/// An `EXAMPLES` section, line for line (unfilled, as the command lines are
/// meant to be copied).
fn render_examples(w: &mut dyn Write, examples: &str) -> std::io::Result<()> {
    use clap_mangen::roff::{Roff, roman};
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    roff.control("nf", []);
    for line in examples.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.to_writer(w)
}

/// An `EXIT STATUS` section, as man-pages(7) orders it.
fn render_exit_status(w: &mut dyn Write) -> std::io::Result<()> {
    use clap_mangen::roff::{Roff, roman};
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([roman(*code)]);
        roff.text([roman(*meaning)]);
    }
    roff.to_writer(w)
}
