//! Streaming UART decoding: line levels → frames, with sigrok's sampling rules.
//!
//! Everything here is pure and chunk-oriented, because captures are larger than RAM:
//! [`UartDecoder`] keeps its state across `push` calls (a frame may straddle any number of
//! chunks) and gives identical events whatever the chunk size. Analog input goes through a
//! [`Schmitt`] trigger into a reusable `u8` level buffer; integer logic words through
//! [`extract_bit`]. [`LevelEstimator`] and [`BaudEstimator`] are one-pass accumulators for
//! `--threshold auto` and `--baud auto`.
//!
//! The sampling reproduces libsigrokdecode 0.5.3's `uart` decoder exactly (see
//! [`UartDecoder`]), so results can be checked against `sigrok-cli` sample for sample.

use std::collections::BTreeMap;
use std::ops::Range;

use memchr::{memchr, memrchr};
use serde::Serialize;

use crate::loader::{Endian, Sample};

/// Errors of the UART layer; each carries the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UartError {
    #[error("data bits must be 5..=9, got {got}")]
    DataBits { got: u8 },
    #[error("sample rate must be positive and finite, got {got}")]
    SampleRate { got: f64 },
    #[error("baud rate must be positive and finite, got {got}")]
    Baud { got: f64 },
    #[error(
        "baud {baud} is too fast for sample rate {sample_rate}: {bit_samples} samples per bit, need at least 1"
    )]
    TooFewSamplesPerBit {
        baud: f64,
        sample_rate: f64,
        bit_samples: f64,
    },
    #[error(
        "threshold must be finite and hysteresis finite and >= 0, got {threshold} and {hysteresis}"
    )]
    Threshold { threshold: f64, hysteresis: f64 },
    #[error("bit {bit} does not exist in a {width}-bit sample")]
    BitOutOfRange { bit: u32, width: u32 },
    #[error("cannot find two logic levels: {reason}")]
    NoLevels { reason: String },
    #[error("value {value:#x} does not fit in {bits} data bits")]
    ValueTooWide { value: u16, bits: u8 },
    #[error("{what} must be finite and >= 0, got {got}")]
    NotNonNegative { what: &'static str, got: f64 },
    #[error("cannot measure the baud rate: {reason}")]
    NoBaud { reason: String },
}

/// Parity bit kind; `Mark`/`Space` are sigrok's `one`/`zero`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parity {
    #[default]
    None,
    Odd,
    Even,
    Mark,
    Space,
}

impl Parity {
    /// The parity bit a transmitter sends for `value` (`None` when there is no parity bit).
    pub fn bit_for(self, value: u16) -> Option<u8> {
        let odd_ones = (value.count_ones() % 2) as u8;
        match self {
            Parity::None => None,
            Parity::Odd => Some(1 - odd_ones),
            Parity::Even => Some(odd_ones),
            Parity::Mark => Some(1),
            Parity::Space => Some(0),
        }
    }
}

/// Stop bit length. sigrok checks only the first stop bit; the length matters for the
/// frame time (break detection) and for the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StopBits {
    #[default]
    One,
    OneAndHalf,
    Two,
}

impl StopBits {
    /// Length in bit times.
    pub fn bits(self) -> f64 {
        match self {
            StopBits::One => 1.0,
            StopBits::OneAndHalf => 1.5,
            StopBits::Two => 2.0,
        }
    }
}

/// Frame format shared by the decoder and the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UartConfig {
    /// 5..=9.
    pub data_bits: u8,
    pub parity: Parity,
    pub stop_bits: StopBits,
    pub msb_first: bool,
    /// Idle-low line: the physical level is the logical one inverted.
    pub invert: bool,
}

impl Default for UartConfig {
    fn default() -> Self {
        Self {
            data_bits: 8,
            parity: Parity::None,
            stop_bits: StopBits::One,
            msb_first: false,
            invert: false,
        }
    }
}

impl UartConfig {
    /// Checks the data bit count (the only field an enum cannot constrain).
    pub fn validate(&self) -> Result<(), UartError> {
        if (5..=9).contains(&self.data_bits) {
            Ok(())
        } else {
            Err(UartError::DataBits {
                got: self.data_bits,
            })
        }
    }

