//! Writing samples in a chosen type: the one place that decides rounding and clamping.
//!
//! Float → integer: round to the nearest integer (halves away from zero), clamp to the
//! type's range, NaN becomes 0. Integer → float and float → narrower float: nearest
//! representable value (f16 saturates to ±inf beyond 65504). Bool: non-zero is 1.

use super::DType;

/// Append `v` as one sample of `dtype` in native byte order.
#[inline]
pub fn push_sample(v: f64, dtype: DType, out: &mut Vec<u8>) {
    extend_converted(std::iter::once(v), dtype, out);
}

/// Append every value as a sample of `dtype` in native byte order. The match on `dtype` is
/// done once per call and the loop is compiled per output type, with no libm call in it.
#[inline]
pub fn extend_converted(
    values: impl ExactSizeIterator<Item = f64>,
    dtype: DType,
    out: &mut Vec<u8>,
) {
    match dtype {
        DType::Bool => convert_into::<ToBool>(values, out),
        DType::I8 => convert_into::<ToI8>(values, out),
        DType::U8 => convert_into::<ToU8>(values, out),
        DType::I16 => convert_into::<ToI16>(values, out),
        DType::U16 => convert_into::<ToU16>(values, out),
        DType::I24 => convert_into::<ToI24>(values, out),
        DType::I32 => convert_into::<ToI32>(values, out),
        DType::U32 => convert_into::<ToU32>(values, out),
        DType::I64 => convert_into::<ToI64>(values, out),
        DType::U64 => convert_into::<ToU64>(values, out),
        DType::F16 => convert_into::<ToF16>(values, out),
        DType::F32 => convert_into::<ToF32>(values, out),
        DType::F64 => convert_into::<ToF64>(values, out),
    }
}

/// One output type: how an f64 becomes its native bytes.
trait OutType {
    type Bytes: AsRef<[u8]>;
    fn encode(v: f64) -> Self::Bytes;
}

/// The room is made once and filled by fixed-size copies, so there is no capacity check per
/// sample.
#[inline]
fn convert_into<O: OutType>(values: impl ExactSizeIterator<Item = f64>, out: &mut Vec<u8>) {
    let size = std::mem::size_of::<O::Bytes>();
    let start = out.len();
    out.resize(start + values.len() * size, 0);
    for (dst, v) in out[start..].chunks_exact_mut(size).zip(values) {
        dst.copy_from_slice(O::encode(v).as_ref());
    }
}

macro_rules! out_type {
    ($name:ident, $t:ty, |$v:ident| $conv:expr) => {
        struct $name;
        impl OutType for $name {
            type Bytes = [u8; std::mem::size_of::<$t>()];
            #[inline(always)]
            fn encode($v: f64) -> Self::Bytes {
                let x: $t = $conv;
                x.to_ne_bytes()
            }
        }
    };
}

out_type!(ToBool, u8, |v| u8::from(v != 0.0 && !v.is_nan()));
out_type!(ToI8, i8, |v| round_clamp(v, i8::MIN.into(), i8::MAX.into())
    as i8);
out_type!(ToU8, u8, |v| round_clamp(v, 0.0, u8::MAX.into()) as u8);
out_type!(
    ToI16,
    i16,
    |v| round_clamp(v, i16::MIN.into(), i16::MAX.into()) as i16
);
out_type!(ToU16, u16, |v| round_clamp(v, 0.0, u16::MAX.into()) as u16);
/// Three bytes, little-endian (the order WAV stores and [`I24`](super::I24) reads).
struct ToI24;
impl OutType for ToI24 {
    type Bytes = [u8; 3];
    #[inline(always)]
    fn encode(v: f64) -> Self::Bytes {
        let x = round_clamp(v, -8_388_608.0, 8_388_607.0) as i32;
        let [a, b, c, _] = x.to_le_bytes();
        [a, b, c]
    }
}
out_type!(
    ToI32,
    i32,
    |v| round_clamp(v, i32::MIN.into(), i32::MAX.into()) as i32
);
out_type!(ToU32, u32, |v| round_clamp(v, 0.0, u32::MAX.into()) as u32);
// `as` saturates (NaN → 0), which is the clamp for the 64-bit types whose bounds f64 cannot
// hold; these keep `f64::round`, whose halves already go away from zero.
out_type!(ToI64, i64, |v| v.round() as i64);
out_type!(ToU64, u64, |v| v.round() as u64);
out_type!(ToF16, half::f16, |v| half::f16::from_f64(v));
out_type!(ToF32, f32, |v| v as f32);
out_type!(ToF64, f64, |v| v);

