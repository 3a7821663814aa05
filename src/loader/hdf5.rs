//! HDF5 input: detection, dataset listing, attributes, time base and streaming reads.
//!
//! This is the only module that touches `hdf5_reader` (pure Rust, read-only), so the rest of
//! tracekit sees plain types: [`DatasetInfo`], [`AttrValue`], [`TimeBase`] and a
//! [`FrameReader`] that hands out raw C-order bytes in the file's byte order, exactly like the
//! `.npy` path does. Reads are windowed: only the chunks covering a window are decoded, and
//! the last decoded block is kept so sequential windows decode each chunk once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use hdf5_reader::error::Error as ReaderError;
use hdf5_reader::group::Group;
use hdf5_reader::messages::HdfMessage;
use hdf5_reader::messages::filter_pipeline::FilterDescription;
use hdf5_reader::messages::layout::DataLayout;
use hdf5_reader::{
    Attribute, ByteOrder, Dataset, Datatype, H5Type, Hdf5File, OpenOptions, SliceInfo,
    SliceInfoElem, VarLenKind,
};

use crate::sample::{DType, Endian};

/// The 8-byte HDF5 format signature.
pub const SIGNATURE: &[u8; 8] = b"\x89HDF\r\n\x1a\n";

/// A 2-D dataset `(C, N)` with `C` at most this and `N` above it is channels × samples.
const MAX_LEADING_CHANNELS: u64 = 64;
/// Numeric attribute arrays longer than this are summarised, not listed.
const MAX_ARRAY_ATTR: usize = 64;
/// How many values of an explicit time dataset are read to find its step.
const TIME_PROBE: usize = 65_536;
/// HDF5 filter ids that `hdf5_reader` decodes with default features off.
const DECODABLE_FILTERS: [u16; 6] = [1, 2, 3, 4, 5, 6];

/// Names (lower case) of a sample rate in Hz.
const RATE_NAMES: [&str; 5] = [
    "sample_rate",
    "samplerate",
    "sampling_rate",
    "samplingrate",
    "fs",
];
/// Names (lower case) of a sample interval in seconds.
const INTERVAL_NAMES: [&str; 6] = [
    "dt",
    "sample_interval",
    "sampleinterval",
    "xinc",
    "x_increment",
    "spacing",
];
/// Names (lower case) of the time of the first sample.
const START_NAMES: [&str; 5] = ["xorg", "x_origin", "starttime", "start_time", "t0"];
/// Names (lower case) of an explicit time-axis dataset; never picked as the waveform.
const TIME_AXIS_NAMES: [&str; 7] = [
    "time",
    "times",
    "t",
    "x_axis",
    "xaxis",
    "timestamps",
    "time_s",
];

/// Returns the superblock offset when `bytes` (a prefix or the whole mapped file) carries the
/// HDF5 signature at 0, 512, 1024, 2048, … (HDF5 allows a user block of those sizes).
pub fn sniff(bytes: &[u8]) -> Option<u64> {
    let mut offset = 0usize;
    loop {
        if bytes.get(offset..offset.checked_add(SIGNATURE.len())?)? == SIGNATURE {
            return u64::try_from(offset).ok();
        }
        offset = if offset == 0 {
            512
        } else {
            offset.checked_mul(2)?
        };
    }
}

/// Everything that can go wrong reading an HDF5 capture; each names the file and object.
#[derive(Debug, thiserror::Error)]
pub enum H5Error {
    #[error("{file}: cannot open as HDF5: {source}")]
    Open { file: PathBuf, source: ReaderError },
    #[error("{file}: cannot read the file size: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{file}: the file is truncated: HDF5 says it ends at byte {expected}, but it has {got} bytes"
    )]
    TruncatedFile {
        file: PathBuf,
        expected: u64,
        got: u64,
    },
    #[error(
        "{file}: the data of dataset {dataset} (bytes {start}..{end}) lie beyond the end of the file ({file_size} bytes): the file is truncated"
    )]
    DataBeyondEnd {
        file: PathBuf,
        dataset: String,
        start: u64,
        end: u64,
        file_size: u64,
    },
    #[error("{file}: cannot read {object}: {source} (the file is truncated or damaged)")]
    Damaged {
        file: PathBuf,
        object: String,
        source: ReaderError,
    },
    #[error("{file}: cannot read {object}: {source}")]
    Read {
        file: PathBuf,
        object: String,
        source: ReaderError,
    },
    #[error("{file}: no dataset {dataset}; the file holds: {available}")]
    DatasetNotFound {
        file: PathBuf,
        dataset: String,
        available: String,
    },
    #[error("{file}: dataset {dataset} holds {type_name} values, not numeric samples")]
    NotNumeric {
        file: PathBuf,
        dataset: String,
        type_name: String,
    },
    #[error(
        "{file}: dataset {dataset} has shape {shape:?}; a waveform is 1-D (samples) or 2-D (samples, channels)"
    )]
    BadShape {
        file: PathBuf,
        dataset: String,
        shape: Vec<u64>,
    },
    #[error(
        "{file}: no waveform-like dataset (numeric, 1-D or 2-D, more than one value); the file holds: {available}"
    )]
    NoWaveform { file: PathBuf, available: String },
    #[error("{file}: several waveform-like datasets, choose one with --dataset: {candidates}")]
    Ambiguous { file: PathBuf, candidates: String },
    #[error(
        "{file}: dataset {dataset} is stored with the {filter} filter, which tracekit cannot decode"
    )]
    UnsupportedFilter {
        file: PathBuf,
        dataset: String,
        filter: String,
    },
    #[error(
        "{file}: dataset {dataset}: {count} frames from frame {start} requested, but it has {frames}"
    )]
    OutOfRange {
        file: PathBuf,
        dataset: String,
        start: u64,
        count: usize,
        frames: u64,
    },
    #[error(
        "{file}: dataset {dataset}: got {got} bytes for frames {start}..{end}, expected {expected}"
    )]
    ShortRead {
        file: PathBuf,
        dataset: String,
        start: u64,
        end: u64,
        expected: usize,
        got: usize,
    },
}

