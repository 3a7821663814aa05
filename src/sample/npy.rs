//! The .npy header: pure functions over bytes, no files.
//!
//! Format (NumPy NEP 1): magic `\x93NUMPY`, major/minor version, a little-endian header
//! length (u16 for 1.0, u32 for 2.0/3.0), then a Python dict literal padded with spaces and
//! a newline. The data starts right after the header; its offset is computed, never assumed.
//! tracekit stores capture metadata as a Python comment after the dict (see docs/formats.md),
//! which `np.load` ignores.

use super::{ComplexType, DType, Endian};
use crate::sample::CaptureMeta;
use thiserror::Error;

pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// Headers longer than this are refused (NumPy itself refuses more than 10 000 bytes by default).
const MAX_HEADER_LEN: usize = 1 << 20;

#[derive(Debug, Error, PartialEq)]
pub enum NpyError {
    #[error("not a .npy file (no \\x93NUMPY magic)")]
    NoMagic,
    #[error("unsupported .npy format version {0}.{1} (1.0, 2.0 and 3.0 are supported)")]
    Version(u8, u8),
    #[error("truncated .npy header: it needs {need} bytes but the file has {have}")]
    Truncated { need: u64, have: u64 },
    #[error(".npy header length {0} is absurd (more than 1 MiB)")]
    HeaderTooLong(u64),
    #[error("malformed .npy header: {0}")]
    Malformed(String),
    #[error(".npy header lacks the key '{0}'")]
    MissingKey(&'static str),
    #[error("unsupported dtype {0}: {1}")]
    Dtype(String, &'static str),
    #[error("{0}-D array: tracekit reads 1-D (samples) or 2-D (samples, channels) arrays")]
    Dims(usize),
}

/// Why NumPy's long double is refused (it looks like tracekit's `f16`).
pub const LONG_DOUBLE: &str =
    "NumPy's long double (80/128-bit float) is not read; float16 is '<f2', float64 '<f8'";

/// What a .npy header says about the array that follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyHeader {
    pub version: (u8, u8),
    /// Offset of the first data byte from the start of the file.
    pub data_offset: u64,
    /// The stored type; for a complex array (`complex: true`) the type of each component.
    pub dtype: DType,
    pub endian: Endian,
    /// `<c8`/`<c16`: every element is an (I, Q) pair of `dtype` (float32/float64).
    pub complex: bool,
    pub fortran_order: bool,
    pub shape: Vec<u64>,
    /// Metadata tracekit left in the header comment, if any.
    pub meta: CaptureMeta,
}

impl NpyHeader {
    /// Bytes the array data needs after the header (None if that overflows u64).
    pub fn data_len(&self) -> Option<u64> {
        self.shape.iter().try_fold(
            self.dtype.size() as u64 * if self.complex { 2 } else { 1 },
            |acc, &d| acc.checked_mul(d),
        )
    }
}

/// How many bytes of the file the whole header occupies, from its first 12 bytes.
/// Lets a stream reader know how much to read before calling [`parse_header`].
pub fn header_extent(prefix: &[u8]) -> Result<u64, NpyError> {
    if prefix.len() < 6 || &prefix[..6] != MAGIC {
        return Err(NpyError::NoMagic);
    }
    if prefix.len() < 10 {
        return Err(NpyError::Truncated {
            need: 10,
            have: prefix.len() as u64,
        });
    }
    let (major, minor) = (prefix[6], prefix[7]);
    let (len, start) = match major {
        1 => (u16::from_le_bytes([prefix[8], prefix[9]]) as u64, 10u64),
        2 | 3 => {
            if prefix.len() < 12 {
                return Err(NpyError::Truncated {
                    need: 12,
                    have: prefix.len() as u64,
                });
            }
            (
                u32::from_le_bytes([prefix[8], prefix[9], prefix[10], prefix[11]]) as u64,
                12,
            )
        }
        _ => return Err(NpyError::Version(major, minor)),
    };
    if minor != 0 {
        return Err(NpyError::Version(major, minor));
    }
    if len as usize > MAX_HEADER_LEN {
        return Err(NpyError::HeaderTooLong(len));
    }
    Ok(start + len)
}

/// Parse a complete header. `bytes` must hold at least [`header_extent`] bytes.
pub fn parse_header(bytes: &[u8]) -> Result<NpyHeader, NpyError> {
    let extent = header_extent(bytes)?;
    if (bytes.len() as u64) < extent {
        return Err(NpyError::Truncated {
            need: extent,
            have: bytes.len() as u64,
        });
    }
    let version = (bytes[6], bytes[7]);
    let start = if version.0 == 1 { 10 } else { 12 };
    let raw = &bytes[start..extent as usize];
    // Version 3.0 allows UTF-8; 1.0/2.0 are Latin-1, which for a valid dict is ASCII anyway.
    let text = String::from_utf8_lossy(raw);
    let (dict_text, comment) = split_comment(&text);
    let value = Node::parse(dict_text).map_err(NpyError::Malformed)?;
    let Literal::Dict(entries) = &value.lit else {
        return Err(NpyError::Malformed(format!(
            "the header is not a dict: found {}",
            value.quote(dict_text)
        )));
    };
    let get = |key: &'static str| {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .ok_or(NpyError::MissingKey(key))
    };
    let (dtype, endian, complex) = parse_descr(get("descr")?, dict_text)?;
    let fortran_order = match get("fortran_order")? {
        Node {
            lit: Literal::Bool(b),
            ..
        } => *b,
        other => {
            return Err(NpyError::Malformed(format!(
                "fortran_order is {}, expected True or False",
                other.quote(dict_text)
            )));
        }
    };
    let shape = match get("shape")? {
        Node {
            lit: Literal::Tuple(items),
            ..
        } => items
            .iter()
            .map(|v| dimension(v, dict_text))
            .collect::<Result<Vec<u64>, _>>()?,
        other => {
            return Err(NpyError::Malformed(format!(
                "shape is {}, expected a tuple of sizes such as (1000,) or (1000, 2)",
                other.quote(dict_text)
            )));
        }
    };
    if shape.len() > 2 {
        return Err(NpyError::Dims(shape.len()));
    }
    let meta = comment
        .map(CaptureMeta::from_header_comment)
        .unwrap_or_default();
    Ok(NpyHeader {
        version,
        data_offset: extent,
        dtype,
        endian,
        complex,
        fortran_order,
        shape,
        meta,
    })
}

