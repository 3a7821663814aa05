//! State levels (IEEE 181-2011 §5.2): the top and base of a two-state waveform by the
//! histogram mode method, with the min/max method as the fallback when the histogram has no
//! clear mode in one of its halves.
//!
//! The halves are split at the middle of the range holding all but the rarest 0.01 % of
//! the samples at either end (IEEE 181 splits at the middle of min..max, which one spike
//! moves); each level is the mode of its half on 256 bins over that range, refined to the
//! mean of the samples within two bins of it. A mode whose window holds under 20 % of its
//! half is no state (a sine, a triangle): then base = min and top = max.
//!
//! One pass fills a histogram of 2^14 bins on a dyadic grid: bin k covers
//! [(base + k)·2^e, (base + k + 1)·2^e), e the smallest exponent at which every finite sample
//! seen fits (and at least the exponent of the largest magnitude minus 50, so indices fit an
//! i64). When a sample falls outside, e grows and bin pairs merge exactly; the grid then
//! depends only on the set of samples, never on their order, so any chunking and any merge of
//! regions ([`StateLevelEstimator::join`]) give the same histogram, count for count.

use super::PulseError;
use crate::sample::Sample;
use crate::sample::sink::{ChannelSink, ChannelSplit};
use serde::Serialize;

const BINS: usize = 1 << 14;
/// Samples go round-robin into this many sub-histograms of u32 counters: consecutive samples
/// of a flat state hit the same bin, and separate counters keep the increments independent.
/// They are added into the u64 counts before they could overflow and whenever the grid moves.
const LANES: usize = 4;
/// Samples binned per group in the hot loop (the index arithmetic vectorises).
const GROUP: usize = 8;
/// Bins of the histogram the modes are taken on, over the range of all but the rarest
/// samples (below the `TAIL` and above the 1 - `TAIL` quantile: a rare spike neither moves
/// the split between the halves nor forms a mode of its own).
const COARSE: usize = 256;
const TAIL: f64 = 1e-4;
/// Samples `push` takes per step (64 KiB of f32: still in the cache when binned).
const STEP: usize = 1 << 14;
/// Bytes tallied per step of `push_bytes` (the tally's u32 sub-counts cannot overflow).
const BYTE_STEP: usize = 1 << 24;
/// A level is the mean of the mode bin and this many bins either side of it...
const MODE_WINDOW: usize = 2;
/// ...which must hold this share of its half of the samples, else min/max is used.
const MIN_SHARE: f64 = 0.2;
/// Grid exponents below this are not used (values under 2^-950 share a bin).
const EXP_MIN: i32 = -1000;
/// e ≥ exponent(x) - 50 keeps |x|·2^-e below 2^51.
const INDEX_BITS: i32 = 50;
/// |x|·2^-e below this is exp_bound(x) <= e.
const INDEX_LIMIT: f64 = (1u64 << (INDEX_BITS + 1)) as f64;

/// How the state levels were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LevelMethod {
    /// Histogram mode method: the mode of each half of the histogram.
    Histogram,
    /// The histogram had no clear mode in a half: base = min, top = max.
    MinMax,
    /// Given by the user (`--levels LOW,HIGH`).
    Given,
}

/// The two state levels of a waveform and how they were found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StateLevels {
    /// Low state level.
    pub base: f64,
    /// High state level.
    pub top: f64,
    pub method: LevelMethod,
    /// Extremes of the finite samples the estimator saw (NaN when given).
    pub min: f64,
    pub max: f64,
    /// Standard deviation of the samples within a quarter of the amplitude of either level
    /// (0 when given): sets the default hysteresis.
    pub noise: f64,
    /// Width of the histogram's bins: levels are exact to half of it (0 when given).
    pub resolution: f64,
}

impl StateLevels {
    /// Levels given by the user.
    pub fn given(base: f64, top: f64) -> StateLevels {
        StateLevels {
            base,
            top,
            method: LevelMethod::Given,
            min: f64::NAN,
            max: f64::NAN,
            noise: 0.0,
            resolution: 0.0,
        }
    }

    pub fn amplitude(&self) -> f64 {
        self.top - self.base
    }
}

/// 2^k for k in -1022..=1023, exactly.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((1023 + k) as u64) << 52)
}

/// The smallest grid exponent `x` allows.
fn exp_bound(x: f64) -> i32 {
    let biased = ((x.to_bits() >> 52) & 0x7ff) as i32;
    if biased == 0 {
        EXP_MIN
    } else {
        (biased - 1023 - INDEX_BITS).max(EXP_MIN)
    }
}

/// Global bin index of `x` at exponent `e`.
fn index(x: f64, e: i32) -> i64 {
    (x * pow2(-e)).floor() as i64
}

/// ⌊g / 2^shift⌋ for any shift ≥ 0: a region that saw only zeros (or tiny values) keeps the
/// finest grid (exponent -1000), and joining it into a coarse one shifts by far more than 63.
fn floor_shr(g: i64, shift: i32) -> i64 {
    if shift >= 63 {
        if g < 0 { -1 } else { 0 }
    } else {
        g >> shift
    }
}

