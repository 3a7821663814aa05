//! Decoded frames as boxes on a waveform: how each decoder's events read on a plot. One
//! `impl FrameLabel` per protocol's event type; `tracekit plot --decode` runs any
//! [`crate::dsp::decode::Decoder`] whose events implement it.

use crate::dsp::decode::can::CanEvent;
use crate::dsp::decode::i2c::{ByteKind, I2cEvent};
use crate::dsp::decode::lin::LinEvent;
use crate::dsp::decode::onewire::{OneWireEvent, Presence};
use crate::dsp::decode::spi::{SpiEvent, WordValue};
use crate::dsp::decode::uart::{FrameError, UartEvent};
use crate::report::decode::can_error_name;

/// An event drawn as a labelled box over samples `start..end` (the decoder's positions).
pub trait FrameLabel {
    /// The box and its label, or None for events not drawn.
    fn frame(&self) -> Option<(u64, u64, String)>;
}

impl FrameLabel for UartEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        match self {
            UartEvent::Data {
                start, value, data, ..
            } => {
                let mut label = match u8::try_from(*value) {
                    Ok(b) if b.is_ascii_graphic() || b == b' ' => {
                        format!("0x{value:02X} '{}'", b as char)
                    }
                    _ => format!("0x{value:02X}"),
                };
                match self.error() {
                    Some(FrameError::Framing) => label.push_str(" FE"),
                    Some(FrameError::Parity) => label.push_str(" PE"),
                    _ => {}
                }
                Some((*start, data.end.max(*start + 1), label))
            }
            UartEvent::InvalidStart { span, .. } => Some((span.start, span.end, "FE".into())),
            UartEvent::Break { span, .. } => Some((span.start, span.end, "BREAK".into())),
        }
    }
}

/// SPI: a box per word, labelled with MOSI (and MISO after a slash); incomplete words "?".
impl FrameLabel for SpiEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        match self {
            SpiEvent::Word(w) => {
                let hex = |v: &Option<WordValue>| v.as_ref().map(|v| format!("0x{}", v.to_hex()));
                let label = match (hex(&w.mosi), hex(&w.miso)) {
                    (Some(o), Some(i)) => format!("{o}/{i}"),
                    (Some(v), None) | (None, Some(v)) => v,
                    (None, None) => return None,
                };
                Some((w.start, w.end.max(w.start + 1), label))
            }
            SpiEvent::Incomplete { start, end, bits } => {
                Some((*start, (*end).max(*start + 1), format!("{bits} bits?")))
            }
            SpiEvent::Transfer { .. } => None,
        }
    }
}

/// I²C: a box per byte: `W 0x52`/`R 0x52` for addresses, the value for data, NACKed
/// bytes are followed by a `NACK` box.
impl FrameLabel for I2cEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        match self {
            I2cEvent::Byte(b) => {
                let label = match b.kind {
                    ByteKind::Data => format!("0x{:02X}", b.value),
                    ByteKind::Address {
                        address: Some(a), ..
                    } => format!("{} 0x{a:02X}", if b.read { "R" } else { "W" }),
                    ByteKind::Address { .. } => format!("0x{:02X}", b.raw),
                };
                Some((b.start, b.end.max(b.start + 1), label))
            }
            I2cEvent::Ack {
                start,
                end,
                ack: false,
            } => Some((*start, (*end).max(*start + 1), "NACK".into())),
            _ => None,
        }
    }
}

/// CAN: a box per frame, `ID: data` (`ID: R` for remote frames), errors appended.
impl FrameLabel for CanEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        let CanEvent::Frame(f) = self else {
            return None;
        };
        let mut label = if f.extended {
            format!("{:08X}:", f.id)
        } else {
            format!("{:03X}:", f.id)
        };
        if f.remote {
            label.push_str(" R");
        }
        for d in f.data() {
            label.push_str(&format!(" {d:02X}"));
        }
        for e in f.errors.iter() {
            label.push(' ');
            label.push_str(can_error_name(e));
        }
        Some((f.span.start, f.span.end.max(f.span.start + 1), label))
    }
}

/// 1-Wire: resets (`RESET`, `RESET+P` with a presence pulse folded in by its own box) and
/// bytes.
impl FrameLabel for OneWireEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        let (span, label) = match self {
            OneWireEvent::Reset { span } => (span, "RESET".to_string()),
            OneWireEvent::Presence { span, presence } => (
                span,
                match presence {
                    Presence::Absent => "no presence".to_string(),
                    _ => "presence".to_string(),
                },
            ),
            OneWireEvent::Byte { span, value } => (span, format!("0x{value:02X}")),
            _ => return None,
        };
        Some((span.start, span.end.max(span.start + 1), label))
    }
}

/// LIN: a box per frame, `ID: data`, with parity and checksum errors marked.
impl FrameLabel for LinEvent {
    fn frame(&self) -> Option<(u64, u64, String)> {
        match self {
            LinEvent::Frame(f) => {
                let mut label = match f.id() {
                    Some(id) => format!("{id:02X}:"),
                    None => "?:".to_string(),
                };
                for d in &f.data {
                    label.push_str(&format!(" {d:02X}"));
                }
                if !f.parity_ok {
                    label.push_str(" PARITY");
                }
                if f.checksum_ok == Some(false) {
                    label.push_str(" CHECKSUM");
                }
                Some((f.span.start, f.span.end.max(f.span.start + 1), label))
            }
            LinEvent::Break { span } => {
                Some((span.start, span.end.max(span.start + 1), "BREAK".into()))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::decode::uart::Span;

    #[test]
    fn uart_labels() {
        let data = |value, parity_error| UartEvent::Data {
            start: 100,
            value,
            data: Span {
                start: 104,
                end: 180,
            },
            parity_error,
            stop_error: None,
        };
        assert_eq!(
            data(0x48, None).frame(),
            Some((100, 180, "0x48 'H'".into()))
        );
        let bad = data(0x0a, Some(Span { start: 1, end: 2 })).frame();
        assert_eq!(bad, Some((100, 180, "0x0A PE".into())));
    }
}
