//! Protocol decoders: one streaming state machine per protocol behind [`Decoder`].
//!
//! A decoder takes line levels (0/1) of its signals chunk by chunk and appends events; it
//! keeps its state across chunks, so a frame may straddle any number of them and the events
//! never depend on the chunk size. [`Decode`] connects a decoder to the loader (through
//! [`crate::dsp::line::Lines`]) and hands each chunk's events to the caller's writer.

mod annotate;
pub mod can;
mod edges;
pub mod i2c;
pub mod lin;
pub mod onewire;
pub mod spi;
pub mod uart;

pub use annotate::{
    Annotate, Annotations, Annotator, PerEvent, Texts, hex02, push_hex, push_u64, py_float,
};
pub use edges::{Block, Line, Wake, above, find_change, find_change2};

use super::line::LevelSink;
use crate::sample::sink::SinkError;
use serde::Serialize;
use uart::UartError;

/// Half-open sample range `[start, end)` of an event or a sigrok annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

/// `Span { start, end }`.
pub fn span(start: u64, end: u64) -> Span {
    Span { start, end }
}

/// Errors found while setting a decoder up; each names the value it got.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetupError {
    /// sigrok's `SamplerateError`: the timing of these protocols is in seconds.
    #[error("cannot decode without a sample rate: the capture states none; pass -r RATE")]
    NoSampleRate,
    #[error("{what} must be positive and finite, got {got}")]
    NotPositive { what: &'static str, got: f64 },
    #[error("sample point must be a percentage from 0 to 100, got {got}")]
    SamplePoint { got: f64 },
    #[error(transparent)]
    Uart(#[from] UartError),
}

/// The sample rate a decoder needs: `None` or 0 is sigrok's "no samplerate" error.
pub fn require_sample_rate(rate: Option<f64>) -> Result<f64, SetupError> {
    match rate {
        None | Some(0.0) => Err(SetupError::NoSampleRate),
        Some(r) => positive("sample rate", r),
    }
}

/// `value` if it is positive and finite.
pub fn positive(what: &'static str, value: f64) -> Result<f64, SetupError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(SetupError::NotPositive { what, got: value })
    }
}

/// A streaming protocol decoder over line levels.
pub trait Decoder: Send {
    type Event;
    /// `signals[i]` holds the levels of the decoder's i-th signal (the order is the
    /// decoder's; an absent optional signal is an empty slice), the first at absolute
    /// sample `start`.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<Self::Event>);
    /// End of data: flush what is pending (a frame cut by the end of the capture).
    fn finish(&mut self, out: &mut Vec<Self::Event>);
}

/// A decoder whose events go to `emit` after every chunk that leaves at least `batch` of
/// them (and once more at the end).
pub struct Decode<D: Decoder, F> {
    pub decoder: D,
    events: Vec<D::Event>,
    emit: F,
    batch: usize,
}

impl<D: Decoder, F: FnMut(&mut Vec<D::Event>) -> std::io::Result<()>> Decode<D, F> {
    /// `emit` takes the events (and should drain them).
    pub fn new(decoder: D, emit: F) -> Self {
        Decode {
            decoder,
            events: Vec::new(),
            emit,
            batch: 1,
        }
    }

    /// Hold events back until `batch` of them have gathered: fewer, larger hand-overs
    /// when `emit` sends them to another thread.
    pub fn batched(self, batch: usize) -> Self {
        Decode {
            batch: batch.max(1),
            ..self
        }
    }

    /// Flush the decoder and emit what it still held.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.decoder.finish(&mut self.events);
        (self.emit)(&mut self.events)
    }
}

impl<D: Decoder, F: FnMut(&mut Vec<D::Event>) -> std::io::Result<()>> LevelSink for Decode<D, F> {
    fn levels(&mut self, start: u64, signals: &[&[u8]]) -> Result<(), SinkError> {
        self.decoder.push(start, signals, &mut self.events);
        if self.events.len() >= self.batch {
            (self.emit)(&mut self.events)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One event per high sample: its absolute sample number.
    struct Highs;

    impl Decoder for Highs {
        type Event = u64;
        fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<u64>) {
            let highs = signals[0].iter().enumerate().filter(|&(_, &l)| l == 1);
            out.extend(highs.map(|(i, _)| start + i as u64));
        }
        fn finish(&mut self, out: &mut Vec<u64>) {
            out.push(u64::MAX);
        }
    }

    #[test]
    fn batched_decode_emits_every_event_once_in_order_in_batches_of_at_least_the_size() {
        let levels: Vec<u8> = (0..1000u32).map(|i| u8::from(i % 3 != 0)).collect();
        let want: Vec<u64> = (0..1000).filter(|i| i % 3 != 0).chain([u64::MAX]).collect();
        for (batch, chunk) in [(1, 1), (1, 64), (50, 7), (50, 1000), (5000, 13)] {
            let mut batches: Vec<Vec<u64>> = Vec::new();
            let mut decode = Decode::new(Highs, |events: &mut Vec<u64>| {
                batches.push(std::mem::take(events));
                Ok(())
            })
            .batched(batch);
            for (k, piece) in levels.chunks(chunk).enumerate() {
                decode.levels((k * chunk) as u64, &[piece]).unwrap();
            }
            decode.finish().unwrap();
            let (last, full) = batches.split_last().unwrap();
            assert!(full.iter().all(|b| b.len() >= batch), "{batch} {chunk}");
            assert!(!last.is_empty());
            assert_eq!(batches.concat(), want, "batch {batch}, chunk {chunk}");
        }
    }
}
