//! Exact moments of sample streams far larger than memory: count, NaNs, mean, variance,
//! extremes and where they first occur.
//!
//! Why this shape:
//! - Samples are summed per block of [`BLOCK`] samples on a grid fixed to the first sample,
//!   relative to a shift `K` (the block's first non-NaN sample) in `LANES` (8) independent
//!   accumulators, so the compiler vectorises the loop and the shifted sums do not cancel.
//! - Blocks are merged with Chan et al.'s formula in a binary-counter pairwise tree (error
//!   O(log n), never a plain running sum), and the mean is carried as a double-double so a
//!   signal riding on a large offset (1e9 + 1e-3 noise) keeps its low digits across merges.
//! - A lane always sees the same samples in the same order, blocks sit on the same grid and
//!   merge in the same tree, so the result is bit-for-bit the same however the stream is cut
//!   into chunks or spread over threads.
//! - argmin/argmax: only a run whose extreme beats the best so far is scanned for the index.

use crate::sample::Sample;
use crate::sample::sink::{ChannelSink, ChannelSplit, Sink, SinkError};
use rayon::prelude::*;

/// Samples per block: the grid on which sums are formed and merged.
pub const BLOCK: usize = 4096;
/// Independent accumulators per block (two AVX2 vectors of f64).
const LANES: usize = 8;
/// Runs shorter than this many blocks are not worth splitting across threads.
const MIN_PARALLEL_BLOCKS: usize = 16;
/// Levels of the merge tree: one per bit of the block count.
const LEVELS: usize = 64;

/// The finished statistics of a run of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Samples that are not NaN.
    pub count: u64,
    pub nan_count: u64,
    /// NaN when `count` is 0 (as are `min`, `max` and everything derived).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    pub min: f64,
    pub max: f64,
    /// Absolute sample index of the first minimum / maximum (None when untracked or empty).
    pub argmin: Option<u64>,
    pub argmax: Option<u64>,
}

impl Moments {
    /// Population variance (ddof 0).
    pub fn variance(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.m2 / self.count as f64
        }
    }

    pub fn std(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Root mean square, from mean² + variance (no separate sum of squares to lose digits).
    pub fn rms(&self) -> f64 {
        if self.mean.is_infinite() {
            return f64::INFINITY;
        }
        (self.mean * self.mean + self.variance()).sqrt()
    }

    pub fn peak_to_peak(&self) -> f64 {
        self.max - self.min
    }

    /// The moments of `x × gain + offset` from those of `x`, for a nonzero finite gain.
    ///
    /// Exact where it matters: the extremes go through the same expression as scaling
    /// each sample (`x * gain + offset`, which is monotone in `x`), so min, max and their
    /// first indices are bit-for-bit those of the scaled samples (swapped for a negative
    /// gain). The mean and spread map with one rounding each, from sums of the codes that
    /// are exact, where scaling every sample first would round each of them: at least as
    /// close to the true values as the per-sample computation (within a few ulp of it).
    pub fn affine(self, gain: f64, offset: f64) -> Moments {
        let map = |x: f64| x * gain + offset;
        let (min, max, argmin, argmax) = if gain > 0.0 {
            (map(self.min), map(self.max), self.argmin, self.argmax)
        } else {
            (map(self.max), map(self.min), self.argmax, self.argmin)
        };
        Moments {
            mean: map(self.mean),
            m2: self.m2 * gain * gain,
            min,
            max,
            argmin,
            argmax,
            ..self
        }
    }
}

/// Count, mean (double-double) and M2 of a run; extremes are tracked apart.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sums {
    n: u64,
    nan: u64,
    mean: f64,
    /// Low part of the mean: `mean + mean_lo` is the mean to about twice f64 precision.
    mean_lo: f64,
    m2: f64,
}

impl Sums {
    /// Bit for bit equal (so merging either gives the same bits).
    fn same(&self, b: &Sums) -> bool {
        self.n == b.n
            && self.nan == b.nan
            && self.mean.to_bits() == b.mean.to_bits()
            && self.mean_lo.to_bits() == b.mean_lo.to_bits()
            && self.m2.to_bits() == b.m2.to_bits()
    }

    const EMPTY: Sums = Sums {
        n: 0,
        nan: 0,
        mean: 0.0,
        mean_lo: 0.0,
        m2: 0.0,
    };

    /// Chan et al.'s merge of `self` with the run `b` that follows it.
    fn then(&self, b: &Sums) -> Sums {
        let nan = self.nan + b.nan;
        if b.n == 0 {
            return Sums { nan, ..*self };
        }
        if self.n == 0 {
            return Sums { nan, ..*b };
        }
        let n = self.n + b.n;
        if !(self.mean.is_finite() && b.mean.is_finite()) {
            // Infinities: the mean follows IEEE addition (inf, or NaN for inf - inf) and the
            // spread is undefined, as NumPy's x - mean would make it.
            return Sums {
                n,
                nan,
                mean: self.mean + b.mean,
                mean_lo: 0.0,
                m2: f64::NAN,
            };
        }
        let (na, nb, nf) = (self.n as f64, b.n as f64, n as f64);
        let (d_hi, d_lo) = two_sum(b.mean, -self.mean);
        let delta = d_hi + (d_lo + (b.mean_lo - self.mean_lo));
        let (hi, lo) = two_sum(self.mean, delta * (nb / nf));
        let (mean, mean_lo) = two_sum(hi, lo + self.mean_lo);
        let m2 = self.m2 + b.m2 + delta * delta * (na * (nb / nf));
        Sums {
            n,
            nan,
            mean,
            mean_lo,
            m2,
        }
    }
}

/// `a + b` as an unevaluated pair (hi, lo) with hi = fl(a + b) and hi + lo = a + b exactly
/// (Knuth's TwoSum). Non-finite sums get lo = 0 so they do not turn into NaN.
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    if !s.is_finite() {
        return (s, 0.0);
    }
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// First minimum and maximum with their absolute indices; `min` is NaN while nothing is seen.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    min: f64,
    argmin: u64,
    max: f64,
    argmax: u64,
}

impl Extremes {
    const NONE: Extremes = Extremes {
        min: f64::NAN,
        argmin: 0,
        max: f64::NAN,
        argmax: 0,
    };

    /// Combine with the extremes of a later run: ties keep the earlier index.
    fn then(self, b: Extremes) -> Extremes {
        let mut out = self;
        if b.min < self.min || (self.min.is_nan() && !b.min.is_nan()) {
            (out.min, out.argmin) = (b.min, b.argmin);
        }
        if b.max > self.max || (self.max.is_nan() && !b.max.is_nan()) {
            (out.max, out.argmax) = (b.max, b.argmax);
        }
        out
    }

