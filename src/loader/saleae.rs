//! Saleae Logic 2 binary exports (one file per channel), versions 0 and 1, as Saleae
//! documents them ("Binary Export Format - Logic 2" and its 2025 update). Little-endian:
//!
//! ```text
//! "<SALEAE>" i32 version, i32 type (0 digital, 1 analog)
//! digital v0: u32 initial_state, f64 begin_time, f64 end_time, u64 n, f64 transition[n]
//! digital v1: u64 chunks, per chunk: u32 initial_state, f64 sample_rate, f64 begin_time,
//!             f64 end_time, u64 n, f64 transition[n]
//! analog v0:  f64 begin_time, u64 sample_rate, u64 downsample, u64 n, f32 volts[n]
//! analog v1:  u64 waveforms, per waveform: f64 begin_time, f64 trigger_time,
//!             f64 sample_rate, i64 downsample, u64 n, f32 volts[n]
//! ```
//!
//! Digital: a u8 column (0/1) expanded at `-r`, else the chunk's sample rate (v1), else
//! (v0 states none) the coarsest standard Saleae rate on whose grid the first million
//! transitions lie. Sample i of a chunk lies at `begin + i / rate` and holds the level after
//! every transition at or before it; a chunk spans `round((end - begin) · rate)` samples.
//! Analog: an f32 column at `sample_rate / downsample`. Several chunks or waveforms become
//! segments of one sample axis.

use super::stream::{
    Expanded, FrameStream, MAX_EXPANDED_SAMPLES, checked_rate, pulled_trace, repeat_frame,
};
use super::{Channel, FormatDetails, Input, LoaderError, OpenOptions, Segment, Sniff, Trace};
use crate::sample::DType;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

pub const NAME: &str = "saleae";

const MAGIC: &[u8; 8] = b"<SALEAE>";
/// Transitions (f64) or samples read per positioned read.
const READ_ITEMS: usize = 1 << 16;
/// Transitions looked at to infer a version 0 rate.
const INFER_TRANSITIONS: u64 = 1 << 20;
/// Digital rates of Saleae analyzers, fastest first.
const STANDARD_RATES: [f64; 22] = [
    500e6, 250e6, 200e6, 125e6, 100e6, 50e6, 40e6, 25e6, 20e6, 16e6, 12.5e6, 10e6, 8e6, 6.25e6,
    5e6, 4e6, 3.125e6, 2e6, 1e6, 500e3, 250e3, 100e3,
];
/// Tolerance, in samples, of a transition's distance to the sample grid.
const GRID_TOLERANCE: f64 = 1e-3;

#[derive(Debug, thiserror::Error)]
pub enum SaleaeError {
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
    #[error("{0}")]
    Layout(String),
    #[error("read error at byte {offset}: {error}")]
    Io { offset: u64, error: std::io::Error },
    #[error("not a Saleae binary export: no <SALEAE> identifier")]
    Magic,
    #[error("export version {0}; versions 0 and 1 are read")]
    Version(i32),
    #[error("data type {0}; 0 (digital) and 1 (analog) are read")]
    Type(i32),
    #[error("{what} at byte {offset} needs {need} bytes but the file has {size}")]
    Short {
        what: String,
        offset: u64,
        need: u128,
        size: u64,
    },
    #[error("{what} is {value}, not a positive finite number")]
    BadNumber { what: String, value: f64 },
    #[error(
        "the version 0 digital export states no sample rate and its transitions lie on no \
         standard rate's grid; pass -r"
    )]
    NoRate,
    #[error(
        "chunk {chunk}: transition {index} at {time} s is outside {begin}..{end} s or before the previous one"
    )]
    Transition {
        chunk: usize,
        index: u64,
        time: f64,
        begin: f64,
        end: f64,
    },
}

/// Facts of an export for `tracekit info`.
#[derive(Debug, Clone, Serialize)]
pub struct SaleaeMeta {
    pub version: i32,
    pub digital: bool,
    /// Chunks (digital) or waveforms (analog).
    pub chunks: usize,
    /// Transitions (digital) or stored samples (analog), all chunks.
    pub items: u64,
    pub begin_time: f64,
    pub end_time: Option<f64>,
    pub trigger_time: Option<f64>,
    pub stated_rate: Option<f64>,
    pub downsample: Option<i64>,
    /// How the expansion rate was chosen.
    pub rate_rule: String,
}

