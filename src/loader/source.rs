//! Byte sources: where the frames of a trace come from.
//!
//! Every source hands out C-order frames (all channels of sample i, then sample i+1) as raw
//! bytes in the file's byte order, so readers above never care whether the bytes came from
//! a memory map, a stream or a decompressed HDF5 chunk.

use super::LoaderError;
use memmap2::{Mmap, MmapOptions};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// How much of a file one memory map covers. Resident memory stays near this size (plus
/// one chunk) whatever the file size, because each window is unmapped when the next one is
/// mapped.
pub const WINDOW_BYTES: usize = 32 << 20;

pub trait FrameSource: Send {
    /// The bytes of frames `[start, start + count)`. Returns fewer frames only at the end of
    /// a stream of unknown length; `start` never goes backwards by more than the last request.
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError>;

    /// The file and byte extent `(file, data_offset, data_len)` of frames that lie contiguous
    /// and interleaved in a file, so they can also be read concurrently (see `regions`).
    fn file_extent(&self) -> Option<(&File, u64, u64)> {
        None
    }

    /// Concurrent reads of frames that do not lie in one extent (chunked HDF5), for
    /// `Trace::feed_split`; None when the source only walks sequentially.
    fn regions(&self) -> Option<Arc<dyn RegionSource>> {
        None
    }
}

/// Where a [`RegionSource`] hands its pieces: (first frame, C-order bytes).
pub type Take<'a> = &'a mut dyn FnMut(u64, &[u8]) -> Result<(), LoaderError>;

/// Frames stored in pieces (chunks) that several threads can fetch at once.
pub trait RegionSource: Send + Sync {
    /// Frames per region for a walk whose sink merges on blocks of `grain` frames and that
    /// would use `suggested` frames: a power-of-two multiple of `grain`, e.g. large enough to
    /// hold whole chunks so that no chunk is decoded twice.
    fn region_frames(&self, grain: u64, suggested: u64) -> u64 {
        let _ = grain;
        suggested
    }

    /// Hand frames `[start, end)` to `take` in order, in one or more pieces (first frame,
    /// C-order bytes).
    fn visit(&self, start: u64, end: u64, take: Take<'_>) -> Result<(), LoaderError>;
}

/// A contiguous run of C-order frames in a file, read through a sliding memory-map window.
pub struct MappedFrames {
    file: File,
    path: String,
    data_offset: u64,
    frame_bytes: usize,
    /// Bytes of data the header promises; the file is re-checked against it on every remap.
    data_len: u64,
    window: Option<(u64, Mmap)>,
}

impl MappedFrames {
    pub fn new(
        file: File,
        path: String,
        data_offset: u64,
        frame_bytes: usize,
        data_len: u64,
    ) -> Self {
        MappedFrames {
            file,
            path,
            data_offset,
            frame_bytes,
            data_len,
            window: None,
        }
    }

    fn remap(&mut self, off: u64, len: usize) -> Result<(), LoaderError> {
        // Drop the old map first so the two never add up in resident memory.
        self.window = None;
        let map = map_checked(&self.file, &self.path, off, len, WINDOW_BYTES)?;
        #[cfg(unix)]
        let _ = map.1.advise(memmap2::Advice::Sequential);
        self.window = Some(map);
        Ok(())
    }
}

/// Map file bytes `[off, off + len)`, widened to start on a page and to span `window` bytes
/// when the file has them; returns where the map starts. The file's size is checked first, so
/// a file that shrank since it was opened is an error rather than a SIGBUS on access.
///
/// Pages are faulted in by whoever reads them (no MAP_POPULATE): a parallel consumer, such
/// as the spectrogram's lanes, then maps them on every core instead of waiting while the
/// reading thread populates the whole window.
pub(super) fn map_checked(
    file: &File,
    path: &str,
    off: u64,
    len: usize,
    window: usize,
) -> Result<(u64, Mmap), LoaderError> {
    let size = file.metadata().map_err(|e| LoaderError::io(path, e))?.len();
    let need = off + len as u64;
    if size < need {
        return Err(LoaderError::Shrunk {
            path: path.to_string(),
            size,
            need,
        });
    }
    let page = page_size();
    let start = off / page * page;
    let end = (start + window.max(len) as u64 + (off - start)).min(size);
    let mut opts = MmapOptions::new();
    opts.offset(start).len((end - start) as usize);
    // A file truncated by another process while mapped raises SIGBUS on access: reported
    // as this file having shrunk, with the outputs cleaned up (see `interrupt`).
    crate::interrupt::mapping(path, size);
    // SAFETY: the map is read-only and private to this process. The file could still be
    // truncated by another process while mapped, which would raise SIGBUS on access; we
    // re-check the size before every map (above) so a file that shrank between maps
    // becomes an error, and the SIGBUS handler (above) turns the remaining race into one.
    let map = unsafe { opts.map(file) }.map_err(|e| LoaderError::io(path, e))?;
    Ok((start, map))
}

impl FrameSource for MappedFrames {
    fn file_extent(&self) -> Option<(&File, u64, u64)> {
        Some((&self.file, self.data_offset, self.data_len))
    }

    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let off = self.data_offset + start * self.frame_bytes as u64;
        let len = (count * self.frame_bytes).min(
            (self
                .data_len
                .saturating_sub(start * self.frame_bytes as u64)) as usize,
        );
        if len == 0 {
            return Ok(&[]);
        }
        let inside = matches!(&self.window, Some((ws, map)) if off >= *ws && off + len as u64 <= ws + map.len() as u64);
        if !inside {
            self.remap(off, len)?;
        }
        let (ws, map) = self.window.as_ref().expect("remap leaves a window mapped");
        let at = (off - ws) as usize;
        Ok(&map[at..at + len])
    }
}

