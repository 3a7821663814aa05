//! Streaming UART decoding: line levels → frames, with sigrok's sampling rules.
//!
//! [`UartDecoder`] keeps its state across `push` calls (a frame may straddle any number of
//! chunks) and gives identical events whatever the chunk size. The sampling reproduces
//! libsigrokdecode 0.5.3's `uart` decoder exactly, so results can be checked against
//! `sigrok-cli` sample for sample.

use super::config::{Parity, UartConfig, UartError, bit_samples};
use memchr::{memchr, memrchr};
use serde::Serialize;

/// `x.ceil() as u64` for 0 <= x < 2^63, without the libm call that `f64::ceil` costs on
/// baseline x86-64 (no SSE4.1): truncation to i64 is one instruction and exact in that
/// range, so one compare fixes it up.
#[inline]
fn ceil_u64(x: f64) -> u64 {
    let t = x as i64;
    (t + i64::from((t as f64) < x)) as u64
}

pub use crate::dsp::decode::Span;

/// The error attached to a decoded frame (`--format json` spells them in lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrameError {
    Framing,
    Parity,
    Break,
}

/// One decoder output, in the order sigrok reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UartEvent {
    /// A frame whose data bits were all read. `value` is reported even when the parity or
    /// stop bit is bad (as sigrok does); the error spans are sigrok's annotation ranges.
    Data {
        /// F: the first space sample after the mark-to-space edge.
        start: u64,
        value: u16,
        /// sigrok's `data` annotation: sp(1) - floor(bw/2) .. sp(n) + ceil(bw/2).
        data: Span,
        /// sigrok's `parity-error` annotation, when the parity bit is wrong.
        parity_error: Option<Span>,
        /// sigrok's `frame-error` annotation, when the (first) stop bit is at space.
        stop_error: Option<Span>,
    },
    /// The line was back at mark at the start bit's sample point: a glitch, no value.
    /// sigrok reports it as a `frame-error` annotation centred on that sample point.
    InvalidStart { start: u64, span: Span },
    /// The line stayed at space for at least one frame time. The frame it began is also
    /// reported (as `00` with a stop error), before this event.
    Break {
        /// sigrok's `break` annotation: the start F of the last frame .. the rising edge.
        span: Span,
        /// The space run itself: its falling edge .. the rising edge (>= one frame time).
        /// It starts later than `span` when glitches interrupted the frame.
        space: Span,
    },
}

impl UartEvent {
    /// The sample where the frame (or break) begins.
    pub fn start(&self) -> u64 {
        match self {
            UartEvent::Data { start, .. } | UartEvent::InvalidStart { start, .. } => *start,
            UartEvent::Break { span, .. } => span.start,
        }
    }

