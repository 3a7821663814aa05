//! `tracekit decode PROTOCOL`'s output: records (text, JSON Lines, CSV, raw bytes) or
//! sigrok annotation lines, streamed chunk by chunk, plus the summary for stderr.
//!
//! Formats (docs/decode.md): `text` = `time_s start-end kind [value] [name=value...]
//! [error]`; `json` = one object per record `{"start", "end", "time_s", "kind", "value",
//! fields..., "error"}`; `csv` = the same with a header line and one column per field of
//! the protocol; `bytes` = the data bytes of the records; `sigrok` = sigrok-test's
//! `.output` lines `START-END decoder: class: "text"...`, optionally only `--annotations`.

use crate::dsp::decode::{Annotations, Annotator};
use crate::report::decode::{BusSummary, Record, RecordCounts, RecordKind};
use crate::units::format_rate;
use serde_json::Value;
use std::io::{self, Write};

crate::named_enum! {
    /// How decoded records are written.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum DecodeOutput {
        /// One line per record.
        Text = "text",
        /// JSON Lines.
        Json = "json",
        Csv = "csv",
        /// The data bytes alone.
        Bytes = "bytes",
        /// sigrok-test's `.output` annotation lines.
        Sigrok = "sigrok",
    }
}

/// Where records and their times come from.
#[derive(Debug, Clone)]
pub struct Timebase {
    /// Sample rate, when known (records then carry a time).
    pub rate: Option<f64>,
    /// Time of sample 0.
    pub time0: f64,
    /// Added to decoder positions to make them sample indices of the file.
    pub offset: u64,
}

/// `--annotations`: every class named must be one of the decoder's.
pub fn check_classes<A: Annotator>(classes: &[String]) -> Result<(), String> {
    match classes.iter().find(|c| !A::CLASSES.contains(&c.as_str())) {
        Some(bad) => Err(format!(
            "--annotations: {} has no class '{bad}' (classes: {})",
            A::DECODER,
            A::CLASSES.join(", ")
        )),
        None => Ok(()),
    }
}

/// Writes a decoder's events in one format and counts the records.
pub struct BusWriter<W: Write, A: Annotator> {
    out: W,
    format: DecodeOutput,
    annotator: A,
    to_records: fn(&A::Event, &mut Vec<Record>),
    count: fn(&A::Event, &mut RecordCounts),
    /// CSV columns: the protocol's field names.
    columns: &'static [&'static str],
    time: Timebase,
    decimals: usize,
    pub counts: RecordCounts,
    records: Vec<Record>,
    /// `--format sigrok`'s lines, rendered chunk by chunk into one reused buffer (only the
    /// `--annotations` classes).
    annotations: Annotations,
}

impl<W: Write, A: Annotator> BusWriter<W, A> {
    pub fn new(
        mut out: W,
        format: DecodeOutput,
        annotator: A,
        kind: &RecordKind<A::Event>,
        classes: Vec<String>,
        time: Timebase,
    ) -> io::Result<Self> {
        let columns = kind.columns;
        if format == DecodeOutput::Csv {
            write!(out, "start,end,time_s,kind,value")?;
            for c in columns {
                write!(out, ",{c}")?;
            }
            writeln!(out, ",error")?;
        }
        let decimals = time
            .rate
            .map_or(1, |r| (r.log10().ceil().max(0.0) as usize).clamp(1, 15));
        Ok(BusWriter {
            out,
            format,
            annotator,
            to_records: kind.to_records,
            count: kind.count,
            columns,
            annotations: Annotations::new(A::DECODER, time.offset, classes),
            time,
            decimals,
            counts: RecordCounts::default(),
            records: Vec::new(),
        })
    }

    /// Write and remove every event of `events`.
    pub fn write_drain(&mut self, events: &mut Vec<A::Event>) -> io::Result<()> {
        if self.format == DecodeOutput::Sigrok {
            for event in events.drain(..) {
                (self.count)(&event, &mut self.counts);
                self.annotator.annotate(&event, &mut self.annotations);
            }
            self.out.write_all(self.annotations.bytes())?;
            self.annotations.clear();
            return Ok(());
        }
        for event in events.drain(..) {
            (self.to_records)(&event, &mut self.records);
        }
        let records = std::mem::take(&mut self.records);
        for r in &records {
            self.counts.add(r);
            self.write_record(r)?;
        }
        self.records = records;
        self.records.clear();
        Ok(())
    }

