//! Statistics of complex (I/Q) channels: the I and Q components as real channels, plus the
//! magnitude `|I + jQ|` of every sample, all on the exact block grid of
//! [`Accumulator`], so results do not depend on chunking.

use super::moments::{Accumulator, Moments};
use crate::sample::Sample;
use crate::sample::sink::{ChannelSplit, Sink, SinkError, SplitSink};

/// One complex channel's accumulators: I, Q and magnitude.
#[derive(Clone)]
pub struct ComplexAccumulator {
    pub i: Accumulator,
    pub q: Accumulator,
    pub magnitude: Accumulator,
    /// Reused for the magnitudes of one chunk.
    scratch: Vec<f64>,
}

impl ComplexAccumulator {
    /// Accumulators whose arg-min/max count from sample `origin`.
    pub fn new(origin: u64) -> ComplexAccumulator {
        ComplexAccumulator {
            i: Accumulator::new(origin, true),
            q: Accumulator::new(origin, true),
            magnitude: Accumulator::new(origin, true),
            scratch: Vec::new(),
        }
    }

    /// Take the next samples `i[n] + j·q[n]` (equal lengths).
    pub fn push<T: Sample>(&mut self, i: &[T], q: &[T]) {
        self.i.push(i);
        self.q.push(q);
        self.scratch.clear();
        self.scratch
            .extend(i.iter().zip(q).map(|(a, b)| a.to_f64().hypot(b.to_f64())));
        self.magnitude.push(&self.scratch[..]);
    }

    /// Moments of I, Q and the magnitude.
    pub fn moments(&self) -> [Moments; 3] {
        [self.i.moments(), self.q.moments(), self.magnitude.moments()]
    }
}

/// One [`ComplexAccumulator`] per complex channel, fed column pairs (I, Q).
#[derive(Clone)]
pub struct ComplexStats(pub Vec<ComplexAccumulator>);

impl Sink for ComplexStats {
    fn take<T: Sample>(&mut self, _start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        for (acc, pair) in self.0.iter_mut().zip(columns.chunks(2)) {
            if let [i, q] = pair {
                acc.push(i, q);
            }
        }
        Ok(())
    }
}

impl SplitSink for ComplexStats {
    fn grain(&self) -> u64 {
        self.0.first().map_or(1, |a| a.i.grain())
    }

    fn fork(&self, start: u64) -> Self {
        ComplexStats(
            self.0
                .iter()
                .map(|a| ComplexAccumulator {
                    i: a.i.fork(start),
                    q: a.q.fork(start),
                    magnitude: a.magnitude.fork(start),
                    scratch: Vec::new(),
                })
                .collect(),
        )
    }

    fn join(&mut self, later: Self) {
        for (a, b) in self.0.iter_mut().zip(later.0) {
            a.i.join(b.i);
            a.q.join(b.q);
            a.magnitude.join(b.magnitude);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnitude_of_a_3_4_5_triangle() {
        let mut acc = ComplexAccumulator::new(0);
        acc.push(&[3.0f32, 0.0], &[4.0f32, -2.0]);
        let [i, q, m] = acc.moments();
        assert_eq!((i.min, i.max), (0.0, 3.0));
        assert_eq!((q.min, q.max), (-2.0, 4.0));
        assert_eq!((m.min, m.max, m.mean), (2.0, 5.0, 3.5));
        assert_eq!(m.argmax, Some(0));
    }
}
