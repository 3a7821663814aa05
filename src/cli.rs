//! The command line (SPEC §1-§4) as clap types. No I/O here: flags become typed values in
//! their `value_parser`, so commands never see strings.

use crate::csvconv::{ColumnSel, TimeColumnSel};
use crate::dsp::decode::uart::{Parity, StopBits, UartConfig};
use crate::dsp::welch;
use crate::dsp::window::WindowKind;
use crate::loader::{DEFAULT_CHUNK, Format, OpenOptions};
use crate::sample::{DType, Endian};
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
    ///
    /// Float to integer rounds to nearest (halves away from zero), clamps to the type's range
    /// and turns NaN into 0; see docs/formats.md. Without --to the samples are copied
    /// bit-exact, in the input's type and byte order.
    #[arg(long, value_parser = parse_slice_to, value_name = "T")]
    pub to: Option<SliceTo>,

    /// Keep every K-th sample (the output rate is divided by K)
    #[arg(long, value_parser = parse_step, default_value_t = 1, value_name = "K")]
    pub step: u64,

    /// Channels to keep (0-based, comma-separated or repeated); default all
    #[arg(long, value_delimiter = ',', value_name = "K")]
    pub channel: Vec<usize>,
}

/// What `slice --to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceTo {
    /// Bare samples on stdout instead of a .npy stream (`-o -` only).
    Raw,
    /// Convert to this sample type.
    Type(DType),
}

/// Convert an instrument CSV export to .npy, finding dialect, columns and sample rate.
///
/// Reads oscilloscope and logic-analyzer exports (Tektronix, Rigol, Keysight, Siglent,
/// LeCroy, PicoScope, Digilent, Saleae, R&S, OWON, GW Instek, Ikalogic...): finds the header
/// block, delimiter, decimal separator, column names and units, the time column and the
/// sample rate (header metadata such as Rigol's Increment or Tektronix's Sample Interval,
/// else the median step of the time column, with a warning when the steps are not uniform).
/// One data column gives shape (N,), C columns (N, C). The rate and t0 go into the .npy
/// header comment, so `tracekit info OUT` shows them; NumPy ignores the comment.
///
/// Output type: f32 unless some value needs f64 to stay exact (more than 7 significant
/// digits, or a 7-digit value f32 cannot round back, or a value outside f32's range). The
/// file is written as f32 while every value fits; a value that does not switches to f64
/// before anything is written if it is in the first block, else restarts the conversion in
/// f64 (the input is memory-mapped, so the restart re-reads it from the page cache; it
/// costs at most the time already spent). `--dtype` skips the decision; with
/// `--dtype f32`, values that f32 rounds are reported as a warning.
///
/// Cost: streams the memory-mapped input on all cores; memory stays bounded (about 100 MB)
/// whatever the file size. The detection report goes to stderr (`-q` silences it), or as
/// JSON to stdout with `--json`. Quoted fields that contain the delimiter are not supported
/// (such a row is a field-count error).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit convert-csv scope.csv                 # writes scope.npy
  tracekit convert-csv DS1054Z.csv -o ch.npy --column CH1 --column CH2
  tracekit convert-csv export.csv --delimiter ';' --decimal , --column 2
  tracekit convert-csv logic.csv -r 1M -o logic.npy   # expand an event export")]
pub struct ConvertCsvArgs {
    /// CSV (or TXT) export to convert (a file: it is memory-mapped)
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// Output .npy (default: IN with the extension .npy); stdout (`-`) is refused
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Data column by name or 1-based number (repeatable); default all value columns
    ///
    /// A number is always a column number (the first field is 1), even in a file whose
    /// column names are numbers; names match case-insensitively.
    #[arg(long, value_parser = parse_csv_column, value_name = "NAME|INDEX")]
    pub column: Vec<ColumnSel>,

    /// Time column by name or 1-based number, or `none` (no time axis)
    #[arg(long, value_parser = parse_csv_time_column, value_name = "NAME|INDEX|none")]
    pub time_column: Option<TimeColumnSel>,

