//! Streaming Welch power spectrum, equal to `scipy.signal.welch` in f64.
//!
//! Definition (scipy's, with `nperseg = nfft`, `return_onesided=True`): segment `j` is
//! samples `j·hop .. j·hop + nfft` with `hop = nfft - overlap`; a trailing partial segment is
//! dropped. Each segment is detrended (mean removed, or not), multiplied by the periodic
//! window `w`, transformed, and `|X_k|²` is scaled by `1/(fs·Σw²)` (density) or `1/(Σw)²`
//! (spectrum). The one-sided spectrum doubles every bin except DC and, for even `nfft`,
//! Nyquist. `Average::Mean` averages segments (scipy `average="mean"`); `Average::Max` keeps
//! the element-wise maximum of the same per-segment one-sided scaled spectra (max-hold; scipy
//! has no such mode).
//!
//! Streaming: [`Welch::feed`] takes consecutive chunks of any size. The complete segments of
//! a chunk are transformed on the rayon pool straight from it, in its own sample type
//! (widened to f64 as each segment is windowed): a copy of every sample into an f64 buffer
//! cost as much memory traffic as the FFTs themselves. Only what a chunk leaves over (less
//! than a segment, or, for short chunks, the segments of up to a quarter batch) is kept,
//! widened, in a buffer, together with the first `nfft - 1` samples of the next chunk so that
//! the segments straddling the two are whole; holding a whole batch there made half of every
//! 1 Mi-sample chunk a serial copy. Memory is therefore about a batch (`batch` segments,
//! about 2^20 samples) plus the lanes, whatever the input size. The FFT is planned once; each lane owns its
//! input, output, scratch and accumulator buffers, so nothing is allocated per segment.
//!
//! Tone metrics: with [`WelchConfig::tone_metrics`], every `m`-th segment (`m = ⌊nfft/hop⌋`,
//! the sparsest subset of the segments that still covers every sample: 2 for 50% overlap, 1
//! for none) is also windowed with [`METRICS_WINDOW`] (Kaiser β = 38, sidelobes below
//! −290 dBc: no tone leaks into the other bins) and transformed with the same plan, scratch
//! and buffers into a second accumulator. The result is [`Spectrum::metrics`], the mean
//! Kaiser-38 spectrum of those segments in the same units (scipy `welch` with that window
//! and `noverlap = nfft − m·hop`), from which [`tone_metrics`](super::metrics::tone_metrics)
//! reads SNR, THD, SINAD, SFDR and ENOB whatever `window` and `average` the displayed
//! spectrum uses. The displayed spectrum is computed exactly as without it (bit for bit).
//! Cost: one more window multiply and FFT per `m` segments (none when `window` already is
//! [`METRICS_WINDOW`] and `average` is `Mean`: the spectrum is its own metrics spectrum).
//! Kaiser-38 segments overlapping by 50% are uncorrelated (their windows' overlap
//! correlation is 1e-9), so the skipped ones would only have added independent averages to
//! an estimate whose noise is already ~`sqrt(3.5/(bins·segments))` relative (0.01 dB for
//! nfft 8192 and 2^20 samples).
//!
//! Determinism: the segments' |X|² are summed by a fixed dyadic tree over their absolute
//! index `g` ([`Welch::first_segment`] + the segment's place in the run): node `(k, j)` is
//! the sum of segments `j·2^k .. (j+1)·2^k − 1`, always formed as left child + right child
//! ([`PowerTree`]). Segment `g` goes to lane `(g mod batch)/share` with `share` a power of
//! two, so each lane's group is one aligned node, built in a binary-counter stack of
//! O(log share) rows (a leaf whose left sibling is the lane's last node is added straight
//! into that row by the transform; the rest is one row addition per node, about half a row
//! pass per segment); completed groups join the run's tree in order, and the result folds
//! the tree's nodes first to last. The sum is therefore bit-identical for any chunking, any
//! thread count, and any split of the segments into runs whose [`PowerSums`] are merged
//! ([`PowerTree::extend`]); a segment's mean is the same sum of hop-long blocks however it
//! is reached. Max-hold is exact in any order; the tone-metrics spectrum is summed per
//! lane (chunk-independent, not split-independent).

use crate::sample::Sample;
use crate::sample::sink::ChannelSink;
use std::sync::Arc;

use rayon::prelude::*;

use super::DspError;
use super::power_fft::{Power, PowerBuffers, PowerFft};
use super::segment::{self, RunningMean};
use super::segment_stream::{SegmentStream, Stream, with_samples};
use super::window::{Window, WindowKind};

/// Smallest accepted `nfft` (SPEC `fft`).
pub const MIN_NFFT: usize = 16;

/// The window of the spectrum tone metrics are computed from (MATLAB's `snr`, `sinad`, `thd`
/// and `sfdr` use the same): its sidelobes are below −290 dB, under the rounding noise of f64
/// samples, so a tone's power stays in its main lobe of ±12.1 bins
/// ([`main_lobe_half_width`](WindowKind::main_lobe_half_width) 13) wherever it falls between
/// bins.
pub const METRICS_WINDOW: WindowKind = WindowKind::Kaiser { beta: 38.0 };

/// Samples worth of segments per batch: large enough that one parallel dispatch carries
/// about a millisecond of work, small enough (the left-over buffer: 8 MiB of f64) to stay out
/// of the way. The spectrogram batches the same way.
pub(super) const BATCH_SAMPLES: usize = 1 << 20;

/// Fewest complete segments worth a parallel dispatch: a quarter batch's samples (or the
/// whole batch, if fewer). Up to that many are held back between chunks, so a stream fed in
/// tiny chunks is still transformed in batches.
pub(super) fn min_run(hop: usize, batch: usize) -> usize {
    (BATCH_SAMPLES / 4 / hop).clamp(1, batch)
}

/// Above this nfft the lanes are reduced so that their buffers (about 4 nfft-sized f64
/// arrays each) stay near 128 MiB in total.
const LANE_SAMPLES: usize = 1 << 22;

crate::named_enum! {
    /// What is removed from each segment before windowing.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Detrend {
        /// Subtract the segment mean (scipy `detrend="constant"`).
        Mean = "mean",
        /// Leave the segment as is (scipy `detrend=False`).
        None = "none",
    }
}

crate::named_enum! {
    /// Units of the output.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Scaling {
        /// Power spectral density, V²/Hz (V² per cycle/sample without a rate).
        Density = "density",
        /// Power spectrum, V²: a bin-centred tone reads its power A²/2.
        Spectrum = "spectrum",
    }
}

