//! `measure` against known answers: generated waveforms whose every quantity is known in
//! closed form, measured at several chunk sizes.

use super::signals::*;
use tracekit::dsp::levels::Schmitt;
use tracekit::dsp::moments::Accumulator;
use tracekit::dsp::pulse::{LevelMethod, MeasureConfig, Measurement, StateLevels};
use tracekit::dsp::synth::Rng;

/// Chunk sizes every test runs (`usize::MAX`: the whole signal at once).
const CHUNKS: [usize; 5] = [1, 7, 1000, 4096, usize::MAX];

/// Measure at every chunk size; all must agree bit for bit. Returns the whole-signal one.
fn measure_all(
    xs: &[f64],
    lv: &StateLevels,
    config: &MeasureConfig,
) -> (Measurement, Vec<tracekit::dsp::pulse::CycleRecord>) {
    let whole = measure(xs, lv, config, usize::MAX);
    for chunk in CHUNKS {
        let got = measure(xs, lv, config, chunk);
        assert_eq!(
            format!("{:?}", got.0),
            format!("{:?}", whole.0),
            "chunk {chunk}"
        );
        assert_eq!(
            format!("{:?}", got.1),
            format!("{:?}", whole.1),
            "chunk {chunk}"
        );
    }
    whole
}

#[test]
fn square_wave_with_a_non_integer_period() {
    // 37.3 samples per period, 30 % duty, -0.5 V / 2 V, 3-sample linear edges: the straight
    // line through the two samples around each mid crossing is the edge itself, so every
    // instant is exact.
    let (n, period, duty) = (200_000, 37.3, 0.3);
    let edges = square_edges(n, period, duty, 10.25);
    let xs = waveform(n, &edges, Shape::Linear(3.0), -0.5, 2.0);
    let config = MeasureConfig {
        per_cycle: true,
        sample_interval: 1e-6,
        ..MeasureConfig::default()
    };
    let lv = levels(&xs, 4096);
    assert_eq!(lv.method, LevelMethod::Histogram);
    assert!(
        (lv.base + 0.5).abs() <= lv.resolution && (lv.top - 2.0).abs() <= lv.resolution,
        "{lv:?}"
    );
    for levels in [StateLevels::given(-0.5, 2.0), lv] {
        let (m, cycles) = measure_all(&xs, &levels, &config);
        let rising = edges
            .iter()
            .step_by(2)
            .filter(|&&e| e + 1.5 < n as f64)
            .count() as u64;
        assert_eq!(m.rising_edges, rising);
        assert_eq!(m.cycles, rising - 1);
        assert_eq!(cycles.len() as u64, m.cycles);
        let p = m.period.unwrap();
        // instants differ from the true ones by a constant when the levels are off by a
        // fraction of a bin, so the period stays exact
        assert!(rel(p.mean, period * 1e-6) < 1e-12, "{p:?}");
        assert!((p.max - p.min) / p.mean < 1e-12, "{p:?}");
        assert!(rel(m.frequency.unwrap(), 1e6 / period) < 1e-12);
        let tol = if levels.method == LevelMethod::Given {
            1e-10
        } else {
            1e-3
        };
        let d = m.duty.unwrap();
        assert!(
            (d.mean - 100.0 * duty).abs() < tol && d.max - d.min < tol,
            "{d:?}"
        );
        let w = m.positive_width.unwrap();
        assert!(rel(w.mean, duty * period * 1e-6) < tol, "{w:?}");
        for (k, c) in cycles.iter().enumerate() {
            let t = edges[2 * k];
            // the first sample at or after the rising instant
            assert_eq!(c.start, t.ceil() as u64, "cycle {k}");
            if levels.method == LevelMethod::Given {
                assert!(
                    (c.time - t * 1e-6).abs() < 1e-15,
                    "cycle {k}: {} vs {t}",
                    c.time
                );
            }
        }
        // levels and extremes
        assert_eq!((m.min, m.max), (-0.5, 2.0));
        assert!(m.min_at < 20 && m.max_at < 25, "first occurrences: {m:?}");
        assert_eq!(m.peak_to_peak, 2.5);
        assert_eq!(m.nan, 0);
    }
}

