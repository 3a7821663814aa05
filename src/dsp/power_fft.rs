//! |X_k|² of a real segment's FFT, folded straight from the half-length complex
//! transform.
//!
//! A real FFT of even length N is a complex FFT of the N/2 sample pairs followed by one
//! "untangling" pass with twiddles that writes the N/2 + 1 bins. `realfft` does exactly that,
//! and then Welch read the bins back to fold |X|² into its accumulator: two more passes over
//! a 64 KiB array per segment at nfft 8192, which cost a fifth of a Welch run. Here the
//! untangling pass computes |X_k|² and |X_{N/2-k}|² and hands them to the accumulator
//! (sum or max), so the bins are never stored. The complex FFT is
//! still rustfft's; odd N (rare) goes through realfft and a separate |X|² pass.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

use super::segment;

/// Where a segment's |X_k|² go.
pub(super) enum Power<'a> {
    /// Overwrite these bins (a Welch tree leaf).
    Write(&'a mut [f64]),
    /// Add to these bins (a Welch tree node, a spectrogram column).
    Sum(&'a mut [f64]),
    /// Keep the element-wise maximum (Welch max-hold).
    Max(&'a mut [f64]),
}

/// A planned power transform of one segment length.
pub(super) struct PowerFft {
    plan: Plan,
    nfft: usize,
}

enum Plan {
    /// Even length: rustfft on the N/2 pairs, and `twiddles[k-1] = e^{-2πik/N}/2` for the
    /// untangling pass, `k = 1..⌈N/4⌉`.
    Even {
        fft: Arc<dyn Fft<f64>>,
        twiddles: Vec<Complex<f64>>,
    },
    Odd(Arc<dyn RealToComplex<f64>>),
}

/// One worker's buffers for a [`PowerFft`]: the segment to transform goes into `input`.
pub(super) struct PowerBuffers {
    /// The N windowed samples; destroyed by [`PowerFft::transform`].
    pub input: Vec<f64>,
    work: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
}

impl PowerFft {
    pub fn new(nfft: usize) -> PowerFft {
        let plan = if nfft.is_multiple_of(2) {
            let twiddles = (1..nfft.div_ceil(4))
                .map(|k| {
                    let angle = -2.0 * std::f64::consts::PI * k as f64 / nfft as f64;
                    Complex::new(0.5 * angle.cos(), 0.5 * angle.sin())
                })
                .collect();
            Plan::Even {
                fft: FftPlanner::new().plan_fft_forward(nfft / 2),
                twiddles,
            }
        } else {
            Plan::Odd(RealFftPlanner::new().plan_fft_forward(nfft))
        };
        PowerFft { plan, nfft }
    }

    /// Fresh buffers for one worker.
    pub fn buffers(&self) -> PowerBuffers {
        let (work, scratch) = match &self.plan {
            Plan::Even { fft, .. } => (self.nfft / 2, fft.get_outofplace_scratch_len()),
            Plan::Odd(fft) => (fft.complex_len(), fft.get_scratch_len()),
        };
        PowerBuffers {
            input: vec![0.0; self.nfft],
            work: vec![Complex::default(); work],
            scratch: vec![Complex::default(); scratch],
        }
    }

    /// Bytes of one worker's [`PowerBuffers`].
    pub fn buffer_bytes(nfft: usize) -> usize {
        // input, plus work and scratch of about nfft/2 complex values each.
        8 * nfft + 2 * 16 * (nfft / 2 + 1)
    }

    /// Transforms `buffers.input` and hands its `nfft/2 + 1` values |X_k|² to `into`.
    pub fn transform(&self, buffers: &mut PowerBuffers, into: Power<'_>) {
        let PowerBuffers {
            input,
            work,
            scratch,
        } = buffers;
        match &self.plan {
            Plan::Even { fft, twiddles } => {
                fft.process_outofplace_with_scratch(as_pairs(input), work, scratch);
                segment::untangle_power(work, twiddles, into);
            }
            Plan::Odd(fft) => {
                fft.process_with_scratch(input, work, scratch)
                    .expect("buffers are sized by the plan they are used with");
                segment::fold_bins(work, into);
            }
        }
    }
}

/// The samples as N/2 complex pairs `(x[2j], x[2j+1])`, the input of the half-length FFT.
fn as_pairs(samples: &mut [f64]) -> &mut [Complex<f64>] {
    assert!(samples.len().is_multiple_of(2));
    // SAFETY: `Complex<f64>` is `#[repr(C)] { re: f64, im: f64 }` (num-complex documents it
    // as layout-compatible with `[f64; 2]`), so it has f64's alignment and an even number of
    // f64 is exactly `len/2` of them; the borrow is carried over, so nothing aliases.
    unsafe { std::slice::from_raw_parts_mut(samples.as_mut_ptr().cast(), samples.len() / 2) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// |X_k|² by an O(N²) DFT.
    fn direct(x: &[f64]) -> Vec<f64> {
        let n = x.len();
        (0..=n / 2)
            .map(|k| {
                let (mut re, mut im) = (0.0, 0.0);
                for (i, v) in x.iter().enumerate() {
                    let a = -2.0 * std::f64::consts::PI * ((k * i) % n) as f64 / n as f64;
                    re += v * a.cos();
                    im += v * a.sin();
                }
                re * re + im * im
            })
            .collect()
    }

    fn signal(n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| (0.37 * i as f64).sin() + 0.5 + 1e-3 * ((i * 7919 % 101) as f64))
            .collect()
    }

    #[test]
    fn equals_a_direct_dft_for_even_odd_and_both_parities_of_n_over_2() {
        for n in [16, 18, 30, 64, 100, 17, 33, 1000, 1002] {
            let fft = PowerFft::new(n);
            let x = signal(n);
            let want = direct(&x);
            let peak = want.iter().copied().fold(0.0, f64::max);
            let mut buffers = fft.buffers();
            buffers.input.copy_from_slice(&x);
            let mut got = vec![0.0; n / 2 + 1];
            fft.transform(&mut buffers, Power::Sum(&mut got));
            for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!((g - w).abs() <= 1e-12 * peak, "n {n} bin {k}: {g} vs {w}");
            }
            // Sum adds, max keeps the larger.
            let mut sum = vec![1.0; n / 2 + 1];
            buffers.input.copy_from_slice(&x);
            fft.transform(&mut buffers, Power::Sum(&mut sum));
            let mut max = vec![2.0; n / 2 + 1];
            buffers.input.copy_from_slice(&x);
            fft.transform(&mut buffers, Power::Max(&mut max));
            for k in 0..=n / 2 {
                assert_eq!(sum[k], 1.0 + got[k], "n {n} bin {k}");
                assert_eq!(max[k], got[k].max(2.0), "n {n} bin {k}");
            }
        }
    }
}
