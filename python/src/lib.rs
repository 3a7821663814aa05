//! `tracekit._tracekit`: the Rust side of the Python package. Every call opens and walks
//! captures through tracekit's loader and runs tracekit's own sinks (`analyse::Stats`,
//! `dsp::welch::Welch`); the Python package (`tracekit/__init__.py`) only shapes arguments.
//! `decode`, `measure` and `find` run the CLI's own commands in-process ([`run_cli`]).
//! Long walks run with the GIL released.

use clap::Parser;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};
use std::path::PathBuf;
use std::sync::Mutex;
use tracekit::analyse::Stats;
use tracekit::cli::Cli;
use tracekit::dsp::moments::Accumulator;
use tracekit::dsp::welch::{Average, Detrend, Scaling, Welch, WelchConfig};
use tracekit::dsp::window::WindowKind;
use tracekit::loader::{self, Layout, LoaderError, OpenOptions, Pick, Scale, Trace, Walk};
use tracekit::report::info::InfoReport;
use tracekit::report::stats::StatsReport;
use tracekit::sample::sink::{PerChannel, Sink, SinkError};
use tracekit::sample::{DType, Endian, Sample};

create_exception!(
    _tracekit,
    TracekitError,
    PyException,
    "A capture tracekit cannot read or analyse; the message is the CLI's one line."
);

/// The CLI's one line: the error and its causes, joined with ": " (as `anyhow` prints them).
fn one_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut line = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = c.source();
    }
    line
}

fn err(e: LoaderError) -> PyErr {
    TracekitError::new_err(one_line(&e))
}

fn no_walk(_: u64) {}

/// `(freqs, power, segments)` of a Welch run.
type Spectrum<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>, u64);

/// An open capture. Not shared between threads at once: calls take the lock.
#[pyclass(module = "tracekit._tracekit")]
struct RawTrace {
    opts: OpenOptions,
    info: loader::TraceInfo,
    trace: Mutex<Option<Trace>>,
    /// Frame the source last delivered up to: reading before it reopens the file (some
    /// sources only go forward).
    position: Mutex<u64>,
}

/// Collects the picked channels of a range as f64 (scaled channels in their unit), frame
/// after frame.
struct Collect {
    columns: usize,
    out: Vec<f64>,
}

impl Sink for Collect {
    fn take<T: Sample>(&mut self, _start: u64, columns: &[&[T]]) -> Result<(), SinkError> {
        let len = columns.first().map_or(0, |c| c.len());
        if self.columns == 1 {
            self.out.extend(columns[0].iter().map(|v| v.to_f64()));
        } else {
            self.out.reserve(len * self.columns);
            for i in 0..len {
                self.out.extend(columns.iter().map(|c| c[i].to_f64()));
            }
        }
        Ok(())
    }
}

impl RawTrace {
    /// The open trace, reopened when closed by a walk that must restart before `start`.
    fn with_trace<R>(
        &self,
        start: u64,
        f: impl FnOnce(&mut Trace) -> Result<R, LoaderError>,
    ) -> PyResult<R> {
        let mut guard = self
            .trace
            .lock()
            .map_err(|_| PyValueError::new_err("the trace was poisoned by an earlier panic"))?;
        let mut position = self
            .position
            .lock()
            .map_err(|_| PyValueError::new_err("the trace was poisoned by an earlier panic"))?;
        if guard.is_none() {
            return Err(PyValueError::new_err(format!(
                "{}: the trace is closed",
                self.info.path
            )));
        }
        if start < *position {
            *guard = Some(loader::open(&self.opts).map_err(err)?);
            *position = 0;
        }
        let trace = guard
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("closed"))?;
        let result = f(trace).map_err(err)?;
        // Any later walk may need to go back: be conservative and reopen on every backward step.
        *position = start;
        Ok(result)
    }

    fn picks(&self, channel: Option<usize>) -> PyResult<Vec<Pick>> {
        match channel {
            Some(k) => {
                self.info.check_channel(k).map_err(err)?;
                Ok(vec![Pick::channel(k)])
            }
            None => Ok((0..self.info.channels.len()).map(Pick::channel).collect()),
        }
    }

    /// `[start, end)` checked against the trace (end None = to its end).
    fn range(&self, range: Option<(u64, u64)>) -> PyResult<(u64, Option<u64>)> {
        match (range, self.info.samples) {
            (None, samples) => Ok((0, samples)),
            (Some((a, b)), Some(n)) if a <= b && b <= n => Ok((a, Some(b))),
            (Some((a, b)), Some(n)) => Err(PyValueError::new_err(format!(
                "{}: range {a}..{b} is outside the capture's {n} samples",
                self.info.path
            ))),
            (Some((a, b)), None) if a <= b => Ok((a, Some(b))),
            (Some((a, b)), None) => Err(PyValueError::new_err(format!(
                "{}: range {a}..{b} is empty",
                self.info.path
            ))),
        }
    }
}

