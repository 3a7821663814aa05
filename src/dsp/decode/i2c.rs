//! Streaming I²C decoding with libsigrokdecode's `i2c` semantics, sample for sample.
//!
//! sigrok's rules (decoders/i2c/pd.py, the 10-bit capable version), which [`I2cDecoder`]
//! reproduces:
//! - Edges compare a sample with the one before; the very first sample has no edge.
//! - Until a START, only a START counts: SDA falling while SCL is high.
//! - While address bytes are collected, and in every ACK slot, only rising SCL counts:
//!   SDA changes with SCL high are ignored there (no START/STOP mid-address).
//! - In the data phase a rising SCL is a bit; otherwise, with SCL high, SDA falling is a
//!   repeated START and SDA rising a STOP. Both drop the bits of an unfinished byte (the
//!   SCL pulse before a STOP or repeated START is always one such bit).
//! - A bit is SDA at the rising SCL sample; it spans to the next bit's edge; the 8th bit,
//!   the ACK slot and the R/W annotation get the width between bits 7 and 8.
//! - The first address byte gives R/W (bit 0) and, for `11110xx`, announces a 10-bit
//!   address whose low 8 bits come in the next byte (also an address byte). A repeated
//!   START begins address collection anew, so in the standard 10-bit read
//!   (`S 11110xx0 A a7..a0 A Sr 11110xx1 A data...`) sigrok reports the first data byte
//!   after the repeated START as the second address byte; so does this decoder.
//! - There is no glitch filter: every edge counts. A glitch on SDA while SCL is low is
//!   invisible; one on SDA while SCL is high is a START or STOP (data phase only); one on
//!   SCL is a bit.
//!
//! State survives `push` calls. The lines are read 64 samples at a time as bit masks, the
//! phase's events found with a few bit operations; idle stretches are crossed with memchr /
//! word-at-a-time searches that look only at the signal(s) the current phase can react to.

use serde::Serialize;

use super::{Annotations, Annotator, Block, Decoder, above, find_change, find_change2};

/// Signal order for [`Decoder::push`], as sigrok numbers them.
pub const SIGNALS: [&str; 2] = ["scl", "sda"];

/// Errors of I²C configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum I2cError {
    #[error("unknown I2C option {name:?} (expected address_format)")]
    UnknownOption { name: String },
    #[error("I2C option address_format must be shifted or unshifted, got {got:?}")]
    AddressFormat { got: String },
}

/// How the first address byte is shown: sigrok's `address_format` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressFormat {
    /// Without the R/W bit (`0x52` for the byte `0xa4`).
    #[default]
    Shifted,
    /// The byte as sent, R/W bit included.
    Unshifted,
}

/// The decoder's options, named as sigrok's `i2c` decoder names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct I2cConfig {
    pub address_format: AddressFormat,
}

impl I2cConfig {
    /// Sets one option from its sigrok name and text value.
    pub fn set_option(&mut self, name: &str, value: &str) -> Result<(), I2cError> {
        match name {
            "address_format" => {
                self.address_format = match value {
                    "shifted" => AddressFormat::Shifted,
                    "unshifted" => AddressFormat::Unshifted,
                    _ => {
                        return Err(I2cError::AddressFormat {
                            got: value.to_string(),
                        });
                    }
                };
                Ok(())
            }
            _ => Err(I2cError::UnknownOption {
                name: name.to_string(),
            }),
        }
    }
}

/// What a byte is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ByteKind {
    Address {
        /// The first address byte of the transfer: its bit 0 is R/W.
        rw_bit: bool,
        /// The byte begins (`11110xx`) or completes a 10-bit address.
        ten_bit: bool,
        /// The whole slave address, once known: with the first byte of a 7-bit address,
        /// with the second byte of a 10-bit one.
        address: Option<u16>,
    },
    Data,
}

/// An address or data byte (sigrok's `BITS` plus `ADDRESS *` / `DATA *` outputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct I2cByte {
    pub start: u64,
    pub end: u64,
    /// The byte as sent, MSB first on the wire.
    pub raw: u8,
    /// The value sigrok reports: `raw`, shifted right for a first address byte when
    /// `address_format` is `shifted`.
    pub value: u8,
    pub read: bool,
    pub kind: ByteKind,
    /// Rising SCL sample of each bit, in arrival order (MSB first).
    pub bit_starts: [u64; 8],
    /// Samples between the 7th and 8th bit: the width given to the 8th bit.
    pub bit_width: u64,
}

/// What the I²C decoder reports, in sigrok's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum I2cEvent {
    Start {
        at: u64,
        repeated: bool,
    },
    Byte(I2cByte),
    /// The ninth bit: `ack` is SDA low.
    Ack {
        start: u64,
        end: u64,
        ack: bool,
    },
    Stop {
        at: u64,
    },
}

