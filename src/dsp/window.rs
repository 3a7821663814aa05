//! Periodic analysis windows, defined exactly as `scipy.signal.get_window(name, n)`
//! (`fftbins=True`, i.e. `sym=False`): the symmetric window of length `n + 1` with its last
//! sample dropped. Periodic windows are the right choice for spectral analysis because the
//! dropped sample is the first sample of the next period, so the DFT sees no discontinuity.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use super::DspError;

/// Largest accepted Kaiser beta: `I0(beta)` overflows f64 a little above 700.
const KAISER_BETA_MAX: f64 = 700.0;

/// Which window to apply to every Welch segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WindowKind {
    /// `scipy` "hann": `0.5 - 0.5 cos(2πn/N)`.
    Hann,
    /// `scipy` "hamming": `0.54 - 0.46 cos(2πn/N)`.
    Hamming,
    /// `scipy` "blackman": cosine terms 0.42, 0.50, 0.08.
    Blackman,
    /// `scipy` "blackmanharris": 4-term, 0.35875, 0.48829, 0.14128, 0.01168.
    BlackmanHarris,
    /// `scipy` "flattop": 5-term, scallop loss < 0.01 dB, for amplitude readings.
    Flattop,
    /// `scipy` "boxcar": all ones.
    Rect,
    /// `scipy` ("kaiser", beta).
    Kaiser {
        /// Shape parameter, 0 (rect) up to 700.
        beta: f64,
    },
}

/// The two families every window belongs to.
enum Shape {
    /// `Σ_k (-1)^k a_k cos(2πkn/N)`; rect is the one-term case `[1.0]`.
    Cosine(&'static [f64]),
    /// `I0(beta·sqrt(1 - r²)) / I0(beta)`.
    Kaiser(f64),
}

impl WindowKind {
    /// Coefficients as in `scipy.signal.windows`.
    fn shape(self) -> Shape {
        match self {
            WindowKind::Hann => Shape::Cosine(&[0.5, 0.5]),
            WindowKind::Hamming => Shape::Cosine(&[0.54, 0.46]),
            WindowKind::Blackman => Shape::Cosine(&[0.42, 0.50, 0.08]),
            WindowKind::BlackmanHarris => Shape::Cosine(&[0.35875, 0.48829, 0.14128, 0.01168]),
            WindowKind::Flattop => Shape::Cosine(&[
                0.21557895,
                0.41663158,
                0.277263158,
                0.083578947,
                0.006947368,
            ]),
            WindowKind::Rect => Shape::Cosine(&[1.0]),
            WindowKind::Kaiser { beta } => Shape::Kaiser(beta),
        }
    }

    /// Half-width of the main lobe in bins: the distance from the lobe's centre to its first
    /// null. This is how many bins on each side of its peak bin a tone owns in all tone
    /// metrics (see `metrics`). A K-term cosine window has its first null at K bins (rect: 1,
    /// hann/hamming: 2, blackman: 3, blackman-harris: 4, flattop: 5); Kaiser's first null is at
    /// `sqrt(1 + (beta/π)²)` bins, rounded up.
    pub fn main_lobe_half_width(self) -> usize {
        match self.shape() {
            Shape::Cosine(terms) => terms.len(),
            // beta is validated to 0..=700, so this is a small positive integer.
            Shape::Kaiser(beta) => (1.0 + (beta / PI).powi(2)).sqrt().ceil() as usize,
        }
    }

    /// The periodic window of length `n` (scipy `get_window(..., n)`).
    pub fn coefficients(self, n: usize) -> Vec<f64> {
        let period = n as f64;
        match self.shape() {
            Shape::Cosine(terms) => (0..n)
                .map(|i| {
                    let phase = 2.0 * PI * i as f64 / period;
                    terms
                        .iter()
                        .enumerate()
                        .map(|(k, a)| {
                            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
                            sign * a * (k as f64 * phase).cos()
                        })
                        .sum()
                })
                .collect(),
            Shape::Kaiser(beta) => {
                // Symmetric Kaiser of length n + 1, centre alpha = n / 2, last sample dropped.
                let alpha = period / 2.0;
                let norm = bessel_i0(beta);
                (0..n)
                    .map(|i| {
                        let r = (i as f64 - alpha) / alpha;
                        bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / norm
                    })
                    .collect()
            }
        }
    }
}

impl fmt::Display for WindowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WindowKind::Hann => f.write_str("hann"),
            WindowKind::Hamming => f.write_str("hamming"),
            WindowKind::Blackman => f.write_str("blackman"),
            WindowKind::BlackmanHarris => f.write_str("blackman-harris"),
            WindowKind::Flattop => f.write_str("flattop"),
            WindowKind::Rect => f.write_str("rect"),
            WindowKind::Kaiser { beta } => write!(f, "kaiser:{beta}"),
        }
    }
}

