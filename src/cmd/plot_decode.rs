//! `plot --decode`: one decoding pass over the plotted range whose frames become labelled
//! boxes on the decoded signal's lane (UART, SPI, I²C, CAN, 1-Wire, LIN).

use super::Plan;
use crate::cli::{BusProtocol, BusSpec, DecodeSpec, UartSpec};
use crate::dsp::decode::can::CanDecoder;
use crate::dsp::decode::i2c::I2cDecoder;
use crate::dsp::decode::lin::LinDecoder;
use crate::dsp::decode::onewire::OneWireDecoder;
use crate::dsp::decode::spi::{SpiDecoder, SpiSignals};
use crate::dsp::decode::uart::UartDecoder;
use crate::dsp::decode::{Decode, Decoder};
use crate::dsp::levels::{LevelEstimator, Schmitt};
use crate::dsp::line::{LineInput, Lines, Slots};
use crate::loader::{self, Pick, Trace, TraceInfo};
use crate::output::plot::overlay::FrameLabel;
use crate::report::plot::Annotation;
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, anyhow, bail};

/// A decoding pass for the overlay: the walk of the range, how to open the input again, the
/// channels drawn, the x axis, how many frames to keep at most.
pub(super) struct Overlay<'a> {
    pub plan: &'a Plan<'a>,
    pub opts: &'a loader::OpenOptions,
    pub channels: &'a [usize],
    pub x_of: &'a dyn Fn(u64) -> f64,
    pub most: usize,
}

/// The boxes of `--decode` (none when there are more than `overlay.most`) and how many
/// frames there were.
pub(super) fn overlay(
    spec: &DecodeSpec,
    info: &TraceInfo,
    overlay: &Overlay<'_>,
) -> Result<(Vec<Annotation>, u64)> {
    match spec {
        DecodeSpec::Uart(spec) => uart(spec, info, overlay),
        DecodeSpec::Bus(spec) => bus(spec, info, overlay),
    }
}

/// The lane of channel `channel` (None: the first one drawn).
fn lane_of(info: &TraceInfo, channels: &[usize], channel: Option<usize>) -> Result<usize> {
    let k = channel.unwrap_or(channels[0]);
    channels.iter().position(|&c| c == k).ok_or_else(|| {
        anyhow!(
            "{}: --decode: channel {k} is not drawn; add it to --channel",
            info.path
        )
    })
}

/// The input opened again: decoding needs its own pass, which a stream cannot give.
fn another_pass(info: &TraceInfo, opts: &loader::OpenOptions) -> Result<Trace> {
    if info.file_size.is_none() {
        bail!(
            "{}: --decode needs its own pass over the data, which standard input cannot give; save the stream to a file",
            info.path
        );
    }
    Ok(loader::open(opts)?)
}

/// Logic channels as they are; float ones through a Schmitt trigger at `threshold`, or at
/// the levels measured in one more pass.
fn line_inputs(
    info: &TraceInfo,
    channels: &[usize],
    threshold: Option<f64>,
    overlay: &Overlay<'_>,
) -> Result<Vec<LineInput>> {
    let path = info.path.as_str();
    if !info.dtype.is_float() && threshold.is_none() {
        return Ok(channels.iter().map(|_| LineInput::Logic).collect());
    }
    if let Some(v) = threshold {
        let s = Schmitt::new(v, 0.0).with_context(|| path.to_string())?;
        return Ok(channels
            .iter()
            .map(|_| LineInput::Analog(s.clone()))
            .collect());
    }
    let picks: Vec<Pick> = channels.iter().map(|&k| Pick::channel(k)).collect();
    let plan = Plan {
        picks: &picks,
        ..*overlay.plan
    };
    let mut est = PerChannel(vec![LevelEstimator::new(); channels.len()]);
    plan.feed(&mut another_pass(info, overlay.opts)?, &mut est)?;
    est.0
        .iter()
        .map(|e| {
            let lv = e.finish().with_context(|| path.to_string())?;
            let s = Schmitt::new(lv.threshold, lv.hysteresis).with_context(|| path.to_string())?;
            Ok(LineInput::Analog(s))
        })
        .collect()
}

