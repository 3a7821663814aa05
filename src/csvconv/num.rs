//! Number and time-cell scanners.
//!
//! The hot path is `scan_number`: one pass over the bytes of a cell that
//! accumulates the decimal mantissa and exponent. When the mantissa fits in
//! 53 bits and the power of ten is at most 22, the value is computed exactly
//! rounded without a division: `m × 10^e` is one exact-operand IEEE
//! multiplication (Clinger), and `m / 10^k` is an Eisel-Lemire 128-bit product
//! (the algorithm std's own parser uses), which is always decisive in this
//! range. Every other form goes to `str::parse::<f64>`, which is correctly
//! rounded too, so all paths agree bit for bit.

/// Exact powers of ten representable in f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `1 / 10^k`, rounded as a runtime division would round it.
const INV_POW10: [f64; 23] = {
    let mut t = [0.0; 23];
    let mut k = 0;
    while k < t.len() {
        t[k] = 1.0 / POW10[k];
        k += 1;
    }
    t
};

/// `5^-k` for k = 1..=22 as 128-bit fixed point rounded up, normalised to
/// [2^127, 2^128): `floor(2^(127 + z) / 5^k) + 1` with `2^(z-1) < 5^k < 2^z`,
/// the entries of the Eisel-Lemire table (fast_float, std's dec2flt) for these k.
const INV_POW5: [u128; 23] = {
    let mut t = [0u128; 23];
    let mut k = 1;
    while k < t.len() {
        let p5 = 5u64.pow(k as u32);
        let z = 64 - p5.leading_zeros();
        // Long division of 2^(127 + z) by p5, one bit at a time.
        let mut r: u64 = 1;
        let mut q: u128 = 0;
        let mut i = 0;
        while i < 127 + z {
            r <<= 1;
            q <<= 1;
            if r >= p5 {
                r -= p5;
                q |= 1;
            }
            i += 1;
        }
        t[k] = q + 1;
        k += 1;
    }
    t
};

/// Largest mantissa that converts to f64 exactly.
const MAX_EXACT_MANTISSA: u64 = 1 << 53;

/// Significant digits beyond which an f32 cannot hold a value exactly enough
/// to print it back: f32 has 24 bits ≈ 7.2 decimal digits.
const F32_DIGITS: u32 = 7;

/// A number scanned from the start of a cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scanned {
    pub value: f64,
    /// Index just after the number and any spaces that follow it.
    pub end: usize,
    /// More than 7 significant digits: f32 would lose information.
    pub needs_f64: bool,
}

/// Scans a decimal number at `pos` (leading spaces allowed) with the given
/// decimal separator. Returns `None` when the bytes are not a number; the
/// caller then decides whether the cell is empty, a special value or bad.
#[inline]
pub(crate) fn scan_number(line: &[u8], pos: usize, decimal: u8) -> Option<Scanned> {
    scan::<true>(line, pos, decimal)
}

