//! `tracekit plot` and `tracekit spectrogram`.

use super::fft::{parse_nfft, parse_window};
use super::{InputArgs, RangeArgs, one_of};
use crate::dsp::decode::can::CanConfig;
use crate::dsp::decode::i2c::I2cConfig;
use crate::dsp::decode::lin::{LinConfig, LinVersion};
use crate::dsp::decode::onewire::OneWireConfig;
use crate::dsp::decode::spi::SpiConfig;
use crate::dsp::decode::uart::{Parity, StopBits, UartConfig};
use crate::dsp::welch::{Detrend, Scaling};
use crate::dsp::window::WindowKind;
use crate::loader::ChannelRef;
use crate::output::plot::Format;
use crate::units::{self, Overlap};
use clap::Args;
use std::path::PathBuf;

/// Draw the waveform of a whole capture (or --range) as PNG or SVG, in one pass.
///
/// Every pixel column shows the smallest and largest sample of its time span (so a glitch
/// of one sample in billions shows at full height) and their mean as a darker line: one
/// streaming pass on all cores, exact whatever --chunk, at about the speed of `stats`.
/// Zoomed in so far that samples are fewer than pixel columns, the samples themselves are
/// drawn, joined, with a dot each when they are sparse. Several --channel: stacked lanes,
/// each with its name and unit; logic channels (bool, or integers that are all 0/1) as
/// digital lanes. Axes in engineering units (ms, µs, mV), time from the file's t0.
/// --decode overlays decoded frames as labelled boxes where they are wide enough to read
/// (one more pass over the range). The output is PNG or SVG by its extension (or
/// --format); `-o -` writes a PNG to stdout. See docs/plot.md.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit plot capture.npy -o wave.png
  tracekit plot --range 2.5ms..3.7ms capture.npy -o zoom.svg
  tracekit plot --channel 0,2 --width 2400 --height 1200 scope.h5 -o lanes.png
  tracekit plot uart.npy --decode uart:baud=115200 --range 0..2ms -o frames.png
  tracekit plot big.npy -o - | display

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct PlotArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output picture: .png or .svg; - writes a PNG to stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Output format, instead of the extension's
    #[arg(long = "format", value_parser = one_of::<Format>(Format::NAMES), value_name = "F")]
    pub output_format: Option<Format>,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Channels to draw, top to bottom: 0-based indices or names (CH1,CH3), comma-separated
    /// or repeated; default all
    #[arg(long, value_name = "K|NAME", value_delimiter = ',')]
    pub channel: Vec<ChannelRef>,

    #[command(flatten)]
    pub size: SizeArgs,

    /// Overlay decoded frames: uart:baud=B[,channel=K,...], spi:clk=K[,mosi=K,miso=K,cs=K,...],
    /// i2c:scl=K,sda=K, can:rx=K,bitrate=B, onewire:owr=K, lin:rx=K,baud=B
    ///
    /// A labelled box per frame (`0x48 'H'`, errors marked) along the top of the decoded
    /// channel's lane, drawn where it is at least 3 pixels wide and labelled where the text
    /// fits: zoom in with --range to read them. uart: options baud, channel (default the
    /// first one drawn), bits, parity, stop, msb-first, invert. Buses: the signals as
    /// channel indices (which must be drawn) and the decoder's options: spi cpol, cpha,
    /// wordsize, bitorder, cs-polarity (boxes per word on the MOSI lane, else MISO, `MOSI/MISO`
    /// labels); i2c address-format (boxes per byte on SDA: `W 0x52`, data, `NACK`); can
    /// bitrate, fast-bitrate, sample-point (a box per frame, `ID: data errors`); onewire
    /// overdrive (resets, presence, bytes); lin baud, version (a box per frame). All:
    /// threshold=V. Analog channels go through a Schmitt trigger at `threshold` volts (default:
    /// measured from the data, one more pass). Costs one more pass over the range.
    #[arg(long, value_parser = parse_decode, value_name = "SPEC")]
    pub decode: Option<DecodeSpec>,
}

/// Picture size, shared by plot and spectrogram.
#[derive(Debug, Clone, Args)]
pub struct SizeArgs {
    /// Picture width in pixels (200..16384)
    #[arg(long, default_value_t = 1600, value_parser = clap::value_parser!(u32).range(200..=16384), value_name = "PX")]
    pub width: u32,

    /// Picture height in pixels (200..16384)
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u32).range(200..=16384), value_name = "PX")]
    pub height: u32,
}

