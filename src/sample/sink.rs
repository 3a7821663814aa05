//! How samples reach an algorithm: the loader walks a trace and pushes typed slices into a
//! sink; algorithms implement a sink and never see files, chunks or byte orders.
//!
//! Two shapes: a [`Sink`] takes every selected channel of the same frames at once (a decoder
//! needs SCL and SDA side by side); a [`ChannelSink`] takes one channel and knows nothing of the
//! others (statistics, spectra), and [`PerChannel`] runs one per channel, in parallel. A sink
//! that can also work on disjoint regions and merge them in order implements [`SplitSink`], and
//! the loader then spreads a whole-file pass over every core.

use super::Sample;
use rayon::prelude::*;

/// Why a sink stopped a walk.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The samples are not what the sink can take (a decoder's invalid input); the loader
    /// adds the input file's name.
    #[error(transparent)]
    Input(Box<dyn std::error::Error + Send + Sync>),
    /// Writing results failed (a closed stdout, a full disk, an interrupt); the error names
    /// the output and passes through unchanged, so a broken pipe stays one.
    #[error(transparent)]
    Output(Box<dyn std::error::Error + Send + Sync>),
}

impl From<std::io::Error> for SinkError {
    fn from(e: std::io::Error) -> Self {
        SinkError::Output(e.into())
    }
}

/// Takes the selected channels of consecutive frames, in order.
pub trait Sink {
    /// `columns[i]` is the `i`-th selected channel for frames `start..start + len`; every
    /// column has the same length. Values are already scaled (volts, not ADC codes).
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError>;
}

/// Takes one channel's samples, in order.
pub trait ChannelSink: Send {
    fn take<T: Sample>(&mut self, start: u64, samples: &[T]);
}

/// A sink whose work can be split into regions done on several threads, then merged in
/// order with the same result as one pass.
pub trait SplitSink: Sink + Send + Sync + Sized {
    /// Regions hold `grain × 2^k` frames (the statistics merge bit for bit only on their
    /// own block grid); 1 when any region size will do.
    fn grain(&self) -> u64 {
        1
    }
    /// An empty sink for the region that starts at frame `start`.
    fn fork(&self, start: u64) -> Self;
    /// Append the region that directly follows what `self` has seen.
    fn join(&mut self, later: Self);
}

/// One [`ChannelSink`] per selected channel; channels are processed on every core.
#[derive(Debug, Clone)]
pub struct PerChannel<S>(pub Vec<S>);

impl<S: ChannelSink> Sink for PerChannel<S> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        match (self.0.as_mut_slice(), columns) {
            ([one], [column]) => one.take(start, column),
            (sinks, columns) => sinks
                .par_iter_mut()
                .zip(columns.par_iter())
                .for_each(|(sink, column)| sink.take(start, column)),
        }
        Ok(())
    }
}

/// Sinks that split split per channel too.
pub trait ChannelSplit: ChannelSink + Sync + Sized {
    /// As [`SplitSink::grain`].
    fn grain(&self) -> u64 {
        1
    }
    fn fork(&self, start: u64) -> Self;
    fn join(&mut self, later: Self);
}

impl<S: ChannelSplit> SplitSink for PerChannel<S> {
    fn grain(&self) -> u64 {
        self.0.first().map_or(1, ChannelSplit::grain)
    }

    fn fork(&self, start: u64) -> Self {
        PerChannel(self.0.iter().map(|s| s.fork(start)).collect())
    }

    fn join(&mut self, later: Self) {
        self.0.iter_mut().zip(later.0).for_each(|(a, b)| a.join(b));
    }
}
