package compute

import (
	"math"
	"testing"
)

func TestGradients(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	l := math.Log
	// Every row is a PyTorch 1.13.1 run (Debian's python3-torch, float64):
	// F.kl_div(x, t, reduction, log_target).backward() with x and t leaves;
	// docs/kl_div.md §8 has the same table.
	for _, tc := range []struct {
		name       string
		p, q       Tensor
		pf         Form
		red        Reduction
		dIn, dTg   []float64
		inN, tgN   []GradNote
		wantQLogit []float64
	}{
		{name: "ordinary", p: Vector([]float64{.5, .5}), q: Vector([]float64{l(.25), l(.75)}), pf: FormProb, red: ReductionSum,
			dIn: []float64{-0.5, -0.5}, dTg: []float64{1.6931471805599454, 0.5945348918918356}},
		{name: "target 0: NaN since 1.13", p: Vector([]float64{0, 1}), q: Vector([]float64{l(.5), l(.5)}), pf: FormProb, red: ReductionSum,
			dIn: []float64{math.Copysign(0, -1), -1}, dTg: []float64{nan, 1.6931471805599454},
			tgN: []GradNote{GradNoteTargetZero, GradNoteNone}},
		{name: "q = 0: the loss is Inf, the input's gradient finite", p: Vector([]float64{.5, .5}), q: Vector([]float64{math.Inf(-1), 0}), pf: FormProb, red: ReductionSum,
			dIn: []float64{-0.5, -0.5}, dTg: []float64{inf, 0.3068528194400547},
			inN: []GradNote{GradNoteInfinite, GradNoteNone}, tgN: []GradNote{GradNoteInfinite, GradNoteNone}},
		{name: "0·log 0 with q = 0: the loss is NaN, the input's gradient −0", p: Vector([]float64{0, 1}), q: Vector([]float64{math.Inf(-1), 0}), pf: FormProb, red: ReductionSum,
			dIn: []float64{math.Copysign(0, -1), -1}, dTg: []float64{nan, 1},
			inN: []GradNote{GradNoteLossNaN, GradNoteNone}, tgN: []GradNote{GradNoteLossNaN, GradNoteNone}},
		{name: "log_target with log p = −Inf", p: Vector([]float64{l(.5), math.Inf(-1)}), q: Vector([]float64{l(.25), l(.75)}), pf: FormLog, red: ReductionSum,
			dIn: []float64{-0.5, math.Copysign(0, -1)}, dTg: []float64{0.8465735902799727, nan},
			inN: []GradNote{GradNoteNone, GradNoteLossNaN}, tgN: []GradNote{GradNoteNone, GradNoteLossNaN}},
		{name: "negative target: a positive input gradient (1.12: 0)", p: Vector([]float64{-0.5, 1.5}), q: Vector([]float64{l(.5), l(.5)}), pf: FormProb, red: ReductionSum,
			dIn: []float64{0.5, -1.5}, dTg: []float64{nan, 2.0986122886681096},
			inN: []GradNote{GradNoteNegativeTarget, GradNoteNone}, tgN: []GradNote{GradNoteNegativeTarget, GradNoteNone}},
		{name: "batchmean divides by size(0)", p: mustMatrix(t, [][]float64{{.5, .5}, {.9, .1}}), q: mustMatrix(t, [][]float64{{l(.25), l(.75)}, {l(.5), l(.5)}}), pf: FormProb, red: ReductionBatchMean,
			dIn: []float64{-0.25, -0.25, -0.45, -0.05}, dTg: []float64{0.8465735902799727, 0.2972674459459178, 0.7938933324510595, -0.3047189562170501}},
		{name: "mean divides by numel", p: mustMatrix(t, [][]float64{{.5, .5}, {.9, .1}}), q: mustMatrix(t, [][]float64{{l(.25), l(.75)}, {l(.5), l(.5)}}), pf: FormProb, red: ReductionMean,
			dIn: []float64{-0.125, -0.125, -0.225, -0.025}, dTg: []float64{0.42328679513998635, 0.1486337229729589, 0.39694666622552977, -0.15235947810852504}},
	} {
		g, err := Gradients(Side{Data: tc.p, Form: tc.pf, Temperature: 1}, Side{Data: tc.q, Form: FormLog, Temperature: 1}, Options{Reduction: tc.red, DType: DTypeFloat64})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		same := func(what string, got, want []float64) {
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Errorf("%s: %s[%d] = %v, PyTorch %v", tc.name, what, i, got[i], want[i])
				}
			}
		}
		same("∂L/∂input", g.Input.Data, tc.dIn)
		same("∂L/∂target", g.Target.Data, tc.dTg)
		for i, n := range tc.inN {
			if g.InputNotes[i] != n {
				t.Errorf("%s: InputNotes[%d] = %v, want %v", tc.name, i, g.InputNotes[i], n)
			}
		}
		for i, n := range tc.tgN {
			if g.TargetNotes[i] != n {
				t.Errorf("%s: TargetNotes[%d] = %v, want %v", tc.name, i, g.TargetNotes[i], n)
			}
		}
	}
}

