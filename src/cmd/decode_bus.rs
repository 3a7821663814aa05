//! A capture opened for a bus decoder: its signals resolved to channels, each turned into
//! line levels (logic as it is, analog through a Schmitt trigger whose levels `auto`
//! finds in a first pass), then one decoding pass streaming records and the summary.

use super::Plan;
use super::pipe::{BATCH, pipelined};
use crate::cli::{BusArgs, SignalRef, ThresholdArg};
use crate::dsp::decode::{Annotator, Decode, Decoder};
use crate::dsp::levels::{LevelEstimator, Schmitt};
use crate::dsp::line::{LineInput, Lines, Slots};
use crate::loader::{self, Pick, Trace};
use crate::output::decode::{self as render, BusWriter, Timebase};
use crate::report::decode::{BusSummary, RecordKind};
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, anyhow, bail};

/// An opened capture with its signals resolved and their line inputs chosen.
pub(super) struct Bus<'a> {
    args: &'a BusArgs,
    trace: Trace,
    pub path: String,
    pub rate: Option<f64>,
    time0: f64,
    range: (u64, Option<u64>),
    picks: Vec<Pick>,
    /// The column of each of the decoder's signals (None: absent).
    slots: Vec<Option<usize>>,
    inputs: Vec<LineInput>,
    thresholds: Vec<String>,
    quiet: bool,
}

impl<'a> Bus<'a> {
    /// Opens the capture; `signals` are the decoder's, in its order (None: not given).
    pub fn open(
        args: &'a BusArgs,
        signals: &[(&str, Option<&SignalRef>)],
        quiet: bool,
    ) -> Result<Self> {
        let opts = args.input.open_options();
        let trace = loader::open(&opts)?;
        let info = trace.info.clone();
        super::warn_all(&info.warnings, quiet);
        let path = info.path.clone();
        let range = super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?;
        let (mut picks, mut slots, mut analog) = (Vec::new(), Vec::new(), Vec::new());
        for (name, signal) in signals {
            let Some(signal) = signal else {
                slots.push(None);
                continue;
            };
            let channel = info.resolve_channel(&signal.channel)?;
            let ch = &info.channels[channel];
            let threshold = args.threshold_for(name);
            let logic = signal.bit.is_some() || ch.bit.is_some();
            let is_analog =
                !logic && (info.dtype.is_float() || ch.scale.is_some() || threshold.is_some());
            slots.push(Some(picks.len()));
            picks.push(Pick {
                channel,
                bit: signal.bit,
            });
            analog.push(
                is_analog.then(|| (name.to_string(), threshold.unwrap_or(ThresholdArg::Auto))),
            );
        }
        let present: Vec<&str> = signals
            .iter()
            .filter(|s| s.1.is_some())
            .map(|s| s.0)
            .collect();
        args.check_threshold_signals(&present)
            .map_err(|e| anyhow!(e))?;
        let mut bus = Bus {
            args,
            trace,
            path,
            rate: info.sample_rate,
            time0: info.start_time.unwrap_or(0.0),
            range,
            picks,
            slots,
            inputs: Vec::new(),
            thresholds: Vec::new(),
            quiet,
        };
        bus.inputs = bus.line_inputs(&analog)?;
        Ok(bus)
    }

    fn plan<'p>(&self, picks: &'p [Pick]) -> Plan<'p> {
        Plan {
            range: self.range,
            picks,
            chunk: self.args.input.chunk,
            quiet: self.quiet,
        }
    }

    /// Logic signals as they are; analog ones through a Schmitt trigger, with the levels of
    /// the `auto` ones found in one extra pass over those channels.
    fn line_inputs(&mut self, analog: &[Option<(String, ThresholdArg)>]) -> Result<Vec<LineInput>> {
        let auto: Vec<usize> = (0..analog.len())
            .filter(|&k| matches!(analog[k], Some((_, ThresholdArg::Auto))))
            .collect();
        let mut found = Vec::new();
        if !auto.is_empty() {
            if self.trace.info.file_size.is_none() {
                bail!(
                    "{}: --threshold auto needs its own pass over the data, which standard input cannot give; save the stream to a file or give the threshold",
                    self.path
                );
            }
            let picks: Vec<Pick> = auto.iter().map(|&k| self.picks[k]).collect();
            let mut est = PerChannel(vec![LevelEstimator::new(); auto.len()]);
            let mut first = loader::open(&self.args.input.open_options())?;
            self.plan(&picks).feed(&mut first, &mut est)?;
            for e in &est.0 {
                found.push(e.finish().with_context(|| self.path.clone())?);
            }
        }
        let mut inputs = Vec::new();
        for (k, a) in analog.iter().enumerate() {
            let Some((name, threshold)) = a else {
                inputs.push(LineInput::Logic);
                continue;
            };
            let (threshold, hysteresis, note) = match threshold {
                ThresholdArg::Volts(v) => (*v, self.args.hysteresis.unwrap_or(0.0), String::new()),
                ThresholdArg::Auto => {
                    let lv = &found[auto.iter().position(|&a| a == k).expect("auto signal")];
                    let note = format!(
                        " (auto: levels {:.4} V and {:.4} V, noise {:.3} V rms)",
                        lv.low, lv.high, lv.noise_rms
                    );
                    (
                        lv.threshold,
                        self.args.hysteresis.unwrap_or(lv.hysteresis),
                        note,
                    )
                }
            };
            let schmitt = Schmitt::new(threshold, hysteresis).with_context(|| self.path.clone())?;
            self.thresholds.push(format!(
                "{name}: threshold {threshold:.4} V, hysteresis {hysteresis:.4} V{note}"
            ));
            inputs.push(LineInput::Analog(schmitt));
        }
        Ok(inputs)
    }

    /// Decode and write the records of `kind`, then print the summary.
    pub fn run<D, A>(
        mut self,
        protocol: &'static str,
        decoder: D,
        annotator: A,
        kind: RecordKind<D::Event>,
    ) -> Result<()>
    where
        D: Decoder,
        D::Event: Send,
        A: Annotator<Event = D::Event>,
    {
        let time = Timebase {
            rate: self.rate,
            time0: self.time0,
            offset: self.range.0,
        };
        let classes = self.args.annotations.clone();
        render::check_classes::<A>(&classes).map_err(|e| anyhow!(e))?;
        let mut writer = BusWriter::new(
            crate::output::stdout(),
            self.args.output_format,
            annotator,
            &kind,
            classes,
            time,
        )?;
        let inputs = std::mem::take(&mut self.inputs);
        let slots = self.slots.clone();
        let picks = self.picks.clone();
        let plan = self.plan(&picks);
        let trace = &mut self.trace;
        // Decoding (with reading) runs on its own thread, writing on this one.
        pipelined(
            move |hand_over| {
                let decode = Decode::new(decoder, hand_over).batched(BATCH);
                let mut lines = Lines::new(inputs, Slots::new(slots, decode));
                plan.feed(trace, &mut lines)?;
                Ok(lines.into_sink().into_inner().finish()?)
            },
            |batch| Ok(writer.write_drain(batch)?),
        )?;
        let counts = writer.finish()?;
        if !self.quiet {
            let summary = BusSummary {
                path: self.path,
                protocol,
                counts,
                sample_rate: self.rate,
                thresholds: self.thresholds,
            };
            crate::term::eprint_line("", &render::summary(&summary));
        }
        Ok(())
    }
}
