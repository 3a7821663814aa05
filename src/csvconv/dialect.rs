//! Dialect and layout detection from the first KBs of a file.
//!
//! The data rows are found from the bottom of the sniffed text upwards: the
//! last rows decide which fields are numeric, and every line above them that
//! still has numbers (or empty cells) in exactly those fields is data. This
//! keeps Tektronix's metadata-beside-data rows, while key/value header blocks,
//! names and units rows stop the scan.

use super::fields::{BOM, line_end, split};
use super::num::{parse_cell, parse_iso8601_ns, parse_unit_time, time_unit_scale, trim};
use super::{
    Column, ColumnSel, CsvError, CsvOptions, HeaderRate, Layout, LineEnds, Role, TimeAxis,
    TimeColumnSel, TimeFormat,
};

/// First sniff window; grown up to [`SNIFF_MAX`] when a long header hides the data.
const SNIFF_BYTES: usize = 64 << 10;
const SNIFF_MAX: usize = 4 << 20;
/// Rows at the end of the sniff window that decide the data columns: a field
/// numeric in any of them is a data field.
const TAIL_ROWS: usize = 20;
/// Longest run of non-data lines between data rows taken as bad rows inside the data.
const MAX_BAD_RUN: usize = 8;
/// Event exports have steps differing by far more than sampling jitter.
const EVENT_STEP_RATIO: f64 = 1.5;

/// Byte-order marks of encodings convert-csv does not read, longest first.
const OTHER_BOMS: [(&[u8], &str, &str); 4] = [
    (b"\xFF\xFE\0\0", "UTF-32LE", "FF FE 00 00"),
    (b"\0\0\xFE\xFF", "UTF-32BE", "00 00 FE FF"),
    (b"\xFF\xFE", "UTF-16LE", "FF FE"),
    (b"\xFE\xFF", "UTF-16BE", "FE FF"),
];

/// Looks at the start of `data` (the whole file) and describes its layout,
/// applying the user's overrides.
pub fn detect(data: &[u8], opts: &CsvOptions) -> Result<Layout, CsvError> {
    if let Some(&(_, encoding, bom)) = OTHER_BOMS.iter().find(|b| data.starts_with(b.0)) {
        return Err(CsvError::Encoding { encoding, bom });
    }
    let bom = data.starts_with(BOM);
    let body = if bom { BOM.len() } else { 0 };
    if data[body..].iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty);
    }
    let mut limit = SNIFF_BYTES;
    loop {
        let end = data.len().min(body + limit);
        match detect_in(data, body, end, opts) {
            Err(CsvError::NoData { .. }) if end < data.len() && limit < SNIFF_MAX => limit *= 4,
            Err(CsvError::NoData { lines }) => return Err(no_data(data, body, end, lines)),
            Ok(mut layout) => {
                layout.bom = bom;
                return Ok(layout);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Why the sniffed text `data[body..end]` of `lines` complete lines holds no data row, when
/// the cause is not simply that: NUL bytes (UTF-16 without a byte-order mark, a binary
/// file) or a first line longer than the whole window.
fn no_data(data: &[u8], body: usize, end: usize, lines: usize) -> CsvError {
    let text = &data[body..end];
    if let Some(i) = memchr::memchr(0, text) {
        return CsvError::NulByte { offset: body + i };
    }
    if lines == 0 && end < data.len() {
        let (delim, n) = [b',', b';', b'\t']
            .into_iter()
            .map(|d| (d, memchr::memchr_iter(d, text).count()))
            .max_by_key(|x| x.1)
            .unwrap_or((b',', 0));
        return CsvError::LongLine {
            searched_mb: (end - body) >> 20,
            fields: n + 1,
            delimiter: super::delimiter_name(delim),
        };
    }
    CsvError::NoData { lines }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Empty,
    Number,
    Time,
    Text,
}

impl Kind {
    fn numeric(self) -> bool {
        matches!(self, Kind::Number | Kind::Time)
    }
}

fn cell_kind(cell: &[u8], decimal: u8) -> Kind {
    let c = trim(cell);
    if c.is_empty() {
        Kind::Empty
    } else if parse_cell(c, decimal).is_some() {
        Kind::Number
    } else if parse_unit_time(c, decimal).is_some() || parse_iso8601_ns(c).is_some() {
        Kind::Time
    } else {
        Kind::Text
    }
}

/// One sniffed line: byte offset in the file, text without the line end,
/// cells and their kinds.
struct Line<'a> {
    start: usize,
    raw: &'a [u8],
    cells: Vec<&'a [u8]>,
    kinds: Vec<Kind>,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.kinds.iter().all(|k| *k == Kind::Empty)
    }
    fn data_like(&self) -> bool {
        self.kinds.iter().any(|k| k.numeric()) && !self.kinds.contains(&Kind::Text)
    }
    fn text(&self, field: usize) -> String {
        self.cells
            .get(field)
            .map_or_else(String::new, |c| decode(trim(c)))
    }
}

/// Splits `data[start..end]` into lines (LF, CRLF or a lone CR, see `fields`); a last
/// line cut by the sniff window is dropped. Also says which line ends were seen.
fn raw_lines(data: &[u8], start: usize, end: usize) -> (Vec<(usize, &[u8])>, LineEnds) {
    let mut out = Vec::new();
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    let mut pos = start;
    while pos < end {
        let window = &data[..end];
        let Some((e, next)) = line_end(window, pos) else {
            if end == data.len() {
                out.push((pos, &data[pos..end]));
            }
            break;
        };
        // A CR as the window's last byte may be the first half of a CRLF.
        if next == end && window[e] == b'\r' && end < data.len() {
            break;
        }
        match next - e {
            2 => crlf = true,
            _ if window[e] == b'\r' => cr = true,
            _ => lf = true,
        }
        out.push((pos, &data[pos..e]));
        pos = next;
    }
    let ends = match (lf, crlf, cr) {
        (_, false, false) => LineEnds::Lf,
        (false, true, false) => LineEnds::Crlf,
        (false, false, true) => LineEnds::Cr,
        _ => LineEnds::Mixed,
    };
    (out, ends)
}

fn split_line(text: &[u8], delim: u8, decimal: u8, start: usize) -> Line<'_> {
    let cells: Vec<&[u8]> = split(text, delim);
    let kinds = cells.iter().map(|c| cell_kind(c, decimal)).collect();
    Line {
        start,
        raw: text,
        cells,
        kinds,
    }
}

