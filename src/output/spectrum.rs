//! The `fft` report: one serde struct rendered as JSON or tables, and the per-bin spectrum
//! file (.csv or .npy).

use super::table::{self, num};
use super::{AtomicFile, write_error};
use crate::dsp::metrics::{self, Peak, ToneMetrics};
use crate::dsp::welch::{Average, Detrend, Scaling, Spectrum};
use crate::sample::npy::build_header;
use crate::sample::{CaptureMeta, DType, Endian};
use anyhow::{Result, bail};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The `--json` object of `tracekit fft` (keys documented in `--help` and docs/fft.md).
#[derive(Debug, Serialize)]
pub struct FftReport {
    pub path: String,
    /// Samples per channel analysed (the range).
    pub samples: u64,
    pub sample_rate: Option<f64>,
    /// `Hz`, or `cycles/sample` when no rate is known.
    pub frequency_unit: &'static str,
    pub nfft: usize,
    /// Overlap in samples.
    pub overlap: usize,
    pub window: String,
    pub detrend: &'static str,
    pub scaling: &'static str,
    pub average: &'static str,
    /// Bin spacing, in `frequency_unit`.
    pub resolution: f64,
    /// Equivalent noise bandwidth, in `frequency_unit`.
    pub enbw: f64,
    pub enbw_bins: f64,
    pub segments: u64,
    /// Unit of every `level_db` and of `noise_floor_db`.
    pub level_unit: &'static str,
    pub channels: Vec<ChannelReport>,
}

#[derive(Debug, Serialize)]
pub struct ChannelReport {
    pub channel: usize,
    pub peaks: Vec<PeakReport>,
    /// Median of the non-DC bins, in `level_unit`.
    pub noise_floor_db: f64,
    /// Figures of the strongest tone; null when the spectrum has no peak.
    pub tone: Option<ToneReport>,
}

#[derive(Debug, Serialize)]
pub struct PeakReport {
    pub freq: f64,
    /// Highest bin, in `level_unit`.
    pub level_db: f64,
    /// Tone power from all its bins, dBV² (A²/2 for amplitude A).
    pub power_db: f64,
}

#[derive(Debug, Serialize)]
pub struct ToneReport {
    pub freq: f64,
    pub level_db: f64,
    pub power_db: f64,
    pub snr_db: f64,
    pub thd_db: f64,
    pub sinad_db: f64,
    pub sfdr_db: f64,
    pub enob: f64,
    pub spur_freq: f64,
    pub harmonics: Vec<HarmonicReport>,
}

#[derive(Debug, Serialize)]
pub struct HarmonicReport {
    pub order: usize,
    pub freq: f64,
    pub dbc: f64,
}

impl From<&Peak> for PeakReport {
    fn from(p: &Peak) -> Self {
        PeakReport {
            freq: p.freq,
            level_db: p.level_db,
            power_db: p.power_db,
        }
    }
}

impl From<ToneMetrics> for ToneReport {
    fn from(m: ToneMetrics) -> Self {
        ToneReport {
            freq: m.fundamental.freq,
            level_db: m.fundamental.level_db,
            power_db: m.fundamental.power_db,
            snr_db: m.snr_db,
            thd_db: m.thd_db,
            sinad_db: m.sinad_db,
            sfdr_db: m.sfdr_db,
            enob: m.enob,
            spur_freq: m.spur_freq,
            harmonics: m
                .harmonics
                .iter()
                .map(|h| HarmonicReport {
                    order: h.order,
                    freq: h.freq,
                    dbc: h.dbc,
                })
                .collect(),
        }
    }
}

/// `Hz`, or `cycles/sample` without a rate.
pub fn frequency_unit(spectrum: &Spectrum) -> &'static str {
    if spectrum.sample_rate.is_some() {
        "Hz"
    } else {
        "cycles/sample"
    }
}

impl FftReport {
    /// The report for one spectrum per channel (`channels[i]` is the channel index of
    /// `spectra[i]`); every spectrum shares one configuration.
    pub fn new(
        path: &str,
        channels: &[usize],
        spectra: &[Spectrum],
        detrend: Detrend,
        peaks: usize,
    ) -> Result<FftReport> {
        let Some(first) = spectra.first() else {
            bail!("{path}: no channel to analyse");
        };
        Ok(FftReport {
            path: path.to_string(),
            samples: first.samples,
            sample_rate: first.sample_rate,
            frequency_unit: frequency_unit(first),
            nfft: first.nfft,
            overlap: first.overlap,
            window: first.window.to_string(),
            detrend: match detrend {
                Detrend::Mean => "mean",
                Detrend::None => "none",
            },
            scaling: match first.scaling {
                Scaling::Density => "density",
                Scaling::Spectrum => "spectrum",
            },
            average: match first.average {
                Average::Mean => "mean",
                Average::Max => "max",
            },
            resolution: first.resolution,
            enbw: first.enbw,
            enbw_bins: first.enbw_bins,
            segments: first.segments,
            level_unit: metrics::level_unit(first),
            channels: channels
                .iter()
                .zip(spectra)
                .map(|(&channel, s)| ChannelReport {
                    channel,
                    peaks: metrics::peaks(s, peaks)
                        .iter()
                        .map(PeakReport::from)
                        .collect(),
                    noise_floor_db: metrics::to_db(metrics::noise_floor(s)),
                    tone: metrics::tone_metrics(s).map(ToneReport::from),
                })
                .collect(),
        })
    }

