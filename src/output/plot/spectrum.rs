//! The spectrum plot of `fft --plot`: every channel's spectrum in dB against frequency, its
//! listed peaks circled and labelled with their frequency, a legend when there are several
//! channels. The same information as the hand-written SVG it replaces, now also as PNG.
//!
//! The y axis runs from the top bin rounded up to 10 dB down to the lowest bin, but at
//! most [`MAX_RANGE_DB`] below the top (zeros are −∞ dB and sit on the bottom edge). Spectra
//! with more bins than twice the pixel columns keep the lowest and highest bin of each
//! column's run, so every spike and null stays visible.

use super::axis::{EngAxis, format_si};
use super::{
    Canvas, Figure, Format, GRID, INK, PlotError, Ticked, draw_err, draw_y_title, font, render, rgb,
};
use crate::dsp::metrics::to_db;
use crate::dsp::welch::Spectrum;
use crate::report::fft::FftReport;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The y axis shows at most this many dB below the highest bin.
pub const MAX_RANGE_DB: f64 = 200.0;
const LEFT: u32 = 80;
const RIGHT: u32 = 24;
const TITLE: u32 = 36;
const BOTTOM: u32 = 50;
/// Trace colours, as the SVG plot had them.
const COLORS: [u32; 6] = [0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x17becf];

/// What [`render_spectrum`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumPlot {
    /// Title: path, window, nfft, segments, scaling (`cap.npy — hann window, nfft 4096, 12
    /// segments, density`).
    pub title: String,
    /// `Hz`, or `cycles/sample` without a rate.
    pub frequency_unit: String,
    /// Unit of the levels (`dBV²/Hz`).
    pub level_unit: String,
    /// One spectrum per channel.
    pub traces: Vec<SpectrumTrace>,
}

/// One channel's spectrum.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumTrace {
    /// Legend text (`channel 0`).
    pub name: String,
    /// Bin frequencies, ascending.
    pub freqs: Vec<f64>,
    /// Level per bin in dB (−∞ for zero power).
    pub level_db: Vec<f64>,
    /// Peaks to mark.
    pub peaks: Vec<PeakMark>,
}

/// A marked peak.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeakMark {
    /// Frequency, in the plot's unit.
    pub freq: f64,
    /// Level, dB.
    pub level_db: f64,
}

/// Size of `fft --plot`'s picture.
pub const SPECTRUM_SIZE: (u32, u32) = (1000, 520);

/// `fft --plot`: every channel's spectrum in dB with the report's peaks, as `format`, into
/// `path` (atomically; `-` is stdout).
pub fn write_spectrum_plot(
    path: &std::path::Path,
    format: Format,
    report: &FftReport,
    spectra: &[Spectrum],
) -> anyhow::Result<()> {
    let plot = SpectrumPlot {
        title: format!(
            "{} — {} window, nfft {}, {} segments, {}",
            report.path, report.window, report.nfft, report.segments, report.scaling
        ),
        frequency_unit: report.frequency_unit.to_string(),
        level_unit: report.level_unit.to_string(),
        traces: spectra
            .iter()
            .zip(&report.channels)
            .map(|(spectrum, channel)| SpectrumTrace {
                name: format!("channel {}", channel.channel),
                freqs: spectrum.freqs.clone(),
                level_db: spectrum.power.iter().map(|p| to_db(*p)).collect(),
                peaks: channel
                    .peaks
                    .iter()
                    .map(|p| PeakMark {
                        freq: p.freq,
                        level_db: p.level_db,
                    })
                    .collect(),
            })
            .collect(),
    };
    let (width, height) = SPECTRUM_SIZE;
    let bytes = render_spectrum(&plot, format, width, height)?;
    super::write_plot(path, &bytes)
}

/// Draws `plot` as a PNG or SVG of `width × height` pixels.
pub fn render_spectrum(
    plot: &SpectrumPlot,
    format: Format,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, PlotError> {
    if let Some(t) = plot
        .traces
        .iter()
        .find(|t| t.freqs.len() != t.level_db.len())
    {
        return Err(PlotError::Data(format!(
            "trace {:?} has {} frequencies but {} levels",
            t.name,
            t.freqs.len(),
            t.level_db.len()
        )));
    }
    render(plot, format, width, height)
}

impl SpectrumPlot {
    /// The dB range shown: (bottom, top), multiples of 10.
    pub fn db_range(&self) -> (f64, f64) {
        let (lo, hi) = self
            .traces
            .iter()
            .flat_map(|t| t.level_db.iter().copied())
            .filter(|d| d.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
                (lo.min(d), hi.max(d))
            });
        if !hi.is_finite() {
            return (-100.0, 0.0);
        }
        // At least 6 dB of headroom above the top bin, for the peak labels.
        let top = ((hi + 6.0) / 10.0).ceil() * 10.0;
        let bottom = (lo.max(hi - MAX_RANGE_DB) / 10.0).floor() * 10.0;
        (if bottom < top { bottom } else { top - 10.0 }, top)
    }
}

impl Figure for SpectrumPlot {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _canvas: &mut Canvas,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(draw_err)?;
        let (width, height) = root.dim_in_pixel();
        let centre = Pos::new(HPos::Center, VPos::Center);
        root.draw_text(
            &self.title,
            &font(16.0, INK).pos(centre),
            (width as i32 / 2, TITLE as i32 / 2),
        )
        .map_err(draw_err)?;
        let f_max = self
            .traces
            .iter()
            .filter_map(|t| t.freqs.last().copied())
            .fold(0.0, f64::max);
        let f_max = if f_max > 0.0 { f_max } else { 0.5 };
        let plot_w = width.saturating_sub(LEFT + RIGHT) as usize;
        let plot_h = height.saturating_sub(TITLE + BOTTOM) as usize;
        let x_axis = if self.frequency_unit == "Hz" {
            EngAxis::new(0.0, f_max, (plot_w / 110).max(2), "Hz")
        } else {
            EngAxis::plain(0.0, f_max, (plot_w / 110).max(2), &self.frequency_unit)
        };
        let (db_lo, db_hi) = self.db_range();
        let y_axis = EngAxis::plain(db_lo, db_hi, (plot_h / 45).max(2), "");

