//! `tracekit generate spi|i2c|can|lin|onewire`: the bus flags (options named as the
//! decoders name them), the message specs (`--frame`, `--transaction`, `--words`) parsed
//! into the generators' types, the analog front end and the injected errors.

use crate::dsp::decode::can::DLC_LENGTHS;
use crate::dsp::decode::lin::LinVersion;
use crate::dsp::decode::spi::WordValue;
use crate::dsp::synth_bus::{AnalogConfig, GlitchConfig};
use crate::dsp::synth_can::{CanFrameSpec, Inject};
use crate::dsp::synth_i2c::{I2cAddress, I2cTransaction};
use crate::dsp::synth_lin::LinFrameSpec;
use crate::dsp::synth_onewire::OneWireOp;
use crate::units;
use clap::Args;

/// Flags of the bus generators (spi, i2c, can, lin, onewire).
#[derive(Debug, Args)]
pub struct BusGenArgs {
    /// spi/i2c: clock rate; can: nominal bit rate (defaults spi 1M, i2c 100k, can 500k)
    #[arg(long, value_parser = parse_bitrate, value_name = "BPS")]
    pub bitrate: Option<f64>,

    /// can: CAN FD data-phase bit rate of BRS frames
    #[arg(long, default_value = "2M", value_parser = parse_bitrate, value_name = "BPS")]
    pub fast_bitrate: f64,

    /// can: sample point, percent of the bit time (where the FD rate switches)
    #[arg(long, default_value_t = 70.0, value_name = "PCT")]
    pub sample_point: f64,

    /// can: ID#DATA (cansend style; ID#R remote, ID##F DATA for FD with flags F: 1 BRS,
    /// 2 ESI), optionally !crc !stuff !nack !crc-delimiter !ack-delimiter !eof;
    /// lin: ID#DATA with !parity !checksum; onewire: reset then HEX bytes, with
    /// !no-presence !overdrive (repeatable)
    ///
    /// CAN IDs of 3 hex digits or fewer are standard (11-bit), 8 digits extended. The DLC
    /// follows from the data length (FD lengths 12..64 pad to the next DLC size).
    #[arg(long, value_name = "SPEC", action = clap::ArgAction::Append)]
    pub frame: Vec<String>,

    /// i2c: w|r:ADDR[:HEX DATA][:rs][:nack=K] (repeatable): a write or read of ADDR
    /// (over 0x7f: 10-bit); rs = a repeated START instead of the STOP after it; nack=K =
    /// wire byte K (0 = the address) gets a NACK
    #[arg(long, value_parser = parse_transaction, value_name = "SPEC", action = clap::ArgAction::Append)]
    pub transaction: Vec<I2cTransaction>,

    /// i2c: probability that the slave stretches the clock before a byte
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub stretch_rate: f64,

    /// i2c: longest clock stretch, in bit times
    #[arg(long, default_value_t = 4.0, value_name = "BITS")]
    pub stretch: f64,

    /// spi: MOSI words, hex, comma-separated (default: the --text bytes)
    #[arg(long, value_parser = parse_word, value_delimiter = ',', value_name = "HEX,...")]
    pub words: Vec<WordValue>,

    /// spi: MISO words, hex, comma-separated (as many as MOSI's when both are given)
    #[arg(long, value_parser = parse_word, value_delimiter = ',', value_name = "HEX,...")]
    pub miso_words: Vec<WordValue>,

    #[command(flatten)]
    pub spi: super::decode::SpiModeArgs,

    /// spi: leave CS# asserted throughout (transfers only apart by --gap)
    #[arg(long)]
    pub no_cs: bool,

    /// spi: words per transfer (CS# deasserted between transfers)
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub words_per_transfer: u64,

    /// spi: idle clock between the words of a transfer, in bit times
    #[arg(long, default_value_t = 1.0, value_name = "BITS")]
    pub word_gap: f64,

    /// spi/i2c: put an extra clock pulse into bit K (counting every bit sent from 0): a
    /// framing error, one bit too many (repeatable)
    #[arg(long, value_name = "K", action = clap::ArgAction::Append)]
    pub clock_glitch: Vec<u64>,

    /// spi/i2c: probability of a harmless glitch on a data line in each step
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub glitch_rate: f64,

