#!/usr/bin/python3
"""Writes cases.jsonl.gz: seeded P, Q pairs with what the libraries that
compute.CompareFrameworks reproduces return for them. Run it with Debian's
/usr/bin/python3 (python3-scipy 1.10.1, python3-numpy 1.24.2, python3-torch
1.13.1):

    /usr/bin/python3 compute/testdata/frameworks/gen.py

For each case, with P and Q arrays of the case's dtype (as the calculator's
SciPy snippet writes them, app/snippet.go):

    entropy     scipy.stats.entropy(p, q, axis=-1)
    rel_entr    scipy.special.rel_entr(p, q).sum(axis=-1)
    kl_div      scipy.special.kl_div(p, q).sum(axis=-1)
    categorical torch.distributions.kl_divergence(Categorical(probs=p),
                                                  Categorical(probs=q))

A 2-D pair gives one value per row ("rows") and "value" is the library's
mean of them (NumPy's rows.mean(), torch's rows.mean()); otherwise "value"
is the scalar the call returns. A call that raises records "err", the
exception's type and the first line of its message. Values are the bits of
the result in its dtype, in hex: 8 digits for float32, 16 for float64
(SciPy's result is float64 in a few float32 cases, where NumPy promotes a
0-D float32 array against the Python float 1.0: entropy with a 0-D P).

The file also holds np.sum checks ("id" s...): 1-D arrays, rows of
C-contiguous 2-D arrays and stride-0 broadcast rows summed over axis -1,
which pin down NumPy's pairwise order (compute/npsum.go) on their own.

Inputs are written as the shortest decimal that reads back to the same
double (Python's repr; "nan", "inf", "-inf" included), space-separated, and
the libraries are given exactly those doubles, rounded to float32 by the
array constructor in float32 cases. Keras is not installed here, so it has
no values.
"""
import gzip, json, math, os, struct, sys, warnings

import numpy as np
import scipy
import scipy.special as special
import scipy.stats as stats
import torch
from torch.distributions import Categorical, kl_divergence

torch.set_num_threads(1)
warnings.simplefilter("ignore")

DTYPES = {"float32": (np.float32, torch.float32), "float64": (np.float64, torch.float64)}
SPECIALS = [0.0, 0.0, 0.0, -0.0, math.nan, math.inf, -math.inf, -0.25, -1.0, 5e-324, 1e-310,
            2.2250738585072014e-308, 1.401298464324817e-45, 1e-40, 1.1754943508222875e-38,
            1e-300, 1e300, 3e38, 1.0, 1e-8]


def bits(x, dt):
    if dt == "float32":
        return "%08x" % struct.unpack("<I", struct.pack("<f", float(x)))[0]
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def short(v, digits):
    """v with `digits` significant digits (full precision for 0), as a double."""
    if digits == 0 or not math.isfinite(v) or v == 0:
        return float(v)
    return float("%.*g" % (digits, v))


def row(rng, c, kind):
    if c == 0:
        return np.zeros(0)
    if kind == "dirichlet":
        v = rng.dirichlet(np.ones(c) * rng.choice([0.05, 0.3, 1.0, 5.0]))
    elif kind == "unnormalised":
        v = rng.random(c) * rng.choice([0.01, 0.5, 2.0, 100.0, 1e6])
    elif kind == "peaked":
        v = rng.random(c) * 10.0 ** -rng.integers(3, 12)
        v[rng.integers(c)] = 1.0
        v = v / v.sum()
    elif kind == "flat":
        v = np.ones(c) / c * (1 + (rng.random(c) - 0.5) * 10.0 ** -rng.integers(4, 12))
    elif kind == "tiny":
        v = rng.random(c) * 10.0 ** -rng.choice([30, 38, 40, 44, 300, 310, 320])
    elif kind == "counts":
        v = rng.integers(0, rng.choice([2, 5, 100, 10 ** 6]), size=c).astype(float)
    elif kind == "sparse":
        v = rng.dirichlet(np.ones(c))
        v[rng.random(c) < 0.4] = 0.0
    else:  # near: close to the other side is made later
        v = rng.dirichlet(np.ones(c))
    return v


