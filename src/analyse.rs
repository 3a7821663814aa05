//! Analyses shared by the commands and the Python binding: the sinks a whole-range pass
//! needs, set up from a trace's channels, and their results. `cmd/` adds the progress bar
//! and the report; the binding adds NumPy and the GIL. Neither repeats the steps.

use crate::dsp::moments::{Accumulator, Moments};
use crate::loader::{Chunk, Pick, Scale, TraceInfo};
use crate::sample::sink::PerChannel;
use crate::sample::{Endian, Sample};
use rayon::prelude::*;

/// Exact statistics of the picked channels over a range that starts at `start`: one
/// [`Accumulator`] per channel, fed the stored codes of scaled channels (their statistics
/// are mapped through the scale at the end, exactly as the codes' would be).
#[derive(Clone)]
pub struct Stats {
    pub channels: Vec<usize>,
    pub scales: Vec<Option<Scale>>,
    pub sinks: PerChannel<Accumulator>,
}

impl Stats {
    /// Takes the scales of the picked channels out of `info`, so that a walk of the trace
    /// delivers their codes; see [`Stats::restore_scales`] to put them back.
    pub fn new(info: &mut TraceInfo, picks: &[Pick], start: u64) -> Stats {
        let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();
        let scales = info.take_scales(&channels);
        Stats {
            sinks: PerChannel(vec![Accumulator::new(start, true); picks.len()]),
            channels,
            scales,
        }
    }

    /// Put the scales taken by [`Stats::new`] back into `info` (a trace walked again).
    pub fn restore_scales(&self, info: &mut TraceInfo) {
        for (&k, scale) in self.channels.iter().zip(&self.scales) {
            if let Some(channel) = info.channels.get_mut(k)
                && scale.is_some()
            {
                channel.scale = *scale;
            }
        }
    }

    /// Samples per channel taken so far.
    pub fn samples(&self) -> u64 {
        self.sinks.0.first().map_or(0, Accumulator::len)
    }

    /// Each channel's statistics, in its unit (scaled channels mapped through their scale).
    pub fn moments(&self) -> Vec<Moments> {
        self.sinks
            .0
            .iter()
            .zip(&self.scales)
            .map(|(acc, scale)| {
                let m = acc.moments();
                scale.map_or(m, |s| m.affine(s.gain, s.offset))
            })
            .collect()
    }
}

impl Stats {
    /// Take in `later`, the statistics of the range that directly follows this one, with
    /// the same bits as one pass over both: this range must end on the statistics' block
    /// grid ([`BLOCK`](crate::dsp::moments::BLOCK) samples from its start, 2^k blocks
    /// aligned to `later`'s size). An error says why two ranges cannot be merged exactly.
    pub fn append(&mut self, later: &Stats) -> Result<(), String> {
        let block = crate::dsp::moments::BLOCK as u64;
        if later.channels != self.channels {
            return Err("partials of different channels cannot be merged".into());
        }
        let len = self.samples();
        let blocks = len / block;
        let later_blocks = later.samples() / block;
        if !len.is_multiple_of(block) {
            return Err(format!(
                "a partial can only be followed by another when it holds a multiple of {block} samples (it holds {len})"
            ));
        }
        if later_blocks > 0 && !blocks.is_multiple_of(1 << later_blocks.ilog2()) {
            return Err(format!(
                "a partial of {len} samples cannot be followed exactly by one of {} samples: split the range into pieces of 2^k × {block} samples",
                later.samples()
            ));
        }
        for (a, b) in self.sinks.0.iter_mut().zip(&later.sinks.0) {
            a.append(b);
        }
        Ok(())
    }
}

/// Where a picked channel lies in every frame of a chunk: a logic line (the byte of the
/// frame that holds it and the bit in that byte) or a whole stored column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSource {
    Level { byte: usize, shift: u32 },
    Column(usize),
}

