//! Summary metrics of a [`Spectrum`]: peaks, noise floor and single-tone figures of merit.
//!
//! # Which spectrum
//!
//! [`peaks`] and [`noise_floor`] read the spectrum itself (the one displayed, with the user's
//! window). [`tone_metrics`] reads its [`metrics`](Spectrum::metrics) spectrum when it has
//! one: the mean spectrum with [`METRICS_WINDOW`](super::welch::METRICS_WINDOW) (Kaiser
//! β = 38, sidelobes below −290 dBc) of every `⌊nfft/hop⌋`-th segment, accumulated by
//! [`Welch`](super::welch::Welch) in the same pass when
//! [`tone_metrics`](super::welch::WelchConfig::tone_metrics) is set. A low-sidelobe window
//! spreads a tone that falls between bins over the whole band (outside its main lobe lie up
//! to −8 dBc of its power with rect, −33 dBc with hann, −55 with blackman, −80 with flattop,
//! −87 with blackman-harris), where it would count as noise and as the largest spur; the
//! Kaiser-38 main lobe holds all of it to f64 precision, so SNR, THD, SINAD, SFDR and ENOB
//! do not depend on `--window`, `--average` or where the tone falls. Without a metrics
//! spectrum they are read from the spectrum itself: exact only for a window of similar
//! rejection (e.g. `kaiser:38`).
//!
//! # Bin convention (used by every metric here)
//!
//! Let `h` be the main-lobe half-width in bins of the window of the spectrum read
//! ([`main_lobe_half_width`](super::window::WindowKind::main_lobe_half_width): rect 1, hann
//! 2, hamming 2, blackman 3, blackman-harris 4, flattop 5, kaiser `ceil(sqrt(1 + (beta/π)²))`,
//! so 13 for the metrics spectrum).
//!
//! - **DC bins** `0 .. h` (the lobe of a DC offset) belong to nothing: they are never a peak,
//!   a spur, a harmonic or noise.
//! - A **tone** whose highest bin is `k` owns bins `k-h ..= k+h` (clipped to the spectrum and
//!   never taking DC bins). Its **power** is the sum of those bins converted to V²:
//!   `× resolution` for density scaling, `÷ enbw_bins` for spectrum scaling. This is the
//!   tone's mean-square value (A²/2 for amplitude A) wherever it falls between bins, up to the
//!   sidelobe power outside the lobe (none for the metrics spectrum).
//! - Its **frequency** is the power-weighted centroid of its bins (within 0.003 bin for every
//!   window but rect, whose leakage allows ~0.2 bin; 0.001 bin in the metrics spectrum). Its
//!   **level** is its highest bin in the displayed spectrum's units (`dBV²/Hz` for density,
//!   `dBV²` for spectrum scaling).
//! - **Harmonics** 2..=6 of the fundamental sit at `n·f0`, folded into `0..=fs/2` (aliases
//!   included); each owns the `2h+1` bins around the nearest bin that no earlier tone owns.
//!   A harmonic's power is the sum of its bins (including the noise under it).
//! - **Free** bins are all the others. Their typical **noise level** is the mean of those
//!   at most 10× their median (spurs left out, unbiased for noise averaged over any number
//!   of segments).
//! - **Noise** (for SNR) is the sum of the free bins (non-harmonic spurs included) plus the
//!   bins of the fundamental and harmonics counted at the noise level, converted to V².
//! - **Noise and distortion** (for SINAD) is everything but the fundamental, each bin once:
//!   the free bins, the harmonics' bins, and the fundamental's bins at the noise level.
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

/// Single-tone figures of merit for the strongest peak, read from the spectrum's metrics
/// spectrum when it has one (see the module's "Which spectrum"); every bin position below
/// is in that spectrum's bins (the same bin frequencies as the spectrum's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToneMetrics {
    /// The strongest tone: bin, frequency and power from the metrics spectrum; `level` and
    /// `level_db` are the highest bin of the spectrum itself within its window's main lobe
    /// of that bin, so they match the displayed spectrum and its first peak.
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
    /// Fundamental / everything else (noise and harmonics, each bin once) (dB).
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

