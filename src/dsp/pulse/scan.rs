//! The scan shared by `measure` and `find`: samples in, level crossings, Schmitt flips and
//! the runs between them out, whatever the chunking.
//!
//! A user of the scan (a [`Machine`]) names the levels it cares about and the Schmitt gates
//! that decide transitions. The levels cut the value axis into zones. Blocks of [`BLOCK`]
//! samples are summarised (extremes, sums) in a vectorised pass; a block whose extremes lie in
//! the zone of the last sample crosses nothing, so it joins the current segment in O(1)
//! without its samples being read again. Only a block with a crossing (or a NaN) is walked:
//! the shared [`Schmitt`] runs over it, a vectorisable search finds the next sample outside
//! the zone, every zone change becomes crossings (in the order the signal passes the levels)
//! and a gate's flip is reported right after the crossing of its switching level. A skipped
//! block cannot flip a gate, since its switching levels are zone borders, so the Schmitt's
//! state carries over. The samples between the events a machine cares about reach it as one
//! [`Segment`] of sums and extremes, taken when it asks.

use super::PulseError;
use super::run::{BLOCK, BlockSummary, Ext, Sums, summarize_blocks};
use crate::dsp::levels::Schmitt;
use crate::sample::Sample;
use serde::Serialize;

/// Blocks summarised before they are walked (1 MiB of f32). The next window is summarised on
/// other threads while this one is walked: long enough for a sleeping thread to take the
/// work, short enough that the few blocks walked sample by sample are still in the cache.
const WINDOW_BLOCKS: usize = 1 << 12;
/// Fewest blocks a region of a split walk holds (256 Ki samples): below that a chunk is
/// walked on one thread.
const MIN_REGION_BLOCKS: usize = 1 << 12;
/// Blocks split into regions at a time (2 Mi samples): bounds what a region records before
/// its first segment boundary (one [`Sums`] per block), whatever `--chunk` is.
const SPLIT_BLOCKS: usize = 1 << 15;

/// A point in time between samples: `back` samples before sample `sample` (0 ≤ back <
/// distance to the previous finite sample). Kept apart so that differences of instants far
/// into a capture keep their fractional digits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Instant {
    /// The first sample at or after the instant: the first on the new side of a level.
    pub sample: u64,
    /// How far before `sample` the instant lies, in samples.
    pub back: f64,
}

impl Instant {
    /// Where the straight line through samples (j, xj) and (i, xi) meets `level`.
    fn crossing(j: u64, xj: f64, i: u64, xi: f64, level: f64) -> Instant {
        let back = (i - j) as f64 * ((xi - level) / (xi - xj));
        Instant {
            sample: i,
            // an infinite sample leaves no line to intersect: take the sample itself
            back: if back.is_finite() { back } else { 0.0 },
        }
    }

    /// The instant as a (fractional) sample index.
    pub fn index(&self) -> f64 {
        self.sample as f64 - self.back
    }

    /// Samples from `earlier` to this instant.
    pub fn since(&self, earlier: &Instant) -> f64 {
        (self.sample as f64 - earlier.sample as f64) - (self.back - earlier.back)
    }
}

/// A level the scan watches. A sample is above a plain level when x ≥ value, above a
/// strict one when x > value (the Schmitt's upper threshold: it switches on x > high); both
/// become x ≥ `at`, the smallest f64 that is above.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Level {
    pub value: f64,
    at: f64,
}

impl Level {
    /// Above when x ≥ value.
    pub fn at(value: f64) -> Level {
        Level { value, at: value }
    }

    /// Above when x > value.
    pub fn beyond(value: f64) -> Level {
        Level {
            value,
            at: value.next_up(),
        }
    }
}

/// The levels, sorted so that being above a level implies being above every earlier one.
#[derive(Debug, Clone)]
struct LevelSet {
    levels: Vec<Level>,
}

impl LevelSet {
    /// The sorted, deduplicated set and each wanted level's index in it.
    fn new(wanted: &[Level]) -> Result<(LevelSet, Vec<usize>), PulseError> {
        if let Some(l) = wanted.iter().find(|l| !l.value.is_finite()) {
            return Err(PulseError::NotFinite {
                what: "level",
                value: l.value,
            });
        }
        let mut levels = wanted.to_vec();
        levels.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.value.total_cmp(&b.value)));
        levels.dedup();
        let index = wanted
            .iter()
            .map(|w| levels.iter().position(|l| l == w).unwrap_or(0))
            .collect();
        Ok((LevelSet { levels }, index))
    }

    /// How many levels `x` (not NaN) is above.
    fn zone(&self, x: f64) -> usize {
        self.levels.iter().take_while(|l| x >= l.at).count()
    }

    /// Zone `z` as lo ≤ x < hi.
    fn bounds(&self, z: usize) -> (f64, f64) {
        let lo = z
            .checked_sub(1)
            .map_or(f64::NEG_INFINITY, |k| self.levels[k].at);
        let hi = self.levels.get(z).map_or(f64::INFINITY, |l| l.at);
        (lo, hi)
    }
}

