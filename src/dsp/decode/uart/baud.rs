//! `--baud auto`: the bit time measured from the widths of constant-level runs.

use super::config::UartError;
use crate::dsp::line::LevelSink;
use crate::sample::sink::SinkError;
use memchr::memchr;
use serde::Serialize;
use std::collections::BTreeMap;

/// Common UART rates, for snapping a measured rate.
pub const STANDARD_BAUDS: [u32; 35] = [
    300, 600, 1200, 1800, 2400, 4800, 7200, 9600, 14400, 19200, 28800, 31250, 38400, 56000, 57600,
    74880, 76800, 115200, 128000, 153600, 230400, 250000, 256000, 460800, 500000, 576000, 921600,
    1_000_000, 1_152_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000,
];

/// A standard rate is used when the measurement is within this fraction of it.
pub const SNAP_TOLERANCE: f64 = 0.02;

/// The measured bit time and the rate chosen from it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BaudEstimate {
    pub bit_samples: f64,
    pub measured: f64,
    pub nearest_standard: u32,
    /// `nearest_standard` if within [`SNAP_TOLERANCE`], else `measured`.
    pub baud: f64,
}

/// The standard rate closest to `measured` on a log scale (a factor off either way
/// counts the same).
pub fn nearest_standard_baud(measured: f64) -> u32 {
    let rel = |b: u32| (measured / f64::from(b)).ln().abs();
    STANDARD_BAUDS.into_iter().fold(
        STANDARD_BAUDS[0],
        |best, b| if rel(b) < rel(best) { b } else { best },
    )
}

/// Fits run width = offset + k·bit over the runs within 25% of a whole number
/// (1..=max_bits) of bits under the model `(offset, bit)`, and returns the refined model. The offset
/// absorbs edge asymmetry and sampling delay, which would otherwise bias a short bit time
/// by several percent; idle gaps are rarely that close to a whole number of bits.
fn fit_bit_time(widths: &[(u64, u64)], (offset, bit): (f64, f64), max_bits: f64) -> (f64, f64) {
    let (mut n, mut sk, mut sw, mut skk, mut skw) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(w, c) in widths {
        let (w, c) = (w as f64, c as f64);
        let k = ((w - offset) / bit).round();
        if (1.0..=max_bits).contains(&k) && (w - offset - k * bit).abs() <= 0.25 * bit {
            n += c;
            sk += c * k;
            sw += c * w;
            skk += c * k * k;
            skw += c * k * w;
        }
    }
    let spread = n * skk - sk * sk;
    if spread > 0.0 {
        let slope = (n * skw - sk * sw) / spread;
        let intercept = (sw - slope * sk) / n;
        if slope > 0.0 && intercept.abs() < slope / 2.0 {
            return (intercept, slope);
        }
    }
    // One bit count only (or a wild fit): no offset can be told apart.
    if sk > 0.0 {
        (0.0, sw / sk)
    } else {
        (offset, bit)
    }
}

/// Run lengths up to this are counted in a flat table; longer ones in a map.
const SHORT_RUNS: usize = 4096;

/// One-pass bit-time estimator from the widths of constant-level runs.
///
/// The bit time is the centre of the shortest cluster of run widths that holds a fair
/// share of all runs (so isolated glitches do not count), refined by fitting every run of
/// up to 12 bits as an integer multiple of it.
#[derive(Debug, Clone)]
pub struct BaudEstimator {
    short: Vec<u64>,
    long: BTreeMap<u64, u64>,
    pos: u64,
    level: Option<u8>,
    /// Start of the current run, once an edge has been seen (runs before it are partial).
    run_start: Option<u64>,
    runs: u64,
}

impl Default for BaudEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl BaudEstimator {
    pub fn new() -> Self {
        Self {
            short: vec![0; SHORT_RUNS],
            long: BTreeMap::new(),
            pos: 0,
            level: None,
            run_start: None,
            runs: 0,
        }
    }

    /// Adds a chunk of levels (0 or 1).
    pub fn push(&mut self, levels: &[u8]) {
        let Some(&first) = levels.first() else {
            return;
        };
        let base = self.pos;
        let mut i = 0;
        let mut level = *self.level.get_or_insert(first);
        while let Some(j) = memchr(1 - level, &levels[i..]) {
            i += j;
            let edge = base + i as u64;
            if let Some(start) = self.run_start {
                self.record(edge - start);
            }
            self.run_start = Some(edge);
            level = 1 - level;
        }
        self.level = Some(level);
        self.pos = base + levels.len() as u64;
    }

    fn record(&mut self, width: u64) {
        self.runs += 1;
        match self.short.get_mut(width as usize) {
            Some(c) => *c += 1,
            None => *self.long.entry(width).or_insert(0) += 1,
        }
    }

    fn widths(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let short = self
            .short
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(w, c)| (w as u64, *c));
        short.chain(self.long.iter().map(|(w, c)| (*w, *c)))
    }

    pub fn finish(&self, sample_rate: f64) -> Result<BaudEstimate, UartError> {
        if !(sample_rate.is_finite() && sample_rate > 0.0) {
            return Err(UartError::SampleRate { got: sample_rate });
        }
        let needed = (self.runs / 30).max(2);
        let widths: Vec<(u64, u64)> = self.widths().collect();
        let count_in = |from: usize, limit: f64| {
            let members = widths[from..]
                .iter()
                .take_while(|(x, _)| *x as f64 <= limit);
            members.fold((0u64, 0u64), |(n, s), &(x, c)| (n + c, s + x * c))
        };
        // The shortest width that is common by itself (one-sample quantization spreads a
        // bit over two neighbouring widths), then the mean of the runs just above it.
        let cluster = widths.iter().enumerate().find_map(|(i, &(w, _))| {
            let narrow = count_in(i, w as f64 + (0.05 * w as f64).max(1.0)).0;
            (narrow >= needed).then(|| {
                let (n, sum) = count_in(i, w as f64 * 1.3 + 2.0);
                sum as f64 / n as f64
            })
        });
        let Some(shortest) = cluster else {
            return Err(UartError::NoBaud {
                reason: format!(
                    "{} edge-to-edge pulses, no group of {needed} similar short ones",
                    self.runs
                ),
            });
        };
        // Refine: the slope over all runs of up to 10 bits beats one-sample quantization.
        // Short runs first: a few percent of error in the first guess would misnumber long
        // runs (and let idle gaps of n + 1/2 bits in).
        let mut model = (0.0, shortest);
        for max_bits in [3.0, 6.0, 10.0, 10.0] {
            model = fit_bit_time(&widths, model, max_bits);
        }
        let bit = model.1;
        let measured = sample_rate / bit;
        let nearest = nearest_standard_baud(measured);
        let snap = (measured / f64::from(nearest) - 1.0).abs() <= SNAP_TOLERANCE;
        Ok(BaudEstimate {
            bit_samples: bit,
            measured,
            nearest_standard: nearest,
            baud: if snap { f64::from(nearest) } else { measured },
        })
    }
}

impl LevelSink for BaudEstimator {
    fn levels(&mut self, _start: u64, signals: &[&[u8]]) -> Result<(), SinkError> {
        if let Some(line) = signals.first() {
            self.push(line);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_rates() {
        assert_eq!(nearest_standard_baud(115_900.0), 115_200);
        assert_eq!(nearest_standard_baud(10_690.0), 9600);
        assert_eq!(nearest_standard_baud(3_300.0), 2400);
        assert_eq!(nearest_standard_baud(5e6), 4_000_000);
    }
}
