//! Pulse measurements over every cycle of a capture (IEEE 181-2011 terms) and an event
//! finder, streamed chunk by chunk with identical results for any chunking.
//!
//! - [`StateLevelEstimator`]: the first pass, state levels by the histogram mode method
//!   (skipped when the user gives `--levels`); mergeable, so it runs on every core.
//! - [`Measurer`]: the second pass, every transition, pulse and cycle: periods, widths,
//!   duty cycles, transition durations, aberrations, per-cycle mean/RMS, jitter (period,
//!   cycle-to-cycle, TIE against the least-squares clock), with a per-cycle record stream.
//! - [`Finder`]: edges, glitches, pulse widths, runts, window excursions, gaps and slew-rate
//!   events, in sample order.
//!
//! Both passes of the second kind share one scan (`scan`): vectorised block summaries skip
//! every stretch that crosses no level, the shared Schmitt trigger decides transitions, and
//! crossing instants are interpolated linearly between the two samples around the level.
//! See docs/measure.md.

mod find;
mod measure;
mod run;
mod scan;
#[cfg(test)]
mod seams;
mod stat;
mod state_levels;
mod streams;

pub use find::{Bound, Condition, Event, EventKind, FindConfig, Finder, Polarity, Slope};
pub use measure::{
    Clock, CycleRecord, Jitter, JitterFigure, MeasureConfig, Measurement, Measurer, References, Tie,
};
pub use scan::Instant;
pub use stat::Summary;
pub use state_levels::{LevelMethod, StateLevelEstimator, StateLevels};
pub use streams::{Finders, LimitReached, Measurers};

use crate::dsp::levels::LevelError;

/// Errors of the pulse module; each names the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PulseError {
    #[error("no finite samples to find the state levels in ({skipped} NaN or infinite)")]
    NoSamples { skipped: u64 },
    #[error("state levels must be finite with top above base, got base {base} and top {top}")]
    Levels { base: f64, top: f64 },
    #[error(
        "reference levels must satisfy 0 <= low < mid < high <= 100 (percent of the \
         amplitude), got {low}/{mid}/{high}"
    )]
    References { low: f64, mid: f64, high: f64 },
    #[error(
        "threshold {threshold} must lie strictly between the low and high reference levels \
         ({low} and {high})"
    )]
    Threshold { threshold: f64, low: f64, high: f64 },
    #[error(
        "hysteresis {hysteresis} must be >= 0 and below {max}, so that both Schmitt \
         thresholds lie strictly between the low and high reference levels"
    )]
    Hysteresis { hysteresis: f64, max: f64 },
    #[error(
        "state band {band}% must be >= 0 and leave the state boundaries outside the Schmitt \
         thresholds (below {max}%)"
    )]
    Band { band: f64, max: f64 },
    #[error("{what} must be finite, got {value}")]
    NotFinite { what: &'static str, value: f64 },
    #[error("{what} must be positive and finite, got {value}")]
    NotPositive { what: &'static str, value: f64 },
    #[error("{what} needs low < high, got {low} and {high}")]
    Pair {
        what: &'static str,
        low: f64,
        high: f64,
    },
    #[error("find needs at least one condition")]
    NoCondition,
    #[error(transparent)]
    Schmitt(#[from] LevelError),
}

/// `value` if positive and finite.
fn positive(what: &'static str, value: f64) -> Result<f64, PulseError> {
    if value > 0.0 && value.is_finite() {
        Ok(value)
    } else {
        Err(PulseError::NotPositive { what, value })
    }
}
