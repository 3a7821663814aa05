//! Seeded signal generators for `generate`, the tests and the benchmarks.
//!
//! Every block is computed from its absolute sample index (phases) and its own seed
//! (noise), so a file is the same whatever the block size or the number of threads.

use std::f64::consts::TAU;
use std::sync::OnceLock;

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
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut s = [0u64; 4];
        for slot in &mut s {
            x = splitmix64(x);
            *slot = x;
        }
        Rng { s }
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
        // Through i64: the value fits, and x86-64 converts signed integers in one instruction.
        ((self.next_u64() >> 11) as i64 as f64 + 1.0) * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal, by the ziggurat method (Marsaglia & Tsang 2000): one 64-bit draw, a
    /// multiply and a compare for ~99% of the samples, where Box-Muller needed ln, sqrt and
    /// sin_cos per pair. Exact: the rare wedge and tail draws are corrected by rejection.
    pub fn gaussian(&mut self) -> f64 {
        self.normal(ziggurat())
    }

    /// Add `scale` × a standard normal to every value of `out` (the tables looked up once).
    pub fn add_gaussian(&mut self, out: &mut [f64], scale: f64) {
        let z = ziggurat();
        for v in out {
            *v += scale * self.normal(z);
        }
    }

    #[inline(always)]
    fn normal(&mut self, z: &Ziggurat) -> f64 {
        loop {
            let bits = self.next_u64();
            // Low 8 bits pick the strip, the top 53 a signed position across it.
            let i = (bits & 0xff) as usize;
            let u = (bits >> 11) as i64 as f64 * (2.0 / (1u64 << 53) as f64) - 1.0;
            let x = u * z.x[i];
            if x.abs() < z.x[i + 1] {
                return x;
            }
            if i == 0 {
                return self.gaussian_tail(u < 0.0);
            }
            if z.f[i + 1] + (z.f[i] - z.f[i + 1]) * self.uniform() < pdf(x) {
                return x;
            }
        }
    }

    /// A normal sample beyond ±[`ZIG_R`] (Marsaglia 1964).
    #[cold]
    fn gaussian_tail(&mut self, negative: bool) -> f64 {
        loop {
            let x = -self.uniform().ln() / ZIG_R;
            let y = -self.uniform().ln();
            if 2.0 * y >= x * x {
                return if negative { -(ZIG_R + x) } else { ZIG_R + x };
            }
        }
    }
}

/// Where the ziggurat's base strip turns into the unbounded tail (256 strips).
const ZIG_R: f64 = 3.654_152_885_361_009;
/// Area of every strip: `R·pdf(R)` plus the tail's area `√(π/2)·erfc(R/√2)`.
const ZIG_V: f64 = 4.928_673_233_974_658e-3;

/// Unnormalised normal density.
#[inline]
fn pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp()
}

/// Strip edges: strip i spans heights `f[i]..f[i + 1]` and width `x[i]`; x[0] is the base
/// strip's width stretched so that it holds the tail's area too.
struct Ziggurat {
    x: [f64; 257],
    f: [f64; 257],
}

/// Computed once (256 exp/ln calls); every strip has area [`ZIG_V`].
fn ziggurat() -> &'static Ziggurat {
    static TABLES: OnceLock<Ziggurat> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; 257];
        x[0] = ZIG_V / pdf(ZIG_R);
        x[1] = ZIG_R;
        for i in 2..256 {
            x[i] = (-2.0 * (ZIG_V / x[i - 1] + pdf(x[i - 1])).ln()).sqrt();
        }
        Ziggurat { x, f: x.map(pdf) }
    })
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
            rng.add_gaussian(out, self.noise_rms);
        }
    }
}

impl Synth {
    /// Block `block` of the fixed [`BLOCK`] grid (the last one shorter) of a `samples`-long
    /// capture: every channel, interleaved, into `frames`.
    pub fn fill_block(&self, block: u64, samples: u64, channels: usize, frames: &mut Vec<f64>) {
        let start = block * BLOCK as u64;
        let n = samples.saturating_sub(start).min(BLOCK as u64) as usize;
        frames.resize(n * channels, 0.0);
        if channels == 1 {
            self.fill(start, 0, frames);
            return;
        }
        let mut column = vec![0.0; n];
        for ch in 0..channels {
            self.fill(start, ch, &mut column);
            for (i, v) in column.iter().enumerate() {
                frames[i * channels + ch] = *v;
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
    fn ziggurat_strips_have_equal_area() {
        let z = ziggurat();
        assert_eq!(z.x[256], 0.0);
        assert!(z.x.windows(2).all(|w| w[0] > w[1]), "edges must decrease");
        // Base strip (rectangle up to R plus the tail), then every rectangle above it.
        let tail = 0.000_258_032_487_653_901_3 * (std::f64::consts::PI / 2.0).sqrt();
        assert!((ZIG_R * pdf(ZIG_R) + tail - ZIG_V).abs() < 1e-15);
        for i in 1..256 {
            let area = z.x[i] * (z.f[i + 1] - z.f[i]);
            assert!((area - ZIG_V).abs() < 1e-12, "strip {i}: {area}");
        }
    }

    #[test]
    fn gaussian_moments_and_tails_match_the_normal_law() {
        const N: usize = 4_000_000;
        let mut rng = Rng::new(7);
        let (mut s1, mut s2, mut s4) = (0.0, 0.0, 0.0);
        // Counts of |x| > 1, 2, 3, R, 4; expected two-sided tails erfc(t/√2).
        let limits = [1.0, 2.0, 3.0, ZIG_R, 4.0];
        let want = [
            0.317_310_507_862_914_15,
            0.045_500_263_896_358_44,
            0.002_699_796_063_260_191_3,
            0.000_258_032_487_653_901_3,
            0.000_063_342_483_666_239_93,
        ];
        let mut tails = [0usize; 5];
        let mut negative = 0usize;
        for _ in 0..N {
            let x = rng.gaussian();
            s1 += x;
            s2 += x * x;
            s4 += x * x * x * x;
            negative += usize::from(x < 0.0);
            for (t, count) in limits.iter().zip(&mut tails) {
                *count += usize::from(x.abs() > *t);
            }
        }
        let n = N as f64;
        // Tolerances: 5 standard errors (mean 1/√N, variance √(2/N), kurtosis √(96/N)).
        assert!((s1 / n).abs() < 5.0 * (1.0 / n).sqrt(), "mean {}", s1 / n);
        assert!(
            (s2 / n - 1.0).abs() < 5.0 * (2.0 / n).sqrt(),
            "var {}",
            s2 / n
        );
        assert!(
            (s4 / n - 3.0).abs() < 5.0 * (96.0 / n).sqrt(),
            "E[x^4] {}",
            s4 / n
        );
        assert!((negative as f64 / n - 0.5).abs() < 5.0 * (0.25 / n).sqrt());
        for ((count, p), t) in tails.iter().zip(want).zip(limits) {
            let se = (p * (1.0 - p) / n).sqrt();
            let got = *count as f64 / n;
            assert!((got - p).abs() < 5.0 * se, "P(|x| > {t}) = {got}, want {p}");
        }
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
