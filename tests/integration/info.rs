//! `tracekit info`: the SPEC §4 keys, for .npy and raw inputs and stdin.

use crate::util::{Workdir, npy_bytes, write};

#[test]
fn json_keys_and_values_for_a_two_channel_capture() {
    let w = Workdir::new();
    let data = vec![0u8; 4 * 2 * 10];
    let file = npy_bytes(1, "<f4", false, &[10, 2], &data);
    let header_len = (file.len() - data.len()) as u64;
    write(&w.path("c.npy"), &file);
    let v = w.json(&["info", "--json", "c.npy"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "path",
        "format",
        "dtype",
        "byte_order",
        "shape",
        "samples",
        "channels",
        "sample_rate",
        "duration_s",
        "file_size",
        "data_offset",
    ] {
        assert!(keys.contains(&k), "missing {k} in {keys:?}");
    }
    assert_eq!(v["format"], "npy");
    assert_eq!(v["dtype"], "float32");
    assert_eq!(v["shape"], serde_json::json!([10, 2]));
    assert_eq!(v["samples"], 10);
    assert_eq!(v["channels"], 2);
    assert_eq!(v["sample_rate"], serde_json::Value::Null);
    assert_eq!(v["duration_s"], serde_json::Value::Null);
    assert_eq!(v["data_offset"], header_len);
    assert_eq!(v["file_size"], header_len + 80);

    let v = w.json(&["info", "--json", "-r", "2k", "c.npy"]);
    assert_eq!(v["sample_rate"], 2000.0);
    assert_eq!(v["duration_s"], 0.005);
    assert_eq!(v["rate_source"], "--sample-rate");
}

#[test]
fn table_for_people() {
    let w = Workdir::new();
    write(&w.path("x.npy"), &npy_bytes(1, ">i2", false, &[4], &[0; 8]));
    let out = w.stdout(&["info", "x.npy", "-r", "1M"]);
    assert!(out.contains("int16"), "{out}");
    assert!(out.contains("big"), "{out}");
    assert!(out.contains("1 MHz (from --sample-rate)"), "{out}");
    assert!(out.contains("4 µs"), "{out}");
}

#[test]
fn raw_by_extension_and_stdin_stream() {
    let w = Workdir::new();
    write(&w.path("x.i16"), &[0u8; 20]);
    let v = w.json(&["info", "--json", "x.i16"]);
    assert_eq!(
        (
            v["format"].as_str(),
            v["dtype"].as_str(),
            v["samples"].as_u64()
        ),
        (Some("raw"), Some("int16"), Some(10))
    );
    let v = w.json(&[
        "info",
        "--json",
        "--channels",
        "2",
        "--offset",
        "4",
        "x.i16",
    ]);
    assert_eq!(
        (v["samples"].as_u64(), v["data_offset"].as_u64()),
        (Some(4), Some(4))
    );

    let npy = npy_bytes(1, "<u2", false, &[3], &[1, 0, 2, 0, 3, 0]);
    let out = w
        .cmd(&["info", "--json", "-"])
        .write_stdin(npy)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["path"].as_str(),
            v["samples"].as_u64(),
            v["dtype"].as_str()
        ),
        (Some("<stdin>"), Some(3), Some("uint16"))
    );
}

#[test]
fn instant_on_a_sparse_4_gb_file() {
    // A 4 GB .npy made sparse: info must read headers only.
    let w = Workdir::new();
    let n: u64 = 1 << 30;
    let header = npy_bytes(1, "<f4", false, &[n], &[]);
    let path = w.path("huge.npy");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(header.len() as u64 + 4 * n).unwrap();
    std::os::unix::fs::FileExt::write_all_at(&f, &header, 0).unwrap();
    let v = w.json(&["info", "--json", "huge.npy"]);
    assert_eq!(v["samples"], n);
}
