//! Opening a capture: format detection, header parsing, layout and metadata.

use super::hdf5::Hdf5Frames;
use super::hdf5::{self, H5File};
use super::source::{FrameSource, MappedFrames, PlanarFrames, StreamFrames};
use super::{Format, Layout, LoaderError, Trace, TraceInfo};
use crate::sample::CaptureMeta;
use crate::sample::npy;
use crate::sample::{DType, Endian};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// What the user said about the input (SPEC §1), already parsed and typed.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// None or `-` = standard input.
    pub path: Option<PathBuf>,
    /// None = detect (magic bytes, then extension).
    pub format: Option<Format>,
    pub dtype: Option<DType>,
    pub endian: Option<Endian>,
    pub offset: Option<u64>,
    pub length: Option<u64>,
    pub channels: Option<usize>,
    pub dataset: Option<String>,
    pub sample_rate: Option<f64>,
}

/// A .npy shape of `(a, b)` with a ≤ this < b is read as channels × samples.
const MAX_CHANNELS_FIRST: u64 = 64;

/// Open the input the options describe.
pub fn open(opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let mut trace = match opts.path.as_deref().filter(|p| *p != Path::new("-")) {
        None => open_stdin(opts)?,
        Some(path) => open_file(path, opts)?,
    };
    if let Some(rate) = opts.sample_rate {
        trace.info.sample_rate = Some(rate);
        trace.info.rate_source = Some("--sample-rate".into());
    }
    Ok(trace)
}

fn open_file(path: &Path, opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let name = path.display().to_string();
    let md = std::fs::metadata(path).map_err(|e| LoaderError::io(&name, e))?;
    if md.is_dir() {
        return Err(LoaderError::IsDir { path: name });
    }
    let file = File::open(path).map_err(|e| LoaderError::io(&name, e))?;
    let size = md.len();
    if size == 0 {
        return Err(LoaderError::Empty { path: name });
    }
    // Enough to find an HDF5 signature behind a user block of up to 64 KiB.
    let mut head = vec![0u8; size.min(SNIFF_BYTES) as usize];
    file.read_exact_at(&mut head, 0)
        .map_err(|e| LoaderError::io(&name, e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match opts.format {
        Some(f) => f,
        None if head.starts_with(npy::MAGIC) => Format::Npy,
        None if head.starts_with(b"PK\x03\x04") || ext == "npz" => {
            return Err(LoaderError::Npz { path: name });
        }
        None if hdf5::sniff(&head).is_some()
            || matches!(ext.as_str(), "h5" | "hdf5" | "hdf" | "he5") =>
        {
            Format::Hdf5
        }
        None if ext == "npy" => Format::Npy,
        None => Format::Raw,
    };
    match format {
        Format::Npy => open_npy_file(file, name, size),
        Format::Raw => open_raw_file(file, name, size, &ext, opts),
        Format::Hdf5 => open_hdf5_file(file, path, name, size, opts),
    }
}

const SNIFF_BYTES: u64 = 64 << 10;

fn open_hdf5_file(
    file: File,
    path: &Path,
    name: String,
    size: u64,
    opts: &OpenOptions,
) -> Result<Trace, LoaderError> {
    let h5err = |e: hdf5::H5Error| LoaderError::Hdf5(e.to_string());
    let h5 = H5File::open(path).map_err(h5err)?;
    let chosen = h5.choose_dataset(opts.dataset.as_deref()).map_err(h5err)?;
    let reader = h5.reader(&chosen.path).map_err(h5err)?;
    let (dtype, endian, samples, channels) = (
        reader.dtype(),
        reader.endian(),
        reader.frames(),
        reader.channels(),
    );
    let time = h5.time_base(&chosen.path).map_err(h5err)?;
    let datasets = h5.datasets().map_err(h5err)?;
    let attributes = h5.attributes(&chosen.path).map_err(h5err)?;
    let frame_bytes = dtype.size() * channels;
    // Contiguous, unfiltered data is mapped like a .npy; everything else is decoded chunk by chunk.
    let (source, layout): (Box<dyn FrameSource>, Layout) = match chosen.data_offset {
        Some(offset) if !reader.channels_first() => (
            Box::new(MappedFrames::new(
                file,
                name.clone(),
                offset,
                frame_bytes,
                samples * frame_bytes as u64,
            )),
            Layout::Interleaved,
        ),
        Some(offset) => (
            Box::new(PlanarFrames::new(
                file,
                name.clone(),
                offset,
                samples,
                channels,
                dtype.size(),
            )),
            Layout::Planar,
        ),
        None => (Box::new(Hdf5Frames::new(reader)), Layout::Interleaved),
    };
    let warnings: Vec<String> = time.notes.iter().map(|n| format!("{name}: {n}")).collect();
    let info = TraceInfo {
        path: name,
        format: Format::Hdf5,
        dtype,
        endian,
        shape: chosen.shape.clone(),
        samples: Some(samples),
        channels,
        layout,
        sample_rate: time.sample_rate.as_ref().map(|s| s.value),
        rate_source: time.sample_rate.as_ref().map(|s| s.source.clone()),
        start_time: time.start_time.as_ref().map(|s| s.value),
        file_size: Some(size),
        data_offset: chosen.data_offset,
        warnings,
        hdf5: Some(hdf5_report(&chosen, &datasets, &attributes, &time)),
    };
    Ok(Trace { info, source })
}

/// The HDF5 part of `info`: every dataset, the chosen one and its attributes (SPEC §4).
fn hdf5_report(
    chosen: &hdf5::DatasetInfo,
    datasets: &[hdf5::DatasetInfo],
    attributes: &[hdf5::ObjectAttributes],
    time: &hdf5::TimeBase,
) -> serde_json::Value {
    use serde_json::json;
    let listing: Vec<serde_json::Value> = datasets
        .iter()
        .map(|d| {
            json!({
                "path": d.path,
                "shape": d.shape,
                "dtype": d.type_name,
                "layout": d.layout.name(),
                "chunks": d.chunk_shape,
                "filters": d.filters,
            })
        })
        .collect();
    let mut attrs = serde_json::Map::new();
    for object in attributes {
        let values: serde_json::Map<String, serde_json::Value> = object
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), attr_json(v)))
            .collect();
        attrs.insert(object.object.clone(), serde_json::Value::Object(values));
    }
    json!({
        "dataset": chosen.path,
        "datasets": listing,
        "attributes": attrs,
        "start_time_source": time.start_time.as_ref().map(|s| s.source.clone()),
    })
}

