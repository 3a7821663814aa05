//! `tracekit slice RANGE FILE -o OUT.sr|OUT.vcd`: a cut-out for PulseView, sigrok-cli or
//! GTKWave. Every picked channel comes through the feed engine as values (logic lanes as
//! 0/1, integer columns as codes, scaled or float columns as values) and the writer packs
//! them: logic lanes become probes or `wire 1`s, integer columns vectors, the rest analog.
//! The rate (divided by `--step`), the start time (VCD) and the names travel.

use super::Plan;
use super::cut::Cut;
use crate::cli::SliceArgs;
use crate::dsp::select::Strided;
use crate::interrupt;
use crate::loader::TraceInfo;
use crate::output::logic::{LogicChannel, LogicFormat, LogicKind, LogicSpec, LogicWriter};
use crate::sample::{CaptureMeta, DType};
use anyhow::{Context, Result, bail};

pub fn run(args: &SliceArgs, quiet: bool, format: LogicFormat) -> Result<()> {
    if args.to.is_some() {
        bail!(
            "{}: --to does not apply to .sr and .vcd outputs: logic lanes are written as bits, \
             integers as vectors, everything else as reals",
            args.output.display()
        );
    }
    let Cut {
        mut trace,
        info,
        start,
        end,
        channels,
        picks,
    } = Cut::open(args, quiet)?;
    let meta = CaptureMeta::of_slice(info.sample_rate, info.start_time, start, args.step);
    let spec = LogicSpec {
        channels: channels.iter().map(|&k| channel(&info, k)).collect(),
        sample_rate: meta.sample_rate,
        start_time: meta.start_time,
    };
    let mut writer = LogicWriter::create(&args.output, format, &spec)?;
    let plan = Plan {
        range: (start, end),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    let interrupted = || interrupt::check().with_context(|| args.output.display().to_string());
    let mut sink = Strided::new(start, args.step, |frames: &[f64]| {
        interrupted().map_err(super::output_error)?;
        writer.write_f64(frames).map_err(super::output_error)
    });
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
