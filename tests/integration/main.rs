//! One integration-test binary (xsv's layout): each module drives the built `tracekit`.

// Test helpers may panic on a broken fixture; the crate-wide lint is for shipped code.
#![allow(clippy::unwrap_used)]

mod architecture;
mod completions;
mod convert_csv;
mod csv_dialects;
mod csv_fixtures;
mod decode_fixtures;
mod decode_roundtrip;
mod errors;
mod fft;
mod find_cli;
mod generate;
mod hardening;
mod hdf5_commands;
mod hdf5_reader;
mod info;
mod issue13_core;
mod issue13_csv;
mod issue13_hdf5;
mod issue13_io;
mod issue14_scopes;
mod issue15_complex;
mod issue15_interchange;
mod issue15_logic;
mod issue15_sr_speed;
mod issue15_writers;
mod issue16_decode_speed;
mod issue16_generate;
mod issue17_measure;
mod issue18_overlays;
mod issue18_plot;
mod loader;
mod logic_speed;
mod measure_cli;
mod pulse;
mod sigrok;
mod slice;
mod stats;
mod uart_cli;
mod uart_fixtures;
mod uart_roundtrip;
mod uart_util;
mod util;
