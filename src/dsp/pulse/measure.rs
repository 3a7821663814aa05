//! Every transition, pulse and cycle of a two-state waveform, in IEEE 181-2011 terms.
//!
//! Given the state levels (base, top; amplitude A = top - base), the reference levels are
//! base + p·A for p = low, mid, high percent (10/50/90 unless set; `--threshold` replaces
//! the mid reference). A Schmitt trigger centred on the mid reference (hysteresis h) decides
//! transitions, so noise smaller than h/2 around the mid reference makes no edge:
//!
//! - a transition's instant (its 50 % reference level instant) is the last crossing of the
//!   mid reference before the Schmitt switched, interpolated linearly between the two
//!   samples around it;
//! - its start is the last crossing of the near reference (low for a rising transition)
//!   before that, its end the first crossing of the far reference after the switch; the
//!   transition duration (rise or fall time) is end - start;
//! - its aberration regions are the states around it: the post-transition region runs from
//!   the first sample within the state boundaries (level ± `state_band` % of A) after the
//!   switch to the last such sample before the next transition's mid crossing, and the
//!   pre-transition region is the previous state's. Overshoot, undershoot and preshoot are
//!   the excursions beyond the state level in those regions, in % of A.
//!
//! A cycle runs from one rising instant to the next: period, frequency, positive and negative
//! pulse widths, duty cycle and the mean/RMS of its samples. Jitter uses the rising instants.

use super::run::{Ext, Run, Tree};
use super::scan::{GateSpec, Instant, Level, Machine, Scan, Segment};
use super::stat::{Fit, Hull, Split, Stat, Summary};
use super::state_levels::StateLevels;
use super::{PulseError, positive};
use crate::sample::Sample;
use crate::sample::sink::ChannelSink;
use serde::Serialize;

/// Settings of a measurement pass.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureConfig {
    /// Low, mid and high reference levels in % of the amplitude (IEEE 181 default 10/50/90).
    pub references: [f64; 3],
    /// Replaces the mid reference level (volts): transitions are timed and detected there.
    pub threshold: Option<f64>,
    /// Schmitt hysteresis in volts; None: 6 noise sigmas of the state levels, bounded to
    /// 10..50 % of the amplitude.
    pub hysteresis: Option<f64>,
    /// Half-width of the state boundaries around each state level, in % of the amplitude;
    /// None: 2 %, or 4 noise sigmas of the state levels when that is wider (the boundaries
    /// then hold the noise of a settled state).
    pub state_band: Option<f64>,
    /// Seconds per sample; 1 reports every time in samples.
    pub sample_interval: f64,
    /// Keep a [`CycleRecord`] per cycle for [`Measurer::drain_cycles`].
    pub per_cycle: bool,
    /// Take TIE against this clock instead of the least-squares fit of the edges.
    pub clock: Option<Clock>,
}

impl Default for MeasureConfig {
    fn default() -> Self {
        MeasureConfig {
            references: [10.0, 50.0, 90.0],
            threshold: None,
            hysteresis: None,
            state_band: None,
            sample_interval: 1.0,
            per_cycle: false,
            clock: None,
        }
    }
}

/// An ideal clock: rising edge k (counted from 0, the first rising edge measured) is due
/// `first + k·period` seconds after sample 0 (the best fit when TIE was fitted).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Clock {
    pub first: f64,
    pub period: f64,
}

/// The levels a measurement used, in volts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct References {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
    pub hysteresis: f64,
    /// The Schmitt switches low below this and high above `schmitt_high`.
    pub schmitt_low: f64,
    pub schmitt_high: f64,
    /// State boundaries: a sample is within the low state at or below `base_boundary`,
    /// within the high state at or above `top_boundary`.
    pub base_boundary: f64,
    pub top_boundary: f64,
}

