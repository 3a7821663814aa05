//! Chunked datasets read straight from the file, without the library's copies.
//!
//! The chunk index is read once ([`super::chunks`]); then each chunk row (the chunks that hold
//! one run of frames, usually a single chunk) is either handed out in place from a memory map
//! (unfiltered chunks holding whole frames: no copy at all), or decoded into one reused buffer
//! per worker ([`super::decode`]), or assembled from several chunks (2-D data chunked across
//! its channels, or stored channels-first). Sequential reads decode the next rows on every core
//! at once; [`RegionSource`] lets `Trace::feed_split` give whole regions of rows to every core.
//! Either way at most one decoded row is held per worker (see [`CHUNK_BUDGET`]).
//!
//! [`CHUNK_BUDGET`]: super::chunks::CHUNK_BUDGET

use super::chunks::{ChunkIndex, Geometry};
use super::decode::{Decoder, Filters};
use super::error::H5Error;
use crate::loader::LoaderError;
use crate::loader::source::{RegionSource, Take, WINDOW_BYTES, map_checked};
use memmap2::Mmap;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::fs::File;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// Everything workers share about one chunked dataset.
pub struct ChunkedData {
    file: File,
    /// The name errors use (as the user gave it).
    name: String,
    file_path: PathBuf,
    dataset: String,
    index: ChunkIndex,
    filters: Filters,
    /// One element's fill value, for chunks that were never written.
    fill: Vec<u8>,
    /// Decoders and scratch buffers of finished jobs, for the next ones.
    pool: Mutex<Vec<Work>>,
}

/// One worker's reusable state.
#[derive(Default)]
struct Work {
    decoder: Decoder,
    /// A decoded chunk waiting to be placed into a row (assembled layouts only).
    chunk: Vec<u8>,
    /// The row being handed out.
    row: Vec<u8>,
}

/// Maps start on multiples of this (a PMD, the kernel's large page).
const HUGE: u64 = 2 << 20;

/// The part of the file mapped last; remapped when a read falls outside it.
#[derive(Default)]
struct Window {
    map: Option<(u64, Mmap)>,
}

impl Window {
    /// File bytes `[off, off + len)`, mapping `span` bytes from `off` when they are not mapped.
    fn get(
        &mut self,
        data: &ChunkedData,
        off: u64,
        len: usize,
        span: usize,
    ) -> Result<&[u8], H5Error> {
        if len == 0 {
            return Ok(&[]);
        }
        let inside = matches!(&self.map, Some((s, m)) if off >= *s && off + len as u64 <= s + m.len() as u64);
        if !inside {
            // Unmap first so two windows never add up in resident memory.
            self.map = None;
            // Start on a 2 MiB boundary of the file, as .npy regions do: the kernel then maps
            // large page-cache folios whole (one fault per 2 MiB, not per 64 KiB).
            let from = off / HUGE * HUGE;
            let lead = (off - from) as usize;
            let map = map_checked(&data.file, &data.name, from, lead + len, lead + span)
                .map_err(|e| H5Error::Source(e.to_string()))?;
            self.map = Some(map);
        }
        let (s, m) = self.map.as_ref().expect("mapped just above");
        let at = (off - s) as usize;
        Ok(&m[at..at + len])
    }
}

impl ChunkedData {
    pub(super) fn new(
        file: File,
        name: String,
        file_path: PathBuf,
        dataset: String,
        index: ChunkIndex,
        filters: Filters,
        fill: Vec<u8>,
    ) -> ChunkedData {
        ChunkedData {
            file,
            name,
            file_path,
            dataset,
            index,
            filters,
            fill,
            pool: Mutex::new(Vec::new()),
        }
    }

    fn geometry(&self) -> &Geometry {
        &self.index.geometry
    }

    /// Row `row` as stored, when it can be handed out in place: one unfiltered chunk holding
    /// whole frames.
    fn in_place(&self, row: u64) -> Option<u64> {
        let g = self.geometry();
        if !g.direct() {
            return None;
        }
        let stored = self.index.get(row, 0)?;
        (self.filters.active(stored.mask) == 0).then_some(stored.offset)
    }

