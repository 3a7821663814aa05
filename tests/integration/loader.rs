//! The loader API: every .npy variant and raw layout read back value by value, through
//! chunks of odd sizes with overlap.

use crate::util::{Workdir, npy_bytes, write};
use std::path::Path;
use tracekit::loader::{self, ChunkPlan, OpenOptions, Pick, Walk};
use tracekit::sample::sink::{Sink, SinkError, SplitSink};
use tracekit::sample::{DType, Endian, Sample};

fn open(path: &Path) -> loader::Trace {
    loader::open(&OpenOptions {
        path: Some(path.to_path_buf()),
        ..Default::default()
    })
    .expect("opens")
}

/// Collect every channel through chunks of `size` with `overlap`, checking the chunk rules.
fn collect(trace: &mut loader::Trace, size: usize, overlap: usize) -> Vec<Vec<f64>> {
    let channels = trace.info.channels.len();
    let samples = trace.info.samples.expect("known length");
    let plan = ChunkPlan::new(0, Some(samples), size, overlap).unwrap();
    let mut chunks = trace.chunks(plan).unwrap();
    let mut out = vec![Vec::new(); channels];
    let mut col = Vec::new();
    let mut expected_start = 0u64;
    let mut seen = 0u64;
    while let Some(chunk) = chunks.next_chunk().unwrap() {
        assert_eq!(chunk.start, expected_start, "chunk start");
        assert!(chunk.len() <= size);
        assert!(chunk.end() > seen, "a chunk of only already-seen samples");
        assert_eq!(chunk.overlap as u64, seen.saturating_sub(chunk.start));
        for (ch, values) in out.iter_mut().enumerate() {
            chunk.channel_f64(ch, &mut col);
            values.extend_from_slice(&col[chunk.overlap..]);
        }
        seen = chunk.end();
        expected_start = chunk.end() - overlap as u64;
    }
    assert_eq!(seen, samples);
    out
}

fn encode(values: &[f64], dtype: DType, endian: Endian) -> Vec<u8> {
    let mut bytes = Vec::new();
    for &v in values {
        let mut one = Vec::new();
        tracekit::sample::convert::push_sample(v, dtype, &mut one);
        if endian != Endian::NATIVE {
            one.reverse();
        }
        bytes.extend_from_slice(&one);
    }
    bytes
}

#[test]
fn every_dtype_order_version_and_layout() {
    let w = Workdir::new();
    let n = 301u64;
    let dtypes = tracekit::sample::ALL_DTYPES;
    for dtype in dtypes {
        // Values every dtype holds exactly.
        let base: Vec<f64> = (0..n)
            .map(|i| ((i * 7) % 100) as f64 - if dtype_signed(dtype) { 50.0 } else { 0.0 })
            .collect();
        let base: Vec<f64> = if dtype == DType::Bool {
            base.iter().map(|v| f64::from(*v > 30.0)).collect()
        } else {
            base
        };
        for endian in [Endian::Little, Endian::Big] {
            for major in [1u8, 2, 3] {
                let path = w.path(&format!(
                    "{}_{}_{major}.npy",
                    dtype.short_name(),
                    endian.name()
                ));
                write(
                    &path,
                    &npy_bytes(
                        major,
                        &dtype.descr(endian),
                        false,
                        &[n],
                        &encode(&base, dtype, endian),
                    ),
                );
                let mut t = open(&path);
                assert_eq!(
                    (t.info.dtype, t.info.samples, t.info.channels.len()),
                    (dtype, Some(n), 1)
                );
                for (size, overlap) in [(1, 0), (7, 3), (1000, 0), (64, 63)] {
                    assert_eq!(
                        collect(&mut t, size, overlap)[0],
                        base,
                        "{path:?} chunk {size}/{overlap}"
                    );
                }
            }
        }
    }
}

fn dtype_signed(d: DType) -> bool {
    matches!(
        d,
        DType::I8 | DType::I16 | DType::I32 | DType::I64 | DType::F16 | DType::F32 | DType::F64
    )
}

