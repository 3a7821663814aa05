//! One file per subcommand: arguments → open → feed/analyse → report. The glue they share
//! (channel picks, ranges, the walk with its progress bar) lives here.

mod bytes;
mod completions;
mod convert_csv;
mod cut;
mod decode;
mod decode_bus;
mod decode_uart;
mod fft;
mod fft_complex;
mod find;
mod generate;
mod generate_bus;
mod info;
mod measure;
mod pipe;
mod plot;
mod plot_decode;
mod slice;
mod slice_logic;
mod spectrogram;
mod stats;

use crate::cli::{Cli, Command};
use crate::loader::{ChannelRef, Chunk, LoaderError, Pick, Trace, TraceInfo, Walk};
use crate::output::progress::{Progress, Unit};
use crate::sample::sink::{Sink, SinkError, SplitSink};
use crate::units::RangeSpec;
use anyhow::{Context, Result, bail};

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Info(args) => info::run(&args, quiet),
        Command::Generate(args) => generate::run(&args, quiet),
        Command::Completions(args) => completions::run(&args),
        Command::Slice(args) => slice::run(&args, quiet),
        // convert is slice of the whole file: one code path.
        Command::Convert(args) => slice::run(&args.as_slice(), quiet),
        Command::Fft(args) => fft::run(&args, quiet),
        Command::Plot(args) => plot::run(&args, quiet),
        Command::Spectrogram(args) => spectrogram::run(&args, quiet),
        Command::Decode(args) => decode::run(&args, quiet),
        Command::DecodeUart(args) => decode_uart::run(&args, quiet),
        Command::ConvertCsv(args) => convert_csv::run(&args, quiet),
        Command::Stats(args) => stats::run(&args, quiet),
        Command::Measure(args) => measure::run(&args, quiet),
        Command::Find(args) => find::run(&args, quiet),
    }
}

/// Run the parsed command line with what it writes to stdout returned instead of printed
/// (the Python binding's `decode`, `measure` and `find`; give `quiet` to keep stderr silent).
pub fn run_captured(cli: Cli) -> (Result<()>, Vec<u8>) {
    crate::output::capture(|| run(cli))
}

/// Print the loader's warnings (ignored trailing bytes...) unless `--quiet`, escaped (they
/// quote names from the file) and without panicking if stderr fails.
pub(crate) fn warn_all(warnings: &[String], quiet: bool) {
    if !quiet {
        for w in warnings {
            crate::term::eprint_line("tracekit: warning: ", w);
        }
    }
}

/// The channels a command works on: `--channel K|NAME`, or all of them.
///
/// Complex captures: an index counts complex channels and a name may be either component's;
/// either way both columns, I then Q, are picked.
pub(crate) fn picks(info: &TraceInfo, channel: Option<&ChannelRef>) -> Result<Vec<Pick>> {
    if info.complex {
        let pair = |k: usize| vec![Pick::channel(2 * k), Pick::channel(2 * k + 1)];
        return match channel {
            Some(ChannelRef::Index(k)) if *k >= info.user_channels() => bail!(
                "{}: --channel {k} but the capture has {} complex channel(s) (0-based)",
                info.path,
                info.user_channels()
            ),
            Some(ChannelRef::Index(k)) => Ok(pair(*k)),
            Some(name) => Ok(pair(info.resolve_channel(name)? / 2)),
            None => Ok((0..info.user_channels()).flat_map(pair).collect()),
        };
    }
    match channel {
        Some(choice) => Ok(vec![Pick::channel(info.resolve_channel(choice)?)]),
        None => Ok((0..info.channels.len()).map(Pick::channel).collect()),
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

/// A write error raised inside a sink, kept whole for the way out: an `io::Error` stays one
/// (so a broken pipe is still recognised), anything else keeps its chain of context.
pub(crate) fn output_error(e: anyhow::Error) -> SinkError {
    match e.downcast::<std::io::Error>() {
        Ok(io) => SinkError::from(io),
        Err(other) => SinkError::Output(other.into()),
    }
}

/// What every walk of a command shares: the range, the channels, the chunk size, `--quiet`.
pub(crate) struct Plan<'a> {
    pub range: (u64, Option<u64>),
    pub picks: &'a [Pick],
    pub chunk: usize,
    pub quiet: bool,
}

impl Plan<'_> {
    /// Run `walk` with a progress bar that shows only on a terminal and is gone when it
    /// returns. A write error of a sink comes back as the plain `io::Error` (naming the
    /// output, and a broken pipe is still recognised as one).
    fn with_progress(
        &self,
        trace: &mut Trace,
        walk: impl FnOnce(&mut Trace, &Walk<'_>) -> Result<(), LoaderError>,
    ) -> Result<()> {
        let (start, end) = self.range;
        let progress = Progress::new(
            end.map(|e| e - start),
            Unit::Samples,
            trace.info.frame_bytes() as u64,
            self.quiet,
        );
        let inc = |n| progress.inc(n);
        let walking = Walk {
            range: self.range,
            picks: self.picks,
            chunk: self.chunk,
            progress: &inc,
        };
        match walk(trace, &walking) {
            Err(LoaderError::Output(e)) => Err(match e.downcast::<std::io::Error>() {
                Ok(io) => anyhow::Error::from(*io),
                Err(other) => anyhow::Error::from_boxed(other),
            }),
            other => Ok(other?),
        }
    }

    /// Feed `sink` in order.
    pub fn feed(&self, trace: &mut Trace, sink: &mut impl Sink) -> Result<()> {
        self.with_progress(trace, |t, w| t.feed(w, sink))
    }

    /// Feed `sink` on every core where the file allows it.
    pub fn feed_split(&self, trace: &mut Trace, sink: &mut impl SplitSink) -> Result<()> {
        self.with_progress(trace, |t, w| t.feed_split(w, sink))
    }

    /// Have `writer` copy `len` bytes of `file` (shown as `name`) from `offset` (frames of
    /// `frame_bytes`) in the kernel, with the progress bar; false when it cannot.
    pub fn copy_range(
        &self,
        writer: &mut crate::output::samples::SampleWriter,
        source: (&std::fs::File, &str),
        range: (u64, u64),
        frame_bytes: usize,
    ) -> Result<bool> {
        let progress = Progress::new(
            Some(range.1 / frame_bytes.max(1) as u64),
            Unit::Samples,
            frame_bytes as u64,
            self.quiet,
        );
        writer.copy_range(source, range, &|n| progress.inc(n))
    }

    /// Feed the stored frames to `sink`, for byte-exact copies.
    pub fn feed_frames(
        &self,
        trace: &mut Trace,
        sink: impl FnMut(&Chunk<'_>) -> Result<(), SinkError>,
    ) -> Result<()> {
        self.with_progress(trace, |t, w| t.feed_frames(w, sink))
    }
}