#[test]
fn whole_capture_statistics_match_the_moments_oracle() {
    let mut rng = Rng::new(7);
    let edges = square_edges(300_000, 123.4, 0.4, 3.0);
    let mut xs = waveform(300_000, &edges, Shape::Erf(6.0), 0.1, 3.3);
    xs.iter_mut().for_each(|x| *x += 0.01 * rng.gaussian());
    xs[1234] = f64::NAN;
    let lv = levels(&xs, 1000);
    let (m, cycles) = measure_all(
        &xs,
        &lv,
        &MeasureConfig {
            per_cycle: true,
            ..MeasureConfig::default()
        },
    );
    let mut acc = Accumulator::new(0, true);
    acc.push(&xs);
    let want = acc.moments();
    assert!(
        rel(m.mean, want.mean) < 1e-12 && rel(m.rms, want.rms()) < 1e-12,
        "{m:?}"
    );
    assert!(rel(m.std, want.std()) < 1e-10);
    assert_eq!(
        (m.min, m.min_at, m.max, m.max_at),
        (
            want.min,
            want.argmin.unwrap(),
            want.max,
            want.argmax.unwrap()
        )
    );
    assert_eq!((m.samples, m.nan), (300_000, 1));
    // per-cycle mean and RMS against a plain sum over the cycle's samples
    for c in cycles.iter().step_by(97) {
        let end = c.start + (c.period).round() as u64 + 2;
        let next = cycles
            .iter()
            .find(|d| d.start > c.start)
            .map_or(end, |d| d.start);
        let s: Vec<f64> = xs[c.start as usize..next as usize]
            .iter()
            .copied()
            .filter(|x| !x.is_nan())
            .collect();
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        let rms = (s.iter().map(|x| x * x).sum::<f64>() / s.len() as f64).sqrt();
        assert!(
            rel(c.mean, mean) < 1e-12 && rel(c.rms, rms) < 1e-12,
            "cycle {}",
            c.cycle
        );
    }
}

#[test]
fn rise_time_of_erf_edges_within_one_percent() {
    // 10–90 % rise time r at several sampling densities (10..60 samples per edge), with
    // histogram levels; the 20/80 pair gives 2·0.8416σ.
    for r in [10.0, 13.7, 25.0, 60.0] {
        let period = 40.0 * r;
        let n = (period * 60.0) as usize;
        let xs = waveform(
            n,
            &square_edges(n, period, 0.5, 7.3),
            Shape::Erf(r),
            0.0,
            5.0,
        );
        let lv = levels(&xs, 4096);
        let (m, _) = measure_all(&xs, &lv, &MeasureConfig::default());
        let (rise, fall) = (m.rise_time.unwrap(), m.fall_time.unwrap());
        assert!(
            rel(rise.mean, r) < 0.01 && rel(fall.mean, r) < 0.01,
            "r {r}: {rise:?} {fall:?}"
        );
        assert!(
            rel(rise.max, r) < 0.01 && rel(rise.min, r) < 0.01,
            "r {r}: every edge {rise:?}"
        );
        let slew = m.rise_slew.unwrap();
        assert!(rel(slew.mean, 0.8 * 5.0 / r) < 0.01, "{slew:?}");
        let config = MeasureConfig {
            references: [20.0, 50.0, 80.0],
            ..MeasureConfig::default()
        };
        let (m, _) = measure(&xs, &lv, &config, 1000);
        let want = r / ERF_RISE_PER_SIGMA * 2.0 * 0.841_621_233_572_914_3;
        assert!(rel(m.rise_time.unwrap().mean, want) < 0.01, "20/80 r {r}");
    }
}