/// The typical noise level of the free bins (in the spectrum's units): the mean of those at
/// most 10× their median, so that spurs do not raise it while averaged noise of any segment
/// count is read without bias (an exponential bin exceeds 10× its median, 6.9× its mean,
/// with probability 0.1%). 0 when there are none. Reorders `values`.
fn noise_level(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let middle = values.len() / 2;
    let (_, median, _) = values.select_nth_unstable_by(middle, f64::total_cmp);
    let limit = 10.0 * *median;
    let (sum, count) = values
        .iter()
        .filter(|v| **v <= limit)
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// SNR, THD, SINAD, SFDR and ENOB of the strongest tone, from the spectrum's metrics
/// spectrum if it has one, else from the spectrum itself; `None` when that spectrum has no
/// peak at all outside DC (e.g. all zero, or nfft too small for the Kaiser-38 lobes: the DC
/// bins alone are `0..13`).
pub fn tone_metrics(spectrum: &Spectrum) -> Option<ToneMetrics> {
    let source = spectrum.metrics.as_deref().unwrap_or(spectrum);
    let bins = Bins::new(source);
    let p = bins.power();
    let nfft = source.nfft as f64;
    let peak_bin = *bins.peak_bins(1).first()?;
    let mut fundamental = bins.peak(peak_bin);
    if !std::ptr::eq(source, spectrum) {
        // The level is the displayed spectrum's: its highest bin around the tone.
        let shown = Bins::new(spectrum);
        let top = shown
            .span(peak_bin)
            .max_by(|&a, &b| spectrum.power[a].total_cmp(&spectrum.power[b]))
            .unwrap_or(peak_bin.min(spectrum.power.len() - 1));
        fundamental.level = spectrum.power[top];
        fundamental.level_db = to_db(fundamental.level);
    }

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

    // Noise: the free bins as they are (non-harmonic spurs included, counted once), plus
    // the bins under the fundamental and harmonics at the free bins' typical level.
    let mut free: Vec<f64> = owner
        .iter()
        .zip(p)
        .filter(|(o, _)| **o == Owner::Free)
        .map(|(_, v)| *v)
        .collect();
    let free_sum: f64 = free.iter().sum();
    let level = noise_level(&mut free);
    let owned = |who: Owner| owner.iter().filter(|o| **o == who).count() as f64;
    let (fundamental_bins, harmonic_bins) = (owned(Owner::Fundamental), owned(Owner::Harmonic));
    let noise_power = (free_sum + (fundamental_bins + harmonic_bins) * level) * bins.to_power;
    // Everything but the fundamental, each bin once: the harmonics' bins hold their noise.
    let noise_and_distortion =
        (free_sum + fundamental_bins * level) * bins.to_power + harmonic_power;

    let spur_bin = (0..p.len())
        .filter(|&i| matches!(owner[i], Owner::Harmonic | Owner::Free))
        .max_by(|&a, &b| p[a].total_cmp(&p[b]));
    let (spur_freq, spur_power) = spur_bin.map_or((f64::NAN, 0.0), |k| {
        let sum: f64 = bins
            .span(k)
            .filter(|&i| owner[i] != Owner::Fundamental)
            .map(|i| p[i])
            .sum();
        (source.freqs[k], sum * bins.to_power)
    });

    let signal = fundamental.power;
    let sinad_db = to_db(signal / noise_and_distortion);
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
    use super::super::welch::{Average, Detrend, METRICS_WINDOW, Welch, WelchConfig};
    use super::super::window::WindowKind;
    use super::*;

    const FS: f64 = 1000.0;

    /// Tolerance of noise-based figures (SNR, SINAD): 5× tighter than the ±0.5 dB asked for,
    /// about 4 standard deviations of the estimate for the shortest signals here (64
    /// metrics segments of 2048 bins: sqrt(3.5/(1000·64)) relative, 0.03 dB).
    const TOL_DB: f64 = 0.1;

    /// Every `--window` option, with two Kaiser betas besides the metrics window's own.
    const WINDOWS: [WindowKind; 9] = [
        WindowKind::Hann,
        WindowKind::Hamming,
        WindowKind::Blackman,
        WindowKind::BlackmanHarris,
        WindowKind::Flattop,
        WindowKind::Rect,
        WindowKind::Kaiser { beta: 8.6 },
        WindowKind::Kaiser { beta: 14.0 },
        METRICS_WINDOW,
    ];

    /// `scipy.signal.welch`-style run with 50% overlap and mean detrend.
    fn welch(
        data: &[f64],
        nfft: usize,
        window: WindowKind,
        scaling: Scaling,
        average: Average,
        fs: f64,
        tone_metrics: bool,
    ) -> Spectrum {
        let mut welch = Welch::new(WelchConfig {
            nfft,
            overlap: nfft / 2,
            window,
            detrend: Detrend::Mean,
            scaling,
            average,
            sample_rate: Some(fs),
            tone_metrics,
        })
        .expect("valid test config");
        welch.feed(data);
        welch.finish().expect("enough samples")
    }

    /// The spectrum `tracekit fft` computes: with its metrics spectrum, mean average.
    fn spectrum(data: &[f64], nfft: usize, window: WindowKind, scaling: Scaling) -> Spectrum {
        welch(data, nfft, window, scaling, Average::Mean, FS, true)
    }

    /// Amplitude-1 tone's power over noise of standard deviation `sigma`, in dB.
    fn snr_of(sigma: f64) -> f64 {
        to_db(0.5 / (sigma * sigma))
    }

    /// Noise standard deviation that gives an amplitude-1 tone this SNR.
    fn sigma_for(snr_db: f64) -> f64 {
        (0.5 / 10f64.powf(snr_db / 10.0)).sqrt()
    }

    /// The figures every case checks: SNR, SINAD, ENOB from them, within `tol` dB.
    fn check(m: &ToneMetrics, snr: f64, sinad: f64, tol: f64, case: &str) {
        assert!(
            (m.snr_db - snr).abs() < tol,
            "{case}: SNR {} want {snr}",
            m.snr_db
        );
        assert!(
            (m.sinad_db - sinad).abs() < tol,
            "{case}: SINAD {} want {sinad}",
            m.sinad_db
        );
        assert!(
            (m.enob - (sinad - 1.76) / 6.02).abs() < tol / 6.02,
            "{case}: ENOB {} want {}",
            m.enob,
            (sinad - 1.76) / 6.02
        );
        assert_eq!(m.enob, (m.sinad_db - 1.76) / 6.02, "{case}: ENOB formula");
        assert!(
            (m.fundamental.power_db - to_db(0.5)).abs() < 0.01,
            "{case}: tone power {} dBV²",
            m.fundamental.power_db
        );
    }

    #[test]
    fn issue_13_off_bin_tone_snr_is_the_same_for_every_window() {
        // Full-scale sine at 50 000.3 Hz (bin 409.602 of 8192 at 1 MS/s) and noise σ = 0.001:
        // SNR 10·log10(0.5/1e-6) = 56.99 dB. Hann used to read 34.2 dB (its leakage skirt
        // counted as noise), SFDR 35.1 dB, ENOB 5.4.
        let (fs, nfft, sigma) = (1e6, 8192, 0.001);
        let bin = 50_000.3 * nfft as f64 / fs;
        let data = tones(1 << 20, nfft, &[(bin, 1.0)], sigma, 13);
        let snr = snr_of(sigma);
        for window in WINDOWS {
            for (scaling, average) in [
                (Scaling::Density, Average::Mean),
                (Scaling::Spectrum, Average::Mean),
                (Scaling::Density, Average::Max),
            ] {
                let case = format!("{window} {scaling:?} {average:?}");
                let s = welch(&data, nfft, window, scaling, average, fs, true);
                let m = tone_metrics(&s).expect("a tone is present");
                check(&m, snr, snr, TOL_DB, &case);
                assert!(
                    (m.fundamental.freq - 50_000.3).abs() < 0.01 * s.resolution,
                    "{case}: f0 {}",
                    m.fundamental.freq
                );
                // No spur but noise: SFDR far above the SNR, THD far below −SNR.
                assert!(m.sfdr_db > snr + 20.0, "{case}: SFDR {}", m.sfdr_db);
                assert!(m.thd_db < -snr - 10.0, "{case}: THD {}", m.thd_db);
                // The level is the displayed spectrum's first peak.
                assert_eq!(m.fundamental.level_db, peaks(&s, 1)[0].level_db, "{case}");
            }
        }
        // The defect, reproduced without the metrics spectrum: hann's skirt reads as noise.
        let s = welch(
            &data,
            nfft,
            WindowKind::Hann,
            Scaling::Density,
            Average::Mean,
            fs,
            false,
        );
        let m = tone_metrics(&s).expect("a tone is present");
        assert!(
            (m.snr_db - 34.2).abs() < 0.5 && (m.sfdr_db - 35.1).abs() < 0.5,
            "hann alone: SNR {} SFDR {}",
            m.snr_db,
            m.sfdr_db
        );
    }

    #[test]
    fn known_snr_at_several_levels_for_every_window() {
        let nfft = 4096;
        for snr in [40.0, 57.0, 80.0, 100.0] {
            let sigma = sigma_for(snr);
            // Bin-centred and between bins.
            for bin in [256.0, 256.37] {
                let data = tones(1 << 18, nfft, &[(bin, 1.0)], sigma, 40 + snr as u64);
                for window in WINDOWS {
                    let case = format!("SNR {snr} bin {bin} {window}");
                    let m = tone_metrics(&spectrum(&data, nfft, window, Scaling::Density))
                        .expect("a tone is present");
                    check(&m, snr, snr, TOL_DB, &case);
                    assert!(
                        (m.fundamental.bin - bin).abs() < 0.001,
                        "{case}: bin {}",
                        m.fundamental.bin
                    );
                }
            }
        }
    }

    #[test]
    fn thd_of_known_harmonics_for_every_window() {
        // H2 at −60 dBc, H3 at −70 dBc over noise at SNR 90 dB: THD = 10·log10(1e-6 + 1e-7).
        // f0 = 1500.3 of 4096 bins folds H2 to 1095.4 and H3 to 404.9 (aliases).
        let nfft = 4096;
        let (a2, a3) = (1e-3, 10f64.powf(-3.5));
        let sigma = sigma_for(90.0);
        let thd = to_db(1e-6 + 1e-7);
        let sinad = to_db(0.5 / (sigma * sigma + 0.5 * (a2 * a2 + a3 * a3)));
        for (f0, h2, h3) in [
            (200.0, 400.0, 600.0),
            (200.37, 400.74, 601.11),
            (1500.3, 1095.4, 404.9),
        ] {
            let data = tones(
                1 << 18,
                nfft,
                &[(f0, 1.0), (2.0 * f0, a2), (3.0 * f0, a3)],
                sigma,
                7,
            );
            for window in WINDOWS {
                let case = format!("f0 bin {f0} {window}");
                let s = spectrum(&data, nfft, window, Scaling::Spectrum);
                let m = tone_metrics(&s).expect("a tone is present");
                check(&m, 90.0, sinad, TOL_DB, &case);
                assert!((m.thd_db - thd).abs() < 0.05, "{case}: THD {}", m.thd_db);
                for (h, bin, dbc) in [(&m.harmonics[0], h2, -60.0), (&m.harmonics[1], h3, -70.0)] {
                    assert!((h.dbc - dbc).abs() < 0.05, "{case}: {h:?}");
                    assert!((h.freq - bin * s.resolution).abs() < 0.01 * s.resolution);
                }
                // H2 is the largest spur.
                assert!(
                    (m.sfdr_db - 60.0).abs() < 0.05,
                    "{case}: SFDR {}",
                    m.sfdr_db
                );
                assert!((m.spur_freq - h2 * s.resolution).abs() <= 0.5 * s.resolution);
            }
        }
    }

    #[test]
    fn sfdr_of_a_known_spur_for_every_window() {
        // A non-harmonic spur at −75 dBc over noise at SNR 100 dB.
        let nfft = 4096;
        let sigma = sigma_for(100.0);
        let a = 10f64.powf(-75.0 / 20.0);
        for (f0, spur) in [(300.0, 1234.0), (300.37, 1234.56)] {
            let data = tones(1 << 18, nfft, &[(f0, 1.0), (spur, a)], sigma, 75);
            let sinad = to_db(0.5 / (sigma * sigma + 0.5 * a * a));
            for window in WINDOWS {
                let case = format!("f0 bin {f0} spur {spur} {window}");
                let s = spectrum(&data, nfft, window, Scaling::Density);
                let m = tone_metrics(&s).expect("a tone is present");
                assert!(
                    (m.sfdr_db - 75.0).abs() < 0.05,
                    "{case}: SFDR {}",
                    m.sfdr_db
                );
                assert!((m.spur_freq - spur * s.resolution).abs() <= 0.5 * s.resolution);
                // The spur is not a harmonic: it counts as noise (SNR = SINAD here).
                check(&m, sinad, sinad, TOL_DB, &case);
            }
        }
    }

    #[test]
    fn without_a_metrics_spectrum_the_spectrum_itself_is_read() {
        let nfft = 2048;
        let data = tones(
            1 << 16,
            nfft,
            &[(100.3, 1.0), (200.6, 1e-3)],
            sigma_for(80.0),
            3,
        );
        let with = spectrum(&data, nfft, METRICS_WINDOW, Scaling::Density);
        let alone = welch(
            &data,
            nfft,
            METRICS_WINDOW,
            Scaling::Density,
            Average::Mean,
            FS,
            false,
        );
        assert_eq!(alone.metrics, None);
        assert_eq!(tone_metrics(&with), tone_metrics(&alone));
        // A bin-centred tone does not leak in a hann spectrum either: hann alone is right.
        let data = tones(1 << 16, nfft, &[(100.0, 1.0)], sigma_for(80.0), 3);
        let hann = welch(
            &data,
            nfft,
            WindowKind::Hann,
            Scaling::Density,
            Average::Mean,
            FS,
            false,
        );
        let m = tone_metrics(&hann).expect("a tone is present");
        check(&m, 80.0, 80.0, TOL_DB, "hann alone, bin-centred");
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
                    // The metrics spectrum's centroid is exact to a thousandth of a bin.
                    let m = tone_metrics(&s).expect("a tone is present");
                    assert!(
                        (m.fundamental.bin - bin).abs() < 0.001,
                        "{window} {scaling:?} bin {bin}: tone at {}",
                        m.fundamental.bin
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
            // The tone's level is the displayed (flattop) one, not the metrics spectrum's.
            let m = tone_metrics(&s).expect("a tone is present");
            assert_eq!(m.fundamental.level_db, p.level_db, "bin {bin}");
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
        // f0 at bin 50.5; harmonics 2 and 3 at −40 and −50 dBc; noise σ = 3e-4. The
        // blackman-harris leakage of the between-bin tone (≈ −87 dBc) no longer counts.
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
        let sinad = to_db(0.5 / (sigma * sigma + 0.5 * (a2 * a2 + a3 * a3)));
        check(
            &m,
            snr_of(sigma),
            sinad,
            TOL_DB,
            "bin 50.5, blackman-harris",
        );
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
