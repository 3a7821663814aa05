//! The engine shared by the SPI and I²C generators: a protocol describes its waveform as
//! `Step`s (the levels of all lines, held for a number of quarter-bit ticks); `Bus`
//! turns them into samples, logic or analog, in blocks of any size.
//!
//! Tick t starts at sample ceil(t · samples_per_bit / 4), computed from the exact tick
//! count, so long captures do not drift; the protocols keep edges that must not coincide
//! at least two ticks apart (half a bit ≥ 1 sample, as samples per bit ≥ 2), and one tick
//! apart only when a tick is a whole sample or more. Glitches, decided per step with the
//! step's own random draw, and noise, from one random stream per line, make the output
//! independent of the block sizes too.

use serde::Serialize;

use super::synth::{Rng, splitmix64};

/// Lines a bus can have (SPI has four).
pub(crate) const MAX_LINES: usize = 4;

/// Errors of the generators' configuration, with the values given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error(
        "sample rate {sample_rate} and bit rate {bit_rate} give {samples_per_bit} samples per bit; need at least 2 and both finite and positive"
    )]
    SamplesPerBit {
        sample_rate: f64,
        bit_rate: f64,
        samples_per_bit: f64,
    },
    #[error("{what} must be finite and >= 0, got {got}")]
    NotNonNegative { what: &'static str, got: f64 },
    #[error("{what} must be in 0..=1, got {got}")]
    NotProbability { what: &'static str, got: f64 },
    #[error("{what}: {reason}")]
    Message { what: &'static str, reason: String },
}

/// Analog rendering of the logic levels (volts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AnalogConfig {
    pub low: f64,
    pub high: f64,
    /// Gaussian noise RMS added to every sample.
    pub noise_rms: f64,
    /// Time constant of rising edges, in samples (0 = a step). Open-drain lines (I²C)
    /// rise through their pull-up resistor, slowly.
    pub rise_samples: f64,
    /// Time constant of falling edges, in samples.
    pub fall_samples: f64,
    /// Ringing after an edge: peak amplitude as a fraction of the swing (0 = none), in
    /// the edge's direction.
    pub ring_amplitude: f64,
    /// Period of the ringing, in samples.
    pub ring_period: f64,
    /// Decay time constant of the ringing, in samples.
    pub ring_decay: f64,
}

impl Default for AnalogConfig {
    fn default() -> Self {
        Self {
            low: 0.0,
            high: 3.3,
            noise_rms: 0.0,
            rise_samples: 0.0,
            fall_samples: 0.0,
            ring_amplitude: 0.0,
            ring_period: 4.0,
            ring_decay: 4.0,
        }
    }
}

impl AnalogConfig {
    pub fn validate(&self) -> Result<(), SynthError> {
        let non_negative = [
            ("noise RMS", self.noise_rms),
            ("rise time", self.rise_samples),
            ("fall time", self.fall_samples),
            ("ringing amplitude", self.ring_amplitude),
            ("ringing decay", self.ring_decay),
        ];
        for (what, got) in non_negative {
            check_non_negative(what, got)?;
        }
        if !(self.ring_period.is_finite() && self.ring_period > 0.0) {
            return Err(SynthError::NotNonNegative {
                what: "ringing period (> 0)",
                got: self.ring_period,
            });
        }
        for (what, got) in [("low level", self.low), ("high level", self.high)] {
            if !got.is_finite() {
                return Err(SynthError::NotNonNegative { what, got });
            }
        }
        Ok(())
    }
}

/// Glitches: pulses of the opposite level, `width` samples long, put where the protocol
/// says they cannot change what a sigrok decoder reads (a data line away from its
/// sampling edge, SDA while SCL is low). Each eligible step gets one with probability
/// `rate`; it starts in the middle of the step and is cut at its end, so it never covers
/// the first sample of a step (where the clock edges are).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GlitchConfig {
    pub rate: f64,
    pub width: u64,
}

impl Default for GlitchConfig {
    fn default() -> Self {
        Self {
            rate: 0.0,
            width: 1,
        }
    }
}

pub(crate) fn check_non_negative(what: &'static str, got: f64) -> Result<(), SynthError> {
    if got.is_finite() && got >= 0.0 {
        Ok(())
    } else {
        Err(SynthError::NotNonNegative { what, got })
    }
}

