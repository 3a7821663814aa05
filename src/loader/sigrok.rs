//! sigrok session files (`.sr`, "srzip"): a zip holding `version`, a `metadata` key file
//! and the samples in chunks: `logic-1-1`, `logic-1-2`... of packed little-endian logic
//! words (`unitsize` bytes per sample, bit k = probe k+1) and `analog-1-C-1`... of float32
//! samples of channel C. Version 1 files hold one `logic-1` member.
//!
//! Presentation:
//! - logic only: one integer column (u8/u16/u32/u64 by unitsize; 3, 5, 6 and 7 byte words
//!   are widened) and one bit channel per named probe. Frames are the stored words, so the
//!   stream is a plain copy of the inflated bytes; `--raw-codes` shows the words themselves
//!   as one channel (`slice --raw-codes` writes what `sigrok-cli -O binary` writes).
//! - analog only: one f32 column per analog channel.
//! - both: every channel as an f32 column, probes as 0.0/1.0. A stream has one dtype, f32
//!   holds volts exactly and bits exactly; widening volts to f64 or squeezing them into
//!   integers would change them.
//!
//! Members are inflated on the fly by worker threads (`lanes`), a member at a time, never
//! the whole session; logic-only words are then read in place (`words`).

mod lanes;
mod metadata;
mod words;

use super::source::FrameSource;
use super::stream::{FrameStream, PulledFrames};
use super::{Channel, FormatDetails, Input, LoaderError, Sniff, Trace, TraceInfo};
use crate::sample::{DType, Endian};
use lanes::{Lane, Member, PosReader};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Read;
use std::sync::Arc;
use zip::ZipArchive;

/// The `metadata` member is a few hundred bytes; anything past this is not a session.
const MAX_METADATA_BYTES: u64 = 1 << 20;
/// Zip members a session may hold (a 1 TB capture in 1 MB chunks has a million).
const MAX_MEMBERS: usize = 4_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SigrokError {
    #[error("not a readable zip archive ({0}); a session cut short loses its central directory")]
    Zip(String),
    #[error("no '{0}' member: not a sigrok session")]
    MissingMember(&'static str),
    #[error("session version '{0}' is not supported (1 or 2 expected)")]
    Version(String),
    #[error("'{member}' is {size} bytes; more than the {limit} bytes a session's {member} has")]
    MemberTooBig {
        member: String,
        size: u64,
        limit: u64,
    },
    #[error("metadata: {key} = '{value}' is not {expected}")]
    BadMetadata {
        key: String,
        value: String,
        expected: &'static str,
    },
    #[error("metadata: {0}")]
    Inconsistent(String),
    #[error("{count} zip members; more than the {limit} a session may hold")]
    TooManyMembers { count: usize, limit: usize },
    #[error("member '{member}' after {offset} inflated bytes: {error}")]
    Member {
        member: String,
        offset: u64,
        error: String,
    },
    #[error("'{short}' ends after {short_samples} samples but '{long}' holds more")]
    LaneLengths {
        short: String,
        short_samples: u64,
        long: String,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Facts of a session for `tracekit info`.
#[derive(Debug, Clone, Serialize)]
pub struct SigrokMeta {
    pub version: u32,
    pub sigrok_version: Option<String>,
    pub samplerate_hz: Option<u64>,
    pub unitsize: Option<u64>,
    pub total_probes: Option<u64>,
    pub total_analog: Option<u64>,
    pub logic_members: usize,
    pub analog_members: usize,
    /// Bytes the members declare, inflated.
    pub inflated_bytes: u64,
    /// How the channels are presented (see the module doc).
    pub presentation: String,
    /// The named probes: name and bit of the logic word (probeN is bit N-1).
    pub probes: Vec<Probe>,
    /// The analog channels' names.
    pub analog: Vec<String>,
}

/// A named logic probe.
#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub name: String,
    pub bit: u32,
}

impl SigrokMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        vec![
            ("session version".into(), self.version.to_string()),
            (
                "written by".into(),
                self.sigrok_version.clone().unwrap_or_else(|| "-".into()),
            ),
            ("samplerate (Hz)".into(), opt(self.samplerate_hz)),
            ("unitsize".into(), opt(self.unitsize)),
            ("total probes".into(), opt(self.total_probes)),
            ("total analog".into(), opt(self.total_analog)),
            (
                "members".into(),
                format!(
                    "{} logic, {} analog",
                    self.logic_members, self.analog_members
                ),
            ),
            ("inflated bytes".into(), self.inflated_bytes.to_string()),
            ("presentation".into(), self.presentation.clone()),
        ]
    }
}

