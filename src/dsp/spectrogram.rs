//! A spectrogram in one streaming pass: a sample range laid onto `width` time columns, each
//! column the Welch average of the segments that start in it.
//!
//! Conventions are [`super::welch`]'s (scipy's): segment `j` is samples `start + j·hop ..
//! start + j·hop + nfft` with `hop = nfft - overlap`, and only segments that end within the
//! range count. Each is detrended (or not), multiplied by the periodic window `w`,
//! transformed, and `|X_k|²` is scaled by `1/(fs·Σw²)` (density) or `1/(Σw)²` (spectrum).
//! Real input gives the one-sided spectrum (every bin but DC and, for even `nfft`, Nyquist
//! doubled), `nfft/2 + 1` rows from 0 Hz up; complex (I/Q) input gives the two-sided
//! spectrum, `nfft` rows from `-fs/2` up with DC in row `nfft/2` (numpy's `fftshift` order).
//! Segment `j` belongs to the column of its first sample ([`ColumnMap`]); a column is the
//! mean of its segments, NaN when none starts in it (a column narrower than `hop`).
//!
//! Streaming and parallelism (as [`super::welch`]): the complete segments of each chunk are
//! transformed straight from it (`dsp::segment_stream`), segment `g` by lane `(g mod batch) /
//! share` of the rayon pool, which adds its |X|² into its own sum for the segment's column
//! (the fused pass of `dsp::power_fft`: no row is stored). When the lanes have
//! passed a column, their sums are added into the matrix in lane order. Which lane sums which
//! segment, and in what order, depends only on the segment's index, so the matrix is
//! bit-identical for any chunking; the lane count follows rayon's thread count, so a machine
//! with another core count may differ in the last bits (summation order only). Segments are
//! run a batch at a time, so at most a batch of column sums is in flight. The FFT is planned
//! once; a lane's sums are reused from column to column.

use std::sync::Arc;

use std::collections::VecDeque;

use rayon::prelude::*;
use realfft::num_complex::Complex;

use super::power_fft::{Power, PowerBuffers, PowerFft};
use rustfft::{Fft, FftPlanner};

use super::DspError;
use super::columns::ColumnMap;
use super::segment::{self, RunningMean};
use super::segment_stream::{SegmentStream, Stream, with_samples};
use super::welch::{BATCH_SAMPLES, Detrend, MIN_NFFT, Scaling, min_run};
use super::window::{Window, WindowKind};
use crate::sample::Sample;
use crate::sample::sink::{Sink, SinkError};

/// Real samples or I/Q pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Real samples: one-sided spectrum.
    Real,
    /// Complex samples given as I and Q: two-sided spectrum, centred.
    Complex,
}

impl InputKind {
    fn name(self) -> &'static str {
        match self {
            InputKind::Real => "real",
            InputKind::Complex => "complex",
        }
    }

    fn signals(self) -> usize {
        match self {
            InputKind::Real => 1,
            InputKind::Complex => 2,
        }
    }
}

/// Everything that defines a spectrogram pass.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrogramConfig {
    /// First sample index of the range.
    pub start: u64,
    /// Samples in the range.
    pub len: u64,
    /// Time columns.
    pub width: usize,
    /// Segment length and FFT size, at least [`MIN_NFFT`].
    pub nfft: usize,
    /// Samples shared by consecutive segments, `0 ≤ overlap < nfft`.
    pub overlap: usize,
    /// Window applied to each segment.
    pub window: WindowKind,
    /// Per-segment detrending.
    pub detrend: Detrend,
    /// Output units.
    pub scaling: Scaling,
    /// Samples per second; `None` means frequencies in cycles/sample.
    pub sample_rate: Option<f64>,
    /// Real or complex input.
    pub input: InputKind,
}

impl SpectrogramConfig {
    fn validate(&self) -> Result<ColumnMap, DspError> {
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
        ColumnMap::new(self.start, self.len, self.width)
    }

    /// Frequency rows of the matrix: `nfft/2 + 1` (real) or `nfft` (complex).
    pub fn rows(&self) -> usize {
        match self.input {
            InputKind::Real => self.nfft / 2 + 1,
            InputKind::Complex => self.nfft,
        }
    }

