//! `tracekit generate KIND -o OUT`: synthetic captures of any size, in constant memory.

use super::bytes::{Bytes, Failure};
use crate::cli::{GenerateArgs, SignalKind};
use crate::dsp::synth::{BLOCK, Synth, Waveform};
use crate::dsp::synth_uart::{Message, UartSynth, UartSynthConfig};
use crate::output::progress::{Progress, Unit};
use crate::output::samples::{SampleFormat, SampleSpec, SampleWriter};
use crate::sample::{CaptureMeta, DType, Endian};
use anyhow::{Context, Result, bail};
use std::fs::File;

/// `--samples` when not given (uart: the message's own length instead).
const DEFAULT_SAMPLES: u64 = 1_000_000;

pub fn run(args: &GenerateArgs, quiet: bool) -> Result<()> {
    let format = SampleFormat::for_path(&args.output, args.to.is_some());
    let dtype = args
        .dtype
        .or(format.dtype_named_by(&args.output))
        .unwrap_or(if args.logic { DType::U8 } else { DType::F32 });
    let waveform = match args.kind {
        SignalKind::Tone if args.tone.is_empty() => Waveform::Tones(vec![(1000.0, 1.0)]),
        SignalKind::Tone => Waveform::Tones(args.tone.clone()),
        SignalKind::Square => Waveform::Square {
            freq: args.freq,
            amplitude: args.amplitude,
        },
        SignalKind::Noise => Waveform::Silence,
        SignalKind::Uart => return uart(args, format, dtype, quiet),
        _ => return super::generate_bus::run(args, format, dtype, quiet),
    };
    let noise_rms = match (args.kind, args.noise) {
        (SignalKind::Noise, 0.0) => 1.0,
        (_, rms) => rms,
    };
    let synth = Synth {
        waveform,
        sample_rate: args.sample_rate,
        noise_rms,
        seed: args.seed,
    };
    let samples = args.samples.unwrap_or(DEFAULT_SAMPLES);
    let mut writer = create(args, format, dtype, samples, args.channels)?;
    let progress = progress(samples, dtype.size() * args.channels, quiet);
    let blocks = samples.div_ceil(BLOCK as u64);
    writer.write_parallel(
        blocks,
        |block, frames| synth.fill_block(block, samples, args.channels, frames),
        &|n| progress.inc(n),
    )?;
    progress.finish();
    writer.finish()
}

/// The output, carrying the rate and t0 = 0.
pub(super) fn create(
    args: &GenerateArgs,
    format: SampleFormat,
    dtype: DType,
    samples: u64,
    channels: usize,
) -> Result<SampleWriter> {
    let meta = CaptureMeta {
        sample_rate: Some(args.sample_rate),
        start_time: Some(0.0),
        ..Default::default()
    };
    let spec = SampleSpec {
        complex: false,
        format,
        dtype,
        endian: Endian::NATIVE,
        samples,
        channels,
        meta,
    };
    SampleWriter::create(&args.output, &spec)
}

/// What every bus generator checks: its channels are its signals; noise is analog.
pub(super) fn check_bus(args: &GenerateArgs) -> Result<()> {
    if args.channels != 1 {
        bail!(
            "generate {} writes one channel per signal; drop --channels {}",
            args.kind.name(),
            args.channels
        );
    }
    if args.logic && args.noise != 0.0 {
        bail!("--noise {} needs analog output; drop --logic", args.noise);
    }
    Ok(())
}

pub(super) fn progress(samples: u64, frame_bytes: usize, quiet: bool) -> Progress {
    Progress::new(Some(samples), Unit::Samples, frame_bytes as u64, quiet)
}

/// `generate uart`: the message framed as decode-uart expects it, as 0/1 logic (`--logic`)
/// or as 0/3.3 V analog levels with optional noise.
fn uart(args: &GenerateArgs, format: SampleFormat, dtype: DType, quiet: bool) -> Result<()> {
    check_bus(args)?;
    let failed = Failure::default();
    let bits = args.framing.bits;
    let message: Box<dyn Message> = match (&args.text, &args.bytes_file) {
        (Some(text), _) => {
            let len = Some(text.len() as u64);
            let cursor = std::io::Cursor::new(text.clone().into_bytes());
            Box::new(Bytes::new(cursor, len, "--text", bits, &failed))
        }
        (None, Some(file)) => {
            let name = file.display().to_string();
            let open = File::open(file).with_context(|| format!("cannot read {name}"))?;
            // Only a regular file's size is its length (a pipe or a device streams).
            let len = open
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            Box::new(Bytes::new(open, len, &name, bits, &failed))
        }
        (None, None) => bail!("generate uart needs the data to send: --text T or --bytes-file F"),
    };
    let cfg = UartSynthConfig {
        frame: args.framing.config(),
        baud: args.baud.unwrap_or(115_200.0),
        sample_rate: args.sample_rate,
        gap_bits: args.gap.unwrap_or(1.0),
        baud_error: args.baud_error,
        parity_errors: args.parity_error.clone(),
        stop_errors: args.stop_error.clone(),
        breaks: args.breaks.clone(),
        samples: args.samples,
        repeat: true,
        noise_rms: args.noise,
        seed: args.seed,
        ..Default::default()
    };
    let mut synth = UartSynth::streaming(cfg, message).context("generate uart")?;
    let samples = synth.total_samples();
    let mut writer = create(args, format, dtype, samples, 1)?;
    let progress = progress(samples, dtype.size(), quiet);
    let inc = |n| progress.inc(n);
    if args.logic {
        writer.write_sequential(BLOCK, |levels: &mut [u8]| synth.fill_logic(levels), &inc)?;
    } else {
        writer.write_sequential(BLOCK, |volts: &mut [f32]| synth.fill_analog(volts), &inc)?;
    }
    if let Some(why) = failed.take() {
        bail!("{why}");
    }
    progress.finish();
    writer.finish()
}
