//! One integration-test binary (xsv's layout): each module drives the built `tracekit`.

mod errors;
mod fft;
mod generate;
mod hdf5_reader;
mod info;
mod loader;
mod util;