/// [`scan_number`]; with `PRECISION` false `needs_f64` is not worked out (always
/// false): time cells, which only data columns' precision decides nothing about.
#[inline(always)]
pub(crate) fn scan<const PRECISION: bool>(line: &[u8], pos: usize, decimal: u8) -> Option<Scanned> {
    let n = line.len();
    let mut i = pos;
    while i < n && line[i] == b' ' {
        i += 1;
    }
    let start = i;
    let mut neg = false;
    if i < n && (line[i] == b'-' || line[i] == b'+') {
        neg = line[i] == b'-';
        i += 1;
    }
    let mut mant: u64 = 0;
    // Digits taken into `mant`, leading zeros included: at most 19 fit a u64.
    let mut digits: u32 = 0;
    let mut exp10: i32 = 0;
    let int_start = i;
    i = take_digits(line, i, &mut mant, &mut digits);
    let mut any_digit = i > int_start;
    if i < n && line[i] == decimal {
        i += 1;
        let frac_start = i;
        i = take_digits(line, i, &mut mant, &mut digits);
        any_digit |= i > frac_start;
        exp10 = -((i - frac_start) as i32);
    }
    let truncated = digits > MAX_DIGITS;
    if !any_digit {
        return None;
    }
    if i < n && (line[i] | 0x20) == b'e' {
        i += 1;
        let mut eneg = false;
        if i < n && (line[i] == b'-' || line[i] == b'+') {
            eneg = line[i] == b'-';
            i += 1;
        }
        let estart = i;
        let mut e: i32 = 0;
        while i < n {
            let d = line[i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            e = e.saturating_mul(10).saturating_add(i32::from(d));
            i += 1;
        }
        if i == estart {
            return None;
        }
        exp10 = exp10.saturating_add(if eneg { -e } else { e });
    }
    let text_end = i;
    while i < n && line[i] == b' ' {
        i += 1;
    }
    let value = if !truncated && mant < MAX_EXACT_MANTISSA && exp10.unsigned_abs() <= 22 {
        let v = if exp10 >= 0 {
            mant as f64 * POW10[exp10 as usize]
        } else {
            div_pow10(mant, exp10.unsigned_abs() as usize)
        };
        if neg { -v } else { v }
    } else {
        // Beyond f64 (`1e400`, a cell of a million digits) is not taken here: the
        // careful path reports it (`overflows`).
        parse_std(&line[start..text_end], decimal).filter(|v| v.is_finite())?
    };
    let needs_f64 =
        PRECISION && (truncated || needs_more_than_f32(mant) || f32_loses(value, mant, exp10));
    Some(Scanned {
        value,
        end: i,
        needs_f64,
    })
}

/// `mant / 10^k` correctly rounded, for `mant < 2^53` and `1 <= k <= 22`: the
/// Eisel-Lemire algorithm (as in std's `dec2flt::lemire`) specialised to this
/// range, where the 128-bit product always decides the rounding and the result
/// is a normal f64; it equals the IEEE division `mant as f64 / 1e{k}` (Clinger),
/// which it replaces because a division costs several multiplications.
#[inline(always)]
fn div_pow10(mant: u64, k: usize) -> f64 {
    /// Explicit mantissa bits of f64.
    const SIG_BITS: i32 = 52;
    if mant == 0 {
        return 0.0;
    }
    let lz = mant.leading_zeros() as i32;
    let w = u128::from(mant << lz);
    let c = INV_POW5[k];
    let (hi5, lo5) = (c >> 64, c & u128::from(u64::MAX));
    let first = w * hi5;
    let (mut lo, mut hi) = (first as u64, (first >> 64) as u64);
    // Bits below the rounding bit all ones: the low half of the table entry
    // may carry into them.
    const MASK: u64 = u64::MAX >> (SIG_BITS + 3);
    if hi & MASK == MASK {
        let second_hi = ((w * lo5) >> 64) as u64;
        lo = lo.wrapping_add(second_hi);
        if second_hi > lo {
            hi += 1;
        }
    }
    let q = -(k as i32);
    let upperbit = (hi >> 63) as i32;
    let shift = upperbit + 64 - SIG_BITS - 3;
    let mut m = hi >> shift;
    // floor(log2(10^q)) + 63, as in std, plus the f64 exponent bias.
    let mut power2 = ((q.wrapping_mul(152_170 + 65_536) >> 16) + 63) + upperbit - lz + 1023;
    // Exactly halfway (5^k divides mant): round to even, not up.
    if lo <= 1 && q >= -4 && m & 3 == 1 && (m << shift) == hi {
        m &= !1;
    }
    m += m & 1;
    m >>= 1;
    if m >= (2 << SIG_BITS) {
        m = 1 << SIG_BITS;
        power2 += 1;
    }
    m &= !(1u64 << SIG_BITS);
    debug_assert!(power2 > 0 && power2 < 0x7FF, "1e-22 <= |value| < 2^53");
    f64::from_bits(m | (power2 as u64) << SIG_BITS)
}

/// Whether f32 fails to hold a number of at most 7 significant digits, `mant × 10^exp10`
/// (parsed as `value`): its nearest f32, rounded to the digits written, must give the text
/// back. Up to 6 digits in f32's normal range always do (FLT_DIG); 7 digits mostly do but
/// not near some powers of two, and values outside the normal range lose digits or overflow.
#[inline]
fn f32_loses(value: f64, mut mant: u64, mut exp10: i32) -> bool {
    let a = value.abs();
    if mant == 0 || !a.is_finite() {
        return false;
    }
    let normal = (f64::from(f32::MIN_POSITIVE)..=f64::from(f32::MAX)).contains(&a);
    if mant < 1_000_000 && normal {
        return false;
    }
    while mant.is_multiple_of(10) {
        mant /= 10;
        exp10 += 1;
    }
    if mant < 1_000_000 && normal {
        return false;
    }
    let f = value as f32;
    let unit = match usize::try_from(exp10.unsigned_abs()) {
        Ok(e) if e < POW10.len() && exp10 >= 0 => POW10[e],
        Ok(e) if e < POW10.len() => INV_POW10[e],
        _ => 10f64.powi(exp10),
    };
    !f.is_finite() || (f64::from(f) - value).abs() >= 0.5 * unit
}

/// More than 7 significant digits once trailing zeros are dropped
/// (`4.40000` has 2).
fn needs_more_than_f32(mut mant: u64) -> bool {
    const LIMIT: u64 = 10u64.pow(F32_DIGITS);
    if mant < LIMIT {
        return false;
    }
    while mant.is_multiple_of(10) {
        mant /= 10;
    }
    mant >= LIMIT
}

/// Digits that always fit a u64 mantissa.
const MAX_DIGITS: u32 = 19;

/// Accumulates decimal digits from `i` into `mant`, up to eight at a time
/// (the SWAR digit tests and parse of fast_float / Rust's dec2flt, extended to
/// a run of fewer than eight digits by shifting out the bytes after it).
/// `digits` past [`MAX_DIGITS`] mean the mantissa is no longer exact.
#[inline]
fn take_digits(line: &[u8], mut i: usize, mant: &mut u64, digits: &mut u32) -> usize {
    while let Some(chunk) = line.get(i..i + 8) {
        let v = u64::from_le_bytes(
            chunk
                .try_into()
                .expect("an 8-byte slice converts to [u8; 8]"),
        );
        let run = digit_run(v);
        if run == 0 {
            return i;
        }
        if *digits + run > MAX_DIGITS {
            break;
        }
        // The run's bytes (the first is the lowest) to the top, zeros (leading zero
        // digits) below them.
        let x = v.wrapping_sub(0x3030_3030_3030_3030) << (8 * (8 - run));
        *mant = *mant * POW10_U64[run as usize] + combine_eight_digits(x);
        *digits += run;
        i += run as usize;
        if run < 8 {
            return i;
        }
    }
    while let Some(&b) = line.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if *digits < MAX_DIGITS {
            *mant = *mant * 10 + u64::from(d);
        }
        *digits += 1;
        i += 1;
    }
    i
}

