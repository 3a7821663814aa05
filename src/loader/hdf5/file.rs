//! An open HDF5 file: its datasets, how each is stored, which one is the waveform.

use super::attrs::{ObjectAttributes, named_values};
use super::chunked::{ChunkedData, ChunkedFrames};
use super::chunks::{Dataset as ChunkedDataset, Geometry, read_index};
use super::decode::Filters;
use super::error::{H5Error, innermost, read_error};
use super::frames::FrameReader;
use super::hidden::{self, Unreadable};
use super::timebase::{TIME_AXIS_NAMES, name_in};
use crate::sample::{DType, Endian};
use hdf5_reader::error::Error as ReaderError;
use hdf5_reader::group::Group;
use hdf5_reader::messages::HdfMessage;
use hdf5_reader::messages::filter_pipeline::FilterDescription;
use hdf5_reader::messages::layout::{ChunkIndexing, DataLayout};
use hdf5_reader::{ByteOrder, Dataset, Datatype, Hdf5File, OpenOptions, VarLenKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A 2-D dataset `(C, N)` with `C` at most this and `N` above it is channels × samples.
pub(super) const MAX_LEADING_CHANNELS: u64 = 64;
/// HDF5 filter ids that `hdf5_reader` decodes with default features off.
pub(super) const DECODABLE_FILTERS: [u16; 6] = [1, 2, 3, 4, 5, 6];

/// How a dataset's raw data are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Contiguous,
    Chunked,
    Compact,
    /// A virtual dataset (data mapped from other datasets), listed but not read.
    Virtual,
    /// Another storage the library does not parse, listed but not read.
    Unknown,
}

impl Layout {
    /// h5py's name for the layout.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Contiguous => "contiguous",
            Layout::Chunked => "chunked",
            Layout::Compact => "compact",
            Layout::Virtual => "virtual",
            Layout::Unknown => "unknown",
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
    /// Why tracekit cannot read it (`a virtual dataset (layout class 3)`); None when it can.
    pub unsupported: Option<String>,
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

    pub(super) fn leaf_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    pub(super) fn is_time_axis(&self) -> bool {
        name_in(self.leaf_name(), &TIME_AXIS_NAMES)
    }

    /// `path (shape, type)`, for error messages that list what exists.
    pub(super) fn summary(&self) -> String {
        format!("{} {:?} {}", self.path, self.shape, self.type_name)
    }
}

/// Where a dataset's bytes are, as the object header says.
struct Storage {
    layout: Layout,
    filters: Vec<FilterDescription>,
    /// Absolute offset and size of contiguous data stored in this file.
    contiguous: Option<(u64, u64)>,
    /// Address of the chunk index (relative to the superblock) and its kind.
    chunked: Option<(u64, Option<ChunkIndexing>)>,
}