fn attr_json(v: &hdf5::AttrValue) -> serde_json::Value {
    use hdf5::AttrValue as A;
    match v {
        A::Bool(b) => (*b).into(),
        A::Int(i) => (*i).into(),
        A::UInt(u) => (*u).into(),
        A::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        A::Text(t) => t.clone().into(),
        A::Array(items) => items.iter().map(attr_json).collect::<Vec<_>>().into(),
        A::Unsupported(what) => format!("<{what}>").into(),
    }
}

fn open_npy_file(file: File, name: String, size: u64) -> Result<Trace, LoaderError> {
    let npy_err = |error| LoaderError::Npy {
        path: name.clone(),
        error,
    };
    let mut head = vec![0u8; size.min(12) as usize];
    file.read_exact_at(&mut head, 0)
        .map_err(|e| LoaderError::io(&name, e))?;
    let extent = npy::header_extent(&head).map_err(npy_err)?;
    if extent > size {
        return Err(npy_err(npy::NpyError::Truncated {
            need: extent,
            have: size,
        }));
    }
    let mut header_bytes = vec![0u8; extent as usize];
    file.read_exact_at(&mut header_bytes, 0)
        .map_err(|e| LoaderError::io(&name, e))?;
    let header = npy::parse_header(&header_bytes).map_err(npy_err)?;
    let (samples, channels, layout) = npy_layout(&header, &name)?;
    let need = header.data_len().unwrap_or(u64::MAX);
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
    let mut warnings = Vec::new();
    if have > need {
        warnings.push(format!(
            "{name}: {} bytes after the array data are ignored",
            have - need
        ));
    }
    let meta = if header.meta.is_empty() {
        read_sidecar(Path::new(&name)).map(|m| {
            (
                m,
                format!(
                    "sidecar {}",
                    CaptureMeta::sidecar_path(Path::new(&name)).display()
                ),
            )
        })
    } else {
        Some((header.meta.clone(), "npy header".to_string()))
    };
    let frame_bytes = header.dtype.size() * channels;
    let source: Box<dyn FrameSource> = match layout {
        Layout::Interleaved => Box::new(MappedFrames::new(
            file,
            name.clone(),
            header.data_offset,
            frame_bytes,
            need,
        )),
        Layout::Planar => Box::new(PlanarFrames::new(
            file,
            name.clone(),
            header.data_offset,
            samples,
            channels,
            header.dtype.size(),
        )),
    };
    let info = npy_info(
        name,
        &header,
        (samples, channels, layout),
        meta,
        Some(size),
        warnings,
    );
    Ok(Trace { info, source })
}

