//! Tektronix reference waveform files, WFM#001, WFM#002 and WFM#003 (`.wfm`).
//!
//! Learned from Tektronix's "Reference Waveform File Format" as read by tektronix/tm_data_types
//! and RigolWFM's Kaitai descriptions. In file order: a byte-order mark (0x0F0F little-endian,
//! 0xF0F0 big-endian), the text `:WFM#00n`, the static file info, the waveform header, two
//! explicit (vertical) and two implicit (horizontal) dimensions each followed by its user
//! view, two time-base blocks, frame 0's update spec and curve object, N-1 more update specs
//! and curve objects for FastFrame, then the curve buffers (pre-charge, data, post-charge
//! for every frame), an 8-byte checksum and an optional `tekmeta!` key/value trailer.
//! WFM#001 lacks the summary-frame field; WFM#003 stores the user views' point density as an
//! f64 instead of a u32.
//!
//! Scale: value = code × scale + offset (explicit dimension 1). Time of sample i of a frame is
//! offset + (i + tt_offset) × scale (implicit dimension 1; tt_offset is where the trigger falls
//! within a sample), which is what the scope's own CSV export of the same record prints.

use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use super::scope::FormatError;
use super::scope::describe::{affine, push_some, si};
use super::scope::read::{self, Fields, ReadAt};
use super::{Segment, XUnit};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::path::Path;
use thiserror::Error;

pub const NAME: &str = "tek-wfm";

crate::loader::layout::layout_format! {
    /// The loader's handle on this format.
    TekWfm, NAME, magic: sniff, extension: |e| e == "wfm", parse: parse
}

#[derive(Debug, Error)]
pub enum TekWfmError {
    #[error("not a Tektronix WFM file: byte-order mark {0:02X?} is neither 0F0F nor F0F0")]
    ByteOrder([u8; 2]),
    #[error("not a Tektronix WFM file: the version text is {0:?}, expected \":WFM#00n\"")]
    NotWfm(String),
    #[error("unsupported Tektronix WFM version {0} (WFM#001, WFM#002 and WFM#003 are read)")]
    Version(String),
    #[error("curve format code {code} is unknown in WFM#00{version}")]
    CurveFormat { code: i32, version: u8 },
    #[error("the header says {bpp} bytes per point but the curve format is {dtype} ({} bytes)", dtype.size())]
    BytesPerPoint { bpp: u8, dtype: DType },
    #[error("unsupported record: {0}")]
    Unsupported(String),
    #[error(
        "inconsistent curve offsets: pre-charge {pre}, data {data}, post-charge {post}, stop {stop} \
         (bytes; they must increase and hold whole points of {bpp} bytes)"
    )]
    CurveOffsets {
        pre: u32,
        data: u32,
        post: u32,
        stop: u32,
        bpp: u8,
    },
    #[error("FastFrame frame {frame} has curve offsets {got:?}, frame 0 has {first:?}")]
    FrameLayout {
        frame: u64,
        got: [u32; 3],
        first: [u32; 3],
    },
    #[error("the curve buffer offset {curve} lies inside the {header}-byte header")]
    CurveInsideHeader { curve: u64, header: u64 },
    #[error("IQ record has an odd number of values per frame ({0})")]
    OddIq(u64),
}

/// What kind of record the curve holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Analog,
    /// Each bit of a code is one logic channel.
    Digital,
    /// Interleaved I, Q codes.
    Iq,
}

/// One value of the `tekmeta!` trailer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TekMetaValue {
    Text(String),
    Int(i64),
    Float(f64),
}

impl std::fmt::Display for TekMetaValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TekMetaValue::Text(s) => f.write_str(s),
            TekMetaValue::Int(i) => write!(f, "{i}"),
            TekMetaValue::Float(x) => write!(f, "{x}"),
        }
    }
}

