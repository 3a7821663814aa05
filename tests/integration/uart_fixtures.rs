//! The sigrok-dumps captures, and generated captures checked with sigrok-cli (see
//! tests/data/uart/SYNTH_README.md), decode exactly as sigrok-cli (libsigrokdecode 0.5.3) does.
use crate::uart_util::{self, *};
use tracekit::dsp::decode::uart::{
    BaudEstimate, BaudEstimator, Parity, StopBits, UartConfig, UartEvent,
};
use tracekit::dsp::levels::{LevelEstimator, Schmitt};

struct Fixture {
    name: &'static str,
    rate: f64,
    baud: f64,
    cfg: UartConfig,
}

fn fixtures() -> Vec<Fixture> {
    let n81 = UartConfig::default();
    vec![
        Fixture {
            name: "hello_world_8n1_115200",
            rate: 1e6,
            baud: 115_200.0,
            cfg: n81,
        },
        Fixture {
            name: "hello_world_7o1_115200",
            rate: 1e6,
            baud: 115_200.0,
            cfg: UartConfig {
                data_bits: 7,
                parity: Parity::Odd,
                ..n81
            },
        },
        Fixture {
            name: "uart_count_19200_8n1",
            rate: 500e3,
            baud: 19_200.0,
            cfg: n81,
        },
        Fixture {
            name: "ampel64_4800_8n1_frame_errors",
            rate: 2e6,
            baud: 4800.0,
            cfg: n81,
        },
        Fixture {
            name: "uart_analog_10700_8n2",
            rate: 8e6,
            baud: 10_700.0,
            cfg: UartConfig {
                stop_bits: StopBits::Two,
                ..n81
            },
        },
    ]
}

fn values(events: &[UartEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| e.value())
        .map(|v| format!("{v:02x}"))
        .collect()
}

#[test]
fn logic_fixtures_match_sigrok_for_every_chunk_size() {
    for f in fixtures() {
        let levels = read_u8(&format!("{}.npy", f.name));
        let expected_values = read_lines(&format!("{}.expected.txt", f.name));
        let expected_events = read_lines(&format!("{}.events.txt", f.name));
        let whole = decode(&f.cfg, f.rate, f.baud, &levels, 0);
        assert_eq!(values(&whole), expected_values, "{}: values", f.name);
        assert_eq!(
            event_lines(&whole, f.cfg.data_bits),
            expected_events,
            "{}: events",
            f.name
        );
        for chunk in [1, 7, 4096] {
            let chunked = decode(&f.cfg, f.rate, f.baud, &levels, chunk);
            assert_eq!(chunked, whole, "{}: chunk {chunk}", f.name);
        }
    }
}

/// Event lines with positions parsed, to compare analog decodes within a sample.
fn parse_events(lines: &[String]) -> Vec<(i64, i64, String)> {
    lines
        .iter()
        .map(|l| {
            let mut it = l.splitn(3, ' ');
            let ss = it.next().unwrap().parse().unwrap();
            let es = it.next().unwrap().parse().unwrap();
            (ss, es, it.next().unwrap().to_owned())
        })
        .collect()
}

fn assert_within_one_sample(got: &[String], want: &[String], case: &str) {
    let (got, want) = (parse_events(got), parse_events(want));
    assert_eq!(got.len(), want.len(), "{case}: event count");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.2, w.2, "{case}: kind/value at {w:?}");
        assert!(
            (g.0 - w.0).abs() <= 1 && (g.1 - w.1).abs() <= 1,
            "{case}: {g:?} vs {w:?}"
        );
    }
}

fn decode_scope_capture(
    volts: &[f32],
    threshold: f64,
    hysteresis: f64,
    chunk: usize,
) -> Vec<UartEvent> {
    let f = &fixtures()[4];
    uart_util::decode_analog(
        &f.cfg,
        (f.rate, f.baud),
        volts,
        (threshold, hysteresis),
        chunk,
    )
}

#[test]
fn analog_fixture_at_2v5_matches_the_thresholded_capture() {
    let volts = read_f32("uart_analog_10700_8n2.volts.npy");
    let logic = read_u8("uart_analog_10700_8n2.npy");
    let mut levels = Vec::new();
    Schmitt::new(2.5, 0.0).unwrap().process(&volts, &mut levels);
    assert_eq!(
        levels, logic,
        "2.5 V without hysteresis is the stored thresholding"
    );
    let events = decode_scope_capture(&volts, 2.5, 0.0, 10_000);
    assert_eq!(
        values(&events),
        read_lines("uart_analog_10700_8n2.expected.txt")
    );
    assert_eq!(
        event_lines(&events, 8),
        read_lines("uart_analog_10700_8n2.events.txt")
    );
}

