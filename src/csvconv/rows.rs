//! Parsing one block of data rows: the plan for each field, decided once, then a fast path
//! for plain numeric rows and a careful one for everything else (quoted, empty, special
//! cells, units, ISO times, wrong field counts). Line numbers are local to the block.
//! Lines end at LF, CRLF or a lone CR, and fields follow RFC 4180 quoting (`fields`).

use super::dialect::time_of;
use super::fields::{BOM, QuoteError, field, line_end, split};
use super::num::{overflows, parse_cell, parse_cell_checked, scan, scan_number, shown, trim};
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
    /// Decimal separator of unquoted cells: `.` when the delimiter is the file's decimal
    /// separator (`"1,5",2`), which only quoted cells can then hold.
    pub(super) decimal: u8,
    /// Decimal separator of quoted cells: the file's.
    quoted_decimal: u8,
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
            decimal: if layout.decimal == layout.delimiter {
                b'.'
            } else {
                layout.decimal
            },
            quoted_decimal: layout.decimal,
            actions,
            channels: layout.channels.len(),
            fields: layout.fields.max(last + 1),
            time: layout.time.as_ref(),
            on_error: opts.on_error,
            keep_times: layout.events,
        }
    }
}

/// What is wrong with a row; `column` is 1-based.
#[derive(Debug)]
pub(super) enum RowError {
    Cell {
        column: usize,
        text: String,
    },
    /// A number beyond f64's range (`1e400`).
    NotFinite {
        column: usize,
        text: String,
    },
    /// A UTF-8 byte-order mark at the start of a cell.
    Bom {
        column: usize,
    },
    Quote {
        column: usize,
        error: QuoteError,
    },
    /// The row has the data's fields when split at another delimiter.
    Delimiter {
        found: u8,
    },
    Fields {
        got: usize,
    },
    Backwards {
        previous: f64,
        got: f64,
    },
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
        let (end, next) = match line_end(bytes, pos) {
            Some(e) => {
                out.newlines += 1;
                e
            }
            None => (n, n),
        };
        let line = &bytes[pos..end];
        pos = next;
        if line.is_empty() {
            out.blank += 1;
            continue;
        }
        let t = match parse_row(line, plan, &mut row, out, line_no) {
            Ok(t) => t,
            Err(e) => {
                let e = explain(line, plan, e);
                match plan.on_error {
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
                }
            }
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
        out.stats.push(t, line_no);
        for (k, v) in row.iter().enumerate() {
            if v.is_nan() {
                out.nan[k] += 1;
            }
        }
        out.values.extend_from_slice(&row);
    }
}

