//! Analysis on one thread, writing on this one: a command whose records are many (decoded
//! frames, found events) renders and writes them while the next ones are being computed,
//! so on two cores the two halves overlap.

use anyhow::Result;
use std::io;
use std::sync::mpsc::{channel, sync_channel};

/// Records the producing thread gathers before handing them to the writer.
pub(super) const BATCH: usize = 4096;

/// Runs `produce` on its own thread; it hands batches of records over with the function it
/// is given (which leaves an empty batch in their place), and `consume` writes each on
/// this thread. The writer stays here because stdout may be captured per thread (the Python
/// binding). Two batches in flight bound the memory; emptied ones go back. A failed write
/// stops the producer at its next hand-over, and the write's error is the one returned.
pub(super) fn pipelined<T, R>(
    produce: impl FnOnce(&mut dyn FnMut(&mut Vec<T>) -> io::Result<()>) -> Result<R> + Send,
    mut consume: impl FnMut(&mut Vec<T>) -> Result<()>,
) -> Result<R>
where
    T: Send,
    R: Send,
{
    let (full, batches) = sync_channel::<Vec<T>>(2);
    let (spares, spare) = channel::<Vec<T>>();
    std::thread::scope(|s| {
        let producing = s.spawn(move || {
            let mut hand_over = |records: &mut Vec<T>| {
                let next = spare.try_recv().unwrap_or_default();
                full.send(std::mem::replace(records, next))
                    .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
            };
            produce(&mut hand_over)
        });
        let mut written = Ok(());
        for mut batch in &batches {
            written = consume(&mut batch);
            if written.is_err() {
                break;
            }
            batch.clear();
            let _ = spares.send(batch);
        }
        drop(batches);
        let produced = producing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written?;
        produced
    })
}
