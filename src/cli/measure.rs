//! `tracekit measure` and `tracekit find`: pulse measurements and events (docs/measure.md).

use super::{InputArgs, OutputArgs, RangeArgs, one_of};
use crate::loader::ChannelRef;
use crate::units::{self, Span};
use clap::Args;

/// Scope measurements over every cycle (IEEE 181): levels, period, duty, rise/fall, jitter
///
/// Per channel: state levels (histogram mode method, min/max fallback), amplitude, mean,
/// RMS, min/max, peak-to-peak, frequency, period, pulse widths, duty cycle, rise/fall times
/// at the reference levels, slew rates, overshoot/undershoot/preshoot, per-cycle mean and
/// RMS, edge counts and jitter (period, cycle-to-cycle, TIE against the best-fit clock).
/// Every per-cycle quantity is summarised over the whole file: count, mean, std, min and max
/// with the sample where they occurred. Results are the same whatever --chunk is.
///
/// Two passes: the state levels first (on every core), then the measurement; --levels
/// skips the first, so standard input needs it. Without a sample rate, times are in
/// samples. Definitions: docs/measure.md.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit measure capture.npy
  tracekit measure --json --channel 1 capture.wfm | jq '.channels[0].frequency'
  tracekit measure --ref 20,80 --levels 0,3.3 capture.npy
  tracekit measure --per-cycle capture.npy > cycles.csv")]
pub struct MeasureArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Only this channel: 0-based index or name (CH2, C3); default all
    #[arg(long, value_name = "K|NAME")]
    pub channel: Option<ChannelRef>,

    #[command(flatten)]
    pub levels: LevelArgs,

    /// Reference levels in % of the amplitude: LOW,HIGH (mid 50) or LOW,MID,HIGH [default: 10,50,90]
    ///
    /// Rise and fall times run from the low to the high reference; edges are timed at the
    /// mid reference (or --threshold).
    #[arg(long = "ref", value_parser = parse_references, value_name = "LOW,HIGH")]
    pub references: Option<[f64; 3]>,

    /// State boundaries: each state level ± P % of the amplitude [default: 2, wider for noise]
    #[arg(long, value_parser = parse_value, value_name = "P")]
    pub state_band: Option<f64>,

    /// Stream one record per cycle (CSV with a header, JSON Lines with --json) instead of the summary
    ///
    /// Columns: channel,cycle,start,time_s,period,frequency,positive_width,negative_width,
    /// duty,rise_time,fall_time,rise_overshoot,rise_undershoot,rise_preshoot,fall_overshoot,
    /// fall_undershoot,fall_preshoot,mean,rms,min,max. start is the first sample of the cycle
    /// (at or after its rising edge), time_s that edge's interpolated instant.
    #[arg(long)]
    pub per_cycle: bool,

    /// TIE against this ideal clock instead of the best fit: FIRST,PERIOD in seconds (samples without a rate)
    ///
    /// Rising edge k (k = 0 the first one measured) is due at FIRST + k·PERIOD after the
    /// capture's first sample (the file's, whatever --range). The JSON's
    /// jitter.tie.clock {first, period} of a fitted run has this form.
    #[arg(long, value_parser = parse_clock, value_name = "FIRST,PERIOD", allow_hyphen_values = true)]
    pub clock: Option<(f64, f64)>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Levels and thresholds shared by `measure` and `find`.
#[derive(Debug, Clone, Args)]
pub struct LevelArgs {
    /// State levels LOW,HIGH in the samples' unit, instead of the histogram pass
    #[arg(long, value_parser = parse_pair, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    pub levels: Option<(f64, f64)>,

    /// The level edges are timed at (measure: instead of the mid reference)
    #[arg(long, value_parser = parse_value, value_name = "V", allow_hyphen_values = true)]
    pub threshold: Option<f64>,

    /// Schmitt hysteresis in the samples' unit [default: 6 noise sigmas, 10-50 % of the amplitude]
    #[arg(long, value_parser = parse_value, value_name = "V")]
    pub hysteresis: Option<f64>,
}

/// Events, one per line: edges, glitches, pulse widths, runts, window excursions, gaps, slew
///
/// Prints `sample time_s kind channel width level` per event, in sample order within each
/// channel; `sample` and `time_s` are where the event starts (the interpolated crossing),
/// ready for `tracekit slice --range`. Several conditions run in one pass. Levels and
/// hysteresis come from a histogram pass over the data unless both --level and
/// --hysteresis are given. Without a sample rate, widths and times are in samples.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit find --edge rising --level 1.65 --hysteresis 0.2 capture.npy
  tracekit find --glitch 20ns --runt 0.8,2.5 capture.npy
  tracekit find --width 1us..2us --format json capture.npy > events.jsonl
  tracekit find --gap 10ms --limit 1 capture.npy
  tracekit find --glitch 20ns --limit 100 --around 1us -o glitches/ capture.npy

