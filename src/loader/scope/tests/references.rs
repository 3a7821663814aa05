//! Every fixture against numbers from independent references: RigolWFM 1.6.0 volts and
//! time axes (`crosscheck/check.py --literals` prints them), the vendor CSV exports for t0,
//! numpy reads of documented float32 buffers, and the DHO .bin of the same acquisition for
//! the DHO .wfm.

use super::rigol::{assert_close, channel, load};
use crate::loader::XUnit;
use crate::loader::layout::VendorMeta;

/// (channel, first value, last value, sum of all values).
type ChannelRef = (&'static str, f64, f64, f64);

struct Reference {
    file: &'static str,
    samples: u64,
    dt: f64,
    t0: f64,
    channels: &'static [ChannelRef],
}

const REFERENCES: &[Reference] = &[
    // RigolWFM; t0 sample-aligned as RigolWFM's DS1000E axis.
    Reference {
        file: "DS1000E-A.wfm",
        samples: 8192,
        dt: 1e-05,
        t0: -0.04096,
        channels: &[("CH1", -1.84, 2.8, 794.8), ("CH2", -0.16, 2.96, 11661.28)],
    },
    Reference {
        file: "DS1052E.wfm",
        samples: 8192,
        dt: 2e-09,
        t0: -8.192e-06,
        channels: &[("CH1", -0.04, -0.04, -12.6), ("CH2", -0.24, 4.96, 18474.96)],
    },
    Reference {
        file: "DS1102E-D.wfm",
        samples: 8192,
        dt: 4e-07,
        t0: -0.0016384,
        channels: &[("CH1", 4.32, -1.2, 12326.64), ("CH2", 0.0, 5.2, 22495.6)],
    },
    // t0 from the scope's CSV export (first time stamp).
    Reference {
        file: "DS1204B-A.wfm",
        samples: 8192,
        dt: 8e-06,
        t0: -0.032768,
        channels: &[
            ("CH1", 3.04, -0.04, 12140.28),
            ("CH2", 9.4, 2.8, 75388.4),
            ("CH3", 2.8, -0.2, 11518.2),
            ("CH4", 9.6, 9.6, 78339.6),
        ],
    },
    // t0 from the scope's CSV export ("Start").
    Reference {
        file: "DS2072A-5.wfm",
        samples: 14000,
        dt: 1e-09,
        t0: -2.52e-06,
        channels: &[
            (
                "CH1",
                0.0010000012814998516,
                0.30100000575184827,
                3070.682063489109,
            ),
            (
                "CH2",
                -0.04000004768371568,
                0.27999995231628416,
                3093.1593324279793,
            ),
        ],
    },
    Reference {
        file: "DS4022-A.wfm",
        samples: 7000,
        dt: 2e-09,
        t0: -7e-06,
        channels: &[
            ("CH1", 137.5, -167.1875, 134335.9375),
            ("CH2", 0.0, 0.0, 9675.0),
            ("CH3", -96.875, 170.3125, -130537.5),
            ("CH4", 0.0, 0.0, 15400.0),
        ],
    },
    Reference {
        file: "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
        samples: 30128,
        dt: 7.999999880790713e-08,
        t0: -0.00120499998,
        channels: &[
            ("CH1", 3.1, 3.1, 78682.65),
            (
                "CH3",
                0.293000004068017,
                -0.007000000402331341,
                3742.0240467816598,
            ),
            ("CH4", 1.25, -1.0, -4897.3),
        ],
    },
    Reference {
        file: "DHO1074.bin",
        samples: 10000,
        dt: 4.999999873689376e-06,
        t0: -0.02499999936844688,
        channels: &[
            (
                "CH1",
                -17.80666732788086,
                -18.926666259765625,
                -6677.213434807956,
            ),
            (
                "CH2",
                -7.674666404724121,
                -20.45599937438965,
                -76805.76181987766,
            ),
            (
                "CH3",
                2.9045331478118896,
                2.955199718475342,
                14463.133365997346,
            ),
            (
                "CH4",
                29.45866584777832,
                29.226665496826172,
                146111.95504070027,
            ),
        ],
    },
    Reference {
        file: "DHO824-ch1.bin",
        samples: 10000,
        dt: 4.0000000467443897e-07,
        t0: -0.002000000023372195,
        channels: &[(
            "CH1",
            0.12754665315151215,
            0.0745733305811882,
            1510.953172936057,
        )],
    },
    // The .bin of the same acquisition is the reference: equal to f32 rounding.
    Reference {
        file: "DHO1074.wfm",
        samples: 10000,
        dt: 5e-06,
        t0: -0.025,
        channels: &[
            (
                "CH1",
                -17.80666732788086,
                -18.926666259765625,
                -6677.213434807956,
            ),
            (
                "CH2",
                -7.674666404724121,
                -20.45599937438965,
                -76805.76181987766,
            ),
            (
                "CH3",
                2.9045331478118896,
                2.955199718475342,
                14463.133365997346,
            ),
            (
                "CH4",
                29.45866584777832,
                29.226665496826172,
                146111.95504070027,
            ),
        ],
    },
    Reference {
        file: "DHO824-ch1.wfm",
        samples: 10000,
        dt: 4e-07,
        t0: -0.002,
        channels: &[(
            "CH1",
            0.12754665315151215,
            0.0745733305811882,
            1510.953172936057,
        )],
    },
    Reference {
        file: "MSO5000-A.bin",
        samples: 1000,
        dt: 4.999999873689376e-06,
        t0: -0.002499999936844688,
        channels: &[
            (
                "CH1",
                0.697550356388092,
                3.1002237796783447,
                1625.757351525128,
            ),
            (
                "CH2",
                0.39951997995376587,
                0.39951997995376587,
                -30.163759045302868,
            ),
            (
                "CH3",
                -0.31948065757751465,
                -0.31948065757751465,
                -5.710717886686325,
            ),
            (
                "CH4",
                0.7890400290489197,
                3.077256202697754,
                1577.7644490599632,
            ),
        ],
    },
    // numpy over the raw bytes: two containers of 1000 u8 codes each, header x axis.
    Reference {
        file: "MSO5074-A.bin",
        samples: 1000,
        dt: 1e-12,
        t0: 0.0,
        channels: &[
            ("CH1", 128.0, 128.0, 166014.0),
            ("CH2", 127.0, 127.0, 127436.0),
        ],
    },
    Reference {
        file: "agilent_3.bin",
        samples: 4000,
        dt: 4.999999999999999e-10,
        t0: -1e-06,
        channels: &[
            (
                "CH1",
                0.18090438842773438,
                0.18090438842773438,
                -264.92481231689453,
            ),
            (
                "CH2",
                1.5175879001617432,
                -1.5778894424438477,
                -107.4170469045639,
            ),
        ],
    },
    Reference {
        file: "agilent_4.bin",
        samples: 1953,
        dt: 1.0239999999999999e-06,
        t0: -0.0009999999999999998,
        channels: &[(
            "CH1",
            -0.008040200918912888,
            -0.008040200918912888,
            -15.179900344461203,
        )],
    },
    // numpy over the documented float32 buffers; x origin as the header states it.
    Reference {
        file: "agilent_mso7034a_scope_28.bin",
        samples: 250,
        dt: 8e-06,
        t0: -0.001,
        channels: &[
            (
                "CH1",
                -0.0002499818801879883,
                2.4997501373291016,
                313.6250193119049,
            ),
            (
                "CH2",
                0.03150010108947754,
                2.5002501010894775,
                318.2187752723694,
            ),
        ],
    },
    Reference {
        file: "agilent_mso7034a_scope_30.bin",
        samples: 1000,
        dt: 2e-06,
        t0: -0.001,
        channels: &[
            (
                "CH1",
                -0.0002499818801879883,
                2.4997501373291016,
                1261.1875776052475,
            ),
            (
                "CH2",
                0.03150010108947754,
                2.5002501010894775,
                1278.7813510894775,
            ),
        ],
    },
];

#[test]
fn every_fixture_matches_its_reference() {
    for r in REFERENCES {
        let (layout, values) = load(r.file);
        let names: Vec<&str> = layout.channels.iter().map(|c| c.name.as_str()).collect();
        let want: Vec<&str> = r.channels.iter().map(|c| c.0).collect();
        assert_eq!(names, want, "{}: channel names", r.file);
        assert_eq!(layout.samples, r.samples, "{}: samples", r.file);
        assert_eq!(layout.x_unit, XUnit::Seconds, "{}", r.file);
        let dt = layout.x_increment.expect("x increment");
        assert_close(dt, r.dt, r.dt * 1e-9, &format!("{}: dt", r.file));
        let t0 = layout.x_origin.expect("x origin");
        assert_close(
            t0,
            r.t0,
            1e-8 * r.t0.abs().max(1e-9),
            &format!("{}: t0", r.file),
        );
        // The DHO .wfm is compared with float32 values of the .bin: allow f32 rounding.
        let per_sample = if r.file.ends_with(".wfm") && r.file.starts_with("DHO") {
            2e-6
        } else {
            1e-9
        };
        for &(name, first, last, sum) in r.channels {
            let v = channel(&layout, &values, name);
            let what = format!("{} {name}", r.file);
            assert_eq!(v.len() as u64, r.samples, "{what}: length");
            let scale = first.abs().max(last.abs()).max(1.0);
            assert_close(v[0], first, per_sample * scale, &format!("{what}: first"));
            assert_close(
                v[v.len() - 1],
                last,
                per_sample * scale,
                &format!("{what}: last"),
            );
            let total: f64 = v.iter().sum();
            let tol = per_sample * v.len() as f64 * v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            assert_close(total, sum, tol, &format!("{what}: sum"));
        }
    }
}

#[test]
fn dho_wfm_equals_the_bin_export_sample_by_sample() {
    for (wfm, bin) in [
        ("DHO1074.wfm", "DHO1074.bin"),
        ("DHO824-ch1.wfm", "DHO824-ch1.bin"),
    ] {
        let (lw, vw) = load(wfm);
        let (lb, vb) = load(bin);
        for (i, ch) in lw.channels.iter().enumerate() {
            let reference = channel(&lb, &vb, &ch.name);
            // One code is ch.gain volts; the .bin's float32 rounding is far below it.
            let worst = vw[i]
                .iter()
                .zip(reference)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(
                worst < 0.01 * ch.gain,
                "{wfm} {}: worst difference {worst} V, a code is {} V",
                ch.name,
                ch.gain
            );
        }
    }
}

/// The UART line on CH1 must read as a clean two-level signal for the decoder: samples sit
/// at two levels ~3.3 V apart; only the 2-3 samples of each edge (80 ns apart) lie between.
#[test]
fn ds1054z_uart_channel_is_two_level() {
    let (layout, values) = load("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm");
    let uart = channel(&layout, &values, "CH1");
    let mid = 1.45;
    let high: Vec<f64> = uart.iter().copied().filter(|&v| v > mid).collect();
    let low: Vec<f64> = uart.iter().copied().filter(|&v| v <= mid).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (h, l) = (mean(&high), mean(&low));
    assert_close(h - l, 3.3, 0.15, "UART swing");
    assert_close(l, -0.15, 0.1, "UART low level");
    let edges = uart
        .windows(2)
        .filter(|w| (w[0] > mid) != (w[1] > mid))
        .count();
    assert!(edges > 20, "a UART capture has many edges, got {edges}");
    // Maximal runs of samples more than 0.3 V from both levels: at most one per edge,
    // each at most 3 samples long.
    let away: Vec<bool> = uart
        .iter()
        .map(|&v| (v - h).abs() > 0.3 && (v - l).abs() > 0.3)
        .collect();
    let runs: Vec<usize> = away
        .split(|&a| !a)
        .map(<[bool]>::len)
        .filter(|&n| n > 0)
        .collect();
    assert!(
        runs.len() <= edges,
        "{} transition runs, {edges} edges",
        runs.len()
    );
    assert!(runs.iter().all(|&n| n <= 3), "transition runs {runs:?}");
}

#[test]
fn ds1054z_meta_rows() {
    let (layout, _) = load("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm");
    let rows: Vec<String> = layout
        .meta
        .rows()
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    assert_eq!(
        rows,
        [
            "format: Rigol .wfm (DS1000Z)",
            "model: DS1104Z",
            "firmware: 00.04.04.SP3",
            "acquisition: normal",
            "sample rate: 12.5 MSa/s",
            "record: 30128 points per channel (30000 on screen)",
            "time base: 200 µs/div",
            "time offset: 120 ns",
            "trigger index: 15062",
            "CH1: 1 V/div, offset -500 mV, probe 10x, DC, u8 code × 0.05 - 4.85",
            "CH3: 100 mV/div, offset -148 mV, probe 1x, DC, u8 code × 0.005 - 0.387",
            "CH4: 1 V/div, offset 0 V, probe 10x, DC, u8 code × 0.05 - 5.35",
        ]
    );
    let json = serde_json::to_value(&layout.meta).expect("meta serializes");
    assert_eq!(json["channels"][0]["probe"], 10.0);
    assert_eq!(json["record_length"], 30128);
}

#[test]
fn meta_reads_model_serial_and_settings() {
    let (l, _) = load("DS2072A-5.wfm");
    // The DS2072A-5.txt setup file: SN DS2D162450999, firmware 00.03.05.03.03,
    // CH1 50 mV/div offset -171 mV, CH2 1 V/div offset 3.2 V, 1 µs/div, delay 4.48 µs.
    assert_eq!(l.meta.serial.as_deref(), Some("DS2D162450999"));
    assert_eq!(l.meta.firmware.as_deref(), Some("00.03.05.03.03"));
    let ch1 = &l.meta.channels[0];
    assert_close(ch1.volts_per_div.unwrap(), 0.05, 1e-8, "CH1 V/div");
    assert_close(ch1.offset.unwrap(), -0.171, 1e-8, "CH1 offset");
    assert_eq!(ch1.probe, Some(1.0));
    assert_close(l.meta.channels[1].offset.unwrap(), 3.2, 1e-6, "CH2 offset");
    assert_close(l.meta.time_per_div.unwrap(), 1e-6, 1e-15, "time/div");
    assert_close(l.meta.time_offset.unwrap(), 4.48e-6, 1e-15, "delay");
    assert_eq!(l.meta.record_length, 14000);
    let trig = l.meta.trigger.as_ref().expect("trigger");
    assert_eq!(trig.source.as_deref(), Some("CH1"));
    // "CH1 Level:0.016840V"
    assert_close(trig.level.unwrap(), 0.01684, 1e-9, "trigger level");

    // DS1204B-A.txt: CH1 1 V/div at -2.52 V ... CH4 10 V/div, 2 ms/div, all DC.
    let (l, _) = load("DS1204B-A.wfm");
    let vdiv: Vec<f64> = l
        .meta
        .channels
        .iter()
        .map(|c| c.volts_per_div.unwrap())
        .collect();
    assert_eq!(vdiv, [1.0, 5.0, 5.0, 10.0]);
    assert_close(
        l.meta.channels[0].offset.unwrap(),
        -2.52,
        1e-9,
        "CH1 offset",
    );
    assert!(
        l.meta
            .channels
            .iter()
            .all(|c| c.coupling.as_deref() == Some("DC"))
    );
    assert_close(l.meta.time_per_div.unwrap(), 2e-3, 1e-15, "time/div");

    // DS1102E-D.txt: CH1 2 V/div at 2.40 V, CH2 5 V/div at -15.8 V, 100 µs/div,
    // trigger edge CH1 1.60 V.
    let (l, _) = load("DS1102E-D.wfm");
    assert_close(l.meta.channels[0].offset.unwrap(), 2.4, 1e-9, "CH1 offset");
    assert_close(
        l.meta.channels[1].offset.unwrap(),
        -15.8,
        1e-9,
        "CH2 offset",
    );
    assert_close(l.meta.time_per_div.unwrap(), 1e-4, 1e-15, "time/div");
    let trig = l.meta.trigger.as_ref().unwrap();
    assert_eq!(trig.source.as_deref(), Some("CH1"));
    assert_close(trig.level.unwrap(), 1.6, 1e-6, "trigger level");

    // The .bin containers: frame string and record list.
    let (l, _) = load("agilent_mso7034a_scope_28.bin");
    assert_eq!(l.meta.model.as_deref(), Some("MSO7034A"));
    assert_eq!(l.meta.serial.as_deref(), Some("MY12345678"));
    assert_eq!(l.meta.records.len(), 2);
    assert_eq!(l.meta.screen_points, Some(250));
    let (l, _) = load("DHO1074.bin");
    assert_eq!(l.meta.model.as_deref(), Some("HDO1074"));
    assert_eq!(l.meta.date.as_deref(), Some("2026-03-22 13:12:13"));
    assert_close(l.meta.time_per_div.unwrap(), 5e-3, 1e-9, "DHO time/div");
}

#[test]
fn repaired_files_say_so() {
    let (l, _) = load("MSO5074-A.bin");
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("2 Rigol .bin containers back to back")),
        "{:?}",
        l.warnings
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("unscaled 8-bit ADC codes"))
    );
    let (l, _) = load("MSO5000-A.bin");
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("declares 16164 bytes"))
    );
    let (l, _) = load("DS1204B-A.wfm");
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}