def side(rng, shape, kind, digits):
    rows = shape[0] if len(shape) == 2 else 1
    c = shape[-1] if shape else 1
    v = np.concatenate([row(rng, c, kind) for _ in range(rows)]) if rows else np.zeros(0)
    return [short(float(x), digits) for x in v]


def inject(rng, vals, n):
    for _ in range(n):
        if vals:
            vals[rng.integers(len(vals))] = float(rng.choice(SPECIALS))


SHAPES = ["1d", "1d", "2d", "2d", "2d", "p_vec", "q_vec", "p_row", "q_row", "p_col", "q_col",
          "one", "0d"]


def shapes(rng, kind, b, c):
    return {
        "1d": ([c], [c]),
        "2d": ([b, c], [b, c]),
        "p_vec": ([c], [b, c]),
        "q_vec": ([b, c], [c]),
        "p_row": ([1, c], [b, c]),
        "q_row": ([b, c], [1, c]),
        "p_col": ([b, 1], [b, c]),  # the class dimension broadcast
        "q_col": ([b, c], [b, 1]),
        "one": ([1], [c]),
        "0d": ([], [] if rng.random() < 0.5 else [c]),
    }[kind]


def make_case(i, rng):
    dt = "float32" if i % 2 == 0 else "float64"
    kind = SHAPES[(i // 2) % len(SHAPES)]
    b = int(rng.choice([1, 2, 3, 4, 5, 8]))
    c = int(rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 31, 33, 64]))
    if i % 41 == 0:
        c = int(rng.choice([500, 777, 1024, 2047, 3000]))
        b = 2 if c <= 1024 and rng.random() < 0.5 else 1
        kind = "1d" if b == 1 else "2d"
    ps, qs = shapes(rng, kind, b, c)
    digits = int(rng.choice([0, 0, 4, 6, 7] if i % 41 else [3, 4]))
    kinds = ["dirichlet", "dirichlet", "unnormalised", "peaked", "flat", "tiny", "counts", "sparse", "near"]
    pk, qk = rng.choice(kinds), rng.choice(kinds)
    p, q = side(rng, ps, pk, digits), side(rng, qs, qk, digits)
    if pk == "near" and len(p) == len(q):
        # Q a tiny relative step from P: the terms cancel to about 1e-12.
        q = [short(x * (1 + (rng.random() - 0.5) * 10.0 ** -rng.integers(5, 13)), 0) for x in p]
    if rng.random() < 0.15 and len(p) == len(q):
        # p = 0 where q = 0.
        for k in range(len(p)):
            if rng.random() < 0.3:
                p[k] = q[k] = 0.0
    for s in (p, q):
        if rng.random() < 0.25:
            inject(rng, s, int(rng.integers(1, 4)))
    return {"id": "f%04d" % i, "dtype": dt, "p": {"shape": ps, "vals": p}, "q": {"shape": qs, "vals": q}}


