//! The command line (SPEC §1-§4) as clap types. No I/O here: flags become typed values in
//! their `value_parser`, so commands never see strings.

use crate::loader::{DType, Endian, Format, OpenOptions, DEFAULT_CHUNK};
use crate::units::{self, Overlap, RangeSpec, Span};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "Fast, exact tools for huge waveform captures (.npy, raw, HDF5, stdin)";

const LONG_ABOUT: &str = "\
tracekit reads oscilloscope, digitizer and logic-analyzer captures of any size (larger than
RAM) by memory-mapping them in windows or streaming them from stdin, and answers in tables
for people or JSON/CSV for scripts.

Examples:
  tracekit generate tone --tone 1kHz:1 -r 1M --samples 10M -o capture.npy
  tracekit info capture.npy
  tracekit stats --chunk 10M capture.npy
  tracekit slice 1ms..2ms capture.npy -o subset.npy
  tracekit slice 1ms..2ms capture.npy -o - | tracekit fft -";

#[derive(Debug, Parser)]
#[command(name = "tracekit", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// No progress bar, no informational notes on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Info(InfoArgs),
    Stats(StatsArgs),
    Fft(FftArgs),
    Slice(SliceArgs),
    #[command(name = "convert-csv")]
    ConvertCsv(ConvertCsvArgs),
    #[command(name = "decode-uart")]
    DecodeUart(DecodeUartArgs),
    Generate(GenerateArgs),
    Completions(CompletionsArgs),
}

/// How to find and read the input capture (SPEC §1). Shared by every reading subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Capture file; `-` or nothing reads standard input (a .npy stream, or raw with --dtype)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Input format; auto looks at the magic bytes, then the extension
    #[arg(id = "input_format", long = "format", value_enum, default_value_t = FormatArg::Auto, value_name = "FORMAT")]
    pub format: FormatArg,

    /// Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy's float32, <f4, >i2)
    #[arg(long, value_parser = parse_dtype, value_name = "T")]
    pub dtype: Option<(DType, Option<Endian>)>,

    /// Raw byte order
    #[arg(long, value_enum)]
    pub endian: Option<EndianArg>,

    /// Raw: bytes to skip before the first sample
    #[arg(long, value_parser = units::parse_count, value_name = "BYTES")]
    pub offset: Option<u64>,

    /// Raw: number of samples to read (error if the file holds fewer)
    #[arg(long, value_parser = units::parse_count, value_name = "N")]
    pub length: Option<u64>,

    /// Raw: number of interleaved channels
    #[arg(long, value_parser = parse_channels, value_name = "N")]
    pub channels: Option<usize>,

    /// HDF5: dataset path (default: the one waveform-like dataset)
    #[arg(long, value_name = "PATH")]
    pub dataset: Option<String>,

    /// Sample rate, overriding the file's (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, value_name = "RATE")]
    pub sample_rate: Option<f64>,

    /// Samples per chunk (default 1Mi = 1048576); memory use grows with it
    #[arg(long, value_parser = parse_chunk, default_value_t = DEFAULT_CHUNK, value_name = "N")]
    pub chunk: usize,
}

