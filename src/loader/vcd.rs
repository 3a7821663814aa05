//! Value Change Dumps (IEEE 1364 §18): declarations (`$timescale`, nested `$scope`s,
//! `$var`s), then `#time` stamps and value changes, expanded on the fly into uniform samples.
//!
//! Channels: one per `$var` (aliases, several `$var`s sharing an identifier, read the same
//! value), named by the dotted scope path. 1-bit vars are packed as bits of integer columns;
//! vectors are integer columns (vectors wider than 64 bits are split into 64-bit pieces
//! named `name[63:0]`, `name[127:64]`...). When the dump holds a `real`, every channel
//! becomes an f64 column instead (bits 0.0/1.0; vectors in exact 32-bit pieces).
//!
//! Values: `0`/`1` (and the weak `l`/`h`) are themselves; `x`, `z`, `u`, `w`, `-` read as 0,
//! (docs/formats.md). Vector strings shorter than the width extend with 0.
//!
//! Time: sample i lies at `t_first + i / rate` and holds the values of every change at or
//! before that time. Samples run from the first timestamp up to, not including, the last
//! (the last timestamp closes the dump, as in sigrok). The rate is `-r`, else one sample per
//! timescale unit when that is at most 10^9 samples/s, else one per gcd of the change times
//! (an extra pass over the file); the description says which.

mod body;
mod header;
mod tokens;

use super::stream::{Expanded, MAX_EXPANDED_SAMPLES, checked_rate, pulled_trace};
use super::{Channel, FormatDetails, Input, LoaderError, Sniff, Trace};
use crate::sample::DType;
use header::{VarDecl, VarKind};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use tokens::Tokens;

pub const NAME: &str = "vcd";

/// Highest rate of the "one sample per unit" default (1 ns units).
const MAX_DEFAULT_RATE: f64 = 1e9;

#[derive(Debug, thiserror::Error)]
pub enum VcdError {
    #[error(
        "expanding {what} at {rate} samples/s gives {samples} samples, more than the limit of \
         {limit}; pass a lower rate (-r)"
    )]
    TooManySamples {
        what: String,
        rate: f64,
        samples: f64,
        limit: u64,
    },
    #[error("{0}")]
    BadRate(String),
    #[error("read error at byte {offset}: {error}")]
    Io { offset: u64, error: std::io::Error },
    #[error("a token at byte {offset} is longer than {limit} bytes: not a VCD")]
    TokenTooLong { offset: u64, limit: usize },
    #[error("no $enddefinitions: the declarations never end")]
    NoEndDefinitions,
    #[error("the declarations are longer than {limit} bytes")]
    HeaderTooLong { limit: u64 },
    #[error("{keyword} at byte {offset} has no $end")]
    Unterminated { keyword: String, offset: u64 },
    #[error("byte {offset}: found '{found}', expected {expected}")]
    Syntax {
        offset: u64,
        found: String,
        expected: &'static str,
    },
    #[error("$timescale '{text}' at byte {offset} is not 1, 10 or 100 s/ms/us/ns/ps/fs")]
    Timescale { text: String, offset: u64 },
    #[error(
        "$var '{name}' at byte {offset} is {width} bits wide; 1 to {} are read",
        header::MAX_WIDTH
    )]
    Width {
        name: String,
        width: u32,
        offset: u64,
    },
    #[error("byte {offset}: value change for identifier '{id}', which no $var declares")]
    UndeclaredId { id: String, offset: u64 },
    #[error("byte {offset}: time #{time} goes back before #{previous}")]
    Backwards {
        offset: u64,
        time: u64,
        previous: u64,
    },
    #[error("byte {offset}: timestamp '{text}' is not a whole number below 2^64")]
    BadTime { text: String, offset: u64 },
    #[error("byte {offset}: {bits}-bit value for '{id}', declared {width} bits")]
    ValueTooWide {
        id: String,
        bits: usize,
        width: u32,
        offset: u64,
    },
    #[error("byte {offset}: real value '{text}' for '{id}' is not a number")]
    BadReal {
        id: String,
        text: String,
        offset: u64,
    },
    #[error("byte {offset}: real value for '{id}', which is not a real $var")]
    RealForInteger { id: String, offset: u64 },
}