/// One-pass histogram of a channel's finite samples (NaN and infinities are counted apart).
#[derive(Debug, Clone)]
pub struct StateLevelEstimator {
    /// Counts per bin, and the sub-histograms not yet added to them.
    counts: Vec<u64>,
    lanes: Vec<[u32; BINS]>,
    /// Samples in `lanes`.
    unflushed: u64,
    exp: i32,
    /// Global index of bin 0: the bin of `min`.
    base: i64,
    min: f64,
    max: f64,
    count: u64,
    skipped: u64,
}

impl Default for StateLevelEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl StateLevelEstimator {
    pub fn new() -> StateLevelEstimator {
        StateLevelEstimator {
            counts: vec![0; BINS],
            lanes: vec![[0; BINS]; LANES],
            unflushed: 0,
            exp: EXP_MIN,
            base: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            count: 0,
            skipped: 0,
        }
    }

    /// Finite samples taken, and NaN or infinite ones skipped.
    pub fn counts(&self) -> (u64, u64) {
        (self.count, self.skipped)
    }

    /// Take samples: per step of `STEP`, the samples are binned while they fall on the grid;
    /// at the first finite one off the grid, the grid widens once to hold the finite
    /// extremes of the rest of the step (the grid it reaches depends only on the extremes,
    /// so on no order), and binning goes on. Only NaN and infinities leave the vectorised
    /// loop otherwise. A stationary signal's extremes are read once per region, not per step.
    pub fn push<T: Sample>(&mut self, xs: &[T]) {
        if let Some(bytes) = T::as_u8(xs) {
            return self.push_bytes(bytes);
        }
        for part in xs.chunks(STEP) {
            let mut rest = part;
            let mut covered = false;
            while !rest.is_empty() {
                let done = self.fast(rest);
                rest = &rest[done..];
                let Some((x, tail)) = rest.split_first() else {
                    break;
                };
                if !covered && x.to_f64().is_finite() {
                    covered = true;
                    if let Some((lo, hi)) = finite_extremes(rest) {
                        self.cover(lo, hi);
                    }
                    continue;
                }
                self.slow(x.to_f64());
                rest = tail;
            }
        }
    }

    /// Bytes (logic levels, 8-bit codes) by value: each step's tally of the 256 values, then
    /// every value present binned once with its count. The grid depends only on the set of
    /// values, so this is the histogram `push` builds sample by sample, count for count.
    fn push_bytes(&mut self, xs: &[u8]) {
        for part in xs.chunks(BYTE_STEP) {
            let tally = tally_bytes_dispatch(part);
            let mut present = (0..=255u8).filter(|&v| tally[usize::from(v)] > 0);
            let Some(lo) = present.next() else {
                continue;
            };
            let hi = present.next_back().unwrap_or(lo);
            self.cover(f64::from(lo), f64::from(hi));
            for v in lo..=hi {
                let n = tally[usize::from(v)];
                if n > 0 {
                    let k = (index(f64::from(v), self.exp) - self.base) as usize;
                    self.counts[k] += n;
                }
            }
            self.count += part.len() as u64;
        }
    }

    /// Widen the grid (if needed) to hold the finite values `lo..=hi`.
    fn cover(&mut self, lo: f64, hi: f64) {
        let floor = exp_bound(lo).max(exp_bound(hi));
        if self.min > self.max {
            // nothing seen yet: the finest grid at `lo`
            self.exp = floor;
            self.base = index(lo, floor);
            (self.min, self.max) = (lo, lo);
        }
        if lo < self.min || hi > self.max || floor > self.exp {
            self.regrid(self.min.min(lo), self.max.max(hi), floor);
        }
    }

    /// Bins whole groups of samples until one holds a sample outside the grid (or not
    /// finite); returns how many samples were binned.
    fn fast<T: Sample>(&mut self, xs: &[T]) -> usize {
        if self.min > self.max {
            return 0;
        }
        let grid = Grid {
            scale: pow2(-self.exp),
            base: self.base as f64,
        };
        // u32 lanes: add them to the counts before 2^32 samples could reach one bin
        let room = ((1u64 << 32) - 1 - self.unflushed).min(xs.len() as u64) as usize;
        let mut ext = [self.min, self.max];
        let done = bin_dispatch(&xs[..room], grid, &mut self.lanes, &mut ext);
        [self.min, self.max] = ext;
        self.count += done as u64;
        self.unflushed += done as u64;
        if self.unflushed > (1 << 31) {
            self.flush();
        }
        done
    }

    /// Add the sub-histograms into the counts.
    fn flush(&mut self) {
        if self.unflushed == 0 {
            return;
        }
        for lane in &mut self.lanes {
            for (c, l) in self.counts.iter_mut().zip(lane.iter_mut()) {
                *c += u64::from(std::mem::take(l));
            }
        }
        self.unflushed = 0;
    }

    fn slow(&mut self, x: f64) {
        if !x.is_finite() {
            self.skipped += 1;
            return;
        }
        self.cover(x, x);
        let k = (index(x, self.exp) - self.base) as usize;
        self.counts[k] += 1;
        self.count += 1;
    }

