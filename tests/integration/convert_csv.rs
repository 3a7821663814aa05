//! `tracekit convert-csv` through the binary: every instrument fixture, the dialect
//! features, overrides, errors, the f32/f64 choice and the metadata `info` reads back.

use crate::csv_fixtures::DIR;
use crate::util::{Workdir, read_npy_f64, write};
use serde_json::Value;

fn fixtures() -> Vec<Value> {
    let text = std::fs::read(format!("{DIR}/expected.json")).expect("expected.json");
    let v: Value = serde_json::from_slice(&text).expect("json");
    v["fixtures"].as_array().expect("fixtures").clone()
}

/// `want` as the output type stores it (NaN for a missing value).
fn stored(want: &Value, descr: &str) -> f64 {
    match want.as_f64() {
        Some(v) if descr == "<f4" => f64::from(v as f32),
        Some(v) => v,
        None => f64::NAN,
    }
}

fn same(got: &[f64], want: &[Value], descr: &str, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (g, w) in got.iter().zip(want) {
        let w = stored(w, descr);
        assert!(
            g == &w || (g.is_nan() && w.is_nan()),
            "{what}: {got:?} vs {want:?}"
        );
    }
}

#[test]
fn every_fixture_converts_to_its_expected_values() {
    let w = Workdir::new();
    for fx in fixtures() {
        let file = fx["file"].as_str().expect("name");
        let input = format!("{DIR}/{file}");
        let out = w.path(&format!("{file}.npy"));
        let out_s = out.to_str().expect("utf-8 path");
        let n = fx["n_samples"].as_u64().expect("n");
        let nch = fx["n_channels"].as_u64().expect("channels");
        let rate = fx["sample_rate_hz"].as_f64();
        let mut args = vec!["convert-csv", &input, "-o", out_s, "--json"];
        let samples = match rate {
            Some(_) => n,
            None => {
                // Event export: refused without a rate, naming -r; expanded with one.
                let e = w.error(&["convert-csv", &input, "-o", out_s]);
                assert!(e.contains("-r") && e.contains(file), "{file}: {e}");
                assert!(!out.exists(), "{file}: output left behind");
                args.extend(["-r", "100M"]);
                let (t0, t1) = (fx["t_first_s"].as_f64(), fx["t_last_s"].as_f64());
                let span = t1.expect("t_last") - t0.expect("t0");
                (span * 1e8 - 1e-6).ceil() as u64 + 1
            }
        };
        let report = w.json(&args);
        assert_eq!(report["rows"], n, "{file}: rows");
        let (shape, values, header) = read_npy_f64(&out);
        let want_shape = if nch == 1 {
            vec![samples]
        } else {
            vec![samples, nch]
        };
        assert_eq!(shape, want_shape, "{file}: shape");
        let descr = if header.contains("'<f4'") {
            "<f4"
        } else {
            "<f8"
        };
        assert_eq!(
            report["dtype"],
            if descr == "<f4" { "float32" } else { "float64" }
        );
        let row = nch as usize;
        same(
            &values[..row],
            fx["first_values"].as_array().expect("first"),
            descr,
            file,
        );
        let last = &values[values.len() - row..];
        same(
            last,
            fx["last_values"].as_array().expect("last"),
            descr,
            file,
        );
        let got_rate = report["sample_rate"].as_f64().expect("a rate");
        let want_rate = rate.unwrap_or(1e8);
        assert!(
            ((got_rate - want_rate) / want_rate).abs() < 1e-6,
            "{file}: rate {got_rate}"
        );
        assert!(
            header.contains("# tracekit {\"sample_rate\":"),
            "{file}: {header}"
        );
    }
}

#[test]
fn info_reads_the_rate_and_t0_back() {
    let w = Workdir::new();
    let input = format!("{DIR}/rigol_ds1054z_DS1054Z-A.csv");
    w.stdout(&["convert-csv", "-q", &input, "-o", "r.npy"]);
    let v = w.json(&["info", "--json", "r.npy"]);
    let rate = v["sample_rate"].as_f64().unwrap();
    assert!((rate - 2e9).abs() <= 1e-6 * 2e9, "rate {rate}");
    assert_eq!(v["shape"], serde_json::json!([1200, 4]));
    assert_eq!(v["dtype"], "float32");
    // Rigol: Start -3e-7 s at sequence 0 → t0 = -300 ns.
    let out = w.stdout(&["info", "r.npy"]);
    assert!(out.contains("-300 ns"), "{out}");
}

