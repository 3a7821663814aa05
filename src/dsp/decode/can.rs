//! Streaming CAN 2.0A/B and CAN FD decoder with libsigrokdecode's `can` decoder semantics.
//!
//! Sampling, bit numbering and every annotation follow sigrok exactly (options
//! `nominal_bitrate`, `fast_bitrate`, `sample_point`), so `--format sigrok` output diffs
//! clean against sigrok-test's `.output` files. Beyond sigrok, the events carry what a
//! CAN controller would check and sigrok does not: the CRC (CRC-15, or CAN FD's CRC-17/21
//! over the stuffed bits and the stuff count), bit stuffing violations, the FD fixed stuff
//! bits and stuff count, and a missing ACK. Those extra verdicts render no annotation (sigrok
//! has none), so the rendered output stays sigrok's.
//!
//! sigrok's sampling: after a dominant (0) level starts a frame, bit n is read at
//! `int(E + bit_width·(n − n_E) + sample_point)`, where E is the last falling edge seen and
//! n_E the bit number then (a poor man's hard sync). The bit rate switches to `fast_bitrate`
//! at the sample point of a recessive BRS bit (which also counts as a sync point) and back
//! at the CRC delimiter.

use super::{Annotate, Annotations, Decoder, Line, SetupError, Span, Texts, Wake, positive};

/// Payload lengths by DLC (CAN FD; sigrok uses this table for classic frames too).
pub const DLC_LENGTHS: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

/// Decoder options, as sigrok names them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CanConfig {
    /// Arbitration phase bit rate, bit/s.
    pub nominal_bitrate: f64,
    /// Data phase bit rate of CAN FD frames with BRS, bit/s.
    pub fast_bitrate: f64,
    /// Sample point, percent of the bit time.
    pub sample_point: f64,
}

impl Default for CanConfig {
    /// sigrok's defaults.
    fn default() -> Self {
        CanConfig {
            nominal_bitrate: 1e6,
            fast_bitrate: 2e6,
            sample_point: 70.0,
        }
    }
}

/// The CRC a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrcKind {
    Crc15,
    Crc17,
    Crc21,
}

impl CrcKind {
    pub fn name(self) -> &'static str {
        match self {
            CrcKind::Crc15 => "CRC-15",
            CrcKind::Crc17 => "CRC-17",
            CrcKind::Crc21 => "CRC-21",
        }
    }

    /// Register width and generator polynomial (without the x^width term).
    fn polynomial(self) -> (u32, u32) {
        match self {
            CrcKind::Crc15 => (15, 0x4599),
            CrcKind::Crc17 => (17, 0x1_685B),
            CrcKind::Crc21 => (21, 0x10_2899),
        }
    }

    /// Runs `bits` (0/1, first bit first) through the CRC register; CAN FD's CRCs start
    /// with their top bit set (ISO 11898-1:2015), classic CAN's with zero.
    fn compute(self, bits: impl Iterator<Item = u8>) -> u32 {
        let (width, poly) = self.polynomial();
        let mask = (1u32 << width) - 1;
        let mut reg = if self == CrcKind::Crc15 {
            0
        } else {
            1 << (width - 1)
        };
        for bit in bits {
            let top = (reg >> (width - 1)) & 1;
            reg = (reg << 1) & mask;
            if top ^ u32::from(bit) == 1 {
                reg ^= poly;
            }
        }
        reg
    }
}

/// Which control bit a `reserved-bit` annotation shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedBit {
    Rb0,
    Rb1,
    /// The reserved bit after FDF in a standard FD frame (sigrok's `R0`).
    R0,
    Fdf,
    Brs,
    Esi,
}

/// A frame field, as one sigrok annotation shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CanField {
    Sof,
    Id(u16),
    ExtId(u32),
    FullId(u32),
    Ide {
        extended: bool,
    },
    Rtr {
        remote: bool,
    },
    /// Bit 12 of a standard FD frame (ISO's RRS), which sigrok labels "Substitute remote
    /// request" in its `rtr` class, without a value.
    Rrs,
    /// Bit 12 of an extended frame.
    Srr(u8),
    Reserved {
        bit: ReservedBit,
        value: u8,
    },
    Dlc(u8),
    Data {
        index: u8,
        value: u8,
    },
    /// sigrok's CRC value: the field's bits as sigrok counts them (for FD: stuff count and
    /// fixed stuff bits included).
    Crc {
        kind: CrcKind,
        value: u32,
    },
    CrcDelimiter(u8),
    AckSlot {
        ack: bool,
    },
    AckDelimiter(u8),
    Eof,
}

/// What can be wrong with a frame. The first six are sigrok's warnings (form errors); the
/// rest are checked here only and render nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CanError {
    SofRecessive,
    IdAllRecessive,
    DlcTooLarge,
    CrcDelimiter,
    AckDelimiter,
    Eof,
    /// Six equal bits where stuffing applies (also how an error flag shows).
    Stuff,
    /// A CAN FD fixed stuff bit that does not complement the bit before it.
    FixedStuff,
    /// The CAN FD stuff count (or its parity bit) disagrees with the dynamic stuff bits.
    StuffCount,
    /// The received CRC differs from the one computed.
    Crc,
    /// Nobody acknowledged: the ACK slot stayed recessive.
    Nack,
}

