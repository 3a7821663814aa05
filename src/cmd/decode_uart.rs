//! `tracekit decode-uart FILE --baud B|auto`: every UART frame of a capture, streamed.
//!
//! Up to three passes over the chosen range: the analog levels (`--threshold auto`), the
//! bit time (`--baud auto`), then the decoding itself. Standard input allows only the last.

use crate::cli::{BaudArg, DecodeUartArgs, ThresholdArg};
use crate::dsp::line::{Analog, LineBuffers, LineError, LineInput};
use crate::dsp::uart::{BaudEstimator, LevelEstimator, Schmitt, UartDecoder};
use crate::loader::{self, Chunk, Trace};
use crate::output::uart::{FrameCounts, FrameWriter};
use crate::units::format_rate;
use anyhow::{Context, Result, anyhow, bail};

pub fn run(args: &DecodeUartArgs, quiet: bool) -> Result<()> {
    let opts = args.input.open_options();
    let mut trace = loader::open(&opts)?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    info.check_channel(args.channel)?;
    let rate = info.sample_rate.ok_or_else(|| {
        anyhow!("{path}: the sample rate is unknown and UART timing needs it: pass -r RATE")
    })?;
    let (start, end) = super::resolve_range(&info, args.range.as_ref(), Some(rate))?;
    let streamed = info.file_size.is_none();
    let needs_pass = |what: &str| -> Result<Trace> {
        if streamed {
            bail!(
                "{path}: {what} needs its own pass over the data, which standard input cannot give; save the stream to a file or give the value"
            );
        }
        Ok(loader::open(&opts)?)
    };
    let pass = |trace: &mut Trace, f: &mut dyn FnMut(&Chunk) -> Result<()>| {
        each_chunk(trace, (start, end), args.input.chunk, quiet, f)
    };

    let mut threshold_note = None;
    let line = if let Some(bit) = args.bit {
        if info.dtype.is_float() {
            bail!(
                "{path}: --bit {bit} needs integer samples, but they are {}",
                info.dtype
            );
        }
        LineInput::Bit(bit)
    } else if info.dtype.is_float() || args.threshold.is_some() {
        let (threshold, hysteresis, auto) = match args.threshold {
            Some(ThresholdArg::Volts(v)) => (v, args.hysteresis.unwrap_or(0.0), String::new()),
            _ => {
                let mut est = LevelEstimator::new();
                let mut values = Vec::new();
                pass(&mut needs_pass("--threshold auto")?, &mut |c| {
                    Analog::of(c, args.channel, &mut values).estimate(&mut est);
                    Ok(())
                })?;
                let lv = est.finish().with_context(|| path.to_string())?;
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
            let mut est = BaudEstimator::new();
            let (mut probe, mut buf) = (line.clone(), LineBuffers::default());
            pass(&mut needs_pass("--baud auto")?, &mut |c| {
                est.push(probe.levels(c, args.channel, &mut buf)?);
                Ok(())
            })?;
            let b = est.finish(rate).with_context(|| path.to_string())?;
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
    let mut decoder = UartDecoder::new(&config, rate, baud.0).with_context(|| path.to_string())?;
    let time0 = info.start_time.unwrap_or(0.0);
    let mut writer = FrameWriter::new(
        crate::output::stdout(),
        args.output_format,
        rate,
        time0,
        start,
        config.data_bits,
    )?;
    let (mut line, mut buf, mut events) = (line, LineBuffers::default(), Vec::new());
    pass(&mut trace, &mut |c| {
        decoder.push(line.levels(c, args.channel, &mut buf)?, &mut events);
        Ok(writer.write_drain(&mut events)?)
    })?;
    decoder.finish(&mut events);
    writer.write_drain(&mut events)?;
    let counts = writer.finish()?;
    if !quiet {
        eprintln!("{}", summary(path, &counts, &baud.1, rate, threshold_note));
    }
    Ok(())
}

/// Hand each chunk of `range` to `f`; sample errors get the file's name, write errors (a
/// closed pipe) stay as they are.
fn each_chunk(
    trace: &mut Trace,
    range: (u64, Option<u64>),
    chunk: usize,
    quiet: bool,
    f: &mut dyn FnMut(&Chunk) -> Result<()>,
) -> Result<()> {
    let path = trace.info.path.clone();
    let mut chunks = super::walk(trace, range, chunk, quiet)?;
    while let Some(chunk) = chunks.next_chunk()? {
        f(&chunk).map_err(|e| match e.is::<LineError>() {
            true => e.context(path.clone()),
            false => e,
        })?;
    }
    Ok(())
}

fn summary(
    path: &str,
    c: &FrameCounts,
    baud: &str,
    rate: f64,
    threshold: Option<String>,
) -> String {
    let threshold = threshold.unwrap_or_else(|| "logic input (no threshold)".into());
    format!(
        "tracekit: {path}: {} frames; errors: {} framing, {} parity, {} break; {baud} at {}; {threshold}",
        c.frames,
        c.framing,
        c.parity,
        c.breaks,
        format_rate(rate)
    )
}