    /// Field delimiter: `,` `;` `tab` (or any single character); default detected
    #[arg(long, value_parser = parse_delimiter, value_name = "C")]
    pub delimiter: Option<u8>,

    /// Decimal separator: `.` or `,`; default detected
    #[arg(long, value_parser = parse_decimal, value_name = "C")]
    pub decimal: Option<u8>,

    /// Lines before the first data row; the line just above the data gives the names
    #[arg(long, value_name = "N")]
    pub skip_rows: Option<usize>,

    /// Output sample type; default f32 unless a column needs f64 to be exact
    #[arg(long, value_enum)]
    pub dtype: Option<FloatType>,

    /// Sample rate (overrides the file; needed to expand event-based logic exports)
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, value_name = "RATE")]
    pub sample_rate: Option<f64>,

    /// What to do with a cell that is not a number or a row with the wrong field count
    ///
    /// fail: stop with the file, line, column and text (no output file is left); nan: store
    /// NaN for the bad cells and go on; skip: drop the row and go on. Both report counts
    /// and the first few cases as warnings.
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,

    /// Print the detection report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// A `--column` name, or a 1-based column number turned into the 0-based field position.
fn parse_csv_column(text: &str) -> Result<ColumnSel, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a column name or number (1 = the first field) is needed".into());
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(ColumnSel::Name(t.to_string()));
    }
    match t.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(ColumnSel::Index(n - 1)),
        _ => Err(format!(
            "column {t:?}: column numbers start at 1 (the first field)"
        )),
    }
}

fn parse_csv_time_column(text: &str) -> Result<TimeColumnSel, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(TimeColumnSel::None);
    }
    Ok(match parse_csv_column(text)? {
        ColumnSel::Name(n) => TimeColumnSel::Name(n),
        ColumnSel::Index(i) => TimeColumnSel::Index(i),
    })
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        "space" => Ok(b' '),
        t if t.len() == 1 && t != "\n" && t != "\r" && t != "\"" => Ok(t.as_bytes()[0]),
        t => Err(format!(
            "delimiter {t:?}: use one character such as `,` `;` `|`, or `tab`"
        )),
    }
}