impl InputArgs {
    pub fn open_options(&self) -> OpenOptions {
        let (dtype, dtype_endian) = match self.dtype {
            Some((d, e)) => (Some(d), e),
            None => (None, None),
        };
        OpenOptions {
            path: self.file.clone(),
            format: self.format.format(),
            dtype,
            endian: self.endian.map(EndianArg::endian).or(dtype_endian),
            offset: self.offset,
            length: self.length,
            channels: self.channels,
            dataset: self.dataset.clone(),
            sample_rate: self.sample_rate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Npy,
    Raw,
    Hdf5,
}

impl FormatArg {
    fn format(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Npy => Some(Format::Npy),
            FormatArg::Raw => Some(Format::Raw),
            FormatArg::Hdf5 => Some(Format::Hdf5),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EndianArg {
    Little,
    Big,
}

impl EndianArg {
    fn endian(self) -> Endian {
        match self {
            EndianArg::Little => Endian::Little,
            EndianArg::Big => Endian::Big,
        }
    }
}

/// Show what a capture is: format, dtype, shape, rate, duration. Reads headers only.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit info capture.npy
  tracekit info --json scope.h5 | jq .sample_rate
  tracekit info --dtype i16 --channels 4 -r 250M dump.bin")]
pub struct InfoArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

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

    /// Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)
    #[arg(long, value_parser = units::parse_range, allow_hyphen_values = true, value_name = "RANGE")]
    pub range: Option<RangeSpec>,

    /// Only this channel (0-based); default all
    #[arg(long, value_name = "K")]
    pub channel: Option<usize>,

    /// Envelope: one record per window of W samples or W seconds (4096, 10k, 1ms, 1s)
    ///
    /// Windows start at the first sample of the range; the last one may be short. CSV
    /// columns: start,start_s,channel,min,max,mean,rms, where start is the absolute sample
    /// index and start_s = start / rate; without a known rate the start_s column is left
    /// out (in JSON Lines it is null). Records stream out as the file is read.
    #[arg(long, value_parser = units::parse_span, value_name = "W")]
    pub every: Option<Span>,

    /// JSON (one object; JSON Lines with --every)
    #[arg(long)]
    pub json: bool,
}

/// Cut a range of samples into a new file (.npy, .csv, raw) or stdout.
///
/// A same-type slice is a straight byte copy. The output carries the sample rate and the
/// time of its first sample, so later commands need no -r.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit slice 1e6..2e6 capture.npy -o subset.npy
  tracekit slice 1.5ms..2.5ms capture.npy -o window.csv
  tracekit slice -1M.. capture.npy --to f32 --step 10 -o tail.npy
  tracekit slice 1ms..2ms big.npy -o - | tracekit fft -
  tracekit slice ..64 capture.npy -o - --to raw | xxd | head")]
pub struct SliceArgs {
    /// Samples to keep: A..B, A.., ..B, A+N (counts like 1M or times like 1.5ms; negative = from the end)
    #[arg(value_parser = units::parse_range, allow_hyphen_values = true, value_name = "RANGE")]
    pub range: RangeSpec,

    #[command(flatten)]
    pub input: InputArgs,

    /// Output: .npy, .csv, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)
    #[arg(long, value_name = "T")]
    pub to: Option<String>,

    /// Keep every K-th sample (the output rate is divided by K)
    #[arg(long, value_parser = parse_step, default_value_t = 1, value_name = "K")]
    pub step: u64,

    /// Channels to keep (0-based, comma-separated or repeated); default all
    #[arg(long, value_delimiter = ',', value_name = "K")]
    pub channel: Vec<usize>,
}

/// Convert an instrument CSV export to .npy, finding dialect, columns and sample rate.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit convert-csv scope.csv                 # writes scope.npy
  tracekit convert-csv DS1054Z.csv -o ch.npy --column CH1 --column CH2
  tracekit convert-csv logic.csv -r 1M -o logic.npy   # expand an event export")]
pub struct ConvertCsvArgs {
    /// CSV (or TXT) export to convert
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// Output .npy (default: IN with the extension .npy)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Data column by name or 1-based index (repeatable); default all value columns
    #[arg(long, value_name = "NAME|INDEX")]
    pub column: Vec<String>,

    /// Time column by name or 1-based index, or `none`
    #[arg(long, value_name = "NAME|INDEX|none")]
    pub time_column: Option<String>,

    /// Field delimiter (`,` `;` `tab`); default detected
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,

    /// Decimal separator (`.` or `,`); default detected
    #[arg(long, value_name = "C")]
    pub decimal: Option<String>,

    /// Lines to skip before the header
    #[arg(long, value_name = "N")]
    pub skip_rows: Option<usize>,

    /// Output sample type; default f32 unless a column needs f64 to be exact
    #[arg(long, value_enum)]
    pub dtype: Option<FloatType>,

    /// Sample rate (overrides the file; needed to expand event-based logic exports)
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, value_name = "RATE")]
    pub sample_rate: Option<f64>,

    /// What to do with a cell that is not a number
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,

    /// Print the detection report as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FloatType {
    F32,
    F64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    Fail,
    Nan,
    Skip,
}

/// Welch-averaged power spectrum of the whole file, with peaks and tone metrics.
///
/// Same definition as scipy.signal.welch (periodic window, one-sided, trailing partial
/// segment dropped). Prints the rate, resolution, ENBW, segments, the strongest peaks, the
/// noise floor, and SNR/THD/SINAD/SFDR/ENOB of the strongest tone.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit fft capture.npy
  tracekit fft --nfft 65536 --window flattop --scaling spectrum capture.npy
  tracekit fft capture.npy -o spectrum.csv --plot spectrum.svg
  tracekit slice 1ms..2ms big.npy -o - | tracekit fft --json - | jq .peaks")]
pub struct FftArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Segment length (any N >= 16)
    #[arg(long, default_value_t = 8192, value_parser = parse_nfft, value_name = "N")]
    pub nfft: usize,

    /// Segment overlap: a percentage (50%) or samples
    #[arg(long, default_value = "50%", value_parser = units::parse_overlap, value_name = "P%|N")]
    pub overlap: Overlap,

    /// Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA
    #[arg(long, default_value = "hann", value_name = "W")]
    pub window: String,

    #[arg(long, value_enum, default_value_t = Detrend::Mean)]
    pub detrend: Detrend,

