//! DHO800 / DHO1000 `.wfm` (magic `02 00 00 00`): undocumented by Rigol; layout
//! reverse-engineered by RigolWFM and checked here against the `.bin` export of the same
//! acquisitions (float32 volts, documented) sample by sample.
//!
//! ```text
//! 24-byte file header
//! metadata blocks   12-byte header (id, type, decompressed size, stored size, bytes used,
//!                   0 as u16) + content (zlib when the sizes differ), until an all-zero header
//! zero padding
//! data header       40 bytes: total samples u64 @0, sample interval in ADC ticks u32 @16,
//!                   points per channel u32 @24 (repeated @28)
//! samples           u16 codes, channels interleaved frame by frame
//! ```
//!
//! Channel blocks are ids 1-4 of type 9 (DHO1000) or 5 (DHO800): enabled flag @0,
//! volts/div s64 @1 (in 1e-8 V on the DHO1000, 1e-9 V on the DHO800), vertical position
//! @38 (s64 in 1e-8 V, DHO1000; s32 in 1e-9 V, DHO800). A division is 7500 codes and
//! mid-scale is code 32768, so `V = (code − 32768 − shift) · vdiv/7500`, where shift is the
//! position in whole codes, truncated toward zero: RigolWFM uses the exact position, which
//! is one code off whenever position/step is not an integer (DHO1074 CH1 and CH4 against
//! the .bin export; exact on all four channels with the truncation). One tick is 10 ns on
//! the DHO1000 and 0.8 ns on the DHO800. Block 282 holds the trigger position in percent
//! of the record @12.

use super::{Capture, NAME, ScopeChannel, check_points};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::{Fields, Source};
use crate::loader::scope::meta::ChannelMeta;
use crate::sample::DType;

const FILE_HEADER: usize = 24;
const BLOCK_HEADER: usize = 12;
const DATA_HEADER: usize = 40;
/// Metadata plus padding seen so far is ~3 KiB; refuse to look further than this.
const METADATA_LIMIT: u64 = 256 << 10;
const TYPE_DHO1000_CHANNEL: u16 = 9;
const TYPE_DHO800_CHANNEL: u16 = 5;
const TRIGGER_POSITION_BLOCK: u16 = 282;
const ADC_MIDPOINT: i128 = 32768;
const CODES_PER_DIV: i128 = 7500;

/// One metadata block, its content decompressed.
struct Block {
    id: u16,
    kind: u16,
    content: Vec<u8>,
}

pub(super) fn parse(src: &Source) -> Result<Capture, FormatError> {
    let meta_bytes = src.fields_upto("DHO metadata", 0, METADATA_LIMIT)?;
    let (blocks, blocks_end) = read_blocks(&meta_bytes)?;
    let is_dho800 = blocks
        .iter()
        .any(|b| b.kind == TYPE_DHO800_CHANNEL && (1..=4).contains(&b.id));
    let channel_kind = if is_dho800 {
        TYPE_DHO800_CHANNEL
    } else {
        TYPE_DHO1000_CHANNEL
    };
    let mut params: Vec<Params> = Vec::new();
    for b in blocks
        .iter()
        .filter(|b| b.kind == channel_kind && (1..=4).contains(&b.id))
    {
        params.push(channel_params(b, is_dho800)?);
    }
    params.sort_by_key(|p| p.id);
    // The data header follows the zero padding after the last block.
    let data_header = (blocks_end..meta_bytes.bytes().len())
        .find(|&i| meta_bytes.bytes().get(i).is_some_and(|&b| b != 0))
        .ok_or_else(|| FormatError::Short {
            what: "DHO data header after the metadata padding".into(),
            offset: blocks_end as u64,
            need: DATA_HEADER as u64,
            have: src.size(),
        })?;
    let d = src.fields("DHO data header", data_header as u64, DATA_HEADER as u64)?;
    let total = d.u64(0)?;
    let ticks = d.u32(16)?;
    let points = u64::from(d.u32(24)?);
    if points == 0 || points != u64::from(d.u32(28)?) {
        return Err(FormatError::bad(
            NAME,
            format!("DHO points per channel at offset {}", data_header + 24),
            format!("{points} and {}", d.u32(28)?),
            "two equal non-zero copies",
        ));
    }
    // The DHO1000 adds a few dozen to the total: round instead of dividing exactly.
    let lanes = (total as f64 / points as f64).round() as u64;
    if !(1..=4).contains(&lanes) {
        return Err(FormatError::bad(
            NAME,
            "DHO channel count (total samples / points)",
            format!("{total} / {points}"),
            "1 to 4 channels",
        ));
    }
    let data_start = data_header as u64 + DATA_HEADER as u64;
    check_points(src, "DHO samples", points, 2 * lanes, data_start)?;
    let mut warnings = Vec::new();
    let enabled: Vec<&Params> = params.iter().filter(|p| p.enabled).collect();
    let slots: Vec<Params> = if enabled.len() as u64 == lanes {
        enabled.into_iter().cloned().collect()
    } else {
        warnings.push(format!(
            "{} channel blocks are enabled but the data holds {lanes} channels: taken as CH1..CH{lanes}",
            enabled.len()
        ));
        (1..=lanes as u16)
            .map(|id| {
                params
                    .iter()
                    .find(|p| p.id == id)
                    .cloned()
                    .unwrap_or(Params {
                        id,
                        enabled: true,
                        volts_per_div: CODES_PER_DIV as f64,
                        shift_codes: 0,
                    })
            })
            .collect()
    };
    let mut channels = Vec::new();
    for (lane, p) in slots.into_iter().enumerate() {
        let scale = p.volts_per_div / CODES_PER_DIV as f64;
        let offset = -((ADC_MIDPOINT + p.shift_codes) as f64) * scale;
        let meta = ChannelMeta {
            name: format!("CH{}", p.id),
            volts_per_div: Some(p.volts_per_div),
            offset: Some(p.shift_codes as f64 * scale),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: data_start + 2 * lane as u64,
            samples: points,
            stride: 2 * lanes,
        };
        channels.push(ScopeChannel::codes(meta, DType::U16, run, scale, offset));
    }
    let tick = if is_dho800 { 0.8e-9 } else { 10e-9 };
    let dt = f64::from(ticks) * tick;
    if dt <= 0.0 {
        return Err(FormatError::bad(
            NAME,
            "DHO sample interval",
            "0 ticks",
            "at least one tick",
        ));
    }
    let percent = trigger_percent(&blocks).unwrap_or_else(|| {
        warnings.push("no trigger position block: trigger assumed at the centre".into());
        50.0
    });
    Ok(Capture {
        family: if is_dho800 { "DHO800" } else { "DHO1000" },
        model: None,
        serial: None,
        firmware: None,
        acquisition: None,
        samples: points,
        sample_rate: 1.0 / dt,
        t0: -(percent / 100.0) * points as f64 * dt,
        time_per_div: None,
        time_offset: None,
        screen_divisions: 10.0,
        trigger: None,
        channels,
        warnings,
    })
}

