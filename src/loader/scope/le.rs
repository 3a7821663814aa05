//! Bounded positioned reads of header bytes and little-endian field access.
//!
//! Every read is checked against the file size before anything is allocated, and no single
//! header read may exceed [`MAX_HEADER_READ`], so a lying length field can neither make us
//! allocate gigabytes nor read past the end of the file.

use super::FormatError;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// Headers of these formats are a few KiB; anything larger is a lie.
pub const MAX_HEADER_READ: u64 = 1 << 20;

/// The opened file and its size, as every parser sees them.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    file: &'a File,
    size: u64,
}

impl<'a> Source<'a> {
    pub fn new(file: &'a File, size: u64) -> Self {
        Source { file, size }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Fail unless `len` bytes at `offset` lie inside the file.
    pub fn check(&self, what: &str, offset: u64, len: u64) -> Result<(), FormatError> {
        match offset.checked_add(len) {
            Some(end) if end <= self.size => Ok(()),
            _ => Err(FormatError::Short {
                what: what.to_string(),
                offset,
                need: len,
                have: self.size,
            }),
        }
    }

    /// Read exactly `len` header bytes at `offset`; `what` names them in errors.
    pub fn fields(&self, what: &str, offset: u64, len: u64) -> Result<Fields, FormatError> {
        self.check(what, offset, len)?;
        if len > MAX_HEADER_READ {
            return Err(FormatError::bad(
                "header",
                format!("{what} length"),
                len,
                format!("headers are at most {MAX_HEADER_READ} bytes"),
            ));
        }
        let mut bytes = vec![0u8; len as usize];
        self.file
            .read_exact_at(&mut bytes, offset)
            .map_err(|source| FormatError::Io {
                what: format!("{what} ({len} bytes at offset {offset})"),
                source,
            })?;
        Ok(Fields {
            bytes,
            base: offset,
            file_size: self.size,
            what: what.to_string(),
        })
    }

    /// Read up to `max` bytes at `offset` (fewer near the end of the file).
    pub fn fields_upto(&self, what: &str, offset: u64, max: u64) -> Result<Fields, FormatError> {
        let len = self.size.saturating_sub(offset).min(max);
        self.fields(what, offset, len)
    }
}

/// Header bytes read from a known file offset, with checked little-endian accessors.
pub struct Fields {
    bytes: Vec<u8>,
    base: u64,
    file_size: u64,
    what: String,
}

macro_rules! le_getter {
    ($name:ident, $t:ty) => {
        pub fn $name(&self, at: usize) -> Result<$t, FormatError> {
            let raw = self.slice(at, std::mem::size_of::<$t>())?;
            let mut buf = [0u8; std::mem::size_of::<$t>()];
            buf.copy_from_slice(raw);
            Ok(<$t>::from_le_bytes(buf))
        }
    };
}

impl Fields {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `len` bytes at `at` (relative to the start of these fields).
    pub fn slice(&self, at: usize, len: usize) -> Result<&[u8], FormatError> {
        at.checked_add(len)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or_else(|| FormatError::Short {
                what: format!("{} field at +{at}", self.what),
                offset: self.base.saturating_add(at as u64),
                need: len as u64,
                have: self.file_size,
            })
    }

    le_getter!(u8, u8);
    le_getter!(u16, u16);
    le_getter!(u32, u32);
    le_getter!(u64, u64);
    le_getter!(i16, i16);
    le_getter!(i32, i32);
    le_getter!(i64, i64);
    le_getter!(f32, f32);
    le_getter!(f64, f64);

    /// A NUL-terminated (or NUL/space-padded) ASCII string field, trimmed; None when empty.
    pub fn text(&self, at: usize, len: usize) -> Result<Option<String>, FormatError> {
        Ok(cstr(self.slice(at, len)?))
    }
}

/// Printable text up to the first NUL, trimmed; None when nothing is left.
pub fn cstr(raw: &[u8]) -> Option<String> {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let text: String = raw
        .get(..end)
        .unwrap_or_default()
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
