//! Runs of samples: the per-block summary that lets the scan skip stretches crossing no level,
//! and the exact count, mean, M2 and extremes of the pieces between crossings.
//!
//! Every number here depends only on the samples of its block or piece, never on where a
//! chunk was cut: blocks lie on a grid fixed to the first sample, and a block cut by a chunk
//! boundary is completed in a carry buffer before it is summarised.

use crate::sample::{Native, Sample};
use rayon::prelude::*;

/// Samples per block: the grid on which the scan decides whether a stretch crosses a level.
pub(crate) const BLOCK: usize = 64;
/// Independent accumulators per block (two AVX2 vectors of f64).
const LANES: usize = 8;
/// Blocks summarised per rayon task (64 KiB of f32); fewer than two tasks' worth stay on
/// this thread.
const PAR_BLOCKS: usize = 256;

/// Count, mean, M2 (sum of squared deviations) and extremes of a run of samples; NaN is
/// left out, infinities count (and make the mean infinite, as IEEE arithmetic does).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Run {
    pub n: u64,
    pub mean: f64,
    pub m2: f64,
    pub ext: Ext,
}

impl Run {
    pub const EMPTY: Run = Run {
        n: 0,
        mean: 0.0,
        m2: 0.0,
        ext: Ext::EMPTY,
    };

    /// Chan et al.'s merge with the run `b` that follows this one.
    pub fn add(&mut self, b: &Run) {
        if b.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *b;
            return;
        }
        let n = self.n + b.n;
        let (na, nb, nf) = (self.n as f64, b.n as f64, n as f64);
        let delta = b.mean - self.mean;
        self.mean += delta * (nb / nf);
        self.m2 += b.m2 + delta * delta * (na * (nb / nf));
        self.ext.add(&b.ext);
        self.n = n;
    }

    /// Root mean square, from mean² + variance.
    pub fn rms(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        (self.mean * self.mean + self.m2 / self.n as f64).sqrt()
    }
}

/// Sums of a stretch of samples shifted by its first one: s1 = Σ(x - shift) and
/// s2 = Σ(x - shift)². Appending a stretch moves its sums to this shift exactly in algebra
/// (no division, a short dependency chain: the cheap per-block step of the scan); the
/// stretch becomes a [`Run`] once, at the next crossing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sums {
    pub n: u64,
    pub shift: f64,
    pub s1: f64,
    pub s2: f64,
}

impl Sums {
    pub const EMPTY: Sums = Sums {
        n: 0,
        shift: 0.0,
        s1: 0.0,
        s2: 0.0,
    };

