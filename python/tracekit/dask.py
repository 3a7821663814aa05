"""Dask integration: traces as dask arrays read through tracekit, and tracekit's exact
statistics and Welch spectra over many captures, one task per file, on whatever
`dask.distributed` client is active (or Dask's default scheduler without one).

    >>> from dask.distributed import Client, LocalCluster
    >>> import glob, tracekit.dask
    >>> client = Client(LocalCluster(n_workers=2))
    >>> per_file = tracekit.dask.stats(sorted(glob.glob("captures/*.npy")))
"""

import numpy as np

import tracekit


def trace_to_dask(trace, chunks=1 << 20):
    """A `dask.array.Array` of the trace; each block is `trace[a:b]` in a task (workers
    reopen the file from its path and options)."""
    import dask.array as da

    n = trace.length
    if n is None:
        raise ValueError(f"{trace.path}: the length is unknown, it cannot become a dask array")
    if isinstance(chunks, (tuple, list)):
        chunks = chunks[0]
    chunks = int(chunks)
    if chunks <= 0:
        raise ValueError(f"chunks must be a positive number of samples, not {chunks}")
    one = trace.channels == 1
    dtype = trace[0:min(1, n)].dtype
    shape = (n,) if one else (n, trace.channels)
    block_chunks = ((chunks,) * (n // chunks) + ((n % chunks,) if n % chunks else ()),)
    if not one:
        block_chunks = block_chunks + ((trace.channels,),)
    return da.map_blocks(_read_block, trace, chunks=block_chunks, dtype=dtype,
                         meta=np.empty((0,) * len(shape), dtype=dtype))


def _read_block(trace, block_info=None):
    (start, stop) = block_info[None]["array-location"][0]
    return np.array(trace[start:stop])


def _open(path_or_trace, open_kwargs):
    if isinstance(path_or_trace, tracekit.Trace):
        return path_or_trace
    return tracekit.load_mmap(path_or_trace, **open_kwargs)


def _file_stats(path_or_trace, open_kwargs, channel):
    t = _open(path_or_trace, open_kwargs)
    try:
        return tracekit.stats(t, channel=channel)
    finally:
        if t is not path_or_trace:
            t.close()


def _part_welch(path_or_trace, open_kwargs, rng, kwargs):
    t = _open(path_or_trace, open_kwargs)
    try:
        return tracekit.welch_partial(t, rng, **kwargs)
    finally:
        if t is not path_or_trace:
            t.close()


def _compute(tasks):
    import dask

    try:
        from dask.distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        client = None
    if client is not None:
        return client.gather(client.compute(tasks))
    return list(dask.compute(*tasks))


def _part_stats(path_or_trace, open_kwargs, rng, channel):
    t = _open(path_or_trace, open_kwargs)
    try:
        return tracekit.stats_partial(t, rng, channel=channel)
    finally:
        if t is not path_or_trace:
            t.close()


def stats(paths_or_traces, channel=None, *, samples_per_task=None, **open_kwargs):
    """`tracekit.stats` of every capture on the active client: a list of per-file results
    in the order given, each exactly (bit for bit) what one process computes. One task
    per file, or with `samples_per_task` one per shard of that many samples (rounded down
    to 2^k × `tracekit.BLOCK`, see `tracekit.stats_ranges`): the shards' partials come
    back pickled and merge in order into the one-pass result."""
    import dask

    paths = list(paths_or_traces)
    if samples_per_task is None:
        task = dask.delayed(_file_stats, pure=True)
        return _compute([task(p, open_kwargs, channel) for p in paths])
    task = dask.delayed(_part_stats, pure=True)
    tasks, owners = [], []
    for i, p in enumerate(paths):
        t = _open(p, open_kwargs)
        try:
            if t.length is None:
                raise ValueError(f"{t.path}: the length is unknown, it cannot be sharded")
            ranges = tracekit.stats_ranges(t.length, samples_per_task)
        finally:
            if t is not p:
                t.close()
        for r in ranges:
            tasks.append(task(p, open_kwargs, r, channel))
            owners.append(i)
    per = _merge_per_file(len(paths), owners, _compute(tasks))
    return [q.result() for q in per]


def _merge_per_file(files, owners, parts):
    """Each file's partials merged in task order: `owners[k]` is the file of `parts[k]`."""
    per = [None] * files
    for i, part in zip(owners, parts):
        per[i] = part if per[i] is None else per[i].merge(part)
    return per


def welch(paths_or_traces, nfft=4096, overlap=None, window="hann", *, per_file=False,
          segments_per_task=None, open_kwargs=None, **kwargs):
    """Welch spectrum over many captures of one rate: one task per file (or per
    `segments_per_task` segments of a file, see `tracekit.welch_ranges`), each a
    `tracekit.WelchPartial`, merged in order: the average of all their segments (the
    one-pass spectrum of a file to 1e-12). Returns `(freqs, psd)`; with `per_file=True`,
    the list of each file's `(freqs, psd)` instead."""
    import dask

    paths = list(paths_or_traces)
    if not paths:
        raise ValueError("no captures given")
    if overlap is None:
        overlap = nfft // 2
    open_kwargs = open_kwargs or {}
    kwargs = dict(kwargs, nfft=nfft, overlap=overlap, window=window)
    task = dask.delayed(_part_welch, pure=True)
    tasks, owners = [], []
    for i, p in enumerate(paths):
        ranges = [None]
        if segments_per_task is not None:
            t = _open(p, open_kwargs)
            ranges = tracekit.welch_ranges(t.length, nfft, overlap, segments_per_task) or [None]
            if t is not p:
                t.close()
        for r in ranges:
            tasks.append(task(p, open_kwargs, r, kwargs))
            owners.append(i)
    per = _merge_per_file(len(paths), owners, _compute(tasks))
    if per_file:
        return [q.result() for q in per]
    total = per[0]
    for q in per[1:]:
        total = total.merge(q)
    return total.result()
