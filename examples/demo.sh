#!/usr/bin/env bash
# The README's "main job": build tracekit, generate a capture, and run every subcommand on it
# and on the real instrument captures shipped in tests/data/. Writes into ./demo-out (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo-out}
mkdir -p "$out"
cargo build --release --quiet
tk() { target/release/tracekit "$@"; }
say() { printf '\n\033[1m$ tracekit %s\033[0m\n' "$*"; tk "$@"; }

# A 10-second, 1 MS/s capture: a 1 kHz tone with a -40 dBc third harmonic and a little noise.
say generate tone --tone 1kHz:1 --tone 3kHz:0.01 --noise 0.001 -r 1M --samples 10M -o "$out/capture.npy"
say info "$out/capture.npy"
say stats "$out/capture.npy"
say stats --every 1s "$out/capture.npy"
say slice 2s..2.5s "$out/capture.npy" -o "$out/half-second.npy"
say info "$out/half-second.npy"
say fft --nfft 65536 --window blackman-harris --peaks 3 "$out/capture.npy" -o "$out/spectrum.csv" --plot "$out/spectrum.svg"
printf '\n\033[1m$ tracekit slice 1s+100k capture.npy -o - | tracekit stats --json - | jq .channels[0].rms\033[0m\n'
tk slice 1s+100k "$out/capture.npy" -o - | tk stats --json - | python3 -c 'import json,sys; print(json.load(sys.stdin)["channels"][0]["rms"])'

# Real captures shipped with the repository.
say convert-csv tests/data/csv/rigol_ds1054z_DS1054Z-A.csv -o "$out/rigol.npy"
say stats "$out/rigol.npy"
say info tests/data/hdf5/keysight_infiniium_mso9254a_keysight1.h5
say fft --json --nfft 4096 tests/data/hdf5/keysight_infiniium_mso9254a_keysight1.h5 -o "$out/keysight.csv"
say decode-uart --baud 115200 -r 1M tests/data/uart/hello_world_8n1_115200.npy
say generate uart --text 'tracekit' --baud 9600 -r 1M --noise 0.2 -o "$out/uart.npy"
say decode-uart --baud auto "$out/uart.npy"

# An oscilloscope's own file (Rigol DS1054Z: UART on CH1, a 1 kHz square on CH3, a sine on CH4),
# a logic analyzer's sigrok session, and pictures of the whole capture.
scope=tests/data/scope/DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm
say decode-uart --baud 115200 --threshold auto --channel CH1 "$scope"
say measure --channel CH3 "$scope"
say find --edge rising --level 0.15 --channel CH3 "$scope"
say decode i2c --scl 0 --sda 1 tests/data/protocols/i2c/wii_nunchuk_init.sr
say plot --channel CH1,CH3,CH4 "$scope" -o "$out/scope.png"
say plot "$out/capture.npy" -o "$out/capture.png"
say spectrogram --nfft 1024 "$out/capture.npy" -o "$out/spectrogram.png"

printf '\nOutputs are in %s/ (spectrum.svg, capture.png, scope.png and spectrogram.png are pictures).\n' "$out"
