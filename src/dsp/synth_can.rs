//! Seeded CAN / CAN FD signal generator (decoder tests, benchmarks, a future
//! `generate can`).
//!
//! Frames are built bit by bit as ISO 11898-1:2015 sends them (dynamic stuffing, the FD
//! CRC field's stuff count and fixed stuff bits, the data phase at `fast_bitrate` between
//! the sample points of BRS and the CRC delimiter), optionally with one injected error
//! per frame. The output streams: the caller passes buffers of any size and gets the next
//! samples, logic levels (recessive = 1) or analog volts with edge ringing and noise; the
//! same configuration and seed give the same samples whatever the buffer sizes.

use super::decode::can::{CrcKind, DLC_LENGTHS, frame_crc, stuff_count_gray};
use super::decode::{SetupError, positive, require_sample_rate};
use super::synth_bus::{AnalogConfig, AnalogLine};

/// An error to put into a frame, so that tests can check it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inject {
    /// The first CRC bit inverted.
    Crc,
    /// Nobody acknowledges: the ACK slot stays recessive.
    Nack,
    /// The first dynamic stuff bit sent with the wrong level (six equal bits).
    Stuff,
    CrcDelimiter,
    AckDelimiter,
    /// The fourth EOF bit dominant.
    Eof,
}

/// One frame to send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CanFrameSpec {
    /// 11-bit (standard) or 29-bit (extended) identifier.
    pub id: u32,
    pub extended: bool,
    pub fd: bool,
    /// FD only: send the data phase at the fast bit rate.
    pub brs: bool,
    /// FD only: error state indicator (recessive = error passive).
    pub esi: bool,
    /// Classic only: a remote frame (no data field).
    pub remote: bool,
    /// 0..=15; the payload has `DLC_LENGTHS[dlc]` bytes (classic frames: at most 8 are
    /// sent, as the standard says).
    pub dlc: u8,
    /// The payload, padded with zeros or cut to the DLC's length.
    pub data: Vec<u8>,
    pub inject: Option<Inject>,
}

/// Everything the generator can vary.
#[derive(Debug, Clone, PartialEq)]
pub struct CanSynthConfig {
    pub sample_rate: f64,
    pub nominal_bitrate: f64,
    pub fast_bitrate: f64,
    /// Where in a bit the transmitter switches rate (percent), as a CAN FD node does at
    /// the sample points of BRS and the CRC delimiter.
    pub sample_point: f64,
    pub frames: Vec<CanFrameSpec>,
    /// Recessive time before the first frame, in nominal bits.
    pub lead_bits: f64,
    /// Recessive time after each frame's EOF, in nominal bits (3 are the intermission).
    pub gap_bits: f64,
    /// Total length; None: the frames once, with `lead_bits` of idle at both ends.
    pub samples: Option<u64>,
    /// With `samples`: send the frames again and again until the end.
    pub repeat: bool,
    /// Volts of the analog output (recessive = high), its edges and noise.
    pub analog: AnalogConfig,
    pub seed: u64,
}

impl Default for CanSynthConfig {
    fn default() -> Self {
        CanSynthConfig {
            sample_rate: 10e6,
            nominal_bitrate: 500e3,
            fast_bitrate: 2e6,
            sample_point: 70.0,
            frames: Vec::new(),
            lead_bits: 10.0,
            gap_bits: 20.0,
            samples: None,
            repeat: false,
            analog: AnalogConfig::default(),
            seed: 0,
        }
    }
}

/// Appends `n` bits of `value`, most significant first.
fn push_bits(bits: &mut Vec<u8>, value: u32, n: u32) {
    bits.extend((0..n).rev().map(|i| ((value >> i) & 1) as u8));
}

/// Dynamic bit stuffing: a complementary bit after five equal ones; returns the number of
/// stuff bits and whether the last bit sent is one.
struct Stuffer {
    out: Vec<u8>,
    run: u32,
    count: u32,
    last_is_stuff: bool,
    /// Index in `out` of the first stuff bit.
    first_stuff: Option<usize>,
}

impl Stuffer {
    fn new() -> Self {
        Stuffer {
            out: Vec::new(),
            run: 0,
            count: 0,
            last_is_stuff: false,
            first_stuff: None,
        }
    }

    fn push(&mut self, bit: u8) {
        self.run = if self.out.last() == Some(&bit) {
            self.run + 1
        } else {
            1
        };
        self.out.push(bit);
        self.last_is_stuff = false;
        if self.run == 5 {
            self.first_stuff.get_or_insert(self.out.len());
            self.out.push(1 - bit);
            self.run = 1;
            self.count += 1;
            self.last_is_stuff = true;
        }
    }
}

/// One bit on the wire: its level and its length in nominal and fast bit times.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WireBit {
    level: u8,
    nominal: f64,
    fast: f64,
}

