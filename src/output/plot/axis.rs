//! Axes in engineering units: round tick values (1, 2 or 5 × 10ⁿ apart), an SI prefix chosen
//! from the span (`ms`, `µs`, `mV`, `MHz`), and, when the values sit far from zero compared to
//! their span (12.3456 s ± 2 µs), an offset so labels stay short (`µs from 12.3456 s`).

/// An SI prefix: the power of 1000 it stands for and its symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prefix {
    /// The value of one prefixed unit in base units (1e-3 for `m`).
    pub scale: f64,
    /// `m`, `µ` (U+00B5), `k`, …; empty for the base unit.
    pub symbol: &'static str,
}

const PREFIXES: [Prefix; 11] = [
    Prefix {
        scale: 1e-15,
        symbol: "f",
    },
    Prefix {
        scale: 1e-12,
        symbol: "p",
    },
    Prefix {
        scale: 1e-9,
        symbol: "n",
    },
    Prefix {
        scale: 1e-6,
        symbol: "µ",
    },
    Prefix {
        scale: 1e-3,
        symbol: "m",
    },
    Prefix {
        scale: 1.0,
        symbol: "",
    },
    Prefix {
        scale: 1e3,
        symbol: "k",
    },
    Prefix {
        scale: 1e6,
        symbol: "M",
    },
    Prefix {
        scale: 1e9,
        symbol: "G",
    },
    Prefix {
        scale: 1e12,
        symbol: "T",
    },
    Prefix {
        scale: 1e15,
        symbol: "P",
    },
];

const BASE: Prefix = Prefix {
    scale: 1.0,
    symbol: "",
};

/// The prefix that writes `magnitude` with one to three integer digits (1 ≤ v/scale < 1000),
/// clamped to f…P; the base unit for 0 and non-finite values.
pub fn si_prefix(magnitude: f64) -> Prefix {
    let m = magnitude.abs();
    if !(m.is_finite() && m > 0.0) {
        return BASE;
    }
    // A tiny tolerance so 1e-3 (not exactly representable) counts as 1 m.
    let m = m * (1.0 + 1e-9);
    PREFIXES
        .iter()
        .rev()
        .find(|p| m >= p.scale)
        .copied()
        .unwrap_or(PREFIXES[0])
}

/// About `target` round ticks covering `lo..=hi` (at least 2 when the span allows), the step
/// being 1, 2 or 5 × 10ⁿ; returns the ticks and the step.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return (vec![lo], 0.0);
    }
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last).map(|i| i as f64 * step).collect();
    (ticks, step)
}

/// Values above this many spans away from zero get an offset.
const OFFSET_RATIO: f64 = 1000.0;

/// A linear axis from `lo` to `hi` with its ticks and how to label them.
#[derive(Debug, Clone, PartialEq)]
pub struct EngAxis {
    /// Value at the axis' start.
    pub lo: f64,
    /// Value at the axis' end.
    pub hi: f64,
    /// Tick values (in base units, absolute).
    pub ticks: Vec<f64>,
    /// Spacing of the ticks.
    pub step: f64,
    /// Prefix of the labels.
    pub prefix: Prefix,
    /// Subtracted from every value before labelling (0 for none).
    pub offset: f64,
    /// Digits after the decimal point of every label.
    pub decimals: usize,
    unit: String,
}

impl EngAxis {
    /// An axis over `lo..hi` in `unit` (may be empty) with about `target` ticks, the prefix
    /// chosen from the span, an offset when `lo` and `hi` sit more than 1000 spans away
    /// from zero.
    pub fn new(lo: f64, hi: f64, target: usize, unit: &str) -> EngAxis {
        let (ticks, step) = nice_ticks(lo, hi, target);
        let span = hi - lo;
        let far = lo.abs().max(hi.abs()) > OFFSET_RATIO * span;
        let offset = if far && step > 0.0 {
            // Tolerance: lo/step of a round lo may come out a hair below the integer.
            (lo / step + 1e-6).floor() * step
        } else {
            0.0
        };
        let prefix = si_prefix(if far {
            span
        } else {
            lo.abs().max(hi.abs()).max(span)
        });
        EngAxis::build(lo, hi, ticks, step, prefix, offset, unit)
    }

