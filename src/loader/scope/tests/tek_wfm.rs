//! Tektronix WFM#003 fixtures against the scope's CSV export and tm_data_types' values
//! (crosscheck/check.py prints the reference numbers used here).

use super::util::{assert_close, data, parse_file, printed_equal, values};
use crate::loader::XUnit;
use crate::loader::layout::Run;
use crate::loader::layout::VendorMeta;
use crate::loader::tek_wfm::{self, RecordKind, TekMetaValue, TekWfmMeta};
use crate::sample::{DType, Endian};

fn meta(layout: &crate::loader::layout::Layout<TekWfmMeta>) -> &TekWfmMeta {
    &layout.meta
}

#[test]
fn analog_record_equals_the_scopes_csv_export() {
    let layout = parse_file("tmdt_analog_waveform.wfm", tek_wfm::parse).unwrap();
    assert_eq!(layout.samples, 50000);
    let column = &layout.columns[0];
    assert_eq!((column.dtype, column.endian), (DType::I16, Endian::Little));
    // 32 pre-charge points (64 bytes) are left out.
    assert_eq!(
        column.runs,
        vec![Run {
            offset: 838 + 64,
            samples: 50000,
            stride: 2
        }]
    );
    let v = &values(&layout, "tmdt_analog_waveform.wfm")[0];
    let csv = std::fs::read_to_string(data("tmdt_analog_waveform.subset.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let field = |key: &str| {
        lines[..12]
            .iter()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(','))
            .unwrap()
    };
    let dt = layout.x_increment.unwrap();
    let t0 = layout.x_origin.unwrap();
    assert_eq!(dt, field("Sample Interval").parse::<f64>().unwrap());
    assert_eq!(layout.samples.to_string(), field("Record Length"));
    assert_close(
        -t0 / dt,
        field("Zero Index").parse().unwrap(),
        1e-12,
        "zero index",
    );
    let noise = 8.0 * f64::EPSILON * 1e-6;
    let mut rows = 0;
    for line in &lines[14..] {
        let parts: Vec<&str> = line.split(',').collect();
        let i: usize = parts[0].parse().unwrap();
        let t = t0 + i as f64 * dt;
        assert!(
            printed_equal(v[i], parts[2], 0.0),
            "row {i}: {} vs {}",
            v[i],
            parts[2]
        );
        assert!(
            printed_equal(t, parts[1], noise),
            "row {i}: t {t:e} vs {}",
            parts[1]
        );
        rows += 1;
    }
    assert_eq!(rows, 3156);
}

#[test]
fn analog_record_matches_tm_data_types() {
    let layout = parse_file("tmdt_analog_waveform.wfm", tek_wfm::parse).unwrap();
    let v = &values(&layout, "tmdt_analog_waveform.wfm")[0];
    assert_eq!(v.len(), 50000);
    assert_eq!(v[0], -0.148);
    assert_eq!(v[49999], 0.14400000000000002);
    assert_close(v.iter().sum(), -149.15999999999994, 1e-12, "sum");
    assert_eq!(v.iter().cloned().fold(f64::INFINITY, f64::min), -0.152);
    assert_eq!(layout.x_increment, Some(4e-11));
    // tm_data_types puts the trigger at sample 25000; the CSV (and this reader) include the
    // trigger's sub-sample offset 0.83984375.
    assert_eq!(layout.x_origin, Some(-9.9996640625e-07));
    assert_eq!(layout.x_unit, XUnit::Seconds);
    let ch = &layout.channels[0];
    assert_eq!(ch.name, "tmdt_analog_waveform");
    assert_eq!(ch.unit.as_deref(), Some("V"));
    assert_eq!((ch.gain, ch.offset), (1.5625e-5, 0.0));
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
}

#[test]
fn digital_record_is_eight_bit_lanes() {
    let layout = parse_file("tmdt_digital_waveform.wfm", tek_wfm::parse).unwrap();
    let v = values(&layout, "tmdt_digital_waveform.wfm");
    let names: Vec<&str> = layout.channels.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
    assert!(
        layout
            .channels
            .iter()
            .enumerate()
            .all(|(k, c)| c.bit == Some(k as u32) && c.column == 0)
    );
    assert_eq!(layout.columns[0].dtype, DType::U8);
    let ones: Vec<f64> = v.iter().map(|lane| lane.iter().sum()).collect();
    assert_eq!(
        ones,
        [
            1353.0, 1330.0, 1362.0, 1332.0, 1323.0, 1373.0, 1359.0, 1364.0
        ]
    );
    assert!(v.iter().all(|lane| lane.len() == 2500));
    assert_eq!(layout.x_increment, Some(4e-11));
    assert_eq!(layout.x_origin, Some(-4.9962031249999995e-08));
    assert_eq!(meta(&layout).record, RecordKind::Digital);
}

