#!/usr/bin/python3
"""Write cases.jsonl.gz: the distillation losses of package distill, as
reimplementations of each library's function compute them with real torch
ops (Debian's python3-torch 1.13.1), in float64.

The libraries themselves are not installed; every function below is written
from the library's source, read at the commit named in its docstring, with
torch 1.13 ops. Each follows the source's operations in its order; the only
change is the dtype (float64, where torchtune asks for float32).

Run from this directory:  /usr/bin/python3 gen.py
The output is deterministic: a seeded random.Random, gzip with mtime=0 and
no file name, and floats written exactly (values as the hex of their IEEE
754 bits, inputs as Python repr, which Go's strconv.ParseFloat reads back
to the same double).
"""

import gzip
import json
import math
import random
import struct

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
DT = torch.float64

FLAVORS = ["kl_div", "hinton", "torchtune-fkl", "torchtune-rkl", "gkd",
           "masked-fkl", "masked-rkl"]


def kl_div(student_logits, teacher_logits, T):
    """PyTorch 1.13.1 torch/nn/functional.py kl_div, as distillation code
    calls it:
    F.kl_div(log_softmax(s/T), log_softmax(t/T), reduction='batchmean',
    log_target=True), which is sum / input.size(0) (size(0) = V for a 1-D
    row)."""
    s = F.log_softmax(student_logits / T, dim=-1)
    t = F.log_softmax(teacher_logits / T, dim=-1)
    return F.kl_div(s, t, reduction="batchmean", log_target=True)


def hinton(student_logits, teacher_logits, T):
    """Hinton, Vinyals & Dean 2015 (arXiv:1503.02531): the soft-target
    loss multiplied by T**2."""
    return kl_div(student_logits, teacher_logits, T) * T**2


def torchtune_forward_kl(student_logits, teacher_logits, labels, ignore_index=-100):
    """torchtune torchtune/modules/loss/kd_losses.py ForwardKLLoss.forward
    (normalize=True), read at pytorch/torchtune@bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1
    (version.txt 0.7.0; the class is unchanged since v0.6.1).
    dtype=torch.float32 is replaced by float64."""
    teacher_prob = F.softmax(teacher_logits, dim=-1, dtype=DT)
    inf_mask = torch.isinf(student_logits)
    student_logprob = F.log_softmax(student_logits, dim=-1, dtype=DT)
    prod_probs = torch.masked_fill(teacher_prob * student_logprob, inf_mask, 0)
    x = torch.sum(prod_probs, dim=-1).view(-1)
    mask = (labels != ignore_index).int()
    sum_masks = torch.sum(mask.view(-1), dim=0)
    if sum_masks == 0:
        return torch.tensor(0.0, dtype=DT)
    return -torch.sum(x * mask.view(-1), dim=0) / torch.sum(mask.view(-1), dim=0)


def teacher_entropy(teacher_logits, labels, ignore_index=-100):
    """Not a library function: the teacher entropy H(p_t) per counted token
    that torchtune's ForwardKLLoss includes (torch.special.entr has
    entr(0) = 0); 0 when nothing is counted."""
    mask = labels != ignore_index
    if mask.sum() == 0:
        return torch.tensor(0.0, dtype=DT)
    p = F.softmax(teacher_logits, dim=-1, dtype=DT)
    return torch.special.entr(p).sum(-1)[mask].sum() / mask.sum()


def torchtune_reverse_kl(student_logits, teacher_logits, labels, ignore_index=-100):
    """torchtune torchtune/modules/loss/kd_losses.py ReverseKLLoss.forward
    (normalize=True), read at pytorch/torchtune@bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1
    (version.txt 0.7.0; unchanged since v0.6.1). float32 replaced by float64."""
    student_prob = F.softmax(student_logits, dim=-1, dtype=DT)
    student_logprob = F.log_softmax(student_logits, dim=-1, dtype=DT)
    teacher_logprob = F.log_softmax(teacher_logits, dim=-1, dtype=DT)
    inf_mask = torch.isinf(student_logits) | torch.isinf(teacher_logits)
    prod_probs = torch.masked_fill(student_prob * teacher_logprob, inf_mask, 0)
    prod_probs -= torch.masked_fill(student_prob * student_logprob, inf_mask, 0)
    x = torch.sum(prod_probs, dim=-1).view(-1)
    mask = (labels != ignore_index).int()
    if torch.sum(mask.view(-1), dim=0) == 0:
        return torch.tensor(0.0, dtype=DT)
    return -torch.sum(x * mask.view(-1), dim=0) / torch.sum(mask.view(-1), dim=0)


