//! SigMF recordings: a `.sigmf-meta` JSON file describing a `.sigmf-data` file of samples.
//!
//! The data file holds frames of `core:num_channels` samples of `core:datatype`
//! (`r`/`c` real or complex, `i`/`u`/`f` and bits, `_le`/`_be`); a complex sample is I then
//! Q. `captures` mark where the recording changes (time, frequency) and may skip
//! `core:header_bytes` before their samples (non-conforming datasets); `core:trailing_bytes`
//! are skipped at the end. Either file may be opened: the other is found by name, or through
//! `core:dataset`.
//!
//! Fixed-point codes are scaled to ±1.0 as the `sigmf` package does (gain 2^−(bits−1),
//! unsigned types offset by −1.0); floats are not scaled.

use super::interchange::read::read_vec;
use super::interchange::time::Instant;
use super::interchange::{ChannelExt, ColumnExt, FormatError, MAX_RUNS};
use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use super::{Segment, XUnit};
use crate::sample::{DType, Endian};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha512};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub const NAME: &str = "sigmf";

/// The loader's handle on this format.
pub struct Sigmf;

impl crate::loader::Format for Sigmf {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(
            sniff(head, ""),
            matches!(extension, "sigmf-meta" | "sigmf-data"),
        )
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        let invalid = |path: &str, error: FormatError| crate::loader::LoaderError::Format {
            path: path.to_string(),
            error: error.into(),
        };
        let mut layout =
            parse(&input.file, input.path, input.size).map_err(|e| invalid(&input.name, e))?;
        if input.opts.verify {
            let expected = layout.meta.sha512.clone().ok_or_else(|| {
                invalid(
                    &input.name,
                    FormatError::Malformed("--verify: the metadata has no core:sha512".into()),
                )
            })?;
            let (data, name) = match &layout.data_file {
                None => (input.file.try_clone(), input.name.clone()),
                Some(other) => {
                    let path = input.path.parent().unwrap_or(Path::new("")).join(other);
                    (File::open(&path), path.display().to_string())
                }
            };
            let data = data.map_err(|e| crate::loader::LoaderError::io(&name, e))?;
            verify_sha512(&data, &expected).map_err(|e| invalid(&name, e))?;
            layout.meta.sha512_verified = true;
        }
        crate::loader::layout::open(input, NAME, layout)
    }
}

/// Metadata files larger than this are refused (JSON is parsed in memory).
const MAX_META_BYTES: u64 = 32 << 20;
/// Annotations kept for `info`; the rest are only counted.
const MAX_ANNOTATIONS: usize = 10_000;
const MAX_CHANNELS: u64 = 1 << 16;

pub fn sniff(head: &[u8], extension: &str) -> bool {
    let ext = extension.to_ascii_lowercase();
    if ext == "sigmf-meta" || ext == "sigmf-data" {
        return true;
    }
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with('{') && text.contains("\"core:datatype\"")
}

/// The stored sample type a `core:datatype` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigmfType {
    pub complex: bool,
    /// Type of one component (I or Q for complex).
    pub dtype: DType,
    pub endian: Endian,
}

impl SigmfType {
    /// Parse `cf32_le`, `ri16_be`, `cu8`... (`^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?$`).
    /// The bool says whether the byte order was left unstated for a multi-byte type.
    pub fn parse(text: &str) -> Option<(SigmfType, bool)> {
        let t = text.to_ascii_lowercase();
        let (body, endian) = match t.rsplit_once('_') {
            Some((b, "le")) => (b.to_string(), Some(Endian::Little)),
            Some((b, "be")) => (b.to_string(), Some(Endian::Big)),
            Some(_) => return None,
            None => (t.clone(), None),
        };
        let complex = match body.as_bytes().first()? {
            b'c' => true,
            b'r' => false,
            _ => return None,
        };
        let dtype = match &body[1..] {
            "f32" => DType::F32,
            "f64" => DType::F64,
            "i32" => DType::I32,
            "i16" => DType::I16,
            "u32" => DType::U32,
            "u16" => DType::U16,
            "i8" => DType::I8,
            "u8" => DType::U8,
            _ => return None,
        };
        let unstated = endian.is_none() && dtype.size() > 1;
        let endian = endian.unwrap_or(Endian::Little);
        Some((
            SigmfType {
                complex,
                dtype,
                endian,
            },
            unstated,
        ))
    }

