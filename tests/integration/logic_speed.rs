//! Statistics of logic lines counted from the stored words (not sample by sample) give the
//! values the per-sample path gave: `tests/data/logic/stats_expected.json` holds the
//! `stats --json` channels written by tracekit before the counting path existed, for .sr
//! sessions (u8 and u16 words) and VCDs (one u16 column of lines; 48 u64 columns of lines
//! and vectors mixed), and every chunk size must give them bit for bit.

use crate::util::Workdir;
use serde_json::Value;

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn logic_line_stats_are_the_per_sample_values_at_every_chunk() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(data("logic/stats_expected.json")).unwrap())
            .unwrap();
    let w = Workdir::new();
    let cases = [
        ("protocols/spi/16bit_spi.sr", &["1", "7", "1M"][..]),
        (
            "sigrok/nmea2000_fuel_flow_gps_snippet.sr",
            &["7", "4096", "1M"],
        ),
        ("logic/misc_vcd_vectors-integers.vcd", &["1", "7", "1M"]),
        (
            "logic/spi_spiflash_read16_chronovu_la16_chronovu_la16_spiflash_read16.vcd",
            &["4096", "1M"],
        ),
    ];
    for (file, chunks) in cases {
        let want = &expected[file];
        assert!(want.as_array().is_some_and(|a| !a.is_empty()), "{file}");
        for chunk in chunks {
            let got = w.json(&["stats", &data(file), "--json", "--chunk", chunk]);
            assert_eq!(&got["channels"], want, "{file} --chunk {chunk}");
        }
    }
}