/// What `info` shows for a WFM file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TekWfmMeta {
    pub version: String,
    pub byte_order: &'static str,
    pub label: String,
    pub record: RecordKind,
    pub curve_format: String,
    pub frames: u64,
    /// Points per frame shown to the user (pre/post-charge excluded).
    pub record_length: u64,
    pub precharge_points: u64,
    pub postcharge_points: u64,
    pub y_unit: String,
    /// value = code × y_scale + y_offset
    pub y_scale: f64,
    pub y_offset: f64,
    /// The scope's vertical setting, units per division, and the display offset.
    pub vertical_scale: f64,
    pub vertical_offset: f64,
    pub x_unit: String,
    pub sample_interval: f64,
    pub horizontal_scale: f64,
    pub trigger_position_percent: f64,
    pub trigger_delay: f64,
    pub acquisition: String,
    /// Frame 0's trigger time, UTC, when the file records one.
    pub trigger_time: Option<String>,
    pub summary_frame: Option<String>,
    pub tekmeta: Vec<(String, TekMetaValue)>,
}

impl VendorMeta for TekWfmMeta {
    /// `IQ_centerFrequency` of the `tekmeta!` trailer (IQ records).
    fn center_frequency(&self) -> Option<f64> {
        self.tekmeta
            .iter()
            .find(|(k, _)| k == "IQ_centerFrequency")
            .and_then(|(_, v)| match v {
                TekMetaValue::Float(f) => Some(*f),
                TekMetaValue::Int(i) => Some(*i as f64),
                TekMetaValue::Text(t) => t.trim().parse().ok(),
            })
    }

    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![(
            "Format".to_string(),
            format!("Tektronix {} ({}-endian)", self.version, self.byte_order),
        )];
        push_some(&mut rows, "Label", Some(self.label.clone()));
        let record = match self.record {
            RecordKind::Analog => format!("analog, {} codes", self.curve_format),
            RecordKind::Digital => format!("digital, {} bit lanes", self.curve_format),
            RecordKind::Iq => format!("IQ, interleaved {} I/Q codes", self.curve_format),
        };
        rows.push(("Record".into(), record));
        let mut length = format!("{} points", self.record_length);
        if self.precharge_points + self.postcharge_points > 0 {
            length += &format!(
                " (pre/post-charge of {}/{} points left out)",
                self.precharge_points, self.postcharge_points
            );
        }
        rows.push(("Record length".into(), length));
        if self.frames > 1 {
            rows.push(("Frames".into(), format!("{} (FastFrame)", self.frames)));
        }
        push_some(&mut rows, "Summary frame", self.summary_frame.clone());
        if self.record != RecordKind::Digital {
            let unit = &self.y_unit;
            rows.push((
                "Vertical scale".into(),
                si(self.vertical_scale, &format!("{unit}/div"), 4),
            ));
            rows.push(("Vertical offset".into(), si(self.vertical_offset, unit, 4)));
            rows.push((
                "Conversion".into(),
                affine(self.y_scale, self.y_offset, unit),
            ));
        }
        rows.push((
            "Sample interval".into(),
            si(self.sample_interval, &self.x_unit, 6),
        ));
        rows.push((
            "Horizontal scale".into(),
            si(self.horizontal_scale, &format!("{}/div", self.x_unit), 4),
        ));
        rows.push((
            "Trigger position".into(),
            format!(
                "{} % of the record",
                si(self.trigger_position_percent, "", 6)
            ),
        ));
        rows.push(("Acquisition".into(), self.acquisition.clone()));
        push_some(&mut rows, "Trigger time", self.trigger_time.clone());
        for (key, value) in &self.tekmeta {
            push_some(
                &mut rows,
                &format!("tekmeta {key}"),
                Some(value.to_string()),
            );
        }
        rows
    }
}

/// True for the byte-order mark followed by `:WFM#`.
pub fn sniff(head: &[u8], _extension: &str) -> bool {
    matches!(
        head.get(..7),
        Some([0x0f, 0x0f, b':', b'W', b'F', b'M', b'#'])
    ) || matches!(
        head.get(..7),
        Some([0xf0, 0xf0, b':', b'W', b'F', b'M', b'#'])
    )
}

/// Parse the header of the WFM file `file` of `size` bytes at `path`.
pub fn parse(
    file: &std::fs::File,
    path: &Path,
    size: u64,
) -> Result<Layout<TekWfmMeta>, FormatError> {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "wfm".into());
    parse_from(file, size, &name)
}

