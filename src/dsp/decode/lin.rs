//! Streaming LIN decoder stacked on the UART decoder, with libsigrokdecode's `lin`
//! semantics (version 0.5.3, the one sigrok-test's expected outputs were made with): break,
//! sync, protected identifier with its parity check, data bytes and the classic (LIN 1) or
//! enhanced (LIN 2) checksum.
//!
//! sigrok's `lin` reads three packets of its `uart` decoder: `DATA` (a byte, at its last
//! data bit), `BREAK` (at the rising edge ending a space of at least a frame time) and
//! `IDLE` (the line held at mark for a frame time). A frame is closed by the next break
//! or by the second `IDLE` after it began. tracekit's [`UartDecoder`] gives the first two;
//! [`IdleTracker`] adds the third, from the same line levels and the stop bits the UART
//! reports, reproducing sigrok's `idle_start` bookkeeping to the sample.

use super::uart::{UartConfig, UartDecoder, UartEvent};
use super::{
    Annotate, Annotations, Decoder, Line, SetupError, Span, positive, require_sample_rate,
};

/// Which checksum the slaves use (sigrok's `version` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinVersion {
    /// LIN 1.x: classic checksum over the data bytes.
    V1,
    /// LIN 2.x: enhanced checksum, the protected ID included (except for IDs 60 and 61).
    #[default]
    V2,
}

/// Decoder options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinConfig {
    pub baud: f64,
    pub version: LinVersion,
}

impl Default for LinConfig {
    fn default() -> Self {
        LinConfig {
            baud: 19_200.0,
            version: LinVersion::V2,
        }
    }
}

/// A UART byte with sigrok's `DATA` span (first to last data bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinByte {
    pub span: Span,
    pub value: u8,
}

/// The parity bits (P1 P0) that protect a 6-bit identifier.
pub fn id_parity(id: u8) -> u8 {
    let b = |i: u8| (id >> i) & 1;
    let p0 = b(0) ^ b(1) ^ b(2) ^ b(4);
    let p1 = 1 ^ (b(1) ^ b(3) ^ b(4) ^ b(5));
    (p1 << 1) | p0
}

/// The protected identifier: the ID with its parity bits on top.
pub fn protected_id(id: u8) -> u8 {
    (id & 0x3f) | (id_parity(id & 0x3f) << 6)
}

/// Whether the checksum covers the protected ID: enhanced checksums do, except for the
/// diagnostic frames (IDs 60, 61).
fn covers_pid(version: LinVersion, pid: u8) -> bool {
    version == LinVersion::V2 && !matches!(pid & 0x3f, 60 | 61)
}

/// The checksum a LIN node sends: the inverted sum with end-around carry.
pub fn checksum(version: LinVersion, pid: u8, data: &[u8]) -> u8 {
    let first = if covers_pid(version, pid) {
        u32::from(pid)
    } else {
        0
    };
    let sum = data.iter().fold(first, |acc, &b| {
        let s = acc + u32::from(b);
        if s > 0xff { s - 0xff } else { s }
    });
    !(sum as u8)
}

/// sigrok's check: sum with a single carry fold must end in 0xFF.
fn sigrok_checksum_ok(version: LinVersion, pid: Option<u8>, data: &[LinByte], sum: u8) -> bool {
    let mut total = u32::from(sum);
    if let Some(pid) = pid
        && covers_pid(version, pid)
    {
        total += u32::from(pid);
    }
    total += data.iter().map(|b| u32::from(b.value)).sum::<u32>();
    total += total / 256;
    total & 0xff == 0xff
}

/// A closed frame, reported after its annotations (typed only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinFrame {
    /// From the sync byte to the last byte.
    pub span: Span,
    pub sync: u8,
    /// The protected identifier byte, if one came.
    pub pid: Option<u8>,
    pub data: Vec<u8>,
    pub checksum: Option<u8>,
    /// sigrok's verdicts: parity of the PID, and the checksum (None without a response).
    pub parity_ok: bool,
    pub checksum_ok: Option<bool>,
}