/// Facts of a dump for `tracekit info`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VcdMeta {
    pub date: Option<String>,
    pub version: Option<String>,
    /// `1 ns`.
    pub timescale: String,
    pub vars: usize,
    /// Distinct identifier codes (aliases share one).
    pub identifiers: usize,
    pub first_time: Option<u64>,
    pub last_time: Option<u64>,
    /// How the sample rate was chosen.
    pub rate_rule: String,
}

impl VcdMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        vec![
            ("date".into(), self.date.clone().unwrap_or_default()),
            ("version".into(), self.version.clone().unwrap_or_default()),
            ("timescale".into(), self.timescale.clone()),
            (
                "vars".into(),
                format!("{} ({} identifiers)", self.vars, self.identifiers),
            ),
            ("first time".into(), opt(self.first_time)),
            ("last time".into(), opt(self.last_time)),
            ("rate".into(), self.rate_rule.clone()),
        ]
    }
}

impl FormatDetails for VcdMeta {
    fn json(&self) -> Map<String, Value> {
        super::keyed_json("vcd", self)
    }

    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
        vec![super::key_value_table("value change dump", self.rows())]
    }
}

/// The `.vcd` format: text opening with one of the usual sections, or any `.vcd`.
pub struct Vcd;

impl super::Format for Vcd {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> Sniff {
        Sniff::by(magic(head), extension == "vcd")
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let name = input.name.clone();
        open(input).map_err(|e| LoaderError::Invalid {
            path: name,
            what: "value change dump",
            why: e.to_string(),
        })
    }
}

/// Text opening with one of the sections a VCD's declarations begin with.
fn magic(head: &[u8]) -> bool {
    let text = head.trim_ascii_start();
    [
        &b"$date"[..],
        b"$version",
        b"$timescale",
        b"$comment",
        b"$scope",
        b"$var",
    ]
    .iter()
    .any(|k| text.starts_with(k))
}

/// Where a piece of a value goes in the frame.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A 1-bit var packed into an integer column.
    Bit { byte: usize, mask: u8 },
    /// An integer column: `size` bytes at `at`, holding `width` bits of the value from bit
    /// `shift`.
    Word {
        at: usize,
        size: usize,
        shift: u32,
        width: u32,
    },
    /// An f64 column holding the whole value (1-bit vars, reals).
    Float { at: usize },
    /// An f64 column holding `width` bits of an integer value from bit `shift`.
    FloatPiece { at: usize, shift: u32, width: u32 },
}

/// What one identifier code holds and where its value goes.
#[derive(Debug, Clone)]
struct Code {
    kind: VarKind,
    targets: Vec<Target>,
}

/// Identifier → code index. Identifiers of one to three printable characters (all of them
/// in dumps of up to 830 000 signals) are looked up in a table, longer ones hashed.
#[derive(Debug, Clone, Default)]
struct IdMap {
    dense: Vec<u32>,
    other: HashMap<Vec<u8>, u32>,
}

const NO_CODE: u32 = u32::MAX;
/// A code that is not a single packed bit.
const NO_BIT: u32 = u32::MAX;
/// Identifiers of skipped (string) vars: their changes are read and dropped.
const SKIPPED_CODE: u32 = u32::MAX - 1;

impl IdMap {
    #[inline(always)]
    fn dense_index(id: &[u8]) -> Option<usize> {
        let digit = |b: u8| (33..=126).contains(&b).then(|| usize::from(b - 33));
        match *id {
            [a] => digit(a),
            [a, b] => Some(94 + digit(a)? * 94 + digit(b)?),
            [a, b, c] => Some(94 + 94 * 94 + (digit(a)? * 94 + digit(b)?) * 94 + digit(c)?),
            _ => None,
        }
    }

