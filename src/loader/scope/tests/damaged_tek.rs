//! Damaged input: truncations, lying sizes and counts, unknown versions, unsupported records
//! and every single-byte mutation of each header. Never a panic, never a run past the end of
//! the file, never an allocation the size of what a header claims.

use super::largest_allocation;
use super::util::{Patched, bytes, erase, fuzz_budget, mutation_plan, put, runs_inside};
use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::read::ReadAt;
use crate::loader::{lecroy, rs_bin, tek_isf, tek_wfm};
use std::panic::{AssertUnwindSafe, catch_unwind};

type Parser = fn(&dyn ReadAt, u64) -> Result<Layout<()>, FormatError>;
/// A parser of bytes in memory, capturing what it needs (the R&S XML header).
type MemParser<'a> = dyn Fn(&dyn ReadAt, u64) -> Result<Layout<()>, FormatError> + 'a;

fn wfm(src: &dyn ReadAt, size: u64) -> Result<Layout<()>, FormatError> {
    tek_wfm::parse_from(src, size, "x").map(erase)
}
fn isf(src: &dyn ReadAt, size: u64) -> Result<Layout<()>, FormatError> {
    tek_isf::parse_from(src, size, "x").map(erase)
}
fn trc(src: &dyn ReadAt, size: u64) -> Result<Layout<()>, FormatError> {
    lecroy::parse_from(src, size).map(erase)
}

/// Largest allocation one parse of these small files may make.
const SMALL: usize = 1 << 20;

/// Parse `bytes`, expecting an error; return its message. Checks the allocation bound.
fn error_of(parse: Parser, bytes: &[u8]) -> String {
    let (result, largest) = largest_allocation(|| parse(&bytes, bytes.len() as u64));
    assert!(largest <= SMALL, "allocated {largest} bytes");
    match result {
        Ok(layout) => panic!("parsed: {layout:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{text:?} lacks {part:?}");
    }
}

/// The first byte after the last sample of the layout.
fn data_end(layout: &Layout<()>) -> u64 {
    layout
        .columns
        .iter()
        .flat_map(|c| {
            let width = c.dtype.size() as u64;
            c.runs
                .iter()
                .map(move |r| r.offset + r.samples.saturating_sub(1) * r.stride + width)
        })
        .max()
        .unwrap_or(0)
}

/// Every cut of the file: an error before the data ends, never a panic.
fn every_truncation(name: &str, parse: Parser, step: usize) {
    let full = bytes(name);
    let end = data_end(&parse(&&full[..], full.len() as u64).unwrap()) as usize;
    for cut in (0..full.len()).step_by(step) {
        let part = &full[..cut];
        let result = catch_unwind(AssertUnwindSafe(|| parse(&part, cut as u64)));
        match result {
            Err(_) => panic!("{name} cut at {cut} panicked"),
            Ok(Ok(layout)) => {
                assert!(
                    cut >= end,
                    "{name} cut at {cut} (data ends at {end}) parsed"
                );
                assert!(runs_inside(&layout, cut as u64));
            }
            Ok(Err(_)) => {}
        }
    }
}

#[test]
fn truncated_files_fail_naming_both_sizes() {
    let cases: [(&str, Parser, usize, &[&str]); 5] = [
        (
            "tmdt_analog_waveform.wfm",
            wfm,
            50_000,
            &["100966", "50000"],
        ),
        ("sample_ff1.wfm", wfm, 5000, &["11694", "5000"]),
        ("tek0003NRM_rf_freqdomain.isf", isf, 1000, &["4535", "1000"]),
        ("lecroy_4.trc", trc, 1000, &["1361", "1000"]),
        ("trace1.000", trc, 1000, &["10324", "1000"]),
    ];
    for (name, parse, cut, parts) in cases {
        let text = error_of(parse, &bytes(name)[..cut]);
        assert_contains(&text, &["truncated"]);
        assert_contains(&text, parts);
    }
    let data = bytes("rs_rtp_01.Wfm.bin");
    let xml = bytes("rs_rtp_01.bin");
    let err = rs_bin::parse_pair(&xml, &data[..10_000], 10_000, None).unwrap_err();
    assert_contains(&err.to_string(), &["16288", "10000"]);
}