/// Split `{...} # tracekit {...}` into the dict and the comment after it.
fn split_comment(text: &str) -> (&str, Option<&str>) {
    // A '#' inside a quoted string would not start a comment, but descr strings never hold one.
    match text.find('#') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    }
}

/// One shape entry: a size that fits in u64.
fn dimension(node: &Node, text: &str) -> Result<u64, NpyError> {
    match node.lit {
        Literal::Int(n) if n < 0 => Err(NpyError::Malformed(format!(
            "shape has the negative size {n}"
        ))),
        Literal::Int(n) => u64::try_from(n).map_err(|_| {
            NpyError::Malformed(format!("shape has the size {n}, more than 2^64 - 1"))
        }),
        _ => Err(NpyError::Malformed(format!(
            "shape has {} where a size is expected",
            node.quote(text)
        ))),
    }
}

fn parse_descr(node: &Node, text: &str) -> Result<(DType, Endian, bool), NpyError> {
    let descr = match &node.lit {
        Literal::Str(s) => s,
        Literal::List(_) => {
            return Err(NpyError::Dtype(
                "structured".into(),
                "records with named fields are not waveforms; save one field with np.save",
            ));
        }
        _ => {
            return Err(NpyError::Malformed(format!(
                "descr is {}, expected a type string such as '<f4'",
                node.quote(text)
            )));
        }
    };
    let kind = descr.trim_start_matches(['<', '>', '|', '=']);
    let why = match kind.chars().next() {
        _ if DType::is_long_double(descr) => Some(LONG_DOUBLE),
        Some('O') => Some("Python objects cannot be read outside Python"),
        Some('U') | Some('S') | Some('a') => Some("strings are not samples"),
        Some('c') if !matches!(&kind[1..], "8" | "16") => {
            Some("only complex64 ('<c8') and complex128 ('<c16') are read")
        }
        Some('c') => {
            let (c, order) = ComplexType::parse(descr).ok_or(NpyError::Dtype(
                descr.clone(),
                "not a complex type tracekit reads",
            ))?;
            return Ok((c.component(), order.unwrap_or(Endian::NATIVE), true));
        }
        Some('V') => Some("raw void records are not samples"),
        Some('M') | Some('m') => Some("datetimes are not samples"),
        _ => None,
    };
    if let Some(why) = why {
        return Err(NpyError::Dtype(descr.clone(), why));
    }
    let (dtype, order) = DType::parse(descr)
        .ok_or_else(|| NpyError::Dtype(descr.clone(), "not a numeric type tracekit reads"))?;
    // `=` and `|` mean native order; one-byte types have no order.
    Ok((dtype, order.unwrap_or(Endian::NATIVE), false))
}