/// Samples per bit, validated (finite, >= 2 so that half a bit is a sample or more).
pub(crate) fn samples_per_bit(sample_rate: f64, bit_rate: f64) -> Result<f64, SynthError> {
    let spb = sample_rate / bit_rate;
    let ok = sample_rate.is_finite() && bit_rate.is_finite() && bit_rate > 0.0 && spb >= 2.0;
    if ok && spb.is_finite() {
        Ok(spb)
    } else {
        Err(SynthError::SamplesPerBit {
            sample_rate,
            bit_rate,
            samples_per_bit: spb,
        })
    }
}

/// Bit times to whole ticks (quarter bits).
pub(crate) fn ticks(bits: f64) -> u64 {
    (bits * 4.0).round() as u64
}

/// The levels of all lines (bit i = line i) for `ticks` quarter bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub(crate) levels: u8,
    pub(crate) ticks: u64,
    /// Lines that may get a random harmless glitch in this step.
    pub(crate) glitchable: u8,
    /// Lines that get a glitch in this step whatever the rate (to test decoders on them).
    pub(crate) forced_glitch: u8,
}

/// A protocol's waveform, one step at a time.
pub trait StepSource: Clone {
    /// The next step, or `None` when the message is over (the bus then idles for good).
    fn next_step(&mut self) -> Option<Step>;
    /// The levels of an idle bus.
    fn idle(&self) -> u8;
}

/// A glitch in progress: lines `mask` inverted over samples `start..end`.
#[derive(Debug, Clone, Copy)]
struct Glitch {
    start: u64,
    end: u64,
    mask: u8,
}

/// Per-line analog state: the last edge (`None` before the first) and the voltage the
/// line left from.
#[derive(Debug, Clone, Copy)]
struct Edge {
    level: u8,
    at: Option<u64>,
    from: f64,
}

/// One line rendered in volts: each edge shaped by an [`AnalogConfig`] (exponential
/// approach, damped ringing) plus the line's own seeded noise. Shared by every generator
/// with analog output; the result does not depend on how the samples are split in blocks.
#[derive(Debug, Clone)]
pub struct AnalogLine {
    edge: Edge,
    noise: Rng,
}

impl AnalogLine {
    /// A line idling at `idle` (0/1) before its first edge.
    pub fn new(idle: u8, seed: u64) -> Self {
        AnalogLine {
            edge: Edge {
                level: idle,
                at: None,
                from: 0.0,
            },
            noise: Rng::new(seed),
        }
    }

    /// The volts of `levels`, whose first sample is sample `first` of the capture.
    pub fn render(&mut self, a: &AnalogConfig, first: u64, levels: &[u8], out: &mut [f32]) {
        for (k, (y, &level)) in out.iter_mut().zip(levels).enumerate() {
            let t = first + k as u64;
            if level != self.edge.level {
                let from = shape(a, self.edge, t);
                self.edge = Edge {
                    level,
                    at: Some(t),
                    from,
                };
            }
            let mut v = shape(a, self.edge, t);
            if a.noise_rms > 0.0 {
                v += a.noise_rms * self.noise.gaussian();
            }
            *y = v as f32;
        }
    }
}

/// Turns a [`StepSource`] into samples.
#[derive(Debug, Clone)]
pub(crate) struct Bus<S: StepSource> {
    source: S,
    lines: usize,
    tick_samples: f64,
    total: u64,
    pos: u64,
    levels: u8,
    end_ticks: u64,
    step_end: u64,
    message_done: bool,
    glitches: GlitchConfig,
    glitch: Option<Glitch>,
    decisions: Rng,
    analog: AnalogConfig,
    rendered: [AnalogLine; MAX_LINES],
    scratch: [Vec<u8>; MAX_LINES],
}

/// Where a generated capture ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    /// The message once, with the lead idle before and after it.
    Once,
    /// Exactly this many samples (the message may be cut, or repeated by the source).
    Samples(u64),
}

