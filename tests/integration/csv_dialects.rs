//! The CSV parser on generated inputs, one per dialect feature, with hand-computed answers.

use tracekit::csvconv::{
    ColumnSel, CsvError, CsvOptions, OnError, Report, Rows, TimeColumnSel, convert, detect,
};

fn run_opts(text: &[u8], opts: &CsvOptions) -> Result<(Report, Vec<f64>), CsvError> {
    let layout = detect(text, opts)?;
    let mut values = Vec::new();
    let report = convert(text, &layout, opts, &mut |_| {}, &mut |b: Rows| {
        values.extend_from_slice(b.values);
        Ok(())
    })?;
    Ok((report, values))
}

fn run(text: &[u8]) -> (Report, Vec<f64>) {
    run_opts(text, &CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &[u8], opts: &CsvOptions) -> CsvError {
    match run_opts(text, opts) {
        Ok((r, _)) => panic!("expected an error, got {r:?}"),
        Err(e) => e,
    }
}

#[test]
fn semicolon_with_decimal_comma() {
    let (r, v) = run(b"Time;A;B\n(ms);(V);(V)\n0,000;1,5;-2,25\n0,010;2,5;3,75\n0,020;3,5;4,75\n");
    assert_eq!(v, [1.5, -2.25, 2.5, 3.75, 3.5, 4.75]);
    assert_eq!(r.names, ["A", "B"]);
    assert!((r.sample_rate.expect("rate") - 100_000.0).abs() < 1e-6);
}

#[test]
fn tab_delimiter() {
    let (r, v) = run(b"Time\tAmpl\n0\t1\n0.5\t2\n1.0\t3\n");
    assert_eq!(v, [1.0, 2.0, 3.0]);
    assert_eq!(r.sample_rate, Some(2.0));
}

#[test]
fn bom_crlf_and_no_final_newline() {
    let (r, v) = run(b"\xEF\xBB\xBFtime,x\r\n0,1\r\n1,2\r\n2,3");
    assert_eq!(v, [1.0, 2.0, 3.0]);
    assert_eq!(r.names, ["x"]);
    assert_eq!(r.t_last, Some(2.0));
    let layout = detect(
        b"\xEF\xBB\xBFtime,x\r\n0,1\r\n1,2\r\n",
        &CsvOptions::default(),
    )
    .expect("layout");
    assert!(layout.bom && layout.crlf);
}

#[test]
fn trailing_delimiters_are_tolerated() {
    let (_, v) = run(b"t,a,\n0,1,\n1,2,\n2,3\n3,4, \n");
    assert_eq!(v, [1.0, 2.0, 3.0, 4.0]);
}

#[test]
fn hash_comments_and_latin1_header() {
    let (r, v) = run(b"#Device: X\n#Phase: 0 \xB0\n#Sample rate: 1e3Hz\n\nTime (s),Channel 1 (V)\n0,0.5\n0.001,0.25\n0.002,0.125\n");
    assert_eq!(v, [0.5, 0.25, 0.125]);
    assert_eq!(r.units, [Some("V".to_string())]);
    assert!((r.sample_rate.expect("rate") - 1000.0).abs() < 1e-9);
}

#[test]
fn units_row_in_ms() {
    let (r, _) = run(b"Time,Channel A\n(ms),(V)\n\n-1.0,0\n-0.5,1\n0.0,2\n");
    assert_eq!(r.t0, Some(-1e-3));
    assert!((r.sample_rate.expect("rate") - 2000.0).abs() < 1e-9);
}

#[test]
fn empty_cells_become_nan_and_are_counted() {
    let (r, v) = run(b"x-axis,1,2\nsecond,Volt,Volt\n0,1,2\n1,,3\n2,,\n");
    assert_eq!(r.nan_counts, [2, 1]);
    assert_eq!(v[0..2], [1.0, 2.0]);
    assert!(v[2].is_nan() && v[3] == 3.0 && v[4].is_nan() && v[5].is_nan());
}

#[test]
fn events_expand_with_a_rate_and_are_refused_without() {
    let text = b"Time [s],D0,D1\n0.0,0,1\n0.3,1,1\n0.35,1,0\n0.9,0,0\n";
    let e = err(text, &CsvOptions::default());
    assert!(matches!(e, CsvError::EventsNeedRate { .. }), "{e}");
    assert!(e.to_string().contains("sample rate"), "{e}");
    let opts = CsvOptions {
        sample_rate: Some(10.0),
        ..CsvOptions::default()
    };
    let (r, v) = run_opts(text, &opts).expect("expanded");
    // Samples at 0.0, 0.1, … 0.9 s: each holds the last event at or before it.
    let want = [
        0., 1., 0., 1., 0., 1., 1., 1., 1., 0., 1., 0., 1., 0., 1., 0., 1., 0., 0., 0.,
    ];
    assert_eq!(v, want);
    assert_eq!((r.rows, r.samples), (4, 10));
}

#[test]
fn bad_cell_names_line_column_and_text() {
    let e = err(b"t,a,b\n0,1,2\n1,2,3\n2,3,oops\n", &CsvOptions::default());
    match e {
        CsvError::BadCell { line, column, text } => {
            assert_eq!((line, column, text.as_str()), (4, 3, "oops"))
        }
        other => panic!("{other}"),
    }
}

#[test]
fn wrong_field_count() {
    let e = err(b"t,a,b\n0,1,2\n1,2\n2,3,4\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            CsvError::FieldCount {
                line: 3,
                expected: 3,
                got: 2
            }
        ),
        "{e}"
    );
    let e = err(b"t,a,b\n0,1,2\n1,2,3,4\n2,3,4\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            CsvError::FieldCount {
                line: 3,
                expected: 3,
                got: 4
            }
        ),
        "{e}"
    );
}

