//! sigrok annotations: how every decoder's events render as the lines of sigrok-test's
//! `.output` files (`START-END DECODER: CLASS: "long" "short"`), so `--format sigrok`
//! output diffs against sigrok.
//!
//! Annotators write the lines straight into [`Annotations`], a reused byte buffer: no
//! allocation per annotation, numbers and hex printed without `core::fmt` on the hot paths
//! (dense buses give an annotation every few samples).

use super::Span;
use std::fmt;

/// The rendered annotation lines of one decoder, with the sample offset added to every
/// range and only the `--annotations` classes kept. Reused from chunk to chunk.
#[derive(Debug, Clone)]
pub struct Annotations {
    decoder: &'static str,
    offset: u64,
    /// Classes kept (empty: all).
    only: Vec<String>,
    buf: Vec<u8>,
    /// Every class seen so far and the index of the last one: a decoder alternates among
    /// a few classes (SPI: four per word), and each is looked up and rendered once.
    classes: Vec<Class>,
    current: usize,
    /// The last line's start (shifted), below 10⁸, with its digits as `short_digits`
    /// returns them: the next line's end is often that number (SPI and I²C list a word's
    /// bits last first, each ending where the one printed before it starts).
    last_start: (u64, u64, usize),
}

impl Annotations {
    /// Lines of `decoder` (sigrok's id: `spi`, `i2c`...), ranges shifted by `offset`,
    /// only the classes of `only` (empty: every class).
    pub fn new(decoder: &'static str, offset: u64, only: Vec<String>) -> Self {
        Annotations {
            decoder,
            offset,
            only,
            buf: Vec::with_capacity(1 << 16),
            classes: Vec::new(),
            current: usize::MAX,
            last_start: (u64::MAX, 0, 0),
        }
    }

    /// One annotation line over samples `start..end`; `texts` writes its texts, longest
    /// first (nothing is written when `class` is filtered out).
    #[inline]
    pub fn line(
        &mut self,
        start: u64,
        end: u64,
        class: &'static str,
        texts: impl FnOnce(&mut Texts<'_>),
    ) {
        let key = (class.as_ptr() as usize, class.len());
        if self.classes.get(self.current).map(|c| c.key) != Some(key) {
            self.current = self.class_index(key, class);
        }
        let Annotations {
            classes,
            current,
            buf,
            offset,
            last_start,
            ..
        } = self;
        let Class {
            kept,
            prefix,
            prefix32,
            ..
        } = &classes[*current];
        if !kept {
            return;
        }
        let (start, end) = (start + *offset, end + *offset);
        if start < SHORT && end < SHORT {
            let (s, sn) = if start == last_start.0 {
                (last_start.1, last_start.2)
            } else {
                short_digits(start as u32)
            };
            let (e, en) = if end == last_start.0 {
                (last_start.1, last_start.2)
            } else {
                short_digits(end as u32)
            };
            *last_start = (start, s, sn);
            // The start's digits and the dash in one word when they fit (up to 7 digits).
            if sn < 8 {
                push_word(buf, s | (u64::from(b'-') << (8 * sn)), sn + 1);
            } else {
                push_word(buf, s, 8);
                buf.push(b'-');
            }
            push_word(buf, e, en);
        } else {
            push_u64(buf, start);
            buf.push(b'-');
            push_u64(buf, end);
        }
        match prefix32 {
            Some(p) => {
                let at = buf.len();
                buf.extend_from_slice(p);
                buf.truncate(at + prefix.len());
            }
            None => buf.extend_from_slice(prefix),
        }
        texts(&mut Texts { buf });
        buf.push(b'\n');
    }

    /// The index of `class` in `classes`, added (kept or not, with its prefix) when new.
    #[cold]
    fn class_index(&mut self, key: (usize, usize), class: &'static str) -> usize {
        if let Some(i) = self.classes.iter().position(|c| c.key == key) {
            return i;
        }
        let prefix = format!(" {}: {class}:", self.decoder).into_bytes();
        let prefix32 = (prefix.len() <= 32).then(|| {
            let mut p = [0; 32];
            p[..prefix.len()].copy_from_slice(&prefix);
            p
        });
        self.classes.push(Class {
            key,
            kept: self.only.is_empty() || self.only.iter().any(|c| c == class),
            prefix,
            prefix32,
        });
        self.classes.len() - 1
    }

    /// An annotation whose texts are given whole.
    #[inline]
    pub fn push(&mut self, start: u64, end: u64, class: &'static str, texts: &[&str]) {
        self.line(start, end, class, |t| {
            for text in texts {
                t.text(text);
            }
        });
    }

    /// [`Annotations::push`] over a [`Span`].
    #[inline]
    pub fn push_span(&mut self, span: Span, class: &'static str, texts: &[&str]) {
        self.push(span.start, span.end, class, texts);
    }

    /// The lines written since the last [`Annotations::clear`].
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// The lines as text (tests).
    pub fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.buf)
            .lines()
            .map(String::from)
            .collect()
    }
}

