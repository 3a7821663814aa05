//! The waveform overview in one streaming pass: per pixel column, the smallest, largest and
//! mean sample of the samples that fall in it.
//!
//! Why this shape:
//! - [`ColumnEnvelope::push`] takes chunks at absolute sample indices in any order and size;
//!   each chunk is cut at column boundaries ([`ColumnMap`]) once, and every piece goes through
//!   one tight kernel, so the per-sample work is a load, a widening, two extremes and a sum.
//! - The kernel runs on the stored type ([`Sample::as_native`]: f32 compared as f32, i16 as
//!   i16) in `LANES` (16) independent accumulators, so baseline SSE2 code vectorises well past
//!   memory speed; only 64-bit integers, bool and f16 are widened to f64 first.
//! - NaNs are skipped: a piece whose fast sum is not finite (a NaN poisons it) is redone in
//!   f64, NaN-aware.
//! - min, max, NaN and sample counts are exact and independent of chunking and of merge
//!   order (a glitch of one sample always shows, in its own column). The sum, hence the mean,
//!   is a plain f64 sum of the pieces: it differs in the last bits between chunkings.
//! - [`ColumnEnvelope::merge`] combines envelopes of disjoint regions done on other threads;
//!   as a [`ChannelSplit`] sink the loader spreads a whole-file pass over every core.

use super::DspError;
use super::columns::ColumnMap;
use crate::sample::sink::{ChannelSink, ChannelSplit};
use crate::sample::{Native, Sample};

/// Independent accumulators of the kernels (one AVX-512 or two AVX2 vectors of f32).
const LANES: usize = 16;

/// What one column has seen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnStats {
    /// Smallest non-NaN sample; `+inf` while there is none.
    pub min: f64,
    /// Largest non-NaN sample; `-inf` while there is none.
    pub max: f64,
    /// Sum of the non-NaN samples.
    pub sum: f64,
    /// Non-NaN samples.
    pub count: u64,
    /// NaN samples.
    pub nans: u64,
}

impl ColumnStats {
    /// A column that has seen nothing.
    pub const EMPTY: ColumnStats = ColumnStats {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        sum: 0.0,
        count: 0,
        nans: 0,
    };

    /// Mean of the non-NaN samples, NaN when there is none.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// True when the column holds at least one non-NaN sample (so min ≤ mean ≤ max).
    pub fn has_values(&self) -> bool {
        self.count > 0
    }

    /// Both columns' samples together.
    pub fn combine(&self, other: &ColumnStats) -> ColumnStats {
        ColumnStats {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
            sum: self.sum + other.sum,
            count: self.count + other.count,
            nans: self.nans + other.nans,
        }
    }
}

/// Per-column min, max and mean of a sample range laid onto `width` pixel columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnEnvelope {
    map: ColumnMap,
    columns: Vec<ColumnStats>,
}

impl ColumnEnvelope {
    /// `width` columns over the samples `start .. start + len` (see [`ColumnMap`]).
    /// Allocates the `width` columns; nothing is allocated afterwards.
    pub fn new(start: u64, len: u64, width: usize) -> Result<ColumnEnvelope, DspError> {
        let map = ColumnMap::new(start, len, width)?;
        Ok(ColumnEnvelope {
            map,
            columns: vec![ColumnStats::EMPTY; width],
        })
    }

    /// An empty envelope over the same columns, for a region done on another thread.
    pub fn fork(&self) -> ColumnEnvelope {
        ColumnEnvelope {
            map: self.map,
            columns: vec![ColumnStats::EMPTY; self.map.width()],
        }
    }

    /// The column layout.
    pub fn map(&self) -> &ColumnMap {
        &self.map
    }

    /// Takes the samples `start .. start + samples.len()`; those outside the envelope's range
    /// are ignored. Chunks may come in any order and size, but each sample only once.
    pub fn push<T: Sample>(&mut self, start: u64, samples: &[T]) {
        let end = start.saturating_add(samples.len() as u64);
        let (lo, hi) = (start.max(self.map.start()), end.min(self.map.end()));
        if lo >= hi {
            return;
        }
        let mut index = lo;
        let mut column = self.map.column_of(lo);
        while index < hi {
            let stop = self.map.column_start(column + 1).min(hi);
            if stop > index {
                let piece = &samples[(index - start) as usize..(stop - start) as usize];
                let seen = scan(piece);
                let slot = &mut self.columns[column];
                *slot = slot.combine(&seen);
            }
            index = stop;
            column += 1;
        }
    }

