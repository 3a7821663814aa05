//! WAV output headers: RIFF up to 4 GiB, RF64 beyond (EBU Tech 3306), decided from the size.
//!
//! The header always reserves a 28-byte `JUNK` chunk right after `RIFF....WAVE`, as EBU Tech
//! 3306 recommends: when the data outgrows RIFF's 32-bit sizes the header becomes `RF64` and
//! the `JUNK` chunk a `ds64` holding the 64-bit sizes, with the same length, so a header
//! rewritten at the end (when fewer or more frames came than announced) never moves the
//! samples. Formats: PCM u8/i16 (`WAVE_FORMAT_PCM`) and IEEE float (`WAVE_FORMAT_IEEE_FLOAT`,
//! with a `fact` chunk) for up to 2 channels; `WAVE_FORMAT_EXTENSIBLE` for more channels or
//! PCM deeper than 16 bits (Microsoft's rule). Samples are little-endian.

use crate::sample::DType;

/// What a WAV header says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WavSpec {
    pub dtype: DType,
    pub channels: u16,
    pub sample_rate: u32,
}

/// The sample types a WAV file holds (PCM u8/i16/i32, IEEE float f32/f64); `bool` levels are
/// stored as u8.
pub const WAV_DTYPES: [DType; 6] = [
    DType::Bool,
    DType::U8,
    DType::I16,
    DType::I32,
    DType::F32,
    DType::F64,
];

impl WavSpec {
    /// A spec for `channels` of `dtype` at `rate`, or why a WAV file cannot hold them.
    pub fn new(dtype: DType, channels: usize, rate: Option<f64>) -> Result<WavSpec, String> {
        if !WAV_DTYPES.contains(&dtype) {
            return Err(format!(
                "a WAV file holds u8, i16, i32, f32 or f64 samples, not {dtype}: pass --to with one of them"
            ));
        }
        let frame = channels * dtype.size();
        if channels == 0 || frame > usize::from(u16::MAX) {
            return Err(format!(
                "a WAV file holds 1 to {} channels of {dtype}, not {channels}",
                usize::from(u16::MAX) / dtype.size()
            ));
        }
        let rate = match rate {
            Some(r) if r.fract() == 0.0 && r >= 1.0 && r <= f64::from(u32::MAX) => r as u32,
            Some(r) => {
                return Err(format!(
                    "a WAV file needs a whole sample rate of 1 to 4294967295 Hz, not {r}: pass -r"
                ));
            }
            None => {
                return Err(
                    "a WAV file needs a sample rate and the input states none: pass -r RATE".into(),
                );
            }
        };
        Ok(WavSpec {
            dtype,
            channels: channels as u16,
            sample_rate: rate,
        })
    }

    pub fn frame(&self) -> u64 {
        u64::from(self.channels) * self.dtype.size() as u64
    }

    fn extensible(&self) -> bool {
        self.channels > 2 || (!self.dtype.is_float() && self.dtype.size() > 2)
    }
}

