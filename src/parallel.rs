//! Compute in parallel, deliver in order: the one pipeline behind whole-file statistics
//! (regions of a mapped file), convert-csv (blocks of text) and generate (blocks of samples).
//!
//! Worker threads take jobs in order and fill recycled buffers; the calling thread hands the
//! filled buffers to `deliver` in job order. At most `window` buffers exist, so memory stays
//! bounded whatever the number of jobs, and a slow job only makes the others wait, never pile
//! up. Taking jobs is serialised, so a job may depend on the previous one (convert-csv cuts
//! the next block where the last one ended).

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// What a worker says after a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Take no job after this one (it failed); jobs already taken still finish and deliver.
    Stop,
}

/// How many worker threads and buffers a pipeline uses.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline {
    pub threads: usize,
    /// Buffers in flight: taken, being filled, or waiting for delivery.
    pub window: usize,
}

impl Pipeline {
    /// One worker per thread of the rayon pool (which `RAYON_NUM_THREADS` sets), each with
    /// `ahead` buffers.
    pub fn per_core(ahead: usize) -> Pipeline {
        let threads = rayon::current_num_threads().max(1);
        Pipeline {
            threads,
            window: threads * ahead.max(1),
        }
    }

    /// Run the jobs `next_job` yields (called in order, under a lock, until it returns None)
    /// through `work` on the worker threads, and give each filled buffer to `deliver` in job
    /// order on this thread. The first error of `deliver` stops everything and is returned.
    pub fn run<J: Send, B: Send, E>(
        self,
        next_job: impl FnMut() -> Option<J> + Send,
        new_buffer: impl Fn() -> B,
        work: impl Fn(J, &mut B) -> Flow + Sync,
        mut deliver: impl FnMut(&mut B) -> Result<(), E>,
    ) -> Result<(), E> {
        let window = self.window.max(1);
        let shared = Shared {
            state: Mutex::new(State {
                next_job,
                taken: 0,
                delivered: 0,
                ready: (0..window).map(|_| None).collect(),
                pool: (0..window).map(|_| new_buffer()).collect(),
                exhausted: false,
                stop: false,
                failed: false,
            }),
            filled: Condvar::new(),
            room: Condvar::new(),
        };
        std::thread::scope(|scope| {
            for _ in 0..self.threads.max(1) {
                scope.spawn(|| shared.work(&work));
            }
            // However delivery ends (an error, or a panic in `deliver`: the scope would wait
            // for workers blocked on a full window), let the workers go; a panic re-raises at
            // scope end.
            let _stop = StopOnDrop(&shared);
            shared.deliver_all(&mut deliver)
        })
    }
}

struct Shared<N, B> {
    state: Mutex<State<N, B>>,
    /// A buffer was filled, or the workers stopped.
    filled: Condvar,
    /// A buffer was delivered (room to take another job), or everything stops.
    room: Condvar,
}

struct State<N, B> {
    next_job: N,
    /// Jobs taken so far (the next job's index).
    taken: usize,
    /// Buffers delivered so far.
    delivered: usize,
    /// Filled buffers waiting for delivery, at `index % window`.
    ready: Vec<Option<B>>,
    /// Free buffers.
    pool: Vec<B>,
    /// `next_job` returned None.
    exhausted: bool,
    /// No more jobs are taken (a job failed, or delivery ended).
    stop: bool,
    /// A worker panicked: delivery must not wait for it.
    failed: bool,
}

/// Stops the workers when delivery ends, by return or by unwinding.
struct StopOnDrop<'a, N, B>(&'a Shared<N, B>);

impl<N, B> Drop for StopOnDrop<'_, N, B> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Marks the pipeline failed when a worker unwinds, so delivery does not wait forever.
struct PanicGuard<'a, N, B>(&'a Shared<N, B>);

impl<N, B> Drop for PanicGuard<'_, N, B> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().failed = true;
            self.0.stop();
        }
    }
}

impl<N, B> Shared<N, B> {
    /// The state; a poisoned lock only means a worker died, which `failed` already tells.
    fn lock(&self) -> MutexGuard<'_, State<N, B>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.room.notify_all();
        self.filled.notify_all();
    }
}