    /// Bits before the stop bits: start + data + parity.
    pub fn bits_before_stop(&self) -> u32 {
        1 + u32::from(self.data_bits) + u32::from(self.parity != Parity::None)
    }

    /// Frame length in bit times, stop bits included.
    pub fn frame_bits(&self) -> f64 {
        // sigrok's order of operations: (int count + float stop bits) * bit width.
        f64::from(self.bits_before_stop()) + self.stop_bits.bits()
    }
}

/// Samples per bit, validated (finite, >= 1).
pub fn bit_samples(sample_rate: f64, baud: f64) -> Result<f64, UartError> {
    if !(sample_rate.is_finite() && sample_rate > 0.0) {
        return Err(UartError::SampleRate { got: sample_rate });
    }
    if !(baud.is_finite() && baud > 0.0) {
        return Err(UartError::Baud { got: baud });
    }
    let bw = sample_rate / baud;
    if bw < 1.0 {
        return Err(UartError::TooFewSamplesPerBit {
            baud,
            sample_rate,
            bit_samples: bw,
        });
    }
    Ok(bw)
}

/// `x.ceil() as u64` for 0 <= x < 2^63, without the libm call that `f64::ceil` costs on
/// baseline x86-64 (no SSE4.1): truncation to i64 is one instruction and exact in that
/// range, so one compare fixes it up.
#[inline]
fn ceil_u64(x: f64) -> u64 {
    let t = x as i64;
    (t + i64::from((t as f64) < x)) as u64
}

/// Half-open sample range `[start, end)` of a sigrok annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

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

    /// Samples per bit in use.
    pub fn bit_samples(&self) -> f64 {
        self.bw
    }

    /// Samples consumed so far (the absolute index of the next chunk's first sample).
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// sp(k) for a frame starting at `start`, computed exactly as sigrok does in Python.
    fn sample_point(&self, start: u64, bit: u32) -> u64 {
        ceil_u64(start as f64 + self.sample_offset + f64::from(bit) * self.bw)
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

/// Replaces `out` with bit `bit` of every `stride`-th sample of `bytes` (0 or 1), for
/// integer samples of `size` bytes in the given byte order, starting at byte `first`.
/// Working on the bytes serves every integer type, channel layout and byte order alike.
pub fn extract_bit(
    bytes: &[u8],
    sample: (usize, Endian),
    first: usize,
    stride: usize,
    bit: u32,
    out: &mut Vec<u8>,
) -> Result<(), UartError> {
    let (size, endian) = sample;
    let width = 8 * size as u32;
    if bit >= width {
        return Err(UartError::BitOutOfRange { bit, width });
    }
    let byte = match endian {
        Endian::Little => (bit / 8) as usize,
        Endian::Big => size - 1 - (bit / 8) as usize,
    };
    let shift = bit % 8;
    out.clear();
    if let Some(tail) = bytes.get(first + byte..) {
        out.extend(tail.iter().step_by(stride).map(|b| (b >> shift) & 1));
    }
    Ok(())
}

/// Samples per block in [`Schmitt::process`]'s fast path.
const SCHMITT_BLOCK: usize = 16;

/// Schmitt trigger: analog samples → levels 0/1, state kept across chunks.
#[derive(Debug, Clone)]
pub struct Schmitt {
    threshold: f64,
    low: f64,
    high: f64,
    state: Option<u8>,
}

impl Schmitt {
    /// Switches high above `threshold + hysteresis/2`, low below `threshold - hysteresis/2`.
    pub fn new(threshold: f64, hysteresis: f64) -> Result<Self, UartError> {
        if !threshold.is_finite() || !hysteresis.is_finite() || hysteresis < 0.0 {
            return Err(UartError::Threshold {
                threshold,
                hysteresis,
            });
        }
        Ok(Self {
            threshold,
            low: threshold - hysteresis / 2.0,
            high: threshold + hysteresis / 2.0,
            state: None,
        })
    }

    /// Replaces `out` with the levels of `samples`, reusing its allocation. NaN keeps the
    /// previous level; the very first sample is compared with the threshold itself.
    pub fn process<T: Sample>(&mut self, samples: &[T], out: &mut Vec<u8>) {
        out.clear();
        let Some(first) = samples.first() else {
            return;
        };
        let (low, high) = (self.low, self.high);
        let mut s = self
            .state
            .unwrap_or_else(|| u8::from(first.to_f64() >= self.threshold));
        out.resize(samples.len(), 0);
        let step = |s: u8, x: T| {
            let x = x.to_f64();
            u8::from(x > high) | (s & (u8::from(x < low) ^ 1))
        };
        let mut blocks = samples.chunks_exact(SCHMITT_BLOCK);
        let mut outs = out.chunks_exact_mut(SCHMITT_BLOCK);
        for (xs, ys) in (&mut blocks).zip(&mut outs) {
            // Most blocks lie wholly beyond one threshold; counting vectorizes, the
            // sample-by-sample state update cannot.
            let above = xs.iter().filter(|&&x| x.to_f64() > high).count();
            let below = xs.iter().filter(|&&x| x.to_f64() < low).count();
            if above == SCHMITT_BLOCK {
                s = 1;
                ys.fill(1);
            } else if below == SCHMITT_BLOCK {
                s = 0;
                ys.fill(0);
            } else {
                for (y, &x) in ys.iter_mut().zip(xs) {
                    s = step(s, x);
                    *y = s;
                }
            }
        }
        for (y, &x) in outs.into_remainder().iter_mut().zip(blocks.remainder()) {
            s = step(s, x);
            *y = s;
        }
        self.state = Some(s);
    }
}

/// Threshold and hysteresis found by [`LevelEstimator`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels {
    pub low: f64,
    pub high: f64,
    pub threshold: f64,
    pub hysteresis: f64,
    /// Robust noise estimate (MAD) of the more common level.
    pub noise_rms: f64,
}

