//! One integration-test binary (xsv's layout): each module drives the built `tracekit`.

mod errors;
mod generate;
mod info;
mod loader;
mod stats;
mod util;