impl CanError {
    const ALL: [CanError; 11] = [
        CanError::SofRecessive,
        CanError::IdAllRecessive,
        CanError::DlcTooLarge,
        CanError::CrcDelimiter,
        CanError::AckDelimiter,
        CanError::Eof,
        CanError::Stuff,
        CanError::FixedStuff,
        CanError::StuffCount,
        CanError::Crc,
        CanError::Nack,
    ];

    /// sigrok's warning text, for the errors sigrok reports.
    pub fn sigrok_text(self) -> Option<&'static str> {
        Some(match self {
            CanError::SofRecessive => "Start of frame (SOF) must be a dominant bit",
            CanError::IdAllRecessive => "Identifier bits 10..4 must not be all recessive",
            CanError::DlcTooLarge => "Data length code (DLC) > 8 is not allowed",
            CanError::CrcDelimiter => "CRC delimiter must be a recessive bit",
            CanError::AckDelimiter => "ACK delimiter must be a recessive bit",
            CanError::Eof => "End of frame (EOF) must be 7 recessive bits",
            _ => return None,
        })
    }
}

/// A set of [`CanError`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanErrors(u16);

impl CanErrors {
    pub fn insert(&mut self, e: CanError) {
        self.0 |= 1 << e as u16;
    }

    pub fn contains(&self, e: CanError) -> bool {
        self.0 & (1 << e as u16) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = CanError> + '_ {
        CanError::ALL.into_iter().filter(|e| self.contains(*e))
    }
}

/// The CRC as received and as computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrcCheck {
    pub kind: CrcKind,
    pub received: u32,
    pub computed: u32,
    /// CAN FD: the stuff count received (gray-decoded) and the dynamic stuff bits counted,
    /// modulo 8.
    pub stuff_count: Option<(u8, u8)>,
}

impl CrcCheck {
    pub fn ok(&self) -> bool {
        self.received == self.computed && self.stuff_count.is_none_or(|(got, want)| got == want)
    }
}

/// A whole frame, reported at its EOF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanFrame {
    /// From the SOF annotation's start to the EOF annotation's end.
    pub span: Span,
    /// 11-bit or 29-bit identifier.
    pub id: u32,
    pub extended: bool,
    pub fd: bool,
    /// Classic remote frame (RTR recessive).
    pub remote: bool,
    pub brs: bool,
    pub esi: bool,
    pub dlc: u8,
    data: [u8; 64],
    data_len: u8,
    /// None when the CRC field could not be checked (a frame garbled beyond it).
    pub crc: Option<CrcCheck>,
    pub ack: bool,
    pub errors: CanErrors,
}

impl CanFrame {
    pub fn data(&self) -> &[u8] {
        &self.data[..usize::from(self.data_len).min(64)]
    }
}

/// One decoder output, in sigrok's emission order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanEvent {
    /// A sampled bit: sigrok's `bit` or `stuff-bit` annotation.
    Bit {
        span: Span,
        value: u8,
        stuff: bool,
    },
    Field {
        span: Span,
        field: CanField,
    },
    Error {
        span: Span,
        error: CanError,
    },
    /// The frame summary at EOF (typed only: its parts were annotated already).
    Frame(Box<CanFrame>),
}

impl Annotate for CanEvent {
    const DECODER: &'static str = "can";
    const CLASSES: &'static [&'static str] = &[
        "data",
        "sof",
        "eof",
        "id",
        "ext-id",
        "full-id",
        "ide",
        "reserved-bit",
        "rtr",
        "srr",
        "dlc",
        "crc-sequence",
        "crc-delimiter",
        "ack-slot",
        "ack-delimiter",
        "stuff-bit",
        "warning",
        "bit",
    ];

    fn annotate(&self, out: &mut Annotations) {
        match self {
            CanEvent::Bit { span, value, stuff } => {
                let class = if *stuff { "stuff-bit" } else { "bit" };
                out.push_span(*span, class, &[bit_text(*value)]);
            }
            CanEvent::Field { span, field } => field_annotation(*span, field, out),
            CanEvent::Error { span, error } => {
                if let Some(text) = error.sigrok_text() {
                    out.push_span(*span, "warning", &[text]);
                }
            }
            CanEvent::Frame(_) => {}
        }
    }
}

/// `"LONG: v" "SHORT: v" "TAG"`.
fn v3(t: &mut Texts<'_>, long: &str, short: &str, tag: &str, v: u8) {
    let v = u64::from(v);
    t.open().str(long).str(": ").dec(v).close();
    t.open().str(short).str(": ").dec(v).close();
    t.text(tag);
}

/// `"PREFIX: id (0xid)"` with the id in decimal and lower-case hex.
fn id_text(t: &mut Texts<'_>, prefix: &str, id: u32) {
    let id = u64::from(id);
    t.open().str(prefix).str(": ").dec(id).str(" (0x");
    t.hex(id, 1, false).str(")").close();
}