/// What `--decode` asks for; one variant per protocol.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeSpec {
    Uart(UartSpec),
    Bus(BusSpec),
}

/// `--decode uart:...`.
#[derive(Debug, Clone, PartialEq)]
pub struct UartSpec {
    pub baud: f64,
    /// The decoded channel; None: the first one drawn.
    pub channel: Option<usize>,
    pub config: UartConfig,
    /// Schmitt threshold for analog samples; None: measured.
    pub threshold: Option<f64>,
}

fn parse_decode(text: &str) -> Result<DecodeSpec, String> {
    let (protocol, options) = text.split_once(':').unwrap_or((text, ""));
    match protocol.trim() {
        "uart" => parse_uart(options).map(DecodeSpec::Uart),
        p @ ("spi" | "i2c" | "can" | "onewire" | "lin") => {
            parse_bus(p, options).map(DecodeSpec::Bus)
        }
        other => Err(format!(
            "--decode {other}: unknown protocol; use uart:baud=B[,channel=K,...], spi:clk=K,mosi=K,..., i2c:scl=K,sda=K, can:rx=K,bitrate=B, onewire:owr=K or lin:rx=K,baud=B"
        )),
    }
}

/// `--decode spi|i2c|can|onewire|lin:SIGNAL=K,...,OPTION=VALUE,...`.
#[derive(Debug, Clone, PartialEq)]
pub struct BusSpec {
    pub protocol: BusProtocol,
    /// The channel of each of the decoder's signals, in its order (None: not given).
    pub signals: Vec<Option<usize>>,
    /// Schmitt threshold for analog samples; None: measured.
    pub threshold: Option<f64>,
}

/// A bus decoder with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum BusProtocol {
    Spi(SpiConfig),
    I2c(I2cConfig),
    Can(CanConfig),
    Onewire(OneWireConfig),
    Lin(LinConfig),
}

impl BusProtocol {
    /// The decoder's signals, in its order, and which of them must be given.
    pub fn signals(&self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            BusProtocol::Spi(_) => (&["clk", "miso", "mosi", "cs"], &["clk"]),
            BusProtocol::I2c(_) => (&["scl", "sda"], &["scl", "sda"]),
            BusProtocol::Can(_) | BusProtocol::Lin(_) => (&["rx"], &["rx"]),
            BusProtocol::Onewire(_) => (&["owr"], &["owr"]),
        }
    }

    /// The signal whose lane carries the boxes, by preference among those given.
    pub fn label_signals(&self) -> &'static [&'static str] {
        match self {
            BusProtocol::Spi(_) => &["mosi", "miso", "clk"],
            BusProtocol::I2c(_) => &["sda"],
            BusProtocol::Can(_) | BusProtocol::Lin(_) => &["rx"],
            BusProtocol::Onewire(_) => &["owr"],
        }
    }
}

fn parse_bus(protocol: &str, options: &str) -> Result<BusSpec, String> {
    let mut p = match protocol {
        "spi" => BusProtocol::Spi(SpiConfig::default()),
        "i2c" => BusProtocol::I2c(I2cConfig::default()),
        "can" => BusProtocol::Can(CanConfig::default()),
        "onewire" => BusProtocol::Onewire(OneWireConfig::default()),
        _ => BusProtocol::Lin(LinConfig::default()),
    };
    let (names, required) = p.signals();
    let mut spec = BusSpec {
        protocol: p.clone(),
        signals: vec![None; names.len()],
        threshold: None,
    };
    for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        let bad = |why: String| format!("--decode {protocol}: {key}={value}: {why}");
        if let Some(i) = names.iter().position(|n| *n == key) {
            spec.signals[i] = Some(
                value
                    .parse()
                    .map_err(|_| bad("not a channel index".into()))?,
            );
            continue;
        }
        if key == "threshold" {
            match value.trim_end_matches('V').parse::<f64>() {
                Ok(v) if v.is_finite() => spec.threshold = Some(v),
                _ => return Err(bad("use volts (1.65)".into())),
            }
            continue;
        }
        let rate = |what| units::parse_frequency(value, what).map_err(|e| bad(e.to_string()));
        let sigrok_name = key.replace('-', "_");
        match &mut p {
            BusProtocol::Spi(c) => c
                .set_option(&sigrok_name, value)
                .map_err(|e| bad(e.to_string()))?,
            BusProtocol::I2c(c) => c
                .set_option(&sigrok_name, value)
                .map_err(|e| bad(e.to_string()))?,
            BusProtocol::Can(c) => match key {
                "bitrate" | "nominal-bitrate" => c.nominal_bitrate = rate("bit rate")?,
                "fast-bitrate" => c.fast_bitrate = rate("bit rate")?,
                "sample-point" => {
                    c.sample_point = value.parse().map_err(|_| bad("a percentage".into()))?
                }
                _ => {
                    return Err(bad(
                        "options: rx, bitrate, fast-bitrate, sample-point, threshold".into(),
                    ));
                }
            },
            BusProtocol::Onewire(c) => match key {
                "overdrive" => c.overdrive = true,
                _ => return Err(bad("options: owr, overdrive, threshold".into())),
            },
            BusProtocol::Lin(c) => match (key, value) {
                ("baud", _) => c.baud = rate("baud rate")?,
                ("version", "1") => c.version = LinVersion::V1,
                ("version", "2") => c.version = LinVersion::V2,
                _ => return Err(bad("options: rx, baud, version=1|2, threshold".into())),
            },
        }
    }
    for (name, slot) in names.iter().zip(&spec.signals) {
        if slot.is_none() && required.contains(name) {
            return Err(format!(
                "--decode {protocol} needs its {name} channel: {protocol}:{name}=K,..."
            ));
        }
    }
    spec.protocol = p;
    Ok(spec)
}