/// Round halves away from zero, clamp to the integer bounds `lo..=hi` (|bounds| < 2^53),
/// NaN → 0. Clamping before rounding gives the same result because the bounds are integers;
/// then the value fits an i64, and truncating plus a ±1 fix-up replaces `f64::round`, a libm
/// call on baseline x86-64 that kept these loops scalar and slow.
#[inline(always)]
fn round_clamp(v: f64, lo: f64, hi: f64) -> i64 {
    // NaN.clamp(..) is NaN, and NaN as i64 is 0 (then `frac` is NaN: no fix-up).
    let c = v.clamp(lo, hi);
    let t = c as i64;
    let frac = c - t as f64; // exact: c and t are within 2^53 of each other
    t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: f64, d: DType) -> Vec<u8> {
        let mut out = Vec::new();
        push_sample(v, d, &mut out);
        out
    }

    #[test]
    fn rounding_and_clamping_rules() {
        assert_eq!(one(2.5, DType::I16), 3i16.to_ne_bytes());
        assert_eq!(one(-2.5, DType::I16), (-3i16).to_ne_bytes());
        assert_eq!(one(1e9, DType::I16), i16::MAX.to_ne_bytes());
        assert_eq!(one(-1.0, DType::U8), [0]);
        assert_eq!(one(300.0, DType::U8), [255]);
        assert_eq!(one(f64::NAN, DType::I32), 0i32.to_ne_bytes());
        assert_eq!(one(1e30, DType::I64), i64::MAX.to_ne_bytes());
        assert_eq!(one(0.1, DType::F32), 0.1f32.to_ne_bytes());
        assert_eq!(one(1e6, DType::F16), half::f16::INFINITY.to_ne_bytes());
        assert_eq!(one(0.5, DType::Bool), [1]);
    }

    /// Every dtype, as the documented rules compute it with `f64::round` (independent of the
    /// truncate-and-fix-up in `round_clamp`).
    fn reference(v: f64, d: DType) -> Vec<u8> {
        let int = |lo: f64, hi: f64| {
            if v.is_nan() {
                0.0
            } else {
                v.round().clamp(lo, hi)
            }
        };
        match d {
            DType::Bool => vec![u8::from(v != 0.0 && !v.is_nan())],
            DType::I8 => (int(-128.0, 127.0) as i8).to_ne_bytes().to_vec(),
            DType::U8 => vec![int(0.0, 255.0) as u8],
            DType::I16 => (int(-32768.0, 32767.0) as i16).to_ne_bytes().to_vec(),
            DType::U16 => (int(0.0, 65535.0) as u16).to_ne_bytes().to_vec(),
            DType::I24 => (int(-8388608.0, 8388607.0) as i32).to_le_bytes()[..3].to_vec(),
            DType::I32 => (int(-2147483648.0, 2147483647.0) as i32)
                .to_ne_bytes()
                .to_vec(),
            DType::U32 => (int(0.0, 4294967295.0) as u32).to_ne_bytes().to_vec(),
            DType::I64 => (int(-9.3e18, 9.3e18) as i64).to_ne_bytes().to_vec(),
            DType::U64 => (int(0.0, 1.9e19) as u64).to_ne_bytes().to_vec(),
            DType::F16 => half::f16::from_f64(v).to_ne_bytes().to_vec(),
            DType::F32 => (v as f32).to_ne_bytes().to_vec(),
            DType::F64 => v.to_ne_bytes().to_vec(),
        }
    }

    #[test]
    fn bulk_matches_one_at_a_time_and_the_rules_for_every_dtype() {
        let mut edges = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            1.0 - f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            4503599627370495.5,
            9007199254740993.0,
        ];
        for (lo, hi) in [
            (-128.0, 127.0),
            (0.0, 255.0),
            (-32768.0, 32767.0),
            (0.0, 65535.0),
            (-2147483648.0, 2147483647.0),
            (0.0, 4294967295.0),
            (i64::MIN as f64, i64::MAX as f64),
            (0.0, u64::MAX as f64),
        ] {
            for b in [lo, hi] {
                edges.extend([b - 1.0, b - 0.5, b - 0.49, b, b + 0.49, b + 0.5, b + 1.0]);
            }
        }
        for d in crate::sample::ALL_DTYPES.into_iter().chain([DType::I24]) {
            let mut bulk = vec![0xAA]; // appends after what is already there
            extend_converted(edges.iter().copied(), d, &mut bulk);
            assert_eq!(bulk.len(), 1 + edges.len() * d.size());
            assert_eq!(bulk[0], 0xAA);
            for (v, got) in edges.iter().zip(bulk[1..].chunks_exact(d.size())) {
                assert_eq!(got, one(*v, d), "{d} {v}: bulk vs push_sample");
                assert_eq!(got, reference(*v, d), "{d} {v}: bulk vs the rules");
            }
        }
        // The halves and limits spelled out, for int16.
        let mut out = Vec::new();
        extend_converted(
            [
                0.5,
                -0.5,
                1.5,
                -1.5,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                32767.5,
            ]
            .into_iter(),
            DType::I16,
            &mut out,
        );
        let got: Vec<i16> = out
            .chunks_exact(2)
            .map(|c| i16::from_ne_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(got, [1, -1, 2, -2, 0, 32767, -32768, 32767]);
    }
}