crate::named_enum! {
    /// How segments are combined.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Average {
        /// Arithmetic mean (scipy `average="mean"`).
        Mean = "mean",
        /// Max-hold: per-bin maximum over segments.
        Max = "max",
    }
}

/// Everything that defines a Welch run.
#[derive(Debug, Clone, PartialEq)]
pub struct WelchConfig {
    /// Segment length and FFT size (scipy `nperseg = nfft`), at least [`MIN_NFFT`].
    pub nfft: usize,
    /// Samples shared by consecutive segments, `0 ≤ overlap < nfft`.
    pub overlap: usize,
    /// Window applied to each segment.
    pub window: WindowKind,
    /// Per-segment detrending.
    pub detrend: Detrend,
    /// Output units.
    pub scaling: Scaling,
    /// Segment combination.
    pub average: Average,
    /// Samples per second; `None` means frequencies in cycles/sample (scipy `fs=1`).
    pub sample_rate: Option<f64>,
    /// Also accumulate [`Spectrum::metrics`], the [`METRICS_WINDOW`] spectrum that tone
    /// metrics are read from: one more window multiply and FFT per `⌊nfft/hop⌋` segments.
    pub tone_metrics: bool,
}

impl WelchConfig {
    fn validate(&self) -> Result<(), DspError> {
        if self.nfft < MIN_NFFT {
            return Err(DspError::NfftTooSmall {
                min: MIN_NFFT,
                got: self.nfft,
            });
        }
        if self.overlap >= self.nfft {
            return Err(DspError::OverlapTooLarge {
                nfft: self.nfft,
                got: self.overlap,
            });
        }
        if let Some(rate) = self.sample_rate
            && !(rate.is_finite() && rate > 0.0)
        {
            return Err(DspError::SampleRate { got: rate });
        }
        Ok(())
    }

    /// Whether tone metrics need a second transform per segment: not when the displayed
    /// spectrum already is the mean [`METRICS_WINDOW`] spectrum.
    fn second_transform(&self) -> bool {
        self.tone_metrics && !(self.window == METRICS_WINDOW && self.average == Average::Mean)
    }
}

/// The averaged one-sided spectrum and what it took to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    /// Bin frequencies `k·fs/nfft`, `k = 0..=nfft/2` (Hz, or cycles/sample without a rate).
    pub freqs: Vec<f64>,
    /// Power per bin in the units of `scaling`.
    pub power: Vec<f64>,
    /// Number of segments combined.
    pub segments: u64,
    /// Samples fed (including those of the dropped partial segment).
    pub samples: u64,
    /// Segment and FFT length.
    pub nfft: usize,
    /// Overlap in samples.
    pub overlap: usize,
    /// Rate used for the frequency axis, if known.
    pub sample_rate: Option<f64>,
    /// Window applied.
    pub window: WindowKind,
    /// Units of `power`.
    pub scaling: Scaling,
    /// How segments were combined.
    pub average: Average,
    /// Bin spacing `fs/nfft` (Hz, or cycles/sample).
    pub resolution: f64,
    /// Equivalent noise bandwidth of the window in bins, `nfft·Σw²/(Σw)²`.
    pub enbw_bins: f64,
    /// Equivalent noise bandwidth `enbw_bins · resolution` (Hz, or cycles/sample).
    pub enbw: f64,
    /// Window coherent gain Σw/nfft (amplitude of a bin-centred tone is scaled by it).
    pub coherent_gain: f64,
    /// With [`WelchConfig::tone_metrics`]: the mean spectrum with [`METRICS_WINDOW`] of
    /// every `⌊nfft/hop⌋`-th segment (see the module doc), in the same `scaling`, with its own
    /// `window`, `average` (mean), `segments`, `overlap`, ENBW and coherent gain, and no
    /// `metrics` of its own. Tone metrics are computed from it.
    pub metrics: Option<Box<Spectrum>>,
}

/// One lane's private buffers: a fixed share of every batch is transformed and summed here.
struct Lane {
    buffers: PowerBuffers,
    means: RunningMean,
    /// Max-hold of the lane's segments (`Average::Max` only).
    accumulator: Vec<f64>,
    /// Σ|X|² of the segments of the lane's group in progress, as tree nodes (`Average::Mean`).
    tree: PowerTree,
    /// The nodes of the group the lane completed during the current piece, with its number.
    done: Option<(u64, PowerTree)>,
    /// Spare rows of nfft/2 + 1 values.
    spare: Vec<Vec<f64>>,
    /// Σ|X|² with the metrics window; empty when no second transform is made.
    metrics_accumulator: Vec<f64>,
}

#[cfg(test)]
mod metrics_subset_tests {
    use super::*;

    #[test]
    fn the_metrics_subset_is_counted_as_it_is_taken() {
        for stride in [1, 2, 3] {
            for segments in [0, 1, 5, 511, 512, 513, 520, 700, 10_000] {
                let taken = (0..segments)
                    .filter(|&i| is_metrics_segment(i, stride))
                    .count() as u64;
                assert_eq!(
                    metrics_segments(segments, stride),
                    taken,
                    "{segments} / {stride}"
                );
            }
        }
    }
}

/// A node of the fixed summation tree over absolute segment indices: the Σ|X|² of the
/// 2^`level` segments `index·2^level ..= index·2^level + 2^level − 1`, always formed as the
/// sum of its two children, so its bits do not depend on how the segments were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerNode {
    pub level: u32,
    pub index: u64,
    pub power: Vec<f64>,
}

impl PowerNode {
    /// The first segment it covers.
    pub fn first(&self) -> u64 {
        self.index << self.level
    }

    /// One past the last segment it covers.
    pub fn end(&self) -> u64 {
        (self.index + 1) << self.level
    }
}

/// The Σ|X|² of a run of consecutive segments as its canonical decomposition: the fewest
/// aligned tree nodes that tile it, in order (a binary counter that may start anywhere;
/// O(log n) rows). Pushing the nodes of the run that follows combines siblings bottom-up,
/// so any split of a run on segment boundaries ends in the same nodes with the same bits,
/// and [`PowerTree::total`] folds them in one fixed order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PowerTree {
    nodes: Vec<PowerNode>,
}

impl PowerTree {
    /// The nodes, first segments first.
    pub fn nodes(&self) -> &[PowerNode] {
        &self.nodes
    }

    /// Rebuild a tree from the nodes of [`PowerTree::nodes`] (each must follow the last);
    /// an error for nodes out of order or of different lengths.
    pub fn from_nodes(nodes: Vec<PowerNode>) -> Result<PowerTree, String> {
        let mut tree = PowerTree::default();
        for node in nodes {
            tree.append(node)?;
        }
        Ok(tree)
    }

