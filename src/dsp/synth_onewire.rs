//! 1-Wire signal generator: resets with or without a presence pulse and written bytes,
//! at standard or overdrive speed (entered after an Overdrive Skip/Match ROM command, left
//! on a standard reset, as devices do), with typical master/slave timing.

use super::decode::{SetupError, require_sample_rate};
use super::synth_levels::LevelStream;

/// One bus operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneWireOp {
    /// A reset pulse at the current speed (`standard`: always the 480 µs one, which
    /// leaves overdrive) and whether a device answers.
    Reset { presence: bool, standard: bool },
    /// Eight slots, least significant bit first.
    Write(u8),
}

/// Typical timing (µs) at standard and overdrive speed.
struct Speed {
    reset_low: f64,
    presence_wait: f64,
    presence_low: f64,
    reset_high: f64,
    one_low: f64,
    zero_low: f64,
    slot: f64,
}

const STANDARD: Speed = Speed {
    reset_low: 500.0,
    presence_wait: 30.0,
    presence_low: 120.0,
    reset_high: 500.0,
    one_low: 6.0,
    zero_low: 60.0,
    slot: 70.0,
};

const OVERDRIVE: Speed = Speed {
    reset_low: 70.0,
    presence_wait: 3.0,
    presence_low: 10.0,
    reset_high: 60.0,
    one_low: 1.0,
    zero_low: 8.0,
    slot: 10.0,
};

/// Lays `ops` out as line levels (idle high, 100 µs of idle at both ends).
pub fn onewire_waveform(sample_rate: f64, ops: &[OneWireOp]) -> Result<LevelStream, SetupError> {
    let rate = require_sample_rate(Some(sample_rate))?;
    let us = 1e-6;
    let mut w = LevelStream::new(rate);
    w.hold(1, 100.0 * us);
    let mut overdrive = false;
    // Bytes written since the last reset: the first one may switch the speed.
    let mut since_reset = None;
    for op in ops {
        match *op {
            OneWireOp::Reset { presence, standard } => {
                overdrive &= !standard;
                let s = if overdrive { &OVERDRIVE } else { &STANDARD };
                w.hold(0, s.reset_low * us);
                if presence {
                    w.hold(1, s.presence_wait * us);
                    w.hold(0, s.presence_low * us);
                    w.hold(1, (s.reset_high - s.presence_wait - s.presence_low) * us);
                } else {
                    w.hold(1, s.reset_high * us);
                }
                since_reset = Some(0);
            }
            OneWireOp::Write(byte) => {
                let s = if overdrive { &OVERDRIVE } else { &STANDARD };
                for bit in 0..8 {
                    let low = if (byte >> bit) & 1 == 1 {
                        s.one_low
                    } else {
                        s.zero_low
                    };
                    w.hold(0, low * us);
                    w.hold(1, (s.slot - low) * us);
                }
                if since_reset == Some(0) && (byte == 0x3c || byte == 0x69) {
                    overdrive = true;
                }
                since_reset = since_reset.map(|n| n + 1);
            }
        }
    }
    w.hold(1, 100.0 * us);
    Ok(w)
}