impl FormatDetails for SigrokMeta {
    fn json(&self) -> Map<String, Value> {
        super::keyed_json("sigrok", self)
    }

    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
        let mut probes: Vec<Vec<String>> = self
            .probes
            .iter()
            .map(|p| vec![p.name.clone(), "logic".into(), format!("bit {}", p.bit)])
            .collect();
        probes.extend(
            self.analog
                .iter()
                .map(|a| vec![a.clone(), "analog".into(), "f32".into()]),
        );
        vec![
            super::key_value_table("sigrok session", self.rows()),
            (
                vec!["channel".into(), "kind".into(), "stored as".into()],
                probes,
            ),
        ]
    }
}

/// The `.sr` format: a zip whose first member is `version`, or any zip named `.sr`.
pub struct Sigrok;

impl super::Format for Sigrok {
    fn name(&self) -> &'static str {
        "sigrok"
    }

    fn sniff(&self, head: &[u8], extension: &str) -> Sniff {
        // Any zip is a candidate .npz too: a session is known by its first member's name
        // (`version` in new files, `logic-1` or `metadata` first in old ones) or by `.sr`.
        let zip = head.starts_with(b"PK\x03\x04");
        let name_len = head
            .get(26..28)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize);
        let first = head.get(30..30 + name_len).unwrap_or_default();
        let session_member = [&b"version"[..], b"metadata", b"logic-1", b"analog-1"]
            .iter()
            .any(|m| first.starts_with(m));
        Sniff::by(
            zip && (session_member || extension == "sr"),
            extension == "sr",
        )
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let name = input.name.clone();
        open(input).map_err(|e| LoaderError::Invalid {
            path: name,
            what: "sigrok session",
            why: e.to_string(),
        })
    }
}

