//! Text inputs (convert-csv) as one read-only memory map of the whole file, whose pages are
//! handed back to the kernel behind the reader so resident memory stays bounded.

use super::LoaderError;
use super::source::page_size;
use memmap2::{Mmap, UncheckedAdvice};
use std::cell::Cell;
use std::fs::File;
use std::path::Path;

pub struct MappedText {
    /// None for an empty file, which cannot be mapped.
    map: Option<Mmap>,
    /// Bytes before this offset were already released.
    released: Cell<usize>,
}

impl MappedText {
    pub fn open(path: &Path) -> Result<MappedText, LoaderError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| LoaderError::io(&name, e))?;
        let meta = file.metadata().map_err(|e| LoaderError::io(&name, e))?;
        if meta.is_dir() {
            return Err(LoaderError::IsDir { path: name });
        }
        if meta.len() == 0 {
            return Ok(MappedText {
                map: None,
                released: Cell::new(0),
            });
        }
        crate::interrupt::mapping(&name, meta.len());
        // SAFETY: the map is read-only and private to this process. Another process
        // truncating the file while we read it raises SIGBUS, which `interrupt::mapping`
        // (above) turns into a one-line error that removes the temporary output.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| LoaderError::io(&name, e))?;
        let _ = map.advise(memmap2::Advice::Sequential);
        Ok(MappedText {
            map: Some(map),
            released: Cell::new(0),
        })
    }

    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or_default()
    }

    /// Drop the resident pages wholly before `offset`: the reader promises never to look
    /// there again (and if it did, the pages would be read back from the file).
    pub fn release_before(&self, offset: u64) {
        let Some(map) = self.map.as_ref() else {
            return;
        };
        let page = page_size() as usize;
        let end = (offset as usize).min(map.len()) / page * page;
        let start = self.released.get();
        if end <= start {
            return;
        }
        // SAFETY: DONTNEED on a private, read-only file mapping only drops clean pages;
        // a later access faults the same bytes back in from the file, so no slice into
        // the map ever sees different contents.
        let _ =
            unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, start, end - start) };
        self.released.set(end);
    }
}
