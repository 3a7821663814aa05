#!/usr/bin/env python3
"""Cross-check tracekit on the oscilloscope fixtures against independent readers and the
scopes' own exports (issue 14). Never needed by `cargo test`: its numbers are the literals
the Rust tests hold (src/loader/scope/tests/, tests/integration/issue14_scopes.rs).

    /work/venv/bin/python benches/crosscheck/vendor.py [--literals]

Every fixture is read by the built tracekit binary (TK, default target/release/tracekit):
`info --json` for the x axis, channels, segments and vendor metadata, `slice .. --to f64`
for the values (through the loader, the frame sources and the scale). References:
tm_data_types (Tektronix), lecroyparser and RigolWFM (LeCroy, R&S, Rigol, Keysight), the
scopes' CSV exports, numpy over the documented buffers. One PASS/FAIL line per check; exit
status 1 on any FAIL.
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
import RigolWFM.wfm as rigol

ROOT = Path(__file__).resolve().parents[2]
TK = os.environ.get("TK", str(ROOT / "target/release/tracekit"))
WRITE = str(ROOT / "target/release/examples/write_tek_wfm")
VENDOR = Path(os.environ.get("VENDOR", "/work/shared/fixtures/vendor"))
TEK = VENDOR / "tektronix"
RIG = VENDOR / "rigolwfm"
RW = str(RIG)
AG = str(VENDOR / "agilent_mso7034a")

RIGOLWFM_FILES = [
    "DS1000E-A.wfm", "DS1052E.wfm", "DS1102E-D.wfm", "DS1204B-A.wfm", "DS2072A-5.wfm",
    "DS4022-A.wfm", "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm", "DHO1074.bin",
    "DHO824-ch1.bin", "MSO5000-A.bin", "agilent_3.bin", "agilent_4.bin",
]
OTHER_FILES = ["DHO1074.wfm", "DHO824-ch1.wfm", "MSO5074-A.bin"]
AGILENT_7034 = ["scope_28.bin", "scope_30.bin"]

failures = 0


def report(ok, name, detail):
    global failures
    failures += 0 if ok else 1
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")


def dump(path, *extra):
    """What tracekit makes of `path`: x axis, channels (values, name, gain/offset, complex),
    segments and vendor metadata, or {"error": line} when it refuses the file."""
    info = subprocess.run([TK, "info", "--json", "-q", str(path), *extra],
                          capture_output=True, text=True)
    if info.returncode != 0:
        return {"error": info.stderr.strip()}
    i = json.loads(info.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "v.npy"
        subprocess.run([TK, "slice", "..", str(path), "--to", "f64", "-q", "-o", str(out), *extra],
                       check=True, capture_output=True)
        v = np.load(out)
    v = v.reshape(len(v), -1)
    channels = []
    for k, c in enumerate(i["channel_details"]):
        channels.append({
            "name": c["name"], "values": v[:, k],
            "gain": c["gain"] if c["gain"] is not None else 1.0,
            "offset": c["offset"] if c["offset"] is not None else 0.0,
            "complex_i": c["complex_i"],
        })
    return {
        "file": str(path), "samples": i["samples"], "x_increment": i["x_increment"],
        "x_origin": i["x_origin"], "x_unit": i["x_unit"], "channels": channels,
        "segments": [{"time": s["time_s"]} for s in i["segments"]], "meta": i["vendor"],
    }


def values_at(d, i=0):
    return np.asarray(d["channels"][i]["values"], dtype=float)


def values(d, name):
    return np.asarray(next(c for c in d["channels"] if c["name"] == name)["values"], dtype=float)


def printed_equal(ours, printed, noise=0.0):
    """ours equals the CSV text to the CSV's printed precision (half a unit of its last digit);
    `noise` allows for rounding in how ours was computed (t0 + i × dt)."""
    ok = True
    for x, text in zip(ours, printed):
        mantissa = text.lower().split("e")[0].lstrip("+-")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
        half_unit = 0.5 * 10.0 ** (exponent - decimals)
        # Ties at exactly half a unit round either way; allow float noise of the f64 sum.
        ok &= abs(x - float(text)) <= half_unit + noise + 8 * np.finfo(float).eps * abs(x)
    return bool(ok)


def tek_analog():
    import tm_data_types as tm

    path = TEK / "tmdt_analog_waveform.wfm"
    d = dump(path)
    ours = values_at(d)
    w = tm.read_file(str(path))
    ref = w.y_axis_values.astype(float) * w.y_axis_spacing + w.y_axis_offset
    report(np.array_equal(ours, ref), "tek wfm analog vs tm_data_types",
           f"{len(ours)} values, first {ours[0]}, last {ours[-1]}, sum {ours.sum():.9g}")
    lines = (TEK / "tmdt_analog_waveform.csv").read_text().splitlines()
    header = dict(l.split(",", 1) for l in lines[:12] if "," in l)
    rows = [l.split(",") for l in lines[14:]]
    times = d["x_origin"] + d["x_increment"] * np.arange(len(ours))
    report(len(rows) == len(ours) and printed_equal(ours, [r[1] for r in rows]),
           "tek wfm analog vs scope CSV values", f"{len(rows)} rows to 9 significant digits")
    noise = 8 * np.finfo(float).eps * np.abs(times).max()
    report(printed_equal(times, [r[0] for r in rows], noise), "tek wfm analog vs scope CSV times",
           f"t0 {d['x_origin']!r} (CSV {rows[0][0]}), dt {d['x_increment']} "
           f"(CSV Sample Interval {header['Sample Interval']})")
    zero_index = -d["x_origin"] / d["x_increment"]
    report(abs(zero_index - float(header["Zero Index"])) < 1e-6, "tek wfm analog zero index",
           f"{zero_index} vs CSV {header['Zero Index']}; tm_data_types says {w.trigger_index} "
           "(it ignores the sub-sample trigger offset)")


def tek_digital():
    import tm_data_types as tm

    path = TEK / "tmdt_digital_waveform.wfm"
    d = dump(path)
    w = tm.read_file(str(path))
    raw = w.y_axis_byte_values.astype(np.int16) & 0xFF
    ok = all(np.array_equal(values_at(d, k), (raw >> k) & 1) for k in range(8))
    ones = [int(values_at(d, k).sum()) for k in range(8)]
    report(ok and len(d["channels"]) == 8, "tek wfm digital vs tm_data_types bytes",
           f"8 lanes x {len(raw)}, ones per lane {ones}, dt {d['x_increment']} "
           f"(tm {w.x_axis_spacing})")


def tek_iq():
    import tm_data_types as tm

    path = TEK / "tmdt_iq_waveform.wfm"
    d = dump(path)
    w = tm.read_file(str(path))
    i_ref = w.i_axis_values.astype(float) * w.iq_axis_spacing + w.iq_axis_offset
    q_ref = w.q_axis_values.astype(float) * w.iq_axis_spacing + w.iq_axis_offset
    rate = w.meta_info.iq_sample_rate
    ok = np.array_equal(values_at(d, 0), i_ref) and np.array_equal(values_at(d, 1), q_ref)
    ok &= d["channels"][0]["complex_i"] and abs(rate * d["x_increment"] - 1) < 1e-4
    report(ok, "tek wfm IQ vs tm_data_types",
           f"{len(i_ref)} pairs, I0 {i_ref[0]}, Q0 {q_ref[0]}, dt {d['x_increment']} "
           f"vs tm_data_types' IQ rate {rate} Hz (FFT length x RBW / window factor); "
           f"its x spacing {w.x_axis_spacing} counts I and Q values")


def tek_fastframe():
    import tm_data_types as tm

    path = TEK / "sample_ff1.wfm"
    d = dump(path)
    w = tm.read_file(str(path))
    frames = w._frame_data.astype(float) * w.y_axis_spacing + w.y_axis_offset
    ours = values_at(d)
    # Seconds and fractions apart: their f64 sum would lose the nanoseconds.
    rel = (w._frame_gmt_sec - w._frame_gmt_sec[0]) + (w._frame_gmt_fract - w._frame_gmt_fract[0])
    times = np.array([s["time"] for s in d["segments"]])
    ok = np.array_equal(ours, frames.reshape(-1)) and np.allclose(times, rel, rtol=0, atol=1e-15)
    report(ok, "tek wfm FastFrame vs tm_data_types",
           f"{frames.shape[0]} frames x {frames.shape[1]} (pre/post-charge "
           f"{w._precharge_length}/{w._postcharge_length} left out), "
           f"frame times {np.round(times * 1e9, 3).tolist()} ns, sum {ours.sum():.9g}")


def tek_isf():
    path = TEK / "tek0003NRM_rf_freqdomain.isf"
    d = dump(path)
    raw = path.read_bytes()
    # Independent reading: regex over the preamble, the documented scale, numpy decode.
    text = raw[: raw.index(b":CURVE #")].decode("latin-1")
    get = lambda k: re.search(rf"(?:^|[;:]){k} ([^;]*)", text).group(1).strip('"')
    start = raw.index(b":CURVE #") + 8
    ndig = int(chr(raw[start]))
    nbytes = int(raw[start + 1 : start + 1 + ndig])
    data = raw[start + 1 + ndig : start + 1 + ndig + nbytes]
    kind = {"FP": "f", "RI": "i", "RP": "u"}[get("BN_FMT")]
    order = ">" if get("BYT_OR") == "MSB" else "<"
    codes = np.frombuffer(data, f"{order}{kind}{get('BYT_NR')}").astype(float)
    ref = float(get("YZERO")) + float(get("YMULT")) * (codes - float(get("YOFF")))
    x0 = float(get("XZERO")) - float(get("XINCR")) * float(get("PT_OFF"))
    ok = np.array_equal(values_at(d), ref) and d["x_unit"] == "Hz"
    ok &= d["x_increment"] == float(get("XINCR")) and d["x_origin"] == x0
    report(ok, "tek isf vs numpy by header scale",
           f"{len(ref)} points, x {x0} Hz + {get('XINCR')} Hz, sum {ref.sum():.9g} W, "
           f"max {ref.max():.9g} (RigolWFM cannot read 4-byte FP ISF)")


def lecroy_4():
    import lecroyparser

    path = RIG / "lecroy_4.trc"
    d = dump(path)
    ref = lecroyparser.ScopeData(str(path))
    ours = values_at(d)
    # lecroyparser computes gain × code in float32: allow two float32 steps of that product.
    codes = (ours + ref.verticalOffset) / ref.verticalGain
    tol = 2 * np.finfo(np.float32).eps * np.abs(codes * ref.verticalGain).max()
    ok = np.allclose(ours, ref.y, rtol=0, atol=tol)
    ok &= d["x_increment"] == float(ref.horizInterval) and d["x_origin"] == float(ref.horizOffset)
    report(ok, "lecroy 2_3 vs lecroyparser",
           f"{len(ours)} points, first {ours[0]!r}, last {ours[-1]!r}, sum {ours.sum()!r}, "
           f"max |diff| {np.abs(ours - ref.y).max():.2e} (float32 in lecroyparser)")


def lecroy_truncated():
    path = RIG / "lecroy_1.trc"
    d = dump(path)
    err = d.get("error", "")
    try:
        import lecroyparser

        lecroyparser.ScopeData(str(path))
        ref = "lecroyparser read it"
    except Exception as e:  # noqa: BLE001 - any failure is the expected outcome
        ref = f"lecroyparser fails too ({type(e).__name__})"
    report("804357" in err and "357 bytes" in err, "lecroy truncated file", f"{err!r}; {ref}")


def lecroy_1_0():
    import RigolWFM.lecroy as rl

    path = RIG / "trace1.000"
    d = dump(path)
    h = rl.from_file(str(path)).header
    ours = values_at(d)
    ref = np.array(h.channel_data[0], dtype=float)
    gain = d["channels"][0]["gain"]
    ours_codes = (ours - d["channels"][0]["offset"]) / gain
    ref_codes = (ref + h.ch[0].volt_offset) / h.ch[0].volt_scale
    same_codes = np.allclose(ours_codes, ref_codes, atol=1e-2)
    shift = float(np.median(ref - ours))
    meta = d["meta"]
    level = 0.013  # TRIGGER_LEVEL stored in this LECROY_1_0 descriptor
    inside = ours.min() <= level <= ours.max()
    report(same_codes and inside and d["x_increment"] == h.x_increment,
           "lecroy 1_0 vs RigolWFM",
           f"same codes and time base; RigolWFM subtracts ACQ_VERT_OFFSET "
           f"{meta['acq_vert_offset']} instead of VERTICAL_OFFSET {meta['vertical_offset']} "
           f"(shift {shift:.4f} V); ours span [{ours.min():.4f}, {ours.max():.4f}] V holds the "
           f"trigger level {level} V, RigolWFM's [{ref.min():.4f}, {ref.max():.4f}] does not; "
           f"first {ours[0]!r}, sum {ours.sum()!r}")


def rs(name, csv_digits):
    import RigolWFM.rohde_schwarz as rr

    for opened in (RIG / f"{name}.bin", RIG / f"{name}.Wfm.bin"):
        d = dump(opened)
        ours = values_at(d)
        lines = (RIG / f"{name}.Wfm.csv").read_text().split()
        rows = [l.split(",") for l in lines]
        printed = [r[-1] for r in rows]
        ok = len(rows) == len(ours) and printed_equal(ours, printed)
        detail = f"{len(ours)} values to the CSV's {csv_digits} digits"
        if len(rows[0]) == 2:
            times = d["x_origin"] + d["x_increment"] * np.arange(len(ours))
            noise = 8 * np.finfo(float).eps * np.abs(times).max()
            ok &= printed_equal(times, [r[0] for r in rows], noise)
            detail += f", times t0 {d['x_origin']} dt {d['x_increment']}"
        h = rr.from_file(str(RIG / f"{name}.bin")).header
        ref = np.array(h.channel_data[0], dtype=float)
        ok &= np.array_equal(ours.astype(np.float32), ref.astype(np.float32))
        ok &= abs(h.x_origin - d["x_origin"]) < 1e-15 and abs(h.x_increment / d["x_increment"] - 1) < 1e-9
        report(ok, f"r&s {name} opened as {opened.name} vs CSV and RigolWFM",
               f"{detail}; first {ours[0]!r}, last {ours[-1]!r}, sum {ours.sum()!r}")


def downgrade(v3, version):
    """A WFM#003 file rewritten as WFM#002 or WFM#001: point densities as u32, and for #001 no
    summary-frame field. Lets RigolWFM's #001/#002 reader check this crate's offsets."""
    order = "<" if v3[:2] == b"\x0f\x0f" else ">"
    out = bytearray(v3[:154]) + (v3[154:156] if version == 2 else b"") + v3[156:168]
    pos = 168
    for body in (100, 100, 76, 76):  # explicit 1, 2, implicit 1, 2, each with its user view
        out += v3[pos : pos + body + 36]
        density = struct.unpack_from(order + "d", v3, pos + body + 36)[0]
        out += struct.pack(order + "I", int(density))
        out += v3[pos + body + 44 : pos + body + 60]
        pos += body + 60
    out += v3[pos:838]  # time bases, update spec, curve object
    out[2:10] = f":WFM#00{version}".encode()
    struct.pack_into(order + "I", out, 16, len(out))
    return bytes(out) + v3[838:]


def writer():
    import RigolWFM.tek as rt
    import tm_data_types as tm

    with tempfile.TemporaryDirectory() as tmp:
        for flag, order in (([], "little"), (["--big-endian"], "big")):
            path = Path(tmp) / f"w-{order}.wfm"
            subprocess.run([str(WRITE), str(path), "100000", *flag], check=True, capture_output=True)
            w = tm.read_file(str(path))
            d = dump(path)
            codes = w.y_axis_values
            note = ""
            if order == "big":
                # tm_data_types decodes the header big-endian but the curve in native order.
                codes = codes.byteswap()
                note = "; tm_data_types' big-endian curve compared after swapping its bytes"
            ref = codes.astype(float) * w.y_axis_spacing + w.y_axis_offset
            ok = np.array_equal(values_at(d), ref) and w.x_axis_spacing == d["x_increment"]
            ok &= d["meta"]["byte_order"] == order
            report(ok, f"writer output ({order}-endian) read by tm_data_types",
                   f"{len(ref)} samples, dt {w.x_axis_spacing}, t0 {d['x_origin']}{note}")
            for version in (1, 2):
                old = Path(tmp) / f"w-{order}-{version}.wfm"
                old.write_bytes(downgrade(path.read_bytes(), version))
                d_old = dump(old)
                h = rt.from_file(str(old)).header
                theirs = np.array(h.channel_data[0], dtype=float)
                ours = values_at(d_old)
                ok = np.array_equal(ours.astype(np.float32), theirs.astype(np.float32))
                ok &= np.array_equal(ours, ref) and d_old["meta"]["version"] == f"WFM#00{version}"
                ok &= h.x_increment == d_old["x_increment"]
                report(ok, f"WFM#00{version} ({order}-endian) vs RigolWFM",
                       f"{len(ours)} samples, dt {h.x_increment}")



def times(d):
    n = d["samples"]
    return d["x_origin"] + np.arange(n) * d["x_increment"]


def rigolwfm_channels(path):
    w = rigol.Wfm.from_file(path, "auto")
    return {f"CH{c.channel_number}": c for c in w.channels if c.enabled_and_selected}


def check_against_rigolwfm(name, d):
    ref = rigolwfm_channels(os.path.join(RW, name))
    ours = [c["name"] for c in d["channels"]]
    report(sorted(ref) == sorted(ours), f"{name} channels", f"ours {ours}, RigolWFM {sorted(ref)}")
    for ch, c in ref.items():
        if ch not in ours:
            continue
        v = values(d, ch)
        r = np.asarray(c.volts, dtype=float)
        same_len = len(v) == len(r)
        err = np.abs(v - r).max() if same_len else float("inf")
        # RigolWFM computes from f32 header fields in float64 like us; 1 µV covers f32 noise.
        tol = 1e-6 * max(1.0, np.abs(r).max())
        report(same_len and err <= tol, f"{name} {ch} volts",
               f"{len(v)} vs {len(r)} samples, max |diff| {err:.3g} V")
        dt_ok = np.isclose(d["x_increment"], c.seconds_per_point, rtol=1e-6)
        report(dt_ok, f"{name} {ch} dt", f"{d['x_increment']} vs {c.seconds_per_point}")


def check_times_against_rigolwfm(name, d, t0_expected):
    t = times(d)
    report(np.isclose(t[0], t0_expected, rtol=1e-6, atol=1e-15), f"{name} t0",
           f"ours {t[0]:.9g} s, reference {t0_expected:.9g} s")


def read_csv_rows(path, skip):
    rows = []
    with open(path) as f:
        for i, line in enumerate(f):
            if i < skip:
                continue
            parts = [p.strip() for p in line.strip().split(",")]
            if parts and parts[0]:
                rows.append(parts)
    return rows


def csv_checks(dump):
    # DS1204B: the scope's CSV holds every memory point of all four channels.
    d = dump["DS1204B-A.wfm"]
    rows = read_csv_rows(os.path.join(RW, "DS1204B-A-original.csv"), 2)
    t = np.array([float(r[0]) for r in rows])
    tt = times(d)
    report(len(t) == d["samples"], "DS1204B CSV rows", f"{len(t)} rows, {d['samples']} samples")
    report(np.abs(t - tt).max() < 5e-10, "DS1204B CSV time column",
           f"max |diff| {np.abs(t - tt).max():.3g} s (printed to 1e-8 s)")
    for k in range(4):
        csv_v = np.array([float(r[k + 1]) for r in rows])
        v = values(d, f"CH{k + 1}")
        err = np.abs(np.round(v, 2) - csv_v).max()
        report(err < 1e-9, f"DS1204B CSV CH{k + 1}", f"max |diff| at the CSV's 3 digits {err:.3g}")

    # DS1052E: the CSV holds memory, but its writer read the data 4 bytes early: rows 0-3
    # are header bytes 272..275, row i+4 is sample i.
    d = dump["DS1052E.wfm"]
    rows = read_csv_rows(os.path.join(RW, "DS1052E.csv"), 16)
    for k in range(2):
        csv_v = np.array([float(r[k + 1]) for r in rows])
        v = values(d, f"CH{k + 1}")
        err = np.abs(v[:-4] - csv_v[4:]).max()
        report(err < 1e-9, f"DS1052E CSV CH{k + 1}", f"rows 4.. = samples 0..8187, max |diff| {err:.3g}")
    report(np.isclose(1 / d["x_increment"], 5e8), "DS1052E CSV rate",
           f"ours {1 / d['x_increment']:.6g}, CSV 'Sampling Frequency' 5e8")

    # DS1102E-D and DS2072A: the CSVs hold the screen (600 / 1400 points), a separate
    # display record at a lower rate, not a subset of the memory samples: same levels,
    # same edges, same start time.
    # DS2072A CH1 is a slow ramp (~0.1 V/µs, ±1 code = ±2 mV of noise): its threshold
    # crossings move by ~±20 ns between two records, hence 5 screen steps there.
    for name, csv, skip, thr, slack in (
            ("DS1102E-D.wfm", "DS1102E-D.csv", 2, (1.5, 2.5), 2),
            ("DS2072A-5.wfm", "DS2072A-5.csv", 2, (0.15, None), 5)):
        d = dump[name]
        rows = read_csv_rows(os.path.join(RW, csv), skip)
        if name.startswith("DS2072A"):
            header = open(os.path.join(RW, csv)).read().splitlines()[1].split(",")
            start, step = float(header[3]), float(header[4])
            ct = start + np.arange(len(rows)) * step
            report(np.isclose(times(d)[0], start, rtol=1e-9), f"{name} CSV start",
                   f"ours t0 {times(d)[0]:.9g}, CSV Start {start:.9g}")
        else:
            ct = np.array([float(r[0]) for r in rows])
        for k, level in enumerate(thr):
            if level is None:
                continue
            cv = np.array([float(r[k + 1]) for r in rows])
            v = values(d, f"CH{k + 1}")
            tt = times(d)
            e_csv = ct[np.nonzero(np.diff((cv > level).astype(int)))[0]]
            e_ours = tt[np.nonzero(np.diff((v > level).astype(int)))[0]]
            inside = e_ours[(e_ours >= ct[0]) & (e_ours <= ct[-1])]
            step = ct[1] - ct[0]
            # every CSV edge has one of ours within two screen points
            dist = max((np.abs(inside - e).min() for e in e_csv), default=np.inf)
            report(dist <= slack * step, f"{name} CSV CH{k + 1} edges",
                   f"{len(e_csv)} screen edges, each within {dist:.3g} s of a memory edge "
                   f"(screen step {step:.3g} s)")
            # The DS2072A exporter rounds CH1's -171 mV offset to whole 2 mV codes: its values
            # sit half a code (1 mV) below the header's scale.
            shift = 0.001 if name.startswith("DS2072A") else 0.0
            grid_ok = set(np.round(np.unique(cv), 6)) <= set(np.round(np.unique(v) - shift, 6))
            report(grid_ok, f"{name} CSV CH{k + 1} levels",
                   f"CSV values lie on our code grid minus {shift} V ({len(np.unique(cv))} distinct)")


def dho_wfm_vs_bin(dump):
    for wfm, binf in (("DHO1074.wfm", "DHO1074.bin"), ("DHO824-ch1.wfm", "DHO824-ch1.bin")):
        a, b = dump[wfm], dump[binf]
        names = [c["name"] for c in a["channels"]]
        report(names == [c["name"] for c in b["channels"]], f"{wfm} channels vs .bin", str(names))
        for ch in names:
            va, vb = values(a, ch), values(b, ch)
            step = abs(next(c for c in a["channels"] if c["name"] == ch)["gain"])
            err = np.abs(va - vb).max()
            # float32 in the .bin: allow f32 rounding, far below one code
            report(err < 0.01 * step + 1e-6 * np.abs(vb).max(), f"{wfm} {ch} vs .bin",
                   f"max |diff| {err:.3g} V = {err / step:.4f} codes")
        report(np.isclose(a["x_increment"], b["x_increment"], rtol=1e-6) and
               np.isclose(a["x_origin"], b["x_origin"], rtol=1e-6), f"{wfm} time axis vs .bin",
               f"dt {a['x_increment']:.6g}/{b['x_increment']:.6g}, t0 {a['x_origin']:.6g}/{b['x_origin']:.6g}")


def mso5074(dump):
    d = dump["MSO5074-A.bin"]
    report(len(d["channels"]) == 2 and d["samples"] == 1000, "MSO5074-A layout",
           f"{len(d['channels'])} channels x {d['samples']} (two RG01 containers of 1000 u8 codes)")
    v = values(d, "CH1")
    hi, lo = np.median(v[v > 165]), np.median(v[v < 165])
    report(abs(hi - 204) <= 2 and abs(lo - 128) <= 2, "MSO5074-A CH1 codes",
           f"two-level square at codes {lo:.0f}/{hi:.0f} (0x80/0xcc as in the hex dump)")


def agilent_7034(dump):
    for name in AGILENT_7034:
        d = dump[name]
        raw = open(os.path.join(AG, name), "rb").read()
        for k, ch in enumerate(("CH1", "CH2")):
            v = values(d, ch)
            # reference: the float32 buffer read with numpy at the documented offsets
            n = d["samples"]
            off = 12 + 140 + 12 + k * (140 + 12 + 4 * n)
            ref = np.frombuffer(raw[off:off + 4 * n], "<f4").astype(float)
            report(np.array_equal(v, ref), f"{name} {ch} values", f"{n} float32 equal to numpy's read")
            hi, lo = np.median(v[v > 1.25]), np.median(v[v < 1.25])
            t = times(d)
            rising = t[1:][(v[1:] > 1.25) & (v[:-1] <= 1.25)]
            freq = 1 / np.diff(rising).mean() if len(rising) > 1 else float("nan")
            report(abs(freq - 1200) < 30 and 2.4 < hi - lo < 2.8, f"{name} {ch} square",
                   f"{freq:.0f} Hz, levels {lo:.3f}/{hi:.3f} V (README: 1.2 kHz, 2.5 V)")


def txt_measurements(dump):
    """The scope's own measurements in the .txt setup files (what `measure` will compare):
    a crude Vpp (max - min) and mean-period frequency must land near them."""
    for name, vpp, freq in (("agilent_3.bin", 5.6, 998.0e3), ("agilent_4.bin", 1.00, 1.0e3)):
        d = dump[name]
        v = values(d, "CH1")
        t = times(d)
        mid = (v.max() + v.min()) / 2
        rising = t[1:][(v[1:] > mid) & (v[:-1] <= mid)]
        f = 1 / np.diff(rising).mean()
        ok = abs(v.max() - v.min() - vpp) < 0.05 * vpp and abs(f - freq) < 0.01 * freq
        report(ok, f"{name} CH1 vs .txt measurements",
               f"Vpp {v.max() - v.min():.4g} V (scope {vpp}), frequency {f:.5g} Hz (scope {freq:.5g})")


def literals(dump):
    """Reference numbers for the Rust tests, from RigolWFM / CSV / numpy, not from Rust."""
    print("# literals (reference side)")
    for name in RIGOLWFM_FILES:
        ref = rigolwfm_channels(os.path.join(RW, name))
        for ch, c in sorted(ref.items()):
            r = np.asarray(c.volts, dtype=float)
            print(f"{name} {ch} n={len(r)} dt={c.seconds_per_point!r} first={r[0]!r} "
                  f"last={r[-1]!r} sum={r.sum()!r}")



def main():
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "tracekit", "--example",
                    "write_tek_wfm"], cwd=ROOT, check=True)
    for check in (tek_analog, tek_digital, tek_iq, tek_fastframe, tek_isf, lecroy_4,
                  lecroy_truncated, lecroy_1_0, writer):
        check()
    rs("rs_rtp_01", "%.8g")
    rs("rs_rtp_04", "%.6g")
    names = RIGOLWFM_FILES + OTHER_FILES
    paths = [os.path.join(RW, n) for n in names] + [os.path.join(AG, n) for n in AGILENT_7034]
    dumps = {os.path.basename(p): dump(p) for p in paths}
    for name, d in dumps.items():
        report("error" not in d, f"{name} opens", d.get("error", f"{d.get('samples')} samples"))
    for name in RIGOLWFM_FILES:
        check_against_rigolwfm(name, dumps[name])
    # t0 references: the vendor CSVs where they state it, else RigolWFM's sample-aligned axis
    check_times_against_rigolwfm("DS1204B-A.wfm", dumps["DS1204B-A.wfm"], -0.032768)
    check_times_against_rigolwfm("DS2072A-5.wfm", dumps["DS2072A-5.wfm"], -2.52e-6)
    for name in ("DS1102E-D.wfm", "DS1000E-A.wfm", "DS1052E.wfm", "DS4022-A.wfm",
                 "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm", "DHO1074.bin", "MSO5000-A.bin",
                 "agilent_3.bin"):
        ch = next(iter(rigolwfm_channels(os.path.join(RW, name)).values()))
        check_times_against_rigolwfm(name, dumps[name], float(ch.times[0]))
    csv_checks(dumps)
    dho_wfm_vs_bin(dumps)
    mso5074(dumps)
    agilent_7034(dumps)
    txt_measurements(dumps)
    uart_and_spectrum(dumps)
    if "--literals" in sys.argv:
        literals(dumps)
    print(f"{failures} failed")
    return 1 if failures else 0


def uart_and_spectrum(dumps):
    """DS1054Z: CH1 decoded by sampling each bit of the thresholded RigolWFM volts at its
    centre (115200 Bd, 8N1), and CH4's Welch spectrum (scipy) at the bin tracekit's test holds."""
    import scipy.signal as ss

    name = "DS1054Z-CH1UartCH2OffCh3SquareCh4Sine.wfm"
    ref = rigolwfm_channels(os.path.join(RW, name))
    v = np.asarray(ref["CH1"].volts, float)
    fs = 1 / ref["CH1"].seconds_per_point
    spb = fs / 115200
    lv = (v > (v.max() + v.min()) / 2).astype(int)
    i, got = 0, []
    while i < len(lv) - int(10 * spb):
        if lv[i] == 1 and lv[i + 1] == 0:
            s = i + 1
            got.append(sum(lv[int(s + spb * (k + 1.5))] << k for k in range(8)))
            i = int(s + spb * 9.5)
        else:
            i += 1
    out = subprocess.run([TK, "decode-uart", "--baud", "auto", "--threshold", "auto",
                          "--channel", "CH1", "--format", "json", os.path.join(RW, name)],
                         capture_output=True, text=True, check=True).stdout
    ours = [json.loads(line)["value"] for line in out.splitlines()]
    report(ours == got, f"{name} CH1 UART", f"tracekit {[hex(x) for x in ours]}, numpy {[hex(x) for x in got]}")
    v4 = np.asarray(ref["CH4"].volts, float)
    f, p = ss.welch(v4, fs=fs, nperseg=8192, window="hann", detrend="constant")
    report(True, f"{name} CH4 welch (reference for the Rust test)", f"bin 1 at {f[1]!r} Hz: {p[1]!r} V^2/Hz")


if __name__ == "__main__":
    sys.exit(main())
