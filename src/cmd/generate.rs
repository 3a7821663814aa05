//! `tracekit generate KIND -o OUT`: synthetic captures of any size, in constant memory.

use crate::cli::{GenerateArgs, SignalKind};
use crate::dsp::synth::{BLOCK, Synth, Waveform};
use crate::dsp::synth_uart::{UartSynth, UartSynthConfig};
use crate::output::progress::{Progress, Unit};
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use crate::sample::convert::extend_converted;
use crate::sample::{CaptureMeta, DType, Endian};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// Blocks computed in parallel before being written in order.
const BLOCKS_PER_BATCH: usize = 16;

/// `--samples` when not given (uart: the message's own length instead).
const DEFAULT_SAMPLES: u64 = 1_000_000;

pub fn run(args: &GenerateArgs, quiet: bool) -> Result<()> {
    let raw_stream = match args.to.as_deref() {
        None => false,
        Some("raw") => true,
        Some(other) => {
            bail!("--to {other}: generate only takes `--to raw` (bare samples on stdout)")
        }
    };
    let format = SampleFormat::for_path(&args.output, raw_stream);
    let extension_dtype = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .and_then(DType::parse)
        .map(|(d, _)| d)
        .filter(|_| format == SampleFormat::Raw);
    let dtype =
        args.dtype
            .or(extension_dtype)
            .unwrap_or(if args.logic { DType::U8 } else { DType::F32 });
    let samples = args.samples.unwrap_or(DEFAULT_SAMPLES);
    let waveform = match args.kind {
        SignalKind::Tone if args.tone.is_empty() => Waveform::Tones(vec![(1000.0, 1.0)]),
        SignalKind::Tone => Waveform::Tones(args.tone.clone()),
        SignalKind::Square => Waveform::Square {
            freq: args.freq,
            amplitude: args.amplitude,
        },
        SignalKind::Noise => Waveform::Silence,
        SignalKind::Uart => return uart(args, format, dtype, quiet),
    };
    let noise_rms = if args.kind == SignalKind::Noise && args.noise == 0.0 {
        1.0
    } else {
        args.noise
    };
    if !(noise_rms.is_finite() && noise_rms >= 0.0) {
        bail!("--noise {noise_rms}: the noise RMS must be a finite number ≥ 0");
    }
    let synth = Synth {
        waveform,
        sample_rate: args.sample_rate,
        noise_rms,
        seed: args.seed,
    };
    let spec = sample_spec(args, format, dtype, samples, args.channels);
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let progress = Progress::new(
        Some(samples),
        Unit::Samples,
        (dtype.size() * args.channels) as u64,
        quiet,
    );
    write_blocks(
        &synth,
        samples,
        args.channels,
        dtype,
        format,
        &mut writer,
        &progress,
    )?;
    progress.finish();
    writer.finish()
}

fn sample_spec(
    args: &GenerateArgs,
    format: SampleFormat,
    dtype: DType,
    samples: u64,
    channels: usize,
) -> SampleSpec {
    let meta = CaptureMeta {
        sample_rate: Some(args.sample_rate),
        start_time: Some(0.0),
        ..Default::default()
    };
    SampleSpec {
        format,
        dtype,
        endian: Endian::NATIVE,
        samples,
        channels,
        meta,
    }
}