/// [`parse`] on any positioned reader; `name` names an analog channel whose file has no label.
pub fn parse_from(
    src: &(impl ReadAt + ?Sized),
    size: u64,
    name: &str,
) -> Result<Layout<TekWfmMeta>, FormatError> {
    let start = read::read_block(src, size, 0, 10, "WFM byte-order mark and version")?;
    let endian = match [start[0], start[1]] {
        [0x0f, 0x0f] => Endian::Little,
        [0xf0, 0xf0] => Endian::Big,
        other => return Err(TekWfmError::ByteOrder(other).into()),
    };
    let version_text = read::c_text(&start[2..10]);
    let version = match version_text.strip_prefix(":WFM#") {
        Some("001") => 1,
        Some("002") => 2,
        Some("003") => 3,
        Some(other) => return Err(TekWfmError::Version(format!("WFM#{other}")).into()),
        None => return Err(TekWfmError::NotWfm(version_text).into()),
    };
    let at = Offsets::of(version);
    let head = read::read_block(src, size, 0, at.end as u64, "WFM header")?;
    let h = Header::read(&Fields::new(&head, endian), &at, version)?;
    let curve = CurveGeometry::new(&h, &at, src, size, endian)?;
    let tekmeta = read_tekmeta(src, size, curve.end.saturating_add(8), endian);
    let kind = record_kind(&h, &tekmeta.entries)?;
    build_layout(&h, &curve, kind, tekmeta, endian, version, name)
}

/// Byte offsets of the header blocks, which depend on the version.
struct Offsets {
    explicit: usize,
    implicit: usize,
    point_density_len: usize,
    time_base: usize,
    update: usize,
    curve: usize,
    end: usize,
}

/// A frame's update spec and curve object are 24 and 30 bytes.
const UPDATE_LEN: usize = 24;
const CURVE_LEN: usize = 30;
/// User view: scale f64, units [20], offset f64, point density, h-ref f64, trigger delay f64.
const USER_VIEW_FIXED: usize = 52;

impl Offsets {
    fn of(version: u8) -> Offsets {
        let explicit = if version == 1 { 166 } else { 168 };
        let point_density_len = if version == 3 { 8 } else { 4 };
        let explicit_len = 100 + USER_VIEW_FIXED + point_density_len;
        let implicit_len = 76 + USER_VIEW_FIXED + point_density_len;
        let implicit = explicit + 2 * explicit_len;
        let time_base = implicit + 2 * implicit_len;
        let update = time_base + 24;
        let curve = update + UPDATE_LEN;
        Offsets {
            explicit,
            implicit,
            point_density_len,
            time_base,
            update,
            curve,
            end: curve + CURVE_LEN,
        }
    }
}

/// One dimension with its user view.
struct Dimension {
    scale: f64,
    offset: f64,
    size: u32,
    units: String,
    /// Explicit: curve format code. Implicit: point spacing.
    code: i32,
    /// Explicit: storage type.
    storage: i32,
    user_scale: f64,
    user_offset: f64,
    href: f64,
    trigger_delay: f64,
}

impl Dimension {
    fn read(
        f: &Fields,
        at: usize,
        body_len: usize,
        density: usize,
    ) -> Result<Dimension, FormatError> {
        let view = at + body_len;
        Ok(Dimension {
            scale: f.f64(at)?,
            offset: f.f64(at + 8)?,
            size: f.u32(at + 16)?,
            units: f.text(at + 20, 20)?,
            code: f.i32(at + 72)?,
            storage: if body_len == 100 { f.i32(at + 76)? } else { 0 },
            user_scale: f.f64(view)?,
            user_offset: f.f64(view + 28)?,
            href: f.f64(view + 36 + density)?,
            trigger_delay: f.f64(view + 44 + density)?,
        })
    }
}

/// Frame timing: sub-sample trigger offset and the trigger's time of day.
#[derive(Clone, Copy)]
struct UpdateSpec {
    tt_offset: f64,
    fraction: f64,
    gmt_seconds: i32,
}

impl UpdateSpec {
    fn read(f: &Fields, at: usize) -> Result<UpdateSpec, FormatError> {
        Ok(UpdateSpec {
            tt_offset: f.f64(at + 4)?,
            fraction: f.f64(at + 12)?,
            gmt_seconds: f.i32(at + 20)?,
        })
    }
}

