//! Picking samples out of interleaved frames: a subset of channels, every K-th frame, and
//! an optional change of sample type. Pure functions over byte slices; `slice` feeds them
//! one chunk at a time and they give the same output whatever the chunk boundaries are.
//!
//! Without a type change the kept samples are copied byte for byte (bit-exact, in the input's
//! byte order); with one, each sample goes through f64 and `convert::extend_converted`, whose
//! rounding and clamping rules are the only ones tracekit has. Native, aligned input is read
//! in place as typed slices and converted in bulk.

use crate::sample::convert::extend_converted;
use crate::sample::sink::{Sink, SinkError};
use crate::sample::typed_slice;
use crate::sample::{DType, Endian, Sample};

/// Which frames and channels to keep, and in what type.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The input's sample type and byte order.
    pub dtype: DType,
    pub endian: Endian,
    /// Channels per input frame.
    pub channels: usize,
    /// Input channels to keep, in output order.
    pub keep: Vec<usize>,
    /// First frame of the range (absolute): kept frames are `start + j * step`.
    pub start: u64,
    pub step: u64,
    /// Convert to this type (written in native byte order); None copies bytes unchanged.
    pub to: Option<DType>,
}

impl Selection {
    /// The output's sample type.
    pub fn out_dtype(&self) -> DType {
        self.to.unwrap_or(self.dtype)
    }

    /// The output's byte order: the input's when bytes are copied, native when converted.
    pub fn out_endian(&self) -> Endian {
        if self.to.is_some() {
            Endian::NATIVE
        } else {
            self.endian
        }
    }

    /// Bytes of one output frame.
    pub fn out_frame_bytes(&self) -> usize {
        self.out_dtype().size() * self.keep.len()
    }

    /// True when the output is the input's bytes unchanged: the same type, every channel in
    /// order, every frame. Then [`Selection::apply`] hands back its input without copying.
    pub fn is_copy(&self) -> bool {
        self.to.is_none() && self.step == 1 && self.keep.iter().copied().eq(0..self.channels)
    }

    /// Index within a chunk starting at absolute frame `chunk_start` (≥ `start`) of the first
    /// frame to keep: the phase of the step carries across chunk boundaries.
    fn first_in(&self, chunk_start: u64) -> usize {
        let into = (chunk_start - self.start) % self.step;
        ((self.step - into) % self.step) as usize
    }

    /// The kept samples of `bytes` (whole input frames, the first being absolute frame
    /// `chunk_start`), as output frames. Returns `bytes` itself for a plain copy, else fills
    /// and returns `scratch`.
    pub fn apply<'a>(
        &self,
        chunk_start: u64,
        bytes: &'a [u8],
        scratch: &'a mut Vec<u8>,
    ) -> &'a [u8] {
        if self.is_copy() {
            return bytes;
        }
        scratch.clear();
        let size = self.dtype.size();
        let frame = size * self.channels;
        let frames = bytes.len() / frame;
        let first = self.first_in(chunk_start);
        let step = self.step as usize;
        let kept = frames.saturating_sub(first).div_ceil(step);
        scratch.reserve(kept * self.out_frame_bytes());
        match self.to {
            None => {
                for f in (first..frames).step_by(step) {
                    let f = &bytes[f * frame..(f + 1) * frame];
                    for &ch in &self.keep {
                        scratch.extend_from_slice(&f[ch * size..(ch + 1) * size]);
                    }
                }
            }
            Some(to) => crate::with_sample_type!(self.dtype, T => {
                let frames = first..frames;
                match typed_slice::<T>(bytes, self.dtype, self.endian) {
                    Some(s) => self.convert(frames, |i| s[i].to_f64(), to, scratch),
                    None => self.convert(
                        frames,
                        |i| T::from_bytes(&bytes[i * size..], self.endian).to_f64(),
                        to,
                        scratch,
                    ),
                }
            }),
        }
        scratch
    }

    /// Append the kept samples of `frames` (every `step`-th) converted to `to`; `sample(i)`
    /// reads sample `i` of the chunk (frame-major). One bulk conversion for a single kept
    /// channel, one per frame otherwise.
    fn convert(
        &self,
        frames: std::ops::Range<usize>,
        sample: impl Fn(usize) -> f64,
        to: DType,
        out: &mut Vec<u8>,
    ) {
        let (channels, step) = (self.channels, self.step as usize);
        if let [ch] = self.keep[..] {
            let picked = frames.step_by(step).map(|f| sample(f * channels + ch));
            extend_converted(picked, to, out);
        } else {
            for f in frames.step_by(step) {
                let picked = self.keep.iter().map(|&ch| sample(f * channels + ch));
                extend_converted(picked, to, out);
            }
        }
    }
}

/// A sink that keeps every `step`-th frame from frame `start` (absolute) of the typed
/// columns it is fed and hands them to `write` as interleaved f64 frames, chunk by chunk:
/// `slice`'s path for values the file does not store (scaled channels, logic lanes) and for
/// the .sr/.vcd writers.
pub struct Strided<W> {
    pub start: u64,
    pub step: u64,
    pub write: W,
    frames: Vec<f64>,
}

