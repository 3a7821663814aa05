"""Dask: a LocalCluster of 2 worker processes over 8 generated files gives the results of
one process (stats bit for bit; welch of one file's shards bit for bit, pooled files to
1e-12)."""

import numpy as np
import pytest

import tracekit
import tracekit.dask

import dask.distributed as distributed  # noqa: E402  (a dependency of the test suite)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("caps")
    rng = np.random.default_rng(3)
    paths = []
    for k in range(8):
        p = d / f"cap{k}.npy"
        np.save(p, rng.standard_normal(50_000 + 1000 * k))
        paths.append(str(p))
    return paths


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_stats_over_cluster_equal_one_process(files, client):
    assert len(client.scheduler_info()["workers"]) == 2
    got = tracekit.dask.stats(files)
    assert got == [tracekit.stats(p) for p in files]


def test_welch_over_cluster(files, client):
    f, p = tracekit.dask.welch(files, nfft=1024)
    parts = [tracekit.welch(q, nfft=1024, return_segments=True) for q in files]
    total = sum(s for _, _, s in parts)
    want = sum(ps * (s / total) for _, ps, s in parts)
    np.testing.assert_allclose(p, want, rtol=1e-12)
    np.testing.assert_array_equal(f, parts[0][0])


def test_to_dask_mean(files, client):
    t = tracekit.open(files[0])
    arr = t.to_dask(chunks=7000)
    x = np.load(files[0])
    assert arr.shape == x.shape
    np.testing.assert_array_equal(arr.compute(), x)
    assert arr.mean().compute() == pytest.approx(x.mean(), rel=1e-13)


def test_welch_over_cluster_equals_sequential_partials(files, client):
    """The cluster's merge of per-file partials equals the same merge in this process."""
    f, p = tracekit.dask.welch(files, nfft=1024, overlap=256)
    parts = [tracekit.welch_partial(q, nfft=1024, overlap=256) for q in files]
    m = parts[0]
    for q in parts[1:]:
        m = m.merge(q)
    fs, ps = m.result()
    np.testing.assert_array_equal(f, fs)
    assert np.array_equal(p, ps)


def test_welch_shards_of_one_file_equal_one_pass(files, client):
    """One file split into tasks of 9 segments on 2 worker processes: the one-pass spectrum."""
    f, p = tracekit.dask.welch(files[:1], nfft=1024, segments_per_task=9)
    fw, pw = tracekit.welch(files[0], nfft=1024)
    np.testing.assert_array_equal(f, fw)
    assert np.array_equal(p, pw)  # bit for bit (issue 19 item 2)
    per = tracekit.dask.welch(files[:3], nfft=1024, segments_per_task=9, per_file=True)
    for q, (fq, pq) in zip(files, per):
        assert np.array_equal(pq, tracekit.welch(q, nfft=1024)[1])



def test_issue_19_sharded_stats_equal_one_pass(tmp_path, files, client):
    """One big file split into shards of 2^k blocks on 2 worker processes: the partials come
    back pickled and merge into tracekit.stats bit for bit (the last shard shorter)."""
    rng = np.random.default_rng(19)
    n = 11 * 65536 + 4321
    big = tmp_path / "big.npy"
    np.save(big, (1e6 + rng.standard_normal(n)).astype(np.float32))
    got = tracekit.dask.stats([str(big), files[0]], samples_per_task=100_000)
    assert got == [tracekit.stats(str(big)), tracekit.stats(files[0])]
    two = tmp_path / "two.npy"
    np.save(two, rng.integers(-3000, 3000, size=(300_000, 2), dtype=np.int16))
    for channel in [None, 1]:
        got = tracekit.dask.stats([str(two)], channel=channel, samples_per_task=3 * 4096)
        assert got == [tracekit.stats(str(two), channel=channel)]