/// A Schmitt trigger and the levels at which it switches.
#[derive(Debug, Clone)]
struct Gate {
    schmitt: Schmitt,
    spec: GateSpec,
    /// Index of the level whose upward crossing can switch it high (strict: x > high).
    up: usize,
    /// Index of the level whose downward crossing can switch it low (x < low).
    down: usize,
    high: Option<bool>,
    /// The Schmitt's output over the block being walked, when it had to run (`ran`).
    levels: Vec<u8>,
    ran: bool,
}

impl Gate {
    /// Whether a block with these extremes can switch the gate (every block can before the
    /// first one and when its extremes are unknown).
    fn can_switch(&self, ext: Option<&Ext>) -> bool {
        match (ext, self.high) {
            (Some(e), Some(true)) => e.min < self.spec.low(),
            (Some(e), Some(false)) => e.max > self.spec.high(),
            _ => true,
        }
    }

    /// Its state at block offset `k`.
    fn at(&self, k: usize) -> Option<bool> {
        if self.ran {
            self.levels.get(k).map(|&l| l == 1)
        } else {
            self.high
        }
    }
}

/// A gate the machine asks for: switches high above threshold + hysteresis/2 and low below
/// threshold - hysteresis/2, exactly as the shared [`Schmitt`] does (it is the one used).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GateSpec {
    pub threshold: f64,
    pub hysteresis: f64,
}

impl GateSpec {
    /// The switching levels, computed as `Schmitt::new` computes them.
    pub fn low(&self) -> f64 {
        self.threshold - self.hysteresis / 2.0
    }

    pub fn high(&self) -> f64 {
        self.threshold + self.hysteresis / 2.0
    }
}

/// The level indices of a scan: those of the levels asked for, in order, and each gate's
/// switching levels (low, high).
#[derive(Debug, Clone)]
pub(crate) struct Indices {
    pub levels: Vec<usize>,
    pub gates: Vec<(usize, usize)>,
}

/// The samples since the machine last took them: sums (zero unless the scan keeps sums)
/// and extremes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    sums: Sums,
    ext: Ext,
}

impl Segment {
    const EMPTY: Segment = Segment {
        sums: Sums::EMPTY,
        ext: Ext::EMPTY,
    };

    /// Take the samples (None when there are none): a boundary of the machine's own.
    pub fn take(&mut self) -> Option<(Sums, Ext)> {
        let s = std::mem::replace(self, Segment::EMPTY);
        (!s.ext.is_empty()).then_some((s.sums, s.ext))
    }
}

/// What a scan reports to; calls come in sample order. A machine takes the [`Segment`] at
/// the events where it needs a boundary; what it leaves accumulates.
///
/// `takes` and `takes_on_flip` must depend only on the gates' states as last given by `init`
/// and `flip` (and the machine's settings): a split walk asks them of a clone that only sees
/// those calls, to walk a region before the machine has seen the regions before it.
pub(crate) trait Machine: Send + Sync + Clone {
    /// The state gate `gate` starts in (the Schmitt's: first sample ≥ threshold).
    fn init(&mut self, gate: usize, high: bool);
    /// Samples `start..start + xs.len()` (a block, or a piece of one; NaN possible) that
    /// cross no level, with their extremes and last non-NaN value (NaN if none): for work
    /// that may need the samples themselves. Only read `xs` rarely: a block reported whole
    /// has left the cache.
    fn samples<T: Sample>(&mut self, _start: u64, _ext: &Ext, _last: f64, _xs: &[T]) {}
    /// Whether the machine will take the segment at this crossing (then the segment holds
    /// every sample before it; otherwise the samples may be reported after the crossing).
    fn takes(&self, level: usize, up: bool) -> bool;
    /// Level `level` (an index of [`Indices`]) crossed, upward or downward.
    fn crossing(&mut self, level: usize, up: bool, at: Instant, seg: &mut Segment);
    /// Whether the machine will take the segment at this switch (every switch comes after
    /// the samples before it, in any case).
    fn takes_on_flip(&self, gate: usize, up: bool) -> bool;
    /// Gate `gate` switched at sample `sample`.
    fn flip(&mut self, gate: usize, up: bool, sample: u64, seg: &mut Segment);
    /// The end of the samples: take what is left.
    fn end(&mut self, seg: &mut Segment);
}

