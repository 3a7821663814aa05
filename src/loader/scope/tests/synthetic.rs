//! Containers built here from the documented layout, for what no fixture exercises:
//! peak detect (two buffers), logic pods, segmented memory, AG03's 64-bit sizes, the
//! MSO7000/8000 128-byte waveform header. Expected values follow from the construction.

use super::rigol::{Format, Scratch, assert_close, materialize, parse_as};
use crate::loader::scope::FormatError;

pub struct Wave<'a> {
    pub label: &'a str,
    pub wtype: u32,
    pub points: u32,
    pub dx: f64,
    pub x0: f64,
    pub time_tag: f64,
    pub segment: u32,
    /// (buffer type, bytes per point, bytes)
    pub buffers: Vec<(u16, u16, Vec<u8>)>,
}

pub fn container(magic: &[u8; 4], header_size: u32, waves: &[Wave]) -> Vec<u8> {
    let wide = &magic[2..] == b"03";
    let mut out = magic.to_vec();
    let size_at = out.len();
    if wide {
        out.extend_from_slice(&0u64.to_le_bytes());
    } else {
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    out.extend_from_slice(&(waves.len() as u32).to_le_bytes());
    for w in waves {
        let mut h = vec![0u8; header_size as usize];
        h[0..4].copy_from_slice(&header_size.to_le_bytes());
        h[4..8].copy_from_slice(&w.wtype.to_le_bytes());
        h[8..12].copy_from_slice(&(w.buffers.len() as u32).to_le_bytes());
        h[12..16].copy_from_slice(&w.points.to_le_bytes());
        h[16..20].copy_from_slice(&1u32.to_le_bytes());
        h[20..24].copy_from_slice(&((w.points as f64 * w.dx) as f32).to_le_bytes());
        h[24..32].copy_from_slice(&w.x0.to_le_bytes());
        h[32..40].copy_from_slice(&w.dx.to_le_bytes());
        h[40..48].copy_from_slice(&w.x0.to_le_bytes());
        h[48..52].copy_from_slice(&2u32.to_le_bytes());
        h[52..56].copy_from_slice(&1u32.to_le_bytes());
        h[56..66].copy_from_slice(b"2024-01-02");
        h[72..80].copy_from_slice(b"03:04:05");
        h[88..101].copy_from_slice(b"MSO-X 3034A:X");
        h[112..112 + w.label.len()].copy_from_slice(w.label.as_bytes());
        if header_size >= 140 {
            h[128..136].copy_from_slice(&w.time_tag.to_le_bytes());
            h[136..140].copy_from_slice(&w.segment.to_le_bytes());
        }
        out.extend_from_slice(&h);
        for (btype, bpp, bytes) in &w.buffers {
            let dh_size: u32 = if wide { 16 } else { 12 };
            out.extend_from_slice(&dh_size.to_le_bytes());
            out.extend_from_slice(&btype.to_le_bytes());
            out.extend_from_slice(&bpp.to_le_bytes());
            if wide {
                out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            } else {
                out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            }
            out.extend_from_slice(bytes);
        }
    }
    let len = out.len();
    if wide {
        out[size_at..size_at + 8].copy_from_slice(&(len as u64).to_le_bytes());
    } else {
        out[size_at..size_at + 4].copy_from_slice(&(len as u32).to_le_bytes());
    }
    out
}

pub fn f32s(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn analog<'a>(label: &'a str, values: &[f32], segment: u32, time_tag: f64) -> Wave<'a> {
    Wave {
        label,
        wtype: 1,
        points: values.len() as u32,
        dx: 1e-6,
        x0: -2e-6,
        time_tag,
        segment,
        buffers: vec![(1, 4, f32s(values))],
    }
}

