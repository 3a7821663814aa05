//! The progress bar: real on a terminal, hidden otherwise, decided once so callers never branch.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// What the bar counts.
#[derive(Debug, Clone, Copy)]
pub enum Unit {
    Bytes,
    Samples,
}

/// Work under this many bytes (or samples × 4) finishes too fast to need a bar.
const MIN_WORK_BYTES: u64 = 64 << 20;

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar over `total` units (None = unknown), shown only when stderr is a terminal, the
    /// run is not `--quiet`, and the work is big enough to take a moment.
    pub fn new(total: Option<u64>, unit: Unit, bytes_per_unit: u64, quiet: bool) -> Progress {
        let big = total.is_none_or(|t| t.saturating_mul(bytes_per_unit.max(1)) >= MIN_WORK_BYTES);
        let visible = !quiet && big && std::io::stderr().is_terminal();
        let bar = match total {
            Some(t) => ProgressBar::new(t),
            None => ProgressBar::no_length(),
        };
        if !visible {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        let template = match (unit, total.is_some()) {
            (Unit::Bytes, true) => "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            (Unit::Bytes, false) => "{spinner} {bytes} {bytes_per_sec}",
            (Unit::Samples, true) => "{bar:40} {human_pos}/{human_len} samples {per_sec} ETA {eta}",
            (Unit::Samples, false) => "{spinner} {human_pos} samples {per_sec}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress { bar }
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
