//! Cut-outs: what `slice` starts from (the open input, its range and channels).

use crate::cli::SliceArgs;
use crate::loader::{self, Pick, Trace, TraceInfo};
use crate::output;
use anyhow::{Context, Result};

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
        let channels: Vec<usize> = if args.channel.is_empty() {
            (0..info.channels.len()).collect()
        } else {
            args.channel
                .iter()
                .map(|c| info.resolve_channel(c))
                .collect::<Result<_, _>>()?
        };
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
