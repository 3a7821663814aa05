//! Streaming time-column statistics and the choice of the sample rate.
//!
//! Each parse block keeps its own [`TimeStats`]; blocks merge in file order,
//! adding the step across the block boundary, so the result does not depend
//! on the block size. Min, max, zero and negative steps cover every row; the
//! median covers the first [`MEDIAN_STEPS`] steps only (bounded memory).

use super::{HeaderRate, MEDIAN_STEPS, StepStats};

/// Steps within this fraction of the median count as uniform sampling.
pub(crate) const UNIFORM_TOLERANCE: f64 = 0.01;

#[derive(Debug, Clone, Default)]
pub(crate) struct TimeStats {
    pub count: u64,
    pub first: f64,
    pub last: f64,
    min: f64,
    max: f64,
    zero: u64,
    negative: u64,
    steps: Vec<f64>,
    /// Steps are not kept: the file's first [`MEDIAN_STEPS`] steps were all
    /// found before these rows.
    skip_steps: bool,
}

impl TimeStats {
    #[inline]
    pub fn push(&mut self, t: f64) {
        if t.is_nan() {
            return;
        }
        if self.count == 0 {
            self.first = t;
            self.min = f64::INFINITY;
        } else {
            self.step(t - self.last);
        }
        self.last = t;
        self.count += 1;
    }

    #[inline]
    fn step(&mut self, s: f64) {
        if s > 0.0 {
            self.min = self.min.min(s);
            self.max = self.max.max(s);
        } else if s == 0.0 {
            self.zero += 1;
        } else {
            self.negative += 1;
        }
        if !self.skip_steps && self.steps.len() < MEDIAN_STEPS {
            self.steps.push(s);
        }
    }

    /// Empties the statistics for the rows of a new block, keeping the step
    /// buffer's memory; `skip_steps` when the median has all its steps already.
    pub fn reset(&mut self, skip_steps: bool) {
        let mut steps = std::mem::take(&mut self.steps);
        steps.clear();
        *self = TimeStats {
            steps,
            skip_steps,
            ..TimeStats::default()
        };
    }

    /// The median has all the steps it takes.
    pub fn steps_full(&self) -> bool {
        self.steps.len() >= MEDIAN_STEPS
    }

    /// Appends the statistics of the rows that follow `self` in the file.
    pub fn merge(&mut self, next: &TimeStats) {
        if next.count == 0 {
            return;
        }
        if self.count == 0 {
            let skip_steps = self.skip_steps;
            self.clone_from(next);
            self.skip_steps = skip_steps;
            return;
        }
        self.step(next.first - self.last);
        self.min = self.min.min(next.min);
        self.max = self.max.max(next.max);
        self.zero += next.zero;
        self.negative += next.negative;
        let room = MEDIAN_STEPS.saturating_sub(self.steps.len());
        self.steps
            .extend_from_slice(&next.steps[..room.min(next.steps.len())]);
        self.last = next.last;
        self.count += next.count;
    }

    pub fn summary(&self) -> Option<StepStats> {
        let mut pos: Vec<f64> = self.steps.iter().copied().filter(|s| *s > 0.0).collect();
        if pos.is_empty() {
            return None;
        }
        pos.sort_by(f64::total_cmp);
        let median = pos[pos.len() / 2];
        Some(StepStats {
            min: self.min,
            max: self.max,
            median,
            zero_steps: self.zero,
            negative_steps: self.negative,
            jitter: (self.max - self.min) / median,
        })
    }

    /// Every time stamp appears exactly twice (R&S min/max envelope rows).
    fn pairs(&self) -> bool {
        self.negative == 0 && self.count.is_multiple_of(2) && self.zero * 2 == self.count
    }
}

/// The rate the time column implies, with its source text.
fn rate_from_time(stats: &TimeStats, warnings: &mut Vec<String>) -> Option<(f64, String)> {
    let s = stats.summary()?;
    let span = stats.last - stats.first;
    if s.negative_steps > 0 {
        warnings.push(format!("time goes backwards {} time(s)", s.negative_steps));
    }
    if stats.pairs() {
        warnings.push(format!(
            "every time stamp appears twice (min/max envelope pairs): {} rows = {} pairs; \
             the rate counts pairs",
            stats.count,
            stats.count / 2
        ));
        let stamps = (stats.count - s.zero_steps) as f64;
        return Some((
            (stamps - 1.0) / span,
            "time column: (time stamps - 1) / span".into(),
        ));
    }
    if s.zero_steps == 0 && s.negative_steps == 0 && s.jitter <= UNIFORM_TOLERANCE {
        let rate = (stats.count - 1) as f64 / span;
        return Some((
            rate,
            "time column: (rows - 1) / span, steps uniform within 1%".into(),
        ));
    }
    warnings.push(format!(
        "time column is not uniform: steps {:.6e} to {:.6e} s, median {:.6e} s, jitter \
         (max-min)/median = {:.2}%, {} repeated time(s)",
        s.min,
        s.max,
        s.median,
        s.jitter * 100.0,
        s.zero_steps
    ));
    Some((
        1.0 / s.median,
        format!("time column: 1 / median step (first {MEDIAN_STEPS} steps)"),
    ))
}

