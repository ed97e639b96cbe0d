#!/usr/bin/python3
"""Write cases.jsonl.gz: the per-token KL estimates of package rl and the
numbers each RL framework logs, as reimplementations of each framework's
code compute them with real torch ops (Debian's python3-torch 1.13.1, CPU,
one thread).

The frameworks are not installed; every function below is written from the
framework's source, read at the commit named in its docstring, with torch
1.13 ops in the source's order. The batch is laid out as the frameworks see
it: sequences (grouped by seq id in order of first appearance, tokens in
input order) are rows of a [B, T] tensor, T the longest sequence,
right-padded; padding has log-probability 0.0 on both sides (TRL's PPO
overwrites it with INVALID_LOGPROB = 1.0) and mask False. Plain, CleanRL
and SB3 see the 1-D tensor of counted tokens in input order.

Run from this directory:  /usr/bin/python3 gen.py
The output is deterministic: a seeded random.Random, gzip with mtime=0 and
no file name, and floats written exactly (values as the hex of the IEEE 754
bits of the float64 they convert to, inputs as Python repr).
"""

import gzip
import json
import math
import random
import struct

import torch

torch.set_num_threads(1)

PRESETS = ["plain", "trl-ppo", "trl-grpo", "verl", "openrlhf", "cleanrl", "sb3"]
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def hexf(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def hexl(t):
    return [hexf(v) for v in t.reshape(-1).tolist()]


def layout(n, seq):
    """Rows in order of first appearance of each seq id; tokens in input order."""
    rows, order = {}, []
    for i in range(n):
        s = seq[i] if seq is not None else 0
        if s not in rows:
            rows[s] = []
            order.append(s)
        rows[s].append(i)
    return [rows[s] for s in order]


def padded(values, rows, fill, dt):
    T = max(len(r) for r in rows)
    out = [[fill] * T for _ in rows]
    for b, r in enumerate(rows):
        for t, i in enumerate(r):
            out[b][t] = values[i]
    return torch.tensor(out, dtype=dt)


def padded_mask(mask, rows):
    T = max(len(r) for r in rows)
    out = [[False] * T for _ in rows]
    for b, r in enumerate(rows):
        for t, i in enumerate(r):
            out[b][t] = mask[i]
    return torch.tensor(out, dtype=torch.bool)


def unpad(x, rows, n):
    """Per-token values back in input order."""
    out = [0.0] * n
    for b, r in enumerate(rows):
        for t, i in enumerate(r):
            out[i] = x[b, t].item()
    return out


# --- plain -----------------------------------------------------------------

def plain(logp, ref, est):
    """Schulman, "Approximating KL Divergence" (http://joschu.net/blog/kl-approx.html,
    2020): log r = log π_ref − log π; k1 = −log r, k2 = ½(log r)², k3 = (r − 1) − log r,
    abs = |log r|. Not a framework: no clamp."""
    logr = ref - logp
    if est == "k1":
        return -logr
    if est == "k2":
        return 0.5 * logr.square()
    if est in ("k3", "k3+"):
        return (logr.exp() - 1) - logr
    if est == "abs":
        return logr.abs()


# --- TRL PPO ---------------------------------------------------------------

INVALID_LOGPROB = 1.0


def trl_ppo(logp, ref, padding_mask, est):
    """trl/experimental/ppo/ppo_trainer.py (huggingface/trl@f2cd57710ae345ea6428ae95363267fcf38a3dc8,
    1.10.0.dev0), lines 765-774 and 882:
    logprobs = torch.masked_fill(logprobs, padding_mask, INVALID_LOGPROB) (both tensors);
    logr = ref_logprobs - logprobs;
    kl = -logr if args.kl_estimator == "k1" else (logr.exp() - 1) - logr;
    mean_kl = kl.sum(1).mean()."""
    logp = torch.masked_fill(logp, padding_mask, INVALID_LOGPROB)
    ref = torch.masked_fill(ref, padding_mask, INVALID_LOGPROB)
    logr = ref - logp
    kl = -logr if est == "k1" else (logr.exp() - 1) - logr
    return kl, {"value": kl.sum(1).mean(), "seq": kl.sum(1)}


# --- TRL GRPO --------------------------------------------------------------

def trl_grpo(logp, ref, mask, max_completion_length):
    """trl/trainer/grpo_trainer.py (huggingface/trl@f2cd57710ae345ea6428ae95363267fcf38a3dc8),
    _compute_loss lines 3071-3073 and 3124-3141, and global_masked_mean (3230-3238):
    per_token_kl = torch.exp(ref - logp) - (ref - logp) - 1, then, for the KL term alone,
    grpo: ((x * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).mean();
    bnpo: (x * mask).sum() / mask.sum().clamp(min=1.0);
    dr_grpo: (x * mask).sum() / (x.size(0) * max_completion_length);
    dapo: (x * mask).sum() / (num_items_in_batch.clamp(min=1.0) / num_processes), one process;
    logged "kl": totals[0] / totals[1].clamp(min=1.0) with totals = [(x*mask).sum(), mask.sum().float()]."""
    x = torch.exp(ref - logp) - (ref - logp) - 1
    m = mask.long()
    seq = (x * m).sum(-1) / m.sum(-1).clamp(min=1.0)
    alts = {
        "grpo": seq.mean(),
        "bnpo": (x * m).sum() / m.sum().clamp(min=1.0),
        "dr_grpo": (x * m).sum() / (x.size(0) * max_completion_length),
        "dapo": (x * m).sum() / (m.sum().clamp(min=1.0) / 1),
    }
    totals = torch.stack([(x * m).sum(), m.sum().float()])
    value = totals[0] / totals[1].clamp(min=1.0)
    return x, {"value": value, "seq": seq, "alt": alts}


# --- verl ------------------------------------------------------------------

def verl_kl_penalty_forward(logprob, ref_logprob, kl_penalty):
    """verl/trainer/ppo/core_algos.py kl_penalty_forward
    (volcengine/verl@b178a3cd56f58b2d502255daba591e92833930a7). "k3+" is
    evaluated as "k3": at this commit kl_penalty passes the whole name,
    "k3+", to kl_penalty_forward, which matches no branch and raises
    NotImplementedError; the forward value verl means is k3's."""
    if kl_penalty in ("kl", "k1"):
        return logprob - ref_logprob
    if kl_penalty == "abs":
        return (logprob - ref_logprob).abs()
    if kl_penalty in ("mse", "k2"):
        return 0.5 * (logprob - ref_logprob).square()
    if kl_penalty in ("low_var_kl", "k3", "k3+"):
        kl = ref_logprob - logprob
        kl = torch.clamp(kl, min=-20, max=20)
        ratio = torch.exp(kl)
        kld = (ratio - kl - 1).contiguous()
        return torch.clamp(kld, min=-10, max=10)
    raise NotImplementedError


def verl_masked_sum(values, mask, axis=None):
    """verl/utils/torch_functional.py masked_sum (same commit)."""
    valid_values = torch.where(mask.bool(), values, 0.0)
    if axis is None:
        return (valid_values * mask).sum()
    return (valid_values * mask).sum(axis=axis)


def verl_masked_mean(values, mask, axis=None):
    """verl/utils/torch_functional.py masked_mean (same commit)."""
    s = verl_masked_sum(values, mask, axis)
    return s / (mask.sum(axis=axis) + 1e-8)


def verl(logp, ref, mask, est):
    """verl/trainer/ppo/ray_trainer.py apply_kl_penalty (same commit):
    kld = kl_penalty(...) * response_mask;
    current_kl = torch.mean(masked_mean(kld, mask=response_mask, axis=-1), dim=0);
    and core_algos.py agg_loss "token-mean" with batch_num_tokens None, dp_size 1:
    masked_sum(loss_mat, loss_mask) / loss_mask.sum() * 1."""
    m = mask.long()
    kld = verl_kl_penalty_forward(logp, ref, est)
    seq = verl_masked_mean(kld * m, mask=m, axis=-1)
    value = torch.mean(seq, dim=0)
    token_mean = verl_masked_sum(kld, m) / m.sum() * 1
    return kld, {"value": value, "seq": seq, "alt": {"token-mean": token_mean}}


# --- OpenRLHF --------------------------------------------------------------

def openrlhf_compute_approx_kl(log_probs, log_probs_base, kl_estimator):
    """openrlhf/models/utils.py compute_approx_kl
    (OpenRLHF/OpenRLHF@3c3be6234e0cb353e76bb8019947db9dfe99fca7, version.txt 0.11.0)."""
    log_ratio = log_probs.float() - log_probs_base.float()
    if kl_estimator == "k1":
        pass
    elif kl_estimator == "k2":
        log_ratio = log_ratio**2 / 2.0
    elif kl_estimator == "k3":
        log_ratio = (-log_ratio).exp() - 1 + log_ratio
    return log_ratio.clamp(min=-10, max=10)


def openrlhf(logp, ref, mask, est):
    """openrlhf/trainer/ppo_utils/experience_maker.py lines 206-226 (same commit):
    kl_mean = masked_mean(kl, action_mask, dim=-1), masked_mean being
    (tensor * mask).sum(dim) / mask.sum(dim) (models/utils.py); the batch value is
    the mean of samples.info["kl"] over sequences; models/loss.py aggregate_loss
    token_level_loss=True, batch_num_tokens None: masked_mean(loss, mask, dim=None)."""
    kl = openrlhf_compute_approx_kl(logp, ref, est)
    seq = (kl * mask).sum(dim=-1) / mask.sum(dim=-1)
    value = seq.mean()
    token_mean = (kl * mask).sum(dim=None) / mask.sum(dim=None)
    return kl, {"value": value, "seq": seq, "alt": {"token-mean": token_mean}}


# --- CleanRL and SB3 -------------------------------------------------------

def cleanrl(newlogprob, b_logprobs, est):
    """cleanrl/ppo.py lines 251-257 (vwxyzjn/cleanrl@fe8d8a03c41a7ef5b523e2e354bd01c363e786bb):
    logratio = newlogprob - b_logprobs; ratio = logratio.exp();
    old_approx_kl = (-logratio).mean(); approx_kl = ((ratio - 1) - logratio).mean()."""
    logratio = newlogprob - b_logprobs
    ratio = logratio.exp()
    x = -logratio if est == "k1" else (ratio - 1) - logratio
    return x, {"value": x.mean()}


def sb3(log_prob, old_log_prob):
    """stable_baselines3/ppo/ppo.py lines 263-264 (DLR-RM/stable-baselines3@e05d2dbe6eda0acd0ef2e316e3e4065677add3eb,
    2.9.0a4): log_ratio = log_prob - old_log_prob;
    approx_kl_div = th.mean((th.exp(log_ratio) - 1) - log_ratio)."""
    log_ratio = log_prob - old_log_prob
    x = (torch.exp(log_ratio) - 1) - log_ratio
    return x, {"value": torch.mean(x)}


SUPPORTED = {
    "plain": ["k1", "k2", "k3", "abs", "k3+"],
    "trl-ppo": ["k1", "k3"],
    "trl-grpo": ["k3"],
    "verl": ["k1", "k2", "k3", "abs", "k3+"],
    "openrlhf": ["k1", "k2", "k3"],
    "cleanrl": ["k1", "k3"],
    "sb3": ["k3"],
}
VERL_NAME = {"k1": "kl", "k2": "mse", "k3": "low_var_kl", "abs": "abs", "k3+": "k3+"}


def compute_all(logp, ref, mask, seq, dtype, max_len):
    dt = DTYPES[dtype]
    n = len(logp)
    if mask is None:
        mask_l = [True] * n
    else:
        mask_l = mask
    rows = layout(n, seq)
    P = padded(logp, rows, 0.0, dt)
    R = padded(ref, rows, 0.0, dt)
    M = padded_mask(mask_l, rows)
    L = max_len if max_len > 0 else P.size(1)
    lp1 = torch.tensor(logp, dtype=dt)
    rf1 = torch.tensor(ref, dtype=dt)
    m1 = torch.tensor(mask_l, dtype=torch.bool)
    out = {}
    for p in PRESETS:
        for est in SUPPORTED[p]:
            key = p + "." + est
            if p == "plain":
                tok = plain(lp1, rf1, est)
                sel = tok[m1]
                red = {"value": sel.mean()}
                seqv = torch.stack([tok[torch.tensor(r)][m1[torch.tensor(r)]].mean() for r in rows])
                red["seq"] = seqv
                tokens = tok.tolist()
            elif p in ("cleanrl", "sb3"):
                full = cleanrl(lp1, rf1, est)[0] if p == "cleanrl" else sb3(lp1, rf1)[0]
                sel_lp, sel_rf = lp1[m1], rf1[m1]
                _, red = cleanrl(sel_lp, sel_rf, est) if p == "cleanrl" else sb3(sel_lp, sel_rf)
                red["seq"] = torch.stack([full[torch.tensor(r)][m1[torch.tensor(r)]].mean() for r in rows])
                tokens = full.tolist()
            else:
                if p == "trl-ppo":
                    tok, red = trl_ppo(P, R, ~M, est)
                elif p == "trl-grpo":
                    tok, red = trl_grpo(P, R, M, L)
                elif p == "verl":
                    tok, red = verl(P, R, M, VERL_NAME[est])
                else:
                    tok, red = openrlhf(P, R, M, est)
                tokens = unpad(tok, rows, n)
            w = {"token": [hexf(v) for v in tokens], "seq": hexl(red["seq"]), "value": hexf(red["value"].item())}
            for a, v in red.get("alt", {}).items():
                w[a] = hexf(v.item())
            out[key] = w
    return out


def case(name, logp, ref, mask=None, seq=None, dtype="float64", max_len=0):
    return {
        "name": name,
        "logp": [repr(float(v)) for v in logp],
        "ref": [repr(float(v)) for v in ref],
        "mask": mask,
        "seq": seq,
        "dtype": dtype,
        "max_len": max_len,
        "want": compute_all(logp, ref, mask, seq, dtype, max_len),
    }


def named_cases():
    inf, nan = float("inf"), float("nan")
    for dt in DTYPES:
        yield case("single_" + dt, [-1.5], [-2.0], dtype=dt)
        yield case("identical_" + dt, [-0.5, -3.0, -12.0], [-0.5, -3.0, -12.0], dtype=dt)
        # π and π_ref close: k1 = log π − log π_ref is negative on about half the tokens.
        rnd = random.Random(7)
        lp = [round(-rnd.uniform(0.5, 8.0), 4) for _ in range(40)]
        yield case("k1_negative_half_" + dt, lp, [round(v + rnd.gauss(0, 0.05), 4) for v in lp], dtype=dt)
        yield case("extreme_" + dt, [-1.0] * 8, [29.0, -31.0, 99.0, -101.0, 999.0, -1001.0, -21.0, 19.0], dtype=dt)
        yield case("clamp_edges_" + dt, [0.0] * 6, [20.0, -20.0, 3.0, -3.0, 2.5, -11.0], dtype=dt)
        yield case("special_" + dt, [-1.0, inf, -inf, nan, -inf, -2.0, -inf, 3.0],
                   [inf, -1.0, -1.0, -1.0, -inf, nan, inf, -inf], dtype=dt)
        yield case("all_masked_" + dt, [-1.0, -2.0, -3.0], [-1.5, -2.5, -0.5], [False] * 3, [0, 0, 1], dtype=dt)
        yield case("masked_nan_" + dt, [-1.0, nan, -3.0, -inf], [-1.5, -2.5, -0.5, -1.0],
                   [True, False, True, False], [0, 0, 1, 1], dtype=dt)
        yield case("interleaved_" + dt, [-1.0, -2.0, -3.0, -4.0, -5.0], [-1.1, -2.5, -2.0, -4.4, -5.9],
                   None, [3, 1, 3, 2, 1], dtype=dt, max_len=8)


def random_cases(rnd, n):
    for k in range(n):
        dtype = "float32" if k % 2 == 0 else "float64"
        B = rnd.randint(1, 6)
        lens = [rnd.randint(1, 40) for _ in range(B)]
        N = sum(lens)
        kind = rnd.choice(["close", "typical", "wide", "extreme"])
        logp = [-rnd.uniform(0.5, 15.0) for _ in range(N)]
        if kind == "close":
            ref = [v + rnd.gauss(0, 0.01) for v in logp]
        elif kind == "typical":
            ref = [v + rnd.gauss(0, 0.5) for v in logp]
        elif kind == "wide":
            ref = [-rnd.uniform(0.5, 15.0) for _ in range(N)]
        else:
            ref = [v + rnd.choice([-1000, -100, -30, -25, -15, 15, 25, 30, 100, 1000]) * rnd.random() for v in logp]
        if rnd.random() < 0.2:
            for _ in range(rnd.randint(1, 3)):
                i = rnd.randrange(N)
                v = rnd.choice([float("inf"), float("-inf"), float("nan")])
                if rnd.random() < 0.5:
                    logp[i] = v
                else:
                    ref[i] = v
        logp = [v if math.isinf(v) or math.isnan(v) else float(repr(round(v, 6))) for v in logp]
        ref = [v if math.isinf(v) or math.isnan(v) else float(repr(round(v, 6))) for v in ref]
        seq = [b for b in range(B) for _ in range(lens[b])]
        if rnd.random() < 0.3:
            rnd.shuffle(seq)
        if B == 1 and rnd.random() < 0.5:
            seq = None
        mk = rnd.random()
        if mk < 0.3:
            mask = None
        elif mk < 0.35:
            mask = [False] * N
        else:
            mask = [rnd.random() < 0.8 for _ in range(N)]
        max_len = rnd.choice([0, 0, 64])
        yield case("rand%03d_%s_B%d_%s" % (k, kind, B, dtype), logp, ref, mask, seq, dtype, max_len)


def main():
    rnd = random.Random(20240612)
    cases = list(named_cases()) + list(random_cases(rnd, 160))
    header = {
        "generator": "compute/rl/testdata/gen.py",
        "torch": torch.__version__,
        "presets": PRESETS,
        "cases": len(cases),
    }
    with open("cases.jsonl.gz", "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as z:
            z.write((json.dumps(header, sort_keys=True) + "\n").encode())
            for c in cases:
                z.write((json.dumps(c, sort_keys=True) + "\n").encode())
    print("wrote %d cases" % len(cases))


if __name__ == "__main__":
    main()
