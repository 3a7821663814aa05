//! A [`FrameStream`] run on its own thread, a few batches ahead of its consumer.
//!
//! Text and transition-list readers (VCD, Saleae) parse and expand on one core while the
//! command's own work (statistics of every channel, a decoder) waits for them; with the
//! stream on a second thread the two overlap. Frames come out in the same order, so every
//! result is unchanged. A skip is passed on to the producer, which skips the stream itself
//! (cheaply: runs of a transition list are not expanded); the batches it made before are
//! dropped. Memory: at most [`BATCHES_IN_FLIGHT`] + 2 batches of at most [`BATCH_BYTES`].

use super::stream::FrameStream;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// The largest batch handed across, in bytes (a few cache-friendly MiB).
const BATCH_BYTES: usize = 2 << 20;
/// Batches the producer may finish before the consumer takes them.
const BATCHES_IN_FLIGHT: usize = 2;

/// Frames from `start` on (absolute frame numbers); empty at the end.
struct Batch<E> {
    start: u64,
    frames: Result<Vec<u8>, E>,
}

/// The consumer's messages to the producer, in order.
enum Control {
    /// An emptied batch buffer to fill again.
    Spare(Vec<u8>),
    /// Continue from frame `n` (skipping the stream there if it is not past it yet).
    SkipTo(u64),
}

/// `stream` on a producer thread once frames are first asked for; skips before that go to
/// the stream itself, inline. When no thread can be started, the stream runs inline.
pub struct ReadAhead<S: FrameStream> {
    state: State<S>,
    frame_bytes: usize,
    /// The next frame to hand out.
    pos: u64,
    /// The batch being handed out: frames from `batch_start` on.
    batch: Vec<u8>,
    batch_start: u64,
}

enum State<S: FrameStream> {
    Inline(S),
    Ahead {
        batches: Receiver<Batch<S::Error>>,
        control: Sender<Control>,
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
            pos: 0,
            batch: Vec::new(),
            batch_start: 0,
        }
    }

    /// Move the stream to a producer thread (it stays inline if no thread starts).
    fn start(&mut self, max: usize) {
        let State::Inline(stream) = std::mem::replace(&mut self.state, State::Ended) else {
            unreachable!("started twice");
        };
        let frames = max.clamp(1, (BATCH_BYTES / self.frame_bytes).max(1));
        let from = self.pos;
        let (job_tx, job_rx) = sync_channel::<S>(1);
        let (batch_tx, batches) = sync_channel(BATCHES_IN_FLIGHT);
        let (control, control_rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || {
                if let Ok(stream) = job_rx.recv() {
                    produce(stream, from, frames, &batch_tx, &control_rx);
                }
            });
        self.state = match spawned {
            Ok(_) => match job_tx.send(stream) {
                Ok(()) => State::Ahead { batches, control },
                Err(returned) => State::Inline(returned.0),
            },
            // No thread (a process out of threads): the stream runs inline.
            Err(_) => State::Inline(stream),
        };
    }

    /// Frames of the current batch from `pos` on.
    fn buffered(&self) -> u64 {
        let end = self.batch_start + (self.batch.len() / self.frame_bytes) as u64;
        end.saturating_sub(self.pos)
    }

    /// The next batch reaching past `pos` into `self.batch` (older ones, made before a
    /// skip, are dropped); false at the end, where `batch_start` is the end frame.
    fn refill(&mut self) -> Result<bool, S::Error> {
        let State::Ahead { batches, control } = &self.state else {
            return Ok(false);
        };
        loop {
            let Ok(Batch { start, frames }) = batches.recv() else {
                // The producer only leaves after sending the end or an error, or by
                // panicking, which reports itself.
                self.state = State::Ended;
                return Ok(false);
            };
            let batch = match frames {
                Ok(batch) => batch,
                Err(e) => {
                    self.state = State::Ended;
                    return Err(e);
                }
            };
            let old = std::mem::replace(&mut self.batch, batch);
            let _ = control.send(Control::Spare(old));
            self.batch_start = start;
            if self.batch.is_empty() {
                self.state = State::Ended;
                return Ok(false);
            }
            // A batch may start past `pos` only after a skip there, which moves `pos` on.
            if start > self.pos || self.buffered() > 0 {
                return Ok(true);
            }
        }
    }
}

