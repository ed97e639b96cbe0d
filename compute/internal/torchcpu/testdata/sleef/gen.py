#!/usr/bin/python3
"""Regenerates the SLEEF and fmaf test vectors in this directory.

Run from the repository root with Debian's interpreter (the one that has
python3-torch 1.13 and libsleef3 3.5.1):

    /usr/bin/python3 compute/internal/torchcpu/testdata/sleef/gen.py

Each output file is gzip-compressed text: '#' comment lines, then one case
a line as hexadecimal bit patterns, inputs first and the reference result
last. expf/logf/expd/logd come from torch.exp and torch.log on a contiguous
CPU tensor (one thread, AVX2 kernels), which call Sleef_expf8_u10,
Sleef_logf8_u10, Sleef_expd4_u10 and Sleef_logd4_u10 on every element.
fmaf comes from C's fmaf in libm through ctypes.

The inputs are drawn from a fixed seed, so rerunning the script rewrites
the same files (gzip headers carry no timestamp).
"""

import ctypes
import gzip
import os
import random
import struct
import sys

# PyTorch 1.13 picks AVX2 by default (AVX-512 is opt-in); pin it so that the
# vectors do not depend on the machine that generates them.
os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")

import numpy as np  # noqa: E402
import torch  # noqa: E402

N = 4096
HERE = os.path.dirname(os.path.abspath(__file__))


def f32bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f64bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def torch_apply(fn, bits, dtype):
    """fn applied by torch to the values with the given bit patterns."""
    ut, ft = (np.uint32, np.float32) if dtype == torch.float32 else (np.uint64, np.float64)
    x = torch.from_numpy(np.array(bits, dtype=ut).view(ft).copy())
    assert x.is_contiguous() and x.dtype == dtype
    return [int(v) for v in fn(x).numpy().view(ut)]


def write(name, header, rows, width):
    """Writes rows of (section, values...) as '# section' lines and hex."""
    path = os.path.join(HERE, name)
    fmt = "%0" + str(width) + "x"
    lines = ["# " + h for h in header]
    section = None
    for row in rows:
        if row[0] != section:
            section = row[0]
            lines.append("# " + section)
        lines.append(" ".join(fmt % v for v in row[1:]))
    data = ("\n".join(lines) + "\n").encode()
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
            g.write(data)
    print("%s: %d cases, %d bytes" % (path, len(rows), os.path.getsize(path)))


def corpus(fn, dtype, groups, randbits):
    """N distinct inputs: the groups of (section, bit patterns) in order, then
    random bit patterns up to N, each paired with torch's result."""
    seen, rows = set(), []
    for section, bits in groups:
        for b in bits:
            if b not in seen:
                seen.add(b)
                rows.append((section, b))
    assert len(rows) <= N - 500, len(rows)
    while len(rows) < N:
        b = randbits()
        if b not in seen:
            seen.add(b)
            rows.append(("random bit patterns", b))
    ys = torch_apply(fn, [b for _, b in rows], dtype)
    return [(sec, b, y) for (sec, b), y in zip(rows, ys)]


def near(bitsfn, xs, ulps):
    """Bit patterns within ±ulps units in the last place of each x."""
    return [bitsfn(x) + d for x in xs for d in range(-ulps, ulps + 1)]


def float32_specials():
    return [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
            0x7F800001, 0x7FBFFFFF, 0xFFC12345, 0x00000001, 0x80000001, 0x007FFFFF,
            0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000]


def float64_specials():
    return [0, 1 << 63, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
            0xFFF8000000000000, 0x7FF0000000000001, 0x7FF7FFFFFFFFFFFF,
            0xFFF8000000012345, 1, (1 << 63) | 1, 0x000FFFFFFFFFFFFF,
            0x0010000000000000, 0x8010000000000000, 0x7FEFFFFFFFFFFFFF,
            0xFFEFFFFFFFFFFFFF, 0x3FF0000000000000, 0xBFF0000000000000]


def gen_expf(r):
    return corpus(torch.exp, torch.float32, [
        ("special values", float32_specials()),
        # The -104 and 100 cut-offs, overflow (88.72) and the first subnormal
        # (-87.34), least subnormal (-103.28) and zero (-103.97) results.
        ("thresholds ±6 ulp", near(f32bits, [-104.0, 100.0, 88.72283935546875, -87.33654022216797,
                                             -103.27892303466797, -103.97207641601562], 6)),
        ("uniform in [-110, 90]", [f32bits(r.uniform(-110, 90)) for _ in range(2200)]),
        ("uniform in [-1, 1]", [f32bits(r.uniform(-1, 1)) for _ in range(300)]),
        ("±2^[-150, 0]", [f32bits(r.choice((-1, 1)) * 2.0 ** r.uniform(-150, 0)) for _ in range(300)]),
        ("uniform in [-104, -87] (subnormal results)", [f32bits(r.uniform(-104, -87)) for _ in range(300)]),
    ], lambda: r.getrandbits(32))


def gen_logf(r):
    return corpus(torch.log, torch.float32, [
        ("special values", float32_specials()),
        ("1 ±40 ulp", near(f32bits, [1.0], 40)),
        ("0.5, 0.75, 1.5, 2 ±3 ulp", near(f32bits, [0.5, 0.75, 1.5, 2.0], 3)),
        ("uniform in [0, 2]", [f32bits(r.uniform(0, 2)) for _ in range(1500)]),
        ("1 + uniform in [-2^-8, 2^-8]", [f32bits(1 + r.uniform(-2 ** -8, 2 ** -8)) for _ in range(400)]),
        ("random positive bit patterns", [r.getrandbits(31) for _ in range(400)]),
        ("subnormals", [r.randrange(1, 1 << 23) for _ in range(400)]),
        ("2^[-126, -100]", [f32bits(2.0 ** r.uniform(-126, -100)) for _ in range(300)]),
    ], lambda: r.getrandbits(32))


