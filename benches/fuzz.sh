#!/usr/bin/env bash
# Long runs of the fuzz harnesses (issue 13, item 28), not part of `cargo test`'s budget:
# each harness is a proptest named `issue_13_28_*` that mutates real fixtures in-process
# (byte flips, line deletions and duplications, delimiter swaps, truncation, inserted BOMs,
# quotes and huge numbers) and checks that every outcome keeps its invariants. `cargo test`
# runs a few seconds of each; this script runs CASES cases of each (default 100000).
#
#   benches/fuzz.sh                 # every harness, 100000 cases each
#   ONLY=csv CASES=20000 benches/fuzz.sh
#
# A failure prints the shrunk input; proptest saves it under
# tests/proptest-regressions/ so the next `cargo test` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRACEKIT_FUZZ_CASES="${CASES:-100000}"
filter="issue_13_28_${ONLY:-}"
echo "fuzz: $TRACEKIT_FUZZ_CASES cases per harness matching $filter" >&2
time cargo test --locked --test integration -- "$filter" --nocapture
