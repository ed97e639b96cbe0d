package compute

import (
	"github.com/klcalc/klcalc/compute/internal/torchcpu"
	"math"
	"testing"
)

// Rows from docs/kl_div.md §1.2 (log_target=False), derived there from
// PyTorch's Loss.cpp and xlogy kernel with IEEE double rules.
var pointwiseTests = []struct {
	t, x, want float64
	special    Special
}{
	{0.5, math.Log(0.25), 0.34657359027997264, SpecialNone}, // = 0.5·ln 2
	{0, -1.2, 0, SpecialTargetZero},
	{0, 0, 0, SpecialTargetZero},
	{0, math.Inf(-1), nan, SpecialZeroTimesInf}, // PyTorch ≥ 1.13: 0·(−∞); ≤ 1.12 gave 0
	{0, inf, nan, SpecialZeroTimesInf},
	{0, nan, nan, SpecialNaNInput},
	{nan, -1, nan, SpecialNaNTarget},
	{-0.5, -1, nan, SpecialNegativeTarget},
	{2, 0, 1.3862943611198906, SpecialNone}, // 2·ln 2, accepted silently
	{1, math.Inf(-1), inf, SpecialQZero},
	{1, inf, math.Inf(-1), SpecialInputPosInf},
	{inf, -1, inf, SpecialInfTarget},
	{inf, 0, nan, SpecialInfTarget},                          // inf − inf·0
	{0.5, 0.3, -0.4965735902799726, SpecialNone},             // probability passed instead of log-probability
	{1e308, 1, inf, SpecialOverflow},                         // hand: 1e308·log(1e308) overflows to +Inf; 1e308·1 is finite
	{0.25, math.Log(0.5), -0.17328679513998632, SpecialNone}, // docs/kl_div.md §7 row 2
}

func TestPointwise(t *testing.T) {
	for _, tt := range pointwiseTests {
		got := Pointwise(tt.t, tt.x)
		if !alike(got, tt.want) {
			t.Errorf("Pointwise(%g, %g) = %g, want %g", tt.t, tt.x, got, tt.want)
		}
		if s := classify(tt.t, tt.x, false, got); s != tt.special {
			t.Errorf("classify(%g, %g) = %v, want %v", tt.t, tt.x, s, tt.special)
		}
	}
}

// Rows from docs/kl_div.md §1.3 (log_target=True).
var pointwiseLogTargetTests = []struct {
	t, x, want float64
	special    Special
}{
	{math.Log(0.5), math.Log(0.25), 0.34657359027997264, SpecialNone},
	{math.Inf(-1), -1, nan, SpecialLogTargetZero}, // p = 0: 0·(−∞)
	{math.Inf(-1), math.Inf(-1), nan, SpecialLogTargetZero},
	{0, math.Inf(-1), inf, SpecialQZero},
	{1, 0, math.E, SpecialNone}, // p = e > 1, no check
	{inf, 3, inf, SpecialInfTarget},
	{inf, inf, nan, SpecialInfTarget},
	{nan, 0, nan, SpecialNaNTarget},
	{0, nan, nan, SpecialNaNInput},
	{0, inf, math.Inf(-1), SpecialInputPosInf},
	{800, 0, inf, SpecialOverflow}, // exp(800) overflows
}

func TestPointwiseLogTarget(t *testing.T) {
	for _, tt := range pointwiseLogTargetTests {
		got := PointwiseLogTarget(tt.t, tt.x)
		if !alike(got, tt.want) {
			t.Errorf("PointwiseLogTarget(%g, %g) = %g, want %g", tt.t, tt.x, got, tt.want)
		}
		if s := classify(tt.t, tt.x, true, got); s != tt.special {
			t.Errorf("classify(%g, %g, logTarget) = %v, want %v", tt.t, tt.x, s, tt.special)
		}
	}
}

// The xlogy doc example from torch/special/__init__.py:
// xlogy(zeros(5), [-1, 0, 1, inf, nan]) -> [0., 0., 0., 0., nan].
func TestXlogyTorchDoc(t *testing.T) {
	ys := []float64{-1, 0, 1, inf, nan}
	want := []float64{0, 0, 0, 0, nan}
	for i, y := range ys {
		if got := Xlogy(0, y); !alike(got, want[i]) {
			t.Errorf("Xlogy(0, %g) = %g, want %g", y, got, want[i])
		}
	}
}

