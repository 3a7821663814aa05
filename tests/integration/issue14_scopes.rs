//! Issue 14: oscilloscope files read as saved, through the built binary: every vendor
//! fixture opens, values equal the scopes' own exports, names and segments, raw codes,
//! metadata that travels, UART on a Rigol capture, damaged files as one error line.
//! (Parser-level tests of the same files live in src/loader/scope/tests/.)

use crate::util::{Workdir, read_npy_f64};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/scope")
        .join(name)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `x` equals the text `printed` to its printed precision (half a unit of its last digit),
/// plus `noise`.
fn printed_equal(x: f64, printed: &str, noise: f64) -> bool {
    let lower = printed.trim().to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap()),
        None => (lower.as_str(), 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let half_unit = 0.5 * 10f64.powi(exponent - decimals);
    (x - printed.trim().parse::<f64>().unwrap()).abs()
        <= half_unit + noise + 8.0 * f64::EPSILON * x.abs()
}

/// Every channel of `name` as f64 values, through `slice --to f64` to a .npy.
fn sliced(w: &Workdir, name: &str, extra: &[&str]) -> (Vec<u64>, Vec<f64>, String) {
    let out = w.path("out.npy");
    let input = fixture(name);
    let mut args = vec![
        "slice",
        "..",
        arg(&input),
        "--to",
        "f64",
        "-o",
        arg(&out),
        "-q",
    ];
    args.extend_from_slice(extra);
    w.stdout(&args);
    read_npy_f64(&out)
}

const OPENS: [(&str, &str, u64, usize); 22] = [
    ("tmdt_analog_waveform.wfm", "tek-wfm", 50000, 1),
    ("tmdt_digital_waveform.wfm", "tek-wfm", 2500, 8),
    // An IQ record: one complex channel (issue 15), I and Q as its two columns.
    ("tmdt_iq_waveform.wfm", "tek-wfm", 3625, 1),
    ("sample_ff1.wfm", "tek-wfm", 5000, 1),
    ("tek0003NRM_rf_freqdomain.isf", "tek-isf", 1001, 1),
    ("lecroy_4.trc", "lecroy-trc", 502, 1),
    ("trace1.000", "lecroy-trc", 5002, 1),
    ("rs_rtp_01.bin", "rs-bin", 4000, 1),
    ("rs_rtp_04.Wfm.bin", "rs-bin", 4000, 1),
    ("DS1000E-A.wfm", "rigol-wfm", 8192, 2),
    ("DS1052E.wfm", "rigol-wfm", 8192, 2),
    ("DS1102E-D.wfm", "rigol-wfm", 8192, 2),
    ("DS1204B-A.wfm", "rigol-wfm", 8192, 4),
    (
        "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
        "rigol-wfm",
        30128,
        3,
    ),
    ("DS2072A-5.wfm", "rigol-wfm", 14000, 2),
    ("DS4022-A.wfm", "rigol-wfm", 7000, 4),
    ("DHO1074.wfm", "rigol-wfm", 10000, 4),
    ("DHO824-ch1.wfm", "rigol-wfm", 10000, 1),
    ("MSO5000-A.bin", "rigol-bin", 1000, 4),
    ("MSO5074-A.bin", "rigol-bin", 1000, 2),
    ("agilent_3.bin", "keysight-bin", 4000, 2),
    ("agilent_mso7034a_scope_30.bin", "keysight-bin", 1000, 2),
];

