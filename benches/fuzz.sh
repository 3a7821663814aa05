#!/usr/bin/env bash
# Long runs of the in-process fuzz harnesses (issue 13, item 28), beyond the few seconds
# `cargo test` gives them. Each harness mutates real files in memory and checks that every
# outcome keeps its invariants (no panic, one clear error naming where, or a result that
# loses nothing). Harnesses that join later add a line to `harnesses` below.
#
#   benches/fuzz.sh                                # every harness, the long budget
#   TRACEKIT_FUZZ_CASES=20000 benches/fuzz.sh      # convert-csv: 20000 mutated files
#   ONLY=csv benches/fuzz.sh                       # harnesses whose filter contains "csv"
#
# A failing proptest case prints its shrunk input and is saved under tests/proptest-regressions/,
# so the next `cargo test` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
# convert-csv: proptest cases (mutated fixture CSVs); 100000 take about 7 minutes on 2 cores.
export TRACEKIT_FUZZ_CASES="${TRACEKIT_FUZZ_CASES:-100000}"
# "cargo test target | filter"
harnesses=(
  "--test integration|issue_13_28_csv"   # convert-csv: mutated real CSV exports
)
for h in "${harnesses[@]}"; do
  target=${h%%|*} filter=${h#*|}
  if [ -n "${ONLY:-}" ] && [[ "$filter" != *"$ONLY"* ]]; then continue; fi
  echo "== $filter" >&2
  # shellcheck disable=SC2086 # the target is two words
  time cargo test --locked $target -- "$filter"
done
