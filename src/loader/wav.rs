//! WAV (RIFF/WAVE), RF64 and BW64 headers.
//!
//! A RIFF file is a 12-byte header (`RIFF`, size, `WAVE`) and chunks (4-byte id, u32 size,
//! body, a pad byte when the size is odd), in any order. `fmt ` says how samples are stored,
//! `data` holds them as interleaved frames. RF64/BW64 (EBU Tech 3306/3285) put `0xFFFFFFFF`
//! in the 32-bit sizes and the real 64-bit sizes in a `ds64` chunk right after the header.
//! Streaming recorders leave the data size at 0 or `0xFFFFFFFF`: the data then runs to the
//! end of the file (with a warning).
//!
//! PCM codes are scaled to ±1.0 (gain 1/2^(container bits − 1); unsigned 8-bit has an offset
//! of −1.0, i.e. code 128 is 0.0), as sox, libsndfile and `--raw-codes`-less readers expect;
//! the loader may ignore gain/offset to give raw codes. Floats are not scaled.

use super::XUnit;
use super::interchange::read::{read_exact_at, read_vec, u16_le, u32_le, u64_le};
use super::interchange::{ChannelExt, ColumnExt, FormatError};
use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::fs::File;
use std::path::Path;

pub const NAME: &str = "wav";

crate::loader::layout::layout_format! {
    /// The loader's handle on this format.
    Wav, NAME, magic: sniff, extension: |e| e == "wav", parse: parse
}

/// A file with more chunks than this is refused rather than scanned forever.
const MAX_CHUNKS: u32 = 100_000;
/// `fmt `, `ds64` and `bext` bodies larger than this are not headers.
const MAX_HEADER_CHUNK: u64 = 64 * 1024;
/// The 14 bytes after the format tag in a WAVE_FORMAT_EXTENSIBLE sub-format GUID.
const KSDATAFORMAT_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];
const TAG_PCM: u16 = 1;
const TAG_FLOAT: u16 = 3;
const TAG_EXTENSIBLE: u16 = 0xfffe;

pub fn sniff(head: &[u8], _extension: &str) -> bool {
    head.len() >= 12
        && matches!(&head[..4], b"RIFF" | b"RF64" | b"BW64" | b"RIFX")
        && &head[8..12] == b"WAVE"
}

/// Format facts for `info`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WavMeta {
    /// `RIFF`, `RF64` or `BW64`.
    pub container: String,
    /// `PCM` or `IEEE float`.
    pub encoding: String,
    pub format_tag: u16,
    pub channels: u16,
    pub sample_rate: u32,
    /// Bits of the sample container (8, 16, 24, 32, 64).
    pub container_bits: u16,
    /// Meaningful bits (`wBitsPerSample`, or `wValidBitsPerSample` when extensible).
    pub valid_bits: u16,
    pub channel_mask: Option<u32>,
    pub block_align: u16,
    pub data_offset: u64,
    pub data_bytes: u64,
    /// Frames the `fact` chunk claims, if there is one.
    pub fact_frames: Option<u64>,
    /// Broadcast WAV `bext` chunk.
    pub bext: Option<Bext>,
}

/// The parts of a Broadcast WAV `bext` chunk that say what and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bext {
    pub description: String,
    pub originator: String,
    pub origination_date: String,
    pub origination_time: String,
    /// First sample's time since midnight, in samples.
    pub time_reference: u64,
}

impl VendorMeta for WavMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![
            ("container".into(), self.container.clone()),
            (
                "encoding".into(),
                format!("{} (format tag 0x{:04x})", self.encoding, self.format_tag),
            ),
            ("channels".into(), self.channels.to_string()),
            ("sample rate".into(), format!("{} Hz", self.sample_rate)),
            (
                "bits".into(),
                format!("{} valid in {}", self.valid_bits, self.container_bits),
            ),
            (
                "data".into(),
                format!("{} bytes at offset {}", self.data_bytes, self.data_offset),
            ),
        ];
        if let Some(mask) = self.channel_mask {
            rows.push(("channel mask".into(), format!("0x{mask:08x}")));
        }
        if let Some(f) = self.fact_frames {
            rows.push(("fact frames".into(), f.to_string()));
        }
        if let Some(b) = &self.bext {
            rows.push(("bext description".into(), b.description.clone()));
            rows.push(("bext originator".into(), b.originator.clone()));
            rows.push((
                "bext origination".into(),
                format!("{} {}", b.origination_date, b.origination_time),
            ));
            rows.push(("bext time reference".into(), b.time_reference.to_string()));
        }
        rows
    }
}