/// The description of a .npy array, from a file or a stream; `meta` is the metadata found
/// and where it was found.
fn npy_info(
    path: String,
    header: &npy::NpyHeader,
    (samples, channels, layout): (u64, usize, Layout),
    meta: Option<(CaptureMeta, String)>,
    file_size: Option<u64>,
    warnings: Vec<String>,
) -> TraceInfo {
    let (meta, source) = meta.unwrap_or_default();
    TraceInfo {
        path,
        format: Format::Npy,
        dtype: header.dtype,
        endian: header.endian,
        shape: header.shape.clone(),
        samples: Some(samples),
        channels,
        layout,
        sample_rate: meta.sample_rate,
        rate_source: meta.sample_rate.map(|_| source),
        start_time: meta.start_time,
        file_size,
        data_offset: Some(header.data_offset),
        warnings,
        hdf5: None,
    }
}

/// Samples, channels and layout of a .npy array (SPEC §1: 2-D arrays are captures of
/// `(samples, channels)`, or `(channels, samples)` when the first dimension is small).
fn npy_layout(h: &npy::NpyHeader, name: &str) -> Result<(u64, usize, Layout), LoaderError> {
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
                error: npy::NpyError::Dims(dims.len()),
            });
        }
    };
    if channels == 0 || channels > u32::MAX as u64 {
        return Err(LoaderError::Invalid {
            path: name.into(),
            what: "shape",
            why: format!("{:?} has no channels", h.shape),
        });
    }
    Ok((samples, channels as usize, layout))
}

/// Extensions that name a raw sample type.
fn dtype_from_extension(ext: &str) -> Option<DType> {
    match ext {
        "f32" | "f64" | "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64" | "f16" => {
            DType::parse(ext).map(|(d, _)| d)
        }
        _ => None,
    }
}

fn raw_dtype(opts: &OpenOptions, ext: &str, name: &str, hint: &str) -> Result<DType, LoaderError> {
    opts.dtype
        .or_else(|| dtype_from_extension(ext))
        .ok_or_else(|| LoaderError::RawNoDtype {
            path: name.to_string(),
            hint: hint.to_string(),
        })
}

fn open_raw_file(
    file: File,
    name: String,
    size: u64,
    ext: &str,
    opts: &OpenOptions,
) -> Result<Trace, LoaderError> {
    let hint = if opts.format.is_none() {
        " (it is not a .npy or HDF5 file)"
    } else {
        ""
    };
    let meta = read_sidecar(Path::new(&name));
    let side_dtype = meta
        .as_ref()
        .and_then(|m| m.dtype.as_deref())
        .and_then(DType::parse)
        .map(|(d, _)| d);
    let dtype = match opts.dtype.or(side_dtype) {
        Some(d) => d,
        None => raw_dtype(opts, ext, &name, hint)?,
    };
    let channels = opts
        .channels
        .or(meta.as_ref().and_then(|m| m.channels))
        .unwrap_or(1);
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
    let mut warnings = Vec::new();
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
        None => {
            if tail != 0 {
                warnings.push(format!(
                    "{name}: the last {tail} bytes do not make a whole {}-byte frame and are ignored",
                    frame_bytes
                ));
            }
            have
        }
    };
    let source = MappedFrames::new(
        file,
        name.clone(),
        offset,
        frame_bytes as usize,
        samples * frame_bytes,
    );
    let info = TraceInfo {
        path: name.clone(),
        format: Format::Raw,
        dtype,
        endian: opts
            .endian
            .or(match meta.as_ref().and_then(|m| m.byte_order.as_deref()) {
                Some("big") => Some(Endian::Big),
                _ => None,
            })
            .unwrap_or(Endian::Little),
        shape: if channels == 1 {
            vec![samples]
        } else {
            vec![samples, channels as u64]
        },
        samples: Some(samples),
        channels,
        layout: Layout::Interleaved,
        sample_rate: meta.as_ref().and_then(|m| m.sample_rate),
        rate_source: meta.as_ref().filter(|m| m.sample_rate.is_some()).map(|_| {
            format!(
                "sidecar {}",
                CaptureMeta::sidecar_path(Path::new(&name)).display()
            )
        }),
        start_time: meta.as_ref().and_then(|m| m.start_time),
        file_size: Some(size),
        data_offset: Some(offset),
        warnings,
        hdf5: None,
    };
    Ok(Trace {
        info,
        source: Box::new(source),
    })
}

const STDIN: &str = "<stdin>";

