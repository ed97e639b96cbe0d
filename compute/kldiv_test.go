package compute

import (
	"errors"
	"math"
	"testing"
)

// docs/kl_div.md §7 row 17: input = log[[.25,.75],[.5,.5]], target = [[.5,.5],[.9,.1]].
func TestKLDivRow17(t *testing.T) {
	in := mat(t, []float64{math.Log(.25), math.Log(.75)}, []float64{math.Log(.5), math.Log(.5)})
	tg := mat(t, []float64{.5, .5}, []float64{.9, .1})
	none, err := KLDiv(in, tg, ReductionNone, false, DTypeFloat64)
	if err != nil {
		t.Fatal(err)
	}
	wantNone := []float64{0.34657359, -0.20273255, 0.52900800, -0.16094379} // printed to 8 decimals in docs/kl_div.md
	for i, w := range wantNone {
		if math.Abs(none.Data[i]-w) > 5e-9 {
			t.Errorf("none[%d] = %.10g, want %.8f", i, none.Data[i], w)
		}
	}
	for _, tt := range []struct {
		r    Reduction
		want float64
	}{
		{ReductionSum, 0.5119052433943876},
		{ReductionBatchMean, 0.2559526216971938},
		{ReductionMean, 0.1279763108485969},
	} {
		got, err := KLDiv(in, tg, tt.r, false, DTypeFloat64)
		if err != nil {
			t.Fatal(err)
		}
		// The table's sum is PyTorch's own float64 sum (oracle case
		// row17_64; docs/kl_div.md §2), 1 ulp above the correctly rounded
		// one, which Result.Float64 gives (TestAccuracyKnownCases).
		if got.Dims() != 0 || !close(got.Data[0], tt.want, 3e-16) {
			t.Errorf("KLDiv(row 17, %v) = %v %v, want %v", tt.r, got.Shape, got.Data, tt.want)
		}
	}
}

// The reduction divisors: docs/kl_div.md §1.4 table and §7 rows 18–21.
func TestReductionDivisors(t *testing.T) {
	lq := func(v ...float64) []float64 {
		for i := range v {
			v[i] = math.Log(v[i])
		}
		return v
	}
	row := []float64{0.1, 0.4, 0.5}
	tests := []struct {
		name          string
		input, target Tensor
		red           Reduction
		div           float64
		reason        DivisorReason
	}{
		{"1-D batchmean divides by C (row 18)", Vector(lq(0.2, 0.3, 0.5)), Vector(row), ReductionBatchMean, 3, DivisorBatch1D},
		{"1-D mean", Vector(lq(0.2, 0.3, 0.5)), Vector(row), ReductionMean, 3, DivisorNumel},
		{"(1,C) batchmean divides by 1", mat(t, lq(0.2, 0.3, 0.5)), mat(t, row), ReductionBatchMean, 1, DivisorBatch},
		{"0-D batchmean is not divided (row 19)", Scalar(math.Log(0.25)), Scalar(0.5), ReductionBatchMean, 1, DivisorScalar},
		{"broadcast input (3,) target (2,3) batchmean ÷ 3 (row 21)", Vector(lq(0.2, 0.3, 0.5)), mat(t, row, row), ReductionBatchMean, 3, DivisorBatch1D},
		{"broadcast input (3,) target (2,3) mean ÷ 6 (row 21)", Vector(lq(0.2, 0.3, 0.5)), mat(t, row, row), ReductionMean, 6, DivisorNumel},
		{"broadcast input (1,3) target (2,3) batchmean ÷ 1", mat(t, lq(0.2, 0.3, 0.5)), mat(t, row, row), ReductionBatchMean, 1, DivisorBatchBroadcast},
		{"sum", mat(t, lq(0.2, 0.3, 0.5), lq(0.2, 0.3, 0.5)), mat(t, row, row), ReductionSum, 1, DivisorNone},
	}
	for _, tt := range tests {
		pw, err := pointwiseTensor(tt.input, tt.target, false, arithTorch64, nil)
		if err != nil {
			t.Fatal(err)
		}
		rv := reduce(pw.terms, pw.shape, tt.input.Shape, tt.red, arithTorch64)
		if rv.Divisor != tt.div || rv.Reason != tt.reason {
			t.Errorf("%s: divisor %g (%v), want %g (%v)", tt.name, rv.Divisor, rv.Reason, tt.div, tt.reason)
		}
		if want := rv.Sum / rv.Divisor; !alike(rv.Value, want) {
			t.Errorf("%s: value %g, want sum/divisor %g", tt.name, rv.Value, want)
		}
	}
}