impl<J, N: FnMut() -> Option<J>, B> Shared<N, B> {
    /// A worker: take the next job while there is room in the window, fill a free buffer.
    fn work(&self, work: &impl Fn(J, &mut B) -> Flow) {
        let _guard = PanicGuard(self);
        loop {
            let (index, job, mut buffer) = {
                let mut s = self.lock();
                loop {
                    if s.stop || s.exhausted {
                        return;
                    }
                    if s.taken < s.delivered + s.ready.len() && !s.pool.is_empty() {
                        match (s.next_job)() {
                            None => {
                                s.exhausted = true;
                                drop(s);
                                self.filled.notify_all();
                                return;
                            }
                            Some(job) => {
                                let buffer = s.pool.pop().expect("the pool was checked non-empty");
                                s.taken += 1;
                                break (s.taken - 1, job, buffer);
                            }
                        }
                    }
                    s = self.room.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
            };
            let flow = work(job, &mut buffer);
            let mut s = self.lock();
            s.stop |= flow == Flow::Stop;
            let slot = index % s.ready.len();
            s.ready[slot] = Some(buffer);
            drop(s);
            self.filled.notify_all();
        }
    }

    /// The calling thread: deliver the buffers in job order as they are filled.
    fn deliver_all<E>(&self, deliver: &mut impl FnMut(&mut B) -> Result<(), E>) -> Result<(), E> {
        let mut index = 0;
        loop {
            let mut buffer = {
                let mut s = self.lock();
                let slot = index % s.ready.len();
                loop {
                    if let Some(buffer) = s.ready[slot].take() {
                        break buffer;
                    }
                    let none_coming = s.taken <= index && (s.exhausted || s.stop);
                    if none_coming || s.failed {
                        return Ok(());
                    }
                    s = self.filled.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
            };
            let delivered = deliver(&mut buffer);
            {
                let mut s = self.lock();
                s.pool.push(buffer);
                s.delivered = index + 1;
            }
            self.room.notify_all();
            delivered?;
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn delivers_every_job_once_in_order_with_bounded_buffers() {
        for threads in 1..=4 {
            for window in [1, 2, 7] {
                let mut next = 0u32;
                let made = AtomicUsize::new(0);
                let mut got = Vec::new();
                let pipe = Pipeline { threads, window };
                let result: Result<(), ()> = pipe.run(
                    || (next < 1000).then(|| (next, next += 1).0),
                    || {
                        made.fetch_add(1, Ordering::Relaxed);
                        0u64
                    },
                    |job, buf| {
                        // Uneven work, so jobs finish out of order.
                        *buf = (0..(job % 13) * 100).fold(u64::from(job), |a, _| a ^ 1);
                        Flow::Continue
                    },
                    |buf| {
                        got.push(*buf);
                        Ok(())
                    },
                );
                assert_eq!(result, Ok(()));
                let want: Vec<u64> = (0..1000u64)
                    .map(|j| (0..(j % 13) * 100).fold(j, |a, _| a ^ 1))
                    .collect();
                assert_eq!(got, want, "threads {threads} window {window}");
                assert_eq!(made.load(Ordering::Relaxed), window);
            }
        }
    }

    /// A panic in a worker or in `deliver` ends the run with that panic, never a hang.
    #[test]
    fn panics_end_the_run() {
        for panic_in_worker in [true, false] {
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let outcome = std::panic::catch_unwind(|| {
                    let mut next = 0u64;
                    Pipeline {
                        threads: 2,
                        window: 2,
                    }
                    .run(
                        || (next, next += 1).0.into(),
                        || 0u64,
                        |job, buf| {
                            assert!(!(panic_in_worker && job == 5), "worker");
                            *buf = job;
                            Flow::Continue
                        },
                        |buf| {
                            assert!(panic_in_worker || *buf != 5, "deliver");
                            Ok::<(), ()>(())
                        },
                    )
                });
                let _ = done.send(outcome.is_err());
            });
            let panicked = finished.recv_timeout(std::time::Duration::from_secs(20));
            assert_eq!(panicked, Ok(true), "panic in worker: {panic_in_worker}");
        }
    }

    #[test]
    fn a_delivery_error_stops_the_run() {
        let mut next = 0u64;
        let mut seen = 0;
        let result = Pipeline {
            threads: 2,
            window: 4,
        }
        .run(
            || (next, next += 1).0.into(),
            || 0u64,
            |job, buf| {
                *buf = job;
                Flow::Continue
            },
            |buf| {
                seen += 1;
                if *buf == 10 { Err(*buf) } else { Ok(()) }
            },
        );
        assert_eq!(result, Err(10));
        assert_eq!(seen, 11);
    }

    #[test]
    fn a_stopping_job_ends_the_run_after_its_predecessors() {
        let mut next = 0u64;
        let mut got = Vec::new();
        let result: Result<(), ()> = Pipeline {
            threads: 3,
            window: 6,
        }
        .run(
            || (next, next += 1).0.into(),
            || 0u64,
            |job, buf| {
                *buf = job;
                if job == 20 {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            },
            |buf| {
                got.push(*buf);
                Ok(())
            },
        );
        assert_eq!(result, Ok(()));
        // Jobs up to 20 are all delivered; a few taken after it may be too, never a gap.
        assert!(got.len() >= 21 && got.len() <= 21 + 6, "{}", got.len());
        assert!(got.iter().copied().eq(0..got.len() as u64));
    }
}
