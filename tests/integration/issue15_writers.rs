//! Issue 15, writers: `slice`/`convert` to `.wav` (RF64 above 4 GiB) and `.sigmf-data`,
//! read back through tracekit (the same samples, codes and rate), SigMF checksums verified,
//! and what a WAV file cannot hold refused in one line. The same outputs are checked against
//! scipy, Python's wave, sox and the `sigmf` package by
//! benches/crosscheck/interchange_writers.py.

use crate::issue15_interchange::{arg, channels, data};
use crate::util::Workdir;
use serde_json::Value;
use std::path::Path;

/// Every channel of `file` read back through tracekit, as stored codes or values.
fn read_back(w: &Workdir, file: &Path, raw_codes: bool) -> Vec<Vec<f64>> {
    channels(w, file, if raw_codes { &["--raw-codes"] } else { &[] })
}

#[test]
fn issue_15_convert_to_wav_keeps_codes_values_and_rate() {
    let w = Workdir::new();
    let src = data("wav/i16_stereo.wav");
    // --raw-codes: the i16 codes, bit for bit, in a 16-bit PCM WAV
    let out = w.path("codes.wav");
    w.stdout(&["convert", arg(&src), "--raw-codes", "-o", arg(&out), "-q"]);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WAVE");
    let source = std::fs::read(&src).unwrap();
    assert!(
        bytes.ends_with(&source[44..]),
        "the samples travel bit for bit"
    );
    assert_eq!(read_back(&w, &out, true), read_back(&w, &src, true));
    assert_eq!(read_back(&w, &out, false), read_back(&w, &src, false));
    let info = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(info["sample_rate"], 44100.0);
    assert_eq!(info["dtype"], "int16");
    // values (code/32768) as float32 WAV: the same values
    let out = w.path("values.wav");
    w.stdout(&["convert", arg(&src), "-o", arg(&out), "-q"]);
    let info = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(info["dtype"], "float32");
    assert_eq!(read_back(&w, &out, false), read_back(&w, &src, false));
    // big-endian SigMF codes: swapped into the WAV's little-endian order
    let src = data("sigmf/ri16_be.sigmf-meta");
    let out = w.path("swapped.wav");
    w.stdout(&["convert", arg(&src), "--raw-codes", "-o", arg(&out), "-q"]);
    assert_eq!(read_back(&w, &out, true), read_back(&w, &src, true));
    // u8 stays offset binary, odd data sizes get their pad byte
    let src = data("wav/u8_odd_padded.wav");
    let out = w.path("u8.wav");
    w.stdout(&["convert", arg(&src), "--raw-codes", "-o", arg(&out), "-q"]);
    assert_eq!(std::fs::metadata(&out).unwrap().len() % 2, 0);
    assert_eq!(read_back(&w, &out, false), read_back(&w, &src, false));
}

#[test]
fn issue_15_slice_and_convert_to_sigmf_verify() {
    let w = Workdir::new();
    let src = data("tdms/big_endian.tdms");
    let out = w.path("part.sigmf-data");
    w.stdout(&[
        "slice",
        "100..1100",
        arg(&src),
        "--channel",
        "1",
        "-o",
        arg(&out),
        "-q",
    ]);
    let meta = w.path("part.sigmf-meta");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert_eq!(doc["global"]["core:datatype"], "rf64_be");
    assert_eq!(doc["global"]["core:num_channels"], 1);
    assert_eq!(doc["global"]["core:version"], "1.2.0");
    assert_eq!(doc["captures"][0]["core:sample_start"], 0);
    let verified = w.stdout(&["info", "--verify", arg(&meta)]);
    assert!(verified.contains("verified"), "{verified}");
    let whole = read_back(&w, &src, false);
    let part = read_back(&w, &meta, false);
    assert_eq!(part, vec![whole[1][100..1100].to_vec()]);
    // convert = slice of the whole file, with --range, --channel and --to
    let out = w.path("c.sigmf-meta");
    w.stdout(&[
        "convert",
        arg(&src),
        "--range",
        "100..1100",
        "--channel",
        "1",
        "--to",
        "f32",
        "-o",
        arg(&out),
        "-q",
    ]);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("c.sigmf-meta")).unwrap()).unwrap();
    assert_eq!(doc["global"]["core:datatype"], "rf32_le");
    let got = read_back(&w, &w.path("c.sigmf-data"), false);
    let want: Vec<f64> = whole[1][100..1100]
        .iter()
        .map(|v| *v as f32 as f64)
        .collect();
    assert_eq!(got, vec![want]);
    // WAV to SigMF codes and back to WAV: the codes survive both trips
    let src = data("wav/i32_3ch.wav");
    let sig = w.path("t.sigmf-data");
    w.stdout(&["convert", arg(&src), "--raw-codes", "-o", arg(&sig), "-q"]);
    let back = w.path("back.wav");
    w.stdout(&["convert", arg(&sig), "--raw-codes", "-o", arg(&back), "-q"]);
    assert_eq!(read_back(&w, &back, true), read_back(&w, &src, true));
}

#[test]
fn issue_15_wav_output_needs_a_whole_rate_and_a_wav_type() {
    let w = Workdir::new();
    let npy = w.path("x.npy");
    crate::util::write(
        &npy,
        &crate::util::npy_bytes(1, "<f4", false, &[4], &crate::util::f32_le(&[0.0; 4])),
    );
    let err = w.error(&["convert", arg(&npy), "-o", arg(&w.path("x.wav"))]);
    assert!(err.contains("sample rate") && err.contains("-r"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!w.path("x.wav").exists());
    let err = w.error(&[
        "convert",
        arg(&npy),
        "-r",
        "1k",
        "--to",
        "i8",
        "-o",
        arg(&w.path("x.wav")),
    ]);
    assert!(err.contains("u8, i16, i32, f32 or f64"), "{err}");
    w.stdout(&[
        "convert",
        arg(&npy),
        "-r",
        "1k",
        "-o",
        arg(&w.path("x.wav")),
        "-q",
    ]);
    let info = w.json(&["info", "--json", arg(&w.path("x.wav"))]);
    assert_eq!(info["sample_rate"], 1000.0);
    assert_eq!(info["samples"], 4);
}

#[test]
fn issue_15_wav_of_unknown_length_gets_its_final_header() {
    // Raw samples on stdin: the length is known only at the end, so the header written
    // first (0 frames) is rewritten in place with the final sizes.
    let w = Workdir::new();
    let codes: Vec<i16> = (0..1001).map(|i| (i * 37 % 2001 - 1000) as i16).collect();
    let bytes: Vec<u8> = codes.iter().flat_map(|c| c.to_le_bytes()).collect();
    let out = w.path("stdin.wav");
    let res = w
        .cmd(&[
            "convert",
            "-",
            "--dtype",
            "i16",
            "-r",
            "8k",
            "-o",
            arg(&out),
            "-q",
        ])
        .write_stdin(bytes.clone())
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let file = std::fs::read(&out).unwrap();
    // RIFF size, data size: the final ones; an odd data size (1001 × 2 is even: no pad)
    let riff = u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff + 8, file.len());
    assert_eq!(
        &file[file.len() - bytes.len() - 8..file.len() - bytes.len() - 4],
        b"data"
    );
    assert!(file.ends_with(&bytes));
    let got = channels(&w, &out, &["--raw-codes"]);
    let want: Vec<f64> = codes.iter().map(|&c| f64::from(c)).collect();
    assert_eq!(got, vec![want]);
    let info = w.json(&["info", "--json", arg(&out)]);
    assert_eq!(info["sample_rate"], 8000.0);
}
