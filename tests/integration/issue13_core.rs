//! Regression tests for issue 13 (hardening): the .npy header, ranges and flags, and
//! memory that must not grow with the channel count or an input file.

use crate::util::{Workdir, npy_bytes, read_npy_f64, write};
use std::process::{Command, Stdio};

/// Run `cmd` with its private memory (heap and anonymous maps; the mapped input does not
/// count) limited to `mib` MiB, so an allocation past it fails the run. Peak RSS cannot be
/// read reliably here: a child's high-water mark includes the test process it forked from.
fn exit_code_within(mut cmd: Command, mib: u64) -> Option<i32> {
    let bytes = mib << 20;
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .code()
}

/// A version-1 .npy whose header dict is `dict`, with `data` after it.
fn npy_with_dict(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = dict.as_bytes().to_vec();
    body.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(data);
    out
}

fn dict_with_shape(shape: &str) -> String {
    format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}")
}

#[test]
fn issue_13_1_deeply_nested_shape_is_an_error_not_a_stack_overflow() {
    let w = Workdir::new();
    let shape = format!("{}1{}", "(".repeat(30_000), ")".repeat(30_000));
    write(
        &w.path("deep.npy"),
        &npy_with_dict(&dict_with_shape(&shape), &[]),
    );
    for cmd in ["info", "stats", "fft", "slice"] {
        let mut args = vec![cmd, "deep.npy"];
        if cmd == "slice" {
            args = vec!["slice", "..", "deep.npy", "-o", "out.npy"];
        }
        let msg = w.error(&args);
        assert!(
            msg.contains("nested more than 8 levels deep"),
            "{cmd}: {msg}"
        );
        assert!(msg.len() < 300, "{cmd}: the error quotes too much: {msg}");
    }
}

#[test]
fn issue_13_4_huge_dimensions_do_not_wrap() {
    let w = Workdir::new();
    let cases = [
        ("(18446744073709551716,)", "more than 2^64 - 1"),
        ("(1152921504606846976, 16)", "needs more than 2^64 bytes"),
        (
            "(100, 100000)",
            "would be 100000 channels; tracekit reads at most 65536",
        ),
        ("(5, 0)", "has no channels"),
    ];
    for (shape, want) in cases {
        write(
            &w.path("h.npy"),
            &npy_with_dict(&dict_with_shape(shape), &[0; 64]),
        );
        let msg = w.error(&["info", "h.npy"]);
        assert!(msg.contains(want), "{shape}: {msg}");
    }
}

