//! Damaged input: truncated files, lying sizes and counts, unknown versions and models,
//! and every single-byte mutation of each header. Nothing may panic, read past the file or
//! allocate more than the headers need.

use super::rigol::{Format, Scratch, data, largest_allocation, parse_as};
use super::util::fuzz_budget;
use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::meta::ScopeMeta;
use std::os::unix::fs::FileExt;

/// One fixture per family: (file, format, bytes of header to mutate).
const FIXTURES: &[(&str, Format, usize)] = &[
    ("DS1000E-A.wfm", Format::RigolWfm, 276),
    ("DS1204B-A.wfm", Format::RigolWfm, 420),
    (
        "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
        Format::RigolWfm,
        400,
    ),
    ("DS2072A-5.wfm", Format::RigolWfm, 400),
    ("DS4022-A.wfm", Format::RigolWfm, 600),
    ("DHO824-ch1.wfm", Format::RigolWfm, 2882),
    ("DHO1074.bin", Format::RigolBin, 172),
    ("MSO5000-A.bin", Format::RigolBin, 164),
    ("MSO5074-A.bin", Format::RigolBin, 168),
    ("agilent_3.bin", Format::KeysightBin, 164),
];

fn bytes_of(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).expect("fixture")
}

fn parse_bytes(tag: &str, format: Format, bytes: &[u8]) -> Result<Layout<ScopeMeta>, FormatError> {
    let ext = if format == Format::RigolWfm {
        "wfm"
    } else {
        "bin"
    };
    let file = Scratch::new(tag, ext, bytes);
    parse_as(format, &file.0)
}

/// Every run of a layout lies inside a file of `size` bytes (checked independently of the
/// parser's own check, in u128 so nothing overflows).
fn assert_inside<M>(layout: &Layout<M>, size: u64, what: &str) {
    for column in &layout.columns {
        let mut total = 0u128;
        for run in &column.runs {
            total += u128::from(run.samples);
            if run.samples > 0 {
                let end = u128::from(run.offset)
                    + u128::from(run.samples - 1) * u128::from(run.stride)
                    + column.dtype.size() as u128;
                assert!(
                    end <= u128::from(size),
                    "{what}: run ends at {end} > {size}"
                );
            }
        }
        assert_eq!(total, u128::from(layout.samples), "{what}: column length");
    }
}

#[test]
fn truncated_files_name_both_sizes() {
    for &(name, format, header) in FIXTURES {
        let full = bytes_of(name);
        // Cut into the samples the layout uses (DS1000B files carry an unused fifth block).
        let layout = parse_bytes("whole", format, &full).expect("fixture parses");
        let data_end = layout
            .columns
            .iter()
            .flat_map(|c| {
                c.runs
                    .iter()
                    .map(move |r| r.offset + (r.samples - 1) * r.stride + c.dtype.size() as u64)
            })
            .max()
            .expect("runs") as usize;
        for cut in [data_end - 1, data_end * 2 / 3, header - 1, 3] {
            let err = parse_bytes("cut", format, &full[..cut])
                .expect_err(&format!("{name} cut to {cut} bytes must fail"));
            let text = err.to_string();
            assert!(
                matches!(&err, FormatError::Short { have, need, .. }
                    if *have == cut as u64 && *need > 0),
                "{name} cut to {cut}: {text}"
            );
            assert!(
                text.contains(&format!("but the file has {cut}")),
                "{name} cut to {cut}: {text}"
            );
        }
    }
}

fn patch(bytes: &mut [u8], at: usize, value: &[u8]) {
    bytes[at..at + value.len()].copy_from_slice(value);
}