        let area = root.clone().shrink((0, TITLE), (width, height - TITLE));
        let mut chart = ChartBuilder::on(&area)
            .margin_right(RIGHT)
            .set_label_area_size(LabelAreaPosition::Left, LEFT)
            .set_label_area_size(LabelAreaPosition::Bottom, BOTTOM)
            .build_cartesian_2d(Ticked::from(&x_axis), Ticked::from(&y_axis))
            .map_err(draw_err)?;
        let x_label = |v: &f64| x_axis.label(*v);
        let y_label = |v: &f64| y_axis.label(*v);
        chart
            .configure_mesh()
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(x_axis.title("Frequency"))
            .label_style(font(14.0, INK))
            .axis_desc_style(font(14.0, INK))
            .bold_line_style(GRID)
            .axis_style(INK)
            .draw()
            .map_err(draw_err)?;
        let mid = (TITLE + (height - BOTTOM)) as i32 / 2;
        draw_y_title(root, &format!("Level ({})", self.level_unit), (16, mid))?;

        let clamp = |d: f64| {
            if d.is_finite() {
                d.clamp(db_lo, db_hi)
            } else {
                db_lo
            }
        };
        for (i, trace) in self.traces.iter().enumerate() {
            let color = rgb(COLORS[i % COLORS.len()]);
            let points = decimate(&trace.level_db, plot_w)
                .into_iter()
                .map(|(k, d)| (trace.freqs[k], clamp(d)));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(1)))
                .map_err(draw_err)?;
        }
        for (i, trace) in self.traces.iter().enumerate() {
            let color = rgb(COLORS[i % COLORS.len()]);
            for peak in &trace.peaks {
                let at = chart.backend_coord(&(peak.freq, clamp(peak.level_db)));
                root.draw(&Circle::new(at, 5, color.stroke_width(2)))
                    .map_err(draw_err)?;
                let label = format_si(peak.freq, &self.frequency_unit, 0.0);
                // Above the circle, or right of it when that would leave the plot.
                let (pos, xy) = if at.1 - 8 - 14 >= TITLE as i32 {
                    (Pos::new(HPos::Center, VPos::Bottom), (at.0, at.1 - 8))
                } else {
                    (Pos::new(HPos::Left, VPos::Center), (at.0 + 9, at.1))
                };
                root.draw_text(&label, &font(14.0, color).pos(pos), xy)
                    .map_err(draw_err)?;
            }
        }
        if self.traces.len() > 1 {
            let right = Pos::new(HPos::Right, VPos::Top);
            for (i, trace) in self.traces.iter().enumerate() {
                let color = rgb(COLORS[i % COLORS.len()]);
                let at = (
                    (width - RIGHT - 8) as i32,
                    (TITLE + 8 + 16 * i as u32) as i32,
                );
                root.draw_text(&trace.name, &font(14.0, color).pos(right), at)
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

/// Bins to draw: all of them when they fit, else the lowest and highest bin of each of
/// `columns` equal runs (in bin order), so peaks and nulls survive.
fn decimate(level: &[f64], columns: usize) -> Vec<(usize, f64)> {
    if level.len() <= 2 * columns.max(1) {
        return level.iter().copied().enumerate().collect();
    }
    let per = level.len().div_ceil(columns);
    let mut out = Vec::with_capacity(2 * columns);
    for (c, run) in level.chunks(per).enumerate() {
        let base = c * per;
        let by_value = |a: &(usize, &f64), b: &(usize, &f64)| a.1.total_cmp(b.1);
        let lo = run.iter().enumerate().min_by(by_value);
        let hi = run.iter().enumerate().max_by(by_value);
        if let (Some((i, &l)), Some((j, &h))) = (lo, hi) {
            let (first, second) = if i <= j {
                ((i, l), (j, h))
            } else {
                ((j, h), (i, l))
            };
            out.push((base + first.0, first.1));
            out.push((base + second.0, second.1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_every_extreme() {
        let mut level = vec![0.0; 10_000];
        level[4321] = 60.0;
        level[777] = -90.0;
        let kept = decimate(&level, 100);
        assert!(kept.len() <= 200, "{}", kept.len());
        assert!(kept.contains(&(4321, 60.0)) && kept.contains(&(777, -90.0)));
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "bin order");
        assert_eq!(decimate(&level[..150], 100).len(), 150);
    }

    #[test]
    fn db_range_rounds_to_tens_and_caps_at_200_db() {
        let plot = |levels: Vec<f64>| SpectrumPlot {
            title: String::new(),
            frequency_unit: "Hz".into(),
            level_unit: "dB".into(),
            traces: vec![SpectrumTrace {
                name: "channel 0".into(),
                freqs: (0..levels.len()).map(|k| k as f64).collect(),
                level_db: levels,
                peaks: vec![],
            }],
        };
        assert_eq!(plot(vec![-3.0, -47.0]).db_range(), (-50.0, 10.0));
        assert_eq!(
            plot(vec![f64::NEG_INFINITY, -300.0, 12.0]).db_range(),
            (-190.0, 20.0)
        );
        assert_eq!(plot(vec![-20.0, -20.0]).db_range(), (-20.0, -10.0));
        assert_eq!(plot(vec![f64::NEG_INFINITY]).db_range(), (-100.0, 0.0));
    }
}
