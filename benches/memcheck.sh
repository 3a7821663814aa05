#!/usr/bin/env bash
# Bounded memory for `tracekit stats` (issue 3), not part of `cargo test`:
#  1. peak RSS on a 4 GB float32 .npy must stay under 100 MB;
#  2. on a 2 GB .npy evicted from the page cache, stats must complete inside a memory
#     cgroup limited to 256 MB (cgroup v1 memory.limit_in_bytes or v2 memory.max; needs root).
#
#   TK=target/release/tracekit DATA=/tmp/tk benches/memcheck.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TK=${TK:-$PWD/target/release/tracekit}
DATA=${DATA:-$PWD/bench-data}
mkdir -p "$DATA"
source benches/lib.sh
fail=0

big="$DATA/mem4g.npy"
$TK generate noise --samples 1Gi -q -o "$big"
rss=$(peak_rss_mb $TK stats -q "$big")
echo "4 GB f32 .npy: peak RSS ${rss} MB (limit 100 MB)"
[ "$rss" != "?" ] && [ "$rss" -lt 100 ] || { echo "FAIL: peak RSS ${rss} MB"; fail=1; }
rm -f "$big"

mid="$DATA/mem2g.npy"
$TK generate noise --samples 512Mi -q -o "$mid"
sync
evict "$mid"
if [ "$(id -u)" != 0 ]; then
  echo "not root: cgroup check skipped"
else
  name="tracekit-memcheck-$$"
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    cg="/sys/fs/cgroup/$name"; mkdir "$cg"
    echo $((256 << 20)) > "$cg/memory.max"; echo 0 > "$cg/memory.swap.max" 2>/dev/null || true
    peak_file=memory.peak
  else
    cg="/sys/fs/cgroup/memory/$name"; mkdir "$cg"
    echo $((256 << 20)) > "$cg/memory.limit_in_bytes"
    peak_file=memory.max_usage_in_bytes
  fi
  t0=$(now)
  # The shell joins the cgroup, then becomes tracekit.
  status=0
  sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" $TK stats -q --json "$mid" >"$DATA/mem2g.json" || status=$?
  secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  peak=$(awk '{ printf "%.0f", $1 / 1048576 }' "$cg/$peak_file" 2>/dev/null || echo "?")
  count=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["channels"][0]["count"])' "$DATA/mem2g.json" 2>/dev/null || echo "?")
  echo "2 GB f32 .npy from disk in a 256 MB cgroup ($(basename "$(dirname "$cg")")/$name): exit $status, ${secs} s ($(rate $((2 << 30)) "$secs")), cgroup peak ${peak} MB, count $count"
  [ "$status" = 0 ] && [ "$count" = $((512 << 20)) ] || { echo "FAIL: stats did not complete in the cgroup"; fail=1; }
  rmdir "$cg"
fi
rm -f "$mid" "$DATA/mem2g.json"
exit $fail