/// The subset of Python literals a .npy header uses.
#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Str(String),
    Int(i128),
    Bool(bool),
    None,
    Tuple(Vec<Node>),
    List(Vec<Node>),
    Dict(Vec<(String, Node)>),
}

/// A literal and where it stands in the header text, so errors can quote it.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    lit: Literal,
    start: usize,
    end: usize,
}

/// NumPy writes flat dicts of flat tuples; anything nested deeper is not a .npy header (and
/// must not exhaust the stack).
const MAX_DEPTH: usize = 8;

/// Errors quote at most this much of the header.
const QUOTE_CHARS: usize = 40;

impl Node {
    fn parse(text: &str) -> Result<Node, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
            depth: 0,
        };
        let v = p.value()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!(
                "unexpected {} after the dict",
                quote(&text[p.i.min(text.len())..])
            ));
        }
        Ok(v)
    }

    /// The node's text in the header, quoted and shortened.
    fn quote(&self, text: &str) -> String {
        quote(text.get(self.start..self.end).unwrap_or(""))
    }
}

/// `text` in backquotes, shortened to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("`{}…`", &text[..cut]),
        None => format!("`{text}`"),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    /// The text from byte `from` on, quoted, for "expected X, found Y" messages.
    fn found(&self, from: usize) -> String {
        match self.s.get(from..) {
            Some([]) | None => "the end of the header".into(),
            Some(rest) => quote(&String::from_utf8_lossy(rest)),
        }
    }

    fn value(&mut self) -> Result<Node, String> {
        let start = match self.peek() {
            None => return Err("the header ends where a value is expected".into()),
            Some(_) => self.i,
        };
        let lit = match self.s[start] {
            b'{' => self.nested(|p| p.dict())?,
            b'(' => self.nested(|p| p.seq(b')').map(Literal::Tuple))?,
            b'[' => self.nested(|p| p.seq(b']').map(Literal::List))?,
            b'\'' | b'"' => self.string().map(Literal::Str)?,
            c if c == b'-' || c == b'+' || c.is_ascii_digit() => self.int()?,
            _ => self.word()?,
        };
        Ok(Node {
            lit,
            start,
            end: self.i,
        })
    }

    /// A dict, tuple or list, one level deeper.
    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Literal, String>,
    ) -> Result<Literal, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "nested more than {MAX_DEPTH} levels deep at byte {}: NumPy writes a flat dict",
                self.i
            ));
        }
        self.depth += 1;
        let lit = f(self);
        self.depth -= 1;
        lit
    }

    fn dict(&mut self) -> Result<Literal, String> {
        self.i += 1;
        let mut entries = Vec::new();
        loop {
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(Literal::Dict(entries));
            }
            let at = self.i;
            let key = match self.value()?.lit {
                Literal::Str(s) => s,
                _ => return Err(format!("expected a quoted key, found {}", self.found(at))),
            };
            if self.peek() != Some(b':') {
                return Err(format!(
                    "expected ':' after '{key}', found {}",
                    self.found(self.i)
                ));
            }
            self.i += 1;
            let value = self.value()?;
            entries.push((key, value));
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                _ => {
                    return Err(format!(
                        "expected ',' or '}}' in the dict, found {}",
                        self.found(self.i)
                    ));
                }
            }
        }
    }

    fn seq(&mut self, close: u8) -> Result<Vec<Node>, String> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(items);
            }
            items.push(self.value()?);
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {}
                _ => {
                    return Err(format!(
                        "expected ',' or '{}', found {}",
                        close as char,
                        self.found(self.i)
                    ));
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let quote_char = self.s[self.i];
        self.i += 1;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != quote_char {
            self.i += 1;
        }
        if self.i >= self.s.len() {
            return Err(format!("a string is not closed: {}", self.found(start - 1)));
        }
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.i += 1;
        Ok(text)
    }

    fn int(&mut self) -> Result<Literal, String> {
        let start = self.i;
        if matches!(self.s[self.i], b'-' | b'+') {
            self.i += 1;
        }
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        let digits = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        // Python 2 wrote long integers with an L suffix.
        if self.i < self.s.len() && (self.s[self.i] == b'L' || self.s[self.i] == b'l') {
            self.i += 1;
        }
        digits
            .parse::<i128>()
            .map(Literal::Int)
            .map_err(|_| format!("expected an integer, found {}", quote(&digits)))
    }

    fn word(&mut self) -> Result<Literal, String> {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
            self.i += 1;
        }
        match &self.s[start..self.i] {
            b"True" => Ok(Literal::Bool(true)),
            b"False" => Ok(Literal::Bool(false)),
            b"None" => Ok(Literal::None),
            _ => Err(format!(
                "expected a string, number, True, False, None or a bracket, found {}",
                self.found(start)
            )),
        }
    }
}

