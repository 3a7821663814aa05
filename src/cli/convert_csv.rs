//! `tracekit convert-csv`.

use super::one_of;
use crate::csvconv::{ColumnSel, OnError, TimeColumnSel};
use crate::sample::DType;
use crate::units;
use clap::Args;
use std::path::PathBuf;

/// Convert an instrument CSV export to .npy, finding dialect, columns and sample rate.
///
/// Reads oscilloscope and logic-analyzer exports (Tektronix, Rigol, Keysight, Siglent,
/// LeCroy, PicoScope, Digilent, Saleae, R&S, OWON, GW Instek, Ikalogic...): finds the header
/// block, delimiter, decimal separator, column names and units, the time column and the
/// sample rate (header metadata such as Rigol's Increment or Tektronix's Sample Interval,
/// else the median step of the time column, with a warning when the steps are not uniform).
/// One data column gives shape (N,), C columns (N, C). The rate and t0 go into the .npy
/// header comment, so `tracekit info OUT` shows them; NumPy ignores the comment.
///
/// Output type: f32 unless some value needs f64 to stay exact (more than 7 significant
/// digits, or a 7-digit value f32 cannot round back, or a value outside f32's range). The
/// file is written as f32 while every value fits; a value that does not switches to f64
/// before anything is written if it is in the first block, else restarts the conversion in
/// f64 (the input is memory-mapped, so the restart re-reads it from the page cache; it
/// costs at most the time already spent). `--dtype` skips the decision; with
/// `--dtype f32`, values that f32 rounds are reported as a warning.
///
/// Lines end at LF, CRLF or a lone CR (mixed line ends are fine). Fields may be quoted as
/// in RFC 4180: a quoted field may hold the delimiter (`"1,5"` is one field; in a
/// comma-separated file whose numbers are all quoted decimal commas, it is 1.5) and `""` is
/// a quote, but not a line break. Every data row is converted or is an error naming its line
/// (see --on-error): a row with another delimiter, a byte-order mark inside the data, text
/// where a number belongs, or a number beyond f64's range (`1e400`). When the time column
/// gives no rate (it never increases, holds one value, or its steps are too small for a
/// finite rate), a warning says why.
///
/// Cost: streams the memory-mapped input on all cores; memory stays bounded (about 100 MB)
/// whatever the file size. The detection report goes to stderr (`-q` silences it), or as
/// JSON to stdout with `--json`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit convert-csv scope.csv                 # writes scope.npy
  tracekit convert-csv DS1054Z.csv -o ch.npy --column CH1 --column CH2
  tracekit convert-csv export.csv --delimiter ';' --decimal , --column 2
  tracekit convert-csv logic.csv -r 1M -o logic.npy   # expand an event export")]
pub struct ConvertCsvArgs {
    /// CSV (or TXT) export to convert (a file: it is memory-mapped)
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// Output .npy (default: IN with the extension .npy); stdout (`-`) is refused
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Data column by name or 1-based number (repeatable); default all value columns
    ///
    /// A number is always a column number (the first field is 1), even in a file whose
    /// column names are numbers; names match case-insensitively.
    #[arg(long, value_parser = parse_csv_column, value_name = "NAME|INDEX")]
    pub column: Vec<ColumnSel>,

    /// Time column by name or 1-based number, or `none` (no time axis)
    #[arg(long, value_parser = parse_csv_time_column, value_name = "NAME|INDEX|none")]
    pub time_column: Option<TimeColumnSel>,

    /// Field delimiter: `,` `;` `tab` (or any single character); default detected
    #[arg(long, value_parser = parse_delimiter, value_name = "C")]
    pub delimiter: Option<u8>,

    /// Decimal separator: `.` or `,`; default detected
    #[arg(long, value_parser = parse_decimal, value_name = "C")]
    pub decimal: Option<u8>,

    /// Lines before the first data row; the line just above the data gives the names
    #[arg(long, value_name = "N")]
    pub skip_rows: Option<usize>,

    /// Output sample type: f32 or f64; default f32 unless a column needs f64 to be exact
    #[arg(long, value_parser = parse_float_type, value_name = "f32|f64")]
    pub dtype: Option<DType>,

    /// Sample rate (overrides the file; needed to expand event-based logic exports)
    #[arg(short = 'r', long = "sample-rate", value_parser = units::parse_rate, value_name = "RATE")]
    pub sample_rate: Option<f64>,

    /// What to do with a cell that is not a number or a row with the wrong field count
    ///
    /// fail: stop with the file, line, column and text (no output file is left); nan: store
    /// NaN for the bad cells and go on; skip: drop the row and go on. Both report counts
    /// and the first few cases as warnings.
    #[arg(long, default_value = "fail", value_parser = one_of::<OnError>(OnError::NAMES))]
    pub on_error: OnError,

    /// Print the detection report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// A `--column` name, or a 1-based column number turned into the 0-based field position.
fn parse_csv_column(text: &str) -> Result<ColumnSel, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a column name or number (1 = the first field) is needed".into());
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(ColumnSel::Name(t.to_string()));
    }
    match t.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(ColumnSel::Index(n - 1)),
        _ => Err(format!(
            "column {t:?}: column numbers start at 1 (the first field)"
        )),
    }
}

fn parse_csv_time_column(text: &str) -> Result<TimeColumnSel, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(TimeColumnSel::None);
    }
    Ok(match parse_csv_column(text)? {
        ColumnSel::Name(n) => TimeColumnSel::Name(n),
        ColumnSel::Index(i) => TimeColumnSel::Index(i),
    })
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        "space" => Ok(b' '),
        t if t.len() == 1 && t != "\n" && t != "\r" && t != "\"" => Ok(t.as_bytes()[0]),
        t => Err(format!(
            "delimiter {t:?}: use one character such as `,` `;` `|`, or `tab`"
        )),
    }
}

fn parse_decimal(text: &str) -> Result<u8, String> {
    match text {
        "." | "," => Ok(text.as_bytes()[0]),
        t => Err(format!("decimal separator {t:?}: use `.` or `,`")),
    }
}

fn parse_float_type(text: &str) -> Result<DType, String> {
    match text {
        "f32" => Ok(DType::F32),
        "f64" => Ok(DType::F64),
        other => Err(format!("'{other}': the output type is f32 or f64")),
    }
}
