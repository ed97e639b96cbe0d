package compute

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// The classic example: P = [0.1, 0.4, 0.5], Q = [0.2, 0.3, 0.5] as 1-D
// tensors with 'batchmean'. PyTorch prints tensor(0.0153) (docs/kl_div.md §1.4:
// 1-D batchmean = Σ/C); the KL divergence itself is 0.0458.
func TestClassicExample(t *testing.T) {
	p, q := Side{Data: vec(0.1, 0.4, 0.5)}, Side{Data: vec(0.2, 0.3, 0.5)}
	r := mustCalc(t, p, q, Options{})
	if got := FormatTorch(r.Output, DTypeFloat32); got != "tensor(0.0153)" {
		t.Errorf("classic example prints %s, want tensor(0.0153)", got)
	}
	// Exact KL = 0.1 ln(1/2) + 0.4 ln(4/3) (the third term is 0), derived by
	// hand; Python decimal at 50 digits gives 0.045758110924717949... for the
	// float64 inputs.
	r64 := mustCalc(t, p, q, Options{DType: DTypeFloat64, Reduction: ReductionSum})
	if !close(r64.Value, 0.04575811092471796, 3e-16) {
		t.Errorf("KL = %.17g, want 0.04575811092471796", r64.Value)
	}
	if r.Divisor != 3 || r.Reason != DivisorBatch1D {
		t.Errorf("divisor %g (%v), want 3 (1-D batchmean)", r.Divisor, r.Reason)
	}
	if !hasWarning(r, WarnBatchMean1D) {
		t.Errorf("no 1-D batchmean warning: %v", r.Warnings)
	}
	// As (1, 3) tensors, batchmean divides by 1 and gives the KL.
	p2, q2 := Side{Data: mat(t, []float64{0.1, 0.4, 0.5})}, Side{Data: mat(t, []float64{0.2, 0.3, 0.5})}
	r2 := mustCalc(t, p2, q2, Options{})
	if got := FormatTorch(r2.Output, DTypeFloat32); got != "tensor(0.0458)" {
		t.Errorf("unsqueezed classic example prints %s, want tensor(0.0458)", got)
	}
	if hasWarning(r2, WarnBatchMean1D) {
		t.Errorf("1-D warning on a 2-D input")
	}
}

func hasWarning(r *Result, c WarningCode) bool {
	return slices.ContainsFunc(r.Warnings, func(w Warning) bool { return w.Code == c })
}

// The three forms give the same result for the same distributions.
func TestFormsAgree(t *testing.T) {
	p, q := []float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}
	want := mustCalc(t, Side{Data: Vector(p)}, Side{Data: Vector(q)}, Options{DType: DTypeFloat64, Reduction: ReductionSum}).Value
	shift := func(v []float64, c float64) []float64 { // logits = log p + c
		out := logs(v)
		for i := range out {
			out[i] += c
		}
		return out
	}
	for _, tt := range []struct {
		name string
		p, q Side
	}{
		{"log/log", Side{Data: Vector(logs(p)), Form: FormLog}, Side{Data: Vector(logs(q)), Form: FormLog}},
		{"prob/logits", Side{Data: Vector(p)}, Side{Data: Vector(shift(q, 3)), Form: FormLogits, Temperature: 1}},
		{"logits/logits T=1", Side{Data: Vector(shift(p, -7)), Form: FormLogits, Temperature: 1}, Side{Data: Vector(shift(q, 100)), Form: FormLogits, Temperature: 1}},
	} {
		r := mustCalc(t, tt.p, tt.q, Options{DType: DTypeFloat64, Reduction: ReductionSum})
		if !close(r.Value, want, 1e-13) {
			t.Errorf("%s: %.17g, want %.17g", tt.name, r.Value, want)
		}
		if r.LogTarget != (tt.p.Form != FormProb) {
			t.Errorf("%s: log_target = %v", tt.name, r.LogTarget)
		}
	}
}

