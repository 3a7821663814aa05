//! Streaming 1-Wire link layer decoder with libsigrokdecode's `onewire_link` semantics:
//! reset and presence pulses, read/write time slots at standard and overdrive speed,
//! overdrive entered on the Overdrive Skip/Match ROM commands (0x3C, 0x69) and left on a
//! standard-speed reset, and sigrok's timing warnings. Bits are also assembled into bytes
//! (LSB first, counted from each reset) as typed events, which render nothing (sigrok
//! shows bytes only in its `onewire_network` layer).
//!
//! Timing follows sigrok: a low pulse's length (falling to rising edge, in µs) classifies it
//! as a reset (≥ RSTL min), a slot (< SLOT max; bit 1 when shorter than LOWR max) or an
//! error; a slot ends at SLOT min after its falling edge, a presence pulse is looked for up
//! to PDH max after the reset's rising edge.

use super::{
    Annotate, Annotations, Decoder, Line, SetupError, Span, Wake, py_float, require_sample_rate,
    span,
};

/// One timing limit in µs: index 0 at standard speed, 1 at overdrive.
pub type Limit = [f64; 2];

/// sigrok's timing table (µs); the defaults are sigrok's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneWireTiming {
    pub rstl_min: Limit,
    pub rstl_max: Limit,
    pub rsth_min: Limit,
    pub pdh_min: Limit,
    pub pdh_max: Limit,
    pub pdl_min: Limit,
    pub pdl_max: Limit,
    pub slot_min: Limit,
    pub slot_max: Limit,
    pub rec_min: Limit,
    pub lowr_min: Limit,
    pub lowr_max: Limit,
}

impl Default for OneWireTiming {
    fn default() -> Self {
        OneWireTiming {
            rstl_min: [480.0, 48.0],
            rstl_max: [960.0, 80.0],
            rsth_min: [480.0, 48.0],
            pdh_min: [15.0, 2.0],
            pdh_max: [60.0, 6.0],
            pdl_min: [60.0, 8.0],
            pdl_max: [240.0, 24.0],
            slot_min: [60.0, 6.0],
            slot_max: [120.0, 16.0],
            rec_min: [1.0, 1.0],
            lowr_min: [1.0, 1.0],
            lowr_max: [15.0, 2.0],
        }
    }
}

/// Decoder options: sigrok's `overdrive` ("start in overdrive speed") and the timing table.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OneWireConfig {
    pub overdrive: bool,
    pub timing: OneWireTiming,
}

/// How a presence phase ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// No device pulled the line low in time.
    Absent,
    Present,
    /// A device answered but the line fell again before RSTH min ("Slave presence
    /// detected").
    PresentCutShort,
}

/// sigrok's warnings; `limit` is the timing limit broken, µs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OneWireWarning {
    /// The sample rate is too low (`must`) or lower than advised for the starting speed.
    SampleRate {
        must: bool,
        overdrive: bool,
    },
    RecoveryTooShort {
        limit: f64,
    },
    ResetTooLong {
        limit: f64,
    },
    LowTooShort {
        limit: f64,
    },
    /// A low pulse fits neither a reset nor a slot.
    Erroneous,
    PresenceTooEarly {
        limit: f64,
    },
    PresenceTooShort {
        limit: f64,
    },
    PresenceTooLong {
        limit: f64,
    },
    SlotTooShort {
        limit: f64,
    },
    /// The line fell again before RSTH min after a presence pulse.
    ResetHighTooShort {
        limit: f64,
    },
}

