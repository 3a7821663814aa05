//! Writing Value Change Dumps that GTKWave and sigrok open: one `$var` per channel (logic →
//! `wire 1`, integer → `wire N`, analog → `real`), dotted names as nested scopes, and only
//! the changes. Sample i is written at time `t0 + i × step` in the largest timescale unit
//! (1, 10, 100 × s…fs) that makes the step a whole number; a final timestamp closes the last
//! sample. Rates no unit divides (3 MHz) are written in femtoseconds, rounded.

use super::logic::{LogicKind, LogicSpec, code};
use super::{AtomicFile, write_error};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

const FLUSH_AT: usize = 1 << 20;

struct Var {
    kind: LogicKind,
    id: String,
    /// Last written value (code, or f64 bits for analog).
    last: u64,
}

/// Time of sample i, in timescale units.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// `t0 + i × units`.
    Exact(u64),
    /// `t0 + round(i × fs)`, in femtoseconds.
    Rounded(f64),
}

pub struct VcdWriter {
    name: PathBuf,
    out: AtomicFile,
    text: Vec<u8>,
    vars: Vec<Var>,
    samples: u64,
    step: Step,
    /// Time of sample 0, in timescale units.
    t0: u64,
}

impl VcdWriter {
    /// Write the declarations.
    pub fn create(path: &Path, spec: &LogicSpec) -> Result<VcdWriter> {
        let dt = spec.sample_rate.map(|r| 1.0 / r);
        let (timescale, step, unit_s) = timescale_for(dt);
        let t0 = spec
            .start_time
            .map_or(0, |t| (t / unit_s).round().max(0.0) as u64);
        let mut w = Vec::new();
        let _ = writeln!(w, "$version tracekit {} $end", env!("CARGO_PKG_VERSION"));
        if let Some(rate) = spec.sample_rate {
            let _ = writeln!(w, "$comment {rate} samples/s $end");
        }
        let _ = writeln!(w, "$timescale {timescale} $end");
        let mut vars = Vec::new();
        let mut open: Vec<String> = Vec::new();
        for (k, ch) in spec.channels.iter().enumerate() {
            let clean: String = ch
                .name
                .chars()
                .map(|c| if c.is_whitespace() { '_' } else { c })
                .collect();
            let mut parts: Vec<&str> = clean.split('.').collect();
            let reference = parts.pop().filter(|r| !r.is_empty()).unwrap_or("_");
            let common = open.iter().zip(&parts).take_while(|(a, b)| a == b).count();
            for _ in common..open.len() {
                w.extend_from_slice(b"$upscope $end\n");
            }
            open.truncate(common);
            for scope in &parts[common..] {
                let _ = writeln!(w, "$scope module {scope} $end");
                open.push((*scope).to_string());
            }
            let id = identifier(k);
            let decl = match ch.kind {
                LogicKind::Logic => "wire 1".to_string(),
                LogicKind::Integer { width } => format!("wire {width}"),
                LogicKind::Analog { .. } => "real 64".to_string(),
            };
            let _ = writeln!(w, "$var {decl} {id} {reference} $end");
            vars.push(Var {
                kind: ch.kind,
                id,
                last: 0,
            });
        }
        for _ in &open {
            w.extend_from_slice(b"$upscope $end\n");
        }
        w.extend_from_slice(b"$enddefinitions $end\n");
        Ok(VcdWriter {
            name: path.to_path_buf(),
            out: AtomicFile::create(path)?,
            text: w,
            vars,
            samples: 0,
            step,
            t0,
        })
    }

    fn time(&self, sample: u64) -> u64 {
        let d = match self.step {
            Step::Exact(units) => sample.saturating_mul(units),
            Step::Rounded(fs) => (sample as f64 * fs).round() as u64,
        };
        self.t0.saturating_add(d)
    }

