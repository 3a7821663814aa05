//! What the decoders report: decode-uart's counts and summary, and the records and summary of
//! `tracekit decode PROTOCOL` (one record per byte, word or frame).

use crate::dsp::decode::can::CanEvent;
use crate::dsp::decode::i2c::{ByteKind, I2cEvent};
use crate::dsp::decode::lin::LinEvent;
use crate::dsp::decode::onewire::{OneWireEvent, Presence};
use crate::dsp::decode::spi::{SpiEvent, WordValue};
use crate::dsp::decode::uart::{FrameError, UartEvent};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Counts for the summary, one error per event (a bad stop bit outranks a bad parity bit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FrameCounts {
    pub frames: u64,
    pub framing: u64,
    pub parity: u64,
    pub breaks: u64,
}

impl FrameCounts {
    pub fn add(&mut self, event: &UartEvent) {
        self.frames += u64::from(event.value().is_some());
        match event.error() {
            Some(FrameError::Framing) => self.framing += 1,
            Some(FrameError::Parity) => self.parity += 1,
            Some(FrameError::Break) => self.breaks += 1,
            None => {}
        }
    }
}

/// The summary line's facts.
#[derive(Debug, Clone, Serialize)]
pub struct UartSummary {
    pub path: String,
    pub counts: FrameCounts,
    /// The baud rate used and how it was found (`baud 9600`, or the auto measurement).
    pub baud: String,
    pub sample_rate: f64,
    /// The analog threshold used and how it was found; None for logic input.
    pub threshold: Option<String>,
}

// ---------------------------------------------------------------------------------------
// `tracekit decode PROTOCOL`: one record per byte, word or frame, for every protocol.

/// One decoded item: its sample range, what it is, its value and fields, an error if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub start: u64,
    pub end: u64,
    /// `word`, `transfer`, `start`, `address-write`, `data-read`, `ack`, `frame`...
    pub kind: &'static str,
    /// The main value as hex (`0x3A`), when the record has one.
    pub value: Option<String>,
    /// Protocol fields in a fixed order per kind.
    pub fields: Vec<(&'static str, Value)>,
    /// What is wrong (`nack` is not an error; `crc`, `parity`, `incomplete`... are).
    pub error: Option<String>,
    /// The data bytes `--format bytes` writes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl Record {
    fn new(start: u64, end: u64, kind: &'static str) -> Record {
        Record {
            start,
            end,
            kind,
            value: None,
            fields: Vec::new(),
            error: None,
            bytes: Vec::new(),
        }
    }

    fn field(mut self, name: &'static str, value: impl Into<Value>) -> Record {
        self.fields.push((name, value.into()));
        self
    }
}

fn hex(v: u64) -> String {
    format!("0x{v:02X}")
}

fn hex_bytes(data: &[u8]) -> String {
    data.iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word's bytes, most significant first, `bits` wide.
fn word_bytes(value: &WordValue, bits: u32) -> Vec<u8> {
    let n = bits.div_ceil(8);
    (0..n)
        .rev()
        .map(|k| (0..8).fold(0u8, |b, i| b | (u8::from(value.bit(8 * k + i)) << i)))
        .collect()
}

/// How one protocol's events become records: the converter and the protocol's fields
/// (the CSV columns, in order).
pub struct RecordKind<E: 'static> {
    pub to_records: fn(&E, &mut Vec<Record>),
    /// Counts the records `to_records` would make, without making them (`--format sigrok`
    /// needs the summary's counts only).
    pub count: fn(&E, &mut RecordCounts),
    pub columns: &'static [&'static str],
}