    /// Append the node that covers the segments right after this tree's last one.
    pub fn append(&mut self, node: PowerNode) -> Result<(), String> {
        if let Some(last) = self.nodes.last()
            && (last.end() != node.first() || last.power.len() != node.power.len())
        {
            return Err(format!(
                "segments {}..{} cannot follow {}..{}",
                node.first(),
                node.end(),
                last.first(),
                last.end()
            ));
        }
        self.push(node, &mut Vec::new());
        Ok(())
    }

    /// Append every node of `later` (which starts where this tree ends).
    pub fn extend(&mut self, later: PowerTree) -> Result<(), String> {
        later.nodes.into_iter().try_for_each(|n| self.append(n))
    }

    /// Push the node that follows the last one, combining it with its left sibling while
    /// there is one; rows freed go to `spare`.
    fn push(&mut self, mut node: PowerNode, spare: &mut Vec<Vec<f64>>) {
        loop {
            match self.nodes.last_mut() {
                Some(top)
                    if node.index % 2 == 1
                        && top.level == node.level
                        && top.index + 1 == node.index =>
                {
                    add_row(&mut top.power, &node.power);
                    spare.push(node.power);
                    node = self.nodes.pop().expect("the top was just seen");
                    node.level += 1;
                    node.index /= 2;
                }
                _ => {
                    self.nodes.push(node);
                    return;
                }
            }
        }
    }

    /// The sum of every segment's |X|²: the nodes added first to last. None when empty.
    pub fn total(&self) -> Option<Vec<f64>> {
        let (first, rest) = self.nodes.split_first()?;
        let mut total = first.power.clone();
        for node in rest {
            add_row(&mut total, &node.power);
        }
        Some(total)
    }
}

/// `left += right`, bin by bin (a tree node from its two children).
fn add_row(left: &mut [f64], right: &[f64]) {
    for (a, b) in left.iter_mut().zip(right) {
        *a += *b;
    }
}

/// The summed (or max-held) raw |X|² of a run, before scaling: what [`Welch::finish_sums`]
/// returns and [`Welch::spectrum_of`] turns into a spectrum.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerSums {
    /// `Average::Mean`: the canonical tree of Σ|X|² (empty for `Average::Max`).
    pub tree: PowerTree,
    /// `Average::Max`: the per-bin maximum of |X|².
    pub max: Option<Vec<f64>>,
    pub segments: u64,
    pub samples: u64,
}

/// The planned transform and the lanes that apply it to whole batches.
struct Engine {
    fft: Arc<PowerFft>,
    /// Shared by every run of a [`Welch::many`], like the plan.
    window: Arc<Window>,
    /// The [`METRICS_WINDOW`] when a second transform is wanted.
    metrics_window: Option<Arc<Window>>,
    /// Segments whose index (from the start of the run) is a multiple of this are also
    /// transformed with the metrics window: `max(1, ⌊nfft/hop⌋)` (see [`is_metrics_segment`]).
    metrics_stride: u64,
    detrend: Detrend,
    average: Average,
    hop: usize,
    /// Segments per batch: `share` (a power of two) per lane.
    batch: usize,
    lanes: Vec<Lane>,
    /// Absolute index of the run's first segment (its place in the summation tree).
    origin: u64,
    /// Σ|X|² of the lanes' completed groups, in order.
    tree: PowerTree,
    spare: Vec<Vec<f64>>,
}

impl Engine {
    /// Transforms segments `first .. first + count` of the run (`stream` starts at segment
    /// `first`'s first sample). Segment `g` (absolute index, see [`Engine::origin`]) always
    /// goes to lane `(g mod batch) / share`, which sums the aligned group of `share` (a power
    /// of two) segments it belongs to as tree nodes; the groups' nodes join the run's tree in
    /// order. A call is cut into pieces of at most a batch, so a lane completes at most one
    /// group per piece.
    fn run<T: Sample>(&mut self, stream: &Stream<'_, T>, first: u64, count: usize) {
        let mut done = 0;
        while done < count {
            let piece = (count - done).min(self.batch);
            self.run_piece(stream, first, done, piece);
            self.gather();
            done += piece;
        }
    }

    /// Segments `first + from .. first + from + count` (`count` ≤ batch).
    fn run_piece<T: Sample>(
        &mut self,
        stream: &Stream<'_, T>,
        first: u64,
        from: usize,
        count: usize,
    ) {
        let share = (self.batch / self.lanes.len()) as u64;
        let batch = self.batch as u64;
        let origin = self.origin;
        let fft = self.fft.as_ref();
        let window = self.window.coefficients();
        let metrics_window = self.metrics_window.as_deref().map(Window::coefficients);
        let stride = self.metrics_stride;
        let (detrend, average) = (self.detrend, self.average);
        // Rows freed by the tree go back to the lanes (a group takes up to log2(share) + 1
        // rows, one of which leaves with it); the rest are dropped, so the rows in use stay
        // O(lanes · log(share) + log(segments)).
        let rows = share.ilog2() as usize + 2;
        for lane in &mut self.lanes {
            while lane.spare.len() < rows
                && let Some(row) = self.spare.pop()
            {
                lane.spare.push(row);
            }
        }
        self.spare.clear();
        self.lanes.par_iter_mut().enumerate().for_each(|(l, lane)| {
            let mut previous = None;
            for s in from..from + count {
                let index = first + s as u64;
                let g = origin + index;
                if (g % batch) / share != l as u64 {
                    continue;
                }
                let metrics = metrics_window.filter(|_| is_metrics_segment(index, stride));
                let follows = s > from && previous == Some(s - 1);
                previous = Some(s);
                with_samples!(stream.segment(0, s), |x| {
                    let mean = segment_mean(detrend, x, follows, lane);
                    transform(fft, window, metrics, mean, average, x, g, lane);
                });
                if average == Average::Mean && (g + 1).is_multiple_of(share) {
                    debug_assert!(lane.done.is_none(), "one group per lane per piece");
                    lane.done = Some((g / share, std::mem::take(&mut lane.tree)));
                }
            }
        });
    }

    /// Moves the groups the lanes completed into the run's tree, in order.
    fn gather(&mut self) {
        let mut done: Vec<(u64, PowerTree)> = self
            .lanes
            .iter_mut()
            .filter_map(|l| l.done.take())
            .collect();
        done.sort_by_key(|d| d.0);
        for (_, group) in done {
            for node in group.nodes {
                self.tree.push(node, &mut self.spare);
            }
        }
    }

