//! Parsing one block of data rows: the plan for each field, decided once, then a fast path
//! for plain numeric rows and a careful one for everything else (quoted, empty, special
//! cells, units, ISO times, wrong field counts). Line numbers are local to the block.

use super::dialect::time_of;
use super::num::{parse_cell_checked, scan, scan_number, trim};
use super::rate::TimeStats;
use super::{CsvOptions, Layout, OnError, TimeAxis, TimeFormat};

/// Row problems kept for the warnings (the first few only).
pub(super) const MAX_ISSUES: usize = 10;

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Skip,
    Time,
    Data(usize),
}

/// What to do with each field of a row, decided once.
pub(super) struct Plan<'a> {
    pub(super) delim: u8,
    pub(super) decimal: u8,
    actions: Vec<Action>,
    pub(super) channels: usize,
    pub(super) fields: usize,
    pub(super) time: Option<&'a TimeAxis>,
    pub(super) on_error: OnError,
    pub(super) keep_times: bool,
    /// Rows may take [`fast_row`]: plain-number time, each channel once, no events.
    pub(super) fast: bool,
}

impl<'a> Plan<'a> {
    pub(super) fn new(layout: &'a Layout, opts: &CsvOptions) -> Self {
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
pub(super) enum RowError {
    Cell { column: usize, text: String },
    Fields { got: usize },
    Backwards { previous: f64, got: f64 },
}

/// One parsed block. Line numbers are local: newlines before the row.
#[derive(Default)]
pub(super) struct BlockOut {
    /// File offset just past the block.
    pub(super) end: usize,
    pub(super) values: Vec<f64>,
    pub(super) times: Vec<f64>,
    pub(super) first_row_line: u64,
    pub(super) rows: u64,
    pub(super) newlines: u64,
    pub(super) blank: u64,
    pub(super) nan: Vec<u64>,
    pub(super) bad_cells: u64,
    pub(super) skipped: u64,
    pub(super) needs_f64: Vec<bool>,
    pub(super) stats: TimeStats,
    pub(super) issues: Vec<(u64, RowError)>,
    pub(super) fatal: bool,
}

impl BlockOut {
    pub(super) fn new(channels: usize) -> BlockOut {
        BlockOut {
            nan: vec![0; channels],
            needs_f64: vec![false; channels],
            ..BlockOut::default()
        }
    }

    /// Empties the block for reuse, keeping its buffers' memory.
    pub(super) fn reset(&mut self, skip_steps: bool) {
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
pub(super) fn parse_block(bytes: &[u8], plan: &Plan, out: &mut BlockOut) {
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
pub(super) fn block_end(data: &[u8], pos: usize, size: usize) -> usize {
    let target = pos + size.max(1);
    if target >= data.len() {
        data.len()
    } else {
        memchr::memchr(b'\n', &data[target - 1..]).map_or(data.len(), |i| target + i)
    }
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
}