/// One cycle, from a rising instant to the next. Times in seconds (samples when the sample
/// interval is 1), aberrations and duty cycle in %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CycleRecord {
    /// Cycle number, from 0.
    pub cycle: u64,
    /// First sample of the cycle (the first at or after its rising instant).
    pub start: u64,
    /// The rising instant, from sample 0.
    pub time: f64,
    pub period: f64,
    pub frequency: f64,
    pub positive_width: f64,
    pub negative_width: f64,
    pub duty: f64,
    pub rise_time: Option<f64>,
    pub fall_time: Option<f64>,
    pub rise_overshoot: Option<f64>,
    pub rise_undershoot: Option<f64>,
    pub rise_preshoot: Option<f64>,
    pub fall_overshoot: Option<f64>,
    pub fall_undershoot: Option<f64>,
    pub fall_preshoot: Option<f64>,
    /// Mean, RMS and extremes of the cycle's samples.
    pub mean: f64,
    pub rms: f64,
    pub min: f64,
    pub max: f64,
}

/// Root mean square and peak-to-peak of a jitter sequence (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct JitterFigure {
    pub rms: f64,
    pub peak_to_peak: f64,
}

/// Time interval error of the rising instants against an ideal clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tie {
    /// The clock: the least-squares fit of instant against edge number, or the one given.
    pub clock: Clock,
    pub fitted: bool,
    pub edges: u64,
    pub rms: f64,
    /// None when the convex hulls outgrew their cap (a steadily drifting clock): measure
    /// again with [`MeasureConfig::clock`] set to `clock`.
    pub peak_to_peak: Option<f64>,
    /// Largest and smallest TIE and the samples of their edges.
    pub max: Option<(f64, u64)>,
    pub min: Option<(f64, u64)>,
}

/// Jitter of a clock-like signal, from its rising instants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Jitter {
    /// Period jitter: standard deviation and spread of the periods.
    pub period: JitterFigure,
    /// Cycle-to-cycle jitter: RMS and spread of the differences of consecutive periods.
    pub cycle_to_cycle: Option<JitterFigure>,
    pub tie: Option<Tie>,
}

/// Everything measured over a capture. Times in seconds, levels in volts, aberrations and
/// duty cycle in % (of the amplitude and of the period).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// Samples taken, and how many of them were NaN (left out of everything).
    pub samples: u64,
    pub nan: u64,
    pub levels: StateLevels,
    pub references: References,
    /// top - base.
    pub amplitude: f64,
    pub mean: f64,
    pub rms: f64,
    pub std: f64,
    pub min: f64,
    pub min_at: u64,
    pub max: f64,
    pub max_at: u64,
    pub peak_to_peak: f64,
    pub rising_edges: u64,
    pub falling_edges: u64,
    pub cycles: u64,
    /// Complete periods between like instants (rising to rising and falling to falling)
    /// over their total duration: 1 / the mean period, from either polarity (a record of
    /// two periods may hold one rising and two falling instants).
    pub frequency: Option<f64>,
    pub period: Option<Summary>,
    /// 1 / period, per cycle.
    pub cycle_frequency: Option<Summary>,
    pub positive_width: Option<Summary>,
    pub negative_width: Option<Summary>,
    pub duty: Option<Summary>,
    pub rise_time: Option<Summary>,
    pub fall_time: Option<Summary>,
    /// (high - low reference) / transition duration, volts per second (a magnitude).
    pub rise_slew: Option<Summary>,
    pub fall_slew: Option<Summary>,
    pub rise_overshoot: Option<Summary>,
    pub rise_undershoot: Option<Summary>,
    pub rise_preshoot: Option<Summary>,
    pub fall_overshoot: Option<Summary>,
    pub fall_undershoot: Option<Summary>,
    pub fall_preshoot: Option<Summary>,
    pub cycle_mean: Option<Summary>,
    pub cycle_rms: Option<Summary>,
    pub jitter: Option<Jitter>,
}

/// Streams a channel through the measurement; see the module documentation.
#[derive(Debug, Clone)]
pub struct Measurer {
    scan: Scan<true>,
    core: Core,
}

impl Measurer {
    /// Walk long runs of samples in `count` regions (0: one per core, the default) of at
    /// least `min_blocks` blocks of 64 samples; the results are the same for any split.
    #[cfg(test)]
    pub(crate) fn set_regions(&mut self, count: usize, min_blocks: usize) {
        self.scan.set_regions(count, min_blocks);
    }