fn field_annotation(span: Span, field: &CanField, out: &mut Annotations) {
    let (start, end) = (span.start, span.end);
    match *field {
        CanField::Sof => out.push_span(span, "sof", &["Start of frame", "SOF", "S"]),
        CanField::Id(id) => out.line(start, end, "id", |t| {
            id_text(t, "Identifier", u32::from(id));
            id_text(t, "ID", u32::from(id));
            t.text("ID");
        }),
        CanField::ExtId(eid) => out.line(start, end, "ext-id", |t| {
            id_text(t, "Extended Identifier", eid);
            id_text(t, "Extended ID", eid);
            t.text("Extended ID").text("EID");
        }),
        CanField::FullId(id) => out.line(start, end, "full-id", |t| {
            id_text(t, "Full Identifier", id);
            id_text(t, "Full ID", id);
            t.text("Full ID").text("FID");
        }),
        CanField::Ide { extended } => {
            let texts = if extended {
                [
                    "Identifier extension bit: extended frame",
                    "IDE: extended frame",
                    "IDE",
                ]
            } else {
                [
                    "Identifier extension bit: standard frame",
                    "IDE: standard frame",
                    "IDE",
                ]
            };
            out.push_span(span, "ide", &texts);
        }
        CanField::Rtr { remote } => {
            let texts = if remote {
                [
                    "Remote transmission request: remote frame",
                    "RTR: remote frame",
                    "RTR",
                ]
            } else {
                [
                    "Remote transmission request: data frame",
                    "RTR: data frame",
                    "RTR",
                ]
            };
            out.push_span(span, "rtr", &texts);
        }
        CanField::Rrs => out.push_span(span, "rtr", &["Substitute remote request", "SRR"]),
        CanField::Srr(v) => out.line(start, end, "srr", |t| {
            v3(t, "Substitute remote request", "SRR", "SRR", v)
        }),
        CanField::Reserved { bit, value } => {
            let (long, short) = match bit {
                ReservedBit::Rb0 => ("Reserved bit 0", "RB0"),
                ReservedBit::Rb1 => ("Reserved bit 1", "RB1"),
                ReservedBit::R0 => ("Reserved", "R0"),
                ReservedBit::Fdf => ("Flexible data format", "FDF"),
                ReservedBit::Brs => ("Bit rate switch", "BRS"),
                ReservedBit::Esi => ("Error state indicator", "ESI"),
            };
            out.line(start, end, "reserved-bit", |t| {
                v3(t, long, short, short, value)
            });
        }
        CanField::Dlc(dlc) => out.line(start, end, "dlc", |t| {
            v3(t, "Data length code", "DLC", "DLC", dlc)
        }),
        CanField::Data { index, value } => out.line(start, end, "data", |t| {
            let (index, value) = (u64::from(index), u64::from(value));
            t.open().str("Data byte ").dec(index).str(": 0x");
            t.hex(value, 2, false).close();
            t.open().str("DB ").dec(index).str(": 0x");
            t.hex(value, 2, false).close();
            t.text("DB");
        }),
        CanField::Crc { kind, value } => {
            let name = kind.name();
            out.line(start, end, "crc-sequence", |t| {
                let value = u64::from(value);
                t.open().str(name).str(" sequence: 0x");
                t.hex(value, 4, false).close();
                t.open().str(name).str(": 0x");
                t.hex(value, 4, false).close();
                t.text(name);
            });
        }
        CanField::CrcDelimiter(v) => out.line(start, end, "crc-delimiter", |t| {
            v3(t, "CRC delimiter", "CRC d", "CRC d", v)
        }),
        CanField::AckSlot { ack } => {
            let texts = if ack {
                ["ACK slot: ACK", "ACK s: ACK", "ACK s"]
            } else {
                ["ACK slot: NACK", "ACK s: NACK", "ACK s"]
            };
            out.push_span(span, "ack-slot", &texts);
        }
        CanField::AckDelimiter(v) => out.line(start, end, "ack-delimiter", |t| {
            v3(t, "ACK delimiter", "ACK d", "ACK d", v)
        }),
        CanField::Eof => out.push_span(span, "eof", &["End of frame", "EOF", "E"]),
    }
}

/// One bit rate's timing in samples, as sigrok computes it.
#[derive(Debug, Clone, Copy)]
struct Timing {
    bit_width: f64,
    sample_point: f64,
    /// An annotation reaches this far before the first sample point…
    left: u64,
    /// …and this far after the last.
    right: u64,
}

impl Timing {
    fn new(sample_rate: f64, bitrate: f64, sample_point_pct: f64) -> Timing {
        let bit_width = sample_rate / bitrate;
        let sample_point = (bit_width / 100.0) * sample_point_pct;
        Timing {
            bit_width,
            sample_point,
            left: sample_point as u64,
            right: (bit_width - sample_point) as u64,
        }
    }

    /// sigrok's `putg`: the bits sampled at `first` and `last`.
    fn span(&self, first: u64, last: u64) -> Span {
        Span {
            start: first.saturating_sub(self.left),
            end: last.saturating_add(self.right),
        }
    }
}

/// Longest frame in bits: an extended FD frame with 64 bytes has ~600 bits plus stuffing.
const MAX_BITS: usize = 768;

/// A fixed bit buffer (no allocation per frame).
#[derive(Debug, Clone)]
struct Bits([u64; MAX_BITS / 64]);

impl Bits {
    fn get(&self, i: u32) -> u8 {
        let i = i as usize;
        self.0
            .get(i / 64)
            .map_or(0, |w| ((w >> (i % 64)) & 1) as u8)
    }

