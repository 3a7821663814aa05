//! Issue 13 ("Harden what exists"), the HDF5 items: each test is named after the item it
//! guards and failed before its fix. Fixtures in tests/data/hdf5/crafted/ were written by
//! h5py (see the README there); the rest are generated here.

use crate::util::{Workdir, npy_bytes, write};
use hdf5_writer::{DatasetBuilder, FilterDescription, Hdf5Builder, WriteOptions};
use serde_json::Value;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tracekit::loader::hdf5::{H5Error, H5File};

fn crafted(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/hdf5/crafted/{name}"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/hdf5/{name}"))
}

/// The samples h5py wrote into most crafted files: `(i % 17) - 8` for i < 1000.
fn crafted_values() -> Vec<f64> {
    (0..1000).map(|i| f64::from(i % 17) - 8.0).collect()
}

fn channel(stats: &Value) -> &Value {
    &stats["channels"][0]
}

fn assert_stats_of(stats: &Value, values: &[f64]) {
    let c = channel(stats);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(c["count"], values.len() as u64, "{stats}");
    assert!(
        (c["mean"].as_f64().unwrap() - mean).abs() < 1e-12,
        "{stats}"
    );
    assert_eq!(c["min"].as_f64(), Some(min), "{stats}");
    assert_eq!(c["max"].as_f64(), Some(max), "{stats}");
}

#[test]
fn issue_13_19_user_block_files_are_read() {
    let w = Workdir::new();
    for name in ["userblock512.h5", "userblock1024_chunked.h5"] {
        let path = crafted(name);
        let path = path.to_str().unwrap();
        // Both used to be refused as "truncated: HDF5 says it ends at byte size + user block".
        let stats = w.json(&["stats", "--json", path]);
        assert_stats_of(&stats, &crafted_values());
        let info = w.json(&["info", "--json", path]);
        assert_eq!(info["samples"], 1000, "{info}");
    }
    let info = w.json(&[
        "info",
        "--json",
        crafted("userblock512.h5").to_str().unwrap(),
    ]);
    assert_eq!(info["sample_rate"], 1e6, "{info}");
    assert_eq!(info["data_offset"], 512 + 2048, "{info}");
    // A truncated file with a user block is still caught, with the right numbers.
    let bytes = std::fs::read(crafted("userblock512.h5")).unwrap();
    let cut = w.path("cut.h5");
    write(&cut, &bytes[..bytes.len() - 100]);
    let err = w.error(&["stats", "cut.h5"]);
    assert!(
        err.contains(&format!(
            "truncated: HDF5 says it ends at byte {}, but it has {} bytes",
            bytes.len(),
            bytes.len() - 100
        )),
        "{err}"
    );
}

#[test]
fn issue_13_20_virtual_datasets_are_listed_and_the_others_read() {
    let w = Workdir::new();
    // Old-style (symbol table) and new-style (link message) groups.
    for name in ["virtual_earliest.h5", "virtual_latest.h5"] {
        let path = crafted(name);
        let path = path.to_str().unwrap();
        let stats = w.json(&["stats", "--json", path]);
        assert_stats_of(&stats, &crafted_values());
        let stats = w.json(&["stats", "--json", "--dataset", "/real", path]);
        assert_stats_of(&stats, &crafted_values());
        let info = w.json(&["info", "--json", path]);
        let listed: Vec<(String, Value, Value)> = info["datasets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["layout"].clone(),
                    d["unsupported"].clone(),
                )
            })
            .collect();
        let virt = || Value::from("virtual");
        let why = || Value::from("a virtual dataset (layout class 3)");
        assert_eq!(
            listed,
            [
                ("/avirt".to_string(), virt(), why()),
                ("/real".to_string(), "contiguous".into(), Value::Null),
                ("/sub/time".to_string(), "contiguous".into(), Value::Null),
                ("/sub/virt".to_string(), virt(), why()),
            ],
            "{name}"
        );
        let table = w.stdout(&["info", path]);
        assert!(table.contains("virtual (unsupported)"), "{table}");
        let err = w.error(&["stats", "--dataset", "/sub/virt", path]);
        assert!(
            err.contains("dataset /sub/virt is a virtual dataset (layout class 3), which tracekit cannot read; the file holds: /real [1000] float32, /sub/time [3] float64"),
            "{err}"
        );
    }
}