/// Read the central directory and the metadata; the frames come from worker threads
/// inflating the sample members as they are asked for.
fn open(input: Input<'_>) -> Result<Trace, SigrokError> {
    let mut archive = ZipArchive::new(PosReader::new(input.file, input.size))
        .map_err(|e| SigrokError::Zip(e.to_string()))?;
    if archive.len() > MAX_MEMBERS {
        return Err(SigrokError::TooManyMembers {
            count: archive.len(),
            limit: MAX_MEMBERS,
        });
    }
    let version_text = String::from_utf8_lossy(&read_small(&mut archive, "version", 16)?)
        .trim()
        .to_string();
    let version: u32 = match version_text.parse() {
        Ok(v @ (1 | 2)) => v,
        _ => return Err(SigrokError::Version(version_text)),
    };
    let text = read_small(&mut archive, "metadata", MAX_METADATA_BYTES)?;
    let meta = metadata::parse(&String::from_utf8_lossy(&text))?;
    let plan = Plan::new(&archive, &meta)?;
    let mut warnings = plan.warnings.clone();
    if !meta.other_devices.is_empty() {
        warnings.push(format!(
            "only [device 1] is read; also found {}",
            meta.other_devices.join(", ")
        ));
    }
    let dev = &meta.device;
    if dev.samplerate.is_none_or(|r| r == 0) {
        warnings.push("metadata has no samplerate: sample times are unknown; pass -r".into());
    }
    let columns = plan.columns();
    let shape = if columns == 1 {
        vec![plan.samples]
    } else {
        vec![plan.samples, columns as u64]
    };
    let mut info = TraceInfo::plain(
        input.name.clone(),
        "sigrok",
        (plan.dtype(), Endian::NATIVE),
        shape,
        Some(plan.samples),
        columns,
    )
    .map_err(|e| SigrokError::Inconsistent(e.to_string()))?;
    // Plain TraceInfo has one channel per column: with --raw-codes a logic-only session
    // stays that (the stored words, as `sigrok-cli -O binary` writes them).
    if !(input.opts.raw_codes && plan.analog.is_empty()) {
        info.channels = plan.channels();
    }
    info.sample_rate = dev.samplerate.filter(|&r| r > 0).map(|r| r as f64);
    info.rate_source = info.sample_rate.map(|_| "sigrok metadata".to_string());
    info.start_time = Some(0.0);
    info.file_size = Some(input.size);
    info.warnings = warnings;
    info.details = Some(Arc::new(SigrokMeta {
        version,
        sigrok_version: meta.sigrok_version.clone(),
        samplerate_hz: dev.samplerate,
        unitsize: dev.unitsize,
        total_probes: dev.total_probes,
        total_analog: dev.total_analog,
        logic_members: plan.logic_members.len(),
        analog_members: plan.analog.iter().map(|a| a.members.len()).sum(),
        inflated_bytes: plan.inflated_bytes,
        presentation: plan.presentation(),
        probes: plan
            .probes
            .iter()
            .map(|(bit, name)| Probe {
                name: name.clone(),
                bit: *bit,
            })
            .collect(),
        analog: plan.analog.iter().map(|a| a.name.clone()).collect(),
    }));
    let frame_bytes = info.frame_bytes();
    // Stored words that are the frames as they are: read in place, not copied.
    let in_place = plan.analog.is_empty()
        && plan.unitsize.is_power_of_two()
        && (plan.unitsize == 1 || cfg!(target_endian = "little"));
    let source: Box<dyn FrameSource> = if in_place {
        let lane = Lane::spawn(archive.clone(), plan.logic_members.clone());
        Box::new(words::WordFrames::new(
            lane,
            info.path.clone(),
            plan.unitsize,
        ))
    } else {
        let stream = SrStream::start(&archive, plan);
        Box::new(PulledFrames::new(stream, info.path.clone(), frame_bytes))
    };
    Ok(Trace { info, source })
}

/// Read a small member whole, refusing one larger than `limit`.
fn read_small(
    archive: &mut ZipArchive<PosReader>,
    name: &'static str,
    limit: u64,
) -> Result<Vec<u8>, SigrokError> {
    let bad = |e: zip::result::ZipError| SigrokError::Member {
        member: name.to_string(),
        offset: 0,
        error: e.to_string(),
    };
    let index = archive
        .index_for_name(name)
        .ok_or(SigrokError::MissingMember(name))?;
    let size = archive.by_index_data(index).map_err(bad)?.size();
    if size > limit {
        return Err(SigrokError::MemberTooBig {
            member: name.to_string(),
            size,
            limit,
        });
    }
    let mut out = Vec::with_capacity(size as usize);
    archive
        .by_index(index)
        .map_err(bad)?
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| SigrokError::Member {
            member: name.to_string(),
            offset: out.len() as u64,
            error: e.to_string(),
        })?;
    Ok(out)
}

/// One analog channel: its name and its members in chunk order.
#[derive(Debug, Clone)]
struct AnalogLane {
    name: String,
    members: Vec<Member>,
}

/// What the metadata and the member list say, checked against each other.
#[derive(Debug, Clone)]
struct Plan {
    /// Bytes per stored logic sample (0: no logic data).
    unitsize: usize,
    /// Named probes: (bit, name).
    probes: Vec<(u32, String)>,
    logic_members: Vec<Member>,
    analog: Vec<AnalogLane>,
    samples: u64,
    inflated_bytes: u64,
    warnings: Vec<String>,
}