impl SaleaeMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| v.to_string());
        vec![
            ("version".into(), self.version.to_string()),
            (
                "type".into(),
                if self.digital { "digital" } else { "analog" }.into(),
            ),
            ("chunks".into(), self.chunks.to_string()),
            (
                if self.digital {
                    "transitions"
                } else {
                    "samples"
                }
                .into(),
                self.items.to_string(),
            ),
            ("begin time (s)".into(), self.begin_time.to_string()),
            ("end time (s)".into(), opt(self.end_time)),
            ("trigger time (s)".into(), opt(self.trigger_time)),
            ("stated rate (Hz)".into(), opt(self.stated_rate)),
            (
                "downsample".into(),
                self.downsample.map_or("-".into(), |d| d.to_string()),
            ),
            ("rate".into(), self.rate_rule.clone()),
        ]
    }
}

impl FormatDetails for SaleaeMeta {
    fn json(&self) -> Map<String, Value> {
        super::keyed_json("saleae", self)
    }

    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
        vec![super::key_value_table("Saleae binary export", self.rows())]
    }
}

/// Saleae Logic 2 binary exports: known by their `<SALEAE>` identifier only (`.bin` is
/// everyone's extension).
pub struct Saleae;

impl super::Format for Saleae {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], _extension: &str) -> Sniff {
        Sniff::by(head.starts_with(MAGIC), false)
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let name = input.name.clone();
        open(input).map_err(|e| LoaderError::Invalid {
            path: name,
            what: "Saleae binary export",
            why: e.to_string(),
        })
    }
}

/// One chunk (digital) or waveform (analog) of the file.
#[derive(Debug, Clone)]
struct Chunk {
    initial: u8,
    rate: Option<f64>,
    begin: f64,
    end: Option<f64>,
    trigger: Option<f64>,
    downsample: Option<i64>,
    /// Transitions or samples.
    count: u64,
    /// Byte offset of the first transition or sample.
    data: u64,
}

struct Reader<'a> {
    file: &'a File,
    size: u64,
}

impl Reader<'_> {
    fn bytes<const N: usize>(&self, offset: u64, what: &str) -> Result<[u8; N], SaleaeError> {
        if u128::from(offset) + N as u128 > u128::from(self.size) {
            return Err(SaleaeError::Short {
                what: what.to_string(),
                offset,
                need: u128::from(offset) + N as u128,
                size: self.size,
            });
        }
        let mut b = [0u8; N];
        self.file
            .read_exact_at(&mut b, offset)
            .map_err(|error| SaleaeError::Io { offset, error })?;
        Ok(b)
    }
    fn u32(&self, at: u64, what: &str) -> Result<u32, SaleaeError> {
        Ok(u32::from_le_bytes(self.bytes(at, what)?))
    }
    fn u64(&self, at: u64, what: &str) -> Result<u64, SaleaeError> {
        Ok(u64::from_le_bytes(self.bytes(at, what)?))
    }
    fn f64(&self, at: u64, what: &str) -> Result<f64, SaleaeError> {
        Ok(f64::from_le_bytes(self.bytes(at, what)?))
    }
    /// Check that `count` items of `item` bytes fit at `offset`; returns the end offset.
    fn fits(&self, offset: u64, count: u64, item: u64, what: &str) -> Result<u64, SaleaeError> {
        let need = u128::from(offset) + u128::from(count) * u128::from(item);
        if need > u128::from(self.size) {
            return Err(SaleaeError::Short {
                what: format!("{count} {what}"),
                offset,
                need,
                size: self.size,
            });
        }
        Ok(need as u64)
    }
}

fn positive(what: &str, value: f64) -> Result<f64, SaleaeError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(SaleaeError::BadNumber {
            what: what.to_string(),
            value,
        })
    }
}