    /// Whether every row can be handed out in place (no decoding anywhere).
    fn all_in_place(&self) -> bool {
        self.geometry().direct() && self.filters.is_empty()
    }

    /// The frames of row `row` into `work.row` (as its prefix: a decoded chunk may hold more):
    /// decoded, assembled from the row's chunks, or the fill value where chunks are missing.
    fn build_row(&self, row: u64, window: &mut Window, work: &mut Work) -> Result<(), H5Error> {
        let g = self.geometry();
        let (first, frames) = g.row_span(row);
        let chunk_bytes = g.chunk_bytes() as usize;
        let Work {
            decoder,
            chunk,
            row: row_buf,
        } = work;
        if g.direct() {
            return match self.index.get(row, 0) {
                Some(stored) => {
                    let input = window.get(self, stored.offset, stored.size as usize, 0)?;
                    decoder
                        .decode(
                            &self.filters,
                            input,
                            stored.mask,
                            g.elem,
                            chunk_bytes,
                            row_buf,
                        )
                        .map_err(|why| self.bad(first, why))
                }
                None => {
                    fill(row_buf, &self.fill, frames as usize * g.frame_bytes());
                    Ok(())
                }
            };
        }
        let len = frames as usize * g.frame_bytes();
        if row_buf.len() != len {
            row_buf.clear();
            row_buf.resize(len, 0);
        }
        for col in 0..g.cols {
            let bytes: &[u8] = match self.index.get(row, col) {
                Some(stored) if self.filters.active(stored.mask) == 0 => {
                    window.get(self, stored.offset, chunk_bytes, 0)?
                }
                Some(stored) => {
                    let input = window.get(self, stored.offset, stored.size as usize, 0)?;
                    decoder
                        .decode(
                            &self.filters,
                            input,
                            stored.mask,
                            g.elem,
                            chunk_bytes,
                            chunk,
                        )
                        .map_err(|why| self.bad(first, why))?;
                    chunk
                }
                None => {
                    fill(chunk, &self.fill, chunk_bytes);
                    chunk
                }
            };
            place(g, bytes, col, frames, row_buf);
        }
        Ok(())
    }

    fn bad(&self, frame: u64, why: String) -> H5Error {
        H5Error::BadChunk {
            file: self.file_path.clone(),
            dataset: self.dataset.clone(),
            frame,
            why,
        }
    }

    fn take_work(&self) -> Work {
        self.pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    }

    fn give_back(&self, work: Work) {
        let mut pool = self.pool.lock().unwrap_or_else(PoisonError::into_inner);
        if pool.len() < rayon::current_num_threads() {
            pool.push(work);
        }
    }

    /// Map the file span holding rows `[r0, r1]` at once when they lie (nearly) together, so
    /// a region costs one map rather than one per chunk.
    fn premap(&self, window: &mut Window, r0: u64, r1: u64) -> Result<(), H5Error> {
        let entries = &self.index.entries[self.index.first_at(r0)..self.index.first_at(r1 + 1)];
        let Some(lo) = entries.iter().map(|e| e.2.offset).min() else {
            return Ok(());
        };
        let hi = entries
            .iter()
            .map(|e| e.2.offset + e.2.size)
            .max()
            .unwrap_or(lo);
        let stored: u64 = entries.iter().map(|e| e.2.size).sum();
        let span = hi - lo;
        if span <= stored.saturating_mul(2).saturating_add(1 << 20) {
            window.get(self, lo, span as usize, span as usize)?;
        }
        Ok(())
    }

