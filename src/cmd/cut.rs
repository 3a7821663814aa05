//! Cut-outs: what `slice` starts from (the open input, its range and channels), and the
//! cut-outs around events that `find --around` writes (one `slice` per event).

use super::slice;
use crate::cli::{InputArgs, SliceArgs};
use crate::loader::{self, ChannelRef, Pick, Trace, TraceInfo};
use crate::output;
use crate::units;
use anyhow::{Context, Result};
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

/// Write one cut-out per event: samples `sample - around ..= sample + around` (clamped to
/// the capture's `total` samples when known) of `channels` (all when empty), as
/// `DIR/event-N.EXT` (N from 1, the event's place in the list, six digits), through `slice`,
/// so the formats are slice's and the rate, start time, names and units travel.
pub(super) fn around_events(
    input: &InputArgs,
    channels: &[ChannelRef],
    events: &[u64],
    (around, total): (u64, Option<u64>),
    dir: &Path,
    ext: &str,
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    for (n, &sample) in events.iter().enumerate() {
        let a = sample.saturating_sub(around);
        let b = sample.saturating_add(around).saturating_add(1);
        let b = total.map_or(b, |t| b.min(t));
        let args = SliceArgs {
            range: units::parse_range(&format!("{a}..{b}"))?,
            input: input.clone(),
            output: dir.join(format!("event-{:06}.{ext}", n + 1)),
            to: None,
            step: 1,
            channel: channels.to_vec(),
        };
        slice::run(&args, true)?;
    }
    Ok(())
}
