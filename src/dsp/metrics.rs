//! Summary metrics of a [`Spectrum`]: peaks, noise floor and single-tone figures of merit.
//!
//! # Bin convention (used by every metric here)
//!
//! Let `h` be the window's main-lobe half-width in bins
//! ([`main_lobe_half_width`](super::window::WindowKind::main_lobe_half_width): rect 1, hann 2, hamming 2, blackman 3,
//! blackman-harris 4, flattop 5, kaiser `ceil(sqrt(1 + (beta/π)²))`).
//!
//! - **DC bins** `0 .. h` (the lobe of a DC offset) belong to nothing: they are never a peak,
//!   a spur, a harmonic or noise.
//! - A **tone** whose highest bin is `k` owns bins `k-h ..= k+h` (clipped to the spectrum and
//!   never taking DC bins). Its **power** is the sum of those bins converted to V²:
//!   `× resolution` for density scaling, `÷ enbw_bins` for spectrum scaling. This is the
//!   tone's mean-square value (A²/2 for amplitude A) wherever it falls between bins, up to the
//!   sidelobe power outside the lobe.
//! - Its **frequency** is the power-weighted centroid of its bins (within 0.003 bin for every
//!   window but rect, whose leakage allows ~0.2 bin). Its **level** is its highest bin in
//!   the spectrum's units (`dBV²/Hz` for density, `dBV²` for spectrum scaling).
//! - **Harmonics** 2..=6 of the fundamental sit at `n·f0`, folded into `0..=fs/2` (aliases
//!   included); each owns the `2h+1` bins around the nearest bin that no earlier tone owns.
//! - **Noise** is every remaining bin; its power is their sum converted to V², scaled up by
//!   (non-DC bins / noise bins) so that the bins taken by tones count at the average noise
//!   level.
//! - **Largest spur**: the highest bin outside DC and the fundamental; its power is that of a
//!   tone at that bin (harmonic or not).
//! - The **noise floor** is the median of all non-DC bins, in the spectrum's units (for
//!   density, the noise density): robust to tones, and within ~0.01 dB of the mean level
//!   for white noise averaged over hundreds of segments (−1.6 dB for a single segment).

use serde::Serialize;

use super::welch::{Scaling, Spectrum};

/// Harmonics 2..=`LAST_HARMONIC` count toward THD.
const LAST_HARMONIC: usize = 6;

/// `10·log10(power)`; 0 gives −∞ (rendered as JSON `null`).
pub fn to_db(power: f64) -> f64 {
    10.0 * power.log10()
}

/// The unit of the spectrum's bins in dB: `dBV²/Hz`, `dBV²/(cycles/sample)` or `dBV²`.
pub fn level_unit(spectrum: &Spectrum) -> &'static str {
    match (spectrum.scaling, spectrum.sample_rate) {
        (Scaling::Density, Some(_)) => "dBV²/Hz",
        (Scaling::Density, None) => "dBV²/(cycles/sample)",
        (Scaling::Spectrum, _) => "dBV²",
    }
}

/// One tone found in the spectrum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    /// Interpolated position in bins (fractional).
    pub bin: f64,
    /// Interpolated frequency (Hz, or cycles/sample).
    pub freq: f64,
    /// Highest bin, in the spectrum's units.
    pub level: f64,
    /// `level` in dB ([`level_unit`]).
    pub level_db: f64,
    /// Tone power (mean square, V²) from all its bins.
    pub power: f64,
    /// `power` in dBV².
    pub power_db: f64,
}

/// One harmonic of the strongest tone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Harmonic {
    /// Multiple of the fundamental (2..=6).
    pub order: usize,
    /// Frequency after folding into `0..=fs/2`.
    pub freq: f64,
    /// Power (V²) of the bins it owns; 0 when they all belong to DC or an earlier tone.
    pub power: f64,
    /// Power relative to the fundamental (dBc).
    pub dbc: f64,
}

/// Single-tone figures of merit for the strongest peak.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToneMetrics {
    /// The strongest tone.
    pub fundamental: Peak,
    /// Harmonics 2..=6.
    pub harmonics: Vec<Harmonic>,
    /// Noise power (V²) over the whole band, see the module's convention.
    pub noise_power: f64,
    /// Frequency of the largest spur.
    pub spur_freq: f64,
    /// Fundamental / noise (dB).
    pub snr_db: f64,
    /// Sum of harmonics / fundamental (dB, negative).
    pub thd_db: f64,
    /// Fundamental / (noise + harmonics) (dB).
    pub sinad_db: f64,
    /// Fundamental / largest spur (dB).
    pub sfdr_db: f64,
    /// Effective number of bits, `(SINAD − 1.76) / 6.02`.
    pub enob: f64,
}

