//! `tracekit decode PROTOCOL FILE`: resolve the signals, turn them into line levels (logic,
//! or analog through a Schmitt trigger whose levels `auto` finds in a first pass), run the
//! protocol's decoder and stream its records or sigrok annotations.

use super::Plan;
use crate::cli::{BusArgs, DecodeArgs, DecodeProtocol, SignalRef, ThresholdArg};
use crate::dsp::decode::can::{CanDecoder, CanEvent};
use crate::dsp::decode::i2c::I2cDecoder;
use crate::dsp::decode::lin::{LinDecoder, LinEvent};
use crate::dsp::decode::onewire::{OneWireDecoder, OneWireEvent};
use crate::dsp::decode::spi::{SpiDecoder, SpiSignals};
use crate::dsp::decode::{Annotator, Decode, Decoder, PerEvent};
use crate::dsp::levels::{LevelEstimator, Schmitt};
use crate::dsp::line::{LineInput, Lines, Slots};
use crate::loader::{self, Pick, Trace};
use crate::output::decode::{self as render, BusWriter, Timebase};
use crate::report::decode::{self as report, BusSummary, Record};
use crate::sample::sink::PerChannel;
use anyhow::{Context, Result, bail};

pub fn run(args: &DecodeArgs, quiet: bool) -> Result<()> {
    match &args.protocol {
        DecodeProtocol::Uart(a) => super::decode_uart::run(a, quiet),
        DecodeProtocol::Spi(a) => {
            let bus = Bus::open(
                &a.bus,
                &[
                    ("clk", Some(&a.clk)),
                    ("miso", a.miso.as_ref()),
                    ("mosi", a.mosi.as_ref()),
                    ("cs", a.cs.as_ref()),
                ],
                quiet,
            )?;
            let signals = SpiSignals {
                miso: a.miso.is_some(),
                mosi: a.mosi.is_some(),
                cs: a.cs.is_some(),
            };
            let dec = SpiDecoder::new(a.config(), signals).context("spi")?;
            let ann = dec.annotator();
            bus.run(
                "spi",
                dec,
                ann,
                report::spi_records,
                &["bits", "mosi", "miso", "words"],
            )
        }
        DecodeProtocol::I2c(a) => {
            let bus = Bus::open(
                &a.bus,
                &[("scl", Some(&a.scl)), ("sda", Some(&a.sda))],
                quiet,
            )?;
            let dec = I2cDecoder::new(a.config());
            let ann = dec.annotator();
            bus.run(
                "i2c",
                dec,
                ann,
                report::i2c_records,
                &["address", "ten_bit"],
            )
        }
        DecodeProtocol::Can(a) => {
            let bus = Bus::open(&a.bus, &[("rx", Some(&a.rx))], quiet)?;
            let dec = CanDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let columns = &[
                "id", "extended", "fd", "remote", "brs", "esi", "dlc", "data", "crc", "ack",
            ];
            bus.run(
                "can",
                dec,
                PerEvent::<CanEvent>::default(),
                report::can_records,
                columns,
            )
        }
        DecodeProtocol::Onewire(a) => {
            let bus = Bus::open(&a.bus, &[("owr", Some(&a.owr))], quiet)?;
            let dec =
                OneWireDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let ann = PerEvent::<OneWireEvent>::default();
            bus.run(
                "onewire",
                dec,
                ann,
                report::onewire_records,
                &["presence", "on"],
            )
        }
        DecodeProtocol::Lin(a) => {
            let bus = Bus::open(&a.bus, &[("rx", Some(&a.rx))], quiet)?;
            let dec = LinDecoder::new(&a.config(), bus.rate).with_context(|| bus.path.clone())?;
            let ann = PerEvent::<LinEvent>::default();
            bus.run(
                "lin",
                dec,
                ann,
                report::lin_records,
                &["id", "pid", "data", "checksum"],
            )
        }
    }
}

/// An opened capture with its signals resolved and their line inputs chosen.
struct Bus<'a> {
    args: &'a BusArgs,
    trace: Trace,
    path: String,
    rate: Option<f64>,
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
    fn open(
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
            let threshold = args
                .threshold
                .iter()
                .find(|t| t.signal.as_deref() == Some(*name))
                .or_else(|| args.threshold.iter().find(|t| t.signal.is_none()))
                .map(|t| t.value);
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
        for t in args.threshold.iter().filter_map(|t| t.signal.as_deref()) {
            if !signals.iter().any(|(n, s)| *n == t && s.is_some()) {
                let names: Vec<&str> = signals
                    .iter()
                    .filter(|s| s.1.is_some())
                    .map(|s| s.0)
                    .collect();
                bail!(
                    "--threshold {t}=...: no signal {t} here (signals: {})",
                    names.join(", ")
                );
            }
        }
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

    /// Decode and write, then print the summary.
    fn run<D, A>(
        mut self,
        protocol: &'static str,
        decoder: D,
        annotator: A,
        to_records: fn(&D::Event, &mut Vec<Record>),
        columns: &'static [&'static str],
    ) -> Result<()>
    where
        D: Decoder,
        A: Annotator<Event = D::Event>,
    {
        let time = Timebase {
            rate: self.rate,
            time0: self.time0,
            offset: self.range.0,
        };
        let out = crate::output::stdout();
        let classes = self.args.annotations.clone();
        if let Some(bad) = classes.iter().find(|c| !A::CLASSES.contains(&c.as_str())) {
            bail!(
                "--annotations: {} has no class '{bad}' (classes: {})",
                A::DECODER,
                A::CLASSES.join(", ")
            );
        }
        let mut writer = BusWriter::new(
            out,
            self.args.output_format,
            annotator,
            to_records,
            columns,
            classes,
            time,
        )?;
        let decode = Decode::new(decoder, |events| writer.write_drain(events));
        let inputs = std::mem::take(&mut self.inputs);
        let mut lines = Lines::new(inputs, Slots::new(self.slots.clone(), decode));
        let picks = self.picks.clone();
        self.plan(&picks).feed(&mut self.trace, &mut lines)?;
        lines.into_sink().into_inner().finish()?;
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
