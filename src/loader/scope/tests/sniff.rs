//! Each fixture is recognised by its own format's magic bytes, and by no other format in
//! the registry; R&S data files by their compound extension.

use super::util::bytes;
use crate::loader::{FORMATS, Sniff};

#[test]
fn every_fixture_is_claimed_by_exactly_its_format() {
    let cases = [
        ("tmdt_analog_waveform.wfm", "wfm", "tek-wfm"),
        ("sample_ff1.wfm", "wfm", "tek-wfm"),
        ("tmdt_digital_waveform.wfm", "wfm", "tek-wfm"),
        ("tek0003NRM_rf_freqdomain.isf", "isf", "tek-isf"),
        ("lecroy_1.trc", "trc", "lecroy-trc"),
        ("lecroy_4.trc", "trc", "lecroy-trc"),
        ("trace1.000", "000", "lecroy-trc"),
        ("rs_rtp_01.bin", "bin", "rs-bin"),
        ("DS1000E-A.wfm", "wfm", "rigol-wfm"),
        ("DS1204B-A.wfm", "wfm", "rigol-wfm"),
        (
            "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm",
            "wfm",
            "rigol-wfm",
        ),
        ("DS2072A-5.wfm", "wfm", "rigol-wfm"),
        ("DS4022-A.wfm", "wfm", "rigol-wfm"),
        ("DHO1074.wfm", "wfm", "rigol-wfm"),
        ("DHO1074.bin", "bin", "rigol-bin"),
        ("MSO5000-A.bin", "bin", "rigol-bin"),
        ("agilent_3.bin", "bin", "keysight-bin"),
        ("agilent_mso7034a_scope_28.bin", "bin", "keysight-bin"),
    ];
    for (file, ext, owner) in cases {
        let b = bytes(file);
        let head = &b[..b.len().min(64 << 10)];
        let claimed: Vec<&str> = FORMATS
            .iter()
            .filter(|f| f.sniff(head, ext) == Sniff::Magic)
            .map(|f| f.name())
            .collect();
        assert_eq!(claimed, [owner], "{file}");
    }
    // The data half of an R&S pair has no magic: its compound extension names it.
    let b = bytes("rs_rtp_04.Wfm.bin");
    let by_extension: Vec<&str> = FORMATS
        .iter()
        .filter(|f| f.sniff(&b, "wfm.bin") != Sniff::No)
        .map(|f| f.name())
        .collect();
    assert_eq!(by_extension, ["rs-bin"]);
    // A Rigol .wfm shares the extension but not the magic.
    let tek = FORMATS.iter().find(|f| f.name() == "tek-wfm").unwrap();
    assert_eq!(tek.sniff(b"\xa5\xa5\x38\x00rest", "wfm"), Sniff::Extension);
}
