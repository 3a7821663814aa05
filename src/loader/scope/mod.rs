//! What the oscilloscope formats share: bounded positioned reads of header fields (`read`
//! for either byte order, `le` for the little-endian Rigol/Keysight headers), the parsers'
//! error, SI formatting for `info`, the Rigol/Keysight metadata and their common `.bin`
//! container. Each format itself is a module of `loader` (`tek_wfm`, `rigol_wfm`...).

pub mod bin_container;
pub mod describe;
mod error;
pub mod le;
pub mod meta;
pub mod read;

#[cfg(test)]
mod tests;

pub use error::FormatError;

use super::layout::Layout;

/// `layout` once [`Layout::check`] passes against a data file of `size` bytes: a run past
/// the end names both sizes, anything else the inconsistency found.
pub fn checked<M>(layout: Layout<M>, size: u64) -> Result<Layout<M>, FormatError> {
    for (index, column) in layout.columns.iter().enumerate() {
        for run in column.runs.iter().filter(|r| r.samples > 0) {
            let width = column.dtype.size() as u64;
            let end = run
                .samples
                .checked_sub(1)
                .and_then(|n| n.checked_mul(run.stride))
                .and_then(|b| b.checked_add(run.offset))
                .and_then(|b| b.checked_add(width));
            if end.is_none_or(|end| end > size) {
                return Err(FormatError::Short {
                    what: format!("column {index} ({} samples)", run.samples),
                    offset: run.offset,
                    need: end.map_or(u64::MAX, |e| e - run.offset),
                    have: size,
                });
            }
        }
    }
    layout.check(size).map_err(|why| FormatError::Unsupported {
        format: "layout",
        why,
    })?;
    Ok(layout)
}
