//! Sample types and byte order, and the conversions every reader shares.

use std::fmt;

/// The element type of a capture's samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    Bool,
    I8,
    U8,
    I16,
    U16,
    /// 24-bit signed PCM (WAV), three bytes per sample. A stored type only: not in
    /// [`ALL_DTYPES`] (NumPy has no such type), and outputs widen it (`int32` codes, or
    /// values as `float32`).
    I24,
    I32,
    U32,
    I64,
    U64,
    F16,
    F32,
    F64,
}

crate::named_enum! {
    /// Byte order of multi-byte samples.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Endian {
        Little = "little",
        Big = "big",
    }
}

impl Endian {
    /// The byte order of this machine: samples in it need no swapping.
    pub const NATIVE: Endian = if cfg!(target_endian = "little") {
        Endian::Little
    } else {
        Endian::Big
    };
}

/// Every dtype, in the order `--help` lists them.
pub const ALL_DTYPES: [DType; 12] = [
    DType::Bool,
    DType::I8,
    DType::U8,
    DType::I16,
    DType::U16,
    DType::I32,
    DType::U32,
    DType::I64,
    DType::U64,
    DType::F16,
    DType::F32,
    DType::F64,
];

impl DType {
    /// Size of one sample in bytes.
    pub fn size(self) -> usize {
        match self {
            DType::Bool | DType::I8 | DType::U8 => 1,
            DType::I16 | DType::U16 | DType::F16 => 2,
            DType::I24 => 3,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::I64 | DType::U64 | DType::F64 => 8,
        }
    }

    /// NumPy's name for the type (`float32`, `uint8`, `bool`).
    pub fn numpy_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I8 => "int8",
            DType::U8 => "uint8",
            DType::I16 => "int16",
            DType::U16 => "uint16",
            DType::I24 => "int24",
            DType::I32 => "int32",
            DType::U32 => "uint32",
            DType::I64 => "int64",
            DType::U64 => "uint64",
            DType::F16 => "float16",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// tracekit's short name (`f32`, `u8`), as `--dtype` and `--to` accept it.
    pub fn short_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I8 => "i8",
            DType::U8 => "u8",
            DType::I16 => "i16",
            DType::U16 => "u16",
            DType::I24 => "i24",
            DType::I32 => "i32",
            DType::U32 => "u32",
            DType::I64 => "i64",
            DType::U64 => "u64",
            DType::F16 => "f16",
            DType::F32 => "f32",
            DType::F64 => "f64",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F16 | DType::F32 | DType::F64)
    }

    /// The NumPy type code without byte order (`f4`, `u1`, `b1`).
    pub fn numpy_code(self) -> &'static str {
        match self {
            DType::Bool => "b1",
            DType::I8 => "i1",
            DType::U8 => "u1",
            DType::I16 => "i2",
            DType::U16 => "u2",
            DType::I24 => "i3",
            DType::I32 => "i4",
            DType::U32 => "u4",
            DType::I64 => "i8",
            DType::U64 => "u8",
            DType::F16 => "f2",
            DType::F32 => "f4",
            DType::F64 => "f8",
        }
    }

    /// NumPy `descr` string (`<f4`, `|u1`), the form a .npy header stores.
    pub fn descr(self, endian: Endian) -> String {
        let order = if self.size() == 1 {
            '|'
        } else if endian == Endian::Little {
            '<'
        } else {
            '>'
        };
        format!("{order}{}", self.numpy_code())
    }

    /// Parse a dtype as users and NumPy spell it: `f32`, `float32`, `<f4`, `>i2`, `int16`.
    /// Returns the type and the byte order the spelling states, if any.
    pub fn parse(text: &str) -> Option<(DType, Option<Endian>)> {
        let (endian, body) = split_byte_order(text)?;
        // NumPy's one-letter codes are case-sensitive (`h` int16, `H` uint16).
        let by_letter = match body {
            "?" => Some(DType::Bool),
            "b" => Some(DType::I8),
            "B" => Some(DType::U8),
            "h" => Some(DType::I16),
            "H" => Some(DType::U16),
            "i" => Some(DType::I32),
            "I" => Some(DType::U32),
            "q" | "l" => Some(DType::I64),
            "Q" | "L" => Some(DType::U64),
            "e" => Some(DType::F16),
            "f" => Some(DType::F32),
            "d" => Some(DType::F64),
            _ => None,
        };
        let lower = body.to_ascii_lowercase();
        // `i8` alone is tracekit's int8; with a byte-order mark (`<i8`) it is NumPy's int64.
        let numpy_style = body.len() < text.trim().len();
        let by_code = || ALL_DTYPES.into_iter().find(|d| lower == d.numpy_code());
        let by_name = || {
            ALL_DTYPES
                .into_iter()
                .find(|d| lower == d.short_name() || lower == d.numpy_name())
        };
        // With a byte-order mark the spelling is NumPy's, whose `f16` is a 16-byte long
        // double: only NumPy's own names count there.
        let by_numpy_name = || ALL_DTYPES.into_iter().find(|d| lower == d.numpy_name());
        let dtype = if numpy_style {
            by_letter.or_else(by_code).or_else(by_numpy_name)
        } else {
            by_letter.or_else(by_name).or_else(by_code)
        }?;
        Some((dtype, endian))
    }
}