    /// A measurement with state levels from a [`super::StateLevelEstimator`] pass or given.
    pub fn new(levels: &StateLevels, config: &MeasureConfig) -> Result<Measurer, PulseError> {
        let (base, top) = (levels.base, levels.top);
        let amp = top - base;
        if !(base.is_finite() && top.is_finite() && amp > 0.0 && amp.is_finite()) {
            return Err(PulseError::Levels { base, top });
        }
        let [lo, mi, hi] = config.references;
        if !(0.0 <= lo && lo < mi && mi < hi && hi <= 100.0) {
            return Err(PulseError::References {
                low: lo,
                mid: mi,
                high: hi,
            });
        }
        let dt = positive("sample interval", config.sample_interval)?;
        let (low, high) = (base + lo / 100.0 * amp, base + hi / 100.0 * amp);
        let mid = match config.threshold {
            Some(t) if t > low && t < high => t,
            Some(t) => {
                return Err(PulseError::Threshold {
                    threshold: t,
                    low,
                    high,
                });
            }
            None => base + mi / 100.0 * amp,
        };
        // both Schmitt thresholds strictly between the low and high references
        let max_h = 2.0 * (mid - low).min(high - mid);
        let hysteresis = match config.hysteresis {
            Some(h) if h >= 0.0 && h < max_h => h,
            Some(h) => {
                return Err(PulseError::Hysteresis {
                    hysteresis: h,
                    max: max_h,
                });
            }
            None => (6.0 * levels.noise)
                .clamp(0.1 * amp, 0.5 * amp)
                .min(0.9 * max_h),
        };
        let gate = GateSpec {
            threshold: mid,
            hysteresis,
        };
        let max_band = 100.0 * (top - gate.high()).min(gate.low() - base) / amp;
        let band = match config.state_band {
            Some(b) if b >= 0.0 && b < max_band => b,
            Some(b) => {
                return Err(PulseError::Band {
                    band: b,
                    max: max_band,
                });
            }
            None => (400.0 * levels.noise / amp).max(2.0).min(0.9 * max_band),
        };
        let band = band / 100.0 * amp;
        let refs = References {
            low,
            mid,
            high,
            hysteresis,
            schmitt_low: gate.low(),
            schmitt_high: gate.high(),
            base_boundary: base + band,
            top_boundary: top - band,
        };
        let (scan, ix) = Scan::new(
            0,
            &[Level::at(low), Level::at(mid), Level::at(high)],
            &[gate],
        )?;
        let ix = [ix.levels[0], ix.levels[1], ix.levels[2]];
        Ok(Measurer {
            scan,
            core: Core::new(*levels, refs, ix, dt, config),
        })
    }

    /// Take the next samples, in order. Sample numbers count from 0, or from the `start` of
    /// the first [`ChannelSink::take`].
    pub fn push<T: Sample>(&mut self, samples: &[T]) {
        self.scan.push(&mut self.core, samples);
    }

    /// The cycles completed so far (only with [`MeasureConfig::per_cycle`]), oldest first.
    pub fn drain_cycles(&mut self) -> std::vec::Drain<'_, CycleRecord> {
        self.core.records.drain(..)
    }

    /// The measurement of everything pushed, and the cycles not drained yet.
    pub fn finish(mut self) -> (Measurement, Vec<CycleRecord>) {
        self.scan.finish(&mut self.core);
        let m = self.core.measurement(self.scan.taken());
        (m, self.core.records)
    }
}

impl ChannelSink for Measurer {
    fn take<T: Sample>(&mut self, start: u64, samples: &[T]) {
        self.scan.set_origin(start);
        self.push(samples);
    }
}

/// A transition whose post-transition region is still open.
#[derive(Debug, Clone, Copy)]
struct Transition {
    rising: bool,
    at: Instant,
    start: Option<Instant>,
    end: Option<Instant>,
    preshoot: Option<f64>,
}

/// A transition whose state has ended.
#[derive(Debug, Clone, Copy)]
struct Closed {
    at: Instant,
    duration: Option<f64>,
    overshoot: Option<f64>,
    undershoot: Option<f64>,
    preshoot: Option<f64>,
}

/// The aberration region of the current state: from its first sample within the state
/// boundary to its last (runs after the last one wait in `pending`).
#[derive(Debug, Clone, Copy)]
struct Region {
    boundary: f64,
    upper: bool,
    started: bool,
    done: Ext,
    pending: Ext,
}

