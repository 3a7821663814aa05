//! `find` against known answers: a square wave with glitches, runts, window excursions and a
//! gap planted at known samples; every one must be found, exactly there, and nothing else.

use super::signals::*;
use tracekit::dsp::pulse::{Bound, Condition, Event, EventKind, FindConfig, Polarity, Slope};

const CHUNKS: [usize; 4] = [1, 1000, 4096, usize::MAX];

/// What a planted event must come out as.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Want {
    sample: u64,
    kind: EventKind,
    width: Option<f64>,
    level: f64,
}

fn check(events: &[Event], condition: usize, mut want: Vec<Want>, name: &str) {
    want.sort_by_key(|w| w.sample);
    let got: Vec<&Event> = events.iter().filter(|e| e.condition == condition).collect();
    assert_eq!(
        got.len(),
        want.len(),
        "{name}: {} found, {} planted",
        got.len(),
        want.len()
    );
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            (g.sample, g.kind),
            (w.sample, w.kind),
            "{name}: {g:?} vs {w:?}"
        );
        match (g.width, w.width) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name}: {g:?} vs {w:?}"),
            (a, b) => assert_eq!(a, b, "{name}"),
        }
        assert!((g.level - w.level).abs() < 1e-12, "{name}: {g:?} vs {w:?}");
    }
}

/// Every planted event of the big test, per condition.
struct Planted {
    xs: Vec<f64>,
    rising: Vec<Want>,
    glitches: Vec<Want>,
    runts: Vec<Want>,
    window: Vec<Want>,
    gap: Vec<Want>,
    long: Vec<Want>,
}

/// A 0/1 square of 1000-sample periods with 4-sample ramps starting on whole samples
/// (rising at 100 + 1000k, falling 500 later: the mid crossing is the sample 2 into the ramp),
/// one period without its falling and next rising edge (a 1500-sample high stretch), and in
/// other periods: glitches of 1–3 samples (both polarities), runts to 0.5 (both), and
/// spikes to 1.5 and -0.5.
fn planted() -> Planted {
    let periods = 300;
    let mut edges = Vec::new();
    for k in 0..periods {
        let t = 100.0 + 1000.0 * k as f64;
        // period 50 has no fall and 51 no rise: high for 1500 samples
        if k == 50 {
            edges.push(t);
            continue;
        }
        if k == 51 {
            edges.push(t + 500.0);
            continue;
        }
        edges.push(t);
        edges.push(t + 500.0);
    }
    let n = 1000 * periods;
    let mut xs = waveform(n, &edges, Shape::Ramp(4.0), 0.0, 1.0);
    let mut rising: Vec<Want> = edges
        .iter()
        .enumerate()
        .filter(|(k, _)| k % 2 == 0)
        .map(|(_, &t)| Want {
            sample: t as u64 + 2,
            kind: EventKind::Rising,
            width: None,
            level: 0.5,
        })
        .collect();
    let (mut glitches, mut runts, mut window) = (Vec::new(), Vec::new(), Vec::new());
    for k in (0..periods).filter(|k| !(49..=52).contains(k)) {
        let base = 1000 * k;
        let w = 1 + k % 3;
        // a positive glitch in the low state, a negative one in the high state
        let p = base + 800;
        xs[p..p + w].fill(1.0);
        glitches.push(Want {
            sample: p as u64,
            kind: EventKind::PositiveGlitch,
            width: Some(w as f64),
            level: 1.0,
        });
        rising.push(Want {
            sample: p as u64,
            kind: EventKind::Rising,
            width: None,
            level: 0.5,
        });
        let q = base + 300;
        xs[q..q + w].fill(0.0);
        glitches.push(Want {
            sample: q as u64,
            kind: EventKind::NegativeGlitch,
            width: Some(w as f64),
            level: 0.0,
        });
        rising.push(Want {
            sample: (q + w) as u64,
            kind: EventKind::Rising,
            width: None,
            level: 0.5,
        });
        if k % 2 == 0 {
            // runts: 0.5 crosses 0.3 (0.7) but not 0.7 (0.3); the 0.3 crossings lie 0.4
            // before the first and 0.6 before the sample after the last
            let r = base + 900;
            xs[r..r + 5].fill(0.5);
            runts.push(Want {
                sample: r as u64,
                kind: EventKind::PositiveRunt,
                width: Some(4.8),
                level: 0.5,
            });
            let r = base + 450;
            xs[r..r + 5].fill(0.5);
            runts.push(Want {
                sample: r as u64,
                kind: EventKind::NegativeRunt,
                width: Some(4.8),
                level: 0.5,
            });
        } else {
            // excursions beyond the window -0.2..1.2: crossings 0.6 before the first spike
            // sample and 0.4 before the sample after
            let s = base + 200;
            xs[s..s + 2].fill(1.5);
            window.push(Want {
                sample: s as u64,
                kind: EventKind::Above,
                width: Some(2.2),
                level: 1.5,
            });
            let s = base + 700;
            xs[s..s + 2].fill(-0.5);
            window.push(Want {
                sample: s as u64,
                kind: EventKind::Below,
                width: Some(2.2),
                level: -0.5,
            });
        }
    }
    let gap_start = 100 + 50_000 + 2;
    let gap = vec![Want {
        sample: gap_start,
        kind: EventKind::HighGap,
        width: Some(1500.0),
        level: 1.0,
    }];
    let long = vec![Want {
        sample: gap_start,
        kind: EventKind::PositivePulse,
        width: Some(1500.0),
        level: 1.0,
    }];
    Planted {
        xs,
        rising,
        glitches,
        runts,
        window,
        gap,
        long,
    }
}

