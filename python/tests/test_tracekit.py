"""tracekit's Python package against NumPy/SciPy on generated captures."""

import math

import numpy as np
import pytest

import tracekit


@pytest.fixture
def sine(tmp_path):
    rng = np.random.default_rng(7)
    n = 3 * tracekit.BLOCK * 8 + 123
    x = np.sin(np.arange(n) * 0.01) + 0.1 * rng.standard_normal(n)
    path = tmp_path / "sine.npy"
    np.save(path, x)
    return path, x


@pytest.fixture
def two(tmp_path):
    x = np.arange(2000 * 2, dtype=np.int16).reshape(2000, 2)
    path = tmp_path / "two.npy"
    np.save(path, x)
    return path, x


def test_open_properties(sine):
    path, x = sine
    with tracekit.load_mmap(path, sample_rate=1e6) as t:
        assert t.length == len(x)
        assert t.sample_rate == 1e6
        assert t.duration == pytest.approx(len(x) / 1e6)
        assert t.dtype == np.float64
        assert t.channels == 1
        assert t.channel_names == ["ch0"]
        assert t.info["format"] == "npy"
    assert t.closed


def test_slices_are_zero_copy_views(sine):
    path, x = sine
    t = tracekit.open(path)
    a = t[100:200]
    np.testing.assert_array_equal(a, x[100:200])
    assert not a.flags.writeable
    assert np.shares_memory(a, t[150:300])
    assert np.shares_memory(t.to_numpy(), a)
    with pytest.raises(ValueError):
        a[0] = 1.0


def test_two_channels(two):
    path, x = two
    t = tracekit.open(path)
    np.testing.assert_array_equal(t[10:20], x[10:20])
    np.testing.assert_array_equal(t[10:20, 1], x[10:20, 1])
    assert np.shares_memory(t[10:20, 1], t[0:50])


def test_big_endian_is_converted_in_rust(tmp_path):
    x = np.arange(1000, dtype=">i2")
    path = tmp_path / "be.npy"
    np.save(path, x)
    t = tracekit.open(path)
    a = t[5:15]
    np.testing.assert_array_equal(a, x[5:15].astype(np.float64))
    # Converted: owns its memory, no view of the file.
    assert a.base is None or not isinstance(a.base, np.memmap)
    # Backwards reads reopen the source.
    np.testing.assert_array_equal(t[0:3], [0.0, 1.0, 2.0])


def test_raw_with_options(tmp_path):
    x = np.arange(600, dtype="<i2").reshape(300, 2)
    path = tmp_path / "cap.bin"
    path.write_bytes(b"\0" * 10 + x.tobytes())
    t = tracekit.open(path, 100.0, dtype="int16", offset=10, channels=2, format="raw")
    assert t.length == 300 and t.channels == 2
    np.testing.assert_array_equal(t[0:300, 1], x[:, 1])


def test_iter_chunks_semantics(tmp_path):
    x = np.arange(10, dtype=np.float32)
    path = tmp_path / "ten.npy"
    np.save(path, x)
    t = tracekit.open(path)
    chunks = [c.tolist() for c in t.iter_chunks(4, overlap=1)]
    assert chunks == [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]
    chunks = [c.tolist() for c in t.iter_chunks(4)]
    assert chunks == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    chunks = [c.tolist() for c in t.iter_chunks(20)]
    assert chunks == [list(range(10))]
    with pytest.raises(ValueError):
        list(t.iter_chunks(4, overlap=4))


def test_stats_match_numpy(sine):
    path, x = sine
    s = tracekit.stats(path)
    c = s["channels"][0]
    assert s["samples"] == len(x)
    assert c["count"] == len(x)
    assert c["mean"] == pytest.approx(np.mean(x), rel=1e-14)
    assert c["std"] == pytest.approx(np.std(x), rel=1e-12)
    assert c["min"] == x.min() and c["max"] == x.max()
    assert c["argmin"] == int(np.argmin(x)) and c["argmax"] == int(np.argmax(x))
    assert c["rms"] == pytest.approx(math.sqrt(np.mean(x * x)), rel=1e-12)


