//! The waveform overview: one lane per channel, stacked top to bottom in the order given,
//! sharing one time axis.
//!
//! An analog lane shows, per pixel column, a light band from the column's minimum to its
//! maximum (so a single-sample glitch shows at full height) and a darker line through the
//! means; when zoomed in so far that samples are fewer than pixel columns, the samples
//! themselves joined by lines, with dots when they are at least [`MARKER_SPACING`] pixels
//! apart. A logic lane shows the level as a line at 0 or 1 and a vertical bar where a
//! column holds both (a transition, or many). Decoded frames are labelled boxes along the
//! top of their lane, drawn only where they are wide enough to see, labelled only where the
//! label fits.
//!
//! Layout (fixed margins, so a caller knows the column count before the data pass):
//! title band on top, [`LEFT`] pixels of tick labels and lane names on the left, [`RIGHT`]
//! on the right, the time axis under the last lane. Analog lanes get three times the
//! height of logic lanes.

use super::axis::{EngAxis, format_si};
use super::{
    Canvas, Figure, Format, GRID, INK, PlotError, Ticked, draw_err, draw_y_title, font, render, rgb,
};
use crate::dsp::envelope::ColumnStats;
use crate::report::plot::{Annotation, Lane, LaneData, LaneKind, WaveformPlot};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixels left of the plot area (tick labels and the rotated lane name).
pub const LEFT: u32 = 96;
/// Pixels right of the plot area.
pub const RIGHT: u32 = 24;
/// Height of the title band.
const TITLE: u32 = 36;
/// Height of the time axis labels and title under the last lane.
const BOTTOM: u32 = 50;
/// Vertical space between lanes.
const GAP: u32 = 10;
/// Samples at least this many pixels apart get a dot each.
pub const MARKER_SPACING: f64 = 6.0;
/// Height of a decoded-frame box.
const BOX_H: i32 = 18;

/// Lane colours (matplotlib's tab10), as in the SVG spectrum plot.
const COLORS: [u32; 6] = [0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x17becf];

/// The pixel columns of the plot area of an image `width` pixels wide.
pub fn waveform_plot_x(width: u32) -> std::ops::Range<u32> {
    LEFT..width.saturating_sub(RIGHT).max(LEFT + 1)
}

/// How many envelope columns fill the plot area one per pixel: the `width` to give
/// `ColumnEnvelope::new` for an image `width` pixels wide.
pub fn waveform_columns(width: u32) -> usize {
    waveform_plot_x(width).len()
}

/// The band and line colours of lane `index` (distinct for the first six lanes).
pub fn lane_colors(index: usize) -> ([u8; 3], [u8; 3]) {
    let c = rgb(COLORS[index % COLORS.len()]);
    // Band: 65% colour on white; line: the colour darkened to 80%.
    let band = [c.0, c.1, c.2].map(|v| (u16::from(v) * 65 / 100 + 255 * 35 / 100) as u8);
    let line = [c.0, c.1, c.2].map(|v| (u16::from(v) * 80 / 100) as u8);
    (band, line)
}

