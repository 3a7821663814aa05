//! The chunk index of a chunked dataset: where each chunk lies in the file, read once with the
//! library's index walkers (v1 and v2 B-trees, fixed and extensible arrays, single and implicit
//! chunks; each guards against cycles) and checked against the file size and tracekit's memory
//! budget before a byte of sample data is decoded.

use super::decode::{DEFLATE_MAX_RATIO, Filters};
use super::error::H5Error;
use hdf5_reader::btree_v1::{self, BTreeV1Key};
use hdf5_reader::chunk_index::{self, ChunkEntry};
use hdf5_reader::error::{Error as ReaderError, Result as ReaderResult};
use hdf5_reader::messages::layout::ChunkIndexing;
use hdf5_reader::{Hdf5File, extensible_array, fixed_array};
use std::path::Path;

/// Most bytes one decoded chunk (or one row of chunks across the channels of a 2-D dataset)
/// may take. Decoding holds at most one such block per worker thread, so peak memory is about
/// `threads × min(chunk, budget)` whatever `--chunk` says (a chunk cannot be inflated in part
/// once shuffled). HDF5 allows chunks up to 4 GiB; writers default to 1 MiB or less.
pub const CHUNK_BUDGET: u64 = 256 << 20;

/// Where one stored chunk lies: an absolute file offset, its stored size and its filter mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stored {
    pub offset: u64,
    pub size: u64,
    pub mask: u32,
}

/// How a chunked dataset's chunks tile its frames and channels.
#[derive(Debug, Clone)]
pub(super) struct Geometry {
    pub frames: u64,
    pub channels: usize,
    pub elem: usize,
    pub channels_first: bool,
    /// Chunk shape as stored, in the dataset's axis order.
    pub chunk: Vec<u64>,
    /// Frames per chunk along the sample axis: one row of chunks.
    pub row_frames: u64,
    /// Channels per chunk along the channel axis (1 for 1-D data).
    pub col_channels: u64,
    /// Chunks across the channel axis.
    pub cols: u64,
}

impl Geometry {
    pub fn frame_bytes(&self) -> usize {
        self.channels * self.elem
    }

    /// Decoded bytes of one chunk.
    pub fn chunk_bytes(&self) -> u64 {
        self.chunk
            .iter()
            .fold(self.elem as u64, |n, &d| n.saturating_mul(d))
    }

    /// A chunk's decoded bytes are the row's frames as they are (C-order, all channels):
    /// 1-D data, or `(samples, channels)` chunks spanning every channel.
    pub fn direct(&self) -> bool {
        !self.channels_first
            && self.cols == 1
            && self.chunk.get(1).is_none_or(|&c| c == self.channels as u64)
    }

    pub fn rows(&self) -> u64 {
        self.frames.div_ceil(self.row_frames)
    }

    /// First frame and frame count of row `row` (the last row may be short).
    pub fn row_span(&self, row: u64) -> (u64, u64) {
        let first = row * self.row_frames;
        (first, self.row_frames.min(self.frames - first))
    }

    pub fn row_of(&self, frame: u64) -> u64 {
        frame / self.row_frames
    }
}

/// The present chunks of a dataset, sorted by (row, column); absent ones read as the fill value.
#[derive(Debug)]
pub(super) struct ChunkIndex {
    pub geometry: Geometry,
    pub entries: Vec<(u64, u64, Stored)>,
}

impl ChunkIndex {
    pub fn get(&self, row: u64, col: u64) -> Option<Stored> {
        self.entries
            .binary_search_by_key(&(row, col), |&(r, c, _)| (r, c))
            .ok()
            .map(|i| self.entries[i].2)
    }

    /// Index of the first entry at or after `row`.
    pub fn first_at(&self, row: u64) -> usize {
        self.entries.partition_point(|&(r, _, _)| r < row)
    }
}

/// What [`read_index`] needs to know about the dataset.
pub(super) struct Dataset<'a> {
    pub file_path: &'a Path,
    pub name: &'a str,
    pub shape: &'a [u64],
    pub max_dims: Option<&'a [u64]>,
    pub geometry: Geometry,
    pub address: u64,
    pub indexing: Option<&'a ChunkIndexing>,
    pub filters: &'a Filters,
}

