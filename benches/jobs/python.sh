# python: tracekit.stats(trace) from Python next to a chunked NumPy memmap loop and
# to_dask().mean() on the same cached 1 GiB float32 .npy, all in this run (best of 3 each).
# Needs the package installed in $TK_PYTHON (default python3): pip install ./python.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
py=${TK_PYTHON:-python3}
if ! "$py" -c "import tracekit, numpy, dask.array" 2>/dev/null; then
  echo "python: skipped, tracekit/numpy/dask not importable by $py (pip install ./python dask)" >&2
  exit 0
fi
f="$DATA/noise1g.npy"
[ -f "$f" ] || $TK generate noise --samples 256Mi -q -o "$f"
warm "$f"
cat > "$DATA/bench_python.py" <<'PY'
import os, sys, time, numpy as np, tracekit
path = sys.argv[1]
size = os.path.getsize(path)
def best3(f):
    best = 1e9
    for _ in range(3):
        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
    return best
def numpy_loop():
    a = np.load(path, mmap_mode="r"); step = 1 << 24; s = q = 0.0
    for i in range(0, len(a), step):
        c = np.asarray(a[i:i + step], dtype=np.float64); s += c.sum(); q += (c * c).sum()
        c.min(); c.max()
    return s / len(a)
t = tracekit.open(path)
rows = [("tracekit.stats(trace)", best3(lambda: tracekit.stats(t))),
        ("NumPy memmap loop (sum, sum², min, max)", best3(numpy_loop)),
        ("trace.to_dask(2**24).mean()", best3(lambda: t.to_dask(1 << 24).mean().compute()))]
for name, secs in rows:
    print(f"{name}|{size / secs / 1e9:.2f} GB/s|{secs:.3f} s")
PY
"$py" "$DATA/bench_python.py" "$f"
