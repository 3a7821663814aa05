//! Files whose samples lie at known byte positions (oscilloscope formats now; WAV, SigMF and
//! TDMS next): a format's parser describes them as a [`Layout`] (columns as byte runs, the
//! channels users see, the x axis, segments, typed vendor metadata) and [`open`] turns that
//! into a [`Trace`]: the [`TraceInfo`] every command reads, and a frame source over the runs.
//!
//! Frames are served in C order whatever the file's arrangement:
//! - **one interleaved run** (a single contiguous curve, or channels interleaved frame by
//!   frame): a sliding memory map handed out in place (`MappedFrames`), and the region
//!   engine spreads whole-file passes over every core. Lanes of the frame no channel uses
//!   (a DS1000Z's fourth lane with three channels on) are stored columns nobody picks;
//! - anything else (strided runs with gaps, channel after channel, FastFrame segments as
//!   several runs): [`RunFrames`] gathers each chunk with bounded positioned reads.
//!
//! One trace has one sample type. Columns of different types (a Keysight file with analog
//! float32 channels and a u8 logic pod) are widened to the narrowest type that holds every
//! stored value exactly ([`common_dtype`]), served in native byte order, with a warning; a
//! logic bit of a column widened to floating point becomes its own 0/1 column.

use super::open::SegmentChoice;
use super::scope::describe::{affine, si};
use super::source::{FrameSource, MappedFrames};
use super::{
    Channel as TraceChannel, FormatDetails, Input, Layout as FrameLayout, LoaderError, Scale,
    Segment, Trace, TraceInfo, XUnit,
};
use crate::sample::{DType, Endian, Sample};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where one stored column of samples lies in the data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stored type: I8 U8 I16 U16 I32 U32 I64 U64 F16 F32 F64.
    pub dtype: DType,
    pub endian: Endian,
    /// In sample order; the sum of `run.samples` equals [`Layout::samples`].
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Byte offset of the run's first sample in the data file.
    pub offset: u64,
    /// Samples in this run.
    pub samples: u64,
    /// Bytes from one sample to the next (the dtype's size when contiguous, the frame size
    /// when channels are interleaved).
    pub stride: u64,
}

impl Run {
    /// One past the last byte the run touches; None on overflow.
    fn end(&self, size: u64) -> Option<u64> {
        if self.samples == 0 {
            return Some(self.offset);
        }
        (self.samples - 1)
            .checked_mul(self.stride)?
            .checked_add(self.offset)?
            .checked_add(size)
    }
}

/// One channel as users see it: a stored column, maybe one bit of it, maybe scaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// `CH1`, `C3`, `D7`...
    pub name: String,
    /// The values' unit: `V`, `A`, `W`...
    pub unit: Option<String>,
    /// Index into [`Layout::columns`].
    pub column: usize,
    /// Logic: the value is `(code >> bit) & 1`.
    pub bit: Option<u32>,
    /// `value = code × gain + offset` (1 and 0 when the codes are the values).
    pub gain: f64,
    pub offset: f64,
    /// Complex IQ: this channel is the I part and the next channel the Q part.
    pub complex_i: bool,
}

/// A format's own facts for `info`: serialised under `vendor` in `info --json`, shown as a
/// key/value table for people.
pub trait VendorMeta: Serialize + std::fmt::Debug + Send + Sync + 'static {
    /// The facts as (label, value) rows, in the order people read them.
    fn rows(&self) -> Vec<(String, String)>;
    /// The recorded centre frequency in Hz of complex (IQ) channels, when the file has one.
    fn center_frequency(&self) -> Option<f64> {
        None
    }
}

/// What a parser learnt from a header: where the samples are and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout<M> {
    /// None: the opened file holds the samples; Some(p): another file does (R&S
    /// `.Wfm.bin`, SigMF `.sigmf-data`), `p` relative to the opened file's folder.
    pub data_file: Option<PathBuf>,
    pub columns: Vec<Column>,
    pub channels: Vec<Channel>,
    /// Per channel, all segments together.
    pub samples: u64,
    /// Seconds per sample (or Hz per point, see `x_unit`).
    pub x_increment: Option<f64>,
    pub x_unit: XUnit,
    /// x of the first sample: t0 in seconds, or the start frequency.
    pub x_origin: Option<f64>,
    /// Empty unless segmented.
    pub segments: Vec<Segment>,
    pub warnings: Vec<String>,
    pub meta: M,
}