def gen_expd(r):
    return corpus(torch.exp, torch.float64, [
        ("special values", float64_specials()),
        # The 709.78 and -1000 cut-offs, overflow (709.78) and the first
        # subnormal (-708.40), least subnormal (-744.44) and zero (-745.13)
        # results.
        ("thresholds ±6 ulp", near(f64bits, [709.78271114955742909217217426, 709.782712893384, -1000.0,
                                             -708.3964185322641, -744.4400719213812, -745.1332191019412], 6)),
        ("uniform in [-750, 710]", [f64bits(r.uniform(-750, 710)) for _ in range(2200)]),
        ("uniform in [-1, 1]", [f64bits(r.uniform(-1, 1)) for _ in range(300)]),
        ("±2^[-1075, 0]", [f64bits(r.choice((-1, 1)) * 2.0 ** r.uniform(-1075, 0)) for _ in range(300)]),
        ("uniform in [-746, -708] (subnormal results)", [f64bits(r.uniform(-746, -708)) for _ in range(300)]),
    ], lambda: r.getrandbits(64))


def gen_logd(r):
    return corpus(torch.log, torch.float64, [
        ("special values", float64_specials()),
        ("1 ±40 ulp", near(f64bits, [1.0], 40)),
        ("0.5, 0.75, 1.5, 2 ±3 ulp", near(f64bits, [0.5, 0.75, 1.5, 2.0], 3)),
        ("uniform in [0, 2]", [f64bits(r.uniform(0, 2)) for _ in range(1500)]),
        ("1 + uniform in [-2^-8, 2^-8]", [f64bits(1 + r.uniform(-2 ** -8, 2 ** -8)) for _ in range(400)]),
        ("random positive bit patterns", [r.getrandbits(63) for _ in range(400)]),
        ("subnormals", [r.randrange(1, 1 << 52) for _ in range(400)]),
        ("2^[-1022, -900]", [f64bits(2.0 ** r.uniform(-1022, -900)) for _ in range(300)]),
    ], lambda: r.getrandbits(64))


def gen_fmaf(r):
    libm = ctypes.CDLL("libm.so.6")
    libm.fmaf.restype = ctypes.c_float
    libm.fmaf.argtypes = [ctypes.c_float] * 3

    def fbits(x):
        return f32bits(x)

    def ffrom(b):
        return struct.unpack("<f", struct.pack("<I", b))[0]

    def cfloat(b):
        # Built from the bytes, not from a Python float, so that signalling
        # NaNs reach fmaf unchanged.
        return ctypes.c_float.from_buffer_copy(struct.pack("<I", b))

    def rnd(lo, hi):
        return fbits(r.choice((-1, 1)) * r.uniform(1, 2) * 2.0 ** r.randint(lo, hi))

    specials = float32_specials()
    groups = [
        ("special values", [(r.choice(specials), r.choice(specials), r.choice(specials))
                            for _ in range(200)]),
        ("random bit patterns", [(r.getrandbits(32), r.getrandbits(32), r.getrandbits(32))
                                 for _ in range(600)]),
        ("overlapping magnitudes", [(rnd(-20, 20), rnd(-20, 20), rnd(-40, 40)) for _ in range(1000)]),
        # c within a few ulp of -a·b: heavy cancellation, where the exact
        # product matters most.
        ("c ≈ -a·b", []),
        # c far below an ulp of a·b: only its sign decides ties and
        # near-ties, which a plain float64 sum would round twice.
        ("tiny c", [(rnd(-10, 10), rnd(-10, 10), rnd(-80, -30)) for _ in range(300)]),
        ("subnormal results", [(rnd(-70, -60), rnd(-70, -60), r.randrange(0, 1 << 24))
                               for _ in range(100)]),
        ("near-overflow results", [(rnd(60, 64), rnd(60, 64), rnd(126, 127)) for _ in range(96)]),
    ]
    for _ in range(800):
        a, b = rnd(-30, 30), rnd(-30, 30)
        p = np.float32(ffrom(a)) * np.float32(ffrom(b))
        groups[3][1].append((a, b, (fbits(-float(p)) + r.randint(-3, 3)) & 0xFFFFFFFF))
    out = []
    for section, triples in groups:
        for a, b, c in triples:
            # The result comes back as a Python float; float32 -> float64 ->
            # float32 is exact, quiet NaN payloads included.
            out.append((section, a, b, c, fbits(libm.fmaf(cfloat(a), cfloat(b), cfloat(c)))))
    return out


def main():
    torch.set_num_threads(1)
    cfg = torch.__config__.show()
    if "CPU capability usage: AVX2" not in cfg:
        sys.exit("torch is not using its AVX2 kernels:\n" + cfg)
    ver = "torch %s, %s" % (torch.__version__, os.path.realpath("/lib/x86_64-linux-gnu/libsleef.so.3"))
    r = random.Random(20240601)
    for name, fn, width, what in (
        ("expf.txt.gz", gen_expf, 8, "torch.exp float32 (Sleef_expf8_u10)"),
        ("logf.txt.gz", gen_logf, 8, "torch.log float32 (Sleef_logf8_u10)"),
        ("expd.txt.gz", gen_expd, 16, "torch.exp float64 (Sleef_expd4_u10)"),
        ("logd.txt.gz", gen_logd, 16, "torch.log float64 (Sleef_logd4_u10)"),
    ):
        write(name, ["input result: %s, %s" % (what, ver)], fn(r), width)
    write("fmaf.txt.gz", ["a b c fmaf(a,b,c): glibc fmaf through ctypes"], gen_fmaf(r), 8)


if __name__ == "__main__":
    main()
