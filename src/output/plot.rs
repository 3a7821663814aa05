//! The spectrum as a hand-written SVG: axes, ticks, labels, one dB polyline per channel and
//! the listed peaks marked. Plain text, no drawing library; huge spectra are decimated to a
//! min/max pair per pixel column so the file stays small and every spike stays visible.

use super::AtomicFile;
use super::spectrum::extension;
use crate::dsp::metrics::to_db;
use crate::dsp::welch::Spectrum;
use crate::report::fft::FftReport;
use anyhow::{Result, bail};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 520.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 60.0;
/// The y axis shows at most this many dB below the highest bin (zeros are −∞ dB).
const MAX_RANGE_DB: f64 = 200.0;
const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
];

/// Refuse anything but `.svg` before the (long) analysis starts.
pub fn check_plot_path(path: &Path) -> Result<()> {
    if extension(path).as_deref() != Some("svg") {
        bail!(
            "{}: plots are written as SVG only (PNG needs a raster library tracekit does not \
             ship); use a .svg name",
            path.display()
        );
    }
    Ok(())
}

/// Draw every channel's spectrum in dB into `path` (written atomically).
pub fn write_svg(path: &Path, report: &FftReport, spectra: &[Spectrum]) -> Result<()> {
    let svg = render_svg(report, spectra);
    let mut file = AtomicFile::create(path)?;
    file.write_all(svg.as_bytes())
        .map_err(|e| super::write_error(path, e))?;
    file.commit()
}

/// The SVG document as text.
pub fn render_svg(report: &FftReport, spectra: &[Spectrum]) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let f_max = spectra
        .first()
        .and_then(|s| s.freqs.last().copied())
        .filter(|f| *f > 0.0)
        .unwrap_or(0.5);
    let finite = spectra
        .iter()
        .flat_map(|s| s.power.iter().map(|p| to_db(*p)))
        .filter(|d| d.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    let (db_top, db_bottom) = if hi.is_finite() {
        let top = (hi / 10.0).ceil() * 10.0;
        let bottom = (lo.max(hi - MAX_RANGE_DB) / 10.0).floor() * 10.0;
        (top, if bottom < top { bottom } else { top - 10.0 })
    } else {
        (0.0, -100.0)
    };
    let x_of = |f: f64| LEFT + f / f_max * plot_w;
    let y_of = |db: f64| {
        let d = if db.is_finite() { db } else { db_bottom };
        TOP + (db_top - d.clamp(db_bottom, db_top)) / (db_top - db_bottom) * plot_h
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="{}" y="22" text-anchor="middle" font-size="14">{} — {} window, nfft {}, {} segments, {}</text>"#,
        WIDTH / 2.0,
        xml_escape(&report.path),
        xml_escape(&report.window),
        report.nfft,
        report.segments,
        report.scaling
    );
    // Grid and ticks.
    for f in nice_ticks(0.0, f_max, 8) {
        let x = x_of(f);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 16.0,
            tick_label(f)
        );
    }
    for db in nice_ticks(db_bottom, db_top, 8) {
        let y = y_of(db);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0,
            tick_label(db)
        );
    }
    let _ = writeln!(
        s,
        r#"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="black"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">Frequency ({})</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 18.0,
        report.frequency_unit
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(20 {:.1}) rotate(-90)" text-anchor="middle">Level ({})</text>"#,
        TOP + plot_h / 2.0,
        report.level_unit
    );
    // Traces, then the peaks on top.
    for (i, spectrum) in spectra.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points = decimate(&spectrum.power, plot_w as usize)
            .into_iter()
            .map(|(k, p)| format!("{:.2},{:.2}", x_of(spectrum.freqs[k]), y_of(to_db(p))))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="1" points="{points}"/>"#
        );
    }
    for (i, channel) in report.channels.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        for peak in &channel.peaks {
            let (x, y) = (x_of(peak.freq), y_of(peak.level_db));
            let _ = writeln!(
                s,
                r#"<circle class="peak" cx="{x:.1}" cy="{y:.1}" r="4" fill="none" stroke="{color}" stroke-width="1.5"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="{color}">{} {}</text>"#,
                (y - 8.0).max(TOP + 10.0),
                tick_label(peak.freq),
                report.frequency_unit
            );
        }
    }
    if spectra.len() > 1 {
        for (i, channel) in report.channels.iter().enumerate() {
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{}">channel {}</text>"#,
                LEFT + plot_w - 8.0,
                TOP + 16.0 + 14.0 * i as f64,
                COLORS[i % COLORS.len()],
                channel.channel
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

/// Bins to draw: all of them when they fit, else the lowest and highest bin of each of
/// `columns` equal runs (in bin order), so peaks and nulls survive.
fn decimate(power: &[f64], columns: usize) -> Vec<(usize, f64)> {
    if power.len() <= 2 * columns.max(1) {
        return power.iter().copied().enumerate().collect();
    }
    let per = power.len().div_ceil(columns);
    let mut out = Vec::with_capacity(2 * columns);
    for (c, run) in power.chunks(per).enumerate() {
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

/// About `count` round tick values (1, 2 or 5 × 10ⁿ apart) covering `lo..=hi`.
fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return vec![lo];
    }
    let raw = span / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A short axis label with an SI prefix and no unit (the axis title has it): `250k`,
/// `1.5M`, `-120`, `0.125`.
fn tick_label(v: f64) -> String {
    let (scale, prefix) = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(scale, _)| v.abs() >= *scale)
        .unwrap_or((1.0, ""));
    let text = format!("{:.4}", v / scale);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{prefix}")
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        // 500k / 8 = 62.5k rounds up to the next 1-2-5 step, 100k.
        assert_eq!(
            nice_ticks(0.0, 500_000.0, 8),
            (0..=5).map(|i| i as f64 * 100_000.0).collect::<Vec<_>>()
        );
        assert_eq!(
            nice_ticks(-130.0, 0.0, 8),
            vec![-120.0, -100.0, -80.0, -60.0, -40.0, -20.0, 0.0]
        );
        assert_eq!(tick_label(250_000.0), "250k");
        assert_eq!(tick_label(1.5e6), "1.5M");
        assert_eq!(tick_label(-120.0), "-120");
    }

    #[test]
    fn decimation_keeps_every_extreme() {
        let mut power = vec![1.0; 10_000];
        power[4321] = 1e6;
        power[777] = 1e-9;
        let kept = decimate(&power, 100);
        assert!(kept.len() <= 200, "{}", kept.len());
        assert!(kept.contains(&(4321, 1e6)) && kept.contains(&(777, 1e-9)));
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "bin order");
        assert_eq!(decimate(&power[..150], 100).len(), 150);
    }
}
