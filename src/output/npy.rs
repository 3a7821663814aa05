//! Writing .npy files and streams whose length is known only at the end.

use crate::sample::npy::{build_header, parse_header};
use crate::sample::{CaptureMeta, DType, Endian};
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
    let extent = crate::sample::npy::header_extent(&old)? as usize;
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

/// A .npy file of float rows whose count is known only at the end (convert-csv): rows are
/// appended as f64 and stored as f32 or f64; [`GrowingNpy::finish`] patches the shape and
/// the metadata into the header and renames the file into place. Dropped unfinished, it
/// leaves no file.
pub struct GrowingNpy {
    file: super::AtomicFile,
    dtype: DType,
    channels: usize,
    rows: u64,
    buf: Vec<u8>,
}

impl GrowingNpy {
    /// `dtype` is F32 or F64 (anything else is written as F64).
    pub fn create(path: &std::path::Path, dtype: DType, channels: usize) -> Result<GrowingNpy> {
        let dtype = if dtype == DType::F32 {
            DType::F32
        } else {
            DType::F64
        };
        // The shape is written last, into the header at offset 0: that needs a file.
        let mut file = super::AtomicFile::create_regular(
            path,
            "the .npy shape is known only after the last row and goes into the header then; \
             write a file, then copy it",
        )?;
        // The longest metadata a finished file can carry, so the real one fits in place.
        let widest = -2.225_073_858_507_201_4e-308;
        let room = CaptureMeta {
            sample_rate: Some(widest),
            start_time: Some(widest),
            ..Default::default()
        };
        file.write_all(&header(dtype, 0, channels, &room))
            .map_err(|e| super::write_error(path, e))?;
        Ok(GrowingNpy {
            file,
            dtype,
            channels,
            rows: 0,
            buf: Vec::new(),
        })
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// Switch an f32 file to f64 while no row is written yet (the header is rewritten at
    /// the end, and both descrs have the same length). Returns false once rows exist.
    pub fn widen_if_empty(&mut self) -> bool {
        if self.rows > 0 {
            return false;
        }
        self.dtype = DType::F64;
        true
    }

    /// Append row-major values (`channels` per row).
    pub fn append(&mut self, values: &[f64]) -> std::io::Result<()> {
        self.buf.clear();
        if self.dtype == DType::F32 {
            self.buf.reserve(values.len() * 4);
            for v in values {
                self.buf.extend_from_slice(&(*v as f32).to_ne_bytes());
            }
        } else {
            self.buf.reserve(values.len() * 8);
            for v in values {
                self.buf.extend_from_slice(&v.to_ne_bytes());
            }
        }
        self.rows += (values.len() / self.channels) as u64;
        self.file.write_all(&self.buf)
    }

    /// Patch the header with the row count and `meta`, then move the file into place.
    pub fn finish(mut self, meta: &CaptureMeta) -> Result<u64> {
        let path = self.file.path().to_path_buf();
        let file = self.file.file()?;
        patch_header(file, self.dtype, self.rows, self.channels, meta)
            .with_context(|| path.display().to_string())?;
        self.file.commit()?;
        Ok(self.rows)
    }
}
