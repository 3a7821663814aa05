//! Renderers for `measure` (a table per channel, per-cycle records as CSV or JSON Lines) and
//! `find` (events as text, CSV or JSON Lines, one per line). They compute nothing.

use super::{push_float, table};
use crate::dsp::pulse::{CycleRecord, Summary};
use crate::report::measure::{ChannelMeasurement, EventRecord, MeasureReport};
use comfy_table::Table;
use std::io::{self, Write};

/// One table per channel: scalar figures, then each per-cycle quantity's statistics over
/// every cycle (mean, std, min and max with the sample where they occurred, count).
pub fn tables(report: &MeasureReport) -> Vec<Table> {
    report
        .channels
        .iter()
        .map(|c| channel_table(c, report.time_unit))
        .collect()
}

fn channel_table(c: &ChannelMeasurement, time_unit: &str) -> Table {
    let m = &c.measurement;
    let v = c.unit.as_deref().unwrap_or("");
    let per_time = if time_unit == "s" { "Hz" } else { "1/sample" };
    let slew = format!("{v}/{}", if time_unit == "s" { "s" } else { "sample" });
    let title = if c.name == format!("ch{}", c.channel) {
        format!("ch {}", c.channel)
    } else {
        format!("{} (ch {})", c.name, c.channel)
    };
    let header = [
        title.as_str(),
        "value",
        "std",
        "min",
        "at sample",
        "max",
        "at sample",
        "count",
        "unit",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut scalar =
        |name: &str, value: String, unit: &str| rows.push(scalar_row(name, value, unit));
    let method = match m.levels.method {
        crate::dsp::pulse::LevelMethod::Histogram => "histogram",
        crate::dsp::pulse::LevelMethod::MinMax => "min-max",
        crate::dsp::pulse::LevelMethod::Given => "given",
    };
    scalar("level method", method.to_string(), "");
    scalar("top", table::num(m.levels.top), v);
    scalar("base", table::num(m.levels.base), v);
    scalar("amplitude", table::num(m.amplitude), v);
    scalar("max", table::num(m.max), v);
    scalar("min", table::num(m.min), v);
    scalar("peak-to-peak", table::num(m.peak_to_peak), v);
    scalar("mean", table::num(m.mean), v);
    scalar("rms", table::num(m.rms), v);
    scalar("rising edges", m.rising_edges.to_string(), "");
    scalar("falling edges", m.falling_edges.to_string(), "");
    scalar("cycles", m.cycles.to_string(), "");
    scalar(
        "frequency",
        m.frequency.map_or_else(|| "-".into(), table::num),
        per_time,
    );
    let mut summary = |name: &str, s: &Option<Summary>, unit: &str| {
        let row = match s {
            Some(s) => vec![
                name.to_string(),
                table::num(s.mean),
                table::num(s.std),
                table::num(s.min),
                s.min_at.to_string(),
                table::num(s.max),
                s.max_at.to_string(),
                s.count.to_string(),
                unit.to_string(),
            ],
            None => {
                let mut row = vec![name.to_string()];
                row.extend(std::iter::repeat_n("-".to_string(), 7));
                row.push(unit.to_string());
                row
            }
        };
        rows.push(row);
    };
    summary("period", &m.period, time_unit);
    summary("cycle frequency", &m.cycle_frequency, per_time);
    summary("positive width", &m.positive_width, time_unit);
    summary("negative width", &m.negative_width, time_unit);
    summary("duty cycle", &m.duty, "%");
    summary("rise time", &m.rise_time, time_unit);
    summary("fall time", &m.fall_time, time_unit);
    summary("rise slew rate", &m.rise_slew, &slew);
    summary("fall slew rate", &m.fall_slew, &slew);
    summary("rise overshoot", &m.rise_overshoot, "%");
    summary("rise undershoot", &m.rise_undershoot, "%");
    summary("rise preshoot", &m.rise_preshoot, "%");
    summary("fall overshoot", &m.fall_overshoot, "%");
    summary("fall undershoot", &m.fall_undershoot, "%");
    summary("fall preshoot", &m.fall_preshoot, "%");
    summary("cycle mean", &m.cycle_mean, v);
    summary("cycle rms", &m.cycle_rms, v);
    if let Some(j) = &m.jitter {
        let pp = |v: Option<f64>| v.map_or_else(|| "-".into(), table::num);
        rows.push(scalar_row(
            "period jitter rms",
            table::num(j.period.rms),
            time_unit,
        ));
        rows.push(scalar_row(
            "period jitter p-p",
            table::num(j.period.peak_to_peak),
            time_unit,
        ));
        if let Some(c2c) = &j.cycle_to_cycle {
            rows.push(scalar_row(
                "cycle-to-cycle jitter rms",
                table::num(c2c.rms),
                time_unit,
            ));
            rows.push(scalar_row(
                "cycle-to-cycle jitter p-p",
                table::num(c2c.peak_to_peak),
                time_unit,
            ));
        }
        if let Some(tie) = &j.tie {
            rows.push(scalar_row("TIE rms", table::num(tie.rms), time_unit));
            rows.push(scalar_row("TIE p-p", pp(tie.peak_to_peak), time_unit));
        }
    }
    table::grid(&header, rows)
}

/// A row with one value (the statistics columns show `-`).
fn scalar_row(name: &str, value: String, unit: &str) -> Vec<String> {
    let mut row = vec![name.to_string(), value];
    row.extend(std::iter::repeat_n("-".to_string(), 6));
    row.push(unit.to_string());
    row
}

/// `--per-cycle`: one record per cycle, as CSV (header first) or JSON Lines.
pub struct CycleWriter<W: Write> {
    out: W,
    json: bool,
    /// The CSV line being written, kept between cycles.
    line: String,
}

const CYCLE_HEADER: &str = "channel,cycle,start,time_s,period,frequency,positive_width,\
negative_width,duty,rise_time,fall_time,rise_overshoot,rise_undershoot,rise_preshoot,\
fall_overshoot,fall_undershoot,fall_preshoot,mean,rms,min,max";

/// One `--per-cycle` JSON line: the CSV's columns, in its order (the record's `time` is
/// `time_s` there).
#[derive(serde::Serialize)]
struct CycleLine {
    channel: usize,
    cycle: u64,
    start: u64,
    time_s: f64,
    period: f64,
    frequency: f64,
    positive_width: f64,
    negative_width: f64,
    duty: f64,
    rise_time: Option<f64>,
    fall_time: Option<f64>,
    rise_overshoot: Option<f64>,
    rise_undershoot: Option<f64>,
    rise_preshoot: Option<f64>,
    fall_overshoot: Option<f64>,
    fall_undershoot: Option<f64>,
    fall_preshoot: Option<f64>,
    mean: f64,
    rms: f64,
    min: f64,
    max: f64,
}

impl CycleLine {
    fn new(channel: usize, r: &CycleRecord) -> CycleLine {
        CycleLine {
            channel,
            cycle: r.cycle,
            start: r.start,
            time_s: r.time,
            period: r.period,
            frequency: r.frequency,
            positive_width: r.positive_width,
            negative_width: r.negative_width,
            duty: r.duty,
            rise_time: r.rise_time,
            fall_time: r.fall_time,
            rise_overshoot: r.rise_overshoot,
            rise_undershoot: r.rise_undershoot,
            rise_preshoot: r.rise_preshoot,
            fall_overshoot: r.fall_overshoot,
            fall_undershoot: r.fall_undershoot,
            fall_preshoot: r.fall_preshoot,
            mean: r.mean,
            rms: r.rms,
            min: r.min,
            max: r.max,
        }
    }
}

impl<W: Write> CycleWriter<W> {
    pub fn new(mut out: W, json: bool) -> io::Result<CycleWriter<W>> {
        if !json {
            writeln!(out, "{CYCLE_HEADER}")?;
        }
        Ok(CycleWriter {
            out,
            json,
            line: String::new(),
        })
    }

    pub fn write(&mut self, channel: usize, r: &CycleRecord) -> io::Result<()> {
        if self.json {
            // io::Error::from keeps a write's own error (a closed pipe stays one)
            serde_json::to_writer(&mut self.out, &CycleLine::new(channel, r))
                .map_err(io::Error::from)?;
            return writeln!(self.out);
        }
        let line = &mut self.line;
        line.clear();
        for n in [channel as u64, r.cycle, r.start] {
            line.push_str(itoa::Buffer::new().format(n));
            line.push(',');
        }
        let fields = [
            Some(r.time),
            Some(r.period),
            Some(r.frequency),
            Some(r.positive_width),
            Some(r.negative_width),
            Some(r.duty),
            r.rise_time,
            r.fall_time,
            r.rise_overshoot,
            r.rise_undershoot,
            r.rise_preshoot,
            r.fall_overshoot,
            r.fall_undershoot,
            r.fall_preshoot,
            Some(r.mean),
            Some(r.rms),
            Some(r.min),
            Some(r.max),
        ];
        for (k, v) in fields.into_iter().enumerate() {
            if k > 0 {
                line.push(',');
            }
            if let Some(v) = v {
                push_float(line, v);
            }
        }
        line.push('\n');
        self.out.write_all(line.as_bytes())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// How `find` writes its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStyle {
    /// `sample time_s kind channel width level`, space-separated, `-` for null.
    Text,
    /// The same columns with a header line.
    Csv,
    /// JSON Lines.
    Json,
}

/// `find`'s events, one per line.
pub struct EventWriter<W: Write> {
    out: W,
    style: EventStyle,
    /// The line being written (text and CSV), kept between events.
    line: String,
}

impl<W: Write> EventWriter<W> {
    pub fn new(mut out: W, style: EventStyle) -> io::Result<EventWriter<W>> {
        if style == EventStyle::Csv {
            writeln!(out, "sample,time_s,kind,channel,width,level,rate")?;
        }
        Ok(EventWriter {
            out,
            style,
            line: String::new(),
        })
    }

    /// One event: a JSON object, or the fields `sample time_s kind channel width level`
    /// (and `rate` for slew events) separated by spaces (text, `-` for none) or commas (CSV,
    /// empty for none).
    pub fn write(&mut self, e: &EventRecord) -> io::Result<()> {
        let (sep, none) = match self.style {
            EventStyle::Json => {
                serde_json::to_writer(&mut self.out, e).map_err(io::Error::from)?;
                return writeln!(self.out);
            }
            EventStyle::Csv => (',', ""),
            EventStyle::Text => (' ', "-"),
        };
        let line = &mut self.line;
        let opt = |line: &mut String, v: Option<f64>| match v {
            Some(v) => push_float(line, v),
            None => line.push_str(none),
        };
        line.clear();
        line.push_str(itoa::Buffer::new().format(e.sample));
        line.push(sep);
        opt(line, e.time_s);
        line.push(sep);
        line.push_str(e.kind.name());
        line.push(sep);
        line.push_str(itoa::Buffer::new().format(e.channel));
        line.push(sep);
        opt(line, e.width);
        line.push(sep);
        push_float(line, e.level);
        match (e.rate, self.style) {
            (Some(r), _) => {
                line.push(sep);
                push_float(line, r);
            }
            (None, EventStyle::Csv) => line.push(sep),
            (None, _) => {}
        }
        line.push('\n');
        self.out.write_all(line.as_bytes())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}