    fn insert(&mut self, id: &[u8], code: u32) {
        match Self::dense_index(id) {
            Some(i) => {
                if self.dense.len() <= i {
                    self.dense.resize(i + 1, NO_CODE);
                }
                self.dense[i] = code;
            }
            None => {
                self.other.insert(id.to_vec(), code);
            }
        }
    }

    #[inline(always)]
    fn get(&self, id: &[u8]) -> u32 {
        match Self::dense_index(id) {
            Some(i) => self.dense.get(i).copied().unwrap_or(NO_CODE),
            None => self.other.get(id).copied().unwrap_or(NO_CODE),
        }
    }
}

/// The frame layout decided from the declarations.
#[derive(Debug, Clone)]
struct Plan {
    dtype: DType,
    columns: usize,
    codes: Vec<Code>,
    /// Per code: `byte << 8 | mask` when the code is one packed bit (the common case,
    /// set without looking at `codes`), else `NO_BIT`.
    bits: Vec<u32>,
    /// The same per dense identifier index (see `IdMap`): one lookup per scalar change.
    dense_bits: Vec<u32>,
    ids: IdMap,
    channels: Vec<Channel>,
    warnings: Vec<String>,
}

impl Plan {
    fn build(vars: &[VarDecl], skipped_ids: &[Vec<u8>]) -> Plan {
        let real_mode = vars.iter().any(|v| v.kind == VarKind::Real);
        let piece = if real_mode { 32 } else { 64 };
        let mut ids = IdMap::default();
        for id in skipped_ids {
            ids.insert(id, SKIPPED_CODE);
        }
        // One code per distinct identifier, in order of first declaration.
        let mut code_kinds: Vec<VarKind> = Vec::new();
        let mut var_code = Vec::with_capacity(vars.len());
        let mut warnings = Vec::new();
        for var in vars {
            let existing = ids.get(&var.id);
            if existing < SKIPPED_CODE {
                let kind = code_kinds[existing as usize];
                if kind != var.kind {
                    warnings.push(format!(
                        "'{}' shares identifier '{}' with a var of another type; read as the first",
                        var.name,
                        String::from_utf8_lossy(&var.id)
                    ));
                }
                var_code.push(existing as usize);
            } else {
                ids.insert(&var.id, code_kinds.len() as u32);
                var_code.push(code_kinds.len());
                code_kinds.push(var.kind);
            }
        }
        let pieces = |kind: VarKind| -> Vec<(u32, u32)> {
            match kind {
                VarKind::Vector { width } => (0..width.div_ceil(piece))
                    .map(|k| (k * piece, (width - k * piece).min(piece)))
                    .collect(),
                _ => vec![(0, 1)],
            }
        };
        let scalars = code_kinds.iter().filter(|k| **k == VarKind::Scalar).count();
        let widest = code_kinds
            .iter()
            .filter_map(|k| match k {
                VarKind::Vector { width } => Some((*width).min(64)),
                _ => None,
            })
            .max();
        let dtype = if real_mode {
            DType::F64
        } else {
            match widest {
                Some(w) => unsigned_for_bits(w),
                None => unsigned_for_bits(scalars.min(64) as u32),
            }
        };
        let size = dtype.size();
        let bits_per_column = size * 8;
        let scalar_columns = if real_mode {
            0
        } else {
            scalars.div_ceil(bits_per_column)
        };
        let mut next_column = scalar_columns;
        let mut next_scalar = 0usize;
        // Column and bit of each code's pieces, for the channels.
        let mut places: Vec<Vec<(usize, Option<u32>)>> = Vec::with_capacity(code_kinds.len());
        let mut codes = Vec::with_capacity(code_kinds.len());
        for &kind in &code_kinds {
            let mut targets = Vec::new();
            let mut place = Vec::new();
            if kind == VarKind::Scalar && !real_mode {
                let (column, bit) = (next_scalar / bits_per_column, next_scalar % bits_per_column);
                next_scalar += 1;
                let byte_in_word = if cfg!(target_endian = "big") {
                    size - 1 - bit / 8
                } else {
                    bit / 8
                };
                targets.push(Target::Bit {
                    byte: column * size + byte_in_word,
                    mask: 1 << (bit % 8),
                });
                place.push((column, Some(bit as u32)));
            } else if matches!(kind, VarKind::Scalar | VarKind::Real) {
                targets.push(Target::Float {
                    at: next_column * size,
                });
                place.push((next_column, None));
                next_column += 1;
            } else {
                for (shift, width) in pieces(kind) {
                    let at = next_column * size;
                    targets.push(if real_mode {
                        Target::FloatPiece { at, shift, width }
                    } else {
                        Target::Word {
                            at,
                            size,
                            shift,
                            width,
                        }
                    });
                    place.push((next_column, None));
                    next_column += 1;
                }
            }
            codes.push(Code { kind, targets });
            places.push(place);
        }
        let mut channels = Vec::new();
        for (var, &code) in vars.iter().zip(&var_code) {
            let kind = code_kinds[code];
            let split = pieces(kind);
            for ((column, bit), (shift, width)) in places[code].iter().zip(&split) {
                let name = if split.len() > 1 {
                    format!("{}[{}:{shift}]", var.name, shift + width - 1)
                } else {
                    var.name.clone()
                };
                channels.push(Channel {
                    name,
                    bit: *bit,
                    ..Channel::plain(*column)
                });
            }
        }
        let bits = codes
            .iter()
            .map(|c: &Code| match c.targets.as_slice() {
                [Target::Bit { byte, mask }] if *byte < (1 << 23) => {
                    (*byte as u32) << 8 | u32::from(*mask)
                }
                _ => NO_BIT,
            })
            .collect::<Vec<u32>>();
        let dense_bits = ids
            .dense
            .iter()
            .map(|&code| bits.get(code as usize).copied().unwrap_or(NO_BIT))
            .collect();
        Plan {
            dense_bits,
            dtype,
            columns: next_column,
            codes,
            bits,
            ids,
            channels,
            warnings,
        }
    }
}

