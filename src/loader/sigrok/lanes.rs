//! One "lane" = the concatenated, inflated bytes of a list of zip members (all `logic-1-N`
//! chunks, or all chunks of one analog channel), produced by a worker thread.
//!
//! The zip crate's member reader borrows its archive, so a stream cannot hold both; a
//! worker owning its own archive handle (sharing the parsed central directory) sidesteps
//! that and inflates on other cores while the consumer builds frames; consecutive members
//! go to different workers.
//!
//! A member of at most `whole` bytes (the central directory gives its inflated size; 8 MiB
//! by default, and libsigrok writes chunks of a few MiB) is read whole and inflated in one
//! call by libdeflate into a buffer of exactly its size, about twice as fast as a streaming
//! inflater, and handed over as one block the consumer can read in place. Larger members
//! (old single-member sessions of tens of MB) are streamed in `BLOCK`-byte blocks. Either
//! way the CRC-32 of the central directory is checked. A worker hands a block over only when
//! the consumer takes it (a rendezvous), so each worker holds at most one decoded member
//! (plus one spare buffer): memory per lane is at most `2 × workers + 1` blocks of
//! `max(whole, BLOCK)` bytes, plus each worker's compressed input, whatever the file size.

use super::SigrokError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use zip::{CompressionMethod, ZipArchive};

/// Bytes per block handed from the worker to the consumer when a member is streamed.
const BLOCK: usize = 1 << 20;
/// Members up to this many inflated (and compressed) bytes are inflated whole.
pub const WHOLE_MEMBER: usize = 8 << 20;

/// A `Read + Seek` over a shared file with its own position (positioned reads), so every
/// lane reads independently.
#[derive(Clone)]
pub struct PosReader {
    file: Arc<File>,
    pos: u64,
    len: u64,
}

impl PosReader {
    pub fn new(file: File, len: u64) -> PosReader {
        PosReader {
            file: Arc::new(file),
            pos: 0,
            len,
        }
    }
}

impl Read for PosReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PosReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

/// A zip member of a lane.
#[derive(Debug, Clone)]
pub struct Member {
    pub index: usize,
    pub name: String,
}

/// What a worker sends: inflated bytes of its current member, and whether they end it.
struct Msg {
    data: Vec<u8>,
    end: bool,
}

type Block = Result<Msg, SigrokError>;

/// Most workers per lane: members are independent deflate streams, so consecutive members
/// inflate on different cores.
const MAX_WORKERS: usize = 4;

/// One worker's channels.
struct Worker {
    blocks: Receiver<Block>,
    recycle: SyncSender<Vec<u8>>,
}

/// The consumer end of a lane.
pub struct Lane {
    /// Member k is inflated by worker k % workers.len(), so reading them in turn keeps order.
    workers: Vec<Worker>,
    current: usize,
    members_left: usize,
    block: Vec<u8>,
    pos: usize,
}

impl Lane {
    /// Start workers inflating `members`, handing them out in turn.
    pub fn spawn(archive: ZipArchive<PosReader>, members: Vec<Member>) -> Lane {
        Lane::spawn_with(archive, members, WHOLE_MEMBER)
    }

    /// [`Lane::spawn`] with members of up to `whole` bytes inflated whole.
    pub fn spawn_with(archive: ZipArchive<PosReader>, members: Vec<Member>, whole: usize) -> Lane {
        let file = archive.clone().into_inner().file;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let count = cores.clamp(1, MAX_WORKERS).min(members.len()).max(1);
        let mut workers = Vec::with_capacity(count);
        for k in 0..count {
            let mine: Vec<Member> = members.iter().skip(k).step_by(count).cloned().collect();
            // A rendezvous: a decoded block waits in its worker until the consumer takes it.
            let (tx, blocks) = sync_channel::<Block>(0);
            let (recycle, spare) = sync_channel::<Vec<u8>>(1);
            let archive = archive.clone();
            let file = file.clone();
            std::thread::spawn(move || inflate_members(archive, &file, mine, whole, &tx, &spare));
            workers.push(Worker { blocks, recycle });
        }
        Lane {
            workers,
            current: 0,
            members_left: members.len(),
            block: Vec::new(),
            pos: 0,
        }
    }