const DS64_BODY: u32 = 28;
const KSDATAFORMAT_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/// The header for `data` bytes of samples. Its length does not depend on `data`, so a final
/// header overwrites a provisional one in place. RF64 when the RIFF size does not fit in 32
/// bits.
pub fn header(spec: &WavSpec, data: u64) -> Vec<u8> {
    let float = spec.dtype.is_float();
    let bits = (spec.dtype.size() * 8) as u16;
    let mut fmt = Vec::with_capacity(40);
    let tag: u16 = if spec.extensible() {
        0xfffe
    } else if float {
        3
    } else {
        1
    };
    fmt.extend_from_slice(&tag.to_le_bytes());
    fmt.extend_from_slice(&spec.channels.to_le_bytes());
    fmt.extend_from_slice(&spec.sample_rate.to_le_bytes());
    let block = spec.frame() as u16;
    fmt.extend_from_slice(&(spec.sample_rate.saturating_mul(u32::from(block))).to_le_bytes());
    fmt.extend_from_slice(&block.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    if spec.extensible() {
        let mask: u32 = match spec.channels {
            1 => 0x4,
            2 => 0x3,
            _ => 0,
        };
        fmt.extend_from_slice(&22u16.to_le_bytes());
        fmt.extend_from_slice(&bits.to_le_bytes());
        fmt.extend_from_slice(&mask.to_le_bytes());
        fmt.extend_from_slice(&(if float { 3u16 } else { 1 }).to_le_bytes());
        fmt.extend_from_slice(&KSDATAFORMAT_TAIL);
    } else if float {
        fmt.extend_from_slice(&0u16.to_le_bytes());
    }
    let fact_len = if float { 12 } else { 0 };
    let len = 12 + 8 + u64::from(DS64_BODY) + 8 + fmt.len() as u64 + fact_len + 8;
    let riff = len - 8 + data + (data & 1);
    let rf64 = riff >= u64::from(u32::MAX);
    let frames = data / spec.frame();
    let small = |v: u64| if rf64 { u32::MAX } else { v as u32 };
    let mut h = Vec::with_capacity(len as usize);
    h.extend_from_slice(if rf64 { b"RF64" } else { b"RIFF" });
    h.extend_from_slice(&small(riff).to_le_bytes());
    h.extend_from_slice(b"WAVE");
    h.extend_from_slice(if rf64 { b"ds64" } else { b"JUNK" });
    h.extend_from_slice(&DS64_BODY.to_le_bytes());
    let mut ds64 = [0u8; DS64_BODY as usize];
    if rf64 {
        ds64[..8].copy_from_slice(&riff.to_le_bytes());
        ds64[8..16].copy_from_slice(&data.to_le_bytes());
        ds64[16..24].copy_from_slice(&frames.to_le_bytes());
    }
    h.extend_from_slice(&ds64);
    h.extend_from_slice(b"fmt ");
    h.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    h.extend_from_slice(&fmt);
    if float {
        h.extend_from_slice(b"fact");
        h.extend_from_slice(&4u32.to_le_bytes());
        h.extend_from_slice(&small(frames).to_le_bytes());
    }
    h.extend_from_slice(b"data");
    h.extend_from_slice(&small(data).to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn riff_below_4_gib_rf64_above_same_length() {
        let spec = WavSpec::new(DType::I16, 2, Some(48000.0)).unwrap();
        let small = header(&spec, 400);
        let big = header(&spec, 5 << 30);
        assert_eq!(small.len(), big.len());
        assert_eq!(&small[..4], b"RIFF");
        assert_eq!(&small[12..16], b"JUNK");
        assert_eq!(&big[..4], b"RF64");
        assert_eq!(&big[12..16], b"ds64");
        assert_eq!(u64::from_le_bytes(big[28..36].try_into().unwrap()), 5 << 30);
        assert_eq!(
            u64::from_le_bytes(big[36..44].try_into().unwrap()),
            (5 << 30) / 4
        );
        // the largest RIFF: riff size 0xFFFFFFFE
        let len = small.len() as u64;
        let fits = u64::from(u32::MAX) - 1 - (len - 8);
        assert_eq!(&header(&spec, fits)[..4], b"RIFF");
        assert_eq!(&header(&spec, fits + 2)[..4], b"RF64");
    }

    #[test]
    fn refuses_what_wav_cannot_hold() {
        assert!(WavSpec::new(DType::I8, 1, Some(1.0)).is_err());
        assert!(
            WavSpec::new(DType::F32, 1, None)
                .unwrap_err()
                .contains("-r")
        );
        assert!(WavSpec::new(DType::F32, 1, Some(0.5)).is_err());
        assert!(WavSpec::new(DType::F64, 9000, Some(8.0)).is_err());
        assert!(WavSpec::new(DType::I32, 3, Some(8.0)).unwrap().extensible());
    }
}
