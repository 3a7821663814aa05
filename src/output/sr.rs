//! Writing sigrok sessions (`.sr`, version 2) that sigrok-cli and PulseView open: `version`,
//! `metadata`, then per chunk of samples a `logic-1-N` member of packed little-endian words
//! and one `analog-1-C-N` member of float32 per analog channel, deflated. Memory is one
//! chunk (1 Mi samples) whatever the length.

use super::logic::{LogicKind, LogicSpec, code};
use super::{AtomicFile, write_error};
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// Samples per zip member.
const CHUNK_SAMPLES: usize = 1 << 20;
/// Deflate level (libsigrok's libzip default).
const LEVEL: i64 = 6;

pub struct SrWriter {
    name: PathBuf,
    atomic: AtomicFile,
    zip: ZipWriter<BufWriter<File>>,
    options: SimpleFileOptions,
    /// Per spec channel: where it goes.
    places: Vec<Place>,
    channels: usize,
    unitsize: usize,
    /// `analog-1-C-N` channel numbers, one per analog buffer.
    analog_index: Vec<u64>,
    logic_buf: Vec<u8>,
    analog_bufs: Vec<Vec<u8>>,
    pending: usize,
    next_chunk: u64,
}

#[derive(Debug, Clone, Copy)]
enum Place {
    /// `width` probes from word bit `first`.
    Probes { first: u32, width: u32 },
    /// Analog buffer `k`.
    Analog(usize),
}

impl SrWriter {
    /// Write `version` and `metadata`: logic channels become probes, integer channels one
    /// probe per bit (`name[k]`), analog channels float32 channels.
    pub fn create(path: &Path, spec: &LogicSpec) -> Result<SrWriter> {
        let mut places = Vec::new();
        let mut probe_names = Vec::new();
        let mut analog_names = Vec::new();
        for ch in &spec.channels {
            let name = clean(&ch.name);
            match ch.kind {
                LogicKind::Logic => {
                    places.push(Place::Probes {
                        first: probe_names.len() as u32,
                        width: 1,
                    });
                    probe_names.push(name);
                }
                LogicKind::Integer { width } => {
                    places.push(Place::Probes {
                        first: probe_names.len() as u32,
                        width,
                    });
                    probe_names.extend((0..width).map(|k| format!("{name}[{k}]")));
                }
                LogicKind::Analog { .. } => {
                    places.push(Place::Analog(analog_names.len()));
                    analog_names.push(name);
                }
            }
        }
        if probe_names.len() > 64 {
            bail!(
                "{}: {} logic probes; a sigrok session's word holds at most 64 (pick fewer with --channel)",
                path.display(),
                probe_names.len()
            );
        }
        if places.is_empty() {
            bail!("{}: no channels to write", path.display());
        }
        let bytes = probe_names.len().div_ceil(8);
        let unitsize = if bytes == 0 {
            0
        } else {
            bytes.next_power_of_two()
        };
        let total_probes = unitsize as u64 * 8;
        let first_analog = total_probes + 1;
        let analog_index: Vec<u64> = (0..analog_names.len() as u64)
            .map(|k| first_analog + k)
            .collect();

        let mut meta = format!(
            "[global]\nsigrok version=tracekit {}\n\n[device 1]\n",
            env!("CARGO_PKG_VERSION")
        );
        if unitsize > 0 {
            meta.push_str(&format!(
                "capturefile=logic-1\ntotal probes={total_probes}\n"
            ));
        }
        if let Some(rate) = spec.sample_rate {
            let hz = whole_hz(rate).with_context(|| path.display().to_string())?;
            meta.push_str(&format!("samplerate={}\n", format_samplerate(hz)));
        }
        meta.push_str(&format!("total analog={}\n", analog_names.len()));
        for (k, name) in probe_names.iter().enumerate() {
            meta.push_str(&format!("probe{}={name}\n", k + 1));
        }
        for (n, name) in analog_index.iter().zip(&analog_names) {
            meta.push_str(&format!("analog{n}={name}\n"));
        }
        if unitsize > 0 {
            meta.push_str(&format!("unitsize={unitsize}\n"));
        }

        let mut atomic = AtomicFile::create_regular(
            path,
            "a .sr session is a zip, whose directory is written at the end",
        )?;
        let file = atomic
            .file()?
            .try_clone()
            .map_err(|e| write_error(path, e))?;
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(LEVEL));
        let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
        let zip_error = |e: zip::result::ZipError| anyhow::anyhow!("{}: {e}", path.display());
        zip.start_file("version", options).map_err(zip_error)?;
        zip.write_all(b"2").map_err(|e| write_error(path, e))?;
        zip.start_file("metadata", options).map_err(zip_error)?;
        zip.write_all(meta.as_bytes())
            .map_err(|e| write_error(path, e))?;
        Ok(SrWriter {
            name: path.to_path_buf(),
            atomic,
            zip,
            options,
            channels: places.len(),
            places,
            unitsize,
            analog_bufs: vec![Vec::new(); analog_index.len()],
            analog_index,
            logic_buf: Vec::new(),
            pending: 0,
            next_chunk: 1,
        })
    }

    /// Interleaved frames, one value per channel.
    pub fn write_f64(&mut self, frames: &[f64]) -> Result<()> {
        for frame in frames.chunks_exact(self.channels) {
            let mut word = 0u64;
            for (place, &v) in self.places.iter().zip(frame) {
                match *place {
                    Place::Probes { first, width } => word |= code(v, width) << first,
                    Place::Analog(k) => {
                        self.analog_bufs[k].extend_from_slice(&(v as f32).to_le_bytes())
                    }
                }
            }
            self.logic_buf
                .extend_from_slice(&word.to_le_bytes()[..self.unitsize]);
            self.pending += 1;
            if self.pending == CHUNK_SAMPLES {
                self.flush_chunk()?;
            }
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        crate::interrupt::check().with_context(|| self.name.display().to_string())?;
        let name = self.name.clone();
        let zip_error = |e: zip::result::ZipError| anyhow::anyhow!("{}: {e}", name.display());
        let n = self.next_chunk;
        if self.unitsize > 0 {
            self.zip
                .start_file(format!("logic-1-{n}"), self.options)
                .map_err(zip_error)?;
            self.zip
                .write_all(&self.logic_buf)
                .map_err(|e| write_error(&name, e))?;
            self.logic_buf.clear();
        }
        for (index, buf) in self.analog_index.iter().zip(&mut self.analog_bufs) {
            self.zip
                .start_file(format!("analog-1-{index}-{n}"), self.options)
                .map_err(zip_error)?;
            self.zip.write_all(buf).map_err(|e| write_error(&name, e))?;
            buf.clear();
        }
        self.pending = 0;
        self.next_chunk += 1;
        Ok(())
    }

    /// Write the last chunk and the zip directory, and move the file into place.
    pub fn finish(mut self) -> Result<()> {
        self.flush_chunk()?;
        let name = self.name.clone();
        let out = self
            .zip
            .finish()
            .map_err(|e| anyhow::anyhow!("{}: {e}", name.display()))?;
        out.into_inner()
            .map_err(|e| write_error(&name, e.into_error()))?;
        self.atomic.commit()
    }
}