/// The `fmt ` chunk, resolved to how the samples are stored.
struct Fmt {
    format_tag: u16,
    float: bool,
    channels: u16,
    sample_rate: u32,
    block_align: u16,
    container_bytes: u16,
    valid_bits: u16,
    channel_mask: Option<u32>,
}

/// Sizes from an RF64/BW64 `ds64` chunk.
struct Ds64 {
    data_size: u64,
    sample_count: u64,
    /// 64-bit sizes of other chunks whose 32-bit size is 0xFFFFFFFF.
    table: Vec<([u8; 4], u64)>,
}

pub fn parse(file: &File, _path: &Path, size: u64) -> Result<Layout<WavMeta>, FormatError> {
    let mut head = [0u8; 12];
    read_exact_at(file, 0, &mut head, size, "the RIFF header")?;
    let container = match &head[..4] {
        b"RIFF" | b"RF64" | b"BW64" => String::from_utf8_lossy(&head[..4]).into_owned(),
        b"RIFX" => return Err(FormatError::Unsupported("big-endian RIFX WAV".into())),
        other => {
            return Err(FormatError::NotFormat {
                format: "WAV",
                found: format!("it starts with {:?}, not RIFF/RF64/BW64", show_id(other)),
            });
        }
    };
    if &head[8..12] != b"WAVE" {
        return Err(FormatError::NotFormat {
            format: "WAV",
            found: format!("the RIFF form is {:?}, not WAVE", show_id(&head[8..12])),
        });
    }
    let rf64 = container != "RIFF";
    let mut warnings = Vec::new();
    let mut ds64: Option<Ds64> = None;
    let mut fmt: Option<Fmt> = None;
    let mut data: Option<(u64, u64)> = None;
    let mut fact: Option<u64> = None;
    let mut bext: Option<Bext> = None;
    let mut pos = 12u64;
    let mut chunks = 0u32;
    while pos < size {
        if size - pos < 8 {
            warnings.push(format!(
                "{} stray bytes after the last chunk (offset {pos}) ignored",
                size - pos
            ));
            break;
        }
        chunks += 1;
        if chunks > MAX_CHUNKS {
            return Err(FormatError::Malformed(format!(
                "more than {MAX_CHUNKS} RIFF chunks; this is not a WAV header"
            )));
        }
        let mut ch = [0u8; 8];
        read_exact_at(file, pos, &mut ch, size, "a RIFF chunk header")?;
        let id: [u8; 4] = [ch[0], ch[1], ch[2], ch[3]];
        let size32 = u32_le(&ch, 4);
        let body = pos + 8;
        let avail = size - body;
        let declared = if rf64 && size32 == u32::MAX {
            rf64_size(&id, ds64.as_ref(), pos)?
        } else {
            u64::from(size32)
        };
        match &id {
            b"ds64" if rf64 => ds64 = Some(parse_ds64(file, body, declared, size)?),
            b"fmt " => {
                let bytes = header_chunk(file, body, declared, size, "the fmt chunk")?;
                fmt = Some(parse_fmt(&bytes)?);
            }
            b"fact" if declared >= 4 => {
                let mut b = [0u8; 4];
                read_exact_at(file, body, &mut b, size, "the fact chunk")?;
                let n = u32::from_le_bytes(b);
                fact = Some(match (&ds64, n) {
                    (Some(d), u32::MAX) => d.sample_count,
                    _ => u64::from(n),
                });
            }
            b"bext" => {
                let len = declared.min(MAX_HEADER_CHUNK).min(avail);
                bext = parse_bext(&read_vec(file, body, len, size, "the bext chunk")?);
            }
            b"data" => {
                if data.is_some() {
                    warnings.push(format!("a second data chunk at offset {pos} is ignored"));
                } else {
                    let streaming = !rf64
                        && (size32 == u32::MAX
                            || (size32 == 0 && avail > 0 && !chunk_follows(file, body, size)));
                    if streaming {
                        warnings.push(format!(
                            "the data chunk size is 0x{size32:08x} (a streaming recorder's \
                             placeholder): reading the {avail} bytes to the end of the file"
                        ));
                        data = Some((body, avail));
                        break;
                    }
                    if declared > avail {
                        warnings.push(format!(
                            "the data chunk says {declared} bytes but the file holds {avail} \
                             after offset {body} (truncated?): reading {avail}"
                        ));
                        data = Some((body, avail));
                        break;
                    }
                    data = Some((body, declared));
                }
            }
            _ => {}
        }
        let next = body
            .checked_add(declared)
            .and_then(|e| e.checked_add(declared & 1));
        match next {
            Some(next) if next <= size => {
                // Some writers forget the pad byte after an odd chunk: accept the chunk that
                // starts one byte earlier when only it looks like one.
                pos = if declared & 1 == 1
                    && next < size
                    && !chunk_follows(file, next, size)
                    && chunk_follows(file, next - 1, size)
                {
                    warnings.push(format!(
                        "chunk {:?} at offset {pos} has an odd size and no pad byte",
                        show_id(&id)
                    ));
                    next - 1
                } else {
                    next
                };
            }
            _ if next == Some(size + 1) => break, // a missing final pad byte
            _ => {
                if fmt.is_none() || data.is_none() {
                    return Err(FormatError::Truncated {
                        what: format!("chunk {:?}", show_id(&id)),
                        need: declared,
                        offset: body,
                        size,
                    });
                }
                warnings.push(format!(
                    "chunk {:?} at offset {pos} says {declared} bytes but the file ends at \
                     {size}; ignored",
                    show_id(&id)
                ));
                break;
            }
        }
    }
    if rf64 && ds64.is_none() {
        return Err(FormatError::Malformed(format!(
            "{container} file without a ds64 chunk"
        )));
    }
    let fmt = fmt.ok_or_else(|| FormatError::Malformed("no fmt chunk in the WAV file".into()))?;
    let (data_offset, data_bytes) =
        data.ok_or_else(|| FormatError::Malformed("no data chunk in the WAV file".into()))?;
    build_layout(
        fmt,
        container,
        data_offset,
        data_bytes,
        fact,
        bext,
        warnings,
    )
}