impl XUnit {
    /// The unit a file names for its x axis: `s` and `Hz` are recognised, anything else kept.
    pub fn from_name(name: &str) -> XUnit {
        match name.trim() {
            "s" | "S" | "sec" | "seconds" => XUnit::Seconds,
            "Hz" | "HZ" | "hz" => XUnit::Hertz,
            other => XUnit::Other(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            XUnit::Seconds => "s",
            XUnit::Hertz => "Hz",
            XUnit::Other(u) => u,
        }
    }
}

impl<M> Layout<M> {
    /// Every run inside a data file of `size` bytes, every column holding exactly
    /// `samples`, every channel naming an existing column and a bit its type has. A parser
    /// bug or an unforeseen header becomes this error instead of a read past the file.
    pub fn check(&self, size: u64) -> Result<(), String> {
        for (index, column) in self.columns.iter().enumerate() {
            let width = column.dtype.size() as u64;
            let mut total = 0u64;
            for run in &column.runs {
                match run.end(width) {
                    Some(end) if end <= size => {}
                    Some(end) => {
                        return Err(format!(
                            "column {index}: a run of {} samples at byte {} ends at byte {end} but the data has {size} bytes",
                            run.samples, run.offset
                        ));
                    }
                    None => return Err(format!("column {index}: a run ends beyond 2^64 bytes")),
                }
                if run.samples > 1 && run.stride < width {
                    return Err(format!(
                        "column {index}: a stride of {} bytes is less than one {} sample",
                        run.stride, column.dtype
                    ));
                }
                total = total
                    .checked_add(run.samples)
                    .ok_or_else(|| format!("column {index}: more than 2^64 samples"))?;
            }
            if total != self.samples {
                return Err(format!(
                    "column {index} holds {total} samples, the layout {}",
                    self.samples
                ));
            }
        }
        for ch in &self.channels {
            let Some(column) = self.columns.get(ch.column) else {
                return Err(format!(
                    "channel {} names column {} of {}",
                    ch.name,
                    ch.column,
                    self.columns.len()
                ));
            };
            if let Some(bit) = ch.bit
                && (column.dtype.is_float() || bit >= 8 * column.dtype.size() as u32)
            {
                return Err(format!(
                    "channel {} is bit {bit} of {} samples",
                    ch.name, column.dtype
                ));
            }
        }
        if self.channels.is_empty() {
            return Err("no channel".into());
        }
        Ok(())
    }

