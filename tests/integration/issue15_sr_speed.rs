//! Issue 15, `.sr` speed: members inflated whole (libdeflate) or streamed (members above the
//! whole-member bound), read in place or gathered across members, give the stored words and
//! the statistics of every probe at every chunk size.

use crate::util::Workdir;
use std::io::Write;
use zip::CompressionMethod::{Deflated, Stored};

/// A logic-only session of 16-bit words (probes on bits 0, 3 and 9) in members of the given
/// (size in bytes, compression), written like libsigrok's; returns the stored bytes.
fn session(path: &std::path::Path, members: &[(usize, zip::CompressionMethod)]) -> Vec<u8> {
    let total: usize = members.iter().map(|m| m.0).sum();
    // Runs of a few hundred samples per level, so that probes are neither constant nor noise.
    let mut state = 0x2545_f491_u64;
    let mut word = 0u16;
    let mut bytes = Vec::with_capacity(total);
    while bytes.len() < total {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if state.is_multiple_of(300) {
            word ^= (state >> 20) as u16;
        }
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    bytes.truncate(total);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(Deflated);
    zip.start_file("version", opts).unwrap();
    zip.write_all(b"2").unwrap();
    zip.start_file("metadata", opts).unwrap();
    zip.write_all(
        b"[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=16\n\
          samplerate=1 MHz\ntotal analog=0\nprobe1=A\nprobe4=B\nprobe10=C\nunitsize=2\n",
    )
    .unwrap();
    let mut at = 0;
    for (n, &(size, method)) in members.iter().enumerate() {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(size > 1 << 30);
        zip.start_file(format!("logic-1-{}", n + 1), opts).unwrap();
        zip.write_all(&bytes[at..at + size]).unwrap();
        at += size;
    }
    zip.finish().unwrap();
    bytes
}

/// (count, ones, first zero, first one) of bit `bit` of the little-endian u16 words.
fn line(bytes: &[u8], bit: u32) -> (u64, u64, u64, u64) {
    let levels: Vec<bool> = bytes
        .chunks_exact(2)
        .map(|w| (u16::from_le_bytes([w[0], w[1]]) >> bit) & 1 == 1)
        .collect();
    let ones = levels.iter().filter(|&&l| l).count() as u64;
    let first = |v: bool| levels.iter().position(|&l| l == v).unwrap() as u64;
    (levels.len() as u64, ones, first(false), first(true))
}

/// `stats --json` of the session at each chunk size: identical, and the counts, means and
/// first extremes of each probe those of the stored words.
fn check(w: &Workdir, file: &str, bytes: &[u8], chunks: &[&str]) {
    let mut first = None;
    for chunk in chunks {
        let mut args = vec!["stats", file, "--json"];
        if !chunk.is_empty() {
            args.extend(["--chunk", chunk]);
        }
        let got = w.json(&args)["channels"].clone();
        for (k, bit) in [0u32, 3, 9].into_iter().enumerate() {
            let (count, ones, zero, one) = line(bytes, bit);
            let c = &got[k];
            assert_eq!(c["count"].as_u64(), Some(count), "{file} {chunk} bit {bit}");
            let mean = c["mean"].as_f64().unwrap();
            let want = ones as f64 / count as f64;
            assert!(
                (mean - want).abs() <= 1e-12 * want,
                "{file} {chunk}: {mean} vs {want}"
            );
            assert_eq!(c["argmin"].as_u64(), Some(zero), "{file} {chunk} bit {bit}");
            assert_eq!(c["argmax"].as_u64(), Some(one), "{file} {chunk} bit {bit}");
        }
        match &first {
            None => first = Some(got),
            Some(f) => assert_eq!(&got, f, "{file} --chunk {chunk}"),
        }
    }
    // The stored words themselves, as `sigrok-cli -O binary` writes them.
    w.stdout(&[
        "slice",
        "..",
        file,
        "--raw-codes",
        "--chunk",
        "7",
        "-o",
        "w.bin",
    ]);
    assert_eq!(std::fs::read(w.path("w.bin")).unwrap(), bytes, "{file}");
}

#[test]
fn issue_15_1_sr_members_of_any_size_and_storage_give_the_same_stats_at_every_chunk() {
    let w = Workdir::new();
    // Odd sizes: words straddle members, members are shorter than a chunk and longer.
    let members = [
        (4097, Deflated),
        (1, Deflated),
        (0, Deflated),
        (30_001, Stored),
        (65_536, Deflated),
        (3, Stored),
        (100_000, Deflated),
    ];
    let bytes = session(&w.path("odd.sr"), &members);
    check(&w, "odd.sr", &bytes, &["1", "7", "4096", ""]);
}

#[test]
fn issue_15_1_sr_members_above_the_whole_member_bound_are_streamed_in_step() {
    let w = Workdir::new();
    // 9 MiB + 3 bytes: above the 8 MiB inflated whole, then small ones again.
    let members = [
        (5001, Deflated),
        ((9 << 20) + 3, Deflated),
        (77_777, Stored),
        (12_345, Deflated),
    ];
    let bytes = session(&w.path("big.sr"), &members);
    check(&w, "big.sr", &bytes, &["7", "4096", ""]);
}

#[test]
fn issue_15_1_sr_damaged_member_is_an_error_naming_it() {
    let w = Workdir::new();
    let members = [(10_000, Deflated), (20_000, Stored), (10_000, Deflated)];
    session(&w.path("crc.sr"), &members);
    let mut file = std::fs::read(w.path("crc.sr")).unwrap();
    // Change one stored byte of the stored member: only the CRC-32 can tell.
    let at = file
        .windows(9)
        .position(|n| n == b"logic-1-2")
        .expect("the stored member's local header");
    file[at + 9 + 5000] ^= 0x40;
    std::fs::write(w.path("crc.sr"), &file).unwrap();
    let err = w.error(&["stats", "crc.sr"]);
    assert!(err.contains("logic-1-2") && err.contains("CRC"), "{err}");
}