    /// Move to the grid that holds [lo, hi] at an exponent of at least `floor`.
    fn regrid(&mut self, lo: f64, hi: f64, floor: i32) {
        self.flush();
        let mut e = self.exp.max(floor);
        while index(hi, e) - index(lo, e) >= BINS as i64 {
            e += 1;
        }
        if self.count == 0 {
            // nothing binned yet (a region's first step): no counts to move
            (self.exp, self.base) = (e, index(lo, e));
            (self.min, self.max) = (lo, hi);
            return;
        }
        if self.exp < e {
            self.coarsen(e);
        }
        let shift = (self.base - index(lo, e)) as usize;
        if shift > 0 {
            // the top `shift` bins are empty: everything seen lies below index(hi)
            self.counts.copy_within(..BINS - shift, shift);
            self.counts[..shift].fill(0);
            self.base -= shift as i64;
        }
        (self.min, self.max) = (lo, hi);
    }

    /// Widen the bins to 2^e in one step (a region's first samples sit on the finest grid,
    /// some 40 doublings below the signal's): old bin g (global) lands in g >> (e - exp),
    /// exactly what doubling the width e - exp times would give.
    fn coarsen(&mut self, e: i32) {
        let shift = e - self.exp;
        let nb = floor_shr(self.base, shift);
        let mut merged = vec![0u64; BINS];
        for (k, &c) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            merged[(floor_shr(self.base + k as i64, shift) - nb) as usize] += c;
        }
        self.counts = merged;
        self.base = nb;
        self.exp = e;
    }

    /// Add the samples `other` took: the same histogram as one pass over both.
    pub fn join(&mut self, other: &StateLevelEstimator) {
        self.join_owned(other.clone());
    }

    /// [`Self::join`] without copying `other` (a region's 384 KiB of counters).
    fn join_owned(&mut self, mut other: StateLevelEstimator) {
        self.skipped += other.skipped;
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            let skipped = self.skipped;
            *self = other;
            self.skipped = skipped;
            return;
        }
        self.regrid(self.min.min(other.min), self.max.max(other.max), other.exp);
        other.flush();
        let shift = self.exp - other.exp;
        for (k, &c) in other.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let g = floor_shr(other.base + k as i64, shift);
            self.counts[(g - self.base) as usize] += c;
        }
        self.count += other.count;
    }

    /// The state levels (histogram mode method, or min/max when a half has no clear mode).
    pub fn finish(&self) -> Result<StateLevels, PulseError> {
        if self.count == 0 {
            return Err(PulseError::NoSamples {
                skipped: self.skipped,
            });
        }
        let mut counts = self.counts.clone();
        for lane in &self.lanes {
            for (c, &l) in counts.iter_mut().zip(lane.iter()) {
                *c += u64::from(l);
            }
        }
        let span = (index(self.max, self.exp) - self.base + 1) as usize;
        let width = pow2(self.exp);
        let h = Histogram {
            counts: &counts[..span],
            base: self.base,
            width,
        };
        let (min, max) = (self.min, self.max);
        let (base, top, method) = match h.modes() {
            Some((base, top)) => (base, top, LevelMethod::Histogram),
            None => (min, max, LevelMethod::MinMax),
        };
        Ok(StateLevels {
            base,
            top,
            method,
            min,
            max,
            noise: h.noise(base, top),
            resolution: width,
        })
    }
}

/// The extremes of the finite samples of `xs` (None when there are none): eight lanes of
/// compare-and-select (NaN never selected), compiled for AVX2 when the CPU has it; only when
/// an infinity shows up are the samples read again, skipping the infinities.
fn finite_extremes<T: Sample>(xs: &[T]) -> Option<(f64, f64)> {
    let (lo, hi) = extremes_dispatch(xs);
    if lo.is_finite() && hi.is_finite() {
        return Some((lo, hi));
    }
    let finite = xs.iter().map(|v| v.to_f64()).filter(|x| x.is_finite());
    finite.fold(None, |acc, x| match acc {
        None => Some((x, x)),
        Some((lo, hi)) => Some((if x < lo { x } else { lo }, if x > hi { x } else { hi })),
    })
}

#[inline(always)]
fn extremes<T: Sample>(xs: &[T]) -> (f64, f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; GROUP], [f64::NEG_INFINITY; GROUP]);
    let (groups, tail) = xs.as_chunks::<GROUP>();
    for g in groups {
        let x: [f64; GROUP] = std::array::from_fn(|i| g[i].to_f64());
        lo = std::array::from_fn(|i| if x[i] < lo[i] { x[i] } else { lo[i] });
        hi = std::array::from_fn(|i| if x[i] > hi[i] { x[i] } else { hi[i] });
    }
    for (l, v) in tail.iter().enumerate() {
        let x = v.to_f64();
        lo[l] = if x < lo[l] { x } else { lo[l] };
        hi[l] = if x > hi[l] { x } else { hi[l] };
    }
    let lo = lo.iter().fold(f64::INFINITY, |m, &v| m.min(v));
    let hi = hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    (lo, hi)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn extremes_avx2<T: Sample>(xs: &[T]) -> (f64, f64) {
    extremes(xs)
}

/// [`extremes`] compiled for AVX2 when the CPU has it (the same result either way).
fn extremes_dispatch<T: Sample>(xs: &[T]) -> (f64, f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement.
        return unsafe { extremes_avx2(xs) };
    }
    extremes(xs)
}

