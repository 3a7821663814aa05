//! Shared helpers: fixture paths, parsing, values through the loader, printed-precision
//! comparison, patched bytes, scratch files, the mutation budget.

use crate::loader::layout::Layout;
use crate::loader::scope::FormatError;
use crate::loader::scope::read::ReadAt;
use crate::loader::{OpenOptions, Pick, Walk};
use crate::sample::Sample;
use crate::sample::sink::{Sink, SinkError};
use std::path::{Path, PathBuf};

pub type ParseFn<M> = fn(&std::fs::File, &Path, u64) -> Result<Layout<M>, FormatError>;

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/scope")
        .join(name)
}

pub fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

/// Parse the fixture `name` as its file, through the public `parse`.
pub fn parse_file<M>(name: &str, parse: ParseFn<M>) -> Result<Layout<M>, FormatError> {
    let path = data(name);
    let file = std::fs::File::open(&path).unwrap();
    let size = file.metadata().unwrap().len();
    parse(&file, &path, size)
}

/// Every channel's values of the fixture `name`, read by the loader (detection, frame
/// source, feed and scale), as f64.
pub fn values<M>(_layout: &Layout<M>, name: &str) -> Vec<Vec<f64>> {
    file_values(&data(name), 4096)
}

/// Every channel's values of the file at `path` through the loader, `chunk` frames at a time.
pub fn file_values(path: &Path, chunk: usize) -> Vec<Vec<f64>> {
    let mut trace = crate::loader::open(&OpenOptions {
        path: Some(path.to_path_buf()),
        ..OpenOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let picks: Vec<Pick> = (0..trace.info.channels.len()).map(Pick::channel).collect();
    let mut sink = Collect(vec![Vec::new(); picks.len()]);
    let walk = Walk {
        range: (0, trace.info.samples),
        picks: &picks,
        chunk,
        progress: &|_| {},
    };
    trace.feed(&walk, &mut sink).unwrap();
    sink.0
}

struct Collect(Vec<Vec<f64>>);

impl Sink for Collect {
    fn take<T: Sample>(&mut self, _start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        for (out, column) in self.0.iter_mut().zip(columns) {
            out.extend(column.iter().map(|v| v.to_f64()));
        }
        Ok(())
    }
}

/// `x` equals the text `printed` to its printed precision: within half a unit of its last
/// digit, plus `noise` for rounding in how `x` was computed.
pub fn printed_equal(x: f64, printed: &str, noise: f64) -> bool {
    let lower = printed.trim().to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap()),
        None => (lower.as_str(), 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let half_unit = 0.5 * 10f64.powi(exponent - decimals);
    (x - printed.trim().parse::<f64>().unwrap()).abs()
        <= half_unit + noise + 8.0 * f64::EPSILON * x.abs()
}

/// Relative closeness for sums taken in a different order than the reference's.
pub fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
    assert!(
        (got - want).abs() <= rel * want.abs().max(f64::MIN_POSITIVE),
        "{what}: got {got:e}, want {want:e}"
    );
}

/// Absolute closeness.
pub fn assert_near(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

/// Bytes with one byte replaced, without copying them: for mutation loops.
pub struct Patched<'a> {
    pub base: &'a [u8],
    pub at: usize,
    pub byte: u8,
}

impl ReadAt for Patched<'_> {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        self.base.read_exact_at(buf, offset)?;
        let start = offset as usize;
        if (start..start + buf.len()).contains(&self.at) {
            buf[self.at - start] = self.byte;
        }
        Ok(())
    }
}

/// Every run of every column lies inside a data file of `size` bytes (checked
/// independently of the parsers' own check, in u128 so nothing overflows).
pub fn runs_inside<M>(layout: &Layout<M>, size: u64) -> bool {
    layout.columns.iter().all(|c| {
        let width = c.dtype.size() as u128;
        let total: u128 = c.runs.iter().map(|r| u128::from(r.samples)).sum();
        total == u128::from(layout.samples)
            && c.runs.iter().all(|r| {
                r.samples == 0
                    || u128::from(r.offset)
                        + u128::from(r.samples - 1) * u128::from(r.stride)
                        + width
                        <= u128::from(size)
            })
    })
}

/// Write `value` into `bytes` at `at`.
pub fn put(bytes: &mut [u8], at: usize, value: &[u8]) {
    bytes[at..at + value.len()].copy_from_slice(value);
}

/// A scratch copy of a file, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str, ext: &str, bytes: &[u8]) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "tracekit_scope_{}_{tag}_{:?}.{ext}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, bytes).expect("write scratch file");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// How many mutated parses a mutation test may run per fixture: `TRACEKIT_FUZZ_BUDGET`
/// (benches/fuzz.sh sets it high enough for every byte and value), else a short default
/// for `cargo test`.
pub fn fuzz_budget() -> usize {
    std::env::var("TRACEKIT_FUZZ_BUDGET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

/// `budget` (position, value) pairs spread evenly over `positions` × 256 values (every
/// pair when the budget allows), so a short run still touches every part of the header.
pub fn mutation_plan(positions: &[usize], budget: usize) -> Vec<(usize, u8)> {
    let space = positions.len() * 256;
    let step = space.div_ceil(budget.max(1)).max(1);
    // An odd step walks the values of successive bytes out of phase.
    let step = if step > 1 && step.is_multiple_of(2) {
        step + 1
    } else {
        step
    };
    (0..space)
        .step_by(step)
        .map(|k| (positions[k / 256], (k % 256) as u8))
        .collect()
}

/// The layout without its metadata, so parsers of different formats share one type.
pub fn erase<M>(l: Layout<M>) -> Layout<()> {
    Layout {
        data_file: l.data_file,
        columns: l.columns,
        channels: l.channels,
        samples: l.samples,
        x_increment: l.x_increment,
        x_unit: l.x_unit,
        x_origin: l.x_origin,
        segments: l.segments,
        warnings: l.warnings,
        meta: (),
    }
}