fn build_layout(
    fmt: Fmt,
    container: String,
    data_offset: u64,
    data_bytes: u64,
    fact_frames: Option<u64>,
    bext: Option<Bext>,
    mut warnings: Vec<String>,
) -> Result<Layout<WavMeta>, FormatError> {
    let dtype = match (fmt.float, fmt.container_bytes) {
        (false, 1) => DType::U8,
        (false, 2) => DType::I16,
        (false, 3) => DType::I24,
        (false, 4) => DType::I32,
        (false, 8) => DType::I64,
        (true, 4) => DType::F32,
        (true, 8) => DType::F64,
        (float, n) => {
            return Err(FormatError::Unsupported(format!(
                "{}-byte {} WAV samples",
                n,
                if float { "float" } else { "PCM" }
            )));
        }
    };
    let frame = u64::from(fmt.block_align);
    let frames = data_bytes / frame;
    if !data_bytes.is_multiple_of(frame) {
        warnings.push(format!(
            "the data chunk holds {data_bytes} bytes, not a whole number of {frame}-byte \
             frames: the last {} bytes are ignored",
            data_bytes % frame
        ));
    }
    let (gain, offset) = match dtype {
        DType::U8 => (1.0 / 128.0, -1.0),
        d if d.is_float() => (1.0, 0.0),
        d => (2f64.powi(-(8 * d.size() as i32 - 1)), 0.0),
    };
    let size = dtype.size() as u64;
    let mut columns = Vec::with_capacity(usize::from(fmt.channels));
    let mut channels = Vec::with_capacity(usize::from(fmt.channels));
    for c in 0..u64::from(fmt.channels) {
        let mut column = Column::new(dtype, Endian::Little);
        column.push_run(Run {
            offset: data_offset + c * size,
            samples: frames,
            stride: frame,
        });
        channels.push(Channel {
            gain,
            offset,
            ..Channel::plain(format!("CH{}", c + 1), columns.len())
        });
        columns.push(column);
    }
    let meta = WavMeta {
        container,
        encoding: if fmt.float { "IEEE float" } else { "PCM" }.into(),
        format_tag: fmt.format_tag,
        channels: fmt.channels,
        sample_rate: fmt.sample_rate,
        container_bits: fmt.container_bytes * 8,
        valid_bits: fmt.valid_bits,
        channel_mask: fmt.channel_mask,
        block_align: fmt.block_align,
        data_offset,
        data_bytes,
        fact_frames,
        bext,
    };
    Ok(Layout {
        data_file: None,
        columns,
        channels,
        samples: frames,
        x_increment: Some(1.0 / f64::from(fmt.sample_rate)),
        x_unit: XUnit::Seconds,
        x_origin: None,
        segments: Vec::new(),
        warnings,
        meta,
    })
}

