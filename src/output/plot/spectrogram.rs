//! The spectrogram: a dB matrix (time columns × frequency rows) in viridis, time along x,
//! frequency up y (two-sided and centred for complex input, optionally shifted by a centre
//! frequency), with a colour bar.
//!
//! The matrix is resampled onto the plot's pixels by taking, per pixel, the largest value of
//! the cells it covers, so a narrow tone or a short burst survives any downscaling. The dB
//! range defaults to the 5th to 99.9th percentile of the finite values: a few hot cells do
//! not wash out the rest. Cells without data (NaN) are drawn light grey.

use super::axis::{EngAxis, format_si};
use super::colormap::viridis_table;
use super::{
    Canvas, Figure, Format, INK, Inset, MIN_SIDE, PlotError, Ticked, draw_err, draw_y_title, font,
    render,
};
use crate::report::plot::SpectrogramPlot;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rayon::prelude::*;

/// Pixels left of the plot area.
const LEFT: u32 = 90;
/// Pixels right of the plot area: gap, colour bar, its labels and title.
const RIGHT: u32 = 110;
/// Height of the title band.
const TITLE: u32 = 36;
/// Pixels under the plot area.
const BOTTOM: u32 = 50;
/// Width of the colour bar.
const BAR: u32 = 18;
/// Colour of cells without data.
const NO_DATA: [u8; 3] = [0xe8, 0xe8, 0xe8];

/// The plot area (x pixels, y pixels) of a spectrogram image of `width × height`.
pub fn spectrogram_plot_area(
    width: u32,
    height: u32,
) -> (std::ops::Range<u32>, std::ops::Range<u32>) {
    (
        LEFT..width.saturating_sub(RIGHT).max(LEFT + 1),
        TITLE..height.saturating_sub(BOTTOM).max(TITLE + 1),
    )
}

/// How many time columns fill the plot area of an image `width` pixels wide, one per pixel:
/// the `width` to give the spectrogram pass.
pub fn spectrogram_columns(width: u32) -> usize {
    spectrogram_plot_area(width, MIN_SIDE).0.len()
}

/// Writes the dB matrix of `plot` to `path` (atomically): `.csv` with a header line
/// `time_s` (`sample` without a rate) and one column per row frequency, then one line per
/// time column (its first sample's time, then the levels); or `.npy`, float32 of shape
/// (columns, rows). NaN marks a column without segments, -inf a zero power.
pub fn write_matrix(
    path: &std::path::Path,
    plot: &SpectrogramPlot,
    csv: bool,
) -> anyhow::Result<()> {
    use crate::sample::{CaptureMeta, DType, Endian, npy::build_header};
    use std::io::Write as _;
    let mut file = crate::output::AtomicFile::create(path)?;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let fc = plot.center_freq.unwrap_or(0.0);
    if csv {
        buf.extend_from_slice(if plot.has_rate { b"time_s" } else { b"sample" });
        for r in 0..plot.rows {
            write!(
                buf,
                ",{}",
                fc + plot.first_freq + r as f64 * plot.resolution
            )?;
        }
        buf.push(b'\n');
    } else {
        let shape = [plot.columns as u64, plot.rows as u64];
        let header = build_header(
            DType::F32,
            Endian::NATIVE,
            false,
            &shape,
            &CaptureMeta::default(),
        );
        buf.extend(header);
    }
    for (c, column) in plot.db.chunks_exact(plot.rows).enumerate() {
        if csv {
            write!(buf, "{}", plot.column_starts[c])?;
            for v in column {
                match v {
                    v if v.is_nan() => buf.extend_from_slice(b",nan"),
                    v => write!(buf, ",{v}")?,
                }
            }
            buf.push(b'\n');
        } else {
            column.iter().for_each(|v| buf.extend(v.to_ne_bytes()));
        }
        if buf.len() >= 1 << 16 {
            file.write_all(&buf)
                .map_err(|e| crate::output::write_error(path, e))?;
            buf.clear();
        }
    }
    file.write_all(&buf)
        .map_err(|e| crate::output::write_error(path, e))?;
    file.commit()
}

