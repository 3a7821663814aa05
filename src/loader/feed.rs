//! The one way samples reach an algorithm: walk a range of a trace for a set of channels and
//! push typed per-channel slices into a [`Sink`].
//!
//! The walk picks its engine: regions mapped and processed on every core when the trace is a
//! file of interleaved frames and the sink can split ([`Trace::feed_split`]), else one
//! sequential stream of chunks ([`Trace::feed`]). Either way the sink sees the same samples
//! in the same order. Per chunk, the dtype is dispatched once: a single native channel is
//! handed over in place (no copy), several are gathered into typed columns, scaled channels
//! (ADC codes with a gain and offset) become f64, and one-bit picks become u8 levels.

use super::chunks::{Chunk, ChunkPlan};
use super::{LoaderError, Trace};
use crate::parallel::{Flow, Pipeline};
use crate::sample::sink::{Sink, SinkError, SplitSink};
use crate::sample::{DType, Endian, I24, Sample, typed_slice};
use rayon::prelude::*;

/// One channel a walk delivers: an index into the trace's channels, or one bit of it (a
/// logic line packed in integer samples, `--bit N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub channel: usize,
    pub bit: Option<u32>,
}

impl Pick {
    pub fn channel(channel: usize) -> Pick {
        Pick { channel, bit: None }
    }
}

/// What to walk: frames `range`, the picked channels, `chunk` frames at a time; `progress`
/// hears how many new frames each step delivered.
pub struct Walk<'a> {
    pub range: (u64, Option<u64>),
    pub picks: &'a [Pick],
    pub chunk: usize,
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// The most bytes a chunk's frames plus its per-channel f64 columns may take, whatever
/// `--chunk` and the channel count say (a capture of 65536 channels gets short chunks).
const CHUNK_BYTES: usize = 64 << 20;

/// Bytes of a region one thread maps at a time: large enough to amortise the map, small
/// enough that one per core stays well inside the memory bound.
const REGION_BYTES: usize = 8 << 20;

/// A pick resolved against the trace: where its values lie and how they become numbers.
#[derive(Debug, Clone, Copy)]
struct Source {
    column: usize,
    bit: Option<u32>,
    /// `value = code * gain + offset`, when the stored codes are not the values.
    scale: Option<(f64, f64)>,
}

impl Trace {
    /// Deliver the walk to `sink` chunk by chunk, in order.
    pub fn feed<S: Sink>(&mut self, walk: &Walk<'_>, sink: &mut S) -> Result<(), LoaderError> {
        let sources = self.sources(walk.picks)?;
        let mut columns = Columns::default();
        self.walk_chunks(walk, |chunk| columns.deliver(chunk, &sources, sink))
    }