/// The smallest unsigned type holding `bits` bits (at most 64).
fn unsigned_for_bits(bits: u32) -> DType {
    match bits {
        0..=8 => DType::U8,
        9..=16 => DType::U16,
        17..=32 => DType::U32,
        _ => DType::U64,
    }
}

/// Sample index of a time: `ceil((t - t0) · a / b)`, exact.
#[derive(Debug, Clone, Copy)]
struct Clock {
    t0: u64,
    a: u128,
    b: u128,
}

impl Clock {
    #[inline]
    fn index(&self, t: u64) -> Option<u64> {
        let d = t.checked_sub(self.t0)?;
        let idx = if self.a == 1 && self.b == 1 {
            d
        } else if let (Ok(a), Ok(b)) = (u64::try_from(self.a), u64::try_from(self.b)) {
            // 64-bit division when the product fits: u128 division is slow per timestamp.
            match d.checked_mul(a) {
                Some(p) => p.div_ceil(b),
                None => u64::try_from(u128::from(d).checked_mul(self.a)?.div_ceil(self.b)).ok()?,
            }
        } else {
            u64::try_from(u128::from(d).checked_mul(self.a)?.div_ceil(self.b)).ok()?
        };
        (idx <= MAX_EXPANDED_SAMPLES).then_some(idx)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Parse the declarations, find the first and last timestamps, choose the rate.
fn open(input: Input<'_>) -> Result<Trace, VcdError> {
    let size = input.size;
    let file = Arc::new(input.file);
    let header = header::parse(&mut Tokens::new(file.clone(), 0))?;
    let mut warnings = Vec::new();
    let (m, e) = header.timescale.unwrap_or_else(|| {
        warnings.push("no $timescale: 1 ns assumed".into());
        (1, 9)
    });
    let unit = m as f64 * 10f64.powi(-(e as i32));
    let per_unit = 10f64.powi(e as i32) / m as f64;
    let skipped_ids: Vec<Vec<u8>> = header.skipped.iter().map(|s| s.1.clone()).collect();
    if !header.skipped.is_empty() {
        let names: Vec<&str> = header.skipped.iter().map(|s| s.0.as_str()).collect();
        warnings.push(format!("string vars are not read: {}", names.join(", ")));
    }
    let plan = Plan::build(&header.vars, &skipped_ids);
    warnings.extend(plan.warnings.iter().cloned());

    let first = first_time(&file, header.body_offset)?;
    let last = last_time(&file, header.body_offset, size)?;
    let (clock, rate, rule) = match first {
        None => {
            warnings.push("no timestamp: the dump holds no samples".into());
            (
                Clock { t0: 0, a: 0, b: 1 },
                None,
                "no timestamps".to_string(),
            )
        }
        Some(t0) => {
            let (a, b, rate, rule) = if let Some(r) = input.opts.sample_rate {
                let r = checked_rate(r).map_err(VcdError::BadRate)?;
                // Rates are taken to a thousandth of a sample/s.
                let a = u128::from(m) * (r * 1000.0).round() as u128;
                let b = 10u128.pow(e) * 1000;
                (a, b, r, format!("-r {r} samples/s"))
            } else if per_unit <= MAX_DEFAULT_RATE {
                (1, 1, per_unit, "one sample per timescale unit".to_string())
            } else {
                let g = time_gcd(&file, header.body_offset, t0)?.max(1);
                (
                    1,
                    g,
                    per_unit / g as f64,
                    format!("one sample per {g} timescale units (gcd of the change times)"),
                )
            };
            let g = gcd(a, b).max(1);
            (
                Clock {
                    t0,
                    a: a / g,
                    b: b / g,
                },
                Some(rate),
                rule,
            )
        }
    };
    let samples = match (first, last) {
        (Some(_), Some(t_last)) => {
            Some(
                clock
                    .index(t_last)
                    .ok_or_else(|| VcdError::TooManySamples {
                        what: format!("times #{} to #{t_last} of {m}e-{e} s", clock.t0),
                        rate: rate.unwrap_or(0.0),
                        samples: (t_last.saturating_sub(clock.t0)) as f64 * clock.a as f64
                            / clock.b as f64,
                        limit: MAX_EXPANDED_SAMPLES,
                    })?,
            )
        }
        _ => Some(0),
    };
    let samples = samples.unwrap_or(0);
    let details = Arc::new(VcdMeta {
        date: header.date.clone(),
        version: header.version.clone(),
        timescale: format!(
            "{m} {}",
            [
                "s", "", "", "ms", "", "", "us", "", "", "ns", "", "", "ps", "", "", "fs"
            ][e as usize]
        ),
        vars: header.vars.len(),
        identifiers: plan.codes.len(),
        first_time: first,
        last_time: last,
        rate_rule: rule.clone(),
    });
    let mut info = Expanded {
        path: input.name.clone(),
        format: NAME,
        dtype: plan.dtype,
        columns: plan.columns,
        samples,
        channels: plan.channels.clone(),
        rate,
        rate_source: format!("VCD: {rule}"),
        start_time: first.map(|t| t as f64 * unit),
        file_size: size,
        warnings,
        details,
    }
    .info()
    .map_err(|e| VcdError::BadRate(e.to_string()))?;
    info.data_offset = Some(header.body_offset);
    let stream = body::VcdStream::new(
        Tokens::new(file, header.body_offset),
        plan,
        clock,
        first.is_some(),
    );
    Ok(pulled_trace(info, stream))
}

/// Parse `#digits` (the token without checking its first byte).
#[inline]
fn parse_time(token: &[u8]) -> Option<u64> {
    let digits = token.get(1..)?;
    if (1..=19).contains(&digits.len()) {
        // 19 digits cannot overflow: no checked arithmetic in the common case.
        let mut t = 0u64;
        for &d in digits {
            let v = d.wrapping_sub(b'0');
            if v > 9 {
                return None;
            }
            t = t * 10 + u64::from(v);
        }
        return Some(t);
    }
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

fn bad_time(tokens: &Tokens, s: usize, e: usize) -> VcdError {
    VcdError::BadTime {
        text: String::from_utf8_lossy(&tokens.bytes()[s..e]).into_owned(),
        offset: tokens.offset(s),
    }
}

/// Calls `each` with every timestamp token of the body, in order, until it returns false.
/// Identifiers after vector, real and string values (which may start with `#`) and
/// `$comment ... $end` text are passed over.
fn scan_times(
    file: &Arc<File>,
    body: u64,
    mut each: impl FnMut(u64) -> bool,
) -> Result<(), VcdError> {
    let mut tokens = Tokens::new(file.clone(), body);
    let mut identifier_next = false;
    let mut in_section = false;
    while let Some((s, e)) = tokens.next()? {
        let token = &tokens.bytes()[s..e];
        if in_section {
            in_section = token != b"$end";
        } else if identifier_next {
            identifier_next = false;
        } else {
            match token[0] {
                b'#' => {
                    let t = parse_time(token).ok_or_else(|| bad_time(&tokens, s, e))?;
                    if !each(t) {
                        return Ok(());
                    }
                }
                b'b' | b'B' | b'r' | b'R' | b's' | b'S' => identifier_next = true,
                b'$' => {
                    let inline = [
                        &b"$dumpvars"[..],
                        b"$dumpall",
                        b"$dumpon",
                        b"$dumpoff",
                        b"$end",
                    ];
                    in_section = !inline.contains(&token);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The first timestamp of the body.
fn first_time(file: &Arc<File>, body: u64) -> Result<Option<u64>, VcdError> {
    let mut first = None;
    scan_times(file, body, |t| {
        first = Some(t);
        false
    })?;
    Ok(first)
}

/// The last timestamp: the last `#digits` token, found scanning back from the end.
fn last_time(file: &File, body: u64, size: u64) -> Result<Option<u64>, VcdError> {
    const BLOCK: u64 = 1 << 16;
    const OVERLAP: u64 = 32;
    let mut buf = vec![0u8; (BLOCK + OVERLAP) as usize];
    let mut end = size;
    while end > body {
        let start = end.saturating_sub(BLOCK).max(body);
        let stop = (end + OVERLAP).min(size);
        let len = (stop - start) as usize;
        file.read_exact_at(&mut buf[..len], start)
            .map_err(|e| VcdError::Io {
                offset: start,
                error: e,
            })?;
        let window = &buf[..len];
        let searchable = (end - start) as usize;
        for i in memchr::memrchr_iter(b'#', &window[..searchable]) {
            let after_space = i == 0 || tokens::is_space(window[i - 1]);
            let token_end = window[i..]
                .iter()
                .position(|&b| tokens::is_space(b))
                .map_or(len, |p| i + p);
            let token = &window[i..token_end];
            if after_space && (token_end < len || stop == size) && !follows_value(&window[..i]) {
                if let Some(t) = parse_time(token) {
                    return Ok(Some(t));
                }
                if token.len() > 1 && token[1..].iter().all(u8::is_ascii_digit) {
                    return Err(VcdError::BadTime {
                        text: String::from_utf8_lossy(token).into_owned(),
                        offset: start + i as u64,
                    });
                }
            }
        }
        end = start;
    }
    Ok(None)
}

/// True when the text before a `#...` token ends with a vector, real or string value: the
/// token is then that value's identifier, not a time. (A value cut by the window's start
/// reads as no value.)
fn follows_value(before: &[u8]) -> bool {
    let end = before.iter().rposition(|&b| !tokens::is_space(b));
    let Some(end) = end else { return false };
    let start = before[..end]
        .iter()
        .rposition(|&b| tokens::is_space(b))
        .map_or(0, |p| p + 1);
    matches!(before[start], b'b' | b'B' | b'r' | b'R' | b's' | b'S')
}

/// gcd of all `t - t0` (an extra pass over the body).
fn time_gcd(file: &Arc<File>, body: u64, t0: u64) -> Result<u128, VcdError> {
    let mut g = 0u128;
    scan_times(file, body, |t| {
        g = gcd(g, u128::from(t.saturating_sub(t0)));
        true
    })?;
    Ok(g)
}