    /// Keep only samples `[first, first + samples)` of every column (one segment).
    fn restrict(&mut self, first: u64, samples: u64) {
        for column in &mut self.columns {
            let mut kept = Vec::new();
            let mut at = 0u64;
            for run in &column.runs {
                let (lo, hi) = (at.max(first), (at + run.samples).min(first + samples));
                if lo < hi {
                    kept.push(Run {
                        offset: run.offset + (lo - at) * run.stride,
                        samples: hi - lo,
                        stride: run.stride,
                    });
                }
                at += run.samples;
            }
            column.runs = kept;
        }
        self.samples = samples;
    }
}

/// Declares the [`Format`](super::Format) of a format whose parser returns a [`Layout`]: its
/// name, whether a file's first bytes (`magic(head, extension)`) or its extension
/// (`extension(ext)`) say it is one, and its parser, opened through [`open_with`]. Each
/// such module says this in one line instead of repeating the trait impl.
macro_rules! layout_format {
    ($(#[$doc:meta])* $ty:ident, $name:expr, magic: $magic:expr, extension: $ext:expr,
     parse: $parse:expr) => {
        $(#[$doc])*
        pub struct $ty;

        impl crate::loader::Format for $ty {
            fn name(&self) -> &'static str {
                $name
            }

            fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
                crate::loader::Sniff::by(($magic)(head, extension), ($ext)(extension))
            }

            fn open(
                &self,
                input: crate::loader::Input<'_>,
            ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
                crate::loader::layout::open_with(input, $name, $parse)
            }
        }
    };
}
pub(crate) use layout_format;

/// The `open` of every layout format: parse the header of `input` with `parse`, then
/// [`open`] the layout it describes.
pub fn open_with<M, E>(
    input: Input<'_>,
    format: &'static str,
    parse: impl FnOnce(&File, &Path, u64) -> Result<Layout<M>, E>,
) -> Result<Trace, LoaderError>
where
    M: VendorMeta,
    E: std::error::Error + Send + Sync + 'static,
{
    let layout = parse(&input.file, input.path, input.size).map_err(|e| LoaderError::Format {
        path: input.name.clone(),
        error: e.into(),
    })?;
    open(input, format, layout)
}

/// Turn a parsed layout into a trace of the file `input` opened as `format`.
pub fn open<M: VendorMeta>(
    input: Input<'_>,
    format: &'static str,
    mut layout: Layout<M>,
) -> Result<Trace, LoaderError> {
    let Input {
        file,
        path,
        name,
        size,
        opts,
        ..
    } = input;
    let (data, data_name, data_size) = match &layout.data_file {
        None => (file, name.clone(), size),
        Some(other) => open_data_file(path, other)?,
    };
    let invalid = |why: String| LoaderError::Format {
        path: data_name.clone(),
        error: why.into(),
    };
    layout.check(data_size).map_err(invalid)?;
    let mut warnings: Vec<String> = std::mem::take(&mut layout.warnings)
        .into_iter()
        .map(|w| format!("{name}: {w}"))
        .collect();
    let all_segments = layout.segments.clone();
    match (opts.segment, layout.segments.len()) {
        (Some(SegmentChoice::Index(k)), n) if k >= n.max(1) => {
            return Err(LoaderError::Segment {
                path: name,
                segment: k,
                segments: n.max(1),
            });
        }
        (Some(SegmentChoice::Index(k)), n) if n > 0 => {
            let seg = layout.segments[k].clone();
            layout.restrict(seg.first_sample, seg.samples);
            layout.segments = vec![Segment {
                first_sample: 0,
                ..seg
            }];
        }
        (_, n) if n > 1 => warnings.push(format!(
            "{name}: {n} segments are read one after the other, so time is not contiguous at \
             their joins; read one with --segment K (0..{})",
            n - 1
        )),
        _ => {}
    }
    if opts.raw_codes {
        for ch in &mut layout.channels {
            if (ch.gain, ch.offset) != (1.0, 0.0) {
                (ch.gain, ch.offset, ch.unit) = (1.0, 0.0, None);
            }
        }
    }
    let plan = FramePlan::new(&layout, data_size);
    if let Some(w) = &plan.widened {
        warnings.push(format!("{name}: {w}"));
    }
    let channels: Vec<TraceChannel> = layout.channels.iter().map(|ch| plan.channel(ch)).collect();
    let samples = layout.samples;
    let columns = plan.columns.len();
    let shape = if columns == 1 {
        vec![samples]
    } else {
        vec![samples, columns as u64]
    };
    let mut info = TraceInfo::plain(
        name.clone(),
        format,
        (plan.dtype, plan.endian),
        shape,
        Some(samples),
        columns,
    )?;
    info.channels = channels;
    // Complex IQ: every channel pair is (I, Q) (SigMF c*, Tektronix IQ records).
    info.complex = !layout.channels.is_empty()
        && layout.channels.len().is_multiple_of(2)
        && layout
            .channels
            .chunks(2)
            .all(|p| p[0].complex_i && !p[1].complex_i)
        && info.channels.len() == layout.channels.len();
    if info.complex {
        info.center_frequency = layout.meta.center_frequency();
    }
    info.layout = if plan.mapped.is_some() {
        FrameLayout::Interleaved
    } else {
        FrameLayout::Planar
    };
    if layout.x_unit == XUnit::Seconds
        && let Some(dx) = layout.x_increment.filter(|d| d.is_finite() && *d > 0.0)
    {
        info.sample_rate = Some(1.0 / dx);
        info.rate_source = Some(format!("{format} header"));
        info.start_time = layout.x_origin;
    }
    info.x_unit = layout.x_unit.clone();
    info.segments = layout.segments.clone();
    info.file_size = Some(size);
    info.data_offset = plan.data_offset;
    info.warnings = warnings;
    info.details = Some(Arc::new(LayoutDetails::new(
        &layout,
        &info.channels,
        all_segments,
        opts.segment,
        opts.raw_codes,
    )));
    let source: Box<dyn FrameSource> = match plan.mapped {
        Some((offset, frame)) => Box::new(MappedFrames::new(
            data,
            data_name,
            offset,
            frame as usize,
            samples * frame,
        )),
        None => Box::new(RunFrames::new(data, data_name, &layout, &plan)),
    };
    Ok(Trace { info, source })
}

/// Open the data file a header names, relative to the header's folder, with the checks
/// the opened file had.
fn open_data_file(header: &Path, other: &Path) -> Result<(File, String, u64), LoaderError> {
    let path = header.parent().unwrap_or(Path::new("")).join(other);
    let name = path.display().to_string();
    let md = std::fs::metadata(&path).map_err(|e| LoaderError::io(&name, e))?;
    if md.is_dir() {
        return Err(LoaderError::IsDir { path: name });
    }
    if md.len() == 0 {
        return Err(LoaderError::Empty { path: name });
    }
    let file = File::open(&path).map_err(|e| LoaderError::io(&name, e))?;
    Ok((file, name, md.len()))
}

/// The narrowest type that holds every value of every type in `dtypes` exactly.
pub fn common_dtype(dtypes: &[DType]) -> DType {
    let Some(&first) = dtypes.first() else {
        return DType::F64;
    };
    if dtypes.iter().all(|&d| d == first) {
        return first;
    }
    let any_float = dtypes.iter().any(|d| d.is_float());
    let widest_int = dtypes
        .iter()
        .filter(|d| !d.is_float())
        .map(|d| d.size())
        .max()
        .unwrap_or(0);
    if any_float {
        let f64_needed = dtypes.contains(&DType::F64) || widest_int >= 4;
        return if f64_needed { DType::F64 } else { DType::F32 };
    }
    let signed = |d: &DType| matches!(d, DType::I8 | DType::I16 | DType::I32 | DType::I64);
    let widest_unsigned = dtypes
        .iter()
        .filter(|d| !signed(d))
        .map(|d| d.size())
        .max()
        .unwrap_or(0);
    if !dtypes.iter().any(signed) {
        return [DType::U8, DType::U16, DType::U32, DType::U64]
            .into_iter()
            .find(|d| d.size() >= widest_int)
            .unwrap_or(DType::U64);
    }
    // A signed type must also hold the largest unsigned value: one size up.
    let need = widest_int.max(2 * widest_unsigned);
    [DType::I8, DType::I16, DType::I32, DType::I64]
        .into_iter()
        .find(|d| d.size() >= need)
        .unwrap_or(DType::F64)
}

/// How the stored columns become the trace's frames.
struct FramePlan {
    dtype: DType,
    endian: Endian,
    /// The frame's columns: a stored column, or one bit of it (a logic lane of a column
    /// widened to floating point).
    columns: Vec<FrameColumn>,
    /// Layout column → frame column.
    of_column: Vec<usize>,
    /// (byte offset of frame 0, frame bytes) when one memory map serves every frame.
    mapped: Option<(u64, u64)>,
    data_offset: Option<u64>,
    widened: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct FrameColumn {
    /// Layout column; None for a lane of an interleaved frame no column uses.
    column: Option<usize>,
    bit: Option<u32>,
}

impl FramePlan {
    fn new<M>(layout: &Layout<M>, data_size: u64) -> FramePlan {
        let dtypes: Vec<DType> = layout.columns.iter().map(|c| c.dtype).collect();
        let dtype = common_dtype(&dtypes);
        let first = &layout.columns[0];
        let same = layout
            .columns
            .iter()
            .all(|c| c.dtype == dtype && c.endian == first.endian);
        if same && let Some(plan) = Self::interleaved(layout, data_size) {
            return plan;
        }
        let endian = if same { first.endian } else { Endian::NATIVE };
        let mut columns: Vec<FrameColumn> = (0..layout.columns.len())
            .map(|c| FrameColumn {
                column: Some(c),
                bit: None,
            })
            .collect();
        // Bits of integer columns widened to floats cannot be taken from the float: each
        // becomes a column of its own.
        if dtype.is_float() {
            for ch in &layout.channels {
                if let Some(bit) = ch.bit
                    && !layout.columns[ch.column].dtype.is_float()
                {
                    columns.push(FrameColumn {
                        column: Some(ch.column),
                        bit: Some(bit),
                    });
                }
            }
        }
        let widened = (!same).then(|| {
            let names: Vec<String> = dtypes.iter().map(|d| d.to_string()).collect();
            format!(
                "columns stored as {} are read as {dtype} (one type per trace; exact)",
                names.join(", ")
            )
        });
        FramePlan {
            dtype,
            endian,
            of_column: (0..layout.columns.len()).collect(),
            columns,
            mapped: None,
            data_offset: layout
                .columns
                .iter()
                .filter_map(|c| c.runs.first())
                .map(|r| r.offset)
                .min(),
            widened,
        }
    }

