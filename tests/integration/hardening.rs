//! Hardening: the parsers never panic on arbitrary input, and no subcommand panics or dies
//! from a signal on a corpus of damaged files.

use crate::util::{Workdir, npy_bytes};
use proptest::prelude::*;
use tracekit::sample::npy;
use tracekit::units;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::util::fuzz_cases(3000)))]

    #[test]
    fn npy_header_parser_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..300), major in 0u8..5) {
        let mut bytes = npy::MAGIC.to_vec();
        bytes.push(major);
        bytes.push(0);
        bytes.extend_from_slice(&tail);
        let _ = npy::parse_header(&bytes);
    }

    #[test]
    fn npy_header_dict_mutations_never_panic(dict in "\\{'descr': '[<>|=]?[a-zA-Z]{0,2}[0-9]{0,3}', 'fortran_order': (True|False|0|x), 'shape': \\(([0-9-]{0,22}, ?){0,4}\\), \\}.{0,8}") {
        let mut body = dict.into_bytes();
        body.push(b'\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(body.len() as u16).to_le_bytes());
        bytes.extend_from_slice(&body);
        if let Ok(h) = npy::parse_header(&bytes) {
            prop_assert!(h.shape.len() <= 2);
            prop_assert_eq!(h.data_offset, bytes.len() as u64);
        }
    }

    #[test]
    fn unit_parsers_never_panic(text in "\\PC{0,24}") {
        let _ = units::parse_count(&text);
        let _ = units::parse_rate(&text);
        let _ = units::parse_time(&text);
        let _ = units::parse_span(&text);
        let _ = units::parse_overlap(&text);
        if let Ok(r) = units::parse_range(&text) {
            let _ = r.resolve(Some(1000), Some(1e3));
            let _ = r.resolve(None, None);
        }
    }

    #[test]
    fn resolved_ranges_are_inside_the_data(a in 0u64..2000, b in 0u64..2000, len in 1u64..1500, neg_a: bool, neg_b: bool) {
        let text = format!("{}{a}..{}{b}", if neg_a { "-" } else { "" }, if neg_b { "-" } else { "" });
        let r = units::parse_range(&text).unwrap();
        if let Ok((s, e)) = r.resolve(Some(len), None) {
            let e = e.unwrap();
            prop_assert!(s < e && e <= len, "{} -> {}..{}", text, s, e);
        }
    }
}

/// Damaged .npy files: random bytes behind valid magic, every header truncation, absurd
/// shapes and header lengths.
fn damaged_corpus(w: &Workdir) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |name: String, bytes: &[u8]| {
        std::fs::write(w.path(&name), bytes).unwrap();
        names.push(name);
    };
    let good = npy_bytes(1, "<f4", false, &[64], &[0x3f; 256]);
    for cut in (0..good.len()).step_by(3) {
        add(format!("cut{cut}.npy"), &good[..cut]);
    }
    let mut state = 0x1234_5678_u64;
    for i in 0..12 {
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        for _ in 0..(40 + i * 17) {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            bytes.push((state >> 33) as u8);
        }
        add(format!("random{i}.npy"), &bytes);
    }
    add(
        "huge_shape.npy".into(),
        &npy_bytes(1, "<f4", false, &[1 << 62], &[0; 64]),
    );
    add(
        "overflow_shape.npy".into(),
        &npy_bytes(1, "<f8", false, &[u64::MAX / 2, 3], &[0; 64]),
    );
    add(
        "zero_channels.npy".into(),
        &npy_bytes(1, "<f4", false, &[10, 0], &[]),
    );
    add(
        "empty_array.npy".into(),
        &npy_bytes(1, "<f4", false, &[0], &[]),
    );
    let mut huge_len = b"\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'".to_vec();
    huge_len.extend_from_slice(&[b' '; 32]);
    add("huge_header_len.npy".into(), &huge_len);
    let mut neg_len = b"\x93NUMPY\x01\x00\xff\xff".to_vec();
    neg_len.extend_from_slice(&[b'{'; 40]);
    add("negative_header_len.npy".into(), &neg_len);
    names
}

#[test]
fn no_subcommand_panics_on_damaged_files() {
    let w = Workdir::new();
    let corpus = damaged_corpus(&w);
    let commands: [&[&str]; 5] = [
        &["info"],
        &["stats"],
        &["fft", "--nfft", "16"],
        &["slice", "..", "-o", "out.npy"],
        &["decode-uart", "--baud", "9600", "-r", "1M"],
    ];
    for name in &corpus {
        for cmd in commands {
            let mut args: Vec<&str> = cmd.to_vec();
            args.push(name);
            let out = w.cmd(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code().is_some(),
                "{args:?} killed by a signal: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
            if !out.status.success() {
                assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
                assert!(stderr.starts_with("tracekit: error:"), "{args:?}: {stderr}");
            }
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "partial outputs left behind: {leftovers:?}"
    );
}
