//! `tracekit find FILE`: events (edges, glitches, pulse widths, runts, window excursions,
//! gaps, slew rates), one per line, streamed in sample order per channel.

use super::Plan;
use super::cut::around;
use super::measure::{channel_name, sink_error, state_levels};
use super::pipe::{BATCH, pipelined};
use crate::cli::{EdgeArg, EventFormat, FindArgs, PolarityArg, RateBound, SpanBound};
use crate::dsp::pulse::{
    Bound, Condition, Event, FindConfig, Finder, Finders, Polarity, Slope, StateLevels,
};
use crate::loader;
use crate::output::{self, measure::EventStyle, measure::EventWriter};
use crate::report::measure::EventRecord;
use crate::units::Span;
use anyhow::{Context, Result, bail};

pub fn run(args: &FindArgs, quiet: bool) -> Result<()> {
    let opts = args.input.open_options();
    let mut trace = loader::open(&opts)?;
    let info = trace.info.clone();
    super::warn_all(&info.warnings, quiet);
    let path = info.path.as_str();
    let picks = super::picks(&info, args.channel.as_ref())?;
    if info.samples == Some(0) {
        bail!("{path}: the capture holds no samples");
    }
    let plan = Plan {
        range: super::resolve_range(&info, args.range.range.as_ref(), info.sample_rate)?,
        picks: &picks,
        chunk: args.input.chunk,
        quiet,
    };
    let dt = info.sample_rate.map_or(1.0, |r| 1.0 / r);
    let seconds = |span: Span, flag: &str| -> Result<f64> {
        match span {
            Span::Samples(n) => Ok(n as f64 * dt),
            Span::Seconds(s) if info.sample_rate.is_some() => Ok(s),
            Span::Seconds(_) => {
                bail!("{path}: {flag} uses a time, but the sample rate is unknown: pass -r RATE")
            }
        }
    };

    // The conditions, with levels still to fill in for --slew (its default levels depend on
    // the state levels).
    let mut conditions = Vec::new();
    if let Some(edge) = args.edge {
        conditions.push(Condition::Edge(match edge {
            EdgeArg::Rising => Slope::Rising,
            EdgeArg::Falling => Slope::Falling,
            EdgeArg::Either => Slope::Either,
        }));
    }
    if let Some(w) = args.glitch {
        conditions.push(Condition::Glitch(seconds(w, "--glitch")?));
    }
    if let Some(bound) = args.width {
        let polarity = match args.polarity {
            PolarityArg::Positive => Polarity::Positive,
            PolarityArg::Negative => Polarity::Negative,
            PolarityArg::Either => Polarity::Either,
        };
        let bound = match bound {
            SpanBound::Above(a) => Bound::Above(seconds(a, "--width")?),
            SpanBound::Below(b) => Bound::Below(seconds(b, "--width")?),
            SpanBound::Between(a, b) => {
                Bound::Between(seconds(a, "--width")?, seconds(b, "--width")?)
            }
        };
        conditions.push(Condition::Width(polarity, bound));
    }
    if let Some((low, high)) = args.runt {
        conditions.push(Condition::Runt { low, high });
    }
    if let Some((low, high)) = args.window {
        conditions.push(Condition::Window { low, high });
    }
    if let Some(t) = args.gap {
        conditions.push(Condition::Gap(seconds(t, "--gap")?));
    }
    // V/s with a rate; V/sample without (the finder's times are then samples).
    let slew = args.slew.map(|rate| match rate {
        RateBound::Above(r) => Bound::Above(r),
        RateBound::Below(r) => Bound::Below(r),
    });
    if conditions.is_empty() && slew.is_none() {
        bail!(
            "{path}: nothing to find: give at least one of --edge, --glitch, --width, --runt, --window, --gap, --slew"
        );
    }

    // State levels: given, or a first pass when a default needs them.
    let needs_levels = args.level.is_none()
        || args.hysteresis.is_none()
        || (slew.is_some() && args.slew_levels.is_none());
    let levels: Option<Vec<StateLevels>> = match args.levels {
        Some((low, high)) => Some(vec![StateLevels::given(low, high); picks.len()]),
        None if needs_levels => {
            let levels = state_levels(&plan, &mut trace, &info, &picks)?;
            trace = loader::open(&opts)?;
            Some(levels)
        }
        None => None,
    };
    let finders = picks
        .iter()
        .enumerate()
        .map(|(i, pick)| {
            let lv = levels.as_ref().map(|l| l[i]);
            let amp = lv.map_or(0.0, |l| l.amplitude());
            let mut conditions = conditions.clone();
            if let Some(rate) = slew {
                let (low, high) = match (args.slew_levels, lv) {
                    (Some(pair), _) => pair,
                    (None, Some(l)) => (l.base + 0.1 * amp, l.base + 0.9 * amp),
                    // not reached: without --slew-levels the levels were read
                    (None, None) => (f64::NAN, f64::NAN),
                };
                conditions.push(Condition::Slew { low, high, rate });
            }
            let config = FindConfig {
                level: args
                    .level
                    .or(lv.map(|l| l.base + 0.5 * amp))
                    .unwrap_or_default(),
                hysteresis: args
                    .hysteresis
                    .or(lv.map(|l| (6.0 * l.noise).clamp(0.1 * amp, 0.5 * amp)))
                    .unwrap_or_default(),
                sample_interval: dt,
                conditions,
            };
            Finder::new(&config).with_context(|| channel_name(&info, pick))
        })
        .collect::<Result<Vec<_>>>()?;

    let style = match args.output_format {
        EventFormat::Text => EventStyle::Text,
        EventFormat::Csv => EventStyle::Csv,
        EventFormat::Json => EventStyle::Json,
    };
    let around = args.around.map(|t| around(t, &info)).transpose()?;
    let mut writer = EventWriter::new(output::stdout(), style)?;
    let channels: Vec<usize> = picks.iter().map(|p| p.channel).collect();
    let timed = info.sample_rate.is_some();
    let mut found = Vec::new();
    // The walk (with reading) runs on its own thread, writing on this one.
    let (skip, limit) = (args.skip, args.limit);
    pipelined(
        move |hand_over| {
            let mut batch = Vec::with_capacity(BATCH);
            let mut sink = Finders::new(finders, skip, limit, |i, event: &Event| {
                batch.push((i, *event));
                if batch.len() >= BATCH {
                    hand_over(&mut batch)?;
                }
                Ok(())
            });
            match plan.feed(&mut trace, &mut sink) {
                // --limit stopped the walk
                Err(_) if sink.limit_reached() => {}
                other => {
                    other?;
                    sink.finish().map_err(sink_error)?;
                }
            }
            Ok(hand_over(&mut batch)?)
        },
        |batch| {
            for (i, event) in batch.iter() {
                if around.is_some() {
                    found.push(event.sample);
                }
                writer.write(&EventRecord::new(channels[*i], event, timed))?;
            }
            Ok(())
        },
    )?;
    writer.finish()?;
    if let (Some(around), Some(dir)) = (around, &args.cut_dir) {
        super::cut::after_find(args, &info, around, dir, &found)?;
    }
    Ok(())
}
