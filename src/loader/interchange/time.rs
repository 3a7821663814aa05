//! Calendar arithmetic for the absolute times formats state (SigMF RFC 3339 strings, TDMS
//! 1904-epoch timestamps), without a date crate. Proleptic Gregorian, UTC, no leap seconds.

/// Seconds from 1904-01-01 (LabVIEW's epoch) to 1970-01-01.
pub const LABVIEW_TO_UNIX: i64 = 2_082_844_800;

/// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An instant: whole seconds since the Unix epoch and nanoseconds within that second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub secs: i64,
    pub nanos: u32,
}

impl Instant {
    /// Seconds from `earlier` to `self`.
    pub fn seconds_since(self, earlier: Instant) -> f64 {
        let ns = (i128::from(self.secs) - i128::from(earlier.secs)) * 1_000_000_000
            + i128::from(self.nanos)
            - i128::from(earlier.nanos);
        ns as f64 / 1e9
    }

    /// A TDMS timestamp: seconds since 1904-01-01 UTC and 2^-64 fractions of a second.
    pub fn from_labview(seconds: i64, fractions: u64) -> Instant {
        let nanos = ((u128::from(fractions) * 1_000_000_000) >> 64) as u32;
        Instant {
            secs: seconds.saturating_sub(LABVIEW_TO_UNIX),
            nanos,
        }
    }

    /// RFC 3339 with nanoseconds, trailing zeros trimmed: `2024-01-02T03:04:05.5Z`.
    pub fn to_rfc3339(self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut s = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push('Z');
        s
    }

    /// Parse `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` (RFC 3339; a space may replace `T`).
    pub fn parse_rfc3339(text: &str) -> Option<Instant> {
        let b = text.trim().as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = b.get(r)?;
            if !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(s).ok()?.parse().ok()
        };
        let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
        if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
            return None;
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if sep(i, b".") {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            for _ in (i - start)..9 {
                nanos *= 10;
            }
        }
        let offset = match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(&c @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b":") => {
                let off = i64::from(num(i + 1..i + 3)?) * 3600 + i64::from(num(i + 4..i + 6)?) * 60;
                if c == b'+' { off } else { -off }
            }
            _ => return None,
        };
        let days = days_from_civil(i64::from(y), mo, d);
        let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + s) - offset;
        Some(Instant { secs, nanos })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_instants() {
        let t = Instant::parse_rfc3339("1955-11-05T14:00:00.000Z").unwrap();
        assert_eq!(t.secs, -446_724_000); // date -u -d 1955-11-05T14:00:00Z +%s
        assert_eq!(t.to_rfc3339(), "1955-11-05T14:00:00Z");
        let t = Instant::parse_rfc3339("2024-02-29T23:59:59.123456789Z").unwrap();
        assert_eq!(t.secs, 1_709_251_199);
        assert_eq!(t.nanos, 123_456_789);
        assert_eq!(t.to_rfc3339(), "2024-02-29T23:59:59.123456789Z");
        let shifted = Instant::parse_rfc3339("2024-03-01T01:59:59.5+02:00").unwrap();
        assert_eq!(shifted.seconds_since(t), 0.376_543_211);
        for bad in [
            "2024-13-01T00:00:00Z",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "x",
        ] {
            assert_eq!(Instant::parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn labview_epoch() {
        // 1904-01-01 is the LabVIEW epoch; half a second is 2^63 fractions.
        let t = Instant::from_labview(0, 1 << 63);
        assert_eq!(t.to_rfc3339(), "1904-01-01T00:00:00.5Z");
        assert_eq!(
            Instant::from_labview(LABVIEW_TO_UNIX, 0).to_rfc3339(),
            "1970-01-01T00:00:00Z"
        );
    }
}
