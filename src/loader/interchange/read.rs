//! Bounded positioned reads: every size is checked against the file (or the region that
//! holds it) before anything is allocated or read.

use super::FormatError;
use crate::sample::Endian;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// Fill `buf` from `offset`, after checking that the file (`size` bytes) holds it.
pub(crate) fn read_exact_at(
    file: &File,
    offset: u64,
    buf: &mut [u8],
    size: u64,
    what: &str,
) -> Result<(), FormatError> {
    let need = buf.len() as u64;
    if offset.checked_add(need).is_none_or(|end| end > size) {
        return Err(FormatError::Truncated {
            what: what.to_string(),
            need,
            offset,
            size,
        });
    }
    file.read_exact_at(buf, offset)
        .map_err(|source| FormatError::Io {
            what: format!("{what} ({need} bytes at offset {offset})"),
            source,
        })
}

/// `len` bytes from `offset`, allocated only once the file is known to hold them.
pub(crate) fn read_vec(
    file: &File,
    offset: u64,
    len: u64,
    size: u64,
    what: &str,
) -> Result<Vec<u8>, FormatError> {
    if offset.checked_add(len).is_none_or(|end| end > size) {
        return Err(FormatError::Truncated {
            what: what.to_string(),
            need: len,
            offset,
            size,
        });
    }
    let mut buf = vec![0; len as usize];
    read_exact_at(file, offset, &mut buf, size, what)?;
    Ok(buf)
}

pub(crate) fn u16_le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub(crate) fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub(crate) fn u64_le(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// A forward reader over the region `[pos, end)` of a file, through a small window, for
/// headers made of many small fields (TDMS metadata). Memory: one window, whatever `end` is.
pub(crate) struct Cursor<'f> {
    file: &'f File,
    pos: u64,
    end: u64,
    /// Names the region for errors ("the metadata of the segment at 1234").
    region: String,
    endian: Endian,
    window: Vec<u8>,
    window_at: u64,
}

const WINDOW: u64 = 64 * 1024;

impl<'f> Cursor<'f> {
    /// `end` must already be checked against the file size.
    pub(crate) fn new(file: &'f File, pos: u64, end: u64, region: String, endian: Endian) -> Self {
        Cursor {
            file,
            pos,
            end,
            region,
            endian,
            window: Vec::new(),
            window_at: pos,
        }
    }

    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    pub(crate) fn remaining(&self) -> u64 {
        self.end.saturating_sub(self.pos)
    }

    /// The next `n` bytes, or an error naming `what` when the region ends first.
    pub(crate) fn take(&mut self, n: u64, what: &str) -> Result<&[u8], FormatError> {
        if n > self.remaining() {
            return Err(FormatError::Malformed(format!(
                "{what} needs {n} bytes at offset {} but {} ends at {}",
                self.pos, self.region, self.end
            )));
        }
        let in_window =
            self.pos >= self.window_at && self.pos + n <= self.window_at + self.window.len() as u64;
        if !in_window {
            let len = n.max(WINDOW).min(self.end - self.pos);
            self.window.resize(len as usize, 0);
            self.file
                .read_exact_at(&mut self.window, self.pos)
                .map_err(|source| FormatError::Io {
                    what: format!("{} ({len} bytes at offset {})", self.region, self.pos),
                    source,
                })?;
            self.window_at = self.pos;
        }
        let start = (self.pos - self.window_at) as usize;
        self.pos += n;
        Ok(&self.window[start..start + n as usize])
    }

    pub(crate) fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], FormatError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N as u64, what)?);
        Ok(a)
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, FormatError> {
        let a = self.array::<4>(what)?;
        Ok(match self.endian {
            Endian::Little => u32::from_le_bytes(a),
            Endian::Big => u32::from_be_bytes(a),
        })
    }

    pub(crate) fn u64(&mut self, what: &str) -> Result<u64, FormatError> {
        let a = self.array::<8>(what)?;
        Ok(match self.endian {
            Endian::Little => u64::from_le_bytes(a),
            Endian::Big => u64::from_be_bytes(a),
        })
    }

    pub(crate) fn endian(&self) -> Endian {
        self.endian
    }
}