fn parse_dtype(text: &str) -> PyResult<(DType, Option<Endian>)> {
    DType::parse(text).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown dtype {text:?}: expected e.g. int16, f32, <f4, >i2"
        ))
    })
}

/// `(nodes (level, index, power), max, segments)` of [`RawTrace::welch_sums`].
type WelchSums<'py> = (
    Vec<(u32, u64, Bound<'py, PyArray1<f64>>)>,
    Option<Bound<'py, PyArray1<f64>>>,
    u64,
);

/// The Welch configuration of the binding's arguments (`names`: window, detrend, scaling,
/// average).
fn welch_config(
    nfft: usize,
    overlap: usize,
    (window, detrend, scaling, average): (&str, &str, &str, &str),
    sample_rate: Option<f64>,
) -> PyResult<WelchConfig> {
    let value = |what: &str, e: String| PyValueError::new_err(format!("{what}: {e}"));
    Ok(WelchConfig {
        nfft,
        overlap,
        window: window
            .parse::<WindowKind>()
            .map_err(|e| value("window", e.to_string()))?,
        detrend: detrend
            .parse::<Detrend>()
            .map_err(|e| value("detrend", e.to_string()))?,
        scaling: scaling
            .parse::<Scaling>()
            .map_err(|e| value("scaling", e.to_string()))?,
        average: average
            .parse::<Average>()
            .map_err(|e| value("average", e.to_string()))?,
        sample_rate,
        tone_metrics: false,
    })
}

impl RawTrace {
    /// A Welch run fed one channel over `range`, its segments numbered from `range.0 / hop`.
    fn welch_run(
        &self,
        py: Python<'_>,
        (nfft, overlap): (usize, usize),
        names: (&str, &str, &str, &str),
        range: Option<(u64, u64)>,
        channel: usize,
    ) -> PyResult<Welch> {
        let config = welch_config(nfft, overlap, names, self.info.sample_rate)?;
        let picks = self.picks(Some(channel))?;
        let range = self.range(range)?;
        let path = self.info.path.clone();
        let hop = nfft.saturating_sub(overlap).max(1) as u64;
        let welch = Welch::new(config)
            .map_err(|e| TracekitError::new_err(format!("{path}: nfft {nfft} overlap: {e}")))?
            .first_segment(range.0 / hop);
        let welch = py.allow_threads(|| {
            self.with_trace(range.0, |trace| {
                let mut sinks = PerChannel(vec![welch]);
                let walk = Walk {
                    range,
                    picks: &picks,
                    chunk: loader::DEFAULT_CHUNK,
                    progress: &no_walk,
                };
                trace.feed(&walk, &mut sinks)?;
                Ok(sinks.0.pop())
            })
        })?;
        welch.ok_or_else(|| PyValueError::new_err("no spectrum"))
    }
}

/// The Welch spectrum (`psd`) of raw sums of `segments` segments (the total of
/// `welch_sums`' nodes, or its max-hold) with the given settings: the bits `welch` gives.
#[pyfunction]
#[pyo3(signature = (nfft, overlap, window, detrend, scaling, average, sample_rate, power, segments))]
#[allow(clippy::too_many_arguments)]
fn welch_spectrum<'py>(
    py: Python<'py>,
    nfft: usize,
    overlap: usize,
    window: &str,
    detrend: &str,
    scaling: &str,
    average: &str,
    sample_rate: Option<f64>,
    power: Vec<f64>,
    segments: u64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let config = welch_config(
        nfft,
        overlap,
        (window, detrend, scaling, average),
        sample_rate,
    )?;
    if power.len() != nfft / 2 + 1 {
        return Err(PyValueError::new_err(format!(
            "{} power bins for nfft {nfft}: expected {}",
            power.len(),
            nfft / 2 + 1
        )));
    }
    let welch = Welch::new(config).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(welch.spectrum_of(power, segments).power.into_pyarray(py))
}

