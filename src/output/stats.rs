//! Renderers for `stats`: the per-channel table and JSON object, and the envelope (`--every`)
//! as CSV or JSON Lines, streamed one window at a time.

use super::{float_text, json_f64, table};
use crate::dsp::moments::Moments;
use crate::report::stats::{ChannelStats, StatsReport};
use comfy_table::Table;
use serde_json::json;
use std::io::{self, Write};

/// Up to this many channels, one column per channel; beyond, one row per channel (a table
/// a person can scroll).
const WIDE_TABLE: usize = 8;

/// One row per statistic, one column per channel (like pandas' `describe()`); one row per
/// channel when there are many.
pub fn table(report: &StatsReport) -> Table {
    if report.channels.len() > WIDE_TABLE {
        let mut header = vec!["channel"];
        header.extend(NAMES);
        let rows = report
            .channels
            .iter()
            .map(|c| {
                std::iter::once(c.channel.to_string())
                    .chain(cells(c))
                    .collect()
            })
            .collect();
        return table::grid(&header, rows);
    }
    let mut header = vec!["".to_string()];
    header.extend(report.channels.iter().map(|c| {
        if c.name == format!("ch{}", c.channel) {
            format!("ch {}", c.channel)
        } else {
            format!("{} (ch {})", c.name, c.channel)
        }
    }));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let columns: Vec<[String; 10]> = report.channels.iter().map(cells).collect();
    let rows = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            std::iter::once(name.to_string())
                .chain(columns.iter().map(|c| c[i].clone()))
                .collect()
        })
        .collect();
    table::grid(&header, rows)
}

/// The table's row names: the SPEC's per-channel keys after `channel`.
const NAMES: [&str; 10] = [
    "count",
    "nan_count",
    "mean",
    "std",
    "min",
    "max",
    "argmin",
    "argmax",
    "rms",
    "peak_to_peak",
];

/// One channel's column of the table, in the order of [`NAMES`].
fn cells(c: &ChannelStats) -> [String; 10] {
    let index = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |i| i.to_string());
    [
        c.count.to_string(),
        c.nan_count.to_string(),
        table::num(c.mean),
        table::num(c.std),
        table::num(c.min),
        table::num(c.max),
        index(c.argmin),
        index(c.argmax),
        table::num(c.rms),
        table::num(c.peak_to_peak),
    ]
}

/// Streams envelope records: `start,start_s,channel,min,max,mean,rms` (start_s only when
/// the rate is known) or JSON Lines with the same keys (start_s null when unknown).
pub struct EnvelopeWriter<W: Write> {
    out: W,
    json: bool,
    rate: Option<f64>,
    width: u64,
    /// Absolute index of the next window's first sample.
    next: u64,
}

impl<W: Write> EnvelopeWriter<W> {
    /// Windows of `width` samples from absolute index `start`; writes the CSV header now.
    pub fn new(
        mut out: W,
        json: bool,
        rate: Option<f64>,
        start: u64,
        width: u64,
    ) -> io::Result<Self> {
        if !json {
            let time = if rate.is_some() { "start_s," } else { "" };
            writeln!(out, "start,{time}channel,min,max,mean,rms")?;
        }
        Ok(EnvelopeWriter {
            out,
            json,
            rate,
            width,
            next: start,
        })
    }

    /// One window: the statistics of each channel (`channels[i]` names `window[i]`).
    pub fn window(&mut self, channels: &[usize], window: &[&Moments]) -> io::Result<()> {
        let start = self.next;
        let start_s = self.rate.map(|r| start as f64 / r);
        for (ch, m) in channels.iter().zip(window) {
            if self.json {
                let rec = json!({
                    "start": start,
                    "start_s": start_s,
                    "channel": ch,
                    "min": json_f64(m.min),
                    "max": json_f64(m.max),
                    "mean": json_f64(m.mean),
                    "rms": json_f64(m.rms()),
                });
                writeln!(self.out, "{rec}")?;
            } else {
                let time = start_s.map_or_else(String::new, |t| format!("{},", float_text(t)));
                let [min, max, mean, rms] = [m.min, m.max, m.mean, m.rms()].map(float_text);
                writeln!(self.out, "{start},{time}{ch},{min},{max},{mean},{rms}")?;
            }
        }
        self.next += self.width;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(min: f64, max: f64, mean: f64) -> Moments {
        Moments {
            count: 2,
            nan_count: 0,
            mean,
            m2: 0.5,
            min,
            max,
            argmin: Some(3),
            argmax: None,
        }
    }

    #[test]
    fn envelope_csv_with_and_without_rate() {
        let (a, b) = (moments(-1.0, 1.0, 0.5), moments(0.0, 2.0, 1.0));
        let mut buf = Vec::new();
        let mut w = EnvelopeWriter::new(&mut buf, false, Some(1000.0), 10, 5).unwrap();
        w.window(&[0, 2], &[&a, &b]).unwrap();
        w.window(&[0, 2], &[&b, &a]).unwrap();
        w.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "start,start_s,channel,min,max,mean,rms\n10,0.01,0,-1,1,0.5,0.7071067811865476\n10,0.01,2,0,2,1,1.118033988749895\n\
             15,0.015,0,0,2,1,1.118033988749895\n15,0.015,2,-1,1,0.5,0.7071067811865476\n"
        );
        let mut buf = Vec::new();
        let mut w = EnvelopeWriter::new(&mut buf, true, None, 0, 5).unwrap();
        w.window(&[1], &[&a]).unwrap();
        w.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"start\":0,\"start_s\":null,\"channel\":1,\"min\":-1.0,\"max\":1.0,\"mean\":0.5,\"rms\":0.7071067811865476}\n"
        );
    }
}
