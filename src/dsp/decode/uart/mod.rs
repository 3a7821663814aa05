//! UART: the frame format, the sigrok-exact streaming decoder and the `--baud auto`
//! estimator. Analog lines reach the decoder through [`crate::dsp::levels`].

mod baud;
mod config;
mod decoder;

pub use baud::{
    BaudEstimate, BaudEstimator, SNAP_TOLERANCE, STANDARD_BAUDS, nearest_standard_baud,
};
pub use config::{Parity, StopBits, UartConfig, UartError, bit_samples};
pub use decoder::{FrameError, Span, UartDecoder, UartEvent};

impl super::Decoder for UartDecoder {
    type Event = UartEvent;

    /// One signal, the receive line; positions count from the first sample pushed.
    fn push(&mut self, _start: u64, signals: &[&[u8]], out: &mut Vec<UartEvent>) {
        if let Some(rx) = signals.first() {
            UartDecoder::push(self, rx, out);
        }
    }

    fn finish(&mut self, out: &mut Vec<UartEvent>) {
        UartDecoder::finish(self, out);
    }
}
