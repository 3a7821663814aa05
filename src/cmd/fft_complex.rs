//! `tracekit fft` on complex (I/Q) input: the centred two-sided Welch spectrum of each
//! complex channel (see `dsp::welch_complex`), with the recorded centre frequency.

use super::Plan;
use crate::cli::FftArgs;
use crate::dsp::welch::WelchConfig;
use crate::dsp::welch_complex::{ComplexWelch, ComplexWelches};
use crate::loader::{Pick, Trace};
use crate::output::plot::{Format, write_spectrum_plot};
use crate::output::spectrum::{self, write_spectrum_file};
use crate::output::{self};
use crate::report::fft::FftReport;
use anyhow::{Context, Result};
use std::io::Write;

/// `picks` are (I, Q) column pairs, as `cmd::picks` gives them for a complex trace; `config`
/// is checked against the range by `fft::run` (no tone metrics: they are for real tones).
pub fn run(
    args: &FftArgs,
    mut trace: Trace,
    picks: &[Pick],
    (start, end): (u64, Option<u64>),
    config: WelchConfig,
    quiet: bool,
) -> Result<()> {
    let info = trace.info.clone();
    let path = info.path.as_str();
    let nfft = config.nfft;
    let runs = picks.len() / 2;
    let welches = ComplexWelch::many(config.clone(), runs)
        .with_context(|| format!("{path}: --nfft {nfft} --overlap"))?;
    let mut welches = ComplexWelches(welches);
    let plan = Plan {
        range: (start, end),
        picks,
        chunk: args.input.chunk,
        quiet,
    };
    plan.feed(&mut trace, &mut welches)?;
    let spectra = welches
        .0
        .into_iter()
        .map(|w| w.finish().with_context(|| path.to_string()))
        .collect::<Result<Vec<_>>>()?;
    let channels: Vec<usize> = picks.iter().step_by(2).map(|p| p.channel / 2).collect();
    let report = FftReport::complex(
        path,
        &channels,
        &spectra,
        config.detrend,
        args.peaks,
        info.center_frequency,
    )?;
    if let Some(out) = &args.output {
        write_spectrum_file(out, &spectra, &channels)?;
    }
    if let Some(plot) = &args.plot {
        write_spectrum_plot(plot, Format::for_output(plot, None)?, &report, &spectra)?;
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
