//! A layout's channels read the slow, obvious way into f64 vectors (runs read sample by
//! sample, bit/gain/offset applied), for layouts of bytes in memory that the loader cannot
//! open; an independent check of the loader's frame sources where both apply.

use crate::loader::layout::{Channel, Column, Layout};
use crate::loader::scope::FormatError;
use crate::loader::scope::read::{self, ReadAt};
use crate::sample::{DType, Endian};

/// Most bytes one run may span here (fixtures are small).
const MAX_RUN_BYTES: u64 = 256 << 20;

/// Every channel's values, reading the samples from `src` of `size` bytes.
pub fn values_from<M>(
    layout: &Layout<M>,
    src: &(impl ReadAt + ?Sized),
    size: u64,
) -> Result<Vec<Vec<f64>>, FormatError> {
    layout
        .channels
        .iter()
        .map(|ch| {
            let column = layout
                .columns
                .get(ch.column)
                .ok_or_else(|| FormatError::TooLarge {
                    what: format!("the column index of channel {}", ch.name),
                    value: ch.column as u64,
                    limit: layout.columns.len().saturating_sub(1) as u64,
                })?;
            column_values(column, ch, src, size)
        })
        .collect()
}

fn column_values(
    column: &Column,
    ch: &Channel,
    src: &(impl ReadAt + ?Sized),
    size: u64,
) -> Result<Vec<f64>, FormatError> {
    let width = column.dtype.size() as u64;
    let mut out = Vec::new();
    for run in &column.runs {
        if run.samples == 0 {
            continue;
        }
        let span = (run.samples - 1)
            .checked_mul(run.stride)
            .and_then(|s| s.checked_add(width))
            .unwrap_or(u64::MAX);
        let span = read::at_most("a run", span, MAX_RUN_BYTES)?;
        let bytes = read::read_block(src, size, run.offset, span, "a run of samples")?;
        for i in 0..run.samples as usize {
            let at = i * run.stride as usize;
            let raw = &bytes[at..at + width as usize];
            out.push(match ch.bit {
                Some(bit) => ((unsigned(raw, column.endian) >> bit) & 1) as f64,
                None => decode(raw, column.dtype, column.endian) * ch.gain + ch.offset,
            });
        }
    }
    Ok(out)
}

/// The raw bytes as an unsigned integer in the given order (for bit lanes).
fn unsigned(raw: &[u8], endian: Endian) -> u64 {
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    match endian {
        Endian::Big => raw.iter().fold(0, fold),
        Endian::Little => raw.iter().rev().fold(0, fold),
    }
}

/// One stored sample as f64.
fn decode(raw: &[u8], dtype: DType, endian: Endian) -> f64 {
    let bits = unsigned(raw, endian);
    match dtype {
        DType::Bool | DType::U8 | DType::U16 | DType::U32 | DType::U64 => bits as f64,
        DType::I8 => f64::from(bits as u8 as i8),
        DType::I16 => f64::from(bits as u16 as i16),
        DType::I32 => f64::from(bits as u32 as i32),
        DType::I24 => f64::from(((bits as u32) << 8) as i32 >> 8),
        DType::I64 => bits as i64 as f64,
        DType::F16 => f16_to_f64(bits as u16),
        DType::F32 => f64::from(f32::from_bits(bits as u32)),
        DType::F64 => f64::from_bits(bits),
    }
}

fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let frac = f64::from(h & 0x3ff);
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + frac / 1024.0) * 2f64.powi(exp - 15),
    }
}