/// Read the header and the chunk table (positioned reads of a few bytes per chunk).
fn open(input: Input<'_>) -> Result<Trace, SaleaeError> {
    let (file, size, opts) = (input.file, input.size, input.opts);
    let r = Reader { file: &file, size };
    if &r.bytes::<8>(0, "identifier")? != MAGIC {
        return Err(SaleaeError::Magic);
    }
    let version = r.u32(8, "version")? as i32;
    let kind = r.u32(12, "type")? as i32;
    if !(0..=1).contains(&version) {
        return Err(SaleaeError::Version(version));
    }
    let digital = match kind {
        0 => true,
        1 => false,
        other => return Err(SaleaeError::Type(other)),
    };
    let mut chunks = Vec::new();
    let mut end = 16;
    if version == 0 {
        let chunk = if digital {
            Chunk {
                initial: u8::from(r.u32(16, "initial state")? != 0),
                rate: None,
                begin: r.f64(20, "begin time")?,
                end: Some(r.f64(28, "end time")?),
                trigger: None,
                downsample: None,
                count: r.u64(36, "transition count")?,
                data: 44,
            }
        } else {
            Chunk {
                initial: 0,
                begin: r.f64(16, "begin time")?,
                rate: Some(r.u64(24, "sample rate")? as f64),
                downsample: Some(r.u64(32, "downsample")? as i64),
                end: None,
                trigger: None,
                count: r.u64(40, "sample count")?,
                data: 48,
            }
        };
        end = r.fits(
            chunk.data,
            chunk.count,
            if digital { 8 } else { 4 },
            "items",
        )?;
        chunks.push(chunk);
    } else {
        let count = r.u64(16, "chunk count")?;
        let header = if digital { 36 } else { 40 };
        r.fits(24, count, header, "chunk headers")?;
        let mut at = 24u64;
        for k in 0..count {
            let what = |f: &str| format!("chunk {k} {f}");
            let chunk = if digital {
                Chunk {
                    initial: u8::from(r.u32(at, &what("initial state"))? != 0),
                    rate: Some(r.f64(at + 4, &what("sample rate"))?),
                    begin: r.f64(at + 12, &what("begin time"))?,
                    end: Some(r.f64(at + 20, &what("end time"))?),
                    trigger: None,
                    downsample: None,
                    count: r.u64(at + 28, &what("transition count"))?,
                    data: at + 36,
                }
            } else {
                Chunk {
                    initial: 0,
                    begin: r.f64(at, &what("begin time"))?,
                    trigger: Some(r.f64(at + 8, &what("trigger time"))?),
                    rate: Some(r.f64(at + 16, &what("sample rate"))?),
                    downsample: Some(i64::from_le_bytes(r.bytes(at + 24, &what("downsample"))?)),
                    end: None,
                    count: r.u64(at + 32, &what("sample count"))?,
                    data: at + 40,
                }
            };
            at = r.fits(
                chunk.data,
                chunk.count,
                if digital { 8 } else { 4 },
                &what("items"),
            )?;
            chunks.push(chunk);
        }
        end = end.max(at);
    }
    let mut warnings = Vec::new();
    if end < size {
        warnings.push(format!("{} bytes after the data are ignored", size - end));
    }
    let channel = input
        .path
        .file_stem()
        .map_or_else(|| "D0".to_string(), |s| s.to_string_lossy().into_owned());
    let items = chunks.iter().map(|c| c.count).sum();
    let head = Head {
        path: input.name,
        size,
        version,
        channel,
        items,
        warnings,
    };
    if digital {
        open_digital(file, chunks, head, opts)
    } else {
        open_analog(file, chunks, head, opts)
    }
}

/// What the header says besides the chunks.
struct Head {
    path: String,
    size: u64,
    version: i32,
    /// The channel's name: the file's stem (`digital_0`).
    channel: String,
    items: u64,
    warnings: Vec<String>,
}

/// The trace of one column of `dtype` holding `channel`.
fn trace(
    head: Head,
    (dtype, channel): (DType, Channel),
    (samples, rate, start): (u64, Option<f64>, Option<f64>),
    segments: Vec<Segment>,
    meta: SaleaeMeta,
    stream: impl FrameStream + 'static,
) -> Result<Trace, SaleaeError> {
    let mut info = Expanded {
        path: head.path,
        format: NAME,
        dtype,
        columns: 1,
        samples,
        channels: vec![channel],
        rate,
        rate_source: format!("Saleae export: {}", meta.rate_rule),
        start_time: start,
        file_size: head.size,
        warnings: head.warnings,
        details: Arc::new(meta),
    }
    .info()
    .map_err(|e| SaleaeError::Layout(e.to_string()))?;
    info.segments = segments;
    Ok(pulled_trace(info, stream))
}

