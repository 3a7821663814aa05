//! Waveforms of held levels, streamed in blocks, as logic levels or volts: `LevelStream`
//! (one line laid out whole, for the 1-Wire and LIN generators, whose messages are short)
//! and `BusLines` (the lines of a step-built bus, for the SPI and I²C generators: logic, or
//! analog with edges, ringing and noise).

use super::synth_bus::{
    AnalogConfig, AnalogLine, Bus, GlitchConfig, Length, StepSource, SynthError,
};

/// The `N` lines of a bus built from a [`StepSource`], handed out in blocks of any size;
/// the same samples whatever the blocks.
#[derive(Debug, Clone)]
pub struct BusLines<S: StepSource, const N: usize> {
    bus: Bus<S>,
}

/// How a bus generator's capture is laid out and rendered (what SPI and I²C share).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub samples_per_bit: f64,
    pub lead_bits: f64,
    /// Total length; `None` = the message once plus the lead idle on both sides.
    pub samples: Option<u64>,
    pub glitches: GlitchConfig,
    pub analog: AnalogConfig,
    pub seed: u64,
}

impl<S: StepSource, const N: usize> BusLines<S, N> {
    pub(crate) fn build(source: S, layout: Layout) -> Result<Self, SynthError> {
        let length = match layout.samples {
            Some(n) => Length::Samples(n),
            None => Length::Once,
        };
        let bus = Bus::new(
            source,
            N,
            layout.samples_per_bit,
            layout.lead_bits,
            length,
            layout.glitches,
            layout.analog,
            layout.seed,
        )?;
        Ok(Self { bus })
    }

    pub fn total_samples(&self) -> u64 {
        self.bus.total_samples()
    }

    pub fn remaining(&self) -> u64 {
        self.bus.remaining()
    }

    /// Writes the next levels of the lines into `out`; returns how many.
    pub fn fill_logic(&mut self, out: [&mut [u8]; N]) -> usize {
        let mut out = out;
        self.bus.fill_logic(&mut out)
    }

    /// Writes the next analog samples (volts: edges, ringing, noise) of the lines into
    /// `out`; returns how many.
    pub fn fill_analog(&mut self, out: [&mut [f32]; N]) -> usize {
        let mut out = out;
        self.bus.fill_analog(&mut out)
    }
}

/// Levels held for given times, idle (1) before, between and after.
#[derive(Debug, Clone, Default)]
pub struct LevelStream {
    /// (level, time from the start at which it ends, s).
    runs: Vec<(u8, f64)>,
    sample_rate: f64,
    /// Time laid out so far, s.
    time: f64,
    pos: u64,
    next: usize,
    /// The analog rendering (`with_analog`) and its scratch levels.
    analog: AnalogConfig,
    line: Option<AnalogLine>,
    scratch: Vec<u8>,
}

impl LevelStream {
    pub fn new(sample_rate: f64) -> Self {
        LevelStream {
            sample_rate,
            ..LevelStream::default()
        }
    }

    /// Renders `fill_analog`'s volts with `analog` (edges, ringing, noise from `seed`).
    pub fn with_analog(mut self, analog: AnalogConfig, seed: u64) -> Self {
        self.analog = analog;
        self.line = Some(AnalogLine::new(1, seed));
        self
    }

    /// Writes the next analog samples (volts) into `out`; returns how many.
    pub fn fill_analog(&mut self, out: &mut [f32]) -> usize {
        let mut levels = std::mem::take(&mut self.scratch);
        levels.resize(out.len(), 0);
        let first = self.pos;
        let n = self.fill_logic(&mut levels);
        let analog = self.analog;
        self.line
            .get_or_insert_with(|| AnalogLine::new(1, 0))
            .render(&analog, first, &levels[..n], &mut out[..n]);
        self.scratch = levels;
        n
    }

    /// Holds `level` for `seconds` after what is laid out already.
    pub fn hold(&mut self, level: u8, seconds: f64) {
        self.time += seconds.max(0.0);
        self.runs.push((level, self.time));
    }

    /// Samples in the whole waveform.
    pub fn total_samples(&self) -> u64 {
        (self.time * self.sample_rate).ceil() as u64
    }

    /// Writes the next levels into `out`; returns how many (0 at the end).
    pub fn fill_logic(&mut self, out: &mut [u8]) -> usize {
        let remaining = self.total_samples().saturating_sub(self.pos);
        let n = out
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < n {
            let Some(&(level, end)) = self.runs.get(self.next) else {
                break;
            };
            let end = (end * self.sample_rate).ceil() as u64;
            if self.pos >= end {
                self.next += 1;
                continue;
            }
            let run = (end - self.pos).min((n - done) as u64) as usize;
            out[done..done + run].fill(level);
            done += run;
            self.pos += run as u64;
        }
        done
    }
}