fn parse_decimal(text: &str) -> Result<u8, String> {
    match text {
        "." | "," => Ok(text.as_bytes()[0]),
        t => Err(format!("decimal separator {t:?}: use `.` or `,`")),
    }
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
/// segment dropped), computed in f64 whatever the input type. Prints the rate, resolution,
/// ENBW, segments, the strongest peaks, the noise floor, and SNR/THD/SINAD/SFDR/ENOB of the
/// strongest tone, per channel. Reads the file once, in chunks, on all cores; memory is a
/// few batches of samples plus nfft-sized buffers per thread, whatever the file size.
/// Without a sample rate, frequencies are in cycles/sample.
///
/// --json keys: path, samples, sample_rate, frequency_unit, nfft, overlap, window,
/// detrend, scaling, average, resolution, enbw, enbw_bins, segments, level_unit, channels:
/// [{channel, peaks: [{freq, level_db, power_db}], noise_floor_db, tone: {freq, level_db,
/// power_db, snr_db, thd_db, sinad_db, sfdr_db, enob, spur_freq, harmonics: [{order, freq,
/// dbc}]} or null}]. Conventions: docs/fft.md.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit fft capture.npy
  tracekit fft --nfft 65536 --window flattop --scaling spectrum capture.npy
  tracekit fft capture.npy -o spectrum.csv --plot spectrum.svg
  tracekit slice 1ms..2ms big.npy -o - | tracekit fft --json - | jq '.channels[0].peaks'")]
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
    ///
    /// Periodic, as scipy.signal.get_window. A tone owns the main lobe around its peak bin
    /// in every metric: ±1 bin (rect), ±2 (hann, hamming), ±3 (blackman), ±4
    /// (blackman-harris), ±5 (flattop), ±ceil(sqrt(1+(β/π)²)) (kaiser). Use flattop with
    /// --scaling spectrum to read amplitudes (a tone of amplitude A reads A²/2 within 0.01 dB).
    #[arg(long, default_value = "hann", value_parser = parse_window, value_name = "W")]
    pub window: WindowKind,

    /// Remove each segment's mean before windowing, or not
    #[arg(long, value_enum, default_value_t = Detrend::Mean)]
    pub detrend: Detrend,

    /// density: V²/Hz; spectrum: V² (reads a tone's power A²/2)
    #[arg(long, value_enum, default_value_t = Scaling::Density)]
    pub scaling: Scaling,

    /// Combine segments by mean (Welch) or max (max-hold)
    #[arg(long, value_enum, default_value_t = Average::Mean)]
    pub average: Average,

    /// How many peaks to list (strongest first)
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub peaks: usize,

    /// Only this range of samples
    #[arg(long, value_parser = units::parse_range, value_name = "RANGE")]
    pub range: Option<RangeSpec>,

    /// Only this channel (0-based); default all
    #[arg(long, value_name = "K")]
    pub channel: Option<usize>,

    /// Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)
    ///
    /// One row per bin, k·fs/nfft for k = 0..=nfft/2. Several channels: the columns are
    /// freq_hz, then power_K,power_db_K for each channel K. Without a sample rate the first
    /// column is freq_cycles_per_sample.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Draw the spectrum in dB with the peaks marked (.svg; PNG is not supported)
    #[arg(long, value_name = "FILE.svg")]
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

// The dsp enums cannot derive clap's ValueEnum (dsp never imports clap), so the flags map
// onto them here, at the boundary.
impl From<Detrend> for welch::Detrend {
    fn from(d: Detrend) -> Self {
        match d {
            Detrend::Mean => welch::Detrend::Mean,
            Detrend::None => welch::Detrend::None,
        }
    }
}

impl From<Scaling> for welch::Scaling {
    fn from(s: Scaling) -> Self {
        match s {
            Scaling::Density => welch::Scaling::Density,
            Scaling::Spectrum => welch::Scaling::Spectrum,
        }
    }
}

impl From<Average> for welch::Average {
    fn from(a: Average) -> Self {
        match a {
            Average::Mean => welch::Average::Mean,
            Average::Max => welch::Average::Max,
        }
    }
}

/// Framing shared by decode-uart and generate uart.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "UART framing")]
pub struct UartFraming {
    /// Data bits per frame (5..9)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u8).range(5..=9))]
    pub bits: u8,

    /// Parity bit after the data bits
    #[arg(long, value_enum, default_value_t = ParityArg::None)]
    pub parity: ParityArg,

    /// Stop bits: 1, 1.5 or 2
    #[arg(long, default_value = "1", value_parser = parse_stop_bits)]
    pub stop: StopBits,

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

impl UartFraming {
    /// The frame format the decoder and the generator share.
    pub fn config(&self) -> UartConfig {
        UartConfig {
            data_bits: self.bits,
            parity: match self.parity {
                ParityArg::None => Parity::None,
                ParityArg::Odd => Parity::Odd,
                ParityArg::Even => Parity::Even,
                ParityArg::Mark => Parity::Mark,
                ParityArg::Space => Parity::Space,
            },
            stop_bits: self.stop,
            msb_first: self.msb_first,
            invert: self.invert,
        }
    }
}

/// Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok.
///
/// Input: 0/1 logic samples (u8, bool, or integers holding only 0 and 1), bit N of integer
/// words (--bit N), or analog samples through a Schmitt trigger (float input, or any input
/// with --threshold). --threshold auto (the default for float input) and --baud auto each
/// read the capture once more before decoding, so they need a file, not stdin. The decoding
/// is one streaming pass in constant memory; idle line is skipped at memory speed. Output
/// is streamed to stdout; a summary (frames, errors, baud and threshold used) goes to
/// stderr. See docs/uart.md for the sampling rule and the estimators.
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

    /// Analog input: hysteresis in volts around the threshold (default 0, or the auto one)
    #[arg(long, value_name = "V")]
    pub hysteresis: Option<f64>,

    /// Logic input: the line is bit N of each integer sample
    #[arg(long, value_name = "N", conflicts_with = "threshold")]
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
    /// What to synthesise: tones (+noise), noise, a square wave, or a UART line
    #[arg(value_enum)]
    pub kind: SignalKind,

    /// Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Samples per channel (default 1M; uart: the message once, idle before and after)
    ///
    /// For uart, a --samples longer than the message repeats the message until the file
    /// is full; a shorter one cuts it.
    #[arg(long, value_parser = units::parse_count, value_name = "N")]
    pub samples: Option<u64>,

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
    #[arg(long, default_value_t = 0.0, value_parser = parse_noise, value_name = "RMS")]
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
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "FRAC",
        allow_hyphen_values = true
    )]
    pub baud_error: f64,

    /// uart: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)
    #[arg(long)]
    pub logic: bool,

    /// With `-o -`, write bare samples instead of a .npy stream
    #[arg(long, value_parser = parse_generate_to, value_name = "raw")]
    pub to: Option<RawStream>,
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
    /// The shell to write a completion script for
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

