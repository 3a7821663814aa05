# generate: 1 GiB of float32 noise written at disk speed, in constant memory, and its CPU rate
# (to /dev/null); info on a 4 GB file (headers only). Peer: dd writing the same number of bytes.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
f="$DATA/gen1g.npy"
bytes=$((1 << 30))
t_tk=$( { t0=$(now); $TK generate noise --samples 256Mi -q -o "$f"; sync; awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.4f", b-a}'; } )
rss=$(peak_rss_mb $TK generate noise --samples 64Mi -q -o "$DATA/gen256m.npy")
t_dd=$( { t0=$(now); dd if=/dev/zero of="$DATA/dd1g.bin" bs=1M count=1024 status=none; sync; awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.4f", b-a}'; } )
echo "generate noise 1 GiB f32 (+sync)|$(rate $bytes $t_tk)|dd if=/dev/zero (+sync)|$(rate $bytes $t_dd)|$(ratio $t_tk $t_dd)|$rss"
# The CPU rate alone (the same samples to /dev/null), against dd's disk rate above: a ratio
# of 1x or more means generation keeps up with the disk.
t_cpu=$(timed $TK generate noise --samples 256Mi -q -o - --to raw)
echo "generate noise 1 GiB f32 to /dev/null (CPU)|$(rate $bytes $t_cpu)|dd if=/dev/zero (+sync)|$(rate $bytes $t_dd)|$(ratio $t_cpu $t_dd)|-"
rm -f "$DATA/dd1g.bin" "$DATA/gen256m.npy"

# info on a 4 GB file: sparse, so only headers can be read in the time it takes.
python3 - "$DATA/sparse4g.npy" <<'PY'
import sys
n = 1 << 30
hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }" % n
hdr = hdr + " " * (117 - len(hdr)) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode())
    f.truncate(128 + 4 * n)
PY
t_info=$(timed $TK info "$DATA/sparse4g.npy")
echo "info on a 4 GB .npy|$(awk -v s="$t_info" 'BEGIN{printf "%.1f ms", s*1000}')|-|-|-|-"
rm -f "$DATA/sparse4g.npy"