    /// spi/i2c: glitch width, in samples
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub glitch_width: u64,

    /// lin: 1 = classic checksum, 2 = enhanced
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub lin_version: u8,

    #[command(flatten)]
    pub analog: AnalogArgs,
}

/// The analog rendering of the bus generators' lines.
#[derive(Debug, Args)]
pub struct AnalogArgs {
    /// spi/i2c/can/lin/onewire analog: low level, volts
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "V",
        allow_hyphen_values = true
    )]
    pub low: f64,

    /// spi/i2c/can/lin/onewire analog: high level, volts
    #[arg(
        long,
        default_value_t = 3.3,
        value_name = "V",
        allow_hyphen_values = true
    )]
    pub high: f64,

    /// Analog: rising-edge time constant, in samples (I2C's pull-ups are slow)
    #[arg(long, default_value_t = 0.0, value_name = "SAMPLES")]
    pub rise: f64,

    /// Analog: falling-edge time constant, in samples
    #[arg(long, default_value_t = 0.0, value_name = "SAMPLES")]
    pub fall: f64,

    /// Analog: ringing after each edge, peak as a fraction of the swing
    #[arg(long, default_value_t = 0.0, value_name = "FRAC")]
    pub ring: f64,

    /// Analog: ringing period, in samples
    #[arg(long, default_value_t = 4.0, value_name = "SAMPLES")]
    pub ring_period: f64,

    /// Analog: ringing decay time constant, in samples
    #[arg(long, default_value_t = 4.0, value_name = "SAMPLES")]
    pub ring_decay: f64,
}

impl AnalogArgs {
    pub fn config(&self, noise_rms: f64) -> AnalogConfig {
        AnalogConfig {
            low: self.low,
            high: self.high,
            noise_rms,
            rise_samples: self.rise,
            fall_samples: self.fall,
            ring_amplitude: self.ring,
            ring_period: self.ring_period,
            ring_decay: self.ring_decay,
        }
    }
}

impl BusGenArgs {
    pub fn glitches(&self) -> GlitchConfig {
        GlitchConfig {
            rate: self.glitch_rate,
            width: self.glitch_width,
        }
    }

    pub fn lin_version(&self) -> LinVersion {
        if self.lin_version == 1 {
            LinVersion::V1
        } else {
            LinVersion::V2
        }
    }
}

fn parse_bitrate(text: &str) -> Result<f64, String> {
    units::parse_frequency(text, "bit rate").map_err(|e| e.to_string())
}

/// Hex digits (spaces, commas, `_` and a `0x` prefix allowed) as bytes.
fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '_' | '.'))
        .collect();
    let digits = digits.strip_prefix("0x").unwrap_or(&digits);
    if digits.len() % 2 == 1 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "'{text}' is not hex bytes (pairs of hex digits, e.g. 40 00 a5)"
        ));
    }
    Ok((0..digits.len() / 2)
        .map(|k| u8::from_str_radix(&digits[2 * k..2 * k + 2], 16).expect("hex digits"))
        .collect())
}

fn hex_u32(text: &str, what: &str) -> Result<u32, String> {
    let t = text.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    u32::from_str_radix(t, 16).map_err(|_| format!("'{text}' is not a hex {what}"))
}

/// A word of any width in hex (`0x` optional).
fn parse_word(text: &str) -> Result<WordValue, String> {
    let t = text.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("'{text}' is not a hex word"));
    }
    let limbs: Vec<u64> = t
        .as_bytes()
        .rchunks(16)
        .map(|c| u64::from_str_radix(std::str::from_utf8(c).expect("ascii"), 16).expect("hex"))
        .collect();
    Ok(WordValue::from_limbs(&limbs))
}

