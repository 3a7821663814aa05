//! Numbers, rates, times and ranges as users type them (SPEC §3), turned into typed values.
//! No files, no clap: each parser keeps the user's text in its error and says what it accepts.

use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum UnitsError {
    #[error("'{text}' is not a {what}; {accepted}")]
    Syntax {
        text: String,
        what: &'static str,
        accepted: &'static str,
    },
    #[error("'{text}' is too large")]
    Overflow { text: String },
    #[error("'{text}': {why}")]
    Value { text: String, why: String },
    #[error("range {text} is outside the data: the valid sample range is 0..{len}{extent}")]
    OutOfRange {
        text: String,
        len: u64,
        extent: String,
    },
    #[error("range {text} is empty ({start}..{end}); the valid sample range is 0..{len}")]
    Empty {
        text: String,
        start: u64,
        end: u64,
        len: u64,
    },
    #[error("range {text} uses a time, but the sample rate is unknown: pass -r RATE")]
    NeedRate { text: String },
    #[error("range {text} counts from the end, but the length of this stream is unknown")]
    NeedLength { text: String },
}

const COUNT_FORMS: &str = "use e.g. 1000, 1e6, 1_000_000, 10k, 10M, 2G, 4Ki, 16Mi";
const RATE_FORMS: &str = "use e.g. 1e9, 1G, 250M, 44.1k, 10MHz, 2.5GS/s, 100MSa/s";
const TIME_FORMS: &str = "use e.g. 1.5ms, 20us, 3s, 100ns";

