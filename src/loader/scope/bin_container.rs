//! The waveform container shared by Keysight/Agilent `AGxx` and Rigol `RGxx` `.bin` exports.
//!
//! Layout (Agilent 6000 / InfiniiVision 2000 manuals; Rigol MSO5000/7000/8000 and DHO
//! user guides, "Binary Data Format"), all little-endian:
//!
//! ```text
//! file header   "AG"|"RG", 2 ASCII version digits, file size (u32; u64 for version 03),
//!               number of waveforms (u32)
//! per waveform  waveform header (header_size bytes: 140, 128 on MSO7000/8000, 144 on some
//!               MSO5074 firmware), then n_buffers × (data header + buffer_size bytes)
//! data header   header size (u32), buffer type (u16), bytes per point (u16),
//!               buffer size (u32; u64 for version 03)
//! ```
//!
//! Waveform header fields: type, n_buffers, points, count, x display range (f32), x display
//! origin, x increment, x origin (f64), x units, y units (u32), date, time (16 chars),
//! frame "MODEL:SERIAL" (24), label (16), then from byte 128 a time tag (f64) and a segment
//! index (u32) when the header is at least 140 bytes long.
//!
//! Samples are already calibrated (float32 volts) or logic bytes, so a channel is a plain
//! contiguous run. The vendor modules differ only in their buffer-type tables, channel names
//! and the sign of x origin; they describe that with a [`Vendor`].

use crate::loader::layout::{Channel, Column, Layout, Run};
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::{ChannelMeta, RecordMeta, ScopeMeta};
use crate::loader::scope::{FormatError, checked};
use crate::loader::{Segment, XUnit};
use crate::sample::{DType, Endian};

/// Fields of the waveform header this parser reads; shorter headers are refused.
const MIN_WAVEFORM_HEADER: u32 = 128;
/// Header sizes beyond this are not a waveform header.
const MAX_WAVEFORM_HEADER: u32 = 4096;

/// What a buffer of a given type holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufferKind {
    /// Calibrated samples: normal, maximum or minimum of a peak-detect pair.
    Analog(&'static str),
    /// One byte per sample, one logic channel per bit.
    Logic,
    /// Histogram counts or time values: not samples of a time-domain trace.
    Other(&'static str),
}

/// How one vendor fills the shared container.
pub struct Vendor {
    /// Magic letters ("AG" or "RG").
    pub cookie: &'static [u8; 2],
    /// Format name for errors ("keysight-bin").
    pub format: &'static str,
    /// Human name for `info` ("Keysight .bin").
    pub title: &'static str,
    /// Container versions this vendor writes, e.g. "01, 03, 10".
    pub versions: &'static [&'static str],
    pub versions_text: &'static str,
    /// (buffer type, bytes per point) → what it holds (None = unknown type).
    pub buffer_kind: fn(u16, u16) -> Option<BufferKind>,
    /// +1 when x origin is the time of the first sample (Keysight), -1 when the file stores
    /// its negation (Rigol: positive pre-trigger time, see RigolWFM's DHO/MSO5000 notes).
    pub x_origin_sign: f64,
}

/// One data buffer of a waveform record.
#[derive(Debug, Clone, PartialEq)]
pub struct Buffer {
    pub buffer_type: u16,
    pub bytes_per_point: u16,
    pub data_offset: u64,
    pub size: u64,
}

/// One waveform header and its buffers.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub label: Option<String>,
    pub waveform_type: u32,
    pub points: u32,
    pub x_display_range: f64,
    pub x_display_origin: f64,
    pub x_increment: f64,
    pub x_origin: f64,
    pub x_units: u32,
    pub y_units: u32,
    pub date: Option<String>,
    pub time: Option<String>,
    pub frame: Option<String>,
    pub time_tag: f64,
    pub segment_index: u32,
    pub buffers: Vec<Buffer>,
}

/// All records of a file, with what had to be repaired on the way.
pub struct Container {
    pub version: String,
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
}