impl OneWireWarning {
    pub fn texts(&self) -> Vec<String> {
        let with = |texts: [&str; 2], tag: &str, limit: f64| {
            vec![
                texts[0].to_string(),
                texts[1].to_string(),
                format!("{tag}{}", py_float(limit)),
            ]
        };
        match *self {
            OneWireWarning::SampleRate { must, overdrive } => {
                let (low, advised, mode) = if overdrive {
                    ("2MHz", "5MHz", "overdrive")
                } else {
                    ("400kHz", "1MHz", "normal")
                };
                vec![if must {
                    format!(
                        "Sampling rate is too low. Must be above {low} for proper {mode} mode decoding."
                    )
                } else {
                    format!(
                        "Sampling rate is suggested to be above {advised} for proper {mode} mode decoding."
                    )
                }]
            }
            // sigrok's two first texts run together (a missing comma in its source).
            OneWireWarning::RecoveryTooShort { limit } => vec![
                "Recovery time not long enoughRecovery too short".into(),
                format!("REC < {}", py_float(limit)),
            ],
            OneWireWarning::ResetTooLong { limit } => with(
                [
                    "Too long reset pulse might mask interrupt signalling by other devices",
                    "Reset pulse too long",
                ],
                "RST > ",
                limit,
            ),
            OneWireWarning::LowTooShort { limit } => with(
                ["Low signal not long enough", "Low too short"],
                "LOW < ",
                limit,
            ),
            OneWireWarning::Erroneous => ["Erroneous signal", "Error", "Err", "E"]
                .map(String::from)
                .to_vec(),
            OneWireWarning::PresenceTooEarly { limit } => with(
                [
                    "Presence detect signal is too early",
                    "Presence detect too early",
                ],
                "PDH < ",
                limit,
            ),
            OneWireWarning::PresenceTooShort { limit } => with(
                [
                    "Presence detect signal is too short",
                    "Presence detect too short",
                ],
                "PDL < ",
                limit,
            ),
            OneWireWarning::PresenceTooLong { limit } => with(
                [
                    "Presence detect signal is too long",
                    "Presence detect too long",
                ],
                "PDL > ",
                limit,
            ),
            OneWireWarning::SlotTooShort { limit } => with(
                ["Time slot not long enough", "Slot too short"],
                "SLOT < ",
                limit,
            ),
            OneWireWarning::ResetHighTooShort { limit } => with(
                [
                    "Presence detect not long enough",
                    "Presence detect too short",
                ],
                "RTSH < ",
                limit,
            ),
        }
    }
}

/// One decoder output, in sigrok's emission order.
#[derive(Debug, Clone, PartialEq)]
pub enum OneWireEvent {
    /// A time slot: from its falling edge to its end.
    Bit {
        span: Span,
        value: u8,
    },
    /// The reset pulse: falling to rising edge.
    Reset {
        span: Span,
    },
    /// From the reset's rising edge to the end of the presence phase.
    Presence {
        span: Span,
        presence: Presence,
    },
    Overdrive {
        span: Span,
        on: bool,
    },
    Warning {
        span: Span,
        warning: OneWireWarning,
    },
    /// Eight bits since the last reset, LSB first (typed only).
    Byte {
        span: Span,
        value: u8,
    },
}

impl Annotate for OneWireEvent {
    const DECODER: &'static str = "onewire_link";
    const CLASSES: &'static [&'static str] = &["bit", "warning", "reset", "presence", "overdrive"];

    fn annotate(&self, out: &mut Annotations) {
        match self {
            OneWireEvent::Bit { span, value } => {
                let v = u64::from(*value);
                out.line(span.start, span.end, "bit", |t| {
                    t.open().str("Bit: ").dec(v).close();
                    t.open().dec(v).close();
                });
            }
            OneWireEvent::Reset { span } => out.push_span(*span, "reset", &["Reset", "Rst", "R"]),
            OneWireEvent::Presence { span, presence } => {
                let texts: [&str; 4] = match presence {
                    Presence::Absent => ["Presence: false", "Presence", "Pres", "P"],
                    Presence::Present => ["Presence: true", "Presence", "Pres", "P"],
                    Presence::PresentCutShort => {
                        ["Slave presence detected", "Slave present", "Present", "P"]
                    }
                };
                out.push_span(*span, "presence", &texts);
            }
            OneWireEvent::Overdrive { span, on } => {
                let texts = if *on {
                    ["Entering overdrive mode", "Overdrive on"]
                } else {
                    ["Exiting overdrive mode", "Overdrive off"]
                };
                out.push_span(*span, "overdrive", &texts);
            }
            OneWireEvent::Warning { span, warning } => {
                let texts = warning.texts();
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                out.push_span(*span, "warning", &texts);
            }
            OneWireEvent::Byte { .. } => {}
        }
    }
}

