//! Streaming, parallel parse of the data rows.
//!
//! The data region is cut at line ends into blocks of about `block_size`
//! bytes. One parse thread per core takes the next block as soon as it is
//! free, while the calling thread delivers finished blocks to the sink in file
//! order; at most [`AHEAD_PER_THREAD`] blocks per thread are taken beyond the
//! one being delivered, and their row buffers are recycled, so memory stays
//! bounded and allocation-free whatever the file size. Each block counts its
//! newlines, and the running sum gives every block its first line number, so
//! errors name the exact line whatever the block size.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::dialect::time_of;
use super::num::{parse_cell_checked, scan, scan_number, trim};
use super::rate::{TimeStats, choose_rate};
use super::{
    CsvError, CsvOptions, DEFAULT_BLOCK_SIZE, Layout, OnError, Report, Role, Rows, TimeAxis,
    TimeFormat,
};

/// Row problems kept for the warnings (the first few only).
const MAX_ISSUES: usize = 10;
/// Rows buffered before an expanded event stream is handed to the sink.
const EXPAND_ROWS: usize = 1 << 16;
/// Tolerance, in samples, when placing an event on the sample grid: times
/// printed with 9 decimals are not exact binary fractions.
const GRID_EPS: f64 = 1e-6;
/// Blocks each parse thread may run ahead of delivery: enough that a thread
/// never waits for the writer while it catches up, few enough to bound memory.
const AHEAD_PER_THREAD: usize = 2;

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Skip,
    Time,
    Data(usize),
}

/// What to do with each field of a row, decided once.
struct Plan<'a> {
    delim: u8,
    decimal: u8,
    actions: Vec<Action>,
    channels: usize,
    fields: usize,
    time: Option<&'a TimeAxis>,
    on_error: OnError,
    keep_times: bool,
    /// Rows may take [`fast_row`]: plain-number time, each channel once, no events.
    fast: bool,
}

impl<'a> Plan<'a> {
    fn new(layout: &'a Layout, opts: &CsvOptions) -> Self {
        let time_field = layout.time.as_ref().map(|t| t.field);
        let mut last = time_field.unwrap_or(0);
        for &c in &layout.channels {
            last = last.max(layout.columns[c].field);
        }
        let mut actions = vec![Action::Skip; last + 1];
        if let Some(f) = time_field {
            actions[f] = Action::Time;
        }
        for (k, &c) in layout.channels.iter().enumerate() {
            actions[layout.columns[c].field] = Action::Data(k);
        }
        let data_actions = actions
            .iter()
            .filter(|a| matches!(a, Action::Data(_)))
            .count();
        let number_time = layout
            .time
            .as_ref()
            .is_none_or(|t| t.format == TimeFormat::Number);
        Plan {
            fast: number_time && !layout.events && data_actions == layout.channels.len(),
            delim: layout.delimiter,
            decimal: layout.decimal,
            actions,
            channels: layout.channels.len(),
            fields: layout.fields.max(last + 1),
            time: layout.time.as_ref(),
            on_error: opts.on_error,
            keep_times: layout.events,
        }
    }
}

#[derive(Debug)]
enum RowError {
    Cell { column: usize, text: String },
    Fields { got: usize },
    Backwards { previous: f64, got: f64 },
}

/// One parsed block. Line numbers are local: newlines before the row.
#[derive(Default)]
struct BlockOut {
    /// File offset just past the block.
    end: usize,
    values: Vec<f64>,
    times: Vec<f64>,
    first_row_line: u64,
    rows: u64,
    newlines: u64,
    blank: u64,
    nan: Vec<u64>,
    bad_cells: u64,
    skipped: u64,
    needs_f64: Vec<bool>,
    stats: TimeStats,
    issues: Vec<(u64, RowError)>,
    fatal: bool,
}

impl BlockOut {
    fn new(channels: usize) -> BlockOut {
        BlockOut {
            nan: vec![0; channels],
            needs_f64: vec![false; channels],
            ..BlockOut::default()
        }
    }

