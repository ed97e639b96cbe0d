package distill

import (
	"errors"
	"fmt"
	"strings"
)

// Flavor is one library's definition of the distillation loss. Its String
// is a stable key, used in share URLs.
type Flavor int

const (
	// KLDiv is PyTorch's kl_div on temperature-scaled log-probabilities,
	// with reduction='batchmean' and log_target=True:
	//
	//	s = log_softmax(student / T)
	//	t = log_softmax(teacher / T)
	//	KLDiv = Σ_rows Σ_i exp(t_i)·(t_i − s_i) / size(0)
	//
	// size(0) is N for an [N, V] input and V for a [V] row, as PyTorch's
	// 'batchmean' divides a 1-D input by its length. The mask is ignored.
	// Each term is compute.PointwiseLogTarget(t_i, s_i), so special values
	// follow PyTorch's rules. Special cases are:
	//
	//	a −Inf teacher logit (p = 0):                  NaN (exp(−Inf)·(−Inf − s) = 0·(−Inf))
	//	a −Inf student logit where the teacher's p > 0: +Inf
	//	a NaN or +Inf logit anywhere in a row:          NaN (log_softmax makes the row NaN)
	//	N = 0:                                          NaN (0/0)
	//
	// Source: torch/nn/functional.py, kl_div, PyTorch 1.13.1.
	KLDiv Flavor = iota

	// Hinton is the soft-target loss of Hinton, Vinyals & Dean (2015),
	// KLDiv multiplied by T² so that its gradient keeps its size as T
	// changes:
	//
	//	Hinton = KLDiv · T²
	//
	// Special cases are those of KLDiv; T = 0 gives NaN (the rows are NaN
	// before the factor 0 applies).
	//
	// Source: "Distilling the Knowledge in a Neural Network",
	// arXiv:1503.02531, §2.
	Hinton

	// TorchtuneFKL is torchtune's ForwardKLLoss. Despite its name it is the
	// cross-entropy H(p_t, q_s), not KL(p_t ‖ q_s): it leaves out the
	// teacher's entropy H(p_t), which has no gradient with respect to the
	// student.
	//
	//	p   = softmax(teacher / T)
	//	s   = log_softmax(student / T)
	//	x_r = Σ_i [isinf(student_i / T) ? 0 : p_i·s_i]      (masked_fill)
	//	TorchtuneFKL = −Σ_r x_r·mask_r / Σ_r mask_r
	//	             = KL(p_t ‖ q_s) + H(p_t)  per counted token
	//
	// torchtune computes in float32 (dtype=torch.float32); this package in
	// float64. The class takes no temperature: T ≠ 1 models a recipe that
	// divides the logits before calling it, and isinf is tested on the
	// divided logits. Value.Entropy is the H(p_t) it includes, per counted
	// token (with 0·log 0 = 0). Special cases are:
	//
	//	Σ mask = 0:                            0 (the source returns 0 before dividing)
	//	a ±Inf student logit:                  its term is 0 instead of ±Inf or NaN (NoteInfMasked)
	//	a row of only −Inf student logits:     x_r = 0
	//	a −Inf teacher logit:                  p = 0, its term is 0
	//	a NaN logit, or a +Inf one:            NaN (log_softmax or softmax makes the row NaN;
	//	                                       only the +Inf student term itself is masked)
	//	NaN in a masked row:                   NaN (x_r·0 is NaN: the mask multiplies, it does not index)
	//	normalize=False (not modelled):        the sum, undivided
	//
	// Source: torchtune/modules/loss/kd_losses.py, ForwardKLLoss.forward,
	// torchtune 0.7.0 (main at bd2a0fc7, unchanged since v0.6.1).
	TorchtuneFKL

	// TorchtuneRKL is torchtune's ReverseKLLoss, the true reverse KL
	// divergence KL(q_s ‖ p_t) per counted token:
	//
	//	q   = softmax(student / T)
	//	s   = log_softmax(student / T)
	//	t   = log_softmax(teacher / T)
	//	inf = isinf(student_i / T) | isinf(teacher_i / T)
	//	x_r = Σ_i [inf ? 0 : q_i·t_i] − [inf ? 0 : q_i·s_i]
	//	TorchtuneRKL = −Σ_r x_r·mask_r / Σ_r mask_r
	//
	// On finite logits it equals MaskedRKL. Special cases are:
	//
	//	Σ mask = 0:                        0
	//	a ±Inf logit on either side:       its term is 0 (NoteInfMasked); a −Inf teacher
	//	                                   logit where q > 0, whose true KL is +Inf, gives
	//	                                   a finite value, which can be negative
	//	                                   (p_t = [1, 0], q_s = [½, ½] gives −½ln 2)
	//	−Inf at the same class on both sides: finite, where KLDiv, GKD and the masked
	//	                                   flavours are NaN (vocabulary padding)
	//	a NaN logit, or a +Inf one:        NaN (log_softmax makes the row NaN)
	//	NaN in a masked row:               NaN (x_r·0)
	//
	// Source: torchtune/modules/loss/kd_losses.py, ReverseKLLoss.forward,
	// torchtune 0.7.0 (main at bd2a0fc7, unchanged since v0.6.1).
	TorchtuneRKL

	// GKD is TRL's generalized Jensen-Shannon divergence JSD(β) of the
	// GKD trainer (Agarwal et al., arXiv:2306.13649, Eq. 1), averaged per
	// counted token:
	//
	//	s = log_softmax(student / T),  t = log_softmax(teacher / T)
	//	β = 0:  j_i = exp(t_i)·(t_i − s_i)                    forward KL(p_t ‖ q_s)
	//	β = 1:  j_i = exp(s_i)·(s_i − t_i)                    reverse KL(q_s ‖ p_t)
	//	else:   m_i = logsumexp(s_i + log1p(−β), t_i + log β)  log(β·p_t + (1−β)·q_s)
	//	        j_i = β·exp(t_i)·(t_i − m_i) + (1−β)·exp(s_i)·(s_i − m_i)
	//	GKD = Σ_{counted rows} Σ_i j_i / max(Σ mask, 1)
	//
	// β weights the teacher inside the mixture. The mixture formula tends
	// to 0, not to the forward or reverse KL, as β → 0 or 1: the endpoints
	// are special-cased and the function is discontinuous there
	// (NoteBetaEndpoint). At β = 0.5 it is the Jensen-Shannon divergence,
	// between 0 and ln 2. Masked rows are dropped (jsd[labels != -100]),
	// so a NaN in them does not propagate. Special cases are:
	//
	//	Σ mask = 0:                                  0 (the divisor is clamped to 1)
	//	a −Inf teacher logit, β < 1:                 NaN (exp(−Inf)·(−Inf − m) = 0·(−Inf))
	//	a −Inf teacher logit, β = 1:                 +Inf where q > 0
	//	a −Inf student logit, β > 0:                 NaN, likewise
	//	a −Inf student logit, β = 0:                 +Inf where p > 0
	//	a NaN or +Inf logit in a counted row:        NaN
	//
	// The function's temperature argument divides the logits, but
	// GKDTrainer.compute_loss never passes one (it runs at T = 1; the
	// config's temperature is for sampling), and neither it nor Liger
	// multiplies by T². When the Trainer passes num_items_in_batch (the
	// global count of labels != -100 under gradient accumulation), the
	// divisor is that count instead. With bf16 or float32 logits, β
	// becomes a tensor of their dtype, so β = 0.9 is used as 0.8984375 in
	// bf16; this package computes in float64 throughout.
	//
	// Liger-Kernel's LigerJSD (src/liger_kernel/ops/jsd.py, v0.8.2 at
	// ead96b61; last changed in 2f3d8ab2) computes the same quantity and
	// is not a flavour of its own: its X = log q_s and Y = log p_t are
	// log-probabilities, β weights P = p_t in M = β·P + (1−β)·Q, β = 0 and
	// β = 1 are special-cased to the same forward and reverse KL, it
	// divides by the number of rows whose label is not ignore_index (all
	// masked: every row returns early, so 0), and it uses no eps. It
	// differs only in arithmetic: float32, and M formed in linear space
	// then logged, so where both probabilities underflow float32
	// (log-probabilities below about −104) M·log M is 0·(−Inf) = NaN
	// (derived from the source; not run). It takes no temperature; the
	// fused-linear variant divides by one and, like TRL, applies no T².
	//
	// Source: trl/experimental/gkd/gkd_trainer.py,
	// GKDTrainer.generalized_jsd_loss, TRL 1.10.0.dev0 (main at f2cd5771;
	// the same in v1.9.0). Releases before v0.26.0 have it in
	// trl/trainer/gkd_trainer.py, and releases before v1.6.0 divide by
	// mask.sum() without clamp_min(1) (added in 2ac060ee), so that an
	// all-masked batch gives 0/0 = NaN.
	GKD

	// MaskedFKL is the forward KL divergence KL(p_t ‖ q_s) averaged over
	// the counted tokens, as plain PyTorch code with ignore_index = −100
	// writes it:
	//
	//	kl_r = Σ_i exp(t_i)·(t_i − s_i)        F.kl_div(s, t, reduction='none', log_target=True).sum(-1)
	//	MaskedFKL = Σ_{counted r} kl_r / Σ mask    kl[mask].sum() / mask.sum()
	//
	// With no mask and an [N, V] input it equals KLDiv; with a mask it is
	// GKD at β = 0 except when nothing is counted. Special cases are:
	//
	//	Σ mask = 0:        NaN (0/0)
	//	−Inf and NaN:      as KLDiv, in counted rows only (masked rows are dropped)
	//
	// Source: torch/nn/functional.py, kl_div, PyTorch 1.13.1.
	MaskedFKL

	// MaskedRKL is the reverse KL divergence KL(q_s ‖ p_t), averaged as
	// MaskedFKL is:
	//
	//	kl_r = Σ_i exp(s_i)·(s_i − t_i)
	//	MaskedRKL = Σ_{counted r} kl_r / Σ mask
	//
	// Special cases are:
	//
	//	Σ mask = 0:                                   NaN (0/0)
	//	a −Inf student logit (q = 0):                 NaN (0·(−Inf))
	//	a −Inf teacher logit where q > 0:             +Inf
	//	a NaN or +Inf logit in a counted row:         NaN
	//
	// Source: torch/nn/functional.py, kl_div, PyTorch 1.13.1.
	MaskedRKL

	numFlavors // the number of flavours; not a flavour
)

