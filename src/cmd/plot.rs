//! `tracekit plot FILE -o OUT`: the waveform of a whole capture as PNG or SVG, from one
//! streaming envelope pass on every core (plus one decoding pass with `--decode`).

use super::Plan;
use crate::cli::{DecodeSpec, PlotArgs, UartSpec};
use crate::dsp::decode::uart::UartDecoder;
use crate::dsp::decode::{Decode, Decoder};
use crate::dsp::envelope::ColumnEnvelope;
use crate::dsp::levels::{LevelEstimator, Schmitt};
use crate::dsp::line::{LineInput, Lines};
use crate::loader::{self, Pick, Trace, TraceInfo};
use crate::output::plot::overlay::FrameLabel;
use crate::output::plot::{Format, check_output, render_waveform, waveform_columns, write_plot};
use crate::output::refuse_overwrite;
use crate::report::plot::{Annotation, Lane, LaneData, LaneKind, WaveformPlot};
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, anyhow, bail};

pub fn run(args: &PlotArgs, quiet: bool) -> Result<()> {
    let format = Format::for_output(&args.output, args.output_format)?;
    refuse_overwrite(args.input.file.as_deref(), &args.output)?;
    check_output(&args.output)?;
    let mut trace = loader::open(&args.input.open_options())?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let channels: Vec<usize> = match args.channel.as_slice() {
        [] => (0..info.channels.len()).collect(),
        some => some
            .iter()
            .map(|c| info.resolve_channel(c))
            .collect::<Result<_, _>>()?,
    };
    let picks: Vec<Pick> = channels.iter().map(|&k| Pick::channel(k)).collect();
    let (start, end) = super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?;
    let Some(end) = end.filter(|&e| e > start) else {
        bail!(
            "{path}: nothing to plot: the range holds no samples, or the length of the stream is unknown (give --range A..B or --length N)"
        );
    };
    let len = end - start;
    // One envelope column per pixel column; a zoom (fewer samples) keeps every sample.
    let columns = waveform_columns(args.size.width);
    let zoom = len <= columns as u64;
    let envelope = ColumnEnvelope::new(start, len, if zoom { len as usize } else { columns })
        .with_context(|| path.to_string())?;
    let mut envelopes = PerChannel(vec![envelope; picks.len()]);
    let plan = Plan {
        range: (start, Some(end)),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    plan.feed_split(&mut trace, &mut envelopes)?;

    let (rate, t0) = (info.sample_rate, info.start_time.unwrap_or(0.0));
    let x_of = |index: u64| rate.map_or(index as f64, |r| t0 + index as f64 / r);
    let lanes = channels
        .iter()
        .zip(envelopes.0)
        .map(|(&k, envelope)| {
            let channel = &info.channels[k];
            let columns = envelope.into_columns();
            Lane {
                name: channel.name.clone(),
                unit: channel.unit.clone().unwrap_or_default(),
                kind: LaneKind::detect(info.dtype, channel.bit.is_some(), &columns),
                data: LaneData::from_columns(columns, zoom, |i| x_of(start + i as u64)),
                y_range: None,
            }
        })
        .collect();
    let (annotations, frames) = match &args.decode {
        None => (Vec::new(), 0),
        Some(DecodeSpec::Uart(spec)) => {
            let lane = decoded_lane(&info, &channels, spec.channel)?;
            let overlay = Overlay {
                plan: &plan,
                opts: &args.input.open_options(),
                lane,
                x_of: &x_of,
                most: columns / 3,
            };
            uart(spec, &info, channels[lane], &overlay)?
        }
    };
    if frames > annotations.len() as u64 && !quiet {
        crate::term::eprint_line(
            "tracekit: note: ",
            &format!(
                "{frames} decoded frames are too many to draw at this width; zoom in with --range to see them"
            ),
        );
    }
    let file = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    let plot = WaveformPlot {
        file,
        sample_rate: rate,
        x_start: x_of(start),
        x_end: x_of(end),
        samples: len,
        lanes,
        annotations,
        frames,
    };
    let bytes = render_waveform(&plot, format, args.size.width, args.size.height)?;
    write_plot(&args.output, &bytes)
}

/// The lane of the decoded channel: `channel`, or the first one drawn.
fn decoded_lane(info: &TraceInfo, channels: &[usize], channel: Option<usize>) -> Result<usize> {
    let k = channel.unwrap_or(channels[0]);
    channels.iter().position(|&c| c == k).ok_or_else(|| {
        anyhow!(
            "{}: --decode: channel {k} is not drawn; add it to --channel",
            info.path
        )
    })
}

/// The input opened again: decoding needs its own pass, which a stream cannot give.
fn another_pass(info: &TraceInfo, opts: &loader::OpenOptions) -> Result<Trace> {
    if info.file_size.is_none() {
        bail!(
            "{}: --decode needs its own pass over the data, which standard input cannot give; save the stream to a file",
            info.path
        );
    }
    Ok(loader::open(opts)?)
}

/// A decoding pass for the overlay: the walk of the range, how to open the input again, the
/// lane the frames go on, the x axis, how many frames to keep at most.
struct Overlay<'a> {
    plan: &'a Plan<'a>,
    opts: &'a loader::OpenOptions,
    lane: usize,
    x_of: &'a dyn Fn(u64) -> f64,
    most: usize,
}