#[test]
fn rise_time_of_rc_edges_within_one_percent() {
    // 1 - exp(-t/τ): 10–90 % = τ·ln 9
    for tau in [4.6, 10.0, 27.0] {
        let r = tau * 9f64.ln();
        let period = 30.0 * tau;
        let n = (period * 50.0) as usize;
        let xs = waveform(
            n,
            &square_edges(n, period, 0.5, 3.1),
            Shape::Rc(tau),
            1.0,
            3.0,
        );
        let lv = levels(&xs, 4096);
        assert_eq!(lv.method, LevelMethod::Histogram);
        let (m, _) = measure_all(&xs, &lv, &MeasureConfig::default());
        let (rise, fall) = (m.rise_time.unwrap(), m.fall_time.unwrap());
        assert!(
            rel(rise.mean, r) < 0.01 && rel(fall.mean, r) < 0.01,
            "τ {tau}: {rise:?} {fall:?}"
        );
    }
}

#[test]
fn overshoot_and_undershoot_of_a_second_order_step() {
    // ζ = 0.3: overshoot exp(-πζ/√(1-ζ²)) = 37.23 %; the first dip after it, below the top
    // (and below the 90 % reference, so it tests the region's re-entry), is its square.
    let zeta: f64 = 0.3;
    let os = 100.0 * (-std::f64::consts::PI * zeta / (1.0 - zeta * zeta).sqrt()).exp();
    let us = os * os / 100.0;
    let n = 400_000;
    let xs = waveform(
        n,
        &square_edges(n, 2000.3, 0.5, 11.0),
        Shape::SecondOrder { zeta, ring: 40.0 },
        0.0,
        1.0,
    );
    let lv = levels(&xs, 4096);
    assert!(
        lv.base.abs() < 1e-3 && (lv.top - 1.0).abs() < 1e-3,
        "{lv:?}"
    );
    let config = MeasureConfig {
        per_cycle: true,
        ..MeasureConfig::default()
    };
    let (m, cycles) = measure_all(&xs, &lv, &config);
    // the true extremes (1 + os, 1 - us; -os, us) against the levels found
    let pct = |v: f64| 100.0 * v / (lv.top - lv.base);
    let (os_r, us_r) = (
        pct(1.0 + os / 100.0 - lv.top),
        pct(lv.top - 1.0 + us / 100.0),
    );
    let (os_f, us_f) = (pct(lv.base + os / 100.0), pct(us / 100.0 - lv.base));
    // sampling a peak 40 samples wide misses it by at most ½·y''·0.5² ≈ 0.12 % of A
    for (name, s, want) in [
        ("rise overshoot", m.rise_overshoot, os_r),
        ("fall overshoot", m.fall_overshoot, os_f),
        ("rise undershoot", m.rise_undershoot, us_r),
        ("fall undershoot", m.fall_undershoot, us_f),
        // whole-state regions: an edge's preshoot is the previous state's excursion
        ("fall preshoot", m.fall_preshoot, os_r),
    ] {
        let s = s.unwrap_or_else(|| panic!("{name} measured"));
        assert!(
            s.max <= want + 1e-9 && s.min > want - 0.15,
            "{name}: {s:?} vs {want}"
        );
    }
    // the first rise follows the flat start of the capture: no preshoot there
    assert_eq!(cycles[0].rise_preshoot, Some(pct(lv.base)));
    for c in &cycles[1..] {
        let p = c.rise_preshoot.unwrap();
        assert!(
            p <= os_f + 1e-9 && p > os_f - 0.15,
            "cycle {}: {p}",
            c.cycle
        );
    }
    assert!(
        (os_r - os).abs() < 0.2 && (us_r - us).abs() < 0.2,
        "levels close to 0 and 1"
    );
}

