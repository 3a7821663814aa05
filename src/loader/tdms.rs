//! NI TDMS files (LabVIEW, DAQmx logging, npTDMS).
//!
//! A TDMS file is a chain of segments. Each has a 28-byte lead-in (`TDSm`, a little-endian
//! table-of-contents mask, then in the segment's byte order: version, the offset of the next
//! segment and of the raw data, both counted from the end of the lead-in), optional metadata
//! (objects `/'group'/'channel'` with a raw data index and properties) and raw data. Metadata
//! is incremental: without `kTocNewObjList` the object list of the previous segment carries
//! over and the segment only lists changes; a raw data index of 0 reuses the object's last
//! one; a segment without `kTocMetaData` repeats the previous layout. The raw data of a segment
//! may be several repetitions ("chunks") of that layout, contiguous (each channel's values in
//! turn) or interleaved (one value of each channel in turn).
//!
//! Segment headers are read one by one with positioned reads; samples are never read. Each
//! channel's data becomes runs: one per chunk per channel for contiguous data (adjacent runs
//! merge, so a one-channel segment is one run), one per segment per channel for interleaved
//! data. Memory: 24 bytes per run, i.e. about 24 × channels × chunks bytes per segment, plus
//! the objects' properties (latest value of each).
//!
//! Scaling: `NI_Scale[n]_Linear_Slope`/`_Y_Intercept` chains (`NI_Number_Of_Scales`, from the
//! channel, else its group, else the file, as npTDMS looks them up) become gain/offset; other
//! scale types leave the channel unscaled with a warning. Time: `wf_increment` and
//! `wf_start_offset` give the x axis, `wf_start_time` the absolute start (for `info`).

use super::XUnit;
use super::interchange::read::{Cursor, read_exact_at};
use super::interchange::time::Instant;
use super::interchange::{ChannelExt, ColumnExt, FormatError, MAX_RUNS};
use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::fs::File;

pub const NAME: &str = "tdms";

/// The loader's handle on this format.
pub struct Tdms;

impl crate::loader::Format for Tdms {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(sniff(head, extension), extension == "tdms")
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        // `--dataset` names one channel (path or name), read at its full length.
        let select: Vec<String> = input.opts.dataset.iter().cloned().collect();
        crate::loader::layout::open_with(input, NAME, |file, _, size| {
            parse_channels(file, size, &select)
        })
    }
}

const LEAD_IN: u64 = 28;
const TOC_META_DATA: u32 = 1 << 1;
const TOC_NEW_OBJ_LIST: u32 = 1 << 2;
const TOC_RAW_DATA: u32 = 1 << 3;
const TOC_INTERLEAVED: u32 = 1 << 5;
const TOC_BIG_ENDIAN: u32 = 1 << 6;
const TOC_DAQMX_RAW_DATA: u32 = 1 << 7;
const INDEX_NO_DATA: u32 = 0xffff_ffff;
const INDEX_SAME_AS_BEFORE: u32 = 0;
const INDEX_DAQMX_FORMAT_CHANGING: u32 = 0x1269;
const INDEX_DAQMX_DIGITAL_LINE: u32 = 0x126a;
const TYPE_STRING: u32 = 0x20;
/// Object paths and property names/strings longer than this are not metadata.
const MAX_STRING: u64 = 1 << 20;
/// Properties kept (latest value per object and name); more are dropped with a warning.
const MAX_PROPERTIES: usize = 100_000;
/// Property rows shown by `info`.
const MAX_INFO_ROWS: usize = 10_000;

pub fn sniff(head: &[u8], _extension: &str) -> bool {
    head.starts_with(b"TDSm")
}

/// Format facts for `info`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TdmsMeta {
    /// 4712 (TDMS 1.0) or 4713 (2.0).
    pub version: u32,
    pub segments: u64,
    /// The last segment was cut short (its data was read up to the end of the file).
    pub incomplete: bool,
    /// `wf_start_time` of the first channel, RFC 3339.
    pub start_time: Option<String>,
    /// File, group and channel properties (object path, name, value), at most 10 000.
    pub properties: Vec<(String, String, String)>,
    /// Channels with data tracekit does not read (strings, timestamps).
    pub skipped_channels: Vec<String>,
}

impl VendorMeta for TdmsMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![
            ("version".to_string(), self.version.to_string()),
            ("segments".to_string(), self.segments.to_string()),
        ];
        if self.incomplete {
            rows.push(("incomplete".into(), "the last segment is cut short".into()));
        }
        if let Some(t) = &self.start_time {
            rows.push(("start time".into(), t.clone()));
        }
        for (path, name, value) in &self.properties {
            rows.push((format!("{path} {name}"), value.clone()));
        }
        for c in &self.skipped_channels {
            rows.push(("skipped channel".into(), c.clone()));
        }
        rows
    }
}

