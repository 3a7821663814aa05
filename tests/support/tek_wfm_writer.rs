//! Test and bench support (not shipped): a streaming writer of Tektronix WFM#003 files (int16 curve, one frame, either byte order),
//! for tests and for benchmarks that compare the loader's speed on a mapped scope file with .npy.
//! Memory is the caller's buffer: a 2 GB file is written in chunks.

use super::Endian;
use std::io::{self, Write};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{samples} int16 samples do not fit a WFM#003 file (at most {max}: its sizes are u32)")]
    TooManySamples { samples: u64, max: u64 },
    #[error("{written} samples written but {declared} declared")]
    Count { written: u64, declared: u64 },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What the written record says about its samples.
#[derive(Debug, Clone)]
pub struct TekWfmSpec {
    pub samples: u64,
    /// value = code × y_scale + y_offset, in volts.
    pub y_scale: f64,
    pub y_offset: f64,
    /// Seconds per sample and the time of sample 0.
    pub x_increment: f64,
    pub x_origin: f64,
    pub label: String,
    pub endian: Endian,
}

/// Header bytes of WFM#003 before the curve buffer (one frame).
const HEADER_LEN: usize = 838;
/// Bytes after the curve: the u64 checksum.
const TRAILER_LEN: u64 = 8;

impl TekWfmSpec {
    /// Largest sample count whose file sizes fit the format's u32 fields.
    pub const MAX_SAMPLES: u64 = (u32::MAX as u64 - HEADER_LEN as u64 - TRAILER_LEN) / 2;

    /// Total file size in bytes.
    pub fn file_len(&self) -> u64 {
        HEADER_LEN as u64 + 2 * self.samples + TRAILER_LEN
    }

    fn header(&self) -> Result<[u8; HEADER_LEN], WriteError> {
        if self.samples > Self::MAX_SAMPLES {
            return Err(WriteError::TooManySamples {
                samples: self.samples,
                max: Self::MAX_SAMPLES,
            });
        }
        let curve_bytes = (2 * self.samples) as u32;
        let mut h = Header {
            bytes: [0u8; HEADER_LEN],
            endian: self.endian,
        };
        let mark = match self.endian {
            Endian::Little => [0x0f, 0x0f],
            Endian::Big => [0xf0, 0xf0],
        };
        h.bytes(0, &mark);
        h.bytes(2, b":WFM#003");
        // Bytes from offset 15 to the end of the checksum, and how many digits that has.
        let to_eof = self.file_len() - 15;
        h.bytes(10, &[to_eof.to_string().len() as u8]);
        h.u32(11, to_eof as u32);
        h.bytes(15, &[2]);
        h.u32(16, HEADER_LEN as u32);
        h.u32(20, 1); // horizontal zoom scale
        h.f64(28, 1.0); // vertical zoom scale
        let label = self.label.as_bytes();
        h.bytes(40, &label[..label.len().min(31)]);
        h.u16(76, 512); // header size, as the scopes write it
        // Waveform header: single waveform, vector data, one curve.
        h.u32(82, 1); // waveform count
        h.u32(102, 5); // slot id
        h.u32(110, 1); // update spec count
        h.u32(114, 1); // implicit dimensions
        h.u32(118, 1); // explicit dimensions
        h.u32(122, 2); // data type: vector
        h.u32(134, 1); // accumulated waveforms
        h.u32(138, 1); // target accumulation
        h.u32(142, 1); // curve objects
        // Explicit dimension 1 (volts) and its user view; dimension 2 unused.
        h.f64(168, self.y_scale);
        h.f64(176, self.y_offset);
        h.bytes(188, b"V");
        h.f64(224, 1.0); // resolution
        h.u32(240, 0); // format: int16
        h.u32(244, 0); // storage: sample
        h.f64(268, self.y_scale * 65536.0 / 10.0); // volts per division
        h.bytes(276, b"V");
        h.f64(304, 1.0); // point density
        h.f64(312, 50.0); // horizontal reference, %
        h.u32(400, 9); // dimension 2: no dimension
        h.u32(404, 6); // invalid storage
        // Implicit dimension 1 (time) and its user view; dimension 2 unused.
        h.f64(488, self.x_increment);
        h.f64(496, self.x_origin);
        h.u32(504, self.samples.min(u64::from(u32::MAX)) as u32);
        h.bytes(508, b"s");
        h.u32(560, 1); // point spacing
        h.f64(564, self.x_increment * self.samples as f64 / 10.0); // seconds per division
        h.bytes(572, b"s");
        h.f64(600, 1.0); // point density
        h.f64(608, 50.0); // horizontal reference, %
        // Time bases: real-time sampling of a time record; the second one invalid.
        h.u32(760, 1);
        h.u32(764, 1);
        h.u32(772, 0);
        h.u32(776, 3);
        h.u32(780, 3);
        // Update spec (offsets 784..808) stays zero: trigger on sample 0, no timestamp.
        // Curve object: no pre/post-charge.
        h.u32(808, 81); // state flags, as the scopes write them
        h.u32(822, 0);
        h.u32(826, curve_bytes);
        h.u32(830, curve_bytes);
        h.u32(834, curve_bytes);
        Ok(h.bytes)
    }
}

