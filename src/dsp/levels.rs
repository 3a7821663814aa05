//! From analog samples to logic levels: the Schmitt trigger every decoder and measurement
//! shares, and the one-pass estimator of a line's two levels (`--threshold auto`).

use crate::sample::Sample;
use crate::sample::sink::ChannelSink;
use serde::Serialize;
use std::ops::Range;

/// Errors of the level finder; each carries the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LevelError {
    #[error(
        "threshold must be finite and hysteresis finite and >= 0, got {threshold} and {hysteresis}"
    )]
    Threshold { threshold: f64, hysteresis: f64 },
    #[error("cannot find two logic levels: {reason}")]
    NoLevels { reason: String },
}

/// Samples per block in [`Schmitt::process`]'s fast path.
const SCHMITT_BLOCK: usize = 16;

/// Schmitt trigger: analog samples → levels 0/1, state kept across chunks.
#[derive(Debug, Clone)]
pub struct Schmitt {
    threshold: f64,
    low: f64,
    high: f64,
    state: Option<u8>,
}

impl Schmitt {
    /// Switches high above `threshold + hysteresis/2`, low below `threshold - hysteresis/2`.
    pub fn new(threshold: f64, hysteresis: f64) -> Result<Self, LevelError> {
        if !threshold.is_finite() || !hysteresis.is_finite() || hysteresis < 0.0 {
            return Err(LevelError::Threshold {
                threshold,
                hysteresis,
            });
        }
        Ok(Self {
            threshold,
            low: threshold - hysteresis / 2.0,
            high: threshold + hysteresis / 2.0,
            state: None,
        })
    }

    /// Continue from level `high`, as if the samples before had left it there.
    pub(crate) fn set_state(&mut self, high: bool) {
        self.state = Some(u8::from(high));
    }

    /// Replaces `out` with the levels of `samples`, reusing its allocation. NaN keeps the
    /// previous level; the very first sample is compared with the threshold itself.
    pub fn process<T: Sample>(&mut self, samples: &[T], out: &mut Vec<u8>) {
        out.clear();
        let Some(first) = samples.first() else {
            return;
        };
        let (low, high) = (self.low, self.high);
        let mut s = self
            .state
            .unwrap_or_else(|| u8::from(first.to_f64() >= self.threshold));
        out.resize(samples.len(), 0);
        let step = |s: u8, x: T| {
            let x = x.to_f64();
            u8::from(x > high) | (s & (u8::from(x < low) ^ 1))
        };
        let mut blocks = samples.chunks_exact(SCHMITT_BLOCK);
        let mut outs = out.chunks_exact_mut(SCHMITT_BLOCK);
        for (xs, ys) in (&mut blocks).zip(&mut outs) {
            // Most blocks lie wholly beyond one threshold; counting vectorizes, the
            // sample-by-sample state update cannot.
            let above = xs.iter().filter(|&&x| x.to_f64() > high).count();
            let below = xs.iter().filter(|&&x| x.to_f64() < low).count();
            if above == SCHMITT_BLOCK {
                s = 1;
                ys.fill(1);
            } else if below == SCHMITT_BLOCK {
                s = 0;
                ys.fill(0);
            } else {
                for (y, &x) in ys.iter_mut().zip(xs) {
                    s = step(s, x);
                    *y = s;
                }
            }
        }
        for (y, &x) in outs.into_remainder().iter_mut().zip(blocks.remainder()) {
            s = step(s, x);
            *y = s;
        }
        self.state = Some(s);
    }
}

/// Threshold and hysteresis found by [`LevelEstimator`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels {
    pub low: f64,
    pub high: f64,
    pub threshold: f64,
    pub hysteresis: f64,
    /// Robust noise estimate (MAD) of the more common level.
    pub noise_rms: f64,
}

const HIST_BINS: usize = 8192;
/// Samples go round-robin into this many sub-histograms: consecutive samples of an idle
/// line hit the same bin, and separate counters keep the increments independent.
const LANES: usize = 4;

/// One-pass estimator of the two logic levels of an analog line.
///
/// It keeps a fixed-size histogram whose range doubles (merging bin pairs exactly) when a
/// sample falls outside, so memory is constant whatever the file size. `finish` splits it
/// into two clusters with an iterated midpoint of cluster medians, which works when one
/// level holds 99.9% of the samples and ignores rare spikes.
#[derive(Debug, Clone)]
pub struct LevelEstimator {
    /// `LANES` histograms of `HIST_BINS` bins, one after the other.
    lanes: Vec<u64>,
    lo: f64,
    /// Bin width; 0 until the first finite sample sets the range.
    width: f64,
}