/// Byte offsets of a frame's parts from the start of its curve buffer.
#[derive(Clone, Copy, PartialEq)]
struct CurveObject {
    precharge: u32,
    data: u32,
    postcharge: u32,
    stop: u32,
}

impl CurveObject {
    fn read(f: &Fields, at: usize) -> Result<CurveObject, FormatError> {
        Ok(CurveObject {
            precharge: f.u32(at + 10)?,
            data: f.u32(at + 14)?,
            postcharge: f.u32(at + 18)?,
            stop: f.u32(at + 22)?,
        })
    }

    fn parts(self) -> [u32; 3] {
        [self.data, self.postcharge, self.stop]
    }
}

struct Header {
    bytes_per_point: u8,
    curve_offset: u64,
    label: String,
    extra_frames: u32,
    data_type: i32,
    summary_frame: u16,
    explicit: Dimension,
    implicit: Dimension,
    sweep: i32,
    base: i32,
    update: UpdateSpec,
    curve: CurveObject,
    dtype: DType,
}

impl Header {
    fn read(f: &Fields, at: &Offsets, version: u8) -> Result<Header, FormatError> {
        let explicit = Dimension::read(f, at.explicit, 100, at.point_density_len)?;
        let implicit = Dimension::read(f, at.implicit, 76, at.point_density_len)?;
        let dtype = curve_dtype(explicit.code, version)?;
        let bytes_per_point = f.u8(15)?;
        if usize::from(bytes_per_point) != dtype.size() {
            return Err(TekWfmError::BytesPerPoint {
                bpp: bytes_per_point,
                dtype,
            }
            .into());
        }
        Ok(Header {
            bytes_per_point,
            curve_offset: u64::from(f.u32(16)?),
            label: f.text(40, 32)?,
            extra_frames: f.u32(72)?,
            data_type: f.i32(122)?,
            summary_frame: if version == 1 { 0 } else { f.u16(154)? },
            explicit,
            implicit,
            sweep: f.i32(at.time_base + 4)?,
            base: f.i32(at.time_base + 8)?,
            update: UpdateSpec::read(f, at.update)?,
            curve: CurveObject::read(f, at.curve)?,
            dtype,
        })
    }
}

/// The stored type of a curve format code. WFM#003 added the one-byte formats 6 and 7.
fn curve_dtype(code: i32, version: u8) -> Result<DType, TekWfmError> {
    Ok(match (code, version) {
        (0, _) => DType::I16,
        (1, _) => DType::I32,
        (2, _) => DType::U32,
        (3, _) => DType::U64,
        (4, _) => DType::F32,
        (5, _) => DType::F64,
        (6, 3) => DType::U8,
        (7, 3) => DType::I8,
        _ => return Err(TekWfmError::CurveFormat { code, version }),
    })
}

/// Where the frames' curves lie, checked against the file size.
struct CurveGeometry {
    frames: u64,
    /// Bytes from one frame's curve buffer to the next.
    stride: u64,
    /// Values per frame (pre/post-charge excluded).
    values: u64,
    updates: Vec<UpdateSpec>,
    /// First byte after the last frame.
    end: u64,
}