    /// Moves the lanes' groups in progress (at most one holds anything once a run is
    /// over) into the run's tree.
    fn flush(&mut self) {
        let share = (self.batch / self.lanes.len()) as u64;
        let mut open: Vec<(u64, PowerTree)> = self
            .lanes
            .iter_mut()
            .filter(|l| !l.tree.nodes.is_empty())
            .map(|l| (l.tree.nodes[0].first() / share, std::mem::take(&mut l.tree)))
            .collect();
        open.sort_by_key(|d| d.0);
        for (_, group) in open {
            for node in group.nodes {
                self.tree.push(node, &mut self.spare);
            }
        }
    }
}

/// The metrics spectrum averages this many segments `stride` apart, then only every
/// [`SPARSE_METRICS`]-th of the later ones: a few hundred segments already pin the noise
/// level to 0.01 dB, and on a long capture the extra transforms would cost a third of the run
/// (with this, an eighth at most).
const DENSE_METRICS: u64 = 256;
const SPARSE_METRICS: u64 = 8;

/// Whether segment `index` of the run is also transformed for the tone metrics.
fn is_metrics_segment(index: u64, stride: u64) -> bool {
    let k = index / stride;
    index.is_multiple_of(stride) && (k < DENSE_METRICS || k.is_multiple_of(SPARSE_METRICS))
}

/// How many of the first `segments` segments [`is_metrics_segment`] takes.
fn metrics_segments(segments: u64, stride: u64) -> u64 {
    let k = segments.div_ceil(stride);
    match k.checked_sub(DENSE_METRICS) {
        None => k,
        Some(later) => {
            DENSE_METRICS + (later + DENSE_METRICS % SPARSE_METRICS).div_ceil(SPARSE_METRICS)
        }
    }
}

/// What detrending subtracts from `samples`, a segment that `follows` the lane's previous
/// one or not.
fn segment_mean<T: Sample>(detrend: Detrend, samples: &[T], follows: bool, lane: &mut Lane) -> f64 {
    match detrend {
        Detrend::Mean => lane.means.next(samples, follows),
        Detrend::None => 0.0,
    }
}

/// Detrends, windows and transforms segment `g` (absolute index) and folds its |X|² into
/// the lane: max-held, or as a leaf of the summation tree (added straight into its left
/// sibling's row when that is the lane's last node, else written to a row of its own); with
/// a metrics window, windows the same detrended samples again, transforms them with the
/// same plan, scratch and buffers, and adds that |X|² to the lane's metrics accumulator.
#[allow(clippy::too_many_arguments)]
fn transform<T: Sample>(
    fft: &PowerFft,
    window: &[f64],
    metrics_window: Option<&[f64]>,
    mean: f64,
    average: Average,
    samples: &[T],
    g: u64,
    lane: &mut Lane,
) {
    segment::apply_window(samples, mean, window, &mut lane.buffers.input);
    match average {
        Average::Max => fft.transform(&mut lane.buffers, Power::Max(&mut lane.accumulator)),
        Average::Mean => {
            let sibling = matches!(lane.tree.nodes.last(),
                Some(top) if g % 2 == 1 && top.level == 0 && top.index + 1 == g);
            if sibling {
                let mut node = lane.tree.nodes.pop().expect("the sibling was just seen");
                fft.transform(&mut lane.buffers, Power::Sum(&mut node.power));
                node.level = 1;
                node.index = g / 2;
                lane.tree.push(node, &mut lane.spare);
            } else {
                let bins = lane.buffers.input.len() / 2 + 1;
                let mut power = lane.spare.pop().unwrap_or_else(|| vec![0.0; bins]);
                fft.transform(&mut lane.buffers, Power::Write(&mut power));
                let node = PowerNode {
                    level: 0,
                    index: g,
                    power,
                };
                lane.tree.push(node, &mut lane.spare);
            }
        }
    }
    if let Some(window) = metrics_window {
        segment::apply_window(samples, mean, window, &mut lane.buffers.input);
        fft.transform(&mut lane.buffers, Power::Sum(&mut lane.metrics_accumulator));
    }
}

impl ChannelSink for Welch {
    fn take<T: Sample>(&mut self, _start: u64, samples: &[T]) {
        self.feed(samples);
    }
}

/// A Welch run: create with [`Welch::new`], [`feed`](Welch::feed) the samples in order, then
/// [`finish`](Welch::finish).
pub struct Welch {
    config: WelchConfig,
    engine: Engine,
    /// The segments of the samples fed so far, handed to the engine straight from each
    /// chunk.
    stream: SegmentStream,
    samples: u64,
}

impl Welch {
    /// Validates the configuration, plans the FFT and allocates every buffer of the run:
    /// a buffer of `batch·hop + nfft` samples (batch ≈ 2^20 / nfft segments)
    /// and, per lane (2 per rayon thread), four arrays of about nfft values (plus a second
    /// accumulator of nfft/2 + 1 with tone metrics).
    pub fn new(config: WelchConfig) -> Result<Welch, DspError> {
        let mut one = Welch::many(config, 1)?;
        Ok(one.pop().expect("many(_, 1) makes one run"))
    }

    /// `runs` Welch runs fed side by side (one per channel): one FFT plan and one window
    /// for all, and buffers sized so they share the memory and the cores of one run — a
    /// 1/runs share of the batch, and a single lane each once they outnumber the threads.
    pub fn many(config: WelchConfig, runs: usize) -> Result<Vec<Welch>, DspError> {
        config.validate()?;
        let nfft = config.nfft;
        let hop = nfft - config.overlap;
        let fft = Arc::new(PowerFft::new(nfft));
        let (lane_count, batch) = Self::shape(nfft, runs);
        let window = Arc::new(Window::new(config.window, nfft));
        let metrics_window = config
            .second_transform()
            .then(|| Arc::new(Window::new(METRICS_WINDOW, nfft)));
        let metrics_bins = if metrics_window.is_some() {
            nfft / 2 + 1
        } else {
            0
        };
        let run = || Welch {
            engine: Engine {
                fft: Arc::clone(&fft),
                window: Arc::clone(&window),
                metrics_window: metrics_window.clone(),
                metrics_stride: (nfft / hop).max(1) as u64,
                detrend: config.detrend,
                average: config.average,
                hop,
                batch,
                lanes: (0..lane_count)
                    .map(|_| Lane {
                        buffers: fft.buffers(),
                        means: RunningMean::new(nfft, hop),
                        accumulator: match config.average {
                            Average::Max => vec![0.0; nfft / 2 + 1],
                            Average::Mean => Vec::new(),
                        },
                        tree: PowerTree::default(),
                        done: None,
                        spare: Vec::new(),
                        metrics_accumulator: vec![0.0; metrics_bins],
                    })
                    .collect(),
                origin: 0,
                tree: PowerTree::default(),
                spare: Vec::new(),
            },
            config: config.clone(),
            stream: SegmentStream::new(1, nfft, hop, min_run(hop, batch)),
            samples: 0,
        };
        Ok((0..runs.max(1)).map(|_| run()).collect())
    }

