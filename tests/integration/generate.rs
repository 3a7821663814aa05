//! `tracekit generate`: known signals, deterministic, every output kind.

use crate::util::{Workdir, read_npy_f64};

#[test]
fn tone_values_are_the_sine_they_claim() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "tone",
        "--tone",
        "1kHz:0.5",
        "--tone",
        "3k:0.25",
        "-r",
        "48k",
        "--samples",
        "100k",
        "--dtype",
        "f64",
        "-o",
        "t.npy",
    ]);
    let (shape, v, header) = read_npy_f64(&w.path("t.npy"));
    assert_eq!(shape, vec![100_000]);
    assert!(
        header.contains("\"sample_rate\": 48000.0") || header.contains("\"sample_rate\":48000.0"),
        "{header}"
    );
    for i in [0usize, 1, 17, 4_999, 99_999] {
        let t = i as f64 / 48_000.0;
        let want = 0.5 * (std::f64::consts::TAU * 1000.0 * t).sin()
            + 0.25 * (std::f64::consts::TAU * 3000.0 * t).sin();
        assert!((v[i] - want).abs() < 1e-9, "sample {i}: {} vs {want}", v[i]);
    }
}

#[test]
fn noise_is_seeded_and_has_its_rms() {
    let w = Workdir::new();
    for (seed, out) in [("7", "a.npy"), ("7", "b.npy"), ("8", "c.npy")] {
        let args = ["generate", "noise", "--noise", "2", "--seed", seed];
        w.stdout(&[&args[..], &["--samples", "200k", "-o", out]].concat());
    }
    let a = std::fs::read(w.path("a.npy")).unwrap();
    assert_eq!(a, std::fs::read(w.path("b.npy")).unwrap());
    assert_ne!(a, std::fs::read(w.path("c.npy")).unwrap());
    let (_, v, _) = read_npy_f64(&w.path("a.npy"));
    let rms = (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt();
    assert!((rms - 2.0).abs() < 0.02, "rms {rms}");
}

#[test]
fn raw_output_with_sidecar_and_stdout_stream() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "square",
        "--freq",
        "1k",
        "--amplitude",
        "100",
        "-r",
        "10k",
        "--samples",
        "20",
        "--channels",
        "2",
        "-o",
        "sq.i16",
    ]);
    let bytes = std::fs::read(w.path("sq.i16")).unwrap();
    let v: Vec<i16> = bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(v.len(), 40);
    assert_eq!(&v[..10], &[100; 10]);
    assert_eq!(&v[10..20], &[-100; 10]);
    let info = w.json(&["info", "--json", "sq.i16"]);
    assert_eq!(
        (info["channels"].as_u64(), info["sample_rate"].as_f64()),
        (Some(2), Some(10_000.0))
    );

    let out = w
        .cmd(&["generate", "tone", "--samples", "10", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\x93NUMPY"));
    let out = w
        .cmd(&[
            "generate",
            "tone",
            "--samples",
            "10",
            "--dtype",
            "u8",
            "-o",
            "-",
            "--to",
            "raw",
        ])
        .output()
        .unwrap();
    assert_eq!(out.stdout.len(), 10);
}

#[test]
fn csv_output_has_time_column() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "square",
        "--freq",
        "250",
        "-r",
        "1k",
        "--samples",
        "4",
        "-o",
        "s.csv",
    ]);
    let text = std::fs::read_to_string(w.path("s.csv")).unwrap();
    assert_eq!(text, "time_s,ch0\n0,1\n0.001,1\n0.002,-1\n0.003,-1\n");
}
