package compute_test

import "math"

var (
	inf    = math.Inf(1)
	nan    = math.NaN()
	negZer = math.Copysign(0, -1)
)

// alike reports whether a and b are the same float64: NaN matches NaN, and
// the sign of zero matters.
func alike(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

// rowsAlike reports whether a and b have the same shape and alike values.
func rowsAlike(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !alike(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}
