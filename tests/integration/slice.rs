//! `tracekit slice` (issue 4): every range form, every output kind read back value by value,
//! conversions, --step, channel picks, pipes, refusals and no partial file after a failure.

use crate::util::{Workdir, npy_bytes, write};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A 1-D f32 .npy whose sample i holds the value i.
fn arange_f32(w: &Workdir, name: &str, n: usize) {
    let data: Vec<u8> = (0..n).flat_map(|i| (i as f32).to_le_bytes()).collect();
    write(
        &w.path(name),
        &npy_bytes(1, "<f4", false, &[n as u64], &data),
    );
}

/// Header text and data bytes of a .npy tracekit wrote; checks version 1.0 and 64-byte alignment.
fn npy_parts(path: &Path) -> (String, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        &bytes[..8],
        b"\x93NUMPY\x01\x00",
        "{}: not a version 1.0 .npy",
        path.display()
    );
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    assert_eq!(
        (10 + hlen) % 64,
        0,
        "{}: data not 64-byte aligned",
        path.display()
    );
    (
        String::from_utf8_lossy(&bytes[10..10 + hlen]).into_owned(),
        bytes[10 + hlen..].to_vec(),
    )
}

fn f32s(data: &[u8]) -> Vec<f32> {
    data.chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// The `# tracekit {...}` metadata of a header: (sample_rate, t0).
fn meta(header: &str) -> (Option<f64>, Option<f64>) {
    let Some(json) = header.split("# tracekit ").nth(1) else {
        return (None, None);
    };
    let v: serde_json::Value = serde_json::from_str(json.trim()).expect("metadata JSON");
    (v["sample_rate"].as_f64(), v["t0"].as_f64())
}

/// Files in the work folder, to prove nothing (not even a `.partial`) was left behind.
fn listing(w: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `tracekit ARGS` in the work folder as a process to drive by hand (signals, early close).
fn spawn(w: &Workdir, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("tracekit"));
    c.current_dir(w.dir.path())
        .args(args)
        .stderr(Stdio::piped());
    c
}

#[test]
fn every_range_form_with_edges() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 10_000);
    let cases = [
        ("1e3..2e3", 1000, 2000),
        ("1k..2k", 1000, 2000),
        ("..1000", 0, 1000),
        ("5e3..", 5000, 10_000),
        ("-1k..", 9000, 10_000),
        ("1e3+4096", 1000, 5096),
        ("1.5ms..2.5ms", 1500, 2500),
        ("-1ms..", 9000, 10_000),
        ("0..1", 0, 1),
        ("9999..", 9999, 10_000),
        ("..10000", 0, 10_000),
        ("..-1", 0, 9999),
        ("..", 0, 10_000),
    ];
    for (range, a, b) in cases {
        w.stdout(&["slice", range, "a.npy", "-r", "1M", "-o", "s.npy"]);
        let (header, data) = npy_parts(&w.path("s.npy"));
        assert!(
            header.contains(&format!("'shape': ({},)", b - a)),
            "{range}: {header}"
        );
        let want: Vec<f32> = (a..b).map(|i| i as f32).collect();
        assert_eq!(f32s(&data), want, "{range}");
        assert_eq!(meta(&header), (Some(1e6), Some(a as f64 / 1e6)), "{range}");
    }
}

#[test]
fn bad_ranges_state_the_valid_range_and_leave_nothing() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 100);
    for (range, says) in [
        ("101..", "valid sample range is 0..100"),
        ("..101", "valid sample range is 0..100"),
        ("-101..", "valid sample range is 0..100"),
        ("5..5", "is empty"),
        ("7..5", "is empty"),
        ("90+11", "valid sample range is 0..100"),
        ("1ms..2ms", "pass -r"),
    ] {
        let msg = w.error(&["slice", range, "a.npy", "-o", "s.npy"]);
        assert!(
            msg.contains("a.npy") && msg.contains(says),
            "{range}: {msg}"
        );
    }
    let msg = w.error(&["slice", "0.2s..", "a.npy", "-r", "1k", "-o", "s.npy"]);
    assert!(msg.contains("0..100 (100 samples, 0..100 ms)"), "{msg}");
    assert_eq!(listing(&w), vec!["a.npy"]);
}