/// Draws `plot` as a PNG or SVG of `width × height` pixels.
pub fn render_spectrogram(
    plot: &SpectrogramPlot,
    format: Format,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, PlotError> {
    if plot.columns == 0 || plot.rows == 0 || plot.db.len() != plot.columns * plot.rows {
        return Err(PlotError::Data(format!(
            "the spectrogram matrix must hold columns × rows values, got {} for {} × {}",
            plot.db.len(),
            plot.columns,
            plot.rows
        )));
    }
    if !(plot.t_end > plot.t_start && plot.resolution > 0.0 && plot.resolution.is_finite()) {
        return Err(PlotError::Data(format!(
            "the spectrogram needs an increasing time span and a positive row spacing, got {}..{} and {}",
            plot.t_start, plot.t_end, plot.resolution
        )));
    }
    render(plot, format, width, height)
}

impl Figure for SpectrogramPlot {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        canvas: &mut Canvas,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(draw_err)?;
        let (width, height) = root.dim_in_pixel();
        let rate = self
            .sample_rate
            .map(|r| format!(", {}", format_si(r, "S/s", 0.0)))
            .unwrap_or_default();
        let title = format!(
            "{} — spectrogram — {} window, nfft {}, overlap {}{rate}",
            self.file, self.window, self.nfft, self.overlap
        );
        let centre = Pos::new(HPos::Center, VPos::Center);
        root.draw_text(
            &title,
            &font(18.0, INK).pos(centre),
            (width as i32 / 2, TITLE as i32 / 2),
        )
        .map_err(draw_err)?;

        let (px, py) = spectrogram_plot_area(width, height);
        let (pw, ph) = (px.len() as u32, py.len() as u32);
        let x_unit = if self.has_rate { "s" } else { "" };
        let x_axis = EngAxis::new(self.t_start, self.t_end, (pw as usize / 110).max(2), x_unit);
        let (f_lo, f_hi) = self.freq_edges();
        let y_axis = if self.frequency_unit == "Hz" {
            EngAxis::new(f_lo, f_hi, (ph as usize / 50).max(2), "Hz")
        } else {
            EngAxis::plain(f_lo, f_hi, (ph as usize / 50).max(2), &self.frequency_unit)
        };
        let (db_lo, db_hi) = self.color_range();

        // The matrix first, so the axes frame it.
        let (image_w, image_h) = if canvas.raster {
            (pw, ph)
        } else {
            // An SVG carries the matrix at no more than its own resolution.
            (pw.min(self.columns as u32), ph.min(self.rows as u32))
        };
        let rgb = self.raster(image_w as usize, image_h as usize, db_lo, db_hi);
        canvas.place(
            root,
            Inset {
                x: px.start as i32,
                y: py.start as i32,
                w: pw,
                h: ph,
                image_w,
                image_h,
                rgb,
            },
        )?;

        let plot_area = root
            .clone()
            .shrink((0, TITLE), (width - RIGHT, height - TITLE));
        let mut chart = ChartBuilder::on(&plot_area)
            .set_label_area_size(LabelAreaPosition::Left, LEFT)
            .set_label_area_size(LabelAreaPosition::Bottom, BOTTOM)
            .build_cartesian_2d(Ticked::from(&x_axis), Ticked::from(&y_axis))
            .map_err(draw_err)?;
        let x_label = |v: &f64| x_axis.label(*v);
        let y_label = |v: &f64| y_axis.label(*v);
        let y_title = y_axis.title("Frequency");
        chart
            .configure_mesh()
            .disable_mesh()
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(x_axis.title(if self.has_rate { "Time" } else { "Sample" }))
            .label_style(font(14.0, INK))
            .axis_desc_style(font(14.0, INK))
            .axis_style(INK)
            .draw()
            .map_err(draw_err)?;
        draw_y_title(root, &y_title, (16, (py.start + py.end) as i32 / 2))?;

        self.draw_color_bar(root, &py, width, db_lo, db_hi)
    }
}