/// The 64-bit size of a chunk whose 32-bit size is 0xFFFFFFFF in an RF64 file.
fn rf64_size(id: &[u8; 4], ds64: Option<&Ds64>, pos: u64) -> Result<u64, FormatError> {
    let ds64 = ds64.ok_or_else(|| {
        FormatError::Malformed(format!(
            "chunk {:?} at offset {pos} has size 0xFFFFFFFF but no ds64 chunk precedes it",
            show_id(id)
        ))
    })?;
    if id == b"data" {
        return Ok(ds64.data_size);
    }
    ds64.table
        .iter()
        .find(|(tid, _)| tid == id)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            FormatError::Malformed(format!(
                "chunk {:?} at offset {pos} has size 0xFFFFFFFF but the ds64 table has no entry \
                 for it",
                show_id(id)
            ))
        })
}

/// The body of a small header chunk, refusing absurd sizes before allocating.
fn header_chunk(
    file: &File,
    body: u64,
    declared: u64,
    size: u64,
    what: &str,
) -> Result<Vec<u8>, FormatError> {
    if declared > MAX_HEADER_CHUNK {
        return Err(FormatError::Malformed(format!(
            "{what} says {declared} bytes (more than {MAX_HEADER_CHUNK}: not a header)"
        )));
    }
    read_vec(file, body, declared, size, what)
}

fn parse_ds64(file: &File, body: u64, declared: u64, size: u64) -> Result<Ds64, FormatError> {
    if declared < 28 {
        return Err(FormatError::Malformed(format!(
            "the ds64 chunk has {declared} bytes; it needs at least 28"
        )));
    }
    let b = header_chunk(file, body, declared, size, "the ds64 chunk")?;
    let entries = u32_le(&b, 24) as usize;
    // Each table entry is a chunk id and a u64 size; the count is capped by the chunk size.
    let fits = (b.len() - 28) / 12;
    let table = (0..entries.min(fits))
        .map(|i| {
            let at = 28 + 12 * i;
            ([b[at], b[at + 1], b[at + 2], b[at + 3]], u64_le(&b, at + 4))
        })
        .collect();
    Ok(Ds64 {
        data_size: u64_le(&b, 8),
        sample_count: u64_le(&b, 16),
        table,
    })
}