    /// Empties the block for reuse, keeping its buffers' memory.
    fn reset(&mut self, skip_steps: bool) {
        self.values.clear();
        self.times.clear();
        self.issues.clear();
        self.nan.fill(0);
        self.needs_f64.fill(false);
        self.stats.reset(skip_steps);
        (self.first_row_line, self.rows, self.newlines, self.blank) = (0, 0, 0, 0);
        (self.bad_cells, self.skipped, self.fatal) = (0, 0, false);
    }

    fn issue(&mut self, line: u64, e: RowError) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push((line, e));
        }
    }

    /// The error that ends the parse: always kept, so delivery reports it.
    fn fail(&mut self, line: u64, e: RowError) {
        self.issues.push((line, e));
        self.fatal = true;
    }
}

/// Parses `bytes` (whole lines) into `out`, which [`BlockOut::reset`] emptied.
fn parse_block(bytes: &[u8], plan: &Plan, out: &mut BlockOut) {
    let mut row = vec![f64::NAN; plan.channels];
    let n = bytes.len();
    let mut pos = 0;
    while pos < n {
        if plan.fast
            && let Some(next) = fast_row(bytes, pos, plan, out)
        {
            pos = next;
            continue;
        }
        let line_no = out.newlines;
        let (end, next) = match memchr::memchr(b'\n', &bytes[pos..]) {
            Some(i) => {
                out.newlines += 1;
                (pos + i, pos + i + 1)
            }
            None => (n, n),
        };
        let line = &bytes[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = next;
        if line.is_empty() {
            out.blank += 1;
            continue;
        }
        let t = match parse_row(line, plan, &mut row, out, line_no) {
            Ok(t) => t,
            Err(e) => match plan.on_error {
                OnError::Fail => {
                    out.fail(line_no, e);
                    break;
                }
                OnError::Skip => {
                    out.skipped += 1;
                    out.issue(line_no, e);
                    continue;
                }
                OnError::Nan => {
                    out.bad_cells += 1;
                    out.issue(line_no, e);
                    f64::NAN
                }
            },
        };
        if plan.keep_times {
            if let Some(&prev) = out.times.last()
                && t < prev
            {
                out.fail(
                    line_no,
                    RowError::Backwards {
                        previous: prev,
                        got: t,
                    },
                );
                break;
            }
            out.times.push(t);
        }
        if out.rows == 0 {
            out.first_row_line = line_no;
        }
        out.rows += 1;
        out.stats.push(t);
        for (k, v) in row.iter().enumerate() {
            if v.is_nan() {
                out.nan[k] += 1;
            }
        }
        out.values.extend_from_slice(&row);
    }
}

/// The common row, parsed straight from the block without looking for its end
/// first: every used field a plain number ([`scan`]), followed by exactly the
/// delimiter or, after the last one, the line end. Returns where the next row
/// starts, or `None` (nothing kept) for any other row, which [`parse_row`] then
/// handles, giving the same values for the cells both take.
#[inline(always)]
fn fast_row(bytes: &[u8], pos: usize, plan: &Plan, out: &mut BlockOut) -> Option<usize> {
    let base = out.values.len();
    out.values.resize(base + plan.channels, f64::NAN);
    let row = parse_fast(bytes, pos, plan, out, base);
    let Some((t, end)) = row else {
        out.values.truncate(base);
        return None;
    };
    // The line end: `\n`, `\r\n` or the end of the block.
    let next = match bytes.get(end) {
        None => end,
        Some(b'\n') => end + 1,
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => {
            out.values.truncate(base);
            return None;
        }
    };
    if out.rows == 0 {
        out.first_row_line = out.newlines;
    }
    out.newlines += u64::from(next > end);
    out.rows += 1;
    out.stats.push(t);
    Some(next)
}

/// The fields of [`fast_row`]: the time (NaN if none) and where the last field ends.
#[inline(always)]
fn parse_fast(
    bytes: &[u8],
    pos: usize,
    plan: &Plan,
    out: &mut BlockOut,
    base: usize,
) -> Option<(f64, usize)> {
    let last = plan.actions.len() - 1;
    let mut t = f64::NAN;
    let mut p = pos;
    for (f, &act) in plan.actions.iter().enumerate() {
        let end = match act {
            Action::Data(k) => {
                let s = scan::<true>(bytes, p, plan.decimal)?;
                *out.values.get_mut(base + k)? = s.value;
                *out.needs_f64.get_mut(k)? |= s.needs_f64;
                s.end
            }
            Action::Time => {
                let s = scan::<false>(bytes, p, plan.decimal)?;
                t = s.value * plan.time.map_or(1.0, |a| a.scale);
                s.end
            }
            Action::Skip => {
                let i = memchr::memchr2(plan.delim, b'\n', bytes.get(p..)?)?;
                p + i
            }
        };
        if f == last {
            return Some((t, end));
        }
        if bytes.get(end) != Some(&plan.delim) {
            return None;
        }
        p = end + 1;
    }
    None
}

/// Parses one non-empty line into `row`; returns the time (NaN if none).
#[inline]
fn parse_row(
    line: &[u8],
    plan: &Plan,
    row: &mut [f64],
    out: &mut BlockOut,
    line_no: u64,
) -> Result<f64, RowError> {
    let n = line.len();
    let delim = plan.delim;
    let last = plan.actions.len() - 1;
    let mut p = 0;
    let mut t = f64::NAN;
    row.fill(f64::NAN);
    for (f, &act) in plan.actions.iter().enumerate() {
        let end = match act {
            Action::Skip => memchr::memchr(delim, &line[p..]).map_or(n, |i| p + i),
            Action::Data(k) => match scan_number(line, p, plan.decimal) {
                Some(s) if s.end == n || line[s.end] == delim => {
                    row[k] = s.value;
                    out.needs_f64[k] |= s.needs_f64;
                    s.end
                }
                _ => {
                    let ((v, needs_f64), end) = slow_cell(line, p, f, plan, out, line_no, |c| {
                        parse_cell_checked(c, plan.decimal)
                    })?;
                    row[k] = v;
                    out.needs_f64[k] |= needs_f64;
                    end
                }
            },
            Action::Time => {
                let axis = plan
                    .time
                    .expect("a Time action exists only when the layout has a time axis");
                match (axis.format, scan_number(line, p, plan.decimal)) {
                    (TimeFormat::Number, Some(s)) if s.end == n || line[s.end] == delim => {
                        t = s.value * axis.scale;
                        s.end
                    }
                    _ => {
                        let ((v, _), end) = slow_cell(line, p, f, plan, out, line_no, |c| {
                            time_of(c, axis, plan.decimal).map(|v| (v, false))
                        })?;
                        t = v;
                        end
                    }
                }
            }
        };
        if f < last {
            if end >= n {
                return Err(RowError::Fields { got: f + 1 });
            }
            p = end + 1;
        } else {
            p = end;
        }
    }
    if p < n {
        // Fields after the last one used: extra ones must be blank (trailing
        // delimiters, Rigol's `, `).
        let rest = &line[p + 1..];
        for (field, cell) in (plan.actions.len()..).zip(rest.split(|b| *b == delim)) {
            if field >= plan.fields && !trim(cell).is_empty() {
                let got = plan.actions.len() + 1 + memchr::memchr_iter(delim, rest).count();
                return Err(RowError::Fields { got });
            }
        }
    }
    Ok(t)
}

/// A cell the fast scanner did not take: empty (NaN), quoted, special (`NaN`,
/// `inf`, a unit or ISO time via `parse`, which also says whether the value
/// needs f64), or bad.
#[inline(never)]
fn slow_cell(
    line: &[u8],
    p: usize,
    field: usize,
    plan: &Plan,
    out: &mut BlockOut,
    line_no: u64,
    parse: impl Fn(&[u8]) -> Option<(f64, bool)>,
) -> Result<((f64, bool), usize), RowError> {
    let end = memchr::memchr(plan.delim, &line[p..]).map_or(line.len(), |i| p + i);
    let cell = trim(&line[p..end]);
    if cell.is_empty() {
        return Ok(((f64::NAN, false), end));
    }
    match parse(cell) {
        Some(v) => Ok((v, end)),
        None => {
            let e = RowError::Cell {
                column: field + 1,
                text: String::from_utf8_lossy(cell).into_owned(),
            };
            if plan.on_error == OnError::Nan {
                out.bad_cells += 1;
                out.issue(line_no, e);
                Ok(((f64::NAN, false), end))
            } else {
                Err(e)
            }
        }
    }
}

/// The end of the block that starts at `pos`: just after the first newline at
/// or beyond `pos + size`, or the end of the data. Cut only when the block is
/// taken, so no page far ahead of the parse is touched (it would stay resident).
fn block_end(data: &[u8], pos: usize, size: usize) -> usize {
    let target = pos + size.max(1);
    if target >= data.len() {
        data.len()
    } else {
        memchr::memchr(b'\n', &data[target - 1..]).map_or(data.len(), |i| target + i)
    }
}

/// Turns event rows into samples on a grid `t0 + k / rate`: each row's values
/// hold until the next row's time.
struct Expander {
    rate: f64,
    t0: Option<f64>,
    next_k: u64,
    cur: Vec<f64>,
    buf: Vec<f64>,
    /// Some event so far had a value that needs f64.
    needs_f64: bool,
    lost: u64,
    samples: u64,
}

impl Expander {
    fn grid(&self, t: f64) -> f64 {
        (t - self.t0.unwrap_or(t)) * self.rate
    }

    fn event(&mut self, t: f64, values: &[f64], sink: &mut Sink<'_>) -> io::Result<()> {
        if self.t0.is_none() {
            self.t0 = Some(t);
        }
        let k = (self.grid(t) - GRID_EPS).ceil().max(0.0) as u64;
        if !self.cur.is_empty() {
            let count = k.saturating_sub(self.next_k);
            if count == 0 {
                self.lost += 1;
            }
            self.emit(count, sink)?;
        }
        self.next_k = self.next_k.max(k);
        self.cur.clear();
        self.cur.extend_from_slice(values);
        Ok(())
    }

    fn emit(&mut self, count: u64, sink: &mut Sink<'_>) -> io::Result<()> {
        for _ in 0..count {
            self.buf.extend_from_slice(&self.cur);
            if self.buf.len() >= EXPAND_ROWS * self.cur.len() {
                sink(Rows {
                    values: &self.buf,
                    needs_f64: self.needs_f64,
                })?;
                self.buf.clear();
            }
        }
        self.samples += count;
        self.next_k += count;
        Ok(())
    }

    fn finish(&mut self, t_last: f64, sink: &mut Sink<'_>) -> io::Result<()> {
        // The last event always gets the sample at or just after its time.
        let n = (self.grid(t_last) - GRID_EPS).ceil().max(0.0) as u64 + 1;
        self.emit(n.saturating_sub(self.next_k), sink)?;
        if !self.buf.is_empty() {
            sink(Rows {
                values: &self.buf,
                needs_f64: self.needs_f64,
            })?;
            self.buf.clear();
        }
        Ok(())
    }
}

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
    };
    let pipe = Pipeline::new(
        threads * AHEAD_PER_THREAD,
        plan.channels,
        layout.data_offset,
    );
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| pipe.work(data, size, &plan));
        }
        let delivered = pipe.deliver_all(data.len(), &mut state, progress, sink);
        // However delivery ended, let the parse threads finish.
        pipe.stop();
        delivered
    })?;
    let Delivery {
        total,
        warnings,
        next_line,
        expander,
        ..
    } = state;
    if total.rows == 0 {
        return Err(CsvError::NoData {
            lines: usize::try_from(next_line - 1).unwrap_or(usize::MAX),
        });
    }
    finish_report(layout, opts, total, expander, warnings, sink)
}

