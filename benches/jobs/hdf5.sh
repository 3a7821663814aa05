# hdf5: the same float32 samples as .npy and as HDF5 written by h5py, tracekit stats on each
# next to h5py reading the same datasets (in 4 Mi-sample blocks, summed), all in this run:
#  - 1 GiB as a chunked, unfiltered dataset with h5py's automatic chunks (128 KiB): chunks
#    are read in place from the memory map, on every core; the reference is the .npy;
#  - 1 GiB as a contiguous dataset (mapped like the .npy);
#  - 256 MiB as shuffle + gzip(4) in 1 MiB chunks: inflated on every core (libdeflate); the
#    references are h5py and `gzip -dc` of the same bytes at the same level.
# Needs h5py to write the files (skipped without it). About 3.5 GB of data, removed after.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
if ! has_python_module h5py; then echo "h5py not installed: hdf5 job skipped"; exit 0; fi
npy="$DATA/h5src.npy"
small="$DATA/h5src256.npy"
$TK generate tone --tone 1kHz:1 --noise 0.01 --samples 256Mi -q -o "$npy"
python3 - "$npy" "$small" "$DATA/chunked.h5" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz" <<'PY'
import sys, gzip, numpy as np, h5py
a = np.load(sys.argv[1], mmap_mode="r")
b = np.ascontiguousarray(a[:64 << 20])
np.save(sys.argv[2], b)
with h5py.File(sys.argv[3], "w") as f:
    d = f.create_dataset("scope/ch1", data=a, chunks=True)
    d.attrs["sample_rate"] = 1e6
    print(f"h5py automatic chunks: {d.chunks}")
with h5py.File(sys.argv[4], "w") as f:
    f.create_dataset("scope/ch1", data=a).attrs["sample_rate"] = 1e6
with h5py.File(sys.argv[5], "w") as f:
    f.create_dataset("scope/ch1", data=b, chunks=(1 << 18,), shuffle=True, compression="gzip",
                     compression_opts=4).attrs["sample_rate"] = 1e6
with gzip.open(sys.argv[6], "wb", compresslevel=4) as g:
    g.write(b.tobytes())
PY
big=$(( (256 << 20) * 4 ))
bytes=$(( (64 << 20) * 4 ))
for f in "$npy" "$small" "$DATA/chunked.h5" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz"; do warm "$f"; done
best3() { local best=999 t; for _ in 1 2 3; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }
cat > "$DATA/h5read.py" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f["scope/ch1"]
    for i in range(0, d.shape[0], 1 << 22):
        d[i:i + (1 << 22)].sum()
PY
t_npy=$(best3 $TK stats -q "$npy")
t_chunked=$(best3 $TK stats -q "$DATA/chunked.h5")
t_h5py_chunked=$(best3 python3 "$DATA/h5read.py" "$DATA/chunked.h5")
t_contig=$(best3 $TK stats -q "$DATA/contig.h5")
t_h5py_contig=$(best3 python3 "$DATA/h5read.py" "$DATA/contig.h5")
t_small=$(best3 $TK stats -q "$small")
t_gzip=$(best3 $TK stats -q "$DATA/gzip.h5")
t_h5py_gzip=$(best3 python3 "$DATA/h5read.py" "$DATA/gzip.h5")
t_gunzip=$(best3 sh -c "gzip -dc '$DATA/h5src.raw.gz' > /dev/null")
rss_chunked=$(peak_rss_mb $TK stats -q "$DATA/chunked.h5")
rss_gzip=$(peak_rss_mb $TK stats -q "$DATA/gzip.h5")
echo "stats HDF5 chunked, unfiltered (1 GiB f32)|$(rate $big $t_chunked)|tracekit stats on the same .npy|$(rate $big $t_npy)|$(ratio $t_chunked $t_npy)|$rss_chunked"
echo "stats HDF5 chunked, unfiltered (1 GiB f32)|$(rate $big $t_chunked)|h5py chunked read + sum|$(rate $big $t_h5py_chunked)|$(ratio $t_chunked $t_h5py_chunked)|$rss_chunked"
echo "stats HDF5 contiguous (1 GiB f32)|$(rate $big $t_contig)|tracekit stats on the same .npy|$(rate $big $t_npy)|$(ratio $t_contig $t_npy)|-"
echo "stats HDF5 contiguous (1 GiB f32)|$(rate $big $t_contig)|h5py chunked read + sum|$(rate $big $t_h5py_contig)|$(ratio $t_contig $t_h5py_contig)|-"
echo "stats HDF5 shuffle+gzip(4) (256 MiB f32)|$(rate $bytes $t_gzip)|h5py chunked read + sum|$(rate $bytes $t_h5py_gzip)|$(ratio $t_gzip $t_h5py_gzip)|$rss_gzip"
echo "stats HDF5 shuffle+gzip(4) (256 MiB f32)|$(rate $bytes $t_gzip)|gzip -dc of the same bytes|$(rate $bytes $t_gunzip)|$(ratio $t_gzip $t_gunzip)|$rss_gzip"
echo "stats HDF5 shuffle+gzip(4) (256 MiB f32)|$(rate $bytes $t_gzip)|tracekit stats on the same .npy|$(rate $bytes $t_small)|$(ratio $t_gzip $t_small)|$rss_gzip"
key() { $TK stats -q --json "$1" | python3 -c 'import json,sys; c=json.load(sys.stdin)["channels"][0]; print(c["mean"], c["std"], c["argmax"])'; }
a=$(key "$npy"); b=$(key "$DATA/chunked.h5"); c=$(key "$DATA/contig.h5")
[ "$a" = "$b" ] && [ "$a" = "$c" ] && echo "check: .npy, chunked and contiguous HDF5 give identical stats ($a)" || echo "check: DIFFER: $a / $b / $c"
a=$(key "$small"); b=$(key "$DATA/gzip.h5")
[ "$a" = "$b" ] && echo "check: .npy and gzip HDF5 give identical stats ($a)" || echo "check: DIFFER: $a vs $b"
rm -f "$npy" "$small" "$DATA/chunked.h5" "$DATA/contig.h5" "$DATA/gzip.h5" "$DATA/h5src.raw.gz" "$DATA/h5read.py"
