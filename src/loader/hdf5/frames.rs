//! Streaming reads of one HDF5 dataset as raw C-order frames.

use super::chunked::ChunkedFrames;
use super::error::{H5Error, read_error};
use super::file::numeric_type;
use crate::loader::LoaderError;
use crate::loader::source::{FrameSource, RegionSource};
use crate::sample::{DType, Endian};
use hdf5_reader::error::Error as ReaderError;
use hdf5_reader::{Dataset, Datatype, H5Type, SliceInfo, SliceInfoElem};
use std::path::PathBuf;
use std::sync::Arc;

/// Reads frames `[start, start + count)` of one dataset as raw C-order bytes.
pub struct FrameReader {
    pub(super) file: PathBuf,
    pub(super) path: String,
    pub(super) dataset: Dataset,
    pub(super) dtype: DType,
    pub(super) endian: Endian,
    pub(super) frames: u64,
    pub(super) channels: usize,
    pub(super) channels_first: bool,
    /// Frames per chunk along the sample axis (chunked layout only): the unit decoded at once.
    pub(super) block_frames: Option<u64>,
    /// The last decoded block: its first frame and its bytes in (frames, channels) order.
    pub(super) block: Option<(u64, Vec<u8>)>,
    /// Channels-first data before transposition, kept to reuse its allocation.
    pub(super) scratch: Vec<u8>,
    /// Chunked data, read from the file by tracekit rather than through the library.
    pub(super) chunked: Option<ChunkedFrames>,
}

impl FrameReader {
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
        if let Some(chunked) = &mut self.chunked {
            out.extend_from_slice(chunked.frames(start, count)?);
            return Ok(());
        }
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
pub(super) fn read_raw(
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
pub(super) fn transpose(src: &[u8], rows: usize, elem: usize, out: &mut Vec<u8>) {
    let n = src.len() / (rows * elem).max(1);
    out.reserve(src.len());
    for col in 0..n {
        for row in 0..rows {
            let at = (row * n + col) * elem;
            out.extend_from_slice(&src[at..at + elem]);
        }
    }
}

/// Frames of an HDF5 dataset that cannot be mapped (chunked, compressed, compact).
pub enum Hdf5Frames {
    /// Chunked data, read by tracekit (in place, or decoded on every core).
    Chunked(ChunkedFrames),
    /// Compact data and the rest, read through the library.
    Library {
        reader: Box<FrameReader>,
        buf: Vec<u8>,
    },
}

impl Hdf5Frames {
    pub fn new(mut reader: FrameReader) -> Self {
        match reader.chunked.take() {
            Some(chunked) => Hdf5Frames::Chunked(chunked),
            None => Hdf5Frames::Library {
                reader: Box::new(reader),
                buf: Vec::new(),
            },
        }
    }
}

impl FrameSource for Hdf5Frames {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let h5 = |e: H5Error| LoaderError::Hdf5(e.to_string());
        match self {
            Hdf5Frames::Chunked(chunked) => chunked.frames(start, count).map_err(h5),
            Hdf5Frames::Library { reader, buf } => {
                let count = count.min(reader.frames().saturating_sub(start) as usize);
                reader.read_frames(start, count, buf).map_err(h5)?;
                Ok(buf)
            }
        }
    }

    fn regions(&self) -> Option<Arc<dyn RegionSource>> {
        match self {
            Hdf5Frames::Chunked(chunked) => Some(chunked.shared()),
            Hdf5Frames::Library { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_channels_first() {
        // 2 channels x 3 samples of 1-byte elements.
        let mut out = Vec::new();
        transpose(&[1, 2, 3, 10, 20, 30], 2, 1, &mut out);
        assert_eq!(out, [1, 10, 2, 20, 3, 30]);
    }
}