/// The bits of a frame as sent, SOF to EOF.
fn frame_wire_bits(spec: &CanFrameSpec, sample_point: f64) -> Vec<WireBit> {
    let fd = spec.fd;
    let dlc = spec.dlc & 15;
    let len = if fd || !spec.remote {
        let n = usize::from(DLC_LENGTHS[usize::from(dlc)]);
        if fd { n } else { n.min(8) }
    } else {
        0
    };
    let mut data = spec.data.clone();
    data.resize(len, 0);

    // Header and data, destuffed.
    let mut bits = vec![0u8];
    let base_id = if spec.extended {
        spec.id >> 18
    } else {
        spec.id
    };
    push_bits(&mut bits, base_id & 0x7ff, 11);
    if spec.extended {
        bits.extend([1, 1]); // SRR, IDE
        push_bits(&mut bits, spec.id & 0x3_ffff, 18);
    }
    let rtr = u8::from(spec.remote && !fd);
    if spec.extended {
        bits.push(rtr); // RTR / RRS
        if fd {
            bits.extend([1, 0]); // FDF, res
        } else {
            bits.extend([0, 0]); // r1, r0
        }
    } else {
        bits.extend([rtr, 0]); // RTR / RRS, IDE
        bits.push(u8::from(fd)); // FDF / r0
        if fd {
            bits.push(0); // res
        }
    }
    let brs_index = fd.then_some(bits.len());
    if fd {
        bits.extend([u8::from(spec.brs), u8::from(spec.esi)]);
    }
    push_bits(&mut bits, u32::from(dlc), 4);
    for &b in &data {
        push_bits(&mut bits, u32::from(b), 8);
    }

    let mut stuffer = Stuffer::new();
    // Where BRS lies in the stuffed stream (to time the rate switch).
    let mut brs_wire = None;
    for (i, &b) in bits.iter().enumerate() {
        if Some(i) == brs_index {
            brs_wire = Some(stuffer.out.len());
        }
        stuffer.push(b);
    }
    let inject = spec.inject;
    if fd {
        // A stuff bit due at the end of the data is replaced by the first fixed one.
        if stuffer.last_is_stuff {
            stuffer.out.pop();
            stuffer.count -= 1;
        }
        let stuffed_len = stuffer.out.len();
        let gray = stuff_count_gray((stuffer.count % 8) as u8);
        let sbc = [gray[0], gray[1], gray[2], gray[0] ^ gray[1] ^ gray[2]];
        // ISO: CRC-17 up to 16 bytes (sigrok switches at 16 already, see can.rs).
        let kind = if len <= 16 {
            CrcKind::Crc17
        } else {
            CrcKind::Crc21
        };
        let width = if kind == CrcKind::Crc17 { 17 } else { 21 };
        let mut crc_input = stuffer.out[..stuffed_len].to_vec();
        crc_input.extend(sbc);
        let mut crc = frame_crc(kind, &crc_input);
        if inject == Some(Inject::Crc) {
            crc ^= 1 << (width - 1);
        }
        let mut field = sbc.to_vec();
        push_bits(&mut field, crc, width);
        // A fixed stuff bit before the field and after every four of its bits.
        let out = &mut stuffer.out;
        for chunk in field.chunks(4) {
            let last = out.last().copied().unwrap_or(1);
            out.push(1 - last);
            out.extend_from_slice(chunk);
        }
    } else {
        let mut crc = frame_crc(CrcKind::Crc15, &bits);
        if inject == Some(Inject::Crc) {
            crc ^= 1 << 14;
        }
        let mut crc_bits = Vec::new();
        push_bits(&mut crc_bits, crc, 15);
        for b in crc_bits {
            stuffer.push(b);
        }
    }
    if inject == Some(Inject::Stuff)
        && let Some(i) = stuffer.first_stuff
        && let Some(b) = stuffer.out.get_mut(i)
    {
        *b = 1 - *b;
    }
    let crc_delimiter = stuffer.out.len();
    let mut wire = stuffer.out;
    let flag = |what: Inject, good: u8| if inject == Some(what) { 1 - good } else { good };
    wire.push(flag(Inject::CrcDelimiter, 1));
    wire.push(flag(Inject::Nack, 0));
    wire.push(flag(Inject::AckDelimiter, 1));
    for i in 0..7 {
        wire.push(if i == 3 { flag(Inject::Eof, 1) } else { 1 });
    }

    // Timing: the data phase runs fast from BRS's sample point to the CRC delimiter's.
    let sp = sample_point / 100.0;
    let switch = match brs_wire {
        Some(b) if spec.brs => Some((b, crc_delimiter)),
        _ => None,
    };
    wire.iter()
        .enumerate()
        .map(|(i, &level)| {
            let (nominal, fast) = match switch {
                Some((b, _)) if i == b => (sp, 1.0 - sp),
                Some((b, d)) if i > b && i < d => (0.0, 1.0),
                Some((_, d)) if i == d => (1.0 - sp, sp),
                _ => (1.0, 0.0),
            };
            WireBit {
                level,
                nominal,
                fast,
            }
        })
        .collect()
}

