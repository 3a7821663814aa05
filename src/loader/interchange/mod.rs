//! What the interchange formats (WAV/RF64, SigMF, NI TDMS) share: their parse error, bounded
//! positioned reads, RFC 3339 / LabVIEW time stamps, and small helpers over the §A layout
//! types (runs that continue each other merge, so a TDMS file of a million segments stays
//! compact).

pub mod read;
pub mod time;

use super::layout::{Channel, Column, Run};
use crate::sample::{DType, Endian};
use thiserror::Error;

/// Runs a layout may hold in all (24 bytes each: 768 MiB). A header whose layout needs more
/// (a TDMS file of tiny contiguous chunks, a SigMF file of countless captures with header
/// bytes) is refused rather than allowed to exhaust memory.
pub const MAX_RUNS: usize = 1 << 25;

/// Why a WAV, SigMF or TDMS file could not be parsed. The loader prefixes the file name.
#[derive(Debug, Error)]
pub enum FormatError {
    #[error("cannot read {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("not a {format} file: {found}")]
    NotFormat { format: &'static str, found: String },
    #[error("{what} needs {need} bytes at offset {offset} but the file has {size}")]
    Truncated {
        what: String,
        need: u64,
        offset: u64,
        size: u64,
    },
    #[error("{0}")]
    Malformed(String),
    #[error("{0} is not supported")]
    Unsupported(String),
    #[error("{0}")]
    Channel(String),
}

/// Constructors and run bookkeeping the parsers use on [`Column`].
pub trait ColumnExt {
    fn new(dtype: DType, endian: Endian) -> Self;
    /// Append a run, merging it into the previous one when it continues it with the same
    /// stride.
    fn push_run(&mut self, run: Run);
    /// Keep only the first `n` samples.
    fn truncate(&mut self, n: u64);
}

impl ColumnExt for Column {
    fn new(dtype: DType, endian: Endian) -> Column {
        Column {
            dtype,
            endian,
            runs: Vec::new(),
        }
    }

    fn push_run(&mut self, run: Run) {
        if run.samples == 0 {
            return;
        }
        if let Some(last) = self.runs.last_mut() {
            let next = last
                .samples
                .checked_mul(last.stride)
                .and_then(|b| b.checked_add(last.offset));
            if last.stride == run.stride && next == Some(run.offset) {
                last.samples += run.samples;
                return;
            }
        }
        self.runs.push(run);
    }

    fn truncate(&mut self, mut n: u64) {
        let mut keep = 0;
        for run in &mut self.runs {
            if n == 0 {
                break;
            }
            run.samples = run.samples.min(n);
            n -= run.samples;
            keep += 1;
        }
        self.runs.truncate(keep);
    }
}

/// An unscaled channel over a column.
pub trait ChannelExt {
    fn plain(name: String, column: usize) -> Self;
}

impl ChannelExt for Channel {
    fn plain(name: String, column: usize) -> Channel {
        Channel {
            name,
            unit: None,
            column,
            bit: None,
            gain: 1.0,
            offset: 0.0,
            complex_i: false,
        }
    }
}

#[cfg(test)]
mod tests;
