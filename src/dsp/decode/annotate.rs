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
    /// The last class seen (address and length: classes are `'static` constants), whether
    /// it is kept, and its ` DECODER: CLASS:` part, so consecutive lines of one class
    /// neither search `only` nor copy three pieces again.
    last: (usize, usize),
    kept: bool,
    prefix: Vec<u8>,
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
            last: (0, 0),
            kept: false,
            prefix: Vec::new(),
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
        if (class.as_ptr() as usize, class.len()) != self.last {
            self.last = (class.as_ptr() as usize, class.len());
            self.kept = self.only.is_empty() || self.only.iter().any(|c| c == class);
            self.prefix.clear();
            self.prefix.push(b' ');
            self.prefix.extend_from_slice(self.decoder.as_bytes());
            self.prefix.extend_from_slice(b": ");
            self.prefix.extend_from_slice(class.as_bytes());
            self.prefix.push(b':');
        }
        if !self.kept {
            return;
        }
        let buf = &mut self.buf;
        push_u64(buf, start + self.offset);
        buf.push(b'-');
        push_u64(buf, end + self.offset);
        buf.extend_from_slice(&self.prefix);
        texts(&mut Texts { buf });
        buf.push(b'\n');
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

/// The texts of one annotation line: each is written ` "…"`, either whole ([`Texts::text`],
/// [`Texts::fmt`]) or in pieces between [`Texts::open`] and [`Texts::close`].
pub struct Texts<'a> {
    buf: &'a mut Vec<u8>,
}

impl Texts<'_> {
    /// A whole text.
    #[inline]
    pub fn text(&mut self, text: &str) -> &mut Self {
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

/// Two decimal digits of every number below 100.
const DIGITS2: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// `v` in decimal, as `{v}` prints it.
///
/// The digits go straight into `buf`'s new tail: formatting into a stack array and copying
/// that made every copy wait on the array's fresh narrow stores (half the CPU of a dense
/// SPI decode went there).
#[inline]
pub fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let n = v.checked_ilog10().map_or(1, |l| l as usize + 1);
    let at = buf.len();
    buf.resize(at + n, b'0');
    let out = &mut buf[at..];
    let mut i = n;
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGITS2[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        out[..2].copy_from_slice(&DIGITS2[d..d + 2]);
    } else {
        out[0] = b'0' + v as u8;
    }
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
            u64::MAX,
            u64::MAX - 1,
        ];
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
            assert_eq!(String::from_utf8(b).unwrap(), v.to_string());
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
}
