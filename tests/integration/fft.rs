//! `tracekit fft`: known signals from `tracekit generate`, checked through the JSON report,
//! the spectrum files and the plot.

use crate::util::{Workdir, read_npy_f64};
use serde_json::Value;

/// 10·log10(A²/2) for amplitude 1.
const HALF_DB: f64 = -3.010_299_956_639_812;

fn generate(w: &Workdir, out: &str, extra: &[&str]) {
    let mut args = vec!["generate", "tone", "-r", "1M", "-q", "-o", out];
    args.extend_from_slice(extra);
    w.stdout(&args);
}

fn close(got: &Value, want: f64, tol: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
    assert!(
        (g - want).abs() <= tol,
        "{what}: got {g}, want {want} ± {tol}"
    );
}

#[test]
fn tone_at_a_bin_centre_and_between_bins() {
    let w = Workdir::new();
    // nfft 1024 at 1 MHz: bin 100 is 97656.25 Hz, bin 100.5 is 98144.53125 Hz.
    for (freq, bin) in [("97656.25", 100.0), ("98144.53125", 100.5)] {
        generate(
            &w,
            "t.npy",
            &["--tone", &format!("{freq}:1"), "--samples", "64k"],
        );
        let resolution = 1e6 / 1024.0;
        for window in ["hann", "blackman-harris", "flattop"] {
            let j = w.json(&[
                "fft",
                "t.npy",
                "--nfft",
                "1024",
                "--scaling",
                "spectrum",
                "--window",
                window,
                "--json",
            ]);
            let case = format!("{window} bin {bin}");
            assert_eq!(j["sample_rate"], 1e6, "{case}");
            assert_eq!(j["frequency_unit"], "Hz");
            assert_eq!(j["level_unit"], "dBV²");
            close(&j["resolution"], resolution, 1e-9, &case);
            // (64000 - 1024) / 512 + 1 segments.
            assert_eq!(j["segments"], 124, "{case}");
            let peak = &j["channels"][0]["peaks"][0];
            close(&peak["freq"], bin * resolution, 0.01 * resolution, &case);
            close(&peak["power_db"], HALF_DB, 0.01, &case);
            if window == "flattop" {
                // The amplitude window reads A²/2 in its highest bin, between bins too.
                close(&peak["level_db"], HALF_DB, 0.01, &case);
            }
        }
    }
}

#[test]
fn white_noise_density_and_noise_floor() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "noise",
        "--noise",
        "0.5",
        "-r",
        "1M",
        "--samples",
        "512k",
        "-q",
        "-o",
        "n.npy",
    ]);
    let j = w.json(&["fft", "n.npy", "--nfft", "1024", "--json"]);
    assert_eq!(j["level_unit"], "dBV²/Hz");
    // One-sided density of white noise: 2σ²/fs.
    let want = 10.0 * (2.0 * 0.25 / 1e6f64).log10();
    close(
        &j["channels"][0]["noise_floor_db"],
        want,
        0.2,
        "noise floor",
    );
    close(&j["enbw"], 1.5 * 1e6 / 1024.0, 1e-6, "hann ENBW");
}

#[test]
fn harmonics_thd_and_two_tone_sfdr() {
    let w = Workdir::new();
    // f0 = 50 kHz (bin 50 of nfft 1000), harmonics at −40 and −50 dBc, an unrelated tone
    // at 333 kHz and −60 dBc.
    generate(
        &w,
        "h.npy",
        &[
            "--tone",
            "50k:1",
            "--tone",
            "100k:0.01",
            "--tone",
            "150k:0.0031622776601683794",
            "--tone",
            "333k:0.001",
            "--samples",
            "100k",
            "--dtype",
            "f64",
        ],
    );
    let j = w.json(&[
        "fft",
        "h.npy",
        "--nfft",
        "1000",
        "--window",
        "blackman-harris",
        "--json",
    ]);
    let tone = &j["channels"][0]["tone"];
    close(&tone["freq"], 50_000.0, 10.0, "f0");
    close(
        &tone["thd_db"],
        10.0 * (1e-4f64 + 1e-5).log10(),
        0.01,
        "THD",
    );
    close(&tone["harmonics"][0]["dbc"], -40.0, 0.01, "H2");
    close(&tone["harmonics"][1]["dbc"], -50.0, 0.01, "H3");
    close(&tone["sfdr_db"], 40.0, 0.01, "SFDR");
    close(&tone["spur_freq"], 100_000.0, 1e-6, "spur");
    let peaks = j["channels"][0]["peaks"].as_array().expect("peaks");
    close(&peaks[3]["freq"], 333_000.0, 10.0, "4th peak");
    close(
        &peaks[3]["power_db"],
        HALF_DB - 60.0,
        0.01,
        "4th peak power",
    );
}

#[test]
fn spectrum_is_identical_for_any_chunk_size() {
    let w = Workdir::new();
    generate(
        &w,
        "c.npy",
        &["--tone", "12.3k:1", "--noise", "0.1", "--samples", "20000"],
    );
    let run = |chunk: Option<&str>, out: &str| {
        let mut args = vec![
            "fft",
            "c.npy",
            "--nfft",
            "256",
            "--overlap",
            "100",
            "-o",
            out,
        ];
        if let Some(c) = chunk {
            args.extend(["--chunk", c]);
        }
        w.stdout(&args);
        std::fs::read_to_string(w.path(out)).expect("spectrum written")
    };
    let whole = run(None, "d.csv");
    assert!(
        whole.starts_with("freq_hz,power,power_db\n0,"),
        "{}",
        &whole[..40]
    );
    assert_eq!(whole.lines().count(), 1 + 129);
    for chunk in ["1", "7", "4096"] {
        assert!(
            run(Some(chunk), "x.csv") == whole,
            "--chunk {chunk} differs"
        );
    }
}

