package compute

import (
	"fmt"
	"math"
	"testing"
)

// exported is r's exported fields as text (NaN compares equal that way),
// with the unexported ones zeroed except absSum, which the warnings use.
func exported(r *Result) string {
	c := *r
	c.src, c.terms, c.exactSum, c.exactAbs, c.hasExact, c.dataWarnings = nil, nil, 0, 0, false, nil
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
			if from == ReductionNone && to != ReductionNone {
				if ok || got != nil {
					t.Errorf("%s: %v → %v: %v, %v; want nil, false", name, from, to, got, ok)
				}
				continue
			}
			if !ok {
				t.Errorf("%s: %v → %v: not ok", name, from, to)
				continue
			}
			if g, w := exported(got), exported(want); g != w {
				t.Errorf("%s: %v → %v:\n got %s\nwant %s", name, from, to, g, w)
			}
			if g, w := exported(got.Details()), exported(want.Details()); g != w {
				t.Errorf("%s: %v → %v, details:\n got %s\nwant %s", name, from, to, g, w)
			}
			dg, _ := r.Details().WithReduction(to)
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
				if r, ok := d.WithReduction(other); ok || r != nil {
					t.Errorf("%s, %v → %v without the reference: %v, %v; want nil, false", c.name, red, other, r, ok)
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
