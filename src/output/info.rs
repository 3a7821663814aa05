//! `tracekit info` for people: the common key/value table, then the format's own tables.

use super::table;
use crate::report::info::InfoReport;
use std::io::{self, Write};

pub fn write_tables(report: &InfoReport, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", table::key_values(&report.rows))?;
    for t in &report.tables {
        let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
        writeln!(out, "{}", table::grid(&header, t.rows.clone()))?;
    }
    Ok(())
}
