#!/usr/bin/python3
"""Write numpy.json.gz: files that real NumPy 1.24 (Debian's python3-numpy)
writes, with bfloat16 bits from real PyTorch 1.13 (python3-torch), and
the float64 value of every element, for the tests of package tensorfile.

Run from this directory:  /usr/bin/python3 gen.py
The output is deterministic (make oracle-verify checks it byte for byte):
no randomness, zip members with zipfile's fixed default date, JSON with
sorted keys, and gzip with mtime=0 and no file name.

What it holds (the JSON object's keys):

  files   each {"name", "source", "format", "file" (base64), "tensors",
          "error"}: the file's bytes as NumPy (or, for .safetensors, this
          script by the format's README) wrote them; the tensors as
          NumPy reads them back, each {"name", "dtype", "shape", "bits"}
          with the values in row-major order as the hex of their float64
          bits; or "error", the tensorfile ErrorCode expected instead.
  narrow  each {"f64", "f16", "f32", "bf16_f32", "bf16_py"}: a float64 and
          the bits NumPy's astype(float16) and astype(float32) give for
          it, the bits torch's Tensor.to(torch.bfloat16) gives for
          NumPy's float32 (its vectorised kernel: NaN becomes 0xffff),
          and those torch.tensor([x], dtype=torch.bfloat16) gives for the
          Python float itself (scalar code: through float32, so rounded
          twice, and NaN becomes 0x7fc0).

The expected values of float32 tensors are widened by bits (f32_to_f64),
because astype(float64) goes through the FPU, which would quiet a
signalling NaN; NumPy's own float16 routine keeps one, and its
astype(float64) is used for float16 and float64.
"""

import base64
import gzip
import io
import json
import math
import struct
import warnings

import numpy as np
import numpy.lib.format as npf
import torch

warnings.simplefilter("ignore")  # overflow in casts to float16 is intended
np.seterr(all="ignore")


def f64(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def hexbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


# Every kind of float64 special, and values that round (or tie) in
# float16, bfloat16 and float32.
FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, 1 / 3, 2 / 3, 0.1, -2.5,
    math.nan, -math.nan, math.inf, -math.inf,
    f64(0x7FF8080000000000),   # a quiet NaN whose payload survives float16 and float32
    f64(0xFFF8000000000001),   # negative quiet NaN, payload lost in narrower types
    f64(0x7FF0000000000001),   # signalling NaN
    65504.0, 65519.99, 65520.0, 1e5,      # float16's max, just below its overflow, overflow
    2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -25, 2.0 ** -26,  # float16 min normal, subnormal ties
    1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11,   # float16 ties to even: down, up
    1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8,     # bfloat16 ties
    1 + 2.0 ** -8 + 2.0 ** -30,           # bfloat16: rounds up directly, down through float32
    1 + 2.0 ** -24,                       # float32 tie
    2.0 ** -149, 2.0 ** -150, 1.1754942e-38, 2.0 ** -126,
    3.4028234663852886e38, 3.4028235677973366e38, 3.3895313892515355e38,
    1e300, -1e-300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
    math.pi, math.e, -123456.789, 7e-5,
]

SHAPES = [(), (0,), (5,), (2, 3), (2, 3, 4), (1, 2, 3, 4), (3, 0, 2)]
VERSIONS = [(1, 0), (2, 0), (3, 0)]


def ints(kind, size):
    bits = 8 * size
    if kind == "i":
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    else:
        lo, hi = 0, 2 ** bits - 1
    if bits == 64:  # float64 holds every integer up to 2^53 exactly
        lo, hi = max(lo, -(2 ** 53)), min(hi, 2 ** 53)
    vals = [0, 1, -1, lo, hi, lo + 1, hi - 1, 2, 100, -100, 42, -7, 2 ** 31 - 1, -(2 ** 31)]
    return [v for v in vals if lo <= v <= hi]


def pattern(dt, n, k):
    """n values for dtype string dt (kind and size), rotated by k."""
    kind, size = dt[1], int(dt[2:])
    if kind == "b":
        return [(i + k) % 3 != 1 for i in range(n)]
    src = FLOATS if kind == "f" else ints(kind, size)
    return [src[(i * 5 + k) % len(src)] for i in range(n)]


def make(dt, shape, k):
    n = int(np.prod(shape, dtype=np.int64))
    vals = pattern(dt, n, k)
    if dt[1] == "f":
        a = np.array(vals, dtype=np.float64).astype(dt)
    else:
        a = np.array(vals, dtype=dt)
    return a.reshape(shape)


def name_of(dt):
    return {"f": "float", "i": "int", "u": "uint", "b": "bool"}[dt[1]] + \
        ("" if dt[1] == "b" else str(8 * int(dt[2:])))


