package compute

import (
	"math"
	"testing"
)

// alike reports whether a and b are the same float64: NaN equals NaN and
// the sign of zero matters (as in the math package's tests).
func alike(a, b float64) bool {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return true
	case a == b:
		return math.Signbit(a) == math.Signbit(b)
	}
	return false
}

// close reports whether a and b agree to a relative tolerance, with alike's
// rules for the special values.
func close(a, b, tol float64) bool {
	if alike(a, b) || a == b {
		return true
	}
	if !isFinite(a) || !isFinite(b) {
		return false
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

var (
	inf = math.Inf(1)
	nan = math.NaN()
)

func mustCalc(t testing.TB, p, q Side, opt Options) *Result {
	t.Helper()
	r, err := Calculate(p, q, opt)
	if err != nil {
		t.Fatalf("Calculate: %v", err)
	}
	return r
}

func vec(v ...float64) Tensor { return Vector(v) }

func mat(t testing.TB, rows ...[]float64) Tensor {
	t.Helper()
	m, err := NewMatrix(rows)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