#[test]
fn csv_has_time_and_values_that_parse_back_exactly() {
    let w = Workdir::new();
    let values = [
        0.1f32,
        1.0 / 3.0,
        -123.456,
        1e-30,
        f32::MAX,
        1.4e-45,
        -0.0,
        16_777_217.0,
    ];
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    write(
        &w.path("a.npy"),
        &npy_bytes(1, "<f4", false, &[4, 2], &data),
    );
    w.stdout(&["slice", "1..", "a.npy", "-r", "4", "-o", "s.csv"]);
    let text = std::fs::read_to_string(w.path("s.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("time_s,ch0,ch1"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 3, "row {r}: {row:?}");
        assert_eq!(
            row[0].parse::<f64>().unwrap(),
            (r + 1) as f64 / 4.0,
            "time of row {r}"
        );
        for (c, cell) in row[1..].iter().enumerate() {
            let got: f32 = cell.parse().unwrap();
            let want = values[(r + 1) * 2 + c];
            assert_eq!(got.to_bits(), want.to_bits(), "row {r} column {c}: {cell}");
        }
    }
    // No rate: no time column.
    w.stdout(&["slice", "..1", "a.npy", "-o", "n.csv"]);
    assert_eq!(
        std::fs::read_to_string(w.path("n.csv")).unwrap(),
        "ch0,ch1\n0.1,0.33333334\n"
    );
}

#[test]
fn raw_output_carries_its_metadata_in_a_sidecar() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 1000);
    w.stdout(&["slice", "100+50", "a.npy", "-r", "2k", "-o", "s.f32"]);
    let want: Vec<f32> = (100..150).map(|i| i as f32).collect();
    assert_eq!(f32s(&std::fs::read(w.path("s.f32")).unwrap()), want);
    let info = w.json(&["info", "--json", "s.f32"]);
    assert_eq!(info["samples"], 50);
    assert_eq!(info["dtype"], "float32");
    assert_eq!(info["sample_rate"], 2000.0);
    assert_eq!(info["start_time_s"], 0.05);
    assert!(
        info["rate_source"]
            .as_str()
            .unwrap()
            .contains("s.f32.tracekit.json"),
        "{info}"
    );
    // The .npy output says where its rate came from too.
    w.stdout(&["slice", "100+50", "a.npy", "-r", "2k", "-o", "s.npy"]);
    let info = w.json(&["info", "--json", "s.npy"]);
    assert_eq!(
        (info["sample_rate"].as_f64(), info["rate_source"].as_str()),
        (Some(2000.0), Some("npy header"))
    );
}

#[test]
fn stdout_stream_equals_the_file_and_raw_stream_is_bare() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 1000);
    w.stdout(&["slice", "10..20", "a.npy", "-r", "1k", "-o", "s.npy"]);
    let out = w
        .cmd(&["slice", "10..20", "a.npy", "-r", "1k", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, std::fs::read(w.path("s.npy")).unwrap());
    let out = w
        .cmd(&["slice", "10..20", "a.npy", "-o", "-", "--to", "raw"])
        .output()
        .unwrap();
    assert_eq!(
        f32s(&out.stdout),
        (10..20).map(|i| i as f32).collect::<Vec<_>>()
    );
}

