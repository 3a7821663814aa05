//! `tracekit stats` (issue 3): every number checked against a two-pass f64 reference
//! computed here, on files built byte by byte from the .npy spec.

use crate::util::{Workdir, npy_bytes, write};
use serde_json::Value;
use tracekit::dsp::synth::Rng;

/// Reference statistics of the non-NaN values, two passes in f64. The mean is kept as
/// m0 + c (c = the mean residual of the second pass), so deviations stay exact even when
/// f64 cannot hold the mean itself (1e9 + 1e-3 noise).
struct Reference {
    count: u64,
    nan_count: u64,
    mean: f64,
    std: f64,
    rms: f64,
    min: f64,
    max: f64,
    argmin: u64,
    argmax: u64,
}

fn neumaier(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        c += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + c
}

/// `x` holds samples `offset..` of the file (argmin/argmax are absolute indices).
fn reference(x: &[f64], offset: u64) -> Reference {
    let v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = v.len() as f64;
    let m0 = neumaier(v.iter().copied()) / n;
    let c = neumaier(v.iter().map(|x| x - m0)) / n;
    let var = neumaier(v.iter().map(|x| ((x - m0) - c) * ((x - m0) - c))) / n;
    let ms = neumaier(v.iter().map(|x| x * x)) / n;
    let (mut imin, mut imax) = (usize::MAX, usize::MAX);
    for (i, &xi) in x.iter().enumerate() {
        if !xi.is_nan() && (imin == usize::MAX || xi < x[imin]) {
            imin = i;
        }
        if !xi.is_nan() && (imax == usize::MAX || xi > x[imax]) {
            imax = i;
        }
    }
    Reference {
        count: v.len() as u64,
        nan_count: (x.len() - v.len()) as u64,
        mean: m0 + c,
        std: var.sqrt(),
        rms: ms.sqrt(),
        min: x[imin],
        max: x[imax],
        argmin: offset + imin as u64,
        argmax: offset + imax as u64,
    }
}

fn close(got: &Value, want: f64, rel: f64, scale: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    assert!(
        (g - want).abs() <= rel * scale,
        "{what}: got {g}, want {want} (rel {rel})"
    );
}

/// Check one channel object of `stats --json` against the reference.
fn check(case: &str, ch: &Value, x: &[f64], offset: u64) {
    let r = reference(x, offset);
    assert_eq!(ch["count"], r.count, "{case}: count");
    assert_eq!(ch["nan_count"], r.nan_count, "{case}: nan_count");
    close(
        &ch["mean"],
        r.mean,
        1e-12,
        r.mean.abs().max(r.std),
        &format!("{case}: mean"),
    );
    close(&ch["std"], r.std, 1e-9, r.std, &format!("{case}: std"));
    close(&ch["rms"], r.rms, 1e-12, r.rms, &format!("{case}: rms"));
    assert_eq!(ch["min"].as_f64(), Some(r.min), "{case}: min");
    assert_eq!(ch["max"].as_f64(), Some(r.max), "{case}: max");
    assert_eq!(ch["argmin"], r.argmin, "{case}: argmin");
    assert_eq!(ch["argmax"], r.argmax, "{case}: argmax");
    assert_eq!(
        ch["peak_to_peak"].as_f64(),
        Some(r.max - r.min),
        "{case}: peak_to_peak"
    );
}

fn gaussian(n: usize, seed: u64, offset: f64, scale: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| offset + scale * rng.gaussian()).collect()
}

fn f32_npy(values: &[f64]) -> Vec<u8> {
    let data: Vec<u8> = values
        .iter()
        .flat_map(|v| (*v as f32).to_le_bytes())
        .collect();
    npy_bytes(1, "<f4", false, &[values.len() as u64], &data)
}

fn f64_npy(values: &[f64]) -> Vec<u8> {
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    npy_bytes(1, "<f8", false, &[values.len() as u64], &data)
}

#[test]
fn random_f32_json_matches_reference_and_spec_keys() {
    let w = Workdir::new();
    let x: Vec<f64> = gaussian(100_003, 1, 0.5, 2.0)
        .iter()
        .map(|&v| v as f32 as f64)
        .collect();
    write(&w.path("x.npy"), &f32_npy(&x));
    let v = w.json(&["stats", "--json", "x.npy"]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["path", "samples", "sample_rate", "channels"]);
    assert_eq!(
        (v["path"].as_str(), v["samples"].as_u64(), &v["sample_rate"]),
        (Some("x.npy"), Some(100_003), &Value::Null)
    );
    let ch: Vec<&String> = v["channels"][0].as_object().unwrap().keys().collect();
    let spec = "channel count nan_count mean std min max argmin argmax rms peak_to_peak";
    assert_eq!(ch, spec.split(' ').collect::<Vec<_>>());
    check("random f32", &v["channels"][0], &x, 0);
}

