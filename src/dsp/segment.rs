//! The per-segment loops around an FFT that [`welch`](super::welch) and
//! [`spectrogram`](super::spectrogram) share: the segment mean, the detrended window
//! multiply, and |X|² written or folded into an accumulator (straight from the half-length
//! transform, see [`power_fft`](super::power_fft)).
//!
//! Each runs as compiled for AVX2 ([`wide`]) when the CPU has it, else as built. The
//! arithmetic is the same IEEE operations in the same order either way (no FMA), so a
//! spectrum does not depend on the CPU. Together they are a third of a Welch pass's time,
//! so they are written to vectorise.

use realfft::num_complex::Complex;

use super::power_fft::Power;
use crate::sample::Sample;

/// Runs `wide::$f` when the CPU has AVX2, else the portable `$g`, with the same arguments.
macro_rules! dispatch {
    ($f:ident / $g:ident ($($arg:expr),*)) => {{
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above), the only requirement of the
            // target_feature copies in `wide`.
            return unsafe { wide::$f($($arg),*) };
        }
        $g($($arg),*)
    }};
}

/// Mean of the samples, widened to f64 (eight partial sums: see [`sum`]).
pub(super) fn mean<T: Sample>(samples: &[T]) -> f64 {
    segment_sum(samples) / samples.len() as f64
}

fn segment_sum<T: Sample>(samples: &[T]) -> f64 {
    dispatch!(sum / sum(samples))
}

/// Means of consecutive overlapping segments from the sums of their `hop`-long blocks, when
/// `hop` divides `nfft`: a segment that follows the previous one only sums its last block,
/// so each sample is summed once instead of `nfft/hop` times. A segment's mean is the same
/// whether it follows or not (the same block sums, added in the same order).
pub(super) struct RunningMean {
    hop: usize,
    /// Block sums of the last segment, oldest first; unused without overlap or when `hop`
    /// does not divide `nfft` (the mean is then summed directly).
    blocks: std::collections::VecDeque<f64>,
    per_segment: usize,
}

impl RunningMean {
    pub fn new(nfft: usize, hop: usize) -> RunningMean {
        let per_segment = if nfft.is_multiple_of(hop) {
            nfft / hop
        } else {
            1
        };
        RunningMean {
            hop,
            blocks: std::collections::VecDeque::with_capacity(per_segment),
            per_segment,
        }
    }

    /// Mean of `samples`, one segment; `follows` says it begins `hop` samples after the
    /// segment of the previous call.
    pub fn next<T: Sample>(&mut self, samples: &[T], follows: bool) -> f64 {
        if self.per_segment == 1 {
            return mean(samples);
        }
        let hop = self.hop;
        if follows {
            self.blocks.pop_front();
        } else {
            self.blocks.clear();
            let earlier = samples[..samples.len() - hop].chunks_exact(hop);
            self.blocks.extend(earlier.map(segment_sum));
        }
        self.blocks
            .push_back(segment_sum(&samples[samples.len() - hop..]));
        self.blocks.iter().sum::<f64>() / samples.len() as f64
    }
}

/// `(samples - mean) · window` into `out`, each sample widened to f64 first.
pub(super) fn apply_window<T: Sample>(samples: &[T], mean: f64, window: &[f64], out: &mut [f64]) {
    dispatch!(apply_window / window_loop(samples, mean, window, out))
}

/// Hands |X_k|² of a real FFT of length N to `into`, from `z`, the FFT of its N/2 sample
/// pairs, and `twiddles[k-1] = e^{-2πik/N}/2` (see [`power_fft`](super::power_fft)).
pub(super) fn untangle_power(z: &[Complex<f64>], twiddles: &[Complex<f64>], into: Power<'_>) {
    match into {
        Power::Write(out) => dispatch!(untangle / untangle_from(z, twiddles, out, write)),
        Power::Sum(out) => dispatch!(untangle / untangle_from(z, twiddles, out, add)),
        Power::Max(out) => dispatch!(untangle / untangle_from(z, twiddles, out, keep_max)),
    }
}