impl Region {
    fn new(boundary: f64, upper: bool) -> Region {
        Region {
            boundary,
            upper,
            started: false,
            done: Ext::EMPTY,
            pending: Ext::EMPTY,
        }
    }

    #[inline]
    fn within(&self, x: f64) -> bool {
        if self.upper {
            x >= self.boundary
        } else {
            x <= self.boundary
        }
    }

    fn reaches(&self, e: &Ext) -> bool {
        if self.upper {
            e.max >= self.boundary
        } else {
            e.min <= self.boundary
        }
    }

    /// Samples of the state (`last`: the last non-NaN one): they start the region, extend it
    /// when the last is within the boundary, or wait.
    fn take<T: Sample>(&mut self, ext: &Ext, last: f64, xs: &[T]) {
        let mut ext = *ext;
        let mut xs = xs;
        if !self.started {
            if !self.reaches(&ext) {
                return;
            }
            let Some(p) = xs.iter().position(|v| self.within(v.to_f64())) else {
                return;
            };
            self.started = true;
            if p > 0 {
                xs = &xs[p..];
                ext = Ext::of(xs);
            }
        }
        if !self.reaches(&ext) {
            self.pending.add(&ext);
            return;
        }
        let pending = std::mem::replace(&mut self.pending, Ext::EMPTY);
        self.done.add(&pending);
        // the typical block of a settled state ends within the boundary: no sample read
        if self.within(last) {
            self.done.add(&ext);
            return;
        }
        let q = xs
            .iter()
            .rposition(|v| self.within(v.to_f64()))
            .unwrap_or(0);
        self.done.add(&Ext::of(&xs[..=q]));
        self.pending = Ext::of(&xs[q + 1..]);
    }

    fn close(&self) -> Option<Ext> {
        self.started.then_some(self.done)
    }
}

/// `a·b` as hi + lo exactly (an FMA gives the rounding error of the product).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// Per-edge and per-cycle statistics.
#[derive(Debug, Clone, Default)]
struct Stats {
    period: Stat,
    frequency: Stat,
    positive_width: Stat,
    negative_width: Stat,
    duty: Stat,
    rise_time: Stat,
    fall_time: Stat,
    rise_slew: Stat,
    fall_slew: Stat,
    rise_overshoot: Stat,
    rise_undershoot: Stat,
    rise_preshoot: Stat,
    fall_overshoot: Stat,
    fall_undershoot: Stat,
    fall_preshoot: Stat,
    cycle_mean: Stat,
    cycle_rms: Stat,
    c2c: Stat,
}

/// Rising instants for the jitter figures.
#[derive(Debug, Clone)]
struct Edges {
    count: u64,
    first: Option<Instant>,
    /// First period, subtracted (k·p0) before fitting so the fitted values stay small.
    p0: f64,
    fit: Fit,
    hull: Hull,
    clock: Option<Clock>,
    against_clock: Stat,
}

impl Edges {
    fn push(&mut self, at: Instant, dt: f64) {
        let k = self.count;
        self.count += 1;
        let first = *self.first.get_or_insert(at);
        if k == 1 {
            self.p0 = at.since(&first);
        }
        // (at - first) - k·p0 with the product kept exact
        let (p, e) = two_prod(k as f64, self.p0);
        let y = (((at.sample as f64 - first.sample as f64) - p) - e) - (at.back - first.back);
        self.fit.push(k as f64, y);
        self.hull.push(k as f64, y, at.sample);
        if let Some(c) = self.clock {
            let due = c.first + k as f64 * c.period;
            self.against_clock.push(at.index() * dt - due, at.sample);
        }
    }

    fn tie(&self, dt: f64) -> Option<Tie> {
        let first = self.first?;
        if let Some(clock) = self.clock {
            let s = self.against_clock.summary()?;
            return Some(Tie {
                clock,
                fitted: false,
                edges: s.count,
                rms: s.rms,
                peak_to_peak: Some(s.peak_to_peak()),
                max: Some((s.max, s.max_at)),
                min: Some((s.min, s.min_at)),
            });
        }
        if self.fit.count() < 3 {
            return None;
        }
        let clock = Clock {
            first: (first.index() + self.fit.at(0.0)) * dt,
            period: (self.p0 + self.fit.slope()) * dt,
        };
        let ext = self.hull.extremes(|k| self.fit.at(k));
        Some(Tie {
            clock,
            fitted: true,
            edges: self.fit.count(),
            rms: self.fit.rms() * dt,
            peak_to_peak: ext.map(|((hi, _), (lo, _))| (hi - lo) * dt),
            max: ext.map(|((hi, at), _)| (hi * dt, at)),
            min: ext.map(|(_, (lo, at))| (lo * dt, at)),
        })
    }
}

