#!/usr/bin/env python3
"""Cross-check tracekit's logic formats (issue 15) against independent readers.

References:
  .sr, .vcd   sigrok-cli -i FILE -O csv (Debian's sigrok-cli 0.7.2 / libsigrok 0.5.2)
  vector VCD  an expansion on pyvcd's tokenizer (sigrok's VCD input reads no sample of it)
  Saleae .bin the documented Logic 2 layout read with struct/numpy
Writers: every fixture session sliced by tracekit to .sr is read back by `sigrok-cli -i`, and
to .vcd by sigrok-cli's VCD input (`-I vcd:downsample=STEP`); both must give the same
samples as sigrok-cli gives for the original.

  benches/crosscheck/logic.py            # check; prints PASS/FAIL per check
  benches/crosscheck/logic.py --bless    # also write tests/data/logic/expected.json

Needs sigrok-cli, /work/venv (numpy, pyvcd) and a built target/release/tracekit.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TK = Path(os.environ.get("TRACEKIT", ROOT / "target" / "release" / "tracekit"))
FIX = ROOT.parent.parent / "shared" / "fixtures"
DATA = ROOT / "tests" / "data" / "logic"
TMP = Path(tempfile.mkdtemp(prefix="tk-logic-"))
U64 = np.uint64
RESULTS = []


def report(ok, name, detail=""):
    RESULTS.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout


# The digest tests/integration/issue15_logic.rs computes: run-length form of each channel
# (as f64), hash = wrapping sum of splitmix64(index ^ splitmix64(value bits)).
def splitmix64(x):
    with np.errstate(over="ignore"):
        z = x + U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
        return z ^ (z >> U64(31))


def digest(values):
    if getattr(values, "dtype", None) == np.uint8:
        return digest_u8(values)
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return {"samples": 0, "first": None, "changes": 0, "hash": 0}
    bits = v.view(U64)
    idx = np.concatenate([[0], np.flatnonzero(bits[1:] != bits[:-1]) + 1]).astype(U64)
    h = int(splitmix64(idx ^ splitmix64(bits[idx])).sum(dtype=U64))
    return {"samples": len(v), "first": float(v[0]), "changes": len(idx) - 1, "hash": h}


def sigrok_csv(path, *args):
    """Channel names, rate and values of `sigrok-cli -i FILE -O csv`."""
    text = run(["sigrok-cli", "-i", str(path), *args, "-O", "csv"])
    names, rate, at = [], None, 0
    while at < len(text):
        end = text.index(b"\n", at)
        line = text[at:end]
        at = end + 1
        if line.startswith(b"; Channels"):
            names = line.decode().split(":", 1)[1].strip().split(", ")
        elif line.startswith(b"META samplerate:"):
            rate = float(line.split(b":")[1])
        elif line.startswith(b"; Samplerate:"):
            rate = parse_rate(line.split(b":")[1].decode())
        elif line.startswith(b";"):
            continue
        elif re.fullmatch(rb"[a-z]+(,[a-z]+)*", line):
            break
    body = memoryview(text)[at:]
    width = 2 * len(names)
    if len(body) % width == 0 and (len(body) == 0 or text[at + width - 1] == ord("\n")):
        # Logic rows "0,1,...\n": fixed width, parsed in place.
        raw = np.frombuffer(body, dtype=np.uint8).reshape(-1, width)
        assert (raw[:, width - 1] == ord("\n")).all()
        values = raw[:, 0::2] - np.uint8(ord("0"))
    else:
        rows = bytes(body).decode().split()
        values = np.array([[float(x) for x in l.split(",")] for l in rows]).reshape(-1, len(names))
    return names, rate, [values[:, c] for c in range(len(names))]


def parse_rate(text):
    """`400 kHz`, `40 MHz`, `1 GHz`, `12 Hz` → Hz."""
    value, unit = text.split()
    return float(value) * {"Hz": 1, "kHz": 1e3, "MHz": 1e6, "GHz": 1e9}[unit]


def digest_u8(col):
    """`digest` of small integers without widening the whole column first."""
    col = np.asarray(col)
    if len(col) == 0:
        return digest([])
    pos = np.flatnonzero(col[1:] != col[:-1]) + 1
    idx = np.concatenate([[0], pos]).astype(U64)
    vals = col[idx].astype(np.float64)
    h = int(splitmix64(idx ^ splitmix64(vals.view(U64))).sum(dtype=U64))
    return {"samples": len(col), "first": float(vals[0]), "changes": len(idx) - 1, "hash": h}


def pyvcd_expand(path):
    """One sample per timescale unit from the first to (not including) the last timestamp;
    x/z → 0; vectors wider than 64 bits split into 64-bit pieces `name[63:0]`..."""
    from vcd.reader import TokenKind, tokenize

    scopes, decls, changes, times, t = [], [], {}, [], None
    with open(path, "rb") as f:
        for tok in tokenize(f):
            k = tok.kind
            if k is TokenKind.SCOPE:
                scopes.append(tok.scope.ident)
            elif k is TokenKind.UPSCOPE:
                scopes.pop()
            elif k is TokenKind.VAR:
                v = tok.var
                name = ".".join(scopes + [v.reference])
                if v.size == 1 and v.bit_index is not None:
                    idx = v.bit_index
                    name += f"[{idx}]" if isinstance(idx, int) else f"[{idx[0]}:{idx[1]}]"
                decls.append((name, v.id_code, v.size))
            elif k is TokenKind.CHANGE_TIME:
                t = tok.time_change
                times.append(t)
            elif k in (TokenKind.CHANGE_SCALAR, TokenKind.CHANGE_VECTOR):
                c = tok.scalar_change if k is TokenKind.CHANGE_SCALAR else tok.vector_change
                val = c.value
                if isinstance(val, str):
                    val = 0 if val in "xXzZ" else int(re.sub("[xXzZ]", "0", val), 2)
                changes.setdefault(c.id_code, []).append((t if t is not None else times[0], int(val)))
    t0, n = times[0], times[-1] - times[0]
    names, out = [], []
    for name, ident, size in decls:
        events = changes.get(ident, [])
        pieces = [(s, min(64, size - s)) for s in range(0, size, 64)] if size > 1 else [(0, 1)]
        for shift, width in pieces:
            col = np.zeros(n, dtype=np.float64)
            for i, (tt, v) in enumerate(events):
                end = events[i + 1][0] - t0 if i + 1 < len(events) else n
                col[tt - t0 : end] = float((v >> shift) & ((1 << width) - 1))
            names.append(f"{name}[{shift + width - 1}:{shift}]" if len(pieces) > 1 else name)
            out.append(col)
    return names, out


def saleae_digital(path):
    """Transition sample indices of a version 0 digital export at 500 MS/s."""
    b = path.read_bytes()
    assert b[:8] == b"<SALEAE>"
    version, kind, initial = struct.unpack_from("<iiI", b, 8)
    begin, end, n = struct.unpack_from("<ddQ", b, 20)
    times = np.frombuffer(b, "<f8", n, 44)
    rate = 500e6
    idx = np.round((times - begin) * rate).astype(np.int64)
    return {
        "version": version,
        "initial": initial,
        "samples": int(round((end - begin) * rate)),
        "transitions": len(times),
        "first_transitions": idx[:5].tolist(),
        "last_transition": int(idx[-1]),
        # Order-free: sum of splitmix64 of the transition indices.
        "hash": int(splitmix64(idx.astype(U64)).sum(dtype=U64)),
    }


def main():
    bless = "--bless" in sys.argv
    expected = {"sr": {}, "vcd": {}, "saleae": {}}
    srs = sorted((FIX / "protocols").rglob("*.sr"))
    if not bless:
        expected = json.loads((DATA / "expected.json").read_text())
        srs = [p for p in srs if p.name in expected["sr"]]
    for path in srs if bless else []:
        names, rate, chans = sigrok_csv(path)
        expected["sr"][path.name] = {
            "names": names,
            "rate": rate,
            "digests": [digest(c) for c in chans],
        }
    report(len(srs) == 46, "fixture sessions found", f"{len(srs)}")
    if bless:
        bless_vendor(expected)
    writers(srs, expected)
    print(f"{sum(RESULTS)} passed, {len(RESULTS) - sum(RESULTS)} failed")
    return 0 if all(RESULTS) else 1


def bless_vendor(expected):
    vcd_dir = FIX / "vendor" / "vcd"
    spi = vcd_dir / "spi_spiflash_read16_chronovu_la16_chronovu_la16_spiflash_read16.vcd"
    names, rate, chans = sigrok_csv(spi)
    expected["vcd"][spi.name] = {"names": names, "rate": rate, "digests": [digest(c) for c in chans]}
    vec = vcd_dir / "misc_vcd_vectors-integers.vcd"
    names, chans = pyvcd_expand(vec)
    expected["vcd"][vec.name] = {"names": names, "rate": 1.0, "digests": [digest(c) for c in chans]}
    sal = FIX / "vendor" / "saleae" / "usbpd_cc_digital_6.bin"
    expected["saleae"][sal.name] = saleae_digital(sal)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"wrote {DATA / 'expected.json'}")


def writers(srs, expected):
    # Writers: tracekit's .sr and .vcd read back by sigrok-cli.
    for path in srs:
        want = expected["sr"][path.name]
        out = TMP / "out.sr"
        run([str(TK), "slice", "..", str(path), "-o", str(out), "-q"])
        names, rate, chans = sigrok_csv(out)
        ok = names == want["names"] and rate == want["rate"] and [digest(c) for c in chans] == want["digests"]
        report(ok, f"written .sr read by sigrok-cli: {path.name}", f"{len(chans)} probes at {rate}")
        out = TMP / "out.vcd"
        run([str(TK), "slice", "..", str(path), "-o", str(out), "-q"])
        text = out.read_text(errors="replace")
        scale = re.search(r"\$timescale (\d+) (\w+) \$end", text)
        unit = int(scale.group(1)) * {"s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15}[scale.group(2)]
        step = round(1 / (want["rate"] * unit)) if want["rate"] else 1
        names, rate, chans = sigrok_csv(out, "-I", f"vcd:downsample={step}")
        got = [digest(c) for c in chans]
        ok = names == want["names"] and got == want["digests"]
        report(ok, f"written .vcd read by sigrok-cli's VCD input: {path.name}", f"downsample={step}")


if __name__ == "__main__":
    sys.exit(main())