fn parse_fmt(b: &[u8]) -> Result<Fmt, FormatError> {
    if b.len() < 16 {
        return Err(FormatError::Malformed(format!(
            "the fmt chunk has {} bytes; it needs at least 16",
            b.len()
        )));
    }
    let format_tag = u16_le(b, 0);
    let channels = u16_le(b, 2);
    let sample_rate = u32_le(b, 4);
    let block_align = u16_le(b, 12);
    let bits = u16_le(b, 14);
    let (tag, valid_bits, channel_mask) = if format_tag == TAG_EXTENSIBLE {
        if b.len() < 40 {
            return Err(FormatError::Malformed(format!(
                "the WAVE_FORMAT_EXTENSIBLE fmt chunk has {} bytes; it needs 40",
                b.len()
            )));
        }
        if b[26..40] != KSDATAFORMAT_TAIL {
            return Err(FormatError::Unsupported(
                "a WAVE_FORMAT_EXTENSIBLE sub-format that is not a standard KSDATAFORMAT GUID"
                    .to_string(),
            ));
        }
        let valid = match u16_le(b, 18) {
            0 => bits,
            v => v,
        };
        (u16_le(b, 24), valid, Some(u32_le(b, 20)))
    } else {
        (format_tag, bits, None)
    };
    let float = match tag {
        TAG_PCM => false,
        TAG_FLOAT => true,
        other => {
            return Err(FormatError::Unsupported(format!(
                "WAV encoding {} (format tag 0x{other:04x}); tracekit reads PCM and IEEE float",
                encoding_name(other)
            )));
        }
    };
    if channels == 0 || sample_rate == 0 || block_align == 0 {
        return Err(FormatError::Malformed(format!(
            "the fmt chunk says {channels} channels, {sample_rate} Hz, {block_align}-byte \
             frames; none may be 0"
        )));
    }
    if !block_align.is_multiple_of(channels) {
        return Err(FormatError::Malformed(format!(
            "{block_align}-byte frames cannot hold {channels} equal channels"
        )));
    }
    let container_bytes = block_align / channels;
    if bits == 0 || u32::from(valid_bits) > u32::from(container_bytes) * 8 {
        return Err(FormatError::Malformed(format!(
            "{valid_bits} bits per sample do not fit {container_bytes}-byte samples \
             ({block_align}-byte frames of {channels} channels)"
        )));
    }
    Ok(Fmt {
        format_tag,
        float,
        channels,
        sample_rate,
        block_align,
        container_bytes,
        valid_bits,
        channel_mask,
    })
}

fn encoding_name(tag: u16) -> &'static str {
    match tag {
        2 => "MS ADPCM",
        6 => "A-law",
        7 => "µ-law",
        0x11 => "IMA ADPCM",
        0x31 => "GSM 6.10",
        0x50 | 0x55 => "MPEG",
        _ => "unknown",
    }
}

/// bext (EBU Tech 3285): Description[256] Originator[32] OriginatorReference[32]
/// OriginationDate[10] OriginationTime[8] TimeReferenceLow/High (u32 each).
fn parse_bext(b: &[u8]) -> Option<Bext> {
    let text = |r: std::ops::Range<usize>| {
        let s = b.get(r)?;
        let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        Some(String::from_utf8_lossy(&s[..end]).trim().to_string())
    };
    let low = u64::from(u32_le(b.get(338..342)?, 0));
    let high = u64::from(u32_le(b.get(342..346)?, 0));
    Some(Bext {
        description: text(0..256)?,
        originator: text(256..288)?,
        origination_date: text(320..330)?,
        origination_time: text(330..338)?,
        time_reference: high << 32 | low,
    })
}

/// Whether a plausible chunk header (printable id, size within the file) starts at `at`.
fn chunk_follows(file: &File, at: u64, size: u64) -> bool {
    let mut h = [0u8; 8];
    if read_exact_at(file, at, &mut h, size, "a RIFF chunk header").is_err() {
        return false;
    }
    h[..4].iter().all(|&c| c.is_ascii_graphic() || c == b' ')
        && u64::from(u32_le(&h, 4)) <= size - at - 8
}

fn show_id(id: &[u8]) -> String {
    id.iter()
        .map(|&c| {
            if c.is_ascii_graphic() || c == b' ' {
                char::from(c).to_string()
            } else {
                format!("\\x{c:02x}")
            }
        })
        .collect()
}
