package app

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/klcalc/klcalc/compute"
)

// snippetLang is the language (library) of a copy-ready code snippet.
type snippetLang int

const (
	snippetPyTorch snippetLang = iota // F.kl_div itself
	snippetSciPy                      // scipy.special.rel_entr on probabilities
	snippetNumPy                      // PyTorch's rule written out in NumPy
)

var snippetLangNames = [...]string{snippetPyTorch: "PyTorch", snippetSciPy: "SciPy", snippetNumPy: "NumPy"}

// snippetLangs lists every language, in the order a menu shows them.
func snippetLangs() []snippetLang { return []snippetLang{snippetPyTorch, snippetSciPy, snippetNumPy} }

// String returns the library's name: "PyTorch", "SciPy" or "NumPy".
func (l snippetLang) String() string {
	if l >= 0 && int(l) < len(snippetLangNames) {
		return snippetLangNames[l]
	}
	return fmt.Sprintf("snippetLang(%d)", int(l))
}

// snippet returns a complete, runnable Python program that reproduces the
// calculator's result in the chosen library.
//
// Only parsed numbers reach the program, never the text of a cell, so a
// cell cannot inject code: recompute keeps a klProblem only for a state
// whose every cell and temperature parsed and whose shapes broadcast.
func (sn klProblem) snippet(lang snippetLang) (string, error) {
	switch lang {
	case snippetPyTorch:
		return sn.pytorch(), nil
	case snippetSciPy:
		return sn.scipy(), nil
	case snippetNumPy:
		return sn.numpy(), nil
	}
	return "", fmt.Errorf("no code: unknown language %v", lang)
}

// pyWriter accumulates Python source line by line, at an indentation.
type pyWriter struct {
	b      strings.Builder
	indent string
}