/// Key-file values are one line.
fn clean(name: &str) -> String {
    name.replace(['\n', '\r'], " ")
}

/// sigrok stores whole Hz.
fn whole_hz(rate: f64) -> Result<u64> {
    let rounded = rate.round();
    if !(rounded >= 1.0 && rounded < u64::MAX as f64) || (rate - rounded).abs() > rate * 1e-9 {
        bail!(
            "the sample rate {rate} Hz is not a whole number of Hz, which is all a sigrok session stores"
        );
    }
    Ok(rounded as u64)
}

/// A rate the way libsigrok writes it (`200 kHz`, `1 MHz`, `12500000 Hz`): exact, so it
/// reads back as the same number.
fn format_samplerate(hz: u64) -> String {
    for (unit, name) in [(1_000_000_000, "GHz"), (1_000_000, "MHz"), (1_000, "kHz")] {
        if hz >= unit && hz.is_multiple_of(unit) {
            return format!("{} {name}", hz / unit);
        }
    }
    format!("{hz} Hz")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_written_exactly() {
        assert_eq!(format_samplerate(8_000_000), "8 MHz");
        assert_eq!(format_samplerate(12_500_000), "12500 kHz");
        assert_eq!(format_samplerate(4_000_000_000), "4 GHz");
        assert_eq!(format_samplerate(999), "999 Hz");
        assert_eq!(whole_hz(40e6).unwrap(), 40_000_000);
        assert!(whole_hz(2.5).is_err());
    }
}