pub const SPI: RecordKind<SpiEvent> = RecordKind {
    to_records: spi_records,
    count: spi_count,
    columns: &["bits", "mosi", "miso", "words"],
};
pub const I2C: RecordKind<I2cEvent> = RecordKind {
    to_records: i2c_records,
    count: i2c_count,
    columns: &["address", "ten_bit"],
};
pub const CAN: RecordKind<CanEvent> = RecordKind {
    to_records: can_records,
    count: can_count,
    columns: &[
        "id", "extended", "fd", "remote", "brs", "esi", "dlc", "data", "crc", "ack",
    ],
};
pub const ONEWIRE: RecordKind<OneWireEvent> = RecordKind {
    to_records: onewire_records,
    count: onewire_count,
    columns: &["presence", "on"],
};
pub const LIN: RecordKind<LinEvent> = RecordKind {
    to_records: lin_records,
    count: lin_count,
    columns: &["id", "pid", "data", "checksum"],
};

/// SPI: a record per word, per transfer (CS# deasserted) and per incomplete word.
pub fn spi_records(event: &SpiEvent, out: &mut Vec<Record>) {
    match event {
        SpiEvent::Word(w) => {
            let bits = w.bit_starts.len() as u32;
            let mut r = Record::new(w.start, w.end, "word").field("bits", bits);
            let main = w.mosi.as_ref().or(w.miso.as_ref());
            if let Some(v) = &w.mosi {
                r = r.field("mosi", format!("0x{}", v.to_hex()));
            }
            if let Some(v) = &w.miso {
                r = r.field("miso", format!("0x{}", v.to_hex()));
            }
            if let Some(v) = main {
                r.value = Some(format!("0x{}", v.to_hex()));
                r.bytes = word_bytes(v, bits);
            }
            out.push(r);
        }
        SpiEvent::Transfer { start, end, words } => {
            out.push(Record::new(*start, *end, "transfer").field("words", *words));
        }
        SpiEvent::Incomplete { start, end, bits } => {
            let mut r = Record::new(*start, *end, "incomplete").field("bits", *bits);
            r.error = Some("incomplete".into());
            out.push(r);
        }
    }
}

/// I²C: START, repeated START, STOP, each address or data byte, each ACK/NACK.
pub fn i2c_records(event: &I2cEvent, out: &mut Vec<Record>) {
    match event {
        I2cEvent::Start { at, repeated } => {
            let kind = if *repeated { "repeated-start" } else { "start" };
            out.push(Record::new(*at, *at, kind));
        }
        I2cEvent::Stop { at } => out.push(Record::new(*at, *at, "stop")),
        I2cEvent::Ack { start, end, ack } => {
            out.push(Record::new(*start, *end, if *ack { "ack" } else { "nack" }));
        }
        I2cEvent::Byte(b) => {
            let (kind, r) = match (b.kind, b.read) {
                (ByteKind::Address { .. }, true) => ("address-read", None),
                (ByteKind::Address { .. }, false) => ("address-write", None),
                (ByteKind::Data, true) => ("data-read", Some(b.raw)),
                (ByteKind::Data, false) => ("data-write", Some(b.raw)),
            };
            let mut rec = Record::new(b.start, b.end, kind);
            rec.value = Some(hex(u64::from(b.value)));
            if let ByteKind::Address {
                ten_bit, address, ..
            } = b.kind
            {
                rec = rec.field("ten_bit", ten_bit);
                if let Some(a) = address {
                    rec = rec.field("address", hex(u64::from(a)));
                }
            }
            rec.bytes = r.into_iter().collect();
            out.push(rec);
        }
    }
}

/// CAN: one record per frame, with the standard's checks (CRC, stuffing, ACK, form).
pub fn can_records(event: &CanEvent, out: &mut Vec<Record>) {
    let CanEvent::Frame(f) = event else { return };
    let mut r = Record::new(f.span.start, f.span.end, "frame")
        .field(
            "id",
            format!("0x{:0w$X}", f.id, w = if f.extended { 8 } else { 3 }),
        )
        .field("extended", f.extended)
        .field("fd", f.fd)
        .field("remote", f.remote)
        .field("brs", f.brs)
        .field("esi", f.esi)
        .field("dlc", f.dlc)
        .field("data", hex_bytes(f.data()))
        .field(
            "crc",
            f.crc
                .map_or(Value::Null, |c| Value::from(hex(u64::from(c.received)))),
        )
        .field("ack", f.ack);
    r.value = Some(format!("0x{:X}", f.id));
    r.bytes = f.data().to_vec();
    let errors: Vec<&str> = f.errors.iter().map(can_error_name).collect();
    if !errors.is_empty() {
        r.error = Some(errors.join("+"));
    }
    out.push(r);
}

