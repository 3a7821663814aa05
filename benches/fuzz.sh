#!/usr/bin/env bash
# Long runs of the in-process fuzz harnesses (issue 13, item 28), beyond the few seconds
# `cargo test` gives them. Each harness mutates real files in memory (byte flips, truncations,
# lying sizes and counts, duplicated or deleted lines) and checks that every outcome keeps its
# invariants: no panic, no read past the file, no large allocation, one clear error naming
# where — or a result that loses nothing. Harnesses that join later add a line below.
#
#   benches/fuzz.sh                   # every harness, the long budget
#   ONLY=csv benches/fuzz.sh          # harnesses whose filter contains "csv"
#   TRACEKIT_FUZZ_CASES=20000 TRACEKIT_FUZZ_BUDGET=20000 benches/fuzz.sh   # shorter
#
# A failing proptest case prints its shrunk input and is saved under tests/proptest-regressions/,
# so the next `cargo test` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
# Proptest harnesses: cases per run (convert-csv: 100000 take about 7 minutes on 2 cores).
export TRACEKIT_FUZZ_CASES="${TRACEKIT_FUZZ_CASES:-100000}"
# Byte-mutation harnesses: mutations per header (the default tries every value of every byte).
export TRACEKIT_FUZZ_BUDGET="${TRACEKIT_FUZZ_BUDGET:-100000000}"
# "cargo test target|filter"
harnesses=(
  "--test integration|issue_13_28_csv"                 # convert-csv: mutated real CSV exports
  "--test integration|hardening::"                     # .npy header and unit parsers
  "--test integration|issue_13_28_crafted_inputs"     # HDF5: mutated real and h5py files
  "--lib|loader::scope::tests::damaged_tek"            # Tektronix WFM/ISF, LeCroy, R&S
  "--lib|loader::scope::tests::damaged_rigol"          # Rigol .wfm/.bin, Keysight .bin
  "--lib|loader::interchange::tests::damaged"          # WAV/RF64, SigMF metadata, NI TDMS
  "--test integration|issue_15_fuzz_logic_parsers"   # VCD, Saleae binary, sigrok .sr: mutated real files
)
for h in "${harnesses[@]}"; do
  target=${h%%|*} filter=${h#*|}
  if [ -n "${ONLY:-}" ] && [[ "$filter" != *"$ONLY"* ]]; then continue; fi
  echo "== $filter" >&2
  # shellcheck disable=SC2086 # the target may be two words
  time cargo test --locked $target -- "$filter"
done
