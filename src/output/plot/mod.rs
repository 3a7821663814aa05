//! Plots as PNG bytes or SVG text: pure functions from a documented data struct, drawn with
//! plotters (bitmap and SVG backends) and an embedded font, DejaVu Sans, rasterised by
//! ab_glyph: no system font lookup, no C library, the same pixels on every machine.
//!
//! - [`render_waveform`]: stacked lanes (one per channel) of per-column min/max/mean
//!   envelopes, or of the samples themselves when zoomed in; logic channels as 0/1 lanes;
//!   decoded frames as labelled boxes.
//! - [`render_spectrogram`]: a dB matrix (time × frequency) in viridis with a colour bar.
//! - [`render_spectrum`]: `fft --plot`, the spectrum in dB with its peaks marked.
//!
//! The data structs are `report::plot`'s, filled from the `dsp::envelope` and
//! `dsp::spectrogram` passes; [`write_plot`] puts the bytes in a file (atomically) or on
//! stdout.

pub mod axis;
pub mod colormap;
pub mod overlay;
pub mod spectrogram;
pub mod spectrum;
pub mod waveform;

pub use spectrogram::{render_spectrogram, spectrogram_columns, write_matrix};
pub use spectrum::write_spectrum_plot;
pub use waveform::{render_waveform, waveform_columns};

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::OnceLock;

crate::named_enum! {
    /// The output encoding.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Format {
        /// 8-bit RGB PNG.
        Png = "png",
        /// SVG 1.1 text (rasters such as the spectrogram embedded as PNG images).
        Svg = "svg",
    }
}

impl Format {
    /// The format a file name's extension asks for (`png` or `svg`, any case).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The format of the plot written to `path`: `format` when given, else PNG for `-`
    /// (stdout) and the extension's (`.png`, `.svg`) for a file. Checked before the long
    /// read, so a wrong name fails at once.
    pub fn for_output(path: &Path, format: Option<Format>) -> anyhow::Result<Format> {
        if let Some(f) = format {
            return Ok(f);
        }
        if path == Path::new("-") {
            return Ok(Format::Png);
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) => Format::from_extension(ext),
            None => None,
        }
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: plots are written as PNG or SVG: use a .png or .svg name, or --format png|svg",
                path.display()
            )
        })
    }
}

/// Fails at once, before the long read, when `path` (a picture or matrix to write later)
/// cannot be created: its folder is missing or not writable. `-` (stdout) always passes.
pub fn check_output(path: &Path) -> anyhow::Result<()> {
    if path == Path::new("-") {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: cannot write there: the folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    tempfile::Builder::new()
        .prefix(".tracekit-probe")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| anyhow::anyhow!("{}: cannot write there: {e}", path.display()))
}

/// Writes a rendered plot to `path` (atomically, see [`super::AtomicFile`]), or to stdout
/// for `-`.
pub fn write_plot(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if path == Path::new("-") {
        let mut out = super::stdout();
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(());
    }
    let mut file = super::AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| super::write_error(path, e))?;
    file.commit()
}

/// Smallest and largest accepted image side, in pixels.
pub const MIN_SIDE: u32 = 200;
/// Largest accepted image side, in pixels (a 16k × 16k RGB buffer is 768 MiB).
pub const MAX_SIDE: u32 = 16_384;

/// Why a plot could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Width or height outside [`MIN_SIDE`]..=[`MAX_SIDE`].
    #[error("plot size must be {MIN_SIDE} to {MAX_SIDE} pixels a side, got {width}x{height}")]
    Size {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
    },
    /// The embedded font did not parse (a build problem, not a user error).
    #[error("the embedded font could not be loaded")]
    Font,
    /// plotters reported an error while drawing.
    #[error("drawing the plot failed: {0}")]
    Draw(String),
    /// The PNG encoder failed.
    #[error("encoding the PNG failed: {0}")]
    Png(String),
    /// The data struct is inconsistent (the message names the field and the values).
    #[error("{0}")]
    Data(String),
}

/// The family name the embedded font is registered under.
const FONT: &str = "sans-serif";

/// Registers DejaVu Sans with plotters once per process.
fn register_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// The embedded font at `size` pixels, in `color`. Use even sizes: plotters places each
/// glyph at `size / 2 + top` truncated toward zero, so an odd size puts a '.' a pixel
/// higher than the digits around it.
fn font(size: f64, color: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
    }
}