    /// Take in a run whose smallest and largest non-NaN values are `lo` and `hi` (±inf
    /// when it has none); scan it for the index only when it beats the best so far.
    fn note<T: Sample>(&mut self, data: &[T], lo: f64, hi: f64, start: u64, index: bool) {
        if lo > hi {
            return; // only NaNs
        }
        if lo < self.min || self.min.is_nan() {
            self.min = lo;
            if index {
                self.argmin =
                    start + data.iter().position(|v| v.to_f64() == lo).unwrap_or(0) as u64;
            }
        }
        if hi > self.max || self.max.is_nan() {
            self.max = hi;
            if index {
                self.argmax =
                    start + data.iter().position(|v| v.to_f64() == hi).unwrap_or(0) as u64;
            }
        }
    }
}

/// The per-lane sums of a block in progress.
#[derive(Debug, Clone, Copy)]
struct Lanes {
    s1: [f64; LANES],
    s2: [f64; LANES],
    nan: [f64; LANES],
}

impl Lanes {
    const ZERO: Lanes = Lanes {
        s1: [0.0; LANES],
        s2: [0.0; LANES],
        nan: [0.0; LANES],
    };

    /// Whether a NaN went into the fast sums (also true for inf - inf, which the careful
    /// pass then reproduces).
    fn poisoned(&self) -> bool {
        self.s1.iter().chain(&self.s2).any(|v| v.is_nan())
    }

    /// The block's sums, lanes added pairwise in a fixed order.
    fn sums(&self, shift: f64, len: usize) -> Sums {
        let add =
            |v: &[f64; LANES]| ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
        let nan = add(&self.nan) as u64;
        let n = len as u64 - nan;
        if n == 0 {
            return Sums { nan, ..Sums::EMPTY };
        }
        let (s1, s2) = (add(&self.s1), add(&self.s2));
        let d = s1 / n as f64;
        let m2 = s2 - s1 * d;
        // Rounding can leave a tiny negative; NaN (from infinities) must stay NaN.
        let m2 = if m2 < 0.0 { 0.0 } else { m2 };
        let (mean, mean_lo) = two_sum(shift, d);
        Sums {
            n,
            nan,
            mean,
            mean_lo,
            m2,
        }
    }
}

/// Extremes of one lane set during a pass.
struct Acc {
    lanes: Lanes,
    lo: [f64; LANES],
    hi: [f64; LANES],
}

impl Acc {
    /// One sample into lane `l`. The fast form (`NANS` false) lets a NaN poison the sums:
    /// kept branch-free, LLVM keeps the lanes in registers, whereas the select that skips
    /// NaNs becomes masked stores to memory (measured 3x slower). A poisoned block is redone
    /// with `NANS` true; without NaNs both forms do the same operations, so the same bits.
    #[inline(always)]
    fn step<const NANS: bool>(&mut self, l: usize, x: f64, shift: f64) {
        let ok = !x.is_nan();
        let d = if NANS && !ok { 0.0 } else { x - shift };
        self.lanes.s1[l] += d;
        self.lanes.s2[l] += d * d;
        if NANS {
            self.lanes.nan[l] += if ok { 0.0 } else { 1.0 };
        }
        // f64::min ignores a NaN argument. (The compare-and-select form makes the SLP
        // vectoriser shuffle lanes around: 2x slower.)
        self.lo[l] = self.lo[l].min(x);
        self.hi[l] = self.hi[l].max(x);
    }
}

impl Acc {
    fn new(lanes: Lanes) -> Acc {
        Acc {
            lanes,
            lo: [f64::INFINITY; LANES],
            hi: [f64::NEG_INFINITY; LANES],
        }
    }

    /// The lanes, and the smallest and largest non-NaN value seen (+inf, -inf when none).
    fn finish(self) -> (Lanes, f64, f64) {
        let lo = self.lo.iter().fold(f64::INFINITY, |m, &v| m.min(v));
        let hi = self.hi.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        (self.lanes, lo, hi)
    }
}

/// Add `data` (whose first sample belongs to lane `phase`) to `lanes`, skipping NaNs;
/// returns the smallest and largest non-NaN value of `data` (+inf, -inf when none).
fn kernel<T: Sample>(lanes: &mut Lanes, shift: f64, data: &[T], phase: usize) -> (f64, f64) {
    let mut acc = Acc::new(*lanes);
    let head = ((LANES - phase) % LANES).min(data.len());
    for (i, v) in data[..head].iter().enumerate() {
        acc.step::<true>(phase + i, v.to_f64(), shift);
    }
    let (groups, tail) = data[head..].as_chunks::<LANES>();
    for g in groups {
        for (l, v) in g.iter().enumerate() {
            acc.step::<true>(l, v.to_f64(), shift);
        }
    }
    for (l, v) in tail.iter().enumerate() {
        acc.step::<true>(l, v.to_f64(), shift);
    }
    let (out, lo, hi) = acc.finish();
    *lanes = out;
    (lo, hi)
}

/// The hot loop: a whole block, NaNs not skipped (they poison the sums; see
/// [`Acc::step`]). No lane is chosen at run time, so LLVM keeps every lane in a register.
/// Inlined into the plain and the AVX2 copy of [`block_fast_dispatch`].
#[inline(always)]
fn block_fast<T: Sample>(shift: f64, block: &[T]) -> (Lanes, f64, f64) {
    let mut acc = Acc::new(Lanes::ZERO);
    let (groups, _) = block.as_chunks::<LANES>();
    for g in groups {
        for (l, v) in g.iter().enumerate() {
            acc.step::<false>(l, v.to_f64(), shift);
        }
    }
    acc.finish()
}

/// The shift for a block: its first non-NaN sample seen (finite), so all earlier samples of
/// the block were NaN and contributed nothing whatever the shift.
fn first_shift<T: Sample>(data: &[T]) -> Option<f64> {
    let x = data.iter().map(|v| v.to_f64()).find(|x| !x.is_nan())?;
    Some(if x.is_finite() { x } else { 0.0 })
}

