//! tracekit: parse the command line, dispatch, map errors to exit codes. Nothing else.

use clap::Parser;
use std::process::ExitCode;
use tracekit::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match tracekit::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Escaped (names from files may hold control characters), and never a panic
            // when stderr itself fails.
            tracekit::term::eprint_line("tracekit: error: ", &format!("{err:#}"));
            // 128 + the signal after SIGINT/SIGTERM/SIGHUP, as shells expect; else 1.
            ExitCode::from(tracekit::interrupt::exit_status())
        }
    }
}

/// A closed stdout (`| head`) is a normal way for a pipeline to end, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
