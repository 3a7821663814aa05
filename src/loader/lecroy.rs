//! Teledyne LeCroy waveform files (`.trc`, `.000`): the WAVEDESC descriptor of template
//! LECROY_2_3 (346 bytes) or LECROY_1_0 (320 bytes), then USERTEXT, the TRIGTIME array
//! (sequence acquisitions), the RIS_TIME array (2_3 only) and WAVE_ARRAY_1.
//!
//! Learned from the LECROY_2_3 template text (the scope's answer to `TMPL?`), RigolWFM's
//! lecroy .ksy files and lecroyparser. A file saved over the remote interface starts with the
//! SCPI block header `#9<nine digits>` (sometimes after the `C1:WF ALL,` reply header).
//! COMM_ORDER (offset 34) gives the byte order, COMM_TYPE (32) byte or word samples.
//! Value = VERTICAL_GAIN × code − VERTICAL_OFFSET; time of point i = HORIZ_OFFSET + i ×
//! HORIZ_INTERVAL (per segment, TRIGTIME's offset instead of HORIZ_OFFSET).
//! For LECROY_1_0 RigolWFM subtracts ACQ_VERT_OFFSET instead; this reader keeps the
//! VERTICAL_OFFSET of the 2_3 template because only it puts the stored trigger level inside
//! the signal of the one 1_0 capture at hand (see REPORT.md).

use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use super::scope::FormatError;
use super::scope::describe::{affine, push_some, si};
use super::scope::read::{self, Fields, ReadAt};
use super::{Segment, XUnit};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::path::Path;
use thiserror::Error;

pub const NAME: &str = "lecroy-trc";

/// The loader's handle on this format.
pub struct Lecroy;

impl crate::loader::Format for Lecroy {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(sniff(head, extension), extension == "trc")
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        crate::loader::layout::open_with(input, NAME, parse)
    }
}

/// WAVEDESC must start within this many bytes (SCPI reply header plus block header).
const SEARCH: u64 = 64;
/// Longest USERTEXT shown (the template allows 160 bytes).
const MAX_USER_TEXT: u64 = 4096;

#[derive(Debug, Error)]
pub enum LecroyError {
    #[error("no WAVEDESC descriptor in the first {0} bytes")]
    NoWavedesc(u64),
    #[error("unsupported LeCroy template {0:?} (LECROY_2_3 and LECROY_1_0 are read)")]
    Template(String),
    #[error("COMM_ORDER bytes {0:02X?} are neither HIFIRST (00 00) nor LOFIRST (01 00)")]
    CommOrder([u8; 2]),
    #[error("COMM_TYPE {0} is neither 0 (byte) nor 1 (word)")]
    CommType(u16),
    #[error("WAVE_DESCRIPTOR says the descriptor has {got} bytes; {template} needs {need}")]
    DescriptorLength {
        got: u64,
        need: u64,
        template: &'static str,
    },
    #[error(
        "WAVE_ARRAY_1 holds {bytes} bytes but WAVE_ARRAY_COUNT {count} points of {width} byte(s) need {need}"
    )]
    ArrayTooShort {
        bytes: u64,
        count: u64,
        width: u64,
        need: u64,
    },
    #[error("sequence of {segments} segments: {why}")]
    Sequence { segments: u64, why: String },
    #[error("unsupported record: {0}")]
    Unsupported(String),
}

/// What `info` shows for a LeCroy file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LecroyMeta {
    pub template: String,
    pub byte_order: &'static str,
    pub instrument: String,
    pub serial: i64,
    pub trace_label: String,
    pub source: String,
    pub coupling: String,
    pub probe_attenuation: f64,
    /// The scope's V/div setting (FIXED_VERT_GAIN) and its vernier factor.
    pub volts_per_div: Option<f64>,
    pub vertical_vernier: f64,
    pub bandwidth_limit: bool,
    /// value = code × vertical_gain − vertical_offset
    pub vertical_gain: f64,
    pub vertical_offset: f64,
    pub acq_vert_offset: f64,
    pub nominal_bits: i64,
    pub sample_type: String,
    pub record_type: String,
    pub processing: String,
    pub sweeps_per_acquisition: i64,
    pub points: u64,
    pub segments: u64,
    pub y_unit: String,
    pub x_unit: String,
    pub horiz_interval: f64,
    pub horiz_offset: f64,
    /// Seconds per division, None for an external clock or an unknown code.
    pub time_per_div: Option<f64>,
    pub trigger_time: Option<String>,
    pub acquisition_duration: f64,
    pub user_text: String,
}