fn open_digital(
    file: File,
    chunks: Vec<Chunk>,
    mut head: Head,
    opts: &OpenOptions,
) -> Result<Trace, SaleaeError> {
    let warnings = &mut head.warnings;
    let (rate, rule) = match opts.sample_rate {
        Some(r) => (
            checked_rate(r).map_err(SaleaeError::BadRate)?,
            format!("-r {r} samples/s"),
        ),
        None => match chunks.iter().filter_map(|c| c.rate).reduce(f64::max) {
            Some(r) => {
                let r = positive("sample rate", r)?;
                if chunks.iter().any(|c| c.rate != Some(r)) {
                    warnings.push(format!("chunks differ in sample rate; all expanded at {r}"));
                }
                (r, "the rate the export states".to_string())
            }
            None => infer_rate(&file, &chunks, warnings)?,
        },
    };
    let mut segments = Vec::new();
    let mut total = 0u64;
    let mut lengths = Vec::new();
    for chunk in &chunks {
        let end = chunk.end.unwrap_or(chunk.begin);
        let span = (end - chunk.begin) * rate;
        if !(span.is_finite() && span >= 0.0) {
            return Err(SaleaeError::BadNumber {
                what: "end time - begin time".into(),
                value: end - chunk.begin,
            });
        }
        let n = span.round();
        if total as f64 + n > MAX_EXPANDED_SAMPLES as f64 {
            return Err(SaleaeError::TooManySamples {
                what: format!("{} s of transitions", end - chunks[0].begin),
                rate,
                samples: total as f64 + n,
                limit: MAX_EXPANDED_SAMPLES,
            });
        }
        let n = n as u64;
        segments.push(Segment {
            first_sample: total,
            samples: n,
            time: Some(chunk.begin - chunks[0].begin),
            timestamp: None,
        });
        lengths.push(n);
        total += n;
    }
    if segments.len() < 2 {
        segments.clear();
    }
    let meta = meta_of(&chunks, head.version, true, head.items, rule);
    let start = chunks.first().map(|c| c.begin);
    let channel = Channel {
        name: head.channel.clone(),
        bit: Some(0),
        ..Channel::plain(0)
    };
    let stream = DigitalStream::new(file, chunks, lengths, rate);
    trace(
        head,
        (DType::U8, channel),
        (total, Some(rate), start),
        segments,
        meta,
        stream,
    )
}

fn meta_of(chunks: &[Chunk], version: i32, digital: bool, items: u64, rule: String) -> SaleaeMeta {
    let first = chunks.first();
    SaleaeMeta {
        version,
        digital,
        chunks: chunks.len(),
        items,
        begin_time: first.map_or(0.0, |c| c.begin),
        end_time: chunks.last().and_then(|c| c.end),
        trigger_time: first.and_then(|c| c.trigger),
        stated_rate: first.and_then(|c| c.rate),
        downsample: first.and_then(|c| c.downsample),
        rate_rule: rule,
    }
}

/// The coarsest standard rate whose grid holds the first transitions (version 0 states no
/// rate; any rate on whose grid all edges lie gives the same edges, the coarsest the
/// fewest samples).
fn infer_rate(
    file: &File,
    chunks: &[Chunk],
    warnings: &mut Vec<String>,
) -> Result<(f64, String), SaleaeError> {
    let Some(chunk) = chunks.iter().find(|c| c.count > 0) else {
        warnings.push("no transitions and no stated rate: 1 MHz used (pass -r)".into());
        return Ok((1e6, "1 MHz (nothing to infer from)".into()));
    };
    let count = chunk.count.min(INFER_TRANSITIONS) as usize;
    let mut times = vec![0u8; count * 8];
    file.read_exact_at(&mut times, chunk.data)
        .map_err(|error| SaleaeError::Io {
            offset: chunk.data,
            error,
        })?;
    let times: Vec<f64> = times
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
    let fits = |rate: f64| {
        times.iter().all(|t| {
            let x = (t - chunk.begin) * rate;
            (x - x.round()).abs() <= GRID_TOLERANCE
        })
    };
    let rate = STANDARD_RATES
        .iter()
        .rev()
        .copied()
        .find(|&r| fits(r))
        .ok_or(SaleaeError::NoRate)?;
    Ok((
        rate,
        format!(
            "inferred: the coarsest standard rate on whose grid the first {count} transitions lie"
        ),
    ))
}

