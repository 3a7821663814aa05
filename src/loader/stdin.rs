//! Standard input (`-`): a .npy stream or raw samples with `--dtype`, read sequentially.
//! No other format can be streamed: they need to seek.

use super::source::StreamFrames;
use super::{LoaderError, OpenOptions, Trace, TraceInfo, npy, raw};
use crate::sample::Endian;
use crate::sample::npy::{self as npy_header, NpyError};
use std::io::Read;

const STDIN: &str = "<stdin>";

type Reader = Box<dyn Read + Send>;

pub(super) fn open(opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let mut reader: Reader = Box::new(std::io::stdin());
    if let Some(format) = opts.format.filter(|f| !matches!(*f, "npy" | "raw")) {
        return Err(LoaderError::Invalid {
            path: STDIN.into(),
            what: "format",
            why: format!("{format} cannot be streamed; save it to a file"),
        });
    }
    let raw_wanted =
        opts.format == Some("raw") || (opts.dtype.is_some() && opts.format != Some("npy"));
    let mut head = Vec::new();
    if !raw_wanted {
        read_up_to(&mut reader, &mut head, 12)?;
        if head.is_empty() {
            return Err(LoaderError::Empty { path: STDIN.into() });
        }
        if head.starts_with(npy_header::MAGIC) {
            return open_npy(reader, head);
        }
        if opts.dtype.is_none() {
            return Err(LoaderError::RawNoDtype {
                path: STDIN.into(),
                hint: " (standard input is not a .npy stream)".into(),
            });
        }
    }
    let dtype = raw::dtype(opts, "", STDIN, "")?;
    let channels = opts.channels.unwrap_or(1) * if opts.complex { 2 } else { 1 };
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
    let endian = opts.endian.unwrap_or(Endian::Little);
    let mut info = TraceInfo::plain(
        STDIN.into(),
        "raw",
        (dtype, endian),
        Vec::new(),
        opts.length,
        channels,
    )?;
    info.data_offset = opts.offset;
    if opts.complex {
        info.set_complex()?;
    }
    let source = StreamFrames::new(reader, STDIN.into(), frame_bytes, opts.length, head);
    Ok(Trace {
        info,
        source: Box::new(source),
    })
}

fn open_npy(mut reader: Reader, mut head: Vec<u8>) -> Result<Trace, LoaderError> {
    let npy_err = |error: NpyError| LoaderError::Npy {
        path: STDIN.into(),
        error,
    };
    let extent = npy_header::header_extent(&head).map_err(npy_err)? as usize;
    read_up_to(&mut reader, &mut head, extent)?;
    let header = npy_header::parse_header(&head).map_err(npy_err)?;
    let (samples, channels, layout) = npy::shape_layout(&header, STDIN)?;
    if layout == super::Layout::Planar {
        return Err(LoaderError::Invalid {
            path: STDIN.into(),
            what: "layout",
            why: "a multi-channel array stored channel after channel (Fortran order) cannot be streamed; save it to a file first".into(),
        });
    }
    let rest = head.split_off(extent);
    let frame_bytes = header.dtype.size() * channels;
    let meta = Some((header.meta.clone(), "npy header".to_string()));
    let info = npy::info(STDIN.into(), &header, (samples, channels, layout), meta)?;
    let source = StreamFrames::new(reader, STDIN.into(), frame_bytes, Some(samples), rest);
    Ok(Trace {
        info,
        source: Box::new(source),
    })
}

/// Read until `buf` holds `n` bytes or the stream ends.
fn read_up_to(reader: &mut Reader, buf: &mut Vec<u8>, n: usize) -> Result<(), LoaderError> {
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