/// The name of a CAN error in records and plot labels.
pub fn can_error_name(e: crate::dsp::decode::can::CanError) -> &'static str {
    use crate::dsp::decode::can::CanError as E;
    match e {
        E::SofRecessive => "sof",
        E::IdAllRecessive => "id",
        E::DlcTooLarge => "dlc",
        E::CrcDelimiter => "crc-delimiter",
        E::AckDelimiter => "ack-delimiter",
        E::Eof => "eof",
        E::Stuff => "stuff",
        E::FixedStuff => "fixed-stuff",
        E::StuffCount => "stuff-count",
        E::Crc => "crc",
        E::Nack => "nack",
    }
}

/// 1-Wire: resets, presence, bytes (LSB first since the reset), overdrive, warnings.
pub fn onewire_records(event: &OneWireEvent, out: &mut Vec<Record>) {
    match event {
        OneWireEvent::Bit { .. } => {}
        OneWireEvent::Reset { span } => out.push(Record::new(span.start, span.end, "reset")),
        OneWireEvent::Presence { span, presence } => {
            let p = match presence {
                Presence::Absent => "absent",
                Presence::Present => "present",
                Presence::PresentCutShort => "present-cut-short",
            };
            out.push(Record::new(span.start, span.end, "presence").field("presence", p));
        }
        OneWireEvent::Overdrive { span, on } => {
            out.push(Record::new(span.start, span.end, "overdrive").field("on", *on));
        }
        OneWireEvent::Warning { span, warning } => {
            let mut r = Record::new(span.start, span.end, "warning");
            r.error = warning.texts().into_iter().next();
            out.push(r);
        }
        OneWireEvent::Byte { span, value } => {
            let mut r = Record::new(span.start, span.end, "byte");
            r.value = Some(hex(u64::from(*value)));
            r.bytes = vec![*value];
            out.push(r);
        }
    }
}

/// LIN: one record per frame (header and response), and one per stray byte.
pub fn lin_records(event: &LinEvent, out: &mut Vec<Record>) {
    match event {
        LinEvent::Frame(f) => {
            let mut r = Record::new(f.span.start, f.span.end, "frame")
                .field(
                    "id",
                    f.id().map_or(Value::Null, |id| hex(u64::from(id)).into()),
                )
                .field(
                    "pid",
                    f.pid.map_or(Value::Null, |p| hex(u64::from(p)).into()),
                )
                .field("data", hex_bytes(&f.data))
                .field(
                    "checksum",
                    f.checksum.map_or(Value::Null, |c| hex(u64::from(c)).into()),
                );
            r.value = f.id().map(|id| hex(u64::from(id)));
            r.bytes.clone_from(&f.data);
            let mut errors = Vec::new();
            if !f.parity_ok {
                errors.push("parity");
            }
            if f.checksum_ok == Some(false) {
                errors.push("checksum");
            }
            if !errors.is_empty() {
                r.error = Some(errors.join("+"));
            }
            out.push(r);
        }
        LinEvent::Error { span } => {
            let mut r = Record::new(span.start, span.end, "stray-byte");
            r.error = Some("protocol".into());
            out.push(r);
        }
        _ => {}
    }
}

/// The kind of record each SPI event makes, as [`spi_records`].
pub fn spi_count(event: &SpiEvent, counts: &mut RecordCounts) {
    match event {
        SpiEvent::Word(_) => counts.kind("word"),
        SpiEvent::Transfer { .. } => counts.kind("transfer"),
        SpiEvent::Incomplete { .. } => {
            counts.kind("incomplete");
            counts.error("incomplete");
        }
    }
}