#[test]
fn iq_record_is_two_interleaved_channels() {
    let layout = parse_file("tmdt_iq_waveform.wfm", tek_wfm::parse).unwrap();
    assert_eq!(layout.samples, 3625);
    let (i, q) = (&layout.channels[0], &layout.channels[1]);
    assert!(i.complex_i && !q.complex_i);
    assert_eq!((i.name.as_str(), q.name.as_str()), ("I", "Q"));
    let runs: Vec<Run> = layout.columns.iter().map(|c| c.runs[0]).collect();
    assert_eq!(
        runs,
        [
            Run {
                offset: 838,
                samples: 3625,
                stride: 4
            },
            Run {
                offset: 840,
                samples: 3625,
                stride: 4
            }
        ]
    );
    let v = values(&layout, "tmdt_iq_waveform.wfm");
    assert_eq!((v[0][0], v[0][3624]), (0.1625, 0.11609375));
    assert_eq!((v[1][0], v[1][3624]), (-0.14828125, -0.10234375));
    assert_close(v[0].iter().sum(), 603.8996875, 1e-12, "I sum");
    assert_close(v[1].iter().sum(), -542.3457812500001, 1e-12, "Q sum");
    // One I/Q pair per two stored values: the interval agrees with the IQ rate that
    // tm_data_types derives from tekmeta (FFT length × RBW / 1.9 for a Blackman-Harris window).
    let m = meta(&layout);
    let number = |key: &str| match m.tekmeta.iter().find(|(k, _)| k == key) {
        Some((_, TekMetaValue::Float(x))) => *x,
        other => panic!("{key}: {other:?}"),
    };
    let rate = number("IQ_fftLength") * number("IQ_rbw") / 1.9;
    assert_close(rate, 1.25e6, 1e-12, "IQ rate");
    assert_close(layout.x_increment.unwrap() * rate, 1.0, 1e-5, "IQ interval");
    assert_eq!(layout.x_origin, Some(-0.0014494074973471387));
}

#[test]
fn fastframe_frames_become_segments_without_their_pre_and_post_charge() {
    let layout = parse_file("sample_ff1.wfm", tek_wfm::parse).unwrap();
    assert_eq!(layout.samples, 5000);
    let runs = &layout.columns[0].runs;
    assert_eq!(runs.len(), 5);
    for (k, run) in runs.iter().enumerate() {
        let offset = 1054 + 64 + 2128 * k as u64;
        assert_eq!(
            *run,
            Run {
                offset,
                samples: 1000,
                stride: 2
            }
        );
    }
    let times: Vec<f64> = layout.segments.iter().map(|s| s.time.unwrap()).collect();
    let want = [0.0, 4.0448e-7, 8.0995e-7, 1.21442e-6, 1.60099e-6];
    for (got, want) in times.iter().zip(want) {
        assert!((got - want).abs() < 1e-15, "{got:e} vs {want:e}");
    }
    assert_eq!(layout.segments[3].first_sample, 3000);
    assert_eq!(
        layout.segments[0].timestamp.as_deref(),
        Some("2018-09-19T19:10:45.461392392Z")
    );
    let v = &values(&layout, "sample_ff1.wfm")[0];
    assert_eq!((v[0], v[4999]), (0.09289999999999976, 3.310125));
    assert_close(v.iter().sum(), 8281.713800000001, 1e-12, "sum");
    let m = meta(&layout);
    assert_eq!(
        (m.frames, m.precharge_points, m.postcharge_points),
        (5, 32, 32)
    );
    assert_eq!(layout.x_increment, Some(3.2e-10));
}

#[test]
fn info_rows_and_json_describe_the_record() {
    let layout = parse_file("tmdt_analog_waveform.wfm", tek_wfm::parse).unwrap();
    let rows = layout.meta.rows();
    let get = |k: &str| rows.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
    assert_eq!(get("Format"), Some("Tektronix WFM#003 (little-endian)"));
    assert_eq!(get("Vertical scale"), Some("59.2 mV/div"));
    assert_eq!(get("Sample interval"), Some("40 ps"));
    assert_eq!(get("Horizontal scale"), Some("200 ns/div"));
    assert_eq!(get("Conversion"), Some("value = code × 1.5625e-5 + 0 V"));
    let json = serde_json::to_value(&layout.meta).unwrap();
    assert_eq!(json["record"], "analog");
    assert_eq!(json["record_length"], 50000);
}
