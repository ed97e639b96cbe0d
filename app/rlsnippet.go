package app

import (
	"strings"

	"github.com/klcalc/klcalc/compute/rl"
)

// rlSnippet is a runnable PyTorch program that computes the preset's
// logged value of each estimator from the columns, laid out as the
// framework sees them: one row per sequence, right-padded.
func rlSnippet(p rl.Preset, in rl.Input, res *rl.Result) string {
	var w pyWriter
	w.line("# %s: %s", rlPresetName(p.String()), p.Direction())
	w.line("# %s", p.Source())
	w.line("import torch")
	w.line("")
	dt := "torch." + in.DType.String()
	n := len(in.LogP)
	mask := in.Mask
	if mask == nil {
		mask = make([]bool, n)
		for i := range mask {
			mask[i] = true
		}
	}
	// Rows: the sequences in order of first appearance, tokens in order.
	var order []int
	rows := map[int][]int{}
	for i := 0; i < n; i++ {
		id := 0
		if in.Seq != nil {
			id = in.Seq[i]
		}
		if _, ok := rows[id]; !ok {
			order = append(order, id)
		}
		rows[id] = append(rows[id], i)
	}
	T := 0
	for _, id := range order {
		T = max(T, len(rows[id]))
	}
	pad := func(vals []float64, fill string) string {
		var b strings.Builder
		b.WriteString("[")
		for r, id := range order {
			if r > 0 {
				b.WriteString(",\n    ")
			}
			b.WriteString("[")
			for t := 0; t < T; t++ {
				if t > 0 {
					b.WriteString(", ")
				}
				if t < len(rows[id]) {
					b.WriteString(pyFloat(vals[rows[id][t]]))
				} else {
					b.WriteString(fill)
				}
			}
			b.WriteString("]")
		}
		b.WriteString("]")
		return b.String()
	}
	var mb strings.Builder
	mb.WriteString("[")
	for r, id := range order {
		if r > 0 {
			mb.WriteString(", ")
		}
		mb.WriteString("[")
		for t := 0; t < T; t++ {
			if t > 0 {
				mb.WriteString(", ")
			}
			if t < len(rows[id]) && mask[rows[id][t]] {
				mb.WriteString("True")
			} else {
				mb.WriteString("False")
			}
		}
		mb.WriteString("]")
	}
	mb.WriteString("]")
	w.line("# One row per sequence, right-padded with 0.0 and mask False, as the trainers batch them.")
	w.line("logp = torch.tensor(%s, dtype=%s)  # log pi(x)", pad(in.LogP, "0.0"), dt)
	w.line("ref = torch.tensor(%s, dtype=%s)  # log pi_ref(x)", pad(in.LogRef, "0.0"), dt)
	w.line("mask = torch.tensor(%s)", mb.String())
	w.line("")
	for _, e := range res.Estimates {
		est := e.Estimator.String()
		w.line("# %s", est)
		switch p {
		case rl.Plain:
			w.line("logr = ref - logp")
			w.line("x = %s", map[string]string{"k1": "-logr", "k2": "0.5 * logr.square()", "k3": "(logr.exp() - 1) - logr", "k3+": "(logr.exp() - 1) - logr", "abs": "logr.abs()"}[est])
			w.line("print(%q, x[mask].mean().item())", est)
		case rl.TRLPPO:
			w.line("lp = torch.masked_fill(logp, ~mask, 1.0)  # INVALID_LOGPROB")
			w.line("rf = torch.masked_fill(ref, ~mask, 1.0)")
			w.line("logr = rf - lp")
			w.line("kl = %s", map[string]string{"k1": "-logr", "k3": "(logr.exp() - 1) - logr"}[est])
			w.line("print(%q, kl.sum(1).mean().item())  # mean over sequences of each sequence's sum", est)
		case rl.TRLGRPO:
			w.line("x = torch.exp(ref - logp) - (ref - logp) - 1")
			w.line("m = mask.long()")
			w.line("totals = torch.stack([(x * m).sum(), m.sum().float()])")
			w.line("print(%q, (totals[0] / totals[1].clamp(min=1.0)).item())  # the logged \"kl\": a token mean", est)
		case rl.Verl:
			switch est {
			case "k1":
				w.line("kld = logp - ref")
			case "abs":
				w.line("kld = (logp - ref).abs()")
			case "k2":
				w.line("kld = 0.5 * (logp - ref).square()")
			default:
				w.line("kl = torch.clamp(ref - logp, min=-20, max=20)")
				w.line("kld = torch.clamp(torch.exp(kl) - kl - 1, min=-10, max=10)  # low_var_kl")
			}
			w.line("m = mask.long()")
			w.line("kld = kld * m")
			w.line("seq = (torch.where(m.bool(), kld * m, 0.0) * m).sum(axis=-1) / (m.sum(axis=-1) + 1e-8)")
			w.line("print(%q, torch.mean(seq, dim=0).item())  # apply_kl_penalty's current_kl", est)
		case rl.OpenRLHF:
			w.line("log_ratio = logp.float() - ref.float()")
			switch est {
			case "k2":
				w.line("log_ratio = log_ratio**2 / 2.0")
			case "k3":
				w.line("log_ratio = (-log_ratio).exp() - 1 + log_ratio")
			}
			w.line("kl = log_ratio.clamp(min=-10, max=10)")
			w.line("print(%q, ((kl * mask).sum(dim=-1) / mask.sum(dim=-1)).mean().item())", est)
		case rl.CleanRL, rl.SB3:
			w.line("logratio = logp[mask] - ref[mask]  # log pi_new - log pi_old over the counted tokens")
			if est == "k1" {
				w.line("print(%q, (-logratio).mean().item())  # old_approx_kl", est)
			} else {
				w.line("print(%q, ((logratio.exp() - 1) - logratio).mean().item())  # approx_kl", est)
			}
		}
		w.line("")
	}
	return strings.TrimRight(w.String(), "\n") + "\n"
}