/// Whole blocks of `data` (a multiple of BLOCK long) into `out`, one entry per block;
/// returns their extremes. `start` is the absolute index of `data[0]`.
fn blocks<T: Sample>(data: &[T], out: &mut [Sums], start: u64, index: bool) -> Extremes {
    let mut ext = Extremes::NONE;
    for (b, (block, slot)) in data.chunks_exact(BLOCK).zip(out.iter_mut()).enumerate() {
        let shift = first_shift(block).unwrap_or(0.0);
        let (mut lanes, mut lo, mut hi) = block_fast_dispatch(shift, block);
        if lanes.poisoned() {
            lanes = Lanes::ZERO;
            (lo, hi) = kernel(&mut lanes, shift, block, 0);
        }
        ext.note(block, lo, hi, start + (b * BLOCK) as u64, index);
        *slot = lanes.sums(shift, BLOCK);
    }
    ext
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn block_fast_avx2<T: Sample>(shift: f64, block: &[T]) -> (Lanes, f64, f64) {
    block_fast(shift, block)
}

/// [`block_fast`] compiled for the widest vectors this CPU has, each copy a function of its
/// own (inlined into a bigger loop, LLVM stops vectorising it). The arithmetic is the same
/// IEEE operations in the same order either way, so results do not depend on the CPU.
#[inline(never)]
fn block_fast_dispatch<T: Sample>(shift: f64, block: &[T]) -> (Lanes, f64, f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of the
        // target_feature function.
        return unsafe { block_fast_avx2(shift, block) };
    }
    block_fast(shift, block)
}

/// Exact statistics of one channel over a run of samples fed in order, in any pieces.
#[derive(Clone)]
pub struct Accumulator {
    /// Absolute index of the first sample (the block grid starts here).
    origin: u64,
    /// Samples taken so far.
    len: u64,
    /// Merged complete blocks: `levels[i]` holds 2^i blocks when bit i of `blocks` is set.
    /// Grown on demand (one level per doubling), so a short run costs a few bytes: 65 536
    /// channels of statistics stay small.
    levels: Vec<Sums>,
    blocks: u64,
    /// The block in progress (`len % BLOCK` samples of it seen) and its shift, once known.
    part: Lanes,
    shift: Option<f64>,
    ext: Extremes,
    /// Whether to find argmin/argmax (a scan per improving run).
    index: bool,
    scratch: Vec<Sums>,
    /// The last merge at each level of the tree (left, right, result): a run of identical
    /// blocks (an idle logic line) merges identical pairs, whose result is reused.
    merged: Vec<[Sums; 3]>,
    /// The last whole block of a logic line: (ones, shift bits) and its sums.
    level_block: Option<((u64, u64), Sums)>,
}

impl Accumulator {
    /// An empty accumulator whose first sample has absolute index `origin`. Without
    /// `index`, argmin/argmax stay None (envelopes need only the values).
    pub fn new(origin: u64, index: bool) -> Accumulator {
        Accumulator {
            origin,
            len: 0,
            levels: Vec::new(),
            blocks: 0,
            part: Lanes::ZERO,
            shift: None,
            ext: Extremes::NONE,
            index,
            scratch: Vec::new(),
            merged: Vec::new(),
            level_block: None,
        }
    }

    /// Samples taken so far (NaNs included).
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Take the next samples. Long runs are split across the rayon pool.
    pub fn push<T: Sample>(&mut self, data: &[T]) {
        let mut rest = data;
        let fill = (self.len % BLOCK as u64) as usize;
        if fill > 0 {
            let (head, tail) = rest.split_at((BLOCK - fill).min(rest.len()));
            self.push_part(head);
            rest = tail;
        }
        let (whole, tail) = rest.split_at(rest.len() / BLOCK * BLOCK);
        if !whole.is_empty() {
            self.push_blocks(whole);
        }
        if !tail.is_empty() {
            self.push_part(tail);
        }
    }

    /// Take the next `len` samples of a logic line (every sample 0 or 1) without looking
    /// at them one by one: `ones(a, b)` counts the ones among samples `a..b` of the run
    /// (never more than one block at a time) and `level(i)` is sample `i`. The result is
    /// bit for bit that of [`Accumulator::push`] on the same 0/1 values: a block's lane
    /// sums of 0/1 values (less a 0/1 shift) are small integers, exact in any order, so one
    /// count per block stands for them; the extremes and their first indices are found the
    /// same way.
    pub fn push_levels(
        &mut self,
        len: usize,
        ones: impl Fn(usize, usize) -> u64,
        level: impl Fn(usize) -> bool,
    ) {
        let mut at = 0;
        while at < len {
            let fill = (self.len % BLOCK as u64) as usize;
            let run = (BLOCK - fill).min(len - at);
            let k = ones(at, at + run);
            let shift = *self.shift.get_or_insert(if level(at) { 1.0 } else { 0.0 });
            // Σ(x - shift) and Σ(x - shift)² over the run.
            let (s1, s2) = if shift == 0.0 {
                (k as f64, k as f64)
            } else {
                let zeros = (run as u64 - k) as f64;
                (-zeros, zeros)
            };
            self.part.s1[0] += s1;
            self.part.s2[0] += s2;
            let start = self.origin + self.len;
            let first = |value: bool| {
                start + (at..at + run).position(|i| level(i) == value).unwrap_or(0) as u64
            };
            let lo = if k < run as u64 { 0.0 } else { 1.0 };
            let hi = if k > 0 { 1.0 } else { 0.0 };
            if lo < self.ext.min || self.ext.min.is_nan() {
                self.ext.min = lo;
                if self.index {
                    self.ext.argmin = first(lo == 1.0);
                }
            }
            if hi > self.ext.max || self.ext.max.is_nan() {
                self.ext.max = hi;
                if self.index {
                    self.ext.argmax = first(hi == 1.0);
                }
            }
            self.len += run as u64;
            if fill + run == BLOCK {
                // A whole block's sums follow from its count of ones and its shift alone.
                let key = (fill == 0).then_some((k, shift.to_bits()));
                let sums = match (key, self.level_block) {
                    (Some(key), Some((last, sums))) if key == last => sums,
                    _ => {
                        let sums = self.part.sums(shift, BLOCK);
                        self.level_block = key.map(|key| (key, sums));
                        sums
                    }
                };
                self.push_sums(sums);
                self.part = Lanes::ZERO;
                self.shift = None;
            }
            at += run;
        }
    }