impl VendorMeta for LecroyMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![(
            "Format".to_string(),
            format!("LeCroy {} ({}-endian)", self.template, self.byte_order),
        )];
        push_some(&mut rows, "Instrument", Some(self.instrument.clone()));
        rows.push(("Serial number".into(), self.serial.to_string()));
        rows.push(("Source".into(), self.source.clone()));
        push_some(&mut rows, "Trace label", Some(self.trace_label.clone()));
        rows.push(("Coupling".into(), self.coupling.clone()));
        rows.push(("Probe".into(), format!("{}×", self.probe_attenuation)));
        push_some(
            &mut rows,
            "Vertical scale",
            self.volts_per_div.map(|v| {
                si(
                    v * self.vertical_vernier,
                    &format!("{}/div", self.y_unit),
                    4,
                )
            }),
        );
        rows.push((
            "Bandwidth limit".into(),
            if self.bandwidth_limit { "on" } else { "off" }.into(),
        ));
        rows.push((
            "Conversion".into(),
            affine(self.vertical_gain, -self.vertical_offset, &self.y_unit),
        ));
        rows.push((
            "Samples".into(),
            format!(
                "{} ({}, {} nominal bits)",
                self.points, self.sample_type, self.nominal_bits
            ),
        ));
        if self.segments > 1 {
            rows.push(("Segments".into(), format!("{} (sequence)", self.segments)));
        }
        rows.push(("Record type".into(), self.record_type.clone()));
        rows.push(("Processing".into(), self.processing.clone()));
        rows.push(("Sample interval".into(), si(self.horiz_interval, "s", 6)));
        rows.push(("Horizontal offset".into(), si(self.horiz_offset, "s", 6)));
        rows.push((
            "Time base".into(),
            self.time_per_div
                .map_or("external clock or unknown".into(), |t| si(t, "s/div", 4)),
        ));
        push_some(&mut rows, "Trigger time", self.trigger_time.clone());
        rows.push((
            "Sweeps per acquisition".into(),
            self.sweeps_per_acquisition.to_string(),
        ));
        push_some(&mut rows, "User text", Some(self.user_text.clone()));
        rows
    }
}

/// True when a WAVEDESC with a LECROY template starts in the first 64 bytes.
pub fn sniff(head: &[u8], _extension: &str) -> bool {
    find_wavedesc(head).is_some_and(|at| head.get(at + 16..at + 22).is_some_and(|t| t == b"LECROY"))
}

fn find_wavedesc(head: &[u8]) -> Option<usize> {
    let window = &head[..head.len().min(SEARCH as usize)];
    window.windows(8).position(|w| w == b"WAVEDESC")
}

pub fn parse(
    file: &std::fs::File,
    _path: &Path,
    size: u64,
) -> Result<Layout<LecroyMeta>, FormatError> {
    parse_from(file, size)
}

/// Field offsets in the two templates.
struct Template {
    name: &'static str,
    len: u64,
    trigtime: usize,
    ris_time: Option<usize>,
    array_1: usize,
    array_2: usize,
    instrument: usize,
    serial: usize,
    label: usize,
    count: usize,
    subarrays: usize,
    sweeps: usize,
    gain: usize,
    offset: usize,
    /// MAX_VALUE/MIN_VALUE are f32 in 2_3; this reader does not use them.
    nominal_bits: usize,
    interval: usize,
    horiz_offset: usize,
    vert_unit: usize,
    hor_unit: usize,
    trigger_time: usize,
    duration: usize,
    record_type: usize,
    processing: usize,
    timebase: usize,
    coupling: usize,
    probe: usize,
    fixed_gain: usize,
    bandwidth: usize,
    vernier: usize,
    acq_offset: usize,
    source: usize,
    /// WAVE_SOURCE counts from 1 in 1_0 and from 0 in 2_3.
    source_base: i16,
}