var flavorNames = [...]string{
	KLDiv:        "kl_div",
	Hinton:       "hinton",
	TorchtuneFKL: "torchtune-fkl",
	TorchtuneRKL: "torchtune-rkl",
	GKD:          "gkd",
	MaskedFKL:    "masked-fkl",
	MaskedRKL:    "masked-rkl",
}

// Flavors lists every flavour, in the order Compute returns them.
func Flavors() []Flavor {
	out := make([]Flavor, numFlavors)
	for i := range out {
		out[i] = Flavor(i)
	}
	return out
}

// String returns the flavour's key, e.g. "torchtune-fkl".
func (f Flavor) String() string {
	if f >= 0 && f < numFlavors {
		return flavorNames[f]
	}
	return fmt.Sprintf("Flavor(%d)", int(f))
}

// ErrFlavor is wrapped by the error ParseFlavor returns for an unknown key.
var ErrFlavor = errors.New("unknown flavor")

// ParseFlavor returns the flavour whose key is s.
func ParseFlavor(s string) (Flavor, error) {
	for f, name := range flavorNames {
		if s == name {
			return Flavor(f), nil
		}
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return 0, fmt.Errorf("distill: %q is not a flavor (want one of %s): %w",
		s, strings.Join(flavorNames[:], ", "), ErrFlavor)
}

// Source says where a flavour's definition was read.
type Source struct {
	Project  string // e.g. "torchtune"
	Repo     string // GitHub owner/name, or "" for a paper
	File     string // path in Repo, or the paper's identifier
	Version  string // the project's version at Commit
	Commit   string // the commit the file was read at, or "" (a released package)
	Function string // the function or class in File
}

// URL returns a link to the file at its commit, to the paper, or "".
func (s Source) URL() string {
	switch {
	case s.Repo != "" && s.Commit != "":
		return "https://github.com/" + s.Repo + "/blob/" + s.Commit + "/" + s.File
	case s.Repo != "":
		return "https://github.com/" + s.Repo + "/blob/v" + s.Version + "/" + s.File
	case strings.HasPrefix(s.File, "arXiv:"):
		return "https://arxiv.org/abs/" + strings.TrimPrefix(s.File, "arXiv:")
	}
	return ""
}

var (
	srcPyTorch = Source{
		Project:  "PyTorch",
		Repo:     "pytorch/pytorch",
		File:     "torch/nn/functional.py",
		Version:  "1.13.1",
		Function: "kl_div",
	}
	srcTorchtune = Source{
		Project: "torchtune",
		Repo:    "pytorch/torchtune",
		File:    "torchtune/modules/loss/kd_losses.py",
		Version: "0.7.0",
		Commit:  "bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1",
	}
)

var flavorSources = [...]Source{
	KLDiv: srcPyTorch,
	Hinton: {
		Project:  "Hinton, Vinyals & Dean (2015)",
		File:     "arXiv:1503.02531",
		Function: "soft targets × T²",
	},
	TorchtuneFKL: with(srcTorchtune, "ForwardKLLoss.forward"),
	TorchtuneRKL: with(srcTorchtune, "ReverseKLLoss.forward"),
	GKD: {
		Project:  "TRL",
		Repo:     "huggingface/trl",
		File:     "trl/experimental/gkd/gkd_trainer.py",
		Version:  "1.10.0.dev0",
		Commit:   "f2cd57710ae345ea6428ae95363267fcf38a3dc8",
		Function: "GKDTrainer.generalized_jsd_loss",
	},
	MaskedFKL: with(srcPyTorch, "kl_div(reduction='none', log_target=True), masked mean"),
	MaskedRKL: with(srcPyTorch, "kl_div(reduction='none', log_target=True), masked mean"),
}

func with(s Source, function string) Source {
	s.Function = function
	return s
}

// Source returns where the flavour's definition comes from. It is the
// zero Source for a value that is not a flavour.
func (f Flavor) Source() Source {
	if f >= 0 && f < numFlavors {
		return flavorSources[f]
	}
	return Source{}
}

// Note is a set of codes for the special cases behind a Value. The codes
// are keys, not sentences: the app words them.
type Note uint16

const (
	NoteNoRows           Note = 1 << iota // N = 0: there is no row
	NoteAllMasked                         // N > 0 but the mask counts no row
	NoteMaskIgnored                       // a mask excludes rows, but the flavour (kl_div, hinton) counts them all
	NoteDividesByClasses                  // a [V] row: 'batchmean' divides by size(0) = V, not by 1
	NoteOmitsEntropy                      // the value is a cross-entropy: it includes H(p_t), given in Value.Entropy
	NoteInfMasked                         // an infinite logit's term was set to 0 (torchtune's masked_fill)
	NoteBetaEndpoint                      // β = 0 or 1: plain forward or reverse KL, not the limit of the mixture (which is 0)
	NoteTemperature                       // T ≤ 0, NaN or ±Inf: computed as given, as PyTorch does

	numNotes = iota // the number of codes; not a code
)

var noteNames = [numNotes]string{
	"no-rows",
	"all-masked",
	"mask-ignored",
	"divides-by-classes",
	"omits-entropy",
	"inf-masked",
	"beta-endpoint",
	"temperature",
}

// Has reports whether every code in m is in n.
func (n Note) Has(m Note) bool { return n&m == m }

// Codes returns the single codes in n, in the order of their declaration.
func (n Note) Codes() []Note {
	var out []Note
	for i := range numNotes {
		if c := Note(1) << i; n&c != 0 {
			out = append(out, c)
		}
	}
	return out
}

// String returns the keys of the codes in n, joined by "+" (e.g.
// "all-masked+omits-entropy"), or "" for no code.
func (n Note) String() string {
	var b strings.Builder
	for i := range numNotes {
		if n&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('+')
			}
			b.WriteString(noteNames[i])
		}
	}
	if rest := n &^ (1<<numNotes - 1); rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		fmt.Fprintf(&b, "Note(%#x)", uint16(rest))
	}
	return b.String()
}