impl Default for LevelEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl LevelEstimator {
    pub fn new() -> Self {
        Self {
            lanes: vec![0; LANES * HIST_BINS],
            lo: 0.0,
            width: 0.0,
        }
    }

    /// Adds samples; NaN and infinities are ignored.
    pub fn push<T: Sample>(&mut self, samples: &[T]) {
        let mut quads = samples.chunks_exact(LANES);
        for quad in &mut quads {
            for (lane, &x) in quad.iter().enumerate() {
                self.add(lane, x.to_f64());
            }
        }
        for &x in quads.remainder() {
            self.add(0, x.to_f64());
        }
    }

    #[inline]
    fn add(&mut self, lane: usize, x: f64) {
        let d = (x - self.lo) / self.width;
        if d >= 0.0 && d < HIST_BINS as f64 {
            self.lanes[lane * HIST_BINS + d as usize] += 1;
        } else if x.is_finite() {
            if self.width == 0.0 {
                // A span small against any plausible swing; it only grows from here.
                let span = 1e-6 * x.abs().max(1.0);
                self.width = span / HIST_BINS as f64;
                self.lo = x - span / 2.0;
            }
            self.grow_to(x);
            let d = ((x - self.lo) / self.width).clamp(0.0, (HIST_BINS - 1) as f64);
            self.lanes[lane * HIST_BINS + d as usize] += 1;
        }
    }

    /// Doubles the bin width until `x` fits, growing towards it; old bins map exactly.
    fn grow_to(&mut self, x: f64) {
        let n = HIST_BINS as f64;
        while !(x >= self.lo && x < self.lo + n * self.width) {
            // Old bin j lands in new bin (j + shift) / 2.
            let shift = if x < self.lo { HIST_BINS } else { 0 };
            for lane in self.lanes.chunks_exact_mut(HIST_BINS) {
                let old = lane.to_vec();
                lane.fill(0);
                for (j, c) in old.into_iter().enumerate() {
                    lane[(j + shift) / 2] += c;
                }
            }
            self.lo -= shift as f64 * self.width;
            self.width *= 2.0;
        }
    }

    /// The two levels, their midpoint as threshold, and a hysteresis of 6 noise sigmas
    /// bounded to 10..50% of the swing.
    pub fn finish(&self) -> Result<Levels, LevelError> {
        let mut counts = vec![0u64; HIST_BINS];
        for lane in self.lanes.chunks_exact(HIST_BINS) {
            for (c, l) in counts.iter_mut().zip(lane) {
                *c += l;
            }
        }
        Histogram {
            total: counts.iter().sum(),
            counts,
            lo: self.lo,
            width: self.width,
        }
        .levels()
    }
}

/// The merged histogram of a [`LevelEstimator`], and the level analysis on it.
struct Histogram {
    counts: Vec<u64>,
    total: u64,
    lo: f64,
    width: f64,
}

impl Histogram {
    fn center(&self, bin: usize) -> f64 {
        self.lo + (bin as f64 + 0.5) * self.width
    }

    fn bin_of(&self, x: f64) -> usize {
        ((x - self.lo) / self.width)
            .floor()
            .clamp(0.0, HIST_BINS as f64) as usize
    }

    /// Value below which a fraction `q` of the samples in bins `range` lie (interpolated).
    fn quantile(&self, range: Range<usize>, q: f64) -> f64 {
        let total: u64 = self.counts[range.clone()].iter().sum();
        let target = q * total as f64;
        let mut acc = 0.0;
        for b in range.clone() {
            let c = self.counts[b] as f64;
            if c > 0.0 && acc + c >= target {
                return self.lo + (b as f64 + (target - acc) / c) * self.width;
            }
            acc += c;
        }
        self.center(range.end.saturating_sub(1))
    }

    /// Median absolute deviation around `median` of the samples in bins `range`, to
    /// the histogram's resolution: the radius of the smallest window holding half of them.
    fn mad(&self, range: Range<usize>, median: f64) -> f64 {
        let total: u64 = self.counts[range.clone()].iter().sum();
        let m = self.bin_of(median).clamp(range.start, range.end - 1);
        let mut radius = 0;
        loop {
            let lo = m.saturating_sub(radius).max(range.start);
            let hi = (m + radius + 1).min(range.end);
            if 2 * self.counts[lo..hi].iter().sum::<u64>() >= total {
                return (radius as f64 + 0.5) * self.width;
            }
            radius += 1;
        }
    }

