//! One integration-test binary (xsv's layout): each module drives the built `tracekit`.

mod convert_csv;
mod csv_dialects;
mod csv_fixtures;
mod errors;
mod generate;
mod hdf5_reader;
mod info;
mod loader;
mod util;