impl FromStr for WindowKind {
    type Err = DspError;

    /// Parses the `--window` spellings of SPEC `fft`: `hann`, `hamming`, `blackman`,
    /// `blackman-harris`, `flattop`, `rect`, `kaiser:BETA`.
    fn from_str(text: &str) -> Result<Self, DspError> {
        let kind = match text {
            "hann" => WindowKind::Hann,
            "hamming" => WindowKind::Hamming,
            "blackman" => WindowKind::Blackman,
            "blackman-harris" => WindowKind::BlackmanHarris,
            "flattop" => WindowKind::Flattop,
            "rect" => WindowKind::Rect,
            _ => {
                let beta_text =
                    text.strip_prefix("kaiser:")
                        .ok_or_else(|| DspError::UnknownWindow {
                            text: text.to_owned(),
                        })?;
                let beta = beta_text
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| DspError::KaiserBeta {
                        text: beta_text.to_owned(),
                    })?;
                WindowKind::kaiser(beta)?
            }
        };
        Ok(kind)
    }
}

impl WindowKind {
    /// A Kaiser window, refusing a beta that is negative, not finite or so large that
    /// `I0(beta)` overflows.
    pub fn kaiser(beta: f64) -> Result<WindowKind, DspError> {
        if (0.0..=KAISER_BETA_MAX).contains(&beta) {
            Ok(WindowKind::Kaiser { beta })
        } else {
            Err(DspError::KaiserBeta {
                text: beta.to_string(),
            })
        }
    }
}

/// A window of one length with the sums that turn raw |FFT|² into calibrated units.
#[derive(Debug, Clone)]
pub struct Window {
    coefficients: Vec<f64>,
    sum: f64,
    sum_squares: f64,
}

impl Window {
    /// Builds the periodic window of length `n` (n ≥ 1).
    pub fn new(kind: WindowKind, n: usize) -> Window {
        let coefficients = kind.coefficients(n);
        let sum = coefficients.iter().sum();
        let sum_squares = coefficients.iter().map(|w| w * w).sum();
        Window {
            coefficients,
            sum,
            sum_squares,
        }
    }

    /// The window samples.
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// Σw, the amplitude gain of a bin-centred tone times n.
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// Σw², the noise power gain times n.
    pub fn sum_squares(&self) -> f64 {
        self.sum_squares
    }

    /// Coherent gain Σw / n (1 for rect, 0.5 for hann).
    pub fn coherent_gain(&self) -> f64 {
        self.sum / self.coefficients.len() as f64
    }

    /// Equivalent noise bandwidth in bins, n·Σw² / (Σw)² (1 for rect, 1.5 for hann).
    pub fn enbw_bins(&self) -> f64 {
        self.coefficients.len() as f64 * self.sum_squares / (self.sum * self.sum)
    }
}

