//! `tracekit decode PROTOCOL FILE`: one subcommand per protocol, options named as sigrok's
//! decoders name them, signals by channel name or index.

use super::uart::{ThresholdArg, parse_threshold};
use super::{DecodeUartArgs, InputArgs, RangeArgs, one_of};
use crate::dsp::decode::can::CanConfig;
use crate::dsp::decode::i2c::{AddressFormat, I2cConfig};
use crate::dsp::decode::lin::{LinConfig, LinVersion};
use crate::dsp::decode::onewire::OneWireConfig;
use crate::dsp::decode::spi::{BitOrder, CsPolarity, SpiConfig};
use crate::loader::ChannelRef;
use crate::output::decode::DecodeOutput;
use crate::units;
use clap::{Args, Subcommand};

/// Decode a bus protocol exactly as sigrok does, from logic or analog channels.
///
/// Every decoder is one streaming pass in constant memory, whatever the capture size;
/// idle stretches are skipped at memory speed. Signals are channels given by name or
/// 0-based index (`--clk CLK`, `--sda 3`), `CHANNEL:N` for bit N of an integer channel.
/// Analog channels (float samples, scope codes, or any channel with --threshold) go through
/// a Schmitt trigger; `--threshold auto` finds each channel's levels in a first pass.
/// Records stream to stdout; a summary goes to stderr. See docs/decode.md.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    #[command(subcommand)]
    pub protocol: DecodeProtocol,
}

#[derive(Debug, Subcommand)]
pub enum DecodeProtocol {
    /// UART (same as `tracekit decode-uart`)
    Uart(DecodeUartArgs),
    /// SPI: CLK, MOSI/MISO, optional CS#
    Spi(SpiArgs),
    /// I²C: SCL, SDA
    I2c(I2cArgs),
    /// CAN 2.0A/B and CAN FD on the RX line (or a differential probe)
    Can(CanArgs),
    /// 1-Wire link layer: reset/presence, bit slots, bytes
    Onewire(OneWireArgs),
    /// LIN: break, sync, protected ID, data, checksum
    Lin(LinArgs),
}

/// A signal: a channel by name or index, optionally one bit of it (`CH:3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRef {
    pub channel: ChannelRef,
    pub bit: Option<u32>,
}

fn parse_signal(text: &str) -> Result<SignalRef, String> {
    if let Some((channel, bit)) = text.rsplit_once(':')
        && !channel.is_empty()
        && !bit.is_empty()
        && bit.bytes().all(|b| b.is_ascii_digit())
    {
        let bit = bit
            .parse()
            .map_err(|_| format!("'{bit}' is not a bit number"))?;
        return Ok(SignalRef {
            channel: channel.parse()?,
            bit: Some(bit),
        });
    }
    Ok(SignalRef {
        channel: text.parse()?,
        bit: None,
    })
}

/// `--threshold V|auto` for every analog signal, or `SIGNAL=V|auto` for one.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdSpec {
    pub signal: Option<String>,
    pub value: ThresholdArg,
}

fn parse_threshold_spec(text: &str) -> Result<ThresholdSpec, String> {
    match text.split_once('=') {
        Some((signal, value)) => Ok(ThresholdSpec {
            signal: Some(signal.trim().to_ascii_lowercase()),
            value: parse_threshold(value)?,
        }),
        None => Ok(ThresholdSpec {
            signal: None,
            value: parse_threshold(text)?,
        }),
    }
}

/// What every bus decoder shares: input, range, analog front end, output.
#[derive(Debug, Args)]
pub struct BusArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Analog signals: threshold in volts or `auto` (levels found per channel); repeat as
    /// SIGNAL=V|auto for one signal (`--threshold scl=1.2`)
    #[arg(long, value_parser = parse_threshold_spec, value_name = "[SIG=]V|auto", action = clap::ArgAction::Append)]
    pub threshold: Vec<ThresholdSpec>,

    /// Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)
    #[arg(long, value_name = "V")]
    pub hysteresis: Option<f64>,

    /// Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test's
    /// `.output` lines)
    #[arg(long = "format", default_value = "text", value_parser = one_of::<DecodeOutput>(DecodeOutput::NAMES), value_name = "F")]
    pub output_format: DecodeOutput,

    /// --format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A
    #[arg(long, value_delimiter = ',', value_name = "CLASS,...")]
    pub annotations: Vec<String>,
}