    fn set(&mut self, i: u32, v: u8) {
        let i = i as usize;
        if let Some(w) = self.0.get_mut(i / 64) {
            *w = (*w & !(1 << (i % 64))) | (u64::from(v & 1) << (i % 64));
        }
    }

    /// Bits `from..to` as a number, first bit most significant (at most 32 bits).
    fn msb_first(&self, from: u32, to: u32) -> u32 {
        (from..to).fold(0, |acc, i| (acc << 1) | u32::from(self.get(i)))
    }
}

/// Everything sigrok keeps per frame, plus the extra checks.
#[derive(Debug, Clone)]
struct FrameState {
    /// The last 8 raw bits, newest in bit 0 (sigrok's `rawbits[-6:]`/`[-7:]`).
    window: u8,
    raw_count: u32,
    raw: Bits,
    /// sigrok's `bits`: the raw bits minus what it took for stuff bits.
    bits: Bits,
    nbits: u32,
    /// sigrok's `curbit`: bits sampled, stuff bits included.
    curbit: u32,
    last_databit: u32,
    dlc_start: u32,
    extended: bool,
    fd: bool,
    ident: u32,
    full_id: u32,
    dlc: u8,
    rtr: u8,
    brs: bool,
    esi: bool,
    ss_block: u64,
    ss_bit12: u64,
    ss_bit32: u64,
    ss_packet: u64,
    /// Sample points of each data byte's first and last bit.
    byte_bits: [(u64, u64); 64],
    data: [u8; 64],
    /// Dynamic stuff bits before the end of the data field.
    stuff_bits: u32,
    /// Raw bits up to the end of the data field, once it is known.
    data_end_raw: Option<u32>,
    crc_field_start: u64,
    crc: Option<CrcCheck>,
    ack: bool,
    errors: CanErrors,
}

impl FrameState {
    fn new() -> Self {
        FrameState {
            window: 0,
            raw_count: 0,
            raw: Bits([0; MAX_BITS / 64]),
            bits: Bits([0; MAX_BITS / 64]),
            nbits: 0,
            curbit: 0,
            // sigrok: "positive value that bitnum+x will never match".
            last_databit: 999,
            dlc_start: 0,
            extended: false,
            fd: false,
            ident: 0,
            full_id: 0,
            dlc: 0,
            rtr: 0,
            brs: false,
            esi: false,
            ss_block: 0,
            ss_bit12: 0,
            ss_bit32: 0,
            ss_packet: 0,
            byte_bits: [(0, 0); 64],
            data: [0; 64],
            stuff_bits: 0,
            data_end_raw: None,
            crc_field_start: 0,
            crc: None,
            ack: false,
            errors: CanErrors::default(),
        }
    }

    /// Bytes in the data field. A classic remote frame has none whatever its DLC (ISO
    /// 11898-1: the DLC of a remote frame is the length asked for). sigrok 0.7.2 reads
    /// DLC bytes there anyway, which turns its CRC and the rest of the frame into garbage:
    /// here the CRC follows the DLC, as a CAN controller sends it.
    fn data_len(&self) -> u32 {
        if !self.fd && self.rtr == 1 {
            return 0;
        }
        u32::from(DLC_LENGTHS[usize::from(self.dlc & 15)])
    }
}

/// Where the decoder is in sigrok's `decode()` loop.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for a dominant level at or after `from` (sigrok's `IDLE`).
    Idle { from: u64 },
    /// `GET BITS`: the last match was at `cursor` (level `cursor_level`); edges are
    /// searched from `scan`.
    Bits {
        cursor: u64,
        cursor_level: u8,
        scan: u64,
    },
}

/// Streaming CAN / CAN FD decoder; one signal: the CAN RX line (recessive = 1).
#[derive(Debug, Clone)]
pub struct CanDecoder {
    nominal: Timing,
    fast: Timing,
    timing: Timing,
    /// sigrok keeps the CRC length across frames.
    crc_len: u32,
    /// Absolute index of the next sample expected; None before the first chunk.
    next: Option<u64>,
    before: u8,
    phase: Phase,
    /// The last sync point (sigrok's `dom_edge_snum`, `dom_edge_bcount`).
    edge_sample: u64,
    edge_bit: u32,
    frame: Box<FrameState>,
}

impl CanDecoder {
    /// `sample_rate` None (the capture has none) is sigrok's `SamplerateError`.
    pub fn new(config: &CanConfig, sample_rate: Option<f64>) -> Result<Self, SetupError> {
        let rate = super::require_sample_rate(sample_rate)?;
        positive("nominal bitrate", config.nominal_bitrate)?;
        positive("fast bitrate", config.fast_bitrate)?;
        if !(0.0..=100.0).contains(&config.sample_point) {
            return Err(SetupError::SamplePoint {
                got: config.sample_point,
            });
        }
        let nominal = Timing::new(rate, config.nominal_bitrate, config.sample_point);
        Ok(CanDecoder {
            nominal,
            fast: Timing::new(rate, config.fast_bitrate, config.sample_point),
            timing: nominal,
            crc_len: 15,
            next: None,
            before: 0,
            phase: Phase::Idle { from: 0 },
            edge_sample: 0,
            edge_bit: 0,
            frame: Box::new(FrameState::new()),
        })
    }