def trl_generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5,
                        temperature=1.0):
    """TRL trl/experimental/gkd/gkd_trainer.py GKDTrainer.generalized_jsd_loss
    with reduction='batchmean' and num_items_in_batch=None, read at
    huggingface/trl@f2cd57710ae345ea6428ae95363267fcf38a3dc8 (VERSION
    1.10.0.dev0; the function is the same in v1.9.0)."""
    student_logits = student_logits / temperature
    teacher_logits = teacher_logits / temperature
    student_log_probs = F.log_softmax(student_logits, dim=-1)
    teacher_log_probs = F.log_softmax(teacher_logits, dim=-1)
    if beta == 0:
        jsd = F.kl_div(student_log_probs, teacher_log_probs, reduction="none", log_target=True)
    elif beta == 1:
        jsd = F.kl_div(teacher_log_probs, student_log_probs, reduction="none", log_target=True)
    else:
        beta = torch.tensor(beta, dtype=student_log_probs.dtype)
        mixture_log_probs = torch.logsumexp(
            torch.stack([student_log_probs + torch.log1p(-beta),
                         teacher_log_probs + torch.log(beta)]),
            dim=0,
        )
        kl_teacher = F.kl_div(mixture_log_probs, teacher_log_probs, reduction="none", log_target=True)
        kl_student = F.kl_div(mixture_log_probs, student_log_probs, reduction="none", log_target=True)
        jsd = beta * kl_teacher + (1 - beta) * kl_student
    if labels is not None:
        mask = labels != -100
        jsd = jsd[mask]
    denom = mask.sum().clamp_min(1) if labels is not None else max(jsd.size(0), 1)
    return jsd.sum() / denom


def masked_kl(student_logits, teacher_logits, labels, T, reverse):
    """Plain PyTorch 1.13.1 (torch/nn/functional.py kl_div) with
    ignore_index=-100: per-token KL with reduction='none', log_target=True,
    summed over the classes, then kl[mask].sum() / mask.sum()."""
    s = F.log_softmax(student_logits / T, dim=-1)
    t = F.log_softmax(teacher_logits / T, dim=-1)
    if reverse:
        kl = F.kl_div(t, s, reduction="none", log_target=True).sum(-1)
    else:
        kl = F.kl_div(s, t, reduction="none", log_target=True).sum(-1)
    mask = labels != -100
    return kl[mask].sum() / mask.sum()


def all_flavors(teacher, student, mask, beta, T):
    """Every flavour on one case. A [V] row is one token for the masked
    flavours, so they see it as [1, V]; a nil mask counts every row."""
    t = torch.tensor(teacher, dtype=DT)
    s = torch.tensor(student, dtype=DT)
    t2, s2 = (t.unsqueeze(0), s.unsqueeze(0)) if t.dim() == 1 else (t, s)
    rows = t2.shape[0]
    m = mask if mask is not None else [True] * rows
    labels = torch.tensor([0 if c else -100 for c in m], dtype=torch.long)
    ts, ss = t2 / T, s2 / T  # the logits a recipe passes torchtune
    out = {
        "kl_div": kl_div(s, t, T),
        "hinton": hinton(s, t, T),
        "torchtune-fkl": torchtune_forward_kl(ss, ts, labels),
        "torchtune-rkl": torchtune_reverse_kl(ss, ts, labels),
        "gkd": trl_generalized_jsd(s2, t2, labels, beta=beta, temperature=T),
        "masked-fkl": masked_kl(s2, t2, labels, T, reverse=False),
        "masked-rkl": masked_kl(s2, t2, labels, T, reverse=True),
    }
    want = {k: hexbits(v.item()) for k, v in out.items()}
    want["torchtune-fkl.entropy"] = hexbits(teacher_entropy(ts, labels).item())
    return want


def hexbits(x):
    return struct.pack(">d", x).hex()


def flat(x):
    if isinstance(x, list):
        return [flat(v) for v in x]
    return repr(float(x))


def case(name, teacher, student, mask, beta, T):
    shape = [len(teacher)] if not teacher or not isinstance(teacher[0], list) else [len(teacher), len(teacher[0])]
    return {
        "name": name,
        "shape": shape,
        "teacher": flat(teacher),
        "student": flat(student),
        "mask": mask,
        "beta": repr(float(beta)),
        "T": repr(float(T)),
        "want": all_flavors(teacher, student, mask, beta, T),
    }


