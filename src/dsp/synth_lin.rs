//! LIN signal generator: frames as a master and slave send them (break, delimiter, sync
//! 0x55, protected ID, data, checksum as 8N1 UART bytes), with optional parity and
//! checksum errors.

use super::decode::lin::{LinVersion, checksum, protected_id};
use super::decode::{SetupError, positive, require_sample_rate};
use super::synth_levels::LevelStream;

/// One frame to send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinFrameSpec {
    /// 6-bit frame identifier.
    pub id: u8,
    /// The response; empty: a header with no answer.
    pub data: Vec<u8>,
    pub bad_parity: bool,
    pub bad_checksum: bool,
}

/// Frame layout in bit times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinTiming {
    pub break_bits: f64,
    pub delimiter_bits: f64,
    /// Idle between the bytes of a frame.
    pub byte_gap_bits: f64,
    /// Idle after each frame.
    pub frame_gap_bits: f64,
}

impl Default for LinTiming {
    fn default() -> Self {
        LinTiming {
            break_bits: 13.0,
            delimiter_bits: 1.0,
            byte_gap_bits: 0.5,
            frame_gap_bits: 30.0,
        }
    }
}

/// Lays the frames out as line levels (idle high, 20 bit times before the first).
pub fn lin_waveform(
    sample_rate: f64,
    baud: f64,
    version: LinVersion,
    timing: LinTiming,
    frames: &[LinFrameSpec],
) -> Result<LevelStream, SetupError> {
    let rate = require_sample_rate(Some(sample_rate))?;
    let bit = 1.0 / positive("baud rate", baud)?;
    let mut w = LevelStream::new(rate);
    w.hold(1, 20.0 * bit);
    let byte = |w: &mut LevelStream, value: u8| {
        w.hold(0, bit);
        for i in 0..8 {
            w.hold((value >> i) & 1, bit);
        }
        w.hold(1, bit + timing.byte_gap_bits * bit);
    };
    for f in frames {
        w.hold(0, timing.break_bits * bit);
        w.hold(1, timing.delimiter_bits * bit);
        byte(&mut w, 0x55);
        let pid = protected_id(f.id) ^ if f.bad_parity { 0x80 } else { 0 };
        byte(&mut w, pid);
        if !f.data.is_empty() {
            for &d in &f.data {
                byte(&mut w, d);
            }
            let sum = checksum(version, pid, &f.data) ^ u8::from(f.bad_checksum);
            byte(&mut w, sum);
        }
        w.hold(1, timing.frame_gap_bits * bit);
    }
    Ok(w)
}
