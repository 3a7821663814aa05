//! Seeded UART signal generator (`generate uart`, decoder tests, benchmarks).
//!
//! Streams: the caller passes buffers of any size and gets the next samples, so a capture
//! of any length is made in constant memory; the same configuration and seed always give
//! the same samples, whatever the buffer sizes. Noise comes from the same seeded
//! [`Rng`] as the other generators.

use super::decode::uart::{UartConfig, UartError, bit_samples};
use super::synth::Rng;

/// Everything `generate uart` can vary. Frame indices count every frame sent, repeats
/// included, from 0.
#[derive(Debug, Clone, PartialEq)]
pub struct UartSynthConfig {
    pub frame: UartConfig,
    pub baud: f64,
    pub sample_rate: f64,
    /// Idle (mark) time between frames, in bit times.
    pub gap_bits: f64,
    /// Idle time before the first frame and after the last, in bit times.
    pub lead_bits: f64,
    /// Transmitter clock error: the real rate is `baud * (1 + baud_error)`.
    pub baud_error: f64,
    /// Total length; `None` = the message once plus lead idle on both sides.
    pub samples: Option<u64>,
    /// Send the message again and again until `samples` are made (only with `samples`).
    pub repeat: bool,
    /// Frames sent with the wrong parity bit.
    pub parity_errors: Vec<u64>,
    /// Frames whose stop bits are sent at space.
    pub stop_errors: Vec<u64>,
    /// `(frame, bit_times)`: after that frame and its gap, hold space that long, then idle
    /// for `max(gap_bits, 1)` bit times.
    pub breaks: Vec<(u64, f64)>,
    /// Analog levels (volts) for space and mark, before inversion.
    pub low: f64,
    pub high: f64,
    /// Gaussian noise RMS added to analog samples.
    pub noise_rms: f64,
    pub seed: u64,
}

impl Default for UartSynthConfig {
    fn default() -> Self {
        Self {
            frame: UartConfig::default(),
            baud: 115_200.0,
            sample_rate: 1e6,
            gap_bits: 0.0,
            lead_bits: 2.0,
            baud_error: 0.0,
            samples: None,
            repeat: false,
            parity_errors: Vec::new(),
            stop_errors: Vec::new(),
            breaks: Vec::new(),
            low: 0.0,
            high: 3.3,
            noise_rms: 0.0,
            seed: 0,
        }
    }
}

/// What the line does next: a level held for some bit times.
#[derive(Debug, Clone, Copy)]
struct Segment {
    mark: bool,
    bits: f64,
}

/// The data a [`UartSynth`] sends, value after value: in memory, or streamed from a file by
/// the caller (so a message of any size costs no memory).
pub trait Message: Send {
    /// The next value, None at the end of the message.
    fn next_value(&mut self) -> Option<u16>;
    /// Start the message again for another pass (`repeat`); false when the source cannot
    /// (a pipe), and the line then idles.
    fn restart(&mut self) -> bool;
    /// Values in one pass, when known without reading them all.
    fn frames(&self) -> Option<u64>;
}

/// A message held in memory.
#[derive(Debug, Clone)]
struct InMemory {
    values: Vec<u16>,
    at: usize,
}

impl Message for InMemory {
    fn next_value(&mut self) -> Option<u16> {
        let v = self.values.get(self.at).copied();
        self.at += usize::from(v.is_some());
        v
    }

    fn restart(&mut self) -> bool {
        self.at = 0;
        true
    }

    fn frames(&self) -> Option<u64> {
        Some(self.values.len() as u64)
    }
}

/// Streaming UART waveform source.
pub struct UartSynth {
    line: Line,
    message: Box<dyn Message>,
    total: u64,
    rng: Rng,
    scratch: Vec<u8>,
}

/// The line's state: where the current level ends and which segments come next. Values
/// only decide the levels, never the lengths, so a copy can measure the whole message.
#[derive(Debug, Clone)]
struct Line {
    cfg: UartSynthConfig,
    bit_samples: f64,
    pos: u64,
    /// Bit times elapsed at the end of the current segment; times derive from this
    /// count, so long streams do not drift.
    end_bits: f64,
    end_sample: u64,
    mark: bool,
    /// Segments of the current frame, consumed from `next`.
    queue: Vec<Segment>,
    next: usize,
    /// Frames sent so far (the index of the next one).
    frame: u64,
    /// The message ended and will not start again: the line idles for good.
    done: bool,
}

impl UartSynth {
    /// A generator sending `message` (values of `data_bits` bits each).
    pub fn new(cfg: UartSynthConfig, message: Vec<u16>) -> Result<Self, UartError> {
        let bits = cfg.frame.data_bits;
        if let Some(&value) = message.iter().find(|&&v| u32::from(v) >> bits != 0) {
            return Err(UartError::ValueTooWide { value, bits });
        }
        Self::streaming(
            cfg,
            Box::new(InMemory {
                values: message,
                at: 0,
            }),
        )
    }