#[test]
fn lying_counts_are_refused_without_allocating() {
    let ((), largest) = largest_allocation(|| {
        let max32 = u32::MAX.to_le_bytes();
        // (file, format, offset of a size/count field)
        let lies: &[(&str, Format, usize, &[u8])] = &[
            ("DS1000E-A.wfm", Format::RigolWfm, 28, &max32),
            ("DS1204B-A.wfm", Format::RigolWfm, 60, &max32),
            (
                "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
                Format::RigolWfm,
                116,
                &max32,
            ),
            (
                "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
                Format::RigolWfm,
                256,
                &max32,
            ),
            ("DS2072A-5.wfm", Format::RigolWfm, 252, &max32),
            ("DS2072A-5.wfm", Format::RigolWfm, 68, &max32),
            ("DS4022-A.wfm", Format::RigolWfm, 268, &max32),
            // DHO: total samples and both copies of the points field of the data header
            (
                "DHO1074.wfm",
                Format::RigolWfm,
                2577,
                &u64::MAX.to_le_bytes(),
            ),
            ("DHO1074.bin", Format::RigolBin, 12, &max32),
            (
                "DHO1074.bin",
                Format::RigolBin,
                16 + 140 + 8,
                &u64::MAX.to_le_bytes(),
            ),
            ("DHO1074.bin", Format::RigolBin, 16, &max32),
            ("MSO5000-A.bin", Format::RigolBin, 8, &max32),
            ("agilent_3.bin", Format::KeysightBin, 8, &max32),
            ("agilent_3.bin", Format::KeysightBin, 12 + 140 + 8, &max32),
            ("agilent_3.bin", Format::KeysightBin, 12 + 8, &max32),
        ];
        for &(name, format, at, value) in lies {
            let mut bytes = bytes_of(name);
            patch(&mut bytes, at, value);
            let size = bytes.len() as u64;
            match parse_bytes("lie", format, &bytes) {
                Err(e) => {
                    let text = e.to_string();
                    assert!(!text.is_empty());
                }
                // A count the parser does not need (e.g. points when the buffer size rules)
                // may be ignored, never trusted beyond the file.
                Ok(layout) => assert_inside(&layout, size, &format!("{name} @{at}")),
            }
        }
        let mut points = bytes_of("DHO1074.wfm");
        patch(&mut points, 2577 + 24, &max32);
        patch(&mut points, 2577 + 28, &max32);
        let err = parse_bytes("dho_points", Format::RigolWfm, &points).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::Short { .. } | FormatError::BadValue { .. }
            ),
            "{err}"
        );
        let mut count = bytes_of("agilent_3.bin");
        patch(&mut count, 8, &max32);
        let err = parse_bytes("ag_count", Format::KeysightBin, &count).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a file of 4294967295 waveforms needs 601295421300 bytes at offset 12 but the file has 32316"),
            "{err}"
        );
    });
    assert!(largest < 8 << 20, "largest allocation {largest} bytes");
}

#[test]
fn unknown_versions_and_models_are_named() {
    let mut ag = bytes_of("agilent_3.bin");
    patch(&mut ag, 2, b"99");
    let err = parse_bytes("ag99", Format::KeysightBin, &ag).unwrap_err();
    assert!(
        matches!(&err, FormatError::Unknown { found, .. } if found.contains("AG99")),
        "{err}"
    );
    let mut rg = bytes_of("MSO5000-A.bin");
    patch(&mut rg, 2, b"07");
    let err = parse_bytes("rg07", Format::RigolBin, &rg).unwrap_err();
    assert!(err.to_string().contains("RG07"), "{err}");
    let err = parse_bytes("ag_as_rigol", Format::RigolBin, &bytes_of("agilent_4.bin")).unwrap_err();
    assert!(matches!(err, FormatError::WrongMagic { .. }), "{err}");

    let mut ds6 = bytes_of("DS2072A-5.wfm");
    patch(&mut ds6, 4, b"DS6A000000001\0");
    let err = parse_bytes("ds6", Format::RigolWfm, &ds6).unwrap_err();
    assert!(err.to_string().contains("DS6A000000001"), "{err}");

    let mut c = bytes_of("DS1000E-A.wfm");
    patch(&mut c, 0, &[0xa1, 0xa5, 0, 0]);
    let err = parse_bytes("ds1000c", Format::RigolWfm, &c).unwrap_err();
    assert!(err.to_string().contains("DS1000C"), "{err}");

    let mut other = bytes_of("DS1000E-A.wfm");
    patch(&mut other, 0, &[0xab, 0xcd, 0xef, 0x01]);
    let err = parse_bytes("magic", Format::RigolWfm, &other).unwrap_err();
    assert!(err.to_string().contains("abcdef01"), "{err}");
}

/// Every byte of each header set to 0x00, 0xff, its bit-flip and +1: the parser returns
/// an error or a layout inside the file, never panics or reads past the end.
#[test]
fn single_byte_mutations_of_every_header() {
    let ((), largest) = largest_allocation(|| {
        for &(name, format, header) in FIXTURES {
            let original = bytes_of(name);
            let size = original.len() as u64;
            let ext = if format == Format::RigolWfm {
                "wfm"
            } else {
                "bin"
            };
            let scratch = Scratch::new("mutate", ext, &original);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&scratch.0)
                .expect("reopen");
            let (mut ok, mut failed) = (0usize, 0usize);
            // Four telling values per byte, or every value when the fuzz budget allows.
            let every = fuzz_budget() >= header * 256;
            for (at, &byte) in original.iter().enumerate().take(header) {
                let values: Vec<u8> = if every {
                    (0..=255).collect()
                } else {
                    vec![0x00, 0xff, byte ^ 0x80, byte.wrapping_add(1)]
                };
                for value in values {
                    if value == byte {
                        continue;
                    }
                    file.write_at(&[value], at as u64).expect("mutate");
                    match parse_as(format, &scratch.0) {
                        Ok(layout) => {
                            assert_inside(&layout, size, &format!("{name} byte {at} = {value:#x}"));
                            ok += 1;
                        }
                        Err(_) => failed += 1,
                    }
                }
                file.write_at(&[byte], at as u64).expect("restore");
            }
            assert!(ok + failed > 0, "{name}: no mutation tried");
        }
    });
    assert!(largest < 8 << 20, "largest allocation {largest}");
}