const HIST_BINS: usize = 8192;
/// Samples go round-robin into this many sub-histograms: consecutive samples of an idle
/// line hit the same bin, and separate counters keep the increments independent.
const LANES: usize = 4;

/// One-pass estimator of the two logic levels of an analog line.
///
/// It keeps a fixed-size histogram whose range doubles (merging bin pairs exactly) when a
/// sample falls outside, so memory is constant whatever the file size. `finish` splits it
/// into two clusters with an iterated midpoint of cluster medians, which works when one
/// level holds 99.9% of the samples and ignores rare spikes.
#[derive(Debug, Clone)]
pub struct LevelEstimator {
    /// `LANES` histograms of `HIST_BINS` bins, one after the other.
    lanes: Vec<u64>,
    lo: f64,
    /// Bin width; 0 until the first finite sample sets the range.
    width: f64,
}

impl Default for LevelEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl LevelEstimator {
    pub fn new() -> Self {
        Self {
            lanes: vec![0; LANES * HIST_BINS],
            lo: 0.0,
            width: 0.0,
        }
    }

    /// Adds samples; NaN and infinities are ignored.
    pub fn push<T: Sample>(&mut self, samples: &[T]) {
        let mut quads = samples.chunks_exact(LANES);
        for quad in &mut quads {
            for (lane, &x) in quad.iter().enumerate() {
                self.add(lane, x.to_f64());
            }
        }
        for &x in quads.remainder() {
            self.add(0, x.to_f64());
        }
    }

    #[inline]
    fn add(&mut self, lane: usize, x: f64) {
        let d = (x - self.lo) / self.width;
        if d >= 0.0 && d < HIST_BINS as f64 {
            self.lanes[lane * HIST_BINS + d as usize] += 1;
        } else if x.is_finite() {
            if self.width == 0.0 {
                // A span small against any plausible swing; it only grows from here.
                let span = 1e-6 * x.abs().max(1.0);
                self.width = span / HIST_BINS as f64;
                self.lo = x - span / 2.0;
            }
            self.grow_to(x);
            let d = ((x - self.lo) / self.width).clamp(0.0, (HIST_BINS - 1) as f64);
            self.lanes[lane * HIST_BINS + d as usize] += 1;
        }
    }