    /// Bytes the pass holds, about: the matrix, the samples kept between chunks, the lanes,
    /// and the column sums of a batch in flight.
    pub fn bytes(&self) -> usize {
        let rows = self.rows();
        let nfft = self.nfft.max(1);
        let hop = nfft - self.overlap.min(nfft - 1);
        let (lanes, batch) = shape(nfft);
        let kept = (min_run(hop, batch) - 1) * hop + 2 * nfft;
        self.width * (rows * 8 + 4)
            + self.input.signals() * kept * 8
            + lanes * (8 * nfft + 3 * 16 * nfft)
            + (batch + lanes) * rows * 8
    }
}

/// Lanes (two per rayon thread) and segments per batch (a multiple of the lanes).
fn shape(nfft: usize) -> (usize, usize) {
    let lanes = 2 * rayon::current_num_threads().max(1);
    let batch = (BATCH_SAMPLES / nfft).max(1).div_ceil(lanes) * lanes;
    (lanes, batch)
}

/// The finished matrix: `columns × rows` powers, column-major (one column's rows together,
/// lowest frequency first).
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrogram {
    /// Time columns.
    pub columns: usize,
    /// Frequency rows (`nfft/2 + 1` real, `nfft` complex).
    pub rows: usize,
    /// `power[c·rows + r]`, in the units of `scaling`; NaN in a column without segments.
    pub power: Vec<f64>,
    /// Segments averaged per column.
    pub segments: Vec<u32>,
    /// Frequency of row 0 (0, or `-⌊nfft/2⌋·fs/nfft` for complex input).
    pub first_freq: f64,
    /// Row spacing `fs/nfft` (Hz, or cycles/sample without a rate).
    pub resolution: f64,
    /// The column layout (time span of each column).
    pub map: ColumnMap,
    /// Segment and FFT length.
    pub nfft: usize,
    /// Overlap in samples.
    pub overlap: usize,
    /// Window applied.
    pub window: WindowKind,
    /// Units of `power`.
    pub scaling: Scaling,
    /// Rate of the frequency axis, if known.
    pub sample_rate: Option<f64>,
    /// Real (one-sided) or complex (two-sided) input.
    pub input: InputKind,
}

impl Spectrogram {
    /// Frequency of row `row`.
    pub fn freq(&self, row: usize) -> f64 {
        self.first_freq + row as f64 * self.resolution
    }

    /// One column's rows.
    pub fn column(&self, column: usize) -> &[f64] {
        &self.power[column * self.rows..(column + 1) * self.rows]
    }

    /// The matrix in dB (`10·log10`), as f32, same layout; −∞ for zero power, NaN where
    /// `power` is NaN.
    pub fn db(&self) -> Vec<f32> {
        self.power
            .par_iter()
            .map(|p| (10.0 * p.log10()) as f32)
            .collect()
    }
}

/// One lane's private FFT buffers.
enum LaneBuffers {
    Real(PowerBuffers, RunningMean),
    Complex {
        data: Vec<Complex<f64>>,
        scratch: Vec<Complex<f64>>,
    },
}

/// The planned transform of either kind.
#[derive(Clone)]
enum Plan {
    Real(Arc<PowerFft>),
    Complex(Arc<dyn Fft<f64>>),
}

impl Plan {
    fn lane(&self, nfft: usize, hop: usize) -> Lane {
        let buffers = match self {
            Plan::Real(fft) => LaneBuffers::Real(fft.buffers(), RunningMean::new(nfft, hop)),
            Plan::Complex(fft) => LaneBuffers::Complex {
                data: vec![Complex::default(); nfft],
                scratch: vec![Complex::default(); fft.get_inplace_scratch_len()],
            },
        };
        Lane {
            buffers,
            open: None,
            left: VecDeque::new(),
            spare: Vec::new(),
        }
    }
}

/// The |X|² sum of one lane's segments in one column.
struct Partial {
    column: usize,
    segments: u32,
    sum: Vec<f64>,
}

/// A worker: its FFT buffers and the partial sums of the columns its segments fell in.
struct Lane {
    buffers: LaneBuffers,
    /// The column of the lane's latest segment.
    open: Option<Partial>,
    /// Columns the lane has left, oldest first, not yet added into the matrix.
    left: VecDeque<Partial>,
    /// Zeroed sums to reuse.
    spare: Vec<Vec<f64>>,
}