/// The scan: levels, gates, zone of the last sample and the partial block of the last chunk.
#[derive(Debug, Clone)]
pub(crate) struct Scan<const SUMS: bool> {
    set: LevelSet,
    gates: Vec<Gate>,
    zone: Option<usize>,
    /// The zone as lo ≤ x < hi; (+inf, -inf) before the first sample, so it is an event.
    bounds: (f64, f64),
    /// The last non-NaN sample: (index, value), one end of the next crossing's line.
    prev: Option<(u64, f64)>,
    /// Absolute index of the first sample and of the next one to walk.
    origin: u64,
    pos: u64,
    started: bool,
    carry: Vec<f64>,
    /// Summaries of the window being walked and of the next one.
    summaries: [Vec<BlockSummary>; 2],
    seg: Segment,
    /// Regions a long run of blocks is split into (0: one per rayon thread), and the fewest
    /// blocks a region holds.
    regions: usize,
    min_region_blocks: usize,
    /// A region walked ahead of the machine (`prefix_open`) keeps the sums of the samples
    /// before its first segment boundary apart, block by block, so that they can be added
    /// to the machine's segment in the serial order (the same bits); their extremes are
    /// exact in any order.
    prefix_open: bool,
    prefix: Vec<Sums>,
    prefix_ext: Ext,
    /// Buffers of the regions walked ahead, kept for the next split: fresh ones would be
    /// fresh pages, zeroed by the kernel every time.
    spare: Vec<Buffers>,
}

/// What a region walked ahead fills: block summaries, prefix sums and records.
#[derive(Debug, Clone, Default)]
struct Buffers {
    summaries: [Vec<BlockSummary>; 2],
    prefix: Vec<Sums>,
    ops: Vec<Op>,
}

/// What a region walked ahead of the machine reports, to be replayed to it in order.
#[derive(Debug, Clone)]
enum Op {
    Samples {
        start: u64,
        len: usize,
        ext: Ext,
        last: f64,
    },
    /// `take`: the segment the machine takes at this call, if it takes one.
    Crossing {
        level: usize,
        up: bool,
        at: Instant,
        take: Option<Segment>,
    },
    Flip {
        gate: usize,
        up: bool,
        sample: u64,
        take: Option<Segment>,
    },
}

/// The machine of a region walked ahead: records every call, and answers `takes` from a
/// clone of the real machine that is told only the gates' states.
#[derive(Debug, Clone)]
struct Recorder<M> {
    oracle: M,
    ops: Vec<Op>,
}

impl<M: Machine> Machine for Recorder<M> {
    fn init(&mut self, gate: usize, high: bool) {
        self.oracle.init(gate, high);
    }
    fn samples<T: Sample>(&mut self, start: u64, ext: &Ext, last: f64, xs: &[T]) {
        self.ops.push(Op::Samples {
            start,
            len: xs.len(),
            ext: *ext,
            last,
        });
    }
    fn takes(&self, level: usize, up: bool) -> bool {
        self.oracle.takes(level, up)
    }
    fn crossing(&mut self, level: usize, up: bool, at: Instant, seg: &mut Segment) {
        let take = self
            .oracle
            .takes(level, up)
            .then(|| std::mem::replace(seg, Segment::EMPTY));
        self.ops.push(Op::Crossing {
            level,
            up,
            at,
            take,
        });
    }
    fn takes_on_flip(&self, gate: usize, up: bool) -> bool {
        self.oracle.takes_on_flip(gate, up)
    }
    fn flip(&mut self, gate: usize, up: bool, sample: u64, seg: &mut Segment) {
        let take = self
            .oracle
            .takes_on_flip(gate, up)
            .then(|| std::mem::replace(seg, Segment::EMPTY));
        self.ops.push(Op::Flip {
            gate,
            up,
            sample,
            take,
        });
        self.oracle.init(gate, up);
    }
    fn end(&mut self, _: &mut Segment) {}
}