Here --format names the output; the input format is --input-format.")]
#[command(mut_arg("input_format", |a| a.long("input-format")))]
pub struct FindArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Only this channel: 0-based index or name (CH2, C3); default all
    #[arg(long, value_name = "K|NAME")]
    pub channel: Option<ChannelRef>,

    /// The level edges, glitches, widths and gaps are timed at [default: 50 % of the state levels]
    #[arg(long, value_parser = parse_value, value_name = "V", allow_hyphen_values = true)]
    pub level: Option<f64>,

    /// Hysteresis of every threshold [default: 10 % of the amplitude, or 6 noise sigmas]
    #[arg(long, value_parser = parse_value, value_name = "V")]
    pub hysteresis: Option<f64>,

    /// Edges at --level
    #[arg(long, value_parser = one_of::<EdgeArg>(EdgeArg::NAMES), value_name = "SLOPE")]
    pub edge: Option<EdgeArg>,

    /// Pulses (either polarity) narrower than W (`<20ns`, `5` samples)
    #[arg(long, value_parser = parse_below, value_name = "<W")]
    pub glitch: Option<Span>,

    /// Pulses whose width is >W, <W or W1..W2 (inclusive)
    #[arg(long, value_parser = parse_bound, value_name = ">W|<W|W1..W2")]
    pub width: Option<SpanBound>,

    /// Which pulses --width takes
    #[arg(long, value_parser = one_of::<PolarityArg>(PolarityArg::NAMES), default_value = "either")]
    pub polarity: PolarityArg,

    /// Runts: pulses that cross LOW but not HIGH (or HIGH but not LOW going down)
    #[arg(long, value_parser = parse_pair, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    pub runt: Option<(f64, f64)>,

    /// Excursions above HIGH or below LOW
    #[arg(long, value_parser = parse_pair, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    pub window: Option<(f64, f64)>,

    /// No edge at --level for longer than T (`>1ms`)
    #[arg(long, value_parser = parse_above, value_name = ">T")]
    pub gap: Option<Span>,

    /// Transitions between LOW and HIGH (--slew-levels) faster than RATE (V/s), or `<RATE` slower
    #[arg(long, value_parser = parse_rate_bound, value_name = ">RATE")]
    pub slew: Option<RateBound>,

    /// The two levels --slew times transitions between [default: the 10 % and 90 % references]
    #[arg(long, value_parser = parse_pair, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    pub slew_levels: Option<(f64, f64)>,

    /// State levels LOW,HIGH instead of the histogram pass (sets --level's and --slew-levels' defaults)
    #[arg(long, value_parser = parse_pair, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    pub levels: Option<(f64, f64)>,

    /// Skip the first N events
    #[arg(long, value_parser = units::parse_count, value_name = "N", default_value = "0")]
    pub skip: u64,

    /// Stop after N events
    #[arg(long, value_parser = units::parse_positive_count, value_name = "N")]
    pub limit: Option<u64>,

    /// Output: text (one event per line), json (JSON Lines) or csv (with a header)
    #[arg(long = "format", value_parser = one_of::<EventFormat>(EventFormat::NAMES), default_value = "text", value_name = "F")]
    pub output_format: EventFormat,

    /// Also write a cut-out of T either side of each event into -o DIR (`1ms`, `5000`)
    ///
    /// One file per event written, DIR/event-000001.npy for the first and so on, of the
    /// channels searched, through `slice` (same formats; rate, start time, names and units
    /// travel); the events are still listed on stdout.
    #[arg(long, value_parser = span, value_name = "T", requires = "cut_dir")]
    pub around: Option<Span>,

    /// The folder --around writes its cut-outs to (created if missing)
    #[arg(
        short = 'o',
        long = "output",
        id = "cut_dir",
        value_name = "DIR",
        requires = "around"
    )]
    pub cut_dir: Option<std::path::PathBuf>,

    /// The cut-outs' format, as slice's output extension: npy, csv, wav, sigmf-data, sr, vcd, bin
    #[arg(long, default_value = "npy", value_name = "EXT", requires = "around")]
    pub cut_format: String,
}

crate::named_enum! {
    /// `--edge`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EdgeArg { Rising = "rising", Falling = "falling", Either = "either" }
}

crate::named_enum! {
    /// `--polarity`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum PolarityArg { Positive = "positive", Negative = "negative", Either = "either" }
}

