//! Walking a trace in chunks.
//!
//! Semantics (documented in docs/guide.md and tested below): chunk `k` starts at
//! `range.start + k * (size - overlap)` and holds up to `size` frames; the last chunk may be
//! short; the walk stops after the chunk that reaches the end of the range, so no chunk ever
//! holds only samples an earlier chunk already had. `Chunk::overlap` says how many leading
//! frames repeat the previous chunk (0 for the first).

use super::{LoaderError, Trace, TraceInfo};
use crate::sample::{DType, Endian, Sample, decode_strided_f64, typed_slice};

/// Which frames to walk and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkPlan {
    pub start: u64,
    /// One past the last frame; None walks to the end of a stream of unknown length.
    pub end: Option<u64>,
    pub size: usize,
    pub overlap: usize,
}

impl ChunkPlan {
    /// A plan over `[start, end)`; the chunk must hold at least one sample more than the
    /// overlap, or the walk could not advance.
    pub fn new(
        start: u64,
        end: Option<u64>,
        size: usize,
        overlap: usize,
    ) -> Result<ChunkPlan, PlanError> {
        if size == 0 || overlap >= size {
            return Err(PlanError { size, overlap });
        }
        Ok(ChunkPlan {
            start,
            end,
            size,
            overlap,
        })
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error(
    "a chunk of {size} samples cannot overlap the previous one by {overlap}: the overlap must be smaller than the chunk"
)]
pub struct PlanError {
    pub size: usize,
    pub overlap: usize,
}

pub struct Chunks<'a> {
    trace: &'a mut Trace,
    plan: ChunkPlan,
    next: u64,
    /// One past the last frame handed out so far.
    seen_to: u64,
    done: bool,
}

/// A run of consecutive frames, borrowed from the loader until the next call.
pub struct Chunk<'a> {
    /// Index of the first frame in the whole trace.
    pub start: u64,
    /// Leading frames that the previous chunk also held.
    pub overlap: usize,
    bytes: &'a [u8],
    dtype: DType,
    endian: Endian,
    channels: usize,
}

impl<'a> Chunks<'a> {
    pub(super) fn new(trace: &'a mut Trace, plan: ChunkPlan) -> Result<Chunks<'a>, LoaderError> {
        Ok(Chunks {
            trace,
            plan,
            next: plan.start,
            seen_to: plan.start,
            done: false,
        })
    }

    /// The next chunk, or None when the range is exhausted.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk<'_>>, LoaderError> {
        if self.done {
            return Ok(None);
        }
        let start = self.next;
        let want = match self.plan.end {
            Some(end) => (end.saturating_sub(start)).min(self.plan.size as u64) as usize,
            None => self.plan.size,
        };
        let info = &self.trace.info;
        let (dtype, endian, channels, frame_bytes) =
            (info.dtype, info.endian, info.columns, info.frame_bytes());
        if want == 0 {
            self.done = true;
            return Ok(None);
        }
        let bytes = self.trace.source.frames(start, want)?;
        let got = bytes.len() / frame_bytes;
        let end = start + got as u64;
        if got == 0 || end <= self.seen_to {
            // The stream ended inside the overlap: nothing new to hand out.
            self.done = true;
            return Ok(None);
        }
        if got < want || Some(end) == self.plan.end {
            self.done = true;
        }
        let overlap = self.seen_to.saturating_sub(start) as usize;
        self.seen_to = end;
        self.next = end - self.plan.overlap as u64;
        Ok(Some(Chunk {
            start,
            overlap,
            bytes: &bytes[..got * frame_bytes],
            dtype,
            endian,
            channels,
        }))
    }
}

impl<'a> Chunk<'a> {
    /// A chunk that repeats nothing from a previous one, over whole frames `bytes`.
    pub(super) fn fresh(start: u64, bytes: &'a [u8], info: &TraceInfo) -> Chunk<'a> {
        Chunk::of(start, bytes, (info.dtype, info.endian), info.columns)
    }

    /// Frames `bytes` of `channels` samples of `dtype` in the given byte order.
    pub(super) fn of(
        start: u64,
        bytes: &'a [u8],
        (dtype, endian): (DType, Endian),
        channels: usize,
    ) -> Chunk<'a> {
        Chunk {
            start,
            overlap: 0,
            bytes,
            dtype,
            endian,
            channels,
        }
    }

    /// Frames in this chunk.
    pub fn len(&self) -> usize {
        self.bytes.len() / (self.dtype.size() * self.channels)
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// One past the index of the last frame.
    pub fn end(&self) -> u64 {
        self.start + self.len() as u64
    }

    pub fn channels(&self) -> usize {
        self.channels
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// Byte order of the samples in [`Chunk::bytes`].
    pub fn endian(&self) -> Endian {
        self.endian
    }

    /// The raw C-order frame bytes, in the file's dtype and byte order.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Replace `out` with channel `ch` of this chunk as f64.
    pub fn channel_f64(&self, ch: usize, out: &mut Vec<f64>) {
        out.clear();
        out.reserve(self.len());
        decode_strided_f64(
            self.bytes,
            self.dtype,
            self.endian,
            ch * self.dtype.size(),
            self.channels,
            out,
        );
    }

    /// The frames as a slice of `T` (all channels interleaved) when they can be read in place:
    /// same type, native byte order, aligned. Otherwise None and the caller converts.
    pub fn typed<T: Sample>(&self) -> Option<&'a [T]> {
        typed_slice(self.bytes, self.dtype, self.endian)
    }
}
