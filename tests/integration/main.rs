//! One integration-test binary (xsv's layout): each module drives the built `tracekit`.

mod completions;
mod errors;
mod generate;
mod hardening;
mod hdf5_reader;
mod info;
mod loader;
mod slice;
mod util;