/// A property value, as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Str(String),
    Time(Instant),
    Complex(f64, f64),
}

impl Prop {
    fn as_f64(&self) -> Option<f64> {
        match *self {
            Prop::Int(v) => Some(v as f64),
            Prop::UInt(v) => Some(v as f64),
            Prop::Float(v) => Some(v),
            Prop::Str(ref s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl fmt::Display for Prop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Prop::Int(v) => write!(f, "{v}"),
            Prop::UInt(v) => write!(f, "{v}"),
            Prop::Float(v) => write!(f, "{v}"),
            Prop::Bool(v) => write!(f, "{v}"),
            Prop::Str(s) => f.write_str(s),
            Prop::Time(t) => f.write_str(&t.to_rfc3339()),
            Prop::Complex(re, im) => write!(f, "{re}{im:+}j"),
        }
    }
}

/// How a TDMS data type is stored in raw data.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stored {
    Real(DType),
    /// Complex: I then Q, each of this type.
    Complex(DType),
    /// Sized, but not samples tracekit reads (timestamps).
    Skipped(&'static str, u64),
    /// Strings: the raw data index states their byte count.
    Text,
}

impl Stored {
    fn of(code: u32) -> Option<Stored> {
        Some(match code {
            1 => Stored::Real(DType::I8),
            2 => Stored::Real(DType::I16),
            3 => Stored::Real(DType::I32),
            4 => Stored::Real(DType::I64),
            5 => Stored::Real(DType::U8),
            6 => Stored::Real(DType::U16),
            7 => Stored::Real(DType::U32),
            8 => Stored::Real(DType::U64),
            9 | 0x19 => Stored::Real(DType::F32),
            10 | 0x1a => Stored::Real(DType::F64),
            0x21 => Stored::Real(DType::Bool),
            0x44 => Stored::Skipped("timestamps", 16),
            0x08_000c => Stored::Complex(DType::F32),
            0x10_000d => Stored::Complex(DType::F64),
            TYPE_STRING => Stored::Text,
            _ => return None,
        })
    }

    /// Bytes per value (None for strings).
    fn size(self) -> Option<u64> {
        match self {
            Stored::Real(d) => Some(d.size() as u64),
            Stored::Complex(d) => Some(2 * d.size() as u64),
            Stored::Skipped(_, n) => Some(n),
            Stored::Text => None,
        }
    }
}

/// An object's latest raw data index.
#[derive(Debug, Clone, Copy)]
struct RawIndex {
    stored: Stored,
    values: u64,
    bytes: u64,
}

struct Object {
    path: String,
    index: Option<RawIndex>,
    props: Vec<(String, Prop)>,
    /// Index into the channel accumulators, once the object has had data.
    channel: Option<usize>,
    /// Its data is not read (not selected, or not numeric).
    ignored: bool,
}

/// The objects of the current segment, in raw data order.
#[derive(Clone, Copy)]
struct Entry {
    object: usize,
    has_data: bool,
}

/// One channel's runs as they accumulate.
struct Accumulator {
    object: usize,
    stored: Stored,
    /// Real: one column; complex: I and Q.
    columns: Vec<Column>,
    samples: u64,
}

/// State of the whole file while segments are read.
struct Reader<'a> {
    size: u64,
    select: &'a [String],
    objects: Vec<Object>,
    by_path: HashMap<String, usize>,
    list: Vec<Entry>,
    /// Position of each object in `list` (+1; 0 = not listed).
    slot: Vec<u32>,
    channels: Vec<Accumulator>,
    /// Runs held by all accumulators, capped by MAX_RUNS.
    runs: usize,
    skipped: Vec<String>,
    properties: usize,
    warnings: Vec<String>,
}

/// Every channel (tests; the loader calls [`parse_channels`] with `--dataset`).
#[cfg(test)]
pub fn parse(
    file: &File,
    _path: &std::path::Path,
    size: u64,
) -> Result<Layout<TdmsMeta>, FormatError> {
    parse_channels(file, size, &[])
}