/// Read and check the chunk index: every chunk inside the file, on the chunk grid, stored
/// once, no bigger than the budget, and (unfiltered) holding the whole chunk or (deflated)
/// able to inflate to it.
pub(super) fn read_index(
    file: &Hdf5File,
    file_size: u64,
    d: Dataset<'_>,
) -> Result<ChunkIndex, H5Error> {
    let g = d.geometry.clone();
    let bad = |frame: u64, why: String| H5Error::BadChunk {
        file: d.file_path.to_path_buf(),
        dataset: d.name.to_string(),
        frame,
        why,
    };
    let chunk_bytes = g.chunk_bytes();
    let row_bytes = g.row_frames.saturating_mul(g.frame_bytes() as u64);
    let biggest = if g.direct() {
        chunk_bytes
    } else {
        chunk_bytes.max(row_bytes)
    };
    if biggest > CHUNK_BUDGET {
        let axis = usize::from(g.channels_first);
        let per_frame = (chunk_bytes / g.row_frames.max(1)).max(1);
        // h5py's largest automatic chunk: 1 MiB.
        let frames = ((1u64 << 20) / per_frame).max(1);
        let suggest = g
            .chunk
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if i == axis {
                    frames.to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("x");
        return Err(H5Error::ChunkTooLarge {
            file: d.file_path.to_path_buf(),
            dataset: d.name.to_string(),
            chunk: g.chunk.clone(),
            bytes: biggest,
            suggest,
        });
    }
    let raw = collect(file, &d, chunk_bytes)
        .map_err(|e| super::error::read_error(d.file_path, d.name, e))?;
    let base = file.superblock().base_address;
    let sample_axis = usize::from(g.channels_first);
    let mut entries = Vec::with_capacity(raw.len());
    for entry in raw {
        let offsets = &entry.offsets;
        let on_grid = offsets.len() == g.chunk.len()
            && offsets
                .iter()
                .zip(&g.chunk)
                .all(|(&o, &c)| c > 0 && o % c == 0);
        let frame = offsets.get(sample_axis).copied().unwrap_or(0);
        if !on_grid {
            return Err(bad(
                frame,
                format!(
                    "the index gives chunk offsets {offsets:?}, not on the chunk grid {:?} (the index is damaged)",
                    g.chunk
                ),
            ));
        }
        // Chunks allocated before the dataset shrank lie wholly outside it: never read.
        if offsets.iter().zip(d.shape).any(|(&o, &n)| o >= n) {
            continue;
        }
        let offset = base.saturating_add(entry.address);
        let end = offset.saturating_add(entry.size);
        if end > file_size {
            return Err(bad(
                frame,
                format!(
                    "the index promises {} bytes at offset {offset}, but the file has {file_size} bytes (the index is damaged or the file truncated)",
                    entry.size
                ),
            ));
        }
        let active = d.filters.active(entry.filter_mask);
        if active == 0 && entry.size < chunk_bytes {
            return Err(bad(
                frame,
                format!(
                    "it is stored unfiltered in {} bytes, but a chunk holds {chunk_bytes} (the index is damaged)",
                    entry.size
                ),
            ));
        }
        if d.filters.inflates_last(entry.filter_mask)
            && chunk_bytes
                > entry
                    .size
                    .saturating_mul(DEFLATE_MAX_RATIO)
                    .saturating_add(1024)
        {
            return Err(bad(
                frame,
                format!(
                    "{} deflated bytes cannot inflate to a {chunk_bytes}-byte chunk (the index or the chunk shape is damaged)",
                    entry.size
                ),
            ));
        }
        let row = frame / g.row_frames;
        let col = if g.chunk.len() == 1 {
            0
        } else {
            offsets[1 - sample_axis] / g.col_channels
        };
        entries.push((
            row,
            col,
            Stored {
                offset,
                size: entry.size,
                mask: entry.filter_mask,
            },
        ));
    }
    entries.sort_unstable_by_key(|&(r, c, _)| (r, c));
    if let Some(w) = entries
        .windows(2)
        .find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1))
    {
        return Err(bad(
            w[0].0 * g.row_frames,
            "the index lists this chunk twice (the index is damaged)".into(),
        ));
    }
    Ok(ChunkIndex {
        geometry: g,
        entries,
    })
}

/// Every chunk entry, as the library would collect them for a whole-dataset read.
fn collect(file: &Hdf5File, d: &Dataset<'_>, chunk_bytes: u64) -> ReaderResult<Vec<ChunkEntry>> {
    let superblock = file.superblock();
    let (osize, lsize) = (superblock.offset_size, superblock.length_size);
    if d.address == super::file::undefined_address(osize) {
        return Ok(Vec::new());
    }
    let storage = file.storage();
    let ndim = d.shape.len();
    let dims: Vec<u32> = d
        .geometry
        .chunk
        .iter()
        .map(|&c| {
            u32::try_from(c).map_err(|_| ReaderError::InvalidData(format!("chunk dimension {c}")))
        })
        .collect::<ReaderResult<_>>()?;
    match d.indexing {
        None => {
            let leaves = btree_v1::collect_btree_v1_leaves_storage(
                storage,
                d.address,
                osize,
                lsize,
                Some(ndim as u32),
                &dims,
                None,
            )?;
            leaves
                .into_iter()
                .map(|(key, address)| match key {
                    BTreeV1Key::RawData {
                        chunk_size,
                        filter_mask,
                        offsets,
                    } if offsets.len() >= ndim => Ok(ChunkEntry {
                        address,
                        size: u64::from(chunk_size),
                        filter_mask,
                        offsets: offsets[..ndim].to_vec(),
                    }),
                    _ => Err(ReaderError::InvalidData(
                        "expected a raw data key in the chunk B-tree".into(),
                    )),
                })
                .collect()
        }
        Some(ChunkIndexing::SingleChunk {
            filtered_size,
            filters,
        }) => {
            let size = if d.filters.is_empty() {
                chunk_bytes
            } else {
                *filtered_size
            };
            Ok(vec![chunk_index::single_chunk_entry(
                d.address, size, *filters, ndim,
            )])
        }
        Some(ChunkIndexing::Implicit) => chunk_index::collect_implicit_chunk_entries(
            d.address,
            d.shape,
            &dims,
            d.geometry.elem,
            None,
            storage.len(),
        ),
        Some(ChunkIndexing::FixedArray { .. }) => {
            fixed_array::collect_fixed_array_chunk_entries_storage(
                storage, d.address, osize, lsize, d.shape, &dims, None,
            )
        }
        Some(ChunkIndexing::ExtensibleArray { .. }) => {
            extensible_array::collect_extensible_array_chunk_entries_storage(
                storage, d.address, osize, lsize, d.shape, d.max_dims, &dims, None,
            )
        }
        Some(ChunkIndexing::BTreeV2) => chunk_index::collect_v2_chunk_entries_storage(
            storage,
            d.address,
            osize,
            lsize,
            ndim as u32,
            &dims,
            None,
        ),
    }
}