/// What the decoder waits for; each phase reacts to its own set of conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing but a START (SDA falling, SCL high).
    WantStart,
    /// Address bits: rising SCL only.
    Address,
    /// Data bits, repeated START or STOP.
    Data,
    /// The ACK slot after 8 bits: rising SCL only.
    Ack,
}

/// Streaming I²C decoder; see the module documentation for the rules.
#[derive(Debug, Clone)]
pub struct I2cDecoder {
    config: I2cConfig,
    started: bool,
    prev_scl: u8,
    prev_sda: u8,
    phase: Phase,
    /// A START was seen since the last STOP: the next one is a repeated START.
    in_transfer: bool,
    /// R/W of the transfer, from its first address byte.
    read: Option<bool>,
    /// Address bytes still expected (1 or 2 from the first byte, then counted down by the
    /// ACK slots); `None` before the first address byte.
    address_bytes_left: Option<u8>,
    /// High bits (9, 8) of a 10-bit address, shifted into place.
    ten_bit_high: Option<u16>,
    bit_starts: [u64; 8],
    bits: usize,
    raw: u8,
    bit_width: u64,
}

impl I2cDecoder {
    pub fn new(config: I2cConfig) -> Self {
        Self {
            config,
            started: false,
            prev_scl: 1,
            prev_sda: 1,
            phase: Phase::WantStart,
            in_transfer: false,
            read: None,
            address_bytes_left: None,
            ten_bit_high: None,
            bit_starts: [0; 8],
            bits: 0,
            raw: 0,
            bit_width: 0,
        }
    }

    pub fn annotator(&self) -> I2cAnnotator {
        I2cAnnotator
    }

    fn start(&mut self, at: u64, out: &mut Vec<I2cEvent>) {
        out.push(I2cEvent::Start {
            at,
            repeated: self.in_transfer,
        });
        self.in_transfer = true;
        self.read = None;
        self.address_bytes_left = None;
        self.ten_bit_high = None;
        self.bits = 0;
        self.phase = Phase::Address;
    }

    fn stop(&mut self, at: u64, out: &mut Vec<I2cEvent>) {
        out.push(I2cEvent::Stop { at });
        self.in_transfer = false;
        self.read = None;
        self.bits = 0;
        self.phase = Phase::WantStart;
    }

    fn ack(&mut self, at: u64, sda: u8, out: &mut Vec<I2cEvent>) {
        out.push(I2cEvent::Ack {
            start: at,
            end: at + self.bit_width,
            ack: sda == 0,
        });
        if let Some(left) = &mut self.address_bytes_left {
            *left = left.saturating_sub(1);
        }
        self.bits = 0;
        self.phase = if self.address_bytes_left == Some(0) {
            Phase::Data
        } else {
            Phase::Address
        };
    }

    fn bit(&mut self, at: u64, sda: u8, out: &mut Vec<I2cEvent>) {
        if self.bits == 0 {
            self.raw = 0;
        }
        self.bit_starts[self.bits] = at;
        self.raw = (self.raw << 1) | sda;
        self.bits += 1;
        if self.bits < 8 {
            return;
        }
        self.bit_width = self.bit_starts[7] - self.bit_starts[6];
        let raw = self.raw;
        let mut value = raw;
        let kind = if self.phase == Phase::Address {
            let rw_bit = self.read.is_none();
            let (ten_bit, address) = if rw_bit {
                self.read = Some(raw & 1 == 1);
                if self.config.address_format == AddressFormat::Shifted {
                    value >>= 1;
                }
                if raw & 0xf8 == 0xf0 {
                    self.address_bytes_left = Some(2);
                    self.ten_bit_high = Some(u16::from(raw & 0x06) << 7);
                    (true, None)
                } else {
                    self.address_bytes_left = Some(1);
                    (false, Some(u16::from(raw >> 1)))
                }
            } else {
                // Only a 10-bit address has a second address byte.
                let full = self.ten_bit_high.map(|high| high | u16::from(raw));
                (true, full)
            };
            ByteKind::Address {
                rw_bit,
                ten_bit,
                address,
            }
        } else {
            ByteKind::Data
        };
        out.push(I2cEvent::Byte(I2cByte {
            start: self.bit_starts[0],
            end: at + self.bit_width,
            raw,
            value,
            read: self.read == Some(true),
            kind,
            bit_starts: self.bit_starts,
            bit_width: self.bit_width,
        }));
        self.phase = Phase::Ack;
    }
}

impl Default for I2cDecoder {
    fn default() -> Self {
        Self::new(I2cConfig::default())
    }
}

#[inline]
fn level(levels: &[u8], k: usize) -> u8 {
    levels.get(k).map_or(0, |&v| u8::from(v != 0))
}

impl Decoder for I2cDecoder {
    type Event = I2cEvent;