// line writes one line; an empty format writes an empty line.
func (w *pyWriter) line(format string, args ...any) {
	if format == "" {
		w.b.WriteByte('\n')
		return
	}
	w.b.WriteString(w.indent)
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

// lines writes ready-made lines (such as notes) at the indentation.
func (w *pyWriter) lines(ls []string) {
	for _, l := range ls {
		w.line("%s", l)
	}
}

func (w *pyWriter) String() string { return w.b.String() }

// pytorch writes the program that calls F.kl_div exactly as the calculator
// models it.
func (sn klProblem) pytorch() string {
	var w pyWriter
	w.line("# KL(P || Q) with PyTorch, as the calculator computes it.")
	w.line("# F.kl_div(input, target) is KL(target || exp(input)): input is log Q, target is P.")
	w.line("import torch")
	w.line("import torch.nn.functional as F")
	w.line("")
	// Leaves that require grad, for the gradients printed at the end.
	dtype := "torch." + sn.opt.DType.String() + ", requires_grad=True"
	sn.writeData(&w, "torch.tensor", "torch.zeros", dtype)
	w.line("")
	switch sn.q.Form {
	case compute.FormProb:
		w.line("input = torch.log(q)  # Q's probabilities -> log-probabilities")
	case compute.FormLog:
		w.line("input = q  # Q's log-probabilities are the input as they are")
	case compute.FormLogits:
		w.line("input = F.log_softmax(q%s, dim=-1)  # Q's logits -> log-probabilities", tempDivision(sn.q.Temperature))
	case compute.FormCounts:
		writeCounts(&w, sideQ, sn.q, snippetPyTorch)
		w.line("input = torch.log(q)  # Q's probabilities -> log-probabilities")
	}
	switch sn.p.Form {
	case compute.FormProb:
		w.line("target = p  # P's probabilities, so log_target=False")
	case compute.FormCounts:
		writeCounts(&w, sideP, sn.p, snippetPyTorch)
		w.line("target = p  # P's probabilities, so log_target=False")
	case compute.FormLog:
		w.line("target = p  # P's log-probabilities, so log_target=True")
	case compute.FormLogits:
		w.line("target = F.log_softmax(p%s, dim=-1)  # P's logits -> log-probabilities, so log_target=True", tempDivision(sn.p.Temperature))
	}
	w.line("")
	w.lines(sn.notes(snippetPyTorch))
	w.line("loss = %s", sn.klDivCall("input", "target"))
	w.lines(sn.distillationNote(snippetPyTorch))
	w.line("print(loss)")
	if sn.opt.Reduction != compute.ReductionNone {
		w.line("# print(loss.item())  # every digit")
	}
	sn.writeBackward(&w)
	return w.String()
}

// writeBackward writes the backward pass and prints the gradients the
// Gradient tab shows: input and target are kept with retain_grad (they
// are not leaves when computed from p and q), and a side given as logits
// has its own .grad.
func (sn klProblem) writeBackward(w *pyWriter) {
	w.line("")
	w.line("# The gradients loss.backward() sends back (the calculator's Gradient tab):")
	w.line("input.retain_grad()  # input and target are computed from q and p: keep their .grad")
	w.line("target.retain_grad()")
	if sn.opt.Reduction == compute.ReductionNone {
		w.line("loss.backward(torch.ones_like(loss))  # 'none' has no single loss: the gradient of loss.sum()")
	} else {
		w.line("loss.backward()")
	}
	w.line("print('dL/dinput', input.grad)")
	w.line("print('dL/dtarget', target.grad)")
	if sn.q.Form == compute.FormLogits {
		w.line("print('dL/dlogits of Q', q.grad)  # through log_softmax(q%s)", tempDivision(sn.q.Temperature))
	}
	if sn.p.Form == compute.FormLogits {
		w.line("print('dL/dlogits of P', p.grad)  # through log_softmax(p%s)", tempDivision(sn.p.Temperature))
	}
}

// scipy writes the program that turns both sides into probabilities and
// sums scipy.special.rel_entr, reduced as PyTorch would.
func (sn klProblem) scipy() string {
	var w pyWriter
	w.line("# KL(P || Q) with SciPy's rel_entr, reduced the way")
	w.line("# %s", sn.klDivCall("input", "target"))
	w.line("# reduces it, with %s arrays.", sn.opt.DType)
	w.line("import numpy as np")
	w.line("from scipy.special import rel_entr")
	w.line("from scipy.stats import entropy")
	w.line("")
	sn.npNote(&w)
	sn.writeData(&w, "np.array", "np.zeros", "np."+npDType(sn.opt.DType))
	sn.npRound(&w)
	w.line("")
	w.line("with np.errstate(divide='ignore', invalid='ignore', over='ignore'):")
	w.indent = "    "
	writeToProb(&w, sideP, sn.p)
	writeToProb(&w, sideQ, sn.q)
	w.line("# rel_entr(p, q) = p * log(p / q) elementwise; the sum over the classes is each row's KL.")
	w.line("# At the edges it differs from PyTorch: p = 0 gives 0 even where q = 0, p < 0 gives inf (PyTorch: nan).")
	w.line("kl = rel_entr(p, q).sum(axis=-1)")
	w.lines(sn.notes(snippetSciPy))
	n := "q.shape[0]"
	if len(sn.q.Data.Shape) == 0 {
		n = "1"
	}
	switch sn.opt.Reduction {
	case compute.ReductionNone:
		w.line("loss = rel_entr(p, q)  # reduction='none': the elementwise terms")
	case compute.ReductionSum:
		w.line("loss = kl.sum()  # reduction='sum'")
	case compute.ReductionMean:
		w.line("loss = kl.sum() / %s  # reduction='mean': over every element", divisor(sn.opt.DType, "np.broadcast(p, q).size"))
	case compute.ReductionBatchMean:
		w.line("loss = kl.sum() / %s  # reduction='batchmean': size(0) of Q, PyTorch's input", divisor(sn.opt.DType, n))
	}
	w.indent = ""
	w.lines(sn.distillationNote(snippetSciPy))
	w.line("%s", printLoss(sn.opt.Reduction))
	w.line("")
	w.line("# scipy.stats.entropy also gives each row's KL, but first normalises each row of p and q to sum to 1:")
	w.line("# print(entropy(p, q, axis=-1))")
	return w.String()
}

// numpy writes PyTorch's rule in plain NumPy, operation for operation, so
// that it can be checked without PyTorch: log_softmax with the row maximum
// subtracted, xlogy(t, t) − t·input (or exp(t)·(t − input) for
// log_target=True), then the reduction.
func (sn klProblem) numpy() string {
	var w pyWriter
	w.line("# KL(P || Q) in plain NumPy, following PyTorch's rule for")
	w.line("# %s", sn.klDivCall("input", "target"))
	w.line("# step by step, with %s arrays.", sn.opt.DType)
	w.line("import numpy as np")
	w.line("")
	sn.npNote(&w)
	sn.writeData(&w, "np.array", "np.zeros", "np."+npDType(sn.opt.DType))
	sn.npRound(&w)
	w.line("")
	w.line("# PyTorch returns inf and nan silently; so does this.")
	w.line("with np.errstate(divide='ignore', invalid='ignore', over='ignore'):")
	w.indent = "    "
	switch sn.q.Form {
	case compute.FormProb:
		w.line("input = np.log(q)  # Q's probabilities -> log-probabilities")
	case compute.FormLog:
		w.line("input = q  # Q's log-probabilities are the input as they are")
	case compute.FormLogits:
		writeLogSoftmax(&w, "input", "q", sn.q.Temperature)
	case compute.FormCounts:
		writeCounts(&w, sideQ, sn.q, snippetNumPy)
		w.line("input = np.log(q)  # Q's probabilities -> log-probabilities")
	}
	switch sn.p.Form {
	case compute.FormProb:
		w.line("target = p  # P's probabilities, so log_target=False")
	case compute.FormCounts:
		writeCounts(&w, sideP, sn.p, snippetNumPy)
		w.line("target = p  # P's probabilities, so log_target=False")
	case compute.FormLog:
		w.line("target = p  # P's log-probabilities, so log_target=True")
	case compute.FormLogits:
		writeLogSoftmax(&w, "target", "p", sn.p.Temperature)
	}
	if !logTarget(sn.p.Form) {
		w.line("# log_target=False: xlogy(target, target) - target * input, where xlogy(0, y) = 0")
		w.line("pointwise = np.where(target == 0, 0.0, target * np.log(target)) - target * input")
	} else {
		w.line("# log_target=True: exp(target) * (target - input)")
		w.line("pointwise = np.exp(target) * (target - input)")
	}
	w.lines(sn.notes(snippetNumPy))
	switch sn.opt.Reduction {
	case compute.ReductionNone:
		w.line("loss = pointwise  # reduction='none'")
	case compute.ReductionSum:
		w.line("loss = pointwise.sum()  # reduction='sum'")
	case compute.ReductionMean:
		w.line("loss = pointwise.mean()  # reduction='mean': over every element")
	case compute.ReductionBatchMean:
		if len(sn.q.Data.Shape) == 0 {
			w.line("loss = pointwise.sum()  # reduction='batchmean' does not divide a 0-D input")
		} else {
			w.line("loss = pointwise.sum() / %s  # reduction='batchmean': size(0) of the input", divisor(sn.opt.DType, "input.shape[0]"))
		}
	}
	w.indent = ""
	w.lines(sn.distillationNote(snippetNumPy))
	w.line("%s", printLoss(sn.opt.Reduction))
	return w.String()
}

// writeData writes P and Q as arrays of the dtype, each with a comment
// saying how it is given and its shape.
func (sn klProblem) writeData(w *pyWriter, ctor, zeros, dtype string) {
	for _, d := range []struct {
		sd   side
		role string
		s    compute.Side
	}{{sideP, "P (target)", sn.p}, {sideQ, "Q (model)", sn.q}} {
		desc := formDescription(d.s.Form)
		if d.s.Form == compute.FormLogits && !isUnitTemp(d.s.Temperature) {
			desc += ", temperature " + pyFloat(d.s.Temperature)
		}
		w.line("# %s: %s, shape %s", d.role, desc, compute.ShapeString(d.s.Data.Shape))
		w.line("%s = %s", d.sd.py(), pyArray(ctor, zeros, dtype, d.s.Data))
	}
}

// klDivCall is the F.kl_div call with the state's reduction and
// log_target, the line every snippet reproduces.
func (sn klProblem) klDivCall(input, target string) string {
	lt := "False"
	if logTarget(sn.p.Form) {
		lt = "True"
	}
	return fmt.Sprintf("F.kl_div(%s, %s, reduction='%s', log_target=%s)", input, target, sn.opt.Reduction, lt)
}

// logTarget reports whether P of this form is passed with log_target=True:
// log-probabilities and logits are; probabilities and normalised counts
// are not.
func logTarget(f compute.Form) bool { return f == compute.FormLog || f == compute.FormLogits }

// notes explains, as comments, the places where PyTorch's shapes make the
// result other than one might expect: broadcasting, and what 'batchmean'
// and 'mean' divide by.
func (sn klProblem) notes(lang snippetLang) []string {
	qs, ps := sn.q.Data.Shape, sn.p.Data.Shape
	var ls []string
	if !slices.Equal(qs, ps) {
		ls = append(ls, fmt.Sprintf("# Q (input) has shape %s and P (target) %s: they broadcast to %s.",
			compute.ShapeString(qs), compute.ShapeString(ps), compute.ShapeString(sn.out)))
	}
	switch sn.opt.Reduction {
	case compute.ReductionMean:
		ls = append(ls, fmt.Sprintf("# reduction='mean' divides by every element (%d); PyTorch warns that this", numel(sn.out)),
			"# is not the KL divergence, which 'batchmean' gives.")
	case compute.ReductionBatchMean:
		ls = append(ls, sn.batchmeanNote(lang)...)
	}
	return ls
}

// batchmeanNote explains 'batchmean' where it does not divide by the
// number of distributions: a 1-D input, whose size(0) is the number of
// classes C, or a one-row input broadcast against a batch of targets.
// PyTorch's own fix is shown, since that is where the behaviour lives.
func (sn klProblem) batchmeanNote(lang snippetLang) []string {
	qs, ps := sn.q.Data.Shape, sn.p.Data.Shape
	// fix ends the note: PyTorch's call, or where to find it.
	fix := func(how, input, target string) []string {
		if lang == snippetPyTorch {
			return []string{"# " + how + ":", "#   loss = " + sn.klDivCall(input, target)}
		}
		return []string{"# " + how + " in PyTorch (see the PyTorch snippet)."}
	}
	switch {
	case len(qs) == 1 && len(ps) <= 1:
		return append([]string{
			fmt.Sprintf("# Note: batchmean divides by input.size(0), which for this 1-D input is the number of classes C = %d,", qs[0]),
			"# so it equals 'mean'. For the KL divergence of the distribution itself (divided by 1),",
		}, fix("add a batch dimension with .unsqueeze(0)", "input.unsqueeze(0)", "target.unsqueeze(0)")...)
	case len(qs) == 1:
		return append([]string{
			fmt.Sprintf("# Note: batchmean divides by input.size(0), which for this 1-D input is the number of classes C = %d,", qs[0]),
			fmt.Sprintf("# not the %d rows of the target.", ps[0]),
		}, fix("To divide by the batch, expand the input with .unsqueeze(0)", "input.unsqueeze(0).expand_as(target)", "target")...)
	case len(qs) == 2 && len(sn.out) == 2 && qs[0] != sn.out[0]:
		return append([]string{
			fmt.Sprintf("# Note: batchmean divides by input.size(0) = %d, not by the %d rows of the broadcast output.", qs[0], sn.out[0]),
		}, fix("To divide by the batch, expand the input", "input.expand_as(target)", "target")...)
	}
	return nil
}

// distillationNote reminds that knowledge distillation scales the loss by
// T², when both sides are logits softened by the same temperature T ≠ 1;
// with the result card's T² switch on, it is the scaling itself, as the
// headline computes it: in the dtype, T**2 rounded to it first.
func (sn klProblem) distillationNote(lib snippetLang) []string {
	if sn.p.Form != compute.FormLogits || sn.q.Form != compute.FormLogits {
		return nil
	}
	T := sn.p.Temperature
	if T != sn.q.Temperature || isUnitTemp(T) {
		return nil
	}
	t := pyFloat(T)
	if sn.scaleT2 && sn.opt.Reduction != compute.ReductionNone {
		factor := t + "**2"
		if lib != snippetPyTorch {
			factor = fmt.Sprintf("np.%s(%s)", npDType(sn.opt.DType), factor)
		}
		return []string{
			"# Knowledge distillation (Hinton et al., 2015) multiplies the loss by T**2, keeping gradients",
			"# comparable across temperatures (the calculator's T² switch is on):",
			"loss = loss * " + factor,
		}
	}
	return []string{
		"# Knowledge distillation (Hinton et al., 2015) usually multiplies this by T**2, keeping gradients",
		fmt.Sprintf("# comparable across temperatures: loss = loss * %s**2", t),
	}
}

// writeLogSoftmax writes dst = log_softmax(src / T) over the last axis the
// way PyTorch computes it: the row maximum is subtracted first, so large
// logits do not overflow.
func writeLogSoftmax(w *pyWriter, dst, src string, T float64) {
	w.line("# %s = log_softmax(%s%s) over the last axis, with the row maximum subtracted as PyTorch does", dst, src, tempDivision(T))
	w.line("z = %s%s", src, tempDivision(T))
	w.line("m = z.max(axis=-1, keepdims=True)")
	w.line("%s = (z - m) - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))", dst)
}

// writeCounts divides a counts side by its row sums in place, as
// scipy.stats.entropy normalises and as compute's FormCounts does: the sum
// over the last axis, kept so that it broadcasts. A 0-D array has no axis
// −1 in NumPy, so it is divided by its sum, itself.
func writeCounts(w *pyWriter, sd side, s compute.Side, lang snippetLang) {
	name := sd.py()
	what := fmt.Sprintf("%s's counts -> probabilities: each row divided by its sum", sd)
	if lang == snippetSciPy {
		what += " (scipy.stats.entropy would do this itself)"
	}
	switch {
	case lang == snippetPyTorch:
		w.line("%s = %s / %s.sum(-1, keepdim=True)  # %s", name, name, name, what)
	case len(s.Data.Shape) == 0:
		w.line("%s = %s / %s.sum()  # %s (0-D: no axis -1, so divided by itself)", name, name, name, what)
	default:
		w.line("%s = %s / %s.sum(axis=-1, keepdims=True)  # %s", name, name, name, what)
	}
}

// writeToProb converts a side to probabilities in place, for rel_entr.
func writeToProb(w *pyWriter, sd side, s compute.Side) {
	name := sd.py()
	switch s.Form {
	case compute.FormCounts:
		writeCounts(w, sd, s, snippetSciPy)
	case compute.FormLog:
		w.line("%s = np.exp(%s)  # log-probabilities -> probabilities", name, name)
	case compute.FormLogits:
		w.line("# softmax(%s%s), stable: subtract the row maximum before exponentiating", name, tempDivision(s.Temperature))
		w.line("z = %s%s", name, tempDivision(s.Temperature))
		w.line("z = z - z.max(axis=-1, keepdims=True)")
		w.line("%s = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)", name)
	}
}

// divisor spells a division by a count, in float32 when the dtype is
// float32: NumPy would promote a float32 scalar divided by an int to
// float64, while PyTorch stays in float32.
func divisor(dt compute.DType, count string) string {
	if dt != compute.DTypeFloat64 {
		return "np." + npDType(dt) + "(" + count + ")"
	}
	return count
}

// npDType is the NumPy dtype of the arrays for dt: NumPy has no bfloat16,
// so its programs compute in float32 (what PyTorch computes each bfloat16
// operation in, before it rounds).
func npDType(dt compute.DType) string {
	if dt == compute.DTypeBFloat16 {
		return "float32"
	}
	return dt.String()
}

// npRound rounds the arrays to bfloat16, which NumPy lacks (npNote
// defines bf16).
func (sn klProblem) npRound(w *pyWriter) {
	if sn.opt.DType == compute.DTypeBFloat16 {
		w.line("p, q = bf16(p), bf16(q)")
	}
}

// npNote says where a NumPy program cannot follow PyTorch's 16-bit types.
func (sn klProblem) npNote(w *pyWriter) {
	switch sn.opt.DType {
	case compute.DTypeBFloat16:
		w.line("# NumPy has no bfloat16: the inputs are rounded to it as PyTorch rounds them, then")
		w.line("# computed in float32 without PyTorch's rounding to bfloat16 after each step, so")
		w.line("# the result differs from PyTorch's in the last bfloat16 bits.")
		w.line("def bf16(x):  # round float32 to the nearest bfloat16, ties to even")
		w.line("    b = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)")
		w.line("    b = (b + 0x7FFF + ((b >> 16) & 1)) & 0xFFFF0000")
		w.line("    return b.astype(np.uint32).view(np.float32)")
		w.line("")
	case compute.DTypeFloat16:
		w.line("# NumPy's float16 rounds each step as PyTorch's does, but sums in its own order:")
		w.line("# the last bits may differ from PyTorch's.")
	}
}

// printLoss prints a scalar with repr, so that every digit shows; the
// 'none' reduction's array is printed as NumPy prints it.
func printLoss(r compute.Reduction) string {
	if r == compute.ReductionNone {
		return "print(loss)"
	}
	return "print(repr(float(loss)))"
}

// formDescription names a form in the comments.
func formDescription(f compute.Form) string {
	switch f {
	case compute.FormLog:
		return "log-probabilities"
	case compute.FormLogits:
		return "logits"
	case compute.FormCounts:
		return "counts"
	}
	return "probabilities"
}

// isUnitTemp reports whether a temperature leaves logits unchanged.
func isUnitTemp(T float64) bool { return T == 1 }

// tempDivision is " / T", or nothing when T is 1.
func tempDivision(T float64) string {
	if isUnitTemp(T) {
		return ""
	}
	return " / " + pyFloat(T)
}

// pyFloat spells x as a Python float literal that reads back as exactly x:
// the shortest round-trip digits, with ".0" added where Python would read
// an int (which matters for -0), and float('nan'), float('inf') and
// float('-inf') for the values Python has no literal for.
func pyFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "float('nan')"
	case math.IsInf(x, 1):
		return "float('inf')"
	case math.IsInf(x, -1):
		return "float('-inf')"
	}
	s := compute.FormatFloat(x)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// pyArray spells a tensor as ctor(nested list, dtype=dtype), keeping its