impl BusArgs {
    /// The threshold for `signal`: its own `--threshold SIGNAL=...`, else the bare one.
    pub fn threshold_for(&self, signal: &str) -> Option<ThresholdArg> {
        self.threshold
            .iter()
            .find(|t| t.signal.as_deref() == Some(signal))
            .or_else(|| self.threshold.iter().find(|t| t.signal.is_none()))
            .map(|t| t.value)
    }

    /// Every `--threshold SIGNAL=...` names one of `present` (the signals given).
    pub fn check_threshold_signals(&self, present: &[&str]) -> Result<(), String> {
        match self
            .threshold
            .iter()
            .filter_map(|t| t.signal.as_deref())
            .find(|t| !present.contains(t))
        {
            Some(t) => Err(format!(
                "--threshold {t}=...: no signal {t} here (signals: {})",
                present.join(", ")
            )),
            None => Ok(()),
        }
    }
}

const EXAMPLES_SPI: &str = "Examples:
  tracekit decode spi capture.sr --clk CLK --mosi MOSI --miso MISO --cs CS#
  tracekit decode spi scope.wfm --clk CH1 --mosi CH2 --threshold auto --cpol 1 --cpha 1
  tracekit decode spi capture.sr --clk 0 --mosi 2 --wordsize 16 --format sigrok

Here --format names the output; the input format is --input-format.";

/// Decode SPI: CPOL/CPHA modes 0-3, any word size, CS# optional.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES_SPI)]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct SpiArgs {
    #[command(flatten)]
    pub bus: BusArgs,

    /// Clock signal
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub clk: SignalRef,
    /// Master out, slave in
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub mosi: Option<SignalRef>,
    /// Master in, slave out
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub miso: Option<SignalRef>,
    /// Chip select (absent: one endless transfer)
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub cs: Option<SignalRef>,

    #[command(flatten)]
    pub mode: SpiModeArgs,
}

impl SpiArgs {
    pub fn config(&self) -> SpiConfig {
        self.mode.config()
    }
}

/// SPI's mode and framing options, shared by `decode spi` and `generate spi` (which writes
/// what the decoder reads with the same options).
#[derive(Debug, Args)]
pub struct SpiModeArgs {
    /// spi: clock polarity (CLK idle level)
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub cpol: u8,
    /// spi: clock phase (0: data read on the leading edge, 1: on the trailing edge)
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub cpha: u8,
    /// spi: bit order on the wire
    #[arg(long, default_value = "msb-first", value_parser = ["msb-first", "lsb-first"])]
    pub bitorder: String,
    /// spi: bits per word (1..65536)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub wordsize: u32,
    /// spi: CS# level that selects the device
    #[arg(long, default_value = "active-low", value_parser = ["active-low", "active-high"])]
    pub cs_polarity: String,
}

impl SpiModeArgs {
    pub fn config(&self) -> SpiConfig {
        SpiConfig {
            cpol: self.cpol,
            cpha: self.cpha,
            bitorder: if self.bitorder == "lsb-first" {
                BitOrder::LsbFirst
            } else {
                BitOrder::MsbFirst
            },
            wordsize: self.wordsize,
            cs_polarity: if self.cs_polarity == "active-high" {
                CsPolarity::ActiveHigh
            } else {
                CsPolarity::ActiveLow
            },
        }
    }
}

/// Decode I²C: START/repeated START/STOP, 7- and 10-bit addresses, data, ACK/NACK.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit decode i2c capture.sr --scl SCL --sda SDA
  tracekit decode i2c scope.isf --scl CH1 --sda CH2 --threshold auto --format json
  tracekit decode i2c capture.sr --scl 0 --sda 1 --format bytes | xxd

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct I2cArgs {
    #[command(flatten)]
    pub bus: BusArgs,

    /// Clock signal
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub scl: SignalRef,
    /// Data signal
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub sda: SignalRef,
    /// Show the first address byte without (shifted) or with (unshifted) the R/W bit
    #[arg(long, default_value = "shifted", value_parser = ["shifted", "unshifted"])]
    pub address_format: String,
}

impl I2cArgs {
    pub fn config(&self) -> I2cConfig {
        I2cConfig {
            address_format: if self.address_format == "unshifted" {
                AddressFormat::Unshifted
            } else {
                AddressFormat::Shifted
            },
        }
    }
}