    /// A fresh start at `start`, as if the capture began there.
    fn restart(&mut self, start: u64) {
        self.timing = self.nominal;
        self.crc_len = 15;
        self.next = Some(start);
        self.before = 0;
        self.phase = Phase::Idle { from: start };
        *self.frame = FrameState::new();
    }

    /// sigrok's `get_sample_point(curbit)`, in its float order.
    fn sample_point(&self) -> u64 {
        let bits = f64::from(self.frame.curbit.saturating_sub(self.edge_bit));
        (self.edge_sample as f64 + self.timing.bit_width * bits + self.timing.sample_point) as u64
    }

    fn sync(&mut self, at: u64) {
        self.edge_sample = at;
        self.edge_bit = self.frame.curbit;
    }

    /// Samples the bit at `at` and moves on.
    fn take_bit(&mut self, at: u64, level: u8, out: &mut Vec<CanEvent>) {
        self.phase = Phase::Bits {
            cursor: at,
            cursor_level: level,
            scan: at + 1,
        };
        self.handle_bit(at, level, out);
    }

    fn put(&self, out: &mut Vec<CanEvent>, first: u64, last: u64, field: CanField) {
        out.push(CanEvent::Field {
            span: self.timing.span(first, last),
            field,
        });
    }

    fn error(&mut self, out: &mut Vec<CanEvent>, first: u64, last: u64, error: CanError) {
        self.frame.errors.insert(error);
        out.push(CanEvent::Error {
            span: self.timing.span(first, last),
            error,
        });
    }

    /// sigrok's `handle_bit`, plus the stuffing checks sigrok does not make.
    fn handle_bit(&mut self, at: u64, v: u8, out: &mut Vec<CanEvent>) {
        let f = &mut self.frame;
        if f.data_end_raw == Some(f.raw_count) {
            f.crc_field_start = at;
        }
        f.raw.set(f.raw_count, v);
        f.raw_count += 1;
        f.window = (f.window << 1) | v;
        f.bits.set(f.nbits, v);
        f.nbits += 1;
        let bitnum = f.nbits - 1;

        let brs_bit = if f.extended { 35 } else { 16 };
        if f.fd && v == 1 && bitnum == brs_bit {
            self.sync(at);
            self.timing = self.fast;
        }

        let f = &mut self.frame;
        let six = f.window & 0x3f;
        let stuffing_applies = f.nbits <= f.last_databit + 17;
        let in_dynamic_stuffing = if f.fd {
            f.data_end_raw.is_none()
        } else {
            stuffing_applies
        };
        let run_of_six = f.raw_count >= 6
            && (six == 0 || six == 0x3f)
            && (f.raw_count == 6 || (f.window >> 6) & 1 != v);
        if run_of_six && in_dynamic_stuffing {
            self.error(out, at, at, CanError::Stuff);
        }

        let f = &mut self.frame;
        if stuffing_applies && f.raw_count >= 6 && (six == 0b00_0001 || six == 0b11_1110) {
            f.nbits -= 1;
            if f.data_end_raw.is_none() {
                f.stuff_bits += 1;
            }
            f.curbit += 1;
            out.push(CanEvent::Bit {
                span: self.timing.span(at, at),
                value: v,
                stuff: true,
            });
            self.check_fd_crc(at, out);
            return;
        }
        out.push(CanEvent::Bit {
            span: self.timing.span(at, at),
            value: v,
            stuff: false,
        });

        let done = match bitnum {
            0 => {
                self.frame.ss_packet = at;
                self.put(out, at, at, CanField::Sof);
                if v != 0 {
                    self.error(out, at, at, CanError::SofRecessive);
                }
                false
            }
            1 => {
                self.frame.ss_block = at;
                false
            }
            11 => {
                let f = &mut self.frame;
                f.ident = f.bits.msb_first(1, 12);
                f.full_id = f.ident;
                let (ss, ident) = (f.ss_block, f.ident);
                self.put(out, ss, at, CanField::Id(ident as u16));
                if ident & 0x7f0 == 0x7f0 {
                    self.error(out, ss, at, CanError::IdAllRecessive);
                }
                false
            }
            12 => {
                self.frame.ss_bit12 = at;
                false
            }
            13 => {
                self.frame.extended = v == 1;
                self.put(out, at, at, CanField::Ide { extended: v == 1 });
                false
            }
            2..=10 => false,
            _ if self.frame.extended => self.extended_frame(v, bitnum, at, out),
            _ => self.standard_frame(v, bitnum, at, out),
        };
        if done {
            return;
        }
        let f = &mut self.frame;
        if bitnum == f.last_databit && f.data_end_raw.is_none() {
            f.data_end_raw = Some(f.raw_count);
        }
        f.curbit += 1;
        self.check_fd_crc(at, out);
    }

    fn reserved(&self, out: &mut Vec<CanEvent>, at: u64, bit: ReservedBit, value: u8) {
        self.put(out, at, at, CanField::Reserved { bit, value });
    }

