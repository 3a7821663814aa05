//! The UART frame format shared by the decoder and the generator, and its errors.

/// Errors of the UART layer; each carries the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UartError {
    #[error("data bits must be 5..=9, got {got}")]
    DataBits { got: u8 },
    #[error("sample rate must be positive and finite, got {got}")]
    SampleRate { got: f64 },
    #[error("baud rate must be positive and finite, got {got}")]
    Baud { got: f64 },
    #[error(
        "baud {baud} is too fast for sample rate {sample_rate}: {bit_samples} samples per bit, need at least 1"
    )]
    TooFewSamplesPerBit {
        baud: f64,
        sample_rate: f64,
        bit_samples: f64,
    },
    #[error("value {value:#x} does not fit in {bits} data bits")]
    ValueTooWide { value: u16, bits: u8 },
    #[error("{what} must be finite and >= 0, got {got}")]
    NotNonNegative { what: &'static str, got: f64 },
    #[error("the length of the data to send is unknown (a pipe?): give --samples")]
    UnknownLength,
    #[error("cannot measure the baud rate: {reason}")]
    NoBaud { reason: String },
}

crate::named_enum! {
    /// Parity bit kind; `Mark`/`Space` are sigrok's `one`/`zero`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Parity {
        #[default]
        None = "none",
        Odd = "odd",
        Even = "even",
        Mark = "mark",
        Space = "space",
    }
}

impl Parity {
    /// The parity bit a transmitter sends for `value` (`None` when there is no parity bit).
    pub fn bit_for(self, value: u16) -> Option<u8> {
        let odd_ones = (value.count_ones() % 2) as u8;
        match self {
            Parity::None => None,
            Parity::Odd => Some(1 - odd_ones),
            Parity::Even => Some(odd_ones),
            Parity::Mark => Some(1),
            Parity::Space => Some(0),
        }
    }
}

/// Stop bit length. sigrok checks only the first stop bit; the length matters for the
/// frame time (break detection) and for the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StopBits {
    #[default]
    One,
    OneAndHalf,
    Two,
}

impl StopBits {
    /// Length in bit times.
    pub fn bits(self) -> f64 {
        match self {
            StopBits::One => 1.0,
            StopBits::OneAndHalf => 1.5,
            StopBits::Two => 2.0,
        }
    }
}

/// Frame format shared by the decoder and the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UartConfig {
    /// 5..=9.
    pub data_bits: u8,
    pub parity: Parity,
    pub stop_bits: StopBits,
    pub msb_first: bool,
    /// Idle-low line: the physical level is the logical one inverted.
    pub invert: bool,
}

impl Default for UartConfig {
    fn default() -> Self {
        Self {
            data_bits: 8,
            parity: Parity::None,
            stop_bits: StopBits::One,
            msb_first: false,
            invert: false,
        }
    }
}

impl UartConfig {
    /// Checks the data bit count (the only field an enum cannot constrain).
    pub fn validate(&self) -> Result<(), UartError> {
        if (5..=9).contains(&self.data_bits) {
            Ok(())
        } else {
            Err(UartError::DataBits {
                got: self.data_bits,
            })
        }
    }

    /// Bits before the stop bits: start + data + parity.
    pub fn bits_before_stop(&self) -> u32 {
        1 + u32::from(self.data_bits) + u32::from(self.parity != Parity::None)
    }

    /// Frame length in bit times, stop bits included.
    pub fn frame_bits(&self) -> f64 {
        // sigrok's order of operations: (int count + float stop bits) * bit width.
        f64::from(self.bits_before_stop()) + self.stop_bits.bits()
    }
}

/// Samples per bit, validated (finite, >= 1).
pub fn bit_samples(sample_rate: f64, baud: f64) -> Result<f64, UartError> {
    if !(sample_rate.is_finite() && sample_rate > 0.0) {
        return Err(UartError::SampleRate { got: sample_rate });
    }
    if !(baud.is_finite() && baud > 0.0) {
        return Err(UartError::Baud { got: baud });
    }
    let bw = sample_rate / baud;
    if bw < 1.0 {
        return Err(UartError::TooFewSamplesPerBit {
            baud,
            sample_rate,
            bit_samples: bw,
        });
    }
    Ok(bw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_bits() {
        // 0b1011 has three ones.
        assert_eq!(Parity::Odd.bit_for(0b1011), Some(0));
        assert_eq!(Parity::Even.bit_for(0b1011), Some(1));
        assert_eq!(Parity::Odd.bit_for(0), Some(1));
        assert_eq!(Parity::Mark.bit_for(0), Some(1));
        assert_eq!(Parity::Space.bit_for(0x1ff), Some(0));
        assert_eq!(Parity::None.bit_for(3), None);
    }
}