#[test]
fn empty_and_header_only_files() {
    assert!(matches!(err(b"", &CsvOptions::default()), CsvError::Empty));
    assert!(matches!(
        err(b"\r\n\n", &CsvOptions::default()),
        CsvError::Empty
    ));
    let e = err(b"time,a,b\nsecond,Volt,Volt\n", &CsvOptions::default());
    assert!(matches!(e, CsvError::NoData { lines: 2 }), "{e}");
}

#[test]
fn on_error_nan_and_skip() {
    let text = b"t,a\n0,1\n1,x\n2,3\n";
    let nan = CsvOptions {
        on_error: OnError::Nan,
        ..CsvOptions::default()
    };
    let (r, v) = run_opts(text, &nan).expect("nan mode");
    assert_eq!((r.rows, r.bad_cells), (3, 1));
    assert!(v[0] == 1.0 && v[1].is_nan() && v[2] == 3.0);
    assert!(
        r.warnings.iter().any(|w| w.contains("line 3, column 2")),
        "{:?}",
        r.warnings
    );
    let skip = CsvOptions {
        on_error: OnError::Skip,
        ..CsvOptions::default()
    };
    let (r, v) = run_opts(text, &skip).expect("skip mode");
    assert_eq!((r.rows, r.skipped_rows, v), (2, 1, vec![1.0, 3.0]));
}