/// `10^n` for the digit runs of [`take_digits`].
const POW10_U64: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// How many of the 8 bytes of `v` (first byte lowest) are ASCII digits before
/// the first that is not. Each byte's test can only carry into the bytes above
/// it, so the lowest flagged byte is exact.
#[inline]
fn digit_run(v: u64) -> u32 {
    let above_nine = v.wrapping_add(0x4646_4646_4646_4646);
    let below_zero = v.wrapping_sub(0x3030_3030_3030_3030);
    ((above_nine | below_zero) & 0x8080_8080_8080_8080).trailing_zeros() / 8
}

/// The value of eight digit values 0..=9, one per byte, first (most
/// significant) lowest.
#[inline]
fn combine_eight_digits(mut v: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064;
    const MUL2: u64 = 0x0000_2710_0000_0001;
    v = v.wrapping_mul(10).wrapping_add(v >> 8);
    (((v & MASK).wrapping_mul(MUL1)).wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2))) >> 32
}

/// The correctly rounded std parser, after mapping a `,` decimal to `.`.
pub(crate) fn parse_std(text: &[u8], decimal: u8) -> Option<f64> {
    let mut buf = [0u8; 64];
    let src: &[u8] = if decimal != b'.' && text.len() <= buf.len() {
        for (dst, &b) in buf.iter_mut().zip(text) {
            *dst = if b == decimal { b'.' } else { b };
        }
        &buf[..text.len()]
    } else {
        text
    };
    std::str::from_utf8(src).ok()?.trim().parse::<f64>().ok()
}

/// Parses a whole cell as a number (special values such as `NaN` and `inf`
/// included). Used off the hot path: detection and fallbacks.
pub(crate) fn parse_cell(cell: &[u8], decimal: u8) -> Option<f64> {
    parse_cell_checked(cell, decimal).map(|(v, _)| v)
}

