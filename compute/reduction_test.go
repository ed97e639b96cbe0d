package compute

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

// exported is r's exported fields as text (NaN compares equal that way),
// with the unexported ones zeroed except absSum, which the warnings use.
func exported(r *Result) string {
	c := *r
	c.src, c.terms, c.exactSum, c.exactAbs, c.hasExact, c.dataWarnings, c.pace = nil, nil, 0, 0, false, nil, nil
	return fmt.Sprintf("%+v", c)
}

// TestWithReduction checks the identity WithReduction(red) ==
// CalculateValue with red (and the same with details), for every pair of
// reductions, over cases chosen to give each reduction-dependent warning:
// the expectation is the full computation itself (a derivation: a
// reduction only divides Σterm, which CalculateValue keeps in All).
func TestWithReduction(t *testing.T) {
	for _, c := range reductionCases() {
		testWithReduction(t, c.name, c.p, c.q, c.dt)
	}
	cases := reductionCases()
	if r, ok := must(CalculateValue(cases[0].p, cases[0].q, Options{})).WithReduction(Reduction(99)); ok || r != nil {
		t.Errorf("an unknown reduction: %v, %v; want nil, false", r, ok)
	}
}

type reductionCase struct {
	name string
	p, q Side
	dt   DType
}

func reductionCases() []reductionCase {
	rng := newRand(41)
	nan, inf := math.NaN(), math.Inf(1)
	return []reductionCase{
		{"1-D probabilities (docs/kl_div.md's example): batchmean over a 1-D input warns",
			Side{Data: Vector([]float64{0.1, 0.4, 0.5})}, Side{Data: Vector([]float64{0.2, 0.3, 0.5})}, DTypeFloat32},
		{"2-D batch, float64", Side{Data: randomBatch(rng, 4, 7)}, Side{Data: randomBatch(rng, 4, 7)}, DTypeFloat64},
		{"2-D logits, bfloat16 (docs/half.md)", Side{Data: randomBatch(rng, 3, 50), Form: FormLogits, Temperature: 1},
			Side{Data: randomBatch(rng, 3, 50), Form: FormLogits, Temperature: 2}, DTypeBFloat16},
		{"3-D, Q log-probabilities, float16", Side{Data: Tensor{Shape: []int{2, 2, 3}, Data: randomBatch(rng, 4, 3).Data}},
			Side{Data: Tensor{Shape: []int{2, 2, 3}, Data: logs(randomBatch(rng, 4, 3).Data)}, Form: FormLog}, DTypeFloat16},
		{"broadcast target over a batch: batchmean divides by the input's size(0)",
			Side{Data: Tensor{Shape: []int{1, 3}, Data: []float64{0.2, 0.3, 0.5}}}, Side{Data: randomBatch(rng, 5, 3)}, DTypeFloat32},
		{"q = 0 where p > 0: inf, and the warning of q zero", Side{Data: Vector([]float64{0.5, 0.5})}, Side{Data: Vector([]float64{1, 0})}, DTypeFloat32},
		{"a NaN in p: a NaN result", Side{Data: Vector([]float64{nan, 0.5})}, Side{Data: Vector([]float64{0.5, 0.5})}, DTypeFloat64},
		{"p not a distribution: a negative result", Side{Data: Vector([]float64{0.1, 0.1})}, Side{Data: Vector([]float64{0.5, 0.5})}, DTypeFloat32},
		{"counts, an infinite count", Side{Data: Vector([]float64{3, inf}), Form: FormCounts}, Side{Data: Vector([]float64{1, 2}), Form: FormCounts}, DTypeFloat64},
		{"0-D", Side{Data: Scalar(0.3)}, Side{Data: Scalar(0.6)}, DTypeFloat32},
	}
}

var reductions = []Reduction{ReductionBatchMean, ReductionSum, ReductionMean, ReductionNone}

