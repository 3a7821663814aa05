//! The convert-csv summary: what was detected and written, as one documented struct with a
//! text renderer (stderr, for people) and JSON (stdout, `--json`).

use crate::csvconv::{Layout, Report, Role};
use serde::Serialize;

/// One numeric column of the input. `column` is 1-based, as in every message.
#[derive(Debug, Serialize)]
pub struct ColumnSummary {
    pub column: usize,
    pub name: String,
    pub unit: Option<String>,
    /// `time`, `index` (a sample counter, not output), `data` (output) or `unused`.
    pub role: &'static str,
}

/// Everything `convert-csv` prints. JSON keys are these field names; NaN becomes null.
#[derive(Debug, Serialize)]
pub struct ConvertSummary {
    pub input: String,
    pub output: String,
    /// NumPy name of the output type (`float32`, `float64`).
    pub dtype: &'static str,
    pub shape: Vec<u64>,
    /// `,` `;` `tab` or the character.
    pub delimiter: String,
    pub decimal: String,
    pub bom: bool,
    pub crlf: bool,
    /// `LF`, `CRLF`, `CR` or `mixed` (each kind ends a line wherever it occurs).
    pub line_ends: &'static str,
    /// 1-based line of the first data row.
    pub first_data_line: u64,
    pub columns: Vec<ColumnSummary>,
    /// Output channel names, in order.
    pub channels: Vec<String>,
    pub units: Vec<Option<String>>,
    pub sample_rate: Option<f64>,
    pub rate_source: String,
    pub t0: Option<f64>,
    pub time_origin: Option<String>,
    /// (max - min) / median time step, when there is a time column.
    pub jitter: Option<f64>,
    /// Data rows read (events for event exports).
    pub rows: u64,
    /// Samples written (expanded samples for event exports).
    pub samples: u64,
    pub nan_counts: Vec<u64>,
    pub bad_cells: u64,
    pub skipped_rows: u64,
    pub blank_lines: u64,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub seconds: f64,
    pub input_bytes: u64,
}

impl ConvertSummary {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        input: String,
        output: String,
        dtype: &'static str,
        layout: &Layout,
        report: Report,
        warnings: Vec<String>,
        seconds: f64,
        input_bytes: u64,
    ) -> ConvertSummary {
        let shape = if report.channels == 1 {
            vec![report.samples]
        } else {
            vec![report.samples, report.channels as u64]
        };
        let columns = layout
            .columns
            .iter()
            .map(|c| ColumnSummary {
                column: c.field + 1,
                name: c.name.clone(),
                unit: c.unit.clone(),
                role: match c.role {
                    Role::Time => "time",
                    Role::Index => "index",
                    Role::Data => "data",
                    Role::Unused => "unused",
                },
            })
            .collect();
        ConvertSummary {
            input,
            output,
            dtype,
            shape,
            delimiter: match layout.delimiter {
                b'\t' => "tab".into(),
                d => char::from(d).to_string(),
            },
            decimal: char::from(layout.decimal).to_string(),
            bom: layout.bom,
            crlf: layout.crlf,
            line_ends: layout.line_ends.name(),
            first_data_line: layout.first_data_line,
            columns,
            channels: report.names,
            units: report.units,
            sample_rate: report.sample_rate,
            rate_source: report.rate_source,
            t0: report.t0,
            time_origin: report.time_origin,
            jitter: report.steps.map(|s| s.jitter),
            rows: report.rows,
            samples: report.samples,
            nan_counts: report.nan_counts,
            bad_cells: report.bad_cells,
            skipped_rows: report.skipped_rows,
            blank_lines: report.blank_lines,
            notes: layout.notes.clone(),
            warnings: report.warnings.into_iter().chain(warnings).collect(),
            seconds,
            input_bytes,
        }
    }
}
