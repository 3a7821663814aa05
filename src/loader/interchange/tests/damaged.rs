//! Damaged input: truncation at every byte, single-byte mutations of every header byte,
//! lying sizes. Parsing must never panic, never return a run outside the file, and turn
//! absurd sizes into errors before allocating.

use super::{Parsed, data, parse_bytes, parse_path};
use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Parse `dir/name`; if it parses, every run must lie in the data file.
fn survive_file(dir: &Path, name: &str) -> Option<Parsed> {
    parse_path(&dir.join(name)).ok()
}

/// Every prefix of `bytes` written as `dir/name` (every `step`-th past the first 600
/// bytes), shortest last: the file is cut in place, not rewritten.
fn truncations_of(dir: &Path, name: &str, bytes: &[u8], step: usize) {
    std::fs::write(dir.join(name), bytes).unwrap();
    let file = OpenOptions::new().write(true).open(dir.join(name)).unwrap();
    let mut cuts: Vec<usize> = (0..bytes.len().min(600))
        .chain((600..bytes.len()).step_by(step))
        .collect();
    cuts.reverse();
    for cut in cuts {
        file.set_len(cut as u64).unwrap();
        survive_file(dir, name);
    }
}

fn truncations(rel: &str, step: usize) {
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
    truncations_of(dir.path(), name, &std::fs::read(data(rel)).unwrap(), step);
}

/// Each of the first `limit` bytes set to 0x00, 0xff, flipped in its low and high bit (in
/// place, one byte at a time); `extra` files are copied next to it.
fn mutations(rel: &str, limit: usize, extra: &[&str]) {
    let bytes = std::fs::read(data(rel)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for e in extra {
        std::fs::copy(data(rel).with_file_name(e), dir.path().join(e)).unwrap();
    }
    let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
    std::fs::write(dir.path().join(name), &bytes).unwrap();
    let file = OpenOptions::new()
        .write(true)
        .open(dir.path().join(name))
        .unwrap();
    let mut parsed = 0;
    for (i, &b) in bytes.iter().enumerate().take(limit) {
        for v in [0x00, 0xff, b ^ 0x01, b ^ 0x80] {
            file.write_all_at(&[v], i as u64).unwrap();
            parsed += usize::from(survive_file(dir.path(), name).is_some());
        }
        file.write_all_at(&[b], i as u64).unwrap();
    }
    // Many single-byte changes (in samples, property values...) still parse, so the run
    // checks above were exercised.
    assert!(parsed > 0, "{rel}: no mutation parsed");
}

#[test]
fn wav_truncated_and_mutated() {
    for rel in [
        "wav/i16_stereo.wav",
        "wav/rf64_small.wav",
        "wav/chunk_order.wav",
        "wav/ext_f32_4ch.wav",
        "wav/sawtooth.wav",
    ] {
        truncations(rel, 4099);
        mutations(rel, 200, &[]);
    }
}

#[test]
fn tdms_truncated_and_mutated() {
    for rel in [
        "tdms/incremental.tdms",
        "tdms/interleaved_be.tdms",
        "tdms/complex_strings.tdms",
        "tdms/scaled.tdms",
        "tdms/nptdms_written.tdms",
        "tdms/incomplete.tdms",
    ] {
        truncations(rel, 1);
        mutations(rel, usize::MAX, &[]);
    }
    truncations("tdms/big_endian.tdms", 997);
    mutations("tdms/big_endian.tdms", 1500, &[]);
}

#[test]
fn sigmf_truncated_and_mutated_metadata() {
    for (stem, data_name) in [
        ("ci16_le", "ci16_le.sigmf-data"),
        ("two_captures", "two_captures.sigmf-data"),
        ("ncd", "ncd_samples.bin"),
    ] {
        let rel = format!("sigmf/{stem}.sigmf-meta");
        let bytes = std::fs::read(data(&rel)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            data(&format!("sigmf/{data_name}")),
            dir.path().join(data_name),
        )
        .unwrap();
        let name = format!("{stem}.sigmf-meta");
        truncations_of(dir.path(), &name, &bytes, 1);
        mutations(&rel, usize::MAX, &[data_name]);
        // a truncated dataset with intact metadata
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
        let samples = std::fs::read(data(&format!("sigmf/{data_name}"))).unwrap();
        let file = OpenOptions::new()
            .write(true)
            .open(dir.path().join(data_name))
            .unwrap();
        for cut in (0..samples.len()).rev() {
            file.set_len(cut as u64).unwrap();
            survive_file(dir.path(), &name);
        }
    }
}

fn riff(chunks: &[(&[u8; 4], u32, &[u8])]) -> Vec<u8> {
    let mut b = b"RIFF\0\0\0\0WAVE".to_vec();
    for (id, size, body) in chunks {
        b.extend_from_slice(*id);
        b.extend(size.to_le_bytes());
        b.extend_from_slice(body);
    }
    b
}

const FMT_I16_MONO: [u8; 16] = [1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0];

#[test]
fn wav_lying_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let err = |b: &[u8]| parse_bytes(p, "x.wav", b).unwrap_err().to_string();
    // fmt chunk claiming 2 GiB
    let e = err(&riff(&[(b"fmt ", 0x7fff_ffff, &FMT_I16_MONO)]));
    assert!(
        e.contains("2147483647") && e.contains("not a header"),
        "{e}"
    );
    // no data chunk; no fmt chunk
    assert!(err(&riff(&[(b"fmt ", 16, &FMT_I16_MONO)])).contains("no data chunk"));
    assert!(err(&riff(&[(b"data", 2, &[0, 0])])).contains("no fmt chunk"));
    // RF64 without ds64
    let mut b = riff(&[(b"fmt ", 16, &FMT_I16_MONO), (b"data", u32::MAX, &[1, 2])]);
    b[..4].copy_from_slice(b"RF64");
    assert!(err(&b).contains("no ds64"), "{}", err(&b));
    // ds64 claiming 2^63 data bytes: read up to the end, with a warning
    let mut ds64 = vec![0u8; 28];
    ds64[8..16].copy_from_slice(&(1u64 << 63).to_le_bytes());
    let mut b = riff(&[
        (b"ds64", 28, &ds64),
        (b"fmt ", 16, &FMT_I16_MONO),
        (b"data", u32::MAX, &[1, 2, 3, 4]),
    ]);
    b[..4].copy_from_slice(b"RF64");
    let l = parse_bytes(p, "x.wav", &b).unwrap();
    assert_eq!(l.samples, 2);
    assert!(
        l.warnings[0].contains("9223372036854775808"),
        "{:?}",
        l.warnings
    );
    // zero channels, frames that cannot hold the channels, A-law
    let mut f = FMT_I16_MONO;
    f[2] = 0;
    assert!(err(&riff(&[(b"fmt ", 16, &f), (b"data", 0, &[])])).contains("none may be 0"));
    f = FMT_I16_MONO;
    f[2] = 3;
    assert!(err(&riff(&[(b"fmt ", 16, &f), (b"data", 0, &[])])).contains("3 equal channels"));
    f = FMT_I16_MONO;
    f[0] = 6;
    let e = err(&riff(&[(b"fmt ", 16, &f), (b"data", 0, &[])]));
    assert!(e.contains("A-law") && e.contains("not supported"), "{e}");
    // 200 000 empty chunks: refused, not scanned forever
    let mut b = riff(&[(b"fmt ", 16, &FMT_I16_MONO)]);
    for _ in 0..200_000 {
        b.extend_from_slice(b"pad \0\0\0\0");
    }
    assert!(err(&b).contains("more than 100000 RIFF chunks"));
    // not a WAV at all
    assert!(err(b"RIFX\0\0\0\0WAVE").contains("RIFX"));
}

