//! The walks of `measure` and `find`: one [`Measurer`] or [`Finder`] per selected channel,
//! fed by the loader as a [`Sink`], handing each chunk's finished records (cycles, events) to
//! a writer as soon as they are final, so records stream out whatever the file's size.

use super::find::Finder;
use super::{CycleRecord, Event, Measurement, Measurer};
use crate::sample::Sample;
use crate::sample::sink::{ChannelSink, Sink, SinkError};
use rayon::prelude::*;
use std::collections::VecDeque;

/// One [`Measurer`] per channel; `emit(i, record)` receives channel `i`'s finished cycles
/// (only with [`super::MeasureConfig::per_cycle`]) after every chunk, channel by channel.
pub struct Measurers<F> {
    measurers: Vec<Measurer>,
    emit: F,
}

impl<F: FnMut(usize, &CycleRecord) -> Result<(), SinkError>> Measurers<F> {
    pub fn new(measurers: Vec<Measurer>, emit: F) -> Self {
        Measurers { measurers, emit }
    }

    fn flush(&mut self) -> Result<(), SinkError> {
        for (i, m) in self.measurers.iter_mut().enumerate() {
            for record in m.drain_cycles() {
                (self.emit)(i, &record)?;
            }
        }
        Ok(())
    }

    /// Every channel's measurement, after the last cycles went to `emit`.
    pub fn finish(mut self) -> Result<Vec<Measurement>, SinkError> {
        let mut out = Vec::with_capacity(self.measurers.len());
        for (i, m) in self.measurers.into_iter().enumerate() {
            let (measurement, rest) = m.finish();
            for record in &rest {
                (self.emit)(i, record)?;
            }
            out.push(measurement);
        }
        Ok(out)
    }
}

impl<F: FnMut(usize, &CycleRecord) -> Result<(), SinkError>> Sink for Measurers<F> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        match (self.measurers.as_mut_slice(), columns) {
            ([one], [column]) => one.take(start, column),
            (all, columns) => all
                .par_iter_mut()
                .zip(columns.par_iter())
                .for_each(|(m, column)| m.take(start, column)),
        }
        self.flush()
    }
}

/// One [`Finder`] per channel; `emit(i, event)` receives the final events of every channel
/// in one order, by sample and then channel (`i`), each as soon as no channel can still find
/// an earlier one; `skip` events are dropped first, then at most `limit` are emitted and the
/// walk stops (`finish` reports it). Events wait while another channel holds a pulse open
/// (a --width pulse not yet ended), so with several channels memory grows with the events
/// found during the longest open pulse.
pub struct Finders<F> {
    finders: Vec<Finder>,
    /// Per channel: final events not yet emitted, in sample order.
    queues: Vec<VecDeque<Event>>,
    emit: F,
    skip: u64,
    limit: Option<u64>,
    emitted: u64,
}

/// What [`Finders::take`] returns to stop the walk once `--limit` events were written; the
/// command treats it as the normal end.
#[derive(Debug, thiserror::Error)]
#[error("the event limit was reached")]
pub struct LimitReached;

impl<F: FnMut(usize, &Event) -> Result<(), SinkError>> Finders<F> {
    pub fn new(finders: Vec<Finder>, skip: u64, limit: Option<u64>, emit: F) -> Self {
        Finders {
            queues: vec![VecDeque::new(); finders.len()],
            finders,
            emit,
            skip,
            limit,
            emitted: 0,
        }
    }

    fn send(&mut self, i: usize, event: &Event) -> Result<bool, SinkError> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(true);
        }
        if self.limit.is_some_and(|l| self.emitted >= l) {
            return Ok(false);
        }
        (self.emit)(i, event)?;
        self.emitted += 1;
        Ok(self.limit.is_none_or(|l| self.emitted < l))
    }

    /// Emit the queued events in (sample, channel) order while no channel can still find an
    /// earlier one: channel j's next events start at `horizons[j]` or later. False once the
    /// limit is reached.
    fn merge(&mut self, horizons: &[u64]) -> Result<bool, SinkError> {
        loop {
            let head = |i: usize| self.queues[i].front().map(|e| (e.sample, i));
            let Some((sample, i)) = (0..self.queues.len()).filter_map(head).min() else {
                return Ok(true);
            };
            let earlier_possible = self
                .queues
                .iter()
                .zip(horizons)
                .enumerate()
                .any(|(j, (q, &h))| q.is_empty() && (h < sample || (h == sample && j < i)));
            if earlier_possible {
                return Ok(true);
            }
            let event = self.queues[i]
                .pop_front()
                .expect("the queue's head was just seen");
            if !self.send(i, &event)? {
                return Ok(false);
            }
        }
    }

    fn flush(&mut self) -> Result<(), SinkError> {
        for (f, q) in self.finders.iter_mut().zip(&mut self.queues) {
            q.extend(f.drain_events());
        }
        let horizons: Vec<u64> = self.finders.iter().map(Finder::horizon).collect();
        if self.merge(&horizons)? {
            Ok(())
        } else {
            Err(SinkError::Output(Box::new(LimitReached)))
        }
    }

    /// Send the events still held, and return how many were emitted and, per channel, how
    /// many each condition found (counted before `--skip`/`--limit`).
    pub fn finish(mut self) -> Result<(u64, Vec<Vec<u64>>), SinkError> {
        let mut counts = Vec::with_capacity(self.finders.len());
        let finders = std::mem::take(&mut self.finders);
        for (f, q) in finders.into_iter().zip(&mut self.queues) {
            let (rest, found) = f.finish();
            q.extend(rest);
            counts.push(found);
        }
        let done = vec![u64::MAX; self.queues.len()];
        self.merge(&done)?;
        Ok((self.emitted, counts))
    }

    /// Events emitted so far.
    pub fn emitted(&self) -> u64 {
        self.emitted
    }

    /// Whether `--limit` events were emitted (the walk was stopped with [`LimitReached`]).
    pub fn limit_reached(&self) -> bool {
        self.limit.is_some_and(|l| self.emitted >= l)
    }
}

impl<F: FnMut(usize, &Event) -> Result<(), SinkError>> Sink for Finders<F> {
    fn take<T: Sample>(&mut self, start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        match (self.finders.as_mut_slice(), columns) {
            ([one], [column]) => one.take(start, column),
            (all, columns) => all
                .par_iter_mut()
                .zip(columns.par_iter())
                .for_each(|(f, column)| f.take(start, column)),
        }
        self.flush()
    }
}
