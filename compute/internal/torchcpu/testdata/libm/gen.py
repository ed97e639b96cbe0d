#!/usr/bin/python3
"""Writes the glibc log/logf test vectors for LibmLog and LibmLogf.

Run from the repository root with the system Python (its ctypes loads the
same libm.so.6, and so the same ifunc choice, as PyTorch):

    /usr/bin/python3 compute/internal/torchcpu/testdata/libm/gen.py

It needs glibc 2.36 on an x86-64 CPU with FMA and AVX2 (so that log and logf
resolve to __log_fma and __logf_fma), and writes log.txt.gz and logf.txt.gz
next to itself: one "input output" pair of hex bit patterns a line, after
'#' comment lines. The inputs are deterministic (fixed seed). If PyTorch is
importable, the outputs are also checked against torch.xlogy(1, x).
"""

import ctypes
import gzip
import os
import platform
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

libm = ctypes.CDLL("libm.so.6")


# Subclasses of the ctypes float types are not converted to Python floats,
# so arguments and results cross the call as raw bits (no sNaN quieting).
class _F64(ctypes.c_double):
    pass


class _F32(ctypes.c_float):
    pass


_log = ctypes.CFUNCTYPE(_F64, _F64)(("log", libm))
_logf = ctypes.CFUNCTYPE(_F32, _F32)(("logf", libm))


def log_bits(b):
    return struct.unpack("<Q", bytes(_log(_F64.from_buffer_copy(struct.pack("<Q", b)))))[0]


def logf_bits(b):
    return struct.unpack("<I", bytes(_logf(_F32.from_buffer_copy(struct.pack("<I", b)))))[0]