/// Parse every container in the file (some MSO5074 firmware writes one container per
/// channel, back to back, into the same file).
pub fn parse_containers(src: &Source, vendor: &Vendor) -> Result<Container, FormatError> {
    let mut offset = 0u64;
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut version = String::new();
    let mut containers = 0usize;
    while offset < src.size() {
        let (v, end) = parse_one(src, vendor, offset, &mut records, &mut warnings)?;
        if containers == 0 {
            version = v;
        }
        containers += 1;
        if end >= src.size() {
            break;
        }
        let next = src.fields_upto("bytes after the last waveform", end, 4)?;
        if next.bytes().get(..2) == Some(vendor.cookie.as_slice()) {
            offset = end;
            continue;
        }
        warnings.push(format!(
            "ignored: {} trailing byte(s) after the last waveform (offset {end})",
            src.size() - end
        ));
        break;
    }
    if containers > 1 {
        warnings.push(format!(
            "the file holds {containers} {} containers back to back; their waveforms are read in order",
            vendor.title
        ));
    }
    Ok(Container {
        version,
        records,
        warnings,
    })
}

/// Parse the container at `start`; returns its version and the offset just past it.
fn parse_one(
    src: &Source,
    vendor: &Vendor,
    start: u64,
    records: &mut Vec<Record>,
    warnings: &mut Vec<String>,
) -> Result<(String, u64), FormatError> {
    let head = src.fields("file header", start, 4)?;
    let magic = head.bytes();
    if magic.get(..2) != Some(vendor.cookie.as_slice()) {
        return Err(FormatError::WrongMagic {
            format: vendor.format,
            expected: if vendor.cookie == b"AG" { "AG" } else { "RG" },
            found: printable(magic),
        });
    }
    let version = String::from_utf8_lossy(magic.get(2..4).unwrap_or_default()).into_owned();
    if !vendor.versions.contains(&version.as_str()) {
        return Err(FormatError::Unknown {
            format: vendor.format,
            what: "container version",
            found: format!("{:?}", printable(magic)),
            known: vendor.versions_text,
        });
    }
    // Version 03 widens the file size and buffer sizes to 64 bits.
    let wide = version == "03";
    let file_header_len = if wide { 16 } else { 12 };
    let fh = src.fields("file header", start, file_header_len)?;
    let (declared_size, n_waveforms) = if wide {
        (fh.u64(4)?, fh.u32(12)?)
    } else {
        (u64::from(fh.u32(4)?), fh.u32(8)?)
    };
    let data_header_len: u64 = if wide { 16 } else { 12 };
    // Each waveform needs at least its header and one data header: a count that cannot fit
    // in the file (a lie, or a truncated file) is refused before anything is allocated.
    let least = u64::from(n_waveforms) * (u64::from(MIN_WAVEFORM_HEADER) + data_header_len);
    src.check(
        &format!("a file of {n_waveforms} waveforms"),
        start + file_header_len,
        least,
    )?;
    if n_waveforms == 0 {
        return Err(FormatError::bad(
            vendor.format,
            "number of waveforms",
            0,
            "a capture holds at least one",
        ));
    }
    let mut offset = start + file_header_len;
    // waveforms numbered across back-to-back containers, as they are read
    let first = records.len() as u32;
    for index in (0..n_waveforms).map(|k| first.saturating_add(k)) {
        let record = parse_record(src, vendor, index, &mut offset, data_header_len, warnings)?;
        records.push(record);
    }
    let actual = offset - start;
    if declared_size != actual {
        warnings.push(format!(
            "the file header at offset {start} declares {declared_size} bytes but its waveforms end after {actual}"
        ));
    }
    Ok((version, offset))
}