/// A plotters coordinate over `lo..hi` whose grid lines and labels sit exactly at an
/// [`EngAxis`]'s ticks (plotters would choose its own otherwise).
struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl From<&axis::EngAxis> for Ticked {
    fn from(axis: &axis::EngAxis) -> Ticked {
        Ticked {
            lo: axis.lo,
            hi: axis.hi,
            ticks: axis.ticks.clone(),
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    /// As plotters' `RangedCoordf64`.
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        let length = f64::from(limit.1 - limit.0);
        if !t.is_finite() {
            return limit.0;
        }
        if length >= 0.0 {
            limit.0 + (length * t + 1e-3).floor() as i32
        } else {
            limit.0 + (length * t - 1e-3).ceil() as i32
        }
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Draws `text` rotated to read bottom to top, centred on (`x`, `y`) of `root` (plotters'
/// own `y_desc` places rotated text off the label area with the ab_glyph font).
fn draw_y_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let style = font(14.0, INK)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw_text(text, &style, (x, y)).map_err(draw_err)
}

/// Turns any plotters error into a [`PlotError`].
fn draw_err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}

/// An RGB raster shown stretched over a pixel rectangle (nearest neighbour).
struct Inset {
    /// Top-left corner and size of the rectangle on the canvas.
    x: i32,
    y: i32,
    w: u32,
    h: u32,
    /// The raster: `image_w × image_h` RGB pixels, row-major from the top.
    image_w: u32,
    image_h: u32,
    rgb: Vec<u8>,
}

/// A figure that draws itself on either backend.
trait Figure {
    /// Draws everything on `root`; rasters go through `canvas`, which blits them at once
    /// on a bitmap and embeds them as images in an SVG.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        canvas: &mut Canvas,
    ) -> Result<(), PlotError>;
}

/// What a figure needs to know about the output beyond the plotters backend.
struct Canvas {
    raster: bool,
    pending: Vec<Inset>,
}

impl Canvas {
    /// Shows `inset`: blitted now on a bitmap, embedded under the rest in an SVG.
    fn place<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        inset: Inset,
    ) -> Result<(), PlotError> {
        if !self.raster {
            self.pending.push(inset);
            return Ok(());
        }
        let (at, size) = ((inset.x, inset.y), (inset.w, inset.h));
        let element = BitMapElement::with_owned_buffer(at, size, stretch(inset))
            .ok_or_else(|| PlotError::Draw("raster buffer of the wrong size".to_string()))?;
        root.draw(&element).map_err(draw_err)
    }
}

/// The inset's raster resized to its rectangle, nearest neighbour (as it is when it was
/// drawn at the rectangle's size).
fn stretch(inset: Inset) -> Vec<u8> {
    if (inset.image_w, inset.image_h) == (inset.w, inset.h) {
        return inset.rgb;
    }
    let (w, h) = (inset.w as usize, inset.h as usize);
    let (iw, ih) = (inset.image_w as usize, inset.image_h as usize);
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        let sy = (y * ih / h.max(1)).min(ih.saturating_sub(1));
        for x in 0..w {
            let sx = (x * iw / w.max(1)).min(iw.saturating_sub(1));
            let src = (sy * iw + sx) * 3;
            out[(y * w + x) * 3..(y * w + x) * 3 + 3].copy_from_slice(&inset.rgb[src..src + 3]);
        }
    }
    out
}

/// Draws `figure` at `width × height` and encodes it.
fn render(
    figure: &impl Figure,
    format: Format,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, PlotError> {
    let sides = MIN_SIDE..=MAX_SIDE;
    if !(sides.contains(&width) && sides.contains(&height)) {
        return Err(PlotError::Size { width, height });
    }
    register_font()?;
    match format {
        Format::Png => {
            let mut rgb = vec![0u8; width as usize * height as usize * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
                let mut canvas = Canvas {
                    raster: true,
                    pending: Vec::new(),
                };
                figure.draw(&root, &mut canvas)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&rgb, width, height)
        }
        Format::Svg => {
            let mut svg = String::new();
            let pending = {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                let mut canvas = Canvas {
                    raster: false,
                    pending: Vec::new(),
                };
                figure.draw(&root, &mut canvas)?;
                root.present().map_err(draw_err)?;
                canvas.pending
            };
            for inset in pending.iter().rev() {
                embed(&mut svg, inset)?;
            }
            Ok(svg.into_bytes())
        }
    }
}

/// 8-bit RGB PNG of `rgb` (fast deflate: plots are flat colours and compress well).
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .map_err(|e| PlotError::Png(e.to_string()))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| PlotError::Png(e.to_string()))?;
    writer.finish().map_err(|e| PlotError::Png(e.to_string()))?;
    Ok(out)
}

/// Puts `inset` into `svg` as an `<image>` right after the background (so axes, labels
/// and frames drawn later stay on top). plotters' SVG starts with the `<svg>` tag and the
/// background `<rect …/>`.
fn embed(svg: &mut String, inset: &Inset) -> Result<(), PlotError> {
    let png = encode_png(&inset.rgb, inset.image_w, inset.image_h)?;
    let mut element = String::new();
    let _ = write!(
        element,
        r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,"#,
        inset.x, inset.y, inset.w, inset.h
    );
    base64_into(&png, &mut element);
    element.push_str("\"/>\n");
    let background_end = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e + 1))
        .and_then(|s| svg[s..].find("/>").map(|e| s + e + 2));
    let at = background_end
        .or_else(|| svg.rfind("</svg>"))
        .ok_or_else(|| PlotError::Draw("plotters wrote no <svg> element".to_string()))?;
    svg.insert_str(at, &element);
    Ok(())
}

/// Standard base64 (RFC 4648, with padding) of `bytes`, appended to `out`.
fn base64_into(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

/// `#rrggbb` as an [`RGBColor`].
const fn rgb(hex: u32) -> RGBColor {
    RGBColor((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// Grid lines.
const GRID: RGBColor = rgb(0xdddddd);
/// Axis lines and text.
const INK: RGBColor = rgb(0x222222);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            base64_into(input.as_bytes(), &mut out);
            assert_eq!(out, want, "{input:?}");
        }
    }

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_extension("PNG"), Some(Format::Png));
        assert_eq!(Format::from_extension("svg"), Some(Format::Svg));
        assert_eq!(Format::from_extension("pdf"), None);
    }
}
