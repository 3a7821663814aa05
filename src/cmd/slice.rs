//! `tracekit slice RANGE [FILE] -o OUT`: copy a range of samples to .npy, CSV, raw or stdout.
//!
//! A same-type slice of every channel is a straight copy from the mapped window to the
//! output; channel picks, `--step` and `--to` go through `dsp::select`. The output carries
//! the rate (divided by `--step`) and the time of its first sample (docs/formats.md).

use super::Plan;
use crate::cli::{SliceArgs, SliceTo};
use crate::dsp::select::Selection;
use crate::interrupt;
use crate::loader::{self, TraceInfo};
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use crate::output::{self};
use crate::sample::CaptureMeta;
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn run(args: &SliceArgs, quiet: bool) -> Result<()> {
    let mut trace = loader::open(&args.input.open_options())?;
    super::warn_all(&trace.info.warnings, quiet);
    output::refuse_overwrite(args.input.file.as_deref(), &args.output)?;
    let info = trace.info.clone();
    let (start, end) = args
        .range
        .resolve(info.samples, info.sample_rate)
        .with_context(|| info.path.clone())?;
    let sel = selection(args, &info, start)?;
    let format = SampleFormat::for_path(&args.output, args.to == Some(SliceTo::Raw));
    if args.to == Some(SliceTo::Raw) && args.output != Path::new("-") {
        bail!(
            "{}: --to raw is for bare samples on stdout (-o -); for a file, name it .bin, .raw or .{}",
            args.output.display(),
            sel.out_dtype().short_name()
        );
    }
    format.check_name(&args.output, sel.out_dtype())?;
    let samples = match end.map(|e| (e - start).div_ceil(args.step)) {
        Some(n) => n,
        // Raw and CSV need no count up front; a .npy header does.
        None if format != SampleFormat::Npy => 0,
        None => bail!(
            "{}: the length of the input is unknown, so no .npy header can be written: pass \
             --length N, give the range an end, or write raw (--to raw) or .csv",
            info.path
        ),
    };
    let spec = SampleSpec {
        format,
        dtype: sel.out_dtype(),
        endian: sel.out_endian(),
        samples,
        channels: sel.keep.len(),
        meta: CaptureMeta::of_slice(info.sample_rate, info.start_time, start, args.step),
    };
    let interrupted = || interrupt::check().with_context(|| args.output.display().to_string());
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let plan = Plan {
        range: (start, end),
        picks: &[],
        chunk: args.input.chunk,
        quiet,
    };
    // A plain copy of frames that lie in a file: the kernel copies them (faster than dd).
    if let (true, Some(end)) = (sel.is_copy(), end)
        && let Some((file, offset, len)) = trace.byte_range((start, end))
        && plan.copy_range(&mut writer, file, (offset, len), info.frame_bytes())?
    {
        interrupted()?;
        return writer.finish();
    }
    let mut scratch = Vec::new();
    plan.feed_frames(&mut trace, |chunk| {
        interrupted().map_err(super::output_error)?;
        let frames = sel.apply(chunk.start, chunk.bytes(), &mut scratch);
        writer.write_bytes(frames).map_err(super::output_error)
    })?;
    interrupted()?;
    writer.finish()
}

/// The channels, frames and type to keep, checked against the input.
fn selection(args: &SliceArgs, info: &TraceInfo, start: u64) -> Result<Selection> {
    for &ch in &args.channel {
        info.check_channel(ch)?;
    }
    let keep = if args.channel.is_empty() {
        info.channels.iter().map(|c| c.column).collect()
    } else {
        args.channel
            .iter()
            .map(|&k| info.channels[k].column)
            .collect()
    };
    let to = match args.to {
        Some(SliceTo::Type(t)) if t != info.dtype => Some(t),
        _ => None,
    };
    Ok(Selection {
        dtype: info.dtype,
        endian: info.endian,
        channels: info.columns,
        keep,
        start,
        step: args.step,
        to,
    })
}
