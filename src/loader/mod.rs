//! One way in for every subcommand: open a file or stdin, learn its layout and metadata,
//! then walk its samples in chunks (with optional overlap) or fetch any frame range.
//!
//! Formats: .npy (memory-mapped in windows), raw binary (same), HDF5 (see `hdf5`), and
//! stdin streams (.npy or raw, read sequentially). Resident memory is bounded by the map
//! window plus one chunk, never by the file size.

mod chunks;
mod feed;
pub mod hdf5;
mod open;
mod regions;
mod source;
pub mod text;

pub use chunks::{Chunk, ChunkPlan, Chunks, PlanError};
pub use feed::{Pick, Walk};
pub use open::{OpenOptions, open};
pub use regions::{MappedRegion, RegionReader};

use crate::sample::sink::SinkError;
use crate::sample::{DType, Endian, npy};
use serde::Serialize;
use source::FrameSource;
use thiserror::Error;

/// Default samples per chunk: large enough to amortise per-chunk work, small enough that a
/// chunk of f64 per channel stays a few MiB.
pub const DEFAULT_CHUNK: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Npy,
    Raw,
    Hdf5,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Npy => "npy",
            Format::Raw => "raw",
            Format::Hdf5 => "hdf5",
        }
    }
}

/// How the channels of a 2-D capture lie in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Frame after frame: sample i of every channel, then sample i+1 (C-order `(N, C)`).
    Interleaved,
    /// Channel after channel (Fortran-order `(N, C)`, or C-order `(C, N)`).
    Planar,
}

/// Everything known about a trace before reading its samples.
#[derive(Debug, Clone)]
pub struct TraceInfo {
    /// The name errors and reports use (`<stdin>` for `-`).
    pub path: String,
    pub format: Format,
    pub dtype: DType,
    pub endian: Endian,
    /// The array shape as stored.
    pub shape: Vec<u64>,
    /// Samples per channel; None for a raw stream whose end is not known yet.
    pub samples: Option<u64>,
    pub channels: usize,
    pub layout: Layout,
    pub sample_rate: Option<f64>,
    /// Where the rate came from (`-r`, `npy header`, `sidecar FILE`, an HDF5 attribute...).
    pub rate_source: Option<String>,
    /// Time of the first sample in seconds, when the file says.
    pub start_time: Option<f64>,
    pub file_size: Option<u64>,
    pub data_offset: Option<u64>,
    /// Things worth telling the user that do not stop the run (ignored trailing bytes...).
    pub warnings: Vec<String>,
    /// HDF5 only: datasets, the chosen one and its attributes, for `info`.
    pub hdf5: Option<serde_json::Value>,
}

impl TraceInfo {
    /// Bytes of one frame (all channels of one sample).
    pub fn frame_bytes(&self) -> usize {
        self.dtype.size() * self.channels
    }

    pub fn duration_s(&self) -> Option<f64> {
        Some(self.samples? as f64 / self.sample_rate?)
    }

    /// Check a `--channel` choice against what the trace has.
    pub fn check_channel(&self, channel: usize) -> Result<(), LoaderError> {
        if channel >= self.channels {
            return Err(LoaderError::Channel {
                path: self.path.clone(),
                channel,
                channels: self.channels,
            });
        }
        Ok(())
    }
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
    Npy { path: String, error: npy::NpyError },
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