/// How a dataset's raw data are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Contiguous,
    Chunked,
    Compact,
}

impl Layout {
    /// h5py's name for the layout.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Contiguous => "contiguous",
            Layout::Chunked => "chunked",
            Layout::Compact => "compact",
        }
    }
}

/// How a dataset maps onto frames (time steps) and channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameShape {
    pub frames: u64,
    pub channels: u64,
    /// Stored as `(channels, samples)`; [`FrameReader`] transposes it to `(samples, channels)`.
    pub channels_first: bool,
}

/// One dataset as `tracekit info` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetInfo {
    /// Absolute path, e.g. `/Waveforms/Memory 1/Memory 1Data`.
    pub path: String,
    pub shape: Vec<u64>,
    /// Sample type and byte order; `None` for strings, compounds and other non-numeric types.
    pub dtype: Option<(DType, Endian)>,
    /// NumPy name for numeric types, else the HDF5 class (`string`, `compound`, …).
    pub type_name: String,
    pub layout: Layout,
    pub chunk_shape: Option<Vec<u64>>,
    /// Filter pipeline in order, e.g. `["shuffle", "gzip(6)"]`.
    pub filters: Vec<String>,
    /// Absolute file offset of the raw C-order data, only for contiguous, unfiltered data
    /// that lies wholly inside this file, so the caller can memory-map it directly.
    pub data_offset: Option<u64>,
}

impl DatasetInfo {
    /// Number of elements (product of the shape; 1 for a scalar).
    pub fn elements(&self) -> u64 {
        self.shape.iter().fold(1u64, |n, &d| n.saturating_mul(d))
    }

    /// Frames × channels view, `None` above 2 dimensions or for scalars.
    pub fn frame_shape(&self) -> Option<FrameShape> {
        match *self.shape.as_slice() {
            [n] => Some(FrameShape {
                frames: n,
                channels: 1,
                channels_first: false,
            }),
            [c, n] if c <= MAX_LEADING_CHANNELS && n > MAX_LEADING_CHANNELS => Some(FrameShape {
                frames: n,
                channels: c,
                channels_first: true,
            }),
            [n, c] => Some(FrameShape {
                frames: n,
                channels: c,
                channels_first: false,
            }),
            _ => None,
        }
    }

    fn leaf_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    fn is_time_axis(&self) -> bool {
        name_in(self.leaf_name(), &TIME_AXIS_NAMES)
    }

    /// `path (shape, type)`, for error messages that list what exists.
    fn summary(&self) -> String {
        format!("{} {:?} {}", self.path, self.shape, self.type_name)
    }
}

/// An attribute value simple enough to show as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(String),
    Array(Vec<AttrValue>),
    /// A value not shown in full; the text describes it (`compound`, `1000 × float32`…).
    Unsupported(String),
}

impl AttrValue {
    /// The value as a number, also from a 1-element array (many writers store scalars so).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(v) => Some(*v as f64),
            AttrValue::UInt(v) => Some(*v as f64),
            AttrValue::Float(v) => Some(*v),
            AttrValue::Array(items) if items.len() == 1 => items[0].as_f64(),
            _ => None,
        }
    }
}

/// The attributes of one object (the dataset, a parent group or the root).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectAttributes {
    pub object: String,
    pub attributes: Vec<(String, AttrValue)>,
}

/// A value found in the file and where it came from, e.g. `attribute XInc on /Waveforms`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced {
    pub value: f64,
    pub source: String,
}

/// What the file says about time: rate (Hz), time of the first sample (s), and notes
/// on clues that were found but not usable (e.g. a non-uniform time dataset).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeBase {
    pub sample_rate: Option<Sourced>,
    pub start_time: Option<Sourced>,
    pub notes: Vec<String>,
}

/// Where a dataset's bytes are, as the object header says.
struct Storage {
    layout: Layout,
    filters: Vec<FilterDescription>,
    /// Absolute offset and size of contiguous data stored in this file.
    contiguous: Option<(u64, u64)>,
}

/// An open HDF5 file.
pub struct H5File {
    path: PathBuf,
    file: Hdf5File,
    file_size: u64,
}

