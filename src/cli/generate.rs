//! `tracekit generate`.

use super::UartFraming;
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