struct Header {
    bytes: [u8; HEADER_LEN],
    endian: Endian,
}

macro_rules! put {
    ($($name:ident: $t:ty),*) => {
        impl Header {
            $(
                fn $name(&mut self, at: usize, v: $t) {
                    let raw = match self.endian {
                        Endian::Little => v.to_le_bytes(),
                        Endian::Big => v.to_be_bytes(),
                    };
                    self.bytes(at, &raw);
                }
            )*
        }
    };
}

put!(u16: u16, u32: u32, f64: f64);

impl Header {
    fn bytes(&mut self, at: usize, value: &[u8]) {
        self.bytes[at..at + value.len()].copy_from_slice(value);
    }
}

/// Writes the header at creation, samples as they come, the checksum at [`finish`].
///
/// [`finish`]: TekWfmWriter::finish
pub struct TekWfmWriter<W: Write> {
    out: W,
    endian: Endian,
    checksum: u64,
    written: u64,
    declared: u64,
    scratch: Vec<u8>,
}

impl<W: Write> TekWfmWriter<W> {
    pub fn new(mut out: W, spec: &TekWfmSpec) -> Result<TekWfmWriter<W>, WriteError> {
        let header = spec.header()?;
        out.write_all(&header)?;
        Ok(TekWfmWriter {
            out,
            endian: spec.endian,
            checksum: byte_sum(&header),
            written: 0,
            declared: spec.samples,
            scratch: Vec::new(),
        })
    }

    /// Append int16 codes; more than declared is an error.
    pub fn write_samples(&mut self, codes: &[i16]) -> Result<(), WriteError> {
        let total = self.written + codes.len() as u64;
        if total > self.declared {
            return Err(WriteError::Count {
                written: total,
                declared: self.declared,
            });
        }
        self.scratch.clear();
        let endian = self.endian;
        self.scratch.extend(codes.iter().flat_map(|c| match endian {
            Endian::Little => c.to_le_bytes(),
            Endian::Big => c.to_be_bytes(),
        }));
        self.checksum = self.checksum.wrapping_add(byte_sum(&self.scratch));
        self.out.write_all(&self.scratch)?;
        self.written = total;
        Ok(())
    }

    /// Write the checksum (the sum of every byte before it) and return the output.
    pub fn finish(mut self) -> Result<W, WriteError> {
        if self.written != self.declared {
            return Err(WriteError::Count {
                written: self.written,
                declared: self.declared,
            });
        }
        let checksum = match self.endian {
            Endian::Little => self.checksum.to_le_bytes(),
            Endian::Big => self.checksum.to_be_bytes(),
        };
        self.out.write_all(&checksum)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn byte_sum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b)).sum()
}