/// [`parse_cell`] plus whether the value needs f64 (see [`Scanned::needs_f64`]). Finite
/// values only std's parser takes are counted as needing f64, to be safe.
pub(crate) fn parse_cell_checked(cell: &[u8], decimal: u8) -> Option<(f64, bool)> {
    let cell = trim(cell);
    if cell.is_empty() {
        return None;
    }
    match scan_number(cell, 0, decimal) {
        Some(s) if s.end == cell.len() => Some((s.value, s.needs_f64)),
        _ => parse_std(cell, decimal).map(|v| (v, v.is_finite())),
    }
}

/// A cell written as a number whose value is beyond f64's range (`1e400` parses to
/// infinity), as opposed to the words `inf` or `Infinity`, which mean what they say.
pub(crate) fn overflows(cell: &[u8], value: f64) -> bool {
    value.is_infinite() && cell.iter().any(u8::is_ascii_digit)
}

/// A cell's text for a message: lossy UTF-8, cut after 40 bytes with its length.
pub(crate) fn shown(cell: &[u8]) -> String {
    const MAX: usize = 40;
    if cell.len() <= MAX {
        return String::from_utf8_lossy(cell).into_owned();
    }
    format!(
        "{}... ({} bytes)",
        String::from_utf8_lossy(&cell[..MAX]),
        cell.len()
    )
}

/// Trims ASCII spaces, tabs and quotes around a cell.
pub(crate) fn trim(cell: &[u8]) -> &[u8] {
    let is_pad = |b: &u8| matches!(b, b' ' | b'\t' | b'"' | b'\r');
    let start = cell.iter().position(|b| !is_pad(b)).unwrap_or(cell.len());
    let end = cell
        .iter()
        .rposition(|b| !is_pad(b))
        .map_or(start, |p| p + 1);
    &cell[start..end]
}

/// Seconds per unit for the time units instruments write.
pub(crate) fn time_unit_scale(unit: &str) -> Option<f64> {
    let u = unit
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']');
    let lower = u.to_ascii_lowercase();
    Some(match lower.as_str() {
        "s" | "sec" | "second" | "seconds" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" | "μs" => 1e-6,
        "ns" => 1e-9,
        "ps" => 1e-12,
        _ => return None,
    })
}

/// A time cell with a unit suffix and optional space digit grouping, as
/// ScanaStudio writes it (`4.860 530 ms`), or a number with a unit glued on
/// (`0.08uS`). Returns seconds.
pub(crate) fn parse_unit_time(cell: &[u8], decimal: u8) -> Option<f64> {
    let cell = trim(cell);
    let split = cell
        .iter()
        .rposition(|b| b.is_ascii_digit() || *b == b'.' || *b == decimal)?
        + 1;
    let (num, unit) = cell.split_at(split);
    let unit = std::str::from_utf8(unit).ok()?;
    let scale = time_unit_scale(unit)?;
    let digits: Vec<u8> = num.iter().copied().filter(|b| *b != b' ').collect();
    parse_cell(&digits, decimal).map(|v| v * scale)
}