def f64(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def around(b, n, lo, hi):
    """Bit patterns b-n .. b+n, clipped to [lo, hi]."""
    return [c for c in range(b - n, b + n + 1) if lo <= c <= hi]


def log_inputs(rng):
    """Sections of float64 inputs, each (name, list of bit patterns)."""
    one = f64(1.0)
    lo, hi = f64(1 - 2.0**-4), f64(1 + float.fromhex("0x1.09p-4"))  # the near-1 path is [lo, hi)
    maxpos = 0x7FEFFFFFFFFFFFFF
    sec = []
    sec.append(("special", [
        0, 1 << 63, one, f64(2.0), f64(0.5), f64(10.0), 0x7FF0000000000000,
        0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000,
        0x7FF0000000000001, 0x7FF4000000000000, 0xFFF0000000001234,
        0x7FFFFFFFFFFFFFFF, f64(-1.0), f64(-5e-324), f64(-1e300), 1,
        0x000FFFFFFFFFFFFF, 0x0010000000000000, maxpos, f64(2.718281828459045),
    ]))
    sec.append(("random bit patterns, positive", [rng.getrandbits(63) for _ in range(3000)]))
    sec.append(("random bit patterns, negative", [rng.getrandbits(63) | 1 << 63 for _ in range(50)]))
    near = around(lo, 40, 0, maxpos) + around(hi, 40, 0, maxpos) + around(one, 60, 0, maxpos)
    near += [rng.randrange(lo, hi) for _ in range(800)]
    near += [rng.randrange(f64(1 - 2.0**-3), lo) for _ in range(100)]
    near += [rng.randrange(hi, f64(1 + 2.0**-3)) for _ in range(100)]
    sec.append(("near 1: both sides of [1-0x1p-4, 1+0x1.09p-4) and around 1", near))
    sub = [rng.randrange(1, 1 << 52) for _ in range(300)]
    sub += [1 << e for e in range(52)] + [(1 << e) - 1 for e in range(2, 53)]
    sec.append(("subnormals", sub))
    unit = [f64(1.0 - rng.random()) for _ in range(300)]  # (0, 1]
    unit += [rng.randrange(1, one + 1) for _ in range(300)]
    sec.append(("(0, 1]", unit))
    # Table interval i starts where the 7 bits below the exponent of
    # ix - OFF turn over: OFF + j<<45 (+ m<<52 for other exponents).
    off = 0x3FE6000000000000
    edges = []
    for m in (-1022, -500, -60, -1, 0, 1, 2, 60, 1000):
        for j in range(128):
            b = off + (m << 52) + (j << 45)
            if 0 < b <= maxpos:
                edges += around(b, 1, 1, maxpos)
    sec.append(("table interval boundaries", edges))
    return sec


def logf_inputs(rng):
    one = f32(1.0)
    maxpos = 0x7F7FFFFF
    sec = []
    sec.append(("special", [
        0, 1 << 31, one, f32(2.0), f32(0.5), f32(10.0), 0x7F800000, 0xFF800000,
        0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA00000, 0xFF801234, 0x7FFFFFFF,
        f32(-1.0), 0x80000001, f32(-1e30), 1, 0x007FFFFF, 0x00800000, maxpos,
        f32(2.718281828459045),
    ]))
    sec.append(("random bit patterns, positive", [rng.getrandbits(31) for _ in range(3000)]))
    sec.append(("random bit patterns, negative", [rng.getrandbits(31) | 1 << 31 for _ in range(50)]))
    near = around(one, 100, 0, maxpos) + [rng.randrange(f32(0.875), f32(1.125)) for _ in range(600)]
    sec.append(("near 1", near))
    sub = [rng.randrange(1, 1 << 23) for _ in range(300)]
    sub += [1 << e for e in range(23)] + [(1 << e) - 1 for e in range(2, 24)]
    sec.append(("subnormals", sub))
    unit = [f32(1.0 - rng.random()) for _ in range(300)]  # rounds into (0, 1]
    unit += [rng.randrange(1, one + 1) for _ in range(300)]
    sec.append(("(0, 1]", unit))
    off = 0x3F330000
    edges = []
    for m in (-126, -100, -30, -2, -1, 0, 1, 2, 30, 100, 127):
        for j in range(16):
            b = off + (m << 23) + (j << 19)
            if 0 < b <= maxpos:
                edges += around(b, 1, 1, maxpos)
    sec.append(("table interval boundaries", edges))
    return sec


def torch_check(name, rows, width):
    try:
        import torch
    except ImportError:
        print("torch not importable: skipping the torch.xlogy check")
        return
    torch.set_num_threads(1)
    if width == 64:
        dt, it, fmt, ifmt = torch.float64, torch.int64, "<%dQ", "<%dq"
    else:
        dt, it, fmt, ifmt = torch.float32, torch.int32, "<%dI", "<%di"
    n = len(rows)
    xs = [r[0] for r in rows]
    # Reinterpret bit patterns through a signed-integer tensor.
    signed = struct.unpack(ifmt % n, struct.pack(fmt % n, *xs))
    y = torch.tensor(signed, dtype=it).view(dt)
    got = torch.xlogy(torch.ones(n, dtype=dt), y).view(it).tolist()
    got = struct.unpack(fmt % n, struct.pack(ifmt % n, *got))
    bad = 0
    for (x, want), g in zip(rows, got):
        nan = (want & ((1 << (width - 1)) - 1)) > (0x7FF << 52 if width == 64 else 0xFF << 23)
        if g != want and not nan:  # xlogy returns its own NaN for NaN y
            bad += 1
    print("%s: torch %s, torch.xlogy(1, x) differs from libm on %d of %d non-NaN inputs"
          % (name, torch.__version__, bad, n))
    if bad:
        raise SystemExit("torch.xlogy disagrees with libm")


def write(name, sections, fn, width):
    digits = width // 4
    rows = []
    lines = [
        "# %s: glibc %s on %s, written by gen.py" % (name, platform.libc_ver()[1], platform.machine()),
        "# input output, as %d-bit hex bit patterns" % width,
    ]
    for title, xs in sections:
        lines.append("# " + title)
        for x in xs:
            y = fn(x)
            rows.append((x, y))
            lines.append("%0*x %0*x" % (digits, x, digits, y))
    path = os.path.join(HERE, name + ".txt.gz")
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(("\n".join(lines) + "\n").encode())
    print("%s: %d vectors" % (path, len(rows)))
    torch_check(name, rows, width)


def main():
    write("log", log_inputs(random.Random(0x106)), log_bits, 64)
    write("logf", logf_inputs(random.Random(0x106F)), logf_bits, 32)


if __name__ == "__main__":
    main()