/// sigrok's states; each waits for one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for the line to be high.
    Initial,
    /// High: waiting for a falling edge.
    Idle,
    /// Low: waiting for the rising edge that classifies the pulse.
    Low,
    /// After a reset: a presence pulse (falling edge) or PDH max.
    PresenceHigh,
    /// In a presence pulse: its rising edge.
    PresenceLow,
    /// A slot: a falling edge (too short) or SLOT min.
    Slot,
    /// After a presence pulse: a falling edge (too short) or RSTH min.
    PresenceEnd,
}

/// Streaming 1-Wire link layer decoder; one signal: the OWR line.
#[derive(Debug, Clone)]
pub struct OneWireDecoder {
    rate: f64,
    config: OneWireConfig,
    next: Option<u64>,
    before: u8,
    state: State,
    /// The sample of the last match, and where edge searches resume.
    cursor: u64,
    scan: u64,
    /// The timeout of the current edge-or-timeout wait.
    target: u64,
    fall: u64,
    rise: u64,
    bit: u8,
    /// Bits of the ROM command after a presence pulse; -1 when not counting.
    bit_count: i32,
    command: u32,
    overdrive: bool,
    /// Byte assembly: bits so far, their value and where the byte began.
    byte_bits: u32,
    byte_value: u8,
    byte_start: u64,
}

impl OneWireDecoder {
    /// `sample_rate` None (the capture has none) is sigrok's `SamplerateError`.
    pub fn new(config: &OneWireConfig, sample_rate: Option<f64>) -> Result<Self, SetupError> {
        let rate = require_sample_rate(sample_rate)?;
        Ok(OneWireDecoder {
            rate,
            config: *config,
            next: None,
            before: 0,
            state: State::Initial,
            cursor: 0,
            scan: 0,
            target: 0,
            fall: 0,
            rise: 0,
            bit: 0,
            bit_count: -1,
            command: 0,
            overdrive: config.overdrive,
            byte_bits: 0,
            byte_value: 0,
            byte_start: 0,
        })
    }

    /// A fresh start at `start`, with sigrok's start-up checks.
    fn restart(&mut self, start: u64, out: &mut Vec<OneWireEvent>) {
        let config = self.config;
        if let Ok(fresh) = Self::new(&config, Some(self.rate)) {
            *self = fresh;
        }
        self.next = Some(start);
        self.cursor = start;
        self.scan = start;
        let (must, advised) = if config.overdrive {
            (2e6, 5e6)
        } else {
            (4e5, 1e6)
        };
        if self.rate < advised {
            out.push(OneWireEvent::Warning {
                span: span(start, start),
                warning: OneWireWarning::SampleRate {
                    must: self.rate < must,
                    overdrive: config.overdrive,
                },
            });
        }
    }

    fn speed(&self) -> usize {
        usize::from(self.overdrive)
    }

    /// `int((t / 1e6) * samplerate)`: a limit in samples.
    fn samples(&self, limit: Limit) -> u64 {
        ((limit[self.speed()] / 1_000_000.0) * self.rate) as u64
    }

    /// `((b - a) / samplerate) * 1e6`: a duration in µs (negative when b < a).
    fn micros(&self, a: u64, b: u64) -> f64 {
        let d = if b >= a {
            (b - a) as f64
        } else {
            -((a - b) as f64)
        };
        (d / self.rate) * 1_000_000.0
    }