fn parse_uart(options: &str) -> Result<UartSpec, String> {
    let mut spec = UartSpec {
        baud: 0.0,
        channel: None,
        config: UartConfig::default(),
        threshold: None,
    };
    for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        let bad = |why: String| format!("--decode uart: {key}={value}: {why}");
        match key {
            "baud" => {
                spec.baud =
                    units::parse_frequency(value, "baud rate").map_err(|e| bad(e.to_string()))?;
            }
            "channel" => {
                spec.channel = Some(value.parse().map_err(|_| bad("not a channel".into()))?);
            }
            "bits" => match value.parse::<u8>() {
                Ok(b) if (5..=9).contains(&b) => spec.config.data_bits = b,
                _ => return Err(bad("data bits must be 5..9".into())),
            },
            "parity" => {
                spec.config.parity = value.parse::<Parity>().map_err(|e| bad(e.to_string()))?
            }
            "stop" => {
                spec.config.stop_bits = match value {
                    "1" => StopBits::One,
                    "1.5" => StopBits::OneAndHalf,
                    "2" => StopBits::Two,
                    _ => return Err(bad("use 1, 1.5 or 2".into())),
                }
            }
            "msb-first" => spec.config.msb_first = true,
            "invert" => spec.config.invert = true,
            "threshold" => match value.trim_end_matches('V').parse::<f64>() {
                Ok(v) if v.is_finite() => spec.threshold = Some(v),
                _ => return Err(bad("use volts (1.65)".into())),
            },
            _ => {
                return Err(format!(
                    "--decode uart: unknown option {key:?}; use baud, channel, bits, parity, stop, msb-first, invert, threshold"
                ));
            }
        }
    }
    if spec.baud <= 0.0 {
        return Err("--decode uart needs the baud rate: uart:baud=115200".into());
    }
    Ok(spec)
}

