#!/usr/bin/python3
"""Writes cases.jsonl.gz: seeded kl_div problems with the values real PyTorch
returns for them, and grad16.jsonl.gz: the gradients of the bfloat16 and
float16 problems (the float32 and float64 gradients are ../gradient's). Run it with Debian's /usr/bin/python3, which has
python3-torch (1.13.1) and python3-scipy:  make oracle

Each case is computed exactly as the calculator's PyTorch snippet writes it
(app/snippet.go), on one thread:

    input  = torch.log(q) | q | F.log_softmax(q / T, dim=-1) | log(q / q.sum(-1, keepdim=True))
    target = p | p / p.sum(-1, keepdim=True) | p | F.log_softmax(p / T, dim=-1)
    F.kl_div(input, target, reduction=r, log_target=P is log or logits)

for the four reductions. Values are written as the bits of the float64 they
widen to, in hex; inputs as Python reprs, which Go's ParseFloat reads back to
the same double. Large cases (more than LARGE values) keep every reduced
value but, for reduction='none', a sample of positions and a SHA-256 of all
the output bits, so that the file stays small (in the bfloat16 and float16
cases every NaN is hashed as 0x7ff8000000000000: its bits vary between
kernels, c10::BFloat16(float) giving 0x7fc0 and the vectorized conversion
0xffff).

The bfloat16 and float16 cases (half_named_cases, half_case,
half_large_cases) follow the float32 and float64 ones, from a generator of
their own, so that those are unchanged. float16 cases whose forms need a
kernel PyTorch 1.13 lacks for 'Half' on the CPU record its RuntimeError
as {"error": message}.
"""
import gzip, hashlib, json, math, os, random, struct, sys, warnings

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
warnings.simplefilter("ignore")

LARGE = 4096
SAMPLE = 64
FORMS = ["prob", "log", "logits", "counts"]
REDUCTIONS = ["sum", "mean", "batchmean", "none"]
DTYPES = {"float32": torch.float32, "float64": torch.float64, "bfloat16": torch.bfloat16, "float16": torch.float16}
HALF = ("bfloat16", "float16")
SPECIALS = [0.0, -0.0, math.nan, math.inf, -math.inf, 5e-324, 2.2250738585072014e-308, 1e-310,
            1.401298464324817e-45, 1e-40, 1.1754943508222875e-38, 1e300, 3.5e38, -1.0, 1.0, 0.5]
TEMPS = [1e-3, 0.01, 0.1, 0.5, 0.9, 1.5, 2.0, 3.0, 4.0, 7.5, 10.0, 33.3, 100.0]
ODD_TEMPS = [0.0, -0.0, -1.0, -2.5, math.inf, math.nan, 1e-50]


def bits(x, dt):
    """The bits of x in the dtype, in hex: 8 digits for float32, 16 for
    float64, 4 for bfloat16 (the upper half of the float32 it widens to) and
    float16 (IEEE binary16)."""
    if dt == "float32":
        return "%08x" % struct.unpack("<I", struct.pack("<f", float(x)))[0]
    if dt == "bfloat16":
        return "%04x" % (struct.unpack("<I", struct.pack("<f", float(x)))[0] >> 16)
    if dt == "float16":
        return "%04x" % struct.unpack("<H", struct.pack("<e", float(x)))[0]
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def text(vals, dt):
    """Values as the shortest decimal that reads back to them in the dtype
    (inputs of float32 cases are float32 numbers), space-separated."""
    if dt == "float32":
        return " ".join(str(np.float32(v)) for v in vals)
    return " ".join(repr(float(v)) for v in vals)