/// Decode CAN 2.0A/B and CAN FD frames: IDs, flags, DLC, data, CRC check, ACK, errors.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit decode can capture.sr --rx CAN_RX --bitrate 125k
  tracekit decode can scope.wfm --rx CH1 --threshold auto --bitrate 500k --fast-bitrate 2M

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct CanArgs {
    #[command(flatten)]
    pub bus: BusArgs,

    /// CAN RX line (or a differential probe: dominant = low after the threshold)
    #[arg(long, visible_alias = "can-rx", value_parser = parse_signal, value_name = "CH")]
    pub rx: SignalRef,
    /// Nominal (arbitration) bit rate, bit/s (sigrok's nominal_bitrate)
    #[arg(long, visible_alias = "nominal-bitrate", default_value = "1M", value_parser = parse_bitrate, value_name = "BPS")]
    pub bitrate: f64,
    /// CAN FD data-phase bit rate of BRS frames, bit/s
    #[arg(long, default_value = "2M", value_parser = parse_bitrate, value_name = "BPS")]
    pub fast_bitrate: f64,
    /// Sample point, percent of the bit time
    #[arg(long, default_value_t = 70.0, value_name = "PCT")]
    pub sample_point: f64,
}

impl CanArgs {
    pub fn config(&self) -> CanConfig {
        CanConfig {
            nominal_bitrate: self.bitrate,
            fast_bitrate: self.fast_bitrate,
            sample_point: self.sample_point,
        }
    }
}

/// Decode the 1-Wire link layer: reset/presence, bit slots (standard and overdrive), bytes.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit decode onewire capture.sr --owr 0
  tracekit decode onewire capture.sr --owr OWR --format sigrok --annotations reset,presence

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct OneWireArgs {
    #[command(flatten)]
    pub bus: BusArgs,

    /// The 1-Wire bus line
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub owr: SignalRef,
    /// Start in overdrive speed
    #[arg(long)]
    pub overdrive: bool,
}

impl OneWireArgs {
    pub fn config(&self) -> OneWireConfig {
        OneWireConfig {
            overdrive: self.overdrive,
            ..OneWireConfig::default()
        }
    }
}

/// Decode LIN: break, sync, protected ID with parity check, data, checksum.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit decode lin capture.sr --rx 0 --baud 19200
  tracekit decode lin capture.sr --rx LIN --lin-version 1 --format json

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct LinArgs {
    #[command(flatten)]
    pub bus: BusArgs,

    /// The LIN bus line (as received: idle high)
    #[arg(long, value_parser = parse_signal, value_name = "CH")]
    pub rx: SignalRef,
    /// Baud rate (the UART under LIN: 8N1)
    #[arg(long, default_value = "19200", value_parser = parse_bitrate, value_name = "B")]
    pub baud: f64,
    /// LIN version: 1 = classic checksum, 2 = enhanced (sigrok's version option)
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub lin_version: u8,
}

impl LinArgs {
    pub fn config(&self) -> LinConfig {
        LinConfig {
            baud: self.baud,
            version: if self.lin_version == 1 {
                LinVersion::V1
            } else {
                LinVersion::V2
            },
        }
    }
}

fn parse_bitrate(text: &str) -> Result<f64, String> {
    units::parse_frequency(text, "bit rate").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_take_names_indices_and_bits() {
        let s = parse_signal("CS#").unwrap();
        assert_eq!(s.channel, ChannelRef::Name("CS#".into()));
        assert_eq!(s.bit, None);
        let s = parse_signal("3").unwrap();
        assert_eq!(s.channel, ChannelRef::Index(3));
        let s = parse_signal("0:5").unwrap();
        assert_eq!((s.channel, s.bit), (ChannelRef::Index(0), Some(5)));
        let s = parse_signal("D:x").unwrap();
        assert_eq!(s.channel, ChannelRef::Name("D:x".into()));
    }

    #[test]
    fn thresholds_apply_to_all_or_one_signal() {
        let t = parse_threshold_spec("auto").unwrap();
        assert_eq!((t.signal, t.value), (None, ThresholdArg::Auto));
        let t = parse_threshold_spec("SCL=1.5").unwrap();
        assert_eq!(
            (t.signal, t.value),
            (Some("scl".into()), ThresholdArg::Volts(1.5))
        );
        assert!(parse_threshold_spec("scl=x").is_err());
    }
}