fn parse_record(
    src: &Source,
    vendor: &Vendor,
    index: u32,
    offset: &mut u64,
    data_header_len: u64,
    warnings: &mut Vec<String>,
) -> Result<Record, FormatError> {
    let what = format!("waveform {index} header");
    let header_size = src.fields(&what, *offset, 4)?.u32(0)?;
    if !(MIN_WAVEFORM_HEADER..=MAX_WAVEFORM_HEADER).contains(&header_size) {
        return Err(FormatError::bad(
            vendor.format,
            format!("waveform {index} header size"),
            header_size,
            format!("it must lie in {MIN_WAVEFORM_HEADER}..={MAX_WAVEFORM_HEADER}"),
        ));
    }
    let h = src.fields(&what, *offset, u64::from(header_size))?;
    let has_tag = header_size >= 140;
    let mut record = Record {
        waveform_type: h.u32(4)?,
        points: h.u32(12)?,
        x_display_range: f64::from(h.f32(20)?),
        x_display_origin: h.f64(24)?,
        x_increment: h.f64(32)?,
        x_origin: h.f64(40)?,
        x_units: h.u32(48)?,
        y_units: h.u32(52)?,
        date: h.text(56, 16)?,
        time: h.text(72, 16)?,
        frame: h.text(88, 24)?,
        label: h.text(112, 16)?,
        time_tag: if has_tag { h.f64(128)? } else { 0.0 },
        segment_index: if has_tag { h.u32(136)? } else { 0 },
        buffers: Vec::new(),
    };
    let n_buffers = h.u32(8)?;
    *offset += u64::from(header_size);
    if n_buffers == 0 {
        return Err(FormatError::bad(
            vendor.format,
            format!("waveform {index} buffer count"),
            0,
            "a waveform holds at least one buffer",
        ));
    }
    src.check(
        &format!("waveform {index}: {n_buffers} data headers"),
        *offset,
        u64::from(n_buffers) * data_header_len,
    )?;
    for b in 0..n_buffers {
        let what = format!("waveform {index} data header {b}");
        let d = src.fields(&what, *offset, data_header_len)?;
        let dh_size = d.u32(0)?;
        if u64::from(dh_size) < data_header_len || dh_size > MAX_WAVEFORM_HEADER {
            return Err(FormatError::bad(
                vendor.format,
                format!("waveform {index} data header size"),
                dh_size,
                format!("it must lie in {data_header_len}..={MAX_WAVEFORM_HEADER}"),
            ));
        }
        let buffer_type = d.u16(4)?;
        let bytes_per_point = d.u16(6)?;
        let declared = if data_header_len == 16 {
            d.u64(8)?
        } else {
            u64::from(d.u32(8)?)
        };
        let data_offset = *offset + u64::from(dh_size);
        let size = buffer_extent(
            src,
            vendor,
            &what,
            data_offset,
            declared,
            u64::from(record.points),
            warnings,
        )?;
        let bytes_per_point = if size == declared { bytes_per_point } else { 1 };
        record.buffers.push(Buffer {
            buffer_type,
            bytes_per_point,
            data_offset,
            size,
        });
        *offset = data_offset + size;
    }
    Ok(record)
}

/// The real size of a buffer. Normally the declared one; but some MSO5074 firmware declares
/// float32 (points × 4 bytes) and writes one ADC byte per point. That case is recognised
/// only when the declared size does not fit and exactly `points` bytes are followed by the
/// end of the file or by the next container.
fn buffer_extent(
    src: &Source,
    vendor: &Vendor,
    what: &str,
    data_offset: u64,
    declared: u64,
    points: u64,
    warnings: &mut Vec<String>,
) -> Result<u64, FormatError> {
    if src.check(what, data_offset, declared).is_ok() {
        return Ok(declared);
    }
    let byte_end = data_offset.saturating_add(points);
    let followed_by_container = byte_end < src.size()
        && src
            .fields_upto(what, byte_end, 2)
            .is_ok_and(|f| f.bytes() == vendor.cookie.as_slice());
    if points > 0 && points < declared && (byte_end == src.size() || followed_by_container) {
        warnings.push(format!(
            "{what} declares {declared} bytes for {points} points but holds {points}: read as unscaled 8-bit ADC codes"
        ));
        return Ok(points);
    }
    src.check(what, data_offset, declared)?;
    Ok(declared)
}

/// How one buffer becomes a stored column.
fn buffer_dtype(kind: BufferKind, bytes_per_point: u16) -> Option<DType> {
    match (kind, bytes_per_point) {
        (BufferKind::Analog(_), 4) => Some(DType::F32),
        (BufferKind::Analog(_), 1) | (BufferKind::Logic, 1) => Some(DType::U8),
        _ => None,
    }
}

fn unit_name(code: u32) -> Option<&'static str> {
    match code {
        1 => Some("V"),
        2 => Some("s"),
        3 => Some("constant"),
        4 => Some("A"),
        5 => Some("dB"),
        6 => Some("Hz"),
        _ => None,
    }
}

fn waveform_type_name(code: u32) -> String {
    match code {
        1 => "normal".into(),
        2 => "peak detect".into(),
        3 => "average".into(),
        4 => "horizontal histogram".into(),
        5 => "vertical histogram".into(),
        6 => "logic".into(),
        other => format!("type {other}"),
    }
}