    /// `signals` = [scl, sda] ([`SIGNALS`]); samples beyond the shorter one are ignored.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<I2cEvent>) {
        let signal = |i: usize| signals.get(i).copied().unwrap_or(&[]);
        let (scl, sda) = (signal(0), signal(1));
        let n = scl.len().min(sda.len());
        if n == 0 {
            return;
        }
        if !self.started {
            self.started = true;
            self.prev_scl = level(scl, 0);
            self.prev_sda = level(sda, 0);
        }
        let mut at = 0;
        while at < n {
            let len = (n - at).min(64);
            let c = Block::new(&scl[at..at + len], self.prev_scl);
            let d = Block::new(&sda[at..at + len], self.prev_sda);
            let rises = c.rises();
            // SDA edges while SCL is high: STARTs (falling) and STOPs (rising).
            let sda_high = d.changes & c.levels;
            let mut left = u64::MAX;
            loop {
                let events = left
                    & match self.phase {
                        Phase::WantStart => sda_high & !d.levels,
                        Phase::Address | Phase::Ack => rises,
                        Phase::Data => rises | sda_high,
                    };
                if events == 0 {
                    break;
                }
                let k = events.trailing_zeros();
                let t = start + (at + k as usize) as u64;
                let sda_now = d.level(k);
                match self.phase {
                    Phase::WantStart => self.start(t, out),
                    Phase::Address => self.bit(t, sda_now, out),
                    Phase::Ack => self.ack(t, sda_now, out),
                    Phase::Data if rises >> k & 1 == 1 => self.bit(t, sda_now, out),
                    Phase::Data if sda_now == 0 => self.start(t, out),
                    Phase::Data => self.stop(t, out),
                }
                left = above(k);
            }
            self.prev_scl = c.level(len as u32 - 1);
            self.prev_sda = d.level(len as u32 - 1);
            at += len;
            // A block where the signals this phase watches stay put: search on to the
            // next change (an idle bus at memchr speed).
            let watched = match self.phase {
                Phase::WantStart => d.changes,
                Phase::Address | Phase::Ack => c.changes,
                Phase::Data => c.changes | d.changes,
            };
            if watched == 0 && at < n {
                let next = match self.phase {
                    Phase::WantStart => find_change(&sda[at..n], self.prev_sda),
                    Phase::Address | Phase::Ack => find_change(&scl[at..n], self.prev_scl),
                    Phase::Data => {
                        find_change2(&scl[at..n], self.prev_scl, &sda[at..n], self.prev_sda)
                    }
                };
                let skip = next.unwrap_or(n - at);
                if skip > 0 {
                    at += skip;
                    self.prev_scl = level(scl, at - 1);
                    self.prev_sda = level(sda, at - 1);
                }
            }
        }
    }

    /// sigrok reports nothing for a byte or transfer cut by the end of the capture.
    fn finish(&mut self, _out: &mut Vec<I2cEvent>) {}
}

/// Renders [`I2cEvent`]s as sigrok's `i2c` annotations (each event on its own).
#[derive(Debug, Clone, Copy, Default)]
pub struct I2cAnnotator;

impl Annotator for I2cAnnotator {
    type Event = I2cEvent;
    const DECODER: &'static str = "i2c";
    const CLASSES: &'static [&'static str] = &[
        "start",
        "repeat-start",
        "stop",
        "ack",
        "nack",
        "bit",
        "address-read",
        "address-write",
        "data-read",
        "data-write",
        "warning",
    ];

    fn annotate(&mut self, event: &I2cEvent, out: &mut Annotations) {
        match *event {
            I2cEvent::Start { at, repeated } => {
                let (class, t) = if repeated {
                    ("repeat-start", ["Start repeat", "Sr"])
                } else {
                    ("start", ["Start", "S"])
                };
                out.push(at, at, class, &t);
            }
            I2cEvent::Stop { at } => out.push(at, at, "stop", &["Stop", "P"]),
            I2cEvent::Ack { start, end, ack } => {
                let (class, t) = if ack {
                    ("ack", ["ACK", "A"])
                } else {
                    ("nack", ["NACK", "N"])
                };
                out.push(start, end, class, &t);
            }
            I2cEvent::Byte(byte) => annotate_byte(&byte, out),
        }
    }
}