    fn write_record(&mut self, r: &Record) -> io::Result<()> {
        let start = r.start + self.time.offset;
        let end = r.end + self.time.offset;
        let time = self
            .time
            .rate
            .map(|rate| self.time.time0 + start as f64 / rate);
        let out = &mut self.out;
        match self.format {
            DecodeOutput::Bytes => out.write_all(&r.bytes),
            DecodeOutput::Text => {
                match time {
                    Some(t) => write!(out, "{t:.*}", self.decimals)?,
                    None => write!(out, "-")?,
                }
                write!(out, " {start}-{end} {}", r.kind)?;
                if let Some(v) = &r.value {
                    write!(out, " {v}")?;
                }
                for (name, value) in &r.fields {
                    write!(out, " {name}={}", plain(value))?;
                }
                match &r.error {
                    Some(e) => writeln!(out, " error={e}"),
                    None => writeln!(out),
                }
            }
            DecodeOutput::Json => {
                let mut map = serde_json::Map::new();
                map.insert("start".into(), start.into());
                map.insert("end".into(), end.into());
                map.insert("time_s".into(), time.into());
                map.insert("kind".into(), r.kind.into());
                map.insert("value".into(), r.value.clone().into());
                for (name, value) in &r.fields {
                    map.insert((*name).into(), value.clone());
                }
                map.insert("error".into(), r.error.clone().into());
                serde_json::to_writer(&mut *out, &Value::Object(map))?;
                writeln!(out)
            }
            DecodeOutput::Csv => {
                let time = time.map_or(String::new(), |t| t.to_string());
                write!(
                    out,
                    "{start},{end},{time},{},{}",
                    r.kind,
                    r.value.as_deref().unwrap_or("")
                )?;
                for c in self.columns {
                    let cell = r
                        .fields
                        .iter()
                        .find(|(n, _)| n == c)
                        .map_or(String::new(), |(_, v)| plain(v));
                    write!(out, ",{cell}")?;
                }
                writeln!(out, ",{}", r.error.as_deref().unwrap_or(""))
            }
            DecodeOutput::Sigrok => Ok(()),
        }
    }

    pub fn finish(mut self) -> io::Result<RecordCounts> {
        self.out.flush()?;
        Ok(self.counts)
    }
}

/// A field's value without JSON quotes (`0x3A`, `true`, `12`; null as empty).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The summary line for stderr.
pub fn summary(s: &BusSummary) -> String {
    let join = |m: Vec<String>| {
        if m.is_empty() {
            "none".to_string()
        } else {
            m.join(", ")
        }
    };
    let kinds = join(
        s.counts
            .kinds
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect(),
    );
    let errors = join(
        s.counts
            .errors
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect(),
    );
    let rate = s.sample_rate.map_or("no sample rate".into(), format_rate);
    let levels = if s.thresholds.is_empty() {
        "logic input".to_string()
    } else {
        s.thresholds.join("; ")
    };
    format!(
        "tracekit: {}: {}: {kinds}; errors: {errors}; at {rate}; {levels}",
        s.path, s.protocol
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::decode::spi::{SpiConfig, SpiDecoder, SpiEvent, SpiSignals};

    fn writer(format: DecodeOutput) -> BusWriter<Vec<u8>, crate::dsp::decode::spi::SpiAnnotator> {
        let signals = SpiSignals {
            miso: false,
            mosi: true,
            cs: true,
        };
        let dec = SpiDecoder::new(SpiConfig::default(), signals).unwrap();
        BusWriter::new(
            Vec::new(),
            format,
            dec.annotator(),
            &crate::report::decode::SPI,
            Vec::new(),
            Timebase {
                rate: Some(1e6),
                time0: 0.0,
                offset: 10,
            },
        )
        .unwrap()
    }

    fn events() -> Vec<SpiEvent> {
        vec![
            SpiEvent::Word(crate::dsp::decode::spi::SpiWord {
                start: 0,
                end: 16,
                mosi: Some(crate::dsp::decode::spi::WordValue::Narrow(0x1a5)),
                miso: None,
                bit_starts: (0..9).map(|i| i * 2).collect(),
                bitorder: crate::dsp::decode::spi::BitOrder::MsbFirst,
            }),
            SpiEvent::Transfer {
                start: 0,
                end: 20,
                words: 1,
            },
        ]
    }

    fn render(format: DecodeOutput) -> Vec<u8> {
        let mut w = writer(format);
        w.write_drain(&mut events()).unwrap();
        assert_eq!(w.counts.kinds.get("word"), Some(&1));
        w.out
    }

    #[test]
    fn every_format_renders_records() {
        let text = |f| String::from_utf8(render(f)).unwrap();
        assert_eq!(
            text(DecodeOutput::Text),
            "0.000010 10-26 word 0x1A5 bits=9 mosi=0x1A5\n0.000010 10-30 transfer words=1\n"
        );
        assert_eq!(
            text(DecodeOutput::Json),
            "{\"start\":10,\"end\":26,\"time_s\":0.00001,\"kind\":\"word\",\"value\":\"0x1A5\",\"bits\":9,\"mosi\":\"0x1A5\",\"error\":null}\n\
             {\"start\":10,\"end\":30,\"time_s\":0.00001,\"kind\":\"transfer\",\"value\":null,\"words\":1,\"error\":null}\n"
        );
        assert_eq!(
            text(DecodeOutput::Csv),
            "start,end,time_s,kind,value,bits,mosi,miso,words,error\n\
             10,26,0.00001,word,0x1A5,9,0x1A5,,,\n10,30,0.00001,transfer,,,,,1,\n"
        );
        assert_eq!(render(DecodeOutput::Bytes), [0x01, 0xa5]);
        let sigrok = text(DecodeOutput::Sigrok);
        assert!(sigrok.contains("24-26 spi: mosi-bit: \"0\"\n"), "{sigrok}");
        assert!(sigrok.contains("10-26 spi: mosi-data: \"1A5\""), "{sigrok}");
        assert!(
            sigrok.ends_with("10-30 spi: mosi-transfer: \"1A5\"\n"),
            "{sigrok}"
        );
    }
}
