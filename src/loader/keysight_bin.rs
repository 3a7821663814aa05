//! Keysight/Agilent InfiniiVision and Infiniium `.bin` waveform exports (`AG01`, `AG03`,
//! `AG10`): the shared container of [`crate::loader::scope::bin_container`], analog channels as float32
//! volts, logic pods as one byte per sample (8 logic channels each), segmented memory as
//! records repeating a label. X origin is the time of the first sample.
//!
//! Not stored, so not shown: volts/div, offset, probe, coupling, trigger (Keysight writes
//! those to the optional `.txt` setup file only).

use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::bin_container::{self, BufferKind, Vendor};
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::ScopeMeta;
use std::fs::File;
use std::path::Path;

pub const NAME: &str = "keysight-bin";

/// The loader's handle on this format.
pub struct KeysightBin;

impl crate::loader::Format for KeysightBin {
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
    cookie: b"AG",
    format: NAME,
    title: "Keysight .bin",
    versions: &["01", "03", "10"],
    versions_text: "AG01, AG03, AG10",
    buffer_kind,
    x_origin_sign: 1.0,
};

/// Buffer types of the Agilent 6000 / InfiniiVision manuals.
fn buffer_kind(code: u16, _bytes_per_point: u16) -> Option<BufferKind> {
    match code {
        1 => Some(BufferKind::Analog("normal")),
        2 => Some(BufferKind::Analog("max")),
        3 => Some(BufferKind::Analog("min")),
        4 => Some(BufferKind::Other("histogram counts (int32)")),
        5 | 6 => Some(BufferKind::Logic),
        _ => None,
    }
}

/// `AG` followed by two version digits.
pub fn sniff(head: &[u8], _extension: &str) -> bool {
    head.len() >= 4
        && head.starts_with(b"AG")
        && head
            .get(2..4)
            .is_some_and(|v| v.iter().all(u8::is_ascii_digit))
}

pub fn parse(file: &File, _path: &Path, size: u64) -> Result<Layout<ScopeMeta>, FormatError> {
    let src = Source::new(file, size);
    let container = bin_container::parse_containers(&src, &VENDOR)?;
    bin_container::to_layout(container, &VENDOR, size)
}
