//! Rohde & Schwarz pairs against the scope's CSV export, opened by either name, and the
//! integer conversion against the user manual's worked examples.

use super::materialize::values_from;
use super::util::{assert_close, bytes, data, parse_file, printed_equal, values};
use crate::loader::layout::Run;
use crate::loader::rs_bin;
use crate::sample::DType;
use std::path::PathBuf;

fn csv(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(data(name))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn float_export_equals_the_csv_by_either_name() {
    let rows = csv("rs_rtp_01.Wfm.csv");
    for (opened, data_file) in [
        ("rs_rtp_01.bin", Some(PathBuf::from("rs_rtp_01.Wfm.bin"))),
        ("rs_rtp_01.Wfm.bin", None),
    ] {
        let layout = parse_file(opened, rs_bin::parse).unwrap();
        assert_eq!(layout.data_file, data_file);
        // 38 settling points (4 bytes each) after the 8-byte header are left out.
        assert_eq!(
            layout.columns[0].runs,
            [Run {
                offset: 8 + 38 * 4,
                samples: 4000,
                stride: 4
            }]
        );
        assert_eq!(layout.columns[0].dtype, DType::F32);
        assert_eq!(
            (layout.x_origin, layout.x_increment),
            (Some(-0.0025), Some(1.25e-6))
        );
        let v = &values(&layout, opened)[0];
        assert_eq!(v.len(), rows.len());
        for (i, (x, row)) in v.iter().zip(&rows).enumerate() {
            assert!(
                printed_equal(*x, &row[0], 0.0),
                "row {i}: {x} vs {}",
                row[0]
            );
        }
        assert_eq!((v[0], v[3999]), (-0.03162055462598801, 1.0276679992675781));
        assert_close(v.iter().sum(), 2026.0553944446146, 1e-12, "sum");
        assert_eq!(layout.channels[0].name, "CH1_TR1");
        assert_eq!(layout.channels[0].unit.as_deref(), Some("V"));
    }
}

#[test]
fn xy_export_skips_the_times_and_equals_the_csv() {
    let layout = parse_file("rs_rtp_04.bin", rs_bin::parse).unwrap();
    assert_eq!(
        layout.columns[0].runs,
        [Run {
            offset: 8 + 52 * 12 + 8,
            samples: 4000,
            stride: 12
        }]
    );
    let (t0, dt) = (layout.x_origin.unwrap(), layout.x_increment.unwrap());
    assert_eq!((t0, dt), (-5.24e-08, 2.5e-11));
    let rows = csv("rs_rtp_04.Wfm.csv");
    let v = &values(&layout, "rs_rtp_04.bin")[0];
    let noise = 8.0 * f64::EPSILON * 6e-8;
    for (i, (x, row)) in v.iter().zip(&rows).enumerate() {
        assert!(
            printed_equal(*x, &row[1], 0.0),
            "row {i}: {x} vs {}",
            row[1]
        );
        let t = t0 + i as f64 * dt;
        assert!(
            printed_equal(t, &row[0], noise),
            "row {i}: {t:e} vs {}",
            row[0]
        );
    }
    assert_eq!(v.len(), 4000);
    assert_close(v.iter().sum(), -3.082179207354784, 1e-12, "sum");
    let m = &layout.meta;
    assert_eq!(m.signal_format, "XYDOUBLEFLOAT");
    assert_eq!(m.channels[0].vertical_offset, -0.039);
}

/// The rs_rtp_01 header with some properties' values replaced.
fn edited_xml(edits: &[(&str, &str)]) -> String {
    let mut xml = String::from_utf8(bytes("rs_rtp_01.bin")).unwrap();
    for (name, value) in edits {
        let key = format!("Name=\"{name}\"");
        let at = xml.find(&key).unwrap_or_else(|| panic!("no {name}"));
        let start = at + xml[at..].find("Value=\"").unwrap() + 7;
        let end = start + xml[start..].find('"').unwrap();
        xml.replace_range(start..end, value);
    }
    xml
}

fn data_file(code: u32, record: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = code.to_le_bytes().to_vec();
    b.extend(record.to_le_bytes());
    b.extend_from_slice(payload);
    b
}

#[test]
fn integer_codes_follow_the_manuals_examples() {
    // User manual, "Data conversion": INT8, 110 mV/div, position 1 div, offset 50 mV,
    // 253 levels, 10 divisions: code 13 is -3.478260869559 mV.
    let xml = edited_xml(&[
        ("SignalFormat", "eRS_SIGNAL_FORMAT_INT8BIT"),
        ("VerticalScale", "0.11"),
        ("VerticalPosition", "1"),
        ("VerticalOffset", "0.05"),
        ("NofQuantisationLevels", "253"),
        ("SignalHardwareRecordLength", "4070"),
    ]);
    let mut payload = vec![0u8; 4070];
    payload[38] = 13;
    let d = data_file(0, 4070, &payload);
    let layout = rs_bin::parse_pair(xml.as_bytes(), &d[..], d.len() as u64, None).unwrap();
    let v = &values_from(&layout, &d[..], d.len() as u64).unwrap()[0];
    assert!((v[0] - -0.003478260869559).abs() < 1e-14, "{}", v[0]);
    // INT16, 50 mV/div, no offset, 253 × 256 levels, code -61. The manual prints a factor of
    // 0.0000771986 and -4.7091146 mV, but its own formula gives 0.05 × 10 / 64768 = 7.71986e-6,
    // so -61 × that = -0.470911561 mV (the printed example slips a decimal place).
    let xml = edited_xml(&[
        ("SignalFormat", "eRS_SIGNAL_FORMAT_INT16BIT"),
        ("VerticalScale", "0.05"),
        ("NofQuantisationLevels", "64768"),
    ]);
    let mut payload = vec![0u8; 2 * 4070];
    payload[76..78].copy_from_slice(&(-61i16).to_le_bytes());
    let d = data_file(1, 4070, &payload);
    let layout = rs_bin::parse_pair(xml.as_bytes(), &d[..], d.len() as u64, None).unwrap();
    assert_eq!(layout.columns[0].dtype, DType::I16);
    let v = &values_from(&layout, &d[..], d.len() as u64).unwrap()[0];
    assert!((v[0] - -0.000470911561264822).abs() < 1e-17, "{}", v[0]);
}

#[test]
fn multi_channel_exports_interleave_the_enabled_channels() {
    let mut xml = edited_xml(&[("MultiChannelExport", "eRS_ONOFF_ON")]);
    xml = xml.replace(
        "Name=\"MultiChannelExportState\" Version=\"2\" Size=\"4\" I_0=\"eRS_ONOFF_OFF\" I_1=\"eRS_ONOFF_OFF\" I_2=\"eRS_ONOFF_OFF\"",
        "Name=\"MultiChannelExportState\" Version=\"2\" Size=\"4\" I_0=\"eRS_ONOFF_ON\" I_1=\"eRS_ONOFF_OFF\" I_2=\"eRS_ONOFF_ON\"",
    );
    xml = xml.replace(
        "Name=\"MultiChannelSource\" Version=\"2\" Size=\"4\" I_0=\"eRS_SIGNAL_SOURCE_NONE\" I_1=\"eRS_SIGNAL_SOURCE_NONE\" I_2=\"eRS_SIGNAL_SOURCE_NONE\"",
        "Name=\"MultiChannelSource\" Version=\"2\" Size=\"4\" I_0=\"eRS_SIGNAL_SOURCE_C1W1\" I_1=\"eRS_SIGNAL_SOURCE_NONE\" I_2=\"eRS_SIGNAL_SOURCE_C3W1\"",
    );
    let payload: Vec<u8> = (0..4070)
        .flat_map(|i| [i as f32, -(i as f32)])
        .flat_map(f32::to_le_bytes)
        .collect();
    let d = data_file(4, 4070, &payload);
    let layout = rs_bin::parse_pair(xml.as_bytes(), &d[..], d.len() as u64, None).unwrap();
    let names: Vec<&str> = layout.channels.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["C1W1", "C3W1"]);
    assert_eq!(layout.columns[1].runs[0].offset, 8 + 38 * 8 + 4);
    let v = values_from(&layout, &d[..], d.len() as u64).unwrap();
    assert_eq!((v[0][0], v[1][0], v[1][3999]), (38.0, -38.0, -4037.0));
}
