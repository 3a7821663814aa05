//! `tracekit stats`: exact statistics per channel (SPEC §4 keys, in this order).

use crate::dsp::moments::Moments;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct StatsReport {
    pub path: String,
    /// Samples per channel analysed.
    pub samples: u64,
    pub sample_rate: Option<f64>,
    pub channels: Vec<ChannelStats>,
    /// Complex input only: true; then `channels` holds three entries per complex channel
    /// (`part` `I`, `Q`, `magnitude`), each with the complex channel's index.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub complex: bool,
}

/// One channel's statistics; NaN (no finite sample) is JSON null.
#[derive(Debug, Serialize)]
pub struct ChannelStats {
    pub channel: usize,
    /// Complex input only: `I`, `Q` or `magnitude` (|I + jQ|).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<&'static str>,
    /// The channel's name (`ch0`, or the file's: `CH1`, `C3`), for the table; the JSON
    /// keys stay the SPEC's.
    #[serde(skip)]
    pub name: String,
    pub count: u64,
    pub nan_count: u64,
    pub mean: f64,
    /// Population standard deviation.
    pub std: f64,
    pub min: f64,
    pub max: f64,
    /// First index of the minimum, null when there is none.
    pub argmin: Option<u64>,
    pub argmax: Option<u64>,
    pub rms: f64,
    pub peak_to_peak: f64,
}

impl StatsReport {
    /// One entry per channel: its index, its name and its moments.
    pub fn new(
        path: &str,
        samples: u64,
        sample_rate: Option<f64>,
        channels: &[(usize, &str, Moments)],
    ) -> StatsReport {
        StatsReport {
            path: path.to_string(),
            samples,
            sample_rate,
            channels: channels
                .iter()
                .map(|&(channel, name, m)| ChannelStats {
                    channel,
                    part: None,
                    name: name.to_string(),
                    count: m.count,
                    nan_count: m.nan_count,
                    mean: m.mean,
                    std: m.std(),
                    min: m.min,
                    max: m.max,
                    argmin: m.argmin,
                    argmax: m.argmax,
                    rms: m.rms(),
                    peak_to_peak: m.peak_to_peak(),
                })
                .collect(),
            complex: false,
        }
    }

    /// The report of complex channels: `channels[k]` is the complex channel's index and
    /// name with the moments of its I, Q and magnitude.
    pub fn complex(
        path: &str,
        samples: u64,
        sample_rate: Option<f64>,
        channels: &[(usize, &str, [Moments; 3])],
    ) -> StatsReport {
        const PARTS: [&str; 3] = ["I", "Q", "magnitude"];
        let mut names = Vec::new();
        let mut flat = Vec::new();
        for (k, name, moments) in channels {
            for (part, m) in PARTS.iter().zip(moments) {
                let label = if name.is_empty() {
                    (*part).to_string()
                } else {
                    format!("{name} {part}")
                };
                names.push(label);
                flat.push((*k, *m));
            }
        }
        let rows: Vec<(usize, &str, Moments)> = flat
            .iter()
            .zip(&names)
            .map(|(&(k, m), n)| (k, n.as_str(), m))
            .collect();
        let mut report = StatsReport::new(path, samples, sample_rate, &rows);
        for (c, part) in report.channels.iter_mut().zip(PARTS.iter().cycle()) {
            c.part = Some(part);
        }
        report.complex = true;
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_report_null_for_nan() {
        let empty = Moments {
            count: 0,
            nan_count: 4,
            mean: f64::NAN,
            m2: f64::NAN,
            min: f64::NAN,
            max: f64::NAN,
            argmin: None,
            argmax: None,
        };
        let v =
            serde_json::to_value(StatsReport::new("x.npy", 4, None, &[(0, "ch0", empty)])).unwrap();
        assert_eq!(v["channels"][0]["mean"], serde_json::Value::Null);
        assert_eq!(v["channels"][0]["argmin"], serde_json::Value::Null);
        assert_eq!(v["channels"][0]["nan_count"], 4);
    }
}