    /// Doubles the bin width until `x` fits, growing towards it; old bins map exactly.
    fn grow_to(&mut self, x: f64) {
        let n = HIST_BINS as f64;
        while !(x >= self.lo && x < self.lo + n * self.width) {
            // Old bin j lands in new bin (j + shift) / 2.
            let shift = if x < self.lo { HIST_BINS } else { 0 };
            for lane in self.lanes.chunks_exact_mut(HIST_BINS) {
                let old = lane.to_vec();
                lane.fill(0);
                for (j, c) in old.into_iter().enumerate() {
                    lane[(j + shift) / 2] += c;
                }
            }
            self.lo -= shift as f64 * self.width;
            self.width *= 2.0;
        }
    }

    /// The two levels, their midpoint as threshold, and a hysteresis of 6 noise sigmas
    /// bounded to 10..50% of the swing.
    pub fn finish(&self) -> Result<Levels, UartError> {
        let mut counts = vec![0u64; HIST_BINS];
        for lane in self.lanes.chunks_exact(HIST_BINS) {
            for (c, l) in counts.iter_mut().zip(lane) {
                *c += l;
            }
        }
        Histogram {
            total: counts.iter().sum(),
            counts,
            lo: self.lo,
            width: self.width,
        }
        .levels()
    }
}

/// The merged histogram of a [`LevelEstimator`], and the level analysis on it.
struct Histogram {
    counts: Vec<u64>,
    total: u64,
    lo: f64,
    width: f64,
}

impl Histogram {
    fn center(&self, bin: usize) -> f64 {
        self.lo + (bin as f64 + 0.5) * self.width
    }

    fn bin_of(&self, x: f64) -> usize {
        ((x - self.lo) / self.width)
            .floor()
            .clamp(0.0, HIST_BINS as f64) as usize
    }

    /// Value below which a fraction `q` of the samples in bins `range` lie (interpolated).
    fn quantile(&self, range: Range<usize>, q: f64) -> f64 {
        let total: u64 = self.counts[range.clone()].iter().sum();
        let target = q * total as f64;
        let mut acc = 0.0;
        for b in range.clone() {
            let c = self.counts[b] as f64;
            if c > 0.0 && acc + c >= target {
                return self.lo + (b as f64 + (target - acc) / c) * self.width;
            }
            acc += c;
        }
        self.center(range.end.saturating_sub(1))
    }

    /// Median absolute deviation around `median` of the samples in bins `range`, to
    /// the histogram's resolution: the radius of the smallest window holding half of them.
    fn mad(&self, range: Range<usize>, median: f64) -> f64 {
        let total: u64 = self.counts[range.clone()].iter().sum();
        let m = self.bin_of(median).clamp(range.start, range.end - 1);
        let mut radius = 0;
        loop {
            let lo = m.saturating_sub(radius).max(range.start);
            let hi = (m + radius + 1).min(range.end);
            if 2 * self.counts[lo..hi].iter().sum::<u64>() >= total {
                return (radius as f64 + 0.5) * self.width;
            }
            radius += 1;
        }
    }

    /// Splits the samples at `threshold` and iterates the midpoint of the two medians;
    /// returns the medians and the first bin of the upper cluster.
    fn split_from(&self, mut threshold: f64) -> Option<(f64, f64, usize)> {
        for _ in 0..64 {
            let cut = self.bin_of(threshold).clamp(1, HIST_BINS - 1);
            let below: u64 = self.counts[..cut].iter().sum();
            if below == 0 || below == self.total {
                return None;
            }
            let low = self.quantile(0..cut, 0.5);
            let high = self.quantile(cut..HIST_BINS, 0.5);
            let next = (low + high) / 2.0;
            if self.bin_of(next) == self.bin_of(threshold) {
                return Some((low, high, cut));
            }
            threshold = next;
        }
        None
    }

