//! `tracekit info`.

use super::{InputArgs, OutputArgs};
use clap::Args;

/// Show what a capture is: format, dtype, shape, rate, duration. Reads headers only.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit info capture.npy
  tracekit info --json scope.h5 | jq .sample_rate
  tracekit info --dtype i16 --channels 4 -r 250M dump.bin")]
pub struct InfoArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// SigMF: hash the whole dataset and check it against `core:sha512` (error if not equal)
    #[arg(long)]
    pub verify: bool,
}