/// The state machine over crossings and flips.
#[derive(Debug, Clone)]
struct Core {
    levels: StateLevels,
    refs: References,
    /// Level indices of the low, mid and high references.
    ix: [usize; 3],
    dt: f64,
    high: bool,
    /// Last mid-reference crossing toward the other state since the last switch.
    mid_cross: Option<Instant>,
    /// Last near-reference crossing toward the other state (the next transition's start).
    start_cross: Option<Instant>,
    /// The transition that began the current state.
    cur: Option<Transition>,
    region: Region,
    cycle: Split<Run>,
    last_rise: Option<Closed>,
    last_fall: Option<Closed>,
    last_period: Option<f64>,
    whole: Tree,
    min: (f64, u64),
    max: (f64, u64),
    rising: u64,
    falling: u64,
    cycles: u64,
    /// First and last instants of each polarity (falling, rising), for the frequency.
    span: [Option<(Instant, Instant)>; 2],
    last_rise_at: Option<Instant>,
    stats: Stats,
    edges: Edges,
    per_cycle: bool,
    records: Vec<CycleRecord>,
}

impl Core {
    fn new(
        levels: StateLevels,
        refs: References,
        ix: [usize; 3],
        dt: f64,
        config: &MeasureConfig,
    ) -> Core {
        Core {
            levels,
            refs,
            ix,
            dt,
            high: false,
            mid_cross: None,
            start_cross: None,
            cur: None,
            region: Region::new(refs.base_boundary, false),
            cycle: Split::EMPTY,
            last_rise: None,
            last_fall: None,
            last_period: None,
            whole: Tree::new(),
            min: (f64::INFINITY, 0),
            max: (f64::NEG_INFINITY, 0),
            rising: 0,
            falling: 0,
            cycles: 0,
            span: [None; 2],
            last_rise_at: None,
            stats: Stats::default(),
            edges: Edges {
                count: 0,
                first: None,
                p0: 0.0,
                fit: Fit::EMPTY,
                hull: Hull::new(),
                clock: config.clock,
                against_clock: Stat::EMPTY,
            },
            per_cycle: config.per_cycle,
            records: Vec::new(),
        }
    }

    /// The samples since the last boundary join the whole-capture and cycle statistics.
    fn take(&mut self, seg: &mut Segment) {
        if let Some((sums, ext)) = seg.take() {
            let run = sums.run(ext);
            self.whole.push(&run);
            self.cycle.add(&run);
        }
    }

    fn amplitude(&self) -> f64 {
        self.levels.top - self.levels.base
    }

    fn percent(&self, v: f64) -> f64 {
        100.0 * v / self.amplitude()
    }

    fn region_for(&self, high: bool) -> Region {
        if high {
            Region::new(self.refs.top_boundary, true)
        } else {
            Region::new(self.refs.base_boundary, false)
        }
    }

    /// The far reference crossed after the switch: the current transition is complete.
    fn end(&mut self, at: Instant) {
        if let Some(t) = &mut self.cur
            && t.end.is_none()
        {
            t.end = Some(at);
        }
    }

    /// Close transition `t`, whose post-transition region was `region`.
    fn close(&mut self, t: &Transition, region: Option<Ext>) -> Closed {
        let duration = self.record_duration(t);
        let (top, base) = (self.levels.top, self.levels.base);
        let (over, under) = match region {
            Some(e) if t.rising => (Some(e.max - top), Some(top - e.min)),
            Some(e) => (Some(base - e.min), Some(e.max - base)),
            None => (None, None),
        };
        let (over, under) = (
            over.map(|v| self.percent(v)),
            under.map(|v| self.percent(v)),
        );
        let at = t.at.sample;
        let s = &mut self.stats;
        let (o, u) = if t.rising {
            (&mut s.rise_overshoot, &mut s.rise_undershoot)
        } else {
            (&mut s.fall_overshoot, &mut s.fall_undershoot)
        };
        over.inspect(|&v| o.push(v, at));
        under.inspect(|&v| u.push(v, at));
        Closed {
            at: t.at,
            duration,
            overshoot: over,
            undershoot: under,
            preshoot: t.preshoot,
        }
    }