// docs/kl_div.md §7 row 20: an empty (0, C) input gives sum 0, mean NaN, batchmean NaN (0/0).
func TestEmptyInput(t *testing.T) {
	e := Tensor{Shape: []int{0, 3}}
	for _, tt := range []struct {
		r    Reduction
		want float64
	}{{ReductionSum, 0}, {ReductionMean, nan}, {ReductionBatchMean, nan}} {
		got, err := KLDiv(e, e, tt.r, false, DTypeFloat32)
		if err != nil {
			t.Fatal(err)
		}
		if !alike(got.Data[0], tt.want) {
			t.Errorf("KLDiv(empty, %v) = %g, want %g", tt.r, got.Data[0], tt.want)
		}
	}
	got, err := KLDiv(e, e, ReductionNone, false, DTypeFloat64)
	if err != nil || len(got.Data) != 0 || ShapeString(got.Shape) != "(0, 3)" {
		t.Errorf("KLDiv(empty, none) = %v %v, %v; want an empty (0, 3) tensor", got.Shape, got.Data, err)
	}
}

func TestBroadcastErrors(t *testing.T) {
	_, err := KLDiv(Vector([]float64{0, 0, 0}), Vector([]float64{1, 0}), ReductionSum, false, DTypeFloat64)
	if !errors.Is(err, ErrShape) {
		t.Fatalf("KLDiv((3,), (2,)) error = %v, want ErrShape", err)
	}
	if want := "compute: input (Q) of shape (3,) and target (P) of shape (2,) do not broadcast: shape error"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	_, err = KLDiv(Tensor{Shape: []int{2, 2}, Data: []float64{1}}, Vector([]float64{1, 0}), ReductionSum, false, DTypeFloat64)
	if !errors.Is(err, ErrShape) {
		t.Errorf("KLDiv with 1 value for shape (2, 2): error = %v, want ErrShape", err)
	}
	// Broadcasting the other way: one target row against a batch of inputs.
	got, err := KLDiv(Tensor{Shape: []int{2, 2}, Data: []float64{math.Log(.5), math.Log(.5), math.Log(.25), math.Log(.75)}},
		Vector([]float64{.5, .5}), ReductionNone, false, DTypeFloat64)
	if err != nil || ShapeString(got.Shape) != "(2, 2)" {
		t.Fatalf("KLDiv((2,2), (2,)) = %v, %v", got.Shape, err)
	}
	if !close(got.Data[2], 0.34657359027997264, 1e-15) { // 0.5·ln(0.5/0.25), docs/kl_div.md §7 row 1
		t.Errorf("broadcast term = %g, want 0.34657359027997264", got.Data[2])
	}
}

// TestReductionRelations checks, on random batches, that the reductions
// relate as PyTorch defines them: none summed = sum; mean·numel = sum;
// batchmean·size(0) = sum.
func TestReductionRelations(t *testing.T) {
	rng := newRand(1)
	for iter := 0; iter < 200; iter++ {
		rows, cols := 1+rng.IntN(5), 1+rng.IntN(7)
		p, q := randomBatch(rng, rows, cols), randomBatch(rng, rows, cols)
		for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
			r := mustCalc(t, Side{Data: p}, Side{Data: q}, Options{Reduction: ReductionNone, DType: dt})
			sum, mean, bm := r.All[0], r.All[1], r.All[2]
			if s := arithOf(dt).sum(r.Output.Data); s != sum.Value {
				t.Fatalf("Σ none = %g, sum = %g", s, sum.Value)
			}
			if !close(mean.Value*float64(rows*cols), sum.Value, 4e-7) || !close(bm.Value*float64(rows), sum.Value, 4e-7) {
				t.Fatalf("%v %dx%d: sum %g, mean %g, batchmean %g", dt, rows, cols, sum.Value, mean.Value, bm.Value)
			}
		}
	}
}

// Sum: compensated, and a finite sum that overflows is ±Inf, not NaN.
func TestSumSpecialCases(t *testing.T) {
	for _, tt := range []struct {
		x    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{1e308, 1e308}, inf}, // overflows, as a plain sum does
		{[]float64{-1e308, -1e308}, -inf},
		{[]float64{1e308, 1e308, -1e308}, inf}, // a plain sum stays +Inf too
		{[]float64{inf, -inf}, nan},
		{[]float64{1, nan}, nan},
		{[]float64{1e16, 1, -1e16}, 1},  // compensation: a plain sum gives 0
		{[]float64{0.1, 0.2, 0.3}, 0.6}, // correctly rounded (a plain sum gives 0.6000000000000001)
	} {
		if got := Sum(tt.x); !alike(got, tt.want) {
			t.Errorf("Sum(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
}