crate::named_enum! {
    /// `find --format`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EventFormat { Text = "text", Json = "json", Csv = "csv" }
}

/// `--width`: a range of durations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpanBound {
    Above(Span),
    Below(Span),
    Between(Span, Span),
}

/// `--slew`: a range of rates (V/s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateBound {
    Above(f64),
    Below(f64),
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("'{text}' is not a finite number")),
    }
}

fn parse_pair(text: &str) -> Result<(f64, f64), String> {
    let Some((a, b)) = text.split_once(',') else {
        return Err(format!("'{text}': expected LOW,HIGH (two numbers)"));
    };
    let (a, b) = (parse_value(a)?, parse_value(b)?);
    if a < b {
        Ok((a, b))
    } else {
        Err(format!("'{text}': LOW must be below HIGH"))
    }
}

fn parse_clock(text: &str) -> Result<(f64, f64), String> {
    let Some((a, b)) = text.split_once(',') else {
        return Err(format!("'{text}': expected FIRST,PERIOD (two numbers)"));
    };
    let (first, period) = (parse_value(a)?, parse_value(b)?);
    if period > 0.0 {
        Ok((first, period))
    } else {
        Err(format!("'{text}': the period must be > 0"))
    }
}

fn parse_references(text: &str) -> Result<[f64; 3], String> {
    let parts: Vec<f64> = text.split(',').map(parse_value).collect::<Result<_, _>>()?;
    let refs = match parts.as_slice() {
        [lo, hi] => [*lo, 50.0, *hi],
        [lo, mid, hi] => [*lo, *mid, *hi],
        _ => return Err(format!("'{text}': expected LOW,HIGH or LOW,MID,HIGH in %")),
    };
    if 0.0 <= refs[0] && refs[0] < refs[1] && refs[1] < refs[2] && refs[2] <= 100.0 {
        Ok(refs)
    } else {
        Err(format!(
            "'{text}': need 0 <= LOW < MID < HIGH <= 100 (percent of the amplitude)"
        ))
    }
}

fn span(text: &str) -> Result<Span, String> {
    units::parse_span(text.trim()).map_err(|e| e.to_string())
}

fn parse_below(text: &str) -> Result<Span, String> {
    span(text.trim().strip_prefix('<').unwrap_or(text))
}

fn parse_above(text: &str) -> Result<Span, String> {
    span(text.trim().strip_prefix('>').unwrap_or(text))
}

fn parse_bound(text: &str) -> Result<SpanBound, String> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('>') {
        Ok(SpanBound::Above(span(rest)?))
    } else if let Some(rest) = t.strip_prefix('<') {
        Ok(SpanBound::Below(span(rest)?))
    } else if let Some((a, b)) = t.split_once("..") {
        Ok(SpanBound::Between(span(a)?, span(b)?))
    } else {
        Err(format!(
            "'{text}': expected >W, <W or W1..W2 (20ns, 1us..2us, 5)"
        ))
    }
}

fn parse_rate_bound(text: &str) -> Result<RateBound, String> {
    let t = text.trim();
    let (below, number) = match t.strip_prefix('<') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('>').unwrap_or(t)),
    };
    let rate = parse_value(number.trim_end_matches("V/s"))?;
    if rate <= 0.0 {
        return Err(format!("'{text}': the rate must be > 0 (V/s)"));
    }
    Ok(if below {
        RateBound::Below(rate)
    } else {
        RateBound::Above(rate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_parse_and_bad_ones_say_why() {
        assert_eq!(parse_pair("-0.5,2"), Ok((-0.5, 2.0)));
        assert!(parse_pair("2,1").unwrap_err().contains("below"));
        assert_eq!(parse_clock("-1e-9,1e-6"), Ok((-1e-9, 1e-6)));
        assert!(parse_clock("0,0").unwrap_err().contains("period"));
        assert_eq!(parse_references("20,80"), Ok([20.0, 50.0, 80.0]));
        assert!(parse_references("80,20").is_err());
        assert_eq!(parse_below("<20ns"), Ok(Span::Seconds(20e-9)));
        assert_eq!(parse_below("5"), Ok(Span::Samples(5)));
        assert_eq!(
            parse_bound("1us..2us"),
            Ok(SpanBound::Between(Span::Seconds(1e-6), Span::Seconds(2e-6)))
        );
        assert!(parse_bound("1us").is_err());
        assert_eq!(parse_rate_bound(">1e6"), Ok(RateBound::Above(1e6)));
        assert_eq!(parse_rate_bound("<2e3V/s"), Ok(RateBound::Below(2e3)));
    }
}