impl Plan {
    fn new(
        archive: &ZipArchive<PosReader>,
        meta: &metadata::Metadata,
    ) -> Result<Plan, SigrokError> {
        let dev = &meta.device;
        let mut warnings = Vec::new();
        // (chunk number, index, name, size) of every member, by kind.
        let mut logic = Vec::new();
        let mut analog: Vec<Vec<(u64, Member, u64)>> = vec![Vec::new(); dev.analogs.len()];
        let capture = dev.capturefile.clone().unwrap_or_else(|| "logic-1".into());
        let mut ignored = Vec::new();
        for index in 0..archive.len() {
            let entry = archive
                .by_index_data(index)
                .map_err(|e| SigrokError::Zip(e.to_string()))?;
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            let size = entry.size();
            let member = Member {
                index,
                name: name.clone(),
            };
            if name == capture {
                logic.push((0, member, size));
            } else if let Some(n) = chunk_number(&name, &capture) {
                logic.push((n, member, size));
            } else if let Some((ch, n)) = analog_chunk(&name) {
                match dev.analogs.iter().position(|a| a.0 == ch) {
                    Some(k) => analog[k].push((n, member, size)),
                    None => ignored.push(name),
                }
            } else if name != "version" && name != "metadata" {
                ignored.push(name);
            }
        }
        if !ignored.is_empty() {
            warnings.push(format!("ignored members: {}", ignored.join(", ")));
        }
        logic.sort_by_key(|m| m.0);

        let mut probes = Vec::new();
        let unitsize = if logic.is_empty() {
            0
        } else {
            let unitsize = dev
                .unitsize
                .ok_or_else(|| SigrokError::Inconsistent("logic members but no unitsize".into()))?;
            if !(1..=8).contains(&unitsize) {
                return Err(SigrokError::BadMetadata {
                    key: "unitsize".into(),
                    value: unitsize.to_string(),
                    expected: "1 to 8 bytes",
                });
            }
            let bits = unitsize * 8;
            for (n, name) in &dev.probes {
                if *n > bits {
                    return Err(SigrokError::Inconsistent(format!(
                        "probe{n} '{name}' is bit {} but unitsize {unitsize} holds bits 0..{}",
                        n - 1,
                        bits - 1
                    )));
                }
                probes.push(((n - 1) as u32, name.clone()));
            }
            if let Some(total) = dev.total_probes.filter(|&t| t > bits) {
                warnings.push(format!(
                    "total probes = {total} but unitsize {unitsize} holds only {bits}"
                ));
            }
            unitsize as usize
        };
        let logic_bytes = sum_sizes(logic.iter().map(|m| m.2))?;
        let mut samples = None;
        if unitsize > 0 {
            let rest = logic_bytes % unitsize as u64;
            if rest != 0 {
                warnings.push(format!(
                    "logic data is {logic_bytes} bytes, not a multiple of unitsize {unitsize}: \
                     the last {rest} bytes are ignored"
                ));
            }
            samples = Some((logic_bytes / unitsize as u64, capture.clone()));
        }
        let mut lanes = Vec::new();
        let mut inflated_bytes = logic_bytes;
        for ((ch, name), mut members) in dev.analogs.iter().zip(analog) {
            if members.is_empty() {
                return Err(SigrokError::Inconsistent(format!(
                    "analog{ch} '{name}' has no analog-1-{ch}-N members"
                )));
            }
            members.sort_by_key(|m| m.0);
            let bytes = sum_sizes(members.iter().map(|m| m.2))?;
            inflated_bytes = inflated_bytes.saturating_add(bytes);
            let n = bytes / 4;
            match &samples {
                Some((s, other)) if *s != n => {
                    return Err(SigrokError::Inconsistent(format!(
                        "analog channel '{name}' holds {n} samples but '{other}' holds {s}"
                    )));
                }
                _ => samples = Some((n, name.clone())),
            }
            lanes.push(AnalogLane {
                name: name.clone(),
                members: members.into_iter().map(|m| m.1).collect(),
            });
        }
        Ok(Plan {
            unitsize,
            probes,
            logic_members: logic.into_iter().map(|m| m.1).collect(),
            analog: lanes,
            samples: samples.map_or(0, |s| s.0),
            inflated_bytes,
            warnings,
        })
    }

    fn mixed(&self) -> bool {
        self.unitsize > 0 && !self.analog.is_empty()
    }

    fn dtype(&self) -> DType {
        if self.analog.is_empty() {
            match self.unitsize {
                1 => DType::U8,
                2 => DType::U16,
                3 | 4 => DType::U32,
                _ => DType::U64,
            }
        } else {
            DType::F32
        }
    }

