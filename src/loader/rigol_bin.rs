//! Rigol `.bin` waveform exports: `RG01` (MSO5000, MSO7000/8000: 128-byte waveform
//! headers) and `RG03` (DHO800/DHO1000: 64-bit sizes), the container of
//! [`crate::loader::scope::bin_container`]. Several waveforms per file, float32 volts or u8 logic.
//!
//! Rigol stores x origin as the positive pre-trigger time (the DHO user guide calls it the
//! x of the first point; every capture we have stores +N/2·dx for a centred trigger, and the
//! DHO .wfm of the same acquisition agrees), so t0 = −x_origin.
//! Some MSO5074 firmware writes one container per channel back to back, declaring float32
//! buffers that hold one ADC byte per point; those read as unscaled u8 codes with a warning.

use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::bin_container::{self, BufferKind, Vendor};
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::ScopeMeta;
use std::fs::File;
use std::path::Path;

pub const NAME: &str = "rigol-bin";

/// The loader's handle on this format.
pub struct RigolBin;

impl crate::loader::Format for RigolBin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(sniff(head, extension), false)
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        crate::loader::layout::open_with(input, NAME, parse)
    }
}

const VENDOR: Vendor = Vendor {
    cookie: b"RG",
    format: NAME,
    title: "Rigol .bin",
    versions: &["01", "03"],
    versions_text: "RG01 (MSO5000/7000/8000), RG03 (DHO800/1000)",
    buffer_kind,
    x_origin_sign: -1.0,
};

/// Buffer types of the MSO5000/7000/8000 and DHO user guides. Type 5 is float32 counts
/// on the MSO5000 but u8 logic on the DHO: the byte width tells them apart.
fn buffer_kind(code: u16, bytes_per_point: u16) -> Option<BufferKind> {
    match (code, bytes_per_point) {
        (1, _) => Some(BufferKind::Analog("normal")),
        (2, _) => Some(BufferKind::Analog("max")),
        (3, _) => Some(BufferKind::Analog("min")),
        (4, _) => Some(BufferKind::Other("time values (float32)")),
        (5, 1) | (6, _) => Some(BufferKind::Logic),
        (5, _) => Some(BufferKind::Other("histogram counts (float32)")),
        _ => None,
    }
}

/// `RG` followed by two version digits.
pub fn sniff(head: &[u8], _extension: &str) -> bool {
    head.len() >= 4
        && head.starts_with(b"RG")
        && head
            .get(2..4)
            .is_some_and(|v| v.iter().all(u8::is_ascii_digit))
}

pub fn parse(file: &File, _path: &Path, size: u64) -> Result<Layout<ScopeMeta>, FormatError> {
    let src = Source::new(file, size);
    let container = bin_container::parse_containers(&src, &VENDOR)?;
    bin_container::to_layout(container, &VENDOR, size)
}