/// Hands |X_k|² of computed bins to `into`.
pub(super) fn fold_bins(bins: &[Complex<f64>], into: Power<'_>) {
    let (out, op): (_, fn(&mut f64, f64)) = match into {
        Power::Write(out) => (out, write),
        Power::Sum(out) => (out, add),
        Power::Max(out) => (out, keep_max),
    };
    for (o, x) in out.iter_mut().zip(bins) {
        op(o, x.norm_sqr());
    }
}

fn untangle_from(
    z: &[Complex<f64>],
    twiddles: &[Complex<f64>],
    out: &mut [f64],
    op: impl Fn(&mut f64, f64),
) {
    untangle_loop(z, twiddles, out, op, 0);
}

#[inline(always)]
fn write(o: &mut f64, p: f64) {
    *o = p;
}

#[inline(always)]
fn add(o: &mut f64, p: f64) {
    *o += p;
}

#[inline(always)]
fn keep_max(o: &mut f64, p: f64) {
    *o = o.max(p);
}

/// The loops compiled for AVX2, each a function of its own (inlined into a bigger one, LLVM
/// stops vectorising them).
#[cfg(target_arch = "x86_64")]
mod wide {
    use super::{Complex, Sample};

    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(super) fn sum<T: Sample>(values: &[T]) -> f64 {
        super::sum(values)
    }

    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(super) fn apply_window<T: Sample>(
        samples: &[T],
        mean: f64,
        window: &[f64],
        out: &mut [f64],
    ) {
        super::window_loop(samples, mean, window, out);
    }

    /// [`untangle_loop`](super::untangle_loop) four bins (and their four mirrors) at a time.
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(super) fn untangle(
        z: &[Complex<f64>],
        twiddles: &[Complex<f64>],
        out: &mut [f64],
        op: impl Fn(&mut f64, f64),
    ) {
        use std::arch::x86_64::*;
        let m = z.len();
        let blocks = twiddles.len() / 4;
        assert!(out.len() == m + 1 && twiddles.len() < m.div_ceil(2));
        let (zp, tp) = (z.as_ptr().cast::<f64>(), twiddles.as_ptr().cast::<f64>());
        let half = _mm256_set1_pd(0.5);
        for block in 0..blocks {
            // Bins k..k+4, their mirrors m-k-3..=m-k (stored in reverse bin order).
            let k = 1 + 4 * block;
            // SAFETY: k + 3 ≤ twiddles.len() < m/2 and m - k - 3 ≥ m - twiddles.len() > m/2:
            // every load is inside `z` (m values) or `twiddles`, as f64 pairs.
            let (a01, a23, b32, b10, t01, t23) = unsafe {
                (
                    _mm256_loadu_pd(zp.add(2 * k)),
                    _mm256_loadu_pd(zp.add(2 * k + 4)),
                    _mm256_loadu_pd(zp.add(2 * (m - k - 3))),
                    _mm256_loadu_pd(zp.add(2 * (m - k - 1))),
                    _mm256_loadu_pd(tp.add(2 * (k - 1))),
                    _mm256_loadu_pd(tp.add(2 * (k + 1))),
                )
            };
            let (b01, b23) = (
                _mm256_permute2f128_pd(b10, b10, 1),
                _mm256_permute2f128_pd(b32, b32, 1),
            );
            // Real and imaginary parts, lanes in bin order k, k+2, k+1, k+3 (unpack works
            // within 128-bit halves); the same operations as the scalar loop, in its order.
            let (a_re, a_im) = (_mm256_unpacklo_pd(a01, a23), _mm256_unpackhi_pd(a01, a23));
            let (b_re, b_im) = (_mm256_unpacklo_pd(b01, b23), _mm256_unpackhi_pd(b01, b23));
            let (t_re, t_im) = (_mm256_unpacklo_pd(t01, t23), _mm256_unpackhi_pd(t01, t23));
            let (sum_re, sum_im) = (_mm256_add_pd(a_re, b_re), _mm256_add_pd(a_im, b_im));
            let (diff_re, diff_im) = (_mm256_sub_pd(a_re, b_re), _mm256_sub_pd(a_im, b_im));
            let r = _mm256_add_pd(_mm256_mul_pd(sum_im, t_re), _mm256_mul_pd(diff_re, t_im));
            let i = _mm256_sub_pd(_mm256_mul_pd(sum_im, t_im), _mm256_mul_pd(diff_re, t_re));
            let (half_sum, half_diff) = (_mm256_mul_pd(half, sum_re), _mm256_mul_pd(half, diff_im));
            let square_sum = |re, im| _mm256_add_pd(_mm256_mul_pd(re, re), _mm256_mul_pd(im, im));
            let low = square_sum(_mm256_add_pd(half_sum, r), _mm256_add_pd(half_diff, i));
            let high = square_sum(_mm256_sub_pd(half_sum, r), _mm256_sub_pd(i, half_diff));
            // Back to bin order: k..k+4, and m-k-3..=m-k (bins k+3 down to k).
            let low = _mm256_permute4x64_pd(low, 0b11_01_10_00);
            let high = _mm256_permute4x64_pd(high, 0b00_10_01_11);
            let (mut low_bins, mut high_bins) = ([0.0; 4], [0.0; 4]);
            // SAFETY: each array holds exactly four f64.
            unsafe {
                _mm256_storeu_pd(low_bins.as_mut_ptr(), low);
                _mm256_storeu_pd(high_bins.as_mut_ptr(), high);
            }
            for (o, p) in out[k..k + 4].iter_mut().zip(low_bins) {
                op(o, p);
            }
            for (o, p) in out[m - k - 3..=m - k].iter_mut().zip(high_bins) {
                op(o, p);
            }
        }
        super::untangle_loop(z, twiddles, out, op, 4 * blocks);
    }
}

