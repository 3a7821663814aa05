//! Issue 13 ("Harden what exists"), the convert-csv items: every data row is converted or is
//! an error naming its line (6), a time column or value that cannot give a rate says why
//! (7), "no data rows" says its cause (23), and a fuzz harness mutates the real fixtures
//! (28). The inputs of items 6, 7 and 23 are also the seeds of the fuzz harness.

use crate::csv_fixtures::DIR;
use crate::util::{Workdir, read_npy_f64, write};
use proptest::prelude::*;
use tracekit::csvconv::{CsvError, CsvOptions, OnError, Report, Rows, convert, detect};

/// Detects and converts `text`, collecting the values row-major.
fn run_opts(text: &[u8], opts: &CsvOptions) -> Result<(Report, Vec<f64>), CsvError> {
    let layout = detect(text, opts)?;
    let mut values = Vec::new();
    let report = convert(text, &layout, opts, &mut |_| {}, &mut |b: Rows| {
        values.extend_from_slice(b.values);
        Ok(())
    })?;
    Ok((report, values))
}

fn run(text: &[u8]) -> Result<(Report, Vec<f64>), CsvError> {
    run_opts(text, &CsvOptions::default())
}

fn with(on_error: OnError) -> CsvOptions {
    CsvOptions {
        on_error,
        ..CsvOptions::default()
    }
}

fn rows(n: usize, line: impl Fn(usize) -> String) -> String {
    (0..n).map(line).collect()
}

// Item 6: the inputs the campaign found, as the seeds of the fuzz harness too.

/// 20 rows whose delimiter alternates between `,` and `;` (line 3 is the first `;` row).
fn delimiter_change() -> Vec<u8> {
    let body = rows(20, |i| {
        let d = if i % 2 == 0 { ',' } else { ';' };
        format!("{}{d}{i}{d}{}\n", i as f64 * 1e-3, 2 * i)
    });
    format!("time,a,b\n{body}").into_bytes()
}

/// 20 rows, `,` on lines 2-6 and TAB after.
fn tab_switch() -> Vec<u8> {
    let body = rows(20, |i| {
        let d = if i < 5 { ',' } else { '\t' };
        format!("{}{d}{i}\n", i as f64 * 1e-3)
    });
    format!("time,a\n{body}").into_bytes()
}

/// 12 rows whose line ends cycle LF, CRLF, CR.
fn mixed_line_ends() -> Vec<u8> {
    let body = rows(12, |i| {
        format!("{},{i}{}", i as f64 * 1e-3, ["\n", "\r\n", "\r"][i % 3])
    });
    format!("time,a\n{body}").into_bytes()
}

/// 10 rows; rows 1, 4 and 7 (lines 3, 6, 9) start with a UTF-8 byte-order mark.
fn boms_on_later_lines() -> Vec<u8> {
    let body = rows(10, |i| {
        let bom = if i % 3 == 1 { "\u{feff}" } else { "" };
        format!("{bom}{},{i}\n", i as f64 * 1e-3)
    });
    format!("\u{feff}time,a\n{body}").into_bytes()
}

/// Row 4 (line 5) holds `"1,5"`: one field, not two.
fn quoted_delimiter() -> Vec<u8> {
    let body = rows(8, |i| {
        let b = if i == 3 {
            "\"1,5\"".to_string()
        } else {
            i.to_string()
        };
        format!("{},{b},7\n", i as f64 * 1e-3)
    });
    format!("time,a,b\n{body}").into_bytes()
}

#[test]
fn issue_13_6_delimiter_change() {
    let e = run(&delimiter_change()).unwrap_err();
    assert!(
        matches!(&e, CsvError::DelimiterChange { line: 3, found, expected }
            if found == "';'" && expected == "','"),
        "{e}"
    );
    // Skipped rows are counted and named, none vanishes.
    let (r, v) = run_opts(&delimiter_change(), &with(OnError::Skip)).unwrap();
    assert_eq!((r.rows, r.skipped_rows), (10, 10));
    assert_eq!(v[..4], [0.0, 0.0, 2.0, 4.0]);
    assert!(
        r.warnings[0].starts_with("line 3: fields separated by ';'"),
        "{:?}",
        r.warnings
    );
    // The binary: one error line, exit 1, no output left.
    let w = Workdir::new();
    write(&w.path("d.csv"), &delimiter_change());
    let line = w.error(&["convert-csv", "d.csv"]);
    assert_eq!(
        line,
        "tracekit: error: d.csv: line 3: fields separated by ';' where the data rows use ',': \
         the delimiter changes inside the file"
    );
    assert!(!w.path("d.npy").exists());
}