#[test]
fn chunk_size_does_not_change_a_bit() {
    let w = Workdir::new();
    let mut x = gaussian(30_011, 2, 1e9, 1e-3);
    x[17] = f64::NAN;
    x[20_000] = f64::NAN;
    write(&w.path("x.npy"), &f64_npy(&x));
    let whole = w.stdout(&["stats", "--json", "x.npy"]);
    check(
        "1e9 + 1e-3 noise",
        &serde_json::from_str::<Value>(&whole).unwrap()["channels"][0],
        &x,
        0,
    );
    for chunk in ["1", "7", "4096", "1000003"] {
        assert_eq!(
            w.stdout(&["stats", "--json", "--chunk", chunk, "x.npy"]),
            whole,
            "--chunk {chunk}"
        );
    }
    // and from a pipe, in whatever pieces it arrives
    let out = w
        .cmd(&["stats", "--json", "--chunk", "7", "-"])
        .write_stdin(f64_npy(&x))
        .output()
        .unwrap();
    let piped: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        piped["channels"],
        serde_json::from_str::<Value>(&whole).unwrap()["channels"]
    );
    assert_eq!(piped["path"], "<stdin>");
}

#[test]
fn regions_on_any_thread_count_match_the_sequential_walk() {
    // 49 blocks of 4096 read as 1-, 2- and 16-block regions on 1, 2 and 3 threads must give
    // the bits of the sequential walk a pipe takes (and of a --range inside the file).
    let w = Workdir::new();
    let mut x = gaussian(200_001, 6, 1e9, 1e-3);
    x[70_000] = f64::NAN;
    write(&w.path("x.npy"), &f64_npy(&x));
    let run = |args: &[&str], threads: &str, stdin: Option<Vec<u8>>| {
        let mut cmd = w.cmd(args);
        cmd.env("RAYON_NUM_THREADS", threads);
        let out = cmd.write_stdin(stdin.unwrap_or_default()).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["channels"].clone()
    };
    for range in ["0..", "4099..190000"] {
        let piped = run(
            &["stats", "--json", "--range", range, "-"],
            "1",
            Some(f64_npy(&x)),
        );
        for (chunk, threads) in [("4096", "1"), ("4096", "2"), ("9000", "3"), ("70000", "2")] {
            let args = [
                "stats", "--json", "--chunk", chunk, "--range", range, "x.npy",
            ];
            assert_eq!(
                run(&args, threads, None),
                piped,
                "{range} {chunk} {threads}"
            );
        }
    }
    check(
        "regions",
        &run(&["stats", "--json", "x.npy"], "2", None)[0],
        &x,
        0,
    );
}

#[test]
fn large_offset_in_f64() {
    let w = Workdir::new();
    let x = gaussian(200_000, 3, 1e9, 1e-3);
    write(&w.path("x.npy"), &f64_npy(&x));
    check(
        "1e9 + noise",
        &w.json(&["stats", "--json", "x.npy"])["channels"][0],
        &x,
        0,
    );
}