def tensor(name, a):
    c = np.ascontiguousarray(a).reshape(-1)
    if c.dtype.kind == "f":
        # Widen by bits: astype(float64) goes through the hardware, which
        # quiets a signalling NaN in float32; NumPy's float16 routine keeps it.
        vals = c.astype(np.float64)
        if c.dtype.itemsize == 4:
            vals = [f32_to_f64(int(x)) for x in c.astype("<f4").view("<u4")]
        bits = [hexbits(float(x)) for x in vals]
    else:
        bits = [hexbits(float(int(x))) for x in c]
    return {"name": name, "dtype": name_of(a.dtype.str), "shape": list(a.shape), "bits": bits}


def f32_to_f64(u):
    """float32 bits to float64, NaN payload kept (not via the FPU)."""
    if u & 0x7F800000 == 0x7F800000 and u & 0x7FFFFF:
        return f64((u >> 31) << 63 | 0x7FF << 52 | (u & 0x7FFFFF) << 29)
    return struct.unpack("<f", struct.pack("<I", u))[0]


files = []


def add(name, source, fmt, data, tensors=None, error=""):
    files.append({"name": name, "source": source, "format": fmt,
                  "file": base64.b64encode(data).decode(),
                  "tensors": tensors or [], "error": error})


def npy_bytes(a, version):
    buf = io.BytesIO()
    npf.write_array(buf, a, version=version)
    return buf.getvalue()


DTYPES = []
for kind, sizes in (("f", (2, 4, 8)), ("i", (1, 2, 4, 8)), ("u", (1, 2, 4, 8)), ("b", (1,))):
    for size in sizes:
        for order in ("|",) if size == 1 else ("<", ">"):
            DTYPES.append(order + kind + str(size))

for dt in DTYPES:
    shapes = SHAPES + ([(len(FLOATS),)] if dt[1] == "f" else [])
    for si, shape in enumerate(shapes):
        a = make(dt, shape, si)
        for version in VERSIONS:
            for fortran in (False, True):
                if fortran and len(shape) < 2:
                    continue  # the same bytes as C order
                arr = np.asfortranarray(a) if fortran else a
                name = "%s-%s-v%d-%s.npy" % (dt, "x".join(map(str, shape)) or "scalar",
                                             version[0], "F" if fortran else "C")
                add(name, "numpy.lib.format.write_array(version=%r)" % (version,), "npy",
                    npy_bytes(arr, version), [tensor("", arr)])

# 64-bit integers that float64 cannot hold exactly.
for dt, v in (("<i8", 2 ** 53 + 1), ("<i8", -(2 ** 63)), (">i8", 2 ** 62), ("<u8", 2 ** 64 - 1), ("<u8", 2 ** 53 + 1)):
    add("%s-inexact-%d.npy" % (dt, v), "np.save", "npy", npy_bytes(np.array([0, v, 1], dtype=dt), None),
        error="not-exact")

# Types NumPy writes that tensorfile does not read.
for label, a in (("complex", np.array([1 + 2j], dtype="<c16")),
                 ("longdouble", np.array([1.5], dtype=np.longdouble)),
                 ("unicode", np.array(["ab"], dtype="<U2")),
                 ("datetime", np.array(["2024-01-01"], dtype="datetime64[D]")),
                 ("object", np.array([1, "a"], dtype=object)),
                 ("structured-utf8", np.zeros(2, dtype=[("\u00e9", "<f4")]))):
    version = (3, 0) if label == "structured-utf8" else None
    add("unsupported-%s.npy" % label, "np.save / write_array(version=%r)" % (version,), "npy",
        npy_bytes(a, version), error="dtype")

# .npz: np.savez and np.savez_compressed, keyword and positional arrays.
members = {
    "logits": make("<f4", (2, 3), 1),
    "counts": make("<i8", (4,), 2),
    "mask": make("|b1", (3,), 0),
    "teacher.probs": np.asfortranarray(make(">f8", (2, 3, 4), 3)),
    "empty": make("<f2", (0, 3), 0),
}
positional = make("<f2", (len(FLOATS),), 0)
for fn in (np.savez, np.savez_compressed):
    buf = io.BytesIO()
    fn(buf, positional, **members)
    ts = [tensor(k, v) for k, v in members.items()] + [tensor("arr_0", positional)]
    add("%s.npz" % fn.__name__, "np.%s" % fn.__name__, "npz", buf.getvalue(), ts)