    /// Splits the samples at `threshold` and iterates the midpoint of the two medians;
    /// returns the medians and the first bin of the upper cluster.
    fn split_from(&self, mut threshold: f64) -> Option<(f64, f64, usize)> {
        for _ in 0..64 {
            let cut = self.bin_of(threshold).clamp(1, HIST_BINS - 1);
            let below: u64 = self.counts[..cut].iter().sum();
            if below == 0 || below == self.total {
                return None;
            }
            let low = self.quantile(0..cut, 0.5);
            let high = self.quantile(cut..HIST_BINS, 0.5);
            let next = (low + high) / 2.0;
            if self.bin_of(next) == self.bin_of(threshold) {
                return Some((low, high, cut));
            }
            threshold = next;
        }
        None
    }

    fn levels(&self) -> Result<Levels, LevelError> {
        if self.total < 2 {
            return Err(LevelError::NoLevels {
                reason: format!("only {} finite samples", self.total),
            });
        }
        let all = 0..HIST_BINS;
        // Robust start (ignores spikes rarer than 1e-4), then the full range as fallback.
        let starts = [
            (self.quantile(all.clone(), 1e-4) + self.quantile(all.clone(), 1.0 - 1e-4)) / 2.0,
            (self.quantile(all.clone(), 0.0) + self.quantile(all, 1.0)) / 2.0,
        ];
        let mut best_ratio = 0.0;
        for start in starts {
            let Some((low, high, cut)) = self.split_from(start) else {
                continue;
            };
            let below: u64 = self.counts[..cut].iter().sum();
            // The more common level gives the cleaner noise estimate.
            let noise = if 2 * below >= self.total {
                self.mad(0..cut, low)
            } else {
                self.mad(cut..HIST_BINS, high)
            } * 1.4826;
            let swing = high - low;
            let ratio = swing / noise.max(self.width);
            if ratio >= 5.0 {
                return Ok(Levels {
                    low,
                    high,
                    threshold: (low + high) / 2.0,
                    hysteresis: (6.0 * noise).clamp(0.1 * swing, 0.5 * swing),
                    noise_rms: noise,
                });
            }
            best_ratio = f64::max(best_ratio, ratio);
        }
        Err(LevelError::NoLevels {
            reason: format!(
                "the samples do not form two separate levels (best separation {best_ratio:.1} noise sigmas, need 5)"
            ),
        })
    }
}

impl ChannelSink for LevelEstimator {
    fn take<T: Sample>(&mut self, _start: u64, samples: &[T]) {
        self.push(samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schmitt_holds_between_thresholds_across_chunks() {
        let x = [0.0, 1.4, 1.6, 2.1, 1.6, 1.4, 0.9, f64::NAN, 1.6, 2.2];
        let want = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1];
        let mut whole = Vec::new();
        Schmitt::new(1.5, 1.0).unwrap().process(&x, &mut whole);
        assert_eq!(whole, want);
        let mut s = Schmitt::new(1.5, 1.0).unwrap();
        let (mut got, mut part) = (Vec::new(), Vec::new());
        for c in x.chunks(3) {
            s.process(c, &mut part);
            got.extend_from_slice(&part);
        }
        assert_eq!(got, want);
        assert!(Schmitt::new(1.0, -0.1).is_err());
    }

    #[test]
    fn schmitt_block_path_equals_sample_by_sample() {
        // Long runs beyond the thresholds take the block path; the rest the slow one.
        let x: Vec<f32> = (0..1000)
            .map(|i| match (i / 37) % 3 {
                0 => 3.3,
                1 => 0.0,
                _ => 1.6 + 0.4 * ((i % 5) as f32 - 2.0),
            })
            .collect();
        let mut fast = Vec::new();
        Schmitt::new(1.65, 0.5).unwrap().process(&x, &mut fast);
        let mut s = 1u8;
        let slow: Vec<u8> = x
            .iter()
            .map(|&v| {
                let v = f64::from(v);
                s = if v > 1.9 {
                    1
                } else if v < 1.4 {
                    0
                } else {
                    s
                };
                s
            })
            .collect();
        assert_eq!(fast, slow);
    }

    #[test]
    fn level_estimator_ignores_chunking_and_non_finite() {
        let x: Vec<f64> = (0..10_000)
            .map(|i| if i % 10 < 3 { 0.1 } else { 3.2 })
            .chain([f64::NAN, f64::INFINITY])
            .collect();
        let mut whole = LevelEstimator::new();
        whole.push(&x);
        let mut parts = LevelEstimator::new();
        for c in x.chunks(7) {
            parts.push(c);
        }
        let lv = whole.finish().unwrap();
        assert_eq!(parts.finish().unwrap(), lv);
        assert!(
            (lv.low - 0.1).abs() < 0.01 && (lv.high - 3.2).abs() < 0.01,
            "{lv:?}"
        );
        assert!((lv.threshold - 1.65).abs() < 0.01, "{lv:?}");
    }
}
