//! Numbers as `info` shows them: SI prefixes, few digits, units kept.

/// `value` with an SI prefix and up to `digits` significant digits: `si(0.0592, "V/div", 4)`
/// is `59.2 mV/div`. Non-finite values and zero are printed plainly.
pub fn si(value: f64, unit: &str, digits: usize) -> String {
    const PREFIXES: [(f64, &str); 11] = [
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
        (1e-12, "p"),
        (1e-15, "f"),
        (1e-18, "a"),
    ];
    let sep = if unit.is_empty() { "" } else { " " };
    if !value.is_finite() || value == 0.0 {
        return format!("{value}{sep}{unit}");
    }
    let magnitude = value.abs();
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|(s, _)| magnitude >= *s * 0.999_999_5)
        .unwrap_or((1e-18, "a"));
    let scaled = value / scale;
    // Significant digits → decimals after the point, then drop trailing zeros.
    let int_digits = (scaled.abs().log10().floor() as i64 + 1).max(1) as usize;
    let decimals = digits.saturating_sub(int_digits);
    let mut text = format!("{scaled:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{text}{sep}{prefix}{unit}")
}

/// `value = code × gain ± offset unit`, numbers in their shortest exact form.
pub fn affine(gain: f64, offset: f64, unit: &str) -> String {
    let sign = if offset.is_sign_negative() {
        '−'
    } else {
        '+'
    };
    let sep = if unit.is_empty() { "" } else { " " };
    format!(
        "value = code × {} {sign} {}{sep}{unit}",
        number(gain),
        number(offset.abs())
    )
}

/// Shortest exact form, in scientific notation when that reads better.
pub fn number(x: f64) -> String {
    if x == 0.0 || (1e-3..1e6).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Rows helper: push `(label, value)` only when there is a value to show.
pub fn push_some(rows: &mut Vec<(String, String)>, label: &str, value: Option<String>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        rows.push((label.to_string(), v));
    }
}

#[cfg(test)]
mod tests {
    use super::si;

    #[test]
    fn prefixes_and_digits() {
        assert_eq!(si(0.0592, "V/div", 4), "59.2 mV/div");
        assert_eq!(si(4e-11, "s", 4), "40 ps");
        assert_eq!(si(1.5e9, "Hz", 4), "1.5 GHz");
        assert_eq!(si(-0.0025, "s", 4), "-2.5 ms");
        assert_eq!(si(1.0, "", 4), "1");
        assert_eq!(si(0.0, "V", 4), "0 V");
        assert_eq!(si(999.99999999, "s", 4), "1 ks");
        assert_eq!(si(f64::NAN, "V", 4), "NaN V");
    }

    #[test]
    fn conversions_read_naturally() {
        assert_eq!(
            super::affine(1.5625e-5, 0.0, "V"),
            "value = code × 1.5625e-5 + 0 V"
        );
        assert_eq!(
            super::affine(0.5, -0.125, "V"),
            "value = code × 0.5 − 0.125 V"
        );
        assert_eq!(super::affine(2.0, 3e7, ""), "value = code × 2 + 3e7");
    }
}