def edge_cases():
    """Hand-written cases: every special value against every other, empty
    tensors, and rows whose sum is about 1 ± 1e-6 (torch's Simplex check)."""
    sp = [0.0, -0.0, 0.5, 1.0, -1.0, math.nan, math.inf, -math.inf, 5e-324, 1e-300, 1e300, 3e38, 1e-45]
    out = []
    for dt in ("float32", "float64"):
        cs = [{"p": {"shape": [2, len(sp)], "vals": sp + sp[::-1]},
               "q": {"shape": [2, 1], "vals": [0.25, 3.0]}}]
        for x in sp:
            cs.append({"p": {"shape": [len(sp)], "vals": [x] * len(sp)}, "q": {"shape": [len(sp)], "vals": sp}})
            cs.append({"p": {"shape": [3], "vals": [x, 0.25, 0.25]}, "q": {"shape": [3], "vals": [0.5, x, 0.25]}})
        cs.append({"p": {"shape": [0, 3], "vals": []}, "q": {"shape": [0, 3], "vals": []}})
        cs.append({"p": {"shape": [2, 0], "vals": []}, "q": {"shape": [2, 0], "vals": []}})
        cs.append({"p": {"shape": [0], "vals": []}, "q": {"shape": [0], "vals": []}})
        cs.append({"p": {"shape": [], "vals": [0.5]}, "q": {"shape": [], "vals": [0.25]}})
        cs.append({"p": {"shape": [], "vals": [0.0]}, "q": {"shape": [2, 3], "vals": [0.1, 0.2, 0.7, 0.0, 0.5, 0.5]}})
        for d in (9e-7, 1e-6, 1.1e-6, 1.0000001e-6, 2e-7, 6e-8):
            for sign in (1, -1):
                v = [0.5, 0.5 + sign * d]
                cs.append({"p": {"shape": [2], "vals": v}, "q": {"shape": [2], "vals": [0.25, 0.75]}})
                cs.append({"p": {"shape": [2], "vals": [0.3, 0.7]}, "q": {"shape": [1, 2], "vals": v}})
        # Categorical(probs=p) is validated before q is looked at.
        cs.append({"p": {"shape": [3], "vals": [math.nan, 0.5, 0.5]}, "q": {"shape": [], "vals": [0.5]}})
        cs.append({"p": {"shape": [2], "vals": [0.2, 0.8]}, "q": {"shape": [], "vals": [0.5]}})
        cs.append({"p": {"shape": [2, 2], "vals": [0.2, 0.8, -1.0, 2.0]}, "q": {"shape": [2], "vals": [math.nan, 1.0]}})
        # The row 17, docstring and example cases of frameworks_test.go.
        cs.append({"p": {"shape": [2, 2], "vals": [0.5, 0.5, 0.9, 0.1]},
                   "q": {"shape": [2, 2], "vals": [0.25, 0.75, 0.5, 0.5]}})
        cs.append({"p": {"shape": [2], "vals": [0.5, 0.5]}, "q": {"shape": [2], "vals": [0.9, 0.1]}})
        cs.append({"p": {"shape": [2], "vals": [1.0, 1.0]}, "q": {"shape": [2], "vals": [9.0, 1.0]}})
        cs.append({"p": {"shape": [4], "vals": [0.5, 0.5, 0.0, 0.0]},
                   "q": {"shape": [4], "vals": [0.25, 0.5, 0.25, 0.0]}})
        for x in cs:
            x["dtype"] = dt
        out += cs
    for k, x in enumerate(out):
        x["id"] = "e%03d" % k
    return out


def err_text(e):
    return "%s: %s" % (type(e).__name__, str(e).splitlines()[0].rstrip(":"))


def as_numpy(x):
    return x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def encode(res, two_d, mean):
    """The record of one library: rows and value in the dtype of the result
    (which is float64 in a float32 case where NumPy's casting promotes a
    0-D float32 array: entropy of a 0-D P), or the error."""
    if isinstance(res, Exception):
        return {"err": err_text(res)}
    a = as_numpy(res)
    dt = {np.dtype(np.float32): "float32", np.dtype(np.float64): "float64"}[a.dtype]
    flat = [float(x) for x in a.reshape(-1)]
    if not two_d:
        return {"value": bits(flat[0], dt)}
    m = as_numpy(mean(res))
    assert m.dtype == a.dtype
    return {"rows": " ".join(bits(x, dt) for x in flat), "value": bits(m, dt)}