/// Split `text` into a leading number and the rest (the suffix), without the `_` separators.
fn split_number(text: &str) -> Option<(f64, String)> {
    let t: String = text.trim().chars().filter(|&c| c != '_').collect();
    let bytes = t.as_bytes();
    let mut end = 0;
    let mut seen_digit = false;
    while end < bytes.len() {
        let c = bytes[end];
        let ok = c.is_ascii_digit()
            || c == b'.'
            || ((c == b'+' || c == b'-') && (end == 0 || matches!(bytes[end - 1], b'e' | b'E')))
            || ((c == b'e' || c == b'E')
                && seen_digit
                && bytes
                    .get(end + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+'));
        if !ok {
            break;
        }
        seen_digit |= c.is_ascii_digit();
        end += 1;
    }
    if !seen_digit {
        return None;
    }
    let value = t[..end].parse::<f64>().ok()?;
    Some((value, t[end..].trim().to_string()))
}

/// SI and binary multipliers for counts (fd's split: `k` = 10³, `Ki` = 2¹⁰).
fn count_multiplier(suffix: &str) -> Option<f64> {
    Some(match suffix {
        "" => 1.0,
        "k" | "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0f64.powi(4),
        _ => return None,
    })
}

/// A sample count: `1000`, `1e6`, `1_000_000`, `10k`, `10M`, `2G`, `4Ki`, `16Mi`.
pub fn parse_count(text: &str) -> Result<u64, UnitsError> {
    let syntax = || UnitsError::Syntax {
        text: text.into(),
        what: "count",
        accepted: COUNT_FORMS,
    };
    let (value, suffix) = split_number(text).ok_or_else(syntax)?;
    let mult = count_multiplier(&suffix).ok_or_else(syntax)?;
    let n = value * mult;
    if n < 0.0 || n.fract() != 0.0 {
        return Err(UnitsError::Value {
            text: text.into(),
            why: "a count must be a whole number ≥ 0".into(),
        });
    }
    if n >= 2f64.powi(63) {
        return Err(UnitsError::Overflow { text: text.into() });
    }
    Ok(n as u64)
}

/// A count that must be at least 1 (`--chunk`, `--step`).
pub fn parse_positive_count(text: &str) -> Result<u64, UnitsError> {
    match parse_count(text)? {
        0 => Err(UnitsError::Value {
            text: text.into(),
            why: "must be at least 1".into(),
        }),
        n => Ok(n),
    }
}

/// A sample rate in Hz: `1e9`, `1G`, `250M`, `44.1k`, `10MHz`, `2.5GS/s`, `100MSa/s`.
pub fn parse_rate(text: &str) -> Result<f64, UnitsError> {
    parse_frequency(text, "sample rate")
}

/// A frequency in Hz written like a rate (`9600`, `115.2k`, `10MHz`); `what` names it in
/// errors (`baud rate`, `frequency`).
pub fn parse_frequency(text: &str, what: &'static str) -> Result<f64, UnitsError> {
    let syntax = || UnitsError::Syntax {
        text: text.into(),
        what,
        accepted: RATE_FORMS,
    };
    let (value, suffix) = split_number(text).ok_or_else(syntax)?;
    let unit_start = suffix.find(['H', 'S', 's']).unwrap_or(suffix.len());
    let (prefix, unit) = suffix.split_at(unit_start);
    if !matches!(unit, "" | "Hz" | "S/s" | "Sa/s" | "sps" | "SPS") {
        return Err(syntax());
    }
    let mult = match prefix {
        "" => 1.0,
        "k" | "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return Err(syntax()),
    };
    let rate = value * mult;
    if !rate.is_finite() || rate <= 0.0 {
        return Err(UnitsError::Value {
            text: text.into(),
            why: format!("a {what} must be a finite number > 0"),
        });
    }
    Ok(rate)
}

/// A time in seconds: `1.5ms`, `20us`, `20µs`, `3s`, `100ns`.
pub fn parse_time(text: &str) -> Result<f64, UnitsError> {
    let syntax = || UnitsError::Syntax {
        text: text.into(),
        what: "time",
        accepted: TIME_FORMS,
    };
    let (value, suffix) = split_number(text).ok_or_else(syntax)?;
    let scale = time_scale(&suffix).ok_or_else(syntax)?;
    let t = value * scale;
    if !t.is_finite() {
        return Err(UnitsError::Overflow { text: text.into() });
    }
    Ok(t)
}

fn time_scale(suffix: &str) -> Option<f64> {
    Some(match suffix {
        "s" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" | "μs" => 1e-6,
        "ns" => 1e-9,
        "ps" => 1e-12,
        _ => return None,
    })
}

/// A position or length given either in samples or as a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    Samples(u64),
    Seconds(f64),
}

impl Span {
    /// In samples, given the rate (None when it is a time and the rate is unknown).
    pub fn to_samples(self, rate: Option<f64>) -> Option<u64> {
        match self {
            Span::Samples(n) => Some(n),
            Span::Seconds(t) => rate.map(|r| time_to_index(t * r)),
        }
    }

    /// As a window width in samples: a time shorter than one sample period is 0 (not one
    /// sample), so the caller can refuse it instead of silently widening it.
    pub fn width_samples(self, rate: Option<f64>) -> Option<u64> {
        match self {
            Span::Seconds(t) if rate.is_some_and(|r| t * r < 1.0 - 1e-9) => Some(0),
            other => other.to_samples(rate),
        }
    }
}

/// Samples or a time, for `--every` and similar: `4096`, `10k`, `1ms`, `1s`.
pub fn parse_span(text: &str) -> Result<Span, UnitsError> {
    let t = text.trim();
    let is_time = split_number(t).is_some_and(|(_, s)| time_scale(&s).is_some());
    if is_time {
        let secs = parse_time(t)?;
        if secs <= 0.0 {
            return Err(UnitsError::Value {
                text: text.into(),
                why: "must be > 0".into(),
            });
        }
        Ok(Span::Seconds(secs))
    } else {
        Ok(Span::Samples(parse_positive_count(t)?))
    }
}

/// A sample position from `t * rate`: exact when within rounding of an integer, else the
/// first sample at or after that time.
fn time_to_index(x: f64) -> u64 {
    let r = x.round();
    if (x - r).abs() <= 1e-9 * x.abs().max(1.0) {
        r.max(0.0) as u64
    } else {
        x.ceil().max(0.0) as u64
    }
}

/// One bound of a range, as typed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub span: Span,
    /// Counts back from the end (`-1M..`).
    pub from_end: bool,
}

/// A range as typed (SPEC §3): `A..B`, `A..`, `..B`, `..`, `A+N`; half-open.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSpec {
    pub text: String,
    pub start: Option<Bound>,
    pub end: RangeEnd,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeEnd {
    Open,
    At(Bound),
    /// `A+N`: N samples (or a duration) after A.
    Plus(Span),
}

