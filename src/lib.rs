//! tracekit: fast, exact tools for huge waveform captures.
//!
//! The binary is thin glue over these modules: `loader` opens any capture and walks it in
//! chunks, `dsp` holds the pure algorithms, `output` renders reports, `units` parses what
//! users type.

pub mod analyse;
pub mod cli;
pub mod cmd;
pub mod csvconv;
pub mod dsp;
pub mod interrupt;
pub mod loader;
pub(crate) mod named;
pub(crate) mod output;
pub(crate) mod parallel;
pub mod report;
pub mod sample;
pub mod term;
pub mod units;