const LECROY_2_3: Template = Template {
    name: "LECROY_2_3",
    len: 346,
    trigtime: 48,
    ris_time: Some(52),
    array_1: 60,
    array_2: 64,
    instrument: 76,
    serial: 92,
    label: 96,
    count: 116,
    subarrays: 144,
    sweeps: 148,
    gain: 156,
    offset: 160,
    nominal_bits: 172,
    interval: 176,
    horiz_offset: 180,
    vert_unit: 196,
    hor_unit: 244,
    trigger_time: 296,
    duration: 312,
    record_type: 316,
    processing: 318,
    timebase: 324,
    coupling: 326,
    probe: 328,
    fixed_gain: 332,
    bandwidth: 334,
    vernier: 336,
    acq_offset: 340,
    source: 344,
    source_base: 0,
};

const LECROY_1_0: Template = Template {
    name: "LECROY_1_0",
    len: 320,
    trigtime: 44,
    ris_time: None,
    array_1: 48,
    array_2: 52,
    instrument: 56,
    serial: 72,
    label: 76,
    count: 92,
    subarrays: 108,
    sweeps: 116,
    gain: 120,
    offset: 124,
    nominal_bits: 132,
    interval: 134,
    horiz_offset: 138,
    vert_unit: 154,
    hor_unit: 202,
    trigger_time: 250,
    duration: 266,
    record_type: 270,
    processing: 272,
    timebase: 274,
    coupling: 276,
    probe: 278,
    fixed_gain: 282,
    bandwidth: 284,
    vernier: 286,
    acq_offset: 290,
    source: 296,
    source_base: 1,
};