/// Like `parse` (every channel), keeping only the channels named (by path `/'group'/'channel'` or by
/// channel name when that is unique); all channels when `select` is empty.
pub fn parse_channels(
    file: &File,
    size: u64,
    select: &[String],
) -> Result<Layout<TdmsMeta>, FormatError> {
    let mut r = Reader {
        size,
        select,
        objects: Vec::new(),
        by_path: HashMap::new(),
        list: Vec::new(),
        slot: Vec::new(),
        channels: Vec::new(),
        runs: 0,
        skipped: Vec::new(),
        properties: 0,
        warnings: Vec::new(),
    };
    let mut pos = 0u64;
    let mut segments = 0u64;
    let mut version = None;
    let mut incomplete = false;
    while pos < size {
        if size - pos < LEAD_IN {
            r.warnings.push(format!(
                "{} bytes at offset {pos} are too few for a segment lead-in; ignored",
                size - pos
            ));
            incomplete = true;
            break;
        }
        let mut lead = [0u8; LEAD_IN as usize];
        read_exact_at(file, pos, &mut lead, size, "a TDMS segment lead-in")?;
        if &lead[..4] != b"TDSm" {
            if pos == 0 {
                return Err(FormatError::NotFormat {
                    format: "TDMS",
                    found: "it does not start with TDSm".into(),
                });
            }
            return Err(FormatError::Malformed(format!(
                "segment {segments} should start at offset {pos} but there is no TDSm tag"
            )));
        }
        let toc = u32::from_le_bytes([lead[4], lead[5], lead[6], lead[7]]);
        let endian = if toc & TOC_BIG_ENDIAN != 0 {
            Endian::Big
        } else {
            Endian::Little
        };
        let num = |at: usize, n: usize| {
            let mut a = [0u8; 8];
            let b = &lead[at..at + n];
            match endian {
                Endian::Little => a[..n].copy_from_slice(b),
                Endian::Big => a[8 - n..].copy_from_slice(b),
            }
            match endian {
                Endian::Little => u64::from_le_bytes(a),
                Endian::Big => u64::from_be_bytes(a),
            }
        };
        let seg_version = num(8, 4) as u32;
        match version {
            None => {
                if seg_version != 4712 && seg_version != 4713 {
                    r.warnings.push(format!(
                        "unknown TDMS version {seg_version} (4712 or 4713 expected)"
                    ));
                }
                version = Some(seg_version);
            }
            Some(v) if v != seg_version => r.warnings.push(format!(
                "segment at offset {pos} has version {seg_version}, the first had {v}"
            )),
            Some(_) => {}
        }
        let next_offset = num(12, 8);
        let raw_offset = num(20, 8);
        if toc & TOC_DAQMX_RAW_DATA != 0 {
            return Err(daqmx(pos));
        }
        let meta_start = pos + LEAD_IN;
        let declared_next = meta_start.checked_add(next_offset);
        let (next, cut) = match declared_next {
            Some(n) if next_offset != u64::MAX && n <= size => (n, false),
            _ => (size, true),
        };
        let data_pos = meta_start.checked_add(raw_offset).filter(|&d| d <= next);
        let Some(data_pos) = data_pos else {
            if cut {
                r.warnings.push(format!(
                    "the last segment (offset {pos}) is cut short inside its metadata; ignored"
                ));
                incomplete = true;
                break;
            }
            return Err(FormatError::Malformed(format!(
                "segment at offset {pos}: its metadata ({raw_offset} bytes) runs past the \
                 segment's end ({next_offset} bytes after the lead-in)"
            )));
        };
        if cut {
            let says = match (next_offset, declared_next) {
                (u64::MAX, _) | (_, None) => "gives no usable end offset".to_string(),
                (_, Some(n)) => format!("says it ends at offset {n}"),
            };
            r.warnings.push(format!(
                "the last segment (offset {pos}) {says} and the file has {size} bytes: \
                 reading its data up to the end of the file"
            ));
            incomplete = true;
        }
        if toc & TOC_META_DATA != 0 {
            let new_list = toc & TOC_NEW_OBJ_LIST != 0 || segments == 0;
            let region = format!("the metadata of the segment at offset {pos}");
            let mut cur = Cursor::new(file, meta_start, data_pos, region, endian);
            r.read_metadata(&mut cur, new_list)?;
        } else if segments == 0 {
            return Err(FormatError::Malformed(
                "the first segment has no metadata (kTocMetaData is not set)".into(),
            ));
        }
        if toc & TOC_RAW_DATA != 0 {
            r.add_runs(pos, data_pos, next, endian, toc & TOC_INTERLEAVED != 0, cut)?;
        }
        segments += 1;
        pos = next;
        if cut {
            break;
        }
    }
    if segments == 0 {
        return Err(FormatError::NotFormat {
            format: "TDMS",
            found: format!("{size} bytes hold no complete segment"),
        });
    }
    r.finish(version.unwrap_or(0), segments, incomplete)
}

