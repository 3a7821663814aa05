//! DS1000B `.wfm` (magic `a5 a5 a4 01`): model string @4, points per channel u32 @60, four
//! 24-byte channel blocks @68 (probe f32 +8, enabled +14, inverted +15, measured scale
//! in µV/div s32 +16, measured shift in codes s16 +20), time/div ps u64 @164, time offset
//! ps s64 @172, sample rate f32 @180, coupling bits @216/@217, trigger mode @222 and source
//! @224. Channel k's u8 codes always sit at 420 + k · points (slots of disabled channels
//! stay reserved).
//!
//! Scale: `V = (127 − code − shift) · vdiv/25 − 1.12 · vdiv`; the extra −1.12 div is
//! empirical (RigolWFM) and matches the scope's own CSV export sample for sample.
//! Time: `t0 = offset − points/2 · dt`, as the CSV export's time column.

use super::{Capture, NAME, ScopeChannel, check_points, rate};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::{ChannelMeta, TriggerMeta};
use crate::sample::DType;

const HEADER_LEN: u64 = 225;
const DATA_START: u64 = 420;
const MIDPOINT: f64 = 127.0;
const CODES_PER_DIV: f64 = 25.0;
/// Divisions the stored codes sit above the displayed trace.
const BIAS_DIVISIONS: f64 = 1.12;

pub(super) fn parse(src: &Source) -> Result<Capture, FormatError> {
    let h = src.fields("DS1000B header", 0, HEADER_LEN)?;
    let model = h.text(4, 8)?;
    let points = u64::from(h.u32(60)?);
    let time_per_div = h.u64(164)? as f64 / 1e12;
    let time_offset = h.i64(172)? as f64 / 1e12;
    let sample_rate = rate(f64::from(h.f32(180)?), "sample rate (f32 at byte 180)")?;
    let coupling = [h.u8(216)?, h.u8(217)?];
    // The four channel slots follow the header whether or not a channel is enabled.
    check_points(src, "4 channel slots", points, 4, DATA_START)?;
    let mut channels = Vec::new();
    for i in 0..4usize {
        let base = 68 + 24 * i;
        if h.u8(base + 14)? == 0 {
            continue;
        }
        let probe = f64::from(h.f32(base + 8)?);
        let inverted = h.u8(base + 15)? != 0;
        let sign = if inverted { -1.0 } else { 1.0 };
        let volts_per_div = sign * f64::from(h.i32(base + 16)?) * 1e-6 * probe;
        let code_volts = volts_per_div / CODES_PER_DIV;
        let shift = f64::from(h.i16(base + 20)?);
        // CH1/CH3 use the high pair of bits of their coupling byte, CH2/CH4 the low pair.
        let mask = if i % 2 == 0 { 0xc0 } else { 0x0c };
        let byte = coupling.get(i / 2).copied().unwrap_or(0);
        let meta = ChannelMeta {
            name: format!("CH{}", i + 1),
            volts_per_div: Some(volts_per_div),
            offset: Some(shift * code_volts),
            probe: Some(probe),
            coupling: Some(if byte & mask == mask { "DC" } else { "AC" }.into()),
            inverted: Some(inverted),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: DATA_START + i as u64 * points,
            samples: points,
            stride: 1,
        };
        let offset = code_volts * (MIDPOINT - shift) - BIAS_DIVISIONS * volts_per_div;
        channels.push(ScopeChannel::codes(
            meta,
            DType::U8,
            run,
            -code_volts,
            offset,
        ));
    }
    let trigger = TriggerMeta {
        mode: match h.u8(222)? {
            0 => Some("edge".into()),
            1 => Some("pulse".into()),
            2 => Some("slope".into()),
            3 => Some("video".into()),
            4 => Some("alternate".into()),
            _ => None,
        },
        source: match h.u8(224)? {
            0 => Some("CH1".into()),
            1 => Some("CH2".into()),
            2 => Some("EXT".into()),
            3 => Some("EXT/5".into()),
            5 => Some("AC line".into()),
            7 => Some("digital".into()),
            other => Some(format!("source {other}")),
        },
        ..TriggerMeta::default()
    };
    if points == 0 {
        return Err(FormatError::bad(NAME, "DS1000B points", 0, "at least 1"));
    }
    Ok(Capture {
        family: "DS1000B",
        model,
        serial: None,
        firmware: None,
        acquisition: None,
        samples: points,
        sample_rate,
        t0: time_offset - points as f64 / 2.0 / sample_rate,
        time_per_div: Some(time_per_div),
        time_offset: Some(time_offset),
        screen_divisions: 12.0,
        trigger: Some(trigger),
        channels,
        warnings: Vec::new(),
    })
}