const RANGE_FORMS: &str = "use A..B, A.., ..B, .., or A+N with sample counts (1e6, 10M) or times (1.5ms); negative counts from the end";

fn parse_bound(text: &str, whole: &str) -> Result<Bound, UnitsError> {
    let t = text.trim();
    let (from_end, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let span = parse_span_allow_zero(body).map_err(|_| UnitsError::Syntax {
        text: whole.into(),
        what: "range",
        accepted: RANGE_FORMS,
    })?;
    Ok(Bound { span, from_end })
}

/// A range bound or length: a count too large for any file stands for "past the end", so the
/// range is reported as outside the data (with the valid range), not as bad syntax.
fn parse_span_allow_zero(text: &str) -> Result<Span, UnitsError> {
    let is_time = split_number(text).is_some_and(|(_, s)| time_scale(&s).is_some());
    if is_time {
        parse_time(text).map(Span::Seconds)
    } else {
        match parse_count(text) {
            Err(UnitsError::Overflow { .. }) => Ok(Span::Samples(u64::MAX)),
            other => other.map(Span::Samples),
        }
    }
}

pub fn parse_range(text: &str) -> Result<RangeSpec, UnitsError> {
    let t = text.trim();
    let syntax = || UnitsError::Syntax {
        text: text.into(),
        what: "range",
        accepted: RANGE_FORMS,
    };
    if let Some((a, b)) = t.split_once("..") {
        let start = if a.trim().is_empty() {
            None
        } else {
            Some(parse_bound(a, text)?)
        };
        let end = if b.trim().is_empty() {
            RangeEnd::Open
        } else {
            RangeEnd::At(parse_bound(b, text)?)
        };
        return Ok(RangeSpec {
            text: text.into(),
            start,
            end,
        });
    }
    // `A+N`: the '+' that is not part of an exponent.
    let plus = t
        .char_indices()
        .skip(1)
        .find(|&(i, c)| c == '+' && !matches!(t.as_bytes()[i - 1], b'e' | b'E'));
    if let Some((i, _)) = plus {
        let start = parse_bound(&t[..i], text)?;
        let n = parse_span_allow_zero(t[i + 1..].trim()).map_err(|_| syntax())?;
        return Ok(RangeSpec {
            text: text.into(),
            start: Some(start),
            end: RangeEnd::Plus(n),
        });
    }
    Err(syntax())
}

impl RangeSpec {
    /// The whole data.
    pub fn all() -> RangeSpec {
        RangeSpec {
            text: "..".into(),
            start: None,
            end: RangeEnd::Open,
        }
    }

    /// Resolve to `[start, end)` sample indices. Times count from the first sample. `len` is
    /// None for a stream of unknown length (then the end may stay open).
    pub fn resolve(
        &self,
        len: Option<u64>,
        rate: Option<f64>,
    ) -> Result<(u64, Option<u64>), UnitsError> {
        let index = |b: Bound| -> Result<u64, UnitsError> {
            let n = b
                .span
                .to_samples(rate)
                .ok_or_else(|| UnitsError::NeedRate {
                    text: self.text.clone(),
                })?;
            if !b.from_end {
                return Ok(n);
            }
            let len = len.ok_or_else(|| UnitsError::NeedLength {
                text: self.text.clone(),
            })?;
            len.checked_sub(n)
                .ok_or_else(|| self.out_of_range(len, rate))
        };
        let start = match self.start {
            Some(b) => index(b)?,
            None => 0,
        };
        let end = match self.end {
            RangeEnd::Open => len,
            RangeEnd::At(b) => Some(index(b)?),
            RangeEnd::Plus(span) => {
                let n = span.to_samples(rate).ok_or_else(|| UnitsError::NeedRate {
                    text: self.text.clone(),
                })?;
                Some(start.saturating_add(n))
            }
        };
        if let Some(len) = len {
            let end = end.unwrap_or(len);
            if start > len || end > len {
                return Err(self.out_of_range(len, rate));
            }
            if start >= end {
                return Err(UnitsError::Empty {
                    text: self.text.clone(),
                    start,
                    end,
                    len,
                });
            }
        } else if let Some(end) = end
            && start >= end
        {
            return Err(UnitsError::Empty {
                text: self.text.clone(),
                start,
                end,
                len: end,
            });
        }
        Ok((start, end))
    }

    fn out_of_range(&self, len: u64, rate: Option<f64>) -> UnitsError {
        let extent = match rate {
            Some(r) => format!(" ({len} samples, 0..{})", format_seconds(len as f64 / r)),
            None => format!(" ({len} samples)"),
        };
        UnitsError::OutOfRange {
            text: self.text.clone(),
            len,
            extent,
        }
    }
}

/// A time in the unit that reads best: `1.5 ms`, `20 µs`, `3 s`.
pub fn format_seconds(t: f64) -> String {
    let a = t.abs();
    let (v, unit) = if a == 0.0 || a >= 1.0 {
        (t, "s")
    } else if a >= 1e-3 {
        (t * 1e3, "ms")
    } else if a >= 1e-6 {
        (t * 1e6, "µs")
    } else {
        (t * 1e9, "ns")
    };
    format!("{} {unit}", trim_float(v))
}

/// A rate in the unit that reads best: `1 MHz`, `44.1 kHz`.
pub fn format_rate(r: f64) -> String {
    let (v, unit) = if r >= 1e9 {
        (r / 1e9, "GHz")
    } else if r >= 1e6 {
        (r / 1e6, "MHz")
    } else if r >= 1e3 {
        (r / 1e3, "kHz")
    } else {
        (r, "Hz")
    };
    format!("{} {unit}", trim_float(v))
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// `--overlap` for Welch: `50%` of the segment, or a number of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Overlap {
    Percent(f64),
    Samples(u64),
}

impl Overlap {
    pub fn samples(self, nfft: usize) -> usize {
        match self {
            Overlap::Percent(p) => ((p / 100.0) * nfft as f64).floor() as usize,
            Overlap::Samples(n) => n as usize,
        }
    }
}

pub fn parse_overlap(text: &str) -> Result<Overlap, UnitsError> {
    if let Some(p) = text.trim().strip_suffix('%') {
        let v: f64 = p.trim().parse().map_err(|_| UnitsError::Syntax {
            text: text.into(),
            what: "overlap",
            accepted: "use a percentage (50%) or a number of samples (4096)",
        })?;
        if !(0.0..100.0).contains(&v) {
            return Err(UnitsError::Value {
                text: text.into(),
                why: "a percentage overlap must be in 0..100".into(),
            });
        }
        return Ok(Overlap::Percent(v));
    }
    parse_count(text).map(Overlap::Samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let ok = [
            ("1000", 1000),
            ("1e6", 1_000_000),
            ("1_000_000", 1_000_000),
            ("10k", 10_000),
            ("10M", 10_000_000),
            ("2G", 2_000_000_000),
            ("4Ki", 4096),
            ("16Mi", 16 << 20),
            ("1.5k", 1500),
            ("0", 0),
            (" 7 ", 7),
        ];
        for (text, want) in ok {
            assert_eq!(parse_count(text), Ok(want), "{text}");
        }
        for bad in ["", "k", "1.5", "-3", "10x", "1e", "1..2", "1e99", "ten"] {
            assert!(parse_count(bad).is_err(), "{bad} should fail");
        }
        assert!(parse_count("10x").unwrap_err().to_string().contains("10x"));
        assert!(parse_positive_count("0").is_err());
    }

    #[test]
    fn rates() {
        let ok = [
            ("1e9", 1e9),
            ("1G", 1e9),
            ("250M", 250e6),
            ("44.1k", 44_100.0),
            ("10MHz", 10e6),
            ("2.5GS/s", 2.5e9),
            ("100MSa/s", 100e6),
            ("48000", 48_000.0),
            ("1 kHz", 1000.0),
        ];
        for (text, want) in ok {
            let got = parse_rate(text).unwrap();
            assert!((got - want).abs() <= 1e-9 * want, "{text}: {got}");
        }
        for bad in ["0", "-1", "nan", "inf", "1e400", "10Mbps", "5 m", "Hz"] {
            assert!(parse_rate(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn times() {
        let ok = [
            ("1.5ms", 1.5e-3),
            ("20us", 20e-6),
            ("20µs", 20e-6),
            ("3s", 3.0),
            ("100ns", 100e-9),
        ];
        for (text, want) in ok {
            assert!((parse_time(text).unwrap() - want).abs() < 1e-18, "{text}");
        }
        for bad in ["1.5", "ms", "3 sec", "2h"] {
            assert!(parse_time(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("4096"), Ok(Span::Samples(4096)));
        assert_eq!(parse_span("1ms"), Ok(Span::Seconds(1e-3)));
        assert!(parse_span("0").is_err());
        assert_eq!(Span::Seconds(1e-3).to_samples(Some(1e6)), Some(1000));
        assert_eq!(Span::Seconds(1e-3).to_samples(None), None);
    }

    fn resolve(text: &str, len: u64, rate: Option<f64>) -> Result<(u64, Option<u64>), UnitsError> {
        parse_range(text).and_then(|r| r.resolve(Some(len), rate))
    }

    #[test]
    fn ranges_every_form() {
        let n = 10_000_000;
        let cases = [
            ("1e6..2e6", (1_000_000, 2_000_000)),
            ("1M..2M", (1_000_000, 2_000_000)),
            ("..1000", (0, 1000)),
            ("5e6..", (5_000_000, n)),
            ("-1M..", (n - 1_000_000, n)),
            ("1e6+4096", (1_000_000, 1_004_096)),
            ("..", (0, n)),
            ("0..1", (0, 1)),
            ("-1..", (n - 1, n)),
            ("..-1", (0, n - 1)),
            ("9999999..10000000", (n - 1, n)),
        ];
        for (text, (a, b)) in cases {
            assert_eq!(resolve(text, n, None), Ok((a, Some(b))), "{text}");
        }
    }

    #[test]
    fn time_ranges() {
        let r = Some(1e6);
        assert_eq!(resolve("1.5ms..2.5ms", 10_000, r), Ok((1500, Some(2500))));
        assert_eq!(resolve("1ms+1ms", 10_000, r), Ok((1000, Some(2000))));
        assert_eq!(resolve("-1ms..", 10_000, r), Ok((9000, Some(10_000))));
        // Between samples: the first sample at or after the time.
        assert_eq!(
            resolve("1.5ms..", 10_000, Some(1000.0 / 3.0)),
            Ok((1, Some(10_000)))
        );
        assert_eq!(
            resolve("1ms..2ms", 10_000, None),
            Err(UnitsError::NeedRate {
                text: "1ms..2ms".into()
            })
        );
    }

    #[test]
    fn bad_ranges_say_the_valid_range() {
        let err = resolve("5..20", 10, None).unwrap_err().to_string();
        assert!(err.contains("0..10"), "{err}");
        let err = resolve("5..20", 10, Some(1e3)).unwrap_err().to_string();
        assert!(err.contains("0..10 ms"), "{err}");
        assert!(matches!(
            resolve("5..5", 10, None),
            Err(UnitsError::Empty { .. })
        ));
        assert!(matches!(
            resolve("6..5", 10, None),
            Err(UnitsError::Empty { .. })
        ));
        assert!(matches!(
            resolve("-11..", 10, None),
            Err(UnitsError::OutOfRange { .. })
        ));
        assert!(matches!(
            resolve("11..", 10, None),
            Err(UnitsError::OutOfRange { .. })
        ));
        for bad in ["abc", "1..2..3", "1-2", "+5", "1+x"] {
            assert!(parse_range(bad).is_err(), "{bad} should fail");
        }
        let unknown = parse_range("-5..").unwrap().resolve(None, None);
        assert!(matches!(unknown, Err(UnitsError::NeedLength { .. })));
        assert_eq!(
            parse_range("5..").unwrap().resolve(None, None),
            Ok((5, None))
        );
    }

    #[test]
    fn overlaps_and_formatting() {
        assert_eq!(parse_overlap("50%").unwrap().samples(8192), 4096);
        assert_eq!(parse_overlap("100").unwrap().samples(8192), 100);
        assert!(parse_overlap("100%").is_err());
        assert_eq!(format_seconds(0.0015), "1.5 ms");
        assert_eq!(format_seconds(2.0), "2 s");
        assert_eq!(format_rate(44_100.0), "44.1 kHz");
    }
}