/// The metadata blocks and the offset just past the terminator.
fn read_blocks(bytes: &Fields) -> Result<(Vec<Block>, usize), FormatError> {
    let mut at = FILE_HEADER;
    let mut blocks = Vec::new();
    loop {
        let id = bytes.u16(at)?;
        let kind = bytes.u16(at + 2)?;
        let decompressed = bytes.u16(at + 4)?;
        let stored = bytes.u16(at + 6)?;
        let used = bytes.u16(at + 8)?;
        if used == 0 && stored == 0 {
            return Ok((blocks, at + BLOCK_HEADER));
        }
        if stored > used {
            return Err(FormatError::bad(
                NAME,
                format!("DHO block {id} stored size at offset {at}"),
                stored,
                format!("at most the {used} bytes the block uses"),
            ));
        }
        let raw = bytes.slice(at + BLOCK_HEADER, usize::from(stored))?;
        let content = if stored == decompressed {
            raw.to_vec()
        } else {
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(raw, usize::from(decompressed))
                .map_err(|e| {
                    FormatError::bad(
                        NAME,
                        format!("DHO block {id} at offset {at}"),
                        format!("zlib error {:?}", e.status),
                        format!("a zlib stream of {decompressed} bytes"),
                    )
                })?
        };
        blocks.push(Block { id, kind, content });
        at += BLOCK_HEADER + usize::from(used);
    }
}

/// One channel block: volts/div and the vertical position in whole codes.
#[derive(Clone)]
struct Params {
    id: u16,
    enabled: bool,
    volts_per_div: f64,
    shift_codes: i128,
}

fn channel_params(b: &Block, is_dho800: bool) -> Result<Params, FormatError> {
    let field = |at: usize, len: usize| {
        b.content.get(at..at + len).ok_or_else(|| {
            FormatError::bad(
                NAME,
                format!("DHO channel block {} length", b.id),
                b.content.len(),
                format!("at least {} bytes", at + len),
            )
        })
    };
    let mut eight = [0u8; 8];
    eight.copy_from_slice(field(1, 8)?);
    let vdiv_units = i128::from(i64::from_le_bytes(eight));
    if vdiv_units <= 0 {
        return Err(FormatError::bad(
            NAME,
            format!("DHO channel {} volts/div", b.id),
            vdiv_units,
            "a positive number",
        ));
    }
    // Position and volts/div share one unit, so position / (vdiv / 7500) needs no scaling.
    let (position_units, unit) = if is_dho800 {
        let mut four = [0u8; 4];
        four.copy_from_slice(field(38, 4)?);
        (i128::from(i32::from_le_bytes(four)), 1e-9)
    } else {
        eight.copy_from_slice(field(38, 8)?);
        (i128::from(i64::from_le_bytes(eight)), 1e-8)
    };
    Ok(Params {
        id: b.id,
        enabled: field(0, 1)?.first().is_some_and(|&e| e != 0),
        volts_per_div: vdiv_units as f64 * unit,
        // Integer division truncates toward zero, as the scope does.
        shift_codes: position_units * CODES_PER_DIV / vdiv_units,
    })
}

/// Trigger position in percent of the record (block 282, u32 @12), when plausible.
fn trigger_percent(blocks: &[Block]) -> Option<f64> {
    let b = blocks.iter().find(|b| b.id == TRIGGER_POSITION_BLOCK)?;
    let raw = b.content.get(12..16)?;
    let percent = u32::from_le_bytes([*raw.first()?, *raw.get(1)?, *raw.get(2)?, *raw.get(3)?]);
    (percent <= 100).then_some(f64::from(percent))
}
