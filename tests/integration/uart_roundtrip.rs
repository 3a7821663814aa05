//! Generator → decoder round trips: every framing option, 3..1000 samples per bit, baud
//! error, inverted lines, noise, breaks and injected errors; chunking never matters. Also
//! the generator itself: streaming, deterministic, exact lengths.
use crate::uart_util::*;
use tracekit::dsp::decode::uart::{
    BaudEstimator, FrameError, Parity, StopBits, UartConfig, UartEvent,
};
use tracekit::dsp::levels::{LevelEstimator, Schmitt};
use tracekit::dsp::synth::Rng;
use tracekit::dsp::synth_uart::{UartSynth, UartSynthConfig};

fn logic(cfg: UartSynthConfig, message: Vec<u16>) -> Vec<u8> {
    let mut synth = UartSynth::new(cfg, message).unwrap();
    let mut out = vec![0; synth.total_samples() as usize];
    assert_eq!(synth.fill_logic(&mut out), out.len());
    assert_eq!(synth.fill_logic(&mut [0; 8]), 0, "source is exhausted");
    out
}

fn analog(cfg: UartSynthConfig, message: Vec<u16>) -> Vec<f32> {
    let mut synth = UartSynth::new(cfg, message).unwrap();
    let mut out = vec![0.0; synth.total_samples() as usize];
    assert_eq!(synth.fill_analog(&mut out), out.len());
    out
}

fn all_framings() -> Vec<UartConfig> {
    let mut v = Vec::new();
    for data_bits in 5..=9 {
        for parity in [
            Parity::None,
            Parity::Odd,
            Parity::Even,
            Parity::Mark,
            Parity::Space,
        ] {
            for stop_bits in [StopBits::One, StopBits::OneAndHalf, StopBits::Two] {
                for msb_first in [false, true] {
                    for invert in [false, true] {
                        v.push(UartConfig {
                            data_bits,
                            parity,
                            stop_bits,
                            msb_first,
                            invert,
                        });
                    }
                }
            }
        }
    }
    v
}

/// A receiver sampling at bit centres stays inside every bit up to the stop bit only if
/// the drift plus the one-sample edge uncertainty fits in half a bit.
fn decodable(cfg: &UartConfig, bw: f64, err: f64) -> bool {
    let drift = f64::from(cfg.bits_before_stop()) * bw * (err / (1.0 + err)).abs();
    drift + 1.0 <= (bw - 1.0) / 2.0 + 0.5 - 0.25
}

