//! Tektronix ISF: the MDO frequency-domain fixture, and preambles in both key spellings.

use super::materialize::values_from;
use super::util::{assert_close, parse_file, values};
use crate::loader::XUnit;
use crate::loader::layout::Run;
use crate::loader::tek_isf;
use crate::sample::{DType, Endian};

#[test]
fn frequency_domain_record_has_hertz_on_its_x_axis() {
    let layout = parse_file("tek0003NRM_rf_freqdomain.isf", tek_isf::parse).unwrap();
    assert_eq!(layout.x_unit, XUnit::Hertz);
    assert_eq!(layout.x_increment, Some(3e6));
    assert_eq!(layout.x_origin, Some(0.0));
    assert_eq!(layout.samples, 1001);
    let column = &layout.columns[0];
    assert_eq!((column.dtype, column.endian), (DType::F32, Endian::Big));
    assert_eq!(
        column.runs,
        [Run {
            offset: 531,
            samples: 1001,
            stride: 4
        }]
    );
    let ch = &layout.channels[0];
    assert_eq!(ch.name, "RF_NORMAL");
    assert_eq!(ch.unit.as_deref(), Some("W"));
    // Reference: numpy over the same bytes with YZERO + YMULT·(code − YOFF) (check.py).
    let v = &values(&layout, "tek0003NRM_rf_freqdomain.isf")[0];
    assert_eq!(
        (v[0], v[1000]),
        (3.037859547250221e-11, 2.836774426473454e-10)
    );
    assert_eq!(v.iter().cloned().fold(0.0, f64::max), 8.337967187799222e-07);
    assert_close(v.iter().sum(), 2.3495456115507456e-06, 1e-12, "sum");
    let m = &layout.meta;
    assert!(
        m.waveform_id
            .starts_with("RF_NORMAL, unknown coupling, 10.00W/div")
    );
    assert!(m.other.contains(&("DOMAIN".into(), "FREQUENCY".into())));
    assert!(
        m.other
            .contains(&("CENTERFREQUENCY".into(), "1.5000E+9".into()))
    );
}

fn isf(preamble: &str, curve: &[u8]) -> Vec<u8> {
    let mut bytes = preamble.as_bytes().to_vec();
    bytes.extend_from_slice(curve);
    bytes
}

#[test]
fn short_keys_lsb_signed_words() {
    let codes: Vec<u8> = [10i16, 12, -2, 300]
        .iter()
        .flat_map(|c| c.to_le_bytes())
        .collect();
    let bytes = isf(
        ":WFMO:BYT_N 2;BIT_N 16;ENC BIN;BN_F RI;BYT_O LSB;NR_P 4;WFI \"Ch1, DC; #1 \";PT_F Y;\
         XUN \"s\";XIN 1.0E-3;XZE -2.0E-3;PT_O 1;YUN \"V\";YMU 0.5;YOF 10;YZE 1.0;:CURV #18",
        &codes,
    );
    let layout = tek_isf::parse_from(&bytes[..], bytes.len() as u64, "file").unwrap();
    assert_eq!(layout.channels[0].name, "Ch1");
    assert_eq!(layout.columns[0].endian, Endian::Little);
    assert_eq!(layout.x_origin, Some(-3e-3));
    assert_eq!(layout.x_unit, XUnit::Seconds);
    let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
    assert_eq!(v[0], [1.0, 2.0, -5.0, 146.0]);
}

#[test]
fn long_keys_unsigned_bytes_in_frames() {
    let bytes = isf(
        ":WFMPRE:BYT_NR 1;BIT_NR 8;ENCDG BINARY;BN_FMT RP;BYT_OR MSB;NR_PT 3;NR_FR 2;\
         WFID \"Ch2, AC coupling\";PT_FMT Y;XUNIT \"s\";XINCR 2.0E-9;XZERO 0;PT_OFF 0;\
         YUNIT \"V\";YMULT 0.25;YOFF 128;YZERO 0;:CURVE #16",
        &[128, 129, 255, 0, 1, 2],
    );
    let layout = tek_isf::parse_from(&bytes[..], bytes.len() as u64, "file").unwrap();
    assert_eq!(layout.columns[0].dtype, DType::U8);
    assert_eq!(layout.samples, 6);
    assert_eq!(layout.segments.len(), 2);
    assert_eq!(layout.segments[1].first_sample, 3);
    let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
    assert_eq!(v[0], [0.0, 0.25, 31.75, -32.0, -31.75, -31.5]);
}

#[test]
fn eight_byte_floats_and_an_indefinite_block() {
    let curve: Vec<u8> = [1.5f64, -2.25]
        .iter()
        .flat_map(|x| x.to_be_bytes())
        .collect();
    let bytes = isf(
        "WFMPRE:BYT_NR 8;BN_FMT FP;BYT_OR MSB;NR_PT 2;YMULT 2;YOFF 0;YZERO 0;XINCR 1;CURVE #0",
        &curve,
    );
    let layout = tek_isf::parse_from(&bytes[..], bytes.len() as u64, "x").unwrap();
    assert_eq!(layout.columns[0].dtype, DType::F64);
    assert_eq!(layout.channels[0].name, "x");
    let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
    assert_eq!(v[0], [3.0, -4.5]);
}

#[test]
fn missing_defaults_are_warned_and_extra_block_bytes_ignored() {
    let bytes = isf(
        ":WFMPRE:BYT_NR 4;NR_PT 1;XINCR 1;:CURVE #18",
        &[0, 0, 0, 7, 9, 9, 9, 9],
    );
    let layout = tek_isf::parse_from(&bytes[..], bytes.len() as u64, "x").unwrap();
    assert_eq!(layout.columns[0].dtype, DType::I32);
    assert_eq!(layout.warnings.len(), 3, "{:?}", layout.warnings);
    assert!(layout.warnings[2].contains("4 more than NR_PT × BYT_NR"));
    let v = values_from(&layout, &bytes[..], bytes.len() as u64).unwrap();
    assert_eq!(v[0], [7.0]);
}
