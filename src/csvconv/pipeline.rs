//! Streaming, parallel parse of the data rows.
//!
//! The data region is cut at line ends into blocks of about `block_size` bytes. Parse
//! threads take the next block as soon as one is free, while the calling thread delivers
//! finished blocks to the sink in file order, through [`crate::parallel::Pipeline`]: at most
//! [`AHEAD_PER_THREAD`] blocks per thread are in flight and their row buffers are recycled,
//! so memory stays bounded and allocation-free whatever the file size. Each block counts its
//! newlines, and the running sum gives every block its first line number, so errors name
//! the exact line whatever the block size.

use super::expand::Expander;
use super::report::{finish_report, row_error};
use super::rows::{BlockOut, MAX_ISSUES, Plan, block_end, parse_block};
use super::{CsvError, CsvOptions, DEFAULT_BLOCK_SIZE, Layout, Report, Rows};
use crate::parallel::{Flow, Pipeline};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// Blocks each parse thread may run ahead of delivery: enough that a thread
/// never waits for the writer while it catches up, few enough to bound memory.
const AHEAD_PER_THREAD: usize = 2;

/// The sink [`convert`] delivers to.
pub type Sink<'s> = dyn FnMut(Rows<'_>) -> io::Result<()> + 's;

/// Converts the data rows described by `layout` (from [`super::detect`]),
/// delivering row-major blocks of `channels` f64 values per row to `sink`
/// in file order.
///
/// Parsing and delivery overlap: parse threads (one per core) work ahead
/// while this thread hands finished blocks to `sink`, at most
/// `AHEAD_PER_THREAD` blocks per thread at a time. `progress` receives
/// the file offset up to which rows have been delivered; the parse never
/// reads below it again, so the caller may release those pages.
pub fn convert(
    data: &[u8],
    layout: &Layout,
    opts: &CsvOptions,
    progress: &mut dyn FnMut(u64),
    sink: &mut Sink<'_>,
) -> Result<Report, CsvError> {
    if let Some(r) = opts.sample_rate.filter(|r| !(r.is_finite() && *r > 0.0)) {
        return Err(CsvError::BadRate(r));
    }
    let expander = match (layout.events, opts.sample_rate) {
        (true, None) => {
            let reason = layout
                .notes
                .iter()
                .find_map(|n| n.strip_prefix("event-based export: "))
                .unwrap_or("time steps vary")
                .to_string();
            return Err(CsvError::EventsNeedRate { reason });
        }
        (true, Some(rate)) => Some(Expander {
            rate,
            t0: None,
            next_k: 0,
            cur: Vec::new(),
            buf: Vec::new(),
            needs_f64: false,
            lost: 0,
            samples: 0,
        }),
        (false, _) => None,
    };
    let plan = Plan::new(layout, opts);
    let size = opts.block_size.unwrap_or(DEFAULT_BLOCK_SIZE);
    let blocks = data
        .len()
        .saturating_sub(layout.data_offset)
        .div_ceil(size.max(1));
    let threads = rayon::current_num_threads().clamp(1, blocks.max(1));
    let mut state = Delivery {
        total: BlockOut::new(plan.channels),
        warnings: Vec::new(),
        next_line: layout.first_data_line,
        last_time: None,
        expander,
        fields: plan.fields,
        delim: plan.delim,
    };
    // Blocks are cut only when taken, so no page far ahead of the parse is touched.
    let mut cursor = layout.data_offset;
    let next_block = || {
        let start = cursor;
        (start < data.len()).then(|| {
            cursor = block_end(data, start, size);
            (start, cursor)
        })
    };
    // Once the median's steps are all found, later blocks need not keep theirs.
    let steps_full = AtomicBool::new(false);
    let parse = |(start, end): (usize, usize), out: &mut BlockOut| {
        out.reset(steps_full.load(Ordering::Relaxed));
        out.end = end;
        parse_block(&data[start..end], &plan, out);
        if out.fatal {
            Flow::Stop
        } else {
            Flow::Continue
        }
    };
    let pipeline = Pipeline {
        threads,
        window: threads * AHEAD_PER_THREAD,
    };
    let new_block = || BlockOut::new(plan.channels);
    pipeline.run(next_block, new_block, parse, |out| {
        state.deliver(out, sink)?;
        if state.total.stats.steps_full() {
            steps_full.store(true, Ordering::Relaxed);
        }
        progress(out.end as u64);
        Ok::<(), CsvError>(())
    })?;
    let Delivery {
        total,
        warnings,
        next_line,
        expander,
        ..
    } = state;
    if total.rows == 0 && total.skipped > 0 {
        return Err(CsvError::AllSkipped {
            skipped: total.skipped,
            first: warnings.first().cloned().unwrap_or_default(),
        });
    }
    if total.rows == 0 {
        return Err(CsvError::NoData {
            lines: usize::try_from(next_line - 1).unwrap_or(usize::MAX),
        });
    }
    finish_report(layout, opts, total, expander, warnings, sink)
}

/// The consumer side of [`convert`]: blocks arrive in file order.
struct Delivery {
    total: BlockOut,
    warnings: Vec<String>,
    /// Line number of the next block's first line.
    next_line: u64,
    last_time: Option<f64>,
    expander: Option<Expander>,
    fields: usize,
    delim: u8,
}

impl Delivery {
    fn deliver(&mut self, out: &BlockOut, sink: &mut Sink<'_>) -> Result<(), CsvError> {
        for (i, (local, e)) in out.issues.iter().enumerate() {
            let err = row_error(self.next_line + local, e, self.fields, self.delim);
            // The fatal issue, if any, is the last one (`BlockOut::fail`).
            if out.fatal && i + 1 == out.issues.len() {
                return Err(err);
            }
            if self.warnings.len() < MAX_ISSUES {
                self.warnings.push(err.to_string());
            }
        }
        let needs_f64 = out.needs_f64.iter().any(|n| *n);
        if let Some(exp) = self.expander.as_mut() {
            if let (Some(prev), Some(&first)) = (self.last_time, out.times.first())
                && first < prev
            {
                return Err(CsvError::TimeBackwards {
                    line: self.next_line + out.first_row_line,
                    previous: prev,
                    got: first,
                });
            }
            exp.needs_f64 |= needs_f64;
            let ch = out.nan.len();
            for (t, row) in out.times.iter().zip(out.values.chunks_exact(ch)) {
                exp.event(*t, row, sink)?;
            }
            self.last_time = out.times.last().copied().or(self.last_time);
        } else if !out.values.is_empty() {
            sink(Rows {
                values: &out.values,
                needs_f64,
            })?;
        }
        let total = &mut self.total;
        total.stats.merge(&out.stats, self.next_line);
        self.next_line += out.newlines;
        total.rows += out.rows;
        total.blank += out.blank;
        total.bad_cells += out.bad_cells;
        total.skipped += out.skipped;
        for (k, n) in out.nan.iter().enumerate() {
            total.nan[k] += n;
            total.needs_f64[k] |= out.needs_f64[k];
        }
        Ok(())
    }
}