impl CurveGeometry {
    fn new(
        h: &Header,
        at: &Offsets,
        src: &(impl ReadAt + ?Sized),
        size: u64,
        endian: Endian,
    ) -> Result<CurveGeometry, FormatError> {
        let c = h.curve;
        let bpp = u32::from(h.bytes_per_point);
        let ordered = c.precharge <= c.data && c.data <= c.postcharge && c.postcharge <= c.stop;
        if !ordered
            || !(c.data - c.precharge).is_multiple_of(bpp)
            || !(c.postcharge - c.data).is_multiple_of(bpp)
        {
            return Err(TekWfmError::CurveOffsets {
                pre: c.precharge,
                data: c.data,
                post: c.postcharge,
                stop: c.stop,
                bpp: h.bytes_per_point,
            }
            .into());
        }
        let extra = read::count(
            "FastFrame frame count",
            i64::from(h.extra_frames),
            read::MAX_SEGMENTS - 1,
        )?;
        let frames = extra + 1;
        // The extra frames' update specs, then their curve objects, precede the curves.
        let table_len = extra * (UPDATE_LEN + CURVE_LEN) as u64;
        let header_end = at.end as u64 + table_len;
        read::check_inside(Some(header_end), size, "the FastFrame frame table")?;
        if h.curve_offset < header_end {
            return Err(TekWfmError::CurveInsideHeader {
                curve: h.curve_offset,
                header: header_end,
            }
            .into());
        }
        let mut updates = vec![h.update];
        if extra > 0 {
            let table = read::read_block(src, size, at.end as u64, table_len, "FastFrame table")?;
            let f = Fields::new(&table, endian);
            let curves_at = extra as usize * UPDATE_LEN;
            for k in 0..extra as usize {
                updates.push(UpdateSpec::read(&f, k * UPDATE_LEN)?);
                // Scopes leave the extra frames' curve objects zeroed: they share frame 0's.
                let other = CurveObject::read(&f, curves_at + k * CURVE_LEN)?;
                if other.parts() != [0, 0, 0] && other.parts() != c.parts() {
                    return Err(TekWfmError::FrameLayout {
                        frame: k as u64 + 1,
                        got: other.parts(),
                        first: c.parts(),
                    }
                    .into());
                }
            }
        }
        let stride = u64::from(c.stop);
        let end = frames
            .checked_mul(stride)
            .and_then(|b| b.checked_add(h.curve_offset));
        let what = format!("the curve buffer ({frames} frame(s) of {stride} bytes)");
        let end = read::check_inside(end, size, &what)?;
        Ok(CurveGeometry {
            frames,
            stride,
            values: u64::from((c.postcharge - c.data) / bpp),
            updates,
            end,
        })
    }
}

type TekMetaEntries = Vec<(String, TekMetaValue)>;

/// The `tekmeta!` trailer, if present; a malformed one is reported, not fatal.
struct TekMeta {
    entries: TekMetaEntries,
    warning: Option<String>,
}

/// Longest `tekmeta!` trailer read; real ones are a few hundred bytes.
const MAX_TEKMETA: u64 = 64 << 10;

fn read_tekmeta(src: &(impl ReadAt + ?Sized), size: u64, at: u64, endian: Endian) -> TekMeta {
    let len = size.saturating_sub(at).min(MAX_TEKMETA);
    let bytes = read::read_block(src, size, at, len, "tekmeta").unwrap_or_default();
    if !bytes.starts_with(b"tekmeta!") {
        return TekMeta {
            entries: Vec::new(),
            warning: None,
        };
    }
    let (entries, complete) = parse_tekmeta(&bytes, endian);
    TekMeta {
        entries,
        warning: (!complete)
            .then(|| "the tekmeta! trailer is malformed; its rest was ignored".to_string()),
    }
}

/// Entries of a `tekmeta!` block: count, then (key length, key, type, value) each; false
/// when the block stopped making sense before its count was reached.
fn parse_tekmeta(bytes: &[u8], endian: Endian) -> (TekMetaEntries, bool) {
    let f = Fields::new(bytes, endian);
    let mut entries = Vec::new();
    let Ok(count) = f.u32(8) else {
        return (entries, false);
    };
    let mut pos = 12usize;
    for _ in 0..count {
        let Some((key, value, next)) = tekmeta_entry(&f, bytes, pos) else {
            return (entries, false);
        };
        entries.push((key, value));
        pos = next;
    }
    (entries, true)
}

fn tekmeta_entry(f: &Fields, bytes: &[u8], pos: usize) -> Option<(String, TekMetaValue, usize)> {
    let key_len = f.u32(pos).ok()? as usize;
    let key_end = pos.checked_add(4)?.checked_add(key_len)?;
    let key = String::from_utf8_lossy(bytes.get(pos + 4..key_end)?).into_owned();
    let kind = *bytes.get(key_end)?;
    let at = key_end + 1;
    let (value, next) = match kind {
        1 => {
            let len = f.u32(at).ok()? as usize;
            let end = at.checked_add(4)?.checked_add(len)?;
            let text = String::from_utf8_lossy(bytes.get(at + 4..end)?).into_owned();
            (TekMetaValue::Text(text), end)
        }
        2 => (TekMetaValue::Int(f.i32(at).ok()?.into()), at + 4),
        3 => (TekMetaValue::Float(f.f64(at).ok()?), at + 8),
        4 => (TekMetaValue::Int(f.u32(at).ok()?.into()), at + 4),
        _ => return None,
    };
    Some((key, value, next))
}

