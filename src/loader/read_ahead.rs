//! A [`FrameStream`] run on its own thread, a few batches ahead of its consumer.
//!
//! Text and transition-list readers (VCD, Saleae) parse and expand on one core while the
//! command's own work (statistics of every channel, a decoder) waits for them; with the
//! stream on a second thread the two overlap. Frames come out in the same order, so every
//! result is unchanged. Memory: at most [`BATCHES_IN_FLIGHT`] + 2 batches of at most
//! [`BATCH_BYTES`] each.

use super::stream::FrameStream;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// The largest batch handed across, in bytes (a few cache-friendly MiB).
const BATCH_BYTES: usize = 2 << 20;
/// Batches the producer may finish before the consumer takes them.
const BATCHES_IN_FLIGHT: usize = 2;

type Batch<E> = Result<Vec<u8>, E>;

/// `stream` on a producer thread once frames are first asked for; skips before that go to
/// the stream itself, cheaply. When no thread can be started, the stream runs inline.
pub struct ReadAhead<S: FrameStream> {
    state: State<S>,
    frame_bytes: usize,
    /// The batch being handed out, from byte `pos` on.
    batch: Vec<u8>,
    pos: usize,
}

enum State<S: FrameStream> {
    Inline(S),
    Ahead {
        batches: Receiver<Batch<S::Error>>,
        spares: Sender<Vec<u8>>,
    },
    /// The producer reported the end or an error, or went away; also while the stream
    /// changes hands.
    Ended,
}

impl<S: FrameStream + 'static> ReadAhead<S> {
    pub fn new(stream: S, frame_bytes: usize) -> Self {
        ReadAhead {
            state: State::Inline(stream),
            frame_bytes: frame_bytes.max(1),
            batch: Vec::new(),
            pos: 0,
        }
    }

    /// Move the stream to a producer thread (it stays inline if no thread starts).
    fn start(&mut self, max: usize) {
        let State::Inline(stream) = std::mem::replace(&mut self.state, State::Ended) else {
            unreachable!("started twice");
        };
        let frames = max.clamp(1, (BATCH_BYTES / self.frame_bytes).max(1));
        let (job_tx, job_rx) = sync_channel::<S>(1);
        let (batch_tx, batches) = sync_channel(BATCHES_IN_FLIGHT);
        let (spares, spare_rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || {
                if let Ok(stream) = job_rx.recv() {
                    produce(stream, frames, &batch_tx, &spare_rx);
                }
            });
        self.state = match spawned {
            Ok(_) => match job_tx.send(stream) {
                Ok(()) => State::Ahead { batches, spares },
                Err(returned) => State::Inline(returned.0),
            },
            // No thread (a process out of threads): the stream runs inline.
            Err(_) => State::Inline(stream),
        };
    }

    /// The next batch from the producer into `self.batch`; false at the end.
    fn refill(&mut self) -> Result<bool, S::Error> {
        let State::Ahead { batches, spares } = &self.state else {
            return Ok(false);
        };
        let next = batches.recv();
        match next {
            Ok(Ok(batch)) if !batch.is_empty() => {
                let old = std::mem::replace(&mut self.batch, batch);
                let _ = spares.send(old);
                self.pos = 0;
                Ok(true)
            }
            Ok(Err(e)) => {
                self.state = State::Ended;
                Err(e)
            }
            // An empty batch marks the end; a vanished producer ended too (it only leaves
            // after sending the end or an error, or by panicking, which reports itself).
            _ => {
                self.state = State::Ended;
                Ok(false)
            }
        }
    }

    fn buffered_frames(&self) -> usize {
        (self.batch.len() - self.pos) / self.frame_bytes
    }
}

/// The producer: fill recycled buffers with up to `frames` frames each and send them, an
/// empty batch at the end; stop when the consumer is gone.
fn produce<S: FrameStream>(
    mut stream: S,
    frames: usize,
    batches: &SyncSender<Batch<S::Error>>,
    spares: &Receiver<Vec<u8>>,
) {
    loop {
        let mut buf = spares.try_recv().unwrap_or_default();
        buf.clear();
        match stream.next_frames(frames, &mut buf) {
            Ok(n) => {
                if batches.send(Ok(buf)).is_err() || n == 0 {
                    return;
                }
            }
            Err(e) => {
                let _ = batches.send(Err(e));
                return;
            }
        }
    }
}

impl<S: FrameStream + 'static> FrameStream for ReadAhead<S> {
    type Error = S::Error;

    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, S::Error> {
        if let State::Inline(_) = self.state {
            self.start(max);
        }
        if let State::Inline(stream) = &mut self.state {
            return stream.next_frames(max, out);
        }
        let mut n = 0;
        while n < max {
            if self.buffered_frames() == 0 && !self.refill()? {
                break;
            }
            let k = self.buffered_frames().min(max - n);
            let end = self.pos + k * self.frame_bytes;
            out.extend_from_slice(&self.batch[self.pos..end]);
            self.pos = end;
            n += k;
        }
        Ok(n)
    }

    fn skip(&mut self, count: u64) -> Result<u64, S::Error> {
        if let State::Inline(stream) = &mut self.state {
            return stream.skip(count);
        }
        let mut n = 0u64;
        while n < count {
            if self.buffered_frames() == 0 && !self.refill()? {
                break;
            }
            let k = (self.buffered_frames() as u64).min(count - n);
            self.pos += k as usize * self.frame_bytes;
            n += k;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::source::FrameSource;
    use crate::loader::stream::PulledFrames;
    use crate::loader::stream::tests::{Counting, counted};

    #[test]
    fn frames_come_out_in_order_whatever_the_requests() {
        let len = 1_600_000; // more than two batches of 2 MiB / 3 bytes
        for (first, requests) in [
            (5u64, [1usize, 7, 100_000, 1 << 20]),
            (0, [1 << 20, 3, 999_999, 17]),
        ] {
            let mut src = PulledFrames::new(ReadAhead::new(Counting::new(len), 3), "x".into(), 3);
            let mut at = first;
            let mut k = 0;
            while at < len {
                let count = requests[k % requests.len()];
                k += 1;
                let got = src.frames(at, count).unwrap().to_vec();
                let want = counted(at..(at + count as u64).min(len));
                assert_eq!(got, want, "frames {at}+{count}");
                // Every other request overlaps the previous one, every third leaves a gap.
                at += match k % 3 {
                    0 => count as u64 + 11,
                    1 => (count as u64 / 2).max(1),
                    _ => count as u64,
                };
            }
            assert_eq!(src.frames(len + 1, 10).unwrap(), [] as [u8; 0]);
        }
    }

    #[test]
    fn a_producer_error_reaches_the_consumer_after_the_frames_before_it() {
        let mut ahead = ReadAhead::new(Counting::failing_at(2_000_000, 1_500_000), 3);
        let mut out = Vec::new();
        let mut total = 0;
        let err = loop {
            match ahead.next_frames(100_000, &mut out) {
                Ok(0) => panic!("ended without the error"),
                Ok(n) => total += n,
                Err(e) => break e,
            }
        };
        assert!(err.to_string().contains("bad frame 1500000"), "{err}");
        assert!(total <= 1_500_000, "{total}");
        assert_eq!(out, counted(0..total as u64));
    }
}