    /// Bits 14.. of a standard frame; true at EOF.
    fn standard_frame(&mut self, v: u8, bitnum: u32, at: u64, out: &mut Vec<CanEvent>) -> bool {
        if bitnum == 14 {
            let fd = v == 1;
            self.frame.fd = fd;
            let bit = if fd {
                ReservedBit::Fdf
            } else {
                ReservedBit::Rb0
            };
            self.reserved(out, at, bit, v);
            let ss12 = self.frame.ss_bit12;
            if fd {
                self.put(out, ss12, ss12, CanField::Rrs);
                self.frame.dlc_start = 18;
            } else {
                let remote = self.frame.bits.get(12) == 1;
                self.frame.rtr = u8::from(remote);
                self.put(out, ss12, ss12, CanField::Rtr { remote });
                self.frame.dlc_start = 15;
            }
        }
        let fd = self.frame.fd;
        if bitnum == 15 && fd {
            self.reserved(out, at, ReservedBit::R0, v);
        }
        if bitnum == 16 && fd {
            self.frame.brs = v == 1;
            self.reserved(out, at, ReservedBit::Brs, v);
        }
        if bitnum == 17 && fd {
            self.frame.esi = v == 1;
            self.reserved(out, at, ReservedBit::Esi, v);
            false
        } else {
            self.data_phase(v, bitnum, at, out)
        }
    }

    /// Bits 14.. of an extended frame; true at EOF.
    fn extended_frame(&mut self, v: u8, bitnum: u32, at: u64, out: &mut Vec<CanEvent>) -> bool {
        if bitnum == 14 {
            let f = &mut self.frame;
            f.ss_block = at;
            f.fd = false;
            f.dlc_start = 35;
        } else if bitnum == 31 {
            let f = &mut self.frame;
            let eid = f.bits.msb_first(14, 32);
            f.full_id = (f.ident << 18) | eid;
            let (ss, full, ss12, srr) = (f.ss_block, f.full_id, f.ss_bit12, f.bits.get(12));
            self.put(out, ss, at, CanField::ExtId(eid));
            self.put(out, ss, at, CanField::FullId(full));
            self.put(out, ss12, ss12, CanField::Srr(srr));
        }
        let fd = self.frame.fd;
        match bitnum {
            32 => {
                self.frame.ss_bit32 = at;
                self.frame.rtr = v;
                if !fd {
                    self.put(out, at, at, CanField::Rtr { remote: v == 1 });
                }
                false
            }
            33 => {
                let fd = v == 1;
                self.frame.fd = fd;
                if fd {
                    self.frame.dlc_start = 37;
                    self.reserved(out, at, ReservedBit::Fdf, v);
                    let (ss32, rtr) = (self.frame.ss_bit32, self.frame.rtr);
                    self.put(
                        out,
                        ss32,
                        ss32,
                        CanField::Reserved {
                            bit: ReservedBit::Rb1,
                            value: rtr,
                        },
                    );
                } else {
                    self.reserved(out, at, ReservedBit::Rb1, v);
                }
                false
            }
            34 => {
                self.reserved(out, at, ReservedBit::Rb0, v);
                false
            }
            35 if fd => {
                self.frame.brs = v == 1;
                self.reserved(out, at, ReservedBit::Brs, v);
                false
            }
            36 if fd => {
                self.frame.esi = v == 1;
                self.reserved(out, at, ReservedBit::Esi, v);
                false
            }
            _ => self.data_phase(v, bitnum, at, out),
        }
    }

    /// DLC, data and the frame end, shared by both formats; true at EOF.
    fn data_phase(&mut self, v: u8, bitnum: u32, at: u64, out: &mut Vec<CanEvent>) -> bool {
        let f = &mut self.frame;
        let dlc_start = f.dlc_start;
        if bitnum == dlc_start {
            f.ss_block = at;
        } else if bitnum == dlc_start + 3 {
            f.dlc = f.bits.msb_first(dlc_start, dlc_start + 4) as u8;
            f.last_databit = dlc_start + 3 + f.data_len() * 8;
            let (ss, dlc, fd, extended) = (f.ss_block, f.dlc, f.fd, f.extended);
            self.put(out, ss, at, CanField::Dlc(dlc));
            if dlc > 8 && !fd && !extended {
                self.error(out, ss, at, CanError::DlcTooLarge);
            }
        } else if (dlc_start + 4..=f.last_databit).contains(&bitnum) {
            let k = (bitnum - dlc_start - 4) as usize;
            if let Some(b) = f.byte_bits.get_mut(k / 8) {
                match k % 8 {
                    0 => b.0 = at,
                    7 => b.1 = at,
                    _ => {}
                }
            }
            if bitnum == f.last_databit {
                self.data_bytes(out);
            }
        } else if bitnum > f.last_databit {
            return self.frame_end(v, bitnum, at, out);
        }
        false
    }

    fn data_bytes(&mut self, out: &mut Vec<CanEvent>) {
        let f = &mut self.frame;
        let first = f.dlc_start + 4;
        for i in 0..f.data_len().min(64) {
            let value = f.bits.msb_first(first + 8 * i, first + 8 * i + 8) as u8;
            f.data[i as usize] = value;
        }
        let f = &self.frame;
        for i in 0..f.data_len().min(64) as usize {
            let (ss, es) = f.byte_bits[i];
            let field = CanField::Data {
                index: i as u8,
                value: f.data[i],
            };
            self.put(out, ss, es, field);
        }
    }