impl Stats {
    /// When some picks are logic lines (bits of integer columns) and the others unscaled
    /// columns, where each one lies, so that [`Stats::take_levels`] can count the lines
    /// from the stored words; None otherwise (and for a bit that does not exist, which the
    /// ordinary walk reports).
    pub fn level_sources(info: &TraceInfo, picks: &[Pick]) -> Option<Vec<LevelSource>> {
        let size = info.dtype.size();
        if info.dtype.is_float() {
            return None;
        }
        let sources: Vec<LevelSource> = picks
            .iter()
            .map(|pick| {
                let channel = info.channels.get(pick.channel)?;
                let Some(bit) = pick.bit.or(channel.bit) else {
                    return channel
                        .scale
                        .is_none()
                        .then_some(LevelSource::Column(channel.column));
                };
                if bit >= 8 * size as u32 {
                    return None;
                }
                let within = match info.endian {
                    Endian::Little => (bit / 8) as usize,
                    Endian::Big => size - 1 - (bit / 8) as usize,
                };
                Some(LevelSource::Level {
                    byte: channel.column * size + within,
                    shift: bit % 8,
                })
            })
            .collect::<Option<_>>()?;
        let lines = sources
            .iter()
            .any(|s| matches!(s, LevelSource::Level { .. }));
        lines.then_some(sources)
    }

    /// Take a chunk of stored frames for the picks [`Stats::level_sources`] placed: the
    /// ones of each logic line are counted a word at a time, never sample by sample, and
    /// columns are pushed as stored; the same bits as feeding the 0/1 levels and columns.
    pub fn take_levels(&mut self, sources: &[LevelSource], chunk: &Chunk<'_>) {
        let stride = chunk.dtype().size() * chunk.channels();
        let done = self.sinks.0.first().map_or(0, Accumulator::len);
        let lines: Vec<(usize, u32)> = sources
            .iter()
            .filter_map(|s| match *s {
                LevelSource::Level { byte, shift } => Some((byte, shift)),
                LevelSource::Column(_) => None,
            })
            .collect();
        let views = LineViews::new(chunk.bytes(), stride, chunk.len(), done, &lines);
        let one = |(acc, source): (&mut Accumulator, &LevelSource)| match *source {
            LevelSource::Level { byte, shift } => {
                let (view, line) = views.find(byte, shift);
                let (bytes, stride) = (&view.bytes[..], view.stride);
                let (byte, shift) = view.lines[line];
                acc.push_levels(
                    chunk.len(),
                    |a, b| {
                        view.runs.get(a, b, line).unwrap_or_else(|| {
                            count_ones(&bytes[a * stride..b * stride], stride, byte, shift)
                        })
                    },
                    |i| (bytes[i * stride + byte] >> shift) & 1 == 1,
                );
            }
            LevelSource::Column(column) => {
                crate::with_sample_type!(chunk.dtype(), T => {
                    let mut values: Vec<T> = Vec::with_capacity(chunk.len());
                    let channels = chunk.channels();
                    match chunk.typed::<T>() {
                        Some(frames) => values
                            .extend(frames.chunks_exact(channels).map(|f| f[column])),
                        None => {
                            let size = chunk.dtype().size();
                            values.extend(chunk.bytes().chunks_exact(size * channels).map(
                                |f| T::from_bytes(&f[column * size..], chunk.endian()),
                            ));
                        }
                    }
                    acc.push(&values);
                })
            }
        };
        // Channels on every core, unless the chunk is too short to be worth the handoff.
        if chunk.len() >= 1 << 16 && sources.len() > 1 {
            self.sinks.0.par_iter_mut().zip(sources).for_each(one);
        } else {
            self.sinks.0.iter_mut().zip(sources).for_each(one);
        }
    }
}

/// The frames of a chunk as the logic lines are counted from: the frames themselves when
/// they are 1, 2, 4 or 8 bytes; otherwise (a VCD's frames of several columns) copies of the
/// bytes that hold lines, gathered in one pass into frames of at most eight bytes, so their
/// lines are still counted together a word at a time.
struct LineViews<'a> {
    views: Vec<LineView<'a>>,
}

