//! Events in a waveform: edges, glitches, pulse widths, runts, window excursions, gaps and
//! slew rates, several conditions at once, reported in sample order.
//!
//! Every condition watches one or two thresholds, each a Schmitt gate (threshold ±
//! hysteresis/2, the shared trigger). A gate's edge is timed at the last crossing of its
//! threshold before it switched (linear interpolation between the two samples around it);
//! a pulse runs from one edge of a gate to the next, and its level is the extreme of the
//! samples in between. An event's `sample` is the first sample past its starting crossing.

use super::run::Ext;
use super::scan::{GateSpec, Instant, Level, Machine, Scan, Segment};
use super::stat::Split;
use super::{PulseError, positive};
use crate::sample::Sample;
use crate::sample::sink::ChannelSink;
use serde::Serialize;

/// Which edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slope {
    Rising,
    Falling,
    Either,
}

/// Which pulses: positive (high between a rising and a falling edge) or negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    Positive,
    Negative,
    Either,
}

impl Polarity {
    fn admits(self, positive: bool) -> bool {
        match self {
            Polarity::Positive => positive,
            Polarity::Negative => !positive,
            Polarity::Either => true,
        }
    }
}

/// A range of values: `>A`, `<B` or `A..B` (inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Above(f64),
    Below(f64),
    Between(f64, f64),
}

impl Bound {
    fn contains(self, x: f64) -> bool {
        match self {
            Bound::Above(a) => x > a,
            Bound::Below(b) => x < b,
            Bound::Between(a, b) => a <= x && x <= b,
        }
    }

    fn check(self, what: &'static str) -> Result<Bound, PulseError> {
        let ok = |v: f64| v >= 0.0 && v.is_finite();
        match self {
            Bound::Above(a) if ok(a) => Ok(self),
            Bound::Below(b) if ok(b) => Ok(self),
            Bound::Between(a, b) if ok(a) && ok(b) && a < b => Ok(self),
            Bound::Between(a, b) => Err(PulseError::Pair {
                what,
                low: a,
                high: b,
            }),
            Bound::Above(v) | Bound::Below(v) => Err(PulseError::NotPositive { what, value: v }),
        }
    }
}

/// One thing to look for. Times in seconds, levels in volts, rates in volts per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// `--edge`: edges at the finder's level.
    Edge(Slope),
    /// `--glitch <WIDTH`: pulses (either polarity) narrower than WIDTH.
    Glitch(f64),
    /// `--width`: pulses whose width is in the bound.
    Width(Polarity, Bound),
    /// `--runt LOW,HIGH`: pulses that cross one threshold and go back without crossing the
    /// other (a positive runt crosses LOW upward but not HIGH).
    Runt { low: f64, high: f64 },
    /// `--window LOW,HIGH`: excursions above HIGH or below LOW.
    Window { low: f64, high: f64 },
    /// `--gap >T`: no edge at the finder's level for longer than T.
    Gap(f64),
    /// `--slew`: transitions from LOW to HIGH (or back) whose slew rate is in the bound.
    Slew { low: f64, high: f64, rate: Bound },
}

/// Settings of a finder.
#[derive(Debug, Clone, PartialEq)]
pub struct FindConfig {
    /// The level edges, glitches, widths and gaps are timed at (volts).
    pub level: f64,
    /// Hysteresis of every threshold (volts): noise smaller than half of it makes no edge.
    pub hysteresis: f64,
    /// Seconds per sample; 1 gives times and widths in samples.
    pub sample_interval: f64,
    pub conditions: Vec<Condition>,
}

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Rising,
    Falling,
    PositiveGlitch,
    NegativeGlitch,
    PositivePulse,
    NegativePulse,
    PositiveRunt,
    NegativeRunt,
    Above,
    Below,
    HighGap,
    LowGap,
    RisingSlew,
    FallingSlew,
}

impl EventKind {
    /// The name written in `find`'s output (as serialised).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Rising => "rising",
            EventKind::Falling => "falling",
            EventKind::PositiveGlitch => "positive-glitch",
            EventKind::NegativeGlitch => "negative-glitch",
            EventKind::PositivePulse => "positive-pulse",
            EventKind::NegativePulse => "negative-pulse",
            EventKind::PositiveRunt => "positive-runt",
            EventKind::NegativeRunt => "negative-runt",
            EventKind::Above => "above",
            EventKind::Below => "below",
            EventKind::HighGap => "high-gap",
            EventKind::LowGap => "low-gap",
            EventKind::RisingSlew => "rising-slew",
            EventKind::FallingSlew => "falling-slew",
        }
    }
}

