//! Streaming SPI decoding with libsigrokdecode's `spi` semantics, sample for sample.
//!
//! sigrok's rules (decoders/spi/pd.py, api_version 3), which [`SpiDecoder`] reproduces:
//! - Only samples where CLK or CS# changes matter; the very first sample only sets the
//!   levels (no edge there), and opens a transfer if CS# is already asserted.
//! - A CS# edge comes first: it ends the word in progress (its bits are dropped), closes the
//!   transfer on deassertion (a `*-transfer` annotation from the assertion edge to here) and
//!   opens one on assertion. While CS# is deasserted nothing else is looked at.
//! - A bit is read on the sampling edge of CLK: rising for modes 0 and 3, falling for 1 and
//!   2 (mode = 2·CPOL + CPHA), MISO and MOSI at that very sample.
//! - After `wordsize` bits a word is reported. Bit k spans from its edge to the next bit's
//!   edge; the last bit, which has no next edge, gets the previous bit's width (zero for a
//!   one-bit word). The word spans its bits.
//!
//! The decoder keeps its whole state across `push` calls, reads CLK and CS# 64 samples at a
//! time as bit masks (sampling edges by `trailing_zeros`) and crosses quiet stretches with
//! memchr / word-at-a-time searches, so output never depends on the chunk size and an idle
//! bus costs almost nothing.

use serde::{Serialize, Serializer};

use super::{Annotations, Annotator, Block, Decoder, above, find_change, find_change2, push_hex};

/// Signal order for [`Decoder::push`], as sigrok numbers them; MISO, MOSI and CS# are
/// optional (an empty slice when absent).
pub const SIGNALS: [&str; 4] = ["clk", "miso", "mosi", "cs"];

/// Longest word accepted: a word's bit positions are kept until it completes, so a huge
/// `wordsize` would only allocate without ever completing a word.
pub const MAX_WORDSIZE: u32 = 1 << 16;

/// Errors of SPI configuration; each names what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpiError {
    #[error("SPI needs MISO or MOSI (or both); neither signal was given")]
    NoDataSignal,
    #[error("SPI word size must be 1 to {MAX_WORDSIZE} bits, got {got}")]
    WordSize { got: String },
    #[error("unknown SPI option {name:?} (expected cs_polarity, cpol, cpha, bitorder or wordsize)")]
    UnknownOption { name: String },
    #[error("SPI option {name} must be {expected}, got {got:?}")]
    BadValue {
        name: &'static str,
        got: String,
        expected: &'static str,
    },
}

/// Which CS# level selects the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsPolarity {
    #[default]
    ActiveLow,
    ActiveHigh,
}

/// Order of the bits of a word on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BitOrder {
    #[default]
    MsbFirst,
    LsbFirst,
}

/// The decoder's options, named and defaulted as sigrok's `spi` decoder names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpiConfig {
    /// Clock polarity: the idle level of CLK (0 or 1).
    pub cpol: u8,
    /// Clock phase: 0 = data read on the leading edge, 1 = on the trailing edge.
    pub cpha: u8,
    pub bitorder: BitOrder,
    /// Bits per word, 1..=[`MAX_WORDSIZE`].
    pub wordsize: u32,
    pub cs_polarity: CsPolarity,
}

impl Default for SpiConfig {
    fn default() -> Self {
        Self {
            cpol: 0,
            cpha: 0,
            bitorder: BitOrder::MsbFirst,
            wordsize: 8,
            cs_polarity: CsPolarity::ActiveLow,
        }
    }
}

