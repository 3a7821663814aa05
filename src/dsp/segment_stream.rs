//! The overlapping segments of a stream fed in chunks of any size, handed out straight from
//! each chunk, for Welch's pass ([`welch`](super::welch)) and the
//! [`spectrogram`](super::spectrogram).
//!
//! Segment `g` of a stream is its samples `g·hop .. g·hop + nfft`. When a chunk completes at
//! least `min_run` segments, they are handed to the caller's `run` in place: the few that
//! begin in samples kept from earlier chunks come from a small f64 buffer (which then also
//! holds the chunk's first `nfft - 1` samples, so such a segment is whole there), the rest
//! from the chunk itself, in its own sample type. Only what a chunk leaves over (less than a
//! segment, or the segments of a chunk too short to be worth a parallel run) is kept, widened
//! to f64. Copying every sample into an f64 buffer cost as much memory traffic as the FFTs.
//! Several signals (I and Q) are fed side by side, chunks of the same length.

use crate::sample::Sample;

/// Runs `$body` with `$x` bound to a segment's [`Samples`], whichever type they are in.
macro_rules! with_samples {
    ($samples:expr, |$x:ident| $body:expr) => {
        match $samples {
            $crate::dsp::segment_stream::Samples::Held($x) => $body,
            $crate::dsp::segment_stream::Samples::Chunk($x) => $body,
        }
    };
}
pub(super) use with_samples;

/// Where the segments of one run are.
pub(super) struct Stream<'a, T> {
    /// Per signal: the samples kept from earlier chunks (`held` of them), followed by the
    /// head of this chunk.
    buffers: &'a [Vec<f64>],
    held: usize,
    /// Per signal: this chunk.
    chunks: &'a [&'a [T]],
    nfft: usize,
    hop: usize,
}

/// One segment's samples: kept from earlier chunks, or in the caller's chunk.
pub(super) enum Samples<'a, T> {
    Held(&'a [f64]),
    Chunk(&'a [T]),
}

impl<'a, T: Sample> Stream<'a, T> {
    /// Segment `s` of the run (0 is its first), of signal `signal`.
    pub fn segment(&self, signal: usize, s: usize) -> Samples<'a, T> {
        let at = s * self.hop;
        match at.checked_sub(self.held) {
            None => Samples::Held(&self.buffers[signal][at..at + self.nfft]),
            Some(at) => Samples::Chunk(&self.chunks[signal][at..at + self.nfft]),
        }
    }
}

/// The state between chunks: see the module documentation.
pub(super) struct SegmentStream {
    nfft: usize,
    hop: usize,
    min_run: usize,
    buffers: Vec<Vec<f64>>,
    held: usize,
    segments: u64,
}

impl SegmentStream {
    /// Segments handed out so far.
    pub fn segments(&self) -> u64 {
        self.segments
    }

    /// A stream of `signals` signals cut into segments of `nfft` samples `hop` apart, run
    /// `min_run` or more at a time (but for the last ones). Reserves what is ever kept per
    /// signal: fewer than `min_run` segments, plus the head of a chunk.
    pub fn new(signals: usize, nfft: usize, hop: usize, min_run: usize) -> SegmentStream {
        let capacity = (min_run.max(1) - 1) * hop + 2 * nfft;
        SegmentStream {
            nfft,
            hop,
            min_run: min_run.max(1),
            buffers: (0..signals).map(|_| Vec::with_capacity(capacity)).collect(),
            held: 0,
            segments: 0,
        }
    }