    /// Samples that fit in the block in progress.
    fn push_part<T: Sample>(&mut self, data: &[T]) {
        let fill = (self.len % BLOCK as u64) as usize;
        if self.shift.is_none() {
            self.shift = first_shift(data);
        }
        let (lo, hi) = kernel(
            &mut self.part,
            self.shift.unwrap_or(0.0),
            data,
            fill % LANES,
        );
        self.ext
            .note(data, lo, hi, self.origin + self.len, self.index);
        self.len += data.len() as u64;
        if fill + data.len() == BLOCK {
            let sums = self.part.sums(self.shift.unwrap_or(0.0), BLOCK);
            self.push_sums(sums);
            self.part = Lanes::ZERO;
            self.shift = None;
        }
    }

    /// Whole blocks, starting on the grid.
    fn push_blocks<T: Sample>(&mut self, data: &[T]) {
        let n = data.len() / BLOCK;
        let start = self.origin + self.len;
        let index = self.index;
        let mut out = std::mem::take(&mut self.scratch);
        out.resize(n, Sums::EMPTY);
        let ext = if n >= MIN_PARALLEL_BLOCKS {
            let per_task = n
                .div_ceil(rayon::current_num_threads() * 4)
                .max(MIN_PARALLEL_BLOCKS / 2);
            data.par_chunks(per_task * BLOCK)
                .zip(out.par_chunks_mut(per_task))
                .enumerate()
                .map(|(t, (d, o))| blocks(d, o, start + (t * per_task * BLOCK) as u64, index))
                .reduce(|| Extremes::NONE, Extremes::then)
        } else {
            blocks(data, &mut out, start, index)
        };
        self.ext = self.ext.then(ext);
        for s in &out {
            self.push_sums(*s);
        }
        self.len += data.len() as u64;
        self.scratch = out;
    }

    /// Take everything `later` took, as if its samples had been pushed here: bit for bit the
    /// same result provided `later` starts where this one ends, this one ends on a block
    /// boundary, and its block count is a multiple of 2^k for the largest 2^k ≤ `later`'s
    /// (regions of 2^k whole blocks on the grid, the last one shorter, merged in order).
    /// The highest levels of `later`'s tree hold its earliest blocks, so adding them from the
    /// top, each as a carry into its own level, is exactly what pushing its blocks one by
    /// one would have built.
    pub fn append(&mut self, later: &Accumulator) {
        debug_assert_eq!(later.origin, self.origin + self.len, "regions in order");
        debug_assert_eq!(self.len % BLOCK as u64, 0, "appended on a block boundary");
        debug_assert!(
            later.blocks == 0 || self.blocks.is_multiple_of(1 << later.blocks.ilog2()),
            "appended on its own tree's alignment"
        );
        for level in (0..LEVELS).rev() {
            if later.blocks >> level & 1 == 1 {
                self.carry(level, later.levels[level]);
            }
        }
        self.part = later.part;
        self.shift = later.shift;
        self.ext = self.ext.then(later.ext);
        self.len += later.len;
    }

    /// Add one finished block to the pairwise tree (a binary counter of blocks).
    fn push_sums(&mut self, s: Sums) {
        self.carry(0, s);
    }

    /// Add a node of 2^`level` blocks to the tree; the levels below it must be empty.
    fn carry(&mut self, node: usize, s: Sums) {
        let mut carry = s;
        let mut level = node;
        while self.blocks >> level & 1 == 1 {
            let left = self.levels[level];
            carry = match self.merged.get(level) {
                Some([l, r, out]) if l.same(&left) && r.same(&carry) => *out,
                _ => {
                    let out = left.then(&carry);
                    if self.merged.len() <= level {
                        self.merged.resize(level + 1, [Sums::EMPTY; 3]);
                    }
                    self.merged[level] = [left, carry, out];
                    out
                }
            };
            level += 1;
        }
        if self.levels.len() <= level {
            self.levels.resize(level + 1, Sums::EMPTY);
        }
        self.levels[level] = carry;
        self.blocks += 1 << node;
    }

    /// The statistics of everything taken so far.
    pub fn moments(&self) -> Moments {
        let mut total = Sums::EMPTY;
        for level in (0..LEVELS).rev() {
            if self.blocks >> level & 1 == 1 {
                total = total.then(&self.levels[level]);
            }
        }
        let fill = (self.len % BLOCK as u64) as usize;
        if fill > 0 {
            total = total.then(&self.part.sums(self.shift.unwrap_or(0.0), fill));
        }
        let seen = total.n > 0;
        let pick = |v: f64| if seen { v } else { f64::NAN };
        Moments {
            count: total.n,
            nan_count: total.nan,
            mean: pick(total.mean + total.mean_lo),
            m2: pick(total.m2),
            min: pick(self.ext.min),
            max: pick(self.ext.max),
            argmin: (seen && self.index).then_some(self.ext.argmin),
            argmax: (seen && self.index).then_some(self.ext.argmax),
        }
    }
}

/// Reads the fixed-width little-endian fields [`Accumulator::to_bytes`] writes.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn u64(&mut self) -> Result<u64, String> {
        let (head, rest) = self
            .0
            .split_first_chunk::<8>()
            .ok_or("the accumulator's bytes end early")?;
        self.0 = rest;
        Ok(u64::from_le_bytes(*head))
    }
    fn f64(&mut self) -> Result<f64, String> {
        self.u64().map(f64::from_bits)
    }
    fn byte(&mut self) -> Result<u8, String> {
        let (&b, rest) = self
            .0
            .split_first()
            .ok_or("the accumulator's bytes end early")?;
        self.0 = rest;
        Ok(b)
    }
}

impl Accumulator {
    /// Version of the encoding [`Accumulator::to_bytes`] writes (its first byte).
    pub const ENCODING: u8 = 1;

