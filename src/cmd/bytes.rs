//! The bytes `generate uart` sends, read from a file or a pipe as they are sent, never held
//! whole (a `--bytes-file` of any size costs a 64 KiB buffer).

use crate::dsp::synth_uart::Message;
use std::io::{Read, Seek, SeekFrom};

/// Why the data to send stopped early (a read error, a byte too wide), told to the caller.
#[derive(Default, Clone)]
pub(super) struct Failure(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl Failure {
    pub(super) fn set(&self, why: String) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
    }

    pub(super) fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The bytes to send, read as they are sent (a file of any size, a pipe), never held whole.
pub(super) struct Bytes<R> {
    reader: std::io::BufReader<R>,
    name: String,
    /// The size of a regular file; a pipe's is unknown (and it cannot be sent again).
    len: Option<u64>,
    /// Data bits per frame: a byte with a bit above them cannot be sent.
    bits: u8,
    offset: u64,
    failed: Failure,
}

impl<R: Read + Seek> Bytes<R> {
    pub(super) fn new(reader: R, len: Option<u64>, name: &str, bits: u8, failed: &Failure) -> Self {
        Bytes {
            reader: std::io::BufReader::with_capacity(1 << 16, reader),
            name: name.to_string(),
            len,
            bits,
            offset: 0,
            failed: failed.clone(),
        }
    }
}

impl<R: Read + Seek + Send> Message for Bytes<R> {
    fn next_value(&mut self) -> Option<u16> {
        let mut byte = [0u8];
        match self.reader.read_exact(&mut byte) {
            Ok(()) if u32::from(byte[0]) >> self.bits != 0 => {
                self.failed.set(format!(
                    "{}: byte {} is {:#04x}, which does not fit in {} data bits",
                    self.name, self.offset, byte[0], self.bits
                ));
                None
            }
            Ok(()) => {
                self.offset += 1;
                Some(u16::from(byte[0]))
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => None,
            Err(e) => {
                self.failed.set(format!("{}: {e}", self.name));
                None
            }
        }
    }

    fn restart(&mut self) -> bool {
        self.offset = 0;
        self.len.is_some() && self.reader.seek(SeekFrom::Start(0)).is_ok()
    }

    fn frames(&self) -> Option<u64> {
        self.len
    }
}