impl SpiConfig {
    /// Sets one option from its sigrok name and text value (`wordsize`, `9`), as
    /// sigrok-cli's `-P spi:wordsize=9` or sigrok-test's `option wordsize=9` give them.
    pub fn set_option(&mut self, name: &str, value: &str) -> Result<(), SpiError> {
        let bad = |name, expected| SpiError::BadValue {
            name,
            got: value.to_string(),
            expected,
        };
        match name {
            "cpol" => self.cpol = parse_bit(value).ok_or_else(|| bad("cpol", "0 or 1"))?,
            "cpha" => self.cpha = parse_bit(value).ok_or_else(|| bad("cpha", "0 or 1"))?,
            "bitorder" => {
                self.bitorder = match value {
                    "msb-first" => BitOrder::MsbFirst,
                    "lsb-first" => BitOrder::LsbFirst,
                    _ => return Err(bad("bitorder", "msb-first or lsb-first")),
                }
            }
            "cs_polarity" => {
                self.cs_polarity = match value {
                    "active-low" => CsPolarity::ActiveLow,
                    "active-high" => CsPolarity::ActiveHigh,
                    _ => return Err(bad("cs_polarity", "active-low or active-high")),
                }
            }
            "wordsize" => {
                self.wordsize = value.parse().map_err(|_| SpiError::WordSize {
                    got: value.to_string(),
                })?;
                self.validate()?;
            }
            _ => {
                return Err(SpiError::UnknownOption {
                    name: name.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Checks what the field types cannot: the word size and the 0/1 mode bits.
    pub fn validate(&self) -> Result<(), SpiError> {
        if !(1..=MAX_WORDSIZE).contains(&self.wordsize) {
            return Err(SpiError::WordSize {
                got: self.wordsize.to_string(),
            });
        }
        for (name, v) in [("cpol", self.cpol), ("cpha", self.cpha)] {
            if v > 1 {
                return Err(SpiError::BadValue {
                    name,
                    got: v.to_string(),
                    expected: "0 or 1",
                });
            }
        }
        Ok(())
    }

    /// SPI mode 0..=3.
    pub fn mode(&self) -> u8 {
        2 * self.cpol + self.cpha
    }

    /// The CLK level right after a sampling edge: rising (1) in modes 0 and 3, falling
    /// (0) in modes 1 and 2.
    fn sampling_level(&self) -> u8 {
        1 ^ self.cpol ^ self.cpha
    }

    fn cs_active_level(&self) -> u8 {
        match self.cs_polarity {
            CsPolarity::ActiveLow => 0,
            CsPolarity::ActiveHigh => 1,
        }
    }
}

fn parse_bit(text: &str) -> Option<u8> {
    match text {
        "0" => Some(0),
        "1" => Some(1),
        _ => None,
    }
}

/// Which optional signals the capture has (CLK is always required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpiSignals {
    pub miso: bool,
    pub mosi: bool,
    pub cs: bool,
}

/// A word's value, any width: one `u64` up to 64 bits (no allocation), else limbs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordValue {
    Narrow(u64),
    /// Little-endian 64-bit limbs (limb 0 holds bits 0..64), for words over 64 bits.
    Wide(Box<[u64]>),
}

impl WordValue {
    /// From little-endian limbs; one limb (or none) gives [`WordValue::Narrow`].
    pub fn from_limbs(limbs: &[u64]) -> Self {
        match limbs {
            [] => WordValue::Narrow(0),
            [one] => WordValue::Narrow(*one),
            _ => WordValue::Wide(limbs.into()),
        }
    }

    fn limbs(&self) -> &[u64] {
        match self {
            WordValue::Narrow(v) => std::slice::from_ref(v),
            WordValue::Wide(limbs) => limbs,
        }
    }

    /// The value when it fits in 64 bits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.limbs() {
            [low, high @ ..] if high.iter().all(|&l| l == 0) => Some(*low),
            _ => None,
        }
    }

    /// Bits up to the highest set one (0 for zero).
    pub fn significant_bits(&self) -> u32 {
        let limbs = self.limbs();
        match limbs.iter().rposition(|&l| l != 0) {
            Some(top) => 64 * top as u32 + (64 - limbs[top].leading_zeros()),
            None => 0,
        }
    }

    /// Bit `i` (0 = least significant).
    pub fn bit(&self, i: u32) -> bool {
        let limb = self.limbs().get((i / 64) as usize).copied().unwrap_or(0);
        (limb >> (i % 64)) & 1 == 1
    }

    /// Upper-case hex, at least two digits, no other leading zeros: Python's `'%02X'`.
    pub fn to_hex(&self) -> String {
        let mut text = Vec::new();
        self.push_hex(&mut text);
        String::from_utf8(text).expect("hex digits are ASCII")
    }

    /// Appends the hex text (see [`WordValue::to_hex`]) to `buf`, without allocating.
    pub fn push_hex(&self, buf: &mut Vec<u8>) {
        let limbs = self.limbs();
        let top = limbs.iter().rposition(|&l| l != 0).unwrap_or(0);
        push_hex(buf, limbs[top], if top == 0 { 2 } else { 1 }, true);
        for &limb in limbs[..top].iter().rev() {
            push_hex(buf, limb, 16, true);
        }
    }
}

impl Serialize for WordValue {
    /// A number when it fits in 64 bits, else a hex string (JSON numbers lose such values).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_u64() {
            Some(v) => s.serialize_u64(v),
            None => s.serialize_str(&self.to_hex()),
        }
    }
}

