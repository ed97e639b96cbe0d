package compute

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
)

func TestFormCountsEnum(t *testing.T) {
	if got := FormCounts.String(); got != "counts" {
		t.Errorf("FormCounts.String() = %q", got)
	}
	if f, err := ParseForm("counts"); err != nil || f != FormCounts {
		t.Errorf("ParseForm(counts) = %v, %v", f, err)
	}
	fs := Forms()
	if len(fs) != 4 || fs[len(fs)-1] != FormCounts {
		t.Errorf("Forms() = %v, want counts last", fs)
	}
	// The existing forms keep their values (share URLs and saved states).
	if FormProb != 0 || FormLog != 1 || FormLogits != 2 || FormCounts != 3 {
		t.Error("form values changed")
	}
	var ee *EnumError
	if _, err := ParseForm("count"); !errors.As(err, &ee) || !strings.Contains(err.Error(), "counts") {
		t.Errorf("ParseForm(count): %v", err)
	}
	if _, err := Calculate(Side{Data: vec(1)}, Side{Data: vec(1), Form: FormCounts + 1}, Options{}); err == nil {
		t.Error("form after FormCounts accepted")
	}
}

// normaliseExact divides each row by its sum, correctly rounded to float64
// (finite counts only).
func normaliseExact(t Tensor) Tensor {
	out := Tensor{Shape: t.Shape}
	for _, row := range t.Rows() {
		s := new(big.Float).SetPrec(2000)
		for _, v := range row {
			s.Add(s, big.NewFloat(v))
		}
		sum, _ := s.Float64()
		for _, v := range row {
			out.Data = append(out.Data, v/sum)
		}
	}
	return out
}

// normalise divides each row by its sum as PyTorch's q / q.sum(-1,
// keepdim=True) does in float64: torch.sum's cascade order, which for these
// short rows is the order of the elements.
func normalise(t Tensor) Tensor {
	out := Tensor{Shape: t.Shape}
	for _, row := range t.Rows() {
		sum := 0.0
		for _, v := range row {
			sum += v
		}
		for _, v := range row {
			out.Data = append(out.Data, v/sum)
		}
	}
	return out
}

// Counts give what their normalised probabilities give in the prob form:
// bit for bit when the division is exact, within 1 ulp otherwise.
func TestCountsMatchProbabilities(t *testing.T) {
	tests := []struct {
		name  string
		p, q  Tensor
		exact bool // every count divided by its row's sum is exact
	}{
		{"exact 1-D", vec(1, 3), vec(2, 2), true},
		{"exact 2-D", mat(t, []float64{1, 3, 4}, []float64{2, 2, 0}), mat(t, []float64{8, 4, 4}, []float64{1, 1, 2}), true},
		{"broadcast", mat(t, []float64{1, 1}, []float64{3, 1}, []float64{0, 2}), mat(t, []float64{1, 7}), true},
		{"sevenths", vec(1, 2, 4), vec(3, 3, 1), false},
		{"decimal counts", mat(t, []float64{0.1, 0.2, 0.3}, []float64{1e-3, 5, 7}), mat(t, []float64{2.5, 1, 1}, []float64{9, 0.5, 13}), false},
		{"0-D", Scalar(5), Scalar(0.25), true},
	}
	for _, tt := range tests {
		for _, red := range Reductions() {
			opt := Options{Reduction: red, DType: DTypeFloat64}
			rc := mustCalc(t, Side{Data: tt.p, Form: FormCounts}, Side{Data: tt.q, Form: FormCounts}, opt)
			rp := mustCalc(t, Side{Data: normalise(tt.p)}, Side{Data: normalise(tt.q)}, opt)
			if rc.LogTarget {
				t.Fatalf("%s: counts call PyTorch with log_target=True", tt.name)
			}
			for i, tc := range rc.Terms.All() {
				tp := rp.Terms.At(i)
				if !alike(tc.P, tp.P) || !alike(tc.Q, tp.Q) || !alike(tc.LogQ, tp.LogQ) || !alike(tc.Target, tp.Target) {
					t.Errorf("%s %v: term %d = %+v, want the normalised %+v", tt.name, red, i, tc, tp)
				}
				if tt.exact && !alike(tc.Value, tp.Value) {
					t.Errorf("%s %v: term %d value %v, want %v", tt.name, red, i, tc.Value, tp.Value)
				}
			}
			for i, v := range rc.Output.Data {
				w := rp.Output.Data[i]
				if tt.exact && !alike(v, w) || !tt.exact && !alike(v, w) && ulpDist(v, w, DTypeFloat64) > 1 {
					t.Errorf("%s %v: output %d = %.17g, want %.17g", tt.name, red, i, v, w)
				}
			}
			// The related quantities normalise counts accurately (a
			// compensated sum), so they may differ in the last bits.
			if !close(rc.Related.Total.KLPQ, rp.Related.Total.KLPQ, 1e-15) || !close(rc.Related.Total.JSD, rp.Related.Total.JSD, 1e-15) {
				t.Errorf("%s: related %+v, want %+v", tt.name, rc.Related.Total, rp.Related.Total)
			}
		}
		// Result.Probabilities gives the values PyTorch normalised;
		// Side.Probabilities the accurately normalised ones (the sum
		// correctly rounded), which differ from them by at most an ulp.
		wp, wq := normalise(tt.p), normalise(tt.q)
		sp := Side{Data: tt.p, Form: FormCounts}.Probabilities()
		for i, v := range normaliseExact(tt.p).Data {
			if !alike(sp.Data[i], v) {
				t.Errorf("%s: Side.Probabilities %v, want %v", tt.name, sp.Data, normaliseExact(tt.p).Data)
				break
			}
		}
		r := mustCalc(t, Side{Data: tt.p, Form: FormCounts}, Side{Data: tt.q, Form: FormCounts}, Options{DType: DTypeFloat64})
		rp, rq := r.Probabilities()
		for i := range wp.Data {
			if !alike(rp.Data[i], wp.Data[i]) {
				t.Errorf("%s: P probabilities %v, want %v", tt.name, rp.Data, wp.Data)
				break
			}
		}
		for i := range wq.Data {
			if !alike(rq.Data[i], wq.Data[i]) {
				t.Errorf("%s: Q probabilities %v, want %v", tt.name, rq.Data, wq.Data)
				break
			}
		}
	}
}

