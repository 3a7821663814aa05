//! `tracekit completions SHELL`: print a completion script.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    // clap_complete panics when its writer fails: render in memory, then write to stdout,
    // whose errors (a full disk, a closed pipe) take the usual way out.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "tracekit", &mut script);
    let mut out = crate::output::stdout();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
