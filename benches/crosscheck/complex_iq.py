"""Issue 15 (complex IQ, 24-bit WAV): generate the small test inputs in
tests/data/issue15_complex/ and their expected values with NumPy/SciPy/`wave`, once.

    /work/venv/bin/python benches/crosscheck/complex_iq.py

tracekit's tests (tests/integration/issue15_complex.rs) compare against the JSON written
here; `cargo test` never runs Python.
"""

import json
import struct
import wave
from pathlib import Path

import numpy as np
import scipy.fft
import scipy.io.wavfile
import scipy.signal

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "issue15_complex"
OUT.mkdir(parents=True, exist_ok=True)

FS = 1_000_000.0
N = 8192
rng = np.random.default_rng(15)
t = np.arange(N) / FS
# Tones at -125 kHz (amplitude 1) and +250 kHz (amplitude 0.5), bin-centred for nfft 256
# (bin width 3906.25 Hz: bins -32 and +64), plus a little complex noise and a DC offset.
x = (
    np.exp(2j * np.pi * -125e3 * t)
    + 0.5 * np.exp(2j * np.pi * 250e3 * t)
    + 0.01 * (rng.standard_normal(N) + 1j * rng.standard_normal(N))
    + (0.05 - 0.02j)
).astype(np.complex64)
np.save(OUT / "iq_tones.npy", x)
# The same samples as SigMF cf32_le with a centre frequency, and as raw ci16.
x.tofile(OUT / "iq_tones.sigmf-data")
meta = {
    "global": {
        "core:datatype": "cf32_le",
        "core:sample_rate": FS,
        "core:version": "1.0.0",
    },
    "captures": [{"core:sample_start": 0, "core:frequency": 433.92e6}],
    "annotations": [],
}
(OUT / "iq_tones.sigmf-meta").write_text(json.dumps(meta, indent=1))
codes = np.round(np.stack([x.real, x.imag], axis=1) * 16000).astype("<i2")
codes.tofile(OUT / "iq_tones.ci16")

xd = x.astype(np.complex128)
cases = []
for name, kw in [
    ("hann256", dict(window="hann", nperseg=256, noverlap=128, scaling="density")),
    ("hamming250", dict(window="hamming", nperseg=250, noverlap=0, scaling="spectrum")),
    ("blackman512_nodetrend", dict(window="blackman", nperseg=512, noverlap=384, scaling="density", detrend=False)),
]:
    f, p = scipy.signal.welch(xd, FS, return_onesided=False, **kw)
    cases.append(
        {
            "name": name,
            **{k: (v if v is not False else "none") for k, v in kw.items()},
            "freqs": scipy.fft.fftshift(f).tolist(),
            "power": scipy.fft.fftshift(p).tolist(),
        }
    )
ci16 = codes[:, 0].astype(np.float64) + 1j * codes[:, 1].astype(np.float64)
f, p = scipy.signal.welch(ci16, FS, window="hann", nperseg=256, noverlap=128, return_onesided=False)
cases.append(
    {
        "name": "ci16_hann256",
        "window": "hann",
        "nperseg": 256,
        "noverlap": 128,
        "scaling": "density",
        "freqs": scipy.fft.fftshift(f).tolist(),
        "power": scipy.fft.fftshift(p).tolist(),
    }
)
i, q = xd.real, xd.imag
mag = np.abs(xd)


def moments(v):
    return {
        "mean": float(v.mean()),
        "std": float(v.std()),
        "min": float(v.min()),
        "max": float(v.max()),
        "rms": float(np.sqrt(np.mean(v * v))),
    }


stats = {"I": moments(i), "Q": moments(q), "magnitude": moments(mag), "power_mean": float(np.mean(mag**2))}

# 24-bit PCM WAV, 3 channels, written with the standard `wave` module.
frames = 1000
k = np.arange(frames)
chans = np.stack(
    [
        np.round(8388607 * np.sin(2 * np.pi * k / 100)).astype(np.int64),
        (k * 16777 % 16777216 - 8388608).astype(np.int64),
        np.where(k % 2 == 0, 8388607, -8388608).astype(np.int64),
    ],
    axis=1,
)
raw = bytearray()
for row in chans:
    for v in row:
        raw += struct.pack("<i", int(v))[:3]
with wave.open(str(OUT / "pcm24_3ch.wav"), "wb") as w:
    w.setnchannels(3)
    w.setsampwidth(3)
    w.setframerate(48000)
    w.writeframes(bytes(raw))
with wave.open(str(OUT / "pcm24_3ch.wav"), "rb") as w:
    assert w.getsampwidth() == 3 and w.getnchannels() == 3
    back = w.readframes(w.getnframes())
decoded = np.array(
    [int.from_bytes(back[j : j + 3], "little", signed=True) for j in range(0, len(back), 3)]
).reshape(-1, 3)
assert (decoded == chans).all()
rate, sp = scipy.io.wavfile.read(OUT / "pcm24_3ch.wav")
# SciPy returns 24-bit samples as int32 left-justified (code << 8).
assert rate == 48000 and (sp.astype(np.int64) >> 8 == chans).all()

# The interchange fixture tests/data/wav/i24_ext_3ch.wav (WAVE_FORMAT_EXTENSIBLE, 24-bit).
rate_ext, ext = scipy.io.wavfile.read(OUT.parent / "wav" / "i24_ext_3ch.wav")

expected = {
    "sample_rate": FS,
    "center_frequency": 433.92e6,
    "welch": cases,
    "stats": stats,
    "pcm24": {
        "rate": 48000,
        "codes_head": chans[:20].tolist(),
        "codes_sum": chans.sum(axis=0).tolist(),
        "scaled_mean": (chans / 8388608.0).mean(axis=0).tolist(),
        "scaled_min": (chans / 8388608.0).min(axis=0).tolist(),
        "scaled_max": (chans / 8388608.0).max(axis=0).tolist(),
        "ext_rate": int(rate_ext),
        "ext_codes": (ext.astype(np.int64) >> 8).tolist(),
    },
}
(OUT / "expected.json").write_text(json.dumps(expected))
print("wrote", OUT)
