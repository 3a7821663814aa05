//! DS1000Z / MSO1000Z `.wfm` (magic `01 ff ff ff`; "DS1000Z Waveform Storage Structure").
//!
//! Pre-header: model string @8, firmware @28. Header @64: time/div ps u64 @64, time offset
//! ps s64 @72, enabled-channel bits @88 (bit 0 = CH1), acquisition mode @112, memory depth
//! (all lanes) u32 @116, sample rate GSa/s f32 @120, four 28-byte channel blocks @124
//! (coupling +1, bandwidth +2, probe code +4, volts/div f32 +8, offset V f32 +12,
//! inverted +16, unit +17), logic-analyzer offset u32 @108, horizontal block size u32 @256
//! and offset u32 @260.
//!
//! Samples follow the horizontal block as interleaved byte frames of 1, 2 or 4 lanes (3
//! channels use 4 lanes): with 4 lanes CHn is lane 4 − n; with 2 lanes the first enabled
//! channel is lane 1 and the second lane 0. Each channel is a strided run over the frames.
//!
//! Scale (empirical, RigolWFM, checked there against the scopes' CSV exports):
//! `V = (code − 127) · vdiv/20 − offset + bias`, bias = one division, except firmware
//! 00.04.04.SP3 with two channels: vdiv/5 when the offset is negative, else 0.
//! Time: `t0 = offset − points/2 · dt`.

use super::{
    Capture, NAME, ScopeChannel, check_points, coupling_name, probe_ratio, rate, unit_name,
};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::ChannelMeta;
use crate::sample::DType;

const HEADER_LEN: u64 = 280;
const MIDPOINT: f64 = 127.0;
const CODES_PER_DIV: f64 = 20.0;
/// Firmware whose two-channel captures use the smaller bias (RigolWFM's SP3 fixtures).
const SP3_FIRMWARE: &str = "00.04.04.SP3";

pub(super) fn parse(src: &Source) -> Result<Capture, FormatError> {
    let h = src.fields("DS1000Z header", 0, HEADER_LEN)?;
    let model = h.text(8, 20)?;
    let firmware = h.text(28, 20)?;
    let time_per_div = h.u64(64)? as f64 / 1e12;
    let time_offset = h.i64(72)? as f64 / 1e12;
    let mask = h.u8(88)?;
    let memory_depth = u64::from(h.u32(116)?);
    let sample_rate = rate(
        f64::from(h.f32(120)?) * 1e9,
        "sample rate (GSa/s f32 at byte 120)",
    )?;
    let horizontal_size = u64::from(h.u32(256)?);
    let horizontal_offset = u64::from(h.u32(260)?);
    let data_start = horizontal_offset
        .checked_add(horizontal_size)
        .ok_or_else(|| {
            FormatError::bad(
                NAME,
                "DS1000Z horizontal block end",
                "beyond 2^64",
                "inside the file",
            )
        })?;
    let enabled: Vec<usize> = (0..4).filter(|i| mask & (1 << i) != 0).collect();
    let lanes: u64 = match enabled.len() {
        0 | 1 => 1,
        2 => 2,
        _ => 4,
    };
    let points = memory_depth / lanes;
    check_points(src, "interleaved samples", points, lanes, data_start)?;
    let two_channel_sp3 = firmware.as_deref() == Some(SP3_FIRMWARE) && enabled.len() == 2;
    let mut channels = Vec::new();
    for (rank, &i) in enabled.iter().enumerate() {
        let base = 124 + 28 * i;
        let inverted = h.u8(base + 16)? != 0;
        let sign = if inverted { -1.0 } else { 1.0 };
        let volts_per_div = sign * f64::from(h.f32(base + 8)?);
        let shift = f64::from(h.f32(base + 12)?);
        let bias = if !two_channel_sp3 {
            volts_per_div
        } else if shift < 0.0 {
            volts_per_div / 5.0
        } else {
            0.0
        };
        let lane = match lanes {
            1 => 0,
            2 => 1 - rank as u64,
            _ => 3 - i as u64,
        };
        let code_volts = volts_per_div / CODES_PER_DIV;
        let meta = ChannelMeta {
            name: format!("CH{}", i + 1),
            volts_per_div: Some(volts_per_div),
            offset: Some(shift),
            probe: probe_ratio(h.u8(base + 4)?),
            coupling: coupling_name(h.u8(base + 1)?),
            bandwidth_limit: match h.u8(base + 2)? {
                0 => Some("20 MHz".into()),
                _ => None,
            },
            inverted: Some(inverted),
            unit: unit_name(h.u8(base + 17)?),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: data_start + lane,
            samples: points,
            stride: lanes,
        };
        channels.push(ScopeChannel::codes(
            meta,
            DType::U8,
            run,
            code_volts,
            -MIDPOINT * code_volts - shift + bias,
        ));
    }
    let mut warnings = Vec::new();
    if h.u32(108)? != 0 {
        warnings.push("the logic-analyzer channels of this MSO1000Z file are not read".into());
    }
    Ok(Capture {
        family: "DS1000Z",
        model,
        serial: None,
        firmware,
        acquisition: match h.u8(112)? {
            0 => Some("normal".into()),
            1 => Some("peak detect".into()),
            2 => Some("average".into()),
            3 => Some("high resolution".into()),
            _ => None,
        },
        samples: points,
        sample_rate,
        t0: time_offset - points as f64 / 2.0 / sample_rate,
        time_per_div: Some(time_per_div),
        time_offset: Some(time_offset),
        screen_divisions: 12.0,
        trigger: None,
        channels,
        warnings,
    })
}
