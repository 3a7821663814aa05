//! Tables for people (comfy-table), plain enough to paste into an issue or a lab notebook.
//! Every cell is escaped ([`crate::term::escape`]): cells show text read from files.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

/// A two-column key/value table.
pub fn key_values(rows: &[(&str, String)]) -> Table {
    let mut t = base();
    for (k, v) in rows {
        t.add_row(vec![cell(k), cell(v)]);
    }
    t
}

/// A table with a header row; numeric-looking cells are right-aligned.
pub fn grid(header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut t = base();
    t.set_header(header.iter().map(|h| cell(h)).collect::<Vec<_>>());
    for row in rows {
        t.add_row(
            row.into_iter()
                .map(|v| {
                    let numeric = v.parse::<f64>().is_ok() || v == "-";
                    let c = cell(&v);
                    if numeric {
                        c.set_alignment(CellAlignment::Right)
                    } else {
                        c
                    }
                })
                .collect::<Vec<_>>(),
        );
    }
    t
}

/// A cell showing `text` with its control characters escaped: cells hold names and
/// attributes read from files, which must not reach the terminal raw.
fn cell(text: &str) -> Cell {
    Cell::new(crate::term::escape(text))
}

fn base() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if !super::color_allowed() {
        t.force_no_tty();
    }
    t
}

/// A number for a table: up to 9 significant digits, exact integers as integers.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:.6e}")
    } else {
        let s = format!("{v:.9}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}