fn open_stdin(opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let mut reader: Box<dyn Read + Send> = Box::new(std::io::stdin());
    let raw_wanted = opts.format == Some(Format::Raw)
        || (opts.dtype.is_some() && opts.format != Some(Format::Npy));
    if opts.format == Some(Format::Hdf5) {
        return Err(LoaderError::Invalid {
            path: STDIN.into(),
            what: "format",
            why: "HDF5 cannot be streamed; save it to a file".into(),
        });
    }
    let mut head = Vec::new();
    if !raw_wanted {
        read_up_to(&mut reader, &mut head, 12)?;
        if head.is_empty() {
            return Err(LoaderError::Empty { path: STDIN.into() });
        }
        if head.starts_with(npy::MAGIC) {
            return open_npy_stream(reader, head);
        }
        if opts.dtype.is_none() {
            return Err(LoaderError::RawNoDtype {
                path: STDIN.into(),
                hint: " (standard input is not a .npy stream)".into(),
            });
        }
    }
    let dtype = raw_dtype(opts, "", STDIN, "")?;
    let channels = opts.channels.unwrap_or(1);
    let frame_bytes = dtype.size() * channels;
    // Skip --offset bytes, counting what was already read while sniffing.
    let offset = opts.offset.unwrap_or(0) as usize;
    if offset > 0 {
        let from_head = offset.min(head.len());
        head.drain(..from_head);
        let mut rest = (offset - from_head) as u64;
        let skipped = std::io::copy(&mut (&mut reader).take(rest), &mut std::io::sink())
            .map_err(|e| LoaderError::io(STDIN, e))?;
        rest -= skipped;
        if rest > 0 {
            return Err(LoaderError::RawOffset {
                path: STDIN.into(),
                offset: offset as u64,
                size: offset as u64 - rest,
            });
        }
    }
    let info = TraceInfo {
        path: STDIN.into(),
        format: Format::Raw,
        dtype,
        endian: opts.endian.unwrap_or(Endian::Little),
        shape: Vec::new(),
        samples: opts.length,
        channels,
        layout: Layout::Interleaved,
        sample_rate: None,
        rate_source: None,
        start_time: None,
        file_size: None,
        data_offset: opts.offset,
        warnings: Vec::new(),
        hdf5: None,
    };
    let source = StreamFrames::new(reader, STDIN.into(), frame_bytes, opts.length, head);
    Ok(Trace {
        info,
        source: Box::new(source),
    })
}

fn open_npy_stream(
    mut reader: Box<dyn Read + Send>,
    mut head: Vec<u8>,
) -> Result<Trace, LoaderError> {
    let npy_err = |error| LoaderError::Npy {
        path: STDIN.into(),
        error,
    };
    let extent = npy::header_extent(&head).map_err(npy_err)? as usize;
    read_up_to(&mut reader, &mut head, extent)?;
    let header = npy::parse_header(&head).map_err(npy_err)?;
    let (samples, channels, layout) = npy_layout(&header, STDIN)?;
    if layout == Layout::Planar {
        return Err(LoaderError::Invalid {
            path: STDIN.into(),
            what: "layout",
            why: "a multi-channel array stored channel after channel (Fortran order) cannot be streamed; save it to a file first".into(),
        });
    }
    let rest = head.split_off(extent);
    let frame_bytes = header.dtype.size() * channels;
    let meta = Some((header.meta.clone(), "npy header".to_string()));
    let info = npy_info(
        STDIN.into(),
        &header,
        (samples, channels, layout),
        meta,
        None,
        Vec::new(),
    );
    let source = StreamFrames::new(reader, STDIN.into(), frame_bytes, Some(samples), rest);
    Ok(Trace {
        info,
        source: Box::new(source),
    })
}

/// Read until `buf` holds `n` bytes or the stream ends.
fn read_up_to(
    reader: &mut Box<dyn Read + Send>,
    buf: &mut Vec<u8>,
    n: usize,
) -> Result<(), LoaderError> {
    if buf.len() >= n {
        return Ok(());
    }
    let want = (n - buf.len()) as u64;
    reader
        .take(want)
        .read_to_end(buf)
        .map_err(|e| LoaderError::io(STDIN, e))?;
    Ok(())
}

/// The metadata in `data`'s sidecar file, if it has a readable one.
fn read_sidecar(data: &Path) -> Option<CaptureMeta> {
    let text = std::fs::read_to_string(CaptureMeta::sidecar_path(data)).ok()?;
    CaptureMeta::from_sidecar_json(&text)
}