    /// The decoded value, for events that have one.
    pub fn value(&self) -> Option<u16> {
        match self {
            UartEvent::Data { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// A bad stop bit outranks a bad parity bit: it means the frame is misaligned, so
    /// its parity says nothing.
    pub fn error(&self) -> Option<FrameError> {
        match self {
            UartEvent::Data {
                stop_error: Some(_),
                ..
            }
            | UartEvent::InvalidStart { .. } => Some(FrameError::Framing),
            UartEvent::Data {
                parity_error: Some(_),
                ..
            } => Some(FrameError::Parity),
            UartEvent::Data { .. } => None,
            UartEvent::Break { .. } => Some(FrameError::Break),
        }
    }
}

/// A frame being read: which bit comes next and where.
#[derive(Debug, Clone, Copy)]
struct FrameState {
    start: u64,
    /// 0 = start bit, 1..=n data, then parity, then the stop bit.
    bit: u32,
    /// Absolute sample of that bit's sample point.
    sample_at: u64,
    /// Data bits in arrival order, first bit in bit 0.
    raw: u16,
    /// Last sample at mark level seen since F - 1: where a space run (a break) began.
    last_mark: u64,
    parity_error: Option<Span>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// No sample seen yet: the first one sets the line level, without an edge.
    Fresh,
    /// Line at mark: the next space sample is a falling edge, the start of a frame.
    Mark,
    /// Line at space, waiting for the rising edge; `since` is the falling edge that began
    /// the run and the start of the last frame (None when the capture began at space, so
    /// sigrok saw no edge).
    Space {
        since: Option<(u64, u64)>,
    },
    Frame(FrameState),
}

/// Streaming UART decoder over physical line levels (`u8`, exactly 0 or 1).
///
/// Sampling is libsigrokdecode 0.5.3's: frame start F is the first space sample after a
/// mark-to-space edge; bit k is read at sp(k) = ceil(F + (bw-1)/2 + k·bw) with
/// bw = sample_rate / baud; a start bit at mark at sp(0) is a glitch; only the first stop
/// bit is checked and the hunt for the next edge resumes right after its sample point; a
/// space run of at least ceil(frame_bits·bw) samples, from a falling edge, is a break,
/// reported at its rising edge but annotated from the start of the last frame (which is
/// earlier than the run when glitches interrupted it). Idle stretches are skipped with
/// `memchr`.
#[derive(Debug, Clone)]
pub struct UartDecoder {
    bw: f64,
    /// (bw - 1) / 2, added to F before the k·bw term, in sigrok's float order.
    sample_offset: f64,
    half_floor: u64,
    half_ceil: u64,
    data_bits: u32,
    parity: Parity,
    msb_first: bool,
    stop_bit: u32,
    break_samples: u64,
    mark: u8,
    space: u8,
    /// Absolute index of the first sample of the next chunk.
    pos: u64,
    state: State,
}

impl UartDecoder {
    pub fn new(config: &UartConfig, sample_rate: f64, baud: f64) -> Result<Self, UartError> {
        config.validate()?;
        let bw = bit_samples(sample_rate, baud)?;
        let half = bw / 2.0;
        let (mark, space) = if config.invert { (0, 1) } else { (1, 0) };
        Ok(Self {
            bw,
            sample_offset: (bw - 1.0) / 2.0,
            half_floor: half.floor() as u64,
            half_ceil: half.ceil() as u64,
            data_bits: u32::from(config.data_bits),
            parity: config.parity,
            msb_first: config.msb_first,
            stop_bit: config.bits_before_stop(),
            break_samples: (config.frame_bits() * bw).ceil() as u64,
            mark,
            space,
            pos: 0,
            state: State::Fresh,
        })
    }

    /// sp(k) for a frame starting at `start`, computed exactly as sigrok does in Python.
    fn sample_point(&self, start: u64, bit: u32) -> u64 {
        ceil_u64(start as f64 + self.sample_offset + f64::from(bit) * self.bw)
    }

    /// The sample point of the (first) stop bit of a frame starting at `start`: where
    /// sigrok's `IDLE` bookkeeping restarts after a byte (the LIN layer needs it).
    pub fn stop_sample_point(&self, start: u64) -> u64 {
        self.sample_point(start, self.stop_bit)
    }

    /// One frame time in samples, `ceil(frame_bits · bw)`: the shortest break, and how
    /// long sigrok's `IDLE` condition waits at mark.
    pub fn frame_samples(&self) -> u64 {
        self.break_samples
    }

    /// sigrok's one-bit annotation around a sample point.
    fn bit_span(&self, at: u64) -> Span {
        Span {
            start: at.saturating_sub(self.half_floor),
            end: at + self.half_ceil,
        }
    }

    fn begin_frame(&self, start: u64) -> FrameState {
        FrameState {
            start,
            bit: 0,
            sample_at: self.sample_point(start, 0),
            raw: 0,
            // A frame begins on an edge, so the sample before it is at mark.
            last_mark: start - 1,
            parity_error: None,
        }
    }

    fn value_of(&self, raw: u16) -> u16 {
        if self.msb_first {
            raw.reverse_bits() >> (16 - self.data_bits)
        } else {
            raw
        }
    }

    /// Decodes the next chunk of physical levels (0 or 1), appending events to `out`.
    pub fn push(&mut self, levels: &[u8], out: &mut Vec<UartEvent>) {
        let base = self.pos;
        let len = levels.len();
        let mut i = 0usize;
        while i < len {
            (self.state, i) = match self.state {
                State::Fresh => {
                    let state = if levels[i] == self.mark {
                        State::Mark
                    } else {
                        State::Space { since: None }
                    };
                    (state, i + 1)
                }
                State::Mark => match memchr(self.space, &levels[i..]) {
                    Some(j) => (State::Frame(self.begin_frame(base + (i + j) as u64)), i + j),
                    None => (State::Mark, len),
                },
                State::Space { since } => match memchr(self.mark, &levels[i..]) {
                    Some(j) => {
                        let rise = base + (i + j) as u64;
                        if let Some((fall, frame)) = since
                            && rise - fall >= self.break_samples
                        {
                            out.push(UartEvent::Break {
                                span: Span {
                                    start: frame,
                                    end: rise,
                                },
                                space: Span {
                                    start: fall,
                                    end: rise,
                                },
                            });
                        }
                        (State::Mark, i + j + 1)
                    }
                    None => (State::Space { since }, len),
                },
                State::Frame(frame) => self.read_frame(frame, levels, base, out),
            };
        }
        self.pos = base + len as u64;
    }

    /// Reads bits at their sample points until the frame ends or the chunk does; returns
    /// the next state and where to continue in `levels`.
    fn read_frame(
        &self,
        mut frame: FrameState,
        levels: &[u8],
        base: u64,
        out: &mut Vec<UartEvent>,
    ) -> (State, usize) {
        let end = base + levels.len() as u64;
        while frame.sample_at < end {
            let k = (frame.sample_at - base) as usize;
            let mark = levels[k] == self.mark;
            if mark {
                frame.last_mark = frame.sample_at;
            }
            let bit = frame.bit;
            if bit == 0 {
                if mark {
                    out.push(UartEvent::InvalidStart {
                        start: frame.start,
                        span: self.bit_span(frame.sample_at),
                    });
                    return (State::Mark, k + 1);
                }
            } else if bit <= self.data_bits {
                frame.raw |= u16::from(mark) << (bit - 1);
            } else if bit < self.stop_bit {
                if self.parity.bit_for(self.value_of(frame.raw)) != Some(u8::from(mark)) {
                    frame.parity_error = Some(self.bit_span(frame.sample_at));
                }
            } else if mark {
                out.push(self.data_event(&frame, None));
                return (State::Mark, k + 1);
            } else {
                let stop_error = Some(self.bit_span(frame.sample_at));
                out.push(self.data_event(&frame, stop_error));
                // A space run goes on: it began after the frame's last mark sample.
                let last_mark = self.last_mark_before(&frame, levels, base, k);
                let since = Some((last_mark + 1, frame.start));
                return (State::Space { since }, k + 1);
            }
            frame.bit += 1;
            frame.sample_at = self.sample_point(frame.start, frame.bit);
        }
        // The frame goes on in the next chunk: keep this chunk's last mark for a break.
        frame.last_mark = self.last_mark_before(&frame, levels, base, levels.len());
        (State::Frame(frame), levels.len())
    }

    /// The last mark sample before `levels[upto]`, given that `frame.last_mark` covers
    /// everything before this chunk; scanning starts there, so each sample is looked at
    /// at most once per frame and only when a break is possible.
    fn last_mark_before(&self, frame: &FrameState, levels: &[u8], base: u64, upto: usize) -> u64 {
        let from = (frame.last_mark + 1).saturating_sub(base) as usize;
        match levels
            .get(from..upto)
            .and_then(|gap| memrchr(self.mark, gap))
        {
            Some(j) => base + (from + j) as u64,
            None => frame.last_mark,
        }
    }

    fn data_event(&self, frame: &FrameState, stop_error: Option<Span>) -> UartEvent {
        let first = self.sample_point(frame.start, 1);
        let last = self.sample_point(frame.start, self.data_bits);
        UartEvent::Data {
            start: frame.start,
            value: self.value_of(frame.raw),
            data: Span {
                start: first - self.half_floor,
                end: last + self.half_ceil,
            },
            parity_error: frame.parity_error,
            stop_error,
        }
    }

    /// Ends the stream: a frame cut off after its data bits is still reported (sigrok
    /// emits the value at the last data bit), without a stop bit verdict.
    pub fn finish(&mut self, out: &mut Vec<UartEvent>) {
        if let State::Frame(frame) = self.state
            && frame.bit > self.data_bits
        {
            out.push(self.data_event(&frame, None));
        }
        self.state = State::Fresh;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_ceil_matches_ceil() {
        for x in [
            0.0,
            0.5,
            1.0,
            1.0000001,
            2.9999999,
            108.0,
            1e15 + 0.5,
            4.5e18,
        ] {
            assert_eq!(ceil_u64(x), x.ceil() as u64, "{x}");
        }
    }

    #[test]
    fn frame_cut_after_its_data_bits_is_still_reported() {
        // 8N1 at 10 samples/bit: idle, start, 0x41 (LSB first), then the capture ends
        // before the stop bit's sample point, as sigrok reports it.
        let mut levels = vec![1u8; 5];
        for bit in [0, 1, 0, 0, 0, 0, 0, 1, 0] {
            levels.extend([bit; 10]);
        }
        let mut dec = UartDecoder::new(&UartConfig::default(), 1e6, 1e5).unwrap();
        let mut out = Vec::new();
        dec.push(&levels, &mut out);
        assert!(out.is_empty());
        dec.finish(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            (out[0].start(), out[0].value(), out[0].error()),
            (5, Some(0x41), None)
        );
    }

    #[test]
    fn break_is_annotated_from_the_frame_start_but_measured_from_the_last_fall() {
        // 8N1, 10 samples/bit (break >= 100 samples): space from 50 to 200 with a one-sample
        // mark glitch at 87. Checked with sigrok-cli: "50-200 Break condition".
        let mut levels = vec![1u8; 300];
        levels[50..200].fill(0);
        levels[87] = 1;
        let mut dec = UartDecoder::new(&UartConfig::default(), 1e6, 1e5).unwrap();
        let mut out = Vec::new();
        dec.push(&levels, &mut out);
        let span = |start, end| Span { start, end };
        assert_eq!(
            out.last(),
            Some(&UartEvent::Break {
                span: span(50, 200),
                space: span(88, 200)
            })
        );
        // A glitch that leaves less than a frame time of space: no break.
        levels[120] = 1;
        out.clear();
        let mut dec = UartDecoder::new(&UartConfig::default(), 1e6, 1e5).unwrap();
        dec.push(&levels, &mut out);
        assert!(
            out.iter().all(|e| !matches!(e, UartEvent::Break { .. })),
            "{out:?}"
        );
    }

    #[test]
    fn config_errors() {
        let cfg = UartConfig {
            data_bits: 4,
            ..UartConfig::default()
        };
        assert_eq!(
            UartDecoder::new(&cfg, 1e6, 9600.0).err(),
            Some(UartError::DataBits { got: 4 })
        );
        assert!(matches!(
            UartDecoder::new(&UartConfig::default(), 1e6, 2e6),
            Err(UartError::TooFewSamplesPerBit { .. })
        ));
        assert!(UartDecoder::new(&UartConfig::default(), f64::NAN, 9600.0).is_err());
    }
}
