//! The WFM#003 writer: what it writes reads back, in both byte orders and as WFM#001/#002
//! rewrites; a 2 GB file's header describes 2 GB of samples.

use super::materialize::values_from;
use super::tek_writer::{TekWfmSpec, TekWfmWriter, WriteError};
use crate::loader::layout::Run;
use crate::loader::scope::read::ReadAt;
use crate::loader::tek_wfm;
use crate::sample::Endian;

fn spec(samples: u64, endian: Endian) -> TekWfmSpec {
    TekWfmSpec {
        samples,
        y_scale: 0.5,
        y_offset: -1.0,
        x_increment: 1e-3,
        x_origin: -0.25,
        label: "CH4".into(),
        endian,
    }
}

fn write(codes: &[i16], endian: Endian) -> Vec<u8> {
    let spec = spec(codes.len() as u64, endian);
    let mut w = TekWfmWriter::new(Vec::new(), &spec).unwrap();
    // In two pieces: the output must not depend on how samples arrive.
    let (a, b) = codes.split_at(codes.len() / 3);
    w.write_samples(a).unwrap();
    w.write_samples(b).unwrap();
    let bytes = w.finish().unwrap();
    assert_eq!(bytes.len() as u64, spec.file_len());
    bytes
}

const CODES: [i16; 7] = [0, 1, -1, 32767, -32768, 1234, -4321];

fn expected() -> Vec<f64> {
    CODES.iter().map(|&c| f64::from(c) * 0.5 - 1.0).collect()
}

#[test]
fn written_files_read_back_in_both_byte_orders() {
    for endian in [Endian::Little, Endian::Big] {
        let bytes = write(&CODES, endian);
        let layout = tek_wfm::parse_from(&bytes[..], bytes.len() as u64, "x").unwrap();
        assert_eq!(layout.columns[0].endian, endian);
        assert_eq!(layout.channels[0].name, "CH4");
        assert_eq!(
            (layout.x_increment, layout.x_origin),
            (Some(1e-3), Some(-0.25))
        );
        let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
        assert_eq!(v[0], expected(), "{endian:?}");
        assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
    }
}

/// A WFM#003 file rewritten as WFM#002 or #001: user-view point densities as u32, and no
/// summary-frame field in #001 (check.py shows RigolWFM reads these rewrites the same).
fn downgrade(v3: &[u8], version: u8, endian: Endian) -> Vec<u8> {
    let mut out = v3[..154].to_vec();
    if version == 2 {
        out.extend_from_slice(&v3[154..156]);
    }
    out.extend_from_slice(&v3[156..168]);
    let mut pos = 168;
    for body in [100, 100, 76, 76] {
        out.extend_from_slice(&v3[pos..pos + body + 36]);
        let raw: [u8; 8] = v3[pos + body + 36..pos + body + 44].try_into().unwrap();
        let density = match endian {
            Endian::Little => f64::from_le_bytes(raw),
            Endian::Big => f64::from_be_bytes(raw),
        } as u32;
        out.extend(match endian {
            Endian::Little => density.to_le_bytes(),
            Endian::Big => density.to_be_bytes(),
        });
        out.extend_from_slice(&v3[pos + body + 44..pos + body + 60]);
        pos += body + 60;
    }
    out.extend_from_slice(&v3[pos..838]);
    out[2..10].copy_from_slice(format!(":WFM#00{version}").as_bytes());
    let len = out.len() as u32;
    out[16..20].copy_from_slice(&match endian {
        Endian::Little => len.to_le_bytes(),
        Endian::Big => len.to_be_bytes(),
    });
    out.extend_from_slice(&v3[838..]);
    out
}