    /// Adds what `other` (an envelope of the same layout over other samples) has seen.
    pub fn merge(&mut self, other: &ColumnEnvelope) -> Result<(), DspError> {
        if other.map != self.map {
            return Err(DspError::LayoutMismatch {
                expected: self.map.layout(),
                got: other.map.layout(),
            });
        }
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            *mine = mine.combine(theirs);
        }
        Ok(())
    }

    /// The columns, left to right.
    pub fn columns(&self) -> &[ColumnStats] {
        &self.columns
    }

    /// The columns, consuming the envelope.
    pub fn into_columns(self) -> Vec<ColumnStats> {
        self.columns
    }
}

impl ChannelSink for ColumnEnvelope {
    fn take<T: Sample>(&mut self, start: u64, samples: &[T]) {
        self.push(start, samples);
    }
}

impl ChannelSplit for ColumnEnvelope {
    fn fork(&self, _start: u64) -> Self {
        ColumnEnvelope::fork(self)
    }

    fn join(&mut self, later: Self) {
        // Forks share the layout, so this cannot mismatch.
        for (mine, theirs) in self.columns.iter_mut().zip(&later.columns) {
            *mine = mine.combine(theirs);
        }
    }
}

/// Statistics of one piece (a run of samples within one column).
fn scan<T: Sample>(piece: &[T]) -> ColumnStats {
    let fast = match T::as_native(piece) {
        Native::F32(x) => scan_native(x),
        Native::F64(x) => scan_native(x),
        Native::I8(x) => scan_native(x),
        Native::U8(x) => scan_native(x),
        Native::I16(x) => scan_native(x),
        Native::U16(x) => scan_native(x),
        Native::I32(x) => scan_native(x),
        Native::U32(x) => scan_native(x),
        Native::Other => scan_wide(piece),
    };
    // The fast kernels let a NaN through min/max unnoticed but not through the sum: a sum
    // that is not finite (a NaN, inf - inf, or an f32 block sum that overflowed) is redone
    // in f64, skipping NaNs.
    if fast.sum.is_finite() {
        return fast;
    }
    let (mut seen, mut nans) = (ColumnStats::EMPTY, 0);
    for v in piece {
        let x = v.to_f64();
        if x.is_nan() {
            nans += 1;
        } else {
            seen.min = seen.min.min(x);
            seen.max = seen.max.max(x);
            seen.sum += x;
            seen.count += 1;
        }
    }
    ColumnStats { nans, ..seen }
}

/// A stored sample type scanned in its own type: comparisons on the narrow values (16 per
/// AVX2 instruction for i16, 8 for f32), sums in `Acc` per block.
trait Lane: Copy + PartialOrd {
    /// Per-block sum type: wide enough for `BLOCK / LANES` values of `Self`.
    type Acc: Copy + Default + std::ops::AddAssign;
    /// Start values of min and max: the largest and smallest value of the type.
    const HIGHEST: Self;
    const LOWEST: Self;
    fn widen(self) -> Self::Acc;
    fn acc_f64(acc: Self::Acc) -> f64;
    fn f64(self) -> f64;
}

macro_rules! impl_lane {
    ($($t:ty, $acc:ty, $hi:expr, $lo:expr);* $(;)?) => {$(
        impl Lane for $t {
            type Acc = $acc;
            const HIGHEST: $t = $hi;
            const LOWEST: $t = $lo;
            #[inline(always)]
            fn widen(self) -> $acc {
                self.into()
            }
            #[inline(always)]
            fn acc_f64(acc: $acc) -> f64 {
                acc as f64
            }
            #[inline(always)]
            fn f64(self) -> f64 {
                self.into()
            }
        }
    )*};
}

// Sums of 256 values per lane: f32 keeps ~1e-6 relative accuracy (the mean is for drawing),
// the integer accumulators are exact.
impl_lane!(
    f32, f32, f32::INFINITY, f32::NEG_INFINITY;
    f64, f64, f64::INFINITY, f64::NEG_INFINITY;
    i8, i32, i8::MAX, i8::MIN;
    u8, u32, u8::MAX, u8::MIN;
    i16, i32, i16::MAX, i16::MIN;
    u16, u32, u16::MAX, u16::MIN;
    i32, i64, i32::MAX, i32::MIN;
    u32, u64, u32::MAX, u32::MIN;
);

