//! The command line (SPEC §1-§4) as clap types. No I/O here: flags become typed values in
//! their `value_parser`, so commands never see strings.

mod completions;
mod convert;
mod convert_csv;
mod decode;
mod fft;
mod generate;
mod generate_bus;
mod info;
mod input;
mod measure;
mod plot;
mod slice;
mod stats;
mod uart;

pub use completions::CompletionsArgs;
pub use convert::ConvertArgs;
pub use convert_csv::ConvertCsvArgs;
pub use decode::{BusArgs, DecodeArgs, DecodeProtocol, SignalRef};
pub use fft::FftArgs;
pub use generate::{GenerateArgs, SignalKind};
pub use generate_bus::{parse_can_frame, parse_lin_frame, parse_onewire_frame};
pub use info::InfoArgs;
pub use input::{InputArgs, OutputArgs, RangeArgs};
pub use measure::{
    EdgeArg, EventFormat, FindArgs, LevelArgs, MeasureArgs, PolarityArg, RateBound, SpanBound,
};
pub use plot::{BusProtocol, BusSpec, DecodeSpec, PlotArgs, SpectrogramArgs, UartSpec};
pub use slice::{EventCutArgs, SliceArgs, SliceTo};
pub use stats::StatsArgs;
pub use uart::{BaudArg, DecodeUartArgs, ThresholdArg, UartFraming};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use std::str::FromStr;

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
  tracekit slice 1ms..2ms capture.npy -o - | tracekit fft -
  tracekit plot capture.npy -o wave.png";

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
    Plot(PlotArgs),
    Spectrogram(SpectrogramArgs),
    Slice(SliceArgs),
    Convert(ConvertArgs),
    #[command(name = "convert-csv")]
    ConvertCsv(ConvertCsvArgs),
    Decode(DecodeArgs),
    #[command(name = "decode-uart")]
    DecodeUart(DecodeUartArgs),
    Measure(MeasureArgs),
    Find(FindArgs),
    Generate(GenerateArgs),
    Completions(CompletionsArgs),
}

/// A flag whose value is one of an enum's names (see [`crate::named_enum!`]): clap lists the
/// names in `--help` and completions and parses straight into the enum.
fn one_of<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    PossibleValuesParser::new(names).try_map(|name| name.parse::<T>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::DType;
    use clap::CommandFactory;
    use std::path::PathBuf;

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
        use slice::parse_slice_to;
        assert_eq!(parse_slice_to("raw"), Ok(SliceTo::Raw));
        assert_eq!(parse_slice_to("float32"), Ok(SliceTo::Type(DType::F32)));
        assert_eq!(parse_slice_to("|u1"), Ok(SliceTo::Type(DType::U8)));
        let foreign = if cfg!(target_endian = "little") {
            ">i2"
        } else {
            "<i2"
        };
        assert!(parse_slice_to(foreign).unwrap_err().contains("byte order"));
        // Complex types name the components' type (issue 15); complex256 is not one.
        assert_eq!(
            parse_slice_to("complex64"),
            Ok(SliceTo::Complex(DType::F32))
        );
        assert_eq!(parse_slice_to("ci16"), Ok(SliceTo::Complex(DType::I16)));
        assert!(parse_slice_to("complex256").is_err());
    }

    #[test]
    fn chunk_zero_is_a_usage_error() {
        assert!(Cli::try_parse_from(["tracekit", "stats", "--chunk", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "0", "x.npy"]).is_err());
        assert!(Cli::try_parse_from(["tracekit", "stats", "-r", "nan", "x.npy"]).is_err());
    }
}
