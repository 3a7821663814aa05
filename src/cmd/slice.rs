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
use crate::cli::{SliceArgs, SliceTo};
use crate::dsp::select::Selection;
use crate::interrupt;
use crate::loader::{self, Pick, TraceInfo};
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use crate::output::{self};
use crate::sample::sink::{Sink, SinkError};
use crate::sample::{CaptureMeta, DType, Endian, Sample};
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn run(args: &SliceArgs, quiet: bool) -> Result<()> {
    if let Some(format) = crate::output::logic::LogicFormat::for_path(&args.output) {
        return super::slice_logic::run(args, quiet, format);
    }
    let mut trace = loader::open(&args.input.open_options())?;
    super::warn_all(&trace.info.warnings, quiet);
    output::refuse_overwrite(args.input.file.as_deref(), &args.output)?;
    let info = trace.info.clone();
    let (start, end) = args
        .range
        .resolve(info.samples, info.sample_rate)
        .with_context(|| info.path.clone())?;
    let channels = channels(args, &info)?;
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
            ..CaptureMeta::of_slice(info.sample_rate, info.start_time, start, args.step)
        },
    };
    let interrupted = || interrupt::check().with_context(|| args.output.display().to_string());
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let picks: Vec<Pick> = channels.iter().map(|&k| Pick::channel(k)).collect();
    let plan = Plan {
        range: (start, end),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    if derived {
        let mut sink = Values {
            writer: &mut writer,
            start,
            step: args.step,
            frames: Vec::new(),
            interrupted: &interrupted,
        };
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

/// `--channel`, resolved (indices or names), or every channel. On complex input each choice
/// is a complex channel (an index counts them; a name may be either part's) and both of
/// its columns, I then Q, are kept.
pub(super) fn channels(args: &SliceArgs, info: &TraceInfo) -> Result<Vec<usize>> {
    if info.complex && !args.channel.is_empty() {
        let mut out = Vec::new();
        for choice in &args.channel {
            let picks = super::picks(info, Some(choice))?;
            out.extend(picks.iter().map(|p| p.channel));
        }
        return Ok(out);
    }
    if args.channel.is_empty() {
        return Ok((0..info.channels.len()).collect());
    }
    Ok(args
        .channel
        .iter()
        .map(|c| info.resolve_channel(c))
        .collect::<Result<_, _>>()?)
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

/// Takes the feed's typed columns (values or levels), keeps every `step`-th frame from
/// `start` and writes them interleaved.
struct Values<'a, I> {
    writer: &'a mut SampleWriter,
    start: u64,
    step: u64,
    frames: Vec<f64>,
    interrupted: &'a I,
}

impl<I: Fn() -> Result<()>> Sink for Values<'_, I> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        (self.interrupted)().map_err(super::output_error)?;
        let len = columns.first().map_or(0, |c| c.len());
        let into = (start - self.start) % self.step;
        let first = ((self.step - into) % self.step) as usize;
        self.frames.clear();
        for i in (first..len).step_by(self.step as usize) {
            self.frames.extend(columns.iter().map(|c| c[i].to_f64()));
        }
        self.writer
            .write_f64(&self.frames)
            .map_err(super::output_error)
    }
}