def test_stats_equal_the_cli(sine):
    import json
    import shutil
    import subprocess

    # The CLI built from this repository (CI puts target/debug first on PATH).
    exe = shutil.which("tracekit")
    assert exe is not None, "needs the tracekit CLI on PATH (cargo build; PATH=target/debug:$PATH)"
    path, _ = sine
    cli = json.loads(subprocess.run([exe, "stats", "--json", str(path)], check=True,
                                    capture_output=True, text=True).stdout)
    assert tracekit.stats(path) == cli


def test_stats_partials_merge_bit_for_bit(sine):
    path, x = sine
    t = tracekit.open(path)
    b = tracekit.BLOCK
    whole = tracekit.stats(t)
    p = tracekit.stats_partial(t, (0, 8 * b))
    p = p.merge(tracekit.stats_partial(t, (8 * b, 16 * b)))
    p = p.merge(tracekit.stats_partial(t, (16 * b, len(x))))
    assert p.result() == whole
    with pytest.raises(ValueError, match="merge"):
        tracekit.stats_partial(t, (0, 10)).merge(tracekit.stats_partial(t, (20, 30)))
    with pytest.raises(ValueError, match="multiple of"):
        tracekit.stats_partial(t, (0, 10)).merge(tracekit.stats_partial(t, (10, 30)))


def test_issue_19_stats_partial_pickles_exactly(sine, two):
    """Partials travel as bytes of their exact merge state: pickled (also mid-block, with a
    block in progress) they merge and report the same bits as the ones that never left."""
    import pickle

    path, x = sine
    t = tracekit.open(path)
    b = tracekit.BLOCK
    whole = tracekit.stats(t)
    parts = [tracekit.stats_partial(t, r) for r in tracekit.stats_ranges(len(x), 5 * b)]
    assert [p.start for p in parts] == list(range(0, len(x), 4 * b))
    back = [pickle.loads(pickle.dumps(p)) for p in parts]
    assert [(p.start, p.end, p.path) for p in back] == [(p.start, p.end, p.path) for p in parts]
    m = back[0]
    for p in back[1:]:
        m = pickle.loads(pickle.dumps(m.merge(p)))
    assert m.result() == whole
    assert m.to_bytes() == tracekit.stats_partial(t).to_bytes()
    # Two int16 channels, one of them picked.
    tpath, _ = two
    for channel in [None, 1]:
        p = tracekit.stats_partial(tracekit.open(tpath), channel=channel)
        q = tracekit.stats_partial_from_bytes(p.to_bytes())
        assert q.result() == p.result() == tracekit.stats(tpath, channel=channel)
    data = bytearray(parts[0].to_bytes())
    data[4] = 9
    with pytest.raises(ValueError, match="version 9"):
        tracekit.stats_partial_from_bytes(bytes(data))
    with pytest.raises(ValueError, match="end early"):
        tracekit.stats_partial_from_bytes(parts[0].to_bytes()[:-3])


def test_welch_matches_scipy(sine):
    from scipy import signal

    path, x = sine
    t = tracekit.open(path, sample_rate=1000.0)
    for window in ["hann", "hamming", "blackman"]:
        f, p = tracekit.welch(t, nfft=1024, overlap=512, window=window)
        fs, ps = signal.welch(x, fs=1000.0, nperseg=1024, noverlap=512, window=window)
        np.testing.assert_allclose(f, fs, rtol=1e-12)
        np.testing.assert_allclose(p, ps, rtol=1e-9, atol=0)