#[test]
fn two_d_c_and_fortran_and_channels_first() {
    let w = Workdir::new();
    let (n, c) = (100usize, 3usize);
    let value = |i: usize, ch: usize| (i * 10 + ch) as f64;
    let c_order: Vec<f64> = (0..n)
        .flat_map(|i| (0..c).map(move |ch| value(i, ch)))
        .collect();
    let f_order: Vec<f64> = (0..c)
        .flat_map(|ch| (0..n).map(move |i| value(i, ch)))
        .collect();
    let cases = [
        ("c.npy", false, vec![n as u64, c as u64], &c_order),
        ("f.npy", true, vec![n as u64, c as u64], &f_order),
        // (C, N) in C order is channel after channel; (C, N) in Fortran order is interleaved.
        ("cf.npy", false, vec![c as u64, n as u64], &f_order),
        ("ff.npy", true, vec![c as u64, n as u64], &c_order),
    ];
    for (name, fortran, shape, data) in cases {
        let path = w.path(name);
        write(
            &path,
            &npy_bytes(
                1,
                "<f8",
                fortran,
                &shape,
                &encode(data, DType::F64, Endian::Little),
            ),
        );
        let mut t = open(&path);
        assert_eq!(
            (t.info.samples, t.info.channels.len()),
            (Some(n as u64), c),
            "{name}"
        );
        for (size, overlap) in [(1, 0), (7, 2), (1000, 10)] {
            let got = collect(&mut t, size, overlap);
            for (ch, values) in got.iter().enumerate() {
                let want: Vec<f64> = (0..n).map(|i| value(i, ch)).collect();
                assert_eq!(*values, want, "{name} channel {ch} chunk {size}");
            }
        }
    }
}

#[test]
fn real_numpy_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/npy");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    for (name, e) in expected.as_object().unwrap() {
        let mut t = open(&dir.join(name));
        let channels = e["channels"].as_u64().unwrap() as usize;
        assert_eq!(t.info.channels.len(), channels, "{name}");
        assert_eq!(t.info.samples, e["samples"].as_u64(), "{name}");
        let got = collect(&mut t, 97, 5);
        for ch in 0..channels {
            let sum: f64 = got[ch].iter().sum();
            let want = e["sum"][ch].as_f64().unwrap();
            assert!(
                (sum - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{name} ch{ch}: {sum} vs {want}"
            );
            assert_eq!(got[ch][0], e["first"][ch].as_f64().unwrap(), "{name} first");
            assert_eq!(
                *got[ch].last().unwrap(),
                e["last"][ch].as_f64().unwrap(),
                "{name} last"
            );
        }
    }
}

#[test]
fn unaligned_data_offset_and_raw_options() {
    let w = Workdir::new();
    // A header whose data starts at an odd offset: typed access must fall back, values still right.
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    let dict = b"{'descr':'<f4','fortran_order':False,'shape':(5,)}\n";
    bytes.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    bytes.extend_from_slice(dict);
    assert_ne!(bytes.len() % 4, 0);
    bytes.extend_from_slice(&crate::util::f32_le(&[1.0, 2.0, 3.0, 4.0, 5.0]));
    let path = w.path("odd.npy");
    write(&path, &bytes);
    let mut t = open(&path);
    assert_eq!(collect(&mut t, 2, 0)[0], vec![1.0, 2.0, 3.0, 4.0, 5.0]);

    // Raw: 3-byte junk header, 2 interleaved big-endian i16 channels, length 3 of 4.
    let mut raw = vec![9u8, 9, 9];
    for v in [1i16, -1, 2, -2, 3, -3, 4, -4] {
        raw.extend_from_slice(&v.to_be_bytes());
    }
    let path = w.path("dump.bin");
    write(&path, &raw);
    let mut t = loader::open(&OpenOptions {
        path: Some(path),
        dtype: Some(DType::I16),
        endian: Some(Endian::Big),
        offset: Some(3),
        length: Some(3),
        channels: Some(2),
        ..Default::default()
    })
    .unwrap();
    let got = collect(&mut t, 2, 1);
    assert_eq!(got, vec![vec![1.0, 2.0, 3.0], vec![-1.0, -2.0, -3.0]]);
}

#[test]
fn chunk_plan_refuses_overlap_not_smaller_than_chunk() {
    assert!(ChunkPlan::new(0, Some(10), 8, 8).is_err());
    assert!(ChunkPlan::new(0, Some(10), 0, 0).is_err());
    let msg = ChunkPlan::new(0, Some(10), 4, 9).unwrap_err().to_string();
    assert!(msg.contains("overlap must be smaller"), "{msg}");
}

