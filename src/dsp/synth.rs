//! Seeded signal generators for `generate`, the tests and the benchmarks.
//!
//! Every block is computed from its absolute sample index (phases) and its own seed
//! (noise), so a file is the same whatever the block size or the number of threads.

use std::f64::consts::TAU;

/// Samples per generated block; the noise seed grid.
pub const BLOCK: usize = 1 << 16;

/// SplitMix64: seeds the generator and derives one stream per block.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256++: small, fast and statistically sound for test signals.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<f64>,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut s = [0u64; 4];
        for slot in &mut s {
            x = splitmix64(x);
            *slot = x;
        }
        Rng { s, spare: None }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in (0, 1].
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box-Muller, both values used).
    pub fn gaussian(&mut self) -> f64 {
        if let Some(v) = self.spare.take() {
            return v;
        }
        let r = (-2.0 * self.uniform().ln()).sqrt();
        let (s, c) = (TAU * self.uniform()).sin_cos();
        self.spare = Some(r * s);
        r * c
    }
}

/// What to synthesise (uart has its own generator in `dsp::synth_uart`).
#[derive(Debug, Clone, PartialEq)]
pub enum Waveform {
    /// Sum of sines (frequency Hz, amplitude).
    Tones(Vec<(f64, f64)>),
    /// ±amplitude square wave with 50% duty.
    Square { freq: f64, amplitude: f64 },
    /// Only noise.
    Silence,
}

#[derive(Debug, Clone)]
pub struct Synth {
    pub waveform: Waveform,
    pub sample_rate: f64,
    pub noise_rms: f64,
    pub seed: u64,
}

impl Synth {
    /// Fill `out` with samples `start..start + out.len()` of channel `channel`.
    /// Noise is seeded by (seed, start, channel): callers keep a fixed block grid
    /// (`generate` uses [`BLOCK`]) so a file does not depend on how it was split.
    pub fn fill(&self, start: u64, channel: usize, out: &mut [f64]) {
        match &self.waveform {
            Waveform::Tones(tones) => {
                out.fill(0.0);
                for &(f, a) in tones {
                    add_tone(out, start, f / self.sample_rate, a);
                }
            }
            Waveform::Square { freq, amplitude } => {
                let cycles = freq / self.sample_rate;
                for (i, v) in out.iter_mut().enumerate() {
                    let phase = ((start + i as u64) as f64 * cycles).fract();
                    *v = if phase < 0.5 { *amplitude } else { -*amplitude };
                }
            }
            Waveform::Silence => out.fill(0.0),
        }
        if self.noise_rms > 0.0 {
            let mut rng =
                Rng::new(self.seed ^ splitmix64(start) ^ splitmix64(channel as u64 + 0x5EED));
            for v in out.iter_mut() {
                *v += self.noise_rms * rng.gaussian();
            }
        }
    }
}

/// Add `a·sin(2π·cycles·n)` for n = start.. using a rotating phasor, re-anchored exactly
/// every 1024 samples so rounding never accumulates.
fn add_tone(out: &mut [f64], start: u64, cycles: f64, a: f64) {
    const ANCHOR: usize = 1024;
    let (ds, dc) = (TAU * cycles).sin_cos();
    for (k, block) in out.chunks_mut(ANCHOR).enumerate() {
        let n0 = start + (k * ANCHOR) as u64;
        // Reduce the phase in cycles before multiplying by 2π to keep it exact for huge n.
        let phase = (n0 as f64 * cycles).fract() * TAU;
        let (mut s, mut c) = phase.sin_cos();
        for v in block.iter_mut() {
            *v += a * s;
            let s2 = s * dc + c * ds;
            c = c * dc - s * ds;
            s = s2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_matches_direct_sine() {
        let synth = Synth {
            waveform: Waveform::Tones(vec![(1234.5, 0.7)]),
            sample_rate: 48_000.0,
            noise_rms: 0.0,
            seed: 0,
        };
        let mut out = vec![0.0; 5000];
        synth.fill(1_000_000_007, 0, &mut out);
        for (i, v) in out.iter().enumerate() {
            let n = 1_000_000_007u64 + i as u64;
            let want = 0.7 * (TAU * ((n as f64 * (1234.5 / 48_000.0)).fract())).sin();
            // n·f/rate ≈ 2.6e7 cycles carries ~4e-9 cycles of rounding in either formula.
            assert!((v - want).abs() < 5e-8, "sample {i}: {v} vs {want}");
        }
    }

    #[test]
    fn same_samples_whatever_the_block_split() {
        let synth = Synth {
            waveform: Waveform::Tones(vec![(50.0, 1.0)]),
            sample_rate: 1000.0,
            noise_rms: 0.0,
            seed: 3,
        };
        let mut whole = vec![0.0; 3000];
        synth.fill(0, 0, &mut whole);
        let mut parts = vec![0.0; 3000];
        let (a, b) = parts.split_at_mut(1777);
        synth.fill(0, 0, a);
        synth.fill(1777, 0, b);
        for (x, y) in whole.iter().zip(&parts) {
            assert!((x - y).abs() < 1e-12);
        }
    }

    #[test]
    fn noise_has_the_requested_rms_and_is_seeded() {
        let synth = Synth {
            waveform: Waveform::Silence,
            sample_rate: 1.0,
            noise_rms: 0.5,
            seed: 42,
        };
        let mut a = vec![0.0; 200_000];
        synth.fill(0, 0, &mut a);
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        let rms = (a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64).sqrt();
        assert!(mean.abs() < 0.005, "mean {mean}");
        assert!((rms - 0.5).abs() < 0.005, "rms {rms}");
        let mut b = vec![0.0; 200_000];
        synth.fill(0, 0, &mut b);
        assert_eq!(a, b);
        let mut other = vec![0.0; 10];
        synth.fill(0, 1, &mut other);
        assert_ne!(&a[..10], &other[..]);
    }

    #[test]
    fn square_levels() {
        let synth = Synth {
            waveform: Waveform::Square {
                freq: 100.0,
                amplitude: 2.0,
            },
            sample_rate: 1000.0,
            noise_rms: 0.0,
            seed: 0,
        };
        let mut out = vec![0.0; 20];
        synth.fill(0, 0, &mut out);
        assert_eq!(&out[..5], &[2.0; 5]);
        assert_eq!(&out[5..10], &[-2.0; 5]);
        assert_eq!(&out[10..15], &[2.0; 5]);
    }
}
