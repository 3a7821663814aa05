//! The convert-csv summary for people: a few `key: value` lines, then notes and warnings.

use crate::report::convert::ConvertSummary;
use crate::units::{format_rate, format_seconds};
use std::fmt::Write as _;

/// The human report: a few `key: value` lines, then notes and warnings.
pub fn text(summary: &ConvertSummary) -> String {
    let s = summary;
    let mut t = String::new();
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
    let _ = writeln!(
        t,
        "dialect: delimiter {:?}, decimal {:?}, data from line {}{}{}",
        s.delimiter,
        s.decimal,
        s.first_data_line,
        if s.bom { ", BOM" } else { "" },
        if s.crlf { ", CRLF" } else { "" }
    );
    let _ = writeln!(t, "columns: {cols}");
    let _ = match s.sample_rate {
        Some(r) => writeln!(t, "rate: {} ({})", format_rate(r), s.rate_source),
        None => writeln!(t, "rate: unknown ({}); pass -r RATE", s.rate_source),
    };
    if let Some(t0) = s.t0 {
        let origin = s
            .time_origin
            .as_deref()
            .map_or(String::new(), |o| format!(" after {o}"));
        let _ = writeln!(t, "t0: {}{origin}", format_seconds(t0));
    }
    let missing: u64 = s.nan_counts.iter().sum();
    let _ = writeln!(
        t,
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
    );
    let secs = s.seconds.max(1e-9);
    let _ = writeln!(
        t,
        "time: {:.3} s ({:.0} MB/s, {:.2} M rows/s)",
        s.seconds,
        s.input_bytes as f64 / secs / 1e6,
        s.rows as f64 / secs / 1e6
    );
    for n in &s.notes {
        let _ = writeln!(t, "note: {n}");
    }
    for w in &s.warnings {
        let _ = writeln!(t, "tracekit: warning: {w}");
    }
    t
}
