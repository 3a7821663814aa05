//! `tracekit convert`.

use super::InputArgs;
use super::slice::{SliceArgs, SliceTo, parse_slice_to};
use crate::loader::ChannelRef;
use crate::units::{self, RangeEnd, RangeSpec};
use clap::Args;
use std::path::PathBuf;

/// Convert a whole capture to another format, chosen by the output's extension.
///
/// `.npy`, `.csv`, `.wav` (RF64 above 4 GiB), `.sigmf-data` (with its `.sigmf-meta`), or raw
/// (`.bin`, `.f32`...). It is `slice ..` of the whole file: streaming, written atomically,
/// with the rate, start time and channel names travelling. --range cuts a part, --channel
/// picks channels, --to converts the sample type.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit convert recording.wav -o recording.npy
  tracekit convert capture.tdms --channel 0 -o capture.sigmf-data
  tracekit convert capture.npy --to i16 -o capture.wav
  tracekit convert dump.sigmf-meta --range 1s..2s -o part.csv")]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...)
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Samples to keep, as slice's RANGE (A..B, A.., ..B, A+N; counts or times); default all
    #[arg(long, value_parser = units::parse_range, allow_hyphen_values = true, value_name = "RANGE")]
    pub range: Option<RangeSpec>,

    /// Convert samples to this type (f32, i16, ...); as slice --to
    #[arg(long, value_parser = parse_slice_to, value_name = "T")]
    pub to: Option<SliceTo>,

    /// Channels to keep: 0-based indices or names, comma-separated or repeated; default all
    #[arg(long, value_delimiter = ',', value_name = "K|NAME")]
    pub channel: Vec<ChannelRef>,
}

impl ConvertArgs {
    /// The same conversion as a `slice` (convert is slice's whole-file case).
    pub fn as_slice(&self) -> SliceArgs {
        SliceArgs {
            range: self.range.clone().unwrap_or(RangeSpec {
                text: "..".into(),
                start: None,
                end: RangeEnd::Open,
            }),
            input: self.input.clone(),
            output: self.output.clone(),
            to: self.to,
            step: 1,
            channel: self.channel.clone(),
            events: Default::default(),
        }
    }
}
