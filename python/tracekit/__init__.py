"""tracekit from Python: open any capture the CLI reads, slice it as NumPy arrays, and run
tracekit's exact statistics, Welch spectra, decoders, measurements and event search in Rust
with the GIL released.

    >>> import tracekit
    >>> with tracekit.load_mmap("capture.npy", sample_rate=1e6) as t:
    ...     block = t[0:4096]            # zero-copy read-only view when possible
    ...     s = tracekit.stats(t)        # same numbers as `tracekit stats --json`
"""

import json
import mmap as _mmap

import numpy as np

from ._tracekit import BLOCK, RawTrace, StatsPartial, TracekitError, run_cli
from ._tracekit import welch_spectrum as _welch_spectrum

__all__ = [
    "BLOCK",
    "Trace",
    "TracekitError",
    "StatsPartial",
    "WelchPartial",
    "decode",
    "find",
    "load_mmap",
    "measure",
    "open",
    "stats",
    "stats_partial",
    "stats_partial_from_bytes",
    "stats_ranges",
    "welch",
    "welch_partial",
    "welch_ranges",
]


class Trace:
    """An open capture: `trace[a:b]`, `trace[a:b, ch]`, `iter_chunks`, `to_numpy`."""

    def __init__(self, path, sample_rate=None, *, dtype=None, offset=0, length=None,
                 channels=None, dataset=None, format=None):
        self._args = dict(path=str(path), sample_rate=sample_rate, dtype=dtype,
                          offset=offset, length=length, channels=channels,
                          dataset=dataset, format=format)
        self._raw = RawTrace(**self._args)
        self._map = None
        layout = self._raw.mmap_layout()
        if layout is not None:
            offset_bytes, descr, samples, columns = layout
            if samples > 0:
                self._map = np.memmap(self._raw.path, dtype=np.dtype(descr), mode="r",
                                      offset=offset_bytes, shape=(samples, columns))

    # Pickled as the way to open it again (Dask workers reopen the file).
    def __reduce__(self):
        args = dict(self._args)
        path = args.pop("path")
        sample_rate = args.pop("sample_rate")
        return (_reopen, (path, sample_rate, args))

    @property
    def path(self):
        return self._raw.path

    @property
    def format(self):
        return self._raw.format

    @property
    def sample_rate(self):
        return self._raw.sample_rate

    @property
    def length(self):
        return self._raw.length

    def __len__(self):
        return self._raw.length

    @property
    def duration(self):
        return self._raw.duration

    @property
    def dtype(self):
        """The stored sample type (NumPy dtype)."""
        return np.dtype(self._raw.dtype)

    @property
    def channels(self):
        return self._raw.channels

    @property
    def channel_names(self):
        return self._raw.channel_names

    @property
    def info(self):
        """What `tracekit info --json` reports, as a dict."""
        return json.loads(self._raw.info_json())

    @property
    def closed(self):
        return self._raw.closed

    def close(self):
        self._raw.close()
        self._map = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return (f"<tracekit.Trace {self.path!r} format={self.format} length={self.length} "
                f"channels={self.channels} dtype={self._raw.dtype}>")

    def _plain(self, channel):
        return self._map is not None and self._raw.is_plain(channel)

    def _bounds(self, key):
        if not isinstance(key, slice):
            raise TypeError(f"index a trace with a slice trace[a:b] or trace[a:b, channel], not {key!r}")
        if key.step not in (None, 1):
            raise ValueError("trace slices take no step: slice with trace[a:b], then step the array")
        n = self.length
        start, stop, _ = key.indices(n)
        return start, max(start, stop)

    def __getitem__(self, key):
        if self.closed:
            raise ValueError(f"{self.path}: the trace is closed")
        channel = None
        if isinstance(key, tuple):
            if len(key) != 2:
                raise IndexError("trace[a:b] or trace[a:b, channel]")
            key, channel = key
            channel = int(channel)
            if channel < 0:
                channel += self.channels
            if not 0 <= channel < self.channels:
                raise IndexError(f"{self.path}: no channel {channel} (the capture has "
                                 f"{self.channels})")
        start, stop = self._bounds(key)
        if channel is None and self.channels == 1:
            channel = 0
        if channel is not None:
            if self._plain(channel):
                view = self._map[start:stop, channel]
                view.flags.writeable = False
                return view
            return self._raw.read(start, stop, channel)
        if all(self._plain(k) for k in range(self.channels)):
            view = self._map[start:stop]
            view.flags.writeable = False
            return view
        return self._raw.read(start, stop, None)

    def to_numpy(self):
        """The whole trace: a read-only view of the file when possible, else converted."""
        return self[0:self.length]

    def iter_chunks(self, chunk_size, overlap=0):
        """Consecutive `chunk_size`-sample blocks, each starting `chunk_size - overlap` after
        the previous; the last, shorter one is yielded once, and no chunk lies wholly inside
        the previous one."""
        chunk_size, overlap = int(chunk_size), int(overlap)
        if chunk_size <= 0:
            raise ValueError(f"chunk_size must be positive, not {chunk_size}")
        if not 0 <= overlap < chunk_size:
            raise ValueError(f"overlap must be in [0, chunk_size), not {overlap}")
        step = chunk_size - overlap
        n = self.length
        start = 0
        released = 0
        while start < n:
            end = min(start + chunk_size, n)
            yield self[start:end]
            if end == n:
                break
            start += step
            released = self._release(released, start)

    def _release(self, released, sample):
        """Unmaps the memory-mapped pages before `sample` (from byte `released` of the
        mapping on), so a walk over a file larger than memory keeps the process's resident
        size to about a chunk. Views still held stay valid: their pages are read again from
        the page cache when touched. Returns the new `released`."""
        mm = getattr(self._map, "_mmap", None)
        if mm is None or not hasattr(mm, "madvise") or not hasattr(_mmap, "MADV_DONTNEED"):
            return released
        skew = self._map.offset % _mmap.ALLOCATIONGRANULARITY
        upto = skew + sample * self._map.strides[0]
        upto -= upto % _mmap.PAGESIZE
        if upto > released:
            mm.madvise(_mmap.MADV_DONTNEED, released, upto - released)
            return upto
        return released

    def to_dask(self, chunks=1 << 20):
        """A `dask.array.Array` whose blocks are read through tracekit (1-D for one
        channel, `(samples, channels)` otherwise)."""
        from .dask import trace_to_dask

        return trace_to_dask(self, chunks)