/// How well a delimiter/decimal pair explains the last rows: the number of
/// numeric cells in rows that have no text cells. A decimal comma in a comma-separated
/// file is that file's convention only if no number is written with a `.`.
fn dialect_score(raw: &[(usize, &[u8])], delim: u8, decimal: u8) -> usize {
    raw.iter()
        .rev()
        .filter(|(_, t)| !trim(t).is_empty())
        .take(TAIL_ROWS * 2)
        .map(|(s, t)| {
            let mut l = split_line(t, delim, decimal, *s);
            if delim == decimal {
                for (k, c) in l.kinds.iter_mut().zip(&l.cells) {
                    if c.contains(&b'.') {
                        *k = Kind::Text;
                    }
                }
            }
            l
        })
        .filter(Line::data_like)
        .map(|l| l.kinds.iter().filter(|k| k.numeric()).count())
        .sum()
}

/// Delimiter and decimal pairs, tried in this order (ties keep the first). `,` with `,`
/// is a comma-separated file whose decimal commas are inside quotes (`"1,5"`).
const CANDIDATES: [(u8, u8); 6] = [
    (b',', b'.'),
    (b';', b'.'),
    (b';', b','),
    (b'\t', b'.'),
    (b'\t', b','),
    (b',', b','),
];

fn choose_dialect(raw: &[(usize, &[u8])], opts: &CsvOptions) -> (u8, u8) {
    let mut best = (opts.delimiter.unwrap_or(b','), opts.decimal.unwrap_or(b'.'));
    let mut best_score = 0;
    for (d, dec) in CANDIDATES {
        let d = opts.delimiter.unwrap_or(d);
        let dec = opts.decimal.unwrap_or(dec);
        let s = dialect_score(raw, d, dec);
        if s > best_score {
            best = (d, dec);
            best_score = s;
        }
    }
    best
}

