# fft: Welch spectrum (nfft 8192, 50% overlap, hann, density) of 1 GiB of float32 (256 Mi
# samples), warm cache. Peer: scipy.signal.welch on a 32 Mi-sample subset it can hold in
# memory as float64 (timing the welch call only), scaled to bytes of float32 input. Then the
# largest relative difference between the two spectra on a 4 Mi-sample file, for the
# default settings and for an odd configuration (nfft 1000, overlap 300, flattop, spectrum).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
f="$DATA/fft.npy"
small="$DATA/fft_small.npy"
bytes=$((1 << 30))
$TK generate tone --tone 1kHz:1 --noise 0.01 -r 1M --samples 256Mi -q -o "$f"
warm "$f"
t_tk=$(timed $TK fft --nfft 8192 -q "$f")
rss=$(peak_rss_mb $TK fft --nfft 8192 -q "$f")
if has_python_module scipy; then
  t_sp=$(python3 - "$f" <<'PY'
import sys, time
import numpy as np
from scipy.signal import welch
x = np.load(sys.argv[1], mmap_mode="r")[: 32 << 20].astype(np.float64)
t0 = time.perf_counter()
welch(x, fs=1e6, window="hann", nperseg=8192, noverlap=4096, detrend="constant", scaling="density")
print(f"{(time.perf_counter() - t0) * (256 / 32):.4f}")  # scaled to the 256 Mi samples
PY
)
  echo "fft nfft 8192 on 1 GiB f32 (warm)|$(rate $bytes $t_tk)|scipy.signal.welch f64 (32 Mi subset, scaled)|$(rate $bytes $t_sp)|$(ratio $t_tk $t_sp)|$rss"
  $TK generate tone --tone 1kHz:1 --tone 123.4k:0.001 --noise 0.01 -r 1M --samples 4Mi -q -o "$small"
  for cfg in "8192 4096 hann density" "1000 300 flattop spectrum"; do
    set -- $cfg
    $TK fft -q --nfft "$1" --overlap "$2" --window "$3" --scaling "$4" -o "$DATA/spec.npy" "$small" >/dev/null
    python3 - "$small" "$DATA/spec.npy" "$@" <<'PY'
import sys
import numpy as np
from scipy.signal import welch
x = np.load(sys.argv[1]).astype(np.float64)
ours = np.load(sys.argv[2])
nfft, overlap, window, scaling = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
f, p = welch(x, fs=1e6, window=window, nperseg=nfft, noverlap=overlap, detrend="constant", scaling=scaling)
assert np.array_equal(f, ours[:, 0]), "frequency axes differ"
rel = np.max(np.abs(ours[:, 1] - p) / np.abs(p))
print(f"max relative difference vs scipy.signal.welch (4 Mi samples, nfft {nfft}, overlap {overlap}, {window}, {scaling}): {rel:.2e}")
PY
  done
else
  echo "fft nfft 8192 on 1 GiB f32 (warm)|$(rate $bytes $t_tk)|scipy (not installed)|-|-|$rss"
fi
# Issue 13 item 27: the Welch pass against the bare FFTs it runs (same plan, in memory).
echo "Welch pass vs bare FFTs: $(cargo run --release --quiet --example fft_bound)"
rm -f "$f" "$small" "$DATA/spec.npy"