// docs/kl_div.md §7 row 25: scipy.stats.entropy([1, 1], [9, 1]), normalising
// the counts itself. The table says 0.5108256237659906; on this machine
// SciPy 1.10.1 prints 0.5108256237659907, and torch 1.13.1's kl_div of the
// normalised counts 0.5108256237659905 (each its own order of operations).
func TestCountsScipyEntropy(t *testing.T) {
	const want, torchWant = 0.5108256237659907, 0.5108256237659905
	p, q := Side{Data: vec(1, 1), Form: FormCounts}, Side{Data: vec(9, 1), Form: FormCounts}
	r := mustCalc(t, p, q, Options{Reduction: ReductionSum, DType: DTypeFloat64})
	if r.Value != torchWant {
		t.Errorf("kl_div of counts [1 1], [9 1] = %.17g, want PyTorch's %.17g", r.Value, torchWant)
	}
	// The exact value is 0.510825623765990643…, between the two; the
	// accurate relatives may give either (gonum gives …905, row 27).
	if !close(r.Related.Rows[0].KLPQ, want, 4.5e-16) {
		t.Errorf("KL(P‖Q) of counts = %.17g, want %.17g", r.Related.Rows[0].KLPQ, want)
	}
	if got := [...]float64{r.Terms.At(0).P, r.Terms.At(1).P, r.Terms.At(0).Q, r.Terms.At(1).Q}; got != [...]float64{.5, .5, .9, .1} {
		t.Errorf("breakdown probabilities %v, want the normalised [.5 .5] and [.9 .1]", got)
	}
	// SciPy's own entropy, on the normalised probabilities and on the
	// counts, is the value itself, bit for bit.
	for _, in := range [][2]Tensor{{p.Probabilities(), q.Probabilities()}, {p.Data, q.Data}} {
		for _, fv := range CompareFrameworks(in[0], in[1], r) {
			if fv.Framework == FrameworkScipyEntropy && fv.Value != want {
				t.Errorf("scipy.stats.entropy(%v, %v) = %.17g, want %.17g", in[0].Data, in[1].Data, fv.Value, want)
			}
		}
	}
}

func sideWarning(ws []Warning, code WarningCode, side Operand) (Warning, bool) {
	for _, w := range ws {
		if w.Code == code && w.Operand == side {
			return w, true
		}
	}
	return Warning{}, false
}

