//! One way in for every subcommand: open a file or stdin, learn its layout and metadata,
//! then feed its samples to algorithms or walk its frames in chunks.
//!
//! Each input format is one module behind the [`Format`] trait, listed once in
//! [`open::FORMATS`]: it recognises its files (magic bytes, then extension) and turns a header
//! into a [`TraceInfo`] and a frame source. Frames are memory-mapped in windows where the
//! bytes allow (.npy, raw, contiguous HDF5), gathered with positioned reads for planar
//! layouts, decoded chunk by chunk (filtered HDF5) or read from a stream (stdin). Resident
//! memory is bounded by the map window plus one chunk, never by the file size.

mod chunks;
mod feed;
pub mod hdf5;
mod npy;
mod npz;
mod open;
mod raw;
mod regions;
mod sigrok;
mod source;
mod stdin;
mod stream;
pub mod text;

pub use chunks::{Chunk, ChunkPlan, Chunks, PlanError};
pub use feed::{Pick, Walk};
pub use open::{FORMATS, Format, Input, OpenOptions, Sniff, format_named, open};
pub use regions::{MappedRegion, RegionReader};

use crate::sample::sink::SinkError;
use crate::sample::{CaptureMeta, DType, Endian, npy as npy_header};
use source::FrameSource;
use std::path::Path;
use std::sync::Arc;
use thiserror::Error;

/// The most channels a capture may have (as `--channels` allows), so per-channel state fits
/// in memory beside the chunk.
pub const MAX_CHANNELS: usize = 65_536;

/// Default samples per chunk: large enough to amortise per-chunk work, small enough that a
/// chunk of f64 per channel stays a few MiB.
pub const DEFAULT_CHUNK: usize = 1 << 20;

/// How the channels of a 2-D capture lie in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Frame after frame: sample i of every channel, then sample i+1 (C-order `(N, C)`).
    Interleaved,
    /// Channel after channel (Fortran-order `(N, C)`, or C-order `(C, N)`).
    Planar,
}

/// One channel as users see it: a stored column of the frame, maybe one bit of it, maybe
/// scaled from ADC codes to the file's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// `ch0`, `ch1`... when the file names none; `CH2`, `C3`, `SDA` when it does.
    pub name: String,
    /// The values' unit (`V`, `A`...), when the file says.
    pub unit: Option<String>,
    /// Which stored column of a frame holds it.
    pub column: usize,
    /// A logic line packed in integer samples: the value is `(code >> bit) & 1`.
    pub bit: Option<u32>,
    /// `value = code × gain + offset`, applied once per chunk; None when codes are values.
    pub scale: Option<Scale>,
}

/// An affine map from stored codes to values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub gain: f64,
    pub offset: f64,
}

impl Channel {
    /// Stored column `column` as it is, named by its index.
    pub fn plain(column: usize) -> Channel {
        Channel {
            name: format!("ch{column}"),
            unit: None,
            column,
            bit: None,
            scale: None,
        }
    }
}

/// What the sample axis counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum XUnit {
    /// Time: samples at the sample rate.
    #[default]
    Seconds,
    /// Frequency: a spectrum record (an oscilloscope's FFT), points every `1/rate` Hz.
    Hertz,
    Other(String),
}

/// One acquisition of a segmented capture (FastFrame, sequence mode): its samples lie at
/// `first_sample..first_sample + samples` of the concatenated axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub first_sample: u64,
    pub samples: u64,
    /// Trigger time relative to the first segment's, in seconds.
    pub time: Option<f64>,
    /// Absolute time as the file writes it.
    pub timestamp: Option<String>,
}

/// What a format knows beyond [`TraceInfo`], for `tracekit info`.
pub trait FormatDetails: std::fmt::Debug + Send + Sync {
    /// Keys added to `info --json` after the common ones.
    fn json(&self) -> serde_json::Map<String, serde_json::Value>;
    /// Tables for people after the common one: a header row and rows of cells each.
    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)>;
}

