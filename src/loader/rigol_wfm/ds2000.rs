//! DS2000 / MSO2000 `.wfm` (magic `a5 a5 38 00`, model not DS4/DS6; "DS2000 Waveform
//! Storage Structure").
//!
//! Header: serial number @4 (its prefix names the family), firmware @24, enabled bits @64 (bit 0 = CH1), interwoven bit @65,
//! per-channel data offsets 4 × u32 @68, acquisition mode u16 @84, sample rate f32 @96,
//! time/div ps u64 @104, time offset ps s64 @112, four 28-byte channel blocks @120
//! (enabled +0, coupling in bits 7-6 of +1, bandwidth +2, probe code +4, impedance +7,
//! volts/div f32 +8, offset V f32 +12, inverted/unit +16/+17), setup length/offset u32
//! @232/@236, storage depth u32 @244, offset of the valid points u32 @248, points u32 @252.
//!
//! Channel k's u8 codes: `points` bytes at data offset k + valid-point offset.
//! Scale: `V = (code − 127) · vdiv/25 − offset` (a higher code is a higher voltage).
//! Time: `t0 = offset + valid-point offset · dt − storage depth/2 · dt`, equal to the
//! scope's CSV export's "Start".

use super::{Capture, NAME, ScopeChannel, check_points, probe_ratio, rate, unit_name};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::{Fields, Source};
use crate::loader::scope::meta::{ChannelMeta, TriggerMeta};
use crate::sample::DType;

const HEADER_LEN: u64 = 256;
const MIDPOINT: f64 = 127.0;
const CODES_PER_DIV: f64 = 25.0;
/// The setup block sits this many bytes before the offset the header gives (RigolWFM).
const SETUP_BASE: u64 = 56;

pub(super) fn parse(src: &Source, serial: &str) -> Result<Capture, FormatError> {
    let h = src.fields("DS2000 header", 0, HEADER_LEN)?;
    let firmware = h.text(24, 20)?;
    if h.u8(65)? & 1 != 0 {
        return Err(FormatError::Unsupported {
            format: NAME,
            why: "interwoven DS2000 capture (one channel's samples alternate between the CH1 and CH2 blocks) is not supported".into(),
        });
    }
    let sample_rate = rate(f64::from(h.f32(96)?), "sample rate (f32 at byte 96)")?;
    let dt = 1.0 / sample_rate;
    let time_per_div = h.u64(104)? as f64 / 1e12;
    // RigolWFM: old DS2A captures with this firmware store an offset the screen ignores.
    let stored_offset = h.i64(112)? as f64 / 1e12;
    let quirk = serial.starts_with("DS2A") && firmware.as_deref() == Some("00.03.00.01.03");
    let mut warnings = Vec::new();
    if quirk && stored_offset != 0.0 {
        warnings.push(format!(
            "time offset {stored_offset} s ignored (DS2A firmware 00.03.00.01.03 stores one the screen does not use)"
        ));
    }
    let time_offset = if quirk { 0.0 } else { stored_offset };
    let storage_depth = u64::from(h.u32(244)?);
    let valid_offset = u64::from(h.u32(248)?);
    let points = u64::from(h.u32(252)?);
    let mut channels = Vec::new();
    for i in 0..4usize {
        let base = 120 + 28 * i;
        let data = u64::from(h.u32(68 + 4 * i)?);
        let enabled_byte = h.u8(base)?;
        if enabled_byte == 0 || data == 0 {
            continue;
        }
        let name = format!("CH{}", i + 1);
        let start = data.saturating_add(valid_offset);
        check_points(src, &format!("{name} samples"), points, 1, start)?;
        // Older files (enabled byte 1) store invert then unit; newer ones (8) the reverse and
        // leave the probe fields zero (= 0.01x at 50 Ω, which means 1x at 1 MΩ).
        let legacy = enabled_byte == 1;
        let (inverted_at, unit_at) = if legacy { (16, 17) } else { (17, 16) };
        let inverted = h.u8(base + inverted_at)? == 1;
        let mut probe_code = h.u8(base + 4)?;
        let mut impedance = h.u8(base + 7)?;
        if !legacy && probe_code == 0 && impedance == 0 {
            probe_code = 6;
            impedance = 1;
        }
        let sign = if inverted { -1.0 } else { 1.0 };
        let volts_per_div = sign * f64::from(h.f32(base + 8)?);
        let offset = f64::from(h.f32(base + 12)?);
        let code_volts = volts_per_div / CODES_PER_DIV;
        let coupling = match h.u8(base + 1)? >> 6 {
            0 => "DC",
            1 => "AC",
            _ => "GND",
        };
        let impedance = if impedance == 0 { "50 Ω" } else { "1 MΩ" };
        let meta = ChannelMeta {
            name,
            volts_per_div: Some(volts_per_div),
            offset: Some(offset),
            probe: probe_ratio(probe_code),
            coupling: Some(format!("{coupling} {impedance}")),
            bandwidth_limit: bandwidth(h.u8(base + 2)?),
            inverted: Some(inverted),
            unit: unit_name(h.u8(base + unit_at)?),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: start,
            samples: points,
            stride: 1,
        };
        channels.push(ScopeChannel::codes(
            meta,
            DType::U8,
            run,
            code_volts,
            -MIDPOINT * code_volts - offset,
        ));
    }
    let t0 = time_offset + valid_offset as f64 * dt - storage_depth as f64 / 2.0 * dt;
    Ok(Capture {
        family: "DS2000",
        model: None,
        serial: Some(serial.to_string()).filter(|s| !s.is_empty()),
        firmware,
        acquisition: acquisition(h.u16(84)?),
        samples: points,
        sample_rate,
        t0,
        time_per_div: Some(time_per_div),
        time_offset: Some(time_offset),
        screen_divisions: 14.0,
        trigger: setup_trigger(src, &h).unwrap_or(None),
        channels,
        warnings,
    })
}

pub(super) fn bandwidth(code: u8) -> Option<String> {
    match code {
        1 => Some("20 MHz".into()),
        2 => Some("100 MHz".into()),
        3 => Some("200 MHz".into()),
        4 => Some("250 MHz".into()),
        _ => None,
    }
}

pub(super) fn acquisition(code: u16) -> Option<String> {
    match code {
        0 => Some("normal".into()),
        1 => Some("average".into()),
        2 => Some("peak detect".into()),
        3 => Some("high resolution".into()),
        _ => None,
    }
}

/// Trigger source and level from the setup block, when the file has one long enough.
fn setup_trigger(src: &Source, h: &Fields) -> Result<Option<TriggerMeta>, FormatError> {
    let len = u64::from(h.u32(232)?);
    let at = u64::from(h.u32(236)?);
    if len < 559 || at < SETUP_BASE {
        return Ok(None);
    }
    let s = src.fields("DS2000 setup block", at - SETUP_BASE, 559)?;
    let source = s.u8(519)?;
    let level_uv = match source {
        0 => Some(s.i32(547)?),
        1 => Some(s.i32(551)?),
        2 => Some(s.i32(555)?),
        _ => None,
    };
    Ok(Some(TriggerMeta {
        mode: Some(match s.u32(535)? {
            30 => "edge".to_string(),
            other => format!("mode {other}"),
        }),
        source: Some(match source {
            0 => "CH1".to_string(),
            1 => "CH2".to_string(),
            2 => "EXT".to_string(),
            3 => "AC line".to_string(),
            d @ 4..=19 => format!("D{}", d - 4),
            other => format!("source {other}"),
        }),
        level: level_uv.map(|uv| f64::from(uv) * 1e-6),
        ..TriggerMeta::default()
    }))
}
