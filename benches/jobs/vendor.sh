#!/usr/bin/env bash
# vendor: `stats` on a 2 GiB Tektronix WFM#003 (2^30 int16 codes, value = code / 32768 V,
# one memory-mapped curve) next to `stats` on the same codes as a .npy, side by side in this
# run (best of 5 each, page cache warm), with both files' peak RSS. Issue 14 asks for the
# scope file at >= 0.8x the .npy's speed with peak RSS < 100 MB. Also `--raw-codes` (the
# codes' statistics, no mapping) and `slice` of 100M scaled samples to f32 (the typed path).
# The files are written by examples/write_tek_wfm.rs (tests/support/tek_wfm_writer.rs).
# Env: TK = release tracekit binary, DATA = scratch folder with ~4.5 GB free.
# Prints: JOB|TRACEKIT_RATE|PEER|PEER_RATE|RATIO|PEAK_RSS_MB
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${TK:?set TK to the release tracekit binary}" "${DATA:?set DATA to a scratch folder}"
cd "$(dirname "$0")/../.."
cargo build --release --quiet --example write_tek_wfm
dir="$DATA/vendor-bench"
mkdir -p "$dir"
wfm="$dir/big.wfm" npy="$dir/big.npy"
if [ ! -f "$wfm" ] || [ ! -f "$npy" ]; then
  target/release/examples/write_tek_wfm "$wfm" 1073741824 --npy "$npy" 2>/dev/null
fi
bytes=$(stat -c %s "$npy")
warm "$wfm"; warm "$npy"

# best5 CMD...: the shortest of five timed runs, in seconds.
best5() { local best=999 t; for _ in 1 2 3 4 5; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }
# cpu5 CMD...: the least user+system CPU seconds of five runs (steadier than wall time on a
# shared machine: other jobs stretch the wall clock, not the work).
cpu5() {
  local best=999 t
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%U %S' -o "$dir/cpu" "$@" >/dev/null
    t=$(awk '{ print $1 + $2 }' "$dir/cpu")
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "$best"
}

t_wfm=$(best5 "$TK" stats -q "$wfm")
t_npy=$(best5 "$TK" stats -q "$npy")
t_raw=$(best5 "$TK" stats -q --raw-codes "$wfm")
rss_wfm=$(peak_rss_mb "$TK" stats -q "$wfm")
rss_npy=$(peak_rss_mb "$TK" stats -q "$npy")
echo "stats 2 GiB Tek WFM int16 (volts)|$(rate "$bytes" "$t_wfm")|stats same codes .npy|$(rate "$bytes" "$t_npy")|$(ratio "$t_wfm" "$t_npy")|$rss_wfm"
c_wfm=$(cpu5 "$TK" stats -q "$wfm")
c_npy=$(cpu5 "$TK" stats -q "$npy")
echo "note: CPU seconds (user+sys, least of 5): WFM $c_wfm, .npy $c_npy"
echo "stats 2 GiB Tek WFM int16, CPU time|$(rate "$bytes" "$c_wfm")|stats same codes .npy, CPU time|$(rate "$bytes" "$c_npy")|$(ratio "$c_wfm" "$c_npy")|-"
echo "stats 2 GiB Tek WFM --raw-codes|$(rate "$bytes" "$t_raw")|stats same codes .npy|$(rate "$bytes" "$t_npy")|$(ratio "$t_raw" "$t_npy")|$rss_npy (npy)"

# The answers agree: the WFM's volts are the .npy's codes / 32768 (exact for min/max).
"$TK" stats -q --json "$wfm" >"$dir/wfm.json"
"$TK" stats -q --json "$npy" >"$dir/npy.json"
python3 - "$dir/wfm.json" "$dir/npy.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))["channels"][0]
n = json.load(open(sys.argv[2]))["channels"][0]
g = 1 / 32768
same = all(w[k] == n[k] for k in ("count", "argmin", "argmax")) and w["min"] == n["min"] * g and w["max"] == n["max"] * g
rel = max(abs(w["std"] / (n["std"] * g) - 1), abs(w["mean"] - n["mean"] * g) / (n["std"] * g))
print(f"check: counts/extremes {'equal' if same else 'DIFFER'}, mean/std within {rel:.1e} of the codes' x 1/32768")
PY

# slice: 100M scaled samples to f32 (values through typed columns) vs the .npy's codes to f32.
out="$dir/out.npy"
t_slice=$(best5 "$TK" slice -q 100M..200M "$wfm" -o "$out")
t_slice_npy=$(best5 "$TK" slice -q 100M..200M "$npy" --to f32 -o "$out")
rm -f "$out"
echo "slice 100M scaled -> f32|$(rate 200000000 "$t_slice")|slice .npy codes --to f32|$(rate 200000000 "$t_slice_npy")|$(ratio "$t_slice" "$t_slice_npy")|-"