/// Draws `plot` as a PNG or SVG of `width × height` pixels.
pub fn render_waveform(
    plot: &WaveformPlot,
    format: Format,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, PlotError> {
    if plot.lanes.is_empty() {
        return Err(PlotError::Data(
            "a waveform plot needs at least one lane".to_string(),
        ));
    }
    if !(plot.x_end > plot.x_start && plot.x_start.is_finite() && plot.x_end.is_finite()) {
        return Err(PlotError::Data(format!(
            "the x range must be finite and increasing, got {} to {}",
            plot.x_start, plot.x_end
        )));
    }
    if let Some(a) = plot.annotations.iter().find(|a| a.lane >= plot.lanes.len()) {
        return Err(PlotError::Data(format!(
            "annotation {:?} is on lane {}, but the plot has {} lanes",
            a.label,
            a.lane,
            plot.lanes.len()
        )));
    }
    render(plot, format, width, height)
}

impl Figure for WaveformPlot {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _canvas: &mut Canvas,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(draw_err)?;
        let (width, height) = root.dim_in_pixel();
        let title = match self.sample_rate {
            Some(rate) => format!(
                "{} — {} — {} samples",
                self.file,
                format_si(rate, "S/s", 0.0),
                format_si(self.samples as f64, "", 0.0)
            ),
            None => format!(
                "{} — {} samples (no sample rate)",
                self.file,
                format_si(self.samples as f64, "", 0.0)
            ),
        };
        root.draw_text(
            &title,
            &font(18.0, INK).pos(Pos::new(HPos::Center, VPos::Center)),
            (width as i32 / 2, TITLE as i32 / 2),
        )
        .map_err(draw_err)?;

        let x_unit = if self.sample_rate.is_some() { "s" } else { "" };
        let plot_w = waveform_columns(width);
        let x_axis = EngAxis::new(self.x_start, self.x_end, (plot_w / 110).max(2), x_unit);
        let heights = lane_heights(&self.lanes, height);
        let mut top = TITLE;
        for (i, (lane, h)) in self.lanes.iter().zip(heights).enumerate() {
            let last = i + 1 == self.lanes.len();
            let area_h = h + if last { BOTTOM } else { 0 };
            let area = root.clone().shrink((0, top), (width, area_h));
            let notes: Vec<&Annotation> = self.annotations.iter().filter(|a| a.lane == i).collect();
            self.draw_lane(&area, i, lane, &x_axis, last, &notes)?;
            top += h + GAP;
        }
        Ok(())
    }
}

/// Plot-area heights of the lanes: what is left after the title, the time axis and the
/// gaps, shared 3:1 between analog and logic lanes (at least 20 pixels each).
fn lane_heights(lanes: &[Lane], height: u32) -> Vec<u32> {
    let weight = |l: &Lane| match l.kind {
        LaneKind::Analog => 3,
        LaneKind::Logic => 1,
    };
    let total: u32 = lanes.iter().map(weight).sum();
    let gaps = GAP * (lanes.len() as u32 - 1);
    let free = height.saturating_sub(TITLE + BOTTOM + gaps + 4);
    lanes
        .iter()
        .map(|l| (free * weight(l) / total).max(20))
        .collect()
}