    /// Frames `[start, end)` to `take` in order, row by row, on the calling thread.
    fn visit_rows(&self, start: u64, end: u64, take: Take<'_>) -> Result<(), LoaderError> {
        let g = self.geometry();
        let end = end.min(g.frames);
        if start >= end {
            return Ok(());
        }
        let fb = g.frame_bytes();
        let (r0, r1) = (g.row_of(start), g.row_of(end - 1));
        let mut window = Window::default();
        let mut work = self.take_work();
        let h5 = |e: H5Error| LoaderError::Hdf5(e.to_string());
        self.premap(&mut window, r0, r1).map_err(h5)?;
        // In-place rows that follow each other in the file go out as one piece.
        let mut run: Option<(u64, u64, usize)> = None;
        let flush = |run: &mut Option<(u64, u64, usize)>, window: &mut Window, take: Take<'_>| {
            if let Some((frame, off, len)) = run.take() {
                take(frame, window.get(self, off, len, 0).map_err(h5)?)?;
            }
            Ok::<(), LoaderError>(())
        };
        for row in r0..=r1 {
            let (first, frames) = g.row_span(row);
            let from = (start.max(first) - first) as usize;
            let to = (end.min(first + frames) - first) as usize;
            if let Some(offset) = self.in_place(row) {
                let off = offset + (from * fb) as u64;
                let len = (to - from) * fb;
                match &mut run {
                    Some((_, run_off, run_len)) if *run_off + *run_len as u64 == off => {
                        *run_len += len;
                    }
                    _ => {
                        flush(&mut run, &mut window, take)?;
                        run = Some((first + from as u64, off, len));
                    }
                }
                // A short row ends the run: the next row's frames are not what follows.
                if to < g.row_frames as usize {
                    flush(&mut run, &mut window, take)?;
                }
                continue;
            }
            flush(&mut run, &mut window, take)?;
            self.build_row(row, &mut window, &mut work).map_err(h5)?;
            take(first + from as u64, &work.row[from * fb..to * fb])?;
        }
        flush(&mut run, &mut window, take)?;
        self.give_back(work);
        Ok(())
    }

    /// Where frames `[start, end)` lie when they are one run of the file: every row in place,
    /// each chunk right after the previous one (as writers lay them out).
    fn contiguous(&self, start: u64, end: u64) -> Option<u64> {
        let g = self.geometry();
        let fb = g.frame_bytes() as u64;
        let row_bytes = g.row_frames * fb;
        let (r0, r1) = (g.row_of(start), g.row_of(end - 1));
        let first = self.in_place(r0)?;
        for (k, row) in (r0 + 1..=r1).enumerate() {
            if self.in_place(row)? != first + (k as u64 + 1) * row_bytes {
                return None;
            }
        }
        Some(first + (start - g.row_span(r0).0) * fb)
    }
}

impl RegionSource for ChunkedData {
    /// Unfiltered rows cost nothing to split; decoded ones should be decoded once, so a
    /// region spans whole rows (or many, when rows do not fit the power-of-two grid).
    fn region_frames(&self, grain: u64, suggested: u64) -> u64 {
        if self.all_in_place() {
            return suggested;
        }
        let rows = self.geometry().row_frames.max(1);
        let mut region = grain.max(1);
        while region < rows || (!region.is_multiple_of(rows) && region < rows.saturating_mul(8)) {
            match region.checked_mul(2) {
                Some(next) => region = next,
                None => break,
            }
        }
        region
    }

    fn visit(&self, start: u64, end: u64, take: Take<'_>) -> Result<(), LoaderError> {
        self.visit_rows(start, end, take)
    }
}

/// Sequential reads of a chunked dataset, decoding the next rows on every core.
pub struct ChunkedFrames {
    data: Arc<ChunkedData>,
    window: Window,
    /// Rows decoded ahead, in order, with the work that holds each.
    ahead: VecDeque<(u64, Work)>,
    out: Vec<u8>,
}

impl ChunkedFrames {
    pub(super) fn new(data: ChunkedData) -> ChunkedFrames {
        ChunkedFrames {
            data: Arc::new(data),
            window: Window::default(),
            ahead: VecDeque::new(),
            out: Vec::new(),
        }
    }

    pub(super) fn shared(&self) -> Arc<ChunkedData> {
        Arc::clone(&self.data)
    }

