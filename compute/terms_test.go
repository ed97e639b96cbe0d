package compute

import (
	"math"
	"testing"
)

// TestTermsView: At, Slice, All and Values agree on every term, and the
// terms are the ones the worked breakdown defines (a derivation from the
// doc comment of Terms.At: a 2 × 3 logits Q against a broadcast 1 × 3
// probability P, so that Row, Col and the target's index all move).
func TestTermsView(t *testing.T) {
	p := Side{Data: Tensor{Shape: []int{1, 3}, Data: []float64{0.2, 0, 0.8}}, Form: FormProb}
	q := Side{Data: Tensor{Shape: []int{2, 3}, Data: []float64{1, 2, 3, -1, 0, 1}}, Form: FormLogits, Temperature: 1}
	r := must(Calculate(p, q, Options{Reduction: ReductionSum, DType: DTypeFloat64}))
	ts := r.Terms
	if ts.Len() != 6 || len(ts.Values()) != 6 {
		t.Fatalf("Len %d, Values %d, want 6", ts.Len(), len(ts.Values()))
	}
	page := ts.Slice(2, 5)
	n := 0
	for k, tm := range ts.All() {
		if k != n {
			t.Fatalf("All yields %d after %d terms", k, n)
		}
		n++
		if tm != ts.At(k) || tm.Value != ts.Value(k) || tm.Value != ts.Values()[k] {
			t.Errorf("term %d: All %+v, At %+v, Value %v", k, tm, ts.At(k), ts.Value(k))
		}
		if k >= 2 && k < 5 && page[k-2] != tm {
			t.Errorf("Slice(2, 5)[%d] = %+v, want %+v", k-2, page[k-2], tm)
		}
		if tm.Row != k/3 || tm.Col != k%3 {
			t.Errorf("term %d at (%d, %d)", k, tm.Row, tm.Col)
		}
		if want := p.Data.Data[k%3]; tm.P != want || tm.Target != want {
			t.Errorf("term %d: P %v, Target %v, want %v", k, tm.P, tm.Target, want)
		}
		if math.Abs(tm.Q-math.Exp(tm.LogQ)) > 1e-15 || tm.LogQ != r.Input.Data[k] {
			t.Errorf("term %d: Q %v, LogQ %v, input %v", k, tm.Q, tm.LogQ, r.Input.Data[k])
		}
		if (tm.Special == SpecialTargetZero) != (k%3 == 1) {
			t.Errorf("term %d: special %v", k, tm.Special)
		}
	}
	if n != 6 {
		t.Errorf("All yielded %d terms", n)
	}
	var zero Terms
	for range zero.All() {
		t.Error("the zero Terms yields a term")
	}
	if zero.Len() != 0 || len(zero.Slice(0, 0)) != 0 {
		t.Error("the zero Terms is not empty")
	}
}
