//! Edge and level searches over line levels: they let a decoder jump over idle stretches
//! (memchr, or word-at-a-time over two signals) instead of looking at every sample, and
//! [`Line`] reproduces libsigrokdecode's `wait()` conditions on absolute sample numbers.

use memchr::memchr;

/// Index of the first level in `levels` that differs from `level` (0 or 1).
#[inline]
pub fn find_change(levels: &[u8], level: u8) -> Option<usize> {
    // Levels are 0/1, so "not `level`" is one byte value: memchr's SIMD search.
    find_byte(level ^ 1, levels)
}

/// Bytes read a word at a time before a search goes to memchr: on a busy bus most edges
/// are a few samples away, closer than memchr's call and set-up pay for.
const NEAR: usize = 16;

/// The little-endian word of `bytes[at..at + 8]`.
#[inline]
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// `memchr(needle, hay)`, with the first `NEAR` bytes searched a word at a time.
#[inline]
pub fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let splat = ONES * u64::from(needle);
    let mut at = 0;
    while at < NEAR && at + 8 <= hay.len() {
        let x = word(hay, at) ^ splat;
        // The lowest flagged byte is exactly the first zero byte of `x` (borrows only
        // run upwards from a zero byte).
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(at + zero.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    memchr(needle, &hay[at..]).map(|j| at + j)
}

/// Index of the first sample where `a` differs from `level_a` or `b` from `level_b`.
///
/// Word-at-a-time: 32 samples of each signal per step, so a bus that stays idle is crossed
/// at several GB/s. Both slices must have the same length (the shorter one bounds the search).
#[inline]
pub fn find_change2(a: &[u8], level_a: u8, b: &[u8], level_b: u8) -> Option<usize> {
    const LANES: usize = 32;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let splat = |level: u8| u64::from_le_bytes([level; 8]);
    let (sa, sb) = (splat(level_a), splat(level_b));
    // Near edges (a busy bus) a word at a time, then blocks of LANES.
    let mut near = 0;
    while near < LANES && near + 8 <= n {
        let diff = (word(a, near) ^ sa) | (word(b, near) ^ sb);
        if diff != 0 {
            return Some(near + diff.trailing_zeros() as usize / 8);
        }
        near += 8;
    }
    let (a, b) = (&a[near..], &b[near..]);
    let n = n - near;
    let mut base = 0;
    for (ca, cb) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        let mut diff = 0u64;
        for k in 0..LANES / 8 {
            diff |= (word(ca, 8 * k) ^ sa) | (word(cb, 8 * k) ^ sb);
        }
        if diff != 0 {
            break;
        }
        base += LANES;
    }
    (base..n)
        .find(|&i| a[i] != level_a || b[i] != level_b)
        .map(|i| near + i)
}

/// Up to 64 levels (0/1 bytes, the first in bit 0) as the bits of a word, so a decoder
/// finds the edges of a block with a few bit operations ([`Block`]) instead of a search
/// per edge: on a busy bus edges are a few samples apart.
#[inline]
pub fn pack64(levels: &[u8]) -> u64 {
    // Byte i (0 or 1) of a word times this lands in bit 56 + i, with no other product
    // reaching bits 56..64.
    const GATHER: u64 = 0x0102_0408_1020_4080;
    match <&[u8; 64]>::try_from(levels) {
        Ok(block) => (0..8).fold(0, |bits, j| {
            bits | (word(block, 8 * j).wrapping_mul(GATHER) >> 56) << (8 * j)
        }),
        Err(_) => {
            let mut block = [0u8; 64];
            let n = levels.len().min(64);
            block[..n].copy_from_slice(&levels[..n]);
            pack64(&block)
        }
    }
}

/// One signal over a block of up to 64 samples: its levels as bits (`pack64`) and the
/// samples where it differs from the sample before (`before`: the level ahead of the
/// block). Bits past the block's length are never set in `changes`.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    pub levels: u64,
    pub changes: u64,
}

