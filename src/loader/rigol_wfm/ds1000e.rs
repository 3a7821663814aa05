//! DS1000E / DS1000D `.wfm` (magic `a5 a5 00 00`): a 276-byte header, then each enabled
//! channel's u8 codes as one block (CH1 then CH2).
//!
//! Header (offsets in bytes): roll-stop index u32 @20, CH1 memory depth u32 @28, two
//! 24-byte channel blocks @34 (probe f32 +10, enabled +15, inverted +16, measured scale
//! in µV/div s32 +18, measured shift in codes s16 +22), time block @84 (sample rate f32
//! @100, measured time/div ps s64 @104, measured offset ps s64 @112), logic-analyzer flags
//! @120, trigger mode @142, trigger block @143 (source +1, coupling +2, sweep +3, level f32
//! +13), CH2 depth u32 @240 (0 = same as CH1).
//!
//! Scale: `V = (125 − code − shift) · scale·probe / 25`; the code is inverted (a higher
//! code is a lower voltage) and 125 is mid-screen. Time: the record is centred on the
//! horizontal offset, `t0 = offset − depth/2 · dt`. Both were checked against the DS1052E
//! vendor CSV (see REPORT.md).

use super::{Capture, NAME, ScopeChannel, check_points, rate};
use crate::loader::layout::Run;
use crate::loader::scope::FormatError;
use crate::loader::scope::le::Source;
use crate::loader::scope::meta::{ChannelMeta, TriggerMeta};
use crate::sample::DType;

const HEADER_LEN: u64 = 276;
/// ADC code at mid-screen.
const MIDPOINT: f64 = 125.0;
/// ADC codes per vertical division.
const CODES_PER_DIV: f64 = 25.0;

pub(super) fn parse(src: &Source) -> Result<Capture, FormatError> {
    let h = src.fields("DS1000E header", 0, HEADER_LEN)?;
    let roll_stop = u64::from(h.u32(20)?);
    let depth1 = u64::from(h.u32(28)?);
    let depth2_raw = u64::from(h.u32(240)?);
    let sample_rate = rate(f64::from(h.f32(100)?), "sample rate (f32 at byte 100)")?;
    let time_per_div = h.i64(104)? as f64 / 1e12;
    let time_offset = h.i64(112)? as f64 / 1e12;
    let trigger_mode = h.u8(142)?;
    // In rolling mode the firmware leaves roll_stop + 2 invalid bytes after each block.
    let skip = if roll_stop == 0 {
        0
    } else {
        roll_stop.saturating_add(2)
    };
    let mut warnings = Vec::new();
    let mut channels = Vec::new();
    let mut data_offset = HEADER_LEN;
    for i in 0..2usize {
        let base = 34 + 24 * i;
        if h.u8(base + 15)? == 0 {
            continue;
        }
        let depth = if i == 1 && depth2_raw != 0 {
            depth2_raw
        } else {
            depth1
        };
        let points = depth.checked_sub(skip).ok_or_else(|| {
            FormatError::bad(
                NAME,
                "DS1000E roll-stop index",
                roll_stop,
                format!("it must be below the memory depth {depth}"),
            )
        })?;
        let name = format!("CH{}", i + 1);
        check_points(
            src,
            &format!("{name} samples"),
            points + skip,
            1,
            data_offset,
        )?;
        let probe = f64::from(h.f32(base + 10)?);
        let scale_uv = f64::from(h.i32(base + 18)?);
        let shift = f64::from(h.i16(base + 22)?);
        let volts_per_div = scale_uv * 1e-6 * probe;
        let code_volts = volts_per_div / CODES_PER_DIV;
        let meta = ChannelMeta {
            name,
            volts_per_div: Some(volts_per_div),
            offset: Some(shift * code_volts),
            probe: Some(probe),
            inverted: Some(h.u8(base + 16)? != 0),
            ..ChannelMeta::default()
        };
        let run = Run {
            offset: data_offset,
            samples: points,
            stride: 1,
        };
        channels.push(ScopeChannel::codes(
            meta,
            DType::U8,
            run,
            -code_volts,
            code_volts * (MIDPOINT - shift),
        ));
        data_offset += points + skip;
    }
    let samples = equal_lengths(&mut channels, &mut warnings);
    if h.u8(120)? & 1 != 0 {
        warnings.push("the logic-analyzer block of this DS1000D file is not read".into());
    }
    if trigger_mode == 4 {
        warnings.push(
            "alternate trigger: CH2 may have its own time base; CH1's is used for both".into(),
        );
    }
    Ok(Capture {
        family: "DS1000E/D",
        model: None,
        serial: None,
        firmware: None,
        acquisition: None,
        samples,
        sample_rate,
        t0: time_offset - depth1 as f64 / 2.0 / sample_rate,
        time_per_div: Some(time_per_div),
        time_offset: Some(time_offset),
        screen_divisions: 12.0,
        trigger: Some(trigger(&h, trigger_mode)?),
        channels,
        warnings,
    })
}

/// Both channels must be equally long for one Layout: cut to the shorter, saying so.
fn equal_lengths(channels: &mut [ScopeChannel], warnings: &mut Vec<String>) -> u64 {
    let shortest = channels.iter().map(|c| c.run.samples).min().unwrap_or(0);
    for c in channels.iter_mut() {
        if c.run.samples > shortest {
            warnings.push(format!(
                "{} has {} points, CH1 {shortest}: cut to {shortest}",
                c.meta.name, c.run.samples
            ));
            c.run.samples = shortest;
        }
    }
    shortest
}

fn trigger(h: &crate::loader::scope::le::Fields, mode: u8) -> Result<TriggerMeta, FormatError> {
    const MODES: [&str; 7] = [
        "edge",
        "pulse",
        "slope",
        "video",
        "alternate",
        "pattern",
        "duration",
    ];
    let source = match h.u8(144)? {
        0 => "CH1".to_string(),
        1 => "CH2".to_string(),
        2 => "EXT".to_string(),
        3 => "AC line".to_string(),
        d @ 4..=19 => format!("D{}", d - 4),
        other => format!("source {other}"),
    };
    Ok(TriggerMeta {
        mode: MODES.get(usize::from(mode)).map(|m| m.to_string()),
        source: Some(source),
        level: Some(f64::from(h.f32(156)?)),
        coupling: match h.u8(145)? {
            0 => Some("DC".into()),
            1 => Some("LF reject".into()),
            2 => Some("HF reject".into()),
            3 => Some("AC".into()),
            _ => None,
        },
        sweep: match h.u8(146)? {
            0 => Some("auto".into()),
            1 => Some("normal".into()),
            2 => Some("single".into()),
            _ => None,
        },
    })
}
