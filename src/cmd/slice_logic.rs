//! `tracekit slice RANGE FILE -o OUT.sr|OUT.vcd`: a cut-out for PulseView, sigrok-cli or
//! GTKWave. Every picked channel comes through the feed engine as values (logic lanes as
//! 0/1, integer columns as codes, scaled or float columns as values) and the writer packs
//! them: logic lanes become probes or `wire 1`s, integer columns vectors, the rest analog.
//! The rate (divided by `--step`), the start time (VCD) and the names travel.

use super::Plan;
use crate::cli::SliceArgs;
use crate::interrupt;
use crate::loader::{self, Pick, TraceInfo};
use crate::output::logic::{LogicChannel, LogicFormat, LogicKind, LogicSpec, LogicWriter};
use crate::output::{self};
use crate::sample::sink::{Sink, SinkError};
use crate::sample::{CaptureMeta, DType, Sample};
use anyhow::{Context, Result, bail};

pub fn run(args: &SliceArgs, quiet: bool, format: LogicFormat) -> Result<()> {
    if args.to.is_some() {
        bail!(
            "{}: --to does not apply to .sr and .vcd outputs: logic lanes are written as bits, \
             integers as vectors, everything else as reals",
            args.output.display()
        );
    }
    let mut trace = loader::open(&args.input.open_options())?;
    super::warn_all(&trace.info.warnings, quiet);
    output::refuse_overwrite(args.input.file.as_deref(), &args.output)?;
    let info = trace.info.clone();
    let (start, end) = args
        .range
        .resolve(info.samples, info.sample_rate)
        .with_context(|| info.path.clone())?;
    let channels = super::slice::channels(args, &info)?;
    let meta = CaptureMeta::of_slice(info.sample_rate, info.start_time, start, args.step);
    let spec = LogicSpec {
        channels: channels.iter().map(|&k| channel(&info, k)).collect(),
        sample_rate: meta.sample_rate,
        start_time: meta.start_time,
    };
    let mut writer = LogicWriter::create(&args.output, format, &spec)?;
    let picks: Vec<Pick> = channels.iter().map(|&k| Pick::channel(k)).collect();
    let plan = Plan {
        range: (start, end),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    let interrupted = || interrupt::check().with_context(|| args.output.display().to_string());
    let mut sink = Frames {
        writer: &mut writer,
        start,
        step: args.step,
        frames: Vec::new(),
        interrupted: &interrupted,
    };
    plan.feed(&mut trace, &mut sink)?;
    interrupted()?;
    writer.finish()
}

/// How channel `k` is written: a logic lane as a bit, an unscaled integer column as a
/// vector of its type's width, anything else as a real.
fn channel(info: &TraceInfo, k: usize) -> LogicChannel {
    let ch = &info.channels[k];
    let kind = if ch.bit.is_some() {
        LogicKind::Logic
    } else if ch.scale.is_none() && !info.dtype.is_float() {
        LogicKind::Integer {
            width: 8 * info.dtype.size() as u32,
        }
    } else {
        LogicKind::Analog {
            f32: ch.scale.is_none() && matches!(info.dtype, DType::F32 | DType::F16),
        }
    };
    LogicChannel {
        name: ch.name.clone(),
        kind,
    }
}

/// Takes the feed's typed columns, keeps every `step`-th frame from `start` and writes them
/// interleaved.
struct Frames<'a, I> {
    writer: &'a mut LogicWriter,
    start: u64,
    step: u64,
    frames: Vec<f64>,
    interrupted: &'a I,
}

impl<I: Fn() -> Result<()>> Sink for Frames<'_, I> {
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