    fn warn(&self, out: &mut Vec<OneWireEvent>, start: u64, end: u64, warning: OneWireWarning) {
        out.push(OneWireEvent::Warning {
            span: span(start, end),
            warning,
        });
    }

    /// Enters an edge-or-timeout state whose timeout is `limit` after `from`.
    fn wait_until(&mut self, state: State, from: u64, limit: Limit) {
        self.state = state;
        self.target = from.saturating_add(self.samples(limit)).max(self.cursor);
    }

    /// Runs the state's action for a match at `at`.
    fn on_match(&mut self, at: u64, wake: Wake, out: &mut Vec<OneWireEvent>) {
        self.cursor = at;
        self.scan = at + 1;
        let t = self.config.timing;
        let sp = self.speed();
        let edge_first = matches!(wake, Wake::Edge(_));
        match self.state {
            State::Initial => {
                self.rise = at;
                self.state = State::Idle;
            }
            State::Idle => {
                self.fall = at;
                if self.rise > 0 && self.micros(self.rise, self.fall) < t.rec_min[sp] {
                    let limit = t.rec_min[sp];
                    self.warn(
                        out,
                        self.fall,
                        self.rise,
                        OneWireWarning::RecoveryTooShort { limit },
                    );
                }
                self.state = State::Low;
            }
            State::Low => {
                self.rise = at;
                let time = self.micros(self.fall, self.rise);
                let (fall, rise) = (self.fall, self.rise);
                if time >= t.rstl_min[0] {
                    if time > t.rstl_max[0] {
                        let limit = t.rstl_max[0];
                        self.warn(out, fall, rise, OneWireWarning::ResetTooLong { limit });
                    }
                    if self.overdrive {
                        out.push(OneWireEvent::Overdrive {
                            span: span(fall, rise),
                            on: false,
                        });
                    }
                    self.overdrive = false;
                    self.reset(out);
                } else if self.overdrive && time >= t.rstl_min[1] && time < t.rstl_max[1] {
                    self.reset(out);
                } else if time < t.slot_max[sp] {
                    if time < t.lowr_min[sp] {
                        let limit = t.lowr_min[sp];
                        self.warn(out, fall, rise, OneWireWarning::LowTooShort { limit });
                    }
                    self.bit = u8::from(time < t.lowr_max[sp]);
                    self.wait_until(State::Slot, fall, t.slot_min);
                } else {
                    self.warn(out, fall, rise, OneWireWarning::Erroneous);
                    self.state = State::Idle;
                }
            }
            State::PresenceHigh => {
                let time = self.micros(self.rise, at);
                if edge_first {
                    if time < t.pdh_min[sp] {
                        let limit = t.pdh_min[sp];
                        self.warn(
                            out,
                            self.rise,
                            at,
                            OneWireWarning::PresenceTooEarly { limit },
                        );
                    }
                    self.fall = at;
                    self.state = State::PresenceLow;
                } else {
                    out.push(OneWireEvent::Presence {
                        span: span(self.rise, at),
                        presence: Presence::Absent,
                    });
                    self.state = State::Idle;
                }
            }
            State::PresenceLow => {
                let time = self.micros(self.fall, at);
                if time < t.pdl_min[sp] {
                    let limit = t.pdl_min[sp];
                    self.warn(
                        out,
                        self.fall,
                        at,
                        OneWireWarning::PresenceTooShort { limit },
                    );
                } else if time > t.pdl_max[sp] {
                    let limit = t.pdl_max[sp];
                    self.warn(
                        out,
                        self.fall,
                        at,
                        OneWireWarning::PresenceTooLong { limit },
                    );
                }
                if time > t.rsth_min[sp] {
                    self.rise = at;
                }
                self.wait_until(State::PresenceEnd, self.rise, t.rsth_min);
            }
            State::Slot => {
                if edge_first {
                    let limit = t.slot_min[sp];
                    self.warn(out, self.fall, at, OneWireWarning::SlotTooShort { limit });
                    self.fall = at;
                    self.state = State::Low;
                } else {
                    self.slot_end(at, out);
                    self.state = State::Idle;
                }
            }
            State::PresenceEnd => {
                if edge_first {
                    let limit = t.rsth_min[sp];
                    self.warn(
                        out,
                        self.fall,
                        at,
                        OneWireWarning::ResetHighTooShort { limit },
                    );
                    out.push(OneWireEvent::Presence {
                        span: span(self.rise, at),
                        presence: Presence::PresentCutShort,
                    });
                    self.fall = at;
                    self.state = State::Low;
                } else {
                    out.push(OneWireEvent::Presence {
                        span: span(self.rise, at),
                        presence: Presence::Present,
                    });
                    self.rise = at;
                    self.bit_count = 0;
                    self.command = 0;
                    self.state = State::Idle;
                }
            }
        }
    }

