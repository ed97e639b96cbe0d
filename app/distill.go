package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
)

// flavorData is what the distillation tab draws: every flavour's value on
// the current P (teacher) and Q (student). The calculator computes it
// while the tab is open.
type flavorData struct {
	Values    []distill.Value
	In        distill.Input // what the flavours were given (its logits, T, mask, β)
	Converted bool          // P and Q were not logits at one T: their log-probabilities are the logits, T = 1
	Err       string        // why there are no values, in the reader's language
}

// newFlavorData runs every flavour on kl's sides, with the state's mask
// and β. Both sides as logits at one temperature are passed as they are;
// otherwise each side's log-probabilities stand in for its logits, at T =
// 1, which log_softmax leaves unchanged.
func newFlavorData(kl klProblem, s State, l lang) flavorData {
	d := &texts(l).Distill
	p, q := kl.p, kl.q
	if !slices.Equal(p.Data.Shape, q.Data.Shape) || len(p.Data.Shape) == 0 {
		return flavorData{Err: fmt.Sprintf(d.ErrShape, compute.ShapeString(p.Data.Shape), compute.ShapeString(q.Data.Shape))}
	}
	in := distill.Input{Beta: 0.5, T: 1}
	if p.Form == compute.FormLogits && q.Form == compute.FormLogits && p.Temperature == q.Temperature {
		in.Teacher, in.Student, in.T = p.Data, q.Data, p.Temperature
	} else {
		in.Teacher, in.Student = logProbs(p), logProbs(q)
	}
	rows := 1
	if len(p.Data.Shape) == 2 {
		rows = p.Data.Shape[0]
	}
	if m := strings.TrimSpace(s.Mask); m != "" {
		vals := strings.FieldsFunc(m, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
		if len(vals) != rows {
			return flavorData{Err: fmt.Sprintf(d.ErrMaskCount, len(vals), rows)}
		}
		for i, v := range vals {
			switch v {
			case "1":
				in.Mask = append(in.Mask, true)
			case "0", "-100":
				in.Mask = append(in.Mask, false)
			default:
				return flavorData{Err: fmt.Sprintf(d.ErrMaskValue, i+1, v)}
			}
		}
	}
	if b := strings.TrimSpace(s.Beta); b != "" {
		v, err := strconv.ParseFloat(b, 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return flavorData{Err: fmt.Sprintf(d.ErrBeta, b)}
		}
		in.Beta = v
	}
	vals, err := distill.Compute(in)
	if err != nil {
		return flavorData{Err: texts(l).computeError(l, err)}
	}
	return flavorData{Values: vals, In: in, Converted: in.T == 1 && !(p.Form == compute.FormLogits && q.Form == compute.FormLogits)}
}

// logProbs is a side's log-probabilities row by row, as the flavours'
// stand-in logits: log_softmax of logits at the side's T, log of
// probabilities and counts (log_softmax normalises the counts), and
// log-probabilities as they are.
func logProbs(s compute.Side) compute.Tensor {
	out := compute.Tensor{Shape: s.Data.Shape, Data: make([]float64, len(s.Data.Data))}
	switch s.Form {
	case compute.FormLogits:
		c := lastDim(s.Data.Shape)
		for i := 0; i+c <= len(s.Data.Data) && c > 0; i += c {
			copy(out.Data[i:i+c], compute.LogSoftmax(s.Data.Data[i:i+c], s.Temperature))
		}
	case compute.FormLog:
		copy(out.Data, s.Data.Data)
	default:
		for i, v := range s.Data.Data {
			out.Data[i] = math.Log(v)
		}
	}
	return out
}

// flavorSnippet is a runnable PyTorch program that computes flavour f on
// the tab's input: the library's call as a comment, and the computation
// written out with torch operations, so that it runs without the library.
func flavorSnippet(f distill.Flavor, in distill.Input) string {
	var w pyWriter
	src := f.Source()
	w.line("# %s", flavorTitle(f))
	w.line("import torch")
	w.line("import torch.nn.functional as F")
	w.line("")
	w.line("teacher = %s  # P, as logits", pyArray("torch.tensor", "torch.zeros", "torch.float64", in.Teacher))
	w.line("student = %s  # Q, as logits", pyArray("torch.tensor", "torch.zeros", "torch.float64", in.Student))
	w.line("T = %s", pyFloat(in.T))
	tokens := f != distill.KLDiv && f != distill.Hinton
	if tokens {
		w.line("V = teacher.shape[-1]")
		w.line("teacher, student = teacher.reshape(-1, V), student.reshape(-1, V)  # one row per token")
		labels := make([]string, 0, in.Teacher.Numel())
		n := max(in.Teacher.Numel()/max(lastDim(in.Teacher.Shape), 1), 1)
		for i := range n {
			if in.Mask != nil && !in.Mask[i] {
				labels = append(labels, "-100")
			} else {
				labels = append(labels, "0")
			}
		}
		w.line("labels = torch.tensor([%s])  # the mask: -100 is ignore_index; any other label counts", strings.Join(labels, ", "))
		w.line("mask = labels != -100")
	}
	w.line("")
	switch f {
	case distill.KLDiv, distill.Hinton:
		w.line("loss = F.kl_div(F.log_softmax(student / T, dim=-1), F.log_softmax(teacher / T, dim=-1),")
		w.line("                reduction='batchmean', log_target=True)")
		if f == distill.Hinton {
			w.line("loss = loss * T**2  # Hinton, Vinyals & Dean (2015), arXiv:1503.02531")
		}
	case distill.TorchtuneFKL:
		w.line("# torchtune %s: from torchtune.modules.loss import ForwardKLLoss", src.Version)
		w.line("#   loss = ForwardKLLoss()(student / T, teacher / T, labels)")
		w.line("# Written out (%s, %s; torchtune computes in float32):", src.File, src.Function)
		w.line("s = student / T")
		w.line("teacher_prob = F.softmax(teacher / T, dim=-1)")
		w.line("prod_probs = torch.masked_fill(teacher_prob * F.log_softmax(s, dim=-1), torch.isinf(s), 0)")
		w.line("x = torch.sum(prod_probs, dim=-1).view(-1)")
		w.line("m = mask.int()")
		w.line("loss = -torch.sum(x * m) / torch.sum(m) if torch.sum(m) > 0 else torch.tensor(0.0)")
	case distill.TorchtuneRKL:
		w.line("# torchtune %s: from torchtune.modules.loss import ReverseKLLoss", src.Version)
		w.line("#   loss = ReverseKLLoss()(student / T, teacher / T, labels)")
		w.line("# Written out (%s, %s; torchtune computes in float32):", src.File, src.Function)
		w.line("s, t = student / T, teacher / T")
		w.line("student_prob = F.softmax(s, dim=-1)")
		w.line("inf_mask = torch.isinf(s) | torch.isinf(t)")
		w.line("prod_probs = torch.masked_fill(student_prob * F.log_softmax(t, dim=-1), inf_mask, 0)")
		w.line("prod_probs -= torch.masked_fill(student_prob * F.log_softmax(s, dim=-1), inf_mask, 0)")
		w.line("x = torch.sum(prod_probs, dim=-1).view(-1)")
		w.line("m = mask.int()")
		w.line("loss = -torch.sum(x * m) / torch.sum(m) if torch.sum(m) > 0 else torch.tensor(0.0)")
	case distill.GKD:
		w.line("beta = %s", pyFloat(in.Beta))
		w.line("# TRL %s: from trl.experimental.gkd import GKDTrainer (trl.GKDTrainer before v0.26)", src.Version)
		w.line("#   loss = GKDTrainer.generalized_jsd_loss(student, teacher, labels=labels, beta=beta, temperature=T)")
		w.line("# Written out (%s, generalized_jsd_loss):", src.File)
		w.line("s = F.log_softmax(student / T, dim=-1)")
		w.line("t = F.log_softmax(teacher / T, dim=-1)")
		w.line("if beta == 0:")
		w.line("    jsd = F.kl_div(s, t, reduction='none', log_target=True)")
		w.line("elif beta == 1:")
		w.line("    jsd = F.kl_div(t, s, reduction='none', log_target=True)")
		w.line("else:")
		w.line("    b = torch.tensor(beta, dtype=s.dtype)")
		w.line("    m = torch.logsumexp(torch.stack([s + torch.log1p(-b), t + torch.log(b)]), dim=0)")
		w.line("    jsd = b * F.kl_div(m, t, reduction='none', log_target=True) + (1 - b) * F.kl_div(m, s, reduction='none', log_target=True)")
		w.line("loss = jsd[mask].sum() / mask.sum().clamp_min(1)  # TRL's 'batchmean': per token")
	case distill.MaskedFKL, distill.MaskedRKL:
		a, b := "student", "teacher"
		if f == distill.MaskedRKL {
			a, b = b, a
		}
		w.line("kl = F.kl_div(F.log_softmax(%s / T, dim=-1), F.log_softmax(%s / T, dim=-1),", a, b)
		w.line("              reduction='none', log_target=True).sum(-1)  # per token")
		w.line("loss = kl[mask].sum() / mask.sum()")
	}
	w.line("print(loss.item())")
	return w.String()
}

// flavorTitle names a flavour in the snippet's comment (English: the code
// is the same for every reader).
func flavorTitle(f distill.Flavor) string {
	return distillEN().Names[f]
}