    pub fn add(&mut self, b: &Sums) {
        if b.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *b;
            return;
        }
        let d = b.shift - self.shift;
        let nb = b.n as f64;
        self.s1 += b.s1 + nb * d;
        self.s2 += b.s2 + d * (2.0 * b.s1 + nb * d);
        self.n += b.n;
    }

    /// The run: mean and M2 from the shifted sums.
    pub fn run(&self, ext: Ext) -> Run {
        if self.n == 0 {
            return Run::EMPTY;
        }
        let d = self.s1 / self.n as f64;
        let m2 = self.s2 - self.s1 * d;
        Run {
            n: self.n,
            mean: self.shift + d,
            // rounding can leave a tiny negative; NaN (from infinities) stays NaN
            m2: if m2 < 0.0 { 0.0 } else { m2 },
            ext,
        }
    }

    /// The sums, extremes and last value of `xs`, NaN skipped (last is NaN when all are),
    /// shifted by the first non-NaN sample; without `SUMS` only the count, extremes and last
    /// value. Four independent accumulators (sample k in lane k mod 4), NaN masked out
    /// without a branch.
    pub fn piece<T: Sample, const SUMS: bool>(xs: &[T]) -> (Sums, Ext, f64) {
        let Some(first) = xs.iter().position(|v| !v.to_f64().is_nan()) else {
            return (Sums::EMPTY, Ext::EMPTY, f64::NAN);
        };
        let shift = xs[first].to_f64();
        let (mut n, mut s1, mut s2) = ([0u64; 4], [0.0f64; 4], [0.0f64; 4]);
        let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
        let mut step = |l: usize, x: f64| {
            let ok = !x.is_nan();
            n[l] += u64::from(ok);
            if SUMS {
                let d = if ok { x - shift } else { 0.0 };
                s1[l] += d;
                s2[l] += d * d;
            }
            // false for NaN
            lo[l] = if x < lo[l] { x } else { lo[l] };
            hi[l] = if x > hi[l] { x } else { hi[l] };
        };
        let rest = &xs[first..];
        let (groups, tail) = rest.as_chunks::<4>();
        for g in groups {
            for (l, v) in g.iter().enumerate() {
                step(l, v.to_f64());
            }
        }
        for (l, v) in tail.iter().enumerate() {
            step(l, v.to_f64());
        }
        let last = rest
            .iter()
            .rev()
            .map(|v| v.to_f64())
            .find(|x| !x.is_nan())
            .unwrap_or(shift);
        let sums = Sums {
            n: n.iter().sum(),
            shift,
            s1: (s1[0] + s1[1]) + (s1[2] + s1[3]),
            s2: (s2[0] + s2[1]) + (s2[2] + s2[3]),
        };
        let ext = Ext {
            min: lo.iter().fold(f64::INFINITY, |m, &v| m.min(v)),
            max: hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
        };
        (sums, ext, last)
    }
}

/// Smallest and largest value of a run (+inf and -inf when it has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ext {
    pub min: f64,
    pub max: f64,
}

impl Ext {
    pub const EMPTY: Ext = Ext {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };

    // Plain comparisons (no NaN ever gets here): f64::min's NaN handling costs a blend.
    pub fn add(&mut self, b: &Ext) {
        if b.min < self.min {
            self.min = b.min;
        }
        if b.max > self.max {
            self.max = b.max;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.min > self.max
    }

    /// The extremes and last value of `xs`, NaN skipped (last is NaN when all are), in four
    /// independent compare-and-select lanes.
    pub fn piece<T: Sample>(xs: &[T]) -> (Ext, f64) {
        let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
        let mut step = |l: usize, x: f64| {
            // false for NaN
            lo[l] = if x < lo[l] { x } else { lo[l] };
            hi[l] = if x > hi[l] { x } else { hi[l] };
        };
        let (groups, tail) = xs.as_chunks::<4>();
        for g in groups {
            for (l, v) in g.iter().enumerate() {
                step(l, v.to_f64());
            }
        }
        for (l, v) in tail.iter().enumerate() {
            step(l, v.to_f64());
        }
        let last = xs
            .iter()
            .rev()
            .map(|v| v.to_f64())
            .find(|x| !x.is_nan())
            .unwrap_or(f64::NAN);
        let ext = Ext {
            min: lo.iter().fold(f64::INFINITY, |m, &v| m.min(v)),
            max: hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
        };
        (ext, last)
    }

    /// The extremes of `xs`, NaN skipped.
    pub fn of<T: Sample>(xs: &[T]) -> Ext {
        Ext::piece(xs).0
    }
}

/// What the scan needs to know of a whole block: its extremes, its sums (zero when the user of
/// the scan needs only extremes) and whether every sample is finite (and, with sums, the sums
/// too).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BlockSummary {
    pub sums: Sums,
    pub ext: Ext,
    /// The last sample, so the walk need not touch the block again (it has left the cache).
    pub last: f64,
    pub finite: bool,
}

impl BlockSummary {
    const EMPTY: BlockSummary = BlockSummary {
        sums: Sums::EMPTY,
        ext: Ext::EMPTY,
        last: f64::NAN,
        finite: false,
    };

    /// Lane sums added in a fixed pairwise order (every kernel uses this one).
    fn new(shift: f64, s1: &[f64; LANES], s2: &[f64; LANES], ext: Ext, last: f64) -> Self {
        let add =
            |v: &[f64; LANES]| ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
        BlockSummary {
            sums: Sums {
                n: BLOCK as u64,
                shift,
                s1: add(s1),
                s2: add(s2),
            },
            ext,
            last,
            finite: false,
        }
    }
}