/// Samples summed in `Lane::Acc` before the block sum joins the f64 total.
const BLOCK: usize = 4096;

/// The hot loop on the stored type. Written as compare-and-select (`if lo < x { lo } else
/// { x }`, which is exactly x86's `minps`), so baseline SSE2 code already vectorises to well
/// past memory speed: no run-time CPU dispatch, no `unsafe`. A NaN may slip past min/max
/// here but always poisons the sum, which sends the piece to the NaN-aware path.
fn scan_native<T: Lane>(piece: &[T]) -> ColumnStats {
    let mut lo = [T::HIGHEST; LANES];
    let mut hi = [T::LOWEST; LANES];
    let mut total = 0.0;
    for block in piece.chunks(BLOCK) {
        let mut sum = [T::Acc::default(); LANES];
        let (groups, tail) = block.as_chunks::<LANES>();
        for group in groups {
            for l in 0..LANES {
                let x = group[l];
                lo[l] = if lo[l] < x { lo[l] } else { x };
                hi[l] = if hi[l] > x { hi[l] } else { x };
                sum[l] += x.widen();
            }
        }
        for (l, &x) in tail.iter().enumerate() {
            lo[l] = if lo[l] < x { lo[l] } else { x };
            hi[l] = if hi[l] > x { hi[l] } else { x };
            sum[l] += x.widen();
        }
        total += sum.iter().map(|&a| T::acc_f64(a)).sum::<f64>();
    }
    ColumnStats {
        min: lo.iter().fold(f64::INFINITY, |m, v| m.min(v.f64())),
        max: hi.iter().fold(f64::NEG_INFINITY, |m, v| m.max(v.f64())),
        sum: total,
        count: piece.len() as u64,
        nans: 0,
    }
}