    /// The summary, peaks and tone tables for people.
    pub fn write_tables(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let unit = self.frequency_unit;
        let rate = self.sample_rate.map_or_else(
            || "unknown: frequencies in cycles/sample (pass -r RATE for Hz)".to_string(),
            |r| format!("{} ({} Hz)", crate::units::format_rate(r), num(r)),
        );
        let rows = [
            ("path", self.path.clone()),
            ("samples", self.samples.to_string()),
            ("sample rate", rate),
            ("nfft", self.nfft.to_string()),
            ("overlap", format!("{} samples", self.overlap)),
            ("window", self.window.clone()),
            (
                "detrend / scaling / average",
                format!("{} / {} / {}", self.detrend, self.scaling, self.average),
            ),
            ("resolution", format!("{} {unit}", num(self.resolution))),
            (
                "ENBW",
                format!("{} {unit} ({} bins)", num(self.enbw), num(self.enbw_bins)),
            ),
            ("segments", self.segments.to_string()),
        ];
        writeln!(out, "{}", table::key_values(&rows))?;
        let db = |v: f64| format!("{v:.2}");
        let peak_rows = self
            .channels
            .iter()
            .flat_map(|c| {
                c.peaks.iter().enumerate().map(move |(i, p)| {
                    vec![
                        c.channel.to_string(),
                        (i + 1).to_string(),
                        num(p.freq),
                        db(p.level_db),
                        db(p.power_db),
                    ]
                })
            })
            .collect();
        let freq_head = format!("freq ({unit})");
        let level_head = format!("level ({})", self.level_unit);
        writeln!(
            out,
            "{}",
            table::grid(
                &["channel", "peak", &freq_head, &level_head, "power (dBV²)"],
                peak_rows
            )
        )?;
        let floor_head = format!("noise floor ({})", self.level_unit);
        let tone_head = format!("tone ({unit})");
        let tone_rows = self
            .channels
            .iter()
            .map(|c| {
                let mut row = vec![c.channel.to_string(), db(c.noise_floor_db)];
                match &c.tone {
                    Some(t) => row.extend([
                        num(t.freq),
                        db(t.snr_db),
                        db(t.thd_db),
                        db(t.sinad_db),
                        db(t.sfdr_db),
                        format!("{:.2}", t.enob),
                    ]),
                    None => row.extend(std::iter::repeat_n("-".to_string(), 6)),
                }
                row
            })
            .collect();
        writeln!(
            out,
            "{}",
            table::grid(
                &[
                    "channel",
                    &floor_head,
                    &tone_head,
                    "SNR (dB)",
                    "THD (dB)",
                    "SINAD (dB)",
                    "SFDR (dB)",
                    "ENOB"
                ],
                tone_rows
            )
        )
    }
}

/// Write every bin of every channel to `path`: `.csv` (a header line, then
/// `freq,power,power_db` per channel) or `.npy` (float64, shape (bins, columns), the same
/// columns). Rejects other extensions before anything is created.
pub fn write_spectrum_file(path: &Path, spectra: &[Spectrum], channels: &[usize]) -> Result<()> {
    let csv = match extension(path).as_deref() {
        Some("csv") => true,
        Some("npy") => false,
        _ => bail!("{}: the spectrum file must be .csv or .npy", path.display()),
    };
    let Some(first) = spectra.first() else {
        return Ok(());
    };
    let mut header = vec![if first.sample_rate.is_some() {
        "freq_hz".to_string()
    } else {
        "freq_cycles_per_sample".to_string()
    }];
    if let [_] = channels {
        header.extend(["power".to_string(), "power_db".to_string()]);
    } else {
        for c in channels {
            header.extend([format!("power_{c}"), format!("power_db_{c}")]);
        }
    }
    let mut file = AtomicFile::create(path)?;
    let bins = first.freqs.len();
    let mut row = Vec::with_capacity(header.len());
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    if csv {
        writeln!(buf, "{}", header.join(","))?;
    } else {
        let shape = [bins as u64, header.len() as u64];
        let meta = CaptureMeta::default();
        buf.extend(build_header(
            DType::F64,
            Endian::NATIVE,
            false,
            &shape,
            &meta,
        ));
    }
    for k in 0..bins {
        row.clear();
        row.push(first.freqs[k]);
        for s in spectra {
            row.extend([s.power[k], metrics::to_db(s.power[k])]);
        }
        if csv {
            // Shortest round-trip text; powers in exponent form (they span hundreds of dB).
            write!(buf, "{}", row[0])?;
            for pair in row[1..].chunks_exact(2) {
                write!(buf, ",{:e},{}", pair[0], pair[1])?;
            }
            writeln!(buf)?;
        } else {
            row.iter().for_each(|v| buf.extend(v.to_ne_bytes()));
        }
        if buf.len() >= 1 << 16 {
            file.write_all(&buf).map_err(|e| write_error(path, e))?;
            buf.clear();
        }
    }
    file.write_all(&buf).map_err(|e| write_error(path, e))?;
    file.commit()
}

/// The lower-case extension of `path`, if any.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}