/// The portable kernel: extremes and (with `SUMS`) sums shifted by the first sample, lane l
/// taking samples l, l + 8, ... A NaN or infinity poisons a sum, which is how the block is
/// flagged: the scan then walks it sample by sample, where both are handled. Without `SUMS`
/// the poisoned sum is Σ 0·(x - shift), 0 exactly when every sample is finite.
#[inline(always)]
fn summarize<T: Sample, const SUMS: bool>(block: &[T; BLOCK]) -> BlockSummary {
    let shift = block[0].to_f64();
    let mut s1 = [0.0f64; LANES];
    let mut s2 = [0.0f64; LANES];
    let mut lo = [f64::INFINITY; LANES];
    let mut hi = [f64::NEG_INFINITY; LANES];
    for group in block.as_chunks::<LANES>().0 {
        for (l, v) in group.iter().enumerate() {
            let x = v.to_f64();
            if SUMS {
                let d = x - shift;
                s1[l] += d;
                s2[l] += d * d;
            } else {
                s1[l] += (x - shift) * 0.0;
            }
            lo[l] = if x < lo[l] { x } else { lo[l] };
            hi[l] = if x > hi[l] { x } else { hi[l] };
        }
    }
    finish::<SUMS>(shift, &s1, &s2, &lo, &hi, block[BLOCK - 1].to_f64())
}

fn finish<const SUMS: bool>(
    shift: f64,
    s1: &[f64; LANES],
    s2: &[f64; LANES],
    lo: &[f64],
    hi: &[f64],
    last: f64,
) -> BlockSummary {
    let ext = Ext {
        min: lo.iter().fold(f64::INFINITY, |m, &v| m.min(v)),
        max: hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
    };
    let s = BlockSummary::new(shift, s1, s2, ext, last);
    let finite = if SUMS {
        s.sums.s1.is_finite() && s.sums.s2.is_finite()
    } else {
        s.sums.s1 == 0.0
    };
    BlockSummary { finite, ..s }
}