# .safetensors, written by hand by the format's README (the safetensors
# package is not installed): 8-byte little-endian header length, compact
# JSON padded with spaces to a multiple of 8, then the buffer.
def st_bytes(entries, metadata=None, key_order=None):
    header, buf = {}, b""
    for name, dtype, shape, raw in entries:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [len(buf), len(buf) + len(raw)]}
        buf += raw
    if key_order is not None:
        header = {k: header[k] for k in key_order}
    if metadata is not None:
        header = {"__metadata__": metadata, **header}
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + buf


def bf16(values):
    """bfloat16 tensor from float32 values, with torch's own conversion."""
    return torch.tensor(values, dtype=torch.float32).to(torch.bfloat16)


def bf16_tensor(name, t):
    raw = t.view(torch.int16).numpy().astype("<i2").tobytes()
    wide = t.to(torch.float64).reshape(-1).numpy()
    return raw, {"name": name, "dtype": "bfloat16", "shape": list(t.shape),
                 "bits": [hexbits(float(x)) for x in wide]}


f32s = [float(x) for x in np.array(FLOATS, dtype=np.float64).astype(np.float32)]
brain_raw, brain_t = bf16_tensor("brain", bf16(f32s))
grid_raw, grid_t = bf16_tensor("grid", bf16(f32s[:12]).reshape(3, 4))

st_arrays = [  # name, safetensors dtype, NumPy array
    ("logits", "F64", make("<f8", (2, 3), 4)),
    ("probs", "F32", make("<f4", (len(FLOATS),), 0)),
    ("half", "F16", make("<f2", (2, 3, 4), 2)),
    ("counts", "I64", make("<i8", (7,), 1)),
    ("idx", "I32", make("<i4", (2, 2), 3)),
    ("small", "I16", make("<i2", (3,), 1)),
    ("tiny", "I8", make("|i1", (4,), 0)),
    ("ubig", "U64", make("<u8", (3,), 2)),
    ("umid", "U32", make("<u4", (3,), 2)),
    ("ushort", "U16", make("<u2", (3,), 2)),
    ("bytes", "U8", make("|u1", (5,), 1)),
    ("mask", "BOOL", make("|b1", (2, 2), 0)),
    ("scalar", "F32", np.array(2.5, dtype="<f4")),
    ("nothing", "F32", np.zeros((0,), dtype="<f4")),
    ("nothing2", "F16", np.zeros((2, 0), dtype="<f2")),
]
entries = [(n, d, a.shape, np.ascontiguousarray(a).tobytes()) for n, d, a in st_arrays]
entries.insert(2, ("brain", "BF16", (len(FLOATS),), brain_raw))
entries.insert(5, ("grid", "BF16", (3, 4), grid_raw))
expected = {n: tensor(n, a) for n, _, a in st_arrays}
expected["brain"], expected["grid"] = brain_t, grid_t
# Tensors come back in offset order: the order of entries.
ts = [expected[e[0]] for e in entries]
add("mixed.safetensors", "by hand per the safetensors README; BF16 bits from torch", "safetensors",
    st_bytes(entries, {"format": "pt", "note": "caf\u00e9"}), ts)
# The same, with the JSON keys in reverse order: the reader sorts by offset.
# Empty tensors share an offset; a stable sort keeps such ties in header
# order (the Rust reader's order for them is a hash map's).
rev = list(reversed(entries))
starts, pos = {}, 0
for e in entries:
    starts[e[0]] = (pos, pos + len(e[3]))
    pos += len(e[3])
rev_ts = [expected[e[0]] for e in sorted(rev, key=lambda e: starts[e[0]])]
add("mixed-keys-reversed.safetensors", "as mixed.safetensors, header keys reversed", "safetensors",
    st_bytes(entries, None, [e[0] for e in rev]), rev_ts)

narrow = []
for x in FLOATS:
    a = np.array([x], dtype=np.float64)
    h = int(a.astype("<f2").view("<u2")[0])
    s = int(a.astype("<f4").view("<u4")[0])
    b32 = int(bf16([float(a.astype(np.float32)[0])]).view(torch.int16)[0]) & 0xFFFF
    bpy = int(torch.tensor([x], dtype=torch.bfloat16).view(torch.int16)[0]) & 0xFFFF
    narrow.append({"f64": hexbits(x), "f16": "%04x" % h, "f32": "%08x" % s,
                   "bf16_f32": "%04x" % b32, "bf16_py": "%04x" % bpy})

out = {"numpy": np.__version__, "torch": torch.__version__, "files": files, "narrow": narrow}
data = json.dumps(out, sort_keys=True, indent=0).encode()
with open("numpy.json.gz", "wb") as f:
    f.write(gzip.compress(data, compresslevel=9, mtime=0))
print("numpy.json.gz: %d files, %d narrowing rows" % (len(files), len(narrow)))