/// Build a version 1.0 header (2.0 if the dict is too long) whose data starts on a
/// 64-byte boundary, as NumPy writes it. `meta` becomes a trailing comment.
pub fn build_header(
    dtype: DType,
    endian: Endian,
    fortran_order: bool,
    shape: &[u64],
    meta: &CaptureMeta,
) -> Vec<u8> {
    build_header_descr(&dtype.descr(endian), fortran_order, shape, meta)
}

/// [`build_header`] for a `descr` given as text (`<c8` for complex64).
pub fn build_header_descr(
    descr: &str,
    fortran_order: bool,
    shape: &[u64],
    meta: &CaptureMeta,
) -> Vec<u8> {
    let shape_text = match shape {
        [n] => format!("({n},)"),
        dims => format!(
            "({})",
            dims.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let fortran = if fortran_order { "True" } else { "False" };
    let mut dict =
        format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape_text}, }}");
    if let Some(comment) = meta.to_header_comment() {
        dict.push_str(" # ");
        dict.push_str(&comment);
    }
    // Room for a later, longer shape (patched in place when a streaming writer finishes).
    let min_dict = dict.len() + 24;
    let (prefix_len, major) = if min_dict + 11 <= u16::MAX as usize {
        (10, 1u8)
    } else {
        (12, 2u8)
    };
    let total = (prefix_len + min_dict + 1).div_ceil(64) * 64;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.push(major);
    out.push(0);
    let header_len = total - prefix_len;
    if major == 1 {
        out.extend_from_slice(&(header_len as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1(dict: &str) -> Vec<u8> {
        let mut body = dict.as_bytes().to_vec();
        body.push(b'\n');
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn reads_a_numpy_written_header() {
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 2), }";
        let h = parse_header(&v1(dict)).unwrap();
        assert_eq!(h.dtype, DType::F32);
        assert_eq!(h.endian, Endian::Little);
        assert_eq!(h.shape, vec![1000, 2]);
        assert!(!h.fortran_order);
        assert_eq!(h.data_offset, 10 + dict.len() as u64 + 1);
        assert_eq!(h.data_len(), Some(8000));
    }

    #[test]
    fn data_offset_follows_the_header_length() {
        // An odd length (no padding) must still give the true offset.
        let h = parse_header(&v1("{'descr':'>i2','fortran_order':True,'shape':(3,)}")).unwrap();
        assert_eq!(h.data_offset, 10 + 49 + 1);
        assert_eq!((h.dtype, h.endian), (DType::I16, Endian::Big));
        assert!(h.fortran_order);
    }

    #[test]
    fn version_2_and_3_have_u32_lengths() {
        for major in [2u8, 3] {
            let dict = b"{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }\n";
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&[major, 0]);
            bytes.extend_from_slice(&(dict.len() as u32).to_le_bytes());
            bytes.extend_from_slice(dict);
            let h = parse_header(&bytes).unwrap();
            assert_eq!(h.version, (major, 0));
            assert_eq!(h.data_offset, 12 + dict.len() as u64);
            assert_eq!(h.shape, vec![5]);
        }
    }

    #[test]
    fn python2_long_and_scalar_shapes() {
        let h = parse_header(&v1(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (10L,), }",
        ))
        .unwrap();
        assert_eq!(h.shape, vec![10]);
        let h = parse_header(&v1(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
        ))
        .unwrap();
        assert!(h.shape.is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_waveform() {
        let cases = [
            (
                "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",
                "Python objects",
            ),
            (
                "{'descr': '<U4', 'fortran_order': False, 'shape': (3,), }",
                "strings",
            ),
            (
                "{'descr': '<c32', 'fortran_order': False, 'shape': (3,), }",
                "complex",
            ),
            (
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }",
                "structured",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }",
                "3-D",
            ),
            (
                "{'fortran_order': False, 'shape': (3,), }",
                "lacks the key 'descr'",
            ),
            (
                "{'descr': '<f4', 'shape': (3,), }",
                "lacks the key 'fortran_order'",
            ),
            ("['descr', '<f4']", "not a dict"),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3,",
                "malformed",
            ),
        ];
        for (dict, want) in cases {
            let err = parse_header(&v1(dict)).unwrap_err().to_string();
            assert!(err.contains(want), "{dict}: {err}");
        }
    }

    #[test]
    fn truncation_and_magic() {
        let full = v1("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
        for cut in 0..full.len() {
            assert!(parse_header(&full[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(parse_header(b"PK\x03\x04rest"), Err(NpyError::NoMagic));
        let mut bad = full.clone();
        bad[6] = 9;
        assert_eq!(parse_header(&bad), Err(NpyError::Version(9, 0)));
    }

    #[test]
    fn built_headers_parse_back_aligned_with_metadata() {
        let meta = CaptureMeta {
            sample_rate: Some(1e6),
            start_time: Some(-0.5),
            ..Default::default()
        };
        let h = build_header(DType::F32, Endian::Little, false, &[123, 2], &meta);
        assert_eq!(h.len() % 64, 0);
        assert_eq!(*h.last().unwrap(), b'\n');
        let back = parse_header(&h).unwrap();
        assert_eq!(back.shape, vec![123, 2]);
        assert_eq!(back.data_offset, h.len() as u64);
        assert_eq!(back.meta, meta);
        let plain = build_header(
            DType::U8,
            Endian::Little,
            false,
            &[7],
            &CaptureMeta::default(),
        );
        assert!(!String::from_utf8_lossy(&plain).contains('#'));
        assert_eq!(parse_header(&plain).unwrap().meta, CaptureMeta::default());
    }
}