/// An open HDF5 file.
pub struct H5File {
    pub(super) path: PathBuf,
    pub(super) file: Hdf5File,
    pub(super) file_size: u64,
    /// Datasets the library cannot parse (virtual ones), hidden from it and listed here.
    pub(super) unreadable: Vec<Unreadable>,
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
        let options = || OpenOptions::default().with_chunk_cache_bytes(0);
        let (file, unreadable) = hidden::open(path, options).map_err(|source| H5Error::Open {
            file: path.to_path_buf(),
            source,
        })?;
        let superblock = file.superblock();
        if superblock.eof_address != undefined_address(superblock.offset_size) {
            // libhdf5 stores the end of file counting a user block (h5py `userblock_size`),
            // i.e. as an absolute position, although other addresses are relative to the
            // superblock: adding the base again made every such file look truncated.
            let expected = superblock.eof_address;
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
            unreadable,
        })
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
        found.extend(self.unreadable.iter().map(|u| DatasetInfo {
            path: u.path.clone(),
            shape: Vec::new(),
            dtype: None,
            type_name: "unknown".into(),
            layout: if u.what.contains("virtual") {
                Layout::Virtual
            } else {
                Layout::Unknown
            },
            chunk_shape: None,
            filters: Vec::new(),
            data_offset: None,
            unsupported: Some(u.what.clone()),
        }));
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
            self.check_readable(info, &all)?;
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

    /// An error for a dataset tracekit lists but cannot read.
    fn check_readable(&self, info: &DatasetInfo, all: &[DatasetInfo]) -> Result<(), H5Error> {
        match &info.unsupported {
            Some(what) => Err(H5Error::Unsupported {
                file: self.path.clone(),
                dataset: info.path.clone(),
                what: what.clone(),
                available: listing(all.iter().filter(|d| d.unsupported.is_none())),
            }),
            None => Ok(()),
        }
    }

    /// A streaming reader of `dataset_path` (which must be numeric, 1-D or 2-D).
    pub fn reader(&self, dataset_path: &str) -> Result<FrameReader, H5Error> {
        let path = normalize(dataset_path);
        if let Some(u) = self.unreadable.iter().find(|u| u.path == path) {
            let all = self.datasets()?;
            let info = all.iter().find(|d| d.path == u.path).cloned();
            if let Some(info) = info {
                self.check_readable(&info, &all)?;
            }
        }
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
        if let Some((offset, size)) = storage.contiguous {
            // The shape (dataspace) and the data block (layout) are separate messages: either
            // may lie, and mapping what the shape asks for must not run off the file.
            let elem = dtype.size();
            let need = info.elements().saturating_mul(elem as u64);
            let what = if offset.saturating_add(need) > self.file_size {
                Some(format!(
                    "the file has {} bytes (the header is damaged or the file truncated)",
                    self.file_size
                ))
            } else if need > size {
                Some(format!(
                    "its data block holds only {size} bytes (the header is damaged)"
                ))
            } else {
                None
            };
            if let Some(what) = what {
                return Err(H5Error::DataBeyondEnd {
                    file: self.path.clone(),
                    dataset: path,
                    shape: info.shape.clone(),
                    elem,
                    need,
                    offset,
                    what,
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
        let chunked = match (&storage.chunked, &info.chunk_shape) {
            (Some((address, indexing)), Some(chunk)) => {
                let geometry = self.geometry(&info, shape, dtype.size(), chunk)?;
                let filters = Filters(storage.filters.clone());
                let index = read_index(
                    &self.file,
                    self.file_size,
                    ChunkedDataset {
                        file_path: &self.path,
                        name: &path,
                        shape: dataset.shape(),
                        max_dims: dataset.max_dims(),
                        geometry,
                        address: *address,
                        indexing: indexing.as_ref(),
                        filters: &filters,
                    },
                )?;
                let fill = dataset
                    .fill_value()
                    .and_then(|f| f.value.clone())
                    .filter(|v| v.len() == dtype.size())
                    .unwrap_or_else(|| vec![0; dtype.size()]);
                let file = std::fs::File::open(&self.path).map_err(|source| H5Error::Io {
                    file: self.path.clone(),
                    source,
                })?;
                Some(ChunkedFrames::new(ChunkedData::new(
                    file,
                    self.path.display().to_string(),
                    self.path.clone(),
                    path.clone(),
                    index,
                    filters,
                    fill,
                )))
            }
            _ => None,
        };
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
            chunked,
        })
    }

    /// How the chunks of `info` (chunk shape `chunk`) tile its frames and channels.
    fn geometry(
        &self,
        info: &DatasetInfo,
        shape: FrameShape,
        elem: usize,
        chunk: &[u64],
    ) -> Result<Geometry, H5Error> {
        let sample_axis = usize::from(shape.channels_first);
        let bad = |why: String| H5Error::BadChunk {
            file: self.path.clone(),
            dataset: info.path.clone(),
            frame: 0,
            why,
        };
        if chunk.len() != info.shape.len() || chunk.contains(&0) {
            return Err(bad(format!(
                "chunk shape {chunk:?} does not fit the dataset's shape {:?} (the header is damaged)",
                info.shape
            )));
        }
        let col_channels = if chunk.len() == 1 {
            1
        } else {
            chunk[1 - sample_axis]
        };
        Ok(Geometry {
            frames: shape.frames,
            channels: shape.channels as usize,
            elem,
            channels_first: shape.channels_first,
            chunk: chunk.to_vec(),
            row_frames: chunk[sample_axis],
            col_channels,
            cols: shape.channels.div_ceil(col_channels),
        })
    }

    pub(super) fn check_waveform(
        &self,
        info: &DatasetInfo,
    ) -> Result<(DType, Endian, FrameShape), H5Error> {
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

    pub(super) fn walk(
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

    pub(super) fn info_of(&self, path: String, dataset: &Dataset) -> Result<DatasetInfo, H5Error> {
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
            unsupported: None,
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
        let mut chunked = None;
        let (layout, contiguous) = match layout {
            Some(DataLayout::Contiguous { address, size }) => {
                let stored_here =
                    !external && size > 0 && address != undefined_address(superblock.offset_size);
                let start = superblock.base_address.saturating_add(address);
                (Layout::Contiguous, stored_here.then_some((start, size)))
            }
            Some(DataLayout::Chunked {
                address,
                ref chunk_indexing,
                ..
            }) => {
                chunked = Some((address, chunk_indexing.clone()));
                (Layout::Chunked, None)
            }
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
            chunked,
        })
    }

    pub(super) fn open_dataset(&self, path: &str) -> Result<Dataset, H5Error> {
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

    pub(super) fn open_group(&self, path: &str) -> Result<Group, H5Error> {
        let group = if path == "/" {
            self.file.root_group()
        } else {
            self.file.group(path)
        };
        group.map_err(|e| self.read_error(path, e))
    }

    pub(super) fn read_error(&self, object: &str, source: ReaderError) -> H5Error {
        read_error(&self.path, object, source)
    }
}

/// The all-ones "undefined address" for the file's offset width.
pub(super) fn undefined_address(offset_size: u8) -> u64 {
    match offset_size {
        1..=7 => (1u64 << (8 * u32::from(offset_size))) - 1,
        _ => u64::MAX,
    }
}

/// Sample type of a numeric HDF5 datatype; h5py's `bool` (an 8-bit enum FALSE/TRUE) is Bool.
pub(super) fn numeric_type(datatype: &Datatype) -> Option<(DType, Endian)> {
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

pub(super) fn type_name(datatype: &Datatype) -> String {
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
pub(super) fn filter_name(filter: &FilterDescription) -> String {
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

/// `/a/b` form: leading slash, no empty components.
pub(super) fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

pub(super) fn join(group: &str, name: &str) -> String {
    if group == "/" {
        format!("/{name}")
    } else {
        format!("{group}/{name}")
    }
}

/// Parent groups of a normalized path, nearest first, ending with `/`.
pub(super) fn parents(path: &str) -> Vec<String> {
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

pub(super) fn listing<'a>(datasets: impl Iterator<Item = &'a DatasetInfo>) -> String {
    let items: Vec<String> = datasets.map(DatasetInfo::summary).collect();
    if items.is_empty() {
        "no datasets".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn parents_and_normalize() {
        assert_eq!(normalize("a//b/"), "/a/b");
        assert_eq!(parents("/a/b/c"), ["/a/b", "/a", "/"]);
        assert_eq!(parents("/c"), ["/"]);
    }
}