/// One event found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Event {
    /// First sample past the crossing where the event starts.
    pub sample: u64,
    /// That crossing's instant, from sample 0.
    pub time: f64,
    pub kind: EventKind,
    /// Duration (seconds); None for edges and for an excursion still open at the end.
    pub width: Option<f64>,
    /// Edges: the threshold. Pulses, glitches, runts and excursions: the extreme reached
    /// (max when positive or above). Gaps: the extreme of the idle stretch. Slews: the level
    /// the transition started from.
    pub level: f64,
    /// Slew events: the rate (V/s, a magnitude).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Index of the condition that found it.
    pub condition: usize,
}

/// A finished pulse of a gate: from one edge to the next.
#[derive(Debug, Clone, Copy)]
struct Pulse {
    positive: bool,
    start: Instant,
    width: f64,
    ext: Ext,
}

impl Pulse {
    fn peak(&self) -> f64 {
        if self.positive {
            self.ext.max
        } else {
            self.ext.min
        }
    }
}

/// The state of one gate: its threshold crossings, last edge and the open pulse.
#[derive(Debug, Clone)]
struct Track {
    threshold: f64,
    /// Level index of the threshold, and of the Schmitt's switching levels (low, high).
    level: usize,
    switch: (usize, usize),
    switch_levels: (f64, f64),
    high: bool,
    /// Last threshold crossing toward the other state: the next edge's instant.
    cross: Option<Instant>,
    last: Option<(bool, Instant)>,
    pulse: Split<Ext>,
    /// Conditions report this gate's edges, or its (negative, positive) pulses, whose events
    /// start at the last edge.
    edges: bool,
    pulses: [bool; 2],
    /// A slew condition uses it: its events start at `slew`.
    slews: bool,
    /// Last crossings of the switching levels (low, high) toward the other state since the
    /// last switch: a rising transition runs from the low one to the high one.
    slew: (Option<Instant>, Option<Instant>),
}

/// A condition and the gates it reads.
#[derive(Debug, Clone)]
enum Detector {
    Edge(Slope),
    Glitch(f64),
    Width(Polarity, Bound),
    Runt {
        low: usize,
        high: usize,
        positive: bool,
        negative: bool,
    },
    Window {
        low: usize,
        high: usize,
    },
    Gap(f64),
    Slew(Bound),
}

/// Finds the events of a channel; see the module documentation.
#[derive(Debug, Clone)]
pub struct Finder {
    scan: Scan<false>,
    core: Core,
}

#[derive(Debug, Clone)]
struct Core {
    dt: f64,
    tracks: Vec<Track>,
    /// Per condition: its detector and the gates it reads.
    detectors: Vec<(Detector, Vec<usize>)>,
    counts: Vec<u64>,
    /// Events not yet known to be in order, and those that are.
    pending: Vec<Event>,
    ready: Vec<Event>,
    /// Every event not yet in `ready` starts at or after this sample.
    horizon: u64,
}

impl Finder {
    /// Walk long runs of samples in `count` regions (0: one per core, the default) of at
    /// least `min_blocks` blocks of 64 samples; the results are the same for any split.
    #[cfg(test)]
    pub(crate) fn set_regions(&mut self, count: usize, min_blocks: usize) {
        self.scan.set_regions(count, min_blocks);
    }