#[inline(always)]
fn window_loop<T: Sample>(samples: &[T], mean: f64, window: &[f64], out: &mut [f64]) {
    for ((x, s), w) in out.iter_mut().zip(samples).zip(window) {
        *x = (s.to_f64() - mean) * w;
    }
}

/// The untangling pass of a real FFT (as realfft's, which stores the bins) with |X_k|² and
/// |X_{M-k}|² handed to `op` instead, `M = N/2 = z.len()`:
/// `X_k = (z_k + z̄_{M-k})/2 - i·e^{-2πik/N}·(z_k - z̄_{M-k})/2`. Bins `1..=from` (and their
/// mirrors) are left to the caller, which did them four at a time.
#[inline(always)]
fn untangle_loop(
    z: &[Complex<f64>],
    twiddles: &[Complex<f64>],
    out: &mut [f64],
    op: impl Fn(&mut f64, f64),
    from: usize,
) {
    let m = z.len();
    let first = z[0];
    op(&mut out[0], (first.re + first.im) * (first.re + first.im));
    op(&mut out[m], (first.re - first.im) * (first.re - first.im));
    for (k, t) in (from + 1..).zip(&twiddles[from..]) {
        let (a, b) = (z[k], z[m - k]);
        let (sum_re, sum_im) = (a.re + b.re, a.im + b.im);
        let (diff_re, diff_im) = (a.re - b.re, a.im - b.im);
        let r = sum_im * t.re + diff_re * t.im;
        let i = sum_im * t.im - diff_re * t.re;
        let (half_sum, half_diff) = (0.5 * sum_re, 0.5 * diff_im);
        op(
            &mut out[k],
            (half_sum + r) * (half_sum + r) + (half_diff + i) * (half_diff + i),
        );
        op(
            &mut out[m - k],
            (half_sum - r) * (half_sum - r) + (i - half_diff) * (i - half_diff),
        );
    }
    // N divisible by 4: the middle bin X_{M/2} is z̄_{M/2}.
    if m.is_multiple_of(2) {
        op(&mut out[m / 2], z[m / 2].norm_sqr());
    }
}

/// Sum (widened to f64) with eight independent partial sums: vectorizes, and its rounding
/// error grows like n/8 instead of n.
#[inline(always)]
fn sum<T: Sample>(values: &[T]) -> f64 {
    let mut partial = [0.0; 8];
    let chunks = values.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().map(|v| v.to_f64()).sum();
    for chunk in chunks {
        for (p, v) in partial.iter_mut().zip(chunk) {
            *p += v.to_f64();
        }
    }
    partial.iter().sum::<f64>() + tail
}