/// Everything known about a trace before reading its samples.
#[derive(Debug, Clone)]
pub struct TraceInfo {
    /// The name errors and reports use (`<stdin>` for `-`).
    pub path: String,
    /// The format's name in [`open::FORMATS`] (`npy`, `raw`, `hdf5`...).
    pub format: &'static str,
    /// Type and byte order of the stored samples.
    pub dtype: DType,
    pub endian: Endian,
    /// The array shape as stored.
    pub shape: Vec<u64>,
    /// Samples per channel; None for a raw stream whose end is not known yet.
    pub samples: Option<u64>,
    /// Stored values per frame.
    pub columns: usize,
    pub channels: Vec<Channel>,
    pub layout: Layout,
    pub sample_rate: Option<f64>,
    /// Where the rate came from (`-r`, `npy header`, `sidecar FILE`, an HDF5 attribute...).
    pub rate_source: Option<String>,
    /// Time of the first sample in seconds, when the file says.
    pub start_time: Option<f64>,
    pub x_unit: XUnit,
    /// Empty unless the capture is segmented.
    pub segments: Vec<Segment>,
    pub file_size: Option<u64>,
    pub data_offset: Option<u64>,
    /// Things worth telling the user that do not stop the run (ignored trailing bytes...).
    pub warnings: Vec<String>,
    /// The format's own metadata, for `info`.
    pub details: Option<Arc<dyn FormatDetails>>,
}

impl TraceInfo {
    /// A trace of `columns` plain channels (codes are values, named `ch0`...), with nothing
    /// else known yet; formats fill in the rest. More than [`MAX_CHANNELS`] is refused.
    pub fn plain(
        path: String,
        format: &'static str,
        (dtype, endian): (DType, Endian),
        shape: Vec<u64>,
        samples: Option<u64>,
        columns: usize,
    ) -> Result<TraceInfo, LoaderError> {
        if let Some(e) = too_many_channels(&path, &shape, columns) {
            return Err(e);
        }
        Ok(TraceInfo {
            path,
            format,
            dtype,
            endian,
            shape,
            samples,
            columns,
            channels: (0..columns).map(Channel::plain).collect(),
            layout: Layout::Interleaved,
            sample_rate: None,
            rate_source: None,
            start_time: None,
            x_unit: XUnit::Seconds,
            segments: Vec::new(),
            file_size: None,
            data_offset: None,
            warnings: Vec::new(),
            details: None,
        })
    }

    /// Take the rate and first-sample time of `meta`, found at `source`.
    pub fn with_meta(mut self, meta: &CaptureMeta, source: String) -> TraceInfo {
        self.sample_rate = meta.sample_rate;
        self.rate_source = meta.sample_rate.map(|_| source);
        self.start_time = meta.start_time;
        self
    }

    /// Bytes of one frame (every stored column of one sample).
    pub fn frame_bytes(&self) -> usize {
        self.dtype.size() * self.columns
    }

    pub fn duration_s(&self) -> Option<f64> {
        Some(self.samples? as f64 / self.sample_rate?)
    }

    /// Check a `--channel` choice against what the trace has.
    pub fn check_channel(&self, channel: usize) -> Result<(), LoaderError> {
        if channel >= self.channels.len() {
            return Err(LoaderError::Channel {
                path: self.path.clone(),
                channel,
                channels: self.channels.len(),
            });
        }
        Ok(())
    }
}

/// The error for a capture of more than [`MAX_CHANNELS`] channels, if it is one.
fn too_many_channels(path: &str, shape: &[u64], channels: usize) -> Option<LoaderError> {
    (channels > MAX_CHANNELS).then(|| LoaderError::Invalid {
        path: path.to_string(),
        what: "shape",
        why: format!(
            "{shape:?} would be {channels} channels; tracekit reads at most {MAX_CHANNELS}"
        ),
    })
}