/// `generate uart`: the message framed as decode-uart expects it, as 0/1 logic (`--logic`)
/// or as 0/3.3 V analog levels with optional noise.
fn uart(args: &GenerateArgs, format: SampleFormat, dtype: DType, quiet: bool) -> Result<()> {
    if args.channels != 1 {
        bail!(
            "generate uart writes one channel; drop --channels {}",
            args.channels
        );
    }
    if args.logic && args.noise != 0.0 {
        bail!("--noise {} needs analog output; drop --logic", args.noise);
    }
    let bytes = match (&args.text, &args.bytes_file) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(file)) => {
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
        }
        (None, None) => bail!("generate uart needs the data to send: --text T or --bytes-file F"),
    };
    let cfg = UartSynthConfig {
        frame: args.framing.config(),
        baud: args.baud,
        sample_rate: args.sample_rate,
        gap_bits: args.gap,
        baud_error: args.baud_error,
        samples: args.samples,
        repeat: true,
        noise_rms: args.noise,
        seed: args.seed,
        ..Default::default()
    };
    let mut synth =
        UartSynth::new(cfg, bytes.into_iter().map(u16::from).collect()).context("generate uart")?;
    let samples = synth.total_samples();
    let spec = sample_spec(args, format, dtype, samples, 1);
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let progress = Progress::new(Some(samples), Unit::Samples, dtype.size() as u64, quiet);
    let (mut levels, mut volts) = (vec![0u8; BLOCK], vec![0f32; BLOCK]);
    loop {
        let n = if args.logic {
            synth.fill_logic(&mut levels)
        } else {
            synth.fill_analog(&mut volts)
        };
        match n {
            0 => break,
            _ if args.logic => writer.write_u8(&levels[..n])?,
            _ => writer.write_f32(&volts[..n])?,
        }
        progress.inc(n as u64);
    }
    progress.finish();
    writer.finish()
}

/// Compute blocks on all cores and write them in order; the block grid is fixed, so the
/// output does not depend on the number of threads.
fn write_blocks(
    synth: &Synth,
    samples: u64,
    channels: usize,
    dtype: DType,
    format: SampleFormat,
    writer: &mut SampleWriter,
    progress: &Progress,
) -> Result<()> {
    let batch = (BLOCK * BLOCKS_PER_BATCH) as u64;
    // Fill the blocks of the batch starting at `start` on all cores; returns how many.
    let compute = |start: u64, blocks: &mut [(Vec<f64>, Vec<u8>)]| -> usize {
        if start >= samples {
            return 0;
        }
        let count = (samples - start)
            .div_ceil(BLOCK as u64)
            .min(BLOCKS_PER_BATCH as u64) as usize;
        blocks[..count]
            .par_iter_mut()
            .enumerate()
            .for_each(|(b, (frames, bytes))| {
                let s = start + (b * BLOCK) as u64;
                let n = (samples - s).min(BLOCK as u64) as usize;
                interleaved_block(synth, s, n, channels, frames);
                if format != SampleFormat::Csv {
                    bytes.clear();
                    extend_converted(frames.iter().copied(), dtype, bytes);
                }
            });
        count
    };
    // Two sets of buffers, reused: the next batch is computed while this one is written, so
    // the disk and the cores work at the same time. The writer stays on this thread.
    let mut current: Vec<(Vec<f64>, Vec<u8>)> = vec![Default::default(); BLOCKS_PER_BATCH];
    let mut next = current.clone();
    let mut start = 0u64;
    let mut count = compute(start, &mut current);
    while count > 0 {
        let (written, next_count) = std::thread::scope(|scope| {
            let ahead = scope.spawn(|| compute(start + batch, &mut next));
            let written = current[..count].iter().try_for_each(|(frames, bytes)| {
                if format == SampleFormat::Csv {
                    writer.write_f64(frames)
                } else {
                    writer.write_bytes(bytes)
                }
            });
            let next_count = ahead
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (written, next_count)
        });
        written?;
        progress.inc((samples - start).min(batch));
        std::mem::swap(&mut current, &mut next);
        (start, count) = (start + batch, next_count);
    }
    Ok(())
}

/// Samples `start..start + n` of every channel, interleaved, into `frames`.
fn interleaved_block(synth: &Synth, start: u64, n: usize, channels: usize, frames: &mut Vec<f64>) {
    frames.resize(n * channels, 0.0);
    if channels == 1 {
        synth.fill(start, 0, frames);
        return;
    }
    let mut column = vec![0.0; n];
    for ch in 0..channels {
        synth.fill(start, ch, &mut column);
        for (i, v) in column.iter().enumerate() {
            frames[i * channels + ch] = *v;
        }
    }
}
