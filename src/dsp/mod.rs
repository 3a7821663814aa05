//! Pure algorithms: no files, no stdout, no clap. Each is tested against known answers.

pub mod line;
pub mod select;
pub mod synth;
pub mod synth_uart;
pub mod uart;