impl H5File {
    /// Opens `path` and checks that it is not shorter than its superblock says.
    pub fn open(path: &Path) -> Result<Self, H5Error> {
        let io_err = |source| H5Error::Io {
            file: path.to_path_buf(),
            source,
        };
        let file_size = std::fs::metadata(path).map_err(io_err)?.len();
        // Chunk caching is done by FrameReader (one block, exactly what a window needs), so
        // the library's own 64 MiB cache would only double the memory.
        let options = OpenOptions::default().with_chunk_cache_bytes(0);
        let file = Hdf5File::open_with_options(path, options).map_err(|source| H5Error::Open {
            file: path.to_path_buf(),
            source,
        })?;
        let superblock = file.superblock();
        if superblock.eof_address != undefined_address(superblock.offset_size) {
            let expected = superblock
                .base_address
                .saturating_add(superblock.eof_address);
            if expected > file_size {
                return Err(H5Error::TruncatedFile {
                    file: path.to_path_buf(),
                    expected,
                    got: file_size,
                });
            }
        }
        Ok(H5File {
            path: path.to_path_buf(),
            file,
            file_size,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Byte offset of the superblock (non-zero behind a user block).
    pub fn superblock_offset(&self) -> u64 {
        self.file.superblock().base_address
    }

    /// Every dataset in the file, sorted by path. Reads object headers only.
    pub fn datasets(&self) -> Result<Vec<DatasetInfo>, H5Error> {
        let root = self
            .file
            .root_group()
            .map_err(|e| self.read_error("/", e))?;
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        self.walk(&root, "", &mut seen, &mut found)?;
        found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(found)
    }

    /// One dataset's description.
    pub fn dataset_info(&self, dataset_path: &str) -> Result<DatasetInfo, H5Error> {
        let path = normalize(dataset_path);
        let dataset = self.open_dataset(&path)?;
        self.info_of(path, &dataset)
    }

    /// The dataset to read: `explicit` if given, else the one waveform-like dataset (numeric,
    /// 1-D or 2-D, more than one value, not named like a time axis; the largest when every
    /// other candidate has at most 1 % of its values).
    pub fn choose_dataset(&self, explicit: Option<&str>) -> Result<DatasetInfo, H5Error> {
        let all = self.datasets()?;
        if let Some(wanted) = explicit {
            let wanted = normalize(wanted);
            let Some(info) = all.iter().find(|d| d.path == wanted) else {
                return Err(H5Error::DatasetNotFound {
                    file: self.path.clone(),
                    dataset: wanted,
                    available: listing(all.iter()),
                });
            };
            self.check_waveform(info)?;
            return Ok(info.clone());
        }
        let candidates: Vec<&DatasetInfo> = all
            .iter()
            .filter(|d| d.dtype.is_some() && d.frame_shape().is_some() && d.elements() > 1)
            .collect();
        let mut preferred: Vec<&DatasetInfo> = candidates
            .iter()
            .copied()
            .filter(|d| !d.is_time_axis())
            .collect();
        if preferred.is_empty() {
            preferred = candidates;
        }
        preferred.sort_by_key(|d| std::cmp::Reverse(d.elements()));
        match preferred.as_slice() {
            [] => Err(H5Error::NoWaveform {
                file: self.path.clone(),
                available: listing(all.iter()),
            }),
            [only] => Ok((*only).clone()),
            [largest, second, ..]
                if second.elements().saturating_mul(100) <= largest.elements() =>
            {
                Ok((*largest).clone())
            }
            several => Err(H5Error::Ambiguous {
                file: self.path.clone(),
                candidates: listing(several.iter().copied()),
            }),
        }
    }

    /// Attributes of the dataset, then of each parent group up to the root.
    pub fn attributes(&self, dataset_path: &str) -> Result<Vec<ObjectAttributes>, H5Error> {
        let path = normalize(dataset_path);
        let dataset = self.open_dataset(&path)?;
        let mut objects = vec![ObjectAttributes {
            attributes: named_values(&dataset.attributes()),
            object: path.clone(),
        }];
        for parent in parents(&path) {
            let group = self.open_group(&parent)?;
            let attrs = group
                .attributes()
                .map_err(|e| self.read_error(&parent, e))?;
            objects.push(ObjectAttributes {
                object: parent,
                attributes: named_values(&attrs),
            });
        }
        Ok(objects)
    }

    /// Sample rate and start time of `dataset_path`, searched nearest first: the dataset's
    /// attributes, then each parent group's attributes and 1-element datasets, up to the root
    /// (rate names, or interval names giving 1/value; start names); failing that, a time-axis
    /// dataset of the same length (median step, checked for uniformity; first value).
    pub fn time_base(&self, dataset_path: &str) -> Result<TimeBase, H5Error> {
        let path = normalize(dataset_path);
        let dataset = self.open_dataset(&path)?;
        let frames = self
            .info_of(path.clone(), &dataset)?
            .frame_shape()
            .map(|s| s.frames);
        let mut clues: Vec<(String, f64, String)> = Vec::new();
        let mut time_axis: Option<DatasetInfo> = None;
        push_attr_clues(&mut clues, &dataset.attributes(), &path);
        for parent in parents(&path) {
            let group = self.open_group(&parent)?;
            let attrs = group
                .attributes()
                .map_err(|e| self.read_error(&parent, e))?;
            push_attr_clues(&mut clues, &attrs, &parent);
            let (_, members) = group.members().map_err(|e| self.read_error(&parent, e))?;
            for member in members {
                let member_path = join(&parent, member.name());
                if member_path == path {
                    continue;
                }
                let name = member.name().to_string();
                let known = name_in(&name, &RATE_NAMES)
                    || name_in(&name, &INTERVAL_NAMES)
                    || name_in(&name, &START_NAMES);
                if known && member.shape().iter().product::<u64>() == 1 {
                    if let Some(value) = self.scalar_dataset(&member_path, &member)? {
                        clues.push((name, value, format!("dataset {member_path}")));
                    }
                } else if time_axis.is_none()
                    && name_in(&name, &TIME_AXIS_NAMES)
                    && frames.is_some()
                    && member.shape() == [frames.unwrap_or(0)]
                {
                    let info = self.info_of(member_path, &member)?;
                    if info.dtype.is_some() {
                        time_axis = Some(info);
                    }
                }
            }
        }
        let mut base = TimeBase {
            sample_rate: clues.iter().find_map(|(name, value, source)| {
                let rate = if name_in(name, &RATE_NAMES) {
                    *value
                } else if name_in(name, &INTERVAL_NAMES) {
                    1.0 / *value
                } else {
                    return None;
                };
                (rate.is_finite() && rate > 0.0).then(|| Sourced {
                    value: rate,
                    source: source.clone(),
                })
            }),
            start_time: clues.iter().find_map(|(name, value, source)| {
                (name_in(name, &START_NAMES) && value.is_finite()).then(|| Sourced {
                    value: *value,
                    source: source.clone(),
                })
            }),
            notes: Vec::new(),
        };
        if let Some(axis) = time_axis
            && (base.sample_rate.is_none() || base.start_time.is_none())
        {
            self.use_time_axis(&axis, &mut base)?;
        }
        Ok(base)
    }

    /// A streaming reader of `dataset_path` (which must be numeric, 1-D or 2-D).
    pub fn reader(&self, dataset_path: &str) -> Result<FrameReader, H5Error> {
        let path = normalize(dataset_path);
        let dataset = self.open_dataset(&path)?;
        let storage = self.storage_of(&path, &dataset)?;
        let info = self.info_of(path.clone(), &dataset)?;
        let (dtype, endian, shape) = self.check_waveform(&info)?;
        if let Some(filter) = storage
            .filters
            .iter()
            .find(|f| !DECODABLE_FILTERS.contains(&f.id))
        {
            return Err(H5Error::UnsupportedFilter {
                file: self.path.clone(),
                dataset: path,
                filter: filter_name(filter),
            });
        }
        if let Some((start, size)) = storage.contiguous {
            let end = start.saturating_add(size);
            if end > self.file_size {
                return Err(H5Error::DataBeyondEnd {
                    file: self.path.clone(),
                    dataset: path,
                    start,
                    end,
                    file_size: self.file_size,
                });
            }
        }
        let sample_axis = usize::from(shape.channels_first);
        let block_frames = info
            .chunk_shape
            .as_ref()
            .and_then(|chunk| chunk.get(sample_axis).copied())
            .filter(|&n| n > 0);
        let channels = usize::try_from(shape.channels).map_err(|_| H5Error::BadShape {
            file: self.path.clone(),
            dataset: path.clone(),
            shape: info.shape.clone(),
        })?;
        Ok(FrameReader {
            file: self.path.clone(),
            path,
            dataset,
            dtype,
            endian,
            frames: shape.frames,
            channels,
            channels_first: shape.channels_first,
            block_frames,
            block: None,
            scratch: Vec::new(),
        })
    }

    fn check_waveform(&self, info: &DatasetInfo) -> Result<(DType, Endian, FrameShape), H5Error> {
        let Some((dtype, endian)) = info.dtype else {
            return Err(H5Error::NotNumeric {
                file: self.path.clone(),
                dataset: info.path.clone(),
                type_name: info.type_name.clone(),
            });
        };
        let shape = info.frame_shape().ok_or_else(|| H5Error::BadShape {
            file: self.path.clone(),
            dataset: info.path.clone(),
            shape: info.shape.clone(),
        })?;
        Ok((dtype, endian, shape))
    }

    /// Rate and/or start time from an explicit time-axis dataset; only its first
    /// [`TIME_PROBE`] values and its last one are read, so this stays instant on huge files.
    fn use_time_axis(&self, axis: &DatasetInfo, base: &mut TimeBase) -> Result<(), H5Error> {
        let Some((dtype, endian)) = axis.dtype else {
            return Ok(());
        };
        let mut reader = self.reader(&axis.path)?;
        let n = reader.frames();
        let probe = usize::try_from(n).map_or(TIME_PROBE, |n| n.min(TIME_PROBE));
        let mut bytes = Vec::new();
        reader.read_frames(0, probe, &mut bytes)?;
        let times = decode_f64s(&bytes, dtype, endian);
        if base.start_time.is_none()
            && let Some(&t0) = times.first().filter(|t| t.is_finite())
        {
            base.start_time = Some(Sourced {
                value: t0,
                source: format!("first value of dataset {}", axis.path),
            });
        }
        if base.sample_rate.is_some() || times.len() < 2 {
            return Ok(());
        }
        reader.read_frames(n - 1, 1, &mut bytes)?;
        let last = decode_f64s(&bytes, dtype, endian).first().copied();
        let mut steps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        steps.sort_by(f64::total_cmp);
        let mid = steps.len() / 2;
        let median = if steps.len() % 2 == 1 {
            steps[mid]
        } else {
            (steps[mid - 1] + steps[mid]) / 2.0
        };
        let span_step = last.map(|last| (last - times[0]) / (n - 1) as f64);
        // Steps of a uniform axis differ only by rounding of the stored times.
        let epsilon = match dtype {
            DType::F32 => f64::from(f32::EPSILON),
            DType::F16 => 1e-3,
            DType::F64 => f64::EPSILON,
            _ => 0.0,
        };
        let magnitude = times[0].abs().max(last.unwrap_or(0.0).abs());
        let tolerance = 1e-6 * median.abs() + 4.0 * epsilon * magnitude;
        let (low, high) = (steps[0], steps[steps.len() - 1]);
        let uniform = median.is_finite()
            && median > 0.0
            && high - median <= tolerance
            && median - low <= tolerance
            && span_step.is_some_and(|s| (s - median).abs() <= tolerance);
        if uniform {
            base.sample_rate = Some(Sourced {
                value: 1.0 / median,
                source: format!(
                    "dataset {} (median step of its first {} values)",
                    axis.path,
                    times.len()
                ),
            });
        } else {
            base.notes.push(format!(
                "dataset {} is not a uniform time axis (steps from {low} to {high}, median {median}); no sample rate taken from it",
                axis.path
            ));
        }
        Ok(())
    }

    /// Value of a 1-element numeric dataset, `None` if it is not numeric.
    fn scalar_dataset(&self, path: &str, dataset: &Dataset) -> Result<Option<f64>, H5Error> {
        let Some((dtype, endian)) = numeric_type(dataset.dtype()) else {
            return Ok(None);
        };
        let bytes = dataset
            .read_raw_bytes()
            .map_err(|e| self.read_error(path, e))?;
        Ok(decode_f64s(&bytes, dtype, endian).first().copied())
    }

    fn walk(
        &self,
        group: &Group,
        prefix: &str,
        seen: &mut HashSet<u64>,
        found: &mut Vec<DatasetInfo>,
    ) -> Result<(), H5Error> {
        // Hard links can make a group its own descendant.
        if !seen.insert(group.address()) {
            return Ok(());
        }
        let here = if prefix.is_empty() { "/" } else { prefix };
        let (groups, datasets) = group.members().map_err(|e| self.read_error(here, e))?;
        for dataset in &datasets {
            let path = format!("{prefix}/{}", dataset.name());
            found.push(self.info_of(path, dataset)?);
        }
        for child in &groups {
            self.walk(child, &format!("{prefix}/{}", child.name()), seen, found)?;
        }
        Ok(())
    }

    fn info_of(&self, path: String, dataset: &Dataset) -> Result<DatasetInfo, H5Error> {
        let storage = self.storage_of(&path, dataset)?;
        let fits = |&(start, size): &(u64, u64)| start.saturating_add(size) <= self.file_size;
        Ok(DatasetInfo {
            shape: dataset.shape().to_vec(),
            dtype: numeric_type(dataset.dtype()),
            type_name: type_name(dataset.dtype()),
            layout: storage.layout,
            chunk_shape: dataset
                .chunks()
                .map(|c| c.into_iter().map(u64::from).collect()),
            filters: storage.filters.iter().map(filter_name).collect(),
            data_offset: storage
                .contiguous
                .filter(|c| storage.filters.is_empty() && fits(c))
                .map(|(start, _)| start),
            path,
        })
    }

    fn storage_of(&self, path: &str, dataset: &Dataset) -> Result<Storage, H5Error> {
        let header = self
            .file
            .get_or_parse_header(dataset.address())
            .map_err(|e| self.read_error(path, e))?;
        let mut layout = None;
        let mut filters = Vec::new();
        let mut external = false;
        for message in &header.messages {
            match message {
                HdfMessage::DataLayout(m) => layout = Some(m.layout.clone()),
                HdfMessage::FilterPipeline(p) => filters = p.filters.clone(),
                HdfMessage::ExternalFiles(_) => external = true,
                _ => {}
            }
        }
        let superblock = self.file.superblock();
        let (layout, contiguous) = match layout {
            Some(DataLayout::Contiguous { address, size }) => {
                let stored_here =
                    !external && size > 0 && address != undefined_address(superblock.offset_size);
                let start = superblock.base_address.saturating_add(address);
                (Layout::Contiguous, stored_here.then_some((start, size)))
            }
            Some(DataLayout::Chunked { .. }) => (Layout::Chunked, None),
            Some(DataLayout::Compact { .. }) => (Layout::Compact, None),
            None => {
                return Err(self.read_error(
                    path,
                    ReaderError::InvalidData("dataset has no data layout message".into()),
                ));
            }
        };
        Ok(Storage {
            layout,
            filters,
            contiguous,
        })
    }

    fn open_dataset(&self, path: &str) -> Result<Dataset, H5Error> {
        self.file.dataset(path).map_err(|e| match innermost(&e) {
            ReaderError::DatasetNotFound(_) | ReaderError::GroupNotFound(_) => {
                let available = self
                    .datasets()
                    .map(|all| listing(all.iter()))
                    .unwrap_or_else(|err| format!("(listing failed: {err})"));
                H5Error::DatasetNotFound {
                    file: self.path.clone(),
                    dataset: path.to_string(),
                    available,
                }
            }
            _ => self.read_error(path, e),
        })
    }

    fn open_group(&self, path: &str) -> Result<Group, H5Error> {
        let group = if path == "/" {
            self.file.root_group()
        } else {
            self.file.group(path)
        };
        group.map_err(|e| self.read_error(path, e))
    }

    fn read_error(&self, object: &str, source: ReaderError) -> H5Error {
        read_error(&self.path, object, source)
    }
}

/// Reads frames `[start, start + count)` of one dataset as raw C-order bytes.
pub struct FrameReader {
    file: PathBuf,
    path: String,
    dataset: Dataset,
    dtype: DType,
    endian: Endian,
    frames: u64,
    channels: usize,
    channels_first: bool,
    /// Frames per chunk along the sample axis (chunked layout only): the unit decoded at once.
    block_frames: Option<u64>,
    /// The last decoded block: its first frame and its bytes in (frames, channels) order.
    block: Option<(u64, Vec<u8>)>,
    /// Channels-first data before transposition, kept to reuse its allocation.
    scratch: Vec<u8>,
}

impl FrameReader {
    pub fn dataset_path(&self) -> &str {
        &self.path
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    pub fn endian(&self) -> Endian {
        self.endian
    }

    pub fn frames(&self) -> u64 {
        self.frames
    }

    pub fn channels(&self) -> usize {
        self.channels
    }

    /// True when the dataset is stored `(channels, samples)` and reads are transposed.
    pub fn channels_first(&self) -> bool {
        self.channels_first
    }

    /// Bytes per frame (all channels of one time step).
    pub fn frame_bytes(&self) -> usize {
        self.channels * self.dtype.size()
    }

    /// Replaces `out` with frames `[start, start + count)` as C-order `(frames, channels)`
    /// bytes in the file's byte order. Chunked data are decoded one chunk-row block at a time
    /// and the last block is kept, so reading windows in order decodes every chunk once; memory
    /// stays at one block plus the window.
    pub fn read_frames(
        &mut self,
        start: u64,
        count: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), H5Error> {
        let end = start
            .checked_add(count as u64)
            .filter(|&end| end <= self.frames)
            .ok_or_else(|| H5Error::OutOfRange {
                file: self.file.clone(),
                dataset: self.path.clone(),
                start,
                count,
                frames: self.frames,
            })?;
        out.clear();
        let Some(block) = self.block_frames else {
            return self.read_span(start, end, out);
        };
        let frame_bytes = self.frame_bytes();
        let mut frame = start;
        while frame < end {
            let first = frame - frame % block;
            if self.block.as_ref().map(|(f, _)| *f) != Some(first) {
                let mut bytes = self.block.take().map(|(_, b)| b).unwrap_or_default();
                self.read_span(
                    first,
                    first.saturating_add(block).min(self.frames),
                    &mut bytes,
                )?;
                self.block = Some((first, bytes));
            }
            let (first, bytes) = self
                .block
                .as_ref()
                .expect("the block holding `frame` was loaded just above");
            let stop = end.min(first + block);
            // Both offsets are within the block, whose length read_span checked.
            let from = (frame - first) as usize * frame_bytes;
            let to = (stop - first) as usize * frame_bytes;
            out.extend_from_slice(&bytes[from..to]);
            frame = stop;
        }
        Ok(())
    }

    /// Reads frames `[first, last)` straight from the library into `buf`, transposing
    /// channels-first data, and checks the byte count.
    fn read_span(&mut self, first: u64, last: u64, buf: &mut Vec<u8>) -> Result<(), H5Error> {
        buf.clear();
        let frames = Slice(first, last);
        let all_channels = Slice(0, self.channels as u64);
        let selection = match (self.dataset.ndim(), self.channels_first) {
            (1, _) => vec![frames],
            (_, false) => vec![frames, all_channels],
            (_, true) => vec![all_channels, frames],
        };
        let selection = SliceInfo {
            selections: selection.into_iter().map(Slice::elem).collect(),
        };
        let elem = self.dtype.size();
        let target = if self.channels_first {
            &mut self.scratch
        } else {
            &mut *buf
        };
        target.clear();
        read_raw(&self.dataset, &selection, elem, target)
            .map_err(|e| read_error(&self.file, &self.path, e))?;
        let expected = (last - first) as usize * self.channels * elem;
        if target.len() != expected {
            return Err(H5Error::ShortRead {
                file: self.file.clone(),
                dataset: self.path.clone(),
                start: first,
                end: last,
                expected,
                got: target.len(),
            });
        }
        if self.channels_first {
            transpose(&self.scratch, self.channels, elem, buf);
        }
        Ok(())
    }
}

/// A unit-step range on one axis.
#[derive(Clone, Copy)]
struct Slice(u64, u64);

impl Slice {
    fn elem(self) -> SliceInfoElem {
        SliceInfoElem::Slice {
            start: self.0,
            end: self.1,
            step: 1,
        }
    }
}

/// One element as stored, so the library copies bytes without decoding or byte swapping.
#[derive(Clone)]
struct RawElem<const N: usize>([u8; N]);

impl<const N: usize> H5Type for RawElem<N> {
    fn hdf5_type() -> Datatype {
        Datatype::Opaque {
            size: N as u32,
            tag: String::new(),
        }
    }

    fn from_bytes(bytes: &[u8], _dtype: &Datatype) -> hdf5_reader::error::Result<Self> {
        let (chunks, _) = bytes.as_chunks::<N>();
        chunks.first().map(|c| RawElem(*c)).ok_or_else(|| {
            ReaderError::InvalidData(format!("element needs {N} bytes, got {}", bytes.len()))
        })
    }

    fn element_size(_dtype: &Datatype) -> usize {
        N
    }

    fn decode_vec(
        raw: &[u8],
        _dtype: &Datatype,
        count: usize,
    ) -> Option<hdf5_reader::error::Result<Vec<Self>>> {
        let (chunks, _) = raw.get(..count.checked_mul(N)?)?.as_chunks::<N>();
        Some(Ok(chunks.iter().map(|c| RawElem(*c)).collect()))
    }

    fn native_copy_compatible(dtype: &Datatype) -> bool {
        numeric_type(dtype).is_some_and(|(d, _)| d.size() == N)
    }
}

/// Appends the selected elements' stored bytes to `out`.
fn read_raw(
    dataset: &Dataset,
    selection: &SliceInfo,
    elem: usize,
    out: &mut Vec<u8>,
) -> hdf5_reader::error::Result<()> {
    fn read_n<const N: usize>(
        dataset: &Dataset,
        selection: &SliceInfo,
        out: &mut Vec<u8>,
    ) -> hdf5_reader::error::Result<()> {
        let array = dataset.read_slice::<RawElem<N>>(selection)?;
        let elements = array.as_slice_memory_order().ok_or_else(|| {
            ReaderError::InvalidData("decoded slice is not contiguous in memory".into())
        })?;
        out.reserve(elements.len() * N);
        for element in elements {
            out.extend_from_slice(&element.0);
        }
        Ok(())
    }
    match elem {
        1 => read_n::<1>(dataset, selection, out),
        2 => read_n::<2>(dataset, selection, out),
        4 => read_n::<4>(dataset, selection, out),
        8 => read_n::<8>(dataset, selection, out),
        other => Err(ReaderError::InvalidData(format!(
            "no raw reader for {other}-byte elements"
        ))),
    }
}

/// Appends `(rows, n)` C-order elements of `elem` bytes to `out` as `(n, rows)`.
fn transpose(src: &[u8], rows: usize, elem: usize, out: &mut Vec<u8>) {
    let n = src.len() / (rows * elem).max(1);
    out.reserve(src.len());
    for col in 0..n {
        for row in 0..rows {
            let at = (row * n + col) * elem;
            out.extend_from_slice(&src[at..at + elem]);
        }
    }
}

fn read_error(file: &Path, object: &str, source: ReaderError) -> H5Error {
    let damaged = match innermost(&source) {
        ReaderError::UnexpectedEof { .. } | ReaderError::OffsetOutOfBounds(_) => true,
        ReaderError::Io(e) => e.kind() == std::io::ErrorKind::UnexpectedEof,
        _ => false,
    };
    let file = file.to_path_buf();
    let object = object.to_string();
    if damaged {
        H5Error::Damaged {
            file,
            object,
            source,
        }
    } else {
        H5Error::Read {
            file,
            object,
            source,
        }
    }
}

/// The library wraps errors in path context; the cause decides how we report it.
fn innermost(error: &ReaderError) -> &ReaderError {
    match error {
        ReaderError::Context { source, .. } => innermost(source),
        other => other,
    }
}

/// The all-ones "undefined address" for the file's offset width.
fn undefined_address(offset_size: u8) -> u64 {
    match offset_size {
        1..=7 => (1u64 << (8 * u32::from(offset_size))) - 1,
        _ => u64::MAX,
    }
}

/// Sample type of a numeric HDF5 datatype; h5py's `bool` (an 8-bit enum FALSE/TRUE) is Bool.
fn numeric_type(datatype: &Datatype) -> Option<(DType, Endian)> {
    let endian = |order: &ByteOrder| match order {
        ByteOrder::LittleEndian => Endian::Little,
        ByteOrder::BigEndian => Endian::Big,
    };
    match datatype {
        Datatype::FixedPoint {
            size,
            signed,
            byte_order,
        } => {
            let dtype = match (size, signed) {
                (1, true) => DType::I8,
                (1, false) => DType::U8,
                (2, true) => DType::I16,
                (2, false) => DType::U16,
                (4, true) => DType::I32,
                (4, false) => DType::U32,
                (8, true) => DType::I64,
                (8, false) => DType::U64,
                _ => return None,
            };
            Some((dtype, endian(byte_order)))
        }
        Datatype::FloatingPoint { size, byte_order } => {
            let dtype = match size {
                2 => DType::F16,
                4 => DType::F32,
                8 => DType::F64,
                _ => return None,
            };
            Some((dtype, endian(byte_order)))
        }
        Datatype::Enum { base, members } => {
            let is_bool = members.len() == 2
                && members.iter().any(|m| m.name == "FALSE" && m.value == [0])
                && members.iter().any(|m| m.name == "TRUE" && m.value == [1]);
            let byte_sized = matches!(**base, Datatype::FixedPoint { size: 1, .. });
            (is_bool && byte_sized).then_some((DType::Bool, Endian::Little))
        }
        _ => None,
    }
}

fn type_name(datatype: &Datatype) -> String {
    if let Some((dtype, _)) = numeric_type(datatype) {
        return dtype.numpy_name().to_string();
    }
    match datatype {
        Datatype::String { .. }
        | Datatype::VarLen {
            kind: VarLenKind::String,
            ..
        } => "string",
        Datatype::Compound { .. } => "compound",
        Datatype::Array { .. } => "array",
        Datatype::Enum { .. } => "enum",
        Datatype::VarLen { .. } => "variable-length",
        Datatype::Opaque { .. } => "opaque",
        Datatype::Reference { .. } => "reference",
        Datatype::Bitfield { .. } => "bitfield",
        Datatype::FixedPoint { size, .. } => return format!("{size}-byte integer"),
        Datatype::FloatingPoint { size, .. } => return format!("{size}-byte float"),
    }
    .to_string()
}

/// h5py-style filter names: `gzip(6)`, `shuffle`, `fletcher32`, or the id when unknown.
fn filter_name(filter: &FilterDescription) -> String {
    let known = match filter.id {
        1 => {
            return match filter.client_data.first() {
                Some(level) => format!("gzip({level})"),
                None => "gzip".to_string(),
            };
        }
        2 => "shuffle",
        3 => "fletcher32",
        4 => "szip",
        5 => "nbit",
        6 => "scaleoffset",
        307 => "bzip2",
        32000 => "lzf",
        32001 => "blosc",
        32004 => "lz4",
        32008 => "bitshuffle",
        32015 => "zstd",
        id => {
            return match filter.name.as_deref().filter(|n| !n.is_empty()) {
                Some(name) => format!("{name} (filter id {id})"),
                None => format!("filter id {id}"),
            };
        }
    };
    known.to_string()
}

/// One stored element as a value; `None` for float16 (no metadata uses it).
fn decode_scalar(bytes: &[u8], dtype: DType, endian: Endian) -> Option<AttrValue> {
    let size = dtype.size();
    let bytes = bytes.get(..size)?;
    let bits = match endian {
        Endian::Little => bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        Endian::Big => bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    };
    let unused = 64 - 8 * size as u32;
    Some(match dtype {
        DType::Bool => AttrValue::Bool(bits != 0),
        DType::I8 | DType::I16 | DType::I32 | DType::I64 => {
            AttrValue::Int(((bits << unused) as i64) >> unused)
        }
        DType::U8 | DType::U16 | DType::U32 | DType::U64 => AttrValue::UInt(bits),
        DType::F32 => AttrValue::Float(f64::from(f32::from_bits(bits as u32))),
        DType::F64 => AttrValue::Float(f64::from_bits(bits)),
        DType::F16 => return None,
    })
}

fn decode_f64s(bytes: &[u8], dtype: DType, endian: Endian) -> Vec<f64> {
    bytes
        .chunks_exact(dtype.size())
        .filter_map(|b| decode_scalar(b, dtype, endian)?.as_f64())
        .collect()
}

fn attr_value(attr: &Attribute) -> AttrValue {
    let scalar = attr.shape.is_empty();
    let wrap = |mut items: Vec<AttrValue>| {
        if scalar && items.len() == 1 {
            items.swap_remove(0)
        } else if items.len() > MAX_ARRAY_ATTR {
            AttrValue::Unsupported(format!("{} values", items.len()))
        } else {
            AttrValue::Array(items)
        }
    };
    let texts = |strings: Vec<String>| wrap(strings.into_iter().map(AttrValue::Text).collect());
    if let Some(strings) = &attr.decoded_strings {
        return texts(strings.clone());
    }
    // Enums show their integer value, as h5py does.
    let value_type = match &attr.datatype {
        Datatype::Enum { base, .. } => numeric_type(&attr.datatype).or_else(|| numeric_type(base)),
        other => numeric_type(other),
    };
    if let Some((dtype, endian)) = value_type {
        let count = attr.num_elements().unwrap_or(0);
        if count > MAX_ARRAY_ATTR as u64 {
            return AttrValue::Unsupported(format!("{count} × {}", dtype.numpy_name()));
        }
        let values: Option<Vec<AttrValue>> = attr
            .raw_data
            .chunks_exact(dtype.size())
            .take(count as usize)
            .map(|b| decode_scalar(b, dtype, endian))
            .collect();
        return match values {
            Some(values) if values.len() as u64 == count => wrap(values),
            _ => AttrValue::Unsupported(format!("{count} × {}", dtype.numpy_name())),
        };
    }
    match &attr.datatype {
        Datatype::String { .. } => match attr.read_strings() {
            Ok(strings) => texts(strings),
            Err(e) => AttrValue::Unsupported(format!("unreadable string ({e})")),
        },
        other => AttrValue::Unsupported(type_name(other)),
    }
}

fn named_values(attrs: &[Attribute]) -> Vec<(String, AttrValue)> {
    attrs
        .iter()
        .map(|a| (a.name.clone(), attr_value(a)))
        .collect()
}

/// Numeric attributes whose names mean rate, interval or start time.
fn push_attr_clues(clues: &mut Vec<(String, f64, String)>, attrs: &[Attribute], object: &str) {
    for attr in attrs {
        let name = attr.name.as_str();
        let known = name_in(name, &RATE_NAMES)
            || name_in(name, &INTERVAL_NAMES)
            || name_in(name, &START_NAMES);
        if known && let Some(value) = attr_value(attr).as_f64() {
            clues.push((
                name.to_string(),
                value,
                format!("attribute {name} on {object}"),
            ));
        }
    }
}

fn name_in(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// `/a/b` form: leading slash, no empty components.
fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

fn join(group: &str, name: &str) -> String {
    if group == "/" {
        format!("/{name}")
    } else {
        format!("{group}/{name}")
    }
}

/// Parent groups of a normalized path, nearest first, ending with `/`.
fn parents(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = path;
    while let Some(cut) = current.rfind('/') {
        current = &current[..cut];
        out.push(if current.is_empty() {
            "/".to_string()
        } else {
            current.to_string()
        });
        if current.is_empty() {
            break;
        }
    }
    out
}

fn listing<'a>(datasets: impl Iterator<Item = &'a DatasetInfo>) -> String {
    let items: Vec<String> = datasets.map(DatasetInfo::summary).collect();
    if items.is_empty() {
        "no datasets".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn sniff_finds_signature_at_power_of_two_offsets() {
        let mut bytes = vec![0u8; 4096];
        assert_eq!(sniff(&bytes), None);
        bytes[2048..2056].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&bytes), Some(2048));
        bytes[512..520].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&bytes), Some(512));
        // Not at a permitted offset.
        let mut odd = vec![0u8; 4096];
        odd[100..108].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&odd), None);
        assert_eq!(sniff(&SIGNATURE[..7]), None);
        assert_eq!(sniff(SIGNATURE), Some(0));
    }

    #[test]
    fn parents_and_normalize() {
        assert_eq!(normalize("a//b/"), "/a/b");
        assert_eq!(parents("/a/b/c"), ["/a/b", "/a", "/"]);
        assert_eq!(parents("/c"), ["/"]);
    }

    #[test]
    fn decode_scalar_sign_extends_and_swaps() {
        assert_eq!(
            decode_scalar(&[0xfe, 0xff], DType::I16, Endian::Little),
            Some(AttrValue::Int(-2))
        );
        assert_eq!(
            decode_scalar(&[0x01, 0x02], DType::U16, Endian::Big),
            Some(AttrValue::UInt(0x0102))
        );
        assert_eq!(
            decode_scalar(&1.5f64.to_be_bytes(), DType::F64, Endian::Big),
            Some(AttrValue::Float(1.5))
        );
    }

    #[test]
    fn transpose_channels_first() {
        // 2 channels x 3 samples of 1-byte elements.
        let mut out = Vec::new();
        transpose(&[1, 2, 3, 10, 20, 30], 2, 1, &mut out);
        assert_eq!(out, [1, 10, 2, 20, 3, 30]);
    }
}
