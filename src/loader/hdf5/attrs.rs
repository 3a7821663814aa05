//! HDF5 attributes as plain values, for `info` and the time-base search.

use super::file::{numeric_type, type_name};
use crate::sample::{DType, Endian};
use hdf5_reader::{Attribute, Datatype};

/// Numeric attribute arrays longer than this are summarised, not listed.
pub(super) const MAX_ARRAY_ATTR: usize = 64;

/// An attribute value simple enough to show as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(String),
    Array(Vec<AttrValue>),
    /// A value not shown in full; the text describes it (`compound`, `1000 × float32`…).
    Unsupported(String),
}

impl AttrValue {
    /// The value for `info --json`: numbers as numbers (NaN and infinities as null), the
    /// unsupported as `<what>`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            AttrValue::Bool(b) => (*b).into(),
            AttrValue::Int(i) => (*i).into(),
            AttrValue::UInt(u) => (*u).into(),
            AttrValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            AttrValue::Text(t) => t.clone().into(),
            AttrValue::Array(items) => items
                .iter()
                .map(AttrValue::to_json)
                .collect::<Vec<_>>()
                .into(),
            AttrValue::Unsupported(what) => format!("<{what}>").into(),
        }
    }

    /// The value as a number, also from a 1-element array (many writers store scalars so).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(v) => Some(*v as f64),
            AttrValue::UInt(v) => Some(*v as f64),
            AttrValue::Float(v) => Some(*v),
            AttrValue::Array(items) if items.len() == 1 => items[0].as_f64(),
            _ => None,
        }
    }
}

/// The attributes of one object (the dataset, a parent group or the root).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectAttributes {
    pub object: String,
    pub attributes: Vec<(String, AttrValue)>,
}

/// One stored element as a value; `None` for float16 (no metadata uses it).
pub(super) fn decode_scalar(bytes: &[u8], dtype: DType, endian: Endian) -> Option<AttrValue> {
    let size = dtype.size();
    let bytes = bytes.get(..size)?;
    let bits = match endian {
        Endian::Little => bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        Endian::Big => bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    };
    let unused = 64 - 8 * size as u32;
    Some(match dtype {
        DType::Bool => AttrValue::Bool(bits != 0),
        DType::I8 | DType::I16 | DType::I24 | DType::I32 | DType::I64 => {
            AttrValue::Int(((bits << unused) as i64) >> unused)
        }
        DType::U8 | DType::U16 | DType::U32 | DType::U64 => AttrValue::UInt(bits),
        DType::F32 => AttrValue::Float(f64::from(f32::from_bits(bits as u32))),
        DType::F64 => AttrValue::Float(f64::from_bits(bits)),
        DType::F16 => return None,
    })
}

pub(super) fn decode_f64s(bytes: &[u8], dtype: DType, endian: Endian) -> Vec<f64> {
    bytes
        .chunks_exact(dtype.size())
        .filter_map(|b| decode_scalar(b, dtype, endian)?.as_f64())
        .collect()
}

pub(super) fn attr_value(attr: &Attribute) -> AttrValue {
    let scalar = attr.shape.is_empty();
    let wrap = |mut items: Vec<AttrValue>| {
        if scalar && items.len() == 1 {
            items.swap_remove(0)
        } else if items.len() > MAX_ARRAY_ATTR {
            AttrValue::Unsupported(format!("{} values", items.len()))
        } else {
            AttrValue::Array(items)
        }
    };
    let texts = |strings: Vec<String>| wrap(strings.into_iter().map(AttrValue::Text).collect());
    if let Some(strings) = &attr.decoded_strings {
        return texts(strings.clone());
    }
    // Enums show their integer value, as h5py does.
    let value_type = match &attr.datatype {
        Datatype::Enum { base, .. } => numeric_type(&attr.datatype).or_else(|| numeric_type(base)),
        other => numeric_type(other),
    };
    if let Some((dtype, endian)) = value_type {
        let count = attr.num_elements().unwrap_or(0);
        if count > MAX_ARRAY_ATTR as u64 {
            return AttrValue::Unsupported(format!("{count} × {}", dtype.numpy_name()));
        }
        let values: Option<Vec<AttrValue>> = attr
            .raw_data
            .chunks_exact(dtype.size())
            .take(count as usize)
            .map(|b| decode_scalar(b, dtype, endian))
            .collect();
        return match values {
            Some(values) if values.len() as u64 == count => wrap(values),
            _ => AttrValue::Unsupported(format!("{count} × {}", dtype.numpy_name())),
        };
    }
    match &attr.datatype {
        Datatype::String { .. } => match attr.read_strings() {
            Ok(strings) => texts(strings),
            Err(e) => AttrValue::Unsupported(format!("unreadable string ({e})")),
        },
        other => AttrValue::Unsupported(type_name(other)),
    }
}

pub(super) fn named_values(attrs: &[Attribute]) -> Vec<(String, AttrValue)> {
    attrs
        .iter()
        .map(|a| (a.name.clone(), attr_value(a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_scalar_sign_extends_and_swaps() {
        assert_eq!(
            decode_scalar(&[0xfe, 0xff], DType::I16, Endian::Little),
            Some(AttrValue::Int(-2))
        );
        assert_eq!(
            decode_scalar(&[0x01, 0x02], DType::U16, Endian::Big),
            Some(AttrValue::UInt(0x0102))
        );
        assert_eq!(
            decode_scalar(&1.5f64.to_be_bytes(), DType::F64, Endian::Big),
            Some(AttrValue::Float(1.5))
        );
    }
}
