//! Issue 15, interchange formats (WAV/RF64, SigMF, NI TDMS): every fixture under
//! tests/data/{wav,sigmf,tdms} read through the built binary equals what independent readers
//! give (scipy.io.wavfile / Python's wave, the `sigmf` package, npTDMS), channel by channel
//! and sample by sample, as stored codes (`--raw-codes`) and as values. The expected values
//! are in tests/data/interchange_expected.json, written by
//! benches/crosscheck/interchange_expected.py. Damaged files are one error line.

use crate::util::{Workdir, read_npy_f64};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub(crate) fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub(crate) fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn expected_cases() -> Vec<Value> {
    let text = std::fs::read_to_string(data("interchange_expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// Every channel of `file` as f64 values (one Vec per channel), through `slice --to f64`.
pub(crate) fn channels(w: &Workdir, file: &Path, extra: &[&str]) -> Vec<Vec<f64>> {
    let out = w.path("out.npy");
    let mut args = vec![
        "slice",
        "..",
        arg(file),
        "--to",
        "f64",
        "-o",
        arg(&out),
        "-q",
    ];
    args.extend_from_slice(extra);
    w.stdout(&args);
    let (shape, values, _) = read_npy_f64(&out);
    let n = shape[0] as usize;
    let k = shape.get(1).copied().unwrap_or(1) as usize;
    (0..k)
        .map(|c| (0..n).map(|i| values[i * k + c]).collect())
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// `got` equals the independent reader's summary: every value, or the first 64, the last 16
/// and the position-weighted sum.
#[track_caller]
fn assert_matches(label: &str, got: &[f64], want: &Value) {
    let n = want["n"].as_u64().unwrap() as usize;
    assert_eq!(got.len(), n, "{label}: samples");
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    if let Some(all) = want.get("values") {
        for (i, (g, e)) in got.iter().zip(floats(all)).enumerate() {
            assert!(same(*g, e), "{label}: sample {i} is {g}, expected {e}");
        }
        return;
    }
    for (i, e) in floats(&want["head"]).into_iter().enumerate() {
        assert!(
            same(got[i], e),
            "{label}: sample {i} is {}, expected {e}",
            got[i]
        );
    }
    let tail = floats(&want["tail"]);
    for (j, e) in tail.iter().enumerate() {
        let i = n - tail.len() + j;
        assert!(
            same(got[i], *e),
            "{label}: sample {i} is {}, expected {e}",
            got[i]
        );
    }
    let wsum: f64 = got
        .iter()
        .enumerate()
        .map(|(i, v)| v * ((i % 1009) + 1) as f64)
        .sum();
    let e = want["wsum"].as_f64().unwrap();
    assert!(
        (wsum - e).abs() <= 1e-12 * e.abs().max(1.0),
        "{label}: weighted sum {wsum}, expected {e}"
    );
}

#[test]
fn issue_15_readers_equal_independent_readers() {
    let w = Workdir::new();
    let cases = expected_cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut files = std::collections::BTreeSet::new();
    for case in &cases {
        let rel = case["file"].as_str().unwrap();
        files.insert(rel.to_string());
        let file = data(rel);
        let extra: Vec<&str> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let want = case["channels"].as_array().unwrap();
        for (mode, flags) in [("raw", vec!["--raw-codes"]), ("scaled", vec![])] {
            let mut args = extra.clone();
            args.extend(flags);
            let got = channels(&w, &file, &args);
            assert_eq!(got.len(), want.len(), "{rel} {extra:?}: channels");
            for (c, (g, e)) in got.iter().zip(want).enumerate() {
                assert_matches(&format!("{rel} {extra:?} {mode} ch{c}"), g, &e[mode]);
            }
        }
        if let Some(rate) = case["sample_rate"].as_f64() {
            let mut args = vec!["info", "--json", arg(&file)];
            args.extend(&extra);
            let info = w.json(&args);
            let got = info["sample_rate"].as_f64().unwrap();
            assert!(
                (got - rate).abs() <= 1e-12 * rate,
                "{rel}: rate {got}, expected {rate}"
            );
        }
    }
    // Every fixture but the 24-bit file (checked in issue15_complex.rs) is covered, and both
    // vendor files.
    for dir in ["wav", "tdms"] {
        for entry in std::fs::read_dir(data(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let rel = format!("{dir}/{name}");
            assert!(
                files.contains(&rel) || name.starts_with("i24"),
                "{rel} has no expected values"
            );
        }
    }
}

#[test]
fn issue_15_formats_detected_and_named() {
    let w = Workdir::new();
    for (rel, format, channels) in [
        ("wav/triangle.wav", "wav", 1),
        ("wav/rf64_small.wav", "wav", 2),
        ("wav/bw64_small.wav", "wav", 2),
        // complex: one complex channel (issue 15), its I and Q parts below
        ("sigmf/ci16_le.sigmf-meta", "sigmf", 1),
        ("sigmf/ci16_le.sigmf-data", "sigmf", 1),
        ("tdms/big_endian.tdms", "tdms", 2),
    ] {
        let info = w.json(&["info", "--json", arg(&data(rel))]);
        assert_eq!(info["format"], format, "{rel}");
        assert_eq!(info["channels"], channels, "{rel}");
    }
    // complex SigMF: an I and a Q channel, the I one marked
    let info = w.json(&["info", "--json", arg(&data("sigmf/ci16_le.sigmf-meta"))]);
    let details = info["channel_details"].as_array().unwrap();
    assert_eq!(details[0]["name"], "CH1.I");
    assert_eq!(details[0]["complex_i"], true);
    assert_eq!(details[1]["name"], "CH1.Q");
    // TDMS channels are named by path
    let info = w.json(&["info", "--json", arg(&data("tdms/big_endian.tdms"))]);
    assert_eq!(
        info["channel_details"][0]["name"],
        "/'Measured Data'/'Amplitude sweep'"
    );
}

#[test]
fn issue_15_sigmf_checksum_verified_on_request() {
    let w = Workdir::new();
    for stem in ["ci16_le", "ncd"] {
        let meta = data(&format!("sigmf/{stem}.sigmf-meta"));
        let out = w.stdout(&["info", "--verify", arg(&meta)]);
        assert!(out.contains("verified"), "{stem}: {out}");
        // without --verify nothing is hashed
        let out = w.stdout(&["info", arg(&meta)]);
        assert!(!out.contains("verified"), "{stem}: {out}");
    }
    // one changed sample byte: an error naming both hashes
    std::fs::copy(data("sigmf/ci16_le.sigmf-meta"), w.path("x.sigmf-meta")).unwrap();
    let mut bytes = std::fs::read(data("sigmf/ci16_le.sigmf-data")).unwrap();
    bytes[5] ^= 1;
    std::fs::write(w.path("x.sigmf-data"), &bytes).unwrap();
    let err = w.error(&["info", "--verify", arg(&w.path("x.sigmf-meta"))]);
    assert!(
        err.contains("SHA-512") && err.contains("core:sha512 says"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn issue_15_damaged_headers_are_one_line_errors() {
    let w = Workdir::new();
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    // WAV: a 2 GiB fmt chunk, A-law (24-bit PCM is read since issue 15: issue15_complex.rs)
    let mut b = std::fs::read(data("wav/i16_stereo.wav")).unwrap();
    b[16..20].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    cases.push(("b.wav", b, "2147483647"));
    let mut b = std::fs::read(data("wav/i16_stereo.wav")).unwrap();
    b[20] = 6;
    cases.push(("c.wav", b, "A-law"));
    // TDMS: a segment cut inside its lead-in after a good one; garbage for the next lead-in
    let mut b = std::fs::read(data("tdms/big_endian.tdms")).unwrap();
    b[0] = b'X';
    cases.push(("d.tdms", b, "TDSm"));
    // SigMF: bad JSON
    cases.push((
        "e.sigmf-meta",
        b"{\"global\": {\"core:datatype\": \"ri8\",}}".to_vec(),
        "not valid JSON",
    ));
    // SigMF: core:dataset empty, or naming a directory or a device (not "an empty file")
    let ncd = std::fs::read_to_string(data("sigmf/ncd.sigmf-meta")).unwrap();
    for (name, dataset, needle) in [
        ("f.sigmf-meta", "", "core:dataset is empty"),
        ("g.sigmf-meta", ".", "is not a regular file"),
        (
            "h.sigmf-meta",
            "/dev/null",
            "/dev/null is not a regular file",
        ),
    ] {
        let meta = ncd.replace("\"ncd_samples.bin\"", &format!("{dataset:?}"));
        cases.push((name, meta.into_bytes(), needle));
    }
    for (name, bytes, needle) in cases {
        let p = w.path(name);
        std::fs::write(&p, &bytes).unwrap();
        let err = w.error(&["stats", arg(&p)]);
        assert!(err.contains(needle), "{name}: {err}");
        assert!(err.contains(&*p.to_string_lossy()), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
    }
}

#[test]
fn issue_15_tdms_unfinished_last_segment_is_read_with_a_warning() {
    let w = Workdir::new();
    let out = w
        .cmd(&["info", arg(&data("tdms/incomplete.tdms"))])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "the last segment (offset 152) gives no usable end offset and the file has 255 bytes"
        ),
        "{err}"
    );
}