/// Header bytes are decoded as UTF-8 when valid, else as Latin-1 (one
/// instrument writes `°` as the single byte 0xB0).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Header key normalised for lookups: lower case, TABs and a trailing `:` gone.
fn norm_key(k: &str) -> String {
    let k = k.replace('\t', " ");
    let k = k
        .trim()
        .trim_start_matches('#')
        .trim_end_matches(':')
        .trim();
    k.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// A units-row cell: `(ms)`, `[V]` or a unit word, normalised (`Volt` → `V`).
fn unit_word(cell: &str) -> Option<String> {
    let c = cell.trim();
    let inner = c
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .or_else(|| c.strip_prefix('[').and_then(|s| s.strip_suffix(']')));
    if let Some(u) = inner {
        return (!u.is_empty() && u.len() <= 8).then(|| normalise_unit(u));
    }
    const WORDS: [&str; 20] = [
        "s", "second", "seconds", "sec", "ms", "us", "µs", "ns", "v", "volt", "volts", "mv", "uv",
        "a", "ma", "amp", "hz", "db", "dbm", "sequence",
    ];
    WORDS
        .contains(&c.to_lowercase().as_str())
        .then(|| normalise_unit(c))
}

fn normalise_unit(u: &str) -> String {
    match u.to_ascii_lowercase().as_str() {
        "second" | "seconds" | "sec" | "s" => "s".into(),
        "volt" | "volts" | "v" => "V".into(),
        "sequence" => "Sequence".into(),
        _ => u.to_string(),
    }
}

/// Units written inside a column name: `Channel 1 (V)`, `Time [s]`,
/// `CH1_Voltage(mV)`, R&S's `C1 in V`.
fn unit_from_name(name: &str) -> Option<String> {
    let n = name.trim();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(body) = n.strip_suffix(close)
            && let Some(i) = body.rfind(open)
        {
            let u = body[i + 1..].trim();
            if !u.is_empty() && u.len() <= 8 {
                return Some(normalise_unit(u));
            }
        }
    }
    let words: Vec<&str> = n.split_whitespace().collect();
    match words.as_slice() {
        [.., inw, u] if inw.eq_ignore_ascii_case("in") => Some(normalise_unit(u)),
        _ => None,
    }
}

fn time_like_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n.starts_with("time") || matches!(n.as_str(), "x-axis" | "t" | "zeit" | "in s" | "sec")
}

