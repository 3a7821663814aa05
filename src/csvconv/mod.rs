//! Conversion of instrument CSV exports to sampled waveforms.
//!
//! Two steps, both pure functions over the file's bytes (typically a memory
//! map): [`detect`] reads only the first KBs and returns the [`Layout`]
//! (dialect, header metadata, columns and their roles, header sample rate);
//! [`convert`] streams the data rows in parallel blocks and hands row-major
//! `f64` blocks, in file order, to a caller-provided sink, returning a
//! [`Report`] (rows, rate and where it came from, t0, jitter, NaNs, ...).
//! No rows are ever held beyond a few blocks, so the file may be far larger
//! than memory.

mod dialect;
mod expand;
mod fields;
mod num;
mod pipeline;
mod rate;
mod report;
mod rows;

pub use dialect::detect;
pub use pipeline::{Sink, convert};

use serde::Serialize;

/// A column chosen by header name or by 0-based field position in the row (the CLI takes
/// 1-based column numbers, as every message prints them, and converts).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnSel {
    Name(String),
    Index(usize),
}

/// The time column, or `None` for "this file has no time column".
#[derive(Debug, Clone, PartialEq)]
pub enum TimeColumnSel {
    None,
    Name(String),
    Index(usize),
}

crate::named_enum! {
    /// What to do with a cell that is not a number or a row with the wrong
    /// number of fields.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
    pub enum OnError {
        /// Stop with an error naming line, column and text.
        #[default]
        Fail = "fail",
        /// Store NaN for the bad cell (missing fields too) and go on.
        Nan = "nan",
        /// Drop the whole row and go on.
        Skip = "skip",
    }
}

/// One parsed block of rows, handed to the sink of [`convert`].
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    /// Row-major: `channels` values per row.
    pub values: &'a [f64],
    /// Some value in this block would not survive f32 (see `num::scan_number`).
    pub needs_f64: bool,
}

/// User overrides; `Default` means "detect everything".
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Data columns to output, in this order (empty: all data columns).
    pub columns: Vec<ColumnSel>,
    pub time_column: Option<TimeColumnSel>,
    pub delimiter: Option<u8>,
    pub decimal: Option<u8>,
    /// Lines before the first data row (header lines included).
    pub skip_rows: Option<usize>,
    /// Overrides the file's rate; required to expand event-based exports.
    pub sample_rate: Option<f64>,
    pub on_error: OnError,
    /// Bytes per parallel parse block (default [`DEFAULT_BLOCK_SIZE`]).
    pub block_size: Option<usize>,
}

/// Large enough to amortise scheduling, small enough that the blocks in
/// flight (two per core, with their parsed rows) stay well under 100 MB.
pub const DEFAULT_BLOCK_SIZE: usize = 4 << 20;

/// What a column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    Time,
    /// A sample number (Rigol `X`/`Sequence`, Owon `index`): not output.
    Index,
    Data,
    Unused,
}

/// One numeric column of the data rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// 0-based field position in a data row.
    pub field: usize,
    pub name: String,
    pub unit: Option<String>,
    pub role: Role,
}

/// How time cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum TimeFormat {
    /// A plain number, multiplied by `scale` to get seconds.
    Number,
    /// A number with a unit suffix per cell (`4.860 530 ms`).
    UnitSuffix,
    /// ISO-8601; times are relative to `origin_ns` (the first data row) so
    /// that nanoseconds survive the conversion to f64.
    Iso8601 { origin_ns: i128 },
}

/// The time column and how to turn its cells into seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeAxis {
    pub field: usize,
    pub format: TimeFormat,
    /// Seconds per unit of the column (1e-3 for PicoScope's `(ms)`).
    pub scale: f64,
}

/// Which line ends a file uses: LF, CRLF and a lone CR each end a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LineEnds {
    Lf,
    Crlf,
    /// Classic Mac OS: a lone CR.
    Cr,
    /// More than one kind.
    Mixed,
}

impl LineEnds {
    pub fn name(self) -> &'static str {
        match self {
            LineEnds::Lf => "LF",
            LineEnds::Crlf => "CRLF",
            LineEnds::Cr => "CR",
            LineEnds::Mixed => "mixed",
        }
    }
}

/// A sample rate found in the header block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderRate {
    pub rate: f64,
    /// e.g. `header: Sample Interval 2.000000e-07`.
    pub source: String,
    /// Time of the first data row, when the header defines it (Rigol Start).
    pub t0: Option<f64>,
    /// An interval is exact as written; a rate in Hz (Digilent
    /// `#Sample rate: 1.5873e+06Hz`) may be rounded, so a uniform time column
    /// wins over it.
    pub exact: bool,
}

/// Everything [`detect`] learnt from the start of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub delimiter: u8,
    pub decimal: u8,
    pub bom: bool,
    pub crlf: bool,
    /// The line ends seen in the sniffed text (every kind is a line end wherever it occurs).
    pub line_ends: LineEnds,
    /// Byte offset of the first data row.
    pub data_offset: usize,
    /// 1-based line number of the first data row.
    pub first_data_line: u64,
    /// Fields per data row, trailing empty ones included.
    pub fields: usize,
    /// Numeric columns with their roles.
    pub columns: Vec<Column>,
    /// Output channels: indices into `columns`, in output order.
    pub channels: Vec<usize>,
    pub time: Option<TimeAxis>,
    pub header_rate: Option<HeaderRate>,
    /// One row per transition (Saleae, Ikalogic): needs a rate to sample.
    pub events: bool,
    /// Header key/value pairs, in file order.
    pub metadata: Vec<(String, String)>,
    /// What detection decided that a user may want to know.
    pub notes: Vec<String>,
}

