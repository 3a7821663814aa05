//! Tektronix ISF files (`.isf`): the scope's ASCII waveform preamble (`:WFMPRE:` or
//! `:WFMOUTPRE:` query answer, long or short key names) followed by `:CURVE #N<len><bytes>`.
//!
//! Learned from the Tektronix programmer manuals (WFMOutpre / WFMPre, CURVe) and RigolWFM's
//! tek_isf description. Keys may carry a command path (`:WFMPRE:NR_PT`) and may be abbreviated
//! down to their SCPI short form (`NR_P`). Value of point n: YZERO + YMULT × (code − YOFF);
//! x of point n: XZERO + XINCR × (n − PT_OFF). XUNIT `Hz` marks a frequency-domain record.

use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use super::scope::FormatError;
use super::scope::describe::{push_some, si};
use super::scope::read::{self, ReadAt};
use super::{Segment, XUnit};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::path::Path;
use thiserror::Error;

pub const NAME: &str = "tek-isf";

/// The loader's handle on this format.
pub struct TekIsf;

impl crate::loader::Format for TekIsf {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(sniff(head, extension), extension == "isf")
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        crate::loader::layout::open_with(input, NAME, parse)
    }
}

/// Longest preamble searched for the curve block.
const MAX_PREAMBLE: u64 = 64 << 10;

#[derive(Debug, Error)]
pub enum TekIsfError {
    #[error("no `:CURVE #` block in the first {searched} bytes of the ISF preamble")]
    NoCurve { searched: u64 },
    #[error(
        "malformed curve block header {0:?} (expected `#` and a digit count, then the byte count)"
    )]
    BlockHeader(String),
    #[error("the preamble lacks {0}")]
    Missing(&'static str),
    #[error("{key} is {value:?}: {why}")]
    BadValue {
        key: &'static str,
        value: String,
        why: &'static str,
    },
    #[error("unsupported record: {0}")]
    Unsupported(String),
    #[error("the curve block holds {block} bytes but NR_PT × BYT_NR{frames} needs {need}")]
    BlockTooShort {
        block: u64,
        need: u64,
        frames: String,
    },
}

/// What `info` shows for an ISF file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TekIsfMeta {
    /// The scope's WFID text ("Ch1, DC coupling, 100.0mV/div, ...").
    pub waveform_id: String,
    pub encoding: String,
    pub points: u64,
    pub frames: u64,
    pub y_unit: String,
    pub y_mult: f64,
    pub y_off: f64,
    pub y_zero: f64,
    pub x_unit: String,
    pub x_incr: f64,
    pub x_zero: f64,
    pub pt_off: f64,
    /// Every other preamble key, as written (VSCALE, HSCALE, DOMAIN, CENTERFREQUENCY...).
    pub other: Vec<(String, String)>,
}

impl VendorMeta for TekIsfMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![("Format".to_string(), "Tektronix ISF".to_string())];
        push_some(&mut rows, "Waveform ID", Some(self.waveform_id.clone()));
        rows.push(("Encoding".into(), self.encoding.clone()));
        rows.push(("Points".into(), self.points.to_string()));
        if self.frames > 1 {
            rows.push(("Frames".into(), self.frames.to_string()));
        }
        rows.push((
            "Conversion".into(),
            format!(
                "value = {:e} + {:e} × (code − {:e}) {}",
                self.y_zero, self.y_mult, self.y_off, self.y_unit
            ),
        ));
        rows.push(("X increment".into(), si(self.x_incr, &self.x_unit, 6)));
        rows.push(("X of point 0".into(), si(self.x_zero, &self.x_unit, 6)));
        for (key, value) in &self.other {
            rows.push((key.clone(), value.clone()));
        }
        rows
    }
}

/// True for a preamble that starts with a waveform-preamble command path.
pub fn sniff(head: &[u8], extension: &str) -> bool {
    let start: Vec<u8> = head
        .iter()
        .take(12)
        .skip_while(|&&b| b == b':')
        .map(u8::to_ascii_uppercase)
        .collect();
    start.starts_with(b"WFMP")
        || start.starts_with(b"WFMO")
        || (extension.eq_ignore_ascii_case("isf") && find_curve(head).is_some())
}