/// [`parse`] on any positioned reader.
pub fn parse_from(
    src: &(impl ReadAt + ?Sized),
    size: u64,
) -> Result<Layout<LecroyMeta>, FormatError> {
    let head = read::read_block(src, size, 0, size.min(SEARCH), "the start of the file")?;
    let wd = find_wavedesc(&head).ok_or(LecroyError::NoWavedesc(SEARCH))? as u64;
    // A SCPI block header right before WAVEDESC declares how long the waveform is.
    if let Some(declared) = scpi_block_len(&head[..wd as usize]) {
        let what = format!("the SCPI block (declared {declared} bytes after its {wd}-byte header)");
        read::check_inside(wd.checked_add(declared), size, &what)?;
    }
    let start = read::read_block(src, size, wd, 40, "the WAVEDESC descriptor")?;
    let endian = match [start[34], start[35]] {
        [0, 0] => Endian::Big,
        [1, 0] => Endian::Little,
        other => return Err(LecroyError::CommOrder(other).into()),
    };
    let template_name = read::c_text(&start[16..32]);
    let t = match template_name.as_str() {
        "LECROY_2_3" => &LECROY_2_3,
        "LECROY_1_0" => &LECROY_1_0,
        _ => return Err(LecroyError::Template(template_name).into()),
    };
    let desc = read::read_block(src, size, wd, t.len, "the WAVEDESC descriptor")?;
    let f = Fields::new(&desc, endian);
    let comm_type = f.u16(32)?;
    let dtype = match comm_type {
        0 => DType::I8,
        1 => DType::I16,
        other => return Err(LecroyError::CommType(other).into()),
    };
    let len = |what: &str, at: usize| -> Result<u64, FormatError> {
        read::count(what, f.i32(at)?.into(), u64::MAX)
    };
    let desc_len = len("WAVE_DESCRIPTOR", 36)?;
    if desc_len < t.len {
        return Err(LecroyError::DescriptorLength {
            got: desc_len,
            need: t.len,
            template: t.name,
        }
        .into());
    }
    let user_text_len = len("USER_TEXT", 40)?;
    let trigtime_len = len("TRIGTIME_ARRAY", t.trigtime)?;
    let ris_len = match t.ris_time {
        Some(at) => len("RIS_TIME_ARRAY", at)?,
        None => 0,
    };
    let array_1 = len("WAVE_ARRAY_1", t.array_1)?;
    let array_2 = len("WAVE_ARRAY_2", t.array_2)?;
    let user_text_at = wd + desc_len;
    let trigtime_at = user_text_at + user_text_len;
    let data_at = trigtime_at + trigtime_len + ris_len;
    let end = data_at
        .checked_add(array_1)
        .and_then(|e| e.checked_add(array_2));
    let what = format!(
        "the waveform (descriptor, {user_text_len} bytes of text, {trigtime_len} of trigger \
         times, {} of data)",
        array_1 + array_2
    );
    read::check_inside(end, size, &what)?;

    let mut warnings = Vec::new();
    let record_type = f.u16(t.record_type)?;
    if record_type != 0 {
        return Err(LecroyError::Unsupported(format!(
            "{} (RECORD_TYPE {record_type}); single sweeps and sequences are read",
            record_type_name(record_type)
        ))
        .into());
    }
    if array_2 > 0 {
        warnings.push(format!("WAVE_ARRAY_2 ({array_2} bytes) is not read"));
    }
    let width = dtype.size() as u64;
    let points = len("WAVE_ARRAY_COUNT", t.count)?;
    let need = points.saturating_mul(width);
    if need > array_1 {
        return Err(LecroyError::ArrayTooShort {
            bytes: array_1,
            count: points,
            width,
            need,
        }
        .into());
    }
    if need < array_1 {
        warnings.push(format!(
            "WAVE_ARRAY_1 holds {array_1} bytes, {} more than WAVE_ARRAY_COUNT points",
            array_1 - need
        ));
    }
    let horiz_offset = f.f64(t.horiz_offset)?;
    let subarrays = f.i32(t.subarrays)?;
    let sequence = if subarrays > 1 {
        let segments = read::count("SUBARRAY_COUNT", subarrays.into(), read::MAX_SEGMENTS)?;
        Some(read_sequence(
            src,
            size,
            trigtime_at,
            trigtime_len,
            segments,
            points,
            endian,
        )?)
    } else {
        None
    };
    let user_text = if user_text_len > 0 {
        let shown = user_text_len.min(MAX_USER_TEXT);
        let raw = read::read_block(src, size, user_text_at, shown, "USERTEXT")?;
        read::c_text(&raw)
    } else {
        String::new()
    };
    let source = source_name(f.i16(t.source)?, t.source_base);
    let y_unit = f.text(t.vert_unit, 48)?;
    let x_unit = f.text(t.hor_unit, 48)?;
    let gain = f64::from(f.f32(t.gain)?);
    let offset = f64::from(f.f32(t.offset)?);
    let interval = f64::from(f.f32(t.interval)?);
    let x_origin = sequence
        .as_ref()
        .and_then(|s| s.first_offset)
        .unwrap_or(horiz_offset);
    let segments = sequence.map(|s| s.segments).unwrap_or_default();
    let meta = LecroyMeta {
        template: t.name.to_string(),
        byte_order: endian.name(),
        instrument: f.text(t.instrument, 16)?,
        serial: f.i32(t.serial)?.into(),
        trace_label: f.text(t.label, 16)?,
        source: source.clone(),
        coupling: coupling_name(f.u16(t.coupling)?),
        probe_attenuation: f.f32(t.probe)?.into(),
        volts_per_div: one_two_five(f.u16(t.fixed_gain)?, 27, -6),
        vertical_vernier: f.f32(t.vernier)?.into(),
        bandwidth_limit: f.u16(t.bandwidth)? == 1,
        vertical_gain: gain,
        vertical_offset: offset,
        acq_vert_offset: f.f32(t.acq_offset)?.into(),
        nominal_bits: f.i16(t.nominal_bits)?.into(),
        sample_type: dtype.to_string(),
        record_type: record_type_name(record_type).to_string(),
        processing: processing_name(f.u16(t.processing)?),
        sweeps_per_acquisition: f.i32(t.sweeps)?.into(),
        points,
        segments: segments.len().max(1) as u64,
        y_unit: y_unit.clone(),
        x_unit: x_unit.clone(),
        horiz_interval: interval,
        horiz_offset,
        time_per_div: one_two_five(f.u16(t.timebase)?, 47, -12),
        trigger_time: trigger_time(&f, t.trigger_time)?,
        acquisition_duration: f.f32(t.duration)?.into(),
        user_text,
    };
    Ok(Layout {
        data_file: None,
        columns: vec![Column {
            dtype,
            endian,
            runs: vec![Run {
                offset: data_at,
                samples: points,
                stride: width,
            }],
        }],
        channels: vec![Channel {
            name: source,
            unit: Some(y_unit).filter(|u| !u.is_empty()),
            column: 0,
            bit: None,
            gain,
            offset: -offset,
            complex_i: false,
        }],
        samples: points,
        x_increment: Some(interval).filter(|x| x.is_finite() && *x > 0.0),
        x_unit: XUnit::from_name(&x_unit),
        x_origin: Some(x_origin).filter(|x| x.is_finite()),
        segments,
        warnings,
        meta,
    })
}

