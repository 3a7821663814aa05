//! Line ends and fields: the one definition detection and the row parse share.
//!
//! A line ends at LF, CRLF or a lone CR (classic Mac OS exports, and files whose line ends
//! were mixed by editing or joining); CRLF is one line end. A field is the text between
//! two delimiters. A field whose first byte (after spaces) is `"` is quoted, as in
//! RFC 4180: it runs to the closing quote (`""` inside it is a literal quote), may hold the
//! delimiter, and only spaces may follow it before the next delimiter. A line end inside
//! quotes is not supported (numeric exports never need one): such a field is unclosed.

use std::ops::Range;

/// The UTF-8 byte-order mark.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The line that starts at `pos`: where its text ends (its line end, or the end of `bytes`)
/// and where the next line starts; `None` when `bytes` holds no line end after `pos`.
#[inline]
pub(super) fn line_end(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let e = pos + memchr::memchr2(b'\n', b'\r', bytes.get(pos..)?)?;
    let next = if bytes[e] == b'\r' && bytes.get(e + 1) == Some(&b'\n') {
        e + 2
    } else {
        e + 1
    };
    Some((e, next))
}

/// One field of a line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Field {
    /// The text (inside the quotes for a quoted field; `""` left doubled).
    pub text: Range<usize>,
    pub quoted: bool,
    /// Index of the delimiter after the field, or the line's length.
    pub end: usize,
}

/// Why a quoted field could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteError {
    /// No closing quote before the line end.
    Unclosed,
    /// Something other than spaces between the closing quote and the delimiter.
    AfterQuote,
}

impl QuoteError {
    pub(super) fn describe(self) -> &'static str {
        match self {
            QuoteError::Unclosed => {
                "a quoted field is not closed on its line (line breaks inside quotes are not \
                 supported)"
            }
            QuoteError::AfterQuote => "text after the closing quote of a quoted field",
        }
    }
}

fn is_space(b: u8, delim: u8) -> bool {
    (b == b' ' || b == b'\t') && b != delim
}

/// The field of `line` (one line, without its line end) that starts at `p`.
#[inline]
pub(super) fn field(line: &[u8], p: usize, delim: u8) -> Result<Field, QuoteError> {
    let n = line.len();
    let mut q = p;
    while q < n && is_space(line[q], delim) {
        q += 1;
    }
    if q < n && line[q] == b'"' {
        let mut i = q + 1;
        loop {
            let k = i + memchr::memchr(b'"', &line[i..]).ok_or(QuoteError::Unclosed)?;
            if line.get(k + 1) == Some(&b'"') {
                i = k + 2;
                continue;
            }
            let mut e = k + 1;
            while e < n && is_space(line[e], delim) {
                e += 1;
            }
            if e < n && line[e] != delim {
                return Err(QuoteError::AfterQuote);
            }
            return Ok(Field {
                text: q + 1..k,
                quoted: true,
                end: e,
            });
        }
    }
    let end = memchr::memchr(delim, &line[p..]).map_or(n, |i| p + i);
    Ok(Field {
        text: p..end,
        quoted: false,
        end,
    })
}

/// Every field of `line`, for detection: a quoted field without its quotes; a field whose
/// quotes are broken is split at the delimiter as if unquoted (the parse reports it).
pub(super) fn split(line: &[u8], delim: u8) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut p = 0;
    loop {
        let (text, end) = match field(line, p, delim) {
            Ok(f) => (&line[f.text], f.end),
            Err(_) => {
                let end = memchr::memchr(delim, &line[p..]).map_or(line.len(), |i| p + i);
                (&line[p..end], end)
            }
        };
        out.push(text);
        if end >= line.len() {
            return out;
        }
        p = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_lf_crlf_and_lone_cr() {
        let b = b"a\nb\r\nc\rd";
        assert_eq!(line_end(b, 0), Some((1, 2)));
        assert_eq!(line_end(b, 2), Some((3, 5)));
        assert_eq!(line_end(b, 5), Some((6, 7)));
        assert_eq!(line_end(b, 7), None);
        assert_eq!(line_end(b"\r", 0), Some((0, 1)));
        assert_eq!(line_end(b"x", 5), None);
    }

    #[test]
    fn quoted_fields_hold_the_delimiter() {
        let s = |l: &[u8], d| {
            split(l, d)
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(s(b"1,\"1,5\",3", b','), ["1", "1,5", "3"]);
        assert_eq!(s(b" \"a\"\"b\" ,2", b','), ["a\"\"b", "2"]);
        assert_eq!(s(b"\"x\ty\"\t\"2\"", b'\t'), ["x\ty", "2"]);
        assert_eq!(s(b"", b','), [""]);
        assert_eq!(s(b"1,", b','), ["1", ""]);
        // Broken quotes: split as if unquoted.
        assert_eq!(s(b"\"1,2", b','), ["\"1", "2"]);
        assert_eq!(s(b"\"1\"x,2", b','), ["\"1\"x", "2"]);
        assert_eq!(field(b"\"1,2", 0, b','), Err(QuoteError::Unclosed));
        assert_eq!(field(b"\"1\"x,2", 0, b','), Err(QuoteError::AfterQuote));
        let f = field(b"1,\"2\" ,3", 2, b',').expect("quoted");
        assert_eq!((f.text, f.quoted, f.end), (3..4, true, 6));
    }
}
