//! Rigol `.wfm` waveform files: one module per family, because each family has its own
//! header layout, channel storage (separate blocks or interleaved frames) and ADC scale.
//!
//! | magic          | family            | module     |
//! |----------------|-------------------|------------|
//! | `a5 a5 00 00`  | DS1000E, DS1000D  | `ds1000e`  |
//! | `a5 a5 a4 01`  | DS1000B           | `ds1000b`  |
//! | `01 ff ff ff`  | DS1000Z, MSO1000Z | `ds1000z`  |
//! | `a5 a5 38 00`  | DS2000 / DS4000 (model string at byte 4 tells them apart) | `ds2000`, `ds4000` |
//! | `02 00 00 00`  | DHO800, DHO1000   | `dho`      |
//!
//! Layouts were learnt from the Kaitai descriptions and Python of scottprahl/RigolWFM and
//! checked against the scopes' own CSV exports where they exist (see REPORT.md).
//! Every family stores ADC codes; each channel gets the affine `gain`/`offset` that turns a
//! code into volts, and the time axis is `t0 + i / rate` with the trigger at t = 0.
//! Times stored in picoseconds are divided by 1e12 (one rounding, so 200 µs/div reads as
//! 2e-4, not the 1.9999999999999998e-4 of a multiplication by 1e-12).

mod dho;
mod ds1000b;
mod ds1000e;
mod ds1000z;
mod ds2000;
mod ds4000;

use crate::loader::XUnit;
use crate::loader::layout::{Channel, Column, Layout, Run};
use crate::loader::scope::bin_container::{screen_points, trigger_index};
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::{ChannelMeta, ScopeMeta, TriggerMeta};
use crate::loader::scope::{FormatError, checked};
use crate::sample::{DType, Endian};
use std::fs::File;
use std::path::Path;

pub const NAME: &str = "rigol-wfm";

/// The loader's handle on this format.
pub struct RigolWfm;

impl crate::loader::Format for RigolWfm {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(sniff(head, extension), false)
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        crate::loader::layout::open_with(input, NAME, parse)
    }
}

/// The first four bytes of each family.
const MAGIC_E: [u8; 4] = [0xa5, 0xa5, 0x00, 0x00];
const MAGIC_B: [u8; 4] = [0xa5, 0xa5, 0xa4, 0x01];
const MAGIC_Z: [u8; 4] = [0x01, 0xff, 0xff, 0xff];
const MAGIC_2000_4000: [u8; 4] = [0xa5, 0xa5, 0x38, 0x00];
const MAGIC_DHO: [u8; 4] = [0x02, 0x00, 0x00, 0x00];
/// DS1000C/CD files (first byte 0xa1); recognised so the error can name them.
const MAGIC_C: [u8; 4] = [0xa1, 0xa5, 0x00, 0x00];

/// A Rigol .wfm by its magic; the DHO magic (`02 00 00 00`) is too common to trust without
/// the `.wfm` extension.
pub fn sniff(head: &[u8], extension: &str) -> bool {
    let Some(magic) = head.get(..4) else {
        return false;
    };
    [MAGIC_E, MAGIC_B, MAGIC_Z, MAGIC_2000_4000, MAGIC_C].contains(&magic_of(magic))
        || (magic == MAGIC_DHO && extension.eq_ignore_ascii_case("wfm"))
}

fn magic_of(bytes: &[u8]) -> [u8; 4] {
    let mut m = [0u8; 4];
    for (d, s) in m.iter_mut().zip(bytes) {
        *d = *s;
    }
    m
}

pub fn parse(file: &File, _path: &Path, size: u64) -> Result<Layout<ScopeMeta>, FormatError> {
    let src = Source::new(file, size);
    let head = src.fields("file magic", 0, 4)?;
    let capture = match magic_of(head.bytes()) {
        MAGIC_E => ds1000e::parse(&src)?,
        MAGIC_B => ds1000b::parse(&src)?,
        MAGIC_Z => ds1000z::parse(&src)?,
        MAGIC_2000_4000 => {
            // The serial number's prefix names the family (DS2D…, DS4A…, DS6…).
            let serial = src
                .fields("serial number", 4, 20)?
                .text(0, 20)?
                .unwrap_or_default();
            if serial.starts_with("DS4") || serial.starts_with("MSO4") {
                ds4000::parse(&src)?
            } else if serial.starts_with("DS6") || serial.starts_with("MSO6") {
                return Err(FormatError::Unknown {
                    format: NAME,
                    what: "model (from the serial number)",
                    found: serial,
                    known: "DS1000E/D, DS1000B, DS1000Z, DS2000, DS4000, DHO800/1000",
                });
            } else {
                ds2000::parse(&src, &serial)?
            }
        }
        MAGIC_DHO => dho::parse(&src)?,
        other => {
            let family = if other == MAGIC_C {
                "DS1000C/CD file (a1 a5 00 00)".to_string()
            } else {
                hex(&other)
            };
            return Err(FormatError::Unknown {
                format: NAME,
                what: "file magic",
                found: family,
                known: "a5a50000 DS1000E/D, a5a5a401 DS1000B, 01ffffff DS1000Z, a5a53800 DS2000/DS4000, 02000000 DHO",
            });
        }
    };
    capture.into_layout(size)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a family parser found: the channels with their storage and scale, and the
/// acquisition facts. `into_layout` turns it into the §A Layout.
struct Capture {
    family: &'static str,
    model: Option<String>,
    serial: Option<String>,
    firmware: Option<String>,
    acquisition: Option<String>,
    /// Samples per channel.
    samples: u64,
    sample_rate: f64,
    /// Time of the first sample, trigger at 0.
    t0: f64,
    time_per_div: Option<f64>,
    time_offset: Option<f64>,
    /// Horizontal divisions on screen, for the screen-points figure.
    screen_divisions: f64,
    trigger: Option<TriggerMeta>,
    channels: Vec<ScopeChannel>,
    warnings: Vec<String>,
}

/// One analog channel: where its codes lie and how they become volts.
struct ScopeChannel {
    meta: ChannelMeta,
    dtype: DType,
    run: Run,
    gain: f64,
    offset: f64,
}

impl ScopeChannel {
    /// A channel of u8 codes, `value = code * gain + offset`; `meta.stored` says so.
    fn codes(mut meta: ChannelMeta, dtype: DType, run: Run, gain: f64, offset: f64) -> Self {
        meta.stored = format!(
            "{} code × {} {} {}",
            dtype.short_name(),
            short(gain),
            if offset < 0.0 { "-" } else { "+" },
            short(offset.abs())
        );
        ScopeChannel {
            meta,
            dtype,
            run,
            gain,
            offset,
        }
    }
}

/// A float printed with up to 7 significant digits (what the f32 header fields carry).
fn short(v: f64) -> String {
    let text = format!("{v:.6e}");
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let value: f64 = format!("{mantissa}e{exp}").parse().unwrap_or(v);
            format!("{value}")
        }
        None => text,
    }
}

