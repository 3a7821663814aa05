//! The layout adapter's frame sources give the same values whatever the chunk size: one
//! memory-mapped interleaved run (DS1054Z lanes, one Tek curve), gathered planar channels
//! (DS1204B), several runs per column (FastFrame), strided runs with gaps (R&S XY), columns
//! widened to one type with logic bits as their own columns (a synthetic Keysight file).

use super::rigol::Scratch;
use super::synthetic::{Wave, container, f32s};
use super::util::{data, file_values};

#[test]
fn every_layout_reads_the_same_in_any_chunking() {
    let waves = [
        Wave {
            label: "1",
            wtype: 1,
            points: 9,
            dx: 1e-6,
            x0: 0.0,
            time_tag: 0.0,
            segment: 0,
            buffers: vec![(1, 4, f32s(&[0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]))],
        },
        Wave {
            label: "POD1",
            wtype: 6,
            points: 9,
            dx: 1e-6,
            x0: 0.0,
            time_tag: 0.0,
            segment: 0,
            buffers: vec![(6, 1, vec![1, 2, 4, 8, 16, 32, 64, 128, 255])],
        },
    ];
    let mixed = Scratch::new("mixed", "bin", &container(b"AG10", 140, &waves));
    let files = [
        data("DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm"),
        data("tmdt_analog_waveform.wfm"),
        data("DS1204B-A.wfm"),
        data("sample_ff1.wfm"),
        data("rs_rtp_04.bin"),
        mixed.0.clone(),
    ];
    for path in &files {
        let whole = file_values(path, usize::MAX >> 8);
        for chunk in [1, 7, 4096] {
            assert_eq!(
                file_values(path, chunk),
                whole,
                "{} chunk {chunk}",
                path.display()
            );
        }
    }
    let v = file_values(&mixed.0, 3);
    assert_eq!(v[0], [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
    assert_eq!(v[1], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], "D0");
    assert_eq!(v[8], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], "D7");
}
