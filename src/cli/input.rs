//! Flags shared by many subcommands: the input (SPEC §1), `--range` and `--json`.

use super::one_of;
use crate::loader::{DEFAULT_CHUNK, FORMATS, OpenOptions, SegmentChoice, format_named};
use crate::sample::{DType, Endian};
use crate::units::{self, RangeSpec};
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

/// How to find and read the input capture (SPEC §1). Shared by every reading subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Capture file; `-` or nothing reads standard input (a .npy stream, or raw with --dtype)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Input format; auto looks at the magic bytes, then the extension
    #[arg(id = "input_format", long = "format", default_value = "auto", value_parser = format_parser(), value_name = "FORMAT")]
    pub format: FormatChoice,

    /// Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy's float32, <f4, >i2);
    /// complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8
    #[arg(long, value_parser = parse_input_dtype, value_name = "T")]
    pub dtype: Option<InputDType>,

    /// Raw byte order
    #[arg(long, value_parser = one_of::<Endian>(Endian::NAMES))]
    pub endian: Option<Endian>,

    /// Raw: bytes to skip before the first sample
    #[arg(long, value_parser = units::parse_count, value_name = "BYTES")]
    pub offset: Option<u64>,

    /// Raw: number of samples to read (error if the file holds fewer)
    #[arg(long, value_parser = units::parse_count, value_name = "N")]
    pub length: Option<u64>,

    /// Raw: number of interleaved channels
    #[arg(long, value_parser = parse_channels, value_name = "N")]
    pub channels: Option<usize>,

    /// HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel
    /// (`/'group'/'channel'` or its name), read at its full length
    #[arg(long, value_name = "PATH")]
    pub dataset: Option<String>,

    /// Sample rate, overriding the file's (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, value_name = "RATE")]
    pub sample_rate: Option<f64>,

    /// Scope files: keep the stored integers (ADC codes) instead of volts
    ///
    /// Oscilloscope formats store codes and a scale (value = code × gain + offset); by
    /// default every command sees the values in the file's unit. With --raw-codes the
    /// codes pass unchanged (slice copies them bit-exact, in their stored type).
    #[arg(long)]
    pub raw_codes: bool,

    /// Segmented captures (FastFrame, sequence): segment K (0-based) or `all`
    ///
    /// Default all: the segments are read one after the other, with a warning that time is
    /// not contiguous at their joins. `info` lists the segments and their trigger times.
    #[arg(long, value_parser = parse_segment, value_name = "K|all")]
    pub segment: Option<SegmentChoice>,

    /// Samples per chunk (default 1Mi = 1048576); memory use grows with it
    #[arg(long, value_parser = parse_chunk, default_value_t = DEFAULT_CHUNK, value_name = "N")]
    pub chunk: usize,
}

impl InputArgs {
    pub fn open_options(&self) -> OpenOptions {
        let (dtype, dtype_endian, complex) = match self.dtype {
            Some(InputDType {
                dtype,
                endian,
                complex,
            }) => (Some(dtype), endian, complex),
            None => (None, None, false),
        };
        OpenOptions {
            path: self.file.clone(),
            format: self.format.0,
            dtype,
            endian: self.endian.or(dtype_endian),
            offset: self.offset,
            length: self.length,
            channels: self.channels,
            dataset: self.dataset.clone(),
            sample_rate: self.sample_rate,
            raw_codes: self.raw_codes,
            segment: self.segment,
            verify: false,
            complex,
        }
    }
}

/// `--format`: a format's name from the registry, or None for `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatChoice(pub Option<&'static str>);

fn format_parser() -> impl TypedValueParser<Value = FormatChoice> {
    let names = std::iter::once("auto").chain(FORMATS.iter().map(|f| f.name()));
    PossibleValuesParser::new(names).map(|name| FormatChoice(format_named(&name).map(|f| f.name())))
}

/// `--range`: which samples a command reads.
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)
    #[arg(long, value_parser = units::parse_range, allow_hyphen_values = true, value_name = "RANGE")]
    pub range: Option<RangeSpec>,
}

/// How results are written: a table for people, or `--json` for scripts.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Print JSON instead of a table (JSON Lines for streams of records)
    #[arg(long)]
    pub json: bool,
}

pub(super) fn parse_dtype(text: &str) -> Result<(DType, Option<Endian>), String> {
    if DType::is_long_double(text) {
        return Err(format!("'{text}': {}", crate::sample::npy::LONG_DOUBLE));
    }
    DType::parse(text).ok_or_else(|| {
        format!("'{text}' is not a sample type; use i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or float32, <f4, >i2)")
    })
}

/// `--dtype` of an input: a real type, or a complex one (`cf32`: I/Q pairs of f32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputDType {
    /// The type of each value (of each component when complex).
    pub dtype: DType,
    pub endian: Option<Endian>,
    pub complex: bool,
}

fn parse_input_dtype(text: &str) -> Result<InputDType, String> {
    if let Some((c, endian)) = crate::sample::ComplexType::parse(text) {
        return Ok(InputDType {
            dtype: c.component(),
            endian,
            complex: true,
        });
    }
    parse_dtype(text)
        .map(|(dtype, endian)| InputDType {
            dtype,
            endian,
            complex: false,
        })
        .map_err(|e| format!("{e}; complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8"))
}

pub(super) fn parse_dtype_only(text: &str) -> Result<DType, String> {
    parse_dtype(text).map(|(d, _)| d)
}

fn parse_chunk(text: &str) -> Result<usize, String> {
    units::parse_positive_count(text)
        .map_err(|e| format!("{e} (the chunk size is in samples and must be at least 1)"))
        .and_then(|n| usize::try_from(n).map_err(|_| format!("'{text}' is too large")))
}

fn parse_segment(text: &str) -> Result<SegmentChoice, String> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(SegmentChoice::All);
    }
    text.trim()
        .parse::<usize>()
        .map(SegmentChoice::Index)
        .map_err(|_| format!("'{text}' is not a segment; use a 0-based index or all"))
}

pub(super) fn parse_channels(text: &str) -> Result<usize, String> {
    match units::parse_count(text) {
        Ok(n) if (1..=65_536).contains(&n) => Ok(n as usize),
        Ok(_) => Err("the number of channels must be 1..65536".into()),
        Err(e) => Err(e.to_string()),
    }
}