fn daqmx(pos: u64) -> FormatError {
    FormatError::Unsupported(format!(
        "DAQmx raw data (segment at offset {pos}; the scaler format needs npTDMS or NI software)"
    ))
}

/// The components of `/'group'/'channel'` (`''` is a quote inside a name).
pub fn split_path(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut chars = path.chars().peekable();
    while chars.next() == Some('/') {
        if chars.next() != Some('\'') {
            break;
        }
        let mut part = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    part.push('\'');
                } else {
                    break;
                }
            } else {
                part.push(c);
            }
        }
        parts.push(part);
    }
    parts
}

fn read_string(cur: &mut Cursor, what: &str) -> Result<String, FormatError> {
    let len = u64::from(cur.u32(what)?);
    if len > MAX_STRING {
        return Err(FormatError::Malformed(format!(
            "{what} at offset {} says {len} bytes (more than {MAX_STRING})",
            cur.pos()
        )));
    }
    Ok(String::from_utf8_lossy(cur.take(len, what)?).into_owned())
}

fn read_prop(cur: &mut Cursor, name: &str) -> Result<Prop, FormatError> {
    let what = format!("property {name:?}");
    let code = cur.u32(&what)?;
    let endian = cur.endian();
    macro_rules! num {
        ($t:ty) => {{
            let a = cur.array::<{ std::mem::size_of::<$t>() }>(&what)?;
            match endian {
                Endian::Little => <$t>::from_le_bytes(a),
                Endian::Big => <$t>::from_be_bytes(a),
            }
        }};
    }
    Ok(match code {
        1 => Prop::Int(i64::from(num!(i8))),
        2 => Prop::Int(i64::from(num!(i16))),
        3 => Prop::Int(i64::from(num!(i32))),
        4 => Prop::Int(num!(i64)),
        5 => Prop::UInt(u64::from(num!(u8))),
        6 => Prop::UInt(u64::from(num!(u16))),
        7 => Prop::UInt(u64::from(num!(u32))),
        8 => Prop::UInt(num!(u64)),
        9 | 0x19 => Prop::Float(f64::from(num!(f32))),
        10 | 0x1a => Prop::Float(num!(f64)),
        TYPE_STRING => Prop::Str(read_string(cur, &what)?),
        0x21 => Prop::Bool(num!(u8) != 0),
        0x44 => {
            let (secs, frac) = match endian {
                Endian::Little => {
                    let frac = num!(u64);
                    (num!(i64), frac)
                }
                Endian::Big => {
                    let secs = num!(i64);
                    (secs, num!(u64))
                }
            };
            Prop::Time(Instant::from_labview(secs, frac))
        }
        0x08_000c => Prop::Complex(f64::from(num!(f32)), f64::from(num!(f32))),
        0x10_000d => Prop::Complex(num!(f64), num!(f64)),
        other => {
            return Err(FormatError::Unsupported(format!(
                "property {name:?} of TDMS type 0x{other:x} (at offset {})",
                cur.pos()
            )));
        }
    })
}