// shape: a 1-D tensor is a flat list, a 2-D one a list of rows (one per
// line when there are several). A tensor without elements cannot show its
// shape as a list, so it is zeros(shape).
func pyArray(ctor, zeros, dtype string, t compute.Tensor) string {
	if len(t.Data) == 0 && len(t.Shape) > 0 {
		return fmt.Sprintf("%s(%s, dtype=%s)", zeros, pyShape(t.Shape), dtype)
	}
	var b strings.Builder
	b.WriteString(ctor)
	b.WriteByte('(')
	switch len(t.Shape) {
	case 0:
		b.WriteString(pyFloat(t.Data[0]))
	case 1:
		writeList(&b, t.Data)
	default:
		rows := t.Rows()
		b.WriteByte('[')
		if len(rows) > 1 {
			b.WriteByte('\n')
		}
		for _, r := range rows {
			if len(rows) > 1 {
				b.WriteString("    ")
			}
			writeList(&b, r)
			if len(rows) > 1 {
				b.WriteString(",\n")
			}
		}
		b.WriteByte(']')
	}
	if len(t.Shape) > 2 {
		// Written as the rows of its last dimension, then reshaped; a
		// tensor that needs its gradient asks for it after the reshape,
		// which would otherwise make it a non-leaf without .grad.
		dt, grad := strings.CutSuffix(dtype, ", requires_grad=True")
		b.WriteString(", dtype=" + dt + ").reshape" + pyShape(t.Shape))
		if grad {
			b.WriteString(".requires_grad_()")
		}
		return b.String()
	}
	b.WriteString(", dtype=")
	b.WriteString(dtype)
	b.WriteByte(')')
	return b.String()
}

func writeList(b *strings.Builder, xs []float64) {
	b.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyFloat(x))
	}
	b.WriteByte(']')
}

// pyShape spells a shape as a Python tuple: (), (3,), (2, 3).
func pyShape(shape []int) string { return compute.ShapeString(shape) }

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
