//! Formats whose samples must be decoded in order (zip-deflated sigrok sessions, and later
//! VCD text and Saleae transition lists) produce frames through [`FrameStream`], a pull
//! interface; [`PulledFrames`] turns one into the loader's [`FrameSource`].

use super::read_ahead::ReadAhead;
use super::source::FrameSource;
use super::{Channel, FormatDetails, LoaderError, Trace, TraceInfo};
use crate::sample::{DType, Endian};
use std::sync::Arc;

/// A sequential producer of C-order frames (all columns of sample i, then i+1), in the
/// native byte order of the trace's dtype. Memory is bounded by `max` frames plus fixed
/// buffers, whatever the file size.
pub trait FrameStream: Send {
    type Error: std::error::Error + Send + Sync + 'static;
    /// Append up to `max` whole frames to `out`; returns how many, 0 at the end.
    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, Self::Error>;
    /// Skip `n` frames cheaply (no output); returns how many there were.
    fn skip(&mut self, n: u64) -> Result<u64, Self::Error>;
}

/// A [`FrameStream`] as a [`FrameSource`]: requests must move forward (a request may repeat
/// the frames of the previous one, as overlapping chunks do).
pub struct PulledFrames<S> {
    stream: S,
    path: String,
    frame_bytes: usize,
    /// Frames `[buf_start, buf_start + buf.len() / frame_bytes)`.
    buf: Vec<u8>,
    buf_start: u64,
    ended: bool,
}

impl<S: FrameStream> PulledFrames<S> {
    pub fn new(stream: S, path: String, frame_bytes: usize) -> Self {
        PulledFrames {
            stream,
            path,
            frame_bytes: frame_bytes.max(1),
            buf: Vec::new(),
            buf_start: 0,
            ended: false,
        }
    }

    fn error(&self, e: S::Error) -> LoaderError {
        LoaderError::Invalid {
            path: self.path.clone(),
            what: "data",
            why: e.to_string(),
        }
    }

    fn buffered(&self) -> u64 {
        (self.buf.len() / self.frame_bytes) as u64
    }
}

impl<S: FrameStream> FrameSource for PulledFrames<S> {
    fn frames(&mut self, start: u64, count: usize) -> Result<&[u8], LoaderError> {
        if start < self.buf_start {
            return Err(LoaderError::Backwards {
                path: self.path.clone(),
            });
        }
        let fb = self.frame_bytes;
        let buf_end = self.buf_start + self.buffered();
        if start >= buf_end {
            self.buf.clear();
            if start > buf_end && !self.ended {
                let want = start - buf_end;
                let skipped = self.stream.skip(want).map_err(|e| self.error(e))?;
                self.ended = skipped < want;
            }
        } else {
            self.buf.drain(..(start - self.buf_start) as usize * fb);
        }
        self.buf_start = start;
        while self.buffered() < count as u64 && !self.ended {
            let want = count - self.buffered() as usize;
            let got = self
                .stream
                .next_frames(want, &mut self.buf)
                .map_err(|e| self.error(e))?;
            self.ended = got == 0;
        }
        let have = (self.buffered() as usize).min(count) * fb;
        Ok(&self.buf[..have])
    }
}

/// What a transition-list reader (VCD, Saleae) knows once its header is read: a stream
/// of `columns` native-order columns of `dtype`, expanded to `samples` uniform samples.
pub struct Expanded {
    pub path: String,
    pub format: &'static str,
    pub dtype: DType,
    pub columns: usize,
    pub samples: u64,
    pub channels: Vec<Channel>,
    pub rate: Option<f64>,
    /// How the rate was chosen (`info` shows it).
    pub rate_source: String,
    pub start_time: Option<f64>,
    pub file_size: u64,
    pub warnings: Vec<String>,
    pub details: Arc<dyn FormatDetails>,
}

impl Expanded {
    /// The trace's description (a reader adds what is its own: segments, data offset).
    pub fn info(self) -> Result<TraceInfo, LoaderError> {
        let shape = if self.columns == 1 {
            vec![self.samples]
        } else {
            vec![self.samples, self.columns as u64]
        };
        let mut info = TraceInfo::plain(
            self.path,
            self.format,
            (self.dtype, Endian::NATIVE),
            shape,
            Some(self.samples),
            self.columns,
        )?;
        info.channels = self.channels;
        info.sample_rate = self.rate;
        info.rate_source = Some(self.rate_source);
        info.start_time = self.start_time;
        info.file_size = Some(self.file_size);
        info.warnings = self.warnings;
        info.details = Some(self.details);
        Ok(info)
    }
}

/// The trace whose frames `stream` produces as `info` describes them, the stream running a
/// few batches ahead on its own thread.
pub fn pulled_trace(info: TraceInfo, stream: impl FrameStream + 'static) -> Trace {
    let stream = ReadAhead::new(stream, info.frame_bytes());
    let source = PulledFrames::new(stream, info.path.clone(), info.frame_bytes());
    Trace {
        info,
        source: Box::new(source),
    }
}

/// Most samples a transition list (VCD, Saleae) may expand to: 2^40 (1.1e12, a terabyte of
/// u8 frames). More means a rate far above what the data needs, almost always a mistake.
pub const MAX_EXPANDED_SAMPLES: u64 = 1 << 40;

