//! `tracekit plot` and `tracekit spectrogram`: what is drawn, as data built from the
//! streaming passes (`dsp::envelope`, `dsp::spectrogram`) and the decoders; `output::plot`
//! draws it and computes nothing. The `Serialize` part is the summary (`--json`): the data
//! itself (columns, matrix) is skipped there.

use crate::dsp::envelope::ColumnStats;
use crate::dsp::spectrogram::Spectrogram;
use crate::dsp::welch::Scaling;
use crate::sample::DType;
use serde::Serialize;

/// A waveform overview: what `output::plot::render_waveform` draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveformPlot {
    /// The capture's file name, shown in the title.
    pub file: String,
    /// Samples per second, shown in the title; `None` puts sample indices on the x axis.
    pub sample_rate: Option<f64>,
    /// The x value of the left edge: the time of the first sample shown (the file's t0
    /// plus start / rate), in seconds, or its index without a rate.
    pub x_start: f64,
    /// The x value of the right edge: one sample period past the last sample shown.
    pub x_end: f64,
    /// Samples per channel in the view, shown in the title.
    pub samples: u64,
    /// Channels, top to bottom.
    pub lanes: Vec<Lane>,
    /// Decoded frames to overlay.
    #[serde(skip)]
    pub annotations: Vec<Annotation>,
    /// Decoded frames in the view (also those not kept in `annotations`).
    pub frames: u64,
}

/// One channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    /// Channel name, shown by the lane's y axis.
    pub name: String,
    /// Unit of the values (`V`, `A`, or empty); shown with an SI prefix.
    pub unit: String,
    /// Analog trace or 0/1 logic.
    pub kind: LaneKind,
    /// What to draw.
    #[serde(skip)]
    pub data: LaneData,
    /// Fixed y range (e.g. the ADC's full scale); `None` fits the data.
    pub y_range: Option<(f64, f64)>,
}

/// How a lane is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LaneKind {
    /// Values on a linear axis.
    Analog,
    /// 0/1 levels (nonzero is 1).
    Logic,
}

/// A lane's data.
#[derive(Debug, Clone, PartialEq)]
pub enum LaneData {
    /// One entry per column, spread evenly from `x_start` to `x_end` (normally
    /// `output::plot::waveform_columns` of them, from `dsp::envelope::ColumnEnvelope`).
    Envelope(Vec<ColumnStats>),
    /// The samples themselves as (x, value), x in the units of `x_start`: for views with
    /// fewer samples than columns.
    Points(Vec<(f64, f64)>),
}

/// A decoded byte or frame: a labelled box over `start_s .. end_s` on lane `lane`.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Index into [`WaveformPlot::lanes`].
    pub lane: usize,
    /// Start, in the units of the x axis (seconds with a rate).
    pub start_s: f64,
    /// End, same units.
    pub end_s: f64,
    /// Text shown in the box when it fits (`0x55`, `'U'`, `ACK`).
    pub label: String,
}

/// A spectrogram: what `output::plot::render_spectrogram` draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpectrogramPlot {
    /// The capture's file name, shown in the title.
    pub file: String,
    /// Window, segment length and overlap, shown in the title.
    pub window: String,
    pub nfft: usize,
    pub overlap: usize,
    /// Samples per second, if known.
    pub sample_rate: Option<f64>,
    /// Segments averaged in all.
    pub segments: u64,
    /// Time columns.
    pub columns: usize,
    /// Frequency rows.
    pub rows: usize,
    /// `db[c·rows + r]`: column `c` (left to right), row `r` (lowest frequency first).
    /// NaN where there is no data.
    #[serde(skip)]
    pub db: Vec<f32>,
    /// x value of the left edge of column 0 (seconds, or a sample index without a rate).
    pub t_start: f64,
    /// x value of the right edge of the last column.
    pub t_end: f64,
    /// x value of each column's first sample (seconds, or sample indices without a rate).
    #[serde(skip)]
    pub column_starts: Vec<f64>,
    /// True when `t_*` are seconds.
    pub has_rate: bool,
    /// Frequency of row 0 (negative for a centred two-sided spectrum).
    pub first_freq: f64,
    /// Row spacing; each row is centred on its frequency.
    pub resolution: f64,
    /// `Hz`, or `cycles/sample` without a rate.
    pub frequency_unit: String,
    /// Added to every frequency on the axis (the tuning of an I/Q capture).
    pub center_freq: Option<f64>,
    /// Colour scale from..to in dB; `None` for the 5th..99.9th percentile of the data.
    pub db_range: Option<(f64, f64)>,
    /// Unit of the colour bar (`dBV²/Hz`, `dBV²`).
    pub level_unit: String,
}