impl SpectrogramPlot {
    /// The matrix resampled to `w × h` RGB pixels (top row = highest frequency): the
    /// largest finite value of the cells under each pixel, nearest cell when enlarging.
    fn raster(&self, w: usize, h: usize, db_lo: f64, db_hi: f64) -> Vec<u8> {
        let table = viridis_table();
        let (cols, rows) = (self.columns, self.rows);
        let span = |i: usize, n: usize, out: usize| {
            let a = i * n / out;
            (a, ((i + 1) * n / out).max(a + 1).min(n))
        };
        // Pool each pixel row's cells of every column once (pixel rows in parallel, a row's
        // columns together), then each pixel column's cells of the row: every pixel row of
        // the image is written by one thread, left to right.
        let mut pooled = vec![f32::NAN; h * cols];
        pooled
            .par_chunks_mut(cols)
            .enumerate()
            .for_each(|(y, line)| {
                let (r0, r1) = span(h - 1 - y, rows, h);
                for (c, p) in line.iter_mut().enumerate() {
                    let cells = &self.db[c * rows + r0..c * rows + r1];
                    *p = cells.iter().copied().fold(f32::NAN, f32::max);
                }
            });
        let pixel_columns: Vec<(usize, usize)> = (0..w).map(|x| span(x, cols, w)).collect();
        let scale = 255.0 / (db_hi - db_lo);
        let mut rgb = vec![0u8; w * h * 3];
        rgb.par_chunks_mut(w * 3)
            .zip(pooled.par_chunks(cols))
            .for_each(|(out, line)| {
                for (pixel, &(c0, c1)) in out.chunks_exact_mut(3).zip(&pixel_columns) {
                    let v = line[c0..c1].iter().copied().fold(f32::NAN, f32::max);
                    let color = if v.is_nan() {
                        NO_DATA
                    } else {
                        let t = ((f64::from(v) - db_lo) * scale).clamp(0.0, 255.0);
                        table[t.round() as usize]
                    };
                    pixel.copy_from_slice(&color);
                }
            });
        rgb
    }

    /// The colour bar right of the plot, with dB ticks and the level unit.
    fn draw_color_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        py: &std::ops::Range<u32>,
        width: u32,
        db_lo: f64,
        db_hi: f64,
    ) -> Result<(), PlotError> {
        let x0 = (width - RIGHT + 16) as i32;
        let (top, bottom) = (py.start as i32, py.end as i32 - 1);
        let h = (bottom - top).max(1);
        let table = viridis_table();
        for y in top..=bottom {
            let t = f64::from(bottom - y) / f64::from(h);
            let [r, g, b] = table[(t * 255.0).round() as usize];
            // Filled rectangles are half-open: this is the one pixel row y.
            root.draw(&Rectangle::new(
                [(x0, y), (x0 + BAR as i32, y + 1)],
                RGBColor(r, g, b).filled(),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Rectangle::new(
            [(x0, top), (x0 + BAR as i32 - 1, bottom)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        let axis = EngAxis::plain(db_lo, db_hi, (h as usize / 50).max(2), "dB");
        let left_mid = Pos::new(HPos::Left, VPos::Center);
        for tick in &axis.ticks {
            let y = bottom - ((tick - db_lo) / (db_hi - db_lo) * f64::from(h)).round() as i32;
            let x1 = x0 + BAR as i32;
            root.draw(&PathElement::new(
                vec![(x1, y), (x1 + 4, y)],
                INK.stroke_width(1),
            ))
            .map_err(draw_err)?;
            root.draw_text(
                &axis.label(*tick),
                &font(14.0, INK).pos(left_mid),
                (x1 + 7, y),
            )
            .map_err(draw_err)?;
        }
        let rotated = font(14.0, INK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text(
            &self.level_unit,
            &rotated,
            (width as i32 - 14, (top + bottom) / 2),
        )
        .map_err(draw_err)?;
        Ok(())
    }
}