    /// One run per column, all with the same stride, the columns lanes of one frame, the
    /// last frame whole inside the file: a memory map of frames.
    fn interleaved<M>(layout: &Layout<M>, data_size: u64) -> Option<FramePlan> {
        let runs: Vec<Run> = layout
            .columns
            .iter()
            .map(|c| match c.runs.as_slice() {
                [run] => Some(*run),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let first = &layout.columns[0];
        let size = first.dtype.size() as u64;
        let stride = if layout.samples > 1 {
            runs[0].stride
        } else {
            size * runs.len() as u64
        };
        let base = runs.iter().map(|r| r.offset).min()?;
        let lanes = stride / size;
        if stride % size != 0 || lanes == 0 || lanes > 4096 {
            return None;
        }
        let mut of_column = Vec::with_capacity(runs.len());
        for run in &runs {
            let lane = (run.offset - base) / size;
            let aligned = (run.offset - base) % size == 0;
            if (layout.samples > 1 && run.stride != stride) || !aligned || lane >= lanes {
                return None;
            }
            if of_column.contains(&(lane as usize)) {
                return None;
            }
            of_column.push(lane as usize);
        }
        let end = layout.samples.checked_mul(stride)?.checked_add(base)?;
        if end > data_size {
            return None;
        }
        let mut columns = vec![
            FrameColumn {
                column: None,
                bit: None,
            };
            lanes as usize
        ];
        for (c, &lane) in of_column.iter().enumerate() {
            columns[lane].column = Some(c);
        }
        Some(FramePlan {
            dtype: first.dtype,
            endian: first.endian,
            columns,
            of_column,
            mapped: Some((base, stride)),
            data_offset: Some(base),
            widened: None,
        })
    }

    /// A channel of the layout as the trace describes it.
    fn channel(&self, ch: &Channel) -> TraceChannel {
        let derived = ch.bit.and_then(|bit| {
            self.columns
                .iter()
                .position(|f| f.column == Some(ch.column) && f.bit == Some(bit))
        });
        let (column, bit) = match derived {
            Some(c) => (c, None),
            None => (self.of_column[ch.column], ch.bit),
        };
        let scaled = (ch.gain, ch.offset) != (1.0, 0.0) && ch.bit.is_none();
        TraceChannel {
            name: ch.name.clone(),
            unit: ch.unit.clone(),
            column,
            bit,
            scale: scaled.then_some(Scale {
                gain: ch.gain,
                offset: ch.offset,
            }),
        }
    }
}

/// Bytes one positioned read may span: the gather's buffer stays this small whatever the
/// chunk or the stride.
const GATHER_SPAN: u64 = 4 << 20;

/// One frame column of a gathered trace: where its samples lie, run by run.
struct GatherColumn {
    dtype: DType,
    endian: Endian,
    /// (first sample on the trace's axis, run).
    runs: Vec<(u64, Run)>,
    bit: Option<u32>,
}

/// Frames gathered from runs with positioned reads: planar channels, strided runs, several
/// runs per column (segments), columns of different types.
pub struct RunFrames {
    file: File,
    path: String,
    columns: Vec<Option<GatherColumn>>,
    dtype: DType,
    endian: Endian,
    samples: u64,
    out: Vec<u8>,
    span: Vec<u8>,
}

impl RunFrames {
    fn new<M>(file: File, path: String, layout: &Layout<M>, plan: &FramePlan) -> RunFrames {
        let columns = plan
            .columns
            .iter()
            .map(|f| {
                let c = &layout.columns[f.column?];
                let mut first = 0;
                let runs = c
                    .runs
                    .iter()
                    .map(|r| {
                        let at = first;
                        first += r.samples;
                        (at, *r)
                    })
                    .collect();
                Some(GatherColumn {
                    dtype: c.dtype,
                    endian: c.endian,
                    runs,
                    bit: f.bit,
                })
            })
            .collect();
        RunFrames {
            file,
            path,
            columns,
            dtype: plan.dtype,
            endian: plan.endian,
            samples: layout.samples,
            out: Vec::new(),
            span: Vec::new(),
        }
    }
}

impl FrameSource for RunFrames {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let count = count.min(self.samples.saturating_sub(start) as usize);
        let size = self.dtype.size();
        let width = self.columns.len();
        self.out.clear();
        self.out.resize(count * width * size, 0);
        let end = start + count as u64;
        for (c, column) in self.columns.iter().enumerate() {
            let Some(column) = column else { continue };
            for &(first, run) in &column.runs {
                let (lo, hi) = (start.max(first), end.min(first + run.samples));
                if lo >= hi {
                    continue;
                }
                let in_size = column.dtype.size() as u64;
                // A run of one sample may state any stride; it never steps.
                let step = run.stride.max(in_size);
                let per_read = (GATHER_SPAN - in_size) / step + 1;
                let mut at = lo;
                while at < hi {
                    let n = (hi - at).min(per_read);
                    let offset = run.offset + (at - first) * step;
                    let span = (n - 1) * step + in_size;
                    self.span.resize(span as usize, 0);
                    self.file
                        .read_exact_at(&mut self.span, offset)
                        .map_err(|e| LoaderError::io(&self.path, e))?;
                    let samples = self
                        .span
                        .chunks(step as usize)
                        .map(|s| &s[..in_size as usize]);
                    let frames = self.out[((at - start) as usize) * width * size..]
                        .chunks_exact_mut(width * size)
                        .map(|f| &mut f[c * size..(c + 1) * size]);
                    put_samples(column, (self.dtype, self.endian), samples, frames);
                    at += n;
                }
            }
        }
        Ok(&self.out)
    }
}

/// Write stored samples into frame slots of the trace's type: a copy when the types agree,
/// else a conversion through f64 (exact: the trace's type holds every stored value), or
/// the sample's bit as 0/1.
fn put_samples<'a>(
    column: &GatherColumn,
    (dtype, endian): (DType, Endian),
    samples: impl Iterator<Item = &'a [u8]>,
    slots: impl Iterator<Item = &'a mut [u8]>,
) {
    let pairs = samples.zip(slots);
    if let Some(bit) = column.bit {
        let size = column.dtype.size();
        let byte = match column.endian {
            Endian::Little => (bit / 8) as usize,
            Endian::Big => size - 1 - (bit / 8) as usize,
        };
        let mut one = Vec::with_capacity(8);
        for (s, slot) in pairs {
            one.clear();
            crate::sample::convert::push_sample(
                f64::from((s[byte] >> (bit % 8)) & 1),
                dtype,
                &mut one,
            );
            slot.copy_from_slice(&one);
        }
        return;
    }
    if column.dtype == dtype && column.endian == endian {
        pairs.for_each(|(s, slot)| slot.copy_from_slice(s));
        return;
    }
    let mut one = Vec::with_capacity(8);
    crate::with_sample_type!(column.dtype, T => {
        for (s, slot) in pairs {
            one.clear();
            crate::sample::convert::push_sample(T::from_bytes(s, column.endian).to_f64(), dtype, &mut one);
            slot.copy_from_slice(&one);
        }
    })
}

/// What `info` adds for a layout-backed trace: the x axis, the channels with their scale,
/// the segments, and the vendor's own metadata.
#[derive(Debug)]
struct LayoutDetails {
    x_unit: String,
    x_increment: Option<f64>,
    x_origin: Option<f64>,
    data_file: Option<String>,
    channels: Vec<ChannelDetails>,
    segments: Vec<Segment>,
    chosen_segment: Option<SegmentChoice>,
    raw_codes: bool,
    vendor: Value,
    vendor_rows: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct ChannelDetails {
    index: usize,
    name: String,
    unit: Option<String>,
    /// Stored type of the channel's column.
    stored: &'static str,
    bit: Option<u32>,
    /// value = code × gain + offset; null when the stored values are the values.
    gain: Option<f64>,
    offset: Option<f64>,
    complex_i: bool,
}

impl LayoutDetails {
    fn new<M: VendorMeta>(
        layout: &Layout<M>,
        channels: &[TraceChannel],
        segments: Vec<Segment>,
        chosen_segment: Option<SegmentChoice>,
        raw_codes: bool,
    ) -> LayoutDetails {
        let details = layout
            .channels
            .iter()
            .zip(channels)
            .enumerate()
            .map(|(index, (ch, traced))| ChannelDetails {
                index,
                name: ch.name.clone(),
                unit: ch.unit.clone(),
                stored: layout.columns[ch.column].dtype.numpy_name(),
                bit: ch.bit,
                gain: traced.scale.map(|s| s.gain),
                offset: traced.scale.map(|s| s.offset),
                complex_i: ch.complex_i,
            })
            .collect();
        LayoutDetails {
            x_unit: layout.x_unit.name().to_string(),
            x_increment: layout.x_increment,
            x_origin: layout.x_origin,
            data_file: layout.data_file.as_ref().map(|p| p.display().to_string()),
            channels: details,
            segments,
            chosen_segment,
            raw_codes,
            vendor: serde_json::to_value(&layout.meta).unwrap_or(Value::Null),
            vendor_rows: layout.meta.rows(),
        }
    }
}

impl FormatDetails for LayoutDetails {
    fn json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("x_unit".into(), json!(self.x_unit));
        map.insert("x_increment".into(), json!(self.x_increment));
        map.insert("x_origin".into(), json!(self.x_origin));
        if let Some(f) = &self.data_file {
            map.insert("data_file".into(), json!(f));
        }
        map.insert("raw_codes".into(), json!(self.raw_codes));
        map.insert("channel_details".into(), json!(self.channels));
        let segments: Vec<Value> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                json!({
                    "index": i,
                    "first_sample": s.first_sample,
                    "samples": s.samples,
                    "time_s": s.time,
                    "timestamp": s.timestamp,
                })
            })
            .collect();
        map.insert("segments".into(), Value::Array(segments));
        map.insert(
            "segment".into(),
            match self.chosen_segment {
                Some(SegmentChoice::Index(k)) => json!(k),
                _ => json!("all"),
            },
        );
        map.insert("vendor".into(), self.vendor.clone());
        map
    }

    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
        let header = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let channels = self
            .channels
            .iter()
            .map(|c| {
                let value = match (c.bit, c.gain, c.offset) {
                    (Some(bit), _, _) => format!("bit {bit} of the code"),
                    (None, Some(g), Some(o)) => affine(g, o, c.unit.as_deref().unwrap_or("")),
                    _ if self.raw_codes => "stored codes (--raw-codes)".into(),
                    _ => "as stored".into(),
                };
                vec![
                    c.index.to_string(),
                    c.name.clone(),
                    c.unit.clone().unwrap_or_else(|| "-".into()),
                    c.stored.to_string(),
                    value,
                ]
            })
            .collect();
        let mut tables = vec![(
            header(&["channel", "name", "unit", "stored", "value"]),
            channels,
        )];
        if !self.segments.is_empty() {
            let rows = self
                .segments
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    vec![
                        i.to_string(),
                        s.first_sample.to_string(),
                        s.samples.to_string(),
                        s.time.map_or_else(|| "-".into(), |t| si(t, "s", 9)),
                        s.timestamp.clone().unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            tables.push((
                header(&[
                    "segment",
                    "first sample",
                    "samples",
                    "time (s)",
                    "timestamp",
                ]),
                rows,
            ));
        }
        let mut vendor = Vec::new();
        if self.x_unit != "s" {
            let x = |v: Option<f64>| v.map_or_else(|| "?".into(), |v| si(v, &self.x_unit, 6));
            vendor.push(vec![
                "x axis".to_string(),
                format!(
                    "{} per point from {} (not a time axis: no sample rate)",
                    x(self.x_increment),
                    x(self.x_origin)
                ),
            ]);
        }
        if let Some(f) = &self.data_file {
            vendor.push(vec!["data file".into(), f.clone()]);
        }
        vendor.extend(
            self.vendor_rows
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()]),
        );
        tables.push((header(&["vendor metadata", ""]), vendor));
        tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_dtypes_hold_every_value() {
        use DType::*;
        assert_eq!(common_dtype(&[I16, I16]), I16);
        assert_eq!(common_dtype(&[F32, U8]), F32);
        assert_eq!(common_dtype(&[F32, I32]), F64);
        assert_eq!(common_dtype(&[U8, U16]), U16);
        assert_eq!(common_dtype(&[I8, U8]), I16);
        assert_eq!(common_dtype(&[I16, U32]), I64);
        assert_eq!(common_dtype(&[I8, U64]), F64);
        assert_eq!(common_dtype(&[F16, U8]), F32);
    }
}
