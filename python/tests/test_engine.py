"""decode, measure and find: the CLI's engine in-process, on signals synthesised here with
NumPy so the answers are known independently of tracekit's own generator."""

import numpy as np
import pytest

import tracekit

RATE = 1_000_000.0


def uart_signal(data, baud=100_000, rate=RATE, idle_bits=3):
    """8N1, LSB first, idle high at 3.3 V; returns the samples and each frame's first sample."""
    spb = int(rate // baud)
    bits, starts = [1] * (idle_bits * 2), []
    for byte in data:
        starts.append(len(bits) * spb)
        bits += [0] + [(byte >> k) & 1 for k in range(8)] + [1] + [1] * idle_bits
    bits += [1] * idle_bits
    return np.repeat(np.array(bits, dtype=np.float32) * 3.3, spb), starts


def spi_signal(words, half=4):
    """Mode 0, MSB first, 8-bit words; columns clk, mosi, cs (active low), uint8 levels."""
    clk, mosi, cs = [0] * 10, [0] * 10, [1] * 10
    for w in words:
        for k in range(7, -1, -1):
            b = (w >> k) & 1
            clk += [0] * half + [1] * half
            mosi += [b] * (2 * half)
            cs += [0] * (2 * half)
    clk += [0] * 10
    mosi += [0] * 10
    cs += [1] * 10
    return np.array([clk, mosi, cs], dtype=np.uint8).T.copy()


@pytest.fixture
def uart(tmp_path):
    data = b"Hi!\x00\xff"
    x, starts = uart_signal(data)
    p = tmp_path / "uart.npy"
    np.save(p, x)
    return p, data, starts


def test_decode_uart_known_bytes(uart):
    path, data, starts = uart
    t = tracekit.open(path, sample_rate=RATE)
    frames = tracekit.decode(t, "uart", baud=100_000)
    assert [f["value"] for f in frames] == list(data)
    assert all(f["error"] is None for f in frames)
    # Each frame is reported at its start bit, within one sample.
    assert all(abs(f["sample"] - s) <= 1 for f, s in zip(frames, starts)), frames
    assert frames[0]["time_s"] == pytest.approx(frames[0]["sample"] / RATE)
    arr = tracekit.decode(t, "uart", baud=100_000, as_array=True)
    assert arr.dtype["sample"] == np.int64 and arr.dtype["time_s"] == np.float64
    assert arr["value"].tolist() == list(data)
    assert arr["sample"].tolist() == [f["sample"] for f in frames]
    # A path works too, with the CLI's options (here the rate and an automatic baud).
    again = tracekit.decode(str(path), "uart", baud="auto", sample_rate=RATE)
    assert [f["value"] for f in again] == list(data)


def test_decode_uart_sees_a_parity_error(tmp_path):
    x, _ = uart_signal(b"A")  # 0x41: even parity bit would be 0; the stop bit stands in
    p = tmp_path / "par.npy"
    np.save(p, x)
    frames = tracekit.decode(tracekit.open(p, RATE), "uart", baud=100_000, parity="even")
    assert len(frames) == 1 and frames[0]["error"] is not None


def test_decode_spi_known_words(tmp_path):
    words = [0x12, 0xAB, 0x5A, 0x00, 0xFF]
    p = tmp_path / "spi.npy"
    np.save(p, spi_signal(words))
    t = tracekit.open(p, RATE)
    records = tracekit.decode(t, "spi", clk=0, mosi=1, cs=2)
    got = [r for r in records if r["kind"] == "word"]
    assert [int(r["mosi"], 16) for r in got] == words
    assert [r for r in records if r["kind"] == "transfer"][0]["words"] == len(words)
    assert all(r["error"] is None for r in records)
    # Every option of the CLI: LSB first reads the same bits reversed.
    lsb = tracekit.decode(t, "spi", clk=0, mosi=1, cs=2, bitorder="lsb-first")
    rev = [int(f"{w:08b}"[::-1], 2) for w in words]
    assert [int(r["mosi"], 16) for r in lsb if r["kind"] == "word"] == rev


@pytest.fixture
def square(tmp_path):
    """1 kHz, 25 % duty, 0/1 V at 1 MS/s: 100 periods."""
    i = np.arange(100_000)
    x = np.where(i % 1000 < 250, 1.0, 0.0)
    p = tmp_path / "square.npy"
    np.save(p, x)
    return p, x


def test_measure_square_wave(square):
    path, _ = square
    m = tracekit.measure(tracekit.open(path, RATE))
    c = m["channels"][0]
    assert m["samples"] == 100_000
    assert c["frequency"] == pytest.approx(1000.0, rel=1e-9)
    assert c["period"]["mean"] == pytest.approx(1e-3, rel=1e-9)
    # Found levels are histogram bins (about 1e-4 of the amplitude): the 50 % crossing,
    # hence widths and duty, move by that fraction of a sample.
    assert c["levels"]["base"] == pytest.approx(0.0, abs=1e-3)
    assert c["levels"]["top"] == pytest.approx(1.0, abs=1e-3)
    assert c["duty"]["mean"] == pytest.approx(25.0, abs=1e-3)
    assert c["positive_width"]["mean"] == pytest.approx(250e-6, rel=1e-6)
    assert c["rising_edges"] == 99 and c["falling_edges"] == 100
    # Given levels skip the first pass; the crossings are then exactly half-way.
    given = tracekit.measure(path, sample_rate=RATE, levels=(0.0, 1.0))["channels"][0]
    assert given["frequency"] == pytest.approx(1000.0, rel=1e-9)
    assert given["duty"]["mean"] == pytest.approx(25.0, abs=1e-9)
    assert given["positive_width"]["mean"] == pytest.approx(250e-6, rel=1e-9)


def test_find_edges_and_a_glitch(square):
    path, x = square
    t = tracekit.open(path, RATE)
    rising = tracekit.find(t, edge="rising")
    assert [e["sample"] for e in rising] == list(range(1000, 100_000, 1000))
    assert {e["kind"] for e in rising} == {"rising"}
    assert len(tracekit.find(t, edge="rising", limit=3)) == 3
    y = x.copy()
    y[50_600:50_603] = 1.0  # a 3-sample pulse in a low phase
    p = path.with_name("glitch.npy")
    np.save(p, y)
    glitches = tracekit.find(tracekit.open(p, RATE), glitch="<5")
    assert [g["sample"] for g in glitches] == [50_600]
    assert glitches[0]["width"] == pytest.approx(3e-6, rel=1e-4)
    exact = tracekit.find(p, sample_rate=RATE, glitch="<5", levels=(0, 1))
    assert exact[0]["width"] == pytest.approx(3e-6, rel=1e-9)


def test_engine_errors_are_exceptions_with_the_cli_line(uart, tmp_path):
    path, _, _ = uart
    t = tracekit.open(path, RATE)
    with pytest.raises(ValueError, match=r"invalid value '0' for '--baud"):
        tracekit.decode(t, "uart", baud=0)
    with pytest.raises(ValueError, match="nonsense"):
        tracekit.decode(t, "nonsense")
    with pytest.raises(ValueError, match="set by the Python call"):
        tracekit.decode(t, "uart", baud=9600, format="csv")
    with pytest.raises(tracekit.TracekitError, match=r"nothing to find"):
        tracekit.find(t)
    with pytest.raises(tracekit.TracekitError, match=r"missing\.npy: No such file"):
        tracekit.measure(tmp_path / "missing.npy")
    with pytest.raises(tracekit.TracekitError, match="channel 5"):
        tracekit.measure(t, channel=5)
    # One line, as the CLI prints it after "tracekit: error: ".
    try:
        tracekit.measure(tmp_path / "missing.npy")
    except tracekit.TracekitError as e:
        assert "\n" not in str(e)