fn channel_like_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    ["ch", "channel", "kanal", "c"].iter().any(|p| {
        n.strip_prefix(p)
            .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Header rows that only announce the data (GW Instek's `Waveform Data,`).
fn is_marker(line: &Line) -> bool {
    norm_key(&line.text(0)) == "waveform data"
}

/// Key/value metadata, in file order; values keep their per-channel cells.
type Meta = Vec<(String, Vec<String>)>;

fn meta_find<'m>(meta: &'m Meta, keys: &[&str]) -> Option<&'m (String, Vec<String>)> {
    meta.iter()
        .find(|(k, v)| !v.is_empty() && keys.contains(&norm_key(k).as_str()))
}

/// A number in a header value: `4e-07`, `0.08uS`, `CH1:0.0000000020000 CH2:…`.
fn header_number(value: &str, decimal: u8) -> Option<f64> {
    let first = value.split_whitespace().next()?;
    let v = first.rsplit(':').next().unwrap_or(first);
    parse_cell(v.as_bytes(), decimal).or_else(|| parse_unit_time(v.as_bytes(), decimal))
}

/// The sample rate written in the header, if any.
fn header_rate(meta: &Meta, decimal: u8) -> Option<HeaderRate> {
    const INTERVALS: [&str; 6] = [
        "sample interval",
        "sampling period",
        "increment",
        "time interval",
        "sample period",
        "xinc",
    ];
    const RATES: [&str; 3] = ["sample rate", "sampling rate", "samplerate"];
    if let Some((k, v)) = meta_find(meta, &INTERVALS) {
        let dt = header_number(&v[0], decimal).filter(|d| *d > 0.0 && (1.0 / d).is_finite())?;
        let t0 = meta_find(meta, &["start"]).and_then(|(_, v)| header_number(&v[0], decimal));
        return Some(HeaderRate {
            rate: 1.0 / dt,
            source: format!("header: {} {}", k.replace('\t', " ").trim(), v[0]),
            t0,
            exact: true,
        });
    }
    let (k, v) = meta_find(meta, &RATES)?;
    let text = v[0].trim();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
        .unwrap_or(text.len());
    let rate = parse_cell(&text.as_bytes()[..digits_end], decimal)
        .filter(|r| r.is_finite() && *r > 0.0)?;
    Some(HeaderRate {
        rate,
        source: format!("header: {} {}", k.trim(), text),
        t0: None,
        exact: false,
    })
}

/// Values per channel of a metadata key (`Vertical Units,V,V`,
/// `Vertical Units,CH1:V CH2:V`).
fn per_channel(meta: &Meta, key: &str) -> Vec<String> {
    let Some((_, v)) = meta_find(meta, &[key]) else {
        return Vec::new();
    };
    v.iter()
        .flat_map(|cell| cell.split_whitespace())
        .map(|t| t.rsplit(':').next().unwrap_or(t).to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A line that is no data row in the detected dialect but would be one with another
/// delimiter or without a byte-order mark (files joined with `cat`): a data row gone
/// wrong, which the parse reports with its line number, not a header line to drop.
fn stray_data_row(l: &Line) -> bool {
    let raw = l.raw.strip_prefix(BOM).unwrap_or(l.raw);
    !l.blank()
        && CANDIDATES
            .iter()
            .any(|&(d, dec)| split_line(raw, d, dec, l.start).data_like())
}

fn detect_in(data: &[u8], body: usize, end: usize, opts: &CsvOptions) -> Result<Layout, CsvError> {
    let (raw, line_ends) = raw_lines(data, body, end);
    let (delim, decimal) = choose_dialect(&raw, opts);
    let lines: Vec<Line> = raw
        .iter()
        .map(|(s, t)| split_line(t, delim, decimal, *s))
        .collect();
    let crlf = memchr::memmem::find(&data[body..end], b"\r\n").is_some();

    let tail: Vec<usize> = (0..lines.len())
        .rev()
        .filter(|&i| !lines[i].blank())
        .take(TAIL_ROWS)
        .filter(|&i| lines[i].data_like())
        .collect();
    let Some(&last_data) = tail.first() else {
        return Err(CsvError::NoData { lines: lines.len() });
    };
    let fields = mode(tail.iter().map(|&i| lines[i].cells.len()));
    let numeric: Vec<usize> = (0..fields)
        .filter(|&j| {
            let n = tail
                .iter()
                .filter(|&&i| lines[i].kinds.get(j).is_some_and(|k| k.numeric()))
                .count();
            n > 0
        })
        .collect();
    let is_data = |l: &Line| {
        let k = |j: usize| l.kinds.get(j).copied().unwrap_or(Kind::Empty);
        numeric.iter().all(|&j| k(j) != Kind::Text) && numeric.iter().any(|&j| k(j).numeric())
    };
    let start = match opts.skip_rows {
        Some(skip) if skip >= lines.len() => return Err(CsvError::NoData { lines: lines.len() }),
        Some(skip) => skip,
        None => {
            let data_above = |i: usize| is_data(&lines[i]) || stray_data_row(&lines[i]);
            let mut s = last_data;
            while s > 0 {
                let l = &lines[s - 1];
                // A blank line with data above it is a gap inside the data, not the end
                // of the header: the parse counts and reports it, no row is lost.
                if l.blank() {
                    match (0..s - 1).rev().find(|&i| !lines[i].blank()) {
                        Some(i) if data_above(i) => {
                            s = i + 1;
                            continue;
                        }
                        _ => break,
                    }
                }
                if is_data(l) || stray_data_row(l) {
                    s -= 1;
                    continue;
                }
                // A few lines of the data's field count with data above them are inside
                // the data: text where a number belongs (`oops,3`), or the header of a
                // second file joined on. The parse reports them. A names row has only
                // header lines above it.
                let run = (s.saturating_sub(MAX_BAD_RUN)..s)
                    .rev()
                    .take_while(|&i| lines[i].blank() || lines[i].cells.len() == fields)
                    .find(|&i| i > 0 && data_above(i - 1));
                match run {
                    Some(top) => s = top,
                    None => break,
                }
            }
            s
        }
    };

    // Metadata: '#' comments, header key/value rows, and cells beside the data.
    let mut meta: Meta = Vec::new();
    for line in &lines[..start] {
        let first = line.text(0);
        if first.starts_with('#') {
            let joined = decode(trim(line.raw));
            if let Some((k, v)) = joined.trim_start_matches('#').split_once(':') {
                meta.push((k.trim().to_string(), vec![v.trim().to_string()]));
            }
            continue;
        }
        push_key_values(&mut meta, line, 0..line.cells.len());
    }
    for line in lines[start..].iter().filter(|l| is_data(l)) {
        let side: Vec<usize> = (0..line.cells.len())
            .filter(|j| !numeric.contains(j))
            .collect();
        if side.first().is_some_and(|&j| line.kinds[j] == Kind::Text) {
            push_key_values(&mut meta, line, side.into_iter());
        }
    }

    // Names and units rows: the non-blank lines just above the data.
    let above = |from: usize| {
        (0..from)
            .rev()
            .find(|&i| !lines[i].blank() && !lines[i].data_like())
    };
    let mut names_row = None;
    let mut units_row = None;
    if let Some(i) =
        above(start).filter(|&i| !is_marker(&lines[i]) && !lines[i].text(0).starts_with('#'))
    {
        let unitish = numeric
            .iter()
            .map(|&j| lines[i].text(j))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>();
        if !unitish.is_empty() && unitish.iter().all(|t| unit_word(t).is_some()) {
            units_row = Some(i);
            names_row = above(i).filter(|&n| !lines[n].text(0).starts_with('#'));
        } else {
            names_row = Some(i);
        }
    }
    // Rigol puts Start/Increment beside the units, under their names.
    if let (Some(n), Some(u)) = (names_row, units_row) {
        for j in (0..lines[u].cells.len()).filter(|j| !numeric.contains(j)) {
            if lines[u].kinds[j] == Kind::Number && !lines[n].text(j).is_empty() {
                meta.push((lines[n].text(j), vec![lines[u].text(j)]));
            }
        }
    }

    let name_of = |j: usize| names_row.map(|n| lines[n].text(j)).unwrap_or_default();
    let unit_of = |j: usize| {
        units_row
            .and_then(|u| unit_word(&lines[u].text(j)))
            .or_else(|| unit_from_name(&name_of(j)))
    };
    let mut columns: Vec<Column> = numeric
        .iter()
        .map(|&j| Column {
            field: j,
            name: name_of(j),
            unit: unit_of(j),
            role: Role::Data,
        })
        .collect();
    let data_rows: Vec<&Line> = lines[start..].iter().filter(|l| is_data(l)).collect();
    let mut notes = Vec::new();
    if line_ends == LineEnds::Mixed {
        notes.push("line ends mix LF, CRLF and CR: each ends a line".to_string());
    }

    let explicit_time = match &opts.time_column {
        Some(TimeColumnSel::None) => Some(None),
        Some(TimeColumnSel::Name(n)) => Some(Some(resolve_name(
            &mut columns,
            n,
            fields,
            &name_of,
            &unit_of,
        )?)),
        Some(TimeColumnSel::Index(j)) => Some(Some(resolve_index(
            &mut columns,
            *j,
            fields,
            &name_of,
            &unit_of,
        )?)),
        None => None,
    };
    let time_col = match explicit_time {
        Some(t) => t,
        None => auto_roles(&mut columns, &data_rows, decimal, &mut notes),
    };
    if let Some(c) = time_col {
        columns[c].role = Role::Time;
    }

    // Output channels.
    let channels: Vec<usize> = if opts.columns.is_empty() {
        (0..columns.len())
            .filter(|&c| columns[c].role == Role::Data)
            .collect()
    } else {
        for c in columns.iter_mut().filter(|c| c.role == Role::Data) {
            c.role = Role::Unused;
        }
        let mut out = Vec::new();
        for sel in &opts.columns {
            let c = match sel {
                ColumnSel::Name(n) => resolve_name(&mut columns, n, fields, &name_of, &unit_of)?,
                ColumnSel::Index(j) => resolve_index(&mut columns, *j, fields, &name_of, &unit_of)?,
            };
            columns[c].role = Role::Data;
            out.push(c);
        }
        out
    };
    if channels.is_empty() {
        return Err(CsvError::NoChannels {
            available: column_list(&columns),
        });
    }

    // Names and units from the metadata where the rows gave none.
    let sources = per_channel(&meta, "source");
    let vunits = per_channel(&meta, "vertical units");
    for (k, &c) in channels.iter().enumerate() {
        if columns[c].name.is_empty() {
            columns[c].name = if sources.len() == channels.len() {
                sources[k].clone()
            } else {
                format!("column {}", columns[c].field + 1)
            };
        }
        if columns[c].unit.is_none() {
            columns[c].unit = vunits.get(k).or(vunits.first()).cloned();
        }
    }

    let time = match time_col {
        Some(c) => Some(time_axis(&columns[c], &data_rows, decimal, &mut notes)?),
        None => None,
    };
    let mut header = header_rate(&meta, decimal);
    if let Some(h) = header.as_mut() {
        let index = columns.iter().find(|c| c.role == Role::Index);
        if let (Some(t0), Some(ix)) = (h.t0, index) {
            let x0 = data_rows.first().and_then(|l| {
                parse_cell(l.cells.get(ix.field).copied().unwrap_or_default(), decimal)
            });
            h.t0 = x0.map(|x| t0 + x / h.rate);
        }
    }
    let events = match &time {
        Some(t) => event_reason(t, &columns, &channels, &data_rows, decimal).inspect(|r| {
            notes.push(format!("event-based export: {r}"));
        }),
        None => None,
    }
    .is_some();

    Ok(Layout {
        delimiter: delim,
        decimal,
        bom: false,
        crlf,
        line_ends,
        data_offset: lines[start].start,
        first_data_line: start as u64 + 1,
        fields,
        columns,
        channels,
        time,
        header_rate: header,
        events,
        metadata: meta.into_iter().map(|(k, v)| (k, v.join(", "))).collect(),
        notes,
    })
}

fn push_key_values(meta: &mut Meta, line: &Line, fields: impl Iterator<Item = usize>) {
    let cells: Vec<String> = fields
        .map(|j| line.text(j))
        .filter(|t| !t.is_empty())
        .collect();
    if let Some((k, v)) = cells.split_first() {
        meta.push((k.clone(), v.to_vec()));
    }
}

fn mode(values: impl Iterator<Item = usize>) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map_or(0, |(v, _)| *v)
}

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| format!("{} {:?}", c.field + 1, c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds (or adds, for a field the sniff did not see as numeric) a column.
fn column_for_field(
    columns: &mut Vec<Column>,
    field: usize,
    name_of: &dyn Fn(usize) -> String,
    unit_of: &dyn Fn(usize) -> Option<String>,
) -> usize {
    if let Some(c) = columns.iter().position(|c| c.field == field) {
        return c;
    }
    columns.push(Column {
        field,
        name: name_of(field),
        unit: unit_of(field),
        role: Role::Unused,
    });
    columns.len() - 1
}

fn resolve_index(
    columns: &mut Vec<Column>,
    field: usize,
    fields: usize,
    name_of: &dyn Fn(usize) -> String,
    unit_of: &dyn Fn(usize) -> Option<String>,
) -> Result<usize, CsvError> {
    if field >= fields {
        return Err(CsvError::ColumnIndex {
            column: field + 1,
            fields,
        });
    }
    Ok(column_for_field(columns, field, name_of, unit_of))
}

fn resolve_name(
    columns: &mut Vec<Column>,
    name: &str,
    fields: usize,
    name_of: &dyn Fn(usize) -> String,
    unit_of: &dyn Fn(usize) -> Option<String>,
) -> Result<usize, CsvError> {
    let wanted = name.trim();
    let field = (0..fields).find(|&j| {
        let n = name_of(j);
        n.eq_ignore_ascii_case(wanted)
            || columns
                .iter()
                .any(|c| c.field == j && c.name.eq_ignore_ascii_case(wanted))
    });
    match field {
        Some(j) => Ok(column_for_field(columns, j, name_of, unit_of)),
        None => Err(CsvError::UnknownColumn {
            name: name.to_string(),
            available: column_list(columns),
        }),
    }
}

/// Decides which column is time and which is a sample index, from names,
/// units and, failing those, from a steadily increasing first column.
fn auto_roles(
    columns: &mut [Column],
    rows: &[&Line],
    decimal: u8,
    notes: &mut Vec<String>,
) -> Option<usize> {
    let values = |field: usize| -> Vec<f64> {
        rows.iter()
            .filter_map(|l| parse_cell(l.cells.get(field).copied().unwrap_or_default(), decimal))
            .collect()
    };
    if columns.len() < 2 {
        return None;
    }
    if let Some(c) = columns.iter().position(|c| {
        c.unit.as_deref() == Some("Sequence")
            || matches!(
                c.name.trim().to_ascii_lowercase().as_str(),
                "index" | "idx" | "sequence"
            )
    }) {
        columns[c].role = Role::Index;
        notes.push(format!(
            "column {} ({:?}) is a sample index, not output",
            columns[c].field + 1,
            columns[c].name
        ));
    }
    let data_left = columns.iter().filter(|c| c.role == Role::Data).count();
    if data_left < 2 {
        return None;
    }
    let by_unit = columns.iter().position(|c| {
        c.role == Role::Data && c.unit.as_deref().and_then(time_unit_scale).is_some()
    });
    let by_name = || {
        columns
            .iter()
            .position(|c| c.role == Role::Data && time_like_name(&c.name))
    };
    if let Some(c) = by_unit.or_else(by_name) {
        return Some(c);
    }
    let first = columns.iter().position(|c| c.role == Role::Data)?;
    if channel_like_name(&columns[first].name) {
        return None;
    }
    let v = values(columns[first].field);
    let steady = v.len() >= 3 && v.windows(2).all(|w| w[1] >= w[0]) && v.last() > v.first();
    if !steady {
        return None;
    }
    if v.iter().all(|x| x.fract() == 0.0) && v.windows(2).all(|w| w[1] - w[0] == 1.0) {
        columns[first].role = Role::Index;
        notes.push(format!(
            "column {} counts 1, 2, 3…: taken as a sample index",
            columns[first].field + 1
        ));
        return None;
    }
    notes.push(format!(
        "column {} ({:?}) increases steadily: taken as time in seconds",
        columns[first].field + 1,
        columns[first].name
    ));
    Some(first)
}

fn time_axis(
    col: &Column,
    rows: &[&Line],
    decimal: u8,
    notes: &mut Vec<String>,
) -> Result<TimeAxis, CsvError> {
    let cells: Vec<&[u8]> = rows
        .iter()
        .map(|l| trim(l.cells.get(col.field).copied().unwrap_or_default()))
        .filter(|c| !c.is_empty())
        .collect();
    let format = if cells.iter().all(|c| parse_cell(c, decimal).is_some()) {
        TimeFormat::Number
    } else if let Some(origin_ns) = cells.first().and_then(|c| parse_iso8601_ns(c)) {
        TimeFormat::Iso8601 { origin_ns }
    } else {
        TimeFormat::UnitSuffix
    };
    let scale = match (format, col.unit.as_deref().and_then(time_unit_scale)) {
        (TimeFormat::Number, Some(s)) => s,
        _ => 1.0,
    };
    if scale != 1.0 {
        notes.push(format!(
            "time column {:?} is in {}, converted to seconds",
            col.name,
            col.unit.as_deref().unwrap_or("?")
        ));
    }
    Ok(TimeAxis {
        field: col.field,
        format,
        scale,
    })
}

/// Time of a cell in seconds according to `axis`.
pub(crate) fn time_of(cell: &[u8], axis: &TimeAxis, decimal: u8) -> Option<f64> {
    match axis.format {
        TimeFormat::Number => parse_cell(cell, decimal).map(|v| v * axis.scale),
        TimeFormat::UnitSuffix => parse_unit_time(cell, decimal),
        TimeFormat::Iso8601 { origin_ns } => {
            parse_iso8601_ns(cell).map(|ns| (ns - origin_ns) as f64 * 1e-9)
        }
    }
}

/// Why the rows look like one row per transition, or `None`: every channel
/// holds only 0/1 and the time steps vary far more than sampling jitter.
fn event_reason(
    axis: &TimeAxis,
    columns: &[Column],
    channels: &[usize],
    rows: &[&Line],
    decimal: u8,
) -> Option<String> {
    let binary = channels.iter().all(|&c| {
        rows.iter().all(|l| {
            parse_cell(
                l.cells.get(columns[c].field).copied().unwrap_or_default(),
                decimal,
            )
            .is_none_or(|v| v == 0.0 || v == 1.0)
        })
    });
    let times: Vec<f64> = rows
        .iter()
        .filter_map(|l| {
            time_of(
                l.cells.get(axis.field).copied().unwrap_or_default(),
                axis,
                decimal,
            )
        })
        .collect();
    let steps: Vec<f64> = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|s| *s > 0.0 && s.is_finite())
        .collect();
    let min = steps.iter().copied().fold(f64::INFINITY, f64::min);
    let max = steps.iter().copied().fold(0.0, f64::max);
    (binary && steps.len() >= 2 && max > EVENT_STEP_RATIO * min)
        .then(|| format!("0/1 channels, time steps from {min:.3e} s to {max:.3e} s"))
}