    /// Logic data present but none of it in the frames (no probe named in a mixed session)
    /// still needs its lane read to stay in step: it is.
    fn columns(&self) -> usize {
        if self.analog.is_empty() {
            usize::from(self.unitsize > 0)
        } else if self.mixed() {
            self.probes.len() + self.analog.len()
        } else {
            self.analog.len()
        }
    }

    fn channels(&self) -> Vec<Channel> {
        let mut out = Vec::new();
        if self.analog.is_empty() {
            for (bit, name) in &self.probes {
                out.push(Channel {
                    bit: Some(*bit),
                    ..named(name, 0)
                });
            }
            return out;
        }
        let mut column = 0;
        if self.mixed() {
            for (_, name) in &self.probes {
                out.push(named(name, column));
                column += 1;
            }
        }
        for lane in &self.analog {
            out.push(named(&lane.name, column));
            column += 1;
        }
        out
    }

    fn presentation(&self) -> String {
        let dtype = self.dtype();
        if self.analog.is_empty() {
            format!("logic words ({dtype}, one bit per probe)")
        } else if self.mixed() {
            "f32 frames: each probe 0/1, then each analog channel".into()
        } else {
            "f32 frames: one column per analog channel".into()
        }
    }
}

/// Column `column` under the file's name for it.
fn named(name: &str, column: usize) -> Channel {
    Channel {
        name: name.to_string(),
        ..Channel::plain(column)
    }
}

fn sum_sizes(mut sizes: impl Iterator<Item = u64>) -> Result<u64, SigrokError> {
    sizes.try_fold(0u64, |acc, s| {
        acc.checked_add(s)
            .ok_or_else(|| SigrokError::Inconsistent("member sizes overflow 64 bits".into()))
    })
}

/// `logic-1-7` → 7 (for capture file `logic-1`).
fn chunk_number(name: &str, capture: &str) -> Option<u64> {
    name.strip_prefix(capture)?.strip_prefix('-')?.parse().ok()
}

/// `analog-1-9-3` → (9, 3).
fn analog_chunk(name: &str) -> Option<(u64, u64)> {
    let (ch, n) = name.strip_prefix("analog-1-")?.split_once('-')?;
    Some((ch.parse().ok()?, n.parse().ok()?))
}

/// The frame stream over a session's lanes.
struct SrStream {
    logic: Option<(Lane, String)>,
    analog: Vec<(Lane, String)>,
    unitsize: usize,
    /// Bit of each probe column (mixed sessions).
    probe_bits: Vec<u32>,
    frames: Frames,
    /// Inflated bytes waiting to be turned into frames, one buffer per lane.
    scratch: Vec<Vec<u8>>,
    position: u64,
}

#[derive(Debug, Clone, Copy)]
enum Frames {
    /// Stored words copied as they are.
    Words,
    /// Words of 3, 5, 6 or 7 bytes widened to `to` bytes.
    Widen { to: usize },
    /// f32 columns: probes then analog channels.
    Float,
}

impl SrStream {
    fn start(archive: &ZipArchive<PosReader>, plan: Plan) -> SrStream {
        let logic = (plan.unitsize > 0).then(|| {
            let name = plan
                .logic_members
                .first()
                .map_or_else(|| "logic".to_string(), |m| m.name.clone());
            (
                Lane::spawn(archive.clone(), plan.logic_members.clone()),
                name,
            )
        });
        let analog: Vec<_> = plan
            .analog
            .iter()
            .map(|a| {
                (
                    Lane::spawn(archive.clone(), a.members.clone()),
                    a.name.clone(),
                )
            })
            .collect();
        let frames = if !plan.analog.is_empty() {
            Frames::Float
        } else if plan.unitsize == 0 || plan.unitsize.is_power_of_two() {
            Frames::Words
        } else {
            Frames::Widen {
                to: plan.dtype().size(),
            }
        };
        let probe_bits = if plan.mixed() {
            plan.probes.iter().map(|p| p.0).collect()
        } else {
            Vec::new()
        };
        SrStream {
            scratch: vec![Vec::new(); analog.len() + usize::from(logic.is_some())],
            logic,
            analog,
            unitsize: plan.unitsize,
            probe_bits,
            frames,
            position: 0,
        }
    }

