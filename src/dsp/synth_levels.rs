//! A waveform of held levels, streamed in blocks: shared by the 1-Wire and LIN
//! generators, whose messages are short enough to lay out whole.

/// Levels held for given times, idle (1) before, between and after.
#[derive(Debug, Clone, Default)]
pub struct LevelStream {
    /// (level, time from the start at which it ends, s).
    runs: Vec<(u8, f64)>,
    sample_rate: f64,
    /// Time laid out so far, s.
    time: f64,
    pos: u64,
    next: usize,
}

impl LevelStream {
    pub fn new(sample_rate: f64) -> Self {
        LevelStream {
            sample_rate,
            ..LevelStream::default()
        }
    }

    /// Holds `level` for `seconds` after what is laid out already.
    pub fn hold(&mut self, level: u8, seconds: f64) {
        self.time += seconds.max(0.0);
        self.runs.push((level, self.time));
    }

    /// Samples in the whole waveform.
    pub fn total_samples(&self) -> u64 {
        (self.time * self.sample_rate).ceil() as u64
    }

    /// Writes the next levels into `out`; returns how many (0 at the end).
    pub fn fill_logic(&mut self, out: &mut [u8]) -> usize {
        let remaining = self.total_samples().saturating_sub(self.pos);
        let n = out
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < n {
            let Some(&(level, end)) = self.runs.get(self.next) else {
                break;
            };
            let end = (end * self.sample_rate).ceil() as u64;
            if self.pos >= end {
                self.next += 1;
                continue;
            }
            let run = (end - self.pos).min((n - done) as u64) as usize;
            out[done..done + run].fill(level);
            done += run;
            self.pos += run as u64;
        }
        done
    }
}