/// Sample index within a chunk of a transition at `x = (t - begin) · rate` samples: on the
/// grid (within the tolerance) the nearest sample, else the first sample after it.
fn transition_index(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= GRID_TOLERANCE {
        nearest
    } else {
        x.ceil()
    }
}

struct DigitalStream {
    file: File,
    chunks: Vec<Chunk>,
    /// Samples of each chunk.
    lengths: Vec<u64>,
    rate: f64,
    chunk: usize,
    /// The current chunk's initial level has been set.
    started: bool,
    level: u8,
    /// Samples of the current chunk handed out (or skipped).
    produced: u64,
    /// Transitions of the current chunk consumed.
    consumed: u64,
    previous_time: f64,
    /// Sample index of the next transition, once read and checked.
    peeked: Option<u64>,
    /// Transition times read ahead, and the index of the next one to use.
    pending: Vec<f64>,
    pending_at: usize,
}

impl DigitalStream {
    fn new(file: File, chunks: Vec<Chunk>, lengths: Vec<u64>, rate: f64) -> DigitalStream {
        DigitalStream {
            file,
            chunks,
            lengths,
            rate,
            chunk: 0,
            started: false,
            level: 0,
            produced: 0,
            consumed: 0,
            previous_time: 0.0,
            peeked: None,
            pending: Vec::new(),
            pending_at: 0,
        }
    }

    /// The sample index of the current chunk's next transition, if any.
    fn peek(&mut self) -> Result<Option<u64>, SaleaeError> {
        if self.peeked.is_some() {
            return Ok(self.peeked);
        }
        let chunk = &self.chunks[self.chunk];
        if self.consumed == chunk.count {
            return Ok(None);
        }
        if self.pending_at == self.pending.len() {
            let n = (chunk.count - self.consumed).min(READ_ITEMS as u64) as usize;
            let offset = chunk.data + self.consumed * 8;
            let mut bytes = vec![0u8; n * 8];
            self.file
                .read_exact_at(&mut bytes, offset)
                .map_err(|error| SaleaeError::Io { offset, error })?;
            self.pending.clear();
            self.pending.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])),
            );
            self.pending_at = 0;
        }
        let t = self.pending[self.pending_at];
        let end = chunk.end.unwrap_or(chunk.begin);
        if !(t >= self.previous_time && t <= end + 1.0 / self.rate) {
            return Err(SaleaeError::Transition {
                chunk: self.chunk,
                index: self.consumed,
                time: t,
                begin: chunk.begin,
                end,
            });
        }
        self.previous_time = t;
        let length = self.lengths[self.chunk];
        let index = transition_index((t - chunk.begin) * self.rate).clamp(0.0, length as f64);
        self.peeked = Some(index as u64);
        Ok(self.peeked)
    }

    /// The end of the run of equal samples starting at `produced`; `None` at the end.
    fn run_end(&mut self) -> Result<Option<u64>, SaleaeError> {
        loop {
            let Some(chunk) = self.chunks.get(self.chunk) else {
                return Ok(None);
            };
            if !self.started {
                self.level = chunk.initial;
                self.previous_time = chunk.begin;
                self.started = true;
            }
            let next = self.peek()?;
            let target = next.unwrap_or(self.lengths[self.chunk]);
            if target > self.produced {
                return Ok(Some(target));
            }
            if next.is_some() {
                self.level ^= 1;
                self.consumed += 1;
                self.pending_at += 1;
                self.peeked = None;
                continue;
            }
            self.chunk += 1;
            self.started = false;
            self.produced = 0;
            self.consumed = 0;
            self.pending.clear();
            self.pending_at = 0;
        }
    }
}

