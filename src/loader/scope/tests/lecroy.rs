//! LeCroy .trc against lecroyparser / RigolWFM values, plus sequence and big-endian variants
//! built from the real file.

use super::materialize::values_from;
use super::util::{assert_close, bytes, parse_file, put, values};
use crate::loader::XUnit;
use crate::loader::layout::Run;
use crate::loader::layout::VendorMeta;
use crate::loader::lecroy::{self, LecroyMeta};
use crate::loader::scope::FormatError;
use crate::sample::{DType, Endian};

fn meta(layout: &crate::loader::layout::Layout<LecroyMeta>) -> &LecroyMeta {
    &layout.meta
}

#[test]
fn lecroy_2_3_with_scpi_prefix_matches_lecroyparser() {
    let layout = parse_file("lecroy_4.trc", lecroy::parse).unwrap();
    assert_eq!(layout.samples, 502);
    let column = &layout.columns[0];
    assert_eq!((column.dtype, column.endian), (DType::I16, Endian::Little));
    assert_eq!(
        column.runs,
        [Run {
            offset: 11 + 346,
            samples: 502,
            stride: 2
        }]
    );
    let v = &values(&layout, "lecroy_4.trc")[0];
    assert_eq!((v[0], v[501]), (-0.023959040641784668, 0.07203711941838264));
    assert_close(v.iter().sum(), 3.5239395275712013, 1e-12, "sum");
    assert_eq!(layout.x_increment, Some(f64::from(1e-9f32)));
    assert_eq!(layout.x_origin, Some(-1.2074500661794662e-07));
    assert_eq!(layout.x_unit, XUnit::Seconds);
    let ch = &layout.channels[0];
    assert_eq!((ch.name.as_str(), ch.unit.as_deref()), ("C2", Some("V")));
    let m = meta(&layout);
    assert_eq!((m.instrument.as_str(), m.serial), ("LECROYWR64Xi-A", 50699));
    assert_eq!(
        m.trigger_time.as_deref(),
        Some("2022-11-09 09:23:52.112417")
    );
    assert_eq!(m.time_per_div, Some(5e-8));
    assert_eq!(m.coupling, "DC 50 Ω");
}

#[test]
fn info_rows_of_a_lecroy_file() {
    let layout = parse_file("lecroy_4.trc", lecroy::parse).unwrap();
    let rows: Vec<String> = layout
        .meta
        .rows()
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    assert_eq!(
        rows,
        [
            "Format: LeCroy LECROY_2_3 (little-endian)",
            "Instrument: LECROYWR64Xi-A",
            "Serial number: 50699",
            "Source: C2",
            "Coupling: DC 50 Ω",
            "Probe: 1×",
            "Vertical scale: 1 V/div",
            "Bandwidth limit: off",
            "Conversion: value = code × 1.2499500007834285e-4 + 1 V",
            "Samples: 502 (int16, 8 nominal bits)",
            "Record type: single sweep",
            "Processing: none",
            "Sample interval: 1 ns",
            "Horizontal offset: -120.745 ns",
            "Time base: 50 ns/div",
            "Trigger time: 2022-11-09 09:23:52.112417",
            "Sweeps per acquisition: 1",
        ]
    );
}

#[test]
fn truncated_capture_names_both_sizes() {
    let err = parse_file("lecroy_1.trc", lecroy::parse).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::Truncated {
                need: 804357,
                have: 357,
                ..
            }
        ),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("804357") && text.contains("357 bytes"),
        "{text}"
    );
}

#[test]
fn lecroy_1_0_uses_vertical_offset() {
    let layout = parse_file("trace1.000", lecroy::parse).unwrap();
    let v = &values(&layout, "trace1.000")[0];
    assert_eq!(v.len(), 5002);
    assert_eq!(v[0], 0.03488769769501232);
    assert_close(v.iter().sum(), 40.33140640231068, 1e-12, "sum");
    // The descriptor's trigger level (0.013 V) lies inside the signal only with
    // VERTICAL_OFFSET (0.125 V); RigolWFM's ACQ_VERT_OFFSET (2.5 V) puts it outside.
    let (lo, hi) = v
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    assert!(lo < 0.013 && 0.013 < hi);
    let m = meta(&layout);
    assert_eq!((m.vertical_offset, m.acq_vert_offset), (0.125, 2.5));
    assert_eq!(
        (m.template.as_str(), m.trace_label.as_str()),
        ("LECROY_1_0", "Trace1")
    );
    assert_eq!(
        m.trigger_time.as_deref(),
        Some("2019-01-08 00:25:02.360000")
    );
    assert_eq!((m.time_per_div, m.volts_per_div), (Some(5e-7), Some(0.05)));
    assert_eq!(layout.channels[0].name, "C1");
    assert_eq!(layout.x_origin, Some(-1.57022420416153e-06));
}