#[test]
fn every_truncation_of_every_fixture_is_an_error_or_complete() {
    every_truncation("tmdt_analog_waveform.wfm", wfm, 7);
    every_truncation("tmdt_digital_waveform.wfm", wfm, 1);
    every_truncation("tmdt_iq_waveform.wfm", wfm, 1);
    every_truncation("sample_ff1.wfm", wfm, 1);
    every_truncation("tek0003NRM_rf_freqdomain.isf", isf, 1);
    every_truncation("lecroy_4.trc", trc, 1);
    every_truncation("trace1.000", trc, 1);
    let xml = bytes("rs_rtp_01.bin");
    let data = bytes("rs_rtp_01.Wfm.bin");
    for cut in 0..data.len() {
        let result = rs_bin::parse_pair(&xml, &data[..cut], cut as u64, None);
        assert!(result.is_err(), "data cut at {cut} parsed");
    }
    for cut in (0..xml.len()).step_by(101) {
        let result = rs_bin::parse_pair(&xml[..cut], &data[..], data.len() as u64, None);
        assert!(result.is_err(), "XML cut at {cut} parsed");
    }
}

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

#[test]
fn lying_wfm_sizes_are_checked_before_any_allocation() {
    let base = bytes("tmdt_analog_waveform.wfm");
    let edit = |at: usize, v: &[u8]| {
        let mut b = base.clone();
        put(&mut b, at, v);
        b
    };
    assert_contains(
        &error_of(wfm, &edit(72, &le32(u32::MAX))),
        &["FastFrame frame count", "4294967295"],
    );
    assert_contains(
        &error_of(wfm, &edit(72, &le32(1_000_000))),
        &["FastFrame frame table", "54000838", "101081"],
    );
    assert_contains(
        &error_of(wfm, &edit(16, &le32(u32::MAX))),
        &["curve buffer", "4295067423", "101081"],
    );
    let mut b = edit(826, &le32(0x7fff_fffe));
    put(&mut b, 830, &le32(0x7fff_fffe));
    assert_contains(&error_of(wfm, &b), &["2147484484", "101081"]);
    assert_contains(
        &error_of(wfm, &edit(15, &[4])),
        &["4 bytes per point", "int16 (2 bytes)"],
    );
    assert_contains(
        &error_of(wfm, &edit(822, &le32(65))),
        &["inconsistent curve offsets"],
    );
}

#[test]
fn lying_isf_sizes_are_checked() {
    let base = String::from_utf8_lossy(&bytes("tek0003NRM_rf_freqdomain.isf")[..531]).into_owned();
    let tail = bytes("tek0003NRM_rf_freqdomain.isf")[531..].to_vec();
    let edit = |from: &str, to: &str| {
        let mut b = base.replacen(from, to, 1).into_bytes();
        b.extend_from_slice(&tail);
        b
    };
    assert_contains(
        &error_of(
            isf,
            &edit(
                "NR_PT 1001;:WFMPRE:BYT_NR",
                "NR_PT 99999999999999;:WFMPRE:BYT_NR",
            ),
        ),
        &["4004 bytes", "399999999999996"],
    );
    assert_contains(
        &error_of(isf, &edit("#44004", "#49999")),
        &["10530", "4535"],
    );
    assert_contains(
        &error_of(isf, &edit("#44004", "#4x004")),
        &["malformed curve block"],
    );
    assert_contains(
        &error_of(
            isf,
            &edit(
                "NR_PT 1001;:WFMPRE:BYT_NR",
                "NR_FR 99999999;NR_PT 1001;:WFMPRE:BYT_NR",
            ),
        ),
        &["NR_FR", "99999999"],
    );
    assert_contains(
        &error_of(isf, &edit("BYT_NR 4", "BYT_NR 3")),
        &["BYT_NR", "\"3\""],
    );
    assert_contains(
        &error_of(isf, &edit("BN_FMT FP", "BN_FMT XX")),
        &["BN_FMT", "XX"],
    );
    assert_contains(
        &error_of(isf, &edit(":CURVE #", ":CURVX #")),
        &["no `:CURVE #` block"],
    );
}