    /// The `core:datatype` string (one-byte types carry no byte order).
    #[cfg_attr(not(test), expect(dead_code))]
    pub fn name(&self) -> String {
        let order = match (self.dtype.size(), self.endian) {
            (1, _) => "",
            (_, Endian::Little) => "_le",
            (_, Endian::Big) => "_be",
        };
        format!(
            "{}{}{}",
            if self.complex { 'c' } else { 'r' },
            self.dtype.short_name(),
            order
        )
    }

    /// Bytes of one sample (both components when complex).
    pub fn sample_bytes(&self) -> u64 {
        self.dtype.size() as u64 * if self.complex { 2 } else { 1 }
    }

    /// code × gain + offset = the value the `sigmf` package returns (autoscale).
    fn scale(&self) -> (f64, f64) {
        let bits = 8 * self.dtype.size() as i32;
        match self.dtype {
            d if d.is_float() => (1.0, 0.0),
            DType::U8 | DType::U16 | DType::U32 => (2f64.powi(1 - bits), -1.0),
            _ => (2f64.powi(1 - bits), 0.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capture {
    pub sample_start: u64,
    pub datetime: Option<String>,
    pub frequency: Option<f64>,
    pub global_index: Option<u64>,
    pub header_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annotation {
    pub sample_start: u64,
    pub sample_count: Option<u64>,
    pub freq_lower_edge: Option<f64>,
    pub freq_upper_edge: Option<f64>,
    pub label: Option<String>,
    pub comment: Option<String>,
}

/// What the `.sigmf-meta` file says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigmfMeta {
    pub version: Option<String>,
    pub datatype: String,
    pub sample_rate: Option<f64>,
    pub num_channels: u64,
    /// `core:offset`: index of the dataset's first sample in the whole recording.
    pub first_sample_index: u64,
    pub sha512: Option<String>,
    /// `core:dataset`: the data file of a non-conforming dataset.
    pub dataset: Option<String>,
    pub trailing_bytes: u64,
    pub description: Option<String>,
    pub author: Option<String>,
    pub hw: Option<String>,
    pub recorder: Option<String>,
    pub license: Option<String>,
    pub captures: Vec<Capture>,
    /// The first annotations (at most 10 000); `annotation_count` counts them all.
    pub annotations: Vec<Annotation>,
    pub annotation_count: usize,
    /// The dataset's SHA-512 was computed and equals `core:sha512` (`info --verify`).
    pub sha512_verified: bool,
}

impl VendorMeta for SigmfMeta {
    /// `core:frequency` of the first capture.
    fn center_frequency(&self) -> Option<f64> {
        self.captures.first().and_then(|c| c.frequency)
    }

    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![("datatype".to_string(), self.datatype.clone())];
        let mut opt = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                rows.push((k.to_string(), v.clone()));
            }
        };
        opt("version", &self.version);
        opt("description", &self.description);
        opt("author", &self.author);
        opt("hardware", &self.hw);
        opt("recorder", &self.recorder);
        opt("license", &self.license);
        opt("dataset", &self.dataset);
        if let Some(r) = self.sample_rate {
            rows.push(("sample rate".into(), format!("{r} Hz")));
        }
        rows.push(("channels".into(), self.num_channels.to_string()));
        if self.first_sample_index != 0 {
            rows.push((
                "first sample index".into(),
                self.first_sample_index.to_string(),
            ));
        }
        for (i, c) in self.captures.iter().enumerate() {
            let mut parts = vec![format!("sample {}", c.sample_start)];
            if let Some(t) = &c.datetime {
                parts.push(t.clone());
            }
            if let Some(f) = c.frequency {
                parts.push(format!("{f} Hz"));
            }
            if c.header_bytes != 0 {
                parts.push(format!("{} header bytes", c.header_bytes));
            }
            rows.push((format!("capture {i}"), parts.join(", ")));
        }
        rows.push(("annotations".into(), self.annotation_count.to_string()));
        for a in &self.annotations {
            let span = match a.sample_count {
                Some(n) => format!("samples {}+{n}", a.sample_start),
                None => format!("sample {}", a.sample_start),
            };
            let text = [&a.label, &a.comment]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(": ");
            rows.push((
                "annotation".into(),
                format!("{span} {text}").trim().to_string(),
            ));
        }
        if let Some(h) = &self.sha512 {
            rows.push(("sha512".into(), h.clone()));
        }
        if self.sha512_verified {
            rows.push((
                "sha512 check".into(),
                "verified: the dataset matches".into(),
            ));
        }
        rows
    }
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

pub fn parse(file: &File, path: &Path, size: u64) -> Result<Layout<SigmfMeta>, FormatError> {
    let opened_meta = !has_ext(path, "sigmf-data");
    let json = if opened_meta {
        if size > MAX_META_BYTES {
            return Err(FormatError::Malformed(format!(
                "the SigMF metadata has {size} bytes (more than {MAX_META_BYTES})"
            )));
        }
        read_vec(file, 0, size, size, "the SigMF metadata")?
    } else {
        read_sibling_meta(&path.with_extension("sigmf-meta"))?
    };
    let doc: Value = serde_json::from_slice(&json).map_err(|e| {
        FormatError::Malformed(format!("the SigMF metadata is not valid JSON: {e}"))
    })?;
    let mut warnings = Vec::new();
    let meta = read_meta(&doc, &mut warnings)?;
    let (data_file, data_size) = if opened_meta {
        let name = match &meta.dataset {
            Some(d) => PathBuf::from(d),
            None => {
                PathBuf::from(path.file_name().unwrap_or_default()).with_extension("sigmf-data")
            }
        };
        if name.as_os_str().is_empty() {
            return Err(FormatError::Malformed("core:dataset is empty".into()));
        }
        let full = path.parent().unwrap_or(Path::new("")).join(&name);
        let stat = std::fs::metadata(&full).map_err(|source| FormatError::Io {
            what: format!("the SigMF dataset {}", full.display()),
            source,
        })?;
        if !stat.is_file() {
            return Err(FormatError::Malformed(format!(
                "the SigMF dataset {} is not a regular file",
                full.display()
            )));
        }
        (Some(name), stat.len())
    } else {
        (None, size)
    };
    build_layout(meta, data_file, data_size, warnings)
}

fn read_sibling_meta(meta_path: &Path) -> Result<Vec<u8>, FormatError> {
    let io = |source| FormatError::Io {
        what: format!("the SigMF metadata {}", meta_path.display()),
        source,
    };
    let f = File::open(meta_path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len > MAX_META_BYTES {
        return Err(FormatError::Malformed(format!(
            "{} has {len} bytes (more than {MAX_META_BYTES})",
            meta_path.display()
        )));
    }
    read_vec(&f, 0, len, len, "the SigMF metadata")
}

fn build_layout(
    meta: SigmfMeta,
    data_file: Option<PathBuf>,
    data_size: u64,
    mut warnings: Vec<String>,
) -> Result<Layout<SigmfMeta>, FormatError> {
    let (ty, unstated) = SigmfType::parse(&meta.datatype).ok_or_else(|| {
        FormatError::Malformed(format!(
            "core:datatype {:?} is not a SigMF datatype (like cf32_le, ri16_be, cu8)",
            meta.datatype
        ))
    })?;
    if unstated {
        warnings.push(format!(
            "core:datatype {:?} states no byte order: read as little-endian",
            meta.datatype
        ));
    }
    let sample = ty.sample_bytes();
    let frame = sample * meta.num_channels;
    let header_bytes = meta
        .captures
        .iter()
        .try_fold(0u64, |acc, c| acc.checked_add(c.header_bytes));
    let skipped = header_bytes.and_then(|h| h.checked_add(meta.trailing_bytes));
    let sample_bytes = skipped
        .and_then(|s| data_size.checked_sub(s))
        .ok_or_else(|| {
            FormatError::Malformed(format!(
                "the metadata skips {:?} header bytes and {} trailing bytes but the dataset has \
                 {data_size}",
                header_bytes, meta.trailing_bytes
            ))
        })?;
    let samples = sample_bytes / frame;
    if sample_bytes % frame != 0 {
        warnings.push(format!(
            "the dataset's {sample_bytes} sample bytes are not a whole number of {frame}-byte \
             frames: the last {} bytes are ignored",
            sample_bytes % frame
        ));
    }
    // Each capture's samples follow its header bytes; samples before the second capture
    // belong to the first, as the sigmf package reads them.
    let mut spans = Vec::with_capacity(meta.captures.len().max(1));
    let mut skipped_so_far = 0u64;
    for (i, cap) in meta.captures.iter().enumerate() {
        skipped_so_far += cap.header_bytes;
        let start = if i == 0 { 0 } else { cap.sample_start };
        let end = meta
            .captures
            .get(i + 1)
            .map_or(samples, |next| next.sample_start.min(samples));
        if start > samples {
            warnings.push(format!(
                "capture {i} starts at sample {start}, past the {samples} samples of the dataset"
            ));
        }
        spans.push((
            start.min(samples),
            end.max(start).min(samples),
            skipped_so_far,
        ));
    }
    if spans.is_empty() {
        spans.push((0, samples, 0));
    }
    // Captures without header bytes continue the previous one: one piece of file for both.
    let mut pieces: Vec<(u64, u64, u64)> = Vec::new();
    for &(start, end, skip) in &spans {
        match pieces.last_mut() {
            Some(last) if last.2 == skip && last.1 == start => last.1 = end,
            _ => pieces.push((start, end, skip)),
        }
    }
    let parts_per_channel = if ty.complex { 2 } else { 1 };
    let runs = pieces.len() as u64 * meta.num_channels * parts_per_channel;
    if runs > MAX_RUNS as u64 {
        return Err(FormatError::Unsupported(format!(
            "{} captures with header bytes in {} channels (more than {MAX_RUNS} runs)",
            pieces.len(),
            meta.num_channels
        )));
    }
    let (gain, offset) = ty.scale();
    let comp = ty.dtype.size() as u64;
    let parts: &[(&str, u64)] = if ty.complex {
        &[(".I", 0), (".Q", comp)]
    } else {
        &[("", 0)]
    };
    let mut columns = Vec::new();
    let mut channels = Vec::new();
    for c in 0..meta.num_channels {
        for (k, (suffix, within)) in parts.iter().enumerate() {
            let mut column = Column::new(ty.dtype, ty.endian);
            for &(start, end, skip) in &pieces {
                column.push_run(Run {
                    offset: skip + start * frame + c * sample + within,
                    samples: end - start,
                    stride: frame,
                });
            }
            channels.push(Channel {
                gain,
                offset,
                complex_i: ty.complex && k == 0,
                ..Channel::plain(format!("CH{}{suffix}", c + 1), columns.len())
            });
            columns.push(column);
        }
    }
    let segments = if spans.len() > 1 {
        let t0 = meta.captures.first().and_then(capture_instant);
        spans
            .iter()
            .zip(&meta.captures)
            .map(|(&(start, end, _), cap)| Segment {
                first_sample: start,
                samples: end - start,
                time: t0
                    .zip(capture_instant(cap))
                    .map(|(t0, t)| t.seconds_since(t0)),
                timestamp: cap.datetime.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Layout {
        data_file,
        columns,
        channels,
        samples,
        x_increment: meta.sample_rate.map(|r| 1.0 / r),
        x_unit: XUnit::Seconds,
        x_origin: None,
        segments,
        warnings,
        meta,
    })
}

fn capture_instant(c: &Capture) -> Option<Instant> {
    c.datetime.as_deref().and_then(Instant::parse_rfc3339)
}

/// Typed access to a JSON object's keys; a key of the wrong type is an error naming it.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    name: String,
}

impl<'a> Obj<'a> {
    fn of(value: &'a Value, name: String) -> Result<Obj<'a>, FormatError> {
        match value.as_object() {
            Some(map) => Ok(Obj { map, name }),
            None => Err(FormatError::Malformed(format!(
                "{name} is {}, not a JSON object",
                kind(value)
            ))),
        }
    }

    fn wrong(&self, key: &str, v: &Value, want: &str) -> FormatError {
        FormatError::Malformed(format!("{} {key} is {}, not {want}", self.name, short(v)))
    }

    fn str(&self, key: &str) -> Result<Option<String>, FormatError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong(key, v, "a string")),
        }
    }

    fn f64(&self, key: &str) -> Result<Option<f64>, FormatError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| self.wrong(key, v, "a number")),
        }
    }

    fn u64(&self, key: &str) -> Result<Option<u64>, FormatError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, v, "a non-negative integer")),
        }
    }

    fn list(&self, key: &str) -> Result<&'a [Value], FormatError> {
        match self.map.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(v) => Err(self.wrong(key, v, "a list")),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as it appears in the file, cut short.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

