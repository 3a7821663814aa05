//! The per-segment loops around an FFT that [`welch`](super::welch) and
//! [`spectrogram`](super::spectrogram) share: the segment mean, the detrended window
//! multiply, and |X|² written or folded into an accumulator.
//!
//! Each runs as compiled for AVX2 ([`wide`]) when the CPU has it, else as built. The
//! arithmetic is the same IEEE operations in the same order either way (no FMA), so a
//! spectrum does not depend on the CPU. Together they are a third of a Welch pass's time,
//! so they are written to vectorise.

use realfft::num_complex::Complex;

use super::welch::Average;
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

/// `(samples - mean) · window` into `out`, each sample widened to f64 first.
pub(super) fn apply_window<T: Sample>(samples: &[T], mean: f64, window: &[f64], out: &mut [f64]) {
    dispatch!(apply_window / window_loop(samples, mean, window, out))
}

/// Folds one segment's |X|² into `acc`: summed, or max-held.
pub(super) fn fold_power(acc: &mut [f64], spectrum: &[Complex<f64>], average: Average) {
    dispatch!(fold_power / fold_loop(acc, spectrum, average))
}

/// Writes one segment's |X|² into `out`.
pub(super) fn power(out: &mut [f64], spectrum: &[Complex<f64>]) {
    dispatch!(power / power_loop(out, spectrum))
}

/// The loops compiled for AVX2, each a function of its own (inlined into a bigger one, LLVM
/// stops vectorising them).
#[cfg(target_arch = "x86_64")]
mod wide {
    use super::{Average, Complex, Sample};

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

    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(super) fn fold_power(acc: &mut [f64], spectrum: &[Complex<f64>], average: Average) {
        super::fold_loop(acc, spectrum, average);
    }

    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(super) fn power(out: &mut [f64], spectrum: &[Complex<f64>]) {
        super::power_loop(out, spectrum);
    }
}

#[inline(always)]
fn window_loop<T: Sample>(samples: &[T], mean: f64, window: &[f64], out: &mut [f64]) {
    for ((x, s), w) in out.iter_mut().zip(samples).zip(window) {
        *x = (s.to_f64() - mean) * w;
    }
}

#[inline(always)]
fn fold_loop(acc: &mut [f64], spectrum: &[Complex<f64>], average: Average) {
    let bins = acc.iter_mut().zip(spectrum);
    match average {
        Average::Mean => bins.for_each(|(a, x)| *a += x.re * x.re + x.im * x.im),
        Average::Max => bins.for_each(|(a, x)| *a = a.max(x.re * x.re + x.im * x.im)),
    }
}

#[inline(always)]
fn power_loop(out: &mut [f64], spectrum: &[Complex<f64>]) {
    for (o, x) in out.iter_mut().zip(spectrum) {
        *o = x.re * x.re + x.im * x.im;
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
