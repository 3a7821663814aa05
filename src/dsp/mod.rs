//! Pure algorithms: no files, no stdout, no clap. Each is tested against known answers.

pub mod columns;
pub mod complex_stats;
pub mod decode;
pub mod envelope;
pub mod levels;
pub mod line;
pub mod metrics;
mod power_fft;
pub mod pulse;
mod segment;
mod segment_stream;
pub mod select;
pub mod spectrogram;
pub mod synth;
pub mod synth_bus;
pub mod synth_can;
pub mod synth_i2c;
pub mod synth_levels;
pub mod synth_lin;
pub mod synth_onewire;
pub mod synth_spi;
pub mod synth_uart;
pub mod welch;
pub mod welch_complex;
pub mod window;

/// Errors of the spectral code, carrying the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DspError {
    /// `nfft` below [`welch::MIN_NFFT`].
    #[error("nfft must be at least {min}, got {got}")]
    NfftTooSmall {
        /// The smallest accepted value.
        min: usize,
        /// What was asked for.
        got: usize,
    },
    /// Overlap of a whole segment or more would never advance.
    #[error("overlap must be less than nfft ({nfft} samples), got {got} samples")]
    OverlapTooLarge {
        /// The segment length.
        nfft: usize,
        /// The overlap asked for.
        got: usize,
    },
    /// Sample rate that is not a positive finite number.
    #[error("sample rate must be positive and finite, got {got}")]
    SampleRate {
        /// The rate given.
        got: f64,
    },
    /// Window name not in SPEC `fft`.
    #[error(
        "unknown window {text:?} (expected hann, hamming, blackman, blackman-harris, flattop, rect or kaiser:BETA)"
    )]
    UnknownWindow {
        /// The text given.
        text: String,
    },
    /// Kaiser beta that is not a number in `0..=700`.
    #[error("kaiser beta must be a number from 0 to 700, got {text:?}")]
    KaiserBeta {
        /// The text given.
        text: String,
    },
    /// Fewer samples than one segment.
    #[error("not enough samples for one segment of {nfft}: got {samples}")]
    TooShort {
        /// The segment length.
        nfft: usize,
        /// How many samples were fed.
        samples: u64,
    },
    /// A plot pass asked for no pixel columns or an empty sample range.
    #[error(
        "a plot needs at least one column and one sample, got {columns} columns over {samples} samples"
    )]
    EmptyPlot {
        /// Columns asked for.
        columns: usize,
        /// Samples in the range.
        samples: u64,
    },
    /// Two partial results over different column layouts cannot be joined.
    #[error(
        "cannot join column results of different layouts: {expected:?} and {got:?} (start, samples, columns)"
    )]
    LayoutMismatch {
        /// Layout of the receiving side.
        expected: (u64, u64, usize),
        /// Layout of the side joined in.
        got: (u64, u64, usize),
    },
    /// A streaming pass that needs consecutive samples was handed a chunk out of order.
    #[error("samples must arrive in order: expected index {expected}, got a chunk at {got}")]
    OutOfOrder {
        /// The next index the pass was waiting for.
        expected: u64,
        /// Where the chunk started.
        got: u64,
    },
    /// A chunk with another number of signals than the pass takes (1 real, 2 for I and Q).
    #[error("this spectrogram takes {expected} signal(s) per chunk ({kind} input), got {got}")]
    Signals {
        /// Signals the pass takes.
        expected: usize,
        /// `real` or `complex`.
        kind: &'static str,
        /// Signals handed over.
        got: usize,
    },
}
pub mod moments;