struct LineView<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    stride: usize,
    /// (byte, bit) of each line within this view's frames.
    lines: Vec<(usize, u32)>,
    /// The chunk's byte of each of this view's frame bytes.
    held: Vec<usize>,
    runs: RunCounts,
}

impl<'a> LineViews<'a> {
    fn new(bytes: &'a [u8], stride: usize, len: usize, done: u64, lines: &[(usize, u32)]) -> Self {
        if lines.is_empty() {
            return LineViews { views: Vec::new() };
        }
        let mut held: Vec<usize> = lines.iter().map(|l| l.0).collect();
        held.sort_unstable();
        held.dedup();
        let views = if matches!(stride, 1 | 2 | 4 | 8) {
            let mut lines = lines.to_vec();
            lines.dedup();
            vec![LineView {
                runs: RunCounts::new(bytes, stride, len, done, &lines),
                bytes: std::borrow::Cow::Borrowed(bytes),
                stride,
                lines,
                held: (0..stride).collect(),
            }]
        } else {
            held.chunks(8)
                .map(|group| {
                    let to = group.len().next_power_of_two();
                    let mut packed = vec![0u8; len * to];
                    for (dst, src) in packed.chunks_exact_mut(to).zip(bytes.chunks_exact(stride)) {
                        for (d, &b) in dst.iter_mut().zip(group) {
                            *d = src[b];
                        }
                    }
                    let mut mine: Vec<(usize, u32)> = lines
                        .iter()
                        .filter_map(|&(b, s)| group.iter().position(|&g| g == b).map(|j| (j, s)))
                        .collect();
                    mine.sort_unstable();
                    mine.dedup();
                    LineView {
                        runs: RunCounts::new(&packed, to, len, done, &mine),
                        bytes: std::borrow::Cow::Owned(packed),
                        stride: to,
                        lines: mine,
                        held: group.to_vec(),
                    }
                })
                .collect()
        };
        LineViews { views }
    }

    /// The view that holds line (`byte`, `shift`) of the chunk's frames and the line's index
    /// in it.
    fn find(&self, byte: usize, shift: u32) -> (&LineView<'a>, usize) {
        self.views
            .iter()
            .find_map(|v| {
                let j = v.held.iter().position(|&h| h == byte)?;
                let line = v.lines.iter().position(|&l| l == (j, shift))?;
                Some((v, line))
            })
            .expect("every line of the sources is in a view")
    }
}

/// The ones of several logic lines over the statistics blocks of a chunk: run 0 is frames
/// `[0, first)` (what completes the block in progress), then runs of `BLOCK` frames, the
/// last one shorter; `counts[run * lines + line]`.
struct RunCounts {
    first: usize,
    len: usize,
    lines: usize,
    counts: Vec<u64>,
}

impl RunCounts {
    /// Count `lines` ((byte, bit) of frames of `stride` = 1, 2, 4 or 8 bytes) over the
    /// `len` frames of `bytes`, given `done` samples already in the statistics.
    fn new(bytes: &[u8], stride: usize, len: usize, done: u64, lines: &[(usize, u32)]) -> Self {
        let block = crate::dsp::moments::BLOCK;
        let first = (block - (done % block as u64) as usize).min(len);
        let runs = if len == 0 {
            0
        } else {
            1 + (len - first).div_ceil(block)
        };
        let mut counts = vec![0u64; runs * lines.len()];
        let span = |run: usize| {
            if run == 0 {
                (0, first)
            } else {
                let a = first + (run - 1) * block;
                (a, (a + block).min(len))
            }
        };
        // Pieces of 64 blocks (256 KiB of u8 frames): enough work per hand-off.
        let per = 64 * lines.len().max(1);
        counts
            .par_chunks_mut(per)
            .enumerate()
            .for_each(|(piece, out)| {
                for (k, out) in out.chunks_exact_mut(lines.len()).enumerate() {
                    let (a, b) = span(piece * 64 + k);
                    count_lines(&bytes[a * stride..b * stride], stride, lines, out);
                }
            });
        RunCounts {
            first,
            len,
            lines: lines.len(),
            counts,
        }
    }