/// One annotation class of [`Annotations`].
#[derive(Debug, Clone)]
struct Class {
    /// Address and length of the class name: classes are `'static` constants.
    key: (usize, usize),
    /// Among the `--annotations` classes.
    kept: bool,
    /// ` DECODER: CLASS:`.
    prefix: Vec<u8>,
    /// `prefix` zero-padded to a fixed size when it fits, so that each line copies it with
    /// one fixed-size store (and a truncate) instead of a `memcpy` call of variable length.
    prefix32: Option<[u8; 32]>,
}

/// The texts of one annotation line: each is written ` "…"`, either whole ([`Texts::text`],
/// [`Texts::fmt`]) or in pieces between [`Texts::open`] and [`Texts::close`].
pub struct Texts<'a> {
    buf: &'a mut Vec<u8>,
}

impl Texts<'_> {
    /// A whole text.
    #[inline]
    pub fn text(&mut self, text: &str) -> &mut Self {
        if let &[c] = text.as_bytes() {
            // One-character texts (every bit annotation): one fixed-size copy.
            self.buf.extend_from_slice(&[b' ', b'"', c, b'"']);
            return self;
        }
        self.open().str(text).close()
    }

    /// A whole text from format arguments (`format_args!`), without a `String`.
    pub fn fmt(&mut self, args: fmt::Arguments<'_>) -> &mut Self {
        self.open();
        fmt::Write::write_fmt(self, args).expect("writing to a Vec cannot fail");
        self.close()
    }

    /// Starts a text written in pieces.
    #[inline]
    pub fn open(&mut self) -> &mut Self {
        self.buf.extend_from_slice(b" \"");
        self
    }

    /// Ends a text started by [`Texts::open`].
    #[inline]
    pub fn close(&mut self) -> &mut Self {
        self.buf.push(b'"');
        self
    }

    /// A piece of text.
    #[inline]
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    /// A piece of UTF-8 bytes (text built elsewhere by this module's `push_*` helpers).
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// A piece in decimal.
    #[inline]
    pub fn dec(&mut self, v: u64) -> &mut Self {
        push_u64(self.buf, v);
        self
    }

    /// A piece in upper-case hex, at least two digits: Python's `'%02X'`.
    #[inline]
    pub fn hex02(&mut self, v: u64) -> &mut Self {
        push_hex(self.buf, v, 2, true);
        self
    }

    /// A piece in hex of the given case, at least `width` digits.
    #[inline]
    pub fn hex(&mut self, v: u64, width: usize, upper: bool) -> &mut Self {
        push_hex(self.buf, v, width, upper);
        self
    }
}

impl fmt::Write for Texts<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.buf.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Numbers below this print as one group of up to eight digits (`short_digits`).
const SHORT: u64 = 100_000_000;

/// The eight decimal digits of `v < 10⁸` as ASCII in one word, the most significant
/// digit in the lowest byte (first in memory, as `u64::to_le_bytes` lays it out).
///
/// SWAR: two groups of four digits in 32-bit lanes, split into pairs in 16-bit lanes,
/// then into digits in bytes, by multiplications by reciprocals exact in those ranges
/// (`x * 10486 >> 20 == x / 100` for `x < 43 699`, `x * 103 >> 10 == x / 10` for
/// `x < 179`). No division chain and no table: a dense bus prints two numbers for every
/// few samples, and `core::fmt`-style digit loops were a third of the CPU there.
#[inline]
fn digits8(v: u32) -> u64 {
    let v = u64::from(v);
    let hi = v / 10_000;
    let x = hi | ((v - hi * 10_000) << 32);
    let q = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let x = q | ((x - q * 100) << 16);
    let q = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    let x = q | ((x - q * 10) << 8);
    x | 0x3030_3030_3030_3030
}

