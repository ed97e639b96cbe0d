package compute

import (
	"math"
	"testing"
)

// KL(p, p) = 0 exactly, in both dtypes and every form.
func TestKLSelfIsZero(t *testing.T) {
	rng := newRand(3)
	for iter := 0; iter < 300; iter++ {
		rows, cols := 1+rng.IntN(4), 1+rng.IntN(9)
		p := randomBatch(rng, rows, cols)
		for _, f := range Forms() {
			s := Side{Data: p, Form: f, Temperature: 1}
			switch f {
			case FormLog, FormLogits:
				s = Side{Data: Tensor{Shape: p.Shape, Data: logs(p.Data)}, Form: f, Temperature: 1}
			case FormCounts:
				s = Side{Data: Tensor{Shape: p.Shape, Data: scaled(p.Data, 7)}, Form: f}
			}
			for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
				// PyTorch's KL(p, p) is 0 exactly for log-probabilities and
				// logits (exp(t)·(t − t)), but not always for probabilities:
				// torch.log (SLEEF) and xlogy's log (glibc) can differ by an
				// ulp, e.g. at 0.025309724022649454, where torch 1.13.1 gives
				// a term of 1.3877787807814457e-17. The accurate Float64 is 0.
				r := mustCalc(t, s, s, Options{Reduction: ReductionSum, DType: dt})
				tol := 0.0
				if f == FormProb || f == FormCounts {
					tol = 4 * float64(len(p.Data)) * 0x1p-52
					if dt == DTypeFloat32 {
						tol = 4 * float64(len(p.Data)) * 0x1p-23
					}
				}
				if math.Abs(r.Value) > tol || r.Float64 != 0 {
					t.Fatalf("KL(p, p) form %v %v = %g (accurate %g), want 0 (p = %v)", f, dt, r.Value, r.Float64, p.Data)
				}
			}
		}
		if kl := KL(p.Data, p.Data); kl != 0 {
			t.Fatalf("KL(p, p) = %g, want 0", kl)
		}
	}
}

func scaled(v []float64, c float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = c * x
	}
	return out
}

func logs(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log(x)
	}
	return out
}

// KL ≥ 0 for normalised inputs (up to the rounding of its terms), and the
// identities CE = H + KL, JSD symmetric and within [0, ln 2].
func TestInformationIdentities(t *testing.T) {
	rng := newRand(5)
	for iter := 0; iter < 1000; iter++ {
		n := 1 + rng.IntN(20)
		p, q := randomDist(rng, n, true), randomDist(rng, n, true)
		kl, h, ce := KL(p, q), Entropy(p), CrossEntropy(p, q)
		if kl < -1e-15 {
			t.Fatalf("KL(%v, %v) = %g < 0", p, q, kl)
		}
		if math.IsInf(kl, 1) != math.IsInf(ce, 1) {
			t.Fatalf("KL = %g but CE = %g", kl, ce)
		}
		if isFinite(kl) && math.Abs(ce-h-kl) > 1e-13*math.Max(1, ce) {
			t.Fatalf("CE − H − KL = %g (CE %g, H %g, KL %g)", ce-h-kl, ce, h, kl)
		}
		j1, j2 := JSD(p, q), JSD(q, p)
		if j1 != j2 {
			t.Fatalf("JSD(p, q) = %g ≠ JSD(q, p) = %g", j1, j2)
		}
		if j1 < -1e-16 || j1 > math.Ln2+1e-15 {
			t.Fatalf("JSD = %g outside [0, ln 2]", j1)
		}
		// The PyTorch path agrees with the mathematical one where both are finite.
		r := mustCalc(t, Side{Data: Vector(p)}, Side{Data: Vector(q)}, Options{Reduction: ReductionSum, DType: DTypeFloat64})
		if !close(r.Value, kl, 1e-12) && !(math.Abs(r.Value-kl) < 1e-15) {
			if !(math.IsNaN(r.Value) && hasZeroPair(p, q)) {
				t.Fatalf("kl_div sum = %g, KL = %g for p %v q %v", r.Value, kl, p, q)
			}
		}
	}
	// JSD reaches ln 2 for disjoint supports: docs/kl_div.md §7 row 28 (gonum).
	if got := JSD([]float64{1, 0}, []float64{0, 1}); got != 0.6931471805599453 {
		t.Errorf("JSD([1 0], [0 1]) = %g, want 0.6931471805599453", got)
	}
}

// hasZeroPair reports whether p and q are both 0 somewhere: PyTorch gives
// NaN there (0·(−∞)) while the mathematical convention gives 0.
func hasZeroPair(p, q []float64) bool {
	for i := range p {
		if p[i] == 0 && q[i] == 0 {
			return true
		}
	}
	return false
}

// Reference values for the mathematical functions: docs/kl_div.md §7 rows 25–27.
func TestRelatedKnownValues(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"KL([.5 .5], [.9 .1]) (gonum, row 27)", KL([]float64{.5, .5}, []float64{.9, .1}), 0.5108256237659905},
		{"KL([1 1], [.5 .5]) unnormalised (row 27)", KL([]float64{1, 1}, []float64{.5, .5}), 1.3862943611198906},
		{"KL([.5 .5], [1 0]) (row 27)", KL([]float64{.5, .5}, []float64{1, 0}), inf},
		{"KL([1 0], [.5 .5]) = ln 2 (scipy row 26)", KL([]float64{1, 0}, []float64{.5, .5}), 0.6931471805599453},
		{"H([.5 .5]) = ln 2", Entropy([]float64{.5, .5}), math.Ln2},
		{"H with a zero", Entropy([]float64{1, 0}), 0},
		{"negative p gives NaN", KL([]float64{-0.1, 1.1}, []float64{.5, .5}), nan},
	}
	for _, tt := range tests {
		if !close(tt.got, tt.want, 2e-16) {
			t.Errorf("%s = %.17g, want %.17g", tt.name, tt.got, tt.want)
		}
	}
	// Bits: entropy([.5,.5],[.9,.1], base=2) is 0.7369655941662062 in the
	// scipy doc; the exact value of the float64 inputs, from Python's
	// decimal module at 50 digits, rounds to 0.7369655941662061. Ours is
	// within a few ulps of it.
	r := mustCalc(t, Side{Data: Vector([]float64{.5, .5})}, Side{Data: Vector([]float64{.9, .1})}, Options{Unit: Bits})
	if got := r.Related.Rows[0].KLPQ; !close(got, 0.7369655941662061, 4e-16) {
		t.Errorf("KL in bits = %.17g, want 0.7369655941662061", got)
	}
	if got := r.Related.Rows[0].KLPQ; !close(r.Related.Total.KLPQ, got, 0) {
		t.Errorf("total of one row = %g, want %g", r.Related.Total.KLPQ, got)
	}
}