    /// The transition duration of `t` (seconds) when both its start and end were seen,
    /// added to the rise or fall statistics with its slew rate.
    fn record_duration(&mut self, t: &Transition) -> Option<f64> {
        let d = t.start.zip(t.end).map(|(s, e)| e.since(&s) * self.dt)?;
        let slew = (self.refs.high - self.refs.low) / d;
        let s = &mut self.stats;
        let (time, rate) = if t.rising {
            (&mut s.rise_time, &mut s.rise_slew)
        } else {
            (&mut s.fall_time, &mut s.fall_slew)
        };
        time.push(d, t.at.sample);
        rate.push(slew, t.at.sample);
        Some(d)
    }

    /// A rising instant after a complete cycle: its statistics and record.
    fn cycle_done(&mut self, at: Instant, run: &Run) {
        let (Some(r), Some(f)) = (self.last_rise, self.last_fall) else {
            return;
        };
        let dt = self.dt;
        let period = at.since(&r.at) * dt;
        let positive = f.at.since(&r.at) * dt;
        let duty = 100.0 * positive / period;
        let start = r.at.sample;
        let s = &mut self.stats;
        s.period.push(period, start);
        s.frequency.push(1.0 / period, start);
        s.duty.push(duty, start);
        s.cycle_mean.push(run.mean, start);
        s.cycle_rms.push(run.rms(), start);
        if let Some(p) = self.last_period {
            s.c2c.push(period - p, start);
        }
        self.last_period = Some(period);
        if self.per_cycle {
            self.records.push(CycleRecord {
                cycle: self.cycles,
                start,
                time: r.at.index() * dt,
                period,
                frequency: 1.0 / period,
                positive_width: positive,
                negative_width: at.since(&f.at) * dt,
                duty,
                rise_time: r.duration,
                fall_time: f.duration,
                rise_overshoot: r.overshoot,
                rise_undershoot: r.undershoot,
                rise_preshoot: r.preshoot,
                fall_overshoot: f.overshoot,
                fall_undershoot: f.undershoot,
                fall_preshoot: f.preshoot,
                mean: run.mean,
                rms: run.rms(),
                min: run.ext.min,
                max: run.ext.max,
            });
        }
        self.cycles += 1;
    }

    fn measurement(&mut self, samples: u64) -> Measurement {
        // the last transition's region is cut by the end of the capture: duration only
        if let Some(t) = self.cur.take() {
            self.record_duration(&t);
        }
        let w = self.whole.total();
        let s = &self.stats;
        let (periods, time) = self
            .span
            .iter()
            .zip([self.falling, self.rising])
            .filter_map(|(s, n)| s.map(|(a, b)| ((n - 1) as f64, b.since(&a))))
            .fold((0.0, 0.0), |(n, t), (dn, dt)| (n + dn, t + dt));
        let frequency = (periods > 0.0).then(|| periods / (time * self.dt));
        let jitter = s.period.summary().map(|p| Jitter {
            period: JitterFigure {
                rms: p.std,
                peak_to_peak: p.peak_to_peak(),
            },
            cycle_to_cycle: s.c2c.summary().map(|c| JitterFigure {
                rms: c.rms,
                peak_to_peak: c.peak_to_peak(),
            }),
            tie: self.edges.tie(self.dt),
        });
        let seen = w.n > 0;
        let pick = |v: f64| if seen { v } else { f64::NAN };
        Measurement {
            samples,
            nan: samples - w.n,
            levels: self.levels,
            references: self.refs,
            amplitude: self.amplitude(),
            mean: pick(w.mean),
            rms: w.rms(),
            std: pick((w.m2 / w.n as f64).sqrt()),
            min: pick(self.min.0),
            min_at: self.min.1,
            max: pick(self.max.0),
            max_at: self.max.1,
            peak_to_peak: pick(self.max.0 - self.min.0),
            rising_edges: self.rising,
            falling_edges: self.falling,
            cycles: self.cycles,
            frequency,
            period: s.period.summary(),
            cycle_frequency: s.frequency.summary(),
            positive_width: s.positive_width.summary(),
            negative_width: s.negative_width.summary(),
            duty: s.duty.summary(),
            rise_time: s.rise_time.summary(),
            fall_time: s.fall_time.summary(),
            rise_slew: s.rise_slew.summary(),
            fall_slew: s.fall_slew.summary(),
            rise_overshoot: s.rise_overshoot.summary(),
            rise_undershoot: s.rise_undershoot.summary(),
            rise_preshoot: s.rise_preshoot.summary(),
            fall_overshoot: s.fall_overshoot.summary(),
            fall_undershoot: s.fall_undershoot.summary(),
            fall_preshoot: s.fall_preshoot.summary(),
            cycle_mean: s.cycle_mean.summary(),
            cycle_rms: s.cycle_rms.summary(),
            jitter,
        }
    }
}