    /// An axis labelled in the plain unit, no prefix and no offset (decibels).
    pub fn plain(lo: f64, hi: f64, target: usize, unit: &str) -> EngAxis {
        let (ticks, step) = nice_ticks(lo, hi, target);
        EngAxis::build(lo, hi, ticks, step, BASE, 0.0, unit)
    }

    fn build(
        lo: f64,
        hi: f64,
        ticks: Vec<f64>,
        step: f64,
        prefix: Prefix,
        offset: f64,
        unit: &str,
    ) -> EngAxis {
        EngAxis {
            lo,
            hi,
            ticks,
            step,
            prefix,
            offset,
            decimals: decimals_for(step / prefix.scale),
            unit: unit.to_string(),
        }
    }

    /// The tick label of `value`: offset removed, in the prefixed unit, with the digits the
    /// step needs (`0.5`, `-120`, `2.25`).
    pub fn label(&self, value: f64) -> String {
        let v = (value - self.offset) / self.prefix.scale;
        let text = format!("{v:.*}", self.decimals);
        // "-0" and "-0.0" read as zero.
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_string()
        } else {
            text
        }
    }

    /// The unit the labels are in: `ms`, `MHz`, `×1k` for a prefixed unitless axis, or empty.
    pub fn unit_text(&self) -> String {
        match (self.unit.is_empty(), self.prefix.symbol.is_empty()) {
            (false, _) => format!("{}{}", self.prefix.symbol, self.unit),
            (true, true) => String::new(),
            (true, false) => format!("×1{}", self.prefix.symbol),
        }
    }

    /// The axis title: `Time (ms)`, `Time (µs from 12.3456 s)`, `CH1 (mV)`, `Sample (×1M)`.
    pub fn title(&self, quantity: &str) -> String {
        let unit = self.unit_text();
        match (self.offset != 0.0, unit.is_empty()) {
            (false, true) => quantity.to_string(),
            (false, false) => format!("{quantity} ({unit})"),
            (true, _) => {
                let from = format_si(self.offset, &self.unit, self.step);
                if unit.is_empty() {
                    format!("{quantity} (from {from})")
                } else {
                    format!("{quantity} ({unit} from {from})")
                }
            }
        }
    }
}

/// Digits after the point needed to show multiples of `step` (a 1-2-5 step) exactly.
fn decimals_for(step: f64) -> usize {
    if !(step > 0.0 && step.is_finite()) {
        return 0;
    }
    let d = -(step.log10() + 1e-9).floor();
    d.clamp(0.0, 12.0) as usize
}