#[test]
fn overrides_columns_time_and_skip_rows() {
    let text = b"junk line\nt,a,b\n0,1,10\n1,2,20\n2,3,30\n";
    let opts = CsvOptions {
        columns: vec![ColumnSel::Name("b".into()), ColumnSel::Index(1)],
        ..CsvOptions::default()
    };
    let (r, v) = run_opts(text, &opts).expect("select");
    assert_eq!(r.names, ["b", "a"]);
    assert_eq!(v, [10.0, 1.0, 20.0, 2.0, 30.0, 3.0]);
    let opts = CsvOptions {
        time_column: Some(TimeColumnSel::None),
        ..CsvOptions::default()
    };
    let (r, _) = run_opts(text, &opts).expect("no time");
    assert_eq!((r.channels, r.sample_rate), (3, None));
    let opts = CsvOptions {
        skip_rows: Some(3),
        sample_rate: Some(5.0),
        ..CsvOptions::default()
    };
    let (r, v) = run_opts(text, &opts).expect("skip rows");
    assert_eq!(
        (r.rows, v, r.sample_rate),
        (2, vec![2.0, 20.0, 3.0, 30.0], Some(5.0))
    );
    let e = err(
        text,
        &CsvOptions {
            columns: vec![ColumnSel::Name("zz".into())],
            ..CsvOptions::default()
        },
    );
    assert!(matches!(e, CsvError::UnknownColumn { .. }), "{e}");
    let e = err(
        text,
        &CsvOptions {
            delimiter: Some(b';'),
            ..CsvOptions::default()
        },
    );
    assert!(
        matches!(e, CsvError::NoData { .. } | CsvError::BadCell { .. }),
        "{e}"
    );
}

/// A file of `rows` rows with a bad cell at `bad_row` (0-based data row).
fn big_file(rows: usize, bad_row: Option<usize>) -> Vec<u8> {
    let mut s = String::from("# generated\nTime (s),Value (V)\n");
    for i in 0..rows {
        if Some(i) == bad_row {
            s.push_str(&format!("{:.9e},1.5x\n", i as f64 * 1e-6));
        } else {
            let v = ((i * 7919) % 10007) as f64 * 1.234_567_89e-3 - 6.0;
            s.push_str(&format!("{:.9e},{:.9e}\n", i as f64 * 1e-6, v));
        }
    }
    s.into_bytes()
}

#[test]
fn block_size_does_not_change_results() {
    let data = big_file(60_000, None);
    let base = run(&data);
    assert_eq!(base.0.rows, 60_000);
    assert!((base.0.sample_rate.expect("rate") - 1e6).abs() < 1e-3);
    for bs in [1, 97, 4096, 65_536, 1 << 20] {
        let opts = CsvOptions {
            block_size: Some(bs),
            ..CsvOptions::default()
        };
        let got = run_opts(&data, &opts).expect("parse");
        assert_eq!(got.1, base.1, "values, block size {bs}");
        assert_eq!(got.0, base.0, "report, block size {bs}");
    }
    // Each value equals std's correctly rounded parse of its text.
    let text = std::str::from_utf8(&data).expect("ascii");
    for (line, v) in text.lines().skip(2).zip(base.1.iter()) {
        let want: f64 = line
            .split(',')
            .nth(1)
            .expect("field")
            .parse()
            .expect("number");
        assert_eq!(v.to_bits(), want.to_bits(), "{line}");
    }
}

#[test]
fn error_line_is_exact_deep_inside_with_any_block_size() {
    let data = big_file(50_000, Some(43_210));
    for bs in [100, 4096, 1 << 16, 1 << 24] {
        let opts = CsvOptions {
            block_size: Some(bs),
            ..CsvOptions::default()
        };
        match err(&data, &opts) {
            // 2 header lines, then data row 43210 (0-based) is line 43213.
            CsvError::BadCell { line, column, text } => {
                assert_eq!(
                    (line, column, text.as_str()),
                    (43_213, 2, "1.5x"),
                    "block size {bs}"
                )
            }
            other => panic!("{other}"),
        }
    }
}

#[test]
fn progress_reaches_the_file_size() {
    let data = big_file(20_000, None);
    let layout = detect(&data, &CsvOptions::default()).expect("layout");
    let opts = CsvOptions {
        block_size: Some(10_000),
        ..CsvOptions::default()
    };
    let mut seen = Vec::new();
    convert(
        &data,
        &layout,
        &opts,
        &mut |b| seen.push(b),
        &mut |_| Ok(()),
    )
    .expect("convert");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last().copied(), Some(data.len() as u64));
}