impl LinFrame {
    /// The 6-bit frame identifier.
    pub fn id(&self) -> Option<u8> {
        self.pid.map(|p| p & 0x3f)
    }
}

/// One decoder output, in sigrok's emission order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinEvent {
    Break {
        span: Span,
    },
    Sync {
        byte: LinByte,
    },
    Pid {
        byte: LinByte,
        parity_ok: bool,
    },
    Data {
        byte: LinByte,
    },
    Checksum {
        byte: LinByte,
        ok: bool,
    },
    /// A protocol error: a non-zero byte where a break was due, or any byte after one.
    Error {
        span: Span,
    },
    Frame(Box<LinFrame>),
}

impl Annotate for LinEvent {
    const DECODER: &'static str = "lin";
    const CLASSES: &'static [&'static str] = &["data", "control", "error", "inline_error"];

    fn annotate(&self, out: &mut Annotations) {
        match self {
            LinEvent::Break { span } => {
                out.push_span(*span, "control", &["Break condition", "Break", "Brk", "B"])
            }
            LinEvent::Sync { byte } => {
                out.push_span(byte.span, "data", &["Sync", "S"]);
                if byte.value != 0x55 {
                    out.push_span(
                        byte.span,
                        "error",
                        &["Sync is not 0x55", "Not 0x55", "!= 0x55"],
                    );
                }
            }
            LinEvent::Pid { byte, parity_ok } => {
                let (id, parity) = (byte.value & 0x3f, byte.value >> 6);
                let Span { start, end } = byte.span;
                if !parity_ok {
                    let expected = id_parity(id);
                    out.line(start, end, "error", |t| {
                        t.fmt(format_args!("P != {expected}"));
                    });
                }
                let class = if *parity_ok { "data" } else { "inline_error" };
                let verdict = if *parity_ok { "ok" } else { "bad" };
                out.line(start, end, class, |t| {
                    t.fmt(format_args!("ID: {id:02X} Parity: {parity} ({verdict})"))
                        .fmt(format_args!("ID: 0x{id:02X}"))
                        .fmt(format_args!("I: {id}"));
                });
            }
            LinEvent::Data { byte } => out.line(byte.span.start, byte.span.end, "data", |t| {
                t.fmt(format_args!("Data: 0x{:02X}", byte.value))
                    .fmt(format_args!("D: 0x{:02X}", byte.value));
            }),
            LinEvent::Checksum { byte, ok } => {
                let class = if *ok { "data" } else { "inline_error" };
                out.line(byte.span.start, byte.span.end, class, |t| {
                    t.fmt(format_args!("Checksum: 0x{:02X}", byte.value))
                        .text("Checksum")
                        .text("Chk")
                        .text("C");
                });
                if !ok {
                    out.push_span(byte.span, "error", &["Checksum invalid"]);
                }
            }
            LinEvent::Error { span } => {
                out.push_span(*span, "inline_error", &["Error", "Err", "E"]);
            }
            LinEvent::Frame(_) => {}
        }
    }
}

/// sigrok's LIN frame states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    WaitForBreak,
    Sync,
    Pid,
    Data,
    Checksum,
    Error,
}

impl State {
    /// sigrok's transition table (Error is always allowed).
    fn allows(self, to: State) -> bool {
        to == State::Error
            || matches!(
                (self, to),
                (State::WaitForBreak, State::Sync)
                    | (State::Sync, State::Pid)
                    | (State::Pid, State::Data)
                    | (State::Data, State::Data | State::Checksum)
                    | (State::Checksum, State::WaitForBreak)
                    | (State::Error, State::Sync)
            )
    }

    /// Not waiting for a break (sigrok's "not in (WAIT_FOR_BREAK, ERROR)").
    fn in_frame(self) -> bool {
        !matches!(self, State::WaitForBreak | State::Error)
    }
}

/// More bytes than any LIN frame has; sigrok's lists are unbounded, these stop growing.
const MAX_BYTES: usize = 256;