/// Words up to this many bits keep their bit positions inline.
const INLINE_BITS: usize = 16;

/// The sampling edges of a word's bits, in arrival order: inline up to `INLINE_BITS` (16)
/// bits, so the common word sizes allocate nothing (a dense bus ends a word every few
/// dozen samples), on the heap beyond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BitStarts {
    Inline { len: u8, at: [u64; INLINE_BITS] },
    Heap(Box<[u64]>),
}

impl From<&[u64]> for BitStarts {
    fn from(starts: &[u64]) -> Self {
        if starts.len() <= INLINE_BITS {
            let mut at = [0; INLINE_BITS];
            at[..starts.len()].copy_from_slice(starts);
            BitStarts::Inline {
                len: starts.len() as u8,
                at,
            }
        } else {
            BitStarts::Heap(starts.into())
        }
    }
}

impl FromIterator<u64> for BitStarts {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        BitStarts::from(&iter.into_iter().collect::<Vec<_>>()[..])
    }
}

impl std::ops::Deref for BitStarts {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        match self {
            BitStarts::Inline { len, at } => &at[..usize::from(*len)],
            BitStarts::Heap(starts) => starts,
        }
    }
}

impl Serialize for BitStarts {
    /// A list, as the slice it stands for.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// One complete word (sigrok's `DATA` and `BITS` outputs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpiWord {
    /// The first bit's sampling edge.
    pub start: u64,
    /// The last bit's edge plus the width of the bit before it (sigrok's guess).
    pub end: u64,
    /// `None` when the signal is absent.
    pub mosi: Option<WordValue>,
    pub miso: Option<WordValue>,
    /// The sampling edge of each bit, in arrival order.
    pub bit_starts: BitStarts,
    pub bitorder: BitOrder,
}

impl SpiWord {
    /// Position of the `k`-th arriving bit within the value.
    fn value_bit(&self, k: usize) -> u32 {
        let n = self.bit_starts.len();
        let k = k as u32;
        match self.bitorder {
            BitOrder::MsbFirst => n as u32 - 1 - k,
            BitOrder::LsbFirst => k,
        }
    }

    /// Sample range of the `k`-th arriving bit.
    fn bit_span(&self, k: usize) -> (u64, u64) {
        let start = self.bit_starts[k];
        let end = self.bit_starts.get(k + 1).copied().unwrap_or(self.end);
        (start, end)
    }
}

/// What the SPI decoder reports, in sigrok's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SpiEvent {
    Word(SpiWord),
    /// CS# was deasserted: the transfer since its assertion (or since the first sample, if
    /// CS# was asserted there) and how many words completed in it.
    Transfer {
        start: u64,
        end: u64,
        words: u64,
    },
    /// Bits that never made a word: CS# changed, or the capture ended, first. sigrok drops
    /// them silently (no annotation); tracekit reports them as an error.
    Incomplete {
        start: u64,
        end: u64,
        bits: u32,
    },
}

