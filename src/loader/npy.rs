//! `.npy` arrays: 1-D (samples) or 2-D (samples × channels, either order), every numeric
//! dtype, both byte orders, format versions 1-3. Interleaved data is memory-mapped; planar
//! data (channel after channel) is gathered with positioned reads.

use super::source::{FrameSource, MappedFrames, PlanarFrames};
use super::{Input, Layout, LoaderError, Sniff, Trace, TraceInfo, read_sidecar};
use crate::sample::CaptureMeta;
use crate::sample::npy::{self, NpyError, NpyHeader};
use std::os::unix::fs::FileExt;
use std::path::Path;

pub struct Npy;

/// A .npy shape of `(a, b)` with a ≤ this < b is read as channels × samples.
const MAX_CHANNELS_FIRST: u64 = 64;

impl super::Format for Npy {
    fn name(&self) -> &'static str {
        "npy"
    }

    fn sniff(&self, head: &[u8], extension: &str) -> Sniff {
        Sniff::by(head.starts_with(npy::MAGIC), extension == "npy")
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let Input {
            file, name, size, ..
        } = input;
        let npy_err = |error| LoaderError::Npy {
            path: name.clone(),
            error,
        };
        let mut head = vec![0u8; size.min(12) as usize];
        file.read_exact_at(&mut head, 0)
            .map_err(|e| LoaderError::io(&name, e))?;
        let extent = npy::header_extent(&head).map_err(npy_err)?;
        if extent > size {
            return Err(npy_err(NpyError::Truncated {
                need: extent,
                have: size,
            }));
        }
        let mut header_bytes = vec![0u8; extent as usize];
        file.read_exact_at(&mut header_bytes, 0)
            .map_err(|e| LoaderError::io(&name, e))?;
        let header = npy::parse_header(&header_bytes).map_err(npy_err)?;
        let (samples, channels, layout) = shape_layout(&header, &name)?;
        let need = header.data_len().ok_or_else(|| LoaderError::Invalid {
            path: name.clone(),
            what: "shape",
            why: format!(
                "{:?} of {} needs more than 2^64 bytes",
                header.shape, header.dtype
            ),
        })?;
        let have = size - header.data_offset;
        if need > have {
            return Err(LoaderError::DataTooShort {
                path: name,
                shape: header.shape.clone(),
                need,
                have,
                offset: header.data_offset,
            });
        }
        let meta = if header.meta.is_empty() {
            read_sidecar(Path::new(&name))
        } else {
            Some((header.meta.clone(), "npy header".to_string()))
        };
        let mut info = info(name.clone(), &header, (samples, channels, layout), meta)?;
        info.file_size = Some(size);
        if have > need {
            info.warnings.push(format!(
                "{name}: {} bytes after the array data are ignored",
                have - need
            ));
        }
        let frame_bytes = info.frame_bytes();
        let source: Box<dyn FrameSource> = match layout {
            Layout::Interleaved => Box::new(MappedFrames::new(
                file,
                name,
                header.data_offset,
                frame_bytes,
                need,
            )),
            Layout::Planar => Box::new(PlanarFrames::new(
                file,
                name,
                header.data_offset,
                samples,
                channels,
                header.dtype.size(),
            )),
        };
        Ok(Trace { info, source })
    }
}

/// The description of a .npy array, from a file or a stream; `meta` is the metadata found
/// and where it was found.
pub(super) fn info(
    path: String,
    header: &NpyHeader,
    (samples, channels, layout): (u64, usize, Layout),
    meta: Option<(CaptureMeta, String)>,
) -> Result<TraceInfo, LoaderError> {
    if header.complex && layout == Layout::Planar {
        return Err(LoaderError::Invalid {
            path,
            what: "complex array",
            why: "channels stored one after the other are not read for complex samples; \
                  save np.ascontiguousarray of the (samples, channels) array"
                .into(),
        });
    }
    let columns = if header.complex {
        2 * channels
    } else {
        channels
    };
    let mut info = TraceInfo::plain(
        path,
        "npy",
        (header.dtype, header.endian),
        header.shape.clone(),
        Some(samples),
        columns,
    )?;
    info.layout = layout;

    info.data_offset = Some(header.data_offset);
    let mut info = match meta {
        Some((meta, source)) => info.with_meta(&meta, source),
        None => info,
    };
    if header.complex {
        info.set_complex()?;
    }
    Ok(info)
}

/// Samples, channels and layout of a .npy array (SPEC §1: 2-D arrays are captures of
/// `(samples, channels)`, or `(channels, samples)` when the first dimension is small).
pub(super) fn shape_layout(h: &NpyHeader, name: &str) -> Result<(u64, usize, Layout), LoaderError> {
    let (samples, channels, layout) = match h.shape.as_slice() {
        [] => (1, 1, Layout::Interleaved),
        [n] => (*n, 1, Layout::Interleaved),
        [a, b] => {
            let channels_first = *a <= MAX_CHANNELS_FIRST && *b > MAX_CHANNELS_FIRST;
            let (samples, channels) = if channels_first { (*b, *a) } else { (*a, *b) };
            // C order stores the last axis fastest, Fortran the first.
            let fastest_is_channel = channels_first == h.fortran_order;
            let layout = if fastest_is_channel || channels == 1 {
                Layout::Interleaved
            } else {
                Layout::Planar
            };
            (samples, channels, layout)
        }
        dims => {
            return Err(LoaderError::Npy {
                path: name.into(),
                error: NpyError::Dims(dims.len()),
            });
        }
    };
    if channels == 0 {
        return Err(LoaderError::Invalid {
            path: name.into(),
            what: "shape",
            why: format!("{:?} has no channels (a size of 0)", h.shape),
        });
    }
    let channels = usize::try_from(channels).unwrap_or(usize::MAX);
    // Before the data size is checked, so a wide shape is told as such.
    if let Some(e) = super::too_many_channels(name, &h.shape, channels) {
        return Err(e);
    }
    Ok((samples, channels, layout))
}
