//! What the Rigol/Keysight tests share: the three formats as the registry tries them,
//! fixtures opened and read through the loader, channels by name.

pub use super::largest_allocation;
pub use super::util::{Scratch, assert_near as assert_close, data};
use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::meta::ScopeMeta;
use crate::loader::{keysight_bin, rigol_bin, rigol_wfm};
use std::path::Path;

pub type ScopeLayout = Layout<ScopeMeta>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    RigolWfm,
    RigolBin,
    KeysightBin,
}

pub fn sniff(head: &[u8], ext: &str) -> Option<Format> {
    if rigol_wfm::sniff(head, ext) {
        Some(Format::RigolWfm)
    } else if rigol_bin::sniff(head, ext) {
        Some(Format::RigolBin)
    } else if keysight_bin::sniff(head, ext) {
        Some(Format::KeysightBin)
    } else {
        None
    }
}

pub fn parse_as(format: Format, path: &Path) -> Result<ScopeLayout, FormatError> {
    let file = std::fs::File::open(path).expect("open");
    let size = file.metadata().expect("metadata").len();
    match format {
        Format::RigolWfm => rigol_wfm::parse(&file, path, size),
        Format::RigolBin => rigol_bin::parse(&file, path, size),
        Format::KeysightBin => keysight_bin::parse(&file, path, size),
    }
}

/// Sniff then parse, as the loader does.
pub fn open(path: &Path) -> Result<ScopeLayout, FormatError> {
    let bytes = std::fs::read(path).expect("read");
    let head = &bytes[..bytes.len().min(64 << 10)];
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = sniff(head, ext).unwrap_or_else(|| panic!("{} not sniffed", path.display()));
    parse_as(format, path)
}

/// Open a fixture and read its channels as f64 through the loader.
pub fn load(name: &str) -> (ScopeLayout, Vec<Vec<f64>>) {
    let path = data(name);
    let layout = open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let values = materialize(&layout, &path);
    (layout, values)
}

/// Every channel's values of the file at `path`, through the loader.
pub fn materialize(_layout: &ScopeLayout, path: &Path) -> Vec<Vec<f64>> {
    super::util::file_values(path, 4096)
}

pub fn channel<'a>(layout: &ScopeLayout, values: &'a [Vec<f64>], name: &str) -> &'a [f64] {
    let i = layout
        .channels
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no channel {name}"));
    &values[i]
}
