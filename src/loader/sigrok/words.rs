//! The frames of a logic-only session whose words are stored as the trace presents them
//! (1, 2, 4 or 8 bytes, little-endian on a little-endian machine): handed out in place from
//! the lane's inflated blocks, never copied, unless a request crosses from one block into
//! the next; those few requests are gathered into a stitch buffer.

use super::SigrokError;
use super::lanes::Lane;
use crate::loader::LoaderError;
use crate::loader::source::FrameSource;

pub struct WordFrames {
    lane: Lane,
    path: String,
    unit: u64,
    /// The lane's bytes `[block_at, block_at + block.len())`.
    block: Vec<u8>,
    block_at: u64,
    /// Bytes `[stitch_at, stitch_at + stitch.len())`: the last request that crossed blocks.
    stitch: Vec<u8>,
    stitch_at: u64,
    /// Where the last request started: a request may repeat its frames, not go before them.
    floor: u64,
    ended: bool,
}

impl WordFrames {
    pub fn new(lane: Lane, path: String, unit: usize) -> WordFrames {
        WordFrames {
            lane,
            path,
            unit: unit as u64,
            block: Vec::new(),
            block_at: 0,
            stitch: Vec::new(),
            stitch_at: 0,
            floor: 0,
            ended: false,
        }
    }

    fn block_end(&self) -> u64 {
        self.block_at + self.block.len() as u64
    }

    fn error(&self, e: SigrokError) -> LoaderError {
        LoaderError::Invalid {
            path: self.path.clone(),
            what: "data",
            why: e.to_string(),
        }
    }

    /// Move on to the lane's next block; false at the end of the lane.
    fn advance(&mut self) -> Result<bool, LoaderError> {
        if self.ended {
            return Ok(false);
        }
        let next = self.lane.next_block().map_err(|e| self.error(e))?;
        self.block_at = self.block_end();
        let old = std::mem::replace(&mut self.block, next);
        self.lane.recycle(old);
        self.ended = self.block.is_empty();
        Ok(!self.ended)
    }
}

impl FrameSource for WordFrames {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        let a = start.saturating_mul(self.unit);
        if a < self.floor {
            return Err(LoaderError::Backwards {
                path: self.path.clone(),
            });
        }
        self.floor = a;
        let b = a.saturating_add((count as u64).saturating_mul(self.unit));
        // Blocks wholly before the request are passed over (and the stitch with them).
        while self.block_end() <= a && self.advance()? {}
        if self.block_end() <= a {
            return Ok(&[]);
        }
        if a >= self.block_at && b <= self.block_end() {
            let at = (a - self.block_at) as usize;
            return Ok(&self.block[at..at + (b - a) as usize]);
        }
        let stitch_end = self.stitch_at + self.stitch.len() as u64;
        if a >= self.stitch_at && b <= stitch_end {
            let at = (a - self.stitch_at) as usize;
            return Ok(&self.stitch[at..at + (b - a) as usize]);
        }
        // Gather [a, b): the part before the block comes from the previous stitch (this
        // request repeats frames of the last one, which crossed into the block).
        let mut next = Vec::with_capacity((b - a) as usize);
        if a < self.block_at {
            if a < self.stitch_at || self.block_at > stitch_end {
                return Err(LoaderError::Backwards {
                    path: self.path.clone(),
                });
            }
            let from = (a - self.stitch_at) as usize;
            let to = (self.block_at - self.stitch_at) as usize;
            next.extend_from_slice(&self.stitch[from..to]);
        }
        loop {
            let pos = a + next.len() as u64;
            if pos >= b {
                break;
            }
            if pos >= self.block_end() && !self.advance()? {
                break;
            }
            let from = (pos - self.block_at) as usize;
            let to = (b.min(self.block_end()) - self.block_at) as usize;
            next.extend_from_slice(&self.block[from..to]);
        }
        // Whole frames only: a lane that ends mid-word ends before that word.
        next.truncate(next.len() / self.unit as usize * self.unit as usize);
        self.stitch = next;
        self.stitch_at = a;
        Ok(&self.stitch)
    }
}