/// Which tone (if any) owns each bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Dc,
    Fundamental,
    Harmonic,
    Free,
}

/// The spectrum with the bin convention applied.
struct Bins<'a> {
    spectrum: &'a Spectrum,
    half: usize,
    /// Converts a sum of bins to V².
    to_power: f64,
}

impl<'a> Bins<'a> {
    fn new(spectrum: &'a Spectrum) -> Bins<'a> {
        let to_power = match spectrum.scaling {
            Scaling::Density => spectrum.resolution,
            Scaling::Spectrum => 1.0 / spectrum.enbw_bins,
        };
        Bins {
            spectrum,
            half: spectrum.window.main_lobe_half_width(),
            to_power,
        }
    }

    fn power(&self) -> &'a [f64] {
        &self.spectrum.power
    }

    /// The bins a tone peaking at `k` owns, before excluding DC or other tones.
    fn span(&self, k: usize) -> std::ops::RangeInclusive<usize> {
        k.saturating_sub(self.half).max(self.half)..=(k + self.half).min(self.power().len() - 1)
    }

    fn bin_to_freq(&self, bin: f64) -> f64 {
        bin * self.spectrum.resolution
    }

    /// Peak at bin `k`: centroid frequency and power of its span.
    fn peak(&self, k: usize) -> Peak {
        let p = self.power();
        let (sum, moment) = self
            .span(k)
            .fold((0.0, 0.0), |(s, m), i| (s + p[i], m + p[i] * i as f64));
        let bin = if sum > 0.0 { moment / sum } else { k as f64 };
        let power = sum * self.to_power;
        Peak {
            bin,
            freq: self.bin_to_freq(bin),
            level: p[k],
            level_db: to_db(p[k]),
            power,
            power_db: to_db(power),
        }
    }

    /// Non-zero bins that are higher than their neighbours, highest first, at most one per `h`
    /// bins.
    fn peak_bins(&self, count: usize) -> Vec<usize> {
        let p = self.power();
        let last = p.len() - 1;
        let mut candidates: Vec<usize> = (self.half..=last)
            .filter(|&k| p[k] > 0.0 && p[k] >= p[k - 1] && (k == last || p[k] > p[k + 1]))
            .collect();
        candidates.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        for k in candidates {
            if chosen.len() == count {
                break;
            }
            if chosen.iter().all(|&c| c.abs_diff(k) > self.half) {
                chosen.push(k);
            }
        }
        chosen
    }
}

/// The `count` strongest peaks, strongest first (fewer if the spectrum has fewer).
pub fn peaks(spectrum: &Spectrum, count: usize) -> Vec<Peak> {
    let bins = Bins::new(spectrum);
    bins.peak_bins(count)
        .into_iter()
        .map(|k| bins.peak(k))
        .collect()
}

