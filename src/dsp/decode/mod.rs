//! Protocol decoders: one streaming state machine per protocol behind [`Decoder`].
//!
//! A decoder takes line levels (0/1) of its signals chunk by chunk and appends events; it
//! keeps its state across chunks, so a frame may straddle any number of them and the events
//! never depend on the chunk size. [`Decode`] connects a decoder to the loader (through
//! [`crate::dsp::line::Lines`]) and hands each chunk's events to the caller's writer.

pub mod uart;

use super::line::LevelSink;
use crate::sample::sink::SinkError;

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

/// A decoder whose events go to `emit` after every chunk (and once more at the end).
pub struct Decode<D: Decoder, F> {
    pub decoder: D,
    events: Vec<D::Event>,
    emit: F,
}

impl<D: Decoder, F: FnMut(&mut Vec<D::Event>) -> std::io::Result<()>> Decode<D, F> {
    /// `emit` takes the events (and should drain them).
    pub fn new(decoder: D, emit: F) -> Self {
        Decode {
            decoder,
            events: Vec::new(),
            emit,
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
        Ok((self.emit)(&mut self.events)?)
    }
}
