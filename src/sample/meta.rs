//! Capture metadata that travels with the samples: sample rate, time of the first sample,
//! and the channels' names and units when the capture has them (a scope's `CH1` in volts).
//!
//! In a .npy file tracekit writes it as a Python comment after the header dict
//! (`# tracekit {"sample_rate": 1e6, "t0": 0.0}`), which `np.load` ignores; next to a raw
//! file it writes a sidecar `FILE.tracekit.json` holding the same JSON object.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const COMMENT_TAG: &str = "tracekit ";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaptureMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<f64>,
    /// Time of the first sample, in seconds.
    #[serde(rename = "t0", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// Raw sidecars only: the sample type (`float32`), so the file opens without `--dtype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtype: Option<String>,
    /// Raw sidecars only: `little` or `big`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_order: Option<String>,
    /// Raw sidecars only: interleaved channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<usize>,
    /// The channels' names, in column order, when the capture names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_names: Option<Vec<String>>,
    /// The channels' units (`V`, `A`; null when unknown), in column order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<Option<String>>>,
    /// Complex (IQ) captures: the recorded centre frequency in Hz, so a cut-out of a SigMF
    /// recording keeps its absolute frequency axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center_frequency: Option<f64>,
}

impl CaptureMeta {
    pub fn is_empty(&self) -> bool {
        self.sample_rate.is_none()
            && self.start_time.is_none()
            && self.channel_names.is_none()
            && self.units.is_none()
            && self.center_frequency.is_none()
    }

    /// Read the metadata from the text after a header's `#`; anything else gives nothing.
    pub fn from_header_comment(comment: &str) -> CaptureMeta {
        comment
            .trim()
            .strip_prefix(COMMENT_TAG)
            .and_then(|json| serde_json::from_str::<CaptureMeta>(json.trim()).ok())
            .map(CaptureMeta::sanitized)
            .unwrap_or_default()
    }

    /// The comment text to put after a header dict, or None when there is nothing to say.
    pub fn to_header_comment(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        serde_json::to_string(self)
            .ok()
            .map(|json| format!("{COMMENT_TAG}{json}"))
    }

    /// The metadata of a slice that starts at sample `start` of a capture with this rate and
    /// first-sample time, keeping every `step`-th sample: the rate divides by `step`, and the
    /// slice's first sample lies `start / rate` after the capture's.
    pub fn of_slice(rate: Option<f64>, t0: Option<f64>, start: u64, step: u64) -> CaptureMeta {
        match rate {
            Some(rate) => CaptureMeta {
                sample_rate: Some(rate / step as f64),
                start_time: Some(t0.unwrap_or(0.0) + start as f64 / rate),
                ..CaptureMeta::default()
            },
            None => CaptureMeta::default(),
        }
    }

    /// Where the sidecar of a data file lives.
    pub fn sidecar_path(data: &Path) -> PathBuf {
        let mut name = data.as_os_str().to_owned();
        name.push(".tracekit.json");
        PathBuf::from(name)
    }

    /// The metadata of a sidecar's text, if it is readable (the loader reads the file).
    pub fn from_sidecar_json(text: &str) -> Option<CaptureMeta> {
        serde_json::from_str::<CaptureMeta>(text)
            .ok()
            .map(CaptureMeta::sanitized)
    }

    pub fn to_sidecar_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Drop values no capture can have (a foreign or damaged comment must not poison a run).
    fn sanitized(self) -> CaptureMeta {
        CaptureMeta {
            sample_rate: self.sample_rate.filter(|r| r.is_finite() && *r > 0.0),
            start_time: self.start_time.filter(|t| t.is_finite()),
            dtype: self.dtype,
            byte_order: self.byte_order,
            channels: self.channels.filter(|c| (1..=65_536).contains(c)),
            channel_names: self.channel_names,
            units: self.units,
            center_frequency: self.center_frequency.filter(|f| f.is_finite()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_round_trip_and_garbage() {
        let m = CaptureMeta {
            sample_rate: Some(2.5e9),
            start_time: Some(-1e-6),
            ..Default::default()
        };
        let c = m.to_header_comment().unwrap();
        assert_eq!(CaptureMeta::from_header_comment(&c), m);
        assert_eq!(
            CaptureMeta::from_header_comment(" some other tool"),
            CaptureMeta::default()
        );
        assert_eq!(
            CaptureMeta::from_header_comment("tracekit {\"sample_rate\": -5}"),
            CaptureMeta::default()
        );
        assert_eq!(CaptureMeta::default().to_header_comment(), None);
        let named = CaptureMeta {
            channel_names: Some(vec!["CH1".into(), "CH3".into()]),
            units: Some(vec![Some("V".into()), None]),
            ..m
        };
        let c = named.to_header_comment().unwrap();
        assert!(
            c.contains(r#""channel_names":["CH1","CH3"],"units":["V",null]"#),
            "{c}"
        );
        assert_eq!(CaptureMeta::from_header_comment(&c), named);
    }

    #[test]
    fn sidecar_name() {
        assert_eq!(
            CaptureMeta::sidecar_path(Path::new("dir/x.f32")),
            PathBuf::from("dir/x.f32.tracekit.json")
        );
    }
}