impl DType {
    /// NumPy's long double in any spelling (`<f16`, `f12`, `float128`, `longdouble`, `g`),
    /// which is never float16 and which tracekit does not read.
    pub fn is_long_double(text: &str) -> bool {
        let t = text.trim();
        let marked = t.starts_with(['<', '>', '=', '|']);
        let body = t
            .trim_start_matches(['<', '>', '=', '|'])
            .to_ascii_lowercase();
        matches!(
            body.as_str(),
            "float96" | "float128" | "longdouble" | "f12" | "f128"
        ) || (marked && body == "f16")
            || t.trim_start_matches(['<', '>', '=', '|']) == "g"
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.numpy_name())
    }
}

/// A slice of samples seen as its concrete type, for hot loops that run on the stored type
/// (compare f32 as f32, i16 as i16) instead of widening every value to f64.
#[derive(Debug, Clone, Copy)]
pub enum Native<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
    I8(&'a [i8]),
    U8(&'a [u8]),
    I16(&'a [i16]),
    U16(&'a [u16]),
    I32(&'a [i32]),
    U32(&'a [u32]),
    /// 64-bit integers and f16: use `to_f64`.
    Other,
}

/// A sample type the fast paths read in place (native order, aligned) and convert to f64.
pub trait Sample: Copy + Send + Sync + 'static {
    const DTYPE: DType;
    fn to_f64(self) -> f64;
    /// Decode one sample from `size_of::<Self>()` bytes in the given order.
    fn from_bytes(bytes: &[u8], endian: Endian) -> Self;
    /// The samples as bytes when they are `u8` (logic levels), so they need no copy.
    fn as_u8(_samples: &[Self]) -> Option<&[u8]> {
        None
    }
    /// The samples as their concrete type, when a typed kernel exists for it.
    fn as_native(_samples: &[Self]) -> Native<'_> {
        Native::Other
    }
}

macro_rules! impl_sample {
    ($t:ty, $d:expr, |$v:ident| $conv:expr $(, $extra:item)*) => {
        impl Sample for $t {
            $($extra)*
            const DTYPE: DType = $d;
            #[inline(always)]
            fn to_f64(self) -> f64 {
                let $v = self;
                $conv
            }
            #[inline(always)]
            fn from_bytes(bytes: &[u8], endian: Endian) -> Self {
                let mut buf = [0u8; std::mem::size_of::<$t>()];
                buf.copy_from_slice(&bytes[..std::mem::size_of::<$t>()]);
                match endian {
                    Endian::Little => <$t>::from_le_bytes(buf),
                    Endian::Big => <$t>::from_be_bytes(buf),
                }
            }
        }
    };
}

/// `fn as_native` returning `Native::$variant`.
macro_rules! native {
    ($t:ty, $variant:ident) => {
        fn as_native(samples: &[$t]) -> Native<'_> {
            Native::$variant(samples)
        }
    };
}

impl_sample!(i8, DType::I8, |v| v as f64, native! { i8, I8 });
impl_sample!(
    u8,
    DType::U8,
    |v| v as f64,
    fn as_u8(samples: &[u8]) -> Option<&[u8]> {
        Some(samples)
    },
    native! { u8, U8 }
);
impl_sample!(i16, DType::I16, |v| v as f64, native! { i16, I16 });
impl_sample!(u16, DType::U16, |v| v as f64, native! { u16, U16 });
impl_sample!(i32, DType::I32, |v| v as f64, native! { i32, I32 });
impl_sample!(u32, DType::U32, |v| v as f64, native! { u32, U32 });
impl_sample!(i64, DType::I64, |v| v as f64);

/// One 24-bit signed sample as stored in little-endian order (WAV), read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(transparent)]
pub struct I24(pub [u8; 3]);

impl I24 {
    /// The sample's integer value, −2^23..2^23.
    #[inline(always)]
    pub fn get(self) -> i32 {
        let [a, b, c] = self.0;
        i32::from_le_bytes([0, a, b, c]) >> 8
    }
}

impl Sample for I24 {
    const DTYPE: DType = DType::I24;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self.get())
    }
    #[inline(always)]
    fn from_bytes(bytes: &[u8], endian: Endian) -> Self {
        match endian {
            Endian::Little => I24([bytes[0], bytes[1], bytes[2]]),
            Endian::Big => I24([bytes[2], bytes[1], bytes[0]]),
        }
    }
}
impl_sample!(u64, DType::U64, |v| v as f64);
impl_sample!(half::f16, DType::F16, |v| v.to_f64());
impl_sample!(f32, DType::F32, |v| v as f64, native! { f32, F32 });
impl_sample!(f64, DType::F64, |v| v, native! { f64, F64 });