    /// The whole merge state, every f64 as its bits, to send to another process:
    /// [`Accumulator::from_bytes`] gives back an accumulator that pushes, appends and
    /// reports exactly as this one would. Layout (little-endian): version byte, index
    /// flag, origin, len, blocks, the levels (count, then n, nan, mean, mean_lo, m2 each),
    /// the block in progress (s1, s2, nan lanes), shift (flag byte + value), extremes
    /// (min, argmin, max, argmax). Equal states give equal bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + 40 * self.levels.len() + 24 * LANES);
        out.push(Self::ENCODING);
        out.push(u8::from(self.index));
        let mut put = |v: u64| out.extend_from_slice(&v.to_le_bytes());
        put(self.origin);
        put(self.len);
        put(self.blocks);
        // Only the levels in use, and empty sums for the ones whose bit is clear (a carry
        // leaves stale sums behind): equal states give equal bytes.
        let used = 64 - self.blocks.leading_zeros() as usize;
        put(used as u64);
        for (level, s) in self.levels[..used].iter().enumerate() {
            let s = if self.blocks >> level & 1 == 1 {
                s
            } else {
                &Sums::EMPTY
            };
            put(s.n);
            put(s.nan);
            put(s.mean.to_bits());
            put(s.mean_lo.to_bits());
            put(s.m2.to_bits());
        }
        for lane in [&self.part.s1, &self.part.s2, &self.part.nan] {
            for v in lane {
                put(v.to_bits());
            }
        }
        put(self.ext.min.to_bits());
        put(self.ext.argmin);
        put(self.ext.max.to_bits());
        put(self.ext.argmax);
        out.push(u8::from(self.shift.is_some()));
        out.extend_from_slice(&self.shift.unwrap_or(0.0).to_bits().to_le_bytes());
        out
    }

    /// An accumulator from the bytes [`Accumulator::to_bytes`] wrote, and the bytes after
    /// them; an error for another version or bytes that cannot be such a state.
    pub fn from_bytes(bytes: &[u8]) -> Result<(Accumulator, &[u8]), String> {
        let mut r = Fields(bytes);
        let version = r.byte()?;
        if version != Self::ENCODING {
            return Err(format!(
                "accumulator encoding version {version}, this tracekit reads version {}",
                Self::ENCODING
            ));
        }
        let index = r.byte()? == 1;
        let (origin, len, blocks, count) = (r.u64()?, r.u64()?, r.u64()?, r.u64()?);
        let highest = if blocks == 0 {
            0
        } else {
            blocks.ilog2() as u64 + 1
        };
        if count > LEVELS as u64
            || count < highest
            || blocks.checked_mul(BLOCK as u64) != Some(len - len % BLOCK as u64)
        {
            return Err("the accumulator's bytes are not a consistent state".into());
        }
        let mut levels = Vec::with_capacity(count as usize);
        for _ in 0..count {
            levels.push(Sums {
                n: r.u64()?,
                nan: r.u64()?,
                mean: r.f64()?,
                mean_lo: r.f64()?,
                m2: r.f64()?,
            });
        }
        let mut part = Lanes::ZERO;
        for lane in [&mut part.s1, &mut part.s2, &mut part.nan] {
            for v in lane.iter_mut() {
                *v = r.f64()?;
            }
        }
        let ext = Extremes {
            min: r.f64()?,
            argmin: r.u64()?,
            max: r.f64()?,
            argmax: r.u64()?,
        };
        let has_shift = r.byte()? == 1;
        let shift = r.f64()?;
        Ok((
            Accumulator {
                origin,
                len,
                levels,
                blocks,
                part,
                shift: has_shift.then_some(shift),
                ext,
                index,
                scratch: Vec::new(),
                merged: Vec::new(),
                level_block: None,
            },
            r.0,
        ))
    }
}

impl ChannelSink for Accumulator {
    fn take<T: Sample>(&mut self, _start: u64, samples: &[T]) {
        self.push(samples);
    }
}

impl ChannelSplit for Accumulator {
    /// Regions must be 2^k whole blocks for [`Accumulator::append`] to give the same bits.
    fn grain(&self) -> u64 {
        BLOCK as u64
    }

    fn fork(&self, start: u64) -> Self {
        Accumulator::new(start, self.index)
    }

    fn join(&mut self, later: Self) {
        self.append(&later);
    }
}

/// The envelope of one channel: statistics per window of `width` samples, the windows laid
/// from the first sample on, the last one possibly short.
pub struct Envelope {
    width: u64,
    open: Accumulator,
}

impl Envelope {
    /// Windows of `width` (≥ 1) samples, the first starting at absolute index `origin`.
    pub fn new(origin: u64, width: u64) -> Envelope {
        Envelope {
            width: width.max(1),
            open: Accumulator::new(origin, false),
        }
    }

    /// Take the next samples; the windows they complete are appended to `done`, in order.
    pub fn push<T: Sample>(&mut self, data: &[T], done: &mut Vec<Moments>) {
        let w = self.width;
        let mut rest = data;
        if !self.open.is_empty() || (rest.len() as u64) < w {
            let (head, tail) = rest.split_at(((w - self.open.len()) as usize).min(rest.len()));
            self.open.push(head);
            rest = tail;
            if self.open.len() == w {
                done.push(self.open.moments());
                self.open = Accumulator::new(self.open.origin + w, false);
            }
        }
        let whole = (rest.len() as u64 / w) as usize;
        let (full, tail) = rest.split_at(whole * w as usize);
        let origin = self.open.origin;
        done.par_extend(full.par_chunks(w as usize).enumerate().map(|(i, win)| {
            let mut acc = Accumulator::new(origin + i as u64 * w, false);
            acc.push(win);
            acc.moments()
        }));
        if whole > 0 {
            self.open = Accumulator::new(origin + whole as u64 * w, false);
        }
        if !tail.is_empty() {
            self.open.push(tail);
        }
    }

    /// The last, short window, if the data did not end on a window boundary.
    pub fn finish(&self) -> Option<Moments> {
        (!self.open.is_empty()).then(|| self.open.moments())
    }
}

/// The envelopes of several channels over the same windows: each window goes to `emit`, with
/// one [`Moments`] per channel, as soon as every channel has completed it.
pub struct Envelopes<F> {
    channels: Vec<Envelope>,
    done: Vec<Vec<Moments>>,
    emitted: u64,
    emit: F,
}

impl<F: FnMut(&[&Moments]) -> std::io::Result<()>> Envelopes<F> {
    /// `channels` envelopes of windows of `width` samples from absolute index `origin`.
    pub fn new(channels: usize, origin: u64, width: u64, emit: F) -> Self {
        Envelopes {
            channels: (0..channels)
                .map(|_| Envelope::new(origin, width))
                .collect(),
            done: vec![Vec::new(); channels],
            emitted: 0,
            emit,
        }
    }

    /// Emit the windows every channel has completed.
    fn emit_done(&mut self) -> std::io::Result<()> {
        let complete = self.done.iter().map(Vec::len).min().unwrap_or(0);
        for w in 0..complete {
            let window: Vec<&Moments> = self.done.iter().map(|d| &d[w]).collect();
            (self.emit)(&window)?;
            self.emitted += 1;
        }
        self.done.iter_mut().for_each(Vec::clear);
        Ok(())
    }

