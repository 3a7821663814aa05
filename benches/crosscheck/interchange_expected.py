#!/usr/bin/env python3
"""Expected values of the WAV/SigMF/TDMS fixtures in tests/data/{wav,sigmf,tdms}, computed by
independent readers (scipy.io.wavfile and Python's wave for WAV, the `sigmf` package, npTDMS)
and written to tests/data/interchange_expected.json, which cargo test compares with what
`tracekit slice --to f64` gives, channel by channel and sample by sample.

    /work/venv/bin/python benches/crosscheck/interchange_expected.py

Per channel, `raw` are the stored codes (tracekit --raw-codes) and `scaled` the values:
WAV code/2^(bits-1) (u8: (code-128)/128, floats as stored, as sox reads them), SigMF the
package's autoscale computed in float64 from its raw memory map, TDMS npTDMS's scaled data.
Channels of up to 4096 samples keep every value; longer ones keep the first 64, the last 16
and `wsum` = sum of v[i] * (i % 1009 + 1) (exact for integer codes: position-sensitive).
The fixtures themselves come from the scratch crate's gen.py (scipy/sox/sigmf/npTDMS-written
files and hand-built ones) plus the vendor files under ../shared/fixtures/vendor/.
"""
import json
import math
import os
import sys
import warnings
import wave

import numpy as np
import scipy.io.wavfile as wavfile

warnings.simplefilter("ignore")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "tests", "data")
FULL = 2048


def summary(values):
    v = [float(x) for x in np.asarray(values, dtype=np.float64).reshape(-1)]
    if len(v) <= FULL:
        return {"n": len(v), "values": v}
    return {
        "n": len(v),
        "head": v[:64],
        "tail": v[-16:],
        "wsum": math.fsum(x * (i % 1009 + 1) for i, x in enumerate(v)),
    }


def case(rel, raw_cols, scaled_cols, args=(), rate=None):
    return {
        "file": rel,
        "args": list(args),
        "sample_rate": None if rate is None else float(rate),
        "channels": [{"raw": summary(r), "scaled": summary(s)} for r, s in zip(raw_cols, scaled_cols)],
    }


def wav_cases():
    out = []
    for f in sorted(os.listdir(f"{DATA}/wav")):
        if f.startswith("i24"):
            continue  # 24-bit PCM: refused by tracekit for now (no 24-bit sample type)
        path = f"{DATA}/wav/{f}"
        try:
            rate, d = wavfile.read(path)
        except Exception:
            # BW64, fmt after data, a 0 data size: scipy cannot open them. gen.py built them
            # from the same 15 stereo i16 frames as rf64_small.wav, which scipy reads.
            assert f in ("bw64_small.wav", "chunk_order.wav", "streaming_zero.wav"), f
            rate, d = wavfile.read(f"{DATA}/wav/rf64_small.wav")
        d = d.reshape(len(d), -1)
        if d.dtype.kind in "iu" and d.dtype.itemsize <= 2:
            # Python's wave agrees on 8/16-bit PCM (tag 1) files it can open.
            try:
                with wave.open(path) as w:
                    frames = w.readframes(w.getnframes())
                    dt = np.uint8 if w.getsampwidth() == 1 else np.dtype("<i2")
                    assert np.array_equal(np.frombuffer(frames, dt).reshape(len(d), -1), d), f
            except wave.Error:
                pass
        raw, scaled = [], []
        for c in range(d.shape[1]):
            col = d[:, c]
            raw.append(col)
            if col.dtype.kind == "f":
                scaled.append(col.astype(np.float64))
            elif col.dtype == np.uint8:
                scaled.append((col.astype(np.float64) - 128.0) / 128.0)
            else:
                scaled.append(col.astype(np.float64) / 2.0 ** (8 * col.dtype.itemsize - 1))
        out.append(case(f"wav/{f}", raw, scaled, rate=rate))
    return out


def sigmf_cases():
    import sigmf

    out = []
    for f in sorted(os.listdir(f"{DATA}/sigmf")):
        if not f.endswith(".sigmf-meta"):
            continue
        s = sigmf.fromfile(f"{DATA}/sigmf/{f}")
        dt = s.get_global_field("core:datatype")
        mm = np.asarray(s._memmap)
        if mm.dtype.kind == "c":
            mm = np.stack([mm.real, mm.imag], -1)
        mm = mm.reshape(mm.shape[0], -1)
        # the package's autoscale, in float64
        bits = int("".join(ch for ch in dt.split("_")[0][2:] if ch.isdigit()))
        kind = dt[1]
        raw, scaled = [], []
        for c in range(mm.shape[1]):
            col = mm[:, c]
            raw.append(col)
            x = col.astype(np.float64)
            if kind == "i":
                x = x / 2.0 ** (bits - 1)
            elif kind == "u":
                x = x / 2.0 ** (bits - 1) - 1.0
            scaled.append(x)
        # cross-check against read_samples (float32 precision)
        a = s.read_samples()
        a = np.stack([a.real, a.imag], -1) if np.iscomplexobj(a) else a
        a = np.asarray(a, dtype=np.float64).reshape(mm.shape[0], -1)
        assert np.allclose(a, np.stack(scaled, -1), rtol=1e-6, atol=1e-7), f
        rate = s.get_global_field("core:sample_rate")
        out.append(case(f"sigmf/{f}", raw, scaled, rate=rate))
        data_name = f.replace(".sigmf-meta", ".sigmf-data")
        if os.path.exists(f"{DATA}/sigmf/{data_name}"):
            out.append(case(f"sigmf/{data_name}", raw, scaled, rate=rate))
    return out


def tdms_cases():
    from nptdms import TdmsFile

    out = []
    for f in sorted(os.listdir(f"{DATA}/tdms")):
        t = TdmsFile.read(f"{DATA}/tdms/{f}")
        chans = [c for g in t.groups() for c in g.channels() if c.data.dtype != object]
        raw, scaled = [], []
        for c in chans:
            d, r = c.data, c.read_data(scaled=False)
            if np.iscomplexobj(d):
                raw += [r.real, r.imag]
                scaled += [d.real, d.imag]
            else:
                raw.append(r)
                scaled.append(d)
        inc = chans[0].properties.get("wf_increment") if chans else None
        rate = 1.0 / inc if inc else None
        n = min(len(x) for x in raw)
        if any(len(x) != n for x in raw):
            # channels of different lengths: tracekit cuts them to the shortest; each one
            # alone (--dataset PATH) at its full length
            for c in chans:
                out.append(case(f"tdms/{f}", [c.read_data(scaled=False)], [c.data], ["--dataset", c.path]))  # noqa: E501
        out.append(case(f"tdms/{f}", [x[:n] for x in raw], [x[:n] for x in scaled], rate=rate))
    return out


if __name__ == "__main__":
    cases = wav_cases() + sigmf_cases() + tdms_cases()
    with open(f"{DATA}/interchange_expected.json", "w") as fh:
        json.dump({"generated_by": "benches/crosscheck/interchange_expected.py", "cases": cases}, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(cases)} cases", file=sys.stderr)