/// The kind of record each I²C event makes, as [`i2c_records`].
pub fn i2c_count(event: &I2cEvent, counts: &mut RecordCounts) {
    counts.kind(match event {
        I2cEvent::Start { repeated: true, .. } => "repeated-start",
        I2cEvent::Start { .. } => "start",
        I2cEvent::Stop { .. } => "stop",
        I2cEvent::Ack { ack: true, .. } => "ack",
        I2cEvent::Ack { .. } => "nack",
        I2cEvent::Byte(b) => match (b.kind, b.read) {
            (ByteKind::Address { .. }, true) => "address-read",
            (ByteKind::Address { .. }, false) => "address-write",
            (ByteKind::Data, true) => "data-read",
            (ByteKind::Data, false) => "data-write",
        },
    });
}

/// CAN frames and their errors, as [`can_records`].
pub fn can_count(event: &CanEvent, counts: &mut RecordCounts) {
    let CanEvent::Frame(f) = event else { return };
    counts.kind("frame");
    for e in f.errors.iter() {
        counts.error(can_error_name(e));
    }
}

/// 1-Wire records and errors, as [`onewire_records`].
pub fn onewire_count(event: &OneWireEvent, counts: &mut RecordCounts) {
    let mut records = Vec::new();
    match event {
        OneWireEvent::Bit { .. } => {}
        OneWireEvent::Byte { .. } => counts.kind("byte"),
        // Rare events: the records themselves.
        _ => onewire_records(event, &mut records),
    }
    records.iter().for_each(|r| counts.add(r));
}

/// LIN records and errors, as [`lin_records`].
pub fn lin_count(event: &LinEvent, counts: &mut RecordCounts) {
    match event {
        LinEvent::Frame(f) => {
            counts.kind("frame");
            if !f.parity_ok {
                counts.error("parity");
            }
            if f.checksum_ok == Some(false) {
                counts.error("checksum");
            }
        }
        LinEvent::Error { .. } => {
            counts.kind("stray-byte");
            counts.error("protocol");
        }
        _ => {}
    }
}

/// Records and errors counted by kind, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordCounts {
    pub kinds: BTreeMap<&'static str, u64>,
    pub errors: BTreeMap<String, u64>,
}

impl RecordCounts {
    pub fn add(&mut self, r: &Record) {
        self.kind(r.kind);
        if let Some(e) = &r.error {
            for part in e.split('+') {
                self.error(part);
            }
        }
    }

    /// One more record of `kind`.
    #[inline]
    pub fn kind(&mut self, kind: &'static str) {
        *self.kinds.entry(kind).or_default() += 1;
    }

    /// One more error `name`.
    pub fn error(&mut self, name: &str) {
        match self.errors.get_mut(name) {
            Some(n) => *n += 1,
            None => {
                self.errors.insert(name.to_string(), 1);
            }
        }
    }
}

/// The summary line's facts for a bus decoder.
#[derive(Debug, Clone, Serialize)]
pub struct BusSummary {
    pub path: String,
    pub protocol: &'static str,
    pub counts: RecordCounts,
    pub sample_rate: Option<f64>,
    /// How each analog signal was thresholded (`scl: threshold 1.65 V ...`).
    pub thresholds: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::decode::uart::Span;

    #[test]
    fn one_error_per_event_and_breaks_are_not_frames() {
        let span = Span { start: 0, end: 1 };
        let data = |stop_error: bool| UartEvent::Data {
            start: 0,
            value: 0x41,
            data: span,
            parity_error: None,
            stop_error: stop_error.then_some(span),
        };
        let brk = UartEvent::Break {
            span: Span {
                start: 50,
                end: 300,
            },
            space: Span {
                start: 50,
                end: 300,
            },
        };
        let mut counts = FrameCounts::default();
        for e in [data(false), data(true), brk] {
            counts.add(&e);
        }
        assert_eq!(
            counts,
            FrameCounts {
                frames: 2,
                framing: 1,
                parity: 0,
                breaks: 1
            }
        );
    }
}