impl WaveformPlot {
    fn draw_lane<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        index: usize,
        lane: &Lane,
        x_axis: &EngAxis,
        last: bool,
        notes: &[&Annotation],
    ) -> Result<(), PlotError> {
        let (_, area_h) = area.dim_in_pixel();
        let plot_h = area_h.saturating_sub(if last { BOTTOM } else { 0 });
        let (lo, mut hi) = y_range(lane);
        let (data_lo, data_hi) = (lo, hi);
        if !notes.is_empty() {
            // A strip along the top of the lane for the frame boxes, clear of the trace.
            let strip = f64::from(BOX_H as u32 + 6);
            let rest = (f64::from(plot_h) - strip).max(1.0);
            hi += (hi - lo) * strip / rest;
        }
        let y_axis = match lane.kind {
            LaneKind::Analog => {
                let mut axis = EngAxis::new(lo, hi, (plot_h as usize / 36).max(2), &lane.unit);
                // No ticks in the frame strip.
                axis.ticks
                    .retain(|t| *t <= data_hi + 1e-9 * (data_hi - data_lo));
                axis
            }
            LaneKind::Logic => {
                let mut axis = EngAxis::plain(lo, hi, 2, "");
                axis.ticks = vec![0.0, 1.0];
                axis.decimals = 0;
                axis
            }
        };
        let mut chart = ChartBuilder::on(area)
            .margin_right(RIGHT)
            .set_label_area_size(LabelAreaPosition::Left, LEFT)
            .set_label_area_size(LabelAreaPosition::Bottom, if last { BOTTOM } else { 0 })
            .build_cartesian_2d(Ticked::from(x_axis), Ticked::from(&y_axis))
            .map_err(draw_err)?;
        let x_label = |v: &f64| x_axis.label(*v);
        let y_label = |v: &f64| y_axis.label(*v);
        let x_title = x_axis.title(if self.sample_rate.is_some() {
            "Time"
        } else {
            "Sample"
        });
        let y_title = match lane.kind {
            LaneKind::Analog => y_axis.title(&lane.name),
            LaneKind::Logic => lane.name.clone(),
        };
        chart
            .configure_mesh()
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(x_title)
            .label_style(font(14.0, INK))
            .axis_desc_style(font(14.0, INK))
            .bold_line_style(GRID)
            .axis_style(INK)
            .draw()
            .map_err(draw_err)?;

        let (line, band) = {
            let (b, l) = lane_colors(index);
            (RGBColor(l[0], l[1], l[2]), RGBColor(b[0], b[1], b[2]))
        };
        let plotting = chart.plotting_area();
        let (px, py) = plotting.get_pixel_range();
        let (ox, oy) = area_origin(area);
        draw_y_title(area, &y_title, (16, (py.start + py.end) / 2 - oy))?;
        let map_y = |v: f64| {
            let y = chart
                .backend_coord(&(x_axis.lo, v.clamp(y_axis.lo, y_axis.hi)))
                .1;
            y.clamp(py.start, py.end - 1)
        };
        let root = area.strip_coord_spec();
        // `area` coordinates are relative to the lane; backend coordinates are absolute.
        let to_local = |x: i32, y: i32| (x - ox, y - oy);
        match &lane.data {
            LaneData::Envelope(columns) => {
                let pixels = per_pixel(columns, px.len());
                let logic = lane.kind == LaneKind::Logic;
                draw_envelope(
                    &root, &pixels, px.start, &map_y, logic, band, line, &to_local,
                )?;
            }
            LaneData::Points(points) => {
                let to_px = |x: f64, v: f64| {
                    let (bx, _) = chart.backend_coord(&(x, y_axis.lo));
                    to_local(bx, map_y(v))
                };
                draw_points(&root, points, lane.kind, &to_px, px.len(), line)?;
            }
        }
        for note in notes {
            let (x0, _) = chart.backend_coord(&(note.start_s, y_axis.lo));
            let (x1, _) = chart.backend_coord(&(note.end_s, y_axis.lo));
            let (x0, x1) = (x0.max(px.start), x1.min(px.end - 1));
            if x1 - x0 < 3 {
                continue; // Too narrow to see, or outside the view.
            }
            let (l, t) = to_local(x0, py.start + 3);
            let (r, b) = to_local(x1, py.start + 3 + BOX_H);
            root.draw(&Rectangle::new([(l, t), (r, b)], WHITE.mix(0.85).filled()))
                .map_err(draw_err)?;
            root.draw(&Rectangle::new([(l, t), (r, b)], INK.stroke_width(1)))
                .map_err(draw_err)?;
            let style = font(12.0, INK);
            let (tw, _) = root
                .estimate_text_size(&note.label, &style)
                .map_err(draw_err)?;
            if (tw as i32) + 6 <= r - l {
                let centred = style.pos(Pos::new(HPos::Center, VPos::Center));
                root.draw_text(&note.label, &centred, ((l + r) / 2, (t + b) / 2))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

/// Absolute backend position of the top-left corner of `area`.
fn area_origin<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> (i32, i32) {
    let (x, y) = area.get_pixel_range();
    (x.start, y.start)
}

/// The y range of a lane: fixed, 0/1 with a margin for logic, or the finite data range
/// padded by 5% (±1 around a constant).
fn y_range(lane: &Lane) -> (f64, f64) {
    if let Some((lo, hi)) = lane.y_range
        && hi > lo
    {
        return (lo, hi);
    }
    if lane.kind == LaneKind::Logic {
        return (-0.25, 1.25);
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut see = |v: f64| {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    };
    match &lane.data {
        LaneData::Envelope(columns) => columns.iter().for_each(|c| {
            see(c.min);
            see(c.max);
        }),
        LaneData::Points(points) => points.iter().for_each(|p| see(p.1)),
    }
    if lo > hi {
        return (-1.0, 1.0);
    }
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// The columns folded onto `pixels` pixel columns: several columns per pixel combine, a
/// column wider than a pixel repeats.
fn per_pixel(columns: &[ColumnStats], pixels: usize) -> Vec<ColumnStats> {
    let n = columns.len();
    let mut out = vec![ColumnStats::EMPTY; pixels];
    if n == 0 {
        return out;
    }
    for (c, col) in columns.iter().enumerate() {
        let first = c * pixels / n;
        let last = ((c + 1) * pixels / n).max(first + 1).min(pixels);
        for p in &mut out[first..last] {
            *p = p.combine(col);
        }
    }
    out
}

/// Bands (min..max, joined to the previous column so steep edges stay connected) and the
/// mean line, or logic levels and transitions.
#[allow(clippy::too_many_arguments)]
fn draw_envelope<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pixels: &[ColumnStats],
    x0: i32,
    map_y: &dyn Fn(f64) -> i32,
    logic: bool,
    band: RGBColor,
    line: RGBColor,
    to_local: &dyn Fn(i32, i32) -> (i32, i32),
) -> Result<(), PlotError> {
    // Vertical spans per pixel column (top, bottom), None for a gap.
    let mut spans: Vec<Option<(i32, i32)>> = Vec::with_capacity(pixels.len());
    let mut previous: Option<&ColumnStats> = None;
    for p in pixels {
        if !p.has_values() {
            spans.push(None);
            previous = None;
            continue;
        }
        let (mut lo, mut hi) = (p.min, p.max);
        if logic {
            let (a, b) = ((lo != 0.0) as u8 as f64, (hi != 0.0) as u8 as f64);
            (lo, hi) = (a.min(b), a.max(b));
        } else if let Some(prev) = previous {
            // Join to the previous column: a rising edge spans from its max, a falling one
            // from its min.
            if prev.max < lo {
                lo = prev.max;
            }
            if prev.min > hi {
                hi = prev.min;
            }
        }
        spans.push(Some((map_y(hi), map_y(lo))));
        previous = Some(p);
    }
    let (fill, thick) = if logic { (line, 1) } else { (band, 0) };
    // Runs of equal spans become one rectangle (smaller SVGs; same pixels).
    let mut x = 0;
    while x < spans.len() {
        let Some((top, bottom)) = spans[x] else {
            x += 1;
            continue;
        };
        let mut end = x + 1;
        while end < spans.len() && spans[end] == spans[x] {
            end += 1;
        }
        // Filled rectangles are half-open in plotters: right and bottom edges exclusive.
        let (l, t) = to_local(x0 + x as i32, top - thick);
        let (r, b) = to_local(x0 + end as i32, bottom + 1 + thick);
        root.draw(&Rectangle::new([(l, t), (r, b)], fill.filled()))
            .map_err(draw_err)?;
        x = end;
    }
    if logic {
        return Ok(());
    }
    // The mean line, broken at gaps.
    let mut run: Vec<(i32, i32)> = Vec::new();
    for (x, p) in pixels.iter().enumerate() {
        let mean = p.mean();
        if mean.is_finite() {
            run.push(to_local(x0 + x as i32, map_y(mean)));
        } else if !run.is_empty() {
            root.draw(&PathElement::new(
                std::mem::take(&mut run),
                line.stroke_width(1),
            ))
            .map_err(draw_err)?;
        }
    }
    if !run.is_empty() {
        root.draw(&PathElement::new(run, line.stroke_width(1)))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Samples joined by lines (steps for logic), with dots when sparse.
fn draw_points<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    kind: LaneKind,
    to_px: &dyn Fn(f64, f64) -> (i32, i32),
    plot_w: usize,
    line: RGBColor,
) -> Result<(), PlotError> {
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let mut path: Vec<(i32, i32)> = Vec::with_capacity(points.len() * 2);
    for p in points.iter().filter(finite) {
        let v = match kind {
            LaneKind::Analog => p.1,
            LaneKind::Logic => (p.1 != 0.0) as u8 as f64,
        };
        let here = to_px(p.0, v);
        if kind == LaneKind::Logic
            && let Some(&(_, y)) = path.last()
        {
            path.push((here.0, y));
        }
        path.push(here);
    }
    root.draw(&PathElement::new(path, line.stroke_width(2)))
        .map_err(draw_err)?;
    let sparse = plot_w as f64 / points.len().max(1) as f64 >= MARKER_SPACING;
    if sparse && kind == LaneKind::Analog {
        for p in points.iter().filter(finite) {
            root.draw(&Circle::new(to_px(p.0, p.1), 3, line.filled()))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}