func mustMatrix(t *testing.T, rows [][]float64) Tensor {
	t.Helper()
	m, err := NewMatrix(rows)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLogitsGradientIdentity checks the closed form of docs/distillation.md
// §2: for batchmean with P as probabilities and Q as logits at T,
// ∂L/∂z = (softmax(z/T) − p)/(T·N).
func TestLogitsGradientIdentity(t *testing.T) {
	rng := newRand(11)
	for it := 0; it < 200; it++ {
		n, c := 1+rng.IntN(5), 2+rng.IntN(40)
		T := []float64{1, 2, 4, 0.5, 10}[it%5]
		z := make([][]float64, n)
		pr := make([][]float64, n)
		for i := range z {
			z[i] = make([]float64, c)
			pr[i] = make([]float64, c)
			s := 0.0
			for j := range z[i] {
				z[i][j] = rng.NormFloat64() * 3
				pr[i][j] = rng.Float64()
				s += pr[i][j]
			}
			for j := range pr[i] {
				pr[i][j] /= s
			}
		}
		p, q := mustMatrix(t, pr), mustMatrix(t, z)
		g, err := Gradients(Side{Data: p, Form: FormProb}, Side{Data: q, Form: FormLogits, Temperature: T}, Options{Reduction: ReductionBatchMean, DType: DTypeFloat64})
		if err != nil {
			t.Fatal(err)
		}
		for i := range z {
			ls := LogSoftmax(z[i], T)
			for j := range z[i] {
				want := (math.Exp(ls[j]) - pr[i][j]) / (T * float64(n))
				if got := g.QLogits.Data[i*c+j]; math.Abs(got-want) > 1e-15+1e-12*math.Abs(want) {
					t.Fatalf("n=%d c=%d T=%g: ∂L/∂z[%d,%d] = %v, closed form %v", n, c, T, i, j, got, want)
				}
			}
		}
	}
}

// TestTemperatureSweep checks the 1/T² law behind Hinton's T² factor: the
// gradient norm times T² levels off as T grows (docs/distillation.md §2).
func TestTemperatureSweep(t *testing.T) {
	p := Side{Data: Vector([]float64{3.2, -1.0, 0.5, 7.7}), Form: FormLogits, Temperature: 1}
	q := Side{Data: Vector([]float64{2.9, -0.4, 0.1, 6.0}), Form: FormLogits, Temperature: 1}
	pts, err := TemperatureSweep(p, q, ReductionBatchMean, []float64{1, 10, 100, 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range pts {
		t.Logf("T=%g loss %.3g ‖∇‖ %.3g  ×T²: %.3g", pt.T, pt.Loss, pt.GradNorm, pt.GradNorm*pt.T*pt.T)
	}
	if !(pts[1].GradNorm < pts[0].GradNorm/10) {
		t.Errorf("‖∇‖ at T=10 is %g, at T=1 %g: want a fall of more than 10×", pts[1].GradNorm, pts[0].GradNorm)
	}
	r := pts[3].GradNorm * 200 * 200 / (pts[2].GradNorm * 100 * 100)
	if math.Abs(r-1) > 0.01 {
		t.Errorf("T²·‖∇‖ at T=200 / at T=100 = %g, want within 1%% of 1", r)
	}
	if _, err := TemperatureSweep(p, Side{Data: q.Data, Form: FormProb}, ReductionSum, []float64{1}); err == nil {
		t.Error("a sweep with Q as probabilities: no error")
	}
}

// FuzzGradients checks, for a 2 × 3 pair of any values, forms and
// reductions, that Gradients does not panic, that its tensors have the
// arguments' shapes, and two identities of the formulas in its doc
// comment: ∂L/∂input = −target·g (log_target=False), and the gradient of
// 'sum' equals that of 'batchmean' times size(0) wherever both are finite
// (g = 1/2 is exact in binary, so each part scales exactly, away from
// the subnormals).
func FuzzGradients(f *testing.F) {
	f.Add(0.1, 0.4, 0.5, 0.2, 0.3, 0.5, uint8(0), uint8(0), 1.0)
	f.Add(0.0, 1.0, 0.0, math.Inf(-1), 0.0, -1.0, uint8(1), uint8(2), 4.0)
	f.Add(math.NaN(), -0.5, 1e300, 5e-324, math.Copysign(0, -1), 2.0, uint8(2), uint8(3), 0.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, h float64, pf, qf uint8, T float64) {
		vals := []float64{a, b, c, d, e, h}
		p := Tensor{Shape: []int{2, 3}, Data: append([]float64(nil), vals...)}
		q := Tensor{Shape: []int{2, 3}, Data: []float64{h, e, d, c, b, a}}
		P := Side{Data: p, Form: Form(pf % 4), Temperature: T}
		Q := Side{Data: q, Form: Form(qf % 4), Temperature: T}
		for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
			sum, err := Gradients(P, Q, Options{Reduction: ReductionSum, DType: dt})
			if err != nil {
				t.Fatal(err)
			}
			bm, err := Gradients(P, Q, Options{Reduction: ReductionBatchMean, DType: dt})
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Input.Data) != 6 || len(sum.Target.Data) != 6 || len(sum.InputNotes) != 6 || len(sum.TargetNotes) != 6 {
				t.Fatalf("shapes: %d %d %d %d", len(sum.Input.Data), len(sum.Target.Data), len(sum.InputNotes), len(sum.TargetNotes))
			}
			if (Q.Form == FormLogits) != (sum.QLogits.Data != nil) || (P.Form == FormLogits) != (sum.PLogits.Data != nil) {
				t.Fatalf("logits gradients for forms %v, %v", P.Form, Q.Form)
			}
			if bm.Scale != 0.5 {
				t.Fatalf("batchmean scale %v, want 0.5", bm.Scale)
			}
			a := arithOf(dt)
			tg := toTarget(P, a, nil)
			for i := range sum.Input.Data {
				if !sum.LogTarget {
					if want := a.round(-tg.Data[i]); !sameBits(sum.Input.Data[i], want) {
						t.Errorf("%v: ∂L/∂input[%d] = %v, −target = %v", dt, i, sum.Input.Data[i], want)
					}
				}
				s, m := sum.Input.Data[i], bm.Input.Data[i]
				if isFinite(s) && isFinite(m) && math.Abs(m) > 1e-30 && s != 2*m {
					t.Errorf("%v: ∂input: sum %v, batchmean %v", dt, s, m)
				}
			}
		}
	})
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}
