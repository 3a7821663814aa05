//! Issue 15, complex IQ throughout (and 24-bit PCM WAV): complex .npy, raw `--dtype c*`,
//! SigMF `c*`, Tektronix IQ records; `fft` two-sided and centred, equal to SciPy's
//! `welch(..., return_onesided=False)` + `fftshift`; `stats` I/Q/magnitude; `slice` keeps
//! complex samples; `info` says complex. Inputs and expected values in
//! tests/data/issue15_complex/, written once by benches/crosscheck/complex_iq.py.

use crate::util::{Workdir, npy_bytes, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/issue15_complex")
        .join(rel)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(data("expected.json")).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Every bin of `fft -o X.csv` as (freq, power).
fn spectrum_csv(w: &Workdir, args: &[&str]) -> Vec<(f64, f64)> {
    let out = w.path("spectrum.csv");
    let mut all = args.to_vec();
    all.extend(["-o", arg(&out), "-q"]);
    w.stdout(&all);
    let text = std::fs::read_to_string(&out).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',').map(|x| x.parse::<f64>().unwrap());
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect()
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-300)
}

#[test]
fn issue_15_complex_npy_info_says_complex() {
    let w = Workdir::new();
    let v = w.json(&["info", "--json", arg(&data("iq_tones.npy"))]);
    assert_eq!(v["dtype"], "complex64");
    assert_eq!(v["complex"], true);
    assert_eq!(v["component_dtype"], "float32");
    assert_eq!(v["channels"], 1);
    assert_eq!(v["samples"], 8192);
    // complex128, two complex channels (C order)
    let mut bytes = Vec::new();
    for k in 0..4 {
        for c in 0..2 {
            bytes.extend((k as f64 + c as f64 * 10.0).to_le_bytes());
            bytes.extend((-(k as f64)).to_le_bytes());
        }
    }
    let p = w.path("two.npy");
    write(&p, &npy_bytes(1, "<c16", false, &[4, 2], &bytes));
    let v = w.json(&["info", "--json", arg(&p)]);
    assert_eq!(v["dtype"], "complex128");
    assert_eq!(v["channels"], 2);
    let s = w.json(&["stats", "--json", "--channel", "1", arg(&p)]);
    let ch = s["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 3);
    assert_eq!(ch[0]["part"], "I");
    assert_eq!(ch[0]["mean"], 11.5);
    assert_eq!(ch[1]["part"], "Q");
    assert_eq!(ch[1]["min"], -3.0);
    assert_eq!(ch[2]["part"], "magnitude");
    assert_eq!(ch[2]["channel"], 1);
    // NumPy's complex256 is refused in one line.
    let p = w.path("long.npy");
    write(&p, &npy_bytes(1, "<c32", false, &[1], &[0; 32]));
    let err = w.error(&["info", arg(&p)]);
    assert!(err.contains("complex64") && err.contains("<c32"), "{err}");
}

#[test]
fn issue_15_complex_raw_dtypes_read_interleaved_iq() {
    let w = Workdir::new();
    // ci8, cu8, ci16 and cf64 of the same three samples: (1, -2), (3, 4), (-5, 6) (cu8 +10).
    let pairs = [(1i32, -2i32), (3, 4), (-5, 6)];
    let ci8: Vec<u8> = pairs
        .iter()
        .flat_map(|&(i, q)| [i as i8 as u8, q as i8 as u8])
        .collect();
    let cu8: Vec<u8> = pairs
        .iter()
        .flat_map(|&(i, q)| [(i + 10) as u8, (q + 10) as u8])
        .collect();
    let ci16: Vec<u8> = pairs
        .iter()
        .flat_map(|&(i, q)| [(i as i16).to_be_bytes(), (q as i16).to_be_bytes()])
        .flatten()
        .collect();
    let cf64: Vec<u8> = pairs
        .iter()
        .flat_map(|&(i, q)| [(i as f64).to_le_bytes(), (q as f64).to_le_bytes()])
        .flatten()
        .collect();
    for (name, bytes, dtype, offset) in [
        ("a.bin", ci8, "ci8", 0.0),
        ("b.bin", cu8, "cu8", 10.0),
        ("c.bin", ci16, ">ci16", 0.0),
        ("d.bin", cf64, "cf64", 0.0),
    ] {
        let p = w.path(name);
        write(&p, &bytes);
        let v = w.json(&["info", "--json", "--dtype", dtype, arg(&p)]);
        assert_eq!(v["complex"], true, "{dtype}");
        assert_eq!(v["samples"], 3, "{dtype}");
        let s = w.json(&["stats", "--json", "--dtype", dtype, arg(&p)]);
        let ch = s["channels"].as_array().unwrap();
        assert_eq!(ch[0]["min"], -5.0 + offset, "{dtype} I");
        assert_eq!(ch[1]["max"], 6.0 + offset, "{dtype} Q");
        if offset == 0.0 {
            assert_eq!(ch[2]["max"], 61f64.sqrt(), "{dtype} |IQ|");
            assert_eq!(ch[2]["min"], 5f64.sqrt(), "{dtype} |IQ|");
        }
    }
    // The extension names the type too.
    let p = w.path("x.cf32");
    write(&p, &crate::util::f32_le(&[1.0, 2.0, 3.0, 4.0]));
    let v = w.json(&["info", "--json", arg(&p)]);
    assert_eq!(
        (v["dtype"].as_str(), v["samples"].as_u64()),
        (Some("complex64"), Some(2))
    );
}

#[test]
fn issue_15_complex_bad_input_is_one_error_line() {
    let w = Workdir::new();
    let p = w.path("odd.bin");
    write(&p, &[0u8; 12]);
    let err = w.error(&["info", "--dtype", "cf32", arg(&p)]);
    assert!(
        err.contains("12 bytes") && err.contains("whole number of cf32 samples"),
        "{err}"
    );
    // An unknown complex type is a usage error naming the accepted ones.
    let out = w
        .cmd(&["info", "--dtype", "cf16", arg(&p)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'cf16'") && stderr.contains("cf32"),
        "{stderr}"
    );
    // SigMF with an unknown c-type.
    let meta = w.path("bad.sigmf-meta");
    std::fs::write(
        &meta,
        r#"{"global":{"core:datatype":"cf16_le","core:version":"1.0.0"},"captures":[],"annotations":[]}"#,
    )
    .unwrap();
    write(&w.path("bad.sigmf-data"), &[0; 8]);
    let err = w.error(&["info", arg(&meta)]);
    assert!(err.contains("cf16_le"), "{err}");
    // A complex --to for real samples.
    let real = w.path("r.f32");
    write(&real, &crate::util::f32_le(&[1.0, 2.0]));
    let err = w.error(&["slice", "..", arg(&real), "--to", "cf32", "-o", "x.npy"]);
    assert!(
        err.contains("complex type but the samples are real"),
        "{err}"
    );
}

#[test]
fn issue_15_complex_fft_equals_scipy_two_sided_welch() {
    let w = Workdir::new();
    let exp = expected();
    for case in exp["welch"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let nfft = case["nperseg"].as_u64().unwrap().to_string();
        let overlap = case["noverlap"].as_u64().unwrap().to_string();
        let detrend = case.get("detrend").map_or("mean", |_| "none");
        let (input, dtype) = if name.starts_with("ci16") {
            (data("iq_tones.ci16"), Some("ci16"))
        } else {
            (data("iq_tones.npy"), None)
        };
        let mut args = vec![
            "fft",
            arg(&input),
            "-r",
            "1M",
            "--nfft",
            &nfft,
            "--overlap",
            &overlap,
            "--window",
            case["window"].as_str().unwrap(),
            "--scaling",
            case["scaling"].as_str().unwrap(),
            "--detrend",
            detrend,
        ];
        if let Some(d) = dtype {
            args.extend(["--dtype", d]);
        }
        let got = spectrum_csv(&w, &args);
        let (freqs, power) = (floats(&case["freqs"]), floats(&case["power"]));
        assert_eq!(got.len(), freqs.len(), "{name}: bins");
        for (k, ((f, p), (wf, wp))) in got.iter().zip(freqs.iter().zip(&power)).enumerate() {
            assert!(close(*f, *wf, 1e-12), "{name} bin {k}: freq {f} vs {wf}");
            assert!(close(*p, *wp, 1e-9), "{name} bin {k}: power {p} vs {wp}");
        }
    }
}

/// Analytic check: bin-centred tones of amplitude 1 at −125 kHz and 0.5 at +250 kHz read
/// A² (0 dB and −6.02 dB) at exactly those signed frequencies with a rect window and
/// `spectrum` scaling; the SigMF copy adds its centre frequency.
#[test]
fn issue_15_complex_fft_tones_at_signed_frequencies_and_centre() {
    let w = Workdir::new();
    let base = [
        "--nfft",
        "256",
        "--window",
        "rect",
        "--scaling",
        "spectrum",
        "--json",
        "-q",
    ];
    let mut args = vec!["fft", "-r", "1M"];
    let npy = data("iq_tones.npy");
    args.push(arg(&npy));
    args.extend(base);
    let v = w.json(&args);
    assert_eq!(v["two_sided"], true);
    assert_eq!(v["center_frequency"], Value::Null);
    let peaks = v["channels"][0]["peaks"].as_array().unwrap();
    let f0 = peaks[0]["freq"].as_f64().unwrap();
    let f1 = peaks[1]["freq"].as_f64().unwrap();
    assert!((f0 + 125e3).abs() < 1.0, "{f0}");
    assert!((f1 - 250e3).abs() < 1.0, "{f1}");
    assert!(peaks[0]["level_db"].as_f64().unwrap().abs() < 0.01);
    assert!((peaks[1]["level_db"].as_f64().unwrap() + 6.0206).abs() < 0.01);
    // Every bin on the grid (j − 128)·3906.25 Hz, DC in the middle.
    let bins = spectrum_csv(&w, &["fft", "-r", "1M", arg(&npy), "--nfft", "256"]);
    assert_eq!(bins[0].0, -500e3);
    assert_eq!(bins[128].0, 0.0);
    assert_eq!(bins[255].0, 500e3 - 3906.25);

    let meta = data("iq_tones.sigmf-meta");
    let mut args = vec!["fft", arg(&meta)];
    args.extend(base);
    let v = w.json(&args);
    assert_eq!(v["center_frequency"], 433.92e6);
    let p0 = &v["channels"][0]["peaks"][0];
    let abs = p0["abs_freq"].as_f64().unwrap();
    assert!((abs - (433.92e6 - 125e3)).abs() < 1.0, "{abs}");
    let info = w.json(&["info", "--json", arg(&meta)]);
    assert_eq!(info["complex"], true);
    assert_eq!(info["dtype"], "complex64");
    assert_eq!(info["center_frequency"], 433.92e6);
}

#[test]
fn issue_15_complex_results_do_not_depend_on_chunk() {
    let w = Workdir::new();
    let npy = data("iq_tones.npy");
    let run = |cmd: &str, chunk: Option<&str>| {
        let mut args = vec![cmd, arg(&npy), "--json", "-q"];
        if cmd == "fft" {
            args.extend(["--nfft", "256", "-r", "1M"]);
        }
        if let Some(c) = chunk {
            args.extend(["--chunk", c]);
        }
        w.stdout(&args)
    };
    for cmd in ["fft", "stats"] {
        let whole = run(cmd, None);
        for chunk in ["1", "7", "4096"] {
            assert_eq!(run(cmd, Some(chunk)), whole, "{cmd} --chunk {chunk}");
        }
    }
}

#[test]
fn issue_15_complex_stats_report_i_q_and_magnitude() {
    let w = Workdir::new();
    let exp = &expected()["stats"];
    let v = w.json(&["stats", "--json", arg(&data("iq_tones.npy"))]);
    assert_eq!(v["complex"], true);
    let ch = v["channels"].as_array().unwrap();
    for (k, part) in ["I", "Q", "magnitude"].iter().enumerate() {
        assert_eq!(ch[k]["part"], *part);
        assert_eq!(ch[k]["channel"], 0);
        for key in ["mean", "std", "min", "max", "rms"] {
            let got = ch[k][key].as_f64().unwrap();
            let want = exp[part][key].as_f64().unwrap();
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{part} {key}: {got} vs {want}"
            );
        }
    }
    let table = w.stdout(&["stats", arg(&data("iq_tones.npy"))]);
    assert!(table.contains("magnitude"), "{table}");
}

#[test]
fn issue_15_complex_slice_keeps_complex_samples() {
    let w = Workdir::new();
    let npy = data("iq_tones.npy");
    let input = std::fs::read(&npy).unwrap();
    let data_at = input.len() - 8192 * 8;
    // complex64 out: the same bytes behind a '<c8' header of shape (N,).
    let out = w.path("cut.npy");
    w.stdout(&["slice", "100..200", arg(&npy), "-o", arg(&out), "-q"]);
    let got = std::fs::read(&out).unwrap();
    let header = String::from_utf8_lossy(&got[..128]).into_owned();
    assert!(
        header.contains("'descr': '<c8'") && header.contains("'shape': (100,)"),
        "{header}"
    );
    assert_eq!(
        &got[got.len() - 800..],
        &input[data_at + 800..data_at + 1600]
    );
    let v = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(v["dtype"], "complex64");
    // --to cf64: complex128.
    let out = w.path("wide.npy");
    w.stdout(&[
        "slice",
        "..",
        arg(&npy),
        "--to",
        "cf64",
        "-o",
        arg(&out),
        "-q",
    ]);
    let v = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(
        (v["dtype"].as_str(), v["samples"].as_u64()),
        (Some("complex128"), Some(8192))
    );
    // ci16 codes into a .npy: complex64 of the codes; --to ci16 into raw with a sidecar.
    let ci16 = data("iq_tones.ci16");
    let out = w.path("codes.npy");
    w.stdout(&[
        "slice",
        "..3",
        "--dtype",
        "ci16",
        arg(&ci16),
        "-o",
        arg(&out),
        "-q",
    ]);
    let got = std::fs::read(&out).unwrap();
    let codes = std::fs::read(&ci16).unwrap();
    let first: Vec<f32> = got[got.len() - 24..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let want: Vec<f32> = codes[..12]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32)
        .collect();
    assert_eq!(first, want);
    let out = w.path("codes.bin");
    w.stdout(&[
        "slice",
        "..",
        arg(&npy),
        "--to",
        "ci16",
        "-o",
        arg(&out),
        "-q",
    ]);
    let v = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(v["dtype"], "ci16");
    assert_eq!(v["channels"], 1);
    let err = w.error(&["slice", "..", arg(&npy), "--to", "ci16", "-o", "x.npy"]);
    assert!(err.contains("NumPy has no complex int16"), "{err}");
    // SigMF out: cf32_le, one channel.
    let out = w.path("cut.sigmf-data");
    w.stdout(&["slice", "..", arg(&npy), "-o", arg(&out), "-q"]);
    let meta = std::fs::read_to_string(w.path("cut.sigmf-meta")).unwrap();
    assert!(
        meta.contains("\"cf32_le\"") && meta.contains("\"core:num_channels\": 1"),
        "{meta}"
    );
}

#[test]
fn issue_15_complex_cut_outs_keep_the_centre_frequency() {
    let w = Workdir::new();
    let meta = data("iq_tones.sigmf-meta");
    // SigMF → SigMF: the first capture segment carries core:frequency again.
    let out = w.path("cut.sigmf-data");
    w.stdout(&["slice", "100..5000", arg(&meta), "-o", arg(&out), "-q"]);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("cut.sigmf-meta")).unwrap()).unwrap();
    assert_eq!(doc["captures"][0]["core:frequency"], 433.92e6);
    assert_eq!(doc["captures"][0]["core:sample_start"], 0);
    // SigMF → .npy and → raw with a sidecar: info and fft's absolute axis see it again.
    for name in ["cut.npy", "cut.cf32"] {
        let out = w.path(name);
        w.stdout(&["slice", "..", arg(&meta), "-o", arg(&out), "-q"]);
        let v = w.json(&["info", "--json", arg(&out)]);
        assert_eq!(v["center_frequency"], 433.92e6, "{name}");
        let f = w.json(&["fft", arg(&out), "--nfft", "256", "--json", "-q"]);
        let abs = f["channels"][0]["peaks"][0]["abs_freq"].as_f64().unwrap();
        assert!((abs - (433.92e6 - 125e3)).abs() < 1.0, "{name}: {abs}");
    }
    // A real capture has no centre frequency to carry.
    let out = w.path("real.sigmf-data");
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/npy/v2_f32.npy");
    w.stdout(&["slice", "..", arg(&real), "-o", arg(&out), "-q"]);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("real.sigmf-meta")).unwrap()).unwrap();
    assert_eq!(doc["captures"][0].get("core:frequency"), None);
}