// A counts side shows the sums it is divided by, and is never said not to
// sum to 1.
func TestCountsWarningShowsSums(t *testing.T) {
	p := Side{Data: mat(t, []float64{1, 9}, []float64{3, 4}), Form: FormCounts}
	q := Side{Data: mat(t, []float64{2, 2}, []float64{0.5, 0.25}), Form: FormCounts}
	for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
		r := mustCalc(t, p, q, Options{Reduction: ReductionBatchMean, DType: dt})
		for _, w := range r.Warnings {
			if w.Code == WarnRowSum {
				t.Errorf("%v: row-sum warning for counts: %+v", dt, w)
			}
		}
		w, ok := sideWarning(r.Warnings, WarnCountsNormalised, OperandP)
		if !ok {
			t.Fatalf("%v: no WarnCountsNormalised for P in %+v", dt, r.Warnings)
		}
		if len(w.Sums) != 2 || w.Sums[0] != 10 || w.Sums[1] != 7 || len(w.Rows) != 0 || w.Count != 2 || w.Classes != 2 || w.Cancel {
			t.Errorf("%v: warning data %+v", dt, w)
		}
		wq, ok := sideWarning(r.Warnings, WarnCountsNormalised, OperandQ)
		if !ok || len(wq.Sums) != 2 || wq.Sums[0] != 4 || wq.Sums[1] != 0.75 {
			t.Errorf("%v: Q's warning %+v", dt, wq)
		}
	}
	// The listed rows stop at 20; Sums has them all.
	rows := make([][]float64, 25)
	for i := range rows {
		rows[i] = []float64{float64(i), 1}
	}
	r := mustCalc(t, Side{Data: mat(t, rows...), Form: FormCounts}, Side{Data: vec(1, 1)}, Options{DType: DTypeFloat64})
	w, _ := sideWarning(r.Warnings, WarnCountsNormalised, OperandP)
	if len(w.Sums) != 25 || w.Sums[24] != 25 || w.Count != 25 {
		t.Errorf("25 rows: %+v", w)
	}
}

// A row of zero counts is 0/0 = NaN throughout, and the warning says so.
func TestCountsZeroRow(t *testing.T) {
	p := Side{Data: mat(t, []float64{0, 0}, []float64{1, 1}), Form: FormCounts}
	q := Side{Data: mat(t, []float64{1, 3}, []float64{0, 0}), Form: FormCounts}
	for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
		r := mustCalc(t, p, q, Options{Reduction: ReductionNone, DType: dt})
		for _, tm := range r.Terms.All() {
			if !math.IsNaN(tm.Value) {
				t.Errorf("%v: term (%d, %d) = %v, want NaN (P's row 1 and Q's row 2 are 0/0)", dt, tm.Row, tm.Col, tm.Value)
			}
			if tm.Row == 0 && !math.IsNaN(tm.P) || tm.Row == 1 && !math.IsNaN(tm.Q) {
				t.Errorf("%v: term %+v: the zero row's probabilities are not NaN", dt, tm)
			}
		}
		for _, side := range []Operand{OperandP, OperandQ} {
			w, ok := sideWarning(r.Warnings, WarnCountsNormalised, side)
			zero := map[Operand]int{OperandP: 0, OperandQ: 1}[side]
			if !ok || len(w.Rows) != 1 || w.Rows[0] != zero || w.Sums[zero] != 0 || w.Cancel {
				t.Errorf("%v: %s's warning %+v", dt, side, w)
			}
		}
	}
	// Negative counts that cancel: x/0 is ±Inf, and the warning says so.
	r := mustCalc(t, Side{Data: vec(1, -1), Form: FormCounts}, Side{Data: vec(1, 1)}, Options{DType: DTypeFloat64})
	if r.Terms.At(0).P != inf || r.Terms.At(1).P != -inf {
		t.Errorf("[1 -1] / 0 = %v, %v, want +Inf, -Inf", r.Terms.At(0).P, r.Terms.At(1).P)
	}
	if w, _ := sideWarning(r.Warnings, WarnCountsNormalised, OperandP); !w.Cancel || len(w.Rows) != 1 {
		t.Errorf("cancelling row: %+v", w)
	}
}

// Negative counts are divided like the others, and warned about.
func TestCountsNegative(t *testing.T) {
	p := Side{Data: vec(3, -1, 2), Form: FormCounts}
	r := mustCalc(t, p, Side{Data: vec(1, 1, 2), Form: FormCounts}, Options{Reduction: ReductionNone, DType: DTypeFloat64})
	if r.Terms.At(1).P != -0.25 || !math.IsNaN(r.Terms.At(1).Value) || r.Terms.At(0).P != 0.75 {
		t.Errorf("terms %+v", r.Terms)
	}
	w, ok := sideWarning(r.Warnings, WarnNegativeProbability, OperandP)
	if !ok || w.Count != 1 || w.Positions[0] != [2]int{0, 1} || w.Form != FormCounts {
		t.Errorf("negative count warning %+v", w)
	}
}

