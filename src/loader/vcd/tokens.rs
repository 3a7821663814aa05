//! Whitespace-separated tokens of a VCD file, read through one fixed buffer with
//! positioned reads: memory is the buffer whatever the file size.

use super::VcdError;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// Buffer size: large reads keep the scan near memory speed.
const BUF: usize = 4 << 20;

/// Whitespace for VCD: identifiers and values are printable ASCII (33..=126), so every
/// byte up to the space separates tokens. One compare instead of a table.
#[inline(always)]
pub fn is_space(b: u8) -> bool {
    b <= b' '
}

pub struct Tokens {
    file: Arc<File>,
    buf: Vec<u8>,
    /// Next unread byte.
    pos: usize,
    /// Whole tokens lie before this; `buf[limit - 1]` is whitespace.
    limit: usize,
    /// Valid bytes in `buf`.
    end: usize,
    /// File offset of `buf[0]`.
    base: u64,
    /// File offset of the next read.
    next_read: u64,
    eof: bool,
}

impl Tokens {
    /// Tokens of `file` from byte `offset` on.
    pub fn new(file: Arc<File>, offset: u64) -> Tokens {
        Tokens {
            file,
            buf: Vec::new(),
            pos: 0,
            limit: 0,
            end: 0,
            base: offset,
            next_read: offset,
            eof: false,
        }
    }

    /// The next token as a range of [`Tokens::bytes`]; valid until the next call.
    #[inline]
    pub fn next(&mut self) -> Result<Option<(usize, usize)>, VcdError> {
        loop {
            // Locals and a slice cut at `limit`: the loops then compile without reloads.
            let buf = &self.buf[..self.limit];
            let mut p = self.pos;
            while p < buf.len() && is_space(buf[p]) {
                p += 1;
            }
            if p < buf.len() {
                let start = p;
                p += 1;
                while p < buf.len() && !is_space(buf[p]) {
                    p += 1;
                }
                self.pos = p;
                return Ok(Some((start, p)));
            }
            self.pos = p;
            if !self.refill()? {
                return Ok(None);
            }
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The buffered whole tokens and the read position, for a caller scanning them itself
    /// (it then hands back its position with [`Tokens::set_pos`]).
    #[inline]
    pub fn window(&self) -> (&[u8], usize) {
        (&self.buf[..self.limit], self.pos)
    }

    #[inline]
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.limit);
    }

    /// File offset of buffer index `at` (for error messages).
    pub fn offset(&self, at: usize) -> u64 {
        self.base + at as u64
    }

    /// Keep the unread tail, read more; false when nothing is left.
    fn refill(&mut self) -> Result<bool, VcdError> {
        if self.eof {
            return Ok(false);
        }
        if self.buf.len() < BUF {
            self.buf.resize(BUF, 0);
        }
        self.buf.copy_within(self.pos..self.end, 0);
        self.base += self.pos as u64;
        self.end -= self.pos;
        self.pos = 0;
        // Leave one byte for the newline appended at the end of the file.
        while self.end < BUF - 1 {
            let n = self
                .file
                .read_at(&mut self.buf[self.end..BUF - 1], self.next_read)
                .map_err(|e| VcdError::Io {
                    offset: self.next_read,
                    error: e,
                })?;
            if n == 0 {
                self.eof = true;
                break;
            }
            self.end += n;
            self.next_read += n as u64;
        }
        if self.eof {
            self.buf[self.end] = b'\n';
            self.end += 1;
            self.limit = self.end;
        } else {
            match self.buf[..self.end].iter().rposition(|&b| is_space(b)) {
                Some(p) => self.limit = p + 1,
                None => {
                    return Err(VcdError::TokenTooLong {
                        offset: self.base,
                        limit: BUF - 1,
                    });
                }
            }
        }
        Ok(true)
    }
}
