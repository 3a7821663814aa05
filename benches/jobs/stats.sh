# stats: exact per-channel statistics of a cached 1 GiB float32 .npy (256 Mi samples), next
# to dd reading the same file and a chunked NumPy memmap loop computing the same statistics,
# all measured in this run (best of 3 each, the machine is shared). Peak RSS is tracekit's.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
f="$DATA/noise1g.npy"
[ -f "$f" ] || $TK generate noise --samples 256Mi -q -o "$f"
bytes=$(stat -c %s "$f")
warm "$f"

# best3 CMD...: the shortest of three timed runs, in seconds.
best3() { local best=999 t; for _ in 1 2 3; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }

t_tk=$(best3 $TK stats -q "$f")
t_tk_1t=$(RAYON_NUM_THREADS=1 best3 $TK stats -q "$f")
t_env=$(best3 $TK stats -q --every 1Mi "$f")
t_dd=$(best3 dd if="$f" of=/dev/null bs=1M status=none)
rss=$(peak_rss_mb $TK stats -q "$f")
rss_env=$(peak_rss_mb $TK stats -q --every 1Mi "$f")
echo "stats 1 GiB f32 (cached)|$(rate "$bytes" "$t_tk")|dd bs=1M|$(rate "$bytes" "$t_dd")|$(ratio "$t_tk" "$t_dd")|$rss"
echo "stats 1 GiB f32, 1 thread|$(rate "$bytes" "$t_tk_1t")|dd bs=1M|$(rate "$bytes" "$t_dd")|$(ratio "$t_tk_1t" "$t_dd")|-"
echo "stats --every 1Mi (envelope)|$(rate "$bytes" "$t_env")|dd bs=1M|$(rate "$bytes" "$t_dd")|$(ratio "$t_env" "$t_dd")|$rss_env"

if has_python_module numpy; then
  cat > "$DATA/stats_numpy.py" <<'PY'
# The same statistics with NumPy over a memmap, chunk by chunk, merged with Chan's formula.
import sys, numpy as np
a = np.load(sys.argv[1], mmap_mode="r")
step = 1 << 24
n = nan = 0
mean = m2 = 0.0
lo, hi, ilo, ihi = np.inf, -np.inf, -1, -1
for i in range(0, a.shape[0], step):
    c = np.asarray(a[i:i + step], dtype=np.float64)
    ok = ~np.isnan(c)
    k = int(ok.sum()); nan += c.size - k
    if k == 0:
        continue
    v = c[ok] if k < c.size else c
    cm = v.mean(); cm2 = float(((v - cm) ** 2).sum())
    d = cm - mean; tot = n + k
    mean += d * k / tot; m2 += cm2 + d * d * n * k / tot; n = tot
    j = int(np.nanargmin(c)); x = c[j]
    if x < lo: lo, ilo = x, i + j
    j = int(np.nanargmax(c)); x = c[j]
    if x > hi: hi, ihi = x, i + j
print(n, nan, repr(float(mean)), repr(float((m2 / n) ** 0.5)), float(lo), float(hi), ilo, ihi)
PY
  t_np=$(best3 python3 "$DATA/stats_numpy.py" "$f")
  echo "stats 1 GiB f32 (cached)|$(rate "$bytes" "$t_tk")|numpy memmap loop (Chan merge)|$(rate "$bytes" "$t_np")|$(ratio "$t_tk" "$t_np")|$rss"
  # Sanity: both agree (std to 1e-9 relative; the chunked NumPy mean is itself a merge).
  read -r n nan mean std lo hi ilo ihi < <(python3 "$DATA/stats_numpy.py" "$f")
  tk=$($TK stats -q --json "$f" | python3 -c 'import json,sys; c=json.load(sys.stdin)["channels"][0]; print(c["count"], c["nan_count"], c["mean"], c["std"], c["argmin"], c["argmax"])')
  read -r tn tnan tmean tstd tilo tihi <<<"$tk"
  awk -v a="$std" -v b="$tstd" -v m1="$mean" -v m2="$tmean" -v same="$([ "$n $nan $ilo $ihi" = "$tn $tnan $tilo $tihi" ] && echo 1 || echo 0)" \
    'BEGIN { d = (a - b) / a; if (d < 0) d = -d; dm = m1 - m2; if (dm < 0) dm = -dm;
             printf "check vs numpy: counts/argmin/argmax %s, std rel diff %.1e, mean abs diff %.1e\n", same ? "equal" : "DIFFER", d, dm }'
  rm -f "$DATA/stats_numpy.py"
else
  echo "numpy not installed: NumPy peer skipped"
fi
