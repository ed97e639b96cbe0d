package app

import (
	"math"

	"github.com/klcalc/klcalc/compute"
)

// snippet is a complete Python program computing the same divergence
// with PyTorch, in float64, the precision of the calculator. Only parsed
// numbers reach it, never the text of a field.
func (in gaussInput) snippet(total float64) string {
	var w pyWriter
	n := 4 * len(in.p)
	if in.c == gaussVAE {
		n = 2 * len(in.mu) * len(in.mu[0])
	}
	tooMany := n > gaussMaxSnippetValues
	switch in.c {
	case gaussVAE:
		w.line("# The KL term of a VAE, as pytorch/examples vae/main.py (loss_function) computes it:")
		w.line("# KL(N(mu, exp(logvar)) || N(0, I)), summed over the batch and the latent dimensions.")
		w.line("import torch")
		w.line("")
		if tooMany {
			shape := gaussShapeText(gaussShape(in.mu))
			w.line("# %d values are too many to write out: use your encoder's outputs.", n)
			w.line("mu = ...  # shape %s", shape)
			w.line("logvar = ...  # shape %s", shape)
		} else {
			w.line("mu = %s", gaussTensor(gaussMatrix(in.mu)))
			w.line("logvar = %s", gaussTensor(gaussMatrix(in.logvar)))
		}
		w.line("")
		w.line("KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())")
		w.line("print(KLD.item())  # the calculator: %s", compute.FormatFloat(total))
		w.line("# Per sample, as many training scripts report it: KLD / mu.size(0)")
	case gaussDiag:
		mu1, s1, mu2, s2 := gaussSplit(in.p, in.q)
		w.line("# KL(p || q) between normal distributions with diagonal covariance.")
		w.line("# Independent(..., 1) sums the per-dimension divergences over the last dimension.")
		w.line("import torch")
		w.line("from torch.distributions import Independent, Normal, kl_divergence")
		w.line("")
		if tooMany {
			w.line("# %d values are too many to write out: use your tensors of shape (%d,).", n, len(mu1))
			w.line("mu1, s1, mu2, s2 = ...  # s1 and s2 are standard deviations, not variances")
		} else {
			w.line("mu1 = %s", gaussTensor(compute.Vector(mu1)))
			w.line("s1 = %s  # standard deviations, not variances", gaussTensor(compute.Vector(s1)))
			w.line("mu2 = %s", gaussTensor(compute.Vector(mu2)))
			w.line("s2 = %s", gaussTensor(compute.Vector(s2)))
		}
		w.line("")
		w.line("p = Independent(Normal(mu1, s1), 1)")
		w.line("q = Independent(Normal(mu2, s2), 1)")
		w.line("kl = kl_divergence(p, q)")
		w.line("print(kl.item())  # the calculator: %s", compute.FormatFloat(total))
		w.line("# Per dimension: kl_divergence(Normal(mu1, s1), Normal(mu2, s2))")
	default:
		p, q := in.p[0], in.q[0]
		w.line("# KL(p || q) between two univariate normal distributions, in nats.")
		w.line("import torch")
		w.line("from torch.distributions import Normal")
		w.line("")
		w.line("kl = torch.distributions.kl_divergence(")
		w.line("    Normal(%s, %s),  # p: loc mu1, scale sigma1 (not the variance)", gaussTensor(compute.Scalar(p.Mu)), gaussTensor(compute.Scalar(p.Sigma)))
		w.line("    Normal(%s, %s),  # q", gaussTensor(compute.Scalar(q.Mu)), gaussTensor(compute.Scalar(q.Sigma)))
		w.line(")")
		w.line("print(kl.item())  # the calculator: %s", compute.FormatFloat(total))
	}
	if math.IsInf(total, 1) && in.hasInf() {
		w.line("# With infinite parameters the calculator gives the limit, inf; PyTorch's")
		w.line("# expression can give nan instead (inf - inf or inf / inf).")
	}
	return w.String()
}

// gaussMaxSnippetValues bounds the numbers written into a snippet.
const gaussMaxSnippetValues = 10000

// hasInf reports whether some parameter is infinite.
func (in gaussInput) hasInf() bool {
	for i := range in.p {
		for _, x := range []float64{in.p[i].Mu, in.p[i].Sigma, in.q[i].Mu, in.q[i].Sigma} {
			if math.IsInf(x, 0) {
				return true
			}
		}
	}
	for _, m := range [][][]float64{in.mu, in.logvar} {
		for _, r := range m {
			for _, x := range r {
				if math.IsInf(x, 0) {
					return true
				}
			}
		}
	}
	return false
}

func gaussSplit(p, q []compute.Normal) (mu1, s1, mu2, s2 []float64) {
	for i := range p {
		mu1, s1 = append(mu1, p[i].Mu), append(s1, p[i].Sigma)
		mu2, s2 = append(mu2, q[i].Mu), append(s2, q[i].Sigma)
	}
	return
}

// gaussTensor spells a float64 torch tensor with the writer of the
// discrete snippets (pyArray in snippet.go).
func gaussTensor(t compute.Tensor) string {
	return pyArray("torch.tensor", "torch.zeros", "torch.float64", t)
}

// gaussMatrix is parsed rows, all of one length, as a 2-D tensor.
func gaussMatrix(rows [][]float64) compute.Tensor {
	data := make([]float64, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		data = append(data, r...)
	}
	return compute.Tensor{Shape: []int{len(rows), len(rows[0])}, Data: data}
}
