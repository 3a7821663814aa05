//! HDF5 errors: each names the file and the object, and says whether the file looks
//! truncated or damaged.

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
    #[error(
        "{file}: the data of dataset {dataset} (bytes {start}..{end}) lie beyond the end of the file ({file_size} bytes): the file is truncated"
    )]
    DataBeyondEnd {
        file: PathBuf,
        dataset: String,
        start: u64,
        end: u64,
        file_size: u64,
    },
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
