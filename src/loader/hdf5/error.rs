//! HDF5 errors: each names the file and the object, and says whether the file looks
//! truncated or damaged.

use super::chunks::CHUNK_BUDGET;
use hdf5_reader::error::Error as ReaderError;
use std::path::{Path, PathBuf};

/// Everything that can go wrong reading an HDF5 capture; each names the file and object.
#[derive(Debug, thiserror::Error)]
pub enum H5Error {
    #[error("{file}: cannot open as HDF5: {source}")]
    Open { file: PathBuf, source: ReaderError },
    #[error("{file}: cannot read the file size: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{file}: the file is truncated: HDF5 says it ends at byte {expected}, but it has {got} bytes"
    )]
    TruncatedFile {
        file: PathBuf,
        expected: u64,
        got: u64,
    },
    /// The header's shape asks for more bytes than the file (or the data block) holds.
    #[error(
        "{file}: dataset {dataset}: the header promises {need} bytes of data (shape {shape:?} of {elem}-byte values) at offset {offset}, but {what}"
    )]
    DataBeyondEnd {
        file: PathBuf,
        dataset: String,
        shape: Vec<u64>,
        elem: usize,
        need: u64,
        offset: u64,
        /// `the file has N bytes …` or `its data block holds only N bytes …`.
        what: String,
    },
    /// A chunk of a chunked dataset lies (partly) outside the file, or its index is damaged.
    #[error("{file}: dataset {dataset}: chunk at sample {frame}: {why}")]
    BadChunk {
        file: PathBuf,
        dataset: String,
        frame: u64,
        why: String,
    },
    /// One decoded chunk (or one row of chunks across the channels) exceeds the memory budget.
    #[error(
        "{file}: dataset {dataset}: one chunk decodes to {bytes} bytes ({} MiB; chunk shape {chunk:?}), above tracekit's budget of {} bytes ({} MiB) per decoded chunk; repack it with smaller chunks, e.g. h5repack -l {dataset}:CHUNK={suggest} IN OUT",
        .bytes >> 20,
        CHUNK_BUDGET,
        CHUNK_BUDGET >> 20
    )]
    ChunkTooLarge {
        file: PathBuf,
        dataset: String,
        chunk: Vec<u64>,
        bytes: u64,
        /// A chunk shape within the budget, `262144` or `262144x2`.
        suggest: String,
    },
    /// The dataset's storage is of a kind tracekit does not read (a virtual dataset).
    #[error(
        "{file}: dataset {dataset} is {what}, which tracekit cannot read; the file holds: {available}"
    )]
    Unsupported {
        file: PathBuf,
        dataset: String,
        what: String,
        available: String,
    },
    /// Reading mapped bytes failed (the loader's error names the file).
    #[error("{0}")]
    Source(String),
    #[error("{file}: cannot read {object}: {source} (the file is truncated or damaged)")]
    Damaged {
        file: PathBuf,
        object: String,
        source: ReaderError,
    },
    #[error("{file}: cannot read {object}: {source}")]
    Read {
        file: PathBuf,
        object: String,
        source: ReaderError,
    },
    #[error("{file}: no dataset {dataset}; the file holds: {available}")]
    DatasetNotFound {
        file: PathBuf,
        dataset: String,
        available: String,
    },
    #[error("{file}: dataset {dataset} holds {type_name} values, not numeric samples")]
    NotNumeric {
        file: PathBuf,
        dataset: String,
        type_name: String,
    },
    #[error(
        "{file}: dataset {dataset} has shape {shape:?}; a waveform is 1-D (samples) or 2-D (samples, channels)"
    )]
    BadShape {
        file: PathBuf,
        dataset: String,
        shape: Vec<u64>,
    },
    #[error(
        "{file}: no waveform-like dataset (numeric, 1-D or 2-D, more than one value); the file holds: {available}"
    )]
    NoWaveform { file: PathBuf, available: String },
    #[error("{file}: several waveform-like datasets, choose one with --dataset: {candidates}")]
    Ambiguous { file: PathBuf, candidates: String },
    #[error(
        "{file}: dataset {dataset} is stored with the {filter} filter, which tracekit cannot decode"
    )]
    UnsupportedFilter {
        file: PathBuf,
        dataset: String,
        filter: String,
    },
    #[error(
        "{file}: dataset {dataset}: {count} frames from frame {start} requested, but it has {frames}"
    )]
    OutOfRange {
        file: PathBuf,
        dataset: String,
        start: u64,
        count: usize,
        frames: u64,
    },
    #[error(
        "{file}: dataset {dataset}: got {got} bytes for frames {start}..{end}, expected {expected}"
    )]
    ShortRead {
        file: PathBuf,
        dataset: String,
        start: u64,
        end: u64,
        expected: usize,
        got: usize,
    },
}

pub(super) fn read_error(file: &Path, object: &str, source: ReaderError) -> H5Error {
    let damaged = match innermost(&source) {
        ReaderError::UnexpectedEof { .. } | ReaderError::OffsetOutOfBounds(_) => true,
        ReaderError::Io(e) => e.kind() == std::io::ErrorKind::UnexpectedEof,
        _ => false,
    };
    let file = file.to_path_buf();
    let object = object.to_string();
    if damaged {
        H5Error::Damaged {
            file,
            object,
            source,
        }
    } else {
        H5Error::Read {
            file,
            object,
            source,
        }
    }
}

/// The library wraps errors in path context; the cause decides how we report it.
pub(super) fn innermost(error: &ReaderError) -> &ReaderError {
    match error {
        ReaderError::Context { source, .. } => innermost(source),
        other => other,
    }
}