#[test]
fn analog_fixture_with_auto_levels() {
    let volts = read_f32("uart_analog_10700_8n2.volts.npy");
    let mut est = LevelEstimator::new();
    for c in volts.chunks(3000) {
        est.push(c);
    }
    let lv = est.finish().unwrap();
    // README: levels ~0.15 V and ~4.8 V; any threshold 0.3..4.6 V decodes the same.
    assert!((lv.low - 0.15).abs() < 0.2, "{lv:?}");
    assert!((lv.high - 4.8).abs() < 0.2, "{lv:?}");
    assert!(
        lv.threshold - lv.hysteresis / 2.0 > 0.3 && lv.threshold + lv.hysteresis / 2.0 < 4.6,
        "{lv:?}"
    );
    let events = decode_scope_capture(&volts, lv.threshold, lv.hysteresis, 4096);
    assert_eq!(
        values(&events),
        read_lines("uart_analog_10700_8n2.expected.txt")
    );
    assert_within_one_sample(
        &event_lines(&events, 8),
        &read_lines("uart_analog_10700_8n2.events.txt"),
        "auto levels",
    );
}

fn estimate_baud(levels: &[u8], rate: f64) -> BaudEstimate {
    let mut est = BaudEstimator::new();
    for c in levels.chunks(1000) {
        est.push(c);
    }
    est.finish(rate).unwrap()
}

#[test]
fn auto_baud_on_fixtures() {
    // (fixture, nearest standard, rate used, tolerance on the measurement)
    let cases = [
        ("hello_world_8n1_115200", 1e6, 115_200u32, 115_200.0, 0.02),
        ("hello_world_7o1_115200", 1e6, 115_200, 115_200.0, 0.02),
        ("uart_count_19200_8n1", 500e3, 19_200, 19_200.0, 0.02),
        ("ampel64_4800_8n1_frame_errors", 2e6, 4800, 4800.0, 0.02),
        // ~748 samples per bit: ~10 690 Bd, no standard rate within 2%.
        ("uart_analog_10700_8n2", 8e6, 9600, 10_690.0, 0.005),
    ];
    for (name, rate, nearest, used, tol) in cases {
        let est = estimate_baud(&read_u8(&format!("{name}.npy")), rate);
        assert_eq!(est.nearest_standard, nearest, "{name}: {est:?}");
        assert!((est.baud / used - 1.0).abs() <= tol, "{name}: {est:?}");
    }
}

/// Reads `NAME.args` ("RATE key=value:key=value...", sigrok's option names).
fn sigrok_options(name: &str) -> (f64, f64, UartConfig) {
    let line = read_lines(&format!("{name}.args")).remove(0);
    let (rate, opts) = line.split_once(' ').unwrap();
    let mut cfg = UartConfig::default();
    let mut baud = 0.0;
    for opt in opts.split(':') {
        let (k, v) = opt.split_once('=').unwrap();
        match k {
            "baudrate" => baud = v.parse().unwrap(),
            "data_bits" => cfg.data_bits = v.parse().unwrap(),
            "parity" => {
                cfg.parity = match v {
                    "none" => Parity::None,
                    "odd" => Parity::Odd,
                    "even" => Parity::Even,
                    "one" => Parity::Mark,
                    "zero" => Parity::Space,
                    _ => panic!("{name}: parity {v}"),
                }
            }
            "stop_bits" => {
                cfg.stop_bits = match v {
                    "1.0" => StopBits::One,
                    "1.5" => StopBits::OneAndHalf,
                    "2.0" => StopBits::Two,
                    _ => panic!("{name}: stop {v}"),
                }
            }
            "bit_order" => cfg.msb_first = v == "msb-first",
            "invert_rx" => cfg.invert = v == "yes",
            _ => panic!("{name}: option {k}"),
        }
    }
    (rate.parse().unwrap(), baud, cfg)
}

#[test]
fn synth_captures_match_sigrok_for_every_chunk_size() {
    let names = [
        "synth_7e2_msb_inv",
        "synth_9o1_bw3",
        "synth_5m15_bw7",
        "synth_8s1_bw1000",
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for name in names {
        let (rate, baud, cfg) = sigrok_options(name);
        let levels = std::fs::read(data_path(&format!("{name}.bin"))).unwrap();
        let expected = read_lines(&format!("{name}.events.txt"));
        for chunk in [0, 1, 7, 4096] {
            let events = decode(&cfg, rate, baud, &levels, chunk);
            assert_eq!(
                event_lines(&events, cfg.data_bits),
                expected,
                "{name}, chunk {chunk}"
            );
        }
        kinds.extend(
            expected
                .iter()
                .map(|l| l.split(' ').nth(2).unwrap().to_owned()),
        );
    }
    // The set really exercises every kind of event.
    let all: Vec<_> = kinds.into_iter().collect();
    assert_eq!(all, ["break", "data", "frame-error", "parity-error"]);
}