#[test]
fn every_framing_round_trips() {
    let extra = [
        (3.5, -0.01),
        (26.04, 0.03),
        (100.3, -0.03),
        (1000.0, 0.03),
        (10.0, -0.03),
    ];
    let mut rng = Rng::new(7);
    let mut checked = 0;
    for (i, cfg) in all_framings().into_iter().enumerate() {
        let mask = (1u64 << cfg.data_bits) - 1;
        let message: Vec<u16> = (0..20).map(|_| (rng.next_u64() & mask) as u16).collect();
        let cases = [
            (3.0, 0.0),
            (8.68, if i % 2 == 0 { 0.03 } else { -0.03 }),
            extra[i % extra.len()],
        ];
        for (bw, err) in cases {
            assert!(
                decodable(&cfg, bw, err),
                "{cfg:?} at {bw} samples/bit, {err}"
            );
            let rate = 1e6;
            let synth = UartSynthConfig {
                frame: cfg,
                baud: rate / bw,
                sample_rate: rate,
                baud_error: err,
                gap_bits: (i % 3) as f64 * 0.75,
                ..Default::default()
            };
            let levels = logic(synth, message.clone());
            let whole = decode(&cfg, rate, rate / bw, &levels, 0);
            let values: Vec<u16> = whole.iter().filter_map(|e| e.value()).collect();
            assert_eq!(values, message, "{cfg:?} at {bw} samples/bit, error {err}");
            assert!(
                whole.iter().all(|e| e.error().is_none()),
                "{cfg:?} {bw} {err}: {whole:?}"
            );
            let chunks: &[usize] = if bw <= 10.0 { &[1, 7, 4096] } else { &[4096] };
            for &chunk in chunks {
                assert_eq!(
                    decode(&cfg, rate, rate / bw, &levels, chunk),
                    whole,
                    "{cfg:?} {bw} chunk {chunk}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 900);
}

#[test]
fn injected_errors_and_breaks_are_reported_where_injected() {
    let cfg = UartConfig {
        parity: Parity::Even,
        ..Default::default()
    };
    let message: Vec<u16> = (0..12).map(|i| i * 21).collect();
    let (rate, baud) = (1e6, 50_000.0); // 20 samples per bit
    let synth = UartSynthConfig {
        frame: cfg,
        baud,
        sample_rate: rate,
        gap_bits: 1.5,
        parity_errors: vec![2, 7],
        stop_errors: vec![4],
        breaks: vec![(9, 15.0)],
        ..Default::default()
    };
    let levels = logic(synth, message.clone());
    let events = decode(&cfg, rate, baud, &levels, 0);
    // One event per frame, plus the break's own frame (00, bad stop) and the break.
    let frames: Vec<&UartEvent> = events.iter().filter(|e| e.value().is_some()).collect();
    assert_eq!(frames.len(), 13, "{events:?}");
    let errors: Vec<Option<FrameError>> = events.iter().map(UartEvent::error).collect();
    let mut expected = vec![None; 12];
    expected[2] = Some(FrameError::Parity);
    expected[7] = Some(FrameError::Parity);
    expected[4] = Some(FrameError::Framing);
    expected.splice(10..10, [Some(FrameError::Framing), Some(FrameError::Break)]);
    assert_eq!(errors, expected);
    let values: Vec<u16> = frames.iter().filter_map(|e| e.value()).collect();
    let mut want = message.clone();
    want.insert(10, 0);
    assert_eq!(values, want, "values survive parity and stop errors");
    // The break starts where the generator put it: after frame 9 and its gap.
    let frame_bits = 1.0 + 8.0 + 1.0 + 1.0 + 1.5;
    let fall = ((2.0 + 10.0 * frame_bits) * 20.0_f64).ceil() as u64;
    let UartEvent::Break { span, space } = events[11] else {
        panic!("{:?}", events[11])
    };
    assert_eq!((span.start, span.end), (fall, fall + 15 * 20));
    assert_eq!(space, span, "no glitch: the space run is the whole break");
    assert_eq!(
        events[10].start(),
        fall,
        "the break's 00 frame starts at its edge"
    );
}

#[test]
fn noisy_analog_with_auto_levels_and_hysteresis() {
    let cfg = UartConfig {
        data_bits: 7,
        parity: Parity::Odd,
        invert: true,
        ..Default::default()
    };
    let mut rng = Rng::new(99);
    let message: Vec<u16> = (0..3000).map(|_| (rng.next_u64() & 0x7f) as u16).collect();
    let (rate, baud) = (1e6, 100_000.0);
    let synth = UartSynthConfig {
        frame: cfg,
        baud,
        sample_rate: rate,
        baud_error: -0.02,
        gap_bits: 0.3,
        noise_rms: 0.5,
        seed: 5,
        ..Default::default()
    };
    let volts = analog(synth, message.clone());
    let mut est = LevelEstimator::new();
    for c in volts.chunks(10_000) {
        est.push(c);
    }
    let lv = est.finish().unwrap();
    assert!(lv.low.abs() < 0.1 && (lv.high - 3.3).abs() < 0.1, "{lv:?}");
    assert!((lv.noise_rms / 0.5 - 1.0).abs() < 0.1, "{lv:?}");
    let run = |hysteresis: f64, chunk: usize| {
        decode_analog(
            &cfg,
            (rate, baud),
            &volts,
            (lv.threshold, hysteresis),
            chunk,
        )
    };
    let events = run(lv.hysteresis, volts.len());
    let values: Vec<u16> = events.iter().filter_map(|e| e.value()).collect();
    assert_eq!(values, message);
    assert!(events.iter().all(|e| e.error().is_none()));
    for chunk in [1, 7, 4096] {
        assert_eq!(run(lv.hysteresis, chunk), events, "chunk {chunk}");
    }
    // Noise this strong (sigma = 15% of the swing) crosses a bare threshold now and then:
    // without hysteresis the decode goes wrong somewhere.
    let bare = run(0.0, volts.len());
    let bare_values: Vec<u16> = bare.iter().filter_map(|e| e.value()).collect();
    assert!(bare_values != message || bare.iter().any(|e| e.error().is_some()));
}

#[test]
fn auto_levels_on_a_mostly_idle_noisy_line() {
    let message: Vec<u16> = b"ok".iter().map(|&b| u16::from(b)).collect();
    let synth = UartSynthConfig {
        baud: 100_000.0,
        sample_rate: 1e6,
        gap_bits: 20_000.0,
        samples: Some(2_000_000),
        repeat: true,
        noise_rms: 0.25,
        low: 0.2,
        high: 5.0,
        seed: 11,
        ..Default::default()
    };
    let volts = analog(synth.clone(), message.clone());
    let mut levels = Vec::new();
    Schmitt::new(2.6, 0.0).unwrap().process(&volts, &mut levels);
    let space = levels.iter().filter(|&&l| l == 0).count() as f64 / levels.len() as f64;
    assert!(
        space < 0.001,
        "space share {space}: the line is > 99.9% idle"
    );
    let mut est = LevelEstimator::new();
    est.push(&volts);
    let lv = est.finish().unwrap();
    assert!(
        (lv.low - 0.2).abs() < 0.1 && (lv.high - 5.0).abs() < 0.05,
        "{lv:?}"
    );
    let mut schmitt = Schmitt::new(lv.threshold, lv.hysteresis).unwrap();
    schmitt.process(&volts, &mut levels);
    let events = decode(&UartConfig::default(), 1e6, 100_000.0, &levels, 0);
    let values: Vec<u16> = events.iter().filter_map(|e| e.value()).collect();
    assert_eq!(values.len(), 10, "{events:?}");
    assert!(values.chunks(2).all(|c| c == message.as_slice()));
    assert!(events.iter().all(|e| e.error().is_none()));
}

#[test]
fn a_line_without_traffic_has_no_levels() {
    let mut rng = Rng::new(3);
    let noise: Vec<f64> = (0..100_000).map(|_| 3.3 + 0.1 * rng.gaussian()).collect();
    let mut est = LevelEstimator::new();
    est.push(&noise);
    assert!(est.finish().is_err());
}

#[test]
fn auto_baud_on_generated_lines() {
    // (baud, sample rate, clock error, nearest standard, expected chosen rate)
    let cases = [
        (9600.0, 1e6, 0.0, 9600, 9600.0),
        (115_200.0, 1e6, 0.01, 115_200, 115_200.0),
        (1_000_000.0, 10e6, -0.015, 1_000_000, 1_000_000.0),
        (250_000.0, 3e6, 0.005, 250_000, 250_000.0),
        // No standard rate within 2%: the measurement itself is used.
        (10_690.0, 8e6, 0.0, 9600, 10_690.0),
        (3_300.0, 1e6, 0.0, 2400, 3_300.0),
    ];
    let mut rng = Rng::new(1);
    for (baud, rate, err, nearest, used) in cases {
        let message: Vec<u16> = (0..200).map(|_| (rng.next_u64() & 0xff) as u16).collect();
        let synth = UartSynthConfig {
            baud,
            sample_rate: rate,
            baud_error: err,
            gap_bits: 2.5,
            ..Default::default()
        };
        let mut levels = logic(synth, message);
        // A few glitches must not pull the estimate down to their width.
        for at in [3000, 9000, 15000] {
            levels[at] ^= 1;
        }
        let mut est = BaudEstimator::new();
        for c in levels.chunks(777) {
            est.push(c);
        }
        let got = est.finish(rate).unwrap();
        assert_eq!(got.nearest_standard, nearest, "{baud}: {got:?}");
        let tol = if f64::from(nearest) == used {
            1e-9
        } else {
            0.003
        };
        assert!((got.baud / used - 1.0).abs() <= tol, "{baud}: {got:?}");
        assert!(
            (got.measured / (baud * (1.0 + err)) - 1.0).abs() < 0.003,
            "{baud}: {got:?}"
        );
    }
}

fn collect_analog(cfg: &UartSynthConfig, buf: usize) -> Vec<f32> {
    let mut synth = UartSynth::new(cfg.clone(), vec![0x55, 0xa3, 0x00]).unwrap();
    let mut all = Vec::new();
    let mut chunk = vec![0.0; buf];
    loop {
        let n = synth.fill_analog(&mut chunk);
        if n == 0 {
            break;
        }
        all.extend_from_slice(&chunk[..n]);
    }
    all
}

#[test]
fn output_does_not_depend_on_buffer_size_and_follows_the_seed() {
    let cfg = UartSynthConfig {
        noise_rms: 0.1,
        seed: 42,
        samples: Some(20_000),
        repeat: true,
        ..Default::default()
    };
    let whole = collect_analog(&cfg, 1 << 20);
    assert_eq!(whole.len(), 20_000);
    for buf in [1, 7, 4096] {
        assert_eq!(collect_analog(&cfg, buf), whole, "buffer {buf}");
    }
    let other = collect_analog(
        &UartSynthConfig {
            seed: 43,
            ..cfg.clone()
        },
        4096,
    );
    assert_ne!(other, whole);
}

#[test]
fn one_message_has_the_computed_length_and_bit_pattern() {
    // 8N1 at 10 samples per bit: 2 idle bits, 10 bits per frame, 2 idle bits.
    let cfg = UartSynthConfig {
        baud: 100_000.0,
        sample_rate: 1e6,
        ..Default::default()
    };
    let mut synth = UartSynth::new(cfg, vec![0x01, 0x80]).unwrap();
    assert_eq!(synth.total_samples(), (2 + 10 + 10 + 2) * 10);
    let mut levels = vec![9; 1000];
    assert_eq!(synth.fill_logic(&mut levels), 240);
    let bits: String = levels[..240]
        .chunks(10)
        .map(|c| {
            assert!(c.iter().all(|&l| l == c[0]), "whole bits");
            char::from(b'0' + c[0])
        })
        .collect();
    assert_eq!(bits, "11".to_owned() + "0100000001" + "0000000011" + "11");
}

#[test]
fn inverted_analog_idles_low() {
    let cfg = UartSynthConfig {
        frame: UartConfig {
            invert: true,
            ..Default::default()
        },
        low: -1.0,
        high: 2.0,
        ..Default::default()
    };
    let v = collect_analog(&cfg, 64);
    assert_eq!((v[0], v[v.len() - 1]), (-1.0, -1.0));
    assert!(v.contains(&2.0));
}

#[test]
fn repeat_fills_the_requested_length_and_no_repeat_idles() {
    let base = UartSynthConfig {
        baud: 100_000.0,
        sample_rate: 1e6,
        samples: Some(5000),
        ..Default::default()
    };
    let frames = |repeat: bool| {
        let mut s = UartSynth::new(
            UartSynthConfig {
                repeat,
                ..base.clone()
            },
            vec![0xff],
        )
        .unwrap();
        let mut l = vec![0; 5000];
        assert_eq!(s.fill_logic(&mut l), 5000);
        l.windows(2).filter(|w| w == &[1, 0]).count()
    };
    // 100 samples per frame after 20 idle: 49 whole frames and a cut one start in 5000.
    assert_eq!(frames(true), 50);
    assert_eq!(frames(false), 1);
}

#[test]
fn rejects_values_wider_than_the_frame() {
    let cfg = UartSynthConfig {
        frame: UartConfig {
            data_bits: 7,
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(UartSynth::new(cfg, vec![0x80]).is_err());
}