/// Streaming SPI decoder; see the module documentation for the rules.
#[derive(Debug, Clone)]
pub struct SpiDecoder {
    config: SpiConfig,
    signals: SpiSignals,
    sampling_level: u8,
    cs_active: u8,
    /// Absolute index of the sample after the last one pushed.
    next: u64,
    started: bool,
    /// Levels of the last sample pushed.
    prev_clk: u8,
    prev_cs: u8,
    /// Word in progress: bit positions and the shift registers (little-endian limbs).
    bit_starts: Vec<u64>,
    mosi: Vec<u64>,
    miso: Vec<u64>,
    /// Open transfer: where CS# was asserted and the words completed since.
    transfer: Option<(u64, u64)>,
}

impl SpiDecoder {
    pub fn new(config: SpiConfig, signals: SpiSignals) -> Result<Self, SpiError> {
        config.validate()?;
        if !(signals.miso || signals.mosi) {
            return Err(SpiError::NoDataSignal);
        }
        let limbs = config.wordsize.div_ceil(64) as usize;
        Ok(Self {
            sampling_level: config.sampling_level(),
            cs_active: config.cs_active_level(),
            config,
            signals,
            next: 0,
            started: false,
            prev_clk: 0,
            prev_cs: 0,
            bit_starts: Vec::with_capacity(config.wordsize as usize),
            mosi: vec![0; limbs],
            miso: vec![0; limbs],
            transfer: None,
        })
    }

    /// The annotator for this decoder's events (it needs to know the signals present).
    pub fn annotator(&self) -> SpiAnnotator {
        SpiAnnotator::new(self.signals)
    }

    fn clear_word(&mut self) {
        self.bit_starts.clear();
        self.mosi.fill(0);
        self.miso.fill(0);
    }

    /// Reports the bits of an unfinished word, if any, and forgets them.
    fn drop_word(&mut self, end: u64, out: &mut Vec<SpiEvent>) {
        if let Some(&start) = self.bit_starts.first() {
            out.push(SpiEvent::Incomplete {
                start,
                end,
                bits: self.bit_starts.len() as u32,
            });
        }
        self.clear_word();
    }

    fn cs_edge(&mut self, at: u64, cs: u8, out: &mut Vec<SpiEvent>) {
        self.drop_word(at, out);
        if cs == self.cs_active {
            self.transfer = Some((at, 0));
        } else if let Some((start, words)) = self.transfer.take() {
            out.push(SpiEvent::Transfer {
                start,
                end: at,
                words,
            });
        }
    }

    fn read_bit(&mut self, at: u64, miso: u8, mosi: u8, out: &mut Vec<SpiEvent>) {
        let ws = self.config.wordsize;
        let count = self.bit_starts.len() as u32;
        let pos = match self.config.bitorder {
            BitOrder::MsbFirst => ws - 1 - count,
            BitOrder::LsbFirst => count,
        };
        let (limb, shift) = ((pos / 64) as usize, pos % 64);
        if let Some(l) = self.miso.get_mut(limb) {
            *l |= u64::from(miso) << shift;
        }
        if let Some(l) = self.mosi.get_mut(limb) {
            *l |= u64::from(mosi) << shift;
        }
        self.bit_starts.push(at);
        if count + 1 < ws {
            return;
        }
        let end = match self.bit_starts[..] {
            [.., before, last] => last + (last - before),
            _ => at,
        };
        let word = SpiWord {
            start: self.bit_starts[0],
            end,
            mosi: self.signals.mosi.then(|| WordValue::from_limbs(&self.mosi)),
            miso: self.signals.miso.then(|| WordValue::from_limbs(&self.miso)),
            bit_starts: BitStarts::from(self.bit_starts.as_slice()),
            bitorder: self.config.bitorder,
        };
        out.push(SpiEvent::Word(word));
        if let Some((_, words)) = &mut self.transfer {
            *words += 1;
        }
        self.clear_word();
    }
}