    pub fn new(config: &FindConfig) -> Result<Finder, PulseError> {
        if config.conditions.is_empty() {
            return Err(PulseError::NoCondition);
        }
        let dt = positive("sample interval", config.sample_interval)?;
        let finite = |what, value: f64| {
            if value.is_finite() {
                Ok(value)
            } else {
                Err(PulseError::NotFinite { what, value })
            }
        };
        let level = finite("level", config.level)?;
        let h = config.hysteresis;
        if !(h >= 0.0 && h.is_finite()) {
            return Err(PulseError::NotFinite {
                what: "hysteresis (>= 0)",
                value: h,
            });
        }
        let pair = |what, low: f64, high: f64| {
            if low < high && low.is_finite() && high.is_finite() {
                Ok(())
            } else {
                Err(PulseError::Pair { what, low, high })
            }
        };
        let mut gates: Vec<GateSpec> = Vec::new();
        let mut gate = |threshold: f64, hysteresis: f64| {
            let spec = GateSpec {
                threshold,
                hysteresis,
            };
            gates.iter().position(|g| *g == spec).unwrap_or_else(|| {
                gates.push(spec);
                gates.len() - 1
            })
        };
        let mut detectors = Vec::new();
        // (conditions at the finder's level get its gate below)
        for c in &config.conditions {
            let d = match *c {
                Condition::Edge(s) => (Detector::Edge(s), vec![]),
                Condition::Glitch(w) => (Detector::Glitch(positive("glitch width", w)?), vec![]),
                Condition::Width(p, b) => (Detector::Width(p, b.check("pulse width")?), vec![]),
                Condition::Gap(t) => (Detector::Gap(positive("gap", t)?), vec![]),
                Condition::Runt { low, high } => {
                    pair("runt", low, high)?;
                    let (l, g) = (gate(low, h), gate(high, h));
                    (
                        Detector::Runt {
                            low: l,
                            high: g,
                            positive: false,
                            negative: false,
                        },
                        vec![l, g],
                    )
                }
                Condition::Window { low, high } => {
                    pair("window", low, high)?;
                    let (l, g) = (gate(low, h), gate(high, h));
                    (Detector::Window { low: l, high: g }, vec![l, g])
                }
                Condition::Slew { low, high, rate } => {
                    pair("slew levels", low, high)?;
                    let g = gate((low + high) / 2.0, high - low);
                    (Detector::Slew(rate.check("slew rate")?), vec![g])
                }
            };
            detectors.push(d);
        }
        // the conditions at the finder's level share one gate
        if detectors.iter().any(|(_, g)| g.is_empty()) {
            let main = gate(level, h);
            for (_, g) in &mut detectors {
                if g.is_empty() {
                    g.push(main);
                }
            }
        }
        let levels: Vec<_> = gates.iter().map(|g| Level::at(g.threshold)).collect();
        let (scan, ix) = Scan::new(0, &levels, &gates)?;
        let mut tracks: Vec<Track> = gates
            .iter()
            .zip(ix.levels.iter().zip(&ix.gates))
            .map(|(g, (&level, &switch))| Track {
                threshold: g.threshold,
                level,
                switch,
                switch_levels: (g.low(), g.high()),
                high: false,
                cross: None,
                last: None,
                pulse: Split::EMPTY,
                edges: false,
                pulses: [false; 2],
                slews: false,
                slew: (None, None),
            })
            .collect();
        for (d, g) in &detectors {
            match *d {
                Detector::Edge(_) => tracks[g[0]].edges = true,
                Detector::Slew(_) => tracks[g[0]].slews = true,
                Detector::Glitch(_) | Detector::Gap(_) => tracks[g[0]].pulses = [true; 2],
                Detector::Width(p, _) => {
                    let t = &mut tracks[g[0]];
                    t.pulses[0] |= p.admits(false);
                    t.pulses[1] |= p.admits(true);
                }
                Detector::Runt { low, high, .. } => {
                    tracks[low].pulses[1] = true;
                    tracks[high].pulses[0] = true;
                }
                Detector::Window { low, high } => {
                    tracks[high].pulses[1] = true;
                    tracks[low].pulses[0] = true;
                }
            }
        }
        let n = detectors.len();
        Ok(Finder {
            scan,
            core: Core {
                dt,
                tracks,
                detectors,
                counts: vec![0; n],
                pending: Vec::new(),
                ready: Vec::new(),
                horizon: 0,
            },
        })
    }

    /// Take the next samples, in order.
    pub fn push<T: Sample>(&mut self, samples: &[T]) {
        self.scan.push(&mut self.core, samples);
        self.core.release(Some(self.scan.walked()));
    }

    /// Every event not yet drained starts at or after this sample (`u64::MAX` once finished):
    /// with it, the events of several channels can be put in one order.
    pub fn horizon(&self) -> u64 {
        self.core.horizon
    }

    /// The events known so far to be final, in sample order.
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event> {
        self.core.ready.drain(..)
    }

