//! `tracekit stats FILE`: exact per-channel statistics, or with `--every` the envelope.

use crate::cli::StatsArgs;
use crate::dsp::moments::{Accumulator, BLOCK, Envelope, Moments};
use crate::loader::{self, Chunk, Sample, Trace};
use crate::output::progress::{Progress, Unit};
use crate::output::{self, stats as render};
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::io::Write;

pub fn run(args: &StatsArgs, quiet: bool) -> Result<()> {
    let mut trace = loader::open(&args.input.open_options())?;
    super::warn_all(&trace.info.warnings, quiet);
    let info = trace.info.clone();
    let channels = super::selected_channels(&info, args.channel)?;
    if info.samples == Some(0) {
        bail!("{}: the capture holds no samples", info.path);
    }
    let (start, end) = super::resolve_range(&info, args.range.as_ref(), info.sample_rate)?;
    let mut out = output::stdout();

    let Some(every) = args.every else {
        let accs = accumulate(&mut trace, &channels, (start, end), args.input.chunk, quiet)?;
        let results: Vec<(usize, Moments)> = channels
            .iter()
            .copied()
            .zip(accs.iter().map(Accumulator::moments))
            .collect();
        let samples = accs.first().map_or(0, Accumulator::len);
        if samples == 0 {
            bail!("{}: no samples to analyse", info.path);
        }
        if args.json {
            writeln!(
                out,
                "{}",
                render::json_report(&info.path, samples, info.sample_rate, &results)
            )?;
        } else {
            writeln!(out, "{}", render::table(&results))?;
        }
        out.flush()?;
        return Ok(());
    };

    let width = match every.to_samples(info.sample_rate) {
        Some(0) => bail!("{}: --every is shorter than one sample", info.path),
        Some(w) => w,
        None => bail!(
            "{}: --every uses a time, but the sample rate is unknown: pass -r RATE",
            info.path
        ),
    };
    let mut sinks: Vec<Windows> = channels
        .iter()
        .map(|_| Windows {
            env: Envelope::new(start, width),
            done: Vec::new(),
        })
        .collect();
    let mut writer = render::EnvelopeWriter::new(out, args.json, info.sample_rate, start, width)?;
    let mut chunks = super::walk(&mut trace, (start, end), args.input.chunk, quiet)?;
    let mut bufs = vec![Vec::new(); channels.len()];
    let mut wrote = false;
    while let Some(chunk) = chunks.next_chunk()? {
        feed(&chunk, &channels, &mut sinks, &mut bufs);
        let complete = sinks.first().map_or(0, |s| s.done.len());
        for w in 0..complete {
            let window: Vec<&Moments> = sinks.iter().map(|s| &s.done[w]).collect();
            writer.window(&channels, &window)?;
            wrote = true;
        }
        sinks.iter_mut().for_each(|s| s.done.clear());
    }
    drop(chunks); // clears the progress bar before the report
    let last: Vec<Moments> = sinks.iter().filter_map(|s| s.env.finish()).collect();
    if !last.is_empty() {
        writer.window(&channels, &last.iter().collect::<Vec<_>>())?;
        wrote = true;
    }
    if !wrote {
        bail!("{}: no samples to analyse", info.path);
    }
    writer.finish()?;
    Ok(())
}

/// Bytes of a region one thread maps at a time: large enough to amortise the map, small
/// enough that one per core stays well inside the memory bound.
const REGION_BYTES: usize = 8 << 20;

/// Exact statistics of `[start, end)` for each channel: region by region on every core when
/// the file allows it, else in one sequential walk. Regions hold 2^k whole blocks on the
/// grid and merge in order, so both give the same bits.
fn accumulate(
    trace: &mut Trace,
    channels: &[usize],
    (start, end): (u64, Option<u64>),
    chunk: usize,
    quiet: bool,
) -> Result<Vec<Accumulator>> {
    let mut accs = vec![Accumulator::new(start, true); channels.len()];
    if let (Some(reader), Some(end)) = (trace.region_reader()?, end) {
        let frame = trace.info.frame_bytes();
        let progress = Progress::new(Some(end - start), Unit::Samples, frame as u64, quiet);
        // The largest 2^k blocks within both --chunk and REGION_BYTES.
        let most = chunk.min(REGION_BYTES / frame).max(BLOCK) / BLOCK;
        let region = BLOCK << most.ilog2();
        let work = |chunk: Chunk| {
            let mut part = vec![Accumulator::new(chunk.start, true); channels.len()];
            feed(
                &chunk,
                channels,
                &mut part,
                &mut vec![Vec::new(); channels.len()],
            );
            part
        };
        reader.for_each_region((start, end), region, work, |part| {
            progress.inc(part.first().map_or(0, Accumulator::len));
            accs.iter_mut().zip(&part).for_each(|(a, p)| a.append(p));
        })?;
        return Ok(accs);
    }
    let mut chunks = super::walk(trace, (start, end), chunk, quiet)?;
    let mut bufs = vec![Vec::new(); channels.len()];
    while let Some(chunk) = chunks.next_chunk()? {
        feed(&chunk, channels, &mut accs, &mut bufs);
    }
    Ok(accs)
}

/// Takes one channel's samples in order.
trait Sink: Send {
    fn take<T: Sample>(&mut self, data: &[T]);
}

impl Sink for Accumulator {
    fn take<T: Sample>(&mut self, data: &[T]) {
        self.push(data);
    }
}

/// An envelope and the windows it completed in the current chunk.
struct Windows {
    env: Envelope,
    done: Vec<Moments>,
}

impl Sink for Windows {
    fn take<T: Sample>(&mut self, data: &[T]) {
        self.env.push(data, &mut self.done);
    }
}

/// Hand each selected channel of `chunk` to its sink: read in place when the chunk is one
/// native, aligned channel; otherwise decoded to f64 (channels in parallel).
fn feed<S: Sink>(chunk: &Chunk, channels: &[usize], sinks: &mut [S], bufs: &mut [Vec<f64>]) {
    if let [sink] = sinks
        && chunk.channels() == 1
    {
        let in_place =
            crate::with_sample_type!(chunk.dtype(), T => chunk.typed::<T>().map(|d| sink.take(d)));
        if in_place.is_some() {
            return;
        }
    }
    sinks
        .par_iter_mut()
        .zip(bufs.par_iter_mut())
        .zip(channels.par_iter())
        .for_each(|((sink, buf), &ch)| {
            chunk.channel_f64(ch, buf);
            sink.take(buf.as_slice());
        });
}
