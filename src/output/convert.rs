//! The convert-csv summary for people: a few `key: value` lines, then notes and warnings.

use crate::report::convert::ConvertSummary;
use crate::term::Escaped;
use crate::units::{format_rate, format_seconds};

/// The human report: a few `key: value` lines, then notes and warnings; text from the file
/// (names, units, notes) has its control characters escaped.
pub fn text(summary: &ConvertSummary) -> String {
    let s = summary;
    let mut lines = Vec::new();
    let cols = s
        .columns
        .iter()
        .map(|c| {
            let unit = c
                .unit
                .as_deref()
                .map_or(String::new(), |u| format!(" [{u}]"));
            format!("{} {:?}{unit}: {}", c.column, c.name, c.role)
        })
        .collect::<Vec<_>>()
        .join(", ");
    lines.push(format!(
        "dialect: delimiter {:?}, decimal {:?}, data from line {}{}{}",
        s.delimiter,
        s.decimal,
        s.first_data_line,
        if s.bom { ", BOM" } else { "" },
        match s.line_ends {
            "LF" => String::new(),
            "CRLF" => ", CRLF".to_string(),
            ends => format!(", {ends} line ends"),
        }
    ));
    lines.push(format!("columns: {cols}"));
    lines.push(match s.sample_rate {
        Some(r) => format!("rate: {} ({})", format_rate(r), s.rate_source),
        None => format!("rate: unknown ({}); pass -r RATE", s.rate_source),
    });
    if let Some(t0) = s.t0 {
        let origin = s
            .time_origin
            .as_deref()
            .map_or(String::new(), |o| format!(" after {o}"));
        lines.push(format!("t0: {}{origin}", format_seconds(t0)));
    }
    let missing: u64 = s.nan_counts.iter().sum();
    lines.push(format!(
        "wrote {}: {} {:?} ({} rows{})",
        s.output,
        s.dtype,
        s.shape,
        s.rows,
        if missing > 0 {
            format!(", {missing} empty cells as NaN")
        } else {
            String::new()
        }
    ));
    let secs = s.seconds.max(1e-9);
    lines.push(format!(
        "time: {:.3} s ({:.0} MB/s, {:.2} M rows/s)",
        s.seconds,
        s.input_bytes as f64 / secs / 1e6,
        s.rows as f64 / secs / 1e6
    ));
    for n in &s.notes {
        lines.push(format!("note: {n}"));
    }
    for w in &s.warnings {
        lines.push(format!("tracekit: warning: {w}"));
    }
    // Names, units and notes come from the file: escaped here, where the text is made.
    lines.iter().map(|l| format!("{}\n", Escaped(l))).collect()
}