#[test]
fn issue_14_every_vendor_fixture_opens_and_lecroy_1_is_a_clear_error() {
    let w = Workdir::new();
    for (name, format, samples, channels) in OPENS {
        let path = fixture(name);
        let v = w.json(&["info", "--json", arg(&path)]);
        assert_eq!(v["format"], format, "{name}");
        assert_eq!(v["samples"], samples, "{name}");
        assert_eq!(v["channels"], channels, "{name}");
        let stats = w.json(&["stats", "--json", "-q", arg(&path)]);
        assert_eq!(stats["channels"][0]["count"], samples, "{name}");
    }
    // two containers back to back: their waveforms are numbered in file order, so each
    // warning names its own waveform
    let out = w
        .cmd(&["info", arg(&fixture("MSO5074-A.bin"))])
        .output()
        .unwrap();
    let warnings = String::from_utf8_lossy(&out.stderr);
    for k in 0..2 {
        let needle = format!("waveform {k} data header 0 declares 4000 bytes for 1000 points");
        assert_eq!(warnings.matches(&needle).count(), 1, "{warnings}");
    }
    let truncated = fixture("lecroy_1.trc");
    let err = w.error(&["info", arg(&truncated)]);
    assert!(
        err.contains("lecroy_1.trc: truncated file")
            && err.contains("804357")
            && err.contains("357 bytes"),
        "{err}"
    );
}