    /// Takes the next chunk of every signal (all of one length); when they complete at least
    /// `min_run` segments, calls `run(stream, first, count)` with segments `first .. first +
    /// count` of the stream.
    pub fn feed<T: Sample>(
        &mut self,
        chunks: &[&[T]],
        run: impl FnOnce(&Stream<'_, T>, u64, usize),
    ) {
        let (hop, nfft) = (self.hop, self.nfft);
        let len = chunks.first().map_or(0, |c| c.len());
        let mut from = 0;
        let total = self.held + len;
        let complete = if total >= nfft {
            (total - nfft) / hop + 1
        } else {
            0
        };
        if complete > 0 && complete >= self.min_run {
            // The segments that begin in the buffer end there too.
            if self.held > 0 {
                let head = len.min(nfft - 1);
                for (buffer, chunk) in self.buffers.iter_mut().zip(chunks) {
                    buffer.extend(chunk[..head].iter().map(|v| v.to_f64()));
                }
            }
            let stream = Stream {
                buffers: &self.buffers,
                held: self.held,
                chunks,
                nfft,
                hop,
            };
            run(&stream, self.segments, complete);
            self.segments += complete as u64;
            let consumed = complete * hop;
            if consumed >= self.held {
                from = consumed - self.held;
                self.buffers.iter_mut().for_each(Vec::clear);
                self.held = 0;
            } else {
                for buffer in &mut self.buffers {
                    buffer.truncate(self.held);
                    buffer.drain(..consumed);
                }
                self.held -= consumed;
            }
        }
        for (buffer, chunk) in self.buffers.iter_mut().zip(chunks) {
            buffer.truncate(self.held);
            buffer.extend(chunk[from..].iter().map(|v| v.to_f64()));
        }
        self.held += len - from;
    }

    /// Hands the complete segments still kept to `run`, as [`feed`](Self::feed) does.
    pub fn finish(&mut self, run: impl FnOnce(&Stream<'_, f64>, u64, usize)) {
        if self.held < self.nfft {
            return;
        }
        let count = (self.held - self.nfft) / self.hop + 1;
        let stream = Stream {
            buffers: &self.buffers,
            held: self.held,
            chunks: &[],
            nfft: self.nfft,
            hop: self.hop,
        };
        run(&stream, self.segments, count);
        self.segments += count as u64;
        self.held = 0;
        self.buffers.iter_mut().for_each(Vec::clear);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every segment is handed out once, in order, with its own samples, however the
    /// stream is cut.
    #[test]
    fn hands_out_every_segment_once_with_its_samples() {
        let data: Vec<f32> = (0..1000).map(|v| v as f32).collect();
        let q: Vec<f32> = data.iter().map(|v| -v).collect();
        for (nfft, hop, min_run) in [(16, 8, 1), (16, 16, 3), (10, 3, 5), (16, 5, 40)] {
            for chunk in [1, 7, 16, 100, 1000] {
                let mut stream = SegmentStream::new(2, nfft, hop, min_run);
                let mut seen = Vec::new();
                let mut record =
                    |first: u64, count: usize, get: &dyn Fn(usize, usize) -> Vec<f64>| {
                        for s in 0..count {
                            let (i, q) = (get(0, s), get(1, s));
                            seen.push((first + s as u64, i, q));
                        }
                    };
                for (a, b) in data.chunks(chunk).zip(q.chunks(chunk)) {
                    stream.feed(&[a, b], |st, first, count| {
                        record(first, count, &|signal, s| to_vec(st.segment(signal, s)))
                    });
                }
                stream.finish(|st, first, count| {
                    record(first, count, &|signal, s| to_vec(st.segment(signal, s)))
                });
                let expected = (data.len() - nfft) / hop + 1;
                assert_eq!(seen.len(), expected, "{nfft} {hop} {min_run} chunk {chunk}");
                for (k, (g, i, q)) in seen.into_iter().enumerate() {
                    assert_eq!(g, k as u64);
                    let want: Vec<f64> = (k * hop..k * hop + nfft).map(|v| v as f64).collect();
                    assert_eq!(i, want, "segment {k}, chunk {chunk}");
                    assert_eq!(q, want.iter().map(|v| -v).collect::<Vec<_>>());
                }
            }
        }
    }

    fn to_vec<T: Sample>(samples: Samples<'_, T>) -> Vec<f64> {
        match samples {
            Samples::Held(x) => x.to_vec(),
            Samples::Chunk(x) => x.iter().map(|v| v.to_f64()).collect(),
        }
    }
}
