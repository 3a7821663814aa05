//! The error every scope-format parser returns: problems common to binary headers, and each
//! format's own enum for the rest. The loader prefixes the file name.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum FormatError {
    #[error("cannot read {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A block that must end at byte `need` of a file of `have` bytes.
    #[error("truncated file: {what} ends at byte {need} but the file has {have} bytes")]
    Truncated { what: String, need: u64, have: u64 },
    /// `need` bytes at `offset` of a file of `have` bytes.
    #[error("{what} needs {need} bytes at offset {offset} but the file has {have}")]
    Short {
        what: String,
        offset: u64,
        need: u64,
        have: u64,
    },
    #[error("{what} is {value}, more than the {limit} this reader accepts")]
    TooLarge {
        what: String,
        value: u64,
        limit: u64,
    },
    #[error("{what} is negative ({value})")]
    Negative { what: String, value: i64 },
    #[error("not a {format} file: expected {expected}, found {found}")]
    WrongMagic {
        format: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("unsupported {format} {what} {found} (known: {known})")]
    Unknown {
        format: &'static str,
        what: &'static str,
        found: String,
        known: &'static str,
    },
    #[error("{format}: {what} is {found}, but {expected}")]
    BadValue {
        format: &'static str,
        what: String,
        found: String,
        expected: String,
    },
    #[error("{format}: {why}")]
    Unsupported { format: &'static str, why: String },
    #[error(transparent)]
    TekWfm(#[from] crate::loader::tek_wfm::TekWfmError),
    #[error(transparent)]
    TekIsf(#[from] crate::loader::tek_isf::TekIsfError),
    #[error(transparent)]
    Lecroy(#[from] crate::loader::lecroy::LecroyError),
    #[error(transparent)]
    RsBin(#[from] crate::loader::rs_bin::RsError),
}

impl FormatError {
    pub(crate) fn truncated(what: impl Into<String>, need: u64, have: u64) -> FormatError {
        FormatError::Truncated {
            what: what.into(),
            need,
            have,
        }
    }

    pub(crate) fn bad(
        format: &'static str,
        what: impl Into<String>,
        found: impl std::fmt::Display,
        expected: impl Into<String>,
    ) -> Self {
        FormatError::BadValue {
            format,
            what: what.into(),
            found: found.to_string(),
            expected: expected.into(),
        }
    }
}
