//! Writing logic-analyzer files that the ecosystem's own tools open: sigrok sessions (`.sr`,
//! PulseView and sigrok-cli) and Value Change Dumps (`.vcd`, GTKWave, sigrok). Both take
//! interleaved frames of f64 values, one per channel, chunk by chunk; each channel says how
//! it is written ([`LogicKind`]). Rate, start time (VCD only: a session has no field for it)
//! and channel names travel.

use super::sr::SrWriter;
use super::vcd::VcdWriter;
use anyhow::Result;
use std::path::Path;

/// How one channel is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicKind {
    /// 0 or 1: a probe (`.sr`), a `wire 1` (`.vcd`).
    Logic,
    /// An unsigned integer of `width` bits (negative values as two's complement): `width`
    /// probes named `name[k]` (`.sr`), a `wire width` vector (`.vcd`).
    Integer { width: u32 },
    /// A real value: float32 (`.sr`), a `real` printed as f32 when `f32` says the values
    /// are f32, else as f64 (`.vcd`).
    Analog { f32: bool },
}

/// One channel of the output.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicChannel {
    pub name: String,
    pub kind: LogicKind,
}

/// What goes into a logic output.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicSpec {
    pub channels: Vec<LogicChannel>,
    /// Samples per second; None: written without one (`.sr`) or at one sample per second
    /// (`.vcd`).
    pub sample_rate: Option<f64>,
    /// Time of the first sample in seconds.
    pub start_time: Option<f64>,
}

/// The logic formats an output name can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicFormat {
    Sr,
    Vcd,
}

impl LogicFormat {
    /// `.sr` or `.vcd` (any case); None for other names.
    pub fn for_path(path: &Path) -> Option<LogicFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "sr" => Some(LogicFormat::Sr),
            "vcd" => Some(LogicFormat::Vcd),
            _ => None,
        }
    }
}

/// A `.sr` or `.vcd` being written; [`LogicWriter::finish`] moves it into place, dropping
/// it leaves nothing under the output name.
#[allow(clippy::large_enum_variant)] // one per run: its size does not matter
pub enum LogicWriter {
    Sr(SrWriter),
    Vcd(VcdWriter),
}

impl LogicWriter {
    pub fn create(path: &Path, format: LogicFormat, spec: &LogicSpec) -> Result<LogicWriter> {
        Ok(match format {
            LogicFormat::Sr => LogicWriter::Sr(SrWriter::create(path, spec)?),
            LogicFormat::Vcd => LogicWriter::Vcd(VcdWriter::create(path, spec)?),
        })
    }

    /// Interleaved frames: one value per channel of the spec, frame after frame.
    pub fn write_f64(&mut self, frames: &[f64]) -> Result<()> {
        match self {
            LogicWriter::Sr(w) => w.write_f64(frames),
            LogicWriter::Vcd(w) => w.write_f64(frames),
        }
    }

    pub fn finish(self) -> Result<()> {
        match self {
            LogicWriter::Sr(w) => w.finish(),
            LogicWriter::Vcd(w) => w.finish(),
        }
    }
}

/// The integer code of a logic or integer value: rounded, negative values as two's
/// complement of `width` bits.
pub(super) fn code(value: f64, width: u32) -> u64 {
    let v = value.round() as i64 as u64;
    if width >= 64 {
        v
    } else {
        v & ((1u64 << width) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pick_the_format() {
        assert_eq!(
            LogicFormat::for_path(Path::new("a/x.SR")),
            Some(LogicFormat::Sr)
        );
        assert_eq!(
            LogicFormat::for_path(Path::new("x.vcd")),
            Some(LogicFormat::Vcd)
        );
        assert_eq!(LogicFormat::for_path(Path::new("x.npy")), None);
        assert_eq!(LogicFormat::for_path(Path::new("sr")), None);
    }

    #[test]
    fn codes_wrap_negative_values() {
        assert_eq!(code(1.0, 1), 1);
        assert_eq!(code(-1.0, 8), 0xff);
        assert_eq!(code(300.0, 8), 44);
        assert_eq!(code(-2.0, 64), u64::MAX - 1);
    }
}