pub fn parse(
    file: &std::fs::File,
    path: &Path,
    size: u64,
) -> Result<Layout<TekIsfMeta>, FormatError> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "isf".into());
    parse_from(file, size, &stem)
}

/// [`parse`] on any positioned reader; `name` names the channel when WFID does not.
pub fn parse_from(
    src: &(impl ReadAt + ?Sized),
    size: u64,
    name: &str,
) -> Result<Layout<TekIsfMeta>, FormatError> {
    let searched = size.min(MAX_PREAMBLE);
    let head = read::read_block(src, size, 0, searched, "ISF preamble")?;
    let Some((pairs, hash)) = find_curve(&head) else {
        return Err(TekIsfError::NoCurve { searched }.into());
    };
    let block = block_header(&head, hash, size)?;
    let p = Preamble::from_pairs(pairs);
    build_layout(p, block, size, name)
}

/// Where the curve bytes lie.
struct Block {
    data: u64,
    len: u64,
}

/// `#<n><n digits>` at `hash`: the byte count and where the bytes start. `#0` (indefinite
/// length) runs to the end of the file.
fn block_header(head: &[u8], hash: usize, size: u64) -> Result<Block, FormatError> {
    let shown = || {
        let rest = head.get(hash..).unwrap_or_default();
        String::from_utf8_lossy(&rest[..rest.len().min(12)]).into_owned()
    };
    let digits = head
        .get(hash + 1)
        .filter(|b| b.is_ascii_digit())
        .map(|b| usize::from(b - b'0'))
        .ok_or_else(|| TekIsfError::BlockHeader(shown()))?;
    let data = (hash + 2 + digits) as u64;
    if digits == 0 {
        return Ok(Block {
            data,
            len: size.saturating_sub(data),
        });
    }
    let text = head
        .get(hash + 2..hash + 2 + digits)
        .ok_or_else(|| TekIsfError::BlockHeader(shown()))?;
    let len = std::str::from_utf8(text)
        .ok()
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or_else(|| TekIsfError::BlockHeader(shown()))?;
    let what = format!("the curve block ({len} bytes from byte {data})");
    read::check_inside(data.checked_add(len), size, &what)?;
    Ok(Block { data, len })
}

/// The preamble's `key value` pairs (command path stripped) and the offset of the `#` that
/// opens the curve block. The scan honours quotes, so a `;` or `#` inside WFID is text.
fn find_curve(head: &[u8]) -> Option<(Vec<(String, String)>, usize)> {
    let mut pairs = Vec::new();
    let mut pos = 0;
    while pos < head.len() {
        while head
            .get(pos)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b';')
        {
            pos += 1;
        }
        let key_start = pos;
        while head
            .get(pos)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b';')
        {
            pos += 1;
        }
        let path = String::from_utf8_lossy(head.get(key_start..pos)?);
        let key = path
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        while head.get(pos).is_some_and(|b| *b == b' ' || *b == b'\t') {
            pos += 1;
        }
        if (key == "CURVE" || key == "CURV") && head.get(pos) == Some(&b'#') {
            return Some((pairs, pos));
        }
        let value_start = pos;
        let mut quoted = false;
        while let Some(&b) = head.get(pos) {
            if b == b'"' {
                quoted = !quoted;
            } else if b == b';' && !quoted {
                break;
            }
            pos += 1;
        }
        let value = String::from_utf8_lossy(head.get(value_start..pos)?);
        if !key.is_empty() {
            pairs.push((key, value.trim().trim_matches('"').to_string()));
        }
    }
    None
}