impl<const SUMS: bool> Scan<SUMS> {
    /// A scan of `levels` and `gates` whose first sample has absolute index `origin`, and
    /// the indices [`Machine::crossing`] will name them by.
    pub fn new(
        origin: u64,
        levels: &[Level],
        gates: &[GateSpec],
    ) -> Result<(Scan<SUMS>, Indices), PulseError> {
        let mut wanted = levels.to_vec();
        for g in gates {
            wanted.push(Level::at(g.low()));
            wanted.push(Level::beyond(g.high()));
        }
        let (set, index) = LevelSet::new(&wanted)?;
        let (level_ix, gate_ix) = index.split_at(levels.len());
        let gate_levels: Vec<(usize, usize)> =
            gate_ix.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        let gates = gates
            .iter()
            .zip(&gate_levels)
            .map(|(g, &(down, up))| {
                Ok(Gate {
                    schmitt: Schmitt::new(g.threshold, g.hysteresis)?,
                    spec: *g,
                    up,
                    down,
                    high: None,
                    levels: Vec::with_capacity(BLOCK),
                    ran: false,
                })
            })
            .collect::<Result<Vec<_>, PulseError>>()?;
        let indices = Indices {
            levels: level_ix.to_vec(),
            gates: gate_levels,
        };
        Ok((
            Scan {
                set,
                gates,
                zone: None,
                bounds: (f64::INFINITY, f64::NEG_INFINITY),
                prev: None,
                origin,
                pos: origin,
                started: false,
                carry: Vec::with_capacity(BLOCK),
                summaries: [Vec::new(), Vec::new()],
                seg: Segment::EMPTY,
                regions: 0,
                min_region_blocks: MIN_REGION_BLOCKS,
                prefix_open: false,
                prefix: Vec::new(),
                prefix_ext: Ext::EMPTY,
                spare: Vec::new(),
            },
            indices,
        ))
    }

    /// Number the first sample `origin` instead, if no sample was taken yet.
    pub fn set_origin(&mut self, origin: u64) {
        if self.taken() == 0 {
            (self.origin, self.pos) = (origin, origin);
        }
    }

    /// Split long runs of blocks into `count` regions (0: one per rayon thread) of at least
    /// `min_blocks` blocks each; 1 walks everything on one thread. Results are the same.
    #[cfg(test)]
    pub fn set_regions(&mut self, count: usize, min_blocks: usize) {
        (self.regions, self.min_region_blocks) = (count, min_blocks.max(1));
    }

    /// Absolute index of the first sample not walked yet (later events start there or after).
    pub fn walked(&self) -> u64 {
        self.pos
    }

    /// Samples taken so far.
    pub fn taken(&self) -> u64 {
        self.pos + self.carry.len() as u64 - self.origin
    }

    /// Take the next samples.
    pub fn push<T: Sample, M: Machine>(&mut self, m: &mut M, xs: &[T]) {
        let mut rest = xs;
        if !self.carry.is_empty() {
            let (head, tail) = rest.split_at((BLOCK - self.carry.len()).min(rest.len()));
            self.carry.extend(head.iter().map(|v| v.to_f64()));
            rest = tail;
            if self.carry.len() == BLOCK {
                let carry = std::mem::take(&mut self.carry);
                self.blocks(m, carry.as_chunks::<BLOCK>().0);
                self.carry = carry;
                self.carry.clear();
            }
        }
        let (blocks, tail) = rest.as_chunks::<BLOCK>();
        self.blocks(m, blocks);
        self.carry.extend(tail.iter().map(|v| v.to_f64()));
    }

    /// Walk the partial last block and end the machine; call once, after the last push.
    pub fn finish<M: Machine>(&mut self, m: &mut M) {
        let carry = std::mem::take(&mut self.carry);
        if !carry.is_empty() {
            self.slow(m, &carry, None);
            self.pos += carry.len() as u64;
        }
        m.end(&mut self.seg);
    }

    /// Whole blocks: long runs are split into regions walked on every core (see
    /// [`Scan::split`]), others walked here.
    fn blocks<T: Sample, M: Machine>(&mut self, m: &mut M, blocks: &[[T; BLOCK]]) {
        let count = match self.regions {
            0 => rayon::current_num_threads(),
            n => n,
        };
        if count < 2 || blocks.len() < 2 * self.min_region_blocks {
            return self.serial(m, blocks);
        }
        for part in blocks.chunks(SPLIT_BLOCKS.max(count * self.min_region_blocks)) {
            let count = count.min(part.len() / self.min_region_blocks);
            if count < 2 {
                self.serial(m, part);
            } else {
                self.split(m, part, count);
            }
        }
    }

