//! `.npz` archives (several arrays in a zip): recognised only to say what to do instead.

use super::{Input, LoaderError, Sniff, Trace};

pub struct Npz;

impl super::Format for Npz {
    fn name(&self) -> &'static str {
        "npz"
    }

    fn sniff(&self, head: &[u8], extension: &str) -> Sniff {
        Sniff::by(head.starts_with(b"PK\x03\x04"), extension == "npz")
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        Err(LoaderError::Npz { path: input.name })
    }
}