#[test]
fn every_planted_event_and_nothing_else_at_any_chunking() {
    let p = planted();
    let config = FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1.0,
        conditions: vec![
            Condition::Edge(Slope::Rising),
            Condition::Glitch(10.0),
            Condition::Runt {
                low: 0.3,
                high: 0.7,
            },
            Condition::Window {
                low: -0.2,
                high: 1.2,
            },
            Condition::Gap(1200.0),
            Condition::Width(Polarity::Positive, Bound::Above(1000.0)),
        ],
    };
    let (whole, counts) = find(&p.xs, &config, usize::MAX);
    check(&whole, 0, p.rising.clone(), "rising edges");
    check(&whole, 1, p.glitches.clone(), "glitches");
    check(&whole, 2, p.runts.clone(), "runts");
    check(&whole, 3, p.window.clone(), "window");
    check(&whole, 4, p.gap.clone(), "gap");
    check(&whole, 5, p.long.clone(), "width");
    assert_eq!(
        counts,
        vec![
            p.rising.len() as u64,
            p.glitches.len() as u64,
            p.runts.len() as u64,
            p.window.len() as u64,
            1,
            1
        ]
    );
    // in sample order across conditions
    assert!(
        whole
            .windows(2)
            .all(|w| (w[0].sample, w[0].condition) <= (w[1].sample, w[1].condition))
    );
    for chunk in CHUNKS {
        let (got, c) = find(&p.xs, &config, chunk);
        assert_eq!(format!("{got:?}"), format!("{whole:?}"), "chunk {chunk}");
        assert_eq!(c, counts);
    }
}

#[test]
fn pulse_widths_in_a_range_and_edges_of_either_slope() {
    let p = planted();
    let config = FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1e-3,
        conditions: vec![
            Condition::Width(Polarity::Either, Bound::Between(0.0015, 0.0025)),
            Condition::Edge(Slope::Either),
        ],
    };
    let (events, counts) = find(&p.xs, &config, 777);
    // widths in seconds: the 2-sample glitches
    let mut want: Vec<u64> = p
        .glitches
        .iter()
        .filter(|g| g.width == Some(2.0))
        .map(|g| g.sample)
        .collect();
    want.sort();
    let got: Vec<u64> = events
        .iter()
        .filter(|e| e.condition == 0)
        .map(|e| e.sample)
        .collect();
    assert_eq!(got, want);
    assert!(
        events
            .iter()
            .filter(|e| e.condition == 0)
            .all(|e| (e.width.unwrap() - 0.002).abs() < 1e-15)
    );
    // every rising edge has its falling one (the capture ends low)
    assert_eq!(counts[1], 2 * p.rising.len() as u64);
}

