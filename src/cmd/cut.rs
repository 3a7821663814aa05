//! Cut-outs: what `slice` starts from (the open input, its range and channels), and the
//! cut-outs around events (one `slice` per event) that `find --around` and
//! `slice --events` write.

use super::slice;
use crate::cli::{EventCutArgs, FindArgs, SliceArgs};
use crate::loader::{self, Pick, Trace, TraceInfo};
use crate::output;
use crate::units::{self, Span};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What both slice writers (samples, logic formats) start from: the open input, its
/// range and the channels to keep (`--channel`, resolved, or every channel).
pub(super) struct Cut {
    pub trace: Trace,
    pub info: TraceInfo,
    pub start: u64,
    pub end: Option<u64>,
    pub channels: Vec<usize>,
    pub picks: Vec<Pick>,
}

impl Cut {
    pub fn open(args: &SliceArgs, quiet: bool) -> Result<Cut> {
        let trace = loader::open(&args.input.open_options())?;
        super::warn_all(&trace.info.warnings, quiet);
        output::refuse_overwrite(args.input.file.as_deref(), &args.output)?;
        let info = trace.info.clone();
        let (start, end) = args
            .range
            .resolve(info.samples, info.sample_rate)
            .with_context(|| info.path.clone())?;
        let channels = channels(args, &info)?;
        let picks = channels.iter().map(|&k| Pick::channel(k)).collect();
        Ok(Cut {
            trace,
            info,
            start,
            end,
            channels,
            picks,
        })
    }
}

/// `--channel`, resolved (indices or names), or every channel. On complex input each choice
/// is a complex channel (an index counts them; a name may be either part's) and both of
/// its columns, I then Q, are kept.
fn channels(args: &SliceArgs, info: &TraceInfo) -> Result<Vec<usize>> {
    if info.complex && !args.channel.is_empty() {
        let mut out = Vec::new();
        for choice in &args.channel {
            let picks = super::picks(info, Some(choice))?;
            out.extend(picks.iter().map(|p| p.channel));
        }
        return Ok(out);
    }
    if args.channel.is_empty() {
        return Ok((0..info.channels.len()).collect());
    }
    Ok(args
        .channel
        .iter()
        .map(|c| info.resolve_channel(c))
        .collect::<Result<_, _>>()?)
}

/// How `around_events` cuts: every cut-out is `template` (input, `--channel`, `--to`,
/// `--step`) with its own range, `around` samples either side of its event, kept inside
/// `bounds` (start, and end when known), written as `dir/event-N.ext`.
pub(super) struct EventCuts<'a> {
    pub template: SliceArgs,
    pub around: u64,
    pub bounds: (u64, Option<u64>),
    pub dir: &'a Path,
    pub ext: &'a str,
}

/// Write one cut-out per event `(N, sample)`: samples `sample - around ..= sample + around`
/// clamped to the bounds, as `DIR/event-N.EXT` (N six digits), through `slice`, so the
/// formats are slice's and the rate, start time, names and units travel.
pub(super) fn around_events(cuts: &EventCuts<'_>, events: &[(usize, u64)]) -> Result<()> {
    let dir = cuts.dir;
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let (lo, hi) = cuts.bounds;
    for &(n, sample) in events {
        let a = sample.saturating_sub(cuts.around).max(lo);
        let b = sample.saturating_add(cuts.around).saturating_add(1);
        let b = hi.map_or(b, |t| b.min(t));
        let args = SliceArgs {
            range: units::parse_range(&format!("{a}..{b}"))?,
            output: dir.join(format!("event-{n:06}.{}", cuts.ext)),
            events: EventCutArgs::default(),
            ..cuts.template.clone()
        };
        slice::run(&args, true)?;
    }
    Ok(())
}

/// `--around T` in samples, for an input that can be read again (a file, not a stream).
pub(super) fn around(t: Span, info: &TraceInfo) -> Result<u64> {
    let path = info.path.as_str();
    if info.file_size.is_none() {
        bail!(
            "{path}: --around cuts from the input again, which standard input cannot give; save the stream to a file"
        );
    }
    t.to_samples(info.sample_rate).with_context(|| {
        format!("{path}: --around uses a time, but the sample rate is unknown: pass -r RATE")
    })
}

/// `find --around T -o DIR`: a cut-out of the channels searched around each event found
/// (`found`: their samples, in the order listed), within the capture.
pub(super) fn after_find(
    args: &FindArgs,
    info: &TraceInfo,
    around: u64,
    dir: &Path,
    found: &[u64],
) -> Result<()> {
    let template = SliceArgs {
        range: units::parse_range("..")?,
        input: args.input.clone(),
        output: dir.to_path_buf(),
        to: None,
        step: 1,
        channel: args.channel.iter().cloned().collect(),
        events: EventCutArgs::default(),
    };
    let cuts = EventCuts {
        template,
        around,
        bounds: (0, info.samples),
        dir,
        ext: &args.cut_format,
    };
    let numbered: Vec<(usize, u64)> = (1..).zip(found.iter().copied()).collect();
    around_events(&cuts, &numbered)
}

/// `slice RANGE FILE --events LIST --around T -o DIR`: a cut-out around each event of LIST
/// (find's output, any format) that lies in RANGE, kept inside RANGE, numbered by the
/// event's place in the list.
pub(super) fn from_list(args: &SliceArgs, list: &Path) -> Result<()> {
    let info = loader::open(&args.input.open_options())?.info;
    let path = info.path.as_str();
    let (start, end) = args
        .range
        .resolve(info.samples, info.sample_rate)
        .with_context(|| info.path.clone())?;
    let Some(t) = args.events.around else {
        bail!("{path}: --events needs --around T, how far either side to cut");
    };
    let around = around(t, &info)?;
    let inside = |s: u64| s >= start && end.is_none_or(|e| s < e);
    let events: Vec<(usize, u64)> = read_events(list)?
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| inside(s))
        .map(|(i, s)| (i + 1, s))
        .collect();
    let cuts = EventCuts {
        template: args.clone(),
        around,
        bounds: (start, end.or(info.samples)),
        dir: &args.output,
        ext: &args.events.cut_format,
    };
    around_events(&cuts, &events)
}

/// The sample of each event of a list `find` wrote (text, CSV with its header, or JSON
/// Lines: the sample comes first in each), in order; `-` reads standard input.
fn read_events(list: &Path) -> Result<Vec<u64>> {
    let name = list.display().to_string();
    let reader: Box<dyn BufRead> = if list == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(list).with_context(|| name.clone())?,
        ))
    };
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| name.clone())?;
        let line = line.trim();
        let first = line.split([',', ' ', '\t']).next().unwrap_or("");
        if line.is_empty() || (n == 0 && first == "sample") {
            continue;
        }
        let sample = if line.starts_with('{') {
            serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("sample")?.as_u64())
        } else {
            first.parse::<u64>().ok()
        };
        let Some(sample) = sample else {
            bail!(
                "{name}:{}: expected an event of find's output (its sample number first), got '{line}'",
                n + 1
            );
        };
        out.push(sample);
    }
    Ok(out)
}