// IEEE's rules for infinities, and NaN.
func TestCountsNonFinite(t *testing.T) {
	tests := []struct {
		in, want []float64
	}{
		{[]float64{inf, 1}, []float64{nan, 0}},
		{[]float64{inf, -inf}, []float64{nan, nan}},
		{[]float64{nan, 1}, []float64{nan, nan}},
		{[]float64{1e308, 1e308}, []float64{0, 0}}, // the sum overflows: x/Inf = 0
		{[]float64{0, 2}, []float64{0, 1}},
	}
	for _, tt := range tests {
		got := Side{Data: Vector(tt.in), Form: FormCounts}.Probabilities().Data
		for i := range got {
			if !alike(got[i], tt.want[i]) {
				t.Errorf("counts %v normalise to %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
	// A 0-D side is divided by itself.
	if got := (Side{Data: Scalar(3), Form: FormCounts}).Probabilities().Data[0]; got != 1 {
		t.Errorf("0-D counts 3 = %v, want 1", got)
	}
	if got := (Side{Data: Scalar(0), Form: FormCounts}).Probabilities().Data[0]; !math.IsNaN(got) {
		t.Errorf("0-D counts 0 = %v, want NaN", got)
	}
}

// In float32 the counts, their sum and each quotient are float32, as
// q / q.sum(-1, keepdim=True) on a float32 tensor.
func TestCountsFloat32(t *testing.T) {
	pc := []float64{0.1, 0.2, 0.3}
	qc := []float64{1, 2, 4}
	r := mustCalc(t, Side{Data: Vector(pc), Form: FormCounts}, Side{Data: Vector(qc), Form: FormCounts},
		Options{Reduction: ReductionSum, DType: DTypeFloat32})
	norm32 := func(c []float64) []float64 {
		var s float64
		for _, v := range c {
			s += float64(float32(v)) // exact: three float32 values of similar size
		}
		out := make([]float64, len(c))
		for i, v := range c {
			out[i] = float64(float32(v) / float32(s))
		}
		return out
	}
	wp, wq := norm32(pc), norm32(qc)
	for i, tm := range r.Terms.All() {
		if tm.P != wp[i] || tm.Q != wq[i] || tm.Target != wp[i] || tm.LogQ != r32(math.Log(wq[i])) {
			t.Errorf("term %d: %+v, want P %v, Q %v", i, tm, wp[i], wq[i])
		}
	}
	// The same as the float32 quotients given as probabilities.
	rp := mustCalc(t, Side{Data: Vector(wp)}, Side{Data: Vector(wq)}, Options{Reduction: ReductionSum, DType: DTypeFloat32})
	if r.Value != rp.Value {
		t.Errorf("float32 counts %v, as probabilities %v", r.Value, rp.Value)
	}
	// And within float32 rounding of the float64 computation.
	r64 := mustCalc(t, Side{Data: Vector(pc), Form: FormCounts}, Side{Data: Vector(qc), Form: FormCounts},
		Options{Reduction: ReductionSum, DType: DTypeFloat64})
	// (The terms cancel: xlogy(p, p) and p·log q are rounded to float32
	// at about 0.3, the result is 0.01.)
	if !close(r.Value, r64.Value, 2e-5) || r.Float64 != r64.Float64 {
		t.Errorf("float32 %v, Float64 %v, float64 %v", r.Value, r.Float64, r64.Value)
	}
	// Apart from showing the sums, counts warn as their probabilities do.
	rp = mustCalc(t, Side{Data: normalise(Vector(pc))}, Side{Data: normalise(Vector(qc))}, Options{Reduction: ReductionSum, DType: DTypeFloat32})
	var codes, want []WarningCode
	for _, w := range r.Warnings {
		if w.Code != WarnCountsNormalised {
			codes = append(codes, w.Code)
		}
	}
	for _, w := range rp.Warnings {
		want = append(want, w.Code)
	}
	if !slices.Equal(codes, want) {
		t.Errorf("float32 counts warn %v, their probabilities %v", codes, want)
	}
	// The sum shown is the float32 divisor.
	w, _ := sideWarning(r.Warnings, WarnCountsNormalised, OperandP)
	if want := float64(float32(float64(float32(0.1)) + float64(float32(0.2)) + float64(float32(0.3)))); len(w.Sums) != 1 || w.Sums[0] != want {
		t.Errorf("float32 sum %v, want %v", w.Sums, want)
	}
}

// Sides without elements have no sums to show.
func TestCountsEmpty(t *testing.T) {
	for _, shape := range [][]int{{0}, {0, 3}, {2, 0}} {
		e := Tensor{Shape: shape, Data: []float64{}}
		r := mustCalc(t, Side{Data: e, Form: FormCounts}, Side{Data: e, Form: FormCounts}, Options{Reduction: ReductionSum, DType: DTypeFloat64})
		w, ok := sideWarning(r.Warnings, WarnCountsNormalised, OperandP)
		if !ok || w.Classes != shape[len(shape)-1] || len(w.Rows) != 0 || r.Value != 0 {
			t.Errorf("shape %v: %+v, value %v", shape, w, r.Value)
		}
	}
}