    /// The ones of line `line` over frames `[a, b)` when that is one of the runs.
    fn get(&self, a: usize, b: usize, line: usize) -> Option<u64> {
        let block = crate::dsp::moments::BLOCK;
        let run = if a == 0 {
            (b == self.first).then_some(0)?
        } else {
            let from = a.checked_sub(self.first)?;
            let whole = from.is_multiple_of(block) && b == (a + block).min(self.len);
            whole.then_some(1 + from / block)?
        };
        self.counts.get(run * self.lines + line).copied()
    }
}

/// The ones of each of `lines` ((byte, bit) of each frame) in `frames` of `stride` = 1, 2, 4
/// or 8 bytes, into `out`: one pass over the frames for up to four lines at a time.
fn count_lines(frames: &[u8], stride: usize, lines: &[(usize, u32)], out: &mut [u64]) {
    let lanes = 0x0101_0101_0101_0101u64 & lane_mask(stride);
    let (words, tail) = frames.as_chunks::<8>();
    if lines.len() > 4 {
        // Many lines (a VCD's wires): every bit of the words counted at once costs about
        // as much as four lines counted one by one.
        let planes = bit_planes_dispatch(words);
        for (o, &(byte, shift)) in out.iter_mut().zip(lines) {
            let in_words: u64 = (byte..8)
                .step_by(stride)
                .map(|lane| planes[lane * 8 + shift as usize])
                .sum();
            *o = in_words
                + tail
                    .chunks_exact(stride)
                    .map(|f| u64::from((f[byte] >> shift) & 1))
                    .sum::<u64>();
        }
        return;
    }
    for (group, out) in lines.chunks(4).zip(out.chunks_mut(4)) {
        let moves: Vec<u32> = group.iter().map(|&(b, s)| b as u32 * 8 + s).collect();
        let counted: Vec<u64> = match *moves {
            [a] => count_many_dispatch(words, [a], lanes).to_vec(),
            [a, b] => count_many_dispatch(words, [a, b], lanes).to_vec(),
            [a, b, c] => count_many_dispatch(words, [a, b, c], lanes).to_vec(),
            [a, b, c, d] => count_many_dispatch(words, [a, b, c, d], lanes).to_vec(),
            _ => unreachable!("groups of one to four lines"),
        };
        for ((o, n), &(byte, shift)) in out.iter_mut().zip(counted).zip(group) {
            *o = n + tail
                .chunks_exact(stride)
                .map(|f| u64::from((f[byte] >> shift) & 1))
                .sum::<u64>();
        }
    }
}