#[test]
fn aberrations_of_a_built_waveform_are_exact() {
    // 100-sample cycles: low, a -0.1 dip before the rise, 0.5, an overshoot to 1.05, top,
    // then 0.5 and a -0.03 undershoot of the fall. Levels 0 and 1 given.
    let cycle: Vec<f64> = (0..100)
        .map(|i| match i {
            40 => -0.1,
            42 => 0.5,
            43 => 1.05,
            44..90 => 1.0,
            90 => 0.5,
            91 => -0.03,
            _ => 0.0,
        })
        .collect();
    let xs: Vec<f64> = cycle.iter().cycle().take(100 * 500).copied().collect();
    let (m, cycles) = measure_all(
        &xs,
        &StateLevels::given(0.0, 1.0),
        &MeasureConfig {
            per_cycle: true,
            ..MeasureConfig::default()
        },
    );
    let exact = |s: Option<tracekit::dsp::pulse::Summary>, want: f64| {
        let s = s.unwrap();
        assert!(
            (s.min - want).abs() < 1e-12 && (s.max - want).abs() < 1e-12,
            "{s:?} vs {want}"
        );
    };
    exact(m.rise_overshoot, 5.0);
    exact(m.rise_undershoot, 0.0);
    exact(m.rise_preshoot, 10.0);
    exact(m.fall_overshoot, 10.0);
    exact(m.fall_undershoot, 0.0);
    exact(m.fall_preshoot, 5.0);
    // rise: 10 % at 41.2, 90 % at 42 + 0.4/0.55; fall: 90 % at 89.2 (1 → 0.5), 10 % at
    // 90 + 0.4/0.53
    exact(m.rise_time, 1.0 - 0.2 + 0.4 / 0.55);
    exact(m.fall_time, 0.8 + 0.4 / 0.53);
    exact(m.period, 100.0);
    exact(m.positive_width, 90.0 - 42.0);
    assert_eq!(cycles[3].start, 342);
}

#[test]
fn jitter_of_a_clock_with_gaussian_edges() {
    // σ = 0.2 samples on every edge of a 50.37-sample clock, 4-sample linear edges (exact
    // instants): TIE rms → σ, period jitter → σ√2, cycle-to-cycle → σ√6.
    let (cycles, period, sigma) = (20_000, 50.37, 0.2);
    let edges = jittered_edges(cycles, period, sigma, 42);
    let n = (edges[edges.len() - 1] + 30.0) as usize;
    let xs = waveform(n, &edges, Shape::Linear(4.0), 0.0, 1.0);
    let config = MeasureConfig {
        sample_interval: 1e-9,
        ..MeasureConfig::default()
    };
    let (m, _) = measure_all(&xs, &StateLevels::given(0.0, 1.0), &config);
    let j = m.jitter.unwrap();
    let tie = j.tie.unwrap();
    assert!(rel(tie.rms, sigma * 1e-9) < 0.05, "{tie:?}");
    assert!(
        rel(j.period.rms, sigma * 2f64.sqrt() * 1e-9) < 0.05,
        "{j:?}"
    );
    assert!(
        rel(j.cycle_to_cycle.unwrap().rms, sigma * 6f64.sqrt() * 1e-9) < 0.05,
        "{j:?}"
    );
    // against the least-squares fit of the true rising instants (the oracle)
    let rising: Vec<f64> = edges.iter().step_by(2).copied().collect();
    let k: Vec<f64> = (0..rising.len()).map(|k| k as f64).collect();
    let (km, tm) = (
        k.iter().sum::<f64>() / k.len() as f64,
        rising.iter().sum::<f64>() / k.len() as f64,
    );
    let sxx: f64 = k.iter().map(|x| (x - km).powi(2)).sum();
    let b = k
        .iter()
        .zip(&rising)
        .map(|(x, t)| (x - km) * (t - tm))
        .sum::<f64>()
        / sxx;
    let r: Vec<f64> = k
        .iter()
        .zip(&rising)
        .map(|(x, t)| t - tm - b * (x - km))
        .collect();
    let rms = (r.iter().map(|e| e * e).sum::<f64>() / r.len() as f64).sqrt();
    let max = r.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let min = r.iter().cloned().fold(f64::INFINITY, f64::min);
    assert_eq!(tie.edges as usize, rising.len());
    assert!(
        rel(tie.rms, rms * 1e-9) < 1e-9,
        "{} vs {}",
        tie.rms,
        rms * 1e-9
    );
    // both sides carry the rounding of times near 1e6 samples (1e-10) through a slope
    // fitted over 20 000 edges: they agree to ~1e-9 samples at the far end
    assert!(
        rel(tie.peak_to_peak.unwrap(), (max - min) * 1e-9) < 1e-8,
        "{tie:?} vs {max} {min}"
    );
    assert!(rel(tie.clock.period, b * 1e-9) < 1e-12, "{tie:?}");
    let at = r.iter().position(|&e| e == max).unwrap();
    assert_eq!(tie.max.unwrap().1, rising[at].ceil() as u64);
    // against a given ideal clock (the fitted one): the same figures
    let given = MeasureConfig {
        clock: Some(tie.clock),
        ..config
    };
    let (g, _) = measure(&xs, &StateLevels::given(0.0, 1.0), &given, 4096);
    let gt = g.jitter.unwrap().tie.unwrap();
    assert!(
        !gt.fitted
            && rel(gt.rms, tie.rms) < 1e-6
            && rel(gt.peak_to_peak.unwrap(), tie.peak_to_peak.unwrap()) < 1e-6,
        "{gt:?}"
    );
}

