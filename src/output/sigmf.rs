//! SigMF output: the `.sigmf-data` samples go out as they come, hashed on the way (SHA-512,
//! no second pass); [`metadata`] is the `.sigmf-meta` JSON written next to them at the end.

use crate::sample::{CaptureMeta, DType, Endian};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// The SigMF specification version written (the `sigmf` package 1.x validates 1.2.x).
pub const SIGMF_VERSION: &str = "1.2.0";

/// `core:datatype` of real samples of `dtype` in `endian` order, or why SigMF has none.
pub fn datatype(dtype: DType, endian: Endian) -> Result<String, String> {
    let base = match dtype {
        DType::Bool | DType::U8 => return Ok("ru8".into()),
        DType::I8 => return Ok("ri8".into()),
        DType::I16 => "ri16",
        DType::U16 => "ru16",
        DType::I32 => "ri32",
        DType::U32 => "ru32",
        DType::F32 => "rf32",
        DType::F64 => "rf64",
        other => {
            return Err(format!(
                "SigMF has no {other} samples: pass --to with i8, u8, i16, u16, i32, u32, f32 or f64"
            ));
        }
    };
    let order = match endian {
        Endian::Little => "le",
        Endian::Big => "be",
    };
    Ok(format!("{base}_{order}"))
}

/// The data and metadata paths of a SigMF output named either way.
pub fn paths(output: &Path) -> (PathBuf, PathBuf) {
    (
        output.with_extension("sigmf-data"),
        output.with_extension("sigmf-meta"),
    )
}

/// The `.sigmf-meta` document of a recording written by tracekit.
pub fn metadata(datatype: &str, channels: usize, meta: &CaptureMeta, sha512: &str) -> String {
    let mut global = Map::new();
    global.insert("core:datatype".into(), json!(datatype));
    global.insert("core:version".into(), json!(SIGMF_VERSION));
    if let Some(r) = meta.sample_rate {
        global.insert("core:sample_rate".into(), json!(r));
    }
    global.insert("core:num_channels".into(), json!(channels));
    global.insert("core:sha512".into(), json!(sha512));
    global.insert("core:recorder".into(), json!("tracekit"));
    if let Some(names) = &meta.channel_names {
        global.insert(
            "core:description".into(),
            json!(format!("channels: {}", names.join(", "))),
        );
    }
    let mut capture = Map::new();
    capture.insert("core:sample_start".into(), json!(0));
    if let Some(f) = meta.center_frequency {
        capture.insert("core:frequency".into(), json!(f));
    }
    let doc = json!({
        "global": Value::Object(global),
        "captures": [Value::Object(capture)],
        "annotations": [],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datatypes_name_type_and_order() {
        assert_eq!(datatype(DType::I16, Endian::Big).unwrap(), "ri16_be");
        assert_eq!(datatype(DType::F32, Endian::Little).unwrap(), "rf32_le");
        assert_eq!(datatype(DType::U8, Endian::Big).unwrap(), "ru8");
        assert!(datatype(DType::F16, Endian::Little).is_err());
    }
}
