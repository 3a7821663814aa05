//! `tracekit info FILE`: what a capture is, from its headers only.

use crate::cli::InfoArgs;
use crate::loader;
use crate::output::{self, info as render};
use crate::report::info::InfoReport;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &InfoArgs, quiet: bool) -> Result<()> {
    let mut opts = args.input.open_options();
    opts.verify = args.verify;
    let trace = loader::open(&opts)?;
    super::warn_all(&trace.info.warnings, quiet);
    let report = InfoReport::new(&trace.info);
    let mut out = output::stdout();
    if args.output.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        render::write_tables(&report, &mut out)?;
    }
    out.flush()?;
    Ok(())
}