    /// density: V²/Hz; spectrum: V² (reads a tone's power A²/2)
    #[arg(long, value_enum, default_value_t = Scaling::Density)]
    pub scaling: Scaling,

    /// Combine segments by mean (Welch) or max (max-hold)
    #[arg(long, value_enum, default_value_t = Average::Mean)]
    pub average: Average,

    /// How many peaks to list
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub peaks: usize,

    /// Only this range of samples
    #[arg(long, value_parser = units::parse_range, value_name = "RANGE")]
    pub range: Option<RangeSpec>,

    /// Only this channel (0-based); default all
    #[arg(long, value_name = "K")]
    pub channel: Option<usize>,

    /// Write every bin: .csv (freq_hz,power,power_db) or .npy
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Draw the spectrum in dB (.svg or .png)
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,

    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Detrend {
    Mean,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scaling {
    Density,
    Spectrum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Average {
    Mean,
    Max,
}

/// Framing shared by decode-uart and generate uart.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "UART framing")]
pub struct UartFraming {
    /// Data bits per frame (5..9)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u8).range(5..=9))]
    pub bits: u8,

    #[arg(long, value_enum, default_value_t = ParityArg::None)]
    pub parity: ParityArg,

    /// Stop bits: 1, 1.5 or 2
    #[arg(long, default_value = "1", value_parser = parse_stop_bits)]
    pub stop: f64,

    /// Data bits go most significant first
    #[arg(long)]
    pub msb_first: bool,

    /// The line idles low (inverted levels)
    #[arg(long)]
    pub invert: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParityArg {
    None,
    Odd,
    Even,
    Mark,
    Space,
}

/// Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit decode-uart --baud 115200 logic.npy
  tracekit decode-uart --baud auto --threshold auto scope.npy
  tracekit decode-uart --baud 9600 --bit 3 la_dump.bin --dtype u8 -r 24M
  tracekit decode-uart --baud 115200 --format bytes logic.npy | xxd | head

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct DecodeUartArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Baud rate, or `auto` to measure it from the shortest pulses
    #[arg(long, value_parser = parse_baud, value_name = "B|auto")]
    pub baud: BaudArg,

    #[command(flatten)]
    pub framing: UartFraming,

    /// Analog input: threshold in volts, or `auto` (from the two logic levels in the data)
    #[arg(long, value_parser = parse_threshold, value_name = "V|auto")]
    pub threshold: Option<ThresholdArg>,

    /// Analog input: hysteresis in volts around the threshold (Schmitt trigger)
    #[arg(long, value_name = "V")]
    pub hysteresis: Option<f64>,

    /// Logic input: the line is bit N of each integer sample
    #[arg(long, value_name = "N")]
    pub bit: Option<u32>,

    /// Channel of a multi-channel capture (0-based)
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub channel: usize,

    /// Only this range of samples
    #[arg(long, value_parser = units::parse_range, value_name = "RANGE")]
    pub range: Option<RangeSpec>,

    /// Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)
    #[arg(long = "format", value_enum, default_value_t = UartOutput::Text, value_name = "F")]
    pub output_format: UartOutput,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BaudArg {
    Auto,
    Rate(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThresholdArg {
    Auto,
    Volts(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UartOutput {
    Text,
    Json,
    Csv,
    Bytes,
}

/// Write synthetic captures for demos, tests and benchmarks; any size, constant memory.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit generate tone --tone 1kHz:1 --tone 3kHz:0.01 -r 1M --samples 10M -o tone.npy
  tracekit generate noise --noise 0.5 --samples 1Gi --seed 7 -o noise.f32
  tracekit generate square --freq 1k --samples 1M -o clock.npy
  tracekit generate uart --text 'Hello' --baud 115200 -r 1M --logic -o uart.npy")]
pub struct GenerateArgs {
    #[arg(value_enum)]
    pub kind: SignalKind,

    /// Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Samples per channel
    #[arg(long, value_parser = units::parse_count, default_value = "1M", value_name = "N")]
    pub samples: u64,

    /// Sample rate
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, default_value = "1M", value_name = "RATE")]
    pub sample_rate: f64,

    /// Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25
    #[arg(long, value_parser = parse_tone, value_name = "F:A")]
    pub tone: Vec<(f64, f64)>,

    /// Frequency of the square wave
    #[arg(long, value_parser = units::parse_rate, default_value = "1k", value_name = "F")]
    pub freq: f64,

    /// Amplitude of the square wave (it swings ±A)
    #[arg(long, default_value_t = 1.0, value_name = "A")]
    pub amplitude: f64,

    /// Gaussian noise, RMS
    #[arg(long, default_value_t = 0.0, value_name = "RMS")]
    pub noise: f64,

    /// Seed for the noise (same seed, same file)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Sample type (default f32; u8 for --logic)
    #[arg(long, value_parser = parse_dtype_only, value_name = "T")]
    pub dtype: Option<DType>,

    /// Channels (each with its own noise)
    #[arg(long, value_parser = parse_channels, default_value = "1", value_name = "N")]
    pub channels: usize,

    /// uart: the text to send
    #[arg(long, value_name = "T", conflicts_with = "bytes_file")]
    pub text: Option<String>,

    /// uart: send this file's bytes
    #[arg(long, value_name = "F")]
    pub bytes_file: Option<PathBuf>,

    /// uart: baud rate
    #[arg(long, value_parser = units::parse_rate, default_value = "115200", value_name = "B")]
    pub baud: f64,

    #[command(flatten)]
    pub framing: UartFraming,

    /// uart: idle time between frames, in bit times
    #[arg(long, default_value_t = 1.0, value_name = "BITS")]
    pub gap: f64,

    /// uart: transmitter baud error as a fraction (0.03 = 3% fast)
    #[arg(long, default_value_t = 0.0, value_name = "FRAC", allow_hyphen_values = true)]
    pub baud_error: f64,

    /// uart: write 0/1 logic samples (u8) instead of analog volts
    #[arg(long)]
    pub logic: bool,

    /// With `-o -`, write bare samples instead of a .npy stream
    #[arg(long, value_name = "raw")]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignalKind {
    Tone,
    Noise,
    Square,
    Uart,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit completions bash > ~/.local/share/bash-completion/completions/tracekit
  tracekit completions zsh > ~/.zfunc/_tracekit")]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn parse_dtype(text: &str) -> Result<(DType, Option<Endian>), String> {
    DType::parse(text).ok_or_else(|| {
        format!("'{text}' is not a sample type; use i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or float32, <f4, >i2)")
    })
}

fn parse_dtype_only(text: &str) -> Result<DType, String> {
    parse_dtype(text).map(|(d, _)| d)
}

fn parse_chunk(text: &str) -> Result<usize, String> {
    units::parse_positive_count(text)
        .map_err(|e| format!("{e} (the chunk size is in samples and must be at least 1)"))
        .and_then(|n| usize::try_from(n).map_err(|_| format!("'{text}' is too large")))
}

fn parse_step(text: &str) -> Result<u64, String> {
    units::parse_positive_count(text).map_err(|e| e.to_string())
}

fn parse_channels(text: &str) -> Result<usize, String> {
    match units::parse_count(text) {
        Ok(n) if (1..=65_536).contains(&n) => Ok(n as usize),
        Ok(_) => Err("the number of channels must be 1..65536".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_nfft(text: &str) -> Result<usize, String> {
    match units::parse_count(text) {
        Ok(n) if n >= 16 && n <= (1 << 28) => Ok(n as usize),
        Ok(n) => Err(format!("nfft {n} is out of range; use 16..268435456")),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_stop_bits(text: &str) -> Result<f64, String> {
    match text.trim() {
        "1" => Ok(1.0),
        "1.5" => Ok(1.5),
        "2" => Ok(2.0),
        _ => Err(format!("'{text}' stop bits; use 1, 1.5 or 2")),
    }
}

fn parse_baud(text: &str) -> Result<BaudArg, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(BaudArg::Auto);
    }
    units::parse_rate(text).map(BaudArg::Rate).map_err(|e| e.to_string())
}

fn parse_threshold(text: &str) -> Result<ThresholdArg, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(ThresholdArg::Auto);
    }
    let v: f64 = text
        .trim()
        .trim_end_matches('V')
        .parse()
        .map_err(|_| format!("'{text}' is not a threshold; use volts (1.65) or auto"))?;
    if !v.is_finite() {
        return Err(format!("'{text}' is not a finite threshold"));
    }
    Ok(ThresholdArg::Volts(v))
}

fn parse_tone(text: &str) -> Result<(f64, f64), String> {
    let (f, a) = text
        .split_once(':')
        .ok_or_else(|| format!("'{text}' is not a tone; use FREQ:AMPLITUDE, e.g. 1kHz:0.5"))?;
    let f = units::parse_rate(f).map_err(|e| e.to_string())?;
    let a: f64 = a.trim().parse().map_err(|_| format!("'{a}' is not an amplitude"))?;
    Ok((f, a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn slice_takes_negative_ranges() {
        let cli = Cli::try_parse_from(["tracekit", "slice", "-1M..", "x.npy", "-o", "y.npy"]).unwrap();
        let Command::Slice(args) = cli.command else { panic!("not slice") };
        assert_eq!(args.range.text, "-1M..");
        assert_eq!(args.input.file, Some(PathBuf::from("x.npy")));
    }

    #[test]
    fn chunk_zero_is_a_usage_error() {
        assert!(Cli::try_parse_from(["tracekit", "stats", "--chunk", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "nan", "x.npy"]).is_err());
    }
}