impl Machine for Core {
    fn init(&mut self, _gate: usize, high: bool) {
        self.high = high;
        self.region = self.region_for(high);
    }

    fn samples<T: Sample>(&mut self, start: u64, ext: &Ext, last: f64, xs: &[T]) {
        if ext.min < self.min.0 {
            let k = xs.iter().position(|v| v.to_f64() == ext.min).unwrap_or(0);
            self.min = (ext.min, start + k as u64);
        }
        if ext.max > self.max.0 {
            let k = xs.iter().position(|v| v.to_f64() == ext.max).unwrap_or(0);
            self.max = (ext.max, start + k as u64);
        }
        self.region.take(ext, last, xs);
    }

    fn end(&mut self, seg: &mut Segment) {
        self.take(seg);
    }

    fn takes(&self, level: usize, up: bool) -> bool {
        level == self.ix[1] && up && !self.high
    }

    fn takes_on_flip(&self, _gate: usize, up: bool) -> bool {
        up
    }

    fn crossing(&mut self, level: usize, up: bool, at: Instant, seg: &mut Segment) {
        let [low, mid, high] = self.ix;
        let toward = up != self.high;
        if level == mid && toward {
            self.mid_cross = Some(at);
            if up {
                self.take(seg);
                self.cycle.toward();
            }
        }
        // In the low state the low reference starts a rising transition (up) or ends the
        // falling one (down); the high reference does the same in the high state.
        let near = if self.high { high } else { low };
        if level == near {
            if toward {
                self.start_cross = Some(at);
            } else {
                self.end(at);
            }
        }
    }

    fn flip(&mut self, _gate: usize, up: bool, _sample: u64, seg: &mut Segment) {
        let region = self.region.close();
        let ended = self.cur.take();
        let mid = self.mid_cross.take();
        let start = self.start_cross.take();
        if let Some(t) = ended {
            let closed = self.close(&t, region);
            if t.rising {
                self.last_rise = Some(closed);
            } else {
                self.last_fall = Some(closed);
            }
        }
        self.high = up;
        self.region = self.region_for(up);
        // a switch without a mid crossing is the start-up state of a NaN first sample
        let Some(at) = mid else {
            return;
        };
        let (top, base) = (self.levels.top, self.levels.base);
        let preshoot = region.map(|e| self.percent(if up { base - e.min } else { e.max - top }));
        let s = &mut self.stats;
        if let Some(p) = preshoot {
            let stat = if up {
                &mut s.rise_preshoot
            } else {
                &mut s.fall_preshoot
            };
            stat.push(p, at.sample);
        }
        if let Some(t) = ended {
            let width = at.since(&t.at) * self.dt;
            let stat = if t.rising {
                &mut s.positive_width
            } else {
                &mut s.negative_width
            };
            stat.push(width, t.at.sample);
        }
        let span = &mut self.span[usize::from(up)];
        *span = Some((span.map_or(at, |s| s.0), at));
        if up {
            self.rising += 1;
            self.take(seg);
            let run = self.cycle.switch();
            if self.last_rise_at.is_some() {
                self.cycle_done(at, &run);
            }
            self.last_rise_at = Some(at);
            self.edges.push(at, self.dt);
        } else {
            self.falling += 1;
        }
        self.cur = Some(Transition {
            rising: up,
            at,
            start,
            end: None,
            preshoot,
        });
    }
}