/// How often each byte value occurs in `xs` (at most 2^32 bytes). A 64-byte block holding one
/// value or two neighbouring ones (a logic line) is counted whole by `two_valued`, which
/// returns false for any other block; those go through `LANES` sub-tallies, so that repeated
/// values do not wait on each other.
#[inline(always)]
fn tally_bytes_with(
    xs: &[u8],
    two_valued: impl Fn(&[u8; 64], &mut [u64; 256]) -> bool,
) -> [u64; 256] {
    let mut tally = [0u64; 256];
    let mut lanes = [[0u32; 256]; LANES];
    let (blocks, tail) = xs.as_chunks::<64>();
    for block in blocks.iter().filter(|b| !two_valued(b, &mut tally)) {
        for (i, &v) in block.iter().enumerate() {
            lanes[i % LANES][usize::from(v)] += 1;
        }
    }
    for (i, &v) in tail.iter().enumerate() {
        lanes[i % LANES][usize::from(v)] += 1;
    }
    for lane in &lanes {
        for (t, &n) in tally.iter_mut().zip(lane) {
            *t += u64::from(n);
        }
    }
    tally
}

/// The portable [`tally_bytes_with`]: a block's extremes, then its sum above the lower one.
fn tally_bytes(xs: &[u8]) -> [u64; 256] {
    tally_bytes_with(xs, |block, tally| {
        let lo = block.iter().fold(u8::MAX, |m, &v| m.min(v));
        let hi = block.iter().fold(u8::MIN, |m, &v| m.max(v));
        if hi - lo > 1 {
            return false;
        }
        let high: u64 = block.iter().map(|&v| u64::from(v - lo)).sum();
        tally[usize::from(hi)] += high;
        tally[usize::from(lo)] += 64 - high;
        true
    })
}

/// [`tally_bytes`] in AVX2 registers: a block is two-valued when every byte minus its first
/// one is 0 or 1 (or every byte is 0 or 1 below it), and the 1s are counted from a mask.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn tally_bytes_avx2(xs: &[u8]) -> [u64; 256] {
    use std::arch::x86_64::*;
    tally_bytes_with(xs, |block, tally| {
        let first = block[0];
        // SAFETY: the CPU supports AVX2 (this function's target feature); both loads read 32
        // bytes inside the 64-byte block.
        unsafe {
            let one = _mm256_set1_epi8(1);
            let at = _mm256_set1_epi8(first as i8);
            let a = _mm256_loadu_si256(block.as_ptr().cast());
            let b = _mm256_loadu_si256(block.as_ptr().add(32).cast());
            let mask = |d: __m256i, of: __m256i| _mm256_movemask_epi8(_mm256_cmpeq_epi8(d, of));
            let zero_or_one = |d: __m256i| mask(_mm256_min_epu8(d, one), d) == -1;
            let ones = |d: __m256i| u64::from(mask(d, one).count_ones());
            // first + (0 or 1); wrapping byte differences, so the value next to it must exist
            let (up_a, up_b) = (_mm256_sub_epi8(a, at), _mm256_sub_epi8(b, at));
            if first < u8::MAX && zero_or_one(up_a) && zero_or_one(up_b) {
                let high = ones(up_a) + ones(up_b);
                tally[usize::from(first) + 1] += high;
                tally[usize::from(first)] += 64 - high;
                return true;
            }
            let (down_a, down_b) = (_mm256_sub_epi8(at, a), _mm256_sub_epi8(at, b));
            if first > 0 && zero_or_one(down_a) && zero_or_one(down_b) {
                let low = ones(down_a) + ones(down_b);
                tally[usize::from(first) - 1] += low;
                tally[usize::from(first)] += 64 - low;
                return true;
            }
            false
        }
    })
}

/// [`tally_bytes`] in AVX2 registers when the CPU has it (the same counts either way).
fn tally_bytes_dispatch(xs: &[u8]) -> [u64; 256] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement.
        return unsafe { tally_bytes_avx2(xs) };
    }
    tally_bytes(xs)
}

/// x ↦ x·2^-e - base: a sample's bin when in 0..BINS.
#[derive(Debug, Clone, Copy)]
struct Grid {
    scale: f64,
    base: f64,
}

