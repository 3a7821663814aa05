# decode-uart: a mostly idle u8 logic capture (1 G samples, one frame per 10 M samples) and a dense
# 1 MBd analog f32 line at 10 MS/s (200 M samples), one core (decoding is sequential).
# Peer: sigrok-cli's uart decoder (if installed) on smaller captures of the same kind that
# it finishes in well under a minute, decoded by tracekit in the same run; both must give
# the same values. sigrok reads one byte per sample with bit 0 = the line, so its analog
# case is the same signal generated as logic (no noise: thresholding gives exactly that).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

# srate SAMPLES SECONDS: "1.23 GS/s" / "456 MS/s" / "1.25 MS/s".
srate() { awk -v n="$1" -v s="$2" 'BEGIN { r = n / s; if (r >= 1e9) printf "%.2f GS/s", r / 1e9; else if (r >= 1e7) printf "%.0f MS/s", r / 1e6; else printf "%.2f MS/s", r / 1e6 }'; }

text="tracekit decodes UART frames exactly as sigrok does, only faster. "
idle=(--logic --text "$text" --baud 1M -r 10M --gap 1000000)
dense=(--text "$text" --baud 1M -r 10M --gap 0.5)

# tk_values FILE ARGS...: decoded values as lowercase hex, one per line.
tk_values() { local f=$1; shift; $TK decode-uart -q --format bytes "$@" "$f" | od -An -v -tx1 | tr -s ' ' '\n' | sed '/^$/d'; }
# sr_values FILE: what sigrok-cli decodes from a one-byte-per-sample capture at 10 MS/s, 1 MBd.
sr_values() {
  sigrok-cli -i "$1" -I binary:numchannels=1:samplerate=10000000 -P uart:baudrate=1000000:rx=0 -A uart=rx-data |
    awk '{ print tolower($2) }'
}

# job NAME FILE SAMPLES DECODE_ARGS... : time tracekit (best of 2, warm cache), print its rate.
tk_time() {
  local f=$1; shift
  warm "$f"
  local a b; a=$(timed $TK decode-uart -q --format bytes "$@" "$f"); b=$(timed $TK decode-uart -q --format bytes "$@" "$f")
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", (a < b ? a : b) }'
}

# The headline captures: tracekit alone.
$TK generate uart "${idle[@]}" --samples 1G -q -o "$DATA/uart_idle_1g.u8"
$TK generate uart "${dense[@]}" --samples 200M -q -o "$DATA/uart_dense_200m.f32"
t=$(tk_time "$DATA/uart_idle_1g.u8" --baud 1M)
rss=$(peak_rss_mb $TK decode-uart -q --format bytes --baud 1M "$DATA/uart_idle_1g.u8")
echo "decode-uart idle u8 logic, 1 G samples|$(srate 1e9 "$t")|-|-|-|$rss"
t=$(tk_time "$DATA/uart_dense_200m.f32" --baud 1M --threshold 1.65 --hysteresis 0.3)
rss=$(peak_rss_mb $TK decode-uart -q --format bytes --baud 1M --threshold 1.65 --hysteresis 0.3 "$DATA/uart_dense_200m.f32")
echo "decode-uart dense 1 MBd f32 @10 MS/s, 200 M samples|$(srate 2e8 "$t")|-|-|-|$rss"
t=$(tk_time "$DATA/uart_dense_200m.f32" --baud auto --threshold auto)
echo "  same, --baud auto --threshold auto (3 passes)|$(srate 2e8 "$t")|-|-|-|-"
rm -f "$DATA"/uart_idle_1g.u8* "$DATA"/uart_dense_200m.f32*

# Against sigrok-cli: captures it decodes in a reasonable time.
$TK generate uart "${idle[@]}" --samples 200M -q -o "$DATA/uart_idle_200m.u8"
$TK generate uart "${dense[@]}" --samples 20M -q -o "$DATA/uart_dense_20m.f32"
$TK generate uart "${dense[@]}" --logic --samples 20M -q -o "$DATA/uart_dense_20m.u8"
run_pair() { # LABEL LOGIC_FILE TK_FILE SAMPLES TK_ARGS...
  local label=$1 logic=$2 tkfile=$3 n=$4; shift 4
  local t_tk t_sr tkv srv
  t_tk=$(tk_time "$tkfile" "$@")
  tkv=$(tk_values "$tkfile" "$@" | md5sum | cut -c1-12)
  if ! command -v sigrok-cli >/dev/null; then
    echo "$label|$(srate "$n" "$t_tk")|sigrok-cli (not installed)|-|-|-"
    return
  fi
  warm "$logic"
  local t0; t0=$(now)
  srv=$(sr_values "$logic" | md5sum | cut -c1-12)
  t_sr=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }')
  local frames; frames=$(tk_values "$tkfile" "$@" | wc -l)
  if [ "$tkv" = "$srv" ]; then echo "check $label: same $frames values (md5 $tkv)"; else echo "check $label: VALUES DIFFER (tracekit $tkv, sigrok $srv)"; fi
  echo "$label|$(srate "$n" "$t_tk")|sigrok-cli|$(srate "$n" "$t_sr")|$(ratio "$t_tk" "$t_sr")|-"
}
run_pair "vs sigrok: idle u8 logic, 200 M samples" "$DATA/uart_idle_200m.u8" "$DATA/uart_idle_200m.u8" 2e8 --baud 1M
run_pair "vs sigrok: dense 1 MBd, 20 M samples (tracekit on f32)" "$DATA/uart_dense_20m.u8" "$DATA/uart_dense_20m.f32" 2e7 --baud 1M --threshold 1.65 --hysteresis 0.3
run_pair "vs sigrok: dense 1 MBd, 20 M samples (both on u8 logic)" "$DATA/uart_dense_20m.u8" "$DATA/uart_dense_20m.u8" 2e7 --baud 1M
rm -f "$DATA"/uart_idle_200m.u8* "$DATA"/uart_dense_20m.*
