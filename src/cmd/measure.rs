//! `tracekit measure FILE`: IEEE 181 pulse measurements over every cycle, per channel.
//!
//! Two passes over the chosen range: the state levels (on every core; skipped with
//! `--levels`, and impossible on standard input), then the measurement itself, which can
//! stream one record per cycle.

use super::Plan;
use crate::cli::MeasureArgs;
use crate::dsp::pulse::{
    Clock, MeasureConfig, Measurer, Measurers, StateLevelEstimator, StateLevels,
};
use crate::loader::{self, Pick, Trace, TraceInfo};
use crate::output::{self, measure as render};
use crate::report::measure::{ChannelMeasurement, MeasureReport};
use crate::sample::sink::{PerChannel, SinkError};
use anyhow::{Context, Result, bail};
use std::io::Write;

pub fn run(args: &MeasureArgs, quiet: bool) -> Result<()> {
    let opts = args.input.open_options();
    let mut trace = loader::open(&opts)?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let picks = super::picks(&info, args.channel.as_ref())?;
    if info.samples == Some(0) {
        bail!("{path}: the capture holds no samples");
    }
    let plan = Plan {
        range: super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?,
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    let levels = match args.levels.levels {
        Some((low, high)) => vec![StateLevels::given(low, high); picks.len()],
        None => {
            let levels = state_levels(&plan, &mut trace, &info, &picks)?;
            trace = loader::open(&opts)?;
            levels
        }
    };
    let config = MeasureConfig {
        references: args.references.unwrap_or([10.0, 50.0, 90.0]),
        threshold: args.levels.threshold,
        hysteresis: args.levels.hysteresis,
        state_band: args.state_band,
        sample_interval: info.sample_rate.map_or(1.0, |r| 1.0 / r),
        per_cycle: args.per_cycle,
        clock: args.clock.map(|(first, period)| Clock { first, period }),
    };
    let measurers = picks
        .iter()
        .zip(&levels)
        .map(|(p, l)| Measurer::new(l, &config).with_context(|| channel_name(&info, p)))
        .collect::<Result<Vec<_>>>()?;
    let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();

    let mut out = output::stdout();
    if args.per_cycle {
        let mut writer = render::CycleWriter::new(out, args.output.json)?;
        let mut sink = Measurers::new(measurers, |i, record| {
            writer.write(channels[i], record).map_err(SinkError::from)
        });
        plan.feed(&mut trace, &mut sink)?;
        sink.finish().map_err(sink_error)?;
        writer.finish()?;
        return Ok(());
    }
    let mut sink = Measurers::new(measurers, |_, _| Ok(()));
    plan.feed(&mut trace, &mut sink)?;
    let measurements = sink.finish().map_err(sink_error)?;
    let samples = measurements.first().map_or(0, |m| m.samples);
    if samples == 0 {
        bail!("{path}: no samples to measure");
    }
    let report = MeasureReport {
        path: info.path.clone(),
        samples,
        sample_rate: info.sample_rate,
        time_unit: if info.sample_rate.is_some() {
            "s"
        } else {
            "samples"
        },
        channels: channels
            .iter()
            .zip(measurements)
            .map(|(&k, measurement)| ChannelMeasurement {
                channel: k,
                name: info.channels[k].name.clone(),
                unit: info.channels[k].unit.clone(),
                measurement,
            })
            .collect(),
    };
    if args.output.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        for table in render::tables(&report) {
            writeln!(out, "{table}")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The first pass: every channel's state levels, on every core. Standard input cannot be
/// read twice, so it needs `--levels` (`what` names the flag).
pub(super) fn state_levels(
    plan: &Plan<'_>,
    trace: &mut Trace,
    info: &TraceInfo,
    picks: &[Pick],
) -> Result<Vec<StateLevels>> {
    if info.file_size.is_none() {
        bail!(
            "{}: the state levels need their own pass over the data, which standard input cannot give; save the stream to a file or give --levels LOW,HIGH",
            info.path
        );
    }
    let mut est = PerChannel(vec![StateLevelEstimator::new(); picks.len()]);
    plan.feed_split(trace, &mut est)?;
    est.0
        .iter()
        .zip(picks)
        .map(|(e, p)| e.finish().with_context(|| channel_name(info, p)))
        .collect()
}

/// `FILE, channel K (NAME)` for errors about one channel.
pub(super) fn channel_name(info: &TraceInfo, pick: &Pick) -> String {
    let name = &info.channels[pick.channel].name;
    if *name == format!("ch{}", pick.channel) {
        format!("{}: channel {}", info.path, pick.channel)
    } else {
        format!("{}: channel {} ({name})", info.path, pick.channel)
    }
}

/// A sink's error on the way out: an `io::Error` stays one, so a closed pipe is still
/// recognised as such.
pub(super) fn sink_error(e: SinkError) -> anyhow::Error {
    let (SinkError::Input(inner) | SinkError::Output(inner)) = e;
    match inner.downcast::<std::io::Error>() {
        Ok(io) => anyhow::Error::from(*io),
        Err(other) => anyhow::Error::from_boxed(other),
    }
}