#[test]
fn issue_13_5_long_double_is_not_float16() {
    let w = Workdir::new();
    let dict = "{'descr': '<f16', 'fortran_order': False, 'shape': (4,), }";
    write(&w.path("ld.npy"), &npy_with_dict(dict, &[0; 64]));
    let msg = w.error(&["info", "ld.npy"]);
    assert!(msg.contains("long double"), "{msg}");
    assert!(msg.contains("'<f2'"), "{msg}");
    write(&w.path("x.bin"), &[0; 64]);
    for spelling in ["<f16", "f128", "float128", "longdouble"] {
        let out = w
            .cmd(&["info", "--dtype", spelling, "x.bin"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--dtype {spelling}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("long double"), "--dtype {spelling}: {err}");
    }
    // tracekit's own short name, without a byte-order mark, stays float16 (SPEC §1).
    let v = w.json(&["info", "--json", "--dtype", "f16", "x.bin"]);
    assert_eq!(
        (v["dtype"].as_str(), v["samples"].as_u64()),
        (Some("float16"), Some(32))
    );
}

#[test]
fn issue_13_22_header_errors_quote_the_users_text() {
    let w = Workdir::new();
    let cases = [
        ("(-1,)", "shape has the negative size -1"),
        ("('a',)", "shape has `'a'` where a size is expected"),
        ("[3]", "shape is `[3]`, expected a tuple"),
        (
            "(3, 4",
            "expected a string, number, True, False, None or a bracket, found `}`",
        ),
    ];
    for (shape, want) in cases {
        write(
            &w.path("q.npy"),
            &npy_with_dict(&dict_with_shape(shape), &[0; 64]),
        );
        let msg = w.error(&["info", "q.npy"]);
        assert!(msg.contains(want), "{shape}: {msg}");
        assert!(!msg.contains("Int(") && !msg.contains("Str("), "{msg}");
    }
    let huge = format!("({})", "(1,".repeat(2000));
    write(
        &w.path("q.npy"),
        &npy_with_dict(&dict_with_shape(&huge), &[]),
    );
    let msg = w.error(&["info", "q.npy"]);
    assert!(msg.len() < 300, "{msg}");
    // NumPy accepts a unary plus; so does tracekit.
    let dict = dict_with_shape("(+16,)");
    write(&w.path("p.npy"), &npy_with_dict(&dict, &[0; 64]));
    let v = w.json(&["info", "--json", "p.npy"]);
    assert_eq!(v["samples"], 16);
}

#[test]
fn issue_13_23_ranges_past_the_data_say_so() {
    let w = Workdir::new();
    let data: Vec<u8> = (0..1000u32)
        .flat_map(|i| (i as f32).to_le_bytes())
        .collect();
    write(
        &w.path("a.npy"),
        &npy_bytes(1, "<f4", false, &[1000], &data),
    );
    for range in ["1e30..", "18446744073709551616..", "0+1e30", "-1e30.."] {
        let msg = w.error(&["stats", "--range", range, "a.npy", "-r", "1M"]);
        assert!(msg.contains("is outside the data"), "{range}: {msg}");
        assert!(msg.contains("0..1000"), "{range}: {msg}");
    }
    let msg = w.error(&["stats", "--every", "1ns", "a.npy", "-r", "1M"]);
    assert!(
        msg.contains("--every is shorter than one sample (1 sample = 1 µs)"),
        "{msg}"
    );
    for amplitude in ["nan", "inf", "-inf"] {
        let out = w
            .cmd(&[
                "generate",
                "square",
                "--amplitude",
                amplitude,
                "-o",
                "s.npy",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--amplitude {amplitude}");
        let tone = format!("1k:{amplitude}");
        let out = w
            .cmd(&["generate", "tone", "--tone", &tone, "-o", "s.npy"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--tone {tone}");
    }
    assert!(!w.path("s.npy").exists());
}

#[test]
fn issue_13_24_baud_zero_names_the_baud_rate() {
    let w = Workdir::new();
    w.stdout(&["generate", "uart", "--text", "A", "--logic", "-o", "u.npy"]);
    let out = w
        .cmd(&["decode-uart", "--baud", "0", "u.npy"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("a baud rate must be a finite number > 0"),
        "{err}"
    );
    assert!(!err.contains("sample rate"), "{err}");
    // Negative ranges are ranges, not flags, in every command that takes --range.
    let out = w.stdout(&[
        "decode-uart",
        "--baud",
        "115200",
        "--range",
        "-100..",
        "u.npy",
    ]);
    assert!(out.is_empty() || out.lines().count() <= 1, "{out}");
    w.stdout(&["fft", "--nfft", "16", "--range", "-100..", "u.npy"]);
}

#[test]
fn issue_13_9_wide_captures_stay_within_the_chunk_budget() {
    // (65, 65 536) u8 is 65 samples of 65 536 channels, the most tracekit reads: in chunks of
    // a few frames, with small per-channel state (before: gigabytes).
    let w = Workdir::new();
    let (n, c) = (65u64, 65_536u64);
    let data = vec![1u8; (n * c) as usize];
    write(
        &w.path("wide.npy"),
        &npy_bytes(1, "|u1", false, &[n + 100, c], &[]),
    );
    let msg = w.error(&["stats", "wide.npy"]);
    assert!(msg.contains("needs 10813440 bytes"), "{msg}");
    write(
        &w.path("wide.npy"),
        &npy_bytes(1, "|u1", false, &[n, c], &data),
    );
    // JSON reports (a table of 65 536 rows for people costs its own few hundred MB).
    for cmd in ["stats", "fft"] {
        let mut args = vec![cmd, "--json", "wide.npy"];
        if cmd == "fft" {
            args.extend(["--nfft", "16", "-r", "1k"]);
        }
        let mut run = Command::new(assert_cmd::cargo::cargo_bin("tracekit"));
        run.current_dir(w.dir.path()).args(&args);
        assert_eq!(
            exit_code_within(run, 150),
            Some(0),
            "{cmd} needs more than 150 MiB"
        );
    }
    // A raw stream of 65 536 channels: chunks of a few frames, not a million.
    let mut stream = Command::new("sh");
    let tk = assert_cmd::cargo::cargo_bin("tracekit");
    stream.arg("-c").arg(format!(
        "head -c 200000000 /dev/zero | {} stats --json --dtype u8 --channels 65536 -",
        tk.display()
    ));
    assert_eq!(
        exit_code_within(stream, 150),
        Some(0),
        "a 65 536-channel stream needs more than 150 MiB"
    );
    let out = w.cmd(&["stats", "--json", "wide.npy"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chans = v["channels"].as_array().unwrap();
    assert_eq!(chans.len(), c as usize);
    assert_eq!(
        (
            chans[65_535]["count"].as_u64(),
            chans[65_535]["mean"].as_f64()
        ),
        (Some(n), Some(1.0))
    );
}

#[test]
fn issue_13_10_bytes_file_is_streamed_and_pipes_work() {
    let w = Workdir::new();
    std::fs::write(w.path("msg.bin"), b"Hi!").unwrap();
    w.stdout(&[
        "generate",
        "uart",
        "--bytes-file",
        "msg.bin",
        "--baud",
        "9600",
        "-r",
        "1M",
        "--logic",
        "-o",
        "u.npy",
    ]);
    let out = w.stdout(&[
        "decode-uart",
        "--baud",
        "9600",
        "--format",
        "bytes",
        "-q",
        "u.npy",
    ]);
    assert_eq!(out, "Hi!");
    // An endless device streams: with --samples it fills them, and memory stays flat.
    let args = [
        "generate",
        "uart",
        "--bytes-file",
        "/dev/zero",
        "--baud",
        "1M",
        "-r",
        "10M",
        "--samples",
        "20M",
        "--logic",
        "-o",
        "z.u8",
    ];
    let out = w.cmd(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(w.path("z.u8")).unwrap().len(), 20_000_000);
    // Without --samples an endless source has no length to fill: say so.
    let msg = w.error(&[
        "generate",
        "uart",
        "--bytes-file",
        "/dev/zero",
        "--logic",
        "-o",
        "y.u8",
    ]);
    assert!(msg.contains("--samples"), "{msg}");
    // A byte that does not fit in the data bits is an error naming its offset.
    std::fs::write(w.path("hi.bin"), [0x41u8, 0xff]).unwrap();
    let msg = w.error(&[
        "generate",
        "uart",
        "--bytes-file",
        "hi.bin",
        "--bits",
        "7",
        "-o",
        "x.npy",
    ]);
    assert!(msg.contains("hi.bin: byte 1 is 0xff"), "{msg}");
    assert!(!w.path("x.npy").exists());
}

#[test]
fn issue_13_12_largest_nfft_runs_within_its_stated_memory() {
    // 2^28 (the old documented maximum) needed ~60 bytes per point: refused up front now.
    let w = Workdir::new();
    write(
        &w.path("big.npy"),
        &npy_bytes(1, "<f4", false, &[1 << 24], &vec![0; 4 << 24]),
    );
    let out = w
        .cmd(&["fft", "big.npy", "-r", "1M", "--nfft", "268435456"])
        .output()
        .unwrap();
    let msg = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "a usage error: {msg}");
    assert!(msg.contains("out of range; use 16..16777216"), "{msg}");
    // The new maximum, 2^24, on 2^24 samples: one segment, within ~100 bytes per point
    // (1.6 GiB; the input is mapped and not counted).
    let mut run = Command::new(assert_cmd::cargo::cargo_bin("tracekit"));
    run.current_dir(w.dir.path())
        .args(["fft", "big.npy", "-r", "1M", "--nfft", "16777216", "--json"]);
    assert_eq!(
        exit_code_within(run, 1700),
        Some(0),
        "nfft 2^24 outgrew 1.7 GiB"
    );
}

#[test]
fn issue_13_26_same_type_slices_are_exact_copies_at_any_offset() {
    // The kernel copy (copy_file_range) must give the very bytes of the range, whatever its
    // alignment, and a valid header; stdout (no kernel copy) gives the same bytes.
    let w = Workdir::new();
    let (n, c) = (100_003u64, 3u64);
    let data: Vec<u8> = (0..n * c * 2).map(|i| (i * 7 % 251) as u8).collect();
    write(
        &w.path("in.npy"),
        &npy_bytes(1, "<i2", false, &[n, c], &data),
    );
    for (a, b) in [(0, n), (1, 2), (12_345, 99_999), (n - 1, n)] {
        let range = format!("{a}..{b}");
        w.stdout(&["slice", &range, "in.npy", "-o", "out.npy"]);
        let want = npy_bytes(
            1,
            "<i2",
            false,
            &[b - a, c],
            &data[(a * c * 2) as usize..(b * c * 2) as usize],
        );
        assert_eq!(read_npy_f64(&w.path("out.npy")).0, [b - a, c], "{range}");
        let got = std::fs::read(w.path("out.npy")).unwrap();
        let body = |v: &[u8]| v[v.len() - ((b - a) * c * 2) as usize..].to_vec();
        assert_eq!(body(&got), body(&want), "{range}");
        let raw = w
            .cmd(&["slice", &range, "in.npy", "--to", "raw", "-o", "-"])
            .output();
        assert_eq!(raw.unwrap().stdout, body(&want), "{range} to stdout");
    }
}