/// `value` with an SI prefix and `unit`, with enough digits to resolve `resolution` (0 for
/// four significant digits), trailing zeros dropped: `12.3456 s`, `1.25 MS/s`, `433.92 MHz`.
pub fn format_si(value: f64, unit: &str, resolution: f64) -> String {
    let prefix = si_prefix(value);
    let v = value / prefix.scale;
    let decimals = if resolution > 0.0 {
        decimals_for(resolution / prefix.scale)
    } else {
        let int_digits = if v.abs() >= 1.0 {
            v.abs().log10().floor() as usize + 1
        } else {
            1
        };
        4usize.saturating_sub(int_digits)
    };
    let mut text = format!("{v:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let sep = if unit.is_empty() { "" } else { " " };
    format!("{text}{sep}{}{unit}", prefix.symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_chosen_from_the_magnitude() {
        for (value, symbol) in [
            (0.0, ""),
            (f64::NAN, ""),
            (2e-3, "m"),
            (1e-3, "m"),
            (999e-6, "µ"),
            (0.5, "m"),
            (1.0, ""),
            (-1.5, ""),
            (999.9, ""),
            (2500.0, "k"),
            (433.92e6, "M"),
            (2.4e9, "G"),
            (3e-9, "n"),
            (1e-20, "f"),
            (1e20, "P"),
        ] {
            assert_eq!(si_prefix(value).symbol, symbol, "{value}");
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        for (lo, hi, target, want, step) in [
            (0.0, 500_000.0, 8, vec![0.0, 1e5, 2e5, 3e5, 4e5, 5e5], 1e5),
            (
                -130.0,
                0.0,
                8,
                vec![-120.0, -100.0, -80.0, -60.0, -40.0, -20.0, 0.0],
                20.0,
            ),
            (0.0, 1.0, 5, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.2),
            (0.0, 1.0, 2, vec![0.0, 0.5, 1.0], 0.5),
            (0.1, 0.35, 5, vec![0.1, 0.15, 0.2, 0.25, 0.3, 0.35], 0.05),
            (-1.0, 1.0, 4, vec![-1.0, -0.5, 0.0, 0.5, 1.0], 0.5),
            (3.0, 3.0, 5, vec![3.0], 0.0),
        ] {
            let (ticks, s) = nice_ticks(lo, hi, target);
            assert!(
                (s - step).abs() < 1e-12 * step.max(1.0),
                "{lo}..{hi}: step {s}"
            );
            assert_eq!(ticks.len(), want.len(), "{lo}..{hi}: {ticks:?}");
            for (t, w) in ticks.iter().zip(&want) {
                assert!(
                    (t - w).abs() <= 1e-9 * step.max(1.0),
                    "{lo}..{hi}: {ticks:?}"
                );
            }
        }
    }

    #[test]
    fn labels_and_titles_in_engineering_units() {
        struct Case {
            lo: f64,
            hi: f64,
            unit: &'static str,
            title: &'static str,
            labels: &'static [&'static str],
        }
        for c in [
            // A 2 ms capture from t0 = 0.
            Case {
                lo: 0.0,
                hi: 2e-3,
                unit: "s",
                title: "Time (ms)",
                labels: &["0.0", "0.5", "1.0", "1.5", "2.0"],
            },
            // 40 µs starting at 10 µs.
            Case {
                lo: 10e-6,
                hi: 50e-6,
                unit: "s",
                title: "Time (µs)",
                labels: &["10", "20", "30", "40", "50"],
            },
            // Millivolts around zero.
            Case {
                lo: -0.02,
                hi: 0.02,
                unit: "V",
                title: "Time (mV)",
                labels: &["-20", "-10", "0", "10", "20"],
            },
            // 2 µs at t0 = 12.3456 s: an offset keeps labels short.
            Case {
                lo: 12.3456,
                hi: 12.3456 + 2e-6,
                unit: "s",
                title: "Time (µs from 12.3456 s)",
                labels: &["0.0", "0.5", "1.0", "1.5", "2.0"],
            },
            // Radio frequencies: 2 MHz around 433.92 MHz need no offset.
            Case {
                lo: 432.92e6,
                hi: 434.92e6,
                unit: "Hz",
                title: "Time (MHz)",
                labels: &["433.0", "433.5", "434.0", "434.5"],
            },
            // Sample indices without a rate.
            Case {
                lo: 0.0,
                hi: 100e6,
                unit: "",
                title: "Time (×1M)",
                labels: &["0", "20", "40", "60", "80", "100"],
            },
        ] {
            let axis = EngAxis::new(c.lo, c.hi, 5, c.unit);
            let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
            assert_eq!(axis.title("Time"), c.title, "{}..{}", c.lo, c.hi);
            assert_eq!(labels, c.labels, "{}..{}", c.lo, c.hi);
        }
        let db = EngAxis::plain(-130.0, 0.0, 8, "dB");
        assert_eq!(db.label(-120.0), "-120");
        assert_eq!(db.title("Level"), "Level (dB)");
    }

    #[test]
    fn si_values() {
        for (value, unit, resolution, want) in [
            (1.25e6, "S/s", 0.0, "1.25 MS/s"),
            (1e9, "S/s", 0.0, "1 GS/s"),
            (44_100.0, "S/s", 0.0, "44.1 kS/s"),
            (12.3456, "s", 5e-7, "12.3456 s"),
            (0.0, "s", 0.0, "0 s"),
            (100e6, "", 0.0, "100M"),
            (3.0, "", 0.0, "3"),
        ] {
            assert_eq!(format_si(value, unit, resolution), want, "{value} {unit}");
        }
    }
}