/// The hot loop: bins groups of `GROUP` samples while all of them fall on the grid, and
/// tracks their extremes (`ext`: min, max); returns how many samples were binned.
#[inline(always)]
fn bin_groups<T: Sample>(
    xs: &[T],
    grid: Grid,
    lanes: &mut [[u32; BINS]],
    ext: &mut [f64; 2],
) -> usize {
    let mut lo = [ext[0]; GROUP];
    let mut hi = [ext[1]; GROUP];
    let mut done = 0;
    for group in xs.as_chunks::<GROUP>().0 {
        let x: [f64; GROUP] = std::array::from_fn(|i| group[i].to_f64());
        // x·2^-e is exact and below 2^51, base an integer: the difference is exact, and
        // truncating it is floor(x·2^-e) - base wherever it is in range
        let y: [f64; GROUP] = std::array::from_fn(|i| x[i] * grid.scale);
        let k: [f64; GROUP] = std::array::from_fn(|i| y[i] - grid.base);
        // false for NaN and infinities too; |x·2^-e| < 2^51 is exp_bound(x) <= e, so a
        // sample binned here never needed a coarser grid (the pre-scan's other duty)
        if !k.iter().zip(&y).fold(true, |ok, (&k, &y)| {
            ok & (k >= 0.0) & (k < BINS as f64) & (y.abs() < INDEX_LIMIT)
        }) {
            break;
        }
        for (i, &k) in k.iter().enumerate() {
            // SAFETY: 0 <= k < BINS (checked above), so k is finite and fits a u32.
            let bin = unsafe { k.to_int_unchecked::<u32>() } as usize;
            lanes[i % LANES][bin & (BINS - 1)] += 1;
        }
        lo = std::array::from_fn(|i| if x[i] < lo[i] { x[i] } else { lo[i] });
        hi = std::array::from_fn(|i| if x[i] > hi[i] { x[i] } else { hi[i] });
        done += GROUP;
    }
    ext[0] = lo.iter().fold(ext[0], |m, &v| m.min(v));
    ext[1] = hi.iter().fold(ext[1], |m, &v| m.max(v));
    done
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn bin_avx2<T: Sample>(
    xs: &[T],
    grid: Grid,
    lanes: &mut [[u32; BINS]],
    ext: &mut [f64; 2],
) -> usize {
    bin_groups(xs, grid, lanes, ext)
}

/// [`bin_groups`] compiled for AVX2 when the CPU has it (the same operations either way).
/// Bins of f32 samples in f32 AVX2 registers, 8 at a time: the same bins and extremes as
/// [`bin_groups`] (which converts to f64 first), for grids where that is exact.
///
/// Exact when the scale 2^-e is at least 1 and a normal f32 (`x · 2^-e` is then an exact
/// f32 product or overflows to an infinity, which fails the range check), the bin-0 index
/// `base` has |base| <= 2^24 (so `base` and `base + BINS` are exact f32 and every accepted
/// `y` is below 2^25: ⌊y⌋ converts to i32 exactly), and the extremes so far are f32 values.
/// Then `y >= base && y < base + BINS` is the same test as `bin_groups`' (`y - base` is
/// exact in f64), NaN fails it as there, and ⌊y⌋ - base is its truncation of `y - base`.
/// The extremes use the same `x < lo ? x : lo` selects per position in the group.
#[cfg(target_arch = "x86_64")]
mod f32_avx2 {
    use super::{BINS, GROUP, Grid, LANES};
    use std::arch::x86_64::*;

    /// The f32 form of `grid`, when the kernel is exact on it and on the extremes `ext`.
    pub(super) fn exact_grid(grid: Grid, ext: &[f64; 2]) -> Option<(f32, f32)> {
        let scale_ok = grid.scale >= 1.0 && grid.scale <= f64::from(f32::MAX);
        let base_ok = grid.base.abs() <= (1u32 << 24) as f64;
        let ext_ok = ext.iter().all(|&v| f64::from(v as f32) == v);
        (scale_ok && base_ok && ext_ok).then_some((grid.scale as f32, grid.base as f32))
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn bin(
        xs: &[f32],
        (scale, base): (f32, f32),
        lanes: &mut [[u32; BINS]],
        ext: &mut [f64; 2],
    ) -> usize {
        assert!(lanes.len() == LANES && GROUP == 8);
        let vscale = _mm256_set1_ps(scale);
        let vlo = _mm256_set1_ps(base);
        let vhi = _mm256_set1_ps(base + BINS as f32);
        let vbase = _mm256_set1_epi32(base as i32);
        let mut lo = _mm256_set1_ps(ext[0] as f32);
        let mut hi = _mm256_set1_ps(ext[1] as f32);
        let mut done = 0;
        let mut bins = [0u32; GROUP];
        for group in xs.as_chunks::<GROUP>().0 {
            // SAFETY: `group` holds 8 f32; `bins` has room for 8 u32.
            unsafe {
                let x = _mm256_loadu_ps(group.as_ptr());
                let y = _mm256_mul_ps(x, vscale);
                let inside = _mm256_and_ps(
                    _mm256_cmp_ps::<_CMP_GE_OQ>(y, vlo),
                    _mm256_cmp_ps::<_CMP_LT_OQ>(y, vhi),
                );
                if _mm256_movemask_ps(inside) != 0xff {
                    break;
                }
                let k = _mm256_sub_epi32(_mm256_cvttps_epi32(_mm256_floor_ps(y)), vbase);
                _mm256_storeu_si256(bins.as_mut_ptr().cast(), k);
                lo = _mm256_min_ps(x, lo);
                hi = _mm256_max_ps(x, hi);
            }
            for (i, &b) in bins.iter().enumerate() {
                lanes[i % LANES][b as usize & (BINS - 1)] += 1;
            }
            done += GROUP;
        }
        let (mut l, mut h) = ([0f32; GROUP], [0f32; GROUP]);
        // SAFETY: storing 8 f32 into [f32; 8].
        unsafe {
            _mm256_storeu_ps(l.as_mut_ptr(), lo);
            _mm256_storeu_ps(h.as_mut_ptr(), hi);
        }
        ext[0] = l.iter().fold(ext[0], |m, &v| m.min(f64::from(v)));
        ext[1] = h.iter().fold(ext[1], |m, &v| m.max(f64::from(v)));
        done
    }
}

fn bin_dispatch<T: Sample>(
    xs: &[T],
    grid: Grid,
    lanes: &mut [[u32; BINS]],
    ext: &mut [f64; 2],
) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        if std::any::TypeId::of::<T>() == std::any::TypeId::of::<f32>()
            && let Some(g) = f32_avx2::exact_grid(grid, ext)
        {
            // SAFETY: T is f32 (checked just above), so the slice is one of f32.
            let xs = unsafe { std::slice::from_raw_parts(xs.as_ptr().cast::<f32>(), xs.len()) };
            // SAFETY: the CPU supports AVX2 (checked above), the only requirement.
            return unsafe { f32_avx2::bin(xs, g, lanes, ext) };
        }
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement.
        return unsafe { bin_avx2(xs, grid, lanes, ext) };
    }
    bin_groups(xs, grid, lanes, ext)
}