/// `--decode uart:...`.
fn uart(
    spec: &UartSpec,
    info: &TraceInfo,
    overlay: &Overlay<'_>,
) -> Result<(Vec<Annotation>, u64)> {
    let path = info.path.as_str();
    let rate = info.sample_rate.ok_or_else(|| {
        anyhow!("{path}: the sample rate is unknown and UART timing needs it: pass -r RATE")
    })?;
    let lane = lane_of(info, overlay.channels, spec.channel)?;
    let channel = overlay.channels[lane];
    let inputs = line_inputs(info, &[channel], spec.threshold, overlay)?;
    let decoder =
        UartDecoder::new(&spec.config, rate, spec.baud).with_context(|| path.to_string())?;
    frames(
        decoder,
        inputs,
        vec![Some(0)],
        &[channel],
        lane,
        info,
        overlay,
    )
}

/// `--decode spi|i2c|can|onewire|lin:...`.
fn bus(spec: &BusSpec, info: &TraceInfo, overlay: &Overlay<'_>) -> Result<(Vec<Annotation>, u64)> {
    let path = info.path.as_str();
    let (names, _) = spec.protocol.signals();
    let given: Vec<usize> = spec.signals.iter().flatten().copied().collect();
    let mut slots = Vec::new();
    let mut k = 0;
    for s in &spec.signals {
        slots.push(s.map(|_| {
            k += 1;
            k - 1
        }));
    }
    let label = spec
        .protocol
        .label_signals()
        .iter()
        .find_map(|l| {
            let i = names.iter().position(|n| n == l)?;
            spec.signals[i]
        })
        .expect("the label signal is a required one or a given one");
    let lane = lane_of(info, overlay.channels, Some(label))?;
    let inputs = line_inputs(info, &given, spec.threshold, overlay)?;
    let rate = info.sample_rate;
    let run = |e: anyhow::Error| e.context(path.to_string());
    match &spec.protocol {
        BusProtocol::Spi(c) => {
            let signals = SpiSignals {
                miso: spec.signals[1].is_some(),
                mosi: spec.signals[2].is_some(),
                cs: spec.signals[3].is_some(),
            };
            let d = SpiDecoder::new(*c, signals).map_err(|e| run(e.into()))?;
            frames(d, inputs, slots, &given, lane, info, overlay)
        }
        BusProtocol::I2c(c) => {
            let d = I2cDecoder::new(*c);
            frames(d, inputs, slots, &given, lane, info, overlay)
        }
        BusProtocol::Can(c) => {
            let d = CanDecoder::new(c, rate).map_err(|e| run(e.into()))?;
            frames(d, inputs, slots, &given, lane, info, overlay)
        }
        BusProtocol::Onewire(c) => {
            let d = OneWireDecoder::new(c, rate).map_err(|e| run(e.into()))?;
            frames(d, inputs, slots, &given, lane, info, overlay)
        }
        BusProtocol::Lin(c) => {
            let d = LinDecoder::new(c, rate).map_err(|e| run(e.into()))?;
            frames(d, inputs, slots, &given, lane, info, overlay)
        }
    }
}

/// Runs `decoder` over `channels` of the range (put in its signal order by `slots`) and
/// keeps its events as boxes on `lane` (none when there are more than `overlay.most`: they
/// could not be told apart); also returns how many there were.
fn frames<D: Decoder>(
    decoder: D,
    inputs: Vec<LineInput>,
    slots: Vec<Option<usize>>,
    channels: &[usize],
    lane: usize,
    info: &TraceInfo,
    overlay: &Overlay<'_>,
) -> Result<(Vec<Annotation>, u64)>
where
    D::Event: FrameLabel,
{
    let picks: Vec<Pick> = channels.iter().map(|&k| Pick::channel(k)).collect();
    let plan = Plan {
        picks: &picks,
        ..*overlay.plan
    };
    let offset = plan.range.0;
    let (mut kept, mut count) = (Vec::new(), 0u64);
    let decode = Decode::new(decoder, |events: &mut Vec<D::Event>| {
        for (a, b, label) in events.drain(..).filter_map(|e| e.frame()) {
            count += 1;
            if kept.len() < overlay.most {
                kept.push(Annotation {
                    lane,
                    start_s: (overlay.x_of)(offset + a),
                    end_s: (overlay.x_of)(offset + b),
                    label,
                });
            }
        }
        Ok(())
    });
    let mut lines = Lines::new(inputs, Slots::new(slots, decode));
    plan.feed(&mut another_pass(info, overlay.opts)?, &mut lines)?;
    lines.into_sink().into_inner().finish()?;
    if count > kept.len() as u64 {
        kept.clear();
    }
    Ok((kept, count))
}