#[test]
fn npy_output_columns_match_the_csv() {
    let w = Workdir::new();
    generate(&w, "t.npy", &["--tone", "10k:1", "--samples", "8192"]);
    w.stdout(&["fft", "t.npy", "--nfft", "64", "-o", "s.npy", "-q"]);
    w.stdout(&["fft", "t.npy", "--nfft", "64", "-o", "s.csv", "-q"]);
    let (shape, v, _) = read_npy_f64(&w.path("s.npy"));
    assert_eq!(shape, vec![33, 3]);
    let csv = std::fs::read_to_string(w.path("s.csv")).expect("csv");
    for (row, line) in csv.lines().skip(1).enumerate() {
        let cells: Vec<f64> = line
            .split(',')
            .map(|c| c.parse().expect("number"))
            .collect();
        assert_eq!(cells[..2], v[row * 3..row * 3 + 2], "row {row}");
    }
    assert_eq!(v[3], 1e6 / 64.0);
}

#[test]
fn stdin_pipeline_keeps_the_rate() {
    let w = Workdir::new();
    let stream = w
        .cmd(&[
            "generate",
            "tone",
            "--tone",
            "62.5k:1",
            "-r",
            "1M",
            "--samples",
            "16k",
            "-o",
            "-",
        ])
        .output()
        .expect("runs")
        .stdout;
    let out = w
        .cmd(&["fft", "-", "--nfft", "256", "--json"])
        .write_stdin(stream)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["path"], "<stdin>");
    assert_eq!(j["sample_rate"], 1e6);
    close(
        &j["channels"][0]["peaks"][0]["freq"],
        62_500.0,
        1.0,
        "stdin tone",
    );
}

#[test]
fn channels_integers_and_no_rate() {
    let w = Workdir::new();
    generate(
        &w,
        "m.npy",
        &[
            "--tone",
            "125k:1",
            "--channels",
            "2",
            "--samples",
            "8192",
            "--dtype",
            "i16",
        ],
    );
    let j = w.json(&[
        "fft",
        "m.npy",
        "--nfft",
        "128",
        "--json",
        "--scaling",
        "spectrum",
    ]);
    let chans = j["channels"].as_array().expect("channels");
    assert_eq!(chans.len(), 2);
    // i16 samples of a tone of amplitude 1 are 0/±1: the tone is still at 125 kHz.
    for c in chans {
        close(&c["peaks"][0]["freq"], 125_000.0, 100.0, "i16 channel");
    }
    let one = w.json(&["fft", "m.npy", "--nfft", "128", "--channel", "1", "--json"]);
    assert_eq!(one["channels"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["channels"][0]["channel"], 1);
    // A raw file with no rate: frequencies in cycles/sample.
    generate(&w, "r.f32", &["--tone", "125k:1", "--samples", "4096"]);
    std::fs::remove_file(w.path("r.f32.tracekit.json")).expect("generate writes a rate sidecar");
    let raw = w.json(&["fft", "r.f32", "--nfft", "64", "--json"]);
    assert_eq!(raw["sample_rate"], Value::Null);
    assert_eq!(raw["frequency_unit"], "cycles/sample");
    assert_eq!(raw["level_unit"], "dBV²/(cycles/sample)");
    close(
        &raw["channels"][0]["peaks"][0]["freq"],
        0.125,
        1e-3,
        "cycles/sample",
    );
    let table = w.stdout(&["fft", "r.f32", "--nfft", "64"]);
    assert!(table.contains("cycles/sample"), "{table}");
}

#[test]
fn plot_is_an_svg_with_axes_and_peaks() {
    let w = Workdir::new();
    generate(
        &w,
        "t.npy",
        &["--tone", "100k:1", "--tone", "300k:0.1", "--samples", "64k"],
    );
    w.stdout(&[
        "fft", "t.npy", "--nfft", "8192", "--plot", "p.svg", "--peaks", "2", "-q",
    ]);
    let svg = std::fs::read_to_string(w.path("p.svg")).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for want in ["Frequency (kHz)", "Level (dBV²/Hz)", "100 kHz", "300 kHz"] {
        assert!(texts.contains(&want), "{want} missing from {texts:?}");
    }
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count(),
        2
    );
    // 4097 bins decimated to a min/max pair per pixel column: the longest polyline.
    let n = doc
        .descendants()
        .filter_map(|n| n.attribute("points"))
        .map(|p| p.split_whitespace().count())
        .max()
        .expect("polylines");
    assert!((1000..=2000).contains(&n), "{n} points");
    let err = w.error(&["fft", "t.npy", "--plot", "p.jpg"]);
    assert!(err.contains("p.jpg") && err.contains(".svg"), "{err}");
}

#[test]
fn bad_nfft_and_overlap_are_clear_errors() {
    let w = Workdir::new();
    generate(&w, "t.npy", &["--samples", "1000"]);
    let err = w.error(&["fft", "t.npy", "--nfft", "4096"]);
    assert!(
        err.contains("t.npy") && err.contains("4096") && err.contains("1000"),
        "{err}"
    );
    let err = w.error(&["fft", "t.npy", "--nfft", "256", "--overlap", "256"]);
    assert!(
        err.contains("t.npy") && err.contains("overlap") && err.contains("256"),
        "{err}"
    );
    let err = w.error(&["fft", "t.npy", "--nfft", "256", "--range", "0..100"]);
    assert!(err.contains("100 samples"), "{err}");
    let usage = w
        .cmd(&["fft", "t.npy", "--window", "hanning"])
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("hanning"));
    let err = w.error(&["fft", "t.npy", "--nfft", "64", "-o", "s.txt"]);
    assert!(err.contains("s.txt") && err.contains(".csv"), "{err}");
}