impl Block {
    pub fn new(levels: &[u8], before: u8) -> Self {
        let bits = pack64(levels);
        let valid = u64::MAX >> (64 - levels.len().clamp(1, 64));
        Block {
            levels: bits,
            changes: (bits ^ (bits << 1 | u64::from(before))) & valid,
        }
    }

    /// Changes to 1 (rising edges).
    pub fn rises(&self) -> u64 {
        self.changes & self.levels
    }

    /// Changes to `level`.
    pub fn edges_to(&self, level: u8) -> u64 {
        self.changes
            & if level == 1 {
                self.levels
            } else {
                !self.levels
            }
    }

    /// The level at bit `k`.
    pub fn level(&self, k: u32) -> u8 {
        (self.levels >> k) as u8 & 1
    }
}

/// The bits above bit `k`: what is left of a block after handling the sample at `k`.
#[inline]
pub fn above(k: u32) -> u64 {
    u64::MAX.checked_shl(k + 1).unwrap_or(0)
}

/// One chunk of levels with absolute sample numbers, and the level before it.
///
/// libsigrokdecode compares every sample with the one before (the very first with 0, its
/// initial pin state); searches here give the same matches, skipping runs with `memchr`.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub base: u64,
    pub levels: &'a [u8],
    /// The level of sample `base - 1` (0 before the first sample, as in sigrok).
    pub before: u8,
}

impl Line<'_> {
    /// One past the last sample of the chunk.
    pub fn end(&self) -> u64 {
        self.base + self.levels.len() as u64
    }

    /// The level at absolute sample `at` (which must lie in the chunk; else the level
    /// before it, never a panic).
    pub fn level(&self, at: u64) -> u8 {
        at.checked_sub(self.base)
            .and_then(|i| self.levels.get(i as usize))
            .copied()
            .unwrap_or(self.before)
    }

    /// The part of the chunk in `from..to` as indices into `levels`.
    fn window(&self, from: u64, to: u64) -> (usize, usize) {
        let len = self.levels.len() as u64;
        let lo = from.saturating_sub(self.base).min(len);
        let hi = to.saturating_sub(self.base).min(len);
        (lo as usize, hi.max(lo) as usize)
    }

    /// The first sample in `from..to` at `level` (sigrok's `'h'`/`'l'` conditions).
    pub fn find_level(&self, from: u64, to: u64, level: u8) -> Option<u64> {
        let (lo, hi) = self.window(from, to);
        let j = find_byte(level, self.levels.get(lo..hi)?)?;
        Some(self.base + (lo + j) as u64)
    }

    /// The first sample in `from..to` that differs from the sample before it and is at
    /// `level` (`'f'` for 0, `'r'` for 1).
    pub fn find_edge_to(&self, from: u64, to: u64, level: u8) -> Option<u64> {
        let (lo, _) = self.window(from, to);
        let before = match lo.checked_sub(1) {
            Some(i) => self.levels.get(i).copied().unwrap_or(self.before),
            None => self.before,
        };
        let from = self.base + lo as u64;
        if before != level {
            self.find_level(from, to, level)
        } else {
            let away = self.find_level(from, to, 1 - level)?;
            self.find_level(away + 1, to, level)
        }
    }

    /// sigrok's `wait([{ch: edge to level}, {'skip': target - cursor}])` after a match at
    /// `cursor`, with edges searched from `scan` (cursor + 1, or where the previous chunk
    /// ended). None: nothing happens before the chunk ends.
    pub fn edge_or_skip(&self, scan: u64, target: u64, level: u8) -> Option<Wake> {
        if target < scan {
            return Some(Wake::Skip(target));
        }
        match self.find_edge_to(scan, target.saturating_add(1).min(self.end()), level) {
            Some(e) if e < target => Some(Wake::Edge(e)),
            Some(e) => Some(Wake::Both(e)),
            None if target < self.end() => Some(Wake::Skip(target)),
            None => None,
        }
    }

    /// The first edge of either direction in `from..to`.
    pub fn find_edge(&self, from: u64, to: u64) -> Option<u64> {
        let (lo, _) = self.window(from, to);
        let before = match lo.checked_sub(1) {
            Some(i) => self.levels.get(i).copied().unwrap_or(self.before),
            None => self.before,
        };
        self.find_level(self.base + lo as u64, to, 1 - before)
    }
}

