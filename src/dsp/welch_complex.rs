//! Streaming Welch power spectrum of complex (I/Q) samples: two-sided, equal to
//! `scipy.signal.welch(x, fs, window, nperseg=nfft, noverlap, return_onesided=False)`
//! followed by `scipy.fft.fftshift` of frequencies and power, in f64.
//!
//! Segments, detrending (the complex mean), windows and scaling are those of
//! [`welch`](super::welch), without the one-sided fold: bin `k` of the result lies at
//! `(k − ⌊nfft/2⌋)·fs/nfft`, from −fs/2 up to just below +fs/2. The real-input path in
//! `welch.rs` is untouched; this file reuses its configuration, [`Spectrum`] and the windows.
//!
//! Streaming and determinism as there: samples are widened into a buffer, segments are
//! transformed in batches of `batch` consecutive segments on the rayon pool, lane `l` always
//! summing the same fixed slice of every batch, so the result is bit-identical for any
//! chunking of the input. Memory is one batch of samples plus the lanes.

use std::sync::Arc;

use rayon::prelude::*;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::DspError;
use super::welch::{Average, Detrend, MIN_NFFT, Scaling, Spectrum, WelchConfig};
use super::window::Window;
use crate::sample::Sample;
use crate::sample::sink::{Sink, SinkError};

/// Samples worth of segments per batch (as in `welch.rs`).
const BATCH_SAMPLES: usize = 1 << 20;

/// One lane's buffers: segment, scratch, and Σ|X|² (or max) per bin.
struct Lane {
    work: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    accumulator: Vec<f64>,
}

/// A complex Welch run: [`feed`](ComplexWelch::feed) I and Q in order, then
/// [`finish`](ComplexWelch::finish).
pub struct ComplexWelch {
    config: WelchConfig,
    fft: Arc<dyn Fft<f64>>,
    window: Arc<Window>,
    nfft: usize,
    hop: usize,
    batch: usize,
    lanes: Vec<Lane>,
    /// Samples from the next segment's start on.
    buffer: Vec<Complex<f64>>,
    segments: u64,
    samples: u64,
}

impl ComplexWelch {
    /// `runs` runs side by side (one per complex channel), sharing one plan and window.
    /// `config.tone_metrics` is ignored: harmonics of a complex tone are not defined the
    /// way the real metrics assume.
    pub fn many(config: WelchConfig, runs: usize) -> Result<Vec<ComplexWelch>, DspError> {
        validate(&config)?;
        let nfft = config.nfft;
        let hop = nfft - config.overlap;
        let fft = FftPlanner::<f64>::new().plan_fft_forward(nfft);
        let window = Arc::new(Window::new(config.window, nfft));
        let runs = runs.max(1);
        let lanes = (2 * rayon::current_num_threads()).div_ceil(runs).max(1);
        let batch = (BATCH_SAMPLES / runs / nfft).max(1).div_ceil(lanes) * lanes;
        let scratch = fft.get_inplace_scratch_len();
        Ok((0..runs)
            .map(|_| ComplexWelch {
                config: config.clone(),
                fft: Arc::clone(&fft),
                window: Arc::clone(&window),
                nfft,
                hop,
                batch,
                lanes: (0..lanes)
                    .map(|_| Lane {
                        work: vec![Complex::default(); nfft],
                        scratch: vec![Complex::default(); scratch],
                        accumulator: vec![0.0; nfft],
                    })
                    .collect(),
                buffer: Vec::with_capacity((batch - 1) * hop + nfft),
                segments: 0,
                samples: 0,
            })
            .collect())
    }

    /// Bytes one of `runs` runs holds, so a caller can group channels to fit its memory.
    pub fn bytes_per_run(config: &WelchConfig, runs: usize) -> usize {
        let nfft = config.nfft.max(MIN_NFFT);
        let hop = nfft - config.overlap.min(nfft - 1);
        let runs = runs.max(1);
        let lanes = (2 * rayon::current_num_threads()).div_ceil(runs).max(1);
        let batch = (BATCH_SAMPLES / runs / nfft).max(1).div_ceil(lanes) * lanes;
        16 * ((batch - 1) * hop + nfft) + lanes * (16 * 2 * nfft + 8 * nfft)
    }