    /// Lanes and segments per batch of one of `runs` runs side by side.
    fn shape(nfft: usize, runs: usize) -> (usize, usize) {
        let runs = runs.max(1);
        let threads = rayon::current_num_threads();
        let lanes = (2 * threads)
            .div_ceil(runs)
            .clamp(1, (LANE_SAMPLES / nfft).max(1));
        // A power-of-two share per lane: each lane's group of segments is one node of the
        // summation tree.
        let share = (BATCH_SAMPLES / runs / nfft)
            .max(1)
            .div_ceil(lanes)
            .next_power_of_two();
        (lanes, share * lanes)
    }

    /// Bytes one of `runs` runs side by side holds (the shared plan and window aside), so a
    /// caller can feed channels in groups that fit its memory.
    pub fn bytes_per_run(config: &WelchConfig, runs: usize) -> usize {
        let nfft = config.nfft.max(MIN_NFFT);
        let hop = nfft - config.overlap.min(nfft - 1);
        let (lanes, batch) = Self::shape(nfft, runs);
        let span = (batch - 1) * hop + nfft;
        let bins = nfft / 2 + 1;
        // The transform's buffers, an accumulator (max-hold, metrics) and the rows of the
        // lane's summation tree (log2(share) + 2, with its spares); the run's own tree holds
        // a row per set bit of the segment count (32 covers 2^32 segments).
        let row = 8 * bins + 64;
        let share = batch / lanes;
        let lane = PowerFft::buffer_bytes(nfft) + 2 * 8 * bins + (share.ilog2() as usize + 2) * row;
        8 * (span + nfft) + lanes * lane + 32 * row
    }

    /// Appends the next samples of the stream (any length, including 0 or 1). Every
    /// complete segment is transformed straight from `chunk` once there are at least
    /// a quarter batch's worth of them; what is left over (less than a segment, or a few
    /// segments of a short chunk) is kept, widened to f64, for the next call.
    pub fn feed<T: Sample>(&mut self, chunk: &[T]) {
        self.samples += chunk.len() as u64;
        let engine = &mut self.engine;
        self.stream.feed(&[chunk], |stream, first, count| {
            engine.run(stream, first, count)
        });
    }

    /// Number the segments from `first` on in the summation tree (default 0): runs over
    /// consecutive ranges of one capture, numbered by their first segment's place in it,
    /// give [`PowerSums`] whose trees [`PowerTree::extend`] into the exact sums of one run
    /// over the whole range. Call before feeding.
    pub fn first_segment(mut self, first: u64) -> Welch {
        self.engine.origin = first;
        self
    }

    /// Transforms the complete segments still buffered and moves every lane's sums into
    /// the run's tree.
    fn drain(&mut self) {
        let engine = &mut self.engine;
        self.stream
            .finish(|stream, first, count| engine.run(stream, first, count));
        self.engine.flush();
    }

    /// The raw sums of the run, unscaled: its canonical Σ|X|² tree (or the max-hold), to be
    /// merged exactly with other runs' and turned into a spectrum with
    /// [`Welch::spectrum_of`]. An error if not even one segment was complete.
    pub fn finish_sums(mut self) -> Result<PowerSums, DspError> {
        self.drain();
        if self.stream.segments() == 0 {
            return Err(DspError::TooShort {
                nfft: self.config.nfft,
                samples: self.samples,
            });
        }
        let max = (self.config.average == Average::Max).then(|| self.max_hold());
        Ok(PowerSums {
            tree: std::mem::take(&mut self.engine.tree),
            max,
            segments: self.stream.segments(),
            samples: self.samples,
        })
    }

    fn max_hold(&self) -> Vec<f64> {
        let mut power: Vec<f64> = vec![0.0; self.config.nfft / 2 + 1];
        for lane in &self.engine.lanes {
            for (p, a) in power.iter_mut().zip(&lane.accumulator) {
                *p = p.max(*a);
            }
        }
        power
    }

    /// The spectrum of raw sums (the [`PowerTree::total`] of Σ|X|², or the max-hold) of
    /// `segments` segments, in this run's configuration: what [`Welch::finish`] returns for
    /// its own sums.
    pub fn spectrum_of(&self, power: Vec<f64>, segments: u64) -> Spectrum {
        self.calibrate(
            power,
            (self.config.window, &self.engine.window),
            self.config.average,
            (segments, self.config.overlap),
        )
    }

    /// Transforms the complete segments still buffered and returns the averaged spectrum
    /// (with its [`metrics`](Spectrum::metrics) spectrum when asked for); an error if not
    /// even one segment was complete.
    pub fn finish(mut self) -> Result<Spectrum, DspError> {
        let nfft = self.config.nfft;
        self.drain();
        if self.stream.segments() == 0 {
            return Err(DspError::TooShort {
                nfft,
                samples: self.samples,
            });
        }
        let power = match self.config.average {
            Average::Mean => self
                .engine
                .tree
                .total()
                .unwrap_or_else(|| vec![0.0; nfft / 2 + 1]),
            Average::Max => self.max_hold(),
        };
        let mut spectrum = self.spectrum_of(power, self.stream.segments());
        if let Some(window) = &self.engine.metrics_window {
            let mut power = vec![0.0; nfft / 2 + 1];
            for lane in &self.engine.lanes {
                let bins = power.iter_mut().zip(&lane.metrics_accumulator);
                bins.for_each(|(p, a)| *p += a);
            }
            // Segments 0, m, 2m, … (then sparser): none overlap (m·hop ≥ nfft − hop... ≥ the
            // overlap they would have at stride m, which is what the report states).
            let stride = self.engine.metrics_stride;
            let segments = metrics_segments(self.stream.segments(), stride);
            let overlap = nfft - stride as usize * self.engine.hop;
            let metrics = self.calibrate(
                power,
                (METRICS_WINDOW, window),
                Average::Mean,
                (segments, overlap),
            );
            spectrum.metrics = Some(Box::new(metrics));
        } else if self.config.tone_metrics {
            spectrum.metrics = Some(Box::new(spectrum.clone()));
        }
        Ok(spectrum)
    }