#[test]
fn edges_match_a_plain_schmitt_reference_on_noisy_data() {
    // The oracle: the shared Schmitt over the whole signal, then for each switch the last
    // mid crossing before it, found by scanning back, interpolated between its two samples.
    let mut rng = Rng::new(9);
    let edges = square_edges(100_000, 97.7, 0.45, 5.0);
    let mut xs = waveform(100_000, &edges, Shape::Erf(8.0), 0.0, 1.0);
    xs.iter_mut().for_each(|x| *x += 0.08 * rng.gaussian());
    let lv = StateLevels::given(0.0, 1.0);
    let config = MeasureConfig {
        hysteresis: Some(0.4),
        per_cycle: true,
        ..MeasureConfig::default()
    };
    let (m, cycles) = measure_all(&xs, &lv, &config);
    let mut state = Vec::new();
    Schmitt::new(0.5, 0.4).unwrap().process(&xs, &mut state);
    let mut rising = Vec::new();
    let mut falling = Vec::new();
    for i in 1..xs.len() {
        if state[i] != state[i - 1] {
            let up = state[i] == 1;
            let below = |x: f64| if up { x < 0.5 } else { x >= 0.5 };
            let j = (0..i).rev().find(|&j| below(xs[j])).unwrap();
            let t = j as f64 + (0.5 - xs[j]) / (xs[j + 1] - xs[j]);
            if up { rising.push(t) } else { falling.push(t) }
        }
    }
    assert_eq!(
        (m.rising_edges, m.falling_edges),
        (rising.len() as u64, falling.len() as u64)
    );
    assert_eq!(m.rising_edges, 1024, "no false edges from the noise");
    for (k, c) in cycles.iter().enumerate() {
        let r = rising.partition_point(|&t| t < c.time - 1e-6);
        assert!((c.time - rising[r]).abs() < 1e-9, "cycle {k}");
        assert!(
            (c.period - (rising[r + 1] - rising[r])).abs() < 1e-9,
            "cycle {k}"
        );
        let f = falling.partition_point(|&t| t < c.time);
        assert!(
            (c.positive_width - (falling[f] - rising[r])).abs() < 1e-9,
            "cycle {k}"
        );
    }
}

