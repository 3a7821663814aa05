//! Issue 15, logic formats: VCD and Saleae Logic 2 binary exports read through the loader,
//! sigrok sessions and VCDs written by `slice -o x.sr|x.vcd`.
//!
//! Expected values in tests/data/logic/expected.json come from independent readers
//! (`benches/crosscheck/logic.py --bless`): `sigrok-cli -i FILE -O csv` for the .sr fixtures
//! and the SPI VCD, an expansion on pyvcd's tokenizer for the vector VCD (sigrok reads no
//! sample of it), and Saleae's documented layout read with struct/numpy. Each channel is
//! kept as a digest of its run-length form: samples, first value, number of changes and an
//! order-free hash of (index, value) pairs.

use crate::util::{Workdir, fuzz_cases};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tracekit::loader::{self, OpenOptions, Pick, Walk};
use tracekit::sample::Sample;
use tracekit::sample::sink::{Sink, SinkError};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/logic")
        .join(name)
}

fn expected() -> Value {
    let text = std::fs::read_to_string(data("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A channel's run-length digest, as benches/crosscheck/logic.py computes it.
#[derive(Debug, Clone, PartialEq, Default)]
struct Digest {
    samples: u64,
    first: Option<f64>,
    changes: u64,
    hash: u64,
    last: u64,
}

impl Digest {
    fn push(&mut self, index: u64, v: f64) {
        let bits = v.to_bits();
        if self.samples == 0 {
            self.first = Some(v);
            self.hash = splitmix64(index ^ splitmix64(bits));
        } else if bits != self.last {
            self.changes += 1;
            self.hash = self.hash.wrapping_add(splitmix64(index ^ splitmix64(bits)));
        }
        self.last = bits;
        self.samples += 1;
    }

    fn from_json(v: &Value) -> Digest {
        Digest {
            samples: v["samples"].as_u64().unwrap(),
            first: v["first"].as_f64(),
            changes: v["changes"].as_u64().unwrap(),
            hash: v["hash"].as_u64().unwrap(),
            last: 0,
        }
    }

    fn same(&self, other: &Digest) -> bool {
        (self.samples, self.first, self.changes, self.hash)
            == (other.samples, other.first, other.changes, other.hash)
    }
}

struct Digests(Vec<Digest>);

impl Sink for Digests {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        for (d, col) in self.0.iter_mut().zip(columns) {
            for (i, v) in col.iter().enumerate() {
                d.push(start + i as u64, v.to_f64());
            }
        }
        Ok(())
    }
}

struct Read {
    names: Vec<String>,
    rate: Option<f64>,
    start_time: Option<f64>,
    digests: Vec<Digest>,
}

/// Every channel of `path` through the loader, `chunk` frames at a time, from `start`.
fn read(path: &Path, rate: Option<f64>, chunk: usize, start: u64) -> Read {
    let mut trace = loader::open(&OpenOptions {
        path: Some(path.to_path_buf()),
        sample_rate: rate,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let info = trace.info.clone();
    let picks: Vec<Pick> = (0..info.channels.len()).map(Pick::channel).collect();
    let mut sink = Digests(vec![Digest::default(); picks.len()]);
    let walk = Walk {
        range: (start, info.samples),
        picks: &picks,
        chunk,
        progress: &|_| {},
    };
    trace.feed(&walk, &mut sink).unwrap();
    Read {
        names: info.channels.iter().map(|c| c.name.clone()).collect(),
        rate: info.sample_rate,
        start_time: info.start_time,
        digests: sink.0,
    }
}

/// `read` equals the reference entry `want` (names, rate, every channel's digest).
fn assert_matches(what: &str, got: &Read, want: &Value) {
    let names: Vec<&str> = want["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    // A VCD's names carry their scope (`la16.Channel_0`); sigrok shows the reference only.
    assert_eq!(got.names.len(), names.len(), "{what}: names");
    for (g, n) in got.names.iter().zip(&names) {
        assert!(
            g == n || g.ends_with(&format!(".{n}")),
            "{what}: {g} vs {n}"
        );
    }
    assert_eq!(got.rate, want["rate"].as_f64(), "{what}: rate");
    let digests = want["digests"].as_array().unwrap();
    assert_eq!(got.digests.len(), digests.len(), "{what}: channels");
    for (k, (g, w)) in got.digests.iter().zip(digests).enumerate() {
        let w = Digest::from_json(w);
        assert!(
            g.same(&w),
            "{what}: channel {} got {g:?} want {w:?}",
            names[k]
        );
    }
}

fn sessions() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(data("sr"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

#[test]
fn issue_15_sr_fixtures_equal_sigrok_cli_csv() {
    let want = expected();
    let files = sessions();
    // 46 under protocols/, one of them twice (no-samplerate.sr in can/ and onewire_link/).
    assert_eq!(files.len(), 45);
    for (k, path) in files.iter().enumerate() {
        let name = path.file_name().unwrap().to_str().unwrap();
        // Chunk sizes vary over the files: whole file, odd, tiny.
        let chunk = [1 << 20, 4096, 7][k % 3];
        let got = read(path, None, chunk, 0);
        assert_matches(&format!("{name} --chunk {chunk}"), &got, &want["sr"][name]);
    }
}

#[test]
fn issue_15_vcd_equals_sigrok_cli_csv_whatever_the_chunk() {
    let want = expected();
    let name = "spi_spiflash_read16_chronovu_la16_chronovu_la16_spiflash_read16.vcd";
    for chunk in [1 << 20, 4093] {
        let got = read(&data(name), None, chunk, 0);
        assert_matches(&format!("{name} --chunk {chunk}"), &got, &want["vcd"][name]);
        assert_eq!(got.digests[0].samples, 20_971_515);
    }
}

#[test]
fn issue_15_vcd_vectors_equal_pyvcd_whatever_the_chunk() {
    let want = expected();
    let name = "misc_vcd_vectors-integers.vcd";
    for chunk in [1, 7, 4096, 1 << 20] {
        let got = read(&data(name), None, chunk, 0);
        assert_matches(&format!("{name} --chunk {chunk}"), &got, &want["vcd"][name]);
    }
}

/// The transitions of a version 0 digital export as sample indices at `rate`, read from the
/// documented layout (checked against numpy's reading in expected.json).
fn saleae_edges(bytes: &[u8], rate: f64) -> (u8, Vec<u64>) {
    let f64_at = |at: usize| f64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let initial = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as u8;
    let begin = f64_at(20);
    let n = u64::from_le_bytes(bytes[36..44].try_into().unwrap()) as usize;
    let edges = (0..n)
        .map(|k| ((f64_at(44 + 8 * k) - begin) * rate).round() as u64)
        .collect();
    (initial, edges)
}

#[test]
fn issue_15_saleae_equals_the_documented_layout() {
    let want = &expected()["saleae"]["usbpd_cc_digital_6.bin"];
    let path = data("usbpd_cc_digital_6.bin");
    let (initial, edges) = saleae_edges(&std::fs::read(&path).unwrap(), 500e6);
    assert_eq!(u64::from(initial), want["initial"].as_u64().unwrap());
    assert_eq!(edges.len() as u64, want["transitions"].as_u64().unwrap());
    assert_eq!(edges.last().copied(), want["last_transition"].as_u64());
    let hash = edges
        .iter()
        .fold(0u64, |h, &e| h.wrapping_add(splitmix64(e)));
    assert_eq!(hash, want["hash"].as_u64().unwrap());

    let open = || {
        loader::open(&OpenOptions {
            path: Some(path.clone()),
            ..Default::default()
        })
        .unwrap()
    };
    let info = open().info;
    assert_eq!(info.format, "saleae");
    assert_eq!(info.sample_rate, Some(500e6), "the inferred rate");
    assert_eq!(info.samples, want["samples"].as_u64());
    assert_eq!(info.channels[0].name, "usbpd_cc_digital_6");
    // 2.6e9 samples: every transition is checked by reading the two samples around it
    // (the stream skips the runs between), at two chunk sizes of the feed for the first
    // ones.
    let mut trace = open();
    let mut level = initial;
    for (k, &e) in edges.iter().enumerate() {
        let around = trace.read_frames(e - 1, 2).unwrap().to_vec();
        assert_eq!(around, [level, level ^ 1], "transition {k} at sample {e}");
        level ^= 1;
    }
    let end = edges[20] + 3;
    for chunk in [1 << 20, 7777] {
        let mut sink = Digests(vec![Digest::default()]);
        open()
            .feed(
                &Walk {
                    range: (0, Some(end)),
                    picks: &[Pick::channel(0)],
                    chunk,
                    progress: &|_| {},
                },
                &mut sink,
            )
            .unwrap();
        let d = &sink.0[0];
        assert_eq!(
            (d.samples, d.first, d.changes),
            (end, Some(f64::from(initial)), 21),
            "--chunk {chunk}"
        );
    }
}

/// `slice -o x.sr` and `-o x.vcd` read back through tracekit's readers give the samples,
/// names and rate of the original (sigrok-cli's reading of them: benches/crosscheck/logic.py).
#[test]
fn issue_15_written_sr_and_vcd_read_back_identical() {
    let w = Workdir::new();
    for name in ["spi-count-msb.sr", "16bit_spi.sr", "no-samplerate.sr"] {
        let src = data(&format!("sr/{name}"));
        let original = read(&src, None, 1 << 20, 0);
        for out in ["out.sr", "out.vcd"] {
            w.stdout(&["slice", "..", src.to_str().unwrap(), "-o", out, "-q"]);
            // A VCD's timescale unit need not be the sample period (400 kHz: 100 ns units,
            // step 25): it reads back at its rate with -r. Without a rate it is written at
            // one sample per second.
            let rate = original.rate.filter(|_| out == "out.vcd");
            let back = read(&w.path(out), rate, 4096, 0);
            assert_eq!(back.names, original.names, "{name} → {out}");
            let want_rate = match (out, original.rate) {
                ("out.vcd", None) => Some(1.0),
                (_, r) => r,
            };
            assert_eq!(back.rate, want_rate, "{name} → {out}");
            for (k, (b, o)) in back.digests.iter().zip(&original.digests).enumerate() {
                assert!(b.same(o), "{name} → {out}: channel {k}: {b:?} vs {o:?}");
            }
        }
    }
}

/// A cut-out keeps its start time in a VCD and its rate divided by --step in both.
#[test]
fn issue_15_slice_range_step_and_channels_travel() {
    let w = Workdir::new();
    let src = data("sr/16bit_spi.sr");
    let src = src.to_str().unwrap();
    w.stdout(&[
        "slice",
        "10..70",
        src,
        "--channel",
        "MOSI,CS#",
        "-o",
        "cut.vcd",
    ]);
    let text = std::fs::read_to_string(w.path("cut.vcd")).unwrap();
    assert!(
        text.contains("$timescale 1 ns $end") && text.contains("#250\n$dumpvars"),
        "{text}"
    );
    let cut = read(&w.path("cut.vcd"), Some(40e6), 7, 0);
    assert_eq!(cut.names, ["MOSI", "CS#"]);
    assert_eq!(cut.rate, Some(40e6));
    let t0 = cut.start_time.unwrap();
    assert!((t0 - 10.0 / 40e6).abs() < 1e-18, "start time {t0}");
    assert_eq!(cut.digests[0].samples, 60);
    w.stdout(&["slice", "..", src, "--step", "2", "-o", "half.sr"]);
    let half = read(&w.path("half.sr"), None, 7, 0);
    assert_eq!(half.rate, Some(20e6));
    assert_eq!(half.digests[0].samples, 39);
    // Values: the step keeps samples 0, 2, 4...
    w.stdout(&["slice", "..", src, "--channel", "CLK", "-o", "clk.csv"]);
    w.stdout(&["slice", "..", "half.sr", "-o", "half.csv"]);
    let col = |file: &str, skip: usize| -> Vec<String> {
        std::fs::read_to_string(w.path(file))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(skip).unwrap().to_string())
            .collect()
    };
    let clk: Vec<String> = col("clk.csv", 1).into_iter().step_by(2).collect();
    assert_eq!(col("half.csv", 1), clk);
    // --to has no meaning for these outputs.
    let err = w.error(&["slice", "..", src, "--to", "f32", "-o", "x.sr"]);
    assert!(err.contains("--to does not apply"), "{err}");
}

/// Analog and vector channels: a VCD's vectors are written as vectors and its reals as
/// reals, and read back equal.
#[test]
fn issue_15_vectors_and_reals_round_trip() {
    let w = Workdir::new();
    let vcd = "$timescale 1 us $end\n$scope module top $end\n$var wire 12 ! bus $end\n\
               $var real 64 \" v $end\n$var wire 1 # clk $end\n$upscope $end\n\
               $enddefinitions $end\n#0\nb101 !\nr0.5 \"\n0#\n#3\nb111111111111 !\n1#\n\
               #4\nr-1e-7 \"\n#9\nbx01 !\n0#\n#12\n";
    std::fs::write(w.path("in.vcd"), vcd).unwrap();
    let original = read(&w.path("in.vcd"), None, 5, 0);
    assert_eq!(original.names, ["top.bus", "top.v", "top.clk"]);
    assert_eq!(original.rate, Some(1e6));
    assert_eq!(original.digests[0].samples, 12);
    w.stdout(&["slice", "..", "in.vcd", "-o", "out.vcd"]);
    let text = std::fs::read_to_string(w.path("out.vcd")).unwrap();
    assert!(text.contains("$var real 64"), "{text}");
    assert!(text.contains("$scope module top $end"), "{text}");
    let back = read(&w.path("out.vcd"), None, 3, 0);
    assert_eq!(back.names, original.names);
    for (b, o) in back.digests.iter().zip(&original.digests) {
        assert!(b.same(o), "{b:?} vs {o:?}");
    }
    // In a session: the bus as 64 bit probes (an f64 column), the real as float32.
    w.stdout(&["slice", "..", "in.vcd", "--channel", "top.v", "-o", "v.sr"]);
    let v = read(&w.path("v.sr"), None, 3, 0);
    assert_eq!(v.names, ["top.v"]);
    assert_eq!(v.digests[0].first, Some(0.5));
    assert_eq!(v.digests[0].changes, 1);
}

/// The VCD default rate: one sample per timescale unit up to 1e9 samples/s, else the gcd
/// of the change times; `-r` overrides; `info` says which.
#[test]
fn issue_15_vcd_rate_rules_and_info() {
    let w = Workdir::new();
    let body = "$var wire 1 ! a $end\n$enddefinitions $end\n#100\n0!\n#350\n1!\n#600\n0!\n#1100\n";
    std::fs::write(w.path("ps.vcd"), format!("$timescale 1 ps $end\n{body}")).unwrap();
    let info = w.json(&["info", "ps.vcd", "--json"]);
    assert_eq!(info["format"], "vcd");
    assert_eq!(info["sample_rate"], 4e9, "1 ps units, gcd 250 → 4 GS/s");
    assert_eq!(info["samples"], 4);
    assert_eq!(
        info["vcd"]["rate_rule"],
        "one sample per 250 timescale units (gcd of the change times)"
    );
    assert_eq!(info["start_time_s"], 1e-10);
    let got = read(&w.path("ps.vcd"), None, 1, 0);
    assert_eq!(got.digests[0].changes, 2);
    std::fs::write(w.path("ns.vcd"), format!("$timescale 10 ns $end\n{body}")).unwrap();
    let info = w.json(&["info", "ns.vcd", "--json"]);
    assert_eq!(info["sample_rate"], 1e8);
    assert_eq!(info["samples"], 1000);
    assert_eq!(info["vcd"]["rate_rule"], "one sample per timescale unit");
    // -r: every tenth unit.
    let info = w.json(&["info", "ns.vcd", "-r", "1e7", "--json"]);
    assert_eq!(info["samples"], 100);
    let got = read(&w.path("ns.vcd"), Some(1e7), 7, 0);
    assert_eq!(got.digests[0].samples, 100);
    assert_eq!(got.digests[0].changes, 2);
    // x and z read as 0.
    std::fs::write(
        w.path("xz.vcd"),
        "$timescale 1 ns $end\n$var wire 1 ! a $end\n$enddefinitions $end\n#0\n1!\n#2\nx!\n#4\n1!\n#5\nz!\n#6\n",
    )
    .unwrap();
    w.stdout(&["slice", "..", "xz.vcd", "-o", "xz.csv"]);
    let text = std::fs::read_to_string(w.path("xz.csv")).unwrap();
    let values: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(values, ["1", "1", "0", "0", "1", "0"]);
}

/// Damaged files: one line naming the file and what is wrong, exit 1, no panic.
#[test]
fn issue_15_damaged_files_are_one_line_errors() {
    let w = Workdir::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "undeclared.vcd",
            b"$timescale 1 ns $end\n$var wire 1 ! a $end\n$enddefinitions $end\n#0\n1?\n#5\n"
                .to_vec(),
            "no $var declares",
        ),
        (
            "backwards.vcd",
            b"$timescale 1 ns $end\n$var wire 1 ! a $end\n$enddefinitions $end\n#5\n1!\n#3\n0!\n#9\n"
                .to_vec(),
            "goes back",
        ),
        (
            "nodefs.vcd",
            b"$timescale 1 ns $end\n$var wire 1 ! a $end\n".to_vec(),
            "no $enddefinitions",
        ),
        (
            "huge.vcd",
            b"$timescale 1 fs $end\n$var wire 1 ! a $end\n$enddefinitions $end\n#0\n1!\n#1\n#18446744073709551615\n"
                .to_vec(),
            "pass a lower rate",
        ),
        ("cut.bin", {
            let mut b = std::fs::read(data("usbpd_cc_digital_6.bin")).unwrap();
            b.truncate(5000);
            b
        }, "needs"),
        ("version.bin", {
            let mut b = std::fs::read(data("usbpd_cc_digital_6.bin")).unwrap();
            b[8] = 7;
            b
        }, "version 7"),
        ("cut.sr", {
            let mut b = std::fs::read(data("sr/16bit_spi.sr")).unwrap();
            b.truncate(300);
            b
        }, "zip"),
    ];
    for (name, bytes, says) in cases {
        std::fs::write(w.path(name), bytes).unwrap();
        let err = w.error(&["stats", name]);
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
    }
}

/// In-process fuzzing of the VCD, Saleae and sigrok parsers: byte flips and truncations of
/// real files; every outcome is a result or a one-line error, never a panic. Cases:
/// `TRACEKIT_FUZZ_CASES` (benches/fuzz.sh).
#[test]
fn issue_15_fuzz_logic_parsers() {
    let w = Workdir::new();
    let bases = [
        (
            "a.vcd",
            std::fs::read(data("misc_vcd_vectors-integers.vcd")).unwrap(),
        ),
        (
            "b.vcd",
            std::fs::read(data(
                "spi_spiflash_read16_chronovu_la16_chronovu_la16_spiflash_read16.vcd",
            ))
            .unwrap(),
        ),
        (
            "c.bin",
            std::fs::read(data("usbpd_cc_digital_6.bin")).unwrap()[..2000].to_vec(),
        ),
        ("d.sr", std::fs::read(data("sr/16bit_spi.sr")).unwrap()),
    ];
    let cases = fuzz_cases(300) as u64;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state = splitmix64(state);
        state
    };
    for (name, base) in &bases {
        for case in 0..cases {
            let mut bytes = base.clone();
            // Header bytes are where parsers decide things: most flips land there.
            let span = if next() % 4 == 0 {
                bytes.len()
            } else {
                bytes.len().min(800)
            };
            for _ in 0..=(next() % 4) {
                let at = (next() % span as u64) as usize;
                bytes[at] = next() as u8;
            }
            if next() % 5 == 0 {
                bytes.truncate((next() % bytes.len() as u64) as usize + 1);
            }
            let path = w.path(name);
            std::fs::write(&path, &bytes).unwrap();
            let what = format!("{name} case {case}");
            let opened = std::panic::catch_unwind(|| {
                loader::open(&OpenOptions {
                    path: Some(path.clone()),
                    format: Some(match &name[2..] {
                        "vcd" => "vcd",
                        "bin" => "saleae",
                        _ => "sigrok",
                    }),
                    ..Default::default()
                })
                .map(|mut trace| {
                    // Walk at most 1 Mi samples (a flipped count may claim 2^40).
                    let end = trace.info.samples.unwrap_or(0).min(1 << 20);
                    let picks: Vec<Pick> = (0..trace.info.channels.len().min(8))
                        .map(Pick::channel)
                        .collect();
                    let mut sink = Digests(vec![Digest::default(); picks.len()]);
                    trace
                        .feed(
                            &Walk {
                                range: (0, Some(end)),
                                picks: &picks,
                                chunk: 4096,
                                progress: &|_| {},
                            },
                            &mut sink,
                        )
                        .map(|_| ())
                })
            });
            match opened {
                Err(_) => panic!("{what}: panicked"),
                Ok(Ok(Ok(()))) => {}
                Ok(Err(e)) | Ok(Ok(Err(e))) => {
                    let text = e.to_string();
                    assert!(!text.contains('\n'), "{what}: multi-line error: {text}");
                    assert!(
                        text.contains(name),
                        "{what}: error does not name the file: {text}"
                    );
                }
            }
        }
    }
}