/// Parse threads and the delivering thread of [`convert`], sharing [`Slots`].
struct Pipeline {
    slots: Mutex<Slots>,
    /// A block was parsed, or parsing stopped.
    parsed: Condvar,
    /// A block was delivered (room to take another), or parsing stopped.
    room: Condvar,
    /// The median's steps are all found: later blocks need not keep theirs.
    steps_full: AtomicBool,
}

struct Slots {
    /// Index of the next block to take.
    next: usize,
    /// Where the next block starts.
    cursor: usize,
    /// Blocks delivered so far.
    delivered: usize,
    /// Parsed blocks waiting for delivery, at `index % ready.len()`.
    ready: Vec<Option<BlockOut>>,
    /// Delivered blocks whose buffers are free.
    pool: Vec<BlockOut>,
    /// No more blocks are taken (an error, or delivery ended).
    stop: bool,
    /// A parse thread died: delivery must not wait for it.
    failed: bool,
}

/// Marks the pipeline failed when a parse thread unwinds.
struct PanicGuard<'a>(&'a Pipeline);

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().failed = true;
            self.0.stop();
        }
    }
}

impl Pipeline {
    fn new(window: usize, channels: usize, start: usize) -> Pipeline {
        Pipeline {
            slots: Mutex::new(Slots {
                next: 0,
                cursor: start,
                delivered: 0,
                ready: (0..window).map(|_| None).collect(),
                pool: (0..window).map(|_| BlockOut::new(channels)).collect(),
                stop: false,
                failed: false,
            }),
            parsed: Condvar::new(),
            room: Condvar::new(),
            steps_full: AtomicBool::new(false),
        }
    }