/// A channel being assembled from one or more records (segments share a label).
struct Track {
    name: String,
    kind: BufferKind,
    dtype: DType,
    /// Buffer index inside each record, so min/max of peak detect stay apart.
    buffer: usize,
    label: Option<String>,
    runs: Vec<Run>,
    unit: Option<&'static str>,
    /// Logic pods: the first bit's number (0 for pod 1, 8 for pod 2).
    first_bit: u32,
}

/// Turn the records into a Layout: one column per buffer (several runs when segmented),
/// logic pods as 8 bit channels.
pub fn to_layout(
    container: Container,
    vendor: &Vendor,
    file_size: u64,
) -> Result<Layout<ScopeMeta>, FormatError> {
    let Container {
        version,
        records,
        mut warnings,
    } = container;
    let first = records
        .first()
        .ok_or_else(|| FormatError::bad(vendor.format, "number of waveforms", 0, "at least one"))?;
    let mut tracks = collect_tracks(&records, vendor, &mut warnings)?;
    let segments = segments_of(&tracks, &records, vendor)?;
    let samples = equalise(&mut tracks, &mut warnings);
    for r in &records {
        if !same(r.x_increment, first.x_increment) {
            warnings.push(format!(
                "waveform {:?} has x increment {} but the first has {}; the first is used",
                r.label, r.x_increment, first.x_increment
            ));
        }
    }
    let mut columns = Vec::new();
    let mut channels = Vec::new();
    let mut channel_meta = Vec::new();
    for track in tracks {
        let column = columns.len();
        columns.push(Column {
            dtype: track.dtype,
            endian: Endian::Little,
            runs: track.runs,
        });
        match track.kind {
            BufferKind::Logic => {
                for bit in 0..8u32 {
                    channels.push(Channel {
                        name: format!("D{}", track.first_bit + bit),
                        unit: None,
                        column,
                        bit: Some(bit),
                        gain: 1.0,
                        offset: 0.0,
                        complex_i: false,
                    });
                }
                channel_meta.push(ChannelMeta {
                    name: track.name,
                    stored: format!("u8 logic pod, bit n = D{}+n", track.first_bit),
                    ..ChannelMeta::default()
                });
            }
            _ => {
                let stored = if track.dtype == DType::F32 {
                    "f32 values as stored".to_string()
                } else {
                    format!("{} ADC codes, unscaled", track.dtype.short_name())
                };
                channels.push(Channel {
                    name: track.name.clone(),
                    unit: track.unit.map(str::to_string),
                    column,
                    bit: None,
                    gain: 1.0,
                    offset: 0.0,
                    complex_i: false,
                });
                channel_meta.push(ChannelMeta {
                    name: track.name,
                    unit: track.unit.map(str::to_string),
                    stored,
                    ..ChannelMeta::default()
                });
            }
        }
    }
    let x_increment = first.x_increment;
    // `+ 0.0` turns the -0.0 of a negated zero into 0.0.
    let x_origin = vendor.x_origin_sign * first.x_origin + 0.0;
    let x_unit = match first.x_units {
        2 => XUnit::Seconds,
        6 => XUnit::Hertz,
        other => XUnit::Other(unit_name(other).unwrap_or("unknown").to_string()),
    };
    let (model, serial) = split_frame(first.frame.as_deref());
    let per_segment = segments.first().map_or(samples, |s| s.samples);
    let meta = ScopeMeta {
        format: format!("{} ({}{version})", vendor.title, printable(vendor.cookie)),
        model,
        serial,
        date: join_date(first.date.as_deref(), first.time.as_deref()),
        acquisition: Some(waveform_type_name(first.waveform_type)),
        sample_rate: (x_increment > 0.0).then(|| 1.0 / x_increment),
        record_length: samples,
        screen_points: screen_points(first.x_display_range, x_increment, per_segment),
        time_per_div: (first.x_display_range > 0.0).then(|| first.x_display_range / 10.0),
        trigger_index: trigger_index(x_origin, x_increment, per_segment),
        channels: channel_meta,
        records: records.iter().map(|r| record_meta(r, vendor)).collect(),
        ..ScopeMeta::default()
    };
    checked(
        Layout {
            data_file: None,
            columns,
            channels,
            samples,
            x_increment: Some(x_increment),
            x_unit,
            x_origin: Some(x_origin),
            segments,
            warnings,
            meta,
        },
        file_size,
    )
}

