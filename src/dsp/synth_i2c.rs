//! Seeded I²C capture generator (decoder tests, benchmarks, later `generate i2c`).
//!
//! Streams like the UART generator: any block sizes, constant memory, the same samples
//! for the same configuration and seed. Lines, in the decoder's order
//! ([`crate::dsp::decode::i2c::SIGNALS`]): SCL, SDA; the idle bus is high.
//!
//! Timing: a bit is SCL low for half a bit (plus any clock stretching), then high for
//! half a bit; SDA changes a quarter bit after SCL falls (at the falling edge itself below
//! 4 samples per bit, where a quarter bit could fall on the same sample as the rising
//! edge). START and repeated START pull SDA low with SCL high for half a bit; STOP
//! releases SDA with SCL high, after half a bit of SCL high with SDA low.

use super::synth::{Rng, splitmix64};
use super::synth_bus::{
    AnalogConfig, GlitchConfig, Step, StepSource, SynthError, check_non_negative, samples_per_bit,
    ticks,
};
use super::synth_levels::{BusLines, Layout};

const SCL: u8 = 1;
const SDA: u8 = 2;

/// A slave address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum I2cAddress {
    /// 0..=0x7f.
    Seven(u8),
    /// 0..=0x3ff, sent as `11110 a9 a8 R/W` then `a7..a0`.
    Ten(u16),
}

/// One transaction: START (or repeated START), address, data, then STOP or, with
/// `repeated_start_next`, the next transaction's repeated START.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct I2cTransaction {
    pub address: I2cAddress,
    pub read: bool,
    pub data: Vec<u8>,
    /// ACK (true) or NACK per byte on the wire, address bytes included (a 10-bit read has
    /// three: two address bytes, a repeated START, the first byte again with R/W = 1).
    /// Empty = every byte ACKed except the last data byte of a read (the master's NACK).
    pub acks: Vec<bool>,
    pub repeated_start_next: bool,
}

impl I2cTransaction {
    /// The bytes on the wire, with `true` before a byte that follows a repeated START
    /// inside the transaction (the 10-bit read's turnaround).
    pub fn wire_bytes(&self) -> Vec<(bool, u8)> {
        let rw = u8::from(self.read);
        let mut bytes = match self.address {
            I2cAddress::Seven(a) => vec![(false, (a << 1) | rw)],
            I2cAddress::Ten(a) => {
                let high = 0xf0 | ((a >> 7) as u8 & 0x06);
                let mut b = vec![(false, high), (false, a as u8)];
                if self.read {
                    b.push((true, high | 1));
                }
                b
            }
        };
        bytes.extend(self.data.iter().map(|&d| (false, d)));
        bytes
    }

    /// ACK flags per wire byte (the default pattern when `acks` is empty).
    pub fn ack_pattern(&self) -> Vec<bool> {
        if !self.acks.is_empty() {
            return self.acks.clone();
        }
        let n = self.wire_bytes().len();
        (0..n)
            .map(|i| !(self.read && !self.data.is_empty() && i == n - 1))
            .collect()
    }
}

/// Everything the I²C generator can vary.
#[derive(Debug, Clone, PartialEq)]
pub struct I2cSynthConfig {
    pub sample_rate: f64,
    pub clock_rate: f64,
    /// Idle before the first transaction and after the last, in bit times (at least half
    /// a bit: an edge on the very first sample would be no edge to a decoder).
    pub lead_bits: f64,
    /// Idle bus after a STOP, in bit times (at least half a bit).
    pub gap_bits: f64,
    /// Probability that the slave stretches the clock before a byte's first bit...
    pub stretch_rate: f64,
    /// ...holding SCL low up to this many extra bit times (drawn per stretch).
    pub stretch_bits: f64,
    /// Total length; `None` = the message once plus the lead idle on both sides.
    pub samples: Option<u64>,
    /// Send the message again and again until `samples` are made (only with `samples`).
    pub repeat: bool,
    /// Bits (counting every SCL pulse sent, from 0) whose SCL-low half gets a pulse on
    /// SCL: an extra rising edge, which a decoder reads as an extra bit.
    pub scl_glitches: Vec<u64>,
    /// Random harmless glitches on SDA while SCL is low.
    pub glitches: GlitchConfig,
    pub analog: AnalogConfig,
    pub seed: u64,
}

impl Default for I2cSynthConfig {
    fn default() -> Self {
        Self {
            sample_rate: 1e6,
            clock_rate: 1e5,
            lead_bits: 2.0,
            gap_bits: 2.0,
            stretch_rate: 0.0,
            stretch_bits: 0.0,
            samples: None,
            repeat: false,
            scl_glitches: Vec::new(),
            glitches: GlitchConfig::default(),
            analog: AnalogConfig::default(),
            seed: 0,
        }
    }
}

/// The step sequence, one transaction at a time.
#[derive(Debug, Clone)]
pub struct I2cSteps {
    config: I2cSynthConfig,
    message: Vec<I2cTransaction>,
    /// Ticks from SCL falling to SDA changing (0 or 1).
    sda_delay: u64,
    gap: u64,
    /// Transactions queued so far (the index of the next one).
    transaction: u64,
    /// SCL pulses sent so far.
    bit: u64,
    sda: u8,
    /// The bus is held after a repeated START's SDA fall (no START needed).
    after_repeated_start: bool,
    queue: Vec<Step>,
    next: usize,
    stretch: Rng,
}