    /// Read `frames` samples from every lane into `scratch`; returns how many every lane
    /// has. Lanes of unequal length are an error once the shorter one ends.
    fn gather(&mut self, frames: usize) -> Result<usize, SigrokError> {
        let mut lanes: Vec<(&mut Lane, &String, usize)> = Vec::new();
        if let Some((lane, name)) = &mut self.logic {
            lanes.push((lane, name, self.unitsize));
        }
        for (lane, name) in &mut self.analog {
            lanes.push((lane, name, 4));
        }
        let mut have: Vec<(usize, &String)> = Vec::new();
        for ((lane, name, unit), buf) in lanes.into_iter().zip(&mut self.scratch) {
            buf.clear();
            let got = lane.read(frames * unit, buf)?;
            have.push((got / unit, name));
        }
        let least = have.iter().map(|h| h.0).min().unwrap_or(0);
        if let Some(long) = have.iter().find(|h| h.0 > least) {
            let short = have.iter().find(|h| h.0 == least).map_or(long.1, |h| h.1);
            return Err(SigrokError::LaneLengths {
                short: short.clone(),
                short_samples: self.position + least as u64,
                long: long.1.clone(),
            });
        }
        Ok(least)
    }
}

impl FrameStream for SrStream {
    type Error = SigrokError;

    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, SigrokError> {
        let us = self.unitsize;
        let n = match (self.frames, &mut self.logic) {
            (Frames::Words, Some((lane, _))) => {
                let start = out.len();
                let got = lane.read(max * us, out)?;
                out.truncate(start + got / us * us);
                if cfg!(target_endian = "big") {
                    out[start..].chunks_exact_mut(us).for_each(<[u8]>::reverse);
                }
                got / us
            }
            (Frames::Widen { to }, _) => {
                let n = self.gather(max)?;
                for word in self.scratch[0].chunks_exact(us).take(n) {
                    let mut le = [0u8; 8];
                    le[..us].copy_from_slice(word);
                    let value = u64::from_le_bytes(le);
                    if to == 4 {
                        out.extend_from_slice(&(value as u32).to_ne_bytes());
                    } else {
                        out.extend_from_slice(&value.to_ne_bytes());
                    }
                }
                n
            }
            (Frames::Float, _) => {
                let n = self.gather(max)?;
                let (logic, analog) = if self.logic.is_some() {
                    self.scratch.split_at(1)
                } else {
                    self.scratch.split_at(0)
                };
                out.reserve(n * 4 * (self.probe_bits.len() + analog.len()));
                for i in 0..n {
                    if let Some(words) = logic.first() {
                        let mut le = [0u8; 8];
                        le[..us].copy_from_slice(&words[i * us..(i + 1) * us]);
                        let word = u64::from_le_bytes(le);
                        for &bit in &self.probe_bits {
                            let v = ((word >> bit) & 1) as f32;
                            out.extend_from_slice(&v.to_ne_bytes());
                        }
                    }
                    for lane in analog {
                        let v = f32::from_le_bytes([
                            lane[i * 4],
                            lane[i * 4 + 1],
                            lane[i * 4 + 2],
                            lane[i * 4 + 3],
                        ]);
                        out.extend_from_slice(&v.to_ne_bytes());
                    }
                }
                n
            }
            (Frames::Words, None) => 0,
        };
        self.position += n as u64;
        Ok(n)
    }

    fn skip(&mut self, n: u64) -> Result<u64, SigrokError> {
        let mut skipped = None::<u64>;
        if let Some((lane, _)) = &mut self.logic {
            skipped =
                Some(lane.discard(n.saturating_mul(self.unitsize as u64))? / self.unitsize as u64);
        }
        for (lane, _) in &mut self.analog {
            let got = lane.discard(n.saturating_mul(4))? / 4;
            skipped = Some(skipped.map_or(got, |s| s.min(got)));
        }
        let skipped = skipped.unwrap_or(0);
        self.position += skipped;
        Ok(skipped)
    }
}