/// The sum a segment starting in `column` is added to: the lane's open partial, after
/// setting the previous one aside when the column changed.
fn enter<'a>(
    open: &'a mut Option<Partial>,
    left: &mut VecDeque<Partial>,
    spare: &mut Vec<Vec<f64>>,
    column: usize,
    rows: usize,
) -> &'a mut [f64] {
    if open.as_ref().is_none_or(|p| p.column != column) {
        let sum = spare.pop().unwrap_or_else(|| vec![0.0; rows]);
        let fresh = Partial {
            column,
            segments: 0,
            sum,
        };
        left.extend(open.replace(fresh));
    }
    let partial = open.as_mut().expect("opened just above");
    partial.segments += 1;
    &mut partial.sum
}

/// A streaming spectrogram: [`new`](Self::new), feed consecutive chunks through [`Sink`]
/// (one signal for real input, I and Q for complex), then [`finish`](Self::finish).
pub struct SpectrogramAccumulator {
    config: SpectrogramConfig,
    map: ColumnMap,
    hop: usize,
    rows: usize,
    window: Window,
    plan: Plan,
    lanes: Vec<Lane>,
    batch: usize,
    stream: SegmentStream,
    /// The next absolute index the pass expects.
    next_index: u64,
    matrix: Matrix,
}

/// The column sums being built.
struct Matrix {
    rows: usize,
    /// Columns before this one are complete.
    closed: usize,
    sums: Vec<f64>,
    segments: Vec<u32>,
}

impl Matrix {
    /// Adds the lanes' partial sums of every column before `complete` into the matrix, in
    /// lane order: the same additions whatever the chunking.
    fn close(&mut self, lanes: &mut [Lane], complete: usize) {
        let rows = self.rows;
        for column in self.closed..complete {
            let sums = &mut self.sums[column * rows..(column + 1) * rows];
            for lane in lanes.iter_mut() {
                let partial = if lane.left.front().is_some_and(|p| p.column == column) {
                    lane.left.pop_front()
                } else if lane.open.as_ref().is_some_and(|p| p.column == column) {
                    lane.open.take()
                } else {
                    None
                };
                if let Some(Partial {
                    segments, mut sum, ..
                }) = partial
                {
                    self.segments[column] += segments;
                    sums.iter_mut().zip(&sum).for_each(|(s, p)| *s += p);
                    sum.fill(0.0);
                    lane.spare.push(sum);
                }
            }
        }
        self.closed = self.closed.max(complete);
    }
}

impl SpectrogramAccumulator {
    /// Validates the configuration, plans the FFT and allocates the buffers of the pass
    /// (about [`SpectrogramConfig::bytes`]).
    pub fn new(config: SpectrogramConfig) -> Result<SpectrogramAccumulator, DspError> {
        let map = config.validate()?;
        let nfft = config.nfft;
        let hop = nfft - config.overlap;
        let plan = match config.input {
            InputKind::Real => Plan::Real(Arc::new(PowerFft::new(nfft))),
            InputKind::Complex => Plan::Complex(FftPlanner::<f64>::new().plan_fft_forward(nfft)),
        };
        let (lane_count, batch) = shape(nfft);
        let signals = config.input.signals();
        Ok(SpectrogramAccumulator {
            hop,
            rows: config.rows(),
            window: Window::new(config.window, nfft),
            lanes: (0..lane_count).map(|_| plan.lane(nfft, hop)).collect(),
            plan,
            batch,
            stream: SegmentStream::new(signals, nfft, hop, min_run(hop, batch)),
            next_index: map.start(),
            matrix: Matrix {
                rows: config.rows(),
                closed: 0,
                sums: vec![0.0; map.width() * config.rows()],
                segments: vec![0; map.width()],
            },
            map,
            config,
        })
    }