    /// The next block of inflated bytes, whole (empty at the end of the lane). Give it back
    /// with [`Lane::recycle`] once read, so its worker can reuse the buffer.
    pub fn next_block(&mut self) -> Result<Vec<u8>, SigrokError> {
        if self.pos < self.block.len() {
            let rest = self.block.split_off(self.pos);
            self.pos = 0;
            return Ok(rest);
        }
        while self.members_left > 0 {
            let worker = &self.workers[self.current];
            match worker.blocks.recv() {
                Ok(Ok(Msg { data, end })) => {
                    if end {
                        self.members_left -= 1;
                        self.current = (self.current + 1) % self.workers.len();
                    }
                    if !data.is_empty() {
                        return Ok(data);
                    }
                }
                Ok(Err(e)) => {
                    self.members_left = 0;
                    return Err(e);
                }
                Err(_) => {
                    return Err(SigrokError::Member {
                        member: "?".into(),
                        offset: 0,
                        error: "inflating worker stopped".into(),
                    });
                }
            }
        }
        Ok(Vec::new())
    }

    /// Hand a read block's buffer back to a worker (dropped when none has room).
    pub fn recycle(&mut self, block: Vec<u8>) {
        if block.capacity() > 0 {
            let _ = self.workers[self.current].recycle.try_send(block);
        }
    }

    /// Make sure unread bytes are at hand; false at the end.
    fn refill(&mut self) -> Result<bool, SigrokError> {
        if self.pos < self.block.len() {
            return Ok(true);
        }
        let next = self.next_block()?;
        let old = std::mem::replace(&mut self.block, next);
        self.recycle(old);
        self.pos = 0;
        Ok(!self.block.is_empty())
    }

    /// Append up to `n` bytes to `out`; fewer only at the end of the lane.
    pub fn read(&mut self, n: usize, out: &mut Vec<u8>) -> Result<usize, SigrokError> {
        let mut got = 0;
        while got < n && self.refill()? {
            let take = (n - got).min(self.block.len() - self.pos);
            out.extend_from_slice(&self.block[self.pos..self.pos + take]);
            self.pos += take;
            got += take;
        }
        Ok(got)
    }

    /// Drop up to `n` bytes; fewer only at the end of the lane.
    pub fn discard(&mut self, n: u64) -> Result<u64, SigrokError> {
        let mut got = 0u64;
        while got < n && self.refill()? {
            let take = (n - got).min((self.block.len() - self.pos) as u64) as usize;
            self.pos += take;
            got += take as u64;
        }
        Ok(got)
    }
}

/// A worker: inflate each member, send its bytes in blocks, the last one marked as its end;
/// stop quietly when the consumer is gone (the stream was dropped).
fn inflate_members(
    mut archive: ZipArchive<PosReader>,
    file: &File,
    members: Vec<Member>,
    whole: usize,
    tx: &SyncSender<Block>,
    spare: &Receiver<Vec<u8>>,
) {
    let mut inflater = libdeflater::Decompressor::new();
    let mut input = Vec::new();
    for member in &members {
        let sent = match whole_member(&mut archive, member.index, whole) {
            Ok(Some(kind)) => inflate_whole(file, member, kind, &mut inflater, &mut input, spare)
                .map(|data| tx.send(Ok(Msg { data, end: true })).is_ok())
                .map_err(|e| (0, e)),
            Ok(None) => stream_member(&mut archive, member, tx, spare),
            Err(e) => Err((0, e)),
        };
        match sent {
            Ok(true) => {}
            Ok(false) => return,
            Err((offset, error)) => {
                let _ = tx.send(Err(SigrokError::Member {
                    member: member.name.clone(),
                    offset,
                    error,
                }));
                return;
            }
        }
    }
}

/// How a member that is inflated whole is stored.
#[derive(Debug, Clone, Copy)]
struct Whole {
    deflated: bool,
    compressed: usize,
    size: usize,
    crc: u32,
    start: u64,
}