/// The hot loop for types without a native kernel (64-bit integers, bool, f16): the same
/// shape on values widened to f64.
fn scan_wide<T: Sample>(piece: &[T]) -> ColumnStats {
    let mut lo = [f64::INFINITY; LANES];
    let mut hi = [f64::NEG_INFINITY; LANES];
    let mut sum = [0.0; LANES];
    let (groups, tail) = piece.as_chunks::<LANES>();
    for group in groups {
        for l in 0..LANES {
            let x = group[l].to_f64();
            lo[l] = if lo[l] < x { lo[l] } else { x };
            hi[l] = if hi[l] > x { hi[l] } else { x };
            sum[l] += x;
        }
    }
    for (l, v) in tail.iter().enumerate() {
        let x = v.to_f64();
        lo[l] = if lo[l] < x { lo[l] } else { x };
        hi[l] = if hi[l] > x { hi[l] } else { x };
        sum[l] += x;
    }
    ColumnStats {
        min: lo.iter().fold(f64::INFINITY, |m, &v| m.min(v)),
        max: hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
        sum: sum.iter().sum(),
        count: piece.len() as u64,
        nans: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic test signal with NaNs and infinities sprinkled in.
    fn signal(len: usize) -> Vec<f32> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..len)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let x = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                match i % 9973 {
                    17 => f32::NAN,
                    5000 if i > 50_000 => f32::NAN,
                    _ => x,
                }
            })
            .collect()
    }

    /// Straightforward per-sample reference.
    fn reference(data: &[f32], start: u64, width: usize) -> Vec<ColumnStats> {
        let map = ColumnMap::new(start, data.len() as u64, width).unwrap();
        let mut out = vec![ColumnStats::EMPTY; width];
        for (k, v) in data.iter().enumerate() {
            let c = &mut out[map.column_of(start + k as u64)];
            let x = f64::from(*v);
            if x.is_nan() {
                c.nans += 1;
            } else {
                c.min = c.min.min(x);
                c.max = c.max.max(x);
                c.sum += x;
                c.count += 1;
            }
        }
        out
    }

    fn envelope_chunked(data: &[f32], start: u64, width: usize, chunk: usize) -> ColumnEnvelope {
        let mut env = ColumnEnvelope::new(start, data.len() as u64, width).unwrap();
        for (i, part) in data.chunks(chunk).enumerate() {
            env.push(start + (i * chunk) as u64, part);
        }
        env
    }

    fn assert_matches(got: &[ColumnStats], want: &[ColumnStats], case: &str) {
        assert_eq!(got.len(), want.len(), "{case}: columns");
        for (c, (g, w)) in got.iter().zip(want).enumerate() {
            let exact = (g.min, g.max, g.count, g.nans) == (w.min, w.max, w.count, w.nans);
            assert!(exact, "{case}: column {c}: got {g:?}, want {w:?}");
            // f32 samples are summed in f32 per block of 4096 (256 per lane): the mean is
            // for drawing, good to ~1e-6 of the signal's scale (here |x| ≤ 0.5).
            let tol = 4e-6 * (w.count as f64).max(1.0);
            assert!(
                (g.sum - w.sum).abs() <= tol,
                "{case}: column {c} sum {} vs {}",
                g.sum,
                w.sum
            );
        }
    }

    #[test]
    fn exact_under_every_chunking() {
        let data = signal(200_003);
        for width in [1, 13, 1600] {
            let want = reference(&data, 42, width);
            for chunk in [1, 7, 4096, data.len()] {
                let env = envelope_chunked(&data, 42, width, chunk);
                assert_matches(
                    env.columns(),
                    &want,
                    &format!("width {width}, chunk {chunk}"),
                );
            }
        }
    }

    #[test]
    fn merge_of_regions_equals_one_pass() {
        let data = signal(100_000);
        let whole = envelope_chunked(&data, 0, 700, data.len());
        let mut left = ColumnEnvelope::new(0, data.len() as u64, 700).unwrap();
        let mut right = left.fork();
        // Regions cut mid-column, pushed out of order.
        right.push(33_333, &data[33_333..]);
        left.push(0, &data[..33_333]);
        left.merge(&right).unwrap();
        assert_matches(left.columns(), whole.columns(), "merged");
        let other = ColumnEnvelope::new(0, 99_999, 700).unwrap();
        assert_eq!(
            left.merge(&other),
            Err(DspError::LayoutMismatch {
                expected: (0, 100_000, 700),
                got: (0, 99_999, 700)
            })
        );
    }

    #[test]
    fn nan_columns_infinities_and_clipping() {
        let mut env = ColumnEnvelope::new(10, 8, 4).unwrap();
        // Samples 6..20: the first four and the last two fall outside the range.
        let data = [
            9.0,
            9.0,
            9.0,
            9.0,
            f64::NAN,
            f64::NAN,
            1.0,
            f64::NAN,
            f64::INFINITY,
            -2.0,
            f64::NEG_INFINITY,
            f64::INFINITY,
            9.0,
            9.0,
        ];
        env.push(6, &data);
        let c = env.columns();
        assert!(!c[0].has_values() && c[0].nans == 2 && c[0].mean().is_nan());
        assert_eq!(
            (c[1].min, c[1].max, c[1].count, c[1].nans),
            (1.0, 1.0, 1, 1)
        );
        assert_eq!(
            (c[2].min, c[2].max, c[2].mean()),
            (-2.0, f64::INFINITY, f64::INFINITY)
        );
        assert_eq!(
            (c[3].min, c[3].max, c[3].count),
            (f64::NEG_INFINITY, f64::INFINITY, 2)
        );
        assert!(c[3].mean().is_nan(), "inf - inf has no mean");
    }

    #[test]
    fn integer_and_wide_samples() {
        let mut env = ColumnEnvelope::new(0, 6, 2).unwrap();
        env.push(0, &[i16::MIN, 0, i16::MAX, 5, 5, 6]);
        let c = env.columns();
        assert_eq!((c[0].min, c[0].max), (-32768.0, 32767.0));
        assert_eq!((c[1].min, c[1].max, c[1].mean()), (5.0, 6.0, 16.0 / 3.0));
        let mut logic = ColumnEnvelope::new(0, 4, 2).unwrap();
        logic.push(0, &[1u64, 1, 0, 1]);
        assert_eq!((logic.columns()[0].min, logic.columns()[1].min), (1.0, 0.0));
    }

    #[test]
    fn more_columns_than_samples_leaves_empty_columns() {
        let mut env = ColumnEnvelope::new(0, 3, 7).unwrap();
        env.push(0, &[1.0f32, 2.0, 3.0]);
        let filled: Vec<f64> = env
            .columns()
            .iter()
            .filter(|c| c.has_values())
            .map(|c| c.mean())
            .collect();
        assert_eq!(filled, [1.0, 2.0, 3.0]);
    }
}