    /// Takes the samples `start .. start + len` of every signal (`signals[0]` the real
    /// samples or I, `signals[1]` Q). Chunks must follow each other without gaps; samples
    /// before or after the range are ignored.
    pub fn push<T: Sample>(&mut self, start: u64, signals: &[&[T]]) -> Result<(), DspError> {
        let kind = self.config.input;
        let len = signals.first().map_or(0, |s| s.len());
        if signals.len() != kind.signals() || signals.iter().any(|s| s.len() != len) {
            return Err(DspError::Signals {
                expected: kind.signals(),
                kind: kind.name(),
                got: signals.len(),
            });
        }
        let end = start.saturating_add(len as u64);
        let (lo, hi) = (start.max(self.map.start()), end.min(self.map.end()));
        if lo >= hi {
            return Ok(());
        }
        if lo != self.next_index {
            return Err(DspError::OutOfOrder {
                expected: self.next_index,
                got: lo,
            });
        }
        self.next_index = hi;
        let (from, to) = ((lo - start) as usize, (hi - start) as usize);
        let (i, q) = (&signals[0][from..to], signals.get(1).map(|q| &q[from..to]));
        let both = [i, q.unwrap_or_default()];
        let chunks = &both[..kind.signals()];
        let mut stream = std::mem::replace(&mut self.stream, SegmentStream::new(0, 1, 1, 1));
        stream.feed(chunks, |stream, first, count| {
            self.run(stream, first, count)
        });
        self.stream = stream;
        Ok(())
    }

    /// Transforms segments `first .. first + count` of the range into their lanes' column
    /// sums, a batch at a time (batches aligned to the segment index, so each lane gets its
    /// share of each), and adds the columns they complete into the matrix.
    fn run<T: Sample>(&mut self, stream: &Stream<'_, T>, first: u64, count: usize) {
        let batch = self.batch as u64;
        let job = Job {
            plan: &self.plan,
            window: self.window.coefficients(),
            detrend: self.config.detrend,
            nfft: self.config.nfft,
            hop: self.hop as u64,
            rows: self.rows,
            batch,
            share: batch / self.lanes.len() as u64,
            map: &self.map,
        };
        let end = first + count as u64;
        let mut from = first;
        while from < end {
            let to = ((from / batch + 1) * batch).min(end);
            self.lanes.par_iter_mut().enumerate().for_each(|(l, lane)| {
                job.run(stream, first, from..to, l as u64, lane);
            });
            from = to;
            let next = self.map.start() + to * self.hop as u64;
            let complete = if next < self.map.end() {
                self.map.column_of(next)
            } else {
                self.map.width()
            };
            self.matrix.close(&mut self.lanes, complete);
        }
    }

    /// Transforms the complete segments still buffered and scales the sums into the
    /// finished matrix; an error if not even one segment was complete.
    pub fn finish(mut self) -> Result<Spectrogram, DspError> {
        let nfft = self.config.nfft;
        let mut stream = std::mem::replace(&mut self.stream, SegmentStream::new(0, 1, 1, 1));
        stream.finish(|stream, first, count| self.run(stream, first, count));
        self.matrix.close(&mut self.lanes, self.map.width());
        if self.matrix.segments.iter().all(|&n| n == 0) {
            return Err(DspError::TooShort {
                nfft,
                samples: self.next_index - self.map.start(),
            });
        }
        let fs = self.config.sample_rate.unwrap_or(1.0);
        let scale = match self.config.scaling {
            Scaling::Density => 1.0 / (fs * self.window.sum_squares()),
            Scaling::Spectrum => 1.0 / (self.window.sum() * self.window.sum()),
        };
        let real = self.config.input == InputKind::Real;
        // One-sided: every bin but DC and (even nfft) Nyquist also carries the negative
        // frequency's power.
        let doubled_end = if nfft.is_multiple_of(2) {
            nfft / 2
        } else {
            nfft / 2 + 1
        };
        let fold = |row: usize| {
            if real && (1..doubled_end).contains(&row) {
                2.0
            } else {
                1.0
            }
        };
        let rows = self.rows;
        let mut power = self.matrix.sums;
        for (column, &count) in power.chunks_exact_mut(rows).zip(&self.matrix.segments) {
            for (row, p) in column.iter_mut().enumerate() {
                *p = if count == 0 {
                    f64::NAN
                } else {
                    *p * scale * fold(row) / f64::from(count)
                };
            }
        }
        let resolution = fs / nfft as f64;
        Ok(Spectrogram {
            columns: self.map.width(),
            rows,
            power,
            segments: self.matrix.segments,
            first_freq: if real {
                0.0
            } else {
                -((nfft / 2) as f64) * resolution
            },
            resolution,
            map: self.map,
            nfft,
            overlap: self.config.overlap,
            window: self.config.window,
            scaling: self.config.scaling,
            sample_rate: self.config.sample_rate,
            input: self.config.input,
        })
    }
}