/// Runs `$body` with `$T` bound to the Rust type of `$dtype` (bool reads as u8).
#[macro_export]
macro_rules! with_sample_type {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::sample::DType::Bool | $crate::sample::DType::U8 => {
                type $T = u8;
                $body
            }
            $crate::sample::DType::I8 => {
                type $T = i8;
                $body
            }
            $crate::sample::DType::I16 => {
                type $T = i16;
                $body
            }
            $crate::sample::DType::U16 => {
                type $T = u16;
                $body
            }
            $crate::sample::DType::I24 => {
                type $T = $crate::sample::I24;
                $body
            }
            $crate::sample::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::sample::DType::U32 => {
                type $T = u32;
                $body
            }
            $crate::sample::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::sample::DType::U64 => {
                type $T = u64;
                $body
            }
            $crate::sample::DType::F16 => {
                type $T = half::f16;
                $body
            }
            $crate::sample::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::sample::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}

/// `bytes` (samples of `dtype` in `endian` order) as a slice of `T` when they can be read in
/// place: same type, native byte order, aligned. Otherwise None and the caller converts.
pub fn typed_slice<T: Sample>(bytes: &[u8], dtype: DType, endian: Endian) -> Option<&[T]> {
    let same = T::DTYPE == dtype || (dtype == DType::Bool && T::DTYPE == DType::U8);
    let foreign = endian != Endian::NATIVE || (dtype == DType::I24 && endian != Endian::Little);
    if !same || (dtype.size() > 1 && foreign) {
        return None;
    }
    // SAFETY: every bit pattern is a valid T for these plain numeric types; align_to only
    // yields the middle part when it is correctly aligned.
    let (head, body, tail) = unsafe { bytes.align_to::<T>() };
    (head.is_empty() && tail.is_empty()).then_some(body)
}

