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
mod interchange;
mod keysight_bin;
pub mod layout;
mod lecroy;
mod npy;
mod npz;
mod open;
mod raw;
mod read_ahead;
mod regions;
mod rigol_bin;
mod rigol_wfm;
mod rs_bin;
mod saleae;
mod scope;
mod sigmf;
mod sigrok;
mod source;
mod stdin;
mod stream;
mod tdms;
mod tek_isf;
mod tek_wfm;
pub mod text;
mod vcd;
mod wav;

pub use chunks::{Chunk, ChunkPlan, Chunks, PlanError};
pub use feed::{Pick, Walk};
pub use open::{FORMATS, Format, Input, OpenOptions, SegmentChoice, Sniff, format_named, open};
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

/// [`FormatDetails::json`] of a format whose metadata is one serialisable struct: that struct
/// as an object under `key` (nothing if it does not serialise to an object).
pub(crate) fn keyed_json<T: serde::Serialize>(
    key: &str,
    meta: &T,
) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(meta) {
        Ok(serde_json::Value::Object(map)) => {
            serde_json::Map::from_iter([(key.to_string(), serde_json::Value::Object(map))])
        }
        _ => serde_json::Map::new(),
    }
}

/// A two-column table of `(name, value)` rows headed by `title`, for
/// [`FormatDetails::tables`].
pub(crate) fn key_value_table(
    title: &str,
    rows: Vec<(String, String)>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
    (vec![title.to_string(), String::new()], rows)
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
    /// Complex (I/Q) samples: `dtype` is the component type and channels come in pairs,
    /// `2k` the I and `2k + 1` the Q of complex channel k (see [`TraceInfo::set_complex`]).
    pub complex: bool,
    /// The recorded centre frequency of a complex capture in Hz (SigMF `core:frequency` of
    /// the first capture), which `fft` adds to its frequency axis.
    pub center_frequency: Option<f64>,
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
            complex: false,
            center_frequency: None,
        })
    }

    /// Mark the stored columns as (I, Q) pairs of complex channels. Channels with the default
    /// names become `I`, `Q` (one complex channel) or `ch0.I`, `ch0.Q`, `ch1.I`...; named ones
    /// keep their names. An odd column count is refused.
    pub fn set_complex(&mut self) -> Result<(), LoaderError> {
        if !self.channels.len().is_multiple_of(2) {
            return Err(LoaderError::Invalid {
                path: self.path.clone(),
                what: "complex samples",
                why: format!(
                    "{} real columns cannot pair up as I and Q",
                    self.channels.len()
                ),
            });
        }
        let pairs = self.channels.len() / 2;
        for (k, ch) in self.channels.iter_mut().enumerate() {
            if ch.name == format!("ch{k}") {
                let part = if k % 2 == 0 { "I" } else { "Q" };
                ch.name = if pairs == 1 {
                    part.to_string()
                } else {
                    format!("ch{}.{part}", k / 2)
                };
            }
        }
        self.complex = true;
        Ok(())
    }

    /// Complex channels (pairs of columns) when complex, else channels.
    pub fn user_channels(&self) -> usize {
        if self.complex {
            self.channels.len() / 2
        } else {
            self.channels.len()
        }
    }

    /// Take the rate, first-sample time, centre frequency and channel names and units of
    /// `meta`, found at `source` (names and units only when there is one per channel).
    pub fn with_meta(mut self, meta: &CaptureMeta, source: String) -> TraceInfo {
        self.sample_rate = meta.sample_rate;
        self.rate_source = meta.sample_rate.map(|_| source);
        self.start_time = meta.start_time;
        self.center_frequency = meta.center_frequency;
        let count = self.channels.len();
        if let Some(names) = meta.channel_names.as_ref().filter(|n| n.len() == count) {
            for (ch, name) in self.channels.iter_mut().zip(names) {
                ch.name.clone_from(name);
            }
        }
        if let Some(units) = meta.units.as_ref().filter(|u| u.len() == count) {
            for (ch, unit) in self.channels.iter_mut().zip(units) {
                ch.unit.clone_from(unit);
            }
        }
        self
    }

    /// The names and units of `channels` for an output's metadata; None for both when the
    /// trace has only the default names (`ch0`...) and no units, so plain captures stay plain.
    pub fn names_and_units(
        &self,
        channels: &[usize],
    ) -> (Option<Vec<String>>, Option<Vec<Option<String>>>) {
        let picked = || channels.iter().filter_map(|&k| self.channels.get(k));
        let named = channels.iter().any(|&k| {
            self.channels
                .get(k)
                .is_some_and(|c| c.name != format!("ch{k}"))
        });
        let names = named.then(|| picked().map(|c| c.name.clone()).collect());
        let with_units = picked().any(|c| c.unit.is_some());
        let units = with_units.then(|| picked().map(|c| c.unit.clone()).collect());
        (names, units)
    }

    /// Remove the scale of each of `channels` whose codes are integers of up to 32 bits
    /// and whose scale keeps neighbouring codes apart in f64 (a nonzero gain and an offset
    /// under 2^50 gains), and return them: statistics are affine-equivariant, so `stats`
    /// reads the codes on their fast paths and maps the results (see
    /// `dsp::moments::Moments::affine`).
    pub fn take_scales(&mut self, channels: &[usize]) -> Vec<Option<Scale>> {
        let integer = !self.dtype.is_float() && self.dtype.size() <= 4;
        channels
            .iter()
            .map(|&k| {
                let ch = self.channels.get_mut(k)?;
                let usable = ch.scale.is_some_and(|s| {
                    s.gain != 0.0 && s.gain.is_finite() && (s.offset / s.gain).abs() < 2f64.powi(50)
                });
                if integer && usable && ch.bit.is_none() {
                    ch.scale.take()
                } else {
                    None
                }
            })
            .collect()
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

    /// The index of the channel `--channel` names: a 0-based index, or a name (`CH2`, `C3`;
    /// an exact match first, then ignoring case).
    pub fn resolve_channel(&self, choice: &ChannelRef) -> Result<usize, LoaderError> {
        match choice {
            ChannelRef::Index(k) => self.check_channel(*k).map(|()| *k),
            ChannelRef::Name(name) => {
                let names = || self.channels.iter().map(|c| c.name.as_str());
                names()
                    .position(|n| n == name)
                    .or_else(|| names().position(|n| n.eq_ignore_ascii_case(name)))
                    .ok_or_else(|| LoaderError::ChannelName {
                        path: self.path.clone(),
                        name: name.clone(),
                        names: names().collect::<Vec<_>>().join(", "),
                    })
            }
        }
    }
}

