#!/usr/bin/env python3
"""Files written by `tracekit convert` (.wav, .sigmf-data) read by independent tools:
scipy.io.wavfile, Python's wave, sox, the `sigmf` package (validator + checksum) and npTDMS
for the source. By hand (not part of cargo test):

    TK=target/debug/tracekit /work/venv/bin/python benches/crosscheck/interchange_writers.py
"""
import json
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np
import scipy.io.wavfile as wf
import sigmf
from nptdms import TdmsFile

TK = os.environ.get("TK", "target/debug/tracekit")
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data")
D = tempfile.mkdtemp()
fails = 0


def check(label, ok):
    global fails
    fails += not ok
    print(f"{'PASS' if ok else 'FAIL'} {label}")


def convert(src, out, *flags):
    subprocess.run([TK, "convert", f"{T}/{src}", *flags, "-o", f"{D}/{out}", "-q"], check=True)


for src, out in [("wav/i16_stereo.wav", "a.wav"), ("wav/i32_3ch.wav", "c.wav"),
                 ("wav/u8_mono.wav", "d.wav"), ("wav/f64_stereo.wav", "g.wav"),
                 ("wav/ext_f32_4ch.wav", "h.wav")]:
    convert(src, out, "--raw-codes")
    r1, a = wf.read(f"{D}/{out}")
    r2, b = wf.read(f"{T}/{src}")
    check(f"{src} -> WAV --raw-codes: scipy reads the same samples and rate",
          r1 == r2 and a.shape == b.shape and np.array_equal(a, b))
    info = subprocess.run(["sox", "--i", "-s", f"{D}/{out}"], capture_output=True, text=True)
    check(f"{out}: sox counts {len(b)} samples", info.stdout.strip() == str(len(b)))
convert("wav/i16_stereo.wav", "b.wav")
_, a = wf.read(f"{D}/b.wav")
_, b = wf.read(f"{T}/wav/i16_stereo.wav")
check("i16 WAV -> values: float32 WAV of code/32768", np.array_equal(a.astype(np.float64), b / 32768.0))
with wave.open(f"{D}/a.wav") as w:
    x = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, 2)
check("Python wave reads the 16-bit PCM output", np.array_equal(x, b))
convert("sigmf/ri16_be.sigmf-meta", "s.wav", "--raw-codes")
_, a = wf.read(f"{D}/s.wav")
m = np.asarray(sigmf.fromfile(f"{T}/sigmf/ri16_be.sigmf-meta")._memmap).reshape(len(a), -1)
check("big-endian SigMF codes -> WAV (swapped): scipy equal", np.array_equal(a, m))

convert("tdms/big_endian.tdms", "e.sigmf-data")
convert("sigmf/ci16_le.sigmf-meta", "f.sigmf-meta", "--raw-codes")
for meta in ["e.sigmf-meta", "f.sigmf-meta"]:
    s = sigmf.fromfile(f"{D}/{meta}")  # checks core:sha512
    sigmf.validate.validate(json.load(open(f"{D}/{meta}")))
    check(f"{meta}: sigmf validator and checksum pass ({s.get_global_field('core:datatype')})", True)
t = TdmsFile.read(f"{T}/tdms/big_endian.tdms")
ch = [c for g in t.groups() for c in g.channels()]
mm = np.asarray(sigmf.fromfile(f"{D}/e.sigmf-meta")._memmap).reshape(-1, 2)
check("TDMS -> SigMF: the sigmf package reads npTDMS's values",
      all(np.array_equal(mm[:, i], ch[i].data) for i in range(2)))
a = sigmf.fromfile(f"{D}/f.sigmf-meta").read_samples()
b = sigmf.fromfile(f"{T}/sigmf/ci16_le.sigmf-meta").read_samples()
check("ci16 -> SigMF codes (I, Q as 2 real channels): autoscaled equal",
      np.array_equal(a[:, 0], b.real) and np.array_equal(a[:, 1], b.imag))
print(f"{fails} failed")
sys.exit(1 if fails else 0)
