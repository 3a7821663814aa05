//! Seeded SPI capture generator (decoder tests, benchmarks, later `generate spi`).
//!
//! Streams like the UART generator: any block sizes, constant memory, the same samples
//! for the same configuration and seed. Lines, in the decoder's order
//! ([`crate::dsp::decode::spi::SIGNALS`]): CLK, MISO, MOSI, CS#.
//!
//! Timing, in half-bit steps: a transfer opens with CS# asserted and CLK idle (CPHA 0:
//! first bit already on the data lines) for half a bit; every bit is a leading and a
//! trailing clock half; data change on the launching edge (trailing for CPHA 0, leading
//! for CPHA 1), half a bit before the sampling edge; words of a transfer are `word_gap`
//! apart; CS# is deasserted half a bit after the last clock edge, for `transfer_gap`
//! (at least half a bit).

use super::decode::spi::{BitOrder, CsPolarity, SpiConfig, WordValue};
use super::synth_bus::{
    AnalogConfig, GlitchConfig, Step, StepSource, SynthError, check_non_negative, samples_per_bit,
    ticks,
};
use super::synth_levels::{BusLines, Layout};

const CLK: u8 = 1;
const MISO: u8 = 2;
const MOSI: u8 = 4;
const CS: u8 = 8;

/// Everything the SPI generator can vary.
#[derive(Debug, Clone, PartialEq)]
pub struct SpiSynthConfig {
    /// Mode, word size, bit order and CS# polarity, as the decoder takes them.
    pub spi: SpiConfig,
    /// Drive CS#: transfers are framed by it. Without, the line stays asserted (give the
    /// decoder no CS#) and transfers are only separated by `transfer_gap_bits`.
    pub cs: bool,
    pub sample_rate: f64,
    pub clock_rate: f64,
    pub words_per_transfer: u64,
    /// Idle clock between the words of a transfer, in bit times.
    pub word_gap_bits: f64,
    /// Idle (CS# deasserted) between transfers, in bit times.
    pub transfer_gap_bits: f64,
    /// Idle before the first transfer and after the last, in bit times (at least half a
    /// bit: an edge on the very first sample would be no edge to a decoder).
    pub lead_bits: f64,
    /// Total length; `None` = the message once plus the lead idle on both sides.
    pub samples: Option<u64>,
    /// Send the message again and again until `samples` are made (only with `samples`).
    pub repeat: bool,
    /// Bits (counting every bit sent, from 0) whose second clock half gets a pulse on CLK:
    /// an extra clock edge pair, which a decoder reads as an extra bit.
    pub clock_glitches: Vec<u64>,
    /// Random harmless glitches on MISO/MOSI (away from the sampling edges).
    pub glitches: GlitchConfig,
    pub analog: AnalogConfig,
    pub seed: u64,
}

impl Default for SpiSynthConfig {
    fn default() -> Self {
        Self {
            spi: SpiConfig::default(),
            cs: true,
            sample_rate: 1e6,
            clock_rate: 1e5,
            words_per_transfer: 4,
            word_gap_bits: 1.0,
            transfer_gap_bits: 2.0,
            lead_bits: 2.0,
            samples: None,
            repeat: false,
            clock_glitches: Vec::new(),
            glitches: GlitchConfig::default(),
            analog: AnalogConfig::default(),
            seed: 0,
        }
    }
}

/// The step sequence: one word (with its transfer's opening and closing) at a time.
#[derive(Debug, Clone)]
pub struct SpiSteps {
    config: SpiSynthConfig,
    mosi: Vec<WordValue>,
    miso: Vec<WordValue>,
    words: u64,
    word_gap: u64,
    transfer_gap: u64,
    /// Words queued so far, repeats included (the index of the next one).
    word: u64,
    /// Bits sent so far.
    bit: u64,
    queue: Vec<Step>,
    next: usize,
    cs_active: u8,
}

impl SpiSteps {
    fn message_word(list: &[WordValue], index: u64) -> Option<&WordValue> {
        if list.is_empty() {
            return None;
        }
        list.get((index % list.len() as u64) as usize)
    }

    /// Level of arriving bit `k` of word `index` on a data line (0 when the line is idle).
    fn data_bit(&self, list: &[WordValue], index: u64, k: u32) -> u8 {
        let ws = self.config.spi.wordsize;
        let pos = match self.config.spi.bitorder {
            BitOrder::MsbFirst => ws - 1 - k,
            BitOrder::LsbFirst => k,
        };
        Self::message_word(list, index).map_or(0, |w| u8::from(w.bit(pos)))
    }

    /// All lines: CLK at `clk`, the data lines at bit `k` of word `index` (low for
    /// `None`), CS# asserted or not (always asserted when CS# is not driven).
    fn levels(&self, clk: u8, data: Option<(u64, u32)>, selected: bool) -> u8 {
        let (miso, mosi) = match data {
            Some((index, k)) => (
                self.data_bit(&self.miso, index, k),
                self.data_bit(&self.mosi, index, k),
            ),
            None => (0, 0),
        };
        let cs = if selected || !self.config.cs {
            self.cs_active
        } else {
            self.cs_active ^ 1
        };
        (clk * CLK) | (miso * MISO) | (mosi * MOSI) | (cs * CS)
    }

