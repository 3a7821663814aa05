//! `tracekit decode-uart` and the UART framing `generate uart` shares.

use super::{InputArgs, RangeArgs, one_of};
use crate::dsp::decode::uart::{Parity, StopBits, UartConfig};
use crate::loader::ChannelRef;
use crate::output::uart::UartOutput;
use crate::units;
use clap::Args;

/// Framing shared by decode-uart and generate uart.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "UART framing")]
pub struct UartFraming {
    /// Data bits per frame (5..9)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u8).range(5..=9))]
    pub bits: u8,

    /// Parity bit after the data bits
    #[arg(long, default_value = "none", value_parser = one_of::<Parity>(Parity::NAMES))]
    pub parity: Parity,

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

impl UartFraming {
    /// The frame format the decoder and the generator share.
    pub fn config(&self) -> UartConfig {
        UartConfig {
            data_bits: self.bits,
            parity: self.parity,
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

    /// Channel of a multi-channel capture: 0-based index or name (CH1, C3)
    #[arg(long, default_value = "0", value_name = "K|NAME")]
    pub channel: ChannelRef,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)
    #[arg(long = "format", default_value = "text", value_parser = one_of::<UartOutput>(UartOutput::NAMES), value_name = "F")]
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
    units::parse_frequency(text, "baud rate")
        .map(BaudArg::Rate)
        .map_err(|e| e.to_string())
}

pub(super) fn parse_threshold(text: &str) -> Result<ThresholdArg, String> {
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