/// Decode every `stride`-th sample of `bytes` (starting at byte `first`) into f64.
/// `bytes` holds C-order frames; this picks one channel out of them.
pub fn decode_strided_f64(
    bytes: &[u8],
    dtype: DType,
    endian: Endian,
    first: usize,
    stride: usize,
    out: &mut Vec<f64>,
) {
    let size = dtype.size();
    crate::with_sample_type!(dtype, T => {
        let step = stride * size;
        let mut i = first;
        while i + size <= bytes.len() {
            out.push(T::from_bytes(&bytes[i..i + size], endian).to_f64());
            i += step;
        }
    })
}

/// Splits a NumPy-style byte-order prefix (`<`, `>`, `|`, `=`) off a trimmed type spelling:
/// the order it states, if any, and the rest. None for empty text.
pub(crate) fn split_byte_order(text: &str) -> Option<(Option<Endian>, &str)> {
    let t = text.trim();
    Some(match t.chars().next()? {
        '<' => (Some(Endian::Little), &t[1..]),
        '>' => (Some(Endian::Big), &t[1..]),
        '|' | '=' => (None, &t[1..]),
        _ => (None, t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        assert_eq!(DType::parse("f32"), Some((DType::F32, None)));
        assert_eq!(DType::parse("float32"), Some((DType::F32, None)));
        assert_eq!(
            DType::parse("<f4"),
            Some((DType::F32, Some(Endian::Little)))
        );
        assert_eq!(DType::parse(">i2"), Some((DType::I16, Some(Endian::Big))));
        assert_eq!(DType::parse("int16"), Some((DType::I16, None)));
        assert_eq!(DType::parse("|u1"), Some((DType::U8, None)));
        assert_eq!(DType::parse("|b1"), Some((DType::Bool, None)));
        assert_eq!(DType::parse("float16"), Some((DType::F16, None)));
        assert_eq!(DType::parse("u64"), Some((DType::U64, None)));
        assert_eq!(DType::parse("i8"), Some((DType::I8, None)));
        assert_eq!(
            DType::parse("<i8"),
            Some((DType::I64, Some(Endian::Little)))
        );
        assert_eq!(DType::parse("u8"), Some((DType::U8, None)));
        assert_eq!(DType::parse(">u8"), Some((DType::U64, Some(Endian::Big))));
        assert_eq!(DType::parse("f8"), Some((DType::F64, None)));
        assert_eq!(DType::parse("complex64"), None);
        assert_eq!(DType::parse(""), None);
    }

    #[test]
    fn descr_round_trips() {
        for d in ALL_DTYPES {
            for e in [Endian::Little, Endian::Big] {
                let (back, order) = DType::parse(&d.descr(e)).expect("own descr parses");
                assert_eq!(back, d);
                if d.size() > 1 {
                    assert_eq!(order, Some(e));
                }
            }
        }
    }

    #[test]
    fn i24_reads_both_orders_and_sign_extends() {
        let le = [0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0xfe, 0xff, 0xff];
        let mut out = Vec::new();
        decode_strided_f64(&le, DType::I24, Endian::Little, 0, 1, &mut out);
        assert_eq!(out, vec![8_388_607.0, -8_388_608.0, -2.0]);
        out.clear();
        decode_strided_f64(&[0x80, 0, 1], DType::I24, Endian::Big, 0, 1, &mut out);
        assert_eq!(out, vec![-8_388_607.0]);
        assert_eq!(DType::I24.size(), 3);
        assert_eq!(DType::parse("i24"), None, "a stored type only");
    }

    #[test]
    fn decodes_strided_big_endian() {
        // two channels of big-endian i16: (1, -2), (300, -400)
        let bytes = [0, 1, 0xff, 0xfe, 0x01, 0x2c, 0xfe, 0x70];
        let mut out = Vec::new();
        decode_strided_f64(&bytes, DType::I16, Endian::Big, 2, 2, &mut out);
        assert_eq!(out, vec![-2.0, -400.0]);
    }
}
