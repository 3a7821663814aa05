//! Bounded, positioned reads of header bytes and typed fields out of them.
//!
//! Parsers never read a whole data file: they read fixed-size header blocks after checking
//! that the block lies inside the file, so a lying header cannot cause a huge allocation or
//! a read past the end.

use super::FormatError;
use crate::sample::Endian;
use std::io;

/// Largest single header block a parser reads (a FastFrame table of a million frames fits).
pub const MAX_HEADER_READ: u64 = 64 << 20;

/// Segments (frames) a parser accepts; each one costs a `Run` and a `Segment`.
pub const MAX_SEGMENTS: u64 = 1 << 20;

/// Positioned reads, so parsers work on files and, in tests, on bytes in memory.
pub trait ReadAt {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;
}

impl ReadAt for std::fs::File {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, buf, offset)
    }
}

impl ReadAt for [u8] {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| io::ErrorKind::UnexpectedEof)?;
        let end = start
            .checked_add(buf.len())
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        let src = self.get(start..end).ok_or(io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

impl<T: ReadAt + ?Sized> ReadAt for &T {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        (**self).read_exact_at(buf, offset)
    }
}

/// Read `len` bytes at `offset` after checking they lie inside a file of `size` bytes.
pub fn read_block(
    src: &(impl ReadAt + ?Sized),
    size: u64,
    offset: u64,
    len: u64,
    what: &str,
) -> Result<Vec<u8>, FormatError> {
    let end = offset
        .checked_add(len)
        .ok_or_else(|| FormatError::truncated(what, u64::MAX, size))?;
    if end > size {
        return Err(FormatError::truncated(what, end, size));
    }
    if len > MAX_HEADER_READ {
        return Err(FormatError::TooLarge {
            what: format!("{what} ({len} bytes)"),
            value: len,
            limit: MAX_HEADER_READ,
        });
    }
    // Both bounds were checked above, so the cast is lossless.
    let mut buf = vec![0u8; len as usize];
    src.read_exact_at(&mut buf, offset)
        .map_err(|source| FormatError::Io {
            what: what.to_string(),
            source,
        })?;
    Ok(buf)
}

/// `end <= size`, or the error naming what would lie past the end.
pub fn check_inside(end: Option<u64>, size: u64, what: &str) -> Result<u64, FormatError> {
    match end {
        Some(end) if end <= size => Ok(end),
        Some(end) => Err(FormatError::truncated(what, end, size)),
        None => Err(FormatError::truncated(what, u64::MAX, size)),
    }
}

/// Typed little- or big-endian fields at fixed offsets of a header block.
pub struct Fields<'a> {
    bytes: &'a [u8],
    endian: Endian,
}

impl<'a> Fields<'a> {
    pub fn new(bytes: &'a [u8], endian: Endian) -> Fields<'a> {
        Fields { bytes, endian }
    }

    fn array<const N: usize>(&self, offset: usize) -> Result<[u8; N], FormatError> {
        self.bytes
            .get(offset..offset.saturating_add(N))
            .and_then(|s| <[u8; N]>::try_from(s).ok())
            .ok_or_else(|| {
                FormatError::truncated(
                    format!("header field at byte {offset}"),
                    offset.saturating_add(N) as u64,
                    self.bytes.len() as u64,
                )
            })
    }

    pub fn u8(&self, offset: usize) -> Result<u8, FormatError> {
        Ok(self.array::<1>(offset)?[0])
    }
}

macro_rules! field_readers {
    ($($name:ident: $t:ty),*) => {
        impl Fields<'_> {
            $(
                pub fn $name(&self, offset: usize) -> Result<$t, FormatError> {
                    let raw = self.array::<{ std::mem::size_of::<$t>() }>(offset)?;
                    Ok(match self.endian {
                        Endian::Little => <$t>::from_le_bytes(raw),
                        Endian::Big => <$t>::from_be_bytes(raw),
                    })
                }
            )*
        }
    };
}

field_readers!(u16: u16, i16: i16, u32: u32, i32: i32, f32: f32, f64: f64);

impl Fields<'_> {
    /// A fixed-size text field: up to the first NUL, Latin-1/ASCII decoded, trimmed.
    pub fn text(&self, offset: usize, len: usize) -> Result<String, FormatError> {
        let raw = self
            .bytes
            .get(offset..offset.saturating_add(len))
            .ok_or_else(|| {
                FormatError::truncated(
                    format!("text field at byte {offset}"),
                    offset.saturating_add(len) as u64,
                    self.bytes.len() as u64,
                )
            })?;
        Ok(c_text(raw))
    }
}

/// Bytes up to the first NUL as text (non-ASCII bytes as Latin-1), trimmed.
pub fn c_text(raw: &[u8]) -> String {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    raw[..end]
        .iter()
        .map(|&b| b as char)
        .collect::<String>()
        .trim()
        .to_string()
}

/// A calendar date and time (UTC) from seconds since 1970, as `YYYY-MM-DDThh:mm:ss.fffffffffZ`.
/// None when the seconds lie outside years 0..=9999.
pub fn utc_timestamp(unix_seconds: i64, fraction: f64) -> Option<String> {
    const MIN: i64 = -62_167_219_200; // 0000-01-01
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59
    if !(MIN..=MAX).contains(&unix_seconds) || !(0.0..1.0).contains(&fraction) {
        return None;
    }
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let nanos = (fraction * 1e9).round().min(999_999_999.0) as u64;
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ))
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A count read from a header as a usable size: non-negative and within `limit`.
pub fn count(what: &str, value: i64, limit: u64) -> Result<u64, FormatError> {
    let v = u64::try_from(value).map_err(|_| FormatError::Negative {
        what: what.to_string(),
        value,
    })?;
    at_most(what, v, limit)
}

/// `value`, or the error naming it when it exceeds `limit`.
pub fn at_most(what: &str, value: u64, limit: u64) -> Result<u64, FormatError> {
    if value > limit {
        return Err(FormatError::TooLarge {
            what: what.to_string(),
            value,
            limit,
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(
            utc_timestamp(1_537_384_245, 0.5).as_deref(),
            Some("2018-09-19T19:10:45.500000000Z")
        );
        assert_eq!(
            utc_timestamp(0, 0.0).as_deref(),
            Some("1970-01-01T00:00:00.000000000Z")
        );
        assert_eq!(
            utc_timestamp(951_782_400, 0.0).as_deref(),
            Some("2000-02-29T00:00:00.000000000Z")
        );
        assert_eq!(utc_timestamp(i64::MAX, 0.0), None);
        assert_eq!(utc_timestamp(0, 1.5), None);
    }

    #[test]
    fn fields_outside_the_block_are_errors_not_panics() {
        let bytes = [1u8, 0, 0, 0];
        let f = Fields::new(&bytes, Endian::Little);
        assert_eq!(f.u32(0).unwrap(), 1);
        assert!(f.u32(1).is_err());
        assert!(f.f64(usize::MAX).is_err());
        assert!(f.text(2, 8).is_err());
    }

    #[test]
    fn block_reads_check_the_file_size_first() {
        let data = [0u8; 10];
        let err = read_block(&data[..], 10, 8, 4, "curve").unwrap_err();
        assert_eq!(
            err.to_string(),
            "truncated file: curve ends at byte 12 but the file has 10 bytes"
        );
        assert!(read_block(&data[..], 10, u64::MAX, 4, "x").is_err());
        assert_eq!(read_block(&data[..], 10, 2, 8, "x").unwrap().len(), 8);
    }
}