#[test]
fn a_file_truncated_while_read_gives_an_error_not_a_crash() {
    // 48 MiB of f32; the loader maps 32 MiB windows. Cut the file to 40 MiB after the first
    // chunk (beyond the current window): the walk must end in a clean "shrank" error when it
    // maps the next window, never touch pages past the end (SIGBUS).
    let w = Workdir::new();
    let n: u64 = 12 << 20;
    let path = w.path("growing.npy");
    let header = npy_bytes(1, "<f4", false, &[n], &[]);
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(header.len() as u64 + 4 * n).unwrap();
    std::os::unix::fs::FileExt::write_all_at(&f, &header, 0).unwrap();
    let mut t = open(&path);
    let plan = ChunkPlan::new(0, Some(n), 1 << 20, 0).unwrap();
    let mut chunks = t.chunks(plan).unwrap();
    assert!(chunks.next_chunk().unwrap().is_some());
    f.set_len(40 << 20).unwrap();
    let mut read = 1u64 << 20;
    let err = loop {
        match chunks.next_chunk() {
            Ok(Some(c)) => read += c.len() as u64,
            Ok(None) => panic!("the walk ended without noticing the truncation"),
            Err(e) => break e.to_string(),
        }
    };
    assert!(err.contains("shrank"), "{err}");
    assert!(read * 4 <= 40 << 20, "read {read} samples past the new end");
}

#[test]
fn regions_read_concurrently_match_the_sequential_walk() {
    let w = Workdir::new();
    let (n, c) = (70_001u64, 3usize);
    let values: Vec<u8> = (0..n * c as u64)
        .flat_map(|i| (i as f32 * 0.5).to_le_bytes())
        .collect();
    let path = w.path("x.npy");
    write(&path, &npy_bytes(1, "<f4", false, &[n, c as u64], &values));
    let mut trace = open(&path);
    let sequential = trace.read_frames(0, n as usize).unwrap().to_vec();
    assert_eq!(sequential, values);
    let reader = trace
        .region_reader()
        .unwrap()
        .expect("a mapped .npy has regions");
    // several threads mapping odd-sized regions at once, each compared with the walk
    let region = 9_999u64;
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let (reader, sequential) = (&reader, &sequential);
            s.spawn(move || {
                for first in (t * region..n).step_by(4 * region as usize) {
                    let m = reader.map_frames(first, region as usize).unwrap();
                    let chunk = m.chunk();
                    let at = first as usize * c * 4;
                    let end = (at + region as usize * c * 4).min(sequential.len());
                    assert_eq!((chunk.start, chunk.overlap), (first, 0));
                    assert_eq!(chunk.bytes(), &sequential[at..end], "region at {first}");
                }
            });
        }
    });
    // feed_split: every frame once, joined in file order whatever thread finished first
    let picks: Vec<Pick> = (0..c).map(Pick::channel).collect();
    let walk = Walk {
        range: (5, Some(n)),
        picks: &picks,
        chunk: 4096,
        progress: &|_| {},
    };
    let mut merged = Regions::default();
    trace.feed_split(&walk, &mut merged).unwrap();
    assert_eq!(merged.starts, (5..n).step_by(4096).collect::<Vec<_>>());
    let want: Vec<f64> = (5 * c as u64..n * c as u64)
        .map(|i| i as f64 * 0.5)
        .collect();
    assert_eq!(merged.frames, want);
    // nothing to map past the end
    assert!(reader.map_frames(n, 1).is_err());

    // a file that shrank after opening is an error naming it, not a SIGBUS
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(1000)
        .unwrap();
    let err = reader.map_frames(60_000, 100).err().expect("shrunk file");
    assert!(
        err.to_string()
            .contains("x.npy: the file shrank while being read"),
        "{err}"
    );
    let mut after = Regions::default();
    let err = trace
        .feed_split(&walk, &mut after)
        .expect_err("shrunk file");
    assert!(err.to_string().contains("shrank"), "{err}");
}

/// Each region's first frame and all frames (channels interleaved) in the order joined.
#[derive(Default)]
struct Regions {
    starts: Vec<u64>,
    frames: Vec<f64>,
}

impl Sink for Regions {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        self.starts.push(start);
        for i in 0..columns[0].len() {
            self.frames
                .extend(columns.iter().map(|col| col[i].to_f64()));
        }
        Ok(())
    }
}

impl SplitSink for Regions {
    fn grain(&self) -> u64 {
        4096
    }

    fn fork(&self, _start: u64) -> Self {
        Regions::default()
    }

    fn join(&mut self, later: Self) {
        self.starts.extend(later.starts);
        self.frames.extend(later.frames);
    }
}

#[test]
fn only_interleaved_files_have_regions() {
    let w = Workdir::new();
    let data: Vec<u8> = (0..200u32).flat_map(|i| (i as f32).to_le_bytes()).collect();
    let path = w.path("f.npy");
    write(&path, &npy_bytes(1, "<f4", true, &[100, 2], &data));
    assert!(open(&path).region_reader().unwrap().is_none(), "planar");
}