// TestPointwise32 checks the float32 path, which rounds float64 results to
// float32, against Go's own float32 arithmetic on the same log and exp: Go
// evaluates float32 expressions in IEEE single precision, one rounding per
// operation.
func TestPointwise32(t *testing.T) {
	native := func(t32, x32 float32, logTarget bool) float32 {
		if logTarget {
			e := torchcpu.SleefExpf(t32)
			d := t32 - x32
			return e * d
		}
		var xl float32
		switch {
		case t32 != t32:
			xl = float32(math.NaN())
		case t32 == 0:
			xl = 0
		default:
			l := torchcpu.LibmLogf(t32)
			xl = t32 * l
		}
		tx := float32(t32 * x32) // not fused with the subtraction
		return xl - tx
	}
	vals := []float64{0, 1, 0.1, 0.3, 0.5, 1e-30, 1e-45, 2, 3e38, -0.5, inf, math.Inf(-1), nan, -1.6, -20, -100}
	for _, tv := range vals {
		for _, xv := range vals {
			t32, x32 := float32(tv), float32(xv)
			if got, want := arithTorch32.pointwise(float64(t32), float64(x32)), float64(native(t32, x32, false)); !alike(got, want) {
				t.Errorf("arithTorch32.pointwise(%g, %g) = %g, want %g", t32, x32, got, want)
			}
			if got, want := arithTorch32.pointwiseLogTarget(float64(t32), float64(x32)), float64(native(t32, x32, true)); !alike(got, want) {
				t.Errorf("arithTorch32.pointwiseLogTarget(%g, %g) = %g, want %g", t32, x32, got, want)
			}
		}
	}
}

// FuzzPointwise checks that the kernels never panic and give NaN exactly
// where IEEE arithmetic on PyTorch's formula says so, predicted here from
// the two halves of the formula computed separately.
func FuzzPointwise(f *testing.F) {
	for _, tt := range pointwiseTests {
		f.Add(tt.t, tt.x)
	}
	for _, tt := range pointwiseLogTargetTests {
		f.Add(tt.t, tt.x)
	}
	f.Fuzz(func(t *testing.T, tv, xv float64) {
		got := Pointwise(tv, xv)
		// NaN iff: NaN operand; t < 0 (log of a negative); t = 0 with
		// infinite x (0·∞); or the two halves are Inf − Inf or Inf·0.
		var wantNaN bool
		switch {
		case math.IsNaN(tv) || math.IsNaN(xv) || tv < 0:
			wantNaN = true
		case tv == 0:
			wantNaN = math.IsInf(xv, 0)
		default:
			a := tv * math.Log(tv)
			b := tv * xv
			wantNaN = math.IsNaN(b) || (math.IsInf(a, 0) && math.IsInf(b, 0) && math.Signbit(a) == math.Signbit(b))
		}
		if math.IsNaN(got) != wantNaN {
			t.Errorf("Pointwise(%g, %g) = %g, NaN expected: %v", tv, xv, got, wantNaN)
		}
		if s := classify(tv, xv, false, got); math.IsNaN(got) && s == SpecialNone {
			t.Errorf("Pointwise(%g, %g) = NaN without a special case", tv, xv)
		}
		if !math.IsNaN(got) && isFinite(tv) && isFinite(xv) && tv > 0 && isFinite(got) {
			if s := classify(tv, xv, false, got); s != SpecialNone {
				t.Errorf("classify(%g, %g) = %v for an ordinary term", tv, xv, s)
			}
		}

		got = PointwiseLogTarget(tv, xv)
		e, d := math.Exp(tv), tv-xv
		wantNaN = math.IsNaN(tv) || math.IsNaN(xv) || math.IsNaN(d) || (e == 0 && math.IsInf(d, 0)) || (math.IsInf(e, 0) && d == 0)
		if math.IsNaN(got) != wantNaN {
			t.Errorf("PointwiseLogTarget(%g, %g) = %g, NaN expected: %v", tv, xv, got, wantNaN)
		}
		if s := classify(tv, xv, true, got); math.IsNaN(got) && s == SpecialNone {
			t.Errorf("PointwiseLogTarget(%g, %g) = NaN without a special case", tv, xv)
		}
		// float32 kernels never panic either.
		_ = arithTorch32.pointwise(r32(tv), r32(xv))
		_ = arithTorch32.pointwiseLogTarget(r32(tv), r32(xv))
	})
}