    /// Append the next samples, `i[n] + j·q[n]` (equal lengths).
    pub fn feed<T: Sample>(&mut self, i: &[T], q: &[T]) {
        self.samples += i.len().min(q.len()) as u64;
        let span = (self.batch - 1) * self.hop + self.nfft;
        let mut pairs = i.iter().zip(q);
        loop {
            let room = span - self.buffer.len();
            self.buffer.extend(
                pairs
                    .by_ref()
                    .take(room)
                    .map(|(a, b)| Complex::new(a.to_f64(), b.to_f64())),
            );
            if self.buffer.len() < span {
                break;
            }
            self.run(self.batch);
            self.buffer.drain(..self.batch * self.hop);
        }
    }

    /// Transform the first `count` segments of the buffer, lane `l` taking the fixed slice
    /// `l·share .. (l+1)·share` of the batch.
    fn run(&mut self, count: usize) {
        let share = self.batch / self.lanes.len();
        let (hop, nfft) = (self.hop, self.nfft);
        let fft = self.fft.as_ref();
        let window = self.window.coefficients();
        let buffer = &self.buffer;
        let (detrend, average) = (self.config.detrend, self.config.average);
        self.lanes.par_iter_mut().enumerate().for_each(|(l, lane)| {
            for s in (l * share)..((l + 1) * share).min(count) {
                let segment = &buffer[s * hop..s * hop + nfft];
                let mean = match detrend {
                    Detrend::Mean => segment.iter().sum::<Complex<f64>>() / nfft as f64,
                    Detrend::None => Complex::default(),
                };
                for ((x, v), w) in lane.work.iter_mut().zip(segment).zip(window) {
                    *x = (v - mean) * w;
                }
                fft.process_with_scratch(&mut lane.work, &mut lane.scratch);
                let bins = lane.accumulator.iter_mut().zip(&lane.work);
                match average {
                    Average::Mean => bins.for_each(|(a, x)| *a += x.norm_sqr()),
                    Average::Max => bins.for_each(|(a, x)| *a = a.max(x.norm_sqr())),
                }
            }
        });
        self.segments += count as u64;
    }

    /// Transform the complete segments still buffered and return the centred two-sided
    /// spectrum (`freqs` from −fs/2; no `metrics`); an error if no segment was complete.
    pub fn finish(mut self) -> Result<Spectrum, DspError> {
        let nfft = self.nfft;
        if self.buffer.len() >= nfft {
            let count = (self.buffer.len() - nfft) / self.hop + 1;
            self.run(count);
        }
        if self.segments == 0 {
            return Err(DspError::TooShort {
                nfft,
                samples: self.samples,
            });
        }
        let mut power = vec![0.0; nfft];
        for lane in &self.lanes {
            let bins = power.iter_mut().zip(&lane.accumulator);
            match self.config.average {
                Average::Mean => bins.for_each(|(p, a)| *p += a),
                Average::Max => bins.for_each(|(p, a)| *p = p.max(*a)),
            }
        }
        let fs = self.config.sample_rate.unwrap_or(1.0);
        let window = &self.window;
        let mut scale = match self.config.scaling {
            Scaling::Density => 1.0 / (fs * window.sum_squares()),
            Scaling::Spectrum => 1.0 / (window.sum() * window.sum()),
        };
        if self.config.average == Average::Mean {
            scale /= self.segments as f64;
        }
        // fftshift: bin ⌈nfft/2⌉ (the most negative frequency) comes first.
        let first = nfft - nfft / 2;
        let shifted: Vec<f64> = (0..nfft)
            .map(|j| power[(j + first) % nfft] * scale)
            .collect();
        let resolution = fs / nfft as f64;
        let half = (nfft / 2) as f64;
        let enbw_bins = window.enbw_bins();
        Ok(Spectrum {
            freqs: (0..nfft).map(|j| (j as f64 - half) * resolution).collect(),
            power: shifted,
            segments: self.segments,
            samples: self.samples,
            nfft,
            overlap: self.config.overlap,
            sample_rate: self.config.sample_rate,
            window: self.config.window,
            scaling: self.config.scaling,
            average: self.config.average,
            resolution,
            enbw_bins,
            enbw: enbw_bins * resolution,
            coherent_gain: window.coherent_gain(),
            metrics: None,
        })
    }
}