    fn levels(&self) -> Result<Levels, UartError> {
        if self.total < 2 {
            return Err(UartError::NoLevels {
                reason: format!("only {} finite samples", self.total),
            });
        }
        let all = 0..HIST_BINS;
        // Robust start (ignores spikes rarer than 1e-4), then the full range as fallback.
        let starts = [
            (self.quantile(all.clone(), 1e-4) + self.quantile(all.clone(), 1.0 - 1e-4)) / 2.0,
            (self.quantile(all.clone(), 0.0) + self.quantile(all, 1.0)) / 2.0,
        ];
        let mut best_ratio = 0.0;
        for start in starts {
            let Some((low, high, cut)) = self.split_from(start) else {
                continue;
            };
            let below: u64 = self.counts[..cut].iter().sum();
            // The more common level gives the cleaner noise estimate.
            let noise = if 2 * below >= self.total {
                self.mad(0..cut, low)
            } else {
                self.mad(cut..HIST_BINS, high)
            } * 1.4826;
            let swing = high - low;
            let ratio = swing / noise.max(self.width);
            if ratio >= 5.0 {
                return Ok(Levels {
                    low,
                    high,
                    threshold: (low + high) / 2.0,
                    hysteresis: (6.0 * noise).clamp(0.1 * swing, 0.5 * swing),
                    noise_rms: noise,
                });
            }
            best_ratio = f64::max(best_ratio, ratio);
        }
        Err(UartError::NoLevels {
            reason: format!(
                "the samples do not form two separate levels (best separation {best_ratio:.1} noise sigmas, need 5)"
            ),
        })
    }
}

/// Common UART rates, for snapping a measured rate.
pub const STANDARD_BAUDS: [u32; 35] = [
    300, 600, 1200, 1800, 2400, 4800, 7200, 9600, 14400, 19200, 28800, 31250, 38400, 56000, 57600,
    74880, 76800, 115200, 128000, 153600, 230400, 250000, 256000, 460800, 500000, 576000, 921600,
    1_000_000, 1_152_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000,
];

/// A standard rate is used when the measurement is within this fraction of it.
pub const SNAP_TOLERANCE: f64 = 0.02;

/// The measured bit time and the rate chosen from it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BaudEstimate {
    pub bit_samples: f64,
    pub measured: f64,
    pub nearest_standard: u32,
    /// `nearest_standard` if within [`SNAP_TOLERANCE`], else `measured`.
    pub baud: f64,
}

/// The standard rate closest to `measured` on a log scale (a factor off either way
/// counts the same).
pub fn nearest_standard_baud(measured: f64) -> u32 {
    let rel = |b: u32| (measured / f64::from(b)).ln().abs();
    STANDARD_BAUDS.into_iter().fold(
        STANDARD_BAUDS[0],
        |best, b| if rel(b) < rel(best) { b } else { best },
    )
}

/// Fits run width = offset + k·bit over the runs within 25% of a whole number
/// (1..=max_bits) of bits under the model `(offset, bit)`, and returns the refined model. The offset
/// absorbs edge asymmetry and sampling delay, which would otherwise bias a short bit time
/// by several percent; idle gaps are rarely that close to a whole number of bits.
fn fit_bit_time(widths: &[(u64, u64)], (offset, bit): (f64, f64), max_bits: f64) -> (f64, f64) {
    let (mut n, mut sk, mut sw, mut skk, mut skw) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(w, c) in widths {
        let (w, c) = (w as f64, c as f64);
        let k = ((w - offset) / bit).round();
        if (1.0..=max_bits).contains(&k) && (w - offset - k * bit).abs() <= 0.25 * bit {
            n += c;
            sk += c * k;
            sw += c * w;
            skk += c * k * k;
            skw += c * k * w;
        }
    }
    let spread = n * skk - sk * sk;
    if spread > 0.0 {
        let slope = (n * skw - sk * sw) / spread;
        let intercept = (sw - slope * sk) / n;
        if slope > 0.0 && intercept.abs() < slope / 2.0 {
            return (intercept, slope);
        }
    }
    // One bit count only (or a wild fit): no offset can be told apart.
    if sk > 0.0 {
        (0.0, sw / sk)
    } else {
        (offset, bit)
    }
}

/// Run lengths up to this are counted in a flat table; longer ones in a map.
const SHORT_RUNS: usize = 4096;