def row_values(rng, form, c, kind):
    """One row of c values of a form; kind picks the regime."""
    if form in ("prob", "log"):
        if kind == "peaked":
            v = rng.random(c) * 1e-3
            v[rng.integers(c)] = 1.0
        elif kind == "flat":
            v = np.ones(c) + rng.random(c) * 1e-6
        elif kind == "tiny":
            v = rng.random(c) ** 8 + 1e-30
        else:
            v = rng.dirichlet(np.ones(c) * rng.choice([0.1, 0.5, 1.0, 5.0]))
        if kind != "unnormalised":
            v = v / v.sum()
        else:
            v = rng.random(c) * rng.choice([0.5, 1.0, 3.0])
        if form == "log":
            with np.errstate(divide="ignore"):
                v = np.log(v)
        return v
    if form == "logits":
        scale = rng.choice([0.1, 1.0, 3.0, 10.0, 50.0])
        offset = rng.choice([0.0, 0.0, 5.0, -30.0, 1e3, 1e4, 1e6, 1e8, 1e10, -1e10])
        if kind == "peaked":
            scale = 30.0
        if kind == "flat":
            scale = 1e-6
        return rng.standard_normal(c) * scale + offset
    # counts
    if kind == "flat":
        return np.full(c, 7.0)
    if kind == "tiny":
        return rng.random(c)
    return rng.integers(0, rng.choice([2, 10, 1000, 10**6]), size=c).astype(float)


def side(rng, form, shape, kind, dtype):
    rows = int(np.prod(shape[:-1])) if len(shape) >= 2 else 1  # the leading sizes flattened
    c = shape[-1] if shape else 1
    if rows * c == 0:
        return []  # an empty tensor (the 3-D cases' (b, 0, c))
    v = np.concatenate([row_values(rng, form, c, kind) for _ in range(rows)])
    if dtype == "float32":
        v = v.astype(np.float32).astype(np.float64)  # exact in both languages
    return [float(x) for x in v]


def inject(rng, vals, n):
    for _ in range(n):
        vals[rng.integers(len(vals))] = float(rng.choice(SPECIALS))


def torch_side(vals, shape, dt):
    return torch.tensor([float(v) for v in vals.split()] if isinstance(vals, str) else vals, dtype=DTYPES[dt]).reshape(shape)


def run(case):
    dt = case["dtype"]
    p = torch_side(case["p"]["data"], case["p"]["shape"], dt)
    q = torch_side(case["q"]["data"], case["q"]["shape"], dt)
    qf, pf = case["q"]["form"], case["p"]["form"]
    if qf == "prob":
        inp = torch.log(q)
    elif qf == "log":
        inp = q
    elif qf == "logits":
        T = float(case["q"]["t"])
        inp = F.log_softmax(q / T if T != 1 else q, dim=-1)
    else:
        q = q / q.sum(-1, keepdim=True)
        inp = torch.log(q)
    if pf == "counts":
        p = p / p.sum(-1, keepdim=True)
    elif pf == "logits":
        T = float(case["p"]["t"])
        p = F.log_softmax(p / T if T != 1 else p, dim=-1)
    lt = pf in ("log", "logits")
    out = {}
    for r in REDUCTIONS:
        v = F.kl_div(inp, p, reduction=r, log_target=lt)
        if r == "none":
            flat = [float(x) for x in v.reshape(-1).tolist()]
            out["shape"] = list(v.shape)
            if len(flat) > LARGE:
                pos = sorted(random.Random(len(flat)).sample(range(len(flat)), SAMPLE))
                out["sample"] = pos
                out["none"] = " ".join(bits(flat[i], dt) for i in pos)
                h = hashlib.sha256()
                for x in flat:
                    if dt in HALF and x != x:
                        x = math.nan  # 0x7ff8000000000000: NaN bits vary between 16-bit kernels
                    h.update(struct.pack("<d", x))
                out["sha256"] = h.hexdigest()
            else:
                out["none"] = " ".join(bits(x, dt) for x in flat)
        else:
            out[r] = bits(v.item(), dt)
    case["torch"] = out


def shapes(rng, n_classes):
    """Shapes of P and Q: equal, or broadcast either way."""
    c = n_classes
    b = int(rng.choice([2, 2, 3, 4, 5, 8]))
    kind = rng.choice(["1d", "2d", "2d", "bcast_p_row", "bcast_p_vec", "bcast_q_row", "bcast_q_vec", "2d1"])
    if kind == "1d":
        return [c], [c]
    if kind == "2d":
        return [b, c], [b, c]
    if kind == "2d1":
        return [1, c], [1, c]
    if kind == "bcast_p_row":
        return [1, c], [b, c]
    if kind == "bcast_p_vec":
        return [c], [b, c]
    if kind == "bcast_q_row":
        return [b, c], [1, c]
    return [b, c], [c]