/// Long key names and their SCPI short forms; a key may be written as anything in between.
const KEYS: [(&str, &str); 17] = [
    ("BYT_NR", "BYT_N"),
    ("BIT_NR", "BIT_N"),
    ("ENCDG", "ENC"),
    ("BN_FMT", "BN_F"),
    ("BYT_OR", "BYT_O"),
    ("WFID", "WFI"),
    ("NR_PT", "NR_P"),
    ("PT_FMT", "PT_F"),
    ("XUNIT", "XUN"),
    ("XINCR", "XIN"),
    ("XZERO", "XZE"),
    ("PT_OFF", "PT_O"),
    ("YUNIT", "YUN"),
    ("YMULT", "YMU"),
    ("YOFF", "YOF"),
    ("YZERO", "YZE"),
    ("NR_FR", "NR_F"),
];

fn canonical(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .find(|(long, short)| key.starts_with(short) && long.starts_with(key))
        .map(|(long, _)| *long)
}

/// The preamble values, keyed by long name.
struct Preamble {
    known: Vec<(&'static str, String)>,
    other: Vec<(String, String)>,
    warnings: Vec<String>,
}

impl Preamble {
    fn from_pairs(pairs: Vec<(String, String)>) -> Preamble {
        let mut p = Preamble {
            known: Vec::new(),
            other: Vec::new(),
            warnings: Vec::new(),
        };
        for (key, value) in pairs {
            match canonical(&key) {
                Some(long) => match p.get(long) {
                    Some(first) if first != value => p.warnings.push(format!(
                        "{long} is given twice ({first:?}, then {value:?}); the first is used"
                    )),
                    Some(_) => {}
                    None => p.known.push((long, value)),
                },
                None => p.other.push((key, value)),
            }
        }
        p
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.known
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_string()
    }

    fn number(&self, key: &'static str, default: f64) -> Result<f64, TekIsfError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| TekIsfError::BadValue {
                    key,
                    value: v.to_string(),
                    why: "not a finite number",
                }),
        }
    }

    fn integer(&self, key: &'static str) -> Result<Option<u64>, TekIsfError> {
        self.get(key)
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| TekIsfError::BadValue {
                    key,
                    value: v.to_string(),
                    why: "not a non-negative integer",
                })
            })
            .transpose()
    }
}

fn sample_type(p: &Preamble, warnings: &mut Vec<String>) -> Result<(DType, Endian), TekIsfError> {
    let width = p.integer("BYT_NR")?.ok_or(TekIsfError::Missing("BYT_NR"))?;
    let format = p.get("BN_FMT").map(str::to_ascii_uppercase);
    if format.is_none() {
        warnings.push("BN_FMT is missing; signed integers (RI) assumed".into());
    }
    let bad_width = |why| TekIsfError::BadValue {
        key: "BYT_NR",
        value: width.to_string(),
        why,
    };
    let dtype = match (format.as_deref().unwrap_or("RI"), width) {
        ("RI", 1) => DType::I8,
        ("RI", 2) => DType::I16,
        ("RI", 4) => DType::I32,
        ("RI", 8) => DType::I64,
        ("RP", 1) => DType::U8,
        ("RP", 2) => DType::U16,
        ("RP", 4) => DType::U32,
        ("RP", 8) => DType::U64,
        ("FP", 4) => DType::F32,
        ("FP", 8) => DType::F64,
        ("RI" | "RP", _) => return Err(bad_width("integers are 1, 2, 4 or 8 bytes")),
        ("FP", _) => return Err(bad_width("floating-point points are 4 or 8 bytes")),
        (other, _) => {
            return Err(TekIsfError::BadValue {
                key: "BN_FMT",
                value: other.to_string(),
                why: "expected RI, RP or FP",
            });
        }
    };
    let endian = match p.get("BYT_OR").map(str::to_ascii_uppercase).as_deref() {
        Some("MSB") => Endian::Big,
        Some("LSB") => Endian::Little,
        None => {
            warnings.push("BYT_OR is missing; MSB first assumed".into());
            Endian::Big
        }
        Some(other) => {
            return Err(TekIsfError::BadValue {
                key: "BYT_OR",
                value: other.to_string(),
                why: "expected MSB or LSB",
            });
        }
    };
    Ok((dtype, endian))
}