#[test]
fn issue_13_21_a_lying_dataspace_says_what_is_wrong() {
    // /Data of the Tektronix fixture: 10000 float32 at offset 2144, in a 42160-byte file.
    let mut bytes = std::fs::read(fixture("tektronix_dpo5000_tek1.h5")).unwrap();
    let dims = 10_000u64.to_le_bytes();
    let at: Vec<usize> = (0..bytes.len() - 8)
        .filter(|&i| bytes[i..i + 8] == dims)
        .collect();
    assert!(!at.is_empty());
    for i in at {
        bytes[i..i + 8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    }
    let w = Workdir::new();
    write(&w.path("lying.h5"), &bytes);
    for command in ["stats", "info", "slice"] {
        let mut args = vec![command, "--dataset", "/Data", "lying.h5"];
        if command == "slice" {
            args = vec![
                command,
                "..",
                "lying.h5",
                "--dataset",
                "/Data",
                "-o",
                "x.npy",
            ];
        }
        let err = w.error(&args);
        assert!(
            err.contains(&format!(
                "dataset /Data: the header promises {} bytes of data (shape [1099511627776] of 4-byte values) at offset 2144, but the file has 42160 bytes",
                4u64 << 40
            )),
            "{command}: {err}"
        );
        assert!(!err.contains("shrank"), "{err}");
    }
    // A shape that fits the file but not the data block it points at.
    let mut bytes = std::fs::read(fixture("tektronix_dpo5000_tek1.h5")).unwrap();
    for i in 0..bytes.len() - 8 {
        if bytes[i..i + 8] == dims {
            bytes[i..i + 8].copy_from_slice(&10_001u64.to_le_bytes());
        }
    }
    write(&w.path("plus_one.h5"), &bytes);
    let err = w.error(&["stats", "plus_one.h5", "--dataset", "/Data"]);
    assert!(
        err.contains("the header promises 40004 bytes of data (shape [10001] of 4-byte values) at offset 2144, but its data block holds only 40000 bytes"),
        "{err}"
    );
}

/// The high-water mark of resident memory of process `pid` once it runs tracekit (not the
/// copy of this test process it was forked from), in bytes.
fn tracekit_hwm(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(str::trim)
    };
    if field("Name:")? != "tracekit" {
        return None;
    }
    let kb: u64 = field("VmHWM:")?
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Run `tracekit ARGS` with stdout and stderr in files; returns (exit code, stdout, stderr,
/// peak RSS in bytes). The peak is the kernel's high-water mark polled while tracekit runs
/// (getrusage would count the forked copy of this test process too); buffers live until the
/// end, so the last poll sees them. `data_limit` caps the heap (RLIMIT_DATA); past `timeout`
/// the child is killed and the test fails.
fn run_measured(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    data_limit: Option<u64>,
    timeout: Duration,
) -> (Option<i32>, String, String, u64) {
    let out = dir.join(".out");
    let err = dir.join(".err");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("tracekit"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(limit) = data_limit {
        // SAFETY: setrlimit is async-signal-safe and touches nothing of the parent.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_DATA, &lim) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    let mut child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(hwm) = tracekit_hwm(pid) {
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > timeout {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("tracekit {args:?} still ran after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let code = status.code();
    (
        code,
        std::fs::read_to_string(out).unwrap(),
        std::fs::read_to_string(err).unwrap(),
        peak,
    )
}

#[test]
fn issue_13_11_one_decoded_chunk_per_worker_whatever_the_chunk_flag() {
    // Four 64 MiB gzip chunks of zeros in a 264 KB file: h5py `write_direct_chunk`.
    let w = Workdir::new();
    let path = crafted("gzip_4x64MiB_zeros.h5");
    let path = path.to_str().unwrap();
    const MIB: u64 = 1 << 20;
    for (threads, args) in [
        ("1", vec!["stats", "--json", "--chunk", "1k", path]),
        ("2", vec!["stats", "--json", "--chunk", "1k", path]),
        // the sequential walk (no region split) decodes ahead, one chunk per core
        ("1", vec!["stats", "--json", "--every", "16Mi", path]),
    ] {
        let (code, out, err, rss) = run_measured(
            w.dir.path(),
            &args,
            &[("RAYON_NUM_THREADS", threads)],
            None,
            Duration::from_secs(120),
        );
        assert_eq!(code, Some(0), "{err}");
        assert!(rss > 0, "no memory reading of tracekit {args:?}");
        let workers: u64 = threads.parse().unwrap();
        // Before: three copies of the 64 MiB chunk (the library's, its array, ours) at once.
        assert!(
            rss < workers * 64 * MIB + 48 * MIB,
            "{args:?} with {threads} thread(s): peak RSS {} MiB",
            rss / MIB
        );
        if args.contains(&"--chunk") {
            let stats: Value = serde_json::from_str(&out).unwrap();
            let c = channel(&stats);
            assert_eq!(
                (c["count"].as_u64(), c["mean"].as_f64(), c["max"].as_f64()),
                (Some(64 << 20), Some(0.0), Some(0.0))
            );
        }
    }
}

#[test]
fn issue_13_11_a_chunk_over_the_budget_is_refused_with_the_numbers() {
    // One 512 MiB chunk (its stored bytes are a tiny stand-in: it must not be decoded).
    let w = Workdir::new();
    let path = crafted("gzip_512MiB_chunk.h5");
    let start = Instant::now();
    let err = w.error(&["stats", path.to_str().unwrap()]);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert!(
        err.contains("dataset /w: one chunk decodes to 536870912 bytes (512 MiB; chunk shape [134217728]), above tracekit's budget of 268435456 bytes (256 MiB) per decoded chunk; repack it with smaller chunks, e.g. h5repack -l /w:CHUNK=262144"),
        "{err}"
    );
    assert_eq!(tracekit::loader::hdf5::CHUNK_BUDGET, 256 << 20);
}

fn filter(id: u16, client_data: Vec<u32>) -> FilterDescription {
    FilterDescription {
        id,
        name: None,
        client_data,
    }
}

fn h5_bytes(ds: DatasetBuilder) -> Vec<u8> {
    Hdf5Builder::new()
        .dataset(ds)
        .into_plan()
        .unwrap()
        .encode(WriteOptions::default())
        .unwrap()
}

/// Values of `n` frames × `c` channels with structure in every byte.
fn frames(n: usize, c: usize) -> Vec<f32> {
    (0..n * c)
        .map(|i| ((i as f32) * 0.37).sin() * 100.0 + (i % c) as f32)
        .collect()
}

#[test]
fn issue_13_25_chunked_reads_from_the_map_match_npy_in_every_layout() {
    // Every layout the new chunk reader takes: in place (unfiltered), decoded (gzip, shuffle,
    // fletcher32), assembled (chunks across the channels, channels-first), a short last row.
    let w = Workdir::new();
    let (n, c) = (50_021usize, 3usize);
    let values = frames(n, c);
    let le: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    write(
        &w.path("ref.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64, c as u64], &le),
    );
    let transposed: Vec<f32> = (0..c)
        .flat_map(|ch| (0..n).map(move |i| (ch, i)))
        .map(|(ch, i)| values[i * c + ch])
        .collect();
    let gzip = || vec![filter(2, vec![]), filter(1, vec![4])];
    let cases: Vec<(&str, DatasetBuilder)> = vec![
        (
            "in_place",
            DatasetBuilder::typed_data("d", [n as u64, c as u64], &values)
                .unwrap()
                .chunked([4096, c as u64]),
        ),
        (
            "gzip_shuffle_fletcher",
            DatasetBuilder::typed_data("d", [n as u64, c as u64], &values)
                .unwrap()
                .chunked([3000, c as u64])
                .filter(filter(2, vec![]))
                .filter(filter(1, vec![6]))
                .filter(filter(3, vec![])),
        ),
        (
            "across_channels",
            DatasetBuilder::typed_data("d", [n as u64, c as u64], &values)
                .unwrap()
                .chunked([7000, 2]),
        ),
        (
            "across_channels_gzip",
            DatasetBuilder::typed_data("d", [n as u64, c as u64], &values)
                .unwrap()
                .chunked([7000, 1])
                .filter(filter(1, vec![1])),
        ),
        (
            "channels_first_gzip",
            DatasetBuilder::typed_data("d", [c as u64, n as u64], &transposed)
                .unwrap()
                .chunked([2, 5000])
                .filters_from(gzip()),
        ),
    ];
    let reference = w.json(&["stats", "--json", "ref.npy"]);
    w.stdout(&["slice", "777..49999", "ref.npy", "-o", "ref_slice.npy"]);
    let want_slice = std::fs::read(w.path("ref_slice.npy")).unwrap();
    for (name, ds) in cases {
        let file = format!("{name}.h5");
        write(&w.path(&file), &h5_bytes(ds));
        for chunk in ["1", "4096", "1Mi"] {
            let got = w.json(&["stats", "--json", "--chunk", chunk, &file]);
            for key in ["count", "mean", "std", "min", "max", "argmin", "argmax"] {
                for ch in 0..c {
                    assert_eq!(
                        got["channels"][ch][key], reference["channels"][ch][key],
                        "{name} --chunk {chunk}: channel {ch} {key}"
                    );
                }
            }
        }
        let out = format!("{name}_slice.npy");
        w.stdout(&["slice", "777..49999", &file, "-o", &out, "--chunk", "1001"]);
        assert!(
            std::fs::read(w.path(&out)).unwrap() == want_slice,
            "{name}: slice differs"
        );
    }
}

/// Shorthand: several filters at once.
trait Filters {
    fn filters_from(self, filters: Vec<FilterDescription>) -> Self;
}

impl Filters for DatasetBuilder {
    fn filters_from(self, filters: Vec<FilterDescription>) -> Self {
        filters.into_iter().fold(self, DatasetBuilder::filter)
    }
}

#[test]
fn issue_13_25_chunks_never_written_read_as_the_fill_value() {
    // h5py: shape (1000,), chunks of 100, fill value 2.5, only [200:300] and [700:750] written
    // (with 1.0): the other chunks are absent from the index.
    let w = Workdir::new();
    let path = crafted("sparse_fill.h5");
    let stats = w.json(&["stats", "--json", path.to_str().unwrap()]);
    let values: Vec<f64> = (0..1000)
        .map(|i| {
            if (200..300).contains(&i) || (700..750).contains(&i) {
                1.0
            } else {
                2.5
            }
        })
        .collect();
    assert_stats_of(&stats, &values);
    let c = channel(&stats);
    assert_eq!(
        (c["argmin"].as_u64(), c["argmax"].as_u64()),
        (Some(200), Some(0))
    );
}

/// Every entry point on `path`, reading a bounded number of frames at each end; returns how
/// far it got. Only panics, hangs and allocations matter to the caller.
fn exercise(path: &Path) -> Result<usize, H5Error> {
    let file = H5File::open(path)?;
    let mut total = file.datasets()?.len();
    let chosen = file.choose_dataset(None)?;
    total += file.attributes(&chosen.path)?.len();
    file.time_base(&chosen.path)?;
    let mut reader = file.reader(&chosen.path)?;
    let frames = reader.frames();
    let mut buf = Vec::new();
    let window = frames.min(70_000) as usize;
    reader.read_frames(0, window, &mut buf)?;
    total += buf.len();
    reader.read_frames(frames - window as u64, window, &mut buf)?;
    Ok(total + buf.len())
}

/// Small real files to damage: the instrument fixtures (superblock 0, no checksums, B-trees),
/// a user block, and a chunked, shuffled, deflated, checksummed file from hdf5-writer.
fn fuzz_bases() -> Vec<(String, Vec<u8>)> {
    let mut bases: Vec<(String, Vec<u8>)> = [
        "tektronix_dpo5000_tek1.h5",
        "redpitaya_rpserver_500_2018-10-01_164351.hdf",
    ]
    .iter()
    .map(|n| (n.to_string(), std::fs::read(fixture(n)).unwrap()))
    .collect();
    for n in [
        "userblock1024_chunked.h5",
        "sparse_fill.h5",
        "virtual_earliest.h5",
    ] {
        bases.push((n.to_string(), std::fs::read(crafted(n)).unwrap()));
    }
    let values = frames(3000, 2);
    let ds = DatasetBuilder::typed_data("g/d", [3000, 2], &values)
        .unwrap()
        .chunked([700, 2])
        .filters_from(vec![
            filter(2, vec![]),
            filter(1, vec![4]),
            filter(3, vec![]),
        ]);
    bases.push(("writer_chunked.h5".into(), h5_bytes(ds)));
    bases
}

/// The mutations of one base file: truncations, byte flips in its first 4 KiB (superblock,
/// object headers, B-trees, heaps) and further in, and 8-byte fields set to lying sizes.
fn mutations(bytes: &[u8], budget: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let len = bytes.len();
    let mut rng = seed;
    let mut next = move || {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        rng >> 33
    };
    let step = (len / (budget / 4).max(1)).max(1);
    for cut in (0..len).step_by(step) {
        out.push((format!("cut {cut}"), bytes[..cut].to_vec()));
    }
    let head = len.min(4096);
    for _ in 0..budget / 2 {
        let at = if next() % 4 == 0 {
            next() as usize % len
        } else {
            next() as usize % head
        };
        let mut damaged = bytes.to_vec();
        let flip = (next() % 255 + 1) as u8;
        damaged[at] ^= flip;
        out.push((format!("flip {at} ^ {flip:#04x}"), damaged));
    }
    let lies = [u64::MAX, 1 << 40, 1 << 32, 0xFFFF_FFFF, 0];
    for _ in 0..budget / 4 {
        let at = next() as usize % head.saturating_sub(8).max(1);
        let lie = lies[next() as usize % lies.len()];
        let mut damaged = bytes.to_vec();
        let width = [2usize, 4, 8][next() as usize % 3];
        if at + width <= len {
            damaged[at..at + width].copy_from_slice(&lie.to_le_bytes()[..width]);
            out.push((format!("{width}-byte field at {at} = {lie:#x}"), damaged));
        }
    }
    out
}

#[test]
fn issue_13_28_crafted_inputs_never_panic_hang_or_balloon() {
    // Cases per base file: a short run here, `TRACEKIT_FUZZ_CASES=N` (benches/fuzz.sh) longer.
    let budget = crate::util::fuzz_cases(160) as usize;
    let w = Workdir::new();
    let (mut read, mut refused) = (0, 0);
    for (b, (name, bytes)) in fuzz_bases().into_iter().enumerate() {
        let cases = mutations(&bytes, budget, 0x9e37_79b9 ^ b as u64);
        for (i, (what, damaged)) in cases.iter().enumerate() {
            let path = w.path("case.h5");
            write(&path, damaged);
            // In process: no panic, and no hang (each case must finish in seconds).
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| exercise(&path));
            match outcome {
                Ok(Ok(_)) => read += 1,
                Ok(Err(_)) => refused += 1,
                Err(_) => panic!("{name}, {what}: panicked"),
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{name}, {what}: took {:?}",
                started.elapsed()
            );
            // Every few cases, the whole CLI under a 256 MiB heap limit: exit 0 or 1 (never a
            // signal, an abort on a huge allocation, or a panic).
            if i % 8 == 0 {
                for args in [
                    vec!["info", "case.h5"],
                    vec!["stats", "--range", "..100000", "case.h5"],
                ] {
                    let (code, _, err, _) = run_measured(
                        w.dir.path(),
                        &args,
                        &[],
                        Some(256 << 20),
                        Duration::from_secs(30),
                    );
                    assert!(
                        matches!(code, Some(0 | 1)) && !err.contains("panicked"),
                        "{name}, {what}: tracekit {args:?} ended with {code:?}: {err}"
                    );
                }
            }
        }
    }
    // The corpus reaches past the superblock: some damage is harmless, most is caught.
    assert!(read > 0 && refused > 0, "{read} read, {refused} refused");
}