fn record_kind(h: &Header, tekmeta: &TekMetaEntries) -> Result<RecordKind, TekWfmError> {
    const DATA_TYPES: [&str; 7] = [
        "scalar measurement",
        "scalar constant",
        "vector",
        "pixel map",
        "invalid",
        "waveform database",
        "digital",
    ];
    const STORAGE: [&str; 7] = [
        "sample",
        "min/max",
        "vertical histogram",
        "horizontal histogram",
        "row order",
        "column order",
        "invalid",
    ];
    fn name(names: &[&'static str], code: i32) -> &'static str {
        usize::try_from(code)
            .ok()
            .and_then(|i| names.get(i).copied())
            .unwrap_or("unknown")
    }
    let is_iq = tekmeta.iter().any(|(k, _)| k.starts_with("IQ_"));
    match (h.data_type, h.explicit.storage) {
        (6, 0) if !h.dtype.is_float() => Ok(RecordKind::Digital),
        (2, 0) => Ok(RecordKind::Analog),
        (2, 1) if is_iq => Ok(RecordKind::Iq),
        (2, storage) => Err(TekWfmError::Unsupported(format!(
            "{} storage (code {storage}) of a vector record",
            name(&STORAGE, storage)
        ))),
        (6, _) => Err(TekWfmError::Unsupported(format!(
            "digital record stored as {}",
            h.dtype
        ))),
        (data_type, _) => Err(TekWfmError::Unsupported(format!(
            "{} data (data type code {data_type}); only vector and digital records hold waveforms",
            name(&DATA_TYPES, data_type)
        ))),
    }
}

fn build_layout(
    h: &Header,
    curve: &CurveGeometry,
    kind: RecordKind,
    tekmeta: TekMeta,
    endian: Endian,
    version: u8,
    name: &str,
) -> Result<Layout<TekWfmMeta>, FormatError> {
    let bpp = u64::from(h.bytes_per_point);
    let data_at = h.curve_offset + u64::from(h.curve.data);
    let frame_run = |k: u64, first: u64, samples: u64, stride: u64| Run {
        offset: data_at + k * curve.stride + first,
        samples,
        stride,
    };
    let mut warnings: Vec<String> = tekmeta.warning.into_iter().collect();
    let unit = Some(h.explicit.units.clone()).filter(|u| !u.is_empty());
    let analog = |name: String, column: usize, complex_i: bool| Channel {
        name,
        unit: unit.clone(),
        column,
        bit: None,
        gain: h.explicit.scale,
        offset: h.explicit.offset,
        complex_i,
    };
    let (per_frame, columns, channels) = match kind {
        RecordKind::Analog => {
            let runs = (0..curve.frames)
                .map(|k| frame_run(k, 0, curve.values, bpp))
                .collect();
            let label = if h.label.is_empty() { name } else { &h.label };
            let column = Column {
                dtype: h.dtype,
                endian,
                runs,
            };
            (
                curve.values,
                vec![column],
                vec![analog(label.to_string(), 0, false)],
            )
        }
        RecordKind::Iq => {
            if !curve.values.is_multiple_of(2) {
                return Err(TekWfmError::OddIq(curve.values).into());
            }
            let pairs = curve.values / 2;
            let column = |part: u64| Column {
                dtype: h.dtype,
                endian,
                runs: (0..curve.frames)
                    .map(|k| frame_run(k, part * bpp, pairs, 2 * bpp))
                    .collect(),
            };
            (
                pairs,
                vec![column(0), column(1)],
                vec![analog("I".into(), 0, true), analog("Q".into(), 1, false)],
            )
        }
        RecordKind::Digital => {
            // Bits are taken from the raw code, so the column is read unsigned.
            let dtype = match h.dtype {
                DType::I8 | DType::U8 => DType::U8,
                DType::I16 | DType::U16 => DType::U16,
                DType::I32 | DType::U32 => DType::U32,
                _ => DType::U64,
            };
            let runs = (0..curve.frames)
                .map(|k| frame_run(k, 0, curve.values, bpp))
                .collect();
            let lanes = (0..8 * h.bytes_per_point as u32)
                .map(|bit| Channel {
                    name: format!("D{bit}"),
                    unit: None,
                    column: 0,
                    bit: Some(bit),
                    gain: 1.0,
                    offset: 0.0,
                    complex_i: false,
                })
                .collect();
            (
                curve.values,
                vec![Column {
                    dtype,
                    endian,
                    runs,
                }],
                lanes,
            )
        }
    };
    // The implicit dimension counts stored values; an IQ pair is two of them.
    let values_per_sample = if kind == RecordKind::Iq { 2.0 } else { 1.0 };
    let x_increment =
        Some(h.implicit.scale * values_per_sample).filter(|x| x.is_finite() && *x > 0.0);
    if x_increment.is_none() {
        warnings.push(format!(
            "the sample interval {} is not a positive number; no time axis",
            h.implicit.scale
        ));
    }
    if u64::from(h.implicit.size) != curve.values {
        warnings.push(format!(
            "the horizontal dimension says {} points but each frame's curve holds {}",
            h.implicit.size, curve.values
        ));
    }
    let x_origin = h.implicit.offset + h.update.tt_offset * h.implicit.scale;
    let segments = if curve.frames > 1 {
        frame_segments(&curve.updates, per_frame)
    } else {
        Vec::new()
    };
    let summary_frame = match h.summary_frame {
        0 => None,
        1 => Some("average (the last frame)".to_string()),
        2 => Some("envelope (the last frame)".to_string()),
        other => Some(format!("unknown type {other}")),
    };
    let first = h.update;
    let meta = TekWfmMeta {
        version: format!("WFM#00{version}"),
        byte_order: endian.name(),
        label: h.label.clone(),
        record: kind,
        curve_format: h.dtype.to_string(),
        frames: curve.frames,
        record_length: per_frame,
        precharge_points: u64::from(h.curve.data - h.curve.precharge) / bpp,
        postcharge_points: u64::from(h.curve.stop - h.curve.postcharge) / bpp,
        y_unit: h.explicit.units.clone(),
        y_scale: h.explicit.scale,
        y_offset: h.explicit.offset,
        vertical_scale: h.explicit.user_scale,
        vertical_offset: h.explicit.user_offset,
        x_unit: h.implicit.units.clone(),
        sample_interval: h.implicit.scale * values_per_sample,
        horizontal_scale: h.implicit.user_scale,
        trigger_position_percent: h.implicit.href,
        trigger_delay: h.implicit.trigger_delay,
        acquisition: acquisition_name(h.sweep, h.base),
        trigger_time: (first.gmt_seconds != 0)
            .then(|| read::utc_timestamp(first.gmt_seconds.into(), first.fraction))
            .flatten(),
        summary_frame,
        tekmeta: tekmeta.entries,
    };
    Ok(Layout {
        data_file: None,
        columns,
        channels,
        samples: per_frame * curve.frames,
        x_increment,
        x_unit: XUnit::from_name(&h.implicit.units),
        x_origin: Some(x_origin).filter(|x| x.is_finite()),
        segments,
        warnings,
        meta,
    })
}

fn frame_segments(updates: &[UpdateSpec], per_frame: u64) -> Vec<Segment> {
    let first = updates.first().copied();
    updates
        .iter()
        .enumerate()
        .map(|(k, u)| Segment {
            first_sample: k as u64 * per_frame,
            samples: per_frame,
            time: first.map(|f| {
                f64::from(u.gmt_seconds) - f64::from(f.gmt_seconds) + (u.fraction - f.fraction)
            }),
            timestamp: read::utc_timestamp(u.gmt_seconds.into(), u.fraction),
        })
        .collect()
}

fn acquisition_name(sweep: i32, base: i32) -> String {
    let sweep = match sweep {
        0 => "roll",
        1 => "sample",
        2 => "equivalent time",
        _ => "unknown",
    };
    let base = match base {
        0 => "time",
        1 => "spectral magnitude",
        2 => "spectral phase",
        _ => "unknown",
    };
    format!("{sweep} mode, {base} base")
}
