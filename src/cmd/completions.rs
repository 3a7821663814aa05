//! `tracekit completions SHELL`: print a completion script.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut out = crate::output::stdout();
    clap_complete::generate(args.shell, &mut Cli::command(), "tracekit", &mut out);
    std::io::Write::flush(&mut out)?;
    Ok(())
}