impl<S: StepSource> Bus<S> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        source: S,
        lines: usize,
        samples_per_bit: f64,
        lead_bits: f64,
        length: Length,
        glitches: GlitchConfig,
        analog: AnalogConfig,
        seed: u64,
    ) -> Result<Self, SynthError> {
        check_non_negative("lead idle", lead_bits)?;
        if !(0.0..=1.0).contains(&glitches.rate) {
            return Err(SynthError::NotProbability {
                what: "glitch rate",
                got: glitches.rate,
            });
        }
        analog.validate()?;
        // At least half a bit: an edge at the very first sample is no edge to a decoder.
        let lead_ticks = ticks(lead_bits).max(2);
        let tick_samples = samples_per_bit / 4.0;
        let idle = source.idle();
        let mut bus = Self {
            lines: lines.min(MAX_LINES),
            tick_samples,
            total: 0,
            pos: 0,
            levels: idle,
            end_ticks: lead_ticks,
            step_end: (lead_ticks as f64 * tick_samples).ceil() as u64,
            message_done: false,
            glitches,
            glitch: None,
            decisions: Rng::new(seed),
            analog,
            rendered: std::array::from_fn(|i| {
                AnalogLine::new((idle >> i) & 1, splitmix64(seed ^ (0x5eed_0000 + i as u64)))
            }),
            scratch: Default::default(),
            source,
        };
        bus.total = match length {
            Length::Samples(n) => n,
            Length::Once => {
                let mut probe = bus.source.clone();
                let mut t = lead_ticks;
                while let Some(step) = probe.next_step() {
                    t = t.saturating_add(step.ticks);
                }
                (t.saturating_add(lead_ticks) as f64 * tick_samples).ceil() as u64
            }
        };
        Ok(bus)
    }

    pub fn total_samples(&self) -> u64 {
        self.total
    }

    pub fn remaining(&self) -> u64 {
        self.total - self.pos
    }

    /// Moves to the next step (idle forever after the message) and draws its glitch.
    fn advance(&mut self) {
        let start = self.step_end;
        let step = if self.message_done {
            None
        } else {
            self.source.next_step()
        };
        let Some(step) = step else {
            self.message_done = true;
            self.levels = self.source.idle();
            self.step_end = u64::MAX;
            return;
        };
        self.levels = step.levels;
        self.end_ticks = self.end_ticks.saturating_add(step.ticks);
        self.step_end = (self.end_ticks as f64 * self.tick_samples).ceil() as u64;
        let mut mask = step.forced_glitch;
        if self.glitches.rate > 0.0 {
            for line in 0..self.lines {
                if step.glitchable >> line & 1 == 1
                    && self.decisions.uniform() <= self.glitches.rate
                {
                    mask |= 1 << line;
                }
            }
        }
        let len = self.step_end - start;
        if mask != 0 && len >= 2 {
            let from = start + len / 2;
            self.glitch = Some(Glitch {
                start: from,
                end: from
                    .saturating_add(self.glitches.width.max(1))
                    .min(self.step_end),
                mask,
            });
        }
    }

    /// Writes the next samples of each line (0/1) into `out[line]`; returns how many
    /// (the shortest buffer bounds it; 0 at the end).
    pub fn fill_logic(&mut self, out: &mut [&mut [u8]]) -> usize {
        let room = out.iter().map(|b| b.len()).min().unwrap_or(0);
        let n = room.min(usize::try_from(self.remaining()).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < n {
            if self.pos >= self.step_end {
                self.advance();
                continue;
            }
            let run = (self.step_end - self.pos).min((n - done) as u64) as usize;
            for (line, buf) in out.iter_mut().enumerate().take(self.lines) {
                buf[done..done + run].fill((self.levels >> line) & 1);
            }
            if let Some(g) = self.glitch {
                let (lo, hi) = (g.start.max(self.pos), g.end.min(self.pos + run as u64));
                for (line, buf) in out.iter_mut().enumerate().take(self.lines) {
                    if g.mask >> line & 1 == 1 && lo < hi {
                        let a = done + (lo - self.pos) as usize;
                        let b = done + (hi - self.pos) as usize;
                        buf[a..b].iter_mut().for_each(|v| *v ^= 1);
                    }
                }
            }
            done += run;
            self.pos += run as u64;
        }
        n
    }

    /// Writes the next analog samples (volts: edges, ringing, noise) of each line into
    /// `out[line]`; returns how many.
    pub fn fill_analog(&mut self, out: &mut [&mut [f32]]) -> usize {
        let room = out.iter().map(|b| b.len()).min().unwrap_or(0);
        let mut scratch = std::mem::take(&mut self.scratch);
        for buf in scratch.iter_mut() {
            buf.resize(room, 0);
        }
        let first = self.pos;
        let n = {
            let mut views: Vec<&mut [u8]> = scratch.iter_mut().map(|b| &mut b[..]).collect();
            self.fill_logic(&mut views[..self.lines])
        };
        for (line, buf) in out.iter_mut().enumerate().take(self.lines) {
            self.rendered[line].render(&self.analog, first, &scratch[line][..n], buf);
        }
        self.scratch = scratch;
        n
    }
}