#[pymethods]
impl RawTrace {
    #[new]
    #[pyo3(signature = (path, sample_rate=None, dtype=None, offset=0, length=None, channels=None, dataset=None, format=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        sample_rate: Option<f64>,
        dtype: Option<&str>,
        offset: u64,
        length: Option<u64>,
        channels: Option<usize>,
        dataset: Option<String>,
        format: Option<&str>,
    ) -> PyResult<Self> {
        let format =
            match format {
                None => None,
                Some(name) => Some(loader::format_named(name).map(|f| f.name()).ok_or_else(
                    || {
                        let names: Vec<&str> = loader::FORMATS.iter().map(|f| f.name()).collect();
                        PyValueError::new_err(format!(
                            "unknown format {name:?}: expected one of {}",
                            names.join(", ")
                        ))
                    },
                )?),
            };
        if let Some(rate) = sample_rate
            && !(rate.is_finite() && rate > 0.0)
        {
            return Err(PyValueError::new_err(format!(
                "sample_rate must be a positive number of samples per second, not {rate}"
            )));
        }
        let (dtype, endian) = match dtype {
            Some(t) => {
                let (d, e) = parse_dtype(t)?;
                (Some(d), e)
            }
            None => (None, None),
        };
        let opts = OpenOptions {
            path: Some(path),
            format,
            dtype,
            endian,
            offset: (offset > 0).then_some(offset),
            length,
            channels,
            dataset,
            sample_rate,
            ..OpenOptions::default()
        };
        let trace = py.allow_threads(|| loader::open(&opts)).map_err(err)?;
        Ok(RawTrace {
            opts,
            info: trace.info.clone(),
            trace: Mutex::new(Some(trace)),
            position: Mutex::new(0),
        })
    }

    #[getter]
    fn path(&self) -> String {
        self.info.path.clone()
    }
    #[getter]
    fn format(&self) -> &'static str {
        self.info.format
    }
    #[getter]
    fn sample_rate(&self) -> Option<f64> {
        self.info.sample_rate
    }
    #[getter]
    fn length(&self) -> Option<u64> {
        self.info.samples
    }
    #[getter]
    fn duration(&self) -> Option<f64> {
        self.info.duration_s()
    }
    #[getter]
    fn dtype(&self) -> String {
        self.info.dtype.descr(self.info.endian)
    }
    #[getter]
    fn channels(&self) -> usize {
        self.info.channels.len()
    }
    #[getter]
    fn channel_names(&self) -> Vec<String> {
        self.info.channels.iter().map(|c| c.name.clone()).collect()
    }
    /// Whether the channel's values need no conversion (native, unscaled, not one bit).
    fn is_plain(&self, channel: usize) -> bool {
        self.info
            .channels
            .get(channel)
            .is_some_and(|c| c.scale.is_none() && c.bit.is_none() && c.column < self.info.columns)
    }
    /// `info --json` as a string.
    fn info_json(&self) -> PyResult<String> {
        serde_json::to_string(&InfoReport::new(&self.info))
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// `(data_offset, descr, samples, columns)` when the frames lie as one interleaved run of
    /// native-order numbers in the file, so NumPy can map them in place; else None.
    fn mmap_layout(&self) -> Option<(u64, String, u64, usize)> {
        let info = &self.info;
        let native = info.endian == Endian::NATIVE || info.dtype.size() == 1;
        let contiguous_format = matches!(info.format, "npy" | "raw");
        let (offset, samples, size) = (info.data_offset?, info.samples?, info.file_size?);
        let bytes = samples.checked_mul(info.frame_bytes() as u64)?;
        (native
            && contiguous_format
            && info.layout == Layout::Interleaved
            && offset.checked_add(bytes)? <= size)
            .then(|| (offset, info.dtype.descr(info.endian), samples, info.columns))
    }

    /// Samples `[start, end)` of one channel (1-D) or all (2-D, frame after frame), as f64
    /// values (scaled channels in their unit).
    #[pyo3(signature = (start, end, channel=None))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        start: u64,
        end: u64,
        channel: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let picks = self.picks(channel)?;
        let range = self.range(Some((start, end)))?;
        let columns = picks.len();
        let out = py.allow_threads(|| {
            self.with_trace(start, |trace| {
                let mut sink = Collect {
                    columns,
                    out: Vec::with_capacity(((end - start) as usize).saturating_mul(columns)),
                };
                if end > start {
                    let walk = Walk {
                        range,
                        picks: &picks,
                        chunk: loader::DEFAULT_CHUNK,
                        progress: &no_walk,
                    };
                    trace.feed(&walk, &mut sink)?;
                }
                Ok(sink.out)
            })
        })?;
        if channel.is_some() {
            Ok(out.into_pyarray(py).into_any())
        } else {
            let rows = out.len() / columns.max(1);
            let flat: Bound<'py, PyArray1<f64>> = out.into_pyarray(py);
            let shaped: Bound<'py, PyArray2<f64>> = flat.reshape([rows, columns])?;
            Ok(shaped.into_any())
        }
    }

    /// Exact statistics, as `stats --json` reports them.
    #[pyo3(signature = (range=None, channel=None))]
    fn stats(
        &self,
        py: Python<'_>,
        range: Option<(u64, u64)>,
        channel: Option<usize>,
    ) -> PyResult<String> {
        let partial = self.stats_partial(py, range, channel)?;
        partial.report()
    }

    /// The statistics of a range, to merge with those of the ranges that follow.
    #[pyo3(signature = (range=None, channel=None))]
    fn stats_partial(
        &self,
        py: Python<'_>,
        range: Option<(u64, u64)>,
        channel: Option<usize>,
    ) -> PyResult<StatsPartial> {
        let picks = self.picks(channel)?;
        let range = self.range(range)?;
        if self.info.samples == Some(0) {
            return Err(TracekitError::new_err(format!(
                "{}: the capture holds no samples",
                self.info.path
            )));
        }
        let stats = py.allow_threads(|| {
            self.with_trace(range.0, |trace| {
                let mut stats = Stats::new(&mut trace.info, &picks, range.0);
                let walk = Walk {
                    range,
                    picks: &picks,
                    chunk: loader::DEFAULT_CHUNK,
                    progress: &no_walk,
                };
                let fed = trace.feed_split(&walk, &mut stats.sinks);
                stats.restore_scales(&mut trace.info);
                fed.map(|()| stats)
            })
        })?;
        Ok(StatsPartial {
            path: self.info.path.clone(),
            sample_rate: self.info.sample_rate,
            names: self.info.channels.iter().map(|c| c.name.clone()).collect(),
            start: range.0,
            end: range.0 + stats.samples(),
            stats,
        })
    }

    /// Welch power spectrum of one channel: (freqs, power, segments). The segments are
    /// numbered from `range.0 / hop` in the summation tree, as [`RawTrace::welch_sums`].
    #[pyo3(signature = (nfft, overlap, window, detrend, scaling, average, range=None, channel=0))]
    #[allow(clippy::too_many_arguments)]
    fn welch<'py>(
        &self,
        py: Python<'py>,
        nfft: usize,
        overlap: usize,
        window: &str,
        detrend: &str,
        scaling: &str,
        average: &str,
        range: Option<(u64, u64)>,
        channel: usize,
    ) -> PyResult<Spectrum<'py>> {
        let names = (window, detrend, scaling, average);
        let welch = self.welch_run(py, (nfft, overlap), names, range, channel)?;
        let path = &self.info.path;
        let spectrum = welch
            .finish()
            .map_err(|e| TracekitError::new_err(format!("{path}: {}", one_line(&e))))?;
        Ok((
            spectrum.freqs.into_pyarray(py),
            spectrum.power.into_pyarray(py),
            spectrum.segments,
        ))
    }

    /// The raw sums of a Welch run, to merge exactly: `(nodes, max, segments)`, `nodes` the
    /// canonical summation tree of Σ|X|² as `(level, index, power)` (absolute segment
    /// indices, from `range.0 / hop`; empty with average "max"), `max` the max-hold of |X|²
    /// (None with "mean"). `welch_spectrum` turns the total into `psd`.
    #[pyo3(signature = (nfft, overlap, window, detrend, scaling, average, range=None, channel=0))]
    #[allow(clippy::too_many_arguments)]
    fn welch_sums<'py>(
        &self,
        py: Python<'py>,
        nfft: usize,
        overlap: usize,
        window: &str,
        detrend: &str,
        scaling: &str,
        average: &str,
        range: Option<(u64, u64)>,
        channel: usize,
    ) -> PyResult<WelchSums<'py>> {
        let names = (window, detrend, scaling, average);
        let welch = self.welch_run(py, (nfft, overlap), names, range, channel)?;
        let path = &self.info.path;
        let sums = welch
            .finish_sums()
            .map_err(|e| TracekitError::new_err(format!("{path}: {}", one_line(&e))))?;
        let nodes = sums
            .tree
            .nodes()
            .iter()
            .map(|n| (n.level, n.index, n.power.clone().into_pyarray(py)))
            .collect();
        Ok((nodes, sums.max.map(|m| m.into_pyarray(py)), sums.segments))
    }

    fn close(&self) {
        if let Ok(mut guard) = self.trace.lock() {
            *guard = None;
        }
    }

    #[getter]
    fn closed(&self) -> bool {
        self.trace.lock().map_or(true, |g| g.is_none())
    }
}