    /// Deliver the walk's frames as stored (all channels, the file's dtype and byte order)
    /// to `sink`, for byte-exact copies; `walk.picks` is not used.
    pub fn feed_frames(
        &mut self,
        walk: &Walk<'_>,
        mut sink: impl FnMut(&Chunk<'_>) -> Result<(), SinkError>,
    ) -> Result<(), LoaderError> {
        self.walk_chunks(walk, |chunk| sink(chunk))
    }

    /// The sequential engine: every chunk of the walk's range to `take`, in order. A stream
    /// that ends before the range does is an error, so no sample is silently missing.
    fn walk_chunks(
        &mut self,
        walk: &Walk<'_>,
        mut take: impl FnMut(&Chunk<'_>) -> Result<(), SinkError>,
    ) -> Result<(), LoaderError> {
        let path = self.info.path.clone();
        let (start, end) = walk.range;
        // However many channels, a chunk's frames and their f64 columns stay in budget.
        let frame_cost = self.info.frame_bytes() + 8 * walk.picks.len();
        let size = walk.chunk.min((CHUNK_BYTES / frame_cost.max(1)).max(1));
        let mut chunks = self.chunks(ChunkPlan::new(start, end, size, 0)?)?;
        let mut reached = start;
        while let Some(chunk) = chunks.next_chunk()? {
            (walk.progress)(chunk.len() as u64);
            take(&chunk).map_err(|e| LoaderError::sink(&path, e))?;
            reached = chunk.end();
        }
        match end {
            Some(want) if reached < want => Err(LoaderError::StreamShort {
                path,
                got: reached,
                want,
            }),
            _ => Ok(()),
        }
    }

    /// Like [`Trace::feed`], but when the trace is a file of interleaved frames (or of chunks,
    /// in HDF5) with a known end, regions of it are mapped (or decoded) and fed to forks of
    /// `sink` on every core and joined back in order. Regions hold `grain × 2^k` frames (see
    /// [`SplitSink::grain`]).
    pub fn feed_split<S: SplitSink>(
        &mut self,
        walk: &Walk<'_>,
        sink: &mut S,
    ) -> Result<(), LoaderError> {
        let frame = self.info.frame_bytes().max(1);
        let grain = sink.grain().max(1);
        // A region must hold `grain` frames within its byte budget (few, wide frames: walk).
        let fits = grain.saturating_mul(frame as u64) <= REGION_BYTES as u64;
        let (Some(reader), (start, Some(end)), true) = (self.region_reader()?, walk.range, fits)
        else {
            return self.feed(walk, sink);
        };
        let sources = self.sources(walk.picks)?;
        let path = &self.info.path;
        let most = (walk.chunk.min(REGION_BYTES / frame) as u64).max(grain) / grain;
        let region = reader
            .region_frames(grain, grain << most.ilog2())
            .max(grain);
        let region = grain << (region / grain).ilog2();
        // Forks come from a copy, so `sink` itself stays free for the joins.
        let template = sink.fork(start);
        let mut next = start;
        let regions = || {
            let first = next;
            (first < end).then(|| {
                next = (first + region).min(end);
                (first, next)
            })
        };
        let work = |(first, last): (u64, u64), out: &mut Option<(u64, Result<S, LoaderError>)>| {
            let mut part = template.fork(first);
            let visited = REGION_COLUMNS.with_borrow_mut(|columns| {
                reader.visit(first, (last - first) as usize, &mut |chunk| {
                    columns
                        .deliver(chunk, &sources, &mut part)
                        .map_err(|e| LoaderError::sink(path, e))
                })
            });
            let part = visited.map(|()| part);
            let flow = if part.is_ok() {
                Flow::Continue
            } else {
                Flow::Stop
            };
            *out = Some((last - first, part));
            flow
        };
        Pipeline::per_core(2).run(
            regions,
            || None,
            work,
            |out| {
                let (frames, part) = out.take().expect("a delivered region holds its result");
                sink.join(part?);
                (walk.progress)(frames);
                Ok(())
            },
        )
    }

    /// Check the picks against the trace and find where each one's values lie: the
    /// channel's stored column, its bit (`--bit` or a logic lane's own), and its scale
    /// (applied per chunk: a bit is 0/1, never scaled).
    fn sources(&self, picks: &[Pick]) -> Result<Vec<Source>, LoaderError> {
        let info = &self.info;
        picks
            .iter()
            .map(|pick| {
                info.check_channel(pick.channel)?;
                let channel = &info.channels[pick.channel];
                let bit = pick.bit.or(channel.bit);
                if let Some(bit) = bit {
                    check_bit(info.dtype, bit).map_err(|why| LoaderError::Pick {
                        path: info.path.clone(),
                        why,
                    })?;
                }
                Ok(Source {
                    column: channel.column,
                    bit,
                    scale: channel
                        .scale
                        .filter(|_| bit.is_none())
                        .map(|s| (s.gain, s.offset)),
                })
            })
            .collect()
    }
}

/// Whether bit `bit` of a `dtype` sample can be a logic line.
fn check_bit(dtype: DType, bit: u32) -> Result<(), String> {
    if dtype.is_float() {
        return Err(format!(
            "--bit {bit} needs integer samples, but they are {dtype}"
        ));
    }
    let width = 8 * dtype.size() as u32;
    if bit >= width {
        return Err(format!("bit {bit} does not exist in a {width}-bit sample"));
    }
    Ok(())
}

thread_local! {
    /// A region worker's column buffers, kept from region to region: fresh ones cost a
    /// memset and a page fault per 4 KiB of every region (15 % of `stats` on a stereo
    /// file). The workers are scoped threads of one walk, so the buffers go with them.
    static REGION_COLUMNS: std::cell::RefCell<Columns> = std::cell::RefCell::default();
}

/// Frames below which a chunk's columns are filled on one thread.
const PARALLEL_FILL: usize = 1 << 16;

/// Reused buffers that turn a chunk's C-order frames into one slice per pick.
#[derive(Default)]
struct Columns {
    /// 8-byte aligned storage, viewed as `[T]` for whatever type the chunk needs.
    storage: Vec<Vec<u64>>,
}

impl Columns {
    fn deliver<S: Sink>(
        &mut self,
        chunk: &Chunk<'_>,
        sources: &[Source],
        sink: &mut S,
    ) -> Result<(), SinkError> {
        let start = chunk.start;
        if sources.iter().all(|s| s.bit.is_some()) {
            self.fill(sources.len(), chunk.len(), |i, out: &mut [u8]| {
                extract_bit(chunk, sources[i], out)
            });
            return sink.take(start, &self.views::<u8>(sources.len(), chunk.len()));
        }
        if sources.iter().any(|s| s.bit.is_some() || s.scale.is_some()) {
            self.fill(sources.len(), chunk.len(), |i, out: &mut [f64]| {
                scaled(chunk, sources[i], out)
            });
            return sink.take(start, &self.views::<f64>(sources.len(), chunk.len()));
        }
        if chunk.dtype() == DType::I24 {
            // 24-bit samples (WAV) widened to i32 columns, the same values: the typed
            // kernels read i32 in vectors, 3-byte samples one by one (0.6x the speed).
            self.fill(sources.len(), chunk.len(), |i, out: &mut [i32]| {
                gather_i24(chunk, sources[i].column, out)
            });
            return sink.take(start, &self.views::<i32>(sources.len(), chunk.len()));
        }
        crate::with_sample_type!(chunk.dtype(), T => {
            if let ([only], 1) = (sources, chunk.channels())
                && only.column == 0
                && let Some(samples) = chunk.typed::<T>()
            {
                return sink.take(start, &[samples]);
            }
            self.fill(sources.len(), chunk.len(), |i, out: &mut [T]| {
                gather(chunk, sources[i].column, out)
            });
            sink.take(start, &self.views::<T>(sources.len(), chunk.len()))
        })
    }

    /// Fill `count` columns of `len` values of `T`, column `i` by `fill(i, column)`, on
    /// every core when there are several.
    fn fill<T: Sample>(&mut self, count: usize, len: usize, fill: impl Fn(usize, &mut [T]) + Sync) {
        if self.storage.len() < count {
            self.storage.resize_with(count, Vec::new);
        }
        let words = (len * std::mem::size_of::<T>()).div_ceil(8);
        let columns = &mut self.storage[..count];
        let one = |(i, buf): (usize, &mut Vec<u64>)| {
            buf.resize(words, 0);
            fill(i, &mut view_mut::<T>(buf)[..len]);
        };
        // Short chunks (`--chunk 7`) stay on this thread: handing a few samples to the pool
        // costs far more than extracting them.
        if count == 1 || len < PARALLEL_FILL {
            columns.iter_mut().enumerate().for_each(one);
        } else {
            columns.par_iter_mut().enumerate().for_each(one);
        }
    }

    /// The first `count` columns as `len` values of `T` each.
    fn views<T: Sample>(&self, count: usize, len: usize) -> Vec<&[T]> {
        self.storage[..count]
            .iter()
            .map(|buf| &view::<T>(buf)[..len])
            .collect()
    }
}

/// `u64` storage seen as `T`s. Every `Sample` is a plain number (any bit pattern is valid)
/// with an alignment of at most 8, so the whole buffer is one aligned body.
fn view<T: Sample>(buf: &[u64]) -> &[T] {
    // SAFETY: see above; `align_to` puts nothing in `head` for an 8-aligned start.
    let (head, body, _) = unsafe { buf.align_to::<T>() };
    debug_assert!(head.is_empty());
    body
}

fn view_mut<T: Sample>(buf: &mut [u64]) -> &mut [T] {
    // SAFETY: as in `view`.
    let (head, body, _) = unsafe { buf.align_to_mut::<T>() };
    debug_assert!(head.is_empty());
    body
}

/// Column `column` of the chunk's frames in native byte order.
fn gather<T: Sample>(chunk: &Chunk<'_>, column: usize, out: &mut [T]) {
    let channels = chunk.channels();
    let endian = chunk.endian();
    match typed_slice::<T>(chunk.bytes(), chunk.dtype(), endian) {
        // A fixed frame width lets the compiler turn the strided copy into vector shuffles
        // (a run-time stride is a scalar loop: half the CPU of `stats` on stereo WAV/.npy).
        Some(frames) => match channels {
            2 => pick_typed::<T, 2>(frames, column, out),
            3 => pick_typed::<T, 3>(frames, column, out),
            4 => pick_typed::<T, 4>(frames, column, out),
            6 => pick_typed::<T, 6>(frames, column, out),
            8 => pick_typed::<T, 8>(frames, column, out),
            _ => {
                let picked = frames.iter().skip(column).step_by(channels);
                out.iter_mut().zip(picked).for_each(|(o, v)| *o = *v);
            }
        },
        // Samples not aligned for `T` (a WAV whose data starts at byte 46) or in the other
        // byte order: decoded from their bytes, the frame width fixed as above.
        None => {
            let size = chunk.dtype().size();
            let bytes = chunk.bytes();
            let fixed = size == std::mem::size_of::<T>();
            match (channels, endian) {
                (1, Endian::Little) if fixed => pick_bytes::<T, 1, true>(bytes, column, out),
                (2, Endian::Little) if fixed => pick_bytes::<T, 2, true>(bytes, column, out),
                (4, Endian::Little) if fixed => pick_bytes::<T, 4, true>(bytes, column, out),
                (1, Endian::Big) if fixed => pick_bytes::<T, 1, false>(bytes, column, out),
                (2, Endian::Big) if fixed => pick_bytes::<T, 2, false>(bytes, column, out),
                _ => {
                    let frames = bytes.chunks_exact(size * channels);
                    out.iter_mut().zip(frames).for_each(|(o, frame)| {
                        *o = T::from_bytes(&frame[column * size..], endian);
                    });
                }
            }
        }
    }
}

/// Column `column` of a chunk of 24-bit samples, as i32.
fn gather_i24(chunk: &Chunk<'_>, column: usize, out: &mut [i32]) {
    let bytes = chunk.bytes();
    match (chunk.channels(), chunk.endian()) {
        (1, Endian::Little) => pick_i24::<1, true>(bytes, column, out),
        (2, Endian::Little) => pick_i24::<2, true>(bytes, column, out),
        (4, Endian::Little) => pick_i24::<4, true>(bytes, column, out),
        (channels, endian) => {
            let frames = bytes.chunks_exact(3 * channels);
            out.iter_mut().zip(frames).for_each(|(o, frame)| {
                *o = I24::from_bytes(&frame[3 * column..], endian).get();
            });
        }
    }
}

/// Column `column` of frames of `N` 24-bit samples (little-endian if `LE`) as i32.
#[inline(always)]
fn pick_i24<const N: usize, const LE: bool>(bytes: &[u8], column: usize, out: &mut [i32]) {
    assert!(column < N, "column {column} of a {N}-sample frame");
    let at = 3 * column;
    let endian = if LE { Endian::Little } else { Endian::Big };
    out.iter_mut()
        .zip(bytes.chunks_exact(3 * N))
        .for_each(|(o, frame)| *o = I24::from_bytes(&frame[at..at + 3], endian).get());
}

/// Column `column` of frames of `N` samples.
#[inline(always)]
fn pick_typed<T: Copy, const N: usize>(frames: &[T], column: usize, out: &mut [T]) {
    assert!(column < N, "column {column} of a {N}-sample frame");
    let (frames, _) = frames.as_chunks::<N>();
    out.iter_mut()
        .zip(frames)
        .for_each(|(o, frame)| *o = frame[column]);
}

/// Column `column` of frames of `N` samples stored as `T`'s bytes, little-endian if `LE`.
#[inline(always)]
fn pick_bytes<T: Sample, const N: usize, const LE: bool>(
    bytes: &[u8],
    column: usize,
    out: &mut [T],
) {
    let size = const { std::mem::size_of::<T>() };
    let endian = if LE { Endian::Little } else { Endian::Big };
    let at = column * size;
    assert!(
        at + size <= N * size,
        "column {column} of a {N}-sample frame"
    );
    out.iter_mut()
        .zip(bytes.chunks_exact(N * size))
        .for_each(|(o, frame)| *o = T::from_bytes(&frame[at..at + size], endian));
}

/// The byte of a sample that holds bit `bit`, and the bit's place in it. Working on bytes
/// serves every integer type and byte order alike.
fn bit_place(size: usize, endian: Endian, bit: u32) -> (usize, u32) {
    let byte = match endian {
        Endian::Little => (bit / 8) as usize,
        Endian::Big => size - 1 - (bit / 8) as usize,
    };
    (byte, bit % 8)
}

/// The source's column, one value per frame, each computed from the sample's bytes.
fn per_sample<O>(chunk: &Chunk<'_>, column: usize, out: &mut [O], f: impl Fn(&[u8]) -> O) {
    let size = chunk.dtype().size();
    let frames = chunk.bytes().chunks_exact(size * chunk.channels());
    out.iter_mut()
        .zip(frames)
        .for_each(|(o, frame)| *o = f(&frame[column * size..(column + 1) * size]));
}

/// Bit `source.bit` (0/1) of every sample of the source's column.
fn extract_bit(chunk: &Chunk<'_>, source: Source, out: &mut [u8]) {
    let (byte, shift) = bit_place(
        chunk.dtype().size(),
        chunk.endian(),
        source.bit.unwrap_or(0),
    );
    let stride = chunk.dtype().size() * chunk.channels();
    if stride == 1 {
        // One byte per frame: a plain loop the compiler vectorises.
        for (o, &b) in out.iter_mut().zip(chunk.bytes()) {
            *o = (b >> shift) & 1;
        }
        return;
    }
    per_sample(chunk, source.column, out, |s| (s[byte] >> shift) & 1);
}

/// The source's values as f64: a bit as 0/1, codes through the affine scale.
fn scaled(chunk: &Chunk<'_>, source: Source, out: &mut [f64]) {
    let (dtype, endian) = (chunk.dtype(), chunk.endian());
    if let Some(bit) = source.bit {
        let (byte, shift) = bit_place(dtype.size(), endian, bit);
        return per_sample(chunk, source.column, out, |s| {
            f64::from((s[byte] >> shift) & 1)
        });
    }
    let (gain, offset) = source.scale.unwrap_or((1.0, 0.0));
    crate::with_sample_type!(dtype, T => per_sample(chunk, source.column, out, |s| {
        T::from_bytes(s, endian).to_f64() * gain + offset
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(chunk: &Chunk<'_>, column: usize, bit: u32) -> Vec<u8> {
        let mut out = vec![9; chunk.len()];
        let source = Source {
            column,
            bit: Some(bit),
            scale: None,
        };
        extract_bit(chunk, source, &mut out);
        out
    }

    /// Column `column` of `frames` by the definition: sample `column` of every frame.
    fn reference<T: Sample>(
        bytes: &[u8],
        endian: Endian,
        channels: usize,
        column: usize,
    ) -> Vec<T> {
        let size = std::mem::size_of::<T>();
        bytes
            .chunks_exact(size * channels)
            .map(|frame| T::from_bytes(&frame[column * size..], endian))
            .collect()
    }

    fn check_gather<T: Sample + PartialEq + std::fmt::Debug>(dtype: DType) {
        let size = std::mem::size_of::<T>();
        // One spare byte in front, so that starting at 1 gives samples not aligned for T.
        let store: Vec<u8> = (0..1 + 9 * 37 * size)
            .map(|i| (i * 151 + 7) as u8)
            .collect();
        for channels in 1..=9 {
            for shift in [0, 1] {
                for endian in [Endian::Little, Endian::Big] {
                    // 8-aligned storage so that `shift` alone decides alignment.
                    let mut words = vec![0u64; store.len().div_ceil(8)];
                    let bytes = &mut view_mut::<u8>(&mut words)[..store.len()];
                    bytes.copy_from_slice(&store);
                    let frames = &bytes[shift..shift + 37 * channels * size];
                    let chunk = Chunk::of(0, frames, (dtype, endian), channels);
                    for column in 0..channels {
                        let mut out = vec![T::from_bytes(&[0; 8], endian); 37];
                        gather(&chunk, column, &mut out);
                        let want = reference::<T>(frames, endian, channels, column);
                        assert_eq!(
                            out, want,
                            "{dtype} {endian:?}, {channels} channels, column {column}, offset {shift}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn gather_every_frame_width_alignment_and_order() {
        check_gather::<i16>(DType::I16);
        check_gather::<u8>(DType::U8);
        check_gather::<i32>(DType::I32);
        check_gather::<u64>(DType::U64);
        check_gather::<I24>(DType::I24);
    }

    #[test]
    fn i24_columns_widen_to_i32() {
        let store: Vec<u8> = (0..9 * 37 * 3).map(|i| (i * 151 + 7) as u8).collect();
        for channels in 1..=9 {
            for endian in [Endian::Little, Endian::Big] {
                let frames = &store[..37 * channels * 3];
                let chunk = Chunk::of(0, frames, (DType::I24, endian), channels);
                for column in 0..channels {
                    let mut out = vec![0i32; 37];
                    gather_i24(&chunk, column, &mut out);
                    let want: Vec<i32> = reference::<I24>(frames, endian, channels, column)
                        .into_iter()
                        .map(I24::get)
                        .collect();
                    assert_eq!(
                        out, want,
                        "{endian:?}, {channels} channels, column {column}"
                    );
                }
            }
        }
        // Sign extension: 0x800000 is -2^23, 0x7fffff is 2^23 - 1.
        let chunk = Chunk::of(
            0,
            &[0, 0, 0x80, 0xff, 0xff, 0x7f],
            (DType::I24, Endian::Little),
            2,
        );
        let mut out = [0i32; 1];
        gather_i24(&chunk, 0, &mut out);
        assert_eq!(out, [-(1 << 23)]);
        gather_i24(&chunk, 1, &mut out);
        assert_eq!(out, [(1 << 23) - 1]);
    }

    #[test]
    fn bit_extraction() {
        let words: Vec<u8> = [0x0010u16, 0xffef, 0x8000]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        let chunk = Chunk::of(0, &words, (DType::U16, Endian::Little), 1);
        assert_eq!(bits(&chunk, 0, 4), [1, 0, 0]);
        assert_eq!(bits(&chunk, 0, 15), [0, 1, 1]);
        // The same words big-endian, as channel 1 of a two-channel capture.
        let frames: Vec<u8> = [0x0010u16, 0xffef, 0x8000]
            .iter()
            .flat_map(|w| [0xaa, 0xaa].into_iter().chain(w.to_be_bytes()))
            .collect();
        let chunk = Chunk::of(0, &frames, (DType::U16, Endian::Big), 2);
        assert_eq!(bits(&chunk, 1, 4), [1, 0, 0]);
        assert_eq!(
            check_bit(DType::U8, 8),
            Err("bit 8 does not exist in a 8-bit sample".to_string())
        );
        assert!(check_bit(DType::F32, 0).is_err());
    }

    #[test]
    fn scaled_values_and_bits_as_f64() {
        let codes: Vec<u8> = [-2i16, 0, 300]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let chunk = Chunk::of(0, &codes, (DType::I16, Endian::Big), 1);
        let mut out = vec![0.0; 3];
        let source = Source {
            column: 0,
            bit: None,
            scale: Some((0.5, 1.0)),
        };
        scaled(&chunk, source, &mut out);
        assert_eq!(out, [0.0, 1.0, 151.0]);
        scaled(
            &chunk,
            Source {
                bit: Some(1),
                ..source
            },
            &mut out,
        );
        assert_eq!(out, [1.0, 0.0, 0.0]);
    }
}