    fn reset(&mut self, out: &mut Vec<OneWireEvent>) {
        out.push(OneWireEvent::Reset {
            span: span(self.fall, self.rise),
        });
        self.byte_bits = 0;
        self.byte_value = 0;
        let pdh_max = self.config.timing.pdh_max;
        self.wait_until(State::PresenceHigh, self.rise, pdh_max);
    }

    /// A complete slot: the bit, the ROM command check and the byte assembly.
    fn slot_end(&mut self, at: u64, out: &mut Vec<OneWireEvent>) {
        let bit = self.bit;
        out.push(OneWireEvent::Bit {
            span: span(self.fall, at),
            value: bit,
        });
        if self.byte_bits == 0 {
            self.byte_start = self.fall;
        }
        self.byte_value |= bit << self.byte_bits;
        self.byte_bits += 1;
        if self.byte_bits == 8 {
            out.push(OneWireEvent::Byte {
                span: span(self.byte_start, at),
                value: self.byte_value,
            });
            self.byte_bits = 0;
            self.byte_value = 0;
        }
        if self.bit_count >= 0 {
            self.command += u32::from(bit) << self.bit_count.min(31);
            self.bit_count += 1;
        }
        if self.bit_count >= 8 {
            if self.command == 0x3c || self.command == 0x69 {
                self.overdrive = true;
                out.push(OneWireEvent::Overdrive {
                    span: span(at, at),
                    on: true,
                });
            }
            self.bit_count = -1;
        }
    }
}

impl Decoder for OneWireDecoder {
    type Event = OneWireEvent;

    /// One signal: `signals[0]` is the 1-Wire line.
    fn push(&mut self, start: u64, signals: &[&[u8]], out: &mut Vec<OneWireEvent>) {
        let Some(&levels) = signals.first() else {
            return;
        };
        if self.next != Some(start) {
            self.restart(start, out);
        }
        let line = Line {
            base: start,
            levels,
            before: self.before,
        };
        let end = line.end();
        loop {
            let wake = match self.state {
                State::Initial => line.find_level(self.scan, end, 1).map(Wake::Skip),
                State::Idle => line.find_edge_to(self.scan, end, 0).map(Wake::Edge),
                State::Low | State::PresenceLow => {
                    line.find_edge_to(self.scan, end, 1).map(Wake::Edge)
                }
                State::PresenceHigh | State::Slot | State::PresenceEnd => {
                    line.edge_or_skip(self.scan, self.target, 0)
                }
            };
            let Some(wake) = wake else {
                break;
            };
            let at = match wake {
                Wake::Edge(at) | Wake::Skip(at) | Wake::Both(at) => at,
            };
            self.on_match(at, wake, out);
        }
        self.scan = self.scan.max(end);
        self.before = levels.last().copied().unwrap_or(self.before);
        self.next = Some(end);
    }

    /// sigrok reports as it goes: nothing is pending at the end.
    fn finish(&mut self, _out: &mut Vec<OneWireEvent>) {}
}
