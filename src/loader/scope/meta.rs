//! What `tracekit info` shows for a scope capture: one typed struct for the three formats
//! (Rigol .wfm, Rigol .bin, Keysight .bin), every field optional except what all files have,
//! and `rows()` for the human table.

use serde::Serialize;

/// Facts a scope file states about its acquisition.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ScopeMeta {
    /// Format and family, e.g. "Rigol .wfm (DS1000Z)", "Keysight .bin (AG10)".
    pub format: String,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// Capture date and time as the file spells them.
    pub date: Option<String>,
    /// Normal, average, peak detect, high resolution...
    pub acquisition: Option<String>,
    pub sample_rate: Option<f64>,
    /// Samples per channel stored in the file (memory depth).
    pub record_length: u64,
    /// Samples of the record that span the screen (time/div × divisions × rate), when known.
    pub screen_points: Option<u64>,
    pub time_per_div: Option<f64>,
    /// Horizontal delay: time of the screen centre relative to the trigger, s.
    pub time_offset: Option<f64>,
    /// Index of the trigger sample (x = 0) in the record, when it lies inside.
    pub trigger_index: Option<u64>,
    pub trigger: Option<TriggerMeta>,
    pub channels: Vec<ChannelMeta>,
    /// Waveform records of a .bin container, in file order.
    pub records: Vec<RecordMeta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct TriggerMeta {
    pub mode: Option<String>,
    pub source: Option<String>,
    pub level: Option<f64>,
    pub coupling: Option<String>,
    pub sweep: Option<String>,
}

/// Vertical settings of one channel, and how its stored codes become volts.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ChannelMeta {
    pub name: String,
    pub volts_per_div: Option<f64>,
    /// Vertical offset (position) in volts as the scope shows it.
    pub offset: Option<f64>,
    pub probe: Option<f64>,
    pub coupling: Option<String>,
    pub bandwidth_limit: Option<String>,
    pub inverted: Option<bool>,
    pub unit: Option<String>,
    /// How values are stored, e.g. "u8 code × -0.08 + 10.0" or "f32 volts".
    pub stored: String,
}

/// One waveform record of a Rigol/Keysight .bin container.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct RecordMeta {
    pub label: String,
    pub waveform_type: String,
    pub buffers: Vec<String>,
    pub points: u64,
    pub x_increment: f64,
    pub x_origin: f64,
    pub x_display_range: f64,
    pub x_display_origin: f64,
    pub y_unit: String,
    pub date: Option<String>,
    pub time_tag: f64,
    pub segment_index: u32,
}

impl crate::loader::layout::VendorMeta for ScopeMeta {
    /// The human table: one (label, text) pair per line.
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                rows.push((k.to_string(), v));
            }
        };
        push("format", Some(self.format.clone()));
        push("model", self.model.clone());
        push("serial", self.serial.clone());
        push("firmware", self.firmware.clone());
        push("date", self.date.clone());
        push("acquisition", self.acquisition.clone());
        push("sample rate", self.sample_rate.map(|r| eng(r, "Sa/s")));
        let record = match self.screen_points {
            Some(screen) => format!(
                "{} points per channel ({screen} on screen)",
                self.record_length
            ),
            None => format!("{} points per channel", self.record_length),
        };
        push("record", Some(record));
        push("time base", self.time_per_div.map(|t| eng(t, "s/div")));
        push("time offset", self.time_offset.map(|t| eng(t, "s")));
        push("trigger index", self.trigger_index.map(|i| i.to_string()));
        if let Some(t) = &self.trigger {
            let parts: Vec<String> = [
                t.mode.clone(),
                t.source.clone(),
                t.level.map(|l| format!("level {}", eng(l, "V"))),
                t.coupling.clone(),
                t.sweep.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            push("trigger", Some(parts.join(", ")));
        }
        for c in &self.channels {
            let unit = c.unit.as_deref().unwrap_or("V");
            let parts: Vec<String> = [
                c.volts_per_div.map(|v| eng(v, &format!("{unit}/div"))),
                c.offset.map(|v| format!("offset {}", eng(v, unit))),
                c.probe.map(|p| format!("probe {p}x")),
                c.coupling.clone(),
                c.bandwidth_limit.clone().map(|b| format!("BW {b}")),
                c.inverted.filter(|&i| i).map(|_| "inverted".to_string()),
                Some(c.stored.clone()),
            ]
            .into_iter()
            .flatten()
            .collect();
            push(&c.name, Some(parts.join(", ")));
        }
        for (i, r) in self.records.iter().enumerate() {
            let mut text = format!(
                "{} {} [{}], {} points, dx {}, x0 {}, display {} from {}, {}",
                r.label,
                r.waveform_type,
                r.buffers.join(" "),
                r.points,
                eng(r.x_increment, "s"),
                eng(r.x_origin, "s"),
                eng(r.x_display_range, "s"),
                eng(r.x_display_origin, "s"),
                r.y_unit,
            );
            if r.segment_index != 0 || r.time_tag != 0.0 {
                text.push_str(&format!(
                    ", segment {} at {}",
                    r.segment_index,
                    eng(r.time_tag, "s")
                ));
            }
            push(&format!("record {i}"), Some(text));
        }
        rows
    }
}

/// `value` with an SI prefix and 4 significant digits: 2.5e-6 → "2.5 µs".
pub fn eng(value: f64, unit: &str) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value} {unit}");
    }
    const PREFIXES: [(f64, &str); 8] = [
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
        (1e-12, "p"),
    ];
    let magnitude = value.abs();
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|(s, _)| magnitude >= *s * 0.999_999_5)
        .unwrap_or((1e-12, "p"));
    let scaled = value / scale;
    let text = format!("{scaled:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {prefix}{unit}")
}

#[cfg(test)]
mod tests {
    use super::eng;

    #[test]
    fn engineering_notation() {
        assert_eq!(eng(2.5e-6, "s"), "2.5 µs");
        assert_eq!(eng(-0.171, "V"), "-171 mV");
        assert_eq!(eng(1e9, "Sa/s"), "1 GSa/s");
        assert_eq!(eng(0.0, "V"), "0 V");
        assert_eq!(eng(125000.0, "Sa/s"), "125 kSa/s");
        assert_eq!(eng(3.999_999_9e-7, "s"), "400 ns");
    }
}
