//! `tracekit convert-csv IN [-o OUT]`: an instrument CSV export to .npy with its rate.

use crate::cli::ConvertCsvArgs;
use crate::csvconv::{self, CsvError, CsvOptions, Rows};
use crate::loader::text::MappedText;
use crate::output::convert as render;
use crate::output::npy::GrowingNpy;
use crate::output::progress::{Progress, Unit};
use crate::output::{refuse_overwrite, write_error};
use crate::report::convert::ConvertSummary;
use crate::sample::{CaptureMeta, DType};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

pub fn run(args: &ConvertCsvArgs, quiet: bool) -> Result<()> {
    let input = &args.input;
    if input == Path::new("-") {
        bail!("convert-csv reads a file (it is memory-mapped): save the stream to a file first");
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| input.with_extension("npy"));
    if output == Path::new("-") {
        bail!(
            "-o -: convert-csv cannot write to stdout, the .npy shape is known only after the \
             last row; write a file (then `cat` it)"
        );
    }
    refuse_overwrite(Some(input), &output)?;
    let name = input.display().to_string();
    let start = Instant::now();
    let text = MappedText::open(input)?;
    let data = text.bytes();
    let opts = CsvOptions {
        columns: args.column.clone(),
        time_column: args.time_column.clone(),
        delimiter: args.delimiter,
        decimal: args.decimal,
        skip_rows: args.skip_rows,
        sample_rate: args.sample_rate,
        on_error: args.on_error,
        block_size: None,
    };
    let layout = csvconv::detect(data, &opts).with_context(|| name.clone())?;
    let channels = layout.channels.len();
    // f32 while every value fits, unless --dtype says; a value that needs f64 widens the
    // file while it is still empty, else restarts the run in f64 (see --help), so
    // precision is never lost silently.
    let mut dtype = args.dtype.unwrap_or(DType::F32);
    let (out, report) = loop {
        let mut out = GrowingNpy::create(&output, dtype, channels)?;
        let mut upgrade = false;
        let progress = Progress::new(Some(data.len() as u64), Unit::Bytes, 1, quiet);
        let mut done = 0;
        let result = csvconv::convert(
            data,
            &layout,
            &opts,
            &mut |offset| {
                progress.inc(offset.saturating_sub(done));
                done = offset;
                text.release_before(offset);
            },
            &mut |rows: Rows| {
                if rows.needs_f64
                    && args.dtype.is_none()
                    && out.dtype() == DType::F32
                    && !out.widen_if_empty()
                {
                    upgrade = true;
                    return Err(std::io::Error::other("f64 needed"));
                }
                out.append(rows.values)
            },
        );
        progress.finish();
        match result {
            Err(_) if upgrade => dtype = DType::F64,
            Err(CsvError::Sink(e)) => return Err(write_error(&output, e)),
            Err(e) => return Err(anyhow::Error::new(e).context(name)),
            Ok(report) => {
                dtype = out.dtype();
                break (out, report);
            }
        }
    };
    let mut warnings = Vec::new();
    let rounded = report.needs_f64.iter().filter(|n| **n).count();
    if dtype == DType::F32 && rounded > 0 {
        warnings.push(format!(
            "{rounded} channel(s) hold values that f32 rounds (--dtype f32 was asked for)"
        ));
    }
    let meta = CaptureMeta {
        sample_rate: report.sample_rate,
        start_time: report.t0,
        ..Default::default()
    };
    out.finish(&meta)?;
    let summary = ConvertSummary::new(
        name,
        output.display().to_string(),
        dtype.numpy_name(),
        &layout,
        report,
        warnings,
        start.elapsed().as_secs_f64(),
        data.len() as u64,
    );
    if args.json {
        let mut stdout = crate::output::stdout();
        serde_json::to_writer(&mut stdout, &summary)?;
        writeln!(stdout)?;
        stdout.flush()?;
    } else if !quiet {
        crate::term::eprint(&render::text(&summary));
    }
    Ok(())
}
