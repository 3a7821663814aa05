#!/usr/bin/env bash
# The in-process fuzz harness (issue 13 item 28), run long. Every parser's damaged-input
# tests mutate real files in memory or on disk: truncations at every length, lying sizes and
# counts, and byte mutations of every header (no panic, no read past the file, no large
# allocation, one clear error). `cargo test` runs them with a short budget (a spread of
# 3000 mutations per header); this script raises it so every value of every header byte is
# tried. Formats that join later add their test filter below.
#
#   benches/fuzz.sh                                # every byte, every value
#   TRACEKIT_FUZZ_BUDGET=20000 benches/fuzz.sh     # a spread of 20000 per header
set -euo pipefail
cd "$(dirname "$0")/.."
export TRACEKIT_FUZZ_BUDGET="${TRACEKIT_FUZZ_BUDGET:-100000000}"
filters=(
  loader::scope::tests::damaged_tek   # Tektronix WFM/ISF, LeCroy, R&S
  loader::scope::tests::damaged_rigol # Rigol .wfm/.bin, Keysight .bin
)
for f in "${filters[@]}"; do
  echo "== $f (budget $TRACEKIT_FUZZ_BUDGET)"
  cargo test --locked --lib -- "$f"
done