def test_bad_input_raises(tmp_path):
    with pytest.raises(tracekit.TracekitError, match="nope.npy"):
        tracekit.open(tmp_path / "nope.npy")
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': 'zz'}")
    with pytest.raises(tracekit.TracekitError, match="bad.npy"):
        tracekit.open(bad)
    with pytest.raises(ValueError, match="dtype"):
        tracekit.open(bad, dtype="float128x")
    with pytest.raises(ValueError, match="format"):
        tracekit.open(bad, format="nonsense")
    x = tmp_path / "x.npy"
    np.save(x, np.zeros(100))
    t = tracekit.open(x)
    with pytest.raises(tracekit.TracekitError, match="one segment of 4096"):
        tracekit.welch(t, nfft=4096)
    with pytest.raises(IndexError):
        t[0:10, 3]
    with pytest.raises(ValueError, match="outside"):
        tracekit.stats(t, range=(0, 1000))
    t.close()
    with pytest.raises(ValueError, match="closed"):
        t[0:10]


def _mapping_of(a):
    """The mmap.mmap at the end of an array's base chain, or None (a copy)."""
    import mmap

    b = a
    while b is not None:
        if isinstance(b, mmap.mmap):
            return b
        b = getattr(b, "base", None)
    return None


def test_zero_copy_base_chain(sine, tmp_path):
    path, x = sine
    t = tracekit.open(path)
    a, whole = t[10:20], t.to_numpy()
    m = _mapping_of(a)
    assert m is not None and m is _mapping_of(whole)
    assert np.shares_memory(a, whole)
    chunks = list(t.iter_chunks(5000, overlap=100))
    assert all(_mapping_of(c) is m for c in chunks)
    # Converted values (big-endian on disk) are a fresh array, not a view of the file.
    be = tmp_path / "be.npy"
    np.save(be, x.astype(">f8"))
    assert _mapping_of(tracekit.open(be)[10:20]) is None


def test_iter_chunks_overlap_and_last_chunk(tmp_path):
    x = np.arange(20, dtype=np.int32).reshape(10, 2)
    path = tmp_path / "two.npy"
    np.save(path, x)
    t = tracekit.open(path)
    # The chunk starting at 6 reaches the end: no [8, 10) chunk inside it follows.
    chunks = list(t.iter_chunks(4, overlap=2))
    assert [c[:, 0].tolist() for c in chunks] == [[0, 2, 4, 6], [4, 6, 8, 10],
                                                  [8, 10, 12, 14], [12, 14, 16, 18]]
    assert all(c.shape == (4, 2) for c in chunks)
    # A shorter last chunk comes once; each overlap repeats the previous chunk's tail.
    chunks = list(t.iter_chunks(5, overlap=2))
    assert [len(c) for c in chunks] == [5, 5, 4]
    for prev, nxt in zip(chunks, chunks[1:]):
        np.testing.assert_array_equal(prev[-2:], nxt[:2])
    np.testing.assert_array_equal(np.concatenate([chunks[0]] + [c[2:] for c in chunks[1:]]), x)
    with pytest.raises(ValueError, match="chunk_size"):
        list(t.iter_chunks(0))
    # Converted traces chunk the same way.
    be = tmp_path / "be.npy"
    np.save(be, np.arange(10, dtype=">i2"))
    got = [c.tolist() for c in tracekit.open(be).iter_chunks(4, overlap=1)]
    assert got == [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]


def test_welch_partials_merge_to_one_pass(sine):
    path, x = sine
    t = tracekit.open(path, sample_rate=1000.0)
    nfft, overlap = 1024, 384
    f, whole, segments = tracekit.welch(t, nfft=nfft, overlap=overlap, return_segments=True)
    ranges = tracekit.welch_ranges(len(x), nfft, overlap, segments_per_range=17)
    assert len(ranges) > 3
    parts = [tracekit.welch_partial(t, r, nfft=nfft, overlap=overlap) for r in ranges]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merge(p)
    assert merged.segments == segments
    fm, pm = merged.result()
    np.testing.assert_array_equal(fm, f)
    assert np.array_equal(pm, whole)  # bit for bit (issue 19 item 2)
    # max-hold merges too, exactly.
    _, mx = tracekit.welch(t, nfft=nfft, overlap=overlap, average="max")
    maxes = [tracekit.welch_partial(t, r, nfft=nfft, overlap=overlap, average="max")
             for r in ranges]
    m = maxes[0]
    for p in maxes[1:]:
        m = m.merge(p)
    np.testing.assert_array_equal(m.result()[1], mx)
    # A range that does not start where the next segment does, or other settings: refused.
    with pytest.raises(ValueError, match="next segment starts at"):
        parts[0].merge(parts[2])
    with pytest.raises(ValueError, match="different settings"):
        parts[0].merge(tracekit.welch_partial(t, ranges[1], nfft=512))


