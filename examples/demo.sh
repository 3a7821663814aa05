#!/usr/bin/env bash
# The README's "main job": build tracekit, generate a capture, and run every subcommand on it
# and on the real captures shipped in tests/data. Writes into ./demo-out (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo-out}
mkdir -p "$out"
cargo build --release --quiet
tk=target/release/tracekit
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

say $tk generate tone --tone 1kHz:1 --tone 3kHz:0.01 --noise 0.001 -r 1M --samples 10M -o "$out/capture.npy"
say $tk info "$out/capture.npy"