    /// A generator sending what `message` yields; its values must fit in `data_bits` bits
    /// (the caller checks as it reads). Without `samples`, its length must be known.
    pub fn streaming(
        mut cfg: UartSynthConfig,
        message: Box<dyn Message>,
    ) -> Result<Self, UartError> {
        cfg.frame.validate()?;
        cfg.repeat &= cfg.samples.is_some();
        let non_negative = [
            ("gap", cfg.gap_bits),
            ("lead idle", cfg.lead_bits),
            ("noise RMS", cfg.noise_rms),
        ];
        for (what, got) in non_negative {
            if !(got.is_finite() && got >= 0.0) {
                return Err(UartError::NotNonNegative { what, got });
            }
        }
        let bit = bit_samples(cfg.sample_rate, cfg.baud * (1.0 + cfg.baud_error))?;
        let line = Line {
            bit_samples: bit,
            pos: 0,
            end_bits: cfg.lead_bits,
            end_sample: (cfg.lead_bits * bit).ceil() as u64,
            mark: true,
            queue: Vec::new(),
            next: 0,
            frame: 0,
            done: false,
            cfg,
        };
        let total = match (line.cfg.samples, message.frames()) {
            (Some(n), _) => n,
            (None, Some(frames)) => line.once_length(frames),
            (None, None) => return Err(UartError::UnknownLength),
        };
        Ok(UartSynth {
            rng: Rng::new(line.cfg.seed),
            line,
            message,
            total,
            scratch: Vec::new(),
        })
    }

    /// Total samples this source makes.
    pub fn total_samples(&self) -> u64 {
        self.total
    }

    /// Samples not yet made.
    pub fn remaining(&self) -> u64 {
        self.total - self.line.pos
    }

    /// The next value to send: the message's, or its first again when repeating.
    fn next_value(&mut self) -> Option<u16> {
        match self.message.next_value() {
            Some(v) => Some(v),
            None if self.line.cfg.repeat && self.message.restart() => self.message.next_value(),
            None => None,
        }
    }

    /// Writes the next physical levels (0/1) into `out`; returns how many (0 at the end).
    pub fn fill_logic(&mut self, out: &mut [u8]) -> usize {
        let n = out
            .len()
            .min(usize::try_from(self.remaining()).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < n {
            let line = &mut self.line;
            if line.pos >= line.end_sample {
                if line.next == line.queue.len() && !line.done {
                    let value = self.next_value();
                    self.line.queue_frame(value);
                }
                self.line.advance();
                continue;
            }
            let run = (line.end_sample - line.pos).min((n - done) as u64) as usize;
            out[done..done + run].fill(u8::from(line.mark != line.cfg.frame.invert));
            done += run;
            line.pos += run as u64;
        }
        n
    }

    /// Writes the next analog samples (volts, with noise) into `out`; returns how many.
    pub fn fill_analog(&mut self, out: &mut [f32]) -> usize {
        let mut levels = std::mem::take(&mut self.scratch);
        levels.resize(out.len(), 0);
        let n = self.fill_logic(&mut levels);
        let cfg = &self.line.cfg;
        let (low, high, rms) = (cfg.low, cfg.high, cfg.noise_rms);
        for (y, &l) in out.iter_mut().zip(&levels[..n]) {
            let v = if l == 1 { high } else { low };
            let noise = if rms > 0.0 {
                rms * self.rng.gaussian()
            } else {
                0.0
            };
            *y = (v + noise) as f32;
        }
        self.scratch = levels;
        n
    }
}

impl Line {
    /// Length of a message of `frames` values sent once, with lead idle before and after.
    fn once_length(&self, frames: u64) -> u64 {
        let mut probe = self.clone();
        probe.cfg.repeat = false;
        let mut sent = 0;
        while !probe.done {
            if probe.next == probe.queue.len() {
                probe.queue_frame((sent < frames).then_some(0));
                sent += 1;
            }
            probe.advance();
        }
        ((probe.end_bits + self.cfg.lead_bits) * self.bit_samples).ceil() as u64
    }

    /// Queues the segments of the next frame of `value` (its gap and any break after it);
    /// None: the message is over and the line idles for good.
    fn queue_frame(&mut self, value: Option<u16>) {
        let Some(value) = value else {
            self.done = true;
            return;
        };
        let cfg = &self.cfg;
        let f = &cfg.frame;
        let index = self.frame;
        let n = u32::from(f.data_bits);
        let bit = |mark: bool| Segment { mark, bits: 1.0 };
        self.queue.clear();
        self.queue.push(bit(false));
        for k in 0..n {
            let shift = if f.msb_first { n - 1 - k } else { k };
            self.queue.push(bit((value >> shift) & 1 == 1));
        }
        if let Some(p) = f.parity.bit_for(value) {
            self.queue
                .push(bit((p == 1) != cfg.parity_errors.contains(&index)));
        }
        self.queue.push(Segment {
            mark: !cfg.stop_errors.contains(&index),
            bits: f.stop_bits.bits(),
        });
        self.queue.push(Segment {
            mark: true,
            bits: cfg.gap_bits,
        });
        for &(_, bits) in cfg.breaks.iter().filter(|(at, _)| *at == index) {
            self.queue.push(Segment { mark: false, bits });
            self.queue.push(Segment {
                mark: true,
                bits: cfg.gap_bits.max(1.0),
            });
        }
        self.next = 0;
        self.frame += 1;
    }

    /// Moves to the next queued segment; once the message is over, the line idles for good.
    fn advance(&mut self) {
        if self.done || self.next == self.queue.len() {
            self.done = true;
            self.mark = true;
            self.end_sample = u64::MAX;
            return;
        }
        let seg = self.queue[self.next];
        self.next += 1;
        self.mark = seg.mark;
        self.end_bits += seg.bits;
        self.end_sample = (self.end_bits * self.bit_samples).ceil() as u64;
    }
}