/// One track per channel: records sharing a non-empty label (and buffer index) are the
/// segments of one channel; histogram/time buffers are skipped with a warning.
fn collect_tracks(
    records: &[Record],
    vendor: &Vendor,
    warnings: &mut Vec<String>,
) -> Result<Vec<Track>, FormatError> {
    let mut tracks: Vec<Track> = Vec::new();
    let mut pods = 0u32;
    let mut unnamed = 0usize;
    for (ri, record) in records.iter().enumerate() {
        let segmented_with = |t: &Track, bi: usize| {
            record.label.is_some() && t.label == record.label && t.buffer == bi
        };
        for (bi, buffer) in record.buffers.iter().enumerate() {
            let Some(kind) = (vendor.buffer_kind)(buffer.buffer_type, buffer.bytes_per_point)
            else {
                return Err(FormatError::Unknown {
                    format: vendor.format,
                    what: "buffer type",
                    found: format!("{} in waveform {ri}", buffer.buffer_type),
                    known: "1-3 analog float32, logic u8",
                });
            };
            if let BufferKind::Other(what) = kind {
                warnings.push(format!(
                    "waveform {ri} buffer {bi} holds {what}, not samples: skipped"
                ));
                continue;
            }
            let Some(dtype) = buffer_dtype(kind, buffer.bytes_per_point) else {
                return Err(FormatError::bad(
                    vendor.format,
                    format!("waveform {ri} bytes per point"),
                    buffer.bytes_per_point,
                    "analog buffers have 4 (float32) and logic buffers 1".to_string(),
                ));
            };
            let run = Run {
                offset: buffer.data_offset,
                samples: buffer.size / dtype.size() as u64,
                stride: dtype.size() as u64,
            };
            if run.samples != u64::from(record.points) {
                warnings.push(format!(
                    "waveform {ri} declares {} points but its buffer holds {}",
                    record.points, run.samples
                ));
            }
            if let Some(track) = tracks.iter_mut().find(|t| segmented_with(t, bi)) {
                track.runs.push(run);
                continue;
            }
            let (name, first_bit) = match kind {
                BufferKind::Logic => {
                    let pod = pod_number(record.label.as_deref()).unwrap_or(pods + 1);
                    pods += 1;
                    (format!("POD{pod}"), (pod.saturating_sub(1)) * 8)
                }
                BufferKind::Analog(part) => {
                    let base = match record.label.as_deref() {
                        Some(l) if l.bytes().all(|b| b.is_ascii_digit()) => format!("CH{l}"),
                        Some(l) => l.to_string(),
                        None => {
                            unnamed += 1;
                            format!("CH{unnamed}")
                        }
                    };
                    if part == "normal" || record.buffers.len() == 1 {
                        (base, 0)
                    } else {
                        (format!("{base}.{part}"), 0)
                    }
                }
                BufferKind::Other(_) => continue,
            };
            tracks.push(Track {
                name,
                kind,
                dtype,
                buffer: bi,
                label: record.label.clone(),
                runs: vec![run],
                unit: unit_name(record.y_units),
                first_bit,
            });
        }
    }
    if unnamed > 0 {
        warnings.push(format!(
            "{unnamed} waveform(s) have no label: named CH1.. in file order"
        ));
    }
    if tracks.is_empty() {
        return Err(FormatError::Unsupported {
            format: vendor.format,
            why: "no waveform in the file holds time-domain samples".into(),
        });
    }
    Ok(tracks)
}

/// Segments when a label repeats (Keysight segmented memory): from the first track's runs,
/// checked to be the same for every track.
fn segments_of(
    tracks: &[Track],
    records: &[Record],
    vendor: &Vendor,
) -> Result<Vec<Segment>, FormatError> {
    let Some(first) = tracks.first() else {
        return Ok(Vec::new());
    };
    if first.runs.len() < 2 {
        return Ok(Vec::new());
    }
    let lengths: Vec<u64> = first.runs.iter().map(|r| r.samples).collect();
    for t in tracks {
        let other: Vec<u64> = t.runs.iter().map(|r| r.samples).collect();
        if other != lengths {
            return Err(FormatError::Unsupported {
                format: vendor.format,
                why: format!(
                    "segmented capture whose channels differ: {} has segments of {:?} points, {} of {:?}",
                    first.name, lengths, t.name, other
                ),
            });
        }
    }
    let seg_records = records
        .iter()
        .filter(|r| r.label.is_some() && r.label == first.label);
    let t0 = records
        .iter()
        .find(|r| r.label == first.label)
        .map_or(0.0, |r| r.time_tag);
    let mut start = 0u64;
    Ok(seg_records
        .zip(&lengths)
        .map(|(r, &n)| {
            let s = Segment {
                first_sample: start,
                samples: n,
                time: Some(r.time_tag - t0),
                timestamp: join_date(r.date.as_deref(), r.time.as_deref()),
            };
            start += n;
            s
        })
        .collect())
}