fn annotate_byte(byte: &I2cByte, out: &mut Annotations) {
    let last = byte.bit_starts[7];
    // sigrok lists the bits LSB (last arrived) first.
    for k in (0..8).rev() {
        let end = byte.bit_starts.get(k + 1).copied().unwrap_or(byte.end);
        let bit = (byte.raw >> (7 - k)) & 1;
        out.push(
            byte.bit_starts[k],
            end,
            "bit",
            &[if bit == 0 { "0" } else { "1" }],
        );
    }
    let (class, long, short) = match (byte.kind, byte.read) {
        (ByteKind::Address { .. }, true) => ("address-read", "Address read", "AR"),
        (ByteKind::Address { .. }, false) => ("address-write", "Address write", "AW"),
        (ByteKind::Data, true) => ("data-read", "Data read", "DR"),
        (ByteKind::Data, false) => ("data-write", "Data write", "DW"),
    };
    let mut end = byte.end;
    if let ByteKind::Address { rw_bit: true, .. } = byte.kind {
        // The R/W bit gets its own annotation; the address ends where it begins.
        let rw = if byte.read {
            ["Read", "Rd", "R"]
        } else {
            ["Write", "Wr", "W"]
        };
        out.push(last, byte.end, class, &rw);
        end = last;
    }
    let v = u64::from(byte.value);
    out.line(byte.start, end, class, |t| {
        t.open().str(long).str(": ").hex02(v).close();
        t.open().str(short).str(": ").hex02(v).close();
        t.open().hex02(v).close();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds SCL/SDA from a script: 'S' start, 'P' stop, '0'/'1' a bit; 4 samples per
    /// bit (SDA changes one sample after SCL falls).
    fn bus(script: &str) -> (Vec<u8>, Vec<u8>) {
        let (mut scl, mut sda) = (vec![1u8; 4], vec![1u8; 4]);
        let mut push = |c: u8, d: u8, n: usize| {
            scl.extend(std::iter::repeat_n(c, n));
            sda.extend(std::iter::repeat_n(d, n));
        };
        for ch in script.chars() {
            match ch {
                ' ' => {}
                'S' => {
                    push(1, 1, 2);
                    push(1, 0, 2);
                    push(0, 0, 1);
                }
                'P' => {
                    push(0, 0, 1);
                    push(1, 0, 2);
                    push(1, 1, 4);
                }
                b => {
                    let d = u8::from(b == '1');
                    push(0, d, 1);
                    push(1, d, 2);
                    push(0, d, 1);
                }
            }
        }
        (scl, sda)
    }

    fn decode(cfg: I2cConfig, script: &str) -> Vec<I2cEvent> {
        let (scl, sda) = bus(script);
        let mut dec = I2cDecoder::new(cfg);
        let mut out = Vec::new();
        dec.push(0, &[&scl, &sda], &mut out);
        dec.finish(&mut out);
        out
    }

    fn summary(events: &[I2cEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                I2cEvent::Start { repeated, .. } => if *repeated { "Sr" } else { "S" }.into(),
                I2cEvent::Stop { .. } => "P".into(),
                I2cEvent::Ack { ack, .. } => if *ack { "A" } else { "N" }.into(),
                I2cEvent::Byte(b) => match b.kind {
                    ByteKind::Address { address, .. } => {
                        format!(
                            "{}{:02X}/{:?}",
                            if b.read { "R" } else { "W" },
                            b.value,
                            address
                        )
                    }
                    ByteKind::Data => format!("D{:02X}", b.raw),
                },
            })
            .collect()
    }

    #[test]
    fn seven_bit_write_then_read_with_repeated_start() {
        let out = decode(
            I2cConfig::default(),
            "S101001000 000000010 S101001010 111111111 P",
        );
        assert_eq!(
            summary(&out),
            [
                "S",
                "W52/Some(82)",
                "A",
                "D01",
                "A",
                "Sr",
                "R52/Some(82)",
                "A",
                "DFF",
                "N",
                "P"
            ]
        );
        let unshifted = I2cConfig {
            address_format: AddressFormat::Unshifted,
        };
        assert_eq!(
            summary(&decode(unshifted, "S101001000P"))[1],
            "WA4/Some(82)"
        );
    }

    #[test]
    fn ten_bit_address_takes_two_address_bytes() {
        // 0x2A5 write: 11110 10 0, then 0xA5, then a data byte.
        let out = decode(I2cConfig::default(), "S111101000 101001010 001100110 P");
        assert_eq!(
            summary(&out),
            ["S", "W7A/None", "A", "WA5/Some(677)", "A", "D33", "A", "P"]
        );
    }

    #[test]
    fn start_and_stop_are_ignored_while_the_address_is_collected() {
        // A STOP-like SDA rise with SCL high right after the START: still address bits.
        let (mut scl, mut sda) = bus("S");
        scl.extend([1, 1]);
        sda.extend([0, 1]);
        let (s2, d2) = bus("101001000P");
        scl.extend(&s2[4..]);
        sda.extend(&d2[4..]);
        let mut dec = I2cDecoder::default();
        let mut out = Vec::new();
        dec.push(0, &[&scl, &sda], &mut out);
        // The extra SCL pulse is the first address bit.
        assert!(
            matches!(out[1], I2cEvent::Byte(I2cByte { raw: 0x52, .. })),
            "{out:?}"
        );
    }
}
