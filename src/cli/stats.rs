//! `tracekit stats`.

use super::{InputArgs, OutputArgs, RangeArgs};
use crate::loader::ChannelRef;
use crate::units::{self, Span};
use clap::Args;

/// Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms).
///
/// The whole file is read once, in chunks on all cores; results equal NumPy's float64
/// computation on the array held in memory. With --every, prints the envelope instead:
/// one record per window and channel (start, start_s, min, max, mean, rms), as CSV or
/// JSON Lines.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit stats capture.npy
  tracekit stats --json --range 1M..2M capture.npy | jq '.channels[0].std'
  tracekit stats --every 1s capture.npy > envelope.csv
  tracekit slice 1ms..2ms big.npy -o - | tracekit stats")]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Only this channel: 0-based index or name (CH2, C3); default all
    #[arg(long, value_name = "K|NAME")]
    pub channel: Option<ChannelRef>,

    /// Envelope: one record per window of W samples or W seconds (4096, 10k, 1ms, 1s)
    ///
    /// Windows start at the first sample of the range; the last one may be short. CSV
    /// columns: start,start_s,channel,min,max,mean,rms, where start is the absolute sample
    /// index and start_s = start / rate; without a known rate the start_s column is left
    /// out (in JSON Lines it is null). Records stream out as the file is read.
    #[arg(long, value_parser = units::parse_span, value_name = "W")]
    pub every: Option<Span>,

    #[command(flatten)]
    pub output: OutputArgs,
}