/// `#<n><n digits>` filling the bytes before WAVEDESC exactly: the declared byte count.
fn scpi_block_len(prefix: &[u8]) -> Option<u64> {
    let hash = prefix.iter().rposition(|&b| b == b'#')?;
    let digits = prefix.get(hash + 1..)?;
    let (&n, count) = digits.split_first()?;
    if !n.is_ascii_digit() || usize::from(n - b'0') != count.len() || count.is_empty() {
        return None;
    }
    std::str::from_utf8(count).ok()?.parse().ok()
}

struct Sequence {
    segments: Vec<Segment>,
    first_offset: Option<f64>,
}

/// The TRIGTIME array: per segment, the trigger time since the first trigger and the time
/// from the trigger to the segment's first point (two f64).
fn read_sequence(
    src: &(impl ReadAt + ?Sized),
    size: u64,
    at: u64,
    len: u64,
    segments: u64,
    points: u64,
    endian: Endian,
) -> Result<Sequence, FormatError> {
    let error = |why: String| LecroyError::Sequence { segments, why };
    if len != segments * 16 {
        return Err(error(format!(
            "TRIGTIME_ARRAY has {len} bytes, expected 16 per segment"
        ))
        .into());
    }
    if !points.is_multiple_of(segments) {
        return Err(error(format!("{points} points do not split into equal segments")).into());
    }
    let per = points / segments;
    let table = read::read_block(src, size, at, len, "TRIGTIME array")?;
    let f = Fields::new(&table, endian);
    let first = f.f64(0)?;
    let mut out = Vec::with_capacity(segments as usize);
    for k in 0..segments as usize {
        out.push(Segment {
            first_sample: k as u64 * per,
            samples: per,
            time: Some(f.f64(16 * k)? - first),
            timestamp: None,
        });
    }
    Ok(Sequence {
        segments: out,
        first_offset: f.f64(8).ok(),
    })
}

/// The 1-2-5 sequence the scopes use for V/div and s/div codes: code 0 is 10^exp0.
fn one_two_five(code: u16, last: u16, exp0: i32) -> Option<f64> {
    (code <= last).then(|| {
        let mantissa = [1.0, 2.0, 5.0][usize::from(code % 3)];
        mantissa * 10f64.powi(exp0 + i32::from(code / 3))
    })
}

/// TRIGGER_TIME: seconds (f64), minutes, hours, day, month (u8 each), year (i16), as the
/// scope's clock states it (no time zone).
fn trigger_time(f: &Fields, at: usize) -> Result<Option<String>, FormatError> {
    let seconds = f.f64(at)?;
    let (minutes, hours, day, month) =
        (f.u8(at + 8)?, f.u8(at + 9)?, f.u8(at + 10)?, f.u8(at + 11)?);
    let year = f.i16(at + 12)?;
    let valid = (0.0..60.0).contains(&seconds)
        && minutes < 60
        && hours < 24
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && year > 0;
    Ok(valid
        .then(|| format!("{year:04}-{month:02}-{day:02} {hours:02}:{minutes:02}:{seconds:09.6}")))
}

fn source_name(code: i16, base: i16) -> String {
    match code.checked_sub(base) {
        Some(n @ 0..=3) => format!("C{}", n + 1),
        _ => format!("source {code}"),
    }
}

fn coupling_name(code: u16) -> String {
    match code {
        0 => "DC 50 Ω".into(),
        1 | 3 => "ground".into(),
        2 => "DC 1 MΩ".into(),
        4 => "AC 1 MΩ".into(),
        other => format!("unknown ({other})"),
    }
}

fn record_type_name(code: u16) -> &'static str {
    const NAMES: [&str; 10] = [
        "single sweep",
        "interleaved (RIS)",
        "histogram",
        "graph",
        "filter coefficients",
        "complex",
        "extrema",
        "sequence (obsolete)",
        "centered RIS",
        "peak detect",
    ];
    NAMES.get(usize::from(code)).copied().unwrap_or("unknown")
}

fn processing_name(code: u16) -> String {
    const NAMES: [&str; 8] = [
        "none",
        "FIR filter",
        "interpolated",
        "sparsed",
        "autoscaled",
        "no result",
        "rolling",
        "cumulative",
    ];
    NAMES
        .get(usize::from(code))
        .map_or(format!("unknown ({code})"), |s| s.to_string())
}