    /// The spectrum of the summed (or max-held) raw |X|² `power` of `segments` segments
    /// overlapping by `overlap`, windowed with `window`: scaled to the configured units,
    /// averaged, one-sided.
    fn calibrate(
        &self,
        mut power: Vec<f64>,
        (kind, window): (WindowKind, &Window),
        average: Average,
        (segments, overlap): (u64, usize),
    ) -> Spectrum {
        let nfft = self.config.nfft;
        let fs = self.config.sample_rate.unwrap_or(1.0);
        let mut scale = match self.config.scaling {
            Scaling::Density => 1.0 / (fs * window.sum_squares()),
            Scaling::Spectrum => 1.0 / (window.sum() * window.sum()),
        };
        if average == Average::Mean {
            scale /= segments as f64;
        }
        // One-sided: every bin but DC and (even nfft) Nyquist also carries the negative
        // frequency's power.
        let doubled_end = if nfft.is_multiple_of(2) {
            nfft / 2
        } else {
            nfft / 2 + 1
        };
        for (k, p) in power.iter_mut().enumerate() {
            let fold = if (1..doubled_end).contains(&k) {
                2.0
            } else {
                1.0
            };
            *p *= scale * fold;
        }
        let resolution = fs / nfft as f64;
        let enbw_bins = window.enbw_bins();
        Spectrum {
            freqs: (0..power.len()).map(|k| k as f64 * resolution).collect(),
            power,
            segments,
            samples: self.samples,
            nfft,
            overlap,
            sample_rate: self.config.sample_rate,
            window: kind,
            scaling: self.config.scaling,
            average,
            resolution,
            enbw_bins,
            enbw: enbw_bins * resolution,
            coherent_gain: window.coherent_gain(),
            metrics: None,
        }
    }
}

/// Deterministic signals for the tests of this module and of `metrics`.
#[cfg(test)]
pub(super) mod test_signal {
    use super::super::synth::Rng;
    use std::f64::consts::PI;