/// All columns must hold the same number of samples: cut to the shortest, saying so.
fn equalise(tracks: &mut [Track], warnings: &mut Vec<String>) -> u64 {
    let totals: Vec<u64> = tracks
        .iter()
        .map(|t| t.runs.iter().map(|r| r.samples).sum())
        .collect();
    let shortest = totals.iter().copied().min().unwrap_or(0);
    for (track, total) in tracks.iter_mut().zip(&totals) {
        if *total > shortest && track.runs.len() == 1 {
            warnings.push(format!(
                "{} has {total} points, more than the shortest channel: cut to {shortest}",
                track.name
            ));
            if let Some(run) = track.runs.first_mut() {
                run.samples = shortest;
            }
        }
    }
    shortest
}

fn record_meta(r: &Record, vendor: &Vendor) -> RecordMeta {
    RecordMeta {
        label: r.label.clone().unwrap_or_default(),
        waveform_type: waveform_type_name(r.waveform_type),
        buffers: r
            .buffers
            .iter()
            .map(
                |b| match (vendor.buffer_kind)(b.buffer_type, b.bytes_per_point) {
                    Some(BufferKind::Analog(part)) => format!("{part}/{}B", b.bytes_per_point),
                    Some(BufferKind::Logic) => "logic/1B".to_string(),
                    Some(BufferKind::Other(what)) => what.to_string(),
                    None => format!("type {}", b.buffer_type),
                },
            )
            .collect(),
        points: u64::from(r.points),
        x_increment: r.x_increment,
        x_origin: vendor.x_origin_sign * r.x_origin,
        x_display_range: r.x_display_range,
        x_display_origin: r.x_display_origin,
        y_unit: unit_name(r.y_units).unwrap_or("unknown").to_string(),
        date: join_date(r.date.as_deref(), r.time.as_deref()),
        time_tag: r.time_tag,
        segment_index: r.segment_index,
    }
}

/// "POD2", "D15-D8" → 2; "POD1", "D7-D0" → 1.
fn pod_number(label: Option<&str>) -> Option<u32> {
    let l = label?.to_ascii_uppercase();
    if l.contains("POD2") || l.contains("D15") || l.starts_with("D8") {
        Some(2)
    } else if l.contains("POD1") || l.contains("D7") || l.starts_with("D0") {
        Some(1)
    } else {
        None
    }
}

/// "MSO7034A:MY12345678" → (model, serial).
fn split_frame(frame: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(frame) = frame else {
        return (None, None);
    };
    match frame.split_once(':') {
        Some((m, s)) => (nonempty(m), nonempty(s)),
        None => (nonempty(frame), None),
    }
}

fn nonempty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn join_date(date: Option<&str>, time: Option<&str>) -> Option<String> {
    match (date, time) {
        (Some(d), Some(t)) => Some(format!("{d} {t}")),
        (Some(d), None) => Some(d.to_string()),
        (None, Some(t)) => Some(t.to_string()),
        (None, None) => None,
    }
}

/// Points of the record inside the displayed window.
pub fn screen_points(display_span: f64, x_increment: f64, record: u64) -> Option<u64> {
    if display_span.is_nan() || x_increment.is_nan() || display_span <= 0.0 || x_increment <= 0.0 {
        return None;
    }
    let points = (display_span / x_increment).round();
    (points.is_finite() && points >= 1.0).then(|| (points as u64).min(record))
}

/// Index of the sample at x = 0 when it lies inside the record.
pub fn trigger_index(x_origin: f64, x_increment: f64, record: u64) -> Option<u64> {
    if x_increment.is_nan() || x_increment <= 0.0 {
        return None;
    }
    let index = (-x_origin / x_increment).round();
    (index >= 0.0 && index < record as f64).then_some(index as u64)
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("\\x{b:02x}")
            }
        })
        .collect()
}