/// The member's storage when it is read whole (stored or deflated, not encrypted, at most
/// `whole` bytes either way); None when it is streamed.
fn whole_member(
    archive: &mut ZipArchive<PosReader>,
    index: usize,
    whole: usize,
) -> Result<Option<Whole>, String> {
    let raw = archive.by_index_raw(index).map_err(|e| e.to_string())?;
    let deflated = match raw.compression() {
        CompressionMethod::Deflated => true,
        CompressionMethod::Stored => false,
        _ => return Ok(None),
    };
    let (compressed, size) = (raw.compressed_size(), raw.size());
    if raw.encrypted() || compressed > whole as u64 || size > whole as u64 {
        return Ok(None);
    }
    let Some(start) = raw.data_start() else {
        return Ok(None);
    };
    Ok(Some(Whole {
        deflated,
        compressed: compressed as usize,
        size: size as usize,
        crc: raw.crc32(),
        start,
    }))
}

/// Read a member's stored bytes with one positioned read and inflate them in one call into
/// a buffer of exactly the inflated size the central directory gives; check its CRC-32.
fn inflate_whole(
    file: &File,
    member: &Member,
    w: Whole,
    inflater: &mut libdeflater::Decompressor,
    input: &mut Vec<u8>,
    spare: &Receiver<Vec<u8>>,
) -> Result<Vec<u8>, String> {
    let mut out = spare.try_recv().unwrap_or_default();
    // A recycled buffer of the right size is overwritten as it is (members are usually all
    // of one size): zeroing it first would cost a tenth of the whole read.
    if out.len() != w.size {
        out.clear();
        out.try_reserve_exact(w.size)
            .map_err(|_| format!("cannot allocate {} bytes for '{}'", w.size, member.name))?;
        out.resize(w.size, 0);
    }
    let stored = if w.deflated {
        input.resize(w.compressed, 0);
        &mut input[..]
    } else {
        &mut out[..]
    };
    file.read_exact_at(stored, w.start)
        .map_err(|e| format!("reading the stored bytes: {e}"))?;
    if w.deflated {
        match inflater.deflate_decompress(input, &mut out) {
            Ok(got) if got == w.size => {}
            Ok(got) => {
                return Err(format!(
                    "deflate data end after {got} of the {} bytes the zip directory gives",
                    w.size
                ));
            }
            Err(libdeflater::DecompressionError::InsufficientSpace) => {
                return Err(format!(
                    "deflate data inflate to more than the {} bytes the zip directory gives",
                    w.size
                ));
            }
            Err(libdeflater::DecompressionError::BadData) => {
                return Err("deflate data are damaged".into());
            }
        }
    }
    let crc = libdeflater::crc32(&out);
    if crc != w.crc {
        return Err(format!(
            "CRC-32 {crc:08x} of the inflated bytes is not the zip directory's {:08x}",
            w.crc
        ));
    }
    Ok(out)
}

/// Inflate a member through the zip crate's streaming reader in `BLOCK`-byte blocks; false
/// when the consumer is gone.
fn stream_member(
    archive: &mut ZipArchive<PosReader>,
    member: &Member,
    tx: &SyncSender<Block>,
    spare: &Receiver<Vec<u8>>,
) -> Result<bool, (u64, String)> {
    let fresh = || match spare.try_recv() {
        Ok(b) => b,
        Err(TryRecvError::Empty | TryRecvError::Disconnected) => Vec::with_capacity(BLOCK),
    };
    let mut reader = archive
        .by_index(member.index)
        .map_err(|e| (0, e.to_string()))?;
    let mut inflated = 0u64;
    let mut block = fresh();
    block.clear();
    block.resize(BLOCK, 0);
    let mut fill = 0usize;
    loop {
        match reader.read(&mut block[fill..]) {
            Ok(0) => break,
            Ok(k) => {
                fill += k;
                inflated += k as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err((inflated, e.to_string())),
        }
        if fill == BLOCK {
            let data = std::mem::replace(&mut block, fresh());
            if tx.send(Ok(Msg { data, end: false })).is_err() {
                return Ok(false);
            }
            block.clear();
            block.resize(BLOCK, 0);
            fill = 0;
        }
    }
    block.truncate(fill);
    Ok(tx
        .send(Ok(Msg {
            data: block,
            end: true,
        }))
        .is_ok())
}
