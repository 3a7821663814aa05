//! Reading disjoint regions of a mapped file on several threads at once.
//!
//! Why: walking a cached file through one sliding window leaves the kernel's work (mapping
//! the page-cache pages, unmapping them) on one thread between windows, and that, not the
//! arithmetic, bounds a fast whole-file pass. Here every thread maps its own region, works
//! on it and unmaps it, so the mapping cost is spread over the cores too; the regions are
//! handed out in file order and their results merged in that order, so a caller can keep
//! its answer identical to a sequential walk.

use super::source::{RegionSource, map_checked};
use super::{Chunk, LoaderError, Trace, TraceInfo};
use std::fs::File;
use std::sync::Arc;

/// Concurrent random-access reads of a trace whose frames lie interleaved in a file, or in
/// pieces a `RegionSource` hands out (chunked HDF5).
pub struct RegionReader {
    info: TraceInfo,
    kind: Kind,
}

enum Kind {
    Mapped {
        file: File,
        data_offset: u64,
        data_len: u64,
    },
    Pieces(Arc<dyn RegionSource>),
}

/// One region's frames, mapped for as long as this lives.
pub struct MappedRegion<'r> {
    map: memmap2::Mmap,
    /// Where the frames begin in `map` (the map starts on a page boundary).
    at: usize,
    len: usize,
    start: u64,
    info: &'r TraceInfo,
}

impl Trace {
    /// The file and byte range `(file, offset, len)` of frames `[start, end)` when they lie
    /// contiguous in a file exactly as stored, so a same-type copy can be done by the kernel.
    pub fn byte_range(&self, (start, end): (u64, u64)) -> Option<(&std::fs::File, u64, u64)> {
        let (file, data_offset, data_len) = self.source.file_extent()?;
        let fb = self.info.frame_bytes() as u64;
        let (from, to) = (start.checked_mul(fb)?, end.checked_mul(fb)?);
        (to <= data_len).then_some((file, data_offset + from, to - from))
    }

    /// A reader for disjoint regions on several threads, when the frames are file-backed
    /// and interleaved (.npy, raw, contiguous HDF5) or chunked HDF5; None for streams and
    /// planar layouts, which only walk sequentially.
    pub fn region_reader(&self) -> Result<Option<RegionReader>, LoaderError> {
        let kind = if let Some((file, data_offset, data_len)) = self.source.file_extent() {
            let file = file
                .try_clone()
                .map_err(|e| LoaderError::io(&self.info.path, e))?;
            Kind::Mapped {
                file,
                data_offset,
                data_len,
            }
        } else if let Some(pieces) = self.source.regions() {
            Kind::Pieces(pieces)
        } else {
            return Ok(None);
        };
        Ok(Some(RegionReader {
            info: self.info.clone(),
            kind,
        }))
    }
}

impl RegionReader {
    /// Map frames `[start, start + count)`, clipped to the trace; at least one of them must
    /// exist. Pages are faulted in as they are read (no MAP_POPULATE): with one region per
    /// thread that measured fastest.
    pub fn map_frames(&self, start: u64, count: usize) -> Result<MappedRegion<'_>, LoaderError> {
        let Kind::Mapped {
            file,
            data_offset,
            data_len,
        } = &self.kind
        else {
            return Err(LoaderError::Invalid {
                path: self.info.path.clone(),
                what: "region",
                why: "the frames are stored in chunks, not in one extent".into(),
            });
        };
        let fb = self.info.frame_bytes() as u64;
        let len = (count as u64 * fb).min(data_len.saturating_sub(start * fb)) as usize;
        if len == 0 {
            return Err(LoaderError::Invalid {
                path: self.info.path.clone(),
                what: "region",
                why: format!("no frames at {start}..{}", start + count as u64),
            });
        }
        let off = data_offset + start * fb;
        let (map_start, map) = map_checked(file, &self.info.path, off, len, 0)?;
        Ok(MappedRegion {
            map,
            at: (off - map_start) as usize,
            len,
            start,
            info: &self.info,
        })
    }
}

impl RegionReader {
    /// Frames per region for a sink merging on `grain`-frame blocks, `suggested` by the walk.
    pub fn region_frames(&self, grain: u64, suggested: u64) -> u64 {
        match &self.kind {
            Kind::Mapped { .. } => suggested,
            Kind::Pieces(pieces) => pieces.region_frames(grain, suggested),
        }
    }

    /// Hand frames `[start, start + count)` (clipped to the trace) to `take` in order, as one
    /// mapped chunk or as the pieces they are stored in.
    pub fn visit(
        &self,
        start: u64,
        count: usize,
        take: &mut dyn FnMut(&Chunk<'_>) -> Result<(), LoaderError>,
    ) -> Result<(), LoaderError> {
        match &self.kind {
            Kind::Mapped { .. } => take(&self.map_frames(start, count)?.chunk()),
            Kind::Pieces(pieces) => {
                pieces.visit(start, start + count as u64, &mut |first, bytes| {
                    take(&Chunk::fresh(first, bytes, &self.info))
                })
            }
        }
    }
}

impl MappedRegion<'_> {
    /// The region's frames as a chunk (no overlap).
    pub fn chunk(&self) -> Chunk<'_> {
        Chunk::fresh(
            self.start,
            &self.map[self.at..self.at + self.len],
            self.info,
        )
    }
}