impl I2cSteps {
    fn push(&mut self, scl: u8, sda: u8, ticks: u64, forced_glitch: u8) {
        if ticks == 0 {
            return;
        }
        self.sda = sda;
        self.queue.push(Step {
            levels: (scl * SCL) | (sda * SDA),
            ticks,
            glitchable: if scl == 0 { SDA } else { 0 },
            forced_glitch,
        });
    }

    /// SCL falls, SDA moves to `sda` (after the delay), SCL low then high.
    fn clock(&mut self, sda: u8, stretch: u64) {
        let glitch = if self.config.scl_glitches.contains(&self.bit) {
            SCL
        } else {
            0
        };
        self.bit += 1;
        let held = self.sda;
        self.push(0, held, self.sda_delay, 0);
        self.push(0, sda, (2 - self.sda_delay).saturating_add(stretch), glitch);
        self.push(1, sda, 2, 0);
    }

    fn byte(&mut self, value: u8, ack: bool) {
        let stretch = if self.config.stretch_rate > 0.0
            && self.stretch.uniform() <= self.config.stretch_rate
        {
            ticks(self.config.stretch_bits * (0.5 + 0.5 * self.stretch.uniform()))
        } else {
            0
        };
        for k in (0..8).rev() {
            let s = if k == 7 { stretch } else { 0 };
            self.clock((value >> k) & 1, s);
        }
        self.clock(u8::from(!ack), 0);
    }

    /// SDA falls with SCL high (from an idle bus, or after a repeated START's set-up).
    fn start(&mut self) {
        self.push(1, 0, 2, 0);
    }

    /// The set-up of a repeated START: SCL low, SDA released, SCL high; then START.
    fn repeated_start(&mut self) {
        self.clock(1, 0);
        self.start();
    }

    fn queue_transaction(&mut self) {
        let index = (self.transaction % self.message.len() as u64) as usize;
        self.transaction += 1;
        let t = self.message[index].clone();
        self.queue.clear();
        self.next = 0;
        if !self.after_repeated_start {
            self.start();
        }
        for ((repeat, byte), ack) in t.wire_bytes().into_iter().zip(t.ack_pattern()) {
            if repeat {
                self.repeated_start();
            }
            self.byte(byte, ack);
        }
        let more = self.config.repeat || self.transaction < self.message.len() as u64;
        self.after_repeated_start = t.repeated_start_next && more;
        if self.after_repeated_start {
            self.repeated_start();
        } else {
            // STOP: SDA low under SCL low, SCL high, then SDA released.
            self.clock(0, 0);
            self.push(1, 1, self.gap, 0);
        }
    }
}

impl StepSource for I2cSteps {
    fn next_step(&mut self) -> Option<Step> {
        if self.next == self.queue.len() {
            let more = self.config.repeat || self.transaction < self.message.len() as u64;
            if self.message.is_empty() || !more {
                return None;
            }
            self.queue_transaction();
        }
        let step = self.queue.get(self.next).copied();
        self.next += 1;
        step
    }

    fn idle(&self) -> u8 {
        SCL | SDA
    }
}

/// Streaming I²C capture source: lines [SCL, SDA].
pub type I2cSynth = BusLines<I2cSteps, 2>;

impl I2cSynth {
    pub fn new(config: I2cSynthConfig, message: Vec<I2cTransaction>) -> Result<Self, SynthError> {
        let spb = samples_per_bit(config.sample_rate, config.clock_rate)?;
        check_non_negative("gap", config.gap_bits)?;
        check_non_negative("clock stretch", config.stretch_bits)?;
        if !(0.0..=1.0).contains(&config.stretch_rate) {
            return Err(SynthError::NotProbability {
                what: "clock stretch rate",
                got: config.stretch_rate,
            });
        }
        for (i, t) in message.iter().enumerate() {
            let bad = |reason: String| SynthError::Message {
                what: "I2C transaction",
                reason: format!("transaction {i}: {reason}"),
            };
            match t.address {
                I2cAddress::Seven(a) if a > 0x7f => {
                    return Err(bad(format!("7-bit address {a:#x} is over 0x7f")));
                }
                I2cAddress::Ten(a) if a > 0x3ff => {
                    return Err(bad(format!("10-bit address {a:#x} is over 0x3ff")));
                }
                _ => {}
            }
            let wire = t.wire_bytes().len();
            if !t.acks.is_empty() && t.acks.len() != wire {
                return Err(bad(format!(
                    "{} ACK flags for {wire} bytes on the wire",
                    t.acks.len()
                )));
            }
        }
        let mut config = config;
        config.repeat &= config.samples.is_some();
        let steps = I2cSteps {
            sda_delay: u64::from(spb >= 4.0),
            gap: ticks(config.gap_bits).max(2),
            transaction: 0,
            bit: 0,
            sda: 1,
            after_repeated_start: false,
            queue: Vec::new(),
            next: 0,
            stretch: Rng::new(splitmix64(config.seed ^ 0x5717_e7c4)),
            message,
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