impl FrameStream for DigitalStream {
    type Error = SaleaeError;

    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, SaleaeError> {
        let mut n = 0;
        while n < max {
            let Some(end) = self.run_end()? else { break };
            let k = (end - self.produced).min((max - n) as u64) as usize;
            repeat_frame(out, &[self.level], k);
            self.produced += k as u64;
            n += k;
        }
        Ok(n)
    }

    fn skip(&mut self, count: u64) -> Result<u64, SaleaeError> {
        let mut n = 0;
        while n < count {
            let Some(end) = self.run_end()? else { break };
            let k = (end - self.produced).min(count - n);
            self.produced += k;
            n += k;
        }
        Ok(n)
    }
}

fn open_analog(
    file: File,
    chunks: Vec<Chunk>,
    mut head: Head,
    opts: &OpenOptions,
) -> Result<Trace, SaleaeError> {
    let warnings = &mut head.warnings;
    if opts.sample_rate.is_some() {
        warnings.push("-r is ignored: analog exports are not resampled".into());
    }
    let mut rates = Vec::new();
    for chunk in &chunks {
        let rate = positive("sample rate", chunk.rate.unwrap_or(0.0))?;
        let down = chunk.downsample.unwrap_or(1);
        if down < 1 {
            return Err(SaleaeError::BadNumber {
                what: "downsample".into(),
                value: down as f64,
            });
        }
        rates.push(rate / down as f64);
    }
    let rate = rates.first().copied();
    if rates.iter().any(|r| Some(*r) != rate) {
        warnings.push("waveforms differ in rate; x increments are those of the first".into());
    }
    let mut segments = Vec::new();
    let mut total = 0;
    for chunk in &chunks {
        segments.push(Segment {
            first_sample: total,
            samples: chunk.count,
            time: Some(chunk.begin - chunks[0].begin),
            timestamp: None,
        });
        total += chunk.count;
    }
    if segments.len() < 2 {
        segments.clear();
    }
    let meta = meta_of(
        &chunks,
        head.version,
        false,
        head.items,
        "sample rate / downsample".into(),
    );
    let start = chunks.first().map(|c| c.begin);
    let channel = Channel {
        name: head.channel.clone(),
        unit: Some("V".into()),
        ..Channel::plain(0)
    };
    let stream = AnalogStream {
        file,
        chunks,
        chunk: 0,
        done: 0,
        bytes: Vec::new(),
    };
    trace(
        head,
        (DType::F32, channel),
        (total, rate, start),
        segments,
        meta,
        stream,
    )
}

struct AnalogStream {
    file: File,
    chunks: Vec<Chunk>,
    chunk: usize,
    /// Samples of the current chunk handed out.
    done: u64,
    bytes: Vec<u8>,
}

impl AnalogStream {
    /// Samples left in the current chunk, moving past finished chunks; 0 at the end.
    fn left(&mut self) -> u64 {
        while let Some(chunk) = self.chunks.get(self.chunk) {
            if self.done < chunk.count {
                return chunk.count - self.done;
            }
            self.chunk += 1;
            self.done = 0;
        }
        0
    }
}

impl FrameStream for AnalogStream {
    type Error = SaleaeError;

    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, SaleaeError> {
        let mut n = 0;
        while n < max {
            let left = self.left();
            if left == 0 {
                break;
            }
            let k = left.min((max - n).min(READ_ITEMS) as u64) as usize;
            let offset = self.chunks[self.chunk].data + self.done * 4;
            self.bytes.resize(k * 4, 0);
            self.file
                .read_exact_at(&mut self.bytes, offset)
                .map_err(|error| SaleaeError::Io { offset, error })?;
            for b in self.bytes.chunks_exact(4) {
                out.extend_from_slice(&f32::from_le_bytes([b[0], b[1], b[2], b[3]]).to_ne_bytes());
            }
            self.done += k as u64;
            n += k;
        }
        Ok(n)
    }

    fn skip(&mut self, count: u64) -> Result<u64, SaleaeError> {
        let mut n = 0;
        while n < count {
            let left = self.left();
            if left == 0 {
                break;
            }
            let k = left.min(count - n);
            self.done += k;
            n += k;
        }
        Ok(n)
    }
}