fn validate(config: &WelchConfig) -> Result<(), DspError> {
    if config.nfft < MIN_NFFT {
        return Err(DspError::NfftTooSmall {
            min: MIN_NFFT,
            got: config.nfft,
        });
    }
    if config.overlap >= config.nfft {
        return Err(DspError::OverlapTooLarge {
            nfft: config.nfft,
            got: config.overlap,
        });
    }
    if let Some(rate) = config.sample_rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return Err(DspError::SampleRate { got: rate });
    }
    Ok(())
}

/// One [`ComplexWelch`] per complex channel, fed column pairs (I, Q) in order.
pub struct ComplexWelches(pub Vec<ComplexWelch>);

impl Sink for ComplexWelches {
    fn take<T: Sample>(&mut self, _start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        self.0
            .par_iter_mut()
            .zip(columns.par_chunks(2))
            .for_each(|(welch, pair)| {
                if let [i, q] = pair {
                    welch.feed(i, q);
                }
            });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::window::WindowKind;
    use std::f64::consts::PI;

    fn config(nfft: usize, overlap: usize) -> WelchConfig {
        WelchConfig {
            nfft,
            overlap,
            window: WindowKind::Hann,
            detrend: Detrend::Mean,
            scaling: Scaling::Spectrum,
            average: Average::Mean,
            sample_rate: Some(1000.0),
            tone_metrics: false,
        }
    }

    /// Tones at bins −8 and +16 of nfft 64 (amplitudes 1 and 0.5) read |A|²·(coherent
    /// gain² scaling): with `spectrum` scaling a bin-centred complex tone of amplitude A
    /// reads A² in its bin (no one-sided doubling), and the axis is centred.
    #[test]
    fn tones_land_on_their_signed_bins() {
        let (nfft, n) = (64, 64 * 40);
        let x: Vec<(f64, f64)> = (0..n)
            .map(|k| {
                let t = k as f64 / nfft as f64;
                let a = 2.0 * PI * -8.0 * t;
                let b = 2.0 * PI * 16.0 * t;
                (a.cos() + 0.5 * b.cos(), a.sin() + 0.5 * b.sin())
            })
            .collect();
        let (i, q): (Vec<f64>, Vec<f64>) = x.into_iter().unzip();
        let mut w = ComplexWelch::many(config(nfft, 32), 1).unwrap().remove(0);
        w.feed(&i, &q);
        let s = w.finish().unwrap();
        assert_eq!(s.freqs.len(), nfft);
        assert_eq!(s.freqs[0], -500.0);
        assert_eq!(s.freqs[32], 0.0);
        let at = |bin: i64| s.power[(bin + 32) as usize];
        assert!((at(-8) - 1.0).abs() < 1e-12, "{}", at(-8));
        assert!((at(16) - 0.25).abs() < 1e-12, "{}", at(16));
        assert!(at(8) < 1e-20 && at(-16) < 1e-20);
    }

    #[test]
    fn any_chunking_gives_the_same_bits() {
        let n = 5000;
        let i: Vec<f32> = (0..n).map(|k| ((k * 7919) % 97) as f32 - 48.0).collect();
        let q: Vec<f32> = (0..n).map(|k| ((k * 104_729) % 89) as f32 - 44.0).collect();
        let whole = {
            let mut w = ComplexWelch::many(config(128, 100), 1).unwrap().remove(0);
            w.feed(&i, &q);
            w.finish().unwrap()
        };
        for chunk in [1, 7, 4096] {
            let mut w = ComplexWelch::many(config(128, 100), 1).unwrap().remove(0);
            for (a, b) in i.chunks(chunk).zip(q.chunks(chunk)) {
                w.feed(a, b);
            }
            assert_eq!(w.finish().unwrap(), whole, "chunk {chunk}");
        }
    }
}