fn read_meta(doc: &Value, warnings: &mut Vec<String>) -> Result<SigmfMeta, FormatError> {
    let top = Obj::of(doc, "the SigMF metadata".into())?;
    let global = Obj::of(
        top.map.get("global").ok_or_else(|| {
            FormatError::Malformed("the SigMF metadata has no \"global\" object".into())
        })?,
        "global".into(),
    )?;
    let datatype = global.str("core:datatype")?.ok_or_else(|| {
        FormatError::Malformed("global has no core:datatype (like \"cf32_le\")".into())
    })?;
    if global.map.get("core:metadata_only") == Some(&Value::Bool(true)) {
        return Err(FormatError::Unsupported(
            "a metadata-only SigMF recording (core:metadata_only: no samples)".into(),
        ));
    }
    let sample_rate = global.f64("core:sample_rate")?;
    if let Some(r) = sample_rate.filter(|r| *r <= 0.0) {
        return Err(FormatError::Malformed(format!(
            "core:sample_rate is {r}; it must be positive"
        )));
    }
    let num_channels = global.u64("core:num_channels")?.unwrap_or(1);
    if !(1..=MAX_CHANNELS).contains(&num_channels) {
        return Err(FormatError::Malformed(format!(
            "core:num_channels is {num_channels}; expected 1 to {MAX_CHANNELS}"
        )));
    }
    let mut captures = Vec::new();
    for (i, c) in top.list("captures")?.iter().enumerate() {
        let c = Obj::of(c, format!("captures[{i}]"))?;
        let sample_start = c.u64("core:sample_start")?.ok_or_else(|| {
            FormatError::Malformed(format!("captures[{i}] has no core:sample_start"))
        })?;
        let datetime = c.str("core:datetime")?;
        if let Some(t) = datetime
            .as_deref()
            .filter(|t| Instant::parse_rfc3339(t).is_none())
        {
            warnings.push(format!(
                "captures[{i}] core:datetime {t:?} is not an RFC 3339 time"
            ));
        }
        if captures
            .last()
            .is_some_and(|p: &Capture| p.sample_start > sample_start)
        {
            return Err(FormatError::Malformed(format!(
                "captures[{i}] starts at sample {sample_start}, before the capture ahead of it"
            )));
        }
        captures.push(Capture {
            sample_start,
            datetime,
            frequency: c.f64("core:frequency")?,
            global_index: c.u64("core:global_index")?,
            header_bytes: c.u64("core:header_bytes")?.unwrap_or(0),
        });
    }
    let all_annotations = top.list("annotations")?;
    let mut annotations = Vec::new();
    for (i, a) in all_annotations.iter().take(MAX_ANNOTATIONS).enumerate() {
        let a = Obj::of(a, format!("annotations[{i}]"))?;
        annotations.push(Annotation {
            sample_start: a.u64("core:sample_start")?.ok_or_else(|| {
                FormatError::Malformed(format!("annotations[{i}] has no core:sample_start"))
            })?,
            sample_count: a.u64("core:sample_count")?,
            freq_lower_edge: a.f64("core:freq_lower_edge")?,
            freq_upper_edge: a.f64("core:freq_upper_edge")?,
            label: a.str("core:label")?,
            comment: a.str("core:comment")?,
        });
    }
    Ok(SigmfMeta {
        version: global.str("core:version")?,
        datatype,
        sample_rate,
        num_channels,
        first_sample_index: global.u64("core:offset")?.unwrap_or(0),
        sha512: global.str("core:sha512")?,
        dataset: global.str("core:dataset")?,
        trailing_bytes: global.u64("core:trailing_bytes")?.unwrap_or(0),
        description: global.str("core:description")?,
        author: global.str("core:author")?,
        hw: global.str("core:hw")?,
        recorder: global.str("core:recorder")?,
        license: global.str("core:license")?,
        captures,
        annotations,
        annotation_count: all_annotations.len(),
        sha512_verified: false,
    })
}