/// Which conditions of an edge-or-timeout wait matched, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The edge came first.
    Edge(u64),
    /// The wait ran out with no edge.
    Skip(u64),
    /// The edge fell on the last sample of the wait: both matched.
    Both(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_searches_find_the_first_difference_at_every_offset() {
        for n in [0usize, 1, 7, 31, 32, 33, 64, 100, 257] {
            for at in 0..=n {
                let mut a = vec![1u8; n];
                let mut b = vec![0u8; n];
                assert_eq!(find_change2(&a, 1, &b, 0), None, "n={n}");
                if at < n {
                    a[at] = 0;
                    assert_eq!(find_change(&a, 1), Some(at));
                    assert_eq!(find_change2(&a, 1, &b, 0), Some(at), "n={n} at={at}");
                    a[at] = 1;
                    b[at] = 1;
                    assert_eq!(find_change2(&a, 1, &b, 0), Some(at), "n={n} at={at}");
                }
            }
        }
    }

    #[test]
    fn blocks_pack_levels_and_mark_changes_at_every_length() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for n in 1..=64usize {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let levels: Vec<u8> = (0..n).map(|i| (x >> i) as u8 & 1).collect();
            for before in [0u8, 1] {
                let block = Block::new(&levels, before);
                for (k, &v) in levels.iter().enumerate() {
                    let prev = if k == 0 { before } else { levels[k - 1] };
                    assert_eq!(block.level(k as u32), v, "n={n} k={k}");
                    assert_eq!((block.changes >> k) & 1 == 1, v != prev, "n={n} k={k}");
                    assert_eq!((block.rises() >> k) & 1 == 1, v > prev, "n={n} k={k}");
                    assert_eq!((block.edges_to(0) >> k) & 1 == 1, v < prev, "n={n} k={k}");
                }
                assert_eq!(block.changes >> (n - 1) >> 1, 0, "n={n}");
            }
        }
        assert_eq!(above(0), !1);
        assert_eq!(above(63), 0);
    }

    #[test]
    fn find_byte_matches_memchr_at_every_offset() {
        // Bytes other than the needle of every value, so the word search's zero-byte test
        // sees borrows (0x00 next to 0x01, 0x80, 0xff).
        for n in [0usize, 1, 7, 8, 9, 15, 16, 17, 24, 40] {
            for needle in [0u8, 1, 0x80, 0xff] {
                let hay: Vec<u8> = (0..n)
                    .map(|i| [0u8, 1, 0x80, 0xff, 0x7f][i % 5])
                    .map(|v| if v == needle { v.wrapping_add(1) } else { v })
                    .collect();
                assert_eq!(find_byte(needle, &hay), None, "n={n} needle={needle}");
                for at in 0..n {
                    let mut h = hay.clone();
                    h[at] = needle;
                    assert_eq!(find_byte(needle, &h), memchr(needle, &h), "n={n} at={at}");
                    assert_eq!(find_byte(needle, &h), Some(at));
                }
            }
        }
    }

    #[test]
    fn edges_and_levels_by_absolute_index() {
        let levels = [1, 1, 0, 0, 1, 0];
        let line = Line {
            base: 100,
            levels: &levels,
            before: 0,
        };
        // Sample 100 rises from the level before the chunk.
        assert_eq!(line.find_edge_to(100, 106, 1), Some(100));
        assert_eq!(line.find_edge_to(101, 106, 1), Some(104));
        assert_eq!(line.find_edge_to(100, 106, 0), Some(102));
        // A falling edge at 103 would need sample 102 high.
        assert_eq!(line.find_edge_to(103, 106, 0), Some(105));
        assert_eq!(line.find_edge_to(103, 105, 0), None);
        assert_eq!(line.find_level(103, 106, 1), Some(104));
        assert_eq!(line.find_edge(102, 106), Some(102));
        assert_eq!(line.find_edge(103, 106), Some(104));
        assert_eq!(line.level(105), 0);
        assert_eq!(line.level(99), 0);
    }
}