/// sigrok's `lin` decoder over UART packets.
#[derive(Debug, Clone)]
struct LinFsm {
    version: LinVersion,
    state: State,
    idle_count: u32,
    header: Vec<LinByte>,
    response: Vec<LinByte>,
}

impl LinFsm {
    fn transit(&mut self, to: State) {
        if self.state.allows(to) {
            self.state = to;
        }
    }

    fn reset(&mut self) {
        self.state = State::WaitForBreak;
        self.idle_count = 0;
    }

    fn on_data(&mut self, byte: LinByte, out: &mut Vec<LinEvent>) {
        match self.state {
            State::WaitForBreak => {
                if byte.value != 0 {
                    self.transit(State::Error);
                    out.push(LinEvent::Error { span: byte.span });
                }
            }
            State::Error => out.push(LinEvent::Error { span: byte.span }),
            State::Sync => {
                self.transit(State::Pid);
                push_capped(&mut self.header, byte);
            }
            State::Pid => {
                self.transit(State::Data);
                push_capped(&mut self.header, byte);
            }
            State::Data => push_capped(&mut self.response, byte),
            // sigrok would raise here (its handler takes no byte); the state is transient.
            State::Checksum => {}
        }
    }

    fn on_break(&mut self, span: Span, out: &mut Vec<LinEvent>) {
        if self.state.in_frame() {
            // The break itself arrived as a 0x00 byte: drop it (sigrok's "wipe").
            let dropped = match self.response.pop() {
                Some(b) => b.value,
                None => {
                    self.header.pop();
                    0
                }
            };
            if dropped == 0 {
                self.transit(State::Checksum);
                self.close(out);
            } else {
                self.transit(State::Error);
                out.push(LinEvent::Error { span });
            }
        }
        self.reset();
        self.transit(State::Sync);
        out.push(LinEvent::Break { span });
    }

    fn on_idle(&mut self, out: &mut Vec<LinEvent>) {
        if self.state.in_frame() {
            self.idle_count += 1;
            if self.idle_count == 2 {
                self.transit(State::Checksum);
                self.close(out);
                self.reset();
            }
        }
    }

    /// sigrok's `handle_checksum`: annotates the frame and clears it. Where sigrok would
    /// raise on a frame without a sync byte, nothing is reported.
    fn close(&mut self, out: &mut Vec<LinEvent>) {
        let mut header = self.header.drain(..);
        let sync = header.next();
        let pid = header.next();
        drop(header);
        self.header.clear();
        let Some(sync) = sync else {
            self.response.clear();
            return;
        };
        out.push(LinEvent::Sync { byte: sync });
        // sigrok pops the checksum, then reports a response only if bytes remain: a lone
        // byte after the header is dropped.
        let last = self.response.pop();
        let checksum = last.filter(|_| !self.response.is_empty());
        let parity_ok = pid.is_some_and(|p| p.value >> 6 == id_parity(p.value & 0x3f));
        if let Some(pid) = pid {
            out.push(LinEvent::Pid {
                byte: pid,
                parity_ok,
            });
        }
        let mut checksum_ok = None;
        let mut end = pid.unwrap_or(sync).span.end;
        if let Some(sum) = checksum {
            let ok = sigrok_checksum_ok(
                self.version,
                pid.map(|p| p.value),
                &self.response,
                sum.value,
            );
            for &byte in &self.response {
                out.push(LinEvent::Data { byte });
            }
            out.push(LinEvent::Checksum { byte: sum, ok });
            checksum_ok = Some(ok);
            end = sum.span.end;
        }
        out.push(LinEvent::Frame(Box::new(LinFrame {
            span: Span {
                start: sync.span.start,
                end,
            },
            sync: sync.value,
            pid: pid.map(|p| p.value),
            data: self.response.iter().map(|b| b.value).collect(),
            checksum: checksum.map(|b| b.value),
            parity_ok,
            checksum_ok,
        })));
        self.response.clear();
    }
}

fn push_capped(list: &mut Vec<LinByte>, byte: LinByte) {
    if list.len() < MAX_BYTES {
        list.push(byte);
    }
}