def named_cases():
    classic_t = [3.2, -1.0, 0.5, 7.7]
    classic_s = [2.9, -0.4, 0.1, 6.0]
    ninf = float("-inf")
    yield case("classic_T4_1d", classic_t, classic_s, None, 0.5, 4.0)
    yield case("classic_T4_2d", [classic_t], [classic_s], None, 0.5, 4.0)
    yield case("classic_T1_beta0", [classic_t], [classic_s], [True], 0.0, 1.0)
    yield case("classic_T1_beta1", [classic_t], [classic_s], [True], 1.0, 1.0)
    yield case("identical", [classic_t, classic_s], [classic_t, classic_s], None, 0.5, 2.0)
    yield case("all_masked", [classic_t, classic_s], [classic_s, classic_t], [False, False], 0.5, 1.0)
    yield case("all_masked_nan_row", [classic_t, [float("nan")] * 4], [classic_s, classic_t],
               [False, False], 0.5, 1.0)
    yield case("masked_nan_row", [classic_t, [float("nan")] * 4], [classic_s, classic_t],
               [True, False], 0.1, 1.0)
    yield case("student_ninf", [classic_t], [[2.9, ninf, 0.1, 6.0]], None, 0.5, 1.0)
    yield case("student_ninf_beta0", [classic_t], [[2.9, ninf, 0.1, 6.0]], None, 0.0, 1.0)
    yield case("teacher_ninf", [[3.2, ninf, 0.5, 7.7]], [classic_s], None, 0.5, 1.0)
    yield case("teacher_ninf_beta1", [[3.2, ninf, 0.5, 7.7]], [classic_s], None, 1.0, 1.0)
    yield case("both_ninf_same", [[3.2, ninf, 0.5, 7.7]], [[2.9, ninf, 0.1, 6.0]], None, 0.5, 2.0)
    yield case("student_all_ninf", [classic_t], [[ninf] * 4], None, 0.5, 1.0)
    yield case("student_pinf", [classic_t], [[2.9, float("inf"), 0.1, 6.0]], None, 0.5, 1.0)
    yield case("teacher_nan", [[3.2, float("nan"), 0.5, 7.7]], [classic_s], None, 0.9, 1.0)
    yield case("T0", [classic_t], [classic_s], None, 0.5, 0.0)
    yield case("T_negative", [classic_t], [classic_s], None, 0.5, -1.0)
    yield case("big_offset", [[1000.0, 990.0, 1001.0]], [[-1000.0, -1010.0, -999.5]], None, 0.5, 1.0)
    yield case("wide_range", [[0.0, -700.0, 50.0]], [[10.0, -800.0, 0.0]], None, 0.5, 0.5)
    yield case("V2", [[0.0, 1.0]], [[1.0, 0.0]], None, 0.5, 1.0)
    yield case("V1", [[0.3], [1.7]], [[-2.0], [5.0]], [True, True], 0.5, 1.0)


def random_cases(rnd, n):
    Vs = [2, 3, 5, 8, 16, 37, 64, 100, 257, 300]
    for k in range(n):
        V = rnd.choice(Vs)
        one_d = rnd.random() < 0.25
        N = 1 if one_d else rnd.randint(1, 8 if V < 100 else 3)
        kind = rnd.choice(["normal", "peaked", "flat", "close", "offset"])
        scale = {"normal": 2.0, "peaked": 10.0, "flat": 0.05, "close": 2.0, "offset": 3.0}[kind]

        def logits():  # 5 decimals keep the file small; any double would do
            return [[round(rnd.gauss(0.0, scale), 5) for _ in range(V)] for _ in range(N)]

        t = logits()
        if kind == "close":  # a student near its teacher: the KL cancels
            s = [[round(v + rnd.gauss(0.0, 0.01), 5) for v in row] for row in t]
        else:
            s = logits()
        if kind == "offset":
            t = [[v + 500.0 for v in row] for row in t]
            s = [[v - 300.0 for v in row] for row in s]
        inj = rnd.random()
        if inj < 0.25:  # −inf logits (zero probability)
            where = rnd.choice(["teacher", "student", "both-same", "both-apart"])
            for r in range(N):
                if rnd.random() < 0.5:
                    continue
                i, j = rnd.randrange(V), rnd.randrange(V)
                if where in ("teacher", "both-same", "both-apart"):
                    t[r][i] = float("-inf")
                if where == "student" or where == "both-same":
                    s[r][i] = float("-inf")
                if where == "both-apart":
                    s[r][j] = float("-inf")
        mk = rnd.random()
        if mk < 0.3:
            mask = None
        elif mk < 0.4:
            mask = [True] * N
        elif mk < 0.5:
            mask = [False] * N
        else:
            mask = [rnd.random() < 0.6 for _ in range(N)]
        beta = rnd.choice([0.0, 0.1, 0.5, 0.9, 1.0])
        T = rnd.choice([1.0, 2.0, 4.0, 0.5])
        if one_d:
            t, s = t[0], s[0]
        yield case("rand%03d_%s_%s" % (k, kind, "1d" if one_d else "N%d" % N), t, s, mask, beta, T)


def main():
    rnd = random.Random(20240611)
    cases = list(named_cases()) + list(random_cases(rnd, 360))
    header = {
        "generator": "compute/distill/testdata/gen.py",
        "torch": torch.__version__,
        "dtype": "float64",
        "flavors": FLAVORS,
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