def run(case):
    dt = case["dtype"]
    npdt, tdt = DTYPES[dt]
    pv = [float(x) for x in case["p"]["vals"]]
    qv = [float(x) for x in case["q"]["vals"]]
    P = np.array(pv, dtype=npdt).reshape(case["p"]["shape"])
    Q = np.array(qv, dtype=npdt).reshape(case["q"]["shape"])
    two_d = len(np.broadcast_shapes(P.shape, Q.shape)) == 2
    out = {}

    def call(name, f, mean):
        try:
            with np.errstate(all="ignore"):
                r = f()
        except Exception as e:  # recorded, compared with FrameworkValue.Err
            r = e
        with np.errstate(all="ignore"):
            out[name] = encode(r, two_d, mean)

    npmean = lambda r: np.asarray(r).mean()
    call("entropy", lambda: stats.entropy(P, Q, axis=-1), npmean)
    call("rel_entr", lambda: special.rel_entr(P, Q).sum(axis=-1), npmean)
    call("kl_div", lambda: special.kl_div(P, Q).sum(axis=-1), npmean)
    tp = torch.tensor(pv, dtype=tdt).reshape(case["p"]["shape"])
    tq = torch.tensor(qv, dtype=tdt).reshape(case["q"]["shape"])
    call("categorical", lambda: kl_divergence(Categorical(probs=tp), Categorical(probs=tq)),
         lambda r: r.mean())
    case["lib"] = out


def splitmix(seed, n, scale, offset):
    """n values u*scale + offset, u uniform in [0, 1) from SplitMix64, which
    the Go test regenerates, so that long sums need not be stored."""
    out, x, mask = [], seed, (1 << 64) - 1
    for _ in range(n):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append((z >> 11) * 2.0 ** -53 * scale + offset)
    return out


def sum_cases(rng):
    """np.sum on its own: 1-D, each row of a C-contiguous 2-D array
    (axis=-1), and rows broadcast with stride 0, as entropy's np.sum(qk)
    sees them. Long inputs are regenerated from a SplitMix64 seed."""
    out = []
    lengths = list(range(0, 21)) + [31, 32, 33, 127, 128, 129, 136, 255, 256, 257, 1000, 3001,
                                    8191, 8192, 8193, 9000, 16385, 20000]
    k = 0
    for dt in ("float32", "float64"):
        npdt = DTYPES[dt][0]
        for n in lengths:
            for layout in ("1d", "2d", "col"):
                b = 1 if layout == "1d" else 3
                shape = [n] if layout == "1d" else [b, n]
                m = n * b if layout != "col" else b
                case = {"id": "s%03d" % k, "dtype": dt, "layout": layout, "shape": shape}
                k += 1
                scale = float(10.0 ** rng.integers(-3, 4))
                if m > 600:
                    case["gen"] = {"seed": 7000 + k, "scale": scale, "offset": -0.3 * scale}
                    vals = splitmix(case["gen"]["seed"], m, scale, -0.3 * scale)
                else:
                    vals = [short(float(v), 0 if m <= 64 else 5) for v in (rng.random(m) - 0.3) * scale]
                    case["data"] = " ".join(repr(v) for v in vals)
                a = np.array(vals, dtype=npdt)
                if layout == "1d":
                    res = [np.sum(a)]
                elif layout == "2d":
                    res = np.sum(a.reshape(b, n), axis=-1)
                else:
                    res = np.sum(np.broadcast_to(a.reshape(b, 1), (b, n)), axis=-1)
                case["want"] = " ".join(bits(x, dt) for x in np.asarray(res).reshape(-1))
                out.append(case)
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 700
    rng = np.random.default_rng(20261202)
    cases = [make_case(i, rng) for i in range(n)] + edge_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.jsonl.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        head = {"scipy": scipy.__version__, "numpy": np.__version__, "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "capability": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l]}
        f.write((json.dumps(head) + "\n").encode())
        for case in sum_cases(rng):
            f.write((json.dumps(case, separators=(",", ":")) + "\n").encode())
        for case in cases:
            run(case)
            for s in ("p", "q"):
                case[s] = {"shape": case[s]["shape"], "data": " ".join(repr(float(x)) for x in case[s]["vals"])}
            f.write((json.dumps(case, separators=(",", ":")) + "\n").encode())
    print("wrote %d cases and the np.sum checks to %s (%d bytes)" % (len(cases), path, os.path.getsize(path)))


if __name__ == "__main__":
    main()