/// sigrok's UART `IDLE` packets: its `idle_start` bookkeeping, over the line levels.
///
/// `idle_start` is set to F + frame length at each stop bit (F: the frame's start), to the
/// sample of a rising edge when unset, cleared by every low level seen at an edge or at a
/// deadline; at each deadline `idle_start + frame length` with the line high an `IDLE`
/// is reported and `idle_start` moves there. Long idle stretches are handled in closed
/// form (the LIN layer needs at most two `IDLE`s in a row).
#[derive(Debug, Clone)]
pub struct IdleTracker {
    frame_len: u64,
    idle_start: Option<u64>,
    /// Next sample to look at, and the level of the one before it.
    pos: u64,
    before: u8,
}

impl IdleTracker {
    pub fn new(frame_len: u64, start: u64) -> Self {
        IdleTracker {
            frame_len: frame_len.max(1),
            idle_start: None,
            pos: start,
            before: 0,
        }
    }

    /// A stop bit was read: the idle period is counted from the frame's nominal end.
    pub fn stop_bit(&mut self, frame_start: u64) {
        self.idle_start = Some(frame_start + self.frame_len);
    }

    /// sigrok's `inspect_idle` at `at` with the line at `level`; true for an `IDLE`.
    fn inspect(&mut self, at: u64, level: u8) -> bool {
        if level == 0 {
            self.idle_start = None;
            return false;
        }
        let start = *self.idle_start.get_or_insert(at);
        if at >= start && at - start >= self.frame_len {
            self.idle_start = Some(at);
            return true;
        }
        false
    }

    /// Handles samples `pos..until` of `line`; returns how many `IDLE`s came (capped at 2).
    pub fn advance(&mut self, line: &Line, until: u64) -> u32 {
        let mut idles = 0u32;
        let until = until.min(line.end());
        while self.pos < until {
            let at = self.pos;
            let level = line.level(at);
            let deadline_hit = self.idle_start.is_some_and(|s| s + self.frame_len == at);
            if level != self.before {
                idles += u32::from(self.inspect(at, level));
            }
            if deadline_hit {
                idles += u32::from(self.inspect(at, level));
            }
            // The run of `level` from at + 1 up to the next edge has deadlines only.
            let run_end = line.find_level(at + 1, until, 1 - level).unwrap_or(until);
            if let Some(s) = self.idle_start {
                let first = s + self.frame_len;
                if first > at && first < run_end {
                    if level == 0 {
                        self.idle_start = None;
                    } else {
                        let n = (run_end - 1 - first) / self.frame_len + 1;
                        idles += n.min(2) as u32;
                        self.idle_start = Some(first + (n - 1) * self.frame_len);
                    }
                }
            }
            self.before = level;
            self.pos = run_end;
        }
        idles.min(2)
    }
}

/// Streaming LIN decoder; one signal: the LIN bus line (idle high).
#[derive(Debug, Clone)]
pub struct LinDecoder {
    uart_config: UartConfig,
    sample_rate: f64,
    baud: f64,
    uart: UartDecoder,
    uart_events: Vec<UartEvent>,
    /// Absolute sample of the UART decoder's sample 0; None before the first chunk.
    origin: Option<u64>,
    next: u64,
    idle: IdleTracker,
    fsm: LinFsm,
}

impl LinDecoder {
    /// sigrok's `uart` (8N1 at `config.baud`) with `lin` on top.
    pub fn new(config: &LinConfig, sample_rate: Option<f64>) -> Result<Self, SetupError> {
        let rate = require_sample_rate(sample_rate)?;
        let baud = positive("baud rate", config.baud)?;
        let uart_config = UartConfig::default();
        let uart = UartDecoder::new(&uart_config, rate, baud)?;
        Ok(LinDecoder {
            uart_config,
            sample_rate: rate,
            baud,
            idle: IdleTracker::new(uart.frame_samples(), 0),
            uart,
            uart_events: Vec::new(),
            origin: None,
            next: 0,
            fsm: LinFsm {
                version: config.version,
                state: State::WaitForBreak,
                idle_count: 0,
                header: Vec::new(),
                response: Vec::new(),
            },
        })
    }