/// The metadata in `data`'s sidecar file (`FILE.tracekit.json`), if it has a readable one,
/// and the name to cite it by.
fn read_sidecar(data: &Path) -> Option<(CaptureMeta, String)> {
    let side = CaptureMeta::sidecar_path(data);
    let text = std::fs::read_to_string(&side).ok()?;
    let meta = CaptureMeta::from_sidecar_json(&text)?;
    Some((meta, format!("sidecar {}", side.display())))
}

/// An opened capture: its description and a source of frames.
pub struct Trace {
    pub info: TraceInfo,
    source: Box<dyn FrameSource>,
}

impl Trace {
    /// Walk `plan.range` in chunks of `plan.size` frames, each overlapping the previous one by
    /// `plan.overlap` frames.
    pub fn chunks(&mut self, plan: ChunkPlan) -> Result<Chunks<'_>, LoaderError> {
        Chunks::new(self, plan)
    }

    /// Raw bytes of frames `[start, start + count)` in the file's dtype and byte order.
    pub fn read_frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        self.source.frames(start, count)
    }
}

#[derive(Debug, Error)]
pub enum LoaderError {
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: is a directory, not a capture file")]
    IsDir { path: String },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error(
        "{path}: is a .npz archive (several arrays in a zip); extract one array first, e.g. \
         python3 -c \"import numpy as np; np.save('x.npy', np.load('{path}')['arr_0'])\""
    )]
    Npz { path: String },
    #[error("{path}: {error}")]
    Npy {
        path: String,
        error: npy_header::NpyError,
    },
    #[error(
        "{path}: the header's shape {shape:?} needs {need} bytes of data but the file has {have} \
         after the {offset}-byte header"
    )]
    DataTooShort {
        path: String,
        shape: Vec<u64>,
        need: u64,
        have: u64,
        offset: u64,
    },
    #[error(
        "{path}: raw samples need a type: pass --dtype (i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64) or name the file .f32, .i16, ...{hint}"
    )]
    RawNoDtype { path: String, hint: String },
    #[error("{path}: --offset {offset} is beyond the end of the file ({size} bytes)")]
    RawOffset {
        path: String,
        offset: u64,
        size: u64,
    },
    #[error("{path}: --length {want} samples but the file holds {have} samples after the offset")]
    RawLength { path: String, want: u64, have: u64 },
    #[error("{path}: invalid {what}: {why}")]
    Invalid {
        path: String,
        what: &'static str,
        why: String,
    },
    #[error("{path}: --channel {channel} but the capture has {channels} channel(s) (0-based)")]
    Channel {
        path: String,
        channel: usize,
        channels: usize,
    },
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("{path}: {why}")]
    Pick { path: String, why: String },
    /// The samples are not what an algorithm can take (a decoder's invalid input).
    #[error("{path}: {why}")]
    Input {
        path: String,
        why: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Writing results failed; the error names the output.
    #[error(transparent)]
    Output(Box<dyn std::error::Error + Send + Sync>),
    #[error("{path}: the stream ended after {got} of {want} samples")]
    StreamShort { path: String, got: u64, want: u64 },
    #[error("{path}: a stream cannot be read backwards")]
    Backwards { path: String },
    #[error("{path}: the file shrank while being read (now {size} bytes, {need} needed)")]
    Shrunk { path: String, size: u64, need: u64 },
    /// HDF5 errors already name the file.
    #[error("{0}")]
    Hdf5(String),
}

impl LoaderError {
    /// The error a sink stopped a walk of `path` with.
    pub fn sink(path: &str, error: SinkError) -> LoaderError {
        match error {
            SinkError::Input(why) => LoaderError::Input {
                path: path.to_string(),
                why,
            },
            SinkError::Output(e) => LoaderError::Output(e),
        }
    }

    pub fn io(path: &str, source: std::io::Error) -> LoaderError {
        LoaderError::Io {
            path: path.to_string(),
            error: source,
        }
    }
}
