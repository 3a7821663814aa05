//! `tracekit generate spi|i2c|can|lin|onewire`: the message and options from the flags
//! into the generator's configuration, then one channel per signal written in blocks.

use super::generate::{check_bus, create, progress};
use crate::cli::{GenerateArgs, SignalKind, parse_can_frame, parse_lin_frame, parse_onewire_frame};
use crate::dsp::decode::spi::WordValue;
use crate::dsp::synth::BLOCK;
use crate::dsp::synth_bus::StepSource;
use crate::dsp::synth_can::{CanSynth, CanSynthConfig};
use crate::dsp::synth_i2c::{I2cSynth, I2cSynthConfig};
use crate::dsp::synth_levels::{BusLines, LevelStream};
use crate::dsp::synth_lin::{LinTiming, lin_waveform};
use crate::dsp::synth_onewire::onewire_waveform;
use crate::dsp::synth_spi::{SpiSynth, SpiSynthConfig};
use crate::output::samples::{SampleFormat, SampleWriter};
use crate::sample::{DType, Sample};
use anyhow::{Context, Result, anyhow, bail};

pub fn run(args: &GenerateArgs, format: SampleFormat, dtype: DType, quiet: bool) -> Result<()> {
    check_bus(args)?;
    let b = &args.bus;
    let analog = b.analog.config(args.noise);
    let name = args.kind.name();
    let bad = |e: String| anyhow!(e);
    match args.kind {
        SignalKind::Spi => {
            let mosi = if b.words.is_empty() {
                let text = args.text.as_deref().unwrap_or_default();
                text.bytes().map(|v| WordValue::Narrow(v.into())).collect()
            } else {
                b.words.clone()
            };
            if mosi.is_empty() && b.miso_words.is_empty() {
                bail!("generate spi needs words to send: --words HEX,... or --text T");
            }
            let cfg = SpiSynthConfig {
                spi: b.spi.config(),
                cs: !b.no_cs,
                sample_rate: args.sample_rate,
                clock_rate: b.bitrate.unwrap_or(1e6),
                words_per_transfer: b.words_per_transfer,
                word_gap_bits: b.word_gap,
                transfer_gap_bits: args.gap.unwrap_or(2.0),
                samples: args.samples,
                repeat: true,
                clock_glitches: b.clock_glitch.clone(),
                glitches: b.glitches(),
                analog,
                seed: args.seed,
                ..SpiSynthConfig::default()
            };
            let mut s = SpiSynth::new(cfg, mosi, b.miso_words.clone()).context(name)?;
            let total = s.total_samples();
            write(args, format, dtype, total, quiet, &mut s)
        }
        SignalKind::I2c => {
            if b.transaction.is_empty() {
                bail!("generate i2c needs transactions: --transaction w|r:ADDR[:DATA]...");
            }
            let cfg = I2cSynthConfig {
                sample_rate: args.sample_rate,
                clock_rate: b.bitrate.unwrap_or(1e5),
                gap_bits: args.gap.unwrap_or(2.0),
                stretch_rate: b.stretch_rate,
                stretch_bits: b.stretch,
                samples: args.samples,
                repeat: true,
                scl_glitches: b.clock_glitch.clone(),
                glitches: b.glitches(),
                analog,
                seed: args.seed,
                ..I2cSynthConfig::default()
            };
            let mut s = I2cSynth::new(cfg, b.transaction.clone()).context(name)?;
            let total = s.total_samples();
            write(args, format, dtype, total, quiet, &mut s)
        }
        SignalKind::Can => {
            let frames = b
                .frame
                .iter()
                .map(|f| parse_can_frame(f))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            if frames.is_empty() {
                bail!("generate can needs frames: --frame ID#DATA (cansend style)");
            }
            let cfg = CanSynthConfig {
                sample_rate: args.sample_rate,
                nominal_bitrate: b.bitrate.unwrap_or(500e3),
                fast_bitrate: b.fast_bitrate,
                sample_point: b.sample_point,
                frames,
                gap_bits: args.gap.unwrap_or(20.0),
                samples: args.samples,
                repeat: true,
                analog,
                seed: args.seed,
                ..CanSynthConfig::default()
            };
            let mut s = CanSynth::new(cfg).context(name)?;
            let total = s.total_samples();
            write(args, format, dtype, total, quiet, &mut s)
        }
        SignalKind::Lin | SignalKind::Onewire => {
            let stream = if args.kind == SignalKind::Lin {
                let frames = b
                    .frame
                    .iter()
                    .map(|f| parse_lin_frame(f))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad)?;
                let timing = LinTiming {
                    frame_gap_bits: args.gap.unwrap_or(30.0),
                    ..LinTiming::default()
                };
                let baud = args.baud.unwrap_or(19_200.0);
                lin_waveform(args.sample_rate, baud, b.lin_version(), timing, &frames)
            } else {
                let mut ops = Vec::new();
                for f in &b.frame {
                    parse_onewire_frame(f, &mut ops).map_err(bad)?;
                }
                onewire_waveform(args.sample_rate, &ops)
            };
            if b.frame.is_empty() {
                bail!("generate {name} needs frames: --frame SPEC (see --help)");
            }
            let s = stream.context(name)?.with_analog(analog, args.seed);
            let total = s.total_samples();
            let mut s = Repeat::new(s, args.samples);
            let total = args.samples.unwrap_or(total);
            write(args, format, dtype, total, quiet, &mut s)
        }
        _ => unreachable!("generate_bus::run is called for buses"),
    }
}