/// Parses an ISO-8601 timestamp (`2026-01-30T14:06:09.197352115+00:00`,
/// `Z` or no zone = UTC) to integer nanoseconds since the Unix epoch, so that
/// differences keep nanosecond precision.
pub(crate) fn parse_iso8601_ns(cell: &[u8]) -> Option<i128> {
    let s = trim(cell);
    let num = |a: usize, b: usize| -> Option<i64> {
        let t = s.get(a..b)?;
        if t.is_empty() || !t.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(t).ok()?.parse().ok()
    };
    if s.len() < 19 || s[4] != b'-' || s[7] != b'-' || !matches!(s[10], b'T' | b' ') {
        return None;
    }
    if s[13] != b':' || s[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut i = 19;
    let mut frac_ns: i64 = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &s[start..i];
        if frac.is_empty() {
            return None;
        }
        for k in 0..9 {
            frac_ns = frac_ns * 10 + frac.get(k).map_or(0, |b| i64::from(b - b'0'));
        }
    }
    let offset_s: i64 = match s.get(i) {
        None | Some(b'Z') => 0,
        Some(b'+') | Some(b'-') => {
            let sign = if s[i] == b'-' { -1 } else { 1 };
            let oh = num(i + 1, i + 3)?;
            let om = num(i + 4, i + 6).or_else(|| num(i + 3, i + 5)).unwrap_or(0);
            sign * (oh * 3600 + om * 60)
        }
        Some(_) => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_s;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(frac_ns))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(s: &str) -> f64 {
        let r = scan_number(s.as_bytes(), 0, b'.').expect("number");
        assert_eq!(r.end, s.len(), "{s}");
        r.value
    }

    #[test]
    fn fast_path_matches_std_bit_for_bit() {
        let cases = [
            "0",
            "-0",
            "1.5",
            "-2.8e-05",
            "  -9.80000",
            "-00.000024400000",
            "+31.500101E-03",
            "-2.6602912e-006",
            "1.234567890e-03",
            "0.3911844557477053",
            "-8.879191911668453",
            "123456789012345678901234",
            "1e-320",
            "1.7976931348623157e308",
            "0.1",
            "9007199254740993",
            "4.40000e+00",
            "5.",
            ".5",
            "2.500000e+03",
        ];
        for c in cases {
            let want: f64 = c.trim().parse().expect("std parses");
            assert_eq!(fast(c).to_bits(), want.to_bits(), "{c}");
        }
    }

    #[test]
    fn division_free_path_equals_ieee_division() {
        // The IEEE division of two exact operands is correctly rounded: an oracle for
        // every power of ten, over random mantissas, small ones, exact multiples of
        // 5^k (exact results) and their neighbours, and the ends of the range.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for (k, &pow) in POW10.iter().enumerate().skip(1) {
            let p5 = 5u64.pow(k as u32);
            let check = |m: u64| {
                let want = m as f64 / pow;
                assert_eq!(div_pow10(m, k).to_bits(), want.to_bits(), "{m}e-{k}");
            };
            for m in (0..10_000).chain((1 << 53) - 10_000..1 << 53) {
                check(m);
            }
            for j in 1..20_000.min((1u64 << 53) / p5) {
                check(j * p5);
                check(j * p5 + 1);
                check(j * p5 - 1);
            }
            for _ in 0..200_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                check(x >> (11 + x % 40));
            }
        }
    }

    #[test]
    fn digit_runs_match_one_digit_at_a_time() {
        // Every run length 0..=24 after 0..=20 digits already taken, followed by each
        // kind of byte (below '0', above '9', non-ASCII) or by the end of the text.
        for before in 0..=20u32 {
            for len in 0..=24 {
                for tail in [
                    &b""[..],
                    b",",
                    b"/",
                    b":",
                    b"e5",
                    b"\xC3\xA9",
                    b"\x80",
                    b"\n9",
                ] {
                    let digits_text: Vec<u8> = (0..len).map(|d| b"3141592653"[d % 10]).collect();
                    let text = [&digits_text[..], tail, b"12345678"].concat();
                    let text = &text[..text.len() - 8 + (before as usize % 9)];
                    // A mantissa of `before` digits (19 at most are kept).
                    let start = 10u64.pow(before.min(MAX_DIGITS)) / 3;
                    let (mut mant, mut digits) = (start, before);
                    let end = take_digits(text, 0, &mut mant, &mut digits);
                    let (mut want, mut want_digits) = (start, before);
                    let want_end = text.iter().take_while(|b| b.is_ascii_digit()).count();
                    for &b in &text[..want_end] {
                        if want_digits < MAX_DIGITS {
                            want = want * 10 + u64::from(b - b'0');
                        }
                        want_digits += 1;
                    }
                    assert_eq!((end, mant, digits), (want_end, want, want_digits));
                }
            }
        }
    }

    #[test]
    fn pseudo_random_values_round_trip() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x >> 2) % 1e6 - 5e5;
            for s in [format!("{v:.9e}"), format!("{v}"), format!("{v:.3}")] {
                let want: f64 = s.parse().expect("std parses");
                assert_eq!(fast(&s).to_bits(), want.to_bits(), "{s}");
            }
        }
    }

    #[test]
    fn needs_f64_counts_significant_digits() {
        let f = |s: &str| {
            scan_number(s.as_bytes(), 0, b'.')
                .expect("number")
                .needs_f64
        };
        assert!(!f("4.40000e+00"));
        assert!(!f("-0.000249982"));
        assert!(!f("1234567"));
        assert!(f("12345678"));
        assert!(f("0.3911844557477053"));
        assert!(!f("-6.00000E-01"));
        // 7 digits: most survive f32, but not where f32's step exceeds the last digit.
        assert!(!f("9.999999"));
        assert!(!f("1.234567e-03"));
        assert!(f("8589973000")); // 8.589973e9: f32 steps by 1024 there
        assert!(f("1.234567e-40")); // subnormal in f32: too few bits left
        assert!(!f("1e-40")); // ... but one digit still comes back
        assert!(f("1e39")); // beyond f32::MAX
        assert!(!f("3.4e38"));
    }

    #[test]
    fn f32_check_agrees_with_a_formatting_oracle() {
        // Every 7-digit mantissa in a few decades: f32 is enough exactly when the f32,
        // printed with 7 significant digits, gives the text back.
        for exp in [-3, 9, 30] {
            for m in (1_000_000u64..10_000_000).step_by(997) {
                let text = format!("{m}e{exp}");
                let v: f64 = text.parse().expect("number");
                let back: f64 = format!("{:.6e}", v as f32).parse().expect("number");
                let oracle = back != v;
                let got = scan_number(text.as_bytes(), 0, b'.').expect("n").needs_f64;
                assert_eq!(got, oracle, "{text}");
            }
        }
    }

    #[test]
    fn quoted_and_special_cells_report_precision() {
        assert_eq!(parse_cell_checked(b"\"1.5\"", b'.'), Some((1.5, false)));
        assert_eq!(
            parse_cell_checked(b"\"0.123456789\"", b'.'),
            Some((0.123456789, true))
        );
        assert!(parse_cell_checked(b"NaN", b'.').is_some_and(|(v, n)| v.is_nan() && !n));
    }

    #[test]
    fn overflow_is_not_a_fast_number_and_is_told_from_inf() {
        assert!(scan_number(b"1e400", 0, b'.').is_none());
        assert!(scan_number(&[b'9'; 400], 0, b'.').is_none());
        let v = parse_cell(b"-1e400", b'.').expect("std parses it");
        assert!(overflows(b"-1e400", v));
        let v = parse_cell(b"-inf", b'.').expect("inf");
        assert!(v.is_infinite() && !overflows(b"-inf", v));
        assert_eq!(parse_cell(b"1e-400", b'.'), Some(0.0));
        assert_eq!(
            shown(&[b'7'; 50]),
            format!("{}... (50 bytes)", "7".repeat(40))
        );
    }

    #[test]
    fn decimal_comma() {
        let r = scan_number(b"-12,125", 0, b',').expect("number");
        assert_eq!(r.value, -12.125);
        assert_eq!(parse_cell(b"1,5e3", b','), Some(1500.0));
    }

    #[test]
    fn rejects_non_numbers() {
        assert!(scan_number(b"abc", 0, b'.').is_none());
        assert!(scan_number(b"-", 0, b'.').is_none());
        assert!(scan_number(b"1e", 0, b'.').is_none());
        assert_eq!(parse_cell(b"1.5x", b'.'), None);
        assert!(parse_cell(b"NaN", b'.').expect("nan").is_nan());
    }

    #[test]
    fn unit_times() {
        assert_eq!(parse_unit_time(b"0 ns", b'.'), Some(0.0));
        let t = parse_unit_time(b"4.860 530 ms", b'.').expect("time");
        assert!((t - 4.860_530e-3).abs() < 1e-15);
        let t = parse_unit_time(b"0.08uS", b'.').expect("time");
        assert!((t - 8e-8).abs() < 1e-20);
        assert_eq!(parse_unit_time(b"12 parsecs", b'.'), None);
    }

    #[test]
    fn iso8601() {
        let a = parse_iso8601_ns(b"2026-01-30T14:06:09.197352115+00:00").expect("iso");
        assert_eq!(a, 1_769_781_969_197_352_115);
        let b = parse_iso8601_ns(b"2026-01-30T15:06:09.197352115+01:00").expect("iso");
        assert_eq!(a, b);
        assert_eq!(
            parse_iso8601_ns(b"1970-01-01T00:00:01Z"),
            Some(1_000_000_000)
        );
        assert_eq!(parse_iso8601_ns(b"12.5"), None);
    }
}
