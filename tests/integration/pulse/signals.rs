//! Test signals with known answers, and helpers that feed them in chunks.

use std::f64::consts::PI;
use tracekit::dsp::pulse::{
    CycleRecord, Event, FindConfig, Finder, MeasureConfig, Measurement, Measurer,
    StateLevelEstimator, StateLevels,
};
use tracekit::dsp::synth::Rng;

/// The unit step response of an edge: 0 long before, 1 long after.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A straight ramp over this many samples, centred on the edge time.
    Linear(f64),
    /// A straight ramp over this many samples, starting at the edge time.
    Ramp(f64),
    /// Gaussian edge (an error function) whose 10–90 % rise time is this many samples,
    /// centred on the edge time.
    Erf(f64),
    /// RC charge starting at the edge time: 1 - exp(-t/τ), τ in samples.
    Rc(f64),
    /// Second-order step response (damping ζ, ringing period in samples) from the edge time.
    SecondOrder { zeta: f64, ring: f64 },
}

/// erf to 1e-15 (Abramowitz–Stegun 7.1.26 is too coarse for 1 % rise times; this is the
/// series / continued fraction pair).
fn erf(x: f64) -> f64 {
    if x < 0.0 {
        return -erf(-x);
    }
    if x < 2.5 {
        // Taylor series: 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-17 * sum.abs() {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        2.0 / PI.sqrt() * sum
    } else {
        // continued fraction for erfc
        let mut f = 0.0;
        for k in (1..60).rev() {
            f = k as f64 / 2.0 / (x + f);
        }
        1.0 - (-x * x).exp() / PI.sqrt() / (x + f)
    }
}

/// Φ(t/σ): the standard normal CDF.
fn phi(z: f64) -> f64 {
    0.5 * (1.0 + erf(z / 2f64.sqrt()))
}

/// 10–90 % rise time of an erf edge of standard deviation σ: 2·1.2815515655446004·σ.
pub const ERF_RISE_PER_SIGMA: f64 = 2.0 * 1.281_551_565_544_600_4;

impl Shape {
    fn step(self, t: f64) -> f64 {
        match self {
            Shape::Linear(w) => (t / w + 0.5).clamp(0.0, 1.0),
            Shape::Ramp(w) => (t / w).clamp(0.0, 1.0),
            Shape::Erf(r) => phi(t / (r / ERF_RISE_PER_SIGMA)),
            Shape::Rc(tau) => {
                if t <= 0.0 {
                    0.0
                } else {
                    1.0 - (-t / tau).exp()
                }
            }
            Shape::SecondOrder { zeta, ring } => {
                if t <= 0.0 {
                    return 0.0;
                }
                let wd = 2.0 * PI / ring;
                let wn = wd / (1.0 - zeta * zeta).sqrt();
                let s = zeta / (1.0 - zeta * zeta).sqrt();
                1.0 - (-zeta * wn * t).exp() * ((wd * t).cos() + s * (wd * t).sin())
            }
        }
    }

    /// Half the span outside which the step is 0 or 1 to 1e-16.
    fn reach(self) -> f64 {
        match self {
            Shape::Linear(w) | Shape::Ramp(w) => w + 1.0,
            Shape::Erf(r) => 9.0 * r / ERF_RISE_PER_SIGMA,
            Shape::Rc(tau) => 40.0 * tau,
            Shape::SecondOrder { zeta, ring } => {
                let wn = 2.0 * PI / ring / (1.0 - zeta * zeta).sqrt();
                40.0 / (zeta * wn)
            }
        }
    }
}

/// `n` samples of a waveform that starts at `base` and has alternating rising/falling
/// edges at `edges` (sorted, in samples), each of the given shape: the linear superposition
/// of the steps (exact for a linear system, so settled states sit exactly on the levels).
pub fn waveform(n: usize, edges: &[f64], shape: Shape, base: f64, top: f64) -> Vec<f64> {
    let reach = shape.reach();
    let mut out = Vec::with_capacity(n);
    let mut first = 0; // edges before `first` are long over
    for i in 0..n {
        let t = i as f64;
        while first < edges.len() && edges[first] < t - reach {
            first += 1;
        }
        // settled contribution of the edges long over: 1 when an odd number of them
        let mut s = if first % 2 == 1 { 1.0 } else { 0.0 };
        for (k, &e) in edges.iter().enumerate().skip(first) {
            if e > t + reach {
                break;
            }
            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
            s += sign * shape.step(t - e);
        }
        out.push(base + (top - base) * s);
    }
    out
}

/// Edge times of a periodic wave: rising at phase + k·period, falling `duty` later.
pub fn square_edges(n: usize, period: f64, duty: f64, phase: f64) -> Vec<f64> {
    let mut edges = Vec::new();
    let mut k = 0.0;
    while phase + k * period < n as f64 {
        edges.push(phase + k * period);
        edges.push(phase + k * period + duty * period);
        k += 1.0;
    }
    edges
}

/// Rising and falling edges of a clock, each moved by an independent N(0, σ²) jitter.
pub fn jittered_edges(cycles: usize, period: f64, sigma: f64, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..2 * cycles)
        .map(|k| 20.0 + k as f64 * period / 2.0 + sigma * rng.gaussian())
        .collect()
}

/// The first pass: state levels, fed in `chunk`-sample pieces.
pub fn levels(xs: &[f64], chunk: usize) -> StateLevels {
    let mut e = StateLevelEstimator::new();
    xs.chunks(chunk.max(1)).for_each(|c| e.push(c));
    e.finish().expect("levels")
}

/// The second pass in `chunk`-sample pieces, draining cycle records after every piece.
pub fn measure(
    xs: &[f64],
    levels: &StateLevels,
    config: &MeasureConfig,
    chunk: usize,
) -> (Measurement, Vec<CycleRecord>) {
    let mut m = Measurer::new(levels, config).expect("valid config");
    let mut records = Vec::new();
    for c in xs.chunks(chunk.max(1)) {
        m.push(c);
        records.extend(m.drain_cycles());
    }
    let (out, rest) = m.finish();
    records.extend(rest);
    (out, records)
}

/// Events in `chunk`-sample pieces, drained after every piece.
pub fn find(xs: &[f64], config: &FindConfig, chunk: usize) -> (Vec<Event>, Vec<u64>) {
    let mut f = Finder::new(config).expect("valid config");
    let mut events = Vec::new();
    for c in xs.chunks(chunk.max(1)) {
        f.push(c);
        events.extend(f.drain_events());
    }
    let (rest, counts) = f.finish();
    events.extend(rest);
    (events, counts)
}

/// Relative difference.
pub fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}