#[test]
fn slew_rate_picks_the_fast_edges() {
    // alternating 4- and 40-sample ramps: slopes 1/4 and 1/40 per sample between 0.1 and 0.9
    let mut edges = Vec::new();
    let n = 100 * 2000;
    for k in 0..100 {
        edges.push(100.0 + 2000.0 * k as f64);
        edges.push(1100.0 + 2000.0 * k as f64);
    }
    let fast = waveform(n, &edges, Shape::Ramp(4.0), 0.0, 1.0);
    let slow = waveform(n, &edges, Shape::Ramp(40.0), 0.0, 1.0);
    let xs: Vec<f64> = (0..n)
        .map(|i| {
            if (i / 2000) % 2 == 0 {
                fast[i]
            } else {
                slow[i]
            }
        })
        .collect();
    let config = FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1.0,
        conditions: vec![Condition::Slew {
            low: 0.1,
            high: 0.9,
            rate: Bound::Above(0.1),
        }],
    };
    for chunk in [1, 4096] {
        let (events, _) = find(&xs, &config, chunk);
        assert_eq!(
            events.len(),
            100,
            "one rise and one fall in every other period"
        );
        for e in &events {
            let t = edges
                .iter()
                .find(|&&t| t as u64 + 1 == e.sample)
                .expect("at an edge");
            assert_eq!((t / 2000.0).floor() as u64 % 2, 0, "a fast period");
            let kind = if (*t as u64 / 1000).is_multiple_of(2) {
                EventKind::RisingSlew
            } else {
                EventKind::FallingSlew
            };
            assert_eq!(e.kind, kind);
            assert!(
                (e.width.unwrap() - 3.2).abs() < 1e-12 && (e.rate.unwrap() - 0.25).abs() < 1e-12,
                "{e:?}"
            );
        }
    }
}

#[test]
fn bad_conditions_are_refused() {
    use tracekit::dsp::pulse::{Finder, PulseError};
    let with = |c: Condition| FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1.0,
        conditions: vec![c],
    };
    let e = Finder::new(&with(Condition::Runt {
        low: 0.7,
        high: 0.3,
    }))
    .unwrap_err();
    assert!(
        matches!(e, PulseError::Pair { .. }) && e.to_string().contains("0.7 and 0.3"),
        "{e}"
    );
    let e = Finder::new(&with(Condition::Glitch(-1.0))).unwrap_err();
    assert!(e.to_string().contains("-1"), "{e}");
    let e = Finder::new(&with(Condition::Width(
        Polarity::Either,
        Bound::Between(5.0, 2.0),
    )))
    .unwrap_err();
    assert!(matches!(e, PulseError::Pair { .. }), "{e}");
    let none = FindConfig {
        conditions: vec![],
        ..with(Condition::Gap(1.0))
    };
    assert_eq!(Finder::new(&none).unwrap_err(), PulseError::NoCondition);
}

#[test]
fn events_are_released_as_soon_as_they_are_final() {
    // edges keep flowing after the window's gates last switched: nothing waits for the end
    let p = planted();
    let config = FindConfig {
        level: 0.5,
        hysteresis: 0.1,
        sample_interval: 1.0,
        conditions: vec![
            Condition::Edge(Slope::Either),
            Condition::Window {
                low: -0.2,
                high: 1.2,
            },
            Condition::Runt {
                low: 0.3,
                high: 0.7,
            },
        ],
    };
    let mut f = tracekit::dsp::pulse::Finder::new(&config).unwrap();
    let mut released = 0;
    for c in p.xs.chunks(4096) {
        f.push(c);
        released += f.drain_events().count();
    }
    let (rest, counts) = f.finish();
    // only the events of the last, still open pulses wait
    assert!(rest.len() <= 3, "{} events waited for the end", rest.len());
    assert_eq!(released + rest.len(), counts.iter().sum::<u64>() as usize);
}