    /// The remaining events (with window excursions still open at the end), and how many
    /// events each condition found.
    pub fn finish(mut self) -> (Vec<Event>, Vec<u64>) {
        self.scan.finish(&mut self.core);
        self.core.open_excursions();
        self.core.release(None);
        (self.core.ready, self.core.counts)
    }
}

impl ChannelSink for Finder {
    fn take<T: Sample>(&mut self, start: u64, samples: &[T]) {
        self.scan.set_origin(start);
        self.push(samples);
    }
}

impl Core {
    fn emit(
        &mut self,
        condition: usize,
        kind: EventKind,
        at: Instant,
        width: Option<f64>,
        level: f64,
    ) {
        self.counts[condition] += 1;
        self.pending.push(Event {
            sample: at.sample,
            time: at.index() * self.dt,
            kind,
            width,
            level,
            rate: None,
            condition,
        });
    }

    /// The samples since the last boundary join every gate's open pulse.
    fn take(&mut self, seg: &mut Segment) {
        if let Some((_, ext)) = seg.take() {
            for t in &mut self.tracks {
                t.pulse.add(&ext);
            }
        }
    }

    /// Move the events that start before every event still to come to `ready`, in order.
    /// Those still to come start at the edge that began a pulse some condition reports, at a
    /// crossing that may become an edge, or at a slew's start; else at `position` or later.
    fn release(&mut self, position: Option<u64>) {
        let mark = position.map(|p| {
            self.tracks
                .iter()
                .flat_map(|t| {
                    let open = t.last.filter(|&(rising, _)| t.pulses[usize::from(rising)]);
                    let reported = t.edges || t.pulses.contains(&true);
                    let slew = if t.high { t.slew.1 } else { t.slew.0 };
                    [
                        open.map(|(_, at)| at.sample),
                        t.cross.filter(|_| reported).map(|c| c.sample),
                        slew.filter(|_| t.slews).map(|c| c.sample),
                    ]
                })
                .flatten()
                .fold(p, u64::min)
        });
        self.pending
            .sort_by_key(|e| (e.sample, e.condition, e.kind as u8));
        let keep = mark.map_or(0, |m| self.pending.iter().filter(|e| e.sample >= m).count());
        let done = self.pending.len() - keep;
        self.ready.extend(self.pending.drain(..done));
        self.horizon = mark.unwrap_or(u64::MAX);
    }

    fn open_excursions(&mut self) {
        for c in 0..self.detectors.len() {
            if let (Detector::Window { low, high }, _) = self.detectors[c] {
                for (g, positive) in [(high, true), (low, false)] {
                    let t = &self.tracks[g];
                    if let Some((rising, at)) = t.last
                        && rising == positive
                        && t.high == positive
                    {
                        let ext = t.pulse.all();
                        let level = if positive { ext.max } else { ext.min };
                        let kind = if positive {
                            EventKind::Above
                        } else {
                            EventKind::Below
                        };
                        self.emit(c, kind, at, None, level);
                    }
                }
            }
        }
    }