fn differs(a: f64, b: f64) -> bool {
    ((a - b) / b).abs() > UNIFORM_TOLERANCE
}

/// Picks the rate: user > exact header value > time column > rounded header
/// rate. Disagreements become warnings.
pub(crate) fn choose_rate(
    user: Option<f64>,
    header: Option<&HeaderRate>,
    stats: Option<&TimeStats>,
    warnings: &mut Vec<String>,
) -> (Option<f64>, String) {
    let mut time_warnings = Vec::new();
    let from_time = stats.and_then(|s| rate_from_time(s, &mut time_warnings));
    // An exact header value is checked against the whole span, which a coarse
    // time column (Tektronix's 4 digits) still gets right.
    let span_rate = stats.filter(|s| s.count > 1 && s.last > s.first).map(|s| {
        (
            (s.count - 1 - s.zero) as f64 / (s.last - s.first),
            "time column span".to_string(),
        )
    });
    let mut check = |chosen: f64, what: &str, other: Option<(f64, &str)>| {
        if let Some((r, src)) = other.filter(|(r, _)| differs(*r, chosen)) {
            warnings.push(format!(
                "{what} rate {chosen} Hz differs from {src} ({r} Hz)"
            ));
        }
    };
    let result = match (user, header, &from_time) {
        (Some(u), _, _) => {
            check(u, "user", header.map(|h| (h.rate, h.source.as_str())));
            check(u, "user", from_time.as_ref().map(|(r, s)| (*r, s.as_str())));
            (Some(u), "user: --sample-rate".to_string())
        }
        (None, Some(h), _) if h.exact => {
            check(
                h.rate,
                "header",
                span_rate.as_ref().map(|(r, s)| (*r, s.as_str())),
            );
            (Some(h.rate), h.source.clone())
        }
        (None, h, Some((r, src))) => {
            if let Some(h) = h {
                check(*r, "time column", Some((h.rate, h.source.as_str())));
            }
            (Some(*r), src.clone())
        }
        (None, Some(h), None) => (Some(h.rate), h.source.clone()),
        (None, None, None) => (None, "unknown: no header value and no time column".into()),
    };
    warnings.extend(time_warnings);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(times: &[f64]) -> TimeStats {
        let mut s = TimeStats::default();
        times.iter().for_each(|t| s.push(*t));
        s
    }

    #[test]
    fn merge_equals_sequential() {
        let t: Vec<f64> = (0..1000)
            .map(|i| f64::from(i) * 1e-3 + f64::from(i % 7) * 1e-7)
            .collect();
        let whole = stats(&t);
        let mut a = stats(&t[..333]);
        a.merge(&stats(&t[333..700]));
        a.merge(&stats(&t[700..]));
        assert_eq!(a.summary(), whole.summary());
        assert_eq!(
            (a.count, a.first, a.last),
            (whole.count, whole.first, whole.last)
        );
    }

    #[test]
    fn uniform_rate_is_rows_over_span() {
        let t: Vec<f64> = (0..101).map(|i| f64::from(i) * 0.5).collect();
        let mut w = Vec::new();
        let (r, src) = choose_rate(None, None, Some(&stats(&t)), &mut w);
        assert_eq!(r, Some(2.0));
        assert!(src.contains("span"), "{src}");
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn non_uniform_uses_median_and_warns() {
        let t = [0.0, 1.0, 2.0, 3.0, 10.0, 11.0];
        let mut w = Vec::new();
        let (r, _) = choose_rate(None, None, Some(&stats(&t)), &mut w);
        assert_eq!(r, Some(1.0));
        assert!(w.iter().any(|m| m.contains("not uniform")), "{w:?}");
    }

    #[test]
    fn exact_header_wins_and_disagreement_warns() {
        let h = HeaderRate {
            rate: 10.0,
            source: "header: x".into(),
            t0: None,
            exact: true,
        };
        let t: Vec<f64> = (0..11).map(f64::from).collect();
        let mut w = Vec::new();
        let (r, src) = choose_rate(None, Some(&h), Some(&stats(&t)), &mut w);
        assert_eq!((r, src.as_str()), (Some(10.0), "header: x"));
        assert_eq!(w.len(), 1, "{w:?}");
    }
}