/// The same operations as [`summarize`] in AVX2 registers (LLVM unrolls the 64-sample block
/// into scalar code instead of vectorising it): per lane the same subtraction, product and
/// sum, so the same bits; the extremes are exact either way.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{BLOCK, BlockSummary, LANES, finish};
    use std::arch::x86_64::*;

    /// Sums and extremes of 8 samples already in f64 (lanes 0-3 in `a`, 4-7 in `b`).
    #[target_feature(enable = "avx2")]
    #[inline]
    fn step<const SUMS: bool>(a: __m256d, b: __m256d, shift: __m256d, acc: &mut [__m256d; 4]) {
        let (da, db) = (_mm256_sub_pd(a, shift), _mm256_sub_pd(b, shift));
        if SUMS {
            acc[0] = _mm256_add_pd(acc[0], da);
            acc[1] = _mm256_add_pd(acc[1], db);
            acc[2] = _mm256_add_pd(acc[2], _mm256_mul_pd(da, da));
            acc[3] = _mm256_add_pd(acc[3], _mm256_mul_pd(db, db));
        } else {
            let zero = _mm256_setzero_pd();
            acc[0] = _mm256_add_pd(acc[0], _mm256_mul_pd(da, zero));
            acc[1] = _mm256_add_pd(acc[1], _mm256_mul_pd(db, zero));
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn lanes(acc: &[__m256d; 4]) -> ([f64; LANES], [f64; LANES]) {
        let mut s = [[0.0f64; 4]; 4];
        for (k, v) in acc.iter().enumerate() {
            // SAFETY: storing 4 f64 into a [f64; 4].
            unsafe { _mm256_storeu_pd(s[k].as_mut_ptr(), *v) };
        }
        let join = |a: [f64; 4], b: [f64; 4]| [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
        (join(s[0], s[1]), join(s[2], s[3]))
    }

    /// Without sums (`find`), only the extremes and whether every sample is finite: in f32
    /// registers, 8 samples per min, max and `x - x` (NaN exactly for NaN and infinities).
    /// A finite block's summary is then the portable kernel's (its poisoned sums are +0: every
    /// `(x - shift)·0` is ±0 and the lanes start at +0); any other block is summarised by the
    /// portable kernel itself.
    #[target_feature(enable = "avx2")]
    fn f32s_extremes(blocks: &[[f32; BLOCK]], out: &mut [BlockSummary]) {
        for (block, o) in blocks.iter().zip(out) {
            let p = block.as_ptr();
            // SAFETY: every load reads 8 f32 inside the 64-sample block.
            let (min, max, finite) = unsafe {
                let mut lo = _mm256_loadu_ps(p);
                let mut hi = lo;
                let mut bad = _mm256_setzero_ps();
                for k in (0..BLOCK).step_by(LANES) {
                    let x = _mm256_loadu_ps(p.add(k));
                    lo = _mm256_min_ps(lo, x);
                    hi = _mm256_max_ps(hi, x);
                    bad = _mm256_or_ps(bad, _mm256_sub_ps(x, x));
                }
                let nan = _mm256_cmp_ps::<_CMP_UNORD_Q>(bad, bad);
                (
                    across(lo, |a, b| _mm_min_ps(a, b)),
                    across(hi, |a, b| _mm_max_ps(a, b)),
                    _mm256_movemask_ps(nan) == 0,
                )
            };
            *o = if finite {
                // what `finish::<false>` gives a finite block: zero sums, in the registers'
                // extremes (exact in any order: no NaN)
                BlockSummary {
                    sums: super::Sums {
                        n: BLOCK as u64,
                        shift: f64::from(block[0]),
                        s1: 0.0,
                        s2: 0.0,
                    },
                    ext: super::Ext {
                        min: f64::from(min),
                        max: f64::from(max),
                    },
                    last: f64::from(block[BLOCK - 1]),
                    finite: true,
                }
            } else {
                super::summarize::<f32, false>(block)
            };
        }
    }

    /// `op` folded across the 8 lanes of `v` in registers.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn across(v: __m256, op: impl Fn(__m128, __m128) -> __m128) -> f32 {
        let four = op(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let two = op(four, _mm_movehl_ps(four, four));
        _mm_cvtss_f32(op(two, _mm_shuffle_ps::<0b01>(two, two)))
    }

    #[target_feature(enable = "avx2")]
    pub fn f32s<const SUMS: bool>(blocks: &[[f32; BLOCK]], out: &mut [BlockSummary]) {
        if !SUMS {
            return f32s_extremes(blocks, out);
        }
        for (block, o) in blocks.iter().zip(out) {
            let p = block.as_ptr();
            // SAFETY: every load reads 8 f32 inside the 64-sample block.
            unsafe {
                let shift = _mm256_set1_pd(f64::from(block[0]));
                let mut acc = [_mm256_setzero_pd(); 4];
                let mut lo = _mm256_loadu_ps(p);
                let mut hi = lo;
                for k in (0..BLOCK).step_by(LANES) {
                    let x = _mm256_loadu_ps(p.add(k));
                    lo = _mm256_min_ps(lo, x);
                    hi = _mm256_max_ps(hi, x);
                    let a = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
                    let b = _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(x));
                    step::<SUMS>(a, b, shift, &mut acc);
                }
                let (s1, s2) = pairwise(&acc);
                *o = if s1.is_finite() && s2.is_finite() {
                    // `finish` of a finite block, in registers
                    BlockSummary {
                        sums: super::Sums {
                            n: BLOCK as u64,
                            shift: f64::from(block[0]),
                            s1,
                            s2,
                        },
                        ext: super::Ext {
                            min: f64::from(across(lo, |a, b| _mm_min_ps(a, b))),
                            max: f64::from(across(hi, |a, b| _mm_max_ps(a, b))),
                        },
                        last: f64::from(block[BLOCK - 1]),
                        finite: true,
                    }
                } else {
                    let (mut l, mut h) = ([0f32; 8], [0f32; 8]);
                    _mm256_storeu_ps(l.as_mut_ptr(), lo);
                    _mm256_storeu_ps(h.as_mut_ptr(), hi);
                    let (s1, s2) = lanes(&acc);
                    finish::<SUMS>(
                        f64::from(block[0]),
                        &s1,
                        &s2,
                        &l.map(f64::from),
                        &h.map(f64::from),
                        f64::from(block[BLOCK - 1]),
                    )
                };
            }
        }
    }

    /// The two sums of [`BlockSummary::new`] in registers, added in its order:
    /// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), lanes 0-3 in `acc[0]` (`acc[2]`
    /// for the squares), 4-7 in `acc[1]` (`acc[3]`).
    #[target_feature(enable = "avx2")]
    #[inline]
    fn pairwise(acc: &[__m256d; 4]) -> (f64, f64) {
        let halves = |a: __m256d, b: __m256d| {
            // [l0 + l1, l4 + l5, l2 + l3, l6 + l7]
            let pairs = _mm256_hadd_pd(a, b);
            // [(l0 + l1) + (l2 + l3), (l4 + l5) + (l6 + l7)]
            let quads = _mm_add_pd(
                _mm256_castpd256_pd128(pairs),
                _mm256_extractf128_pd::<1>(pairs),
            );
            _mm_cvtsd_f64(_mm_add_sd(quads, _mm_unpackhi_pd(quads, quads)))
        };
        (halves(acc[0], acc[1]), halves(acc[2], acc[3]))
    }

    #[target_feature(enable = "avx2")]
    pub fn f64s<const SUMS: bool>(blocks: &[[f64; BLOCK]], out: &mut [BlockSummary]) {
        for (block, o) in blocks.iter().zip(out) {
            let p = block.as_ptr();
            // SAFETY: every load reads 4 f64 inside the 64-sample block.
            unsafe {
                let shift = _mm256_set1_pd(block[0]);
                let mut acc = [_mm256_setzero_pd(); 4];
                let mut lo = _mm256_loadu_pd(p);
                let mut hi = lo;
                for k in (0..BLOCK).step_by(LANES) {
                    let (a, b) = (_mm256_loadu_pd(p.add(k)), _mm256_loadu_pd(p.add(k + 4)));
                    lo = _mm256_min_pd(lo, _mm256_min_pd(a, b));
                    hi = _mm256_max_pd(hi, _mm256_max_pd(a, b));
                    step::<SUMS>(a, b, shift, &mut acc);
                }
                let (mut l, mut h) = ([0f64; 4], [0f64; 4]);
                _mm256_storeu_pd(l.as_mut_ptr(), lo);
                _mm256_storeu_pd(h.as_mut_ptr(), hi);
                let (s1, s2) = lanes(&acc);
                *o = finish::<SUMS>(block[0], &s1, &s2, &l, &h, block[BLOCK - 1]);
            }
        }
    }
}

/// `blocks` as blocks of `U` when `T` is `U`.
fn cast<T: Sample, U: Sample>(blocks: &[[T; BLOCK]]) -> Option<&[[U; BLOCK]]> {
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<U>()).then(|| {
        // SAFETY: T and U are the same type.
        unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast::<[U; BLOCK]>(), blocks.len()) }
    })
}

