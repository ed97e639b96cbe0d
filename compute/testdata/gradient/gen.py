#!/usr/bin/python3
"""Writes cases.jsonl.gz: the gradients PyTorch's autograd sends back
through F.kl_div, for the inputs of the value oracle (../oracle/gen.py,
whose case families this imports). Run it with Debian's /usr/bin/python3
(python3-torch 1.13.1):  make oracle

Each case is built as the calculator's snippet writes it (app/snippet.go),
with every tensor the page shows a gradient for kept by retain_grad():

    q (leaf) -> input  = log(q) | q | log_softmax(q / T) | log(q / q.sum(-1))
    p (leaf) -> target = p      | p | log_softmax(p / T) | p / p.sum(-1)
    loss = F.kl_div(input, target, reduction=r, log_target=P is log or logits)
    loss.backward()                      (r = 'none': loss.backward(ones_like(loss)))

and records, per reduction, input.grad and target.grad, and q.grad (p.grad)
where that side is logits: the gradient to the logits through
log_softmax(z / T). Values are the bits of each gradient element in the
case's dtype, in hex. A case with both sides logits at one temperature
T != 1 also records, as reduction "<r>*T**2", the gradients of
(loss * T**2).backward(), Hinton's scaled soft loss. A gradient of more than LARGE elements keeps a sample
of SAMPLE positions and a SHA-256 of all its bits (as float64), as the
value oracle does.
"""
import gzip, hashlib, json, math, os, random, struct, sys, warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "oracle"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import numpy as np
import torch
import torch.nn.functional as F

import gen as oracle  # ../oracle/gen.py: the case families and their text format

torch.set_num_threads(1)
warnings.simplefilter("ignore")

LARGE = 2048
SAMPLE = 48
REDUCTIONS = ["sum", "mean", "batchmean", "none"]


def grads(case, r, factor=None):
    dt = oracle.DTYPES[case["dtype"]]
    def leaf(s):
        vals = s["data"] if isinstance(s["data"], list) else [float(v) for v in s["data"].split()]
        return torch.tensor(vals, dtype=dt).reshape(s["shape"]).requires_grad_()
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
        loss = loss * factor  # Hinton's T**2, a Python float
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


def record(t, dt):
    flat = [float(x) for x in t.reshape(-1).tolist()]
    rec = {}
    if len(flat) > LARGE:
        pos = sorted(random.Random(len(flat)).sample(range(len(flat)), SAMPLE))
        rec["sample"] = pos
        rec["bits"] = " ".join(oracle.bits(flat[i], dt) for i in pos)
        h = hashlib.sha256()
        for x in flat:
            h.update(struct.pack("<d", x))
        rec["sha256"] = h.hexdigest()
    else:
        rec["bits"] = " ".join(oracle.bits(x, dt) for x in flat)
    return rec


def t2_temperature(case):
    """The T of a distillation case, both sides logits at one finite T != 1,
    whose gradients are also recorded for (loss * T**2).backward()."""
    p, q = case["p"], case["q"]
    if p["form"] != "logits" or q["form"] != "logits":
        return None
    T = float(p["t"])
    if T != float(q["t"]) or T == 1 or not math.isfinite(T) or T == 0:
        return None
    return T


def distill_cases(rng):
    """Teacher and student logits at one temperature, the setting of the T**2
    switch: shapes [C] and [N, C], float32 and float64."""
    out = []
    for i in range(48):
        dt = "float32" if i % 2 == 0 else "float64"
        c = int(rng.choice([2, 5, 10, 33]))
        shape = [c] if i % 3 == 0 else [int(rng.choice([2, 4])), c]
        T = float(rng.choice([2.0, 4.0, 10.0, 0.5, 20.0]))
        case = {"id": "d%02d" % i, "dtype": dt,
                "p": {"form": "logits", "shape": shape, "data": oracle.side(rng, "logits", shape, "normal", dt), "t": T},
                "q": {"form": "logits", "shape": shape, "data": oracle.side(rng, "logits", shape, "normal", dt), "t": T}}
        out.append(case)
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
    rng = np.random.default_rng(20261202)
    cases = oracle.named_cases() + [oracle.make_case(i, rng) for i in range(n)] + distill_cases(rng)
    cases += [c for c in oracle.large_cases(rng) if c["id"] in ("L32000f32", "L32000f64", "L4097f32", "L4097f64")]
    cases += [c for c in oracle.nd_cases() if c["dtype"] not in oracle.HALF]  # 3-D and 4-D, appended
    path = os.path.join(HERE, "cases.jsonl.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        head = {"torch": torch.__version__, "threads": torch.get_num_threads(),
                "capability": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l]}
        f.write((json.dumps(head) + "\n").encode())
        for case in cases:
            case["grad"] = {r: {k: record(v, case["dtype"]) for k, v in grads(case, r).items()} for r in REDUCTIONS}
            T = t2_temperature(case)
            if T is not None:
                for r in REDUCTIONS:
                    case["grad"][r + "*T**2"] = {k: record(v, case["dtype"]) for k, v in grads(case, r, T**2).items()}
            for s in (case["p"], case["q"]):
                if "gen" in s:
                    del s["data"]
                elif isinstance(s["data"], list):
                    s["data"] = oracle.text(s["data"], case["dtype"])
                if "t" in s:
                    s["t"] = repr(float(s["t"]))
            f.write((json.dumps(case, separators=(",", ":")) + "\n").encode())
    print("wrote %d cases to %s" % (len(cases), path))


if __name__ == "__main__":
    main()
