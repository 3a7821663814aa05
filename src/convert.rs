//! Writing samples in a chosen type: the one place that decides rounding and clamping.
//!
//! Float → integer: round to the nearest integer (halves away from zero), clamp to the
//! type's range, NaN becomes 0. Integer → float and float → narrower float: nearest
//! representable value (f16 saturates to ±inf beyond 65504). Bool: non-zero is 1.

use crate::loader::DType;

/// Append `v` as one sample of `dtype` in native byte order.
#[inline]
pub fn push_sample(v: f64, dtype: DType, out: &mut Vec<u8>) {
    match dtype {
        DType::Bool => out.push(u8::from(v != 0.0 && !v.is_nan())),
        DType::I8 => {
            out.extend_from_slice(&(to_int(v, i8::MIN as f64, i8::MAX as f64) as i8).to_ne_bytes())
        }
        DType::U8 => out.push(to_int(v, 0.0, u8::MAX as f64) as u8),
        DType::I16 => out
            .extend_from_slice(&(to_int(v, i16::MIN as f64, i16::MAX as f64) as i16).to_ne_bytes()),
        DType::U16 => {
            out.extend_from_slice(&(to_int(v, 0.0, u16::MAX as f64) as u16).to_ne_bytes())
        }
        DType::I32 => out
            .extend_from_slice(&(to_int(v, i32::MIN as f64, i32::MAX as f64) as i32).to_ne_bytes()),
        DType::U32 => {
            out.extend_from_slice(&(to_int(v, 0.0, u32::MAX as f64) as u32).to_ne_bytes())
        }
        // `as` saturates, which is the clamp for the 64-bit types whose bounds f64 cannot hold.
        DType::I64 => {
            out.extend_from_slice(&(if v.is_nan() { 0 } else { v.round() as i64 }).to_ne_bytes())
        }
        DType::U64 => {
            out.extend_from_slice(&(if v.is_nan() { 0 } else { v.round() as u64 }).to_ne_bytes())
        }
        DType::F16 => out.extend_from_slice(&half::f16::from_f64(v).to_ne_bytes()),
        DType::F32 => out.extend_from_slice(&(v as f32).to_ne_bytes()),
        DType::F64 => out.extend_from_slice(&v.to_ne_bytes()),
    }
}

#[inline]
fn to_int(v: f64, lo: f64, hi: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.round().clamp(lo, hi)
    }
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
}