/// The occupied bins of a finished histogram.
struct Histogram<'a> {
    counts: &'a [u64],
    base: i64,
    width: f64,
}

impl Histogram<'_> {
    fn center(&self, k: usize) -> f64 {
        ((self.base + k as i64) as f64 + 0.5) * self.width
    }

    /// Count-weighted mean of the bin centres in `range`.
    fn centroid(&self, range: std::ops::Range<usize>) -> f64 {
        let (mut n, mut s) = (0.0, 0.0);
        for k in range {
            let c = self.counts[k] as f64;
            n += c;
            s += c * self.center(k);
        }
        s / n
    }

    /// The bins from the `TAIL` to the 1 - `TAIL` quantile.
    fn body(&self) -> std::ops::Range<usize> {
        let total: u64 = self.counts.iter().sum();
        let tail = (TAIL * total as f64) as u64;
        let mut acc = 0;
        let first = self.counts.iter().position(|&c| {
            acc += c;
            acc > tail
        });
        acc = 0;
        let last = self.counts.iter().rposition(|&c| {
            acc += c;
            acc > tail
        });
        first.zip(last).map_or(0..0, |(a, b)| a..b + 1)
    }

    /// The mode of each half of the body (split at its middle) on `COARSE` bins, refined to
    /// the centroid of its window; None when a window holds less than `MIN_SHARE` of its half.
    fn modes(&self) -> Option<(f64, f64)> {
        let body = self.body();
        let counts = self.counts.get(body.clone())?;
        let g = counts.len().div_ceil(COARSE).max(1);
        let coarse: Vec<u64> = counts.chunks(g).map(|c| c.iter().sum()).collect();
        let fine = |c: usize| body.start + (c * g).min(counts.len());
        // coarse bins whose centre lies below the middle of the body form the lower half
        let mid = (self.center(body.start) + self.center(body.end - 1)) / 2.0;
        let split = (0..coarse.len())
            .find(|&c| {
                let centre = body.start as f64 + (c as f64 + 0.5) * g as f64;
                (self.base as f64 + centre) * self.width >= mid
            })
            .unwrap_or(coarse.len());
        if split == 0 || split == coarse.len() {
            return None;
        }
        let level = |half: std::ops::Range<usize>, last: bool| {
            let best = half.clone().map(|c| coarse[c]).max()?;
            let mut modes = half.clone().filter(|&c| coarse[c] == best);
            let mode = if last {
                modes.next_back()
            } else {
                modes.next()
            }?;
            let window = mode.saturating_sub(MODE_WINDOW).max(half.start)
                ..(mode + MODE_WINDOW + 1).min(half.end);
            let share = window.clone().map(|c| coarse[c]).sum::<u64>() as f64
                / half.clone().map(|c| coarse[c]).sum::<u64>() as f64;
            (share >= MIN_SHARE).then(|| self.centroid(fine(window.start)..fine(window.end)))
        };
        Some((level(0..split, false)?, level(split..coarse.len(), true)?))
    }

    /// Pooled standard deviation of the bins within a quarter of the amplitude of each level.
    fn noise(&self, base: f64, top: f64) -> f64 {
        let reach = (top - base) / 4.0;
        let (mut n, mut m2) = (0.0, 0.0);
        for level in [base, top] {
            let near: Vec<usize> = (0..self.counts.len())
                .filter(|&k| self.counts[k] > 0 && (self.center(k) - level).abs() <= reach)
                .collect();
            let Some((&first, &last)) = near.first().zip(near.last()) else {
                continue;
            };
            let mean = self.centroid(first..last + 1);
            for k in first..=last {
                let c = self.counts[k] as f64;
                n += c;
                m2 += c * (self.center(k) - mean).powi(2);
            }
        }
        if n > 0.0 { (m2 / n).sqrt() } else { 0.0 }
    }
}

impl ChannelSink for StateLevelEstimator {
    fn take<T: Sample>(&mut self, _start: u64, samples: &[T]) {
        self.push(samples);
    }
}

impl ChannelSplit for StateLevelEstimator {
    /// Any region gives the same histogram, but each fork zeroes 384 KiB of counters: regions
    /// of at least `STEP` samples keep that below a byte per sample (`--chunk 1` took 65 µs
    /// per sample).
    fn grain(&self) -> u64 {
        STEP as u64
    }

    fn fork(&self, _start: u64) -> Self {
        StateLevelEstimator::new()
    }

