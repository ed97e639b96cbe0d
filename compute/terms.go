package compute

import "iter"

// Terms is the worked breakdown of a Result: a Term per element of the
// broadcast output, row-major over Result.Shape. A Term is made when asked
// for, from the tensors the result keeps: held whole they took 72 bytes a
// value, 74 MB for two 8 × 128 000 tensors. The zero Terms is empty.
type Terms struct {
	pw            pointwiseResult
	input, target Tensor
	qProb         Tensor // the q typed (or normalised); only for FormProb and FormCounts
	qTyped        bool   // Q is FormProb or FormCounts: Term.Q is qProb's, not exp(log q)
	logTarget     bool
}

// newTerms is the breakdown of pw, whose input and target are given.
func newTerms(pw pointwiseResult, input, target, qProb Tensor, qForm Form, logTarget bool) Terms {
	ts := Terms{pw: pw, input: input, target: target, logTarget: logTarget}
	if qForm == FormProb || qForm == FormCounts {
		ts.qProb, ts.qTyped = qProb, true
	}
	return ts
}

// Len is the number of terms.
func (ts Terms) Len() int { return len(ts.pw.terms) }

// Value is the pointwise loss of term k, which At(k).Value is, without
// the rest of the Term. It panics if k is out of range.
func (ts Terms) Value(k int) float64 { return ts.pw.terms[k] }

// Values is the pointwise losses, Term.Value of each term in order. It is
// the result's own slice: the caller must not change it.
func (ts Terms) Values() []float64 { return ts.pw.terms }

// At is term k, 0 ≤ k < Len(); it panics otherwise.
//
// Special cases are (Term.Special gives the case):
//
//	Q = q as typed (normalised for counts), not exp(log q), for FormProb and FormCounts
//	Q = exp(LogQ) for FormLog and FormLogits
//	P = exp(Target), LogP = Target with log_target
//	P = Target, LogP = log(Target) without it (−Inf at 0, NaN below)
func (ts Terms) At(k int) Term {
	x0 := ts.pw.terms[k] // the bounds check of k
	cols := max(ts.pw.cols, 1)
	i, j := k/cols, k%cols
	ix := ts.pw.in.at(i, j)
	x, t := ts.input.Data[ix], ts.target.Data[ts.pw.tg.at(i, j)]
	tm := Term{Row: i, Col: j, LogQ: x, Target: t, Value: x0}
	if ts.qTyped {
		tm.Q = ts.qProb.Data[ix]
	} else {
		tm.Q = exp(x)
	}
	if ts.logTarget {
		tm.LogP, tm.P = t, exp(t)
	} else {
		tm.P, tm.LogP = t, ln(t)
	}
	tm.Special = classify(t, x, ts.logTarget, tm.Value)
	return tm
}

// Slice is terms lo to hi−1, made whole: for a page of the breakdown.
func (ts Terms) Slice(lo, hi int) []Term {
	out := make([]Term, hi-lo)
	for k := range out {
		out[k] = ts.At(lo + k)
	}
	return out
}

// All yields every term with its index, in order.
func (ts Terms) All() iter.Seq2[int, Term] {
	return func(yield func(int, Term) bool) {
		for k := range ts.Len() {
			if !yield(k, ts.At(k)) {
				return
			}
		}
	}
}