/// The producer: from frame `pos` on, fill recycled buffers with up to `frames` frames each
/// and send them, an empty batch at the end; skip where the consumer asks; stop when the
/// consumer is gone.
fn produce<S: FrameStream>(
    mut stream: S,
    mut pos: u64,
    frames: usize,
    batches: &SyncSender<Batch<S::Error>>,
    control: &Receiver<Control>,
) {
    let mut spares = Vec::new();
    loop {
        for message in control.try_iter() {
            match message {
                Control::Spare(buf) => spares.push(buf),
                Control::SkipTo(to) if to > pos => match stream.skip(to - pos) {
                    Ok(n) => pos += n,
                    Err(e) => {
                        let _ = batches.send(Batch {
                            start: pos,
                            frames: Err(e),
                        });
                        return;
                    }
                },
                Control::SkipTo(_) => {}
            }
        }
        let mut buf = spares.pop().unwrap_or_default();
        buf.clear();
        let start = pos;
        let made = stream.next_frames(frames, &mut buf);
        let (frames_made, batch) = match made {
            Ok(n) => (n, Ok(buf)),
            Err(e) => (0, Err(e)),
        };
        let last = frames_made == 0;
        pos += frames_made as u64;
        if batches
            .send(Batch {
                start,
                frames: batch,
            })
            .is_err()
            || last
        {
            return;
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
            let n = stream.next_frames(max, out)?;
            self.pos += n as u64;
            return Ok(n);
        }
        let mut n = 0;
        while n < max {
            if self.buffered() == 0 && !self.refill()? {
                break;
            }
            debug_assert!(self.batch_start <= self.pos, "frames skipped unasked");
            let k = (self.buffered() as usize).min(max - n);
            let from = (self.pos - self.batch_start) as usize * self.frame_bytes;
            out.extend_from_slice(&self.batch[from..from + k * self.frame_bytes]);
            self.pos += k as u64;
            n += k;
        }
        Ok(n)
    }

    fn skip(&mut self, count: u64) -> Result<u64, S::Error> {
        let from = self.pos;
        let to = from.saturating_add(count);
        let in_batch = self.pos + self.buffered();
        match &mut self.state {
            State::Inline(stream) => {
                self.pos += stream.skip(count)?;
                return Ok(self.pos - from);
            }
            State::Ahead { control, .. } if to > in_batch => {
                let _ = control.send(Control::SkipTo(to));
            }
            _ => {}
        }
        loop {
            if self.buffered() >= to - self.pos {
                self.pos = to;
                return Ok(count);
            }
            self.pos += self.buffered();
            if !self.refill()? {
                // The end: `batch_start` is its frame number when the producer said so.
                self.pos = self.pos.max(self.batch_start).min(to);
                return Ok(self.pos - from);
            }
            self.pos = self.pos.max(self.batch_start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::source::FrameSource;
    use crate::loader::stream::PulledFrames;
    use crate::loader::stream::tests::{Counting, counted};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// `S`, counting the frames it expands (skipped ones are not).
    struct Tally<S>(S, Arc<AtomicU64>);

    impl<S: FrameStream> FrameStream for Tally<S> {
        type Error = S::Error;

        fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, S::Error> {
            let n = self.0.next_frames(max, out)?;
            self.1.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }

        fn skip(&mut self, n: u64) -> Result<u64, S::Error> {
            self.0.skip(n)
        }
    }

    #[test]
    fn long_skips_go_to_the_stream_instead_of_expanding_the_frames_between() {
        let len = 1 << 30;
        let expanded = Arc::new(AtomicU64::new(0));
        let stream = Tally(Counting::new(len), expanded.clone());
        let mut src = PulledFrames::new(ReadAhead::new(stream, 3), "x".into(), 3);
        for at in [0, 5, 400_000_000, 400_000_100, 900_000_000, len - 4] {
            let want = counted(at..(at + 10).min(len));
            assert_eq!(src.frames(at, 10).unwrap(), want, "frames {at}+10");
        }
        assert_eq!(src.frames(len + 7, 10).unwrap(), [] as [u8; 0]);
        // A few batches of 2 MiB after each of the 4 places read, never the gigaframes between.
        let made = expanded.load(Ordering::Relaxed);
        assert!(made < 4 * 4 * 700_000, "{made} frames expanded");
    }

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