    /// Gate `g` switched (`up`) at instant `at`, ending `pulse`.
    fn edge(&mut self, g: usize, up: bool, at: Instant, pulse: Option<Pulse>) {
        for c in 0..self.detectors.len() {
            if !self.detectors[c].1.contains(&g) {
                continue;
            }
            let width = pulse.map(|p| p.width * self.dt);
            let threshold = self.tracks[g].threshold;
            match &mut self.detectors[c].0 {
                Detector::Edge(slope) => {
                    let wanted = match slope {
                        Slope::Rising => up,
                        Slope::Falling => !up,
                        Slope::Either => true,
                    };
                    if wanted {
                        let kind = if up {
                            EventKind::Rising
                        } else {
                            EventKind::Falling
                        };
                        self.emit(c, kind, at, None, threshold);
                    }
                }
                Detector::Glitch(w) => {
                    if let Some(p) = pulse.filter(|p| p.width * self.dt < *w) {
                        let kind = if p.positive {
                            EventKind::PositiveGlitch
                        } else {
                            EventKind::NegativeGlitch
                        };
                        self.emit(c, kind, p.start, width, p.peak());
                    }
                }
                Detector::Width(pol, bound) => {
                    if let Some(p) = pulse
                        .filter(|p| pol.admits(p.positive) && bound.contains(p.width * self.dt))
                    {
                        let kind = if p.positive {
                            EventKind::PositivePulse
                        } else {
                            EventKind::NegativePulse
                        };
                        self.emit(c, kind, p.start, width, p.peak());
                    }
                }
                Detector::Gap(t) => {
                    if let Some(p) = pulse.filter(|p| p.width * self.dt > *t) {
                        let kind = if p.positive {
                            EventKind::HighGap
                        } else {
                            EventKind::LowGap
                        };
                        self.emit(c, kind, p.start, width, p.peak());
                    }
                }
                Detector::Runt {
                    low,
                    high,
                    positive,
                    negative,
                } => {
                    // A positive runt: the low gate rises and falls while the high gate
                    // stays low; a negative one: the high gate falls and rises while the low
                    // gate stays high. Flips of one sample come low gate first going up.
                    let (low, high) = (*low, *high);
                    let mut found = None;
                    if g == low && up {
                        *positive = true;
                    } else if g == low {
                        *negative = false;
                        if std::mem::take(positive) {
                            found = pulse.map(|p| (EventKind::PositiveRunt, p));
                        }
                    } else if g == high && up {
                        *positive = false;
                        if std::mem::take(negative) {
                            found = pulse.map(|p| (EventKind::NegativeRunt, p));
                        }
                    } else if g == high {
                        *negative = true;
                    }
                    if let Some((kind, p)) = found {
                        self.emit(c, kind, p.start, width, p.peak());
                    }
                }
                Detector::Window { low, high } => {
                    let found = if g == *high && !up {
                        Some(EventKind::Above)
                    } else if g == *low && up {
                        Some(EventKind::Below)
                    } else {
                        None
                    };
                    if let (Some(kind), Some(p)) = (found, pulse) {
                        self.emit(c, kind, p.start, width, p.peak());
                    }
                }
                Detector::Slew(bound) => {
                    let bound = *bound;
                    let t = &self.tracks[g];
                    let (lo, hi) = t.switch_levels;
                    let (from, to, start_level) = match (up, t.slew) {
                        (true, (Some(l), Some(h))) => (l, h, lo),
                        (false, (Some(l), Some(h))) => (h, l, hi),
                        _ => continue,
                    };
                    let duration = to.since(&from) * self.dt;
                    let rate = (hi - lo) / duration;
                    if bound.contains(rate) {
                        let kind = if up {
                            EventKind::RisingSlew
                        } else {
                            EventKind::FallingSlew
                        };
                        self.emit(c, kind, from, Some(duration), start_level);
                        if let Some(e) = self.pending.last_mut() {
                            e.rate = Some(rate);
                        }
                    }
                }
            }
        }
    }
}

impl Machine for Core {
    fn init(&mut self, gate: usize, high: bool) {
        self.tracks[gate].high = high;
    }

    fn end(&mut self, seg: &mut Segment) {
        self.take(seg);
    }

    fn takes(&self, level: usize, up: bool) -> bool {
        self.tracks.iter().any(|t| level == t.level && up != t.high)
    }

    fn takes_on_flip(&self, _gate: usize, _up: bool) -> bool {
        true
    }

    fn crossing(&mut self, level: usize, up: bool, at: Instant, seg: &mut Segment) {
        if self.takes(level, up) {
            self.take(seg);
        }
        for t in &mut self.tracks {
            let toward = up != t.high;
            if level == t.level && toward {
                t.cross = Some(at);
                t.pulse.toward();
            }
            if toward && level == t.switch.0 {
                t.slew.0 = Some(at);
            }
            if toward && level == t.switch.1 {
                t.slew.1 = Some(at);
            }
        }
    }

    fn flip(&mut self, gate: usize, up: bool, _sample: u64, seg: &mut Segment) {
        self.take(seg);
        let t = &mut self.tracks[gate];
        let pulse_ext = t.pulse.switch();
        let cross = t.cross.take();
        let last = t.last;
        t.high = up;
        let Some(at) = cross else {
            // the start-up state of a NaN first sample: no edge
            t.last = None;
            t.slew = (None, None);
            return;
        };
        t.last = Some((up, at));
        let pulse = last.map(|(rising, start)| Pulse {
            positive: rising,
            start,
            width: at.since(&start),
            ext: pulse_ext,
        });
        self.edge(gate, up, at, pulse);
        self.tracks[gate].slew = (None, None);
    }
}
