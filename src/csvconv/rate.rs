//! Streaming time-column statistics and the choice of the sample rate.
//!
//! Each parse block keeps its own [`TimeStats`]; blocks merge in file order,
//! adding the step across the block boundary, so the result does not depend
//! on the block size. Min, max, zero and negative steps cover every row; the
//! median covers the first [`MEDIAN_STEPS`] steps only (bounded memory).

use super::{HeaderRate, MEDIAN_STEPS, StepStats};

/// Steps within this fraction of the median count as uniform sampling.
pub(crate) const UNIFORM_TOLERANCE: f64 = 0.01;

/// Line numbers are local to the block while it is parsed and become file lines when
/// the block is merged into the file's total ([`TimeStats::merge`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeStats {
    pub count: u64,
    pub first: f64,
    pub last: f64,
    /// Line of the first time.
    first_line: u64,
    /// Line of the first time smaller than the one before it.
    backwards_line: Option<u64>,
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
    /// Adds the time of the row at `line`.
    #[inline]
    pub fn push(&mut self, t: f64, line: u64) {
        if t.is_nan() {
            return;
        }
        if self.count == 0 {
            self.first = t;
            self.first_line = line;
            self.min = f64::INFINITY;
        } else {
            self.step(t - self.last, line);
        }
        self.last = t;
        self.count += 1;
    }

    #[inline]
    fn step(&mut self, s: f64, line: u64) {
        if s > 0.0 {
            self.min = self.min.min(s);
            self.max = self.max.max(s);
        } else if s == 0.0 {
            self.zero += 1;
        } else {
            self.negative += 1;
            self.backwards_line.get_or_insert(line);
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

    /// Appends the statistics of the rows that follow `self` in the file; `base` is the
    /// file line of `next`'s local line 0.
    pub fn merge(&mut self, next: &TimeStats, base: u64) {
        if next.count == 0 {
            return;
        }
        if self.count == 0 {
            let skip_steps = self.skip_steps;
            self.clone_from(next);
            self.skip_steps = skip_steps;
            self.first_line += base;
            self.backwards_line = next.backwards_line.map(|l| l + base);
            return;
        }
        self.step(next.first - self.last, base + next.first_line);
        if let Some(l) = next.backwards_line {
            self.backwards_line.get_or_insert(l + base);
        }
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

/// The rate the time column implies with its source text, or why it implies none.
fn rate_from_time(stats: &TimeStats, warnings: &mut Vec<String>) -> Result<(f64, String), String> {
    let backwards = || {
        format!(
            "time goes backwards {} time(s), first at line {}",
            stats.negative,
            stats.backwards_line.unwrap_or(stats.first_line)
        )
    };
    let Some(s) = stats.summary() else {
        return Err(match (stats.count, stats.negative) {
            (0 | 1, _) => "it holds one time only".to_string(),
            (_, 0) => format!(
                "it holds one value ({} s) on all {} rows",
                stats.first, stats.count
            ),
            _ => format!("it never increases ({})", backwards()),
        });
    };
    let span = stats.last - stats.first;
    if s.negative_steps > 0 {
        warnings.push(backwards());
    }
    let finite = |rate: f64, source: String| {
        if rate.is_finite() && rate > 0.0 {
            Ok((rate, source))
        } else {
            Err(format!(
                "its steps of {:e} s are too small to give a finite rate",
                s.median
            ))
        }
    };
    if stats.pairs() {
        warnings.push(format!(
            "every time stamp appears twice (min/max envelope pairs): {} rows = {} pairs; \
             the rate counts pairs",
            stats.count,
            stats.count / 2
        ));
        let stamps = (stats.count - s.zero_steps) as f64;
        return finite(
            (stamps - 1.0) / span,
            "time column: (time stamps - 1) / span".into(),
        );
    }
    if s.zero_steps == 0 && s.negative_steps == 0 && s.jitter <= UNIFORM_TOLERANCE {
        let rate = (stats.count - 1) as f64 / span;
        return finite(
            rate,
            "time column: (rows - 1) / span, steps uniform within 1%".into(),
        );
    }
    let rate = finite(
        1.0 / s.median,
        format!("time column: 1 / median step (first {MEDIAN_STEPS} steps)"),
    )?;
    warnings.push(format!(
        "time column is not uniform: steps {:.6e} to {:.6e} s, median {:.6e} s, jitter \
         (max-min)/median = {:.2}%, {} repeated time(s)",
        s.min,
        s.max,
        s.median,
        s.jitter * 100.0,
        s.zero_steps
    ));
    Ok(rate)
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
    let (from_time, no_time_rate) = match stats.map(|s| rate_from_time(s, &mut time_warnings)) {
        Some(Ok(r)) => (Some(r), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
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
        (None, None, None) => match &no_time_rate {
            Some(why) => (
                None,
                format!("unknown: no header value, and the time column gives none: {why}"),
            ),
            None => (None, "unknown: no header value and no time column".into()),
        },
    };
    if let Some(why) = &no_time_rate {
        warnings.push(format!("the time column gives no sample rate: {why}"));
    }
    warnings.extend(time_warnings);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Times on lines 1, 2, 3...
    fn stats(times: &[f64]) -> TimeStats {
        let mut s = TimeStats::default();
        (1..).zip(times).for_each(|(line, t)| s.push(*t, line));
        s
    }

    #[test]
    fn merge_equals_sequential() {
        let t: Vec<f64> = (0..1000)
            .map(|i| f64::from(i) * 1e-3 + f64::from(i % 7) * 1e-7)
            .collect();
        let whole = stats(&t);
        let mut a = stats(&t[..333]);
        a.merge(&stats(&t[333..700]), 333);
        a.merge(&stats(&t[700..]), 700);
        assert_eq!(a.summary(), whole.summary());
        assert_eq!(
            (a.count, a.first, a.last),
            (whole.count, whole.first, whole.last)
        );
    }

    #[test]
    fn backwards_line_survives_merges() {
        let t = [0.0, 1.0, 2.0, 3.0, 2.5, 4.0, 1.0];
        let whole = stats(&t);
        assert_eq!((whole.negative, whole.backwards_line), (2, Some(5)));
        for cut in 1..t.len() {
            let mut a = stats(&t[..cut]);
            a.merge(&stats(&t[cut..]), cut as u64);
            assert_eq!((a.negative, a.backwards_line), (2, Some(5)), "cut {cut}");
        }
        let mut empty = TimeStats::default();
        empty.merge(&stats(&t[3..]), 3);
        assert_eq!((empty.first_line, empty.backwards_line), (4, Some(5)));
    }

    #[test]
    fn time_columns_that_give_no_rate_say_why() {
        let why = |t: &[f64]| {
            let mut w = Vec::new();
            let (r, src) = choose_rate(None, None, Some(&stats(t)), &mut w);
            assert_eq!(r, None, "{t:?}");
            assert!(
                src.starts_with("unknown: no header value, and the time "),
                "{src}"
            );
            assert_eq!(w.len(), 1, "{w:?}");
            assert!(
                w[0].starts_with("the time column gives no sample rate: "),
                "{w:?}"
            );
            src
        };
        let s = why(&[3.0, 2.0, 1.0, 0.0]);
        assert!(
            s.contains("never increases (time goes backwards 3 time(s), first at line 2)"),
            "{s}"
        );
        let s = why(&[0.5; 4]);
        assert!(s.contains("one value (0.5 s) on all 4 rows"), "{s}");
        let tiny = [0.0, 5e-324, 1e-323, 1.5e-323];
        let s = why(&tiny);
        assert!(s.contains("too small to give a finite rate"), "{s}");
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