def _reopen(path, sample_rate, kwargs):
    return Trace(path, sample_rate, **kwargs)


def load_mmap(path, sample_rate=None, *, dtype=None, offset=0, length=None, channels=None,
              dataset=None, format=None):
    """Open a capture of any format tracekit reads (the seed API's name)."""
    return Trace(path, sample_rate, dtype=dtype, offset=offset, length=length,
                 channels=channels, dataset=dataset, format=format)


open = load_mmap  # noqa: A001 - `tracekit.open` mirrors the CLI's loader::open


def _as_trace(trace):
    return trace if isinstance(trace, Trace) else load_mmap(trace)


def _range(range):
    if range is None:
        return None
    a, b = range
    return (int(a), int(b))


def stats(trace, range=None, channel=None):
    """Exact statistics of every channel (or one), as `tracekit stats --json` gives them:
    a dict with `path`, `samples`, `sample_rate` and `channels` (a list of dicts with
    count, nan_count, mean, std, min, max, argmin, argmax, rms, peak_to_peak)."""
    return json.loads(_as_trace(trace)._raw.stats(_range(range), channel))


def stats_partial(trace, range=None, channel=None):
    """The statistics of `range`, to `.merge()` with the partial of the range that follows
    (bit for bit the same as one pass when each range holds 2^k × BLOCK samples) and read
    with `.result()`. Picklable (the exact merge state travels as bytes), so partials
    computed in other processes merge as exactly as local ones."""
    return _Partial(_as_trace(trace)._raw.stats_partial(_range(range), channel))