/// A channel as `--channel` names it: by 0-based index or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelRef {
    Index(usize),
    Name(String),
}

impl std::str::FromStr for ChannelRef {
    type Err = String;

    /// Digits are an index; anything else is a name.
    fn from_str(text: &str) -> Result<ChannelRef, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a channel is an index (0, 1...) or a name (CH2, C3)".into());
        }
        Ok(match text.parse::<usize>() {
            Ok(k) => ChannelRef::Index(k),
            Err(_) => ChannelRef::Name(text.to_string()),
        })
    }
}

impl std::fmt::Display for ChannelRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChannelRef::Index(k) => write!(f, "{k}"),
            ChannelRef::Name(n) => f.write_str(n),
        }
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
    #[error("{path}: --channel {name}: no channel of that name; the capture has {names}")]
    ChannelName {
        path: String,
        name: String,
        names: String,
    },
    #[error("{path}: --segment {segment} but the capture has {segments} segment(s) (0-based)")]
    Segment {
        path: String,
        segment: usize,
        segments: usize,
    },
    /// A file a format cannot read: damaged, truncated, or a variant not supported; the
    /// error says what and gives the numbers found.
    #[error("{path}: {error}")]
    Format {
        path: String,
        error: Box<dyn std::error::Error + Send + Sync>,
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