    fn more_words(&self) -> bool {
        self.words > 0 && (self.config.repeat || self.word < self.words)
    }

    /// Queues the steps of the next word: the transfer's opening before its first word,
    /// the gap or the transfer's closing after it.
    fn queue_word(&mut self) {
        let spi = self.config.spi;
        let (idle, active) = (spi.cpol, spi.cpol ^ 1);
        let ws = spi.wordsize;
        let index = self.word;
        let per = self.config.words_per_transfer.max(1);
        let first_in_transfer = index.is_multiple_of(per);
        self.word += 1;
        let last_in_transfer = self.word.is_multiple_of(per) || !self.more_words();
        let step = |levels, ticks| Step {
            levels,
            ticks,
            glitchable: MISO | MOSI,
            forced_glitch: 0,
        };
        self.queue.clear();
        self.next = 0;
        // Before the first clock edge: CPHA 0 puts the first bit out (and so needs half a
        // bit of gap between words); CPHA 1 launches it on the leading edge.
        let setup = self.levels(idle, (spi.cpha == 0).then_some((index, 0)), true);
        let gap = if first_in_transfer {
            2
        } else if spi.cpha == 0 {
            self.word_gap.max(2)
        } else {
            self.word_gap
        };
        if gap > 0 {
            self.queue.push(step(setup, gap));
        }
        for k in 0..ws {
            let glitch = self.config.clock_glitches.contains(&self.bit);
            self.bit += 1;
            // The trailing edge launches the next bit under CPHA 0.
            let trailing_bit = if spi.cpha == 0 {
                (k + 1).min(ws - 1)
            } else {
                k
            };
            self.queue
                .push(step(self.levels(active, Some((index, k)), true), 2));
            self.queue.push(Step {
                forced_glitch: if glitch { CLK } else { 0 },
                ..step(self.levels(idle, Some((index, trailing_bit)), true), 2)
            });
        }
        if last_in_transfer {
            let closed = self.levels(idle, None, false);
            self.queue.push(step(closed, self.transfer_gap.max(2)));
        }
    }
}

impl StepSource for SpiSteps {
    fn next_step(&mut self) -> Option<Step> {
        if self.next == self.queue.len() {
            if !self.more_words() {
                return None;
            }
            self.queue_word();
        }
        let step = self.queue.get(self.next).copied();
        self.next += 1;
        step
    }

    fn idle(&self) -> u8 {
        self.levels(self.config.spi.cpol, None, false)
    }
}

/// Streaming SPI capture source: lines [CLK, MISO, MOSI, CS#].
pub type SpiSynth = BusLines<SpiSteps, 4>;

impl SpiSynth {
    /// `mosi` and `miso` are the words sent on each line, in order (an empty list leaves
    /// that line low); when both are given they must be equally long.
    pub fn new(
        config: SpiSynthConfig,
        mosi: Vec<WordValue>,
        miso: Vec<WordValue>,
    ) -> Result<Self, SynthError> {
        let spi = config.spi;
        spi.validate().map_err(|e| SynthError::Message {
            what: "SPI framing",
            reason: e.to_string(),
        })?;
        let spb = samples_per_bit(config.sample_rate, config.clock_rate)?;
        check_non_negative("word gap", config.word_gap_bits)?;
        check_non_negative("transfer gap", config.transfer_gap_bits)?;
        if !mosi.is_empty() && !miso.is_empty() && mosi.len() != miso.len() {
            return Err(SynthError::Message {
                what: "SPI words",
                reason: format!("{} MOSI words but {} MISO words", mosi.len(), miso.len()),
            });
        }
        let ws = spi.wordsize;
        if let Some(w) = mosi.iter().chain(&miso).find(|w| w.significant_bits() > ws) {
            return Err(SynthError::Message {
                what: "SPI words",
                reason: format!("{} does not fit in {ws} bits", w.to_hex()),
            });
        }
        let mut config = config;
        config.repeat &= config.samples.is_some();
        let steps = SpiSteps {
            words: mosi.len().max(miso.len()) as u64,
            word_gap: ticks(config.word_gap_bits),
            transfer_gap: ticks(config.transfer_gap_bits),
            word: 0,
            bit: 0,
            queue: Vec::new(),
            next: 0,
            cs_active: u8::from(spi.cs_polarity == CsPolarity::ActiveHigh),
            mosi,
            miso,
            config: config.clone(),
        };
        let layout = Layout {
            samples_per_bit: spb,
            lead_bits: config.lead_bits,
            samples: config.samples,
            glitches: config.glitches,
            analog: config.analog,
            seed: config.seed,
        };
        Self::build(steps, layout)
    }
}