#[test]
fn tdms_lying_sizes_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let err = |b: &[u8]| parse_bytes(p, "x.tdms", b).unwrap_err().to_string();
    let mut t = Tdms::new(false);
    let ok = [t.object("/'g'/'x'", Some((3, 2)))];
    // metadata longer than the segment
    t.segment(META | RAW | NEW_OBJ_LIST, &ok, &[0; 8], Some(4));
    assert!(
        err(&t.bytes).contains("runs past the segment"),
        "{}",
        err(&t.bytes)
    );
    // an object count that cannot fit
    let mut t = Tdms::new(false);
    t.segment(META | RAW | NEW_OBJ_LIST, &ok, &[0; 8], None);
    t.bytes[28..32].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(
        err(&t.bytes).contains("4294967295 objects cannot fit"),
        "{}",
        err(&t.bytes)
    );
    // an object path of 4 GiB
    let mut t = Tdms::new(false);
    t.segment(META | RAW | NEW_OBJ_LIST, &ok, &[0; 8], None);
    t.bytes[32..36].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    assert!(
        err(&t.bytes).contains("more than 1048576"),
        "{}",
        err(&t.bytes)
    );
    // a value count whose size exceeds the file
    let mut t = Tdms::new(false);
    let huge = t.object("/'g'/'x'", Some((10, 1 << 60)));
    t.segment(META | RAW | NEW_OBJ_LIST, &[huge], &[0; 8], None);
    assert!(
        err(&t.bytes).contains("1152921504606846976 values"),
        "{}",
        err(&t.bytes)
    );
    // a next-segment offset that wraps around: the last segment, read to the end
    let mut t = Tdms::new(false);
    t.segment(
        META | RAW | NEW_OBJ_LIST,
        &ok,
        &[1, 0, 0, 0, 2, 0, 0, 0],
        Some(u64::MAX - 3),
    );
    let l = parse_bytes(p, "x.tdms", &t.bytes).unwrap();
    assert_eq!(l.samples, 2);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("gives no usable end offset")),
        "{:?}",
        l.warnings
    );
    // garbage where the second segment should start
    let mut t = Tdms::new(false);
    t.segment(META | RAW | NEW_OBJ_LIST, &ok, &[0; 8], None);
    t.bytes.extend_from_slice(&[0x55; 40]);
    assert!(err(&t.bytes).contains("no TDSm tag"), "{}", err(&t.bytes));
    // reusing an index never given
    let mut t = Tdms::new(false);
    let mut same = t.string("/'g'/'x'");
    same.extend(t.u32(0));
    same.extend(t.u32(0));
    t.segment(META | RAW | NEW_OBJ_LIST, &[same], &[], None);
    assert!(err(&t.bytes).contains("reuses its previous raw data index"));
    // a first segment without metadata
    let mut t = Tdms::new(false);
    t.segment(RAW, &[], &[0; 4], None);
    assert!(err(&t.bytes).contains("first segment has no metadata"));
}