#[test]
fn lying_lecroy_sizes_are_checked() {
    let base = bytes("lecroy_4.trc");
    let edit = |at: usize, v: &[u8]| {
        let mut b = base.clone();
        put(&mut b, 11 + at, v);
        b
    };
    let i32le = |v: i32| v.to_le_bytes();
    assert_contains(
        &error_of(trc, &edit(60, &i32le(i32::MAX))),
        &["truncated", "2147484004", "1361"],
    );
    assert_contains(
        &error_of(trc, &edit(116, &i32le(i32::MAX))),
        &["WAVE_ARRAY_COUNT 2147483647", "1004 bytes"],
    );
    assert_contains(
        &error_of(trc, &edit(144, &i32le(i32::MAX))),
        &["SUBARRAY_COUNT", "2147483647"],
    );
    assert_contains(
        &error_of(trc, &edit(40, &i32le(-1))),
        &["USER_TEXT is negative"],
    );
    assert_contains(
        &error_of(trc, &edit(36, &i32le(100))),
        &["WAVE_DESCRIPTOR", "100"],
    );
    assert_contains(&error_of(trc, &edit(32, &[7, 0])), &["COMM_TYPE 7"]);
    assert_contains(&error_of(trc, &edit(34, &[2, 0])), &["COMM_ORDER"]);
    let mut b = base.clone();
    put(&mut b, 0, b"#9000009999");
    assert_contains(
        &error_of(trc, &b),
        &["declared 9999 bytes", "10010", "1361"],
    );
}

#[test]
fn lying_rs_sizes_are_checked() {
    let xml = String::from_utf8(bytes("rs_rtp_01.bin")).unwrap();
    let data = bytes("rs_rtp_01.Wfm.bin");
    let run = |xml: &str, data: &[u8]| {
        let (result, largest) = largest_allocation(|| {
            rs_bin::parse_pair(xml.as_bytes(), data, data.len() as u64, None)
        });
        assert!(largest <= SMALL, "allocated {largest}");
        result.unwrap_err().to_string()
    };
    let set = |name: &str, value: &str| {
        let key = format!("Name=\"{name}\" Value=\"");
        let start = xml.find(&key).unwrap() + key.len();
        let end = start + xml[start..].find('"').unwrap();
        format!("{}{value}{}", &xml[..start], &xml[end..])
    };
    let mut huge = data.clone();
    put(&mut huge, 4, &le32(u32::MAX));
    let huge_xml = set("SignalHardwareRecordLength", "4294967295");
    assert_contains(
        &run(&huge_xml, &huge),
        &["truncated", "17179869188", "16288"],
    );
    assert_contains(
        &run(&set("SignalRecordLength", "99999999"), &data),
        &["99999999", "4070"],
    );
    assert_contains(&run(&xml, &huge), &["record length 4294967295", "4070"]);
    let mut code = data.clone();
    put(&mut code, 0, &le32(1));
    assert_contains(&run(&xml, &code), &["format code 1", "says 4"]);
    assert_contains(
        &run(&set("Resolution", "abc"), &data),
        &["Resolution", "abc"],
    );
    assert_contains(&run("<Database><Prop", &data), &["not valid XML"]);
}