/// Modified Bessel function of the first kind, order 0, by its power series
/// `Σ ((x/2)^k / k!)²`. Every term is positive, so the sum is accurate to a few ulps for
/// every argument the Kaiser window can produce (0..=700).
fn bessel_i0(x: f64) -> f64 {
    let half = x / 2.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    while term > sum * f64::EPSILON * 0.25 {
        let ratio = half / k;
        term *= ratio * ratio;
        sum += term;
        k += 1.0;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: &[f64], want: &[f64], tol: f64, case: &str) {
        assert_eq!(got.len(), want.len(), "{case}: length");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() <= tol, "{case}[{i}]: got {g}, want {w}");
        }
    }

    #[test]
    fn hann_periodic_8_matches_closed_form() {
        let s = 0.5 - 0.5 * std::f64::consts::FRAC_1_SQRT_2; // 0.1464...
        let want = [0.0, s, 0.5, 1.0 - s, 1.0, 1.0 - s, 0.5, s];
        assert_close(&WindowKind::Hann.coefficients(8), &want, 1e-15, "hann 8");
    }

    #[test]
    fn windows_match_scipy_get_window() {
        // scipy.signal.get_window(name, 8), printed with 17 digits (scipy 1.17).
        let flattop = [
            -0.0004210510000000013,
            -0.026872193286334545,
            -0.05473684,
            0.4441353572863345,
            1.000000003,
            0.4441353572863345,
            -0.05473684,
            -0.026872193286334545,
        ];
        assert_close(
            &WindowKind::Flattop.coefficients(8),
            &flattop,
            1e-15,
            "flattop 8",
        );
        let blackman_harris = [
            6.0000000000001025e-05,
            0.021735837018679628,
            0.21747000000000008,
            0.6957641629813204,
            1.0,
            0.6957641629813204,
            0.21747000000000008,
            0.021735837018679628,
        ];
        assert_close(
            &WindowKind::BlackmanHarris.coefficients(8),
            &blackman_harris,
            1e-15,
            "blackman-harris 8",
        );
        // get_window(("kaiser", 8.6), 10)
        let kaiser = [
            0.0013325139979024198,
            0.04188720541565504,
            0.20105486954533092,
            0.5102502854427691,
            0.8494161890910448,
            1.0,
            0.8494161890910448,
            0.5102502854427691,
            0.20105486954533092,
            0.04188720541565504,
        ];
        assert_close(
            &WindowKind::Kaiser { beta: 8.6 }.coefficients(10),
            &kaiser,
            1e-15,
            "kaiser 8.6, 10",
        );
    }

    #[test]
    fn hamming_and_blackman_follow_their_formulas() {
        let n = 12;
        for (kind, terms) in [
            (WindowKind::Hamming, vec![0.54, 0.46]),
            (WindowKind::Blackman, vec![0.42, 0.5, 0.08]),
        ] {
            let want: Vec<f64> = (0..n)
                .map(|i| {
                    let t = 2.0 * PI * i as f64 / n as f64;
                    terms[0] - terms[1] * t.cos()
                        + terms.get(2).map_or(0.0, |c| c * (2.0 * t).cos())
                })
                .collect();
            assert_close(&kind.coefficients(n), &want, 1e-15, &kind.to_string());
        }
        assert_eq!(WindowKind::Rect.coefficients(5), vec![1.0; 5]);
    }

    #[test]
    fn bessel_i0_matches_reference_values() {
        // scipy.special.i0 (Cephes), independent of the series used here.
        for (x, want) in [
            (0.0, 1.0),
            (1.0, 1.2660658777520082),
            (5.0, 27.239871823604442),
            (10.0, 2815.716628466254),
            (30.0, 781672297823.9775),
            (50.0, 2.9325537838493355e+20),
        ] {
            let got = bessel_i0(x);
            assert!(
                ((got - want) / want).abs() < 1e-14,
                "I0({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn enbw_and_coherent_gain_known_values() {
        let hann = Window::new(WindowKind::Hann, 1024);
        assert!((hann.enbw_bins() - 1.5).abs() < 1e-12);
        assert!((hann.coherent_gain() - 0.5).abs() < 1e-12);
        let rect = Window::new(WindowKind::Rect, 100);
        assert!((rect.enbw_bins() - 1.0).abs() < 1e-15);
        // Published value for the SciPy flattop: ENBW 3.77 bins.
        let flattop = Window::new(WindowKind::Flattop, 4096);
        assert!(
            (flattop.enbw_bins() - 3.7702).abs() < 1e-3,
            "{}",
            flattop.enbw_bins()
        );
    }

    #[test]
    fn parse_accepts_spec_spellings_and_rejects_others() {
        assert_eq!("hann".parse::<WindowKind>().ok(), Some(WindowKind::Hann));
        assert_eq!(
            "blackman-harris".parse::<WindowKind>().ok(),
            Some(WindowKind::BlackmanHarris)
        );
        assert_eq!(
            "kaiser:14".parse::<WindowKind>().ok(),
            Some(WindowKind::Kaiser { beta: 14.0 })
        );
        assert!(matches!(
            "hanning".parse::<WindowKind>(),
            Err(DspError::UnknownWindow { text }) if text == "hanning"
        ));
        for bad in ["kaiser:", "kaiser:-1", "kaiser:nan", "kaiser:1e9"] {
            assert!(
                matches!(bad.parse::<WindowKind>(), Err(DspError::KaiserBeta { .. })),
                "{bad} accepted"
            );
        }
        // Display round-trips through FromStr.
        for kind in [WindowKind::Flattop, WindowKind::Kaiser { beta: 8.6 }] {
            assert_eq!(kind.to_string().parse::<WindowKind>().ok(), Some(kind));
        }
    }

    #[test]
    fn main_lobe_half_widths() {
        let widths: Vec<usize> = [
            WindowKind::Rect,
            WindowKind::Hann,
            WindowKind::Hamming,
            WindowKind::Blackman,
            WindowKind::BlackmanHarris,
            WindowKind::Flattop,
            WindowKind::Kaiser { beta: 0.0 },
            WindowKind::Kaiser { beta: 8.6 },
            WindowKind::Kaiser { beta: 14.0 },
        ]
        .iter()
        .map(|k| k.main_lobe_half_width())
        .collect();
        assert_eq!(widths, vec![1, 2, 2, 3, 4, 5, 1, 3, 5]);
    }
}
