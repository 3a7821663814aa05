//! One file per subcommand: arguments → loader → algorithm → output.

mod completions;
mod generate;
mod info;
mod stats;

use crate::cli::{Cli, Command};
use anyhow::{bail, Result};

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Info(args) => info::run(&args, quiet),
        Command::Generate(args) => generate::run(&args, quiet),
        Command::Completions(args) => completions::run(&args),
        Command::Stats(args) => stats::run(&args, quiet),
        Command::Fft(_) => bail!("fft is not implemented yet"),
        Command::Slice(_) => bail!("slice is not implemented yet"),
        Command::ConvertCsv(_) => bail!("convert-csv is not implemented yet"),
        Command::DecodeUart(_) => bail!("decode-uart is not implemented yet"),
    }
}

/// Print the loader's warnings (ignored trailing bytes...) unless `--quiet`.
pub(crate) fn warn_all(warnings: &[String], quiet: bool) {
    if !quiet {
        for w in warnings {
            eprintln!("tracekit: warning: {w}");
        }
    }
}
