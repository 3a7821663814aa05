//! `tracekit info`: what a capture is, from its headers (SPEC §4 keys).

use super::Table;
use crate::loader::TraceInfo;
use crate::units::{format_rate, format_seconds};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Serialize)]
pub struct InfoReport {
    pub path: String,
    /// The format's name (`npy`, `raw`, `hdf5`...).
    pub format: &'static str,
    /// NumPy's name of the stored type (`float32`); for complex samples `complex64`,
    /// `complex128`, or `ci16`, `ci8`, `cu8`... where NumPy has no such type.
    pub dtype: String,
    /// Only for complex samples: true, with the type of each component (I and Q) and the
    /// recorded centre frequency in Hz when known. `channels` counts complex channels.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub complex: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_dtype: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub center_frequency: Option<f64>,
    /// `little`, `big`, or `none` for one-byte types.
    pub byte_order: &'static str,
    pub shape: Vec<u64>,
    /// Samples per channel; null for a stream of unknown length.
    pub samples: Option<u64>,
    pub channels: usize,
    pub sample_rate: Option<f64>,
    /// Where the rate came from.
    pub rate_source: Option<String>,
    pub start_time_s: Option<f64>,
    pub duration_s: Option<f64>,
    pub file_size: Option<u64>,
    pub data_offset: Option<u64>,
    /// The format's own keys (HDF5: `dataset`, `datasets`, `attributes`...).
    #[serde(flatten)]
    pub details: Map<String, Value>,
    /// The common key/value rows for people.
    #[serde(skip)]
    pub rows: Vec<(&'static str, String)>,
    /// The format's own tables for people.
    #[serde(skip)]
    pub tables: Vec<Table>,
}

impl InfoReport {
    pub fn new(info: &TraceInfo) -> InfoReport {
        let byte_order = if info.dtype.size() == 1 {
            "none"
        } else {
            info.endian.name()
        };
        let (details, tables) = match &info.details {
            Some(d) => (
                d.json(),
                d.tables()
                    .into_iter()
                    .map(|(header, rows)| Table { header, rows })
                    .collect(),
            ),
            None => (Map::new(), Vec::new()),
        };
        InfoReport {
            path: info.path.clone(),
            format: info.format,
            dtype: dtype_name(info),
            complex: info.complex,
            component_dtype: info.complex.then(|| info.dtype.numpy_name()),
            center_frequency: info.center_frequency.filter(|_| info.complex),
            byte_order,
            shape: info.shape.clone(),
            samples: info.samples,
            channels: info.user_channels(),
            sample_rate: info.sample_rate,
            rate_source: info.rate_source.clone(),
            start_time_s: info.start_time,
            duration_s: info.duration_s(),
            file_size: info.file_size,
            data_offset: info.data_offset,
            details,
            rows: rows(info),
            tables,
        }
    }
}

/// NumPy's name of the stored type, or of the complex type.
fn dtype_name(info: &TraceInfo) -> String {
    if info.complex {
        crate::sample::ComplexType(info.dtype).numpy_name()
    } else {
        info.dtype.numpy_name().to_string()
    }
}

fn rows(info: &TraceInfo) -> Vec<(&'static str, String)> {
    let dash = || "-".to_string();
    let mut rows = vec![
        ("path", info.path.clone()),
        ("format", info.format.to_string()),
        ("dtype", dtype_name(info)),
        (
            "byte order",
            if info.dtype.size() == 1 {
                "-".into()
            } else {
                info.endian.name().to_string()
            },
        ),
        ("shape", format!("{:?}", info.shape)),
        (
            "samples",
            info.samples
                .map_or_else(|| "unknown (stream)".into(), |n| n.to_string()),
        ),
        (
            "channels",
            if info.complex {
                format!(
                    "{} complex (I/Q of {}, as {} real channels)",
                    info.user_channels(),
                    info.dtype.numpy_name(),
                    info.channels.len()
                )
            } else {
                info.channels.len().to_string()
            },
        ),
        (
            "sample rate",
            match (info.sample_rate, &info.rate_source) {
                (Some(r), Some(src)) => format!("{} (from {src})", format_rate(r)),
                (Some(r), None) => format_rate(r),
                (None, _) => "unknown (pass -r RATE)".into(),
            },
        ),
        (
            "duration",
            info.duration_s().map_or_else(dash, format_seconds),
        ),
    ];
    if let Some(t0) = info.start_time {
        rows.push(("start time", format_seconds(t0)));
    }
    if let Some(f) = info.center_frequency.filter(|_| info.complex) {
        rows.push(("centre frequency", format!("{f} Hz")));
    }
    rows.push((
        "file size",
        info.file_size.map_or_else(dash, |s| s.to_string()),
    ));
    rows.push((
        "data offset",
        info.data_offset.map_or_else(dash, |s| s.to_string()),
    ));
    rows
}