#[test]
fn sigmf_bad_json_and_missing_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("x.sigmf-data"), [0u8; 16]).unwrap();
    let err = |json: &str| {
        parse_bytes(p, "x.sigmf-meta", json.as_bytes())
            .unwrap_err()
            .to_string()
    };
    let g = |global: &str| {
        format!("{{\"global\": {{{global}}}, \"captures\": [], \"annotations\": []}}")
    };
    let e = err("{\"global\": {\"core:datatype\": \"ri8\",}}");
    assert!(e.contains("not valid JSON") && e.contains("line 1"), "{e}");
    assert!(err("[]").contains("not a JSON object"));
    assert!(err("{}").contains("no \"global\""));
    assert!(err(&g("\"core:version\": \"1.2.0\"")).contains("no core:datatype"));
    assert!(err(&g("\"core:datatype\": \"cf16_le\"")).contains("not a SigMF datatype"));
    let e = err(&g(
        "\"core:datatype\": \"ri8\", \"core:sample_rate\": \"fast\"",
    ));
    assert!(
        e.contains("core:sample_rate is \"fast\", not a number"),
        "{e}"
    );
    assert!(err(&g("\"core:datatype\": \"ri8\", \"core:sample_rate\": -1")).contains("positive"));
    assert!(err(&g("\"core:datatype\": \"ri8\", \"core:num_channels\": 0")).contains("1 to 65536"));
    assert!(
        err(&g(
            "\"core:datatype\": \"ri8\", \"core:metadata_only\": true"
        ))
        .contains("metadata-only")
    );
    let caps =
        |c: &str| format!("{{\"global\": {{\"core:datatype\": \"ri8\"}}, \"captures\": {c}}}");
    assert!(err(&caps("[{}]")).contains("captures[0] has no core:sample_start"));
    let e = err(&caps(
        "[{\"core:sample_start\": 4}, {\"core:sample_start\": 2}]",
    ));
    assert!(e.contains("before the capture ahead"), "{e}");
    let e = err(&caps(
        "[{\"core:sample_start\": 0, \"core:header_bytes\": 1000000}]",
    ));
    assert!(e.contains("1000000") && e.contains("16"), "{e}");
    // the data file is missing
    std::fs::remove_file(p.join("x.sigmf-data")).unwrap();
    assert!(err(&g("\"core:datatype\": \"ri8\"")).contains("x.sigmf-data"));
}

/// Bytes of TDMS segments, little- or big-endian, as npTDMS/LabVIEW write them.
struct Tdms {
    big: bool,
    bytes: Vec<u8>,
}

const META: u32 = 1 << 1;
const NEW_OBJ_LIST: u32 = 1 << 2;
const RAW: u32 = 1 << 3;

impl Tdms {
    fn new(big: bool) -> Tdms {
        Tdms {
            big,
            bytes: Vec::new(),
        }
    }

    fn u32(&self, v: u32) -> Vec<u8> {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
        .to_vec()
    }

    fn u64(&self, v: u64) -> Vec<u8> {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
        .to_vec()
    }

    fn string(&self, s: &str) -> Vec<u8> {
        let mut b = self.u32(s.len() as u32);
        b.extend_from_slice(s.as_bytes());
        b
    }

    /// An object with a full raw data index (`type_code`, `values`) or none, no properties.
    fn object(&self, path: &str, index: Option<(u32, u64)>) -> Vec<u8> {
        let mut b = self.string(path);
        match index {
            None => b.extend(self.u32(0xffff_ffff)),
            Some((code, values)) => {
                b.extend(self.u32(20));
                b.extend(self.u32(code));
                b.extend(self.u32(1));
                b.extend(self.u64(values));
            }
        }
        b.extend(self.u32(0));
        b
    }

    /// Append a segment; `next` overrides the next-segment offset.
    fn segment(&mut self, toc: u32, objects: &[Vec<u8>], data: &[u8], next: Option<u64>) {
        let mut meta = Vec::new();
        if toc & META != 0 {
            meta.extend(self.u32(objects.len() as u32));
            for o in objects {
                meta.extend_from_slice(o);
            }
        }
        let toc = toc | if self.big { 1 << 6 } else { 0 };
        let mut seg = b"TDSm".to_vec();
        seg.extend(toc.to_le_bytes());
        seg.extend(self.u32(4713));
        seg.extend(self.u64(next.unwrap_or((meta.len() + data.len()) as u64)));
        seg.extend(self.u64(meta.len() as u64));
        seg.extend(meta);
        seg.extend_from_slice(data);
        self.bytes.extend(seg);
    }
}
