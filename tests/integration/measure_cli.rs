//! `tracekit measure` on the built binary: generated signals with known answers (each at
//! --chunk 1, 7, 4096 and the default, which must give the same bytes), the scopes' own
//! measurements of real captures, and one-line errors.

use crate::pulse::signals::{Shape, jittered_edges, rel, square_edges, waveform};
use crate::util::{Workdir, npy_bytes, write};
use serde_json::Value;

/// `xs` as a float64 .npy named `name` in `wd`.
pub fn npy_f64(wd: &Workdir, name: &str, xs: &[f64]) -> String {
    let data: Vec<u8> = xs.iter().flat_map(|x| x.to_le_bytes()).collect();
    write(
        &wd.path(name),
        &npy_bytes(1, "<f8", false, &[xs.len() as u64], &data),
    );
    name.to_string()
}

/// `tracekit measure ARGS --json` at every chunk size; the outputs must be identical.
/// Returns the first channel's object.
pub fn measure_json(wd: &Workdir, args: &[&str]) -> Value {
    let mut outputs = Vec::new();
    for chunk in ["1", "7", "4096", ""] {
        let mut a: Vec<&str> = vec!["measure", "--json"];
        if !chunk.is_empty() {
            a.extend(["--chunk", chunk]);
        }
        a.extend(args);
        outputs.push((chunk, wd.stdout(&a)));
    }
    for (chunk, out) in &outputs[1..] {
        assert_eq!(
            out, &outputs[0].1,
            "--chunk {chunk:?} differs from --chunk 1"
        );
    }
    let v: Value = serde_json::from_str(&outputs[0].1).unwrap();
    v["channels"][0].clone()
}

pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn square_wave_frequency_duty_and_levels() {
    // 37.3 samples per period (not an integer), 30 % duty, -0.5 V / 2 V, 3-sample edges,
    // 1 MS/s: 26.81 kHz.
    let wd = Workdir::new();
    let n = 20_000;
    let edges = square_edges(n, 37.3, 0.3, 10.25);
    let file = npy_f64(
        &wd,
        "sq.npy",
        &waveform(n, &edges, Shape::Linear(3.0), -0.5, 2.0),
    );
    let c = measure_json(&wd, &["-r", "1M", &file]);
    assert_eq!(c["levels"]["method"], "histogram");
    assert!((f(&c["levels"]["base"]) + 0.5).abs() < 1e-3, "{c}");
    assert!((f(&c["levels"]["top"]) - 2.0).abs() < 1e-3, "{c}");
    assert!(rel(f(&c["frequency"]), 1e6 / 37.3) < 1e-9, "{c}");
    assert!(rel(f(&c["period"]["mean"]), 37.3e-6) < 1e-9);
    assert!((f(&c["duty"]["mean"]) - 30.0).abs() < 1e-3, "{}", c["duty"]);
    assert!(rel(f(&c["positive_width"]["mean"]), 0.3 * 37.3e-6) < 1e-4);
    assert_eq!(f(&c["peak_to_peak"]), 2.5);
    let rising = edges
        .iter()
        .step_by(2)
        .filter(|&&e| e + 1.5 < n as f64)
        .count();
    assert_eq!(c["rising_edges"], rising as u64);
    assert_eq!(c["cycles"], rising as u64 - 1);
    // given levels: the duty cycle is exact
    let c = measure_json(&wd, &["-r", "1M", "--levels", "-0.5,2", &file]);
    assert_eq!(c["levels"]["method"], "given");
    let duty = &c["duty"];
    assert!((f(&duty["mean"]) - 30.0).abs() < 1e-9, "{duty}");
    assert!(f(&duty["max"]) - f(&duty["min"]) < 1e-9, "{duty}");
}

#[test]
fn rise_time_of_erf_edges_within_one_percent() {
    // Gaussian edges with a 10-90 % rise time of 10 and 25 samples; 20-80 % is
    // 2·0.8416σ = 10·(0.8416/1.2816) samples for the first.
    let wd = Workdir::new();
    for rise in [10.0, 25.0] {
        let n = 30_000;
        let edges = square_edges(n, 400.0, 0.5, 100.3);
        let file = npy_f64(
            &wd,
            "erf.npy",
            &waveform(n, &edges, Shape::Erf(rise), 0.0, 1.0),
        );
        let c = measure_json(&wd, &["-r", "1G", &file]);
        for key in ["rise_time", "fall_time"] {
            let got = f(&c[key]["mean"]);
            assert!(rel(got, rise * 1e-9) < 0.01, "{key} {got} vs {rise} ns");
        }
        let c = measure_json(&wd, &["-r", "1G", "--ref", "20,80", &file]);
        let want = rise * 0.841_621_233_572_914_3 / 1.281_551_565_544_600_4 * 1e-9;
        assert!(
            rel(f(&c["rise_time"]["mean"]), want) < 0.01,
            "{}",
            c["rise_time"]
        );
        assert_eq!(
            c["references"]["low"].as_f64().map(|v| (v * 1e3).round()),
            Some(200.0)
        );
    }
}

