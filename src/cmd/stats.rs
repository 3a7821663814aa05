//! `tracekit stats FILE`: exact per-channel statistics, or with `--every` the envelope.

use super::Plan;
use crate::analyse::Stats;
use crate::cli::StatsArgs;
use crate::dsp::complex_stats::{ComplexAccumulator, ComplexStats};
use crate::dsp::moments::{Envelopes, Moments};
use crate::loader;
use crate::output::{self, stats as render};
use crate::report::stats::StatsReport;
use crate::units::format_seconds;
use anyhow::{Result, bail};
use std::io::Write;

pub fn run(args: &StatsArgs, quiet: bool) -> Result<()> {
    let mut trace = loader::open(&args.input.open_options())?;
    super::warn_all(&trace.info.warnings, quiet);
    let info = trace.info.clone();
    let picks = super::picks(&info, args.channel.as_ref())?;
    if info.samples == Some(0) {
        bail!("{}: the capture holds no samples", info.path);
    }
    let range = super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?;
    let plan = Plan {
        range,
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();
    let mut out = output::stdout();

    if info.complex && args.every.is_none() {
        return complex(&mut trace, &plan, args.output.json);
    }
    let Some(every) = args.every else {
        // Scaled channels: the statistics of their codes, mapped through the scale.
        let mut stats = Stats::new(&mut trace.info, &picks, range.0);
        // Logic lines (bits of stored words): counted from the words, not bit by bit.
        match Stats::level_sources(&trace.info, &picks) {
            Some(sources) => plan.feed_frames(&mut trace, |chunk| {
                stats.take_levels(&sources, chunk);
                Ok(())
            })?,
            None => plan.feed_split(&mut trace, &mut stats.sinks)?,
        }
        let samples = stats.samples();
        if samples == 0 {
            bail!("{}: no samples to analyse", info.path);
        }
        let results: Vec<(usize, &str, Moments)> = channels
            .iter()
            .zip(stats.moments())
            .map(|(&k, m)| (k, info.channels[k].name.as_str(), m))
            .collect();
        let report = StatsReport::new(&info.path, samples, info.sample_rate, &results);
        if args.output.json {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", render::table(&report))?;
        }
        out.flush()?;
        return Ok(());
    };

    let width = match every.width_samples(info.sample_rate) {
        Some(0) => bail!(
            "{}: --every is shorter than one sample ({})",
            info.path,
            info.sample_rate.map_or_else(String::new, |r| format!(
                "1 sample = {}",
                format_seconds(1.0 / r)
            ))
        ),
        Some(w) => w,
        None => bail!(
            "{}: --every uses a time, but the sample rate is unknown: pass -r RATE",
            info.path
        ),
    };
    let mut writer =
        render::EnvelopeWriter::new(out, args.output.json, info.sample_rate, range.0, width)?;
    let mut envelopes = Envelopes::new(picks.len(), range.0, width, |window| {
        writer.window(&channels, window)
    });
    plan.feed(&mut trace, &mut envelopes)?;
    if envelopes.finish()? == 0 {
        bail!("{}: no samples to analyse", info.path);
    }
    writer.finish()?;
    Ok(())
}

/// Complex channels: I, Q and magnitude of each (scales stay applied: the magnitude needs
/// values, not codes).
fn complex(trace: &mut loader::Trace, plan: &Plan<'_>, json: bool) -> Result<()> {
    let info = trace.info.clone();
    let mut stats = ComplexStats(vec![
        ComplexAccumulator::new(plan.range.0);
        plan.picks.len() / 2
    ]);
    plan.feed_split(trace, &mut stats)?;
    let samples = stats.0.first().map_or(0, |a| a.i.len());
    if samples == 0 {
        bail!("{}: no samples to analyse", info.path);
    }
    let results: Vec<(usize, &str, [Moments; 3])> = plan
        .picks
        .iter()
        .step_by(2)
        .zip(&stats.0)
        .map(|(p, acc)| {
            let name = info.channels[p.channel].name.as_str();
            let base = name
                .strip_suffix(".I")
                .unwrap_or(if name == "I" { "" } else { name });
            (p.channel / 2, base, acc.moments())
        })
        .collect();
    let report = StatsReport::complex(&info.path, samples, info.sample_rate, &results);
    let mut out = output::stdout();
    if json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", render::table(&report))?;
    }
    out.flush()?;
    Ok(())
}