/// How many of `words` (little-endian u64) have each of the 64 bits set, `[8 * byte + bit]`.
/// Bits are summed in ever wider fields of one word: 2-bit fields over 3 words, 4-bit
/// fields over 15, byte lanes over 255 (no field overflows), eight words side by side.
#[inline(always)]
fn bit_planes(words: &[[u8; 8]]) -> [u64; 64] {
    const M1: u64 = 0x5555_5555_5555_5555;
    const M2: u64 = 0x3333_3333_3333_3333;
    const M4: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    const W: usize = 8;
    let mut total = [0u64; 64];
    let (wide, rest) = words.as_chunks::<W>();
    let mut add = |acc8: &[[u64; W]; 8]| {
        for (bit, lanes) in acc8.iter().enumerate() {
            for v in lanes {
                for (byte, b) in v.to_le_bytes().iter().enumerate() {
                    total[byte * 8 + bit] += u64::from(*b);
                }
            }
        }
    };
    for big in wide.chunks(255) {
        let mut acc8 = [[0u64; W]; 8];
        for mid in big.chunks(15) {
            let mut acc4 = [[0u64; W]; 4];
            for small in mid.chunks(3) {
                let mut even = [0u64; W];
                let mut odd = [0u64; W];
                for group in small {
                    for k in 0..W {
                        let w = u64::from_le_bytes(group[k]);
                        even[k] += w & M1;
                        odd[k] += (w >> 1) & M1;
                    }
                }
                for k in 0..W {
                    // 4-bit fields of bits (0, 4), (1, 5), (2, 6), (3, 7) of every byte.
                    acc4[0][k] += even[k] & M2;
                    acc4[1][k] += odd[k] & M2;
                    acc4[2][k] += (even[k] >> 2) & M2;
                    acc4[3][k] += (odd[k] >> 2) & M2;
                }
            }
            for j in 0..4 {
                for k in 0..W {
                    acc8[j][k] += acc4[j][k] & M4;
                    acc8[j + 4][k] += (acc4[j][k] >> 4) & M4;
                }
            }
        }
        add(&acc8);
    }
    for w in rest {
        // Bit 8 * byte + bit of the little-endian word is that bit of that byte.
        let w = u64::from_le_bytes(*w);
        for (at, t) in total.iter_mut().enumerate() {
            *t += (w >> at) & 1;
        }
    }
    total
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
#[inline(never)]
fn bit_planes_avx512(words: &[[u8; 8]]) -> [u64; 64] {
    bit_planes(words)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn bit_planes_avx2(words: &[[u8; 8]]) -> [u64; 64] {
    bit_planes(words)
}

/// [`bit_planes`] on the widest vectors this CPU has (an exact integer count either way).
fn bit_planes_dispatch(words: &[[u8; 8]]) -> [u64; 64] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
        {
            // SAFETY: the CPU supports AVX-512 F and BW (checked just above), the only
            // requirement of the target_feature function.
            return unsafe { bit_planes_avx512(words) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above).
            return unsafe { bit_planes_avx2(words) };
        }
    }
    bit_planes(words)
}

/// For each of N lines, the sum over `words` of the bits `lanes` of each word shifted right
/// by `moves[line]`: byte lanes summed over at most 224 words (no lane overflows).
#[inline(always)]
fn count_many<const N: usize>(words: &[[u8; 8]], moves: [u32; N], lanes: u64) -> [u64; N] {
    let mut total = [0u64; N];
    for group in words.chunks(224) {
        let mut acc = [0u64; N];
        for w in group {
            let w = u64::from_le_bytes(*w);
            for (a, m) in acc.iter_mut().zip(moves) {
                *a += (w >> m) & lanes;
            }
        }
        for (t, a) in total.iter_mut().zip(acc) {
            *t += a.to_le_bytes().iter().map(|&b| u64::from(b)).sum::<u64>();
        }
    }
    total
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
#[inline(never)]
fn count_many_avx512<const N: usize>(words: &[[u8; 8]], moves: [u32; N], lanes: u64) -> [u64; N] {
    count_many(words, moves, lanes)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn count_many_avx2<const N: usize>(words: &[[u8; 8]], moves: [u32; N], lanes: u64) -> [u64; N] {
    count_many(words, moves, lanes)
}

/// [`count_many`] on the widest vectors this CPU has (an exact integer count either way).
fn count_many_dispatch<const N: usize>(words: &[[u8; 8]], moves: [u32; N], lanes: u64) -> [u64; N] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
        {
            // SAFETY: the CPU supports AVX-512 F and BW (checked just above), the only
            // requirement of the target_feature function.
            return unsafe { count_many_avx512(words, moves, lanes) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above).
            return unsafe { count_many_avx2(words, moves, lanes) };
        }
    }
    count_many(words, moves, lanes)
}