#[test]
fn issue_15_tek_iq_record_is_complex() {
    let w = Workdir::new();
    let wfm = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scope/tmdt_iq_waveform.wfm");
    let v = w.json(&["info", "--json", arg(&wfm)]);
    assert_eq!(v["complex"], true);
    assert_eq!(v["dtype"], "ci16");
    assert_eq!(v["channels"], 1);
    assert_eq!(v["center_frequency"], 1e6);
    let f = w.json(&["fft", arg(&wfm), "--nfft", "1024", "--json", "-q"]);
    assert_eq!(f["two_sided"], true);
    assert_eq!(f["center_frequency"], 1e6);
}

/// The .npy at `path` as (descr, shape, values), for `<i4` and `<f4` data.
fn npy_values(path: &Path) -> (String, String, Vec<f64>) {
    let bytes = std::fs::read(path).unwrap();
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = String::from_utf8_lossy(&bytes[10..10 + hlen]).into_owned();
    let descr = header.split("'descr': '").nth(1).unwrap()[..3].to_string();
    let shape = header
        .split("'shape': ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    let data = &bytes[10 + hlen..];
    let values = data
        .chunks_exact(4)
        .map(|c| {
            let b = c.try_into().unwrap();
            match descr.as_str() {
                "<i4" => i32::from_le_bytes(b) as f64,
                "<f4" => f32::from_le_bytes(b) as f64,
                other => panic!("{other}"),
            }
        })
        .collect();
    (descr, format!("{shape})"), values)
}

#[test]
fn issue_15_4_wav_24_bit_pcm_codes_and_values() {
    let w = Workdir::new();
    let exp = &expected()["pcm24"];
    let wav = data("pcm24_3ch.wav");
    let v = w.json(&["info", "--json", arg(&wav)]);
    assert_eq!(v["dtype"], "int24");
    assert_eq!(v["channels"], 3);
    assert_eq!(v["samples"], 1000);
    assert_eq!(v["sample_rate"], 48000.0);
    // --raw-codes: the stored integers, sliced to int32.
    let out = w.path("codes.npy");
    w.stdout(&[
        "slice",
        "..",
        arg(&wav),
        "--raw-codes",
        "-o",
        arg(&out),
        "-q",
    ]);
    let (descr, shape, codes) = npy_values(&out);
    assert_eq!((descr.as_str(), shape.as_str()), ("<i4", "(1000, 3)"));
    let head: Vec<f64> = exp["codes_head"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(floats)
        .collect();
    assert_eq!(&codes[..60], &head[..]);
    for (c, want) in floats(&exp["codes_sum"]).iter().enumerate() {
        let sum: f64 = codes.iter().skip(c).step_by(3).sum();
        assert_eq!(sum, *want, "channel {c} sum");
    }
    // Values: code / 2^23, sliced to float32 by default.
    let out = w.path("values.npy");
    w.stdout(&["slice", "..", arg(&wav), "-o", arg(&out), "-q"]);
    let (descr, _, values) = npy_values(&out);
    assert_eq!(descr, "<f4");
    for (v, c) in values.iter().zip(&codes) {
        assert_eq!(*v, (c / 8_388_608.0) as f32 as f64);
    }
    // stats equal SciPy's values, whatever the chunk.
    let whole = w.stdout(&["stats", "--json", arg(&wav)]);
    let s: Value = serde_json::from_str(&whole).unwrap();
    for (c, ch) in s["channels"].as_array().unwrap().iter().enumerate() {
        for (key, list) in [
            ("mean", "scaled_mean"),
            ("min", "scaled_min"),
            ("max", "scaled_max"),
        ] {
            let want = floats(&exp[list])[c];
            let got = ch[key].as_f64().unwrap();
            assert!((got - want).abs() <= 1e-12, "ch{c} {key}: {got} vs {want}");
        }
    }
    for chunk in ["1", "7", "4096"] {
        let got = w.stdout(&["stats", "--json", arg(&wav), "--chunk", chunk]);
        assert_eq!(got, whole, "--chunk {chunk}");
    }
    let raw = w.json(&["stats", "--json", "--raw-codes", arg(&wav)]);
    assert_eq!(raw["channels"][2]["min"], -8_388_608.0);
    assert_eq!(raw["channels"][2]["max"], 8_388_607.0);
}

#[test]
fn issue_15_4_wav_24_bit_extensible_fixture_equals_scipy() {
    let w = Workdir::new();
    let exp = &expected()["pcm24"];
    let wav = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/wav/i24_ext_3ch.wav");
    let out = w.path("ext.npy");
    w.stdout(&[
        "slice",
        "..",
        arg(&wav),
        "--raw-codes",
        "-o",
        arg(&out),
        "-q",
    ]);
    let (descr, shape, codes) = npy_values(&out);
    assert_eq!((descr.as_str(), shape.as_str()), ("<i4", "(25, 3)"));
    let want: Vec<f64> = exp["ext_codes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(floats)
        .collect();
    assert_eq!(codes, want);
    let v = w.json(&["info", "--json", arg(&wav)]);
    assert_eq!(v["sample_rate"], exp["ext_rate"].as_f64().unwrap());
}
