#!/usr/bin/env bash
# plot: `tracekit plot` (min/max/mean envelope of every pixel column, 1600x900 PNG) of 1 GiB
# of float32 (256 Mi samples, page cache warm) next to `stats` of the same file in this run
# (best of 3 each), and `spectrogram` (nfft 1024, 50%, hann) next to `fft --nfft 1024` of
# the same file. Issue 18 asks for plot <= 1.5x the time of stats, spectrogram at >= the
# fft throughput, peak RSS < 150 MB.
# Env: TK = release tracekit binary, DATA = scratch folder (1 GiB free), or
# PLOT_FILE = an existing 1 GiB f32 .npy to use instead of generating one.
# Prints: JOB|TRACEKIT_RATE|PEER|PEER_RATE|RATIO|PEAK_RSS_MB
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${TK:?set TK to the release tracekit binary}" "${DATA:?set DATA to a scratch folder}"
f="${PLOT_FILE:-$DATA/plot.npy}"
if [ ! -f "$f" ]; then
  $TK generate tone --tone 1kHz:1 --noise 0.01 -r 1M --samples 256Mi -q -o "$f"
fi
bytes=$(stat -c %s "$f")
out="$DATA/plot-out"
mkdir -p "$out"
warm "$f"

# cpu3 CMD...: the least user+system CPU seconds of three runs (steadier than wall time on
# a shared machine: other jobs stretch the wall clock, not the work).
cpu3() {
  local best=999 t
  for _ in 1 2 3; do
    /usr/bin/time -f '%U %S' -o "$out/cpu" "$@" >/dev/null
    t=$(awk '{ print $1 + $2 }' "$out/cpu")
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "$best"
}
best3() { local best=999 t; for _ in 1 2 3; do t=$(timed "$@"); best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a) ? b : a }'); done; echo "$best"; }

t_stats=$(best3 "$TK" stats -q "$f")
t_plot=$(best3 "$TK" plot -q "$f" -o "$out/wave.png")
t_svg=$(best3 "$TK" plot -q "$f" -o "$out/wave.svg")
rss_plot=$(peak_rss_mb "$TK" plot -q "$f" -o "$out/wave.png")
rss_stats=$(peak_rss_mb "$TK" stats -q "$f")
echo "plot 1 GiB f32 -> 1600x900 PNG (warm)|$(rate "$bytes" "$t_plot")|stats same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_plot" "$t_stats")|$rss_plot (stats $rss_stats)"
c_stats=$(cpu3 "$TK" stats -q "$f")
c_plot=$(cpu3 "$TK" plot -q "$f" -o "$out/wave.png")
echo "plot 1 GiB f32 -> PNG, CPU time|$(rate "$bytes" "$c_plot")|stats same file, CPU time|$(rate "$bytes" "$c_stats")|$(ratio "$c_plot" "$c_stats")|-"
echo "plot 1 GiB f32 -> SVG (warm)|$(rate "$bytes" "$t_svg")|stats same file|$(rate "$bytes" "$t_stats")|$(ratio "$t_svg" "$t_stats")|-"

t_fft=$(best3 "$TK" fft -q --nfft 1024 "$f")
t_spec=$(best3 "$TK" spectrogram -q --nfft 1024 "$f" -o "$out/spec.png")
rss_spec=$(peak_rss_mb "$TK" spectrogram -q --nfft 1024 "$f" -o "$out/spec.png")
echo "spectrogram nfft 1024 1 GiB f32 -> PNG (warm)|$(rate "$bytes" "$t_spec")|fft --nfft 1024 same file|$(rate "$bytes" "$t_fft")|$(ratio "$t_spec" "$t_fft")|$rss_spec"
c_fft=$(cpu3 "$TK" fft -q --nfft 1024 "$f")
c_spec=$(cpu3 "$TK" spectrogram -q --nfft 1024 "$f" -o "$out/spec.png")
echo "spectrogram nfft 1024 -> PNG, CPU time|$(rate "$bytes" "$c_spec")|fft --nfft 1024, CPU time|$(rate "$bytes" "$c_fft")|$(ratio "$c_spec" "$c_fft")|-"
rm -rf "$out"
if [ -z "${PLOT_FILE:-}" ]; then rm -f "$f"; fi