    /// CRC, delimiters, ACK and EOF (sigrok's `decode_frame_end`); true at EOF.
    fn frame_end(&mut self, v: u8, bitnum: u32, at: u64, out: &mut Vec<CanEvent>) -> bool {
        let f = &mut self.frame;
        let last = f.last_databit;
        if bitnum == last + 1 {
            f.ss_block = at;
            self.crc_len = match (f.fd, f.data_len() < 16) {
                (false, _) => 15,
                (true, true) => 27,
                (true, false) => 32,
            };
            return false;
        }
        let crc_len = self.crc_len;
        match bitnum - last {
            d if d == crc_len => {
                let kind = match (f.fd, f.data_len() < 16) {
                    (false, _) => CrcKind::Crc15,
                    (true, true) => CrcKind::Crc17,
                    (true, false) => CrcKind::Crc21,
                };
                let value = f.bits.msb_first(last + 1, bitnum + 1);
                let ss = f.ss_block;
                self.put(out, ss, at, CanField::Crc { kind, value });
                if kind == CrcKind::Crc15 {
                    let f = &mut self.frame;
                    let computed = kind.compute((0..=last).map(|i| f.bits.get(i)));
                    let check = CrcCheck {
                        kind,
                        received: value,
                        computed,
                        stuff_count: None,
                    };
                    f.crc = Some(check);
                    if !check.ok() {
                        self.error(out, ss, at, CanError::Crc);
                    }
                }
            }
            d if d == crc_len + 1 => {
                self.put(out, at, at, CanField::CrcDelimiter(v));
                if v != 1 {
                    self.error(out, at, at, CanError::CrcDelimiter);
                }
                if self.frame.fd {
                    self.timing = self.nominal;
                }
            }
            d if d == crc_len + 2 => {
                let ack = v == 0;
                self.frame.ack = ack;
                self.put(out, at, at, CanField::AckSlot { ack });
                if !ack {
                    self.error(out, at, at, CanError::Nack);
                }
            }
            d if d == crc_len + 3 => {
                self.put(out, at, at, CanField::AckDelimiter(v));
                if v != 1 {
                    self.error(out, at, at, CanError::AckDelimiter);
                }
            }
            d if d == crc_len + 4 => f.ss_block = at,
            d if d == crc_len + 10 => {
                let ss = f.ss_block;
                let eof_ok = f.window & 0x7f == 0x7f;
                self.put(out, ss, at, CanField::Eof);
                if !eof_ok {
                    self.error(out, ss, at, CanError::Eof);
                }
                self.end_frame(at, out);
                return true;
            }
            _ => {}
        }
        false
    }

    /// Reports the frame and goes back to waiting for a SOF (at this very sample).
    fn end_frame(&mut self, at: u64, out: &mut Vec<CanEvent>) {
        let f = &self.frame;
        let frame = CanFrame {
            span: Span {
                start: f.ss_packet.saturating_sub(self.timing.left),
                end: at.saturating_add(self.timing.right),
            },
            id: f.full_id,
            extended: f.extended,
            fd: f.fd,
            remote: !f.fd && f.rtr == 1,
            brs: f.brs,
            esi: f.esi,
            dlc: f.dlc,
            data: f.data,
            data_len: f.data_len() as u8,
            crc: f.crc,
            ack: f.ack,
            errors: f.errors,
        };
        out.push(CanEvent::Frame(Box::new(frame)));
        *self.frame = FrameState::new();
        self.phase = Phase::Idle { from: at };
    }

    /// Checks a CAN FD CRC field once all its raw bits are in: fixed stuff bits, stuff
    /// count and CRC over the stuffed bits SOF..data plus the stuff count.
    fn check_fd_crc(&mut self, at: u64, out: &mut Vec<CanEvent>) {
        let f = &mut self.frame;
        let Some(d) = f.data_end_raw else { return };
        if !f.fd || f.crc.is_some() {
            return;
        }
        // ISO 11898-1: CRC-17 up to 16 bytes. (sigrok's annotations switch to CRC-21 at
        // 16 bytes already; they follow sigrok, this check follows the standard.)
        let (kind, len) = if f.data_len() <= 16 {
            (CrcKind::Crc17, 27)
        } else {
            (CrcKind::Crc21, 32)
        };
        if f.raw_count != d + len {
            return;
        }
        let raw = |p: u32| f.raw.get(d + p);
        let fixed_ok = (0..len)
            .step_by(5)
            .all(|p| d + p == 0 || raw(p) != f.raw.get(d + p - 1));
        let gray = [raw(1), raw(2), raw(3)];
        let count = gray_to_binary(gray);
        let parity_ok = raw(4) == gray[0] ^ gray[1] ^ gray[2];
        let received = (6..len)
            .filter(|p| p % 5 != 0)
            .fold(0, |acc, p| (acc << 1) | u32::from(raw(p)));
        let body = (0..d).map(|i| f.raw.get(i));
        let computed = kind.compute(body.chain((1..5).map(raw)));
        let want_count = (f.stuff_bits % 8) as u8;
        let check = CrcCheck {
            kind,
            received,
            computed,
            // A bad parity bit makes the count unusable: report it as wrong.
            stuff_count: Some((if parity_ok { count } else { 8 }, want_count)),
        };
        f.crc = Some(check);
        let start = f.crc_field_start;
        if !fixed_ok {
            self.error(out, start, at, CanError::FixedStuff);
        }
        if check.stuff_count.is_some_and(|(got, want)| got != want) {
            self.error(out, start, at, CanError::StuffCount);
        }
        if check.received != check.computed {
            self.error(out, start, at, CanError::Crc);
        }
    }
}