/// One-pass bit-time estimator from the widths of constant-level runs.
///
/// The bit time is the centre of the shortest cluster of run widths that holds a fair
/// share of all runs (so isolated glitches do not count), refined by fitting every run of
/// up to 12 bits as an integer multiple of it.
#[derive(Debug, Clone)]
pub struct BaudEstimator {
    short: Vec<u64>,
    long: BTreeMap<u64, u64>,
    pos: u64,
    level: Option<u8>,
    /// Start of the current run, once an edge has been seen (runs before it are partial).
    run_start: Option<u64>,
    runs: u64,
}

impl Default for BaudEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl BaudEstimator {
    pub fn new() -> Self {
        Self {
            short: vec![0; SHORT_RUNS],
            long: BTreeMap::new(),
            pos: 0,
            level: None,
            run_start: None,
            runs: 0,
        }
    }

    /// Complete runs seen so far (a caller may stop feeding once it has plenty).
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Adds a chunk of levels (0 or 1).
    pub fn push(&mut self, levels: &[u8]) {
        let Some(&first) = levels.first() else {
            return;
        };
        let base = self.pos;
        let mut i = 0;
        let mut level = *self.level.get_or_insert(first);
        while let Some(j) = memchr(1 - level, &levels[i..]) {
            i += j;
            let edge = base + i as u64;
            if let Some(start) = self.run_start {
                self.record(edge - start);
            }
            self.run_start = Some(edge);
            level = 1 - level;
        }
        self.level = Some(level);
        self.pos = base + levels.len() as u64;
    }

    fn record(&mut self, width: u64) {
        self.runs += 1;
        match self.short.get_mut(width as usize) {
            Some(c) => *c += 1,
            None => *self.long.entry(width).or_insert(0) += 1,
        }
    }