/// Median of the non-DC bins, in the spectrum's units (see the module's convention).
pub fn noise_floor(spectrum: &Spectrum) -> f64 {
    let half = spectrum.window.main_lobe_half_width();
    let mut values: Vec<f64> = spectrum.power.iter().skip(half).copied().collect();
    if values.is_empty() {
        return f64::NAN;
    }
    let count = values.len();
    let (below, upper, _) = values.select_nth_unstable_by(count / 2, f64::total_cmp);
    let upper = *upper;
    if count % 2 == 1 {
        upper
    } else {
        let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// SNR, THD, SINAD, SFDR and ENOB of the strongest tone; `None` when the spectrum has no
/// peak at all (e.g. all zero).
pub fn tone_metrics(spectrum: &Spectrum) -> Option<ToneMetrics> {
    let bins = Bins::new(spectrum);
    let p = bins.power();
    let nfft = spectrum.nfft as f64;
    let peak_bin = *bins.peak_bins(1).first()?;
    let fundamental = bins.peak(peak_bin);

    let mut owner = vec![Owner::Free; p.len()];
    owner[..bins.half.min(p.len())].fill(Owner::Dc);
    for i in bins.span(peak_bin) {
        owner[i] = Owner::Fundamental;
    }

    let harmonics: Vec<Harmonic> = (2..=LAST_HARMONIC)
        .map(|order| {
            let mut bin = (order as f64 * fundamental.bin).rem_euclid(nfft);
            if bin > nfft / 2.0 {
                bin = nfft - bin;
            }
            let centre = (bin.round() as usize).min(p.len() - 1);
            let mut sum = 0.0;
            for i in bins.span(centre) {
                if owner[i] == Owner::Free {
                    owner[i] = Owner::Harmonic;
                    sum += p[i];
                }
            }
            let power = sum * bins.to_power;
            Harmonic {
                order,
                freq: bins.bin_to_freq(bin),
                power,
                dbc: to_db(power / fundamental.power),
            }
        })
        .collect();
    let harmonic_power: f64 = harmonics.iter().map(|h| h.power).sum();

    let (noise_sum, noise_bins) = owner
        .iter()
        .zip(p)
        .filter(|(o, _)| **o == Owner::Free)
        .fold((0.0, 0usize), |(s, n), (_, v)| (s + v, n + 1));
    let usable_bins = owner.iter().filter(|o| **o != Owner::Dc).count();
    let noise_power = if noise_bins == 0 {
        0.0
    } else {
        noise_sum * bins.to_power * usable_bins as f64 / noise_bins as f64
    };

    let spur_bin = (0..p.len())
        .filter(|&i| matches!(owner[i], Owner::Harmonic | Owner::Free))
        .max_by(|&a, &b| p[a].total_cmp(&p[b]));
    let (spur_freq, spur_power) = spur_bin.map_or((f64::NAN, 0.0), |k| {
        let sum: f64 = bins
            .span(k)
            .filter(|&i| owner[i] != Owner::Fundamental)
            .map(|i| p[i])
            .sum();
        (spectrum.freqs[k], sum * bins.to_power)
    });

    let signal = fundamental.power;
    let sinad_db = to_db(signal / (noise_power + harmonic_power));
    Some(ToneMetrics {
        snr_db: to_db(signal / noise_power),
        thd_db: to_db(harmonic_power / signal),
        sinad_db,
        sfdr_db: to_db(signal / spur_power),
        enob: (sinad_db - 1.76) / 6.02,
        fundamental,
        harmonics,
        noise_power,
        spur_freq,
    })
}

#[cfg(test)]
mod tests {
    use super::super::welch::test_signal::tones;
    use super::super::welch::{Average, Detrend, Welch, WelchConfig};
    use super::super::window::WindowKind;
    use super::*;

    const FS: f64 = 1000.0;

    fn spectrum(data: &[f64], nfft: usize, window: WindowKind, scaling: Scaling) -> Spectrum {
        let mut welch = Welch::new(WelchConfig {
            nfft,
            overlap: nfft / 2,
            window,
            detrend: Detrend::Mean,
            scaling,
            average: Average::Mean,
            sample_rate: Some(FS),
        })
        .expect("valid test config");
        welch.feed(data);
        welch.finish().expect("enough samples")
    }

    #[test]
    fn peak_frequency_within_a_hundredth_of_a_bin() {
        let nfft = 1024;
        for window in [
            WindowKind::Hann,
            WindowKind::Hamming,
            WindowKind::Blackman,
            WindowKind::BlackmanHarris,
            WindowKind::Flattop,
            WindowKind::Kaiser { beta: 8.6 },
        ] {
            for bin in [100.0, 100.25, 100.5, 237.71] {
                let data = tones(8 * nfft, nfft, &[(bin, 1.0)], 0.0, 1);
                for scaling in [Scaling::Density, Scaling::Spectrum] {
                    let s = spectrum(&data, nfft, window, scaling);
                    let p = &peaks(&s, 3)[0];
                    assert!(
                        (p.bin - bin).abs() < 0.01,
                        "{window} {scaling:?} tone at bin {bin}: found {}",
                        p.bin
                    );
                    assert!((p.freq - bin * FS / nfft as f64).abs() < 0.01 * s.resolution);
                    // Tone power is A²/2 in either scaling, between bins too.
                    assert!(
                        to_db(p.power / 0.5).abs() < 0.01,
                        "{window} {scaling:?} bin {bin}: power {} dB",
                        p.power_db
                    );
                }
            }
        }
    }

    #[test]
    fn flattop_reads_amplitude_between_bins() {
        let (nfft, amp) = (4096, 1.5);
        for bin in [200.0, 200.25, 200.5, 613.37] {
            let data = tones(4 * nfft, nfft, &[(bin, amp)], 0.0, 1);
            let s = spectrum(&data, nfft, WindowKind::Flattop, Scaling::Spectrum);
            let p = &peaks(&s, 1)[0];
            let error_db = p.level_db - to_db(amp * amp / 2.0);
            assert!(
                error_db.abs() < 0.01,
                "bin {bin}: level off by {error_db} dB"
            );
        }
        assert_eq!(
            level_unit(&spectrum(
                &[0.0; 64],
                16,
                WindowKind::Hann,
                Scaling::Spectrum
            )),
            "dBV²"
        );
    }

    #[test]
    fn two_tone_sfdr_and_peak_order() {
        let nfft = 1024;
        let data = tones(16 * nfft, nfft, &[(100.0, 1.0), (333.0, 0.01)], 1e-6, 5);
        let s = spectrum(&data, nfft, WindowKind::Hann, Scaling::Density);
        let found = peaks(&s, 2);
        assert_eq!(found.len(), 2);
        assert!((found[0].bin - 100.0).abs() < 0.01 && (found[1].bin - 333.0).abs() < 0.01);
        assert!((found[0].power_db - found[1].power_db - 40.0).abs() < 0.01);
        let m = tone_metrics(&s).expect("a tone is present");
        assert!((m.sfdr_db - 40.0).abs() < 0.01, "SFDR {}", m.sfdr_db);
        assert!((m.spur_freq - 333.0 * s.resolution).abs() < 1e-9);
        assert_eq!(level_unit(&s), "dBV²/Hz");
    }

    #[test]
    fn thd_snr_sinad_enob_of_tone_with_harmonics() {
        // f0 at bin 50.5; harmonics 2 and 3 at −40 and −50 dBc; noise σ = 3e-4, well above
        // the window's leakage of the between-bin tone (≈ −87 dBc), which counts as noise.
        let nfft = 2048;
        let (a2, a3) = (0.01, 0.01 / 10f64.sqrt());
        let sigma = 3e-4;
        let data = tones(
            64 * nfft,
            nfft,
            &[(50.5, 1.0), (101.0, a2), (151.5, a3)],
            sigma,
            9,
        );
        let s = spectrum(&data, nfft, WindowKind::BlackmanHarris, Scaling::Density);
        let m = tone_metrics(&s).expect("a tone is present");
        let thd = to_db(1e-4 + 1e-5); // −39.586 dB
        assert!((m.thd_db - thd).abs() < 0.01, "THD {} want {thd}", m.thd_db);
        assert!((m.harmonics[0].dbc + 40.0).abs() < 0.01);
        assert!((m.harmonics[1].dbc + 50.0).abs() < 0.01);
        let snr = to_db(0.5 / (sigma * sigma));
        assert!((m.snr_db - snr).abs() < 0.2, "SNR {} want {snr}", m.snr_db);
        let sinad = to_db(0.5 / (sigma * sigma + 0.5 * (a2 * a2 + a3 * a3)));
        assert!((m.sinad_db - sinad).abs() < 0.01, "SINAD {}", m.sinad_db);
        assert!((m.enob - (sinad - 1.76) / 6.02).abs() < 0.01);
        assert!((m.sfdr_db - 40.0).abs() < 0.01, "SFDR {}", m.sfdr_db);
        // Noise floor: the noise density 2σ²/fs, unaffected by the tones.
        let floor_db = to_db(noise_floor(&s) / (2.0 * sigma * sigma / FS));
        assert!(floor_db.abs() < 0.2, "noise floor off by {floor_db} dB");
    }

    #[test]
    fn aliased_harmonic_is_folded_back() {
        // f0 at bin 400 of 1024: the 2nd harmonic (bin 800) aliases to bin 224.
        let nfft = 1024;
        let data = tones(8 * nfft, nfft, &[(400.0, 1.0), (800.0, 0.001)], 0.0, 1);
        let s = spectrum(&data, nfft, WindowKind::Hann, Scaling::Spectrum);
        let m = tone_metrics(&s).expect("a tone is present");
        assert!((m.harmonics[0].freq - 224.0 * s.resolution).abs() < 0.01 * s.resolution);
        assert!(
            (m.harmonics[0].dbc + 60.0).abs() < 0.01,
            "{:?}",
            m.harmonics[0]
        );
        assert!((m.thd_db + 60.0).abs() < 0.01);
    }

    #[test]
    fn silent_input_has_no_tone() {
        let s = spectrum(&[0.25; 4096], 256, WindowKind::Hann, Scaling::Density);
        assert_eq!(tone_metrics(&s), None);
        assert!(peaks(&s, 5).is_empty());
        assert_eq!(noise_floor(&s), 0.0);
    }
}