/// `--decode uart:...` on channel `channel`.
fn uart(
    spec: &UartSpec,
    info: &TraceInfo,
    channel: usize,
    overlay: &Overlay<'_>,
) -> Result<(Vec<Annotation>, u64)> {
    let path = info.path.as_str();
    let rate = info.sample_rate.ok_or_else(|| {
        anyhow!("{path}: the sample rate is unknown and UART timing needs it: pass -r RATE")
    })?;
    let picks = [Pick::channel(channel)];
    let plan = Plan {
        picks: &picks,
        ..*overlay.plan
    };
    let line = match (info.dtype.is_float(), spec.threshold) {
        (_, Some(v)) => LineInput::Analog(Schmitt::new(v, 0.0).with_context(|| path.to_string())?),
        (true, None) => {
            let mut est = PerChannel(vec![LevelEstimator::new()]);
            plan.feed(&mut another_pass(info, overlay.opts)?, &mut est)?;
            let lv = est.0[0].finish().with_context(|| path.to_string())?;
            let schmitt = Schmitt::new(lv.threshold, lv.hysteresis);
            LineInput::Analog(schmitt.with_context(|| path.to_string())?)
        }
        (false, None) => LineInput::Logic,
    };
    let decoder =
        UartDecoder::new(&spec.config, rate, spec.baud).with_context(|| path.to_string())?;
    let mut trace = another_pass(info, overlay.opts)?;
    frames(decoder, line, &plan, &mut trace, overlay)
}

/// Runs `decoder` over the range and keeps its events as boxes (none when there are more
/// than `overlay.most`: they could not be told apart); also returns how many there were.
fn frames<D: Decoder>(
    decoder: D,
    line: LineInput,
    plan: &Plan<'_>,
    trace: &mut Trace,
    overlay: &Overlay<'_>,
) -> Result<(Vec<Annotation>, u64)>
where
    D::Event: FrameLabel,
{
    let offset = plan.range.0;
    let (mut kept, mut count) = (Vec::new(), 0u64);
    let decode = Decode::new(decoder, |events: &mut Vec<D::Event>| {
        for (a, b, label) in events.drain(..).filter_map(|e| e.frame()) {
            count += 1;
            if kept.len() < overlay.most {
                kept.push(Annotation {
                    lane: overlay.lane,
                    start_s: (overlay.x_of)(offset + a),
                    end_s: (overlay.x_of)(offset + b),
                    label,
                });
            }
        }
        Ok(())
    });
    let mut lines = Lines::new(vec![line], decode);
    plan.feed(trace, &mut lines)?;
    lines.into_sink().finish()?;
    if count > kept.len() as u64 {
        kept.clear();
    }
    Ok((kept, count))
}
