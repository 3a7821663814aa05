//! Exact streaming summaries of per-cycle quantities, the least-squares clock fit and the
//! convex hulls that give its residual extremes in one pass.

use serde::Serialize;

/// Count, mean, M2 and extremes (with the sample where each first occurred) of a quantity
/// measured once per cycle, edge or pulse (Welford's update).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stat {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    min_at: u64,
    max: f64,
    max_at: u64,
}

/// The finished summary of a per-cycle quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub count: u64,
    pub mean: f64,
    /// Population standard deviation (ddof 0).
    pub std: f64,
    /// Root mean square of the values themselves.
    pub rms: f64,
    pub min: f64,
    /// Sample of the cycle, edge or pulse where `min` first occurred.
    pub min_at: u64,
    pub max: f64,
    pub max_at: u64,
}

impl Summary {
    pub fn peak_to_peak(&self) -> f64 {
        self.max - self.min
    }
}

impl Default for Stat {
    fn default() -> Self {
        Stat::EMPTY
    }
}

impl Stat {
    pub const EMPTY: Stat = Stat {
        n: 0,
        mean: 0.0,
        m2: 0.0,
        min: f64::INFINITY,
        min_at: 0,
        max: f64::NEG_INFINITY,
        max_at: 0,
    };

    /// Add `x`, measured at sample `at`; NaN is ignored.
    pub fn push(&mut self, x: f64, at: u64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        if x < self.min {
            (self.min, self.min_at) = (x, at);
        }
        if x > self.max {
            (self.max, self.max_at) = (x, at);
        }
    }

    /// None when nothing was measured.
    pub fn summary(&self) -> Option<Summary> {
        (self.n > 0).then(|| {
            let var = (self.m2 / self.n as f64).max(0.0);
            Summary {
                count: self.n,
                mean: self.mean,
                std: var.sqrt(),
                rms: (self.mean * self.mean + var).sqrt(),
                min: self.min,
                min_at: self.min_at,
                max: self.max,
                max_at: self.max_at,
            }
        })
    }
}

/// Least-squares line y = ȳ + slope·(x - x̄) through points added one at a time.
///
/// The residual sum of squares is updated directly (recursive least squares: each point adds
/// its prediction error squared, scaled by n/(n+1)·Sxx/Sxx'), a sum of positive terms. The
/// textbook Syy - Sxy²/Sxx would cancel catastrophically: for clock edges Syy grows like
/// n³·period² while the residuals stay at the jitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    n: u64,
    xbar: f64,
    ybar: f64,
    sxx: f64,
    sxy: f64,
    ssr: f64,
}

impl Fit {
    pub const EMPTY: Fit = Fit {
        n: 0,
        xbar: 0.0,
        ybar: 0.0,
        sxx: 0.0,
        sxy: 0.0,
        ssr: 0.0,
    };

    pub fn push(&mut self, x: f64, y: f64) {
        if self.n == 0 {
            (self.n, self.xbar, self.ybar) = (1, x, y);
            return;
        }
        let nf = (self.n + 1) as f64;
        let w = self.n as f64 / nf;
        let (dx, dy) = (x - self.xbar, y - self.ybar);
        let sxx = self.sxx + w * dx * dx;
        if self.sxx > 0.0 {
            let e = dy - self.slope() * dx;
            self.ssr += w * e * e * (self.sxx / sxx);
        }
        self.sxy += w * dx * dy;
        self.sxx = sxx;
        self.xbar += dx / nf;
        self.ybar += dy / nf;
        self.n += 1;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn slope(&self) -> f64 {
        if self.sxx > 0.0 {
            self.sxy / self.sxx
        } else {
            0.0
        }
    }

    /// The fitted y at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.ybar + self.slope() * (x - self.xbar)
    }

    /// RMS of the residuals.
    pub fn rms(&self) -> f64 {
        (self.ssr / self.n as f64).sqrt()
    }
}

/// Most hull vertices kept; beyond, the residual extremes are given up (a clock whose period
/// drifts steadily puts every edge on the hull).
pub(crate) const HULL_CAP: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: f64,
    y: f64,
    at: u64,
}

/// Upper and lower convex hulls of points added with increasing x (Andrew's monotone
/// chain): the largest and smallest residual against any line are attained at their
/// vertices, so the extremes against the final fit need no second pass.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hull {
    upper: Vec<Point>,
    lower: Vec<Point>,
    overflow: bool,
}

