//! `tracekit slice`.

use super::InputArgs;
use super::input::parse_dtype;
use crate::loader::ChannelRef;
use crate::sample::{DType, Endian};
use crate::units::{self, RangeSpec, Span};
use clap::Args;
use std::path::PathBuf;

/// Cut a range of samples into a new file (.npy, .csv, .wav, .sigmf-data, raw) or stdout.
///
/// A same-type slice is a straight byte copy. The output carries the sample rate and the
/// time of its first sample, so later commands need no -r.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  tracekit slice 1e6..2e6 capture.npy -o subset.npy
  tracekit slice 1.5ms..2.5ms capture.npy -o window.csv
  tracekit slice -1M.. capture.npy --to f32 --step 10 -o tail.npy
  tracekit slice 1ms..2ms big.npy -o - | tracekit fft -
  tracekit slice ..64 capture.npy -o - --to raw | xxd | head
  tracekit find --glitch 20ns --format json capture.npy > glitches.jsonl
  tracekit slice .. capture.npy --events glitches.jsonl --around 1us -o glitches/")]
pub struct SliceArgs {
    /// Samples to keep: A..B, A.., ..B, A+N (counts like 1M or times like 1.5ms; negative = from the end)
    #[arg(value_parser = units::parse_range, allow_hyphen_values = true, value_name = "RANGE")]
    pub range: RangeSpec,

    #[command(flatten)]
    pub input: InputArgs,

    /// Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...), or - for a .npy
    /// stream on stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)
    ///
    /// Float to integer rounds to nearest (halves away from zero), clamps to the type's range
    /// and turns NaN into 0; see docs/formats.md. Without --to the samples are copied
    /// bit-exact, in the input's type and byte order; a scope's scaled channels (codes ×
    /// gain + offset) are written as f32 values and its logic lanes as u8 0/1 (--raw-codes
    /// copies the stored codes instead).
    #[arg(long, value_parser = parse_slice_to, value_name = "T")]
    pub to: Option<SliceTo>,

    /// Keep every K-th sample (the output rate is divided by K)
    #[arg(long, value_parser = parse_step, default_value_t = 1, value_name = "K")]
    pub step: u64,

    /// Channels to keep: 0-based indices or names (CH1,CH3), comma-separated or repeated;
    /// default all
    #[arg(long, value_delimiter = ',', value_name = "K|NAME")]
    pub channel: Vec<ChannelRef>,

    #[command(flatten)]
    pub events: EventCutArgs,
}

/// `slice --events`: one cut-out around each event of a saved list.
#[derive(Debug, Clone, Default, Args)]
pub struct EventCutArgs {
    /// Cut T (--around) either side of each event of this list into the folder -o names
    ///
    /// The list is `find`'s output in any of its formats (text, csv, json): the first field
    /// of each line, `sample`, is where the event is. Only the events inside RANGE are cut
    /// (give `..` for all), and each cut-out stays inside RANGE. The files are
    /// DIR/event-000001.EXT and so on, numbered by the event's place in the list, in the
    /// format --cut-format names; --to, --step and --channel apply to each.
    #[arg(long, value_name = "EVENTS", requires = "around")]
    pub events: Option<PathBuf>,

    /// With --events: how far either side of each event to cut (`1ms`, `5000`)
    #[arg(long, value_parser = span, value_name = "T", requires = "events")]
    pub around: Option<Span>,

    /// With --events: the cut-outs' format, as an output extension: npy, csv, wav,
    /// sigmf-data, sr, vcd, bin
    #[arg(long, default_value = "npy", value_name = "EXT", requires = "events")]
    pub cut_format: String,
}

fn span(text: &str) -> Result<Span, String> {
    units::parse_span(text.trim()).map_err(|e| e.to_string())
}

/// What `slice --to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceTo {
    /// Bare samples on stdout instead of a .npy stream (`-o -` only).
    Raw,
    /// Convert to this sample type.
    Type(DType),
    /// Complex input only: convert the I and Q components to this type (`cf32`, `ci16`).
    Complex(DType),
}

pub(super) fn parse_slice_to(text: &str) -> Result<SliceTo, String> {
    if text.trim().eq_ignore_ascii_case("raw") {
        return Ok(SliceTo::Raw);
    }
    if let Some((c, endian)) = crate::sample::ComplexType::parse(text) {
        if endian.is_some_and(|e| e != Endian::NATIVE && c.component().size() > 1) {
            return Err(format!(
                "'{text}': outputs are written in this machine's byte order; give the type alone, e.g. {}",
                c.short_name()
            ));
        }
        return Ok(SliceTo::Complex(c.component()));
    }
    match parse_dtype(text)? {
        (d, Some(e)) if d.size() > 1 && e != Endian::NATIVE => Err(format!(
            "'{text}': outputs are written in this machine's byte order ({}); give the type alone, e.g. {}",
            Endian::NATIVE.name(),
            d.short_name()
        )),
        (d, _) => Ok(SliceTo::Type(d)),
    }
}

fn parse_step(text: &str) -> Result<u64, String> {
    units::parse_positive_count(text).map_err(|e| e.to_string())
}
