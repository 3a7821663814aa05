//! Issue 17 (speed): the walk split into regions on every core gives exactly the serial
//! walk's results, whatever the number of regions, the chunking, and where an edge, a
//! glitch or a runt falls relative to a region boundary.

use super::{Condition, Event, FindConfig, Finder, MeasureConfig, Measurer, Slope, StateLevels};
use crate::dsp::synth::Rng;

/// Samples of the test signals: 64 blocks, so 4 regions start at samples 1024, 2048, 3072.
const N: usize = 4096;

/// Low 0 / high 1 with ±0.03 noise: a rising edge whose first high sample is 1024 + d, a
/// falling one at 1800, a positive glitch on samples 2048 + d and 2049 + d, and a positive
/// runt (0.5: above the runt's low threshold, below its high one) on 3072 + d ..= 3074 + d.
fn signal(d: i64) -> Vec<f64> {
    let mut rng = Rng::new(17);
    let at = |b: i64| (b + d) as usize;
    (0..N)
        .map(|i| {
            let base = if (at(1024)..1800).contains(&i) || (at(2048)..at(2050)).contains(&i) {
                1.0
            } else if (at(3072)..at(3075)).contains(&i) {
                0.5
            } else {
                0.0
            };
            base + 0.01 * rng.gaussian().clamp(-3.0, 3.0)
        })
        .collect()
}

fn finder(regions: usize) -> Finder {
    let mut f = Finder::new(&FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1.0,
        conditions: vec![
            Condition::Edge(Slope::Either),
            Condition::Glitch(5.0),
            Condition::Runt {
                low: 0.3,
                high: 0.7,
            },
        ],
    })
    .unwrap();
    f.set_regions(regions, 1);
    f
}

fn find(xs: &[f64], regions: usize, chunk: usize) -> Vec<Event> {
    let mut f = finder(regions);
    let mut out = Vec::new();
    for c in xs.chunks(chunk) {
        f.push(c);
        out.extend(f.drain_events());
    }
    let (rest, _) = f.finish();
    out.extend(rest);
    out
}

#[test]
fn issue_17_seams_edge_glitch_runt_on_region_boundaries() {
    for d in [-1i64, 0, 1] {
        let xs = signal(d);
        let serial = find(&xs, 1, N);
        let got: Vec<(&str, u64)> = serial.iter().map(|e| (e.kind.name(), e.sample)).collect();
        let s = |b: i64| (b + d) as u64;
        assert_eq!(
            got,
            [
                ("rising", s(1024)),
                ("falling", 1800),
                ("rising", s(2048)),
                ("positive-glitch", s(2048)),
                ("falling", s(2050)),
                ("positive-runt", s(3072)),
            ],
            "d = {d}"
        );
        let widths: Vec<Option<f64>> = serial.iter().skip(3).map(|e| e.width).collect();
        assert!((widths[0].unwrap() - 2.0).abs() < 0.1, "{widths:?}");
        assert!((widths[2].unwrap() - 3.0).abs() < 0.5, "{widths:?}");
        // 4 regions: boundaries at 1024, 2048 and 3072 exactly; the others elsewhere.
        for regions in [2, 3, 4, 5, 7, 64] {
            for chunk in [N, 1000, 129, 7] {
                assert_eq!(
                    find(&xs, regions, chunk),
                    serial,
                    "d = {d}, {regions} regions, chunk {chunk}"
                );
            }
        }
    }
}

/// A glitch and a runt whose samples straddle a boundary, NaN on and next to it, and a NaN
/// start (walked on one thread until the first finite sample).
#[test]
fn issue_17_seams_nan_and_straddling_pulses() {
    let mut xs = signal(0);
    xs[2047] = 1.0;
    xs[3071] = 0.5;
    xs[1023] = f64::NAN;
    xs[1024] = f64::NAN;
    xs[3072] = f64::NAN;
    let serial = find(&xs, 1, N);
    for regions in [2, 4, 5, 64] {
        for chunk in [N, 1000, 7] {
            assert_eq!(find(&xs, regions, chunk), serial, "{regions} regions");
        }
    }
    let mut ys = xs.clone();
    ys[..1500].fill(f64::NAN);
    let serial = find(&ys, 1, N);
    assert_eq!(serial[0].sample, 1800);
    for regions in [2, 4, 64] {
        assert_eq!(find(&ys, regions, N), serial, "{regions} regions");
    }
}

fn measure(xs: &[f64], regions: usize, chunk: usize) -> String {
    let config = MeasureConfig {
        per_cycle: true,
        ..MeasureConfig::default()
    };
    let mut m = Measurer::new(&StateLevels::given(0.0, 1.0), &config).unwrap();
    m.set_regions(regions, 1);
    let mut cycles = Vec::new();
    for c in xs.chunks(chunk) {
        m.push(c);
        cycles.extend(m.drain_cycles());
    }
    let (measurement, rest) = m.finish();
    cycles.extend(rest);
    format!("{measurement:?}\n{cycles:?}")
}

/// Every figure of `measure` (sums, extremes and their positions, jitter, per-cycle
/// records) is the serial walk's to the bit: a noisy square wave of 97.3 samples per period
/// with slow edges, NaN here and there.
#[test]
fn issue_17_seams_measure_is_the_serial_walk() {
    let mut rng = Rng::new(5);
    let period = 97.3;
    let xs: Vec<f64> = (0..40_000)
        .map(|i| {
            if i % 1013 == 7 {
                return f64::NAN;
            }
            let phase = (i as f64 / period).fract();
            let ramp = |p: f64| (p / 0.05).clamp(0.0, 1.0);
            let x = if phase < 0.4 {
                ramp(phase)
            } else {
                1.0 - ramp(phase - 0.4)
            };
            1.5 * x - 0.2 + 0.02 * rng.gaussian()
        })
        .collect();
    let serial = measure(&xs, 1, xs.len());
    assert!(serial.contains("rising_edges: 412, falling_edges: 411, cycles: 411,"));
    for regions in [2, 3, 4, 9, 64] {
        for chunk in [xs.len(), 4096, 1000, 7] {
            assert_eq!(
                measure(&xs, regions, chunk),
                serial,
                "{regions} regions, chunk {chunk}"
            );
        }
    }
}