// Logits such as [1000, 0, −1000] must not overflow: log_softmax subtracts
// the maximum first (hand derivation: [0, −1000, −2000] up to e^−1000).
func TestLogSoftmaxStable(t *testing.T) {
	got := LogSoftmax([]float64{1000, 0, -1000}, 1)
	want := []float64{0, -1000, -2000}
	if !slices.Equal(got, want) {
		t.Errorf("LogSoftmax([1000 0 -1000]) = %v, want %v", got, want)
	}
	// Temperature 2 halves the logits: log_softmax([1, 0]) = [−log(1+e^−1), −1 − log(1+e^−1)].
	got = LogSoftmax([]float64{2, 0}, 2)
	c := math.Log1p(math.Exp(-1))
	if !close(got[0], -c, 1e-15) || !close(got[1], -1-c, 1e-15) {
		t.Errorf("LogSoftmax([2 0], T=2) = %v, want [%g %g]", got, -c, -1-c)
	}
	for _, tt := range []struct {
		in   []float64
		want []float64
	}{
		{[]float64{nan, 0}, []float64{nan, nan}},
		{[]float64{inf, 0}, []float64{nan, nan}},
		{[]float64{math.Inf(-1), math.Inf(-1)}, []float64{nan, nan}},
		{[]float64{math.Inf(-1), 0}, []float64{math.Inf(-1), 0}}, // a masked logit
		{[]float64{}, []float64{}},
		{[]float64{5}, []float64{0}},
	} {
		got := LogSoftmax(tt.in, 1)
		if !slices.EqualFunc(got, tt.want, alike) {
			t.Errorf("LogSoftmax(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	// float32: [1000, 0, −1000] stays finite as well.
	r := mustCalc(t, Side{Data: vec(1, 0, 0)}, Side{Data: vec(1000, 0, -1000), Form: FormLogits, Temperature: 1}, Options{Reduction: ReductionSum})
	if r.Value != 0 {
		t.Errorf("one-hot against a confident logit row: %g, want 0", r.Value)
	}
}

// A masked logit (−Inf) with target 0 gives NaN through 0·(−∞): docs/kl_div.md §1.2.
func TestMaskedLogitNaN(t *testing.T) {
	r := mustCalc(t, Side{Data: vec(0, 1)}, Side{Data: vec(math.Inf(-1), 0), Form: FormLogits, Temperature: 1}, Options{Reduction: ReductionSum})
	if !math.IsNaN(r.Value) {
		t.Fatalf("value %g, want NaN", r.Value)
	}
	if r.Terms.At(0).Special != SpecialZeroTimesInf {
		t.Errorf("term 0 special = %v, want SpecialZeroTimesInf", r.Terms.At(0).Special)
	}
	if !hasWarning(r, WarnNaNResult) {
		t.Errorf("no NaN warning: %v", r.Warnings)
	}
}

func TestCalculateErrors(t *testing.T) {
	ok := Side{Data: vec(0.5, 0.5)}
	tests := []struct {
		name string
		p, q Side
		opt  Options
		is   error
	}{
		{"shapes", Side{Data: vec(0.2, 0.3, 0.5)}, ok, Options{}, ErrShape},
		{"rows", Side{Data: mat(t, []float64{.5, .5}, []float64{.5, .5}, []float64{.5, .5})}, Side{Data: mat(t, []float64{.5, .5}, []float64{.5, .5})}, Options{}, ErrShape},
		{"bad data", Side{Data: Tensor{Shape: []int{3}, Data: []float64{1}}}, ok, Options{}, ErrShape},
	}
	for _, tt := range tests {
		_, err := Calculate(tt.p, tt.q, tt.opt)
		if !errors.Is(err, tt.is) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.is)
		}
	}
	if _, err := Calculate(ok, ok, Options{Reduction: 9}); err == nil {
		t.Error("unknown reduction accepted")
	}
	if _, err := Calculate(ok, ok, Options{DType: 9}); err == nil {
		t.Error("unknown dtype accepted")
	}
}

// The breakdown holds what the UI shows, including special cases.
func TestBreakdown(t *testing.T) {
	r := mustCalc(t, Side{Data: mat(t, []float64{0, 1, 0.5}, []float64{-0.1, 0.6, 0.5})},
		Side{Data: vec(0, 0, 0.5)}, Options{DType: DTypeFloat64, Reduction: ReductionSum})
	if r.Terms.Len() != 6 || ShapeString(r.Shape) != "(2, 3)" {
		t.Fatalf("%d terms of shape %v", r.Terms.Len(), r.Shape)
	}
	want := []Special{SpecialZeroTimesInf, SpecialQZero, SpecialNone, SpecialNegativeTarget, SpecialQZero, SpecialNone}
	for i, tm := range r.Terms.All() {
		if tm.Special != want[i] {
			t.Errorf("term %d (%d, %d): %v, want %v", i, tm.Row, tm.Col, tm.Special, want[i])
		}
	}
	tm := r.Terms.At(2)
	if tm.Row != 0 || tm.Col != 2 || tm.P != 0.5 || tm.Q != 0.5 || tm.LogQ != math.Log(0.5) || tm.Value != 0 {
		t.Errorf("term (0, 2) = %+v", tm)
	}
	if len(r.RowSums) != 2 || !math.IsNaN(r.RowSums[0]) || !math.IsNaN(r.RowSums[1]) {
		t.Errorf("row sums %v, want [NaN NaN]", r.RowSums)
	}
	if w := findWarning(r, WarnQZeroWherePPositive); w == nil || w.Count != 2 || !slices.Equal(w.Positions, [][2]int{{0, 1}, {1, 1}}) {
		t.Errorf("q-zero warning = %+v", w)
	}
	if w := findWarning(r, WarnNegativeProbability); w == nil || w.Operand != OperandP || w.Count != 1 {
		t.Errorf("negative probability warning = %+v", w)
	}
}

func findWarning(r *Result, c WarningCode) *Warning {
	for i := range r.Warnings {
		if r.Warnings[i].Code == c {
			return &r.Warnings[i]
		}
	}
	return nil
}

// Each diagnostic fires on the mistake it is meant for, and not on a clean input.
func TestDiagnostics(t *testing.T) {
	clean := mustCalc(t, Side{Data: mat(t, []float64{.1, .4, .5})}, Side{Data: mat(t, []float64{.2, .3, .5})}, Options{})
	if len(clean.Warnings) != 0 {
		t.Errorf("clean input warns: %+v", clean.Warnings)
	}
	tests := []struct {
		name string
		p, q Side
		opt  Options
		code WarningCode
		side Operand
	}{
		{"probabilities in a log field (Q)", Side{Data: vec(.1, .4, .5)}, Side{Data: vec(.2, .3, .5), Form: FormLog}, Options{}, WarnLooksLikeProbabilities, OperandQ},
		{"probabilities in a log field (P)", Side{Data: vec(.1, .4, .5), Form: FormLog}, Side{Data: vec(.2, .3, .5)}, Options{}, WarnLooksLikeProbabilities, OperandP},
		{"row sums", Side{Data: vec(.1, .4, .6)}, Side{Data: vec(.2, .3, .5)}, Options{}, WarnRowSum, OperandP},
		{"log row sums", Side{Data: vec(.1, .4, .5)}, Side{Data: Vector(logs([]float64{.2, .3, .6})), Form: FormLog}, Options{}, WarnRowSum, OperandQ},
		{"negative probability", Side{Data: vec(.1, .4, .5)}, Side{Data: vec(-.2, .7, .5)}, Options{}, WarnNegativeProbability, OperandQ},
		{"q zero", Side{Data: vec(.5, .5)}, Side{Data: vec(1, 0)}, Options{}, WarnQZeroWherePPositive, OperandQ},
		{"mean", Side{Data: vec(.1, .4, .5)}, Side{Data: vec(.2, .3, .5)}, Options{Reduction: ReductionMean}, WarnMeanReduction, OperandNone},
		{"batchmean 1-D", Side{Data: vec(.1, .4, .5)}, Side{Data: vec(.2, .3, .5)}, Options{}, WarnBatchMean1D, OperandNone},
		{"batchmean broadcast", Side{Data: mat(t, []float64{.5, .5}, []float64{.9, .1})}, Side{Data: mat(t, []float64{.5, .5})}, Options{}, WarnBatchMeanBroadcast, OperandNone},
		{"negative result", Side{Data: vec(.5, .5)}, Side{Data: vec(.25, .75), Form: FormLog}, Options{DType: DTypeFloat64}, WarnNegativeResult, OperandNone},
		{"NaN result", Side{Data: vec(0, 1)}, Side{Data: vec(0, 1)}, Options{}, WarnNaNResult, OperandNone},
		{"Inf result", Side{Data: vec(.5, .5)}, Side{Data: vec(1, 0)}, Options{}, WarnInfResult, OperandNone},
		// 1 − 1e-9 and 1 − 1e-12 both round to 1 in float32, so float32
		// loses the second term that float64 keeps.
		{"float32 vs float64", Side{Data: vec(1e-9, 1-1e-9)}, Side{Data: vec(1e-12, 1-1e-12)}, Options{Reduction: ReductionSum}, WarnDTypeDisagree, OperandNone},
	}
	for _, tt := range tests {
		r := mustCalc(t, tt.p, tt.q, tt.opt)
		w := findWarning(r, tt.code)
		if w == nil {
			t.Errorf("%s: no warning %d in %+v", tt.name, tt.code, r.Warnings)
			continue
		}
		if w.Operand != tt.side {
			t.Errorf("%s: side %v, want %v", tt.name, w.Operand, tt.side)
		}
	}
	// The mean warning carries PyTorch's text and the batchmean value.
	r := mustCalc(t, Side{Data: mat(t, []float64{.5, .5}, []float64{.9, .1})},
		Side{Data: mat(t, logs([]float64{.25, .75}), logs([]float64{.5, .5})), Form: FormLog}, Options{Reduction: ReductionMean, DType: DTypeFloat64})
	w := findWarning(r, WarnMeanReduction)
	if w == nil || !close(w.Value, 0.2559526216971938, 3e-16) { // docs/kl_div.md §7 row 17
		t.Fatalf("mean warning %+v, want batchmean 0.2559526216971938", w)
	}
}

// TestTemperatures: PyTorch computes any temperature (the oracle's T0,
// Tneg and Tinf cases hold its values); WarnTemperature explains the ones
// that are not a softening. Values for q = [1, 2], p = [0.2, 0.8], 'sum',
// from torch 1.13.1: T = 0 and NaN give NaN (every logit / 0 is ±Inf), T = −1
// reverses the classes, T = +Inf gives the uniform row.
func TestTemperatures(t *testing.T) {
	p := Side{Data: vec(0.2, 0.8)}
	tests := []struct {
		T       float64
		dt      DType
		nan     bool
		warn    bool
		uniform bool
	}{
		{1, DTypeFloat64, false, false, false},
		{0.5, DTypeFloat32, false, false, false},
		{0, DTypeFloat64, true, true, false},
		{math.Copysign(0, -1), DTypeFloat32, true, true, false},
		{1e-50, DTypeFloat32, true, true, false}, // rounds to 0 in float32
		{1e-50, DTypeFloat64, false, false, false},
		{-1, DTypeFloat64, false, true, false},
		{math.Inf(1), DTypeFloat32, false, true, true},
		{nan, DTypeFloat64, true, true, false},
	}
	for _, tt := range tests {
		q := Side{Data: vec(1, 2), Form: FormLogits, Temperature: tt.T}
		r, err := Calculate(p, q, Options{Reduction: ReductionSum, DType: tt.dt})
		if err != nil {
			t.Fatalf("T = %v: %v", tt.T, err)
		}
		if math.IsNaN(r.Value) != tt.nan {
			t.Errorf("T = %v %v: value %v, NaN expected: %v", tt.T, tt.dt, r.Value, tt.nan)
		}
		_, warned := sideWarning(r.Warnings, WarnTemperature, OperandQ)
		if warned != tt.warn {
			t.Errorf("T = %v %v: WarnTemperature %v, want %v (%v)", tt.T, tt.dt, warned, tt.warn, r.Warnings)
		}
		if u := float64(float32(-math.Ln2)); tt.uniform && (r.Terms.At(0).LogQ != u || r.Terms.At(1).LogQ != u) {
			t.Errorf("T = +Inf: log q = %v, %v, want the uniform %v", r.Terms.At(0).LogQ, r.Terms.At(1).LogQ, u)
		}
	}
	// T = −1 is T = 1 with the logits negated.
	neg := mustCalc(t, p, Side{Data: vec(1, 2), Form: FormLogits, Temperature: -1}, Options{Reduction: ReductionSum, DType: DTypeFloat64})
	flip := mustCalc(t, p, Side{Data: vec(-1, -2), Form: FormLogits, Temperature: 1}, Options{Reduction: ReductionSum, DType: DTypeFloat64})
	if neg.Value != flip.Value {
		t.Errorf("T = −1 gives %v, negated logits %v", neg.Value, flip.Value)
	}
}
