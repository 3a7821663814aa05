//! From a capture's samples to UART line levels (0/1), chunk by chunk.
//!
//! decode-uart reads three kinds of input: logic samples that are already 0/1, integer
//! logic-analyzer words whose bit N is the line, and analog volts that go through a
//! [`Schmitt`] trigger. The common cases (a single u8, f32 or f64 channel in native byte
//! order) are read in place; everything else is gathered into a reused buffer first.

use super::uart::{LevelEstimator, Schmitt, extract_bit};
use crate::loader::{Chunk, DType};

/// Why a chunk could not be turned into levels.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineError {
    #[error(
        "sample {index} is {value}, not a 0/1 logic level: pass --bit N if the line is one bit \
         of each sample, or --threshold V|auto to read the samples as an analog signal"
    )]
    NotLogic { index: u64, value: f64 },
    #[error(transparent)]
    Uart(#[from] super::uart::UartError),
}

/// How one channel's samples become line levels.
#[derive(Debug, Clone)]
pub enum LineInput {
    /// Samples hold only 0 and 1 (checked on the fly).
    Logic,
    /// The line is bit N of each integer sample.
    Bit(u32),
    /// Analog samples through a Schmitt trigger (state kept across chunks).
    Analog(Schmitt),
}

/// Scratch reused chunk after chunk, so the hot loop never allocates.
#[derive(Debug, Default)]
pub struct LineBuffers {
    values: Vec<f64>,
    levels: Vec<u8>,
}

/// One channel of a chunk as numbers: in place when possible, else converted to f64.
pub enum Analog<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl<'a> Analog<'a> {
    pub fn of(chunk: &Chunk<'a>, channel: usize, values: &'a mut Vec<f64>) -> Analog<'a> {
        if chunk.channels() == 1 {
            if let Some(s) = chunk.typed::<f32>() {
                return Analog::F32(s);
            }
            if let Some(s) = chunk.typed::<f64>() {
                return Analog::F64(s);
            }
        }
        chunk.channel_f64(channel, values);
        Analog::F64(values)
    }

    /// Feed the samples to a level estimator (`--threshold auto`).
    pub fn estimate(&self, est: &mut LevelEstimator) {
        match self {
            Analog::F32(s) => est.push(s),
            Analog::F64(s) => est.push(s),
        }
    }
}

impl LineInput {
    /// The levels of channel `channel` of `chunk`; a non-logic sample is reported with its
    /// absolute index.
    pub fn levels<'a>(
        &mut self,
        chunk: &Chunk<'a>,
        channel: usize,
        buf: &'a mut LineBuffers,
    ) -> Result<&'a [u8], LineError> {
        let (dtype, channels) = (chunk.dtype(), chunk.channels());
        match self {
            LineInput::Logic if matches!(dtype, DType::U8 | DType::Bool) => {
                let bytes = if channels == 1 {
                    chunk.bytes()
                } else {
                    buf.levels.clear();
                    let column = chunk.bytes().iter().skip(channel).step_by(channels);
                    buf.levels.extend(column);
                    &buf.levels
                };
                // OR of all samples is at most 1 exactly when every sample is 0 or 1; this
                // vectorizes, so checking costs little next to the decoding.
                if bytes.iter().fold(0, |acc, &b| acc | b) > 1 {
                    return Err(not_logic(chunk.start, bytes.iter().map(|&b| f64::from(b))));
                }
                Ok(bytes)
            }
            LineInput::Logic => {
                chunk.channel_f64(channel, &mut buf.values);
                if buf.values.iter().any(|&v| v != 0.0 && v != 1.0) {
                    return Err(not_logic(chunk.start, buf.values.iter().copied()));
                }
                buf.levels.clear();
                buf.levels.extend(buf.values.iter().map(|&v| v as u8));
                Ok(&buf.levels)
            }
            LineInput::Bit(bit) => {
                let size = dtype.size();
                let sample = (size, chunk.endian());
                extract_bit(
                    chunk.bytes(),
                    sample,
                    channel * size,
                    channels * size,
                    *bit,
                    &mut buf.levels,
                )?;
                Ok(&buf.levels)
            }
            LineInput::Analog(schmitt) => {
                match Analog::of(chunk, channel, &mut buf.values) {
                    Analog::F32(s) => schmitt.process(s, &mut buf.levels),
                    Analog::F64(s) => schmitt.process(s, &mut buf.levels),
                }
                Ok(&buf.levels)
            }
        }
    }
}

/// The error for the first sample of `values` that is not 0 or 1.
fn not_logic(first: u64, mut values: impl Iterator<Item = f64>) -> LineError {
    let (index, value) = values
        .by_ref()
        .enumerate()
        .find(|&(_, v)| v != 0.0 && v != 1.0)
        .expect("called only when some sample is not 0/1");
    LineError::NotLogic {
        index: first + index as u64,
        value,
    }
}