#[test]
fn nan_first_sample_and_gaps() {
    // starts high after a NaN: the Schmitt starts low (NaN ≥ threshold is false) and
    // switches at sample 1 without a crossing: no edge
    let edges = square_edges(10_000, 100.0, 0.5, -40.5);
    let mut xs = waveform(10_000, &edges, Shape::Linear(2.0), 0.0, 1.0);
    assert_eq!(xs[1], 1.0);
    xs[0] = f64::NAN;
    for i in (5000..5100).step_by(7) {
        xs[i] = f64::NAN;
    }
    let (m, _) = measure_all(
        &xs,
        &StateLevels::given(0.0, 1.0),
        &MeasureConfig::default(),
    );
    assert_eq!(m.nan, 1 + 15);
    assert_eq!((m.rising_edges, m.falling_edges), (100, 100));
    assert!(rel(m.period.unwrap().mean, 100.0) < 1e-12);
}

#[test]
fn bad_settings_are_refused_with_their_values() {
    use tracekit::dsp::pulse::{Measurer, PulseError};
    let lv = StateLevels::given(0.0, 1.0);
    let bad = |c: MeasureConfig| Measurer::new(&lv, &c).unwrap_err();
    let e = bad(MeasureConfig {
        references: [10.0, 90.0, 50.0],
        ..MeasureConfig::default()
    });
    assert!(matches!(e, PulseError::References { .. }), "{e}");
    assert!(e.to_string().contains("10/90/50"), "{e}");
    let e = bad(MeasureConfig {
        threshold: Some(0.95),
        ..MeasureConfig::default()
    });
    assert!(e.to_string().contains("0.95"), "{e}");
    let e = bad(MeasureConfig {
        hysteresis: Some(0.9),
        ..MeasureConfig::default()
    });
    assert!(matches!(e, PulseError::Hysteresis { .. }), "{e}");
    let e = Measurer::new(&StateLevels::given(1.0, 1.0), &MeasureConfig::default()).unwrap_err();
    assert!(matches!(e, PulseError::Levels { .. }), "{e}");
}

#[test]
fn sample_types_and_origin_give_the_same_measurement() {
    // the same values as f64, f32 (AVX2 kernel) and i16 (portable kernel): the same bits
    let edges = square_edges(100_000, 312.5, 0.25, 17.0);
    let xs: Vec<f64> = waveform(100_000, &edges, Shape::Ramp(8.0), -100.0, 900.0)
        .iter()
        .map(|v| v.round())
        .collect();
    let lv = StateLevels::given(-100.0, 900.0);
    let config = MeasureConfig {
        per_cycle: true,
        ..MeasureConfig::default()
    };
    let want = measure(&xs, &lv, &config, 1000);
    let run = |feed: &dyn Fn(&mut tracekit::dsp::pulse::Measurer)| {
        let mut m = tracekit::dsp::pulse::Measurer::new(&lv, &config).unwrap();
        feed(&mut m);
        m.finish()
    };
    let f32s: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
    let i16s: Vec<i16> = xs.iter().map(|&v| v as i16).collect();
    let as_f32 = run(&|m| f32s.chunks(1000).for_each(|c| m.push(c)));
    let as_i16 = run(&|m| i16s.chunks(1000).for_each(|c| m.push(c)));
    assert_eq!(format!("{as_f32:?}"), format!("{want:?}"));
    assert_eq!(format!("{as_i16:?}"), format!("{want:?}"));
    // through the sink interface with the first sample numbered 5000
    use tracekit::sample::sink::ChannelSink;
    let (shifted, cycles) = run(&|m| {
        for (k, c) in xs.chunks(999).enumerate() {
            m.take(5000 + (k * 999) as u64, c);
        }
    });
    assert_eq!(cycles[0].start, want.1[0].start + 5000);
    assert_eq!(shifted.max_at, want.0.max_at + 5000);
    assert_eq!(
        shifted.period,
        want.0.period.map(|p| tracekit::dsp::pulse::Summary {
            min_at: p.min_at + 5000,
            max_at: p.max_at + 5000,
            ..p
        })
    );
}
