//! `tracekit spectrogram FILE -o OUT`: the short-time power spectrum of a whole capture, one
//! Welch column per pixel column, as PNG or SVG (and the dB matrix as CSV or .npy).

use super::Plan;
use crate::cli::SpectrogramArgs;
use crate::dsp::spectrogram::{InputKind, SpectrogramAccumulator, SpectrogramConfig};
use crate::loader::{self, Pick};
use crate::output::plot::{
    Format, check_output, render_spectrogram, spectrogram_columns, write_matrix, write_plot,
};
use crate::output::refuse_overwrite;
use crate::report::plot::SpectrogramPlot;
use crate::units::format_rate;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// The most memory the matrix and the pass' buffers may take.
const SPECTROGRAM_MEMORY: usize = 1 << 30;

pub fn run(args: &SpectrogramArgs, quiet: bool) -> Result<()> {
    let input = args.input.file.as_deref();
    let format = match &args.output {
        Some(out) => Some(Format::for_output(out, args.output_format)?),
        None => None,
    };
    for (path, ext) in [(&args.csv, "csv"), (&args.npy, "npy")] {
        if let Some(path) = path {
            if crate::output::spectrum::extension(path).as_deref() != Some(ext) {
                bail!(
                    "{}: --{ext} writes a .{ext} file; use a .{ext} name",
                    path.display()
                );
            }
            refuse_overwrite(input, path)?;
            check_output(path)?;
        }
    }
    if let Some(out) = &args.output {
        refuse_overwrite(input, out)?;
        check_output(out)?;
    }
    let mut trace = loader::open(&args.input.open_options())?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let (picks, input_kind) = match args.iq {
        Some((i, q)) => (vec![i, q], InputKind::Complex),
        None => {
            let k = match &args.channel {
                Some(c) => info.resolve_channel(c)?,
                None => 0,
            };
            (vec![k], InputKind::Real)
        }
    };
    let picks = picks
        .into_iter()
        .map(|k| info.check_channel(k).map(|()| Pick::channel(k)))
        .collect::<Result<Vec<Pick>, _>>()?;
    let (start, end) = super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?;
    let Some(end) = end.filter(|&e| e > start) else {
        bail!(
            "{path}: nothing to analyse: the range holds no samples, or the length of the stream is unknown (give --range A..B or --length N)"
        );
    };
    let nfft = args.nfft;
    if end - start < nfft as u64 {
        bail!(
            "{path}: --nfft {nfft} is longer than the {} samples to analyse; use a smaller --nfft",
            end - start
        );
    }
    let config = SpectrogramConfig {
        start,
        len: end - start,
        width: spectrogram_columns(args.size.width),
        nfft,
        overlap: args.overlap.samples(nfft),
        window: args.window,
        detrend: args.detrend,
        scaling: args.scaling,
        sample_rate: info.sample_rate,
        input: input_kind,
    };
    if config.bytes() > SPECTROGRAM_MEMORY {
        bail!(
            "{path}: a spectrogram of {} columns × {} rows needs {} MiB; use a smaller --nfft or --width",
            config.width,
            config.rows(),
            config.bytes() >> 20
        );
    }
    let mut acc = SpectrogramAccumulator::new(config)
        .with_context(|| format!("{path}: --nfft {nfft} --overlap"))?;
    let plan = Plan {
        range: (start, Some(end)),
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    plan.feed(&mut trace, &mut acc)?;
    let spectrogram = acc.finish().with_context(|| path.to_string())?;

    let name = Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    let mut plot = SpectrogramPlot::new(&name, &spectrogram, info.start_time.unwrap_or(0.0));
    plot.center_freq = args.center_freq;
    plot.db_range = args.db_range;
    if let Some(csv) = &args.csv {
        write_matrix(csv, &plot, true)?;
    }
    if let Some(npy) = &args.npy {
        write_matrix(npy, &plot, false)?;
    }
    if let (Some(out), Some(format)) = (&args.output, format) {
        let bytes = render_spectrogram(&plot, format, args.size.width, args.size.height)?;
        write_plot(out, &bytes)?;
    }
    if !quiet {
        let (f_lo, f_hi) = plot.freq_edges();
        let (db_lo, db_hi) = plot.color_range();
        let unit = if info.sample_rate.is_some() {
            (
                format_rate(f_lo),
                format_rate(f_hi),
                format_rate(plot.resolution),
            )
        } else {
            (
                f_lo.to_string(),
                f_hi.to_string(),
                plot.resolution.to_string(),
            )
        };
        crate::term::eprint_line(
            "tracekit: ",
            &format!(
                "{path}: {} columns × {} rows ({} to {}, {} apart), {} segments, colour scale {db_lo:.1}..{db_hi:.1} dB",
                plot.columns, plot.rows, unit.0, unit.1, unit.2, plot.segments
            ),
        );
    }
    Ok(())
}
