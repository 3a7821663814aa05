//! Analyses shared by the commands and the Python binding: the sinks a whole-range pass
//! needs, set up from a trace's channels, and their results. `cmd/` adds the progress bar
//! and the report; the binding adds NumPy and the GIL. Neither repeats the steps.

use crate::dsp::moments::{Accumulator, Moments};
use crate::loader::{Pick, Scale, TraceInfo};
use crate::sample::sink::PerChannel;

/// Exact statistics of the picked channels over a range that starts at `start`: one
/// [`Accumulator`] per channel, fed the stored codes of scaled channels (their statistics
/// are mapped through the scale at the end, exactly as the codes' would be).
#[derive(Clone)]
pub struct Stats {
    pub channels: Vec<usize>,
    pub scales: Vec<Option<Scale>>,
    pub sinks: PerChannel<Accumulator>,
}

impl Stats {
    /// Takes the scales of the picked channels out of `info`, so that a walk of the trace
    /// delivers their codes; see [`Stats::restore_scales`] to put them back.
    pub fn new(info: &mut TraceInfo, picks: &[Pick], start: u64) -> Stats {
        let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();
        let scales = info.take_scales(&channels);
        Stats {
            sinks: PerChannel(vec![Accumulator::new(start, true); picks.len()]),
            channels,
            scales,
        }
    }

    /// Put the scales taken by [`Stats::new`] back into `info` (a trace walked again).
    pub fn restore_scales(&self, info: &mut TraceInfo) {
        for (&k, scale) in self.channels.iter().zip(&self.scales) {
            if let Some(channel) = info.channels.get_mut(k)
                && scale.is_some()
            {
                channel.scale = *scale;
            }
        }
    }

    /// Samples per channel taken so far.
    pub fn samples(&self) -> u64 {
        self.sinks.0.first().map_or(0, Accumulator::len)
    }

    /// Each channel's statistics, in its unit (scaled channels mapped through their scale).
    pub fn moments(&self) -> Vec<Moments> {
        self.sinks
            .0
            .iter()
            .zip(&self.scales)
            .map(|(acc, scale)| {
                let m = acc.moments();
                scale.map_or(m, |s| m.affine(s.gain, s.offset))
            })
            .collect()
    }
}

impl Stats {
    /// Take in `later`, the statistics of the range that directly follows this one, with
    /// the same bits as one pass over both: this range must end on the statistics' block
    /// grid ([`BLOCK`](crate::dsp::moments::BLOCK) samples from its start, 2^k blocks
    /// aligned to `later`'s size). An error says why two ranges cannot be merged exactly.
    pub fn append(&mut self, later: &Stats) -> Result<(), String> {
        let block = crate::dsp::moments::BLOCK as u64;
        if later.channels != self.channels {
            return Err("partials of different channels cannot be merged".into());
        }
        let len = self.samples();
        let blocks = len / block;
        let later_blocks = later.samples() / block;
        if !len.is_multiple_of(block) {
            return Err(format!(
                "a partial can only be followed by another when it holds a multiple of {block} samples (it holds {len})"
            ));
        }
        if later_blocks > 0 && !blocks.is_multiple_of(1 << later_blocks.ilog2()) {
            return Err(format!(
                "a partial of {len} samples cannot be followed exactly by one of {} samples: split the range into pieces of 2^k × {block} samples",
                later.samples()
            ));
        }
        for (a, b) in self.sinks.0.iter_mut().zip(&later.sinks.0) {
            a.append(b);
        }
        Ok(())
    }
}