    /// `count` regions of `blocks` at once: the first walked by this scan and machine, each
    /// other by a copy of the scan put in the state the serial walk has at the region's start
    /// ([`Scan::seek`]) reporting to a [`Recorder`]; then the records are replayed to the
    /// machine in order. The machine sees exactly the calls of the serial walk, so results do
    /// not depend on the number of regions.
    fn split<T: Sample, M: Machine>(&mut self, m: &mut M, blocks: &[[T; BLOCK]], count: usize) {
        let bounds: Vec<usize> = (0..=count).map(|i| i * blocks.len() / count).collect();
        // Before the first finite sample a Schmitt's start-up state can switch with no
        // crossing, which a recorder cannot tell from a switch the machine takes at: walk
        // such a start here.
        if self.prev.is_none()
            && blocks[..bounds[1]]
                .as_flattened()
                .iter()
                .all(|v| v.to_f64().is_nan())
        {
            return self.serial(m, blocks);
        }
        let base = self.pos;
        let summaries = std::mem::take(&mut self.summaries);
        let mut spare = std::mem::take(&mut self.spare);
        let template = Scan {
            prefix_open: true,
            seg: Segment::EMPTY,
            ..self.clone()
        };
        self.summaries = summaries;
        let jobs: Vec<(usize, usize, Buffers)> = (1..count)
            .map(|i| (bounds[i], bounds[i + 1], spare.pop().unwrap_or_default()))
            .collect();
        let oracle = m.clone();
        let first = blocks[0][0].to_f64();
        let (_, regions) = rayon::join(
            || self.serial(m, &blocks[..bounds[1]]),
            || {
                use rayon::prelude::*;
                jobs.into_par_iter()
                    .map(|(from, to, buffers)| {
                        let mut scan = Scan {
                            summaries: buffers.summaries,
                            prefix: buffers.prefix,
                            ..template.clone()
                        };
                        let mut rec = Recorder {
                            oracle: oracle.clone(),
                            ops: buffers.ops,
                        };
                        scan.seek(&mut rec, &blocks[..from], first);
                        scan.serial(&mut rec, &blocks[from..to]);
                        (scan, rec.ops)
                    })
                    .collect::<Vec<_>>()
            },
        );
        let xs = blocks.as_flattened();
        for (scan, ops) in regions {
            spare.push(self.replay(m, xs, base, scan, ops));
        }
        self.spare = spare;
    }

    /// Put a fresh copy of the scan at the end of `before` (the blocks of this split before
    /// the region; the scan was copied at their start): the last finite sample gives the
    /// zone and the previous point, the last sample beyond a gate's switching levels its
    /// Schmitt's state. Nothing found in `before` leaves what the copy holds (the state at
    /// the split's start) or, before the scan's first sample, the Schmitt's start-up rule on
    /// `first`, the split's first sample.
    fn seek<T: Sample, M: Machine>(&mut self, m: &mut M, before: &[[T; BLOCK]], first: f64) {
        let xs = before.as_flattened();
        let start = self.pos;
        self.pos += xs.len() as u64;
        if let Some(j) = xs.iter().rposition(|v| !v.to_f64().is_nan()) {
            let x = xs[j].to_f64();
            self.prev = Some((start + j as u64, x));
            let z = self.set.zone(x);
            self.zone = Some(z);
            self.bounds = self.set.bounds(z);
        }
        for (k, g) in self.gates.iter_mut().enumerate() {
            let (low, high) = (g.spec.low(), g.spec.high());
            let state = xs
                .iter()
                .rposition(|v| {
                    let x = v.to_f64();
                    x > high || x < low
                })
                .map(|j| xs[j].to_f64() > high)
                .or(g.high)
                .unwrap_or(first >= g.spec.threshold);
            g.high = Some(state);
            g.schmitt.set_state(state);
            m.init(k, state);
        }
        self.started = true;
    }

    /// Hand a region's records to the machine in order and take the region scan's state;
    /// returns the region's buffers, emptied.
    fn replay<T: Sample, M: Machine>(
        &mut self,
        m: &mut M,
        xs: &[T],
        base: u64,
        scan: Scan<SUMS>,
        mut ops: Vec<Op>,
    ) -> Buffers {
        // The first boundary takes what the machine's segment held before the region plus
        // the region's prefix; a later one, what the region scan gathered since the last.
        let mut prefix = scan.prefix;
        let mut pending = Some(scan.prefix_ext);
        let mut land = |seg: &mut Segment, taken: Option<Segment>| match (pending.take(), taken) {
            (Some(ext), _) => {
                for s in &prefix {
                    seg.sums.add(s);
                }
                seg.ext.add(&ext);
            }
            (None, Some(t)) => *seg = t,
            (None, None) => {}
        };
        for op in ops.drain(..) {
            match op {
                Op::Samples {
                    start,
                    len,
                    ext,
                    last,
                } => {
                    let from = (start - base) as usize;
                    m.samples(start, &ext, last, &xs[from..from + len]);
                }
                Op::Crossing {
                    level,
                    up,
                    at,
                    take,
                } => {
                    if take.is_some() {
                        land(&mut self.seg, take);
                    }
                    m.crossing(level, up, at, &mut self.seg);
                }
                Op::Flip {
                    gate,
                    up,
                    sample,
                    take,
                } => {
                    if take.is_some() {
                        land(&mut self.seg, take);
                    }
                    m.flip(gate, up, sample, &mut self.seg);
                }
            }
        }
        // no boundary in the region: its prefix is all it saw
        land(&mut self.seg, Some(scan.seg));
        self.zone = scan.zone;
        self.bounds = scan.bounds;
        self.prev = scan.prev;
        self.pos = scan.pos;
        self.started = scan.started;
        for (g, s) in self.gates.iter_mut().zip(scan.gates) {
            g.high = s.high;
            g.schmitt = s.schmitt;
        }
        prefix.clear();
        Buffers {
            summaries: scan.summaries,
            prefix,
            ops,
        }
    }

