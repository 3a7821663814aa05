//! sigrok sessions (.sr) read through the loader, checked against sigrok-cli's own output.

use crate::util::{Workdir, read_npy_f64};
use std::io::Write;

fn data(name: &str) -> String {
    format!("{}/tests/data/sigrok/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The stored words, as `sigrok-cli -O binary` writes them.
fn raw_words(w: &Workdir, file: &str, chunk: &str) -> Vec<u8> {
    w.stdout(&[
        "slice",
        "..",
        &data(file),
        "--raw-codes",
        "--chunk",
        chunk,
        "-o",
        "words.bin",
    ]);
    std::fs::read(w.path("words.bin")).unwrap()
}

#[test]
fn logic_words_match_sigrok_cli_byte_for_byte() {
    let w = Workdir::new();
    let want = std::fs::read(data("16bit_spi.sigrok-cli.bin")).unwrap();
    for chunk in ["1", "7", "64k"] {
        assert_eq!(
            raw_words(&w, "16bit_spi.sr", chunk),
            want,
            "--chunk {chunk}"
        );
    }
    // Figures of sigrok-cli's output: length and byte sum.
    for (file, len, sum) in [
        ("nmea2000_fuel_flow_gps_snippet.sr", 1_048_576, 1_031_842u64),
        ("owdir.sr", 59_556, 47_349),
    ] {
        let words = raw_words(&w, file, "100k");
        assert_eq!(words.len(), len, "{file}");
        assert_eq!(words.iter().map(|&b| b as u64).sum::<u64>(), sum, "{file}");
    }
}

#[test]
fn named_probes_are_bit_channels_with_the_session_rate() {
    let w = Workdir::new();
    let info = w.json(&["info", &data("16bit_spi.sr"), "--json"]);
    assert_eq!(info["format"], "sigrok");
    assert_eq!(info["samples"], 78);
    assert_eq!(info["sample_rate"], 40e6);
    let probes: Vec<(&str, u64)> = info["sigrok"]["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["bit"].as_u64().unwrap()))
        .collect();
    assert_eq!(probes, [("CLK", 7), ("MOSI", 8), ("MISO", 9), ("CS#", 12)]);
    // A probe's lane is its bit of the stored word (CS# is probe 13: bit 12).
    let words = std::fs::read(data("16bit_spi.sigrok-cli.bin")).unwrap();
    w.stdout(&[
        "slice",
        "..",
        &data("16bit_spi.sr"),
        "--channel",
        "CS#",
        "-o",
        "cs.npy",
    ]);
    let (shape, cs, _) = read_npy_f64(&w.path("cs.npy"));
    assert_eq!(shape, [78]);
    let want: Vec<f64> = words
        .chunks_exact(2)
        .map(|p| f64::from((u16::from_le_bytes([p[0], p[1]]) >> 12) & 1))
        .collect();
    assert_eq!(cs, want);
    assert!(cs.contains(&0.0) && cs.contains(&1.0), "CS# toggles");
}

/// A session with two probes and one analog channel, written the way libsigrok writes one.
fn mixed_session(path: &std::path::Path, samples: usize) -> (Vec<u8>, Vec<f32>) {
    let logic: Vec<u8> = (0..samples).map(|i| (i % 4) as u8).collect();
    let analog: Vec<f32> = (0..samples).map(|i| i as f32 * 0.25 - 3.0).collect();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("version", opts).unwrap();
    zip.write_all(b"2").unwrap();
    zip.start_file("metadata", opts).unwrap();
    zip.write_all(
        b"[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=2\n\
          samplerate=1 MHz\ntotal analog=1\nprobe1=D0\nprobe2=D1\nanalog3=A0\nunitsize=1\n",
    )
    .unwrap();
    // Members of different sizes, so chunks and members never line up.
    for (n, part) in logic.chunks(1000).enumerate() {
        zip.start_file(format!("logic-1-{}", n + 1), opts).unwrap();
        zip.write_all(part).unwrap();
    }
    for (n, part) in analog.chunks(777).enumerate() {
        zip.start_file(format!("analog-1-3-{}", n + 1), opts)
            .unwrap();
        for v in part {
            zip.write_all(&v.to_le_bytes()).unwrap();
        }
    }
    zip.finish().unwrap();
    (logic, analog)
}

#[test]
fn logic_and_analog_together_are_f32_columns_whatever_the_chunk() {
    let w = Workdir::new();
    let (logic, analog) = mixed_session(&w.path("mixed.sr"), 5000);
    let info = w.json(&["info", "mixed.sr", "--json"]);
    assert_eq!(info["samples"], 5000);
    assert_eq!(info["dtype"], "float32");
    for chunk in ["1", "333", "1M"] {
        w.stdout(&["slice", "..", "mixed.sr", "--chunk", chunk, "-o", "m.npy"]);
        let (shape, values, _) = read_npy_f64(&w.path("m.npy"));
        assert_eq!(shape, [5000, 3], "--chunk {chunk}");
        for (i, row) in values.chunks_exact(3).enumerate() {
            let bits = [f64::from(logic[i] & 1), f64::from(logic[i] >> 1 & 1)];
            assert_eq!(row, [bits[0], bits[1], f64::from(analog[i])], "row {i}");
        }
    }
    let stats = w.json(&["stats", "mixed.sr", "--channel", "A0", "--json"]);
    let mean = analog.iter().map(|&v| f64::from(v)).sum::<f64>() / 5000.0;
    assert_eq!(stats["channels"][0]["mean"].as_f64().unwrap(), mean);
}

#[test]
fn damaged_sessions_are_one_line_errors() {
    let w = Workdir::new();
    let good = std::fs::read(data("16bit_spi.sr")).unwrap();
    std::fs::write(w.path("cut.sr"), &good[..good.len() / 2]).unwrap();
    let err = w.error(&["stats", "cut.sr"]);
    assert!(err.contains("cut.sr"), "{err}");
    let (_, _) = mixed_session(&w.path("mixed.sr"), 100);
    let mut bytes = std::fs::read(w.path("mixed.sr")).unwrap();
    // Corrupt the deflated data of the first logic member: inflating it fails mid-stream.
    let at = bytes.windows(9).position(|s| s == b"logic-1-1").unwrap() + 12;
    bytes[at..at + 8].fill(0xff);
    std::fs::write(w.path("bad.sr"), &bytes).unwrap();
    let err = w.error(&["stats", "bad.sr"]);
    assert!(err.contains("bad.sr"), "{err}");
}