#[test]
fn unknown_versions_are_named() {
    let mut b = bytes("tmdt_analog_waveform.wfm");
    put(&mut b, 2, b":WFM#004");
    assert_contains(&error_of(wfm, &b), &["unsupported", "WFM#004"]);
    put(&mut b, 2, b":WFX#003");
    assert_contains(&error_of(wfm, &b), &["not a Tektronix WFM", ":WFX#003"]);
    put(&mut b, 0, &[0x0f, 0xf0]);
    assert_contains(&error_of(wfm, &b), &["byte-order mark", "0F, F0"]);
    let mut b = bytes("lecroy_4.trc");
    put(&mut b, 11 + 16, b"LECROY_3_1");
    assert_contains(&error_of(trc, &b), &["LECROY_3_1"]);
    let xml = String::from_utf8(bytes("rs_rtp_01.bin")).unwrap().replace(
        "Value=\"eRS_SIGNAL_FORMAT_FLOAT\"",
        "Value=\"eRS_SIGNAL_FORMAT_INT32BIT\"",
    );
    let data = bytes("rs_rtp_01.Wfm.bin");
    let err = rs_bin::parse_pair(xml.as_bytes(), &data[..], data.len() as u64, None).unwrap_err();
    assert_contains(&err.to_string(), &["eRS_SIGNAL_FORMAT_INT32BIT"]);
}

#[test]
fn unsupported_records_are_named() {
    let base = bytes("tmdt_analog_waveform.wfm");
    let mut b = base.clone();
    put(&mut b, 122, &le32(3));
    assert_contains(&error_of(wfm, &b), &["unsupported record", "pixel map"]);
    let mut b = base.clone();
    put(&mut b, 244, &le32(1));
    assert_contains(&error_of(wfm, &b), &["min/max storage"]);
    let mut b = bytes("tmdt_digital_waveform.wfm");
    put(&mut b, 240, &le32(4));
    put(&mut b, 15, &[4]);
    assert_contains(&error_of(wfm, &b), &["digital record stored as float32"]);
    let mut b = bytes("lecroy_4.trc");
    put(&mut b, 11 + 316, &[6, 0]);
    assert_contains(&error_of(trc, &b), &["extrema", "RECORD_TYPE 6"]);
    let isf_bytes = bytes("tek0003NRM_rf_freqdomain.isf");
    let text = String::from_utf8_lossy(&isf_bytes[..531]).replacen("PT_FMT Y", "PT_FMT ENV", 1);
    let mut b = text.into_bytes();
    b.extend_from_slice(&isf_bytes[531..]);
    assert_contains(&error_of(isf, &b), &["point format ENV"]);
    let text =
        String::from_utf8_lossy(&isf_bytes[..531]).replacen("ENCDG BINARY", "ENCDG ASCII", 1);
    let mut b = text.into_bytes();
    b.extend_from_slice(&isf_bytes[531..]);
    assert_contains(&error_of(isf, &b), &["ASCII encoding"]);
    let data = bytes("rs_rtp_01.Wfm.bin");
    let xml = String::from_utf8(bytes("rs_rtp_01.bin")).unwrap();
    for (from, to, says) in [
        (
            "Name=\"NumberOfAcquisitions\" Value=\"1\"",
            "Name=\"NumberOfAcquisitions\" Value=\"5\"",
            "history export of 5",
        ),
        (
            "Value=\"eRS_TRACE_TYPE_NORMAL\"",
            "Value=\"eRS_TRACE_TYPE_ENVELOPE\"",
            "ENVELOPE trace",
        ),
    ] {
        let edited = xml.replacen(from, to, 1);
        let err = rs_bin::parse_pair(edited.as_bytes(), &data[..], data.len() as u64, None);
        assert_contains(&err.unwrap_err().to_string(), &[says]);
    }
}

/// Values of the bytes at `positions` (every value of every byte within the fuzz budget,
/// an even spread of them beyond): no panic, runs inside the file, small allocations.
/// Returns how many mutated files parsed and how many failed.
fn mutations(
    name: &str,
    base: &[u8],
    positions: impl Iterator<Item = usize>,
    parse: &MemParser<'_>,
) -> (u64, u64) {
    let size = base.len() as u64;
    let (mut parsed, mut failed) = (0u64, 0u64);
    let positions: Vec<usize> = positions.collect();
    for (at, byte) in mutation_plan(&positions, fuzz_budget()) {
        if byte == base[at] {
            continue;
        }
        let src = Patched { base, at, byte };
        let (result, largest) =
            largest_allocation(|| catch_unwind(AssertUnwindSafe(|| parse(&src, size))));
        let Ok(result) = result else {
            panic!("{name}: byte {at} set to {byte:#04x} panicked");
        };
        assert!(
            largest <= SMALL,
            "{name}: byte {at} = {byte:#04x} allocated {largest}"
        );
        match result {
            Ok(layout) => {
                assert!(
                    runs_inside(&layout, size),
                    "{name}: byte {at} = {byte:#04x}: {layout:?}"
                );
                parsed += 1;
            }
            Err(_) => failed += 1,
        }
    }
    (parsed, failed)
}

