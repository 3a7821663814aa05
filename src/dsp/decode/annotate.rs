//! sigrok annotations: how every decoder's events render as the lines of sigrok-test's
//! `.output` files (`START-END DECODER: CLASS: "long" "short"`), so `--format sigrok`
//! output diffs against sigrok.

use super::Span;
use std::borrow::Cow;
use std::fmt;

/// One sigrok annotation: a sample range, the class name and its texts, longest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub span: Span,
    /// sigrok's annotation class id (`mosi-data`, `address-write`, `sof`...).
    pub class: &'static str,
    /// Constant texts (`"0"`, `"ACK"`...) are borrowed: no allocation per annotation.
    pub texts: Vec<Cow<'static, str>>,
}

impl Annotation {
    pub fn new<T: Into<Cow<'static, str>>>(
        span: Span,
        class: &'static str,
        texts: impl IntoIterator<Item = T>,
    ) -> Self {
        Annotation {
            span,
            class,
            texts: texts.into_iter().map(Into::into).collect(),
        }
    }

    /// An annotation over samples `start..end`.
    pub fn at<T: Into<Cow<'static, str>>>(
        start: u64,
        end: u64,
        class: &'static str,
        texts: impl IntoIterator<Item = T>,
    ) -> Self {
        Annotation::new(Span { start, end }, class, texts)
    }

    /// The line as sigrok-test's `.output` files (and `sigrok-cli
    /// --protocol-decoder-samplenum`) print it: `START-END DECODER: CLASS: "long" "short"`.
    pub fn line<'a>(&'a self, decoder: &'a str) -> impl fmt::Display + 'a {
        AnnotationLine {
            annotation: self,
            decoder,
        }
    }
}

struct AnnotationLine<'a> {
    annotation: &'a Annotation,
    decoder: &'a str,
}

impl fmt::Display for AnnotationLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.annotation;
        write!(
            f,
            "{}-{} {}: {}:",
            a.span.start, a.span.end, self.decoder, a.class
        )?;
        for text in &a.texts {
            write!(f, " \"{text}\"")?;
        }
        Ok(())
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
    fn annotate(&mut self, event: &Self::Event, out: &mut Vec<Annotation>);
}

/// Events that render alone, without state (CAN, 1-Wire, LIN).
pub trait Annotate {
    const DECODER: &'static str;
    const CLASSES: &'static [&'static str];
    /// Appends this event's annotations in the order sigrok emits them.
    fn annotate(&self, out: &mut Vec<Annotation>);
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

    fn annotate(&mut self, event: &E, out: &mut Vec<Annotation>) {
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
        let a = Annotation::new(
            Span {
                start: 646069,
                end: 646142,
            },
            "address-write",
            ["Address write: 52", "AW: 52", "52"],
        );
        assert_eq!(
            a.line("i2c").to_string(),
            r#"646069-646142 i2c: address-write: "Address write: 52" "AW: 52" "52""#
        );
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
}