    fn restart(&mut self, start: u64) {
        if let Ok(uart) = UartDecoder::new(&self.uart_config, self.sample_rate, self.baud) {
            self.uart = uart;
        }
        self.origin = Some(start);
        self.next = start;
        self.idle = IdleTracker::new(self.idle.frame_len, start);
        let version = self.fsm.version;
        self.fsm = LinFsm {
            version,
            state: State::WaitForBreak,
            idle_count: 0,
            header: Vec::new(),
            response: Vec::new(),
        };
    }

    fn feed_idles(&mut self, line: &Line, until: u64, out: &mut Vec<LinEvent>) {
        for _ in 0..self.idle.advance(line, until) {
            self.fsm.on_idle(out);
        }
    }

    /// Hands the UART events of this chunk to LIN, interleaved with the `IDLE`s in
    /// sample order.
    /// `cut`: the events come from the end of the data (a byte without its stop bit).
    fn relay(&mut self, line: &Line, origin: u64, cut: bool, out: &mut Vec<LinEvent>) {
        let events = std::mem::take(&mut self.uart_events);
        for event in &events {
            match *event {
                UartEvent::Data {
                    start, value, data, ..
                } => {
                    let byte = LinByte {
                        span: shift(data, origin),
                        value: value as u8,
                    };
                    // A byte reported at its stop bit: the IDLEs before come first, and the
                    // stop bit restarts the idle count after the byte.
                    if !cut {
                        let stop = self.uart.stop_sample_point(start) + origin;
                        self.feed_idles(line, stop, out);
                    }
                    self.fsm.on_data(byte, out);
                    if !cut {
                        self.idle.stop_bit(start + origin);
                    }
                }
                UartEvent::Break { span, .. } => {
                    let span = shift(span, origin);
                    self.feed_idles(line, span.end, out);
                    self.fsm.on_break(span, out);
                }
                UartEvent::InvalidStart { .. } => {}
            }
        }
        self.uart_events = events;
        self.uart_events.clear();
    }
}

fn shift(span: Span, by: u64) -> Span {
    Span {
        start: span.start + by,
        end: span.end + by,
    }
}

impl Decoder for LinDecoder {
    type Event = LinEvent;

    /// One signal: `signals[0]` is the LIN bus.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<LinEvent>) {
        let Some(&levels) = signals.first() else {
            return;
        };
        if self.origin.is_none() || self.next != start {
            self.restart(start);
        }
        let origin = self.origin.unwrap_or(start);
        let line = Line {
            base: start,
            levels,
            before: 0,
        };
        self.uart.push(levels, &mut self.uart_events);
        self.relay(&line, origin, false, out);
        self.feed_idles(&line, line.end(), out);
        self.next = line.end();
    }

    /// A byte cut by the end still reaches LIN; sigrok closes no frame at the end.
    fn finish(&mut self, out: &mut Vec<LinEvent>) {
        self.uart.finish(&mut self.uart_events);
        let end = self.next;
        let line = Line {
            base: end,
            levels: &[],
            before: 0,
        };
        self.relay(&line, self.origin.unwrap_or(0), true, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_and_checksums() {
        // LIN 2.x spec examples: PID of ID 0x3C is 0x3C, of 0x01 is 0xC1, of 0x23 is 0xA3.
        assert_eq!(protected_id(0x3c), 0x3c);
        assert_eq!(protected_id(0x01), 0xc1);
        assert_eq!(protected_id(0x23), 0xa3);
        // The fixture's frame: ID 0x01, data 11 11, enhanced checksum 0x1C.
        assert_eq!(checksum(LinVersion::V2, 0xc1, &[0x11, 0x11]), 0x1c);
        assert_eq!(checksum(LinVersion::V1, 0xc1, &[0x11, 0x11]), 0xdd);
        // Diagnostic frames use the classic checksum even in LIN 2.
        assert_eq!(checksum(LinVersion::V2, 0x3c, &[0x11]), 0xee);
    }
}