    /// `Σ A·cos(2π·bin·n/nfft + phase)` plus white noise of standard deviation `sigma`,
    /// for tones given as (bin, amplitude); frequencies in bins of an `nfft` FFT.
    pub fn tones(len: usize, nfft: usize, tones: &[(f64, f64)], sigma: f64, seed: u64) -> Vec<f64> {
        let mut noise = Rng::new(seed);
        (0..len)
            .map(|n| {
                let t: f64 = tones
                    .iter()
                    .enumerate()
                    .map(|(i, (bin, amp))| {
                        amp * (2.0 * PI * bin * n as f64 / nfft as f64 + 0.3 * i as f64).cos()
                    })
                    .sum();
                t + sigma * noise.gaussian()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::synth::Rng;
    use super::test_signal::tones;
    use super::*;
    use std::f64::consts::PI;

    fn config(nfft: usize, overlap: usize, window: WindowKind) -> WelchConfig {
        WelchConfig {
            nfft,
            overlap,
            window,
            detrend: Detrend::Mean,
            scaling: Scaling::Density,
            average: Average::Mean,
            sample_rate: Some(1000.0),
            tone_metrics: false,
        }
    }

    fn welch_chunked(config: &WelchConfig, data: &[f64], chunk: usize) -> Spectrum {
        let mut welch = Welch::new(config.clone()).expect("valid test config");
        for part in data.chunks(chunk) {
            welch.feed(part);
        }
        welch.finish().expect("enough samples")
    }

    /// Welch written out directly from the scipy definition, with an O(n²) DFT.
    fn reference_welch(config: &WelchConfig, data: &[f64]) -> Vec<f64> {
        let n = config.nfft;
        let w = config.window.coefficients(n);
        let fs = config.sample_rate.unwrap_or(1.0);
        let scale = match config.scaling {
            Scaling::Density => 1.0 / (fs * w.iter().map(|v| v * v).sum::<f64>()),
            Scaling::Spectrum => 1.0 / w.iter().sum::<f64>().powi(2),
        };
        let (cos, sin): (Vec<f64>, Vec<f64>) = (0..n)
            .map(|i| {
                let a = 2.0 * PI * i as f64 / n as f64;
                (a.cos(), a.sin())
            })
            .unzip();
        let hop = n - config.overlap;
        let starts: Vec<usize> = (0..)
            .map(|j| j * hop)
            .take_while(|s| s + n <= data.len())
            .collect();
        let mut out = vec![0.0; n / 2 + 1];
        for &start in &starts {
            let seg = &data[start..start + n];
            let mean = match config.detrend {
                Detrend::Mean => seg.iter().sum::<f64>() / n as f64,
                Detrend::None => 0.0,
            };
            let x: Vec<f64> = seg.iter().zip(&w).map(|(s, w)| (s - mean) * w).collect();
            for (k, o) in out.iter_mut().enumerate() {
                let (mut re, mut im) = (0.0, 0.0);
                for (i, xi) in x.iter().enumerate() {
                    let t = (k * i) % n;
                    re += xi * cos[t];
                    im -= xi * sin[t];
                }
                let both_sides = k != 0 && !(n.is_multiple_of(2) && k == n / 2);
                let p = (re * re + im * im) * scale * if both_sides { 2.0 } else { 1.0 };
                match config.average {
                    Average::Mean => *o += p / starts.len() as f64,
                    Average::Max => *o = o.max(p),
                }
            }
        }
        out
    }

    #[test]
    fn equals_direct_reference_for_many_configs() {
        let cases = [
            (
                16,
                8,
                WindowKind::Hann,
                Detrend::Mean,
                Scaling::Density,
                Average::Mean,
            ),
            (
                100,
                37,
                WindowKind::Kaiser { beta: 8.6 },
                Detrend::None,
                Scaling::Spectrum,
                Average::Max,
            ),
            (
                1000,
                750,
                WindowKind::BlackmanHarris,
                Detrend::Mean,
                Scaling::Density,
                Average::Mean,
            ),
            (
                4096,
                0,
                WindowKind::Flattop,
                Detrend::Mean,
                Scaling::Spectrum,
                Average::Mean,
            ),
            (
                4096,
                2048,
                WindowKind::Hann,
                Detrend::Mean,
                Scaling::Density,
                Average::Max,
            ),
            (
                257,
                128,
                WindowKind::Rect,
                Detrend::None,
                Scaling::Density,
                Average::Mean,
            ),
            (
                64,
                63,
                WindowKind::Hamming,
                Detrend::Mean,
                Scaling::Spectrum,
                Average::Mean,
            ),
            (
                33,
                10,
                WindowKind::Blackman,
                Detrend::Mean,
                Scaling::Density,
                Average::Max,
            ),
        ];
        for (nfft, overlap, window, detrend, scaling, average) in cases {
            let cfg = WelchConfig {
                detrend,
                scaling,
                average,
                ..config(nfft, overlap, window)
            };
            // Three segments and a partial fourth; DC offset and a tone make detrend matter.
            let len = 3 * (nfft - overlap) + nfft - 1;
            let data: Vec<f64> = tones(len, nfft, &[(5.3, 2.0)], 1.0, nfft as u64)
                .iter()
                .map(|v| v + 0.7)
                .collect();
            let got = welch_chunked(&cfg, &data, 999);
            let want = reference_welch(&cfg, &data);
            assert_eq!(got.segments, 3, "{cfg:?}");
            let peak = want.iter().copied().fold(0.0, f64::max);
            for (k, (g, w)) in got.power.iter().zip(&want).enumerate() {
                assert!(
                    (g - w).abs() <= 1e-9 * w.abs() + 1e-14 * peak,
                    "{cfg:?} bin {k}: got {g}, want {w}"
                );
            }
        }
    }

    #[test]
    fn metrics_spectrum_leaves_the_displayed_one_bit_identical() {
        // Every window, both averages and scalings, odd and even nfft: asking for tone
        // metrics changes nothing of the spectrum itself, and the metrics spectrum is the
        // mean Kaiser-38 Welch spectrum of the same segments (direct reference).
        let windows = [
            WindowKind::Hann,
            WindowKind::Hamming,
            WindowKind::Blackman,
            WindowKind::BlackmanHarris,
            WindowKind::Flattop,
            WindowKind::Rect,
            WindowKind::Kaiser { beta: 8.6 },
            METRICS_WINDOW,
        ];
        for (i, window) in windows.into_iter().enumerate() {
            for (nfft, overlap, scaling, average) in [
                (256, 128, Scaling::Density, Average::Mean),
                (99, 30, Scaling::Spectrum, Average::Max),
                (200, 150, Scaling::Density, Average::Max),
                (100, 70, Scaling::Spectrum, Average::Mean),
            ] {
                let cfg = WelchConfig {
                    scaling,
                    average,
                    ..config(nfft, overlap, window)
                };
                let data = tones(20 * nfft + 7, nfft, &[(20.3, 1.0)], 0.01, i as u64);
                let plain = welch_chunked(&cfg, &data, 1000);
                let with = welch_chunked(
                    &WelchConfig {
                        tone_metrics: true,
                        ..cfg.clone()
                    },
                    &data,
                    1000,
                );
                let metrics = with.metrics.clone().expect("metrics spectrum asked for");
                assert_eq!(
                    Spectrum {
                        metrics: None,
                        ..with
                    },
                    plain,
                    "{cfg:?}"
                );
                // Every ⌊nfft/hop⌋-th segment: 256/128 → 2 (overlap 0), 99/69 → 1,
                // 200/50 → 4 (overlap 0), 100/30 → 3 (overlap 10); all of them when the
                // spectrum is its own metrics spectrum.
                let own = window == METRICS_WINDOW && average == Average::Mean;
                let stride = if own { 1 } else { nfft / (nfft - overlap) };
                let reference_cfg = WelchConfig {
                    window: METRICS_WINDOW,
                    average: Average::Mean,
                    overlap: nfft - stride * (nfft - overlap),
                    ..cfg.clone()
                };
                let want = reference_welch(&reference_cfg, &data);
                let peak = want.iter().copied().fold(0.0, f64::max);
                for (k, (g, w)) in metrics.power.iter().zip(&want).enumerate() {
                    assert!(
                        (g - w).abs() <= 1e-9 * w.abs() + 1e-14 * peak,
                        "{cfg:?} metrics bin {k}: got {g}, want {w}"
                    );
                }
                let kaiser = Window::new(METRICS_WINDOW, nfft);
                assert_eq!(
                    (metrics.window, metrics.average, metrics.scaling),
                    (METRICS_WINDOW, Average::Mean, scaling),
                    "{cfg:?}"
                );
                assert_eq!(metrics.overlap, reference_cfg.overlap);
                assert_eq!(metrics.segments, plain.segments.div_ceil(stride as u64));
                assert_eq!(metrics.enbw_bins, kaiser.enbw_bins());
                assert_eq!(metrics.freqs, plain.freqs);
                assert_eq!(metrics.metrics, None);
            }
        }
    }

    #[test]
    fn kaiser_38_mean_is_its_own_metrics_spectrum() {
        let cfg = WelchConfig {
            tone_metrics: true,
            ..config(512, 256, METRICS_WINDOW)
        };
        let welch = Welch::new(cfg.clone()).expect("valid test config");
        assert!(welch.engine.metrics_window.is_none(), "no second transform");
        let s = welch_chunked(&cfg, &tones(8192, 512, &[(40.5, 1.0)], 0.1, 2), 8192);
        assert_eq!(
            s.metrics.as_deref(),
            Some(&Spectrum {
                metrics: None,
                ..s.clone()
            })
        );
        // Max-hold with the same window still needs the mean spectrum.
        let max = Welch::new(WelchConfig {
            average: Average::Max,
            ..cfg
        })
        .expect("valid test config");
        assert!(max.engine.metrics_window.is_some());
    }

    /// Sums of segments `a..b` of `data`, numbered from `a`, fed in chunks of `chunk`.
    fn sums(cfg: &WelchConfig, data: &[f64], (a, b): (usize, usize), chunk: usize) -> PowerSums {
        let hop = cfg.nfft - cfg.overlap;
        let mut welch = Welch::new(cfg.clone())
            .expect("valid test config")
            .first_segment(a as u64);
        for part in data[a * hop..(b - 1) * hop + cfg.nfft].chunks(chunk) {
            welch.feed(part);
        }
        welch.finish_sums().expect("enough samples")
    }

    /// Issue 19 item 2: the sums of any split of the segments on segment boundaries, each
    /// part fed in its own chunks and merged in any grouping, give the one-pass spectrum bit
    /// for bit (the summation tree is fixed by the absolute segment index, not by the lanes,
    /// the batches or the chunks).
    #[test]
    fn issue_19_split_sums_merge_to_one_pass_bits() {
        for cfg in [
            config(64, 32, WindowKind::Hann),
            WelchConfig {
                detrend: Detrend::None,
                ..config(63, 0, WindowKind::Hamming)
            },
            config(1000, 300, WindowKind::Hann),
        ] {
            let hop = cfg.nfft - cfg.overlap;
            let data = tones(
                3 * BATCH_SAMPLES / 2 + 777,
                cfg.nfft,
                &[(5.5, 1.0)],
                0.1,
                19,
            );
            let n = (data.len() - cfg.nfft) / hop + 1;
            let whole = welch_chunked(&cfg, &data, 1 << 20);
            let one = Welch::new(cfg.clone()).unwrap();
            for cuts in [
                vec![0, n],
                vec![0, 1, 2, n],
                vec![0, 5, 1027, n / 2, n - 1, n],
            ] {
                let parts: Vec<PowerSums> = cuts
                    .windows(2)
                    .enumerate()
                    .map(|(i, w)| sums(&cfg, &data, (w[0], w[1]), [1 << 20, 4096, 7][i % 3]))
                    .collect();
                assert_eq!(parts.iter().map(|p| p.segments).sum::<u64>(), n as u64);
                // In order, and the last ones first.
                let mut left = PowerTree::default();
                for p in &parts {
                    left.extend(p.tree.clone()).unwrap();
                }
                let mut right = PowerTree::default();
                for p in parts.iter().rev() {
                    let mut t = p.tree.clone();
                    t.extend(right).unwrap();
                    right = t;
                }
                assert_eq!(left, right);
                let got = one.spectrum_of(left.total().unwrap(), n as u64);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got.power), bits(&whole.power), "{cfg:?} {cuts:?}");
            }
            // Out of order: refused.
            let a = sums(&cfg, &data, (0, 4), 4096);
            let b = sums(&cfg, &data, (5, 9), 4096);
            assert!(a.tree.clone().extend(b.tree).is_err());
        }
    }

    #[test]
    fn identical_for_any_chunking() {
        // Over two full batches plus a partial one, so batch boundaries are crossed.
        let cfg = WelchConfig {
            average: Average::Mean,
            tone_metrics: true,
            ..config(1000, 300, WindowKind::Hann)
        };
        let batch_span = BATCH_SAMPLES / 1000 * 700;
        let data = tones(2 * batch_span + 12_345, 1000, &[(17.5, 1.0)], 0.1, 7);
        let whole = welch_chunked(&cfg, &data, data.len());
        assert_eq!(whole.segments, ((data.len() - 1000) / 700 + 1) as u64);
        assert!(whole.metrics.is_some());
        for chunk in [1, 7, 1000, 4096] {
            let got = welch_chunked(&cfg, &data, chunk);
            assert_eq!(got, whole, "chunk size {chunk}");
        }
        let max_cfg = WelchConfig {
            average: Average::Max,
            ..cfg
        };
        let whole = welch_chunked(&max_cfg, &data, data.len());
        assert_eq!(
            welch_chunked(&max_cfg, &data, 7),
            whole,
            "max-hold, chunk 7"
        );
        // Metrics every 3rd segment (hop 300), sparser after 256: batches of segments are not
        // multiples of 3.
        let third = WelchConfig {
            overlap: 700,
            ..max_cfg
        };
        let whole = welch_chunked(&third, &data, data.len());
        let metrics = whole
            .metrics
            .as_deref()
            .expect("metrics spectrum asked for");
        assert_eq!(
            (metrics.segments, metrics.overlap),
            (metrics_segments(whole.segments, 3), 100)
        );
        assert!(whole.segments > 2 * (BATCH_SAMPLES / 1000) as u64);
        for chunk in [7, 4096] {
            assert_eq!(
                welch_chunked(&third, &data, chunk),
                whole,
                "stride 3, chunk {chunk}"
            );
        }
    }

    #[test]
    fn f32_input_is_widened_exactly() {
        let cfg = config(64, 32, WindowKind::Hann);
        let data32: Vec<f32> = tones(1000, 64, &[(3.0, 1.0)], 0.5, 3)
            .iter()
            .map(|&v| v as f32)
            .collect();
        let data64: Vec<f64> = data32.iter().map(|&v| f64::from(v)).collect();
        let mut welch = Welch::new(cfg.clone()).expect("valid test config");
        welch.feed(&data32);
        assert_eq!(welch.finish(), Ok(welch_chunked(&cfg, &data64, 1000)));
    }

    #[test]
    fn bin_centred_tone_reads_its_power() {
        // Spectrum scaling: A = 2 at bin 100 reads A²/2 = 2 at 100·fs/nfft.
        let cfg = WelchConfig {
            scaling: Scaling::Spectrum,
            ..config(1024, 512, WindowKind::Hann)
        };
        let s = welch_chunked(&cfg, &tones(8192, 1024, &[(100.0, 2.0)], 0.0, 1), 8192);
        let (k, &p) = s
            .power
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("non-empty spectrum");
        assert_eq!(k, 100);
        assert!((p - 2.0).abs() < 1e-9, "peak {p}");
        assert!((s.freqs[k] - 100.0 * 1000.0 / 1024.0).abs() < 1e-9);
        assert_eq!(s.resolution, 1000.0 / 1024.0);
        assert!((s.enbw_bins - 1.5).abs() < 1e-12);
    }

    #[test]
    fn white_noise_density_is_two_sigma_squared_over_fs() {
        let (sigma, fs) = (0.5, 1000.0);
        let cfg = config(256, 128, WindowKind::Hann);
        let mut noise = Rng::new(42);
        let data: Vec<f64> = (0..400_000).map(|_| sigma * noise.gaussian()).collect();
        let s = welch_chunked(&cfg, &data, 65_536);
        let inner = &s.power[1..s.power.len() - 1];
        let mean = inner.iter().sum::<f64>() / inner.len() as f64;
        let want = 2.0 * sigma * sigma / fs;
        let error_db = 10.0 * (mean / want).log10();
        assert!(error_db.abs() < 0.2, "density off by {error_db} dB");
        // Parseval: integrating the density gives the variance.
        let total: f64 = s.power.iter().sum::<f64>() * s.resolution;
        assert!(
            (total / (sigma * sigma) - 1.0).abs() < 0.02,
            "total {total}"
        );
    }

    #[test]
    fn segment_count_and_errors() {
        let cfg = config(16, 4, WindowKind::Rect);
        let mut short = Welch::new(cfg.clone()).expect("valid test config");
        short.feed(&[1.0; 15]);
        assert_eq!(
            short.finish(),
            Err(DspError::TooShort {
                nfft: 16,
                samples: 15
            })
        );
        // 16 + 5·12 + 11 samples: six segments, the partial seventh dropped.
        let s = welch_chunked(&cfg, &[0.5; 87], 10);
        assert_eq!((s.segments, s.samples), (6, 87));
        for (bad, err) in [
            (
                config(15, 0, WindowKind::Hann),
                DspError::NfftTooSmall { min: 16, got: 15 },
            ),
            (
                config(16, 16, WindowKind::Hann),
                DspError::OverlapTooLarge { nfft: 16, got: 16 },
            ),
            (
                WelchConfig {
                    sample_rate: Some(0.0),
                    ..config(16, 0, WindowKind::Hann)
                },
                DspError::SampleRate { got: 0.0 },
            ),
        ] {
            assert_eq!(Welch::new(bad).err(), Some(err));
        }
    }
}