    /// Whole blocks on this thread: each window is walked while the next one is summarised.
    fn serial<T: Sample, M: Machine>(&mut self, m: &mut M, blocks: &[[T; BLOCK]]) {
        let [mut cur, mut next] = std::mem::take(&mut self.summaries);
        let mut windows = blocks.chunks(WINDOW_BLOCKS).peekable();
        if let Some(first) = windows.peek() {
            summarize_blocks::<T, SUMS>(first, &mut cur);
        }
        while let Some(window) = windows.next() {
            match windows.peek() {
                Some(ahead) if rayon::current_num_threads() > 1 => {
                    rayon::join(
                        || self.walk(m, window, &cur),
                        || summarize_blocks::<T, SUMS>(ahead, &mut next),
                    );
                }
                Some(ahead) => {
                    self.walk(m, window, &cur);
                    summarize_blocks::<T, SUMS>(ahead, &mut next);
                }
                None => self.walk(m, window, &cur),
            }
            std::mem::swap(&mut cur, &mut next);
        }
        self.summaries = [cur, next];
    }

    fn walk<T: Sample, M: Machine>(
        &mut self,
        m: &mut M,
        window: &[[T; BLOCK]],
        summaries: &[BlockSummary],
    ) {
        let mut b = 0;
        while b < window.len() {
            // A run of blocks inside the zone reaches the machine as one stretch; its sums
            // still join the segment block by block (the same bits however it is cut).
            let (lo, hi) = self.bounds;
            let (first, mut ext, mut last) = (b, Ext::EMPTY, f64::NAN);
            while let Some(s) = summaries.get(b)
                && s.finite
                && lo <= s.ext.min
                && s.ext.max < hi
            {
                self.add_sums(&s.sums);
                ext.add(&s.ext);
                last = s.last;
                b += 1;
            }
            if b > first {
                let n = ((b - first) * BLOCK) as u64;
                m.samples(self.pos, &ext, last, window[first..b].as_flattened());
                self.add_ext(&ext);
                self.prev = Some((self.pos + n - 1, last));
                self.pos += n;
            }
            if let Some(s) = summaries.get(b) {
                self.slow(m, &window[b], s.finite.then_some(s));
                self.pos += BLOCK as u64;
                b += 1;
            }
        }
    }

    /// The first sample at or after `from` outside the zone (NaN is never outside), eight
    /// at a time so the comparisons vectorise.
    fn next_event<T: Sample>(&self, xs: &[T], from: usize) -> Option<usize> {
        let (lo, hi) = self.bounds;
        let out = |v: &T| {
            let x = v.to_f64();
            x < lo || x >= hi
        };
        let mut base = from;
        for group in xs.get(from..)?.chunks(8) {
            if group.iter().fold(false, |a, v| a | out(v)) {
                return group.iter().position(out).map(|p| base + p);
            }
            base += group.len();
        }
        None
    }