/// A clearer error for a row that failed as a whole: one that has the data's fields when
/// split at another delimiter says the delimiter changed.
#[cold]
fn explain(line: &[u8], plan: &Plan, e: RowError) -> RowError {
    if !matches!(e, RowError::Cell { .. } | RowError::Fields { .. }) {
        return e;
    }
    let numeric = |c: &&[u8]| {
        let c = trim(c);
        c.is_empty() || parse_cell(c, b'.').is_some() || parse_cell(c, b',').is_some()
    };
    [b',', b';', b'\t']
        .into_iter()
        .filter(|&d| d != plan.delim)
        .find(|&d| {
            let cells = split(line, d);
            cells.len() >= plan.actions.len()
                && cells.iter().all(numeric)
                && cells.iter().any(|c| !trim(c).is_empty())
        })
        .map_or(e, |found| RowError::Delimiter { found })
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
    // The line end: `\n`, `\r\n`, a lone `\r` or the end of the block.
    let next = match bytes.get(end) {
        None => end,
        Some(b'\n') => end + 1,
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(b'\r') => end + 1,
        Some(_) => {
            out.values.truncate(base);
            return None;
        }
    };
    let line = out.newlines;
    if out.rows == 0 {
        out.first_row_line = line;
    }
    out.newlines += u64::from(next > end);
    out.rows += 1;
    out.stats.push(t, line);
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
                let rest = bytes.get(p..)?;
                // Never the last action: a line end here means too few fields.
                let i = memchr::memchr3(plan.delim, b'\n', b'\r', rest)?;
                // A quoted field may hold the delimiter: the careful path reads it.
                if memchr::memchr(b'"', &rest[..i]).is_some() {
                    return None;
                }
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
    let quote = |column: usize| move |error| RowError::Quote { column, error };
    let mut p = 0;
    let mut t = f64::NAN;
    row.fill(f64::NAN);
    for (f, &act) in plan.actions.iter().enumerate() {
        let end = match act {
            Action::Skip => field(line, p, delim).map_err(quote(f + 1))?.end,
            Action::Data(k) => match scan_number(line, p, plan.decimal) {
                Some(s) if s.end == n || line[s.end] == delim => {
                    row[k] = s.value;
                    out.needs_f64[k] |= s.needs_f64;
                    s.end
                }
                _ => {
                    let ((v, needs_f64), end) =
                        slow_cell(line, p, f, plan, out, line_no, parse_cell_checked)?;
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
                        let ((v, _), end) =
                            slow_cell(line, p, f, plan, out, line_no, |c, decimal| {
                                time_of(c, axis, decimal).map(|v| (v, false))
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
    // Fields after the last one used: extra ones must be blank (trailing delimiters,
    // Rigol's `, `).
    let mut f = plan.actions.len();
    while p < n {
        let cell = field(line, p + 1, delim).map_err(quote(f + 1))?;
        if f >= plan.fields && !trim(&line[cell.text]).is_empty() {
            return Err(RowError::Fields {
                got: split(line, delim).len(),
            });
        }
        p = cell.end;
        f += 1;
    }
    Ok(t)
}

/// A cell the fast scanner did not take: empty (NaN), quoted, special (`NaN`,
/// `inf`, a unit or ISO time via `parse`, which also says whether the value
/// needs f64), or bad. Returns the value and the index of the delimiter after the field.
#[inline(never)]
fn slow_cell(
    line: &[u8],
    p: usize,
    index: usize,
    plan: &Plan,
    out: &mut BlockOut,
    line_no: u64,
    parse: impl Fn(&[u8], u8) -> Option<(f64, bool)>,
) -> Result<((f64, bool), usize), RowError> {
    let column = index + 1;
    let f = field(line, p, plan.delim).map_err(|error| RowError::Quote { column, error })?;
    let cell = trim(&line[f.text]);
    if cell.is_empty() {
        return Ok(((f64::NAN, false), f.end));
    }
    let decimal = if f.quoted {
        plan.quoted_decimal
    } else {
        plan.decimal
    };
    let e = match parse(cell, decimal) {
        Some((v, _)) if overflows(cell, v) => RowError::NotFinite {
            column,
            text: shown(cell),
        },
        Some(v) => return Ok((v, f.end)),
        None if cell.starts_with(BOM) => RowError::Bom { column },
        None => RowError::Cell {
            column,
            text: shown(cell),
        },
    };
    if plan.on_error == OnError::Nan {
        out.bad_cells += 1;
        out.issue(line_no, e);
        Ok(((f64::NAN, false), f.end))
    } else {
        Err(e)
    }
}

/// The end of the block that starts at `pos`: just after the first line end at
/// or beyond `pos + size` (never between the CR and LF of a CRLF), or the end of the
/// data. Cut only when the block is taken, so no page far ahead of the parse is
/// touched (it would stay resident).
pub(super) fn block_end(data: &[u8], pos: usize, size: usize) -> usize {
    let target = pos + size.max(1);
    if target >= data.len() {
        data.len()
    } else {
        line_end(data, target - 1).map_or(data.len(), |(_, next)| next)
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

    #[test]
    fn blocks_end_after_any_line_end_but_inside_no_crlf() {
        let data = b"h\r\n1\r2\r\n3\n4";
        let ends: Vec<usize> = (1..data.len()).map(|s| block_end(data, 0, s)).collect();
        // Line ends: CRLF at 1..3, CR at 4, CRLF at 6..8, LF at 9.
        assert_eq!(ends, [3, 3, 3, 5, 5, 8, 8, 8, 10, 10]);
    }
}