#[test]
fn overshoot_of_a_second_order_step() {
    // ζ = 0.3: overshoot exp(-πζ/√(1-ζ²)) = 37.23 % of the amplitude.
    let wd = Workdir::new();
    let n = 40_000;
    let edges = square_edges(n, 2000.0, 0.5, 100.0);
    let shape = Shape::SecondOrder {
        zeta: 0.3,
        ring: 40.0,
    };
    let file = npy_f64(&wd, "ring.npy", &waveform(n, &edges, shape, 0.0, 1.0));
    let c = measure_json(&wd, &["-r", "1M", "--levels", "0,1", &file]);
    let want = 100.0 * (-std::f64::consts::PI * 0.3 / (1.0f64 - 0.09).sqrt()).exp();
    for key in ["rise_overshoot", "fall_overshoot"] {
        let got = f(&c[key]["mean"]);
        assert!((got - want).abs() < 0.15, "{key}: {got} vs {want}");
    }
}

#[test]
fn tie_of_a_clock_with_gaussian_jitter_within_five_percent() {
    // 4000 cycles of 50 samples, every edge moved by N(0, 0.2²) samples at 1 GS/s: TIE rms
    // 0.2 ns, period jitter 0.2·√2 ns.
    let wd = Workdir::new();
    let edges = jittered_edges(4000, 50.0, 0.2, 7);
    let n = (edges[edges.len() - 1] + 30.0) as usize;
    let file = npy_f64(
        &wd,
        "clk.npy",
        &waveform(n, &edges, Shape::Linear(4.0), 0.0, 1.0),
    );
    let c = measure_json(&wd, &["-r", "1G", "--levels", "0,1", &file]);
    let tie = &c["jitter"]["tie"];
    assert!(rel(f(&tie["rms"]), 0.2e-9) < 0.05, "{tie}");
    let period = &c["jitter"]["period"];
    assert!(
        rel(f(&period["rms"]), 0.2e-9 * 2f64.sqrt()) < 0.05,
        "{period}"
    );
    assert!(rel(f(&tie["clock"]["period"]), 50e-9) < 1e-3, "{tie}");
}

#[test]
fn per_cycle_records_stream_one_line_per_cycle() {
    let wd = Workdir::new();
    let n = 5_000;
    let edges = square_edges(n, 100.0, 0.25, 20.0);
    let file = npy_f64(
        &wd,
        "sq.npy",
        &waveform(n, &edges, Shape::Linear(2.0), 0.0, 1.0),
    );
    let mut csv = Vec::new();
    for chunk in ["1", "7", "4096"] {
        csv.push(wd.stdout(&[
            "measure",
            "--per-cycle",
            "--levels",
            "0,1",
            "--chunk",
            chunk,
            "-r",
            "1M",
            &file,
        ]));
    }
    assert!(csv.iter().all(|c| *c == csv[0]), "CSV differs with --chunk");
    let lines: Vec<&str> = csv[0].lines().collect();
    assert!(
        lines[0].starts_with("channel,cycle,start,time_s,period,"),
        "{}",
        lines[0]
    );
    // rising edges at 20, 120, ..., 4920: 49 complete cycles
    assert_eq!(lines.len(), 1 + 49);
    for (k, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], "0");
        assert_eq!(cells[1], k.to_string());
        assert_eq!(cells[2], (20 + 100 * k).to_string(), "{line}");
        assert!(rel(cells[4].parse().unwrap(), 100e-6) < 1e-12, "{line}");
        assert!(
            (cells[8].parse::<f64>().unwrap() - 25.0).abs() < 1e-9,
            "{line}"
        );
    }
    let jsonl = wd.stdout(&[
        "measure",
        "--per-cycle",
        "--json",
        "--levels",
        "0,1",
        "-r",
        "1M",
        &file,
    ]);
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["start"], 20);
    assert_eq!(first["channel"], 0);
    assert!((f(&first["time_s"]) - 20e-6).abs() < 1e-15, "{first}");
    assert_eq!(jsonl.lines().count(), 49);
    // each JSON line holds the CSV line's columns, in the header's order, with its values
    let header: Vec<&str> = lines[0].split(',').collect();
    for (json, csv) in jsonl.lines().zip(&lines[1..]) {
        let record: Value = serde_json::from_str(json).unwrap();
        let object = record.as_object().unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), header, "{json}");
        for (value, cell) in object.values().zip(csv.split(',')) {
            match cell {
                "" => assert!(value.is_null(), "{json}"),
                _ => assert_eq!(f(value), cell.parse::<f64>().unwrap(), "{json}"),
            }
        }
    }
}