    /// The slots; a poisoned lock only means a parse thread died, which
    /// `failed` already tells.
    fn lock(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.room.notify_all();
        self.parsed.notify_all();
    }

    /// A parse thread: takes the next block while it is within the window
    /// ahead of delivery, parses it into a free buffer, hands it over.
    fn work(&self, data: &[u8], size: usize, plan: &Plan) {
        let _guard = PanicGuard(self);
        loop {
            let (index, start, mut out) = {
                let mut s = self.lock();
                loop {
                    if s.stop || s.cursor == data.len() {
                        return;
                    }
                    if s.next < s.delivered + s.ready.len()
                        && let Some(mut out) = s.pool.pop()
                    {
                        let start = s.cursor;
                        out.end = block_end(data, start, size);
                        s.cursor = out.end;
                        s.next += 1;
                        break (s.next - 1, start, out);
                    }
                    s = self.room.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
            };
            out.reset(self.steps_full.load(Ordering::Relaxed));
            parse_block(&data[start..out.end], plan, &mut out);
            let mut s = self.lock();
            s.stop |= out.fatal;
            let slot = index % s.ready.len();
            s.ready[slot] = Some(out);
            drop(s);
            self.parsed.notify_all();
        }
    }

    /// The calling thread: delivers the blocks in file order as they are parsed.
    fn deliver_all(
        &self,
        len: usize,
        state: &mut Delivery,
        progress: &mut dyn FnMut(u64),
        sink: &mut Sink<'_>,
    ) -> Result<(), CsvError> {
        let mut index = 0;
        loop {
            let out = {
                let mut s = self.lock();
                let slot = index % s.ready.len();
                loop {
                    if let Some(out) = s.ready[slot].take() {
                        break out;
                    }
                    if s.next == index && s.cursor == len {
                        return Ok(());
                    }
                    if s.failed || (s.stop && s.next <= index) {
                        // A fatal block before this one was delivered as an error, so
                        // only a dead parse thread gets here (the scope re-raises it).
                        return Err(CsvError::Sink(io::Error::other("a parse thread died")));
                    }
                    s = self.parsed.wait(s).unwrap_or_else(PoisonError::into_inner);
                }
            };
            let delivered = state.deliver(&out, sink);
            let end = out.end;
            if state.total.stats.steps_full() {
                self.steps_full.store(true, Ordering::Relaxed);
            }
            {
                let mut s = self.lock();
                s.pool.push(out);
                s.delivered = index + 1;
            }
            self.room.notify_all();
            delivered?;
            progress(end as u64);
            index += 1;
        }
    }
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
}

impl Delivery {
    fn deliver(&mut self, out: &BlockOut, sink: &mut Sink<'_>) -> Result<(), CsvError> {
        for (i, (local, e)) in out.issues.iter().enumerate() {
            let err = row_error(self.next_line + local, e, self.fields);
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
        self.next_line += out.newlines;
        total.rows += out.rows;
        total.blank += out.blank;
        total.bad_cells += out.bad_cells;
        total.skipped += out.skipped;
        for (k, n) in out.nan.iter().enumerate() {
            total.nan[k] += n;
            total.needs_f64[k] |= out.needs_f64[k];
        }
        total.stats.merge(&out.stats);
        Ok(())
    }
}

fn row_error(line: u64, e: &RowError, expected: usize) -> CsvError {
    match e {
        RowError::Cell { column, text } => CsvError::BadCell {
            line,
            column: *column,
            text: text.clone(),
        },
        RowError::Fields { got } => CsvError::FieldCount {
            line,
            expected,
            got: *got,
        },
        RowError::Backwards { previous, got } => CsvError::TimeBackwards {
            line,
            previous: *previous,
            got: *got,
        },
    }
}

fn finish_report(
    layout: &Layout,
    opts: &CsvOptions,
    total: BlockOut,
    expander: Option<Expander>,
    mut warnings: Vec<String>,
    sink: &mut Sink<'_>,
) -> Result<Report, CsvError> {
    let has_time = layout.time.is_some() && total.stats.count > 0;
    let stats = has_time.then_some(&total.stats);
    let (samples, rate, rate_source) = match expander {
        Some(mut exp) => {
            exp.finish(total.stats.last, sink)?;
            if exp.lost > 0 {
                warnings.push(format!(
                    "{} event(s) shorter than one sample period at {} Hz were lost",
                    exp.lost, exp.rate
                ));
            }
            let src = "user: --sample-rate (events expanded: each row holds until the next)";
            (exp.samples, Some(exp.rate), src.to_string())
        }
        None => {
            let (rate, src) = choose_rate(
                opts.sample_rate,
                layout.header_rate.as_ref(),
                stats,
                &mut warnings,
            );
            (total.rows, rate, src)
        }
    };
    let (t0, t_last) = if has_time {
        (Some(total.stats.first), Some(total.stats.last))
    } else {
        let t0 = layout.header_rate.as_ref().and_then(|h| h.t0);
        let last = t0.zip(rate).map(|(t, r)| t + (total.rows - 1) as f64 / r);
        (t0, last)
    };
    if total.blank > 0 {
        warnings.push(format!(
            "{} empty line(s) in the data were ignored",
            total.blank
        ));
    }
    let time_origin = match layout.time.as_ref().map(|t| t.format) {
        Some(TimeFormat::Iso8601 { origin_ns }) => Some(format_iso(origin_ns)),
        _ => None,
    };
    let chans = layout.channels.iter().map(|&c| &layout.columns[c]);
    debug_assert!(
        layout
            .channels
            .iter()
            .all(|&c| layout.columns[c].role == Role::Data)
    );
    Ok(Report {
        rows: total.rows,
        samples,
        channels: layout.channels.len(),
        names: chans.clone().map(|c| c.name.clone()).collect(),
        units: chans.map(|c| c.unit.clone()).collect(),
        sample_rate: rate,
        rate_source,
        t0,
        t_last,
        time_origin,
        steps: stats.and_then(|s| s.summary()),
        needs_f64: total.needs_f64,
        nan_counts: total.nan,
        bad_cells: total.bad_cells,
        skipped_rows: total.skipped,
        blank_lines: total.blank,
        warnings,
    })
}

/// `origin_ns` since the epoch as ISO-8601 UTC with nanoseconds.
fn format_iso(ns: i128) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let days = i64::try_from(secs.div_euclid(86_400)).unwrap_or(0);
    let sod = secs.rem_euclid(86_400);
    // Civil from days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:09}Z",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_after_newlines_and_cover_everything() {
        let data = b"hdr\n1,2\n3,4\n5,6\n7,8";
        for size in 1..12 {
            let mut b = vec![(4, block_end(data, 4, size))];
            while let Some(&(_, pos)) = b.last().filter(|x| x.1 < data.len()) {
                b.push((pos, block_end(data, pos, size)));
            }
            assert_eq!(b.first().map(|x| x.0), Some(4));
            assert_eq!(b.last().map(|x| x.1), Some(data.len()));
            for w in b.windows(2) {
                assert_eq!(w[0].1, w[1].0);
                assert_eq!(data[w[0].1 - 1], b'\n', "size {size}");
            }
        }
    }

    #[test]
    fn iso_formatting() {
        assert_eq!(
            format_iso(1_769_781_969_197_352_115),
            "2026-01-30T14:06:09.197352115Z"
        );
        assert_eq!(format_iso(0), "1970-01-01T00:00:00.000000000Z");
    }
}