    /// Frames `[start, start + count)` (clipped to the dataset) as C-order bytes: in place
    /// when they lie in one unfiltered chunk, else copied out of the rows that hold them.
    pub fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], H5Error> {
        let data = Arc::clone(&self.data);
        let g = data.geometry();
        let end = start.saturating_add(count as u64).min(g.frames);
        if start >= end {
            return Ok(&[]);
        }
        let fb = g.frame_bytes();
        let (r0, r1) = (g.row_of(start), g.row_of(end - 1));
        if let Some(off) = data.contiguous(start, end) {
            return self
                .window
                .get(&data, off, (end - start) as usize * fb, WINDOW_BYTES);
        }
        if r0 == r1 {
            // Inside one decoded row: hand out that part of it, no copy.
            let (first, _) = g.row_span(r0);
            let from = (start - first) as usize * fb;
            let to = (end - first) as usize * fb;
            return Ok(&self.decoded(r0)?[from..to]);
        }
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        for row in r0..=r1 {
            let (first, frames) = g.row_span(row);
            let from = (start.max(first) - first) as usize * fb;
            let to = (end.min(first + frames) - first) as usize * fb;
            if let Some(offset) = data.in_place(row) {
                let bytes =
                    self.window
                        .get(&data, offset + from as u64, to - from, WINDOW_BYTES)?;
                out.extend_from_slice(bytes);
                continue;
            }
            let row_bytes = self.decoded(row)?;
            out.extend_from_slice(&row_bytes[from..to]);
        }
        self.out = out;
        Ok(&self.out)
    }

    /// Row `row` decoded, from the rows decoded ahead; when it is not there, it and the rows
    /// after it that need decoding are decoded at once, one per core.
    fn decoded(&mut self, row: u64) -> Result<&[u8], H5Error> {
        while let Some((r, _)) = self.ahead.front()
            && *r < row
        {
            if let Some((_, work)) = self.ahead.pop_front() {
                self.data.give_back(work);
            }
        }
        if self.ahead.front().is_none_or(|(r, _)| *r != row) {
            for (_, work) in self.ahead.drain(..) {
                self.data.give_back(work);
            }
            let data = &self.data;
            let rows = data.geometry().rows();
            let batch: Vec<u64> = (row..rows)
                .take(rayon::current_num_threads().max(1))
                .take_while(|&r| r == row || data.in_place(r).is_none())
                .collect();
            let works: Vec<Work> = batch.iter().map(|_| data.take_work()).collect();
            let decoded: Result<Vec<(u64, Work)>, H5Error> = batch
                .into_par_iter()
                .zip(works)
                .map(|(r, mut work)| {
                    let mut window = Window::default();
                    data.build_row(r, &mut window, &mut work)?;
                    Ok((r, work))
                })
                .collect();
            self.ahead = decoded?.into();
        }
        let (_, work) = self.ahead.front().expect("row decoded just above");
        Ok(&work.row)
    }
}

/// `len` bytes of the fill value `value` (one element) in `buf`.
fn fill(buf: &mut Vec<u8>, value: &[u8], len: usize) {
    buf.clear();
    if value.iter().all(|&b| b == 0) || value.is_empty() {
        buf.resize(len, 0);
    } else {
        buf.extend(value.iter().copied().cycle().take(len));
    }
}

/// Chunk `col` of a row (decoded, in the chunk's own shape) into the row's C-order frames.
fn place(g: &Geometry, chunk: &[u8], col: u64, frames: u64, row: &mut [u8]) {
    let (elem, channels) = (g.elem, g.channels);
    let first_channel = (col * g.col_channels) as usize;
    let here = (g.col_channels as usize).min(channels.saturating_sub(first_channel));
    // Elements along the chunk's last axis: channels when stored (samples, channels), samples
    // when stored (channels, samples).
    let inner = g.chunk.last().copied().unwrap_or(1) as usize;
    for k in 0..here {
        let ch = first_channel + k;
        for f in 0..frames as usize {
            let at = if g.channels_first {
                k * inner + f
            } else {
                f * inner + k
            } * elem;
            let to = (f * channels + ch) * elem;
            if let (Some(src), Some(dst)) = (chunk.get(at..at + elem), row.get_mut(to..to + elem)) {
                dst.copy_from_slice(src);
            }
        }
    }
}