def stats_ranges(length, samples_per_range=64 * BLOCK):
    """Split `[0, length)` into consecutive ranges whose `stats_partial`s merge in order
    with the bits of one pass: `samples_per_range` is rounded down to 2^k × BLOCK
    (at least BLOCK), the last range shorter."""
    per = BLOCK << max(0, (int(samples_per_range) // BLOCK).bit_length() - 1)
    return [(a, min(a + per, length)) for a in range(0, length, per)] or [(0, 0)]


class _Partial:
    """Exact statistics of a range `[start, end)`: `.merge(next)`, `.result()`,
    `.to_bytes()` / `stats_partial_from_bytes(b)`, picklable."""

    __slots__ = ("_p",)

    def __init__(self, p):
        self._p = p

    def __reduce__(self):
        return (_Partial, (self._p,))

    def __repr__(self):
        return f"<tracekit.StatsPartial {self._p.path!r} [{self.start}..{self.end})>"

    def to_bytes(self):
        """The exact merge state (versioned; every float as its bits)."""
        return self._p.to_bytes()

    @property
    def path(self):
        return self._p.path

    @property
    def start(self):
        return self._p.start

    @property
    def end(self):
        return self._p.end

    def merge(self, other):
        return _Partial(self._p.merge(other._p))

    def result(self):
        return json.loads(self._p.result_json())


def stats_partial_from_bytes(data):
    """The partial whose `.to_bytes()` gave `data` (ValueError for anything else)."""
    return _Partial(StatsPartial(bytes(data)))


def welch(trace, nfft=4096, overlap=None, window="hann", *, detrend="mean",
          scaling="density", average="mean", range=None, channel=0, return_segments=False):
    """Welch power spectrum of one channel, as `tracekit fft` computes it (and like
    `scipy.signal.welch(x, fs, nperseg=nfft, noverlap=overlap, window=window)`):
    returns `(freqs, psd)` (and the number of segments with `return_segments=True`)."""
    t = _as_trace(trace)
    if overlap is None:
        overlap = nfft // 2
    freqs, psd, segments = t._raw.welch(int(nfft), int(overlap), str(window), str(detrend),
                                        str(scaling), str(average), _range(range), int(channel))
    return (freqs, psd, segments) if return_segments else (freqs, psd)


class WelchPartial:
    """The Welch segments of one range (or several, pooled): `.merge(other)` adds the
    segments of another partial, `.result()` gives `(freqs, psd)` of all of them.

    A partial keeps the Σ|X|² of its segments as nodes of a summation tree fixed by the
    segments' places in the capture (`nodes`: `(level, index, power)`, node `(k, j)` the
    sum of segments `j·2^k .. (j+1)·2^k - 1`, always formed as left child + right child).
    Merging the partials of consecutive ranges of one capture, each starting where the
    previous one's next segment would begin (`other.start == self.next`), combines sibling
    nodes bottom-up, so in any order of merging it gives the bits of one pass over the whole
    range. Partials of different captures pool their segments, as one average over all of
    them (their sums simply added)."""

    __slots__ = ("path", "start", "next", "end", "config", "freqs", "segments", "nodes",
                 "_power")

    def __init__(self, path, start, next, end, config, freqs, nodes, power, segments):
        self.path, self.start, self.next, self.end = path, start, next, end
        self.config, self.freqs, self.segments = config, freqs, segments
        self.nodes, self._power = nodes, power

    def __repr__(self):
        return (f"<tracekit.WelchPartial {self.path!r} [{self.start}..{self.end}) "
                f"segments={self.segments} nfft={self.config[0]}>")

    def _sum(self):
        """Σ|X|² (or the max-hold): the nodes added first to last, as `welch` does."""
        if self._power is not None:
            return self._power
        total = self.nodes[0][2].copy()
        for _, _, power in self.nodes[1:]:
            total = total + power
        return total

    def merge(self, other):
        """A new partial holding the segments of both."""
        if not isinstance(other, WelchPartial):
            raise TypeError(f"merge a WelchPartial, not {type(other).__name__}")
        if other.config != self.config:
            raise ValueError(f"cannot merge Welch partials of different settings: {self.config} "
                             f"and {other.config} (nfft, overlap, window, detrend, scaling, "
                             "average, sample rate)")
        maxhold = self.config[5] == "max"
        segments = self.segments + other.segments
        if self.path is not None and other.path == self.path:
            if other.start != self.next:
                raise ValueError(
                    f"cannot merge the Welch segments of {other.path}[{other.start}..{other.end}] "
                    f"after [{self.start}..{self.end}]: the next segment starts at {self.next}; "
                    "merge the range that starts there (ranges overlap by `overlap` samples)")
            if maxhold:
                nodes, power = [], np.maximum(self._power, other._power)
            else:
                nodes, power = list(self.nodes), None
                for node in other.nodes:
                    _push_node(nodes, node)
            return WelchPartial(self.path, self.start, other.next, other.end, self.config,
                                self.freqs, nodes, power, segments)
        a, b = self._sum(), other._sum()
        power = np.maximum(a, b) if maxhold else a + b
        return WelchPartial(None, None, None, None, self.config, self.freqs, [], power,
                            segments)

    def result(self):
        """`(freqs, psd)` averaged over every merged segment (max-held with average="max")."""
        nfft, overlap, window, detrend, scaling, average, rate = self.config
        psd = _welch_spectrum(nfft, overlap, window, detrend, scaling, average, rate,
                              self._sum(), self.segments)
        return self.freqs, psd


def _push_node(nodes, node):
    """Append the tree node that follows the last one, combining it with its left sibling
    while there is one (the same steps as the Rust `PowerTree`)."""
    level, index, power = node
    while nodes and index % 2 == 1 and nodes[-1][0] == level and nodes[-1][1] + 1 == index:
        _, _, left = nodes.pop()
        power = left + power
        level, index = level + 1, index // 2
    nodes.append((level, index, power))


def welch_partial(trace, range=None, nfft=4096, overlap=None, window="hann", *,
                  detrend="mean", scaling="density", average="mean", channel=0):
    """The Welch segments of `range` (whole trace by default) with the settings of `welch`,
    to `.merge()` with the partial of the range that starts at `.next` (the first sample
    of the segment after this range's last one) and read with `.result()`."""
    t = _as_trace(trace)
    if overlap is None:
        overlap = nfft // 2
    nfft, overlap = int(nfft), int(overlap)
    rng = _range(range)
    start = 0 if rng is None else rng[0]
    end = t.length if rng is None else rng[1]
    nodes, power, segments = t._raw.welch_sums(nfft, overlap, str(window), str(detrend),
                                               str(scaling), str(average), rng, int(channel))
    config = (nfft, overlap, str(window), str(detrend), str(scaling), str(average),
              t.sample_rate)
    freqs = np.arange(nfft // 2 + 1) * ((t.sample_rate or 1.0) / nfft)
    return WelchPartial(t.path, start, start + segments * (nfft - overlap), end, config,
                        freqs, nodes, power, segments)


def welch_ranges(length, nfft=4096, overlap=None, segments_per_range=256):
    """Split `[0, length)` into ranges of `segments_per_range` Welch segments each (the last
    one shorter), consecutive ranges overlapping by `overlap` samples so their partials
    merge into the one-pass spectrum."""
    if overlap is None:
        overlap = nfft // 2
    hop = nfft - overlap
    if hop <= 0 or segments_per_range <= 0:
        raise ValueError("need 0 <= overlap < nfft and segments_per_range > 0")
    total = 0 if length < nfft else (length - nfft) // hop + 1
    ranges = []
    for first in range(0, total, segments_per_range):
        count = min(segments_per_range, total - first)
        ranges.append((first * hop, first * hop + (count - 1) * hop + nfft))
    return ranges


# -- decode, measure, find: the CLI's commands run in-process (GIL released) -------------


def _arg(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _input_args(trace, format_flag):
    """The CLI's input flags opening `trace` (a Trace or a path) the same way."""
    a = trace._args if isinstance(trace, Trace) else {"path": str(trace)}
    args = [a["path"]]
    if a.get("sample_rate") is not None:
        args += ["-r", _arg(float(a["sample_rate"]))]
    for key, flag in [("dtype", "--dtype"), ("length", "--length"),
                      ("channels", "--channels"), ("dataset", "--dataset"),
                      ("format", format_flag)]:
        if a.get(key) is not None:
            args += [flag, _arg(a[key])]
    if a.get("offset"):
        args += ["--offset", _arg(a["offset"])]
    return args


def _option_args(options, reserved):
    """Keyword options as the CLI's flags: `data_bits=8` is `--data-bits 8`, True a bare
    flag, False/None left out, a pair `(a, b)` is `a,b` and `range=(a, b)` is `a..b`."""
    args = []
    for key, value in options.items():
        if key in reserved:
            raise ValueError(f"option {key!r} is set by the Python call (it returns the "
                             "records as Python values)")
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif key == "range" and isinstance(value, (tuple, list)):
            a, b = value
            args += [flag, f"{'' if a is None else int(a)}..{'' if b is None else int(b)}"]
        elif isinstance(value, (tuple, list)):
            args += [flag, ",".join(_arg(v) for v in value)]
        else:
            args += [flag, _arg(value)]
    return args


def _json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _structured(records):
    """Records (dicts) as a NumPy structured array: one field per key, in first-seen order;
    int64 when every value is an integer, float64 when every value is a number or None
    (None becomes NaN), else object."""
    keys = []
    for r in records:
        keys += [k for k in r if k not in keys]
    fields = []
    for k in keys:
        values = [r.get(k) for r in records]
        numbers = [v for v in values if v is not None]
        numeric = bool(numbers) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers)
        if numeric and len(numbers) == len(values) and all(isinstance(v, int) for v in numbers):
            fields.append((k, np.int64))
        elif numeric:
            fields.append((k, np.float64))
        else:
            fields.append((k, object))
    out = np.empty(len(records), dtype=fields)
    for name, kind in fields:
        values = [r.get(name) for r in records]
        if kind is np.float64:
            values = [np.nan if v is None else v for v in values]
        out[name] = values
    return out


def decode(trace, protocol, *, as_array=False, **options):
    """Decode a bus with the CLI's decoder: `decode(t, "uart", baud=9600)`,
    `decode(t, "spi", clk=0, mosi=1, cs=2)`, `decode(t, "i2c", scl="SCL", sda="SDA")`, ...
    The options are the flags of `tracekit decode PROTOCOL` (`decode-uart` for UART) with
    `_` for `-`. Returns the records `--format json` prints, as a list of dicts
    (`as_array=True`: a NumPy structured array, one field per key).
    Errors raise TracekitError (a failed run) or ValueError (bad options), with the CLI's
    one-line message."""
    protocol = str(protocol).lower()
    command = ["decode-uart"] if protocol == "uart" else ["decode", protocol]
    args = (["-q"] + command + _input_args(trace, "--input-format")
            + _option_args(options, {"format", "output_format", "annotations"})
            + ["--format", "json"])
    records = _json_lines(run_cli(args))
    return _structured(records) if as_array else records


def measure(trace, **options):
    """IEEE 181 pulse measurements per channel, as `tracekit measure --json` reports them
    (a dict with `path`, `samples`, `sample_rate` and `channels`, each with levels,
    frequency, period, duty, widths, rise/fall times, jitter...). Options are its flags:
    `channel`, `range`, `levels=(low, high)`, `threshold`, `hysteresis`, `ref=(10, 90)`,
    `state_band`, `clock=(first, period)`; `per_cycle=True` returns the list of cycles."""
    args = (["-q", "measure"] + _input_args(trace, "--format")
            + _option_args(options, {"json", "format"}) + ["--json"])
    out = run_cli(args)
    return _json_lines(out) if options.get("per_cycle") else json.loads(out)


def find(trace, **options):
    """Events, as `tracekit find --format json` lists them (a list of dicts with sample,
    time_s, kind, channel, width, level): `find(t, edge="rising")`, `glitch="<5"`,
    `width=">1us"`, `runt=(0.2, 0.8)`, `window=(-1, 1)`, `gap=">1ms"`, `slew=">1e6"`, with
    `channel`, `range`, `level`, `hysteresis`, `levels`, `skip`, `limit`."""
    args = (["-q", "find"] + _input_args(trace, "--input-format")
            + _option_args(options, {"format", "output_format", "around", "output",
                                     "cut_format"})
            + ["--format", "json"])
    return _json_lines(run_cli(args))