/// SHA-512 of a whole dataset file, hex, reading 1 MiB at a time (`core:sha512` hashes the
/// entire data file, header and trailing bytes included).
pub fn sha512_hex(data: &File) -> Result<String, FormatError> {
    let mut hasher = Sha512::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0u64;
    loop {
        let n = data
            .read_at(&mut buf, at)
            .map_err(|source| FormatError::Io {
                what: format!("the SigMF dataset at offset {at}"),
                source,
            })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        at += n as u64;
    }
    Ok(hex(&hasher.finalize()))
}

/// Check the dataset against `core:sha512`; an error says both hashes.
pub fn verify_sha512(data: &File, expected: &str) -> Result<(), FormatError> {
    let got = sha512_hex(data)?;
    if got.eq_ignore_ascii_case(expected.trim()) {
        Ok(())
    } else {
        Err(FormatError::Malformed(format!(
            "the dataset's SHA-512 is {got} but core:sha512 says {expected}"
        )))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datatypes_parse_and_print_back() {
        for name in [
            "cf32_le", "cf64_be", "ci16_le", "ci32_be", "ci8", "cu8", "ri8", "ru8", "ri16_le",
            "ri32_be", "rf32_le", "rf64_be", "ru16_le", "cu32_be",
        ] {
            let (t, unstated) = SigmfType::parse(name).unwrap();
            assert!(!unstated, "{name}");
            assert_eq!(t.name(), name);
        }
        let (t, unstated) = SigmfType::parse("ri16").unwrap();
        assert!(unstated);
        assert_eq!(t.endian, Endian::Little);
        for bad in ["cf16_le", "xf32_le", "cf32_me", "", "c", "rf32_le_le"] {
            assert_eq!(SigmfType::parse(bad), None, "{bad}");
        }
        assert_eq!(
            SigmfType::parse("cu8").unwrap().0.scale(),
            (1.0 / 128.0, -1.0)
        );
        assert_eq!(
            SigmfType::parse("ri16_le").unwrap().0.scale(),
            (1.0 / 32768.0, 0.0)
        );
    }
}