    /// Interleaved frames, one value per channel; only changes are written.
    pub fn write_f64(&mut self, frames: &[f64]) -> Result<()> {
        let n = self.vars.len();
        for frame in frames.chunks_exact(n) {
            let first = self.samples == 0;
            let mut stamped = false;
            for (k, &v) in frame.iter().enumerate() {
                let var = &self.vars[k];
                let value = match var.kind {
                    LogicKind::Logic => code(v, 1),
                    LogicKind::Integer { width } => code(v, width),
                    LogicKind::Analog { .. } => v.to_bits(),
                };
                if !first && value == var.last {
                    continue;
                }
                if !stamped {
                    let t = self.time(self.samples);
                    let _ = writeln!(self.text, "#{t}");
                    if first {
                        self.text.extend_from_slice(b"$dumpvars\n");
                    }
                    stamped = true;
                }
                let var = &mut self.vars[k];
                var.last = value;
                let _ = match var.kind {
                    LogicKind::Logic => writeln!(self.text, "{value}{}", var.id),
                    LogicKind::Integer { .. } => writeln!(self.text, "b{value:b} {}", var.id),
                    LogicKind::Analog { f32: true } => {
                        writeln!(self.text, "r{:?} {}", v as f32, var.id)
                    }
                    LogicKind::Analog { f32: false } => writeln!(self.text, "r{v:?} {}", var.id),
                };
            }
            if first {
                self.text.extend_from_slice(b"$end\n");
            }
            self.samples += 1;
            if self.text.len() >= FLUSH_AT {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        crate::interrupt::check().with_context(|| self.name.display().to_string())?;
        self.out
            .write_all(&self.text)
            .map_err(|e| write_error(&self.name, e))?;
        self.text.clear();
        Ok(())
    }

    /// Close the last sample with a final timestamp and move the file into place.
    pub fn finish(mut self) -> Result<()> {
        if self.samples > 0 {
            let t = self.time(self.samples);
            let _ = writeln!(self.text, "#{t}");
        }
        self.flush()?;
        self.out.commit()
    }
}

/// Identifier code k: base-94 over the printable characters `!`..`~`.
fn identifier(mut k: usize) -> String {
    let mut s = String::new();
    loop {
        s.push(char::from(33 + (k % 94) as u8));
        k /= 94;
        if k == 0 {
            return s;
        }
        k -= 1;
    }
}

/// The largest unit (1, 10, 100 × s..fs) in which one sample period is a whole number: the
/// `$timescale` text, the step, and the unit in seconds.
fn timescale_for(dt: Option<f64>) -> (String, Step, f64) {
    const UNITS: [&str; 6] = ["s", "ms", "us", "ns", "ps", "fs"];
    let Some(dt) = dt.filter(|d| d.is_finite() && *d > 0.0) else {
        return ("1 s".into(), Step::Exact(1), 1.0);
    };
    let rate = 1.0 / dt;
    let whole = rate.round();
    if (rate - whole).abs() <= rate * 1e-9 && (1.0..1e15).contains(&whole) {
        let r = whole as u128;
        for (k, unit) in UNITS.iter().enumerate() {
            let per_second = 10u128.pow(3 * k as u32);
            for m in [100u128, 10, 1] {
                if per_second.is_multiple_of(m * r) {
                    let step = per_second / (m * r);
                    let unit_s = m as f64 / per_second as f64;
                    return (format!("{m} {unit}"), Step::Exact(step as u64), unit_s);
                }
            }
        }
    }
    ("1 fs".into(), Step::Rounded(dt * 1e15), 1e-15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timescales_for_common_rates() {
        let exact = |rate: f64| match timescale_for(Some(1.0 / rate)) {
            (t, Step::Exact(s), _) => (t, s),
            (t, Step::Rounded(_), _) => (t, 0),
        };
        assert_eq!(exact(1e6), ("1 us".into(), 1));
        assert_eq!(exact(40e6), ("1 ns".into(), 25));
        assert_eq!(exact(8e6), ("1 ns".into(), 125));
        assert_eq!(exact(1.0), ("1 s".into(), 1));
        assert_eq!(exact(100.0), ("10 ms".into(), 1));
        assert_eq!(exact(200e3), ("1 us".into(), 5));
        assert_eq!(exact(4e9), ("10 ps".into(), 25));
        assert_eq!(exact(3e6).1, 0);
    }

    #[test]
    fn identifiers_are_distinct() {
        let ids: std::collections::HashSet<String> = (0..20_000).map(identifier).collect();
        assert_eq!(ids.len(), 20_000);
        assert_eq!(identifier(0), "!");
        assert_eq!(identifier(93), "~");
        assert_eq!(identifier(94), "!!");
    }
}