/// `v < 10⁸` without leading zeros: its digits in the low bytes of the word (first digit
/// first in memory) and how many there are (1 to 8).
#[inline]
fn short_digits(v: u32) -> (u64, usize) {
    let d = digits8(v);
    // Leading zero digits are the low zero bytes of the digit values; the last digit is
    // always kept (bit 56), so 0 prints as "0".
    let zeros = ((d & 0x0f0f_0f0f_0f0f_0f0f) | (1 << 56)).trailing_zeros() & !7;
    (d >> zeros, 8 - zeros as usize / 8)
}

/// The low `n` bytes of `word` (`n <= 8`), in memory order: one 8-byte store and a
/// truncate instead of a copy of variable length.
#[inline]
fn push_word(buf: &mut Vec<u8>, word: u64, n: usize) {
    let at = buf.len();
    buf.extend_from_slice(&word.to_le_bytes());
    buf.truncate(at + n.min(8));
}

/// `v` in decimal, as `{v}` prints it: groups of eight digits (`digits8`).
#[inline]
pub fn push_u64(buf: &mut Vec<u8>, v: u64) {
    if v < SHORT {
        let (d, n) = short_digits(v as u32);
        push_word(buf, d, n);
        return;
    }
    let (hi, lo) = (v / SHORT, (v % SHORT) as u32);
    if hi < SHORT {
        let (d, n) = short_digits(hi as u32);
        push_word(buf, d, n);
    } else {
        // At most 20 digits: 4, then 8 and 8.
        let (d, n) = short_digits((hi / SHORT) as u32);
        push_word(buf, d, n);
        push_word(buf, digits8((hi % SHORT) as u32), 8);
    }
    push_word(buf, digits8(lo), 8);
}

/// `v` in hex with at least `width` digits (`{v:0width$X}`, or `x` when not `upper`).
#[inline]
pub fn push_hex(buf: &mut Vec<u8>, v: u64, width: usize, upper: bool) {
    let digits = if upper { HEX_UPPER } else { HEX_LOWER };
    let n = (64 - v.leading_zeros() as usize).div_ceil(4).max(1);
    let at = buf.len();
    // Leading zeros up to `width`, then the digits written in place (see `push_u64`).
    buf.resize(at + n.max(width), b'0');
    let out = &mut buf[at + n.max(width) - n..];
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = digits[((v >> (4 * (n - 1 - k))) & 0xf) as usize];
    }
}

/// Turns a decoder's events into sigrok annotations, in the order libsigrokdecode emits
/// them. Stateful because some annotations summarise several events (SPI's per-transfer
/// line lists every word of the transfer).
pub trait Annotator {
    type Event;
    /// sigrok's decoder id, printed before each class (`spi`, `i2c`, `can`...).
    const DECODER: &'static str;
    /// Every annotation class this decoder can emit, in sigrok's order.
    const CLASSES: &'static [&'static str];
    fn annotate(&mut self, event: &Self::Event, out: &mut Annotations);
}

/// Events that render alone, without state (CAN, 1-Wire, LIN).
pub trait Annotate {
    const DECODER: &'static str;
    const CLASSES: &'static [&'static str];
    /// Appends this event's annotations in the order sigrok emits them.
    fn annotate(&self, out: &mut Annotations);
}

/// The [`Annotator`] of events that render alone.
#[derive(Debug)]
pub struct PerEvent<E>(std::marker::PhantomData<E>);

impl<E> Default for PerEvent<E> {
    fn default() -> Self {
        PerEvent(std::marker::PhantomData)
    }
}

impl<E: Annotate> Annotator for PerEvent<E> {
    type Event = E;
    const DECODER: &'static str = E::DECODER;
    const CLASSES: &'static [&'static str] = E::CLASSES;

    fn annotate(&mut self, event: &E, out: &mut Annotations) {
        event.annotate(out);
    }
}

/// Upper-case hexadecimal with at least two digits, as Python's `'%02X' % value`.
pub fn hex02(value: u64) -> String {
    format!("{value:02X}")
}