/// An exact integer accumulator for [`small_ints`]: i32 holds the sums of 64 8-bit samples
/// (64 · 255² < 2^31) and vectorises twice as wide as i64, which 16-bit ones need.
trait Acc: Copy + From<i32> + std::ops::Add<Output = Self> + std::ops::Mul<Output = Self> {
    fn to_f64(self) -> f64;
}

impl Acc for i32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Acc for i64 {
    fn to_f64(self) -> f64 {
        // exact: |self| < 64 · 2^32 < 2^53
        self as f64
    }
}

/// Summaries of 8- and 16-bit integer samples in integer arithmetic. Each of the portable
/// kernel's f64 sums then holds integers below 2^53 (|x - shift| < 2^16, 64 samples), exact
/// in any order of addition, so Σ(x - shift) and Σ(x - shift)² taken exactly are its bits;
/// without `SUMS` its sums are +0. Integers are finite.
#[inline(always)]
fn small_ints<T: Copy + Into<i32>, A: Acc, const SUMS: bool>(
    blocks: &[[T; BLOCK]],
    out: &mut [BlockSummary],
) {
    for (block, o) in blocks.iter().zip(out) {
        let shift: i32 = block[0].into();
        let (mut s1, mut s2) = (A::from(0), A::from(0));
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for &v in block {
            let x: i32 = v.into();
            let d = A::from(x - shift);
            s1 = s1 + d;
            s2 = s2 + d * d;
            lo = lo.min(x);
            hi = hi.max(x);
        }
        let (s1, s2) = if SUMS {
            (s1.to_f64(), s2.to_f64())
        } else {
            (0.0, 0.0)
        };
        *o = BlockSummary {
            sums: Sums {
                n: BLOCK as u64,
                shift: f64::from(shift),
                s1,
                s2,
            },
            ext: Ext {
                min: f64::from(lo),
                max: f64::from(hi),
            },
            last: f64::from(block[BLOCK - 1].into()),
            finite: true,
        };
    }
}