/// lecroy_4.trc without its SCPI prefix: WAVEDESC at byte 0.
fn bare_lecroy_4() -> Vec<u8> {
    bytes("lecroy_4.trc")[11..].to_vec()
}

#[test]
fn sequence_segments_come_from_the_trigtime_array() {
    let mut b = bare_lecroy_4();
    put(&mut b, 40, &16i32.to_le_bytes()); // USER_TEXT
    put(&mut b, 48, &32i32.to_le_bytes()); // TRIGTIME_ARRAY: two entries
    put(&mut b, 144, &2i32.to_le_bytes()); // SUBARRAY_COUNT
    let mut table = b"probe on TP7\0\0\0\0".to_vec();
    for (time, offset) in [(7.0f64, -1e-7f64), (7.25, -1.1e-7)] {
        table.extend(time.to_le_bytes());
        table.extend(offset.to_le_bytes());
    }
    b.splice(346..346, table);
    let layout = lecroy::parse_from(&b[..], b.len() as u64).unwrap();
    assert_eq!(layout.columns[0].runs[0].offset, 346 + 16 + 32);
    assert_eq!(meta(&layout).user_text, "probe on TP7");
    let segs: Vec<(u64, u64, Option<f64>)> = layout
        .segments
        .iter()
        .map(|s| (s.first_sample, s.samples, s.time))
        .collect();
    assert_eq!(segs, [(0, 251, Some(0.0)), (251, 251, Some(0.25))]);
    assert_eq!(layout.x_origin, Some(-1e-7));
    assert_eq!(meta(&layout).segments, 2);
    let original = parse_file("lecroy_4.trc", lecroy::parse).unwrap();
    let want = values(&original, "lecroy_4.trc");
    assert_eq!(values_from(&layout, &b[..], b.len() as u64).unwrap(), want);
}

/// (offset, size) of every numeric field of the LECROY_2_3 WAVEDESC, as the template lists
/// them (typed from the template, not from the reader).
const FIELDS_2_3: &[(usize, usize)] = &[
    (32, 2),
    (34, 2),
    (36, 4),
    (40, 4),
    (44, 4),
    (48, 4),
    (52, 4),
    (56, 4),
    (60, 4),
    (64, 4),
    (68, 4),
    (72, 4),
    (92, 4),
    (112, 2),
    (114, 2),
    (116, 4),
    (120, 4),
    (124, 4),
    (128, 4),
    (132, 4),
    (136, 4),
    (140, 4),
    (144, 4),
    (148, 4),
    (152, 2),
    (154, 2),
    (156, 4),
    (160, 4),
    (164, 4),
    (168, 4),
    (172, 2),
    (174, 2),
    (176, 4),
    (180, 8),
    (188, 8),
    (292, 4),
    (296, 8),
    (308, 2),
    (310, 2),
    (312, 4),
    (316, 2),
    (318, 2),
    (320, 2),
    (322, 2),
    (324, 2),
    (326, 2),
    (328, 4),
    (332, 2),
    (334, 2),
    (336, 4),
    (340, 4),
    (344, 2),
];

#[test]
fn hifirst_files_read_the_same_values() {
    let mut b = bare_lecroy_4();
    for &(at, len) in FIELDS_2_3 {
        b[at..at + len].reverse();
    }
    b[34..36].copy_from_slice(&[0, 0]); // COMM_ORDER HIFIRST
    for word in b[346..].chunks_exact_mut(2) {
        word.reverse();
    }
    let layout = lecroy::parse_from(&b[..], b.len() as u64).unwrap();
    assert_eq!(layout.columns[0].endian, Endian::Big);
    let original = parse_file("lecroy_4.trc", lecroy::parse).unwrap();
    assert_eq!(
        values_from(&layout, &b[..], b.len() as u64).unwrap(),
        values(&original, "lecroy_4.trc")
    );
    assert_eq!(layout.x_origin, original.x_origin);
    assert_eq!(meta(&layout).trigger_time, meta(&original).trigger_time);
}