def test_issue_19_welch_partials_merge_bit_for_bit_in_any_grouping(tmp_path):
    """Partials of welch_ranges shards merged in order, right to left, as a balanced tree,
    or after a pickle round trip: the one-pass spectrum's bits, for several settings."""
    import pickle

    rng = np.random.default_rng(19)
    x = 3.0 + np.sin(np.arange(300_001) * 0.05) + rng.standard_normal(300_001)
    path = tmp_path / "w.npy"
    np.save(path, x)
    t = tracekit.open(path, sample_rate=1e3)
    for nfft, overlap, per, kw in [(1024, 384, 17, {}), (256, 128, 5, {"window": "hamming"}),
                                   (500, 0, 64, {"detrend": "none", "scaling": "spectrum"})]:
        _, whole = tracekit.welch(t, nfft=nfft, overlap=overlap, **kw)
        ranges = tracekit.welch_ranges(len(x), nfft, overlap, segments_per_range=per)
        parts = [tracekit.welch_partial(t, r, nfft=nfft, overlap=overlap, **kw) for r in ranges]
        parts = [pickle.loads(pickle.dumps(p)) for p in parts]

        def left(ps):
            m = ps[0]
            for p in ps[1:]:
                m = m.merge(p)
            return m

        def right(ps):
            m = ps[-1]
            for p in reversed(ps[:-1]):
                m = p.merge(m)
            return m

        def tree(ps):
            return ps[0] if len(ps) == 1 else tree(ps[:len(ps) // 2]).merge(
                tree(ps[len(ps) // 2:]))

        for merged in [left(parts), right(parts), tree(parts),
                       left([tree(parts[:3]), right(parts[3:7]), left(parts[7:])])]:
            assert np.array_equal(merged.result()[1], whole), (nfft, overlap)
        # The whole range's partial is the one-pass spectrum too, and the merged tree is the
        # same one node list.
        one = tracekit.welch_partial(t, nfft=nfft, overlap=overlap, **kw)
        assert np.array_equal(one.result()[1], whole)
        assert [(a, b) for a, b, _ in tree(parts).nodes] == [(a, b) for a, b, _ in one.nodes]


def test_iter_chunks_over_4_gb_keeps_rss_small(tmp_path):
    """A sparse 4 GiB .npy walked chunk by chunk, every chunk touched, in a fresh process
    (only NumPy and tracekit imported): its peak RSS stays under 200 MB."""
    import subprocess
    import sys

    path = tmp_path / "big.npy"
    n = 1 << 30  # float32: 4 GiB of samples
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": "<f4", "fortran_order": False, "shape": (n,)})
        f.seek(f.tell() + 4 * n - 1)
        f.write(b"\0")
    script = """
import sys, tracekit
t = tracekit.open(sys.argv[1])
count = total = 0
for c in t.iter_chunks(1 << 22, overlap=1024):
    count += 1; total += len(c); c.max()
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(count, total, t.length, int(hwm) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", script, str(path)], check=True,
                         capture_output=True, text=True, timeout=120).stdout.split()
    count, total, length, peak_mb = map(int, out)
    step = (1 << 22) - 1024
    assert length == n and count == -(-(n - 1024) // step)
    assert total == n + 1024 * (count - 1)
    assert peak_mb < 200, f"peak RSS {peak_mb} MB walking 4 GiB"
