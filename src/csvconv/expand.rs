//! Event exports (logic analyzers write a row per change): rows become samples on a grid
//! `t0 + k / rate`, each row's values holding until the next row's time.

use super::Rows;
use super::pipeline::Sink;
use std::io;

/// Rows buffered before an expanded event stream is handed to the sink.
const EXPAND_ROWS: usize = 1 << 16;
/// Tolerance, in samples, when placing an event on the sample grid: times
/// printed with 9 decimals are not exact binary fractions.
const GRID_EPS: f64 = 1e-6;

/// Turns event rows into samples on a grid `t0 + k / rate`: each row's values
/// hold until the next row's time.
pub(super) struct Expander {
    pub(super) rate: f64,
    pub(super) t0: Option<f64>,
    pub(super) next_k: u64,
    pub(super) cur: Vec<f64>,
    pub(super) buf: Vec<f64>,
    /// Some event so far had a value that needs f64.
    pub(super) needs_f64: bool,
    pub(super) lost: u64,
    pub(super) samples: u64,
}

impl Expander {
    fn grid(&self, t: f64) -> f64 {
        (t - self.t0.unwrap_or(t)) * self.rate
    }

    pub(super) fn event(&mut self, t: f64, values: &[f64], sink: &mut Sink<'_>) -> io::Result<()> {
        if self.t0.is_none() {
            self.t0 = Some(t);
        }
        let k = (self.grid(t) - GRID_EPS).ceil().max(0.0) as u64;
        if !self.cur.is_empty() {
            let count = k.saturating_sub(self.next_k);
            if count == 0 {
                self.lost += 1;
            }
            self.emit(count, sink)?;
        }
        self.next_k = self.next_k.max(k);
        self.cur.clear();
        self.cur.extend_from_slice(values);
        Ok(())
    }

    fn emit(&mut self, count: u64, sink: &mut Sink<'_>) -> io::Result<()> {
        for _ in 0..count {
            self.buf.extend_from_slice(&self.cur);
            if self.buf.len() >= EXPAND_ROWS * self.cur.len() {
                sink(Rows {
                    values: &self.buf,
                    needs_f64: self.needs_f64,
                })?;
                self.buf.clear();
            }
        }
        self.samples += count;
        self.next_k += count;
        Ok(())
    }

    pub(super) fn finish(&mut self, t_last: f64, sink: &mut Sink<'_>) -> io::Result<()> {
        // The last event always gets the sample at or just after its time.
        let n = (self.grid(t_last) - GRID_EPS).ceil().max(0.0) as u64 + 1;
        self.emit(n.saturating_sub(self.next_k), sink)?;
        if !self.buf.is_empty() {
            sink(Rows {
                values: &self.buf,
                needs_f64: self.needs_f64,
            })?;
            self.buf.clear();
        }
        Ok(())
    }
}
