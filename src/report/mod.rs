//! What each command reports, as data: one documented `Serialize` struct per command, built
//! by the command from the loader's and the algorithms' results. `output` renders them as a
//! table, JSON or CSV and computes nothing; the JSON keys are these field names.

pub mod convert;
pub mod decode;
pub mod fft;
pub mod info;
pub mod measure;
pub mod plot;
pub mod stats;

/// A table for people: a header row (empty for key/value rows) and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}