/// Check a `-r` rate at which transitions are expanded.
pub fn checked_rate(rate: f64) -> Result<f64, String> {
    if rate.is_finite() && rate > 0.0 {
        Ok(rate)
    } else {
        Err(format!(
            "the rate {rate} samples/s is not a positive finite number"
        ))
    }
}

/// Append `count` copies of `frame` to `out` (doubling copies: fast for long idle runs).
pub fn repeat_frame(out: &mut Vec<u8>, frame: &[u8], count: usize) {
    if count == 0 || frame.is_empty() {
        return;
    }
    if let [byte] = frame {
        out.resize(out.len() + count, *byte);
        return;
    }
    let start = out.len();
    let total = frame.len() * count;
    if count <= 8 && frame.len() <= 32 {
        // A busy dump: a few samples per change. Fixed-size copies the compiler inlines,
        // not a memcpy call per frame (that call was a seventh of a VCD `stats`).
        out.resize(start + total, 0);
        for to in out[start..].chunks_exact_mut(frame.len()) {
            copy_small(to, frame);
        }
        return;
    }
    out.reserve(total);
    if count <= 8 {
        for _ in 0..count {
            out.extend_from_slice(frame);
        }
        return;
    }
    out.extend_from_slice(frame);
    let mut done = frame.len();
    while done < total {
        let n = done.min(total - done);
        out.extend_from_within(start..start + n);
        done += n;
    }
}

/// Copy `from` (at most 32 bytes) into `to` of the same length with two overlapping
/// fixed-size copies of the widest size that fits.
#[inline(always)]
fn copy_small(to: &mut [u8], from: &[u8]) {
    let n = from.len();
    if n >= 16 {
        to[..16].copy_from_slice(&from[..16]);
        to[n - 16..].copy_from_slice(&from[n - 16..]);
    } else if n >= 8 {
        to[..8].copy_from_slice(&from[..8]);
        to[n - 8..].copy_from_slice(&from[n - 8..]);
    } else if n >= 4 {
        to[..4].copy_from_slice(&from[..4]);
        to[n - 4..].copy_from_slice(&from[n - 4..]);
    } else {
        for (t, f) in to.iter_mut().zip(from) {
            *t = *f;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Frames of three u8 columns (i, i >> 8, i >> 16) for i in 0..len, failing at frame
    /// `fail_at`; shared with the read-ahead tests.
    pub(crate) struct Counting {
        next: u64,
        len: u64,
        fail_at: Option<u64>,
    }

    impl Counting {
        pub(crate) fn new(len: u64) -> Self {
            Counting {
                next: 0,
                len,
                fail_at: None,
            }
        }

        pub(crate) fn failing_at(len: u64, at: u64) -> Self {
            Counting {
                fail_at: Some(at),
                ..Counting::new(len)
            }
        }
    }

    /// The bytes `Counting` gives for frames `range`.
    pub(crate) fn counted(range: std::ops::Range<u64>) -> Vec<u8> {
        range
            .flat_map(|i| [i as u8, (i >> 8) as u8, (i >> 16) as u8])
            .collect()
    }

    impl FrameStream for Counting {
        type Error = std::io::Error;

        fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, std::io::Error> {
            let n = (max as u64).min(self.len - self.next);
            if let Some(at) = self
                .fail_at
                .filter(|&at| (self.next..self.next + n).contains(&at))
            {
                return Err(std::io::Error::other(format!("bad frame {at}")));
            }
            out.extend(counted(self.next..self.next + n));
            self.next += n;
            Ok(n as usize)
        }

        fn skip(&mut self, n: u64) -> Result<u64, std::io::Error> {
            let n = n.min(self.len - self.next);
            self.next += n;
            Ok(n)
        }
    }

    #[test]
    fn requests_overlap_skip_and_stop_at_the_end() {
        let mut src = PulledFrames::new(Counting::new(10), "x".into(), 3);
        assert_eq!(src.frames(0, 3).unwrap(), counted(0..3));
        // Overlapping the previous request, then a gap that is skipped.
        assert_eq!(src.frames(2, 2).unwrap(), counted(2..4));
        assert_eq!(src.frames(7, 2).unwrap(), counted(7..9));
        assert_eq!(src.frames(9, 5).unwrap(), counted(9..10));
        assert_eq!(src.frames(12, 5).unwrap(), [] as [u8; 0]);
        assert!(matches!(
            src.frames(3, 1),
            Err(LoaderError::Backwards { .. })
        ));
    }

    #[test]
    fn repeat_frame_copies_exactly() {
        let ramp: Vec<u8> = (1..=40).collect();
        let mut frames = vec![&[7u8][..], &[1, 2, 3][..], &[9; 16][..]];
        frames.extend((2..=40).map(|n| &ramp[..n]));
        for frame in frames {
            for count in [0usize, 1, 2, 3, 5, 8, 9, 64, 1000] {
                let mut out = vec![0xee];
                repeat_frame(&mut out, frame, count);
                let mut want = vec![0xee];
                for _ in 0..count {
                    want.extend_from_slice(frame);
                }
                assert_eq!(out, want, "frame {frame:?} count {count}");
            }
        }
    }
}