#[test]
fn versions_one_and_two_are_read() {
    for endian in [Endian::Little, Endian::Big] {
        for (version, header) in [(1u8, 820u64), (2, 822)] {
            let bytes = downgrade(&write(&CODES, endian), version, endian);
            let layout = tek_wfm::parse_from(&bytes[..], bytes.len() as u64, "x").unwrap();
            let m = &layout.meta;
            assert_eq!(m.version, format!("WFM#00{version}"));
            assert_eq!(layout.columns[0].runs[0].offset, header);
            assert_eq!(
                (layout.x_increment, layout.x_origin),
                (Some(1e-3), Some(-0.25))
            );
            let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
            assert_eq!(v[0], expected(), "WFM#00{version} {endian:?}");
        }
    }
}

/// A file whose first bytes are `head` and the rest zeros, without storing it.
struct Sparse<'a> {
    head: &'a [u8],
}

impl ReadAt for Sparse<'_> {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = self.head.get(offset as usize + i).copied().unwrap_or(0);
        }
        Ok(())
    }
}

#[test]
fn a_two_gigabyte_file_is_one_mapped_run() {
    let samples = 1u64 << 30;
    let spec = spec(samples, Endian::Little);
    let mut head = Vec::new();
    // Creating the writer writes the header; the 2 GiB curve would follow it.
    TekWfmWriter::new(&mut head, &spec).unwrap();
    assert_eq!(head.len(), 838);
    let size = spec.file_len();
    assert_eq!(size, 838 + (2 << 30) + 8);
    let layout = tek_wfm::parse_from(&Sparse { head: &head }, size, "big").unwrap();
    assert_eq!(
        layout.columns[0].runs,
        [Run {
            offset: 838,
            samples,
            stride: 2
        }]
    );
    assert_eq!(layout.samples, samples);
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
}

#[test]
fn sizes_the_format_cannot_hold_are_refused() {
    let too_many = spec(TekWfmSpec::MAX_SAMPLES + 1, Endian::Little);
    assert!(matches!(
        TekWfmWriter::new(Vec::new(), &too_many),
        Err(WriteError::TooManySamples { .. })
    ));
    let mut w = TekWfmWriter::new(Vec::new(), &spec(2, Endian::Little)).unwrap();
    assert!(matches!(
        w.write_samples(&[1, 2, 3]),
        Err(WriteError::Count {
            written: 3,
            declared: 2
        })
    ));
    w.write_samples(&[1]).unwrap();
    assert!(matches!(
        w.finish(),
        Err(WriteError::Count {
            written: 1,
            declared: 2
        })
    ));
}

/// The writer's int16 file with its curve rewritten as `width`-byte points of format `code`.
fn reformat(code: u32, width: u8, points: &[[u8; 4]]) -> Vec<u8> {
    let mut b = write(&vec![0; points.len()], Endian::Little)[..838].to_vec();
    b[15] = width;
    b[240..244].copy_from_slice(&code.to_le_bytes());
    let bytes = (points.len() * usize::from(width)) as u32;
    for at in [826, 830, 834] {
        b[at..at + 4].copy_from_slice(&bytes.to_le_bytes());
    }
    for p in points {
        b.extend_from_slice(&p[..usize::from(width)]);
    }
    b.extend_from_slice(&[0; 8]);
    b
}

#[test]
fn int32_and_float32_curves_are_scaled_alike() {
    let ints: Vec<[u8; 4]> = [7i32, -100_000, 2_000_000_000]
        .iter()
        .map(|v| v.to_le_bytes())
        .collect();
    let floats: Vec<[u8; 4]> = [0.25f32, -3.5, 1e6]
        .iter()
        .map(|v| v.to_le_bytes())
        .collect();
    for (code, points, want) in [
        (1, ints, [2.5, -50001.0, 999_999_999.0]),
        (4, floats, [-0.875, -2.75, 499_999.0]),
    ] {
        let b = reformat(code, 4, &points);
        let layout = tek_wfm::parse_from(&b[..], b.len() as u64, "x").unwrap();
        let v = values_from(&layout, &b[..], b.len() as u64).unwrap();
        assert_eq!(v[0], want, "format {code}");
    }
}