/// The noiseless voltage at sample `t` after `edge`: an exponential approach to the new
/// level plus damped ringing.
fn shape(a: &AnalogConfig, edge: Edge, t: u64) -> f64 {
    let target = if edge.level == 1 { a.high } else { a.low };
    let Some(at) = edge.at else {
        return target;
    };
    let dt = t.saturating_sub(at) as f64;
    let tau = if edge.level == 1 {
        a.rise_samples
    } else {
        a.fall_samples
    };
    let mut v = target;
    if tau > 0.0 && dt < 40.0 * tau {
        v += (edge.from - target) * (-dt / tau).exp();
    }
    if a.ring_amplitude > 0.0 && dt < 40.0 * a.ring_decay {
        let swing = (a.high - a.low) * if edge.level == 1 { 1.0 } else { -1.0 };
        let phase = std::f64::consts::TAU * dt / a.ring_period;
        v += a.ring_amplitude * swing * (-dt / a.ring_decay).exp() * phase.sin();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square wave on line 0, line 1 glitchable: four steps of 2 ticks.
    #[derive(Clone)]
    struct Square(u32);

    impl StepSource for Square {
        fn next_step(&mut self) -> Option<Step> {
            (self.0 > 0).then(|| {
                self.0 -= 1;
                Step {
                    levels: (self.0 % 2) as u8,
                    ticks: 2,
                    glitchable: 0b10,
                    forced_glitch: 0,
                }
            })
        }
        fn idle(&self) -> u8 {
            0
        }
    }

    fn bus(spb: f64, glitch_rate: f64) -> Bus<Square> {
        let glitches = GlitchConfig {
            rate: glitch_rate,
            width: 1,
        };
        Bus::new(
            Square(4),
            2,
            spb,
            1.0,
            Length::Once,
            glitches,
            AnalogConfig::default(),
            7,
        )
        .unwrap()
    }

    fn logic(mut b: Bus<Square>, block: usize) -> [Vec<u8>; 2] {
        let mut lines = [Vec::new(), Vec::new()];
        let (mut x, mut y) = (vec![9u8; block], vec![9u8; block]);
        loop {
            let n = b.fill_logic(&mut [&mut x[..], &mut y[..]]);
            if n == 0 {
                return lines;
            }
            lines[0].extend_from_slice(&x[..n]);
            lines[1].extend_from_slice(&y[..n]);
        }
    }

    #[test]
    fn ticks_map_to_ceil_of_exact_times() {
        // 3 samples per bit: a tick is 0.75 samples; lead 4 ticks = 3 samples, then
        // steps end at ticks 6, 8, 10, 12 → samples 5 (4.5), 6, 8 (7.5), 9; lead after.
        let b = bus(3.0, 0.0);
        assert_eq!(b.total_samples(), 12);
        let [clk, glitch] = logic(b, 5);
        assert_eq!(clk, [0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0]);
        assert_eq!(glitch, [0; 12]);
    }

    #[test]
    fn glitches_sit_inside_steps_and_do_not_depend_on_blocks() {
        let whole = logic(bus(10.0, 1.0), 1 << 12);
        // Steps of 5 samples from 10: glitches at 12, 17, 22, 27.
        let at: Vec<usize> = (0..whole[1].len()).filter(|&i| whole[1][i] == 1).collect();
        assert_eq!(at, [12, 17, 22, 27]);
        for block in [1, 3, 7] {
            assert_eq!(logic(bus(10.0, 1.0), block), whole, "block {block}");
        }
    }

    #[test]
    fn analog_rings_and_settles_and_noise_ignores_blocks() {
        let analog = AnalogConfig {
            ring_amplitude: 0.2,
            ring_period: 4.0,
            ring_decay: 2.0,
            noise_rms: 0.01,
            ..AnalogConfig::default()
        };
        let make = || {
            Bus::new(
                Square(4),
                2,
                40.0,
                1.0,
                Length::Once,
                GlitchConfig::default(),
                analog,
                3,
            )
            .unwrap()
        };
        let run = |block: usize| {
            let mut b = make();
            let (mut x, mut y) = (vec![0f32; block], vec![0f32; block]);
            let mut all = Vec::new();
            loop {
                let n = b.fill_analog(&mut [&mut x[..], &mut y[..]]);
                if n == 0 {
                    return all;
                }
                all.extend_from_slice(&x[..n]);
            }
        };
        let whole = run(1000);
        assert_eq!(whole, run(7));
        // The first rising edge is at sample 40 (lead of one bit): overshoot a quarter
        // period later, settled to 3.3 V within noise by the end of the step.
        assert!(whole[41] > 3.3 + 0.3, "{}", whole[41]);
        assert!((whole[58] - 3.3).abs() < 0.06, "{}", whole[58]);
        assert!(whole[20].abs() < 0.06);
    }
}