#[test]
fn big_endian_copy_keeps_bytes_and_byte_order() {
    let w = Workdir::new();
    let values: Vec<i16> = (0..300).map(|i| (i * 97 - 15_000) as i16).collect();
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_be_bytes()).collect();
    write(&w.path("b.npy"), &npy_bytes(1, ">i2", false, &[300], &data));
    w.stdout(&["slice", "7..290", "b.npy", "-o", "s.npy"]);
    let (header, out) = npy_parts(&w.path("s.npy"));
    assert!(header.contains("'descr': '>i2'"), "{header}");
    assert_eq!(out, data[14..580]);
    w.stdout(&["slice", "7..290", "b.npy", "-o", "s.bin"]);
    let side = std::fs::read_to_string(w.path("s.bin.tracekit.json")).unwrap();
    assert!(side.contains("\"byte_order\": \"big\""), "{side}");
    assert_eq!(w.json(&["info", "--json", "s.bin"])["byte_order"], "big");
    // Converted, the values survive and the order becomes native.
    w.stdout(&["slice", "..3", "b.npy", "--to", "f32", "-o", "c.npy"]);
    let (header, out) = npy_parts(&w.path("c.npy"));
    assert!(header.contains("'descr': '<f4'"), "{header}");
    assert_eq!(f32s(&out), vec![-15000.0, -14903.0, -14806.0]);
}

#[test]
fn conversions_round_and_clamp_as_documented() {
    let w = Workdir::new();
    let values = [
        -1.5f32,
        -0.5,
        0.5,
        1.5,
        2.5,
        40000.0,
        -40000.0,
        f32::NAN,
        1e10,
        0.1,
    ];
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    write(
        &w.path("f.npy"),
        &npy_bytes(1, "<f4", false, &[values.len() as u64], &data),
    );
    w.stdout(&["slice", "..", "f.npy", "--to", "i16", "-o", "s.npy"]);
    let (header, out) = npy_parts(&w.path("s.npy"));
    assert!(header.contains("'descr': '<i2'"), "{header}");
    let got: Vec<i16> = out
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(got, vec![-2, -1, 1, 2, 3, 32767, -32768, 0, 32767, 0]);
    w.stdout(&["slice", "..", "f.npy", "--to", "uint8", "-o", "s.u8"]);
    assert_eq!(
        std::fs::read(w.path("s.u8")).unwrap(),
        vec![0, 0, 1, 2, 3, 255, 0, 0, 255, 0]
    );
    w.stdout(&["slice", "9..", "f.npy", "--to", "f64", "-o", "s.f64"]);
    assert_eq!(
        std::fs::read(w.path("s.f64")).unwrap(),
        (0.1f32 as f64).to_le_bytes()
    );
    // --to with the input's own type is a plain copy.
    w.stdout(&["slice", "..", "f.npy", "--to", "f32", "-o", "same.npy"]);
    assert_eq!(npy_parts(&w.path("same.npy")).1, data);
}

#[test]
fn step_is_exact_whatever_the_chunk() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 1000);
    let want: Vec<f32> = (3..995).step_by(7).map(|i| i as f32).collect();
    for chunk in ["1", "7", "10", "4096"] {
        w.stdout(&[
            "slice", "3..995", "a.npy", "-r", "7k", "--step", "7", "--chunk", chunk, "-o", "s.npy",
        ]);
        let (header, data) = npy_parts(&w.path("s.npy"));
        assert_eq!(f32s(&data), want, "chunk {chunk}");
        assert_eq!(
            meta(&header),
            (Some(1000.0), Some(3.0 / 7000.0)),
            "chunk {chunk}"
        );
    }
}