/// > 0 when o → a → b turns left.
fn cross(o: &Point, a: &Point, b: &Point) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

impl Hull {
    pub fn new() -> Hull {
        Hull {
            upper: Vec::new(),
            lower: Vec::new(),
            overflow: false,
        }
    }

    /// Add (x, y), remembered as sample `at`; x must exceed every earlier x.
    pub fn push(&mut self, x: f64, y: f64, at: u64) {
        if self.overflow {
            return;
        }
        let p = Point { x, y, at };
        while let [.., o, a] = self.upper[..] {
            if cross(&o, &a, &p) < 0.0 {
                break;
            }
            self.upper.pop();
        }
        self.upper.push(p);
        while let [.., o, a] = self.lower[..] {
            if cross(&o, &a, &p) > 0.0 {
                break;
            }
            self.lower.pop();
        }
        self.lower.push(p);
        if self.upper.len() + self.lower.len() > HULL_CAP {
            self.overflow = true;
            self.upper = Vec::new();
            self.lower = Vec::new();
        }
    }

    /// The largest and smallest of y - line(x) over all points, each with its `at`; None
    /// when empty or when the hull outgrew [`HULL_CAP`].
    pub fn extremes(&self, line: impl Fn(f64) -> f64) -> Option<((f64, u64), (f64, u64))> {
        let best = |pts: &[Point], better: fn(f64, f64) -> bool| {
            pts.iter()
                .map(|p| (p.y - line(p.x), p.at))
                .reduce(|a, b| if better(b.0, a.0) { b } else { a })
        };
        if self.overflow {
            return None;
        }
        Some((
            best(&self.upper, |a, b| a > b)?,
            best(&self.lower, |a, b| a < b)?,
        ))
    }
}

/// Samples split at a boundary that is known only later: runs go to `done` until a crossing
/// toward the other state, then to `pending`; a later crossing toward the other state makes
/// the pending ones part of `done` (the excursion came back), a switch closes `done` and the
/// pending runs start the next stretch. So a cycle or pulse ends at the last crossing before
/// the Schmitt switched, as its edge time does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Split<A> {
    done: A,
    pending: A,
    deferring: bool,
}

/// What a [`Split`] accumulates.
pub(crate) trait Merge: Copy {
    const EMPTY: Self;
    fn merge(&mut self, later: &Self);
}

impl Merge for super::run::Run {
    const EMPTY: Self = super::run::Run::EMPTY;
    fn merge(&mut self, later: &Self) {
        self.add(later);
    }
}

impl Merge for super::run::Ext {
    const EMPTY: Self = super::run::Ext::EMPTY;
    fn merge(&mut self, later: &Self) {
        self.add(later);
    }
}

impl<A: Merge> Split<A> {
    pub const EMPTY: Split<A> = Split {
        done: A::EMPTY,
        pending: A::EMPTY,
        deferring: false,
    };

    pub fn add(&mut self, a: &A) {
        if self.deferring {
            self.pending.merge(a);
        } else {
            self.done.merge(a);
        }
    }

    /// A crossing toward the other state: what was pending came back, so it counts.
    pub fn toward(&mut self) {
        let pending = std::mem::replace(&mut self.pending, A::EMPTY);
        self.done.merge(&pending);
        self.deferring = true;
    }

    /// The switch: returns the closed stretch; the pending runs open the next one.
    pub fn switch(&mut self) -> A {
        let done = std::mem::replace(&mut self.done, self.pending);
        self.pending = A::EMPTY;
        self.deferring = false;
        done
    }

