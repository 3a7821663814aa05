#!/usr/bin/env bash
# interchange: `stats` on a WAV file next to `stats` on the same samples as a .npy, side by
# side in this run (best of 5 each, page cache warm), with both files' peak RSS. Issue 15 asks
# for WAV stats at >= 0.8x the .npy's speed, and bounded memory (peak RSS < 100 MB) on a 5 GB
# RF64 WAV (the default SIZE=5G; SIZE=2G gives a plain RIFF WAV and a quicker run). The .npy
# is written by NumPy (stereo int16 noise + tone), the WAV by
# `tracekit convert --raw-codes` (RF64 automatically above 4 GiB), so this also times the
# WAV writer; the two answers are compared (the WAV's values are the codes / 32768).
# Env: TK = release tracekit binary, DATA = scratch folder with 2 x SIZE free, PYTHON = a
#      Python with NumPy (default python3),
#      SIZE = bytes of samples (default 5G: an RF64 file), KEEP=1 keeps the generated files
#      (deleted at the end otherwise).
# Prints: JOB|TRACEKIT_RATE|PEER|PEER_RATE|RATIO|PEAK_RSS_MB
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${TK:?set TK to the release tracekit binary}" "${DATA:?set DATA to a scratch folder}"
cd "$(dirname "$0")/../.."
size=${SIZE:-5G}
bytes=$(numfmt --from=iec "$size")
dir="$DATA/interchange-bench"
mkdir -p "$dir"
npy="$dir/big_$size.npy" wav="$dir/big_$size.wav"
[ "${KEEP:-0}" = 1 ] || trap 'rm -f "$npy" "$wav" "$dir/wav.json" "$dir/npy.json"' EXIT
if [ ! -f "$npy" ]; then
  "${PYTHON:-python3}" - "$npy" "$bytes" <<'PY'
import sys
import numpy as np
path, nbytes = sys.argv[1], int(sys.argv[2])
frames = nbytes // 4
out = np.lib.format.open_memmap(path, mode="w+", dtype="<i2", shape=(frames, 2))
rng = np.random.default_rng(1)
block = 1 << 24
for at in range(0, frames, block):
    n = min(block, frames - at)
    t = np.arange(at, at + n)
    out[at:at + n, 0] = (8000 * np.sin(t * 0.001) + rng.normal(0, 1000, n)).astype("<i2")
    out[at:at + n, 1] = rng.integers(-32768, 32767, n, dtype="<i2")
out.flush()
PY
fi
if [ ! -f "$wav" ]; then
  t_conv=$(timed "$TK" convert -q -r 48k --raw-codes "$npy" -o "$wav")
  echo "convert .npy -> WAV ($size)|$(rate "$bytes" "$t_conv")|-|-|-|$(peak_rss_mb "$TK" info -q "$wav")"
fi
echo "note: $(head -c 4 "$wav") header, $(stat -c %s "$wav") bytes"
warm "$wav"; warm "$npy"

best5() { local best=999 t; for _ in 1 2 3 4 5; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }

t_wav=$(best5 "$TK" stats -q "$wav")
t_npy=$(best5 "$TK" stats -q "$npy")
t_raw=$(best5 "$TK" stats -q --raw-codes "$wav")
rss_wav=$(peak_rss_mb "$TK" stats -q "$wav")
rss_npy=$(peak_rss_mb "$TK" stats -q "$npy")
echo "stats WAV i16 stereo ($size, values)|$(rate "$bytes" "$t_wav")|stats same codes .npy|$(rate "$bytes" "$t_npy")|$(ratio "$t_wav" "$t_npy")|$rss_wav"
echo "check: peak RSS of stats on the $(head -c 4 "$wav") WAV $rss_wav MB, on the .npy $rss_npy MB (wanted < 100 MB)"
echo "stats WAV --raw-codes ($size)|$(rate "$bytes" "$t_raw")|stats same codes .npy|$(rate "$bytes" "$t_npy")|$(ratio "$t_raw" "$t_npy")|$rss_npy (npy)"

"$TK" stats -q --json "$wav" >"$dir/wav.json"
"$TK" stats -q --json "$npy" >"$dir/npy.json"
python3 - "$dir/wav.json" "$dir/npy.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))["channels"]
n = json.load(open(sys.argv[2]))["channels"]
g = 1 / 32768
ok = all(a[k] == b[k] for a, b in zip(w, n) for k in ("count", "argmin", "argmax"))
ok = ok and all(a["min"] == b["min"] * g and a["max"] == b["max"] * g for a, b in zip(w, n))
print(f"check: counts/extremes {'equal' if ok else 'DIFFER'} (WAV values = .npy codes / 32768)")
PY
