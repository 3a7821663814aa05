//! Writing .npy files and streams whose length is known only at the end.

use crate::loader::npy::{build_header, parse_header};
use crate::loader::{CaptureMeta, DType, Endian};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::os::unix::fs::FileExt;

/// The header for `samples` × `channels` of `dtype` in native order (C order, 64-byte aligned).
pub fn header(dtype: DType, samples: u64, channels: usize, meta: &CaptureMeta) -> Vec<u8> {
    let shape: Vec<u64> = if channels == 1 {
        vec![samples]
    } else {
        vec![samples, channels as u64]
    };
    build_header(dtype, Endian::NATIVE, false, &shape, meta)
}

/// Rewrite the shape in a header written with a provisional length, keeping its size (the
/// header leaves room for this; see `build_header`). Used when rows are counted while
/// writing, as convert-csv does.
pub fn patch_header(
    file: &std::fs::File,
    dtype: DType,
    samples: u64,
    channels: usize,
    meta: &CaptureMeta,
) -> Result<()> {
    let mut old = vec![0u8; 12];
    file.read_exact_at(&mut old, 0)
        .context("cannot re-read the .npy header")?;
    let extent = crate::loader::npy::header_extent(&old)? as usize;
    let fresh = header(dtype, samples, channels, meta);
    let dict_start = if fresh[6] == 1 { 10 } else { 12 };
    let mut patched = fresh[..dict_start].to_vec();
    let dict_end = fresh
        .iter()
        .rposition(|&b| b != b' ' && b != b'\n')
        .map_or(dict_start, |i| i + 1);
    patched.extend_from_slice(&fresh[dict_start..dict_end]);
    if patched.len() + 1 > extent {
        bail!("the final .npy header does not fit in the space reserved for it");
    }
    // Same length prefix as the original header.
    patched[8..dict_start].copy_from_slice(&old[8..dict_start]);
    patched.resize(extent - 1, b' ');
    patched.push(b'\n');
    parse_header(&patched).context("patched .npy header does not parse")?;
    file.write_all_at(&patched, 0)
        .context("cannot patch the .npy header")?;
    Ok(())
}

/// Write an npy header to a stream (stdout or a file just created).
pub fn write_header(
    out: &mut dyn Write,
    dtype: DType,
    samples: u64,
    channels: usize,
    meta: &CaptureMeta,
) -> std::io::Result<()> {
    out.write_all(&header(dtype, samples, channels, meta))
}