/// Python's `str(float)` for the limits quoted in warnings: `60.0`, `7.3`.
pub fn py_float(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_line_matches_sigrok_output_format() {
        let mut out = Annotations::new("i2c", 0, Vec::new());
        out.push(
            646069,
            646142,
            "address-write",
            &["Address write: 52", "AW: 52", "52"],
        );
        out.line(5, 5, "start", |t| {
            t.open()
                .str("A")
                .hex02(0x3)
                .close()
                .fmt(format_args!("{}x", 7));
        });
        assert_eq!(
            out.lines(),
            [
                r#"646069-646142 i2c: address-write: "Address write: 52" "AW: 52" "52""#,
                r#"5-5 i2c: start: "A03" "7x""#
            ]
        );
        let mut only = Annotations::new("i2c", 10, vec!["stop".into()]);
        only.push(0, 1, "start", &["S"]);
        only.push(2, 3, "stop", &["P"]);
        assert_eq!(only.lines(), [r#"12-13 i2c: stop: "P""#]);
    }

    #[test]
    fn numbers_print_like_python() {
        assert_eq!(hex02(0), "00");
        assert_eq!(hex02(0xa), "0A");
        assert_eq!(hex02(0x500), "500");
        assert_eq!(hex02(u64::MAX), "FFFFFFFFFFFFFFFF");
        assert_eq!(py_float(60.0), "60.0");
        assert_eq!(py_float(7.3), "7.3");
    }

    #[test]
    fn fast_numbers_match_core_fmt() {
        let mut values = vec![
            0u64,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            9999,
            10_000,
            99_999_999,
            100_000_000,
            100_000_001,
            9_999_999_999_999_999,
            10_000_000_000_000_000,
            99_999_999_999_999_999,
            100_000_000_000_000_000,
            u64::MAX,
            u64::MAX - 1,
        ];
        for k in 0..20 {
            let p = 10u64.pow(k);
            values.extend([p - 1, p, p + 1]);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x % 64));
        }
        for v in values {
            let mut b = Vec::new();
            push_u64(&mut b, v);
            assert_eq!(String::from_utf8(b).unwrap(), format!("{v}"));
            for width in [0, 1, 2, 4, 8, 17] {
                let mut b = Vec::new();
                push_hex(&mut b, v, width, true);
                assert_eq!(String::from_utf8(b).unwrap(), format!("{v:0width$X}"));
                let mut b = Vec::new();
                push_hex(&mut b, v, width, false);
                assert_eq!(String::from_utf8(b).unwrap(), format!("{v:0width$x}"));
            }
        }
    }

    #[test]
    fn digits8_is_exact_for_every_eight_digit_group() {
        // Every value below 10⁸ against a decimal counter (SWAR reciprocals are exact only
        // in bounded ranges: this checks the whole range they are used on).
        let mut counter = *b"00000000";
        for v in 0..100_000_000u32 {
            assert_eq!(digits8(v).to_le_bytes(), counter, "{v}");
            for d in counter.iter_mut().rev() {
                if *d == b'9' {
                    *d = b'0';
                } else {
                    *d += 1;
                    break;
                }
            }
        }
    }

    #[test]
    fn line_numbers_match_core_fmt_with_reused_digits() {
        // Short and long numbers, ends equal to the last start (reused digits), the
        // offset pushing a range over 10⁸.
        let ranges = [
            (0u64, 0u64),
            (9, 10),
            (0, 9),
            (99_999_990, 99_999_999),
            (99_999_991, 99_999_990),
            (99_999_999, 100_000_000),
            (100_000_000, 99_999_999),
            (1234, 1234),
            (5, 1234),
            (u64::MAX - 1, u64::MAX - 1),
        ];
        for offset in [0u64, 1, 100_000_000 - 9] {
            let mut out = Annotations::new("spi", offset, Vec::new());
            let mut expected = Vec::new();
            for &(s, e) in &ranges {
                let (s, e) = (s.min(u64::MAX - offset), e.min(u64::MAX - offset));
                out.push(s, e, "mosi-bit", &["1"]);
                out.push(s, e, "address-write", &["Address write: 52", ""]);
                out.push(s, e, "a-class-name-longer-than-the-32-byte-prefix", &["x"]);
                let (s, e) = (s + offset, e + offset);
                expected.push(format!(r#"{s}-{e} spi: mosi-bit: "1""#));
                expected.push(format!(
                    r#"{s}-{e} spi: address-write: "Address write: 52" """#
                ));
                expected.push(format!(
                    r#"{s}-{e} spi: a-class-name-longer-than-the-32-byte-prefix: "x""#
                ));
            }
            assert_eq!(out.lines(), expected, "offset {offset}");
        }
    }
}
