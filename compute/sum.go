package compute

import "math"

// accumulator is a compensated (Neumaier) running sum. Its error is about
// one rounding of the final sum plus n·ε² of Σ|x|, instead of n·ε of Σ|x|
// for a plain loop, which is what makes the float64 results accurate to
// about 1e-15 relative.
//
// Infinities and NaN are tracked apart so that the compensation term never
// turns an Inf − Inf into a NaN the plain sum would not have produced.
type accumulator struct {
	sum, c  float64
	special float64 // sum of the non-finite terms (±Inf, NaN), or 0
	inf     bool
}

func (a *accumulator) add(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		a.special += x
		a.inf = true
		return
	}
	t := a.sum + x
	if math.IsInf(t, 0) {
		// The running sum overflowed: from here on it is ±Inf, as a plain
		// sum would be, and the compensation must not turn it into NaN.
		a.special += t
		a.inf = true
		a.sum, a.c = 0, 0
		return
	}
	if math.Abs(a.sum) >= math.Abs(x) {
		a.c += (a.sum - t) + x
	} else {
		a.c += (x - t) + a.sum
	}
	a.sum = t
}

// value returns the compensated sum. A finite total that overflows gives
// ±Inf, as summation in PyTorch would.
func (a *accumulator) value() float64 {
	if a.inf {
		return a.special + a.sum // NaN and Inf dominate; a finite sum cannot change them
	}
	return a.sum + a.c
}

// Sum returns Σ x with compensated summation. Special cases are:
//
//	Sum() = 0
//	Sum(x) = NaN     if any x is NaN, or +Inf and −Inf both occur
//	Sum(x) = ±Inf    if ±Inf occurs (and not the other sign)
func Sum(x []float64) float64 {
	var a accumulator
	for _, v := range x {
		a.add(v)
	}
	return a.value()
}