/// How many frames of `frames` (each `stride` bytes) have bit `shift` of byte `byte` set.
/// Frames of 1, 2, 4 or 8 bytes are counted eight bytes at a time: the bit of each frame
/// is moved to the frame's lowest bit and the masked words are summed, each frame's count
/// in its own lane (at most 255 words per sum, so no lane overflows).
pub fn count_ones(frames: &[u8], stride: usize, byte: usize, shift: u32) -> u64 {
    if !matches!(stride, 1 | 2 | 4 | 8) {
        return frames
            .chunks_exact(stride)
            .map(|f| u64::from((f[byte] >> shift) & 1))
            .sum();
    }
    let lanes = 0x0101_0101_0101_0101u64 & lane_mask(stride);
    let move_by = byte as u32 * 8 + shift;
    let (words, tail) = frames.as_chunks::<8>();
    count_words_dispatch(words, move_by, lanes)
        + tail
            .chunks_exact(stride)
            .map(|f| u64::from((f[byte] >> shift) & 1))
            .sum::<u64>()
}

/// The sum over `words` of the bits `lanes` of each word shifted right by `move_by`, four
/// independent sums of at most 255 words each so that no byte lane overflows.
#[inline(always)]
fn count_words(words: &[[u8; 8]], move_by: u32, lanes: u64) -> u64 {
    let mut total = 0u64;
    for group in words.chunks(4 * 255) {
        let mut acc = [0u64; 4];
        let (quads, rest) = group.as_chunks::<4>();
        for q in quads {
            for (a, w) in acc.iter_mut().zip(q) {
                *a += (u64::from_le_bytes(*w) >> move_by) & lanes;
            }
        }
        for (a, w) in acc.iter_mut().zip(rest) {
            *a += (u64::from_le_bytes(*w) >> move_by) & lanes;
        }
        total += acc
            .iter()
            .flat_map(|a| a.to_le_bytes())
            .map(u64::from)
            .sum::<u64>();
    }
    total
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn count_words_avx2(words: &[[u8; 8]], move_by: u32, lanes: u64) -> u64 {
    count_words(words, move_by, lanes)
}

/// [`count_words`] on the widest vectors this CPU has (an exact integer count either way).
fn count_words_dispatch(words: &[[u8; 8]], move_by: u32, lanes: u64) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of the
        // target_feature function.
        return unsafe { count_words_avx2(words, move_by, lanes) };
    }
    count_words(words, move_by, lanes)
}

/// The lowest byte of every `stride`-byte lane of a u64 set to 0xff.
fn lane_mask(stride: usize) -> u64 {
    (0..8)
        .step_by(stride)
        .fold(0u64, |m, k| m | (0xff << (8 * k)))
}

#[cfg(test)]
mod tests {
    use super::{RunCounts, count_lines, count_ones};