/// [`small_ints`] compiled for AVX2 when the CPU has it (the same integers either way).
fn small_ints_dispatch<T: Copy + Into<i32>, A: Acc, const SUMS: bool>(
    blocks: &[[T; BLOCK]],
    out: &mut [BlockSummary],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        fn avx2<T: Copy + Into<i32>, A: Acc, const SUMS: bool>(
            blocks: &[[T; BLOCK]],
            out: &mut [BlockSummary],
        ) {
            small_ints::<T, A, SUMS>(blocks, out)
        }
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement.
        return unsafe { avx2::<T, A, SUMS>(blocks, out) };
    }
    small_ints::<T, A, SUMS>(blocks, out)
}

/// `xs` (whole blocks) as blocks again.
fn blocks_of<U>(xs: &[U]) -> &[[U; BLOCK]] {
    xs.as_chunks::<BLOCK>().0
}

/// The summaries of `blocks`, with the AVX2 kernels for f32 and f64 when the CPU has them,
/// and integer ones for 8- and 16-bit samples.
fn summarize_into<T: Sample, const SUMS: bool>(blocks: &[[T; BLOCK]], out: &mut [BlockSummary]) {
    match T::as_native(blocks.as_flattened()) {
        Native::U8(xs) => return small_ints_dispatch::<_, i32, SUMS>(blocks_of(xs), out),
        Native::I8(xs) => return small_ints_dispatch::<_, i32, SUMS>(blocks_of(xs), out),
        Native::U16(xs) => return small_ints_dispatch::<_, i64, SUMS>(blocks_of(xs), out),
        Native::I16(xs) => return small_ints_dispatch::<_, i64, SUMS>(blocks_of(xs), out),
        _ => {}
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        if let Some(b) = cast::<T, f32>(blocks) {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement.
            return unsafe { avx2::f32s::<SUMS>(b, out) };
        }
        if let Some(b) = cast::<T, f64>(blocks) {
            // SAFETY: as above.
            return unsafe { avx2::f64s::<SUMS>(b, out) };
        }
    }
    for (b, s) in blocks.iter().zip(out) {
        *s = summarize::<T, SUMS>(b);
    }
}

/// Summaries of `blocks` into `out` (resized), spread over the rayon pool when there are many.
pub(crate) fn summarize_blocks<T: Sample, const SUMS: bool>(
    blocks: &[[T; BLOCK]],
    out: &mut Vec<BlockSummary>,
) {
    out.clear();
    out.resize(blocks.len(), BlockSummary::EMPTY);
    if blocks.len() >= 2 * PAR_BLOCKS && rayon::current_num_threads() > 1 {
        blocks
            .par_chunks(PAR_BLOCKS)
            .zip(out.par_chunks_mut(PAR_BLOCKS))
            .for_each(|(b, o)| summarize_into::<T, SUMS>(b, o));
    } else {
        summarize_into::<T, SUMS>(blocks, out);
    }
}