/// `levels[k]` as 0/1 (an absent signal reads 0).
#[inline]
fn level(levels: &[u8], k: usize) -> u8 {
    levels.get(k).map_or(0, |&v| u8::from(v != 0))
}

impl Decoder for SpiDecoder {
    type Event = SpiEvent;

    /// `signals` = [clk, miso, mosi, cs] ([`SIGNALS`]); an absent signal's slice is
    /// empty. Samples beyond the shortest present signal are ignored.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<SpiEvent>) {
        let signal = |i: usize| signals.get(i).copied().unwrap_or(&[]);
        let (clk, miso, mosi, cs) = (signal(0), signal(1), signal(2), signal(3));
        let present = [
            (true, clk),
            (self.signals.miso, miso),
            (self.signals.mosi, mosi),
            (self.signals.cs, cs),
        ];
        let n = present
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, s)| s.len())
            .min()
            .unwrap_or(0);
        if n == 0 {
            return;
        }
        let have_cs = self.signals.cs;
        let mut i = 0;
        if !self.started {
            // sigrok's first sample: levels only, and a transfer if CS# is asserted.
            self.started = true;
            self.prev_clk = level(clk, 0);
            self.prev_cs = level(cs, 0);
            if have_cs && self.prev_cs == self.cs_active {
                self.transfer = Some((start, 0));
            }
            i = 1;
        }
        while i < n {
            let len = (n - i).min(64);
            let c = Block::new(&clk[i..i + len], self.prev_clk);
            let s = if have_cs {
                Block::new(&cs[i..i + len], self.prev_cs)
            } else {
                Block {
                    levels: 0,
                    changes: 0,
                }
            };
            let sampling = c.edges_to(self.sampling_level);
            let mut left = u64::MAX;
            loop {
                let selected = !have_cs || self.prev_cs == self.cs_active;
                let events = left & (s.changes | if selected { sampling } else { 0 });
                if events == 0 {
                    break;
                }
                let k = events.trailing_zeros();
                let at = start + (i + k as usize) as u64;
                if s.changes >> k & 1 == 1 {
                    self.prev_cs = s.level(k);
                    self.cs_edge(at, self.prev_cs, out);
                }
                // A sampling edge on the CS# assertion edge itself is a bit.
                if sampling >> k & 1 == 1 && (!have_cs || self.prev_cs == self.cs_active) {
                    let j = i + k as usize;
                    self.read_bit(at, level(miso, j), level(mosi, j), out);
                }
                left = above(k);
            }
            self.prev_clk = c.level(len as u32 - 1);
            i += len;
            // CS# deasserted, or CLK and CS# quiet for a block: search on to the next
            // change that matters (an idle bus at memchr speed).
            let selected = !have_cs || self.prev_cs == self.cs_active;
            if i < n && (!selected || c.changes | s.changes == 0) {
                let next = if !have_cs {
                    find_change(&clk[i..n], self.prev_clk)
                } else if !selected {
                    find_change(&cs[i..n], self.prev_cs)
                } else {
                    find_change2(&clk[i..n], self.prev_clk, &cs[i..n], self.prev_cs)
                };
                let skip = next.unwrap_or(n - i);
                if skip > 0 {
                    i += skip;
                    self.prev_clk = level(clk, i - 1);
                }
            }
        }
        self.prev_clk = level(clk, n - 1);
        self.prev_cs = level(cs, n - 1);
        self.next = start + n as u64;
    }

    fn finish(&mut self, out: &mut Vec<SpiEvent>) {
        self.drop_word(self.next, out);
    }
}

/// Renders [`SpiEvent`]s as sigrok's `spi` annotations. It collects the hex words of the
/// open transfer (only when CS# is present, so memory stays bounded otherwise) for the
/// `*-transfer` lines, which list every word of a transfer.
#[derive(Debug, Clone)]
pub struct SpiAnnotator {
    signals: SpiSignals,
    /// The open transfer's words as hex, space-separated (ASCII).
    miso_words: Vec<u8>,
    mosi_words: Vec<u8>,
    /// One word's hex text.
    hex: Vec<u8>,
}

