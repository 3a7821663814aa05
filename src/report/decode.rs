//! decode-uart's summary: frames and errors counted as they stream by, and what was used.

use crate::dsp::decode::uart::{FrameError, UartEvent};
use serde::Serialize;

/// Counts for the summary, one error per event (a bad stop bit outranks a bad parity bit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FrameCounts {
    pub frames: u64,
    pub framing: u64,
    pub parity: u64,
    pub breaks: u64,
}

impl FrameCounts {
    pub fn add(&mut self, event: &UartEvent) {
        self.frames += u64::from(event.value().is_some());
        match event.error() {
            Some(FrameError::Framing) => self.framing += 1,
            Some(FrameError::Parity) => self.parity += 1,
            Some(FrameError::Break) => self.breaks += 1,
            None => {}
        }
    }
}

/// The summary line's facts.
#[derive(Debug, Clone, Serialize)]
pub struct UartSummary {
    pub path: String,
    pub counts: FrameCounts,
    /// The baud rate used and how it was found (`baud 9600`, or the auto measurement).
    pub baud: String,
    pub sample_rate: f64,
    /// The analog threshold used and how it was found; None for logic input.
    pub threshold: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::decode::uart::Span;

    #[test]
    fn one_error_per_event_and_breaks_are_not_frames() {
        let span = Span { start: 0, end: 1 };
        let data = |stop_error: bool| UartEvent::Data {
            start: 0,
            value: 0x41,
            data: span,
            parity_error: None,
            stop_error: stop_error.then_some(span),
        };
        let brk = UartEvent::Break {
            span: Span {
                start: 50,
                end: 300,
            },
            space: Span {
                start: 50,
                end: 300,
            },
        };
        let mut counts = FrameCounts::default();
        for e in [data(false), data(true), brk] {
            counts.add(&e);
        }
        assert_eq!(
            counts,
            FrameCounts {
                frames: 2,
                framing: 1,
                parity: 0,
                breaks: 1
            }
        );
    }
}