#[test]
fn issue_14_tek_wfm_values_rate_and_t0_equal_the_scopes_csv() {
    let w = Workdir::new();
    let (shape, v, header) = sliced(&w, "tmdt_analog_waveform.wfm", &[]);
    assert_eq!(shape, [50000]);
    assert!(header.contains(r#""units":["V"]"#), "{header}");
    let csv = std::fs::read_to_string(fixture("tmdt_analog_waveform.subset.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let field = |key: &str| {
        lines[..12]
            .iter()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(','))
            .unwrap()
    };
    let info = w.json(&["info", "--json", arg(&fixture("tmdt_analog_waveform.wfm"))]);
    let dt = info["x_increment"].as_f64().unwrap();
    let t0 = info["start_time_s"].as_f64().unwrap();
    assert_eq!(dt, field("Sample Interval").parse::<f64>().unwrap());
    assert_eq!(info["sample_rate"].as_f64().unwrap(), 1.0 / dt);
    let zero_index: f64 = field("Zero Index").parse().unwrap();
    assert!((-t0 / dt - zero_index).abs() < 1e-6, "{t0} {dt}");
    let mut rows = 0;
    for line in &lines[14..] {
        let parts: Vec<&str> = line.split(',').collect();
        let i: usize = parts[0].parse().unwrap();
        assert!(printed_equal(v[i], parts[2], 0.0), "row {i}: {}", v[i]);
        let t = t0 + i as f64 * dt;
        assert!(printed_equal(t, parts[1], 1e-20), "row {i}: t {t:e}");
        rows += 1;
    }
    assert_eq!(rows, 3156);
}

#[test]
fn issue_14_rs_values_equal_the_scopes_csv_by_either_name() {
    let w = Workdir::new();
    let csv = std::fs::read_to_string(fixture("rs_rtp_01.Wfm.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    for name in ["rs_rtp_01.bin", "rs_rtp_01.Wfm.bin"] {
        let (shape, v, _) = sliced(&w, name, &[]);
        assert_eq!(shape, [4000], "{name}");
        for (i, (x, row)) in v.iter().zip(&rows).enumerate() {
            assert!(printed_equal(*x, row, 0.0), "{name} row {i}: {x} vs {row}");
        }
    }
    // The XY export: a time before each value, skipped; the CSV prints both.
    let (_, v, _) = sliced(&w, "rs_rtp_04.bin", &[]);
    let info = w.json(&["info", "--json", arg(&fixture("rs_rtp_04.bin"))]);
    assert_eq!(info["data_file"], "rs_rtp_04.Wfm.bin");
    let (t0, dt) = (
        info["start_time_s"].as_f64().unwrap(),
        info["x_increment"].as_f64().unwrap(),
    );
    let csv = std::fs::read_to_string(fixture("rs_rtp_04.Wfm.csv")).unwrap();
    for (i, line) in csv.lines().enumerate() {
        let (time, value) = line.split_once(',').unwrap();
        assert!(printed_equal(v[i], value, 0.0), "row {i}");
        assert!(
            printed_equal(t0 + i as f64 * dt, time, 1e-22),
            "row {i} time"
        );
    }
}

#[test]
fn issue_14_rigol_values_equal_the_scopes_csv() {
    let w = Workdir::new();
    let (shape, v, header) = sliced(&w, "DS1204B-A.wfm", &[]);
    assert_eq!(shape, [8192, 4]);
    assert!(
        header.contains(r#""channel_names":["CH1","CH2","CH3","CH4"]"#),
        "{header}"
    );
    let info = w.json(&["info", "--json", arg(&fixture("DS1204B-A.wfm"))]);
    let (t0, dt) = (
        info["start_time_s"].as_f64().unwrap(),
        info["x_increment"].as_f64().unwrap(),
    );
    let csv = std::fs::read_to_string(fixture("DS1204B-A-subset.csv")).unwrap();
    let mut compared = 0;
    for line in csv.lines().skip(2) {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let time: f64 = cells[0].parse().unwrap();
        let i = ((time - t0) / dt).round() as usize;
        assert!(printed_equal(t0 + i as f64 * dt, cells[0], 1e-15), "{line}");
        for k in 0..4 {
            let ours = v[i * 4 + k];
            assert!(
                printed_equal(ours, cells[k + 1], 1e-12),
                "CH{} at {i}: {ours} vs {}",
                k + 1,
                cells[k + 1]
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 520);
    assert_eq!(t0, -0.032768);
}

#[test]
fn issue_14_channels_by_name_or_index() {
    let w = Workdir::new();
    let file = fixture("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm");
    let by_name = w.stdout(&["stats", "--json", "-q", "--channel", "ch3", arg(&file)]);
    let by_index = w.stdout(&["stats", "--json", "-q", "--channel", "1", arg(&file)]);
    assert_eq!(by_name, by_index);
    let table = w.stdout(&["stats", "-q", arg(&file)]);
    assert!(table.contains("CH3 (ch 1)"), "{table}");
    let err = w.error(&["stats", "--channel", "CH2", arg(&file)]);
    assert!(
        err.contains("--channel CH2: no channel of that name; the capture has CH1, CH3, CH4"),
        "{err}"
    );
    let (shape, _, header) = sliced(
        &w,
        "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
        &["--channel", "CH4,CH1"],
    );
    assert_eq!(shape, [30128, 2]);
    assert!(
        header.contains(r#""channel_names":["CH4","CH1"]"#),
        "{header}"
    );
}

#[test]
fn issue_14_uart_on_a_rigol_ds1054z_channel() {
    let w = Workdir::new();
    let file = fixture("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm");
    let out = w
        .cmd(&[
            "decode-uart",
            "--baud",
            "auto",
            "--threshold",
            "auto",
            "--channel",
            "CH1",
            "--format",
            "json",
            arg(&file),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let values: Vec<u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["error"], Value::Null, "{l}");
            v["value"].as_u64().unwrap()
        })
        .collect();
    // STX, 01 0C C1 8C, ETX: an independent decode of the same samples (numpy, sampling
    // each bit at its centre) reads the same six bytes.
    assert_eq!(values, [0x02, 0x01, 0x0c, 0xc1, 0x8c, 0x03]);
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(
        summary.contains("baud 115200 (auto: measured 115"),
        "{summary}"
    );
}

#[test]
fn issue_14_raw_codes_keep_the_stored_integers() {
    let w = Workdir::new();
    let file = fixture("tmdt_analog_waveform.wfm");
    let codes = w.path("codes.npy");
    w.stdout(&["slice", "..", arg(&file), "--raw-codes", "-o", arg(&codes)]);
    let (_, raw, header) = read_npy_f64(&codes);
    assert!(header.contains("'<i2'"), "{header}");
    let (_, volts, header) = sliced(&w, "tmdt_analog_waveform.wfm", &[]);
    assert!(!header.contains("'<i2'"));
    for (c, v) in raw.iter().zip(&volts) {
        assert_eq!(c * 1.5625e-5, *v);
    }
    // The default output type of scaled values is f32.
    let f32_out = w.path("volts.npy");
    w.stdout(&["slice", "..", arg(&file), "-o", arg(&f32_out)]);
    let (_, v32, header) = read_npy_f64(&f32_out);
    assert!(header.contains("'<f4'"), "{header}");
    assert_eq!(v32[0], -0.148f32 as f64);
}

#[test]
fn issue_14_stats_of_scaled_codes_match_the_scaled_samples() {
    let w = Workdir::new();
    for name in ["tmdt_analog_waveform.wfm", "DS4022-A.wfm", "lecroy_4.trc"] {
        let file = fixture(name);
        let stats = w.json(&["stats", "--json", "-q", arg(&file)]);
        let (shape, v, _) = sliced(&w, name, &[]);
        let channels = shape.get(1).copied().unwrap_or(1) as usize;
        for k in 0..channels {
            let x: Vec<f64> = v.iter().skip(k).step_by(channels).copied().collect();
            let n = x.len() as f64;
            let mean = x.iter().sum::<f64>() / n;
            let std = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            let (argmin, min) =
                x.iter().enumerate().fold(
                    (0, f64::INFINITY),
                    |a, (i, &v)| if v < a.1 { (i, v) } else { a },
                );
            let s = &stats["channels"][k];
            assert_eq!(s["min"].as_f64().unwrap(), min, "{name} {k}");
            assert_eq!(s["argmin"].as_u64().unwrap(), argmin as u64, "{name} {k}");
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
            assert!(close(s["mean"].as_f64().unwrap(), mean), "{name} {k} mean");
            assert!(close(s["std"].as_f64().unwrap(), std), "{name} {k} std");
        }
    }
}

#[test]
fn issue_14_segments_listed_chosen_or_concatenated_with_a_warning() {
    let w = Workdir::new();
    let file = fixture("sample_ff1.wfm");
    let info = w.json(&["info", "--json", arg(&file)]);
    let segments = info["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 5);
    assert_eq!(segments[3]["first_sample"], 3000);
    assert!((segments[1]["time_s"].as_f64().unwrap() - 4.0448e-7).abs() < 1e-15);
    assert_eq!(segments[0]["timestamp"], "2018-09-19T19:10:45.461392392Z");
    let out = w.cmd(&["stats", arg(&file)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("5 segments are read one after the other, so time is not contiguous"),
        "{stderr}"
    );
    let (_, all, _) = sliced(&w, "sample_ff1.wfm", &[]);
    let (shape, third, _) = sliced(&w, "sample_ff1.wfm", &["--segment", "2"]);
    assert_eq!(shape, [1000]);
    assert_eq!(third, all[2000..3000]);
    let one = w.json(&["info", "--json", "--segment", "2", arg(&file)]);
    assert_eq!(
        (one["samples"].as_u64(), &one["segment"]),
        (Some(1000), &Value::from(2))
    );
    let err = w.error(&["stats", "--segment", "5", arg(&file)]);
    assert!(
        err.contains("--segment 5 but the capture has 5 segment(s)"),
        "{err}"
    );
}

#[test]
fn issue_14_frequency_records_have_no_time_rate() {
    let w = Workdir::new();
    let file = fixture("tek0003NRM_rf_freqdomain.isf");
    let info = w.json(&["info", "--json", arg(&file)]);
    assert_eq!(info["sample_rate"], Value::Null);
    assert_eq!(info["x_unit"], "Hz");
    assert!(info["x_increment"].as_f64().unwrap() > 0.0);
    let table = w.stdout(&["info", arg(&file)]);
    assert!(table.contains("not a time axis"), "{table}");
    let err = w.error(&["stats", "--range", "1ms..", arg(&file)]);
    assert!(err.contains("rate"), "{err}");
}

#[test]
fn issue_14_fft_and_format_names() {
    let w = Workdir::new();
    // A copy whose name says nothing: --format names the format.
    let copy = w.path("capture.dat");
    std::fs::copy(fixture("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm"), &copy).unwrap();
    w.stdout(&[
        "fft",
        "-q",
        "--format",
        "rigol-wfm",
        "--channel",
        "CH4",
        "capture.dat",
        "-o",
        "spectrum.csv",
    ]);
    let spectrum = std::fs::read_to_string(w.path("spectrum.csv")).unwrap();
    let bin1: Vec<f64> = spectrum
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .map(|c| c.parse().unwrap())
        .collect();
    // scipy.signal.welch(RigolWFM's CH4 volts, fs, nperseg=8192, hann): the 1.5 kHz sine
    // in bin 1 (benches/crosscheck/vendor.py prints these numbers).
    assert!((bin1[0] - 1525.8789289873675).abs() < 1e-9, "{bin1:?}");
    assert!(
        (bin1[1] / 2.581743222224569e-4 - 1.0).abs() < 1e-9,
        "{bin1:?}"
    );
    let info = w.json(&["info", "--json", "capture.dat"]);
    assert_eq!(info["format"], "rigol-wfm");
}

#[test]
fn issue_14_damaged_files_give_one_error_line_naming_the_file() {
    let w = Workdir::new();
    let cases: [(&str, usize, &[&str]); 4] = [
        ("tmdt_analog_waveform.wfm", 50_000, &["100966", "50000"]),
        (
            "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
            60_000,
            &["60000"],
        ),
        ("agilent_3.bin", 10_000, &["10000"]),
        ("rs_rtp_01.Wfm.bin", 10_000, &["16288", "10000"]),
    ];
    for (name, cut, parts) in cases {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let target = w.path(name);
        std::fs::write(&target, &bytes[..cut]).unwrap();
        if name.ends_with(".Wfm.bin") {
            std::fs::copy(fixture("rs_rtp_01.bin"), w.path("rs_rtp_01.bin")).unwrap();
        }
        let err = w.error(&["stats", name]);
        assert!(err.contains(&format!("{name}: ")), "{err}");
        for part in parts {
            assert!(err.contains(part), "{name}: {err}");
        }
    }
    let mut v4 = std::fs::read(fixture("tmdt_analog_waveform.wfm")).unwrap();
    v4[2..10].copy_from_slice(b":WFM#004");
    std::fs::write(w.path("v4.wfm"), &v4).unwrap();
    let err = w.error(&["info", "v4.wfm"]);
    assert!(
        err.contains("v4.wfm: unsupported Tektronix WFM version WFM#004"),
        "{err}"
    );
}

#[test]
fn issue_14_info_shows_the_vendor_metadata_as_typed_keys() {
    let w = Workdir::new();
    let rigol = w.json(&[
        "info",
        "--json",
        arg(&fixture("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm")),
    ]);
    let v = &rigol["vendor"];
    assert_eq!(
        (&v["model"], &v["firmware"]),
        (&Value::from("DS1104Z"), &Value::from("00.04.04.SP3"))
    );
    assert_eq!(v["time_per_div"], 2e-4);
    assert_eq!(v["channels"][0]["name"], "CH1");
    assert_eq!(v["channels"][0]["volts_per_div"], 1.0);
    assert_eq!(v["channels"][0]["probe"], 10.0);
    assert_eq!(v["channels"][0]["coupling"], "DC");
    assert_eq!(rigol["channel_details"][2]["name"], "CH4");
    assert_eq!(rigol["channel_details"][2]["gain"], 0.05);
    let lecroy = w.json(&["info", "--json", arg(&fixture("lecroy_4.trc"))]);
    let v = &lecroy["vendor"];
    assert_eq!(
        (&v["instrument"], &v["serial"]),
        (&Value::from("LECROYWR64Xi-A"), &Value::from(50699))
    );
    assert_eq!(v["trigger_time"], "2022-11-09 09:23:52.112417");
    assert_eq!(v["coupling"], "DC 50 Ω");
    let tek = w.json(&["info", "--json", arg(&fixture("tmdt_analog_waveform.wfm"))]);
    assert_eq!(tek["vendor"]["version"], "WFM#003");
    assert_eq!(tek["vendor"]["record_length"], 50000);
    let table = w.stdout(&["info", arg(&fixture("DS2072A-5.wfm"))]);
    for row in ["DS2D162450999", "1 µs/div", "edge, CH1, level 16.84 mV"] {
        assert!(table.contains(row), "{row}:\n{table}");
    }
}
