//! Objects the library cannot parse at all (virtual datasets: layout class 3) would make every
//! group listing that holds one fail, and so the whole file. They are found once at open and
//! hidden: the file is read through a [`Storage`] that shows an empty object header at their
//! addresses, so the library skips them, and tracekit lists them itself as unsupported.

use super::error::innermost;
use hdf5_reader::error::{Error as ReaderError, Result as ReaderResult};
use hdf5_reader::storage::{DynStorage, FileStorage, Storage, StorageBuffer};
use hdf5_reader::{Hdf5File, OpenOptions};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// At most this many unreadable objects are hidden; past it the file's error stands.
const MAX_HIDDEN: usize = 64;

/// A version-1 object header with no messages: the library sees an object of no kind.
const EMPTY_HEADER: [u8; 16] = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// A dataset tracekit lists but cannot read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// Absolute path, e.g. `/sub/virt`.
    pub path: String,
    /// What it is, e.g. `a virtual dataset (layout class 3)`.
    pub what: String,
}

/// The file's bytes with an empty object header at each hidden (absolute) address.
struct Hiding {
    inner: DynStorage,
    hidden: Vec<u64>,
}

impl Storage for Hiding {
    fn len(&self) -> u64 {
        self.inner.len()
    }

    fn read_range(&self, offset: u64, len: usize) -> ReaderResult<StorageBuffer> {
        let end = offset.saturating_add(len as u64);
        let overlaps = |&at: &u64| at < end && at + EMPTY_HEADER.len() as u64 > offset;
        let buffer = self.inner.read_range(offset, len)?;
        if !self.hidden.iter().any(overlaps) {
            return Ok(buffer);
        }
        let mut bytes = buffer.to_vec();
        for &at in self.hidden.iter().filter(|a| overlaps(a)) {
            for (i, &b) in EMPTY_HEADER.iter().enumerate() {
                let pos = at + i as u64;
                if (offset..end).contains(&pos) {
                    bytes[(pos - offset) as usize] = b;
                }
            }
        }
        Ok(StorageBuffer::from_vec(bytes))
    }
}

/// Open `path`, hiding the objects whose headers the library cannot parse; returns the file
/// and what was hidden.
pub(super) fn open(
    path: &Path,
    options: impl Fn() -> OpenOptions,
) -> ReaderResult<(Hdf5File, Vec<Unreadable>)> {
    let storage: DynStorage = Arc::new(FileStorage::open(path)?);
    let mut hidden = Vec::new();
    let mut found = Vec::new();
    loop {
        let view: DynStorage = if hidden.is_empty() {
            Arc::clone(&storage)
        } else {
            Arc::new(Hiding {
                inner: Arc::clone(&storage),
                hidden: hidden.clone(),
            })
        };
        let file = Hdf5File::from_storage_with_options(view, options())?;
        if found.len() >= MAX_HIDDEN {
            return Ok((file, found));
        }
        let base = file.superblock().base_address;
        match unreadable_child(&file) {
            Some((group, name, address, what)) => {
                let path = if group == "/" {
                    format!("/{name}")
                } else {
                    format!("{group}/{name}")
                };
                hidden.push(base.saturating_add(address));
                found.push(Unreadable { path, what });
            }
            None => return Ok((file, found)),
        }
    }
}

/// The first object (group path, name, address, description) whose header the library
/// refuses as of an unsupported kind; None when every group lists (or fails otherwise).
fn unreadable_child(file: &Hdf5File) -> Option<(String, String, u64, String)> {
    let root = file.root_group().ok()?;
    let mut seen = HashSet::new();
    let mut stack = vec![(root, "/".to_string())];
    while let Some((group, path)) = stack.pop() {
        if !seen.insert(group.address()) {
            continue;
        }
        match group.members() {
            Ok((groups, _)) => {
                for child in groups {
                    let child_path = if path == "/" {
                        format!("/{}", child.name())
                    } else {
                        format!("{path}/{}", child.name())
                    };
                    stack.push((child, child_path));
                }
            }
            Err(e) => {
                let what = unsupported_kind(innermost(&e))?;
                let (name, address) = failing_child(&e)?;
                return Some((path, name, address, what));
            }
        }
    }
    None
}

/// What an error says is unsupported about an object, when that is the whole problem.
fn unsupported_kind(error: &ReaderError) -> Option<String> {
    match error {
        ReaderError::UnsupportedLayoutClass(3) => Some("a virtual dataset (layout class 3)".into()),
        ReaderError::UnsupportedLayoutClass(c) => Some(format!("a dataset of layout class {c}")),
        ReaderError::UnsupportedLayoutVersion(v) => {
            Some(format!("a dataset with a version {v} data layout"))
        }
        _ => None,
    }
}

/// The child a group listing failed on, from the library's context (`child 'NAME' at 0xADDR`).
fn failing_child(error: &ReaderError) -> Option<(String, u64)> {
    let mut found = None;
    let mut current = error;
    while let ReaderError::Context { path, source } = current {
        if let Some(rest) = path.strip_prefix("child '")
            && let Some((name, hex)) = rest.rsplit_once("' at 0x")
            && let Ok(address) = u64::from_str_radix(hex, 16)
        {
            found = Some((name.to_string(), address));
        }
        current = source;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failing_child_comes_from_the_innermost_context() {
        let e = ReaderError::UnsupportedLayoutClass(3)
            .with_context("child 'it's' at 0x1bf")
            .with_context("/sub");
        assert_eq!(failing_child(&e), Some(("it's".to_string(), 0x1bf)));
        assert_eq!(
            unsupported_kind(innermost(&e)).as_deref(),
            Some("a virtual dataset (layout class 3)")
        );
        assert_eq!(failing_child(&ReaderError::UnsupportedLayoutClass(3)), None);
        assert_eq!(
            unsupported_kind(&ReaderError::InvalidData("x".into())),
            None
        );
    }
}
