//! From a channel's samples to line levels (0/1), chunk by chunk, for the decoders.
//!
//! A line is either logic samples that are already 0/1 (u8 levels are used in place; the
//! loader turns `--bit N` of integer words into such levels) or analog samples through a
//! [`Schmitt`] trigger. [`Lines`] does this for every signal of a decoder and hands the levels
//! to a [`LevelSink`]: the decoder itself, or an estimator that looks at the levels first.

use super::levels::Schmitt;
use crate::sample::Sample;
use crate::sample::sink::{Sink, SinkError};

/// Why a chunk could not be turned into levels.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineError {
    #[error(
        "sample {index} is {value}, not a 0/1 logic level: pass --bit N if the line is one bit \
         of each sample, or --threshold V|auto to read the samples as an analog signal"
    )]
    NotLogic { index: u64, value: f64 },
}

/// How one signal's samples become line levels.
#[derive(Debug, Clone)]
pub enum LineInput {
    /// Samples hold only 0 and 1 (checked on the fly).
    Logic,
    /// Analog samples through a Schmitt trigger (state kept across chunks).
    Analog(Schmitt),
}

impl LineInput {
    /// The levels of `samples` (the first at absolute index `start`), in place when they are
    /// u8 already; a non-logic sample is reported with its absolute index.
    pub fn levels<'a, T: Sample>(
        &mut self,
        start: u64,
        samples: &'a [T],
        buf: &'a mut Vec<u8>,
    ) -> Result<&'a [u8], LineError> {
        match self {
            LineInput::Logic => {
                if let Some(bytes) = T::as_u8(samples) {
                    // OR of all samples is at most 1 exactly when every sample is 0 or 1;
                    // this vectorizes, so checking costs little next to the decoding.
                    if bytes.iter().fold(0, |acc, &b| acc | b) > 1 {
                        return Err(not_logic(start, samples));
                    }
                    return Ok(bytes);
                }
                if samples.iter().any(|v| !is_level(v.to_f64())) {
                    return Err(not_logic(start, samples));
                }
                buf.clear();
                buf.extend(samples.iter().map(|v| v.to_f64() as u8));
                Ok(buf)
            }
            LineInput::Analog(schmitt) => {
                schmitt.process(samples, buf);
                Ok(buf)
            }
        }
    }
}

fn is_level(v: f64) -> bool {
    v == 0.0 || v == 1.0
}

/// The error for the first sample of `samples` that is not 0 or 1.
fn not_logic<T: Sample>(start: u64, samples: &[T]) -> LineError {
    let (index, value) = samples
        .iter()
        .map(|v| v.to_f64())
        .enumerate()
        .find(|&(_, v)| !is_level(v))
        .expect("called only when some sample is not 0/1");
    LineError::NotLogic {
        index: start + index as u64,
        value,
    }
}

/// Takes the levels of every signal of a chunk (the first at absolute index `start`).
pub trait LevelSink {
    fn levels(&mut self, start: u64, signals: &[&[u8]]) -> Result<(), SinkError>;
}

/// Turns each column into levels through its [`LineInput`] and hands them to a [`LevelSink`].
pub struct Lines<L> {
    inputs: Vec<LineInput>,
    buffers: Vec<Vec<u8>>,
    sink: L,
}

impl<L: LevelSink> Lines<L> {
    /// The level sink, once the walk is over.
    pub fn into_sink(self) -> L {
        self.sink
    }

    /// One input per signal, in the order the columns arrive.
    pub fn new(inputs: Vec<LineInput>, sink: L) -> Self {
        let buffers = vec![Vec::new(); inputs.len()];
        Lines {
            inputs,
            buffers,
            sink,
        }
    }
}

impl<L: LevelSink> Sink for Lines<L> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        let levels = self
            .inputs
            .iter_mut()
            .zip(&mut self.buffers)
            .zip(columns)
            .map(|((input, buf), column)| input.levels(start, column, buf))
            .collect::<Result<Vec<&[u8]>, LineError>>()
            .map_err(|e| SinkError::Input(e.into()))?;
        self.sink.levels(start, &levels)
    }
}

/// Puts the levels of the signals present into a decoder's signal order: `map[i]` is the
/// column of the decoder's i-th signal, `None` for an absent optional one (an empty slice).
pub struct Slots<L> {
    map: Vec<Option<usize>>,
    sink: L,
}

impl<L: LevelSink> Slots<L> {
    pub fn new(map: Vec<Option<usize>>, sink: L) -> Self {
        Slots { map, sink }
    }

    pub fn into_inner(self) -> L {
        self.sink
    }
}

impl<L: LevelSink> LevelSink for Slots<L> {
    fn levels(&mut self, start: u64, signals: &[&[u8]]) -> Result<(), SinkError> {
        let ordered: Vec<&[u8]> = self
            .map
            .iter()
            .map(|slot| slot.map_or(&[][..], |k| signals[k]))
            .collect();
        self.sink.levels(start, &ordered)
    }
}
