//! Every subcommand on HDF5 input gives exactly what it gives on the same data in .npy:
//! contiguous (memory-mapped), chunked + shuffle + gzip (decoded chunk by chunk), 2-D,
//! nested groups, rate from an attribute.

use crate::util::{Workdir, npy_bytes, read_npy_f64, write};
use hdf5_writer::{AttributeBuilder, DatasetBuilder, FilterDescription, Hdf5Builder, WriteOptions};
use serde_json::Value;

fn filter(id: u16, client_data: Vec<u32>) -> FilterDescription {
    FilterDescription {
        id,
        name: None,
        client_data,
    }
}

/// Write `values` (n × channels, C order) as a dataset `path` with a `sample_rate` attribute.
fn write_h5(file: &std::path::Path, path: &str, shape: &[u64], values: &[f32], chunked: bool) {
    let mut ds = DatasetBuilder::typed_data(path, shape.to_vec(), values)
        .unwrap()
        .attribute(AttributeBuilder::scalar("sample_rate", 1e6f64).unwrap());
    if chunked {
        let chunk: Vec<u64> = shape
            .iter()
            .enumerate()
            .map(|(i, &d)| if i == 0 { 4093.min(d) } else { d })
            .collect();
        ds = ds
            .chunked(chunk)
            .filter(filter(2, vec![]))
            .filter(filter(1, vec![6]));
    }
    let bytes = Hdf5Builder::new()
        .dataset(ds)
        .into_plan()
        .unwrap()
        .encode(WriteOptions::default())
        .unwrap();
    std::fs::write(file, bytes).unwrap();
}

fn without_path(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("path");
    }
    v
}

fn same_everywhere(w: &Workdir, npy: &str, h5: &str) {
    for args in [
        vec!["stats", "--json"],
        vec![
            "stats",
            "--json",
            "--range",
            "1000..-1000",
            "--chunk",
            "7777",
        ],
        vec!["fft", "--json", "--nfft", "1024"],
    ] {
        let a = without_path(w.json(&[args.as_slice(), &[npy]].concat()));
        let b = without_path(w.json(&[args.as_slice(), &[h5]].concat()));
        assert_eq!(a, b, "{args:?} differs between {npy} and {h5}");
    }
    assert_eq!(
        w.stdout(&["stats", "--every", "5000", npy]),
        w.stdout(&["stats", "--every", "5000", h5]),
        "stats --every"
    );
    w.stdout(&["slice", "123..45678", npy, "-o", "a.npy"]);
    w.stdout(&["slice", "123..45678", h5, "-o", "b.npy"]);
    let (sa, va, _) = read_npy_f64(&w.path("a.npy"));
    let (sb, vb, _) = read_npy_f64(&w.path("b.npy"));
    assert_eq!((sa, va), (sb, vb), "slice {npy} vs {h5}");
    let info = w.json(&["info", "--json", h5]);
    assert_eq!(info["sample_rate"], 1e6);
    assert!(
        info["rate_source"]
            .as_str()
            .unwrap()
            .contains("sample_rate"),
        "{info}"
    );
}

#[test]
fn one_channel_contiguous_and_chunked_gzip() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "tone",
        "--tone",
        "12.5k:1",
        "--noise",
        "0.1",
        "--samples",
        "100003",
        "-o",
        "ref.npy",
    ]);
    let (_, values, _) = read_npy_f64(&w.path("ref.npy"));
    let v32: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    write_h5(
        &w.path("flat.h5"),
        "scope/run 1/wave",
        &[v32.len() as u64],
        &v32,
        false,
    );
    write_h5(
        &w.path("packed.h5"),
        "scope/run 1/wave",
        &[v32.len() as u64],
        &v32,
        true,
    );
    let info = w.json(&["info", "--json", "packed.h5"]);
    assert_eq!(info["dataset"], "/scope/run 1/wave");
    assert_eq!(
        info["datasets"][0]["filters"],
        serde_json::json!(["shuffle", "gzip(6)"])
    );
    assert!(
        w.json(&["info", "--json", "flat.h5"])["data_offset"].is_u64(),
        "contiguous data is mapped"
    );
    same_everywhere(&w, "ref.npy", "flat.h5");
    same_everywhere(&w, "ref.npy", "packed.h5");
}

#[test]
fn two_channels_chunked() {
    let w = Workdir::new();
    let n = 60_000usize;
    let values: Vec<f32> = (0..n * 2)
        .map(|i| ((i as f32) * 0.37).sin() * if i % 2 == 0 { 1.0 } else { 0.25 })
        .collect();
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut npy = npy_bytes(1, "<f4", false, &[n as u64, 2], &bytes);
    // Same rate as the HDF5 attribute, via the metadata comment tracekit reads.
    let header_end = npy.iter().position(|&b| b == b'\n').unwrap();
    let comment = b" # tracekit {\"sample_rate\": 1000000.0}";
    npy[header_end - comment.len()..header_end].copy_from_slice(comment);
    write(&w.path("two.npy"), &npy);
    write_h5(&w.path("two.h5"), "acq/data", &[n as u64, 2], &values, true);
    same_everywhere(&w, "two.npy", "two.h5");
}

#[test]
fn uart_decodes_the_same_from_hdf5() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "uart",
        "--text",
        "HDF5 says hello",
        "--baud",
        "115200",
        "-r",
        "2M",
        "--logic",
        "-o",
        "u.npy",
    ]);
    let (_, levels, _) = read_npy_f64(&w.path("u.npy"));
    let bytes: Vec<u8> = levels.iter().map(|&v| v as u8).collect();
    let ds = DatasetBuilder::typed_data("line", [bytes.len() as u64], &bytes)
        .unwrap()
        .chunked([1000])
        .filter(filter(1, vec![4]))
        .attribute(AttributeBuilder::scalar("samplerate", 2e6f64).unwrap());
    let h5 = Hdf5Builder::new()
        .dataset(ds)
        .into_plan()
        .unwrap()
        .encode(WriteOptions::default())
        .unwrap();
    std::fs::write(w.path("u.h5"), h5).unwrap();
    let a = w.stdout(&[
        "decode-uart",
        "--baud",
        "115200",
        "--format",
        "bytes",
        "u.npy",
    ]);
    let b = w.stdout(&[
        "decode-uart",
        "--baud",
        "115200",
        "--format",
        "bytes",
        "u.h5",
    ]);
    assert_eq!(a, "HDF5 says hello");
    assert_eq!(a, b);
}