impl Sink for SpectrogramAccumulator {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        self.push(start, columns)
            .map_err(|e| SinkError::Input(e.into()))
    }
}

/// What the lanes of one run share.
struct Job<'a> {
    plan: &'a Plan,
    window: &'a [f64],
    detrend: Detrend,
    nfft: usize,
    hop: u64,
    rows: usize,
    batch: u64,
    share: u64,
    map: &'a ColumnMap,
}

impl Job<'_> {
    /// Lane `l`'s segments among `indices` (segment `g` is lane `(g mod batch) / share`'s),
    /// each added to the sum of its column; `first` is the run's first segment.
    fn run<T: Sample>(
        &self,
        stream: &Stream<'_, T>,
        first: u64,
        indices: std::ops::Range<u64>,
        l: u64,
        lane: &mut Lane,
    ) {
        let Lane {
            buffers,
            open,
            left,
            spare,
        } = lane;
        let mut previous = None;
        for index in indices {
            if (index % self.batch) / self.share != l {
                continue;
            }
            let column = self.map.column_of(self.map.start() + index * self.hop);
            let sum = enter(open, left, spare, column, self.rows);
            let follows = previous.is_some_and(|p| p + 1 == index);
            previous = Some(index);
            self.segment(stream, (index - first) as usize, follows, buffers, sum);
        }
    }

    /// Detrends, windows and transforms segment `s` of the run (which `follows` the lane's
    /// previous one or not), adding |X|² to `sum`.
    fn segment<T: Sample>(
        &self,
        stream: &Stream<'_, T>,
        s: usize,
        follows: bool,
        buffers: &mut LaneBuffers,
        sum: &mut [f64],
    ) {
        let nfft = self.nfft;
        let w = self.window;
        match (self.plan, buffers) {
            (Plan::Real(fft), LaneBuffers::Real(buffers, means)) => {
                with_samples!(stream.segment(0, s), |x| {
                    let mean = match self.detrend {
                        Detrend::Mean => means.next(x, follows),
                        Detrend::None => 0.0,
                    };
                    segment::apply_window(x, mean, w, &mut buffers.input);
                });
                fft.transform(buffers, Power::Sum(sum));
            }
            (Plan::Complex(fft), LaneBuffers::Complex { data, scratch }) => {
                with_samples!(stream.segment(0, s), |x| {
                    let mean = self.mean(x);
                    for ((d, v), w) in data.iter_mut().zip(x).zip(w) {
                        d.re = (v.to_f64() - mean) * w;
                    }
                });
                with_samples!(stream.segment(1, s), |x| {
                    let mean = self.mean(x);
                    for ((d, v), w) in data.iter_mut().zip(x).zip(w) {
                        d.im = (v.to_f64() - mean) * w;
                    }
                });
                fft.process_with_scratch(data, scratch);
                // fftshift: row r holds bin (r + nfft - nfft/2) mod nfft.
                let half = nfft / 2;
                for (r, o) in sum.iter_mut().enumerate() {
                    *o += data[(r + nfft - half) % nfft].norm_sqr();
                }
            }
            _ => unreachable!("lanes are made by the plan they run with"),
        }
    }

    /// What detrending removes from a complex segment's I or Q.
    fn mean<T: Sample>(&self, x: &[T]) -> f64 {
        match self.detrend {
            Detrend::Mean => segment::mean(x),
            Detrend::None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn config(len: u64, width: usize, nfft: usize, overlap: usize) -> SpectrogramConfig {
        SpectrogramConfig {
            start: 100,
            len,
            width,
            nfft,
            overlap,
            window: WindowKind::Hann,
            detrend: Detrend::Mean,
            scaling: Scaling::Spectrum,
            sample_rate: Some(1000.0),
            input: InputKind::Real,
        }
    }

    /// A chirp from 0 to fs/4 plus a little deterministic "noise".
    fn chirp(len: usize) -> Vec<f64> {
        (0..len)
            .map(|n| {
                let t = n as f64 / len as f64;
                (PI * 0.25 * len as f64 * t * t).sin() + 1e-3 * ((n * 7919 % 101) as f64 - 50.0)
            })
            .collect()
    }

    fn run(cfg: &SpectrogramConfig, data: &[f64], chunk: usize) -> Spectrogram {
        let mut acc = SpectrogramAccumulator::new(cfg.clone()).unwrap();
        for (k, part) in data.chunks(chunk).enumerate() {
            acc.push(cfg.start + (k * chunk) as u64, &[part]).unwrap();
        }
        acc.finish().unwrap()
    }

    fn run_iq(cfg: &SpectrogramConfig, i: &[f64], q: &[f64], chunk: usize) -> Spectrogram {
        let mut acc = SpectrogramAccumulator::new(cfg.clone()).unwrap();
        for (k, (a, b)) in i.chunks(chunk).zip(q.chunks(chunk)).enumerate() {
            acc.push(cfg.start + (k * chunk) as u64, &[a, b]).unwrap();
        }
        acc.finish().unwrap()
    }

    #[test]
    fn identical_under_every_chunking() {
        let data = chirp(150_001);
        let cfg = config(data.len() as u64, 37, 256, 100);
        let whole = run(&cfg, &data, data.len());
        for chunk in [1, 7, 4096] {
            let got = run(&cfg, &data, chunk);
            assert!(
                got.power
                    .iter()
                    .zip(&whole.power)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "chunk {chunk}"
            );
            assert_eq!(got.segments, whole.segments, "chunk {chunk}");
        }
        let cfg = SpectrogramConfig {
            input: InputKind::Complex,
            ..cfg
        };
        let q: Vec<f64> = data.iter().rev().copied().collect();
        let whole = run_iq(&cfg, &data, &q, data.len());
        for chunk in [1, 7, 4096] {
            let got = run_iq(&cfg, &data, &q, chunk);
            let same = got
                .power
                .iter()
                .zip(&whole.power)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "complex, chunk {chunk}");
        }
    }

    /// Each column is the scipy-style Welch average, written out with an O(n²) DFT, of the
    /// segments starting in it.
    #[test]
    fn columns_match_a_direct_welch_of_their_segments() {
        let data = chirp(1_000);
        for (input, detrend, scaling) in [
            (InputKind::Real, Detrend::Mean, Scaling::Density),
            (InputKind::Real, Detrend::None, Scaling::Spectrum),
            (InputKind::Complex, Detrend::Mean, Scaling::Density),
        ] {
            let (nfft, overlap, width) = (20, 7, 6);
            let cfg = SpectrogramConfig {
                detrend,
                scaling,
                input,
                window: WindowKind::Hamming,
                ..config(data.len() as u64, width, nfft, overlap)
            };
            let q: Vec<f64> = data.iter().map(|x| 0.5 - x).collect();
            let got = match input {
                InputKind::Real => run(&cfg, &data, 333),
                InputKind::Complex => run_iq(&cfg, &data, &q, 333),
            };
            let w = cfg.window.coefficients(nfft);
            let fs = 1000.0;
            let scale = match scaling {
                Scaling::Density => 1.0 / (fs * w.iter().map(|v| v * v).sum::<f64>()),
                Scaling::Spectrum => 1.0 / w.iter().sum::<f64>().powi(2),
            };
            let hop = nfft - overlap;
            let map = ColumnMap::new(0, data.len() as u64, width).unwrap();
            let mut want = vec![0.0; width * got.rows];
            let mut count = vec![0u32; width];
            let mut s = 0;
            while s + nfft <= data.len() {
                let c = map.column_of(s as u64);
                let seg = |x: &[f64]| -> Vec<f64> {
                    let x = &x[s..s + nfft];
                    let m = match detrend {
                        Detrend::Mean => x.iter().sum::<f64>() / nfft as f64,
                        Detrend::None => 0.0,
                    };
                    x.iter().zip(&w).map(|(v, w)| (v - m) * w).collect()
                };
                let (re, im) = match input {
                    InputKind::Real => (seg(&data), vec![0.0; nfft]),
                    InputKind::Complex => (seg(&data), seg(&q)),
                };
                for r in 0..got.rows {
                    let (k, fold) = match input {
                        InputKind::Real => (r, if r == 0 || r == nfft / 2 { 1.0 } else { 2.0 }),
                        InputKind::Complex => ((r + nfft - nfft / 2) % nfft, 1.0),
                    };
                    let (mut xr, mut xi) = (0.0, 0.0);
                    for n in 0..nfft {
                        let a = -2.0 * PI * (k * n % nfft) as f64 / nfft as f64;
                        xr += re[n] * a.cos() - im[n] * a.sin();
                        xi += re[n] * a.sin() + im[n] * a.cos();
                    }
                    want[c * got.rows + r] += (xr * xr + xi * xi) * scale * fold;
                }
                count[c] += 1;
                s += hop;
            }
            assert_eq!(got.segments, count, "{input:?}");
            for (i, (g, w)) in got.power.iter().zip(&want).enumerate() {
                let w = w / f64::from(count[i / got.rows]);
                assert!(
                    (g - w).abs() <= 1e-12 * w.abs().max(1e-9),
                    "{input:?} [{i}]: {g} vs {w}"
                );
            }
        }
    }

    #[test]
    fn tones_land_in_their_rows_with_their_power() {
        let (nfft, fs) = (512, 1000.0);
        let bin = 77.0;
        let f = bin * fs / nfft as f64;
        let (amp, len) = (0.5, 40_000);
        let tone: Vec<f64> = (0..len)
            .map(|n| amp * (2.0 * PI * f * n as f64 / fs).cos())
            .collect();
        let got = run(&config(len as u64, 9, nfft, 256), &tone, 1 << 12);
        for c in 0..got.columns {
            let col = got.column(c);
            let peak = (0..got.rows)
                .max_by(|&a, &b| col[a].total_cmp(&col[b]))
                .unwrap();
            assert_eq!(peak, 77, "column {c}");
            // Spectrum scaling: a bin-centred tone reads A²/2.
            let want = amp * amp / 2.0;
            assert!(
                (col[peak] / want - 1.0).abs() < 1e-9,
                "column {c}: {}",
                col[peak]
            );
            assert!((got.freq(peak) - f).abs() < 1e-9);
        }
        // A complex tone at -fs/8 lands below DC in the centred rows.
        let w = -2.0 * PI / 8.0;
        let i: Vec<f64> = (0..len).map(|n| (w * n as f64).cos()).collect();
        let q: Vec<f64> = (0..len).map(|n| (w * n as f64).sin()).collect();
        let cfg = SpectrogramConfig {
            input: InputKind::Complex,
            ..config(len as u64, 4, nfft, 0)
        };
        let got = run_iq(&cfg, &i, &q, 1000);
        let col = got.column(2);
        let peak = (0..got.rows)
            .max_by(|&a, &b| col[a].total_cmp(&col[b]))
            .unwrap();
        assert_eq!(peak, nfft / 2 - nfft / 8);
        assert!((got.freq(peak) + fs / 8.0).abs() < 1e-9);
        assert!((got.first_freq + fs / 2.0).abs() < 1e-12);
    }

    #[test]
    fn narrow_columns_misuse_and_errors() {
        // 100 samples over 10 columns with hop 16: columns without a segment are NaN.
        let got = run(&config(100, 10, 16, 0), &[1.0; 100], 100);
        assert_eq!(got.segments, [1, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
        assert!(got.column(2).iter().all(|p| p.is_nan()));
        let mut acc = SpectrogramAccumulator::new(config(100, 10, 16, 0)).unwrap();
        acc.push(90, &[&[0.0; 20][..]]).unwrap(); // 90..100 ignored, 100..110 taken
        assert_eq!(
            acc.push(111, &[&[0.0; 5][..]]),
            Err(DspError::OutOfOrder {
                expected: 110,
                got: 111
            })
        );
        assert_eq!(
            acc.push(110, &[&[0.0][..], &[0.0][..]]),
            Err(DspError::Signals {
                expected: 1,
                kind: "real",
                got: 2
            })
        );
        let short = SpectrogramAccumulator::new(config(100, 10, 16, 0)).unwrap();
        assert_eq!(
            short.finish().err(),
            Some(DspError::TooShort {
                nfft: 16,
                samples: 0
            })
        );
        for (bad, err) in [
            (
                config(100, 1, 15, 0),
                DspError::NfftTooSmall { min: 16, got: 15 },
            ),
            (
                config(100, 1, 16, 16),
                DspError::OverlapTooLarge { nfft: 16, got: 16 },
            ),
            (
                config(0, 1, 16, 0),
                DspError::EmptyPlot {
                    columns: 1,
                    samples: 0,
                },
            ),
        ] {
            assert_eq!(SpectrogramAccumulator::new(bad).err(), Some(err));
        }
    }
}