fn parse_slice_to(text: &str) -> Result<SliceTo, String> {
    if text.trim().eq_ignore_ascii_case("raw") {
        return Ok(SliceTo::Raw);
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

/// `generate --to raw`: bare samples on stdout instead of a .npy stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawStream;

fn parse_generate_to(text: &str) -> Result<RawStream, String> {
    match text.trim() {
        "raw" => Ok(RawStream),
        other => Err(format!(
            "--to {other}: generate only takes `--to raw` (bare samples on stdout)"
        )),
    }
}

fn parse_noise(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rms) if rms.is_finite() && rms >= 0.0 => Ok(rms),
        _ => Err(format!(
            "--noise {text}: the noise RMS must be a finite number ≥ 0"
        )),
    }
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
        Ok(n) if (16..=(1 << 28)).contains(&n) => Ok(n as usize),
        Ok(n) => Err(format!("nfft {n} is out of range; use 16..268435456")),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_stop_bits(text: &str) -> Result<StopBits, String> {
    match text.trim() {
        "1" => Ok(StopBits::One),
        "1.5" => Ok(StopBits::OneAndHalf),
        "2" => Ok(StopBits::Two),
        _ => Err(format!("'{text}' stop bits; use 1, 1.5 or 2")),
    }
}

fn parse_baud(text: &str) -> Result<BaudArg, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(BaudArg::Auto);
    }
    units::parse_rate(text)
        .map(BaudArg::Rate)
        .map_err(|e| e.to_string())
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
    let a: f64 = a
        .trim()
        .parse()
        .map_err(|_| format!("'{a}' is not an amplitude"))?;
    Ok((f, a))
}

fn parse_window(text: &str) -> Result<WindowKind, String> {
    text.parse()
        .map_err(|e: crate::dsp::DspError| e.to_string())
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
        let cli =
            Cli::try_parse_from(["tracekit", "slice", "-1M..", "x.npy", "-o", "y.npy"]).unwrap();
        let Command::Slice(args) = cli.command else {
            panic!("not slice")
        };
        assert_eq!(args.range.text, "-1M..");
        assert_eq!(args.input.file, Some(PathBuf::from("x.npy")));
    }

    #[test]
    fn slice_to_takes_raw_and_types() {
        assert_eq!(parse_slice_to("raw"), Ok(SliceTo::Raw));
        assert_eq!(parse_slice_to("float32"), Ok(SliceTo::Type(DType::F32)));
        assert_eq!(parse_slice_to("|u1"), Ok(SliceTo::Type(DType::U8)));
        let foreign = if cfg!(target_endian = "little") {
            ">i2"
        } else {
            "<i2"
        };
        assert!(parse_slice_to(foreign).unwrap_err().contains("byte order"));
        assert!(parse_slice_to("complex64").is_err());
    }

    #[test]
    fn chunk_zero_is_a_usage_error() {
        assert!(Cli::try_parse_from(["tracekit", "stats", "--chunk", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "nan", "x.npy"]).is_err());
    }
}