    /// A block (or the last, partial one) with at least one event; `summary`: its summary,
    /// when all its samples are finite. A Schmitt runs only over a block that can switch it.
    /// Samples reach the machine (extremes) before every switch and every crossing where it
    /// takes the segment, and their sums join the segment only at those takes: a block with
    /// no take adds its summary's sums, so only blocks with a take are summed piece by piece.
    // out of line: keeps the loop over skipped blocks small
    #[inline(never)]
    fn slow<T: Sample, M: Machine>(&mut self, m: &mut M, xs: &[T], summary: Option<&BlockSummary>) {
        let start = self.pos;
        for g in &mut self.gates {
            g.ran = g.can_switch(summary.map(|s| &s.ext));
            if g.ran {
                g.schmitt.process(xs, &mut g.levels);
            }
        }
        if !self.started {
            self.started = true;
            for (k, g) in self.gates.iter_mut().enumerate() {
                let high = g.levels.first() == Some(&1);
                g.high = Some(high);
                m.init(k, high);
            }
        }
        let mut cur = Cursor {
            start,
            reported: 0,
            summed: 0,
        };
        let mut next = 0;
        while let Some(k) = self.next_event(xs, next) {
            let (x, i) = (xs[k].to_f64(), start + k as u64);
            let prev = xs[next..k]
                .iter()
                .rposition(|v| !v.to_f64().is_nan())
                .map(|j| (start + (next + j) as u64, xs[next + j].to_f64()))
                .or(self.prev);
            let z = self.set.zone(x);
            if let (Some(old), Some((j, xj))) = (self.zone, prev) {
                // the levels between the two zones, in the order the signal passes them
                let up = z > old;
                let (a, b) = if up { (old, z) } else { (z, old) };
                for n in 0..b - a {
                    let l = if up { a + n } else { b - 1 - n };
                    let take = m.takes(l, up);
                    if take {
                        self.report(m, xs, &mut cur, k, true);
                    }
                    let at = Instant::crossing(j, xj, i, x, self.set.levels[l].value);
                    m.crossing(l, up, at, &mut self.seg);
                    self.prefix_open &= !take;
                    self.flips(
                        m,
                        xs,
                        &mut cur,
                        k,
                        |g| if up { g.up == l } else { g.down == l },
                    );
                }
            }
            // What no crossing explains: the state a Schmitt took from a NaN first sample.
            self.flips(m, xs, &mut cur, k, |_| true);
            self.zone = Some(z);
            self.bounds = self.set.bounds(z);
            self.prev = Some((i, x));
            next = k + 1;
        }
        if let Some(j) = xs[next..].iter().rposition(|v| !v.to_f64().is_nan()) {
            self.prev = Some((start + (next + j) as u64, xs[next + j].to_f64()));
        }
        self.report(m, xs, &mut cur, xs.len(), false);
        match summary {
            Some(s) if cur.summed == 0 => self.add_sums(&s.sums),
            _ => self.report(m, xs, &mut cur, xs.len(), true),
        }
    }

    /// Sums joining the segment (or, in a region walked ahead, its prefix).
    #[inline(always)]
    fn add_sums(&mut self, s: &Sums) {
        if self.prefix_open {
            self.prefix.push(*s);
        } else {
            self.seg.sums.add(s);
        }
    }

    #[inline(always)]
    fn add_ext(&mut self, e: &Ext) {
        if self.prefix_open {
            self.prefix_ext.add(e);
        } else {
            self.seg.ext.add(e);
        }
    }

    /// Report `xs[cur.reported..k]` to the machine and, with `sums`, add the sums of
    /// `xs[cur.summed..k]` to the segment.
    fn report<T: Sample, M: Machine>(
        &mut self,
        m: &mut M,
        xs: &[T],
        cur: &mut Cursor,
        k: usize,
        sums: bool,
    ) {
        if cur.reported < k {
            let piece = &xs[cur.reported..k];
            let (ext, last) = Ext::piece(piece);
            if !ext.is_empty() {
                m.samples(cur.start + cur.reported as u64, &ext, last, piece);
                self.add_ext(&ext);
            }
            cur.reported = k;
        }
        if SUMS && sums && cur.summed < k {
            let (s, _, _) = Sums::piece::<T, true>(&xs[cur.summed..k]);
            self.add_sums(&s);
            cur.summed = k;
        }
    }

    /// Report the gates selected by `which` whose Schmitt switched at block offset `k`.
    fn flips<T: Sample, M: Machine>(
        &mut self,
        m: &mut M,
        xs: &[T],
        cur: &mut Cursor,
        k: usize,
        which: impl Fn(&Gate) -> bool,
    ) {
        for n in 0..self.gates.len() {
            let g = &self.gates[n];
            let high = g.at(k);
            if which(g) && g.high != high {
                self.gates[n].high = high;
                let up = high == Some(true);
                let take = m.takes_on_flip(n, up);
                self.report(m, xs, cur, k, take);
                m.flip(n, up, cur.start + k as u64, &mut self.seg);
                self.prefix_open &= !take;
            }
        }
    }
}

/// How far a block walked sample by sample has been reported to the machine, and summed.
struct Cursor {
    start: u64,
    reported: usize,
    summed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records everything a scan reports, for comparison across chunkings.
    #[derive(Default, Clone)]
    struct Log {
        events: Vec<String>,
        runs: Vec<(u64, u64)>,
    }

