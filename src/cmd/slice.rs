//! `tracekit slice RANGE [FILE] -o OUT`: copy a range of samples to .npy, CSV, raw or stdout.
//!
//! Stored values (plain captures, `--raw-codes`) go through `dsp::select`: a same-type slice
//! of every channel is a straight copy from the mapped window to the output, and channel
//! picks, `--step` and `--to` are done on the frames' bytes. Scaled channels (a scope's ADC
//! codes with a gain and offset) and logic lanes (one bit of a code) are values the file
//! does not store: they come through the feed engine as typed columns (f64 values, or u8
//! levels) and are written as f32 (values) or u8 (levels) unless `--to` says otherwise.
//! The output carries the rate (divided by `--step`), the time of its first sample and the
//! channels' names and units (docs/formats.md).

use super::Plan;
use super::cut::Cut;
use crate::cli::{SliceArgs, SliceTo};
use crate::dsp::select::{Selection, Strided};
use crate::interrupt;
use crate::loader::TraceInfo;
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use crate::sample::{CaptureMeta, DType, Endian};
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn run(args: &SliceArgs, quiet: bool) -> Result<()> {
    if let Some(list) = &args.events.events {
        return super::cut::from_list(args, list);
    }
    if let Some(format) = crate::output::logic::LogicFormat::for_path(&args.output) {
        return super::slice_logic::run(args, quiet, format);
    }
    let Cut {
        mut trace,
        info,
        start,
        end,
        channels,
        picks,
    } = Cut::open(args, quiet)?;
    if !info.complex && matches!(args.to, Some(SliceTo::Complex(_))) {
        bail!(
            "{}: --to names a complex type but the samples are real; give a real type (f32, i16...)",
            info.path
        );
    }
    let derived = channels
        .iter()
        .any(|&k| info.channels[k].scale.is_some() || info.channels[k].bit.is_some());
    let format = SampleFormat::for_path(&args.output, args.to == Some(SliceTo::Raw));
    let sel = selection(args, &info, start, &channels, format);
    let (out_dtype, out_endian) = if derived {
        (derived_dtype(args, &info, &channels), Endian::NATIVE)
    } else {
        (sel.out_dtype(), sel.out_endian())
    };
    if args.to == Some(SliceTo::Raw) && args.output != Path::new("-") {
        bail!(
            "{}: --to raw is for bare samples on stdout (-o -); for a file, name it .bin, .raw or .{}",
            args.output.display(),
            out_dtype.short_name()
        );
    }
    format.check_name(&args.output, out_dtype)?;
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
    let (channel_names, units) = info.names_and_units(&channels);
    let spec = SampleSpec {
        format,
        dtype: out_dtype,
        endian: out_endian,
        samples,
        channels: channels.len(),
        complex: info.complex,
        meta: CaptureMeta {
            channel_names,
            units,
            center_frequency: info.center_frequency.filter(|_| info.complex),
            ..CaptureMeta::of_slice(info.sample_rate, info.start_time, start, args.step)
        },
    };
    let interrupted = || interrupt::check().with_context(|| args.output.display().to_string());
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let plan = Plan {
        range: (start, end),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    if derived {
        let mut sink = Strided::new(start, args.step, |frames: &[f64]| {
            interrupted().map_err(super::output_error)?;
            writer.write_f64(frames).map_err(super::output_error)
        });
        plan.feed(&mut trace, &mut sink)?;
        interrupted()?;
        return writer.finish();
    }
    // A plain copy of frames that lie in a file: the kernel copies them (faster than dd).
    if let (true, Some(end)) = (sel.is_copy(), end)
        && let Some((file, offset, len)) = trace.byte_range((start, end))
        && plan.copy_range(
            &mut writer,
            (file, &info.path),
            (offset, len),
            info.frame_bytes(),
        )?
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

/// The stored channels, frames and type to keep.
fn selection(
    args: &SliceArgs,
    info: &TraceInfo,
    start: u64,
    channels: &[usize],
    format: SampleFormat,
) -> Selection {
    let to = match args.to {
        Some(SliceTo::Type(t) | SliceTo::Complex(t)) if t != info.dtype => Some(t),
        // 24-bit PCM codes (stored only) are written as int32.
        None if info.dtype == DType::I24 => Some(DType::I32),
        // NumPy has complex floats only: integer I/Q become complex64 in a .npy.
        None if info.complex && format == SampleFormat::Npy && !info.dtype.is_float() => {
            Some(DType::F32)
        }
        _ => None,
    };
    Selection {
        dtype: info.dtype,
        endian: info.endian,
        channels: info.columns,
        keep: channels.iter().map(|&k| info.channels[k].column).collect(),
        start,
        step: args.step,
        to,
    }
}

/// The output type of scaled values and logic levels: `--to`, else u8 when every picked
/// channel is a logic lane, else f32 (a scope's 8-16 bit codes times a gain need no more
/// than f32's 24 bits to print the same volts; `--to f64` keeps every digit of the f64
/// computation).
fn derived_dtype(args: &SliceArgs, info: &TraceInfo, channels: &[usize]) -> DType {
    match args.to {
        Some(SliceTo::Type(t) | SliceTo::Complex(t)) => t,
        _ if channels.iter().all(|&k| info.channels[k].bit.is_some()) => DType::U8,
        _ => DType::F32,
    }
}