    /// Emit the last, short window, if any; returns how many windows were emitted in all.
    pub fn finish(mut self) -> std::io::Result<u64> {
        let last: Vec<Moments> = self.channels.iter().filter_map(Envelope::finish).collect();
        if !last.is_empty() {
            (self.emit)(&last.iter().collect::<Vec<_>>())?;
            self.emitted += 1;
        }
        Ok(self.emitted)
    }
}

impl<F: FnMut(&[&Moments]) -> std::io::Result<()>> Sink for Envelopes<F> {
    fn take<T: Sample>(&mut self, _start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        self.channels
            .par_iter_mut()
            .zip(self.done.par_iter_mut())
            .zip(columns.par_iter())
            .for_each(|((env, done), column)| env.push(column, done));
        Ok(self.emit_done()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::synth::Rng;

    /// Issue 19: a partial sent as bytes to another process and back continues and merges
    /// with the same bits as the one that never left (odd tails, NaNs, the tree's levels).
    #[test]
    fn issue_19_accumulator_bytes_round_trip() {
        let mut rng = Rng::new(19);
        let mut x: Vec<f64> = (0..9 * BLOCK + 123).map(|_| 1e6 + rng.gaussian()).collect();
        x[5000] = f64::NAN;
        let mut whole = Accumulator::new(7, true);
        whole.push(&x);
        let cut = 8 * BLOCK;
        let mut head = Accumulator::new(7, true);
        head.push(&x[..cut]);
        let mut tail = Accumulator::new(7 + cut as u64, true);
        tail.push(&x[cut..cut + 100]);
        let bytes = tail.to_bytes();
        let (mut tail, rest) = Accumulator::from_bytes(&bytes).unwrap();
        assert!(rest.is_empty());
        tail.push(&x[cut + 100..]);
        let (mut head, _) = Accumulator::from_bytes(&head.to_bytes()).unwrap();
        head.append(&tail);
        let (a, b) = (head.moments(), whole.moments());
        assert_eq!(a.mean.to_bits(), b.mean.to_bits());
        assert_eq!(a.m2.to_bits(), b.m2.to_bits());
        assert_eq!(
            (a.count, a.nan_count, a.argmin, a.argmax),
            (b.count, b.nan_count, b.argmin, b.argmax)
        );
        assert_eq!((a.min, a.max), (b.min, b.max));
        let mut other = bytes.clone();
        other[0] = 2;
        assert!(matches!(Accumulator::from_bytes(&other), Err(e) if e.contains("version 2")));
        assert!(Accumulator::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    /// `reps` rounds of the levels c + a·k, k = -50..=50, visited in a scrambled order
    /// (k = 37·i mod 101 - 50): mean c and variance a²(101² - 1)/12 exactly, and with c and a
    /// chosen so every value is exact in f64, a known answer even on a huge offset.
    fn levels(c: f64, a: f64, reps: usize) -> Vec<f64> {
        (0..101 * reps)
            .map(|i| c + a * (((37 * i) % 101) as f64 - 50.0))
            .collect()
    }

    /// The moments of codes mapped through a scale equal those of the scaled samples:
    /// extremes and their first indices bit for bit (swapped for a negative gain), mean
    /// and std within a few ulp; here on int16 codes with a scope-like gain and offset.
    #[test]
    fn affine_map_of_code_moments_equals_scaled_samples() {
        let codes: Vec<i16> = (0..100_003)
            .map(|i: i32| ((i * 7919) % 65_521 - 32_760) as i16)
            .collect();
        for (gain, offset) in [(1.5625e-5, 0.0), (0.05, -4.85), (-0.004, 0.3)] {
            let scaled: Vec<f64> = codes
                .iter()
                .map(|&c| f64::from(c) * gain + offset)
                .collect();
            let want = run(&scaled, &[4096]);
            let got = run(&codes, &[4096]).affine(gain, offset);
            let case = format!("gain {gain} offset {offset}");
            assert_eq!(
                (got.min, got.argmin),
                (want.min, want.argmin),
                "{case}: min"
            );
            assert_eq!(
                (got.max, got.argmax),
                (want.max, want.argmax),
                "{case}: max"
            );
            assert_eq!((got.count, got.nan_count), (want.count, want.nan_count));
            let spread = want.std();
            assert!(
                (got.mean - want.mean).abs() <= 1e-13 * spread,
                "{case}: mean"
            );
            assert!((got.std() / spread - 1.0).abs() <= 1e-13, "{case}: std");
        }
    }

    fn run<T: Sample>(data: &[T], pieces: &[usize]) -> Moments {
        let mut acc = Accumulator::new(0, true);
        let mut rest = data;
        let mut i = 0;
        while !rest.is_empty() {
            let n = pieces[i % pieces.len()].min(rest.len());
            acc.push(&rest[..n]);
            rest = &rest[n..];
            i += 1;
        }
        acc.moments()
    }

    /// Merges reused for identical pairs give the bits of merges made afresh: the tree of
    /// an accumulator against the same binary counter of blocks built with `then` alone.
    #[test]
    fn reused_merges_equal_fresh_merges() {
        let block = |k: usize| -> Vec<f64> {
            (0..BLOCK)
                .map(|i| ((i * 7 + k / 3) % 5) as f64 * 0.1)
                .collect()
        };
        // Runs of identical blocks broken by others.
        let kinds: Vec<usize> = (0..200).map(|b| if b % 37 < 30 { 0 } else { b }).collect();
        let mut acc = Accumulator::new(0, false);
        let (mut tree, mut count) = (Vec::<Sums>::new(), 0u64);
        for &k in &kinds {
            let data = block(k);
            acc.push(&data);
            let mut one = Accumulator::new(0, false);
            one.push(&data);
            let mut carry = one.levels[0];
            let mut level = 0;
            while count >> level & 1 == 1 {
                carry = tree[level].then(&carry);
                level += 1;
            }
            if tree.len() <= level {
                tree.resize(level + 1, Sums::EMPTY);
            }
            tree[level] = carry;
            count += 1;
        }
        let mut total = Sums::EMPTY;
        for level in (0..tree.len()).rev() {
            if count >> level & 1 == 1 {
                total = total.then(&tree[level]);
            }
        }
        let m = acc.moments();
        assert_eq!(m.count, total.n);
        assert_eq!(m.mean.to_bits(), (total.mean + total.mean_lo).to_bits());
        assert_eq!(m.m2.to_bits(), total.m2.to_bits());
    }

    /// Counted logic levels give the same bits as the levels pushed one by one, whatever
    /// the pieces, with idle lines (all 0, all 1) and a late first 0.
    #[test]
    fn levels_counted_equal_levels_pushed() {
        let mut rng = Rng::new(16);
        let mut cases: Vec<Vec<u8>> = vec![vec![0; 9000], vec![1; 13_000]];
        cases.push((0..50_000).map(|_| (rng.next_u64() & 1) as u8).collect());
        cases.push(
            (0..70_001)
                .map(|i| u8::from(i < 20_000 || (i / 333) % 3 == 0))
                .collect(),
        );
        cases.push((0..30_000).map(|i| u8::from(i > 12_345)).collect());
        // Long runs of identical blocks (one 1 per block, then all 1s): reused block sums
        // and reused merges at every level of the tree.
        cases.push(
            (0..300_000)
                .map(|i| u8::from((i / 40_000) % 2 == 1 || i % 4096 == 17))
                .collect(),
        );
        for (c, data) in cases.iter().enumerate() {
            for pieces in [&[4096][..], &[7], &[1, 5000, 3], &[100_000]] {
                let want = run(data, pieces);
                let mut acc = Accumulator::new(0, true);
                let mut at = 0;
                let mut i = 0;
                while at < data.len() {
                    let n = pieces[i % pieces.len()].min(data.len() - at);
                    let part = &data[at..at + n];
                    acc.push_levels(
                        n,
                        |a, b| part[a..b].iter().map(|&v| u64::from(v)).sum(),
                        |k| part[k] == 1,
                    );
                    at += n;
                    i += 1;
                }
                let got = acc.moments();
                assert_eq!(got, want, "case {c} pieces {pieces:?}");
                assert_eq!(got.mean.to_bits(), want.mean.to_bits());
                assert_eq!(got.m2.to_bits(), want.m2.to_bits());
            }
        }
    }

    /// `m` against the known count, mean and variance; extremes and their first index by a
    /// plain scan of `data`.
    fn check(case: &str, data: &[f64], m: &Moments, (count, mean, var): (u64, f64, f64)) {
        assert_eq!(
            (m.count, m.nan_count),
            (count, data.len() as u64 - count),
            "{case}: counts"
        );
        let std = var.sqrt();
        assert!(
            (m.mean - mean).abs() <= 1e-12 * mean.abs().max(std),
            "{case}: mean {} vs {mean}",
            m.mean
        );
        assert!(
            (m.std() - std).abs() <= 1e-9 * std,
            "{case}: std {} vs {std}",
            m.std()
        );
        let rms = (mean * mean + var).sqrt();
        assert!(
            (m.rms() - rms).abs() <= 1e-12 * rms,
            "{case}: rms {} vs {rms}",
            m.rms()
        );
        let (mut imin, mut imax) = (None::<usize>, None::<usize>);
        for (i, &x) in data.iter().enumerate().filter(|(_, x)| !x.is_nan()) {
            imin = Some(imin.filter(|&j| data[j] <= x).unwrap_or(i));
            imax = Some(imax.filter(|&j| data[j] >= x).unwrap_or(i));
        }
        let (imin, imax) = (imin.unwrap(), imax.unwrap());
        let want = (data[imin], data[imax], Some(imin as u64), Some(imax as u64));
        assert_eq!((m.min, m.max, m.argmin, m.argmax), want, "{case}: extremes");
        assert_eq!(m.peak_to_peak(), data[imax] - data[imin], "{case}");
    }

    /// (count, mean, variance) of [`levels`].
    fn known(c: f64, a: f64, reps: usize) -> (u64, f64, f64) {
        ((101 * reps) as u64, c, a * a * (101.0 * 101.0 - 1.0) / 12.0)
    }

    #[test]
    fn known_answers_small_and_on_large_offsets() {
        for (c, a) in [
            (0.25, 3.0),
            (1e9, 1.0 / 1024.0),
            (-5e12, 1.0 / 16.0),
            (0.0, 1e-100),
        ] {
            let data = levels(c, a, 1001);
            check(
                &format!("{c} + {a}·k"),
                &data,
                &run(&data, &[data.len()]),
                known(c, a, 1001),
            );
        }
    }

    #[test]
    fn a_ramp_then_a_step_to_a_large_offset() {
        // 0, h, 2h, ... (mean h(n-1)/2, variance h²(n²-1)/12), then the same levels on 1e8:
        // blocks far from each other's means.
        let (n, h) = (50_000usize, 1.0 / 512.0);
        let mut data: Vec<f64> = (0..n).map(|i| i as f64 * h).collect();
        let ramp = (
            n as f64 * h * (n as f64 - 1.0) / 2.0,
            h * h * ((n * n) as f64 - 1.0) / 12.0 * n as f64,
        );
        let tail = levels(1e8, 1.0 / 64.0, 700);
        data.extend(&tail);
        // merge the two known parts by hand: total mean and M2
        let (na, nb) = (n as f64, tail.len() as f64);
        let (ma, mb) = (ramp.0 / na, 1e8);
        let mean = (na * ma + nb * mb) / (na + nb);
        let m2 = ramp.1
            + nb * known(1e8, 1.0 / 64.0, 700).2
            + (mb - ma) * (mb - ma) * na * nb / (na + nb);
        check(
            "ramp + step",
            &data,
            &run(&data, &[data.len()]),
            ((n + tail.len()) as u64, mean, m2 / (na + nb)),
        );
    }

    #[test]
    fn any_cut_gives_identical_bits() {
        let mut rng = Rng::new(5);
        let mut data: Vec<f64> = (0..50_000).map(|_| 7.0 + rng.gaussian()).collect();
        data[3] = f64::NAN;
        data[BLOCK] = f64::NAN;
        data[40_000] = f64::NAN;
        let whole = run(&data, &[data.len()]);
        for pieces in [
            &[1][..],
            &[7],
            &[1000],
            &[BLOCK],
            &[BLOCK + 1],
            &[3, 4095, 8193, 17, 1],
        ] {
            assert_eq!(run(&data, pieces), whole, "pieces {pieces:?}");
        }
    }

    #[test]
    fn regions_appended_in_order_give_identical_bits() {
        let mut rng = Rng::new(9);
        let mut data: Vec<f64> = (0..50_000).map(|_| 1e9 + rng.gaussian()).collect();
        data[5] = f64::NAN;
        // ties across regions: the first occurrence must win
        (data[100], data[30_000]) = (2e9, 2e9);
        (data[9_000], data[45_000]) = (-1.0, -1.0);
        let whole = run(&data, &[data.len()]);
        assert_eq!((whole.argmax, whole.argmin), (Some(100), Some(9_000)));
        for blocks in [1, 2, 4, 8, 16] {
            let mut acc = Accumulator::new(0, true);
            for (i, region) in data.chunks(blocks * BLOCK).enumerate() {
                let mut part = Accumulator::new((i * blocks * BLOCK) as u64, true);
                part.push(region);
                acc.append(&part);
            }
            assert_eq!(acc.moments(), whole, "regions of {blocks} blocks");
            assert_eq!(acc.len(), data.len() as u64);
        }
    }

    #[test]
    fn nans_are_counted_and_excluded() {
        // The levels with NaNs inserted (not replacing values), including a leading run of
        // NaNs longer than a block.
        let clean = levels(-2.0, 0.125, 300);
        let mut data = vec![f64::NAN; BLOCK + 100];
        for (i, &v) in clean.iter().enumerate() {
            data.push(v);
            if i % 7 == 0 {
                data.push(f64::NAN);
            }
        }
        let m = run(&data, &[data.len()]);
        check("nans", &data, &m, known(-2.0, 0.125, 300));
        assert_eq!(run(&data, &[5, 333]), m);
    }

    #[test]
    fn all_nan_has_no_statistics() {
        let data = vec![f64::NAN; 5000];
        let m = run(&data, &[data.len()]);
        assert_eq!(
            (m.count, m.nan_count, m.argmin, m.argmax),
            (0, 5000, None, None)
        );
        assert!(m.mean.is_nan() && m.std().is_nan() && m.min.is_nan() && m.rms().is_nan());
    }

    #[test]
    fn integer_types() {
        let data = levels(0.0, 300.0, 200);
        let i16s: Vec<i16> = data.iter().map(|&v| v as i16).collect();
        check(
            "i16",
            &data,
            &run(&i16s, &[i16s.len()]),
            known(0.0, 300.0, 200),
        );
        let data = levels(100.0, 2.0, 200);
        let u8s: Vec<u8> = data.iter().map(|&v| v as u8).collect();
        check("u8", &data, &run(&u8s, &[777]), known(100.0, 2.0, 200));
        // 2^53 + 2k·2: beyond 2^53 only even integers exist in f64, and these are even.
        let data = levels(9_007_199_254_740_992.0, 2.0, 200);
        let i64s: Vec<i64> = data.iter().map(|&v| v as i64).collect();
        check(
            "i64",
            &data,
            &run(&i64s, &[i64s.len()]),
            known(9_007_199_254_740_992.0, 2.0, 200),
        );
        let data = levels(100.0, 0.25, 200);
        let f32s: Vec<f32> = data.iter().map(|&v| v as f32).collect();
        check(
            "f32",
            &data,
            &run(&f32s, &[f32s.len()]),
            known(100.0, 0.25, 200),
        );
    }

    #[test]
    fn first_occurrence_of_ties() {
        let mut data = vec![0.0; 3 * BLOCK];
        data[5000] = -1.0;
        data[9000] = -1.0;
        data[100] = 2.0;
        data[BLOCK * 2 + 5] = 2.0;
        for pieces in [&[data.len()][..], &[1], &[4999, 2]] {
            let m = run(&data, pieces);
            assert_eq!((m.argmin, m.argmax), (Some(5000), Some(100)), "{pieces:?}");
        }
        let mut acc = Accumulator::new(1_000_000, true);
        acc.push(&data);
        assert_eq!(acc.moments().argmin, Some(1_005_000), "absolute index");
    }

    #[test]
    fn infinities_follow_ieee() {
        let mut data = levels(0.0, 1.0, 100);
        data[77] = f64::INFINITY;
        let m = run(&data, &[data.len()]);
        assert_eq!(
            (m.mean, m.max, m.argmax, m.rms()),
            (f64::INFINITY, f64::INFINITY, Some(77), f64::INFINITY)
        );
        assert!(m.std().is_nan());
    }

    #[test]
    fn merge_formula_on_two_known_halves() {
        // [1, 2, 3] then [10, 20]: mean 7.2, M2 = 6.2² + 5.2² + 4.2² + 2.8² + 12.8² = 254.8
        let a = Lanes {
            s1: [0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            s2: [0.0, 1.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            nan: [0.0; LANES],
        }
        .sums(1.0, 3);
        let b = Lanes {
            s1: [0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            s2: [0.0, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            nan: [0.0; LANES],
        }
        .sums(10.0, 2);
        let m = a.then(&b);
        assert_eq!(m.n, 5);
        assert!((m.mean + m.mean_lo - 7.2).abs() < 1e-15);
        assert!((m.m2 - 254.8).abs() < 1e-12, "{}", m.m2);
    }

    #[test]
    fn envelope_windows_across_pieces() {
        let data = levels(3.0, 0.5, 104); // 10_504 samples
        for width in [1000u64, 1, 4096, 20_000] {
            let whole = envelope(&data, width, &[data.len()]);
            assert_eq!(
                whole.len() as u64,
                (data.len() as u64).div_ceil(width),
                "width {width}"
            );
            for (w, m) in whole.iter().enumerate().step_by(97) {
                let lo = w * width as usize;
                let win = &data[lo..(lo + width as usize).min(data.len())];
                let mut acc = Accumulator::new(lo as u64, false);
                acc.push(win);
                assert_eq!(*m, acc.moments(), "width {width} window {w}");
                let min = win.iter().fold(f64::INFINITY, |a, &b| a.min(b));
                assert_eq!((m.min, m.argmin), (min, None), "width {width} window {w}");
            }
            for pieces in [&[1][..], &[999, 1001, 7]] {
                assert_eq!(
                    envelope(&data, width, pieces),
                    whole,
                    "width {width} pieces {pieces:?}"
                );
            }
        }
        let m = envelope(&data, 101 * 4, &[data.len()])[3];
        assert_eq!(
            (m.count, m.mean, m.variance()),
            known(3.0, 0.5, 4),
            "a window of whole rounds"
        );
    }

    fn envelope(data: &[f64], width: u64, pieces: &[usize]) -> Vec<Moments> {
        let mut env = Envelope::new(0, width);
        let mut done = Vec::new();
        for (i, piece) in data.chunks(pieces[0]).enumerate() {
            // vary the cut inside each chunk too
            let (a, b) = piece.split_at(pieces[i % pieces.len()].min(piece.len()));
            env.push(a, &mut done);
            env.push(b, &mut done);
        }
        done.extend(env.finish());
        done
    }
}
