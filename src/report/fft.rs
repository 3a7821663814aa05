//! `tracekit fft`: the Welch spectrum's summary, peaks and tone metrics per channel (keys
//! documented in `--help` and docs/fft.md).

use crate::dsp::metrics::{self, Peak, ToneMetrics};
use crate::dsp::welch::{Average, Detrend, Scaling, Spectrum};
use anyhow::{Result, bail};
use serde::Serialize;

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
    /// Complex input only: true (the spectrum spans −fs/2..fs/2, DC in the middle, and
    /// `channel` counts complex channels), and the recorded centre frequency in Hz or null.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub two_sided: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub center_frequency: Option<Option<f64>>,
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
    /// Complex input with a known centre frequency: `center_frequency + freq`, in Hz.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abs_freq: Option<f64>,
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
            abs_freq: None,
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
            two_sided: false,
            center_frequency: None,
        })
    }

    /// The report of centred two-sided spectra of complex channels
    /// ([`ComplexWelch`](crate::dsp::welch_complex::ComplexWelch)): peaks at signed
    /// frequencies (plus `abs_freq` with a centre frequency), no tone metrics.
    pub fn complex(
        path: &str,
        channels: &[usize],
        spectra: &[Spectrum],
        detrend: Detrend,
        peaks: usize,
        center_frequency: Option<f64>,
    ) -> Result<FftReport> {
        let mut report = FftReport::new(path, channels, spectra, detrend, peaks)?;
        for (c, s) in report.channels.iter_mut().zip(spectra) {
            // The peak finder counts bins from the array's start: shift back by ⌊nfft/2⌋.
            let offset = (s.nfft / 2) as f64 * s.resolution;
            for p in &mut c.peaks {
                p.freq -= offset;
                p.abs_freq = center_frequency.map(|f| f + p.freq);
            }
            c.tone = None;
        }
        report.two_sided = true;
        report.center_frequency = Some(center_frequency);
        Ok(report)
    }
}