/// Channels stored one after the other (Fortran-order `(N, C)` or C-order `(C, N)`):
/// each chunk gathers its frames from C places with positioned reads.
pub struct PlanarFrames {
    file: File,
    path: String,
    data_offset: u64,
    samples: u64,
    channels: usize,
    item: usize,
    column: Vec<u8>,
    out: Vec<u8>,
}

impl PlanarFrames {
    pub fn new(
        file: File,
        path: String,
        data_offset: u64,
        samples: u64,
        channels: usize,
        item: usize,
    ) -> Self {
        PlanarFrames {
            file,
            path,
            data_offset,
            samples,
            channels,
            item,
            column: Vec::new(),
            out: Vec::new(),
        }
    }
}

impl FrameSource for PlanarFrames {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let count = count.min(self.samples.saturating_sub(start) as usize);
        let (item, channels) = (self.item, self.channels);
        self.out.resize(count * channels * item, 0);
        self.column.resize(count * item, 0);
        for ch in 0..channels {
            let off = self.data_offset + (ch as u64 * self.samples + start) * item as u64;
            self.file
                .read_exact_at(&mut self.column, off)
                .map_err(|e| LoaderError::io(&self.path, e))?;
            for (i, sample) in self.column.chunks_exact(item).enumerate() {
                let at = (i * channels + ch) * item;
                self.out[at..at + item].copy_from_slice(sample);
            }
        }
        Ok(&self.out)
    }
}

/// Frames read sequentially from a stream (stdin): no map, no seeking.
pub struct StreamFrames {
    reader: Box<dyn Read + Send>,
    path: String,
    frame_bytes: usize,
    /// Frames the stream must hold (from a .npy header); None for raw streams.
    expected: Option<u64>,
    buf: Vec<u8>,
    /// Frame index of `buf[0]`.
    buf_start: u64,
    eof: bool,
}

impl StreamFrames {
    pub fn new(
        reader: Box<dyn Read + Send>,
        path: String,
        frame_bytes: usize,
        expected: Option<u64>,
        already: Vec<u8>,
    ) -> Self {
        StreamFrames {
            reader,
            path,
            frame_bytes,
            expected,
            buf: already,
            buf_start: 0,
            eof: false,
        }
    }
}

impl FrameSource for StreamFrames {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let fb = self.frame_bytes as u64;
        if start < self.buf_start {
            return Err(LoaderError::Backwards {
                path: self.path.clone(),
            });
        }
        // Discard what lies before `start`, reading through it if it was never buffered.
        let mut skip = (start - self.buf_start) * fb;
        while skip > 0 {
            if self.buf.is_empty() {
                if self.eof || self.fill(skip.min(1 << 20) as usize)? == 0 {
                    break;
                }
                continue;
            }
            let n = skip.min(self.buf.len() as u64) as usize;
            self.buf.drain(..n);
            skip -= n as u64;
        }
        self.buf_start = start;
        let want = count * self.frame_bytes;
        while self.buf.len() < want && !self.eof {
            self.fill(want - self.buf.len())?;
        }
        let have = (self.buf.len().min(want) / self.frame_bytes) * self.frame_bytes;
        if let Some(total) = self.expected {
            let need = (total.saturating_sub(start)).min(count as u64) as usize * self.frame_bytes;
            if have < need {
                return Err(LoaderError::StreamShort {
                    path: self.path.clone(),
                    got: start + (have / self.frame_bytes) as u64,
                    want: total,
                });
            }
        }
        Ok(&self.buf[..have])
    }
}

impl StreamFrames {
    /// Append up to `n` bytes from the stream; returns how many came.
    fn fill(&mut self, n: usize) -> Result<usize, LoaderError> {
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        let mut got = 0;
        while got < n {
            match self.reader.read(&mut self.buf[old + got..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(LoaderError::io(&self.path, e)),
            }
        }
        self.buf.truncate(old + got);
        Ok(got)
    }
}

pub(super) fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if size > 0 { size as u64 } else { 4096 }
}
