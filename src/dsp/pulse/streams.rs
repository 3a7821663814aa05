//! The walks of `measure` and `find`: one [`Measurer`] or [`Finder`] per selected channel,
//! fed by the loader as a [`Sink`], handing each chunk's finished records (cycles, events) to
//! a writer as soon as they are final, so records stream out whatever the file's size.

use super::find::Finder;
use super::{CycleRecord, Event, Measurement, Measurer};
use crate::sample::Sample;
use crate::sample::sink::{ChannelSink, Sink, SinkError};
use rayon::prelude::*;

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

/// One [`Finder`] per channel; `emit(i, event)` receives channel `i`'s final events after
/// every chunk, in sample order within the channel; `skip` events are dropped first, then at
/// most `limit` are emitted and the walk stops (`finish` reports it).
pub struct Finders<F> {
    finders: Vec<Finder>,
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

    fn flush(&mut self) -> Result<(), SinkError> {
        for i in 0..self.finders.len() {
            let events: Vec<Event> = self.finders[i].drain_events().collect();
            for e in &events {
                if !self.send(i, e)? {
                    return Err(SinkError::Output(Box::new(LimitReached)));
                }
            }
        }
        Ok(())
    }

    /// Send the events still held, and return how many were emitted and, per channel, how
    /// many each condition found (counted before `--skip`/`--limit`).
    pub fn finish(mut self) -> Result<(u64, Vec<Vec<u64>>), SinkError> {
        let mut counts = Vec::with_capacity(self.finders.len());
        let finders = std::mem::take(&mut self.finders);
        let mut open = true;
        for (i, f) in finders.into_iter().enumerate() {
            let (rest, found) = f.finish();
            for e in &rest {
                if open {
                    open = self.send(i, e)?;
                }
            }
            counts.push(found);
        }
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