#[test]
fn channels_from_c_fortran_and_channels_first_input() {
    let w = Workdir::new();
    // Sample i of channel c holds 10 * i + c.
    let (n, c) = (100u64, 3u64);
    let value = |i: u64, ch: u64| (10 * i + ch) as f32;
    let c_order: Vec<u8> = (0..n)
        .flat_map(|i| (0..c).map(move |ch| value(i, ch)))
        .flat_map(f32::to_le_bytes)
        .collect();
    let planar: Vec<u8> = (0..c)
        .flat_map(|ch| (0..n).map(move |i| value(i, ch)))
        .flat_map(f32::to_le_bytes)
        .collect();
    write(
        &w.path("c.npy"),
        &npy_bytes(1, "<f4", false, &[n, c], &c_order),
    );
    write(
        &w.path("f.npy"),
        &npy_bytes(1, "<f4", true, &[n, c], &planar),
    );
    write(
        &w.path("cf.npy"),
        &npy_bytes(1, "<f4", false, &[c, n], &planar),
    );
    let want: Vec<f32> = (5..50).flat_map(|i| [value(i, 2), value(i, 0)]).collect();
    for input in ["c.npy", "f.npy", "cf.npy"] {
        w.stdout(&["slice", "5..50", input, "--channel", "2,0", "-o", "s.npy"]);
        let (header, data) = npy_parts(&w.path("s.npy"));
        assert!(
            header.contains("'shape': (45, 2)") && header.contains("'fortran_order': False"),
            "{input}: {header}"
        );
        assert_eq!(f32s(&data), want, "{input}");
        w.stdout(&["slice", "5..50", input, "-o", "all.npy"]);
        let all: Vec<f32> = (5..50)
            .flat_map(|i| (0..c).map(move |ch| value(i, ch)))
            .collect();
        assert_eq!(
            f32s(&npy_parts(&w.path("all.npy")).1),
            all,
            "{input} all channels"
        );
    }
    let msg = w.error(&["slice", "..", "c.npy", "--channel", "3", "-o", "s.npy"]);
    assert!(
        msg.contains("--channel 3") && msg.contains("3 channel"),
        "{msg}"
    );
}

#[test]
fn stdin_to_stdout_round_trip_keeps_the_metadata() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 1000);
    let first = w
        .cmd(&["slice", "100..", "a.npy", "-r", "1M", "-o", "-"])
        .output()
        .unwrap();
    assert!(first.status.success());
    let second = w
        .cmd(&["slice", "10..20", "-", "--step", "2", "-o", "-"])
        .write_stdin(first.stdout)
        .output()
        .unwrap();
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let info = w
        .cmd(&["info", "--json", "-"])
        .write_stdin(second.stdout.clone())
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(
        (info["sample_rate"].as_f64(), info["start_time_s"].as_f64()),
        (Some(5e5), Some(110e-6))
    );
    write(&w.path("r.npy"), &second.stdout);
    assert_eq!(
        f32s(&npy_parts(&w.path("r.npy")).1),
        vec![110.0, 112.0, 114.0, 116.0, 118.0]
    );
    // Raw stdin with no known length goes to raw or CSV, not to a .npy header.
    let raw: Vec<u8> = (0..10).flat_map(|i| (i as i16).to_le_bytes()).collect();
    let out = w
        .cmd(&["slice", "4..", "--dtype", "i16", "-o", "-", "--to", "raw"])
        .write_stdin(raw.clone())
        .output()
        .unwrap();
    assert_eq!(out.stdout, raw[8..]);
    let out = w
        .cmd(&["slice", "4..", "--dtype", "i16", "-o", "-"])
        .write_stdin(raw)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("length of the input is unknown"));
}

#[test]
fn closed_stdout_ends_quietly() {
    let w = Workdir::new();
    w.stdout(&["generate", "noise", "--samples", "1M", "-o", "n.npy"]);
    let mut child = spawn(&w, &["slice", "..", "n.npy", "-o", "-", "--to", "raw"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 1000];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn refusals_leave_the_input_alone() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 100);
    let before = std::fs::read(w.path("a.npy")).unwrap();
    for out in ["a.npy", "./a.npy"] {
        let msg = w.error(&["slice", "..", "a.npy", "-o", out]);
        assert!(msg.contains("refusing to write over the input"), "{msg}");
    }
    assert!(
        w.error(&["slice", "..", "a.npy", "--to", "raw", "-o", "x.bin"])
            .contains("-o -")
    );
    assert!(
        w.error(&["slice", "..", "a.npy", "-o", "x.i16"])
            .contains("--to i16")
    );
    assert_eq!(std::fs::read(w.path("a.npy")).unwrap(), before);
    assert_eq!(listing(&w), vec!["a.npy"]);
}

