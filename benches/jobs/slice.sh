#!/usr/bin/env bash
# slice: cut 400 MB (samples 100M..200M) out of a 1 GiB f32 .npy, next to peers copying the
# same bytes: dd (bs=1M, skip/count in bytes) and NumPy (np.load mmap + np.save). Same disk,
# page cache warm, best of 3 each, outputs deleted between runs.
# Env: TK = release tracekit binary, DATA = scratch folder with ~2 GB free.
# Prints: JOB|TRACEKIT_RATE|PEER|PEER_RATE|RATIO|PEAK_RSS_MB
set -euo pipefail
: "${TK:?set TK to the release tracekit binary}" "${DATA:?set DATA to a scratch folder}"
dir="$DATA/slice-bench.$$"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
in="$dir/noise.npy"
"$TK" -q generate noise --samples 256Mi -o "$in"
start=100000000 end=200000000
offset=$("$TK" info --json "$in" | sed -n 's/.*"data_offset": *\([0-9]*\).*/\1/p')
bytes=$(((end - start) * 4))
skip=$((offset + start * 4))
cat "$in" >/dev/null # warm the page cache

# best_of CMD...: run 3 times (fresh output, dirty pages flushed first); print "SECONDS RSS_KB".
best_of() {
    local best="" rss=0 t m
    for _ in 1 2 3; do
        rm -f "$dir"/out*
        sync
        /usr/bin/time -o "$dir/time.txt" -f "%e %M" "$@" >/dev/null
        read -r t m <"$dir/time.txt"
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
        if ((m > rss)); then rss=$m; fi
    done
    echo "$best $rss"
}
rate() { awk -v b="$1" -v t="$2" 'BEGIN{ if (t <= 0) t = 0.01; printf "%.2f GB/s", b / t / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a <= 0) a = 0.01; printf "%.2fx", b / a }'; }

read -r tk_t tk_rss < <(best_of "$TK" -q slice 100M..200M "$in" -o "$dir/out.npy")
tk_rate=$(rate "$bytes" "$tk_t")
tk_mb=$((tk_rss / 1024))

read -r dd_t _ < <(best_of dd if="$in" of="$dir/out.bin" bs=1M iflag=skip_bytes,count_bytes \
    skip="$skip" count="$bytes" status=none)
echo "slice 400MB f32 same-dtype|$tk_rate|dd bs=1M|$(rate "$bytes" "$dd_t")|$(ratio "$tk_t" "$dd_t")|$tk_mb"

if python3 -c "import numpy" 2>/dev/null; then
    read -r np_t _ < <(best_of python3 -c "import numpy as np, sys
a = np.load(sys.argv[1], mmap_mode='r'); np.save(sys.argv[2], a[$start:$end])" "$in" "$dir/out.npy")
    echo "slice 400MB f32 same-dtype|$tk_rate|numpy mmap+save|$(rate "$bytes" "$np_t")|$(ratio "$tk_t" "$np_t")|$tk_mb"

    read -r cv_t cv_rss < <(best_of "$TK" -q slice 100M..200M "$in" --to i16 -o "$dir/out.npy")
    read -r npc_t _ < <(best_of python3 -c "import numpy as np, sys
a = np.load(sys.argv[1], mmap_mode='r')[$start:$end]
np.save(sys.argv[2], np.clip(np.round(a), -32768, 32767).astype(np.int16))" "$in" "$dir/out.npy")
    echo "slice 400MB f32->i16 (input bytes)|$(rate "$bytes" "$cv_t")|numpy round+clip+astype|$(rate "$bytes" "$npc_t")|$(ratio "$cv_t" "$npc_t")|$((cv_rss / 1024))"
else
    echo "slice 400MB f32 same-dtype|$tk_rate|numpy (not installed)|-|-|$tk_mb"
fi