impl<W: FnMut(&[f64]) -> Result<(), SinkError>> Strided<W> {
    pub fn new(start: u64, step: u64, write: W) -> Self {
        Strided {
            start,
            step: step.max(1),
            write,
            frames: Vec::new(),
        }
    }
}

impl<W: FnMut(&[f64]) -> Result<(), SinkError>> Sink for Strided<W> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        let len = columns.first().map_or(0, |c| c.len());
        let into = (start - self.start) % self.step;
        let first = ((self.step - into) % self.step) as usize;
        self.frames.clear();
        for i in (first..len).step_by(self.step as usize) {
            self.frames.extend(columns.iter().map(|c| c[i].to_f64()));
        }
        (self.write)(&self.frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames of `channels` little-endian i16 with value `frame * 10 + channel`.
    fn frames_i16(n: usize, channels: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| (0..channels).map(move |c| (i * 10 + c) as i16))
            .flat_map(i16::to_le_bytes)
            .collect()
    }

    fn sel(channels: usize, keep: &[usize], start: u64, step: u64, to: Option<DType>) -> Selection {
        Selection {
            dtype: DType::I16,
            endian: Endian::Little,
            channels,
            keep: keep.to_vec(),
            start,
            step,
            to,
        }
    }

    /// Run `s` over `bytes` (starting at absolute frame `s.start`) in chunks of `chunk` frames.
    fn run_chunked(s: &Selection, bytes: &[u8], chunk: usize) -> Vec<u8> {
        let frame = s.dtype.size() * s.channels;
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        for (k, c) in bytes.chunks(chunk * frame).enumerate() {
            out.extend_from_slice(s.apply(s.start + (k * chunk) as u64, c, &mut scratch));
        }
        out
    }

    fn le_i16(bytes: &[u8]) -> Vec<i16> {
        bytes
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect()
    }

    #[test]
    fn plain_copy_is_the_input_itself() {
        let bytes = frames_i16(5, 2);
        let s = sel(2, &[0, 1], 0, 1, None);
        assert!(s.is_copy());
        let mut scratch = Vec::new();
        assert!(std::ptr::eq(
            s.apply(0, &bytes, &mut scratch),
            bytes.as_slice()
        ));
        assert!(!sel(2, &[1, 0], 0, 1, None).is_copy());
        assert!(!sel(2, &[0, 1], 0, 2, None).is_copy());
        assert!(!sel(2, &[0, 1], 0, 1, Some(DType::F32)).is_copy());
    }

    #[test]
    fn step_is_exact_across_any_chunking() {
        // Frames 3..103 of a 1-channel trace, every 7th: 3, 10, 17, ... 101.
        let all = frames_i16(103, 1);
        let s = sel(1, &[0], 3, 7, None);
        let want: Vec<i16> = (3..103).step_by(7).map(|i| (i * 10) as i16).collect();
        for chunk in [1, 2, 6, 7, 8, 13, 100, 1000] {
            assert_eq!(
                le_i16(&run_chunked(&s, &all[3 * 2..], chunk)),
                want,
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn channels_in_any_order_and_repeated() {
        let bytes = frames_i16(3, 3);
        let out = run_chunked(&sel(3, &[2, 0, 2], 0, 1, None), &bytes, 2);
        assert_eq!(le_i16(&out), vec![2, 0, 2, 12, 10, 12, 22, 20, 22]);
    }

    #[test]
    fn big_endian_bytes_are_kept_without_conversion() {
        let bytes: Vec<u8> = [1i16, -2, 300, -400]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let s = Selection {
            endian: Endian::Big,
            ..sel(2, &[1], 0, 1, None)
        };
        let mut scratch = Vec::new();
        assert_eq!(s.apply(0, &bytes, &mut scratch), &[0xff, 0xfe, 0xfe, 0x70]);
        assert_eq!(s.out_endian(), Endian::Big);
    }

    #[test]
    fn conversion_applies_to_the_kept_samples_only() {
        // Two f64 channels; keep channel 1 as i16, then channel 0 of every other frame as u8.
        let frames = [0.4f64, 1e9, 2.5, -3.0, 7.7, 8.0];
        let bytes: Vec<u8> = frames.iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut s = Selection {
            dtype: DType::F64,
            ..sel(2, &[1], 0, 1, Some(DType::I16))
        };
        let mut scratch = Vec::new();
        let got: Vec<i16> = s
            .apply(0, &bytes, &mut scratch)
            .chunks_exact(2)
            .map(|c| i16::from_ne_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(got, vec![32767, -3, 8]);
        s.keep = vec![0];
        s.step = 2;
        s.to = Some(DType::U8);
        assert_eq!(s.apply(0, &bytes, &mut scratch), &[0, 8]);
        assert_eq!(s.out_endian(), Endian::NATIVE);
    }

    #[test]
    fn big_endian_input_converts_by_value() {
        let bytes: Vec<u8> = [1i16, -2, 300]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let s = Selection {
            endian: Endian::Big,
            ..sel(1, &[0], 0, 2, Some(DType::F64))
        };
        let mut scratch = Vec::new();
        let got: Vec<f64> = s
            .apply(0, &bytes, &mut scratch)
            .chunks_exact(8)
            .map(|c| f64::from_ne_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(got, vec![1.0, 300.0]);
    }
}