#[test]
fn table_names_every_quantity() {
    let wd = Workdir::new();
    let n = 5_000;
    let edges = square_edges(n, 100.0, 0.25, 20.0);
    let file = npy_f64(
        &wd,
        "sq.npy",
        &waveform(n, &edges, Shape::Linear(2.0), 0.0, 1.0),
    );
    let out = wd.stdout(&["measure", "-r", "1M", &file]);
    for row in [
        "period",
        "duty cycle",
        "rise time",
        "frequency",
        "TIE rms",
        "amplitude",
    ] {
        assert!(out.contains(row), "no {row} row in\n{out}");
    }
    assert!(out.contains("10000"), "frequency 10 kHz in\n{out}");
}

/// The scope's own measurement `name` (`Frequency(1)`, `Pk-Pk(1)`) from its setup text, in
/// base units.
fn scope_measurement(txt: &str, name: &str) -> f64 {
    let line = txt
        .lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no {name}"));
    let value = line.rsplit("Cur ").next().unwrap().trim();
    let (number, unit) = value.split_at(value.find(|c: char| c.is_alphabetic()).unwrap());
    let scale = match &unit[..1] {
        "k" => 1e3,
        "M" => 1e6,
        "m" => 1e-3,
        _ => 1.0,
    };
    number.parse::<f64>().unwrap() * scale
}

#[test]
fn keysight_captures_agree_with_the_scopes_own_measurements() {
    // The DSO-X 1102G's setup text records its Frequency and Pk-Pk of the same acquisition.
    // Tolerances: frequency 0.5 %, peak-to-peak 2 % of the interval its printed digits stand
    // for (agilent_4 prints "1.00V": 0.995..1.005 V; max - min of the stored samples is
    // 1.0211 V, 1.6 % above it).
    let wd = Workdir::new();
    for (name, vpp_half_digit) in [("agilent_3", 0.05), ("agilent_4", 0.005)] {
        let bin = format!("{}/tests/data/scope/{name}.bin", env!("CARGO_MANIFEST_DIR"));
        let txt = std::fs::read_to_string(bin.replace(".bin", ".txt")).unwrap();
        let c = measure_json(&wd, &["--channel", "0", &bin]);
        let freq = f(&c["frequency"]);
        let want = scope_measurement(&txt, "Frequency(1)");
        assert!(
            rel(freq, want) < 0.005,
            "{name}: {freq} Hz vs the scope's {want}"
        );
        let vpp = f(&c["peak_to_peak"]);
        let shown = scope_measurement(&txt, "Pk-Pk(1)");
        let nearest = vpp.clamp(shown - vpp_half_digit, shown + vpp_half_digit);
        assert!(
            rel(vpp, nearest) < 0.02,
            "{name}: {vpp} V vs the scope's {shown}"
        );
    }
}

#[test]
fn mso7034a_probe_compensation_square_is_1_2_khz() {
    // The sigrok-dumps README: a 1.2 kHz probe-compensation square on both channels (the
    // nominal value, not a measurement of the scope: 1 % tolerance).
    let wd = Workdir::new();
    let bin = format!(
        "{}/tests/data/scope/agilent_mso7034a_scope_28.bin",
        env!("CARGO_MANIFEST_DIR")
    );
    let out: Value = serde_json::from_str(&wd.stdout(&["measure", "--json", &bin])).unwrap();
    for c in out["channels"].as_array().unwrap() {
        let freq = f(&c["frequency"]);
        assert!(rel(freq, 1200.0) < 0.01, "{}: {freq} Hz", c["name"]);
        assert!((f(&c["duty"]["mean"]) - 50.0).abs() < 2.0, "{}", c["duty"]);
    }
}

#[test]
fn measure_errors_are_one_line() {
    let wd = Workdir::new();
    let file = npy_f64(&wd, "flat.npy", &[0.5; 100]);
    // a flag's bad value is a usage error (exit 2) naming it
    let out = wd
        .cmd(&["measure", "--levels", "1,0.5", &file])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--levels"));
    let e = wd.error(&["measure", &file]);
    assert!(e.contains("flat.npy"), "{e}");
    let e = wd.error(&["measure", "--levels", "0,1", "--threshold", "2", &file]);
    assert!(e.contains("threshold 2"), "{e}");
    let out = wd
        .cmd(&["measure", "-"])
        .write_stdin(std::fs::read(wd.path("flat.npy")).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("--levels LOW,HIGH") && stderr.lines().count() == 1,
        "{stderr}"
    );
}