    fn join(&mut self, later: Self) {
        self.join_owned(later);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::synth::Rng;

    #[test]
    fn joining_a_region_of_zeros_into_a_coarse_grid() {
        // A region holding only 0.0 sits on the finest grid (2^-1000); joining it used to
        // shift a bin index right by ~950 bits (a panic in the region join of `measure`).
        let xs = [0.0, 0.5, 1.0, 0.0, 1.0, 0.0, -0.25, 1.0];
        let mut whole = StateLevelEstimator::new();
        whole.push(&xs);
        for cut in 1..xs.len() {
            let mut a = StateLevelEstimator::new();
            a.push(&xs[..cut]);
            let mut b = StateLevelEstimator::new();
            b.push(&xs[cut..]);
            a.join(&b);
            assert_eq!(a.finish(), whole.finish(), "cut at {cut}");
        }
        let mut zero = StateLevelEstimator::new();
        zero.push(&[0.0]);
        let mut a = StateLevelEstimator::new();
        a.push(&[1.0, -3.0]);
        a.join(&zero);
        assert_eq!(a.counts(), (3, 0));
    }

    /// Everything the levels are computed from: counts per global bin, extremes, totals.
    fn histogram(e: &StateLevelEstimator) -> String {
        let mut e = e.clone();
        e.flush();
        let bins = e.counts.iter().enumerate().filter(|(_, c)| **c > 0);
        let bins: Vec<_> = bins.map(|(k, &c)| (e.base + k as i64, c)).collect();
        format!("{bins:?} 2^{} {}..{} {:?}", e.exp, e.min, e.max, e.counts())
    }

    #[test]
    fn bytes_tallied_by_value_give_the_sample_by_sample_histogram() {
        let mut rng = Rng::new(17);
        let logic: Vec<u8> = (0..300_000).map(|i| u8::from((i / 777) % 3 == 0)).collect();
        let noisy: Vec<u8> = (0..100_000)
            .map(|_| (rng.uniform() * 256.0) as u8)
            .collect();
        let pair: Vec<u8> = (0..70_000).map(|i| 200 + u8::from(i % 5 == 0)).collect();
        let mixed: Vec<u8> = (0..90_000)
            .map(|i| if i % 1000 < 10 { (i % 251) as u8 } else { 1 })
            .collect();
        for xs in [
            &logic,
            &noisy,
            &pair,
            &mixed,
            &vec![7u8; 5000],
            &vec![0u8; 65],
        ] {
            let as_f32: Vec<f32> = xs.iter().map(|&v| f32::from(v)).collect();
            let mut by_sample = StateLevelEstimator::new();
            by_sample.push(&as_f32);
            for chunk in [1, 63, 64, 1000, xs.len()] {
                let mut by_value = StateLevelEstimator::new();
                for part in xs.chunks(chunk) {
                    by_value.push(part);
                }
                assert_eq!(histogram(&by_value), histogram(&by_sample), "chunk {chunk}");
                assert_eq!(by_value.finish(), by_sample.finish(), "chunk {chunk}");
            }
        }
    }

    #[test]
    fn byte_tally_counts_every_value() {
        // spread values, then runs of one value and of two neighbouring ones
        let xs: Vec<u8> = (0..10_000u32)
            .map(|i| match (i / 500) % 3 {
                0 => (i * i % 7 + i / 3000) as u8,
                1 => 42,
                _ => 9 + u8::from(i % 3 == 0),
            })
            .collect();
        let mut expected = [0u64; 256];
        for &v in &xs {
            expected[usize::from(v)] += 1;
        }
        assert_eq!(tally_bytes(&xs), expected);
        assert_eq!(tally_bytes_dispatch(&xs), expected);
        assert_eq!(tally_bytes(&xs[5..]), tally_bytes_dispatch(&xs[5..]));
        // two-valued blocks at the ends of the byte range, above and below their first byte
        for pair in [[255u8, 254], [254, 255], [0, 1], [1, 0], [255, 0], [0, 255]] {
            let xs: Vec<u8> = (0..640).map(|i| pair[usize::from(i % 7 == 3)]).collect();
            let mut expected = [0u64; 256];
            for &v in &xs {
                expected[usize::from(v)] += 1;
            }
            assert_eq!(tally_bytes(&xs), expected, "{pair:?}");
            assert_eq!(tally_bytes_dispatch(&xs), expected, "{pair:?}");
        }
    }

    fn levels(xs: &[f64]) -> StateLevels {
        let mut e = StateLevelEstimator::new();
        e.push(xs);
        e.finish().unwrap()
    }

    #[test]
    fn square_wave_levels_by_the_mode() {
        // 30 % high at 3.3, 70 % low at 0.2, 5 % of samples on the edges, and a spike
        let mut xs: Vec<f64> = (0..10_000)
            .map(|i| match i % 100 {
                0..30 => 3.3,
                30..33 => 2.0,
                33..98 => 0.2,
                _ => 1.0,
            })
            .collect();
        xs[500] = 9.0;
        let lv = levels(&xs);
        assert_eq!(lv.method, LevelMethod::Histogram, "{lv:?}");
        let close = |a: f64, b: f64| (a - b).abs() <= lv.resolution;
        assert!(close(lv.top, 3.3) && close(lv.base, 0.2), "{lv:?}");
        assert_eq!((lv.min, lv.max), (0.2, 9.0));
        assert!(lv.resolution <= 8.8 / BINS as f64 * 2.0, "{lv:?}");
    }

    #[test]
    fn a_triangle_falls_back_to_min_max() {
        let xs: Vec<f64> = (0..10_000)
            .map(|i| ((i % 200) as f64 - 100.0).abs())
            .collect();
        let lv = levels(&xs);
        assert_eq!(
            (lv.method, lv.base, lv.top),
            (LevelMethod::MinMax, 0.0, 100.0)
        );
    }

    #[test]
    fn noise_is_the_level_spread() {
        let mut rng = Rng::new(1);
        let xs: Vec<f64> = (0..200_000)
            .map(|i| if (i / 500) % 2 == 0 { 0.0 } else { 1.0 } + 0.02 * rng.gaussian())
            .collect();
        let lv = levels(&xs);
        assert_eq!(lv.method, LevelMethod::Histogram);
        assert!((lv.noise - 0.02).abs() < 0.001, "{lv:?}");
        assert!(
            lv.base.abs() < 0.003 && (lv.top - 1.0).abs() < 0.003,
            "{lv:?}"
        );
    }

    #[test]
    fn any_order_chunking_and_join_give_the_same_histogram() {
        let mut rng = Rng::new(2);
        // a small swing on a large offset first, then a wide excursion: the grid coarsens
        let mut xs: Vec<f64> = (0..30_000).map(|_| 1e3 + 1e-3 * rng.gaussian()).collect();
        xs.extend((0..30_000).map(|i| if i % 2 == 0 { -5e3 } else { 2e4 } + rng.gaussian()));
        xs[7] = f64::NAN;
        xs[40_000] = f64::NEG_INFINITY;
        let mut whole = StateLevelEstimator::new();
        whole.push(&xs);
        let want = whole.finish().unwrap();
        let sum = |e: &StateLevelEstimator| {
            let mut e = e.clone();
            e.flush();
            (e.counts, e.exp, e.base, e.count, e.skipped)
        };
        for chunk in [1, 7, 4096] {
            let mut e = StateLevelEstimator::new();
            xs.chunks(chunk).for_each(|c| e.push(c));
            assert_eq!(sum(&e), sum(&whole), "chunk {chunk}");
            assert_eq!(e.finish().unwrap(), want);
        }
        for parts in [2, 3, 16] {
            let mut joined = StateLevelEstimator::new();
            for region in xs.chunks(xs.len().div_ceil(parts)).rev() {
                let mut e = StateLevelEstimator::new();
                e.push(region);
                joined.join(&e);
            }
            assert_eq!(sum(&joined), sum(&whole), "{parts} regions");
        }
        assert_eq!(whole.counts(), (59_998, 2));
    }

    /// The f32 AVX2 kernel bins, counts and bounds exactly as the generic f64 loop, on
    /// every grid it accepts: in-range and off-grid samples, NaN, infinities, signed zeros,
    /// tiny and huge values, and bases of either sign.
    #[test]
    fn f32_kernel_matches_the_generic_loop() {
        #[cfg(target_arch = "x86_64")]
        {
            if !std::arch::is_x86_feature_detected!("avx2") {
                return;
            }
            let mut rng = Rng::new(17);
            let mut checked = 0;
            for (e, base) in [
                (-13, -8192i64),
                (-13, 0),
                (0, -5000),
                (-40, -3),
                (-100, 1 << 20),
            ] {
                let grid = Grid {
                    scale: pow2(-e),
                    base: base as f64,
                };
                let width = pow2(e);
                let origin = base as f64 * width;
                let mut xs: Vec<f32> = (0..20_000)
                    .map(|_| (origin + rng.uniform() * BINS as f64 * width) as f32)
                    .collect();
                for (at, v) in [
                    (4_000, -0.0f32),
                    (8_003, (origin + BINS as f64 * width) as f32),
                    (12_005, f32::NAN),
                    (16_001, f32::INFINITY),
                    (19_000, origin as f32),
                ] {
                    xs[at] = v;
                }
                let mut start = 0;
                while start < xs.len() {
                    let rest = &xs[start..];
                    let mut a = vec![[0u32; BINS]; LANES];
                    let mut b = a.clone();
                    let first = f64::from((origin + 0.5 * width) as f32);
                    let (mut ea, mut eb) = ([first; 2], [first; 2]);
                    let g = f32_avx2::exact_grid(grid, &ea).expect("an exact grid");
                    let done_a = bin_groups(rest, grid, &mut a, &mut ea);
                    // SAFETY: the CPU supports AVX2 (checked above).
                    let done_b = unsafe { f32_avx2::bin(rest, g, &mut b, &mut eb) };
                    assert_eq!(done_a, done_b, "e {e} base {base} from {start}");
                    assert!(a == b, "counts, e {e} base {base} from {start}");
                    assert_eq!(ea.map(f64::to_bits), eb.map(f64::to_bits));
                    checked += done_a;
                    start += done_a + 1;
                }
            }
            assert!(checked > 90_000, "{checked} samples binned");
            let coarse = Grid {
                scale: 0.5,
                base: 0.0,
            };
            assert_eq!(f32_avx2::exact_grid(coarse, &[0.0, 1.0]), None);
        }
    }
}
