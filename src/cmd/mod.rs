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
use crate::loader::{ChunkPlan, Chunks, Trace, TraceInfo};
use crate::output::progress::{Progress, Unit};
use crate::units::RangeSpec;
use anyhow::{Context, Result};

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

/// The channels a command works on: `--channel K`, or all of them.
pub(crate) fn selected_channels(info: &TraceInfo, channel: Option<usize>) -> Result<Vec<usize>> {
    match channel {
        Some(k) => {
            info.check_channel(k)?;
            Ok(vec![k])
        }
        None => Ok((0..info.channels).collect()),
    }
}

/// `--range` (the whole trace when absent) as sample indices `[start, end)`; times need a
/// rate, given here as `rate` (usually the trace's). Errors name the file.
pub(crate) fn resolve_range(
    info: &TraceInfo,
    range: Option<&RangeSpec>,
    rate: Option<f64>,
) -> Result<(u64, Option<u64>)> {
    range
        .cloned()
        .unwrap_or_else(RangeSpec::all)
        .resolve(info.samples, rate)
        .with_context(|| info.path.clone())
}

/// Walk `[start, end)` in chunks of `chunk` samples, with a progress bar that shows only on a
/// terminal and goes away with the walk.
pub(crate) fn walk(
    trace: &mut Trace,
    (start, end): (u64, Option<u64>),
    chunk: usize,
    quiet: bool,
) -> Result<Chunks<'_>> {
    let progress = Progress::new(
        end.map(|e| e - start),
        Unit::Samples,
        trace.info.frame_bytes() as u64,
        quiet,
    );
    let plan = ChunkPlan::new(start, end, chunk, 0)?;
    Ok(trace.chunks(plan)?.with_progress(move |n| progress.inc(n)))
}