func testWithReduction(t *testing.T, name string, p, q Side, dt DType) {
	for _, from := range reductions {
		r, err := CalculateValue(p, q, Options{Reduction: from, DType: dt})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, to := range reductions {
			want, err := CalculateValue(p, q, Options{Reduction: to, DType: dt})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := r.WithReduction(to)
			if !ok {
				t.Errorf("%s: %v → %v: not ok", name, from, to)
				continue
			}
			// 'none' computes no reference: the new result comes without
			// it, and Reference adds it.
			if noRef := from == ReductionNone && to != ReductionNone; got.HasReference() == noRef {
				t.Errorf("%s: %v → %v: HasReference %v", name, from, to, got.HasReference())
			}
			got = got.Reference()
			if g, w := exported(got), exported(want); g != w {
				t.Errorf("%s: %v → %v:\n got %s\nwant %s", name, from, to, g, w)
			}
			if g, w := exported(got.Details()), exported(want.Details()); g != w {
				t.Errorf("%s: %v → %v, details:\n got %s\nwant %s", name, from, to, g, w)
			}
			dg, _ := r.Details().WithReduction(to)
			dg = dg.Reference()
			if g, w := exported(dg), exported(want.Details()); g != w {
				t.Errorf("%s: %v → %v from a detailed result:\n got %s\nwant %s", name, from, to, g, w)
			}
		}
		if exported(r) != exported(must(CalculateValue(p, q, Options{Reduction: from, DType: dt}))) {
			t.Errorf("%s: WithReduction changed its receiver", name)
		}
	}
}

// TestCalculateDType checks the identity CalculateDType(…).Reference() ==
// CalculateValue(…), with or without Details in between, and what
// CalculateDType leaves out (its doc comment): the expectation is the full
// computation.
func TestCalculateDType(t *testing.T) {
	for _, c := range reductionCases() {
		for _, red := range reductions {
			opt := Options{Reduction: red, DType: c.dt}
			want := must(CalculateValue(c.p, c.q, opt))
			d := must(CalculateDType(c.p, c.q, opt))
			before := exported(d)
			if g, w := exported(d.Reference()), exported(want); g != w {
				t.Errorf("%s, %v: Reference:\n got %s\nwant %s", c.name, red, g, w)
			}
			if exported(d) != before {
				t.Errorf("%s, %v: Reference changed its receiver", c.name, red)
			}
			if g, w := exported(d.Details().Reference()), exported(want.Details()); g != w {
				t.Errorf("%s, %v: Details, then Reference:\n got %s\nwant %s", c.name, red, g, w)
			}
			// Details in two parts, either side of the reference.
			if g, w := exported(d.WithTerms().Reference().Details()), exported(want.Details()); g != w {
				t.Errorf("%s, %v: WithTerms, Reference, Details:\n got %s\nwant %s", c.name, red, g, w)
			}
			if g, w := exported(d.Reference().WithTerms().Details()), exported(want.Details()); g != w {
				t.Errorf("%s, %v: Reference, WithTerms, Details:\n got %s\nwant %s", c.name, red, g, w)
			}
			if wt := d.Reference().WithTerms(); wt.HasDetails() || fmt.Sprint(wt.Terms) != fmt.Sprint(want.Details().Terms) || exported(d) != before {
				t.Errorf("%s, %v: WithTerms gives other Terms, or details, or changed its receiver", c.name, red)
			}
			if d.HasReference() != (red == ReductionNone) || !want.HasReference() {
				t.Errorf("%s, %v: HasReference %v, %v", c.name, red, d.HasReference(), want.HasReference())
			}
			if red != ReductionNone && (!math.IsNaN(d.Float64) || math.Float64bits(d.Value) != math.Float64bits(want.Value)) {
				t.Errorf("%s, %v: Float64 %v, Value %v; want NaN, %v", c.name, red, d.Float64, d.Value, want.Value)
			}
			for _, w := range d.Warnings {
				if w.Code == WarnDTypeDisagree || (w.Code == WarnNegativeResult && (!math.IsNaN(w.Value) || w.Rounding)) {
					t.Errorf("%s, %v: a warning that needs the reference: %+v", c.name, red, w)
				}
			}
			if to, ok := d.WithReduction(ReductionNone); !ok || exported(to.Reference()) != exported(must(CalculateValue(c.p, c.q, Options{Reduction: ReductionNone, DType: c.dt}))) {
				t.Errorf("%s, %v → none without the reference: %v", c.name, red, ok)
			}
			if red != ReductionNone {
				other := ReductionSum
				if red == ReductionSum {
					other = ReductionMean
				}
				r, ok := d.WithReduction(other)
				if !ok || r.HasReference() || exported(r.Reference()) != exported(must(CalculateValue(c.p, c.q, Options{Reduction: other, DType: c.dt}))) {
					t.Errorf("%s, %v → %v without the reference: %v, or not CalculateValue's once referenced", c.name, red, other, ok)
				}
			}
		}
	}
}

func must(r *Result, err error) *Result {
	if err != nil {
		panic(err)
	}
	return r
}