#[test]
fn issue_13_6_tab_switch_after_line_6() {
    // The last rows decide the dialect (TAB); the `,` rows above them are data, not header.
    let e = run(&tab_switch()).unwrap_err();
    assert!(
        matches!(&e, CsvError::DelimiterChange { line: 2, found, expected }
            if found == "','" && expected == "tab"),
        "{e}"
    );
    let (r, _) = run_opts(&tab_switch(), &with(OnError::Skip)).unwrap();
    assert_eq!((r.rows, r.skipped_rows), (15, 5));
}

#[test]
fn issue_13_6_mixed_line_ends_are_all_line_ends() {
    let want: Vec<f64> = (0..12).map(f64::from).collect();
    let (r, v) = run(&mixed_line_ends()).unwrap();
    assert_eq!((r.rows, v.clone()), (12, want.clone()));
    assert!((r.sample_rate.unwrap() - 1000.0).abs() < 1e-9, "{r:?}");
    // Any block size: blocks are cut after any line end, never inside a CRLF.
    for bs in [1, 2, 3, 5, 7, 64] {
        let opts = CsvOptions {
            block_size: Some(bs),
            ..CsvOptions::default()
        };
        let (rb, vb) = run_opts(&mixed_line_ends(), &opts).unwrap();
        assert_eq!((rb, vb), (r.clone(), v.clone()), "block size {bs}");
    }
    // CR only (classic Mac OS), through the binary, with the line ends reported.
    let cr = String::from_utf8(mixed_line_ends())
        .unwrap()
        .replace("\r\n", "\r");
    let cr = cr.replace('\n', "\r");
    let w = Workdir::new();
    write(&w.path("cr.csv"), cr.as_bytes());
    let j = w.json(&["convert-csv", "cr.csv", "--json"]);
    assert_eq!(
        (j["rows"].as_u64(), j["line_ends"].as_str()),
        (Some(12), Some("CR"))
    );
    assert_eq!(j["first_data_line"], 2);
    assert_eq!(read_npy_f64(&w.path("cr.npy")).1, want);
    // A bad cell after CR-only lines names its line.
    let bad = cr.replace("0.007,7", "0.007,x");
    let e = run(bad.as_bytes()).unwrap_err();
    assert!(
        matches!(
            e,
            CsvError::BadCell {
                line: 9,
                column: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn issue_13_6_bom_on_later_lines_is_an_error_naming_the_line() {
    let e = run(&boms_on_later_lines()).unwrap_err();
    assert!(matches!(e, CsvError::Bom { line: 3, column: 1 }), "{e}");
    assert!(e.to_string().contains("byte-order mark"), "{e}");
    let (r, v) = run_opts(&boms_on_later_lines(), &with(OnError::Skip)).unwrap();
    assert_eq!((r.rows, r.skipped_rows), (7, 3));
    assert_eq!(v, [0.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0]);
}

#[test]
fn issue_13_6_quoted_field_holding_the_delimiter_is_one_field() {
    // `"1,5"` is the second field, not two channels: not a number with `.` decimals.
    let e = run(&quoted_delimiter()).unwrap_err();
    assert!(
        matches!(&e, CsvError::BadCell { line: 5, column: 2, text } if text == "1,5"),
        "{e}"
    );
    let (r, v) = run_opts(&quoted_delimiter(), &with(OnError::Nan)).unwrap();
    assert_eq!((r.rows, r.channels, r.bad_cells), (8, 2, 1));
    assert!(v[6].is_nan() && v[7] == 7.0, "{v:?}");
    // A comma-separated file whose decimal commas are quoted: converted.
    let text = b"\"Time\",\"U (V)\"\n\"0,000\",\"1,5\"\n\"0,001\",\"-2,25\"\n\"0,002\",\"3\"\n";
    let (r, v) = run(text).unwrap();
    assert_eq!(v, [1.5, -2.25, 3.0]);
    assert_eq!(r.names, ["U (V)"]);
    assert!((r.sample_rate.unwrap() - 1000.0).abs() < 1e-9);
    // Quotes around plain cells and in unused columns, with `""` escapes.
    let text = b"t,label,v\n0,\"a,\"\"b\"\"\",1\n1,\"\",2\n2,,\"3\"\n";
    let (_, v) = run_opts(
        text,
        &CsvOptions {
            columns: vec![tracekit::csvconv::ColumnSel::Index(2)],
            ..CsvOptions::default()
        },
    )
    .unwrap();
    assert_eq!(v, [1.0, 2.0, 3.0]);
    // A quoted field in a skipped column, after a tab too, is one field: this row has 3.
    let text = b"t,l1,a,l2,b\n0,,1,,2\n1,\t\"x,5,y\",7\n2,,3,,4\n";
    let e = run(text).unwrap_err();
    assert!(
        matches!(
            e,
            CsvError::FieldCount {
                line: 3,
                expected: 5,
                got: 3
            }
        ),
        "{e}"
    );
    // A quote left open is an error naming line and column.
    let e = run(b"t,a\n0,1\n1,\"2\n2,3\n").unwrap_err();
    assert!(
        matches!(
            e,
            CsvError::Quote {
                line: 3,
                column: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn issue_13_6_text_among_data_rows_or_joined_files_drop_nothing() {
    // Text where a number belongs, above the last rows: the rows above it are data.
    let e = run(b"time,a\n0,1\n1,2\noops,3\n3,4\n4,5\n").unwrap_err();
    assert!(
        matches!(&e, CsvError::BadCell { line: 4, column: 1, text } if text == "oops"),
        "{e}"
    );
    let (r, v) = run_opts(
        b"time,a\n0,1\n1,2\noops,3\nnope,3\n3,4\n",
        &with(OnError::Skip),
    )
    .unwrap();
    assert_eq!((r.rows, r.skipped_rows, v), (3, 2, vec![1.0, 2.0, 4.0]));
    // Two exports joined with `cat`: the second header is reported, not the first file lost.
    let joined = b"time,a\n0,1\n1,2\n\n\xEF\xBB\xBFtime,a\n2,3\n3,4\n";
    let e = run(joined).unwrap_err();
    assert!(matches!(e, CsvError::Bom { line: 5, column: 1 }), "{e}");
    let (r, v) = run_opts(joined, &with(OnError::Skip)).unwrap();
    assert_eq!((r.rows, r.skipped_rows, r.blank_lines), (4, 1, 1));
    assert_eq!(v, [1.0, 2.0, 3.0, 4.0]);
}

// Item 7.

#[test]
fn issue_13_7_absurd_time_cell_is_an_error_not_rate_zero() {
    let digits = "9".repeat(1_000_000);
    let text = format!("time,a\n0,1\n0.001,2\n{digits},3\n0.003,4\n");
    let e = run(text.as_bytes()).unwrap_err();
    assert!(
        matches!(
            e,
            CsvError::NotFinite {
                line: 4,
                column: 1,
                ..
            }
        ),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.len() < 200,
        "the message quotes the cell cut short: {msg}"
    );
    assert!(
        msg.contains("(1000000 bytes) is beyond f64's range"),
        "{msg}"
    );
}

#[test]
fn issue_13_7_overflowing_value_is_an_error_with_line_and_column() {
    let text = b"time,a\n0,1\n0.001,1e400\n0.002,-inf\n0.003,4\n";
    let e = run(text).unwrap_err();
    assert!(
        matches!(&e, CsvError::NotFinite { line: 3, column: 2, text } if text == "1e400"),
        "{e}"
    );
    // NaN mode stores NaN and warns; the word `-inf` is a value, not an overflow.
    let (r, v) = run_opts(text, &with(OnError::Nan)).unwrap();
    assert_eq!(r.bad_cells, 1);
    assert!(v[1].is_nan() && v[2] == f64::NEG_INFINITY, "{v:?}");
    assert!(
        r.warnings[0].starts_with("line 3, column 2: 1e400 is beyond"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn issue_13_7_decreasing_or_constant_time_says_why_there_is_no_rate() {
    let down = format!(
        "time,a\n{}",
        rows(10, |i| format!("{},{i}\n", (10 - i) as f64 * 1e-3))
    );
    let (r, _) = run(down.as_bytes()).unwrap();
    assert_eq!(r.sample_rate, None);
    assert!(
        r.rate_source
            .contains("never increases (time goes backwards 9 time(s), first at line 3)"),
        "{}",
        r.rate_source
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("first at line 3")),
        "{:?}",
        r.warnings
    );
    let flat = format!("time,a\n{}", rows(10, |i| format!("0.5,{i}\n")));
    let (r, _) = run(flat.as_bytes()).unwrap();
    assert_eq!(r.sample_rate, None);
    assert!(
        r.rate_source.contains("one value (0.5 s) on all 10 rows"),
        "{}",
        r.rate_source
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    // Backwards once in an otherwise uniform column: the line is named, any block size.
    let once = format!(
        "time,a\n{}",
        rows(30, |i| format!(
            "{},{i}\n",
            if i == 20 { 0.0 } else { i as f64 }
        ))
    );
    for bs in [1, 10, 1 << 20] {
        let opts = CsvOptions {
            block_size: Some(bs),
            ..CsvOptions::default()
        };
        let (r, _) = run_opts(once.as_bytes(), &opts).unwrap();
        assert!(
            r.warnings
                .iter()
                .any(|w| w == "time goes backwards 1 time(s), first at line 22"),
            "block size {bs}: {:?}",
            r.warnings
        );
    }
}

#[test]
fn issue_13_7_subnormal_step_gives_no_infinite_rate() {
    let text = format!(
        "time,a\n{}",
        rows(6, |i| format!("{:e},{i}\n", i as f64 * 5e-324))
    );
    let (r, _) = run(text.as_bytes()).unwrap();
    assert_eq!(r.sample_rate, None, "{}", r.rate_source);
    assert!(
        r.rate_source.contains("too small to give a finite rate"),
        "{}",
        r.rate_source
    );
    let w = Workdir::new();
    write(&w.path("s.csv"), text.as_bytes());
    let out = w.cmd(&["convert-csv", "s.csv"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("inf"), "{stderr}");
    assert!(stderr.contains("rate: unknown"), "{stderr}");
    // A header interval too small for a finite rate is ignored the same way.
    let text = b"Sample Interval,1e-320\ntime,a\n0,1\n1,2\n2,3\n";
    let (r, _) = run(text).unwrap();
    assert_eq!(r.sample_rate, Some(1.0), "{}", r.rate_source);
}

// Item 23.

#[test]
fn issue_13_23_no_data_rows_says_the_cause() {
    let csv = "time,a\n0,1\n1,2\n";
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(csv.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let e = run(&utf16le).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the file is UTF-16LE (byte-order mark FF FE): convert it to UTF-8 first, e.g. \
         `iconv -f UTF-16LE -t UTF-8 IN > OUT.csv`"
    );
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(csv.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert!(matches!(
        run(&utf16be).unwrap_err(),
        CsvError::Encoding {
            encoding: "UTF-16BE",
            ..
        }
    ));
    // Without a byte-order mark: the NUL bytes give it away.
    let e = run(&utf16le[2..]).unwrap_err();
    assert!(matches!(e, CsvError::NulByte { offset: 1 }), "{e}");
    // A header of a million columns: longer than the whole sniff window.
    let mut wide: String = (0..1_000_000).map(|i| format!("c{i},")).collect();
    wide.push_str("\n0,1\n");
    let e = run(wide.as_bytes()).unwrap_err();
    assert!(
        matches!(e, CsvError::LongLine { searched_mb: 4, .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("line 1 has no line end in the first 4 MB"),
        "{e}"
    );
    // A header-only file still says just that.
    let e = run(b"time,a\nsecond,Volt\n").unwrap_err();
    assert!(matches!(e, CsvError::NoData { lines: 2 }), "{e}");
    // Every row skipped: said so, with the first reason.
    let e = run_opts(b"t,a\n0,1e400\n1,-1e999\n", &with(OnError::Skip)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no data rows left: all 2 row(s) had errors and were skipped (first: line 2, column 2: \
         1e400 is beyond f64's range (not a finite number))"
    );
}

// Item 28: the fuzz harness.

/// One mutation of a CSV: where (a fraction of the length) and what.
#[derive(Debug, Clone)]
enum Mutation {
    /// Set one byte: to one of the bytes CSV parsing cares about, or any.
    Byte {
        at: f64,
        byte: u8,
    },
    DeleteLine {
        at: f64,
    },
    DuplicateLine {
        at: f64,
        times: u8,
    },
    /// Replace every `from` delimiter of one line with `to`.
    SwapDelimiter {
        at: f64,
        from: u8,
        to: u8,
    },
    Truncate {
        at: f64,
    },
    /// Insert bytes at a line start: a BOM, a quote, a huge number, a lone CR...
    Insert {
        at: f64,
        what: u8,
    },
}

const SPECIAL: [u8; 14] = [
    b',', b';', b'\t', b'\r', b'\n', b'"', b'0', b'.', b'-', b'e', 0xEF, 0, b' ', b'9',
];
const DELIMS: [u8; 3] = [b',', b';', b'\t'];

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        3 => (at.clone(), any::<u8>(), any::<bool>()).prop_map(|(at, b, special)| Mutation::Byte {
            at,
            byte: if special { SPECIAL[b as usize % SPECIAL.len()] } else { b },
        }),
        2 => at.clone().prop_map(|at| Mutation::DeleteLine { at }),
        2 => (at.clone(), 1u8..4).prop_map(|(at, times)| Mutation::DuplicateLine { at, times }),
        2 => (at.clone(), 0u8..3, 1u8..3).prop_map(|(at, f, d)| Mutation::SwapDelimiter {
            at,
            from: DELIMS[f as usize],
            to: DELIMS[(f + d) as usize % 3],
        }),
        1 => at.clone().prop_map(|at| Mutation::Truncate { at }),
        2 => (at, 0u8..6).prop_map(|(at, what)| Mutation::Insert { at, what }),
    ]
}

/// The line around byte `i`: its start and its end (after its line end).
fn line_around(d: &[u8], i: usize) -> (usize, usize) {
    let start = d[..i]
        .iter()
        .rposition(|b| *b == b'\n' || *b == b'\r')
        .map_or(0, |p| p + 1);
    let end = d[i..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(d.len(), |p| i + p + 1);
    (start, end)
}

fn apply(d: &mut Vec<u8>, m: &Mutation) {
    if d.is_empty() {
        return;
    }
    let pos = |at: f64| ((at * d.len() as f64) as usize).min(d.len() - 1);
    match *m {
        Mutation::Byte { at, byte } => {
            let i = pos(at);
            d[i] = byte;
        }
        Mutation::DeleteLine { at } => {
            let (s, e) = line_around(d, pos(at));
            d.drain(s..e);
        }
        Mutation::DuplicateLine { at, times } => {
            let (s, e) = line_around(d, pos(at));
            let line = d[s..e].to_vec();
            for _ in 0..times {
                d.splice(s..s, line.iter().copied());
            }
        }
        Mutation::SwapDelimiter { at, from, to } => {
            let (s, e) = line_around(d, pos(at));
            d[s..e]
                .iter_mut()
                .filter(|b| **b == from)
                .for_each(|b| *b = to);
        }
        Mutation::Truncate { at } => d.truncate(pos(at)),
        Mutation::Insert { at, what } => {
            let (s, _) = line_around(d, pos(at));
            let huge = format!("{}e9,", "7".repeat(400));
            let bytes: &[u8] = match what {
                0 => b"\xEF\xBB\xBF",
                1 => b"\"",
                2 => huge.as_bytes(),
                3 => b"\r",
                4 => b"1e400,",
                _ => b"\"1,5\",",
            };
            d.splice(s..s, bytes.iter().copied());
        }
    }
}

/// Lines as the parser counts them: LF, CRLF and a lone CR end a line; text after the
/// last line end is one more line.
fn count_lines(d: &[u8]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while i < d.len() {
        match d[i] {
            b'\n' => n += 1,
            b'\r' => {
                n += 1;
                if d.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let last_ended = matches!(d.last(), None | Some(b'\n' | b'\r'));
    n + u64::from(!last_ended)
}

/// The seed corpus: every real fixture, then the inputs of items 6, 7 and 23.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.ends_with(".json") && !n.ends_with(".md"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 27, "fixtures: {names:?}");
    let mut out: Vec<(String, Vec<u8>)> = names
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(format!("{DIR}/{n}")).unwrap();
            (n, bytes)
        })
        .collect();
    let items: [(&str, Vec<u8>); 8] = [
        ("6 delimiter change", delimiter_change()),
        ("6 tab switch", tab_switch()),
        ("6 mixed line ends", mixed_line_ends()),
        ("6 BOMs", boms_on_later_lines()),
        ("6 quoted delimiter", quoted_delimiter()),
        (
            "7 overflow",
            b"time,a\n0,1\n0.001,1e400\n0.002,3\n".to_vec(),
        ),
        (
            "7 subnormal steps",
            b"time,a\n0,1\n5e-324,2\n1e-323,3\n".to_vec(),
        ),
        (
            "23 UTF-16",
            b"\xFF\xFEt\0,\0a\0\n\0\x30\0,\0\x31\0\n\0".to_vec(),
        ),
    ];
    out.extend(items.into_iter().map(|(n, b)| (n.to_string(), b)));
    out
}

/// The first line number a message names (`line 12`, `the first 12 line(s)`).
fn named_line(msg: &str) -> Option<u64> {
    let rest = msg
        .split("line ")
        .nth(1)
        .or_else(|| msg.split("the first ").nth(1))?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// One fuzz case: the invariants every outcome keeps.
fn check(name: &str, data: &[u8], on_error: OnError, block: usize) {
    let opts = CsvOptions {
        on_error,
        ..CsvOptions::default()
    };
    let lines = count_lines(data);
    let got = run_opts(data, &opts);
    // The outcome does not depend on how the data is cut into blocks.
    let small = CsvOptions {
        block_size: Some(block),
        ..opts.clone()
    };
    let again = run_opts(data, &small);
    match (&got, &again) {
        (Ok((r, v)), Ok((r2, v2))) => {
            assert_eq!(r, r2, "{name}: report, block {block}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(v), bits(v2), "{name}: values, block {block}");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}: block {block}"),
        _ => panic!("{name}: block {block} changes the outcome: {got:?} vs {again:?}"),
    }
    match got {
        Ok((r, v)) => {
            assert!(
                r.rows <= lines,
                "{name}: {} rows from {lines} lines",
                r.rows
            );
            assert_eq!(v.len() as u64, r.samples * r.channels as u64, "{name}");
            // Every line from the first data row on is a row, a blank line or (skip) a
            // counted skipped row: nothing vanishes.
            let layout = detect(data, &opts).unwrap();
            let from_data = lines + 1 - layout.first_data_line;
            assert_eq!(
                r.rows + r.blank_lines + r.skipped_rows,
                from_data,
                "{name}: rows {} + blank {} + skipped {} vs {from_data} lines from line {}",
                r.rows,
                r.blank_lines,
                r.skipped_rows,
                layout.first_data_line
            );
            if let Some(rate) = r.sample_rate {
                assert!(rate.is_finite() && rate > 0.0, "{name}: rate {rate}");
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "{name}: one line: {msg}");
            match e {
                CsvError::Empty
                | CsvError::Encoding { .. }
                | CsvError::NulByte { .. }
                | CsvError::NoChannels { .. }
                | CsvError::EventsNeedRate { .. } => {}
                _ => {
                    let line = named_line(&msg)
                        .unwrap_or_else(|| panic!("{name}: the error names no line: {msg}"));
                    assert!(
                        line <= lines.max(1),
                        "{name}: line {line} of {lines}: {msg}"
                    );
                }
            }
        }
    }
}

#[test]
fn issue_13_28_csv_seeds_keep_the_invariants() {
    for (name, data) in seeds() {
        for on_error in [OnError::Fail, OnError::Nan, OnError::Skip] {
            check(&name, &data, on_error, 97);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::util::fuzz_cases(160), ..ProptestConfig::default() })]

    #[test]
    fn issue_13_28_csv_fuzz_mutated_fixtures(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        on_error in prop_oneof![Just(OnError::Fail), Just(OnError::Nan), Just(OnError::Skip)],
        block in 1usize..5000,
    ) {
        thread_local! {
            static SEEDS: Vec<(String, Vec<u8>)> = seeds();
        }
        let (name, mut data) = SEEDS.with(|s| seed.get(s).clone());
        for m in &mutations {
            apply(&mut data, m);
        }
        check(&format!("{name} {mutations:?}"), &data, on_error, block);
    }
}