/// Exact statistics of a range `[start, end)`, mergeable with the range that follows.
#[pyclass(module = "tracekit._tracekit")]
struct StatsPartial {
    path: String,
    sample_rate: Option<f64>,
    names: Vec<String>,
    start: u64,
    end: u64,
    stats: Stats,
}

impl StatsPartial {
    fn report(&self) -> PyResult<String> {
        let samples = self.stats.samples();
        if samples == 0 {
            return Err(TracekitError::new_err(format!(
                "{}: no samples to analyse",
                self.path
            )));
        }
        let results: Vec<(usize, &str, tracekit::dsp::moments::Moments)> = self
            .stats
            .channels
            .iter()
            .zip(self.stats.moments())
            .map(|(&k, m)| (k, self.names[k].as_str(), m))
            .collect();
        let report = StatsReport::new(&self.path, samples, self.sample_rate, &results);
        serde_json::to_string(&report).map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// Bytes of a [`StatsPartial`]: `TKSP`, the version, then little-endian fields.
const PARTIAL_MAGIC: &[u8; 4] = b"TKSP";
const PARTIAL_VERSION: u8 = 1;

/// Reads the fields [`StatsPartial::to_bytes`] writes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> PyResult<&'a [u8]> {
        if self.0.len() < n {
            return Err(PyValueError::new_err(
                "the StatsPartial bytes end early: not a whole partial",
            ));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u64(&mut self) -> PyResult<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn f64(&mut self) -> PyResult<f64> {
        self.u64().map(f64::from_bits)
    }
    fn flag(&mut self) -> PyResult<bool> {
        Ok(self.take(1)?[0] == 1)
    }
    fn text(&mut self) -> PyResult<String> {
        let n = self.u64()? as usize;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|e| PyValueError::new_err(format!("StatsPartial bytes: {e}")))
    }
}

impl StatsPartial {
    /// The whole merge state, every f64 as its bits: magic, version, path, sample rate,
    /// channel names, start, end, then per picked channel its index, scale and
    /// accumulator ([`tracekit::dsp::moments::Accumulator::to_bytes`]).
    fn encode(&self) -> Vec<u8> {
        let mut out = PARTIAL_MAGIC.to_vec();
        out.push(PARTIAL_VERSION);
        let u64s = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
        let text = |out: &mut Vec<u8>, t: &str| {
            u64s(out, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
        };
        text(&mut out, &self.path);
        out.push(u8::from(self.sample_rate.is_some()));
        u64s(&mut out, self.sample_rate.unwrap_or(0.0).to_bits());
        u64s(&mut out, self.names.len() as u64);
        for name in &self.names {
            text(&mut out, name);
        }
        u64s(&mut out, self.start);
        u64s(&mut out, self.end);
        u64s(&mut out, self.stats.channels.len() as u64);
        for ((&k, scale), acc) in self
            .stats
            .channels
            .iter()
            .zip(&self.stats.scales)
            .zip(&self.stats.sinks.0)
        {
            u64s(&mut out, k as u64);
            out.push(u8::from(scale.is_some()));
            let (gain, offset) = scale.map_or((0.0, 0.0), |s| (s.gain, s.offset));
            u64s(&mut out, gain.to_bits());
            u64s(&mut out, offset.to_bits());
            out.extend_from_slice(&acc.to_bytes());
        }
        out
    }

    fn decode(bytes: &[u8]) -> PyResult<StatsPartial> {
        let bad = |what: &str| PyValueError::new_err(format!("not StatsPartial bytes: {what}"));
        let mut r = Reader(bytes);
        if r.take(4).ok() != Some(&PARTIAL_MAGIC[..]) {
            return Err(bad("no TKSP header"));
        }
        let version = r.take(1)?[0];
        if version != PARTIAL_VERSION {
            return Err(bad(&format!(
                "version {version}, this tracekit reads version {PARTIAL_VERSION}"
            )));
        }
        let path = r.text()?;
        let has_rate = r.flag()?;
        let rate = r.f64()?;
        let names = (0..r.u64()?)
            .map(|_| r.text())
            .collect::<PyResult<Vec<String>>>()?;
        let (start, end) = (r.u64()?, r.u64()?);
        let count = r.u64()?;
        let (mut channels, mut scales, mut sinks) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..count {
            let k = r.u64()? as usize;
            if k >= names.len() {
                return Err(bad("a channel beyond the names"));
            }
            let scaled = r.flag()?;
            let (gain, offset) = (r.f64()?, r.f64()?);
            let (acc, rest) = Accumulator::from_bytes(r.0).map_err(|e| bad(&e))?;
            r.0 = rest;
            channels.push(k);
            scales.push(scaled.then_some(Scale { gain, offset }));
            sinks.push(acc);
        }
        if !r.0.is_empty() {
            return Err(bad("bytes after the last channel"));
        }
        Ok(StatsPartial {
            path,
            sample_rate: has_rate.then_some(rate),
            names,
            start,
            end,
            stats: Stats {
                channels,
                scales,
                sinks: PerChannel(sinks),
            },
        })
    }
}

#[pymethods]
impl StatsPartial {
    /// The partial [`StatsPartial::to_bytes`] wrote (pickling goes through it).
    #[new]
    fn from_bytes(bytes: &[u8]) -> PyResult<StatsPartial> {
        StatsPartial::decode(bytes)
    }
    /// The exact merge state as bytes (every f64 as its bits; a version byte first).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.encode())
    }
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyBytes>,))> {
        let bytes = PyBytes::new(slf.py(), &slf.borrow().encode());
        Ok((slf.get_type(), (bytes,)))
    }
    #[getter]
    fn path(&self) -> &str {
        &self.path
    }
    #[getter]
    fn start(&self) -> u64 {
        self.start
    }
    #[getter]
    fn end(&self) -> u64 {
        self.end
    }
    /// A new partial: this range followed by `other`, the range that starts where it ends.
    fn merge(&self, other: &StatsPartial) -> PyResult<StatsPartial> {
        if other.path != self.path || other.start != self.end {
            return Err(PyValueError::new_err(format!(
                "cannot merge statistics of {}[{}..{}] after {}[{}..{}]: merge the range that follows, of the same capture",
                other.path, other.start, other.end, self.path, self.start, self.end
            )));
        }
        let mut stats = self.stats.clone();
        stats.append(&other.stats).map_err(PyValueError::new_err)?;
        Ok(StatsPartial {
            path: self.path.clone(),
            sample_rate: self.sample_rate,
            names: self.names.clone(),
            start: self.start,
            end: other.end,
            stats,
        })
    }
    /// `stats --json` of the merged range, as a string.
    fn result_json(&self) -> PyResult<String> {
        self.report()
    }
}