#[test]
fn nans_mixed_in_and_an_all_nan_channel() {
    let w = Workdir::new();
    let n = 20_000;
    let mut a = gaussian(n, 4, -3.0, 0.5);
    for i in (0..n).step_by(13) {
        a[i] = f64::NAN;
    }
    let frames: Vec<f64> = a.iter().flat_map(|&v| [v, f64::NAN]).collect();
    let data: Vec<u8> = frames
        .iter()
        .flat_map(|v| (*v as f32).to_le_bytes())
        .collect();
    write(
        &w.path("x.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64, 2], &data),
    );
    let v = w.json(&["stats", "--json", "x.npy"]);
    let a32: Vec<f64> = a.iter().map(|&v| v as f32 as f64).collect();
    check("nans", &v["channels"][0], &a32, 0);
    let all_nan = &v["channels"][1];
    assert_eq!(
        (all_nan["count"].as_u64(), all_nan["nan_count"].as_u64()),
        (Some(0), Some(n as u64))
    );
    for k in "mean std min max argmin argmax rms peak_to_peak".split(' ') {
        assert_eq!(all_nan[k], Value::Null, "{k}");
    }
}

#[test]
fn every_dtype_and_byte_order() {
    let w = Workdir::new();
    let mut rng = Rng::new(5);
    let raw: Vec<u64> = (0..5000).map(|_| rng.next_u64()).collect();
    // (descr, bytes of each sample, the sample's value)
    macro_rules! int {
        ($t:ty, $bytes:ident) => {
            |r| ((r as $t).$bytes().to_vec(), r as $t as f64)
        };
    }
    type Enc = fn(u64) -> (Vec<u8>, f64);
    let cases: [(&str, Enc); 14] = [
        ("|b1", |r| (vec![(r & 1) as u8], (r & 1) as f64)),
        ("|i1", |r| (vec![r as u8], r as u8 as i8 as f64)),
        ("|u1", |r| (vec![r as u8], r as u8 as f64)),
        ("<i2", int!(i16, to_le_bytes)),
        (">i2", int!(i16, to_be_bytes)),
        ("<u2", int!(u16, to_le_bytes)),
        ("<i4", int!(i32, to_le_bytes)),
        ("<u4", int!(u32, to_le_bytes)),
        ("<i8", int!(i64, to_le_bytes)),
        ("<u8", |r| (r.to_le_bytes().to_vec(), r as f64)),
        ("<f2", |r| {
            let h = half::f16::from_f64((r >> 40) as f64 / 1e4 - 50.0);
            (h.to_le_bytes().to_vec(), h.to_f64())
        }),
        ("<f4", |r| {
            let f = (r >> 11) as f32 * 1e-9;
            (f.to_le_bytes().to_vec(), f as f64)
        }),
        ("<f8", |r| {
            (
                ((r >> 11) as f64 * 1e-9).to_le_bytes().to_vec(),
                (r >> 11) as f64 * 1e-9,
            )
        }),
        (">f8", |r| {
            (
                ((r >> 11) as f64 * 1e-9).to_be_bytes().to_vec(),
                (r >> 11) as f64 * 1e-9,
            )
        }),
    ];
    for (descr, enc) in cases {
        let (bytes, values): (Vec<Vec<u8>>, Vec<f64>) = raw.iter().map(|&r| enc(r)).unzip();
        write(
            &w.path("x.npy"),
            &npy_bytes(1, descr, false, &[raw.len() as u64], &bytes.concat()),
        );
        check(
            descr,
            &w.json(&["stats", "--json", "--chunk", "1000", "x.npy"])["channels"][0],
            &values,
            0,
        );
    }
}

#[test]
fn two_channels_in_c_and_fortran_order() {
    let w = Workdir::new();
    let n = 9000;
    let a = gaussian(n, 6, 10.0, 1.0);
    let b = gaussian(n, 7, -1e6, 3.0);
    let c_order: Vec<u8> = (0..n)
        .flat_map(|i| [a[i], b[i]])
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let f_order: Vec<u8> = a.iter().chain(&b).flat_map(|v| v.to_le_bytes()).collect();
    write(
        &w.path("c.npy"),
        &npy_bytes(1, "<f8", false, &[n as u64, 2], &c_order),
    );
    write(
        &w.path("f.npy"),
        &npy_bytes(1, "<f8", true, &[n as u64, 2], &f_order),
    );
    for file in ["c.npy", "f.npy"] {
        let v = w.json(&["stats", "--json", "--chunk", "1000", file]);
        check(&format!("{file} ch0"), &v["channels"][0], &a, 0);
        check(&format!("{file} ch1"), &v["channels"][1], &b, 0);
        let one = w.json(&["stats", "--json", "--channel", "1", file]);
        assert_eq!(one["channels"].as_array().unwrap().len(), 1);
        assert_eq!(one["channels"][0], v["channels"][1], "{file} --channel 1");
    }
}

#[test]
fn range_by_samples_and_time_gives_absolute_indices() {
    let w = Workdir::new();
    let x = gaussian(50_000, 8, 0.0, 1.0);
    write(&w.path("x.npy"), &f64_npy(&x));
    let v = w.json(&["stats", "--json", "--range", "10000..30000", "x.npy"]);
    assert_eq!(v["samples"], 20_000);
    check(
        "10000..30000",
        &v["channels"][0],
        &x[10_000..30_000],
        10_000,
    );
    let t = w.json(&["stats", "--json", "-r", "10k", "--range", "1s..3s", "x.npy"]);
    assert_eq!(
        t["channels"], v["channels"],
        "1s..3s at 10 kHz is 10000..30000"
    );
    assert_eq!(t["sample_rate"], 10_000.0);
    let tail = w.json(&["stats", "--json", "--range", "-5k..", "x.npy"]);
    check("-5k..", &tail["channels"][0], &x[45_000..], 45_000);
}

#[test]
fn every_window_streams_csv_and_json_lines() {
    let w = Workdir::new();
    let x: Vec<f64> = gaussian(10_500, 9, 2.0, 1.0);
    write(&w.path("x.npy"), &f64_npy(&x));
    let csv = w.stdout(&["stats", "--every", "1000", "x.npy"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0], "start,channel,min,max,mean,rms",
        "no rate: no start_s"
    );
    assert_eq!(
        lines.len(),
        1 + 11,
        "10 whole windows and the short last one"
    );
    for (k, line) in lines[1..].iter().enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let lo = k * 1000;
        let r = reference(&x[lo..(lo + 1000).min(x.len())], lo as u64);
        assert_eq!((f[0], f[1]), (lo.to_string().as_str(), "0"), "window {k}");
        let num = |i: usize| f[i].parse::<f64>().unwrap();
        assert_eq!((num(2), num(3)), (r.min, r.max), "window {k}");
        assert!(
            (num(4) - r.mean).abs() <= 1e-12 * r.mean.abs(),
            "window {k} mean"
        );
        assert!((num(5) - r.rms).abs() <= 1e-12 * r.rms, "window {k} rms");
    }
    // the same windows with a rate, as JSON Lines, in any chunking; a time width
    let jl = w.stdout(&[
        "stats", "--every", "100ms", "-r", "10k", "--json", "--chunk", "333", "x.npy",
    ]);
    let recs: Vec<Value> = jl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 11);
    assert_eq!(
        (recs[3]["start"].as_u64(), recs[3]["start_s"].as_f64()),
        (Some(3000), Some(0.3))
    );
    assert_eq!(recs[10]["start"], 10_000);
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        recs[0]["mean"].as_f64().unwrap(),
        first[4].parse::<f64>().unwrap(),
        "same bits whatever the chunk"
    );
    let with_rate = w.stdout(&[
        "stats", "--every", "4k", "-r", "1k", "--range", "500..", "x.npy",
    ]);
    assert_eq!(
        with_rate.lines().next(),
        Some("start,start_s,channel,min,max,mean,rms")
    );
    assert_eq!(
        with_rate
            .lines()
            .nth(2)
            .unwrap()
            .split(',')
            .take(2)
            .collect::<Vec<_>>(),
        ["4500", "4.5"]
    );
}

