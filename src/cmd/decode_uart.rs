//! `tracekit decode-uart FILE --baud B|auto`: every UART frame of a capture, streamed.
//!
//! Up to three passes over the chosen range: the analog levels (`--threshold auto`), the
//! bit time (`--baud auto`), then the decoding itself. Standard input allows only the last.

use super::Plan;
use crate::cli::{BaudArg, DecodeUartArgs, ThresholdArg};
use crate::dsp::decode::Decode;
use crate::dsp::decode::uart::{BaudEstimator, UartDecoder};
use crate::dsp::levels::{LevelEstimator, Schmitt};
use crate::dsp::line::{LineInput, Lines};
use crate::loader::{self, Pick, Trace};
use crate::output::uart::{self as render, FrameWriter};
use crate::report::decode::{FrameCounts, UartSummary};
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, anyhow, bail};

pub fn run(args: &DecodeUartArgs, quiet: bool) -> Result<()> {
    let opts = args.input.open_options();
    let mut trace = loader::open(&opts)?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let channel = info.resolve_channel(&args.channel)?;
    let rate = info.sample_rate.ok_or_else(|| {
        anyhow!("{path}: the sample rate is unknown and UART timing needs it: pass -r RATE")
    })?;
    let picks = [Pick {
        channel,
        bit: args.bit,
    }];
    let plan = Plan {
        range: super::resolve_range(&info, args.range.range.as_ref(), Some(rate))?,
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    // An estimate reads the data once more before decoding, which a stream cannot give.
    let another_pass = |what: &str| -> Result<Trace> {
        if info.file_size.is_none() {
            bail!(
                "{path}: {what} needs its own pass over the data, which standard input cannot give; save the stream to a file or give the value"
            );
        }
        Ok(loader::open(&opts)?)
    };

    let mut threshold_note = None;
    // Analog: float samples, a scope's scaled codes, or any samples with --threshold; a
    // logic lane (--bit, or a channel that is one bit of a code) is already a line.
    let picked = &info.channels[channel];
    let logic = args.bit.is_some() || picked.bit.is_some();
    let analog = info.dtype.is_float() || picked.scale.is_some() || args.threshold.is_some();
    let line = if !logic && analog {
        let (threshold, hysteresis, auto) = match args.threshold {
            Some(ThresholdArg::Volts(v)) => (v, args.hysteresis.unwrap_or(0.0), String::new()),
            _ => {
                let mut est = PerChannel(vec![LevelEstimator::new()]);
                plan.feed(&mut another_pass("--threshold auto")?, &mut est)?;
                let lv = est.0[0].finish().with_context(|| path.to_string())?;
                let auto = format!(
                    " (auto: levels {:.4} V and {:.4} V, noise {:.3} V rms)",
                    lv.low, lv.high, lv.noise_rms
                );
                (lv.threshold, args.hysteresis.unwrap_or(lv.hysteresis), auto)
            }
        };
        let schmitt = Schmitt::new(threshold, hysteresis).with_context(|| path.to_string())?;
        threshold_note = Some(format!(
            "threshold {threshold:.4} V, hysteresis {hysteresis:.4} V{auto}"
        ));
        LineInput::Analog(schmitt)
    } else {
        LineInput::Logic
    };

    let baud = match args.baud {
        BaudArg::Rate(b) => (b, format!("baud {b}")),
        BaudArg::Auto => {
            let mut lines = Lines::new(vec![line.clone()], BaudEstimator::new());
            plan.feed(&mut another_pass("--baud auto")?, &mut lines)?;
            let b = lines
                .into_sink()
                .finish(rate)
                .with_context(|| path.to_string())?;
            let used = if b.baud == f64::from(b.nearest_standard) {
                "the standard rate"
            } else {
                "the measurement: no standard rate within 2%"
            };
            (
                b.baud,
                format!(
                    "baud {:.0} (auto: measured {:.1}, nearest standard {}, used {used})",
                    b.baud, b.measured, b.nearest_standard
                ),
            )
        }
    };

    let config = args.framing.config();
    let decoder = UartDecoder::new(&config, rate, baud.0).with_context(|| path.to_string())?;
    let time0 = info.start_time.unwrap_or(0.0);
    let mut writer = FrameWriter::new(
        crate::output::stdout(),
        args.output_format,
        rate,
        time0,
        plan.range.0,
        config.data_bits,
    )?;
    let mut counts = FrameCounts::default();
    let decode = Decode::new(decoder, |events| {
        events.iter().for_each(|e| counts.add(e));
        writer.write_drain(events)
    });
    let mut lines = Lines::new(vec![line], decode);
    plan.feed(&mut trace, &mut lines)?;
    lines.into_sink().finish()?;
    writer.finish()?;
    if !quiet {
        let summary = UartSummary {
            path: path.to_string(),
            counts,
            baud: baud.1,
            sample_rate: rate,
            threshold: threshold_note,
        };
        crate::term::eprint_line("", &render::summary(&summary));
    }
    Ok(())
}