impl SpectrogramPlot {
    /// The plot of a finished [`Spectrogram`]: `t0` is the time (s) of sample index 0 of
    /// the capture, so the columns run from `t0 + start/rate`.
    pub fn new(file: &str, s: &Spectrogram, t0: f64) -> SpectrogramPlot {
        let x_of = |index: u64| match s.sample_rate {
            Some(rate) => t0 + index as f64 / rate,
            None => index as f64,
        };
        let (t_start, t_end) = (x_of(s.map.start()), x_of(s.map.end()));
        let unit = match (s.scaling, s.sample_rate) {
            (Scaling::Density, Some(_)) => "dBV²/Hz",
            (Scaling::Density, None) => "dBV²/(cycles/sample)",
            (Scaling::Spectrum, _) => "dBV²",
        };
        SpectrogramPlot {
            file: file.to_string(),
            window: s.window.to_string(),
            nfft: s.nfft,
            overlap: s.overlap,
            sample_rate: s.sample_rate,
            segments: s.segments.iter().map(|&n| u64::from(n)).sum(),
            columns: s.columns,
            rows: s.rows,
            db: s.db(),
            t_start,
            t_end,
            column_starts: (0..s.columns)
                .map(|c| x_of(s.map.column_start(c)))
                .collect(),
            has_rate: s.sample_rate.is_some(),
            first_freq: s.first_freq,
            resolution: s.resolution,
            frequency_unit: if s.sample_rate.is_some() {
                "Hz"
            } else {
                "cycles/sample"
            }
            .to_string(),
            center_freq: None,
            db_range: None,
            level_unit: unit.to_string(),
        }
    }

    /// The frequency axis' bottom and top edges (row 0's lower edge, the last row's upper).
    pub fn freq_edges(&self) -> (f64, f64) {
        let fc = self.center_freq.unwrap_or(0.0);
        let lo = fc + self.first_freq - self.resolution / 2.0;
        (lo, lo + self.rows as f64 * self.resolution)
    }

    /// The colour scale: `db_range`, or the 5th to 99.9th percentile of the finite values
    /// (0..1 dB wide at least; -100..0 when nothing is finite).
    pub fn color_range(&self) -> (f64, f64) {
        if let Some((lo, hi)) = self.db_range
            && hi > lo
        {
            return (lo, hi);
        }
        let mut finite: Vec<f32> = self.db.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return (-100.0, 0.0);
        }
        let rank = |p: f64| ((finite.len() - 1) as f64 * p).round() as usize;
        let (k_lo, k_hi) = (rank(0.05), rank(0.999));
        let (_, lo, above) = finite.select_nth_unstable_by(k_lo, f32::total_cmp);
        let lo = f64::from(*lo);
        // Everything from rank k_lo + 1 on is in `above`: the upper percentile is there.
        let hi = match k_hi.checked_sub(k_lo + 1) {
            Some(k) => f64::from(*above.select_nth_unstable_by(k, f32::total_cmp).1),
            None => lo,
        };
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    }
}

impl LaneKind {
    /// Logic when the samples are levels: one bit of each sample (`bit`), a bool capture,
    /// or integer samples that are all 0 or 1 over the view; analog otherwise.
    pub fn detect(dtype: DType, bit: bool, columns: &[ColumnStats]) -> LaneKind {
        let levels = || {
            columns.iter().all(|c| {
                !c.has_values() || (matches!(c.min, 0.0 | 1.0) && matches!(c.max, 0.0 | 1.0))
            })
        };
        if bit || dtype == DType::Bool || (!dtype.is_float() && levels()) {
            LaneKind::Logic
        } else {
            LaneKind::Analog
        }
    }
}

impl LaneData {
    /// A lane's data from its envelope: the columns as they are, or, for a zoom (one
    /// column per sample, `zoom`), the samples themselves at `x_of(k)` for the k-th.
    pub fn from_columns(
        columns: Vec<ColumnStats>,
        zoom: bool,
        x_of: impl Fn(usize) -> f64,
    ) -> LaneData {
        if !zoom {
            return LaneData::Envelope(columns);
        }
        let points = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.has_values())
            .map(|(k, c)| (x_of(k), c.min))
            .collect();
        LaneData::Points(points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-row plot of `db`, one column per value.
    fn plot_of(db: Vec<f32>) -> SpectrogramPlot {
        SpectrogramPlot {
            file: String::new(),
            window: "hann".to_string(),
            nfft: 2,
            overlap: 0,
            sample_rate: None,
            segments: db.len() as u64,
            columns: db.len(),
            rows: 1,
            db,
            t_start: 0.0,
            t_end: 1.0,
            column_starts: Vec::new(),
            has_rate: false,
            first_freq: 0.0,
            resolution: 1.0,
            frequency_unit: "cycles/sample".to_string(),
            center_freq: None,
            db_range: None,
            level_unit: "dBV²".to_string(),
        }
    }

    #[test]
    fn colour_scale_spans_the_5th_to_999th_permille_of_the_finite_values() {
        // 0..=1000 shuffled (389 is prime to 1001), with NaN and −∞ cells that do not count.
        let mut db: Vec<f32> = (0..=1000).map(|v| ((v * 389) % 1001) as f32).collect();
        db.extend([f32::NAN, f32::NEG_INFINITY, f32::NAN]);
        assert_eq!(plot_of(db).color_range(), (50.0, 999.0));
        assert_eq!(plot_of(vec![3.0; 10]).color_range(), (2.5, 3.5));
        assert_eq!(plot_of(vec![7.0]).color_range(), (6.5, 7.5));
        assert_eq!(plot_of(vec![f32::NAN]).color_range(), (-100.0, 0.0));
        let mut fixed = plot_of(vec![1.0]);
        fixed.db_range = Some((-80.0, -10.0));
        assert_eq!(fixed.color_range(), (-80.0, -10.0));
    }
}