impl Capture {
    fn into_layout(self, file_size: u64) -> Result<Layout<ScopeMeta>, FormatError> {
        if self.channels.is_empty() {
            return Err(FormatError::Unsupported {
                format: NAME,
                why: format!("the {} header enables no channel", self.family),
            });
        }
        if !(self.sample_rate.is_finite() && self.sample_rate > 0.0) {
            return Err(FormatError::bad(
                NAME,
                "sample rate",
                self.sample_rate,
                "it must be a positive number",
            ));
        }
        let dt = 1.0 / self.sample_rate;
        let mut columns = Vec::new();
        let mut channels = Vec::new();
        let mut channel_meta = Vec::new();
        for c in self.channels {
            channels.push(Channel {
                name: c.meta.name.clone(),
                unit: Some(c.meta.unit.clone().unwrap_or_else(|| "V".into())),
                column: columns.len(),
                bit: None,
                gain: c.gain,
                offset: c.offset,
                complex_i: false,
            });
            columns.push(Column {
                dtype: c.dtype,
                endian: Endian::Little,
                runs: vec![c.run],
            });
            channel_meta.push(c.meta);
        }
        let screen = self
            .time_per_div
            .and_then(|t| screen_points(t * self.screen_divisions, dt, self.samples));
        let meta = ScopeMeta {
            format: format!("Rigol .wfm ({})", self.family),
            model: self.model,
            serial: self.serial,
            firmware: self.firmware,
            date: None,
            acquisition: self.acquisition,
            sample_rate: Some(self.sample_rate),
            record_length: self.samples,
            screen_points: screen,
            time_per_div: self.time_per_div,
            time_offset: self.time_offset,
            trigger_index: trigger_index(self.t0, dt, self.samples),
            trigger: self.trigger,
            channels: channel_meta,
            records: Vec::new(),
        };
        checked(
            Layout {
                data_file: None,
                columns,
                channels,
                samples: self.samples,
                x_increment: Some(dt),
                x_unit: XUnit::Seconds,
                x_origin: Some(self.t0),
                segments: Vec::new(),
                warnings: self.warnings,
                meta,
            },
            file_size,
        )
    }
}

/// The probe attenuation codes of the DS1000Z/DS2000/DS4000 headers.
fn probe_ratio(code: u8) -> Option<f64> {
    const RATIOS: [f64; 16] = [
        0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
        1000.0,
    ];
    RATIOS.get(usize::from(code)).copied()
}

fn coupling_name(code: u8) -> Option<String> {
    match code {
        0 => Some("DC".into()),
        1 => Some("AC".into()),
        2 => Some("GND".into()),
        _ => None,
    }
}

fn unit_name(code: u8) -> Option<String> {
    match code {
        0 => Some("W".into()),
        1 => Some("A".into()),
        2 => Some("V".into()),
        3 => Some("U".into()),
        _ => None,
    }
}

/// Samples per channel must fit in the file: refuse a lying count before it is used.
fn check_points(
    src: &Source,
    what: &str,
    points: u64,
    per_sample_bytes: u64,
    data_start: u64,
) -> Result<(), FormatError> {
    let need = points.saturating_mul(per_sample_bytes);
    src.check(what, data_start, need)
}

/// A sample rate the header states, checked to be usable.
fn rate(value: f64, what: &str) -> Result<f64, FormatError> {
    if value.is_finite() && value > 0.0 && value < 1e13 {
        Ok(value)
    } else {
        Err(FormatError::bad(
            NAME,
            what,
            value,
            "it must lie between 0 and 10 TSa/s",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_and_dho_by_extension() {
        assert!(sniff(&[0xa5, 0xa5, 0x00, 0x00, 1], "wfm"));
        assert!(sniff(&[0x01, 0xff, 0xff, 0xff], "bin"));
        assert!(sniff(&[0x02, 0, 0, 0], "WFM"));
        assert!(!sniff(&[0x02, 0, 0, 0], "dat"));
        assert!(!sniff(&[0xa5], "wfm"));
        assert!(!sniff(b"RG01", "bin"));
    }

    #[test]
    fn short_floats() {
        assert_eq!(short(-0.08), "-0.08");
        assert_eq!(short(0.002_000_000_029_802_322_5), "0.002");
        assert_eq!(short(10.0), "10");
    }
}
