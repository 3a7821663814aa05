//! One file per subcommand: arguments → loader → algorithm → output.

mod completions;
mod convert_csv;
mod decode_uart;
mod fft;
mod generate;
mod info;
mod slice;
mod stats;

use crate::cli::{Cli, Command};
use anyhow::Result;

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Info(args) => info::run(&args, quiet),
        Command::Generate(args) => generate::run(&args, quiet),
        Command::Completions(args) => completions::run(&args),
        Command::Slice(args) => slice::run(&args, quiet),
        Command::Fft(args) => fft::run(&args, quiet),
        Command::DecodeUart(args) => decode_uart::run(&args, quiet),
        Command::ConvertCsv(args) => convert_csv::run(&args, quiet),
        Command::Stats(args) => stats::run(&args, quiet),
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