#[test]
fn keysight_peak_detect_and_logic_pod() {
    let peak = Wave {
        label: "1",
        wtype: 2,
        points: 4,
        dx: 1e-6,
        x0: -2e-6,
        time_tag: 0.0,
        segment: 0,
        buffers: vec![
            (2, 4, f32s(&[1.0, 2.0, 3.0, 4.0])),
            (3, 4, f32s(&[-1.0, -2.0, -3.0, -4.0])),
        ],
    };
    let pod = Wave {
        label: "POD1",
        wtype: 6,
        points: 4,
        dx: 1e-6,
        x0: -2e-6,
        time_tag: 0.0,
        segment: 0,
        buffers: vec![(6, 1, vec![0b0000_0001, 0b1000_0010, 0xff, 0x00])],
    };
    let bytes = container(b"AG10", 140, &[peak, pod]);
    let file = Scratch::new("peak_pod", "bin", &bytes);
    let layout = parse_as(Format::KeysightBin, &file.0).unwrap();
    let names: Vec<&str> = layout.channels.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "CH1.max", "CH1.min", "D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7"
        ]
    );
    assert_eq!(layout.columns.len(), 3, "max, min and the pod byte");
    let v = materialize(&layout, &file.0);
    assert_eq!(v[0], [1.0, 2.0, 3.0, 4.0]);
    assert_eq!(v[1], [-1.0, -2.0, -3.0, -4.0]);
    assert_eq!(v[2], [1.0, 0.0, 1.0, 0.0], "D0");
    assert_eq!(v[3], [0.0, 1.0, 1.0, 0.0], "D1");
    assert_eq!(v[9], [0.0, 1.0, 1.0, 0.0], "D7");
    assert_eq!(layout.x_origin, Some(-2e-6));
    assert_eq!(layout.meta.model.as_deref(), Some("MSO-X 3034A"));
    assert_eq!(layout.meta.date.as_deref(), Some("2024-01-02 03:04:05"));
}

#[test]
fn keysight_segments_become_runs() {
    let waves = [
        analog("1", &[1.0, 2.0], 1, 0.0),
        analog("1", &[3.0, 4.0], 2, 1e-3),
        analog("1", &[5.0, 6.0], 3, 2.5e-3),
        analog("2", &[-1.0, -2.0], 1, 0.0),
        analog("2", &[-3.0, -4.0], 2, 1e-3),
        analog("2", &[-5.0, -6.0], 3, 2.5e-3),
    ];
    let file = Scratch::new("segments", "bin", &container(b"AG10", 140, &waves));
    let layout = parse_as(Format::KeysightBin, &file.0).unwrap();
    assert_eq!(layout.samples, 6);
    assert_eq!(layout.segments.len(), 3);
    let starts: Vec<u64> = layout.segments.iter().map(|s| s.first_sample).collect();
    assert_eq!(starts, [0, 2, 4]);
    assert_close(
        layout.segments[2].time.unwrap(),
        2.5e-3,
        1e-15,
        "segment time",
    );
    let v = materialize(&layout, &file.0);
    assert_eq!(v[0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(v[1], [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0]);
}

#[test]
fn segments_of_different_lengths_are_refused() {
    let waves = [
        analog("1", &[1.0, 2.0], 1, 0.0),
        analog("1", &[3.0, 4.0], 2, 1e-3),
        analog("2", &[1.0, 2.0], 1, 0.0),
        analog("2", &[3.0], 2, 1e-3),
    ];
    let file = Scratch::new("ragged", "bin", &container(b"AG10", 140, &waves));
    let err = parse_as(Format::KeysightBin, &file.0).unwrap_err();
    assert!(err.to_string().contains("segments of [2, 2]"), "{err}");
}

#[test]
fn ag03_wide_sizes() {
    let file = Scratch::new(
        "ag03",
        "bin",
        &container(b"AG03", 140, &[analog("1", &[0.5, 0.25], 0, 0.0)]),
    );
    let layout = parse_as(Format::KeysightBin, &file.0).unwrap();
    assert_eq!(materialize(&layout, &file.0)[0], [0.5, 0.25]);
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
}

/// MSO7000/8000: 128-byte waveform headers (no time tag); Rigol stores x origin negated.
#[test]
fn rigol_mso7000_short_header() {
    let mut a = analog("CH1", &[0.1, 0.2, 0.3], 0, 0.0);
    a.x0 = 1.5e-6;
    let mut b = analog("CH3", &[1.0, 2.0, 3.0], 0, 0.0);
    b.x0 = 1.5e-6;
    let file = Scratch::new("mso7000", "bin", &container(b"RG01", 128, &[a, b]));
    let layout = parse_as(Format::RigolBin, &file.0).unwrap();
    let names: Vec<&str> = layout.channels.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["CH1", "CH3"]);
    assert_eq!(layout.x_origin, Some(-1.5e-6));
    let v = materialize(&layout, &file.0);
    assert_eq!(v[1], [1.0, 2.0, 3.0]);
}

#[test]
fn unknown_buffer_type_is_named() {
    let mut w = analog("1", &[1.0], 0, 0.0);
    w.buffers[0].0 = 9;
    let file = Scratch::new("buftype", "bin", &container(b"AG10", 140, &[w]));
    let err = parse_as(Format::KeysightBin, &file.0).unwrap_err();
    assert!(
        matches!(&err, FormatError::Unknown { found, .. } if found.starts_with("9 ")),
        "{err}"
    );
}
