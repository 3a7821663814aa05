//! `tracekit generate`.

use super::UartFraming;
use super::generate_bus::BusGenArgs;
use super::input::{parse_channels, parse_dtype_only};
use crate::sample::DType;
use crate::units;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Write synthetic captures for demos, tests and benchmarks; any size, constant memory.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit generate tone --tone 1kHz:1 --tone 3kHz:0.01 -r 1M --samples 10M -o tone.npy
  tracekit generate noise --noise 0.5 --samples 1Gi --seed 7 -o noise.f32
  tracekit generate square --freq 1k --samples 1M -o clock.npy
  tracekit generate uart --text 'Hello' --baud 115200 -r 1M --logic -o uart.npy
  tracekit generate spi --words 12,3456,789a --wordsize 16 --cpha 1 -r 10M --logic -o spi.npy
  tracekit generate i2c --transaction w:52:4000a5:rs --transaction r:52:1122 -o i2c.npy
  tracekit generate can --frame 123#DEADBEEF --frame 321##1AABB --frame 100#01!crc -r 10M -o can.npy
  tracekit generate lin --frame 10#0102!checksum --baud 19200 -o lin.npy
  tracekit generate onewire --frame cc44 --frame 33!no-presence -o ow.npy

Bus captures have one channel per signal in the decoder's order (spi: CLK, MISO, MOSI,
CS#; i2c: SCL, SDA); analog unless --logic (add --noise, --rise/--fall, --ring).
See docs/generate.md.")]
pub struct GenerateArgs {
    /// What to synthesise: tones (+noise), noise, a square wave, or a bus (uart, spi, i2c,
    /// can, lin, onewire)
    #[arg(value_enum)]
    pub kind: SignalKind,

    /// Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Samples per channel (default 1M; buses: the message once, idle before and after)
    ///
    /// For the buses, a --samples longer than the message repeats the message until the
    /// file is full; a shorter one cuts it.
    #[arg(long, value_parser = units::parse_count, value_name = "N")]
    pub samples: Option<u64>,

    /// Sample rate
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, default_value = "1M", value_name = "RATE")]
    pub sample_rate: f64,

    /// Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25
    #[arg(long, value_parser = parse_tone, value_name = "F:A")]
    pub tone: Vec<(f64, f64)>,

    /// Frequency of the square wave
    #[arg(long, value_parser = parse_freq, default_value = "1k", value_name = "F")]
    pub freq: f64,

    /// Amplitude of the square wave (it swings ±A)
    #[arg(long, default_value_t = 1.0, value_parser = parse_amplitude, value_name = "A")]
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

    /// uart (spi: the MOSI bytes): the text to send
    #[arg(long, value_name = "T", conflicts_with = "bytes_file")]
    pub text: Option<String>,

    /// uart: send this file's bytes
    #[arg(long, value_name = "F")]
    pub bytes_file: Option<PathBuf>,

    /// uart, lin: baud rate (default uart 115200, lin 19200)
    #[arg(long, value_parser = units::parse_rate, value_name = "B")]
    pub baud: Option<f64>,

    #[command(flatten)]
    pub framing: UartFraming,

    /// Idle time between frames (uart, can, lin) or transfers (spi, i2c), in bit times
    /// (default uart 1, spi 2, i2c 2, can 20, lin 30)
    #[arg(long, value_name = "BITS")]
    pub gap: Option<f64>,

    /// uart: transmitter baud error as a fraction (0.03 = 3% fast)
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "FRAC",
        allow_hyphen_values = true
    )]
    pub baud_error: f64,

    /// uart: send frame K (from 0, repeats counted) with the wrong parity bit (repeatable)
    #[arg(long, value_name = "K", action = clap::ArgAction::Append)]
    pub parity_error: Vec<u64>,

    /// uart: send frame K's stop bits at space, a framing error (repeatable)
    #[arg(long, value_name = "K", action = clap::ArgAction::Append)]
    pub stop_error: Vec<u64>,

    /// uart: after frame K and its gap, hold a break for BITS bit times (repeatable)
    #[arg(long = "break", value_parser = parse_break, value_name = "K:BITS", action = clap::ArgAction::Append)]
    pub breaks: Vec<(u64, f64)>,

    #[command(flatten)]
    pub bus: BusGenArgs,

    /// Buses: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)
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
    Spi,
    I2c,
    Can,
    Lin,
    Onewire,
}

impl SignalKind {
    pub fn name(self) -> &'static str {
        match self {
            SignalKind::Tone => "tone",
            SignalKind::Noise => "noise",
            SignalKind::Square => "square",
            SignalKind::Uart => "uart",
            SignalKind::Spi => "spi",
            SignalKind::I2c => "i2c",
            SignalKind::Can => "can",
            SignalKind::Lin => "lin",
            SignalKind::Onewire => "onewire",
        }
    }

    /// A serial bus (one channel per signal, logic or analog levels).
    pub fn is_bus(self) -> bool {
        !matches!(
            self,
            SignalKind::Tone | SignalKind::Noise | SignalKind::Square
        )
    }
}

fn parse_break(text: &str) -> Result<(u64, f64), String> {
    let bad = || format!("--break {text}: use FRAME:BITS, e.g. 3:20");
    let (k, bits) = text.split_once(':').ok_or_else(bad)?;
    let k = k.trim().parse().map_err(|_| bad())?;
    match bits.trim().parse::<f64>() {
        Ok(b) if b.is_finite() && b > 0.0 => Ok((k, b)),
        _ => Err(bad()),
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

fn parse_tone(text: &str) -> Result<(f64, f64), String> {
    let (f, a) = text
        .split_once(':')
        .ok_or_else(|| format!("'{text}' is not a tone; use FREQ:AMPLITUDE, e.g. 1kHz:0.5"))?;
    let f = parse_freq(f)?;
    Ok((f, parse_amplitude(a)?))
}

fn parse_freq(text: &str) -> Result<f64, String> {
    units::parse_frequency(text, "frequency").map_err(|e| e.to_string())
}

/// A finite amplitude (NaN or infinity would fill the file with garbage).
fn parse_amplitude(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(a) if a.is_finite() => Ok(a),
        _ => Err(format!("'{text}' is not an amplitude: use a finite number")),
    }
}