    fn widths(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let short = self
            .short
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(w, c)| (w as u64, *c));
        short.chain(self.long.iter().map(|(w, c)| (*w, *c)))
    }

    pub fn finish(&self, sample_rate: f64) -> Result<BaudEstimate, UartError> {
        if !(sample_rate.is_finite() && sample_rate > 0.0) {
            return Err(UartError::SampleRate { got: sample_rate });
        }
        let needed = (self.runs / 30).max(2);
        let widths: Vec<(u64, u64)> = self.widths().collect();
        let count_in = |from: usize, limit: f64| {
            let members = widths[from..]
                .iter()
                .take_while(|(x, _)| *x as f64 <= limit);
            members.fold((0u64, 0u64), |(n, s), &(x, c)| (n + c, s + x * c))
        };
        // The shortest width that is common by itself (one-sample quantization spreads a
        // bit over two neighbouring widths), then the mean of the runs just above it.
        let cluster = widths.iter().enumerate().find_map(|(i, &(w, _))| {
            let narrow = count_in(i, w as f64 + (0.05 * w as f64).max(1.0)).0;
            (narrow >= needed).then(|| {
                let (n, sum) = count_in(i, w as f64 * 1.3 + 2.0);
                sum as f64 / n as f64
            })
        });
        let Some(shortest) = cluster else {
            return Err(UartError::NoBaud {
                reason: format!(
                    "{} edge-to-edge pulses, no group of {needed} similar short ones",
                    self.runs
                ),
            });
        };
        // Refine: the slope over all runs of up to 10 bits beats one-sample quantization.
        // Short runs first: a few percent of error in the first guess would misnumber long
        // runs (and let idle gaps of n + 1/2 bits in).
        let mut model = (0.0, shortest);
        for max_bits in [3.0, 6.0, 10.0, 10.0] {
            model = fit_bit_time(&widths, model, max_bits);
        }
        let bit = model.1;
        let measured = sample_rate / bit;
        let nearest = nearest_standard_baud(measured);
        let snap = (measured / f64::from(nearest) - 1.0).abs() <= SNAP_TOLERANCE;
        Ok(BaudEstimate {
            bit_samples: bit,
            measured,
            nearest_standard: nearest,
            baud: if snap { f64::from(nearest) } else { measured },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_bits() {
        // 0b1011 has three ones.
        assert_eq!(Parity::Odd.bit_for(0b1011), Some(0));
        assert_eq!(Parity::Even.bit_for(0b1011), Some(1));
        assert_eq!(Parity::Odd.bit_for(0), Some(1));
        assert_eq!(Parity::Mark.bit_for(0), Some(1));
        assert_eq!(Parity::Space.bit_for(0x1ff), Some(0));
        assert_eq!(Parity::None.bit_for(3), None);
    }

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
    fn standard_rates() {
        assert_eq!(nearest_standard_baud(115_900.0), 115_200);
        assert_eq!(nearest_standard_baud(10_690.0), 9600);
        assert_eq!(nearest_standard_baud(3_300.0), 2400);
        assert_eq!(nearest_standard_baud(5e6), 4_000_000);
    }

    #[test]
    fn bit_extraction() {
        let mut out = vec![9; 3];
        let words: Vec<u8> = [0x0010u16, 0xffef, 0x8000]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        extract_bit(&words, (2, Endian::Little), 0, 2, 4, &mut out).unwrap();
        assert_eq!(out, [1, 0, 0]);
        extract_bit(&words, (2, Endian::Little), 0, 2, 15, &mut out).unwrap();
        assert_eq!(out, [0, 1, 1]);
        // The same words big-endian, as channel 1 of a two-channel capture.
        let frames: Vec<u8> = [0x0010u16, 0xffef, 0x8000]
            .iter()
            .flat_map(|w| [0xaa, 0xaa].into_iter().chain(w.to_be_bytes()))
            .collect();
        extract_bit(&frames, (2, Endian::Big), 2, 4, 4, &mut out).unwrap();
        assert_eq!(out, [1, 0, 0]);
        assert_eq!(
            extract_bit(&[0u8], (1, Endian::Little), 0, 1, 8, &mut out),
            Err(UartError::BitOutOfRange { bit: 8, width: 8 })
        );
    }

    #[test]
    fn schmitt_holds_between_thresholds_across_chunks() {
        let x = [0.0, 1.4, 1.6, 2.1, 1.6, 1.4, 0.9, f64::NAN, 1.6, 2.2];
        let want = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1];
        let mut whole = Vec::new();
        Schmitt::new(1.5, 1.0).unwrap().process(&x, &mut whole);
        assert_eq!(whole, want);
        let mut s = Schmitt::new(1.5, 1.0).unwrap();
        let (mut got, mut part) = (Vec::new(), Vec::new());
        for c in x.chunks(3) {
            s.process(c, &mut part);
            got.extend_from_slice(&part);
        }
        assert_eq!(got, want);
        assert!(Schmitt::new(1.0, -0.1).is_err());
    }

    #[test]
    fn schmitt_block_path_equals_sample_by_sample() {
        // Long runs beyond the thresholds take the block path; the rest the slow one.
        let x: Vec<f32> = (0..1000)
            .map(|i| match (i / 37) % 3 {
                0 => 3.3,
                1 => 0.0,
                _ => 1.6 + 0.4 * ((i % 5) as f32 - 2.0),
            })
            .collect();
        let mut fast = Vec::new();
        Schmitt::new(1.65, 0.5).unwrap().process(&x, &mut fast);
        let mut s = 1u8;
        let slow: Vec<u8> = x
            .iter()
            .map(|&v| {
                let v = f64::from(v);
                s = if v > 1.9 {
                    1
                } else if v < 1.4 {
                    0
                } else {
                    s
                };
                s
            })
            .collect();
        assert_eq!(fast, slow);
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
    fn level_estimator_ignores_chunking_and_non_finite() {
        let x: Vec<f64> = (0..10_000)
            .map(|i| if i % 10 < 3 { 0.1 } else { 3.2 })
            .chain([f64::NAN, f64::INFINITY])
            .collect();
        let mut whole = LevelEstimator::new();
        whole.push(&x);
        let mut parts = LevelEstimator::new();
        for c in x.chunks(7) {
            parts.push(c);
        }
        let lv = whole.finish().unwrap();
        assert_eq!(parts.finish().unwrap(), lv);
        assert!(
            (lv.low - 0.1).abs() < 0.01 && (lv.high - 3.2).abs() < 0.01,
            "{lv:?}"
        );
        assert!((lv.threshold - 1.65).abs() < 0.01, "{lv:?}");
    }
}
