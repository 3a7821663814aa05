//! `tracekit generate KIND -o OUT`: synthetic captures of any size, in constant memory.

use crate::cli::{GenerateArgs, SignalKind};
use crate::convert::push_sample;
use crate::dsp::synth::{BLOCK, Synth, Waveform};
use crate::loader::{CaptureMeta, DType, Endian};
use crate::output::progress::{Progress, Unit};
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use anyhow::{Result, bail};
use rayon::prelude::*;

/// Blocks computed in parallel before being written in order.
const BLOCKS_PER_BATCH: usize = 16;

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
    let waveform = match args.kind {
        SignalKind::Tone if args.tone.is_empty() => Waveform::Tones(vec![(1000.0, 1.0)]),
        SignalKind::Tone => Waveform::Tones(args.tone.clone()),
        SignalKind::Square => Waveform::Square {
            freq: args.freq,
            amplitude: args.amplitude,
        },
        SignalKind::Noise => Waveform::Silence,
        SignalKind::Uart => bail!("generate uart is not implemented yet"),
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
    let meta = CaptureMeta {
        sample_rate: Some(args.sample_rate),
        start_time: Some(0.0),
        ..Default::default()
    };
    let spec = SampleSpec {
        format,
        dtype,
        endian: Endian::NATIVE,
        samples: args.samples,
        channels: args.channels,
        meta,
    };
    let mut writer = SampleWriter::create(&args.output, &spec)?;
    let progress = Progress::new(
        Some(args.samples),
        Unit::Samples,
        (dtype.size() * args.channels) as u64,
        quiet,
    );
    write_blocks(
        &synth,
        args.samples,
        args.channels,
        dtype,
        format,
        &mut writer,
        &progress,
    )?;
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
    let mut start = 0u64;
    while start < samples {
        let blocks: Vec<(Vec<f64>, Vec<u8>)> = (0..BLOCKS_PER_BATCH)
            .into_par_iter()
            .filter_map(|b| {
                let s = start + (b * BLOCK) as u64;
                (s < samples).then(|| {
                    let n = (samples - s).min(BLOCK as u64) as usize;
                    let frames = interleaved_block(synth, s, n, channels);
                    if format == SampleFormat::Csv {
                        (frames, Vec::new())
                    } else {
                        let mut bytes = Vec::with_capacity(frames.len() * dtype.size());
                        frames
                            .iter()
                            .for_each(|&v| push_sample(v, dtype, &mut bytes));
                        (Vec::new(), bytes)
                    }
                })
            })
            .collect();
        for (frames, bytes) in &blocks {
            if format == SampleFormat::Csv {
                writer.write_f64(frames)?;
            } else {
                writer.write_bytes(bytes)?;
            }
        }
        progress.inc((samples - start).min(batch));
        start += batch;
    }
    Ok(())
}

fn interleaved_block(synth: &Synth, start: u64, n: usize, channels: usize) -> Vec<f64> {
    let mut column = vec![0.0; n];
    let mut frames = vec![0.0; n * channels];
    for ch in 0..channels {
        synth.fill(start, ch, &mut column);
        for (i, v) in column.iter().enumerate() {
            frames[i * channels + ch] = *v;
        }
    }
    frames
}
