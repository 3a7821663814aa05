//! One "lane" = the concatenated, inflated bytes of a list of zip members (all `logic-1-N`
//! chunks, or all chunks of one analog channel), produced by a worker thread.
//!
//! The zip crate's member reader borrows its archive, so a stream cannot hold both; a
//! worker owning its own archive handle (sharing the parsed central directory) sidesteps
//! that and inflates on other cores while the consumer builds frames; consecutive members
//! go to different workers. Memory per lane: at most `MAX_WORKERS × (QUEUE + 3)` blocks of
//! `BLOCK` bytes, whatever the member sizes.

use super::SigrokError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use zip::ZipArchive;

/// Bytes per block handed from the worker to the consumer.
const BLOCK: usize = 1 << 20;
/// Blocks in flight between worker and consumer.
const QUEUE: usize = 2;

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

/// What a worker sends: inflated bytes of its current member, or the end of that member.
enum Msg {
    Data(Vec<u8>),
    MemberEnd,
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
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let count = cores.clamp(1, MAX_WORKERS).min(members.len()).max(1);
        let mut workers = Vec::with_capacity(count);
        for k in 0..count {
            let mine: Vec<Member> = members.iter().skip(k).step_by(count).cloned().collect();
            let (tx, blocks) = sync_channel::<Block>(QUEUE);
            let (recycle, spare) = sync_channel::<Vec<u8>>(QUEUE + 2);
            let archive = archive.clone();
            std::thread::spawn(move || inflate_members(archive, mine, &tx, &spare));
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

    /// Make sure unread bytes are at hand; false at the end.
    fn refill(&mut self) -> Result<bool, SigrokError> {
        while self.pos == self.block.len() {
            if self.members_left == 0 {
                return Ok(false);
            }
            let worker = &self.workers[self.current];
            match worker.blocks.recv() {
                Ok(Ok(Msg::Data(block))) => {
                    let old = std::mem::replace(&mut self.block, block);
                    // A full queue only means the worker allocates a fresh block.
                    let _ = worker.recycle.try_send(old);
                    self.pos = 0;
                }
                Ok(Ok(Msg::MemberEnd)) => {
                    self.members_left -= 1;
                    self.current = (self.current + 1) % self.workers.len();
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
        Ok(true)
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

/// A worker: inflate each member, send its bytes in blocks and then its end; stop quietly
/// when the consumer is gone (the stream was dropped).
fn inflate_members(
    mut archive: ZipArchive<PosReader>,
    members: Vec<Member>,
    tx: &SyncSender<Block>,
    spare: &Receiver<Vec<u8>>,
) {
    let fresh = |spare: &Receiver<Vec<u8>>| match spare.try_recv() {
        Ok(b) => b,
        Err(TryRecvError::Empty | TryRecvError::Disconnected) => Vec::with_capacity(BLOCK),
    };
    let fail = |member: &Member, offset: u64, error: String| {
        let _ = tx.send(Err(SigrokError::Member {
            member: member.name.clone(),
            offset,
            error,
        }));
    };
    // One block carried from member to member: a fresh one only after a full one is sent.
    let mut block = fresh(spare);
    for member in &members {
        let mut reader = match archive.by_index(member.index) {
            Ok(r) => r,
            Err(e) => return fail(member, 0, e.to_string()),
        };
        let mut inflated = 0u64;
        let mut fill = 0usize;
        loop {
            if block.len() < BLOCK {
                block.resize(BLOCK, 0);
            }
            match reader.read(&mut block[fill..]) {
                Ok(0) => break,
                Ok(k) => {
                    fill += k;
                    inflated += k as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return fail(member, inflated, e.to_string()),
            }
            if fill == BLOCK {
                if tx.send(Ok(Msg::Data(std::mem::take(&mut block)))).is_err() {
                    return;
                }
                block = fresh(spare);
                fill = 0;
            }
        }
        if fill > 0 {
            // Send a copy of the filled part; keep the full-size buffer for the next member.
            let mut rest = fresh(spare);
            rest.clear();
            rest.extend_from_slice(&block[..fill]);
            if tx.send(Ok(Msg::Data(rest))).is_err() {
                return;
            }
        }
        if tx.send(Ok(Msg::MemberEnd)).is_err() {
            return;
        }
    }
}