#[test]
fn a_stream_that_ends_early_leaves_no_file() {
    let w = Workdir::new();
    let mut short = npy_bytes(1, "<f4", false, &[1000], &[]);
    short.extend_from_slice(&[0u8; 400]);
    let out = w
        .cmd(&["slice", "..", "-", "--chunk", "10", "-o", "s.npy"])
        .write_stdin(short)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ended after 100 of 1000 samples"),
        "{stderr}"
    );
    assert!(listing(&w).is_empty(), "{:?}", listing(&w));
}

#[test]
fn ctrl_c_leaves_no_file() {
    let w = Workdir::new();
    let mut child = spawn(
        &w,
        &["slice", "..", "-", "--chunk", "1024", "-o", "out.npy"],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap();
    // A slow producer: a header promising 100M samples, then 64 KiB every 5 ms.
    let mut stdin = child.stdin.take().unwrap();
    let producer = std::thread::spawn(move || {
        let _ = stdin.write_all(&npy_bytes(1, "<f4", false, &[100_000_000], &[]));
        while stdin.write_all(&[0u8; 1 << 16]).is_ok() {
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let started = Instant::now();
    while !listing(&w).iter().any(|n| n.ends_with(".partial")) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: kill has no memory preconditions; the pid is our live child.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let out = child.wait_with_output().unwrap();
    producer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("out.npy: interrupted"), "{stderr}");
    assert!(listing(&w).is_empty(), "{:?}", listing(&w));
}

/// Unmounts the small tmpfs when the test ends, pass or fail.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[ignore = "needs root to mount a 256 KiB tmpfs (.ci/run runs it)"]
fn full_disk_is_a_clear_error() {
    let w = Workdir::new();
    let full = w.path("full");
    std::fs::create_dir(&full).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&full)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "cannot mount a tmpfs here: run as root");
    let _mount = Mount(full.clone());
    arange_f32(&w, "a.npy", 1 << 18);
    let msg = w.error(&["slice", "..", "a.npy", "-o", "full/s.npy"]);
    assert!(msg.contains("full/s.npy: the disk is full"), "{msg}");
    assert_eq!(
        std::fs::read_dir(&full).unwrap().count(),
        0,
        "files left on the full disk"
    );
}

#[test]
#[ignore = "needs python3 with numpy on PATH (.ci/run runs it)"]
fn numpy_loads_the_outputs_unchanged() {
    let w = Workdir::new();
    arange_f32(&w, "a.npy", 1000);
    let be: Vec<u8> = (0..10i16).flat_map(|v| (v * -300).to_be_bytes()).collect();
    write(&w.path("b.npy"), &npy_bytes(1, ">i2", false, &[5, 2], &be));
    w.stdout(&["slice", "1.5ms+3", "a.npy", "-r", "2k", "-o", "s1.npy"]);
    w.stdout(&["slice", "1..", "b.npy", "-o", "s2.npy"]);
    w.stdout(&[
        "slice",
        "..",
        "b.npy",
        "--channel",
        "1",
        "--step",
        "2",
        "--to",
        "f64",
        "-o",
        "s3.npy",
    ]);
    let script = "import numpy as np, json\n\
        print(json.dumps([[a.dtype.name, a.dtype.byteorder, list(a.shape), a.ravel().tolist()] \
        for a in (np.load(f) for f in ('s1.npy', 's2.npy', 's3.npy'))]))";
    let out = Command::new("python3")
        .current_dir(w.dir.path())
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = serde_json::json!([
        ["float32", "=", [3], [3.0, 4.0, 5.0]],
        [
            "int16",
            ">",
            [4, 2],
            [-600, -900, -1200, -1500, -1800, -2100, -2400, -2700]
        ],
        ["float64", "=", [3], [-300.0, -1500.0, -2700.0]],
    ]);
    assert_eq!(got, want);
}