/// `w|r:ADDR[:DATA][:rs][:nack=K]`.
fn parse_transaction(text: &str) -> Result<I2cTransaction, String> {
    let bad =
        |why: &str| format!("--transaction {text}: {why}; use w|r:ADDR[:HEX DATA][:rs][:nack=K]");
    let mut parts = text.split(':');
    let read = match parts.next().map(str::trim) {
        Some("w" | "W") => false,
        Some("r" | "R") => true,
        _ => return Err(bad("it starts with w or r")),
    };
    let addr =
        hex_u32(parts.next().ok_or_else(|| bad("no address"))?, "address").map_err(|e| bad(&e))?;
    let address = match addr {
        0..=0x7f => I2cAddress::Seven(addr as u8),
        0x80..=0x3ff => I2cAddress::Ten(addr as u16),
        _ => return Err(bad("addresses go up to 0x3ff")),
    };
    let mut t = I2cTransaction {
        address,
        read,
        data: Vec::new(),
        acks: Vec::new(),
        repeated_start_next: false,
    };
    let mut nacks = Vec::new();
    for p in parts {
        let p = p.trim();
        if p == "rs" {
            t.repeated_start_next = true;
        } else if let Some(k) = p.strip_prefix("nack=") {
            nacks.push(
                k.parse::<usize>()
                    .map_err(|_| bad("nack=K takes a byte number"))?,
            );
        } else {
            t.data.extend(hex_bytes(p).map_err(|e| bad(&e))?);
        }
    }
    if !nacks.is_empty() {
        let mut acks = t.ack_pattern();
        for k in nacks {
            *acks.get_mut(k).ok_or_else(|| {
                bad(&format!(
                    "nack={k}: there are {} bytes on the wire",
                    t.wire_bytes().len()
                ))
            })? = false;
        }
        t.acks = acks;
    }
    Ok(t)
}

/// The spec and its `!` options.
fn split_options(text: &str) -> (&str, Vec<&str>) {
    let mut parts = text.split('!');
    let spec = parts.next().unwrap_or_default().trim();
    (spec, parts.map(str::trim).collect())
}

/// cansend's `ID#DATA`, `ID#R[DLC]`, `ID##FDATA`, plus `!ERROR`.
pub fn parse_can_frame(text: &str) -> Result<CanFrameSpec, String> {
    let bad = |why: &str| {
        format!(
            "--frame {text}: {why}; use ID#DATA, ID#R, or ID##F DATA for FD (cansend style), optionally !crc, !stuff, !nack, !crc-delimiter, !ack-delimiter or !eof"
        )
    };
    let (spec, options) = split_options(text);
    let (id, rest) = spec.split_once('#').ok_or_else(|| bad("no #"))?;
    let extended = id.trim().len() > 3;
    let id = hex_u32(id, "identifier").map_err(|e| bad(&e))?;
    let limit = if extended { 0x1fff_ffff } else { 0x7ff };
    if id > limit {
        return Err(bad(&format!("identifier {id:#x} is over {limit:#x}")));
    }
    let mut f = CanFrameSpec {
        id,
        extended,
        ..CanFrameSpec::default()
    };
    if let Some(fd) = rest.strip_prefix('#') {
        let mut chars = fd.chars();
        let flags = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or_else(|| bad("an FD frame has a flags digit after ##"))?;
        f.fd = true;
        f.brs = flags & 1 == 1;
        f.esi = flags & 2 == 2;
        f.data = hex_bytes(chars.as_str()).map_err(|e| bad(&e))?;
        f.dlc = DLC_LENGTHS
            .iter()
            .position(|&n| usize::from(n) >= f.data.len())
            .ok_or_else(|| bad("an FD frame carries at most 64 bytes"))? as u8;
    } else if let Some(dlc) = rest.strip_prefix(['R', 'r']) {
        f.remote = true;
        f.dlc = if dlc.is_empty() {
            0
        } else {
            dlc.parse()
                .ok()
                .filter(|&d| d <= 8)
                .ok_or_else(|| bad("a remote frame's DLC is 0..8"))?
        };
    } else {
        f.data = hex_bytes(rest).map_err(|e| bad(&e))?;
        if f.data.len() > 8 {
            return Err(bad(
                "a classic frame carries at most 8 bytes (FD: ID##F DATA)",
            ));
        }
        f.dlc = f.data.len() as u8;
    }
    for o in options {
        f.inject = Some(match o {
            "crc" => Inject::Crc,
            "stuff" => Inject::Stuff,
            "nack" => Inject::Nack,
            "crc-delimiter" => Inject::CrcDelimiter,
            "ack-delimiter" => Inject::AckDelimiter,
            "eof" => Inject::Eof,
            other => return Err(bad(&format!("no error '{other}'"))),
        });
    }
    Ok(f)
}