// TestCalculateDTypeYield checks that yielding changes nothing (the
// identity with CalculateDType, through Reference, WithTerms and Details)
// and that a large input yields in every step, about every paceEvery
// values of work.
func TestCalculateDTypeYield(t *testing.T) {
	for _, c := range append(reductionCases(), bigYieldCases()...) {
		opt := Options{DType: c.dt}
		n := 0
		r, err := CalculateDTypeYield(c.p, c.q, opt, func() bool { n++; return true }, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := must(CalculateDType(c.p, c.q, opt))
		steps := []struct {
			name string
			f    func(*Result) *Result
			scan bool // it passes over every value (WithTerms makes none: Terms are a view)
		}{
			{"value", func(r *Result) *Result { return r }, true},
			{"Reference", (*Result).Reference, true},
			{"WithTerms", (*Result).WithTerms, false},
			{"Details", (*Result).Details, true},
		}
		values := len(c.q.Data.Data) + len(c.p.Data.Data)
		for i, st := range steps {
			before := n
			if i == 0 {
				before = 0 // CalculateDTypeYield's own
			}
			r, want = st.f(r), st.f(want)
			if g, w := exported(r), exported(want); g != w {
				t.Errorf("%s, %s: yielding changed the result:\n got %.300s\nwant %.300s", c.name, st.name, g, w)
			}
			if st.scan && values >= 2*paceEvery && n == before {
				t.Errorf("%s, %s: %d values and no yield", c.name, st.name, values)
			}
			if values < paceEvery && n != 0 {
				t.Errorf("%s, %s: %d values and %d yields", c.name, st.name, values, n)
			}
		}
		if values >= 2*paceEvery {
			t.Logf("%s: %d yields", c.name, n)
		}
	}
}

// bigYieldCases are inputs large enough to yield several times.
func bigYieldCases() []reductionCase {
	rng := newRand(43)
	return []reductionCase{
		{"2 × 40 000 logits, float32", Side{Data: randomBatch(rng, 2, 40_000), Form: FormLogits, Temperature: 1},
			Side{Data: randomBatch(rng, 2, 40_000), Form: FormLogits, Temperature: 1}, DTypeFloat32},
		{"one row of 70 000 probabilities, float64", Side{Data: Vector(randomDist(rng, 70_000, true))},
			Side{Data: Vector(randomDist(rng, 70_000, false))}, DTypeFloat64},
		{"1 × 50 000 target broadcast over 2 rows, bfloat16", Side{Data: Tensor{Shape: []int{1, 50_000}, Data: randomDist(rng, 50_000, false)}},
			Side{Data: randomBatch(rng, 2, 50_000)}, DTypeBFloat16},
	}
}

// TestCalculateDTypeYieldCancel checks that a yield returning false stops
// the computation at that yield (nil, ErrCanceled, and no yield after
// it), that an input too small to yield is computed whatever yield says,
// and that a result's own steps run to the end when yield says stop (they
// cannot fail: see CalculateDTypeYield).
func TestCalculateDTypeYieldCancel(t *testing.T) {
	for _, c := range bigYieldCases() {
		opt := Options{DType: c.dt}
		total := 0
		if _, err := CalculateDTypeYield(c.p, c.q, opt, func() bool { total++; return true }, 0); err != nil {
			t.Fatal(err)
		}
		for _, at := range []int{1, 2, total} {
			n := 0
			r, err := CalculateDTypeYield(c.p, c.q, opt, func() bool { n++; return n < at }, 0)
			if r != nil || !errors.Is(err, ErrCanceled) {
				t.Errorf("%s, stopped at yield %d of %d: got %v, %v; want nil, ErrCanceled", c.name, at, total, r, err)
			}
			if n != at {
				t.Errorf("%s, stopped at yield %d of %d: yielded %d times", c.name, at, total, n)
			}
		}
		stopAll := false
		r, err := CalculateDTypeYield(c.p, c.q, opt, func() bool { return !stopAll }, 0)
		if err != nil {
			t.Fatal(err)
		}
		stopAll = true
		want := must(Calculate(c.p, c.q, opt))
		if g, w := exported(r.Reference().Details()), exported(want); g != w {
			t.Errorf("%s: the steps after a stop changed the result:\n got %.300s\nwant %.300s", c.name, g, w)
		}
	}
	for _, c := range reductionCases() {
		opt := Options{DType: c.dt}
		r, err := CalculateDTypeYield(c.p, c.q, opt, func() bool { return false }, time.Hour)
		if err != nil || r == nil {
			t.Errorf("%s: yield says stop but is never due: got %v, %v", c.name, r, err)
		}
	}
}
