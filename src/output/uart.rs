//! decode-uart's output: one record per decoded event, streamed, plus the summary.
//!
//! Formats (SPEC §4): `text` = `time_s sample 0xHH 'c' [error]`; `json` = JSON Lines
//! `{"sample", "time_s", "value", "error"}`; `csv` = the same fields with a header line;
//! `bytes` = the values alone, one byte each (two bytes little-endian with `--bits 9`, so
//! nothing is lost). Events without a value (an invalid start bit, a break) have value
//! `-`/null/empty and are left out of `bytes`.

use crate::dsp::decode::uart::{FrameError, UartEvent};
use crate::report::decode::UartSummary;
use crate::units::format_rate;
use std::io::{self, Write};

crate::named_enum! {
    /// How decoded frames are written.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum UartOutput {
        /// One line per frame: `time_s sample 0xHH 'c' [error]`.
        Text = "text",
        /// JSON Lines.
        Json = "json",
        Csv = "csv",
        /// The values alone, as raw bytes.
        Bytes = "bytes",
    }
}

/// The summary line for stderr.
pub fn summary(s: &UartSummary) -> String {
    let c = &s.counts;
    let threshold = s
        .threshold
        .clone()
        .unwrap_or_else(|| "logic input (no threshold)".into());
    format!(
        "tracekit: {}: {} frames; errors: {} framing, {} parity, {} break; {} at {}; {threshold}",
        s.path,
        c.frames,
        c.framing,
        c.parity,
        c.breaks,
        s.baud,
        format_rate(s.sample_rate)
    )
}

/// Writes events in one format; `sample_offset` turns decoder positions into sample
/// indices of the file, `time0` is the time of sample 0.
pub struct FrameWriter<W: Write> {
    out: W,
    format: UartOutput,
    rate: f64,
    time0: f64,
    sample_offset: u64,
    wide: bool,
    /// Decimals that resolve one sample period.
    decimals: usize,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(
        mut out: W,
        format: UartOutput,
        rate: f64,
        time0: f64,
        sample_offset: u64,
        data_bits: u8,
    ) -> io::Result<Self> {
        if format == UartOutput::Csv {
            writeln!(out, "sample,time_s,value,error")?;
        }
        Ok(FrameWriter {
            out,
            format,
            rate,
            time0,
            sample_offset,
            wide: data_bits > 8,
            decimals: (rate.log10().ceil().max(0.0) as usize).clamp(1, 15),
        })
    }

    pub fn write(&mut self, event: &UartEvent) -> io::Result<()> {
        let sample = self.sample_offset + event.start();
        let time = self.time0 + sample as f64 / self.rate;
        let value = event.value();
        let error = event.error().map(error_name);
        let out = &mut self.out;
        match self.format {
            UartOutput::Bytes => match value {
                Some(v) if self.wide => out.write_all(&v.to_le_bytes()),
                Some(v) => out.write_all(&[v as u8]),
                None => Ok(()),
            },
            UartOutput::Text => {
                write!(out, "{time:.*} {sample}", self.decimals)?;
                match value {
                    Some(v) if self.wide => write!(out, " 0x{v:03x} {}", char_text(v))?,
                    Some(v) => write!(out, " 0x{v:02x} {}", char_text(v))?,
                    None => write!(out, " -")?,
                }
                match error {
                    Some(e) => writeln!(out, " {e}"),
                    None => writeln!(out),
                }
            }
            UartOutput::Json => {
                write!(out, "{{\"sample\":{sample},\"time_s\":{time},\"value\":")?;
                match value {
                    Some(v) => write!(out, "{v}")?,
                    None => write!(out, "null")?,
                }
                match error {
                    Some(e) => writeln!(out, ",\"error\":\"{e}\"}}"),
                    None => writeln!(out, ",\"error\":null}}"),
                }
            }
            UartOutput::Csv => {
                let value = value.map_or(String::new(), |v| v.to_string());
                writeln!(out, "{sample},{time},{value},{}", error.unwrap_or(""))
            }
        }
    }

    /// Write and remove every event of `events`.
    pub fn write_drain(&mut self, events: &mut Vec<UartEvent>) -> io::Result<()> {
        events.drain(..).try_for_each(|e| self.write(&e))
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn error_name(e: FrameError) -> &'static str {
    match e {
        FrameError::Framing => "framing",
        FrameError::Parity => "parity",
        FrameError::Break => "break",
    }
}

/// The value as a quoted character: printable ASCII as is, common controls as `\n`, `\r`,
/// `\t`, other bytes as `\xHH`; 9-bit values above 0xff have no character (`-`).
fn char_text(v: u16) -> String {
    match v {
        0x0a => r"'\n'".into(),
        0x0d => r"'\r'".into(),
        0x09 => r"'\t'".into(),
        0x27 => r"'\''".into(),
        0x5c => r"'\\'".into(),
        0x20..=0x7e => format!("'{}'", char::from(v as u8)),
        0..=0xff => format!("'\\x{v:02x}'"),
        _ => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::decode::uart::Span;

    fn data(start: u64, value: u16, stop_error: bool) -> UartEvent {
        let span = Span { start: 0, end: 1 };
        UartEvent::Data {
            start,
            value,
            data: span,
            parity_error: None,
            stop_error: stop_error.then_some(span),
        }
    }

    fn render(format: UartOutput, bits: u8, events: &[UartEvent]) -> Vec<u8> {
        let mut w = FrameWriter::new(Vec::new(), format, 1e6, 0.0, 100, bits).unwrap();
        for e in events {
            w.write(e).unwrap();
        }
        w.out
    }

    #[test]
    fn every_format_renders_values_errors_and_breaks() {
        let brk = UartEvent::Break {
            span: Span {
                start: 50,
                end: 300,
            },
            space: Span {
                start: 50,
                end: 300,
            },
        };
        let events = [data(0, 0x41, false), data(50, 0, true), brk];
        let text = |f| String::from_utf8(render(f, 8, &events)).unwrap();
        assert_eq!(
            text(UartOutput::Text),
            "0.000100 100 0x41 'A'\n0.000150 150 0x00 '\\x00' framing\n0.000150 150 - break\n"
        );
        assert_eq!(
            text(UartOutput::Json),
            "{\"sample\":100,\"time_s\":0.0001,\"value\":65,\"error\":null}\n\
             {\"sample\":150,\"time_s\":0.00015,\"value\":0,\"error\":\"framing\"}\n\
             {\"sample\":150,\"time_s\":0.00015,\"value\":null,\"error\":\"break\"}\n"
        );
        assert_eq!(
            text(UartOutput::Csv),
            "sample,time_s,value,error\n100,0.0001,65,\n150,0.00015,0,framing\n150,0.00015,,break\n"
        );
        assert_eq!(render(UartOutput::Bytes, 8, &events), [0x41, 0]);
    }

    #[test]
    fn nine_bit_values_keep_every_bit() {
        let events = [data(0, 0x1a5, false)];
        assert_eq!(render(UartOutput::Bytes, 9, &events), [0xa5, 0x01]);
        let text = String::from_utf8(render(UartOutput::Text, 9, &events)).unwrap();
        assert_eq!(text, "0.000100 100 0x1a5 -\n");
    }

    #[test]
    fn characters_are_escaped() {
        assert_eq!(char_text(u16::from(b'\'')), r"'\''");
        assert_eq!(char_text(0x81), r"'\x81'");
        assert_eq!(char_text(u16::from(b'\n')), r"'\n'");
    }
}
