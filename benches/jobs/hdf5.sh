# hdf5: the same 256 MiB of float32 samples as .npy, as a contiguous HDF5 dataset (memory-
# mapped like .npy) and as a chunked shuffle+gzip(4) dataset (decoded chunk by chunk).
# tracekit stats on each, h5py reading the same datasets, and `gzip -dc` of the same bytes
# as the decompression-speed reference. Needs h5py to write the files (skipped without it).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
if ! has_python_module h5py; then echo "h5py not installed: hdf5 job skipped"; exit 0; fi
npy="$DATA/h5src.npy"
$TK generate tone --tone 1kHz:1 --noise 0.01 --samples 64Mi -q -o "$npy"
python3 - "$npy" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz" <<'PY'
import sys, gzip, numpy as np, h5py
a = np.load(sys.argv[1])
with h5py.File(sys.argv[2], "w") as f:
    f.create_dataset("scope/ch1", data=a).attrs["sample_rate"] = 1e6
with h5py.File(sys.argv[3], "w") as f:
    f.create_dataset("scope/ch1", data=a, chunks=(1 << 18,), shuffle=True, compression="gzip",
                     compression_opts=4).attrs["sample_rate"] = 1e6
with gzip.open(sys.argv[4], "wb", compresslevel=4) as g:
    g.write(a.tobytes())
PY
bytes=$(( (64 << 20) * 4 ))
for f in "$npy" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz"; do warm "$f"; done
best3() { local best=999 t; for _ in 1 2 3; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }
t_npy=$(best3 $TK stats -q "$npy")
t_contig=$(best3 $TK stats -q "$DATA/contig.h5")
t_gzip=$(best3 $TK stats -q "$DATA/gzip.h5")
t_gunzip=$(best3 sh -c "gzip -dc '$DATA/h5src.raw.gz' > /dev/null")
cat > "$DATA/h5read.py" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f["scope/ch1"]
    for i in range(0, d.shape[0], 1 << 22):
        d[i:i + (1 << 22)].sum()
PY
t_h5py_contig=$(best3 python3 "$DATA/h5read.py" "$DATA/contig.h5")
t_h5py_gzip=$(best3 python3 "$DATA/h5read.py" "$DATA/gzip.h5")
rss=$(peak_rss_mb $TK stats -q "$DATA/gzip.h5")
echo "stats on HDF5 contiguous (256 MiB f32)|$(rate $bytes $t_contig)|tracekit stats on the same .npy|$(rate $bytes $t_npy)|$(ratio $t_contig $t_npy)|-"
echo "stats on HDF5 contiguous (256 MiB f32)|$(rate $bytes $t_contig)|h5py chunked read + sum|$(rate $bytes $t_h5py_contig)|$(ratio $t_contig $t_h5py_contig)|-"
echo "stats on HDF5 shuffle+gzip(4)|$(rate $bytes $t_gzip)|gzip -dc of the same bytes|$(rate $bytes $t_gunzip)|$(ratio $t_gzip $t_gunzip)|$rss"
echo "stats on HDF5 shuffle+gzip(4)|$(rate $bytes $t_gzip)|h5py chunked read + sum|$(rate $bytes $t_h5py_gzip)|$(ratio $t_gzip $t_h5py_gzip)|$rss"
a=$($TK stats -q --json "$npy" | python3 -c 'import json,sys; c=json.load(sys.stdin)["channels"][0]; print(c["mean"], c["std"], c["argmax"])')
b=$($TK stats -q --json "$DATA/gzip.h5" | python3 -c 'import json,sys; c=json.load(sys.stdin)["channels"][0]; print(c["mean"], c["std"], c["argmax"])')
[ "$a" = "$b" ] && echo "check: .npy and gzip HDF5 give identical stats ($a)" || echo "check: DIFFER: $a vs $b"
rm -f "$npy" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz" "$DATA/h5read.py"