fn build_layout(
    mut p: Preamble,
    block: Block,
    size: u64,
    name: &str,
) -> Result<Layout<TekIsfMeta>, FormatError> {
    let mut warnings = std::mem::take(&mut p.warnings);
    if let Some(enc) = p
        .get("ENCDG")
        .filter(|e| !e.to_ascii_uppercase().starts_with("BIN"))
    {
        return Err(TekIsfError::Unsupported(format!(
            "{enc} encoding (ENCDG); only binary curves can be mapped"
        ))
        .into());
    }
    if let Some(fmt) = p.get("PT_FMT").filter(|f| !f.eq_ignore_ascii_case("Y")) {
        return Err(TekIsfError::Unsupported(format!(
            "point format {fmt} (PT_FMT); only Y (one value per point) is read"
        ))
        .into());
    }
    let (dtype, endian) = sample_type(&p, &mut warnings)?;
    let width = dtype.size() as u64;
    let frames = p.integer("NR_FR")?.unwrap_or(1).max(1);
    let frames = read::at_most("NR_FR", frames, read::MAX_SEGMENTS)?;
    let points = match p.integer("NR_PT")? {
        Some(n) => n,
        None => {
            warnings.push("NR_PT is missing; the block length gives the point count".into());
            block.len / width / frames
        }
    };
    let need = points
        .checked_mul(width)
        .and_then(|b| b.checked_mul(frames))
        .ok_or(TekIsfError::BadValue {
            key: "NR_PT",
            value: points.to_string(),
            why: "too many points",
        })?;
    let frames_text = if frames > 1 {
        format!(" × NR_FR {frames}")
    } else {
        String::new()
    };
    if need > block.len {
        return Err(TekIsfError::BlockTooShort {
            block: block.len,
            need,
            frames: frames_text,
        }
        .into());
    }
    if need < block.len {
        warnings.push(format!(
            "the curve block holds {} bytes, {} more than NR_PT × BYT_NR{frames_text}; they are ignored",
            block.len,
            block.len - need
        ));
    }
    read::check_inside(block.data.checked_add(need), size, "the curve")?;
    let y_mult = p.number("YMULT", 1.0)?;
    let y_off = p.number("YOFF", 0.0)?;
    let y_zero = p.number("YZERO", 0.0)?;
    let x_incr = p.number("XINCR", 0.0)?;
    let x_zero = p.number("XZERO", 0.0)?;
    let pt_off = p.number("PT_OFF", 0.0)?;
    let waveform_id = p.text("WFID");
    let source = waveform_id.split(',').next().unwrap_or_default().trim();
    let y_unit = p.text("YUNIT");
    let x_unit = p.text("XUNIT");
    let channel = Channel {
        name: if source.is_empty() { name } else { source }.to_string(),
        unit: Some(y_unit.clone()).filter(|u| !u.is_empty()),
        column: 0,
        bit: None,
        gain: y_mult,
        offset: y_zero - y_mult * y_off,
        complex_i: false,
    };
    let frame_bytes = points * width;
    let runs = (0..frames)
        .map(|k| Run {
            offset: block.data + k * frame_bytes,
            samples: points,
            stride: width,
        })
        .collect();
    let segments = if frames > 1 {
        (0..frames)
            .map(|k| Segment {
                first_sample: k * points,
                samples: points,
                time: None,
                timestamp: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let meta = TekIsfMeta {
        waveform_id,
        encoding: format!("binary {}-endian {}", endian.name(), dtype),
        points,
        frames,
        y_unit,
        y_mult,
        y_off,
        y_zero,
        x_unit: x_unit.clone(),
        x_incr,
        x_zero,
        pt_off,
        other: p.other,
    };
    Ok(Layout {
        data_file: None,
        columns: vec![Column {
            dtype,
            endian,
            runs,
        }],
        channels: vec![channel],
        samples: points * frames,
        x_increment: Some(x_incr).filter(|x| *x > 0.0),
        x_unit: XUnit::from_name(&x_unit),
        x_origin: Some(x_zero - x_incr * pt_off),
        segments,
        warnings,
        meta,
    })
}