/// `ID#DATA` (6-bit ID in hex) plus `!parity`, `!checksum`.
pub fn parse_lin_frame(text: &str) -> Result<LinFrameSpec, String> {
    let bad = |why: &str| {
        format!("--frame {text}: {why}; use ID#DATA (ID 0..3f), optionally !parity or !checksum")
    };
    let (spec, options) = split_options(text);
    let (id, data) = spec.split_once('#').ok_or_else(|| bad("no #"))?;
    let id = hex_u32(id, "identifier").map_err(|e| bad(&e))?;
    if id > 0x3f {
        return Err(bad("a LIN identifier is 6 bits"));
    }
    let mut f = LinFrameSpec {
        id: id as u8,
        data: hex_bytes(data).map_err(|e| bad(&e))?,
        ..LinFrameSpec::default()
    };
    if f.data.len() > 8 {
        return Err(bad("a LIN frame carries at most 8 bytes"));
    }
    for o in options {
        match o {
            "parity" => f.bad_parity = true,
            "checksum" => f.bad_checksum = true,
            other => return Err(bad(&format!("no error '{other}'"))),
        }
    }
    Ok(f)
}

/// A reset, then the bytes: `HEX` plus `!no-presence`, `!overdrive`.
pub fn parse_onewire_frame(text: &str, ops: &mut Vec<OneWireOp>) -> Result<(), String> {
    let bad = |why: &str| {
        format!(
            "--frame {text}: {why}; use HEX bytes after a reset, optionally !no-presence or !overdrive (an overdrive-speed reset)"
        )
    };
    let (spec, options) = split_options(text);
    let (mut presence, mut standard) = (true, true);
    for o in options {
        match o {
            "no-presence" => presence = false,
            "overdrive" => standard = false,
            other => return Err(bad(&format!("no option '{other}'"))),
        }
    }
    ops.push(OneWireOp::Reset { presence, standard });
    for b in hex_bytes(spec).map_err(|e| bad(&e))? {
        ops.push(OneWireOp::Write(b));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_frames_read_like_cansend() {
        let f = parse_can_frame("123#DEADBEEF").unwrap();
        assert_eq!((f.id, f.extended, f.fd, f.dlc), (0x123, false, false, 4));
        assert_eq!(f.data, [0xde, 0xad, 0xbe, 0xef]);
        let f = parse_can_frame("01234567#R3!nack").unwrap();
        assert_eq!(
            (f.id, f.extended, f.remote, f.dlc),
            (0x1234567, true, true, 3)
        );
        assert_eq!(f.inject, Some(Inject::Nack));
        let f = parse_can_frame("321##1 55 55 55 55 55 55 55 55 55 55").unwrap();
        assert_eq!(
            (f.fd, f.brs, f.esi, f.dlc, f.data.len()),
            (true, true, false, 9, 10)
        );
        assert!(
            parse_can_frame("800#00")
                .unwrap_err()
                .contains("over 0x7ff")
        );
        assert!(
            parse_can_frame("123#00!bogus")
                .unwrap_err()
                .contains("no error 'bogus'")
        );
    }

    #[test]
    fn i2c_transactions_take_address_data_and_options() {
        let t = parse_transaction("w:52:40 00 a5:rs:nack=2").unwrap();
        assert_eq!(
            (t.address, t.read, t.repeated_start_next),
            (I2cAddress::Seven(0x52), false, true)
        );
        assert_eq!(t.data, [0x40, 0, 0xa5]);
        assert_eq!(t.acks, [true, true, false, true]);
        let t = parse_transaction("r:0x2a5:1122").unwrap();
        assert_eq!((t.address, t.read), (I2cAddress::Ten(0x2a5), true));
        assert!(parse_transaction("x:52").is_err());
        assert!(
            parse_transaction("w:52:00:nack=5")
                .unwrap_err()
                .contains("2 bytes")
        );
    }

    #[test]
    fn wide_words_split_into_limbs() {
        assert_eq!(parse_word("0x1ff").unwrap(), WordValue::Narrow(0x1ff));
        let w = parse_word("123456789abcdef0123").unwrap();
        assert!(
            w.to_hex()
                .trim_start_matches('0')
                .eq_ignore_ascii_case("123456789abcdef0123")
        );
    }
}