/// [`mutations`] that must both break and keep some parses (else the loop proves nothing).
fn every_mutation(
    name: &str,
    base: &[u8],
    positions: impl Iterator<Item = usize>,
    parse: &MemParser<'_>,
) {
    let (parsed, failed) = mutations(name, base, positions, parse);
    assert!(
        parsed > 0 && failed > 0,
        "{name}: {parsed} parsed, {failed} failed"
    );
}

#[test]
fn every_byte_of_every_wfm_header() {
    for (name, header) in [
        ("tmdt_analog_waveform.wfm", 838),
        ("tmdt_digital_waveform.wfm", 838),
        ("sample_ff1.wfm", 1054),
    ] {
        every_mutation(name, &bytes(name), 0..header, &wfm);
    }
    // The IQ record's tekmeta trailer decides that it is IQ.
    let b = bytes("tmdt_iq_waveform.wfm");
    every_mutation(
        "tmdt_iq_waveform.wfm",
        &b,
        (0..838).chain(15346..b.len()),
        &wfm,
    );
}

#[test]
fn every_byte_of_the_isf_preamble() {
    let b = bytes("tek0003NRM_rf_freqdomain.isf");
    every_mutation("isf", &b, 0..531, &isf);
}

#[test]
fn every_byte_of_lecroy_descriptors() {
    let b = bytes("lecroy_4.trc");
    every_mutation("lecroy_4.trc", &b, 0..357, &trc);
    let b = bytes("trace1.000");
    every_mutation("trace1.000", &b, 0..320, &trc);
}

#[test]
fn every_byte_of_the_rs_data_header_and_xml_properties() {
    // The preview image (most of the XML) is dropped to keep the loop quick.
    let xml = String::from_utf8(bytes("rs_rtp_01.bin")).unwrap();
    let image = xml.find("<PreviewImage").unwrap();
    let image_end = image + xml[image..].find("/>").unwrap() + 2;
    let xml = format!("{}{}", &xml[..image], &xml[image_end..]);
    let data = bytes("rs_rtp_01.Wfm.bin");
    let with_xml = |src: &dyn ReadAt, size: u64| {
        rs_bin::parse_pair(xml.as_bytes(), src, size, None).map(erase)
    };
    // Format code and record length are both checked against the XML: no change passes.
    let (parsed, failed) = mutations("rs_rtp_01.Wfm.bin", &data, 0..8, &with_xml);
    assert!(
        parsed == 0 && failed > 0,
        "{parsed} parsed, {failed} failed"
    );
    // XML bytes: three replacement values each (quote, digit, invalid UTF-8).
    let (mut parsed, mut failed) = (0, 0);
    for at in 0..xml.len() {
        for byte in [b'"', b'7', 0xff] {
            let mut edited = xml.clone().into_bytes();
            edited[at] = byte;
            let result = catch_unwind(AssertUnwindSafe(|| {
                rs_bin::parse_pair(&edited, &data[..], data.len() as u64, None)
            }));
            match result {
                Err(_) => panic!("XML byte {at} set to {byte:#04x} panicked"),
                Ok(Ok(layout)) => {
                    assert!(runs_inside(&layout, data.len() as u64));
                    parsed += 1;
                }
                Ok(Err(_)) => failed += 1,
            }
        }
    }
    assert!(parsed > 0 && failed > 0);
}
