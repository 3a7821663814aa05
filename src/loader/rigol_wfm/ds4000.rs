//! DS4000 / MSO4000 `.wfm` (magic `a5 a5 38 00`, model DS4…/MSO4…).
//!
//! Header: serial number @4 (its prefix names the family), firmware @24, enabled bits @64 (bit 0 = CH1), per-channel data
//! offsets 4 × u32 @68, sample rate f32 @100, four 28-byte channel blocks @124 (enabled
//! +0, coupling +1, bandwidth +2, probe code +4, volts/div f32 +8, offset V f32 +12,
//! inverted +16, unit +17), memory depth u32 @268, time block @528 (time/div ps u32 @544,
//! offset ps s64 @568).
//!
//! Channel k's u8 codes: `depth` bytes at its data offset. Scale: the DS4000 spreads 8
//! divisions over 256 codes, `V = (code − 127) · vdiv/32 − offset` (RigolWFM).
//! Time: `t0 = offset − depth/2 · dt`.

use super::ds2000::bandwidth;
use super::{Capture, ScopeChannel, check_points, coupling_name, probe_ratio, rate, unit_name};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::ChannelMeta;
use crate::sample::DType;

const HEADER_LEN: u64 = 576;
const MIDPOINT: f64 = 127.0;
const CODES_PER_DIV: f64 = 32.0;

pub(super) fn parse(src: &Source) -> Result<Capture, FormatError> {
    let h = src.fields("DS4000 header", 0, HEADER_LEN)?;
    let serial = h.text(4, 20)?;
    let firmware = h.text(24, 20)?;
    let mask = h.u8(64)?;
    let sample_rate = rate(f64::from(h.f32(100)?), "sample rate (f32 at byte 100)")?;
    let depth = u64::from(h.u32(268)?);
    let time_per_div = f64::from(h.u32(544)?) / 1e12;
    let time_offset = h.i64(568)? as f64 / 1e12;
    let mut channels = Vec::new();
    for i in 0..4usize {
        if mask & (1 << i) == 0 {
            continue;
        }
        let base = 124 + 28 * i;
        let name = format!("CH{}", i + 1);
        let start = u64::from(h.u32(68 + 4 * i)?);
        check_points(src, &format!("{name} samples"), depth, 1, start)?;
        let inverted = h.u8(base + 16)? != 0;
        let sign = if inverted { -1.0 } else { 1.0 };
        let volts_per_div = sign * f64::from(h.f32(base + 8)?);
        let offset = f64::from(h.f32(base + 12)?);
        let code_volts = volts_per_div / CODES_PER_DIV;
        let meta = ChannelMeta {
            name,
            volts_per_div: Some(volts_per_div),
            offset: Some(offset),
            probe: probe_ratio(h.u8(base + 4)?),
            coupling: coupling_name(h.u8(base + 1)?),
            bandwidth_limit: bandwidth(h.u8(base + 2)?),
            inverted: Some(inverted),
            unit: unit_name(h.u8(base + 17)?),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: start,
            samples: depth,
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
    Ok(Capture {
        family: "DS4000",
        model: None,
        serial,
        firmware,
        acquisition: None,
        samples: depth,
        sample_rate,
        t0: time_offset - depth as f64 / 2.0 / sample_rate,
        time_per_div: Some(time_per_div),
        time_offset: Some(time_offset),
        screen_divisions: 14.0,
        trigger: None,
        channels,
        warnings: Vec::new(),
    })
}