/// A bit's annotation text, borrowed.
fn bit_text(value: u8) -> &'static str {
    if value == 0 { "0" } else { "1" }
}

/// The stuff count's 3-bit gray code, first bit most significant.
fn gray_to_binary(g: [u8; 3]) -> u8 {
    let b2 = g[0];
    let b1 = g[1] ^ b2;
    let b0 = g[2] ^ b1;
    (b2 << 2) | (b1 << 1) | b0
}

/// The gray code of a stuff count (0..8), first bit most significant.
pub fn stuff_count_gray(count: u8) -> [u8; 3] {
    let g = (count & 7) ^ ((count & 7) >> 1);
    [(g >> 2) & 1, (g >> 1) & 1, g & 1]
}

/// The CRC a transmitter sends: over the destuffed bits SOF..data for classic CAN, over
/// the stuffed bits SOF..data followed by the 4 stuff count bits for CAN FD.
pub fn frame_crc(kind: CrcKind, bits: &[u8]) -> u32 {
    kind.compute(bits.iter().copied())
}

impl Decoder for CanDecoder {
    type Event = CanEvent;

    /// One signal: `signals[0]` is CAN RX.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<CanEvent>) {
        let Some(&levels) = signals.first() else {
            return;
        };
        if self.next != Some(start) {
            self.restart(start);
        }
        let line = Line {
            base: start,
            levels,
            before: self.before,
        };
        let end = line.end();
        loop {
            match self.phase {
                Phase::Idle { from } => match line.find_level(from, end, 0) {
                    Some(sof) => {
                        self.edge_sample = sof;
                        self.edge_bit = self.frame.curbit;
                        self.phase = Phase::Bits {
                            cursor: sof,
                            cursor_level: 0,
                            scan: sof + 1,
                        };
                    }
                    None => {
                        self.phase = Phase::Idle { from: end };
                        break;
                    }
                },
                Phase::Bits {
                    cursor,
                    cursor_level,
                    scan,
                } => {
                    // A sample point at or before the last match is sigrok's `skip: 0`
                    // (a negative skip would make sigrok raise; it waits for nothing here).
                    let target = self.sample_point().max(cursor);
                    match line.edge_or_skip(scan, target, 0) {
                        Some(Wake::Edge(edge)) => {
                            self.sync(edge);
                            self.phase = Phase::Bits {
                                cursor: edge,
                                cursor_level: 0,
                                scan: edge + 1,
                            };
                        }
                        Some(Wake::Both(edge)) => {
                            self.sync(edge);
                            self.take_bit(edge, 0, out);
                        }
                        Some(Wake::Skip(at)) => {
                            let level = if at == cursor {
                                cursor_level
                            } else {
                                line.level(at)
                            };
                            self.take_bit(at, level, out);
                        }
                        None => {
                            self.phase = Phase::Bits {
                                cursor,
                                cursor_level,
                                scan: end,
                            };
                            break;
                        }
                    }
                }
            }
        }
        self.before = levels.last().copied().unwrap_or(self.before);
        self.next = Some(end);
    }

    /// sigrok reports a frame as it goes, so nothing is pending at the end.
    fn finish(&mut self, _out: &mut Vec<CanEvent>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc15_of_a_known_frame() {
        // Standard data frame, ID 0x123, DLC 1, data 0x55 (destuffed SOF..data); the CRC
        // comes from an independent bit-serial implementation of ISO 11898-1's algorithm.
        let mut bits = vec![0u8];
        let push = |bits: &mut Vec<u8>, v: u32, n: u32| {
            for i in (0..n).rev() {
                bits.push(((v >> i) & 1) as u8);
            }
        };
        push(&mut bits, 0x123, 11);
        push(&mut bits, 0, 3); // RTR, IDE, r0
        push(&mut bits, 1, 4);
        push(&mut bits, 0x55, 8);
        let mut reg: u16 = 0;
        for &b in &bits {
            let next = (b ^ ((reg >> 14) as u8 & 1)) == 1;
            reg = (reg << 1) & 0x7fff;
            if next {
                reg ^= 0x4599;
            }
        }
        assert_eq!(frame_crc(CrcKind::Crc15, &bits), u32::from(reg));
    }

    #[test]
    fn stuff_count_gray_round_trips() {
        for n in 0..8u8 {
            assert_eq!(gray_to_binary(stuff_count_gray(n)), n);
        }
        assert_eq!(stuff_count_gray(5), [1, 1, 1]);
        assert_eq!(stuff_count_gray(2), [0, 1, 1]);
    }

    #[test]
    fn setup_errors() {
        let cfg = CanConfig::default();
        assert_eq!(
            CanDecoder::new(&cfg, None).err(),
            Some(SetupError::NoSampleRate)
        );
        let bad = CanConfig {
            sample_point: 120.0,
            ..cfg
        };
        assert_eq!(
            CanDecoder::new(&bad, Some(1e6)).err(),
            Some(SetupError::SamplePoint { got: 120.0 })
        );
    }
}