impl SpiAnnotator {
    pub fn new(signals: SpiSignals) -> Self {
        Self {
            signals,
            miso_words: Vec::new(),
            mosi_words: Vec::new(),
            hex: Vec::new(),
        }
    }

    fn bits(word: &SpiWord, value: &WordValue, class: &'static str, out: &mut Annotations) {
        // sigrok lists a word's bits last-arrived first.
        for k in (0..word.bit_starts.len()).rev() {
            let (start, end) = word.bit_span(k);
            let bit = u8::from(value.bit(word.value_bit(k)));
            let text = if bit == 1 { "1" } else { "0" };
            out.push(start, end, class, &[text]);
        }
    }
}

impl Annotator for SpiAnnotator {
    type Event = SpiEvent;
    const DECODER: &'static str = "spi";
    const CLASSES: &'static [&'static str] = &[
        "miso-data",
        "mosi-data",
        "miso-bit",
        "mosi-bit",
        "warning",
        "miso-transfer",
        "mosi-transfer",
    ];

    fn annotate(&mut self, event: &SpiEvent, out: &mut Annotations) {
        match event {
            SpiEvent::Word(word) => {
                let lanes = [
                    (&word.miso, "miso-bit", "miso-data", &mut self.miso_words),
                    (&word.mosi, "mosi-bit", "mosi-data", &mut self.mosi_words),
                ];
                for (value, bit_class, _, _) in &lanes {
                    if let Some(value) = value {
                        Self::bits(word, value, bit_class, out);
                    }
                }
                for (value, _, data_class, words) in lanes {
                    if let Some(value) = value {
                        self.hex.clear();
                        value.push_hex(&mut self.hex);
                        if self.signals.cs {
                            if !words.is_empty() {
                                words.push(b' ');
                            }
                            words.extend_from_slice(&self.hex);
                        }
                        let hex = &self.hex;
                        out.line(word.start, word.end, data_class, |t| {
                            t.open().raw(hex).close();
                        });
                    }
                }
            }
            SpiEvent::Transfer { start, end, .. } => {
                let lanes = [
                    (self.signals.miso, "miso-transfer", &mut self.miso_words),
                    (self.signals.mosi, "mosi-transfer", &mut self.mosi_words),
                ];
                for (present, class, words) in lanes {
                    if present {
                        out.line(*start, *end, class, |t| {
                            t.open().raw(words).close();
                        });
                    }
                    words.clear();
                }
            }
            SpiEvent::Incomplete { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(cfg: SpiConfig, signals: SpiSignals, lines: [&[u8]; 4]) -> Vec<SpiEvent> {
        let mut dec = SpiDecoder::new(cfg, signals).unwrap();
        let mut out = Vec::new();
        dec.push(0, &lines, &mut out);
        dec.finish(&mut out);
        out
    }

    #[test]
    fn options_parse_with_sigrok_names_and_reject_bad_values() {
        let mut cfg = SpiConfig::default();
        cfg.set_option("cpol", "1").unwrap();
        cfg.set_option("cpha", "1").unwrap();
        cfg.set_option("bitorder", "lsb-first").unwrap();
        cfg.set_option("wordsize", "152").unwrap();
        cfg.set_option("cs_polarity", "active-high").unwrap();
        assert_eq!(cfg.mode(), 3);
        assert_eq!(cfg.wordsize, 152);
        assert_eq!(cfg.bitorder, BitOrder::LsbFirst);
        assert_eq!(cfg.cs_polarity, CsPolarity::ActiveHigh);
        assert!(matches!(
            cfg.set_option("wordsize", "0"),
            Err(SpiError::WordSize { .. })
        ));
        assert_eq!(
            cfg.set_option("cpol", "2").unwrap_err().to_string(),
            "SPI option cpol must be 0 or 1, got \"2\""
        );
        assert!(matches!(
            cfg.set_option("format", "hex"),
            Err(SpiError::UnknownOption { .. })
        ));
        let none = SpiSignals {
            miso: false,
            mosi: false,
            cs: true,
        };
        assert_eq!(
            SpiDecoder::new(SpiConfig::default(), none).err(),
            Some(SpiError::NoDataSignal)
        );
    }

    #[test]
    fn wide_values_print_like_python() {
        assert_eq!(WordValue::Narrow(0x500).to_hex(), "500");
        assert_eq!(WordValue::Narrow(0).to_hex(), "00");
        let wide = WordValue::from_limbs(&[0x0123, 0xab, 0]);
        assert_eq!(wide.to_hex(), "AB0000000000000123");
        assert_eq!(wide.as_u64(), None);
        assert!(wide.bit(64) && wide.bit(0) && !wide.bit(2) && !wide.bit(200));
        assert_eq!(WordValue::from_limbs(&[7, 0]).as_u64(), Some(7));
        assert_eq!(wide.significant_bits(), 72);
        assert_eq!(
            WordValue::from_limbs(&[0, 0xf]).to_hex(),
            "F0000000000000000"
        );
        assert_eq!(WordValue::Narrow(0).significant_bits(), 0);
    }

    #[test]
    fn mode0_word_with_guessed_last_bit_end_and_transfer() {
        // CS# low from 1 to 20; clock rises at 3, 5, 8, 10 (4-bit words, MSB first).
        let mut clk = [0u8; 22];
        for (r, f) in [(3, 4), (5, 7), (8, 9), (10, 12)] {
            clk[r..f].fill(1);
        }
        let mut cs = [1u8; 22];
        cs[1..20].fill(0);
        let mosi = [
            0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        let cfg = SpiConfig {
            wordsize: 4,
            ..SpiConfig::default()
        };
        let signals = SpiSignals {
            miso: false,
            mosi: true,
            cs: true,
        };
        let out = decode(cfg, signals, [&clk, &[], &mosi, &cs]);
        let SpiEvent::Word(word) = &out[0] else {
            panic!("{out:?}")
        };
        // Bits 1,0,1,1 at 3,5,8,10; the last bit gets the width of the one before (2).
        assert_eq!((word.start, word.end), (3, 12));
        assert_eq!(word.mosi, Some(WordValue::Narrow(0b1011)));
        assert_eq!(
            out[1],
            SpiEvent::Transfer {
                start: 1,
                end: 20,
                words: 1
            }
        );
        let mut ann = SpiDecoder::new(cfg, signals).unwrap().annotator();
        let mut lines = Annotations::new("spi", 0, Vec::new());
        for e in &out {
            ann.annotate(e, &mut lines);
        }
        let text = lines.lines();
        assert_eq!(
            text,
            [
                r#"10-12 spi: mosi-bit: "1""#,
                r#"8-10 spi: mosi-bit: "1""#,
                r#"5-8 spi: mosi-bit: "0""#,
                r#"3-5 spi: mosi-bit: "1""#,
                r#"3-12 spi: mosi-data: "0B""#,
                r#"1-20 spi: mosi-transfer: "0B""#,
            ]
        );
    }

    #[test]
    fn cs_edge_drops_the_unfinished_word_and_gates_the_clock() {
        // Two rising edges while selected, CS# rises, two more edges while deselected.
        let clk = [0, 1, 0, 1, 0, 0, 1, 0, 1, 0];
        let cs = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let miso = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        let signals = SpiSignals {
            miso: true,
            mosi: false,
            cs: true,
        };
        let out = decode(SpiConfig::default(), signals, [&clk, &miso, &[], &cs]);
        assert_eq!(
            out,
            [
                SpiEvent::Incomplete {
                    start: 1,
                    end: 4,
                    bits: 2
                },
                SpiEvent::Transfer {
                    start: 0,
                    end: 4,
                    words: 0
                }
            ]
        );
    }
}
