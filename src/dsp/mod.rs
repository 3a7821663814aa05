//! Pure algorithms: no files, no stdout, no clap. Each is tested against known answers.

pub mod synth;
pub mod moments;