/// Short-time power spectrum of a whole capture (or --range) as PNG or SVG, one pass.
///
/// The range maps onto the picture's pixel columns; each column is the Welch average (as
/// `fft`: periodic window, mean detrend, density or spectrum scaling) of the segments that
/// start in its time span, so a 10-hour file is one picture. Power in dB on a viridis
/// colour scale (--db-range, default the 5th to 99.9th percentile) with a colour bar.
/// Real input: frequencies 0 to fs/2; --iq I,Q takes two channels as the I and Q parts of
/// a complex signal: two-sided, centred, shifted by --center-freq. Memory: the matrix
/// (columns × (nfft/2+1) × 8 bytes) plus a few MiB. --csv/--npy write the dB matrix for
/// your own plotting. See docs/plot.md.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit spectrogram capture.npy -o spec.png
  tracekit spectrogram --nfft 4096 --db-range -140..-60 capture.npy -o spec.svg
  tracekit spectrogram --iq 0,1 --center-freq 433.92M sdr.npy -o iq.png
  tracekit spectrogram capture.npy --csv spec.csv

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct SpectrogramArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output picture: .png or .svg; - writes a PNG to stdout
    #[arg(short, long, value_name = "OUT", required_unless_present_any = ["csv", "npy"])]
    pub output: Option<PathBuf>,

    /// Output format, instead of the extension's
    #[arg(long = "format", value_parser = one_of::<Format>(Format::NAMES), value_name = "F")]
    pub output_format: Option<Format>,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Channel: a 0-based index or a name (CH1); default the first
    #[arg(long, value_name = "K|NAME", conflicts_with = "iq")]
    pub channel: Option<ChannelRef>,

    /// Complex input: channel I and channel Q (two-sided, centred spectrum)
    #[arg(long, value_name = "I,Q", value_parser = parse_iq)]
    pub iq: Option<(usize, usize)>,

    /// Added to the frequency axis (the tuning of an I/Q capture), e.g. 433.92M
    #[arg(long, value_name = "F", value_parser = parse_center)]
    pub center_freq: Option<f64>,

    /// Segment length, as fft (16 ≤ N ≤ 16Mi)
    #[arg(long, default_value_t = 1024, value_parser = parse_nfft, value_name = "N")]
    pub nfft: usize,

    /// Segment overlap: a percentage (50%) or samples
    #[arg(long, default_value = "50%", value_parser = units::parse_overlap, value_name = "P%|N")]
    pub overlap: Overlap,

    /// Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA
    #[arg(long, default_value = "hann", value_parser = parse_window, value_name = "W")]
    pub window: WindowKind,

    /// Remove each segment's mean before windowing, or not
    #[arg(long, default_value = "mean", value_parser = one_of::<Detrend>(Detrend::NAMES))]
    pub detrend: Detrend,

    /// density: V²/Hz; spectrum: V² (reads a tone's power A²/2)
    #[arg(long, default_value = "density", value_parser = one_of::<Scaling>(Scaling::NAMES))]
    pub scaling: Scaling,

    /// Colour scale LO..HI in dB (e.g. -120..-40); default from the 5th and 99.9th percentiles
    #[arg(long, value_name = "LO..HI", value_parser = parse_db_range, allow_hyphen_values = true)]
    pub db_range: Option<(f64, f64)>,

    #[command(flatten)]
    pub size: SizeArgs,

    /// Write the dB matrix as CSV: time_s, then one column per frequency (Hz)
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,

    /// Write the dB matrix as .npy: float32, shape (time columns, frequency rows)
    #[arg(long, value_name = "FILE.npy")]
    pub npy: Option<PathBuf>,
}

fn parse_iq(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once(',')
        .and_then(|(i, q)| Some((i.trim().parse().ok()?, q.trim().parse().ok()?)));
    match parsed {
        Some((i, q)) if i != q => Ok((i, q)),
        _ => Err(format!(
            "'{text}': give the I and Q channels as two different numbers, e.g. 0,1"
        )),
    }
}

fn parse_center(text: &str) -> Result<f64, String> {
    units::parse_frequency(text, "centre frequency").map_err(|e| e.to_string())
}

fn parse_db_range(text: &str) -> Result<(f64, f64), String> {
    let parsed = text.split_once("..").and_then(|(lo, hi)| {
        Some((
            lo.trim().parse::<f64>().ok()?,
            hi.trim().parse::<f64>().ok()?,
        ))
    });
    match parsed {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() && hi > lo => Ok((lo, hi)),
        _ => Err(format!(
            "'{text}' is not a dB range; use LO..HI with LO < HI, e.g. -120..-40"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_specs() {
        let Ok(DecodeSpec::Uart(u)) =
            parse_decode("uart:baud=9600,channel=2,bits=7,parity=even,stop=2,invert")
        else {
            panic!("a UART overlay spec");
        };
        assert_eq!(u.baud, 9600.0);
        assert_eq!(u.channel, Some(2));
        assert_eq!(u.config.data_bits, 7);
        assert_eq!(u.config.parity, Parity::Even);
        assert_eq!(u.config.stop_bits, StopBits::Two);
        assert!(u.config.invert && !u.config.msb_first);
        assert!(parse_decode("uart:channel=1").unwrap_err().contains("baud"));
        assert!(
            parse_decode("usb:baud=1")
                .unwrap_err()
                .contains("unknown protocol")
        );
        assert!(
            parse_decode("uart:baud=1k,bits=12")
                .unwrap_err()
                .contains("5..9")
        );
        assert!(
            parse_decode("uart:baud=1k,speed=3")
                .unwrap_err()
                .contains("unknown option")
        );
    }

    #[test]
    fn db_ranges_and_iq() {
        assert_eq!(parse_db_range("-120..-40"), Ok((-120.0, -40.0)));
        assert!(parse_db_range("-40..-120").is_err());
        assert!(parse_db_range("auto").is_err());
        assert_eq!(parse_iq("0,1"), Ok((0, 1)));
        assert!(parse_iq("1,1").is_err());
    }
}
