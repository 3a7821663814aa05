//! Parser-level tests of the interchange formats: damaged and lying headers (the fuzz
//! harness `benches/fuzz.sh` runs them too). Values against independent readers are checked
//! through the built binary in tests/integration/issue15_interchange.rs.

mod damaged;

use super::FormatError;
use crate::loader::layout::Layout;
use crate::loader::{sigmf, tdms, wav};
use std::fs::File;
use std::path::{Path, PathBuf};

/// What the damaged-input tests look at in a parsed layout, whatever its format.
#[derive(Debug)]
pub struct Parsed {
    pub samples: u64,
    pub warnings: Vec<String>,
}

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Every run of a parsed layout lies inside its data file, or the test fails.
fn checked<M>(layout: Layout<M>, opened: &Path) -> Parsed {
    let data_path = match &layout.data_file {
        None => opened.to_path_buf(),
        Some(p) => opened.parent().unwrap_or(Path::new("")).join(p),
    };
    let size = std::fs::metadata(&data_path).map(|m| m.len()).unwrap_or(0);
    if let Err(e) = layout.check(size) {
        panic!("{}: a parsed layout fails its check: {e}", opened.display());
    }
    Parsed {
        samples: layout.samples,
        warnings: layout.warnings,
    }
}

/// Parse `path` with the parser its extension names.
pub fn parse_path(path: &Path) -> Result<Parsed, FormatError> {
    let file = File::open(path).map_err(|source| FormatError::Io {
        what: path.display().to_string(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "wav" => wav::parse(&file, path, size).map(|l| checked(l, path)),
        "tdms" => tdms::parse(&file, path, size).map(|l| checked(l, path)),
        _ => sigmf::parse(&file, path, size).map(|l| checked(l, path)),
    }
}

/// Write `bytes` to `dir/name` and parse it.
pub fn parse_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Result<Parsed, FormatError> {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    parse_path(&p)
}
