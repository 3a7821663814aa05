# measure and find: pulse measurements and an edge/glitch search over a cached 1 GiB float32
# .npy (256 Mi samples), next to `stats` of the same file and the NumPy a user would write
# (edges from np.diff(x > level), widths from edge indexes, min/max/mean/RMS), all in this
# run (best of 3 each; the machine is shared). Peak RSS is tracekit's.
# The file: $G1, else a generated 1 kHz square wave at 1 MS/s with 1 % noise (the issue's
# square wave; /work/bench-tmp/g1.npy is a sine, a different load: every block crosses a level).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
f="${G1:-$DATA/square1g.npy}"
if [ ! -f "$f" ]; then
  f="$DATA/square1g.npy"
  [ -f "$f" ] || $TK generate square --freq 1k -r 1M --noise 0.01 --samples 256Mi --dtype f32 -q -o "$f"
fi
bytes=$(stat -c %s "$f")
warm "$f"
echo "file: $f ($bytes bytes), load $(cut -d' ' -f1-3 /proc/loadavg)"

# cpu_s CMD...: user + system CPU seconds of CMD, least of 3 (steadier than wall time when
# other jobs share the 2 cores).
cpu_s() {
  local best=999 t
  for _ in 1 2 3; do
    /usr/bin/time -f '%U %S' -o "$DATA/.cpu" "$@" >/dev/null
    t=$(awk '{ print $1 + $2 }' "$DATA/.cpu")
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "$best"
}

best3() { local best=999 t; for _ in 1 2 3; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }

# the levels once, for the one-pass forms (--levels / --level + --hysteresis)
read -r base top < <($TK measure -q --json --range ..1M "$f" | python3 -c 'import json,sys; l=json.load(sys.stdin)["channels"][0]["levels"]; print(l["base"], l["top"])')
mid=$(awk -v a="$base" -v b="$top" 'BEGIN { print (a + b) / 2 }')
hyst=$(awk -v a="$base" -v b="$top" 'BEGIN { print (b - a) / 10 }')

t_stats=$(best3 $TK stats -q "$f")
t_meas=$(best3 $TK measure -q "$f")
t_meas1=$(best3 $TK measure -q --levels "$base,$top" "$f")
t_find=$(best3 $TK find -q --edge either --level "$mid" --hysteresis "$hyst" "$f")
t_glitch=$(best3 $TK find -q --glitch '<5' --level "$mid" --hysteresis "$hyst" "$f")
rss_meas=$(peak_rss_mb $TK measure -q "$f")
rss_find=$(peak_rss_mb $TK find -q --edge either --level "$mid" --hysteresis "$hyst" "$f")
echo "measure 1 GiB f32 (2 passes)|$(rate "$bytes" "$t_meas")|stats, same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_meas" "$t_stats")|$rss_meas"
echo "measure --levels (1 pass)|$(rate "$bytes" "$t_meas1")|stats, same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_meas1" "$t_stats")|-"
echo "find --edge either|$(rate "$bytes" "$t_find")|stats, same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_find" "$t_stats")|$rss_find"
echo "find --glitch <5|$(rate "$bytes" "$t_glitch")|stats, same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_glitch" "$t_stats")|-"

# CPU time (user + system) of each: what the wall-clock rate would be if both cores were
# free and perfectly used is 2 x this rate.
for job in "measure|$TK measure -q $f" "measure --levels|$TK measure -q --levels $base,$top $f" \
           "find --edge either|$TK find -q --edge either --level $mid --hysteresis $hyst $f" \
           "stats|$TK stats -q $f"; do
  name=${job%%|*}; cmd=${job#*|}
  # shellcheck disable=SC2086
  c=$(cpu_s $cmd)
  echo "cpu $name: $c s user+sys ($(rate "$bytes" "$c") per CPU-second), load $(cut -d' ' -f1 /proc/loadavg)"
done

if has_python_module numpy; then
  cat > "$DATA/measure_numpy.py" <<'PY'
# What a user writes: edges from np.diff(x > level) on a memmap in chunks, widths and
# periods from the edge indexes, and min/max/mean/RMS.
import sys, numpy as np
a = np.load(sys.argv[1], mmap_mode="r"); level = float(sys.argv[2])
step = 1 << 24
rises, falls = [], []
lo, hi, s, s2 = np.inf, -np.inf, 0.0, 0.0
prev = None
for i in range(0, a.shape[0], step):
    c = np.asarray(a[i:i + step])
    b = c > level
    if prev is not None:
        b = np.concatenate(([prev], b))
    d = np.diff(b.astype(np.int8))
    off = i if prev is not None else i + 1
    rises.append(np.flatnonzero(d == 1) + off); falls.append(np.flatnonzero(d == -1) + off)
    prev = b[-1]
    lo = min(lo, float(c.min())); hi = max(hi, float(c.max()))
    s += float(c.sum(dtype=np.float64)); s2 += float(np.dot(c.astype(np.float64), c.astype(np.float64)))
r = np.concatenate(rises); fa = np.concatenate(falls)
period = np.diff(r)
fa = fa[fa > r[0]]
k = min(len(fa), len(r))
width = fa[:k] - r[:k]
print(len(r), len(fa), float(period.mean()), float(width.mean()), lo, hi, s / a.shape[0], (s2 / a.shape[0]) ** 0.5)
PY
  t_np=$(best3 python3 "$DATA/measure_numpy.py" "$f" "$mid")
  c_np=$(cpu_s python3 "$DATA/measure_numpy.py" "$f" "$mid")
  echo "cpu numpy: $c_np s user+sys ($(rate "$bytes" "$c_np") per CPU-second)"
  echo "measure 1 GiB f32 (2 passes)|$(rate "$bytes" "$t_meas")|numpy np.diff(x > level) + widths|$(rate "$bytes" "$t_np")|$(ratio "$t_meas" "$t_np")|-"
  echo "find --edge either|$(rate "$bytes" "$t_find")|numpy np.diff(x > level) + widths|$(rate "$bytes" "$t_np")|$(ratio "$t_find" "$t_np")|-"
  read -r nr _ nper _ < <(python3 "$DATA/measure_numpy.py" "$f" "$mid")
  tk=$($TK measure -q --json --levels "$base,$top" "$f" | python3 -c 'import json,sys; c=json.load(sys.stdin)["channels"][0]; print(c["rising_edges"], c["period"]["mean"])')
  echo "check vs numpy: rising edges numpy $nr, tracekit ${tk%% *}; mean period numpy $nper samples, tracekit ${tk#* }"
  rm -f "$DATA/measure_numpy.py"
else
  echo "numpy not installed: NumPy peer skipped"
fi