/// Streaming CAN waveform source.
#[derive(Debug, Clone)]
pub struct CanSynth {
    cfg: CanSynthConfig,
    total: u64,
    pos: u64,
    /// Time elapsed at the end of the current level, in nominal and fast bit times (kept
    /// apart so that long streams do not drift).
    end_nominal: f64,
    end_fast: f64,
    end_sample: u64,
    level: u8,
    /// Bits of the current frame (and its gap), consumed from `next`.
    queue: Vec<WireBit>,
    next: usize,
    frames_sent: u64,
    done: bool,
    line: AnalogLine,
    scratch: Vec<u8>,
}

impl CanSynth {
    pub fn new(mut cfg: CanSynthConfig) -> Result<Self, SetupError> {
        require_sample_rate(Some(cfg.sample_rate))?;
        positive("nominal bitrate", cfg.nominal_bitrate)?;
        positive("fast bitrate", cfg.fast_bitrate)?;
        if !(0.0..=100.0).contains(&cfg.sample_point) {
            return Err(SetupError::SamplePoint {
                got: cfg.sample_point,
            });
        }
        cfg.repeat &= cfg.samples.is_some() && !cfg.frames.is_empty();
        let mut synth = CanSynth {
            total: 0,
            pos: 0,
            end_nominal: cfg.lead_bits.max(0.0),
            end_fast: 0.0,
            end_sample: 0,
            level: 1,
            queue: Vec::new(),
            next: 0,
            frames_sent: 0,
            done: false,
            line: AnalogLine::new(1, cfg.seed),
            scratch: Vec::new(),
            cfg,
        };
        synth.end_sample = synth.sample_at(synth.end_nominal, 0.0);
        synth.total = match synth.cfg.samples {
            Some(n) => n,
            None => synth.once_length(),
        };
        Ok(synth)
    }

    /// The first sample at or after the time `nominal` + `fast` bit times. A time that is
    /// a whole sample up to rounding (1.6 MS/s at 100k: 16 samples a bit, but 1/1e5 is not
    /// exact in binary) counts as that sample, so a level is never one sample late: that
    /// one-sample jitter made a decoder sampling at 75 % of a 4-sample bit misread it.
    fn sample_at(&self, nominal: f64, fast: f64) -> u64 {
        let rate = self.cfg.sample_rate;
        let x = nominal * (rate / self.cfg.nominal_bitrate) + fast * (rate / self.cfg.fast_bitrate);
        let whole = x.round();
        if (x - whole).abs() <= 1e-9 + x.abs() * 1e-12 {
            whole as u64
        } else {
            x.ceil() as u64
        }
    }

    /// Length of the frames sent once, with the lead idle at both ends.
    fn once_length(&self) -> u64 {
        let mut probe = self.clone();
        probe.cfg.repeat = false;
        while !probe.done {
            probe.advance();
        }
        probe.sample_at(
            probe.end_nominal + self.cfg.lead_bits.max(0.0),
            probe.end_fast,
        )
    }

    pub fn total_samples(&self) -> u64 {
        self.total
    }

    /// Queues the next frame and its gap; false when there is none.
    fn queue_frame(&mut self) -> bool {
        let n = self.cfg.frames.len() as u64;
        if n == 0 || (!self.cfg.repeat && self.frames_sent >= n) {
            return false;
        }
        let spec = &self.cfg.frames[(self.frames_sent % n) as usize];
        self.queue = frame_wire_bits(spec, self.cfg.sample_point);
        self.queue.push(WireBit {
            level: 1,
            nominal: self.cfg.gap_bits.max(0.0),
            fast: 0.0,
        });
        self.next = 0;
        self.frames_sent += 1;
        true
    }

    /// Moves to the next bit; after the last frame the line idles for good.
    fn advance(&mut self) {
        if self.next == self.queue.len() && !self.queue_frame() {
            self.done = true;
            self.level = 1;
            self.end_sample = u64::MAX;
            return;
        }
        let bit = self.queue[self.next];
        self.next += 1;
        self.level = bit.level;
        self.end_nominal += bit.nominal;
        self.end_fast += bit.fast;
        self.end_sample = self.sample_at(self.end_nominal, self.end_fast);
    }

    /// Writes the next logic levels (recessive = 1) into `out`; returns how many (0 at
    /// the end).
    pub fn fill_logic(&mut self, out: &mut [u8]) -> usize {
        let n = out
            .len()
            .min(usize::try_from(self.total - self.pos).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < n {
            if self.pos >= self.end_sample {
                self.advance();
                continue;
            }
            let run = (self.end_sample - self.pos).min((n - done) as u64) as usize;
            out[done..done + run].fill(self.level);
            done += run;
            self.pos += run as u64;
        }
        n
    }

    /// Writes the next analog samples (volts) into `out`; returns how many.
    pub fn fill_analog(&mut self, out: &mut [f32]) -> usize {
        let mut levels = std::mem::take(&mut self.scratch);
        levels.resize(out.len(), 0);
        let first = self.pos;
        let n = self.fill_logic(&mut levels);
        self.line
            .render(&self.cfg.analog, first, &levels[..n], &mut out[..n]);
        self.scratch = levels;
        n
    }
}