    #[test]
    fn lines_counted_together_equal_each_counted_alone() {
        let frames: Vec<u8> = (0..20_011u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        for stride in [1usize, 2, 4, 8] {
            let all: Vec<(usize, u32)> = (0..stride)
                .flat_map(|b| (0..8).map(move |s| (b, s)))
                .collect();
            for n in [1, 2, 3, 4, 5, 7, 9] {
                let lines: Vec<(usize, u32)> = all.iter().copied().step_by(3).take(n).collect();
                for cut in [0, 8, 13, 4096, frames.len()] {
                    let part = &frames[..cut.min(frames.len()) / stride * stride];
                    let mut out = vec![0; lines.len()];
                    count_lines(part, stride, &lines, &mut out);
                    for (&(byte, shift), got) in lines.iter().zip(&out) {
                        assert_eq!(*got, count_ones(part, stride, byte, shift));
                    }
                }
            }
        }
    }

    #[test]
    fn bit_planes_equal_a_plain_count_at_every_field_limit() {
        // All ones fill every field to its limit (3, 15, 255 words per lane); the lengths
        // cross each limit of the 8-word groups by one either way.
        let noise: Vec<u8> = (0..8 * 4100u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 9) as u8)
            .collect();
        let ones = vec![0xffu8; noise.len()];
        for data in [&noise, &ones] {
            for words in [
                0usize, 1, 7, 8, 23, 24, 25, 119, 120, 121, 2039, 2040, 2041, 4100,
            ] {
                let (w, _) = data[..8 * words].as_chunks::<8>();
                let got = super::bit_planes_dispatch(w);
                for byte in 0..8 {
                    for bit in 0..8 {
                        let want = w.iter().filter(|x| x[byte] >> bit & 1 == 1).count() as u64;
                        assert_eq!(
                            got[byte * 8 + bit],
                            want,
                            "{words} words, byte {byte} bit {bit}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn lines_of_frames_that_are_not_1_2_4_or_8_bytes_are_counted_from_packed_copies() {
        // 20-byte frames (a VCD's), lines in 10 of their bytes: two packed views.
        let stride = 20;
        let len = 3 * crate::dsp::moments::BLOCK + 99;
        let bytes: Vec<u8> = (0..(stride * len) as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
            .collect();
        let lines: Vec<(usize, u32)> = [0usize, 1, 2, 3, 5, 7, 11, 13, 17, 19]
            .iter()
            .flat_map(|&b| [(b, 0u32), (b, 3), (b, 7)])
            .collect();
        for done in [0u64, 5, 4096] {
            let views = super::LineViews::new(&bytes, stride, len, done, &lines);
            assert_eq!(views.views.len(), 2);
            let first = crate::dsp::moments::BLOCK - (done % 4096) as usize;
            for &(byte, shift) in &lines {
                let (view, line) = views.find(byte, shift);
                let want = count_ones(&bytes[..first * stride], stride, byte, shift);
                assert_eq!(view.runs.get(0, first, line), Some(want));
                let (vb, vs) = view.lines[line];
                assert_eq!(vs, shift);
                for i in [0, 1, len - 1] {
                    assert_eq!(view.bytes[i * view.stride + vb], bytes[i * stride + byte]);
                }
            }
        }
    }

    #[test]
    fn run_counts_cover_the_blocks_the_statistics_ask_for() {
        let block = crate::dsp::moments::BLOCK;
        let frames: Vec<u8> = (0..3 * block as u32 + 77).map(|i| (i / 5) as u8).collect();
        let lines = [(0usize, 0u32), (0, 6)];
        for done in [0u64, 1, 4095, 4096, 10_000] {
            let len = frames.len();
            let runs = RunCounts::new(&frames, 1, len, done, &lines);
            let first = block - (done % block as u64) as usize;
            let mut spans = vec![(0, first)];
            let mut a = first;
            while a < len {
                spans.push((a, (a + block).min(len)));
                a += block;
            }
            for (a, b) in spans {
                for (k, &(byte, shift)) in lines.iter().enumerate() {
                    let want = count_ones(&frames[a..b], 1, byte, shift);
                    assert_eq!(runs.get(a, b, k), Some(want), "done {done} [{a}, {b})");
                }
            }
            // A range that is not one of the runs is not answered.
            assert_eq!(runs.get(1, 2, 0), None);
        }
    }

    #[test]
    fn ones_counted_by_words_equal_a_plain_count() {
        let frames: Vec<u8> = (0..10_007u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for stride in [1usize, 2, 3, 4, 8] {
            for byte in 0..stride {
                for shift in 0..8 {
                    let len = frames.len() / stride * stride;
                    for cut in [0, 1, 9, len] {
                        let part = &frames[..cut.min(len) / stride * stride];
                        let want: u64 = part
                            .chunks_exact(stride)
                            .map(|f| u64::from((f[byte] >> shift) & 1))
                            .sum();
                        assert_eq!(count_ones(part, stride, byte, shift), want);
                    }
                }
            }
        }
    }
}