/// Runs one `tracekit` command line in this process with the GIL released and returns what
/// it printed: the engine behind `decode`, `measure` and `find`, whose options are the
/// CLI's flags (`args` without the program name). A usage error raises `ValueError` and a
/// failed run `TracekitError`, each with the CLI's one line (without its `error:` prefix).
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<String>) -> PyResult<String> {
    let argv = std::iter::once("tracekit".to_string()).chain(args);
    let cli = Cli::try_parse_from(argv).map_err(|e| {
        let text = e.render().to_string();
        let line = text.lines().next().unwrap_or_default();
        PyValueError::new_err(line.strip_prefix("error: ").unwrap_or(line).to_string())
    })?;
    let (result, out) = py.allow_threads(|| tracekit::cmd::run_captured(cli));
    result.map_err(|e| TracekitError::new_err(format!("{e:#}")))?;
    String::from_utf8(out)
        .map_err(|e| TracekitError::new_err(format!("the command's output is not UTF-8: {e}")))
}

#[pymodule]
fn _tracekit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(welch_spectrum, m)?)?;
    m.add_class::<RawTrace>()?;
    m.add_class::<StatsPartial>()?;
    m.add("TracekitError", m.py().get_type::<TracekitError>())?;
    m.add("BLOCK", tracekit::dsp::moments::BLOCK)?;
    Ok(())
}
