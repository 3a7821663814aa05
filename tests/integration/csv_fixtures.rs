//! The CSV parser on every real instrument export in tests/data/csv: the values in its
//! expected.json (the binary is checked on them in convert_csv.rs).

use serde_json::Value;
use tracekit::csvconv::{CsvError, CsvOptions, Report, Rows, convert, detect};

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/csv");

struct Output {
    report: Report,
    rows: Vec<Vec<f64>>,
}

fn run(data: &[u8], opts: &CsvOptions) -> Result<Output, CsvError> {
    let layout = detect(data, opts)?;
    let ch = layout.channels.len();
    let mut rows = Vec::new();
    let report = convert(data, &layout, opts, &mut |_| {}, &mut |block: Rows| {
        rows.extend(block.values.chunks_exact(ch).map(<[f64]>::to_vec));
        Ok(())
    })?;
    Ok(Output { report, rows })
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300) || (a - b).abs() < 1e-15
}

fn same_values(got: &[f64], want: &[Value], file: &str, which: &str) {
    assert_eq!(got.len(), want.len(), "{file}: {which} width");
    for (g, w) in got.iter().zip(want) {
        match num(w) {
            Some(w) => assert_eq!(*g, w, "{file}: {which} values {got:?} vs {want:?}"),
            None => assert!(g.is_nan(), "{file}: {which} expected missing, got {g}"),
        }
    }
}

#[test]
fn all_fixtures_match_expected_json() {
    let expected: Value = serde_json::from_slice(
        &std::fs::read(format!("{DIR}/expected.json")).expect("expected.json"),
    )
    .expect("valid json");
    let fixtures = expected["fixtures"].as_array().expect("fixtures array");
    assert_eq!(fixtures.len(), 27);
    let mut failures = Vec::new();
    for fx in fixtures {
        let file = fx["file"].as_str().expect("file name");
        if let Err(msg) = std::panic::catch_unwind(|| check_fixture(file, fx)) {
            let text = msg
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| msg.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{file}: {text}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_fixture(file: &str, fx: &Value) {
    let data = std::fs::read(format!("{DIR}/{file}")).expect("fixture readable");
    let n = fx["n_samples"].as_u64().expect("n_samples");
    let nch = fx["n_channels"].as_u64().expect("n_channels") as usize;
    let names: Vec<&str> = fx["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .map(|v| v.as_str().expect("name"))
        .collect();
    let rate = num(&fx["sample_rate_hz"]);
    let opts = CsvOptions::default();
    let out = match rate {
        Some(_) => run(&data, &opts).unwrap_or_else(|e| panic!("{file}: {e}")),
        None => {
            // Event export: refused without a rate, expanded with one.
            let err = run(&data, &opts)
                .err()
                .unwrap_or_else(|| panic!("{file}: events accepted without a rate"));
            assert!(
                matches!(err, CsvError::EventsNeedRate { .. }),
                "{file}: {err}"
            );
            let with_rate = CsvOptions {
                sample_rate: Some(1e8),
                ..CsvOptions::default()
            };
            run(&data, &with_rate).unwrap_or_else(|e| panic!("{file}: {e}"))
        }
    };
    let r = &out.report;
    assert_eq!(r.rows, n, "{file}: rows");
    assert_eq!(r.channels, nch, "{file}: channels");
    assert_eq!(r.names, names, "{file}: names");
    let first = out.rows.first().expect("some rows");
    let last = out.rows.last().expect("some rows");
    same_values(
        first,
        fx["first_values"].as_array().expect("first"),
        file,
        "first",
    );
    same_values(
        last,
        fx["last_values"].as_array().expect("last"),
        file,
        "last",
    );
    let missing = fx["missing_cells"].as_u64().expect("missing");
    assert_eq!(
        r.nan_counts.iter().sum::<u64>(),
        missing,
        "{file}: NaN count"
    );
    match rate {
        Some(want) => {
            assert_eq!(out.rows.len() as u64, n, "{file}: delivered rows");
            let got = r.sample_rate.unwrap_or_else(|| panic!("{file}: no rate"));
            assert!(
                close(got, want, 1e-6),
                "{file}: rate {got} vs {want} ({})",
                r.rate_source
            );
        }
        None => {
            let (t0, t1) = (
                num(&fx["t_first_s"]).expect("t0"),
                num(&fx["t_last_s"]).expect("t1"),
            );
            let want = ((t1 - t0) * 1e8 - 1e-6).ceil() as u64 + 1;
            assert_eq!(r.samples, want, "{file}: expanded samples");
            assert_eq!(out.rows.len() as u64, want, "{file}: delivered samples");
        }
    }
    match num(&fx["t_first_s"]) {
        Some(t0) => {
            let got = r.t0.unwrap_or_else(|| panic!("{file}: no t0"));
            assert!(close(got, t0, 1e-9), "{file}: t0 {got} vs {t0}");
            let t1 = num(&fx["t_last_s"]).expect("t_last");
            let got = r.t_last.unwrap_or_else(|| panic!("{file}: no t_last"));
            assert!(close(got, t1, 1e-9), "{file}: t_last {got} vs {t1}");
        }
        None => assert_eq!(r.t0, None, "{file}: t0 should be unknown"),
    }
    // Units: where the fixture gives a plain unit, it must be found.
    if let Some(units) = fx["units"].as_object() {
        for (name, unit) in names.iter().zip(&r.units) {
            let key = units
                .keys()
                .find(|k| name.starts_with(k.as_str()) && *k != "time");
            if let Some(w) = key
                .and_then(|k| units[k].as_str())
                .filter(|w| matches!(*w, "V" | "mV"))
            {
                assert_eq!(unit.as_deref(), Some(w), "{file}: unit of {name}");
            }
        }
    }
}