    impl Machine for Log {
        fn init(&mut self, gate: usize, high: bool) {
            self.events.push(format!("init {gate} {high}"));
        }
        fn end(&mut self, _: &mut Segment) {}
        fn samples<T: Sample>(&mut self, start: u64, ext: &Ext, _: f64, xs: &[T]) {
            assert_eq!(Ext::of(xs), *ext);
            // merge adjacent pieces so that block cuts do not show
            match self.runs.last_mut() {
                Some(last) if last.1 == start => last.1 += xs.len() as u64,
                _ => self.runs.push((start, start + xs.len() as u64)),
            }
        }
        fn takes(&self, _: usize, _: bool) -> bool {
            false
        }
        fn takes_on_flip(&self, _: usize, _: bool) -> bool {
            false
        }
        fn crossing(&mut self, level: usize, up: bool, at: Instant, _: &mut Segment) {
            self.events.push(format!("cross {level} {up} {at:?}"));
            self.runs.push((at.sample, at.sample));
        }
        fn flip(&mut self, gate: usize, up: bool, sample: u64, _: &mut Segment) {
            self.events.push(format!("flip {gate} {up} {sample}"));
        }
    }

    fn scan(xs: &[f64], chunk: usize) -> Log {
        scan_in(xs, chunk, 1)
    }

    fn scan_in(xs: &[f64], chunk: usize, regions: usize) -> Log {
        let (mut s, _) = Scan::<true>::new(
            0,
            &[Level::at(0.2), Level::at(0.5), Level::at(0.8)],
            &[GateSpec {
                threshold: 0.5,
                hysteresis: 0.2,
            }],
        )
        .unwrap();
        s.set_regions(regions, 1);
        let mut log = Log::default();
        for c in xs.chunks(chunk) {
            s.push(&mut log, c);
        }
        s.finish(&mut log);
        log
    }

    #[test]
    fn flips_match_the_shared_schmitt_for_any_chunking() {
        let mut rng = crate::dsp::synth::Rng::new(3);
        let xs: Vec<f64> = (0..20_000)
            .map(|i| {
                let base = if (i / 150) % 2 == 0 { 0.0 } else { 1.0 };
                if i % 997 == 5 {
                    f64::NAN
                } else {
                    base + 0.12 * rng.gaussian()
                }
            })
            .collect();
        let whole = scan(&xs, xs.len());
        let mut levels = Vec::new();
        Schmitt::new(0.5, 0.2).unwrap().process(&xs, &mut levels);
        let want: Vec<String> = levels
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] != w[1])
            .map(|(i, w)| format!("flip 0 {} {}", w[1] == 1, i + 1))
            .collect();
        let got: Vec<&String> = whole
            .events
            .iter()
            .filter(|e| e.starts_with("flip"))
            .collect();
        assert_eq!(got, want.iter().collect::<Vec<_>>());
        assert!(want.len() > 100, "{} flips", want.len());
        for chunk in [1, 7, 64, 1000, 4096] {
            let c = scan(&xs, chunk);
            assert_eq!(c.events, whole.events, "chunk {chunk}");
            assert_eq!(c.runs, whole.runs, "chunk {chunk}");
        }
        // split into regions (issue 17): the same calls, in the same order
        for (chunk, regions) in [(xs.len(), 2), (xs.len(), 7), (4096, 3), (1000, 2)] {
            let c = scan_in(&xs, chunk, regions);
            assert_eq!(c.events, whole.events, "chunk {chunk}, {regions} regions");
            assert_eq!(c.runs, whole.runs, "chunk {chunk}, {regions} regions");
        }
    }

    #[test]
    fn crossings_interpolate_linearly() {
        // 0 → 1 between samples 3 and 4: crosses 0.2 at 3.2, 0.5 at 3.5, 0.8 at 3.8.
        let xs = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0];
        let log = scan(&xs, 1);
        let flip = log
            .events
            .iter()
            .position(|e| e == "flip 0 true 4")
            .unwrap();
        let crossings: Vec<&String> = log
            .events
            .iter()
            .filter(|e| e.starts_with("cross"))
            .collect();
        assert_eq!(crossings.len(), 5, "{:?}", log.events);
        // the gate's high level (0.6, strict) is crossed right before the flip
        assert!(
            log.events[flip - 1].starts_with("cross 3 true"),
            "{:?}",
            log.events
        );
        for (e, l) in crossings.iter().zip([0.2, 0.4, 0.5, 0.6, 0.8]) {
            // back from sample 4: (x4 - level) / (x4 - x3) samples
            let want = format!("Instant {{ sample: 4, back: {:?} }}", 1.0 - l);
            assert!(e.ends_with(&want), "{e} for {l}");
        }
    }
}
