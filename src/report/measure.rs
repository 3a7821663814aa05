//! `tracekit measure` and `tracekit find`: what they report (docs/measure.md defines every
//! quantity). JSON keys are these field names; NaN and infinities are null.

use crate::dsp::pulse::{Event, EventKind, Measurement};
use serde::Serialize;

/// `measure`'s summary: one measurement per channel.
#[derive(Debug, Serialize)]
pub struct MeasureReport {
    pub path: String,
    /// Samples per channel measured.
    pub samples: u64,
    pub sample_rate: Option<f64>,
    /// `s` when the rate is known; `samples` otherwise (times, periods and widths are then
    /// counted in samples, frequencies in cycles per sample, slew rates per sample).
    pub time_unit: &'static str,
    pub channels: Vec<ChannelMeasurement>,
}

/// One channel's measurement.
#[derive(Debug, Serialize)]
pub struct ChannelMeasurement {
    pub channel: usize,
    pub name: String,
    /// The samples' unit when the file names it (`V`), else null.
    pub unit: Option<String>,
    #[serde(flatten)]
    pub measurement: Measurement,
}

/// One `find` event, as written (SPEC-style keys: `sample, time_s, kind, channel, width,
/// level`, plus `rate` for slew events).
#[derive(Debug, Serialize)]
pub struct EventRecord {
    /// First sample past the crossing where the event starts (absolute, from the file's
    /// first sample): `slice --range SAMPLE..` starts there.
    pub sample: u64,
    /// The crossing's interpolated instant in seconds from the first sample; null without
    /// a rate.
    pub time_s: Option<f64>,
    pub kind: EventKind,
    pub channel: usize,
    /// Duration (seconds, or samples without a rate); null for edges and open excursions.
    pub width: Option<f64>,
    pub level: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

impl EventRecord {
    /// `event` of `channel`; `timed` says whether its times are seconds (a known rate).
    pub fn new(channel: usize, event: &Event, timed: bool) -> EventRecord {
        EventRecord {
            sample: event.sample,
            time_s: timed.then_some(event.time),
            kind: event.kind,
            channel,
            width: event.width,
            level: event.level,
            rate: event.rate,
        }
    }
}