/// Time-column step statistics over the whole file (min/max/zero/negative)
/// and over a bounded prefix (median).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStats {
    pub min: f64,
    pub max: f64,
    /// Median of the positive steps among the first [`MEDIAN_STEPS`] steps.
    pub median: f64,
    pub zero_steps: u64,
    pub negative_steps: u64,
    /// (max - min) / median over all positive steps.
    pub jitter: f64,
}

/// How many leading steps the median is taken over: bounded memory whatever
/// the file size, and deterministic whatever the block size.
pub const MEDIAN_STEPS: usize = 100_000;

/// The result of [`convert`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Data rows read (events for event-based files).
    pub rows: u64,
    /// Rows delivered to the sink (expanded samples for event files).
    pub samples: u64,
    pub channels: usize,
    pub names: Vec<String>,
    pub units: Vec<Option<String>>,
    pub sample_rate: Option<f64>,
    pub rate_source: String,
    /// Time of the first sample in seconds, when known.
    pub t0: Option<f64>,
    /// Time of the last row, when known.
    pub t_last: Option<f64>,
    /// Absolute time of t0 for ISO-8601 time columns.
    pub time_origin: Option<String>,
    pub steps: Option<StepStats>,
    /// Per channel: some value has more than 7 significant digits.
    pub needs_f64: Vec<bool>,
    /// Per channel: empty cells (stored as NaN).
    pub nan_counts: Vec<u64>,
    /// Bad cells stored as NaN (`OnError::Nan`).
    pub bad_cells: u64,
    /// Rows dropped (`OnError::Skip`).
    pub skipped_rows: u64,
    /// Empty lines inside the data, ignored.
    pub blank_lines: u64,
    pub warnings: Vec<String>,
}

/// Why a CSV could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    #[error("no data rows: the first {lines} line(s) hold no numeric row")]
    NoData { lines: usize },
    #[error(
        "the file is {encoding} (byte-order mark {bom}): convert it to UTF-8 first, e.g. \
         `iconv -f {encoding} -t UTF-8 IN > OUT.csv`"
    )]
    Encoding {
        encoding: &'static str,
        bom: &'static str,
    },
    #[error(
        "no data rows: byte {offset} is a NUL byte, so this is UTF-16 text without a \
         byte-order mark or not a text file (convert-csv reads ASCII, UTF-8 or Latin-1)"
    )]
    NulByte { offset: usize },
    #[error(
        "no data rows: line 1 has no line end in the first {searched_mb} MB (a header of at \
         least {fields} {delimiter}-separated columns?); the header and the first data rows \
         must fit in {searched_mb} MB"
    )]
    LongLine {
        searched_mb: usize,
        fields: usize,
        delimiter: String,
    },
    #[error("no data rows left: all {skipped} row(s) had errors and were skipped (first: {first})")]
    AllSkipped { skipped: u64, first: String },
    #[error("line {line}, column {column}: not a number: {text:?}")]
    BadCell {
        line: u64,
        column: usize,
        text: String,
    },
    #[error("line {line}, column {column}: {text} is beyond f64's range (not a finite number)")]
    NotFinite {
        line: u64,
        column: usize,
        text: String,
    },
    #[error(
        "line {line}, column {column}: a byte-order mark (bytes EF BB BF) inside the data, \
         as left by joining files: remove it"
    )]
    Bom { line: u64, column: usize },
    #[error("line {line}, column {column}: {what}")]
    Quote {
        line: u64,
        column: usize,
        what: &'static str,
    },
    #[error(
        "line {line}: fields separated by {found} where the data rows use {expected}: the \
         delimiter changes inside the file"
    )]
    DelimiterChange {
        line: u64,
        found: String,
        expected: String,
    },
    #[error("line {line}: expected {expected} fields, got {got}")]
    FieldCount {
        line: u64,
        expected: usize,
        got: usize,
    },
    #[error("no column named {name:?}; columns are: {available}")]
    UnknownColumn { name: String, available: String },
    /// `column` is 1-based, like every column number in messages.
    #[error("column {column} is out of range: data rows have {fields} fields")]
    ColumnIndex { column: usize, fields: usize },
    #[error("no data column left to convert (columns: {available})")]
    NoChannels { available: String },
    #[error(
        "this looks like an event-based logic-analyzer export (one row per transition, \
         {reason}); it has no sample rate: pass one (e.g. -r 100M) to expand it into a \
         sampled waveform"
    )]
    EventsNeedRate { reason: String },
    #[error("line {line}: time goes backwards ({got} s after {previous} s) in an event export")]
    TimeBackwards { line: u64, previous: f64, got: f64 },
    #[error("invalid sample rate {0}: must be finite and > 0")]
    BadRate(f64),
    #[error("writing the output failed: {0}")]
    Sink(#[from] std::io::Error),
}

/// A delimiter as messages name it: `','`, `';'`, `tab`.
pub(crate) fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        d => format!("{:?}", char::from(d)),
    }
}