impl Reader<'_> {
    fn object(&mut self, path: String) -> usize {
        if let Some(&i) = self.by_path.get(&path) {
            return i;
        }
        let i = self.objects.len();
        self.by_path.insert(path.clone(), i);
        self.objects.push(Object {
            path,
            index: None,
            props: Vec::new(),
            channel: None,
            ignored: false,
        });
        self.slot.push(0);
        i
    }

    fn read_metadata(&mut self, cur: &mut Cursor, new_list: bool) -> Result<(), FormatError> {
        if new_list {
            for e in &self.list {
                self.slot[e.object] = 0;
            }
            self.list.clear();
        }
        let count = cur.u32("the object count")?;
        // An object takes at least 12 bytes (path length, index, property count).
        if u64::from(count) > cur.remaining() / 12 {
            return Err(FormatError::Malformed(format!(
                "{count} objects cannot fit the {} bytes of metadata at offset {}",
                cur.remaining(),
                cur.pos()
            )));
        }
        for _ in 0..count {
            let path = read_string(cur, "an object path")?;
            let header = cur.u32("a raw data index")?;
            let obj = self.object(path);
            let has_data = match header {
                INDEX_NO_DATA => false,
                INDEX_SAME_AS_BEFORE => {
                    if self.objects[obj].index.is_none() {
                        return Err(FormatError::Malformed(format!(
                            "object {} reuses its previous raw data index but has none (offset \
                             {})",
                            self.objects[obj].path,
                            cur.pos()
                        )));
                    }
                    true
                }
                INDEX_DAQMX_FORMAT_CHANGING | INDEX_DAQMX_DIGITAL_LINE => {
                    return Err(daqmx(cur.pos()));
                }
                _ => {
                    let index = self.read_index(cur, obj)?;
                    self.objects[obj].index = Some(index);
                    true
                }
            };
            match self.slot[obj] {
                0 => {
                    self.list.push(Entry {
                        object: obj,
                        has_data,
                    });
                    self.slot[obj] = self.list.len() as u32;
                }
                s => self.list[s as usize - 1].has_data = has_data,
            }
            let props = cur.u32("a property count")?;
            if u64::from(props) > cur.remaining() / 8 {
                return Err(FormatError::Malformed(format!(
                    "{props} properties of {} cannot fit the metadata left at offset {}",
                    self.objects[obj].path,
                    cur.pos()
                )));
            }
            for _ in 0..props {
                let name = read_string(cur, "a property name")?;
                let value = read_prop(cur, &name)?;
                self.set_prop(obj, name, value);
            }
        }
        Ok(())
    }

    fn read_index(&mut self, cur: &mut Cursor, obj: usize) -> Result<RawIndex, FormatError> {
        let code = cur.u32("a data type")?;
        let dim = cur.u32("an array dimension")?;
        let values = cur.u64("a value count")?;
        let path = &self.objects[obj].path;
        if dim != 1 {
            return Err(FormatError::Malformed(format!(
                "object {path} has array dimension {dim} (TDMS 2.0 allows only 1)"
            )));
        }
        let stored = match Stored::of(code) {
            Some(s) => s,
            None if values == 0 => Stored::Skipped("no values", 0),
            None => {
                return Err(FormatError::Unsupported(format!(
                    "raw data of TDMS type 0x{code:x} (object {path})"
                )));
            }
        };
        let bytes = match stored.size() {
            Some(size) => values.checked_mul(size),
            None => Some(cur.u64("a string data size")?),
        };
        let bytes = bytes.filter(|&b| b <= self.size).ok_or_else(|| {
            FormatError::Malformed(format!(
                "object {path} says {values} values per chunk; that is more than the file's \
                 {} bytes",
                self.size
            ))
        })?;
        Ok(RawIndex {
            stored,
            values,
            bytes,
        })
    }

    fn set_prop(&mut self, obj: usize, name: String, value: Prop) {
        let props = &mut self.objects[obj].props;
        if let Some(p) = props.iter_mut().find(|(n, _)| *n == name) {
            p.1 = value;
        } else if self.properties < MAX_PROPERTIES {
            props.push((name, value));
            self.properties += 1;
            if self.properties == MAX_PROPERTIES {
                self.warnings.push(format!(
                    "more than {MAX_PROPERTIES} properties: the rest are ignored"
                ));
            }
        }
    }

    fn wanted(&self, path: &str) -> bool {
        self.select.is_empty()
            || self
                .select
                .iter()
                .any(|s| s == path || split_path(path).get(1).is_some_and(|name| name == s))
    }

    /// The accumulator of `obj`, created on its first data; None for channels not read.
    fn accumulator(
        &mut self,
        obj: usize,
        stored: Stored,
        endian: Endian,
        seg: u64,
    ) -> Result<Option<usize>, FormatError> {
        let object = &self.objects[obj];
        if object.ignored {
            return Ok(None);
        }
        if let Some(c) = object.channel {
            let acc = &self.channels[c];
            let was = acc.columns.first().map(|col| (col.dtype, col.endian));
            if acc.stored != stored {
                return Err(FormatError::Unsupported(format!(
                    "channel {} changing its data type (from {:?} to {:?} in the segment at \
                     offset {seg})",
                    object.path, acc.stored, stored
                )));
            }
            if let Some((d, e)) = was
                && d.size() > 1
                && e != endian
            {
                return Err(FormatError::Unsupported(format!(
                    "channel {} with data in both byte orders (segment at offset {seg})",
                    object.path
                )));
            }
            return Ok(Some(c));
        }
        let path = object.path.clone();
        let (dtype, parts) = match stored {
            Stored::Real(d) => (d, 1),
            Stored::Complex(d) => (d, 2),
            Stored::Skipped(why, _) => {
                self.warnings
                    .push(format!("channel {path} holds {why}: not read"));
                self.skipped.push(path);
                self.objects[obj].ignored = true;
                return Ok(None);
            }
            Stored::Text => {
                self.warnings
                    .push(format!("channel {path} holds strings: not read"));
                self.skipped.push(path);
                self.objects[obj].ignored = true;
                return Ok(None);
            }
        };
        if !self.wanted(&path) {
            self.objects[obj].ignored = true;
            return Ok(None);
        }
        let endian = if dtype.size() == 1 {
            Endian::Little
        } else {
            endian
        };
        let c = self.channels.len();
        self.channels.push(Accumulator {
            object: obj,
            stored,
            columns: vec![Column::new(dtype, endian); parts],
            samples: 0,
        });
        self.objects[obj].channel = Some(c);
        Ok(Some(c))
    }

    /// Runs of `values` values of channel `c` starting at `offset`, `stride` bytes apart.
    fn push(&mut self, c: usize, offset: u64, values: u64, stride: u64) -> Result<(), FormatError> {
        let acc = &mut self.channels[c];
        let comp = acc.columns.first().map_or(0, |col| col.dtype.size() as u64);
        for (k, col) in acc.columns.iter_mut().enumerate() {
            let before = col.runs.len();
            col.push_run(Run {
                offset: offset + k as u64 * comp,
                samples: values,
                stride,
            });
            self.runs += col.runs.len() - before;
        }
        acc.samples += values;
        if self.runs > MAX_RUNS {
            return Err(FormatError::Unsupported(format!(
                "a TDMS layout of more than {MAX_RUNS} runs (tiny chunks at offset {offset})"
            )));
        }
        Ok(())
    }

    fn add_runs(
        &mut self,
        seg: u64,
        data_pos: u64,
        end: u64,
        endian: Endian,
        interleaved: bool,
        cut: bool,
    ) -> Result<(), FormatError> {
        let data: Vec<(usize, RawIndex)> = self
            .list
            .iter()
            .filter(|e| e.has_data)
            .filter_map(|e| Some((e.object, self.objects[e.object].index?)))
            .filter(|(_, ix)| ix.bytes > 0)
            .collect();
        let total = end - data_pos;
        let chunk = data
            .iter()
            .try_fold(0u64, |acc, (_, ix)| acc.checked_add(ix.bytes))
            .filter(|&c| c > 0);
        let Some(chunk) = chunk else {
            if total > 0 {
                self.warnings.push(format!(
                    "the segment at offset {seg} has {total} bytes of raw data but no channel \
                     with data; skipped"
                ));
            }
            return Ok(());
        };
        let full = total / chunk;
        let rem = total % chunk;
        if rem != 0 {
            self.warnings.push(format!(
                "the segment at offset {seg} has {total} bytes of raw data, not a whole number \
                 of {chunk}-byte chunks: the last chunk is partial"
            ));
        }
        let mut accs = Vec::with_capacity(data.len());
        for &(obj, ix) in &data {
            accs.push(self.accumulator(obj, ix.stored, endian, seg)?);
        }
        if interleaved {
            let Some(frame) = data
                .iter()
                .try_fold(0u64, |acc, (_, ix)| ix.stored.size().map(|s| acc + s))
            else {
                return Err(FormatError::Unsupported(format!(
                    "interleaved strings (segment at offset {seg})"
                )));
            };
            let values = data.first().map_or(0, |(_, ix)| ix.values);
            if data.iter().any(|(_, ix)| ix.values != values) {
                return Err(FormatError::Malformed(format!(
                    "the interleaved segment at offset {seg} has channels of different lengths"
                )));
            }
            let rows = values * full + rem / frame;
            let mut prefix = 0;
            for (&(_, ix), acc) in data.iter().zip(&accs) {
                if let Some(c) = *acc {
                    self.push(c, data_pos + prefix, rows, frame)?;
                }
                prefix += ix.stored.size().unwrap_or(0);
            }
            return Ok(());
        }
        if data.len() == 1 {
            // One channel: its chunks follow each other, one run covers them all.
            if let (Some(c), Some(size)) = (accs[0], data[0].1.stored.size()) {
                let values = data[0].1.values * full + rem / size;
                self.push(c, data_pos, values, size)?;
            }
            return Ok(());
        }
        for k in 0..full {
            let mut at = data_pos + k * chunk;
            for (&(_, ix), acc) in data.iter().zip(&accs) {
                if let (Some(c), Some(size)) = (*acc, ix.stored.size()) {
                    // One value per chunk: stride over whole chunks, so the runs merge.
                    let stride = if ix.values == 1 { chunk } else { size };
                    self.push(c, at, ix.values, stride)?;
                }
                at += ix.bytes;
            }
        }
        if rem != 0 {
            // npTDMS's rule: a cut final segment fills channels in order; otherwise each
            // channel gets its share of the partial chunk.
            let mut at = data_pos + full * chunk;
            let mut left = rem;
            for (&(_, ix), acc) in data.iter().zip(&accs) {
                let Some(size) = ix.stored.size() else {
                    break;
                };
                let values = if cut {
                    let n = if left > ix.bytes {
                        ix.values
                    } else {
                        left / size
                    };
                    left = left.saturating_sub(ix.bytes);
                    n
                } else {
                    ((u128::from(ix.values) * u128::from(rem)) / u128::from(chunk)) as u64
                };
                if let Some(c) = *acc {
                    self.push(c, at, values, size)?;
                }
                at += values * size;
            }
        }
        Ok(())
    }

    /// A property of a channel, looked up on the channel, then its group, then the file.
    fn inherited<'s>(&'s self, obj: usize, name: &str) -> Option<&'s Prop> {
        let path = &self.objects[obj].path;
        let parts = split_path(path);
        let group = parts
            .first()
            .map(|g| format!("/'{}'", g.replace('\'', "''")));
        [Some(path.clone()), group, Some("/".to_string())]
            .into_iter()
            .flatten()
            .filter_map(|p| self.by_path.get(&p))
            .find_map(|&o| self.prop(o, name))
    }

    fn prop(&self, obj: usize, name: &str) -> Option<&Prop> {
        self.objects[obj]
            .props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// gain/offset of the channel's linear scale chain, from the first of channel, group,
    /// file that defines scales (npTDMS's lookup).
    fn scaling(&mut self, obj: usize) -> (f64, f64) {
        let path = self.objects[obj].path.clone();
        let parts = split_path(&path);
        let group = parts
            .first()
            .map(|g| format!("/'{}'", g.replace('\'', "''")));
        let owner = [Some(path.clone()), group, Some("/".to_string())]
            .into_iter()
            .flatten()
            .filter_map(|p| self.by_path.get(&p).copied())
            .find(|&o| {
                self.prop(o, "NI_Number_Of_Scales")
                    .and_then(Prop::as_f64)
                    .is_some_and(|n| n > 0.0)
            });
        let Some(owner) = owner else {
            return (1.0, 0.0);
        };
        if let Some(Prop::Str(s)) = self.prop(owner, "NI_Scaling_Status")
            && s == "scaled"
        {
            return (1.0, 0.0);
        }
        match self.linear_chain(owner) {
            Ok(scale) => scale,
            Err(why) => {
                self.warnings
                    .push(format!("channel {path}: {why}; its values are unscaled"));
                (1.0, 0.0)
            }
        }
    }

    /// Compose the scales from the last one back to the raw data.
    fn linear_chain(&self, owner: usize) -> Result<(f64, f64), String> {
        let count = self
            .prop(owner, "NI_Number_Of_Scales")
            .and_then(Prop::as_f64)
            .unwrap_or(0.0) as u64;
        let get = |n: u64, key: &str| self.prop(owner, &format!("NI_Scale[{n}]_{key}"));
        let (mut gain, mut offset) = (1.0, 0.0);
        let mut index = count.saturating_sub(1);
        for _ in 0..count {
            match get(index, "Scale_Type") {
                Some(Prop::Str(t)) if t == "Linear" => {}
                Some(Prop::Str(t)) => return Err(format!("scale {index} is of type {t}")),
                _ => return Err(format!("scale {index} has no NI_Scale[{index}]_Scale_Type")),
            }
            let slope = get(index, "Linear_Slope").and_then(Prop::as_f64);
            let intercept = get(index, "Linear_Y_Intercept").and_then(Prop::as_f64);
            let (Some(slope), Some(intercept)) = (slope, intercept) else {
                return Err(format!("linear scale {index} lacks its slope or intercept"));
            };
            // (gain, offset) is what the later scales do to this one's output y = slope·x +
            // intercept: gain·(slope·x + intercept) + offset.
            offset += gain * intercept;
            gain *= slope;
            match get(index, "Linear_Input_Source").and_then(Prop::as_f64) {
                None => return Ok((gain, offset)),
                Some(s) if s == f64::from(u32::MAX) => return Ok((gain, offset)),
                Some(s) if s >= 0.0 && (s as u64) < index => index = s as u64,
                Some(s) => return Err(format!("scale {index} has input source {s}")),
            }
        }
        Err("the scale chain does not end at the raw data".into())
    }

    fn finish(
        mut self,
        version: u32,
        segments: u64,
        incomplete: bool,
    ) -> Result<Layout<TdmsMeta>, FormatError> {
        for s in self.select {
            let hits: Vec<&str> = self
                .channels
                .iter()
                .map(|a| self.objects[a.object].path.as_str())
                .filter(|p| *p == s || split_path(p).get(1) == Some(s))
                .collect();
            if hits.len() > 1 && !hits.contains(&s.as_str()) {
                return Err(FormatError::Channel(format!(
                    "channel name {s:?} is ambiguous: {}; give the path",
                    hits.join(", ")
                )));
            }
            if hits.is_empty() {
                let all: Vec<&str> = self
                    .objects
                    .iter()
                    .filter(|o| o.index.is_some())
                    .map(|o| o.path.as_str())
                    .collect();
                return Err(FormatError::Channel(format!(
                    "no channel {s:?} with numeric data; the file has {}",
                    all.join(", ")
                )));
            }
        }
        if self.channels.is_empty() {
            return Err(FormatError::Malformed(
                "the TDMS file holds no channel with numeric data".into(),
            ));
        }
        let samples = self.channels.iter().map(|a| a.samples).min().unwrap_or(0);
        if self.channels.iter().any(|a| a.samples != samples) {
            let lengths: Vec<String> = self
                .channels
                .iter()
                .map(|a| format!("{} {}", self.objects[a.object].path, a.samples))
                .collect();
            self.warnings.push(format!(
                "channels have different lengths ({}): all are cut to {samples}; select one \
                 channel to read all of it",
                lengths.join(", ")
            ));
        }
        let first = self.channels[0].object;
        let increment = |r: &Self, o| r.prop(o, "wf_increment").and_then(Prop::as_f64);
        let x_increment = increment(&self, first).filter(|d| *d > 0.0);
        let differing: Vec<String> = self
            .channels
            .iter()
            .filter(|a| increment(&self, a.object) != increment(&self, first))
            .map(|a| self.objects[a.object].path.clone())
            .collect();
        if !differing.is_empty() {
            self.warnings.push(format!(
                "{} have another wf_increment than {}: the x axis follows the latter",
                differing.join(", "),
                self.objects[first].path
            ));
        }
        let x_origin = self.prop(first, "wf_start_offset").and_then(Prop::as_f64);
        let start_time = match self.inherited(first, "wf_start_time") {
            Some(Prop::Time(t)) => Some(t.to_rfc3339()),
            _ => None,
        };
        let mut columns = Vec::new();
        let mut channels = Vec::new();
        let accs = std::mem::take(&mut self.channels);
        for acc in accs {
            let (gain, offset) = self.scaling(acc.object);
            let unit = match self.prop(acc.object, "unit_string") {
                Some(Prop::Str(u)) if !u.is_empty() => Some(u.clone()),
                _ => None,
            };
            let path = &self.objects[acc.object].path;
            let complex = acc.columns.len() == 2;
            for (k, mut col) in acc.columns.into_iter().enumerate() {
                col.truncate(samples);
                let name = match (complex, k) {
                    (false, _) => path.clone(),
                    (true, 0) => format!("{path}.I"),
                    (true, _) => format!("{path}.Q"),
                };
                channels.push(Channel {
                    unit: unit.clone(),
                    gain,
                    offset,
                    complex_i: complex && k == 0,
                    ..Channel::plain(name, columns.len())
                });
                columns.push(col);
            }
        }
        let properties = self
            .objects
            .iter()
            .flat_map(|o| {
                o.props
                    .iter()
                    .map(|(n, v)| (o.path.clone(), n.clone(), v.to_string()))
            })
            .take(MAX_INFO_ROWS)
            .collect();
        Ok(Layout {
            data_file: None,
            columns,
            channels,
            samples,
            x_increment,
            x_unit: XUnit::Seconds,
            x_origin,
            segments: Vec::new(),
            warnings: self.warnings,
            meta: TdmsMeta {
                version,
                segments,
                incomplete,
                start_time,
                properties,
                skipped_channels: self.skipped,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_with_quotes() {
        assert_eq!(split_path("/'Group'/'Chan 1'"), vec!["Group", "Chan 1"]);
        assert_eq!(split_path("/'it''s'"), vec!["it's"]);
        assert!(split_path("/").is_empty());
        assert_eq!(split_path("/'unterminated"), vec!["unterminated"]);
    }
}