/// Runs merged pairwise (a binary counter of runs), so the error of the total grows with the
/// logarithm of the number of runs, not linearly.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    levels: Vec<Run>,
    count: u64,
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            levels: vec![Run::EMPTY; 64],
            count: 0,
        }
    }

    pub fn push(&mut self, run: &Run) {
        let mut carry = *run;
        let mut level = 0;
        while self.count >> level & 1 == 1 {
            let mut merged = self.levels[level];
            merged.add(&carry);
            carry = merged;
            level += 1;
        }
        self.levels[level] = carry;
        self.count += 1;
    }

    pub fn total(&self) -> Run {
        let mut total = Run::EMPTY;
        for level in (0..64).rev() {
            if self.count >> level & 1 == 1 {
                total.add(&self.levels[level]);
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both<T: Sample, const SUMS: bool>(xs: &[T]) -> (BlockSummary, BlockSummary) {
        let blocks = xs.as_chunks::<BLOCK>().0;
        let mut fast = vec![BlockSummary::EMPTY; blocks.len()];
        summarize_into::<T, SUMS>(blocks, &mut fast);
        (fast[0], summarize::<T, SUMS>(&blocks[0]))
    }

    #[test]
    fn vector_kernels_give_the_portable_bits() {
        let mut rng = crate::dsp::synth::Rng::new(4);
        let xs: Vec<f64> = (0..BLOCK).map(|_| 1e3 + rng.gaussian()).collect();
        let ys: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        let (a, b) = both::<f64, true>(&xs);
        assert_eq!(a, b);
        assert!(a.finite);
        let (with_sums, b) = both::<f32, true>(&ys);
        assert_eq!(with_sums, b);
        let (a, b) = both::<f32, false>(&ys);
        assert_eq!((a.ext, a.finite), (b.ext, b.finite));
        assert_eq!(a.ext, with_sums.ext);
        let (s, e, last) = Sums::piece::<_, true>(&ys);
        assert_eq!((e, s.n, s.shift), (a.ext, 64, f64::from(ys[0])));
        assert_eq!((last, a.last), (f64::from(ys[63]), f64::from(ys[63])));
        let w = with_sums.sums;
        assert!(
            (s.s1 - w.s1).abs() < 1e-12 && (s.s2 - w.s2).abs() < 1e-12,
            "{s:?} {w:?}"
        );
        for bad in [f32::NAN, f32::INFINITY] {
            let mut zs = ys.clone();
            zs[17] = bad;
            for (a, b) in [both::<f32, true>(&zs), both::<f32, false>(&zs)] {
                assert!(!a.finite && !b.finite, "{bad}");
            }
        }
    }

    /// The integer kernel gives the portable kernel's bits, with and without sums, for every
    /// 8- and 16-bit type, extremes of the type's range included.
    #[test]
    fn integer_kernel_gives_the_portable_bits() {
        fn check<T: Sample>(xs: &[T]) {
            let blocks = xs.as_chunks::<BLOCK>().0;
            for sums in [true, false] {
                let mut fast = vec![BlockSummary::EMPTY; blocks.len()];
                if sums {
                    summarize_into::<T, true>(blocks, &mut fast);
                } else {
                    summarize_into::<T, false>(blocks, &mut fast);
                }
                for (k, (f, b)) in fast.iter().zip(blocks).enumerate() {
                    let p = if sums {
                        summarize::<T, true>(b)
                    } else {
                        summarize::<T, false>(b)
                    };
                    let bits = |s: &BlockSummary| {
                        let v = [s.sums.s1, s.sums.s2, s.sums.shift, s.ext.min, s.ext.max];
                        (v.map(f64::to_bits), s.last.to_bits(), s.finite, s.sums.n)
                    };
                    assert_eq!(bits(f), bits(&p), "block {k}, sums {sums}");
                }
            }
        }
        let mut rng = crate::dsp::synth::Rng::new(21);
        // blocks of noise, of a step, of a constant and of alternating 0 and 1 (in 0..=1)
        let unit: Vec<f64> = (0..BLOCK * 40)
            .map(|k| match (k / BLOCK) % 4 {
                0 => rng.uniform(),
                1 => f64::from(u8::from(k % BLOCK < 32)),
                2 => 1.0,
                _ => (k % 2) as f64,
            })
            .collect();
        check(&unit.iter().map(|&u| (u * 255.0) as u8).collect::<Vec<_>>());
        check(
            &unit
                .iter()
                .map(|&u| (u * 255.0 - 128.0) as i8)
                .collect::<Vec<_>>(),
        );
        check(
            &unit
                .iter()
                .map(|&u| (u * 65535.0) as u16)
                .collect::<Vec<_>>(),
        );
        check(
            &unit
                .iter()
                .map(|&u| (u * 65535.0 - 32768.0) as i16)
                .collect::<Vec<_>>(),
        );
    }

    /// `find`'s f32 kernel (extremes and finiteness only) gives the portable summary bit for
    /// bit, sums included, on finite blocks (with signed zeros, below and above zero) and on
    /// blocks holding a NaN or an infinity at any lane.
    #[test]
    fn extremes_kernel_gives_the_portable_summary() {
        let mut rng = crate::dsp::synth::Rng::new(9);
        for case in 0..40 {
            let mut ys: Vec<f32> = (0..BLOCK)
                .map(|_| (rng.gaussian() - 0.5 * (case % 3) as f64) as f32)
                .collect();
            ys[case % BLOCK] = -0.0;
            ys[(case * 7 + 3) % BLOCK] = 0.0;
            match case % 4 {
                1 => ys[(case * 5) % BLOCK] = f32::NAN,
                2 => ys[(case * 11) % BLOCK] = f32::NEG_INFINITY,
                3 => ys[0] = f32::INFINITY,
                _ => {}
            }
            let (a, b) = both::<f32, false>(&ys);
            assert_eq!(a.finite, case % 4 == 0, "case {case}");
            assert_eq!(
                (
                    a.sums.s1.to_bits(),
                    a.sums.s2.to_bits(),
                    a.sums.shift.to_bits()
                ),
                (
                    b.sums.s1.to_bits(),
                    b.sums.s2.to_bits(),
                    b.sums.shift.to_bits()
                ),
                "case {case}"
            );
            assert_eq!(
                (a.ext, a.last.to_bits(), a.finite),
                (b.ext, b.last.to_bits(), b.finite)
            );
        }
    }

    #[test]
    fn appended_sums_match_two_pass() {
        // [1, 2, 3] then [10, 20]: mean 7.2, M2 = 254.8
        let (mut a, mut e, _) = Sums::piece::<_, true>(&[1.0, 2.0, f64::NAN, 3.0]);
        let (b, f, _) = Sums::piece::<_, true>(&[10.0, 20.0]);
        a.add(&b);
        e.add(&f);
        let r = a.run(e);
        assert_eq!(r.n, 5);
        assert!((r.mean - 7.2).abs() < 1e-15 && (r.m2 - 254.8).abs() < 1e-12);
        assert_eq!((r.ext.min, r.ext.max), (1.0, 20.0));
        let mut t = Tree::new();
        let mut chan = Run::EMPTY;
        for x in [1.0, 2.0, 3.0, 10.0, 20.0] {
            let (s, e, _) = Sums::piece::<_, true>(&[x]);
            t.push(&s.run(e));
            chan.add(&s.run(e));
        }
        for total in [t.total(), chan] {
            assert!((total.mean - 7.2).abs() < 1e-15 && (total.m2 - 254.8).abs() < 1e-12);
        }
    }
}