def make_case(i, rng):
    dt = "float32" if i % 2 == 0 else "float64"
    pf, qf = FORMS[(i // 2) % 4], FORMS[(i // 8) % 4]
    if i % 97 == 0:
        c = 1
    elif i % 61 == 0:
        c = int(rng.integers(100, 700))
        ps, qs = ([c], [c]) if i % 2 else ([1, c], [2, c])
    else:
        c = int(rng.choice([2, 3, 3, 4, 5, 5, 7, 8, 9, 10, 12, 16, 17, 33, 64]))
    if not (i % 61 == 0 and i % 97 != 0):
        ps, qs = shapes(rng, c)
    if i % 53 == 0:
        ps, qs = [], []  # 0-D
    kind = rng.choice(["normal", "normal", "peaked", "flat", "tiny", "unnormalised"])
    case = {"id": "c%04d" % i, "dtype": dt,
            "p": {"form": pf, "shape": ps, "data": side(rng, pf, ps, kind, dt)},
            "q": {"form": qf, "shape": qs, "data": side(rng, qf, qs, rng.choice(["normal", "peaked", "flat", "tiny"]), dt)}}
    for s in (case["p"], case["q"]):
        if s["form"] == "logits":
            s["t"] = float(rng.choice(TEMPS)) if rng.random() < 0.5 else 1.0
            if rng.random() < 0.06:
                s["t"] = float(rng.choice(ODD_TEMPS))
        if rng.random() < 0.15:
            inject(rng, s["data"], int(rng.integers(1, 4)))
    return case


def splitmix(seed, n, scale, offset):
    """n values u·scale + offset, u uniform in [0, 1) from SplitMix64: the
    Go test regenerates the same bits, so large inputs are not stored."""
    out, x, mask = [], seed, (1 << 64) - 1
    for _ in range(n):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        u = (z >> 11) * 2.0 ** -53
        out.append(u * scale + offset)
    return out


GEN = {"prob": (1.0, 0.0), "log": (-20.0, 0.0), "logits": (20.0, -10.0), "counts": (1000.0, 0.0)}


def large_cases(rng):
    out = []
    for j, (c, b) in enumerate([(5000, 2), (10000, 1), (32000, 1), (50000, 1), (4097, 3), (32768, 2)]):
        for dt in ("float32", "float64"):
            pf, qf = [("logits", "logits"), ("prob", "prob"), ("logits", "prob"), ("log", "logits"), ("counts", "counts"), ("prob", "logits")][j]
            ps = qs = [b, c] if b > 1 else [c]
            case = {"id": "L%d%s" % (c, dt[-2:]), "dtype": dt,
                    "p": {"form": pf, "shape": ps}, "q": {"form": qf, "shape": qs}}
            for k, s in enumerate((case["p"], case["q"])):
                scale, offset = GEN[s["form"]]
                s["gen"] = {"seed": 1000 * j + 10 * k + len(dt), "scale": scale, "offset": offset}
                s["data"] = splitmix(s["gen"]["seed"], b * c, scale, offset)
                if dt == "float32":
                    s["data"] = [float(np.float32(v)) for v in s["data"]]
            for s in (case["p"], case["q"]):
                if s["form"] == "logits":
                    s["t"] = 2.0 if j % 2 else 1.0
            out.append(case)
    return out


def named_cases():
    """Cases from the issues and the page's examples, exactly as typed."""
    def c(name, dt, p, q, pf="prob", qf="prob", ps=None, qs=None, pt=None, qt=None):
        ps = ps if ps is not None else [len(p)]
        qs = qs if qs is not None else [len(q)]
        case = {"id": name, "dtype": dt, "p": {"form": pf, "shape": ps, "data": p}, "q": {"form": qf, "shape": qs, "data": q}}
        if pf == "logits":
            case["p"]["t"] = pt if pt is not None else 1.0
        if qf == "logits":
            case["q"]["t"] = qt if qt is not None else 1.0
        return case
    out = []
    for dt in ("float32", "float64"):
        s = dt[-2:]
        out += [
            # Issue 8: a logit offset of 1e10 (log q = 0 for both top classes before the fix).
            c("offset1e10_" + s, dt, [0.5, 0.3, 0.2], [1e10, 9999999980.0, 0.0], qf="logits"),
            # Issue 8: 2013 ulp off in float64 with 'sum' before the fix.
            c("offset1e4_" + s, dt, [0.5, 0.3, 0.2], [10000.0, 9995.0, 9990.0], qf="logits"),
            # The page's examples (app/examples.go).
            c("classic_" + s, dt, [0.1, 0.4, 0.5], [0.2, 0.3, 0.5]),
            c("onehot_" + s, dt, [0.0, 1.0, 0.0], [0.1, 0.7, 0.2], ps=[1, 3], qs=[1, 3]),
            c("qzero_" + s, dt, [0.5, 0.5], [1.0, 0.0]),
            c("logits_" + s, dt, [0.0, 0.0, 1.0], [2.1, -0.3, 4.0], qf="logits", ps=[1, 3], qs=[1, 3]),
            c("meanbatch_" + s, dt, [0.5, 0.5, 0.9, 0.1], [0.25, 0.75, 0.5, 0.5], ps=[2, 2], qs=[2, 2]),
            c("nan_" + s, dt, [0.0, 1.0], [-math.inf, 0.0], qf="log"),
            # Distillation at T = 4 on both sides, and the temperatures PyTorch computes but nobody means.
            c("distill_T4_" + s, dt, [3.2, -1.0, 0.5, 7.7], [2.9, -0.4, 0.1, 6.0], pf="logits", qf="logits", pt=4.0, qt=4.0),
            c("T0_" + s, dt, [0.2, 0.8], [1.0, 2.0], qf="logits", qt=0.0),
            c("Tneg_" + s, dt, [0.2, 0.8], [1.0, 2.0], qf="logits", qt=-1.0),
            c("Tinf_" + s, dt, [0.2, 0.8], [1.0, 2.0], qf="logits", qt=math.inf),
            # docs/kl_div.md §7 row 17.
            c("row17_" + s, dt, [0.5, 0.5, 0.9, 0.1], [math.log(.25), math.log(.75), math.log(.5), math.log(.5)], qf="log", ps=[2, 2], qs=[2, 2]),
        ]
    return out


# The 16-bit cases. Their inputs are written as the float64 values they were
# drawn as (not rounded first), so that torch.tensor(..., dtype=...) rounds
# them, to float32 and then to the dtype, as the calculator must. float16
# has no CPU kernel for torch.log, torch.exp or log_softmax in PyTorch 1.13,
# so its cases are Q as log q and P as probabilities or counts, plus a few
# of every other pair of forms, which record PyTorch's RuntimeError.
HALF_SPECIALS = [65504.0, 65519.0, 65520.0, 1e5, 6.1e-5, 6e-8, 2.9802322387695312e-08, 1e-8, 1e-40, 9.2e-41,
                 3.39e38, 3.3961775292304e38, 1.00390625, 1.0039062500009095, 1.00048828125, 1.0004882812509095,
                 -65504.0, -1e5, 0.1, 1e-30, 1e-45, 300.0, -300.0]


HALF_STORED = 128  # a longer side of a 16-bit case is written as its splitmix seed


def half_case(i, rng, dt):
    if dt == "float16" and i % 25 != 24:
        pf, qf = ["prob", "counts"][(i // 2) % 2], "log"
    else:
        pf, qf = FORMS[i % 4], FORMS[(i // 4) % 4]
    if i % 10 == 9:
        c = int(rng.integers(1, 5001))  # sizes 1..5000: every branch of the 16-lane sums
    elif i % 41 == 0:
        c = 1
    else:
        c = int(rng.choice([2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 47, 64, 100, 255, 257]))
    ps, qs = shapes(rng, c)
    if i % 53 == 0:
        ps, qs = [], []
    if c > 600 and len(ps) == 2:
        ps, qs = [min(ps[0], 2), c], [min(qs[0], 2), c]
    kind = rng.choice(["normal", "normal", "peaked", "flat", "tiny", "unnormalised"])
    case = {"id": "h%s%04d" % (dt[0], i), "dtype": dt,
            "p": {"form": pf, "shape": ps, "data": side(rng, pf, ps, kind, dt)},
            "q": {"form": qf, "shape": qs, "data": side(rng, qf, qs, rng.choice(["normal", "peaked", "flat", "tiny"]), dt)}}
    for s in (case["p"], case["q"]):
        if s["form"] == "logits":
            s["t"] = float(rng.choice(TEMPS)) if rng.random() < 0.5 else 1.0
            if rng.random() < 0.06:
                s["t"] = float(rng.choice(ODD_TEMPS + [1e-40, 257.0, 3.3e38]))
    for k, s in enumerate((case["p"], case["q"])):
        n = len(s["data"])
        if n > HALF_STORED:
            # Long sides are regenerated by splitmix, as large_cases are.
            scale, offset = GEN[s["form"]]
            if s["form"] == "prob":
                scale = 2.0 / max(c, 1)
            s["gen"] = {"seed": 9000 + 10 * i + k + (5 if dt == "float16" else 0), "scale": scale, "offset": offset}
            s["data"] = splitmix(s["gen"]["seed"], n, scale, offset)
        r = rng.random()
        if r < 0.3:
            vals = SPECIALS if r < 0.12 else HALF_SPECIALS
            for _ in range(int(rng.integers(1, 4))):
                pos, v = int(rng.integers(n)), float(rng.choice(vals))
                s["data"][pos] = v
                if "gen" in s:
                    s["gen"].setdefault("set", []).append([pos, repr(v)])
    return case


def half_large_cases():
    """Sums of 65520 and more float16 terms ('mean' then divides by +Inf), and
    long rows in bfloat16, generated by splitmix as large_cases are."""
    out = []
    for j, (dt, pf, qf, shape) in enumerate([("float16", "prob", "log", [70000]), ("float16", "counts", "log", [2, 40000]),
                                             ("bfloat16", "prob", "prob", [70000]), ("bfloat16", "logits", "logits", [2, 20000]),
                                             ("bfloat16", "counts", "counts", [3, 4097]), ("float16", "prob", "log", [65519])]):
        case = {"id": "HL%d%s" % (j, dt[:2]), "dtype": dt, "p": {"form": pf, "shape": shape}, "q": {"form": qf, "shape": shape}}
        n = shape[0] * (shape[1] if len(shape) == 2 else 1)
        for k, s in enumerate((case["p"], case["q"])):
            scale, offset = GEN[s["form"]]
            if s["form"] == "prob":
                scale = 2.0 / shape[-1]
            s["gen"] = {"seed": 7000 + 10 * j + k, "scale": scale, "offset": offset}
            s["data"] = splitmix(s["gen"]["seed"], n, scale, offset)
            if s["form"] == "logits":
                s["t"] = 2.0 if j % 2 else 1.0
        out.append(case)
    return out


def half_named_cases():
    """Named 16-bit cases: the page's examples, and values that show the
    dtype's rounding."""
    out = []
    for dt in HALF:
        s = dt[:2]
        def c(name, p, q, pf="prob", qf="prob", ps=None, qs=None, pt=None, qt=None):
            case = {"id": name + "_" + s, "dtype": dt, "p": {"form": pf, "shape": ps if ps is not None else [len(p)], "data": p},
                    "q": {"form": qf, "shape": qs if qs is not None else [len(q)], "data": q}}
            if pf == "logits":
                case["p"]["t"] = pt if pt is not None else 1.0
            if qf == "logits":
                case["q"]["t"] = qt if qt is not None else 1.0
            return case
        lq = lambda v: [math.log(x) if x > 0 else -math.inf for x in v]
        out += [
            c("classic", [0.1, 0.4, 0.5], lq([0.2, 0.3, 0.5]), qf="log"),
            c("classic_prob", [0.1, 0.4, 0.5], [0.2, 0.3, 0.5]),
            c("onehot", [0.0, 1.0, 0.0], lq([0.1, 0.7, 0.2]), qf="log", ps=[1, 3], qs=[1, 3]),
            c("qzero", [0.5, 0.5], lq([1.0, 0.0]), qf="log"),
            c("meanbatch", [0.5, 0.5, 0.9, 0.1], lq([0.25, 0.75, 0.5, 0.5]), qf="log", ps=[2, 2], qs=[2, 2]),
            c("nan", [0.0, 1.0], [-math.inf, 0.0], qf="log"),
            c("negtarget", [-0.5, 1.5], [-1.0, -0.2], qf="log"),
            c("inftarget", [math.inf, 0.5], [-1.0, 3.0], qf="log"),
            c("overflow", [300.0, 0.5], [-300.0, -1.0], qf="log"),
            c("tie", [1.0039062500009095, 1.0004882812509095], [-1.0039062500009095, -1.0004882812509095], qf="log"),
            c("tiny", [1e-8, 6e-8, 1e-40, 6.1e-5], [-17.0, -16.5, -90.0, -9.7], qf="log"),
            c("counts", [3.0, 1.0, 0.0, 4.0], [-1.0, -2.0, -3.0, -0.5], pf="counts", qf="log"),
            c("counts_zero", [0.0, 0.0], [-1.0, -2.0], pf="counts", qf="log"),
            c("b257", [0.5] * 514, [-0.7] * 514, qf="log", ps=[257, 2], qs=[257, 2]),
            c("logits", [0.0, 0.0, 1.0], [2.1, -0.3, 4.0], qf="logits", ps=[1, 3], qs=[1, 3]),
            c("distill_T4", [3.2, -1.0, 0.5, 7.7], [2.9, -0.4, 0.1, 6.0], pf="logits", qf="logits", pt=4.0, qt=4.0),
            c("logp", lq([0.1, 0.4, 0.5]), lq([0.2, 0.3, 0.5]), pf="log", qf="log"),
            c("counts_q", [1.0, 2.0, 3.0], [3.0, 2.0, 1.0], pf="counts", qf="counts"),
        ]
    return out


def run_half(case):
    try:
        run(case)
    except RuntimeError as e:
        case["torch"] = {"error": str(e)}


GRAD_LARGE = 2048
GRAD_SAMPLE = 48


def half_grads(case, r, factor=None):
    """The .grad autograd leaves, as ../gradient/gen.py records them for
    float32 and float64: on input and target (retain_grad), and on q or p
    where that side is logits."""
    dt = DTYPES[case["dtype"]]
    def leaf(s):
        return torch.tensor(s["data"], dtype=dt).reshape(s["shape"]).requires_grad_()
    p, q = leaf(case["p"]), leaf(case["q"])
    qf, pf = case["q"]["form"], case["p"]["form"]
    if qf == "prob":
        inp = torch.log(q)
    elif qf == "log":
        inp = q * 1  # a non-leaf copy, so that input.grad and q.grad are the same tensor's
    elif qf == "logits":
        T = float(case["q"]["t"])
        inp = F.log_softmax(q / T if T != 1 else q, dim=-1)
    else:
        inp = torch.log(q / q.sum(-1, keepdim=True))
    if pf == "counts":
        tgt = p / p.sum(-1, keepdim=True)
    elif pf == "logits":
        T = float(case["p"]["t"])
        tgt = F.log_softmax(p / T if T != 1 else p, dim=-1)
    else:
        tgt = p * 1
    inp.retain_grad()
    tgt.retain_grad()
    loss = F.kl_div(inp, tgt, reduction=r, log_target=pf in ("log", "logits"))
    if factor is not None:
        loss = loss * factor
    if r == "none":
        loss.backward(torch.ones_like(loss))
    else:
        loss.backward()
    out = {"input": inp.grad, "target": tgt.grad}
    if qf == "logits":
        out["q_logits"] = q.grad
    if pf == "logits":
        out["p_logits"] = p.grad
    return out


def grad_record(t, dt):
    flat = [float(x) for x in t.reshape(-1).tolist()]
    rec = {}
    if len(flat) > GRAD_LARGE:
        pos = sorted(random.Random(len(flat)).sample(range(len(flat)), GRAD_SAMPLE))
        rec["sample"] = pos
        rec["bits"] = " ".join(bits(flat[i], dt) for i in pos)
        h = hashlib.sha256()
        for x in flat:
            h.update(struct.pack("<d", math.nan if x != x else x))
        rec["sha256"] = h.hexdigest()
    else:
        rec["bits"] = " ".join(bits(x, dt) for x in flat)
    return rec


def write_half_grads():
    """grad16.jsonl.gz: the gradients of the 16-bit cases, in the format of
    ../gradient/cases.jsonl.gz (which holds float32 and float64), with
    {"error": message} where PyTorch has no float16 kernel."""
    rng = np.random.default_rng(20261204)
    cases = half_named_cases() + [half_case(i, rng, dt) for dt in HALF for i in range(500)]
    cases = [c for c in cases if not any("gen" in s for s in (c["p"], c["q"]))]
    cases += [c for c in nd_cases() if c["dtype"] in HALF]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad16.jsonl.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        head = {"torch": torch.__version__, "threads": torch.get_num_threads(),
                "capability": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l]}
        f.write((json.dumps(head) + "\n").encode())
        for case in cases:
            dt = case["dtype"]
            try:
                case["grad"] = {r: {k: grad_record(v, dt) for k, v in half_grads(case, r).items()} for r in REDUCTIONS}
                p, q = case["p"], case["q"]
                if p["form"] == q["form"] == "logits" and p["t"] == q["t"] and p["t"] not in (1.0, 0.0) and math.isfinite(p["t"]):
                    T = p["t"]
                    for r in REDUCTIONS:
                        case["grad"][r + "*T**2"] = {k: grad_record(v, dt) for k, v in half_grads(case, r, T**2).items()}
            except RuntimeError as e:
                case["grad"] = {}
                case["error"] = str(e)
            for s in (case["p"], case["q"]):
                s["data"] = text(s["data"], dt)
                if "t" in s:
                    s["t"] = repr(float(s["t"]))
            f.write((json.dumps(case, separators=(",", ":")) + "\n").encode())
    print("wrote %d cases to %s" % (len(cases), path))


# The 3-D and 4-D cases: shapes of both operands, P's first. Each pair
# says what it tests; b, h, w, c are drawn per case. They follow every
# other case, from a generator of their own, so that those are unchanged.
ND_SHAPES = [
    ("same3", lambda b, h, w, c: ([b, h, c], [b, h, c])),
    ("same4", lambda b, h, w, c: ([b, h, w, c], [b, h, w, c])),
    ("p21c_q3c", lambda b, h, w, c: ([b, 1, c], [h, c])),         # the brief's (2,1,5) with (3,5) -> (2,3,5)
    ("q21c_p3c", lambda b, h, w, c: ([h, c], [b, 1, c])),
    ("pb1c_q1hc", lambda b, h, w, c: ([b, 1, c], [1, h, c])),     # both broadcast, different dims
    ("p1h1_qbhc", lambda b, h, w, c: ([1, h, 1], [b, h, c])),     # P broadcast over the batch and the classes
    ("pbh1_qbhc", lambda b, h, w, c: ([b, h, 1], [b, h, c])),
    ("pbhc_qb11", lambda b, h, w, c: ([b, h, c], [b, 1, 1])),
    ("pc_qbhc", lambda b, h, w, c: ([c], [b, h, c])),
    ("pbhc_qc", lambda b, h, w, c: ([b, h, c], [c])),
    ("phc_qbhc", lambda b, h, w, c: ([h, c], [b, h, c])),          # batchmean: input.size(0) is b
    ("pbhc_qhc", lambda b, h, w, c: ([b, h, c], [h, c])),          # batchmean divides by h, not b
    ("p111_qbhc", lambda b, h, w, c: ([1, 1, 1], [b, h, c])),
    ("p0d_qbhc", lambda b, h, w, c: ([], [b, h, c])),
    ("pbhwc_qb11c", lambda b, h, w, c: ([h, w, c], [b, 1, 1, c])),
    ("pb1w1_q1h1c", lambda b, h, w, c: ([b, 1, w, 1], [1, h, 1, c])),
    ("p1hw1_qbhwc", lambda b, h, w, c: ([1, h, w, 1], [b, h, w, c])),
    ("pbhwc_q1h1c", lambda b, h, w, c: ([b, h, w, c], [1, h, 1, c])),
    ("pbhwc_qwc", lambda b, h, w, c: ([b, h, w, c], [w, c])),
    ("p1hwc_qb1wc", lambda b, h, w, c: ([1, h, w, c], [b, 1, w, c])),
    ("pb1wc_qbh11", lambda b, h, w, c: ([b, 1, w, c], [b, h, 1, 1])),
    ("empty3", lambda b, h, w, c: ([b, 0, c], [b, 0, c])),
    ("p1hc_qbhc_large", lambda b, h, w, c: ([1, 8, 150], [4, 8, 150])),   # 4800 elements
    ("pbhwc_q1h1c_large", lambda b, h, w, c: ([3, 4, 5, 50], [1, 4, 1, 50])),
    ("pbh1_qbhc_large", lambda b, h, w, c: ([6, 10, 1], [6, 10, 40])),
]


def nd_case(i, rng, dt, name, shp):
    b, h, w = (int(rng.choice([1, 2, 3, 4, 5])) for _ in range(3))
    c = int(rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33]))
    if b == h:
        h += 1  # a batch that broadcasting enlarges shows in the divisor
    ps, qs = shp(b, h, w, c)
    if dt == "float16" and i % 7 != 6:
        pf, qf = ["prob", "counts"][i % 2], "log"
    else:
        pf, qf = FORMS[i % 4], FORMS[(i // 4) % 4]
    kind = rng.choice(["normal", "normal", "peaked", "flat", "tiny", "unnormalised"])
    case = {"id": "n%s%04d_%s" % (dt[:2] if dt in HALF else dt[-2:], i, name), "dtype": dt,
            "p": {"form": pf, "shape": ps, "data": side(rng, pf, ps, kind, dt)},
            "q": {"form": qf, "shape": qs, "data": side(rng, qf, qs, rng.choice(["normal", "peaked", "flat", "tiny"]), dt)}}
    for s in (case["p"], case["q"]):
        if s["form"] == "logits":
            s["t"] = float(rng.choice(TEMPS)) if rng.random() < 0.5 else 1.0
        if rng.random() < 0.2 and s["data"]:
            inject(rng, s["data"], int(rng.integers(1, 4)))
            if dt in HALF and rng.random() < 0.5:
                s["data"][rng.integers(len(s["data"]))] = float(rng.choice(HALF_SPECIALS))
    return case


def nd_cases():
    """The 3-D and 4-D cases, every pair of ND_SHAPES in every dtype, twice
    (with other sizes and forms), with a seed of their own."""
    rng = np.random.default_rng(20261205)
    out = []
    i = 0
    for dt in ("float32", "float64", "bfloat16", "float16"):
        for rep in range(2):
            for name, shp in ND_SHAPES:
                if rep and name.endswith("_large"):
                    continue
                out.append(nd_case(i, rng, dt, name, shp))
                i += 1
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2400
    rng = np.random.default_rng(20261201)
    cases = named_cases() + [make_case(i, rng) for i in range(n)] + large_cases(rng)
    hrng = np.random.default_rng(20261203)
    half = half_named_cases() + [half_case(i, hrng, dt) for dt in HALF for i in range(1200)] + half_large_cases()
    cases += half
    cases += nd_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.jsonl.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        head = {"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(),
                "capability": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l]}
        f.write((json.dumps(head) + "\n").encode())
        for case in cases:
            if case["dtype"] in HALF:
                run_half(case)
            else:
                run(case)
            for s in (case["p"], case["q"]):
                if "gen" in s:
                    del s["data"]
                else:
                    s["data"] = text(s["data"], case["dtype"])
                if "t" in s:
                    s["t"] = repr(float(s["t"]))
            f.write((json.dumps(case, separators=(",", ":")) + "\n").encode())
    print("wrote %d cases to %s" % (len(cases), path))
    write_half_grads()


if __name__ == "__main__":
    main()