/// A laid-out waveform sent again and again until `samples` (or once).
struct Repeat {
    first: LevelStream,
    current: LevelStream,
    left: Option<u64>,
}

impl Repeat {
    fn new(stream: LevelStream, samples: Option<u64>) -> Self {
        Repeat {
            first: stream.clone(),
            current: stream,
            left: samples,
        }
    }

    fn fill<T>(&mut self, out: &mut [T], fill: fn(&mut LevelStream, &mut [T]) -> usize) -> usize {
        let room = match self.left {
            Some(left) => out.len().min(usize::try_from(left).unwrap_or(usize::MAX)),
            None => out.len(),
        };
        let mut done = 0;
        while done < room {
            let n = fill(&mut self.current, &mut out[done..room]);
            if n == 0 {
                if self.left.is_none() || self.first.total_samples() == 0 {
                    break;
                }
                self.current = self.first.clone();
                continue;
            }
            done += n;
        }
        if let Some(left) = &mut self.left {
            *left -= done as u64;
        }
        done
    }
}

/// A generator of `N` lines, as logic levels or volts.
trait Lines<const N: usize> {
    fn logic(&mut self, out: [&mut [u8]; N]) -> usize;
    fn analog(&mut self, out: [&mut [f32]; N]) -> usize;
}

impl<S: StepSource, const N: usize> Lines<N> for BusLines<S, N> {
    fn logic(&mut self, out: [&mut [u8]; N]) -> usize {
        self.fill_logic(out)
    }
    fn analog(&mut self, out: [&mut [f32]; N]) -> usize {
        self.fill_analog(out)
    }
}

impl Lines<1> for CanSynth {
    fn logic(&mut self, [out]: [&mut [u8]; 1]) -> usize {
        self.fill_logic(out)
    }
    fn analog(&mut self, [out]: [&mut [f32]; 1]) -> usize {
        self.fill_analog(out)
    }
}

impl Lines<1> for Repeat {
    fn logic(&mut self, [out]: [&mut [u8]; 1]) -> usize {
        self.fill(out, LevelStream::fill_logic)
    }
    fn analog(&mut self, [out]: [&mut [f32]; 1]) -> usize {
        self.fill(out, LevelStream::fill_analog)
    }
}

/// Writes `N` lines as channels, logic (`--logic`) or volts, in blocks.
fn write<const N: usize>(
    args: &GenerateArgs,
    format: SampleFormat,
    dtype: DType,
    samples: u64,
    quiet: bool,
    lines: &mut impl Lines<N>,
) -> Result<()> {
    let mut writer = create(args, format, dtype, samples, N)?;
    let progress = progress(samples, dtype.size() * N, quiet);
    let inc = |n| progress.inc(n);
    if args.logic {
        interleave(&mut writer, |out| lines.logic(out), &inc)?;
    } else {
        interleave(&mut writer, |out| lines.analog(out), &inc)?;
    }
    progress.finish();
    writer.finish()
}

/// One block of each line at a time, written as frames of `N` channels.
fn interleave<T: Sample + Default, const N: usize>(
    writer: &mut SampleWriter,
    mut fill: impl FnMut([&mut [T]; N]) -> usize,
    inc: &dyn Fn(u64),
) -> Result<()> {
    let mut lines: Vec<Vec<T>> = (0..N).map(|_| vec![T::default(); BLOCK]).collect();
    writer.write_sequential(
        BLOCK * N,
        |frames: &mut [T]| {
            let mut views = lines.iter_mut();
            let n = fill(std::array::from_fn(|_| {
                &mut views.next().expect("one buffer per line")[..]
            }));
            for (k, frame) in frames.chunks_exact_mut(N).take(n).enumerate() {
                for (v, line) in frame.iter_mut().zip(&lines) {
                    *v = line[k];
                }
            }
            n * N
        },
        inc,
    )
}