#[test]
fn table_for_people() {
    let w = Workdir::new();
    write(&w.path("x.npy"), &f64_npy(&[1.0, 2.0, 3.0, 4.0]));
    let out = w.stdout(&["stats", "x.npy"]);
    for want in [
        "count",
        "nan_count",
        "mean",
        "2.5",
        "std",
        "1.118033989",
        "argmax",
        "peak_to_peak",
        "ch 0",
    ] {
        assert!(out.contains(want), "{want} missing in\n{out}");
    }
}

#[test]
fn errors_name_the_file() {
    let w = Workdir::new();
    write(&w.path("x.npy"), &f64_npy(&[1.0, 2.0, 3.0]));
    let e = w.error(&["stats", "--range", "2..10", "x.npy"]);
    assert!(
        e.contains("x.npy") && e.contains("outside the data") && e.contains("0..3"),
        "{e}"
    );
    let e = w.error(&["stats", "--channel", "1", "x.npy"]);
    assert!(
        e.contains("x.npy: --channel 1 but the capture has 1 channel"),
        "{e}"
    );
    let e = w.error(&["stats", "--every", "1ms", "x.npy"]);
    assert!(e.contains("x.npy") && e.contains("-r"), "{e}");
    write(&w.path("empty.npy"), &npy_bytes(1, "<f4", false, &[0], &[]));
    let e = w.error(&["stats", "empty.npy"]);
    assert!(e.contains("empty.npy") && e.contains("no samples"), "{e}");
}
