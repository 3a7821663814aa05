//! `tracekit fft FILE`: Welch power spectrum of the whole file (or `--range`), per channel,
//! with peaks and tone metrics; optionally every bin to a file and a plot.

use super::Plan;
use crate::cli::FftArgs;
use crate::dsp::welch::{Welch, WelchConfig};
use crate::loader;
use crate::output::plot::{Format, check_output, write_spectrum_plot};
use crate::output::spectrum::{self, write_spectrum_file};
use crate::output::{self, refuse_overwrite};
use crate::report::fft::FftReport;
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, bail};
use std::io::Write;

/// Memory for the Welch buffers of the channels analysed in one pass (several passes when
/// they do not fit: a wide capture's channels go through in groups).
const FFT_MEMORY: usize = 64 << 20;

pub fn run(args: &FftArgs, quiet: bool) -> Result<()> {
    let input = args.input.file.as_deref();
    // Refuse bad output names before the long read, not after.
    let plot_format = match &args.plot {
        Some(path) => {
            if path.as_os_str() == "-" {
                bail!("--plot -: stdout carries the spectrum's table; give the plot a file name");
            }
            refuse_overwrite(input, path)?;
            check_output(path)?;
            Some(Format::for_output(path, None)?)
        }
        None => None,
    };
    if let Some(path) = &args.output {
        spectrum::is_csv(path)?;
        refuse_overwrite(input, path)?;
    }
    let mut trace = loader::open(&args.input.open_options())?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let picks = super::picks(&info, args.channel.as_ref())?;
    let (start, end) = super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?;
    let nfft = args.nfft;
    if let Some(end) = end
        && end - start < nfft as u64
    {
        bail!(
            "{path}: --nfft {nfft} is longer than the {} samples to analyse; use a smaller --nfft",
            end - start
        );
    }
    let config = WelchConfig {
        nfft,
        overlap: args.overlap.samples(nfft),
        window: args.window,
        detrend: args.detrend,
        scaling: args.scaling,
        average: args.average,
        sample_rate: info.sample_rate,
        tone_metrics: !info.complex,
    };
    if info.complex {
        return super::fft_complex::run(args, trace, &picks, (start, end), config, quiet);
    }
    // Channels go through in groups whose Welch buffers fit FFT_MEMORY, one pass each.
    let group = (1..=picks.len())
        .rev()
        .find(|&g| g * Welch::bytes_per_run(&config, g) <= FFT_MEMORY)
        .unwrap_or(1);
    let mut spectra = Vec::with_capacity(picks.len());
    for (k, picks) in picks.chunks(group).enumerate() {
        if k > 0 {
            trace = reopen(&args.input.open_options(), path, picks.len() * k)?;
        }
        let welches = Welch::many(config.clone(), picks.len())
            .with_context(|| format!("{path}: --nfft {nfft} --overlap"))?;
        let mut welches = PerChannel(welches);
        let plan = Plan {
            range: (start, end),
            picks,
            chunk: args.input.chunk,
            quiet,
        };
        plan.feed(&mut trace, &mut welches)?;
        for welch in welches.0 {
            spectra.push(welch.finish().with_context(|| path.to_string())?);
        }
    }

    let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();
    let report = FftReport::new(path, &channels, &spectra, config.detrend, args.peaks)?;
    if let Some(out) = &args.output {
        write_spectrum_file(out, &spectra, &channels)?;
    }
    if let (Some(path), Some(format)) = (&args.plot, plot_format) {
        write_spectrum_plot(path, format, &report, &spectra)?;
    }
    let mut out = output::stdout();
    if args.output_args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        spectrum::write_tables(&report, &mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// The input opened again for the next group of channels; a stream cannot be read twice.
fn reopen(opts: &loader::OpenOptions, path: &str, done: usize) -> Result<loader::Trace> {
    if opts
        .path
        .as_deref()
        .is_none_or(|p| p == std::path::Path::new("-"))
    {
        bail!(
            "{path}: the spectra of all channels do not fit in memory at once (after {done}), and standard input cannot be read again: save it to a file, or pick channels with --channel"
        );
    }
    Ok(loader::open(opts)?)
}