    /// Everything taken since the last switch (at the end of a capture).
    pub fn all(&self) -> A {
        let mut a = self.done;
        a.merge(&self.pending);
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_matches_two_pass() {
        let xs = [3.0, -1.0, 4.0, -1.0, 5.0, 9.0, 2.0, 6.0];
        let mut s = Stat::EMPTY;
        for (i, &x) in xs.iter().enumerate() {
            s.push(x, 100 + i as u64);
        }
        let mean = xs.iter().sum::<f64>() / 8.0;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 8.0;
        let m = s.summary().unwrap();
        assert!((m.mean - mean).abs() < 1e-15 && (m.std - var.sqrt()).abs() < 1e-14);
        assert_eq!((m.min, m.min_at, m.max, m.max_at), (-1.0, 101, 9.0, 105));
        assert_eq!(Stat::EMPTY.summary(), None);
    }

    #[test]
    fn fit_residuals_match_the_closed_form() {
        // y = 2 + 0.5x + r with known residuals orthogonal to 1 and x: SSR = Σr².
        let r = [0.1, -0.2, 0.1, 0.0, 0.2, -0.4, 0.2];
        // make r orthogonal to x: subtract its projection
        let x: Vec<f64> = (0..7).map(f64::from).collect();
        let (xm, rm) = (3.0, r.iter().sum::<f64>() / 7.0);
        let sxx: f64 = x.iter().map(|v| (v - xm) * (v - xm)).sum();
        let b = x
            .iter()
            .zip(&r)
            .map(|(v, e)| (v - xm) * (e - rm))
            .sum::<f64>()
            / sxx;
        let res: Vec<f64> = x
            .iter()
            .zip(&r)
            .map(|(v, e)| e - rm - b * (v - xm))
            .collect();
        let mut f = Fit::EMPTY;
        for (v, e) in x.iter().zip(&res) {
            f.push(*v, 2.0 + 0.5 * v + e);
        }
        let ssr: f64 = res.iter().map(|e| e * e).sum();
        assert!((f.rms() - (ssr / 7.0).sqrt()).abs() < 1e-15, "{}", f.rms());
        assert!((f.slope() - 0.5).abs() < 1e-15 && (f.at(0.0) - 2.0).abs() < 1e-14);
    }

    #[test]
    fn fit_keeps_tiny_residuals_on_a_huge_ramp() {
        // 10^6 edges 1000 samples apart with ±2^-13 residuals (every y exact in f64):
        // Syy - Sxy²/Sxx would have nothing left. Alternating residuals are orthogonal to
        // the constant, nearly to k: rms = e·sqrt(1 - 3/n²).
        let (n, e) = (1_000_000u64, 2f64.powi(-13));
        let mut f = Fit::EMPTY;
        for k in 0..n {
            f.push(
                k as f64,
                1000.0 * k as f64 + if k % 2 == 0 { e } else { -e },
            );
        }
        // y ~ 1e9 carries rounding of ~1e-7 into ȳ and the predictions: 1e-4 relative
        // (the textbook form loses everything: Syy ~ 1e23 against SSR ~ 1e-2)
        assert!((f.rms() / e - 1.0).abs() < 1e-4, "{}", f.rms() / e);
    }

    #[test]
    fn hull_extremes_equal_a_scan() {
        let mut rng = crate::dsp::synth::Rng::new(11);
        let pts: Vec<(f64, f64)> = (0..5000)
            .map(|k| (k as f64, 0.01 * k as f64 + rng.gaussian()))
            .collect();
        let mut h = Hull::new();
        for (k, &(x, y)) in pts.iter().enumerate() {
            h.push(x, y, k as u64);
        }
        for slope in [-1.0, 0.0, 0.01, 0.3] {
            let line = |x: f64| 1.0 + slope * x;
            let ((hi, hi_at), (lo, lo_at)) = h.extremes(line).unwrap();
            let r: Vec<f64> = pts.iter().map(|&(x, y)| y - line(x)).collect();
            let want_hi = r.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let want_lo = r.iter().cloned().fold(f64::INFINITY, f64::min);
            assert_eq!((hi, r[hi_at as usize]), (want_hi, want_hi), "slope {slope}");
            assert_eq!((lo, r[lo_at as usize]), (want_lo, want_lo), "slope {slope}");
        }
        assert!(h.upper.len() < 100, "{} vertices", h.upper.len());
    }

    #[test]
    fn split_defers_until_the_switch() {
        use super::super::run::Ext;
        let e = |v: f64| Ext { min: v, max: v };
        let mut s = Split::<Ext>::EMPTY;
        s.add(&e(1.0));
        s.toward(); // an excursion that comes back...
        s.add(&e(2.0));
        s.toward(); // ...counts, as the next crossing shows
        s.add(&e(3.0));
        let closed = s.switch();
        assert_eq!((closed.min, closed.max), (1.0, 2.0));
        s.add(&e(4.0));
        assert_eq!((s.all().min, s.all().max), (3.0, 4.0));
    }
}
