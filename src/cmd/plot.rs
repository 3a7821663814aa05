//! `tracekit plot FILE -o OUT`: the waveform of a whole capture as PNG or SVG, from one
//! streaming envelope pass on every core (plus one decoding pass with `--decode`).

use super::Plan;
use super::plot_decode::Overlay;
use crate::cli::PlotArgs;
use crate::dsp::envelope::ColumnEnvelope;
use crate::loader::{self, Pick};
use crate::output::plot::{Format, check_output, render_waveform, waveform_columns, write_plot};
use crate::output::refuse_overwrite;
use crate::report::plot::{Lane, LaneData, LaneKind, WaveformPlot};
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, bail};

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
        Some(spec) => {
            let overlay = Overlay {
                plan: &plan,
                opts: &args.input.open_options(),
                channels: &channels,
                x_of: &x_of,
                most: columns / 3,
            };
            super::plot_decode::overlay(spec, &info, &overlay)?
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