#[test]
fn semicolon_decimal_comma_and_default_output_name() {
    let w = Workdir::new();
    write(
        &w.path("m.csv"),
        b"Zeit;Kanal 1;Kanal 2\n(ms);(V);(V)\n0,000;1,5;-2,25\n0,010;2,5;3,75\n0,020;3,5;4,75\n",
    );
    let out = w.cmd(&["convert-csv", "m.csv"]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "stdout stays clean without --json");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("delimiter \";\", decimal \",\""), "{err}");
    assert!(err.contains("100 kHz"), "{err}");
    let (shape, v, _) = read_npy_f64(&w.path("m.npy"));
    assert_eq!(shape, [3, 2]);
    assert_eq!(v, [1.5, -2.25, 2.5, 3.75, 3.5, 4.75]);
}

#[test]
fn overrides_pick_columns_by_number_and_name() {
    let w = Workdir::new();
    write(
        &w.path("o.csv"),
        b"junk line\nt,a,b\n0,1,10\n1,2,20\n2,3,30\n",
    );
    // Column 3 is b, column 2 is a (1-based, as in messages).
    let r = w.json(&[
        "convert-csv",
        "o.csv",
        "--column",
        "3",
        "--column",
        "a",
        "--json",
    ]);
    assert_eq!(r["channels"], serde_json::json!(["b", "a"]));
    let (_, v, _) = read_npy_f64(&w.path("o.npy"));
    assert_eq!(v, [10.0, 1.0, 20.0, 2.0, 30.0, 3.0]);
    let r = w.json(&["convert-csv", "o.csv", "--time-column", "none", "--json"]);
    assert_eq!(
        (r["shape"].clone(), r["sample_rate"].clone()),
        (serde_json::json!([3, 3]), Value::Null)
    );
    let r = w.json(&[
        "convert-csv",
        "o.csv",
        "--skip-rows",
        "3",
        "-r",
        "5",
        "--json",
    ]);
    assert_eq!(r["rows"], 2);
    assert_eq!(r["sample_rate"], 5.0);
    let e = w.error(&["convert-csv", "o.csv", "--column", "7"]);
    assert!(
        e.contains("o.csv") && e.contains("column 7 is out of range"),
        "{e}"
    );
    let e = w.error(&["convert-csv", "o.csv", "--column", "zz"]);
    assert!(
        e.contains("no column named \"zz\"") && e.contains("2 \"a\""),
        "{e}"
    );
    let out = w
        .cmd(&["convert-csv", "o.csv", "--column", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "column 0 is a usage error");
    write(&w.path("p.csv"), b"t|v\n0|1,5\n1|2,5\n");
    let r = w.json(&[
        "convert-csv",
        "p.csv",
        "--delimiter",
        "|",
        "--decimal",
        ",",
        "--json",
    ]);
    assert_eq!(r["rows"], 2);
    let (_, v, _) = read_npy_f64(&w.path("p.npy"));
    assert_eq!(v, [1.5, 2.5]);
}

#[test]
fn bad_cell_names_file_line_column_text_and_leaves_no_file() {
    let w = Workdir::new();
    write(&w.path("bad.csv"), b"t,a,b\n0,1,2\n1,2,3\n2,3,oops\n");
    let e = w.error(&["convert-csv", "bad.csv", "-o", "bad.npy"]);
    assert_eq!(
        e,
        "tracekit: error: bad.csv: line 4, column 3: not a number: \"oops\""
    );
    let e = w.error(&["convert-csv", "bad.csv", "--json"]);
    assert!(e.contains("line 4"), "{e}");
    let left: Vec<_> = std::fs::read_dir(w.dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "only the input remains: {left:?}");
    let r = w.json(&["convert-csv", "bad.csv", "--on-error", "nan", "--json"]);
    assert_eq!(r["bad_cells"], 1);
    let r = w.json(&["convert-csv", "bad.csv", "--on-error", "skip", "--json"]);
    assert_eq!(
        (r["rows"].clone(), r["skipped_rows"].clone()),
        (2.into(), 1.into())
    );
    write(&w.path("short.csv"), b"t,a,b\n0,1,2\n1,2\n");
    let e = w.error(&["convert-csv", "short.csv"]);
    assert!(
        e.contains("short.csv: line 3: expected 3 fields, got 2"),
        "{e}"
    );
}

#[test]
fn empty_header_only_stdout_and_overwrite_are_refused() {
    let w = Workdir::new();
    write(&w.path("e.csv"), b"");
    assert!(
        w.error(&["convert-csv", "e.csv"])
            .contains("e.csv: the file is empty")
    );
    write(&w.path("h.csv"), b"time,a,b\nsecond,Volt,Volt\n");
    let e = w.error(&["convert-csv", "h.csv"]);
    assert!(e.contains("h.csv: no data rows"), "{e}");
    write(&w.path("x.csv"), b"t,a\n0,1\n1,2\n");
    assert!(
        w.error(&["convert-csv", "x.csv", "-o", "-"])
            .contains("stdout")
    );
    assert!(
        w.error(&["convert-csv", "x.csv", "-o", "x.csv"])
            .contains("refusing")
    );
    assert!(
        w.error(&["convert-csv", "missing.csv"])
            .contains("missing.csv")
    );
    assert_eq!(
        std::fs::read(w.path("x.csv")).expect("input"),
        b"t,a\n0,1\n1,2\n"
    );
}

#[test]
fn f64_only_when_a_value_needs_it() {
    let w = Workdir::new();
    write(&w.path("s.csv"), b"t,a\n0,0.5\n1,-1.25\n2,9.999999\n");
    assert_eq!(
        w.json(&["convert-csv", "s.csv", "--json"])["dtype"],
        "float32"
    );
    // The last of 800k rows (past the first 8 MB parse block, so f32 rows were already
    // written) needs f64: the run restarts in f64 and every value is exact.
    let mut text = String::from("t,a\n");
    for i in 0..800_000 {
        text.push_str(&format!("{i},{}.25\n", i % 1000));
    }
    text.push_str("800000,0.123456789\n");
    write(&w.path("late.csv"), text.as_bytes());
    let r = w.json(&["convert-csv", "late.csv", "--json"]);
    assert_eq!(r["dtype"], "float64");
    let (shape, v, _) = read_npy_f64(&w.path("late.npy"));
    assert_eq!(shape, [800_001]);
    assert_eq!((v[1], v[999], v[800_000]), (1.25, 999.25, 0.123456789));
    // --dtype f32 is obeyed, with a warning that values were rounded.
    let out = w
        .cmd(&["convert-csv", "late.csv", "--dtype", "f32"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.contains("f32 rounds"), "{err}");
    assert!(read_npy_f64(&w.path("late.npy")).2.contains("'<f4'"));
}

#[test]
fn blank_line_inside_the_data_loses_no_row() {
    let w = Workdir::new();
    write(&w.path("g.csv"), b"t,a\n0,1\n1,2\n\n2,3\n3,4\n");
    let r = w.json(&["convert-csv", "g.csv", "--json"]);
    assert_eq!(r["rows"], 4);
    assert_eq!(r["blank_lines"], 1);
    let warned = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|s| s.contains("empty line")));
    assert!(warned, "{r}");
    assert_eq!(read_npy_f64(&w.path("g.npy")).1, [1.0, 2.0, 3.0, 4.0]);
}

#[test]
fn bom_crlf_no_final_newline_and_non_uniform_time() {
    let w = Workdir::new();
    write(
        &w.path("b.csv"),
        b"\xEF\xBB\xBFtime,x\r\n0,1\r\n1,2\r\n2,3\r\n4,4",
    );
    let r = w.json(&["convert-csv", "b.csv", "--json"]);
    assert_eq!(
        (r["bom"].clone(), r["crlf"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(r["rows"], 4);
    assert_eq!(r["sample_rate"], 1.0, "median step 1 s");
    let warned = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|s| s.contains("not uniform")));
    assert!(warned, "{r}");
}
