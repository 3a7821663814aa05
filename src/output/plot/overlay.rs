//! Decoded frames as boxes on a waveform: how each decoder's events read on a plot. One
//! `impl FrameLabel` per protocol's event type; `tracekit plot --decode` runs any
//! [`crate::dsp::decode::Decoder`] whose events implement it.

use crate::dsp::decode::uart::{FrameError, UartEvent};

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
