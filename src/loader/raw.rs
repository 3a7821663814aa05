//! Raw binary: bare samples of a type given by `--dtype`, the extension (`.f32`, `.i16`...)
//! or a sidecar `FILE.tracekit.json`, `--channels` interleaved, after `--offset` bytes.
//! Memory-mapped; the fallback for files no other format recognises.

use super::source::MappedFrames;
use super::{Input, LoaderError, OpenOptions, Sniff, Trace, TraceInfo, read_sidecar};
use crate::sample::{ComplexType, DType, Endian};
use std::path::Path;

pub struct Raw;

impl super::Format for Raw {
    fn name(&self) -> &'static str {
        "raw"
    }

    fn sniff(&self, _head: &[u8], extension: &str) -> Sniff {
        let named = dtype_from_extension(extension).is_some() || matches!(extension, "bin" | "raw");
        Sniff::by(false, named)
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let Input {
            file,
            name,
            size,
            extension,
            opts,
            ..
        } = input;
        let hint = if opts.format.is_none() {
            " (it is not a .npy or HDF5 file)"
        } else {
            ""
        };
        let sidecar = read_sidecar(Path::new(&name));
        let meta = sidecar.as_ref().map(|(m, _)| m);
        let side_complex = meta
            .and_then(|m| m.dtype.as_deref())
            .and_then(ComplexType::parse)
            .map(|(c, _)| c.component());
        let side_dtype = meta
            .and_then(|m| m.dtype.as_deref())
            .and_then(DType::parse)
            .map(|(d, _)| d)
            .or(side_complex);
        let dtype = match opts.dtype.or(side_dtype) {
            Some(d) => d,
            None => dtype(opts, extension, &name, hint)?,
        };
        let complex = opts.complex
            || (opts.dtype.is_none() && (side_complex.is_some() || complex_extension(extension)));
        let channels = opts.channels.or(meta.and_then(|m| m.channels)).unwrap_or(1);
        let channels = if complex { 2 * channels } else { channels };
        let offset = opts.offset.unwrap_or(0);
        if offset >= size {
            return Err(LoaderError::RawOffset {
                path: name,
                offset,
                size,
            });
        }
        let frame_bytes = (dtype.size() * channels) as u64;
        let have = (size - offset) / frame_bytes;
        let tail = (size - offset) % frame_bytes;
        let samples = match opts.length {
            Some(want) if want > have => {
                return Err(LoaderError::RawLength {
                    path: name,
                    want,
                    have,
                });
            }
            Some(want) => want,
            None => have,
        };
        let endian = opts
            .endian
            .or(match meta.and_then(|m| m.byte_order.as_deref()) {
                Some("big") => Some(Endian::Big),
                _ => None,
            })
            .unwrap_or(Endian::Little);
        if complex && (size - offset) % (2 * dtype.size()) as u64 != 0 && opts.length.is_none() {
            return Err(LoaderError::Invalid {
                path: name,
                what: "complex samples",
                why: format!(
                    "{} bytes after the offset are not a whole number of {} samples ({} bytes each)",
                    size - offset,
                    crate::sample::ComplexType(dtype).short_name(),
                    2 * dtype.size()
                ),
            });
        }
        let stored = if complex { channels / 2 } else { channels };
        let shape = if stored == 1 {
            vec![samples]
        } else {
            vec![samples, stored as u64]
        };
        let mut info = TraceInfo::plain(
            name.clone(),
            "raw",
            (dtype, endian),
            shape,
            Some(samples),
            channels,
        )?;
        if let Some((meta, source)) = sidecar {
            info = info.with_meta(&meta, source);
        }
        if complex {
            info.set_complex()?;
        }
        info.file_size = Some(size);
        info.data_offset = Some(offset);
        if tail != 0 && opts.length.is_none() {
            info.warnings.push(format!(
                "{name}: the last {tail} bytes do not make a whole {frame_bytes}-byte frame and are ignored"
            ));
        }
        let source = MappedFrames::new(
            file,
            name,
            offset,
            frame_bytes as usize,
            samples * frame_bytes,
        );
        Ok(Trace {
            info,
            source: Box::new(source),
        })
    }
}

/// Extensions that name a raw sample type.
fn dtype_from_extension(ext: &str) -> Option<DType> {
    match ext {
        "f32" | "f64" | "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64" | "f16" => {
            DType::parse(ext).map(|(d, _)| d)
        }
        "cfile" => Some(DType::F32),
        _ if complex_extension(ext) => ComplexType::parse(ext).map(|(c, _)| c.component()),
        _ => None,
    }
}

/// Extensions that name a complex raw type: `.cf32`, `.ci16`, `.cu8`..., and GNU Radio's
/// `.cfile` (complex float32).
fn complex_extension(ext: &str) -> bool {
    ext == "cfile"
        || (matches!(
            ext,
            "cf32" | "cf64" | "ci8" | "cu8" | "ci16" | "ci32" | "cu16"
        ) && ComplexType::parse(ext).is_some())
}

/// The sample type `--dtype` or the extension gives; an error with `hint` without either.
pub(super) fn dtype(
    opts: &OpenOptions,
    ext: &str,
    name: &str,
    hint: &str,
) -> Result<DType, LoaderError> {
    opts.dtype
        .or_else(|| dtype_from_extension(ext))
        .ok_or_else(|| LoaderError::RawNoDtype {
            path: name.to_string(),
            hint: hint.to_string(),
        })
}
